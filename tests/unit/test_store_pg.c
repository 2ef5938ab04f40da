/*
 * test_store_pg.c: the PostgreSQL backend. The '?' -> $n translator and the
 * script splitter always run (no server needed). The backend tests run
 * against the server named by WACHTER_TEST_PG_URL (tests/integration/
 * store_pg.sh starts a private cluster and sets it) and are skipped
 * without it. Each test works in a schema of its own, dropped at the end.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

/* ------------------------------------------------------------ translator */

static void test_translate(void **state)
{
	static const struct {
		const char *in, *out;
		int n;
	} ok[] = {
	    {"SELECT 1", "SELECT 1", 0},
	    {"SELECT ?", "SELECT $1", 1},
	    {"INSERT INTO t (a, b, c) VALUES (?,?, ?)",
	     "INSERT INTO t (a, b, c) VALUES ($1,$2, $3)", 3},
	    {"SELECT '?' , ?", "SELECT '?' , $1", 1},
	    {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
	    {"SELECT '''?''' || ?", "SELECT '''?''' || $1", 1},
	    {"SELECT \"we?ird\" FROM t WHERE x = ?", "SELECT \"we?ird\" FROM t WHERE x = $1", 1},
	    {"SELECT \"a\"\"?\" , ?", "SELECT \"a\"\"?\" , $1", 1},
	    {"SELECT ? -- what? no?\n, ?", "SELECT $1 -- what? no?\n, $2", 2},
	    {"SELECT /* ? /* nested ? */ still ? */ ?", "SELECT /* ? /* nested ? */ still ? */ $1",
	     1},
	    {"SELECT E'\\'?\\\\', ?", "SELECT E'\\'?\\\\', $1", 1},
	    {"SELECT e'x\\'?', ?", "SELECT e'x\\'?', $1", 1},
	    /* Without the E prefix a backslash is an ordinary character. */
	    {"SELECT 'a\\', ?", "SELECT 'a\\', $1", 1},
	    {"SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1", 1},
	    {"SELECT $tag$ it's $ ? $tag$ || ?", "SELECT $tag$ it's $ ? $tag$ || $1", 1},
	    {"SELECT a$b FROM t WHERE c = ?", "SELECT a$b FROM t WHERE c = $1", 1},
	    {"SELECT ?;", "SELECT $1;", 1},
	    {"SELECT ?; -- done\n", "SELECT $1; -- done\n", 1},
	    {"SELECT ?;  ;", "SELECT $1;  ;", 1},
	    {"SELECT x::text FROM t WHERE y = ?", "SELECT x::text FROM t WHERE y = $1", 1},
	    {"SELECT ?2, ?1, ?2", "SELECT $2, $1, $2", 2},
	    {"SELECT ?3, ?, ?1, ?", "SELECT $3, $4, $1, $5", 5},
	    {"SELECT ?1000", "SELECT $1000", 1000},
	    {"", "", 0},
	};
	static const struct {
		const char *in;
		int r;
	} bad[] = {
	    {"SELECT 'open", ERR_INVAL},	{"SELECT \"open", ERR_INVAL},
	    {"SELECT /* open", ERR_INVAL},	{"SELECT /* /* nested */ open", ERR_INVAL},
	    {"SELECT $q$ open $Q$", ERR_INVAL}, {"SELECT E'\\'", ERR_INVAL},
	    {"SELECT $1", ERR_INVAL},		{"SELECT ?, $2", ERR_INVAL},
	    {"SELECT 1; SELECT 2", ERR_INVAL},	{"SELECT 1; 'x'", ERR_INVAL},
	    {"SELECT 1; ?", ERR_INVAL},		{"SELECT ?0", ERR_INVAL},
	    {"SELECT ?1001", ERR_TOO_BIG},	{"SELECT ?99999999999999999999", ERR_TOO_BIG},
	};
	struct buf b;
	int n, r;

	(void)state;
	buf_init(&b, 1 << 20);
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		buf_reset(&b);
		n = -1;
		r = store_pg_translate(ok[i].in, strlen(ok[i].in), &b, &n);
		if (r != 0)
			fail_msg("translate(%s) = %d", ok[i].in, r);
		if (strcmp(b.ptr, ok[i].out) != 0 || n != ok[i].n)
			fail_msg("translate(%s) = '%s' n=%d, want '%s' n=%d", ok[i].in, b.ptr, n,
				 ok[i].out, ok[i].n);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		buf_reset(&b);
		assert_int_equal(buf_adds(&b, "keep"), 0);
		r = store_pg_translate(bad[i].in, strlen(bad[i].in), &b, &n);
		if (r != bad[i].r)
			fail_msg("translate(%s) = %d, want %d", bad[i].in, r, bad[i].r);
		assert_string_equal(b.ptr, "keep"); /* untouched on failure */
	}
	/* A NUL inside the given length is refused, not a terminator. */
	buf_reset(&b);
	assert_int_equal(store_pg_translate("SELECT ?\0?", 10, &b, &n), ERR_INVAL);
	buf_release(&b);
}

static void test_translate_caps(void **state)
{
	struct buf sql, out;
	int n = 0;

	(void)state;
	buf_init(&sql, 1 << 22);
	buf_init(&out, 1 << 22);
	assert_int_equal(buf_adds(&sql, "SELECT ?"), 0);
	for (int i = 1; i < STORE_PG_PARAMS_MAX; i++)
		assert_int_equal(buf_adds(&sql, ",?"), 0);
	assert_int_equal(store_pg_translate(sql.ptr, sql.len, &out, &n), 0);
	assert_int_equal(n, STORE_PG_PARAMS_MAX);
	assert_non_null(strstr(out.ptr, ",$1000"));
	assert_int_equal(buf_adds(&sql, ",?"), 0);
	buf_reset(&out);
	assert_int_equal(store_pg_translate(sql.ptr, sql.len, &out, &n), ERR_TOO_BIG);
	buf_reset(&sql);
	while (sql.len <= STORE_PG_SQL_MAX)
		assert_int_equal(buf_adds(&sql, "-- a comment line, long enough\n"), 0);
	assert_int_equal(store_pg_translate(sql.ptr, sql.len, &out, &n), ERR_TOO_BIG);
	buf_release(&sql);
	buf_release(&out);
}

static void test_split(void **state)
{
	const char *script = "CREATE TABLE a (x TEXT DEFAULT ';');\n"
			     "-- a comment; with a semicolon\n"
			     "INSERT INTO a VALUES ($$;$$), (E'\\';');\n"
			     "/* only; a comment */\n";
	const char *want[] = {"CREATE TABLE a (x TEXT DEFAULT ';');",
			      ("\n-- a comment; with a semicolon\nINSERT INTO a VALUES ($$;$$), "
			       "(E'\\';');"),
			      "\n/* only; a comment */\n"};
	const int code[] = {1, 1, 0};
	size_t pos = 0, len = strlen(script), n = 0, k = 0;
	int c = -1;

	(void)state;
	while (pos < len) {
		assert_true(k < ARRAY_SIZE(want));
		assert_int_equal(store_pg_split(script + pos, len - pos, &n, &c), 0);
		if (n != strlen(want[k]) || memcmp(script + pos, want[k], n) != 0)
			fail_msg("statement %zu: '%.*s'", k, (int)n, script + pos);
		assert_int_equal(c, code[k]);
		pos += n;
		k++;
	}
	assert_int_equal(k, ARRAY_SIZE(want));
	assert_int_equal(store_pg_split("SELECT 'x;", 10, &n, &c), ERR_INVAL);
}

/* --------------------------------------------------------------- backend */

/* The server under test; tests that need it skip without it. */
static const char *pg_url(void)
{
	const char *u = getenv("WACHTER_TEST_PG_URL");

	if (!u || !*u) {
		print_message("WACHTER_TEST_PG_URL not set: PostgreSQL tests skipped\n");
		return NULL;
	}
	return u;
}

/* A schema of our own, and a URL whose connections use it. */
struct pgfix {
	char schema[64];
	char url[1024];
	struct store *st;
};

static int fix_setup(struct pgfix *f, const char *tag)
{
	static int seq;
	const char *base = pg_url();
	char sql[256];

	if (!base)
		return 0;
	snprintf(f->schema, sizeof(f->schema), "wt_%ld_%s_%d", (long)getpid(), tag, ++seq);
	assert_true((size_t)snprintf(f->url, sizeof(f->url), "%s%soptions=-csearch_path%%3D%s",
				     base, strchr(base, '?') ? "&" : "?",
				     f->schema) < sizeof(f->url));
	assert_int_equal(store_open(base, NULL, NULL, &f->st), 0);
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", f->schema,
		 f->schema);
	assert_int_equal(store_exec(f->st, sql), 0);
	store_close(f->st);
	f->st = NULL;
	if (store_open(f->url, NULL, NULL, &f->st) != 0)
		fail_msg("open %s failed", f->url);
	return 1;
}

static void fix_teardown(struct pgfix *f)
{
	char sql[128];

	store_close(f->st);
	assert_int_equal(store_open(pg_url(), NULL, NULL, &f->st), 0);
	snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", f->schema);
	assert_int_equal(store_exec(f->st, sql), 0);
	store_close(f->st);
	f->st = NULL;
}

static void exec_ok(struct store *st, const char *sql)
{
	if (store_exec(st, sql) != 0)
		fail_msg("exec %s: %s", sql, store_errmsg(st));
}

static int64_t query_int(struct store *st, const char *sql)
{
	struct store_stmt *s = NULL;
	int64_t v;

	if (store_prepare(st, sql, &s) != 0)
		fail_msg("prepare %s: %s", sql, store_errmsg(st));
	assert_int_equal(stmt_step(s), STORE_ROW);
	v = stmt_column_int64(s, 0);
	stmt_finalize(s);
	return v;
}

static int table_exists(struct store *st, const char *name)
{
	int e = -1;

	assert_int_equal(st->ops->table_exists(st, name, &e), 0);
	return e;
}

static void test_open_and_location(void **state)
{
	struct store *st = NULL;
	struct buf b;
	struct pgfix f;

	(void)state;
	if (!fix_setup(&f, "open"))
		skip();
	assert_string_equal(store_backend_name(f.st), "postgres");
	assert_int_equal(store_dialect(f.st), STORE_DIALECT_POSTGRES);
	assert_non_null(strstr(store_location(f.st), "postgres://"));
	assert_null(strstr(store_location(f.st), "options"));
	buf_init(&b, 1 << 16);
	assert_int_equal(store_status(f.st, &b), 0);
	assert_non_null(strstr(b.ptr, "backend: postgres\n"));
	assert_non_null(strstr(b.ptr, "schema version: 0"));
	assert_non_null(strstr(b.ptr, f.schema));
	buf_release(&b);
	fix_teardown(&f);

	/* A password never shows in the location (the test cluster trusts
	 * local connections, so any password opens it). */
	{
		const char *base = pg_url(), *at = strchr(base, '@');
		const char *scheme = strstr(base, "://");
		char url[1200];

		if (scheme && at && !memchr(scheme + 3, ':', (size_t)(at - scheme - 3))) {
			snprintf(url, sizeof(url), "%.*s:s3cret-pw%s", (int)(at - base), base, at);
			assert_int_equal(store_open(url, NULL, NULL, &st), 0);
			assert_null(strstr(store_location(st), "s3cret"));
			assert_non_null(strstr(store_location(st), "postgres://"));
			store_close(st);
			st = NULL;
		} else {
			print_message(
			    "URL without user@ or with a password: location check skipped\n");
		}
	}
	/* No server there: a clear failure, not a hang or a crash. */
	assert_int_equal(store_open("postgres:///x?host=/nonexistent-dir", NULL, NULL, &st),
			 ERR_DB);
	assert_null(st);
}

static void test_types_roundtrip(void **state)
{
	static const char quoted[] =
	    "it's \"quoted\"'); DROP TABLE t; -- caf\xc3\xa9 \xe2\x9c\x93 ?";
	static const unsigned char blob[] = {0, 1, 0xff, '\\', 'x', 0, '\'', 0x80};
	struct store_stmt *s = NULL;
	const void *p;
	size_t len;
	struct pgfix f;
	int64_t id;

	(void)state;
	if (!fix_setup(&f, "types"))
		skip();
	exec_ok(f.st, "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
		      "i BIGINT, s TEXT, b BYTEA, n INTEGER)");
	assert_int_equal(
	    store_prepare(f.st, "INSERT INTO t (i, s, b, n) VALUES (?, ?, ?, ?) RETURNING id", &s),
	    0);
	assert_int_equal(stmt_bind_int64(s, 1, INT64_MIN), 0);
	assert_int_equal(stmt_bind_text(s, 2, quoted), 0);
	assert_int_equal(stmt_bind_blob(s, 3, blob, sizeof(blob)), 0);
	assert_int_equal(stmt_bind_null(s, 4), 0);
	assert_int_equal(stmt_bind_int64(s, 5, 1), ERR_RANGE);
	assert_int_equal(stmt_bind_null(s, 0), ERR_RANGE);
	assert_int_equal(stmt_step(s), STORE_ROW);
	id = stmt_column_int64(s, 0);
	assert_true(id > 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	/* bind after step runs it again */
	assert_int_equal(stmt_bind_int64(s, 1, INT64_MAX), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_int_equal(stmt_column_int64(s, 0), id + 1);
	stmt_finalize(s);
	assert_int_equal(store_last_insert_id(f.st), id + 1);

	assert_int_equal(
	    store_prepare(f.st, "SELECT i, s, b, n, i = ?, '?' FROM t WHERE id = ?", &s), 0);
	assert_int_equal(stmt_bind_int64(s, 1, INT64_MIN), 0);
	assert_int_equal(stmt_bind_int64(s, 2, id), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_int_equal(stmt_column_count(s), 6);
	assert_true(stmt_column_int64(s, 0) == INT64_MIN);
	assert_string_equal(stmt_column_text(s, 1), quoted);
	p = stmt_column_blob(s, 2, &len);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(p, blob, sizeof(blob));
	assert_true(stmt_column_is_null(s, 3));
	assert_null(stmt_column_text(s, 3));
	assert_int_equal(stmt_column_int64(s, 3), 0);
	/* a boolean reads as SQLite would give it: 1/0 */
	assert_int_equal(stmt_column_int64(s, 4), 1);
	assert_string_equal(stmt_column_text(s, 4), "1");
	assert_string_equal(stmt_column_text(s, 5), "?");
	assert_null(stmt_column_text(s, 6)); /* out of range */
	assert_int_equal(stmt_step(s), STORE_DONE);
	assert_null(stmt_column_text(s, 0)); /* no row */
	stmt_finalize(s);

	/* numeric aggregates convert like SQLite's integers and reals */
	exec_ok(f.st, "INSERT INTO t (i, n) VALUES (3, 1), (4, 2)");
	assert_int_equal(query_int(f.st, "SELECT SUM(n) FROM t"), 3);
	assert_int_equal(query_int(f.st, "SELECT AVG(n) FROM t"), 1); /* 1.5 truncated */
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM t WHERE n IS NULL"), 2);
	assert_int_equal(query_int(f.st, "SELECT 7 > 3"), 1);

	/* text that is not UTF-8 or holds a NUL never reaches the server */
	assert_int_equal(store_prepare(f.st, "SELECT ?", &s), 0);
	assert_int_equal(stmt_bind_textn(s, 1, "a\0b", 3), ERR_INVAL);
	assert_int_equal(stmt_bind_text(s, 1, "\xc3\x28"), ERR_INVAL);
	stmt_finalize(s);
	fix_teardown(&f);
}

static void test_errors_and_classes(void **state)
{
	struct store_stmt *s = NULL;
	struct pgfix f;

	(void)state;
	if (!fix_setup(&f, "errors"))
		skip();
	exec_ok(f.st, "CREATE TABLE u (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))");
	assert_int_equal(store_prepare(f.st, "SELEC 1", &s), ERR_DB);
	assert_non_null(strstr(store_errmsg(f.st), "syntax error"));
	assert_int_equal(store_prepare(f.st, "SELECT * FROM no_such_table", &s), ERR_DB);
	assert_non_null(strstr(store_errmsg(f.st), "no_such_table"));
	assert_int_equal(store_prepare(f.st, "SELECT 1; SELECT 2", &s), ERR_INVAL);
	assert_int_equal(store_prepare(f.st, "SELECT $1", &s), ERR_INVAL);
	assert_int_equal(store_prepare(f.st, "COMMIT", &s), ERR_INVAL);
	assert_int_equal(store_exec(f.st, "CREATE TABLE x1 (a INTEGER); COMMIT"), ERR_INVAL);
	assert_false(table_exists(f.st, "x1")); /* refused before anything ran */

	assert_int_equal(store_prepare(f.st, "INSERT INTO u (k, v) VALUES (?, ?)", &s), 0);
	assert_int_equal(stmt_bind_text(s, 1, "a"), 0);
	assert_int_equal(stmt_bind_int64(s, 2, 1), 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	assert_int_equal(stmt_step(s), ERR_DB); /* again: duplicate key */
	assert_int_equal(store_errclass(f.st), STORE_ERRCLASS_CONSTRAINT);
	assert_non_null(strstr(store_errmsg(f.st), "23505"));
	assert_int_equal(stmt_bind_text(s, 1, "b"), 0);
	assert_int_equal(stmt_bind_int64(s, 2, -1), 0);
	assert_int_equal(stmt_step(s), ERR_DB); /* CHECK */
	assert_int_equal(store_errclass(f.st), STORE_ERRCLASS_CONSTRAINT);
	assert_int_equal(stmt_bind_null(s, 2), 0);
	assert_int_equal(stmt_step(s), ERR_DB); /* NOT NULL */
	assert_int_equal(store_errclass(f.st), STORE_ERRCLASS_CONSTRAINT);
	stmt_finalize(s);

	/* A script stops at its first failure; what ran before stays. */
	assert_int_equal(store_exec(f.st, "INSERT INTO u VALUES ('s1', 1); "
					  "INSERT INTO u VALUES ('s1', 2); "
					  "INSERT INTO u VALUES ('s3', 3)"),
			 ERR_DB);
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM u WHERE k LIKE 's%'"), 1);
	fix_teardown(&f);
}

static void test_transactions(void **state)
{
	struct store_stmt *s = NULL;
	struct store *other = NULL;
	struct pgfix f;

	(void)state;
	if (!fix_setup(&f, "tx"))
		skip();
	exec_ok(f.st, "CREATE TABLE u (k TEXT PRIMARY KEY)");
	assert_int_equal(store_begin(f.st), 0);
	assert_int_equal(store_begin(f.st), ERR_INVAL);
	exec_ok(f.st, "INSERT INTO u VALUES ('a')");
	assert_int_equal(store_rollback(f.st), 0);
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM u"), 0);
	assert_int_equal(store_rollback(f.st), ERR_INVAL);

	assert_int_equal(store_begin(f.st), 0);
	exec_ok(f.st, "INSERT INTO u VALUES ('a')");
	assert_int_equal(store_commit(f.st), 0);
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM u"), 1);

	/* A failed statement aborts a PostgreSQL transaction: commit says so,
	 * and a statement finalized meanwhile is released after it. */
	assert_int_equal(store_begin(f.st), 0);
	exec_ok(f.st, "INSERT INTO u VALUES ('b')");
	assert_int_equal(store_exec(f.st, "INSERT INTO u VALUES ('a')"), ERR_DB);
	assert_int_equal(store_prepare(f.st, "SELECT COUNT(*) FROM u WHERE k <> ?", &s), ERR_DB);
	assert_int_equal(store_commit(f.st), ERR_DB);
	assert_non_null(strstr(store_errmsg(f.st), "rolled back"));
	assert_false(store_in_transaction(f.st));
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM u"), 1);

	/* The statement cache hands the same server statement back. */
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM pg_prepared_statements"),
			 query_int(f.st, "SELECT COUNT(*) FROM pg_prepared_statements"));
	{
		uint64_t hits = f.st->cache_hits;

		(void)query_int(f.st, "SELECT COUNT(*) FROM u");
		assert_true(f.st->cache_hits > hits);
	}

	/* lock_timeout: a row locked elsewhere is a BUSY failure, no hang. */
	{
		struct store_opts o = {300, 0};

		assert_int_equal(store_open(f.url, &o, NULL, &other), 0);
		assert_int_equal(store_begin(f.st), 0);
		exec_ok(f.st, "UPDATE u SET k = 'a2' WHERE k = 'a'");
		assert_int_equal(store_exec(other, "UPDATE u SET k = 'a3' WHERE k = 'a'"), ERR_DB);
		assert_int_equal(store_errclass(other), STORE_ERRCLASS_BUSY);
		/* One writing transaction at a time, as on SQLite. */
		assert_int_equal(store_begin(other), ERR_DB);
		assert_int_equal(store_errclass(other), STORE_ERRCLASS_BUSY);
		assert_false(store_in_transaction(other));
		assert_int_equal(store_commit(f.st), 0);
		assert_int_equal(store_begin(other), 0);
		exec_ok(other, "UPDATE u SET k = 'a' WHERE k = 'a2'");
		assert_int_equal(store_commit(other), 0);
		assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM u WHERE k = 'a'"), 1);
		store_close(other);
	}
	/* READONLY refuses writes. */
	{
		struct store_opts ro = {0, STORE_OPEN_READONLY};

		assert_int_equal(store_open(f.url, &ro, NULL, &other), 0);
		assert_int_equal(query_int(other, "SELECT COUNT(*) FROM u"), 1);
		assert_int_equal(store_exec(other, "INSERT INTO u VALUES ('z')"), ERR_DB);
		store_close(other);
	}
	fix_teardown(&f);
}

/* Server-side statements do not pile up: evicted and uncached ones are
 * deallocated in batches, also after some were finalized inside a failed
 * transaction. */
static void test_statement_lifecycle(void **state)
{
	struct store_stmt *s = NULL, *busy = NULL;
	struct pgfix f;
	char sql[64];
	int64_t n;

	(void)state;
	if (!fix_setup(&f, "lifecycle"))
		skip();
	for (int i = 0; i < 300; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		assert_int_equal(store_prepare(f.st, sql, &s), 0);
		assert_int_equal(stmt_bind_int64(s, 1, 1), 0);
		assert_int_equal(stmt_step(s), STORE_ROW);
		assert_int_equal(stmt_column_int64(s, 0), i + 1);
		stmt_finalize(s);
	}
	n = query_int(f.st, "SELECT COUNT(*) FROM pg_prepared_statements");
	if (n > STORE_STMT_CACHE_MAX + 64 + 2)
		fail_msg("%lld server statements after 300 distinct ones", (long long)n);
	/* The same SQL twice at once: the second is uncached and independent. */
	assert_int_equal(store_prepare(f.st, "SELECT 1 + ?", &busy), 0);
	assert_int_equal(store_prepare(f.st, "SELECT 1 + ?", &s), 0);
	assert_int_equal(stmt_bind_int64(busy, 1, 1), 0);
	assert_int_equal(stmt_bind_int64(s, 1, 2), 0);
	assert_int_equal(stmt_step(busy), STORE_ROW);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_int_equal(stmt_column_int64(busy, 0), 2);
	assert_int_equal(stmt_column_int64(s, 0), 3);
	stmt_finalize(s);
	stmt_finalize(busy);
	/* Finalized inside a failed transaction: no failure, still usable. */
	{
		struct store_stmt *held[150];

		for (int i = 0; i < 150; i++) {
			snprintf(sql, sizeof(sql), "SELECT %d - ?", i);
			assert_int_equal(store_prepare(f.st, sql, &held[i]), 0);
		}
		assert_int_equal(store_begin(f.st), 0);
		assert_int_equal(store_exec(f.st, "SELECT * FROM no_such_table"), ERR_DB);
		assert_int_equal(store_prepare(f.st, "SELECT 77 - ?", &s), ERR_DB); /* aborted */
		for (int i = 0; i < 150; i++)
			stmt_finalize(held[i]);
		assert_int_equal(store_rollback(f.st), 0);
	}
	n = query_int(f.st, "SELECT COUNT(*) FROM pg_prepared_statements");
	if (n > 150 + STORE_STMT_CACHE_MAX + 2)
		fail_msg("%lld server statements", (long long)n);
	assert_int_equal(query_int(f.st, "SELECT 5"), 5);
	fix_teardown(&f);
}

/* The statement cache survives a dropped session: statements are prepared
 * again on the new one. */
static void test_reconnect(void **state)
{
	struct store *killer = NULL;
	struct store_stmt *s = NULL;
	struct pgfix f;
	char sql[128];
	int64_t pid;

	(void)state;
	if (!fix_setup(&f, "reconnect"))
		skip();
	pid = query_int(f.st, "SELECT pg_backend_pid()");
	assert_int_equal(query_int(f.st, "SELECT 41 + 1"), 42); /* now cached */
	assert_int_equal(store_open(pg_url(), NULL, NULL, &killer), 0);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)", (long long)pid);
	assert_int_equal(store_prepare(killer, sql, &s), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	stmt_finalize(s);
	store_close(killer);
	/* The first use notices the lost connection; the next one recovers. */
	for (int i = 0; i < 2; i++) {
		if (store_prepare(f.st, "SELECT 41 + 1", &s) == 0) {
			if (stmt_step(s) == STORE_ROW) {
				assert_int_equal(stmt_column_int64(s, 0), 42);
				stmt_finalize(s);
				break;
			}
			stmt_finalize(s);
		}
		assert_int_equal(i, 0);
	}
	assert_true(query_int(f.st, "SELECT pg_backend_pid()") != pid);
	fix_teardown(&f);
}

/* ------------------------------------------------------------ migrations */

static char *snapshot(struct store *st)
{
	struct store_stmt *s = NULL;
	struct buf b;

	buf_init(&b, 1 << 20);
	assert_int_equal(
	    store_prepare(st,
			  "SELECT table_name || '.' || column_name FROM information_schema.columns "
			  "WHERE table_schema = current_schema() ORDER BY 1",
			  &s),
	    0);
	while (stmt_step(s) == STORE_ROW)
		assert_int_equal(buf_addf(&b, "%s\n", stmt_column_text(s, 0)), 0);
	stmt_finalize(s);
	assert_int_equal(store_prepare(st,
				       "SELECT id || ':' || name || ':' || COALESCE(kvk, '-') FROM "
				       "organisations ORDER BY id",
				       &s),
			 0);
	while (stmt_step(s) == STORE_ROW)
		assert_int_equal(buf_addf(&b, "%s\n", stmt_column_text(s, 0)), 0);
	stmt_finalize(s);
	assert_int_equal(store_prepare(st, "SELECT k || '=' || v FROM extra ORDER BY k", &s), 0);
	while (stmt_step(s) == STORE_ROW)
		assert_int_equal(buf_addf(&b, "%s\n", stmt_column_text(s, 0)), 0);
	stmt_finalize(s);
	return buf_take(&b);
}

static const char m2_sql[] = "CREATE TABLE extra (k TEXT PRIMARY KEY, v INTEGER);\n"
			     "INSERT INTO extra VALUES ('a', 1), ('b', 2);\n";
static const char m4_sql[] = "CREATE TABLE later (x INTEGER);";

static void check_failing_m3(const char *tag, const char *m3_sql, int want)
{
	const struct store_migration *builtin;
	struct store_migration list[4];
	char *before, *after;
	int from = -1, to = -1, cur = -1;
	struct pgfix f;
	size_t n;

	if (!fix_setup(&f, tag))
		skip();
	builtin = store_migrations(&n);
	list[0] = builtin[0];
	list[1] = (struct store_migration){2, "extra", m2_sql, m2_sql};
	list[2] = (struct store_migration){3, "breaks_midway", m3_sql, m3_sql};
	list[3] = (struct store_migration){4, "later", m4_sql, m4_sql};

	assert_int_equal(store_migrate_list(f.st, list, 2, &from, &to), 0);
	assert_int_equal(to, 2);
	exec_ok(f.st,
		"INSERT INTO organisations (name, kvk) VALUES ('Bakkerij Jansen', '12345678')");
	before = snapshot(f.st);

	assert_int_equal(store_migrate_list(f.st, list, 4, &from, &to), want);
	assert_non_null(strstr(store_errmsg(f.st), "migration 3 (breaks_midway) failed"));
	assert_false(store_in_transaction(f.st));
	assert_int_equal(store_current_version(f.st, &cur), 0);
	assert_int_equal(cur, 2);
	after = snapshot(f.st);
	assert_string_equal(before, after);
	free(after);
	assert_false(table_exists(f.st, "t3"));
	assert_false(table_exists(f.st, "later"));
	store_close(f.st);

	/* Seen from a fresh connection too. */
	assert_int_equal(store_open(f.url, NULL, NULL, &f.st), 0);
	after = snapshot(f.st);
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* Once fixed, the same database migrates on. */
	list[2].sql_postgres = "CREATE TABLE t3 (x INTEGER);";
	assert_int_equal(store_migrate_list(f.st, list, 4, &from, &to), 0);
	assert_int_equal(from, 2);
	assert_int_equal(to, 4);
	assert_true(table_exists(f.st, "t3"));
	assert_true(table_exists(f.st, "later"));
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM organisations"), 1);
	fix_teardown(&f);
}

static void test_failing_migration_rolls_back(void **state)
{
	(void)state;
	if (!pg_url())
		skip();
	check_failing_m3("midway",
			 "CREATE TABLE t3 (x INTEGER);\n"
			 "INSERT INTO t3 VALUES (1);\n"
			 "INSERT INTO organisations (name) VALUES ('should vanish');\n"
			 "DELETE FROM extra WHERE k = 'a';\n"
			 "UPDATE organisations SET kvk = NULL;\n"
			 "ALTER TABLE organisations ADD COLUMN y TEXT;\n"
			 "CREATE INDEX t3_x ON t3 (x);\n"
			 "INSERT INTO no_such_table VALUES (1);\n"
			 "CREATE TABLE never (x INTEGER);\n",
			 ERR_DB);
	check_failing_m3("constraint",
			 "CREATE TABLE t3 (x INTEGER);\n"
			 "INSERT INTO extra VALUES ('a', 3);\n",
			 ERR_DB);
	check_failing_m3(
	    "record",
	    "CREATE TABLE t3 (x INTEGER);\n"
	    "INSERT INTO schema_version VALUES (3, 'squatter', '2026-01-01T00:00:00Z');\n",
	    ERR_DB);
	check_failing_m3("commit",
			 "CREATE TABLE t3 (x INTEGER);\n"
			 "COMMIT;\n"
			 "CREATE TABLE never (x INTEGER);\n",
			 ERR_INVAL);
}

struct mig_thread {
	const char *url;
	int r, to;
};

static void *migrate_thread(void *arg)
{
	struct mig_thread *t = arg;
	struct store *st = NULL;
	int from = 0;

	t->r = store_open(t->url, NULL, NULL, &st);
	if (t->r == 0)
		t->r = store_migrate(st, &from, &t->to);
	store_close(st);
	return NULL;
}

static void test_migrate_builtin_concurrent(void **state)
{
	struct mig_thread t[4];
	pthread_t tid[4];
	struct buf b;
	struct pgfix f;
	int cur = -1, latest = -1;

	(void)state;
	if (!fix_setup(&f, "concurrent"))
		skip();
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		t[i].url = f.url;
		t[i].r = -100;
		assert_int_equal(pthread_create(&tid[i], NULL, migrate_thread, &t[i]), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		assert_int_equal(pthread_join(tid[i], NULL), 0);
		if (t[i].r != 0)
			fail_msg("migrator %zu: %d", i, t[i].r);
	}
	assert_int_equal(store_schema_version(f.st, &cur, &latest), 0);
	assert_int_equal(cur, latest);
	assert_int_equal(query_int(f.st, "SELECT COUNT(*) FROM schema_version"), latest);
	buf_init(&b, 1 << 16);
	assert_int_equal(store_cmd_migrate(f.url, NULL, NULL, &b), 0);
	assert_non_null(strstr(b.ptr, "is up to date"));
	buf_release(&b);
	fix_teardown(&f);
}

static void test_scan_writers(void **state)
{
	struct store_stmt *s = NULL;
	struct pgfix f;
	int64_t scan = 0;

	(void)state;
	if (!fix_setup(&f, "scan"))
		skip();
	assert_int_equal(store_migrate(f.st, NULL, NULL), 0);
	assert_int_equal(store_scan_save(f.st, "example.nl", 1764324000, 1764324060, "done", &scan),
			 0);
	assert_true(scan > 0);
	assert_int_equal(store_finding_add(f.st, scan, "TLS-01", 3, 2, "example.nl", 443,
					   "Oude TLS-versie", "TLSv1.0 \xe2\x9c\x93"),
			 0);
	assert_int_equal(
	    store_finding_add(f.st, scan, "DNS-01", 1, 1, "example.nl", -1, "Geen DNSSEC", NULL),
	    0);
	assert_int_equal(store_finding_add(f.st, scan + 1000, "DNS-01", 1, 1, "x", -1, "t", NULL),
			 ERR_DB);
	assert_int_equal(store_errclass(f.st), STORE_ERRCLASS_CONSTRAINT);
	assert_int_equal(
	    store_prepare(f.st,
			  "SELECT started_at, finished_at, port, evidence FROM scans s "
			  "JOIN findings f ON f.scan_id = s.id WHERE s.id = ? "
			  "ORDER BY f.severity DESC",
			  &s),
	    0);
	assert_int_equal(stmt_bind_int64(s, 1, scan), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_string_equal(stmt_column_text(s, 0), "2025-11-28T10:00:00Z");
	assert_string_equal(stmt_column_text(s, 1), "2025-11-28T10:01:00Z");
	assert_int_equal(stmt_column_int64(s, 2), 443);
	assert_string_equal(stmt_column_text(s, 3), "TLSv1.0 \xe2\x9c\x93");
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_true(stmt_column_is_null(s, 2));
	assert_true(stmt_column_is_null(s, 3));
	assert_int_equal(stmt_step(s), STORE_DONE);
	stmt_finalize(s);
	fix_teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_translate),
	    cmocka_unit_test(test_translate_caps),
	    cmocka_unit_test(test_split),
	    cmocka_unit_test(test_open_and_location),
	    cmocka_unit_test(test_types_roundtrip),
	    cmocka_unit_test(test_errors_and_classes),
	    cmocka_unit_test(test_transactions),
	    cmocka_unit_test(test_statement_lifecycle),
	    cmocka_unit_test(test_reconnect),
	    cmocka_unit_test(test_failing_migration_rolls_back),
	    cmocka_unit_test(test_migrate_builtin_concurrent),
	    cmocka_unit_test(test_scan_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
