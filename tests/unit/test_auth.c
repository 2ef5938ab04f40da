/*
 * test_auth.c: the sign-in primitives and stored identities: base32, RFC
 * 6238 TOTP vectors, argon2id hashes, tokens, e-mail syntax, login with
 * TOTP and lockout, sessions and API tokens on an in-memory store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

static void test_base32(void **state)
{
	static const struct {
		const char *raw, *b32;
	} v[] = {
	    {"", ""},
	    {"f", "MY"},
	    {"fo", "MZXQ"},
	    {"foo", "MZXW6"},
	    {"foob", "MZXW6YQ"},
	    {"fooba", "MZXW6YTB"},
	    {"foobar", "MZXW6YTBOI"},
	};
	char out[64];
	uint8_t back[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		assert_int_equal(auth_base32_encode((const uint8_t *)v[i].raw, strlen(v[i].raw),
						    out, sizeof(out)),
				 0);
		assert_string_equal(out, v[i].b32);
		assert_int_equal(
		    auth_base32_decode(v[i].b32, strlen(v[i].b32), back, sizeof(back), &n), 0);
		assert_int_equal(n, strlen(v[i].raw));
		assert_memory_equal(back, v[i].raw, n);
	}
	assert_int_equal(auth_base32_decode("mzxw6===", 8, back, sizeof(back), &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(auth_base32_decode("MZ1W", 4, back, sizeof(back), &n), ERR_PARSE);
	assert_int_equal(auth_base32_decode("MZXW6YTBOI", 10, back, 2, &n), ERR_TOO_BIG);
	assert_int_equal(auth_base32_encode((const uint8_t *)"foobar", 6, out, 10), ERR_TOO_BIG);
}

/* RFC 6238 appendix B, SHA-1 column, last six digits. */
static void test_totp_rfc6238(void **state)
{
	static const struct {
		time_t t;
		uint32_t code;
	} v[] = {
	    {59, 287082},	{1111111109, 81804},  {1111111111, 50471},
	    {1234567890, 5924}, {2000000000, 279037}, {20000000000LL, 353130},
	};
	const uint8_t *key = (const uint8_t *)"12345678901234567890";
	char secret[64], code[8];
	uint32_t c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		assert_int_equal(auth_totp_code(key, 20, v[i].t, &c), 0);
		assert_int_equal(c, v[i].code);
	}
	assert_int_equal(auth_base32_encode(key, 20, secret, sizeof(secret)), 0);
	snprintf(code, sizeof(code), "%06u", 81804u);
	assert_int_equal(auth_totp_check(secret, code, 6, 1111111109), 0);
	/* One step of skew either way, not two. */
	assert_int_equal(auth_totp_check(secret, code, 6, 1111111109 + 30), 0);
	assert_int_equal(auth_totp_check(secret, code, 6, 1111111109 - 30), 0);
	assert_int_equal(auth_totp_check(secret, code, 6, 1111111109 + 90), ERR_AUTH);
	assert_int_equal(auth_totp_check(secret, "08180", 5, 1111111109), ERR_AUTH);
	assert_int_equal(auth_totp_check(secret, "08180x", 6, 1111111109), ERR_AUTH);
	assert_int_equal(auth_totp_check("!!", code, 6, 1111111109), ERR_PARSE);
	assert_int_equal(auth_totp_code(key, 0, 59, &c), ERR_INVAL);
}

static void test_password_and_tokens(void **state)
{
	char h[AUTH_PWHASH_SIZE], t1[AUTH_TOKEN_SIZE], t2[AUTH_TOKEN_SIZE];
	char hx[AUTH_HASH_HEX_SIZE], sec[AUTH_TOTP_SECRET_SIZE];

	(void)state;
	assert_int_equal(auth_password_hash("correct horse", 13, h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_int_equal(auth_password_verify(h, "correct horse", 13), 0);
	assert_int_equal(auth_password_verify(h, "correct hors", 12), ERR_AUTH);
	assert_int_equal(auth_password_hash("short", 5, h), ERR_INVAL);
	assert_int_equal(auth_password_verify("garbage", "correct horse", 13), ERR_AUTH);
	auth_token_new(t1);
	auth_token_new(t2);
	assert_int_equal(strlen(t1), AUTH_TOKEN_LEN);
	assert_int_equal(
	    strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
	    AUTH_TOKEN_LEN);
	assert_string_not_equal(t1, t2);
	assert_true(auth_token_eq(t1, t1));
	assert_false(auth_token_eq(t1, t2));
	assert_false(auth_token_eq("", ""));
	auth_token_hash("abc", 3, hx);
	assert_string_equal(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	auth_totp_secret_new(sec);
	assert_int_equal(strlen(sec), 32);
}

static void test_email(void **state)
{
	static const struct {
		const char *s;
		int ok;
	} v[] = {
	    {"a@b.nl", 1},
	    {"jan.jansen+x@bakkerij.example.nl", 1},
	    {"@b.nl", 0},
	    {"a@", 0},
	    {"a@b", 0},
	    {"a b@c.nl", 0},
	    {"a@b@c.nl", 0},
	    {"<a@b.nl>", 0},
	    {"a@b.nl\r\nBcc:", 0},
	    {"", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++)
		assert_int_equal(auth_email_valid(v[i].s, strlen(v[i].s)), v[i].ok);
}

static struct store *mem_store(void)
{
	struct store *st = NULL;

	assert_int_equal(store_open(":memory:", NULL, NULL, &st), 0);
	assert_int_equal(store_migrate(st, NULL, NULL), 0);
	return st;
}

static void test_login_lockout(void **state)
{
	struct store *st = mem_store();
	struct auth_login lg;
	struct authz_ctx az;
	char csrf[AUTH_TOKEN_SIZE];
	time_t now = 1800000000;
	int64_t id = 0, id2 = 0;
	int i;

	(void)state;
	assert_int_equal(auth_user_create(st, "a@b.nl", "0123456789ab", 0, &id), 0);
	assert_int_equal(auth_user_create(st, "a@b.nl", "0123456789ab", 0, &id2), ERR_EXISTS);
	assert_int_equal(auth_user_create(st, "nope", "0123456789ab", 0, &id2), ERR_INVAL);
	assert_int_equal(auth_login(st, "x@b.nl", "0123456789ab", NULL, now, &lg), ERR_AUTH);
	assert_int_equal(auth_login(st, "a@b.nl", "0123456789ab", NULL, now, &lg), 0);
	assert_int_equal(lg.user_id, id);
	assert_int_equal(auth_session_lookup(st, lg.token, strlen(lg.token), now + 10, &az, csrf),
			 0);
	assert_int_equal(az.user_id, id);
	assert_string_equal(csrf, lg.csrf);
	assert_int_equal(auth_session_lookup(st, lg.token, strlen(lg.token),
					     now + AUTH_SESSION_TTL_S + 1, &az, csrf),
			 ERR_AUTH);
	assert_int_equal(auth_session_delete(st, lg.token, strlen(lg.token)), 0);
	assert_int_equal(auth_session_lookup(st, lg.token, strlen(lg.token), now + 10, &az, csrf),
			 ERR_AUTH);
	/* Five failures lock the account, even for the right password. */
	for (i = 0; i < AUTH_LOCKOUT_FAILS; i++)
		assert_int_equal(auth_login(st, "a@b.nl", "wrong-password", NULL, now, &lg),
				 ERR_AUTH);
	assert_int_equal(auth_login(st, "a@b.nl", "0123456789ab", NULL, now + 60, &lg), ERR_PERM);
	assert_int_equal(
	    auth_login(st, "a@b.nl", "0123456789ab", NULL, now + AUTH_LOCKOUT_S + 1, &lg), 0);
	store_close(st);
}

static void test_login_totp_and_tokens(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *s = NULL;
	const uint8_t *key = (const uint8_t *)"12345678901234567890";
	char secret[64], tok[AUTH_TOKEN_SIZE], code[8];
	struct auth_login lg;
	struct authz_ctx az;
	time_t now = 1800000000;
	uint32_t c;
	int64_t id = 0, tid = 0;

	(void)state;
	assert_int_equal(auth_user_create(st, "t@b.nl", "0123456789ab", 1, &id), 0);
	assert_int_equal(auth_base32_encode(key, 20, secret, sizeof(secret)), 0);
	assert_int_equal(store_prepare(st, "UPDATE users SET totp_secret = ? WHERE id = ?", &s), 0);
	assert_int_equal(stmt_bind_text(s, 1, secret), 0);
	assert_int_equal(stmt_bind_int64(s, 2, id), 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	stmt_finalize(s);
	assert_int_equal(auth_login(st, "t@b.nl", "0123456789ab", NULL, now, &lg), ERR_AUTH);
	assert_int_equal(auth_login(st, "t@b.nl", "0123456789ab", "000000", now, &lg), ERR_AUTH);
	assert_int_equal(auth_totp_code(key, 20, now, &c), 0);
	snprintf(code, sizeof(code), "%06u", c);
	assert_int_equal(auth_login(st, "t@b.nl", "0123456789ab", code, now, &lg), 0);
	assert_int_equal(auth_apitoken_create(st, id, "ci", now + 100, tok, &tid), 0);
	assert_int_equal(auth_apitoken_lookup(st, tok, strlen(tok), now, &az), 0);
	assert_int_equal(az.user_id, id);
	assert_true(az.operator);
	assert_true(az.via_token);
	assert_int_equal(auth_apitoken_lookup(st, tok, strlen(tok), now + 101, &az), ERR_AUTH);
	tok[0] = tok[0] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_apitoken_lookup(st, tok, strlen(tok), now, &az), ERR_AUTH);
	assert_int_equal(auth_apitoken_lookup(st, "short", 5, now, &az), ERR_AUTH);
	store_close(st);
}

static void test_password_reset(void **state)
{
	struct store *st = mem_store();
	char tok[AUTH_TOKEN_SIZE], tok2[AUTH_TOKEN_SIZE];
	struct auth_login lg;
	struct authz_ctx az;
	char csrf[AUTH_TOKEN_SIZE];
	time_t now = 1800000000;
	int64_t id = 0;
	int i;

	(void)state;
	assert_int_equal(auth_user_create(st, "r@b.nl", "0123456789ab", 0, &id), 0);
	assert_int_equal(auth_login(st, "r@b.nl", "0123456789ab", NULL, now, &lg), 0);
	assert_int_equal(auth_reset_create(st, "nobody@b.nl", now, tok), ERR_NOTFOUND);
	assert_int_equal(auth_reset_create(st, "r@b.nl", now, tok), 0);
	/* A newer code replaces the older one. */
	assert_int_equal(auth_reset_create(st, "r@b.nl", now, tok2), 0);
	assert_int_equal(auth_reset_confirm(st, tok, "new-password-1", now), ERR_AUTH);
	assert_int_equal(auth_reset_confirm(st, tok2, "short", now), ERR_INVAL);
	assert_int_equal(auth_reset_confirm(st, tok2, "new-password-1", now + AUTH_RESET_TTL_S + 1),
			 ERR_AUTH);
	/* Locked accounts are unlocked by a reset. */
	for (i = 0; i < AUTH_LOCKOUT_FAILS; i++)
		assert_int_equal(auth_login(st, "r@b.nl", "wrong-password", NULL, now, &lg),
				 ERR_AUTH);
	assert_int_equal(auth_reset_confirm(st, tok2, "new-password-1", now + 10), 0);
	assert_int_equal(auth_reset_confirm(st, tok2, "new-password-2", now + 10), ERR_AUTH);
	assert_int_equal(auth_login(st, "r@b.nl", "0123456789ab", NULL, now + 20, &lg), ERR_AUTH);
	assert_int_equal(auth_login(st, "r@b.nl", "new-password-1", NULL, now + 20, &lg), 0);
	{
		struct store_stmt *s = NULL;

		assert_int_equal(
		    store_prepare(st,
				  "SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND "
				  "action = 'reset' AND object = 'password'",
				  &s),
		    0);
		assert_int_equal(stmt_bind_int64(s, 1, id), 0);
		assert_int_equal(stmt_step(s), STORE_ROW);
		assert_int_equal(stmt_column_int64(s, 0), 1);
		stmt_finalize(s);
	}
	/* The reset ended the sessions from before it, not the new one. */
	assert_int_equal(auth_session_lookup(st, lg.token, strlen(lg.token), now + 30, &az, csrf),
			 0);
	store_close(st);
}

/* 1 when users.totp_last_step of uid is NULL, 0 when set. */
static int query_null(struct store *st, int64_t uid)
{
	struct store_stmt *s = NULL;
	int v;

	assert_int_equal(store_prepare(st,
				       "SELECT CASE WHEN totp_last_step IS NULL THEN 1 ELSE 0 END "
				       "FROM users WHERE id = ?",
				       &s),
			 0);
	assert_int_equal(stmt_bind_int64(s, 1, uid), 0);
	assert_int_equal(stmt_step(s), STORE_ROW);
	v = (int)stmt_column_int64(s, 0);
	stmt_finalize(s);
	return v;
}

/* RFC 6238 section 5.2: a code is accepted once, and never one of a step
 * before the last accepted one. */
static void test_totp_replay(void **state)
{
	struct store *st = mem_store();
	struct store_stmt *s = NULL;
	const uint8_t *key = (const uint8_t *)"12345678901234567890";
	char secret[64], code[8], older[8];
	struct auth_login lg;
	time_t now = 1800000000;
	int64_t id = 0, step = -1;
	uint32_t c;

	(void)state;
	assert_int_equal(auth_user_create(st, "p@b.nl", "0123456789ab", 0, &id), 0);
	assert_int_equal(auth_base32_encode(key, 20, secret, sizeof(secret)), 0);
	assert_int_equal(store_prepare(st, "UPDATE users SET totp_secret = ? WHERE id = ?", &s), 0);
	assert_int_equal(stmt_bind_text(s, 1, secret), 0);
	assert_int_equal(stmt_bind_int64(s, 2, id), 0);
	assert_int_equal(stmt_step(s), STORE_DONE);
	stmt_finalize(s);
	assert_int_equal(query_null(st, id), 1);

	/* The step a code belongs to, also one step of skew away. */
	assert_int_equal(auth_totp_code(key, 20, now - 30, &c), 0);
	snprintf(older, sizeof(older), "%06u", c);
	assert_int_equal(auth_totp_verify(secret, older, 6, now, &step), 0);
	assert_int_equal(step, now / 30 - 1);
	assert_int_equal(auth_totp_code(key, 20, now, &c), 0);
	snprintf(code, sizeof(code), "%06u", c);
	assert_int_equal(auth_totp_verify(secret, code, 6, now, &step), 0);
	assert_int_equal(step, now / 30);

	/* Same code twice: the second is refused, also seconds later. */
	assert_int_equal(auth_login(st, "p@b.nl", "0123456789ab", code, now, &lg), 0);
	assert_int_equal(query_null(st, id), 0);
	assert_int_equal(auth_login(st, "p@b.nl", "0123456789ab", code, now, &lg), ERR_AUTH);
	assert_int_equal(auth_login(st, "p@b.nl", "0123456789ab", code, now + 20, &lg), ERR_AUTH);
	/* The older step's code, still inside the skew window: refused. */
	assert_int_equal(auth_login(st, "p@b.nl", "0123456789ab", older, now, &lg), ERR_AUTH);
	/* The next step's code is accepted, once. */
	assert_int_equal(auth_totp_code(key, 20, now + 30, &c), 0);
	snprintf(code, sizeof(code), "%06u", c);
	assert_int_equal(auth_login(st, "p@b.nl", "0123456789ab", code, now + 30, &lg), 0);
	assert_int_equal(auth_login(st, "p@b.nl", "0123456789ab", code, now + 31, &lg), ERR_AUTH);

	/* The guard itself: two acceptances of one step, only the first
	 * changes the row (what two parallel sign-ins would race for); a
	 * secret that is no longer the user's is refused too. */
	assert_int_equal(auth_totp_accept(st, id, secret, now / 30 + 5), 0);
	assert_int_equal(auth_totp_accept(st, id, secret, now / 30 + 5), ERR_AUTH);
	assert_int_equal(auth_totp_accept(st, id, secret, now / 30 + 4), ERR_AUTH);
	assert_int_equal(auth_totp_accept(st, id, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", now / 30 + 6),
			 ERR_AUTH);
	assert_int_equal(auth_totp_accept(st, id, secret, now / 30 + 6), 0);
	store_close(st);
}

static void test_totp_enrolment(void **state)
{
	struct store *st = mem_store();
	char secret[AUTH_TOTP_SECRET_SIZE], code[8], bad[8];
	uint8_t key[64];
	size_t keylen;
	struct auth_login lg;
	time_t now = 1800000000;
	int64_t id = 0;
	uint32_t c;

	(void)state;
	assert_int_equal(auth_user_create(st, "e@b.nl", "0123456789ab", 0, &id), 0);
	auth_totp_secret_new(secret);
	assert_int_equal(auth_base32_decode(secret, 32, key, sizeof(key), &keylen), 0);
	assert_int_equal(auth_totp_code(key, keylen, now, &c), 0);
	snprintf(code, sizeof(code), "%06u", c);
	assert_int_equal(auth_totp_enable(st, id, "wrong-password", secret, code, now), ERR_AUTH);
	snprintf(bad, sizeof(bad), "%06u", (c + 500000) % 1000000);
	assert_int_equal(auth_totp_enable(st, id, "0123456789ab", secret, bad, now), ERR_AUTH);
	assert_int_equal(auth_totp_enable(st, id, "0123456789ab", "SHORT", code, now), ERR_INVAL);
	assert_int_equal(auth_totp_disable(st, id, "0123456789ab", code, now), ERR_NOTFOUND);
	assert_int_equal(auth_totp_enable(st, id, "0123456789ab", secret, code, now), 0);
	assert_int_equal(auth_totp_enable(st, id, "0123456789ab", secret, code, now), ERR_EXISTS);
	assert_int_equal(auth_login(st, "e@b.nl", "0123456789ab", NULL, now, &lg), ERR_AUTH);
	/* The code that switched it on was used: not for signing in too. */
	assert_int_equal(auth_login(st, "e@b.nl", "0123456789ab", code, now, &lg), ERR_AUTH);
	assert_int_equal(auth_totp_code(key, keylen, now + 30, &c), 0);
	snprintf(code, sizeof(code), "%06u", c);
	assert_int_equal(auth_login(st, "e@b.nl", "0123456789ab", code, now + 30, &lg), 0);
	assert_int_equal(auth_totp_disable(st, id, "0123456789ab", "12345x", now + 30), ERR_AUTH);
	/* Nor can the sign-in's code switch it off. */
	assert_int_equal(auth_totp_disable(st, id, "0123456789ab", code, now + 30), ERR_AUTH);
	assert_int_equal(auth_totp_code(key, keylen, now + 60, &c), 0);
	snprintf(code, sizeof(code), "%06u", c);
	assert_int_equal(auth_totp_disable(st, id, "0123456789ab", code, now + 60), 0);
	assert_int_equal(auth_login(st, "e@b.nl", "0123456789ab", NULL, now + 60, &lg), 0);
	/* Off clears the step with the secret: a new secret starts afresh,
	 * even within the same 30 seconds. */
	assert_int_equal(query_null(st, id), 1);
	auth_totp_secret_new(secret);
	assert_int_equal(auth_base32_decode(secret, 32, key, sizeof(key), &keylen), 0);
	assert_int_equal(auth_totp_code(key, keylen, now + 60, &c), 0);
	snprintf(code, sizeof(code), "%06u", c);
	assert_int_equal(auth_totp_enable(st, id, "0123456789ab", secret, code, now + 60), 0);
	assert_int_equal(query_null(st, id), 0);
	store_close(st);
}

static void test_ratelimit(void **state)
{
	struct auth_ratelimit *rl = NULL;
	time_t t = 1800000000 - 1800000000 % 60;
	int i;

	(void)state;
	assert_int_equal(auth_ratelimit_new(0, 60, &rl), ERR_INVAL);
	assert_int_equal(auth_ratelimit_new(3, 60, &rl), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(auth_ratelimit_hit(rl, "192.0.2.1", t + i), 0);
	assert_int_equal(auth_ratelimit_hit(rl, "192.0.2.1", t + 10), ERR_PERM);
	assert_int_equal(auth_ratelimit_hit(rl, "192.0.2.1", t + 59), ERR_PERM);
	/* Another address has its own count. */
	assert_int_equal(auth_ratelimit_hit(rl, "2001:db8::1", t + 10), 0);
	/* The next window still carries the last one's attempts, fading out
	 * over its length: at t+60 all 3 count, at t+90 half (2, rounded up). */
	assert_int_equal(auth_ratelimit_hit(rl, "192.0.2.1", t + 60), ERR_PERM);
	assert_int_equal(auth_ratelimit_hit(rl, "192.0.2.1", t + 90), 0);
	assert_int_equal(auth_ratelimit_hit(rl, "192.0.2.1", t + 91), ERR_PERM);
	/* Two quiet windows later nothing is left. */
	for (i = 0; i < 3; i++)
		assert_int_equal(auth_ratelimit_hit(rl, "192.0.2.1", t + 240 + i), 0);
	/* A burst straddling a window boundary: 2 before, 1 after, the 4th
	 * within three seconds is refused (fixed windows allowed 2 + 3). */
	assert_int_equal(auth_ratelimit_hit(rl, "198.51.100.7", t + 358), 0);
	assert_int_equal(auth_ratelimit_hit(rl, "198.51.100.7", t + 359), 0);
	assert_int_equal(auth_ratelimit_hit(rl, "198.51.100.7", t + 360), 0);
	assert_int_equal(auth_ratelimit_hit(rl, "198.51.100.7", t + 361), ERR_PERM);
	assert_int_equal(auth_ratelimit_hit(rl, "198.51.100.7", t + 362), ERR_PERM);
	assert_int_equal(auth_ratelimit_hit(NULL, "192.0.2.1", t), 0);
	assert_int_equal(auth_ratelimit_hit(rl, NULL, t), 0);
	auth_ratelimit_free(rl);
	auth_ratelimit_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base32),
	    cmocka_unit_test(test_totp_rfc6238),
	    cmocka_unit_test(test_password_and_tokens),
	    cmocka_unit_test(test_email),
	    cmocka_unit_test(test_login_lockout),
	    cmocka_unit_test(test_login_totp_and_tokens),
	    cmocka_unit_test(test_ratelimit),
	    cmocka_unit_test(test_password_reset),
	    cmocka_unit_test(test_totp_enrolment),
	    cmocka_unit_test(test_totp_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
