/*
 * api.h: the JSON API of the platform, independent of the HTTP library:
 * a request (method, route parameters, query, body, credentials) goes in,
 * a response (status, JSON body, cookies) comes out. src/server feeds it
 * from libmicrohttpd; unit tests call it directly. Data access goes only
 * through the tenant-scoped functions of tenant.c (api_int.h).
 */
#ifndef WACHTER_API_H
#define WACHTER_API_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "auth/auth.h"
#include "core/core.h"

struct store;
struct logger;
struct wachter_config;

#define API_BODY_MAX ((size_t)1 << 20) /* request bodies over this get 413 */
#define API_RESP_MAX ((size_t)16 << 20)
#define API_MAX_PARAMS 4
#define API_PARAM_MAX 128
#define API_SESSION_COOKIE "wachter_session"
#define API_CSRF_COOKIE "wachter_csrf"
#define API_CSRF_HEADER "X-CSRF-Token"

enum api_auth {
	API_AUTH_NONE = 0, /* anyone */
	API_AUTH_USER,	   /* a session or API token */
	API_AUTH_OPERATOR, /* an operator */
};

/* One ":name" segment of a matched route. */
struct api_param {
	char name[32];
	char value[API_PARAM_MAX];
};

/*
 * struct api_req: one request. All pointers are borrowed for the call.
 * session/bearer/csrf are NULL when absent. query is the raw query string
 * (without '?', still percent-encoded).
 */
struct api_req {
	const char *method;
	const char *path;
	struct api_param params[API_MAX_PARAMS];
	size_t nparams;
	const char *query;
	size_t query_len;
	const char *body;
	size_t body_len;
	const char *session; /* the session cookie's value */
	const char *bearer;  /* the token of "Authorization: Bearer ..." */
	const char *csrf;    /* the X-CSRF-Token header */
	const char *remote;  /* peer address, for logs and rate limits */
	/* The Accept-Language header (the language of mails); NULL = none. */
	const char *accept_language;
};

#define API_MAX_COOKIES 2

/* struct api_resp: status, JSON body and Set-Cookie values. */
struct api_resp {
	int status;
	struct buf body;
	char cookies[API_MAX_COOKIES][256];
	size_t ncookies;
};

void api_resp_init(struct api_resp *rs);
void api_resp_release(struct api_resp *rs);

struct api_scanq;
struct api_mailer;

/*
 * struct api_ctx: what a handler may use. st is the calling thread's own
 * store handle. scanq may be NULL (scans are then refused with 503).
 * secure_cookies adds "Secure" (set when serving TLS or behind an HTTPS
 * proxy, i.e. public_url starts with https://). now 0 = time(NULL).
 */
struct api_ctx {
	struct store *st;
	const struct wachter_config *cfg;
	struct logger *lg;
	struct api_scanq *scanq;
	struct auth_ratelimit *login_rl; /* may be NULL: no per-address limit */
	const char *smtp_url;		 /* mail relay; NULL = no outgoing mail */
	const char *mail_from;
	struct api_mailer *mailer; /* the background sender; NULL = no outgoing mail */
	int secure_cookies;
	time_t now;
};

typedef int (*api_handler_fn)(struct api_ctx *c, const struct api_req *rq,
			      const struct authz_ctx *az, struct api_resp *rs);

/* A route: method, a path pattern ("/api/orgs/:id/assets") and a handler. */
struct api_route {
	const char *method;
	const char *pattern;
	api_handler_fn fn;
	enum api_auth auth;
};

/* api_routes: the route table (static, n entries). */
const struct api_route *api_routes(size_t *n);

/*
 * api_call: authenticate rq (session cookie or Bearer token), check the
 * route's auth requirement and, for state-changing methods on a cookie
 * session, the CSRF header; then run the handler. Always fills rs with a
 * status and a JSON body ({"error": "..."} on failure); returns 0, or a
 * negative code only when even the error response could not be built.
 * Thread safe with one ctx (store handle) per thread.
 */
int api_call(struct api_ctx *c, const struct api_route *rt, const struct api_req *rq,
	     struct api_resp *rs) WUR;

/*
 * Rows the data layer writes, for the seeding of the demo (inside the
 * caller's transaction; user_id / org_id 0 = NULL):
 * api_audit_row: one audit_log row at now.
 * api_org_seed: an organisation with admin_id as its admin, and its
 * audit row, as POST /api/orgs makes it.
 */
int api_audit_row(struct store *st, time_t now, int64_t user_id, int64_t org_id, const char *action,
		  const char *object, const char *detail) WUR;
int api_org_seed(struct store *st, time_t now, int64_t admin_id, const char *name,
		 const char *sector, const char *size_class, int64_t *org_id) WUR;

/* api_error: set rs to status with body {"error": msg}. */
void api_error(struct api_resp *rs, int status, const char *msg);

/*
 * api_json_check_fields: 0 when obj is a JSON object whose keys are all in
 * allowed (NULL-terminated); ERR_INVAL with the first offending key in
 * err otherwise (unknown fields are rejected). obj is a json_t *.
 */
int api_json_check_fields(const void *obj, const char *const *allowed, struct buf *err) WUR;

/*
 * api_query_get: the value of parameter name in the raw query string
 * q[0..len) ("a=1&b=x%20y"), percent- and '+'-decoded into out (replaced,
 * capped at max bytes). ERR_NOTFOUND when absent, ERR_PARSE for a bad
 * escape or a decoded NUL, ERR_TOO_BIG over max. The first occurrence
 * wins; a parameter given twice is ERR_INVAL (no ambiguity to exploit).
 */
int api_query_get(const char *q, size_t len, const char *name, struct buf *out, size_t max) WUR;
/* api_query_int: the integer parameter name in min..max into *out;
 * ERR_NOTFOUND when absent (out unchanged), ERR_INVAL when not a number in
 * range or given twice, ERR_PARSE when malformed. */
int api_query_int(const char *q, size_t len, const char *name, int64_t min, int64_t max,
		  int64_t *out) WUR;
/* api_query_check: ERR_INVAL (name in err) when q holds a parameter not in
 * allowed (NULL-terminated), ERR_PARSE when it is malformed. */
int api_query_check(const char *q, size_t len, const char *const *allowed, struct buf *err) WUR;

/*
 * The scan worker pool: scans started from the API run here, in threads of
 * the server process, each with its own store handle opened from
 * cfg->store_url. api_scanq_new starts nworkers threads; api_scanq_free
 * cancels running scans, joins the threads and frees (NULL is fine).
 * Scans still queued at shutdown stay "queued" in the database.
 */
int api_scanq_new(const struct wachter_config *cfg, struct logger *lg, int nworkers,
		  struct api_scanq **out) WUR;
void api_scanq_free(struct api_scanq *q);
/* api_scanq_push: queue scan scan_id of target; ERR_TOO_BIG when full. */
int api_scanq_push(struct api_scanq *q, int64_t scan_id, const char *target) WUR;

/*
 * The background mail sender (src/api/mail.c): a bounded in-memory queue
 * and one thread that delivers over SMTP (smtp:// or smtps://, STARTTLS
 * as cfg->mail_starttls says) from the address from. Links in messages
 * use cfg->serve_public_url (else the listen address). api_mailer_new:
 * ERR_INVAL for a bad URL or address. api_mailer_free stops taking mail,
 * delivers what is queued for at most API_MAIL_DRAIN_MS (a delivery still
 * running then is aborted), drops and logs the rest, joins and frees
 * (NULL is fine). Queued mail does not survive a restart.
 */
#define API_MAIL_DRAIN_MS 10000
int api_mailer_new(const struct wachter_config *cfg, const char *smtp_url, const char *from,
		   struct logger *lg, struct api_mailer **out) WUR;
void api_mailer_free(struct api_mailer *m);

#endif
