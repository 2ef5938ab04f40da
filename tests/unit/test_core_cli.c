/*
 * test_core_cli.c: the small parsers that front ends share: the
 * command-line options (src/core/cliopt.c: an option's value, a bounded
 * number, --format) and a URL's percent escapes (src/core/pct.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void test_opt_value(void **state)
{
	char *argv[] = {"wachter", "--ports", "22,80", "--format=json", "--portsx", "--kb", NULL};
	int argc = 6, i, missing = 0;

	(void)state;
	i = 1;
	assert_null(cli_opt_value(argc, argv, &i, "--format", &missing));
	assert_int_equal(i, 1);
	assert_string_equal(cli_opt_value(argc, argv, &i, "--ports", &missing), "22,80");
	assert_int_equal(i, 2); /* moved on to the value */
	i = 3;
	assert_string_equal(cli_opt_value(argc, argv, &i, "--format", &missing), "json");
	assert_int_equal(i, 3);
	i = 4; /* a longer option is another option */
	assert_null(cli_opt_value(argc, argv, &i, "--ports", &missing));
	assert_int_equal(missing, 0);
	i = 5; /* the last argument: no value */
	assert_null(cli_opt_value(argc, argv, &i, "--kb", &missing));
	assert_int_equal(missing, 1);
	assert_int_equal(i, 5);
	i = 5; /* without a missing flag */
	assert_null(cli_opt_value(argc, argv, &i, "--kb", NULL));
}

static void test_uint(void **state)
{
	int v = -1;

	(void)state;
	assert_int_equal(cli_uint("443", 1, 65535, &v), 0);
	assert_int_equal(v, 443);
	assert_int_equal(cli_uint("65535", 1, 65535, &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(cli_uint("0", 0, 20, &v), 0);
	assert_int_equal(v, 0);
	v = 7;
	assert_int_equal(cli_uint("0", 1, 65535, &v), ERR_INVAL);
	assert_int_equal(cli_uint("65536", 1, 65535, &v), ERR_INVAL);
	assert_int_equal(cli_uint("99999999999999999999999", 1, 65535, &v), ERR_INVAL);
	assert_int_equal(cli_uint("", 0, 10, &v), ERR_INVAL);
	assert_int_equal(cli_uint("12x", 0, 100, &v), ERR_INVAL);
	assert_int_equal(cli_uint("-1", 0, 100, &v), ERR_INVAL);
	assert_int_equal(cli_uint("+1", 0, 100, &v), ERR_INVAL);
	assert_int_equal(cli_uint(" 1", 0, 100, &v), ERR_INVAL);
	assert_int_equal(cli_uint("9", 0, 5, &v), ERR_INVAL); /* a bound under 9 */
	assert_int_equal(v, 7);				      /* untouched on failure */
}

static void test_format(void **state)
{
	int json = -1;

	(void)state;
	assert_int_equal(cli_format("json", &json), 0);
	assert_int_equal(json, 1);
	assert_int_equal(cli_format("text", &json), 0);
	assert_int_equal(json, 0);
	json = 5;
	assert_int_equal(cli_format("JSON", &json), ERR_INVAL);
	assert_int_equal(cli_format("", &json), ERR_INVAL);
	assert_int_equal(cli_format("jsonx", &json), ERR_INVAL);
	assert_int_equal(json, 5);
}

static void test_pct(void **state)
{
	static const unsigned char in[] = "a%41%7e%2F%00%4g%4";
	unsigned char ch = 0;
	size_t i;

	(void)state;
	i = 1;
	assert_int_equal(pct_escape(in, sizeof(in) - 1, &i, &ch), 0);
	assert_int_equal(ch, 'A');
	assert_int_equal(i, 3);
	i = 4;
	assert_int_equal(pct_escape(in, sizeof(in) - 1, &i, &ch), 0);
	assert_int_equal(ch, '~');
	i = 7;
	assert_int_equal(pct_escape(in, sizeof(in) - 1, &i, &ch), 0);
	assert_int_equal(ch, '/');
	i = 10; /* NUL is the caller's to refuse */
	assert_int_equal(pct_escape(in, sizeof(in) - 1, &i, &ch), 0);
	assert_int_equal(ch, 0);
	assert_int_equal(i, 12);
	i = 13; /* not hex */
	assert_int_equal(pct_escape(in, sizeof(in) - 1, &i, &ch), ERR_PARSE);
	assert_int_equal(i, 13);
	i = 16; /* one digit at the end */
	assert_int_equal(pct_escape(in, sizeof(in) - 1, &i, &ch), ERR_PARSE);
	i = 0; /* "%4" alone */
	assert_int_equal(pct_escape((const unsigned char *)"%4", 2, &i, &ch), ERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_opt_value),
	    cmocka_unit_test(test_uint),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_pct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
