/*
 * server_int.h: private to src/server: the running server's state shared
 * by server.c (libmicrohttpd glue) and run.c (start-up and shutdown), and
 * the small parsers unit tests reach.
 */
#ifndef WACHTER_SERVER_INT_H
#define WACHTER_SERVER_INT_H

#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "api/api.h"
#include "auth/auth.h"
#include "core/core.h"
#include "server/static_int.h"

struct MHD_Daemon;
struct MHD_Connection;
struct store;
struct wachter_config;
struct logger;

/*
 * Reverse proxies (proxy.c). serve.trusted_proxies: comma-separated
 * addresses and CIDR blocks (host bits zero), at most SRV_PROXIES_MAX.
 * X-Forwarded-For is read only from a peer in that list, walked from the
 * right over at most SRV_XFF_ENTRIES_MAX entries and SRV_XFF_BYTES_MAX
 * bytes of at most SRV_XFF_HEADERS_MAX header lines (taken as one list in
 * order). IPv4-mapped IPv6 addresses count as IPv4.
 */
#define SRV_PROXIES_MAX 64
#define SRV_XFF_BYTES_MAX 1024
#define SRV_XFF_ENTRIES_MAX 16
#define SRV_XFF_HEADERS_MAX 8

struct srv_ip {
	unsigned char a[16]; /* IPv4 in the first 4 bytes */
	int family;	     /* AF_INET, AF_INET6 */
};

struct srv_net {
	struct srv_ip ip;
	unsigned bits;
};

struct srv_proxies {
	struct srv_net net[SRV_PROXIES_MAX];
	size_t n;
};

/* The address of a request: remote is the client (from X-Forwarded-For
 * when the peer is a trusted proxy), peer the TCP peer; https when a
 * trusted proxy said X-Forwarded-Proto: https. "-" when unknown. */
struct srv_client {
	char remote[INET6_ADDRSTRLEN];
	char peer[INET6_ADDRSTRLEN];
	int https;
};

/* srv_proxies_parse: the list s into out ("" = none); ERR_INVAL when an
 * entry is malformed or there are too many. */
int srv_proxies_parse(const char *s, struct srv_proxies *out) WUR;
/* srv_proxies_has: 1 when ip lies in one of the blocks. */
int srv_proxies_has(const struct srv_proxies *p, const struct srv_ip *ip);
/* srv_xff_client: the client of the X-Forwarded-For values vals[0..n)
 * (lens bytes each, no NUL needed): the rightmost entry not in p.
 * ERR_PARSE when an entry reached is not a bare address, ERR_TOO_BIG over
 * the caps, ERR_NOTFOUND when every entry is a trusted proxy. */
int srv_xff_client(const struct srv_proxies *p, const char *const *vals, const size_t *lens,
		   size_t n, struct srv_ip *out) WUR;
int srv_ip_of_sockaddr(const struct sockaddr *sa, struct srv_ip *out) WUR;
void srv_ip_str(const struct srv_ip *ip, char *out, size_t size);
struct srv;
/* srv_client_of: the client of the request on con (see struct srv_client);
 * s NULL: the peer only. */
void srv_client_of(const struct srv *s, struct MHD_Connection *con, struct srv_client *out);

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
	/* The background mail sender; NULL: no outgoing mail. */
	struct api_mailer *mailer;
	int tls;
	int secure_cookies;
	struct srv_proxies proxies; /* serve.trusted_proxies */
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

/*
 * The demo of "make run" (demo.c): "wachter serve --demo" seeds, in one
 * transaction and idempotently, an operator (unless one exists), the
 * company SRV_DEMO_ORG with its admin SRV_DEMO_ADMIN and the asset "host
 * SRV_DEMO_ASSET" verified by operator attestation, with audit_log rows.
 * Passwords are generated for the accounts it creates (empty strings
 * otherwise); the caller shows them once and zeroes the struct.
 */
#define SRV_DEMO_OPERATOR "operator@wachter.test"
#define SRV_DEMO_ADMIN "admin@demo-bv.test"
#define SRV_DEMO_ORG "Demo B.V."
#define SRV_DEMO_ASSET "127.0.0.1"

struct srv_demo {
	char operator_email[AUTH_EMAIL_MAX + 1];
	char operator_pw[AUTH_TOKEN_SIZE]; /* "" when the operator existed */
	char admin_email[AUTH_EMAIL_MAX + 1];
	char admin_pw[AUTH_TOKEN_SIZE]; /* "" when the admin existed */
	int64_t operator_id, admin_id, org_id, asset_id;
	int org_created, asset_verified_now;
};

int srv_demo_seed(struct store *st, time_t now, struct srv_demo *out) WUR;
/* srv_demo_scan_row: the demo asset's scan at start: a new "queued" row
 * (*fresh 1) unless a scan of it finished ("done", "incomplete") and
 * started within the last hour (*fresh 0, *scan_id that scan).
 * ERR_NOTFOUND when there is no demo asset. */
int srv_demo_scan_row(struct store *st, time_t now, int64_t *scan_id, int *fresh) WUR;
/* srv_demo_on_start: the server_opts.on_start hook of --demo: the scan
 * row above, handed to the worker pool; prints what it did and the URL. */
void srv_demo_on_start(void *arg, const struct wachter_config *cfg, struct logger *lg,
		       struct api_scanq *q);

#endif
