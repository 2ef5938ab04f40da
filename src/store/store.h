/*
 * store.h: the storage interface. One opaque handle (struct store) over a
 * backend chosen at run time from a URL (SQLite now, PostgreSQL later), a
 * portable prepared-statement API, transactions, numbered schema migrations
 * and a few convenience writers for the scan pipeline. See docs/storage.md.
 */
#ifndef WACHTER_STORE_H
#define WACHTER_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/core.h"

/*
 * The portable SQL subset. Callers write SQL that both SQLite (>= 3.35) and
 * PostgreSQL (>= 12) accept with the same meaning:
 *   - parameters are "?" only (never ?NNN, :name, @name or $N); the
 *     PostgreSQL backend rewrites them to $1, $2, ... outside string literals;
 *   - ids are INTEGER (64-bit); new ids come from "INSERT ... RETURNING id"
 *     (preferred) or store_last_insert_id(); never write AUTOINCREMENT,
 *     SERIAL or IDENTITY in callers: that belongs in migrations only;
 *   - upserts are "INSERT ... ON CONFLICT (cols) DO UPDATE SET c = excluded.c"
 *     or "... DO NOTHING"; never INSERT OR REPLACE / REPLACE INTO / INSERT OR
 *     IGNORE;
 *   - timestamps are ISO-8601 TEXT in UTC, "2026-11-28T10:00:00Z" (as
 *     time_rfc3339 writes them); they sort and compare as strings; never
 *     datetime('now') or now() in callers: bind the value;
 *   - booleans are INTEGER 0/1; text is valid UTF-8 without NUL bytes (the
 *     bind functions enforce it); raw bytes go in BLOB (bytea);
 *   - string concatenation with ||, COALESCE, CASE, LIMIT n OFFSET m,
 *     standard aggregates; no GROUP_CONCAT/STRING_AGG, no IFNULL, no ILIKE,
 *     no backend-specific functions or PRAGMAs outside migrations;
 *   - identifiers are lower-case snake_case and never quoted.
 * Migrations are the one place for backend-specific SQL: each carries one
 * script per dialect.
 */

struct store;
struct store_stmt;
struct logger;

/* stmt_step results besides negative error codes. */
enum { STORE_DONE = 0, STORE_ROW = 1 };

/* The SQL dialect of a handle's backend, for the rare caller that must branch. */
enum store_dialect { STORE_DIALECT_SQLITE = 1, STORE_DIALECT_POSTGRES = 2 };

/* What kind of failure the last ERR_DB was (portable across backends). */
enum store_errclass {
	STORE_ERRCLASS_NONE = 0,
	STORE_ERRCLASS_CONSTRAINT, /* UNIQUE, FOREIGN KEY, NOT NULL or CHECK violated */
	STORE_ERRCLASS_BUSY,	   /* locked by another connection past busy_timeout */
	STORE_ERRCLASS_OTHER,
};

enum store_open_flags {
	STORE_OPEN_NOCREATE = 1 << 0, /* fail with ERR_NOTFOUND if the database is absent */
	STORE_OPEN_READONLY = 1 << 1, /* no writes; implies NOCREATE */
};

#define STORE_BUSY_TIMEOUT_DEFAULT_MS 5000

struct store_opts {
	int busy_timeout_ms; /* wait this long for a lock; 0 = default 5000, < 0 = invalid */
	unsigned flags;	     /* enum store_open_flags */
};

/*
 * store_open: open the database named by url:
 *   "sqlite:<path>", "sqlite://<path>" or a plain path  -> SQLite backend;
 *   "postgres://..." / "postgresql://..."              -> PostgreSQL (libpq URL);
 *   any other "<scheme>://"                             -> ERR_UNSUPP.
 * ":memory:" is a private in-memory SQLite database (for tests).
 * A SQLite file is created (mode 0600) when absent unless opts->flags has
 * STORE_OPEN_NOCREATE/READONLY; its directory must exist (ERR_NOTFOUND
 * otherwise: directories are never created). The connection gets WAL
 * journalling, foreign_keys=ON, synchronous=NORMAL and the busy timeout.
 * A postgres URL goes to libpq as it is (postgres://user[:pw]@host[:port]/db,
 * ?host=/dir for a unix socket, ?sslmode=..., or PGPASSWORD/.pgpass); the
 * database must exist; the busy timeout becomes lock_timeout and READONLY
 * default_transaction_read_only. See docs/storage.md.
 * opts may be NULL (defaults). lg is borrowed for the handle's lifetime and
 * may be NULL; failures are logged there with a clear message since no
 * handle exists to carry it. *out is set only on success.
 * Errors: ERR_INVAL (empty url, bad opts), ERR_UNSUPP, ERR_NOTFOUND,
 * ERR_PERM, ERR_NOMEM, ERR_DB.
 * Thread safety: a handle serves one thread at a time; open one per thread.
 */
int store_open(const char *url, const struct store_opts *opts, struct logger *lg,
	       struct store **out) WUR;

/* store_close: roll back an open transaction and close; accepts NULL. All
 * statements must have been finalized. */
void store_close(struct store *st);

/* store_errmsg: the message of the last failure on st ("" when none); valid
 * until the next call on st. Never NULL (st NULL gives "no store"). */
const char *store_errmsg(const struct store *st);
/* store_errclass: the class of the last ERR_DB on st. */
enum store_errclass store_errclass(const struct store *st);

/* store_backend_name: "sqlite" or "postgres"; store_dialect: the enum. */
const char *store_backend_name(const struct store *st);
enum store_dialect store_dialect(const struct store *st);
/* store_location: the file path (sqlite) or the URL without password. */
const char *store_location(const struct store *st);

/*
 * store_exec: run sql, which takes no parameters and returns no rows that
 * matter; it may hold several ';'-separated statements, run in order until
 * the first failure (outside a transaction the ones before it stay
 * applied; wrap the call in store_begin/store_commit for all or nothing).
 * 0, ERR_DB (see store_errmsg), ERR_INVAL for transaction control anywhere
 * in the script (refused before it runs; use store_begin...).
 */
int store_exec(struct store *st, const char *sql) WUR;

/*
 * store_prepare: compile one statement with '?' parameters into *out, which
 * the caller owns and releases with stmt_finalize before store_close.
 * Errors: ERR_DB (syntax, unknown table), ERR_INVAL (more than one
 * statement, empty sql), ERR_NOMEM.
 * Each handle keeps up to 48 compiled statements (LRU, keyed by the SQL
 * text): preparing SQL that is cached and not in use hands back the
 * compiled statement, never stepped and with every parameter NULL, and
 * stmt_finalize returns it to the cache (reset, bindings cleared) rather
 * than destroying it; callers see no difference. The same SQL prepared
 * twice at once gives two independent statements.
 */
int store_prepare(struct store *st, const char *sql, struct store_stmt **out) WUR;

/*
 * Binding: idx counts parameters from 1. Values are copied at once.
 * stmt_bind_text binds a NUL-terminated string (NULL binds SQL NULL);
 * stmt_bind_textn binds s[0..len). Text must be valid UTF-8 without NUL
 * bytes, else ERR_INVAL. stmt_bind_blob copies p[0..len) (p may be NULL
 * when len is 0: an empty blob). Errors: ERR_RANGE (no such parameter),
 * ERR_INVAL, ERR_TOO_BIG, ERR_NOMEM, ERR_DB. Bindings survive stmt_reset;
 * binding after stmt_step resets the statement first (so bind, step, bind,
 * step runs it twice).
 */
int stmt_bind_int64(struct store_stmt *s, int idx, int64_t v) WUR;
int stmt_bind_text(struct store_stmt *s, int idx, const char *v) WUR;
int stmt_bind_textn(struct store_stmt *s, int idx, const char *v, size_t len) WUR;
int stmt_bind_blob(struct store_stmt *s, int idx, const void *p, size_t len) WUR;
int stmt_bind_null(struct store_stmt *s, int idx) WUR;

/*
 * stmt_step: run or advance the statement: STORE_ROW (a row is ready for
 * the column getters), STORE_DONE (finished; step again only after
 * stmt_reset), or ERR_DB (message via store_errmsg on the owning store;
 * constraint violations have class STORE_ERRCLASS_CONSTRAINT).
 */
int stmt_step(struct store_stmt *s) WUR;

/*
 * Column getters, valid after STORE_ROW; col counts from 0. Pointers stay
 * valid until the next step, reset or finalize of s. A NULL value or a
 * column out of range gives 0 / NULL (blob: NULL with *len 0).
 */
int stmt_column_count(struct store_stmt *s);
int stmt_column_is_null(struct store_stmt *s, int col);
int64_t stmt_column_int64(struct store_stmt *s, int col);
const char *stmt_column_text(struct store_stmt *s, int col);
const void *stmt_column_blob(struct store_stmt *s, int col, size_t *len);

/* stmt_reset: make s runnable again (bindings kept); stmt_clear_bindings
 * sets every parameter to NULL (and also resets). */
int stmt_reset(struct store_stmt *s) WUR;
int stmt_clear_bindings(struct store_stmt *s) WUR;
/* stmt_finalize: release s; accepts NULL. */
void stmt_finalize(struct store_stmt *s);

/*
 * Transactions: store_begin starts one (SQLite: BEGIN IMMEDIATE, so the
 * write lock is taken up front and busy_timeout applies); nesting is an
 * error (ERR_INVAL). store_commit: on failure the transaction is rolled back
 * and ERR_DB returned. store_rollback: ERR_INVAL when none is open.
 * store_in_transaction: 1 when one is open.
 */
int store_begin(struct store *st) WUR;
int store_commit(struct store *st) WUR;
int store_rollback(struct store *st);
int store_in_transaction(const struct store *st);

/* store_last_insert_id: the id of the last row inserted on this handle
 * (prefer INSERT ... RETURNING id, which is portable). */
int64_t store_last_insert_id(struct store *st);

/* ------------------------------------------------------------- migrations */

/*
 * struct store_migration: one schema step. version counts 1, 2, 3 ... with
 * no gaps; name is a short snake_case label; each sql_* is a script for that
 * dialect (several statements, no transaction control: the runner wraps
 * each migration and its schema_version row in one transaction). "" means
 * "nothing to do on this backend"; NULL means the migration cannot run
 * there (ERR_UNSUPP). Shipped migrations are never edited, only appended.
 */
struct store_migration {
	int version;
	const char *name;
	const char *sql_sqlite;
	const char *sql_postgres;
};

/* store_migrations: the built-in list (ordered) and its length in *n. */
const struct store_migration *store_migrations(size_t *n);

/*
 * store_migrate: apply every pending built-in migration, each in its own
 * transaction together with its schema_version row. A migration that fails
 * is rolled back completely; the database stays at the previous version
 * and ERR_DB is returned (store_errmsg names the migration and the
 * backend message). A database newer than this binary knows gives
 * ERR_RANGE and is left alone (never downgraded). *from and *to (either
 * may be NULL) get the version before and after, on success only.
 * Safe against a concurrent migrator: each step re-reads the version under
 * the write lock. Errors: ERR_DB, ERR_RANGE, ERR_INVAL (a transaction is
 * already open, or a malformed list), ERR_UNSUPP.
 */
int store_migrate(struct store *st, int *from, int *to) WUR;
/* store_migrate_list: the same with an explicit list (tests, tools). */
int store_migrate_list(struct store *st, const struct store_migration *list, size_t n, int *from,
		       int *to) WUR;

/*
 * store_schema_version: *current = the version the database is at (0 when
 * empty), *latest = the last built-in migration. current > latest means the
 * database is newer than this binary. Either pointer may be NULL.
 */
int store_schema_version(struct store *st, int *current, int *latest) WUR;

/*
 * store_status: append a human-readable report to out: backend, location,
 * schema version current/latest, pending migrations by number and name,
 * and backend details (journal mode, size). For "wachter db status".
 */
int store_status(struct store *st, struct buf *out) WUR;

/* ---------------------------------------------------------- the commands */

/*
 * store_cmd_migrate: the body of "wachter db migrate". Opens url (creating
 * a SQLite file; opts may be NULL), applies every pending migration and
 * appends one line to out: "... migrated from schema version 0 to 1" or
 * "... is up to date at schema version 1". On failure out gets
 * "error: <what failed>\n" and the code is returned (ERR_NOTFOUND for a
 * missing directory, ERR_DB for an unreachable postgres, ERR_RANGE for a database
 * newer than this binary, ERR_DB for a failed migration, ...).
 */
int store_cmd_migrate(const char *url, const struct store_opts *opts, struct logger *lg,
		      struct buf *out) WUR;

/*
 * store_cmd_status: the body of "wachter db status". Opens url read-only
 * (never creates it; opts->flags is ignored) and appends the
 * store_status report to out. Returns 0 when the report was written,
 * including "migrations pending"; ERR_RANGE (report written too) when the
 * database is newer than this binary; ERR_NOTFOUND with "error: ... does
 * not exist" when there is no database yet; other codes with "error: ...".
 */
int store_cmd_status(const char *url, const struct store_opts *opts, struct logger *lg,
		     struct buf *out) WUR;

/* ---------------------------------------------------------- scan pipeline */

/*
 * store_scan_save: record a scan of target (org_id NULL) started at
 * started and finished at finished (0 = still running, finished_at NULL)
 * with status ("running", "done", "failed", ...). *scan_id gets the new id.
 * Errors: ERR_INVAL (NULL/empty target or status), ERR_DB.
 */
int store_scan_save(struct store *st, const char *target, time_t started, time_t finished,
		    const char *status, int64_t *scan_id) WUR;

/*
 * store_finding_add: record one finding of scan scan_id. severity 0..4
 * (info..critical), confidence >= 0, port -1 (none) or 0..65535, else
 * ERR_RANGE. check_id, target and title are required (ERR_INVAL); evidence
 * may be NULL. All text must be valid UTF-8 (make evidence printable
 * first). An unknown scan_id is a constraint violation (ERR_DB).
 */
int store_finding_add(struct store *st, int64_t scan_id, const char *check_id, int severity,
		      int confidence, const char *target, int port, const char *title,
		      const char *evidence) WUR;

#endif
