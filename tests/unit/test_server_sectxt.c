/*
 * test_server_sectxt.c: the server's own /.well-known/security.txt
 * (src/server/sectxt.c): its fields, Expires a year ahead of the request
 * time, Canonical from serve.public_url, and that wachter's own
 * security.txt rule (HDR-09, web_sectxt_problem) finds nothing wrong;
 * which requests it answers; a contact that could add a line refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "core/core.h"
#include "server/sectxt_int.h"
#include "web/web_int.h"

static void cfg_init(struct wachter_config *cfg, const char *contact, const char *pub)
{
	memset(cfg, 0, sizeof(*cfg));
	str_lcpy(cfg->serve_security_contact, contact, sizeof(cfg->serve_security_contact));
	str_lcpy(cfg->serve_public_url, pub, sizeof(cfg->serve_public_url));
}

/* The body for cfg at now passes HDR-09 when fetched from url. */
static const char *problem(const struct wachter_config *cfg, time_t now, const char *url,
			   struct buf *b, time_t at)
{
	static char why[128];
	struct web_sectxt s;
	const char *p;

	buf_reset(b);
	assert_int_equal(srv_sectxt_body(cfg, now, b), 0);
	web_sectxt_init(&s);
	assert_int_equal(web_sectxt_parse(b->ptr, b->len, &s), 0);
	p = web_sectxt_problem(&s, url, at);
	str_lcpy(why, p ? p : "", sizeof(why));
	web_sectxt_release(&s);
	return p ? why : NULL;
}

static void test_body(void **state)
{
	struct wachter_config cfg;
	struct buf b = BUF_INIT;
	const time_t now = 1764374400; /* 2025-11-29T00:00:00Z */
	const char *url = "https://wachter.example.nl/.well-known/security.txt";

	(void)state;
	cfg_init(&cfg, "mailto:security@example.nl", "https://wachter.example.nl/");
	assert_null(problem(&cfg, now, url, &b, now));
	assert_string_equal(b.ptr,
			    "# Security contact of this wachter server (RFC 9116).\n"
			    "Contact: mailto:security@example.nl\n"
			    "Expires: 2026-11-29T00:00:00Z\n"
			    "Preferred-Languages: nl, en\n"
			    "Canonical: https://wachter.example.nl/.well-known/security.txt\n");
	/* Fetched from another URL than the canonical one: the rule says so. */
	assert_non_null(
	    problem(&cfg, now, "http://127.0.0.1:8080/.well-known/security.txt", &b, now));
	/* Without a public URL there is no Canonical, and any URL is fine. */
	cfg_init(&cfg, "https://example.nl/security", "");
	assert_null(problem(&cfg, now, "http://127.0.0.1:8080/.well-known/security.txt", &b, now));
	assert_null(strstr(b.ptr, "Canonical"));
	/* Expires follows the request time: a body made a year and a day ago
	 * has expired, one made now is valid. */
	assert_non_null(problem(&cfg, now - 366 * 86400, NULL, &b, now));
	assert_null(problem(&cfg, now, NULL, &b, now));
	buf_release(&b);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
	    "",
	    "mailto:a@example.nl\nContact: mailto:eve@example.nl",
	    "mailto:a@example.nl\r\nX: y",
	    "mailto:a b@example.nl",
	};
	struct wachter_config cfg;
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cfg_init(&cfg, bad[i], "");
		buf_reset(&b);
		assert_int_equal(srv_sectxt_body(&cfg, 1764374400, &b), ERR_INVAL);
	}
	cfg_init(&cfg, "mailto:a@example.nl", "https://x.example.nl\n");
	assert_int_equal(srv_sectxt_body(&cfg, 1764374400, &b), ERR_INVAL);
	buf_release(&b);
}

static void test_wants(void **state)
{
	struct wachter_config cfg;
	const char *p = SRV_SECTXT_PATH;

	(void)state;
	cfg_init(&cfg, "mailto:a@example.nl", "");
	assert_true(srv_sectxt_wants(&cfg, "GET", p, strlen(p)));
	assert_true(srv_sectxt_wants(&cfg, "HEAD", p, strlen(p)));
	assert_false(srv_sectxt_wants(&cfg, "POST", p, strlen(p)));
	assert_false(srv_sectxt_wants(&cfg, "GET", "/.well-known/security.txtx", 26));
	assert_false(srv_sectxt_wants(&cfg, "GET", "/security.txt", 13));
	assert_false(srv_sectxt_wants(&cfg, "GET", "/.well-known/security.tx", 24));
	cfg_init(&cfg, "", "");
	assert_false(srv_sectxt_wants(&cfg, "GET", p, strlen(p)));
	assert_false(srv_sectxt_wants(NULL, "GET", p, strlen(p)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_body),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_wants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
