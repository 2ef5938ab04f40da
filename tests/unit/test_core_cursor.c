/*
 * test_core_cursor.c: the cursor never reads past its end and advances
 * only on success.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void test_integers(void **state)
{
	static const unsigned char in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
	struct cursor c;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	(void)state;
	cursor_init(&c, in, sizeof(in));
	assert_int_equal(cursor_u8(&c, &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(cursor_be16(&c, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(cursor_be24(&c, &u32), 0);
	assert_int_equal(u32, 0x040506);
	assert_int_equal(cursor_be32(&c, &u32), ERR_EOF);
	assert_int_equal(c.len, 1);
	assert_int_equal(cursor_le16(&c, &u16), ERR_EOF);
	assert_int_equal(cursor_u8(&c, &u8), 0);
	assert_int_equal(u8, 7);
	assert_int_equal(cursor_u8(&c, &u8), ERR_EOF);
	cursor_init(&c, in, 4);
	assert_int_equal(cursor_le32(&c, &u32), 0);
	assert_int_equal(u32, 0x04030201);
}

static void test_vectors(void **state)
{
	/* 2-byte length 3, payload, then a 1-byte length 5 that overruns. */
	static const unsigned char in[] = {0x00, 0x03, 'a', 'b', 'c', 0x05, 'x'};
	struct cursor c, sub;

	(void)state;
	cursor_init(&c, in, sizeof(in));
	assert_int_equal(cursor_sub16(&c, &sub), 0);
	assert_true(cursor_eq(&sub, "abc"));
	assert_int_equal(cursor_sub8(&c, &sub), ERR_EOF);
	assert_int_equal(c.len, 2); /* unchanged after failure */
	cursor_init(&c, in, 1);
	assert_int_equal(cursor_sub24(&c, &sub), ERR_EOF);
	assert_int_equal(c.len, 1);
}

struct line_case {
	const char *in;
	size_t max;
	int r;
	const char *line;
	size_t rest;
};

static const struct line_case line_cases[] = {
    {"abc\r\ndef", 100, 0, "abc", 3},
    {"abc\ndef", 100, 0, "abc", 3},
    {"\n", 100, 0, "", 0},
    {"no newline", 100, ERR_EOF, NULL, 10},
    {"0123456789\n", 5, ERR_TOO_BIG, NULL, 11},
    {"01234\n", 6, 0, "01234", 0},
};

static void test_lines(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(line_cases); i++) {
		const struct line_case *lc = &line_cases[i];
		struct cursor c, line;

		cursor_init(&c, lc->in, strlen(lc->in));
		assert_int_equal(cursor_line(&c, lc->max, &line), lc->r);
		if (lc->line)
			assert_true(cursor_eq(&line, lc->line));
		assert_int_equal(c.len, lc->rest);
	}
}

struct uint_case {
	const char *in;
	uint64_t max;
	int r;
	uint64_t v;
};

static const struct uint_case uint_cases[] = {
    {"0", 10, 0, 0},
    {"10", 10, 0, 10},
    {"11", 10, ERR_RANGE, 0},
    {"18446744073709551615", UINT64_MAX, 0, UINT64_MAX},
    {"18446744073709551616", UINT64_MAX, ERR_RANGE, 0},
    {"x1", 10, ERR_PARSE, 0},
    {"", 10, ERR_PARSE, 0},
    {"007abc", 100, 0, 7},
};

static void test_uint(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(uint_cases); i++) {
		struct cursor c;
		uint64_t v = 12345;

		cursor_init(&c, uint_cases[i].in, strlen(uint_cases[i].in));
		assert_int_equal(cursor_uint(&c, uint_cases[i].max, &v), uint_cases[i].r);
		if (uint_cases[i].r == 0)
			assert_true(v == uint_cases[i].v);
		else
			assert_true(v == 12345);
	}
}

static void test_text(void **state)
{
	struct cursor c, out;
	char *d;

	(void)state;
	cursor_init(&c, "  Key: Value  ", 14);
	cursor_trim(&c);
	assert_true(cursor_startswith_ci(&c, "key"));
	assert_false(cursor_startswith(&c, "key"));
	assert_int_equal(cursor_until(&c, ':', &out), 0);
	assert_true(cursor_eq_ci(&out, "KEY"));
	assert_int_equal(cursor_expect(&c, ": "), 0);
	assert_int_equal(cursor_until(&c, '#', &out), ERR_NOTFOUND);
	d = cursor_dup(&c);
	assert_string_equal(d, "Value");
	free(d);
	cursor_init(&c, "123abc", 6);
	cursor_span(&c, "0123456789", &out);
	assert_true(cursor_eq(&out, "123"));
	assert_true(cursor_eq(&c, "abc"));
	/* Embedded NUL: comparisons use lengths, not terminators. */
	cursor_init(&c, "ab\0cd", 5);
	assert_false(cursor_eq(&c, "ab"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers), cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_lines),    cmocka_unit_test(test_uint),
	    cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
