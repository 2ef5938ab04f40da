/*
 * test_api_account_pg.c: the account and audit-log cases of
 * test_api_account.c (tokens, sessions, password, the audit log and who
 * sees which actor) on PostgreSQL (pg_redirect.h), so their queries mean
 * the same on both backends. Runs under tests/integration/store_pg.sh;
 * skipped without WACHTER_TEST_PG_URL.
 */
#include "pg_redirect.h"

int test_api_account_main(void);
const char *const sqlite_only[] = {"test_audit_plan" /* EXPLAIN QUERY PLAN */};
const size_t sqlite_only_n = sizeof(sqlite_only) / sizeof(sqlite_only[0]);

#define store_open pg_open_fresh
#define main test_api_account_main
#undef cmocka_run_group_tests
#define cmocka_run_group_tests(t, setup, teardown) run_on_pg(#t, t, ARRAY_SIZE(t))
#include "test_api_account.c"
#undef main
#undef store_open

int main(void)
{
	return test_api_account_main();
}
