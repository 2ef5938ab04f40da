/*
 * test_mail_parsers.c: table-driven tests of the mail parsers and rules:
 * SPF syntax (mechanisms, qualifiers, modifiers, macros, CIDR), SPF
 * evaluation over a fake DNS (includes, redirects, the 10-lookup limit,
 * loops, broken includes), DMARC tags and the MAIL-08 rule, MTA-STS record,
 * policy file and MX patterns, TLSA rdata and matching, the scores.
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

/* ------------------------------------------------------------------ SPF */

struct spf_case {
	const char *rec;
	int ok;	      /* 1 parses */
	size_t terms; /* when ok */
	int all;      /* qualifier of the all term, 0 when none */
};

static const struct spf_case spf_cases[] = {
    {"v=spf1 -all", 1, 1, '-'},
    {"v=spf1", 1, 0, 0},
    {"V=SPF1 ~ALL", 1, 1, '~'},
    {"v=spf1 +all", 1, 1, '+'},
    {"v=spf1 ?all", 1, 1, '?'},
    {"v=spf1 mx a ip4:192.0.2.0/24 ip6:2001:db8::/32 -all", 1, 5, '-'},
    {"v=spf1 a:mail.example.com/24//64 mx/28 mx//96 ~all", 1, 4, '~'},
    {"v=spf1 include:_spf.google.com include:spf.protection.outlook.com ~all", 1, 3, '~'},
    {"v=spf1 redirect=_spf.example.com", 1, 1, 0},
    {"v=spf1 exists:%{i}._spf.%{d} -all", 1, 2, '-'},
    {"v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d2} -all", 1, 2, '-'},
    {"v=spf1 ptr ptr:example.com -all", 1, 3, '-'},
    {"v=spf1 -all exp=explain.%{d}", 1, 2, '-'},
    {"v=spf1 foo=bar -all", 1, 2, '-'},
    {"v=spf1   mx    -all  ", 1, 2, '-'},
    {"v=spf1 ip4:192.0.2.1", 1, 1, 0},
    /* syntax errors */
    {"v=spf10 -all", 0, 0, 0},
    {"spf1 -all", 0, 0, 0},
    {"v=spf1 -all/24", 0, 0, 0},
    {"v=spf1 all:example.com", 0, 0, 0},
    {"v=spf1 include -all", 0, 0, 0},
    {"v=spf1 include: -all", 0, 0, 0},
    {"v=spf1 ip4:300.1.1.1 -all", 0, 0, 0},
    {"v=spf1 ip4:192.0.2.0/33 -all", 0, 0, 0},
    {"v=spf1 ip4:192.0.2.0/024 -all", 0, 0, 0},
    {"v=spf1 ip6:192.0.2.1 -all", 0, 0, 0},
    {"v=spf1 ip6:2001:db8::/129 -all", 0, 0, 0},
    {"v=spf1 a/33 -all", 0, 0, 0},
    {"v=spf1 a//129 -all", 0, 0, 0},
    {"v=spf1 mx:bad..name -all", 0, 0, 0},
    {"v=spf1 include:nodot -all", 0, 0, 0},
    {"v=spf1 exists:%{x}.example.com -all", 0, 0, 0},
    {"v=spf1 exists:%{i.example.com -all", 0, 0, 0},
    {"v=spf1 exists:%z.example.com -all", 0, 0, 0},
    {"v=spf1 frobnicate -all", 0, 0, 0},
    {"v=spf1 redirect=a.example redirect=b.example", 0, 0, 0},
    {"v=spf1 exp=a.example exp=b.example -all", 0, 0, 0},
    {"v=spf1 1foo=bar -all", 0, 0, 0},
    {"v=spf1 *all", 0, 0, 0},
};

static void test_spf_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(spf_cases); i++) {
		const struct spf_case *c = &spf_cases[i];
		struct spf_record rec;
		int r = spf_parse(c->rec, strlen(c->rec), &rec);

		if ((r == 0) != c->ok)
			fail_msg("case %zu '%s': r=%d err=%s", i, c->rec, r, rec.err);
		if (c->ok) {
			assert_int_equal(rec.n, c->terms);
			if (c->all)
				assert_int_equal(rec.t[rec.all].qual, c->all);
			else
				assert_int_equal(rec.all, -1);
		} else {
			assert_true(rec.err[0] != '\0');
		}
		spf_record_release(&rec);
	}
}

static void test_spf_fields(void **state)
{
	const char *s = "v=spf1 a:mail.example.com/24//64 ip6:2001:db8::/48 redirect=x.example";
	struct spf_record rec;
	int m = 0;

	(void)state;
	assert_int_equal(spf_parse(s, strlen(s), &rec), 0);
	assert_int_equal(rec.t[0].mech, SPF_A);
	assert_string_equal(rec.t[0].arg, "mail.example.com");
	assert_int_equal(rec.t[0].cidr4, 24);
	assert_int_equal(rec.t[0].cidr6, 64);
	assert_int_equal(rec.t[1].mech, SPF_IP6);
	assert_int_equal(rec.t[1].cidr6, 48);
	assert_int_equal(rec.redirect, 2);
	assert_string_equal(rec.t[2].arg, "x.example");
	spf_record_release(&rec);
	assert_true(spf_is_record("v=spf1", 6));
	assert_false(spf_is_record("v=spf1x", 7));
	assert_false(spf_is_record("v=DMARC1", 8));
	{
		struct cursor c;

		cursor_init(&c, "%{c}", 4);
		assert_int_not_equal(spf_macro_string(c, 0, &m), 0);
		assert_int_equal(spf_macro_string(c, 1, &m), 0);
		cursor_init(&c, "%%%_%-", 6);
		assert_int_equal(spf_macro_string(c, 0, &m), 0);
	}
}

/* A fake DNS: domain -> TXT records (NULL-terminated list). */
struct fake_zone {
	const char *domain;
	const char *txt[3];
};

struct fake_dns {
	const struct fake_zone *z;
	size_t n;
	int fetches;
};

static int fake_fetch(void *arg, const char *domain, struct buf *txt, int *n)
{
	struct fake_dns *d = arg;

	d->fetches++;
	*n = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (strcmp(d->z[i].domain, domain) != 0)
			continue;
		for (size_t k = 0; k < 3 && d->z[i].txt[k]; k++) {
			const char *t = d->z[i].txt[k];

			if (!spf_is_record(t, strlen(t)))
				continue;
			if (++*n == 1 && buf_adds(txt, t))
				return ERR_NOMEM;
		}
	}
	return 0;
}

static const struct fake_zone zones[] = {
    {"good.example", {"v=spf1 mx include:_spf.good.example ~all", "other=1", NULL}},
    {"_spf.good.example", {"v=spf1 ip4:192.0.2.0/24 -all", NULL, NULL}},
    {"plus.example", {"v=spf1 +all", NULL, NULL}},
    {"noall.example", {"v=spf1 mx", NULL, NULL}},
    {"redir.example", {"v=spf1 redirect=good.example", NULL, NULL}},
    {"redirall.example", {"v=spf1 redirect=plus.example", NULL, NULL}},
    {"loop1.example", {"v=spf1 include:loop2.example -all", NULL, NULL}},
    {"loop2.example", {"v=spf1 include:loop1.example -all", NULL, NULL}},
    {"selfloop.example", {"v=spf1 redirect=selfloop.example", NULL, NULL}},
    {"broken.example", {"v=spf1 include:missing.example -all", NULL, NULL}},
    {"twoinc.example", {"v=spf1 include:two.example -all", NULL, NULL}},
    {"two.example", {"v=spf1 -all", "v=spf1 ~all", NULL}},
    {"bad.example", {"v=spf1 frob -all", NULL, NULL}},
    {"eleven.example",
     {"v=spf1 a mx include:i1.example include:i2.example include:i3.example include:i4.example "
      "include:i5.example include:i6.example include:i7.example include:i8.example "
      "include:i9.example ~all",
      NULL, NULL}},
    {"ten.example",
     {"v=spf1 a include:i1.example include:i2.example include:i3.example include:i4.example "
      "include:i5.example include:i6.example include:i7.example include:i8.example "
      "include:i9.example ~all",
      NULL, NULL}},
    {"i1.example", {"v=spf1 ip4:192.0.2.1 -all", NULL, NULL}},
    {"i2.example", {"v=spf1 ip4:192.0.2.2 -all", NULL, NULL}},
    {"i3.example", {"v=spf1 ip4:192.0.2.3 -all", NULL, NULL}},
    {"i4.example", {"v=spf1 ip4:192.0.2.4 -all", NULL, NULL}},
    {"i5.example", {"v=spf1 ip4:192.0.2.5 -all", NULL, NULL}},
    {"i6.example", {"v=spf1 ip4:192.0.2.6 -all", NULL, NULL}},
    {"i7.example", {"v=spf1 ip4:192.0.2.7 -all", NULL, NULL}},
    {"i8.example", {"v=spf1 ip4:192.0.2.8 -all", NULL, NULL}},
    {"i9.example", {"v=spf1 ip4:192.0.2.9 -all", NULL, NULL}},
    {"nested.example", {"v=spf1 include:n1.example -all", NULL, NULL}},
    {"n1.example", {"v=spf1 a mx ptr exists:x.example include:n2.example -all", NULL, NULL}},
    {"n2.example", {"v=spf1 a mx ptr exists:y.example include:n3.example -all", NULL, NULL}},
    {"n3.example", {"v=spf1 a -all", NULL, NULL}},
    {"macro.example", {"v=spf1 include:%{d}.inc.example -all", NULL, NULL}},
};

struct eval_case {
	const char *domain;
	enum mail_verdict v;
	int lookups;
	int records;
};

static const struct eval_case eval_cases[] = {
    {"good.example", MAIL_PASS, 2, 1},	    {"plus.example", MAIL_FAIL, 0, 1},
    {"noall.example", MAIL_FAIL, 1, 1},	    {"redir.example", MAIL_PASS, 3, 1},
    {"redirall.example", MAIL_FAIL, 1, 1},  {"loop1.example", MAIL_PARTIAL, 2, 1},
    {"selfloop.example", MAIL_FAIL, 1, 1}, /* loop and no all at all */
    {"broken.example", MAIL_PARTIAL, 1, 1}, {"twoinc.example", MAIL_PARTIAL, 1, 1},
    {"bad.example", MAIL_FAIL, 0, 1},	    {"eleven.example", MAIL_PARTIAL, 11, 1},
    {"ten.example", MAIL_PASS, 10, 1},	    {"nested.example", MAIL_PARTIAL, 12, 1},
    {"macro.example", MAIL_PASS, 1, 1},	    {"none.example", MAIL_FAIL, 0, 0},
    {"two.example", MAIL_FAIL, 0, 2},
};

static void test_spf_eval(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(eval_cases); i++) {
		const struct eval_case *c = &eval_cases[i];
		struct fake_dns d = {zones, ARRAY_SIZE(zones), 0};
		struct spf_eval ev;
		struct buf why = BUF_INIT;
		enum mail_verdict v;

		assert_int_equal(spf_evaluate(c->domain, fake_fetch, &d, &ev), 0);
		assert_int_equal(ev.records, c->records);
		if (ev.records != 1) {
			assert_int_equal(ev.lookups, 0);
			continue;
		}
		v = spf_verdict(&ev, &why);
		if (v != c->v || ev.lookups != c->lookups)
			fail_msg("%s: verdict %d lookups %d (%s)", c->domain, v, ev.lookups,
				 why.ptr);
		assert_true(d.fetches <= 40);
		if (v != MAIL_PASS)
			assert_true(why.len > 0);
		buf_release(&why);
	}
}

/* A long chain of includes stops at the depth cap, not the stack. */
static int chain_fetch(void *arg, const char *domain, struct buf *txt, int *n)
{
	unsigned long k = strtoul(domain + 1, NULL, 10);

	(void)arg;
	*n = 1;
	return buf_addf(txt, "v=spf1 include:c%lu.example -all", k + 1);
}

static void test_spf_deep_chain(void **state)
{
	struct spf_eval ev;
	struct buf why = BUF_INIT;

	(void)state;
	assert_int_equal(spf_evaluate("c0.example", chain_fetch, NULL, &ev), 0);
	assert_true(ev.too_deep);
	assert_int_equal(spf_verdict(&ev, &why), MAIL_PARTIAL);
	buf_release(&why);
}

/* ---------------------------------------------------------------- DMARC */

struct dmarc_case {
	const char *rec;
	int ok;
	enum dmarc_policy p;
	enum mail_verdict v; /* when ok, for a domain with mail */
};

static const struct dmarc_case dmarc_cases[] = {
    {"v=DMARC1; p=reject", 1, DMARC_REJECT, MAIL_PASS},
    {"v=DMARC1;p=quarantine;pct=100", 1, DMARC_QUARANTINE, MAIL_PASS},
    {"v=DMARC1; p=quarantine; pct=50", 1, DMARC_QUARANTINE, MAIL_PARTIAL},
    {"v=DMARC1; p=none; rua=mailto:d@example.com", 1, DMARC_NONE, MAIL_FAIL},
    {"v=DMARC1; p=reject; t=y", 1, DMARC_REJECT, MAIL_PASS},
    {"v=DMARC1; p=quarantine; t=y", 1, DMARC_QUARANTINE, MAIL_FAIL},
    {"v=DMARC1; p=reject; sp=none; adkim=s; aspf=r; fo=1; ri=86400", 1, DMARC_REJECT, MAIL_PASS},
    {"v=DMARC1; p=reject; rua=mailto:a@x.example,mailto:b@y.example!10m", 1, DMARC_REJECT,
     MAIL_PASS},
    {"v = DMARC1 ; p = reject ;", 1, DMARC_REJECT, MAIL_PASS},
    {"v=DMARC1; p=reject; unknown=whatever", 1, DMARC_REJECT, MAIL_PASS},
    {"v=DMARC1; P=reject", 0, DMARC_UNSET, MAIL_FAIL}, /* tags are case-sensitive */
    {"v=DMARC1", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; rua=mailto:a@x.example", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=dmarc1; p=reject", 0, DMARC_UNSET, MAIL_FAIL},
    {"p=reject; v=DMARC1", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=block", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; pct=101", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; pct=-1", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; adkim=x", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; t=maybe", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; p=none", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; rua=d@example.com", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; rua=mailto:nobody", 0, DMARC_UNSET, MAIL_FAIL},
    {"v=DMARC1; p=reject; garbage", 0, DMARC_UNSET, MAIL_FAIL},
};

static void test_dmarc(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(dmarc_cases); i++) {
		const struct dmarc_case *c = &dmarc_cases[i];
		struct dmarc_record rec;
		int r = dmarc_parse(c->rec, strlen(c->rec), &rec);

		if ((r == 0) != c->ok)
			fail_msg("case %zu '%s': r=%d err=%s", i, c->rec, r, rec.err);
		if (!c->ok)
			continue;
		assert_int_equal(rec.p, c->p);
		if (dmarc_verdict(&rec, 0, NULL) != c->v)
			fail_msg("case %zu '%s': verdict", i, c->rec);
	}
}

static void test_dmarc_fields(void **state)
{
	const char *s = "v=DMARC1; p=quarantine; rua=mailto:a@x.example, mailto:b@Y.example!10m";
	struct dmarc_record rec;
	char d[DNS_NAME_MAX];

	(void)state;
	assert_int_equal(dmarc_parse(s, strlen(s), &rec), 0);
	assert_int_equal(rec.n_rua, 2);
	assert_int_equal(dmarc_uri_domain(rec.rua[1], d), 0);
	assert_string_equal(d, "Y.example");
	assert_int_equal(dmarc_verdict(&rec, 1, NULL), MAIL_FAIL); /* Null MX wants reject */
	assert_int_not_equal(dmarc_uri_domain("https://x.example/", d), 0);
	assert_true(dmarc_is_record("v=DMARC1", 8));
	assert_false(dmarc_is_record("v=DMARC10; p=none", 17));
}

/* -------------------------------------------------------------- MTA-STS */

struct sts_txt_case {
	const char *txt;
	int ok;
	const char *id;
};

static const struct sts_txt_case sts_txt_cases[] = {
    {"v=STSv1; id=20190429T010101;", 1, "20190429T010101"},
    {"v=STSv1;id=abc", 1, "abc"},
    {"v=STSv1; id=abc; ext=1", 1, "abc"},
    {"v=STSv1; id=123456789012345678901234567890ab", 1, "123456789012345678901234567890ab"},
    {"v=STSv1; id=123456789012345678901234567890abc", 0, NULL},
    {"v=STSv1; id=a-b", 0, NULL},
    {"v=STSv1; id=", 0, NULL},
    {"v=STSv1;", 0, NULL},
    {"v=STSv2; id=a", 0, NULL},
    {"v=STSv1; id=a; id=b", 0, NULL},
};

struct sts_policy_case {
	const char *body;
	int ok;
	enum mtasts_mode mode;
	size_t n_mx;
};

static const struct sts_policy_case sts_policy_cases[] = {
    {"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", 1,
     MTASTS_ENFORCE, 1},
    {"version: STSv1\nmode: testing\nmx: *.example.com\nmx: backup.example.net\nmax_age: 0\n", 1,
     MTASTS_TESTING, 2},
    {"version: STSv1\nmode: none\nmax_age: 31557600", 1, MTASTS_NONE, 0},
    {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 60\nfoo: bar\n", 1, MTASTS_ENFORCE, 1},
    {"mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 60\n", 0, 0, 0},
    {"version: STSv1\nmode: enforce\nmax_age: 60\n", 0, 0, 0},
    {"version: STSv1\nmode: strict\nmx: a.example\nmax_age: 60\n", 0, 0, 0},
    {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", 0, 0, 0},
    {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", 0, 0, 0},
    {"version: STSv1\nmode: enforce\nmx: a.example\n", 0, 0, 0},
    {"version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 60\n", 0, 0, 0},
    {"version: STSv1\nmode: enforce\nmx: a b\nmax_age: 60\n", 0, 0, 0},
    {"version: STSv1\nmode enforce\n", 0, 0, 0},
    {"<html>not found</html>", 0, 0, 0},
    {"", 0, 0, 0},
};

struct mx_match_case {
	const char *pattern, *host;
	int match;
};

static const struct mx_match_case mx_cases[] = {
    {"mail.example.com", "mail.example.com", 1},  {"mail.example.com", "MAIL.example.com.", 1},
    {"*.example.com", "mx1.example.com", 1},	  {"*.example.com", "example.com", 0},
    {"*.example.com", "a.b.example.com", 0},	  {"*.example.com", "mx1.example.org", 0},
    {"mail.example.com", "mail2.example.com", 0}, {"*.example.com", ".example.com", 0},
};

static void test_mtasts(void **state)
{
	char id[33], err[160];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sts_txt_cases); i++) {
		const struct sts_txt_case *c = &sts_txt_cases[i];
		int r = mtasts_txt_parse(c->txt, strlen(c->txt), id, err, sizeof(err));

		if ((r == 0) != c->ok)
			fail_msg("txt case %zu '%s': r=%d", i, c->txt, r);
		if (c->ok)
			assert_string_equal(id, c->id);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sts_policy_cases); i++) {
		const struct sts_policy_case *c = &sts_policy_cases[i];
		struct mtasts_policy pol;
		int r = mtasts_policy_parse(c->body, strlen(c->body), &pol);

		if ((r == 0) != c->ok)
			fail_msg("policy case %zu: r=%d err=%s", i, r, pol.err);
		if (c->ok) {
			assert_int_equal(pol.mode, c->mode);
			assert_int_equal(pol.n_mx, c->n_mx);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(mx_cases); i++)
		if (mtasts_mx_match(mx_cases[i].pattern, mx_cases[i].host) != mx_cases[i].match)
			fail_msg("mx case %zu: %s vs %s", i, mx_cases[i].pattern, mx_cases[i].host);
}

/* ----------------------------------------------------------------- TLSA */

static unsigned char *make_cert(size_t *len, unsigned char spki_sha256[32])
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	unsigned char *der = NULL, *spki = NULL;
	unsigned int mdlen;
	int n;

	assert_non_null(k);
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"mx.example", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	n = i2d_X509(x, &der);
	assert_true(n > 0);
	*len = (size_t)n;
	n = i2d_PUBKEY(k, &spki);
	assert_true(n > 0);
	EVP_Digest(spki, (size_t)n, spki_sha256, &mdlen, EVP_sha256(), NULL);
	OPENSSL_free(spki);
	X509_free(x);
	EVP_PKEY_free(k);
	return der;
}

static void test_tlsa(void **state)
{
	unsigned char spki[32], rd[3 + 64], digest[64];
	size_t len;
	unsigned char *der = make_cert(&len, spki);
	struct tlsa t;
	unsigned int dl;
	int m = -1;

	(void)state;
	/* 3 1 1: SHA-256 of the SPKI. */
	rd[0] = 3, rd[1] = 1, rd[2] = 1;
	memcpy(rd + 3, spki, 32);
	assert_int_equal(tlsa_parse(rd, 35, &t), 0);
	assert_int_equal(tlsa_match_der(&t, der, len, &m), 0);
	assert_int_equal(m, 1);
	rd[10] ^= 1;
	assert_int_equal(tlsa_match_der(&t, der, len, &m), 0);
	assert_int_equal(m, 0);
	/* 3 0 2: SHA-512 of the whole certificate. */
	EVP_Digest(der, len, digest, &dl, EVP_sha512(), NULL);
	rd[0] = 3, rd[1] = 0, rd[2] = 2;
	memcpy(rd + 3, digest, 64);
	assert_int_equal(tlsa_parse(rd, 67, &t), 0);
	assert_int_equal(tlsa_match_der(&t, der, len, &m), 0);
	assert_int_equal(m, 1);
	/* Bad shapes. */
	assert_int_equal(tlsa_parse(rd, 2, &t), ERR_PARSE);
	assert_int_equal(tlsa_parse(rd, 3, &t), ERR_PARSE);
	rd[2] = 1;
	assert_int_equal(tlsa_parse(rd, 67, &t), ERR_PARSE); /* SHA-256 must be 32 bytes */
	rd[0] = 4;
	assert_int_equal(tlsa_parse(rd, 35, &t), ERR_UNSUPP);
	rd[0] = 3, rd[1] = 2;
	assert_int_equal(tlsa_parse(rd, 35, &t), ERR_UNSUPP);
	rd[1] = 1, rd[2] = 0;
	assert_int_equal(tlsa_parse(rd, 35, &t), 0);
	assert_int_equal(tlsa_match_der(&t, der, len, &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(tlsa_match_der(&t, (const unsigned char *)"junk", 4, &m), ERR_PARSE);
	OPENSSL_free(der);
}

/* --------------------------------------------------------------- scores */

static void test_scores(void **state)
{
	enum mail_verdict v[DM_COUNT];

	(void)state;
	for (int i = 0; i < DM_COUNT; i++)
		v[i] = MAIL_NA;
	assert_int_equal(mail_score(v, DM_DNS01, DM_MAIL01), -1);
	v[DM_DNS01] = MAIL_PASS;
	v[DM_DNS02] = MAIL_FAIL;
	assert_int_equal(mail_score(v, DM_DNS01, DM_MAIL01), 50);
	v[DM_DNS04] = MAIL_PARTIAL;
	assert_int_equal(mail_score(v, DM_DNS01, DM_MAIL01), 50);
	v[DM_DNS03] = MAIL_PASS;
	assert_int_equal(mail_score(v, DM_DNS01, DM_MAIL01), 63); /* 25 of 40, rounded */
	/* Info-only checks (MAIL-01, MAIL-13) never count. */
	v[DM_MAIL01] = MAIL_INFO;
	v[DM_MAIL13] = MAIL_INFO;
	assert_int_equal(mail_score(v, DM_MAIL01, DM_COUNT), -1);
	v[DM_MAIL04] = MAIL_PASS;
	assert_int_equal(mail_score(v, DM_MAIL01, DM_COUNT), 100);
	assert_string_equal(dnsmail_check_id(DM_DNS09), "DNS-09");
	assert_string_equal(dnsmail_check_id(DM_MAIL14), "MAIL-14");
	assert_string_equal(mail_verdict_name(MAIL_PARTIAL), "warn");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spf_parse), cmocka_unit_test(test_spf_fields),
	    cmocka_unit_test(test_spf_eval),  cmocka_unit_test(test_spf_deep_chain),
	    cmocka_unit_test(test_dmarc),     cmocka_unit_test(test_dmarc_fields),
	    cmocka_unit_test(test_mtasts),    cmocka_unit_test(test_tlsa),
	    cmocka_unit_test(test_scores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
