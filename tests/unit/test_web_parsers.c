/*
 * test_web_parsers.c: the bounded parsers of src/web, table driven: header
 * blocks (folding, duplicates, caps), CSP (directives, source classes,
 * policy lists, the evaluation), Set-Cookie, HSTS, security.txt (fields,
 * Expires, signed framing, validity), the HTML tag walker, CMS generator
 * strings, readme Stable tag, the versions file and URL resolution.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "web/web_int.h"

/* ------------------------------------------------------------- headers */

static void test_headers_basic(void **state)
{
	static const char blk[] = "HTTP/1.1 200 OK\r\n"
				  "Server: nginx\r\n"
				  "Set-Cookie: a=1\r\n"
				  "X-Long: part one\r\n"
				  "\t part two\r\n"
				  "bad line without colon\r\n"
				  "Bad Name: x\r\n"
				  "set-cookie:  b=2  \r\n"
				  "\r\n";
	struct web_headers h;
	size_t n;

	(void)state;
	web_headers_init(&h);
	assert_int_equal(web_headers_parse(blk, sizeof(blk) - 1, &h), 0);
	assert_int_equal(h.status, 200);
	assert_string_equal(web_headers_get(&h, "SERVER", NULL), "nginx");
	assert_string_equal(web_headers_get(&h, "set-cookie", &n), "a=1");
	assert_int_equal(n, 2);
	assert_string_equal(h.v[3].value, "b=2");
	assert_string_equal(web_headers_get(&h, "x-long", NULL), "part one part two");
	assert_int_equal(h.folded, 1);
	assert_int_equal(h.bad_lines, 2);
	assert_null(web_headers_get(&h, "missing", &n));
	assert_int_equal(n, 0);
	web_headers_release(&h);
}

static void test_headers_interim_and_join(void **state)
{
	static const char blk[] = "HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\n"
				  "HTTP/2 301\r\nlocation: /x\r\nvary: a\r\nvary: b";
	struct web_headers h;
	struct buf b = BUF_INIT;

	(void)state;
	web_headers_init(&h);
	assert_int_equal(web_headers_parse(blk, sizeof(blk) - 1, &h), 0);
	assert_int_equal(h.status, 301);
	assert_null(web_headers_get(&h, "x-a", NULL));
	assert_int_equal(web_headers_join(&h, "Vary", &b), 0);
	assert_string_equal(b.ptr, "a, b");
	buf_release(&b);
	web_headers_release(&h);
}

static void test_headers_caps(void **state)
{
	struct buf b = BUF_INIT;
	struct web_headers h;
	int i;

	(void)state;
	web_headers_init(&h);
	/* Too many header lines. */
	assert_int_equal(buf_adds(&b, "HTTP/1.1 200 OK\r\n"), 0);
	for (i = 0; i < WEB_HDR_MAX_LINES + 5; i++)
		assert_int_equal(buf_addf(&b, "X-%d: v\r\n", i), 0);
	assert_int_equal(web_headers_parse(b.ptr, b.len, &h), ERR_TOO_BIG);
	/* One line over the cap. */
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "HTTP/1.1 200 OK\r\nX: "), 0);
	for (i = 0; i < WEB_HDR_MAX_LINE; i++)
		assert_int_equal(buf_addch(&b, 'a'), 0);
	assert_int_equal(buf_adds(&b, "\r\n"), 0);
	assert_int_equal(web_headers_parse(b.ptr, b.len, &h), ERR_TOO_BIG);
	/* Folding cannot grow a value past the line cap either. */
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "HTTP/1.1 200 OK\r\nX: a\r\n"), 0);
	for (i = 0; i < 200; i++) {
		int k;

		assert_int_equal(buf_addch(&b, ' '), 0);
		for (k = 0; k < 100; k++)
			assert_int_equal(buf_addch(&b, 'b'), 0);
		assert_int_equal(buf_adds(&b, "\r\n"), 0);
	}
	assert_int_equal(web_headers_parse(b.ptr, b.len, &h), ERR_TOO_BIG);
	/* Garbage: no status, binary */
	assert_int_equal(web_headers_parse("\x01\x02\xff:\n:\n", 8, &h), 0);
	assert_int_equal(h.status, 0);
	buf_release(&b);
	web_headers_release(&h);
}

/* ----------------------------------------------------------------- CSP */

struct src_case {
	const char *src;
	unsigned bit;
};

static const struct src_case src_cases[] = {
    {"'self'", CSP_S_SELF},
    {"'SELF'", CSP_S_SELF},
    {"'none'", CSP_S_NONE},
    {"'unsafe-inline'", CSP_S_UNSAFE_INLINE},
    {"'unsafe-eval'", CSP_S_UNSAFE_EVAL},
    {"'strict-dynamic'", CSP_S_STRICT_DYNAMIC},
    {"'unsafe-hashes'", CSP_S_UNSAFE_HASHES},
    {"'wasm-unsafe-eval'", CSP_S_WASM_EVAL},
    {"'report-sample'", CSP_S_OTHER_KEYWORD},
    {"'nonce-abc123=='", CSP_S_NONCE},
    {"'nonce-'", CSP_S_BAD},
    {"'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", CSP_S_HASH},
    {"'sha1-abc'", CSP_S_BAD},
    {"'bogus'", CSP_S_BAD},
    {"'self", CSP_S_BAD},
    {"*", CSP_S_WILDCARD},
    {"data:", CSP_S_DATA},
    {"DATA:", CSP_S_DATA},
    {"http:", CSP_S_HTTP_SCHEME},
    {"ws:", CSP_S_HTTP_SCHEME},
    {"https:", CSP_S_HTTPS_SCHEME},
    {"wss:", CSP_S_HTTPS_SCHEME},
    {"blob:", CSP_S_BLOB},
    {"http://cdn.example.com", CSP_S_HTTP_HOST},
    {"http://*", CSP_S_HTTP_HOST},
    {"https://cdn.example.com/js/", CSP_S_HOST},
    {"https://*", CSP_S_WILDCARD},
    {"cdn.example.com", CSP_S_HOST},
    {"*.example.com:443", CSP_S_HOST},
    {"*example.com", CSP_S_BAD},
    {"example.com;", CSP_S_BAD},
};

static void test_csp_classify(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(src_cases); i++) {
		unsigned got = web_csp_classify(src_cases[i].src, strlen(src_cases[i].src));

		if (got != src_cases[i].bit)
			fail_msg("classify %s: got %#x want %#x", src_cases[i].src, got,
				 src_cases[i].bit);
	}
}

static void test_csp_parse(void **state)
{
	static const char v[] = "default-src 'none'; script-src 'self' https://cdn.example "
				"'unsafe-inline'; script-src 'unsafe-eval'; foo-bar x;"
				" img-src 'self' data:;; b@d x; report-uri /r, img-src *";
	struct csp c;

	(void)state;
	assert_int_equal(web_csp_parse(v, sizeof(v) - 1, &c), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.p[0].d[CSP_DEFAULT_SRC].present);
	assert_int_equal(c.p[0].d[CSP_DEFAULT_SRC].src, CSP_S_NONE);
	assert_int_equal(c.p[0].d[CSP_SCRIPT_SRC].src,
			 CSP_S_SELF | CSP_S_HOST | CSP_S_UNSAFE_INLINE);
	assert_int_equal(c.p[0].d[CSP_SCRIPT_SRC].n_src, 3);
	assert_int_equal(c.p[0].n_dup, 1); /* the second script-src is ignored */
	assert_int_equal(c.p[0].n_unknown, 1);
	assert_int_equal(c.p[0].n_bad, 1);
	assert_int_equal(c.p[0].d[CSP_IMG_SRC].src, CSP_S_SELF | CSP_S_DATA);
	assert_true(c.p[0].d[CSP_REPORT_URI].present);
	assert_int_equal(c.p[1].d[CSP_IMG_SRC].src, CSP_S_WILDCARD);
	/* No directive at all. */
	assert_int_equal(web_csp_parse(" ; ,, ;", 7, &c), ERR_PARSE);
	assert_int_equal(web_csp_parse("", 0, &c), ERR_PARSE);
	assert_int_equal(web_csp_parse("a,b,c,d,e,f,g,h,i", 17, &c), ERR_TOO_BIG);
	assert_int_equal(web_csp_dir_lookup("FRAME-ANCESTORS", 15), CSP_FRAME_ANCESTORS);
	assert_int_equal(web_csp_dir_lookup("frame", 5), -1);
	assert_string_equal(web_csp_dir_name(CSP_FORM_ACTION), "form-action");
}

struct csp_eval_case {
	const char *policy;
	int inline_script, eval, insecure, passive, inline_style, def_none, form, fa;
};

static const struct csp_eval_case eval_cases[] = {
    {"default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self'; "
     "frame-ancestors 'none'",
     0, 0, 0, 0, 0, 1, 1, 1},
    {"default-src 'self' 'unsafe-inline' 'unsafe-eval'", 1, 1, 0, 0, 1, 0, 0, 0},
    {"script-src 'self' 'unsafe-inline' 'nonce-r4nd0m'", 0, 0, 0, 0, 1, 0, 0, 0},
    {"script-src 'sha256-abc=' 'unsafe-inline'; style-src 'self'", 0, 0, 0, 0, 0, 0, 0, 0},
    {"script-src 'strict-dynamic' 'nonce-abc' https: http:; object-src 'none'", 0, 0, 0, 0, 1, 0, 0,
     0},
    {"default-src 'self'; script-src 'self' data:", 0, 0, 1, 0, 0, 0, 0, 0},
    {"default-src 'self'; script-src http://cdn.example.com", 0, 0, 1, 0, 0, 0, 0, 0},
    {"default-src 'self'; script-src *", 0, 0, 1, 0, 0, 0, 0, 0},
    {"default-src 'self'; script-src https:", 0, 0, 1, 0, 0, 0, 0, 0},
    {"default-src 'self'; object-src data:", 0, 0, 1, 0, 0, 0, 0, 0},
    {"default-src 'self'; img-src http:", 0, 0, 0, 1, 0, 0, 0, 0},
    {"default-src 'self'; style-src 'self' 'unsafe-inline'", 0, 0, 0, 0, 1, 0, 0, 0},
    {"img-src 'self'", 1, 1, 1, 0, 1, 0, 0, 0},	   /* scripts unrestricted */
    {"frame-ancestors *", 1, 1, 1, 0, 1, 0, 0, 0}, /* framing not restricted */
    {"frame-ancestors https:", 1, 1, 1, 0, 1, 0, 0, 0},
    {"default-src 'self'; form-action *", 0, 0, 0, 0, 0, 0, 0, 0},
    {"frame-ancestors 'self' https://partner.example", 1, 1, 1, 0, 1, 0, 0, 1},
    /* Two policies: a source is allowed only if both allow it. */
    {"script-src 'unsafe-inline' 'unsafe-eval', script-src 'self'", 0, 0, 0, 0, 1, 0, 0, 0},
    {"script-src 'unsafe-inline', script-src 'unsafe-inline' 'unsafe-eval'", 1, 0, 0, 0, 1, 0, 0,
     0},
};

static void test_csp_eval(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(eval_cases); i++) {
		const struct csp_eval_case *k = &eval_cases[i];
		struct csp c;
		struct csp_eval e;

		assert_int_equal(web_csp_parse(k->policy, strlen(k->policy), &c), 0);
		web_csp_eval(&c, &e);
		if (e.unsafe_inline_script != k->inline_script || e.unsafe_eval != k->eval ||
		    e.insecure_script != k->insecure || e.insecure_passive != k->passive ||
		    e.unsafe_inline_style != k->inline_style || e.default_none != k->def_none ||
		    e.form_action != k->form || e.frame_ancestors != k->fa)
			fail_msg("eval %s: got %d%d%d%d%d%d%d%d", k->policy, e.unsafe_inline_script,
				 e.unsafe_eval, e.insecure_script, e.insecure_passive,
				 e.unsafe_inline_style, e.default_none, e.form_action,
				 e.frame_ancestors);
	}
}

/* -------------------------------------------------------------- cookies */

struct cookie_case {
	const char *v;
	int rc;
	const char *name;
	int secure, httponly;
	enum cookie_samesite ss;
	int session, anticsrf;
	int64_t max_age;
};

static const struct cookie_case cookie_cases[] = {
    {"sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax", 0, "sessionid", 1, 1, COOKIE_SS_LAX,
     1, 0, 0},
    {"PHPSESSID=x; path=/", 0, "PHPSESSID", 0, 0, COOKIE_SS_UNSET, 1, 0, 0},
    {"wp_login=1;secure;httponly;samesite=strict", 0, "wp_login", 1, 1, COOKIE_SS_STRICT, 1, 0, 0},
    {"csrftoken=t; SameSite=None; Secure", 0, "csrftoken", 1, 0, COOKIE_SS_NONE, 0, 1, 0},
    {"XSRF-TOKEN=t; SameSite=Bogus", 0, "XSRF-TOKEN", 0, 0, COOKIE_SS_INVALID, 0, 1, 0},
    {"  theme = dark ; Max-Age=3600; Expires=Wed, 21 Oct 2037 07:28:00 GMT", 0, "theme", 0, 0,
     COOKIE_SS_UNSET, 0, 0, 3600},
    {"a=; Max-Age=-1", 0, "a", 0, 0, COOKIE_SS_UNSET, 0, 0, -1},
    {"a=b; Max-Age=x1", 0, "a", 0, 0, COOKIE_SS_UNSET, 0, 0, 0},
    {"noequals; Secure", ERR_PARSE, NULL, 0, 0, 0, 0, 0, 0},
    {"=value", ERR_PARSE, NULL, 0, 0, 0, 0, 0, 0},
    {"", ERR_PARSE, NULL, 0, 0, 0, 0, 0, 0},
};

static void test_cookie_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cookie_cases); i++) {
		const struct cookie_case *k = &cookie_cases[i];
		struct web_cookie c;
		int rc = web_cookie_parse(k->v, strlen(k->v), &c);

		if (rc != k->rc)
			fail_msg("cookie %s: rc %d", k->v, rc);
		if (rc)
			continue;
		assert_string_equal(c.name, k->name);
		if (c.secure != k->secure || c.httponly != k->httponly || c.samesite != k->ss ||
		    c.session != k->session || c.anticsrf != k->anticsrf || c.max_age != k->max_age)
			fail_msg("cookie %s: flags %d %d %d %d %d %lld", k->v, c.secure, c.httponly,
				 c.samesite, c.session, c.anticsrf, (long long)c.max_age);
	}
}

static void test_cookie_long_name(void **state)
{
	char v[600];
	struct web_cookie c;

	(void)state;
	memset(v, 'n', 500);
	memcpy(v + 500, "=1; Secure", 11);
	assert_int_equal(web_cookie_parse(v, strlen(v), &c), 0);
	assert_int_equal(c.name_len, 500);
	assert_int_equal(strlen(c.name), sizeof(c.name) - 1);
	assert_true(c.secure);
}

/* ----------------------------------------------------------------- HSTS */

struct hsts_case {
	const char *v;
	int rc;
	uint64_t max_age;
	int sub, preload;
};

static const struct hsts_case hsts_cases[] = {
    {"max-age=31536000", 0, 31536000, 0, 0},
    {"max-age=63072000; includeSubDomains; preload", 0, 63072000, 1, 1},
    {"MAX-AGE=\"300\";INCLUDESUBDOMAINS", 0, 300, 1, 0},
    {" max-age = 10 ; ", 0, 10, 0, 0},
    {"max-age=0", 0, 0, 0, 0},
    {"max-age=99999999999999999999999", 0, UINT64_MAX, 0, 0},
    {"max-age=1; foo=bar; baz", 0, 1, 0, 0},
    {"includeSubDomains", ERR_PARSE, 0, 0, 0},
    {"max-age=", ERR_PARSE, 0, 0, 0},
    {"max-age=-1", ERR_PARSE, 0, 0, 0},
    {"max-age=12abc", ERR_PARSE, 0, 0, 0},
    {"max-age=1; max-age=2", ERR_PARSE, 0, 0, 0},
    {"max-age=1; preload; preload", ERR_PARSE, 0, 0, 0},
    {"max-age=1; includeSubDomains=yes", ERR_PARSE, 0, 0, 0},
    {"max-age=\"1", ERR_PARSE, 0, 0, 0},
    {"max-age=1; x=\"a\\\"b\"", ERR_PARSE, 0, 0, 0},
    {"", ERR_PARSE, 0, 0, 0},
};

static void test_hsts_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(hsts_cases); i++) {
		const struct hsts_case *k = &hsts_cases[i];
		struct web_hsts h;
		int rc = web_hsts_parse(k->v, strlen(k->v), &h);

		if (rc != k->rc)
			fail_msg("hsts %s: rc %d", k->v, rc);
		if (rc == 0 && (h.max_age != k->max_age || h.include_subdomains != k->sub ||
				h.preload != k->preload))
			fail_msg("hsts %s: %llu %d %d", k->v, (unsigned long long)h.max_age,
				 h.include_subdomains, h.preload);
	}
}

/* ---------------------------------------------------------- security.txt */

#define NOW ((time_t)1800000000) /* 2027-01-15T08:00:00Z */
#define URL "https://example.test/.well-known/security.txt"

struct sectxt_case {
	const char *body;
	const char *problem; /* NULL = valid */
};

static const struct sectxt_case sectxt_cases[] = {
    {"Contact: mailto:security@example.test\nExpires: 2027-06-01T00:00:00Z\n", NULL},
    {"# comment\r\nContact: https://example.test/sec\r\nContact: tel:+31-1\r\n"
     "Expires: 2027-06-01T00:00:00.000Z\r\nCanonical: " URL "\r\nPreferred-Languages: en, nl\r\n",
     NULL},
    {"Expires: 2027-06-01T00:00:00Z\n", "no Contact field"},
    {"Contact: mailto:a@b\n", "no Expires field"},
    {"Contact: mailto:a@b\nExpires: 2027-06-01T00:00:00Z\nExpires: 2027-06-02T00:00:00Z\n",
     "Expires appears more than once"},
    {"Contact: mailto:a@b\nExpires: next year\n", "Expires is not an RFC 3339 date"},
    {"Contact: mailto:a@b\nExpires: 2026-01-01T00:00:00Z\n", "Expires is in the past"},
    {"Contact: mailto:a@b\nExpires: 2029-01-01T00:00:00Z\n", "Expires is more than a year ahead"},
    {"Contact: mailto:a@b\nExpires: 2027-06-01T00:00:00Z\nCanonical: https://other.test/x\n",
     "Canonical does not list the URL it was fetched from"},
    {"Contact: mailto:a@b\nExpires: 2027-06-01T00:00:00Z\nPreferred-Languages: en\n"
     "Preferred-Languages: nl\n",
     "Preferred-Languages appears more than once"},
    /* OpenPGP cleartext signature framing. */
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: mailto:a@b\n"
     "- Expires: 2027-06-01T00:00:00Z\n-----BEGIN PGP SIGNATURE-----\n\niQIz...\n"
     "-----END PGP SIGNATURE-----\n",
     NULL},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: mailto:a@b\n"
     "Expires: 2027-06-01T00:00:00Z\n-----BEGIN PGP SIGNATURE-----\niQIz...\n",
     "broken OpenPGP signed-message framing"},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nGarbage\n\nContact: mailto:a@b\n"
     "Expires: 2027-06-01T00:00:00Z\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n",
     "broken OpenPGP signed-message framing"},
    {"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: mailto:a@b\n"
     "-Expires: 2027-06-01T00:00:00Z\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n",
     "broken OpenPGP signed-message framing"},
};

static void test_sectxt(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sectxt_cases); i++) {
		const struct sectxt_case *k = &sectxt_cases[i];
		struct web_sectxt s;
		const char *why;

		web_sectxt_init(&s);
		assert_int_equal(web_sectxt_parse(k->body, strlen(k->body), &s), 0);
		why = web_sectxt_problem(&s, URL, NOW);
		if ((why == NULL) != (k->problem == NULL) || (why && strcmp(why, k->problem) != 0))
			fail_msg("sectxt case %zu: got %s want %s", i, why ? why : "valid",
				 k->problem ? k->problem : "valid");
		web_sectxt_release(&s);
	}
}

static void test_sectxt_fields(void **state)
{
	static const char body[] = "\xef\xbb\xbf"
				   "Contact: mailto:sec@example.test\n"
				   "Encryption: https://example.test/key.asc\n"
				   "Policy: https://example.test/policy\n"
				   "Hiring: https://example.test/jobs\n"
				   "X-Custom: 1\n"
				   "this is not a field\n"
				   "Expires: 2027-06-01T00:00:00Z"; /* no final newline */
	struct web_sectxt s;
	char big[SECTXT_MAX_SIZE + 10];

	(void)state;
	web_sectxt_init(&s);
	assert_int_equal(web_sectxt_parse(body, sizeof(body) - 1, &s), 0);
	assert_string_equal(s.contact, "mailto:sec@example.test");
	assert_int_equal(s.n_encryption, 1);
	assert_int_equal(s.n_policy, 1);
	assert_int_equal(s.n_unknown, 1);
	assert_int_equal(s.n_bad, 1);
	assert_int_equal(s.first_bad_line, 6);
	assert_int_equal(s.n_expires, 1);
	assert_int_equal(s.expires, time_utc_from_tm(2027, 6, 1, 0, 0, 0));
	web_sectxt_release(&s);
	memset(big, 'a', sizeof(big));
	web_sectxt_init(&s);
	assert_int_equal(web_sectxt_parse(big, sizeof(big), &s), ERR_TOO_BIG);
	web_sectxt_release(&s);
}

/* ---------------------------------------------------------------- HTML */

struct tag_log {
	struct buf b;
};

static int log_tag(const struct html_tag *t, void *arg)
{
	struct tag_log *l = arg;
	size_t i;

	if (buf_addf(&l->b, "<%.*s", (int)t->name_len, t->name))
		return -1;
	for (i = 0; i < t->n_attrs; i++) {
		const struct html_attr *a = &t->a[i];

		if (buf_addf(&l->b, " %.*s", (int)a->name_len, a->name))
			return -1;
		if (a->value && buf_addf(&l->b, "=[%.*s]", (int)a->value_len, a->value))
			return -1;
	}
	return buf_adds(&l->b, ">");
}

struct html_case {
	const char *html;
	const char *tags;
};

static const struct html_case html_cases[] = {
    {"<!DOCTYPE html><html lang=en><head><meta name=\"generator\" content='WordPress 6.1'>",
     "<html lang=[en]><head><meta name=[generator] content=[WordPress 6.1]>"},
    {"<script src=\"/a.js\" integrity=\"sha384-x\" crossorigin></script><p>",
     "<script src=[/a.js] integrity=[sha384-x] crossorigin><p>"},
    {"<script>var s = '<script src=evil.js>';</script><b>", "<script><b>"},
    {"<!-- <script src=x.js> --><i>", "<i>"},
    {"<!-- unterminated <script src=x.js>", ""},
    {"<style>a<b{}</style><SCRIPT SRC = 'u.js' ></SCRIPT>", "<style><SCRIPT SRC=[u.js]>"},
    {"< notatag <1> </p> <?xml x?><a href=x", ""},
    {"<a href=x/>", "<a href=[x/]>"},
    {"<br/><img src=\"i.png\"/>", "<br><img src=[i.png]>"},
    {"<a =b c=\"d>", ""},
    {"<textarea><script src=x></textarea><u>", "<textarea><u>"},
};

static void test_html_walk(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(html_cases); i++) {
		struct tag_log l;

		buf_init(&l.b, 4096);
		assert_int_equal(
		    web_html_walk(html_cases[i].html, strlen(html_cases[i].html), log_tag, &l), 0);
		if (strcmp(l.b.ptr, html_cases[i].tags) != 0)
			fail_msg("html %zu: got %s want %s", i, l.b.ptr, html_cases[i].tags);
		buf_release(&l.b);
	}
}

static int count_tag(const struct html_tag *t, void *arg)
{
	size_t len;

	(void)len;
	assert_true(t->n_attrs <= HTML_MAX_ATTRS);
	(*(size_t *)arg)++;
	return 0;
}

static void test_html_bounds(void **state)
{
	struct buf b = BUF_INIT;
	size_t n = 0, i;
	struct html_tag t;
	size_t len;

	(void)state;
	/* 100 attributes: the first HTML_MAX_ATTRS are kept. */
	assert_int_equal(buf_adds(&b, "<div"), 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(buf_addf(&b, " a%zu=%zu", i, i), 0);
	assert_int_equal(buf_adds(&b, "><p>"), 0);
	assert_int_equal(web_html_walk(b.ptr, b.len, count_tag, &n), 0);
	assert_int_equal(n, 2);
	/* A tag longer than the 8 KiB cap is dropped, the rest still parsed. */
	buf_reset(&b);
	n = 0;
	assert_int_equal(buf_adds(&b, "<div title=\""), 0);
	for (i = 0; i < 20000; i++)
		assert_int_equal(buf_addch(&b, 'x'), 0);
	assert_int_equal(buf_adds(&b, "\"><p><q>"), 0);
	assert_int_equal(web_html_walk(b.ptr, b.len, count_tag, &n), 0);
	assert_int_equal(n, 2);
	buf_release(&b);
	memset(&t, 0, sizeof(t));
	t.a[0].name = "SRC";
	t.a[0].name_len = 3;
	t.a[0].value = "x";
	t.a[0].value_len = 1;
	t.n_attrs = 1;
	assert_non_null(web_html_attr(&t, "src", &len));
	assert_int_equal(len, 1);
	assert_null(web_html_attr(&t, "href", &len));
}

/* ----------------------------------------------------------------- CMS */

struct gen_case {
	const char *s;
	int rc;
	const char *cms, *ver;
};

static const struct gen_case gen_cases[] = {
    {"WordPress 6.1.9", 0, "wordpress", "6.1.9"},
    {"WordPress", 0, "wordpress", ""},
    {"https://wordpress.org/?v=6.4.2", 0, "wordpress", "6.4.2"},
    {"Joomla! - Open Source Content Management", 0, "joomla", ""},
    {"Joomla! 4.2 - Open Source Content Management", 0, "joomla", "4.2"},
    {"Drupal 10 (https://www.drupal.org)", 0, "drupal", "10"},
    {"Drupal 7 (http://drupal.org)", 0, "drupal", "7"},
    {"Hugo 0.111.3", ERR_NOTFOUND, NULL, NULL},
    {"", ERR_NOTFOUND, NULL, NULL},
};

static void test_generator(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(gen_cases); i++) {
		char cms[32] = "", ver[32] = "";
		int rc = web_generator_parse(gen_cases[i].s, strlen(gen_cases[i].s), cms,
					     sizeof(cms), ver, sizeof(ver));

		assert_int_equal(rc, gen_cases[i].rc);
		if (rc == 0) {
			assert_string_equal(cms, gen_cases[i].cms);
			assert_string_equal(ver, gen_cases[i].ver);
		}
	}
}

static void test_stable_tag(void **state)
{
	static const char readme[] = "=== Akismet ===\r\nContributors: x\r\n"
				     "Requires at least: 5.0\r\nStable tag: 5.0.2\r\n\r\n== D ==\n";
	char v[32];

	(void)state;
	assert_int_equal(web_readme_stable_tag(readme, sizeof(readme) - 1, v, sizeof(v)), 0);
	assert_string_equal(v, "5.0.2");
	assert_int_equal(web_readme_stable_tag("stable tag:  1.2.\n", 18, v, sizeof(v)), 0);
	assert_string_equal(v, "1.2");
	assert_int_equal(web_readme_stable_tag("Stable tag: trunk\n", 18, v, sizeof(v)), ERR_PARSE);
	assert_int_equal(web_readme_stable_tag("nothing\n", 8, v, sizeof(v)), ERR_NOTFOUND);
}

static void test_cms_db(void **state)
{
	static const char f[] = "# comment\n\nWordPress\t6.8.3\t2025-09-30\r\n"
				"wp:akismet\t5.5\n  drupal \t 11.2.5 \t x\n";
	struct cms_db db;
	char path[512];
	struct buf err = BUF_INIT;
	const char *src = getenv("WACHTER_SRC");

	(void)state;
	assert_int_equal(web_cms_parse(f, sizeof(f) - 1, &db), 0);
	assert_int_equal(db.n, 3);
	assert_string_equal(web_cms_latest(&db, "wordpress"), "6.8.3");
	assert_string_equal(web_cms_latest(&db, "WP:AKISMET"), "5.5");
	assert_string_equal(web_cms_latest(&db, "drupal"), "11.2.5");
	assert_null(web_cms_latest(&db, "joomla"));
	web_cms_release(&db);
	assert_int_equal(web_cms_parse("wordpress\n", 10, &db), ERR_PARSE);
	assert_int_equal(web_cms_parse("wordpress\t\n", 11, &db), ERR_PARSE);
	assert_int_equal(web_cms_parse("word\0press\t1.0\n", 15, &db), ERR_PARSE);
	assert_int_equal(web_cms_parse("wordpress\t1 .0\n", 15, &db), ERR_PARSE);
	/* The shipped data file parses and names the products the checks use. */
	snprintf(path, sizeof(path), "%s/data/cms-versions.tsv", src ? src : ".");
	assert_int_equal(web_cms_load(path, &db, &err), 0);
	assert_non_null(web_cms_latest(&db, "wordpress"));
	assert_non_null(web_cms_latest(&db, "joomla"));
	assert_non_null(web_cms_latest(&db, "drupal"));
	assert_non_null(web_cms_latest(&db, "wp:akismet"));
	assert_non_null(web_cms_latest(&db, "wp:wordpress-seo"));
	web_cms_release(&db);
	assert_int_equal(web_cms_load("/nonexistent/x.tsv", &db, &err), ERR_IO);
	buf_release(&err);
}

/* ------------------------------------------------------------------ URLs */

struct url_case {
	const char *base, *loc, *want; /* want NULL = error */
};

static const struct url_case url_cases[] = {
    {"http://a.test/", "https://a.test/", "https://a.test/"},
    {"http://a.test/x/y?q=1", "/z", "http://a.test/z"},
    {"http://a.test:8080/x/y", "z", "http://a.test:8080/x/z"},
    {"http://a.test", "z", "http://a.test/z"},
    {"https://a.test/x", "//b.test/p", "https://b.test/p"},
    {"http://a.test/x/y?q=1#f", "?r=2", "http://a.test/x/y?r=2"},
    {"http://a.test/x?q=1#f", "#g", "http://a.test/x?q=1#g"},
    {"http://a.test", "?r", "http://a.test/?r"},
    {"http://a.test/", "javascript:alert(1)", NULL},
    {"http://a.test/", "ftp://b.test/", NULL},
    {"http://a.test/", "/a b", NULL},
    {"http://a.test/", "", NULL},
};

static void test_url_resolve(void **state)
{
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(url_cases); i++) {
		int rc = web_url_resolve(url_cases[i].base, url_cases[i].loc, &b);

		if (!url_cases[i].want) {
			assert_int_not_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(b.ptr, url_cases[i].want);
	}
	buf_release(&b);
}

struct exposed_case {
	const char *path, *body;
	size_t len;
	const char *hdrs;
	int want;
};

#define EB(s) s, sizeof(s) - 1
static const struct exposed_case exposed_cases[] = {
    {"/.git/config", EB("[core]\n\trepositoryformatversion = 0\n"), NULL, 1},
    {"/.git/config", EB("<html>[core]</html>"), NULL, 0},
    {"/.git/config", EB("[core]"), "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", 0},
    {"/.git/HEAD", EB("ref: refs/heads/main\n"), NULL, 1},
    {"/.git/HEAD", EB("0123456789abcdef0123456789abcdef01234567\n"), NULL, 1},
    {"/.git/HEAD", EB("Not Found"), NULL, 0},
    {"/.git/logs/HEAD",
     EB("0000000000000000000000000000000000000000 0123456789abcdef0123456789abcdef01234567 A "
	"<a@b> 1 +0000\tclone"),
     NULL, 1},
    {"/.git/logs/HEAD", EB("ref: refs/heads/main\n"), NULL, 0},
    {"/.env", EB("APP_KEY=x\n# c\nexport DB_PASSWORD=y\n"), NULL, 1},
    {"/.env", EB("<!doctype html><p>APP=1</p>"), NULL, 0},
    {"/.env", EB("hello world\nthis is text\nX=1\n"), NULL, 0},
    {"/.env", EB("lower=1\n"), NULL, 0},
    {"/backup.zip", EB("PK\x03\x04\x14\x00"), NULL, 1},
    {"/backup.zip", EB("<html>404</html>"), NULL, 0},
    {"/backup.tar.gz", EB("\x1f\x8b\x08\x00"), NULL, 1},
    {"/backup.sql", EB("-- MariaDB dump 10.19\n"), NULL, 1},
    {"/.svn/wc.db", EB("SQLite format 3\0\x10\x00"), NULL, 1},
    {"/.DS_Store", EB("\0\0\0\1Bud1\0\0"), NULL, 1},
    {"/.DS_Store", EB("Bud1"), NULL, 0},
    {"/index.html", EB("x"), NULL, -1},
};

static void test_exposed_match(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(exposed_cases); i++) {
		const struct exposed_case *k = &exposed_cases[i];
		int m = web_exposed_match(k->path, k->body, k->len, k->hdrs);

		if (m != k->want)
			fail_msg("exposed %s case %zu: got %d want %d", k->path, i, m, k->want);
	}
}

static void test_has_version(void **state)
{
	static const struct {
		const char *s;
		int v;
	} cases[] = {
	    {"nginx/1.22.1", 1},
	    {"Apache/2.4.62 (Debian)", 1},
	    {"nginx", 0},
	    {"Microsoft-IIS/10.0", 1},
	    {"PHP/8.2.29", 1},
	    {"ASP.NET", 0},
	    {"4.0.30319", 1},
	    {"Drupal 10 (https://www.drupal.org)", 1},
	    {"ECS (dcb/7EC9)", 0},
	    {"cloudflare", 0},
	    {"AmazonS3", 0},
	    {"Express", 0},
	    {"gws", 0},
	    {"openresty/1.21.4.1", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (web_has_version(cases[i].s, strlen(cases[i].s)) != cases[i].v)
			fail_msg("has_version %s", cases[i].s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_headers_basic), cmocka_unit_test(test_headers_interim_and_join),
	    cmocka_unit_test(test_headers_caps),  cmocka_unit_test(test_csp_classify),
	    cmocka_unit_test(test_csp_parse),	  cmocka_unit_test(test_csp_eval),
	    cmocka_unit_test(test_cookie_parse),  cmocka_unit_test(test_cookie_long_name),
	    cmocka_unit_test(test_hsts_parse),	  cmocka_unit_test(test_sectxt),
	    cmocka_unit_test(test_sectxt_fields), cmocka_unit_test(test_html_walk),
	    cmocka_unit_test(test_html_bounds),	  cmocka_unit_test(test_generator),
	    cmocka_unit_test(test_stable_tag),	  cmocka_unit_test(test_cms_db),
	    cmocka_unit_test(test_url_resolve),	  cmocka_unit_test(test_has_version),
	    cmocka_unit_test(test_exposed_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
