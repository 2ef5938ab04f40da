/*
 * dispatch.c: one API call: who is asking (session cookie or Bearer
 * token), may they call this route, does a state-changing cookie request
 * carry the session's CSRF token; then the handler. Errors are JSON
 * {"error": "..."} with the matching HTTP status.
 */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/api_int.h"
#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

void api_resp_init(struct api_resp *rs)
{
	memset(rs, 0, sizeof(*rs));
	buf_init(&rs->body, API_RESP_MAX);
	/* Most answers fit; growing from nothing costs several reallocs.
	 * Failure here is harmless: the first append tries again. */
	if (buf_grow(&rs->body, 8192) != 0)
		buf_reset(&rs->body);
	rs->status = 200;
}

void api_resp_release(struct api_resp *rs)
{
	buf_release(&rs->body);
	mem_zero(rs->cookies, sizeof(rs->cookies));
	rs->ncookies = 0;
}

void api_error(struct api_resp *rs, int status, const char *msg)
{
	rs->status = status;
	buf_reset(&rs->body);
	/* Best effort: an error body that does not fit stays empty. */
	if (buf_adds(&rs->body, "{\"error\":") || buf_add_json_str(&rs->body, msg, strlen(msg)) ||
	    buf_addch(&rs->body, '}'))
		buf_reset(&rs->body);
}

int api_json_check_fields(const void *obj, const char *const *allowed, struct buf *err)
{
	const json_t *o = obj;
	const char *key;
	json_t *v;

	if (!json_is_object(o)) {
		buf_errf(err, "the body must be a JSON object");
		return ERR_INVAL;
	}
	json_object_foreach((json_t *)o, key, v)
	{
		size_t i;
		int ok = 0;

		for (i = 0; allowed[i]; i++)
			ok |= strcmp(key, allowed[i]) == 0;
		if (!ok) {
			buf_errf(err, "unknown field '%.64s'", key);
			return ERR_INVAL;
		}
	}
	return 0;
}

static int is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Fill az from the request's credentials; *csrf gets the session's token. */
static int authenticate(struct api_ctx *c, const struct api_req *rq, time_t now,
			struct authz_ctx *az, char csrf[AUTH_TOKEN_SIZE])
{
	int r = ERR_AUTH;

	csrf[0] = '\0';
	if (rq->bearer)
		r = auth_apitoken_lookup(c->st, rq->bearer, strlen(rq->bearer), now, az);
	else if (rq->session)
		r = auth_session_lookup(c->st, rq->session, strlen(rq->session), now, az, csrf);
	return r;
}

int api_call(struct api_ctx *c, const struct api_route *rt, const struct api_req *rq,
	     struct api_resp *rs)
{
	struct authz_ctx az;
	char csrf[AUTH_TOKEN_SIZE];
	time_t now = c->now ? c->now : time(NULL);
	int r;

	memset(&az, 0, sizeof(az));
	r = authenticate(c, rq, now, &az, csrf);
	if (r && r != ERR_AUTH) {
		LOG_ERROR(c->lg, "authentication lookup failed err=%s db=\"%s\"", err_str(r),
			  store_errmsg(c->st));
		api_error(rs, 500, "internal error");
		goto out;
	}
	if (r)
		memset(&az, 0, sizeof(az));
	if (rt->auth != API_AUTH_NONE && !az.user_id) {
		api_error(rs, 401, "sign in first");
		goto out;
	}
	if (rt->auth == API_AUTH_OPERATOR && !az.operator) {
		api_error(rs, 403, "operators only");
		goto out;
	}
	/* Cookies ride along on cross-site requests; the CSRF header cannot. */
	if (az.user_id && !az.via_token && !is_safe_method(rq->method) &&
	    (!rq->csrf || !auth_token_eq(rq->csrf, csrf))) {
		api_error(rs, 403, "missing or wrong " API_CSRF_HEADER " header");
		goto out;
	}
	r = rt->fn(c, rq, &az, rs);
	if (r) {
		LOG_ERROR(c->lg, "handler failed path=%.*s err=%s db=\"%s\"",
			  LOG_CAP(strlen(rq->path)), rq->path, err_str(r), store_errmsg(c->st));
		api_error(rs, 500, "internal error");
	}
out:
	mem_zero(csrf, sizeof(csrf));
	return 0;
}
