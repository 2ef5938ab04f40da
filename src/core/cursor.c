/*
 * cursor.c: bounds-checked reads from untrusted bytes. Every getter either
 * succeeds and advances or fails and leaves the cursor where it was.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int cursor_skip(struct cursor *c, size_t n)
{
	if (c->len < n)
		return ERR_EOF;
	c->p += n;
	c->len -= n;
	return 0;
}

int cursor_bytes(struct cursor *c, size_t n, const unsigned char **out)
{
	if (c->len < n)
		return ERR_EOF;
	*out = c->p;
	c->p += n;
	c->len -= n;
	return 0;
}

int cursor_u8(struct cursor *c, uint8_t *v)
{
	if (c->len < 1)
		return ERR_EOF;
	*v = c->p[0];
	c->p++;
	c->len--;
	return 0;
}

int cursor_be16(struct cursor *c, uint16_t *v)
{
	if (c->len < 2)
		return ERR_EOF;
	*v = (uint16_t)((c->p[0] << 8) | c->p[1]);
	c->p += 2;
	c->len -= 2;
	return 0;
}

int cursor_be24(struct cursor *c, uint32_t *v)
{
	if (c->len < 3)
		return ERR_EOF;
	*v = ((uint32_t)c->p[0] << 16) | ((uint32_t)c->p[1] << 8) | c->p[2];
	c->p += 3;
	c->len -= 3;
	return 0;
}

int cursor_be32(struct cursor *c, uint32_t *v)
{
	if (c->len < 4)
		return ERR_EOF;
	*v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) | ((uint32_t)c->p[2] << 8) |
	     c->p[3];
	c->p += 4;
	c->len -= 4;
	return 0;
}

int cursor_le16(struct cursor *c, uint16_t *v)
{
	if (c->len < 2)
		return ERR_EOF;
	*v = (uint16_t)(c->p[0] | (c->p[1] << 8));
	c->p += 2;
	c->len -= 2;
	return 0;
}

int cursor_le32(struct cursor *c, uint32_t *v)
{
	if (c->len < 4)
		return ERR_EOF;
	*v = (uint32_t)c->p[0] | ((uint32_t)c->p[1] << 8) | ((uint32_t)c->p[2] << 16) |
	     ((uint32_t)c->p[3] << 24);
	c->p += 4;
	c->len -= 4;
	return 0;
}

int cursor_sub(struct cursor *c, size_t n, struct cursor *sub)
{
	const unsigned char *p;
	int r = cursor_bytes(c, n, &p);

	if (r)
		return r;
	cursor_init(sub, p, n);
	return 0;
}

int cursor_sub8(struct cursor *c, struct cursor *sub)
{
	struct cursor save = *c;
	uint8_t n;
	int r = cursor_u8(c, &n);

	if (r == 0)
		r = cursor_sub(c, n, sub);
	if (r)
		*c = save;
	return r;
}

int cursor_sub16(struct cursor *c, struct cursor *sub)
{
	struct cursor save = *c;
	uint16_t n;
	int r = cursor_be16(c, &n);

	if (r == 0)
		r = cursor_sub(c, n, sub);
	if (r)
		*c = save;
	return r;
}

int cursor_sub24(struct cursor *c, struct cursor *sub)
{
	struct cursor save = *c;
	uint32_t n;
	int r = cursor_be24(c, &n);

	if (r == 0)
		r = cursor_sub(c, n, sub);
	if (r)
		*c = save;
	return r;
}

int cursor_line(struct cursor *c, size_t max, struct cursor *line)
{
	size_t lim = c->len < max ? c->len : max;
	const unsigned char *nl = memchr(c->p, '\n', lim);
	size_t n;

	if (!nl)
		return c->len > max ? ERR_TOO_BIG : ERR_EOF;
	n = (size_t)(nl - c->p);
	cursor_init(line, c->p, n);
	if (n && line->p[n - 1] == '\r')
		line->len--;
	c->p += n + 1;
	c->len -= n + 1;
	return 0;
}

int cursor_startswith(const struct cursor *c, const char *s)
{
	size_t n = strlen(s);

	return c->len >= n && memcmp(c->p, s, n) == 0;
}

int cursor_startswith_ci(const struct cursor *c, const char *s)
{
	size_t i, n = strlen(s);

	if (c->len < n)
		return 0;
	for (i = 0; i < n; i++)
		if (tolower(c->p[i]) != tolower((unsigned char)s[i]))
			return 0;
	return 1;
}

int cursor_expect(struct cursor *c, const char *s)
{
	if (!cursor_startswith(c, s))
		return ERR_PARSE;
	return cursor_skip(c, strlen(s));
}

int cursor_uint(struct cursor *c, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = 0;

	while (i < c->len && c->p[i] >= '0' && c->p[i] <= '9') {
		unsigned d = c->p[i] - '0';

		if (x > (max - d) / 10)
			return ERR_RANGE;
		x = x * 10 + d;
		i++;
	}
	if (i == 0)
		return ERR_PARSE;
	c->p += i;
	c->len -= i;
	*v = x;
	return 0;
}

void cursor_span(struct cursor *c, const char *set, struct cursor *out)
{
	size_t i = 0;

	while (i < c->len && c->p[i] && strchr(set, c->p[i]))
		i++;
	cursor_init(out, c->p, i);
	c->p += i;
	c->len -= i;
}

int cursor_until(struct cursor *c, char ch, struct cursor *out)
{
	const unsigned char *e = memchr(c->p, (unsigned char)ch, c->len);
	size_t n;

	if (!e)
		return ERR_NOTFOUND;
	n = (size_t)(e - c->p);
	cursor_init(out, c->p, n);
	c->p += n;
	c->len -= n;
	return 0;
}

void cursor_trim(struct cursor *c)
{
	while (c->len && isspace(c->p[0])) {
		c->p++;
		c->len--;
	}
	while (c->len && isspace(c->p[c->len - 1]))
		c->len--;
}

int cursor_eq(const struct cursor *c, const char *s)
{
	return c->len == strlen(s) && memcmp(c->p, s, c->len) == 0;
}

int cursor_eq_ci(const struct cursor *c, const char *s)
{
	return c->len == strlen(s) && cursor_startswith_ci(c, s);
}

char *cursor_dup(const struct cursor *c)
{
	return xstrndup((const char *)c->p, c->len);
}
