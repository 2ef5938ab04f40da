/*
 * test_store_cache_pg.c: the statement cache (reuse with clean state, the same
 * SQL twice at once, LRU eviction, all busy, schema change, failed prepare)
 * on PostgreSQL:
 * test_store_cache.c compiled again with its stores on PostgreSQL (pg_redirect.h),
 * so the same queries are checked for meaning the same on both backends.
 * Runs under tests/integration/store_pg.sh; skipped without
 * WACHTER_TEST_PG_URL.
 */
#include "pg_redirect.h"

int test_store_cache_main(void);
const char *const sqlite_only[] = {""};
const size_t sqlite_only_n = sizeof(sqlite_only) / sizeof(sqlite_only[0]);

#define store_open pg_open_fresh
#define main test_store_cache_main
#undef cmocka_run_group_tests
#define cmocka_run_group_tests(t, setup, teardown) run_on_pg(#t, t, ARRAY_SIZE(t))
#include "test_store_cache.c"
#undef main
#undef store_open

int main(void)
{
	return test_store_cache_main();
}
