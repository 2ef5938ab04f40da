/*
 * wachter.c: the wachter program. Global options (--config FILE and any
 * --section.key=value from the configuration table) come before a
 * git-style subcommand; each subcommand lives in its module.
 * Exit status: 0 ok, 1 findings or failure, 2 usage or input error.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/core.h"
#include "feed/feed.h"
#include "mail/mail.h"
#include "net/net.h"
#include "scan/scan.h"
#include "server/server.h"
#include "store/store.h"
#include "svc/svc.h"
#include "tls/tls.h"
#include "vuln/vuln.h"
#include "web/web.h"

extern char **environ;

static void usage(FILE *fp)
{
	struct buf b = BUF_INIT;

	fputs(
	    "usage: wachter [--config FILE] [--SECTION.KEY=VALUE...] <command> [<args>]\n"
	    "\n"
	    "commands:\n"
	    "  scan <host|ip|cidr|domain>   scan a target from outside (ports, services, TLS)\n"
	    "  feed import <file>...        import vulnerability feeds (NVD, KEV, EPSS, Debian)\n"
	    "  feed status                  what the knowledge base holds\n"
	    "  vuln lookup <cpe|product ver> known vulnerabilities of a product\n"
	    "  db migrate                   create or upgrade the database (store.url)\n"
	    "  db status                    schema version and pending migrations\n"
	    "  config check FILE            validate a configuration file\n"
	    "  config show | sample         effective settings | a commented sample file\n"
	    "  domain <domain>              DNS and mail checks only (DNSSEC, SPF, DMARC, "
	    "DANE...)\n"
	    "  web <url-or-host>            web site checks only (headers, redirects, CMS)\n"
	    "  portscan <target>...         TCP connect scan only (debugging, benchmarks)\n"
	    "  probe <ip> <port>...         identify the services on ports (debugging)\n"
	    "  tls <ip> <port>              TLS and certificate report of one port\n"
	    "  serve                        the web platform: JSON API, sign-in (docs/server.md)\n"
	    "  agent                        the computer inventory agent (not built yet)\n"
	    "  version                      print the version\n"
	    "  help                         this text\n"
	    "\n"
	    "exit status: 0 ok, 1 findings or failure, 2 usage or input error\n"
	    "\n"
	    "settings (file < WACHTER_SECTION_KEY environment < --section.key flags):\n",
	    fp);
	if (wachter_config_help(&b) == 0)
		fputs(b.ptr, fp);
	buf_release(&b);
}

static int cmd_db(int argc, char **argv, const struct wachter_config *cfg, struct logger *lg)
{
	struct store_opts so = {.busy_timeout_ms = (int)cfg->store_busy_timeout_ms};
	struct buf out = BUF_INIT;
	int r;

	if (argc != 2 || (strcmp(argv[1], "migrate") && strcmp(argv[1], "status"))) {
		fputs("usage: wachter db migrate|status\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "migrate") == 0)
		r = store_cmd_migrate(cfg->store_url, &so, lg, &out);
	else
		r = store_cmd_status(cfg->store_url, &so, lg, &out);
	fputs(out.ptr, r ? stderr : stdout);
	buf_release(&out);
	if (r == ERR_NOTFOUND || r == ERR_UNSUPP || r == ERR_INVAL)
		return 2;
	return r ? 1 : 0;
}

static int not_built(const char *what, const char *issue)
{
	fprintf(stderr, "wachter %s: not built yet (planned in %s)\n", what, issue);
	return 2;
}

static int dispatch(int argc, char **argv, const struct wachter_config *cfg, struct logger *lg)
{
	const char *c = argv[0];

	if (strcmp(c, "help") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(c, "version") == 0 || strcmp(c, "--version") == 0) {
		printf("wachter %s\n", WACHTER_VERSION);
		return 0;
	}
	if (strcmp(c, "config") == 0)
		return config_cmd_main(argc, argv, environ);
	if (strcmp(c, "db") == 0)
		return cmd_db(argc, argv, cfg, lg);
	if (strcmp(c, "scan") == 0)
		return scan_cli(argc, argv, cfg, lg);
	if (strcmp(c, "feed") == 0)
		return feed_cmd(argc, argv, lg);
	if (strcmp(c, "domain") == 0)
		return dnsmail_cli(argc, argv);
	if (strcmp(c, "web") == 0)
		return web_cli(argc, argv);
	if (strcmp(c, "vuln") == 0)
		return vuln_cli(argc, argv);
	if (strcmp(c, "portscan") == 0)
		return net_portscan_cli(argc, argv, stdout, stderr);
	if (strcmp(c, "probe") == 0)
		return svc_cli(argc, argv);
	if (strcmp(c, "tls") == 0)
		return tls_cli(argc, argv);
	if (strcmp(c, "serve") == 0)
		return server_cmd(argc, argv, cfg, lg);
	if (strcmp(c, "agent") == 0)
		return not_built("agent", "the agent issue");
	fprintf(stderr, "wachter: '%s' is not a command; see 'wachter help'\n", c);
	return 2;
}

int main(int argc, char **argv)
{
	struct wachter_config cfg;
	struct config_load ld = {0};
	struct buf err = BUF_INIT;
	struct logger lg;
	int r, rc;

	/* "config" reads its own file argument: a broken default file must not
	 * stop "wachter config check other.conf" from working. */
	if (argc > 1 && (strcmp(argv[1], "config") == 0 || strcmp(argv[1], "help") == 0 ||
			 strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "version") == 0)) {
		if (strcmp(argv[1], "config") == 0)
			return config_cmd_main(argc - 1, argv + 1, environ);
		log_init(&lg, LOG_LVL_WARN, NULL);
		return dispatch(argc - 1, argv + 1, NULL, &lg);
	}
	/* Once, before any thread: the scan's web checks use libcurl. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("wachter: cannot initialise libcurl\n", stderr);
		return 1;
	}
	ld.argc = argc - 1;
	ld.argv = argv + 1;
	ld.envp = environ;
	r = wachter_config_load(&cfg, &ld, &err);
	if (r) {
		fprintf(stderr, "%s\n", err.ptr);
		buf_release(&err);
		return 2;
	}
	buf_release(&err);
	if (ld.first_operand >= ld.argc) {
		usage(stderr);
		return 2;
	}
	log_init(&lg, (enum log_level)cfg.log_level, NULL);
	if (cfg.log_file[0] && (r = log_open_file(&lg, cfg.log_file)) != 0) {
		fprintf(stderr, "wachter: cannot open log file %s: %s\n", cfg.log_file, err_str(r));
		return 2;
	}
	rc = dispatch(ld.argc - ld.first_operand, ld.argv + ld.first_operand, &cfg, &lg);
	log_release(&lg);
	return rc;
}
