/*
 * json.c: a streaming JSON pull parser over a feed_src. It validates the
 * grammar, decodes strings (\uXXXX with surrogate pairs) into a capped
 * buffer, counts lines for error messages and never holds more than one
 * token: a 100 MB feed file costs the window and the longest string.
 */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_int.h"

enum jst {
	ST_TOP = 0,
	ST_TOP_DONE,
	ST_OBJ_START,
	ST_OBJ_KEY,
	ST_OBJ_COLON,
	ST_OBJ_AFTER,
	ST_ARR_START,
	ST_ARR_VALUE,
	ST_ARR_AFTER
};

void jp_init(struct jp *p, struct feed_src *s)
{
	memset(p, 0, sizeof(*p));
	p->s = s;
	p->stack[0] = ST_TOP;
}

void jp_release(struct jp *p)
{
	free(p->str);
	p->str = NULL;
	p->slen = p->scap = 0;
}

static int jp_fail(struct jp *p, int code, const char *msg)
{
	if (p->s->err) {
		code = p->s->err;
		msg = code == ERR_IO ? "read error" : "truncated or corrupt gzip stream";
	}
	p->err = code;
	snprintf(p->msg, sizeof(p->msg), "%s", msg);
	return code;
}

static int jp_more(struct jp *p)
{
	int r = feed_src_fill(p->s);

	if (r == ERR_EOF)
		return jp_fail(p, ERR_PARSE, "unexpected end of input");
	if (r != 0)
		return jp_fail(p, r, "read error");
	return 0;
}

static int str_add(struct jp *p, const void *d, size_t n)
{
	if (p->slen + n + 1 > p->scap) {
		size_t ncap = p->scap ? p->scap : 256;
		char *np;

		if (p->slen + n + 1 > FEED_STRING_MAX)
			return jp_fail(p, ERR_TOO_BIG, "string longer than 1 MiB");
		while (ncap < p->slen + n + 1)
			ncap *= 2;
		np = realloc(p->str, ncap);
		if (!np)
			return jp_fail(p, ERR_NOMEM, "out of memory");
		p->str = np;
		p->scap = ncap;
	}
	memcpy(p->str + p->slen, d, n);
	p->slen += n;
	p->str[p->slen] = '\0';
	return 0;
}

/* skip_ws: position at the next non-blank byte; ERR_EOF at a clean end. */
static int skip_ws(struct jp *p, int *ch)
{
	struct feed_src *s = p->s;
	int r;

	for (;;) {
		const unsigned char *q, *e;

		if (s->pos == s->len) {
			r = feed_src_fill(s);
			if (r == ERR_EOF && !s->err)
				return ERR_EOF;
			if (r != 0)
				return jp_fail(p, r, "read error");
		}
		q = s->p + s->pos;
		e = s->p + s->len;
		while (q < e) {
			if (*q == '\n')
				s->line++;
			else if (*q != ' ' && *q != '\t' && *q != '\r')
				break;
			q++;
		}
		s->pos = (size_t)(q - s->p);
		if (q < e) {
			*ch = *q;
			return 0;
		}
	}
}

static int next_byte(struct jp *p, int *ch)
{
	int r;

	if (p->s->pos == p->s->len && (r = jp_more(p)) != 0)
		return r;
	*ch = p->s->p[p->s->pos++];
	return 0;
}

static int hex4(struct jp *p, uint32_t *out)
{
	uint32_t v = 0;
	int i, ch, r;

	for (i = 0; i < 4; i++) {
		if ((r = next_byte(p, &ch)) != 0)
			return r;
		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v |= (uint32_t)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			v |= (uint32_t)(ch - 'A' + 10);
		else
			return jp_fail(p, ERR_PARSE, "bad \\u escape");
	}
	*out = v;
	return 0;
}

static int add_utf8(struct jp *p, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return str_add(p, u, n);
}

static int escape(struct jp *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;
	uint32_t cp, lo;
	int ch, r;
	char c;

	if ((r = next_byte(p, &ch)) != 0)
		return r;
	if (ch != 'u') {
		k = ch ? strchr(from, ch) : NULL;
		if (!k)
			return jp_fail(p, ERR_PARSE, "bad escape in string");
		c = to[k - from];
		return str_add(p, &c, 1);
	}
	if ((r = hex4(p, &cp)) != 0)
		return r;
	if (cp == 0)
		cp = 0xfffd; /* a NUL would cut the C string */
	if (cp >= 0xd800 && cp < 0xdc00) {
		struct feed_src *s = p->s;

		/* A high surrogate must be followed by "\uDC00-DFFF". */
		if (s->pos == s->len && (r = jp_more(p)) != 0)
			return r;
		if (s->p[s->pos] != '\\')
			return add_utf8(p, 0xfffd);
		s->pos++;
		if ((r = next_byte(p, &ch)) != 0)
			return r;
		if (ch != 'u')
			return jp_fail(p, ERR_PARSE, "bad surrogate pair");
		if ((r = hex4(p, &lo)) != 0)
			return r;
		if (lo < 0xdc00 || lo > 0xdfff)
			return jp_fail(p, ERR_PARSE, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc00 && cp < 0xe000) {
		cp = 0xfffd;
	}
	return add_utf8(p, cp);
}

/* read_string: the opening quote is the current byte. */
static int read_string(struct jp *p)
{
	struct feed_src *s = p->s;
	int r;

	s->pos++;
	p->slen = 0;
	if ((r = str_add(p, "", 0)) != 0)
		return r;
	for (;;) {
		const unsigned char *q, *e;

		if (s->pos == s->len && (r = jp_more(p)) != 0)
			return r;
		q = s->p + s->pos;
		e = s->p + s->len;
		while (q < e && *q != '"' && *q != '\\' && *q >= 0x20)
			q++;
		if ((r = str_add(p, s->p + s->pos, (size_t)(q - (s->p + s->pos)))) != 0)
			return r;
		s->pos = (size_t)(q - s->p);
		if (q == e)
			continue;
		if (*q == '"') {
			s->pos++;
			return 0;
		}
		if (*q < 0x20)
			return jp_fail(p, ERR_PARSE, "control character in string");
		s->pos++;
		if ((r = escape(p)) != 0)
			return r;
	}
}

static int read_number(struct jp *p)
{
	struct feed_src *s = p->s;
	int digits = 0, r;

	p->slen = 0;
	if ((r = str_add(p, "", 0)) != 0)
		return r;
	for (;;) {
		int ch;

		if (s->pos == s->len) {
			r = feed_src_fill(s);
			if (r == ERR_EOF && !s->err)
				break;
			if (r != 0)
				return jp_fail(p, r, "read error");
		}
		ch = s->p[s->pos];
		if (!((ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == '.' ||
		      ch == 'e' || ch == 'E'))
			break;
		if (p->slen >= 64)
			return jp_fail(p, ERR_TOO_BIG, "number too long");
		if (ch >= '0' && ch <= '9')
			digits++;
		if ((r = str_add(p, &s->p[s->pos], 1)) != 0)
			return r;
		s->pos++;
	}
	if (!digits)
		return jp_fail(p, ERR_PARSE, "bad number");
	{
		char *end;

		(void)strtod(p->str, &end);
		if (*end != '\0')
			return jp_fail(p, ERR_PARSE, "bad number");
	}
	return 0;
}

static int read_literal(struct jp *p, const char *lit)
{
	int ch, r;

	for (; *lit; lit++) {
		if ((r = next_byte(p, &ch)) != 0)
			return r;
		if (ch != *lit)
			return jp_fail(p, ERR_PARSE, "unexpected character");
	}
	return 0;
}

static int read_value(struct jp *p, int ch, enum jtok *t)
{
	int r;

	switch (ch) {
	case '{':
	case '[':
		if (p->depth >= JP_MAX_DEPTH)
			return jp_fail(p, ERR_TOO_BIG, "nested too deeply");
		p->s->pos++;
		p->stack[++p->depth] = ch == '{' ? ST_OBJ_START : ST_ARR_START;
		*t = ch == '{' ? JT_OBJ : JT_ARR;
		return 0;
	case '"':
		*t = JT_STR;
		return read_string(p);
	case 't':
		*t = JT_TRUE;
		return read_literal(p, "true");
	case 'f':
		*t = JT_FALSE;
		return read_literal(p, "false");
	case 'n':
		*t = JT_NULL;
		return read_literal(p, "null");
	default:
		if (ch == '-' || (ch >= '0' && ch <= '9')) {
			*t = JT_NUM;
			r = read_number(p);
			return r;
		}
		return jp_fail(p, ERR_PARSE, "unexpected character");
	}
}

int jp_next(struct jp *p, enum jtok *t)
{
	int ch, r;

	if (p->err)
		return p->err;
	for (;;) {
		unsigned char *st = &p->stack[p->depth];

		r = skip_ws(p, &ch);
		if (r == ERR_EOF) {
			if (*st == ST_TOP_DONE) {
				*t = JT_EOF;
				return 0;
			}
			return jp_fail(p, ERR_PARSE,
				       *st == ST_TOP ? "empty input" : "unexpected end of input");
		}
		if (r != 0)
			return r;
		switch (*st) {
		case ST_TOP:
			*st = ST_TOP_DONE;
			return read_value(p, ch, t);
		case ST_TOP_DONE:
			return jp_fail(p, ERR_PARSE, "data after the JSON value");
		case ST_OBJ_START:
		case ST_OBJ_KEY:
			if (ch == '}' && *st == ST_OBJ_START) {
				p->s->pos++;
				p->depth--;
				*t = JT_OBJ_END;
				return 0;
			}
			if (ch != '"')
				return jp_fail(p, ERR_PARSE, "expected a key");
			*st = ST_OBJ_COLON;
			*t = JT_KEY;
			return read_string(p);
		case ST_OBJ_COLON:
			if (ch != ':')
				return jp_fail(p, ERR_PARSE, "expected ':'");
			p->s->pos++;
			*st = ST_OBJ_AFTER;
			r = skip_ws(p, &ch);
			if (r == ERR_EOF)
				return jp_fail(p, ERR_PARSE, "unexpected end of input");
			if (r != 0)
				return r;
			return read_value(p, ch, t);
		case ST_OBJ_AFTER:
			p->s->pos++;
			if (ch == ',') {
				*st = ST_OBJ_KEY;
				continue;
			}
			if (ch == '}') {
				p->depth--;
				*t = JT_OBJ_END;
				return 0;
			}
			return jp_fail(p, ERR_PARSE, "expected ',' or '}'");
		case ST_ARR_START:
			if (ch == ']') {
				p->s->pos++;
				p->depth--;
				*t = JT_ARR_END;
				return 0;
			}
			/* fall through */
		case ST_ARR_VALUE:
			*st = ST_ARR_AFTER;
			return read_value(p, ch, t);
		case ST_ARR_AFTER:
			p->s->pos++;
			if (ch == ',') {
				*st = ST_ARR_VALUE;
				continue;
			}
			if (ch == ']') {
				p->depth--;
				*t = JT_ARR_END;
				return 0;
			}
			return jp_fail(p, ERR_PARSE, "expected ',' or ']'");
		default:
			return jp_fail(p, ERR_PARSE, "parser state");
		}
	}
}

int jp_skip(struct jp *p, enum jtok t)
{
	int depth, r;

	if (t != JT_OBJ && t != JT_ARR)
		return 0;
	depth = p->depth - 1;
	while (p->depth > depth) {
		if ((r = jp_next(p, &t)) != 0)
			return r;
	}
	return 0;
}

int jp_str_eq(const struct jp *p, const char *s)
{
	size_t n = strlen(s);

	return p->slen == n && memcmp(p->str, s, n) == 0;
}
