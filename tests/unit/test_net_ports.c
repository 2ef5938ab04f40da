/*
 * test_net_ports.c: port list parsing: keywords, lists and ranges, the
 * order and dedup rules, errors naming the bad item, and the top-N table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "net/net.h"

struct ports_case {
	const char *spec;
	int err;	  /* expected return */
	size_t n;	  /* expected count */
	uint16_t head[6]; /* expected first ports (up to n or 6) */
	const char *bad;  /* substring expected in the error text */
};

static const struct ports_case cases[] = {
    {"22", 0, 1, {22}, NULL},
    {"22,80,443", 0, 3, {22, 80, 443}, NULL},
    {"443,80,443,22,80", 0, 3, {443, 80, 22}, NULL},
    {" 22 , 80 ", 0, 2, {22, 80}, NULL},
    {"8000-8100", 0, 101, {8000, 8001, 8002, 8003, 8004, 8005}, NULL},
    {"22,80,443,8000-8100", 0, 104, {22, 80, 443, 8000, 8001, 8002}, NULL},
    {"5-3", ERR_RANGE, 0, {0}, "\"5-3\""},
    {"65534-", 0, 2, {65534, 65535}, NULL},
    {"-3", 0, 3, {1, 2, 3}, NULL},
    {"-", 0, 65535, {1, 2, 3, 4, 5, 6}, NULL},
    {"all", 0, 65535, {1, 2, 3, 4, 5, 6}, NULL},
    {"ALL", 0, 65535, {1, 2, 3, 4, 5, 6}, NULL},
    {"443,all", 0, 65535, {443, 1, 2, 3, 4, 5}, NULL},
    {"top100", 0, 100, {80, 23, 443, 21, 22, 25}, NULL},
    {"top1000", 0, 1000, {80, 23, 443, 21, 22, 25}, NULL},
    {"top5,8080", 0, 6, {80, 23, 443, 21, 22, 8080}, NULL},
    {"22,top3", 0, 4, {22, 80, 23, 443}, NULL},
    {"443,top3", 0, 3, {443, 80, 23}, NULL},
    {"top1001", ERR_RANGE, 0, {0}, "top1001"},
    {"top0", ERR_RANGE, 0, {0}, "top0"},
    {"top", ERR_PARSE, 0, {0}, "\"top\""},
    {"topx", ERR_PARSE, 0, {0}, "topx"},
    {"0", ERR_RANGE, 0, {0}, "\"0\""},
    {"65535", 0, 1, {65535}, NULL},
    {"65536", ERR_RANGE, 0, {0}, "65536"},
    {"123456", ERR_RANGE, 0, {0}, "123456"},
    {"22,http", ERR_PARSE, 0, {0}, "\"http\""},
    {"22,,80", ERR_PARSE, 0, {0}, "empty"},
    {"", ERR_PARSE, 0, {0}, "empty"},
    {",", ERR_PARSE, 0, {0}, "empty"},
    {"22,", ERR_PARSE, 0, {0}, "empty"},
    {"1-2-3", ERR_PARSE, 0, {0}, "1-2-3"},
    {"+22", ERR_PARSE, 0, {0}, "+22"},
    {"22x", ERR_PARSE, 0, {0}, "22x"},
    {"\x01\xff", ERR_PARSE, 0, {0}, "\\x01\\xff"},
};

static void test_table(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ports_case *c = &cases[i];
		struct buf err = BUF_INIT;
		uint16_t *p = NULL;
		size_t n = 0;
		int r = net_ports_parse(c->spec, &p, &n, &err);

		if (r != c->err)
			fail_msg("spec \"%s\": got %d (%s) want %d", c->spec, r, err.ptr, c->err);
		if (r == 0) {
			assert_int_equal(n, c->n);
			for (k = 0; k < n && k < 6; k++)
				if (p[k] != c->head[k])
					fail_msg("spec \"%s\" [%zu]: %u != %u", c->spec, k, p[k],
						 c->head[k]);
		} else {
			assert_null(p);
			if (!strstr(err.ptr, c->bad))
				fail_msg("spec \"%s\": error \"%s\" lacks \"%s\"", c->spec, err.ptr,
					 c->bad);
		}
		free(p);
		buf_release(&err);
	}
}

/* No duplicates in any result; "all" is exactly 1..65535. */
static void test_all_unique(void **state)
{
	uint16_t *p = NULL;
	size_t n = 0, i;

	(void)state;
	assert_int_equal(net_ports_parse("80,1-65535,443", &p, &n, NULL), 0);
	assert_int_equal(n, 65535);
	assert_int_equal(p[0], 80);
	for (i = 1; i < 80; i++)
		assert_int_equal(p[i], i);
	assert_int_equal(p[80], 81);
	free(p);
}

/* The table: 1000 distinct non-zero ports, and the well-known facts of
 * nmap's list (80 first). */
static void test_top_table(void **state)
{
	uint8_t seen[65536] = {0};
	const uint16_t *t;
	size_t n, i;

	(void)state;
	t = net_ports_top(&n);
	assert_int_equal(n, 1000);
	for (i = 0; i < n; i++) {
		assert_true(t[i] != 0);
		assert_int_equal(seen[t[i]], 0);
		seen[t[i]] = 1;
	}
	assert_int_equal(t[0], 80);
	/* Spot checks of the set against `nmap --top-ports`. */
	assert_int_equal(seen[22], 1);
	assert_int_equal(seen[3389], 1);
	assert_int_equal(seen[49157], 1);
	assert_int_equal(seen[65000], 1);
	assert_int_equal(seen[2], 0);
}

/* top100 is exactly nmap's `--top-ports 100` set. */
static void test_top100_set(void **state)
{
	static const char nmap100[] =
	    "7,9,13,21-23,25-26,37,53,79-81,88,106,110-111,113,119,135,139,143-144,179,199,"
	    "389,427,443-445,465,513-515,543-544,548,554,587,631,646,873,990,993,995,1025-"
	    "1029,1110,1433,1720,1723,1755,1900,2000-2001,2049,2121,2717,3000,3128,3306,3389,"
	    "3986,4899,5000,5009,5051,5060,5101,5190,5357,5432,5631,5666,5800,5900,6000-6001,"
	    "6646,7070,8000,8008-8009,8080-8081,8443,8888,9100,9999-10000,32768,49152-49157";
	uint16_t *a = NULL, *b = NULL;
	size_t na = 0, nb = 0, i, k;

	(void)state;
	assert_int_equal(net_ports_parse("top100", &a, &na, NULL), 0);
	assert_int_equal(net_ports_parse(nmap100, &b, &nb, NULL), 0);
	assert_int_equal(na, 100);
	assert_int_equal(nb, 100);
	for (i = 0; i < na; i++) {
		for (k = 0; k < nb && b[k] != a[i]; k++)
			;
		if (k == nb)
			fail_msg("top100 port %u not in nmap's list", a[i]);
	}
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_all_unique),
	    cmocka_unit_test(test_top_table),
	    cmocka_unit_test(test_top100_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
