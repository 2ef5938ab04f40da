/*
 * test_server_proxy.c: serve.trusted_proxies and X-Forwarded-For: the
 * list parser (addresses, CIDR v4/v6, host bits, caps) and that config
 * check agrees with it, block membership, and the right-to-left walk
 * (trusted hops skipped, garbage and caps refused, several header lines
 * as one list).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "core/core.h"
#include "server/server_int.h"

static const struct config_opt *trusted_opt(void)
{
	size_t n, i;
	const struct config_opt *t = wachter_config_table(&n);

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, "serve.trusted_proxies") == 0)
			return &t[i];
	return NULL;
}

static void test_list(void **state)
{
	static const struct {
		const char *in;
		int ok;
		size_t n;
	} cases[] = {
	    {"", 1, 0},
	    {"  ", 1, 0},
	    {"127.0.0.1", 1, 1},
	    {"127.0.0.1, ::1", 1, 2},
	    {" 10.0.0.0/8 ,192.168.1.0/24,fd00::/8 ", 1, 3},
	    {"0.0.0.0/0", 1, 1},
	    {"::/0", 1, 1},
	    {"10.1.2.3/32", 1, 1},
	    {"2001:db8::/32", 1, 1},
	    {"::ffff:10.0.0.0/104", 1, 1},
	    {"10.0.0.1/8", 0, 0},     /* host bits set */
	    {"2001:db8::1/32", 0, 0}, /* host bits set */
	    {"10.0.0.0/33", 0, 0},
	    {"::/129", 0, 0},
	    {"10.0.0.0/", 0, 0},
	    {"10.0.0.0/-1", 0, 0},
	    {"10.0.0.0/8x", 0, 0},
	    {"10.0.0.0/0008", 0, 0},
	    {"127.0.0.1,", 0, 0},
	    {",127.0.0.1", 0, 0},
	    {"127.0.0.1,,::1", 0, 0},
	    {"localhost", 0, 0},
	    {"127.1", 0, 0},
	    {"256.0.0.1", 0, 0},
	    {"[::1]", 0, 0},
	    {"127.0.0.1:80", 0, 0},
	    {"fe80::1%eth0", 0, 0},
	    {"127.0.0.1 ::1", 0, 0},
	};
	const struct config_opt *opt = trusted_opt();
	struct srv_proxies p;
	struct buf err = BUF_INIT;
	size_t i;

	(void)state;
	assert_non_null(opt);
	assert_non_null(opt->validate);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = srv_proxies_parse(cases[i].in, &p);
		int v = opt->validate(cases[i].in, &err);

		buf_reset(&err);
		if (cases[i].ok != (r == 0) || cases[i].ok != (v == 0))
			fail_msg("case %zu \"%s\": parse %d, config check %d", i, cases[i].in, r,
				 v);
		if (r == 0)
			assert_int_equal(p.n, cases[i].n);
	}
	buf_release(&err);
}

/* 64 entries are fine, 65 are not (server and config check alike). */
static void test_list_cap(void **state)
{
	char s[65 * 16] = "";
	struct srv_proxies p;
	struct buf err = BUF_INIT;
	const struct config_opt *opt = trusted_opt();
	size_t i, len = 0;

	(void)state;
	for (i = 0; i < SRV_PROXIES_MAX; i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len, "%s10.0.%zu.1", i ? "," : "", i);
	assert_int_equal(srv_proxies_parse(s, &p), 0);
	assert_int_equal(p.n, SRV_PROXIES_MAX);
	assert_int_equal(opt->validate(s, &err), 0);
	snprintf(s + len, sizeof(s) - len, ",10.1.0.1");
	assert_int_equal(srv_proxies_parse(s, &p), ERR_INVAL);
	assert_int_not_equal(opt->validate(s, &err), 0);
	buf_release(&err);
}

static struct srv_ip ip(const char *s)
{
	struct srv_ip a;

	memset(&a, 0, sizeof(a));
	if (strchr(s, ':')) {
		assert_int_equal(inet_pton(AF_INET6, s, a.a), 1);
		a.family = AF_INET6;
	} else {
		assert_int_equal(inet_pton(AF_INET, s, a.a), 1);
		a.family = AF_INET;
	}
	return a;
}

static void test_has(void **state)
{
	static const struct {
		const char *addr;
		int in;
	} cases[] = {
	    {"127.0.0.1", 1},	  {"127.0.0.2", 0},
	    {"10.0.0.0", 1},	  {"10.255.255.255", 1},
	    {"11.0.0.0", 0},	  {"9.255.255.255", 0},
	    {"192.168.4.7", 1},	  {"192.168.8.0", 0},
	    {"192.168.7.255", 1}, {"::1", 1},
	    {"::2", 0},		  {"fd12:3456::9", 1},
	    {"fe00::1", 0},	  {"2001:db8:0:ff::1", 1},
	    {"2001:db8:1::", 0},  {"0.0.0.1", 0},
	};
	struct srv_proxies p;
	size_t i;

	(void)state;
	assert_int_equal(
	    srv_proxies_parse("127.0.0.1,10.0.0.0/8,192.168.4.0/22,::1,fd00::/8,2001:db8:0::/48",
			      &p),
	    0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct srv_ip a = ip(cases[i].addr);

		if (srv_proxies_has(&p, &a) != cases[i].in)
			fail_msg("case %zu %s", i, cases[i].addr);
	}
}

/* An IPv4-mapped peer (dual-stack listener) is the IPv4 address. */
static void test_mapped(void **state)
{
	struct sockaddr_in6 s6;
	struct srv_proxies p;
	struct srv_ip a;
	char out[INET6_ADDRSTRLEN];

	(void)state;
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "::ffff:127.0.0.1", &s6.sin6_addr), 1);
	assert_int_equal(srv_ip_of_sockaddr((const struct sockaddr *)&s6, &a), 0);
	assert_int_equal(a.family, AF_INET);
	srv_ip_str(&a, out, sizeof(out));
	assert_string_equal(out, "127.0.0.1");
	assert_int_equal(srv_proxies_parse("127.0.0.0/8", &p), 0);
	assert_int_equal(srv_proxies_has(&p, &a), 1);
	assert_int_equal(srv_proxies_parse("::ffff:127.0.0.0/104", &p), 0);
	assert_int_equal(srv_proxies_has(&p, &a), 1);
}

static void test_xff(void **state)
{
	static const struct {
		const char *h1, *h2; /* h2 NULL: one header line */
		int r;
		const char *want;
	} cases[] = {
	    /* nginx appended the client; everything before is the client's */
	    {"198.51.100.7", NULL, 0, "198.51.100.7"},
	    {"203.0.113.9, 198.51.100.7", NULL, 0, "198.51.100.7"},
	    {"garbage, 198.51.100.7", NULL, 0, "198.51.100.7"},
	    {"1.2.3.4,198.51.100.7,10.0.0.5", NULL, 0, "198.51.100.7"}, /* inner proxy skipped */
	    {"198.51.100.7, 10.0.0.5, 127.0.0.1", NULL, 0, "198.51.100.7"},
	    {"  2001:db8::7  ", NULL, 0, "2001:db8::7"},
	    {"2001:0db8:0000::0007", NULL, 0, "2001:db8::7"}, /* one spelling per address */
	    {"::ffff:198.51.100.7", NULL, 0, "198.51.100.7"},
	    {"198.51.100.7,::1", NULL, 0, "198.51.100.7"},
	    /* several header lines are one list, in order */
	    {"203.0.113.9", "198.51.100.7", 0, "198.51.100.7"},
	    {"198.51.100.7", "10.0.0.5", 0, "198.51.100.7"},
	    {"198.51.100.7", "", ERR_PARSE, NULL},
	    /* refused: the peer is used */
	    {"", NULL, ERR_PARSE, NULL},
	    {" ", NULL, ERR_PARSE, NULL},
	    {"198.51.100.7,", NULL, ERR_PARSE, NULL},
	    {"unknown", NULL, ERR_PARSE, NULL},
	    {"198.51.100.7:4711", NULL, ERR_PARSE, NULL},
	    {"[2001:db8::7]", NULL, ERR_PARSE, NULL},
	    {"for=198.51.100.7", NULL, ERR_PARSE, NULL},
	    {"198.51.100.7 10.0.0.5", NULL, ERR_PARSE, NULL},
	    {"1.2.3.4, garbage, 10.0.0.5", NULL, ERR_PARSE, NULL},
	    {"fe80::1%eth0", NULL, ERR_PARSE, NULL},
	    {"198.51.100.07", NULL, ERR_PARSE, NULL},
	    {"10.0.0.5, 127.0.0.1", NULL, ERR_NOTFOUND, NULL},
	};
	struct srv_proxies p;
	struct srv_ip a;
	char out[INET6_ADDRSTRLEN];
	size_t i;

	(void)state;
	assert_int_equal(srv_proxies_parse("127.0.0.1,::1,10.0.0.0/8", &p), 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *vals[2] = {cases[i].h1, cases[i].h2};
		size_t lens[2] = {strlen(cases[i].h1), cases[i].h2 ? strlen(cases[i].h2) : 0};
		int r = srv_xff_client(&p, vals, lens, cases[i].h2 ? 2 : 1, &a);

		if (r != cases[i].r)
			fail_msg("case %zu \"%s\": %d, want %d", i, cases[i].h1, r, cases[i].r);
		if (r == 0) {
			srv_ip_str(&a, out, sizeof(out));
			if (strcmp(out, cases[i].want) != 0)
				fail_msg("case %zu: %s, want %s", i, out, cases[i].want);
		}
	}
}

/* The walk reads at most SRV_XFF_ENTRIES_MAX entries and
 * SRV_XFF_BYTES_MAX bytes from the right: padding on the client's left
 * does not matter, a chain of trusted hops over the caps is refused. */
static void test_xff_caps(void **state)
{
	char big[8192];
	const char *vals[SRV_XFF_HEADERS_MAX + 1];
	size_t lens[SRV_XFF_HEADERS_MAX + 1], i, len = 0;
	struct srv_proxies p;
	struct srv_ip a;
	char out[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(srv_proxies_parse("10.0.0.0/8", &p), 0);
	/* 500 client-sent entries, then the client nginx saw */
	for (i = 0; i < 500; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "1.2.3.%zu,", i % 250);
	len += (size_t)snprintf(big + len, sizeof(big) - len, "198.51.100.7");
	vals[0] = big;
	lens[0] = len;
	assert_int_equal(srv_xff_client(&p, vals, lens, 1, &a), 0);
	srv_ip_str(&a, out, sizeof(out));
	assert_string_equal(out, "198.51.100.7");
	/* SRV_XFF_ENTRIES_MAX trusted hops: the client is one too many */
	len = (size_t)snprintf(big, sizeof(big), "198.51.100.7");
	for (i = 0; i < SRV_XFF_ENTRIES_MAX; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, ",10.0.0.%zu", i);
	lens[0] = len;
	assert_int_equal(srv_xff_client(&p, vals, lens, 1, &a), ERR_TOO_BIG);
	/* one fewer hop: found */
	big[len - strlen(",10.0.0.15")] = '\0';
	lens[0] = strlen(big);
	assert_int_equal(srv_xff_client(&p, vals, lens, 1, &a), 0);
	/* one entry longer than the byte cap, rightmost */
	memset(big, '1', 2000);
	lens[0] = 2000;
	assert_int_equal(srv_xff_client(&p, vals, lens, 1, &a), ERR_TOO_BIG);
	/* an entry over the byte cap left of the client is never read */
	big[2000] = ',';
	memcpy(big + 2001, "198.51.100.7", 12);
	lens[0] = 2013;
	assert_int_equal(srv_xff_client(&p, vals, lens, 1, &a), 0);
	/* too many header lines */
	for (i = 0; i <= SRV_XFF_HEADERS_MAX; i++) {
		vals[i] = "198.51.100.7";
		lens[i] = 12;
	}
	assert_int_equal(srv_xff_client(&p, vals, lens, SRV_XFF_HEADERS_MAX, &a), 0);
	assert_int_equal(srv_xff_client(&p, vals, lens, SRV_XFF_HEADERS_MAX + 1, &a), ERR_TOO_BIG);
	/* no NUL needed: the value ends at its length */
	vals[0] = "198.51.100.7, 10.0.0.1XYZ";
	lens[0] = 22;
	assert_int_equal(srv_xff_client(&p, vals, lens, 1, &a), 0);
	srv_ip_str(&a, out, sizeof(out));
	assert_string_equal(out, "198.51.100.7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list), cmocka_unit_test(test_list_cap),
	    cmocka_unit_test(test_has),	 cmocka_unit_test(test_mapped),
	    cmocka_unit_test(test_xff),	 cmocka_unit_test(test_xff_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
