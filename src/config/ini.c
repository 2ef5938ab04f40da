/*
 * ini.c: the INI reader. Walks the file a line at a time with a cursor
 * (never relying on a NUL), applies each "key = value" through the option
 * table and reports the first problem as "file:line: message".
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"

struct ini {
	const struct config_opt *t;
	size_t n;
	void *dst;
	enum config_source *src;
	const char *name;
	unsigned line;
	struct cursor sec; /* current section; len 0 before the first */
	unsigned *seen;	   /* line each option was set on, 0 = not yet */
	struct buf msg;	   /* message under construction */
	struct buf val;	   /* decoded value */
};

/* Names in messages passed is_name(); this caps their length. */
#define NAME_CAP(n) ((int)((n) > CONFIG_EXCERPT_MAX ? CONFIG_EXCERPT_MAX : (n)))

static int ini_fail(struct ini *st, struct buf *err, int code)
{
	if (err) {
		buf_reset(err);
		if (buf_addf(err, "%s:%u: %s", st->name, st->line, st->msg.ptr) != 0)
			buf_reset(err);
	}
	return code;
}

/* Set st->msg to the static text s; returns code. */
static int ini_msg(struct ini *st, struct buf *err, int code, const char *s)
{
	buf_reset(&st->msg);
	if (buf_adds(&st->msg, s) != 0)
		return ERR_NOMEM;
	return ini_fail(st, err, code);
}

static int is_name(const struct cursor *c)
{
	size_t i;

	if (!c->len)
		return 0;
	for (i = 0; i < c->len; i++) {
		unsigned char ch = c->p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return 0;
	}
	return 1;
}

static int sec_eq(const struct config_opt *o, const struct cursor *sec)
{
	return config_name_eq(o->name, config_section_len(o->name), (const char *)sec->p, sec->len);
}

/* Only whitespace or a comment may follow a section header or a quote. */
static int only_comment(const struct cursor *rest)
{
	struct cursor c = *rest;

	cursor_trim(&c);
	return c.len == 0 || c.p[0] == '#' || c.p[0] == ';';
}

static int ini_section(struct ini *st, struct cursor *line, struct buf *err)
{
	struct cursor name;
	size_t i;
	int r;

	line->p++;
	line->len--;
	if (cursor_until(line, ']', &name) != 0)
		return ini_msg(st, err, ERR_PARSE, "expected ']' after section name");
	line->p++;
	line->len--;
	if (!only_comment(line))
		return ini_msg(st, err, ERR_PARSE, "unexpected text after section header");
	cursor_trim(&name);
	buf_reset(&st->msg);
	if (!is_name(&name)) {
		r = buf_adds(&st->msg, "invalid section name ");
		if (r == 0)
			r = config_add_excerpt(&st->msg, (const char *)name.p, name.len);
		return r ? r : ini_fail(st, err, ERR_PARSE);
	}
	for (i = 0; i < st->n; i++) {
		if (sec_eq(&st->t[i], &name)) {
			st->sec = name;
			return 0;
		}
	}
	r = buf_addf(&st->msg, "unknown section [%.*s]", NAME_CAP(name.len), (const char *)name.p);
	return r ? r : ini_fail(st, err, ERR_INVAL);
}

static int ini_find_key(struct ini *st, const struct cursor *key, struct buf *err, size_t *idx)
{
	size_t i;
	int r;

	for (i = 0; i < st->n; i++) {
		const char *nm = st->t[i].name;
		size_t sl = config_section_len(nm);

		if (sl && sec_eq(&st->t[i], &st->sec) &&
		    config_name_eq(nm + sl + 1, strlen(nm + sl + 1), (const char *)key->p,
				   key->len)) {
			*idx = i;
			return 0;
		}
	}
	buf_reset(&st->msg);
	r = buf_addf(&st->msg, "unknown key '%.*s' in section [%.*s]", NAME_CAP(key->len),
		     (const char *)key->p, NAME_CAP(st->sec.len), (const char *)st->sec.p);
	return r ? r : ini_fail(st, err, ERR_INVAL);
}

static int ini_keyval(struct ini *st, struct cursor *line, struct buf *err)
{
	struct cursor key;
	const char *why = NULL;
	size_t idx;
	int r;

	if (cursor_until(line, '=', &key) != 0)
		return ini_msg(st, err, ERR_PARSE, "expected 'key = value'");
	line->p++;
	line->len--;
	cursor_trim(&key);
	if (!key.len)
		return ini_msg(st, err, ERR_PARSE, "expected 'key = value'");
	buf_reset(&st->msg);
	if (!is_name(&key)) {
		r = buf_adds(&st->msg, "invalid key ");
		if (r == 0)
			r = config_add_excerpt(&st->msg, (const char *)key.p, key.len);
		return r ? r : ini_fail(st, err, ERR_PARSE);
	}
	if (!st->sec.len) {
		r = buf_addf(&st->msg, "key '%.*s' outside of any [section]", NAME_CAP(key.len),
			     (const char *)key.p);
		return r ? r : ini_fail(st, err, ERR_PARSE);
	}
	r = ini_find_key(st, &key, err, &idx);
	if (r)
		return r;
	if (st->seen[idx]) {
		r = buf_addf(&st->msg, "duplicate key '%.*s' in section [%.*s] (first on line %u)",
			     NAME_CAP(key.len), (const char *)key.p, NAME_CAP(st->sec.len),
			     (const char *)st->sec.p, st->seen[idx]);
		return r ? r : ini_fail(st, err, ERR_INVAL);
	}
	buf_reset(&st->val);
	r = config_ini_value(line, &st->val, &why);
	if (r == ERR_PARSE)
		return ini_msg(st, err, r, why);
	if (r)
		return r == ERR_TOO_BIG ? ini_msg(st, err, r, "value too long") : r;
	r = config_value_store(&st->t[idx], st->dst, st->val.ptr, st->val.len, &st->msg);
	if (r)
		return r == ERR_NOMEM ? r : ini_fail(st, err, r);
	st->seen[idx] = st->line;
	if (st->src)
		st->src[idx] = CONFIG_SRC_FILE;
	return 0;
}

static int ini_line(struct ini *st, struct cursor *line, struct buf *err)
{
	if (memchr(line->p, '\0', line->len))
		return ini_msg(st, err, ERR_PARSE, "NUL byte in line");
	cursor_trim(line);
	if (!line->len || line->p[0] == '#' || line->p[0] == ';')
		return 0;
	if (line->p[0] == '[')
		return ini_section(st, line, err);
	return ini_keyval(st, line, err);
}

/* A quoted value: "..." with escapes or '...' literal. */
static int ini_quoted(struct cursor *c, struct buf *out, const char **why)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char q = c->p[0];
	int r = 0;

	c->p++;
	c->len--;
	while (c->len && c->p[0] != q) {
		unsigned char ch = c->p[0];
		const char *h1, *h2;

		if (q == '"' && ch == '\\') {
			if (c->len < 2)
				break;
			ch = c->p[1];
			c->p++;
			c->len--;
			switch (ch) {
			case '\\':
			case '"':
			case '\'':
				break;
			case 'n':
				ch = '\n';
				break;
			case 'r':
				ch = '\r';
				break;
			case 't':
				ch = '\t';
				break;
			case 'x':
				if (c->len < 3 || !c->p[1] || !c->p[2] ||
				    !(h1 = strchr(hex, tolower(c->p[1]))) ||
				    !(h2 = strchr(hex, tolower(c->p[2]))) ||
				    (h1 == hex && h2 == hex)) {
					*why = "invalid \\x escape in quoted value";
					return ERR_PARSE;
				}
				ch = (unsigned char)(((h1 - hex) << 4) | (h2 - hex));
				c->p += 2;
				c->len -= 2;
				break;
			default:
				*why = "unknown escape in quoted value";
				return ERR_PARSE;
			}
		}
		r = buf_addch(out, (char)ch);
		if (r)
			return r;
		c->p++;
		c->len--;
	}
	if (!c->len) {
		*why = "unterminated quoted value";
		return ERR_PARSE;
	}
	c->p++;
	c->len--;
	if (!only_comment(c)) {
		*why = "unexpected text after closing quote";
		return ERR_PARSE;
	}
	return 0;
}

int config_ini_value(const struct cursor *v, struct buf *out, const char **why)
{
	struct cursor c = *v;
	size_t i;

	cursor_trim(&c);
	if (c.len && (c.p[0] == '"' || c.p[0] == '\''))
		return ini_quoted(&c, out, why);
	if (c.len && (c.p[0] == '#' || c.p[0] == ';'))
		return 0; /* "key = # comment": an empty value */
	/* An inline comment starts at '#' or ';' after whitespace. */
	for (i = 1; i < c.len; i++) {
		if ((c.p[i] == '#' || c.p[i] == ';') && (c.p[i - 1] == ' ' || c.p[i - 1] == '\t')) {
			c.len = i;
			break;
		}
	}
	cursor_trim(&c);
	return buf_add(out, c.p, c.len);
}

int config_load_buf(const struct config_opt *t, size_t n, void *dst, const char *name,
		    const char *data, size_t len, enum config_source *src, struct buf *err)
{
	struct ini st = {.t = t, .n = n, .dst = dst, .src = src, .name = name};
	struct cursor c, line;
	int r = 0;

	buf_init(&st.msg, 1024);
	buf_init(&st.val, CONFIG_LINE_MAX);
	st.seen = calloc(n ? n : 1, sizeof(*st.seen));
	if (!st.seen)
		return ERR_NOMEM;
	cursor_init(&c, data, len);
	if (cursor_expect(&c, "\xef\xbb\xbf") != 0)
		cursor_init(&c, data, len); /* no BOM */
	while (c.len) {
		st.line++;
		r = cursor_line(&c, CONFIG_LINE_MAX + 1, &line);
		if (r == ERR_EOF) {
			line = c; /* the last line has no newline */
			c.len = 0;
			r = line.len > CONFIG_LINE_MAX ? ERR_TOO_BIG : 0;
		}
		if (r == ERR_TOO_BIG) {
			r = ini_msg(&st, err, r, "line too long (max 4096 bytes)");
			break;
		}
		r = ini_line(&st, &line, err);
		if (r)
			break;
	}
	if (r == ERR_NOMEM)
		config_fail(err, "%s: out of memory", name);
	free(st.seen);
	buf_release(&st.msg);
	buf_release(&st.val);
	return r;
}

static int read_file(const char *path, struct buf *data, struct buf *err)
{
	char chunk[8192], ebuf[128];
	struct stat sb;
	int fd, r = 0, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		config_fail(err, "%s: cannot open: %s", path, strerror_r(e, ebuf, sizeof(ebuf)));
		return e == ENOENT ? ERR_NOTFOUND : err_from_errno(e);
	}
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		config_fail(err, "%s: is a directory", path);
		r = ERR_IO;
		goto out;
	}
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = errno;
			config_fail(err, "%s: read failed: %s", path,
				    strerror_r(e, ebuf, sizeof(ebuf)));
			r = err_from_errno(e);
			goto out;
		}
		if (got == 0)
			break;
		r = buf_add(data, chunk, (size_t)got);
		if (r == ERR_TOO_BIG) {
			config_fail(err, "%s: file is larger than %u bytes", path, CONFIG_FILE_MAX);
			goto out;
		}
		if (r)
			goto out;
	}
out:
	close(fd);
	return r;
}

int config_load_file(const struct config_opt *t, size_t n, void *dst, const char *path,
		     enum config_source *src, struct buf *err)
{
	struct buf data;
	int r;

	buf_init(&data, CONFIG_FILE_MAX);
	r = read_file(path, &data, err);
	if (r == 0)
		r = config_load_buf(t, n, dst, path, data.ptr, data.len, src, err);
	buf_release(&data);
	return r;
}
