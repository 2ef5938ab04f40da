/*
 * test_store.c: the storage interface on the SQLite backend: opening and
 * URL handling, migrations (including the all-or-nothing guarantee for a
 * migration that fails midway), refusing newer databases, statements,
 * transactions, constraints and the scan pipeline writers.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

/* ---------------------------------------------------------------- helpers */

static void tmp_path(char *out, size_t size, const char *name)
{
	const char *dir = getenv("WACHTER_TMP");
	char sub[512];

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(sub, sizeof(sub), "%s/store", dir);
	(void)mkdir(dir, 0700);
	(void)mkdir(sub, 0700);
	/* A cut path would make the test use the wrong file: fail loudly. */
	if ((size_t)snprintf(out, size, "%.*s/%s", (int)(size / 2), sub, name) >= size)
		fail_msg("temporary path too long: %s/%s", sub, name);
}

/* A fresh database file: the old one and its WAL/SHM files removed. */
static void fresh_path(char *out, size_t size, const char *name)
{
	char extra[600];

	tmp_path(out, size, name);
	unlink(out);
	snprintf(extra, sizeof(extra), "%s-wal", out);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-shm", out);
	unlink(extra);
}

static struct store *open_fresh(const char *name, char *path, size_t psize)
{
	struct store *st = NULL;

	fresh_path(path, psize, name);
	assert_int_equal(store_open(path, NULL, NULL, &st), 0);
	assert_non_null(st);
	return st;
}

static struct store *open_migrated(const char *name, char *path, size_t psize)
{
	struct store *st = open_fresh(name, path, psize);
	int from = -1, to = -1;

	assert_int_equal(store_migrate(st, &from, &to), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, 4);
	return st;
}

static void exec_ok(struct store *st, const char *sql)
{
	int r = store_exec(st, sql);

	if (r != 0)
		fail_msg("exec failed: %s: %s", sql, store_errmsg(st));
}

/* The single integer a query returns. */
static int64_t query_int(struct store *st, const char *sql)
{
	struct store_stmt *s = NULL;
	int64_t v;

	if (store_prepare(st, sql, &s) != 0)
		fail_msg("prepare failed: %s: %s", sql, store_errmsg(st));
	assert_int_equal(stmt_step(s), STORE_ROW);
	v = stmt_column_int64(s, 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	stmt_finalize(s);
	return v;
}

static int table_exists(struct store *st, const char *name)
{
	struct store_stmt *s = NULL;
	int r;

	assert_int_equal(store_prepare(st, "SELECT COUNT(*) FROM sqlite_schema WHERE name = ?", &s),
			 0);
	assert_int_equal(stmt_bind_text(s, 1, name), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	r = (int)stmt_column_int64(s, 0);
	stmt_finalize(s);
	return r;
}

/* Append every row of sql, columns as text, to out. */
static void dump_rows(struct store *st, const char *sql, struct buf *out)
{
	struct store_stmt *s = NULL;
	int r;

	assert_int_equal(store_prepare(st, sql, &s), 0);
	while ((r = stmt_step(s)) == STORE_ROW) {
		for (int c = 0; c < stmt_column_count(s); c++) {
			const char *t = stmt_column_text(s, c);
			assert_int_equal(buf_addf(out, "%s|", t ? t : "<null>"), 0);
		}
		assert_int_equal(buf_addch(out, '\n'), 0);
	}
	assert_int_equal(r, STORE_DONE);
	stmt_finalize(s);
}

/*
 * A snapshot of everything a migration could touch: the whole schema
 * (sqlite_schema with each object's SQL) and the content of every table
 * the tests use. Two equal snapshots mean an untouched database.
 */
static char *snapshot(struct store *st)
{
	static const char *const tables[] = {"schema_version", "organisations", "assets",
					     "scans",	       "findings",	"extra"};
	static const char *const dumps[] = {
	    "SELECT version, name, applied_at FROM schema_version ORDER BY version",
	    "SELECT * FROM organisations ORDER BY id",
	    "SELECT * FROM assets ORDER BY id",
	    "SELECT * FROM scans ORDER BY id",
	    "SELECT * FROM findings ORDER BY id",
	    "SELECT * FROM extra ORDER BY rowid",
	};
	struct buf b = BUF_INIT;

	dump_rows(st,
		  "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema "
		  "ORDER BY type, name",
		  &b);
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		assert_int_equal(buf_addf(&b, "== %s\n", tables[i]), 0);
		if (table_exists(st, tables[i]))
			dump_rows(st, dumps[i], &b);
	}
	return buf_take(&b);
}

/* ------------------------------------------------------------- open/close */

static void test_open_close(void **state)
{
	struct store_opts o = {1234, 0};
	char path[512], url[600];
	struct store *st = NULL;
	struct stat sb;

	(void)state;
	store_close(NULL);
	st = open_fresh("open.db", path, sizeof(path));
	assert_string_equal(store_backend_name(st), "sqlite");
	assert_int_equal(store_dialect(st), STORE_DIALECT_SQLITE);
	assert_string_equal(store_location(st), path);
	assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(st, "PRAGMA busy_timeout"), 5000);
	assert_int_equal(query_int(st, "PRAGMA synchronous"), 1); /* NORMAL */
	assert_int_equal(query_int(st, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	store_close(st);
	/* Customer data: the file is not world- or group-readable. */
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0077, 0);

	snprintf(url, sizeof(url), "sqlite:%s", path);
	assert_int_equal(store_open(url, &o, NULL, &st), 0);
	assert_int_equal(query_int(st, "PRAGMA busy_timeout"), 1234);
	store_close(st);
	snprintf(url, sizeof(url), "sqlite://%s", path);
	assert_int_equal(store_open(url, NULL, NULL, &st), 0);
	store_close(st);
	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
	store_close(st);
}

static void test_parse_url(void **state)
{
	static const struct {
		const char *url;
		int r;
		const char *target;
	} cases[] = {
	    {"sqlite:/var/lib/wachter/w.db", 0, "/var/lib/wachter/w.db"},
	    {"sqlite:///var/lib/wachter/w.db", 0, "/var/lib/wachter/w.db"},
	    {"sqlite:rel.db", 0, "rel.db"},
	    {"/plain/path.db", 0, "/plain/path.db"},
	    {"rel/dir:with:colons.db", 0, "rel/dir:with:colons.db"},
	    {":memory:", 0, ":memory:"},
	    {"postgres://u:p@localhost/wachter", 0, "postgres://u:p@localhost/wachter"},
	    {"postgresql://localhost/wachter", 0, "postgresql://localhost/wachter"},
	    {"mysql://localhost/x", ERR_UNSUPP, NULL},
	    {"sqlite:", ERR_INVAL, NULL},
	    {"sqlite://", ERR_INVAL, NULL},
	    {"", ERR_INVAL, NULL},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct store_backend_ops *ops = NULL;
		const char *target = NULL;
		int r = store_parse_url(cases[i].url, &ops, &target);

		if (r != cases[i].r)
			fail_msg("%s: got %d want %d", cases[i].url, r, cases[i].r);
		if (r == 0) {
			assert_ptr_equal(ops, strncmp(cases[i].url, "postgres", 8) == 0
						  ? &store_pg_ops
						  : &store_sqlite_ops);
			assert_string_equal(target, cases[i].target);
		}
	}
}

static void test_open_errors(void **state)
{
	struct store_opts bad = {-1, 0}, nocreate = {0, STORE_OPEN_NOCREATE};
	struct store *st = NULL;
	char path[512], missing[600];

	(void)state;
	assert_int_equal(store_open("postgres://wachter@/wachter?host=/nonexistent-wachter-dir",
				    NULL, NULL, &st),
			 ERR_DB);
	assert_int_equal(store_open("mysql://127.0.0.1/wachter", NULL, NULL, &st), ERR_UNSUPP);
	assert_null(st);
	assert_int_equal(store_open("", NULL, NULL, &st), ERR_INVAL);
	assert_int_equal(store_open(":memory:", &bad, NULL, &st), ERR_INVAL);

	/* A missing directory is a clean ERR_NOTFOUND; nothing gets created. */
	tmp_path(path, sizeof(path), "no-such-dir");
	snprintf(missing, sizeof(missing), "%s/sub/w.db", path);
	assert_int_equal(store_open(missing, NULL, NULL, &st), ERR_NOTFOUND);
	assert_null(st);
	assert_int_equal(access(path, F_OK), -1);
	/* A file where the directory should be. */
	fresh_path(path, sizeof(path), "plainfile");
	exec_ok(st = open_fresh("plainfile", path, sizeof(path)), "CREATE TABLE t (a)");
	store_close(st);
	st = NULL;
	snprintf(missing, sizeof(missing), "%s/w.db", path);
	assert_int_equal(store_open(missing, NULL, NULL, &st), ERR_NOTFOUND);

	/* NOCREATE: an absent database is reported, not created. */
	fresh_path(path, sizeof(path), "absent.db");
	assert_int_equal(store_open(path, &nocreate, NULL, &st), ERR_NOTFOUND);
	assert_int_equal(access(path, F_OK), -1);
	assert_null(st);
}

/* ------------------------------------------------------------- migrations */

static void test_migrate_empty_to_latest(void **state)
{
	struct store *st = NULL;
	int from = -1, to = -1, cur = -1, latest = -1;
	char path[512];
	char *before, *after;
	size_t n;

	(void)state;
	st = open_fresh("migrate.db", path, sizeof(path));
	assert_int_equal(store_schema_version(st, &cur, &latest), 0);
	assert_int_equal(cur, 0);
	store_migrations(&n);
	assert_int_equal(latest, (int)n);
	assert_int_equal(store_migrate(st, &from, &to), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, latest);
	assert_int_equal(store_schema_version(st, &cur, NULL), 0);
	assert_int_equal(cur, latest);
	assert_true(table_exists(st, "organisations"));
	assert_true(table_exists(st, "assets"));
	assert_true(table_exists(st, "scans"));
	assert_true(table_exists(st, "findings"));
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version"), latest);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version WHERE version = 1 "
				       "AND name = 'initial_schema' AND applied_at LIKE '20%Z'"),
			 1);

	/* Second run: nothing to do, nothing changes. */
	before = snapshot(st);
	assert_int_equal(store_migrate(st, &from, &to), 0);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	after = snapshot(st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	store_close(st);

	/* And from a new handle on the same file. */
	assert_int_equal(store_open(path, NULL, NULL, &st), 0);
	assert_int_equal(store_migrate(st, &from, &to), 0);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	store_close(st);
}

static void test_status(void **state)
{
	struct buf b = BUF_INIT;
	struct store *st = NULL;
	char path[512];

	(void)state;
	st = open_fresh("status.db", path, sizeof(path));
	assert_int_equal(store_status(st, &b), 0);
	assert_non_null(strstr(b.ptr, "backend: sqlite\n"));
	assert_non_null(strstr(b.ptr, path));
	assert_non_null(strstr(b.ptr, "schema version: 0 (latest known: 4)\n"));
	assert_non_null(strstr(b.ptr, "pending migrations: 4\n  1 initial_schema\n  2 "
				      "platform_users_tenants\n  3 api_list_indexes\n"
				      "  4 totp_last_step\n"));
	assert_non_null(strstr(b.ptr, "journal mode: wal\n"));
	buf_reset(&b);

	assert_int_equal(store_migrate(st, NULL, NULL), 0);
	assert_int_equal(store_status(st, &b), 0);
	assert_non_null(strstr(b.ptr, "schema version: 4 (latest known: 4)\n"));
	assert_non_null(strstr(b.ptr, "state: up to date\npending migrations: 0\n"));
	assert_null(strstr(b.ptr, "initial_schema"));
	buf_release(&b);
	store_close(st);
}

/* A second migration used by the failure tests: a table with data. */
static const char m2_sql[] = "CREATE TABLE extra (k TEXT PRIMARY KEY, v INTEGER);\n"
			     "INSERT INTO extra VALUES ('a', 1), ('b', 2);\n";
static const char m4_sql[] = "CREATE TABLE later (x INTEGER);";

static void check_failing_m3(const char *name, const char *m3_sql, int want)
{
	const struct store_migration *builtin;
	struct store_migration list[4];
	struct store *st = NULL;
	char path[512], *before, *after;
	int from = -1, to = -1, cur = -1;
	size_t n;

	builtin = store_migrations(&n);
	assert_true(n >= 1); /* only the first built-in one is used here */
	list[0] = builtin[0];
	list[1] = (struct store_migration){2, "extra", m2_sql, m2_sql};
	list[2] = (struct store_migration){3, "breaks_midway", m3_sql, m3_sql};
	list[3] = (struct store_migration){4, "later", m4_sql, m4_sql};

	st = open_fresh(name, path, sizeof(path));
	assert_int_equal(store_migrate_list(st, list, 2, &from, &to), 0);
	assert_int_equal(to, 2);
	exec_ok(st, "INSERT INTO organisations (name, kvk) VALUES ('Bakkerij Jansen', '12345678')");
	before = snapshot(st);

	assert_int_equal(store_migrate_list(st, list, 4, &from, &to), want);
	assert_non_null(strstr(store_errmsg(st), "migration 3 (breaks_midway) failed"));
	assert_false(store_in_transaction(st));
	assert_int_equal(store_current_version(st, &cur), 0);
	assert_int_equal(cur, 2);
	after = snapshot(st);
	assert_string_equal(before, after);
	free(after);
	assert_false(table_exists(st, "t3"));
	assert_false(table_exists(st, "later")); /* nothing after the failure ran */
	store_close(st);

	/* On disk too, seen from a fresh connection. */
	assert_int_equal(store_open(path, NULL, NULL, &st), 0);
	after = snapshot(st);
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* Once fixed, the same database migrates on. */
	list[2].sql_sqlite = "CREATE TABLE t3 (x INTEGER);";
	assert_int_equal(store_migrate_list(st, list, 4, &from, &to), 0);
	assert_int_equal(from, 2);
	assert_int_equal(to, 4);
	assert_true(table_exists(st, "t3"));
	assert_true(table_exists(st, "later"));
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM organisations"), 1);
	store_close(st);
}

static void test_failing_migration_rolls_back(void **state)
{
	(void)state;
	/* Fails on its last statement after DDL, inserts, a delete, an ALTER. */
	check_failing_m3("fail-midway.db",
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
	/* Fails on a constraint in the middle. */
	check_failing_m3("fail-constraint.db",
			 "CREATE TABLE t3 (x INTEGER);\n"
			 "INSERT INTO extra VALUES ('a', 3);\n",
			 ERR_DB);
	/* The script succeeds but recording its version fails. */
	check_failing_m3(
	    "fail-record.db",
	    "CREATE TABLE t3 (x INTEGER);\n"
	    "INSERT INTO schema_version VALUES (3, 'squatter', '2026-01-01T00:00:00Z');\n",
	    ERR_DB);
	/* A script may not end the transaction it runs in. */
	check_failing_m3("fail-commit.db",
			 "CREATE TABLE t3 (x INTEGER);\n"
			 "COMMIT;\n"
			 "CREATE TABLE never (x INTEGER);\n",
			 ERR_INVAL);
}

static void test_migration_list_checked(void **state)
{
	struct store_migration gap[] = {{1, "a", "", ""}, {3, "c", "", ""}};
	struct store_migration noname[] = {{1, "", "", ""}};
	struct store_migration nosql[] = {{1, "a", NULL, ""}};
	struct store *st = NULL;
	int from = -1, to = -1;

	(void)state;
	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	assert_int_equal(store_migrate_list(st, gap, 2, &from, &to), ERR_INVAL);
	assert_int_equal(store_migrate_list(st, noname, 1, &from, &to), ERR_INVAL);
	assert_int_equal(store_migrate_list(st, nosql, 1, &from, &to), ERR_UNSUPP);
	assert_int_equal(from, -1);
	/* The built-in list is itself well-formed for both dialects. */
	{
		size_t n;
		const struct store_migration *l = store_migrations(&n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(l[i].version, (int)i + 1);
			assert_non_null(l[i].sql_sqlite);
			assert_non_null(l[i].sql_postgres);
		}
	}
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_migrate(st, NULL, NULL), ERR_INVAL);
	assert_int_equal(store_rollback(st), 0);
	store_close(st);
}

static void test_newer_database_refused(void **state)
{
	struct store *st = NULL;
	struct buf b = BUF_INIT;
	char path[512], *before, *after;
	int cur = -1, latest = -1, from = -1, to = -1;

	(void)state;
	st = open_migrated("newer.db", path, sizeof(path));
	exec_ok(st, "INSERT INTO schema_version VALUES (99, 'from_the_future', "
		    "'2030-01-01T00:00:00Z')");
	before = snapshot(st);
	assert_int_equal(store_migrate(st, &from, &to), ERR_RANGE);
	assert_int_equal(from, -1);
	assert_non_null(strstr(store_errmsg(st), "newer"));
	assert_int_equal(store_schema_version(st, &cur, &latest), 0);
	assert_int_equal(cur, 99);
	assert_int_equal(latest, 4);
	assert_int_equal(store_status(st, &b), 0);
	assert_non_null(strstr(b.ptr, "schema version: 99 (latest known: 4)\n"));
	assert_non_null(strstr(b.ptr, "NEWER"));
	after = snapshot(st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	buf_release(&b);
	store_close(st);
}

struct mig_thread {
	const char *path;
	int r;
};

static void *migrate_thread(void *arg)
{
	struct mig_thread *t = arg;
	struct store *st = NULL;

	t->r = store_open(t->path, NULL, NULL, &st);
	if (t->r == 0)
		t->r = store_migrate(st, NULL, NULL);
	store_close(st);
	return NULL;
}

/* Several processes starting at once must not apply a migration twice. */
static void test_concurrent_migrate(void **state)
{
	struct mig_thread t[4];
	pthread_t tid[4];
	struct store *st = NULL;
	char path[512];

	(void)state;
	fresh_path(path, sizeof(path), "concurrent.db");
	st = open_fresh("concurrent.db", path, sizeof(path)); /* create + WAL first */
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		t[i].path = path;
		t[i].r = -100;
		assert_int_equal(pthread_create(&tid[i], NULL, migrate_thread, &t[i]), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		assert_int_equal(pthread_join(tid[i], NULL), 0);
		assert_int_equal(t[i].r, 0);
	}
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version"), 4);
	store_close(st);
}

/* ------------------------------------------------------------- statements */

static void test_bind_roundtrip(void **state)
{
	static const char quoted[] = "it's \"quoted\"'); DROP TABLE t; -- caf\xc3\xa9 \xe2\x9c\x93";
	static const unsigned char blob[] = {'a', 0, 'b', 0, 0, 'c', 0xff};
	struct store_stmt *s = NULL;
	struct store *st = NULL;
	const void *p;
	size_t len;

	(void)state;
	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	exec_ok(st, "CREATE TABLE t (a TEXT, b BLOB, c INTEGER, d TEXT, e BLOB)");
	assert_int_equal(store_prepare(st, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", &s), 0);
	assert_int_equal(stmt_bind_text(s, 1, quoted), 0);
	assert_int_equal(stmt_bind_blob(s, 2, blob, sizeof(blob)), 0);
	assert_int_equal(stmt_bind_int64(s, 3, INT64_MIN), 0);
	assert_int_equal(stmt_bind_null(s, 4), 0);
	assert_int_equal(stmt_bind_blob(s, 5, NULL, 0), 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	/* Reset keeps the bindings; change two and insert again. */
	assert_int_equal(stmt_reset(s), 0);
	assert_int_equal(stmt_bind_int64(s, 3, INT64_MAX), 0);
	assert_int_equal(stmt_bind_textn(s, 4, "abcdef", 3), 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	/* Misuse: no such parameter, bad text. */
	assert_int_equal(stmt_bind_int64(s, 0, 1), ERR_RANGE);
	assert_int_equal(stmt_bind_int64(s, 6, 1), ERR_RANGE);
	assert_int_equal(stmt_bind_textn(s, 1, "a\0b", 3), ERR_INVAL);
	assert_int_equal(stmt_bind_text(s, 1, "\xc3\x28"), ERR_INVAL);
	assert_int_equal(stmt_bind_text(s, 1, "\xed\xa0\x80"), ERR_INVAL); /* surrogate */
	assert_int_equal(stmt_bind_blob(s, 2, NULL, 3), ERR_INVAL);
	stmt_finalize(s);

	assert_int_equal(store_prepare(st, "SELECT a, b, c, d, e FROM t ORDER BY c", &s), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_int_equal(stmt_column_count(s), 5);
	assert_string_equal(stmt_column_text(s, 0), quoted);
	p = stmt_column_blob(s, 1, &len);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(p, blob, sizeof(blob));
	assert_true(stmt_column_int64(s, 2) == INT64_MIN);
	assert_true(stmt_column_is_null(s, 3));
	assert_null(stmt_column_text(s, 3));
	assert_false(stmt_column_is_null(s, 4)); /* empty blob is not NULL */
	(void)stmt_column_blob(s, 4, &len);
	assert_int_equal(len, 0);
	assert_null(stmt_column_text(s, 5)); /* out of range */
	assert_null(stmt_column_text(s, -1));
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_true(stmt_column_int64(s, 2) == INT64_MAX);
	assert_string_equal(stmt_column_text(s, 3), "abc");
	assert_int_equal(stmt_step(s), STORE_DONE);
	assert_null(stmt_column_text(s, 0)); /* no row after DONE */
	stmt_finalize(s);
	/* The quoted text went in as data: the table is still there. */
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM t WHERE a LIKE 'it''s%'"), 2);
	store_close(st);
}

static void test_prepare_errors(void **state)
{
	struct store_stmt *s = NULL;
	struct store *st = NULL;

	(void)state;
	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	assert_int_equal(store_prepare(st, "SELEC 1", &s), ERR_DB);
	assert_non_null(strstr(store_errmsg(st), "syntax error"));
	assert_int_equal(store_prepare(st, "SELECT * FROM nowhere", &s), ERR_DB);
	assert_non_null(strstr(store_errmsg(st), "no such table"));
	assert_int_equal(store_prepare(st, "SELECT 1; SELECT 2", &s), ERR_INVAL);
	assert_int_equal(store_prepare(st, "", &s), ERR_INVAL);
	assert_int_equal(store_prepare(st, "   -- nothing\n", &s), ERR_INVAL);
	assert_int_equal(store_prepare(st, "  begin immediate", &s), ERR_INVAL);
	assert_int_equal(store_exec(st, "/* c */ COMMIT"), ERR_INVAL);
	assert_int_equal(store_exec(st, "SAVEPOINT x"), ERR_INVAL);
	assert_null(s);
	assert_int_equal(store_prepare(st, "SELECT 1;  ", &s), 0);
	stmt_finalize(s);
	stmt_finalize(NULL);
	assert_string_equal(store_errmsg(NULL), "no store");
	store_close(st);
}

static void test_transactions(void **state)
{
	struct store_opts quick = {100, 0};
	struct store *st = NULL, *other = NULL;
	char path[512];
	int64_t t0;

	(void)state;
	st = open_fresh("tx.db", path, sizeof(path));
	exec_ok(st, "CREATE TABLE t (x INTEGER)");
	assert_int_equal(store_commit(st), ERR_INVAL);
	assert_int_equal(store_rollback(st), ERR_INVAL);
	assert_int_equal(store_begin(st), 0);
	assert_true(store_in_transaction(st));
	assert_int_equal(store_begin(st), ERR_INVAL); /* no nesting */
	exec_ok(st, "INSERT INTO t VALUES (1)");
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM t"), 0);

	assert_int_equal(store_begin(st), 0);
	exec_ok(st, "INSERT INTO t VALUES (2)");
	assert_int_equal(store_last_insert_id(st), 1);
	assert_int_equal(store_commit(st), 0);
	assert_false(store_in_transaction(st));
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM t"), 1);

	/* A script cannot slip a COMMIT past us; the transaction stays ours. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(
	    store_exec(st, "INSERT INTO t VALUES (3); COMMIT; INSERT INTO t VALUES (4)"),
	    ERR_INVAL);
	assert_true(store_in_transaction(st));
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM t"), 1);

	/* A second connection waits busy_timeout for the write lock, then fails. */
	assert_int_equal(store_open(path, &quick, NULL, &other), 0);
	assert_int_equal(store_begin(st), 0);
	t0 = time_now_ms();
	assert_int_equal(store_begin(other), ERR_DB);
	assert_true(time_now_ms() - t0 >= 90);
	assert_int_equal(store_errclass(other), STORE_ERRCLASS_BUSY);
	assert_false(store_in_transaction(other));
	/* WAL: readers are not blocked by the writer. */
	assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t"), 1);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_begin(other), 0);
	assert_int_equal(store_commit(other), 0);
	store_close(other);

	/* Closing with an open transaction rolls it back. */
	assert_int_equal(store_begin(st), 0);
	exec_ok(st, "INSERT INTO t VALUES (5)");
	store_close(st);
	assert_int_equal(store_open(path, NULL, NULL, &st), 0);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM t"), 1);
	store_close(st);
}

static void test_readonly(void **state)
{
	struct store_opts ro = {0, STORE_OPEN_READONLY};
	struct store *st = NULL;
	char path[512];

	(void)state;
	st = open_migrated("ro.db", path, sizeof(path));
	store_close(st);
	assert_int_equal(store_open(path, &ro, NULL, &st), 0);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version"), 4);
	assert_int_equal(store_exec(st, "INSERT INTO organisations (name) VALUES ('x')"), ERR_DB);
	assert_non_null(strstr(store_errmsg(st), "readonly"));
	store_close(st);
}

/* ------------------------------------------------------------ constraints */

static void test_foreign_keys(void **state)
{
	struct store *st = NULL;
	int64_t scan = 0;
	char path[512];

	(void)state;
	st = open_migrated("fk.db", path, sizeof(path));
	assert_int_equal(store_exec(st, "INSERT INTO assets (org_id, kind, value) "
					"VALUES (999, 'domain', 'example.nl')"),
			 ERR_DB);
	assert_int_equal(store_errclass(st), STORE_ERRCLASS_CONSTRAINT);
	assert_non_null(strstr(store_errmsg(st), "FOREIGN KEY"));
	assert_int_equal(store_finding_add(st, 4242, "TLS-01", 2, 2, "example.nl", 443, "t", NULL),
			 ERR_DB);
	assert_int_equal(store_errclass(st), STORE_ERRCLASS_CONSTRAINT);

	/* UNIQUE (org_id, kind, value) and the kind CHECK. */
	exec_ok(st, "INSERT INTO organisations (name) VALUES ('Jansen BV')");
	exec_ok(st, "INSERT INTO assets (org_id, kind, value) VALUES (1, 'domain', 'jansen.nl')");
	assert_int_equal(store_exec(st, "INSERT INTO assets (org_id, kind, value) "
					"VALUES (1, 'domain', 'jansen.nl')"),
			 ERR_DB);
	assert_int_equal(store_errclass(st), STORE_ERRCLASS_CONSTRAINT);
	assert_int_equal(store_exec(st, "INSERT INTO assets (org_id, kind, value) "
					"VALUES (1, 'planet', 'mars')"),
			 ERR_DB);
	exec_ok(st, "INSERT INTO assets (org_id, kind, value) VALUES (1, 'host', 'jansen.nl')");
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM assets WHERE created_at LIKE '20%Z'"),
			 2);

	/* Cascades: scan -> findings, organisation -> assets and scans. */
	assert_int_equal(store_scan_save(st, "jansen.nl", 1764324000, 1764324060, "done", &scan),
			 0);
	assert_int_equal(store_finding_add(st, scan, "TLS-01", 2, 2, "jansen.nl", 443, "t", "e"),
			 0);
	exec_ok(st, "UPDATE scans SET org_id = 1");
	exec_ok(st, "DELETE FROM organisations WHERE id = 1");
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM assets"), 0);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM scans"), 0);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM findings"), 0);
	store_close(st);
}

/* ------------------------------------------------------------ scan writers */

static void test_scan_and_findings(void **state)
{
	struct store_stmt *s = NULL;
	struct store *st = NULL;
	int64_t id1 = 0, id2 = 0;
	char path[512];

	(void)state;
	st = open_migrated("scan.db", path, sizeof(path));
	/* 2025-11-28T10:00:00Z .. 10:01:00Z */
	assert_int_equal(store_scan_save(st, "example.nl", 1764324000, 1764324060, "done", &id1),
			 0);
	assert_int_equal(store_scan_save(st, "192.0.2.0/24", 1764324000, 0, "running", &id2), 0);
	assert_true(id1 > 0);
	assert_true(id2 > id1);
	assert_int_equal(store_finding_add(st, id1, "TLS-04", 3, 2, "example.nl", 443,
					   "TLS 1.0 accepted", "ServerHello \"TLSv1\" 'x'"),
			 0);
	assert_int_equal(
	    store_finding_add(st, id1, "DNS-01", 2, 1, "example.nl", -1, "DNSSEC not signed", NULL),
	    0);

	assert_int_equal(store_prepare(st,
				       "SELECT target, started_at, finished_at, status FROM scans "
				       "WHERE id = ?",
				       &s),
			 0);
	assert_int_equal(stmt_bind_int64(s, 1, id1), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_string_equal(stmt_column_text(s, 0), "example.nl");
	assert_string_equal(stmt_column_text(s, 1), "2025-11-28T10:00:00Z");
	assert_string_equal(stmt_column_text(s, 2), "2025-11-28T10:01:00Z");
	assert_string_equal(stmt_column_text(s, 3), "done");
	assert_int_equal(stmt_reset(s), 0);
	assert_int_equal(stmt_bind_int64(s, 1, id2), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_true(stmt_column_is_null(s, 2));
	stmt_finalize(s);

	assert_int_equal(
	    store_prepare(st,
			  "SELECT check_id, severity, confidence, port, title, evidence "
			  "FROM findings WHERE scan_id = ? ORDER BY id",
			  &s),
	    0);
	assert_int_equal(stmt_bind_int64(s, 1, id1), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_string_equal(stmt_column_text(s, 0), "TLS-04");
	assert_int_equal(stmt_column_int64(s, 1), 3);
	assert_int_equal(stmt_column_int64(s, 2), 2);
	assert_int_equal(stmt_column_int64(s, 3), 443);
	assert_string_equal(stmt_column_text(s, 4), "TLS 1.0 accepted");
	assert_string_equal(stmt_column_text(s, 5), "ServerHello \"TLSv1\" 'x'");
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_string_equal(stmt_column_text(s, 0), "DNS-01");
	assert_true(stmt_column_is_null(s, 3));
	assert_true(stmt_column_is_null(s, 5));
	assert_int_equal(stmt_step(s), STORE_DONE);
	stmt_finalize(s);

	/* Argument checks. */
	assert_int_equal(store_scan_save(st, "", 1764324000, 0, "done", &id2), ERR_INVAL);
	assert_int_equal(store_scan_save(st, "x", 1764324000, 0, NULL, &id2), ERR_INVAL);
	assert_int_equal(store_scan_save(st, "x", 1764324000, 1764323000, "done", &id2), ERR_RANGE);
	assert_int_equal(store_finding_add(st, id1, "TLS-04", 5, 2, "x", 443, "t", NULL),
			 ERR_RANGE);
	assert_int_equal(store_finding_add(st, id1, "TLS-04", 1, 2, "x", 65536, "t", NULL),
			 ERR_RANGE);
	assert_int_equal(store_finding_add(st, id1, "TLS-04", 1, -1, "x", 1, "t", NULL), ERR_RANGE);
	assert_int_equal(store_finding_add(st, id1, NULL, 1, 2, "x", 1, "t", NULL), ERR_INVAL);
	assert_int_equal(store_finding_add(st, id1, "TLS-04", 1, 2, "x", 1, "t", "raw \xff bytes"),
			 ERR_INVAL);
	assert_int_equal(query_int(st, "SELECT COUNT(*) FROM findings"), 2);
	store_close(st);
}

/* ------------------------------------------------------------------- utf8 */

static void test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int ok;
	} cases[] = {
	    {"", 0, 1},
	    {"plain ascii", 11, 1},
	    {"caf\xc3\xa9", 5, 1},
	    {"\xe2\x9c\x93", 3, 1},
	    {"\xf0\x9f\x94\x92", 4, 1}, /* U+1F512 */
	    {"\xf4\x8f\xbf\xbf", 4, 1}, /* U+10FFFF */
	    {"a\0b", 3, 0},		/* NUL */
	    {"\xc3", 1, 0},		/* truncated */
	    {"\xe2\x9c", 2, 0},		/* truncated */
	    {"\xc0\xaf", 2, 0},		/* overlong '/' */
	    {"\xe0\x80\xaf", 3, 0},	/* overlong */
	    {"\xf0\x80\x80\xaf", 4, 0}, /* overlong */
	    {"\xed\xa0\x80", 3, 0},	/* surrogate */
	    {"\xf4\x90\x80\x80", 4, 0}, /* > U+10FFFF */
	    {"\xff", 1, 0},
	    {"\x80", 1, 0}, /* lone continuation */
	    {"\xc3\x28", 2, 0},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (store_utf8_valid(cases[i].s, cases[i].len) != cases[i].ok)
			fail_msg("case %zu: want %d", i, cases[i].ok);
}

static void test_tx_control_words(void **state)
{
	static const struct {
		const char *sql;
		int tx;
	} cases[] = {
	    {"BEGIN", 1},
	    {"  begin immediate", 1},
	    {"-- c\nCOMMIT", 1},
	    {"/* x */ end", 1},
	    {"ROLLBACK TO x", 1},
	    {"release x", 1},
	    {"SELECT 1", 0},
	    {"BEGINNING", 0},
	    {"CREATE TRIGGER t BEGIN", 0},
	    {"endless", 0},
	    {"", 0},
	    {"/* open", 0},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (store_is_tx_control(cases[i].sql) != cases[i].tx)
			fail_msg("%s: want %d", cases[i].sql, cases[i].tx);
}

/* A trigger body holds BEGIN ... END; the script runner must not trip on it. */
static void test_exec_script_with_trigger(void **state)
{
	struct store *st = NULL;

	(void)state;
	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	exec_ok(st, "CREATE TABLE a (x INTEGER);\n"
		    "CREATE TABLE log (x INTEGER);\n"
		    "CREATE TRIGGER a_log AFTER INSERT ON a BEGIN\n"
		    "  INSERT INTO log VALUES (new.x);\n"
		    "END;\n"
		    "-- trailing comment\n");
	exec_ok(st, "INSERT INTO a VALUES (7); INSERT INTO a VALUES (8);");
	assert_int_equal(query_int(st, "SELECT SUM(x) FROM log"), 15);
	store_close(st);
}

/* "file:..." is a file name here, never an SQLite URI with options. */
static void test_file_prefix_is_a_path(void **state)
{
	static const char name[] = "file:uri.db?mode=ro";
	char dir[512], old[4096], p[600];
	struct store *st = NULL;

	(void)state;
	tmp_path(dir, sizeof(dir), "");
	assert_non_null(getcwd(old, sizeof(old)));
	assert_int_equal(chdir(dir), 0);
	unlink(name);
	assert_int_equal(store_open(name, NULL, NULL, &st), 0);
	exec_ok(st, "CREATE TABLE t (x INTEGER)"); /* not read-only */
	store_close(st);
	assert_int_equal(access(name, F_OK), 0);
	snprintf(p, sizeof(p), "%s-wal", name);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", name);
	unlink(p);
	assert_int_equal(unlink(name), 0);
	assert_int_equal(chdir(old), 0);
}

/* ----------------------------------------------------------- the commands */

static void test_cmd_migrate_status(void **state)
{
	struct buf b = BUF_INIT;
	struct store *st = NULL;
	char path[512], missing[600];

	(void)state;
	fresh_path(path, sizeof(path), "cmd.db");
	/* status never creates the database */
	assert_int_equal(store_cmd_status(path, NULL, NULL, &b), ERR_NOTFOUND);
	assert_non_null(strstr(b.ptr, "error: "));
	assert_non_null(strstr(b.ptr, "does not exist"));
	assert_int_equal(access(path, F_OK), -1);
	buf_reset(&b);

	assert_int_equal(store_cmd_migrate(path, NULL, NULL, &b), 0);
	assert_non_null(strstr(b.ptr, "migrated from schema version 0 to 4\n"));
	buf_reset(&b);
	assert_int_equal(store_cmd_migrate(path, NULL, NULL, &b), 0);
	assert_non_null(strstr(b.ptr, "is up to date at schema version 4\n"));
	buf_reset(&b);
	assert_int_equal(store_cmd_status(path, NULL, NULL, &b), 0);
	assert_non_null(strstr(b.ptr, "schema version: 4 (latest known: 4)\nstate: up to date\n"));
	buf_reset(&b);

	/* newer than we know: both refuse, status still reports */
	assert_int_equal(store_open(path, NULL, NULL, &st), 0);
	exec_ok(st, "INSERT INTO schema_version VALUES (7, 'future', '2030-01-01T00:00:00Z')");
	store_close(st);
	assert_int_equal(store_cmd_status(path, NULL, NULL, &b), ERR_RANGE);
	assert_non_null(strstr(b.ptr, "schema version: 7 (latest known: 4)\n"));
	buf_reset(&b);
	assert_int_equal(store_cmd_migrate(path, NULL, NULL, &b), ERR_RANGE);
	assert_non_null(strstr(b.ptr, "error: database schema version 7 is newer"));
	buf_reset(&b);

	tmp_path(path, sizeof(path), "no-such-dir");
	snprintf(missing, sizeof(missing), "%s/w.db", path);
	assert_int_equal(store_cmd_migrate(missing, NULL, NULL, &b), ERR_NOTFOUND);
	assert_non_null(strstr(b.ptr, "does not exist (create it first)"));
	assert_non_null(strstr(b.ptr, path));
	buf_reset(&b);
	assert_int_equal(
	    store_cmd_migrate("postgresql:///w?host=/nonexistent-wachter-dir", NULL, NULL, &b),
	    ERR_DB);
	assert_non_null(strstr(b.ptr, "error: cannot open postgres database: "));
	assert_non_null(strstr(b.ptr, "/nonexistent-wachter-dir"));
	buf_release(&b);
}

/* store_open has no handle to carry a message: it goes to the logger. */
static void test_open_logs_reason(void **state)
{
	struct store *st = NULL;
	struct logger lg;
	char *text = NULL;
	size_t len = 0;
	char path[512], missing[600];
	FILE *fp;

	(void)state;
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	log_init(&lg, LOG_LVL_ERROR, fp);
	assert_int_equal(
	    store_open("postgres:///wachter?host=/nonexistent-wachter-dir", NULL, &lg, &st),
	    ERR_DB);
	tmp_path(path, sizeof(path), "no-such-dir");
	snprintf(missing, sizeof(missing), "%s/w.db", path);
	assert_int_equal(store_open(missing, NULL, &lg, &st), ERR_NOTFOUND);
	log_release(&lg);
	fclose(fp);
	assert_non_null(strstr(text, "cannot open postgres database"));
	assert_non_null(strstr(text, "does not exist"));
	assert_non_null(strstr(text, "level=error"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_close),
	    cmocka_unit_test(test_parse_url),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_migrate_empty_to_latest),
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_failing_migration_rolls_back),
	    cmocka_unit_test(test_migration_list_checked),
	    cmocka_unit_test(test_newer_database_refused),
	    cmocka_unit_test(test_concurrent_migrate),
	    cmocka_unit_test(test_bind_roundtrip),
	    cmocka_unit_test(test_prepare_errors),
	    cmocka_unit_test(test_transactions),
	    cmocka_unit_test(test_readonly),
	    cmocka_unit_test(test_foreign_keys),
	    cmocka_unit_test(test_scan_and_findings),
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_tx_control_words),
	    cmocka_unit_test(test_exec_script_with_trigger),
	    cmocka_unit_test(test_file_prefix_is_a_path),
	    cmocka_unit_test(test_cmd_migrate_status),
	    cmocka_unit_test(test_open_logs_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
