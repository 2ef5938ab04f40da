/*
 * cli.c: "wachter scan": options, progress on a terminal, the report, and
 * the exit status (0 nothing to fix, 1 findings or an incomplete scan,
 * 2 usage or input error).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "scan/scan_int.h"
#include "feed/feed.h"
#include "store/store.h"

#define SCAN_KB_DEFAULT SCAN_KB_DEFAULT_PATH
#define SCAN_CMS_LOCAL "data/cms-versions.tsv"
#define SCAN_CMS_SYSTEM "/usr/share/wachter/cms-versions.tsv"

/* The one mutable global the house style allows: the stop flag. */
static volatile sig_atomic_t scan_stop;

static void on_signal(int sig)
{
	(void)sig;
	scan_stop = 1;
}

static void show_progress(void *arg, enum scan_phase phase, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "\r%s %zu/%zu   ", phase == SCAN_PHASE_PORTS ? "ports" : "services", done,
		total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void usage(FILE *fp)
{
	fputs(
	    "usage: wachter scan [options] <host|ip|cidr|domain>\n"
	    "A domain is scanned whole: its DNS and mail set-up, and the hosts of the\n"
	    "domain, www.domain and every MX.\n"
	    "  --ports SPEC        top100, top1000 (default), all, or 22,80,8000-8100\n"
	    "  --format text|json  report format (default text)\n"
	    "  --lang nl|en        language of titles and tips (default from scan.lang)\n"
	    "  --ca-file FILE      trust anchors for certificate checks (default: system)\n"
	    "  --resolver IP[:P]   DNS resolver for the target name (default: system)\n"
	    "  --trust-anchor F    DNSSEC trust anchor (DS/DNSKEY file; default the root's; none)\n"
	    "  --host-only         a name is one host: no DNS/mail checks, no www or MX hosts\n"
	    "  --resolve NAME:ADDR scan NAME at ADDR without asking DNS (like curl)\n"
	    "  --timeout MS        per network operation (default scan.timeout_ms)\n"
	    "  --concurrency N     sockets in flight for the port scan\n"
	    "  --rate N            new connections per second per address (0 = unlimited)\n"
	    "  --retries N         port scan retries after a timeout\n"
	    "  --kb PATH           vulnerability knowledge base (default " SCAN_KB_DEFAULT
	    " if present)\n"
	    "  --cms-versions FILE newest CMS releases (default " SCAN_CMS_LOCAL
	    " or " SCAN_CMS_SYSTEM ")\n"
	    "  --ports-only        identify services, run no checks\n"
	    "  --save              store the scan and its findings (store.url)\n"
	    "  --no-progress       no progress display on a terminal\n"
	    "exit status: 0 no findings above info, 1 findings or incomplete scan, 2 usage/input\n",
	    fp);
}

struct scan_args {
	struct scan_opts o;
	const char *target;
	const char *resolver;
	const char *kb_path;
	int json;
	int save;
	int progress;
	enum check_lang lang;
};

static int parse_args(int argc, char **argv, struct scan_args *a)
{
	int i;
	const char *v;

	for (i = 1; i < argc; i++) {
		if ((v = cli_opt_value(argc, argv, &i, "--ports", NULL))) {
			a->o.ports = v;
		} else if ((v = cli_opt_value(argc, argv, &i, "--format", NULL))) {
			if (cli_format(v, &a->json))
				return fprintf(stderr, "wachter scan: --format is text or json\n"),
				       2;
		} else if ((v = cli_opt_value(argc, argv, &i, "--lang", NULL))) {
			if (strcmp(v, "nl") && strcmp(v, "en"))
				return fprintf(stderr, "wachter scan: --lang is nl or en\n"), 2;
			a->lang = strcmp(v, "nl") == 0 ? LANG_NL : LANG_EN;
		} else if ((v = cli_opt_value(argc, argv, &i, "--ca-file", NULL))) {
			a->o.ca_file = v;
		} else if ((v = cli_opt_value(argc, argv, &i, "--cms-versions", NULL))) {
			a->o.cms_versions = v;
		} else if ((v = cli_opt_value(argc, argv, &i, "--kb", NULL))) {
			a->kb_path = v;
		} else if ((v = cli_opt_value(argc, argv, &i, "--resolve", NULL))) {
			a->o.pin = v;
		} else if ((v = cli_opt_value(argc, argv, &i, "--resolver", NULL))) {
			a->resolver = v;
		} else if ((v = cli_opt_value(argc, argv, &i, "--timeout", NULL))) {
			if (cli_uint(v, 1, 600000, &a->o.timeout_ms))
				return fprintf(stderr, "wachter scan: bad --timeout '%s'\n", v), 2;
		} else if ((v = cli_opt_value(argc, argv, &i, "--concurrency", NULL))) {
			if (cli_uint(v, 1, 65536, &a->o.concurrency))
				return fprintf(stderr, "wachter scan: bad --concurrency '%s'\n", v),
				       2;
		} else if ((v = cli_opt_value(argc, argv, &i, "--rate", NULL))) {
			if (cli_uint(v, 0, 1000000, &a->o.rate_per_target))
				return fprintf(stderr, "wachter scan: bad --rate '%s'\n", v), 2;
		} else if ((v = cli_opt_value(argc, argv, &i, "--retries", NULL))) {
			if (cli_uint(v, 0, 5, &a->o.retries))
				return fprintf(stderr, "wachter scan: bad --retries '%s'\n", v), 2;
		} else if ((v = cli_opt_value(argc, argv, &i, "--trust-anchor", NULL))) {
			a->o.trust_anchor = v;
		} else if (strcmp(argv[i], "--host-only") == 0) {
			a->o.host_only = 1;
		} else if (strcmp(argv[i], "--ports-only") == 0) {
			a->o.ports_only = 1;
		} else if (strcmp(argv[i], "--save") == 0) {
			a->save = 1;
		} else if (strcmp(argv[i], "--no-progress") == 0) {
			a->progress = 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return -1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "wachter scan: unknown or incomplete option '%s'\n",
				argv[i]);
			return 2;
		} else if (a->target) {
			fprintf(stderr, "wachter scan: one target at a time ('%s' and '%s')\n",
				a->target, argv[i]);
			return 2;
		} else {
			a->target = argv[i];
		}
	}
	if (!a->target) {
		usage(stderr);
		return 2;
	}
	return 0;
}

static int save_result(const struct wachter_config *cfg, const struct scan_result *res,
		       struct logger *lg)
{
	struct store *st = NULL;
	struct store_opts so = {.busy_timeout_ms = (int)cfg->store_busy_timeout_ms};
	int64_t id = 0;
	int r;

	r = store_open(cfg->store_url, &so, lg, &st);
	if (r == 0)
		r = store_migrate(st, NULL, NULL);
	if (r == 0)
		r = scan_save(st, res, &id);
	/* store_location, not the URL: a postgres URL may hold a password. */
	if (r)
		fprintf(stderr, "wachter scan: could not save the scan to %s: %s%s%s\n",
			st ? store_location(st) : "the database", err_str(r), st ? ": " : "",
			st ? store_errmsg(st) : "");
	else
		fprintf(stderr, "wachter scan: saved as scan %lld in %s\n", (long long)id,
			store_location(st));
	store_close(st);
	return r;
}

/* An explicit --kb must open; the default is used only when it exists. */
static int open_kb(const char *path, struct kb **kb)
{
	int r;

	*kb = NULL;
	if (!path) {
		if (access(SCAN_KB_DEFAULT, R_OK) != 0)
			return 0;
		path = SCAN_KB_DEFAULT;
	}
	r = kb_open(path, kb);
	if (r)
		fprintf(stderr, "wachter scan: cannot open the knowledge base %s: %s\n", path,
			err_str(r));
	return r;
}

int scan_cli(int argc, char **argv, const struct wachter_config *cfg, struct logger *lg)
{
	struct kb *kb = NULL;
	struct scan_args a = {0};
	struct scan_result res;
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct sigaction sa = {0}, old_int, old_term;
	size_t i, serious = 0;
	int r, rc;

	a.o.ports = cfg->scan_ports;
	a.o.concurrency = (int)cfg->scan_concurrency;
	a.o.rate_per_target = (int)cfg->scan_rate_per_target;
	a.o.timeout_ms = (int)cfg->scan_timeout_ms;
	a.o.retries = (int)cfg->scan_retries;
	a.o.ca_file = cfg->scan_ca_file[0] ? cfg->scan_ca_file : NULL;
	a.resolver = cfg->scan_resolver[0] ? cfg->scan_resolver : NULL;
	a.o.trust_anchor = cfg->scan_trust_anchor[0] ? cfg->scan_trust_anchor : NULL;
	a.lang = cfg->scan_lang == WACHTER_LANG_EN ? LANG_EN : LANG_NL;
	a.progress = 1;
	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	a.o.resolver = a.resolver;
	if (!a.o.cms_versions)
		a.o.cms_versions = access(SCAN_CMS_LOCAL, R_OK) == 0	? SCAN_CMS_LOCAL
				   : access(SCAN_CMS_SYSTEM, R_OK) == 0 ? SCAN_CMS_SYSTEM
									: NULL;
	if (!a.kb_path && cfg->scan_kb[0] && strcmp(cfg->scan_kb, SCAN_KB_DEFAULT) != 0)
		a.kb_path = cfg->scan_kb; /* set in the configuration: must open */
	if (open_kb(a.kb_path, &kb) != 0)
		return 2;
	a.o.kb = kb;
	a.o.cancel = &scan_stop;
	if (a.progress && isatty(STDERR_FILENO)) {
		a.o.progress = show_progress;
		a.o.progress_arg = NULL;
	}
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	scan_result_init(&res);
	r = scan_run(a.target, &a.o, &res, &err, lg);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (r && r != ERR_CANCELED) {
		fprintf(stderr, "wachter scan: %s: %s\n", a.target, err.len ? err.ptr : err_str(r));
		rc = r == ERR_NOMEM ? 1 : 2;
		goto out;
	}
	r = a.json ? scan_report_json(&res, a.lang, &out) : scan_report_text(&res, a.lang, &out);
	if (r) {
		fprintf(stderr, "wachter scan: cannot write the report: %s\n", err_str(r));
		rc = 1;
		goto out;
	}
	fwrite(out.ptr, 1, out.len, stdout);
	fflush(stdout);
	if (a.save && save_result(cfg, &res, lg) != 0) {
		rc = 1;
		goto out;
	}
	for (i = 0; i < res.findings.n; i++)
		serious += res.findings.v[i].sev > SEV_INFO;
	rc = serious || !res.complete ? 1 : 0;
out:
	buf_release(&out);
	buf_release(&err);
	scan_result_release(&res);
	kb_close(kb);
	return rc;
}
