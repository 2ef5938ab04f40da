/*
 * tls_suites.c: look-ups in the cipher suite table, the NCSC rating of a
 * suite, protocol version names and the named group table.
 */
#include <string.h>

#include "tls/tls_int.h"

static const char *const version_names[TLS_V_COUNT] = {
    "SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3",
};

const char *tls_version_name(enum tls_version v)
{
	if ((unsigned)v >= TLS_V_COUNT)
		return "?";
	return version_names[v];
}

uint16_t tls_version_wire(enum tls_version v)
{
	static const uint16_t wire[TLS_V_COUNT] = {0x0002,	   TLS_WIRE_SSL3,  TLS_WIRE_TLS10,
						   TLS_WIRE_TLS11, TLS_WIRE_TLS12, TLS_WIRE_TLS13};

	return (unsigned)v < TLS_V_COUNT ? wire[v] : 0;
}

int tls_version_from_wire(uint16_t w)
{
	switch (w) {
	case 0x0002:
		return TLS_V_SSL2;
	case TLS_WIRE_SSL3:
		return TLS_V_SSL3;
	case TLS_WIRE_TLS10:
		return TLS_V_TLS10;
	case TLS_WIRE_TLS11:
		return TLS_V_TLS11;
	case TLS_WIRE_TLS12:
		return TLS_V_TLS12;
	case TLS_WIRE_TLS13:
		return TLS_V_TLS13;
	default:
		return -1;
	}
}

const char *tls_rating_name(enum tls_rating r)
{
	switch (r) {
	case TLS_RATE_GOOD:
		return "good";
	case TLS_RATE_SUFFICIENT:
		return "sufficient";
	case TLS_RATE_PHASEOUT:
		return "phase-out";
	default:
		return "insufficient";
	}
}

const struct tls_suite *tls_suite_find(enum tls_suite_kind kind, uint32_t id)
{
	size_t i;

	for (i = 0; i < tls_suites_n; i++) {
		const struct tls_suite *s = &tls_suites[i];

		if (s->id != id)
			continue;
		/* TLS 1.3 suites share the 2-byte id space with TLS <= 1.2. */
		if (kind == TLS_SUITE_SSL2 ? s->kind == TLS_SUITE_SSL2 : s->kind != TLS_SUITE_SSL2)
			return s;
	}
	return NULL;
}

static int is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

int tls_suite_fs(const struct tls_suite *s)
{
	if (s->kind == TLS_SUITE_TLS13)
		return 1;
	if (is(s->au, "None") || s->export_)
		return 0;
	return is(s->kx, "ECDH") || is(s->kx, "DH");
}

/* The ciphers that fail whatever the key exchange (checks.md A.3 TLS-06). */
static int broken_cipher(const struct tls_suite *s)
{
	static const char *const bad_enc[] = {"None", "RC4",  "RC2",  "DES",	"3DES",
					      "IDEA", "SEED", "GOST", "AESCCM8"};
	size_t i;

	if (s->export_ || is(s->au, "None"))
		return 1;
	for (i = 0; i < ARRAY_SIZE(bad_enc); i++)
		if (is(s->enc, bad_enc[i]))
			return 1;
	return is(s->mac, "MD5") || is(s->mac, "SHA1") || strncmp(s->mac, "GOST", 4) == 0;
}

enum tls_rating tls_suite_rate(const struct tls_suite *s)
{
	int gcm_like = is(s->enc, "AESGCM") || is(s->enc, "ChaCha20");

	if (s->kind == TLS_SUITE_SSL2 || broken_cipher(s))
		return TLS_RATE_INSUFFICIENT;
	if (s->kind == TLS_SUITE_TLS13) {
		if (gcm_like)
			return TLS_RATE_GOOD;
		return is(s->enc, "AESCCM") ? TLS_RATE_SUFFICIENT : TLS_RATE_INSUFFICIENT;
	}
	/* Only ephemeral (EC)DH signed by RSA/ECDSA/DSS is acceptable. */
	if (!tls_suite_fs(s) || strstr(s->name, "PSK") || strstr(s->name, "_OLD"))
		return TLS_RATE_INSUFFICIENT;
	if (is(s->kx, "ECDH")) {
		if (gcm_like)
			return TLS_RATE_GOOD;
		if (is(s->enc, "AESCCM"))
			return TLS_RATE_SUFFICIENT;
		return TLS_RATE_PHASEOUT; /* CBC-SHA256/384, Camellia, ARIA */
	}
	return TLS_RATE_PHASEOUT; /* DHE */
}

/* ---------------------------------------------------------------- groups */

const struct tls_group_def tls_group_defs[] = {
    {0x0001, "sect163k1", 163, 0},
    {0x0002, "sect163r1", 163, 0},
    {0x0003, "sect163r2", 163, 0},
    {0x0004, "sect193r1", 193, 0},
    {0x0005, "sect193r2", 193, 0},
    {0x0006, "sect233k1", 233, 0},
    {0x0007, "sect233r1", 233, 0},
    {0x0008, "sect239k1", 239, 0},
    {0x0009, "sect283k1", 283, 0},
    {0x000a, "sect283r1", 283, 0},
    {0x000b, "sect409k1", 409, 0},
    {0x000c, "sect409r1", 409, 0},
    {0x000d, "sect571k1", 571, 0},
    {0x000e, "sect571r1", 571, 0},
    {0x000f, "secp160k1", 160, 0},
    {0x0010, "secp160r1", 160, 0},
    {0x0011, "secp160r2", 160, 0},
    {0x0012, "secp192k1", 192, 0},
    {0x0013, "secp192r1", 192, 0},
    {0x0014, "secp224k1", 224, 0},
    {0x0015, "secp224r1", 224, 0},
    {0x0016, "secp256k1", 256, 0},
    {0x0017, "secp256r1", 256, 0},
    {0x0018, "secp384r1", 384, 0},
    {0x0019, "secp521r1", 521, 0},
    {0x001a, "brainpoolP256r1", 256, 0},
    {0x001b, "brainpoolP384r1", 384, 0},
    {0x001c, "brainpoolP512r1", 512, 0},
    {0x001d, "x25519", 256, 0},
    {0x001e, "x448", 448, 0},
    {0x001f, "brainpoolP256r1tls13", 256, 0},
    {0x0020, "brainpoolP384r1tls13", 384, 0},
    {0x0021, "brainpoolP512r1tls13", 512, 0},
    {0x0100, "ffdhe2048", 2048, 1},
    {0x0101, "ffdhe3072", 3072, 1},
    {0x0102, "ffdhe4096", 4096, 1},
    {0x0103, "ffdhe6144", 6144, 1},
    {0x0104, "ffdhe8192", 8192, 1},
};
const size_t tls_group_defs_n = ARRAY_SIZE(tls_group_defs);

const struct tls_group_def *tls_group_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < tls_group_defs_n; i++)
		if (tls_group_defs[i].id == id)
			return &tls_group_defs[i];
	return NULL;
}

int tls_hex(const uint8_t *p, size_t n, struct buf *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		char two[2] = {hx[p[i] >> 4], hx[p[i] & 15]};

		r = buf_add(out, two, 2);
		if (r)
			return r;
	}
	return 0;
}
