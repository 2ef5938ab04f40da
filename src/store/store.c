/*
 * store.c: the backend-independent half of the storage interface: URL
 * dispatch, argument and UTF-8 checks, transaction bookkeeping and error
 * messages. Everything backend-specific goes through st->ops.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

/* --------------------------------------------------------------- errors */

int store_set_err(struct store *st, int code, enum store_errclass cls, const char *fmt, ...)
{
	va_list ap;

	st->errclass = cls;
	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

void store_clear_err(struct store *st)
{
	st->errclass = STORE_ERRCLASS_NONE;
	st->errmsg[0] = '\0';
}

const char *store_errmsg(const struct store *st)
{
	return st ? st->errmsg : "no store";
}

enum store_errclass store_errclass(const struct store *st)
{
	return st ? st->errclass : STORE_ERRCLASS_NONE;
}

const char *store_backend_name(const struct store *st)
{
	return st->ops->name;
}

enum store_dialect store_dialect(const struct store *st)
{
	return st->ops->dialect;
}

const char *store_location(const struct store *st)
{
	return st->location;
}

/* ---------------------------------------------------------------- checks */

int store_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n;
		uint32_t cp, min;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (len - i - 1 < n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* The first keyword of sql, skipping white space and SQL comments. */
static void first_word(const char *sql, const char **w, size_t *wlen)
{
	const char *p = sql;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
			continue;
		}
		break;
	}
	*w = p;
	*wlen = 0;
	while ((p[*wlen] >= 'a' && p[*wlen] <= 'z') || (p[*wlen] >= 'A' && p[*wlen] <= 'Z'))
		(*wlen)++;
}

int store_is_tx_control(const char *sql)
{
	static const char *const words[] = {"begin",	"commit",    "end",
					    "rollback", "savepoint", "release"};
	const char *w;
	size_t wlen;

	first_word(sql, &w, &wlen);
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (wlen == strlen(words[i]) && strncasecmp(w, words[i], wlen) == 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------ open/close */

int store_parse_url(const char *url, const struct store_backend_ops **ops, const char **target)
{
	const char *sep;

	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		*ops = &store_pg_ops;
		*target = url; /* libpq parses the whole URL */
		return 0;
	}
	if (strncmp(url, "sqlite:", 7) == 0) {
		url += 7;
		if (strncmp(url, "//", 2) == 0)
			url += 2;
	} else {
		/* "scheme://" with a scheme we do not know is a typo, not a path. */
		sep = strstr(url, "://");
		if (sep && sep > url &&
		    strspn(url, "abcdefghijklmnopqrstuvwxyz0123456789+.-") == (size_t)(sep - url))
			return ERR_UNSUPP;
	}
	if (*url == '\0')
		return ERR_INVAL;
	*ops = &store_sqlite_ops;
	*target = url;
	return 0;
}

/* Check and complete opts; NULL gives the defaults. */
static int open_opts(const struct store_opts *opts, struct store_opts *o)
{
	o->busy_timeout_ms = STORE_BUSY_TIMEOUT_DEFAULT_MS;
	o->flags = 0;
	if (opts) {
		if (opts->busy_timeout_ms < 0)
			return ERR_INVAL;
		o->flags = opts->flags;
		if (opts->busy_timeout_ms > 0)
			o->busy_timeout_ms = opts->busy_timeout_ms;
	}
	if (o->flags & STORE_OPEN_READONLY)
		o->flags |= STORE_OPEN_NOCREATE;
	return 0;
}

int store_open_msg(const char *url, const struct store_opts *opts, struct logger *lg,
		   struct store **out, char *msg, size_t msize)
{
	const struct store_backend_ops *ops = NULL;
	const char *target = NULL;
	struct store *st = NULL;
	struct store_opts o;
	int r;

	msg[0] = '\0';
	if (!url || !out) {
		snprintf(msg, msize, "no database url");
		return ERR_INVAL;
	}
	if (open_opts(opts, &o) != 0) {
		snprintf(msg, msize, "busy timeout must not be negative");
		return ERR_INVAL;
	}
	r = store_parse_url(url, &ops, &target);
	if (r == ERR_UNSUPP) {
		snprintf(msg, msize,
			 "unknown database url scheme \"%.*s\" (use sqlite:<path> or "
			 "postgres://...)",
			 LOG_CAP(strcspn(url, ":")), url);
		return r;
	}
	if (r != 0) {
		snprintf(msg, msize, "empty database path");
		return r;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return ERR_NOMEM;
	st->ops = ops;
	st->lg = lg;
	st->location = xstrndup(target, strlen(target));
	if (!st->location) {
		r = ERR_NOMEM;
		goto out;
	}
	r = ops->open(st, target, &o);
	if (r != 0) {
		snprintf(msg, msize, "cannot open %s database: %s", ops->name, st->errmsg);
		goto out;
	}
	*out = st;
	st = NULL;
out:
	if (st) {
		free(st->location);
		free(st);
	}
	if (r == ERR_NOMEM && !msg[0])
		snprintf(msg, msize, "out of memory");
	return r;
}

int store_open(const char *url, const struct store_opts *opts, struct logger *lg,
	       struct store **out)
{
	char msg[STORE_ERRMSG_MAX + 64];
	int r = store_open_msg(url, opts, lg, out, msg, sizeof(msg));

	if (r != 0)
		LOG_ERROR(lg, "store: %s", msg);
	return r;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->in_tx) {
		LOG_WARN(st->lg, "store: closing with an open transaction; rolling back");
		(void)store_rollback(st);
	}
	if (st->nstmt != 0)
		LOG_ERROR(st->lg, "store: closing with statements not finalized n=%d", st->nstmt);
	store_cache_release(st);
	st->ops->close(st);
	free(st->location);
	free(st);
}

/* ------------------------------------------------------------ statements */

int store_exec(struct store *st, const char *sql)
{
	store_clear_err(st);
	if (!sql || !*sql)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER, "empty sql");
	if (store_is_tx_control(sql))
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "transaction control in store_exec; use store_begin/commit");
	return st->ops->exec(st, sql);
}

int store_prepare(struct store *st, const char *sql, struct store_stmt **out)
{
	struct store_stmt *s;
	size_t len;
	int r;

	store_clear_err(st);
	if (!sql || !*sql || !out)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER, "empty sql");
	if (store_is_tx_control(sql))
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "transaction control in a statement; use store_begin/commit");
	len = strlen(sql);
	s = store_cache_get(st, sql, len);
	if (s) {
		st->nstmt++;
		*out = s;
		return 0;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return ERR_NOMEM;
	s->st = st;
	s->done = 1;
	r = st->ops->prepare(st, sql, s);
	if (r != 0) {
		free(s);
		return r;
	}
	store_cache_put(st, sql, len, s);
	st->nstmt++;
	*out = s;
	return 0;
}

/* Binding a new value means running the statement again: reset first. */
static void rearm(struct store_stmt *s)
{
	if (s->stepped) {
		s->done = 1;
		s->stepped = 0;
		(void)s->st->ops->reset(s);
	}
}

int stmt_bind_int64(struct store_stmt *s, int idx, int64_t v)
{
	rearm(s);
	return s->st->ops->bind_int64(s, idx, v);
}

int stmt_bind_textn(struct store_stmt *s, int idx, const char *v, size_t len)
{
	if (!v)
		return stmt_bind_null(s, idx);
	rearm(s);
	if (!store_utf8_valid(v, len))
		return store_set_err(s->st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "text parameter %d is not valid UTF-8 or holds a NUL byte",
				     idx);
	return s->st->ops->bind_text(s, idx, v, len);
}

int stmt_bind_text(struct store_stmt *s, int idx, const char *v)
{
	return stmt_bind_textn(s, idx, v, v ? strlen(v) : 0);
}

int stmt_bind_blob(struct store_stmt *s, int idx, const void *p, size_t len)
{
	static const unsigned char none[1];

	if (!p && len != 0)
		return store_set_err(s->st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "blob parameter %d: NULL data with length", idx);
	rearm(s);
	return s->st->ops->bind_blob(s, idx, p ? p : none, len);
}

int stmt_bind_null(struct store_stmt *s, int idx)
{
	rearm(s);
	return s->st->ops->bind_null(s, idx);
}

int stmt_step(struct store_stmt *s)
{
	int r;

	store_clear_err(s->st);
	r = s->st->ops->step(s);
	s->stepped = 1;
	s->done = r != STORE_ROW;
	return r;
}

int stmt_column_count(struct store_stmt *s)
{
	return s->st->ops->column_count(s);
}

static int col_ok(struct store_stmt *s, int col)
{
	return !s->done && col >= 0 && col < s->st->ops->column_count(s);
}

int stmt_column_is_null(struct store_stmt *s, int col)
{
	return col_ok(s, col) ? s->st->ops->column_is_null(s, col) : 1;
}

int64_t stmt_column_int64(struct store_stmt *s, int col)
{
	return col_ok(s, col) ? s->st->ops->column_int64(s, col) : 0;
}

const char *stmt_column_text(struct store_stmt *s, int col)
{
	return col_ok(s, col) ? s->st->ops->column_text(s, col) : NULL;
}

const void *stmt_column_blob(struct store_stmt *s, int col, size_t *len)
{
	*len = 0;
	return col_ok(s, col) ? s->st->ops->column_blob(s, col, len) : NULL;
}

int stmt_reset(struct store_stmt *s)
{
	s->done = 1;
	s->stepped = 0;
	return s->st->ops->reset(s);
}

int stmt_clear_bindings(struct store_stmt *s)
{
	rearm(s);
	return s->st->ops->clear_bindings(s);
}

void stmt_finalize(struct store_stmt *s)
{
	if (!s)
		return;
	s->st->nstmt--;
	if (s->cslot) {
		store_cache_idle(s);
		return;
	}
	s->st->ops->finalize(s);
	free(s);
}

/* ---------------------------------------------------------- transactions */

int store_begin(struct store *st)
{
	int r;

	store_clear_err(st);
	if (st->in_tx)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "a transaction is already open (no nesting)");
	r = st->ops->begin(st);
	if (r == 0)
		st->in_tx = 1;
	return r;
}

int store_commit(struct store *st)
{
	char msg[STORE_ERRMSG_MAX];
	enum store_errclass cls;
	int r;

	store_clear_err(st);
	if (!st->in_tx)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER, "no open transaction");
	r = st->ops->commit(st);
	if (r != 0) {
		/* Keep the commit's message; the rollback must not overwrite it. */
		str_lcpy(msg, st->errmsg, sizeof(msg));
		cls = st->errclass;
		(void)st->ops->rollback(st);
		store_set_err(st, r, cls, "%s", msg);
	}
	st->in_tx = 0;
	return r;
}

int store_rollback(struct store *st)
{
	int r;

	if (!st->in_tx)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER, "no open transaction");
	r = st->ops->rollback(st);
	st->in_tx = 0;
	return r;
}

int store_in_transaction(const struct store *st)
{
	return st->in_tx;
}

int64_t store_last_insert_id(struct store *st)
{
	return st->ops->last_insert_id(st);
}
