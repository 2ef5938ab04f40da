/*
 * query.c: query strings of API requests ("severity=high&check=TLS-"),
 * parsed from the raw, untrusted bytes with a cursor: percent-decoding,
 * '+' as space, no NUL bytes, duplicate and unknown parameters refused.
 */
#include <string.h>

#include "api/api.h"
#include "core/core.h"

/* Append the decoded form of c to out (at most max bytes). */
static int decode(const struct cursor *c, struct buf *out, size_t max)
{
	size_t i;

	for (i = 0; i < c->len; i++) {
		unsigned char ch = c->p[i];
		int r;

		if (ch == '%') {
			if (pct_escape(c->p, c->len, &i, &ch) != 0)
				return ERR_PARSE;
		} else if (ch == '+') {
			ch = ' ';
		}
		if (ch == 0)
			return ERR_PARSE;
		if (out->len >= max)
			return ERR_TOO_BIG;
		r = buf_addch(out, (char)ch);
		if (r)
			return r;
	}
	return 0;
}

/* Next "key=value" pair; key and value still encoded. */
static int next_pair(struct cursor *q, struct cursor *key, struct cursor *val)
{
	struct cursor pair;

	do {
		if (q->len == 0)
			return ERR_EOF;
		if (cursor_until(q, '&', &pair) == 0) {
			if (cursor_skip(q, 1))
				return ERR_EOF;
		} else {
			pair = *q;
			q->p += q->len;
			q->len = 0;
		}
	} while (pair.len == 0);
	if (cursor_until(&pair, '=', key) == 0) {
		if (cursor_skip(&pair, 1))
			return ERR_PARSE;
		*val = pair;
	} else {
		*key = pair;
		cursor_init(val, "", 0);
	}
	return 0;
}

/* Decoded key equals name. */
static int key_is(const struct cursor *key, const char *name, int *eq)
{
	struct buf k = BUF_INIT;
	int r = decode(key, &k, 64);

	if (r == 0)
		*eq = strcmp(k.ptr, name) == 0;
	buf_release(&k);
	return r == ERR_TOO_BIG ? ERR_PARSE : r;
}

int api_query_get(const char *q, size_t len, const char *name, struct buf *out, size_t max)
{
	struct cursor c, key, val, found = {0};
	int r, eq, seen = 0;

	cursor_init(&c, q, len);
	while ((r = next_pair(&c, &key, &val)) == 0) {
		r = key_is(&key, name, &eq);
		if (r)
			return r;
		if (eq) {
			if (seen++)
				return ERR_INVAL;
			found = val;
		}
	}
	if (r != ERR_EOF)
		return r;
	if (!seen)
		return ERR_NOTFOUND;
	buf_reset(out);
	r = decode(&found, out, max);
	if (r)
		buf_reset(out);
	return r;
}

int api_query_check(const char *q, size_t len, const char *const *allowed, struct buf *err)
{
	struct cursor c, key, val;
	int r;

	cursor_init(&c, q, len);
	while ((r = next_pair(&c, &key, &val)) == 0) {
		struct buf k = BUF_INIT;
		size_t i;
		int ok = 0;

		r = decode(&key, &k, 64);
		for (i = 0; r == 0 && allowed[i]; i++)
			ok |= strcmp(k.ptr, allowed[i]) == 0;
		if (r == 0 && !ok) {
			buf_errf(err, "unknown query parameter '%.*s'", 64, k.ptr);
			r = ERR_INVAL;
		} else if (r) {
			buf_errf(err, "malformed query string");
			r = ERR_PARSE;
		}
		buf_release(&k);
		if (r)
			return r;
		/* The value must decode too. */
		r = decode(&val, &k, 4096);
		buf_release(&k);
		if (r) {
			buf_errf(err, "malformed query string");
			return ERR_PARSE;
		}
	}
	return r == ERR_EOF ? 0 : r;
}

int api_query_int(const char *q, size_t len, const char *name, int64_t min, int64_t max,
		  int64_t *out)
{
	struct buf v = BUF_INIT;
	struct cursor c;
	uint64_t n = 0;
	int r = api_query_get(q, len, name, &v, 20);

	if (r == ERR_TOO_BIG)
		r = ERR_INVAL;
	if (r == 0) {
		cursor_init(&c, v.ptr, v.len);
		if (v.len == 0 || cursor_uint(&c, (uint64_t)max, &n) != 0 || c.len != 0 ||
		    (int64_t)n < min)
			r = ERR_INVAL;
	}
	buf_release(&v);
	if (r == 0)
		*out = (int64_t)n;
	return r;
}
