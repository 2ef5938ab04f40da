/*
 * test_config.c: the configuration table machinery on a demo table: value
 * parsers, the INI reader (every error as "file:line: message"), environment
 * and flags, precedence, and the generators reading back what they write.
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

struct demo {
	char name[16];
	int64_t count;
	bool flag;
	int64_t timeout_ms;
	int level;
	char path[32];
	int64_t buf_size;
};

static const char *const levels[] = {"low", "mid", "high", NULL};

static int no_leading_x(const void *field, struct buf *err)
{
	if (((const char *)field)[0] != 'x')
		return 0;
	return buf_adds(err, "must not start with x") ? ERR_NOMEM : ERR_INVAL;
}

#define D(m) CONFIG_AT(struct demo, m)
static const struct config_opt demo[] = {
    {.name = "main.name",
     .type = CONFIG_STR,
     D(name),
     .def = "demo",
     .validate = no_leading_x,
     .help = "A name."},
    {.name = "main.count",
     .type = CONFIG_INT,
     D(count),
     .def = "3",
     .min = 0,
     .max = 10,
     .help = "A count."},
    {.name = "main.flag", .type = CONFIG_BOOL, D(flag), .def = "no", .help = "A flag."},
    {.name = "net.timeout_ms",
     .type = CONFIG_DURATION_MS,
     D(timeout_ms),
     .def = "1500ms",
     .min = 1,
     .max = 3600000,
     .help = "A timeout."},
    {.name = "net.level",
     .type = CONFIG_ENUM,
     D(level),
     .def = "mid",
     .choices = levels,
     .help = "A level."},
    {.name = "net.path", .type = CONFIG_PATH, D(path), .def = "", .help = "A path."},
    {.name = "net.buf_size",
     .type = CONFIG_SIZE,
     D(buf_size),
     .def = "64k",
     .min = 0,
     .max = (int64_t)1 << 30,
     .help = "A size."},
};
#define N ARRAY_SIZE(demo)

static void defaults(struct demo *d)
{
	struct buf err = BUF_INIT;

	memset(d, 0, sizeof(*d));
	assert_int_equal(config_defaults(demo, N, d, &err), 0);
	buf_release(&err);
}

static void test_table(void **state)
{
	struct buf err = BUF_INIT;
	struct demo d;

	(void)state;
	assert_int_equal(config_table_check(demo, N, &err), 0);
	defaults(&d);
	assert_string_equal(d.name, "demo");
	assert_int_equal(d.count, 3);
	assert_false(d.flag);
	assert_int_equal(d.timeout_ms, 1500);
	assert_int_equal(d.level, 1);
	assert_string_equal(d.path, "");
	assert_int_equal(d.buf_size, 65536);
	buf_release(&err);
}

struct num_case {
	const char *in;
	int rc;
	int64_t want;
};

static void test_durations(void **state)
{
	static const struct num_case cases[] = {
	    {"250ms", 0, 250},
	    {"5s", 0, 5000},
	    {"2m", 0, 120000},
	    {"1h", 0, 3600000},
	    {"1d", 0, 86400000},
	    {"1m30s", 0, 90000},
	    {"1h0m5s250ms", 0, 3605250},
	    {"1500", 0, 1500},
	    {"0", 0, 0},
	    {"9223372036854775807ms", 0, INT64_MAX},
	    {"9223372036854775807s", ERR_RANGE, 0},
	    {"99999999999999999999", ERR_RANGE, 0},
	    {"", ERR_PARSE, 0},
	    {"abc", ERR_PARSE, 0},
	    {"5x", ERR_PARSE, 0},
	    {"s", ERR_PARSE, 0},
	    {"-5s", ERR_PARSE, 0},
	    {"5 s", ERR_PARSE, 0},
	    {"1s5", ERR_PARSE, 0},
	    {"1.5s", ERR_PARSE, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int64_t v = -1;
		int r = config_parse_duration(cases[i].in, strlen(cases[i].in), &v);

		print_message("duration '%s'\n", cases[i].in);
		assert_int_equal(r, cases[i].rc);
		if (r == 0)
			assert_int_equal(v, cases[i].want);
	}
}

static void test_sizes(void **state)
{
	static const struct num_case cases[] = {
	    {"512", 0, 512},	      {"0", 0, 0},	     {"64k", 0, 65536},
	    {"64K", 0, 65536},	      {"10M", 0, 10485760},  {"1G", 0, 1073741824},
	    {"1T", 0, 1099511627776}, {"64KiB", 0, 65536},   {"64kb", 0, 65536},
	    {"10MB", 0, 10485760},    {"100B", 0, 100},	     {"8388608T", ERR_RANGE, 0},
	    {"", ERR_PARSE, 0},	      {"k", ERR_PARSE, 0},   {"1x", ERR_PARSE, 0},
	    {"10Mi", ERR_PARSE, 0},   {"1 k", ERR_PARSE, 0}, {"-1", ERR_PARSE, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int64_t v = -1;
		int r = config_parse_size(cases[i].in, strlen(cases[i].in), &v);

		print_message("size '%s'\n", cases[i].in);
		assert_int_equal(r, cases[i].rc);
		if (r == 0)
			assert_int_equal(v, cases[i].want);
	}
}

static void test_bools(void **state)
{
	static const struct {
		const char *in;
		int rc;
		bool want;
	} cases[] = {
	    {"yes", 0, true},	 {"no", 0, false},	 {"true", 0, true},  {"false", 0, false},
	    {"on", 0, true},	 {"off", 0, false},	 {"1", 0, true},     {"0", 0, false},
	    {"YES", 0, true},	 {"Off", 0, false},	 {"", ERR_PARSE, 0}, {"2", ERR_PARSE, 0},
	    {"y", ERR_PARSE, 0}, {"yess", ERR_PARSE, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool v = false;
		int r = config_parse_bool(cases[i].in, strlen(cases[i].in), &v);

		print_message("bool '%s'\n", cases[i].in);
		assert_int_equal(r, cases[i].rc);
		if (r == 0)
			assert_int_equal(v, cases[i].want);
	}
}

static void test_format(void **state)
{
	static const struct {
		int64_t v;
		const char *dur, *size;
	} cases[] = {
	    {0, "0ms", "0"},
	    {1, "1ms", "1"},
	    {1500, "1500ms", "1500"},
	    {5000, "5s", "5000"},
	    {90000, "90s", "90000"},
	    {120000, "2m", "120000"},
	    {86400000, "1d", "84375k"},
	    {1024, "1024ms", "1k"},
	    {65536, "65536ms", "64k"},
	    {10485760, "10485760ms", "10M"},
	    {3 * 1073741824LL, "3221225472ms", "3G"},
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&b);
		assert_int_equal(config_format_duration(cases[i].v, &b), 0);
		assert_string_equal(b.ptr, cases[i].dur);
		buf_reset(&b);
		assert_int_equal(config_format_size(cases[i].v, &b), 0);
		assert_string_equal(b.ptr, cases[i].size);
	}
	buf_release(&b);
}

struct load_case {
	const char *text;
	size_t len; /* 0 = strlen */
	int rc;
	const char *msg; /* error, or "key=formatted value" on success */
};

#define A16 "aaaaaaaaaaaaaaaa"
#define LONG_A A16 A16 A16 A16 A16 "aaaaaaaaaaaaaa" /* 94 bytes */

static const struct load_case load_cases[] = {
    /* values and syntax that load */
    {"[main]\ncount = 7\n", 0, 0, "main.count=7"},
    {"  [ main ]  \n  count   =   7   \n", 0, 0, "main.count=7"},
    {"[MAIN]\nCount = 7\n", 0, 0, "main.count=7"},
    {"[main]\ncount = 5", 0, 0, "main.count=5"},
    {"[main]\r\ncount = 4\r\n", 0, 0, "main.count=4"},
    {"\xef\xbb\xbf[main]\nflag = on\n", 0, 0, "main.flag=true"},
    {"; c\n# c\n[net]\nlevel = HIGH\n", 0, 0, "net.level=high"},
    {"[net]\nbuf-size = 10M\n", 0, 0, "net.buf_size=10M"},
    {"[net]\ntimeout_ms = 1m30s # inline\n", 0, 0, "net.timeout_ms=90s"},
    {"[main]\nname = hello # comment\n", 0, 0, "main.name=hello"},
    {"[main]\nname = hello ; comment\n", 0, 0, "main.name=hello"},
    {"[main]\nname = a#b;c\n", 0, 0, "main.name=a#b;c"},
    {"[main]\nname = \"a b # c\"\n", 0, 0, "main.name=a b # c"},
    {"[main]\nname = \"q\\\"\\\\\\t\\x41\" # c\n", 0, 0, "main.name=q\"\\\tA"},
    {"[main]\nname = 'q\\n x'\n", 0, 0, "main.name=q\\n x"},
    {"[main]\nname = \"  sp  \"\n", 0, 0, "main.name=  sp  "},
    {"[main]\nname =\n", 0, 0, "main.name="},
    {"[main]\nname = # only a comment\n", 0, 0, "main.name="},
    {"[net]\npath = C:\\dir\\f\n", 0, 0, "net.path=C:\\dir\\f"},
    {"[main]\n[net]\n[main]\ncount=2\n", 0, 0, "main.count=2"},
    {"[main]\ncount = -0\n", 0, 0, "main.count=0"},
    {"[main]\n#" LONG_A "\n", 0, 0, "main.count=3"},
    {"", 0, 0, "main.count=3"},
    /* errors, each as file:line: message */
    {"\xef\xbb\xbf bad\n", 0, ERR_PARSE, "t.conf:1: expected 'key = value'"},
    {"[main]\r\n\r\ncount\r\n", 0, ERR_PARSE, "t.conf:3: expected 'key = value'"},
    {"[main]\ncount = abc\n", 0, ERR_INVAL,
     "t.conf:2: value 'abc' for main.count is not an integer"},
    {"[main]\ncount = 11\n", 0, ERR_RANGE,
     "t.conf:2: value '11' for main.count is out of range 0..10"},
    {"[main]\ncount = -1\n", 0, ERR_RANGE,
     "t.conf:2: value '-1' for main.count is out of range 0..10"},
    {"[main]\ncount = 99999999999999999999\n", 0, ERR_RANGE,
     "t.conf:2: value '99999999999999999999' for main.count is out of range 0..10"},
    {"[main]\ncount = 1 2\n", 0, ERR_INVAL,
     "t.conf:2: value '1 2' for main.count is not an integer"},
    {"[net]\ntimeout_ms = abc\n", 0, ERR_INVAL,
     "t.conf:2: value 'abc' for net.timeout_ms is not a duration"},
    {"[net]\ntimeout_ms = 0s\n", 0, ERR_RANGE,
     "t.conf:2: value '0s' for net.timeout_ms is out of range 1ms..1h"},
    {"[net]\nbuf_size = 2G\n", 0, ERR_RANGE,
     "t.conf:2: value '2G' for net.buf_size is out of range 0..1G"},
    {"[net]\nbuf_size = lots\n", 0, ERR_INVAL,
     "t.conf:2: value 'lots' for net.buf_size is not a size"},
    {"[net]\nlevel = extreme\n", 0, ERR_INVAL,
     "t.conf:2: value 'extreme' for net.level is not one of low|mid|high"},
    {"[main]\nflag = maybe\n", 0, ERR_INVAL,
     "t.conf:2: value 'maybe' for main.flag is not a boolean (yes/no, true/false, on/off, "
     "1/0)"},
    {"[main]\n\n# c\ntimeout = 5\n", 0, ERR_INVAL,
     "t.conf:4: unknown key 'timeout' in section [main]"},
    {"[bogus]\n", 0, ERR_INVAL, "t.conf:1: unknown section [bogus]"},
    {"[main]\ncount 5\n", 0, ERR_PARSE, "t.conf:2: expected 'key = value'"},
    {"[main]\n= 5\n", 0, ERR_PARSE, "t.conf:2: expected 'key = value'"},
    {"[main]\nco unt = 5\n", 0, ERR_PARSE, "t.conf:2: invalid key 'co unt'"},
    {"[main]\ncount = 1\ncount = 2\n", 0, ERR_INVAL,
     "t.conf:3: duplicate key 'count' in section [main] (first on line 2)"},
    {"[main]\ncount = 1\n[main]\nCOUNT = 2\n", 0, ERR_INVAL,
     "t.conf:4: duplicate key 'COUNT' in section [main] (first on line 2)"},
    {"count = 1\n", 0, ERR_PARSE, "t.conf:1: key 'count' outside of any [section]"},
    {"[main\n", 0, ERR_PARSE, "t.conf:1: expected ']' after section name"},
    {"[main] x\n", 0, ERR_PARSE, "t.conf:1: unexpected text after section header"},
    {"[main] # ok\n[]\n", 0, ERR_PARSE, "t.conf:2: invalid section name ''"},
    {"[a.b]\n", 0, ERR_PARSE, "t.conf:1: invalid section name 'a.b'"},
    {"[main]\nname = \"abc\n", 0, ERR_PARSE, "t.conf:2: unterminated quoted value"},
    {"[main]\nname = \"abc\\\"\n", 0, ERR_PARSE, "t.conf:2: unterminated quoted value"},
    {"[main]\nname = 'abc\n", 0, ERR_PARSE, "t.conf:2: unterminated quoted value"},
    {"[main]\nname = \"a\\qb\"\n", 0, ERR_PARSE, "t.conf:2: unknown escape in quoted value"},
    {"[main]\nname = \"\\x00\"\n", 0, ERR_PARSE, "t.conf:2: invalid \\x escape in quoted value"},
    {"[main]\nname = \"\\x4\"\n", 0, ERR_PARSE, "t.conf:2: invalid \\x escape in quoted value"},
    {"[main]\nname = \"ab\" c\n", 0, ERR_PARSE, "t.conf:2: unexpected text after closing quote"},
    {"[main]\nname = abcdefghijklmnopq\n", 0, ERR_TOO_BIG,
     "t.conf:2: value for main.name is too long (max 15 bytes)"},
    {"[main]\nname = xyz\n", 0, ERR_INVAL,
     "t.conf:2: invalid value 'xyz' for main.name: must not start with x"},
    {"[main]\nna\0me = 1\n", 15, ERR_PARSE, "t.conf:2: NUL byte in line"},
    {"[main]\ncount = \x01\xff\n", 0, ERR_INVAL,
     "t.conf:2: value '\\x01\\xff' for main.count is not an integer"},
    {"[main]\ncount = " LONG_A "\n", 0, ERR_INVAL,
     "t.conf:2: value '" A16 A16 A16 A16 "...' for main.count is not an integer"},
};

static void check_load(const struct load_case *c)
{
	struct buf err = BUF_INIT, v = BUF_INIT;
	struct demo d;
	size_t len = c->len ? c->len : strlen(c->text);
	int r;

	defaults(&d);
	print_message("load: %s\n", c->msg);
	r = config_load_buf(demo, N, &d, "t.conf", c->text, len, NULL, &err);
	if (r != c->rc)
		print_error("got %d '%s'\n", r, err.ptr);
	assert_int_equal(r, c->rc);
	if (r) {
		assert_string_equal(err.ptr, c->msg);
	} else {
		const char *eq = strchr(c->msg, '=');
		const struct config_opt *o = config_find(demo, N, c->msg, (size_t)(eq - c->msg));

		assert_non_null(o);
		assert_int_equal(config_format_value(o, &d, &v), 0);
		assert_string_equal(v.ptr, eq + 1);
	}
	buf_release(&err);
	buf_release(&v);
}

static void test_load_buf(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(load_cases); i++)
		check_load(&load_cases[i]);
}

/* The line cap: 4096 bytes load, 4097 do not; also on the last line. */
static void test_line_cap(void **state)
{
	char *text = malloc(8200);
	struct buf err = BUF_INIT;
	struct demo d;
	size_t base = strlen("[main]\n#");

	(void)state;
	assert_non_null(text);
	memcpy(text, "[main]\n#", base);
	memset(text + base, 'a', 8000);
	text[base + 4095] = '\n';
	defaults(&d);
	assert_int_equal(config_load_buf(demo, N, &d, "t.conf", text, base + 4096, NULL, &err), 0);
	assert_int_equal(config_load_buf(demo, N, &d, "t.conf", text, base + 4095, NULL, &err), 0);
	text[base + 4095] = 'a';
	text[base + 4096] = '\n';
	assert_int_equal(config_load_buf(demo, N, &d, "t.conf", text, base + 4097, NULL, &err),
			 ERR_TOO_BIG);
	assert_string_equal(err.ptr, "t.conf:2: line too long (max 4096 bytes)");
	assert_int_equal(config_load_buf(demo, N, &d, "t.conf", text, base + 4096, NULL, &err),
			 ERR_TOO_BIG);
	assert_string_equal(err.ptr, "t.conf:2: line too long (max 4096 bytes)");
	assert_int_equal(config_load_buf(demo, N, &d, "t.conf", text, base + 8000, NULL, &err),
			 ERR_TOO_BIG);
	assert_string_equal(err.ptr, "t.conf:2: line too long (max 4096 bytes)");
	free(text);
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

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void test_load_file(void **state)
{
	char path[512], want[600];
	struct buf err = BUF_INIT;
	struct demo d;
	char *big;

	(void)state;
	snprintf(path, sizeof(path), "%s/test_config_file.conf", tmpdir());
	write_file(path, "[main]\ncount = 9\n[net]\nlevel = low\n", 34);
	defaults(&d);
	assert_int_equal(config_load_file(demo, N, &d, path, NULL, &err), 0);
	assert_int_equal(d.count, 9);
	assert_int_equal(d.level, 0);

	write_file(path, "[main]\n\nbad\n", 12);
	assert_int_equal(config_load_file(demo, N, &d, path, NULL, &err), ERR_PARSE);
	snprintf(want, sizeof(want), "%s:3: expected 'key = value'", path);
	assert_string_equal(err.ptr, want);

	big = malloc(CONFIG_FILE_MAX + 1);
	assert_non_null(big);
	memset(big, '\n', CONFIG_FILE_MAX + 1);
	write_file(path, big, CONFIG_FILE_MAX);
	assert_int_equal(config_load_file(demo, N, &d, path, NULL, &err), 0);
	write_file(path, big, CONFIG_FILE_MAX + 1);
	assert_int_equal(config_load_file(demo, N, &d, path, NULL, &err), ERR_TOO_BIG);
	snprintf(want, sizeof(want), "%s: file is larger than 1048576 bytes", path);
	assert_string_equal(err.ptr, want);
	free(big);
	remove(path);

	assert_int_equal(config_load_file(demo, N, &d, path, NULL, &err), ERR_NOTFOUND);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
	assert_string_equal(err.ptr, want);
	assert_int_equal(config_load_file(demo, N, &d, tmpdir(), NULL, &err), ERR_IO);
	assert_non_null(strstr(err.ptr, ": is a directory"));
	buf_release(&err);
}

static void test_env(void **state)
{
	char *env_ok[] = {
	    "PATH=/bin",      "DEMO_MAIN_COUNT=8",  "DEMO_NET_TIMEOUT_MS=2s", "DEMO_SRC=/ignored",
	    "DEMO_NET_PATH=", "DEMO_MAIN_FLAG=yes", "MAIN_COUNT=1",	      NULL};
	char *env_bad[] = {"DEMO_NET_TIMEOUT_MS=abc", NULL};
	char *env_big[] = {"DEMO_MAIN_COUNT=999", NULL};
	enum config_source src[N] = {0};
	struct buf err = BUF_INIT;
	struct demo d;
	char var[64];

	(void)state;
	assert_int_equal(config_env_name(&demo[3], "DEMO_", var, sizeof(var)), 0);
	assert_string_equal(var, "DEMO_NET_TIMEOUT_MS");
	assert_int_equal(config_env_name(&demo[3], "DEMO_", var, 10), ERR_TOO_BIG);
	defaults(&d);
	str_lcpy(d.path, "set", sizeof(d.path));
	assert_int_equal(config_load_env(demo, N, &d, "DEMO_", env_ok, src, &err), 0);
	assert_int_equal(d.count, 8);
	assert_int_equal(d.timeout_ms, 2000);
	assert_string_equal(d.path, "");
	assert_true(d.flag);
	assert_int_equal(src[1], CONFIG_SRC_ENV);
	assert_int_equal(src[0], CONFIG_SRC_DEFAULT);
	assert_int_equal(config_load_env(demo, N, &d, "DEMO_", env_bad, src, &err), ERR_INVAL);
	assert_string_equal(err.ptr, "environment variable DEMO_NET_TIMEOUT_MS: value 'abc' for "
				     "net.timeout_ms is not a duration");
	assert_int_equal(config_load_env(demo, N, &d, "DEMO_", env_big, src, &err), ERR_RANGE);
	assert_string_equal(err.ptr, "environment variable DEMO_MAIN_COUNT: value '999' for "
				     "main.count is out of range 0..10");
	assert_int_equal(config_load_env(demo, N, &d, "DEMO_", NULL, src, &err), 0);
	buf_release(&err);
}

struct args_case {
	const char *argv[6];
	int rc, first;
	const char *msg; /* error, or "key=value" */
};

static const struct args_case args_cases[] = {
    {{"--main.count", "5"}, 0, 2, "main.count=5"},
    {{"--main.count=5"}, 0, 1, "main.count=5"},
    {{"--net.buf_size=1M"}, 0, 1, "net.buf_size=1M"},
    {{"--net.buf-size", "2M", "op"}, 0, 2, "net.buf_size=2M"},
    {{"--NET.TIMEOUT-MS", "5s"}, 0, 2, "net.timeout_ms=5s"},
    {{"--main.flag", "op"}, 0, 1, "main.flag=true"},
    {{"--main.flag=no"}, 0, 1, "main.flag=false"},
    {{"--main.count=1", "scan", "--main.count=2"}, 0, 1, "main.count=1"},
    {{"--main.count=1", "--", "--main.count=2"}, 0, 2, "main.count=1"},
    {{"-", "x"}, 0, 0, "main.count=3"},
    {{"--config", "x.conf", "--main.count=4"}, 0, 3, "main.count=4"},
    {{"--config=x.conf", "arg"}, 0, 1, "main.count=3"},
    {{"--main.name="}, 0, 1, "main.name="},
    {{"--main.count"}, ERR_PARSE, 0, "option --main.count: needs a value"},
    {{"--config"}, ERR_PARSE, 0, "option --config: needs a value"},
    {{"--bogus=1"}, ERR_NOTFOUND, 0, "unknown option '--bogus'"},
    {{"--main.count=1", "--help"}, ERR_NOTFOUND, 1, "unknown option '--help'"},
    {{"-v"}, ERR_NOTFOUND, 0, "unknown option '-v'"},
    {{"--net.timeout-ms=abc"},
     ERR_INVAL,
     0,
     "option --net.timeout-ms: value 'abc' for net.timeout_ms is not a duration"},
    {{"--main.flag=2"},
     ERR_INVAL,
     0,
     "option --main.flag: value '2' for main.flag is not a boolean (yes/no, true/false, "
     "on/off, 1/0)"},
};

static void test_args(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(args_cases); i++) {
		const struct args_case *c = &args_cases[i];
		struct buf err = BUF_INIT, v = BUF_INIT;
		struct demo d;
		int argc = 0, first = -1, r;

		while (argc < 6 && c->argv[argc])
			argc++;
		print_message("args: %s\n", c->msg);
		defaults(&d);
		r = config_parse_args(demo, N, &d, argc, (char **)c->argv, &first, NULL, &err);
		assert_int_equal(r, c->rc);
		assert_int_equal(first, c->first);
		if (r) {
			assert_string_equal(err.ptr, c->msg);
		} else {
			const char *eq = strchr(c->msg, '=');
			const struct config_opt *o =
			    config_find(demo, N, c->msg, (size_t)(eq - c->msg));

			assert_int_equal(config_format_value(o, &d, &v), 0);
			assert_string_equal(v.ptr, eq + 1);
		}
		buf_release(&err);
		buf_release(&v);
	}
}

/* defaults < file < environment < flags, and the recorded sources. */
static void test_precedence(void **state)
{
	char path[512], cfgarg[600], envcfg[600], want[700];
	char *envp[] = {"DEMO_MAIN_COUNT=2", "DEMO_NET_LEVEL=high", envcfg, NULL};
	char *argv[] = {"--main.count=4", cfgarg, "--net.timeout-ms", "3s", "operand", NULL};
	enum config_source src[N];
	struct config_load ld = {0};
	struct buf err = BUF_INIT;
	struct demo d;

	(void)state;
	snprintf(path, sizeof(path), "%s/test_config_prec.conf", tmpdir());
	snprintf(cfgarg, sizeof(cfgarg), "--config=%s", path);
	snprintf(envcfg, sizeof(envcfg), "DEMO_CONFIG=%s.missing", path);
	write_file(path, "[main]\ncount = 1\nflag = yes\n[net]\nlevel = low\ntimeout_ms = 2s\n",
		   61);
	ld.default_path = "/nonexistent/default.conf";
	ld.env_prefix = "DEMO_";
	ld.envp = envp;
	ld.argc = 5;
	ld.argv = argv;
	ld.src = src;
	memset(&d, 0x5a, sizeof(d));
	assert_int_equal(config_load_all(demo, N, &d, &ld, &err), 0);
	assert_string_equal(ld.file, path);
	assert_int_equal(ld.first_operand, 4);
	assert_string_equal(d.name, "demo");
	assert_int_equal(src[0], CONFIG_SRC_DEFAULT);
	assert_int_equal(d.count, 4);
	assert_int_equal(src[1], CONFIG_SRC_FLAG);
	assert_true(d.flag);
	assert_int_equal(src[2], CONFIG_SRC_FILE);
	assert_int_equal(d.timeout_ms, 3000);
	assert_int_equal(src[3], CONFIG_SRC_FLAG);
	assert_int_equal(d.level, 2);
	assert_int_equal(src[4], CONFIG_SRC_ENV);
	assert_int_equal(d.buf_size, 65536);

	/* Without --config, $DEMO_CONFIG names the file and must exist. */
	ld.argc = 1;
	assert_int_equal(config_load_all(demo, N, &d, &ld, &err), ERR_NOTFOUND);
	snprintf(want, sizeof(want), "%s.missing: cannot open: No such file or directory", path);
	assert_string_equal(err.ptr, want);

	/* Neither: the default path, silently skipped when absent. */
	envp[2] = NULL;
	assert_int_equal(config_load_all(demo, N, &d, &ld, &err), 0);
	assert_string_equal(ld.file, "");
	assert_int_equal(d.count, 4);
	assert_int_equal(d.level, 2);
	assert_false(d.flag);

	/* The default path when it exists; a file error stops the load. */
	ld.default_path = path;
	assert_int_equal(config_load_all(demo, N, &d, &ld, &err), 0);
	assert_string_equal(ld.file, path);
	assert_true(d.flag);
	write_file(path, "[main]\nflag = maybe\n", 20);
	assert_int_equal(config_load_all(demo, N, &d, &ld, &err), ERR_INVAL);
	snprintf(want, sizeof(want),
		 "%s:2: value 'maybe' for main.flag is not a boolean (yes/no, true/false, "
		 "on/off, 1/0)",
		 path);
	assert_string_equal(err.ptr, want);
	remove(path);
	buf_release(&err);
}

/* Uncomment every "#key = value" line of the sample. */
static void uncomment(char *s)
{
	char *p = s;

	while (*p) {
		if (p[0] == '#' && p[1] >= 'a' && p[1] <= 'z' && strchr(p, '='))
			p[0] = ' ';
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
}

static void test_generators(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct demo d, def;

	(void)state;
	assert_int_equal(config_help(demo, N, &out), 0);
	assert_non_null(strstr(out.ptr, "  --net.timeout-ms=DURATION  A timeout. [default: "
					"1500ms]\n"));
	assert_non_null(strstr(out.ptr, "  --main.flag[=BOOL]         A flag. [default: no]\n"));
	assert_non_null(strstr(out.ptr, "  --net.level=low|mid|high   A level. [default: mid]\n"));
	assert_non_null(strstr(out.ptr, "  --net.path=PATH            A path.\n"));

	buf_reset(&out);
	assert_int_equal(config_sample(demo, N, &out), 0);
	assert_non_null(strstr(out.ptr, "\n[net]\n\n# A timeout.\n# (duration, 1ms..1h)\n"
					"#timeout_ms = 1500ms\n"));
	assert_non_null(strstr(out.ptr, "#path = \"\"\n"));
	defaults(&def);
	memset(&d, 0, sizeof(d));
	assert_int_equal(config_defaults(demo, N, &d, &err), 0);
	uncomment(out.ptr);
	assert_int_equal(config_load_buf(demo, N, &d, "sample", out.ptr, out.len, NULL, &err), 0);
	assert_memory_equal(&d, &def, sizeof(d));

	buf_reset(&out);
	assert_int_equal(config_markdown(demo, N, "DEMO_", &out), 0);
	assert_non_null(strstr(out.ptr, "| `net.level` | one of: low, mid, high | `mid` | "
					"`DEMO_NET_LEVEL` | A level. |\n"));
	assert_non_null(strstr(out.ptr, "| `net.path` | path | (empty) | `DEMO_NET_PATH` |"));
	buf_release(&out);
	buf_release(&err);
}

/* config show writes what it read; odd strings survive quoting. */
static void test_show_roundtrip(void **state)
{
	static const char *const names[] = {"a\"b\\c", " lead", "#x;y", "t\tn\nr\r\x01", "é'"};
	struct buf out = BUF_INIT, err = BUF_INIT;
	enum config_source src[N] = {0};
	struct demo d, back;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		defaults(&d);
		assert_int_equal(
		    config_set(demo, N, &d, "main.name", names[i], strlen(names[i]), &err), 0);
		assert_int_equal(config_set(demo, N, &d, "net.buf-size", "3G", 2, &err), ERR_RANGE);
		assert_int_equal(config_set(demo, N, &d, "net.buf-size", "3M", 2, &err), 0);
		assert_int_equal(config_set(demo, N, &d, "main.flag", "on", 2, &err), 0);
		assert_int_equal(config_set(demo, N, &d, "net.timeout_ms", "61s", 3, &err), 0);
		buf_reset(&out);
		assert_int_equal(config_show(demo, N, &d, i ? NULL : src, &out), 0);
		defaults(&back);
		assert_int_equal(
		    config_load_buf(demo, N, &back, "show", out.ptr, out.len, NULL, &err), 0);
		assert_memory_equal(&d, &back, sizeof(d));
	}
	assert_int_equal(config_set(demo, N, &d, "main.nope", "1", 1, &err), ERR_NOTFOUND);
	assert_string_equal(err.ptr, "unknown setting 'main.nope'");
	assert_int_equal(config_set(demo, N, &d, "main.name", "a\0b", 3, &err), ERR_INVAL);
	assert_string_equal(err.ptr, "value for main.name contains a NUL byte");
	buf_release(&out);
	buf_release(&err);
}

static void test_table_errors(void **state)
{
	static const struct config_opt bad_name[] = {
	    {.name = "nodot", .type = CONFIG_INT, D(count), .help = "x"}};
	static const struct config_opt twice[] = {
	    {.name = "a.b", .type = CONFIG_INT, D(count), .help = "x"},
	    {.name = "a.b", .type = CONFIG_INT, D(count), .help = "x"}};
	static const struct config_opt bad_def[] = {
	    {.name = "a.b", .type = CONFIG_INT, D(count), .def = "x", .help = "x"}};
	static const struct config_opt bad_size[] = {
	    {.name = "a.b", .type = CONFIG_INT, D(flag), .def = "1", .help = "x"}};
	struct buf err = BUF_INIT;
	struct demo d;

	(void)state;
	assert_int_equal(config_table_check(bad_name, 1, &err), ERR_INVAL);
	assert_string_equal(err.ptr, "option 0: bad name 'nodot'");
	assert_int_equal(config_table_check(twice, 2, &err), ERR_INVAL);
	assert_string_equal(err.ptr, "option a.b: defined twice");
	assert_int_equal(config_table_check(twice, 1, &err), 0);
	assert_int_equal(config_defaults(bad_def, 1, &d, &err), ERR_INVAL);
	assert_string_equal(err.ptr, "default of a.b: value 'x' for a.b is not an integer");
	assert_int_equal(config_defaults(bad_size, 1, &d, &err), ERR_INVAL);
	assert_string_equal(err.ptr, "default of a.b: option a.b has a bad field size");
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_bools),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_load_buf),
	    cmocka_unit_test(test_line_cap),
	    cmocka_unit_test(test_load_file),
	    cmocka_unit_test(test_env),
	    cmocka_unit_test(test_args),
	    cmocka_unit_test(test_precedence),
	    cmocka_unit_test(test_generators),
	    cmocka_unit_test(test_show_roundtrip),
	    cmocka_unit_test(test_table_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
