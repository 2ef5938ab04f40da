/*
 * server.h: "wachter serve": the platform's HTTP server on libmicrohttpd
 * (internal polling thread plus a thread pool), request routing onto the
 * API route table, a 1 MiB body cap (413), security headers on every
 * response, an access log, optional TLS and graceful shutdown. See
 * docs/server.md.
 */
#ifndef WACHTER_SERVER_H
#define WACHTER_SERVER_H

#include <signal.h>
#include <stddef.h>

#include "api/api.h"
#include "core/core.h"

struct wachter_config;
struct logger;

#define SERVER_URI_MAX 8192 /* request-target bytes; longer gets 414 */

/*
 * server_route: find the route for method and the raw (still
 * percent-encoded) path[0..len), which holds no query string. Literal
 * segments compare byte for byte; ":name" segments are percent-decoded
 * into rq->params (at most API_PARAM_MAX - 1 bytes, no NUL or '/').
 * Returns 0 with *out set, ERR_NOTFOUND when no pattern matches the path,
 * ERR_UNSUPP when one matches with another method (405), ERR_PARSE for a
 * malformed escape (400). Pure; thread safe.
 */
int server_route(const struct api_route *t, size_t n, const char *method, const char *path,
		 size_t len, struct api_req *rq, const struct api_route **out) WUR;

/* One response header every answer carries. */
struct server_header {
	const char *name;
	const char *value;
};

/* server_security_headers: the headers for every response (without HSTS,
 * which server_run adds only when serving TLS). */
const struct server_header *server_security_headers(size_t *n);

/*
 * server_run: serve cfg->serve_listen ("host:port", "[v6]:port") until
 * *stop becomes non-zero (checked every 200 ms; a signal handler sets it),
 * then stop accepting, finish requests in flight, cancel running scans and
 * return 0. TLS when cfg->serve_tls_cert and serve_tls_key are set.
 * Opens cfg->serve_threads + 1 store handles (one per pool thread) and
 * runs pending migrations first. Errors: ERR_INVAL (bad listen address,
 * only one of cert/key), ERR_IO (cannot bind or read the certificate),
 * ERR_UNSUPP (TLS not in this libmicrohttpd), store errors.
 */
int server_run(const struct wachter_config *cfg, struct logger *lg,
	       volatile sig_atomic_t *stop) WUR;

/*
 * struct server_opts: settings not (yet) in the configuration table, set
 * by "wachter serve" flags. smtp_url is the mail relay for password
 * resets ("smtp://127.0.0.1:25"), mail_from the sender address; either
 * NULL disables outgoing mail (resets then answer 503).
 */
struct server_opts {
	const char *smtp_url;
	const char *mail_from;
	const char *ui_dir; /* the dashboard's files; NULL = ./ui/dist when present */
	/* Called once the server listens and the scan workers run (NULL =
	 * none); "serve --demo" queues the demo company's scan here. */
	void (*on_start)(void *arg, const struct wachter_config *cfg, struct logger *lg,
			 struct api_scanq *q);
	void *on_start_arg;
};

/* server_run_opts: server_run with opts (NULL = none). */
int server_run_opts(const struct wachter_config *cfg, const struct server_opts *opts,
		    struct logger *lg, volatile sig_atomic_t *stop) WUR;

/*
 * server_cmd: the "wachter serve" subcommand; argv[0] is "serve".
 *   serve [--listen ADDR] [--smtp-url URL --mail-from ADDR] [--ui DIR]
 *   serve --init-operator EMAIL
 * --init-operator creates an operator account, prints its generated
 * password once and exits. Installs SIGTERM/SIGINT handlers that stop the
 * server gracefully. Returns the exit status (0, 1 failure, 2 usage).
 */
int server_cmd(int argc, char **argv, const struct wachter_config *cfg, struct logger *lg);

#endif
