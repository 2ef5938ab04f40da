/*
 * totp_enrol.c: switching the TOTP second factor on and off. Both need the
 * current password and a valid code, so a stolen session alone can neither
 * add a factor the owner does not have nor remove the one they rely on.
 */
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

struct totp_row {
	char hash[AUTH_PWHASH_SIZE];
	char secret[AUTH_TOTP_SECRET_SIZE + 32];
};

static int fetch(struct store *st, int64_t uid, struct totp_row *tr)
{
	struct store_stmt *s = NULL;
	const char *v;
	int r;

	memset(tr, 0, sizeof(*tr));
	r = store_prepare(st, "SELECT password_hash, totp_secret FROM users WHERE id = ?", &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, uid);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		v = stmt_column_text(s, 0);
		str_lcpy(tr->hash, v ? v : "", sizeof(tr->hash));
		v = stmt_column_text(s, 1);
		str_lcpy(tr->secret, v ? v : "", sizeof(tr->secret));
		r = 0;
	} else if (r == STORE_DONE) {
		r = ERR_AUTH;
	}
	stmt_finalize(s);
	return r;
}

/*
 * The replay guard (RFC 6238 section 5.2): each statement below accepts a
 * code of time step `step` only when it is later than users.totp_last_step
 * and records it in the same statement, so of two requests with the same
 * code at most one changes a row (SQLite serialises writers; PostgreSQL
 * re-checks the WHERE on the row it waited for). No row: ERR_AUTH.
 */
static int guarded(struct store *st, const char *sql, int sets_step, int64_t uid,
		   const char *secret, int64_t step)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st, sql, &s), i = 1;

	if (r == 0 && sets_step)
		r = stmt_bind_int64(s, i++, step);
	if (r == 0)
		r = stmt_bind_int64(s, i++, uid);
	if (r == 0)
		r = stmt_bind_text(s, i++, secret);
	if (r == 0)
		r = stmt_bind_int64(s, i, step);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW)
		r = 0;
	else if (r == STORE_DONE)
		r = ERR_AUTH;
	stmt_finalize(s);
	return r;
}

#define TOTP_FRESH "(totp_last_step IS NULL OR totp_last_step < ?) RETURNING id"

int auth_totp_accept(struct store *st, int64_t uid, const char *secret, int64_t step)
{
	return guarded(st,
		       "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_secret = ? "
		       "AND " TOTP_FRESH,
		       1, uid, secret, step);
}

/* Enabling stores the secret and the step of the code that proved it;
 * disabling clears both (a later secret starts afresh), with the same
 * guard: a code seen at sign-in cannot switch the factor off. */
static int enable_guarded(struct store *st, int64_t uid, const char *secret, int64_t step)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st,
			      "UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ? "
			      "AND totp_secret IS NULL AND " TOTP_FRESH,
			      &s);

	if (r == 0)
		r = stmt_bind_text(s, 1, secret);
	if (r == 0)
		r = stmt_bind_int64(s, 2, step);
	if (r == 0)
		r = stmt_bind_int64(s, 3, uid);
	if (r == 0)
		r = stmt_bind_int64(s, 4, step);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW)
		r = 0;
	else if (r == STORE_DONE)
		r = ERR_AUTH;
	stmt_finalize(s);
	return r;
}

int auth_totp_enable(struct store *st, int64_t uid, const char *pw, const char *secret_b32,
		     const char *code, time_t now)
{
	struct totp_row tr;
	uint8_t key[64];
	size_t keylen = 0;
	int64_t step = 0;
	int r;

	if (strlen(secret_b32) != 32 ||
	    auth_base32_decode(secret_b32, 32, key, sizeof(key), &keylen) != 0 || keylen != 20) {
		mem_zero(key, sizeof(key));
		return ERR_INVAL;
	}
	mem_zero(key, sizeof(key));
	r = fetch(st, uid, &tr);
	if (r == 0)
		r = auth_password_verify(tr.hash, pw, strlen(pw));
	if (r == 0 && tr.secret[0])
		r = ERR_EXISTS;
	if (r == 0)
		r = auth_totp_verify(secret_b32, code, strlen(code), now, &step) == 0 ? 0
										      : ERR_AUTH;
	if (r == 0)
		r = enable_guarded(st, uid, secret_b32, step);
	mem_zero(&tr, sizeof(tr));
	return r;
}

int auth_totp_disable(struct store *st, int64_t uid, const char *pw, const char *code, time_t now)
{
	struct totp_row tr;
	int64_t step = 0;
	int r;

	r = fetch(st, uid, &tr);
	if (r == 0)
		r = auth_password_verify(tr.hash, pw, strlen(pw));
	if (r == 0 && !tr.secret[0])
		r = ERR_NOTFOUND;
	if (r == 0)
		r = auth_totp_verify(tr.secret, code, strlen(code), now, &step) == 0 ? 0 : ERR_AUTH;
	if (r == 0)
		r = guarded(st,
			    "UPDATE users SET totp_secret = NULL, totp_last_step = NULL "
			    "WHERE id = ? AND totp_secret = ? AND " TOTP_FRESH,
			    0, uid, tr.secret, step);
	mem_zero(&tr, sizeof(tr));
	return r;
}
