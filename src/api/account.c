/*
 * account.c: the caller's own account (API tokens, sessions, password)
 * and an organisation's audit log: the tenant-scoped data layer for them
 * (every query carries the caller's user id or tenant condition itself;
 * what the caller may not see is ERR_NOTFOUND) and their handlers.
 *
 * A session is named by the first ACCOUNT_SESSION_ID_LEN hex digits of
 * the SHA-256 of its token (the stored token_hash): the token itself is a
 * secret that only its cookie holds, and a hash prefix gives nothing
 * towards it.
 */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/api_int.h"
#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static time_t now_of(const struct api_ctx *c)
{
	return c->now ? c->now : time(NULL);
}

static int finish_done(struct store_stmt *s)
{
	int r = stmt_step(s);

	return r == STORE_DONE ? 0 : r < 0 ? r : ERR_DB;
}

/* ------------------------------------------------------- data layer */

static int token_row(struct buf *out, struct store_stmt *s, void *arg)
{
	int r = buf_adds(out, "{\"id\":");

	(void)arg;
	if (r == 0)
		r = api_json_int(out, stmt_column_int64(s, 0));
	if (r == 0 && (r = API_KEY(out, "name")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 1));
	if (r == 0 && (r = API_KEY(out, "created_at")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 2));
	if (r == 0 && (r = API_KEY(out, "expires_at")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 3));
	return r ? r : buf_addch(out, '}');
}

int tenant_tokens_list(struct store *st, const struct authz_ctx *az, struct buf *out)
{
	struct store_stmt *s = NULL;
	int r;

	r = store_prepare(
	    st,
	    "SELECT id, name, created_at, expires_at FROM api_tokens WHERE user_id = ? "
	    "ORDER BY id",
	    &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	if (r == 0)
		r = tenant_json_rows(out, s, token_row, NULL);
	stmt_finalize(s);
	return r;
}

int tenant_token_revoke(struct store *st, const struct authz_ctx *az, int64_t id)
{
	struct store_stmt *s = NULL;
	char name[256] = "";
	int r;

	if (!az->user_id)
		return ERR_NOTFOUND;
	r = store_begin(st);
	if (r)
		return r;
	r = store_prepare(st, "DELETE FROM api_tokens WHERE id = ? AND user_id = ? RETURNING name",
			  &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, id);
	if (r == 0)
		r = stmt_bind_int64(s, 2, az->user_id);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		const char *n = stmt_column_text(s, 0);

		snprintf(name, sizeof(name), "%s", n ? n : "");
		r = stmt_step(s) < 0 ? ERR_DB : 0;
	} else if (r == STORE_DONE) {
		r = ERR_NOTFOUND;
	}
	stmt_finalize(s);
	if (r == 0)
		r = tenant_audit(st, az, 0, "revoke", "api_token", name);
	if (r == 0)
		r = store_commit(st);
	else
		store_rollback(st);
	return r;
}

/* The session id of a token hash (its first ACCOUNT_SESSION_ID_LEN
 * digits); 1 when id is well-formed. */
int account_session_id_ok(const char *id)
{
	size_t i;

	for (i = 0; i < ACCOUNT_SESSION_ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return id[i] == '\0';
}

/* A session's id in SQL. */
#define SESSION_ID "substr(token_hash, 1, " STR(ACCOUNT_SESSION_ID_LEN) ")"

static int session_row(struct buf *out, struct store_stmt *s, void *arg)
{
	int r = buf_adds(out, "{\"id\":");

	(void)arg;
	if (r == 0)
		r = api_json_strz(out, stmt_column_text(s, 0));
	if (r == 0 && (r = API_KEY(out, "created_at")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 1));
	if (r == 0 && (r = API_KEY(out, "expires_at")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 2));
	if (r == 0 && (r = API_KEY(out, "current")) == 0)
		r = buf_adds(out, stmt_column_int64(s, 3) ? "true" : "false");
	return r ? r : buf_addch(out, '}');
}

/* Bind the hash of the caller's session token, or NULL (no session). */
static int bind_current(struct store_stmt *s, int idx, const char *current)
{
	char hash[AUTH_HASH_HEX_SIZE];

	if (!current)
		return stmt_bind_null(s, idx);
	auth_token_hash(current, strlen(current), hash);
	return stmt_bind_text(s, idx, hash);
}

int tenant_sessions_list(struct store *st, const struct authz_ctx *az, const char *current,
			 time_t now, struct buf *out)
{
	struct store_stmt *s = NULL;
	int r;

	r = store_prepare(st,
			  "SELECT " SESSION_ID ", created_at, expires_at, CASE WHEN token_hash = ? "
			  "THEN 1 ELSE 0 END FROM sessions WHERE user_id = ? AND expires_at > ? "
			  "ORDER BY created_at DESC, token_hash",
			  &s);
	if (r == 0)
		r = bind_current(s, 1, current);
	if (r == 0)
		r = stmt_bind_int64(s, 2, az->user_id);
	if (r == 0)
		r = tenant_bind_time(s, 3, now);
	if (r == 0)
		r = tenant_json_rows(out, s, session_row, NULL);
	stmt_finalize(s);
	return r;
}

int tenant_sessions_end(struct store *st, const struct authz_ctx *az, const char *id,
			const char *current, int64_t *ended)
{
	struct store_stmt *s = NULL;
	char detail[48];
	int64_t n = 0;
	int r;

	*ended = 0;
	if (!az->user_id || (id && !account_session_id_ok(id)))
		return ERR_NOTFOUND;
	r = store_begin(st);
	if (r)
		return r;
	/* One session by its id, or every one but the caller's. */
	r = store_prepare(st,
			  id ? "DELETE FROM sessions WHERE user_id = ? AND " SESSION_ID
			       " = ? RETURNING 1"
			     : "DELETE FROM sessions WHERE user_id = ? AND token_hash <> "
			       "COALESCE(?, '') RETURNING 1",
			  &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	if (r == 0)
		r = id ? stmt_bind_text(s, 2, id) : bind_current(s, 2, current);
	while (r == 0 && (r = stmt_step(s)) == STORE_ROW) {
		n++;
		r = 0;
	}
	if (r == STORE_DONE)
		r = id && n == 0 ? ERR_NOTFOUND : 0;
	stmt_finalize(s);
	if (id)
		snprintf(detail, sizeof(detail), "session %s", id);
	else
		snprintf(detail, sizeof(detail), "%lld other sessions", (long long)n);
	if (r == 0 && n > 0)
		r = tenant_audit(st, az, 0, "end", "session", detail);
	if (r == 0)
		r = store_commit(st);
	else
		store_rollback(st);
	if (r == 0)
		*ended = n;
	return r;
}

int tenant_password_change(struct store *st, const struct authz_ctx *az, const char *current_pw,
			   const char *new_pw, const char *current)
{
	char pwh[AUTH_PWHASH_SIZE], old[AUTH_PWHASH_SIZE] = "";
	struct store_stmt *s = NULL;
	int r;

	if (!az->user_id)
		return ERR_NOTFOUND;
	r = store_prepare(st, "SELECT password_hash FROM users WHERE id = ?", &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		const char *h = stmt_column_text(s, 0);

		r = h && strlen(h) < sizeof(old) ? 0 : ERR_DB;
		if (r == 0)
			memcpy(old, h, strlen(h) + 1);
	} else if (r == STORE_DONE) {
		r = ERR_NOTFOUND;
	}
	stmt_finalize(s);
	s = NULL;
	if (r)
		return r;
	r = auth_password_verify(old, current_pw, strlen(current_pw));
	if (r)
		return r; /* ERR_AUTH */
	r = auth_password_hash(new_pw, strlen(new_pw), pwh);
	if (r)
		return r; /* ERR_INVAL for a bad length */
	r = store_begin(st);
	if (r)
		goto out;
	r = store_prepare(st, "UPDATE users SET password_hash = ? WHERE id = ?", &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, pwh);
	if (r == 0)
		r = stmt_bind_int64(s, 2, az->user_id);
	if (r == 0)
		r = finish_done(s);
	stmt_finalize(s);
	s = NULL;
	/* Whoever else holds a session of this account is signed out. */
	if (r == 0)
		r = store_prepare(st,
				  "DELETE FROM sessions WHERE user_id = ? AND token_hash <> "
				  "COALESCE(?, '')",
				  &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	if (r == 0)
		r = bind_current(s, 2, current);
	if (r == 0)
		r = finish_done(s);
	stmt_finalize(s);
	if (r == 0)
		r = tenant_audit(st, az, 0, "change", "password", NULL);
	if (r == 0)
		r = store_commit(st);
	else
		store_rollback(st);
out:
	mem_zero(pwh, sizeof(pwh));
	mem_zero(old, sizeof(old));
	return r;
}

/*
 * The audit log of organisation ? (write access: its admins, the IT
 * partner of a client, operators). An actor's e-mail address is shown
 * only where the caller could read it anyway: the caller's own, anyone's
 * to an operator, and members of the organisations whose members the
 * caller may list (this one among them). Others are named by what they
 * are: "operator", "partner" (a user of this client's IT partner), or
 * "former member". Binds: operator, uid, then ORGS_READ (uid, uid); org;
 * CAN() (operator, uid, uid); limit, offset.
 */
#define AUDIT_MAY_READ CAN("a.org_id", ORGS_WRITE)
#define AUDIT_SQL                                                                                  \
	"SELECT a.id, a.at, a.action, a.object, a.detail, "                                        \
	"CASE WHEN a.user_id IS NULL THEN 'system' "                                               \
	"WHEN u.id IS NOT NULL AND (? = 1 OR a.user_id = ? OR EXISTS (SELECT 1 FROM "              \
	"memberships vm WHERE vm.user_id = a.user_id AND vm.org_id IN (" ORGS_READ                 \
	"))) THEN 'user' "                                                                         \
	"WHEN u.is_operator = 1 THEN 'operator' "                                                  \
	"WHEN EXISTS (SELECT 1 FROM memberships pm JOIN partner_clients pc ON "                    \
	"pc.partner_org_id = pm.org_id WHERE pm.user_id = a.user_id AND pm.role = 'partner' "      \
	"AND pc.client_org_id = a.org_id) THEN 'partner' "                                         \
	"ELSE 'former' END, u.email "                                                              \
	"FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "                                  \
	"WHERE a.org_id = ? AND " AUDIT_MAY_READ " ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?"

const char tenant_audit_sql[] = AUDIT_SQL;

static int audit_row(struct buf *out, struct store_stmt *s, void *arg)
{
	const char *kind = stmt_column_text(s, 5);
	const char *email = NULL;
	int r;

	(void)arg;
	kind = kind ? kind : "former";
	if (strcmp(kind, "user") == 0)
		email = stmt_column_text(s, 6);
	else if (strcmp(kind, "operator") == 0)
		email = "operator";
	else if (strcmp(kind, "partner") == 0)
		email = "partner";
	else if (strcmp(kind, "former") == 0)
		email = "former member";
	r = buf_adds(out, "{\"id\":");
	if (r == 0)
		r = api_json_int(out, stmt_column_int64(s, 0));
	if (r == 0 && (r = API_KEY(out, "at")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 1));
	if (r == 0 && (r = API_KEY(out, "actor")) == 0)
		r = api_json_strz(out, kind);
	if (r == 0 && (r = API_KEY(out, "actor_email")) == 0)
		r = api_json_strz(out, email);
	if (r == 0 && (r = API_KEY(out, "action")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 2));
	if (r == 0 && (r = API_KEY(out, "object")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 3));
	if (r == 0 && (r = API_KEY(out, "detail")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 4));
	return r ? r : buf_addch(out, '}');
}

int tenant_org_audit(struct store *st, const struct authz_ctx *az, int64_t org_id, int64_t limit,
		     int64_t offset, struct buf *out)
{
	struct store_stmt *s = NULL;
	enum tenant_level lv;
	int r;

	/* An empty page would tell that the organisation exists. */
	r = tenant_org_level(st, az, org_id, &lv);
	if (r == 0 && lv < TENANT_WRITE)
		r = ERR_NOTFOUND;
	if (r == 0)
		r = store_prepare(st, tenant_audit_sql, &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->operator? 1 : 0);
	if (r == 0)
		r = stmt_bind_int64(s, 2, az->user_id);
	if (r == 0)
		r = stmt_bind_int64(s, 3, az->user_id);
	if (r == 0)
		r = stmt_bind_int64(s, 4, az->user_id);
	if (r == 0)
		r = stmt_bind_int64(s, 5, org_id);
	if (r == 0)
		r = tenant_bind_az(s, 6, az);
	if (r == 0)
		r = stmt_bind_int64(s, 9, limit);
	if (r == 0)
		r = stmt_bind_int64(s, 10, offset);
	if (r == 0)
		r = tenant_json_rows(out, s, audit_row, NULL);
	stmt_finalize(s);
	return r;
}

/* --------------------------------------------------------- handlers */

/* Map a data-layer result: 0 handled (rs filled), negative internal. */
static int answer(int r, struct api_resp *rs, int ok_status)
{
	if (r == 0)
		rs->status = ok_status;
	else if (r == ERR_NOTFOUND)
		api_error(rs, 404, "not found");
	else
		return r;
	return 0;
}

static const char *param_of(const struct api_req *rq, const char *name)
{
	size_t i;

	for (i = 0; i < rq->nparams; i++)
		if (strcmp(rq->params[i].name, name) == 0)
			return rq->params[i].value;
	return NULL;
}

/* A positive integer route parameter; ERR_NOTFOUND otherwise. */
static int param_int(const struct api_req *rq, const char *name, int64_t *id)
{
	const char *v = param_of(rq, name);
	struct cursor c;
	uint64_t u;

	if (!v)
		return ERR_NOTFOUND;
	cursor_init(&c, v, strlen(v));
	if (cursor_uint(&c, INT64_MAX, &u) != 0 || c.len != 0 || u == 0)
		return ERR_NOTFOUND;
	*id = (int64_t)u;
	return 0;
}

/* GET /api/tokens */
int api_h_tokens_list(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs)
{
	(void)rq;
	return answer(tenant_tokens_list(c->st, az, &rs->body), rs, 200);
}

/* DELETE /api/tokens/:id */
int api_h_token_revoke(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		       struct api_resp *rs)
{
	int64_t id;

	if (param_int(rq, "id", &id))
		return answer(ERR_NOTFOUND, rs, 0);
	return answer(tenant_token_revoke(c->st, az, id), rs, 204);
}

/* The caller's session token: NULL when signed in by an API token. */
static const char *current_session(const struct api_req *rq, const struct authz_ctx *az)
{
	return az->via_token ? NULL : rq->session;
}

/* GET /api/me/sessions */
int api_h_sessions_list(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			struct api_resp *rs)
{
	return answer(
	    tenant_sessions_list(c->st, az, current_session(rq, az), now_of(c), &rs->body), rs,
	    200);
}

/* DELETE /api/me/sessions/:id */
int api_h_session_end(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs)
{
	const char *id = param_of(rq, "id");
	int64_t n;

	if (!id)
		return answer(ERR_NOTFOUND, rs, 0);
	return answer(tenant_sessions_end(c->st, az, id, current_session(rq, az), &n), rs, 204);
}

/* DELETE /api/me/sessions: every session but the caller's. */
int api_h_sessions_end_others(struct api_ctx *c, const struct api_req *rq,
			      const struct authz_ctx *az, struct api_resp *rs)
{
	int64_t n = 0;
	int r;

	r = tenant_sessions_end(c->st, az, NULL, current_session(rq, az), &n);
	if (r == 0)
		r = buf_adds(&rs->body, "{\"ended\":");
	if (r == 0)
		r = api_json_int(&rs->body, n);
	if (r == 0)
		r = buf_addch(&rs->body, '}');
	return answer(r, rs, 200);
}

/* A required string field of at most max bytes without NUL; NULL and a
 * 400 in rs otherwise. */
static const char *body_str(json_t *o, const char *key, size_t max, struct api_resp *rs)
{
	json_t *v = json_object_get(o, key);
	char msg[96];

	if (v && json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= max &&
	    strlen(json_string_value(v)) == json_string_length(v))
		return json_string_value(v);
	snprintf(msg, sizeof(msg), "field '%s' must be a string of 1 to %zu bytes", key, max);
	api_error(rs, 400, msg);
	return NULL;
}

int api_password_body(const struct api_req *rq, struct api_resp *rs, json_t **obj,
		      const char **current, const char **new_pw)
{
	static const char *const fields[] = {"current", "new", NULL};
	json_t *o;
	int r;

	*obj = NULL;
	*current = *new_pw = NULL;
	r = api_body_json(rq, fields, 0, rs, &o);
	if (r || !o)
		return r;
	if (!(*current = body_str(o, "current", AUTH_PASSWORD_MAX, rs)) ||
	    !(*new_pw = body_str(o, "new", AUTH_PASSWORD_MAX, rs)))
		goto bad;
	if (strlen(*new_pw) < AUTH_PASSWORD_MIN) {
		api_error(rs, 400, "the new password needs at least 10 characters");
		goto bad;
	}
	*obj = o;
	return 0;
bad:
	*current = *new_pw = NULL;
	json_decref(o);
	return 0;
}

/* POST /api/me/password {current, new} */
int api_h_password_change(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			  struct api_resp *rs)
{
	const char *cur, *pw;
	json_t *o;
	int r;

	r = api_password_body(rq, rs, &o, &cur, &pw);
	if (r || !o)
		return r;
	/* Each try costs an argon2id verification and guesses the password:
	 * limited per address like sign-ins. */
	if (auth_ratelimit_hit(c->login_rl, rq->remote, now_of(c)) != 0) {
		api_error(rs, 429, "too many attempts from your address; wait a minute");
		goto out;
	}
	r = tenant_password_change(c->st, az, cur, pw, current_session(rq, az));
	if (r == ERR_AUTH) {
		LOG_WARN(c->lg, "password change refused user=%lld why=current",
			 (long long)az->user_id);
		api_error(rs, 403, "the current password is wrong");
		r = 0;
	} else if (r == ERR_INVAL) {
		api_error(rs, 400, "the new password needs 10 to 1024 characters");
		r = 0;
	} else {
		r = answer(r, rs, 204);
	}
out:
	json_decref(o);
	return r;
}

int api_audit_filter(const char *q, size_t len, int64_t *limit, int64_t *offset, struct buf *err)
{
	static const char *const allowed[] = {"limit", "offset", NULL};
	int r;

	*limit = ACCOUNT_AUDIT_LIMIT;
	*offset = 0;
	r = api_query_check(q, len, allowed, err);
	if (r == ERR_PARSE)
		buf_errf(err, "malformed query string");
	if (r)
		return ERR_INVAL;
	r = api_query_int(q, len, "limit", 1, ACCOUNT_AUDIT_LIMIT_MAX, limit);
	if (r == 0 || r == ERR_NOTFOUND)
		r = api_query_int(q, len, "offset", 0, ACCOUNT_AUDIT_OFFSET_MAX, offset);
	if (r == 0 || r == ERR_NOTFOUND)
		return 0;
	buf_errf(err, "limit must be 1.." STR(ACCOUNT_AUDIT_LIMIT_MAX) ", offset 0.." STR(
			  ACCOUNT_AUDIT_OFFSET_MAX));
	return ERR_INVAL;
}

/* GET /api/orgs/:id/audit?limit=&offset= */
int api_h_org_audit(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		    struct api_resp *rs)
{
	struct buf err = BUF_INIT;
	int64_t id, limit, offset;
	int r;

	if (param_int(rq, "id", &id))
		return answer(ERR_NOTFOUND, rs, 0);
	r = api_audit_filter(rq->query ? rq->query : "", rq->query_len, &limit, &offset, &err);
	if (r == ERR_INVAL)
		api_error(rs, 400, err.ptr ? err.ptr : "bad query string");
	else if (r == 0)
		r = answer(tenant_org_audit(c->st, az, id, limit, offset, &rs->body), rs, 200);
	buf_release(&err);
	return r == ERR_INVAL ? 0 : r;
}
