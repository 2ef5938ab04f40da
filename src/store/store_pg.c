/*
 * store_pg.c: the PostgreSQL backend of the storage interface (libpq).
 * One connection per handle, client_encoding UTF8, lock_timeout from the
 * busy timeout. Statements are server-side prepared statements with
 * generated names (PQprepare once, PQexecPrepared per run), so the
 * per-handle statement cache keeps their plans too; parameters go as text
 * (bytea as binary), results come back as text and the column getters
 * convert. A dropped connection is reset once, outside a transaction, and
 * the statements of the old session are prepared again. See
 * docs/storage.md for the SQL subset and the differences from SQLite.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

/* Type oids from pg_type.h (server headers are not needed for six numbers). */
#define PG_BOOLOID 16
#define PG_BYTEAOID 17

/* Finalized statement names waiting for a usable transaction state. */
#define PG_DEALLOC_MAX 64

/* The writer lock: the key of a database-wide advisory lock ("wachtrmg"). */
#define PG_WRITER_LOCK_KEY "8606434463411564391"

struct pg_conn {
	PGconn *conn;
	uint64_t next_name; /* statement names: w1, w2, ... per connection */
	uint64_t gen;	    /* bumped when the session was reset */
	uint64_t dealloc[PG_DEALLOC_MAX];
	size_t ndealloc;
	int readonly;
	int lock_timeout_ms;
};

struct pg_param {
	char *val; /* NULL: SQL NULL; text is NUL-terminated */
	int len;
	int binary;
};

struct pg_stmt {
	uint64_t name;
	uint64_t gen; /* the session it was prepared in */
	char *sql;    /* translated ($n), to prepare again after a reset */
	int nparams;
	struct pg_param *params;
	const char **vals; /* PQexecPrepared's arrays, filled at each run */
	int *lens, *fmts;
	PGresult *res; /* NULL until run */
	int row, nrows;
	unsigned char *blob; /* PQunescapeBytea result of the current row */
};

#define PC(st) ((struct pg_conn *)(st)->impl)
#define PS(s) ((struct pg_stmt *)(s)->impl)

/* ---------------------------------------------------------------- errors */

static enum store_errclass pg_class(const char *state)
{
	if (!state)
		return STORE_ERRCLASS_OTHER;
	if (strncmp(state, "23", 2) == 0)
		return STORE_ERRCLASS_CONSTRAINT;
	/* lock_not_available (lock_timeout), deadlock, serialization failure */
	if (strcmp(state, "55P03") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "40001") == 0)
		return STORE_ERRCLASS_BUSY;
	return STORE_ERRCLASS_OTHER;
}

/* Copy a libpq message without the trailing newline. */
static void trim_msg(char *dst, size_t size, const char *msg)
{
	size_t n;

	str_lcpy(dst, msg ? msg : "", size);
	n = strlen(dst);
	while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == '\r' || dst[n - 1] == ' '))
		dst[--n] = '\0';
}

/* pg_fail: record the failure of res (may be NULL: the connection's). */
static int pg_fail(struct store *st, const PGresult *res)
{
	char msg[STORE_ERRMSG_MAX];
	const char *state = NULL, *prim = NULL;

	/* The primary message names the constraint; the detail would carry
	 * the row's values (an e-mail address, a token hash) into the log. */
	if (res) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		prim = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	}
	if (prim) {
		trim_msg(msg, sizeof(msg), prim);
		return store_set_err(st, ERR_DB, pg_class(state), "%s (SQLSTATE %s)", msg,
				     state ? state : "?");
	}
	trim_msg(msg, sizeof(msg), PQerrorMessage(PC(st)->conn));
	if (!msg[0])
		str_lcpy(msg, "postgres: unknown failure", sizeof(msg));
	return store_set_err(st, ERR_DB, STORE_ERRCLASS_OTHER, "%s", msg);
}

/* Run one parameterless command that returns no rows we need. */
static int pg_simple(struct store *st, const char *sql)
{
	PGresult *res = PQexec(PC(st)->conn, sql);
	ExecStatusType es = PQresultStatus(res);
	int r = 0;

	if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK)
		r = pg_fail(st, res);
	PQclear(res);
	return r;
}

/*
 * Finalized statements are closed in batches: their names queue up and one
 * round trip deallocates them all when the queue is full (a DEALLOCATE per
 * statement cost a round trip each; the cache keeps the common ones
 * anyway). PostgreSQL refuses DEALLOCATE inside a failed transaction: the
 * queue then waits; a name that does not fit lives until the session ends.
 */
static void dealloc_flush(struct store *st)
{
	struct pg_conn *pc = PC(st);
	char sql[PG_DEALLOC_MAX * 32];
	size_t len = 0;
	PGresult *res;

	if (pc->ndealloc == 0 || PQstatus(pc->conn) != CONNECTION_OK ||
	    PQtransactionStatus(pc->conn) == PQTRANS_INERROR)
		return;
	sql[0] = '\0';
	while (pc->ndealloc > 0 && len + 32 < sizeof(sql))
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, "DEALLOCATE w%" PRIu64 ";",
					pc->dealloc[--pc->ndealloc]);
	res = PQexec(pc->conn, sql);
	PQclear(res);
}

static void dealloc_name(struct store *st, uint64_t name, uint64_t gen)
{
	struct pg_conn *pc = PC(st);

	if (gen != pc->gen || PQstatus(pc->conn) != CONNECTION_OK)
		return; /* that session is gone, and its statements with it */
	if (pc->ndealloc == PG_DEALLOC_MAX)
		dealloc_flush(st);
	if (pc->ndealloc < PG_DEALLOC_MAX)
		pc->dealloc[pc->ndealloc++] = name;
	else
		LOG_DEBUG(st->lg,
			  "store: postgres statement w%" PRIu64 " kept until the session ends",
			  name);
}

/* ------------------------------------------------------------ open/close */

/* The URL without its password, for status and messages. */
static int set_location(struct store *st)
{
	PGconn *c = PC(st)->conn;
	const char *host = PQhost(c), *port = PQport(c), *user = PQuser(c), *db = PQdb(c);
	struct buf b = BUF_INIT;
	int r;

	if (host && host[0] == '/')
		r = buf_addf(&b, "postgres://%s@/%s?host=%s&port=%s", user ? user : "",
			     db ? db : "", host, port ? port : "");
	else
		r = buf_addf(&b, "postgres://%s@%s:%s/%s", user ? user : "", host ? host : "",
			     port ? port : "", db ? db : "");
	if (r != 0) {
		buf_release(&b);
		return store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
	}
	free(st->location);
	st->location = buf_take(&b);
	return st->location ? 0 : ERR_NOMEM;
}

/* Server notices (DROP ... CASCADE, IF NOT EXISTS) go to the log, not stderr. */
static void on_notice(void *arg, const char *msg)
{
	struct store *st = arg;
	char m[STORE_ERRMSG_MAX];

	trim_msg(m, sizeof(m), msg);
	LOG_DEBUG(st->lg, "store: postgres notice: %s", m);
}

/* Session settings, again after every reset. */
static int session_setup(struct store *st)
{
	struct pg_conn *pc = PC(st);
	char sql[96];
	int r;

	snprintf(sql, sizeof(sql), "SET lock_timeout = %d", pc->lock_timeout_ms);
	r = pg_simple(st, sql);
	if (r == 0 && pc->readonly)
		r = pg_simple(st, "SET default_transaction_read_only = on");
	return r;
}

static int pg_open(struct store *st, const char *url, const struct store_opts *o)
{
	/* Later keywords override what the URL says; the ones before dbname
	 * are defaults the URL may change. */
	const char *const keys[] = {"connect_timeout", "application_name", "dbname",
				    "client_encoding", NULL};
	const char *const vals[] = {"10", "wachter", url, "UTF8", NULL};
	struct pg_conn *pc;
	int r;

	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
	pc->readonly = (o->flags & STORE_OPEN_READONLY) != 0;
	pc->lock_timeout_ms = o->busy_timeout_ms;
	st->impl = pc;
	pc->conn = PQconnectdbParams(keys, vals, 1);
	if (!pc->conn) {
		r = store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
		goto fail;
	}
	if (PQstatus(pc->conn) != CONNECTION_OK) {
		r = pg_fail(st, NULL);
		goto fail;
	}
	PQsetNoticeProcessor(pc->conn, on_notice, st);
	if (PQserverVersion(pc->conn) < 120000) {
		r = store_set_err(st, ERR_UNSUPP, STORE_ERRCLASS_OTHER,
				  "postgres server %d is too old (need 12 or later)",
				  PQserverVersion(pc->conn));
		goto fail;
	}
	r = session_setup(st);
	if (r == 0)
		r = set_location(st);
	if (r != 0)
		goto fail;
	return 0;
fail:
	PQfinish(pc->conn);
	free(pc);
	st->impl = NULL;
	return r;
}

static void pg_close(struct store *st)
{
	PQfinish(PC(st)->conn);
	free(PC(st));
	st->impl = NULL;
}

/*
 * A connection that went away (server restart, idle timeout) is reset
 * once, and only outside a transaction: inside one the work is lost and
 * the caller must see the failure.
 */
static int reconnect_if_needed(struct store *st)
{
	struct pg_conn *pc = PC(st);

	if (PQstatus(pc->conn) == CONNECTION_OK)
		return 0;
	if (st->in_tx)
		return store_set_err(st, ERR_DB, STORE_ERRCLASS_OTHER,
				     "postgres connection lost inside a transaction");
	PQreset(pc->conn);
	if (PQstatus(pc->conn) != CONNECTION_OK)
		return pg_fail(st, NULL);
	pc->gen++;
	pc->ndealloc = 0;
	LOG_WARN(st->lg, "store: postgres connection was lost and is re-established");
	return session_setup(st);
}

/* --------------------------------------------------------------- scripts */

/*
 * Run a script one statement at a time, like the SQLite backend: split at
 * the semicolons outside literals and comments, refuse transaction control
 * in any statement before running the first, stop at the first failure.
 */
static int pg_exec(struct store *st, const char *sql)
{
	size_t len = strlen(sql), pos, n;
	char *one = NULL;
	int code, r, pass;

	if (len > STORE_PG_SQL_MAX)
		return store_set_err(st, ERR_TOO_BIG, STORE_ERRCLASS_OTHER, "script too long");
	r = reconnect_if_needed(st);
	if (r != 0)
		return r;
	for (pass = 0; pass < 2; pass++) {
		for (pos = 0; pos < len; pos += n) {
			r = store_pg_split(sql + pos, len - pos, &n, &code);
			if (r != 0)
				return store_set_err(st, r, STORE_ERRCLASS_OTHER,
						     "unterminated quote or comment in script");
			if (!code)
				continue;
			one = xstrndup(sql + pos, n);
			if (!one)
				return store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER,
						     "out of memory");
			if (pass == 0 && store_is_tx_control(one))
				r = store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
						  "transaction control inside a script");
			else if (pass == 1)
				r = pg_simple(st, one);
			free(one);
			if (r != 0)
				return r;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- transactions */

/*
 * store_begin is SQLite's BEGIN IMMEDIATE: one writing transaction at a
 * time, the others wait up to the busy timeout (lock_timeout) and then fail
 * as BUSY. A transaction takes the writer lock, a transaction-scoped
 * advisory lock, in the same round trip as its BEGIN, so a read-then-write
 * in a transaction (check an invitation, then use it) cannot interleave
 * with another one, and the migration runner's version re-read is
 * serialised. Statements outside transactions (all the reads) run in
 * parallel.
 */
static int pg_begin(struct store *st)
{
	PGresult *res;
	int r = reconnect_if_needed(st);

	if (r != 0)
		return r;
	res = PQexec(PC(st)->conn, "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK_KEY ")");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		r = pg_fail(st, res);
	PQclear(res);
	if (r != 0 && PQtransactionStatus(PC(st)->conn) != PQTRANS_IDLE) {
		res = PQexec(PC(st)->conn, "ROLLBACK");
		PQclear(res);
	}
	return r;
}

static int pg_commit(struct store *st)
{
	PGresult *res = PQexec(PC(st)->conn, "COMMIT");
	int r = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		r = pg_fail(st, res);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		/* PostgreSQL answers COMMIT of a failed transaction with ROLLBACK. */
		r = store_set_err(st, ERR_DB, STORE_ERRCLASS_OTHER,
				  "transaction was rolled back: an earlier statement in it failed");
	PQclear(res);
	return r;
}

static int pg_rollback(struct store *st)
{
	int r;

	if (PQstatus(PC(st)->conn) != CONNECTION_OK ||
	    PQtransactionStatus(PC(st)->conn) == PQTRANS_IDLE)
		return 0;
	r = pg_simple(st, "ROLLBACK");
	return r;
}

/* ------------------------------------------------------------ statements */

static int server_prepare(struct store *st, struct pg_stmt *ps)
{
	struct pg_conn *pc = PC(st);
	char name[32];
	PGresult *res;
	int r = 0;

	ps->name = ++pc->next_name;
	ps->gen = pc->gen;
	snprintf(name, sizeof(name), "w%" PRIu64, ps->name);
	res = PQprepare(pc->conn, name, ps->sql, ps->nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		r = pg_fail(st, res);
	PQclear(res);
	return r;
}

static void stmt_free(struct pg_stmt *ps)
{
	if (!ps)
		return;
	for (int i = 0; ps->params && i < ps->nparams; i++) {
		if (ps->params[i].val)
			mem_zero(ps->params[i].val, (size_t)ps->params[i].len);
		free(ps->params[i].val);
	}
	free(ps->params);
	free(ps->vals);
	free(ps->lens);
	free(ps->fmts);
	PQclear(ps->res);
	if (ps->blob)
		PQfreemem(ps->blob);
	free(ps->sql);
	free(ps);
}

static int pg_prepare(struct store *st, const char *sql, struct store_stmt *s)
{
	struct buf b = BUF_INIT;
	struct pg_stmt *ps;
	int r;

	r = reconnect_if_needed(st);
	if (r != 0)
		return r;
	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
	r = store_pg_translate(sql, strlen(sql), &b, &ps->nparams);
	if (r != 0) {
		store_set_err(st, r, STORE_ERRCLASS_OTHER, "%s",
			      r == ERR_TOO_BIG ? "statement too long or too many parameters"
					       : "not one statement of the portable SQL subset "
						 "(unterminated quote, $N parameter, or two "
						 "statements)");
		goto fail;
	}
	ps->sql = buf_take(&b);
	if (!ps->sql) {
		r = store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
		goto fail;
	}
	if (ps->nparams > 0) {
		ps->params = calloc((size_t)ps->nparams, sizeof(*ps->params));
		ps->vals = calloc((size_t)ps->nparams, sizeof(*ps->vals));
		ps->lens = calloc((size_t)ps->nparams, sizeof(*ps->lens));
		ps->fmts = calloc((size_t)ps->nparams, sizeof(*ps->fmts));
		if (!ps->params || !ps->vals || !ps->lens || !ps->fmts) {
			r = store_set_err(st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
			goto fail;
		}
	}
	r = server_prepare(st, ps);
	if (r != 0)
		goto fail;
	ps->row = -1;
	s->impl = ps;
	return 0;
fail:
	buf_release(&b);
	stmt_free(ps);
	return r;
}

/* Forget the result of the last run. */
static void drop_result(struct pg_stmt *ps)
{
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = -1;
	ps->nrows = 0;
	if (ps->blob) {
		PQfreemem(ps->blob);
		ps->blob = NULL;
	}
}

static int set_param(struct store_stmt *s, int idx, char *val, int len, int binary)
{
	struct pg_stmt *ps = PS(s);
	struct pg_param *p;

	if (idx < 1 || idx > ps->nparams) {
		free(val);
		return store_set_err(s->st, ERR_RANGE, STORE_ERRCLASS_OTHER,
				     "no parameter %d in statement", idx);
	}
	p = &ps->params[idx - 1];
	if (p->val)
		mem_zero(p->val, (size_t)p->len);
	free(p->val);
	p->val = val;
	p->len = len;
	p->binary = binary;
	return 0;
}

static int pg_bind_int64(struct store_stmt *s, int idx, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	char *val = xstrndup(tmp, (size_t)n);

	if (!val)
		return store_set_err(s->st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
	return set_param(s, idx, val, n, 0);
}

static int pg_bind_bytes(struct store_stmt *s, int idx, const void *p, size_t len, int binary)
{
	char *val;

	if (len >= INT32_MAX / 2)
		return store_set_err(s->st, ERR_TOO_BIG, STORE_ERRCLASS_OTHER,
				     "parameter %d too big", idx);
	val = malloc(len + 1);
	if (!val)
		return store_set_err(s->st, ERR_NOMEM, STORE_ERRCLASS_OTHER, "out of memory");
	if (len)
		memcpy(val, p, len);
	val[len] = '\0';
	return set_param(s, idx, val, (int)len, binary);
}

static int pg_bind_text(struct store_stmt *s, int idx, const char *v, size_t len)
{
	/* Text goes in text format: NUL-terminated, and store.c has checked
	 * that it holds no NUL, so the length is exact. */
	return pg_bind_bytes(s, idx, v, len, 0);
}

static int pg_bind_blob(struct store_stmt *s, int idx, const void *p, size_t len)
{
	return pg_bind_bytes(s, idx, p, len, 1);
}

static int pg_bind_null(struct store_stmt *s, int idx)
{
	return set_param(s, idx, NULL, 0, 0);
}

/* Run the prepared statement with the current bindings. */
static int run(struct store_stmt *s)
{
	struct store *st = s->st;
	struct pg_stmt *ps = PS(s);
	char name[32];
	ExecStatusType es;
	int r;

	r = reconnect_if_needed(st);
	if (r != 0)
		return r;
	if (ps->gen != PC(st)->gen) {
		r = server_prepare(st, ps);
		if (r != 0)
			return r;
	}
	for (int i = 0; i < ps->nparams; i++) {
		ps->vals[i] = ps->params[i].val;
		ps->lens[i] = ps->params[i].len;
		ps->fmts[i] = ps->params[i].binary;
	}
	snprintf(name, sizeof(name), "w%" PRIu64, ps->name);
	ps->res = PQexecPrepared(PC(st)->conn, name, ps->nparams, ps->vals, ps->lens, ps->fmts, 0);
	es = PQresultStatus(ps->res);
	if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
		r = pg_fail(st, ps->res);
		drop_result(ps);
		return r;
	}
	ps->nrows = es == PGRES_TUPLES_OK ? PQntuples(ps->res) : 0;
	return 0;
}

static int pg_step(struct store_stmt *s)
{
	struct pg_stmt *ps = PS(s);
	int r;

	if (ps->blob) {
		PQfreemem(ps->blob);
		ps->blob = NULL;
	}
	/* Stepping a finished statement runs it again, as SQLite does. */
	if (ps->res && ps->row >= ps->nrows)
		drop_result(ps);
	if (!ps->res) {
		r = run(s);
		if (r != 0)
			return r;
	}
	ps->row++;
	return ps->row < ps->nrows ? STORE_ROW : STORE_DONE;
}

static int have_row(struct pg_stmt *ps)
{
	return ps->res && ps->row >= 0 && ps->row < ps->nrows;
}

static int pg_column_count(struct store_stmt *s)
{
	return have_row(PS(s)) ? PQnfields(PS(s)->res) : 0;
}

static int pg_column_is_null(struct store_stmt *s, int col)
{
	return PQgetisnull(PS(s)->res, PS(s)->row, col);
}

static int64_t pg_column_int64(struct store_stmt *s, int col)
{
	struct pg_stmt *ps = PS(s);
	const char *v;
	char *end;
	long long n;

	if (PQgetisnull(ps->res, ps->row, col))
		return 0;
	v = PQgetvalue(ps->res, ps->row, col);
	if (PQftype(ps->res, col) == PG_BOOLOID)
		return v[0] == 't';
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end != v && (*end == '.' || *end == 'e' || *end == 'E') && errno == 0) {
		/* numeric or float (SUM, AVG): truncate like SQLite. */
		double d = strtod(v, NULL);

		if (d >= 9.2e18)
			return INT64_MAX;
		if (d <= -9.2e18)
			return INT64_MIN;
		return (int64_t)d;
	}
	return (int64_t)n;
}

static const char *pg_column_text(struct store_stmt *s, int col)
{
	struct pg_stmt *ps = PS(s);

	if (PQgetisnull(ps->res, ps->row, col))
		return NULL;
	/* SQLite has no booleans: a comparison reads as 1 or 0 there. */
	if (PQftype(ps->res, col) == PG_BOOLOID)
		return PQgetvalue(ps->res, ps->row, col)[0] == 't' ? "1" : "0";
	return PQgetvalue(ps->res, ps->row, col);
}

static const void *pg_column_blob(struct store_stmt *s, int col, size_t *len)
{
	struct pg_stmt *ps = PS(s);
	const char *v;

	if (PQgetisnull(ps->res, ps->row, col))
		return NULL;
	v = PQgetvalue(ps->res, ps->row, col);
	if (PQftype(ps->res, col) != PG_BYTEAOID) {
		*len = (size_t)PQgetlength(ps->res, ps->row, col);
		return v;
	}
	if (ps->blob) {
		PQfreemem(ps->blob);
		ps->blob = NULL;
	}
	ps->blob = PQunescapeBytea((const unsigned char *)v, len);
	if (!ps->blob)
		*len = 0;
	return ps->blob;
}

static int pg_reset(struct store_stmt *s)
{
	drop_result(PS(s));
	return 0;
}

static int pg_clear_bindings(struct store_stmt *s)
{
	struct pg_stmt *ps = PS(s);

	for (int i = 0; i < ps->nparams; i++) {
		if (ps->params[i].val)
			mem_zero(ps->params[i].val, (size_t)ps->params[i].len);
		free(ps->params[i].val);
		ps->params[i].val = NULL;
		ps->params[i].len = 0;
		ps->params[i].binary = 0;
	}
	return 0;
}

static void pg_finalize(struct store_stmt *s)
{
	struct pg_stmt *ps = PS(s);

	if (!ps)
		return;
	dealloc_name(s->st, ps->name, ps->gen);
	stmt_free(ps);
	s->impl = NULL;
}

static int64_t pg_last_insert_id(struct store *st)
{
	PGresult *res = PQexec(PC(st)->conn, "SELECT lastval()");
	int64_t id = 0;

	/* Fails (and is 0) when no sequence was used in this session. */
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

/* One-row, one-column query with at most one text parameter. */
static int query_one(struct store *st, const char *sql, const char *param, char *val, size_t vsize,
		     int *found)
{
	PGresult *res;
	int r = 0;

	res = PQexecParams(PC(st)->conn, sql, param ? 1 : 0, NULL, param ? &param : NULL, NULL,
			   NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		r = pg_fail(st, res);
	} else {
		*found = PQntuples(res) > 0;
		if (val)
			str_lcpy(val, *found ? PQgetvalue(res, 0, 0) : "", vsize);
	}
	PQclear(res);
	return r;
}

static int pg_table_exists(struct store *st, const char *name, int *exists)
{
	int r = reconnect_if_needed(st);

	if (r != 0)
		return r;
	return query_one(st,
			 "SELECT 1 FROM pg_catalog.pg_tables "
			 "WHERE schemaname = current_schema() AND tablename = $1",
			 name, NULL, 0, exists);
}

static int pg_status(struct store *st, struct buf *out)
{
	char ver[64], enc[32], size[32], schema[64];
	int found = 0, r;

	r = query_one(st, "SHOW server_version", NULL, ver, sizeof(ver), &found);
	if (r == 0)
		r = query_one(st, "SHOW server_encoding", NULL, enc, sizeof(enc), &found);
	if (r == 0)
		r = query_one(st, "SELECT pg_database_size(current_database())", NULL, size,
			      sizeof(size), &found);
	if (r == 0)
		r = query_one(st, "SELECT COALESCE(current_schema(), '(none)')", NULL, schema,
			      sizeof(schema), &found);
	if (r != 0)
		return r;
	return buf_addf(out,
			"postgres server version: %s\nserver encoding: %s\nschema: %s\n"
			"size: %s bytes\nlibpq version: %d\n",
			ver, enc, schema, size, PQlibVersion());
}

const struct store_backend_ops store_pg_ops = {
    .name = "postgres",
    .dialect = STORE_DIALECT_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_count = pg_column_count,
    .column_is_null = pg_column_is_null,
    .column_int64 = pg_column_int64,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .reset = pg_reset,
    .clear_bindings = pg_clear_bindings,
    .finalize = pg_finalize,
    .last_insert_id = pg_last_insert_id,
    .table_exists = pg_table_exists,
    .status = pg_status,
};
