/*
 * store_sqlite.c: the SQLite backend of the storage interface. One
 * connection per handle in WAL mode with foreign keys on, a busy timeout,
 * synchronous=NORMAL and the defensive/untrusted-schema hardening flags.
 * The file is created 0600: it holds every customer's findings.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

/* RETURNING (used by the portable id idiom) arrived in 3.35. */
#define SQLITE_MIN_VERSION 3035000

#define DB(st) ((sqlite3 *)(st)->impl)
#define STMT(s) ((sqlite3_stmt *)(s)->impl)

static enum store_errclass sq_class(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return STORE_ERRCLASS_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_ERRCLASS_BUSY;
	default:
		return STORE_ERRCLASS_OTHER;
	}
}

static int sq_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return 0;
	case SQLITE_NOMEM:
		return ERR_NOMEM;
	case SQLITE_TOOBIG:
		return ERR_TOO_BIG;
	case SQLITE_RANGE:
		return ERR_RANGE;
	default:
		return ERR_DB;
	}
}

/* sq_fail: record the connection's message for result code rc. */
static int sq_fail(struct store *st, int rc)
{
	const char *msg = DB(st) ? sqlite3_errmsg(DB(st)) : sqlite3_errstr(rc);

	return store_set_err(st, sq_code(rc), sq_class(rc), "%s", msg);
}

/*
 * The directory must exist (we never create directories: a typo in a path
 * should fail loudly, not scatter databases). ERR_NOTFOUND with a message.
 */
static int check_dir(struct store *st, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct stat sb;

	if (!slash)
		str_lcpy(dir, ".", sizeof(dir));
	else if (slash == path)
		str_lcpy(dir, "/", sizeof(dir));
	else if ((size_t)(slash - path) >= sizeof(dir))
		return store_set_err(st, ERR_TOO_BIG, STORE_ERRCLASS_OTHER, "path too long");
	else
		str_lcpy(dir, path, (size_t)(slash - path) + 1);
	if (stat(dir, &sb) != 0) {
		int e = errno;
		return store_set_err(st, e == ENOENT ? ERR_NOTFOUND : err_from_errno(e),
				     STORE_ERRCLASS_OTHER, "directory %s: %s", dir,
				     e == ENOENT ? "does not exist (create it first)"
						 : strerror(e));
	}
	if (!S_ISDIR(sb.st_mode))
		return store_set_err(st, ERR_NOTFOUND, STORE_ERRCLASS_OTHER,
				     "%s is not a directory", dir);
	return 0;
}

/* Create the file 0600 ourselves so SQLite does not make it world-readable. */
static int precreate(struct store *st, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	return store_set_err(st, err_from_errno(errno), STORE_ERRCLASS_OTHER, "create %s: %s", path,
			     strerror(errno));
}

/* One PRAGMA whose single text result we want (or NULL). */
static int pragma_text(struct store *st, const char *sql, char *val, size_t vsize)
{
	sqlite3_stmt *q = NULL;
	int rc;

	rc = sqlite3_prepare_v2(DB(st), sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(q, 0);
		str_lcpy(val, t ? (const char *)t : "", vsize);
		rc = SQLITE_DONE;
	} else if (rc == SQLITE_DONE) {
		val[0] = '\0';
	}
	if (rc != SQLITE_DONE) {
		rc = sq_fail(st, rc);
		sqlite3_finalize(q);
		return rc;
	}
	sqlite3_finalize(q);
	return 0;
}

static int configure(struct store *st, const char *path, const struct store_opts *o)
{
	sqlite3 *db = DB(st);
	char val[32];
	int rc, on = 0;

	sqlite3_extended_result_codes(db, 1);
	rc = sqlite3_busy_timeout(db, o->busy_timeout_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &on);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc);
	if (!on)
		return store_set_err(st, ERR_UNSUPP, STORE_ERRCLASS_OTHER,
				     "sqlite built without foreign key support");
	if (!(o->flags & STORE_OPEN_READONLY) && strcmp(path, ":memory:") != 0) {
		if (pragma_text(st, "PRAGMA journal_mode=WAL", val, sizeof(val)) != 0)
			return ERR_DB;
		if (strcmp(val, "wal") != 0)
			LOG_WARN(st->lg, "store: sqlite refused WAL mode, using journal_mode=%s",
				 val);
	}
	rc = sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc);
	return 0;
}

static int sq_open(struct store *st, const char *path, const struct store_opts *o)
{
	int flags = SQLITE_OPEN_NOMUTEX;
	char fixed[PATH_MAX];
	sqlite3 *db = NULL;
	struct stat sb;
	int rc, r;

	if (sqlite3_libversion_number() < SQLITE_MIN_VERSION)
		return store_set_err(st, ERR_UNSUPP, STORE_ERRCLASS_OTHER,
				     "sqlite %s is too old (need 3.35 or later)",
				     sqlite3_libversion());
	if (strcmp(path, ":memory:") != 0) {
		r = check_dir(st, path);
		if (r != 0)
			return r;
		if ((o->flags & STORE_OPEN_NOCREATE) && stat(path, &sb) != 0)
			return store_set_err(st, ERR_NOTFOUND, STORE_ERRCLASS_OTHER,
					     "database %s does not exist (run wachter db migrate)",
					     path);
		if (!(o->flags & STORE_OPEN_NOCREATE)) {
			r = precreate(st, path);
			if (r != 0)
				return r;
		}
	}
	flags |= (o->flags & STORE_OPEN_READONLY) ? SQLITE_OPEN_READONLY
						  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	/* Debian's SQLite is built with USE_URI: keep "file:..." a file name. */
	if (strncmp(path, "file:", 5) == 0) {
		if (snprintf(fixed, sizeof(fixed), "./%s", path) >= (int)sizeof(fixed))
			return store_set_err(st, ERR_TOO_BIG, STORE_ERRCLASS_OTHER,
					     "path too long");
		path = fixed;
	}
	rc = sqlite3_open_v2(path, &db, flags, NULL);
	st->impl = db;
	if (rc != SQLITE_OK) {
		r = db ? sq_fail(st, rc)
		       : store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
		goto fail;
	}
	r = configure(st, path, o);
	if (r != 0)
		goto fail;
	return 0;
fail:
	sqlite3_close(db);
	st->impl = NULL;
	return r;
}

static void sq_close(struct store *st)
{
	/* close_v2 so a leaked statement cannot keep us from closing. */
	sqlite3_close_v2(DB(st));
	st->impl = NULL;
}

/*
 * Run a script one statement at a time: SQLite's own parser splits it (so
 * trigger bodies with BEGIN ... END are fine), and a transaction-control
 * statement is refused before it runs, so a script can never commit or
 * end the transaction a migration runs in.
 */
static int sq_exec(struct store *st, const char *sql)
{
	const char *tail = sql;
	sqlite3_stmt *q = NULL;
	int rc;

	while (*tail) {
		rc = sqlite3_prepare_v2(DB(st), tail, -1, &q, &tail);
		if (rc != SQLITE_OK)
			return sq_fail(st, rc);
		if (!q)
			break; /* only white space or comments left */
		if (store_is_tx_control(sqlite3_sql(q))) {
			sqlite3_finalize(q);
			return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
					     "transaction control inside a script");
		}
		do
			rc = sqlite3_step(q);
		while (rc == SQLITE_ROW);
		if (rc != SQLITE_DONE) {
			rc = sq_fail(st, rc);
			sqlite3_finalize(q);
			return rc;
		}
		sqlite3_finalize(q);
	}
	return 0;
}

static int sq_simple(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(DB(st), sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : sq_fail(st, rc);
}

static int sq_begin(struct store *st)
{
	return sq_simple(st, "BEGIN IMMEDIATE");
}

static int sq_commit(struct store *st)
{
	return sq_simple(st, "COMMIT");
}

static int sq_rollback(struct store *st)
{
	/* After some errors SQLite has already rolled back by itself. */
	if (sqlite3_get_autocommit(DB(st)))
		return 0;
	return sq_simple(st, "ROLLBACK");
}

static int sq_prepare(struct store *st, const char *sql, struct store_stmt *s)
{
	sqlite3_stmt *q = NULL;
	const char *tail = NULL;
	int rc;

	rc = sqlite3_prepare_v3(DB(st), sql, -1, 0, &q, &tail);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc);
	if (!q)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER, "no statement in sql");
	tail += strspn(tail, " \t\r\n;");
	if (*tail) {
		sqlite3_finalize(q);
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "more than one statement in store_prepare");
	}
	s->impl = q;
	return 0;
}

static int bind_rc(struct store_stmt *s, int idx, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	if (rc == SQLITE_RANGE)
		return store_set_err(s->st, ERR_RANGE, STORE_ERRCLASS_OTHER,
				     "no parameter %d in statement", idx);
	return sq_fail(s->st, rc);
}

static int sq_bind_int64(struct store_stmt *s, int idx, int64_t v)
{
	return bind_rc(s, idx, sqlite3_bind_int64(STMT(s), idx, v));
}

static int sq_bind_text(struct store_stmt *s, int idx, const char *v, size_t len)
{
	return bind_rc(s, idx,
		       sqlite3_bind_text64(STMT(s), idx, v, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_blob(struct store_stmt *s, int idx, const void *p, size_t len)
{
	return bind_rc(s, idx, sqlite3_bind_blob64(STMT(s), idx, p, len, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct store_stmt *s, int idx)
{
	return bind_rc(s, idx, sqlite3_bind_null(STMT(s), idx));
}

static int sq_step(struct store_stmt *s)
{
	int rc = sqlite3_step(STMT(s));

	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	sq_fail(s->st, rc);
	/* A failed step leaves the statement needing a reset. */
	sqlite3_reset(STMT(s));
	return sq_code(rc) == ERR_NOMEM ? ERR_NOMEM : ERR_DB;
}

static int sq_column_count(struct store_stmt *s)
{
	return sqlite3_data_count(STMT(s));
}

static int sq_column_is_null(struct store_stmt *s, int col)
{
	return sqlite3_column_type(STMT(s), col) == SQLITE_NULL;
}

static int64_t sq_column_int64(struct store_stmt *s, int col)
{
	return sqlite3_column_int64(STMT(s), col);
}

static const char *sq_column_text(struct store_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(STMT(s), col);
}

static const void *sq_column_blob(struct store_stmt *s, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(STMT(s), col);

	*len = (size_t)sqlite3_column_bytes(STMT(s), col);
	return p;
}

static int sq_reset(struct store_stmt *s)
{
	/* The error of the last step was reported then; reset itself is clean. */
	sqlite3_reset(STMT(s));
	return 0;
}

static int sq_clear_bindings(struct store_stmt *s)
{
	return bind_rc(s, 0, sqlite3_clear_bindings(STMT(s)));
}

static void sq_finalize(struct store_stmt *s)
{
	sqlite3_finalize(STMT(s));
	s->impl = NULL;
}

static int64_t sq_last_insert_id(struct store *st)
{
	return sqlite3_last_insert_rowid(DB(st));
}

static int sq_table_exists(struct store *st, const char *name, int *exists)
{
	sqlite3_stmt *q = NULL;
	int rc;

	rc = sqlite3_prepare_v2(DB(st), "SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?",
				-1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
			*exists = rc == SQLITE_ROW;
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK)
		sq_fail(st, rc);
	sqlite3_finalize(q);
	return rc == SQLITE_OK ? 0 : sq_code(rc);
}

static int sq_status(struct store *st, struct buf *out)
{
	char mode[32], pages[32], psize[32];
	long long np, ps;
	int r;

	r = pragma_text(st, "PRAGMA journal_mode", mode, sizeof(mode));
	if (r == 0)
		r = pragma_text(st, "PRAGMA page_count", pages, sizeof(pages));
	if (r == 0)
		r = pragma_text(st, "PRAGMA page_size", psize, sizeof(psize));
	if (r != 0)
		return r;
	np = strtoll(pages, NULL, 10);
	ps = strtoll(psize, NULL, 10);
	return buf_addf(out, "sqlite version: %s\njournal mode: %s\nsize: %lld bytes\n",
			sqlite3_libversion(), mode, np * ps);
}

const struct store_backend_ops store_sqlite_ops = {
    .name = "sqlite",
    .dialect = STORE_DIALECT_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .bind_int64 = sq_bind_int64,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_is_null = sq_column_is_null,
    .column_int64 = sq_column_int64,
    .column_text = sq_column_text,
    .column_blob = sq_column_blob,
    .reset = sq_reset,
    .clear_bindings = sq_clear_bindings,
    .finalize = sq_finalize,
    .last_insert_id = sq_last_insert_id,
    .table_exists = sq_table_exists,
    .status = sq_status,
};
