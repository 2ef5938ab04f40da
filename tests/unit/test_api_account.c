/*
 * test_api_account.c: the caller's own account through routing and
 * dispatch (API tokens listed and revoked, sessions listed and ended, the
 * password changed) and an organisation's audit log: the role x endpoint
 * matrix for these routes (every role, own and other user, own and other
 * organisation, anonymous, CSRF on cookie writes), and which actor e-mail
 * addresses the audit log shows to whom.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/api.h"
#include "api/api_int.h"
#include "auth/auth.h"
#include "core/core.h"
#include "server/server.h"
#include "store/store.h"

#define PW "0123456789ab"
#define NOW 1800000000

enum { ORG_A = 1, ORG_B, ORG_C, ORG_P, ORG_S, ORG_I };
enum { U_OP = 1, U_ADMIN_A, U_MEMBER_A, U_PARTNER, U_ASSOC, U_INSURER, U_ADMIN_C, U_GONE, U_N };

static const char *const emails[U_N] = {
    "",		  "op@x.nl",	  "admin-a@x.nl", "member-a@x.nl", "partner@x.nl",
    "assoc@x.nl", "insurer@x.nl", "admin-c@x.nl", "gone@x.nl"};

struct fx {
	struct store *st;
	char tok[U_N][AUTH_TOKEN_SIZE]; /* API token u has id u */
};

static void exec(struct store *st, const char *sql)
{
	if (store_exec(st, sql) != 0)
		fail_msg("%s: %s", sql, store_errmsg(st));
}

static void fixture(struct fx *f)
{
	int64_t id, tid;
	int u;

	memset(f, 0, sizeof(*f));
	assert_int_equal(store_open(":memory:", NULL, NULL, &f->st), 0);
	assert_int_equal(store_migrate(f->st, NULL, NULL), 0);
	exec(f->st, "INSERT INTO organisations (name) VALUES ('client A'), ('client B'), "
		    "('company C'), ('partner P'), ('association S'), ('insurer I')");
	for (u = 1; u < U_N; u++) {
		assert_int_equal(auth_user_create(f->st, emails[u], PW, u == U_OP, &id), 0);
		assert_int_equal(id, u);
		assert_int_equal(auth_apitoken_create(f->st, id, "t", 0, f->tok[u], &tid), 0);
		assert_int_equal(tid, u);
	}
	exec(f->st, "INSERT INTO memberships (user_id, org_id, role) VALUES "
		    "(2, 1, 'admin'), (3, 1, 'member'), (4, 4, 'partner'), "
		    "(5, 5, 'association'), (6, 6, 'insurer'), (7, 3, 'admin')");
	exec(f->st, "INSERT INTO partner_clients (partner_org_id, client_org_id) VALUES "
		    "(4, 1), (4, 2)");
}

/* A request as the server makes it: by API token (user, session NULL) or
 * by session cookie with csrf (NULL: no header). */
struct who {
	int user;
	const char *session, *csrf;
};

static int call_as(struct fx *f, struct who w, const char *method, const char *uri,
		   const char *body, struct api_resp *rs)
{
	const struct api_route *t, *rt = NULL;
	struct api_req rq;
	struct api_ctx c;
	const char *q = strchr(uri, '?');
	size_t n, plen = q ? (size_t)(q - uri) : strlen(uri);
	int r;

	memset(&rq, 0, sizeof(rq));
	memset(&c, 0, sizeof(c));
	c.st = f->st;
	c.now = NOW;
	t = api_routes(&n);
	api_resp_init(rs);
	r = server_route(t, n, method, uri, plen, &rq, &rt);
	if (r == ERR_NOTFOUND)
		return 404;
	if (r == ERR_UNSUPP)
		return 405;
	assert_int_equal(r, 0);
	rq.method = method;
	rq.path = uri;
	rq.query = q ? q + 1 : "";
	rq.query_len = q ? strlen(q + 1) : 0;
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.bearer = w.user ? f->tok[w.user] : NULL;
	rq.session = w.session;
	rq.csrf = w.csrf;
	rq.remote = "127.0.0.1";
	assert_int_equal(api_call(&c, rt, &rq, rs), 0);
	return rs->status;
}

static int call(struct fx *f, int user, const char *method, const char *uri, const char *body,
		struct api_resp *rs)
{
	struct who w = {user, NULL, NULL};

	return call_as(f, w, method, uri, body, rs);
}

static int status_of(struct fx *f, int user, const char *method, const char *uri, const char *body)
{
	struct api_resp rs;
	int st = call(f, user, method, uri, body, &rs);

	api_resp_release(&rs);
	return st;
}

static int status_as(struct fx *f, struct who w, const char *method, const char *uri,
		     const char *body)
{
	struct api_resp rs;
	int st = call_as(f, w, method, uri, body, &rs);

	api_resp_release(&rs);
	return st;
}

/* The JSON body of a call that must answer want. */
static json_t *json_as(struct fx *f, struct who w, const char *method, const char *uri, int want)
{
	struct api_resp rs;
	json_error_t je;
	json_t *j;
	int st = call_as(f, w, method, uri, NULL, &rs);

	if (st != want)
		fail_msg("%s %s: %d, want %d: %.*s", method, uri, st, want, (int)rs.body.len,
			 rs.body.ptr ? rs.body.ptr : "");
	j = json_loadb(rs.body.ptr, rs.body.len, 0, &je);
	api_resp_release(&rs);
	if (!j)
		fail_msg("%s %s: not JSON", method, uri);
	return j;
}

static json_t *get_json(struct fx *f, int user, const char *uri, int want)
{
	struct who w = {user, NULL, NULL};

	return json_as(f, w, "GET", uri, want);
}

static int64_t count_sql(struct fx *f, const char *sql)
{
	struct store_stmt *s = NULL;
	int64_t n;

	assert_int_equal(store_prepare(f->st, sql, &s), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	n = stmt_column_int64(s, 0);
	stmt_finalize(s);
	return n;
}

/* ------------------------------------------------------------ tokens */

static void test_tokens(void **state)
{
	struct api_resp rs;
	struct fx f;
	json_t *j, *e;
	char body[512];
	size_t i;

	(void)state;
	fixture(&f);
	assert_int_equal(
	    call(&f, U_ADMIN_A, "POST", "/api/tokens", "{\"name\":\"<b>ci</b>\"}", &rs), 201);
	api_resp_release(&rs);
	/* Every user sees exactly their own: ids, names, no secret. */
	j = get_json(&f, U_ADMIN_A, "/api/tokens", 200);
	assert_int_equal(json_array_size(j), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "id")),
			 U_ADMIN_A);
	e = json_array_get(j, 1);
	assert_string_equal(json_string_value(json_object_get(e, "name")), "<b>ci</b>");
	assert_non_null(json_object_get(e, "created_at"));
	assert_true(json_is_null(json_object_get(e, "expires_at")));
	json_array_foreach(j, i, e)
	{
		assert_null(json_object_get(e, "token"));
		assert_null(json_object_get(e, "token_hash"));
		assert_int_equal(json_object_size(e), 4);
	}
	json_decref(j);
	for (int u = 1; u < U_N; u++) {
		j = get_json(&f, u, "/api/tokens", 200);
		assert_int_equal(json_array_size(j), u == U_ADMIN_A ? 2 : 1);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "id")),
				 u);
		json_decref(j);
	}
	/* The listing holds neither token nor hash in any form. */
	assert_int_equal(call(&f, U_MEMBER_A, "GET", "/api/tokens", NULL, &rs), 200);
	snprintf(body, sizeof(body), "%.*s", (int)rs.body.len, rs.body.ptr);
	api_resp_release(&rs);
	assert_null(strstr(body, f.tok[U_MEMBER_A]));
	{
		char h[AUTH_HASH_HEX_SIZE];

		auth_token_hash(f.tok[U_MEMBER_A], AUTH_TOKEN_LEN, h);
		h[16] = '\0';
		assert_null(strstr(body, h));
	}
	store_close(f.st);
}

static void test_token_revoke(void **state)
{
	char uri[64];
	struct fx f;
	int u;

	(void)state;
	fixture(&f);
	/* Another user's token is 404 for every role, operators included. */
	for (u = 1; u < U_N; u++) {
		int other = u == U_N - 1 ? 1 : u + 1;

		snprintf(uri, sizeof(uri), "/api/tokens/%d", other);
		assert_int_equal(status_of(&f, u, "DELETE", uri, NULL), 404);
		assert_int_equal(status_of(&f, other, "GET", "/api/me", NULL), 200);
	}
	assert_int_equal(status_of(&f, U_ADMIN_A, "DELETE", "/api/tokens/999", NULL), 404);
	assert_int_equal(status_of(&f, U_ADMIN_A, "DELETE", "/api/tokens/x", NULL), 404);
	assert_int_equal(status_of(&f, U_ADMIN_A, "DELETE", "/api/tokens/0", NULL), 404);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM audit_log WHERE action = 'revoke'"),
			 0);
	/* By cookie: only with the CSRF header. */
	{
		struct auth_login lg;

		assert_int_equal(auth_login(f.st, emails[U_MEMBER_A], PW, NULL, NOW, &lg), 0);
		struct who nocsrf = {0, lg.token, NULL}, csrf = {0, lg.token, lg.csrf};

		assert_int_equal(status_as(&f, nocsrf, "DELETE", "/api/tokens/3", NULL), 403);
		assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM api_tokens WHERE id = 3"), 1);
		assert_int_equal(status_as(&f, csrf, "DELETE", "/api/tokens/2", NULL), 404);
		assert_int_equal(status_as(&f, csrf, "GET", "/api/tokens", NULL), 200);
	}
	/* The own one: gone, audited, and no longer signs in. */
	assert_int_equal(status_of(&f, U_MEMBER_A, "DELETE", "/api/tokens/3", NULL), 204);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM api_tokens WHERE id = 3"), 0);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM audit_log WHERE action = 'revoke' "
				       "AND object = 'api_token' AND user_id = 3 AND detail = 't'"),
			 1);
	assert_int_equal(status_of(&f, U_MEMBER_A, "GET", "/api/tokens", NULL), 401);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM api_tokens"), U_N - 2);
	store_close(f.st);
}

/* ---------------------------------------------------------- sessions */

static void login(struct fx *f, int user, struct auth_login *lg)
{
	assert_int_equal(auth_login(f->st, emails[user], PW, NULL, NOW, lg), 0);
}

static const char *session_id_of(const char *token, char id[AUTH_HASH_HEX_SIZE])
{
	auth_token_hash(token, strlen(token), id);
	id[ACCOUNT_SESSION_ID_LEN] = '\0';
	return id;
}

static void test_sessions(void **state)
{
	struct auth_login a1, a2, a3, m1;
	char id2[AUTH_HASH_HEX_SIZE], idm[AUTH_HASH_HEX_SIZE], uri[64];
	struct authz_ctx az;
	char csrf[AUTH_TOKEN_SIZE];
	struct fx f;
	json_t *j, *e;
	size_t i;
	int cur = 0;

	(void)state;
	fixture(&f);
	login(&f, U_ADMIN_A, &a1);
	login(&f, U_ADMIN_A, &a2);
	login(&f, U_ADMIN_A, &a3);
	login(&f, U_MEMBER_A, &m1);
	struct who w1 = {0, a1.token, a1.csrf};

	j = json_as(&f, w1, "GET", "/api/me/sessions", 200);
	assert_int_equal(json_array_size(j), 3);
	json_array_foreach(j, i, e)
	{
		const char *id = json_string_value(json_object_get(e, "id"));
		char mine[AUTH_HASH_HEX_SIZE];

		assert_non_null(id);
		assert_true(account_session_id_ok(id));
		assert_true(json_is_boolean(json_object_get(e, "current")));
		assert_non_null(json_string_value(json_object_get(e, "expires_at")));
		assert_non_null(json_string_value(json_object_get(e, "created_at")));
		assert_int_equal(json_object_size(e), 4);
		if (json_is_true(json_object_get(e, "current"))) {
			cur++;
			assert_string_equal(id, session_id_of(a1.token, mine));
		}
	}
	assert_int_equal(cur, 1);
	json_decref(j);
	/* By API token: the same sessions, none current. */
	j = get_json(&f, U_ADMIN_A, "/api/me/sessions", 200);
	assert_int_equal(json_array_size(j), 3);
	json_array_foreach(j, i, e) assert_true(json_is_false(json_object_get(e, "current")));
	json_decref(j);
	/* Another user's session: 404, also for an operator; it lives on. */
	snprintf(uri, sizeof(uri), "/api/me/sessions/%s", session_id_of(m1.token, idm));
	assert_int_equal(status_as(&f, w1, "DELETE", uri, NULL), 404);
	for (int u = 1; u < U_N; u++)
		if (u != U_MEMBER_A)
			assert_int_equal(status_of(&f, u, "DELETE", uri, NULL), 404);
	assert_int_equal(auth_session_lookup(f.st, m1.token, AUTH_TOKEN_LEN, NOW, &az, csrf), 0);
	/* Malformed ids. */
	assert_int_equal(status_as(&f, w1, "DELETE", "/api/me/sessions/zz", NULL), 404);
	assert_int_equal(status_as(&f, w1, "DELETE", "/api/me/sessions/0123456789ABCDEF", NULL),
			 404);
	/* Cookie writes need the CSRF header. */
	snprintf(uri, sizeof(uri), "/api/me/sessions/%s", session_id_of(a2.token, id2));
	{
		struct who nocsrf = {0, a1.token, NULL}, bad = {0, a1.token, "x"};

		assert_int_equal(status_as(&f, nocsrf, "DELETE", uri, NULL), 403);
		assert_int_equal(status_as(&f, bad, "DELETE", uri, NULL), 403);
		assert_int_equal(status_as(&f, nocsrf, "DELETE", "/api/me/sessions", NULL), 403);
	}
	assert_int_equal(auth_session_lookup(f.st, a2.token, AUTH_TOKEN_LEN, NOW, &az, csrf), 0);
	/* Sign out elsewhere: one. */
	assert_int_equal(status_as(&f, w1, "DELETE", uri, NULL), 204);
	assert_int_equal(auth_session_lookup(f.st, a2.token, AUTH_TOKEN_LEN, NOW, &az, csrf),
			 ERR_AUTH);
	assert_int_equal(status_as(&f, w1, "DELETE", uri, NULL), 404);
	/* All but the current. */
	j = json_as(&f, w1, "DELETE", "/api/me/sessions", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "ended")), 1);
	json_decref(j);
	assert_int_equal(auth_session_lookup(f.st, a3.token, AUTH_TOKEN_LEN, NOW, &az, csrf),
			 ERR_AUTH);
	assert_int_equal(auth_session_lookup(f.st, a1.token, AUTH_TOKEN_LEN, NOW, &az, csrf), 0);
	assert_int_equal(auth_session_lookup(f.st, m1.token, AUTH_TOKEN_LEN, NOW, &az, csrf), 0);
	j = json_as(&f, w1, "GET", "/api/me/sessions", 200);
	assert_int_equal(json_array_size(j), 1);
	assert_true(json_is_true(json_object_get(json_array_get(j, 0), "current")));
	json_decref(j);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM audit_log WHERE action = 'end' AND "
				       "object = 'session' AND user_id = 2"),
			 2);
	/* Nothing left to end: 0, not audited. */
	j = json_as(&f, w1, "DELETE", "/api/me/sessions", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "ended")), 0);
	json_decref(j);
	/* By API token there is no current session: all of them end. */
	j = json_as(&f, (struct who){U_MEMBER_A, NULL, NULL}, "DELETE", "/api/me/sessions", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "ended")), 1);
	json_decref(j);
	assert_int_equal(auth_session_lookup(f.st, m1.token, AUTH_TOKEN_LEN, NOW, &az, csrf),
			 ERR_AUTH);
	assert_int_equal(auth_session_lookup(f.st, a1.token, AUTH_TOKEN_LEN, NOW, &az, csrf), 0);
	/* Ending the current one by id signs this cookie out. */
	snprintf(uri, sizeof(uri), "/api/me/sessions/%s", session_id_of(a1.token, id2));
	assert_int_equal(status_as(&f, w1, "DELETE", uri, NULL), 204);
	assert_int_equal(status_as(&f, w1, "GET", "/api/me/sessions", NULL), 401);
	store_close(f.st);
}

/* ---------------------------------------------------------- password */

static void test_password(void **state)
{
	struct auth_login a1, a2, lg;
	struct authz_ctx az;
	char csrf[AUTH_TOKEN_SIZE];
	struct fx f;

	(void)state;
	fixture(&f);
	login(&f, U_ADMIN_A, &a1);
	login(&f, U_ADMIN_A, &a2);
	struct who w1 = {0, a1.token, a1.csrf}, nocsrf = {0, a1.token, NULL};
	static const char good[] = "{\"current\":\"" PW "\",\"new\":\"new password 1\"}";

	assert_int_equal(status_as(&f, nocsrf, "POST", "/api/me/password", good), 403);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password",
				   "{\"current\":\"wrong password\",\"new\":\"new password 1\"}"),
			 403);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password",
				   "{\"current\":\"" PW "\",\"new\":\"short\"}"),
			 400);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password",
				   "{\"current\":\"" PW "\",\"new\":\"new password 1\",\"x\":1}"),
			 400);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password", "{\"current\":\"" PW "\"}"),
			 400);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password", "{\"current\":1,\"new\":2}"),
			 400);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password", "{"), 400);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password", ""), 400);
	/* Nothing changed so far. */
	assert_int_equal(auth_session_lookup(f.st, a2.token, AUTH_TOKEN_LEN, NOW, &az, csrf), 0);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM audit_log"), 0);
	assert_int_equal(status_as(&f, w1, "POST", "/api/me/password", good), 204);
	/* The other session ended, this one and the API token stay. */
	assert_int_equal(auth_session_lookup(f.st, a2.token, AUTH_TOKEN_LEN, NOW, &az, csrf),
			 ERR_AUTH);
	assert_int_equal(auth_session_lookup(f.st, a1.token, AUTH_TOKEN_LEN, NOW, &az, csrf), 0);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/me", NULL), 200);
	assert_int_equal(auth_login(f.st, emails[U_ADMIN_A], PW, NULL, NOW, &lg), ERR_AUTH);
	assert_int_equal(auth_login(f.st, emails[U_ADMIN_A], "new password 1", NULL, NOW, &lg), 0);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM audit_log WHERE action = 'change' AND "
				       "object = 'password' AND user_id = 2"),
			 1);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM users WHERE password_hash LIKE "
				       "'$argon2id$%' AND id = 2"),
			 1);
	/* By API token: every session ends (there is no current one). */
	assert_int_equal(status_of(&f, U_ADMIN_A, "POST", "/api/me/password",
				   "{\"current\":\"new password 1\",\"new\":\"newer password 2\"}"),
			 204);
	assert_int_equal(auth_session_lookup(f.st, a1.token, AUTH_TOKEN_LEN, NOW, &az, csrf),
			 ERR_AUTH);
	/* Only the caller's own password changes. */
	assert_int_equal(auth_login(f.st, emails[U_MEMBER_A], PW, NULL, NOW, &lg), 0);
	store_close(f.st);
}

/* ------------------------------------------------------------- TOTP */

/* The 6-digit code of base32 secret at t. */
static void code_at(const char *secret, time_t t, char code[8])
{
	uint8_t key[64];
	size_t keylen = 0;
	uint32_t c = 0;

	assert_int_equal(auth_base32_decode(secret, strlen(secret), key, sizeof(key), &keylen), 0);
	assert_int_equal(auth_totp_code(key, keylen, t, &c), 0);
	snprintf(code, 8, "%06u", c);
}

static int me_totp(struct fx *f, int user)
{
	json_t *j = get_json(f, user, "/api/me", 200), *v = json_object_get(j, "totp");
	int on;

	assert_true(json_is_boolean(v));
	on = json_is_true(v);
	assert_non_null(json_object_get(j, "memberships"));
	assert_null(json_object_get(j, "totp_secret"));
	json_decref(j);
	return on;
}

/* GET /api/me says whether the second factor is on; a code that switched
 * it on signs in no one, nor switches it off (RFC 6238 section 5.2). */
static void test_me_totp(void **state)
{
	char body[256], code[8], login[256];
	const char *secret;
	struct api_resp rs;
	json_error_t je;
	json_t *j;
	struct fx f;

	(void)state;
	fixture(&f);
	assert_false(me_totp(&f, U_ADMIN_A));
	assert_int_equal(call(&f, U_ADMIN_A, "POST", "/api/me/totp", NULL, &rs), 200);
	j = json_loadb(rs.body.ptr, rs.body.len, 0, &je);
	api_resp_release(&rs);
	assert_non_null(j);
	secret = json_string_value(json_object_get(j, "secret"));
	assert_non_null(secret);
	assert_false(me_totp(&f, U_ADMIN_A));
	code_at(secret, NOW, code);
	snprintf(body, sizeof(body), "{\"secret\":\"%s\",\"code\":\"%s\",\"password\":\"" PW "\"}",
		 secret, code);
	assert_int_equal(status_of(&f, U_ADMIN_A, "POST", "/api/me/totp/enable", body), 204);
	assert_true(me_totp(&f, U_ADMIN_A));
	assert_false(me_totp(&f, U_MEMBER_A));
	/* The same code again: sign-in and switching off are both refused. */
	snprintf(login, sizeof(login), "{\"email\":\"%s\",\"password\":\"" PW "\",\"totp\":\"%s\"}",
		 emails[U_ADMIN_A], code);
	assert_int_equal(status_of(&f, 0, "POST", "/api/session", login), 401);
	snprintf(body, sizeof(body), "{\"code\":\"%s\",\"password\":\"" PW "\"}", code);
	assert_int_equal(status_of(&f, U_ADMIN_A, "POST", "/api/me/totp/disable", body), 403);
	assert_true(me_totp(&f, U_ADMIN_A));
	/* The next step's code switches it off (the clock is fixed at NOW
	 * here, and the next step is inside the one step of skew allowed). */
	code_at(secret, NOW + 30, code);
	snprintf(body, sizeof(body), "{\"code\":\"%s\",\"password\":\"" PW "\"}", code);
	assert_int_equal(status_of(&f, U_ADMIN_A, "POST", "/api/me/totp/disable", body), 204);
	assert_false(me_totp(&f, U_ADMIN_A));
	json_decref(j);
	store_close(f.st);
}

/* ---------------------------------------------------------- audit log */

/* An audit row of org by user (0: system). */
static void audit(struct fx *f, int64_t org, int user, const char *at, const char *action)
{
	struct store_stmt *s = NULL;

	assert_int_equal(
	    store_prepare(f->st,
			  "INSERT INTO audit_log (at, user_id, org_id, action, object, "
			  "detail) VALUES (?, ?, ?, ?, 'asset', 'x.example.nl')",
			  &s),
	    0);
	assert_int_equal(stmt_bind_text(s, 1, at), 0);
	assert_int_equal(user ? stmt_bind_int64(s, 2, user) : stmt_bind_null(s, 2), 0);
	assert_int_equal(stmt_bind_int64(s, 3, org), 0);
	assert_int_equal(stmt_bind_text(s, 4, action), 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	stmt_finalize(s);
}

/* Who may read which organisation's audit log: 'y' 200, '-' 404, 'a' 401. */
static void test_audit_matrix(void **state)
{
	static const struct {
		int user, org;
		char want;
	} cells[] = {
	    {U_ADMIN_A, ORG_A, 'y'},  {U_ADMIN_A, ORG_B, '-'},	{U_ADMIN_A, ORG_C, '-'},
	    {U_MEMBER_A, ORG_A, '-'}, {U_MEMBER_A, ORG_C, '-'}, {U_PARTNER, ORG_A, 'y'},
	    {U_PARTNER, ORG_B, 'y'},  {U_PARTNER, ORG_P, 'y'},	{U_PARTNER, ORG_C, '-'},
	    {U_ASSOC, ORG_S, '-'},    {U_ASSOC, ORG_A, '-'},	{U_INSURER, ORG_I, '-'},
	    {U_INSURER, ORG_A, '-'},  {U_ADMIN_C, ORG_C, 'y'},	{U_ADMIN_C, ORG_A, '-'},
	    {U_GONE, ORG_A, '-'},     {U_OP, ORG_A, 'y'},	{U_OP, ORG_C, 'y'},
	    {U_OP, 99, '-'},	      {0, ORG_A, 'a'},		{0, ORG_C, 'a'},
	};
	struct fx f;
	size_t i;
	int fails = 0;

	(void)state;
	fixture(&f);
	for (i = ORG_A; i <= ORG_I; i++)
		audit(&f, (int64_t)i, 0, "2026-01-01T00:00:00Z", "scan");
	for (i = 0; i < ARRAY_SIZE(cells); i++) {
		char uri[64];
		int want = cells[i].want == 'y' ? 200 : cells[i].want == 'a' ? 401 : 404, got;

		snprintf(uri, sizeof(uri), "/api/orgs/%d/audit", cells[i].org);
		got = status_of(&f, cells[i].user, "GET", uri, NULL);
		if (got != want) {
			print_error("user %d org %d: got %d, want %d\n", cells[i].user,
				    cells[i].org, got, want);
			fails++;
		}
		if (got == 200) {
			/* Only that organisation's rows. */
			json_t *j = get_json(&f, cells[i].user, uri, 200);

			assert_int_equal(json_array_size(j), 1);
			json_decref(j);
		}
	}
	assert_int_equal(fails, 0);
	store_close(f.st);
}

static const char *actor_email(const json_t *e)
{
	const json_t *v = json_object_get(e, "actor_email");

	return json_is_null(v) ? "(null)" : json_string_value(v);
}

static void test_audit_actors(void **state)
{
	struct api_resp rs;
	struct fx f;
	json_t *j, *e;
	char body[4096];
	size_t i;

	(void)state;
	fixture(&f);
	/* Rows of A, oldest first: system, admin, member, partner, operator,
	 * a former member, admin C (no longer linked to A). */
	audit(&f, ORG_A, 0, "2026-01-01T00:00:01Z", "a0");
	audit(&f, ORG_A, U_ADMIN_A, "2026-01-01T00:00:02Z", "a1");
	audit(&f, ORG_A, U_MEMBER_A, "2026-01-01T00:00:03Z", "a2");
	audit(&f, ORG_A, U_PARTNER, "2026-01-01T00:00:04Z", "a3");
	audit(&f, ORG_A, U_OP, "2026-01-01T00:00:05Z", "a4");
	audit(&f, ORG_A, U_GONE, "2026-01-01T00:00:06Z", "a5");
	audit(&f, ORG_A, U_ADMIN_C, "2026-01-01T00:00:07Z", "a6");
	audit(&f, ORG_B, U_ADMIN_A, "2026-01-01T00:00:08Z", "b0");

	/* The admin of A: its members by address, the rest by what they are. */
	j = get_json(&f, U_ADMIN_A, "/api/orgs/1/audit", 200);
	assert_int_equal(json_array_size(j), 7);
	{
		static const char *const want_email[] = {
		    "former member", "former member", "operator", "partner",
		    "member-a@x.nl", "admin-a@x.nl",  "(null)"};
		static const char *const want_actor[] = {"former", "former", "operator", "partner",
							 "user",   "user",   "system"};

		json_array_foreach(j, i, e)
		{
			char act[4];

			snprintf(act, sizeof(act), "a%zu", 6 - i);
			assert_string_equal(json_string_value(json_object_get(e, "action")), act);
			assert_string_equal(actor_email(e), want_email[i]);
			assert_string_equal(json_string_value(json_object_get(e, "actor")),
					    want_actor[i]);
			assert_string_equal(json_string_value(json_object_get(e, "object")),
					    "asset");
			assert_string_equal(json_string_value(json_object_get(e, "detail")),
					    "x.example.nl");
			assert_true(json_is_integer(json_object_get(e, "id")));
			assert_non_null(json_string_value(json_object_get(e, "at")));
		}
	}
	json_decref(j);
	assert_int_equal(call(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit", NULL, &rs), 200);
	snprintf(body, sizeof(body), "%.*s", (int)rs.body.len, rs.body.ptr);
	api_resp_release(&rs);
	assert_null(strstr(body, "op@x.nl"));
	assert_null(strstr(body, "partner@x.nl"));
	assert_null(strstr(body, "gone@x.nl"));
	assert_null(strstr(body, "admin-c@x.nl"));

	/* The partner: A's members and its own colleagues (itself). */
	j = get_json(&f, U_PARTNER, "/api/orgs/1/audit", 200);
	assert_string_equal(actor_email(json_array_get(j, 3)), "partner@x.nl");
	assert_string_equal(actor_email(json_array_get(j, 2)), "operator");
	assert_string_equal(actor_email(json_array_get(j, 4)), "member-a@x.nl");
	assert_string_equal(actor_email(json_array_get(j, 0)), "former member");
	json_decref(j);

	/* The operator sees every address. */
	j = get_json(&f, U_OP, "/api/orgs/1/audit", 200);
	assert_string_equal(actor_email(json_array_get(j, 0)), "admin-c@x.nl");
	assert_string_equal(actor_email(json_array_get(j, 1)), "gone@x.nl");
	assert_string_equal(actor_email(json_array_get(j, 2)), "op@x.nl");
	assert_string_equal(actor_email(json_array_get(j, 3)), "partner@x.nl");
	assert_string_equal(actor_email(json_array_get(j, 6)), "(null)");
	json_decref(j);

	/* Pages. */
	j = get_json(&f, U_ADMIN_A, "/api/orgs/1/audit?limit=2&offset=1", 200);
	assert_int_equal(json_array_size(j), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "action")),
			    "a5");
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "action")),
			    "a4");
	json_decref(j);
	j = get_json(&f, U_ADMIN_A, "/api/orgs/1/audit?offset=7", 200);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit?limit=0", NULL), 400);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit?limit=201", NULL), 400);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit?offset=-1", NULL), 400);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit?limit=x", NULL), 400);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit?limit=1&limit=2", NULL),
			 400);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit?sort=at", NULL), 400);
	assert_int_equal(status_of(&f, U_ADMIN_A, "GET", "/api/orgs/1/audit?limit=%zz", NULL), 400);
	/* A bad query does not tell a stranger more than a 404 would. */
	assert_int_equal(status_of(&f, U_ADMIN_C, "GET", "/api/orgs/1/audit?limit=1", NULL), 404);
	store_close(f.st);
}

/* The audit log of real changes through the API: who did what. */
static void test_audit_of_changes(void **state)
{
	struct api_resp rs;
	struct fx f;
	json_t *j;

	(void)state;
	fixture(&f);
	assert_int_equal(call(&f, U_PARTNER, "POST", "/api/orgs/1/assets",
			      "{\"kind\":\"domain\",\"value\":\"p.example.nl\"}", &rs),
			 201);
	api_resp_release(&rs);
	assert_int_equal(call(&f, U_ADMIN_A, "POST", "/api/orgs/1/invitations",
			      "{\"email\":\"new@x.nl\",\"role\":\"member\"}", &rs),
			 201);
	api_resp_release(&rs);
	j = get_json(&f, U_ADMIN_A, "/api/orgs/1/audit", 200);
	assert_int_equal(json_array_size(j), 2);
	assert_string_equal(actor_email(json_array_get(j, 0)), "admin-a@x.nl");
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "action")),
			    "invite");
	assert_string_equal(actor_email(json_array_get(j, 1)), "partner");
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "object")),
			    "asset");
	json_decref(j);
	/* Account changes are the user's, not an organisation's. */
	assert_int_equal(status_of(&f, U_ADMIN_A, "DELETE", "/api/tokens/2", NULL), 204);
	j = get_json(&f, U_OP, "/api/orgs/1/audit", 200);
	assert_int_equal(json_array_size(j), 2);
	json_decref(j);
	store_close(f.st);
}

/* Every new route refuses the anonymous caller and a wrong method. */
static void test_anonymous(void **state)
{
	static const struct {
		const char *method, *uri, *body;
	} eps[] = {
	    {"GET", "/api/tokens", NULL},
	    {"DELETE", "/api/tokens/2", NULL},
	    {"GET", "/api/me/sessions", NULL},
	    {"DELETE", "/api/me/sessions", NULL},
	    {"DELETE", "/api/me/sessions/0123456789abcdef", NULL},
	    {"POST", "/api/me/password", "{\"current\":\"" PW "\",\"new\":\"new password 1\"}"},
	    {"GET", "/api/orgs/1/audit", NULL},
	};
	struct fx f;
	size_t i;

	(void)state;
	fixture(&f);
	for (i = 0; i < ARRAY_SIZE(eps); i++) {
		struct who bad = {0, "not-a-session", "x"};

		assert_int_equal(status_of(&f, 0, eps[i].method, eps[i].uri, eps[i].body), 401);
		assert_int_equal(status_as(&f, bad, eps[i].method, eps[i].uri, eps[i].body), 401);
	}
	assert_int_equal(status_of(&f, U_ADMIN_A, "PUT", "/api/me/sessions", NULL), 405);
	assert_int_equal(status_of(&f, U_ADMIN_A, "POST", "/api/orgs/1/audit", NULL), 405);
	assert_int_equal(count_sql(&f, "SELECT COUNT(*) FROM api_tokens"), U_N - 1);
	store_close(f.st);
}

/* The audit page reads the (org_id, at) index, not the whole log. */
static void test_audit_plan(void **state)
{
	struct store_stmt *s = NULL;
	struct buf sql = BUF_INIT, plan = BUF_INIT;
	struct fx f;

	(void)state;
	fixture(&f);
	assert_int_equal(buf_addf(&sql, "EXPLAIN QUERY PLAN %s", tenant_audit_sql), 0);
	assert_int_equal(store_prepare(f.st, sql.ptr, &s), 0);
	while (stmt_step(s) == STORE_ROW) {
		assert_int_equal(buf_adds(&plan, stmt_column_text(s, 3)), 0);
		assert_int_equal(buf_addch(&plan, '\n'), 0);
	}
	stmt_finalize(s);
	if (!strstr(plan.ptr, "audit_log_org") || strstr(plan.ptr, "SCAN a"))
		fail_msg("plan:\n%s", plan.ptr);
	buf_release(&sql);
	buf_release(&plan);
	store_close(f.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tokens),	     cmocka_unit_test(test_token_revoke),
	    cmocka_unit_test(test_sessions),	     cmocka_unit_test(test_password),
	    cmocka_unit_test(test_audit_matrix),     cmocka_unit_test(test_audit_actors),
	    cmocka_unit_test(test_audit_of_changes), cmocka_unit_test(test_anonymous),
	    cmocka_unit_test(test_audit_plan),	     cmocka_unit_test(test_me_totp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
