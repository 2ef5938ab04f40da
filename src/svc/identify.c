/*
 * identify.c: svc_identify. Steps in a port-guided order: the port's own
 * protocol first (its probe, or the banner wait for banner-first
 * protocols), then the banner wait, then every other probe of the table,
 * each on a fresh connection, until one parser says YES or the overall
 * deadline (2 x timeout) passes. Every read is capped at SVC_READ_MAX.
 */
#include <stdlib.h>
#include <string.h>

#include "svc/svc_int.h"

#define SVC_READ_MAX 16384
#define SVC_MAX_STEPS 24
#define SVC_UNKNOWN_BANNER_MS 1500 /* banner wait where none is expected */

static const char svc_user_agent[] = "wachter/0.1 (+security scan)";

void svc_info_init(struct svc_info *info)
{
	memset(info, 0, sizeof(*info));
	str_lcpy(info->service, "unknown", sizeof(info->service));
}

void svc_info_release(struct svc_info *info)
{
	free(info->evidence);
	svc_info_init(info);
}

struct step_ctx {
	const struct svc_proto *pr;
	uint16_t port;
	struct svc_info scratch;
};

static int parse_done(const struct buf *b, void *arg)
{
	struct step_ctx *s = arg;

	return svc_parse_any(s->pr, (const unsigned char *)b->ptr, b->len, s->port, &s->scratch) !=
	       SVC_MORE;
}

/* host_ok: a host name safe to put in a Host header. */
static int host_ok(const char *h)
{
	size_t n = strlen(h);

	return n > 0 && n < 254 &&
	       strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == n;
}

int svc_http_request(const struct net_addr *a, const char *host, int tls, struct buf *req)
{
	char ip[NET_ADDRSTR_MAX];
	uint16_t port = net_addr_port(a);
	int dflt = port == (tls ? 443 : 80);

	net_addr_str(a, ip);
	buf_init(req, 2048);
	if (host && host_ok(host))
		str_lcpy(ip, host, sizeof(ip));
	else if (a->ss.ss_family == AF_INET6)
		return dflt ? buf_addf(req,
				       "GET / HTTP/1.1\r\nHost: [%s]\r\nUser-Agent: %s\r\n"
				       "Accept: */*\r\nConnection: close\r\n\r\n",
				       ip, svc_user_agent)
			    : buf_addf(req,
				       "GET / HTTP/1.1\r\nHost: [%s]:%u\r\nUser-Agent: %s\r\n"
				       "Accept: */*\r\nConnection: close\r\n\r\n",
				       ip, port, svc_user_agent);
	if (dflt)
		return buf_addf(req,
				"GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
				"Accept: */*\r\nConnection: close\r\n\r\n",
				ip, svc_user_agent);
	return buf_addf(req,
			"GET / HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: %s\r\n"
			"Accept: */*\r\nConnection: close\r\n\r\n",
			ip, port, svc_user_agent);
}

/* Implicit-TLS ports whose service speaks first (imaps, pop3s, smtps, ftps). */
static int tls_banner_port(uint16_t port)
{
	return port == 993 || port == 995 || port == 465 || port == 990;
}

static int new_reply_done(const struct buf *b, void *arg)
{
	const size_t *start = arg;
	struct buf tail = *b;

	tail.ptr += *start;
	tail.len -= *start;
	return svc_reply_done(&tail, (void *)1);
}

/*
 * followup: a recognised banner that named no product gets the protocol's
 * follow-up command; its answer is appended to got (parsers see both).
 */
static void followup(struct svc_conn *c, struct buf *got, struct step_ctx *sc, int wait_ms)
{
	const struct svc_proto *pr;
	size_t start = got->len;

	if (svc_parse_any(sc->pr, (const unsigned char *)got->ptr, got->len, sc->port,
			  &sc->scratch) != SVC_YES ||
	    sc->scratch.product[0])
		return;
	pr = svc_proto_find(sc->scratch.service);
	if (!pr || !pr->followup || svc_conn_send(c, pr->followup, strlen(pr->followup)) != 0)
		return;
	(void)!svc_conn_recv_until(c, got, SVC_READ_MAX - start, wait_ms, new_reply_done, &start);
}

struct step {
	const struct svc_proto *pr; /* NULL: wait for a banner */
	int wait_ms;
};

/* run_step: one connection, one hello, the answer into got and res. */
static int run_step(const struct net_addr *a, const char *host, const struct step *st,
		    int timeout_ms, int64_t deadline, struct buf *got, struct step_ctx *sc,
		    int *tls, int *connected)
{
	struct svc_conn c;
	struct buf req = BUF_INIT;
	const struct svc_proto *pr = st->pr;
	int r;

	*tls = 0;
	*connected = 0;
	r = svc_conn_open(&c, a, timeout_ms, deadline);
	if (r)
		return r;
	*connected = 1;
	if (pr && (pr->flags & SVC_F_TLS)) {
		r = svc_conn_tls(&c, host);
		if (r)
			goto out;
		*tls = 1;
		if (tls_banner_port(sc->port)) {
			sc->pr = NULL;
			r = svc_conn_recv_until(&c, got, SVC_READ_MAX, st->wait_ms, parse_done, sc);
			if (got->len)
				goto out;
		}
	}
	if (pr && (pr->flags & SVC_F_HTTP)) {
		r = svc_http_request(a, host, *tls, &req);
		if (r == 0)
			r = svc_conn_send(&c, req.ptr, req.len);
	} else if (pr && pr->hello) {
		r = svc_conn_send(&c, pr->hello, pr->hello_len);
	}
	if (r)
		goto out;
	sc->pr = pr;
	r = svc_conn_recv_until(&c, got, SVC_READ_MAX, st->wait_ms, parse_done, sc);
	if (r == 0)
		followup(&c, got, sc, st->wait_ms);
out:
	buf_release(&req);
	svc_conn_close(&c);
	return r;
}

static size_t plan_steps(uint16_t port, int timeout_ms, struct step *steps)
{
	size_t n = 0, np, i;
	const struct svc_proto *t = svc_protos(&np), *own = NULL;
	int banner_first = 0;

	for (i = 0; i < np && !own; i++)
		if (svc_proto_has_port(&t[i], port))
			own = &t[i];
	if (own && !(own->flags & SVC_F_BANNER))
		steps[n++] = (struct step){own, timeout_ms};
	else if (own)
		banner_first = 1;
	/* the full wait only where a banner is expected; elsewhere a banner
	 * (SSH on 443, say) comes at once or not at all */
	steps[n++] = (struct step){
	    NULL, banner_first
		      ? timeout_ms
		      : (timeout_ms < SVC_UNKNOWN_BANNER_MS ? timeout_ms : SVC_UNKNOWN_BANNER_MS)};
	for (i = 0; i < np && n < SVC_MAX_STEPS; i++)
		if (!(t[i].flags & SVC_F_BANNER) && &t[i] != own)
			steps[n++] = (struct step){&t[i], timeout_ms};
	return n;
}

/* plain_http_on_tls: the server told us to speak TLS. */
static int plain_http_on_tls(const struct buf *b)
{
	return memmem(b->ptr, b->len, "plain HTTP request was sent to HTTPS", 36) != NULL ||
	       memmem(b->ptr, b->len, "speaking plain HTTP to an SSL-enabled", 37) != NULL;
}

static void name_tls(struct svc_info *out)
{
	static const char *const plain[] = {"http", "imap", "pop3", "smtp", "ftp"};
	static const char *const secure[] = {"https", "imaps", "pop3s", "smtps", "ftps"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plain); i++)
		if (strcmp(out->service, plain[i]) == 0)
			str_lcpy(out->service, secure[i], sizeof(out->service));
}

/* evidence_len: for HTTP only the head; otherwise all bytes read. */
static size_t evidence_len(const struct svc_info *si, const struct buf *b)
{
	const char *e;

	if (strncmp(si->service, "http", 4) != 0)
		return b->len;
	e = memmem(b->ptr, b->len, "\r\n\r\n", 4);
	return e ? (size_t)(e - b->ptr) + 2 : b->len;
}

/* keep: adopt a step's result as the answer. */
static int keep(struct svc_info *out, const struct svc_info *si, const struct buf *b, int tls)
{
	char *ev = svc_evidence(b->ptr, evidence_len(si, b));

	if (!ev)
		return ERR_NOMEM;
	free(out->evidence);
	*out = *si;
	out->evidence = ev;
	out->tls = tls;
	out->error = 0;
	if (tls)
		name_tls(out);
	svc_cpe(out);
	return 0;
}

static int identify_steps(const struct net_addr *a, const char *host, int timeout_ms,
			  int64_t deadline, struct svc_info *out, struct logger *lg)
{
	struct step steps[SVC_MAX_STEPS];
	struct step_ctx sc;
	struct buf got;
	uint16_t port = net_addr_port(a);
	size_t n = plan_steps(port, timeout_ms, steps), i;
	int r = 0, tls, m, any_tls = 0, last = ERR_TIMEOUT, have_fallback = 0, connected;

	buf_init(&got, SVC_READ_MAX);
	for (i = 0; i < n && time_now_ms() < deadline; i++) {
		memset(&sc, 0, sizeof(sc));
		sc.port = port;
		str_lcpy(sc.scratch.service, "unknown", sizeof(sc.scratch.service));
		buf_reset(&got);
		r = run_step(a, host, &steps[i], timeout_ms, deadline, &got, &sc, &tls, &connected);
		LOG_DEBUG(lg, "svc step port=%u probe=%s r=%s bytes=%zu", port,
			  steps[i].pr ? steps[i].pr->name : "banner", err_str(r), got.len);
		if (i == 0 && !connected)
			goto out; /* closed or filtered: no probe can tell more */
		any_tls |= tls;
		if (r && r != ERR_EOF && r != ERR_TOO_BIG && r != ERR_TIMEOUT)
			last = r;
		else if (got.len)
			last = ERR_PARSE;
		if (!got.len)
			continue;
		/* a clean record: earlier partial parses may have left fields */
		memset(&sc.scratch, 0, sizeof(sc.scratch));
		m = svc_parse_any(sc.pr, (const unsigned char *)got.ptr, got.len, port,
				  &sc.scratch);
		if (m != SVC_YES) {
			if (!out->evidence) {
				out->evidence = svc_evidence(got.ptr, got.len);
				if (!out->evidence) {
					r = ERR_NOMEM;
					goto out;
				}
			}
			continue;
		}
		r = keep(out, &sc.scratch, &got, tls);
		if (r)
			goto out;
		have_fallback = 1;
		if (!tls && strcmp(out->service, "http") == 0 && plain_http_on_tls(&got))
			continue; /* try the TLS step for the real answer */
		goto out;
	}
	if (!have_fallback) {
		out->error = last;
		out->tls = any_tls;
		if (any_tls)
			str_lcpy(out->service, "tls", sizeof(out->service));
	}
	r = 0;
out:
	buf_release(&got);
	return r;
}

int svc_identify(const struct net_addr *a, const char *host, int timeout_ms, struct svc_info *out,
		 struct logger *lg)
{
	struct net_conn nc;
	int64_t deadline;
	int r;

	svc_info_init(out);
	if (!a || timeout_ms <= 0)
		return ERR_INVAL;
	deadline = time_now_ms() + 2 * (int64_t)timeout_ms;
	/* a closed or filtered port fails here, before any probe */
	r = net_connect(a, timeout_ms, &nc);
	if (r)
		return r;
	net_close(&nc);
	return identify_steps(a, host, timeout_ms, deadline, out, lg);
}
