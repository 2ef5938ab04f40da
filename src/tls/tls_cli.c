/*
 * tls_cli.c: `wachter tls <ip> <port> [options]`, the debug subcommand that
 * scans one TLS service and prints the report and the findings as text or
 * JSON (the bench and the integration tests read the JSON).
 */
#include <stdlib.h>
#include <string.h>

#include "tls/tls.h"

static void usage(void)
{
	fprintf(stderr, "usage: wachter tls <ip> <port> [--sni NAME] [--ca-file FILE]\n"
			"       [--starttls smtp|imap|pop3|ftp] [--format text|json]\n"
			"       [--concurrency N] [--timeout MS] [--now RFC3339] [-v]\n");
}

static int findings_json(const struct findings *fl, struct buf *b)
{
	size_t i;
	int r = buf_adds(b, "[");

	for (i = 0; i < fl->n && r == 0; i++) {
		const struct finding *f = &fl->v[i];
		const char *d = f->detail ? f->detail : "", *e = f->evidence ? f->evidence : "";

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
	return r ? r : buf_adds(b, "]");
}

static int findings_text(const struct findings *fl, struct buf *b)
{
	size_t i;
	int r = 0;

	for (i = 0; i < fl->n && r == 0; i++) {
		const struct finding *f = &fl->v[i];

		r = buf_addf(b, "%-8s %-8s %s\n", f->check_id, check_sev_name(f->sev),
			     f->detail ? f->detail : "");
		if (r == 0 && f->evidence && *f->evidence)
			r = buf_addf(b, "         evidence: %.300s\n", f->evidence);
	}
	return r;
}

struct cli {
	const char *ip;
	int port, json, verbose;
	struct tls_scan_opts o;
};

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
			if (pos == 0)
				c->ip = a;
			else if (pos != 1 || cli_uint(a, 1, 65535, &c->port))
				return ERR_INVAL;
			pos++;
			continue;
		}
		if (!v)
			return ERR_INVAL;
		i++;
		if (strcmp(a, "--sni") == 0)
			c->o.sni = v;
		else if (strcmp(a, "--ca-file") == 0)
			c->o.ca_file = v;
		else if (strcmp(a, "--starttls") == 0) {
			if (tls_starttls_parse(v, &c->o.starttls))
				return ERR_INVAL;
		} else if (strcmp(a, "--format") == 0) {
			if (cli_format(v, &c->json))
				return ERR_INVAL;
		} else if (strcmp(a, "--concurrency") == 0) {
			if (cli_uint(v, 1, 64, &c->o.concurrency))
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
	return pos == 2 ? 0 : ERR_INVAL;
}

int tls_cli(int argc, char **argv)
{
	struct cli c;
	struct net_addr a;
	struct tls_report rep;
	struct findings fl = FINDINGS_INIT;
	struct buf out = BUF_INIT;
	struct logger lg;
	int r, rc = 1;

	if (parse_args(argc, argv, &c) || net_addr_parse(c.ip, (uint16_t)c.port, &a)) {
		usage();
		return 2;
	}
	log_init(&lg, c.verbose ? LOG_LVL_DEBUG : LOG_LVL_WARN, stderr);
	tls_report_init(&rep);
	r = tls_scan(&a, &c.o, &rep, &fl, &lg);
	if (r && r != ERR_TLS) {
		fprintf(stderr, "wachter tls: %s port %d: %s\n", c.ip, c.port, err_str(r));
		goto out;
	}
	findings_sort(&fl);
	if (c.json)
		r = buf_addf(&out,
			     "{\"target\":\"%s\",\"port\":%d,\"result\":\"%s\",\"report\":", c.ip,
			     c.port, r ? err_str(r) : "ok");
	else
		r = buf_addf(&out, "%s port %d: %s\n", c.ip, c.port, r ? err_str(r) : "tls");
	if (r == 0)
		r = c.json ? tls_report_json(&rep, &out) : tls_report_text(&rep, &out);
	if (r == 0)
		r = c.json ? buf_adds(&out, ",\"findings\":") : buf_adds(&out, "findings:\n");
	if (r == 0)
		r = c.json ? findings_json(&fl, &out) : findings_text(&fl, &out);
	if (r == 0 && c.json)
		r = buf_adds(&out, "}\n");
	if (r) {
		fprintf(stderr, "wachter tls: output: %s\n", err_str(r));
		goto out;
	}
	fwrite(out.ptr, 1, out.len, stdout);
	rc = rep.tls ? 0 : 1;
out:
	buf_release(&out);
	findings_release(&fl);
	tls_report_release(&rep);
	log_release(&lg);
	return rc;
}
