/*
 * test_mail_rules.c: the internet.nl-derived rules of the domain scan that
 * do not need a network, table driven: DNS-03 and MAIL-02 thresholds, CAA
 * validity (DNS-04), the organisational-domain test for external DMARC
 * report addresses, DANE matching of a presented chain (MAIL-12: usage 3
 * against the leaf, usage 2 against the CA), and how verdicts combine into
 * the report and findings (worst wins, info findings, pass adds nothing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "mail/mail_int.h"

static void test_thresholds(void **state)
{
	static const struct {
		int v6;
		enum mail_verdict want;
	} dns03[] = {{0, MAIL_FAIL}, {1, MAIL_PARTIAL}, {2, MAIL_PASS}, {5, MAIL_PASS}};
	static const struct {
		int with;
		size_t n;
		enum mail_verdict want;
	} mail02[] = {{0, 1, MAIL_FAIL}, {1, 1, MAIL_PASS}, {1, 2, MAIL_PARTIAL},
		      {2, 2, MAIL_PASS}, {0, 3, MAIL_FAIL}, {0, 0, MAIL_FAIL}};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(dns03); i++)
		assert_int_equal(dns03_rule(dns03[i].v6), dns03[i].want);
	for (size_t i = 0; i < ARRAY_SIZE(mail02); i++)
		assert_int_equal(mail02_rule(mail02[i].with, mail02[i].n), mail02[i].want);
}

struct caa_rr {
	uint8_t flags;
	const char *tag, *value;
};

struct caa_case {
	struct caa_rr rr[3];
	size_t n;
	int valid;
};

static const struct caa_case caa_cases[] = {
    {{{0, "issue", "letsencrypt.org"}}, 1, 1},
    {{{0, "issuewild", ";"}}, 1, 1},
    {{{0, "issue", "ca.example"}, {0, "iodef", "mailto:sec@example.com"}}, 2, 1},
    {{{0, "issue", "ca.example"}, {0, "iodef", "https://example.com/caa"}}, 2, 1},
    {{{0, "issue", "ca.example"}, {0, "iodef", "http://example.com/caa"}}, 2, 0},
    {{{0, "iodef", "mailto:sec@example.com"}}, 1, 0},
    {{{0, "issue", "ca.example"}, {128, "frobnicate", "x"}}, 2, 0},
    {{{0, "issue", "ca.example"}, {0, "frobnicate", "x"}}, 2, 1},
    {{{0, "ISSUE", "ca.example"}}, 1, 1},
};

static void test_caa(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(caa_cases); i++) {
		struct dns_rr rr[3];
		struct dns_answer a;
		char why[80] = "";

		memset(&a, 0, sizeof(a));
		memset(rr, 0, sizeof(rr));
		for (size_t k = 0; k < caa_cases[i].n; k++) {
			rr[k].type = 257;
			rr[k].u[0] = caa_cases[i].rr[k].flags;
			rr[k].text = (char *)caa_cases[i].rr[k].tag;
			rr[k].data = (unsigned char *)caa_cases[i].rr[k].value;
			rr[k].dlen = strlen(caa_cases[i].rr[k].value);
		}
		a.rr = rr;
		a.n = caa_cases[i].n;
		if (caa_valid(&a, why, sizeof(why)) != caa_cases[i].valid)
			fail_msg("caa case %zu (%s)", i, why);
		if (!caa_cases[i].valid)
			assert_true(why[0] != '\0');
	}
}

static void test_org_domain(void **state)
{
	static const struct {
		const char *domain, *rua_domain;
		int internal;
	} cases[] = {
	    {"example.nl", "example.nl", 1},	  {"example.nl", "mail.example.nl", 1},
	    {"shop.example.nl", "example.nl", 1}, {"example.nl", "dmarc.vendor.com", 0},
	    {"example.nl", "badexample.nl", 0},	  {"example.nl", "EXAMPLE.NL", 1},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (ends_with_ci(cases[i].rua_domain, org_suffix(cases[i].domain)) !=
		    cases[i].internal)
			fail_msg("org case %zu: %s vs %s", i, cases[i].domain, cases[i].rua_domain);
	assert_string_equal(org_suffix("a.b.example.nl"), "example.nl");
	assert_string_equal(org_suffix("nl"), "nl");
}

/* A CA and a leaf it signed, as DER. */
static void make_chain(unsigned char **leaf, size_t *leaf_len, unsigned char **ca, size_t *ca_len,
		       unsigned char leaf_spki[32], unsigned char ca_spki[32])
{
	EVP_PKEY *kca = EVP_EC_gen("P-256"), *kl = EVP_EC_gen("P-256");
	X509 *xca = X509_new(), *xl = X509_new();
	X509 *xs[2] = {xca, xl};
	EVP_PKEY *keys[2] = {kca, kl};
	unsigned char *spki;
	unsigned int dl;
	int n;

	for (int i = 0; i < 2; i++) {
		X509_set_version(xs[i], 2);
		ASN1_INTEGER_set(X509_get_serialNumber(xs[i]), i + 1);
		X509_gmtime_adj(X509_getm_notBefore(xs[i]), 0);
		X509_gmtime_adj(X509_getm_notAfter(xs[i]), 86400);
		X509_set_pubkey(xs[i], keys[i]);
		X509_NAME_add_entry_by_txt(X509_get_subject_name(xs[i]), "CN", MBSTRING_ASC,
					   (const unsigned char *)(i ? "mx.example" : "lab CA"), -1,
					   -1, 0);
		X509_set_issuer_name(xs[i], X509_get_subject_name(xca));
		assert_true(X509_sign(xs[i], kca, EVP_sha256()) > 0);
		spki = NULL;
		n = i2d_PUBKEY(keys[i], &spki);
		assert_true(n > 0);
		EVP_Digest(spki, (size_t)n, i ? leaf_spki : ca_spki, &dl, EVP_sha256(), NULL);
		OPENSSL_free(spki);
	}
	*leaf = NULL;
	*ca = NULL;
	*leaf_len = (size_t)i2d_X509(xl, leaf);
	*ca_len = (size_t)i2d_X509(xca, ca);
	X509_free(xca);
	X509_free(xl);
	EVP_PKEY_free(kca);
	EVP_PKEY_free(kl);
}

static void test_dane(void **state)
{
	unsigned char leaf_spki[32], ca_spki[32], zero[32] = {0};
	struct smtp_tls st;
	struct dns_rr rr[2];
	struct dns_answer a;
	static const struct {
		uint8_t usage;
		int which; /* 0 leaf key, 1 CA key, 2 nothing */
		int match;
	} cases[] = {
	    {3, 0, 1},		  /* DANE-EE on the leaf key */
	    {3, 1, 0},		  /* DANE-EE does not look at the CA */
	    {2, 1, 1},		  /* DANE-TA on the CA key */
	    {2, 0, 0},		  /* DANE-TA does not accept the leaf */
	    {3, 2, 0}, {1, 0, 0}, /* PKIX-EE: not usable for SMTP (RFC 7672) */
	};

	(void)state;
	memset(&st, 0, sizeof(st));
	make_chain(&st.chain[0], &st.chain_len[0], &st.chain[1], &st.chain_len[1], leaf_spki,
		   ca_spki);
	st.n_chain = 2;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const unsigned char *d = cases[i].which == 0   ? leaf_spki
					 : cases[i].which == 1 ? ca_spki
							       : zero;

		memset(rr, 0, sizeof(rr));
		memset(&a, 0, sizeof(a));
		rr[0].type = 52;
		rr[0].u[0] = cases[i].usage, rr[0].u[1] = 1, rr[0].u[2] = 1;
		rr[0].data = (unsigned char *)d;
		rr[0].dlen = 32;
		a.rr = rr;
		a.n = 1;
		if (dane_match(&a, &st) != cases[i].match)
			fail_msg("dane case %zu", i);
	}
	/* Two records, the second right: a rollover set matches. */
	rr[0].u[0] = 3, rr[0].data = zero;
	rr[1] = rr[0];
	rr[1].data = leaf_spki;
	a.n = 2;
	assert_int_equal(dane_match(&a, &st), 1);
	smtp_tls_release(&st);
}

static void test_verdicts(void **state)
{
	struct dns_mail_report *rep = calloc(1, sizeof(*rep));
	struct findings fl = FINDINGS_INIT;
	struct scan s;

	(void)state;
	assert_non_null(rep);
	memset(&s, 0, sizeof(s));
	s.rep = rep;
	s.out = &fl;
	for (int c = 0; c < DM_COUNT; c++)
		rep->verdict[c] = MAIL_NA;
	verdict(&s, DM_MAIL09, MAIL_PASS, -1, "192.0.2.1", 25, "STARTTLS on %s", "192.0.2.1");
	assert_int_equal(rep->verdict[DM_MAIL09], MAIL_PASS);
	assert_int_equal(fl.n, 0);
	verdict(&s, DM_MAIL09, MAIL_FAIL, -1, "192.0.2.2", 25, "no STARTTLS");
	verdict(&s, DM_MAIL09, MAIL_PASS, -1, "192.0.2.3", 25, "STARTTLS");
	assert_int_equal(rep->verdict[DM_MAIL09], MAIL_FAIL); /* the worst address wins */
	assert_string_equal(rep->detail[DM_MAIL09], "no STARTTLS");
	assert_int_equal(fl.n, 1);
	assert_string_equal(fl.v[0].check_id, "MAIL-09");
	assert_string_equal(fl.v[0].target, "192.0.2.2");
	assert_int_equal(fl.v[0].port, 25);
	assert_int_equal(fl.v[0].sev, SEV_HIGH);
	verdict(&s, DM_MAIL14, MAIL_INFO, -1, "example.nl", -1, "no MTA-STS");
	assert_int_equal(fl.v[1].sev, SEV_INFO);
	verdict(&s, DM_MAIL05, MAIL_PARTIAL, SEV_MEDIUM, "example.nl", -1, "11 lookups");
	assert_int_equal(fl.v[2].sev, SEV_MEDIUM);
	assert_int_equal(rep->verdict[DM_MAIL05], MAIL_PARTIAL);
	verdict(&s, DM_MAIL05, MAIL_NA, -1, "example.nl", -1, "ignored");
	assert_int_equal(rep->verdict[DM_MAIL05], MAIL_PARTIAL);
	assert_int_equal(fl.n, 3);
	assert_int_equal(s.err, 0);
	findings_release(&fl);
	free(rep);
}

static void test_cli_usage(void **state)
{
	char a0[] = "domain", a1[] = "--format", a2[] = "xml", a3[] = "example.nl",
	     a4[] = "--open-resolver", a5[] = "not-an-ip", a6[] = "--timeout", a7[] = "0";
	char *v1[] = {a0, NULL};
	char *v2[] = {a0, a1, a2, a3, NULL};
	char *v3[] = {a0, a4, a5, NULL};
	char *v4[] = {a0, a6, a7, a3, NULL};
	char *v5[] = {a0, a3, a3, NULL};

	(void)state;
	assert_int_equal(dnsmail_cli(1, v1), 2);
	assert_int_equal(dnsmail_cli(4, v2), 2);
	assert_int_equal(dnsmail_cli(3, v3), 2);
	assert_int_equal(dnsmail_cli(4, v4), 2);
	assert_int_equal(dnsmail_cli(3, v5), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thresholds), cmocka_unit_test(test_caa),
	    cmocka_unit_test(test_org_domain), cmocka_unit_test(test_dane),
	    cmocka_unit_test(test_verdicts),   cmocka_unit_test(test_cli_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
