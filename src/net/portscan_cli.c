/*
 * portscan_cli.c: "wachter portscan": expand targets, parse the port list,
 * run net_portscan and print the open ports as text or JSON, with one clear
 * line on stderr for every target that could not be resolved or answered.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "net/net_int.h"

/* The one global the house style allows: the stop flag for signals. */
static volatile sig_atomic_t cli_stop;

static void on_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
}

struct cli {
	const char *ports;
	int json, show_progress, max_targets;
	struct net_scan_opts o;
	struct net_target *t;
	size_t nt;
	struct buf unresolved; /* JSON array body of failed target specs */
	int failed;
	FILE *out, *errf;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wachter portscan [--ports SPEC] [--format text|json]\n"
		"         [--concurrency N] [--rate N] [--timeout MS] [--retries N]\n"
		"         [--max-targets N] [--progress] TARGET...\n"
		"  TARGET  IPv4/IPv6 address, CIDR block (v4 up to /16, v6 up to /112)\n"
		"          or host name (every A/AAAA address)\n"
		"  --ports top100, top1000 (default), all, or 22,80,8000-8100\n"
		"  --concurrency sockets in flight (default %d)\n"
		"  --rate  new connections per second per target (default unlimited)\n"
		"  --timeout per attempt in ms (default %d); --retries after a timeout (1)\n",
		NET_SCAN_DEFAULT_CONCURRENCY, NET_SCAN_DEFAULT_TIMEOUT_MS);
}

static int int_arg(const char *name, const char *v, long lo, long hi, int *out, FILE *errf)
{
	if (cli_uint(v, lo, hi, out) == 0)
		return 0;
	fprintf(errf, "portscan: %s wants a number from %ld to %ld, not \"%.*s\"\n", name, lo, hi,
		LOG_CAP(strlen(v)), v);
	return ERR_PARSE;
}

/*
 * parse_opts: options may come before, between or after the targets; the
 * targets are moved, in order, to the front of argv[1..] and counted in
 * *ntargets. "--" ends the options.
 */
static int parse_opts(struct cli *c, int argc, char **argv, int *ntargets)
{
	static const struct {
		const char *name;
		long lo, hi;
		size_t off;
	} nums[] = {
	    {"--concurrency", 1, 1 << 20, offsetof(struct net_scan_opts, concurrency)},
	    {"--rate", 0, 1000000, offsetof(struct net_scan_opts, rate_per_target)},
	    {"--timeout", 1, 600000, offsetof(struct net_scan_opts, timeout_ms)},
	    {"--retries", 0, 20, offsetof(struct net_scan_opts, retries)},
	};
	int i, k, nt = 0, opts_done = 0;

	for (i = 1; i < argc; i++) {
		const char *v;
		int missing = 0, done = 0;

		if (opts_done || argv[i][0] != '-' || argv[i][1] == '\0') {
			argv[1 + nt++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			opts_done = 1;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
		if (strcmp(argv[i], "--progress") == 0) {
			c->show_progress = 1;
			continue;
		}
		for (k = 0; k < (int)ARRAY_SIZE(nums) && !done && !missing; k++) {
			v = cli_opt_value(argc, argv, &i, nums[k].name, &missing);
			if (v && int_arg(nums[k].name, v, nums[k].lo, nums[k].hi,
					 (int *)((char *)&c->o + nums[k].off), c->errf) != 0)
				return ERR_PARSE;
			done = v != NULL;
		}
		if (!done && !missing &&
		    (v = cli_opt_value(argc, argv, &i, "--max-targets", &missing))) {
			if (int_arg("--max-targets", v, 1, 1 << 20, &c->max_targets, c->errf))
				return ERR_PARSE;
			done = 1;
		}
		if (!done && !missing && (v = cli_opt_value(argc, argv, &i, "--ports", &missing))) {
			c->ports = v;
			done = 1;
		}
		if (!done && !missing &&
		    (v = cli_opt_value(argc, argv, &i, "--format", &missing))) {
			if (cli_format(v, &c->json)) {
				fprintf(c->errf, "portscan: --format is text or json\n");
				return ERR_PARSE;
			}
			done = 1;
		}
		if (!done) {
			fprintf(c->errf, "portscan: %s: \"%.*s\"\n",
				missing ? "option needs a value" : "unknown option",
				LOG_CAP(strlen(argv[i])), argv[i]);
			return ERR_PARSE;
		}
	}
	*ntargets = nt;
	return 0;
}

/* add_targets: expand one spec and append; a failure is reported, counted
 * and remembered for the JSON output, and the other targets go on. */
static int add_targets(struct cli *c, const char *spec)
{
	struct net_target *v = NULL, *all;
	struct buf err = BUF_INIT;
	size_t n = 0;
	int left = c->max_targets - (int)c->nt, r;

	r = net_targets_expand(spec, left > 0 ? left : 1, &v, &n, &err);
	if (r == ERR_NOMEM)
		goto out;
	if (r == 0 && left <= 0) {
		r = ERR_TOO_BIG;
		buf_reset(&err);
		if (buf_addf(&err, "more than %d targets in all", c->max_targets))
			buf_reset(&err);
	}
	if (r != 0) {
		fprintf(c->errf, "portscan: %s\n", err.ptr);
		c->failed = 1;
		r = 0;
		if (c->unresolved.len && buf_addch(&c->unresolved, ','))
			r = ERR_NOMEM;
		if (!r && (buf_adds(&c->unresolved, "{\"target\":") ||
			   buf_add_json_str(&c->unresolved, spec, strlen(spec)) ||
			   buf_adds(&c->unresolved, ",\"error\":") ||
			   buf_add_json_str(&c->unresolved, err.ptr, err.len) ||
			   buf_addch(&c->unresolved, '}')))
			r = ERR_NOMEM;
		goto out;
	}
	all = realloc(c->t, (c->nt + n) * sizeof(*all));
	if (!all) {
		r = ERR_NOMEM;
		goto out;
	}
	memcpy(all + c->nt, v, n * sizeof(*v));
	c->t = all;
	c->nt += n;
out:
	free(v);
	buf_release(&err);
	return r;
}

static void print_progress(void *arg, size_t done, size_t total)
{
	FILE *f = arg;

	fprintf(f, "portscan: %zu/%zu ports (%zu%%)\n", done, total,
		total ? done * 100 / total : 100);
}

static const char *errno_text(int e)
{
	return e ? strerror(e) : "failed";
}

/* report_problems: one line per target whose ports did not all answer;
 * returns 1 when some ports could not be scanned at all. */
static int report_problems(const struct cli *c, const struct net_port_result *res)
{
	int failed = !res->complete;
	size_t i;

	for (i = 0; i < res->nt; i++) {
		const struct net_port_target_result *t = &res->t[i];
		char as[NET_ADDRSTR_MAX];

		net_addr_str(&c->t[i].addr, as);
		if (t->filtered)
			fprintf(c->errf,
				"portscan: %s (%s): %zu ports filtered (no answer within %d ms "
				"after %d retries, or unreachable)\n",
				c->t[i].name, as, t->filtered,
				c->o.timeout_ms ? c->o.timeout_ms : NET_SCAN_DEFAULT_TIMEOUT_MS,
				c->o.retries);
		if (t->errors) {
			fprintf(c->errf, "portscan: %s (%s): %zu ports not scanned: %s\n",
				c->t[i].name, as, t->errors, errno_text(t->first_errno));
			failed = 1;
		}
	}
	if (!res->complete)
		fprintf(c->errf, "portscan: scan stopped early; results are partial\n");
	return failed;
}

static int print_json(const struct cli *c, const struct net_port_result *res, size_t np)
{
	struct buf b = BUF_INIT;
	size_t i, k;
	int r = 0;

	fprintf(c->out,
		"{\"ports_per_target\":%zu,\"elapsed_ms\":%lld,\"complete\":%s,"
		"\"concurrency\":%d,\"targets\":[",
		np, (long long)res->elapsed_ms, res->complete ? "true" : "false", res->concurrency);
	for (i = 0; i < res->nt && r == 0; i++) {
		const struct net_port_target_result *t = &res->t[i];
		char as[NET_ADDRSTR_MAX];

		net_addr_str(&c->t[i].addr, as);
		buf_reset(&b);
		r = buf_add_json_str(&b, c->t[i].name, strlen(c->t[i].name));
		if (r)
			break;
		fprintf(c->out, "%s{\"target\":%s,\"addr\":\"%s\",\"open\":[", i ? "," : "", b.ptr,
			as);
		for (k = 0; k < t->n_open; k++)
			fprintf(c->out, "%s%u", k ? "," : "", t->open[k]);
		fprintf(c->out, "],\"closed\":%zu,\"filtered\":%zu,\"errors\":%zu", t->closed,
			t->filtered, t->errors);
		if (t->errors) {
			const char *e = errno_text(t->first_errno);

			buf_reset(&b);
			r = buf_add_json_str(&b, e, strlen(e));
			if (r)
				break;
			fprintf(c->out, ",\"error\":%s", b.ptr);
		}
		fputc('}', c->out);
	}
	fprintf(c->out, "],\"unresolved\":[%s]}\n", c->unresolved.ptr);
	buf_release(&b);
	return r;
}

static void print_text(const struct cli *c, const struct net_port_result *res)
{
	size_t i, k;

	for (i = 0; i < res->nt; i++) {
		char as[NET_ADDRSTR_MAX];

		net_addr_str(&c->t[i].addr, as);
		for (k = 0; k < res->t[i].n_open; k++)
			fprintf(c->out, "%s %u\n", as, res->t[i].open[k]);
	}
}

static int run(struct cli *c, int nt, char **targets)
{
	struct net_port_result res;
	struct sigaction sa, old_int, old_term;
	struct buf err = BUF_INIT;
	uint16_t *ports = NULL;
	size_t np = 0;
	int i, r;

	r = net_ports_parse(c->ports, &ports, &np, &err);
	if (r) {
		fprintf(c->errf, "portscan: --ports: %s\n", r == ERR_NOMEM ? err_str(r) : err.ptr);
		buf_release(&err);
		return 2;
	}
	for (i = 0; i < nt; i++)
		if (add_targets(c, targets[i]) != 0) {
			fprintf(c->errf, "portscan: out of memory\n");
			free(ports);
			return 1;
		}
	if (c->nt == 0) {
		if (c->json)
			fprintf(c->out, "{\"targets\":[],\"unresolved\":[%s]}\n",
				c->unresolved.ptr);
		free(ports);
		return 1;
	}
	cli_stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	c->o.cancel = &cli_stop;
	if (c->show_progress) {
		c->o.progress = print_progress;
		c->o.progress_arg = c->errf;
	}
	r = net_portscan(c->t, c->nt, ports, np, &c->o, &res, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (r != 0 && r != ERR_CANCELED) {
		fprintf(c->errf, "portscan: scan failed: %s\n", err_str(r));
		free(ports);
		return 1;
	}
	if (c->json)
		r = print_json(c, &res, np) ? 1 : r;
	else
		print_text(c, &res);
	if (report_problems(c, &res))
		c->failed = 1;
	if (r == 0 && c->failed)
		r = 1;
	net_port_result_release(&res);
	free(ports);
	return r ? 1 : 0;
}

int net_portscan_cli(int argc, char **argv, FILE *out, FILE *errf)
{
	struct cli c;
	int nt = 0, r;

	memset(&c, 0, sizeof(c));
	c.ports = "top1000";
	c.max_targets = NET_TARGETS_DEFAULT_MAX;
	c.o.retries = 1;
	c.out = out ? out : stdout;
	c.errf = errf ? errf : stderr;
	buf_init(&c.unresolved, 0);
	r = parse_opts(&c, argc, argv, &nt);
	if (r != 0 || nt == 0) {
		if (r == 1) {
			usage(c.out);
			return 0;
		}
		if (r == 0)
			fprintf(c.errf, "portscan: no target given\n");
		fprintf(c.errf, "usage: wachter portscan [OPTIONS] TARGET... (--help for more)\n");
		return 2;
	}
	r = run(&c, nt, argv + 1);
	free(c.t);
	buf_release(&c.unresolved);
	fflush(c.out);
	return r;
}
