/*
 * transport.c: the connection a probe talks over: TCP from src/net, with
 * TLS (OpenSSL, no verification: we only identify) on top when asked. One
 * overall deadline bounds every call, so a slow or hostile peer costs at
 * most the time the caller granted.
 */
#include <poll.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "svc/svc_int.h"

/* left_ms: the wait for the next operation: per-op timeout, deadline. */
static int left_ms(const struct svc_conn *c, int op_ms)
{
	int64_t l = c->deadline - time_now_ms();

	if (l <= 0)
		return 0;
	return l < op_ms ? (int)l : op_ms;
}

int svc_conn_open(struct svc_conn *c, const struct net_addr *a, int timeout_ms, int64_t deadline)
{
	int t, r;

	memset(c, 0, sizeof(*c));
	c->nc.fd = -1;
	c->deadline = deadline;
	c->nc.timeout_ms = timeout_ms;
	t = left_ms(c, timeout_ms);
	if (t <= 0)
		return ERR_TIMEOUT;
	r = net_connect(a, t, &c->nc);
	if (r) {
		c->nc.fd = -1;
		return r;
	}
	c->nc.timeout_ms = timeout_ms;
	return 0;
}

void svc_conn_close(struct svc_conn *c)
{
	if (c->ssl) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->ctx) {
		SSL_CTX_free(c->ctx);
		c->ctx = NULL;
	}
	net_close(&c->nc);
}

/* ssl_wait: poll for what OpenSSL asked for; ERR_TLS on a real error. */
static int ssl_wait(struct svc_conn *c, int ret, int ms)
{
	int e = SSL_get_error(c->ssl, ret), n;
	struct pollfd p = {.fd = c->nc.fd};

	if (e == SSL_ERROR_WANT_READ)
		p.events = POLLIN;
	else if (e == SSL_ERROR_WANT_WRITE)
		p.events = POLLOUT;
	else if (e == SSL_ERROR_ZERO_RETURN)
		return ERR_EOF;
	else if (e == SSL_ERROR_SYSCALL)
		return ERR_CONN;
	else
		return ERR_TLS;
	if (ms <= 0)
		return ERR_TIMEOUT;
	n = poll(&p, 1, ms);
	if (n == 0)
		return ERR_TIMEOUT;
	return n < 0 ? ERR_IO : 0;
}

static int is_ip_literal(const char *s)
{
	return strspn(s, "0123456789.") == strlen(s) || strchr(s, ':') != NULL;
}

int svc_conn_tls(struct svc_conn *c, const char *sni)
{
	int r, ret;

	ERR_clear_error();
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx)
		return ERR_NOMEM;
	/* identification must also work against old and weak servers */
	SSL_CTX_set_security_level(c->ctx, 0);
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_VERSION);
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || SSL_set_fd(c->ssl, c->nc.fd) != 1)
		return ERR_NOMEM;
	if (sni && *sni && !is_ip_literal(sni))
		SSL_set_tlsext_host_name(c->ssl, sni);
	for (;;) {
		ret = SSL_connect(c->ssl);
		if (ret == 1)
			break;
		r = ssl_wait(c, ret, left_ms(c, c->nc.timeout_ms));
		if (r) {
			ERR_clear_error();
			return r == ERR_EOF ? ERR_TLS : r;
		}
	}
	return 0;
}

int svc_conn_send(struct svc_conn *c, const void *p, size_t len)
{
	int r, ret, saved = c->nc.timeout_ms;

	if (!c->ssl) {
		c->nc.timeout_ms = left_ms(c, saved);
		if (c->nc.timeout_ms <= 0) {
			c->nc.timeout_ms = saved;
			return ERR_TIMEOUT;
		}
		r = net_send_all(&c->nc, p, len);
		c->nc.timeout_ms = saved;
		return r;
	}
	while (len) {
		ret = SSL_write(c->ssl, p, len > 16384 ? 16384 : (int)len);
		if (ret > 0) {
			p = (const unsigned char *)p + ret;
			len -= (size_t)ret;
			continue;
		}
		r = ssl_wait(c, ret, left_ms(c, saved));
		if (r)
			return r;
	}
	return 0;
}

static int recv_timed(struct svc_conn *c, struct buf *out, size_t max, int ms)
{
	int r, ret, saved = c->nc.timeout_ms;
	size_t room;

	if (ms <= 0)
		return ERR_TIMEOUT;
	if (!c->ssl) {
		c->nc.timeout_ms = ms;
		r = net_recv_some(&c->nc, out, max);
		c->nc.timeout_ms = saved;
		return r;
	}
	room = (out->max ? out->max : BUF_DEFAULT_MAX) - out->len;
	if (room == 0 || max == 0)
		return ERR_TOO_BIG;
	if (max > room)
		max = room;
	if (max > 16384)
		max = 16384;
	r = buf_grow(out, max);
	if (r)
		return r;
	for (;;) {
		ret = SSL_read(c->ssl, out->ptr + out->len, (int)max);
		if (ret > 0) {
			out->len += (size_t)ret;
			out->ptr[out->len] = '\0';
			return 0;
		}
		r = ssl_wait(c, ret, ms);
		if (r) {
			ERR_clear_error();
			return r;
		}
	}
}

int svc_conn_recv(struct svc_conn *c, struct buf *out, size_t max)
{
	return recv_timed(c, out, max, left_ms(c, c->nc.timeout_ms));
}

int svc_conn_recv_until(struct svc_conn *c, struct buf *out, size_t cap, int wait_ms,
			int (*done)(const struct buf *b, void *arg), void *arg)
{
	int64_t end = time_now_ms() + wait_ms;
	size_t start = out->len;
	int r;

	if (end > c->deadline)
		end = c->deadline;
	for (;;) {
		int64_t left = end - time_now_ms();
		size_t got = out->len - start;

		if (done && got && done(out, arg))
			return 0;
		if (got >= cap)
			return ERR_TOO_BIG;
		if (left <= 0)
			return ERR_TIMEOUT;
		r = recv_timed(c, out, cap - got < 4096 ? cap - got : 4096, (int)left);
		if (r == ERR_EOF)
			return out->len > start ? 0 : ERR_EOF;
		if (r)
			return r;
	}
}

char *svc_evidence(const void *p, size_t len)
{
	struct buf b;
	const unsigned char *s = p;
	size_t i;

	buf_init(&b, SVC_EVIDENCE_MAX);
	for (i = 0; i < len; i += 32) {
		size_t n = len - i < 32 ? len - i : 32;

		if (buf_add_printable(&b, s + i, n) != 0)
			break;
	}
	return buf_take(&b);
}
