/*
 * tls_wire.c: raw TLS bytes. Builds ClientHellos (SSLv2 CLIENT-HELLO and
 * SSLv3..TLS 1.3 records) that offer exactly what a probe wants, and parses
 * the server's reply (ServerHello, HelloRetryRequest, ServerKeyExchange,
 * Alert, SSLv2 SERVER-HELLO) with a cursor, never trusting a length.
 */
#include <string.h>

#include "tls/tls_int.h"

#define EXT_SNI 0x0000
#define EXT_GROUPS 0x000a
#define EXT_POINT_FORMATS 0x000b
#define EXT_SIGALGS 0x000d
#define EXT_EMS 0x0017
#define EXT_VERSIONS 0x002b
#define EXT_PSK_MODES 0x002d
#define EXT_KEY_SHARE 0x0033
#define EXT_RENEG 0xff01

#define GROUP_X25519 0x001d
#define GROUP_P256 0x0017

static const uint16_t default_sigalgs[] = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401,
    0x0501, 0x0601, 0x0402, 0x0502, 0x0602, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202,
};

/* A valid X25519 public value (the base point) and the P-256 generator:
 * the server only needs a well-formed share to answer with a ServerHello. */
static const uint8_t x25519_share[32] = {9};
static const uint8_t p256_share[65] = {
    0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5,
    0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4,
    0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a,
    0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33,
    0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static int put8(struct buf *b, unsigned v)
{
	char c = (char)(v & 0xff);

	return buf_add(b, &c, 1);
}

static int put16(struct buf *b, unsigned v)
{
	char c[2] = {(char)((v >> 8) & 0xff), (char)(v & 0xff)};

	return buf_add(b, c, 2);
}

/* patch16/24: fill a length placeholder at off with the bytes after it. */
static void patch16(struct buf *b, size_t off)
{
	size_t n = b->len - off - 2;

	b->ptr[off] = (char)(n >> 8);
	b->ptr[off + 1] = (char)n;
}

static void patch24(struct buf *b, size_t off)
{
	size_t n = b->len - off - 3;

	b->ptr[off] = (char)(n >> 16);
	b->ptr[off + 1] = (char)(n >> 8);
	b->ptr[off + 2] = (char)n;
}

static int put_list16(struct buf *b, const uint16_t *v, size_t n, int outer)
{
	size_t off = b->len, i;
	int r;

	/* outer: an extension body that is itself a 2-byte-length vector */
	if (outer && (r = put16(b, 0)))
		return r;
	for (i = 0; i < n; i++)
		if ((r = put16(b, v[i])))
			return r;
	if (outer)
		patch16(b, off);
	return 0;
}

static int ext_begin(struct buf *b, unsigned type, size_t *off)
{
	int r = put16(b, type);

	*off = b->len;
	return r ? r : put16(b, 0);
}

static int ext_sni(struct buf *b, const char *sni)
{
	size_t off, l1, n = strlen(sni);
	int r;

	if (n == 0 || n > 255)
		return n ? ERR_INVAL : 0;
	if ((r = ext_begin(b, EXT_SNI, &off)))
		return r;
	l1 = b->len;
	if ((r = put16(b, 0)) || (r = put8(b, 0)) || (r = put16(b, (unsigned)n)) ||
	    (r = buf_add(b, sni, n)))
		return r;
	patch16(b, l1);
	patch16(b, off);
	return 0;
}

static int ext_key_share(struct buf *b, const struct tls_hello_opts *o)
{
	size_t off, l1;
	uint16_t g = o->n_groups && o->groups ? o->groups[0] : GROUP_X25519;
	int r;

	if ((r = ext_begin(b, EXT_KEY_SHARE, &off)))
		return r;
	l1 = b->len;
	if ((r = put16(b, 0)))
		return r;
	if (o->key_share && g == GROUP_X25519) {
		if ((r = put16(b, g)) || (r = put16(b, sizeof(x25519_share))) ||
		    (r = buf_add(b, x25519_share, sizeof(x25519_share))))
			return r;
	} else if (o->key_share && g == GROUP_P256) {
		if ((r = put16(b, g)) || (r = put16(b, sizeof(p256_share))) ||
		    (r = buf_add(b, p256_share, sizeof(p256_share))))
			return r;
	}
	patch16(b, l1);
	patch16(b, off);
	return 0;
}

static int hello_extensions(struct buf *b, const struct tls_hello_opts *o)
{
	uint16_t groups[64];
	size_t off, i, ng = o->n_groups;
	const uint16_t *gp = o->groups;
	int r;

	if (!gp) {
		for (i = 0; i < tls_group_defs_n && i < ARRAY_SIZE(groups); i++)
			groups[i] = tls_group_defs[i].id;
		gp = groups;
		ng = i;
	}
	if (o->sni && (r = ext_sni(b, o->sni)))
		return r;
	if ((r = ext_begin(b, EXT_GROUPS, &off)) || (r = put_list16(b, gp, ng, 1)))
		return r;
	patch16(b, off);
	if ((r = ext_begin(b, EXT_POINT_FORMATS, &off)) || (r = put8(b, 1)) || (r = put8(b, 0)))
		return r;
	patch16(b, off);
	if ((r = ext_begin(b, EXT_SIGALGS, &off)))
		return r;
	r = o->sigalgs ? put_list16(b, o->sigalgs, o->n_sigalgs, 1)
		       : put_list16(b, default_sigalgs, ARRAY_SIZE(default_sigalgs), 1);
	if (r)
		return r;
	patch16(b, off);
	if ((r = ext_begin(b, EXT_EMS, &off)))
		return r;
	patch16(b, off);
	if ((r = ext_begin(b, EXT_RENEG, &off)) || (r = put8(b, 0)))
		return r;
	patch16(b, off);
	if (!o->tls13)
		return 0;
	if ((r = ext_begin(b, EXT_VERSIONS, &off)) || (r = put8(b, 2)) ||
	    (r = put16(b, TLS_WIRE_TLS13)))
		return r;
	patch16(b, off);
	if ((r = ext_begin(b, EXT_PSK_MODES, &off)) || (r = put8(b, 1)) || (r = put8(b, 1)))
		return r;
	patch16(b, off);
	return ext_key_share(b, o);
}

int tls_build_client_hello(const struct tls_hello_opts *o, const uint8_t random[32],
			   struct buf *out)
{
	size_t start = out->len, rec, hs, off;
	uint16_t cv = o->tls13 ? TLS_WIRE_TLS12 : o->version;
	int r;

	if (o->n_suites == 0 || o->n_suites > TLS_HELLO_MAX_SUITES || cv < TLS_WIRE_SSL3 ||
	    cv > TLS_WIRE_TLS12)
		return ERR_INVAL;
	/* Record version: 0x0300 for SSLv3, 0x0301 otherwise (what browsers send). */
	if ((r = put8(out, 22)) || (r = put16(out, cv == TLS_WIRE_SSL3 ? cv : TLS_WIRE_TLS10)))
		goto fail;
	rec = out->len;
	if ((r = put16(out, 0)) || (r = put8(out, 1)))
		goto fail;
	hs = out->len;
	if ((r = put8(out, 0)) || (r = put16(out, 0)) || (r = put16(out, cv)) ||
	    (r = buf_add(out, random, 32)))
		goto fail;
	/* TLS 1.3 middlebox compatibility: a 32-byte legacy session id. */
	r = put8(out, o->tls13 ? 32 : 0);
	if (r == 0 && o->tls13)
		r = buf_add(out, random, 32);
	if (r == 0)
		r = put_list16(out, o->suites, o->n_suites, 1);
	/* compression methods: {DEFLATE, null} or {null} */
	if (r == 0)
		r = o->deflate ? buf_add(out, "\x02\x01\x00", 3) : buf_add(out, "\x01\x00", 2);
	if (r)
		goto fail;
	off = out->len;
	if ((r = put16(out, 0)) || (r = hello_extensions(out, o)))
		goto fail;
	patch16(out, off);
	patch24(out, hs);
	patch16(out, rec);
	if (out->len - rec - 2 > 16384) {
		r = ERR_TOO_BIG;
		goto fail;
	}
	return 0;
fail:
	buf_truncate(out, start);
	return r;
}

int tls_build_ssl2_hello(const uint32_t *specs, size_t n, const uint8_t challenge[16],
			 struct buf *out)
{
	size_t start = out->len, i, body = 9 + 3 * n + 16;
	int r;

	if (n == 0 || n > 1000)
		return ERR_INVAL;
	/* 2-byte header, MSG-CLIENT-HELLO, version 2, lengths. */
	if ((r = put16(out, 0x8000 | (unsigned)body)) || (r = put8(out, 1)) ||
	    (r = put16(out, 0x0002)) || (r = put16(out, (unsigned)(3 * n))) ||
	    (r = put16(out, 0)) || (r = put16(out, 16)))
		goto fail;
	for (i = 0; i < n; i++)
		if ((r = put8(out, specs[i] >> 16)) || (r = put16(out, specs[i] & 0xffff)))
			goto fail;
	if ((r = buf_add(out, challenge, 16)))
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return r;
}

/* ----------------------------------------------------------------- parser */

static int parse_ssl2(const uint8_t *p, size_t len, struct tls_server_hello *sh)
{
	struct cursor c, body, cert, specs;
	uint16_t hdr, clen, slen, idlen, ver;
	uint8_t type, hit, ctype;
	size_t n;

	cursor_init(&c, p, len);
	if (cursor_be16(&c, &hdr))
		return ERR_EOF;
	if (cursor_sub(&c, hdr & 0x7fff, &body))
		return ERR_EOF;
	if (cursor_u8(&body, &type))
		return ERR_PARSE;
	if (type == 0) {
		sh->kind = TLS_RESP_SSL2_ERROR;
		return 0;
	}
	if (type != 4 || cursor_u8(&body, &hit) || cursor_u8(&body, &ctype) ||
	    cursor_be16(&body, &ver) || cursor_be16(&body, &clen) || cursor_be16(&body, &slen) ||
	    cursor_be16(&body, &idlen) || cursor_sub(&body, clen, &cert) ||
	    cursor_sub(&body, slen, &specs) || slen % 3)
		return ERR_PARSE;
	sh->kind = TLS_RESP_SSL2;
	sh->version = ver;
	sh->record_version = ver;
	for (n = 0; specs.len >= 3 && n < TLS_SSL2_MAX_SPECS; n++) {
		uint32_t v;

		if (cursor_be24(&specs, &v))
			return ERR_PARSE;
		sh->ssl2_specs[n] = v;
	}
	sh->ssl2_n = n;
	n = len - c.len < sizeof(sh->hello_head) ? len - c.len : sizeof(sh->hello_head);
	memcpy(sh->hello_head, p, n);
	sh->hello_head_len = n;
	return 0;
}

static int parse_sh_ext(struct cursor *ext, struct tls_server_hello *sh)
{
	while (ext->len) {
		uint16_t type, v;
		struct cursor body;

		if (cursor_be16(ext, &type) || cursor_sub16(ext, &body))
			return ERR_PARSE;
		switch (type) {
		case EXT_RENEG:
			sh->reneg_info = 1;
			break;
		case EXT_EMS:
			sh->ems = 1;
			break;
		case EXT_VERSIONS:
			if (cursor_be16(&body, &v))
				return ERR_PARSE;
			sh->version = v;
			break;
		case EXT_KEY_SHARE:
			if (cursor_be16(&body, &v))
				return ERR_PARSE;
			sh->group = v;
			break;
		default:
			break;
		}
	}
	return 0;
}

static int parse_server_hello(struct cursor *m, struct tls_server_hello *sh)
{
	const unsigned char *rnd;
	struct cursor sid, ext;
	uint16_t v, suite;
	uint8_t comp;

	if (cursor_be16(m, &v) || cursor_bytes(m, 32, &rnd) || cursor_sub8(m, &sid) ||
	    cursor_be16(m, &suite) || cursor_u8(m, &comp))
		return ERR_PARSE;
	sh->kind = TLS_RESP_HELLO;
	sh->version = v;
	sh->suite = suite;
	sh->compression = comp;
	sh->hrr = memcmp(rnd, hrr_random, 32) == 0;
	if (m->len == 0)
		return 0;
	if (cursor_sub16(m, &ext))
		return ERR_PARSE;
	return parse_sh_ext(&ext, sh);
}

/* bits of a big-endian unsigned number (leading zero bytes/bits skipped) */
static int bignum_bits(struct cursor n)
{
	int bits;
	uint8_t top;

	while (n.len && n.p[0] == 0) {
		n.p++;
		n.len--;
	}
	if (n.len == 0)
		return 0;
	bits = (int)(n.len * 8);
	for (top = n.p[0]; !(top & 0x80); top <<= 1)
		bits--;
	return bits;
}

static int parse_ske(struct cursor *m, struct tls_server_hello *sh)
{
	const struct tls_suite *s = tls_suite_find(TLS_SUITE_TLS, sh->suite);
	struct cursor prime, g, y, pt;
	uint8_t ctype;
	uint16_t group, alg;

	if (!s)
		return 0;
	if (strcmp(s->kx, "ECDH") == 0) {
		if (cursor_u8(m, &ctype) || ctype != 3 || cursor_be16(m, &group) ||
		    cursor_sub8(m, &pt))
			return ERR_PARSE;
		sh->ske_group = group;
	} else if (strcmp(s->kx, "DH") == 0) {
		if (cursor_sub16(m, &prime) || cursor_sub16(m, &g) || cursor_sub16(m, &y))
			return ERR_PARSE;
		sh->ske_dh_bits = bignum_bits(prime);
	} else {
		return 0; /* export RSA and friends: nothing we rate here */
	}
	sh->have_ske = 1;
	if (sh->version == TLS_WIRE_TLS12 && strcmp(s->au, "None") != 0 &&
	    cursor_be16(m, &alg) == 0)
		sh->ske_sigalg = alg;
	return 0;
}

/* walk the reassembled handshake messages; 0 complete, ERR_EOF more */
static int parse_handshake(const struct buf *hs, int want_ske, struct tls_server_hello *sh)
{
	struct cursor c, m;
	uint8_t type;
	int r;

	cursor_init(&c, hs->ptr, hs->len);
	while (c.len) {
		if (cursor_u8(&c, &type) || cursor_sub24(&c, &m))
			return ERR_EOF;
		if (sh->kind == TLS_RESP_NONE) {
			if (type != 2)
				return ERR_PROTO;
			if ((r = parse_server_hello(&m, sh)))
				return r;
			if (!want_ske || sh->hrr || sh->version >= TLS_WIRE_TLS13)
				return 0;
			continue;
		}
		if (type == 12) {
			if ((r = parse_ske(&m, sh)))
				return r;
			return 0;
		}
		if (type == 14) {
			sh->done = 1;
			return 0;
		}
	}
	return sh->kind == TLS_RESP_HELLO && !want_ske ? 0 : ERR_EOF;
}

static int record_ok(uint8_t type, uint16_t ver, uint16_t len)
{
	return type >= 20 && type <= 23 && (ver >> 8) == 3 && (ver & 0xff) <= 4 &&
	       len <= 16384 + 2048;
}

int tls_parse_response(const uint8_t *p, size_t len, int want_ske, struct tls_server_hello *sh)
{
	struct buf hs;
	struct cursor c, frag;
	uint8_t type, lvl = 0, desc = 0;
	uint16_t ver, rlen;
	int r, first = 1, alert = 0, end = 0;

	memset(sh, 0, sizeof(*sh));
	if (len >= 3 && (p[0] & 0x80) && (p[2] == 4 || p[2] == 0))
		return parse_ssl2(p, len, sh);
	if (len >= 1 && (p[0] < 20 || p[0] > 23))
		return ERR_PROTO;
	buf_init(&hs, TLS_HS_MAX);
	cursor_init(&c, p, len);
	while (!end && c.len >= 5) {
		const unsigned char *rec = c.p;

		if (cursor_u8(&c, &type) || cursor_be16(&c, &ver) || cursor_be16(&c, &rlen))
			break;
		if (!record_ok(type, ver, rlen)) {
			r = first ? ERR_PROTO : ERR_PARSE;
			goto out;
		}
		if (cursor_sub(&c, rlen, &frag))
			break; /* record not complete yet */
		if (type == 21) {
			if (cursor_u8(&frag, &lvl) == 0 && cursor_u8(&frag, &desc) == 0)
				alert = 1;
			end = 1;
		} else if (type != 22) {
			end = 1; /* CCS or encrypted: the plaintext handshake is over */
		} else {
			if (first) {
				size_t n = (size_t)(c.p - rec);

				sh->record_version = ver;
				n = n < sizeof(sh->hello_head) ? n : sizeof(sh->hello_head);
				memcpy(sh->hello_head, rec, n);
				sh->hello_head_len = n;
			}
			if ((r = buf_add(&hs, frag.p, frag.len)))
				goto out;
		}
		first = 0;
	}
	{
		uint16_t rv = sh->record_version;
		uint8_t head[sizeof(sh->hello_head)];
		size_t hl = sh->hello_head_len;

		memcpy(head, sh->hello_head, sizeof(head));
		r = parse_handshake(&hs, want_ske, sh);
		sh->record_version = rv;
		memcpy(sh->hello_head, head, sizeof(head));
		sh->hello_head_len = hl;
	}
	if (r != ERR_EOF)
		goto out;
	if (sh->kind == TLS_RESP_NONE && alert) {
		sh->kind = TLS_RESP_ALERT;
		sh->alert_level = lvl;
		sh->alert_desc = desc;
		r = 0;
	} else if (sh->kind == TLS_RESP_HELLO && end) {
		r = 0;
	}
out:
	buf_release(&hs);
	return r;
}
