/*
 * cookie.c: Set-Cookie (RFC 6265 section 5.2, with SameSite and
 * Partitioned) and Strict-Transport-Security (RFC 6797 section 6.1)
 * parsers. Both walk a cursor over the header value and keep only the
 * attributes the rules judge.
 */
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

#define COOKIE_MAX_LEN 8192

static void trim_ws(struct cursor *c)
{
	while (c->len && (c->p[0] == ' ' || c->p[0] == '\t'))
		web_adv(c, 1);
	while (c->len && (c->p[c->len - 1] == ' ' || c->p[c->len - 1] == '\t'))
		c->len--;
}

static int contains_ci(const struct cursor *c, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= c->len; i++) {
		if (strncasecmp((const char *)c->p + i, needle, n) == 0)
			return 1;
	}
	return 0;
}

/* Split "k[=v]"; v->len == 0 and *has_v == 0 when there is no '='. */
static void split_kv(struct cursor a, struct cursor *k, struct cursor *v, int *has_v)
{
	*has_v = cursor_until(&a, '=', k) == 0;
	if (*has_v) {
		web_adv(&a, 1);
		*v = a;
	} else {
		*k = a;
		v->p = a.p;
		v->len = 0;
	}
	trim_ws(k);
	trim_ws(v);
}

static int64_t parse_max_age(struct cursor v)
{
	int neg = 0;
	uint64_t n = 0;

	if (v.len && v.p[0] == '-') {
		neg = 1;
		web_adv(&v, 1);
	}
	if (v.len == 0 || v.p[0] < '0' || v.p[0] > '9')
		return 0;
	while (v.len && v.p[0] >= '0' && v.p[0] <= '9') {
		if (n < ((uint64_t)1 << 40))
			n = n * 10 + (uint64_t)(v.p[0] - '0');
		web_adv(&v, 1);
	}
	return neg ? -(int64_t)n : (int64_t)n;
}

static void cookie_attr(struct web_cookie *c, struct cursor a)
{
	struct cursor k, v;
	int has_v;

	split_kv(a, &k, &v, &has_v);
	if (k.len == 0)
		return;
	if (cursor_eq_ci(&k, "secure"))
		c->secure = 1;
	else if (cursor_eq_ci(&k, "httponly"))
		c->httponly = 1;
	else if (cursor_eq_ci(&k, "partitioned"))
		c->partitioned = 1;
	else if (cursor_eq_ci(&k, "samesite")) {
		if (cursor_eq_ci(&v, "strict"))
			c->samesite = COOKIE_SS_STRICT;
		else if (cursor_eq_ci(&v, "lax"))
			c->samesite = COOKIE_SS_LAX;
		else if (cursor_eq_ci(&v, "none"))
			c->samesite = COOKIE_SS_NONE;
		else
			c->samesite = COOKIE_SS_INVALID;
	} else if (cursor_eq_ci(&k, "expires"))
		c->has_expires = 1;
	else if (cursor_eq_ci(&k, "max-age")) {
		c->has_max_age = 1;
		c->max_age = parse_max_age(v);
	} else if (cursor_eq_ci(&k, "domain"))
		c->has_domain = 1;
	else if (cursor_eq_ci(&k, "path"))
		c->has_path = 1;
	else
		c->n_unknown++;
}

int web_cookie_parse(const char *s, size_t len, struct web_cookie *c)
{
	struct cursor in, pair, name, value, attr;
	int has_v;

	memset(c, 0, sizeof(*c));
	if (len > COOKIE_MAX_LEN)
		return ERR_TOO_BIG;
	cursor_init(&in, s, len);
	if (cursor_until(&in, ';', &pair)) {
		pair = in;
		in.len = 0;
	} else {
		web_adv(&in, 1);
	}
	split_kv(pair, &name, &value, &has_v);
	if (!has_v || name.len == 0)
		return ERR_PARSE;
	c->name_len = name.len;
	memcpy(c->name, name.p, name.len < sizeof(c->name) ? name.len : sizeof(c->name) - 1);
	/* Observatory's heuristics: session cookies and anti-CSRF tokens by name. */
	c->session = contains_ci(&name, "sess") || contains_ci(&name, "login");
	c->anticsrf = contains_ci(&name, "csrf") || contains_ci(&name, "xsrf");
	while (in.len) {
		if (cursor_until(&in, ';', &attr)) {
			attr = in;
			in.len = 0;
		} else {
			web_adv(&in, 1);
		}
		cookie_attr(c, attr);
	}
	return 0;
}

/* ----------------------------------------------------------------- HSTS */

/* The value of a directive: token or quoted-string (RFC 7230 3.2.6). */
static int hsts_value(struct cursor v, struct cursor *out)
{
	size_t i;

	if (v.len >= 1 && v.p[0] == '"') {
		if (v.len < 2 || v.p[v.len - 1] != '"')
			return ERR_PARSE;
		out->p = v.p + 1;
		out->len = v.len - 2;
		for (i = 0; i < out->len; i++) {
			if (out->p[i] == '"' || out->p[i] == '\\')
				return ERR_PARSE;
		}
		return 0;
	}
	*out = v;
	return 0;
}

static int hsts_max_age(struct cursor v, uint64_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (v.len == 0)
		return ERR_PARSE;
	for (i = 0; i < v.len; i++) {
		unsigned d;

		if (v.p[i] < '0' || v.p[i] > '9')
			return ERR_PARSE;
		d = (unsigned)(v.p[i] - '0');
		n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
	}
	*out = n;
	return 0;
}

static int hsts_directive(struct web_hsts *h, struct cursor d, unsigned *seen)
{
	struct cursor k, v, val;
	int has_v;

	split_kv(d, &k, &v, &has_v);
	if (k.len == 0)
		return has_v ? ERR_PARSE : 0; /* empty directive between ';' */
	if (cursor_eq_ci(&k, "max-age")) {
		if ((*seen & 1) || !has_v || hsts_value(v, &val) || hsts_max_age(val, &h->max_age))
			return ERR_PARSE;
		*seen |= 1;
	} else if (cursor_eq_ci(&k, "includesubdomains")) {
		if ((*seen & 2) || has_v)
			return ERR_PARSE;
		*seen |= 2;
		h->include_subdomains = 1;
	} else if (cursor_eq_ci(&k, "preload")) {
		if ((*seen & 4) || has_v)
			return ERR_PARSE;
		*seen |= 4;
		h->preload = 1;
	} else {
		if (has_v && hsts_value(v, &val))
			return ERR_PARSE;
		h->n_unknown++;
	}
	return 0;
}

int web_hsts_parse(const char *s, size_t len, struct web_hsts *h)
{
	struct cursor in, d;
	unsigned seen = 0;
	int r;

	memset(h, 0, sizeof(*h));
	if (len > COOKIE_MAX_LEN)
		return ERR_TOO_BIG;
	cursor_init(&in, s, len);
	while (in.len) {
		if (cursor_until(&in, ';', &d)) {
			d = in;
			in.len = 0;
		} else {
			web_adv(&in, 1);
		}
		r = hsts_directive(h, d, &seen);
		if (r)
			return r;
	}
	return (seen & 1) ? 0 : ERR_PARSE;
}
