/*
 * svc_cli.c: "wachter probe", the debug subcommand: identify the given
 * ports of one address in parallel (one thread per port), run the
 * exposure checks and print what was found. The benchmark parses the
 * "svc" lines (tab separated).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc.h"

#define CLI_MAX_PORTS 256

struct job {
	struct net_addr addr;
	const char *host;
	int timeout_ms;
	int checks;
	struct logger *lg;
	int r;
	int64_t ms;
	struct svc_info info;
	struct findings fl;
};

static void *job_run(void *arg)
{
	struct job *j = arg;
	char ip[NET_ADDRSTR_MAX];
	int64_t t0 = time_now_ms();

	j->r = svc_identify(&j->addr, j->host, j->timeout_ms, &j->info, j->lg);
	if (j->r == 0 && j->checks) {
		net_addr_str(&j->addr, ip);
		j->r = svc_check(&j->addr, j->host ? j->host : ip, &j->info, j->timeout_ms, &j->fl,
				 j->lg);
	}
	j->ms = time_now_ms() - t0;
	return NULL;
}

static void print_job(const struct job *j)
{
	const struct svc_info *i = &j->info;
	unsigned port = net_addr_port(&j->addr);
	size_t k;

	if (j->r) {
		printf("svc\t%u\terror\t%s\n", port, err_str(j->r));
		return;
	}
	printf("svc\t%u\t%s\t%s\t%s\t%s\t%s\n", port, i->service, i->product, i->version, i->cpe,
	       i->extra);
	printf("  service:  %s%s\n", i->service, i->tls ? " (TLS)" : "");
	printf("  product:  %s\n  version:  %s\n  cpe:      %s\n  extra:    %s\n", i->product,
	       i->version, i->cpe, i->extra);
	if (i->error)
		printf("  error:    %s\n", err_str(i->error));
	printf("  time:     %lld ms\n", (long long)j->ms);
	printf("  evidence: %.300s%s\n", i->evidence ? i->evidence : "",
	       i->evidence && strlen(i->evidence) > 300 ? "..." : "");
	for (k = 0; k < j->fl.n; k++) {
		const struct finding *f = &j->fl.v[k];

		printf("  finding:  %s %s %s\n", f->check_id, check_sev_name(f->sev), f->detail);
		printf("    evidence: %.400s\n", f->evidence ? f->evidence : "");
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: wachter probe [-t timeout_ms] [-n host] [-I] [-v] <ip> <port>...\n"
			"  -I  identify only (no exposure checks)\n");
	return 2;
}

static int parse_opts(int argc, char **argv, int *i, int *timeout, const char **host, int *checks,
		      enum log_level *lvl)
{
	for (*i = 1; *i < argc && argv[*i][0] == '-'; (*i)++) {
		const char *o = argv[*i];

		if (strcmp(o, "-I") == 0) {
			*checks = 0;
		} else if (strcmp(o, "-v") == 0) {
			*lvl = LOG_LVL_DEBUG;
		} else if ((strcmp(o, "-t") == 0 || strcmp(o, "-n") == 0) && *i + 1 < argc) {
			if (o[1] == 'n') {
				*host = argv[++(*i)];
			} else {
				char *end;
				long v = strtol(argv[++(*i)], &end, 10);

				if (*end || v < 10 || v > 600000)
					return ERR_INVAL;
				*timeout = (int)v;
			}
		} else {
			return ERR_INVAL;
		}
	}
	return 0;
}

int svc_cli(int argc, char **argv)
{
	struct job *jobs = NULL;
	pthread_t *th = NULL;
	struct logger lg;
	enum log_level lvl = LOG_LVL_WARN;
	const char *host = NULL, *ip;
	int i, timeout = 3000, checks = 1, rc = 0;
	size_t n, k;

	if (parse_opts(argc, argv, &i, &timeout, &host, &checks, &lvl) != 0 || argc - i < 2)
		return usage();
	ip = argv[i++];
	n = (size_t)(argc - i);
	if (n > CLI_MAX_PORTS)
		return usage();
	log_init(&lg, lvl, stderr);
	jobs = calloc(n, sizeof(*jobs));
	th = calloc(n, sizeof(*th));
	if (!jobs || !th) {
		rc = 1;
		goto out;
	}
	for (k = 0; k < n; k++) {
		char *end;
		long port = strtol(argv[i + (int)k], &end, 10);

		if (*end || port < 1 || port > 65535 ||
		    net_addr_parse(ip, (uint16_t)port, &jobs[k].addr) != 0) {
			fprintf(stderr, "wachter probe: bad address or port: %s %s\n", ip,
				argv[i + (int)k]);
			rc = 2;
			n = k;
			goto join;
		}
		jobs[k].host = host;
		jobs[k].timeout_ms = timeout;
		jobs[k].checks = checks;
		jobs[k].lg = &lg;
		findings_init(&jobs[k].fl);
		svc_info_init(&jobs[k].info);
		if (pthread_create(&th[k], NULL, job_run, &jobs[k]) != 0) {
			job_run(&jobs[k]);
			th[k] = 0;
		}
	}
join:
	for (k = 0; k < n; k++) {
		if (th[k])
			pthread_join(th[k], NULL);
		print_job(&jobs[k]);
		if (jobs[k].r)
			rc = rc ? rc : 1;
		svc_info_release(&jobs[k].info);
		findings_release(&jobs[k].fl);
	}
out:
	free(jobs);
	free(th);
	log_release(&lg);
	return rc;
}
