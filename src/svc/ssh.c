/*
 * ssh.c: the SSH KEXINIT parser (RFC 4253 7.1) and the SVC-11 rules that
 * rate the algorithms a server offers: fail on SHA-1 key exchange and host
 * keys, DSA, 3DES/Blowfish/RC4/CAST/DES ciphers and MD5 or 96-bit MACs;
 * warn on group14-sha256 and other 64-bit block ciphers.
 */
#include <string.h>

#include "svc/svc_int.h"

#define SSH_PACKET_MAX 35000 /* RFC 4253 6.1: 35000 bytes must be accepted */
#define SSH_MSG_KEXINIT 20

int ssh_parse_kexinit(const unsigned char *p, size_t len, struct ssh_kexinit *out)
{
	struct cursor c;
	uint8_t msg, follows;
	uint32_t reserved;
	int i;

	cursor_init(&c, p, len);
	if (cursor_u8(&c, &msg) != 0 || msg != SSH_MSG_KEXINIT || cursor_skip(&c, 16) != 0)
		return ERR_PARSE;
	for (i = 0; i < SSH_KEX_LISTS; i++) {
		uint32_t n;

		if (cursor_be32(&c, &n) != 0 || cursor_sub(&c, n, &out->list[i]) != 0)
			return ERR_PARSE;
	}
	if (cursor_u8(&c, &follows) != 0 || cursor_be32(&c, &reserved) != 0)
		return ERR_PARSE;
	out->first_kex_follows = follows != 0;
	return 0;
}

int ssh_parse_kexinit_packet(const unsigned char *p, size_t len, struct ssh_kexinit *out,
			     size_t *used)
{
	struct cursor c, payload;
	uint32_t plen;
	uint8_t pad;

	cursor_init(&c, p, len);
	if (cursor_be32(&c, &plen) != 0)
		return ERR_EOF;
	if (plen < 5 || plen > SSH_PACKET_MAX)
		return ERR_TOO_BIG;
	if (c.len < plen)
		return ERR_EOF;
	if (cursor_u8(&c, &pad) != 0 || pad >= plen ||
	    cursor_sub(&c, plen - pad - 1, &payload) != 0)
		return ERR_PARSE;
	if (used)
		*used = 4 + (size_t)plen;
	return ssh_parse_kexinit(payload.p, payload.len, out);
}

/* The rules. A name matches an entry exactly, or by prefix for "x*". */
struct ssh_rule {
	int list; /* 0 kex, 1 hostkey, 2 cipher, 4 mac */
	const char *name;
	int fail; /* 1 fail, 0 warn */
};

static const struct ssh_rule ssh_rules[] = {
    {0, "diffie-hellman-group1-sha1", 1},
    {0, "diffie-hellman-group14-sha1", 1},
    {0, "diffie-hellman-group-exchange-sha1", 1},
    {0, "rsa1024-sha1", 1},
    {0, "gss-group1-sha1-*", 1},
    {0, "gss-group14-sha1-*", 1},
    {0, "gss-gex-sha1-*", 1},
    {0, "diffie-hellman-group14-sha256", 0},
    {1, "ssh-rsa", 1},
    {1, "ssh-rsa-cert-v01@openssh.com", 1},
    {1, "ssh-dss", 1},
    {1, "ssh-dss-cert-v01@openssh.com", 1},
    {2, "3des-*", 1},
    {2, "des-*", 1},
    {2, "des", 1},
    {2, "blowfish-*", 1},
    {2, "blowfish", 1},
    {2, "cast128-*", 1},
    {2, "arcfour*", 1},
    {2, "rc4*", 1},
    {2, "none", 1},
    {2, "idea-*", 0},
    {2, "twofish-cbc", 0},
    {4, "hmac-md5*", 1},
    {4, "hmac-sha1-96*", 1},
    {4, "hmac-sha2-256-96*", 1},
    {4, "hmac-sha2-512-96*", 1},
    {4, "hmac-ripemd160-96*", 1},
    {4, "umac-32*", 1},
    {4, "none", 1},
};

static int rule_match(const char *rule, const unsigned char *n, size_t len)
{
	size_t rl = strlen(rule);

	if (rl && rule[rl - 1] == '*')
		return len >= rl - 1 && memcmp(n, rule, rl - 1) == 0;
	return len == rl && memcmp(n, rule, rl) == 0;
}

static int add_name(struct buf *b, const unsigned char *n, size_t len)
{
	/* skip duplicates: the same name may be in both directions */
	const char *hit = b->len ? memmem(b->ptr, b->len, n, len) : NULL;

	while (hit) {
		size_t off = (size_t)(hit - b->ptr);

		if ((off == 0 || b->ptr[off - 1] == ',') &&
		    (off + len == b->len || b->ptr[off + len] == ','))
			return 0;
		hit = memmem(hit + 1, b->len - off - 1, n, len);
	}
	if (b->len && buf_addch(b, ',') != 0)
		return ERR_TOO_BIG;
	return buf_add_printable(b, n, len);
}

int ssh_rate_algos(const struct ssh_kexinit *k, struct buf *bad, struct buf *weak)
{
	static const int lists[] = {0, 1, 2, 3, 4, 5};
	size_t li, ri;
	int r;

	for (li = 0; li < ARRAY_SIZE(lists); li++) {
		struct cursor c = k->list[lists[li]], name;
		int rl = lists[li] == 3 ? 2 : lists[li] == 5 ? 4 : lists[li];

		while (c.len) {
			if (cursor_until(&c, ',', &name) != 0) {
				name = c;
				c.len = 0;
			} else {
				svc_skip(&c, 1);
			}
			for (ri = 0; ri < ARRAY_SIZE(ssh_rules); ri++) {
				if (ssh_rules[ri].list != rl ||
				    !rule_match(ssh_rules[ri].name, name.p, name.len))
					continue;
				r = add_name(ssh_rules[ri].fail ? bad : weak, name.p, name.len);
				if (r)
					return r;
				break;
			}
		}
	}
	return 0;
}
