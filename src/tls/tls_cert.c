/*
 * tls_cert.c: the real-world check. A full OpenSSL handshake gets the
 * certificate chain as sent, which is then verified (system roots or
 * ca_file), matched against the host name and taken apart for the CERT
 * rules; a second TLS <= 1.2 handshake tries client renegotiation.
 */
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tls/tls_int.h"

#define CHAIN_MAX 10

static time_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return time_utc_from_tm(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
				tm.tm_sec);
}

static char *name_str(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *s = NULL;
	long len;

	if (!b)
		return NULL;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0) {
		len = BIO_get_mem_data(b, &p);
		s = xstrndup(len > 0 ? p : "", len > 0 ? (size_t)(len > 1024 ? 1024 : len) : 0);
	}
	BIO_free(b);
	return s;
}

static char *sans_str(const X509 *x)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	struct buf b;
	int i, r = 0;

	buf_init(&b, 4096);
	for (i = 0; gens && i < sk_GENERAL_NAME_num(gens) && r == 0; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const char *sep = b.len ? ", " : "";

		if (g->type == GEN_DNS) {
			const ASN1_IA5STRING *d = g->d.dNSName;

			r = buf_addf(&b, "%sDNS:", sep);
			if (r == 0)
				r = buf_add_printable(&b, d->data, (size_t)d->length);
		} else if (g->type == GEN_IPADD && g->d.iPAddress->length == 4) {
			const unsigned char *a = g->d.iPAddress->data;

			r = buf_addf(&b, "%sIP:%u.%u.%u.%u", sep, a[0], a[1], a[2], a[3]);
		}
	}
	GENERAL_NAMES_free(gens);
	if (r == ERR_TOO_BIG)
		r = 0;
	return r ? NULL : buf_take(&b);
}

static void key_fill(X509 *x, struct tls_cert *c)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	BIGNUM *e = NULL;
	size_t glen = 0;

	if (!k) {
		str_lcpy(c->key_type, "unknown", sizeof(c->key_type));
		return;
	}
	c->key_bits = EVP_PKEY_get_bits(k);
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		str_lcpy(c->key_type, "RSA", sizeof(c->key_type));
		if (EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1 &&
		    BN_num_bits(e) <= 63)
			c->rsa_e = (unsigned long)BN_get_word(e);
		BN_free(e);
		break;
	case EVP_PKEY_EC:
		str_lcpy(c->key_type, "EC", sizeof(c->key_type));
		if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, c->curve,
						   sizeof(c->curve), &glen) != 1)
			c->curve[0] = '\0';
		break;
	case EVP_PKEY_ED25519:
		str_lcpy(c->key_type, "ED25519", sizeof(c->key_type));
		break;
	case EVP_PKEY_ED448:
		str_lcpy(c->key_type, "ED448", sizeof(c->key_type));
		break;
	case EVP_PKEY_DSA:
		str_lcpy(c->key_type, "DSA", sizeof(c->key_type));
		break;
	default:
		str_lcpy(c->key_type, "other", sizeof(c->key_type));
		break;
	}
}

int tls_cert_fill(const void *x509, struct tls_cert *c)
{
	X509 *x = (X509 *)x509;
	int md = NID_undef, pk = NID_undef, nid;

	memset(c, 0, sizeof(*c));
	c->subject = name_str(X509_get_subject_name(x));
	c->issuer = name_str(X509_get_issuer_name(x));
	c->sans = sans_str(x);
	if (!c->subject || !c->issuer || !c->sans) {
		tls_cert_release(c);
		return ERR_NOMEM;
	}
	c->not_before = asn1_time(X509_get0_notBefore(x));
	c->not_after = asn1_time(X509_get0_notAfter(x));
	key_fill(x, c);
	nid = X509_get_signature_nid(x);
	str_lcpy(c->sig_alg, nid != NID_undef ? OBJ_nid2ln(nid) : "unknown", sizeof(c->sig_alg));
	if (OBJ_find_sigid_algs(nid, &md, &pk) == 1 && md != NID_undef)
		str_lcpy(c->sig_hash, OBJ_nid2sn(md), sizeof(c->sig_hash));
	else
		str_lcpy(c->sig_hash,
			 nid == NID_ED25519 || nid == NID_ED448 ? "intrinsic" : "unknown",
			 sizeof(c->sig_hash));
	c->self_signed = X509_check_issued(x, x) == X509_V_OK;
	return 0;
}

void tls_cert_release(struct tls_cert *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->sans);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------ handshake */

/* ssl_wait: after a WANT_READ/WANT_WRITE, poll until the socket is ready. */
static int ssl_wait(SSL *ssl, int ret, int fd, int timeout_ms)
{
	struct pollfd p = {.fd = fd};
	int e = SSL_get_error(ssl, ret), n;

	if (e == SSL_ERROR_WANT_READ)
		p.events = POLLIN;
	else if (e == SSL_ERROR_WANT_WRITE)
		p.events = POLLOUT;
	else
		return ERR_TLS;
	n = poll(&p, 1, timeout_ms);
	return n > 0 ? 0 : (n == 0 ? ERR_TIMEOUT : ERR_IO);
}

static int ssl_handshake(SSL *ssl, int fd, int timeout_ms)
{
	int64_t end = time_now_ms() + timeout_ms;
	int ret, r;

	for (;;) {
		ret = SSL_do_handshake(ssl);
		if (ret == 1)
			return 0;
		if (time_now_ms() > end)
			return ERR_TIMEOUT;
		r = ssl_wait(ssl, ret, fd, timeout_ms);
		if (r)
			return r;
	}
}

static SSL_CTX *client_ctx(const struct tls_scan_opts *o, int max12, int verify)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return NULL;
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, 0);
	if (max12)
		SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT |
				     SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION);
	(void)SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (!verify)
		return ctx;
	/* The system roots through the hashed directory: looked up on demand,
	 * where loading the whole bundle would cost tens of milliseconds. */
	if (o->ca_file)
		(void)SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL);
	else if (X509_STORE_load_path(SSL_CTX_get_cert_store(ctx), X509_get_default_cert_dir()) !=
		 1)
		(void)SSL_CTX_set_default_verify_paths(ctx);
	return ctx;
}

struct session {
	struct net_conn c;
	SSL_CTX *ctx;
	SSL *ssl;
};

static void session_close(struct session *s)
{
	if (s->ssl)
		SSL_free(s->ssl);
	if (s->ctx)
		SSL_CTX_free(s->ctx);
	net_close(&s->c);
	memset(s, 0, sizeof(*s));
	s->c.fd = -1;
}

static int session_open(struct tls_ctx *cx, int max12, struct session *s)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->c.fd = -1;
	r = tls_connect(cx, &s->c);
	if (r)
		return r;
	s->ctx = client_ctx(cx->o, max12, !max12);
	s->ssl = s->ctx ? SSL_new(s->ctx) : NULL;
	if (!s->ssl || SSL_set_fd(s->ssl, s->c.fd) != 1) {
		r = ERR_NOMEM;
		goto fail;
	}
	if (tls_wire_sni(cx->o->sni))
		(void)SSL_set_tlsext_host_name(s->ssl, cx->o->sni);
	SSL_set_connect_state(s->ssl);
	r = ssl_handshake(s->ssl, s->c.fd, cx->timeout_ms);
	if (r == 0)
		return 0;
fail:
	ERR_clear_error();
	session_close(s);
	return r ? r : ERR_TLS;
}

static int self_issued(X509 *x)
{
	return X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
}

/* verify the chain as sent against the trust store of ctx; expiry is
 * CERT-03's business, so the time check is off here */
static void verify_chain(SSL *ssl, STACK_OF(X509) * chain, struct tls_report *rep)
{
	X509_STORE *store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
	X509_STORE_CTX *vc = X509_STORE_CTX_new();
	X509 *leaf = sk_X509_value(chain, 0);
	int err, depth, ok;

	if (!vc || X509_STORE_CTX_init(vc, store, leaf, chain) != 1) {
		str_lcpy(rep->trust, "verification could not run", sizeof(rep->trust));
		goto out;
	}
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(vc), X509_V_FLAG_NO_CHECK_TIME);
	ok = X509_verify_cert(vc) == 1;
	err = X509_STORE_CTX_get_error(vc);
	depth = X509_STORE_CTX_get_error_depth(vc);
	rep->trusted = ok;
	if (ok) {
		str_lcpy(rep->trust, "ok", sizeof(rep->trust));
		goto out;
	}
	/* The chain ends at a certificate whose issuer is neither sent nor
	 * trusted and which is not a root itself: an intermediate is missing. */
	if (err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) {
		X509 *top = sk_X509_value(chain, sk_X509_num(chain) - 1);

		rep->chain_incomplete = top && !self_issued(top);
	}
	snprintf(rep->trust, sizeof(rep->trust), "%s (depth %d)%s",
		 X509_verify_cert_error_string(err), depth,
		 rep->chain_incomplete ? ", chain incomplete" : "");
out:
	X509_STORE_CTX_free(vc);
}

static void host_check(X509 *leaf, const char *sni, struct tls_report *rep)
{
	unsigned char tmp[16];

	if (!sni) {
		rep->host_ok = -1;
		return;
	}
	if (inet_pton(AF_INET, sni, tmp) == 1 || inet_pton(AF_INET6, sni, tmp) == 1)
		rep->host_ok = X509_check_ip_asc(leaf, sni, 0) == 1;
	else
		rep->host_ok = X509_check_host(leaf, sni, strlen(sni), 0, NULL) == 1;
}

static int take_chain(SSL *ssl, const struct tls_scan_opts *o, struct tls_report *rep)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
	int i, n, r;

	snprintf(rep->negotiated, sizeof(rep->negotiated), "%s %s", SSL_get_version(ssl),
		 ci ? SSL_CIPHER_standard_name(ci) : "?");
	n = chain ? sk_X509_num(chain) : 0;
	if (n <= 0) {
		str_lcpy(rep->trust, "no certificate", sizeof(rep->trust));
		return 0;
	}
	if (n > CHAIN_MAX)
		n = CHAIN_MAX;
	rep->chain = calloc((size_t)n, sizeof(*rep->chain));
	if (!rep->chain)
		return ERR_NOMEM;
	for (i = 0; i < n; i++) {
		r = tls_cert_fill(sk_X509_value(chain, i), &rep->chain[i]);
		if (r)
			return r;
		rep->n_chain++;
	}
	verify_chain(ssl, chain, rep);
	host_check(sk_X509_value(chain, 0), o->sni, rep);
	return 0;
}

/* try_reneg: 1 when a client-initiated renegotiation completed */
static int try_reneg(struct session *s, int timeout_ms)
{
	int64_t end = time_now_ms() + timeout_ms;
	int ret;

	if (SSL_version(s->ssl) > TLS1_2_VERSION || SSL_renegotiate(s->ssl) != 1)
		return 0;
	for (;;) {
		ret = SSL_do_handshake(s->ssl);
		if (ret == 1)
			break;
		if (time_now_ms() > end || ssl_wait(s->ssl, ret, s->c.fd, timeout_ms))
			return 0;
	}
	/* OpenSSL returns 1 once the ClientHello is out; the renegotiation is
	 * only done when a read has processed the server's whole answer. */
	for (;;) {
		char byte;

		if (!SSL_renegotiate_pending(s->ssl))
			return 1;
		ret = SSL_read(s->ssl, &byte, 1);
		if (ret > 0)
			continue;
		if (time_now_ms() > end || ssl_wait(s->ssl, ret, s->c.fd, timeout_ms))
			return 0;
	}
}

int tls_cert_scan(struct tls_ctx *cx, struct tls_report *rep)
{
	struct session s;
	int r;

	r = session_open(cx, 0, &s);
	if (r) {
		LOG_DEBUG(cx->lg, "openssl handshake failed err=%s", err_str(r));
		str_lcpy(rep->trust, "no handshake", sizeof(rep->trust));
		return 0;
	}
	r = take_chain(s.ssl, cx->o, rep);
	session_close(&s);
	ERR_clear_error();
	return r;
}

int tls_reneg_scan(struct tls_ctx *cx, int *allowed)
{
	struct session s;
	int r;

	int64_t end = time_now_ms() + TLS_RENEG_MS;

	/* renegotiation needs TLS <= 1.2 */
	r = session_open(cx, 1, &s);
	if (r)
		return r;
	/* checks.md TLS-12: allowed a few times is a warning, without limit
	 * (a CPU exhaustion lever) worse; stop counting after the limit */
	for (*allowed = 0; *allowed <= TLS_RENEG_LIMIT; (*allowed)++) {
		int64_t t0 = time_now_ms();

		if (t0 > end)
			break; /* a slow server: report what was seen so far */
		int ok = try_reneg(&s, cx->timeout_ms < 3000 ? cx->timeout_ms : 3000);

		LOG_DEBUG(cx->lg, "client renegotiation n=%d ok=%d ms=%lld", *allowed + 1, ok,
			  (long long)(time_now_ms() - t0));
		if (!ok)
			break;
	}
	session_close(&s);
	ERR_clear_error();
	return 0;
}

/* ----------------------------------------------------------------- rules */

static int verdict(struct tls_cert_verdict *v, int sev, const char *fmt, ...) PRINTF_LIKE(3, 4);

static int verdict(struct tls_cert_verdict *v, int sev, const char *fmt, ...)
{
	va_list ap;

	v->sev = sev;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
	return sev;
}

int tls_rule_expiry(const struct tls_cert *c, time_t now, struct tls_cert_verdict *v)
{
	char when[TIME_RFC3339_LEN] = "?";
	long days = (long)((c->not_after - now) / 86400);

	if (now < c->not_before) {
		if (time_rfc3339(c->not_before, when))
			str_lcpy(when, "?", sizeof(when));
		return verdict(v, SEV_HIGH, "certificate not valid before %s", when);
	}
	if (time_rfc3339(c->not_after, when))
		str_lcpy(when, "?", sizeof(when));
	if (now > c->not_after)
		return verdict(v, SEV_HIGH, "certificate expired on %s", when);
	if (days < 30)
		return verdict(v, SEV_HIGH, "certificate expires in %ld days (%s)", days, when);
	if (days < 60)
		return verdict(v, SEV_MEDIUM, "certificate expires in %ld days (%s)", days, when);
	return verdict(v, -1, "certificate valid until %s", when);
}

int tls_rule_key(const struct tls_cert *c, struct tls_cert_verdict *v)
{
	if (strcmp(c->key_type, "RSA") == 0) {
		if (c->rsa_e == 1)
			return verdict(v, SEV_HIGH, "RSA key with public exponent 1");
		if (c->key_bits < 1024)
			return verdict(v, SEV_HIGH, "RSA key of %d bits", c->key_bits);
		if (c->key_bits < 2048)
			return verdict(v, SEV_MEDIUM, "RSA key of %d bits", c->key_bits);
		if (c->key_bits < 3072)
			return verdict(v, SEV_LOW, "RSA key of %d bits", c->key_bits);
		return verdict(v, -1, "RSA key of %d bits", c->key_bits);
	}
	if (strcmp(c->key_type, "EC") == 0) {
		if (c->key_bits >= 256)
			return verdict(v, -1, "EC key %s", c->curve);
		if (c->key_bits >= 224)
			return verdict(v, SEV_LOW, "EC key %s (%d bits)", c->curve, c->key_bits);
		return verdict(v, SEV_MEDIUM, "EC key %s (%d bits)", c->curve, c->key_bits);
	}
	if (strcmp(c->key_type, "ED25519") == 0 || strcmp(c->key_type, "ED448") == 0)
		return verdict(v, -1, "%s key", c->key_type);
	return verdict(v, SEV_MEDIUM, "%s key of %d bits", c->key_type, c->key_bits);
}

int tls_rule_sig(const struct tls_cert *c, struct tls_cert_verdict *v)
{
	const char *h = c->sig_hash;

	if (strcmp(h, "MD5") == 0 || strcmp(h, "MD2") == 0 || strcmp(h, "MD4") == 0)
		return verdict(v, SEV_CRITICAL, "signed with %s (%s)", h, c->sig_alg);
	if (strcmp(h, "SHA1") == 0)
		return verdict(v, SEV_HIGH, "signed with SHA-1 (%s)", c->sig_alg);
	if (strcmp(h, "SHA224") == 0)
		return verdict(v, SEV_MEDIUM, "signed with SHA-224 (%s)", c->sig_alg);
	if (strcmp(h, "unknown") == 0)
		return verdict(v, SEV_MEDIUM, "unknown signature algorithm %s", c->sig_alg);
	return verdict(v, -1, "signed with %s", c->sig_alg);
}

int tls_rule_lifetime(const struct tls_cert *c, struct tls_cert_verdict *v)
{
	long days = (long)((c->not_after - c->not_before) / 86400);

	if (days > 398)
		return verdict(v, SEV_LOW, "certificate valid for %ld days (> 398)", days);
	return verdict(v, -1, "certificate valid for %ld days", days);
}
