/*
 * test_vuln_index.c: the index's version keys (src/vuln/vkey.c) against
 * version_cmp_upstream: memcmp order of keys must be the comparator's order
 * for every pair, on a table of tricky versions and on random strings over
 * an alphabet of digits, letters, pre-release words and separators.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln_int.h"

static int key_cmp(const char *a, const char *b)
{
	uint8_t ka[VIX_KEY_MAX], kb[VIX_KEY_MAX];
	size_t na, nb;

	assert_int_equal(vkey_encode(a, strlen(a), ka, sizeof(ka), &na), 0);
	assert_int_equal(vkey_encode(b, strlen(b), kb, sizeof(kb), &nb), 0);
	return vkey_cmp(ka, na, kb, nb);
}

static void check_pair(const char *a, const char *b)
{
	int want = version_cmp_upstream(a, strlen(a), b, strlen(b));
	int got = key_cmp(a, b);

	if (want != got)
		fail_msg("'%s' vs '%s': comparator %d, keys %d", a, b, want, got);
}

static const char *const table[] = {
    "",	       "0",	   "00",       "0.0",	     "1",	  "1.0",
    "1.0.0",   "1.00",	   "1.0.1",    "1.0.1f",     "1.0.1g",	  "1.0.2z",
    "1.0.2zg", "2.0rc1",   "2.0.0rc1", "2rc1",	     "2.0-rc1",	  "2.0-beta",
    "2.0dev",  "2.0alpha", "2.0pre",   "2.0preview", "2.0",	  "2.0.1",
    "9.2p1",   "9.2",	   "9.3",      "9.3p1",	     "9.8",	  "9.8p1",
    "10.0",    "1.22.0",   "1.22.1",   "0.9.8",	     "r22",	  "R22",
    "1rc1",    "1.0a",	   "1.0x0",    "1.0.0.0a",   "5.",	  "10-2",
    "1_2",     "1..2",	   "a",	       "A",	     "rc",	  "RC1",
    "0.0rc",   "1.0.0-",   "007",      "7",	     "1.2.3.4.5", "99999999999999999999",
    "1e10",    "2.4.55",   "2.4.9",    "2:1.0",	     "1.0~rc1",	  "1.0+deb",
    "beta",    "0a",	   "0.a"};

static void test_vkey_table(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++)
		for (k = 0; k < ARRAY_SIZE(table); k++)
			check_pair(table[i], table[k]);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 2685821657736338717ULL) >> 33) % n;
}

static void random_version(char *out, size_t size)
{
	static const char *const pieces[] = {
	    "0", "00", "1",    "2",   "10",  "01",	"9",	 ".", ".", "-", "_", "a", "b",
	    "p", "rc", "beta", "dev", "pre", "preview", "alpha", "Z", "x", "+", "~", "RC"};
	size_t n = 0, want = 1 + rnd(7), i;

	out[0] = '\0';
	for (i = 0; i < want; i++) {
		const char *p = pieces[rnd(ARRAY_SIZE(pieces))];
		size_t l = strlen(p);

		if (n + l + 1 >= size)
			break;
		memcpy(out + n, p, l + 1);
		n += l;
	}
}

static void test_vkey_random(void **state)
{
	char a[64], b[64];
	long i;

	(void)state;
	for (i = 0; i < 300000; i++) {
		random_version(a, sizeof(a));
		if (rnd(4) == 0)
			memcpy(b, a, sizeof(b)); /* equal-ish pairs: change one piece */
		random_version(b, sizeof(b));
		check_pair(a, b);
	}
}

static void test_vkey_limits(void **state)
{
	char longv[300];
	uint8_t k[16];
	size_t n;

	(void)state;
	memset(longv, '1', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	/* 299 digits: a long number still orders (length then digits) */
	check_pair(longv, "2");
	assert_int_equal(vkey_encode(longv, strlen(longv), k, sizeof(k), &n), -1);
	assert_int_equal(vkey_base_len("9.1p1", 5), 3);
	assert_int_equal(vkey_base_len("1.0.2zg", 7), 5);
	assert_int_equal(vkey_base_len("2.0-rc1", 7), 3);
	assert_int_equal(vkey_base_len("2.0", 3), 3);
	assert_int_equal(vkey_base_len("r22", 3), 3);
	assert_true(vkey_prefix((const uint8_t *)"\x04\x01"
						 "1",
				3) < vkey_prefix((const uint8_t *)"\x04\x01"
								  "2",
						 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vkey_table),
	    cmocka_unit_test(test_vkey_random),
	    cmocka_unit_test(test_vkey_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
