/*
 * tlsa.c: TLSA records (RFC 6698, RFC 7671): parse the rdata and match it
 * against a certificate presented by a mail server, for the DANE checks
 * MAIL-11..13. Digests with OpenSSL; the SPKI is re-encoded from the
 * certificate, never taken from the wire as is.
 */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <string.h>

#include "mail/mail.h"
#include "mail/mail_int.h"

int tlsa_parse(const unsigned char *rdata, size_t len, struct tlsa *t)
{
	struct cursor c;

	memset(t, 0, sizeof(*t));
	cursor_init(&c, rdata, len);
	if (cursor_u8(&c, &t->usage) || cursor_u8(&c, &t->selector) || cursor_u8(&c, &t->mtype))
		return ERR_PARSE;
	t->data = c.p;
	t->dlen = c.len;
	if (t->dlen == 0)
		return ERR_PARSE;
	if (t->usage > 3 || t->selector > 1 || t->mtype > 2)
		return ERR_UNSUPP;
	if ((t->mtype == 1 && t->dlen != 32) || (t->mtype == 2 && t->dlen != 64))
		return ERR_PARSE;
	return 0;
}

int tlsa_match_der(const struct tlsa *t, const unsigned char *cert_der, size_t len, int *match)
{
	const unsigned char *p = cert_der;
	unsigned char *spki = NULL, md[EVP_MAX_MD_SIZE];
	const unsigned char *sel;
	unsigned int mdlen = 0;
	size_t sel_len;
	X509 *x;
	int n, ret = 0;

	*match = 0;
	if (len > 65536)
		return ERR_TOO_BIG;
	x = d2i_X509(NULL, &p, (long)len);
	if (!x)
		return ERR_PARSE;
	if (t->selector == 1) {
		n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki);
		if (n <= 0) {
			ret = ERR_PARSE;
			goto out;
		}
		sel = spki;
		sel_len = (size_t)n;
	} else {
		sel = cert_der;
		sel_len = (size_t)(p - cert_der);
	}
	if (t->mtype == 0) {
		*match = t->dlen == sel_len && memcmp(t->data, sel, sel_len) == 0;
		goto out;
	}
	if (!EVP_Digest(sel, sel_len, md, &mdlen, t->mtype == 1 ? EVP_sha256() : EVP_sha512(),
			NULL)) {
		ret = ERR_NOMEM;
		goto out;
	}
	*match = t->dlen == mdlen && memcmp(t->data, md, mdlen) == 0;
out:
	OPENSSL_free(spki);
	X509_free(x);
	return ret;
}
