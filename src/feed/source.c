/*
 * source.c: a buffered byte source over a feed file (gzip or plain, told
 * apart by zlib from the bytes) or a memory block. Parsers read through its
 * window; a truncated or corrupt gzip stream is an error, never a short file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_int.h"

#define SRC_WINDOW (256u << 10)

int feed_src_open_file(struct feed_src *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->name = path;
	s->line = 1;
	errno = 0;
	s->gz = gzopen(path, "rb");
	if (!s->gz)
		return errno == ENOENT ? ERR_NOTFOUND : errno ? err_from_errno(errno) : ERR_NOMEM;
	(void)gzbuffer(s->gz, SRC_WINDOW);
	s->buf = malloc(SRC_WINDOW);
	if (!s->buf) {
		gzclose(s->gz);
		s->gz = NULL;
		return ERR_NOMEM;
	}
	s->cap = SRC_WINDOW;
	s->p = s->buf;
	return 0;
}

void feed_src_open_mem(struct feed_src *s, const char *name, const void *data, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->line = 1;
	s->mem = data;
	s->p = data;
	s->len = len;
}

void feed_src_close(struct feed_src *s)
{
	if (s->gz)
		gzclose(s->gz);
	free(s->buf);
	s->gz = NULL;
	s->buf = NULL;
}

int feed_src_fill(struct feed_src *s)
{
	int n, zerr = Z_OK;

	if (s->pos < s->len)
		return 0;
	if (s->err)
		return s->err;
	if (s->eof || !s->gz)
		return ERR_EOF;
	s->total += s->len;
	s->pos = s->len = 0;
	n = gzread(s->gz, s->buf, (unsigned)s->cap);
	if (n <= 0) {
		(void)gzerror(s->gz, &zerr);
		if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
			/* Z_BUF_ERROR: the gzip stream ended before its trailer. */
			s->err = zerr == Z_ERRNO ? ERR_IO : ERR_EOF;
			return s->err;
		}
		s->eof = 1;
		return ERR_EOF;
	}
	s->len = (size_t)n;
	return 0;
}

int feed_src_prefix(struct feed_src *s, size_t want, const unsigned char **p, size_t *len)
{
	int r;

	if (s->total != 0 || s->pos != 0)
		return ERR_INVAL;
	r = feed_src_fill(s);
	if (r == ERR_EOF && !s->err) {
		*p = s->p;
		*len = 0;
		return 0;
	}
	if (r != 0)
		return r;
	*p = s->p;
	*len = s->len < want ? s->len : want;
	return 0;
}

int feed_src_line(struct feed_src *s, struct buf *line)
{
	int r, any = 0;

	buf_reset(line);
	for (;;) {
		const unsigned char *nl;
		size_t n;

		r = feed_src_fill(s);
		if (r == ERR_EOF && !s->err) {
			if (!any)
				return ERR_EOF;
			break;
		}
		if (r != 0)
			return r;
		any = 1;
		n = s->len - s->pos;
		nl = memchr(s->p + s->pos, '\n', n);
		if (nl)
			n = (size_t)(nl - (s->p + s->pos));
		if (line->len + n > FEED_LINE_MAX)
			return ERR_TOO_BIG;
		if (buf_add(line, s->p + s->pos, n) != 0)
			return ERR_NOMEM;
		s->pos += n;
		if (nl) {
			s->pos++;
			break;
		}
	}
	s->line++;
	if (line->len && line->ptr[line->len - 1] == '\r')
		buf_truncate(line, line->len - 1);
	return 0;
}
