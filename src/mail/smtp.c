/*
 * smtp.c: one STARTTLS session with a mail server (greeting, EHLO,
 * STARTTLS, TLS handshake) that keeps the certificate chain as presented,
 * for MAIL-09 and the DANE match of MAIL-12. Replies are capped; the
 * handshake does not verify (DANE or MTA-STS decide what is trusted).
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/mail.h"
#include "mail/mail_int.h"

#define SMTP_REPLY_MAX 8192

void smtp_tls_release(struct smtp_tls *st)
{
	size_t i;

	for (i = 0; i < st->n_chain; i++)
		OPENSSL_free(st->chain[i]);
	st->n_chain = 0;
}

/* reply_done: a complete (multi-line) SMTP reply: the last line "NNN ". */
static int reply_done(const struct buf *b, void *arg)
{
	size_t end, start;

	(void)arg;
	if (b->len < 4 || b->ptr[b->len - 1] != '\n')
		return 0;
	end = b->len - 1;
	start = end;
	while (start > 0 && b->ptr[start - 1] != '\n')
		start--;
	return end - start >= 4 && b->ptr[start + 3] == ' ';
}

static int read_reply(struct net_conn *c, struct buf *b, int timeout_ms, int *code)
{
	int r;

	buf_reset(b);
	r = net_recv_until(c, b, SMTP_REPLY_MAX, timeout_ms, reply_done, NULL);
	if (r)
		return r;
	if (b->len < 3 || b->ptr[0] < '1' || b->ptr[0] > '5')
		return ERR_PROTO;
	*code = (b->ptr[0] - '0') * 100 + (b->ptr[1] - '0') * 10 + (b->ptr[2] - '0');
	return 0;
}

/* ehlo_has: the EHLO reply lists keyword (case-insensitive, whole word). */
static int ehlo_has(const struct buf *b, const char *kw)
{
	struct cursor c, ln;
	size_t kl = strlen(kw);

	cursor_init(&c, b->ptr, b->len);
	while (cursor_line(&c, SMTP_REPLY_MAX, &ln) == 0) {
		if (ln.len < 4 + kl)
			continue;
		ln.p += 4, ln.len -= 4;
		if (cursor_startswith_ci(&ln, kw) && (ln.len == kl || ln.p[kl] == ' '))
			return 1;
	}
	return 0;
}

static int keep_chain(SSL *ssl, struct smtp_tls *st)
{
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(ssl);
	int i, n = sk ? sk_X509_num(sk) : 0;

	for (i = 0; i < n && st->n_chain < ARRAY_SIZE(st->chain); i++) {
		unsigned char *der = NULL;
		int len = i2d_X509(sk_X509_value(sk, i), &der);

		if (len <= 0)
			return ERR_NOMEM;
		st->chain[st->n_chain] = der;
		st->chain_len[st->n_chain++] = (size_t)len;
	}
	return 0;
}

/* handshake: TLS on the connected socket, waiting on poll for each step. */
static int handshake(struct net_conn *c, const char *sni, int timeout_ms, struct smtp_tls *st)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	int64_t deadline = time_now_ms() + timeout_ms;
	int r = ERR_TLS;

	if (!ctx)
		return ERR_NOMEM;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	ssl = SSL_new(ctx);
	if (!ssl || !SSL_set_fd(ssl, c->fd))
		goto out;
	if (sni && *sni)
		(void)SSL_set_tlsext_host_name(ssl, sni);
	for (;;) {
		int rc = SSL_connect(ssl), e;
		struct pollfd pfd = {c->fd, 0, 0};
		int64_t left = deadline - time_now_ms();

		if (rc == 1) {
			st->handshake = 1;
			r = keep_chain(ssl, st);
			break;
		}
		e = SSL_get_error(ssl, rc);
		if ((e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) || left <= 0) {
			unsigned long oe = ERR_peek_last_error();

			snprintf(st->error, sizeof(st->error), "TLS handshake failed: %s",
				 left <= 0 ? "timeout"
				 : oe	   ? ERR_reason_error_string(oe)
					   : "closed");
			r = left <= 0 ? ERR_TIMEOUT : 0;
			break;
		}
		pfd.events = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		if (poll(&pfd, 1, (int)left) < 0)
			break;
	}
	if (st->handshake)
		(void)SSL_shutdown(ssl);
out:
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	return r;
}

int smtp_starttls(const struct net_addr *a, const char *sni, int timeout_ms, struct smtp_tls *st)
{
	struct net_conn c;
	struct buf b = BUF_INIT;
	static const char ehlo[] = "EHLO wachter.invalid\r\n";
	static const char stls[] = "STARTTLS\r\n";
	int r, code = 0;

	memset(st, 0, sizeof(*st));
	r = net_connect(a, timeout_ms, &c);
	if (r)
		return r;
	buf_init(&b, SMTP_REPLY_MAX);
	r = read_reply(&c, &b, timeout_ms, &code);
	if (r || code != 220) {
		snprintf(st->error, sizeof(st->error), "no 220 greeting");
		r = r ? r : 0;
		goto out;
	}
	st->reachable = 1;
	buf_truncate(&b, sizeof(st->banner) - 1);
	for (size_t i = 0; i < b.len && b.ptr[i] != '\r' && b.ptr[i] != '\n'; i++)
		st->banner[i] = (b.ptr[i] >= 0x20 && b.ptr[i] < 0x7f) ? b.ptr[i] : '?';
	if ((r = net_send_all(&c, ehlo, sizeof(ehlo) - 1)) != 0 ||
	    (r = read_reply(&c, &b, timeout_ms, &code)) != 0)
		goto out;
	if (code != 250 || !ehlo_has(&b, "STARTTLS")) {
		snprintf(st->error, sizeof(st->error), "STARTTLS not offered in the EHLO reply");
		goto out;
	}
	st->starttls = 1;
	if ((r = net_send_all(&c, stls, sizeof(stls) - 1)) != 0 ||
	    (r = read_reply(&c, &b, timeout_ms, &code)) != 0)
		goto out;
	if (code != 220) {
		snprintf(st->error, sizeof(st->error), "STARTTLS refused (%d)", code);
		st->starttls = 0;
		goto out;
	}
	r = handshake(&c, sni, timeout_ms, st);
out:
	if (r && !st->error[0])
		snprintf(st->error, sizeof(st->error), "%s", err_str(r));
	buf_release(&b);
	net_close(&c);
	if (st->reachable && (r == ERR_TIMEOUT || r == ERR_EOF || r == ERR_PROTO))
		r = 0; /* it answered; the flags say how far it went */
	return r;
}
