/*
 * test_web_rules.c: every Observatory modifier and web rule of
 * docs/web-checks.md, table driven: each row is a response (header block,
 * page HTML, CORS and compression probe answers) or a redirect chain, the
 * rule under test, and the Observatory test name, modifier, check id and
 * severity it must yield. Then the score/grade arithmetic and the JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "web/web_int.h"

typedef int (*rule_fn)(const struct web_input *, struct web_report *);

#define GOOD_HSTS "Strict-Transport-Security: max-age=31536000\r\n"

struct rule_case {
	const char *name;
	rule_fn rule;
	const char *hdrs; /* first = page response, after "HTTP/1.1 200 OK\r\n" */
	const char *html;
	const char *cors; /* CORS probe answer headers, NULL = no answer */
	const char *gzip; /* Content-Encoding of the compression probe */
	const char *test; /* expected Observatory test, NULL = no result */
	int mod;
	const char *check; /* expected check id or NULL */
	int sev;	   /* expected severity or -1 */
};

static const struct rule_case cases[] = {
    /* TLS-03: HSTS */
    {"hsts missing", web_rule_hsts, "", NULL, NULL, NULL, "hsts-not-implemented", -20, "TLS-03",
     SEV_MEDIUM},
    {"hsts invalid", web_rule_hsts, "Strict-Transport-Security: max-age=x\r\n", NULL, NULL, NULL,
     "hsts-header-invalid", -20, "TLS-03", SEV_MEDIUM},
    {"hsts zero", web_rule_hsts, "Strict-Transport-Security: max-age=0\r\n", NULL, NULL, NULL,
     "hsts-not-implemented", -20, "TLS-03", SEV_MEDIUM},
    {"hsts short", web_rule_hsts, "Strict-Transport-Security: max-age=86400\r\n", NULL, NULL, NULL,
     "hsts-implemented-max-age-less-than-six-months", -10, "TLS-03", SEV_MEDIUM},
    {"hsts half year", web_rule_hsts, "Strict-Transport-Security: max-age=15768000\r\n", NULL, NULL,
     NULL, "hsts-implemented-max-age-at-least-six-months", 0, "TLS-03", SEV_LOW},
    {"hsts year", web_rule_hsts, GOOD_HSTS, NULL, NULL, NULL,
     "hsts-implemented-max-age-at-least-six-months", 0, NULL, -1},
    {"hsts first of two wins", web_rule_hsts,
     "Strict-Transport-Security: max-age=63072000\r\nStrict-Transport-Security: max-age=0\r\n",
     NULL, NULL, NULL, "hsts-implemented-max-age-at-least-six-months", 0, NULL, -1},
    /* HDR-01: CSP */
    {"csp missing", web_rule_csp, "", NULL, NULL, NULL, "csp-not-implemented", -25, "HDR-01",
     SEV_MEDIUM},
    {"csp report-only", web_rule_csp, "Content-Security-Policy-Report-Only: default-src 'none'\r\n",
     NULL, NULL, NULL, "csp-not-implemented", -25, "HDR-01", SEV_MEDIUM},
    {"csp invalid", web_rule_csp, "Content-Security-Policy: ;;;\r\n", NULL, NULL, NULL,
     "csp-header-invalid", -25, "HDR-01", SEV_MEDIUM},
    {"csp unsafe-inline", web_rule_csp,
     "Content-Security-Policy: default-src 'self' 'unsafe-inline'\r\n", NULL, NULL, NULL,
     "csp-implemented-with-unsafe-inline", -20, "HDR-01", SEV_MEDIUM},
    {"csp data: script", web_rule_csp,
     "Content-Security-Policy: default-src 'self'; script-src 'self' data:\r\n", NULL, NULL, NULL,
     "csp-implemented-with-insecure-scheme", -20, "HDR-01", SEV_MEDIUM},
    {"csp http script", web_rule_csp,
     "Content-Security-Policy: default-src 'self'; script-src http://cdn.test\r\n", NULL, NULL,
     NULL, "csp-implemented-with-insecure-scheme", -20, "HDR-01", SEV_MEDIUM},
    {"csp unsafe-eval", web_rule_csp,
     "Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-eval'\r\n", NULL, NULL,
     NULL, "csp-implemented-with-unsafe-eval", -10, "HDR-01", SEV_LOW},
    {"csp passive http", web_rule_csp,
     "Content-Security-Policy: default-src 'self'; img-src http:\r\n", NULL, NULL, NULL,
     "csp-implemented-with-insecure-scheme-in-passive-content-only", -10, "HDR-01", SEV_LOW},
    {"csp style inline only", web_rule_csp,
     "Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'\r\n", NULL,
     NULL, NULL, "csp-implemented-with-unsafe-inline-in-style-src-only", 0, NULL, -1},
    {"csp no unsafe", web_rule_csp, "Content-Security-Policy: default-src 'self'\r\n", NULL, NULL,
     NULL, "csp-implemented-with-no-unsafe", 5, NULL, -1},
    {"csp none without form-action", web_rule_csp,
     "Content-Security-Policy: default-src 'none'; script-src 'self'\r\n", NULL, NULL, NULL,
     "csp-implemented-with-no-unsafe", 5, NULL, -1},
    {"csp default none", web_rule_csp,
     "Content-Security-Policy: default-src 'none'; script-src 'self'; form-action 'self'\r\n", NULL,
     NULL, NULL, "csp-implemented-with-no-unsafe-default-src-none", 10, NULL, -1},
    {"csp nonce neutralises unsafe-inline", web_rule_csp,
     "Content-Security-Policy: script-src 'nonce-abc' 'unsafe-inline' 'strict-dynamic'; "
     "object-src 'none'; style-src 'self'\r\n",
     NULL, NULL, NULL, "csp-implemented-with-no-unsafe", 5, NULL, -1},
    {"csp two headers, one strict", web_rule_csp,
     "Content-Security-Policy: default-src * 'unsafe-inline'\r\n"
     "Content-Security-Policy: default-src 'self'\r\n",
     NULL, NULL, NULL, "csp-implemented-with-no-unsafe", 5, NULL, -1},
    /* HDR-02: framing */
    {"xfo missing", web_rule_framing, "", NULL, NULL, NULL, "x-frame-options-not-implemented", -20,
     "HDR-02", SEV_MEDIUM},
    {"xfo deny", web_rule_framing, "X-Frame-Options: DENY\r\n", NULL, NULL, NULL,
     "x-frame-options-sameorigin-or-deny", 0, NULL, -1},
    {"xfo sameorigin", web_rule_framing, "X-Frame-Options: sameorigin\r\n", NULL, NULL, NULL,
     "x-frame-options-sameorigin-or-deny", 0, NULL, -1},
    {"xfo allow-from", web_rule_framing, "X-Frame-Options: ALLOW-FROM https://a.test\r\n", NULL,
     NULL, NULL, "x-frame-options-allow-from-origin", 0, "HDR-02", SEV_LOW},
    {"xfo invalid", web_rule_framing, "X-Frame-Options: maybe\r\n", NULL, NULL, NULL,
     "x-frame-options-header-invalid", -20, "HDR-02", SEV_MEDIUM},
    {"frame-ancestors", web_rule_framing,
     "Content-Security-Policy: frame-ancestors 'self'\r\nX-Frame-Options: maybe\r\n", NULL, NULL,
     NULL, "x-frame-options-implemented-via-csp", 5, NULL, -1},
    {"frame-ancestors *", web_rule_framing, "Content-Security-Policy: frame-ancestors *\r\n", NULL,
     NULL, NULL, "x-frame-options-not-implemented", -20, "HDR-02", SEV_MEDIUM},
    /* HDR-03 */
    {"xcto missing", web_rule_xcto, "", NULL, NULL, NULL, "x-content-type-options-not-implemented",
     -5, "HDR-03", SEV_LOW},
    {"xcto invalid", web_rule_xcto, "X-Content-Type-Options: sniff\r\n", NULL, NULL, NULL,
     "x-content-type-options-header-invalid", -5, "HDR-03", SEV_LOW},
    {"xcto nosniff", web_rule_xcto, "X-Content-Type-Options: NoSniff\r\n", NULL, NULL, NULL,
     "x-content-type-options-nosniff", 0, NULL, -1},
    /* HDR-04 */
    {"referrer missing", web_rule_referrer, "", NULL, NULL, NULL, "referrer-policy-not-implemented",
     0, "HDR-04", SEV_INFO},
    {"referrer same-origin", web_rule_referrer, "Referrer-Policy: same-origin\r\n", NULL, NULL,
     NULL, "referrer-policy-private", 5, NULL, -1},
    {"referrer no-referrer", web_rule_referrer, "Referrer-Policy: no-referrer\r\n", NULL, NULL,
     NULL, "referrer-policy-private", 5, NULL, -1},
    {"referrer strict-origin-wcs", web_rule_referrer,
     "Referrer-Policy: strict-origin-when-cross-origin\r\n", NULL, NULL, NULL,
     "referrer-policy-private", 5, "HDR-04", SEV_INFO},
    {"referrer unsafe-url", web_rule_referrer, "Referrer-Policy: unsafe-url\r\n", NULL, NULL, NULL,
     "referrer-policy-unsafe", -5, "HDR-04", SEV_LOW},
    {"referrer downgrade", web_rule_referrer, "Referrer-Policy: no-referrer-when-downgrade\r\n",
     NULL, NULL, NULL, "referrer-policy-unsafe", -5, "HDR-04", SEV_LOW},
    {"referrer list, last wins", web_rule_referrer,
     "Referrer-Policy: unsafe-url, bogus, same-origin\r\n", NULL, NULL, NULL,
     "referrer-policy-private", 5, NULL, -1},
    {"referrer invalid", web_rule_referrer, "Referrer-Policy: whatever\r\n", NULL, NULL, NULL,
     "referrer-policy-header-invalid", -5, "HDR-04", SEV_LOW},
    /* HDR-05: cookies */
    {"cookies none", web_rule_cookies, "", NULL, NULL, NULL, "cookies-not-found", 0, NULL, -1},
    {"cookies all good", web_rule_cookies,
     "Set-Cookie: sessionid=1; Secure; HttpOnly; SameSite=Lax\r\n"
     "Set-Cookie: theme=d; Secure; SameSite=Strict\r\n",
     NULL, NULL, NULL, "cookies-secure-with-httponly-sessions-and-samesite", 5, NULL, -1},
    {"cookies no samesite", web_rule_cookies, "Set-Cookie: sessionid=1; Secure; HttpOnly\r\n", NULL,
     NULL, NULL, "cookies-secure-with-httponly-sessions", 0, NULL, -1},
    {"session without secure", web_rule_cookies, "Set-Cookie: PHPSESSID=1; HttpOnly\r\n", NULL,
     NULL, NULL, "cookies-session-without-secure-flag", -40, "HDR-05", SEV_HIGH},
    {"session without secure, hsts", web_rule_cookies,
     GOOD_HSTS "Set-Cookie: PHPSESSID=1; HttpOnly\r\n", NULL, NULL, NULL,
     "cookies-session-without-secure-flag-but-protected-by-hsts", -10, "HDR-05", SEV_LOW},
    {"session without httponly", web_rule_cookies, "Set-Cookie: wp_login=1; Secure\r\n", NULL, NULL,
     NULL, "cookies-session-without-httponly-flag", -30, "HDR-05", SEV_HIGH},
    {"cookie without secure", web_rule_cookies, "Set-Cookie: theme=1; SameSite=Lax\r\n", NULL, NULL,
     NULL, "cookies-without-secure-flag", -20, "HDR-05", SEV_MEDIUM},
    {"cookie without secure, hsts", web_rule_cookies,
     GOOD_HSTS "Set-Cookie: theme=1; SameSite=Lax\r\n", NULL, NULL, NULL,
     "cookies-without-secure-flag-but-protected-by-hsts", -5, "HDR-05", SEV_LOW},
    {"cookie bad samesite", web_rule_cookies, "Set-Cookie: theme=1; Secure; SameSite=Always\r\n",
     NULL, NULL, NULL, "cookies-samesite-flag-invalid", -20, "HDR-05", SEV_MEDIUM},
    {"anticsrf without samesite", web_rule_cookies, "Set-Cookie: csrftoken=1; Secure\r\n", NULL,
     NULL, NULL, "cookies-anticsrf-without-samesite-flag", -20, "HDR-05", SEV_MEDIUM},
    {"worst cookie counts", web_rule_cookies,
     "Set-Cookie: theme=1; Secure; SameSite=Lax\r\nSet-Cookie: sess=1\r\n", NULL, NULL, NULL,
     "cookies-session-without-secure-flag", -40, "HDR-05", SEV_HIGH},
    {"unparsable cookie ignored", web_rule_cookies, "Set-Cookie: garbage\r\n", NULL, NULL, NULL,
     "cookies-not-found", 0, NULL, -1},
    /* HDR-06: CORS */
    {"cors none", web_rule_cors, "", NULL, "", NULL,
     "cross-origin-resource-sharing-not-implemented", 0, NULL, -1},
    {"cors public", web_rule_cors, "", NULL, "Access-Control-Allow-Origin: *\r\n", NULL,
     "cross-origin-resource-sharing-implemented-with-public-access", 0, NULL, -1},
    {"cors reflect no creds", web_rule_cors, "", NULL,
     "Access-Control-Allow-Origin: https://evil.example\r\n", NULL,
     "cross-origin-resource-sharing-implemented-with-public-access", 0, NULL, -1},
    {"cors reflect with creds", web_rule_cors, "", NULL,
     "Access-Control-Allow-Origin: https://evil.example\r\n"
     "Access-Control-Allow-Credentials: true\r\n",
     NULL, "cross-origin-resource-sharing-implemented-with-universal-access", -50, "HDR-06",
     SEV_HIGH},
    {"cors null with creds", web_rule_cors, "", NULL,
     "Access-Control-Allow-Origin: null\r\nAccess-Control-Allow-Credentials: TRUE\r\n", NULL,
     "cross-origin-resource-sharing-implemented-with-universal-access", -50, "HDR-06", SEV_HIGH},
    {"cors fixed origin with creds", web_rule_cors, "", NULL,
     "Access-Control-Allow-Origin: https://partner.test\r\n"
     "Access-Control-Allow-Credentials: true\r\n",
     NULL, "cross-origin-resource-sharing-implemented-with-public-access", 0, NULL, -1},
    /* HDR-07: SRI */
    {"sri not html", web_rule_sri, "", NULL, NULL, NULL, "sri-not-implemented-response-not-html", 0,
     NULL, -1},
    {"sri no scripts", web_rule_sri, "", "<html><p>hi</p><script>inline()</script>", NULL, NULL,
     "sri-not-implemented-but-no-scripts-loaded", 0, NULL, -1},
    {"sri same origin", web_rule_sri, "",
     "<script src=/a.js></script><script src=\"https://h.test/b.js\"></script>", NULL, NULL,
     "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0, NULL, -1},
    {"sri external with integrity", web_rule_sri, "",
     "<script src=https://cdn.test/a.js integrity=sha384-x crossorigin=anonymous></script>", NULL,
     NULL, "sri-implemented-and-external-scripts-loaded-securely", 5, NULL, -1},
    {"sri external https without", web_rule_sri, "", "<script src=https://cdn.test/a.js></script>",
     NULL, NULL, "sri-not-implemented-but-external-scripts-loaded-securely", -5, "HDR-07", SEV_LOW},
    {"sri http without", web_rule_sri, "", "<script src=http://cdn.test/a.js></script>", NULL, NULL,
     "sri-not-implemented-and-external-scripts-not-loaded-securely", -50, "HDR-07", SEV_HIGH},
    {"sri protocol-relative", web_rule_sri, "", "<script src=//cdn.test/a.js></script>", NULL, NULL,
     "sri-not-implemented-and-external-scripts-not-loaded-securely", -50, "HDR-07", SEV_HIGH},
    {"sri http with integrity", web_rule_sri, "",
     "<script src=http://cdn.test/a.js integrity=sha384-x></script>", NULL, NULL,
     "sri-implemented-but-external-scripts-not-loaded-securely", -20, "HDR-07", SEV_MEDIUM},
    {"sri commented script ignored", web_rule_sri, "",
     "<!-- <script src=http://cdn.test/a.js></script> --><script src=/x.js></script>", NULL, NULL,
     "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0, NULL, -1},
    /* HDR-08: cross-origin isolation */
    {"xorigin none", web_rule_xorigin, "", NULL, NULL, NULL,
     "cross-origin-isolation-not-implemented", 0, "HDR-08", SEV_INFO},
    {"xorigin restrictive", web_rule_xorigin,
     "Cross-Origin-Resource-Policy: same-origin\r\nCross-Origin-Opener-Policy: same-origin\r\n",
     NULL, NULL, NULL, "cross-origin-isolation-restrictive", 10, NULL, -1},
    {"xorigin partial", web_rule_xorigin,
     "Cross-Origin-Opener-Policy: same-origin-allow-popups\r\n", NULL, NULL, NULL,
     "cross-origin-isolation-partial", 0, NULL, -1},
    {"xorigin coop report-to", web_rule_xorigin,
     "Cross-Origin-Resource-Policy: same-site\r\n"
     "Cross-Origin-Opener-Policy: same-origin; report-to=\"x\"\r\n",
     NULL, NULL, NULL, "cross-origin-isolation-restrictive", 10, NULL, -1},
    {"xorigin invalid", web_rule_xorigin, "Cross-Origin-Embedder-Policy: require-everything\r\n",
     NULL, NULL, NULL, "cross-origin-isolation-header-invalid", -5, "HDR-08", SEV_INFO},
    /* INF-01, INF-02 */
    {"server version", web_rule_banners, "Server: nginx/1.22.1\r\n", NULL, NULL, NULL,
     "server-version-disclosed", 0, "INF-01", SEV_LOW},
    {"server no version", web_rule_banners, "Server: nginx\r\n", NULL, NULL, NULL, NULL, 0, NULL,
     -1},
    {"powered-by version", web_rule_banners, "X-Powered-By: PHP/8.2.29\r\n", NULL, NULL, NULL,
     "framework-version-disclosed", 0, "INF-02", SEV_LOW},
    {"aspnet version", web_rule_banners, "X-AspNet-Version: 4.0.30319\r\n", NULL, NULL, NULL,
     "framework-version-disclosed", 0, "INF-02", SEV_LOW},
    {"powered-by no version", web_rule_banners, "X-Powered-By: Express\r\n", NULL, NULL, NULL, NULL,
     0, NULL, -1},
    /* TLS-19 */
    {"compression gzip", web_rule_compression, "", NULL, NULL, "gzip", "http-compression-on-https",
     0, "TLS-19", SEV_INFO},
    {"compression none", web_rule_compression, "", NULL, NULL, NULL, NULL, 0, NULL, -1},
    {"compression identity", web_rule_compression, "", NULL, NULL, "identity", NULL, 0, NULL, -1},
};

static void parse_block(const char *hdrs, struct web_headers *h)
{
	struct buf b = BUF_INIT;

	assert_int_equal(buf_addf(&b, "HTTP/1.1 200 OK\r\n%s\r\n", hdrs), 0);
	assert_int_equal(web_headers_parse(b.ptr, b.len, h), 0);
	buf_release(&b);
}

static void run_case(const struct rule_case *k)
{
	struct web_headers page, cors;
	struct web_report rep;
	struct web_input in;
	const struct web_result *r;

	web_headers_init(&page);
	web_headers_init(&cors);
	web_report_init(&rep);
	parse_block(k->hdrs, &page);
	memset(&in, 0, sizeof(in));
	in.host = "h.test";
	in.http_reachable = in.https_reachable = 1;
	in.first = in.page = &page;
	if (k->cors) {
		parse_block(k->cors, &cors);
		in.cors = &cors;
	}
	in.cors_origin = "https://evil.example";
	in.html = k->html;
	in.html_len = k->html ? strlen(k->html) : 0;
	in.html_is_html = k->html != NULL;
	in.gzip_encoding = k->gzip;
	assert_int_equal(k->rule(&in, &rep), 0);
	if (!k->test) {
		if (rep.n_res)
			fail_msg("%s: unexpected result %s", k->name, rep.res[0].test);
		goto out;
	}
	if (rep.n_res != 1)
		fail_msg("%s: %zu results", k->name, rep.n_res);
	r = &rep.res[0];
	if (strcmp(r->test, k->test) != 0 || r->mod != k->mod)
		fail_msg("%s: got %s %d, want %s %d", k->name, r->test, r->mod, k->test, k->mod);
	if ((r->check_id == NULL) != (k->check == NULL) ||
	    (k->check && strcmp(r->check_id, k->check) != 0) || r->sev != k->sev)
		fail_msg("%s: got check %s sev %d, want %s %d", k->name,
			 r->check_id ? r->check_id : "-", r->sev, k->check ? k->check : "-",
			 k->sev);
	if (r->check_id)
		assert_non_null(check_find(r->check_id)); /* registered */
out:
	web_report_release(&rep);
	web_headers_release(&page);
	web_headers_release(&cors);
}

static void test_rules_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
}

/* ------------------------------------------------------------ TLS-02 */

struct hop_spec {
	const char *url;
	long status;
	const char *location;
	int cert_ok;
};

struct redirect_case {
	const char *name;
	int http_reachable, loop;
	struct hop_spec hops[4];
	const char *test;
	int mod;
	int sev;
};

static const struct redirect_case redirects[] = {
    {"no http", 0, 0, {{NULL, 0, NULL, 0}}, "redirection-not-needed-no-http", 0, -1},
    {"good",
     1,
     0,
     {{"http://h.test/", 301, "https://h.test/", -1}, {"https://h.test/", 200, NULL, 1}},
     "redirection-to-https",
     0,
     -1},
    {"missing", 1, 0, {{"http://h.test/", 200, NULL, -1}}, "redirection-missing", -20, SEV_HIGH},
    {"3xx without location",
     1,
     0,
     {{"http://h.test/", 302, NULL, -1}},
     "redirection-missing",
     -20,
     SEV_HIGH},
    {"ends on http",
     1,
     0,
     {{"http://h.test/", 301, "http://h.test/x", -1}, {"http://h.test/x", 200, NULL, -1}},
     "redirection-not-to-https",
     -20,
     SEV_HIGH},
    {"first hop http",
     1,
     0,
     {{"http://h.test/", 301, "http://www.h.test/", -1},
      {"http://www.h.test/", 301, "https://www.h.test/", -1},
      {"https://www.h.test/", 200, NULL, 1}},
     "redirection-not-to-https-on-initial-redirection",
     -10,
     SEV_MEDIUM},
    {"off host",
     1,
     0,
     {{"http://h.test/", 301, "https://www.h.test/", -1}, {"https://www.h.test/", 200, NULL, 1}},
     "redirection-off-host-from-http",
     -5,
     SEV_LOW},
    {"invalid cert",
     1,
     0,
     {{"http://h.test/", 301, "https://h.test/", -1}, {"https://h.test/", 200, NULL, 0}},
     "redirection-invalid-cert",
     -20,
     SEV_HIGH},
    {"loop",
     1,
     1,
     {{"http://h.test/", 301, "http://h.test/", -1}, {"http://h.test/", 301, "http://h.test/", -1}},
     "redirection-not-to-https",
     -20,
     SEV_HIGH},
    {"target unreachable",
     1,
     0,
     {{"http://h.test/", 301, "https://h.test/", -1}, {"https://h.test/", 0, NULL, 1}},
     "redirection-not-to-https",
     -20,
     SEV_HIGH},
    {"host case-insensitive",
     1,
     0,
     {{"http://h.test/", 301, "https://H.TEST:443/", -1}, {"https://H.TEST:443/", 200, NULL, 1}},
     "redirection-to-https",
     0,
     -1},
};

static void test_redirect_rule(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(redirects); i++) {
		const struct redirect_case *k = &redirects[i];
		struct web_hop hops[4];
		struct web_report rep;
		struct web_input in;

		memset(hops, 0, sizeof(hops));
		memset(&in, 0, sizeof(in));
		web_report_init(&rep);
		for (j = 0; j < 4 && k->hops[j].url; j++) {
			hops[j].url = (char *)k->hops[j].url;
			hops[j].status = k->hops[j].status;
			hops[j].location = (char *)k->hops[j].location;
			hops[j].cert_ok = k->hops[j].cert_ok;
		}
		in.host = "h.test";
		in.http_reachable = k->http_reachable;
		in.hops = hops;
		in.n_hops = j;
		in.chain_loop = k->loop;
		assert_int_equal(web_rule_redirect(&in, &rep), 0);
		assert_int_equal(rep.n_res, 1);
		if (strcmp(rep.res[0].test, k->test) || rep.res[0].mod != k->mod ||
		    rep.res[0].sev != k->sev)
			fail_msg("%s: got %s %d %d", k->name, rep.res[0].test, rep.res[0].mod,
				 rep.res[0].sev);
		if (k->sev >= 0)
			assert_string_equal(rep.res[0].check_id, "TLS-02");
	}
}

/* --------------------------------------------------------- the score */

static void test_grade_chart(void **state)
{
	static const struct {
		int score;
		const char *g;
	} chart[] = {{140, "A+"}, {100, "A+"}, {99, "A"}, {90, "A"}, {89, "A-"}, {85, "A-"},
		     {84, "B+"},  {80, "B+"},  {79, "B"}, {70, "B"}, {69, "B-"}, {65, "B-"},
		     {64, "C+"},  {60, "C+"},  {59, "C"}, {50, "C"}, {49, "C-"}, {45, "C-"},
		     {44, "D+"},  {40, "D+"},  {39, "D"}, {30, "D"}, {29, "D-"}, {25, "D-"},
		     {24, "F"},	  {0, "F"}};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(chart); i++)
		assert_string_equal(web_grade(chart[i].score), chart[i].g);
}

static void test_score_bonus_rule(void **state)
{
	static const struct {
		int mods[6];
		int score;
	} sc[] = {
	    {{10, 5, 5, 5, 0, 0}, 125},	      /* clean site: every bonus counts */
	    {{-5, -5, 10, 5, 0, 0}, 105},     /* 90 after penalties: bonuses count */
	    {{-5, -10, 10, 5, 0, 0}, 85},     /* 85 < 90: bonuses ignored */
	    {{-50, -40, -30, -25, 10, 0}, 0}, /* never below zero */
	    {{0, 0, 0, 0, 0, 0}, 100},
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sc); i++) {
		struct web_report rep;

		web_report_init(&rep);
		for (j = 0; j < 6; j++)
			assert_int_equal(
			    web_result_add(&rep, "t", NULL, sc[i].mods[j], -1, NULL, "x"), 0);
		web_score(&rep);
		assert_int_equal(rep.score, sc[i].score);
		assert_string_equal(rep.grade, web_grade(sc[i].score));
	}
}

/* A hardened response through every rule: no finding, A+. */
static void test_all_rules_hardened(void **state)
{
	static const char hdrs[] =
	    "Strict-Transport-Security: max-age=63072000; includeSubDomains\r\n"
	    "Content-Security-Policy: default-src 'none'; script-src 'self'; img-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n"
	    "X-Frame-Options: DENY\r\nX-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: same-origin\r\nServer: nginx\r\n"
	    "Set-Cookie: sessionid=1; Secure; HttpOnly; SameSite=Lax\r\n"
	    "Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Resource-Policy: "
	    "same-origin\r\n";
	struct web_hop hops[2] = {
	    {(char *)"http://h.test/", 301, (char *)"https://h.test/", -1, ""},
	    {(char *)"https://h.test/", 200, NULL, 1, ""}};
	struct web_headers page, cors;
	struct web_report rep;
	struct web_input in;
	struct buf js = BUF_INIT;
	json_t *root;
	json_error_t jerr;
	size_t i;

	(void)state;
	web_headers_init(&page);
	web_headers_init(&cors);
	web_report_init(&rep);
	parse_block(hdrs, &page);
	parse_block("", &cors);
	memset(&in, 0, sizeof(in));
	in.host = "h.test";
	in.http_reachable = in.https_reachable = 1;
	in.hops = hops;
	in.n_hops = 2;
	in.first = in.page = &page;
	in.cors = &cors;
	in.cors_origin = "https://evil.example";
	in.html = "<html><script src=/app.js></script></html>";
	in.html_len = strlen(in.html);
	in.html_is_html = 1;
	assert_int_equal(web_rules_all(&in, &rep), 0);
	for (i = 0; i < rep.n_res; i++) {
		if (rep.res[i].sev >= 0)
			fail_msg("hardened: finding %s (%s)", rep.res[i].check_id,
				 rep.res[i].detail);
	}
	/* 100 + csp 10 + framing 5 + referrer 5 + cookies 5 + isolation 10 */
	assert_int_equal(rep.score, 135);
	assert_string_equal(rep.grade, "A+");
	web_categories(&rep);
	assert_int_equal(rep.cat[WEB_CAT_HTTPS].percent, 100);
	assert_int_equal(rep.cat[WEB_CAT_HEADERS].percent, 100);
	assert_int_equal(rep.cat[WEB_CAT_HEADERS].max, 70);
	assert_int_equal(rep.total, 100);
	assert_int_equal(web_report_json(&rep, &js), 0);
	root = json_loads(js.ptr, 0, &jerr);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "score")), 135);
	assert_string_equal(json_string_value(json_object_get(root, "grade")), "A+");
	assert_int_equal(json_array_size(json_object_get(root, "tests")), rep.n_res);
	json_decref(root);
	buf_reset(&js);
	assert_int_equal(web_report_text(&rep, &js), 0);
	assert_non_null(strstr(js.ptr, "grade A+"));
	buf_release(&js);
	web_report_release(&rep);
	web_headers_release(&page);
	web_headers_release(&cors);
}

/* internet.nl-style categories: 10 pass/info, 5 low, 2 medium, 0 high. */
static void test_categories(void **state)
{
	static const struct {
		const char *test, *check;
		int sev;
	} res[] = {
	    {"redirection-missing", "TLS-02", SEV_HIGH},
	    {"hsts-implemented-max-age-at-least-six-months", "TLS-03", SEV_LOW},
	    {"csp-implemented-with-no-unsafe", NULL, -1},
	    {"x-frame-options-not-implemented", "HDR-02", SEV_MEDIUM},
	    {"referrer-policy-not-implemented", "HDR-04", SEV_INFO},
	    {"security-txt", "HDR-09", SEV_LOW},
	    {"exposed-file", "EXP-01", SEV_HIGH},
	    {"exposed-file", "EXP-01", SEV_HIGH},
	    {"cms-version-visible", "CMS-01", SEV_LOW},
	};
	struct web_report rep;
	struct buf js = BUF_INIT;
	json_t *root, *cat;
	json_error_t jerr;
	size_t i;

	(void)state;
	web_report_init(&rep);
	web_categories(&rep);
	/* Nothing ran: https and headers have no subtest; exposure passes. */
	assert_int_equal(rep.cat[WEB_CAT_HTTPS].percent, -1);
	assert_int_equal(rep.cat[WEB_CAT_HEADERS].percent, -1);
	assert_int_equal(rep.cat[WEB_CAT_EXPOSURE].percent, 100);
	assert_int_equal(rep.total, 100);
	for (i = 0; i < ARRAY_SIZE(res); i++)
		assert_int_equal(
		    web_result_add(&rep, res[i].test, res[i].check, 0, res[i].sev, NULL, "x"), 0);
	web_categories(&rep);
	/* https: TLS-02 high 0 + TLS-03 low 5 = 5/20 */
	assert_int_equal(rep.cat[WEB_CAT_HTTPS].points, 5);
	assert_int_equal(rep.cat[WEB_CAT_HTTPS].max, 20);
	assert_int_equal(rep.cat[WEB_CAT_HTTPS].percent, 25);
	/* headers: CSP 10 + XFO medium 2 + referrer info 10 = 22/30 */
	assert_int_equal(rep.cat[WEB_CAT_HEADERS].points, 22);
	assert_int_equal(rep.cat[WEB_CAT_HEADERS].percent, 73);
	/* exposure: HDR-09 5, INF-01 10, INF-02 10, EXP-01 0, CMS-01 5, CMS-02 10 = 40/60 */
	assert_int_equal(rep.cat[WEB_CAT_EXPOSURE].points, 40);
	assert_int_equal(rep.cat[WEB_CAT_EXPOSURE].percent, 67);
	assert_int_equal(rep.total, (25 + 73 + 67 + 1) / 3);
	assert_string_equal(web_category_name(WEB_CAT_EXPOSURE), "exposure");
	assert_int_equal(web_report_json(&rep, &js), 0);
	root = json_loads(js.ptr, 0, &jerr);
	assert_non_null(root);
	cat = json_object_get(json_object_get(root, "categories"), "headers");
	assert_int_equal(json_integer_value(json_object_get(cat, "percent")), 73);
	assert_int_equal(json_integer_value(json_object_get(root, "total")), rep.total);
	json_decref(root);
	buf_release(&js);
	web_report_release(&rep);
}

static void test_result_overflow(void **state)
{
	struct web_report rep;
	size_t i;

	(void)state;
	web_report_init(&rep);
	for (i = 0; i < WEB_MAX_RESULTS; i++)
		assert_int_equal(web_result_add(&rep, "t", NULL, 0, -1, NULL, "x"), 0);
	assert_int_equal(web_result_add(&rep, "t", NULL, 0, -1, NULL, "x"), ERR_TOO_BIG);
	/* Evidence is made printable and capped. */
	web_report_init(&rep);
	assert_int_equal(web_result_add(&rep, "t", "HDR-01", 0, 1, "a\x01\x7f b", "d"), 0);
	assert_string_equal(rep.res[0].evidence, "a\\x01\\x7f b");
	assert_int_equal(web_result_add(&rep, "t", NULL, 0, -1, NULL, "v=%s", "a\r\nb\x1b"), 0);
	assert_string_equal(rep.res[1].detail, "v=a??b?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rules_table),	       cmocka_unit_test(test_redirect_rule),
	    cmocka_unit_test(test_grade_chart),	       cmocka_unit_test(test_score_bonus_rule),
	    cmocka_unit_test(test_all_rules_hardened), cmocka_unit_test(test_result_overflow),
	    cmocka_unit_test(test_categories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
