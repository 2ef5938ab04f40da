/*
 * report.c: the web report as JSON (for `wachter scan` and the tests) and
 * as text (for `wachter web`): reachability, the redirect chain, the
 * Observatory results with their modifiers, score and grade, the CMS.
 */
#include <string.h>

#include "web/web_int.h"

static int json_str(struct buf *b, const char *s)
{
	if (!s)
		return buf_adds(b, "null");
	return buf_add_json_str(b, s, strlen(s));
}

static int json_hops(const struct web_report *rep, struct buf *b)
{
	size_t i;
	int r = buf_adds(b, "[");

	for (i = 0; i < rep->n_hops && r == 0; i++) {
		const struct web_hop *h = &rep->hops[i];

		r = buf_addf(b, "%s{\"url\":", i ? "," : "");
		if (r == 0)
			r = json_str(b, h->url);
		if (r == 0)
			r = buf_addf(b, ",\"status\":%ld,\"location\":", h->status);
		if (r == 0)
			r = json_str(b, h->location);
		if (r == 0)
			r = buf_addf(b, ",\"cert_ok\":%d,\"error\":", h->cert_ok);
		if (r == 0)
			r = json_str(b, h->err[0] ? h->err : NULL);
		if (r == 0)
			r = buf_adds(b, "}");
	}
	return r ? r : buf_adds(b, "]");
}

static int json_results(const struct web_report *rep, struct buf *b)
{
	size_t i;
	int r = buf_adds(b, "[");

	for (i = 0; i < rep->n_res && r == 0; i++) {
		const struct web_result *x = &rep->res[i];

		r = buf_addf(b, "%s{\"test\":\"%s\",\"check\":", i ? "," : "", x->test);
		if (r == 0)
			r = json_str(b, x->check_id);
		if (r == 0)
			r = buf_addf(b, ",\"modifier\":%d,\"severity\":", x->mod);
		if (r == 0)
			r = json_str(b,
				     x->sev >= 0 ? check_sev_name((enum check_sev)x->sev) : NULL);
		if (r == 0)
			r = buf_adds(b, ",\"detail\":");
		if (r == 0)
			r = json_str(b, x->detail);
		if (r == 0)
			r = buf_adds(b, "}");
	}
	return r ? r : buf_adds(b, "]");
}

static int json_categories(const struct web_report *rep, struct buf *b)
{
	size_t c;
	int r = buf_adds(b, ",\"categories\":{");

	for (c = 0; c < WEB_CAT_COUNT && r == 0; c++)
		r = buf_addf(b, "%s\"%s\":{\"percent\":%d,\"points\":%d,\"max\":%d}", c ? "," : "",
			     web_category_name((enum web_category)c), rep->cat[c].percent,
			     rep->cat[c].points, rep->cat[c].max);
	return r ? r : buf_addf(b, "},\"total\":%d", rep->total);
}

int web_report_json(const struct web_report *rep, struct buf *out)
{
	int r;

	r = buf_addf(out,
		     "{\"http\":%s,\"https\":%s,\"https_cert_ok\":%s,\"status\":%ld,\"score\":%d,"
		     "\"grade\":\"%s\",\"final_url\":",
		     rep->http_reachable ? "true" : "false",
		     rep->https_reachable ? "true" : "false", rep->https_cert_ok ? "true" : "false",
		     rep->status, rep->score, rep->grade);
	if (r == 0)
		r = json_str(out, rep->final_url);
	if (r == 0)
		r = buf_adds(out, ",\"redirects\":");
	if (r == 0)
		r = json_hops(rep, out);
	if (r == 0)
		r = buf_adds(out, ",\"tests\":");
	if (r == 0)
		r = json_results(rep, out);
	if (r == 0)
		r = json_categories(rep, out);
	if (r == 0)
		r = buf_adds(out, ",\"cms\":");
	if (r == 0)
		r = json_str(out, rep->cms);
	if (r == 0)
		r = buf_adds(out, ",\"cms_version\":");
	if (r == 0)
		r = json_str(out, rep->cms_version);
	if (r == 0)
		r = buf_addf(out, ",\"requests\":%d,\"elapsed_ms\":%lld}", rep->requests,
			     (long long)rep->elapsed_ms);
	return r;
}

int web_report_text(const struct web_report *rep, struct buf *out)
{
	size_t i;
	int r;

	r = buf_addf(out, "http %s, https %s%s; page %ld %s\n", rep->http_reachable ? "yes" : "no",
		     rep->https_reachable ? "yes" : "no",
		     rep->https_reachable && !rep->https_cert_ok ? " (certificate not trusted)"
								 : "",
		     rep->status, rep->final_url ? rep->final_url : "");
	for (i = 0; i < rep->n_hops && r == 0; i++)
		r = buf_addf(out, "  hop %zu: %s -> %ld %s%s\n", i + 1, rep->hops[i].url,
			     rep->hops[i].status,
			     rep->hops[i].location ? rep->hops[i].location : "", rep->hops[i].err);
	if (r == 0)
		r = buf_addf(out, "observatory score %d, grade %s\n", rep->score, rep->grade);
	if (r == 0)
		r = buf_addf(out,
			     "categories: https %d%%, headers %d%%, exposure %d%%; total %d%%\n",
			     rep->cat[WEB_CAT_HTTPS].percent, rep->cat[WEB_CAT_HEADERS].percent,
			     rep->cat[WEB_CAT_EXPOSURE].percent, rep->total);
	for (i = 0; i < rep->n_res && r == 0; i++) {
		const struct web_result *x = &rep->res[i];

		r = buf_addf(out, "  %+4d %-60s %s\n", x->mod, x->test, x->detail);
	}
	if (r == 0 && rep->cms)
		r = buf_addf(out, "cms: %s %s\n", rep->cms,
			     rep->cms_version ? rep->cms_version : "(version not shown)");
	if (r == 0)
		r = buf_addf(out, "%d requests in %lld ms\n", rep->requests,
			     (long long)rep->elapsed_ms);
	return r;
}
