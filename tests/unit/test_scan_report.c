/*
 * test_scan_report.c: the text and JSON reports of a scan result built by
 * hand: sorting, languages, escaping of hostile evidence, the schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "scan/scan_int.h"

static void build(struct scan_result *res)
{
	struct scan_service *s;

	scan_result_init(res);
	str_lcpy(res->target, "lab.test", sizeof(res->target));
	res->started = 1795860000;
	res->finished = 1795860003;
	res->complete = 1;
	res->ports_scanned = 1000;
	res->hosts = calloc(1, sizeof(*res->hosts));
	assert_non_null(res->hosts);
	res->nhosts = 1;
	str_lcpy(res->hosts[0].name, "lab.test", sizeof(res->hosts[0].name));
	str_lcpy(res->hosts[0].addr, "127.77.0.20", sizeof(res->hosts[0].addr));
	res->hosts[0].answered = 1;
	s = calloc(2, sizeof(*s));
	assert_non_null(s);
	s[0].port = 22;
	str_lcpy(s[0].service, "ssh", sizeof(s[0].service));
	str_lcpy(s[0].product, "OpenSSH", sizeof(s[0].product));
	str_lcpy(s[0].version, "9.2p1", sizeof(s[0].version));
	s[1].port = 6379;
	str_lcpy(s[1].service, "redis", sizeof(s[1].service));
	res->hosts[0].svc = s;
	res->hosts[0].nsvc = 2;
	assert_int_equal(findings_add(&res->findings, "SVC-12", -1, CONF_HIGH, "lab.test", 22,
				      "auth methods: publickey,password", "SSH-2.0-OpenSSH_9.2p1"),
			 0);
	assert_int_equal(findings_add(&res->findings, "SVC-06", -1, CONF_HIGH, "lab.test", 6379,
				      "PING answered without a password",
				      "+PONG\r\n<script>\"\x01"),
			 0);
	assert_int_equal(
	    findings_add(&res->findings, "SCAN-02", -1, CONF_HIGH, "lab.test", -1, NULL, NULL), 0);
	assert_int_equal(findings_add(&res->findings, "NOPE-01", -1, CONF_HIGH, "x", 1, NULL, NULL),
			 ERR_NOTFOUND);
	findings_sort(&res->findings);
}

static void test_sorted_worst_first(void **state)
{
	struct scan_result res;

	(void)state;
	build(&res);
	assert_int_equal(res.findings.n, 3);
	assert_string_equal(res.findings.v[0].check_id, "SVC-06");
	assert_int_equal(res.findings.v[0].sev, SEV_CRITICAL);
	assert_string_equal(res.findings.v[1].check_id, "SVC-12");
	assert_string_equal(res.findings.v[2].check_id, "SCAN-02");
	/* Evidence is stored printable: control bytes escaped. */
	assert_string_equal(res.findings.v[0].evidence, "+PONG\\x0d\\x0a<script>\"\\x01");
	scan_result_release(&res);
}

static void test_text(void **state)
{
	struct scan_result res;
	struct buf out = BUF_INIT;

	(void)state;
	build(&res);
	assert_int_equal(scan_report_text(&res, LANG_EN, &out), 0);
	assert_non_null(strstr(out.ptr, "[CRITICAL] SVC-06"));
	assert_non_null(strstr(out.ptr, "   22/tcp  ssh         OpenSSH 9.2p1"));
	assert_non_null(strstr(out.ptr, "what to do: Bind it to 127.0.0.1"));
	assert_non_null(strstr(out.ptr, "1 critical, 0 high, 1 medium, 0 low, 1 info"));
	assert_true(strstr(out.ptr, "SVC-06") < strstr(out.ptr, "SVC-12"));
	buf_reset(&out);
	assert_int_equal(scan_report_text(&res, LANG_NL, &out), 0);
	assert_non_null(strstr(out.ptr, "Bevindingen: 1 critical"));
	assert_non_null(strstr(out.ptr, "tip: Laat hem alleen luisteren op 127.0.0.1"));
	buf_release(&out);
	scan_result_release(&res);
}

static void test_json(void **state)
{
	struct scan_result res;
	struct buf out = BUF_INIT;
	json_error_t jerr;
	json_t *doc, *f0, *svc;

	(void)state;
	build(&res);
	assert_int_equal(scan_report_json(&res, LANG_EN, &out), 0);
	doc = json_loads(out.ptr, 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "wachter.scan/1");
	assert_string_equal(json_string_value(json_object_get(doc, "started")),
			    "2026-11-28T10:00:00Z");
	assert_true(json_is_true(json_object_get(doc, "complete")));
	f0 = json_array_get(json_object_get(doc, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f0, "id")), "SVC-06");
	assert_string_equal(json_string_value(json_object_get(f0, "severity")), "critical");
	assert_string_equal(json_string_value(json_array_get(json_object_get(f0, "audience"), 0)),
			    "it");
	assert_int_equal(json_integer_value(json_object_get(f0, "port")), 6379);
	assert_string_equal(json_string_value(json_object_get(f0, "evidence")),
			    "+PONG\\x0d\\x0a<script>\"\\x01");
	assert_true(json_is_null(
	    json_object_get(json_array_get(json_object_get(doc, "findings"), 2), "port")));
	svc = json_array_get(
	    json_object_get(json_array_get(json_object_get(doc, "hosts"), 0), "services"), 0);
	assert_int_equal(json_integer_value(json_object_get(svc, "port")), 22);
	assert_string_equal(json_string_value(json_object_get(svc, "version")), "9.2p1");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(doc, "summary"), "critical")), 1);
	json_decref(doc);
	buf_release(&out);
	scan_result_release(&res);
}

static void test_starttls_choice(void **state)
{
	(void)state;
	assert_int_equal(scan_starttls_for("smtp", 25), TLS_STARTTLS_SMTP);
	assert_int_equal(scan_starttls_for("smtp", 465), TLS_STARTTLS_NONE);
	assert_int_equal(scan_starttls_for("imap", 143), TLS_STARTTLS_IMAP);
	assert_int_equal(scan_starttls_for("pop3", 110), TLS_STARTTLS_POP3);
	assert_int_equal(scan_starttls_for("ftp", 21), TLS_STARTTLS_FTP);
	assert_int_equal(scan_starttls_for("http", 80), TLS_STARTTLS_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sorted_worst_first),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_starttls_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
