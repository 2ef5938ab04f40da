/*
 * tls_probe.c: one probe = one TCP connection (after STARTTLS when asked)
 * that sends a prepared ClientHello and parses what comes back; plus the
 * small thread pool that runs many probes at once and the STARTTLS
 * dialogues for SMTP, IMAP, POP3 and FTP.
 */
#include <arpa/inet.h>
#include <openssl/rand.h>
#include <string.h>

#include "tls/tls_int.h"

#define REPLY_CAP 4096 /* a STARTTLS greeting/reply larger than this is hostile */

int tls_starttls_parse(const char *s, enum tls_starttls *out)
{
	static const char *const names[] = {"none", "smtp", "imap", "pop3", "ftp"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum tls_starttls)i;
			return 0;
		}
	}
	return ERR_INVAL;
}

const char *tls_wire_sni(const char *sni)
{
	unsigned char tmp[16];

	if (!sni || inet_pton(AF_INET, sni, tmp) == 1 || inet_pton(AF_INET6, sni, tmp) == 1)
		return NULL;
	return sni;
}

/* ------------------------------------------------------------- STARTTLS */

enum reply_mode { REPLY_CODE, REPLY_LINE, REPLY_TAG };

struct reply_want {
	enum reply_mode mode;
	const char *tag; /* REPLY_TAG: the tagged line we wait for */
	struct cursor last;
};

/* done() for net_recv_until: the final line of a reply has arrived. */
static int reply_done(const struct buf *b, void *arg)
{
	struct reply_want *w = arg;
	struct cursor c, line;

	cursor_init(&c, b->ptr, b->len);
	while (cursor_line(&c, REPLY_CAP, &line) == 0) {
		switch (w->mode) {
		case REPLY_LINE:
			w->last = line;
			return 1;
		case REPLY_TAG:
			if (cursor_startswith(&line, w->tag)) {
				w->last = line;
				return 1;
			}
			break;
		case REPLY_CODE:
			/* "250-more" continues, "250 text" or "250" ends */
			if (line.len >= 3 && (line.len == 3 || line.p[3] == ' ')) {
				w->last = line;
				return 1;
			}
			break;
		}
	}
	return 0;
}

static int read_reply(struct net_conn *c, enum reply_mode mode, const char *tag, const char *want,
		      struct logger *lg)
{
	struct buf b;
	struct reply_want w = {mode, tag, {NULL, 0}};
	struct cursor line;
	int r;

	buf_init(&b, REPLY_CAP);
	r = net_recv_until(c, &b, REPLY_CAP, c->timeout_ms, reply_done, &w);
	if (r == 0 && !reply_done(&b, &w))
		r = ERR_EOF;
	if (r) {
		LOG_DEBUG(lg, "starttls reply incomplete err=%s", err_str(r));
		r = ERR_PROTO;
		goto out;
	}
	line = w.last;
	if (mode == REPLY_TAG && cursor_skip(&line, strlen(tag)) != 0)
		line.len = 0;
	if (!cursor_startswith_ci(&line, want)) {
		LOG_DEBUG(lg, "starttls refused reply=\"%.*s\"", LOG_CAP(w.last.len),
			  (const char *)w.last.p);
		r = ERR_PROTO;
	}
out:
	buf_release(&b);
	return r;
}

static int say(struct net_conn *c, const char *s)
{
	return net_send_all(c, s, strlen(s));
}

int tls_starttls(struct net_conn *c, enum tls_starttls kind, struct logger *lg)
{
	int r;

	switch (kind) {
	case TLS_STARTTLS_NONE:
		return 0;
	case TLS_STARTTLS_SMTP:
		if ((r = read_reply(c, REPLY_CODE, NULL, "220", lg)) ||
		    (r = say(c, "EHLO wachter.invalid\r\n")) ||
		    (r = read_reply(c, REPLY_CODE, NULL, "250", lg)) ||
		    (r = say(c, "STARTTLS\r\n")))
			return r;
		return read_reply(c, REPLY_CODE, NULL, "220", lg);
	case TLS_STARTTLS_IMAP:
		if ((r = read_reply(c, REPLY_LINE, NULL, "* OK", lg)) ||
		    (r = say(c, "a1 STARTTLS\r\n")))
			return r;
		return read_reply(c, REPLY_TAG, "a1 ", "OK", lg);
	case TLS_STARTTLS_POP3:
		if ((r = read_reply(c, REPLY_LINE, NULL, "+OK", lg)) || (r = say(c, "STLS\r\n")))
			return r;
		return read_reply(c, REPLY_LINE, NULL, "+OK", lg);
	case TLS_STARTTLS_FTP:
		if ((r = read_reply(c, REPLY_CODE, NULL, "220", lg)) ||
		    (r = say(c, "AUTH TLS\r\n")))
			return r;
		return read_reply(c, REPLY_CODE, NULL, "234", lg);
	}
	return ERR_INVAL;
}

int tls_connect(struct tls_ctx *cx, struct net_conn *c)
{
	int r;

	pthread_mutex_lock(&cx->mu);
	cx->conns++;
	pthread_mutex_unlock(&cx->mu);
	r = net_connect(cx->addr, cx->timeout_ms, c);
	if (r)
		return r;
	r = tls_starttls(c, cx->o->starttls, cx->lg);
	if (r)
		net_close(c);
	return r;
}

/* ---------------------------------------------------------------- probes */

struct parse_arg {
	int want_ske;
	struct tls_server_hello *sh;
	int r;
};

static int response_done(const struct buf *b, void *arg)
{
	struct parse_arg *pa = arg;

	pa->r = tls_parse_response((const uint8_t *)b->ptr, b->len, pa->want_ske, pa->sh);
	return pa->r != ERR_EOF;
}

int tls_probe(struct tls_ctx *cx, const void *hello, size_t len, int want_ske,
	      struct tls_server_hello *sh)
{
	struct net_conn c;
	struct buf in;
	struct parse_arg pa = {want_ske, sh, ERR_EOF};
	int r;

	memset(sh, 0, sizeof(*sh));
	r = tls_connect(cx, &c);
	if (r)
		return r;
	buf_init(&in, TLS_HS_MAX);
	r = net_send_all(&c, hello, len);
	if (r) {
		r = 0; /* the server hung up on the hello: a refusal */
		goto out;
	}
	r = net_recv_until(&c, &in, TLS_HS_MAX, cx->timeout_ms, response_done, &pa);
	LOG_DEBUG(cx->lg, "tls reply read=%s bytes=%zu", err_str(r), in.len);
	/* whatever ended the read (done, close, timeout, cap), judge the bytes */
	pa.r = tls_parse_response((const uint8_t *)in.ptr, in.len, want_ske, sh);
	if (pa.r == 0 || (pa.r == ERR_EOF && sh->kind == TLS_RESP_HELLO)) {
		r = 0;
	} else if (pa.r == ERR_PROTO || pa.r == ERR_PARSE) {
		LOG_DEBUG(cx->lg, "reply is not tls err=%s bytes=%zu", err_str(pa.r), in.len);
		r = ERR_TLS;
	} else {
		/* closed, reset, silent or cut short: no handshake on offer; a
		 * silent server may only be slow, which the caller must know */
		int silent = r == ERR_TIMEOUT && in.len == 0;

		memset(sh, 0, sizeof(*sh));
		sh->silent = silent;
		r = 0;
	}
out:
	buf_release(&in);
	net_close(&c);
	return r;
}

int tls_probe_hello(struct tls_ctx *cx, const struct tls_hello_opts *ho, int want_ske,
		    struct tls_server_hello *sh)
{
	struct buf b;
	uint8_t rnd[32];
	int r;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return ERR_IO;
	buf_init(&b, 32768);
	r = tls_build_client_hello(ho, rnd, &b);
	if (r == 0)
		r = tls_probe(cx, b.ptr, b.len, want_ske, sh);
	buf_release(&b);
	return r;
}

/* ----------------------------------------------------------- thread pool */

struct pool {
	size_t n, next;
	pthread_mutex_t mu;
	void (*fn)(size_t i, void *arg);
	void *arg;
};

static void *pool_worker(void *p)
{
	struct pool *pl = p;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&pl->mu);
		i = pl->next++;
		pthread_mutex_unlock(&pl->mu);
		if (i >= pl->n)
			return NULL;
		pl->fn(i, pl->arg);
	}
}

void tls_run(size_t n, int conc, void (*fn)(size_t i, void *arg), void *arg)
{
	pthread_t th[64];
	struct pool pl = {n, 0, PTHREAD_MUTEX_INITIALIZER, fn, arg};
	size_t k, started = 0, want;

	if (conc < 1)
		conc = 1;
	want = (size_t)conc < ARRAY_SIZE(th) ? (size_t)conc : ARRAY_SIZE(th);
	if (want > n)
		want = n;
	/* one worker runs on this thread; the others on their own */
	for (k = 1; k < want; k++) {
		if (pthread_create(&th[started], NULL, pool_worker, &pl) != 0)
			break;
		started++;
	}
	if (n)
		pool_worker(&pl);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	pthread_mutex_destroy(&pl.mu);
}
