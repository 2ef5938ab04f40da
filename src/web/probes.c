/*
 * probes.c: the per-site file probes: /.well-known/security.txt (HDR-09),
 * exposed repository, environment and backup files judged by content, not
 * status (EXP-01), and CMS detection with version comparison against the
 * operator's data file (CMS-01, CMS-02).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cpe/cpe.h"
#include "web/web_int.h"

#define FILE_PROBE_MAX 4096
#define SECTXT_FETCH_MAX SECTXT_MAX_SIZE
#define MAX_PLUGINS 16

struct probe_ctx {
	struct web_ctx *x;
	const struct web_opts *o;
	const char *origin;
	struct web_report *rep;
	struct logger *lg;
	struct cms_db db;
	int have_db;
};

/* GET origin+path into resp; 1 when it answered 200. */
static int get200(struct probe_ctx *pc, const char *path, struct web_resp *resp)
{
	char url[2400];

	snprintf(url, sizeof(url), "%s%s", pc->origin, path);
	if (web_fetch(pc->x, url, &(struct web_req){0}, resp))
		return 0;
	return resp->status == 200;
}

static int looks_html(const struct web_resp *r)
{
	const char *ct = web_headers_get(&r->h, "content-type", NULL);
	size_t i;

	if (ct && strcasestr(ct, "html"))
		return 1;
	for (i = 0; i < r->body.len && i < 256; i++) {
		if (r->body.ptr[i] == '<')
			return 1;
		if (r->body.ptr[i] != ' ' && r->body.ptr[i] != '\n' && r->body.ptr[i] != '\r' &&
		    r->body.ptr[i] != '\t')
			return 0;
	}
	return 0;
}

/* ------------------------------------------------------------- HDR-09 */

static int probe_sectxt(struct probe_ctx *pc)
{
	struct web_resp r;
	struct web_sectxt s;
	char url[400];
	const char *why = NULL;
	int rc;

	web_resp_init(&r, SECTXT_FETCH_MAX);
	web_sectxt_init(&s);
	snprintf(url, sizeof(url), "%s/.well-known/security.txt", pc->origin);
	if (!get200(pc, "/.well-known/security.txt", &r))
		why = "no /.well-known/security.txt";
	else if (r.truncated)
		why = "security.txt is larger than 32 KiB";
	else if (looks_html(&r))
		why = "security.txt is served as HTML (expected text/plain)";
	else if (web_sectxt_parse(r.body.ptr, r.body.len, &s))
		why = "security.txt cannot be parsed";
	else
		why = web_sectxt_problem(&s, url, pc->o->now ? pc->o->now : time(NULL));
	if (why)
		rc = web_result_add(pc->rep, "security-txt", "HDR-09", 0, SEV_LOW, NULL, "%s", why);
	else
		rc = web_result_add(pc->rep, "security-txt", NULL, 0, -1, NULL,
				    "valid security.txt, Contact %s", s.contact);
	web_sectxt_release(&s);
	web_resp_release(&r);
	return rc;
}

/* ------------------------------------------------------------- EXP-01 */

static int body_has(const struct web_resp *r, const char *needle)
{
	return r->body.len && memmem(r->body.ptr, r->body.len, needle, strlen(needle)) != NULL;
}

static int is_git_config(const struct web_resp *r)
{
	return !looks_html(r) && body_has(r, "[core]");
}

static int is_hex40(const char *p)
{
	size_t i;

	for (i = 0; i < 40; i++) {
		if (!p[i] || !strchr("0123456789abcdef", p[i]))
			return 0;
	}
	return 1;
}

static int is_git_head(const struct web_resp *r)
{
	if (looks_html(r))
		return 0;
	if (r->body.len >= 16 && memcmp(r->body.ptr, "ref: refs/", 10) == 0)
		return 1;
	return r->body.len >= 40 && is_hex40(r->body.ptr);
}

/* Most non-comment lines are NAME=value with an upper-case NAME. */
static int is_dotenv(const struct web_resp *r)
{
	struct cursor c, line, key;
	unsigned good = 0, bad = 0;

	if (looks_html(r))
		return 0;
	cursor_init(&c, r->body.ptr, r->body.len);
	while (c.len && good + bad < 200) {
		if (cursor_line(&c, 4096, &line)) {
			line = c;
			c.len = 0;
		}
		cursor_trim(&line);
		if (line.len == 0 || line.p[0] == '#')
			continue;
		if (cursor_startswith(&line, "export "))
			web_adv(&line, 7);
		cursor_span(&line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", &key);
		if (key.len && key.p[0] > '9' && line.len && line.p[0] == '=')
			good++;
		else
			bad++;
	}
	return good >= 1 && good >= bad;
}

static int is_archive(const struct web_resp *r)
{
	const unsigned char *p = (const unsigned char *)r->body.ptr;
	size_t n = r->body.len;

	if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
		return 1; /* zip */
	if (n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
		return 1; /* gzip */
	if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return 1; /* tar */
	if (n >= 6 && memcmp(p, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return 1;
	return n >= 13 && (memcmp(p, "-- MySQL dump", 13) == 0 ||
			   (n >= 15 && memcmp(p, "-- MariaDB dump", 15) == 0));
}

/* .git/logs/HEAD: "<old sha1> <new sha1> Name <mail> time zone\tmessage" */
static int is_git_log(const struct web_resp *r)
{
	return !looks_html(r) && r->body.len >= 82 && is_hex40(r->body.ptr) &&
	       r->body.ptr[40] == ' ' && is_hex40(r->body.ptr + 41);
}

static int is_sqlite(const struct web_resp *r)
{
	return r->body.len >= 16 && memcmp(r->body.ptr, "SQLite format 3", 16) == 0;
}

static int is_ds_store(const struct web_resp *r)
{
	return r->body.len >= 8 && memcmp(r->body.ptr, "\0\0\0\1Bud1", 8) == 0;
}

static const struct exposed_file {
	const char *path;
	int (*match)(const struct web_resp *r);
	const char *what;
} exposed_files[] = {
    {"/.git/config", is_git_config, "Git repository configuration"},
    {"/.git/HEAD", is_git_head, "Git repository HEAD"},
    {"/.git/logs/HEAD", is_git_log, "Git history log"},
    {"/.svn/wc.db", is_sqlite, "Subversion working copy database"},
    {"/.env", is_dotenv, "environment file with settings/secrets"},
    {"/.DS_Store", is_ds_store, "macOS directory listing"},
    {"/backup.zip", is_archive, "backup archive"},
    {"/backup.tar.gz", is_archive, "backup archive"},
    {"/www.zip", is_archive, "backup archive"},
    {"/site.zip", is_archive, "backup archive"},
    {"/backup.sql", is_archive, "database dump"},
};

int web_exposed_match(const char *path, const char *body, size_t len, const char *content_type)
{
	struct web_resp r;
	size_t i;
	int m = 0;

	for (i = 0; i < ARRAY_SIZE(exposed_files); i++) {
		if (strcmp(exposed_files[i].path, path) != 0)
			continue;
		web_resp_init(&r, len + 1);
		if (buf_add(&r.body, body, len) == 0 &&
		    (!content_type ||
		     web_headers_parse(content_type, strlen(content_type), &r.h) == 0))
			m = exposed_files[i].match(&r);
		web_resp_release(&r);
		return m;
	}
	return -1;
}

static int probe_exposed(struct probe_ctx *pc)
{
	struct web_resp r;
	size_t i;
	int rc = 0;

	web_resp_init(&r, FILE_PROBE_MAX);
	for (i = 0; i < ARRAY_SIZE(exposed_files) && rc == 0; i++) {
		const struct exposed_file *f = &exposed_files[i];
		size_t n;

		if (!get200(pc, f->path, &r) || !f->match(&r))
			continue;
		n = r.body.len < 120 ? r.body.len : 120;
		{
			char ev[128];

			snprintf(ev, sizeof(ev), "%.*s", (int)n, r.body.ptr);
			rc = web_result_add(pc->rep, "exposed-file", "EXP-01", 0, SEV_HIGH,
					    f->match == is_archive ? NULL : ev, "%s%s exposed (%s)",
					    pc->origin, f->path, f->what);
		}
	}
	web_resp_release(&r);
	return rc;
}

/* ------------------------------------------------------ CMS-01, CMS-02 */

struct cms_seen {
	char cms[32], version[32];
	int wp_markers;
	char plugins[MAX_PLUGINS][64];
	size_t n_plugins;
};

static void add_plugin(struct cms_seen *cs, const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len >= sizeof(cs->plugins[0]) || cs->n_plugins >= MAX_PLUGINS)
		return;
	for (i = 0; i < len; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_'))
			return;
	}
	for (i = 0; i < cs->n_plugins; i++) {
		if (strlen(cs->plugins[i]) == len && memcmp(cs->plugins[i], name, len) == 0)
			return;
	}
	memcpy(cs->plugins[cs->n_plugins], name, len);
	cs->plugins[cs->n_plugins++][len] = '\0';
}

/* "/wp-content/plugins/NAME/" anywhere in an attribute value. */
static void scan_plugins(struct cms_seen *cs, const char *v, size_t len)
{
	static const char key[] = "/wp-content/plugins/";
	const char *p = v, *end = v + len;

	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), key, sizeof(key) - 1), *n, *e;

		if (!hit)
			break;
		n = hit + sizeof(key) - 1;
		e = memchr(n, '/', (size_t)(end - n));
		if (!e)
			break;
		add_plugin(cs, n, (size_t)(e - n));
		p = e;
	}
}

/* "?ver=6.1.9" on a /wp-includes/ asset: WordPress's own version. */
static void scan_wp_ver(struct cms_seen *cs, const char *v, size_t len)
{
	const char *q;
	struct cursor c, ver;

	if (!memmem(v, len, "/wp-includes/", 13))
		return;
	cs->wp_markers++;
	/* Bundled libraries carry their own version (jquery.min.js?ver=3.6.1). */
	if (memmem(v, len, "/jquery", 7) || memmem(v, len, "/dist/vendor/", 13))
		return;
	q = memmem(v, len, "ver=", 4);
	if (!q || cs->version[0])
		return;
	cursor_init(&c, q + 4, len - (size_t)(q + 4 - v));
	cursor_span(&c, "0123456789.", &ver);
	if (ver.len && ver.len < sizeof(cs->version) && ver.p[0] != '.') {
		memcpy(cs->version, ver.p, ver.len);
		cs->version[ver.len] = '\0';
	}
}

static int cms_tag(const struct html_tag *t, void *arg)
{
	struct cms_seen *cs = arg;
	size_t i, len;
	const char *v;

	if (t->name_len == 4 && strncasecmp(t->name, "meta", 4) == 0) {
		v = web_html_attr(t, "name", &len);
		if (v && len == 9 && strncasecmp(v, "generator", 9) == 0 &&
		    (v = web_html_attr(t, "content", &len)) != NULL) {
			char cms[32], ver[32];

			if (web_generator_parse(v, len, cms, sizeof(cms), ver, sizeof(ver)) == 0) {
				str_lcpy(cs->cms, cms, sizeof(cs->cms));
				if (ver[0])
					str_lcpy(cs->version, ver, sizeof(cs->version));
			}
		}
		return 0;
	}
	for (i = 0; i < t->n_attrs; i++) {
		const struct html_attr *a = &t->a[i];

		if (!a->value)
			continue;
		if (memmem(a->value, a->value_len, "/wp-content/", 12))
			cs->wp_markers++;
		scan_plugins(cs, a->value, a->value_len);
		scan_wp_ver(cs, a->value, a->value_len);
	}
	return 0;
}

/* WordPress's feed says <generator>https://wordpress.org/?v=X</generator>. */
static void feed_version(struct probe_ctx *pc, struct cms_seen *cs)
{
	struct web_resp r;
	const char *g, *e;
	char cms[32], ver[32];

	web_resp_init(&r, 65536);
	if (get200(pc, "/feed/", &r) && (g = memmem(r.body.ptr, r.body.len, "<generator>", 11))) {
		g += 11;
		e = memmem(g, r.body.len - (size_t)(g - r.body.ptr), "</generator>", 12);
		if (e &&
		    web_generator_parse(g, (size_t)(e - g), cms, sizeof(cms), ver, sizeof(ver)) ==
			0 &&
		    ver[0])
			str_lcpy(cs->version, ver, sizeof(cs->version));
	}
	web_resp_release(&r);
}

static int cms_judge(struct probe_ctx *pc, const struct cms_seen *cs)
{
	const char *latest = pc->have_db ? web_cms_latest(&pc->db, cs->cms) : NULL;

	free(pc->rep->cms);
	pc->rep->cms = strdup(cs->cms);
	if (cs->version[0]) {
		free(pc->rep->cms_version);
		pc->rep->cms_version = strdup(cs->version);
	}
	if (!pc->rep->cms || (cs->version[0] && !pc->rep->cms_version))
		return ERR_NOMEM;
	if (!cs->version[0])
		return web_result_add(pc->rep, "cms-detected", "CMS-01", 0, SEV_INFO, NULL,
				      "%s detected, version not shown", cs->cms);
	if (latest &&
	    version_cmp_upstream(cs->version, strlen(cs->version), latest, strlen(latest)) < 0)
		return web_result_add(pc->rep, "cms-outdated", "CMS-01", 0, SEV_HIGH, NULL,
				      "%s %s is older than the newest release %s", cs->cms,
				      cs->version, latest);
	return web_result_add(pc->rep, "cms-version-visible", "CMS-01", 0, SEV_LOW, NULL,
			      "%s %s: the version is visible%s", cs->cms, cs->version,
			      latest ? "" : " (no newest release known)");
}

static int plugin_check(struct probe_ctx *pc, const char *name)
{
	struct web_resp r;
	char path[200], key[96], ver[32];
	const char *latest;
	int rc = 0;

	snprintf(key, sizeof(key), "wp:%s", name);
	latest = pc->have_db ? web_cms_latest(&pc->db, key) : NULL;
	web_resp_init(&r, 65536);
	snprintf(path, sizeof(path), "/wp-content/plugins/%s/readme.txt", name);
	if (get200(pc, path, &r) && !looks_html(&r) &&
	    web_readme_stable_tag(r.body.ptr, r.body.len, ver, sizeof(ver)) == 0 && latest &&
	    version_cmp_upstream(ver, strlen(ver), latest, strlen(latest)) < 0)
		rc = web_result_add(pc->rep, "cms-plugin-outdated", "CMS-02", 0, SEV_HIGH, NULL,
				    "WordPress plugin %s %s is older than %s", name, ver, latest);
	web_resp_release(&r);
	return rc;
}

static int probe_cms(struct probe_ctx *pc, const struct web_resp *page)
{
	struct cms_seen cs;
	const char *xg = web_headers_get(&page->h, "x-generator", NULL);
	size_t i;
	int rc = 0;

	memset(&cs, 0, sizeof(cs));
	if (page->body.len)
		(void)web_html_walk(page->body.ptr, page->body.len, cms_tag, &cs);
	if (!cs.cms[0] && xg &&
	    web_generator_parse(xg, strlen(xg), cs.cms, sizeof(cs.cms), cs.version,
				sizeof(cs.version)) != 0)
		cs.cms[0] = '\0';
	if (!cs.cms[0] && cs.wp_markers)
		str_lcpy(cs.cms, "wordpress", sizeof(cs.cms));
	if (!cs.cms[0])
		return 0;
	if (strcmp(cs.cms, "wordpress") == 0) {
		if (!cs.version[0])
			feed_version(pc, &cs);
		/* Plugins the operator tracks, even when the page does not name them. */
		for (i = 0; pc->have_db && i < pc->db.n; i++) {
			if (strncmp(pc->db.v[i].product, "wp:", 3) == 0)
				add_plugin(&cs, pc->db.v[i].product + 3,
					   strlen(pc->db.v[i].product + 3));
		}
	}
	rc = cms_judge(pc, &cs);
	for (i = 0; rc == 0 && strcmp(cs.cms, "wordpress") == 0 && i < cs.n_plugins; i++)
		rc = plugin_check(pc, cs.plugins[i]);
	return rc;
}

int web_site_probes(struct web_ctx *x, const struct web_opts *o, const char *origin,
		    const char *page_url, const struct web_resp *page, struct web_report *rep,
		    struct logger *lg)
{
	struct probe_ctx pc;
	struct buf err = BUF_INIT;
	int rc;

	(void)page_url;
	memset(&pc, 0, sizeof(pc));
	pc.x = x;
	pc.o = o;
	pc.origin = origin;
	pc.rep = rep;
	pc.lg = lg;
	if (o->cms_versions_file) {
		rc = web_cms_load(o->cms_versions_file, &pc.db, &err);
		if (rc == ERR_NOMEM)
			goto out;
		if (rc)
			LOG_WARN(lg, "cms versions file not loaded err=\"%s\"", err.ptr);
		pc.have_db = rc == 0;
	}
	rc = probe_sectxt(&pc);
	if (rc == 0)
		rc = probe_exposed(&pc);
	if (rc == 0)
		rc = probe_cms(&pc, page);
out:
	web_cms_release(&pc.db);
	buf_release(&err);
	return rc;
}
