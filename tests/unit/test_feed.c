/*
 * test_feed.c: the feed importers and the KB file: id, date, probability and
 * CPE helpers as tables; every format imported from small in-memory samples,
 * written, mapped and looked up; replacement rules; error messages; and a
 * damaged KB refused by kb_open.
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

#include "feed/feed_int.h"

static void test_cve_key(void **state)
{
	static const struct {
		const char *in;
		int ok;
		uint32_t y, n;
	} t[] = {
	    {"CVE-2021-44228", 1, 2021, 44228},
	    {"cve-1999-0001", 1, 1999, 1},
	    {"CVE-2021-1234567", 1, 2021, 1234567},
	    {"CVE-2021-123", 0, 0, 0},
	    {"CVE-21-1234", 0, 0, 0},
	    {"CVE-2021-1234x", 0, 0, 0},
	    {"CVE-2021-", 0, 0, 0},
	    {"XSA-2021-1234", 0, 0, 0},
	    {"CVE-2021-99999999999", 0, 0, 0},
	    {"", 0, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		uint32_t y = 0, n = 0;
		int r = feed_cve_key(t[i].in, strlen(t[i].in), &y, &n);

		assert_int_equal(r == 0, t[i].ok);
		if (t[i].ok) {
			assert_int_equal(y, t[i].y);
			assert_int_equal(n, t[i].n);
		}
	}
}

static void test_dates(void **state)
{
	static const struct {
		const char *in;
		int64_t want; /* -1 = error */
	} t[] = {
	    {"1970-01-01", 0},
	    {"2021-06-09T20:15Z", 1623269700},
	    {"2023-07-20T03:15:10.170", 1689822910},
	    {"2025-08-25T17:04:19.9796Z", 1756141459},
	    {"2025-08-25", 1756080000},
	    {"2025-13-01", -1},
	    {"25-08-01", -1},
	    {"2025/08/01", -1},
	    {"", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int64_t s = -1;
		int r = feed_parse_date(t[i].in, strlen(t[i].in), &s);

		if (t[i].want < 0) {
			assert_int_not_equal(r, 0);
		} else {
			assert_int_equal(r, 0);
			assert_int_equal(s, t[i].want);
		}
	}
}

static void test_epss_prob(void **state)
{
	static const struct {
		const char *in;
		int64_t want;
	} t[] = {
	    {"0.033510000", 33510000},
	    {"1", 1000000000},
	    {"1.000000000", 1000000000},
	    {"0.5", 500000000},
	    {"0.0000000019", 1},
	    {"1.1", -1},
	    {"2", -1},
	    {"-0.1", -1},
	    {"0.", -1},
	    {"", -1},
	    {"0.1e-3", -1},
	    {"0.98765432100", 987654321},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct cursor c;
		uint32_t v = 0;
		int r;

		cursor_init(&c, t[i].in, strlen(t[i].in));
		r = feed_epss_prob(&c, &v);
		if (t[i].want < 0) {
			assert_int_not_equal(r, 0);
		} else {
			assert_int_equal(r, 0);
			assert_int_equal(v, t[i].want);
		}
	}
}

static void test_cpe_vp(void **state)
{
	static const struct {
		const char *in, *want;
	} t[] = {
	    {"cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*", "openbsd:openssh"},
	    {"cpe:2.3:a:f5:nginx:*:*:*:*:open_source:*:*:*", "f5:nginx"},
	    {"cpe:2.3:a:foo\\:bar:baz\\\\:1:*:*:*:*:*:*:*", "foo\\:bar:baz\\\\"},
	    {"cpe:2.3:a:vendor:product", "vendor:product"},
	    {"cpe:2.3:a:vendor", NULL},
	    {"cpe:2.3:a::product:1", NULL},
	    {"cpe:/a:vendor:product", NULL},
	    {"", NULL},
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int r = feed_cpe_vendor_product(t[i].in, strlen(t[i].in), &b);

		if (!t[i].want) {
			assert_int_not_equal(r, 0);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(b.ptr, t[i].want);
	}
	buf_release(&b);
}

static void test_detect(void **state)
{
	static const struct {
		const char *in;
		enum feed_format f;
	} t[] = {
	    {"  {\"CVE_Items\": []}", FEED_FMT_NVD11},
	    {"#model_version:v1,score_date:2026-08-16\ncve,epss,percentile\n", FEED_FMT_EPSS},
	    {"cve,epss,percentile\nCVE-1999-0001,0.1,0.2\n", FEED_FMT_EPSS},
	    {"[29 Mar 2023] DSA-5380-1 xorg-server - security update\n", FEED_FMT_DEBIAN_ADV},
	    {"a2ps;cpe:/a:gnu:a2ps\n", FEED_FMT_DEBIAN_CPE},
	    {"#\n# comment\n#\ncpe:/a:asterisk:asterisk\n", FEED_FMT_DEBIAN_ALIASES},
	    {"hello world\n", FEED_FMT_UNKNOWN},
	    {"\x89PNG\r\n", FEED_FMT_UNKNOWN},
	    {"", FEED_FMT_UNKNOWN},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(feed_detect((const unsigned char *)t[i].in, strlen(t[i].in)),
				 t[i].f);
}

/* ------------------------------------------------------ sample feeds */

static const char nvd11[] =
    "{\"CVE_data_timestamp\": \"2021-09-10T07:00Z\", \"CVE_Items\": [\n"
    "{\"cve\": {\"CVE_data_meta\": {\"ID\": \"CVE-2021-0001\"},\n"
    "  \"problemtype\": {\"problemtype_data\": [{\"description\": [{\"lang\": \"en\", "
    "\"value\": \"NVD-CWE-Other\"}, {\"lang\": \"en\", \"value\": \"CWE-203\"}]}]},\n"
    "  \"description\": {\"description_data\": [{\"lang\": \"en\", \"value\": \"Timing "
    "\\u00e9 issue\"}]}},\n"
    " \"configurations\": {\"nodes\": [\n"
    "  {\"operator\": \"AND\", \"children\": [\n"
    "    {\"operator\": \"OR\", \"cpe_match\": [{\"vulnerable\": true, \"cpe23Uri\": "
    "\"cpe:2.3:o:intel:e810_firmware:*:*:*:*:*:*:*:*\", \"versionEndExcluding\": \"1.4.11\"}]},\n"
    "    {\"operator\": \"OR\", \"cpe_match\": [{\"vulnerable\": false, \"cpe23Uri\": "
    "\"cpe:2.3:h:intel:e810:-:*:*:*:*:*:*:*\"}]}],\n"
    "   \"cpe_match\": []},\n"
    "  {\"operator\": \"OR\", \"cpe_match\": [{\"vulnerable\": true, \"cpe23Uri\": "
    "\"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*\", \"versionStartIncluding\": \"8.0\", "
    "\"versionEndIncluding\": \"9.2\"}]}]},\n"
    " \"impact\": {\"baseMetricV3\": {\"cvssV3\": {\"version\": \"3.1\", \"vectorString\": "
    "\"CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N\", \"baseScore\": 4.7, \"baseSeverity\": "
    "\"MEDIUM\"}}, \"baseMetricV2\": {\"cvssV2\": {\"baseScore\": 2.1}, \"severity\": "
    "\"LOW\"}},\n"
    " \"publishedDate\": \"2021-06-09T20:15Z\", \"lastModifiedDate\": \"2021-06-28T18:03Z\"},\n"
    "{\"cve\": {\"CVE_data_meta\": {\"ID\": \"CVE-2021-0002\"}}, \"configurations\": "
    "{\"nodes\": []}, \"impact\": {}, \"publishedDate\": \"2021-06-09T20:15Z\", "
    "\"lastModifiedDate\": \"2021-06-28T18:03Z\"}\n"
    "]}\n";

static const char nvd20_cve[] =
    "{\"id\": \"CVE-2023-38408\", \"published\": \"2023-07-20T03:15:10.170\",\n"
    " \"lastModified\": \"2024-04-04T06:15:08.430\", \"vulnStatus\": \"Modified\",\n"
    " \"descriptions\": [{\"lang\": \"es\", \"value\": \"no\"}, {\"lang\": \"en\", \"value\": "
    "\"ssh-agent issue\"}],\n"
    " \"metrics\": {\"cvssMetricV31\": [{\"source\": \"cna\", \"type\": \"Secondary\", "
    "\"cvssData\": {\"version\": \"3.1\", \"vectorString\": \"CVSS:3.1/AV:N\", \"baseScore\": 5.0, "
    "\"baseSeverity\": \"MEDIUM\"}}, {\"source\": \"nvd@nist.gov\", \"type\": \"Primary\", "
    "\"cvssData\": {\"version\": \"3.1\", \"vectorString\": \"CVSS:3.1/AV:N/AC:L\", "
    "\"baseScore\": 9.8, \"baseSeverity\": \"CRITICAL\"}}]},\n"
    " \"weaknesses\": [{\"source\": \"nvd\", \"type\": \"Primary\", \"description\": "
    "[{\"lang\": \"en\", \"value\": \"CWE-428\"}]}],\n"
    " \"configurations\": [{\"nodes\": [{\"operator\": \"OR\", \"negate\": false, "
    "\"cpeMatch\": [{\"vulnerable\": true, \"criteria\": "
    "\"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*\", \"versionEndExcluding\": \"9.3\"}, "
    "{\"vulnerable\": true, \"criteria\": \"cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*\"}]}]},"
    " {\"operator\": \"AND\", \"nodes\": [{\"operator\": \"OR\", \"negate\": true, \"cpeMatch\": "
    "[{\"vulnerable\": false, \"criteria\": \"cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*\"}]}]}]"
    "}\n";

static const char kev[] =
    "{\"title\": \"CISA Catalog\", \"catalogVersion\": \"2025.08.25\", \"dateReleased\": "
    "\"2025-08-25T17:04:19.9796Z\", \"count\": 2, \"vulnerabilities\": [\n"
    "{\"cveID\": \"CVE-2023-38408\", \"dateAdded\": \"2025-01-02\", \"dueDate\": "
    "\"2025-01-23\", \"knownRansomwareCampaignUse\": \"Known\", \"cwes\": [\"CWE-428\"]},\n"
    "{\"cveID\": \"CVE-2021-44228\", \"dateAdded\": \"2021-12-10\", "
    "\"knownRansomwareCampaignUse\": \"Unknown\"}]}\n";

static const char epss[] = "#model_version:v2025.03.14,score_date:2026-08-16T00:00:00+0000\n"
			   "cve,epss,percentile\n"
			   "CVE-2021-0001,0.000430000,0.114670000\n"
			   "CVE-2023-38408,0.5,0.99\n"
			   "CVE-1999-0001,0.033510000,0.876500000\n";

static const char dsa[] =
    "[20 Mar 2023] DSA-5376-1 apache2 - security update\n"
    "\t{CVE-2006-20001 CVE-2023-27522}\n"
    "\t[bullseye] - apache2 2.4.56-1~deb11u1\n"
    "[02 Jul 2002] DSA-135 libapache-mod-ssl -- buffer overflow / DoS\n"
    "\t{CVE-2002-0653}\n"
    "\t[woody] - libapache-mod-ssl 2.8.9-2\n"
    "\t[sarge] - libapache-mod-ssl <not-affected> (Vulnerable code not present)\n"
    "\tNOTE: a remark\n"
    "[17 Mar 2023] DSA-5356-2 sox - regression update\n"
    "\t[bullseye] - sox 14.4.2+git20190427-2+deb11u2\n";

static const char cpelist[] = "apache2;cpe:/a:apache:http_server\n"
			      "openssh;cpe:/a:openbsd:openssh\n"
			      "openssh-portable;cpe:/a:openbsd:openssh\n"
			      "nocpe;\n";

static const char aliases[] = "#\n# aliases\n#\ncpe:/a:openssh:openssh\ncpe:/a:openbsd:openssh\n"
			      "\ncpe:/a:clamav:clamav\ncpe:/a:clam_anti-virus:clamav\n";

static void import_ok(struct feed_kb_builder *b, const char *name, const char *data,
		      enum feed_format want)
{
	struct buf err = BUF_INIT;
	enum feed_format f = FEED_FMT_UNKNOWN;
	int r = feed_import_mem(b, name, data, strlen(data), NULL, &err, &f);

	if (r != 0)
		fail_msg("%s: %s (%s)", name, err.ptr, err_str(r));
	assert_int_equal(f, want);
	buf_release(&err);
}

static char *kb_path(const char *name)
{
	const char *tmp = getenv("WACHTER_TMP");
	struct buf p = BUF_INIT;

	if (!tmp)
		tmp = "/tmp";
	mkdir(tmp, 0755);
	assert_int_equal(buf_addf(&p, "%s/%s", tmp, name), 0);
	return buf_take(&p);
}

struct collect {
	int n;
	char seen[1024];
};

static int collect_match(const struct kb_match *m, void *ctx)
{
	struct collect *c = ctx;
	size_t l = strlen(c->seen);

	c->n++;
	snprintf(c->seen + l, sizeof(c->seen) - l, "%s[%s,%s]%u;", m->cpe, m->version_start,
		 m->version_end, m->flags);
	return 0;
}

static int collect_deb(const struct kb_deb_fix *f, void *ctx)
{
	struct collect *c = ctx;
	size_t l = strlen(c->seen);

	c->n++;
	snprintf(c->seen + l, sizeof(c->seen) - l, "%s/%s/%s/%s/%d;", f->release, f->cve,
		 f->version, f->advisory, (int)f->status);
	return 0;
}

static int collect_pair(const char *a, const char *b, void *ctx)
{
	struct collect *c = ctx;
	size_t l = strlen(c->seen);

	c->n++;
	snprintf(c->seen + l, sizeof(c->seen) - l, "%s=%s;", a, b ? b : "");
	return 0;
}

static void build_all(const char *path)
{
	struct feed_kb_builder *b = NULL;
	struct buf err = BUF_INIT;

	assert_int_equal(feed_kb_builder_new(&b), 0);
	import_ok(b, "nvd11.json", nvd11, FEED_FMT_NVD11);
	import_ok(b, "cve.json", nvd20_cve, FEED_FMT_NVD20_CVE);
	import_ok(b, "kev.json", kev, FEED_FMT_KEV);
	import_ok(b, "epss.csv", epss, FEED_FMT_EPSS);
	import_ok(b, "DSA/list", dsa, FEED_FMT_DEBIAN_ADV);
	import_ok(b, "CPE/list", cpelist, FEED_FMT_DEBIAN_CPE);
	import_ok(b, "CPE/aliases", aliases, FEED_FMT_DEBIAN_ALIASES);
	assert_int_equal(feed_kb_write(b, path, &err), 0);
	feed_kb_builder_free(b);
	buf_release(&err);
}

static void test_kb_roundtrip(void **state)
{
	char *path = kb_path("test_feed.kb");
	struct kb *kb = NULL;
	struct kb_cve_info ci;
	struct kb_counts n;
	struct kb_node node;
	struct collect c;

	(void)state;
	build_all(path);
	assert_int_equal(kb_open(path, &kb), 0);
	kb_counts(kb, &n);
	assert_int_equal(n.nvd_cves, 3);
	assert_int_equal(n.nvd_match_cves, 2);
	assert_int_equal(n.match_rows, 6);
	assert_int_equal(n.kev, 2);
	assert_int_equal(n.epss, 3);
	assert_int_equal(n.deb_advisories, 3);
	assert_int_equal(n.deb_fix_rows, 4);
	assert_int_equal(n.deb_cve_fixes, 3);
	assert_int_equal(n.deb_cpe, 3);
	assert_int_equal(n.alias_groups, 2);
	assert_int_equal(n.cves, 5); /* + CVE-1999-0001 (EPSS) and CVE-2021-44228 (KEV) */

	assert_int_equal(kb_cve(kb, "CVE-2021-0001", &ci), 0);
	assert_int_equal(ci.cwe, 203);
	assert_int_equal(ci.cvss_version, 31);
	assert_true(ci.cvss_score > 4.69 && ci.cvss_score < 4.71);
	assert_int_equal(ci.severity, KB_SEV_MEDIUM);
	assert_string_equal(ci.description, "Timing \xc3\xa9 issue");
	assert_int_equal(ci.published, 1623269700);
	assert_int_equal(ci.n_nodes, 4);
	assert_true(ci.flags & KB_CVE_EPSS);
	assert_true(ci.epss > 0.00042 && ci.epss < 0.00044);
	/* the AND node and its two children */
	assert_int_equal(kb_node(kb, ci.first_node, &node), 0);
	assert_int_equal(node.op, KB_OP_AND);
	assert_int_equal(node.parent, KB_NODE_NONE);
	assert_int_equal(node.n_match, 0);
	assert_int_equal(kb_node(kb, ci.first_node + 1, &node), 0);
	assert_int_equal(node.parent, ci.first_node);
	assert_int_equal(node.n_match, 1);

	assert_int_equal(kb_cve(kb, "cve-2023-38408", &ci), 0);
	assert_int_equal(ci.cvss_version, 31);
	assert_true(ci.cvss_score > 9.79);
	assert_string_equal(ci.cvss_vector, "CVSS:3.1/AV:N/AC:L");
	assert_int_equal(ci.severity, KB_SEV_CRITICAL);
	assert_string_equal(ci.description, "ssh-agent issue");
	assert_true(ci.flags & KB_CVE_KEV);
	assert_true(ci.flags & KB_CVE_RANSOMWARE);
	assert_int_equal(ci.kev_date_added, 1735776000);
	assert_int_equal(ci.n_nodes, 4); /* 2 configurations, each with one node */
	assert_int_equal(kb_node(kb, ci.first_node + 3, &node), 0);
	assert_int_equal(node.negate, 1);
	assert_int_equal(node.parent, ci.first_node + 2);
	assert_int_equal(kb_node(kb, ci.first_node + 2, &node), 0);
	assert_int_equal(node.op, KB_OP_AND);

	assert_int_equal(kb_cve(kb, "CVE-2021-44228", &ci), 0);
	assert_int_equal(ci.flags, KB_CVE_KEV);
	assert_int_equal(kb_cve(kb, "CVE-2000-0001", &ci), ERR_NOTFOUND);
	assert_int_equal(kb_cve(kb, "bogus", &ci), ERR_INVAL);

	memset(&c, 0, sizeof(c));
	assert_int_equal(kb_lookup_product(kb, "openbsd", "openssh", collect_match, &c), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.seen, "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*[8.0,9.2]11;"
				    "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*[,9.3]17;"
				    "cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*[,]1;");
	memset(&c, 0, sizeof(c));
	assert_int_equal(kb_lookup_product(kb, "openbsd", "opensshx", collect_match, &c), 0);
	assert_int_equal(kb_lookup_product(kb, "openbs", "d:openssh", collect_match, &c), 0);
	assert_int_equal(kb_lookup_product(kb, "", "", collect_match, &c), 0);
	assert_int_equal(c.n, 0);

	memset(&c, 0, sizeof(c));
	assert_int_equal(kb_debian_fixes(kb, "libapache-mod-ssl", NULL, collect_deb, &c), 0);
	assert_string_equal(c.seen, "sarge/CVE-2002-0653//DSA-135/1;"
				    "woody/CVE-2002-0653/2.8.9-2/DSA-135/0;");
	memset(&c, 0, sizeof(c));
	assert_int_equal(kb_debian_fixes(kb, "apache2", "bullseye", collect_deb, &c), 0);
	assert_int_equal(c.n, 2);
	memset(&c, 0, sizeof(c));
	assert_int_equal(kb_debian_packages_by_cpe(kb, "openbsd", "openssh", collect_pair, &c), 0);
	assert_string_equal(c.seen, "openssh=openbsd:openssh;openssh-portable=openbsd:openssh;");
	memset(&c, 0, sizeof(c));
	assert_int_equal(kb_debian_cpe_by_package(kb, "apache2", collect_pair, &c), 0);
	assert_string_equal(c.seen, "apache2=apache:http_server;");
	memset(&c, 0, sizeof(c));
	assert_int_equal(kb_aliases(kb, "openbsd", "openssh", collect_pair, &c), 0);
	assert_string_equal(c.seen, "openssh:openssh=;openbsd:openssh=;");

	assert_string_equal(kb_meta(kb, "kev.catalog_version"), "2025.08.25");
	assert_string_equal(kb_meta(kb, "epss.score_date"), "2026-08-16T00:00:00+0000");
	assert_string_equal(kb_meta(kb, "nvd.timestamp.max"), "2021-09-10T07:00Z");
	assert_null(kb_meta(kb, "nope"));
	kb_close(kb);
	free(path);
}

/* Loading a KB and importing the same files again gives the same file. */
static void test_reimport_identical(void **state)
{
	char *path = kb_path("test_feed_re.kb"), *path2 = kb_path("test_feed_re2.kb");
	struct feed_kb_builder *b = NULL;
	struct kb *k1 = NULL, *k2 = NULL;
	struct buf err = BUF_INIT;
	struct kb_cve_info ci;

	(void)state;
	build_all(path);
	assert_int_equal(feed_kb_builder_new(&b), 0);
	assert_int_equal(feed_kb_builder_load(b, path, &err), 0);
	import_ok(b, "nvd11.json", nvd11, FEED_FMT_NVD11);
	import_ok(b, "cve.json", nvd20_cve, FEED_FMT_NVD20_CVE);
	import_ok(b, "kev.json", kev, FEED_FMT_KEV);
	import_ok(b, "epss.csv", epss, FEED_FMT_EPSS);
	import_ok(b, "DSA/list", dsa, FEED_FMT_DEBIAN_ADV);
	import_ok(b, "CPE/list", cpelist, FEED_FMT_DEBIAN_CPE);
	import_ok(b, "CPE/aliases", aliases, FEED_FMT_DEBIAN_ALIASES);
	/* a newer KEV catalogue without CVE-2021-44228 replaces the old one */
	import_ok(b, "kev2.json",
		  "{\"catalogVersion\": \"2025.09.01\", \"vulnerabilities\": "
		  "[{\"cveID\": \"CVE-2023-38408\", \"dateAdded\": \"2025-01-02\"}]}",
		  FEED_FMT_KEV);
	/* an older copy of a CVE does not replace a newer one */
	import_ok(b, "old.json",
		  "{\"id\": \"CVE-2023-38408\", \"lastModified\": \"2023-01-01T00:00:00.000\"}",
		  FEED_FMT_NVD20_CVE);
	assert_int_equal(feed_kb_write(b, path2, &err), 0);
	feed_kb_builder_free(b);
	assert_int_equal(kb_open(path, &k1), 0);
	assert_int_equal(kb_open(path2, &k2), 0);
	assert_int_equal(k1->n_matches, k2->n_matches);
	assert_int_equal(k1->n_nodes, k2->n_nodes);
	assert_int_equal(k1->n_deb, k2->n_deb);
	assert_int_equal(kb_cve(k2, "CVE-2021-44228", &ci), ERR_NOTFOUND);
	assert_int_equal(kb_cve(k2, "CVE-2023-38408", &ci), 0);
	assert_int_equal(ci.n_nodes, 4);
	assert_string_equal(kb_meta(k2, "kev.catalog_version"), "2025.09.01");
	kb_close(k1);
	kb_close(k2);
	buf_release(&err);
	free(path);
	free(path2);
}

static void test_errors(void **state)
{
	static const struct {
		const char *data, *msg;
		int code;
	} t[] = {
	    {"{\"CVE_Items\": [\n{\"cve\": }]}", "t:2: unexpected character", ERR_PARSE},
	    {"{\"CVE_Items\": [", "t:1: unexpected end of input", ERR_PARSE},
	    {"{\"a\": 1}", "t: unrecognised format (JSON without", ERR_PARSE},
	    {"[1, 2]", "t: unrecognised format", ERR_PARSE},
	    {" \"str\"", "t: unrecognised format", ERR_PARSE},
	    {"{} ", "t: unrecognised format (JSON without", ERR_PARSE},
	    {"{\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2020-1111\"}}, {\"cve\": {\"id\": "
	     "\"CVE-2020-1111\"}}]}",
	     "t: CVE-2020-1111: duplicate record in this file", ERR_EXISTS},
	    {"{\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-20-1\"}}]}", "bad CVE id", ERR_PARSE},
	    {"{\"vulnerabilities\": [{\"cveID\": \"CVE-2020-1111\"}, {\"cve\": {\"id\": "
	     "\"CVE-2020-1112\"}}]}",
	     "kev and nvd-2.0 records mixed", ERR_PARSE},
	    {"{\"id\": \"CVE-2020-1111\", \"configurations\": [{\"nodes\": [{\"cpeMatch\": "
	     "[{\"criteria\": \"cpe:/a:x:y\"}]}]}]}",
	     "t: CVE-2020-1111: malformed CPE", ERR_PARSE},
	    {"{\"id\": \"CVE-2020-1111\", \"configurations\": [{\"nodes\": [{\"cpeMatch\": "
	     "[{\"vulnerable\": true}]}]}]}",
	     "t: CVE-2020-1111: cpeMatch without a CPE", ERR_PARSE},
	    {"{\"id\": \"CVE-2020-1111\", \"x\": \"\\q\"}", "t:1: bad escape", ERR_PARSE},
	    {"{\"id\": \"CVE-2020-1111\"} x", "data after the JSON value", ERR_PARSE},
	    {"{\"id\": \"CVE-2020-1111\", \"x\": [1,]}", "unexpected character", ERR_PARSE},
	    {"{\"id\": \"CVE-2020-1111\", \"x\": {\"a\" 1}}", "expected ':'", ERR_PARSE},
	    {"cve,epss,percentile\nCVE-2020-1111,0.1,0.2\nCVE-2020-1111,0.1,0.2\n",
	     "t: CVE-2020-1111: duplicate EPSS", ERR_EXISTS},
	    {"cve,epss,percentile\nCVE-2020-1111,1.5,0.2\n", "t:2: bad probability", ERR_PARSE},
	    {"cve,epss,percentile\nCVE-2020-1111;0.1\n", "t:2: expected cve,epss", ERR_PARSE},
	    {"[20 Mar 2023] DSA-1-1 a - b\n[20 Mar 2023] DSA-1-1 a - b\n",
	     "t:2: duplicate advisory DSA-1-1", ERR_EXISTS},
	    {"[20 Mar 2023] DSA-1-1 a - b\n\t{CVE-2020-1 }\n", "t:2: bad CVE id", ERR_PARSE},
	    {"[20 Mar 2023] DSA-1-1 a - b\ngarbage\n", "t:2: unexpected line", ERR_PARSE},
	    {"a;cpe:/a:x:y\nb;nocpe\n", "t:2: bad CPE", ERR_PARSE},
	    {"just text\n", "t: unrecognised format", ERR_PARSE},
	    {"", "t: empty file", ERR_PARSE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct feed_kb_builder *b = NULL;
		struct buf err = BUF_INIT;
		int r;

		assert_int_equal(feed_kb_builder_new(&b), 0);
		r = feed_import_mem(b, "t", t[i].data, strlen(t[i].data), NULL, &err, NULL);
		if (r != t[i].code || !strstr(err.ptr, t[i].msg))
			fail_msg("case %zu: got %d \"%s\", want %d \"%s\"", i, r, err.ptr,
				 t[i].code, t[i].msg);
		feed_kb_builder_free(b);
		buf_release(&err);
	}
}

static void test_long_version(void **state)
{
	struct feed_kb_builder *b = NULL;
	struct buf err = BUF_INIT, in = BUF_INIT;
	int i;

	(void)state;
	assert_int_equal(
	    buf_adds(&in, "{\"id\": \"CVE-2020-1111\", \"configurations\": [{\"nodes\": "
			  "[{\"cpeMatch\": [{\"criteria\": "
			  "\"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*\", \"versionStartIncluding\": \""),
	    0);
	for (i = 0; i < 257; i++)
		assert_int_equal(buf_addch(&in, '1'), 0);
	assert_int_equal(buf_adds(&in, "\"}]}]}]}"), 0);
	assert_int_equal(feed_kb_builder_new(&b), 0);
	assert_int_equal(feed_import_mem(b, "f.json", in.ptr, in.len, NULL, &err, NULL),
			 ERR_TOO_BIG);
	assert_string_equal(err.ptr,
			    "f.json: CVE-2020-1111: versionStartIncluding longer than 256 bytes");
	feed_kb_builder_free(b);
	buf_release(&err);
	buf_release(&in);
}

/* Every single-byte change and every truncation of a small KB must be
 * refused or survive a full walk: the KB is untrusted input too. */
static int walk_cb(const struct kb_match *m, void *ctx)
{
	(void)ctx;
	return (int)(strlen(m->cpe) + strlen(m->version_end)) < 0;
}

static void test_kb_damaged(void **state)
{
	char *path = kb_path("test_feed_dmg.kb"), *bad = kb_path("test_feed_bad.kb");
	struct kb *kb = NULL;
	unsigned char *img;
	FILE *fp;
	long size, i;
	int refused = 0;

	(void)state;
	build_all(path);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	img = malloc((size_t)size);
	assert_non_null(img);
	assert_int_equal(fread(img, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	for (i = 0; i < size; i += (i < 400 ? 1 : 7)) {
		unsigned char keep = img[i];
		struct kb_cve_info ci;
		struct kb_counts n;
		uint32_t j;

		img[i] ^= 0xa5;
		fp = fopen(bad, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(img, 1, (size_t)size, fp), (size_t)size);
		fclose(fp);
		img[i] = keep;
		if (kb_open(bad, &kb) != 0) {
			refused++;
			continue;
		}
		kb_counts(kb, &n);
		for (j = 0; j < kb_cve_count(kb); j++)
			assert_int_equal(kb_cve_at(kb, j, &ci), 0);
		assert_int_equal(kb_lookup_product(kb, "openbsd", "openssh", walk_cb, NULL), 0);
		kb_close(kb);
	}
	assert_true(refused > 0);
	/* truncated */
	fp = fopen(bad, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(img, 1, (size_t)size - 1, fp), (size_t)size - 1);
	fclose(fp);
	assert_int_equal(kb_open(bad, &kb), ERR_PARSE);
	assert_int_equal(kb_open("/nonexistent/kb", &kb), ERR_NOTFOUND);
	free(img);
	free(path);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cve_key),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_epss_prob),
	    cmocka_unit_test(test_cpe_vp),
	    cmocka_unit_test(test_detect),
	    cmocka_unit_test(test_kb_roundtrip),
	    cmocka_unit_test(test_reimport_identical),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_long_version),
	    cmocka_unit_test(test_kb_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
