/*
 * rules.c: the judging half of src/web. Each rule looks at the gathered
 * input (struct web_input) and appends one Observatory-style result with
 * its score modifier and, when the rule fails or warns, the check id and
 * severity of the finding (docs/web-checks.md, docs/scoring.md).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

#define SIX_MONTHS 15768000ULL
#define ONE_YEAR 31536000ULL

int web_result_add(struct web_report *rep, const char *test, const char *check_id, int mod, int sev,
		   const char *evidence, const char *fmt, ...)
{
	struct web_result *r;
	va_list ap;
	char *p;

	if (rep->n_res >= WEB_MAX_RESULTS)
		return ERR_TOO_BIG;
	r = &rep->res[rep->n_res++];
	memset(r, 0, sizeof(*r));
	r->test = test;
	r->check_id = check_id;
	r->mod = mod;
	r->sev = check_id ? sev : -1;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	/* Details quote header values: keep them one printable line. */
	for (p = r->detail; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
	if (evidence) {
		struct buf b;

		buf_init(&b, sizeof(r->evidence) - 1);
		if (buf_add_printable(&b, evidence, strnlen(evidence, sizeof(r->evidence) / 4)) ==
		    0)
			str_lcpy(r->evidence, b.ptr, sizeof(r->evidence));
		buf_release(&b);
	}
	return 0;
}

const char *web_grade(int score)
{
	static const struct {
		int min;
		const char *g;
	} chart[] = {{100, "A+"}, {90, "A"}, {85, "A-"}, {80, "B+"}, {70, "B"}, {65, "B-"},
		     {60, "C+"},  {50, "C"}, {45, "C-"}, {40, "D+"}, {30, "D"}, {25, "D-"}};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(chart); i++) {
		if (score >= chart[i].min)
			return chart[i].g;
	}
	return "F";
}

void web_score(struct web_report *rep)
{
	int score = 100, bonus = 0;
	size_t i;

	for (i = 0; i < rep->n_res; i++) {
		if (rep->res[i].mod < 0)
			score += rep->res[i].mod;
		else
			bonus += rep->res[i].mod;
	}
	/* Observatory: bonuses count only for a site that is already >= 90. */
	if (score >= 90)
		score += bonus;
	if (score < 0)
		score = 0;
	rep->score = score;
	str_lcpy(rep->grade, web_grade(score), sizeof(rep->grade));
}

/* ------------------------------------------------- internet.nl categories */

/* Which check (subtest) and category an Observatory test belongs to. */
static const struct {
	const char *prefix;
	const char *check;
	enum web_category cat;
} subtests[] = {
    {"redirection-", "TLS-02", WEB_CAT_HTTPS},
    {"hsts-", "TLS-03", WEB_CAT_HTTPS},
    {"csp-", "HDR-01", WEB_CAT_HEADERS},
    {"x-frame-options-", "HDR-02", WEB_CAT_HEADERS},
    {"x-content-type-options-", "HDR-03", WEB_CAT_HEADERS},
    {"referrer-policy-", "HDR-04", WEB_CAT_HEADERS},
    {"cookies-", "HDR-05", WEB_CAT_HEADERS},
    {"cross-origin-resource-sharing-", "HDR-06", WEB_CAT_HEADERS},
    {"sri-", "HDR-07", WEB_CAT_HEADERS},
    {"security-txt", "HDR-09", WEB_CAT_EXPOSURE},
};

/* Checks of the exposure category that pass when they produced nothing. */
static const char *const exposure_checks[] = {"INF-01", "INF-02", "EXP-01", "CMS-01", "CMS-02"};

const char *web_category_name(enum web_category c)
{
	static const char *const names[WEB_CAT_COUNT] = {"https", "headers", "exposure"};

	return (unsigned)c < WEB_CAT_COUNT ? names[c] : "?";
}

static int sev_points(int sev)
{
	if (sev < 0 || sev == SEV_INFO)
		return 10;
	if (sev == SEV_LOW)
		return 5;
	return sev == SEV_MEDIUM ? 2 : 0;
}

/* The worst severity among rep's findings of check (-1 none); *seen = 1
 * when some result belongs to check (even a pass). */
static int worst_of(const struct web_report *rep, const char *check, int *seen)
{
	size_t i, k;
	int worst = -1;

	*seen = 0;
	for (i = 0; i < rep->n_res; i++) {
		const struct web_result *r = &rep->res[i];
		int mine = r->check_id && strcmp(r->check_id, check) == 0;

		for (k = 0; !mine && k < ARRAY_SIZE(subtests); k++)
			mine =
			    strcmp(subtests[k].check, check) == 0 &&
			    strncmp(r->test, subtests[k].prefix, strlen(subtests[k].prefix)) == 0;
		if (!mine)
			continue;
		*seen = 1;
		if (r->sev > worst)
			worst = r->sev;
	}
	return worst;
}

static void cat_add(struct web_report *rep, enum web_category c, int sev)
{
	rep->cat[c].points += sev_points(sev);
	rep->cat[c].max += 10;
}

void web_categories(struct web_report *rep)
{
	size_t i, c, n = 0;
	int seen, sum = 0;

	memset(rep->cat, 0, sizeof(rep->cat));
	for (i = 0; i < ARRAY_SIZE(subtests); i++) {
		int w = worst_of(rep, subtests[i].check, &seen);

		if (seen && (i == 0 || strcmp(subtests[i].check, subtests[i - 1].check) != 0))
			cat_add(rep, subtests[i].cat, w);
	}
	for (i = 0; i < ARRAY_SIZE(exposure_checks); i++)
		cat_add(rep, WEB_CAT_EXPOSURE, worst_of(rep, exposure_checks[i], &seen));
	for (c = 0; c < WEB_CAT_COUNT; c++) {
		struct web_cat_score *s = &rep->cat[c];

		s->percent = s->max ? (s->points * 100 + s->max / 2) / s->max : -1;
		if (s->percent >= 0) {
			sum += s->percent;
			n++;
		}
	}
	rep->total = n ? (int)((sum + (int)n / 2) / (int)n) : -1;
}

/* ----------------------------------------------------------------- URLs */

static int url_is_https(const char *url)
{
	return url && strncasecmp(url, "https://", 8) == 0;
}

/* The host of an absolute URL, lower-cased, without user info or port. */
static void url_host(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url ? url : "", "://"), *e, *at;
	size_t n, i;

	out[0] = '\0';
	if (!p)
		return;
	p += 3;
	e = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(e - p));
	if (at)
		p = at + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(e - p));

		if (rb) { /* an IPv6 literal: the address without brackets */
			p++;
			e = rb;
		}
	} else {
		const char *colon = memchr(p, ':', (size_t)(e - p));

		if (colon)
			e = colon;
	}
	n = (size_t)(e - p) < outsz - 1 ? (size_t)(e - p) : outsz - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
	out[n] = '\0';
}

/* ------------------------------------------------------------- TLS-02 */

int web_rule_redirect(const struct web_input *in, struct web_report *rep)
{
	const struct web_hop *h0 = in->n_hops ? &in->hops[0] : NULL, *last;
	char host[256];
	size_t i;

	if (!in->http_reachable)
		return web_result_add(rep, "redirection-not-needed-no-http", NULL, 0, -1, NULL,
				      "no HTTP listener");
	if (!h0 || h0->status < 300 || h0->status > 399 || !h0->location)
		return web_result_add(
		    rep, "redirection-missing", "TLS-02", -20, SEV_HIGH, h0 ? h0->url : NULL,
		    "http:// answers %ld without redirecting to https://", h0 ? h0->status : 0);
	if (in->chain_loop)
		return web_result_add(rep, "redirection-not-to-https", "TLS-02", -20, SEV_HIGH,
				      h0->location, "more than %d redirects (loop?)", WEB_MAX_HOPS);
	last = &in->hops[in->n_hops - 1];
	for (i = 1; i < in->n_hops; i++) {
		if (in->hops[i].cert_ok == 0)
			return web_result_add(
			    rep, "redirection-invalid-cert", "TLS-02", -20, SEV_HIGH,
			    in->hops[i].url,
			    "redirect to a site whose certificate does not verify");
	}
	if (!url_is_https(last->url) || last->status == 0)
		return web_result_add(rep, "redirection-not-to-https", "TLS-02", -20, SEV_HIGH,
				      last->url, "redirects end at %s%s", last->url,
				      last->status == 0 ? " (no answer)" : "");
	if (in->n_hops >= 2 && !url_is_https(in->hops[1].url))
		return web_result_add(rep, "redirection-not-to-https-on-initial-redirection",
				      "TLS-02", -10, SEV_MEDIUM, h0->location,
				      "first redirect goes to %s, not to https://",
				      in->hops[1].url);
	url_host(in->hops[1].url, host, sizeof(host));
	if (strcasecmp(host, in->host) != 0)
		return web_result_add(rep, "redirection-off-host-from-http", "TLS-02", -5, SEV_LOW,
				      h0->location,
				      "first redirect goes to another host (%s); HSTS is not set "
				      "for %s",
				      host, in->host);
	return web_result_add(rep, "redirection-to-https", NULL, 0, -1, h0->location,
			      "http:// redirects to https:// on the same host");
}

/* ------------------------------------------------------------- TLS-03 */

/* HSTS as a browser takes it from the first https response (1 = valid). */
static int hsts_of(const struct web_input *in, struct web_hsts *h)
{
	const char *v;

	if (!in->https_reachable || !in->first)
		return 0;
	v = web_headers_get(in->first, "strict-transport-security", NULL);
	return v && web_hsts_parse(v, strlen(v), h) == 0 && h->max_age > 0;
}

int web_rule_hsts(const struct web_input *in, struct web_report *rep)
{
	struct web_hsts h;
	const char *v;
	size_t n = 0;

	if (!in->https_reachable || !in->first)
		return web_result_add(rep, "hsts-not-implemented-no-https", NULL, -20, -1, NULL,
				      "no HTTPS");
	v = web_headers_get(in->first, "strict-transport-security", &n);
	if (!v)
		return web_result_add(rep, "hsts-not-implemented", "TLS-03", -20, SEV_MEDIUM, NULL,
				      "no Strict-Transport-Security header");
	if (web_hsts_parse(v, strlen(v), &h))
		return web_result_add(rep, "hsts-header-invalid", "TLS-03", -20, SEV_MEDIUM, v,
				      "Strict-Transport-Security is invalid (browsers ignore it)");
	if (h.max_age == 0)
		return web_result_add(rep, "hsts-not-implemented", "TLS-03", -20, SEV_MEDIUM, v,
				      "Strict-Transport-Security max-age=0 switches HSTS off");
	if (h.max_age < SIX_MONTHS)
		return web_result_add(
		    rep, "hsts-implemented-max-age-less-than-six-months", "TLS-03", -10, SEV_MEDIUM,
		    v, "HSTS max-age %llu is less than six months", (unsigned long long)h.max_age);
	if (h.max_age < ONE_YEAR)
		return web_result_add(rep, "hsts-implemented-max-age-at-least-six-months", "TLS-03",
				      0, SEV_LOW, v, "HSTS max-age %llu is less than one year",
				      (unsigned long long)h.max_age);
	return web_result_add(rep, "hsts-implemented-max-age-at-least-six-months", NULL, 0, -1, v,
			      "HSTS max-age %llu%s%s%s", (unsigned long long)h.max_age,
			      h.include_subdomains ? "; includeSubDomains" : "",
			      h.preload ? "; preload" : "", n > 1 ? " (header sent twice)" : "");
}

/* ------------------------------------------------------------- HDR-01 */

/* The enforced CSP of the page: 1 parsed, 0 absent, -1 invalid. */
static int page_csp(const struct web_input *in, struct csp *c, struct buf *v)
{
	if (!in->page || web_headers_join(in->page, "content-security-policy", v) || !v->len)
		return 0;
	return web_csp_parse(v->ptr, v->len, c) == 0 ? 1 : -1;
}

static int csp_result(struct web_report *rep, const struct csp_eval *e, const char *v)
{
	if (e->insecure_script)
		return web_result_add(rep, "csp-implemented-with-insecure-scheme", "HDR-01", -20,
				      SEV_MEDIUM, v,
				      "CSP lets scripts load from data:, * or plain http sources");
	if (e->unsafe_inline_script)
		return web_result_add(rep, "csp-implemented-with-unsafe-inline", "HDR-01", -20,
				      SEV_MEDIUM, v, "CSP allows 'unsafe-inline' scripts");
	if (e->unsafe_eval)
		return web_result_add(rep, "csp-implemented-with-unsafe-eval", "HDR-01", -10,
				      SEV_LOW, v, "CSP allows 'unsafe-eval'");
	if (e->insecure_passive)
		return web_result_add(
		    rep, "csp-implemented-with-insecure-scheme-in-passive-content-only", "HDR-01",
		    -10, SEV_LOW, v, "CSP allows images or media over plain http");
	if (e->unsafe_inline_style)
		return web_result_add(rep, "csp-implemented-with-unsafe-inline-in-style-src-only",
				      NULL, 0, -1, v, "CSP allows inline styles only");
	if (e->default_none && e->form_action)
		return web_result_add(rep, "csp-implemented-with-no-unsafe-default-src-none", NULL,
				      10, -1, v, "CSP with default-src 'none' and nothing unsafe");
	return web_result_add(rep, "csp-implemented-with-no-unsafe", NULL, 5, -1, v,
			      "CSP with nothing unsafe");
}

int web_rule_csp(const struct web_input *in, struct web_report *rep)
{
	struct buf v = BUF_INIT;
	struct csp_eval e;
	struct csp *c = calloc(1, sizeof(*c));
	int r, st;

	if (!c)
		return ERR_NOMEM;
	st = page_csp(in, c, &v);
	if (st == 0) {
		int ro = in->page &&
			 web_headers_get(in->page, "content-security-policy-report-only", NULL);

		r = web_result_add(rep, "csp-not-implemented", "HDR-01", -25, SEV_MEDIUM, NULL,
				   ro ? "only Content-Security-Policy-Report-Only (not enforced)"
				      : "no Content-Security-Policy header");
	} else if (st < 0) {
		r = web_result_add(rep, "csp-header-invalid", "HDR-01", -25, SEV_MEDIUM, v.ptr,
				   "Content-Security-Policy has no valid directive");
	} else {
		web_csp_eval(c, &e);
		r = csp_result(rep, &e, v.ptr);
	}
	buf_release(&v);
	free(c);
	return r;
}

/* ------------------------------------------------------------- HDR-02 */

int web_rule_framing(const struct web_input *in, struct web_report *rep)
{
	struct buf v = BUF_INIT;
	struct csp *c = calloc(1, sizeof(*c));
	struct csp_eval e;
	const char *x = in->page ? web_headers_get(in->page, "x-frame-options", NULL) : NULL;
	int r, fa = 0;

	if (!c)
		return ERR_NOMEM;
	if (page_csp(in, c, &v) > 0) {
		web_csp_eval(c, &e);
		fa = e.frame_ancestors;
	}
	if (fa)
		r = web_result_add(rep, "x-frame-options-implemented-via-csp", NULL, 5, -1, NULL,
				   "CSP frame-ancestors restricts framing");
	else if (x && (strcasecmp(x, "deny") == 0 || strcasecmp(x, "sameorigin") == 0))
		r = web_result_add(rep, "x-frame-options-sameorigin-or-deny", NULL, 0, -1, x,
				   "X-Frame-Options %s", x);
	else if (x && strncasecmp(x, "allow-from", 10) == 0)
		r = web_result_add(rep, "x-frame-options-allow-from-origin", "HDR-02", 0, SEV_LOW,
				   x, "X-Frame-Options ALLOW-FROM is ignored by current browsers");
	else if (x)
		r = web_result_add(rep, "x-frame-options-header-invalid", "HDR-02", -20, SEV_MEDIUM,
				   x, "X-Frame-Options value is invalid");
	else
		r = web_result_add(rep, "x-frame-options-not-implemented", "HDR-02", -20,
				   SEV_MEDIUM, NULL,
				   "neither X-Frame-Options nor CSP frame-ancestors");
	buf_release(&v);
	free(c);
	return r;
}

/* ------------------------------------------------------- HDR-03, HDR-04 */

int web_rule_xcto(const struct web_input *in, struct web_report *rep)
{
	const char *x = in->page ? web_headers_get(in->page, "x-content-type-options", NULL) : NULL;

	if (!x)
		return web_result_add(rep, "x-content-type-options-not-implemented", "HDR-03", -5,
				      SEV_LOW, NULL, "no X-Content-Type-Options header");
	if (strcasecmp(x, "nosniff") != 0)
		return web_result_add(rep, "x-content-type-options-header-invalid", "HDR-03", -5,
				      SEV_LOW, x, "X-Content-Type-Options is not nosniff");
	return web_result_add(rep, "x-content-type-options-nosniff", NULL, 0, -1, x, "nosniff");
}

enum rp_class { RP_NONE = 0, RP_PRIVATE, RP_STRICT, RP_UNSAFE };

static enum rp_class rp_token(const struct cursor *t)
{
	static const struct {
		const char *name;
		enum rp_class c;
	} tab[] = {
	    {"no-referrer", RP_PRIVATE},
	    {"same-origin", RP_PRIVATE},
	    {"strict-origin", RP_STRICT},
	    {"strict-origin-when-cross-origin", RP_STRICT},
	    {"no-referrer-when-downgrade", RP_UNSAFE},
	    {"origin", RP_UNSAFE},
	    {"origin-when-cross-origin", RP_UNSAFE},
	    {"unsafe-url", RP_UNSAFE},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tab); i++) {
		if (cursor_eq_ci(t, tab[i].name))
			return tab[i].c;
	}
	return RP_NONE;
}

int web_rule_referrer(const struct web_input *in, struct web_report *rep)
{
	const char *x = in->page ? web_headers_get(in->page, "referrer-policy", NULL) : NULL;
	enum rp_class cls = RP_NONE;
	struct cursor c, t;

	if (!x)
		return web_result_add(rep, "referrer-policy-not-implemented", "HDR-04", 0, SEV_INFO,
				      NULL, "no Referrer-Policy header (browser default applies)");
	/* A list: browsers use the last token they understand. */
	cursor_init(&c, x, strlen(x));
	while (c.len) {
		if (cursor_until(&c, ',', &t)) {
			t = c;
			c.len = 0;
		} else {
			web_adv(&c, 1);
		}
		cursor_trim(&t);
		if (rp_token(&t) != RP_NONE)
			cls = rp_token(&t);
	}
	switch (cls) {
	case RP_PRIVATE:
		return web_result_add(rep, "referrer-policy-private", NULL, 5, -1, x, "%s", x);
	case RP_STRICT:
		return web_result_add(rep, "referrer-policy-private", "HDR-04", 5, SEV_INFO, x,
				      "Referrer-Policy %s sends the origin cross-site; "
				      "same-origin is stricter",
				      x);
	case RP_UNSAFE:
		return web_result_add(rep, "referrer-policy-unsafe", "HDR-04", -5, SEV_LOW, x,
				      "Referrer-Policy %s leaks URLs to other sites", x);
	case RP_NONE:
		break;
	}
	return web_result_add(rep, "referrer-policy-header-invalid", "HDR-04", -5, SEV_LOW, x,
			      "Referrer-Policy has no valid value");
}

/* ------------------------------------------------------------- HDR-05 */

struct cookie_verdict {
	const char *test;
	int mod;
	const char *why;
};

static struct cookie_verdict cookie_judge(const struct web_cookie *c, int hsts)
{
	struct cookie_verdict v = {"cookies-secure-with-httponly-sessions-and-samesite", 5, NULL};

	if (c->session && !c->secure) {
		if (hsts)
			return (struct cookie_verdict){
			    "cookies-session-without-secure-flag-but-protected-by-hsts", -10,
			    "session cookie without Secure (HSTS protects it)"};
		return (struct cookie_verdict){"cookies-session-without-secure-flag", -40,
					       "session cookie without Secure"};
	}
	if (c->session && !c->httponly)
		return (struct cookie_verdict){"cookies-session-without-httponly-flag", -30,
					       "session cookie without HttpOnly"};
	if (!c->secure) {
		if (hsts)
			return (struct cookie_verdict){
			    "cookies-without-secure-flag-but-protected-by-hsts", -5,
			    "cookie without Secure (HSTS protects it)"};
		return (struct cookie_verdict){"cookies-without-secure-flag", -20,
					       "cookie without Secure"};
	}
	if (c->samesite == COOKIE_SS_INVALID || (c->samesite == COOKIE_SS_NONE && !c->secure))
		return (struct cookie_verdict){"cookies-samesite-flag-invalid", -20,
					       "invalid SameSite"};
	if (c->anticsrf && c->samesite == COOKIE_SS_UNSET)
		return (struct cookie_verdict){"cookies-anticsrf-without-samesite-flag", -20,
					       "anti-CSRF cookie without SameSite"};
	if (c->samesite == COOKIE_SS_UNSET)
		return (struct cookie_verdict){"cookies-secure-with-httponly-sessions", 0, NULL};
	return v;
}

static int cookies_in(const struct web_headers *h, int hsts, struct cookie_verdict *worst,
		      struct buf *names, size_t *n)
{
	size_t i;
	int r = 0;

	for (i = 0; h && i < h->n && r == 0; i++) {
		struct web_cookie c;
		struct cookie_verdict v;

		if (strcasecmp(h->v[i].name, "set-cookie") != 0 ||
		    web_cookie_parse(h->v[i].value, strlen(h->v[i].value), &c) != 0)
			continue;
		(*n)++;
		v = cookie_judge(&c, hsts);
		if (v.mod < 0 && names->len < 160)
			r = buf_addf(names, "%s%.40s (%s)", names->len ? ", " : "", c.name, v.why);
		if (*n == 1 || v.mod < worst->mod)
			*worst = v;
	}
	return r;
}

int web_rule_cookies(const struct web_input *in, struct web_report *rep)
{
	struct cookie_verdict worst = {NULL, 0, NULL};
	struct web_hsts h;
	struct buf names;
	size_t n = 0;
	int hsts = hsts_of(in, &h) && h.max_age >= SIX_MONTHS, r, sev;

	buf_init(&names, 200);
	r = cookies_in(in->first, hsts, &worst, &names, &n);
	if (r == 0 && in->page != in->first)
		r = cookies_in(in->page, hsts, &worst, &names, &n);
	if (r == 0 && n == 0)
		r = web_result_add(rep, "cookies-not-found", NULL, 0, -1, NULL, "no cookies");
	else if (r == 0 && worst.mod >= 0)
		r = web_result_add(rep, worst.test, NULL, worst.mod, -1, NULL,
				   "%zu cookie(s), all with the right flags", n);
	else if (r == 0) {
		sev = worst.mod <= -30 ? SEV_HIGH : worst.mod <= -20 ? SEV_MEDIUM : SEV_LOW;
		r = web_result_add(rep, worst.test, "HDR-05", worst.mod, sev, NULL, "%s",
				   names.ptr);
	}
	buf_release(&names);
	return r;
}

/* ------------------------------------------------------------- HDR-06 */

int web_rule_cors(const struct web_input *in, struct web_report *rep)
{
	const char *acao =
	    in->cors ? web_headers_get(in->cors, "access-control-allow-origin", NULL) : NULL;
	const char *acac =
	    in->cors ? web_headers_get(in->cors, "access-control-allow-credentials", NULL) : NULL;
	int creds = acac && strcasecmp(acac, "true") == 0;

	if (!acao)
		return web_result_add(rep, "cross-origin-resource-sharing-not-implemented", NULL, 0,
				      -1, NULL, "no CORS headers");
	if (creds && in->cors_origin &&
	    (strcmp(acao, in->cors_origin) == 0 || strcasecmp(acao, "null") == 0))
		return web_result_add(
		    rep, "cross-origin-resource-sharing-implemented-with-universal-access",
		    "HDR-06", -50, SEV_HIGH, acao,
		    "Access-Control-Allow-Origin reflects %s with "
		    "Access-Control-Allow-Credentials: true",
		    in->cors_origin);
	return web_result_add(rep, "cross-origin-resource-sharing-implemented-with-public-access",
			      NULL, 0, -1, acao,
			      "Access-Control-Allow-Origin %s without credentials", acao);
}

/* ------------------------------------------------------------- HDR-07 */

struct sri_scan {
	const char *page_host;
	size_t n_scripts, n_ext, n_ext_sri, n_insecure, n_insecure_sri;
	struct buf bad; /* examples */
};

static int sri_tag(const struct html_tag *t, void *arg)
{
	struct sri_scan *s = arg;
	const char *src;
	size_t len;
	char host[256], url[300];
	int secure, same, sri;

	if (t->name_len != 6 || strncasecmp(t->name, "script", 6) != 0)
		return 0;
	src = web_html_attr(t, "src", &len);
	if (!src || len == 0)
		return 0;
	s->n_scripts++;
	snprintf(url, sizeof(url), "%.*s", (int)(len < 290 ? len : 290), src);
	sri = web_html_attr(t, "integrity", NULL) != NULL;
	if (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0) {
		url_host(url, host, sizeof(host));
		secure = url_is_https(url);
		same = secure && strcasecmp(host, s->page_host) == 0;
	} else if (strncmp(url, "//", 2) == 0) {
		secure = 0; /* protocol-relative: follows the page's scheme */
		same = 0;
	} else {
		return 0; /* relative: same origin as the page */
	}
	if (same)
		return 0;
	s->n_ext++;
	s->n_ext_sri += (size_t)sri;
	if (!secure) {
		s->n_insecure++;
		s->n_insecure_sri += (size_t)sri;
	}
	if ((!secure || !sri) && s->bad.len < 200)
		return buf_addf(&s->bad, "%s%.80s", s->bad.len ? " " : "", url) ? ERR_NOMEM : 0;
	return 0;
}

int web_rule_sri(const struct web_input *in, struct web_report *rep)
{
	struct sri_scan s;
	int r;

	if (!in->html || !in->html_is_html)
		return web_result_add(rep, "sri-not-implemented-response-not-html", NULL, 0, -1,
				      NULL, "the page is not HTML");
	memset(&s, 0, sizeof(s));
	s.page_host = in->host;
	buf_init(&s.bad, 300);
	r = web_html_walk(in->html, in->html_len, sri_tag, &s);
	if (r)
		;
	else if (s.n_scripts == 0)
		r = web_result_add(rep, "sri-not-implemented-but-no-scripts-loaded", NULL, 0, -1,
				   NULL, "no scripts loaded");
	else if (s.n_ext == 0)
		r = web_result_add(
		    rep, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", NULL, 0,
		    -1, NULL, "all %zu script(s) from the site itself", s.n_scripts);
	else if (s.n_insecure > s.n_insecure_sri)
		r = web_result_add(rep,
				   "sri-not-implemented-and-external-scripts-not-loaded-securely",
				   "HDR-07", -50, SEV_HIGH, s.bad.ptr,
				   "%zu script(s) over plain http or protocol-relative without "
				   "integrity",
				   s.n_insecure - s.n_insecure_sri);
	else if (s.n_insecure)
		r = web_result_add(rep, "sri-implemented-but-external-scripts-not-loaded-securely",
				   "HDR-07", -20, SEV_MEDIUM, s.bad.ptr,
				   "%zu script(s) with integrity but over plain http",
				   s.n_insecure);
	else if (s.n_ext_sri == s.n_ext)
		r = web_result_add(rep, "sri-implemented-and-external-scripts-loaded-securely",
				   NULL, 5, -1, NULL, "%zu external script(s), all with integrity",
				   s.n_ext);
	else
		r = web_result_add(rep, "sri-not-implemented-but-external-scripts-loaded-securely",
				   "HDR-07", -5, SEV_LOW, s.bad.ptr,
				   "%zu external script(s) over https without integrity",
				   s.n_ext - s.n_ext_sri);
	buf_release(&s.bad);
	return r;
}

/* ------------------------------------------------------------- HDR-08 */

/* The first token of v (before ';' or ','), trimmed, is one of set. */
static int token_in(const char *v, const char *const *set, size_t n)
{
	struct cursor c, t;
	size_t i;

	cursor_init(&c, v, strlen(v));
	t = c;
	if (cursor_until(&c, ';', &t) == 0)
		c = t;
	cursor_trim(&c);
	for (i = 0; i < n; i++) {
		if (cursor_eq_ci(&c, set[i]))
			return (int)i + 1;
	}
	return 0;
}

int web_rule_xorigin(const struct web_input *in, struct web_report *rep)
{
	static const char *const corp_v[] = {"same-origin", "same-site", "cross-origin"};
	static const char *const coop_v[] = {"same-origin", "same-origin-allow-popups",
					     "noopener-allow-popups", "unsafe-none"};
	static const char *const coep_v[] = {"require-corp", "credentialless", "unsafe-none"};
	const struct web_headers *h = in->page;
	const char *corp = h ? web_headers_get(h, "cross-origin-resource-policy", NULL) : NULL;
	const char *coop = h ? web_headers_get(h, "cross-origin-opener-policy", NULL) : NULL;
	const char *coep = h ? web_headers_get(h, "cross-origin-embedder-policy", NULL) : NULL;
	int c1 = corp ? token_in(corp, corp_v, 3) : -1, c2 = coop ? token_in(coop, coop_v, 4) : -1;
	int c3 = coep ? token_in(coep, coep_v, 3) : -1;

	if (c1 == 0 || c2 == 0 || c3 == 0)
		return web_result_add(rep, "cross-origin-isolation-header-invalid", "HDR-08", -5,
				      SEV_INFO,
				      c1 == 0	? corp
				      : c2 == 0 ? coop
						: coep,
				      "a Cross-Origin-*-Policy header has an invalid value");
	if (!corp && !coop && !coep)
		return web_result_add(rep, "cross-origin-isolation-not-implemented", "HDR-08", 0,
				      SEV_INFO, NULL, "no CORP, COOP or COEP header");
	if ((c1 == 1 || c1 == 2) && c2 == 1)
		return web_result_add(rep, "cross-origin-isolation-restrictive", NULL, 10, -1, NULL,
				      "CORP %s and COOP %s", corp, coop);
	return web_result_add(rep, "cross-origin-isolation-partial", NULL, 0, -1, NULL,
			      "cross-origin isolation headers present but not restrictive");
}

/* ------------------------------------------------------- INF-01, INF-02 */

static int run_is_version(const char *s, size_t len, size_t i)
{
	size_t j = i;
	int dot = 0;

	while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) {
		if (s[j] == '.' && j + 1 < len && s[j + 1] >= '0' && s[j + 1] <= '9')
			dot = 1;
		j++;
	}
	return dot || j == len || strchr(" ;,()", s[j]) != NULL;
}

int web_has_version(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			continue;
		if (i == 0 || strchr("/ vV(-", s[i - 1])) {
			if (run_is_version(s, len, i))
				return 1;
		}
		while (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
			i++;
	}
	return 0;
}

int web_rule_banners(const struct web_input *in, struct web_report *rep)
{
	static const char *const fw[] = {"x-powered-by", "x-aspnet-version", "x-aspnetmvc-version",
					 "x-generator"};
	const struct web_headers *h = in->page;
	const char *v;
	size_t i;
	int r;

	if (!h)
		return 0;
	v = web_headers_get(h, "server", NULL);
	if (v && web_has_version(v, strlen(v))) {
		r = web_result_add(rep, "server-version-disclosed", "INF-01", 0, SEV_LOW, v,
				   "Server: %.100s", v);
		if (r)
			return r;
	}
	for (i = 0; i < ARRAY_SIZE(fw); i++) {
		v = web_headers_get(h, fw[i], NULL);
		if (v && web_has_version(v, strlen(v)))
			return web_result_add(rep, "framework-version-disclosed", "INF-02", 0,
					      SEV_LOW, v, "%s: %.100s", fw[i], v);
	}
	return 0;
}

/* ------------------------------------------------------------- TLS-19 */

int web_rule_compression(const struct web_input *in, struct web_report *rep)
{
	const char *e = in->gzip_encoding;

	if (!e || !*e || strcasecmp(e, "identity") == 0)
		return 0;
	return web_result_add(rep, "http-compression-on-https", "TLS-19", 0, SEV_INFO, e,
			      "HTTPS page compressed with %s (BREACH: avoid on pages with secrets)",
			      e);
}

int web_rules_all(const struct web_input *in, struct web_report *rep)
{
	int (*const rules[])(const struct web_input *, struct web_report *) = {
	    web_rule_redirect, web_rule_hsts,	  web_rule_csp,	    web_rule_framing,
	    web_rule_xcto,     web_rule_referrer, web_rule_cookies, web_rule_cors,
	    web_rule_sri,      web_rule_xorigin,  web_rule_banners, web_rule_compression,
	};
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		r = rules[i](in, rep);
		if (r)
			return r;
	}
	web_score(rep);
	return 0;
}
