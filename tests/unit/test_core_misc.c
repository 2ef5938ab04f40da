/*
 * test_core_misc.c: arena, logging and the UTC time helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void test_arena(void **state)
{
	struct arena a = ARENA_INIT;
	char *s, *big;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		unsigned char *p = arena_alloc(&a, 33);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(p[32], 0);
		memset(p, 0xab, 33);
	}
	s = arena_printf(&a, "%s-%d", "x", 7);
	assert_string_equal(s, "x-7");
	s = arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	big = arena_alloc(&a, 1 << 20);
	assert_non_null(big);
	arena_release(&a);
	assert_int_equal(a.used, 0);
	/* The cap holds. */
	arena_init(&a, 1024);
	assert_non_null(arena_alloc(&a, 1000));
	assert_null(arena_alloc(&a, 100));
	assert_null(arena_alloc(&a, SIZE_MAX));
	arena_release(&a);
}

static void test_log(void **state)
{
	struct logger lg;
	char *mem = NULL;
	size_t memlen = 0;
	FILE *fp = open_memstream(&mem, &memlen);
	enum log_level lvl;

	(void)state;
	assert_non_null(fp);
	log_init(&lg, LOG_LVL_INFO, fp);
	LOG_INFO(&lg, "msg=\"connect failed\" host=%s", "127.0.0.1");
	LOG_DEBUG(&lg, "msg=hidden");
	fflush(fp);
	assert_non_null(strstr(mem, "level=info"));
	assert_non_null(strstr(mem, "at=test_core_misc.c:"));
	assert_non_null(strstr(mem, "fn=test_log"));
	assert_non_null(strstr(mem, "host=127.0.0.1"));
	assert_null(strstr(mem, "hidden"));
	fclose(fp);
	free(mem);
	assert_int_equal(log_level_parse("debug", &lvl), 0);
	assert_int_equal(lvl, LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("loud", &lvl), ERR_INVAL);
	LOG_ERROR((const struct logger *)NULL, "no logger is fine");
}

struct time_case {
	const char *in;
	int r;
	time_t t;
};

static const struct time_case time_cases[] = {
    {"1970-01-01T00:00:00Z", 0, 0},
    {"2026-11-28T10:00:00Z", 0, 1795860000},
    {"2026-11-28T12:00:00+02:00", 0, 1795860000},
    {"2026-11-28T08:30:00-01:30", 0, 1795860000},
    {"2026-11-28T10:00:00.123456Z", 0, 1795860000},
    {"2024-02-29", 0, 1709164800},
    {"2023-02-29", ERR_RANGE, 0},
    {"2026-13-01T00:00:00Z", ERR_RANGE, 0},
    {"2026-11-28T10:00:00", ERR_PARSE, 0},
    {"2026-11-28T10:00:00Zjunk", ERR_PARSE, 0},
    {"20261128", ERR_PARSE, 0},
    {"", ERR_PARSE, 0},
};

static void test_time(void **state)
{
	char out[TIME_RFC3339_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(time_cases); i++) {
		time_t t = 42;
		int r = time_parse_rfc3339(time_cases[i].in, strlen(time_cases[i].in), &t);

		assert_int_equal(r, time_cases[i].r);
		if (r == 0)
			assert_true(t == time_cases[i].t);
	}
	assert_int_equal(time_rfc3339(1795860000, out), 0);
	assert_string_equal(out, "2026-11-28T10:00:00Z");
	assert_int_equal(time_rfc3339(0, out), 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_true(time_utc_from_tm(2000, 3, 1, 0, 0, 0) == 951868800);
	assert_true(time_now_ms() > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arena),
	    cmocka_unit_test(test_log),
	    cmocka_unit_test(test_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
