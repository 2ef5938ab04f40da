/*
 * handlers.c: the JSON API endpoints (docs/api/openapi.yaml). Handlers
 * validate input (unknown fields and malformed JSON are 400), call the
 * tenant-scoped data layer and write the response; they never build a
 * tenant filter themselves. Return 0 with rs filled, or a negative code
 * for an internal failure (500).
 */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/api_int.h"
#include "auth/auth.h"
#include "check/check.h"
#include "config/config.h"
#include "core/core.h"
#include "store/store.h"

#define NAME_MAX_LEN 200

static time_t now_of(const struct api_ctx *c)
{
	return c->now ? c->now : time(NULL);
}

/* Parse the body as a JSON object with only allowed keys; on failure rs
 * holds a 400 and *obj is NULL. An empty body counts as {} when
 * empty_ok. */
int api_body_json(const struct api_req *rq, const char *const *allowed, int empty_ok,
		  struct api_resp *rs, json_t **obj)
{
	struct buf msg = BUF_INIT;
	json_error_t jerr;
	json_t *o;

	*obj = NULL;
	if (rq->body_len == 0 && empty_ok) {
		*obj = json_object();
		return *obj ? 0 : ERR_NOMEM;
	}
	o = json_loadb(rq->body ? rq->body : "", rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		/* jansson quotes the input in its message: keep it printable ASCII. */
		if (buf_addf(&msg, "malformed JSON at line %d column %d: ", jerr.line,
			     jerr.column) != 0 ||
		    buf_add_printable(&msg, jerr.text, strnlen(jerr.text, 100)) != 0)
			buf_errf(&msg, "malformed JSON");
		api_error(rs, 400, msg.ptr);
		buf_release(&msg);
		return 0;
	}
	if (api_json_check_fields(o, allowed, &msg) != 0) {
		api_error(rs, 400, msg.ptr);
		buf_release(&msg);
		json_decref(o);
		return 0;
	}
	buf_release(&msg);
	*obj = o;
	return 0;
}

/* A string field: *out NULL when absent; 400 when not a string, too long,
 * or (required) absent. Returns 1 when rs holds the error. */
static int field_str(json_t *o, const char *key, int required, size_t max, const char **out,
		     struct api_resp *rs)
{
	json_t *v = json_object_get(o, key);
	char msg[128];

	*out = NULL;
	if (!v && !required)
		return 0;
	if (!v || !json_is_string(v) || json_string_length(v) > max ||
	    (required && json_string_length(v) == 0) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(msg, sizeof(msg), "field '%s' must be a string of 1 to %zu bytes", key,
			 max);
		api_error(rs, 400, msg);
		return 1;
	}
	*out = json_string_value(v);
	return 0;
}

static int param_named(const struct api_req *rq, const char *name, int64_t *id)
{
	struct cursor c;
	uint64_t v;
	size_t i;

	for (i = 0; i < rq->nparams; i++) {
		if (strcmp(rq->params[i].name, name) != 0)
			continue;
		cursor_init(&c, rq->params[i].value, strlen(rq->params[i].value));
		if (cursor_uint(&c, INT64_MAX, &v) != 0 || c.len != 0 || v == 0)
			return ERR_NOTFOUND;
		*id = (int64_t)v;
		return 0;
	}
	return ERR_NOTFOUND;
}

static int param_id(const struct api_req *rq, int64_t *id)
{
	return param_named(rq, "id", id);
}

/* Map a data-layer result to a response; 0 handled, negative internal. */
static int data_result(int r, struct api_resp *rs, int ok_status)
{
	switch (r) {
	case 0:
		rs->status = ok_status;
		return 0;
	case ERR_NOTFOUND:
		api_error(rs, 404, "not found");
		return 0;
	case ERR_EXISTS:
		api_error(rs, 409, "already exists");
		return 0;
	case ERR_PERM:
		api_error(rs, 409, "not allowed in this state");
		return 0;
	default:
		return r;
	}
}

/* A GET of the :id of the path through a data-layer reader that writes
 * the JSON answer. */
typedef int (*by_id_fn)(struct store *st, const struct authz_ctx *az, int64_t id, struct buf *out);

static int by_id(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		 struct api_resp *rs, by_id_fn get)
{
	int64_t id;

	if (param_id(rq, &id))
		return data_result(ERR_NOTFOUND, rs, 0);
	return data_result(get(c->st, az, id, &rs->body), rs, 200);
}

static int add_cookie(const struct api_ctx *c, struct api_resp *rs, const char *name,
		      const char *value, int http_only, long max_age)
{
	if (rs->ncookies >= API_MAX_COOKIES)
		return ERR_TOO_BIG;
	snprintf(rs->cookies[rs->ncookies++], sizeof(rs->cookies[0]),
		 "%s=%s; Path=/; Max-Age=%ld; SameSite=Strict%s%s", name, value, max_age,
		 http_only ? "; HttpOnly" : "", c->secure_cookies ? "; Secure" : "");
	return 0;
}

/* POST /api/session {email, password, totp} */
static int h_login(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		   struct api_resp *rs)
{
	static const char *const fields[] = {"email", "password", "totp", NULL};
	const char *email, *pw, *totp;
	struct auth_login lg;
	json_t *o;
	int r;

	(void)az;
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "email", 1, AUTH_EMAIL_MAX, &email, rs) ||
	    field_str(o, "password", 1, AUTH_PASSWORD_MAX, &pw, rs) ||
	    field_str(o, "totp", 0, 6, &totp, rs))
		goto out;
	if (auth_ratelimit_hit(c->login_rl, rq->remote, now_of(c)) != 0) {
		LOG_WARN(c->lg, "login rate limited remote=%s", rq->remote);
		api_error(rs, 429, "too many sign-in attempts from your address; wait a minute");
		goto out;
	}
	r = auth_login(c->st, email, pw, totp, now_of(c), &lg);
	if (r == ERR_AUTH || r == ERR_PERM) {
		LOG_WARN(c->lg, "login failed remote=%s why=%s", rq->remote ? rq->remote : "-",
			 r == ERR_PERM ? "locked" : "credentials");
		api_error(rs, r == ERR_PERM ? 429 : 401,
			  r == ERR_PERM ? "too many failed sign-ins; try again later"
					: "wrong e-mail address, password or code");
		r = 0;
		goto out;
	}
	if (r)
		goto out;
	r = add_cookie(c, rs, API_SESSION_COOKIE, lg.token, 1, AUTH_SESSION_TTL_S);
	if (r == 0)
		r = add_cookie(c, rs, API_CSRF_COOKIE, lg.csrf, 0, AUTH_SESSION_TTL_S);
	if (r == 0)
		r = buf_addf(&rs->body, "{\"user_id\":%lld,\"csrf_token\":\"%s\"}",
			     (long long)lg.user_id, lg.csrf);
	rs->status = 200;
	mem_zero(&lg, sizeof(lg));
out:
	json_decref(o);
	return r;
}

/* DELETE /api/session */
static int h_logout(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		    struct api_resp *rs)
{
	int r = 0;

	(void)az;
	if (rq->session)
		r = auth_session_delete(c->st, rq->session, strlen(rq->session));
	if (r == 0)
		r = add_cookie(c, rs, API_SESSION_COOKIE, "", 1, 0);
	if (r == 0)
		r = add_cookie(c, rs, API_CSRF_COOKIE, "", 0, 0);
	rs->status = 204;
	return r;
}

static int h_me(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		struct api_resp *rs)
{
	(void)rq;
	return data_result(tenant_me(c->st, az, &rs->body), rs, 200);
}

static int h_healthz(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		     struct api_resp *rs)
{
	struct store_stmt *s = NULL;
	int r;

	(void)rq;
	(void)az;
	r = store_prepare(c->st, "SELECT 1", &s);
	if (r == 0)
		r = stmt_step(s) == STORE_ROW ? 0 : ERR_DB;
	stmt_finalize(s);
	if (r) {
		api_error(rs, 503, "database unavailable");
		return 0;
	}
	return buf_adds(&rs->body, "{\"status\":\"ok\"}");
}

static int h_orgs_list(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		       struct api_resp *rs)
{
	(void)rq;
	return data_result(tenant_orgs_list(c->st, az, &rs->body), rs, 200);
}

static int h_org_get(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		     struct api_resp *rs)
{
	return by_id(c, rq, az, rs, tenant_org_get);
}

/* The SBI sections A..U (data/sectors.tsv) and the size classes. */
static int sector_ok(const char *s)
{
	return s && strlen(s) == 1 && s[0] >= 'A' && s[0] <= 'U';
}

static int size_ok(const char *s)
{
	static const char *const sizes[] = {"micro", "small", "medium", "large", NULL};
	size_t i;

	for (i = 0; s && sizes[i]; i++)
		if (strcmp(s, sizes[i]) == 0)
			return 1;
	return 0;
}

static int kvk_ok(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n == 8;
}

/* The organisation fields of a body (name under name_key); 1 when rs
 * holds a 400. */
static int org_fields(json_t *o, const char *name_key, struct tenant_org_in *in,
		      struct api_resp *rs)
{
	if (field_str(o, name_key, 1, NAME_MAX_LEN, &in->name, rs) ||
	    field_str(o, "kvk", 0, 8, &in->kvk, rs) ||
	    field_str(o, "sector", 0, 1, &in->sector, rs) ||
	    field_str(o, "size_class", 0, 16, &in->size_class, rs))
		return 1;
	if ((in->kvk && !kvk_ok(in->kvk)) || (in->sector && !sector_ok(in->sector)) ||
	    (in->size_class && !size_ok(in->size_class))) {
		api_error(rs, 400,
			  "kvk must be 8 digits, sector an SBI section A..U, size_class one of "
			  "micro, small, medium, large");
		return 1;
	}
	return 0;
}

/* POST /api/signup {email, password, org_name, kvk, sector, size_class} */
static int h_signup(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		    struct api_resp *rs)
{
	static const char *const fields[] = {"email",  "password",   "org_name", "kvk",
					     "sector", "size_class", NULL};
	struct tenant_org_in in = {0};
	const char *email, *pw;
	int64_t uid = 0, oid = 0;
	json_t *o;
	int r;

	(void)az;
	if (auth_ratelimit_hit(c->login_rl, rq->remote, now_of(c)) != 0) {
		api_error(rs, 429, "too many attempts from your address; wait a minute");
		return 0;
	}
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "email", 1, AUTH_EMAIL_MAX, &email, rs) ||
	    field_str(o, "password", 1, AUTH_PASSWORD_MAX, &pw, rs) ||
	    org_fields(o, "org_name", &in, rs))
		goto out;
	if (!auth_email_valid(email, strlen(email)) || strlen(pw) < AUTH_PASSWORD_MIN) {
		api_error(rs, 400, "a valid e-mail address and a password of 10+ characters");
		goto out;
	}
	r = tenant_signup(c->st, email, pw, &in, &uid, &oid);
	if (r == 0)
		r = buf_addf(&rs->body, "{\"user_id\":%lld,\"org_id\":%lld}", (long long)uid,
			     (long long)oid);
	r = data_result(r, rs, 201);
out:
	json_decref(o);
	return r;
}

static int h_org_create(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			struct api_resp *rs)
{
	static const char *const fields[] = {"name",	       "kvk", "sector", "size_class",
					     "partner_org_id", NULL};
	struct tenant_org_in in = {0};
	json_t *o, *p;
	int64_t id = 0;
	int r;

	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (org_fields(o, "name", &in, rs))
		goto out;
	p = json_object_get(o, "partner_org_id");
	if (p && (!json_is_integer(p) || json_integer_value(p) <= 0)) {
		api_error(rs, 400, "partner_org_id must be a positive integer");
		goto out;
	}
	in.partner_org_id = p ? (int64_t)json_integer_value(p) : 0;
	r = tenant_org_create(c->st, az, &in, &id);
	if (r == 0)
		r = buf_addf(&rs->body, "{\"id\":%lld}", (long long)id);
	r = data_result(r, rs, 201);
out:
	json_decref(o);
	return r;
}

/* A host name: letters, digits, '-', '.', 1..253 bytes, no empty label. */
static int hostname_ok(const char *s)
{
	size_t i, n = strlen(s), label = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-') ||
		    ++label > 63)
			return 0;
	}
	return label > 0;
}

static int range_ok(const char *s)
{
	size_t i, n = strlen(s);
	int slash = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '/')
			slash++;
		else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
			   (s[i] >= 'A' && s[i] <= 'F') || s[i] == '.' || s[i] == ':'))
			return 0;
	}
	return slash == 1 && n >= 4 && n <= 64;
}

static int h_assets_list(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			 struct api_resp *rs)
{
	return by_id(c, rq, az, rs, tenant_assets_list);
}

/* An IPv4 or IPv6 address in text (checked loosely; the scanner parses it). */
static int addr_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && n <= 45 && strspn(s, "0123456789abcdefABCDEF.:") == n &&
	       strpbrk(s, ".:") != NULL;
}

static int asset_value_ok(const char *kind, const char *value)
{
	if (strcmp(kind, "domain") == 0)
		return hostname_ok(value) && strchr(value, '.') != NULL;
	if (strcmp(kind, "host") == 0)
		return hostname_ok(value) || addr_ok(value);
	if (strcmp(kind, "range") == 0)
		return range_ok(value);
	return 0;
}

static int h_asset_create(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			  struct api_resp *rs)
{
	static const char *const fields[] = {"kind", "value", NULL};
	struct tenant_asset a;
	const char *kind, *value;
	int64_t org;
	json_t *o;
	int r;

	if (param_id(rq, &org))
		return data_result(ERR_NOTFOUND, rs, 0);
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "kind", 1, 8, &kind, rs) || field_str(o, "value", 1, 253, &value, rs))
		goto out;
	if (!asset_value_ok(kind, value)) {
		api_error(rs, 400, "kind must be domain, host or range with a matching value");
		goto out;
	}
	r = tenant_asset_create(c->st, az, org, kind, value, &a);
	/* The value holds only [A-Za-z0-9.:/-] (checked above): no escaping. */
	if (r == 0)
		r = buf_addf(&rs->body,
			     "{\"id\":%lld,\"verify\":{\"dns_txt\":\"wachter-verify=%s\","
			     "\"file_url\":\"https://%s/.well-known/wachter-verify.txt\","
			     "\"file_body\":\"wachter-verify=%s\"}}",
			     (long long)a.id, a.token, a.value, a.token);
	r = data_result(r, rs, 201);
out:
	json_decref(o);
	return r;
}

/* POST /api/assets/:id/verify {method: dns|file|operator} */
static int h_asset_verify(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			  struct api_resp *rs)
{
	static const char *const fields[] = {"method", NULL};
	struct tenant_asset a;
	const char *method;
	int64_t id;
	json_t *o;
	int r;

	if (param_id(rq, &id))
		return data_result(ERR_NOTFOUND, rs, 0);
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "method", 1, 16, &method, rs))
		goto out;
	r = tenant_asset_get(c->st, az, id, TENANT_WRITE, &a);
	if (r) {
		r = data_result(r, rs, 0);
		goto out;
	}
	if (strcmp(method, "dns") == 0 && strcmp(a.kind, "range") != 0)
		r = api_verify_dns(c->cfg, a.value, a.token, c->lg);
	else if (strcmp(method, "file") == 0 && strcmp(a.kind, "range") != 0)
		r = api_verify_file(c->cfg, a.value, a.token, c->lg);
	else if (strcmp(method, "operator") == 0 && az->operator)
		r = 0; /* an operator vouches after checking out of band */
	else {
		api_error(rs, 400,
			  "method must be dns or file (operators: operator); ranges need an "
			  "operator");
		goto out;
	}
	if (r) {
		api_error(rs, 422,
			  r == ERR_NOTFOUND ? "the verification token was not found"
					    : "the verification check could not connect");
		r = 0;
		goto out;
	}
	r = tenant_asset_verified(c->st, az, id, method, now_of(c));
	if (r == 0)
		r = buf_addf(&rs->body, "{\"id\":%lld,\"verified\":true,\"method\":\"%s\"}",
			     (long long)id, method);
	r = data_result(r, rs, 200);
out:
	json_decref(o);
	return r;
}

/* POST /api/assets/:id/scans */
static int h_scan_start(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			struct api_resp *rs)
{
	static const char *const fields[] = {NULL};
	struct tenant_asset a;
	char target[256];
	int64_t id, scan_id = 0;
	json_t *o;
	int r;

	if (param_id(rq, &id))
		return data_result(ERR_NOTFOUND, rs, 0);
	r = api_body_json(rq, fields, 1, rs, &o);
	if (r || !o)
		return r;
	json_decref(o);
	r = tenant_asset_get(c->st, az, id, TENANT_WRITE, &a);
	if (r)
		return data_result(r, rs, 0);
	if (!c->scanq) {
		api_error(rs, 503, "no scan workers in this process");
		return 0;
	}
	r = tenant_scan_create(c->st, az, id, now_of(c), &scan_id, target);
	if (r == ERR_PERM) {
		api_error(rs, 409, "verify the ownership of the asset first");
		return 0;
	}
	if (r)
		return data_result(r, rs, 0);
	r = api_scanq_push(c->scanq, scan_id, target);
	if (r == ERR_TOO_BIG) {
		/* Queue full: mark the row so it is not left "queued" forever. */
		if (tenant_scan_set_status(c->st, scan_id, "rejected") != 0)
			LOG_WARN(c->lg, "could not mark scan rejected scan=%lld",
				 (long long)scan_id);
		api_error(rs, 503, "too many scans queued; try again later");
		return 0;
	}
	if (r)
		return r;
	rs->status = 202;
	return buf_addf(&rs->body, "{\"scan_id\":%lld,\"status\":\"queued\"}", (long long)scan_id);
}

static int h_scan_get(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs)
{
	return by_id(c, rq, az, rs, tenant_scan_get);
}

static const char *query_of(const struct api_req *rq)
{
	return rq->query ? rq->query : "";
}

/* After a query-string parser: 1 when the request ends here (rs holds
 * the 400, or *ret an internal failure), 0 to go on. Releases err. */
static int query_failed(int r, struct buf *err, struct api_resp *rs, int *ret)
{
	if (r == ERR_INVAL)
		api_error(rs, 400, err->ptr);
	buf_release(err);
	*ret = r == ERR_INVAL ? 0 : r;
	return r != 0;
}

/* GET /api/scans/:id/findings?severity=&check=&audience=&limit=&offset= and
 * GET /api/orgs/:id/scans?status=&limit=&offset=: the :id, then the
 * list's query-string filter. */
static int list_of_id(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs, int findings)
{
	struct tenant_finding_filter ff;
	struct tenant_scan_filter sf;
	struct buf err = BUF_INIT;
	int64_t id;
	int r;

	if (param_id(rq, &id))
		return data_result(ERR_NOTFOUND, rs, 0);
	r = findings ? api_findings_filter(query_of(rq), rq->query_len, &ff, &err)
		     : api_scans_filter(query_of(rq), rq->query_len, &sf, &err);
	if (query_failed(r, &err, rs, &r))
		return r;
	ff.lang = api_req_lang(rq);
	r = findings ? tenant_findings_list(c->st, az, id, &ff, &rs->body)
		     : tenant_scans_list(c->st, az, id, &sf, &rs->body);
	return data_result(r, rs, 200);
}

static int h_findings(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs)
{
	return list_of_id(c, rq, az, rs, 1);
}

static int h_scans_list(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			struct api_resp *rs)
{
	return list_of_id(c, rq, az, rs, 0);
}

/* GET /api/orgs/:id/summary */
static int h_summary(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		     struct api_resp *rs)
{
	int64_t id;

	if (param_id(rq, &id))
		return data_result(ERR_NOTFOUND, rs, 0);
	return data_result(tenant_org_summary(c->st, az, id, api_req_lang(rq), &rs->body), rs, 200);
}

/* GET /api/aggregates[?sector=X]: associations, insurers and operators. */
static int h_aggregates(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			struct api_resp *rs)
{
	struct buf err = BUF_INIT;
	char sector = 0;
	int r;

	r = api_sector_filter(query_of(rq), rq->query_len, &sector, &err);
	if (query_failed(r, &err, rs, &r))
		return r;
	r = tenant_aggregates(c->st, az, sector, &rs->body);
	if (r == ERR_PERM) {
		api_error(rs, 403, "sector aggregates are for associations and insurers");
		return 0;
	}
	return data_result(r, rs, 200);
}

static int h_members(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		     struct api_resp *rs)
{
	enum tenant_level lv;
	int64_t id;
	int r;

	if (param_id(rq, &id))
		return data_result(ERR_NOTFOUND, rs, 0);
	r = tenant_org_level(c->st, az, id, &lv);
	if (r == 0 && lv < TENANT_READ)
		r = ERR_NOTFOUND;
	if (r == 0)
		r = tenant_members_list(c->st, az, id, &rs->body);
	return data_result(r, rs, 200);
}

/* DELETE /api/orgs/:id/members/:user_id */
static int h_member_remove(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			   struct api_resp *rs)
{
	int64_t org, uid;
	int r;

	if (param_id(rq, &org) || param_named(rq, "user_id", &uid))
		return data_result(ERR_NOTFOUND, rs, 0);
	r = tenant_member_remove(c->st, az, org, uid);
	if (r == ERR_PERM) {
		api_error(rs, 409, "you cannot remove yourself");
		return 0;
	}
	return data_result(r, rs, 204);
}

/* Company admins invite admins and members; the roles that open other
 * organisations' data (an IT partner's clients, sector aggregates) are
 * given by operators only. */
static int invite_role_ok(const char *role, int operator)
{
	static const char *const any[] = {"admin", "member", NULL};
	static const char *const op_only[] = {"partner", "association", "insurer", NULL};
	size_t i;

	for (i = 0; any[i]; i++)
		if (strcmp(role, any[i]) == 0)
			return 1;
	for (i = 0; operator&& op_only[i]; i++)
		if (strcmp(role, op_only[i]) == 0)
			return 1;
	return 0;
}

/*
 * The answer to a committed invitation. With a mail relay the token goes
 * only into the invitee's mail (whoever holds it can create the account of
 * that address); without one the inviter gets it to pass on. When the mail
 * cannot be queued the invitation stands, without the token in the answer.
 */
static int invite_answer(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			 int64_t org, const char *email, const char *role, const char *token,
			 int64_t id, struct buf *out)
{
	int m = api_mail_invitation(c, rq, az, org, email, role, token);

	if (m == ERR_UNSUPP)
		return buf_addf(out, "{\"id\":%lld,\"mailed\":false,\"token\":\"%s\"}",
				(long long)id, token);
	if (m == 0)
		return buf_addf(out, "{\"id\":%lld,\"mailed\":true}", (long long)id);
	LOG_WARN(c->lg, "invitation mail not queued invitation=%lld err=%s", (long long)id,
		 err_str(m));
	return buf_addf(out,
			"{\"id\":%lld,\"mailed\":false,\"warning\":\"the invitation exists but its "
			"mail could not be sent; invite again later\"}",
			(long long)id);
}

/* POST /api/orgs/:id/invitations {email, role} */
static int h_invite(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		    struct api_resp *rs)
{
	static const char *const fields[] = {"email", "role", NULL};
	char token[AUTH_TOKEN_SIZE];
	const char *email, *role;
	int64_t org, id = 0;
	json_t *o;
	int r;

	if (param_id(rq, &org))
		return data_result(ERR_NOTFOUND, rs, 0);
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "email", 1, AUTH_EMAIL_MAX, &email, rs) ||
	    field_str(o, "role", 1, 16, &role, rs))
		goto out;
	if (!auth_email_valid(email, strlen(email)) || !invite_role_ok(role, az->operator)) {
		api_error(
		    rs, 400,
		    "a valid e-mail address and role admin or member are required (operators: "
		    "also partner, association, insurer)");
		goto out;
	}
	r = tenant_invite_create(c->st, az, org, email, role, now_of(c), token, &id);
	if (r == 0)
		r = invite_answer(c, rq, az, org, email, role, token, id, &rs->body);
	mem_zero(token, sizeof(token));
	r = data_result(r, rs, 201);
out:
	json_decref(o);
	return r;
}

/* POST /api/invitations/accept {token, password} */
static int h_invite_accept(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			   struct api_resp *rs)
{
	static const char *const fields[] = {"token", "password", NULL};
	const char *token, *pw;
	int64_t uid = 0;
	json_t *o;
	int r;

	(void)az;
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "token", 1, AUTH_TOKEN_LEN, &token, rs) ||
	    field_str(o, "password", 1, AUTH_PASSWORD_MAX, &pw, rs))
		goto out;
	if (strlen(pw) < AUTH_PASSWORD_MIN) {
		api_error(rs, 400, "the password needs at least 10 characters");
		goto out;
	}
	r = tenant_invite_accept(c->st, token, pw, now_of(c), &uid);
	if (r == ERR_AUTH) {
		api_error(rs, 404, "unknown or expired invitation");
		r = 0;
		goto out;
	}
	if (r == 0)
		r = buf_addf(&rs->body, "{\"user_id\":%lld}", (long long)uid);
	r = data_result(r, rs, 201);
out:
	json_decref(o);
	return r;
}

/* POST /api/tokens {name}: a Bearer token for the caller. */
static int h_token_create(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			  struct api_resp *rs)
{
	static const char *const fields[] = {"name", NULL};
	char token[AUTH_TOKEN_SIZE];
	const char *name;
	int64_t id = 0;
	json_t *o;
	int r;

	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "name", 1, NAME_MAX_LEN, &name, rs))
		goto out;
	r = auth_apitoken_create(c->st, az->user_id, name, 0, token, &id);
	if (r == 0)
		r = tenant_audit(c->st, az, 0, "create", "api_token", name);
	if (r == 0)
		r = buf_addf(&rs->body, "{\"id\":%lld,\"token\":\"%s\"}", (long long)id, token);
	mem_zero(token, sizeof(token));
	r = data_result(r, rs, 201);
out:
	json_decref(o);
	return r;
}

/* POST /api/password-reset {email}: the same answer whether or not the
 * account exists; the token goes only into the e-mail. */
static int h_reset(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		   struct api_resp *rs)
{
	static const char *const fields[] = {"email", NULL};
	char token[AUTH_TOKEN_SIZE];
	const char *email;
	json_t *o;
	int r;

	(void)az;
	if (!c->smtp_url || !c->mail_from) {
		api_error(rs, 503, "mail delivery is not configured");
		return 0;
	}
	if (auth_ratelimit_hit(c->login_rl, rq->remote, now_of(c)) != 0) {
		api_error(rs, 429, "too many attempts from your address; wait a minute");
		return 0;
	}
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "email", 1, AUTH_EMAIL_MAX, &email, rs))
		goto out;
	r = auth_reset_create(c->st, email, now_of(c), token);
	if (r == 0) {
		/* Queued for the background sender: no waiting for the relay, so
		 * the answer takes as long as for an unknown address. */
		if (api_mail_reset(c, rq, email, token) != 0)
			LOG_WARN(c->lg, "password reset mail not queued");
		r = 0;
	} else if (r == ERR_NOTFOUND) {
		r = 0;
	}
	mem_zero(token, sizeof(token));
	if (r == 0) {
		rs->status = 202;
		r = buf_adds(&rs->body, "{\"status\":\"if the account exists, a message is on its "
					"way\"}");
	}
out:
	json_decref(o);
	return r;
}

/* POST /api/password-reset/confirm {token, password} */
static int h_reset_confirm(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			   struct api_resp *rs)
{
	static const char *const fields[] = {"token", "password", NULL};
	const char *token, *pw;
	json_t *o;
	int r;

	(void)az;
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (field_str(o, "token", 1, AUTH_TOKEN_LEN, &token, rs) ||
	    field_str(o, "password", 1, AUTH_PASSWORD_MAX, &pw, rs))
		goto out;
	r = auth_reset_confirm(c->st, token, pw, now_of(c));
	if (r == ERR_AUTH)
		api_error(rs, 404, "unknown or expired reset code");
	else if (r == ERR_INVAL)
		api_error(rs, 400, "the password needs at least 10 characters");
	else if (r == 0)
		rs->status = 204;
	r = r == ERR_AUTH || r == ERR_INVAL ? 0 : r;
out:
	json_decref(o);
	return r;
}

/* Append s percent-encoded (RFC 3986 unreserved characters kept). */
static int add_urlenc(struct buf *b, const char *s)
{
	int r = 0;

	for (; *s && r == 0; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~')
			r = buf_addch(b, (char)ch);
		else
			r = buf_addf(b, "%%%02X", ch);
	}
	return r;
}

/* POST /api/me/totp: a fresh secret to put in an authenticator app; it is
 * stored only by /api/me/totp/enable with a matching code. */
static int h_totp_new(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs)
{
	char secret[AUTH_TOTP_SECRET_SIZE];
	struct buf uri = BUF_INIT;
	int r;

	(void)c;
	(void)rq;
	auth_totp_secret_new(secret);
	r = buf_adds(&uri, "otpauth://totp/wachter:");
	if (r == 0)
		r = add_urlenc(&uri, az->email);
	if (r == 0)
		r = buf_addf(&uri, "?secret=%s&issuer=wachter&algorithm=SHA1&digits=6&period=30",
			     secret);
	if (r == 0)
		r = buf_addf(&rs->body, "{\"secret\":\"%s\",\"otpauth\":", secret);
	if (r == 0)
		r = buf_add_json_str(&rs->body, uri.ptr, uri.len);
	if (r == 0)
		r = buf_addch(&rs->body, '}');
	mem_zero(secret, sizeof(secret));
	buf_release(&uri);
	return r;
}

/* POST /api/me/totp/enable {secret, code, password} and
 * POST /api/me/totp/disable {code, password} */
static int totp_change(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		       struct api_resp *rs, int enable)
{
	static const char *const on_fields[] = {"secret", "code", "password", NULL};
	static const char *const off_fields[] = {"code", "password", NULL};
	const char *secret = NULL, *code, *pw;
	json_t *o;
	int r;

	r = api_body_json(rq, enable ? on_fields : off_fields, 0, rs, &o);
	if (r || !o)
		return r;
	if ((enable && field_str(o, "secret", 1, 64, &secret, rs)) ||
	    field_str(o, "code", 1, 6, &code, rs) ||
	    field_str(o, "password", 1, AUTH_PASSWORD_MAX, &pw, rs))
		goto out;
	r = enable ? auth_totp_enable(c->st, az->user_id, pw, secret, code, now_of(c))
		   : auth_totp_disable(c->st, az->user_id, pw, code, now_of(c));
	if (r == 0)
		r = tenant_audit(c->st, az, 0, enable ? "enable" : "disable", "totp", NULL);
	switch (r) {
	case 0:
		rs->status = 204;
		break;
	case ERR_AUTH:
		api_error(rs, 403, "wrong password or code");
		break;
	case ERR_INVAL:
		api_error(rs, 400, "the secret must be 32 base32 characters");
		break;
	case ERR_EXISTS:
		api_error(rs, 409, "a second factor is already active");
		break;
	case ERR_NOTFOUND:
		api_error(rs, 409, "no second factor is active");
		break;
	default:
		goto out;
	}
	r = 0;
out:
	json_decref(o);
	return r;
}

static int h_totp_enable(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			 struct api_resp *rs)
{
	return totp_change(c, rq, az, rs, 1);
}

static int h_totp_disable(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			  struct api_resp *rs)
{
	return totp_change(c, rq, az, rs, 0);
}

static const struct api_route routes[] = {
    {"GET", "/healthz", h_healthz, API_AUTH_NONE},
    {"POST", "/api/session", h_login, API_AUTH_NONE},
    {"DELETE", "/api/session", h_logout, API_AUTH_USER},
    {"GET", "/api/me", h_me, API_AUTH_USER},
    {"POST", "/api/me/totp", h_totp_new, API_AUTH_USER},
    {"POST", "/api/me/totp/enable", h_totp_enable, API_AUTH_USER},
    {"POST", "/api/me/totp/disable", h_totp_disable, API_AUTH_USER},
    {"POST", "/api/tokens", h_token_create, API_AUTH_USER},
    {"GET", "/api/tokens", api_h_tokens_list, API_AUTH_USER},
    {"DELETE", "/api/tokens/:id", api_h_token_revoke, API_AUTH_USER},
    {"GET", "/api/me/sessions", api_h_sessions_list, API_AUTH_USER},
    {"DELETE", "/api/me/sessions", api_h_sessions_end_others, API_AUTH_USER},
    {"DELETE", "/api/me/sessions/:id", api_h_session_end, API_AUTH_USER},
    {"POST", "/api/me/password", api_h_password_change, API_AUTH_USER},
    {"GET", "/api/orgs/:id/audit", api_h_org_audit, API_AUTH_USER},
    {"GET", "/api/orgs", h_orgs_list, API_AUTH_USER},
    {"POST", "/api/orgs", h_org_create, API_AUTH_USER},
    {"GET", "/api/orgs/:id", h_org_get, API_AUTH_USER},
    {"GET", "/api/orgs/:id/assets", h_assets_list, API_AUTH_USER},
    {"POST", "/api/orgs/:id/assets", h_asset_create, API_AUTH_USER},
    {"GET", "/api/orgs/:id/members", h_members, API_AUTH_USER},
    {"GET", "/api/orgs/:id/scans", h_scans_list, API_AUTH_USER},
    {"GET", "/api/orgs/:id/summary", h_summary, API_AUTH_USER},
    {"DELETE", "/api/orgs/:id/members/:user_id", h_member_remove, API_AUTH_USER},
    {"POST", "/api/orgs/:id/invitations", h_invite, API_AUTH_USER},
    {"POST", "/api/invitations/accept", h_invite_accept, API_AUTH_NONE},
    {"POST", "/api/signup", h_signup, API_AUTH_NONE},
    {"POST", "/api/password-reset", h_reset, API_AUTH_NONE},
    {"POST", "/api/password-reset/confirm", h_reset_confirm, API_AUTH_NONE},
    {"POST", "/api/assets/:id/verify", h_asset_verify, API_AUTH_USER},
    {"POST", "/api/assets/:id/scans", h_scan_start, API_AUTH_USER},
    {"GET", "/api/scans/:id", h_scan_get, API_AUTH_USER},
    {"GET", "/api/scans/:id/findings", h_findings, API_AUTH_USER},
    {"GET", "/api/aggregates", h_aggregates, API_AUTH_USER},
};

const struct api_route *api_routes(size_t *n)
{
	*n = ARRAY_SIZE(routes);
	return routes;
}
