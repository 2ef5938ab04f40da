/*
 * test_server_demo.c: the demo seeding of "wachter serve --demo"
 * (src/server/demo.c) on an in-memory database: what a first run creates,
 * that a second run creates nothing, that an existing operator is kept,
 * that a failure leaves nothing behind (one transaction), and when the
 * start-up scan row is queued.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "core/core.h"
#include "server/server_int.h"
#include "store/store.h"

#define NOW ((time_t)1800000000)

static int setup(void **state)
{
	struct store *st = NULL;

	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	assert_int_equal(store_migrate(st, NULL, NULL), 0);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* The single integer answer of sql (with one optional text parameter). */
static int64_t q_int(struct store *st, const char *sql, const char *arg)
{
	struct store_stmt *s = NULL;
	int64_t v;

	assert_int_equal(store_prepare(st, sql, &s), 0);
	if (arg)
		assert_int_equal(stmt_bind_text(s, 1, arg), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	v = stmt_column_int64(s, 0);
	stmt_finalize(s);
	return v;
}

static void counts(struct store *st, int64_t users, int64_t orgs, int64_t assets, int64_t audit)
{
	assert_int_equal(q_int(st, "SELECT count(*) FROM users", NULL), users);
	assert_int_equal(q_int(st, "SELECT count(*) FROM organisations", NULL), orgs);
	assert_int_equal(q_int(st, "SELECT count(*) FROM assets", NULL), assets);
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log", NULL), audit);
}

static void test_seed_fresh(void **state)
{
	struct store *st = *state;
	struct srv_demo d;
	struct auth_login lg;

	assert_int_equal(srv_demo_seed(st, NOW, &d), 0);
	assert_string_equal(d.operator_email, SRV_DEMO_OPERATOR);
	assert_string_equal(d.admin_email, SRV_DEMO_ADMIN);
	assert_int_equal(strlen(d.operator_pw), AUTH_TOKEN_LEN);
	assert_int_equal(strlen(d.admin_pw), AUTH_TOKEN_LEN);
	assert_true(d.org_created);
	assert_true(d.asset_verified_now);
	/* operator, admin, organisation, asset, verification */
	counts(st, 2, 1, 1, 5);
	assert_int_equal(
	    q_int(st, "SELECT is_operator FROM users WHERE email = ?", SRV_DEMO_OPERATOR), 1);
	assert_int_equal(
	    q_int(st,
		  "SELECT count(*) FROM organisations o JOIN memberships m ON m.org_id = o.id "
		  "JOIN users u ON u.id = m.user_id WHERE o.name = 'Demo B.V.' AND o.sector = 'M' "
		  "AND o.size_class = 'micro' AND m.role = 'admin' AND u.is_operator = 0 AND "
		  "u.email = ?",
		  SRV_DEMO_ADMIN),
	    1);
	assert_int_equal(q_int(st,
			       "SELECT count(*) FROM assets WHERE kind = 'host' AND value = ? AND "
			       "verified_at IS NOT NULL AND verify_method = 'operator'",
			       SRV_DEMO_ASSET),
			 1);
	assert_int_equal(
	    q_int(st,
		  "SELECT count(*) FROM audit_log WHERE action = 'verify' AND object = "
		  "'asset' AND detail LIKE '%seeded for the demo%' AND user_id = "
		  "(SELECT id FROM users WHERE is_operator = 1)",
		  NULL),
	    1);
	/* The printed passwords are the accounts' passwords. */
	assert_int_equal(auth_login(st, d.admin_email, d.admin_pw, NULL, NOW, &lg), 0);
	assert_int_equal(lg.user_id, d.admin_id);
	assert_int_equal(auth_login(st, d.operator_email, d.operator_pw, NULL, NOW, &lg), 0);
	assert_int_equal(lg.user_id, d.operator_id);
}

static void test_seed_twice(void **state)
{
	struct store *st = *state;
	struct srv_demo a, b;

	assert_int_equal(srv_demo_seed(st, NOW, &a), 0);
	assert_int_equal(srv_demo_seed(st, NOW + 60, &b), 0);
	assert_string_equal(b.operator_pw, "");
	assert_string_equal(b.admin_pw, "");
	assert_false(b.org_created);
	assert_false(b.asset_verified_now);
	assert_int_equal(b.operator_id, a.operator_id);
	assert_int_equal(b.admin_id, a.admin_id);
	assert_int_equal(b.org_id, a.org_id);
	assert_int_equal(b.asset_id, a.asset_id);
	counts(st, 2, 1, 1, 5);
}

static void test_seed_keeps_operator(void **state)
{
	struct store *st = *state;
	char pw[AUTH_TOKEN_SIZE];
	struct srv_demo d;
	int64_t id = 0;

	assert_int_equal(auth_init_operator(st, "boss@example.nl", pw, &id), 0);
	assert_int_equal(srv_demo_seed(st, NOW, &d), 0);
	assert_string_equal(d.operator_email, "boss@example.nl");
	assert_string_equal(d.operator_pw, "");
	assert_int_equal(d.operator_id, id);
	assert_int_equal(strlen(d.admin_pw), AUTH_TOKEN_LEN);
	counts(st, 2, 1, 1, 4);
}

/* A failure half-way (the asset insert) leaves nothing: one transaction. */
static void test_seed_all_or_nothing(void **state)
{
	struct store *st = *state;
	struct srv_demo d;

	assert_int_equal(store_exec(st, "CREATE TRIGGER no_assets BEFORE INSERT ON assets BEGIN "
					"SELECT RAISE(ABORT, 'refused'); END"),
			 0);
	assert_int_not_equal(srv_demo_seed(st, NOW, &d), 0);
	assert_false(store_in_transaction(st));
	counts(st, 0, 0, 0, 0);
	assert_int_equal(store_exec(st, "DROP TRIGGER no_assets"), 0);
	assert_int_equal(srv_demo_seed(st, NOW, &d), 0);
	counts(st, 2, 1, 1, 5);
}

static void set_status(struct store *st, int64_t id, const char *status)
{
	struct store_stmt *s = NULL;

	assert_int_equal(store_prepare(st, "UPDATE scans SET status = ? WHERE id = ?", &s), 0);
	assert_int_equal(stmt_bind_text(s, 1, status), 0);
	assert_int_equal(stmt_bind_int64(s, 2, id), 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	stmt_finalize(s);
}

static void test_scan_row(void **state)
{
	struct store *st = *state;
	struct srv_demo d;
	int64_t id = 0, id2 = 0, id3 = 0;
	int fresh = -1;

	assert_int_equal(srv_demo_scan_row(st, NOW, &id, &fresh), ERR_NOTFOUND);
	assert_int_equal(q_int(st, "SELECT count(*) FROM scans", NULL), 0);
	assert_int_equal(srv_demo_seed(st, NOW, &d), 0);

	assert_int_equal(srv_demo_scan_row(st, NOW, &id, &fresh), 0);
	assert_int_equal(fresh, 1);
	assert_int_equal(q_int(st,
			       "SELECT count(*) FROM scans WHERE status = 'queued' AND target = ? "
			       "AND asset_id = (SELECT id FROM assets)",
			       SRV_DEMO_ASSET),
			 1);
	assert_int_equal(q_int(st, "SELECT count(*) FROM audit_log WHERE action = 'scan'", NULL),
			 1);
	/* Interrupted (a restart marks it so): scan again. */
	set_status(st, id, "interrupted");
	assert_int_equal(srv_demo_scan_row(st, NOW + 60, &id2, &fresh), 0);
	assert_int_equal(fresh, 1);
	assert_true(id2 > id);
	/* Finished within the hour: no new scan, that one is named. */
	set_status(st, id2, "done");
	assert_int_equal(srv_demo_scan_row(st, NOW + 120, &id3, &fresh), 0);
	assert_int_equal(fresh, 0);
	assert_int_equal(id3, id2);
	assert_int_equal(q_int(st, "SELECT count(*) FROM scans", NULL), 2);
	/* An hour after it started: a new one. */
	assert_int_equal(srv_demo_scan_row(st, NOW + 60 + 3601, &id3, &fresh), 0);
	assert_int_equal(fresh, 1);
	assert_true(id3 > id2);
	assert_int_equal(q_int(st, "SELECT count(*) FROM scans", NULL), 3);
	assert_false(store_in_transaction(st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_seed_fresh, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_seed_twice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_seed_keeps_operator, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_seed_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_row, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
