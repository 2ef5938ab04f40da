/*
 * scan.c: web_scan, the driver: follows the http:// redirect chain by
 * hand, fetches the https:// page, the CORS and compression probes,
 * security.txt, the exposed-file probes and the CMS probes, runs the rules
 * and turns the results into findings.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

#define PAGE_MAX (2u << 20)
#define PROBE_MAX 16384
#define URL_MAX 2048
#define CORS_ORIGIN "https://evil.example"

void web_report_init(struct web_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

void web_report_release(struct web_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n_hops; i++) {
		free(rep->hops[i].url);
		free(rep->hops[i].location);
	}
	free(rep->final_url);
	free(rep->cms);
	free(rep->cms_version);
	web_report_init(rep);
}

static int url_ok_char(unsigned char ch)
{
	return ch > 0x20 && ch < 0x7f;
}

/* loc starts with a scheme ("javascript:", "ftp:") */
static int has_scheme(const char *loc)
{
	size_t n = strspn(loc, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

	return n > 0 && loc[n] == ':';
}

int web_url_resolve(const char *base, const char *loc, struct buf *out)
{
	const char *p, *path, *q;
	size_t i, n = strlen(loc);
	int r;

	buf_reset(out);
	for (i = 0; i < n; i++) {
		if (!url_ok_char((unsigned char)loc[i]))
			return ERR_PARSE;
	}
	if (n == 0 || n > URL_MAX)
		return ERR_PARSE;
	if (strncasecmp(loc, "http://", 7) == 0 || strncasecmp(loc, "https://", 8) == 0)
		return buf_adds(out, loc);
	p = strstr(base, "://");
	if (!p || has_scheme(loc))
		return ERR_PARSE;
	path = p + 3 + strcspn(p + 3, "/?#");
	if (loc[0] == '/' && loc[1] == '/') { /* network-path reference */
		r = buf_add(out, base, (size_t)(p - base) + 1);
	} else if (loc[0] == '/') {
		r = buf_add(out, base, (size_t)(path - base));
	} else if (loc[0] == '?' || loc[0] == '#') { /* same path, new query/fragment */
		r = buf_add(out, base, strcspn(base, loc[0] == '?' ? "?#" : "#"));
		if (r == 0 && *path != '/' && loc[0] == '?')
			r = buf_addch(out, '/');
	} else if (*path != '/') { /* base has an empty path */
		r = buf_add(out, base, (size_t)(path - base));
		if (r == 0)
			r = buf_addch(out, '/');
	} else {
		/* Relative path: the base's directory (up to its last '/'). */
		q = path + strcspn(path, "?#");
		while (q > path && q[-1] != '/')
			q--;
		r = buf_add(out, base, (size_t)(q - base));
	}
	return r ? r : buf_adds(out, loc);
}

/* --------------------------------------------------------- the chains */

struct scan_state {
	struct web_ctx x;
	const struct web_opts *o;
	struct web_report *rep;
	struct logger *lg;
	char http_base[300], https_base[300];
	struct web_resp http_last; /* final answer of the http:// chain */
	struct web_resp first;	   /* first https:// answer */
	struct web_resp page;	   /* final https:// answer */
	struct web_resp cors, gz;
	int chain_loop, page_is_first;
	int http_err, https_err; /* why the first request failed */
	char origin[300];	 /* origin of the page judged, "https://host" */
};

static int is_redirect(const struct web_resp *r)
{
	return r->status >= 300 && r->status <= 399 && web_headers_get(&r->h, "location", NULL);
}

static int add_hop(struct web_report *rep, const char *url, const struct web_resp *r)
{
	struct web_hop *h = &rep->hops[rep->n_hops];
	const char *loc = web_headers_get(&r->h, "location", NULL);

	h->url = strdup(url);
	h->location = loc && r->status ? xstrndup(loc, strnlen(loc, URL_MAX)) : NULL;
	if (!h->url || (loc && r->status && !h->location)) {
		free(h->url);
		free(h->location);
		return ERR_NOMEM;
	}
	h->status = r->status;
	h->cert_ok = r->cert_ok;
	str_lcpy(h->err, r->err, sizeof(h->err));
	rep->n_hops++;
	return 0;
}

static int http_chain(struct scan_state *st)
{
	struct buf url = BUF_INIT, next = BUF_INIT;
	int r;

	r = buf_adds(&url, st->http_base);
	while (r == 0) {
		int fr;

		if (st->rep->n_hops > WEB_MAX_HOPS) {
			st->chain_loop = 1;
			break;
		}
		fr = web_fetch(&st->x, url.ptr, &(struct web_req){0}, &st->http_last);
		if (fr && st->rep->n_hops == 0) {
			st->http_err = fr;
			break; /* nothing (usable) on the http port */
		}
		st->rep->http_reachable = 1;
		r = add_hop(st->rep, url.ptr, &st->http_last);
		if (r || fr || !is_redirect(&st->http_last))
			break;
		if (web_url_resolve(url.ptr, web_headers_get(&st->http_last.h, "location", NULL),
				    &next))
			break;
		buf_reset(&url);
		r = buf_add(&url, next.ptr, next.len);
	}
	buf_release(&url);
	buf_release(&next);
	return r == ERR_NOMEM ? r : 0;
}

/* https://host/ and its redirects (any host, as a browser) to the page. */
static int https_chain(struct scan_state *st)
{
	struct buf url = BUF_INIT, next = BUF_INIT;
	int hops = 0, r;

	r = buf_adds(&url, st->https_base);
	if (r)
		goto out;
	st->https_err = web_fetch(&st->x, url.ptr, &(struct web_req){0}, &st->first);
	if (st->https_err)
		goto out; /* no (usable) https */
	st->rep->https_reachable = 1;
	st->rep->https_cert_ok = st->first.cert_ok == 1;
	r = buf_adds(&next, url.ptr);
	while (r == 0 && hops++ < WEB_MAX_HOPS) {
		struct web_resp *cur = hops == 1 ? &st->first : &st->page;

		if (!is_redirect(cur))
			break;
		if (web_url_resolve(url.ptr, web_headers_get(&cur->h, "location", NULL), &next))
			break;
		buf_reset(&url);
		r = buf_add(&url, next.ptr, next.len);
		if (r == 0 && web_fetch(&st->x, url.ptr, &(struct web_req){0}, &st->page))
			break;
	}
	/* Without a (working) redirect the first answer is the page. */
	st->page_is_first = st->page.status == 0;
	if (r == 0)
		st->rep->final_url = strdup(st->page_is_first ? st->https_base : url.ptr);
	if (r == 0 && !st->rep->final_url)
		r = ERR_NOMEM;
out:
	buf_release(&url);
	buf_release(&next);
	return r;
}

/* The origin ("scheme://host[:port]") of an absolute URL into out. */
static void url_origin(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://");
	size_t n = p ? (size_t)(p + 3 - url) + strcspn(p + 3, "/?#") : 0;

	snprintf(out, outsz, "%.*s", (int)n, url);
}

static int content_is_html(const struct web_resp *r)
{
	const char *ct = web_headers_get(&r->h, "content-type", NULL);
	size_t i;

	if (ct)
		return strcasestr(ct, "html") != NULL;
	for (i = 0; i < r->body.len && i < 512; i++) {
		if (strncasecmp(r->body.ptr + i, "<html", 5) == 0 ||
		    strncasecmp(r->body.ptr + i, "<!doctype html", 14) == 0)
			return 1;
	}
	return 0;
}

/* The response judged as the page. */
static const struct web_resp *page_resp(const struct scan_state *st)
{
	if (!st->rep->https_reachable)
		return &st->http_last;
	return st->page_is_first ? &st->first : &st->page;
}

static int run_rules(struct scan_state *st)
{
	const struct web_resp *page = page_resp(st);
	struct web_input in;

	memset(&in, 0, sizeof(in));
	in.host = st->o->host;
	in.http_reachable = st->rep->http_reachable;
	in.https_reachable = st->rep->https_reachable;
	in.hops = st->rep->hops;
	in.n_hops = st->rep->n_hops;
	in.chain_loop = st->chain_loop;
	if (st->rep->https_reachable) {
		in.first = &st->first.h;
		in.cors = st->cors.status ? &st->cors.h : NULL;
		in.cors_origin = CORS_ORIGIN;
		in.gzip_encoding =
		    st->gz.status ? web_headers_get(&st->gz.h, "content-encoding", NULL) : NULL;
	}
	in.page = &page->h;
	in.html_is_html = content_is_html(page);
	in.html = page->body.ptr;
	in.html_len = page->body.len;
	in.page_url = st->rep->final_url;
	st->rep->status = page->status;
	return web_rules_all(&in, st->rep);
}

static int probes(struct scan_state *st)
{
	const char *url = st->rep->final_url;
	struct web_req cors = {CORS_ORIGIN, 0}, gz = {NULL, 1};

	if (!st->rep->https_reachable || !url)
		return 0;
	/* A failed probe leaves status 0: the rules then see no answer. */
	if (web_fetch(&st->x, url, &cors, &st->cors))
		LOG_DEBUG(st->lg, "cors probe failed err=\"%s\"", st->cors.err);
	if (web_fetch(&st->x, url, &gz, &st->gz))
		LOG_DEBUG(st->lg, "compression probe failed err=\"%s\"", st->gz.err);
	return 0;
}

/* ----------------------------------------------------- findings output */

static int emit(const struct scan_state *st, struct findings *out)
{
	int hp = st->o->http_port ? st->o->http_port : 80;
	int sp = st->o->https_port ? st->o->https_port : 443;
	int port = st->rep->https_reachable ? sp : hp;
	size_t i;
	int r;

	for (i = 0; i < st->rep->n_res; i++) {
		const struct web_result *res = &st->rep->res[i];

		if (!res->check_id || res->sev < 0)
			continue;
		r = findings_add(out, res->check_id, res->sev, CONF_HIGH, st->o->host,
				 strcmp(res->check_id, "TLS-02") == 0 ? hp : port, res->detail,
				 res->evidence[0] ? res->evidence : NULL);
		if (r)
			return r;
	}
	return 0;
}

static void state_init(struct scan_state *st, const struct web_opts *o, struct web_report *rep,
		       struct logger *lg)
{
	int hp = o->http_port ? o->http_port : 80, sp = o->https_port ? o->https_port : 443;

	memset(st, 0, sizeof(*st));
	st->o = o;
	st->rep = rep;
	st->lg = lg;
	web_resp_init(&st->http_last, PAGE_MAX);
	web_resp_init(&st->first, PAGE_MAX);
	web_resp_init(&st->page, PAGE_MAX);
	web_resp_init(&st->cors, PROBE_MAX);
	web_resp_init(&st->gz, PROBE_MAX);
	const char *lb = strchr(o->host, ':') ? "[" : "", *rb = *lb ? "]" : "";

	if (hp == 80)
		snprintf(st->http_base, sizeof(st->http_base), "http://%s%s%s/", lb, o->host, rb);
	else
		snprintf(st->http_base, sizeof(st->http_base), "http://%s%s%s:%d/", lb, o->host, rb,
			 hp);
	if (sp == 443)
		snprintf(st->https_base, sizeof(st->https_base), "https://%s%s%s/", lb, o->host,
			 rb);
	else
		snprintf(st->https_base, sizeof(st->https_base), "https://%s%s%s:%d/", lb, o->host,
			 rb, sp);
}

static void state_release(struct scan_state *st)
{
	web_resp_release(&st->http_last);
	web_resp_release(&st->first);
	web_resp_release(&st->page);
	web_resp_release(&st->cors);
	web_resp_release(&st->gz);
	web_ctx_release(&st->x);
}

int web_scan(const struct web_opts *o, struct web_report *rep, struct findings *out,
	     struct logger *lg)
{
	struct scan_state st;
	int64_t t0 = time_now_ms();
	int r;

	if (!o || !o->host || !*o->host || strlen(o->host) > 253 || strpbrk(o->host, "/?#@ "))
		return ERR_INVAL;
	state_init(&st, o, rep, lg);
	r = web_ctx_init(&st.x, o, lg);
	if (r)
		goto out;
	r = http_chain(&st);
	if (r == 0)
		r = https_chain(&st);
	if (r)
		goto out;
	if (!rep->http_reachable && !rep->https_reachable) {
		/* Say why: a server that answered garbage beats "refused". */
		r = st.https_err != ERR_CONN ? st.https_err : st.http_err;
		if (r == ERR_CONN && st.http_err != ERR_CONN)
			r = st.http_err;
		if (r == 0)
			r = ERR_CONN;
		LOG_INFO(lg, "site unreachable host=%s http=\"%s\" https=\"%s\"", o->host,
			 st.http_last.err, st.first.err);
		goto out;
	}
	if (!rep->final_url && rep->n_hops) {
		rep->final_url = strdup(rep->hops[rep->n_hops - 1].url);
		if (!rep->final_url) {
			r = ERR_NOMEM;
			goto out;
		}
	}
	url_origin(rep->final_url ? rep->final_url : st.http_base, st.origin, sizeof(st.origin));
	r = probes(&st);
	if (r == 0)
		r = run_rules(&st);
	if (r == 0)
		r = web_site_probes(&st.x, o, st.origin, rep->final_url, page_resp(&st), rep, lg);
	if (r == 0) {
		web_categories(rep);
		r = emit(&st, out);
	}
	rep->requests = st.x.requests;
	rep->elapsed_ms = time_now_ms() - t0;
out:
	state_release(&st);
	return r;
}
