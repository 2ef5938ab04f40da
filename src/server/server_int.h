/*
 * server_int.h: private to src/server: the running server's state shared
 * by server.c (libmicrohttpd glue) and run.c (start-up and shutdown), and
 * the small parsers unit tests reach.
 */
#ifndef WACHTER_SERVER_INT_H
#define WACHTER_SERVER_INT_H

#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>

#include "api/api.h"
#include "core/core.h"
#include "server/static_int.h"

struct MHD_Daemon;
struct store;
struct wachter_config;
struct logger;

struct srv {
	const struct wachter_config *cfg;
	struct logger *lg;
	struct MHD_Daemon *d;
	const struct api_route *routes;
	size_t nroutes;
	struct api_scanq *scanq;
	struct auth_ratelimit *login_rl;
	const char *smtp_url, *mail_from;
	struct srv_static *ui; /* NULL: no dashboard */
	int tls;
	int secure_cookies;
	/* store handles, one per request in flight */
	struct store **pool;
	int *pool_free;
	int pool_n, pool_nfree;
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_cv;
};

int srv_pool_init(struct srv *s, int n) WUR;
void srv_pool_release(struct srv *s);
int srv_start(struct srv *s, const struct sockaddr *sa, const char *cert, const char *key) WUR;
void srv_stop(struct srv *s);

/* srv_addr_str: the address of sa as text into out. */
void srv_addr_str(const struct sockaddr *sa, char *out, size_t size);
/* srv_content_length_too_big: 1 when the header value is over max or not
 * a plain decimal number (so a bogus length is refused, not trusted). */
int srv_content_length_too_big(const char *v, size_t max);
/* srv_parse_listen: "host:port" / "[v6]:port" with a numeric host into
 * ss; ERR_INVAL when malformed. */
int srv_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len);

#endif
