/*
 * auth.h: who is asking. Users with argon2id passwords (libsodium), TOTP
 * second factor (RFC 6238, HMAC-SHA1 as authenticator apps use), sessions
 * and API tokens that are random 32-byte secrets stored only as SHA-256,
 * CSRF tokens per session, login lockout, and the authorisation context
 * (struct authz_ctx) that every tenant-scoped query takes.
 */
#ifndef WACHTER_AUTH_H
#define WACHTER_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/core.h"

struct store;

/* Secrets as text: 32 random bytes in unpadded base64url = 43 chars. */
#define AUTH_TOKEN_LEN 43
#define AUTH_TOKEN_SIZE (AUTH_TOKEN_LEN + 1)
#define AUTH_HASH_HEX_SIZE 65 /* SHA-256 in hex plus NUL */
#define AUTH_PWHASH_SIZE 128  /* crypto_pwhash_STRBYTES */
#define AUTH_PASSWORD_MIN 10
#define AUTH_PASSWORD_MAX 1024
#define AUTH_EMAIL_MAX 254
#define AUTH_TOTP_SECRET_SIZE 33 /* 20 bytes in base32 (32 chars) plus NUL */

#define AUTH_SESSION_TTL_S (12 * 3600)
#define AUTH_LOCKOUT_FAILS 5	 /* failed logins before the account locks */
#define AUTH_LOCKOUT_S (15 * 60) /* how long it stays locked */
#define AUTH_INVITE_TTL_S (7 * 86400)

/*
 * struct authz_ctx: the caller of a tenant-scoped query. The store
 * functions in src/api/tenant.c derive the organisations this user may
 * see or change from memberships and partner_clients in SQL; nothing else
 * decides. user_id 0 is anonymous and sees nothing.
 */
struct authz_ctx {
	int64_t user_id;
	int operator; /* platform operator: every organisation */
	char email[AUTH_EMAIL_MAX + 1];
	int via_token; /* authenticated by an API token (no CSRF needed) */
};

/* ------------------------------------------------------ pure primitives */

/*
 * auth_password_hash: argon2id of pw[0..len) (OWASP parameters: 19 MiB,
 * 2 passes) into out (NUL-terminated). ERR_INVAL when len is outside
 * [AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX], ERR_NOMEM. Thread safe.
 */
int auth_password_hash(const char *pw, size_t len, char out[AUTH_PWHASH_SIZE]) WUR;
/* auth_password_verify: 0 when pw matches hash, ERR_AUTH otherwise. */
int auth_password_verify(const char *hash, const char *pw, size_t len) WUR;

/* auth_token_new: a fresh random token (base64url text). Thread safe. */
void auth_token_new(char out[AUTH_TOKEN_SIZE]);
/* auth_token_hash: SHA-256 of tok[0..len) as lower-case hex. */
void auth_token_hash(const char *tok, size_t len, char out[AUTH_HASH_HEX_SIZE]);
/* auth_token_eq: constant-time comparison of two NUL-terminated tokens. */
int auth_token_eq(const char *a, const char *b);

/* Base32 (RFC 4648, no padding) for TOTP secrets. decode ignores case and
 * '=' and ' '; ERR_PARSE on other bytes, ERR_TOO_BIG past outsize. */
int auth_base32_encode(const uint8_t *p, size_t len, char *out, size_t outsize) WUR;
int auth_base32_decode(const char *s, size_t len, uint8_t *out, size_t outsize, size_t *outlen) WUR;

/*
 * auth_totp_code: the RFC 6238 code (SHA-1, 30 s step, 6 digits) of key at
 * unix time t. auth_totp_check: 0 when code (6 ASCII digits) matches at t
 * or one step either side, ERR_AUTH otherwise, ERR_PARSE for a bad secret.
 */
int auth_totp_code(const uint8_t *key, size_t keylen, time_t t, uint32_t *code) WUR;
int auth_totp_check(const char *secret_b32, const char *code, size_t len, time_t t) WUR;
/*
 * auth_totp_verify: auth_totp_check that also gives the time step
 * (unix time / 30) the code belongs to, for the replay guard: a code is
 * accepted once, and only for a step later than the last one accepted
 * (RFC 6238 section 5.2; users.totp_last_step). step may be NULL.
 */
int auth_totp_verify(const char *secret_b32, const char *code, size_t len, time_t t,
		     int64_t *step) WUR;
/* auth_totp_secret_new: 20 random bytes in base32. */
void auth_totp_secret_new(char out[AUTH_TOTP_SECRET_SIZE]);

/* auth_email_valid: a plausible address (local@domain, printable ASCII,
 * no spaces, <= AUTH_EMAIL_MAX). 1 or 0. */
int auth_email_valid(const char *s, size_t len);

/* ------------------------------------------------- stored identities */

/*
 * auth_user_create: a user with email and password (hashed here).
 * ERR_EXISTS when the email is taken, ERR_INVAL for a bad email or
 * password, ERR_DB. *id gets the new id.
 */
int auth_user_create(struct store *st, const char *email, const char *pw, int is_operator,
		     int64_t *id) WUR;

/*
 * struct auth_login: the result of a successful login. token is the
 * session cookie value, csrf its CSRF token; both are secrets handed to
 * the client once.
 */
struct auth_login {
	int64_t user_id;
	char token[AUTH_TOKEN_SIZE];
	char csrf[AUTH_TOKEN_SIZE];
	time_t expires;
};

/*
 * auth_login: check email/password (and the TOTP code when the user has a
 * secret; totp may be NULL otherwise) at time now and create a session.
 * Every failure is ERR_AUTH (the caller cannot tell a wrong password from
 * an unknown user), except ERR_PERM while the account is locked after
 * AUTH_LOCKOUT_FAILS failures, and ERR_DB. Failures count towards the
 * lockout; a success resets the count. Each call spends one argon2id
 * verification, also for unknown users, so timing does not tell either.
 */
int auth_login(struct store *st, const char *email, const char *pw, const char *totp, time_t now,
	       struct auth_login *out) WUR;

/*
 * auth_session_lookup: the session of cookie value tok (not yet expired at
 * now): fills az (user) and csrf (the session's CSRF token). ERR_AUTH when
 * unknown or expired, ERR_DB.
 */
int auth_session_lookup(struct store *st, const char *tok, size_t len, time_t now,
			struct authz_ctx *az, char csrf[AUTH_TOKEN_SIZE]) WUR;
/* auth_session_delete: log out (no error when the session is unknown). */
int auth_session_delete(struct store *st, const char *tok, size_t len) WUR;

/* auth_apitoken_create: a Bearer token named name for user; the token is
 * returned once in out, only its hash is stored. *id the row id. */
int auth_apitoken_create(struct store *st, int64_t user_id, const char *name, time_t expires,
			 char out[AUTH_TOKEN_SIZE], int64_t *id) WUR;
/* auth_apitoken_lookup: fill az for Bearer token tok; ERR_AUTH, ERR_DB. */
int auth_apitoken_lookup(struct store *st, const char *tok, size_t len, time_t now,
			 struct authz_ctx *az) WUR;

/*
 * auth_init_operator: create operator account email with a generated
 * password written to pw_out (give it to the human once). ERR_EXISTS when
 * the email is taken. For "wachter serve --init-operator EMAIL".
 */
int auth_init_operator(struct store *st, const char *email, char pw_out[AUTH_TOKEN_SIZE],
		       int64_t *id) WUR;

/*
 * Password reset: auth_reset_create makes a one-hour token for the user
 * with email (replacing earlier ones) and returns it in token (to be
 * mailed, never shown); ERR_NOTFOUND when there is no such user.
 * auth_reset_confirm sets the new password for a valid token, consumes
 * the token, ends every session of the user and clears the lockout;
 * ERR_AUTH for an unknown or expired token, ERR_INVAL for a bad password.
 */
#define AUTH_RESET_TTL_S 3600
int auth_reset_create(struct store *st, const char *email, time_t now,
		      char token[AUTH_TOKEN_SIZE]) WUR;
int auth_reset_confirm(struct store *st, const char *token, const char *pw, time_t now) WUR;

/*
 * TOTP enrolment for user uid: auth_totp_enable stores secret_b32 (32
 * base32 characters, from auth_totp_secret_new) once the current password
 * and a code from the authenticator (6 digits at now) both check out;
 * auth_totp_disable removes it after the same checks against the stored
 * secret. A code counts once (auth_totp_verify): enabling records its
 * step, disabling clears the secret and the step together. ERR_AUTH when
 * the password or code is wrong or the code was used already, ERR_INVAL for a
 * malformed secret, ERR_EXISTS when enabling over an active secret,
 * ERR_NOTFOUND when disabling with none, ERR_DB.
 */
int auth_totp_enable(struct store *st, int64_t uid, const char *pw, const char *secret_b32,
		     const char *code, time_t now) WUR;
int auth_totp_disable(struct store *st, int64_t uid, const char *pw, const char *code,
		      time_t now) WUR;
/*
 * auth_totp_accept: record step as the last one accepted for user uid
 * while secret is still theirs, in one conditional UPDATE: 0 when step is
 * later than the stored one, ERR_AUTH when not (a replay), ERR_DB.
 * Enable and disable apply the same guard in their own statements.
 */
int auth_totp_accept(struct store *st, int64_t uid, const char *secret, int64_t step) WUR;

/*
 * Login attempts per client address: at most limit per window_s seconds
 * (a sliding window: the current fixed window's count plus the previous
 * one's, weighted by its overlap with the last window_s seconds and
 * rounded up), in memory. auth_ratelimit_hit counts one attempt of
 * addr at now: 0 when allowed, ERR_PERM when over the limit (not counted).
 * rl NULL allows everything. Thread safe. The table has a fixed size;
 * addresses that share a slot reset each other's count, which errs on the
 * side of allowing.
 */
struct auth_ratelimit;
#define AUTH_RATELIMIT_WINDOW_S 60
int auth_ratelimit_new(unsigned limit, int window_s, struct auth_ratelimit **out) WUR;
void auth_ratelimit_free(struct auth_ratelimit *rl);
int auth_ratelimit_hit(struct auth_ratelimit *rl, const char *addr, time_t now) WUR;

#endif
