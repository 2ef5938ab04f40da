/*
 * user.c: stored identities: users, login with lockout, sessions and API
 * tokens. Secrets leave this file once, to the caller; the database holds
 * only argon2id strings and SHA-256 hashes of tokens.
 */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

/* A valid argon2id string of a random password: verified against when
 * the user is unknown, so a login costs the same either way. */
static const char dummy_hash[] = "$argon2id$v=19$m=19456,t=2,p=1$19ZpgQVzewEMiZRqJwNNBQ$"
				 "Rst0QxY9KceZEkfDHtdkYsF9b3Hy54NkgvpBmm/wTTg";

static int bind_time(struct store_stmt *s, int idx, time_t t)
{
	char ts[TIME_RFC3339_LEN];
	int r = time_rfc3339(t, ts);

	return r ? r : stmt_bind_text(s, idx, ts);
}

int auth_user_create(struct store *st, const char *email, const char *pw, int is_operator,
		     int64_t *id)
{
	char hash[AUTH_PWHASH_SIZE];
	struct store_stmt *s = NULL;
	int r;

	if (!auth_email_valid(email, strlen(email)))
		return ERR_INVAL;
	r = auth_password_hash(pw, strlen(pw), hash);
	if (r)
		return r;
	r = store_prepare(st,
			  "INSERT INTO users (email, password_hash, is_operator) VALUES (?, ?, ?) "
			  "RETURNING id",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, email);
	if (r == 0)
		r = stmt_bind_text(s, 2, hash);
	if (r == 0)
		r = stmt_bind_int64(s, 3, is_operator ? 1 : 0);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		*id = stmt_column_int64(s, 0);
		r = 0;
	} else if (r == ERR_DB && store_errclass(st) == STORE_ERRCLASS_CONSTRAINT) {
		r = ERR_EXISTS;
	} else if (r >= 0) {
		r = ERR_DB;
	}
	stmt_finalize(s);
	return r;
}

/* The stored fields login needs. */
struct login_row {
	int64_t id;
	char hash[AUTH_PWHASH_SIZE];
	char totp[AUTH_TOTP_SECRET_SIZE + 32];
	int64_t fails;
	char locked_until[TIME_RFC3339_LEN];
};

static int login_fetch(struct store *st, const char *email, struct login_row *lr)
{
	struct store_stmt *s = NULL;
	const char *v;
	int r;

	r = store_prepare(st,
			  "SELECT id, password_hash, totp_secret, failed_logins, locked_until "
			  "FROM users WHERE email = ?",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, email);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		lr->id = stmt_column_int64(s, 0);
		v = stmt_column_text(s, 1);
		str_lcpy(lr->hash, v ? v : "", sizeof(lr->hash));
		v = stmt_column_text(s, 2);
		str_lcpy(lr->totp, v ? v : "", sizeof(lr->totp));
		lr->fails = stmt_column_int64(s, 3);
		v = stmt_column_text(s, 4);
		str_lcpy(lr->locked_until, v ? v : "", sizeof(lr->locked_until));
		r = 0;
	} else if (r == STORE_DONE) {
		r = ERR_NOTFOUND;
	}
	stmt_finalize(s);
	return r;
}

/* Count a failure; the AUTH_LOCKOUT_FAILS-th locks the account. */
static int login_failed(struct store *st, int64_t uid, int64_t fails, time_t now)
{
	struct store_stmt *s = NULL;
	int r;

	fails++;
	r = store_prepare(st, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
			  &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, fails >= AUTH_LOCKOUT_FAILS ? 0 : fails);
	if (r == 0)
		r = fails >= AUTH_LOCKOUT_FAILS ? bind_time(s, 2, now + AUTH_LOCKOUT_S)
						: stmt_bind_null(s, 2);
	if (r == 0)
		r = stmt_bind_int64(s, 3, uid);
	if (r == 0)
		r = stmt_step(s);
	stmt_finalize(s);
	return r < 0 ? r : 0;
}

static int session_create(struct store *st, int64_t uid, time_t now, struct auth_login *out)
{
	char hash[AUTH_HASH_HEX_SIZE];
	struct store_stmt *s = NULL;
	int r;

	auth_token_new(out->token);
	auth_token_new(out->csrf);
	auth_token_hash(out->token, strlen(out->token), hash);
	out->user_id = uid;
	out->expires = now + AUTH_SESSION_TTL_S;
	r = store_prepare(st,
			  "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) "
			  "VALUES (?, ?, ?, ?)",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = stmt_bind_int64(s, 2, uid);
	if (r == 0)
		r = stmt_bind_text(s, 3, out->csrf);
	if (r == 0)
		r = bind_time(s, 4, out->expires);
	if (r == 0)
		r = stmt_step(s);
	stmt_finalize(s);
	/* Reset the failure count on success (same handle, best effort). */
	if (r == STORE_DONE &&
	    store_prepare(st,
			  "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
			  &s) == 0) {
		if (stmt_bind_int64(s, 1, uid) == 0)
			r = stmt_step(s);
		stmt_finalize(s);
	}
	if (r != STORE_DONE) {
		mem_zero(out, sizeof(*out));
		return r < 0 ? r : ERR_DB;
	}
	return 0;
}

int auth_login(struct store *st, const char *email, const char *pw, const char *totp, time_t now,
	       struct auth_login *out)
{
	struct login_row lr;
	char nowts[TIME_RFC3339_LEN];
	int r, known;

	memset(&lr, 0, sizeof(lr));
	r = time_rfc3339(now, nowts);
	if (r)
		return r;
	r = login_fetch(st, email, &lr);
	if (r && r != ERR_NOTFOUND)
		return r;
	known = r == 0;
	r = auth_password_verify(known ? lr.hash : dummy_hash, pw, strlen(pw));
	if (!known) {
		mem_zero(&lr, sizeof(lr));
		return ERR_AUTH;
	}
	/* Locked: refuse even the right password (checked after the hash so
	 * the timing is the same as for a wrong one). */
	if (lr.locked_until[0] && strcmp(lr.locked_until, nowts) > 0) {
		mem_zero(&lr, sizeof(lr));
		return ERR_PERM;
	}
	if (r == 0 && lr.totp[0]) {
		int64_t step = 0;

		r = totp ? auth_totp_verify(lr.totp, totp, strlen(totp), now, &step) : ERR_AUTH;
		/* Accepted once: a replayed code (or an older one) fails. */
		if (r == 0)
			r = auth_totp_accept(st, lr.id, lr.totp, step);
		if (r == ERR_DB) {
			mem_zero(&lr, sizeof(lr));
			return r;
		}
	}
	if (r) {
		int r2 = login_failed(st, lr.id, lr.fails, now);

		mem_zero(&lr, sizeof(lr));
		return r2 ? r2 : ERR_AUTH;
	}
	r = session_create(st, lr.id, now, out);
	mem_zero(&lr, sizeof(lr));
	return r;
}

static int user_fill(struct store_stmt *s, struct authz_ctx *az)
{
	const char *email;

	memset(az, 0, sizeof(*az));
	az->user_id = stmt_column_int64(s, 0);
	az->operator= stmt_column_int64(s, 1) == 1;
	email = stmt_column_text(s, 2);
	str_lcpy(az->email, email ? email : "", sizeof(az->email));
	return 0;
}

int auth_session_lookup(struct store *st, const char *tok, size_t len, time_t now,
			struct authz_ctx *az, char csrf[AUTH_TOKEN_SIZE])
{
	char hash[AUTH_HASH_HEX_SIZE], nowts[TIME_RFC3339_LEN];
	struct store_stmt *s = NULL;
	int r;

	if (len != AUTH_TOKEN_LEN)
		return ERR_AUTH;
	r = time_rfc3339(now, nowts);
	if (r)
		return r;
	auth_token_hash(tok, len, hash);
	r = store_prepare(st,
			  "SELECT u.id, u.is_operator, u.email, s.csrf_token FROM sessions s "
			  "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND "
			  "s.expires_at > ?",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = stmt_bind_text(s, 2, nowts);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		const char *c = stmt_column_text(s, 3);

		r = user_fill(s, az);
		str_lcpy(csrf, c ? c : "", AUTH_TOKEN_SIZE);
	} else if (r == STORE_DONE) {
		r = ERR_AUTH;
	}
	stmt_finalize(s);
	return r;
}

int auth_session_delete(struct store *st, const char *tok, size_t len)
{
	char hash[AUTH_HASH_HEX_SIZE];
	struct store_stmt *s = NULL;
	int r;

	auth_token_hash(tok, len, hash);
	r = store_prepare(st, "DELETE FROM sessions WHERE token_hash = ?", &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = stmt_step(s);
	stmt_finalize(s);
	return r < 0 ? r : 0;
}

int auth_apitoken_create(struct store *st, int64_t user_id, const char *name, time_t expires,
			 char out[AUTH_TOKEN_SIZE], int64_t *id)
{
	char hash[AUTH_HASH_HEX_SIZE];
	struct store_stmt *s = NULL;
	int r;

	auth_token_new(out);
	auth_token_hash(out, strlen(out), hash);
	r = store_prepare(st,
			  "INSERT INTO api_tokens (token_hash, user_id, name, expires_at) "
			  "VALUES (?, ?, ?, ?) RETURNING id",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = stmt_bind_int64(s, 2, user_id);
	if (r == 0)
		r = stmt_bind_text(s, 3, name);
	if (r == 0)
		r = expires ? bind_time(s, 4, expires) : stmt_bind_null(s, 4);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		*id = stmt_column_int64(s, 0);
		r = 0;
	} else {
		r = r < 0 ? r : ERR_DB;
	}
	stmt_finalize(s);
	if (r)
		mem_zero(out, AUTH_TOKEN_SIZE);
	return r;
}

int auth_apitoken_lookup(struct store *st, const char *tok, size_t len, time_t now,
			 struct authz_ctx *az)
{
	char hash[AUTH_HASH_HEX_SIZE], nowts[TIME_RFC3339_LEN];
	struct store_stmt *s = NULL;
	int r;

	if (len != AUTH_TOKEN_LEN)
		return ERR_AUTH;
	r = time_rfc3339(now, nowts);
	if (r)
		return r;
	auth_token_hash(tok, len, hash);
	r = store_prepare(st,
			  "SELECT u.id, u.is_operator, u.email FROM api_tokens t "
			  "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND "
			  "(t.expires_at IS NULL OR t.expires_at > ?)",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = stmt_bind_text(s, 2, nowts);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		r = user_fill(s, az);
		az->via_token = 1;
	} else if (r == STORE_DONE) {
		r = ERR_AUTH;
	}
	stmt_finalize(s);
	return r;
}

int auth_init_operator(struct store *st, const char *email, char pw_out[AUTH_TOKEN_SIZE],
		       int64_t *id)
{
	int r;

	auth_token_new(pw_out);
	r = auth_user_create(st, email, pw_out, 1, id);
	if (r)
		mem_zero(pw_out, AUTH_TOKEN_SIZE);
	return r;
}
