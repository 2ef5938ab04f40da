/*
 * csp.c: Content-Security-Policy parsing (CSP Level 3 serialized policy
 * lists) and the judgement the Observatory rules need: what an enforced
 * policy list allows for scripts, objects, styles and passive content.
 * Walks the bytes with a cursor; sources are classified, never copied.
 */
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

#define CSP_MAX_LEN 65536

static const char *const dir_names[CSP_DIR_COUNT] = {
    [CSP_DEFAULT_SRC] = "default-src",
    [CSP_SCRIPT_SRC] = "script-src",
    [CSP_SCRIPT_SRC_ELEM] = "script-src-elem",
    [CSP_STYLE_SRC] = "style-src",
    [CSP_IMG_SRC] = "img-src",
    [CSP_MEDIA_SRC] = "media-src",
    [CSP_OBJECT_SRC] = "object-src",
    [CSP_CONNECT_SRC] = "connect-src",
    [CSP_FONT_SRC] = "font-src",
    [CSP_FRAME_SRC] = "frame-src",
    [CSP_CHILD_SRC] = "child-src",
    [CSP_WORKER_SRC] = "worker-src",
    [CSP_MANIFEST_SRC] = "manifest-src",
    [CSP_BASE_URI] = "base-uri",
    [CSP_FORM_ACTION] = "form-action",
    [CSP_FRAME_ANCESTORS] = "frame-ancestors",
    [CSP_UPGRADE_INSECURE] = "upgrade-insecure-requests",
    [CSP_REPORT_URI] = "report-uri",
    [CSP_REPORT_TO] = "report-to",
    [CSP_SANDBOX] = "sandbox",
};

const char *web_csp_dir_name(enum csp_dir d)
{
	return (unsigned)d < CSP_DIR_COUNT ? dir_names[d] : "?";
}

int web_csp_dir_lookup(const char *s, size_t len)
{
	int i;

	for (i = 0; i < CSP_DIR_COUNT; i++) {
		if (strlen(dir_names[i]) == len && strncasecmp(dir_names[i], s, len) == 0)
			return i;
	}
	return -1;
}

static int is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_b64(unsigned char ch)
{
	return is_alpha(ch) || is_digit(ch) || ch == '+' || ch == '/' || ch == '-' || ch == '_' ||
	       ch == '=';
}

static int eq_ci(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && strncasecmp(s, lit, len) == 0;
}

static int starts_ci(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && strncasecmp(s, lit, n) == 0;
}

static int all_b64(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (!is_b64((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static unsigned classify_keyword(const char *s, size_t len)
{
	static const struct {
		const char *kw;
		unsigned bit;
	} kws[] = {
	    {"self", CSP_S_SELF},
	    {"none", CSP_S_NONE},
	    {"unsafe-inline", CSP_S_UNSAFE_INLINE},
	    {"unsafe-eval", CSP_S_UNSAFE_EVAL},
	    {"strict-dynamic", CSP_S_STRICT_DYNAMIC},
	    {"unsafe-hashes", CSP_S_UNSAFE_HASHES},
	    {"wasm-unsafe-eval", CSP_S_WASM_EVAL},
	    {"report-sample", CSP_S_OTHER_KEYWORD},
	    {"unsafe-allow-redirects", CSP_S_OTHER_KEYWORD},
	    {"inline-speculation-rules", CSP_S_OTHER_KEYWORD},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kws); i++) {
		if (eq_ci(s, len, kws[i].kw))
			return kws[i].bit;
	}
	if (starts_ci(s, len, "nonce-") && all_b64(s + 6, len - 6))
		return CSP_S_NONCE;
	if ((starts_ci(s, len, "sha256-") || starts_ci(s, len, "sha384-") ||
	     starts_ci(s, len, "sha512-")) &&
	    all_b64(s + 7, len - 7))
		return CSP_S_HASH;
	return CSP_S_BAD;
}

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); *n = its length */
static int scheme_len(const char *s, size_t len, size_t *n)
{
	size_t i;

	if (len == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!is_alpha(ch) && !is_digit(ch) && ch != '+' && ch != '-' && ch != '.')
			break;
	}
	*n = i;
	return 1;
}

static unsigned classify_scheme(const char *s, size_t n)
{
	if (eq_ci(s, n, "data"))
		return CSP_S_DATA;
	if (eq_ci(s, n, "http") || eq_ci(s, n, "ws"))
		return CSP_S_HTTP_SCHEME;
	if (eq_ci(s, n, "https") || eq_ci(s, n, "wss"))
		return CSP_S_HTTPS_SCHEME;
	if (eq_ci(s, n, "blob") || eq_ci(s, n, "filesystem") || eq_ci(s, n, "mediastream"))
		return CSP_S_BLOB;
	return CSP_S_HOST;
}

/* host-source: [scheme "://"] host [":" port] [path] */
static unsigned classify_host(const char *s, size_t len)
{
	size_t n = 0, i;
	int insecure = 0;

	if (scheme_len(s, len, &n) && n + 2 < len && memcmp(s + n, "://", 3) == 0) {
		unsigned sch = classify_scheme(s, n);

		insecure = sch == CSP_S_HTTP_SCHEME;
		s += n + 3;
		len -= n + 3;
	}
	if (len == 0)
		return CSP_S_BAD;
	if (len == 1 && s[0] == '*')
		return insecure ? CSP_S_HTTP_HOST : CSP_S_WILDCARD;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= 0x20 || ch >= 0x7f || ch == ';' || ch == ',' || ch == '\'')
			return CSP_S_BAD;
	}
	if (s[0] == '*' && (len < 2 || s[1] != '.'))
		return CSP_S_BAD;
	return insecure ? CSP_S_HTTP_HOST : CSP_S_HOST;
}

unsigned web_csp_classify(const char *s, size_t len)
{
	size_t n;

	if (len == 1 && s[0] == '*')
		return CSP_S_WILDCARD;
	if (len >= 2 && s[0] == '\'' && s[len - 1] == '\'')
		return classify_keyword(s + 1, len - 2);
	if (len && s[0] == '\'')
		return CSP_S_BAD;
	if (scheme_len(s, len, &n) && n + 1 == len && s[n] == ':')
		return classify_scheme(s, n);
	return classify_host(s, len);
}

static int is_csp_ws(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static void next_token(struct cursor *c, struct cursor *tok)
{
	while (c->len && is_csp_ws(c->p[0]))
		web_adv(c, 1);
	tok->p = c->p;
	tok->len = 0;
	while (c->len && !is_csp_ws(c->p[0])) {
		web_adv(c, 1);
		tok->len++;
	}
}

static int valid_dir_name(const struct cursor *n)
{
	size_t i;

	for (i = 0; i < n->len; i++) {
		if (!is_alpha(n->p[i]) && !is_digit(n->p[i]) && n->p[i] != '-')
			return 0;
	}
	return n->len > 0;
}

static void parse_directive(struct csp_policy *pol, struct cursor c)
{
	struct cursor name, tok;
	struct csp_directive *d;
	int idx;

	next_token(&c, &name);
	if (name.len == 0)
		return;
	if (!valid_dir_name(&name)) {
		pol->n_bad++;
		return;
	}
	pol->n_directives++;
	idx = web_csp_dir_lookup((const char *)name.p, name.len);
	if (idx < 0) {
		pol->n_unknown++;
		return;
	}
	d = &pol->d[idx];
	if (d->present) { /* CSP3 6.1: a repeated directive is ignored */
		pol->n_dup++;
		return;
	}
	d->present = 1;
	for (;;) {
		unsigned bit;

		next_token(&c, &tok);
		if (tok.len == 0)
			break;
		bit = web_csp_classify((const char *)tok.p, tok.len);
		if (bit == CSP_S_BAD)
			pol->n_bad++;
		d->src |= bit;
		d->n_src++;
	}
}

static int parse_policy(struct csp_policy *pol, struct cursor c)
{
	struct cursor dir;

	memset(pol, 0, sizeof(*pol));
	while (c.len) {
		if (cursor_until(&c, ';', &dir)) {
			dir = c;
			c.len = 0;
		} else {
			web_adv(&c, 1);
		}
		parse_directive(pol, dir);
	}
	return pol->n_directives > 0;
}

int web_csp_parse(const char *s, size_t len, struct csp *out)
{
	struct cursor c, pc;

	memset(out, 0, sizeof(*out));
	if (len > CSP_MAX_LEN)
		return ERR_TOO_BIG;
	cursor_init(&c, s, len);
	while (c.len) {
		if (cursor_until(&c, ',', &pc)) {
			pc = c;
			c.len = 0;
		} else {
			web_adv(&c, 1);
		}
		if (out->n == CSP_MAX_POLICIES)
			return ERR_TOO_BIG;
		if (parse_policy(&out->p[out->n], pc))
			out->n++;
	}
	return out->n ? 0 : ERR_PARSE;
}

/* The directive that governs d (falling back to default-src), or NULL. */
static const struct csp_directive *governing(const struct csp_policy *p, enum csp_dir d)
{
	if (p->d[d].present)
		return &p->d[d];
	if (p->d[CSP_DEFAULT_SRC].present)
		return &p->d[CSP_DEFAULT_SRC];
	return NULL;
}

#define CSP_INSECURE_SRC                                                                           \
	(CSP_S_DATA | CSP_S_WILDCARD | CSP_S_HTTP_SCHEME | CSP_S_HTTPS_SCHEME | CSP_S_HTTP_HOST)

static int inline_allowed(const struct csp_directive *d)
{
	if (!d)
		return 1;
	/* CSP2+: a nonce or hash (or 'strict-dynamic') disables 'unsafe-inline'. */
	return (d->src & CSP_S_UNSAFE_INLINE) &&
	       !(d->src & (CSP_S_NONCE | CSP_S_HASH | CSP_S_STRICT_DYNAMIC));
}

static int script_insecure(const struct csp_directive *d)
{
	if (!d)
		return 1;
	/* 'strict-dynamic' makes browsers ignore host and scheme sources. */
	if (d->src & CSP_S_STRICT_DYNAMIC)
		return 0;
	return (d->src & CSP_INSECURE_SRC) != 0;
}

static void eval_policy(const struct csp_policy *p, struct csp_eval *e)
{
	const struct csp_directive *script = governing(p, CSP_SCRIPT_SRC);
	const struct csp_directive *obj = governing(p, CSP_OBJECT_SRC);
	const struct csp_directive *style = governing(p, CSP_STYLE_SRC);
	const struct csp_directive *img = governing(p, CSP_IMG_SRC);
	const struct csp_directive *media = governing(p, CSP_MEDIA_SRC);
	const struct csp_directive *fa = &p->d[CSP_FRAME_ANCESTORS];
	const struct csp_directive *form = &p->d[CSP_FORM_ACTION];
	const unsigned http = CSP_S_HTTP_SCHEME | CSP_S_HTTP_HOST;

	/* A property holds for the list only if every policy allows it. */
	e->unsafe_inline_script &= inline_allowed(script);
	e->unsafe_eval &= !script || (script->src & CSP_S_UNSAFE_EVAL) != 0;
	e->insecure_script &=
	    script_insecure(script) || (obj && (obj->src & (CSP_S_DATA | CSP_S_WILDCARD | http)));
	/* Passive content: explicit http: sources in any policy (Observatory). */
	if ((img && (img->src & http)) || (media && (media->src & http)))
		e->insecure_passive = 1;
	e->unsafe_inline_style &= inline_allowed(style);
	/* Restrictions: one policy that restricts is enough. */
	if (p->d[CSP_DEFAULT_SRC].present && p->d[CSP_DEFAULT_SRC].src == CSP_S_NONE)
		e->default_none = 1;
	if (form->present && !(form->src & (CSP_S_WILDCARD | CSP_S_HTTP_SCHEME)))
		e->form_action = 1;
	if (fa->present && fa->n_src &&
	    !(fa->src & (CSP_S_WILDCARD | CSP_S_HTTP_SCHEME | CSP_S_HTTPS_SCHEME | CSP_S_BAD)))
		e->frame_ancestors = 1;
}

void web_csp_eval(const struct csp *c, struct csp_eval *e)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	if (c->n == 0)
		return;
	e->unsafe_inline_script = e->unsafe_eval = e->insecure_script = 1;
	e->unsafe_inline_style = 1;
	for (i = 0; i < c->n; i++)
		eval_policy(&c->p[i], e);
}
