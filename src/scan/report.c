/*
 * report.c: a scan result as the readable report (worst first, with the
 * tip for whoever must act) and as the stable JSON document described in
 * docs/scan-json.md. JSON is built with jansson, never by hand.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "scan/scan_int.h"
#include "store/store.h"

static const char *const sev_upper[] = {"INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

static int count_sev(const struct scan_result *res, size_t counts[5])
{
	size_t i;

	memset(counts, 0, 5 * sizeof(counts[0]));
	for (i = 0; i < res->findings.n; i++)
		counts[res->findings.v[i].sev]++;
	return 0;
}

static int text_services(const struct scan_result *res, enum check_lang lang, struct buf *out)
{
	size_t i, k;
	int r = 0;

	for (i = 0; i < res->nhosts && r == 0; i++) {
		const struct scan_host *h = &res->hosts[i];

		if (strcmp(h->name, h->addr) == 0)
			r = buf_addf(out, "\n%s\n", h->addr);
		else
			r = buf_addf(out, "\n%s (%s)\n", h->name, h->addr);
		for (k = 0; k < h->nscores && r == 0; k++)
			r = buf_addf(out, "  %s %s: %d%s%s%s\n",
				     lang == LANG_NL ? "score" : "score", h->scores[k].category,
				     h->scores[k].percent, h->scores[k].grade[0] ? " (" : "",
				     h->scores[k].grade, h->scores[k].grade[0] ? ")" : "");
		if (r == 0 && h->nsvc == 0)
			r = buf_addf(out, "  %s\n",
				     lang == LANG_NL ? "geen open poorten" : "no open ports");
		for (k = 0; k < h->nsvc && r == 0; k++) {
			const struct scan_service *s = &h->svc[k];

			r = buf_addf(out, "  %5u/tcp  %-11s %s%s%s%s%s%s\n", s->port, s->service,
				     s->product, s->version[0] ? " " : "", s->version,
				     s->extra[0] ? " (" : "", s->extra, s->extra[0] ? ")" : "");
		}
	}
	return r;
}

static int text_finding(const struct finding *f, enum check_lang lang, struct buf *out)
{
	const struct check_def *d = check_find(f->check_id);
	int r;

	r = buf_addf(out, "\n[%s] %s %s\n", sev_upper[f->sev], f->check_id,
		     d ? check_title(d, lang) : "");
	if (r == 0 && f->port >= 0)
		r = buf_addf(out, "  %s:%d", f->target, f->port);
	else if (r == 0)
		r = buf_addf(out, "  %s", f->target);
	if (r == 0 && f->detail)
		r = buf_addf(out, ": %s", f->detail);
	if (r == 0 && f->conf != CONF_HIGH)
		r = buf_addf(out, " (%s: %s)", lang == LANG_NL ? "zekerheid" : "confidence",
			     check_conf_name(f->conf));
	if (r == 0)
		r = buf_addch(out, '\n');
	if (r == 0 && f->evidence && f->evidence[0]) {
		size_t n = strlen(f->evidence);

		r = buf_addf(out, "  %s: %.*s%s\n", lang == LANG_NL ? "bewijs" : "evidence",
			     (int)(n > 160 ? 160 : n), f->evidence, n > 160 ? "..." : "");
	}
	if (r == 0 && d)
		r = buf_addf(out, "  %s: %s\n", lang == LANG_NL ? "tip" : "what to do",
			     check_tip(d, lang));
	return r;
}

int scan_report_text(const struct scan_result *res, enum check_lang lang, struct buf *out)
{
	char started[TIME_RFC3339_LEN] = "?";
	size_t counts[5], i;
	size_t start = out->len;
	int r;

	count_sev(res, counts);
	if (time_rfc3339(res->started, started) != 0)
		str_lcpy(started, "?", sizeof(started));
	r = buf_addf(out, "wachter %s: %s (%s, %ld s)\n", lang == LANG_NL ? "scan van" : "scan of",
		     res->target, started, (long)(res->finished - res->started));
	if (r == 0 && !res->complete)
		r = buf_adds(out, lang == LANG_NL ? "LET OP: de scan is niet afgemaakt.\n"
						  : "NOTE: the scan did not complete.\n");
	for (i = 0; i < res->nscores && r == 0; i++)
		r = buf_addf(out, "score %s: %d\n", res->scores[i].category,
			     res->scores[i].percent);
	if (r == 0)
		r = text_services(res, lang, out);
	if (r == 0)
		r = buf_addf(out, "\n%s: %zu critical, %zu high, %zu medium, %zu low, %zu info\n",
			     lang == LANG_NL ? "Bevindingen" : "Findings", counts[SEV_CRITICAL],
			     counts[SEV_HIGH], counts[SEV_MEDIUM], counts[SEV_LOW],
			     counts[SEV_INFO]);
	for (i = 0; i < res->findings.n && r == 0; i++)
		r = text_finding(&res->findings.v[i], lang, out);
	if (r)
		buf_truncate(out, start);
	return r;
}

/* json_set: add key with a new reference; any NULL value is an error. */
static int json_set(json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return ERR_NOMEM;
	return json_object_set_new(obj, key, v) == 0 ? 0 : ERR_NOMEM;
}

static int json_str(json_t *obj, const char *key, const char *s)
{
	/* Every string we emit is printable ASCII or our own UTF-8 text; a
	 * failed conversion means invalid UTF-8 slipped through: report it. */
	json_t *v = json_string(s ? s : "");

	return v ? json_set(obj, key, v) : ERR_INVAL;
}

static json_t *json_services(const struct scan_host *h)
{
	json_t *arr = json_array();
	size_t k;

	for (k = 0; arr && k < h->nsvc; k++) {
		const struct scan_service *s = &h->svc[k];
		json_t *o = json_object();

		if (!o || json_set(o, "port", json_integer(s->port)) ||
		    json_str(o, "service", s->service) || json_str(o, "product", s->product) ||
		    json_str(o, "version", s->version) || json_str(o, "cpe", s->cpe) ||
		    json_str(o, "extra", s->extra) || json_set(o, "tls", json_boolean(s->tls)) ||
		    json_array_append_new(arr, o)) {
			json_decref(o);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *json_scores(const struct scan_host *h)
{
	json_t *o = json_object();
	size_t k;

	for (k = 0; o && k < h->nscores; k++) {
		json_t *sc = json_object();

		if (!sc || json_set(sc, "percent", json_integer(h->scores[k].percent)) ||
		    (h->scores[k].grade[0] && json_str(sc, "grade", h->scores[k].grade)) ||
		    json_set(o, h->scores[k].category, sc)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *json_finding(const struct finding *f, enum check_lang lang)
{
	const struct check_def *d = check_find(f->check_id);
	struct buf aud = BUF_INIT;
	json_t *o = json_object(), *audv = json_array();
	int r = (!o || !audv) ? ERR_NOMEM : 0;
	const char *p;

	if (r == 0 && d && check_aud_names(d->audience, &aud) == 0) {
		for (p = aud.ptr; *p && r == 0;) {
			size_t n = strcspn(p, ",");

			r = json_array_append_new(audv, json_stringn(p, n)) ? ERR_NOMEM : 0;
			p += n + (p[n] == ',');
		}
	}
	if (r == 0)
		r = json_str(o, "id", f->check_id);
	if (r == 0)
		r = json_str(o, "severity", check_sev_name(f->sev));
	if (r == 0)
		r = json_str(o, "confidence", check_conf_name(f->conf));
	if (r == 0) {
		r = json_set(o, "audience", audv);
		audv = NULL;
	}
	if (r == 0)
		r = json_str(o, "title", d ? check_title(d, lang) : "");
	if (r == 0)
		r = json_str(o, "tip", d ? check_tip(d, lang) : "");
	if (r == 0)
		r = json_str(o, "target", f->target);
	if (r == 0)
		r = json_set(o, "port", f->port >= 0 ? json_integer(f->port) : json_null());
	if (r == 0)
		r = json_str(o, "detail", f->detail);
	if (r == 0)
		r = json_str(o, "evidence", f->evidence);
	buf_release(&aud);
	json_decref(audv);
	if (r) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int json_summary(json_t *doc, const struct scan_result *res)
{
	size_t counts[5], i;
	json_t *s = json_object();

	if (!s)
		return ERR_NOMEM;
	count_sev(res, counts);
	for (i = 0; i < 5; i++) {
		if (json_set(s, check_sev_name((enum check_sev)i),
			     json_integer((json_int_t)counts[i]))) {
			json_decref(s);
			return ERR_NOMEM;
		}
	}
	return json_set(doc, "summary", s);
}

int scan_report_json(const struct scan_result *res, enum check_lang lang, struct buf *out)
{
	char started[TIME_RFC3339_LEN], finished[TIME_RFC3339_LEN];
	json_t *doc = json_object(), *hosts = json_array(), *fs = json_array();
	char *text = NULL;
	size_t i;
	int r = (!doc || !hosts || !fs) ? ERR_NOMEM : 0;

	if (r == 0)
		r = time_rfc3339(res->started, started);
	if (r == 0)
		r = time_rfc3339(res->finished, finished);
	for (i = 0; i < res->nhosts && r == 0; i++) {
		const struct scan_host *h = &res->hosts[i];
		json_t *o = json_object();

		if (!o || json_str(o, "name", h->name) || json_str(o, "address", h->addr) ||
		    json_set(o, "answered", json_boolean(h->answered)) ||
		    json_set(o, "services", json_services(h)) ||
		    json_set(o, "scores", json_scores(h)) || json_array_append_new(hosts, o)) {
			json_decref(o);
			r = ERR_NOMEM;
		}
	}
	for (i = 0; i < res->findings.n && r == 0; i++)
		if (json_array_append_new(fs, json_finding(&res->findings.v[i], lang)))
			r = ERR_NOMEM;
	if (r == 0)
		r = json_str(doc, "schema", SCAN_JSON_SCHEMA);
	if (r == 0)
		r = json_str(doc, "target", res->target);
	if (r == 0)
		r = json_str(doc, "started", started);
	if (r == 0)
		r = json_str(doc, "finished", finished);
	if (r == 0)
		r = json_set(doc, "complete", json_boolean(res->complete));
	if (r == 0)
		r = json_set(doc, "domain", json_boolean(res->domain));
	if (r == 0) {
		struct scan_host tmp = {0};

		/* The domain's own scores, in the shape of a host's. */
		memcpy(tmp.scores, res->scores, sizeof(tmp.scores));
		tmp.nscores = res->nscores;
		r = json_set(doc, "scores", json_scores(&tmp));
	}
	if (r == 0)
		r = json_set(doc, "ports_scanned", json_integer((json_int_t)res->ports_scanned));
	if (r == 0)
		r = json_str(doc, "lang", lang == LANG_NL ? "nl" : "en");
	if (r == 0) {
		r = json_set(doc, "hosts", hosts);
		hosts = NULL;
	}
	if (r == 0) {
		r = json_set(doc, "findings", fs);
		fs = NULL;
	}
	if (r == 0)
		r = json_summary(doc, res);
	if (r == 0) {
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		r = text ? buf_adds(out, text) : ERR_NOMEM;
		if (r == 0)
			r = buf_addch(out, '\n');
	}
	free(text);
	json_decref(hosts);
	json_decref(fs);
	json_decref(doc);
	return r;
}

int scan_findings_add(struct store *st, int64_t scan_id, const struct findings *fl)
{
	size_t i;
	int r = 0;

	for (i = 0; i < fl->n && r == 0; i++) {
		const struct finding *f = &fl->v[i];
		const struct check_def *d = check_find(f->check_id);
		struct buf title = BUF_INIT;

		r = buf_addf(&title, "%s%s%s", d ? d->title_en : f->check_id, f->detail ? ": " : "",
			     f->detail ? f->detail : "");
		if (r == 0)
			r = store_finding_add(st, scan_id, f->check_id, (int)f->sev, (int)f->conf,
					      f->target, f->port, title.ptr, f->evidence);
		buf_release(&title);
	}
	return r;
}

int scan_save(struct store *st, const struct scan_result *res, int64_t *scan_id)
{
	int64_t id;
	int r;

	r = store_begin(st);
	if (r)
		return r;
	r = store_scan_save(st, res->target, res->started, res->finished,
			    res->complete ? "done" : "incomplete", &id);
	if (r == 0)
		r = scan_findings_add(st, id, &res->findings);
	if (r) {
		store_rollback(st);
		return r;
	}
	r = store_commit(st);
	if (r == 0)
		*scan_id = id;
	return r;
}
