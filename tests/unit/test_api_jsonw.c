/*
 * test_api_jsonw.c: the fast JSON writers of the list endpoints give
 * exactly what buf_add_json_str and "%lld" give: every byte value alone
 * and inside text, random strings, the size cap (the buffer is left as it
 * was) and the integer edge cases.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_int.h"
#include "core/core.h"

static void same(const char *s, size_t len)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	assert_int_equal(buf_adds(&a, "x"), 0);
	assert_int_equal(buf_adds(&b, "x"), 0);
	assert_int_equal(buf_add_json_str(&a, s, len), 0);
	assert_int_equal(api_json_str(&b, s, len), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	assert_int_equal(b.ptr[b.len], '\0');
	buf_release(&a);
	buf_release(&b);
}

static void test_every_byte(void **state)
{
	char s[8];
	int c;

	(void)state;
	same("", 0);
	for (c = 0; c < 256; c++) {
		s[0] = (char)c;
		same(s, 1);
		memcpy(s, "ab", 2);
		s[2] = (char)c;
		memcpy(s + 3, "cd", 2);
		same(s, 5);
	}
	same("RDP banner: \"\\x03\"\r\n\t<b>&</b> \xc3\xa9", 30);
}

static void test_random(void **state)
{
	char s[300];
	int i, j;

	(void)state;
	srand(6);
	for (i = 0; i < 2000; i++) {
		int n = rand() % (int)sizeof(s);

		for (j = 0; j < n; j++)
			s[j] = (char)(rand() % 4 ? 'a' + rand() % 26 : rand() % 256);
		same(s, (size_t)n);
	}
}

static void test_cap_leaves_buffer(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(buf_adds(&b, "[1,"), 0);
	assert_int_equal(api_json_str(&b, "0123456789abcdef", 16), ERR_TOO_BIG);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.ptr, "[1,");
	/* Fits until the escapes make it too long. */
	assert_int_equal(api_json_str(&b, "\x01\x02", 2), ERR_TOO_BIG);
	assert_string_equal(b.ptr, "[1,");
	assert_int_equal(api_json_str(&b, "ab\n", 3), 0);
	assert_string_equal(b.ptr, "[1,\"ab\\n\"");
	buf_release(&b);
}

static void test_int(void **state)
{
	static const int64_t v[] = {
	    0, 1, -1, 9, 10, -10, 12345678, INT64_MAX, INT64_MIN, INT64_MIN + 1, 1000000000};
	struct buf b = BUF_INIT;
	char want[32];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		buf_reset(&b);
		assert_int_equal(api_json_int(&b, v[i]), 0);
		snprintf(want, sizeof(want), "%lld", (long long)v[i]);
		assert_string_equal(b.ptr, want);
	}
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_byte),
	    cmocka_unit_test(test_random),
	    cmocka_unit_test(test_cap_leaves_buffer),
	    cmocka_unit_test(test_int),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
