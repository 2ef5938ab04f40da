/*
 * test_config_program.c: the wachter program's own table: it is well formed,
 * its defaults are what the docs promise, its validators accept and refuse
 * the right values, and docs/configuration.md is what the table generates
 * (WACHTER_UPDATE_DOCS=1 rewrites it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "config/config_int.h"

static struct wachter_config *new_defaults(void)
{
	struct wachter_config *c = calloc(1, sizeof(*c));
	struct buf err = BUF_INIT;
	size_t n;
	const struct config_opt *t = wachter_config_table(&n);

	assert_non_null(c);
	assert_int_equal(config_defaults(t, n, c, &err), 0);
	buf_release(&err);
	return c;
}

static void test_table_and_defaults(void **state)
{
	struct buf err = BUF_INIT;
	size_t n;
	const struct config_opt *t = wachter_config_table(&n);
	struct wachter_config *c;

	(void)state;
	assert_int_equal(config_table_check(t, n, &err), 0);
	c = new_defaults();
	assert_int_equal(c->log_level, LOG_LVL_INFO);
	assert_string_equal(c->log_file, "");
	assert_string_equal(c->store_url, "sqlite:var/wachter.db");
	assert_int_equal(c->store_busy_timeout_ms, 5000);
	assert_string_equal(c->feeds_dir, "../shared/data/vuln");
	assert_string_equal(c->scan_ports, "top100");
	assert_int_equal(c->scan_concurrency, 2048);
	assert_int_equal(c->scan_rate_per_target, 0);
	assert_int_equal(c->scan_timeout_ms, 1500);
	assert_int_equal(c->scan_retries, 1);
	assert_string_equal(c->scan_ca_file, "");
	assert_string_equal(c->scan_resolver, "");
	assert_int_equal(c->scan_lang, WACHTER_LANG_NL);
	assert_string_equal(c->scan_user_agent, "wachter/" WACHTER_VERSION);
	assert_string_equal(c->serve_listen, "127.0.0.1:8080");
	assert_int_equal(c->serve_threads, 4);
	assert_string_equal(c->serve_public_url, "");
	free(c);
	buf_release(&err);
}

struct set_case {
	const char *name, *value;
	int ok;
};

static const struct set_case set_cases[] = {
    {"log.level", "debug", 1},
    {"log.level", "trace", 0},
    {"store.url", "sqlite:/var/lib/wachter/w.db", 1},
    {"store.url", "postgresql://wachter@127.0.0.1/wachter", 1},
    {"store.url", "postgres://u:p@localhost:5432/db", 1},
    {"store.url", "mysql://x", 0},
    {"store.url", "sqlite:", 0},
    {"store.busy_timeout_ms", "0", 1},
    {"store.busy_timeout_ms", "11m", 0},
    {"scan.ports", "top1000", 1},
    {"scan.ports", "all", 1},
    {"scan.ports", "22,80,443,8000-8100", 1},
    {"scan.ports", "22, 80", 1},
    {"scan.ports", "0", 0},
    {"scan.ports", "70000", 0},
    {"scan.ports", "80-22", 0},
    {"scan.ports", "http", 0},
    {"scan.ports", "", 0},
    {"scan.concurrency", "1", 1},
    {"scan.concurrency", "65536", 1},
    {"scan.concurrency", "0", 0},
    {"scan.concurrency", "65537", 0},
    {"scan.rate_per_target", "0", 1},
    {"scan.rate_per_target", "-1", 0},
    {"scan.timeout_ms", "250ms", 1},
    {"scan.timeout_ms", "0", 0},
    {"scan.retries", "5", 1},
    {"scan.retries", "6", 0},
    {"scan.resolver", "", 1},
    {"scan.resolver", "127.0.0.1", 1},
    {"scan.resolver", "127.0.0.1:5353", 1},
    {"scan.resolver", "::1", 1},
    {"scan.resolver", "[::1]:53", 1},
    {"scan.resolver", "dns.example", 0},
    {"scan.resolver", "127.0.0.1:0", 0},
    {"scan.resolver", "127.0.0.1:99999", 0},
    {"scan.lang", "EN", 1},
    {"scan.lang", "de", 0},
    {"scan.user_agent", "wachter/1.0 (+https://example.nl/scan)", 1},
    {"scan.user_agent", "a\r\nX-Injected: 1", 0},
    {"scan.user_agent", "", 0},
    {"serve.listen", "0.0.0.0:443", 1},
    {"serve.listen", "[::1]:8080", 1},
    {"serve.listen", "localhost:8080", 1},
    {"serve.listen", "127.0.0.1", 0},
    {"serve.listen", "127.0.0.1:", 0},
    {"serve.listen", "[::1]", 0},
    {"serve.listen", "[nope]:80", 0},
    {"serve.listen", "::1:80", 0},
    {"serve.listen", "a b:80", 0},
    {"serve.threads", "1024", 1},
    {"serve.threads", "0", 0},
    {"serve.public_url", "https://wachter.example.nl", 1},
    {"serve.public_url", "", 1},
    {"serve.public_url", "ftp://x", 0},
    {"serve.public_url", "https://a b", 0},
    {"serve.public_url", "https://", 0},
};

static void test_validators(void **state)
{
	size_t n, i;
	const struct config_opt *t = wachter_config_table(&n);
	struct buf err = BUF_INIT;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(set_cases); i++) {
		struct wachter_config *c = new_defaults();
		const struct set_case *sc = &set_cases[i];
		int r = config_set(t, n, c, sc->name, sc->value, strlen(sc->value), &err);

		print_message("%s = '%s' -> %d %s\n", sc->name, sc->value, r, r ? err.ptr : "");
		if (sc->ok)
			assert_int_equal(r, 0);
		else
			assert_int_not_equal(r, 0);
		free(c);
	}
	buf_release(&err);
}

static const char *tmpdir(void)
{
	const char *t = getenv("WACHTER_TMP");

	if (!t)
		t = "/tmp";
	mkdir(t, 0700);
	return t;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void test_check_file(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"[scan]\ntimeout_ms = 5s\nports = 22,443\n", NULL},
	    {"[scan]\n\n\n\n\n\ntimeout = 5\n", ":7: unknown key 'timeout' in section [scan]"},
	    {"[scan]\ntimeout_ms = abc\n", ":2: value 'abc' for scan.timeout_ms is not a duration"},
	    {"[serve]\nlisten 8080\n", ":2: expected 'key = value'"},
	    {"[scan]\nports = 1-2-3\n", ":2: invalid value '1-2-3' for scan.ports: "},
	    {"[serve]\ntls_cert = /etc/c.pem\n",
	     ": serve.tls_cert and serve.tls_key must be set together"},
	};
	char path[512], want[700];
	struct buf err = BUF_INIT;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/test_config_program.conf", tmpdir());
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int r;

		write_file(path, cases[i].text);
		r = wachter_config_check_file(path, &err);
		print_message("check %zu: %d %s\n", i, r, err.ptr);
		if (!cases[i].msg) {
			assert_int_equal(r, 0);
			continue;
		}
		assert_int_not_equal(r, 0);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].msg);
		assert_memory_equal(err.ptr, want, strlen(want));
	}
	remove(path);
	buf_release(&err);
}

static void test_load(void **state)
{
	char *envp[] = {"WACHTER_SCAN_TIMEOUT_MS=5s", "WACHTER_SRC=/src", "WACHTER_LOG_LEVEL=warn",
			NULL};
	char *argv[] = {"--log.level=debug", "--scan.lang", "en", "scan", "example.nl", NULL};
	enum config_source src[64];
	struct config_load ld = {0};
	struct wachter_config *c = calloc(1, sizeof(*c));
	struct buf err = BUF_INIT, out = BUF_INIT;
	size_t n;
	const struct config_opt *t = wachter_config_table(&n);

	(void)state;
	assert_non_null(c);
	assert_true(n <= ARRAY_SIZE(src));
	ld.envp = envp;
	ld.argc = 5;
	ld.argv = argv;
	ld.src = src;
	assert_int_equal(wachter_config_load(c, &ld, &err), 0);
	assert_int_equal(ld.first_operand, 3);
	assert_int_equal(c->scan_timeout_ms, 5000);
	assert_int_equal(c->log_level, LOG_LVL_DEBUG);
	assert_int_equal(c->scan_lang, WACHTER_LANG_EN);
	assert_int_equal(config_show(t, n, c, src, &out), 0);
	assert_non_null(strstr(out.ptr, "[log]\nlevel = debug  # flag\nfile = \"\"  # default\n"));
	assert_non_null(strstr(out.ptr, "timeout_ms = 5s  # env\n"));
	buf_release(&err);
	buf_release(&out);
	free(c);
}

/* The sample config, uncommented, loads and gives the defaults. */
static void test_sample(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct wachter_config *def = new_defaults(), *c = new_defaults();
	size_t n, i;
	const struct config_opt *t = wachter_config_table(&n);
	char *p;

	(void)state;
	assert_int_equal(config_sample(t, n, &out), 0);
	for (i = 0; i < n; i++) {
		const char *key = strchr(t[i].name, '.') + 1;
		char line[128];

		snprintf(line, sizeof(line), "\n#%s = ", key);
		assert_non_null(strstr(out.ptr, line));
	}
	for (p = out.ptr; (p = strstr(p, "\n#")) != NULL; p++)
		if (p[2] >= 'a' && p[2] <= 'z')
			p[1] = ' ';
	assert_int_equal(config_load_buf(t, n, c, "sample", out.ptr, out.len, NULL, &err), 0);
	assert_memory_equal(c, def, sizeof(*c));

	buf_reset(&out);
	assert_int_equal(wachter_config_help(&out), 0);
	assert_non_null(strstr(out.ptr, "  --scan.timeout-ms=DURATION"));
	assert_non_null(strstr(out.ptr, "  --log.level=error|warn|info|debug"));
	for (p = out.ptr; *p; p++) {
		size_t w = strcspn(p, "\n");

		assert_true(w <= 100);
		p += w;
		if (!*p)
			break;
	}
	free(def);
	free(c);
	buf_release(&out);
	buf_release(&err);
}

/* store.url may carry a password: never in messages, masked by show. */
static void test_secret(void **state)
{
	static const struct {
		const char *url, *shown;
	} cases[] = {
	    {"postgresql://wachter:hunter2@127.0.0.1/w", "postgresql://wachter:***@127.0.0.1/w"},
	    {"postgresql://wachter@127.0.0.1/w", "postgresql://wachter@127.0.0.1/w"},
	    {"postgres://a:hunter2@h/db?x=@y", "postgres://a:***@h/db?x=@y"},
	    {"postgres://h/db?password=hunter2", "postgres://h/db?password=***"},
	    {"postgres://u:pw@h/db?sslmode=require&password=hunter2&x=1",
	     "postgres://u:***@h/db?sslmode=require&password=***&x=1"},
	    {"sqlite:var/w.db", "sqlite:var/w.db"},
	};
	struct wachter_config *c = new_defaults();
	struct buf err = BUF_INIT, out = BUF_INIT;
	size_t n, i;
	const struct config_opt *t = wachter_config_table(&n);
	char want[256];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(
		    config_set(t, n, c, "store.url", cases[i].url, strlen(cases[i].url), &err), 0);
		buf_reset(&out);
		assert_int_equal(config_show(t, n, c, NULL, &out), 0);
		snprintf(want, sizeof(want), "\nurl = %s\n", cases[i].shown);
		print_message("%s", out.ptr);
		assert_non_null(strstr(out.ptr, want));
	}
	assert_int_not_equal(config_set(t, n, c, "store.url", "mysql://u:hunter2@h", 19, &err), 0);
	assert_string_equal(err.ptr, "invalid value for store.url: expected sqlite:PATH or "
				     "postgresql://...");
	assert_int_not_equal(config_set(t, n, c, "store.url", "zzq\x01", 4, &err), 0);
	assert_null(strstr(err.ptr, "zzq"));
	free(c);
	buf_release(&out);
	buf_release(&err);
}

static void test_docs_current(void **state)
{
	const char *srcdir = getenv("WACHTER_SRC");
	struct buf md = BUF_INIT, cur = BUF_INIT;
	char path[1024], chunk[4096];
	size_t got;
	FILE *fp;

	(void)state;
	assert_non_null(srcdir);
	snprintf(path, sizeof(path), "%s/docs/configuration.md", srcdir);
	assert_int_equal(wachter_config_markdown(&md), 0);
	if (getenv("WACHTER_UPDATE_DOCS")) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		assert_int_equal(fwrite(md.ptr, 1, md.len, fp), md.len);
		assert_int_equal(fclose(fp), 0);
	}
	fp = fopen(path, "r");
	if (!fp)
		fail_msg("%s missing: run scripts/gen-config-docs", path);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(buf_add(&cur, chunk, got), 0);
	fclose(fp);
	if (strcmp(cur.ptr, md.ptr) != 0)
		fail_msg("%s is out of date: run scripts/gen-config-docs", path);
	buf_release(&md);
	buf_release(&cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_and_defaults),
	    cmocka_unit_test(test_validators),
	    cmocka_unit_test(test_check_file),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_sample),
	    cmocka_unit_test(test_secret),
	    cmocka_unit_test(test_docs_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
