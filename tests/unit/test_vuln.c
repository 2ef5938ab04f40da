/*
 * test_vuln.c: the matcher on a KB built from the real feeds: the nvd-2.0
 * records of the lab's software, the 2007 and 2008 NVD 1.1 years (the
 * versionless and Red Hat traps), KEV and the Debian DSA list + CPE lists.
 * The data set's negative cases, the acceptance traps, positive cases for
 * OpenSSH, nginx, Apache, PHP and MySQL, Debian tracker and changelog
 * backports, the scanner findings, and the helpers as tables.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "vuln/vuln_int.h"

static struct kb *g_kb;
static char g_kb_path[4096];

static int add_file(struct feed_kb_builder *b, const char *path)
{
	struct buf err = BUF_INIT;
	int r = feed_import(b, path, NULL, &err);

	if (r != 0)
		fprintf(stderr, "import %s: %s\n", path, err.ptr);
	buf_release(&err);
	return r;
}

static int setup(void **state)
{
	const char *src = getenv("WACHTER_SRC"), *tmp = getenv("WACHTER_TMP");
	struct feed_kb_builder *b = NULL;
	struct buf err = BUF_INIT;
	char dir[4096], path[8192];
	static const char *const files[] = {"nvd-1.1/nvdcve-1.1-2007.json.gz",
					    "nvd-1.1/nvdcve-1.1-2008.json.gz",
					    "kev/known_exploited_vulnerabilities.json",
					    "debian/DSA/list",
					    "debian/CPE/list",
					    "debian/CPE/aliases"};
	struct dirent *de;
	DIR *d;
	size_t i;
	int r = -1;

	(void)state;
	if (!src)
		src = ".";
	if (!tmp)
		tmp = "/tmp";
	mkdir(tmp, 0755);
	if (getenv("WACHTER_SHARED"))
		snprintf(dir, sizeof(dir), "%s/data/vuln", getenv("WACHTER_SHARED"));
	else
		snprintf(dir, sizeof(dir), "%s/../shared/data/vuln", src);
	snprintf(g_kb_path, sizeof(g_kb_path), "%s/test_vuln.kb", tmp);
	if (feed_kb_builder_new(&b) != 0)
		return -1;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (add_file(b, path) != 0)
			goto out;
	}
	snprintf(path, sizeof(path), "%s/nvd-2.0", dir);
	d = opendir(path);
	if (!d)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "CVE-", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/nvd-2.0/%s", dir, de->d_name);
		if (add_file(b, path) != 0) {
			closedir(d);
			goto out;
		}
	}
	closedir(d);
	if (feed_kb_write(b, g_kb_path, &err) != 0)
		goto out;
	r = kb_open(g_kb_path, &g_kb);
out:
	buf_release(&err);
	feed_kb_builder_free(b);
	return r;
}

static int teardown(void **state)
{
	(void)state;
	kb_close(g_kb);
	remove(g_kb_path);
	return 0;
}

/* conf of cve in h, or -1 when absent */
static int conf_of(const struct vuln_hits *h, const char *cve)
{
	const struct vuln_hit *x = vuln_hits_find(h, cve);

	return x ? (int)x->conf : -1;
}

static void product(const char *name, const char *ver, const char *hint, struct vuln_hits *h)
{
	vuln_hits_release(h);
	assert_int_equal(vuln_match_product(g_kb, name, ver, hint, h), 0);
}

/* ------------------------------------------------------------ OpenSSH */

static void test_openssh_upstream(void **state)
{
	struct vuln_hits h = VULN_HITS_INIT;
	const struct vuln_hit *x;

	(void)state;
	product("OpenSSH", "9.2p1", NULL, &h);
	assert_int_equal(conf_of(&h, "CVE-2024-6387"), CONF_HIGH);
	x = vuln_hits_find(&h, "CVE-2024-6387");
	assert_string_equal(x->why, "9.2p1 in [8.6, 9.8)");
	assert_string_equal(x->fixed, "9.8");
	assert_string_equal(x->matched, "openbsd:openssh");
	assert_true(x->cvss > 8.0 && x->cvss < 8.2);
	assert_int_equal(x->sev, SEV_HIGH);
	assert_int_equal(conf_of(&h, "CVE-2023-38408"), CONF_HIGH); /* < 9.3 */
	assert_int_equal(conf_of(&h, "CVE-2023-51384"), CONF_HIGH); /* < 9.6 */
	assert_int_equal(conf_of(&h, "CVE-2025-26465"), CONF_HIGH); /* [6.9, 9.8] */
	assert_int_equal(conf_of(&h, "CVE-2025-26466"), -1);	    /* 9.5p1..9.9p1 only */
	assert_int_equal(conf_of(&h, "CVE-2023-25136"), -1);	    /* 9.1 only */
	/* the versionless 2007 entry: at most low */
	assert_int_equal(conf_of(&h, "CVE-2007-2768"), CONF_LOW);
	x = vuln_hits_find(&h, "CVE-2007-2768");
	assert_true(x->flags & VULN_HF_ALL_VERSIONS);
	assert_string_equal(x->why, "all versions (versionless entry)");
	/* the Red Hat trojan: needs its platform, unknown here */
	assert_int_equal(conf_of(&h, "CVE-2008-3844"), -1);
	/* sorted worst first */
	assert_true(h.n >= 5);
	assert_true(h.v[0].sev >= h.v[h.n - 1].sev);
	vuln_hits_release(&h);
}

static void test_openssh_versions(void **state)
{
	static const struct {
		const char *ver, *cve;
		int conf;
	} t[] = {
	    {"9.3p1", "CVE-2023-38408", CONF_HIGH},   /* 9.3:p1 listed */
	    {"9.3p2", "CVE-2023-38408", -1},	      /* the fix */
	    {"9.8p1", "CVE-2024-6387", -1},	      /* the fix */
	    {"8.5p1", "CVE-2024-6387", CONF_HIGH},    /* 8.5:p1 listed */
	    {"8.4p1", "CVE-2024-6387", -1},	      /* before the regression */
	    {"4.3p2", "CVE-2024-6387", CONF_HIGH},    /* < 4.4 */
	    {"9.8p1", "CVE-2025-26465", CONF_MEDIUM}, /* "<= 9.8" taken for 9.8p1 */
	    {"9.9p1", "CVE-2025-26465", CONF_HIGH},   /* 9.9:p1 listed */
	    {"9.9p2", "CVE-2025-26465", -1},	      {"9.6p1", "CVE-2025-26466", CONF_HIGH},
	    {"9.1p1", "CVE-2023-25136", CONF_MEDIUM}, /* "9.1:*": update not stated */
	};
	struct vuln_hits h = VULN_HITS_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		product("openssh", t[i].ver, NULL, &h);
		if (conf_of(&h, t[i].cve) != t[i].conf)
			fail_msg("openssh %s %s: conf %d, want %d", t[i].ver, t[i].cve,
				 conf_of(&h, t[i].cve), t[i].conf);
	}
	vuln_hits_release(&h);
}

static void test_openssh_debian_banner(void **state)
{
	struct vuln_hits h = VULN_HITS_INIT;
	const struct vuln_hit *x;

	(void)state;
	/* bookworm: no tracker data in this snapshot: backports possible */
	product("OpenSSH", "9.2p1", "Debian-2+deb12u3", &h);
	x = vuln_hits_find(&h, "CVE-2024-6387");
	assert_non_null(x);
	assert_int_equal(x->conf, CONF_LOW);
	assert_true(x->flags & VULN_HF_BACKPORT);
	assert_non_null(strstr(x->why, "backported"));
	assert_int_equal(conf_of(&h, "CVE-2008-3844"), -1); /* Debian is not Red Hat */
	assert_true(conf_of(&h, "CVE-2007-2768") <= CONF_LOW);
	/* stretch: the tracker knows: deb9u4 has CVE-2018-15473's fix but not
	 * CVE-2018-20685's (fixed in 1:7.4p1-10+deb9u5) */
	product("OpenSSH", "7.4p1", "Debian-10+deb9u4", &h);
	x = vuln_hits_find(&h, "CVE-2018-20685");
	assert_non_null(x);
	assert_int_equal(x->conf, CONF_HIGH);
	assert_true(x->flags & VULN_HF_TRACKER);
	assert_string_equal(x->fixed, "1:7.4p1-10+deb9u5");
	assert_non_null(strstr(x->why, "debian stretch: fixed in openssh 1:7.4p1-10+deb9u5"));
	assert_int_equal(conf_of(&h, "CVE-2018-15473"), -1);
	assert_int_equal(conf_of(&h, "CVE-2019-6111"), CONF_HIGH);
	/* deb9u6 has them all */
	product("OpenSSH", "7.4p1", "Debian-10+deb9u6", &h);
	assert_int_equal(conf_of(&h, "CVE-2018-20685"), -1);
	assert_int_equal(conf_of(&h, "CVE-2019-6111"), -1);
	/* Ubuntu: backports, no tracker */
	product("OpenSSH", "9.2p1", "Ubuntu-3ubuntu0.10", &h);
	assert_int_equal(conf_of(&h, "CVE-2024-6387"), CONF_LOW);
	vuln_hits_release(&h);
}

static int parse(const char *s, struct cpe *c)
{
	return cpe_parse(s, strlen(s), c);
}

static void test_redhat_platform(void **state)
{
	const char *ssh = "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*";
	struct vuln_hits h = VULN_HITS_INIT;
	struct cpe os;
	struct cpe_platform pl = {&os, 1, CPE_PLAT_OS};
	const struct vuln_hit *x;

	(void)state;
	assert_int_equal(parse("cpe:2.3:o:redhat:enterprise_linux:5.0:*:*:*:*:*:*:*", &os), 0);
	assert_int_equal(vuln_match_cpe(g_kb, ssh, &pl, 0, &h), 0);
	x = vuln_hits_find(&h, "CVE-2008-3844");
	assert_non_null(x);
	assert_int_equal(x->conf, CONF_LOW); /* a versionless row even there */
	assert_int_equal(conf_of(&h, "CVE-2024-6387"), CONF_HIGH);
	cpe_release(&os);
	vuln_hits_release(&h);

	assert_int_equal(parse("cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*", &os), 0);
	assert_int_equal(vuln_match_cpe(g_kb, ssh, &pl, 0, &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2008-3844"), -1);
	/* --all keeps it on an unknown platform, low */
	vuln_hits_release(&h);
	assert_int_equal(vuln_match_cpe(g_kb, ssh, NULL, VULN_F_ALL, &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2008-3844"), CONF_LOW);
	assert_true(vuln_hits_find(&h, "CVE-2008-3844")->flags & VULN_HF_PLATFORM_UNKNOWN);
	vuln_hits_release(&h);
	assert_int_equal(vuln_match_cpe(g_kb, ssh, NULL, 0, &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2008-3844"), -1);
	/* VULN_F_BACKPORTS: version-only matches at most low */
	vuln_hits_release(&h);
	assert_int_equal(vuln_match_cpe(g_kb, ssh, NULL, VULN_F_BACKPORTS, &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2024-6387"), CONF_LOW);
	cpe_release(&os);
	vuln_hits_release(&h);
}

/* ------------------------------------------------ other products */

static void test_products(void **state)
{
	static const struct {
		const char *name, *ver, *hint, *cve;
		int conf;
	} t[] = {
	    /* nginx: <= 1.22.0 (open_source), f5:nginx found from "nginx" */
	    {"nginx", "1.22.1", NULL, "CVE-2022-41741", -1},
	    {"nginx", "1.22.0", NULL, "CVE-2022-41741", CONF_HIGH},
	    {"nginx", "1.23.1", NULL, "CVE-2022-41741", CONF_HIGH},
	    {"nginx", "1.20.0", NULL, "CVE-2021-3618", CONF_HIGH},
	    {"nginx", "1.22.1", NULL, "CVE-2021-3618", -1},
	    /* Apache httpd (nmap's name) */
	    {"Apache httpd", "2.4.55", NULL, "CVE-2023-25690", CONF_HIGH},
	    {"Apache httpd", "2.4.56", NULL, "CVE-2023-25690", -1},
	    {"apache2", "2.4.57", NULL, "CVE-2023-31122", CONF_HIGH},
	    {"Apache httpd", "2.4.58", "(Debian)", "CVE-2024-27316", CONF_LOW},
	    {"Apache httpd", "2.4.59", NULL, "CVE-2024-27316", -1},
	    /* PHP on Windows only, though its CPE says nothing of the OS */
	    {"php", "8.2.7", "(Debian)", "CVE-2024-4577", CONF_LOW},
	    {"php", "8.2.7", NULL, "CVE-2024-4577", CONF_MEDIUM},
	    {"php", "8.2.20", NULL, "CVE-2024-4577", -1},
	    /* a MariaDB issue NVD lists only as oracle:mysql: not for MariaDB */
	    {"MariaDB", "10.11.6", NULL, "CVE-2023-22084", -1},
	    {"mysql", "8.0.34", NULL, "CVE-2023-22084", CONF_HIGH},
	    {"mysql", "8.0.35", NULL, "CVE-2023-22084", -1},
	    /* redis, samba, bind by banner name */
	    {"redis", "7.0.11", NULL, "CVE-2023-45145", CONF_HIGH},
	    {"isc:bind", "9.18.10", NULL, "CVE-2023-2828", CONF_HIGH},
	};
	struct vuln_hits h = VULN_HITS_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		product(t[i].name, t[i].ver, t[i].hint, &h);
		if (conf_of(&h, t[i].cve) != t[i].conf)
			fail_msg("%s %s %s: %s conf %d, want %d", t[i].name, t[i].ver,
				 t[i].hint ? t[i].hint : "", t[i].cve, conf_of(&h, t[i].cve),
				 t[i].conf);
	}
	vuln_hits_release(&h);
}

static void test_wordpress_versionless(void **state)
{
	struct vuln_hits h = VULN_HITS_INIT;
	size_t i, old = 0;

	(void)state;
	product("WordPress", "6.4", NULL, &h);
	for (i = 0; i < h.n; i++) {
		if (strncmp(h.v[i].cve, "CVE-2007-", 9) && strncmp(h.v[i].cve, "CVE-2008-", 9))
			continue;
		old++;
		if (h.v[i].conf != CONF_LOW)
			fail_msg("%s is %s for WordPress 6.4", h.v[i].cve,
				 check_conf_name(h.v[i].conf));
	}
	assert_true(old > 0); /* they are there, but low */
	vuln_hits_release(&h);
}

static void test_errors(void **state)
{
	struct vuln_hits h = VULN_HITS_INIT;

	(void)state;
	assert_int_equal(vuln_match_cpe(g_kb, "cpe:2.3:a:x", NULL, 0, &h), ERR_PARSE);
	assert_int_equal(vuln_match_cpe(g_kb, "not a cpe", NULL, 0, &h), ERR_PARSE);
	assert_int_equal(vuln_match_product(g_kb, "no-such-product-xyz", "1.0", NULL, &h),
			 ERR_NOTFOUND);
	assert_int_equal(vuln_match_product(g_kb, "openssh", "", NULL, &h), ERR_INVAL);
	assert_int_equal(vuln_match_product(g_kb, "openssh", NULL, NULL, &h), ERR_INVAL);
	assert_int_equal(vuln_match_package(g_kb, "no-such-package-xyz", "1.0-1", "bookworm", &h),
			 ERR_NOTFOUND);
	assert_int_equal(vuln_match_package(g_kb, "nginx", "1.0-1", NULL, &h), ERR_INVAL);
	assert_int_equal(h.n, 0);
	/* no version in the CPE: nothing to say unless --all */
	assert_int_equal(
	    vuln_match_cpe(g_kb, "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", NULL, 0, &h), 0);
	assert_int_equal(h.n, 0);
	/* a CPE 2.2 URI works too */
	assert_int_equal(vuln_match_cpe(g_kb, "cpe:/a:openbsd:openssh:9.2p1", NULL, 0, &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2024-6387"), CONF_HIGH);
	vuln_hits_release(&h);
}

/* ------------------------------------------------------ packages */

static void test_packages(void **state)
{
	struct vuln_hits h = VULN_HITS_INIT;
	const struct vuln_hit *x;

	(void)state;
	assert_int_equal(vuln_match_package(g_kb, "nginx", "1.18.0-6.1+deb11u2", "bullseye", &h),
			 0);
	x = vuln_hits_find(&h, "CVE-2022-41741");
	assert_non_null(x);
	assert_int_equal(x->conf, CONF_HIGH);
	assert_string_equal(x->fixed, "1.18.0-6.1+deb11u3");
	assert_true(x->flags & VULN_HF_TRACKER);
	/* in the tracker, no NVD record in this KB: still reported */
	assert_int_equal(conf_of(&h, "CVE-2022-41742"), CONF_HIGH);
	/* upstream-version matches on a Debian package: at most low */
	x = vuln_hits_find(&h, "CVE-2021-3618");
	assert_non_null(x);
	assert_int_equal(x->conf, CONF_LOW);
	vuln_hits_release(&h);
	assert_int_equal(vuln_match_package(g_kb, "nginx", "1.18.0-6.1+deb11u3", "bullseye", &h),
			 0);
	assert_int_equal(conf_of(&h, "CVE-2022-41741"), -1);
	vuln_hits_release(&h);
	/* a binary package finds its source; epochs count */
	assert_int_equal(
	    vuln_match_package(g_kb, "openssh-server", "1:7.4p1-10+deb9u4", "stretch", &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2018-20685"), CONF_HIGH);
	assert_int_equal(conf_of(&h, "CVE-2018-15473"), -1);
	vuln_hits_release(&h);
	/* apache2 on buster: fixed in 2.4.38-3+deb10u7 */
	assert_int_equal(vuln_match_package(g_kb, "apache2", "2.4.38-3+deb10u6", "buster", &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2021-44790"), CONF_HIGH);
	vuln_hits_release(&h);
	assert_int_equal(vuln_match_package(g_kb, "apache2", "2.4.38-3+deb10u7", "buster", &h), 0);
	assert_int_equal(conf_of(&h, "CVE-2021-44790"), -1);
	vuln_hits_release(&h);
}

/* ------------------------------------------------------ changelogs */

static const char changelog[] =
    "openssh (1:9.2p1-2+deb12u5) bookworm-security; urgency=medium\n"
    "\n"
    "  * CVE-2025-26465: Fix MitM in verify_host_key_callback.\n"
    "  * CVE-2025-26466: fix DoS (cve-2025-26466 again).\n"
    "\n"
    " -- Colin Watson <cjwatson@debian.org>  Tue, 18 Feb 2025 00:00:00 +0000\n"
    "\n"
    "openssh (1:9.2p1-2+deb12u2) bookworm-security; urgency=medium\n"
    "\n"
    "  * [CVE-2023-51384] ssh-agent; also CVE-2023-48795 (Terrapin).\n"
    "  * Not an id: CVE-2023-1, XCVE-2023-12345, CVE-2023-123456789.\n"
    "\n"
    " -- Colin Watson <cjwatson@debian.org>  Tue, 19 Dec 2023 00:00:00 +0000\n"
    "\n"
    "openssh (1:9.2p1-2+deb12u1) bookworm; urgency=medium\n"
    "\n"
    "  * [CVE-2023-38408] Fix PKCS#11 loading; see also CVE-2023-51384.\n"
    "\n"
    " -- Colin Watson <cjwatson@debian.org>  Wed, 19 Jul 2023 00:00:00 +0000\n"
    "\n"
    "openssh (1:9.2p1-1) unstable; urgency=medium\n"
    "  * New upstream release";

static void test_changelog(void **state)
{
	struct vuln_cvelist l = VULN_CVELIST_INIT;
	size_t n = sizeof(changelog) - 1;

	(void)state;
	assert_int_equal(vuln_changelog_fixed(changelog, n, "1:9.2p1-2+deb12u5", &l), 0);
	assert_int_equal(l.n, 5);
	assert_true(vuln_cvelist_has(&l, "CVE-2025-26465"));
	assert_true(vuln_cvelist_has(&l, "cve-2025-26466"));
	assert_true(vuln_cvelist_has(&l, "CVE-2023-48795"));
	assert_true(vuln_cvelist_has(&l, "CVE-2023-38408"));
	assert_false(vuln_cvelist_has(&l, "CVE-2023-1"));
	assert_false(vuln_cvelist_has(&l, "CVE-2023-12345"));
	/* sorted; each with the oldest entry naming it */
	assert_string_equal(l.v[0].cve, "CVE-2023-38408");
	assert_string_equal(l.v[2].cve, "CVE-2023-51384");
	assert_string_equal(l.v[2].version, "1:9.2p1-2+deb12u1");
	assert_string_equal(l.v[3].version, "1:9.2p1-2+deb12u5");
	vuln_cvelist_release(&l);
	/* an older build: the newer entries do not count */
	assert_int_equal(vuln_changelog_fixed(changelog, n, "1:9.2p1-2+deb12u2", &l), 0);
	assert_int_equal(l.n, 3);
	assert_false(vuln_cvelist_has(&l, "CVE-2025-26465"));
	assert_true(vuln_cvelist_has(&l, "CVE-2023-48795"));
	vuln_cvelist_release(&l);
	/* without the epoch the build sorts before every entry */
	assert_int_equal(vuln_changelog_fixed(changelog, n, "9.2p1-2+deb12u5", &l), 0);
	assert_int_equal(l.n, 0);
	vuln_cvelist_release(&l);
	/* nothing before the first header counts; cut input is fine */
	assert_int_equal(vuln_changelog_fixed("CVE-2020-1234\n", 14, "9", &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(vuln_changelog_fixed(changelog, 100, "1:9.2p1-2+deb12u5", &l), 0);
	assert_int_equal(l.n, 1);
	vuln_cvelist_release(&l);
	assert_int_equal(vuln_changelog_fixed(changelog, VULN_CHANGELOG_MAX + 1, "1", &l),
			 ERR_TOO_BIG);
	vuln_cvelist_release(&l);
}

static void test_changelog_header(void **state)
{
	static const struct {
		const char *line, *ver;
	} t[] = {
	    {"openssh (1:9.2p1-2+deb12u3) bookworm-security; urgency=high", "1:9.2p1-2+deb12u3"},
	    {"libc6.1 (2.36-9) unstable; urgency=low", "2.36-9"},
	    {"g++-12 (12.2.0-14) unstable;", "12.2.0-14"},
	    {"  * CVE-2024-6387 (foo)", NULL},
	    {" -- Colin Watson <c@d.org>  Mon, 01 Jul 2024", NULL},
	    {"Openssh (1.0) x", NULL},
	    {"pkg (1.0", NULL},
	    {"pkg ()", NULL},
	    {"pkg (1 0)", NULL},
	    {"Local variables:", NULL},
	    {"", NULL},
	};
	size_t i, vl;
	const char *v;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int r = vuln_changelog_header(t[i].line, strlen(t[i].line), &v, &vl);

		assert_int_equal(r, t[i].ver != NULL);
		if (r) {
			assert_int_equal(vl, strlen(t[i].ver));
			assert_memory_equal(v, t[i].ver, vl);
		}
	}
}

static void test_changelog_real(void **state)
{
	const char *path = "/usr/share/doc/openssh-server/changelog.Debian.gz";
	struct vuln_cvelist l = VULN_CVELIST_INIT;
	struct vuln_hits h = VULN_HITS_INIT;
	size_t dropped;

	(void)state;
	assert_int_equal(vuln_changelog_fixed_file("/nonexistent/changelog.gz", "1", &l),
			 ERR_NOTFOUND);
	/* this machine's openssh-server is bookworm's 1:9.2p1-2+deb12u10 or later */
	assert_int_equal(vuln_changelog_fixed_file(path, "1:9.2p1-2+deb12u10", &l), 0);
	assert_true(vuln_cvelist_has(&l, "CVE-2023-38408"));
	assert_true(vuln_cvelist_has(&l, "CVE-2023-51384"));
	assert_true(vuln_cvelist_has(&l, "CVE-2025-26465"));
	product("OpenSSH", "9.2p1", "Debian-2+deb12u10", &h);
	dropped = vuln_hits_drop_fixed(&h, &l);
	assert_true(dropped >= 3);
	assert_null(vuln_hits_find(&h, "CVE-2023-38408"));
	/* the regreSSHion fix (deb12u3) is described without its CVE id in
	 * the changelog, so it stays, at low confidence (docs/vulns.md) */
	assert_int_equal(conf_of(&h, "CVE-2024-6387"), CONF_LOW);
	vuln_cvelist_release(&l);
	/* before the first bookworm security update: none of those */
	assert_int_equal(vuln_changelog_fixed_file(path, "1:9.2p1-2", &l), 0);
	assert_false(vuln_cvelist_has(&l, "CVE-2023-38408"));
	vuln_cvelist_release(&l);
	vuln_hits_release(&h);
}

/* ------------------------------------------------------ findings */

static void test_findings(void **state)
{
	struct findings f = FINDINGS_INIT;
	size_t i;
	int found = 0;

	(void)state;
	assert_int_equal(vuln_findings_for_service(g_kb, "127.77.0.30", 22, "OpenSSH", "9.2p1",
						   "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*",
						   "Debian-2+deb12u10; protocol 2.0", &f),
			 0);
	for (i = 0; i < f.n; i++) {
		const struct finding *x = &f.v[i];

		assert_int_equal(strncmp(x->check_id, "VULN-CVE-", 9), 0);
		assert_int_equal(x->port, 22);
		assert_string_equal(x->target, "127.77.0.30");
		/* versionless rows are not findings */
		assert_string_not_equal(x->check_id, "VULN-CVE-2007-2768");
		if (strcmp(x->check_id, "VULN-CVE-2024-6387") == 0) {
			found = 1;
			assert_int_equal(x->conf, CONF_LOW);
			assert_int_equal(x->sev, SEV_HIGH);
			assert_non_null(strstr(x->detail, "CVE-2024-6387 (CVSS 8.1"));
			assert_non_null(strstr(x->detail, "9.2p1 in [8.6, 9.8)"));
			assert_non_null(strstr(x->detail, "fixed in 9.8"));
			assert_non_null(strstr(x->evidence, "Debian-2+deb12u10"));
			assert_non_null(strstr(x->evidence, "matched=openbsd:openssh"));
		}
	}
	assert_true(found);
	assert_int_equal(findings_count(&f, "VULN-CVE-2024-6387", 22), 1);
	findings_release(&f);
	/* product + version without a CPE, nginx without a hint: high */
	assert_int_equal(
	    vuln_findings_for_service(g_kb, "h", 80, "nginx", "1.22.0", NULL, NULL, &f), 0);
	assert_int_equal(findings_count(&f, "VULN-CVE-2022-41741", 80), 1);
	assert_int_equal(f.v[0].conf, CONF_HIGH);
	findings_release(&f);
	/* nothing to match: no findings, no error */
	assert_int_equal(vuln_findings_for_service(g_kb, "h", 80, "nginx", "", "", NULL, &f), 0);
	assert_int_equal(vuln_findings_for_service(g_kb, "h", 80, "unknown-x", "1", NULL, NULL, &f),
			 0);
	assert_int_equal(vuln_findings_for_service(NULL, "h", 80, "nginx", "1.0", NULL, NULL, &f),
			 0);
	assert_int_equal(f.n, 0);
	findings_release(&f);
}

static void test_severity(void **state)
{
	static const struct {
		double cvss;
		int kev;
		enum check_sev sev;
	} t[] = {
	    {9.8, 0, SEV_CRITICAL}, {9.0, 0, SEV_CRITICAL}, {8.9, 0, SEV_HIGH},
	    {7.0, 0, SEV_HIGH},	    {6.9, 0, SEV_MEDIUM},   {4.0, 0, SEV_MEDIUM},
	    {3.9, 0, SEV_LOW},	    {0.0, 0, SEV_LOW},	    {7.5, 1, SEV_CRITICAL},
	    {9.8, 1, SEV_CRITICAL}, {5.0, 1, SEV_HIGH},	    {2.0, 1, SEV_MEDIUM},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(vuln_sev_from_cvss(t[i].cvss, t[i].kev), t[i].sev);
}

/* ------------------------------------------------------ helpers */

static void test_fast_parse(void **state)
{
	static const char *const t[] = {
	    "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*",
	    "cpe:2.3:a:f5:nginx:*:*:*:*:open_source:*:*:*",
	    "cpe:2.3:o:redhat:enterprise_linux:4.5.z:*:es:*:*:*:*:*",
	    "cpe:2.3:a:php:php:8.*:*:*:*:*:*:*:*",
	    "cpe:2.3:a:x:y:??1.0*:-:*:*:*:*:*:*",
	    "cpe:2.3:a:joomla:joomla\\!:3.0:*:*:*:*:*:*:*",
	    "cpe:2.3:a:x:y:1.0:-:-:-:-:-:-:-",
	};
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct cpe a, b;

		assert_int_equal(vuln_cpe_fast_parse(t[i], &a), 0);
		assert_int_equal(cpe_parse(t[i], strlen(t[i]), &b), 0);
		for (k = 0; k < CPE_NATTR; k++) {
			assert_int_equal(a.attr[k].kind, b.attr[k].kind);
			assert_int_equal(a.attr[k].pre, b.attr[k].pre);
			assert_int_equal(a.attr[k].post, b.attr[k].post);
			assert_int_equal(a.attr[k].len, b.attr[k].len);
			if (a.attr[k].len)
				assert_memory_equal(a.attr[k].v, b.attr[k].v, a.attr[k].len);
		}
		cpe_release(&a);
		cpe_release(&b);
	}
	{
		struct cpe c;

		assert_int_not_equal(vuln_cpe_fast_parse("cpe:2.3:a:x", &c), 0);
		assert_int_not_equal(vuln_cpe_fast_parse("cpe:2.3:a:x:y:1*0:*:*:*:*:*:*:*", &c), 0);
	}
}

static void test_windows_only(void **state)
{
	static const struct {
		const char *d;
		int w;
	} t[] = {
	    {"In PHP versions 8.1.* before 8.1.29, when using Apache and PHP-CGI on Windows, ...",
	     1},
	    {"A flaw in the installer for Windows allows ...", 1},
	    {"Affects Apache on Windows and Linux", 0},
	    {"A race condition in sshd", 0},
	    {"Windows Server 2019 ...", 0},
	    {"", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(vuln_windows_only(t[i].d), t[i].w);
}

static void test_distro_hint(void **state)
{
	static const struct {
		const char *hint;
		int debian, ubuntu;
		const char *rev, *rel;
	} t[] = {
	    {"Debian-2+deb12u3", 1, 0, "2+deb12u3", "bookworm"},
	    {"Debian-2+deb12u10; protocol 2.0", 1, 0, "2+deb12u10", "bookworm"},
	    {"Debian-5+deb11u1", 1, 0, "5+deb11u1", "bullseye"},
	    {"Debian-10+deb9u4", 1, 0, "10+deb9u4", "stretch"},
	    {"Debian-2", 1, 0, "2", ""},
	    {"(Debian)", 1, 0, "", ""},
	    {"Ubuntu-3ubuntu0.10", 0, 1, "", ""},
	    {"(Ubuntu)", 0, 1, "", ""},
	    {"protocol 2.0", 0, 0, "", ""},
	    {NULL, 0, 0, "", ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct vq_distro d;

		vq_distro_parse(t[i].hint, &d);
		assert_int_equal(d.debian, t[i].debian);
		assert_int_equal(d.ubuntu, t[i].ubuntu);
		assert_string_equal(d.revision, t[i].rev);
		assert_string_equal(d.release, t[i].rel);
	}
}

/* ------------------------------------------------------ the index */

static void same_hits(const struct vuln_hits *a, const struct vuln_hits *b, const char *what)
{
	size_t i;

	if (a->n != b->n)
		fail_msg("%s: %zu hits from the KB, %zu through the index", what, a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct vuln_hit *x = &a->v[i], *y = &b->v[i];

		if (strcmp(x->cve, y->cve) || x->conf != y->conf || strcmp(x->why, y->why) ||
		    strcmp(x->fixed, y->fixed))
			fail_msg("%s: hit %zu differs: %s %d %s / %s %d %s", what, i, x->cve,
				 x->conf, x->why, y->cve, y->conf, y->why);
		/* the CVE's fields come from the index's record on that path */
		if (x->cvss != y->cvss || x->cvss_version != y->cvss_version ||
		    strcmp(x->cvss_vector, y->cvss_vector) || x->sev != y->sev ||
		    strcmp(x->cwe, y->cwe) || x->kev != y->kev || x->ransomware != y->ransomware ||
		    x->epss != y->epss || x->epss_pct != y->epss_pct || x->flags != y->flags ||
		    strcmp(x->matched, y->matched) || x->explain || y->explain)
			fail_msg("%s: hit %zu (%s) differs in its details", what, i, x->cve);
	}
}

/* the lazy form: pending hits (version in why, no fixed/matched), then
 * after vuln_hits_explain the same as the KB's */
static void same_lazy(const struct vuln_index *ix, const struct vuln_hits *a, const char *name,
		      const char *ver, const char *hint, int ra, const char *what)
{
	struct vuln_hits l = VULN_HITS_INIT;
	size_t i;
	int r = vuln_match_product_lazy(ix, name, ver, hint, &l);
	int tracker = hint && strstr(hint, "+deb") != NULL;

	assert_int_equal(r, ra);
	if (l.n != a->n)
		fail_msg("%s: %zu hits, %zu lazy", what, a->n, l.n);
	for (i = 0; i < l.n; i++) {
		if (tracker) {
			assert_int_equal(l.v[i].explain, 0);
			continue;
		}
		assert_int_equal(l.v[i].explain, 1);
		assert_string_equal(l.v[i].why, ver);
		assert_string_equal(l.v[i].fixed, "");
		assert_string_equal(l.v[i].matched, "");
	}
	if (l.n) {
		/* one at a time, and the rest together (explained ones stay) */
		vuln_hit_explain(ix, &l.v[0]);
		vuln_hit_explain(ix, &l.v[0]);
	}
	vuln_hits_explain(ix, &l);
	same_hits(a, &l, what);
	vuln_hits_release(&l);
}

/* the short form: the same CVEs with the same confidence and flags, in
 * CVE order unless the tracker decided */
static void same_refs(const struct vuln_index *ix, const struct vuln_hits *a, const char *name,
		      const char *ver, const char *hint, int ra, const char *what)
{
	struct vuln_refs rf = VULN_REFS_INIT;
	size_t i;
	int r = vuln_match_product_refs(ix, name, ver, hint, &rf);

	assert_int_equal(r, ra);
	if (rf.n != a->n)
		fail_msg("%s: %zu hits, %zu refs", what, a->n, rf.n);
	for (i = 0; i < rf.n; i++) {
		const struct vuln_hit *h = vuln_hits_find(a, rf.v[i].cve);

		if (!h || h->conf != rf.v[i].conf || h->flags != rf.v[i].flags)
			fail_msg("%s: ref %s differs", what, rf.v[i].cve);
		if (!hint && i && rf.v[i - 1].cve_index >= rf.v[i].cve_index)
			fail_msg("%s: refs not in CVE order", what);
	}
	vuln_refs_release(&rf);
}

static void test_index_same_results(void **state)
{
	static const struct {
		const char *name, *ver, *hint;
	} t[] = {
	    {"openssh", "9.2p1", NULL},
	    {"openssh", "9.2p1", "Debian-2+deb12u3"},
	    {"openssh", "7.4p1", "Debian-10+deb9u4"},
	    {"openssh", "9.8p1", NULL},
	    {"openssh", "9.1p1", NULL},
	    {"openssh", "4.3p2", NULL},
	    {"openssh", "2.0", NULL},
	    {"openssh", "10.0", NULL},
	    {"nginx", "1.22.0", NULL},
	    {"nginx", "0.7.65", NULL},
	    {"Apache httpd", "2.4.55", NULL},
	    {"Apache httpd", "2.2.3", "(Debian)"},
	    {"php", "8.2.7", NULL},
	    {"php", "5.2.0", NULL},
	    {"wordpress", "6.4", NULL},
	    {"wordpress", "2.0.1", NULL},
	    {"mysql", "8.0.34", NULL},
	    {"mysql", "5.0.45", NULL},
	    {"isc:bind", "9.18.10", NULL},
	    {"redis", "7.0.11", NULL},
	    {"samba", "3.0.25", NULL},
	    {"linux", "2.6.24", NULL},
	    {"firefox", "2.0.0.14", NULL},
	    {"mozilla:firefox", "2.0rc1", NULL},
	    {"microsoft:windows_xp", "-", NULL},
	    {"cisco:ios", "12.4", NULL},
	};
	static const struct {
		const char *pkg, *ver, *rel;
	} p[] = {
	    {"nginx", "1.18.0-6.1+deb11u2", "bullseye"},
	    {"openssh-server", "1:7.4p1-10+deb9u4", "stretch"},
	    {"apache2", "2.4.38-3+deb10u6", "buster"},
	    {"wordpress", "4.7.5+dfsg-2+deb9u4", "stretch"},
	};
	struct vuln_index *ix = NULL;
	struct vuln_hits a = VULN_HITS_INIT, b = VULN_HITS_INIT;
	char what[128];
	size_t i;

	(void)state;
	assert_int_equal(vuln_index_build(g_kb, &ix), 0);
	assert_true(vuln_index_bytes(ix) > 0);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int ra = vuln_match_product(g_kb, t[i].name, t[i].ver, t[i].hint, &a);
		int rb = vuln_match_product_ix(ix, t[i].name, t[i].ver, t[i].hint, &b);

		snprintf(what, sizeof(what), "%s %s", t[i].name, t[i].ver);
		assert_int_equal(ra, rb);
		same_hits(&a, &b, what);
		same_refs(ix, &a, t[i].name, t[i].ver, t[i].hint, ra, what);
		same_lazy(ix, &a, t[i].name, t[i].ver, t[i].hint, ra, what);
		vuln_hits_release(&a);
		vuln_hits_release(&b);
	}
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		int ra = vuln_match_package(g_kb, p[i].pkg, p[i].ver, p[i].rel, &a);
		int rb = vuln_match_package_ix(ix, p[i].pkg, p[i].ver, p[i].rel, &b);

		snprintf(what, sizeof(what), "package %s %s", p[i].pkg, p[i].ver);
		assert_int_equal(ra, rb);
		same_hits(&a, &b, what);
		vuln_hits_release(&a);
		vuln_hits_release(&b);
	}
	vuln_index_free(ix);
	vuln_index_free(NULL);
}

/* vuln_hits_sort on lists of every size up to 300 (insertion sort, the
 * merge sort of keys, the moves): each result is a permutation of the
 * input in hit_cmp order (severity, CVSS, confidence desc; CVE id newest
 * first), and the hits moved whole */
static void test_hits_sort(void **state)
{
	struct vuln_hits h = VULN_HITS_INIT;
	uint64_t x = 88172645463325252ULL;
	size_t n, i, k;

	(void)state;
	for (n = 0; n <= 300; n += n < 40 ? 1 : 37) {
		h.n = 0;
		for (i = 0; i < n; i++) {
			struct vuln_hit v;

			memset(&v, 0, sizeof(v));
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			v.sev = (enum check_sev)(x % 4);
			v.cvss = (double)((x >> 8) % 4) * 2.5;
			v.conf = (enum check_conf)((x >> 16) % 3);
			/* distinct ids, some of five digits */
			snprintf(v.cve, sizeof(v.cve), "CVE-%u-%04zu",
				 2020 + (unsigned)((x >> 24) % 3), i + ((x >> 32) % 2 ? 10000 : 0));
			snprintf(v.why, sizeof(v.why), "%s why", v.cve);
			v.row = (uint32_t)i;
			assert_int_equal(vuln_hits_push(&h, &v), 0);
		}
		vuln_hits_sort(&h);
		assert_int_equal(h.n, n);
		for (i = 0; i < n; i++) {
			const struct vuln_hit *a = &h.v[i];
			char want[VULN_WHY_MAX];

			snprintf(want, sizeof(want), "%s why", a->cve);
			assert_string_equal(a->why, want); /* moved whole */
			for (k = i + 1; k < n; k++)
				assert_string_not_equal(a->cve, h.v[k].cve);
			if (i == 0)
				continue;
			{
				const struct vuln_hit *p = &h.v[i - 1];
				int ok = p->sev != a->sev     ? p->sev > a->sev
					 : p->cvss != a->cvss ? p->cvss > a->cvss
					 : p->conf != a->conf ? p->conf > a->conf
					 : strlen(p->cve) != strlen(a->cve) ||
						 strncmp(p->cve + 4, a->cve + 4, 4)
					     ? strncmp(p->cve + 4, a->cve + 4, 4) > 0 ||
						   (strncmp(p->cve + 4, a->cve + 4, 4) == 0 &&
						    strlen(p->cve) > strlen(a->cve))
					     : strcmp(p->cve, a->cve) > 0;

				if (!ok)
					fail_msg("n=%zu: %s before %s", n, p->cve, a->cve);
			}
		}
	}
	vuln_hits_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_openssh_upstream),
	    cmocka_unit_test(test_openssh_versions),
	    cmocka_unit_test(test_openssh_debian_banner),
	    cmocka_unit_test(test_redhat_platform),
	    cmocka_unit_test(test_products),
	    cmocka_unit_test(test_wordpress_versionless),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_packages),
	    cmocka_unit_test(test_changelog),
	    cmocka_unit_test(test_changelog_header),
	    cmocka_unit_test(test_changelog_real),
	    cmocka_unit_test(test_findings),
	    cmocka_unit_test(test_severity),
	    cmocka_unit_test(test_fast_parse),
	    cmocka_unit_test(test_windows_only),
	    cmocka_unit_test(test_distro_hint),
	    cmocka_unit_test(test_index_same_results),
	    cmocka_unit_test(test_hits_sort),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
