/*
 * test_store_cache.c: the per-handle prepared-statement cache of the store
 * layer: a second prepare of the same SQL reuses the compiled statement,
 * given back reset and with its bindings cleared; the same SQL out twice
 * at once gets two statements; LRU eviction past the cache size; schema
 * changes under a cached statement; leak accounting at close.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

static struct store *mem_store(void)
{
	struct store *st = NULL;

	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	assert_int_equal(store_exec(st, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
					"INSERT INTO t (id, v) VALUES (1, 'one'), (2, 'two');"),
			 0);
	return st;
}

#define SEL "SELECT v FROM t WHERE id = ?"

static void test_reuse_and_clean_state(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(store_prepare(st, SEL, &a), 0);
	assert_int_equal(stmt_bind_int64(a, 1, 2), 0);
	assert_int_equal(stmt_step(a), STORE_ROW);
	assert_string_equal(stmt_column_text(a, 0), "two");
	stmt_finalize(a); /* given back while a row was ready */
	assert_int_equal(st->nstmt, 0);

	/* An equal copy of the text (not the same pointer) finds it. */
	char sql[64];
	snprintf(sql, sizeof(sql), "%s", SEL);
	assert_int_equal(store_prepare(st, sql, &b), 0);
	assert_ptr_equal(a, b);
	assert_true(st->cache_hits >= 1);
	/* Bindings were cleared: the parameter is NULL, so no row. */
	assert_int_equal(stmt_step(b), STORE_DONE);
	assert_null(stmt_column_text(b, 0)); /* no row is ready after a reuse */
	assert_int_equal(stmt_bind_int64(b, 1, 1), 0);
	assert_int_equal(stmt_step(b), STORE_ROW);
	assert_string_equal(stmt_column_text(b, 0), "one");
	stmt_finalize(b);
	store_close(st);
}

static void test_same_sql_twice_at_once(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *a = NULL, *b = NULL, *c = NULL;

	(void)state;
	assert_int_equal(store_prepare(st, SEL, &a), 0);
	assert_int_equal(store_prepare(st, SEL, &b), 0);
	assert_ptr_not_equal(a, b);
	assert_int_equal(st->nstmt, 2);
	assert_int_equal(stmt_bind_int64(a, 1, 1), 0);
	assert_int_equal(stmt_bind_int64(b, 1, 2), 0);
	assert_int_equal(stmt_step(a), STORE_ROW);
	assert_int_equal(stmt_step(b), STORE_ROW);
	assert_string_equal(stmt_column_text(a, 0), "one");
	assert_string_equal(stmt_column_text(b, 0), "two");
	stmt_finalize(b); /* uncached: really finalized */
	stmt_finalize(a); /* cached: back to idle */
	assert_int_equal(st->nstmt, 0);
	assert_int_equal(store_prepare(st, SEL, &c), 0);
	assert_ptr_equal(c, a);
	stmt_finalize(c);
	store_close(st);
}

static void test_eviction_lru(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *s = NULL, *hot = NULL;
	char sql[96];
	int i, nsql = 0;

	(void)state;
	assert_int_equal(store_prepare(st, SEL, &hot), 0);
	stmt_finalize(hot);
	/* Many distinct statements, touching the hot one now and then. */
	for (i = 0; i < 3 * STORE_STMT_CACHE_MAX; i++) {
		snprintf(sql, sizeof(sql), "SELECT v FROM t WHERE id = ? + %d", i);
		assert_int_equal(store_prepare(st, sql, &s), 0);
		assert_int_equal(stmt_bind_int64(s, 1, 1 - i), 0);
		assert_int_equal(stmt_step(s), STORE_ROW);
		assert_string_equal(stmt_column_text(s, 0), "one");
		stmt_finalize(s);
		if (i % 8 == 0) {
			assert_int_equal(store_prepare(st, SEL, &s), 0);
			assert_ptr_equal(s, hot); /* recently used: never evicted */
			stmt_finalize(s);
		}
	}
	for (i = 0; i < STORE_STMT_CACHE_MAX; i++)
		nsql += st->cache[i].sql != NULL;
	assert_int_equal(nsql, STORE_STMT_CACHE_MAX);
	store_close(st);
}

static void test_all_busy_stays_uncached(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *out[STORE_STMT_CACHE_MAX + 4];
	char sql[96];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		snprintf(sql, sizeof(sql), "SELECT %zu", i);
		assert_int_equal(store_prepare(st, sql, &out[i]), 0);
	}
	for (i = 0; i < ARRAY_SIZE(out); i++)
		assert_int_equal(out[i]->cslot != 0, i < STORE_STMT_CACHE_MAX);
	for (i = 0; i < ARRAY_SIZE(out); i++) {
		assert_int_equal(stmt_step(out[i]), STORE_ROW);
		assert_int_equal(stmt_column_int64(out[i], 0), (int64_t)i);
		stmt_finalize(out[i]);
	}
	assert_int_equal(st->nstmt, 0);
	store_close(st);
}

static void test_schema_change_and_tx(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *s = NULL;

	(void)state;
	assert_int_equal(store_prepare(st, "SELECT COUNT(*) FROM t", &s), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	stmt_finalize(s);
	/* An idle cached statement must not block DDL or a transaction. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_exec(st, "ALTER TABLE t ADD COLUMN w INTEGER;"
					"INSERT INTO t (id, v) VALUES (3, 'three');"),
			 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_prepare(st, "SELECT COUNT(*) FROM t", &s), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	assert_int_equal(stmt_column_int64(s, 0), 3);
	stmt_finalize(s);
	assert_int_equal(store_exec(st, "DROP TABLE t"), 0);
	assert_int_equal(store_prepare(st, "SELECT COUNT(*) FROM t", &s), 0);
	assert_int_equal(stmt_step(s), ERR_DB); /* gone: a clean error, no crash */
	stmt_finalize(s);
	store_close(st);
}

static void test_failed_prepare_not_cached(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *s = NULL;
	size_t i;

	(void)state;
	assert_int_equal(store_prepare(st, "SELECT * FROM nope", &s), ERR_DB);
	assert_int_equal(store_prepare(st, "SELECT 1; SELECT 2", &s), ERR_INVAL);
	for (i = 0; i < STORE_STMT_CACHE_MAX; i++)
		assert_null(st->cache[i].sql);
	assert_int_equal(st->nstmt, 0);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reuse_and_clean_state),
	    cmocka_unit_test(test_same_sql_twice_at_once),
	    cmocka_unit_test(test_eviction_lru),
	    cmocka_unit_test(test_all_busy_stays_uncached),
	    cmocka_unit_test(test_schema_change_and_tx),
	    cmocka_unit_test(test_failed_prepare_not_cached),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
