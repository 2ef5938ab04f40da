/*
 * buf.c: the size-capped string builder (after git's strbuf and curl's
 * dynbuf): always NUL-terminated, never past its max, unchanged on failure.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* The shared empty string of every unallocated buf; never written to. */
char buf_empty_[1];

void buf_init(struct buf *b, size_t max)
{
	b->ptr = buf_empty_;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	size_t max = b->max;

	if (b->cap)
		free(b->ptr);
	buf_init(b, max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

static size_t buf_max(const struct buf *b)
{
	return b->max ? b->max : BUF_DEFAULT_MAX;
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t need, ncap;
	char *np;

	if (extra > buf_max(b) || b->len > buf_max(b) - extra)
		return ERR_TOO_BIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > buf_max(b) + 1)
		ncap = buf_max(b) + 1;
	np = b->cap ? realloc(b->ptr, ncap) : malloc(ncap);
	if (!np)
		return ERR_NOMEM;
	if (!b->cap)
		np[0] = '\0';
	b->ptr = np;
	b->cap = ncap;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	int r;

	/* Fast path: it fits (cap <= max + 1, so it is within max too). The
	 * JSON writers append many short pieces; a call to buf_grow each was
	 * a tenth of a findings page's CPU time. */
	if (b->cap && len < b->cap - b->len) {
		memcpy(b->ptr + b->len, data, len);
		b->len += len;
		b->ptr[b->len] = '\0';
		return 0;
	}
	r = buf_grow(b, len);
	if (r)
		return r;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, r;

	va_copy(cp, ap);
	n = vsnprintf(b->cap ? b->ptr + b->len : NULL, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return ERR_INVAL;
	if (b->cap && (size_t)n < b->cap - b->len) {
		if (b->len + (size_t)n > buf_max(b)) {
			b->ptr[b->len] = '\0';
			return ERR_TOO_BIG;
		}
		b->len += (size_t)n;
		return 0;
	}
	r = buf_grow(b, (size_t)n);
	if (r) {
		if (b->cap)
			b->ptr[b->len] = '\0';
		return r;
	}
	va_copy(cp, ap);
	vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

/* Append, restoring the old length if any piece fails. */
#define BUF_TXN_BEGIN(b) size_t txn_len_ = (b)->len
#define BUF_TXN_FAIL(b) buf_truncate((b), txn_len_)

int buf_add_html(struct buf *b, const char *s, size_t len)
{
	BUF_TXN_BEGIN(b);
	size_t i;
	int r = 0;

	for (i = 0; i < len && r == 0; i++) {
		switch (s[i]) {
		case '&':
			r = buf_add(b, "&amp;", 5);
			break;
		case '<':
			r = buf_add(b, "&lt;", 4);
			break;
		case '>':
			r = buf_add(b, "&gt;", 4);
			break;
		case '"':
			r = buf_add(b, "&quot;", 6);
			break;
		case '\'':
			r = buf_add(b, "&#39;", 5);
			break;
		default:
			r = buf_addch(b, s[i]);
		}
	}
	if (r)
		BUF_TXN_FAIL(b);
	return r;
}

int buf_add_json_str(struct buf *b, const char *s, size_t len)
{
	BUF_TXN_BEGIN(b);
	size_t i;
	int r = buf_addch(b, '"');

	for (i = 0; i < len && r == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			r = buf_addf(b, "\\%c", c);
		else if (c == '\n')
			r = buf_add(b, "\\n", 2);
		else if (c == '\r')
			r = buf_add(b, "\\r", 2);
		else if (c == '\t')
			r = buf_add(b, "\\t", 2);
		else if (c < 0x20 || c == 0x7f)
			r = buf_addf(b, "\\u%04x", c);
		else
			r = buf_addch(b, (char)c);
	}
	if (r == 0)
		r = buf_addch(b, '"');
	if (r)
		BUF_TXN_FAIL(b);
	return r;
}

int buf_add_printable(struct buf *b, const void *s, size_t len)
{
	BUF_TXN_BEGIN(b);
	const unsigned char *p = s;
	size_t i;
	int r = 0;

	for (i = 0; i < len && r == 0; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			r = buf_addch(b, (char)p[i]);
		else if (p[i] == '\\')
			r = buf_add(b, "\\\\", 2);
		else
			r = buf_addf(b, "\\x%02x", p[i]);
	}
	if (r)
		BUF_TXN_FAIL(b);
	return r;
}

void buf_errf(struct buf *err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_reset(err);
	if (buf_adds(err, msg) != 0)
		buf_reset(err);
}

char *buf_take(struct buf *b)
{
	char *p;

	if (!b->cap) {
		p = malloc(1);
		if (p)
			p[0] = '\0';
		return p;
	}
	p = b->ptr;
	buf_init(b, b->max);
	return p;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

char *xstrndup(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t str_lcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void mem_zero(void *p, size_t len)
{
	volatile unsigned char *v = p;

	while (len--)
		*v++ = 0;
}
