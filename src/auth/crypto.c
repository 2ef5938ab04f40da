/*
 * crypto.c: the primitives of sign-in: argon2id password hashes (libsodium),
 * random tokens and their SHA-256, base32 and RFC 6238 TOTP (HMAC-SHA1 via
 * OpenSSL, since libsodium has no SHA-1 and authenticator apps need it).
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/core.h"

/* OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u << 20)

static int sodium_ready(void)
{
	/* Idempotent and thread safe after the first call. */
	return sodium_init() < 0 ? ERR_NOMEM : 0;
}

int auth_password_hash(const char *pw, size_t len, char out[AUTH_PWHASH_SIZE])
{
	if (len < AUTH_PASSWORD_MIN || len > AUTH_PASSWORD_MAX || memchr(pw, 0, len))
		return ERR_INVAL;
	if (sodium_ready())
		return ERR_NOMEM;
	if (crypto_pwhash_str_alg(out, pw, len, PW_OPSLIMIT, PW_MEMLIMIT,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ERR_NOMEM;
	return 0;
}

int auth_password_verify(const char *hash, const char *pw, size_t len)
{
	if (sodium_ready())
		return ERR_NOMEM;
	if (!hash || len > AUTH_PASSWORD_MAX)
		return ERR_AUTH;
	return crypto_pwhash_str_verify(hash, pw, len) == 0 ? 0 : ERR_AUTH;
}

void auth_token_new(char out[AUTH_TOKEN_SIZE])
{
	unsigned char raw[32];

	if (sodium_ready())
		abort(); /* no randomness: nothing safe can follow */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_SIZE, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	mem_zero(raw, sizeof(raw));
}

void auth_token_hash(const char *tok, size_t len, char out[AUTH_HASH_HEX_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)tok, len);
	sodium_bin2hex(out, AUTH_HASH_HEX_SIZE, h, sizeof(h));
}

int auth_token_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb || la == 0)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

static const char b32_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int auth_base32_encode(const uint8_t *p, size_t len, char *out, size_t outsize)
{
	size_t i, o = 0;
	uint32_t acc = 0;
	int bits = 0;

	if ((len * 8 + 4) / 5 + 1 > outsize)
		return ERR_TOO_BIG;
	for (i = 0; i < len; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32_alpha[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = b32_alpha[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return 0;
}

int auth_base32_decode(const char *s, size_t len, uint8_t *out, size_t outsize, size_t *outlen)
{
	size_t i, o = 0;
	uint32_t acc = 0;
	int bits = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];
		int v;

		if (c == '=' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return ERR_PARSE;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			if (o >= outsize)
				return ERR_TOO_BIG;
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	*outlen = o;
	return 0;
}

int auth_totp_code(const uint8_t *key, size_t keylen, time_t t, uint32_t *code)
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	uint64_t step;
	uint32_t bin;
	int i, off;

	if (t < 0 || keylen == 0 || keylen > 64)
		return ERR_INVAL;
	step = (uint64_t)t / 30;
	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(step & 0xff);
		step >>= 8;
	}
	if (!HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), mac, &maclen) || maclen < 20)
		return ERR_NOMEM;
	off = mac[maclen - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	      ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	*code = bin % 1000000u;
	return 0;
}

int auth_totp_verify(const char *secret_b32, const char *code, size_t len, time_t t, int64_t *step)
{
	uint8_t key[64];
	size_t keylen = 0, i;
	uint32_t want = 0, got;
	int64_t match = -1;
	int r, d;

	if (len != 6)
		return ERR_AUTH;
	for (i = 0; i < 6; i++) {
		if (code[i] < '0' || code[i] > '9')
			return ERR_AUTH;
		want = want * 10 + (uint32_t)(code[i] - '0');
	}
	r = auth_base32_decode(secret_b32, strlen(secret_b32), key, sizeof(key), &keylen);
	if (r || keylen == 0) {
		mem_zero(key, sizeof(key));
		return ERR_PARSE;
	}
	/* One step of clock skew either way; all three computed regardless.
	 * Should two steps share the code, the later one counts (the replay
	 * guard then refuses more, never less). */
	for (d = -1; d <= 1; d++) {
		r = auth_totp_code(key, keylen, t + d * 30, &got);
		if (r == 0 && got == want)
			match = (int64_t)(t / 30) + d;
	}
	mem_zero(key, sizeof(key));
	if (match < 0)
		return ERR_AUTH;
	if (step)
		*step = match;
	return 0;
}

int auth_totp_check(const char *secret_b32, const char *code, size_t len, time_t t)
{
	return auth_totp_verify(secret_b32, code, len, t, NULL);
}

void auth_totp_secret_new(char out[AUTH_TOTP_SECRET_SIZE])
{
	uint8_t raw[20];

	if (sodium_ready())
		abort();
	randombytes_buf(raw, sizeof(raw));
	if (auth_base32_encode(raw, sizeof(raw), out, AUTH_TOTP_SECRET_SIZE) != 0)
		out[0] = '\0';
	mem_zero(raw, sizeof(raw));
}

int auth_email_valid(const char *s, size_t len)
{
	size_t i, at = 0, nat = 0;

	if (len < 3 || len > AUTH_EMAIL_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' ||
		    c == ',' || c == ';')
			return 0;
		if (c == '@') {
			at = i;
			nat++;
		}
	}
	return nat == 1 && at > 0 && at < len - 1 && memchr(s + at, '.', len - at) != NULL;
}
