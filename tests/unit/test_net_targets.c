/*
 * test_net_targets.c: target expansion: literals, CIDR blocks and their
 * size limits, host name syntax, and name resolution through /etc/hosts
 * ("localhost") only, so no test depends on DNS.
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
#include "net/net_int.h"

struct targets_case {
	const char *spec;
	unsigned flags;
	int max;
	int err;
	size_t n;
	const char *first; /* address of the first target */
	const char *last;  /* address of the last target */
	const char *name0; /* name of the first target (NULL: = first) */
	const char *msg;   /* substring of the error text */
};

static const struct targets_case cases[] = {
    {"127.0.0.1", 0, 0, 0, 1, "127.0.0.1", "127.0.0.1", NULL, NULL},
    {" 127.0.0.1 ", 0, 0, 0, 1, "127.0.0.1", "127.0.0.1", "127.0.0.1", NULL},
    {"::1", 0, 0, 0, 1, "::1", "::1", NULL, NULL},
    {"[::1]", 0, 0, 0, 1, "::1", "::1", "[::1]", NULL},
    {"[127.0.0.1]", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "[127.0.0.1]"},
    {"2001:db8::1", 0, 0, 0, 1, "2001:db8::1", "2001:db8::1", NULL, NULL},
    {"127.77.0.0/30", 0, 0, 0, 4, "127.77.0.0", "127.77.0.3", NULL, NULL},
    {"127.77.0.9/30", 0, 0, 0, 4, "127.77.0.8", "127.77.0.11", "127.77.0.8", NULL},
    {"127.77.0.5/32", 0, 0, 0, 1, "127.77.0.5", "127.77.0.5", NULL, NULL},
    {"127.77.0.0/31", 0, 0, 0, 2, "127.77.0.0", "127.77.0.1", NULL, NULL},
    {"10.1.0.0/24", 0, 0, 0, 256, "10.1.0.0", "10.1.0.255", NULL, NULL},
    {"10.1.255.0/23", 0, 0, 0, 512, "10.1.254.0", "10.1.255.255", NULL, NULL},
    {"10.0.0.0/16", 0, 0, 0, 65536, "10.0.0.0", "10.0.255.255", NULL, NULL},
    {"10.0.0.0/15", 0, 0, ERR_TOO_BIG, 0, NULL, NULL, NULL, "/16"},
    {"0.0.0.0/0", 0, 0, ERR_TOO_BIG, 0, NULL, NULL, NULL, "too large"},
    {"10.0.0.0/15", NET_TARGETS_ANY_PREFIX, 0, ERR_TOO_BIG, 0, NULL, NULL, NULL, "limit"},
    {"10.0.0.0/15", NET_TARGETS_ANY_PREFIX, 200000, 0, 131072, "10.0.0.0", "10.1.255.255", NULL,
     NULL},
    {"0.0.0.0/0", NET_TARGETS_ANY_PREFIX, 0x7fffffff, ERR_TOO_BIG, 0, NULL, NULL, NULL, "limit"},
    {"10.0.0.0/24", 0, 100, ERR_TOO_BIG, 0, NULL, NULL, NULL, "limit"},
    {"10.0.0.0/33", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "prefix"},
    {"10.0.0.0/", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "prefix"},
    {"10.0.0.0/2x", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "prefix"},
    {"10.0.0.0/-1", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "prefix"},
    {"10.0.0/24", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "address"},
    {"example.com/24", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "address"},
    {"2001:db8::/120", 0, 0, 0, 256, "2001:db8::", "2001:db8::ff", NULL, NULL},
    {"2001:db8::ffff:1/112", 0, 0, 0, 65536, "2001:db8::ffff:0", "2001:db8::ffff:ffff", NULL, NULL},
    {"2001:db8::/111", 0, 0, ERR_TOO_BIG, 0, NULL, NULL, NULL, "/112"},
    {"::/0", NET_TARGETS_ANY_PREFIX, 0, ERR_TOO_BIG, 0, NULL, NULL, NULL, "limit"},
    {"2001:db8::ff/128", 0, 0, 0, 1, "2001:db8::ff", "2001:db8::ff", NULL, NULL},
    {"2001:db8::/129", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "prefix"},
    {"", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "empty"},
    {"   ", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "empty"},
    {"1.2.3", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "1.2.3"},
    {"256.1.1.1", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "256.1.1.1"},
    {"bad host!", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "bad host!"},
    {"-a.example", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "-a.example"},
    {"a..example", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "a..example"},
    {"::1%lo", 0, 0, ERR_PARSE, 0, NULL, NULL, NULL, "::1%lo"},
    {"example.com", NET_TARGETS_NO_RESOLVE, 0, ERR_RESOLVE, 0, NULL, NULL, NULL, "off"},
    {"localhost", 0, 0, 0, 0, "127.0.0.1", NULL, "localhost", NULL},
};

static void check_case(const struct targets_case *c)
{
	struct net_target *t = NULL;
	struct buf err = BUF_INIT;
	char as[NET_ADDRSTR_MAX];
	size_t n = 0;
	int r = net_targets_expand_flags(c->spec, c->max, c->flags, &t, &n, &err);

	if (r != c->err)
		fail_msg("spec \"%s\": got %d (%s) want %d", c->spec, r, err.ptr, c->err);
	if (r != 0) {
		assert_null(t);
		if (!strstr(err.ptr, c->msg))
			fail_msg("spec \"%s\": error \"%s\" lacks \"%s\"", c->spec, err.ptr,
				 c->msg);
		buf_release(&err);
		return;
	}
	if (c->n)
		assert_int_equal(n, c->n);
	assert_true(n >= 1);
	net_addr_str(&t[0].addr, as);
	if (c->first && strcmp(as, c->first) != 0 && c->n)
		fail_msg("spec \"%s\": first %s want %s", c->spec, as, c->first);
	assert_string_equal(t[0].name, c->name0 ? c->name0 : c->first);
	assert_int_equal(net_addr_port(&t[0].addr), 0);
	if (c->last) {
		net_addr_str(&t[n - 1].addr, as);
		assert_string_equal(as, c->last);
		assert_string_equal(t[n - 1].name, c->n > 1 ? c->last : t[0].name);
	}
	free(t);
	buf_release(&err);
}

static void test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&cases[i]);
}

/* localhost resolves through /etc/hosts: some loopback address, no dups. */
static void test_localhost(void **state)
{
	struct net_target *t = NULL;
	size_t n = 0, i, k;

	(void)state;
	assert_int_equal(net_targets_expand("localhost", 0, &t, &n, NULL), 0);
	assert_true(n >= 1 && n <= 4);
	for (i = 0; i < n; i++) {
		char as[NET_ADDRSTR_MAX];

		net_addr_str(&t[i].addr, as);
		assert_true(strncmp(as, "127.", 4) == 0 || strcmp(as, "::1") == 0);
		for (k = 0; k < i; k++)
			assert_false(t[k].addr.len == t[i].addr.len &&
				     memcmp(&t[k].addr.ss, &t[i].addr.ss, t[i].addr.len) == 0);
	}
	free(t);
}

/* A name that cannot exist (RFC 6761 .invalid) fails with ERR_RESOLVE and
 * the resolver's reason; no address leaks out. */
static void test_unresolvable(void **state)
{
	struct net_target *t = NULL;
	struct buf err = BUF_INIT;
	size_t n = 0;

	(void)state;
	assert_int_equal(net_targets_expand("no-such-host.invalid", 0, &t, &n, &err), ERR_RESOLVE);
	assert_null(t);
	assert_non_null(strstr(err.ptr, "cannot resolve: \"no-such-host.invalid\": "));
	assert_true(err.len > strlen("cannot resolve: \"no-such-host.invalid\": "));
	buf_release(&err);
}

struct hn_case {
	const char *s;
	int ok;
};

static void test_hostname_syntax(void **state)
{
	static const struct hn_case hc[] = {
	    {"example.com", 1},
	    {"example.com.", 1},
	    {"a", 1},
	    {"_dmarc.example.nl", 1},
	    {"xn--bcher-kva.de", 1},
	    {"a-b.c", 1},
	    {"1.2.3.4", 0},
	    {"1.2.3", 0},
	    {"123", 0},
	    {"a.123", 0},
	    {"", 0},
	    {".", 0},
	    {"a..b", 0},
	    {".a", 0},
	    {"a-.b", 0},
	    {"-a.b", 0},
	    {"a b", 0},
	    {"a/b", 0},
	    {"a.b-", 0},
	};
	char big[300];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(hc); i++)
		if (targets_valid_hostname(hc[i].s, strlen(hc[i].s)) != hc[i].ok)
			fail_msg("\"%s\" want %d", hc[i].s, hc[i].ok);
	memset(big, 'a', 64);
	assert_int_equal(targets_valid_hostname(big, 64), 0);
	assert_int_equal(targets_valid_hostname(big, 63), 1);
	for (i = 0; i < 254; i++)
		big[i] = (i % 2) ? '.' : 'a';
	assert_int_equal(targets_valid_hostname(big, 253), 1);
	assert_int_equal(targets_valid_hostname(big, 254), 1); /* trailing dot */
	big[253] = 'a';
	assert_int_equal(targets_valid_hostname(big, 255), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_localhost),
	    cmocka_unit_test(test_unresolvable),
	    cmocka_unit_test(test_hostname_syntax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
