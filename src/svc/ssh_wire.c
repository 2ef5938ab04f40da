/*
 * ssh_wire.c: just enough of the SSH transport (RFC 4253) to read a
 * server's KEXINIT (SVC-11) and to ask which user authentication methods it
 * offers (SVC-12): curve25519-sha256 key exchange (libsodium), AES-GCM or
 * AES-CTR with hmac-sha2-256 (OpenSSL), then a "none" USERAUTH_REQUEST. The host key
 * signature is not verified: nothing secret is sent and nothing received is
 * trusted beyond the list of method names. See docs/services.md.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <sodium.h>

#include "svc/svc_int.h"

#define SSH_PACKET_MAX 35000
#define SSH_IDENT "SSH-2.0-wachter_0.1"
#define SSH_USER "wachter"

enum {
	SSH_MSG_SERVICE_REQUEST = 5,
	SSH_MSG_SERVICE_ACCEPT = 6,
	SSH_MSG_KEXINIT = 20,
	SSH_MSG_NEWKEYS = 21,
	SSH_MSG_KEX_ECDH_INIT = 30,
	SSH_MSG_KEX_ECDH_REPLY = 31,
	SSH_MSG_USERAUTH_REQUEST = 50,
	SSH_MSG_USERAUTH_FAILURE = 51,
	SSH_MSG_USERAUTH_SUCCESS = 52,
	SSH_MSG_USERAUTH_BANNER = 53,
};

enum { SSH_KEYED_NONE = 0, SSH_KEYED_CTR = 1, SSH_KEYED_GCM = 2 };

struct ssh_sess {
	struct svc_conn c;
	struct buf in; /* bytes received and not yet consumed */
	size_t off;
	uint32_t seq_in, seq_out;
	EVP_CIPHER_CTX *enc, *dec;
	unsigned char mac_out[32], mac_in[32];
	struct buf plain;		     /* the packet being decrypted */
	int keyed;			     /* SSH_KEYED_* */
	unsigned char iv_out[12], iv_in[12]; /* GCM: fixed(4) + counter(8) */
	char ident[256];		     /* the server's identification line, no CR LF */
};

static void sess_release(struct ssh_sess *s)
{
	EVP_CIPHER_CTX_free(s->enc);
	EVP_CIPHER_CTX_free(s->dec);
	mem_zero(s->mac_out, sizeof(s->mac_out));
	mem_zero(s->mac_in, sizeof(s->mac_in));
	buf_release(&s->in);
	buf_release(&s->plain);
	svc_conn_close(&s->c);
}

/* fill: at least n unconsumed bytes in s->in. */
static int fill(struct ssh_sess *s, size_t n)
{
	int r;

	if (s->off && s->off == s->in.len) {
		buf_reset(&s->in);
		s->off = 0;
	}
	while (s->in.len - s->off < n) {
		if (s->off > 65536) {
			memmove(s->in.ptr, s->in.ptr + s->off, s->in.len - s->off);
			buf_truncate(&s->in, s->in.len - s->off);
			s->off = 0;
		}
		r = svc_conn_recv(&s->c, &s->in, 16384);
		if (r)
			return r;
	}
	return 0;
}

static int sess_open(struct ssh_sess *s, const struct net_addr *a, int timeout_ms)
{
	struct cursor c, line;
	int r, lines;

	memset(s, 0, sizeof(*s));
	buf_init(&s->in, 4 * SSH_PACKET_MAX);
	buf_init(&s->plain, SSH_PACKET_MAX + 64);
	r = svc_conn_open(&s->c, a, timeout_ms, time_now_ms() + 3 * (int64_t)timeout_ms);
	if (r) {
		s->c.nc.fd = -1;
		return r;
	}
	r = svc_conn_send(&s->c, SSH_IDENT "\r\n", sizeof(SSH_IDENT) + 1);
	if (r)
		return r;
	/* RFC 4253 4.2: the server may send other lines before its ident */
	for (lines = 0; lines < 32; lines++) {
		for (;;) {
			cursor_init(&c, s->in.ptr + s->off, s->in.len - s->off);
			r = cursor_line(&c, 255, &line);
			if (r != ERR_EOF)
				break;
			r = fill(s, s->in.len - s->off + 1);
			if (r)
				return r;
		}
		if (r)
			return ERR_PROTO;
		s->off = s->in.len - c.len;
		if (line.len >= 4 && memcmp(line.p, "SSH-", 4) == 0) {
			svc_set(s->ident, sizeof(s->ident), line.p, line.len);
			return 0;
		}
	}
	return ERR_PROTO;
}

/* mac_seq: HMAC-SHA256(key, seq || data) (RFC 4253 6.4). */
static int mac_seq(const unsigned char key[32], const unsigned char seq[4], const char *data,
		   size_t len, unsigned char *out, unsigned int *outl)
{
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	OSSL_PARAM params[2];
	size_t ol = 0;
	int r = ERR_TLS;

	params[0] = OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (ctx && EVP_MAC_init(ctx, key, 32, params) == 1 && EVP_MAC_update(ctx, seq, 4) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)data, len) == 1 &&
	    EVP_MAC_final(ctx, out, &ol, EVP_MAX_MD_SIZE) == 1 && ol == 32) {
		*outl = (unsigned int)ol;
		r = 0;
	}
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	return r;
}

/* gcm_next: increment the invocation counter of a GCM IV (RFC 5647 7.1). */
static void gcm_next(unsigned char iv[12])
{
	int i;

	for (i = 11; i >= 4; i--)
		if (++iv[i] != 0)
			break;
}

/* gcm_seal: encrypt pkt[4..total) in place, length as AAD, tag after. */
static int gcm_seal(struct ssh_sess *s, unsigned char *pkt, size_t total)
{
	int outl, r = ERR_TLS;

	if (EVP_EncryptInit_ex(s->enc, NULL, NULL, NULL, s->iv_out) == 1 &&
	    EVP_EncryptUpdate(s->enc, NULL, &outl, pkt, 4) == 1 &&
	    EVP_EncryptUpdate(s->enc, pkt + 4, &outl, pkt + 4, (int)(total - 4)) == 1 &&
	    EVP_EncryptFinal_ex(s->enc, pkt + total, &outl) == 1 &&
	    EVP_CIPHER_CTX_ctrl(s->enc, EVP_CTRL_GCM_GET_TAG, 16, pkt + total) == 1)
		r = 0;
	gcm_next(s->iv_out);
	return r;
}

/* gcm_open: decrypt a whole packet p (length, body, tag) into out. */
static int gcm_open(struct ssh_sess *s, const unsigned char *p, uint32_t plen, unsigned char *out)
{
	int outl, r = ERR_PROTO;

	memcpy(out, p, 4);
	if (EVP_DecryptInit_ex(s->dec, NULL, NULL, NULL, s->iv_in) == 1 &&
	    EVP_DecryptUpdate(s->dec, NULL, &outl, p, 4) == 1 &&
	    EVP_DecryptUpdate(s->dec, out + 4, &outl, p + 4, (int)plen) == 1 &&
	    EVP_CIPHER_CTX_ctrl(s->dec, EVP_CTRL_GCM_SET_TAG, 16, (void *)(p + 4 + plen)) == 1 &&
	    EVP_DecryptFinal_ex(s->dec, out + 4 + plen, &outl) == 1)
		r = 0;
	gcm_next(s->iv_in);
	return r;
}

/* recv_gcm: the next GCM packet, decrypted into s->plain. */
static int recv_gcm(struct ssh_sess *s, uint32_t *plen_out)
{
	const unsigned char *p;
	uint32_t plen;
	int r;

	r = fill(s, 4);
	if (r)
		return r;
	p = (const unsigned char *)s->in.ptr + s->off;
	plen = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	if (plen < 16 || plen > SSH_PACKET_MAX || plen % 16 != 0)
		return ERR_PROTO;
	r = fill(s, 4 + plen + 16);
	if (r == 0)
		r = buf_grow(&s->plain, 4 + plen + 16);
	if (r)
		return r;
	p = (const unsigned char *)s->in.ptr + s->off;
	r = gcm_open(s, p, plen, (unsigned char *)s->plain.ptr);
	if (r)
		return r;
	s->plain.len = 4 + plen;
	s->off += 4 + plen + 16;
	*plen_out = plen;
	return 0;
}

/* send_packet: frame (and once keyed, encrypt and MAC) one payload. */
static int send_packet(struct ssh_sess *s, const unsigned char *pl, size_t len)
{
	unsigned char pkt[2048], mac[EVP_MAX_MD_SIZE], seq[4];
	size_t block = s->keyed ? 16 : 8, total;
	/* GCM leaves the length field out of the block alignment */
	size_t aligned = s->keyed == SSH_KEYED_GCM ? len + 1 : len + 5;
	size_t pad = block - (aligned % block);
	unsigned int ml = 0;
	int outl, r;

	if (pad < 4)
		pad += block;
	total = 5 + len + pad;
	if (total + 32 > sizeof(pkt))
		return ERR_TOO_BIG;
	pkt[0] = (unsigned char)((total - 4) >> 24);
	pkt[1] = (unsigned char)((total - 4) >> 16);
	pkt[2] = (unsigned char)((total - 4) >> 8);
	pkt[3] = (unsigned char)(total - 4);
	pkt[4] = (unsigned char)pad;
	memcpy(pkt + 5, pl, len);
	randombytes_buf(pkt + 5 + len, pad);
	if (s->keyed == SSH_KEYED_GCM) {
		r = gcm_seal(s, pkt, total);
		if (r)
			return r;
		total += 16;
	} else if (s->keyed) {
		seq[0] = (unsigned char)(s->seq_out >> 24);
		seq[1] = (unsigned char)(s->seq_out >> 16);
		seq[2] = (unsigned char)(s->seq_out >> 8);
		seq[3] = (unsigned char)s->seq_out;
		r = mac_seq(s->mac_out, seq, (const char *)pkt, total, mac, &ml);
		if (r)
			return r;
		if (EVP_EncryptUpdate(s->enc, pkt, &outl, pkt, (int)total) != 1)
			return ERR_TLS;
		memcpy(pkt + total, mac, 32);
		total += 32;
	}
	s->seq_out++;
	r = svc_conn_send(&s->c, pkt, total);
	return r;
}

/* recv_packet: the next payload into pl (reset first); skips IGNORE,
 * DEBUG and UNIMPLEMENTED messages. */
static int recv_packet(struct ssh_sess *s, struct buf *pl)
{
	unsigned char mac[EVP_MAX_MD_SIZE], seq[4];
	const unsigned char *p;
	uint32_t plen;
	size_t block = s->keyed ? 16 : 8, maclen = s->keyed ? 32 : 0;
	unsigned int ml = 0;
	uint8_t pad;
	int r, outl;

	for (;;) {
		buf_reset(&s->plain);
		if (s->keyed == SSH_KEYED_GCM) {
			r = recv_gcm(s, &plen);
			if (r)
				return r;
			goto have_packet;
		}
		r = fill(s, block);
		if (r)
			return r;
		p = (const unsigned char *)s->in.ptr + s->off;
		r = buf_grow(&s->plain, block);
		if (r)
			return r;
		if (s->keyed) {
			if (EVP_DecryptUpdate(s->dec, (unsigned char *)s->plain.ptr, &outl, p,
					      (int)block) != 1)
				return ERR_TLS;
		} else {
			memcpy(s->plain.ptr, p, block);
		}
		s->plain.len = block;
		p = (const unsigned char *)s->plain.ptr;
		plen = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		if (plen < 5 || plen > SSH_PACKET_MAX || (plen + 4) % block != 0)
			return ERR_PROTO;
		r = fill(s, 4 + plen + maclen);
		if (r)
			return r;
		r = buf_grow(&s->plain, 4 + plen - block);
		if (r)
			return r;
		p = (const unsigned char *)s->in.ptr + s->off;
		if (s->keyed) {
			if (EVP_DecryptUpdate(s->dec, (unsigned char *)s->plain.ptr + block, &outl,
					      p + block, (int)(4 + plen - block)) != 1)
				return ERR_TLS;
		} else {
			memcpy(s->plain.ptr + block, p + block, 4 + plen - block);
		}
		s->plain.len = 4 + plen;
		if (s->keyed) {
			seq[0] = (unsigned char)(s->seq_in >> 24);
			seq[1] = (unsigned char)(s->seq_in >> 16);
			seq[2] = (unsigned char)(s->seq_in >> 8);
			seq[3] = (unsigned char)s->seq_in;
			r = mac_seq(s->mac_in, seq, s->plain.ptr, s->plain.len, mac, &ml);
			if (r)
				return r;
			if (CRYPTO_memcmp(mac, p + 4 + plen, 32) != 0)
				return ERR_PROTO;
		}
		s->off += 4 + plen + maclen;
	have_packet:
		s->seq_in++;
		p = (const unsigned char *)s->plain.ptr;
		pad = p[4];
		if ((size_t)pad + 1 >= plen)
			return ERR_PROTO;
		if (p[5] == 2 || p[5] == 3 || p[5] == 4)
			continue; /* IGNORE, UNIMPLEMENTED, DEBUG */
		buf_reset(pl);
		return buf_add(pl, p + 5, plen - pad - 1);
	}
}

/* ------------------------------------------------------------ payloads */

static int put_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};

	return buf_add(b, x, 4);
}

static int put_str(struct buf *b, const void *p, size_t n)
{
	int r = put_u32(b, (uint32_t)n);

	return r ? r : buf_add(b, p, n);
}

/* put_mpint: an unsigned big-endian number as an SSH mpint. */
static int put_mpint(struct buf *b, const unsigned char *p, size_t n)
{
	int r;

	while (n && p[0] == 0) {
		p++;
		n--;
	}
	if (n && (p[0] & 0x80)) {
		r = put_u32(b, (uint32_t)n + 1);
		if (r == 0)
			r = buf_addch(b, 0);
		return r ? r : buf_add(b, p, n);
	}
	return put_str(b, p, n);
}

static int get_str(struct cursor *c, struct cursor *out)
{
	uint32_t n;

	if (cursor_be32(c, &n) != 0)
		return ERR_PROTO;
	return cursor_sub(c, n, out) ? ERR_PROTO : 0;
}

/* in_list: name is one of the comma separated names in l. */
static int in_list(const struct cursor *l, const char *name)
{
	struct cursor c = *l, n;
	size_t len = strlen(name);

	while (c.len) {
		if (cursor_until(&c, ',', &n) != 0) {
			n = c;
			c.len = 0;
		} else {
			svc_skip(&c, 1);
		}
		if (n.len == len && memcmp(n.p, name, len) == 0)
			return 1;
	}
	return 0;
}

/* choose: the first of our names (NULL-terminated) the server also has. */
static const char *choose(const char *const *ours, const struct cursor *theirs)
{
	for (; *ours; ours++)
		if (in_list(theirs, *ours))
			return *ours;
	return NULL;
}

static const char *const our_kex[] = {"curve25519-sha256", "curve25519-sha256@libssh.org", NULL};
static const char *const our_enc[] = {"aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
				      "aes128-ctr", "aes256-ctr", NULL};
static const char *const our_mac[] = {"hmac-sha2-256", NULL};

static int build_kexinit(struct buf *b)
{
	unsigned char cookie[16];
	int r;

	randombytes_buf(cookie, sizeof(cookie));
	r = buf_addch(b, SSH_MSG_KEXINIT);
	if (r == 0)
		r = buf_add(b, cookie, sizeof(cookie));
	if (r == 0)
		r = put_str(b, "curve25519-sha256,curve25519-sha256@libssh.org", 46);
	{
		static const char hk[] = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
					 "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa";
		static const char enc[] =
		    "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes256-ctr";
		static const char mac[] = "hmac-sha2-256";

		if (r == 0)
			r = put_str(b, hk, sizeof(hk) - 1);
		if (r == 0)
			r = put_str(b, enc, sizeof(enc) - 1);
		if (r == 0)
			r = put_str(b, enc, sizeof(enc) - 1);
		if (r == 0)
			r = put_str(b, mac, sizeof(mac) - 1);
		if (r == 0)
			r = put_str(b, mac, sizeof(mac) - 1);
	}
	if (r == 0)
		r = put_str(b, "none", 4);
	if (r == 0)
		r = put_str(b, "none", 4);
	if (r == 0)
		r = put_str(b, "", 0);
	if (r == 0)
		r = put_str(b, "", 0);
	if (r == 0)
		r = buf_addch(b, 0);
	if (r == 0)
		r = put_u32(b, 0);
	return r;
}

static int sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int ol = 0;

	return EVP_Digest(p, n, out, &ol, EVP_sha256(), NULL) == 1 && ol == 32 ? 0 : ERR_TLS;
}

/* derive: RFC 4253 7.2, HASH(K || H || letter || session_id); 32 bytes. */
static int derive(const struct buf *kmp, const unsigned char h[32], char letter,
		  unsigned char out[32])
{
	struct buf b = BUF_INIT;
	int r;

	r = buf_add(&b, kmp->ptr, kmp->len);
	if (r == 0)
		r = buf_add(&b, h, 32);
	if (r == 0)
		r = buf_addch(&b, letter);
	if (r == 0)
		r = buf_add(&b, h, 32); /* session_id == H of the first exchange */
	if (r == 0)
		r = sha256(b.ptr, b.len, out);
	mem_zero(b.ptr, b.len);
	buf_release(&b);
	return r;
}

static int set_keys(struct ssh_sess *s, const struct buf *kmp, const unsigned char h[32],
		    const char *enc)
{
	unsigned char iv_c[32], iv_s[32], k_c[32], k_s[32];
	int gcm = strstr(enc, "-gcm@") != NULL, big = strncmp(enc, "aes256", 6) == 0;
	const EVP_CIPHER *ci = gcm ? (big ? EVP_aes_256_gcm() : EVP_aes_128_gcm())
				   : (big ? EVP_aes_256_ctr() : EVP_aes_128_ctr());
	int r;

	r = derive(kmp, h, 'A', iv_c);
	if (r == 0)
		r = derive(kmp, h, 'B', iv_s);
	if (r == 0)
		r = derive(kmp, h, 'C', k_c);
	if (r == 0)
		r = derive(kmp, h, 'D', k_s);
	if (r == 0)
		r = derive(kmp, h, 'E', s->mac_out);
	if (r == 0)
		r = derive(kmp, h, 'F', s->mac_in);
	if (r)
		goto out;
	s->enc = EVP_CIPHER_CTX_new();
	s->dec = EVP_CIPHER_CTX_new();
	if (!s->enc || !s->dec) {
		r = ERR_NOMEM;
		goto out;
	}
	if (gcm) {
		/* the IV goes in per packet (fixed part + counter) */
		memcpy(s->iv_out, iv_c, 12);
		memcpy(s->iv_in, iv_s, 12);
		if (EVP_EncryptInit_ex(s->enc, ci, NULL, NULL, NULL) != 1 ||
		    EVP_CIPHER_CTX_ctrl(s->enc, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
		    EVP_EncryptInit_ex(s->enc, NULL, NULL, k_c, NULL) != 1 ||
		    EVP_DecryptInit_ex(s->dec, ci, NULL, NULL, NULL) != 1 ||
		    EVP_CIPHER_CTX_ctrl(s->dec, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
		    EVP_DecryptInit_ex(s->dec, NULL, NULL, k_s, NULL) != 1)
			r = ERR_TLS;
	} else if (EVP_EncryptInit_ex(s->enc, ci, NULL, k_c, iv_c) != 1 ||
		   EVP_DecryptInit_ex(s->dec, ci, NULL, k_s, iv_s) != 1) {
		r = ERR_TLS;
	}
	if (r)
		goto out;
	s->keyed = gcm ? SSH_KEYED_GCM : SSH_KEYED_CTR;
out:
	mem_zero(k_c, sizeof(k_c));
	mem_zero(k_s, sizeof(k_s));
	mem_zero(iv_c, sizeof(iv_c));
	mem_zero(iv_s, sizeof(iv_s));
	return r;
}

/* exchange_hash: H for curve25519-sha256 (RFC 8731 3.1). */
static int exchange_hash(const struct ssh_sess *s, const struct buf *ic, const struct buf *is,
			 const struct cursor *ks, const unsigned char qc[32],
			 const struct cursor *qs, const struct buf *kmp, unsigned char h[32])
{
	struct buf b = BUF_INIT;
	int r;

	r = put_str(&b, SSH_IDENT, sizeof(SSH_IDENT) - 1);
	if (r == 0)
		r = put_str(&b, s->ident, strlen(s->ident));
	if (r == 0)
		r = put_str(&b, ic->ptr, ic->len);
	if (r == 0)
		r = put_str(&b, is->ptr, is->len);
	if (r == 0)
		r = put_str(&b, ks->p, ks->len);
	if (r == 0)
		r = put_str(&b, qc, 32);
	if (r == 0)
		r = put_str(&b, qs->p, qs->len);
	if (r == 0)
		r = buf_add(&b, kmp->ptr, kmp->len);
	if (r == 0)
		r = sha256(b.ptr, b.len, h);
	mem_zero(b.ptr, b.len);
	buf_release(&b);
	return r;
}

/* newkeys: the server's NEWKEYS, then ours (pkt is scratch). */
static int newkeys(struct ssh_sess *s, struct buf *pkt)
{
	unsigned char m = SSH_MSG_NEWKEYS;
	int r = recv_packet(s, pkt);

	if (r == 0 && (pkt->len < 1 || (uint8_t)pkt->ptr[0] != SSH_MSG_NEWKEYS))
		r = ERR_PROTO;
	return r ? r : send_packet(s, &m, 1);
}

/* kex: KEXINIT both ways, ECDH, NEWKEYS both ways; then s is keyed. */
static int kex(struct ssh_sess *s, struct logger *lg)
{
	struct buf ic = BUF_INIT, is = BUF_INIT, pkt = BUF_INIT, kmp = BUF_INIT;
	struct ssh_kexinit k;
	struct cursor c, ks, qs, sig;
	unsigned char priv[32], qc[32], shared[32], h[32];
	const char *enc;
	uint8_t msg;
	int r;

	buf_init(&ic, 4096);
	buf_init(&is, SSH_PACKET_MAX);
	buf_init(&pkt, SSH_PACKET_MAX);
	r = build_kexinit(&ic);
	if (r == 0)
		r = send_packet(s, (const unsigned char *)ic.ptr, ic.len);
	if (r == 0)
		r = recv_packet(s, &is);
	if (r)
		goto out;
	if (ssh_parse_kexinit((const unsigned char *)is.ptr, is.len, &k) != 0) {
		r = ERR_PROTO;
		goto out;
	}
	enc = choose(our_enc, &k.list[2]);
	if (!choose(our_kex, &k.list[0]) || !enc || choose(our_enc, &k.list[3]) != enc ||
	    (!strstr(enc, "-gcm@") &&
	     (!choose(our_mac, &k.list[4]) || !choose(our_mac, &k.list[5]))) ||
	    !in_list(&k.list[6], "none") || !in_list(&k.list[7], "none")) {
		LOG_DEBUG(lg, "ssh no common algorithms");
		r = ERR_UNSUPP;
		goto out;
	}
	randombytes_buf(priv, sizeof(priv));
	crypto_scalarmult_base(qc, priv);
	buf_reset(&pkt);
	r = buf_addch(&pkt, SSH_MSG_KEX_ECDH_INIT);
	if (r == 0)
		r = put_str(&pkt, qc, 32);
	if (r == 0)
		r = send_packet(s, (const unsigned char *)pkt.ptr, pkt.len);
	if (r == 0)
		r = recv_packet(s, &pkt);
	if (r)
		goto out;
	cursor_init(&c, pkt.ptr, pkt.len);
	if (cursor_u8(&c, &msg) != 0 || msg != SSH_MSG_KEX_ECDH_REPLY || get_str(&c, &ks) != 0 ||
	    get_str(&c, &qs) != 0 || get_str(&c, &sig) != 0 || qs.len != 32 ||
	    crypto_scalarmult(shared, priv, qs.p) != 0) {
		r = ERR_PROTO;
		goto out;
	}
	buf_init(&kmp, 64);
	r = put_mpint(&kmp, shared, 32);
	if (r == 0)
		r = exchange_hash(s, &ic, &is, &ks, qc, &qs, &kmp, h);
	if (r)
		goto out;
	r = newkeys(s, &pkt);
	if (r == 0)
		r = set_keys(s, &kmp, h, enc);
out:
	mem_zero(priv, sizeof(priv));
	mem_zero(shared, sizeof(shared));
	if (kmp.cap)
		mem_zero(kmp.ptr, kmp.len);
	buf_release(&kmp);
	buf_release(&ic);
	buf_release(&is);
	buf_release(&pkt);
	return r;
}

static int userauth_none(struct ssh_sess *s, struct buf *methods)
{
	struct buf pkt = BUF_INIT;
	struct cursor c, list;
	uint8_t msg = 0;
	int r, tries;

	buf_init(&pkt, SSH_PACKET_MAX);
	r = buf_addch(&pkt, SSH_MSG_SERVICE_REQUEST);
	if (r == 0)
		r = put_str(&pkt, "ssh-userauth", 12);
	if (r == 0)
		r = send_packet(s, (const unsigned char *)pkt.ptr, pkt.len);
	for (tries = 0; r == 0 && tries < 8; tries++) {
		r = recv_packet(s, &pkt);
		if (r == 0 && pkt.len && (uint8_t)pkt.ptr[0] == SSH_MSG_SERVICE_ACCEPT)
			break;
	}
	if (r == 0 && (tries == 8 || !pkt.len || (uint8_t)pkt.ptr[0] != SSH_MSG_SERVICE_ACCEPT))
		r = ERR_PROTO;
	if (r)
		goto out;
	buf_reset(&pkt);
	r = buf_addch(&pkt, SSH_MSG_USERAUTH_REQUEST);
	if (r == 0)
		r = put_str(&pkt, SSH_USER, sizeof(SSH_USER) - 1);
	if (r == 0)
		r = put_str(&pkt, "ssh-connection", 14);
	if (r == 0)
		r = put_str(&pkt, "none", 4);
	if (r == 0)
		r = send_packet(s, (const unsigned char *)pkt.ptr, pkt.len);
	for (tries = 0; r == 0 && tries < 8; tries++) {
		r = recv_packet(s, &pkt);
		if (r)
			break;
		cursor_init(&c, pkt.ptr, pkt.len);
		if (cursor_u8(&c, &msg) != 0)
			continue;
		if (msg == SSH_MSG_USERAUTH_BANNER)
			continue;
		if (msg == SSH_MSG_USERAUTH_SUCCESS) {
			r = buf_adds(methods, "none (accepted without credentials)");
			goto out;
		}
		if (msg != SSH_MSG_USERAUTH_FAILURE || get_str(&c, &list) != 0) {
			r = ERR_PROTO;
			goto out;
		}
		r = buf_add_printable(methods, list.p, list.len);
		goto out;
	}
	if (r == 0)
		r = ERR_PROTO;
out:
	buf_release(&pkt);
	return r;
}

int ssh_auth_methods(const struct net_addr *a, int timeout_ms, struct buf *methods,
		     struct logger *lg)
{
	struct ssh_sess s;
	int r;

	if (sodium_init() < 0)
		return ERR_NOMEM;
	r = sess_open(&s, a, timeout_ms);
	if (r == 0)
		r = kex(&s, lg);
	if (r == 0)
		r = userauth_none(&s, methods);
	sess_release(&s);
	return r;
}

/* ------------------------------------------------------------- SVC-11 */

static int kex_evidence(const struct ssh_kexinit *k, const char *ident, const struct buf *bad,
			const struct buf *weak, struct buf *ev)
{
	static const char *const names[] = {"kex",  "hostkey", "ciphers",    NULL,
					    "macs", NULL,      "compression"};
	size_t i;
	int r = buf_addf(ev, "ident: %s\n", ident);

	for (i = 0; r == 0 && i < ARRAY_SIZE(names); i++) {
		if (!names[i])
			continue;
		r = buf_addf(ev, "%s: ", names[i]);
		if (r == 0)
			r = buf_add_printable(ev, k->list[i].p,
					      k->list[i].len > 600 ? 600 : k->list[i].len);
		if (r == 0)
			r = buf_addch(ev, '\n');
	}
	if (r == 0 && bad->len)
		r = buf_addf(ev, "fail: %s\n", bad->ptr);
	if (r == 0 && weak->len)
		r = buf_addf(ev, "warn: %s\n", weak->ptr);
	return r;
}

int ssh_check_algos(const struct net_addr *a, const char *target, int timeout_ms,
		    struct findings *out, struct logger *lg)
{
	struct ssh_sess s;
	struct ssh_kexinit k;
	struct buf pl = BUF_INIT, bad = BUF_INIT, weak = BUF_INIT, ev = BUF_INIT;
	int r, port = net_addr_port(a);

	buf_init(&pl, SSH_PACKET_MAX);
	buf_init(&bad, 2048);
	buf_init(&weak, 2048);
	buf_init(&ev, SVC_EVIDENCE_MAX);
	r = sess_open(&s, a, timeout_ms);
	if (r)
		goto out;
	if (strncmp(s.ident, "SSH-1.", 6) == 0) {
		r = findings_addf(
		    out, "SVC-11", -1, CONF_HIGH, target, port, s.ident, "SSH protocol 1 %s",
		    strncmp(s.ident, "SSH-1.99", 8) == 0 ? "enabled next to protocol 2" : "only");
		if (r || strncmp(s.ident, "SSH-1.99", 8) != 0)
			goto out;
	}
	r = recv_packet(&s, &pl);
	if (r == 0 && ssh_parse_kexinit((const unsigned char *)pl.ptr, pl.len, &k) != 0)
		r = ERR_PROTO;
	if (r == 0)
		r = ssh_rate_algos(&k, &bad, &weak);
	if (r)
		goto out;
	if (bad.len || weak.len) {
		r = kex_evidence(&k, s.ident, &bad, &weak, &ev);
		if (r == ERR_TOO_BIG)
			r = 0;
		if (r == 0)
			r = findings_addf(out, "SVC-11", bad.len ? -1 : SEV_LOW, CONF_HIGH, target,
					  port, ev.ptr, "weak SSH algorithms offered: %.200s",
					  bad.len ? bad.ptr : weak.ptr);
	}
out:
	if (r && r != ERR_NOMEM)
		LOG_INFO(lg, "ssh kexinit not read port=%d r=%s", port, err_str(r));
	sess_release(&s);
	buf_release(&pl);
	buf_release(&bad);
	buf_release(&weak);
	buf_release(&ev);
	return r == ERR_NOMEM ? r : 0;
}
