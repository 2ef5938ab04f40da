/*
 * run.c: the life of "wachter serve": check the settings, migrate the
 * database, open the store pool, start the scan workers and the HTTP
 * daemon, wait for the stop flag, then shut down in reverse order.
 */
#include <arpa/inet.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "auth/auth.h"
#include "config/config.h"
#include "core/core.h"
#include "server/server.h"
#include "server/server_int.h"
#include "store/store.h"

#define TLS_PEM_MAX (256u * 1024u)
#define SCAN_WORKERS 2

void srv_addr_str(const struct sockaddr *sa, char *out, size_t size)
{
	const void *a = sa->sa_family == AF_INET6
			    ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
			    : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;

	if (!inet_ntop(sa->sa_family, a, out, (socklen_t)size))
		str_lcpy(out, "?", size);
}

int srv_content_length_too_big(const char *v, size_t max)
{
	struct cursor c;
	uint64_t n;

	cursor_init(&c, v, strlen(v));
	cursor_trim(&c);
	if (cursor_uint(&c, UINT64_MAX / 2, &n) != 0 || c.len != 0)
		return 1;
	return n > max;
}

int srv_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon, *h = s;
	size_t hlen;
	struct cursor c;
	uint64_t port;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':')
			return ERR_INVAL;
		h = s + 1;
		hlen = (size_t)(end - h);
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return ERR_INVAL;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return ERR_INVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	cursor_init(&c, colon + 1, strlen(colon + 1));
	if (cursor_uint(&c, 65535, &port) != 0 || c.len != 0 || port == 0)
		return ERR_INVAL;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return ERR_INVAL;
}

/* Read a PEM file whole (NUL-terminated) for MHD_OPTION_HTTPS_MEM_*. */
static int read_pem(const char *path, char **out)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;
	int r = 0;

	if (!fp)
		return ERR_IO;
	buf_init(&b, TLS_PEM_MAX);
	while (r == 0 && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		r = buf_add(&b, chunk, n);
	if (r == 0 && ferror(fp))
		r = ERR_IO;
	fclose(fp);
	if (r) {
		mem_zero(b.ptr, b.len);
		buf_release(&b);
		return r;
	}
	*out = buf_take(&b);
	return *out ? 0 : ERR_NOMEM;
}

static void free_secret(char *p)
{
	if (p) {
		mem_zero(p, strlen(p));
		free(p);
	}
}

static int migrate(const struct wachter_config *cfg, struct logger *lg)
{
	struct store_opts so = {.busy_timeout_ms = (int)cfg->store_busy_timeout_ms};
	struct store *st = NULL;
	int r = store_open(cfg->store_url, &so, lg, &st), from = 0, to = 0;

	if (r == 0)
		r = store_migrate(st, &from, &to);
	if (r)
		LOG_ERROR(lg, "database not ready url=%s err=%s msg=\"%s\"", store_location(st),
			  err_str(r), store_errmsg(st));
	else if (from != to)
		LOG_INFO(lg, "database migrated from=%d to=%d", from, to);
	store_close(st);
	return r;
}

static int start(struct srv *s, char **cert, char **key)
{
	const struct wachter_config *cfg = s->cfg;
	struct sockaddr_storage ss;
	socklen_t sl;
	int r;

	if (srv_parse_listen(cfg->serve_listen, &ss, &sl) != 0) {
		LOG_ERROR(s->lg, "bad listen address listen=%s", cfg->serve_listen);
		return ERR_INVAL;
	}
	if (!cfg->serve_tls_cert[0] != !cfg->serve_tls_key[0])
		return ERR_INVAL;
	s->tls = cfg->serve_tls_cert[0] != 0;
	s->secure_cookies = s->tls || strncmp(cfg->serve_public_url, "https://", 8) == 0;
	if (s->tls) {
		r = read_pem(cfg->serve_tls_cert, cert);
		if (r == 0)
			r = read_pem(cfg->serve_tls_key, key);
		if (r) {
			LOG_ERROR(s->lg, "cannot read the TLS certificate or key err=%s",
				  err_str(r));
			return r;
		}
	}
	r = migrate(cfg, s->lg);
	if (r == 0)
		r = srv_pool_init(s, (int)cfg->serve_threads + 1);
	if (r == 0)
		r = auth_ratelimit_new((unsigned)cfg->serve_login_rate, AUTH_RATELIMIT_WINDOW_S,
				       &s->login_rl);
	if (r == 0)
		r = api_scanq_new(cfg, s->lg, SCAN_WORKERS, &s->scanq);
	if (r == 0) {
		r = srv_start(s, (const struct sockaddr *)&ss, *cert, *key);
		if (r)
			LOG_ERROR(s->lg, "cannot listen listen=%s (address in use?)",
				  cfg->serve_listen);
	}
	return r;
}

/*
 * A request allocates and frees some 100 KiB (the answer, SQLite's sort of
 * the findings); with glibc's default trim threshold each free at the top
 * of a thread's heap gave the pages back (madvise, about 1.5 per request)
 * and the next request faulted them in again: a tenth of the server's CPU
 * time under load. Keep up to 8 MiB per heap instead. Process-wide, set
 * once before the worker threads start; elsewhere a no-op.
 */
static void tune_malloc(void)
{
#ifdef __GLIBC__
	(void)mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
	(void)mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
}

int server_run(const struct wachter_config *cfg, struct logger *lg, volatile sig_atomic_t *stop)
{
	return server_run_opts(cfg, NULL, lg, stop);
}

int server_run_opts(const struct wachter_config *cfg, const struct server_opts *opts,
		    struct logger *lg, volatile sig_atomic_t *stop)
{
	struct srv s;
	char *cert = NULL, *key = NULL;
	struct timespec ts = {0, 200 * 1000 * 1000};
	int r = 0;

	tune_malloc();
	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.lg = lg;
	s.routes = api_routes(&s.nroutes);
	if (opts && opts->smtp_url && opts->mail_from) {
		s.smtp_url = opts->smtp_url;
		s.mail_from = opts->mail_from;
		r = api_mailer_new(cfg, s.smtp_url, s.mail_from, lg, &s.mailer);
		if (r)
			LOG_ERROR(lg, "bad mail relay or sender (mail.smtp_url, mail.from) err=%s",
				  err_str(r));
	}
	if (r == 0)
		r = srv_static_open(opts ? opts->ui_dir : NULL, lg, &s.ui);
	if (r == 0)
		r = start(&s, &cert, &key);
	if (r == 0) {
		LOG_INFO(lg, "serving listen=%s tls=%d threads=%lld", cfg->serve_listen, s.tls,
			 (long long)cfg->serve_threads);
		if (opts && opts->on_start)
			opts->on_start(opts->on_start_arg, cfg, lg, s.scanq);
		while (!*stop)
			nanosleep(&ts, NULL);
		LOG_INFO(lg, "stopping");
	}
	/* Stop taking requests, then stop the workers (they cancel running
	 * scans, whose rows end "canceled"), then close the store. */
	srv_stop(&s);
	api_scanq_free(s.scanq);
	api_mailer_free(s.mailer); /* delivers what is queued, up to a deadline */
	auth_ratelimit_free(s.login_rl);
	srv_pool_release(&s);
	srv_static_free(s.ui);
	free_secret(cert);
	free_secret(key);
	return r;
}
