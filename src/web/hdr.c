/*
 * hdr.c: the HTTP response header block parser. Lines are walked with a
 * cursor (no NUL needed), obs-fold continuation lines are joined, malformed
 * lines are skipped and counted, duplicates are kept in order; every limit
 * (lines, line length) is checked before anything is stored.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

void web_headers_init(struct web_headers *h)
{
	memset(h, 0, sizeof(*h));
}

void web_headers_release(struct web_headers *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].value);
	}
	free(h->v);
	web_headers_init(h);
}

static int is_tchar(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* status line "HTTP/x[.y] NNN [reason]" */
static long parse_status(struct cursor line)
{
	struct cursor ver;
	uint64_t v;

	if (cursor_until(&line, ' ', &ver) || !cursor_startswith(&ver, "HTTP/"))
		return 0;
	web_adv(&line, 1);
	if (line.len < 3 || cursor_uint(&line, 999, &v) || v < 100)
		return 0;
	if (line.len && line.p[0] != ' ')
		return 0;
	return (long)v;
}

static int add_header(struct web_headers *h, struct cursor name, struct cursor value)
{
	struct web_header *nv;

	if (h->n >= WEB_HDR_MAX_LINES)
		return ERR_TOO_BIG;
	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 16;

		nv = realloc(h->v, nc * sizeof(*nv));
		if (!nv)
			return ERR_NOMEM;
		h->v = nv;
		h->cap = nc;
	}
	cursor_trim(&value);
	nv = &h->v[h->n];
	nv->name = cursor_dup(&name);
	nv->value = cursor_dup(&value);
	if (!nv->name || !nv->value) {
		free(nv->name);
		free(nv->value);
		return ERR_NOMEM;
	}
	h->n++;
	return 0;
}

/* obs-fold: append the continuation to the last header's value. */
static int fold_into_last(struct web_headers *h, struct cursor cont)
{
	struct web_header *last = &h->v[h->n - 1];
	size_t ol = strlen(last->value);
	char *nv;

	cursor_trim(&cont);
	if (!cont.len)
		return 0;
	if (ol + 1 + cont.len > WEB_HDR_MAX_LINE)
		return ERR_TOO_BIG;
	nv = realloc(last->value, ol + cont.len + 2);
	if (!nv)
		return ERR_NOMEM;
	nv[ol] = ' ';
	memcpy(nv + ol + 1, cont.p, cont.len);
	nv[ol + 1 + cont.len] = '\0';
	last->value = nv;
	h->folded++;
	return 0;
}

static int parse_line(struct web_headers *h, struct cursor line)
{
	struct cursor name;
	size_t i;

	if (line.p[0] == ' ' || line.p[0] == '\t') {
		if (h->n == 0) {
			h->bad_lines++;
			return 0;
		}
		return fold_into_last(h, line);
	}
	if (cursor_until(&line, ':', &name) || name.len == 0) {
		h->bad_lines++;
		return 0;
	}
	for (i = 0; i < name.len; i++) {
		if (!is_tchar(name.p[i])) {
			h->bad_lines++;
			return 0;
		}
	}
	web_adv(&line, 1);
	return add_header(h, name, line);
}

int web_headers_parse(const char *p, size_t len, struct web_headers *h)
{
	struct cursor c, line;
	size_t lines = 0;
	int r;

	web_headers_release(h);
	cursor_init(&c, p, len);
	while (c.len) {
		r = cursor_line(&c, WEB_HDR_MAX_LINE, &line);
		if (r == ERR_EOF) { /* last line without a newline */
			line = c;
			c.len = 0;
			if (line.len > WEB_HDR_MAX_LINE)
				return ERR_TOO_BIG;
		} else if (r) {
			return r;
		}
		if (++lines > WEB_HDR_MAX_LINES * 2)
			return ERR_TOO_BIG;
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (cursor_startswith(&line, "HTTP/")) {
			web_headers_release(h);
			h->status = parse_status(line);
			continue;
		}
		if (line.len == 0) {
			/* End of a block; a further block (after 1xx) may follow. */
			continue;
		}
		r = parse_line(h, line);
		if (r)
			return r;
	}
	return 0;
}

const char *web_headers_get(const struct web_headers *h, const char *name, size_t *count)
{
	const char *first = NULL;
	size_t i, n = 0;

	for (i = 0; i < h->n; i++) {
		if (strcasecmp(h->v[i].name, name) == 0) {
			if (!first)
				first = h->v[i].value;
			n++;
		}
	}
	if (count)
		*count = n;
	return first;
}

int web_headers_join(const struct web_headers *h, const char *name, struct buf *out)
{
	size_t i, n = 0;
	int r = 0;

	for (i = 0; i < h->n && r == 0; i++) {
		if (strcasecmp(h->v[i].name, name) != 0)
			continue;
		if (n++)
			r = buf_adds(out, ", ");
		if (r == 0)
			r = buf_adds(out, h->v[i].value);
	}
	return r;
}
