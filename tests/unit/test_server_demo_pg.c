/*
 * test_server_demo_pg.c: the demo seeding of serve --demo (first run, second
 * run, kept operator, all or nothing, the scan row) on PostgreSQL:
 * test_server_demo.c compiled again with its stores on PostgreSQL (pg_redirect.h),
 * so the same queries are checked for meaning the same on both backends.
 * Runs under tests/integration/store_pg.sh; skipped without
 * WACHTER_TEST_PG_URL.
 */
#include "pg_redirect.h"

int test_server_demo_main(void);
const char *const sqlite_only[] = {"test_seed_all_or_nothing" /* an SQLite trigger */};
const size_t sqlite_only_n = sizeof(sqlite_only) / sizeof(sqlite_only[0]);

#define store_open pg_open_fresh
#define main test_server_demo_main
#undef cmocka_run_group_tests
#define cmocka_run_group_tests(t, setup, teardown) run_on_pg(#t, t, ARRAY_SIZE(t))
#include "test_server_demo.c"
#undef main
#undef store_open

int main(void)
{
	return test_server_demo_main();
}
