/*
 * store_int.h: private to src/store. The backend vtable every storage
 * backend implements, the handle layout shared by the generic layer and the
 * backends, and the TESTABLE helpers the unit tests reach.
 */
#ifndef WACHTER_STORE_INT_H
#define WACHTER_STORE_INT_H

#include "store/store.h"

#define STORE_ERRMSG_MAX 512

/*
 * struct store_backend_ops: what a backend provides. The generic layer
 * (store.c) validates arguments, tracks the transaction state and UTF-8
 * checks text before calling these, so backends only translate. Every
 * function that fails sets the handle's message with store_set_err and
 * returns a negative ERR_ code. Statement functions get the generic
 * struct store_stmt and keep their handle in s->impl.
 */
struct store_backend_ops {
	const char *name;
	enum store_dialect dialect;
	/* open: connect to target (a SQLite path, or the whole postgres URL). */
	int (*open)(struct store *st, const char *target, const struct store_opts *opts);
	void (*close)(struct store *st);
	int (*exec)(struct store *st, const char *sql);
	int (*begin)(struct store *st);
	int (*commit)(struct store *st);
	int (*rollback)(struct store *st);
	int (*prepare)(struct store *st, const char *sql, struct store_stmt *s);
	int (*bind_int64)(struct store_stmt *s, int idx, int64_t v);
	int (*bind_text)(struct store_stmt *s, int idx, const char *v, size_t len);
	int (*bind_blob)(struct store_stmt *s, int idx, const void *p, size_t len);
	int (*bind_null)(struct store_stmt *s, int idx);
	int (*step)(struct store_stmt *s);
	int (*column_count)(struct store_stmt *s);
	int (*column_is_null)(struct store_stmt *s, int col);
	int64_t (*column_int64)(struct store_stmt *s, int col);
	const char *(*column_text)(struct store_stmt *s, int col);
	const void *(*column_blob)(struct store_stmt *s, int col, size_t *len);
	int (*reset)(struct store_stmt *s);
	int (*clear_bindings)(struct store_stmt *s);
	void (*finalize)(struct store_stmt *s);
	int64_t (*last_insert_id)(struct store *st);
	/* table_exists: *exists = 1 when a table of that name exists. */
	int (*table_exists)(struct store *st, const char *name, int *exists);
	/* status: append backend-specific "key: value" lines. */
	int (*status)(struct store *st, struct buf *out);
};

/*
 * The prepared-statement cache of a handle (stmt_cache.c): store_prepare
 * hands out an idle compiled statement with the same SQL text instead of
 * compiling it again, and stmt_finalize of a cached statement resets it,
 * clears its bindings and marks it idle. Least recently used idle entries
 * make room for new SQL; a statement whose SQL is already out (busy) is
 * compiled afresh and finalized normally.
 */
#define STORE_STMT_CACHE_MAX 48
#define STORE_STMT_CACHE_SQL_MAX 4096 /* longer SQL is never cached */

struct store_cache_entry {
	char *sql; /* owned copy; NULL = free slot */
	size_t len;
	uint64_t hash;
	uint64_t used; /* st->cache_tick when last handed out (LRU) */
	struct store_stmt *s;
	int busy; /* handed out, not yet given back by stmt_finalize */
};

struct store {
	const struct store_backend_ops *ops;
	void *impl; /* the backend's connection */
	struct logger *lg;
	char *location; /* path or URL without password, owned */
	int in_tx;
	int nstmt; /* statements not yet finalized, to catch leaks at close */
	struct store_cache_entry cache[STORE_STMT_CACHE_MAX];
	uint64_t cache_tick;
	uint64_t cache_hits, cache_misses;
	enum store_errclass errclass;
	char errmsg[STORE_ERRMSG_MAX];
};

struct store_stmt {
	struct store *st;
	void *impl;
	int done;    /* no row is ready: not stepped, STORE_DONE or an error */
	int stepped; /* stepped since the last reset; a bind resets first */
	int cslot;   /* 1 + its index in st->cache, 0 when not cached */
};

extern const struct store_backend_ops store_sqlite_ops;
extern const struct store_backend_ops store_pg_ops;

/* pg_sql.c: the PostgreSQL lexer (no libpq), see docs/storage.md. */
#define STORE_PG_SQL_MAX (256 * 1024) /* longest SQL text the backend takes */
#define STORE_PG_PARAMS_MAX 1000      /* most '?' parameters in one statement */
/* store_pg_translate: append sql[0..len) to out with every '?' outside
 * string literals, quoted identifiers, comments and dollar quotes
 * rewritten as $1, $2, ... (?NNN as $NNN, a plain ? numbered after the
 * largest so far, as SQLite does); *nparams = the largest. One statement only (a
 * trailing ';' and comments are fine). ERR_INVAL: unterminated quote or
 * comment, a NUL, a second statement, a "$N" parameter; ERR_TOO_BIG: over
 * STORE_PG_SQL_MAX or STORE_PG_PARAMS_MAX. out is unchanged on failure. */
int store_pg_translate(const char *sql, size_t len, struct buf *out, int *nparams);
/* store_pg_split: *stmt_len = the length of the first statement of
 * sql[0..len), its ';' included (or all of it); *has_code = 0 when it is
 * only white space and comments. ERR_INVAL: unterminated quote or comment. */
int store_pg_split(const char *sql, size_t len, size_t *stmt_len, int *has_code);

/* store_set_err: record the message of a failure (printf style) and its
 * class; returns code so callers can "return store_set_err(...)". */
int store_set_err(struct store *st, int code, enum store_errclass cls, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
/* store_clear_err: forget the last failure. */
void store_clear_err(struct store *st);

/* store_cache_get: an idle cached statement for sql[0..len) (marked busy,
 * bindings clear, never stepped), or NULL. */
struct store_stmt *store_cache_get(struct store *st, const char *sql, size_t len);
/* store_cache_put: adopt the freshly prepared s (busy) into the cache when
 * there is a free slot or an idle one to evict; otherwise s stays
 * uncached. Never fails: caching is an optimisation. */
void store_cache_put(struct store *st, const char *sql, size_t len, struct store_stmt *s);
/* store_cache_idle: give cached s back (reset, bindings cleared, idle). */
void store_cache_idle(struct store_stmt *s);
/* store_cache_release: finalize every cached statement (at close). */
void store_cache_release(struct store *st);

/* store_utf8_valid: 1 when p[0..len) is well-formed UTF-8 without NUL,
 * surrogates or overlong forms. */
int store_utf8_valid(const char *p, size_t len);

/* store_is_tx_control: 1 when sql starts with a transaction keyword. */
int store_is_tx_control(const char *sql);

/* store_parse_url: which backend url names and the target it passes on
 * (*target points into url: the path for sqlite, the whole URL for
 * postgres). ERR_UNSUPP for unknown schemes, ERR_INVAL for an empty
 * target. */
int store_parse_url(const char *url, const struct store_backend_ops **ops, const char **target);

/* store_open_msg: store_open that puts its failure message in msg[msize]
 * instead of logging it (for callers that report it themselves). */
int store_open_msg(const char *url, const struct store_opts *opts, struct logger *lg,
		   struct store **out, char *msg, size_t msize);

/* store_migrations_check: the list is ordered 1..n without gaps, named,
 * and has SQL for dialect. */
int store_migrations_check(struct store *st, const struct store_migration *list, size_t n);
/* store_status_list: store_status against an explicit migration list. */
int store_status_list(struct store *st, const struct store_migration *list, size_t n,
		      struct buf *out);
/* store_current_version: the version the database is at (0 when empty). */
int store_current_version(struct store *st, int *current);

#endif
