/*
 * test_core_buf.c: the string builder: growth, the size cap, escaping, and
 * that a failed append leaves the content unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void test_add_and_take(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(b.ptr, "");
	assert_int_equal(buf_adds(&b, "hello"), 0);
	assert_int_equal(buf_addch(&b, ' '), 0);
	assert_int_equal(buf_addf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.ptr, "hello 42-x");
	assert_int_equal(b.len, 10);
	s = buf_take(&b);
	assert_string_equal(s, "hello 42-x");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	free(s);
	buf_release(&b);
}

static void test_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345678"), 0);
	assert_int_equal(buf_adds(&b, "9"), ERR_TOO_BIG);
	assert_string_equal(b.ptr, "12345678");
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_addf(&b, "%s", "defghijk"), ERR_TOO_BIG);
	assert_string_equal(b.ptr, "abc");
	assert_int_equal(b.len, 3);
	buf_release(&b);
}

static void test_growth(void **state)
{
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_addf(&b, "%04d", i % 10000), 0);
	assert_int_equal(b.len, 40000);
	assert_memory_equal(b.ptr + 39996, "9999", 4);
	assert_int_equal(b.ptr[b.len], '\0');
	buf_release(&b);
}

struct esc_case {
	const char *in;
	const char *html;
	const char *json;
	const char *printable;
};

static const struct esc_case esc_cases[] = {
    {"plain", "plain", "\"plain\"", "plain"},
    {"<b>&\"'", "&lt;b&gt;&amp;&quot;&#39;", "\"<b>&\\\"'\"", "<b>&\"'"},
    {"a\nb\tc\\", "a\nb\tc\\", "\"a\\nb\\tc\\\\\"", "a\\x0ab\\x09c\\\\"},
    {"\x01\x7f", "\x01\x7f", "\"\\u0001\\u007f\"", "\\x01\\x7f"},
    {"", "", "\"\"", ""},
};

static void test_escaping(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(esc_cases); i++) {
		const struct esc_case *c = &esc_cases[i];
		struct buf b = BUF_INIT;

		assert_int_equal(buf_add_html(&b, c->in, strlen(c->in)), 0);
		assert_string_equal(b.ptr, c->html);
		buf_reset(&b);
		assert_int_equal(buf_add_json_str(&b, c->in, strlen(c->in)), 0);
		assert_string_equal(b.ptr, c->json);
		buf_reset(&b);
		assert_int_equal(buf_add_printable(&b, c->in, strlen(c->in)), 0);
		assert_string_equal(b.ptr, c->printable);
		buf_release(&b);
	}
}

static void test_escape_over_cap_is_atomic(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_adds(&b, "ok:"), 0);
	assert_int_equal(buf_add_html(&b, "<<<<", 4), ERR_TOO_BIG);
	assert_string_equal(b.ptr, "ok:");
	assert_int_equal(buf_add_json_str(&b, "0123456789", 10), ERR_TOO_BIG);
	assert_string_equal(b.ptr, "ok:");
	buf_release(&b);
}

static void test_helpers(void **state)
{
	char small[4];
	char *d;

	(void)state;
	assert_int_equal(str_lcpy(small, "abcdef", sizeof(small)), 6);
	assert_string_equal(small, "abc");
	d = xstrndup("abc\0def", 7);
	assert_memory_equal(d, "abc\0def", 8);
	free(d);
	assert_string_equal(err_str(ERR_TOO_BIG), "too big");
	assert_string_equal(err_str(0), "ok");
	assert_string_equal(err_str(-1000), "unknown error");
	assert_string_equal(err_str(5), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_and_take),
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_escape_over_cap_is_atomic),
	    cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
