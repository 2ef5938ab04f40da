/*
 * test_tls_rules.c: the judging half of src/tls: cipher suite table look-
 * ups and NCSC ratings, the certificate rules on certificates made here
 * with the OpenSSL API (dates, key sizes, signature hashes, lifetime), the
 * findings a report produces, and the report's JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tls/tls_int.h"

#define DAY 86400
#define NOW ((time_t)1800000000) /* 2027-01-15 */

struct suite_case {
	uint32_t id;
	enum tls_suite_kind kind;
	const char *name;
	enum tls_rating rating;
	int fs;
};

static const struct suite_case suite_cases[] = {
    {0xc02f, TLS_SUITE_TLS, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS_RATE_GOOD, 1},
    {0xcca9, TLS_SUITE_TLS, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TLS_RATE_GOOD, 1},
    {0xc0ac, TLS_SUITE_TLS, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", TLS_RATE_SUFFICIENT, 1},
    {0xc0ae, TLS_SUITE_TLS, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", TLS_RATE_INSUFFICIENT, 1},
    {0xc027, TLS_SUITE_TLS, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", TLS_RATE_PHASEOUT, 1},
    {0xc013, TLS_SUITE_TLS, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", TLS_RATE_INSUFFICIENT, 1},
    {0x009e, TLS_SUITE_TLS, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", TLS_RATE_PHASEOUT, 1},
    {0xc077, TLS_SUITE_TLS, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", TLS_RATE_PHASEOUT, 1},
    {0x009c, TLS_SUITE_TLS, "TLS_RSA_WITH_AES_128_GCM_SHA256", TLS_RATE_INSUFFICIENT, 0},
    {0x000a, TLS_SUITE_TLS, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", TLS_RATE_INSUFFICIENT, 0},
    {0x0005, TLS_SUITE_TLS, "TLS_RSA_WITH_RC4_128_SHA", TLS_RATE_INSUFFICIENT, 0},
    {0x0003, TLS_SUITE_TLS, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", TLS_RATE_INSUFFICIENT, 0},
    {0x00a6, TLS_SUITE_TLS, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", TLS_RATE_INSUFFICIENT, 0},
    {0x0002, TLS_SUITE_TLS, "TLS_RSA_WITH_NULL_SHA", TLS_RATE_INSUFFICIENT, 0},
    {0x1301, TLS_SUITE_TLS13, "TLS_AES_128_GCM_SHA256", TLS_RATE_GOOD, 1},
    {0x1303, TLS_SUITE_TLS13, "TLS_CHACHA20_POLY1305_SHA256", TLS_RATE_GOOD, 1},
    {0x1304, TLS_SUITE_TLS13, "TLS_AES_128_CCM_SHA256", TLS_RATE_SUFFICIENT, 1},
    {0x1305, TLS_SUITE_TLS13, "TLS_AES_128_CCM_8_SHA256", TLS_RATE_INSUFFICIENT, 1},
    {0x010080, TLS_SUITE_SSL2, "SSL_CK_RC4_128_WITH_MD5", TLS_RATE_INSUFFICIENT, 0},
};

static void test_suite_table(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(suite_cases); i++) {
		const struct suite_case *c = &suite_cases[i];
		const struct tls_suite *s = tls_suite_find(
		    c->kind == TLS_SUITE_SSL2 ? TLS_SUITE_SSL2 : TLS_SUITE_TLS, c->id);

		print_message("suite 0x%04x\n", (unsigned)c->id);
		assert_non_null(s);
		assert_int_equal(s->kind, c->kind);
		assert_string_equal(s->name, c->name);
		assert_int_equal(tls_suite_rate(s), c->rating);
		assert_int_equal(tls_suite_fs(s), c->fs);
	}
	assert_null(tls_suite_find(TLS_SUITE_TLS, 0xfafa));
	assert_true(tls_suite_find(TLS_SUITE_TLS, 0x0003)->export_);
	/* ids are unique within SSLv2 and within TLS */
	for (i = 0; i < tls_suites_n; i++)
		for (j = i + 1; j < tls_suites_n; j++)
			assert_false(tls_suites[i].id == tls_suites[j].id &&
				     (tls_suites[i].kind == TLS_SUITE_SSL2) ==
					 (tls_suites[j].kind == TLS_SUITE_SSL2));
	assert_true(tls_suites_n > 350);
	assert_string_equal(tls_version_name(TLS_V_TLS10), "TLSv1.0");
	assert_int_equal(tls_version_from_wire(0x0304), TLS_V_TLS13);
	assert_int_equal(tls_version_from_wire(0x0305), -1);
	assert_string_equal(tls_group_find(0x001d)->name, "x25519");
}

/* ---------------------------------------------------- generated certs */

static EVP_PKEY *key_rsa(int bits)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
}

static EVP_PKEY *key_ec(const char *curve)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

/* make_cert: a self-issued cert for key valid [from, to], signed with md */
static X509 *make_cert(EVP_PKEY *key, time_t from, time_t to, const EVP_MD *md, int self)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	assert_non_null(x);
	assert_non_null(n);
	assert_int_equal(X509_set_version(x, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
						    (const unsigned char *)"leaf.test", -1, -1, 0),
			 1);
	assert_int_equal(X509_set_subject_name(x, n), 1);
	X509_NAME_free(n);
	n = X509_NAME_new();
	assert_int_equal(X509_NAME_add_entry_by_txt(
			     n, "CN", MBSTRING_ASC,
			     (const unsigned char *)(self ? "leaf.test" : "ca.test"), -1, -1, 0),
			 1);
	assert_int_equal(X509_set_issuer_name(x, n), 1);
	X509_NAME_free(n);
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), from));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), to));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	assert_true(X509_sign(x, key, md) > 0);
	return x;
}

static void fill(EVP_PKEY *key, time_t from, time_t to, const EVP_MD *md, struct tls_cert *c)
{
	X509 *x = make_cert(key, from, to, md, 0);

	assert_int_equal(tls_cert_fill(x, c), 0);
	X509_free(x);
}

static void test_cert_fields_and_rules(void **state)
{
	EVP_PKEY *rsa1024 = key_rsa(1024), *rsa2048 = key_rsa(2048), *p256 = key_ec("P-256");
	EVP_PKEY *p224 = key_ec("P-224");
	struct tls_cert c;
	struct tls_cert_verdict v;
	X509 *x;

	(void)state;
	assert_non_null(rsa1024);
	assert_non_null(p224);
	/* fields */
	fill(p256, NOW - 10 * DAY, NOW + 80 * DAY, EVP_sha256(), &c);
	assert_string_equal(c.subject, "CN=leaf.test");
	assert_string_equal(c.issuer, "CN=ca.test");
	assert_string_equal(c.key_type, "EC");
	assert_string_equal(c.curve, "prime256v1");
	assert_int_equal(c.key_bits, 256);
	assert_string_equal(c.sig_alg, "ecdsa-with-SHA256");
	assert_string_equal(c.sig_hash, "SHA256");
	assert_int_equal(c.not_before, NOW - 10 * DAY);
	assert_int_equal(c.not_after, NOW + 80 * DAY);
	assert_false(c.self_signed);
	/* expiry: 80 days pass, 45 warn, 20 fail, expired, not yet valid */
	assert_int_equal(tls_rule_expiry(&c, NOW, &v), -1);
	assert_int_equal(tls_rule_expiry(&c, NOW + 35 * DAY, &v), SEV_MEDIUM);
	assert_int_equal(tls_rule_expiry(&c, NOW + 60 * DAY, &v), SEV_HIGH);
	assert_int_equal(tls_rule_expiry(&c, NOW + 81 * DAY, &v), SEV_HIGH);
	assert_non_null(strstr(v.detail, "expired"));
	assert_int_equal(tls_rule_expiry(&c, NOW - 11 * DAY, &v), SEV_HIGH);
	assert_non_null(strstr(v.detail, "not valid before"));
	assert_int_equal(tls_rule_key(&c, &v), -1);
	assert_int_equal(tls_rule_sig(&c, &v), -1);
	assert_int_equal(tls_rule_lifetime(&c, &v), -1);
	tls_cert_release(&c);

	/* RSA 1024 signed with SHA-1, valid 825 days */
	fill(rsa1024, NOW, NOW + 825 * DAY, EVP_sha1(), &c);
	assert_string_equal(c.key_type, "RSA");
	assert_int_equal(c.key_bits, 1024);
	assert_int_equal(c.rsa_e, 65537);
	assert_int_equal(tls_rule_key(&c, &v), SEV_MEDIUM);
	assert_int_equal(tls_rule_sig(&c, &v), SEV_HIGH);
	assert_string_equal(c.sig_hash, "SHA1");
	assert_int_equal(tls_rule_lifetime(&c, &v), SEV_LOW);
	tls_cert_release(&c);

	/* RSA 2048 with SHA-224: warnings; MD5: critical */
	fill(rsa2048, NOW, NOW + 90 * DAY, EVP_sha224(), &c);
	assert_int_equal(tls_rule_key(&c, &v), SEV_LOW);
	assert_int_equal(tls_rule_sig(&c, &v), SEV_MEDIUM);
	tls_cert_release(&c);
	fill(rsa2048, NOW, NOW + 90 * DAY, EVP_md5(), &c);
	assert_int_equal(tls_rule_sig(&c, &v), SEV_CRITICAL);
	tls_cert_release(&c);
	/* P-224: warn; RSA < 1024 by table */
	fill(p224, NOW, NOW + 90 * DAY, EVP_sha256(), &c);
	assert_int_equal(tls_rule_key(&c, &v), SEV_LOW);
	tls_cert_release(&c);
	memset(&c, 0, sizeof(c));
	str_lcpy(c.key_type, "RSA", sizeof(c.key_type));
	c.key_bits = 512;
	assert_int_equal(tls_rule_key(&c, &v), SEV_HIGH);
	c.key_bits = 4096;
	c.rsa_e = 1;
	assert_int_equal(tls_rule_key(&c, &v), SEV_HIGH);
	/* self-signed */
	x = make_cert(p256, NOW, NOW + DAY, EVP_sha256(), 1);
	assert_int_equal(tls_cert_fill(x, &c), 0);
	assert_true(c.self_signed);
	tls_cert_release(&c);
	X509_free(x);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(rsa2048);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p224);
}

/* ------------------------------------------------- findings and JSON */

static void weak_report(struct tls_report *rep, struct tls_accepted *acc)
{
	static struct tls_cert chain[1];

	tls_report_init(rep);
	rep->reachable = rep->tls = 1;
	rep->v[TLS_V_SSL2].supported = 0;
	rep->v[TLS_V_SSL3].supported = 0;
	rep->v[TLS_V_TLS10].supported = 1;
	str_lcpy(rep->v[TLS_V_TLS10].evidence, "ServerHello TLSv1.0", sizeof(rep->v[0].evidence));
	rep->v[TLS_V_TLS11].supported = 0;
	rep->v[TLS_V_TLS12].supported = 1;
	rep->v[TLS_V_TLS13].supported = 0;
	acc[0] =
	    (struct tls_accepted){tls_suite_find(TLS_SUITE_TLS, 0x0002), TLS_RATE_INSUFFICIENT};
	acc[1] = (struct tls_accepted){tls_suite_find(TLS_SUITE_TLS, 0xc02f), TLS_RATE_GOOD};
	acc[2] =
	    (struct tls_accepted){tls_suite_find(TLS_SUITE_TLS, 0x000a), TLS_RATE_INSUFFICIENT};
	rep->v[TLS_V_TLS10].suites = acc;
	rep->v[TLS_V_TLS10].n_suites = 1;
	rep->v[TLS_V_TLS12].suites = acc + 1;
	rep->v[TLS_V_TLS12].n_suites = 2;
	rep->v[TLS_V_TLS12].server_order = 0;
	rep->compression = 1;
	rep->secure_reneg = 0;
	rep->ems = 0;
	rep->client_reneg = 1;
	rep->fallback_scsv = 0;
	rep->host_ok = 0;
	memset(chain, 0, sizeof(chain));
	chain[0].subject = (char *)"CN=leaf.test";
	chain[0].issuer = (char *)"CN=\"quote\"";
	chain[0].sans = (char *)"DNS:leaf.test";
	chain[0].not_before = NOW - 400 * DAY;
	chain[0].not_after = NOW + 10 * DAY;
	str_lcpy(chain[0].key_type, "RSA", sizeof(chain[0].key_type));
	chain[0].key_bits = 2048;
	str_lcpy(chain[0].sig_hash, "SHA256", sizeof(chain[0].sig_hash));
	rep->chain = chain;
	rep->n_chain = 1;
	rep->trusted = 0;
	str_lcpy(rep->trust, "self-signed certificate (depth 0)", sizeof(rep->trust));
}

static const struct finding *find(const struct findings *fl, const char *id, const char *detail)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		if (strcmp(fl->v[i].check_id, id) == 0 && strstr(fl->v[i].detail, detail))
			return &fl->v[i];
	return NULL;
}

static void test_findings(void **state)
{
	struct tls_report rep;
	struct tls_accepted acc[3];
	struct findings fl = FINDINGS_INIT;
	struct tls_scan_opts o = {.now = NOW};
	const struct finding *f;

	(void)state;
	weak_report(&rep, acc);
	assert_int_equal(tls_findings(&rep, &o, "leaf.test", 443, &fl), 0);
	f = find(&fl, "TLS-04", "TLSv1.0 accepted");
	assert_non_null(f);
	assert_string_equal(f->evidence, "ServerHello TLSv1.0");
	assert_non_null(find(&fl, "TLS-05", "TLS 1.3"));
	f = find(&fl, "TLS-06", "TLSv1.0: weak");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL); /* NULL encryption */
	f = find(&fl, "TLS-06", "TLSv1.2: weak");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_HIGH);
	assert_string_equal(f->evidence, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
	assert_non_null(find(&fl, "TLS-07", "TLSv1.2"));
	assert_null(find(&fl, "TLS-07", "TLSv1.0")); /* order unknown there */
	assert_non_null(find(&fl, "TLS-08", "forward secrecy"));
	assert_non_null(find(&fl, "TLS-10", "DEFLATE"));
	assert_non_null(find(&fl, "TLS-11", "renegotiation_info"));
	assert_non_null(find(&fl, "TLS-12", "renegotiation"));
	assert_non_null(find(&fl, "TLS-15", "extended_master_secret"));
	assert_non_null(find(&fl, "TLS-18", "SWEET32"));
	assert_non_null(find(&fl, "TLS-18", "LUCKY13"));
	assert_non_null(find(&fl, "TLS-18", "FALLBACK_SCSV"));
	assert_null(find(&fl, "TLS-18", "BEAST")); /* TLS 1.0 has only a NULL suite */
	assert_non_null(find(&fl, "CERT-01", "not trusted"));
	assert_non_null(find(&fl, "CERT-02", "leaf.test"));
	f = find(&fl, "CERT-03", "expires in 10 days");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_HIGH);
	assert_non_null(find(&fl, "CERT-04", "2048"));
	assert_null(find(&fl, "CERT-05", ""));
	assert_non_null(find(&fl, "CERT-06", "410 days"));
	assert_int_equal(findings_count(&fl, "TLS-17", -2), 0);
	findings_release(&fl);

	/* a good server: nothing at all */
	tls_report_init(&rep);
	rep.tls = 1;
	rep.v[TLS_V_SSL2].supported = rep.v[TLS_V_SSL3].supported = 0;
	rep.v[TLS_V_TLS10].supported = rep.v[TLS_V_TLS11].supported = 0;
	rep.v[TLS_V_TLS12].supported = rep.v[TLS_V_TLS13].supported = 1;
	rep.v[TLS_V_TLS12].suites = acc + 1;
	rep.v[TLS_V_TLS12].n_suites = 1;
	rep.secure_reneg = rep.ems = 1;
	rep.compression = rep.client_reneg = 0;
	assert_int_equal(tls_findings(&rep, &o, "good.test", 443, &fl), 0);
	assert_int_equal(fl.n, 0);
	findings_release(&fl);
}

static void test_json(void **state)
{
	struct tls_report rep;
	struct tls_accepted acc[3];
	struct buf b = BUF_INIT;
	json_error_t err;
	json_t *j, *v12;

	(void)state;
	weak_report(&rep, acc);
	assert_int_equal(tls_report_json(&rep, &b), 0);
	j = json_loads(b.ptr, 0, &err);
	if (!j)
		fail_msg("bad json: %s: %s", err.text, b.ptr);
	assert_int_equal(json_array_size(json_object_get(j, "versions")), TLS_V_COUNT);
	v12 = json_array_get(json_object_get(j, "versions"), TLS_V_TLS12);
	assert_string_equal(json_string_value(json_object_get(v12, "version")), "TLSv1.2");
	assert_true(json_is_false(json_object_get(v12, "server_order")));
	assert_int_equal(json_array_size(json_object_get(v12, "suites")), 2);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(v12, "suites"), 0), "rating")),
			    "good");
	assert_true(json_is_true(json_object_get(j, "compression")));
	assert_true(json_is_null(json_object_get(j, "kx_sha1")) ||
		    json_is_false(json_object_get(j, "kx_sha1")));
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(j, "chain"), 0), "issuer")),
			    "CN=\"quote\"");
	json_decref(j);
	buf_reset(&b);
	assert_int_equal(tls_report_text(&rep, &b), 0);
	assert_non_null(strstr(b.ptr, "TLSv1.2  offered (2 suites, client order)"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suite_table),
	    cmocka_unit_test(test_cert_fields_and_rules),
	    cmocka_unit_test(test_findings),
	    cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
