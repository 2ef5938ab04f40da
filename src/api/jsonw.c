/*
 * jsonw.c: the JSON writers of the hot list endpoints. Same output as
 * buf_add_json_str and "%lld", but a string is copied in runs of bytes
 * that need no escape (one buf_add per run, not one per byte) and numbers
 * skip printf: the findings list spent a third of its time in them.
 */
#include <string.h>

#include "api/api_int.h"
#include "core/core.h"

/* 1 for the bytes buf_add_json_str escapes: '"', '\\', < 0x20 and 0x7f. */
static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

static int add_escape(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

	switch (c) {
	case '"':
		return buf_add(b, "\\\"", 2);
	case '\\':
		return buf_add(b, "\\\\", 2);
	case '\n':
		return buf_add(b, "\\n", 2);
	case '\r':
		return buf_add(b, "\\r", 2);
	case '\t':
		return buf_add(b, "\\t", 2);
	default:
		return buf_add(b, u, sizeof(u));
	}
}

/* s[0..len) escaped, without quotes. */
static int add_escaped(struct buf *b, const char *s, size_t len)
{
	size_t i = 0, run;
	int r = 0;

	while (r == 0 && i < len) {
		for (run = i; run < len && !needs_escape((unsigned char)s[run]); run++)
			;
		if (run > i)
			r = buf_add(b, s + i, run - i);
		if (r == 0 && run < len)
			r = add_escape(b, (unsigned char)s[run++]);
		i = run;
	}
	return r;
}

int api_json_str2(struct buf *b, const char *s1, size_t len1, const char *s2, size_t len2)
{
	size_t start = b->len;
	/* Most strings need no escape: reserve quotes and text in one go. */
	int r = buf_grow(b, len1 + len2 + 2);

	if (r == 0)
		r = buf_addch(b, '"');
	if (r == 0)
		r = add_escaped(b, s1, len1);
	if (r == 0)
		r = add_escaped(b, s2, len2);
	if (r == 0)
		r = buf_addch(b, '"');
	if (r)
		buf_truncate(b, start);
	return r;
}

int api_json_str(struct buf *b, const char *s, size_t len)
{
	return api_json_str2(b, s, len, NULL, 0);
}

int api_json_int(struct buf *b, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	/* Work in unsigned so INT64_MIN negates without overflow. */
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

int api_json_key(struct buf *b, const char *key, size_t klen, int comma)
{
	int r = buf_grow(b, klen + 4);

	if (r == 0 && comma)
		r = buf_addch(b, ',');
	if (r == 0)
		r = buf_addch(b, '"');
	if (r == 0)
		r = buf_add(b, key, klen);
	return r ? r : buf_add(b, "\":", 2);
}

int api_json_strz(struct buf *b, const char *s)
{
	return s ? api_json_str(b, s, strlen(s)) : buf_add(b, "null", 4);
}

int api_json_counts(struct buf *b, const int64_t n[5])
{
	static const char *const keys[5] = {
	    "{\"critical\":", ",\"high\":", ",\"medium\":", ",\"low\":", ",\"info\":"};
	int i, r = 0;

	for (i = 0; i < 5 && r == 0; i++) {
		r = buf_adds(b, keys[i]);
		if (r == 0)
			r = api_json_int(b, n[4 - i]);
	}
	return r ? r : buf_addch(b, '}');
}
