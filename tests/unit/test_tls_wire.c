/*
 * test_tls_wire.c: the raw TLS layer of src/tls: ClientHello and SSLv2
 * CLIENT-HELLO bytes for fixed inputs, and the reply parser on a table of
 * replies recorded from real servers (tests/fuzz/corpus/tls_record/) plus
 * hand-made SSLv2/SSLv3 answers, truncations and non-TLS bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tls/tls_int.h"

static void test_client_hello_bytes(void **state)
{
	static const uint16_t suites[] = {0xc02f, 0x009c};
	static const uint16_t groups[] = {0x001d};
	static const uint16_t sigalgs[] = {0x0403};
	static const uint8_t head[] = {
	    0x16, 0x03, 0x01, 0x00, 0x50,	/* record: handshake, 80 bytes */
	    0x01, 0x00, 0x00, 0x4c, 0x03, 0x03, /* ClientHello, 76 bytes, TLS 1.2 */
	};
	static const uint8_t tail[] = {
	    0x00,					    /* session id */
	    0x00, 0x04, 0xc0, 0x2f, 0x00, 0x9c,		    /* suites */
	    0x01, 0x00,					    /* compression: null */
	    0x00, 0x1f,					    /* extensions, 31 bytes */
	    0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d, /* supported_groups */
	    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,		    /* ec_point_formats */
	    0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03, /* signature_algorithms */
	    0x00, 0x17, 0x00, 0x00,			    /* extended_master_secret */
	    0xff, 0x01, 0x00, 0x01, 0x00,		    /* renegotiation_info */
	};
	struct tls_hello_opts o;
	uint8_t rnd[32];
	struct buf b = BUF_INIT;

	(void)state;
	memset(&o, 0, sizeof(o));
	memset(rnd, 0x11, sizeof(rnd));
	o.version = TLS_WIRE_TLS12;
	o.suites = suites;
	o.n_suites = 2;
	o.groups = groups;
	o.n_groups = 1;
	o.sigalgs = sigalgs;
	o.n_sigalgs = 1;
	assert_int_equal(tls_build_client_hello(&o, rnd, &b), 0);
	assert_int_equal(b.len, sizeof(head) + 32 + sizeof(tail));
	assert_memory_equal(b.ptr, head, sizeof(head));
	assert_memory_equal(b.ptr + sizeof(head), rnd, 32);
	assert_memory_equal(b.ptr + sizeof(head) + 32, tail, sizeof(tail));

	/* DEFLATE offered: methods {1, 0}; SSLv3: record version 0x0300 */
	buf_reset(&b);
	o.deflate = 1;
	o.version = TLS_WIRE_SSL3;
	assert_int_equal(tls_build_client_hello(&o, rnd, &b), 0);
	assert_int_equal((uint8_t)b.ptr[2], 0x00);
	assert_int_equal((uint8_t)b.ptr[10], 0x00);
	assert_memory_equal(b.ptr + 50, "\x02\x01\x00", 3); /* after id, suites */

	/* no suites, or a bad version, is a programming error */
	o.n_suites = 0;
	assert_int_equal(tls_build_client_hello(&o, rnd, &b), ERR_INVAL);
	o.n_suites = 2;
	o.version = 0x0200;
	assert_int_equal(tls_build_client_hello(&o, rnd, &b), ERR_INVAL);
	buf_release(&b);
}

static int has_ext(const struct buf *b, uint16_t type, const uint8_t *body, size_t n)
{
	size_t i;

	for (i = 0; i + 4 + n <= b->len; i++) {
		const uint8_t *p = (const uint8_t *)b->ptr + i;

		if (p[0] == type >> 8 && p[1] == (type & 0xff) && p[2] == n >> 8 &&
		    p[3] == (n & 0xff) && memcmp(p + 4, body, n) == 0)
			return 1;
	}
	return 0;
}

static void test_client_hello_tls13(void **state)
{
	static const uint16_t suites[] = {0x1301};
	static const uint16_t x25519[] = {0x001d};
	static const uint16_t p384[] = {0x0018};
	static const uint8_t versions[] = {0x02, 0x03, 0x04};
	static const uint8_t empty_share[] = {0x00, 0x00};
	static const uint8_t sni[] = {0x00, 0x0b, 0x00, 0x00, 0x08, 't', 'l',
				      's',  '.',  't',	'e',  's',  't'};
	struct tls_hello_opts o;
	uint8_t rnd[32] = {0};
	struct buf b = BUF_INIT;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.tls13 = 1;
	o.key_share = 1;
	o.suites = suites;
	o.n_suites = 1;
	o.groups = x25519;
	o.n_groups = 1;
	o.sni = "tls.test";
	assert_int_equal(tls_build_client_hello(&o, rnd, &b), 0);
	assert_int_equal((uint8_t)b.ptr[9], 0x03); /* legacy_version 1.2 */
	assert_int_equal((uint8_t)b.ptr[10], 0x03);
	assert_int_equal((uint8_t)b.ptr[43], 32); /* compatibility session id */
	assert_true(has_ext(&b, 0x002b, versions, sizeof(versions)));
	assert_true(has_ext(&b, 0x0000, sni, sizeof(sni)));
	/* x25519 share: group, 32-byte key */
	{
		static const uint8_t ks_head[] = {0x00, 0x33, 0x00, 0x26, 0x00,
						  0x24, 0x00, 0x1d, 0x00, 0x20};
		const char *p = memmem(b.ptr, b.len, ks_head, sizeof(ks_head));

		assert_non_null(p);
	}
	/* a group we hold no share for: an empty list so the server sends HRR */
	buf_reset(&b);
	o.groups = p384;
	assert_int_equal(tls_build_client_hello(&o, rnd, &b), 0);
	assert_true(has_ext(&b, 0x0033, empty_share, sizeof(empty_share)));
	buf_release(&b);
}

static void test_ssl2_hello_bytes(void **state)
{
	static const uint32_t specs[] = {0x010080, 0x0700c0};
	static const uint8_t want[] = {0x80, 0x1f, 0x01, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00,
				       0x00, 0x10, 0x01, 0x00, 0x80, 0x07, 0x00, 0xc0};
	uint8_t chal[16];
	struct buf b = BUF_INIT;

	(void)state;
	memset(chal, 0x22, sizeof(chal));
	assert_int_equal(tls_build_ssl2_hello(specs, 2, chal, &b), 0);
	assert_int_equal(b.len, sizeof(want) + 16);
	assert_memory_equal(b.ptr, want, sizeof(want));
	assert_memory_equal(b.ptr + sizeof(want), chal, 16);
	buf_release(&b);
}

struct reply_case {
	const char *file;
	int want_ske;
	int r;
	int kind;
	uint16_t version, suite, group;
	int hrr, reneg, ems, ske;
	uint16_t ske_group;
	int dh_bits;
	uint16_t sigalg;
	uint8_t alert;
	size_t ssl2_n;
};

static const struct reply_case cases[] = {
    {"tls10_rsa.bin", 0, 0, TLS_RESP_HELLO, 0x0301, 0x002f, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0},
    {"tls10_rsa.bin", 1, 0, TLS_RESP_HELLO, 0x0301, 0x002f, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0},
    {"tls12_dhe.bin", 1, 0, TLS_RESP_HELLO, 0x0303, 0x009e, 0, 0, 1, 1, 1, 0, 1024, 0x0804, 0, 0},
    {"tls12_ecdhe_ecdsa.bin", 1, 0, TLS_RESP_HELLO, 0x0303, 0xc02b, 0, 0, 1, 1, 1, 0x001d, 0,
     0x0403, 0, 0},
    {"tls12_ecdhe_rsa.bin", 1, 0, TLS_RESP_HELLO, 0x0303, 0xc02f, 0, 0, 1, 1, 1, 0x0017, 0, 0x0804,
     0, 0},
    {"tls12_ecdhe_rsa.bin", 0, 0, TLS_RESP_HELLO, 0x0303, 0xc02f, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0},
    {"tls13.bin", 1, 0, TLS_RESP_HELLO, 0x0304, 0x1302, 0x001d, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {"hrr_p384.bin", 0, 0, TLS_RESP_HELLO, 0x0304, 0x1302, 0x0018, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    {"alert_version.bin", 0, 0, TLS_RESP_ALERT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 70, 0},
    {"alert_nocipher.bin", 1, 0, TLS_RESP_ALERT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 0},
    {"ssl2_hello.bin", 0, 0, TLS_RESP_SSL2, 0x0002, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
    {"ssl2_error.bin", 0, 0, TLS_RESP_SSL2_ERROR, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {"ssl3_rc4.bin", 0, 0, TLS_RESP_HELLO, 0x0300, 0x0004, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* SSLv3 hello and then nothing: more bytes wanted, hello kept */
    {"ssl3_rc4.bin", 1, ERR_EOF, TLS_RESP_HELLO, 0x0300, 0x0004, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {"http_reply.bin", 0, ERR_PROTO, TLS_RESP_NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
};

static uint8_t *load(const char *name, size_t *len)
{
	char path[1024];
	const char *src = getenv("WACHTER_SRC");
	uint8_t *p = malloc(70000);
	FILE *fp;

	assert_non_null(src);
	assert_non_null(p);
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/tls_record/%s", src, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	*len = fread(p, 1, 70000, fp);
	fclose(fp);
	return p;
}

static void test_reply_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct reply_case *c = &cases[i];
		struct tls_server_hello sh;
		size_t len;
		uint8_t *p = load(c->file, &len);
		int r = tls_parse_response(p, len, c->want_ske, &sh);

		print_message("case %s ske=%d\n", c->file, c->want_ske);
		assert_int_equal(r, c->r);
		assert_int_equal(sh.kind, c->kind);
		assert_int_equal(sh.version, c->version);
		assert_int_equal(sh.suite, c->suite);
		assert_int_equal(sh.group, c->group);
		assert_int_equal(sh.hrr, c->hrr);
		assert_int_equal(sh.reneg_info, c->reneg);
		assert_int_equal(sh.ems, c->ems);
		assert_int_equal(sh.have_ske, c->ske);
		assert_int_equal(sh.ske_group, c->ske_group);
		assert_int_equal(sh.ske_dh_bits, c->dh_bits);
		assert_int_equal(sh.ske_sigalg, c->sigalg);
		assert_int_equal(sh.alert_desc, c->alert);
		assert_int_equal(sh.ssl2_n, c->ssl2_n);
		if (c->kind == TLS_RESP_SSL2) {
			assert_int_equal(sh.ssl2_specs[0], 0x010080);
			assert_int_equal(sh.ssl2_specs[1], 0x0700c0);
		}
		free(p);
	}
}

/* every prefix of a real reply is "need more" (or, once the ServerHello is
 * in, complete), never an error or a crash */
static void test_reply_prefixes(void **state)
{
	size_t len, n;
	uint8_t *p = load("tls12_dhe.bin", &len);

	(void)state;
	for (n = 0; n < len; n++) {
		struct tls_server_hello sh;
		uint8_t *cut = malloc(n ? n : 1);
		int r;

		assert_non_null(cut);
		memcpy(cut, p, n);
		r = tls_parse_response(cut, n, 1, &sh);
		assert_true(r == ERR_EOF || r == 0);
		if (r == 0)
			assert_true(sh.have_ske);
		free(cut);
	}
	free(p);
}

static void test_reply_garbage(void **state)
{
	static const uint8_t bad_len[] = {0x16, 0x03, 0x01, 0xff, 0xff};
	static const uint8_t bad_ver[] = {0x16, 0x07, 0x01, 0x00, 0x01, 0x00};
	static const uint8_t not_sh[] = {0x16, 0x03, 0x03, 0x00, 0x04, 0x0b, 0x00, 0x00, 0x00};
	static const uint8_t short_sh[] = {0x16, 0x03, 0x03, 0x00, 0x06, 0x02,
					   0x00, 0x00, 0x02, 0x03, 0x03};
	struct tls_server_hello sh;

	(void)state;
	assert_int_equal(tls_parse_response(bad_len, sizeof(bad_len), 0, &sh), ERR_PROTO);
	assert_int_equal(tls_parse_response(bad_ver, sizeof(bad_ver), 0, &sh), ERR_PROTO);
	assert_int_equal(tls_parse_response(not_sh, sizeof(not_sh), 0, &sh), ERR_PROTO);
	assert_int_equal(tls_parse_response(short_sh, sizeof(short_sh), 0, &sh), ERR_PARSE);
	assert_int_equal(tls_parse_response(bad_len, 0, 0, &sh), ERR_EOF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_client_hello_bytes), cmocka_unit_test(test_client_hello_tls13),
	    cmocka_unit_test(test_ssl2_hello_bytes),   cmocka_unit_test(test_reply_table),
	    cmocka_unit_test(test_reply_prefixes),     cmocka_unit_test(test_reply_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
