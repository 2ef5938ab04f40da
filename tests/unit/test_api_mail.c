/*
 * test_api_mail.c: the outgoing mail of the server (src/api/mail.c): the
 * composed message and its headers, header injection through every
 * field refused, RFC 2047 subjects that decode back to the input, the
 * language picked from Accept-Language, URL checks, and the background
 * sender's life (queue, failed delivery, drain, free) against a closed
 * port on 127.0.0.1.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/api.h"
#include "api/api_int.h"
#include "config/config.h"
#include "core/core.h"

static const char *const FROM = "wachter@example.nl";
static const char *const TO = "jan@example.nl";

static int compose(const char *from, const char *to, const char *subject, const char *body,
		   struct buf *out)
{
	buf_reset(out);
	return api_mail_compose(from, to, subject, body, 1764320400, "abc-DEF_1", out);
}

static void test_compose(void **state)
{
	struct buf m = BUF_INIT;

	(void)state;
	assert_int_equal(compose(FROM, TO, "hello", "line one\nline two\r\n\nend", &m), 0);
	assert_string_equal(m.ptr, "Date: Fri, 28 Nov 2025 09:00:00 +0000\r\n"
				   "From: wachter <wachter@example.nl>\r\n"
				   "To: <jan@example.nl>\r\n"
				   "Message-ID: <abc-DEF_1@example.nl>\r\n"
				   "Subject: hello\r\n"
				   "MIME-Version: 1.0\r\n"
				   "Content-Type: text/plain; charset=utf-8\r\n"
				   "Content-Transfer-Encoding: 8bit\r\n"
				   "Auto-Submitted: auto-generated\r\n"
				   "\r\n"
				   "line one\r\nline two\r\n\r\nend\r\n");
	/* UTF-8 and tabs in the body are fine. */
	assert_int_equal(
	    compose(FROM, TO, "x", "caf\xc3\xa9\tok \xe2\x80\x9cquoted\xe2\x80\x9d\n", &m), 0);
	buf_release(&m);
}

static void test_injection(void **state)
{
	static const char *const bad_addr[] = {
	    "jan@example.nl\r\nBcc: eve@example.nl",
	    "jan@example.nl\nBcc: eve@example.nl",
	    "jan@example.nl>\r\nRCPT TO:<eve@example.nl",
	    "<jan@example.nl>",
	    "jan@example.nl, eve@example.nl",
	    "jan @example.nl",
	    "jan@exa\x01mple.nl",
	    "jan@example.nl;eve@example.nl",
	    "\"jan\"@example.nl",
	    "",
	    "noat.example.nl",
	    "two@at@example.nl",
	};
	static const char *const bad_subject[] = {
	    "hi\r\nBcc: eve@example.nl",
	    "hi\nBcc: eve@example.nl",
	    "hi\rthere",
	    "tab\there",
	    "bell\x07",
	    "del\x7f",
	    "c1 \xc2\x85 next line",
	    "bad utf-8 \xc3",
	    "overlong \xc0\xaf",
	    "surrogate \xed\xa0\x80",
	    "",
	};
	static const char *const bad_body[] = {
	    "lone CR\rhere\n", "escape \x1b[31m\n",   "bad utf-8 \xff\n",
	    "c1 \xc2\x9b\n",   "nul-less but \x01\n",
	};
	struct buf m = BUF_INIT;
	char longline[1200];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_addr); i++) {
		assert_int_equal(compose(FROM, bad_addr[i], "s", "b\n", &m), ERR_INVAL);
		assert_int_equal(compose(bad_addr[i], TO, "s", "b\n", &m), ERR_INVAL);
	}
	for (i = 0; i < ARRAY_SIZE(bad_subject); i++)
		assert_int_equal(compose(FROM, TO, bad_subject[i], "b\n", &m), ERR_INVAL);
	for (i = 0; i < ARRAY_SIZE(bad_body); i++)
		assert_int_equal(compose(FROM, TO, "s", bad_body[i], &m), ERR_INVAL);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	assert_int_equal(compose(FROM, TO, "s", longline, &m), ERR_INVAL);
	longline[998] = '\0';
	assert_int_equal(compose(FROM, TO, "s", longline, &m), 0);
	/* A bad Message-ID local part. */
	buf_reset(&m);
	assert_int_equal(api_mail_compose(FROM, TO, "s", "b", 0, "a>\r\nX: y", &m), ERR_INVAL);
	buf_release(&m);
}

/* Decode a folded run of =?UTF-8?B?...?= words back to the text. */
static void decode_words(const char *v, char *out, size_t size)
{
	size_t o = 0, bin;
	const char *p = v, *end;
	char b64[128];

	while (*p) {
		assert_true(strncmp(p, "=?UTF-8?B?", 10) == 0);
		end = strstr(p + 10, "?=");
		assert_non_null(end);
		/* Each encoded-word is at most 75 characters (RFC 2047 2). */
		assert_true((size_t)(end + 2 - p) <= 75);
		assert_true((size_t)(end - p - 10) < sizeof(b64));
		memcpy(b64, p + 10, (size_t)(end - p - 10));
		b64[end - p - 10] = '\0';
		assert_int_equal(sodium_base642bin((unsigned char *)out + o, size - o - 1, b64,
						   strlen(b64), NULL, &bin, NULL,
						   sodium_base64_VARIANT_ORIGINAL),
				 0);
		/* Every word holds whole UTF-8 characters. */
		assert_true(api_mail_text_ok(out + o, bin, 0));
		o += bin;
		p = end + 2;
		if (strncmp(p, "\r\n ", 3) == 0)
			p += 3;
		else
			assert_int_equal(*p, '\0');
	}
	out[o] = '\0';
}

static void test_subject(void **state)
{
	static const char *const texts[] = {
	    "wachter \xe2\x80\x93 uitnodiging",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9 and a long tail of ASCII text after the accents "
	    "\xf0\x9f\x94\x92",
	    "looks like =?UTF-8?B?ZXZpbA==?= a word",
	};
	struct buf s = BUF_INIT;
	char dec[512];
	size_t i;

	(void)state;
	assert_int_equal(api_mail_subject(&s, "plain ASCII subject"), 0);
	assert_string_equal(s.ptr, "plain ASCII subject");
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		buf_reset(&s);
		assert_int_equal(api_mail_subject(&s, texts[i]), 0);
		assert_null(memchr(s.ptr, 0x80, s.len)); /* nothing but ASCII left */
		for (size_t k = 0; k < s.len; k++)
			assert_true((unsigned char)s.ptr[k] < 0x80);
		decode_words(s.ptr, dec, sizeof(dec));
		assert_string_equal(dec, texts[i]);
	}
	buf_reset(&s);
	memset(dec, 'a', 201);
	dec[201] = '\0';
	assert_int_equal(api_mail_subject(&s, dec), ERR_INVAL);
	buf_release(&s);
}

static void test_lang(void **state)
{
	static const struct {
		const char *h;
		int want;
	} cases[] = {
	    {NULL, API_LANG_NL},
	    {"", API_LANG_NL},
	    {"en", API_LANG_EN},
	    {"EN-us", API_LANG_EN},
	    {"nl", API_LANG_NL},
	    {"en-GB,nl;q=0.5", API_LANG_EN},
	    {"nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", API_LANG_NL},
	    {"de-DE,de;q=0.9,en;q=0.3", API_LANG_EN},
	    {"fr", API_LANG_NL},
	    {"en;q=0", API_LANG_NL},
	    {"en;q=0.2, nl;q=0.8", API_LANG_NL},
	    {"nl;q=0.2, en;q=0.8", API_LANG_EN},
	    {"nl;q=0.5,en;q=0.5", API_LANG_NL}, /* a tie keeps the first */
	    {"english", API_LANG_NL},
	    {"en;q=bogus", API_LANG_NL},
	    {"en;q=1.5", API_LANG_NL},
	    {",,;;,=", API_LANG_NL},
	    {"*", API_LANG_NL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (api_mail_lang(cases[i].h) != cases[i].want)
			fail_msg("Accept-Language '%s'", cases[i].h ? cases[i].h : "(none)");
	}
}

static void test_url(void **state)
{
	(void)state;
	assert_true(api_mail_url_ok("smtp://127.0.0.1:25"));
	assert_true(api_mail_url_ok("smtps://mail.example.nl"));
	assert_true(api_mail_url_ok("smtp://user:pw@[::1]:587"));
	assert_false(api_mail_url_ok("http://127.0.0.1:25"));
	assert_false(api_mail_url_ok("smtp://"));
	assert_false(api_mail_url_ok("smtp:///x"));
	assert_false(api_mail_url_ok("smtp://a b"));
	assert_false(api_mail_url_ok("smtp://a\r\nb"));
	assert_false(api_mail_url_ok(NULL));
}

/* No relay configured: nothing is queued and callers learn it. */
static void test_unconfigured(void **state)
{
	struct api_ctx c;
	struct authz_ctx az;
	char tok[AUTH_TOKEN_SIZE];

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&az, 0, sizeof(az));
	auth_token_new(tok);
	assert_int_equal(api_mail_queue(NULL, "x", TO, "s", "b"), ERR_UNSUPP);
	assert_int_equal(api_mail_reset(&c, NULL, TO, tok), ERR_UNSUPP);
	assert_int_equal(api_mail_invitation(&c, NULL, &az, 1, TO, "member", tok), ERR_UNSUPP);
}

/* A listening socket on 127.0.0.1 that never accepts: connections
 * complete in the kernel's backlog and then hear nothing. */
static int blackhole(int *port)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static int log_count(FILE *log, const char *what, const char *never)
{
	char line[1024];
	int n = 0;

	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		assert_null(strstr(line, never));
		n += strstr(line, what) != NULL;
	}
	return n;
}

/* A relay that refuses connections: each delivery fails and is logged
 * (without the message), the thread goes on, free returns. */
static void test_sender_refused(void **state)
{
	struct wachter_config cfg;
	struct api_mailer *m = NULL;
	struct logger lg;
	FILE *log = tmpfile();
	char url[64];
	int i, port, fd;

	(void)state;
	assert_non_null(log);
	log_init(&lg, LOG_LVL_INFO, log);
	memset(&cfg, 0, sizeof(cfg));
	cfg.mail_starttls = WACHTER_STARTTLS_NO;
	str_lcpy(cfg.serve_listen, "127.0.0.1:8080", sizeof(cfg.serve_listen));
	assert_int_equal(api_mailer_new(&cfg, "http://127.0.0.1:1", FROM, &lg, &m), ERR_INVAL);
	assert_int_equal(api_mailer_new(&cfg, "smtp://127.0.0.1:1", "not an address", &lg, &m),
			 ERR_INVAL);
	/* A port that was free a moment ago: nothing listens there. */
	fd = blackhole(&port);
	close(fd);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
	assert_int_equal(api_mailer_new(&cfg, url, FROM, &lg, &m), 0);
	assert_int_equal(api_mail_queue(m, "test", TO, "s\r\nBcc: x", "b"), ERR_INVAL);
	for (i = 0; i < 3; i++)
		assert_int_equal(api_mail_queue(m, "test", TO, "subject", "SECRET-BODY-TOKEN\n"),
				 0);
	api_mailer_free(m);
	assert_int_equal(log_count(log, "mail delivery failed", "SECRET-BODY-TOKEN"), 3);
	fclose(log);
}

/* A relay that never answers: the queue fills up to its cap, and free
 * stops after the drain deadline (API_MAIL_DRAIN_MS): the delivery in
 * flight is aborted, the queued rest dropped and counted. */
static void test_sender_drain_deadline(void **state)
{
	struct wachter_config cfg;
	struct api_mailer *m = NULL;
	struct logger lg;
	FILE *log = tmpfile();
	char url[64], line[1024];
	int i, r, ok = 0, full = 0, port, fd, dropped = -1;

	(void)state;
	assert_non_null(log);
	log_init(&lg, LOG_LVL_INFO, log);
	memset(&cfg, 0, sizeof(cfg));
	cfg.mail_starttls = WACHTER_STARTTLS_NO;
	fd = blackhole(&port);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
	assert_int_equal(api_mailer_new(&cfg, url, FROM, &lg, &m), 0);
	for (i = 0; i < API_MAIL_QUEUE_CAP + 10; i++) {
		r = api_mail_queue(m, "test", TO, "subject", "SECRET-BODY-TOKEN\n");
		assert_true(r == 0 || r == ERR_TOO_BIG);
		ok += r == 0;
		full += r == ERR_TOO_BIG;
	}
	/* The thread holds at most one; the rest wait in the queue. */
	assert_true(ok >= API_MAIL_QUEUE_CAP && ok <= API_MAIL_QUEUE_CAP + 1);
	assert_true(full >= 9);
	api_mailer_free(m);
	close(fd);
	assert_int_equal(log_count(log, "SECRET", "SECRET-BODY-TOKEN"), 0);
	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		const char *p = strstr(line, "mail not sent at shutdown count=");

		if (p)
			dropped =
			    (int)strtol(p + strlen("mail not sent at shutdown count="), NULL, 10);
	}
	/* All but the one in flight (or all, if the thread had not taken one). */
	assert_true(dropped == ok - 1 || dropped == ok);
	assert_int_equal(log_count(log, "mail delivery failed", "SECRET-BODY-TOKEN"), ok - dropped);
	fclose(log);
}

/* Invitation mails: at most API_MAIL_INVITES_PER_HOUR per inviter, none
 * for a bad token; operators are not capped. (No store: the mail then
 * names no organisation.) */
static void test_invite_limit(void **state)
{
	struct wachter_config cfg;
	struct api_mailer *m = NULL;
	struct api_ctx c;
	struct authz_ctx az, op;
	struct logger lg;
	FILE *log = tmpfile();
	char tok[AUTH_TOKEN_SIZE], url[64];
	int i, port, fd;

	(void)state;
	assert_non_null(log);
	log_init(&lg, LOG_LVL_INFO, log);
	memset(&cfg, 0, sizeof(cfg));
	cfg.mail_starttls = WACHTER_STARTTLS_NO;
	fd = blackhole(&port);
	close(fd);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
	assert_int_equal(api_mailer_new(&cfg, url, FROM, &lg, &m), 0);
	memset(&c, 0, sizeof(c));
	c.mailer = m;
	c.lg = &lg;
	memset(&az, 0, sizeof(az));
	az.user_id = 7;
	str_lcpy(az.email, "boss@example.nl", sizeof(az.email));
	op = az;
	op.user_id = 1;
	op.operator= 1;
	auth_token_new(tok);
	assert_int_equal(api_mail_invitation(&c, NULL, &az, 1, TO, "member", "short"), ERR_INVAL);
	assert_int_equal(api_mail_invitation(&c, NULL, &az, 1, "x\r\n@y.nl", "member", tok),
			 ERR_INVAL);
	for (i = 0; i < API_MAIL_INVITES_PER_HOUR; i++)
		assert_int_equal(api_mail_invitation(&c, NULL, &az, 1, TO, "member", tok), 0);
	assert_int_equal(api_mail_invitation(&c, NULL, &az, 1, TO, "member", tok), ERR_PERM);
	for (i = 0; i < 5; i++)
		assert_int_equal(api_mail_invitation(&c, NULL, &op, 1, TO, "admin", tok), 0);
	api_mailer_free(m);
	assert_true(log_count(log, "over 30 an hour user=7", tok) == 1);
	fclose(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compose),
	    cmocka_unit_test(test_injection),
	    cmocka_unit_test(test_subject),
	    cmocka_unit_test(test_lang),
	    cmocka_unit_test(test_url),
	    cmocka_unit_test(test_unconfigured),
	    cmocka_unit_test(test_sender_refused),
	    cmocka_unit_test(test_sender_drain_deadline),
	    cmocka_unit_test(test_invite_limit),
	};
	int r;

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return r;
}
