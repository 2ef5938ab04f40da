/*
 * test_static.c: the dashboard file server's path checks (no "..", no
 * escaped separators, no hidden files, no directory listings), content
 * types, which requests it takes, and opening the UI directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "server/static_int.h"

static int resolve(const char *p, char *out, size_t size)
{
	return srv_static_resolve(p, strlen(p), out, size);
}

static void test_resolve_ok(void **state)
{
	char out[SRV_STATIC_PATH_MAX];

	(void)state;
	assert_int_equal(resolve("/", out, sizeof(out)), 0);
	assert_string_equal(out, "index.html");
	assert_int_equal(resolve("/favicon.svg", out, sizeof(out)), 0);
	assert_string_equal(out, "favicon.svg");
	assert_int_equal(resolve("/assets/index-B8aL.js", out, sizeof(out)), 0);
	assert_string_equal(out, "assets/index-B8aL.js");
	assert_int_equal(resolve("/a%20b/c%41", out, sizeof(out)), 0);
	assert_string_equal(out, "a b/cA");
	assert_int_equal(resolve("/x..y", out, sizeof(out)), 0); /* dots inside are fine */
	assert_string_equal(out, "x..y");
}

static void test_resolve_refused(void **state)
{
	static const char *const bad[] = {
	    "/..",
	    "/../etc/passwd",
	    "/assets/../../etc/passwd",
	    "/%2e%2e/etc/passwd",
	    "/%2E%2E%2Fetc%2Fpasswd",
	    "/..%2f..%2fetc/passwd",
	    "/assets/..%5c..%5cpasswd",
	    "/a\\..\\b",
	    "/./index.html",
	    "/.git/config",
	    "/.env",
	    "/assets/%00x.js",
	    "/a%2fb",
	    "/a%2Fb",
	    "/a//b",
	    "/assets/",
	    "/%",
	    "/%4",
	    "/%zz",
	    "/a%0ab",
	    "",
	    "index.html",
	};
	char out[SRV_STATIC_PATH_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = resolve(bad[i], out, sizeof(out));

		if (r == 0)
			fail_msg("accepted '%s' as '%s'", bad[i], out);
	}
}

static void test_resolve_caps(void **state)
{
	char big[2 * SRV_STATIC_PATH_MAX], out[SRV_STATIC_PATH_MAX], small[8];

	(void)state;
	big[0] = '/';
	memset(big + 1, 'a', sizeof(big) - 2);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(resolve(big, out, sizeof(out)), ERR_TOO_BIG);
	assert_int_equal(resolve("/", small, sizeof(small)), ERR_TOO_BIG);
	/* The cap applies to the decoded bytes and leaves room for the NUL. */
	assert_int_equal(srv_static_resolve("/abcdefghijk", 12, out, 11), ERR_TOO_BIG);
	assert_int_equal(srv_static_resolve("/abcdefghijk", 12, out, 12), 0);
}

static void test_types(void **state)
{
	(void)state;
	assert_string_equal(srv_static_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(srv_static_type("assets/a.JS"), "text/javascript; charset=utf-8");
	assert_string_equal(srv_static_type("assets/a.css"), "text/css; charset=utf-8");
	assert_string_equal(srv_static_type("f.svg"), "image/svg+xml");
	assert_string_equal(srv_static_type("f.woff2"), "font/woff2");
	assert_string_equal(srv_static_type("js"), "application/octet-stream");
	assert_string_equal(srv_static_type("x.exe"), "application/octet-stream");
}

static void test_wants(void **state)
{
	(void)state;
	assert_int_equal(srv_static_wants("GET", "/", 1), 1);
	assert_int_equal(srv_static_wants("HEAD", "/orgs/7", 7), 1);
	assert_int_equal(srv_static_wants("GET", "/apis", 5), 1);
	assert_int_equal(srv_static_wants("GET", "/api", 4), 0);
	assert_int_equal(srv_static_wants("GET", "/api/nope", 9), 0);
	assert_int_equal(srv_static_wants("GET", "/healthz", 8), 0);
	assert_int_equal(srv_static_wants("POST", "/", 1), 0);
	assert_int_equal(srv_static_wants("DELETE", "/orgs", 5), 0);
}

static void test_open(void **state)
{
	const char *tmp = getenv("WACHTER_TMP");
	char dir[512], file[600], cwd[1024];
	struct srv_static *ss = NULL;
	FILE *fp;

	(void)state;
	assert_non_null(tmp);
	snprintf(dir, sizeof(dir), "%s/static-%ld", tmp, (long)getpid());
	assert_int_equal(mkdir(tmp, 0700) == 0 || access(tmp, W_OK) == 0, 1);
	assert_int_equal(mkdir(dir, 0700), 0);
	/* Explicit directory without index.html: refused. */
	assert_int_equal(srv_static_open(dir, NULL, &ss), ERR_NOTFOUND);
	assert_null(ss);
	assert_int_equal(srv_static_open("/nonexistent/wachter-ui", NULL, &ss), ERR_NOTFOUND);
	/* The default (ui/dist under the working directory) may be absent. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(srv_static_open(NULL, NULL, &ss), 0);
	assert_null(ss);
	assert_int_equal(chdir(cwd), 0);
	snprintf(file, sizeof(file), "%s/index.html", dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fputs("<!doctype html>\n", fp);
	fclose(fp);
	assert_int_equal(srv_static_open(dir, NULL, &ss), 0);
	assert_non_null(ss);
	srv_static_free(ss);
	srv_static_free(NULL);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_resolve_ok),	 cmocka_unit_test(test_resolve_refused),
	    cmocka_unit_test(test_resolve_caps), cmocka_unit_test(test_types),
	    cmocka_unit_test(test_wants),	 cmocka_unit_test(test_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
