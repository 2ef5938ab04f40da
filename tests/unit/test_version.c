/*
 * test_version.c: the three version orders (upstream, dpkg, rpm) as tables
 * of {a, b, expected}, each row also checked swapped (antisymmetry), plus
 * absurd inputs: 1000-digit numbers and 10 MB strings in linear time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/core.h"
#include "cpe/cpe.h"
#include "cpe/cpe_int.h"

struct vrow {
	const char *a;
	const char *b;
	int want;
};

typedef int (*cmp_fn)(const char *, size_t, const char *, size_t);

static void run_table(const char *name, cmp_fn fn, const struct vrow *rows, size_t n)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		int got = fn(rows[i].a, strlen(rows[i].a), rows[i].b, strlen(rows[i].b));
		int rev = fn(rows[i].b, strlen(rows[i].b), rows[i].a, strlen(rows[i].a));

		if (got != rows[i].want || rev != -rows[i].want) {
			print_error("%s row %zu: cmp(\"%s\", \"%s\") = %d (swapped %d), want %d\n",
				    name, i, rows[i].a, rows[i].b, got, rev, rows[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static const struct vrow upstream_rows[] = {
    /* OpenSSH portable p-levels */
    {"9.2p1", "9.3", -1},
    {"9.3", "9.3p1", -1},
    {"9.2p1", "9.3p1", -1},
    {"9.3p1", "9.3p2", -1},
    {"9.9p1", "9.9p2", -1},
    {"9.9p2", "10.0p1", -1},
    {"9.2P1", "9.2p1", 0},
    {"9.8p1", "9.8", 1},
    {"9.5p1", "9.2p1", 1},
    /* OpenSSL letter releases */
    {"1.0.1f", "1.0.1g", -1},
    {"1.0.1g", "1.0.2", -1},
    {"1.0.2zg", "1.0.2z", 1},
    {"1.0.2z", "1.0.2y", 1},
    {"1.0.2za", "1.0.2z", 1},
    {"1.0.2zg", "1.1.1", -1},
    {"1.1.1t", "1.1.1s", 1},
    {"1.1.1w", "3.0.0", -1},
    {"3.0.8", "3.0.7", 1},
    /* plain numbers */
    {"2.4.62", "2.4.9", 1},
    {"2.4.10", "2.4.9", 1},
    {"7.0.11", "7.0.9", 1},
    {"6.2.14", "6.2.2", 1},
    {"10", "9", 1},
    {"007", "7", 0},
    {"1.0", "1.0.1", -1},
    {"1.22.0", "1.22.1", -1},
    {"1.22", "1.22.0", 0},
    {"2.0", "2.0.0", 0},
    {"1.0.0", "1", 0},
    {"8.0.34", "8.0", 1},
    {"5.7.43", "8.0", -1},
    {"9.18.15", "9.16.41", 1},
    {"4.17.12", "4.18.0", -1},
    /* separators */
    {"1_2_3", "1.2.3", 0},
    {"1-2-3", "1.2.3", 0},
    {"2.0-beta", "2.0beta", 0},
    /* pre-releases sort before the release */
    {"2.0rc1", "2.0", -1},
    {"2.0-beta", "2.0", -1},
    {"2.0alpha1", "2.0beta1", -1},
    {"2.0beta2", "2.0rc1", -1},
    {"2.0rc1", "2.0rc2", -1},
    {"2.0dev", "2.0alpha", -1},
    {"2.0-pre1", "2.0rc1", -1},
    {"2.0-preview1", "2.0-pre1", 0},
    {"2.0RC1", "2.0rc1", 0},
    {"2.0.0rc1", "2.0rc1", 0},
    {"2.0.1", "2.0rc1", 1},
    {"2.6.0rc1", "2.6.0", -1},
    {"2.6.0rc1", "2.5.9", 1},
    {"2.0~rc1", "2.0", -1},
    {"2.0beta", "2.0beta2", -1},
    /* other letters are post-release; numbers beat letters */
    {"1.0a", "1.0", 1},
    {"2.0b1", "2.0", 1},
    {"1.0a", "1.0.1", -1},
    {"1.2.3+build5", "1.2.3", 1},
    {"r22", "1.22.1", -1},
    {"abc", "abd", -1},
    {"", "0", 0},
    {"", "1", -1},
};

static void test_upstream(void **state)
{
	(void)state;
	assert_true(ARRAY_SIZE(upstream_rows) >= 40);
	run_table("upstream", version_cmp_upstream, upstream_rows, ARRAY_SIZE(upstream_rows));
}

static const struct vrow dpkg_rows[] = {
    {"1.0~rc1", "1.0", -1},
    {"1:0.9", "2.0", 1},
    {"1.0-1", "1.0-1+deb12u1", -1},
    {"2.4.62-1~deb12u2", "2.4.62-1", -1},
    {"1.0", "1.0-0", 0},
    {"1.0", "0:1.0", 0},
    /* Debian policy 5.6.12: ~~ < ~~a < ~ < (nothing) < a */
    {"1.0~~", "1.0~~a", -1},
    {"1.0~~a", "1.0~", -1},
    {"1.0~", "1.0", -1},
    {"1.0", "1.0a", -1},
    {"1.0a", "1.0+", -1},
    {"1.0+", "1.0.", -1},
    {"1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u2", 1},
    {"1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u10", -1},
    {"1:9.2p1-2+deb12u3", "9.9p1-1", 1},
    {"9.2p1-2", "9.3p1-1", -1},
    {"2.4.57-2", "2.4.62-1~deb12u1", -1},
    {"1.22.1-9", "1.22.1-8", 1},
    {"1.22.1-9+deb12u1", "1.22.1-9", 1},
    {"3.0.11-1~deb12u2", "3.0.11-1~deb12u3", -1},
    {"3.0.11-1~deb12u2", "3.0.13-1~deb12u1", -1},
    {"5:7.0.15-1~deb12u1", "7.0.15-1", 1},
    {"1.0-1", "1.0-1", 0},
    {"0.9", "0.10", -1},
    {"1.002", "1.2", 0},
    {"1.0-1", "1.0-2", -1},
    {"1.0-a", "1.0-b", -1},
    {"1:1.0", "2:0.1", -1},
    {"10:1.0", "9:5.0", 1},
    {"1.0-1-1", "1.0-1", 1},
    {"1.0.0", "1.0", 1},
    {"2.0~beta1", "2.0~rc1", -1},
    {"2.0~rc1", "2.0~rc1+dfsg", -1},
    {"1.18.0-6.1+deb11u3", "1.22.1-9", -1},
    {"2.36-9+deb12u4", "2.36-9+deb12u10", -1},
    {"a", "b", -1},
};

static void test_dpkg(void **state)
{
	(void)state;
	assert_true(ARRAY_SIZE(dpkg_rows) >= 30);
	run_table("dpkg", version_cmp_dpkg, dpkg_rows, ARRAY_SIZE(dpkg_rows));
}

/* Rows from rpm's own tests/rpmvercmp.at where they exist. */
static const struct vrow rpm_rows[] = {
    {"1.0", "1.0", 0},
    {"1.0", "2.0", -1},
    {"2.0.1", "2.0", 1},
    {"2.0", "2_0", 0},
    {"5.5p1", "5.5p2", -1},
    {"5.5p10", "5.5p1", 1},
    {"10xyz", "10.1xyz", -1},
    {"xyz10", "xyz10.1", -1},
    {"xyz.4", "8", -1},
    {"1.0010", "1.9", 1},
    {"1.05", "1.5", 0},
    {"1.0a", "1.0", 1},
    {"1.0a", "1.0.1", -1},
    {"1.0~rc1", "1.0", -1},
    {"1.0~rc1", "1.0~rc2", -1},
    {"1.0~rc1~git123", "1.0~rc1", -1},
    {"1.0^", "1.0", 1},
    {"1.0^git1", "1.0", 1},
    {"1.0^git1", "1.01", -1},
    {"1.0^20160101", "1.0.1", -1},
    {"1.0^git1", "1.0^git2", -1},
    {"1.0~rc1^git1", "1.0~rc1", 1},
    {"1.0^git1~pre", "1.0^git1", -1},
    {"1.0^git1", "1.0~rc1", 1},
};

static void test_rpm(void **state)
{
	(void)state;
	assert_true(ARRAY_SIZE(rpm_rows) >= 15);
	run_table("rpm", version_cmp_rpm, rpm_rows, ARRAY_SIZE(rpm_rows));
}

static const struct vrow rpm_evr_rows[] = {
    {"1:1.0-1", "2.0-1", 1}, {"1.0-1", "1.0-2", -1},  {"1.0", "1.0-5", 0},
    {"0:1.0-1", "1.0-1", 0}, {"2:1.0", "10:0.1", -1}, {"8.7p1-38.el9", "8.7p1-38.el9_4.1", -1},
};

static void test_rpm_evr(void **state)
{
	(void)state;
	run_table("rpm_evr", version_cmp_rpm_evr, rpm_evr_rows, ARRAY_SIZE(rpm_evr_rows));
}

static void test_dpkg_upstream(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
	    {"1:9.2p1-2+deb12u3", "9.2p1"},   {"2.4.62-1~deb12u2", "2.4.62"}, {"1.0", "1.0"},
	    {"5:7.0.15-1~deb12u1", "7.0.15"}, {"1.0-1-1", "1.0-1"},	      {"", ""},
	};
	size_t i, off, len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		version_dpkg_upstream(rows[i].in, strlen(rows[i].in), &off, &len);
		assert_int_equal(len, strlen(rows[i].want));
		assert_memory_equal(rows[i].in + off, rows[i].want, len);
	}
}

static void test_pre_rank(void **state)
{
	(void)state;
	assert_int_equal(version_pre_rank((const unsigned char *)"RC", 2), 5);
	assert_int_equal(version_pre_rank((const unsigned char *)"p", 1), 0);
	assert_true(version_pre_rank((const unsigned char *)"dev", 3) <
		    version_pre_rank((const unsigned char *)"alpha", 5));
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(ul * times + tl + 1);

	assert_non_null(s);
	for (i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	memcpy(s + ul * times, tail, tl + 1);
	return s;
}

static const cmp_fn all_cmps[] = {version_cmp_upstream, version_cmp_dpkg, version_cmp_rpm,
				  version_cmp_rpm_evr};

/* 1000-digit numbers: compared exactly, no overflow. */
static void test_huge_numbers(void **state)
{
	char *big = repeat("0", 1000, ""), *nines = repeat("9", 999, "");
	char *zeros = repeat("0", 10000, "1");
	size_t i;

	(void)state;
	big[0] = '1'; /* 10^999 */
	for (i = 0; i < ARRAY_SIZE(all_cmps); i++) {
		assert_int_equal(all_cmps[i](big, strlen(big), nines, strlen(nines)), 1);
		assert_int_equal(all_cmps[i](nines, strlen(nines), big, strlen(big)), -1);
		assert_int_equal(all_cmps[i](zeros, strlen(zeros), "1", 1), 0);
		assert_int_equal(all_cmps[i](big, strlen(big), big, strlen(big)), 0);
	}
	free(big);
	free(nines);
	free(zeros);
}

/*
 * 10 MB inputs: linear time, no recursion, no allocation. A quadratic
 * comparator would need hours here, so a generous CPU-time bound (not wall
 * time: the test machine may be loaded, the build unoptimised) still fails
 * it for sure.
 */
static void test_huge_strings(void **state)
{
	const size_t n = 5u << 20; /* "1." units: 10 MB */
	char *a = repeat("1.", n, "2"), *b = repeat("1.", n, "1");
	char *z = repeat("0.", n, "a"), *zr = repeat("0.", n, "rc1");
	int got[ARRAY_SIZE(all_cmps) + 4];
	clock_t t0, t1;
	double secs;
	size_t i;

	(void)state;
	t0 = clock();
	for (i = 0; i < ARRAY_SIZE(all_cmps); i++)
		got[i] = all_cmps[i](a, strlen(a), b, strlen(b));
	got[i++] = version_cmp_upstream(b, strlen(b), a, strlen(a));
	/* a long run of zeros before a letter: the look-ahead stays linear */
	got[i++] = version_cmp_upstream(z, strlen(z), "0.a", 3);
	got[i++] = version_cmp_upstream(zr, strlen(zr), "0", 1);
	got[i++] = version_cmp_upstream(zr, strlen(zr), "rc1", 3);
	t1 = clock();
	secs = (double)(t1 - t0) / CLOCKS_PER_SEC;
	print_message("10 MB comparisons took %.2f s of CPU\n", secs);
	free(a);
	free(b);
	free(z);
	free(zr);
	for (i = 0; i < ARRAY_SIZE(all_cmps); i++)
		assert_int_equal(got[i], 1);
	assert_int_equal(got[i], -1);
	assert_int_equal(got[i + 1], 1);
	assert_int_equal(got[i + 2], -1);
	assert_int_equal(got[i + 3], 0);
	assert_true(secs < 120.0);
}

/* Embedded NULs and high bytes are just bytes; NULL with length 0 works. */
static void test_odd_bytes(void **state)
{
	static const char x[] = "1.0\0003", y[] = "1.0\0004";
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(all_cmps); i++) {
		assert_int_equal(all_cmps[i](x, 5, y, 5), -1);
		assert_int_equal(all_cmps[i](NULL, 0, NULL, 0), 0);
		assert_int_equal(all_cmps[i]("\xff\xfe", 2, "\xff\xfe", 2), 0);
	}
	assert_int_equal(version_cmp_upstream("1.\xc3\xa9"
					      "2",
					      5, "1.2", 3),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_upstream),	  cmocka_unit_test(test_dpkg),
	    cmocka_unit_test(test_rpm),		  cmocka_unit_test(test_rpm_evr),
	    cmocka_unit_test(test_dpkg_upstream), cmocka_unit_test(test_pre_rank),
	    cmocka_unit_test(test_huge_numbers),  cmocka_unit_test(test_huge_strings),
	    cmocka_unit_test(test_odd_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
