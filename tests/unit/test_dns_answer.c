/*
 * test_dns_answer.c: dns_answer_from_wire on messages built with ldns:
 * per-type fields (A, AAAA, MX incl. Null MX, TXT joined strings, CAA,
 * TLSA, NS), CNAME chains and loops, records of other names or types
 * ignored, the record cap, malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>

#include "dns/dns_int.h"

/* wire: a response with rcode and the answer records given as text. */
static uint8_t *wire(int rcode, const char *const *rrs, size_t *len)
{
	ldns_pkt *p = ldns_pkt_new();
	uint8_t *w = NULL;

	assert_non_null(p);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	for (size_t i = 0; rrs && rrs[i]; i++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, rrs[i], 300, NULL, NULL) != LDNS_STATUS_OK)
			fail_msg("bad test record %s", rrs[i]);
		assert_true(ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr));
	}
	assert_int_equal(ldns_pkt2wire(&w, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return w;
}

struct ans_case {
	const char *qname;
	uint16_t qtype;
	int rcode;
	const char *rrs[6];
	size_t n;
	const char *text0; /* rr[0].text or data */
	int n_cname;
	const char *cname;
};

static const struct ans_case cases[] = {
    {"a.example",
     LDNS_RR_TYPE_A,
     0,
     {"a.example. IN A 192.0.2.1", "a.example. IN A 192.0.2.2"},
     2,
     "192.0.2.1",
     0,
     ""},
    {"A.Example.", LDNS_RR_TYPE_A, 0, {"a.example. IN A 192.0.2.1"}, 1, "192.0.2.1", 0, ""},
    {"a.example",
     LDNS_RR_TYPE_AAAA,
     0,
     {"a.example. IN AAAA 2001:db8::1", "a.example. IN A 192.0.2.1"},
     1,
     "2001:db8::1",
     0,
     ""},
    {"a.example", LDNS_RR_TYPE_A, 0, {"b.example. IN A 192.0.2.1"}, 0, NULL, 0, ""},
    {"m.example",
     LDNS_RR_TYPE_MX,
     0,
     {"m.example. IN MX 10 MX1.m.example."},
     1,
     "mx1.m.example",
     0,
     ""},
    {"m.example", LDNS_RR_TYPE_MX, 0, {"m.example. IN MX 0 ."}, 1, "", 0, ""},
    {"t.example",
     LDNS_RR_TYPE_TXT,
     0,
     {"t.example. IN TXT \"v=spf1 \" \"-all\""},
     1,
     "v=spf1 -all",
     0,
     ""},
    {"t.example",
     LDNS_RR_TYPE_NS,
     0,
     {"t.example. IN NS ns1.t.example."},
     1,
     "ns1.t.example",
     0,
     ""},
    {"www.example",
     LDNS_RR_TYPE_A,
     0,
     {"www.example. IN CNAME x.example.", "x.example. IN CNAME y.example.",
      "y.example. IN A 192.0.2.7"},
     1,
     "192.0.2.7",
     2,
     "y.example"},
    {"www.example",
     LDNS_RR_TYPE_A,
     3,
     {"www.example. IN CNAME gone.example."},
     0,
     NULL,
     1,
     "gone.example"},
    {"l.example",
     LDNS_RR_TYPE_A,
     0,
     {"l.example. IN CNAME k.example.", "k.example. IN CNAME l.example."},
     0,
     NULL,
     17,
     ""},
    {"c.example",
     LDNS_RR_TYPE_CAA,
     0,
     {"c.example. IN CAA 0 issue \"letsencrypt.org\""},
     1,
     "issue",
     0,
     ""},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ans_case *c = &cases[i];
		struct dns_answer a;
		size_t len;
		uint8_t *w = wire(c->rcode, c->rrs, &len);

		assert_int_equal(dns_answer_from_wire(w, len, c->qname, c->qtype, &a), 0);
		if (a.n != c->n || a.rcode != c->rcode || a.n_cname != c->n_cname)
			fail_msg("case %zu: n=%zu rcode=%d n_cname=%d", i, a.n, a.rcode, a.n_cname);
		if (c->text0) {
			const char *got = c->qtype == LDNS_RR_TYPE_TXT ? (const char *)a.rr[0].data
								       : a.rr[0].text;

			assert_string_equal(got, c->text0);
		}
		if (c->n_cname && c->n_cname <= 16)
			assert_string_equal(a.cname, c->cname);
		dns_answer_release(&a);
		free(w);
	}
}

static void test_fields(void **state)
{
	static const char *const caa[] = {"c.example. IN CAA 128 iodef \"mailto:x@c.example\"",
					  NULL};
	static const char *const tlsa[] = {
	    "_25._tcp.mx.example. IN TLSA 3 1 1 "
	    "0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
	    NULL};
	static const char *const mx[] = {"m.example. IN MX 20 b.example.", NULL};
	struct dns_answer a;
	size_t len;
	uint8_t *w;

	(void)state;
	w = wire(0, caa, &len);
	assert_int_equal(dns_answer_from_wire(w, len, "c.example", LDNS_RR_TYPE_CAA, &a), 0);
	assert_int_equal(a.rr[0].u[0], 128);
	assert_string_equal(a.rr[0].text, "iodef");
	assert_string_equal((const char *)a.rr[0].data, "mailto:x@c.example");
	dns_answer_release(&a);
	free(w);
	w = wire(0, tlsa, &len);
	assert_int_equal(dns_answer_from_wire(w, len, "_25._tcp.mx.example", LDNS_RR_TYPE_TLSA, &a),
			 0);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.rr[0].u[0], 3);
	assert_int_equal(a.rr[0].u[1], 1);
	assert_int_equal(a.rr[0].u[2], 1);
	assert_int_equal(a.rr[0].dlen, 32);
	assert_int_equal(a.rr[0].data[0], 0x0c);
	dns_answer_release(&a);
	free(w);
	w = wire(0, mx, &len);
	assert_int_equal(dns_answer_from_wire(w, len, "m.example", LDNS_RR_TYPE_MX, &a), 0);
	assert_int_equal(a.rr[0].pref, 20);
	dns_answer_release(&a);
	free(w);
}

static void test_cap_and_garbage(void **state)
{
	ldns_pkt *p = ldns_pkt_new();
	struct dns_answer a;
	uint8_t *w = NULL;
	size_t len;
	char rr_s[80];

	(void)state;
	for (int i = 0; i < DNS_MAX_RRS + 10; i++) {
		ldns_rr *rr = NULL;

		snprintf(rr_s, sizeof(rr_s), "big.example. IN A 10.0.%d.%d", i / 200, i % 200);
		assert_int_equal(ldns_rr_new_frm_str(&rr, rr_s, 300, NULL, NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	assert_int_equal(ldns_pkt2wire(&w, p, &len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	assert_int_equal(dns_answer_from_wire(w, len, "big.example", LDNS_RR_TYPE_A, &a), 0);
	assert_int_equal(a.n, DNS_MAX_RRS);
	assert_true(a.truncated);
	dns_answer_release(&a);
	/* Cut short: a parse error, nothing kept. */
	assert_int_equal(dns_answer_from_wire(w, len / 2, "big.example", LDNS_RR_TYPE_A, &a),
			 ERR_PARSE);
	assert_int_equal(a.n, 0);
	assert_int_equal(dns_answer_from_wire(w, 5, "big.example", LDNS_RR_TYPE_A, &a), ERR_PARSE);
	free(w);
	assert_int_equal(dns_name_eq("A.example.", "a.EXAMPLE"), 1);
	assert_int_equal(dns_name_eq("a.example", "b.example"), 0);
	assert_string_equal(dns_sec_name(DNS_SEC_BOGUS), "bogus");
}

static void test_ctx_errors(void **state)
{
	struct dns_ctx *ctx = NULL;
	struct buf err = BUF_INIT;

	(void)state;
	buf_init(&err, 300);
	assert_int_equal(dns_ctx_new("not-an-ip", NULL, 100, &ctx, &err), ERR_INVAL);
	assert_null(ctx);
	assert_non_null(strstr(err.ptr, "bad resolver"));
	assert_int_equal(dns_ctx_new("127.0.0.1:53", "/nonexistent/ta", 100, &ctx, &err), ERR_IO);
	assert_non_null(strstr(err.ptr, "trust anchor"));
	buf_release(&err);
}

/* A resolver that never answers: the query comes back by the deadline. */
static void test_query_timeout(void **state)
{
	struct dns_ctx *ctx = NULL;
	struct dns_answer a;
	int64_t t0;
	int r;

	(void)state;
	/* 127.0.0.1 port 9: discard/nothing; UDP gets no answer or ICMP. */
	assert_int_equal(dns_ctx_new("127.77.2.250:9", NULL, 300, &ctx, NULL), 0);
	t0 = time_now_ms();
	r = dns_query(ctx, "nothing.test", LDNS_RR_TYPE_A, &a);
	assert_true(time_now_ms() - t0 < 1500);
	assert_true(r == ERR_TIMEOUT || (r == 0 && a.rcode == LDNS_RCODE_SERVFAIL));
	dns_answer_release(&a);
	assert_int_equal(dns_query(ctx, "bad name", LDNS_RR_TYPE_A, &a), ERR_INVAL);
	dns_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_cap_and_garbage), cmocka_unit_test(test_ctx_errors),
	    cmocka_unit_test(test_query_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
