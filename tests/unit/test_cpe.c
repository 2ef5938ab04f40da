/*
 * test_cpe.c: CPE names as tables: parse + format round trips of the 2.3
 * formatted string and the 2.2 URI (escapes, percent-encoding, packed
 * edition, wildcards), parse errors, NISTIR 7696 relations and name
 * matching, range rows on synthetic data, and the product table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "cpe/cpe.h"
#include "cpe/cpe_int.h"

static void parse_ok(const char *s, struct cpe *c)
{
	int r = cpe_parse(s, strlen(s), c);

	if (r != 0)
		print_error("cpe_parse(\"%s\") = %s\n", s, err_str(r));
	assert_int_equal(r, 0);
}

static bool cpe_equal(const struct cpe *a, const struct cpe *b)
{
	int i;

	for (i = 0; i < CPE_NATTR; i++) {
		const struct cpe_attr *x = &a->attr[i], *y = &b->attr[i];

		if (x->kind != y->kind)
			return false;
		if (x->kind != CPE_VALUE)
			continue;
		if (x->pre != y->pre || x->post != y->post || x->len != y->len ||
		    memcmp(x->v, y->v, x->len) != 0)
			return false;
	}
	return true;
}

static const struct {
	const char *in;
	const char *out;
} roundtrip_rows[] = {
    {"cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*",
     "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*"},
    {"cpe:/a:openbsd:openssh:9.2p1", "cpe:2.3:a:openbsd:openssh:9.2p1:*:*:*:*:*:*:*"},
    {"cpe:2.3:a:f5:nginx:*:*:*:*:open_source:*:*:*",
     "cpe:2.3:a:f5:nginx:*:*:*:*:open_source:*:*:*"},
    {"cpe:2.3:a:isc:bind:*:*:*:*:-:*:*:*", "cpe:2.3:a:isc:bind:*:*:*:*:-:*:*:*"},
    {"cpe:2.3:h:juniper:ex8200\\/vc_\\(xre\\):-:*:*:*:*:*:*:*",
     "cpe:2.3:h:juniper:ex8200\\/vc_\\(xre\\):-:*:*:*:*:*:*:*"},
    {"cpe:2.3:a:jenkins:pipeline\\:_groovy:*:*:*:*:*:jenkins:*:*",
     "cpe:2.3:a:jenkins:pipeline\\:_groovy:*:*:*:*:*:jenkins:*:*"},
    {"cpe:2.3:a:backpackforlaravel:backpack\\\\crud:*:*:*:*:*:*:*:*",
     "cpe:2.3:a:backpackforlaravel:backpack\\\\crud:*:*:*:*:*:*:*:*"},
    {"cpe:2.3:a:convert_forms_project:convert_forms:*:*:*:*:*:joomla\\!:*:*",
     "cpe:2.3:a:convert_forms_project:convert_forms:*:*:*:*:*:joomla\\!:*:*"},
    {"cpe:2.3:a:ntt-east:flet\\'s_virus_clear_v6_easy_setup_\\&_application_tool:11:*:*:*:*:*:*:*",
     "cpe:2.3:a:ntt-east:flet\\'s_virus_clear_v6_easy_setup_\\&_application_tool:11:*:*:*:*:*:*:*"},
    /* quoted "*" is a literal, unquoted at the end a wildcard */
    {"cpe:2.3:a:v:p:1.\\*:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1.\\*:*:*:*:*:*:*:*"},
    {"cpe:2.3:a:v:p:1.*:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1.*:*:*:*:*:*:*:*"},
    {"cpe:2.3:a:v:*product:??:*:*:*:*:*:*:*", "cpe:2.3:a:v:*product:??:*:*:*:*:*:*:*"},
    {"cpe:2.3:a:v:p:??1.2*:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:??1.2*:*:*:*:*:*:*:*"},
    /* a literal lone hyphen must stay quoted */
    {"cpe:2.3:a:v:p:\\-:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:\\-:*:*:*:*:*:*:*"},
    /* over-quoting is accepted and normalised */
    {"cpe:2.3:a:v:p:1\\.0:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1.0:*:*:*:*:*:*:*"},
    {"CPE:2.3:A:OpenBSD:OpenSSH:9.2:P1:*:*:*:*:*:*",
     "cpe:2.3:A:OpenBSD:OpenSSH:9.2:P1:*:*:*:*:*:*"},
    /* 2.2 URIs */
    {"cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
     "cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp\\?:*:*:*:*:*:*"},
    {"cpe:/a:foo:bar:1.%02", "cpe:2.3:a:foo:bar:1.*:*:*:*:*:*:*:*"},
    {"cpe:/a:foo:bar:%01%011.0", "cpe:2.3:a:foo:bar:??1.0:*:*:*:*:*:*:*"},
    {"cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~",
     "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*"},
    {"cpe:/o:debian:debian_linux:12", "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"},
    {"cpe:/a:foo:bar::sp1", "cpe:2.3:a:foo:bar:*:sp1:*:*:*:*:*:*"},
    {"cpe:/a:foo:bar:1.0:-:-:en-us", "cpe:2.3:a:foo:bar:1.0:-:-:en-us:*:*:*:*"},
    {"cpe:/a:foo%21:bar%40baz", "cpe:2.3:a:foo\\!:bar\\@baz:*:*:*:*:*:*:*:*"},
    {"cpe:/", "cpe:2.3:*:*:*:*:*:*:*:*:*:*:*"},
    {"cpe:/h", "cpe:2.3:h:*:*:*:*:*:*:*:*:*:*"},
};

static void test_roundtrip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(roundtrip_rows); i++) {
		struct cpe c, again, copy;
		struct buf b = BUF_INIT;

		parse_ok(roundtrip_rows[i].in, &c);
		assert_int_equal(cpe_format(&c, &b), 0);
		if (strcmp(b.ptr, roundtrip_rows[i].out) != 0)
			print_error("row %zu: %s -> %s, want %s\n", i, roundtrip_rows[i].in, b.ptr,
				    roundtrip_rows[i].out);
		assert_string_equal(b.ptr, roundtrip_rows[i].out);
		parse_ok(b.ptr, &again);
		assert_true(cpe_equal(&c, &again));
		assert_int_equal(cpe_copy(&copy, &c), 0);
		assert_true(cpe_equal(&c, &copy));
		cpe_release(&copy);
		cpe_release(&again);
		cpe_release(&c);
		buf_release(&b);
	}
}

static void test_parse_values(void **state)
{
	struct cpe c;

	(void)state;
	parse_ok("cpe:2.3:a:jenkins:pipeline\\:_groovy:*:*:*:*:*:jenkins:*:*", &c);
	assert_int_equal(c.attr[CPE_PRODUCT].kind, CPE_VALUE);
	assert_string_equal(c.attr[CPE_PRODUCT].v, "pipeline:_groovy");
	assert_int_equal(c.attr[CPE_VERSION].kind, CPE_ANY);
	assert_string_equal(c.attr[CPE_TARGET_SW].v, "jenkins");
	cpe_release(&c);

	parse_ok("cpe:2.3:a:v:*p?:-:*:*:*:*:*:*:*", &c);
	assert_int_equal(c.attr[CPE_PRODUCT].pre, CPE_WILD_STAR);
	assert_int_equal(c.attr[CPE_PRODUCT].post, 1);
	assert_string_equal(c.attr[CPE_PRODUCT].v, "p");
	assert_int_equal(c.attr[CPE_VERSION].kind, CPE_NA);
	cpe_release(&c);

	parse_ok("cpe:/a:hp:insight_diagnostics:7.4:-:~~online~win2003~x64~", &c);
	assert_int_equal(c.attr[CPE_UPDATE].kind, CPE_NA);
	assert_int_equal(c.attr[CPE_EDITION].kind, CPE_ANY);
	assert_string_equal(c.attr[CPE_SW_EDITION].v, "online");
	assert_string_equal(c.attr[CPE_TARGET_HW].v, "x64");
	assert_int_equal(c.attr[CPE_OTHER].kind, CPE_ANY);
	cpe_release(&c);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *in;
		int want;
	} rows[] = {
	    {"", ERR_PARSE},
	    {"cpe", ERR_PARSE},
	    {"xpe:2.3:a:v:p:1:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.2:a:v:p:1:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:b:c", ERR_PARSE},
	    {"cpe:2.3:a:v:p:1:*:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:1:*:*:*:*:*:*:", ERR_PARSE},
	    {"cpe:2.3:x:v:p:1:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:-:v:p:1:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:ao:v:p:1:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a::p:1:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:1.0*2:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:1.0?2:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:**:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:*?1:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:1:*:*:*:*:*:*:*\\", ERR_PARSE},
	    {"cpe:2.3:a:v:p:1 0:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:1\t0:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:2.3:a:v:p:\xc3\xa9:*:*:*:*:*:*:*", ERR_PARSE},
	    {"cpe:/a:b:c:d:e:f:g:h", ERR_PARSE},
	    {"cpe:/a:b:c%2", ERR_PARSE},
	    {"cpe:/a:b:c%zz", ERR_PARSE},
	    {"cpe:/a:b:c%0a", ERR_PARSE},
	    {"cpe:/x:b:c", ERR_PARSE},
	    {"cpe:/a:b:c:1%02%02", ERR_PARSE},
	    {"cpe:/a:b:c:d:e:~a~b~c~d", ERR_PARSE},
	    {"cpe:/a:b:c:d:e:~a~b~c~d~e~f", ERR_PARSE},
	};
	char big[CPE_MAX_LEN + 2];
	struct cpe c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		int r = cpe_parse(rows[i].in, strlen(rows[i].in), &c);

		if (r != rows[i].want)
			print_error("row %zu \"%s\": got %d want %d\n", i, rows[i].in, r,
				    rows[i].want);
		assert_int_equal(r, rows[i].want);
	}
	assert_int_equal(cpe_parse(NULL, 0, &c), ERR_PARSE);
	/* over 1 KiB: refused before looking at it */
	memset(big, 'a', sizeof(big));
	memcpy(big, "cpe:/a:v:", 9);
	assert_int_equal(cpe_parse(big, sizeof(big), &c), ERR_TOO_BIG);
	/* a 1 KiB URI is too long once written as 2.3 */
	assert_int_equal(cpe_parse(big, CPE_MAX_LEN, &c), ERR_TOO_BIG);
	/* exactly 1 KiB of 2.3 is fine: 12 + 996 + 8 * 2 bytes */
	memset(big, 'a', sizeof(big));
	memcpy(big, "cpe:2.3:a:v:", 12);
	memcpy(big + 12 + 996, ":*:*:*:*:*:*:*:*", 16);
	assert_int_equal(cpe_parse(big, CPE_MAX_LEN, &c), 0);
	assert_int_equal(c.attr[CPE_PRODUCT].len, 996);
	{
		struct buf fb = BUF_INIT;

		assert_int_equal(cpe_format(&c, &fb), 0);
		assert_int_equal(fb.len, CPE_MAX_LEN);
		buf_release(&fb);
	}
	cpe_release(&c);
	/* one quoted character more and it is over */
	big[12] = '+';
	assert_int_equal(cpe_parse(big, CPE_MAX_LEN, &c), ERR_TOO_BIG);
	/* input need not be NUL-terminated: the length rules */
	assert_int_equal(cpe_parse("cpe:/a:v:pXXXX", 10, &c), 0);
	assert_string_equal(c.attr[CPE_PRODUCT].v, "p");
	cpe_release(&c);
}

static void test_format_errors(void **state)
{
	struct cpe c;
	struct buf b;

	(void)state;
	cpe_init(&c);
	cpe_set(&c, CPE_PART, "a", 1);
	cpe_set(&c, CPE_VENDOR, "bad\nvendor", 10);
	buf_init(&b, 0);
	assert_int_equal(cpe_format(&c, &b), ERR_INVAL);
	assert_int_equal(b.len, 0);
	cpe_set(&c, CPE_VENDOR, "v", 1);
	cpe_set(&c, CPE_PRODUCT, "a:b", 3);
	assert_int_equal(cpe_format(&c, &b), 0);
	assert_string_equal(b.ptr, "cpe:2.3:a:v:a\\:b:*:*:*:*:*:*:*:*");
	buf_release(&b);
	/* the size cap of the buf is honoured and leaves it unchanged */
	buf_init(&b, 10);
	assert_int_equal(cpe_format(&c, &b), ERR_TOO_BIG);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static const struct {
	const char *pattern;
	const char *target;
	bool want;
} match_rows[] = {
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*",
     true},
    {"cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*",
     false},
    {"cpe:2.3:a:openbsd:openssh:-:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:*:*:*:*:*:*:*",
     false},
    {"cpe:2.3:a:openbsd:openssh:-:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:-:*:*:*:*:*:*:*",
     true},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:-:*:*:*:*:*:*:*",
     true},
    {"cpe:2.3:*:openbsd:openssh:*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:*:*:*:*:*:*:*",
     true},
    {"cpe:2.3:o:openbsd:openssh:*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:*:*:*:*:*:*:*",
     false},
    {"cpe:2.3:a:openbsd:openssh:9.*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:*:*:*:*:*:*:*",
     true},
    {"cpe:2.3:a:openbsd:openssh:9.*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:8.2:*:*:*:*:*:*:*",
     false},
    {"cpe:2.3:a:openbsd:openssh:9.?:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:*:*:*:*:*:*:*",
     true},
    {"cpe:2.3:a:openbsd:openssh:9.?:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.10:*:*:*:*:*:*:*",
     false},
    {"cpe:2.3:a:openbsd:openssh:??.2:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:10.2:*:*:*:*:*:*:*",
     true},
    {"cpe:2.3:a:openbsd:openssh:?.2:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:10.2:*:*:*:*:*:*:*",
     false},
    {"cpe:2.3:a:openbsd:*ssh:*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:*:*:*:*:*:*:*", true},
    {"cpe:2.3:a:openbsd:*ssh:*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:sshd:9.2:*:*:*:*:*:*:*", false},
    {"cpe:2.3:a:openbsd:*ss*:*:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:sshd:9.2:*:*:*:*:*:*:*", true},
    {"cpe:2.3:a:OpenBSD:OpenSSH:9.2:*:*:*:*:*:*:*", "cpe:2.3:a:openbsd:openssh:9.2:*:*:*:*:*:*:*",
     true},
    {"cpe:2.3:a:v:p\\:q:*:*:*:*:*:*:*:*", "cpe:/a:v:p%3aq", true},
    {"cpe:2.3:a:v:p:*:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1.*:*:*:*:*:*:*:*", true},
    {"cpe:2.3:a:v:p:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1.*:*:*:*:*:*:*:*", false},
    {"cpe:2.3:a:v:p:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1.0:*:*:*:*:*:*:*", true},
    {"cpe:2.3:a:f5:nginx:*:*:*:*:open_source:*:*:*", "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*",
     false},
    {"cpe:2.3:a:f5:nginx:*:*:*:*:*:*:*:*", "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:open_source:*:*:*",
     true},
    {"cpe:2.3:a:v:p:\\*:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:x:*:*:*:*:*:*:*", false},
};

static void test_match(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(match_rows); i++) {
		struct cpe p, t;

		parse_ok(match_rows[i].pattern, &p);
		parse_ok(match_rows[i].target, &t);
		if (cpe_match(&p, &t) != match_rows[i].want)
			print_error("row %zu: match(%s, %s) != %d\n", i, match_rows[i].pattern,
				    match_rows[i].target, match_rows[i].want);
		assert_int_equal(cpe_match(&p, &t), match_rows[i].want);
		cpe_release(&p);
		cpe_release(&t);
	}
}

/* NISTIR 7696 table 6-2, source by target. */
static void test_relations(void **state)
{
	static const struct {
		const char *s, *t;
		enum cpe_rel want;
	} rows[] = {
	    {"*", "*", CPE_REL_EQUAL},	     {"*", "-", CPE_REL_SUPERSET},
	    {"*", "x", CPE_REL_SUPERSET},    {"-", "*", CPE_REL_SUBSET},
	    {"-", "-", CPE_REL_EQUAL},	     {"-", "x", CPE_REL_DISJOINT},
	    {"x", "*", CPE_REL_SUBSET},	     {"x", "-", CPE_REL_DISJOINT},
	    {"x", "x", CPE_REL_EQUAL},	     {"x", "y", CPE_REL_DISJOINT},
	    {"x*", "xy", CPE_REL_SUPERSET},  {"x", "x*", CPE_REL_UNDEFINED},
	    {"x*", "x*", CPE_REL_UNDEFINED}, {"-", "x*", CPE_REL_DISJOINT},
	    {"X", "x", CPE_REL_EQUAL},	     {"x?", "x", CPE_REL_SUPERSET},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct cpe s, t;
		char a[64], b[64];

		snprintf(a, sizeof(a), "cpe:2.3:a:v:%s:*:*:*:*:*:*:*:*", rows[i].s);
		snprintf(b, sizeof(b), "cpe:2.3:a:v:%s:*:*:*:*:*:*:*:*", rows[i].t);
		parse_ok(a, &s);
		parse_ok(b, &t);
		if (cpe_attr_compare(&s.attr[CPE_PRODUCT], &t.attr[CPE_PRODUCT]) != rows[i].want)
			print_error("row %zu: %s vs %s\n", i, rows[i].s, rows[i].t);
		assert_int_equal(cpe_attr_compare(&s.attr[CPE_PRODUCT], &t.attr[CPE_PRODUCT]),
				 rows[i].want);
		cpe_release(&s);
		cpe_release(&t);
	}
}

/* ------------------------------------------------------ range rows */

struct range_row {
	const char *criteria;
	const char *si, *se, *ei, *ee; /* bounds, NULL when absent */
	const char *vendor, *product, *version, *update;
	enum match_conf want;
};

static const struct range_row range_rows[] = {
    /* bounds */
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, NULL, NULL, "9.3", "openbsd", "openssh",
     "9.2p1", NULL, MATCH_HIGH},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, NULL, NULL, "9.3", "openbsd", "openssh",
     "9.2", "p1", MATCH_HIGH},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, NULL, NULL, "9.3", "openbsd", "openssh",
     "9.3p1", NULL, MATCH_NONE},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", "8.6", NULL, NULL, "9.8", "openbsd", "openssh",
     "9.8p1", NULL, MATCH_NONE},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", "8.6", NULL, NULL, "9.8", "openbsd", "openssh",
     "8.5p1", NULL, MATCH_NONE},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, "8.5", NULL, "9.8", "openbsd", "openssh",
     "8.5", NULL, MATCH_NONE},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, "8.5", NULL, "9.8", "openbsd", "openssh",
     "8.5p1", NULL, MATCH_HIGH},
    /* "<= 9.8" takes the portable 9.8p1, as a guess */
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", "6.9", NULL, "9.8", NULL, "openbsd", "openssh",
     "9.8p1", NULL, MATCH_MEDIUM},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", "6.9", NULL, "9.8", NULL, "openbsd", "openssh",
     "9.9p1", NULL, MATCH_NONE},
    {"cpe:2.3:a:f5:nginx:*:*:*:*:open_source:*:*:*", "1.1.3", NULL, "1.22.0", NULL, "f5", "nginx",
     "1.22.1", NULL, MATCH_NONE},
    {"cpe:2.3:a:f5:nginx:*:*:*:*:open_source:*:*:*", "1.1.3", NULL, "1.22.0", NULL, "f5", "nginx",
     "1.22.0", NULL, MATCH_HIGH},
    {"cpe:2.3:a:f5:nginx:*:*:*:*:plus:*:*:*", "r22", NULL, "r27", NULL, "f5", "nginx", "1.22.1",
     NULL, MATCH_NONE},
    {"cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", "1.0.2", NULL, NULL, "1.0.2zg", "openssl",
     "openssl", "1.0.2zf", NULL, MATCH_HIGH},
    {"cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", "1.0.2", NULL, NULL, "1.0.2zg", "openssl",
     "openssl", "1.0.2zg", NULL, MATCH_NONE},
    {"cpe:2.3:a:redis:redis:*:*:*:*:*:*:*:*", "7.0.0", NULL, NULL, "7.0.11", "redis", "redis",
     "7.0.9", NULL, MATCH_HIGH},
    {"cpe:2.3:a:redis:redis:*:*:*:*:*:*:*:*", "7.0.0", NULL, NULL, "7.0.11", "redis", "redis",
     "7.0.0-rc1", NULL, MATCH_NONE},
    /* exact versions and updates */
    {"cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.3p1", NULL, MATCH_HIGH},
    {"cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.3", "p1", MATCH_HIGH},
    {"cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.3p2", NULL, MATCH_NONE},
    {"cpe:2.3:a:openbsd:openssh:9.8:-:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.8p1", NULL, MATCH_NONE},
    {"cpe:2.3:a:openbsd:openssh:9.8:-:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.8", NULL, MATCH_HIGH},
    {"cpe:2.3:a:openbsd:openssh:9.1:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.1p1", NULL, MATCH_MEDIUM},
    {"cpe:2.3:a:openbsd:openssh:9.1:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.1", NULL, MATCH_HIGH},
    {"cpe:2.3:a:openbsd:openssh:9.1:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.2p1", NULL, MATCH_NONE},
    {"cpe:2.3:a:openssl:openssl:1.0.2zg:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openssl",
     "openssl", "1.0.2zg", NULL, MATCH_HIGH},
    {"cpe:2.3:a:postgresql:postgresql:16.0:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "postgresql",
     "postgresql", "16", NULL, MATCH_HIGH},
    /* versionless rows and unknown versions: LOW only */
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "openssh",
     "9.2p1", NULL, MATCH_LOW},
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, NULL, NULL, "9.3", "openbsd", "openssh",
     NULL, NULL, MATCH_LOW},
    {"cpe:2.3:a:apache:http_server:-:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "apache",
     "http_server", "2.4.62", NULL, MATCH_LOW},
    {"cpe:2.3:a:apache:http_server:-:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "apache",
     "http_server", NULL, NULL, MATCH_LOW},
    /* other products never match */
    {"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL, "openbsd", "opensmtpd",
     "9.2p1", NULL, MATCH_NONE},
    {"cpe:2.3:a:oracle:mysql:*:*:*:*:*:*:*:*", "8.0", NULL, "8.0.34", NULL, "mariadb", "mariadb",
     "8.0.30", NULL, MATCH_NONE},
    {"cpe:2.3:a:OpenBSD:OpenSSH:*:*:*:*:*:*:*:*", NULL, NULL, NULL, "9.3", "openbsd", "openssh",
     "9.2p1", NULL, MATCH_HIGH},
};

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

static void build_range(const struct range_row *row, struct cpe_range *r)
{
	assert_int_equal(cpe_range_init(r, row->criteria, strlen(row->criteria), true), 0);
	if (row->si)
		assert_int_equal(cpe_range_set_bound(r, CPE_START_INCL, row->si, strlen(row->si)),
				 0);
	if (row->se)
		assert_int_equal(cpe_range_set_bound(r, CPE_START_EXCL, row->se, strlen(row->se)),
				 0);
	if (row->ei)
		assert_int_equal(cpe_range_set_bound(r, CPE_END_INCL, row->ei, strlen(row->ei)), 0);
	if (row->ee)
		assert_int_equal(cpe_range_set_bound(r, CPE_END_EXCL, row->ee, strlen(row->ee)), 0);
}

static void test_ranges(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(range_rows); i++) {
		const struct range_row *row = &range_rows[i];
		struct cpe_range r;
		enum match_conf got;

		build_range(row, &r);
		got = cpe_range_match(&r, row->vendor, slen(row->vendor), row->product,
				      slen(row->product), row->version, slen(row->version),
				      row->update, slen(row->update));
		if (got != row->want)
			print_error("row %zu: %s %s%s -> %d, want %d\n", i, row->criteria,
				    row->version ? row->version : "(none)",
				    row->update ? row->update : "", got, row->want);
		assert_int_equal(got, row->want);
		cpe_range_release(&r);
	}
}

static void test_range_flags_and_bounds(void **state)
{
	struct cpe_range r;
	struct cpe t;
	struct cpe_result res;

	(void)state;
	assert_int_equal(cpe_range_init(&r, "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", 41, true),
			 0);
	assert_int_equal(cpe_range_set_bound(&r, CPE_END_EXCL, "9.3", 3), 0);
	/* one bound per side */
	assert_int_equal(cpe_range_set_bound(&r, CPE_END_INCL, "9.4", 3), ERR_INVAL);
	/* an empty bound (seen in NVD 1.1 data) is no bound */
	assert_int_equal(cpe_range_set_bound(&r, CPE_START_INCL, "", 0), 0);
	assert_null(r.start);
	assert_int_equal(cpe_range_set_bound(&r, CPE_START_INCL, "9.0", 3), 0);
	assert_int_equal(cpe_range_set_bound(&r, CPE_START_EXCL, "9.1", 3), ERR_INVAL);
	cpe_range_release(&r);
	assert_int_equal(cpe_range_init(&r, "cpe:/a:openbsd:openssh", 22, true), 0);
	{
		char big[300];

		memset(big, '1', sizeof(big));
		assert_int_equal(cpe_range_set_bound(&r, CPE_END_INCL, big, sizeof(big)),
				 ERR_TOO_BIG);
		assert_null(r.end);
	}
	cpe_range_release(&r);

	assert_int_equal(cpe_range_init(&r, "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", 41, true),
			 0);
	cpe_init(&t);
	cpe_set(&t, CPE_PART, "a", 1);
	cpe_set(&t, CPE_VENDOR, "openbsd", 7);
	cpe_set(&t, CPE_PRODUCT, "openssh", 7);
	cpe_set(&t, CPE_VERSION, "9.2p1", 5);
	cpe_range_match_cpe(&r, &t, &res);
	assert_int_equal(res.conf, MATCH_LOW);
	assert_int_equal(res.flags, CPE_MF_ALL_VERSIONS);
	cpe_range_release(&r);

	assert_int_equal(
	    cpe_range_init(&r, "cpe:2.3:a:openbsd:openssh:9.1:*:*:*:*:*:*:*", 43, true), 0);
	cpe_set(&t, CPE_VERSION, "9.1p1", 5);
	cpe_range_match_cpe(&r, &t, &res);
	assert_int_equal(res.conf, MATCH_MEDIUM);
	assert_int_equal(res.flags, CPE_MF_UPDATE_GUESS);
	cpe_range_release(&r);

	/* long versions compare exactly; absurd ones (over 2 KiB) never match */
	assert_int_equal(cpe_range_init(&r, "cpe:/a:openbsd:openssh", 22, true), 0);
	assert_int_equal(cpe_range_set_bound(&r, CPE_START_INCL, "1", 1), 0);
	{
		char *v = malloc(3000);

		assert_non_null(v);
		memset(v, '9', 3000);
		cpe_set(&t, CPE_VERSION, v, 1500);
		cpe_range_match_cpe(&r, &t, &res);
		assert_int_equal(res.conf, MATCH_HIGH);
		cpe_set(&t, CPE_VERSION, v, 3000);
		cpe_range_match_cpe(&r, &t, &res);
		assert_int_equal(res.conf, MATCH_NONE);
		free(v);
	}
	cpe_range_release(&r);

	assert_int_equal(cpe_range_init(&r, "cpe:/a:openbsd:openssh", 22, false), 0);
	assert_false(r.vulnerable);
	cpe_range_release(&r);
	assert_int_equal(cpe_range_init(&r, "cpe:2.3:a:bad", 13, true), ERR_PARSE);
}

static void test_version_base(void **state)
{
	static const struct {
		const char *v;
		size_t want;
	} rows[] = {
	    {"9.1p1", 3}, {"1.0.2zg", 5}, {"2.0-rc1", 3}, {"9.1", 3}, {"p1", 2},
	    {"1.2.3", 5}, {"abc", 3},	  {"", 0},	  {"10a", 2}, {"1._x", 4},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		assert_int_equal(cpe_version_base_len(rows[i].v, strlen(rows[i].v)), rows[i].want);
}

/* ------------------------------------------------------ product table */

static void test_products(void **state)
{
	const struct cpe_product *p, *all;
	size_t n, i, total;
	bool f5 = false, nginx = false;

	(void)state;
	all = cpe_products_all(&total);
	assert_true(total >= 60);
	for (i = 1; i < total; i++)
		assert_true(strcmp(all[i - 1].name, all[i].name) <= 0);
	for (i = 0; i < total; i++) {
		struct buf b = BUF_INIT;
		struct cpe c, back;
		const char *q;

		for (q = all[i].name; *q; q++)
			assert_false(*q >= 'A' && *q <= 'Z');
		assert_true(all[i].part == 'a' || all[i].part == 'o');
		cpe_init(&c);
		cpe_set(&c, CPE_PART, &all[i].part, 1);
		cpe_set(&c, CPE_VENDOR, all[i].vendor, strlen(all[i].vendor));
		cpe_set(&c, CPE_PRODUCT, all[i].product, strlen(all[i].product));
		assert_int_equal(cpe_format(&c, &b), 0);
		parse_ok(b.ptr, &back);
		assert_true(cpe_equal(&c, &back));
		cpe_release(&back);
		buf_release(&b);
	}

	assert_int_equal(cpe_products_lookup("openssh", 7, &p, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p->vendor, "openbsd");
	assert_string_equal(p->product, "openssh");

	assert_int_equal(cpe_products_lookup("NGINX", 5, &p, &n), 0);
	assert_true(n >= 2);
	for (i = 0; i < n; i++) {
		f5 |= strcmp(p[i].vendor, "f5") == 0;
		nginx |= strcmp(p[i].vendor, "nginx") == 0;
		assert_string_equal(p[i].product, "nginx");
	}
	assert_true(f5 && nginx);

	static const struct {
		const char *name, *vendor, *product;
	} rows[] = {
	    {"Apache", "apache", "http_server"},
	    {"apache2", "apache", "http_server"},
	    {"httpd", "apache", "http_server"},
	    {"redis", "redis", "redis"},
	    {"mariadb", "mariadb", "mariadb"},
	    {"mysql", "oracle", "mysql"},
	    {"postgresql", "postgresql", "postgresql"},
	    {"vsftpd", "beasts", "vsftpd"},
	    {"postfix", "postfix", "postfix"},
	    {"proftpd", "proftpd", "proftpd"},
	    {"exim", "exim", "exim"},
	    {"dovecot", "dovecot", "dovecot"},
	    {"openssl", "openssl", "openssl"},
	    {"php", "php", "php"},
	    {"wordpress", "wordpress", "wordpress"},
	    {"samba", "samba", "samba"},
	    {"bind", "isc", "bind"},
	    {"unbound", "nlnetlabs", "unbound"},
	};
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		assert_int_equal(cpe_products_lookup(rows[i].name, strlen(rows[i].name), &p, &n),
				 0);
		assert_string_equal(p->vendor, rows[i].vendor);
		assert_string_equal(p->product, rows[i].product);
	}
	/* a table entry as the product CPE of a scan result */
	{
		struct cpe_range r;
		struct cpe t;
		struct cpe_result res;

		assert_int_equal(cpe_products_lookup("openssh", 7, &p, &n), 0);
		cpe_product_cpe(p, "9.2p1", 5, NULL, 0, &t);
		assert_null(t.mem);
		assert_int_equal(
		    cpe_range_init(&r, "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", 41, true), 0);
		assert_int_equal(cpe_range_set_bound(&r, CPE_END_EXCL, "9.3", 3), 0);
		cpe_range_match_cpe(&r, &t, &res);
		assert_int_equal(res.conf, MATCH_HIGH);
		cpe_product_cpe(p, NULL, 0, NULL, 0, &t);
		cpe_range_match_cpe(&r, &t, &res);
		assert_int_equal(res.conf, MATCH_LOW);
		assert_int_equal(res.flags, CPE_MF_VERSION_UNKNOWN);
		cpe_range_release(&r);
	}
	assert_int_equal(cpe_products_lookup("nosuchthing", 11, &p, &n), ERR_NOTFOUND);
	assert_int_equal(n, 0);
	assert_int_equal(cpe_products_lookup("openss", 6, &p, &n), ERR_NOTFOUND);
	assert_int_equal(cpe_products_lookup("opensshX", 7, &p, &n), 0);
	assert_int_equal(cpe_products_lookup("", 0, &p, &n), ERR_NOTFOUND);
	assert_int_equal(cpe_products_lookup("php\0x", 5, &p, &n), ERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),	 cmocka_unit_test(test_parse_values),
	    cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_format_errors),
	    cmocka_unit_test(test_match),	 cmocka_unit_test(test_relations),
	    cmocka_unit_test(test_ranges),	 cmocka_unit_test(test_range_flags_and_bounds),
	    cmocka_unit_test(test_version_base), cmocka_unit_test(test_products),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
