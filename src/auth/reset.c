/*
 * reset.c: password reset tokens: random, stored as SHA-256 with a one
 * hour expiry, single use; a reset ends every session of the account.
 */
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

static int bind_time(struct store_stmt *s, int idx, time_t t)
{
	char ts[TIME_RFC3339_LEN];
	int r = time_rfc3339(t, ts);

	return r ? r : stmt_bind_text(s, idx, ts);
}

/* Run sql with the int64 parameter v (a DELETE/UPDATE by user). */
static int exec_id(struct store *st, const char *sql, int64_t v)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st, sql, &s);

	if (r == 0)
		r = stmt_bind_int64(s, 1, v);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	return r;
}

int auth_reset_create(struct store *st, const char *email, time_t now, char token[AUTH_TOKEN_SIZE])
{
	char hash[AUTH_HASH_HEX_SIZE];
	struct store_stmt *s = NULL;
	int64_t uid = 0;
	int r;

	r = store_begin(st);
	if (r)
		return r;
	r = store_prepare(st, "SELECT id FROM users WHERE email = ?", &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, email);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		uid = stmt_column_int64(s, 0);
		r = 0;
	} else if (r == STORE_DONE) {
		r = ERR_NOTFOUND;
	}
	stmt_finalize(s);
	s = NULL;
	if (r == 0)
		r = exec_id(st, "DELETE FROM password_resets WHERE user_id = ?", uid);
	if (r == 0) {
		auth_token_new(token);
		auth_token_hash(token, strlen(token), hash);
		r = store_prepare(st,
				  "INSERT INTO password_resets (token_hash, user_id, expires_at) "
				  "VALUES (?, ?, ?)",
				  &s);
	}
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = stmt_bind_int64(s, 2, uid);
	if (r == 0)
		r = bind_time(s, 3, now + AUTH_RESET_TTL_S);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	if (r == 0)
		r = store_commit(st);
	else
		store_rollback(st);
	if (r)
		mem_zero(token, AUTH_TOKEN_SIZE);
	return r;
}

int auth_reset_confirm(struct store *st, const char *token, const char *pw, time_t now)
{
	char hash[AUTH_HASH_HEX_SIZE], pwh[AUTH_PWHASH_SIZE];
	struct store_stmt *s = NULL;
	int64_t uid = 0;
	int r;

	if (strlen(token) != AUTH_TOKEN_LEN)
		return ERR_AUTH;
	r = auth_password_hash(pw, strlen(pw), pwh);
	if (r)
		return r;
	auth_token_hash(token, strlen(token), hash);
	r = store_begin(st);
	if (r)
		return r;
	r = store_prepare(st,
			  "DELETE FROM password_resets WHERE token_hash = ? AND expires_at > ? "
			  "RETURNING user_id",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = bind_time(s, 2, now);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		uid = stmt_column_int64(s, 0);
		r = stmt_step(s) < 0 ? ERR_DB : 0;
	} else if (r == STORE_DONE) {
		r = ERR_AUTH;
	}
	stmt_finalize(s);
	s = NULL;
	if (r == 0)
		r = store_prepare(st,
				  "UPDATE users SET password_hash = ?, failed_logins = 0, "
				  "locked_until = NULL WHERE id = ?",
				  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, pwh);
	if (r == 0)
		r = stmt_bind_int64(s, 2, uid);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	s = NULL;
	if (r == 0)
		r = exec_id(st, "DELETE FROM sessions WHERE user_id = ?", uid);
	/* The audit row goes in the same transaction as the change. */
	if (r == 0)
		r = store_prepare(st,
				  "INSERT INTO audit_log (at, user_id, action, object) VALUES "
				  "(?, ?, 'reset', 'password')",
				  &s);
	if (r == 0)
		r = bind_time(s, 1, now);
	if (r == 0)
		r = stmt_bind_int64(s, 2, uid);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	if (r == 0)
		r = store_commit(st);
	else
		store_rollback(st);
	mem_zero(pwh, sizeof(pwh));
	return r;
}
