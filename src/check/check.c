/*
 * check.c: the registry lookup and the findings list.
 */
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"

/* The registry: one line per area table. A new area is one line here. */
static const struct check_def *const registry[] = {
    check_defs_dns, check_defs_web,  check_defs_tls, check_defs_cert,
    check_defs_hdr, check_defs_mail, check_defs_svc, check_defs_scan,
};

/* Known vulnerabilities: one dynamic id per CVE, "VULN-CVE-...". */
static const struct check_def vuln_def = {
    "VULN",
    SEV_HIGH,
    AUD_IT,
    "Software with a known vulnerability",
    "Software met een bekende kwetsbaarheid",
    "Update this software to a fixed version; if no update exists, limit who can reach it.",
    "Werk deze software bij naar een versie zonder deze kwetsbaarheid; is er geen update, "
    "beperk dan wie erbij kan.",
};

const struct check_def *check_find(const char *id)
{
	size_t i;
	const struct check_def *d;

	if (strncmp(id, "VULN-", 5) == 0 && id[5])
		return &vuln_def;
	for (i = 0; i < ARRAY_SIZE(registry); i++)
		for (d = registry[i]; d->id; d++)
			if (strcmp(d->id, id) == 0)
				return d;
	return NULL;
}

void check_each(void (*fn)(const struct check_def *c, void *arg), void *arg)
{
	size_t i;
	const struct check_def *d;

	for (i = 0; i < ARRAY_SIZE(registry); i++)
		for (d = registry[i]; d->id; d++)
			fn(d, arg);
	fn(&vuln_def, arg);
}

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};
static const char *const conf_names[] = {"low", "medium", "high"};

const char *check_sev_name(enum check_sev s)
{
	return (unsigned)s < ARRAY_SIZE(sev_names) ? sev_names[s] : "?";
}

const char *check_conf_name(enum check_conf c)
{
	return (unsigned)c < ARRAY_SIZE(conf_names) ? conf_names[c] : "?";
}

int check_sev_parse(const char *s, enum check_sev *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sev_names); i++) {
		if (strcmp(s, sev_names[i]) == 0) {
			*out = (enum check_sev)i;
			return 0;
		}
	}
	return ERR_INVAL;
}

int check_aud_names(unsigned aud, struct buf *out)
{
	static const char *const names[] = {"it", "web", "management"};
	size_t i, start = out->len;
	int r = 0, first = 1;

	for (i = 0; i < ARRAY_SIZE(names) && r == 0; i++) {
		if (!(aud & (1u << i)))
			continue;
		r = buf_addf(out, "%s%s", first ? "" : ",", names[i]);
		first = 0;
	}
	if (r)
		buf_truncate(out, start);
	return r;
}

const char *check_title(const struct check_def *c, enum check_lang lang)
{
	return lang == LANG_NL ? c->title_nl : c->title_en;
}

const char *check_tip(const struct check_def *c, enum check_lang lang)
{
	return lang == LANG_NL ? c->tip_nl : c->tip_en;
}

void findings_init(struct findings *fl)
{
	fl->v = NULL;
	fl->n = 0;
	fl->cap = 0;
}

static void finding_release(struct finding *f)
{
	free(f->target);
	free(f->detail);
	free(f->evidence);
}

void findings_release(struct findings *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		finding_release(&fl->v[i]);
	free(fl->v);
	findings_init(fl);
}

static int findings_reserve(struct findings *fl, size_t extra)
{
	size_t ncap;
	struct finding *nv;

	if (fl->n + extra <= fl->cap)
		return 0;
	ncap = fl->cap ? fl->cap * 2 : 16;
	while (ncap < fl->n + extra)
		ncap *= 2;
	nv = realloc(fl->v, ncap * sizeof(*nv));
	if (!nv)
		return ERR_NOMEM;
	fl->v = nv;
	fl->cap = ncap;
	return 0;
}

#define EVIDENCE_MAX 4096

/*
 * Printable text for reports: bytes outside 0x20..0x7e become \xNN. A
 * backslash is kept as it is, so text a module already made printable
 * (svc's evidence) is not escaped twice.
 */
static int add_report_text(struct buf *b, const char *s, size_t len)
{
	size_t i, start = b->len;
	int r = 0;

	for (i = 0; i < len && r == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			r = buf_addch(b, (char)c);
		else
			r = buf_addf(b, "\\x%02x", c);
	}
	if (r)
		buf_truncate(b, start);
	return r;
}

int findings_add(struct findings *fl, const char *id, int sev, enum check_conf conf,
		 const char *target, int port, const char *detail, const char *evidence)
{
	const struct check_def *d = check_find(id);
	struct finding f = {.port = port, .conf = conf};
	struct buf ev = BUF_INIT;
	int r;

	if (!d)
		return ERR_NOTFOUND;
	if (strlen(id) >= sizeof(f.check_id))
		return ERR_TOO_BIG;
	str_lcpy(f.check_id, id, sizeof(f.check_id));
	f.sev = sev < 0 || sev > SEV_CRITICAL ? d->sev : (enum check_sev)sev;
	r = findings_reserve(fl, 1);
	if (r)
		return r;
	if (evidence) {
		size_t n = strlen(evidence);

		r = add_report_text(&ev, evidence, n > EVIDENCE_MAX ? EVIDENCE_MAX : n);
		if (r)
			goto out;
		f.evidence = buf_take(&ev);
	}
	f.target = xstrndup(target ? target : "", target ? strlen(target) : 0);
	if (detail) {
		size_t n = strlen(detail);

		/* Details quote banners now and then: keep them printable too. */
		r = add_report_text(&ev, detail, n > EVIDENCE_MAX ? EVIDENCE_MAX : n);
		if (r)
			goto out;
		f.detail = buf_take(&ev);
	}
	if (!f.target || (detail && !f.detail) || (evidence && !f.evidence)) {
		r = ERR_NOMEM;
		goto out;
	}
	fl->v[fl->n++] = f;
	return 0;
out:
	buf_release(&ev);
	finding_release(&f);
	return r;
}

int findings_addf(struct findings *fl, const char *id, int sev, enum check_conf conf,
		  const char *target, int port, const char *evidence, const char *fmt, ...)
{
	struct buf d = BUF_INIT;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(&d, fmt, ap);
	va_end(ap);
	if (r == 0)
		r = findings_add(fl, id, sev, conf, target, port, d.ptr, evidence);
	buf_release(&d);
	return r;
}

int findings_move(struct findings *dst, struct findings *src)
{
	int r = findings_reserve(dst, src->n);

	if (r)
		return r;
	if (src->n)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	findings_init(src);
	return 0;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int c;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	c = strcmp(a->check_id, b->check_id);
	if (c)
		return c;
	c = strcmp(a->target, b->target);
	if (c)
		return c;
	return (a->port > b->port) - (a->port < b->port);
}

void findings_sort(struct findings *fl)
{
	if (fl->n > 1)
		qsort(fl->v, fl->n, sizeof(*fl->v), finding_cmp);
}

size_t findings_count(const struct findings *fl, const char *id, int port)
{
	size_t i, n = 0;

	for (i = 0; i < fl->n; i++)
		if (strcmp(fl->v[i].check_id, id) == 0 && (port == -2 || fl->v[i].port == port))
			n++;
	return n;
}
