/*
 * server.c: the HTTP side of "wachter serve" on libmicrohttpd: an internal
 * polling thread with a thread pool, one store handle per request in
 * flight from a small pool, the raw request-target taken from the URI log
 * callback (so routing and query parsing see the untouched bytes), bodies
 * capped at API_BODY_MAX, security headers and an access log line per
 * request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "config/config.h"
#include "core/core.h"
#include "server/sectxt_int.h"
#include "server/server.h"
#include "server/server_int.h"
#include "store/store.h"

static const struct server_header sec_headers[] = {
    {"Content-Security-Policy",
     "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
     "object-src 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Cross-Origin-Embedder-Policy", "require-corp"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
    {"Cache-Control", "no-store"},
};

const struct server_header *server_security_headers(size_t *n)
{
	*n = ARRAY_SIZE(sec_headers);
	return sec_headers;
}

/* ------------------------------------------------------- store pool */

int srv_pool_init(struct srv *s, int n)
{
	struct store_opts so = {.busy_timeout_ms = (int)s->cfg->store_busy_timeout_ms};
	int i, r;

	s->pool = calloc((size_t)n, sizeof(*s->pool));
	s->pool_free = calloc((size_t)n, sizeof(*s->pool_free));
	if (!s->pool || !s->pool_free)
		return ERR_NOMEM;
	pthread_mutex_init(&s->pool_mu, NULL);
	pthread_cond_init(&s->pool_cv, NULL);
	s->pool_n = n;
	for (i = 0; i < n; i++) {
		r = store_open(s->cfg->store_url, &so, s->lg, &s->pool[i]);
		if (r)
			return r;
		s->pool_free[s->pool_nfree++] = i;
	}
	return 0;
}

void srv_pool_release(struct srv *s)
{
	int i;

	for (i = 0; s->pool && i < s->pool_n; i++)
		store_close(s->pool[i]);
	if (s->pool) {
		pthread_cond_destroy(&s->pool_cv);
		pthread_mutex_destroy(&s->pool_mu);
	}
	free(s->pool);
	free(s->pool_free);
	s->pool = NULL;
	s->pool_free = NULL;
}

static int pool_get(struct srv *s)
{
	int i;

	pthread_mutex_lock(&s->pool_mu);
	while (s->pool_nfree == 0)
		pthread_cond_wait(&s->pool_cv, &s->pool_mu);
	i = s->pool_free[--s->pool_nfree];
	pthread_mutex_unlock(&s->pool_mu);
	return i;
}

static void pool_put(struct srv *s, int i)
{
	pthread_mutex_lock(&s->pool_mu);
	s->pool_free[s->pool_nfree++] = i;
	pthread_cond_signal(&s->pool_cv);
	pthread_mutex_unlock(&s->pool_mu);
}

/* ------------------------------------------------------- requests */

/* Per-request state, created by the URI callback before anything else. */
struct req_state {
	char *uri; /* raw request-target, NULL when over SERVER_URI_MAX */
	size_t uri_len;
	struct buf body;
	char method[8];
	int started;
	int too_big;
	unsigned status;
	size_t resp_len;
	int64_t t0;
	struct srv_client client; /* set with started */
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct req_state *rs = calloc(1, sizeof(*rs));
	size_t n = strlen(uri);

	(void)cls;
	(void)con;
	if (!rs)
		return NULL;
	buf_init(&rs->body, API_BODY_MAX);
	rs->t0 = time_now_ms();
	if (n <= SERVER_URI_MAX) {
		rs->uri = xstrndup(uri, n);
		rs->uri_len = rs->uri ? n : 0;
	}
	return rs;
}

static enum MHD_Result queue(struct srv *s, struct MHD_Connection *con, struct req_state *st,
			     struct api_resp *ar)
{
	struct MHD_Response *resp;
	size_t i, len = ar->body.len;
	char *body = buf_take(&ar->body);
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	for (i = 0; i < ARRAY_SIZE(sec_headers); i++)
		MHD_add_response_header(resp, sec_headers[i].name, sec_headers[i].value);
	if (s->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
					"max-age=31536000; includeSubDomains");
	if (len > 0)
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	for (i = 0; i < ar->ncookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", ar->cookies[i]);
	st->status = (unsigned)ar->status;
	st->resp_len = len;
	ret = MHD_queue_response(con, (unsigned)ar->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result queue_error(struct srv *s, struct MHD_Connection *con, struct req_state *st,
				   int status, const char *msg)
{
	struct api_resp ar;
	enum MHD_Result ret;

	api_resp_init(&ar);
	api_error(&ar, status, msg);
	ret = queue(s, con, st, &ar);
	api_resp_release(&ar);
	return ret;
}

/* "Bearer <token>" -> token; NULL otherwise. */
static const char *bearer_of(const char *h)
{
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h ? h : NULL;
}

static enum MHD_Result dispatch(struct srv *s, struct MHD_Connection *con, struct req_state *st,
				const char *method)
{
	const struct api_route *rt = NULL;
	struct api_req rq;
	struct api_resp ar;
	struct api_ctx ctx;
	const char *q = memchr(st->uri, '?', st->uri_len);
	size_t plen = q ? (size_t)(q - st->uri) : st->uri_len;
	char path[SERVER_URI_MAX + 1];
	enum MHD_Result ret;
	int r, slot;

	memset(&rq, 0, sizeof(rq));
	memcpy(path, st->uri, plen);
	path[plen] = '\0';
	if (srv_sectxt_wants(s->cfg, method, path, plen))
		return (enum MHD_Result)srv_sectxt_serve(s->cfg, con, s->tls, &st->status,
							 &st->resp_len);
	r = server_route(s->routes, s->nroutes, method, path, plen, &rq, &rt);
	if (r == ERR_UNSUPP)
		return queue_error(s, con, st, 405, "method not allowed");
	if (r == ERR_PARSE)
		return queue_error(s, con, st, 400, "malformed path");
	if (r == ERR_NOTFOUND && s->ui && srv_static_wants(method, path, plen))
		return (enum MHD_Result)srv_static_serve(s->ui, con, path, plen, s->tls,
							 &st->status, &st->resp_len);
	if (r)
		return queue_error(s, con, st, 404, "not found");
	rq.method = method;
	rq.path = path;
	rq.query = q ? q + 1 : "";
	rq.query_len = q ? st->uri_len - plen - 1 : 0;
	rq.body = st->body.ptr;
	rq.body_len = st->body.len;
	rq.session = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, API_SESSION_COOKIE);
	rq.bearer = bearer_of(MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Authorization"));
	rq.csrf = MHD_lookup_connection_value(con, MHD_HEADER_KIND, API_CSRF_HEADER);
	rq.remote = st->client.remote;
	rq.accept_language = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Accept-Language");
	slot = pool_get(s);
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = s->pool[slot];
	ctx.cfg = s->cfg;
	ctx.lg = s->lg;
	ctx.scanq = s->scanq;
	ctx.login_rl = s->login_rl;
	ctx.smtp_url = s->smtp_url;
	ctx.mail_from = s->mail_from;
	ctx.mailer = s->mailer;
	/* A trusted proxy that terminated TLS can only add Secure. */
	ctx.secure_cookies = s->secure_cookies || st->client.https;
	api_resp_init(&ar);
	r = api_call(&ctx, rt, &rq, &ar);
	pool_put(s, slot);
	if (r)
		api_error(&ar, 500, "internal error");
	if (strcmp(method, "HEAD") == 0)
		buf_reset(&ar.body);
	ret = queue(s, con, st, &ar);
	api_resp_release(&ar);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct srv *s = cls;
	struct req_state *st = *con_cls;
	const char *cl;

	(void)url;
	(void)version;
	if (!st)
		return MHD_NO;
	if (!st->started) {
		st->started = 1;
		str_lcpy(st->method, method, sizeof(st->method));
		srv_client_of(s, con, &st->client);
		if (!st->uri)
			return queue_error(s, con, st, 414, "request-target too long");
		cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
		if (cl && srv_content_length_too_big(cl, API_BODY_MAX))
			return queue_error(s, con, st, 413, "request body over 1 MiB");
		return MHD_YES;
	}
	if (*upload_size) {
		if (!st->too_big && buf_add(&st->body, upload, *upload_size) != 0) {
			st->too_big = 1;
			buf_release(&st->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->too_big)
		return queue_error(s, con, st, 413, "request body over 1 MiB");
	return dispatch(s, con, st, method);
}

static void on_done(void *cls, struct MHD_Connection *con, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct srv *s = cls;
	struct req_state *st = *con_cls;
	struct srv_client peer;
	const struct srv_client *cl;

	if (!st)
		return;
	cl = &st->client;
	/* A request that never reached on_request: its peer, unforwarded. */
	if (!st->started) {
		srv_client_of(NULL, con, &peer);
		cl = &peer;
	}
	/* The path without the query: tokens never go in query strings, but
	 * filters may name things the log need not keep. */
	if (st->uri) {
		const char *q = memchr(st->uri, '?', st->uri_len);
		size_t plen = q ? (size_t)(q - st->uri) : st->uri_len;
		struct buf p = BUF_INIT;

		if (buf_add_printable(&p, st->uri, plen > 200 ? 200 : plen) == 0)
			LOG_INFO(s->lg,
				 "access remote=%s%s%s method=%s path=\"%s\" status=%u bytes=%zu "
				 "ms=%lld%s",
				 cl->remote, strcmp(cl->remote, cl->peer) ? " peer=" : "",
				 strcmp(cl->remote, cl->peer) ? cl->peer : "",
				 st->method[0] ? st->method : "-", p.ptr, st->status, st->resp_len,
				 (long long)(time_now_ms() - st->t0),
				 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
		buf_release(&p);
	}
	buf_release(&st->body);
	free(st->uri);
	free(st);
	*con_cls = NULL;
}

/*
 * GnuTLS priorities for serve.tls_cert: what wachter's own TLS checks
 * demand (checks.md TLS-04..09): TLS 1.2 and 1.3 only; ECDHE with AES-GCM
 * or ChaCha20-Poly1305 (no CBC, no RSA key exchange, no DHE); groups
 * X25519, P-256, P-384 (no finite-field groups); SHA-256+ signatures (no
 * SHA-1/SHA-224); the server's order. Without it GnuTLS's NORMAL offers
 * TLS 1.0/1.1, CBC suites, ffdhe groups and SHA-1 signatures, and
 * `wachter scan` of the server found TLS-04, -06, -07, -08, -09 and -18.
 * ECDSA and RSA certificates both work.
 */
#define SRV_TLS_PRIORITIES                                                                         \
	"NONE:+VERS-TLS1.3:+VERS-TLS1.2:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-GCM:+AEAD:"       \
	"+ECDHE-ECDSA:+ECDHE-RSA:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:"                 \
	"+SIGN-ECDSA-SHA256:+SIGN-ECDSA-SHA384:+SIGN-ECDSA-SHA512:+SIGN-ECDSA-SECP256R1-SHA256:"   \
	"+SIGN-ECDSA-SECP384R1-SHA384:+SIGN-ECDSA-SECP521R1-SHA512:+SIGN-EDDSA-ED25519:"           \
	"+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-RSA-PSS-RSAE-SHA384:+SIGN-RSA-PSS-RSAE-SHA512:"           \
	"+SIGN-RSA-PSS-SHA256:+SIGN-RSA-PSS-SHA384:+SIGN-RSA-PSS-SHA512:+SIGN-RSA-SHA256:"         \
	"+SIGN-RSA-SHA384:+SIGN-RSA-SHA512:+COMP-NULL:+CTYPE-X509:%SERVER_PRECEDENCE"

int srv_start(struct srv *s, const struct sockaddr *sa, const char *cert, const char *key)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

	if (sa->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (s->tls)
		flags |= MHD_USE_TLS;
	if (srv_proxies_parse(s->cfg->serve_trusted_proxies, &s->proxies) != 0)
		return ERR_INVAL;
	if (s->tls)
		s->d = MHD_start_daemon(
		    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg->serve_threads,
		    MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
		    MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 1000u,
		    MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
		    MHD_OPTION_HTTPS_PRIORITIES, SRV_TLS_PRIORITIES, MHD_OPTION_END);
	else
		s->d = MHD_start_daemon(
		    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg->serve_threads,
		    MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
		    MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 1000u,
		    MHD_OPTION_END);
	return s->d ? 0 : ERR_IO;
}

void srv_stop(struct srv *s)
{
	if (s->d)
		MHD_stop_daemon(s->d);
	s->d = NULL;
}
