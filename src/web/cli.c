/*
 * cli.c: `wachter web <url-or-host> [options]`, the debug subcommand that
 * judges one site and prints the report and findings as text or JSON (the
 * integration tests read the JSON).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "web/web_int.h"

#define CMS_DEFAULT_LOCAL "data/cms-versions.tsv"
#define CMS_DEFAULT_SYSTEM "/usr/share/wachter/cms-versions.tsv"

static void usage(void)
{
	fprintf(stderr,
		"usage: wachter web <url-or-host> [--addr IP] [--ca-file FILE]\n"
		"       [--format text|json] [--cms-versions FILE] [--timeout MS]\n"
		"       [--now RFC3339] [-v]\n"
		"       wachter web --check-set-cookie VALUE [--check-set-cookie VALUE...]\n");
}

#define CLI_MAX_COOKIES 16

struct cli {
	char host[256];
	int json, verbose;
	struct web_opts o;
	const char *cookies[CLI_MAX_COOKIES]; /* --check-set-cookie values */
	size_t n_cookies;
};

/* "https://host:8443/x", "http://host", "host" -> host and port. */
static int parse_target(const char *t, struct cli *c)
{
	int https = 0, port = 0;
	const char *p = t, *e, *colon;

	if (strncasecmp(t, "https://", 8) == 0) {
		https = 1;
		p = t + 8;
	} else if (strncasecmp(t, "http://", 7) == 0) {
		p = t + 7;
	} else if (strstr(t, "://")) {
		return ERR_INVAL;
	}
	e = p + strcspn(p, "/?#");
	colon = memchr(p, ':', (size_t)(e - p));
	if (colon) {
		char num[8];

		snprintf(num, sizeof(num), "%.*s", (int)(e - colon - 1), colon + 1);
		if (cli_uint(num, 1, 65535, &port))
			return ERR_INVAL;
		e = colon;
	}
	if (e == p || (size_t)(e - p) >= sizeof(c->host))
		return ERR_INVAL;
	memcpy(c->host, p, (size_t)(e - p));
	c->host[e - p] = '\0';
	if (port && https)
		c->o.https_port = port;
	else if (port)
		c->o.http_port = port;
	c->o.host = c->host;
	return 0;
}

static int parse_args(int argc, char **argv, struct cli *c)
{
	int i, pos = 0;

	memset(c, 0, sizeof(*c));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-v") == 0) {
			c->verbose = 1;
			continue;
		}
		if (a[0] != '-') {
			if (pos++ || parse_target(a, c))
				return ERR_INVAL;
			continue;
		}
		if (!v)
			return ERR_INVAL;
		i++;
		if (strcmp(a, "--addr") == 0)
			c->o.addr = v;
		else if (strcmp(a, "--check-set-cookie") == 0) {
			if (c->n_cookies == CLI_MAX_COOKIES || strpbrk(v, "\r\n"))
				return ERR_INVAL;
			c->cookies[c->n_cookies++] = v;
		} else if (strcmp(a, "--ca-file") == 0)
			c->o.ca_file = v;
		else if (strcmp(a, "--cms-versions") == 0)
			c->o.cms_versions_file = v;
		else if (strcmp(a, "--format") == 0) {
			if (cli_format(v, &c->json))
				return ERR_INVAL;
		} else if (strcmp(a, "--timeout") == 0) {
			if (cli_uint(v, 1, 600000, &c->o.timeout_ms))
				return ERR_INVAL;
		} else if (strcmp(a, "--now") == 0) {
			if (time_parse_rfc3339(v, strlen(v), &c->o.now))
				return ERR_INVAL;
		} else {
			return ERR_INVAL;
		}
	}
	if (c->n_cookies)
		return pos == 0 ? 0 : ERR_INVAL;
	return pos == 1 ? 0 : ERR_INVAL;
}

/*
 * --check-set-cookie: the Set-Cookie values given (e.g. copied from a
 * server's sign-in answer) judged by the same cookie rule (HDR-05) as a
 * site's responses, as if they came over https without HSTS. Prints the
 * rule's result; exit 0 when no finding, 1 when HDR-05.
 */
static int check_cookies(const struct cli *c)
{
	struct web_headers h;
	struct web_input in;
	struct web_report rep;
	struct buf blk = BUF_INIT, out = BUF_INIT;
	size_t i;
	int r, rc = 1;

	web_headers_init(&h);
	web_report_init(&rep);
	r = buf_adds(&blk, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < c->n_cookies && r == 0; i++)
		r = buf_addf(&blk, "Set-Cookie: %s\r\n", c->cookies[i]);
	if (r == 0)
		r = buf_adds(&blk, "\r\n");
	if (r == 0)
		r = web_headers_parse(blk.ptr, blk.len, &h);
	memset(&in, 0, sizeof(in));
	in.host = "set-cookie";
	in.https_reachable = 1;
	in.first = &h;
	in.page = &h;
	if (r == 0)
		r = web_rule_cookies(&in, &rep);
	for (i = 0; r == 0 && i < rep.n_res; i++) {
		const struct web_result *x = &rep.res[i];

		r = buf_addf(&out, "%s %s %+d %s\n", x->check_id ? x->check_id : "-", x->test,
			     x->mod, x->detail);
		if (x->check_id == NULL)
			rc = 0;
	}
	if (r == 0)
		fwrite(out.ptr, 1, out.len, stdout);
	else
		fprintf(stderr, "wachter web: --check-set-cookie: %s\n", err_str(r));
	buf_release(&out);
	buf_release(&blk);
	web_report_release(&rep);
	web_headers_release(&h);
	return r ? 2 : rc;
}

static int findings_out(const struct findings *fl, int json, struct buf *b)
{
	size_t i;
	int r = json ? buf_adds(b, "[") : 0;

	for (i = 0; i < fl->n && r == 0; i++) {
		const struct finding *f = &fl->v[i];
		const char *d = f->detail ? f->detail : "", *e = f->evidence ? f->evidence : "";

		if (!json) {
			r = buf_addf(b, "%-8s %-8s %5d %s\n", f->check_id, check_sev_name(f->sev),
				     f->port, d);
			continue;
		}
		r = buf_addf(b, "%s{\"id\":\"%s\",\"severity\":\"%s\",\"port\":%d,\"detail\":",
			     i ? "," : "", f->check_id, check_sev_name(f->sev), f->port);
		if (r == 0)
			r = buf_add_json_str(b, d, strlen(d));
		if (r == 0)
			r = buf_adds(b, ",\"evidence\":");
		if (r == 0)
			r = buf_add_json_str(b, e, strlen(e));
		if (r == 0)
			r = buf_adds(b, "}");
	}
	return r || !json ? r : buf_adds(b, "]");
}

static const char *default_cms_file(void)
{
	const char *env = getenv("WACHTER_CMS_VERSIONS");

	if (env && *env)
		return env;
	if (access(CMS_DEFAULT_LOCAL, R_OK) == 0)
		return CMS_DEFAULT_LOCAL;
	if (access(CMS_DEFAULT_SYSTEM, R_OK) == 0)
		return CMS_DEFAULT_SYSTEM;
	return NULL;
}

static int print_all(const struct cli *c, int scan_r, const struct web_report *rep,
		     const struct findings *fl)
{
	struct buf out = BUF_INIT;
	int r;

	if (c->json) {
		r = buf_adds(&out, "{\"target\":");
		if (r == 0)
			r = buf_add_json_str(&out, c->host, strlen(c->host));
		if (r == 0)
			r = buf_addf(&out, ",\"result\":\"%s\",\"report\":",
				     scan_r ? err_str(scan_r) : "ok");
		if (r == 0)
			r = web_report_json(rep, &out);
		if (r == 0)
			r = buf_adds(&out, ",\"findings\":");
	} else {
		r = buf_addf(&out, "%s: %s\n", c->host, scan_r ? err_str(scan_r) : "scanned");
		if (r == 0 && !scan_r)
			r = web_report_text(rep, &out);
		if (r == 0)
			r = buf_adds(&out, "findings:\n");
	}
	if (r == 0)
		r = findings_out(fl, c->json, &out);
	if (r == 0 && c->json)
		r = buf_adds(&out, "}\n");
	if (r == 0)
		fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	return r;
}

int web_cli(int argc, char **argv)
{
	struct cli c;
	struct web_report rep;
	struct findings fl = FINDINGS_INIT;
	struct logger lg;
	int r, rc = 1;

	if (parse_args(argc, argv, &c)) {
		usage();
		return 2;
	}
	if (c.n_cookies)
		return check_cookies(&c);
	if (!c.o.cms_versions_file)
		c.o.cms_versions_file = default_cms_file();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "wachter web: libcurl initialisation failed\n");
		return 1;
	}
	log_init(&lg, c.verbose ? LOG_LVL_DEBUG : LOG_LVL_WARN, stderr);
	web_report_init(&rep);
	r = web_scan(&c.o, &rep, &fl, &lg);
	findings_sort(&fl);
	if (print_all(&c, r, &rep, &fl))
		fprintf(stderr, "wachter web: output failed\n");
	else if (r)
		fprintf(stderr, "wachter web: %s: %s\n", c.host, err_str(r));
	else
		rc = 0;
	findings_release(&fl);
	web_report_release(&rep);
	log_release(&lg);
	curl_global_cleanup();
	return rc;
}
