/*
 * pg_redirect.h: run an existing SQLite-backed unit test file on PostgreSQL.
 * A wrapper (test_<name>_pg.c) includes this, then the test file with
 *
 *   #define store_open pg_open_fresh
 *   #define main test_<name>_main
 *   #undef cmocka_run_group_tests
 *   #define cmocka_run_group_tests(t, s, td) run_on_pg(#t, t, ARRAY_SIZE(t))
 *
 * so every ":memory:" store becomes a fresh schema on the server named by
 * WACHTER_TEST_PG_URL (tests/integration/store_pg.sh sets it), cases named
 * in the wrapper's sqlite_only[] are left out, and without the variable the
 * whole group is skipped.
 */
#ifndef WACHTER_TEST_PG_REDIRECT_H
#define WACHTER_TEST_PG_REDIRECT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/core.h"
#include "store/store.h"

/* Defined by the wrapper: the names of SQLite-specific cases. */
extern const char *const sqlite_only[];
extern const size_t sqlite_only_n;

static int pg_open_fresh(const char *url, const struct store_opts *opts, struct logger *lg,
			 struct store **out)
{
	static int seq;
	const char *base = getenv("WACHTER_TEST_PG_URL");
	char schema[64], sql[200], purl[1200];
	struct store *st = NULL;
	int r;

	if (strcmp(url, ":memory:") != 0 || !base)
		return store_open(url, opts, lg, out);
	snprintf(schema, sizeof(schema), "wr_%ld_%d", (long)getpid(), ++seq);
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema,
		 schema);
	if ((size_t)snprintf(purl, sizeof(purl), "%s%soptions=-csearch_path%%3D%s", base,
			     strchr(base, '?') ? "&" : "?", schema) >= sizeof(purl))
		fail_msg("WACHTER_TEST_PG_URL too long");
	r = store_open(base, NULL, NULL, &st);
	if (r == 0) {
		r = store_exec(st, sql);
		if (r != 0)
			fail_msg("%s: %s", sql, store_errmsg(st));
		store_close(st);
	}
	return r ? r : store_open(purl, opts, lg, out);
}

static int run_on_pg(const char *name, const struct CMUnitTest *tests, size_t n)
{
	struct CMUnitTest *keep;
	size_t k = 0;
	int r;

	if (!getenv("WACHTER_TEST_PG_URL")) {
		print_message("WACHTER_TEST_PG_URL not set: %s on PostgreSQL skipped\n", name);
		return 0;
	}
	keep = calloc(n, sizeof(*keep));
	if (!keep)
		return 1;
	for (size_t i = 0; i < n; i++) {
		int skip_it = 0;

		for (size_t j = 0; j < sqlite_only_n; j++)
			skip_it |= strcmp(tests[i].name, sqlite_only[j]) == 0;
		if (!skip_it)
			keep[k++] = tests[i];
	}
	r = _cmocka_run_group_tests(name, keep, k, NULL, NULL);
	free(keep);
	return r;
}

#endif
