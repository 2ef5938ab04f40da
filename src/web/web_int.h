/*
 * web_int.h: private declarations of src/web: the bounded parsers (header
 * block, CSP, Set-Cookie, HSTS, security.txt, HTML tags), the fetcher and
 * the rules that turn parsed input into Observatory results. Only src/web
 * and its unit tests include this.
 */
#ifndef WACHTER_WEB_INT_H
#define WACHTER_WEB_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "web/web.h"

/* web_adv: advance c by n bytes (at most its length); for skips whose
 * length the caller has already checked. */
static inline void web_adv(struct cursor *c, size_t n)
{
	if (n > c->len)
		n = c->len;
	c->p += n;
	c->len -= n;
}

/* ------------------------------------------------------------ header block */

#define WEB_HDR_MAX_LINES 256
#define WEB_HDR_MAX_LINE 16384
#define WEB_HDR_MAX_BLOCK 65536

struct web_header {
	char *name;  /* as sent */
	char *value; /* trimmed, folded lines joined with one space */
};

struct web_headers {
	struct web_header *v;
	size_t n, cap;
	long status;   /* from the status line; 0 when absent */
	int folded;    /* obs-fold continuation lines seen */
	int bad_lines; /* lines that are not name: value (skipped) */
};

void web_headers_init(struct web_headers *h);
void web_headers_release(struct web_headers *h);
/*
 * web_headers_parse: the header block p[0..len) (status line, then header
 * lines up to an empty line or the end) into h (emptied first). A later
 * status line starts over (1xx, proxies). ERR_TOO_BIG past
 * WEB_HDR_MAX_LINES/WEB_HDR_MAX_LINE; ERR_NOMEM.
 */
int web_headers_parse(const char *p, size_t len, struct web_headers *h) WUR;
/* web_headers_get: the first value of name (case-insensitive) or NULL;
 * *count (may be NULL) gets the number of such headers. */
const char *web_headers_get(const struct web_headers *h, const char *name, size_t *count);
/* web_headers_join: all values of name joined with ", " into out. */
int web_headers_join(const struct web_headers *h, const char *name, struct buf *out) WUR;

/* ---------------------------------------------------------------------- CSP */

enum csp_dir {
	CSP_DEFAULT_SRC = 0,
	CSP_SCRIPT_SRC,
	CSP_SCRIPT_SRC_ELEM,
	CSP_STYLE_SRC,
	CSP_IMG_SRC,
	CSP_MEDIA_SRC,
	CSP_OBJECT_SRC,
	CSP_CONNECT_SRC,
	CSP_FONT_SRC,
	CSP_FRAME_SRC,
	CSP_CHILD_SRC,
	CSP_WORKER_SRC,
	CSP_MANIFEST_SRC,
	CSP_BASE_URI,
	CSP_FORM_ACTION,
	CSP_FRAME_ANCESTORS,
	CSP_UPGRADE_INSECURE,
	CSP_REPORT_URI,
	CSP_REPORT_TO,
	CSP_SANDBOX,
	CSP_DIR_COUNT
};

/* Source-expression classes seen in one directive (bits). */
enum csp_src {
	CSP_S_SELF = 1u << 0,
	CSP_S_NONE = 1u << 1,
	CSP_S_UNSAFE_INLINE = 1u << 2,
	CSP_S_UNSAFE_EVAL = 1u << 3,
	CSP_S_STRICT_DYNAMIC = 1u << 4,
	CSP_S_NONCE = 1u << 5,
	CSP_S_HASH = 1u << 6,
	CSP_S_DATA = 1u << 7,	      /* data: */
	CSP_S_HTTP_SCHEME = 1u << 8,  /* http: or ws: */
	CSP_S_HTTPS_SCHEME = 1u << 9, /* https: or wss: */
	CSP_S_WILDCARD = 1u << 10,    /* * */
	CSP_S_HTTP_HOST = 1u << 11,   /* http://host, ws://host */
	CSP_S_HOST = 1u << 12,	      /* any other host source */
	CSP_S_BLOB = 1u << 13,
	CSP_S_UNSAFE_HASHES = 1u << 14,
	CSP_S_WASM_EVAL = 1u << 15,
	CSP_S_OTHER_KEYWORD = 1u << 16, /* 'report-sample' etc. */
	CSP_S_BAD = 1u << 17,		/* not a valid source expression */
};

struct csp_directive {
	int present;
	unsigned src; /* enum csp_src bits */
	unsigned n_src;
};

#define CSP_MAX_POLICIES 8

struct csp_policy {
	struct csp_directive d[CSP_DIR_COUNT];
	unsigned n_directives;
	unsigned n_unknown; /* unknown directive names */
	unsigned n_dup;	    /* repeated directives (ignored by browsers) */
	unsigned n_bad;	    /* malformed directive names or sources */
};

struct csp {
	struct csp_policy p[CSP_MAX_POLICIES];
	size_t n; /* policies (comma separated / several headers) */
};

/*
 * web_csp_parse: a Content-Security-Policy value (CSP3 serialized policy
 * list: policies separated by ',', directives by ';'). ERR_PARSE when it
 * holds no directive at all; ERR_TOO_BIG over CSP_MAX_POLICIES policies
 * or 64 KiB. Never reads past len.
 */
int web_csp_parse(const char *s, size_t len, struct csp *out) WUR;
/* web_csp_classify: the enum csp_src bit of one source expression. */
unsigned web_csp_classify(const char *s, size_t len);
/* web_csp_dir_name: "default-src", ...; web_csp_dir_lookup: index or -1. */
const char *web_csp_dir_name(enum csp_dir d);
int web_csp_dir_lookup(const char *s, size_t len);

/* What an enforced policy list allows (the rules' view of a CSP). */
struct csp_eval {
	int unsafe_inline_script; /* 'unsafe-inline' without nonce/hash/strict-dynamic */
	int unsafe_eval;
	int insecure_script;  /* data:, *, http:, https: or http:// in script/object src */
	int insecure_passive; /* http: sources in img/media/style/font */
	int unsafe_inline_style;
	int default_none;    /* default-src 'none' */
	int form_action;     /* form-action restricted (not *) */
	int frame_ancestors; /* frame-ancestors restricted (not *) */
};

/* web_csp_eval: judge a parsed policy list (a source is allowed only when
 * every policy allows it). */
void web_csp_eval(const struct csp *c, struct csp_eval *e);

/* --------------------------------------------------------------- Set-Cookie */

enum cookie_samesite {
	COOKIE_SS_UNSET = 0,
	COOKIE_SS_STRICT,
	COOKIE_SS_LAX,
	COOKIE_SS_NONE,
	COOKIE_SS_INVALID
};

struct web_cookie {
	char name[128]; /* truncated for display; name_len is the real length */
	size_t name_len;
	int secure, httponly, partitioned;
	enum cookie_samesite samesite;
	int has_expires, has_max_age, has_domain, has_path;
	int64_t max_age;
	int session;	    /* name looks like a session/login cookie (Observatory) */
	int anticsrf;	    /* name looks like an anti-CSRF token */
	unsigned n_unknown; /* unknown attributes */
};

/*
 * web_cookie_parse: one Set-Cookie value (RFC 6265 5.2). ERR_PARSE when
 * the name-value pair has no '=' or an empty name (browsers ignore such
 * cookies); ERR_TOO_BIG over 8 KiB.
 */
int web_cookie_parse(const char *s, size_t len, struct web_cookie *c) WUR;

/* --------------------------------------------------------------------- HSTS */

struct web_hsts {
	uint64_t max_age; /* seconds; UINT64_MAX when it overflowed */
	int include_subdomains;
	int preload;
	unsigned n_unknown;
};

/*
 * web_hsts_parse: a Strict-Transport-Security value (RFC 6797 6.1).
 * ERR_PARSE when invalid: no or malformed max-age, a repeated directive,
 * a value on includeSubDomains/preload, bad quoting. A UA ignores an
 * invalid header, so the caller treats it as missing.
 */
int web_hsts_parse(const char *s, size_t len, struct web_hsts *h) WUR;

/* ------------------------------------------------------------ security.txt */

#define SECTXT_MAX_SIZE 32768
#define SECTXT_MAX_CANON 8

struct web_sectxt {
	unsigned n_contact, n_expires, n_canonical, n_encryption, n_policy, n_langs;
	unsigned n_fields, n_unknown;
	char contact[200]; /* the first Contact, truncated */
	time_t expires;	   /* valid only when n_expires == 1 and !bad_expires */
	int bad_expires;   /* Expires is not RFC 3339 */
	char *canonical[SECTXT_MAX_CANON];
	int signed_msg;	 /* OpenPGP cleartext signed framing seen */
	int bad_framing; /* signed framing broken */
	unsigned n_bad;	 /* lines that are neither field, comment nor blank */
	unsigned first_bad_line;
};

void web_sectxt_init(struct web_sectxt *s);
void web_sectxt_release(struct web_sectxt *s);
/*
 * web_sectxt_parse: a security.txt body (RFC 9116) into s (initialised by
 * the caller). Unknown fields are counted, not errors. ERR_TOO_BIG over
 * SECTXT_MAX_SIZE; ERR_NOMEM.
 */
int web_sectxt_parse(const char *p, size_t len, struct web_sectxt *s) WUR;
/*
 * web_sectxt_problem: NULL when s is valid for url at now (one Contact or
 * more, exactly one Expires in the future and less than a year ahead,
 * Canonical, if any, lists url, framing intact); else a static reason.
 */
const char *web_sectxt_problem(const struct web_sectxt *s, const char *url, time_t now);

/* ---------------------------------------------------------------- HTML tags */

#define HTML_MAX_ATTRS 32

struct html_attr {
	const char *name, *value; /* not NUL-terminated; value may be NULL */
	size_t name_len, value_len;
};

struct html_tag {
	const char *name;
	size_t name_len;
	struct html_attr a[HTML_MAX_ATTRS];
	size_t n_attrs;
};

/* Called for every start tag; a non-zero return stops the walk with it. */
typedef int (*html_tag_fn)(const struct html_tag *t, void *arg);

/*
 * web_html_walk: call fn for each start tag of p[0..len), skipping
 * comments, doctype and the content of script/style elements. Bounded:
 * at most HTML_MAX_ATTRS attributes per tag (the rest skipped), tags cut
 * at 8 KiB. Returns fn's non-zero value or 0.
 */
int web_html_walk(const char *p, size_t len, html_tag_fn fn, void *arg);
/* web_html_attr: the value of attribute name in t, or NULL (value_len in *len). */
const char *web_html_attr(const struct html_tag *t, const char *name, size_t *len);

/* --------------------------------------------------------------- the rules */

struct web_script {
	char src[256];
	int has_integrity;
};

#define WEB_MAX_SCRIPTS 64
#define WEB_MAX_COOKIES 32

/* Everything the rules look at, gathered by web_scan (or a unit test). */
struct web_input {
	const char *host;
	int http_reachable, https_reachable;
	const struct web_hop *hops; /* the http:// chain */
	size_t n_hops;
	int chain_loop;			 /* more than WEB_MAX_HOPS hops */
	const struct web_headers *first; /* first https response (HSTS) */
	const struct web_headers *page;	 /* the page judged (final response) */
	const struct web_headers *cors;	 /* reply to the Origin probe, or NULL */
	const char *cors_origin;
	const char *html; /* page body, may be NULL */
	size_t html_len;
	int html_is_html;
	const char *page_url;
	const char *gzip_encoding; /* Content-Encoding of the gzip probe, or NULL */
};

/* One rule per Observatory test group; each appends to the report. */
int web_rule_redirect(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_hsts(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_csp(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_framing(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_xcto(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_referrer(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_cookies(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_cors(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_sri(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_xorigin(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_banners(const struct web_input *in, struct web_report *rep) WUR;
int web_rule_compression(const struct web_input *in, struct web_report *rep) WUR;
/* web_rules_all: every rule above, then web_score. */
int web_rules_all(const struct web_input *in, struct web_report *rep) WUR;

/* web_result_add: append a result (ERR_TOO_BIG when the report is full). */
int web_result_add(struct web_report *rep, const char *test, const char *check_id, int mod, int sev,
		   const char *evidence, const char *fmt, ...) PRINTF_LIKE(7, 8) WUR;
/* web_score: the Observatory score and grade of rep's results. */
void web_score(struct web_report *rep);
/* web_has_version: a version number in a product banner ("nginx/1.22.1"). */
int web_has_version(const char *s, size_t len);

/* ------------------------------------------------------------------ the CMS */

struct cms_latest {
	char product[64];
	char version[32];
};

struct cms_db {
	struct cms_latest *v;
	size_t n;
};

/* web_cms_load: parse the versions file (product TAB version TAB date,
 * '#' comments). ERR_PARSE with the line in err; ERR_IO. */
int web_cms_load(const char *path, struct cms_db *db, struct buf *err) WUR;
int web_cms_parse(const char *p, size_t len, struct cms_db *db) WUR;
void web_cms_release(struct cms_db *db);
/* web_cms_latest: the newest known version of product, or NULL. */
const char *web_cms_latest(const struct cms_db *db, const char *product);
/* web_readme_stable_tag: "Stable tag: X" of a WordPress readme.txt. */
int web_readme_stable_tag(const char *p, size_t len, char *out, size_t outsz) WUR;
/* web_generator_parse: "WordPress 6.1.9" -> cms "wordpress", version. */
int web_generator_parse(const char *s, size_t len, char *cms, size_t cmssz, char *ver,
			size_t versz) WUR;

/* ---------------------------------------------------------------- fetching */

struct curl_slist;

/* One scan's HTTP client: a reused libcurl handle, the pinned address and
 * the overall deadline. Not thread safe; one per web_scan. */
struct web_ctx {
	void *curl; /* CURL * */
	struct curl_slist *resolve;
	const struct web_opts *o;
	struct logger *lg;
	int requests;
	long timeout_ms;
	int64_t deadline_ms;
	char ua[80];
};

struct web_req {
	const char *origin; /* send Origin: (CORS probe) */
	int gzip;	    /* send Accept-Encoding: gzip, deflate, br (not decoded) */
};

struct web_resp {
	long status;
	struct web_headers h;
	struct buf body; /* capped; truncated set when the cap cut it */
	int truncated;
	int cert_ok; /* -1 not https */
	char err[80];
};

void web_resp_init(struct web_resp *r, size_t body_max);
void web_resp_release(struct web_resp *r);

int web_ctx_init(struct web_ctx *x, const struct web_opts *o, struct logger *lg) WUR;
void web_ctx_release(struct web_ctx *x);
/*
 * web_fetch: GET url into resp (initialised with its body cap). Returns 0
 * with resp->status set, or an ERR_ code with resp->err set (ERR_TIMEOUT
 * also when the scan deadline has passed).
 */
int web_fetch(struct web_ctx *x, const char *url, const struct web_req *rq,
	      struct web_resp *resp) WUR;
/*
 * web_site_probes: security.txt (HDR-09), exposed files (EXP-01) and the
 * CMS (CMS-01/02) of the site at origin ("https://host"), appended to rep
 * as results. page is the page judged (for CMS markers).
 */
int web_site_probes(struct web_ctx *x, const struct web_opts *o, const char *origin,
		    const char *page_url, const struct web_resp *page, struct web_report *rep,
		    struct logger *lg) WUR;
/*
 * web_exposed_match: whether body (with the given raw header block, e.g.
 * "Content-Type: text/html\r\n", or NULL) is the kind of file EXP-01 probes
 * at path: 1 yes, 0 no, -1 path is not probed.
 */
int web_exposed_match(const char *path, const char *body, size_t len, const char *content_type);
/* web_url_resolve: Location loc relative to base, as an http(s) URL. */
int web_url_resolve(const char *base, const char *loc, struct buf *out) WUR;

#endif
