/*
 * test_api_lang.c: finding titles and the answer language of the API.
 * The scanner stores "<English title>[: <detail>]"; the API gives the
 * title in the language asked for and keeps the detail, as one correctly
 * escaped JSON string; anything else is written as stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_int.h"
#include "core/core.h"

/* out must equal api_json_str of want. */
static void title_is(const struct check_def *d, const char *stored, enum check_lang lang,
		     const char *want)
{
	struct buf got = BUF_INIT, exp = BUF_INIT;

	assert_int_equal(buf_adds(&got, "["), 0);
	assert_int_equal(buf_adds(&exp, "["), 0);
	assert_int_equal(api_json_title(&got, d, stored, lang), 0);
	if (want)
		assert_int_equal(api_json_str(&exp, want, strlen(want)), 0);
	else
		assert_int_equal(buf_adds(&exp, "null"), 0);
	assert_string_equal(got.ptr, exp.ptr);
	assert_int_equal(got.len, exp.len);
	buf_release(&got);
	buf_release(&exp);
}

static void test_title(void **state)
{
	const struct check_def *d = check_find("SVC-04");
	char stored[512], want[512];
	const char *detail = ": FTP accepts \"anonymous\" <login> (230)\x01\\";

	(void)state;
	assert_non_null(d);
	assert_string_not_equal(check_title(d, LANG_NL), check_title(d, LANG_EN));
	snprintf(stored, sizeof(stored), "%s%s", d->title_en, detail);
	snprintf(want, sizeof(want), "%s%s", check_title(d, LANG_NL), detail);
	title_is(d, stored, LANG_NL, want);
	title_is(d, stored, LANG_EN, stored);
	/* The title alone. */
	title_is(d, d->title_en, LANG_NL, check_title(d, LANG_NL));
	/* Not this check's title (an older wording, another check): as is. */
	title_is(d, "FTP reachable, as worded before", LANG_NL, "FTP reachable, as worded before");
	snprintf(stored, sizeof(stored), "%sX: more", d->title_en);
	title_is(d, stored, LANG_NL, stored);
	title_is(NULL, "VULN-CVE-2024-1: x", LANG_NL, "VULN-CVE-2024-1: x");
	title_is(d, NULL, LANG_NL, NULL);
}

static void test_req_lang(void **state)
{
	struct api_req rq;

	(void)state;
	memset(&rq, 0, sizeof(rq));
	assert_int_equal(api_req_lang(NULL), LANG_NL);
	assert_int_equal(api_req_lang(&rq), LANG_NL);
	rq.accept_language = "en-GB,en;q=0.9";
	assert_int_equal(api_req_lang(&rq), LANG_EN);
	rq.accept_language = "nl";
	assert_int_equal(api_req_lang(&rq), LANG_NL);
	rq.accept_language = "de-DE";
	assert_int_equal(api_req_lang(&rq), LANG_NL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_title),
	    cmocka_unit_test(test_req_lang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
