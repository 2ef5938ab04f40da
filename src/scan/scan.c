/*
 * scan.c: one target from start to findings. The port scan runs first over
 * every address; then a pool of workers takes the open ports one at a time
 * for identification, exposure checks and TLS, each into its own findings
 * list, merged in port order at the end so reports are deterministic.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns.h"
#include "mail/mail.h"
#include "net/net.h"
#include "scan/scan_int.h"
#include "svc/svc.h"
#include "tls/tls.h"
#include "vuln/vuln.h"
#include "web/web.h"

void scan_result_init(struct scan_result *res)
{
	memset(res, 0, sizeof(*res));
	findings_init(&res->findings);
}

void scan_result_release(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nhosts; i++)
		free(res->hosts[i].svc);
	free(res->hosts);
	findings_release(&res->findings);
	scan_result_init(res);
}

/* One open port to look at, or (web = 1) the web site of one host. */
struct scan_job {
	int web;
	int http_open; /* web job: port 80 was open */
	int domain;    /* part of a domain scan: mail TLS is dns_mail_scan's */
	struct scan_host *host;
	struct net_addr addr;
	struct scan_service svc;
	struct findings found;
	int done;
};

struct scan_pool {
	struct scan_job *jobs;
	size_t n;
	size_t next;
	size_t finished;
	pthread_mutex_t mu;
	const struct scan_opts *o;
	struct logger *lg;
};

TESTABLE enum tls_starttls scan_starttls_for(const char *service, uint16_t port)
{
	if (strcmp(service, "smtp") == 0 && port != 465)
		return TLS_STARTTLS_SMTP;
	if (strcmp(service, "imap") == 0 && port != 993)
		return TLS_STARTTLS_IMAP;
	if (strcmp(service, "pop3") == 0 && port != 995)
		return TLS_STARTTLS_POP3;
	if (strcmp(service, "ftp") == 0 && port != 990)
		return TLS_STARTTLS_FTP;
	return TLS_STARTTLS_NONE;
}

/* The host name for SNI and name checks: only a name, never an address. */
static const char *sni_for(const struct scan_host *h)
{
	struct net_addr tmp;

	if (net_addr_parse(h->name, 0, &tmp) == 0)
		return NULL;
	return h->name;
}

static void copy_info(struct scan_service *s, const struct svc_info *info)
{
	str_lcpy(s->service, info->service, sizeof(s->service));
	str_lcpy(s->product, info->product, sizeof(s->product));
	str_lcpy(s->version, info->version, sizeof(s->version));
	str_lcpy(s->cpe, info->cpe, sizeof(s->cpe));
	str_lcpy(s->extra, info->extra, sizeof(s->extra));
	s->tls = info->tls;
}

static int scan_tls(struct scan_job *j, const struct svc_info *info, const struct scan_opts *o,
		    struct logger *lg)
{
	struct tls_scan_opts to = {
	    .sni = sni_for(j->host),
	    .ca_file = o->ca_file,
	    .timeout_ms = o->timeout_ms,
	    .starttls =
		info->tls ? TLS_STARTTLS_NONE : scan_starttls_for(info->service, j->svc.port),
	    .now = o->now,
	};
	struct tls_report rep;
	int r;

	if (!info->tls && to.starttls == TLS_STARTTLS_NONE)
		return 0;
	/* A domain scan judges STARTTLS on its MX hosts as MAIL-09/MAIL-10. */
	if (j->domain && to.starttls == TLS_STARTTLS_SMTP)
		return 0;
	tls_report_init(&rep);
	r = tls_scan(&j->addr, &to, &rep, &j->found, lg);
	if (r == 0 && rep.tls)
		j->svc.tls = 1;
	else if (r == ERR_PROTO && to.starttls == TLS_STARTTLS_SMTP)
		r = findings_add(&j->found, "MAIL-09", -1, CONF_HIGH, j->host->name, j->svc.port,
				 "STARTTLS not offered or refused", NULL);
	else if (r == ERR_PROTO || r == ERR_TLS || r == ERR_CONN || r == ERR_TIMEOUT)
		r = 0; /* STARTTLS absent on IMAP/POP3/FTP is MAIL-16's business */
	tls_report_release(&rep);
	return r;
}

static int scan_job_run(struct scan_job *j, const struct scan_opts *o, struct logger *lg)
{
	struct svc_info info;
	int r;

	r = svc_identify(&j->addr, sni_for(j->host), o->timeout_ms, &info, lg);
	if (r == ERR_CONN || r == ERR_TIMEOUT) {
		/* Open during the port scan, gone now: say so, don't guess. */
		r = findings_addf(&j->found, "SCAN-03", -1, CONF_HIGH, j->host->name, j->svc.port,
				  NULL, "port stopped accepting connections during the scan (%s)",
				  err_str(r));
		goto out;
	}
	if (r)
		goto out;
	copy_info(&j->svc, &info);
	if (info.error && strcmp(info.service, "unknown") == 0) {
		r = findings_addf(&j->found, "SCAN-03", -1, CONF_MEDIUM, j->host->name, j->svc.port,
				  info.evidence, "no known protocol answered (%s)",
				  err_str(info.error));
		if (r)
			goto out;
	}
	if (o->ports_only)
		goto out;
	r = vuln_findings_for_service(o->kb, j->host->name, j->svc.port, info.product, info.version,
				      info.cpe, info.extra, &j->found);
	if (r)
		goto out;
	r = svc_check(&j->addr, j->host->name, &info, o->timeout_ms, &j->found, lg);
	if (r == 0 && strcmp(info.service, "dns") == 0)
		r = dns_mail_open_resolver(j->host->addr, j->svc.port, o->timeout_ms, &j->found,
					   lg);
	if (r)
		goto out;
	r = scan_tls(j, &info, o, lg);
out:
	svc_info_release(&info);
	return r;
}

static void add_score(struct scan_host *h, const char *cat, int percent, const char *grade)
{
	struct scan_score *sc;

	if (h->nscores >= SCAN_MAX_SCORES || percent < 0)
		return;
	sc = &h->scores[h->nscores++];
	str_lcpy(sc->category, cat, sizeof(sc->category));
	sc->percent = percent;
	str_lcpy(sc->grade, grade ? grade : "", sizeof(sc->grade));
}

/* The web checks of a host with 80 or 443 open: headers, redirects,
 * cookies, exposed files, CMS. The host owns its scores; only this job
 * writes them, before collect() reads them. */
static int scan_web_job(struct scan_job *j, const struct scan_opts *o, struct logger *lg)
{
	struct web_opts wo = {
	    .host = j->host->name,
	    .addr = j->host->addr,
	    .ca_file = o->ca_file,
	    .timeout_ms = o->timeout_ms * 4,
	    .now = o->now,
	    .cms_versions_file = o->cms_versions,
	};
	struct web_report rep;
	int r, c;

	web_report_init(&rep);
	r = web_scan(&wo, &rep, &j->found, lg);
	if (r == 0) {
		add_score(j->host, "web", rep.score, rep.grade);
		for (c = 0; c < WEB_CAT_COUNT; c++)
			add_score(j->host, web_category_name((enum web_category)c),
				  rep.cat[c].percent, NULL);
	} else if (r == ERR_TLS && !j->http_open) {
		/* The handshake failed for a modern client: the TLS findings of
		 * that port say why; nothing more to add here. With port 80 open
		 * as well, plain HTTP failed too (else r would be 0), and no other
		 * finding says so: that is the line below. */
		LOG_INFO(lg, "msg=\"web checks skipped: tls handshake failed\" host=%s",
			 j->host->name);
		r = 0;
	} else if (r != ERR_NOMEM) {
		/* Open ports that never gave an HTTP answer: say so. */
		r = findings_addf(&j->found, "SCAN-03", -1, CONF_MEDIUM, j->host->name, -1, NULL,
				  "web site did not answer over HTTP or HTTPS (%s)",
				  r == ERR_TLS ? "no usable HTTP answer, TLS handshake failed"
					       : err_str(r));
	}
	web_report_release(&rep);
	return r;
}

static void *scan_worker(void *arg)
{
	struct scan_pool *p = arg;

	for (;;) {
		struct scan_job *j;
		int r;

		pthread_mutex_lock(&p->mu);
		if (p->next >= p->n || (p->o->cancel && *p->o->cancel)) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		j = &p->jobs[p->next++];
		pthread_mutex_unlock(&p->mu);
		r = j->web ? scan_web_job(j, p->o, p->lg) : scan_job_run(j, p->o, p->lg);
		if (r)
			LOG_WARN(p->lg, "msg=\"service scan failed\" target=%s port=%u err=\"%s\"",
				 j->host->name, j->svc.port, err_str(r));
		pthread_mutex_lock(&p->mu);
		j->done = 1;
		p->finished++;
		if (p->o->progress)
			p->o->progress(p->o->progress_arg, SCAN_PHASE_SERVICES, p->finished, p->n);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

static int run_pool(struct scan_pool *p, int workers)
{
	pthread_t th[64];
	int i, started = 0;

	if (workers <= 0)
		workers = 16;
	if (workers > (int)ARRAY_SIZE(th))
		workers = (int)ARRAY_SIZE(th);
	if ((size_t)workers > p->n)
		workers = (int)p->n;
	for (i = 0; i < workers; i++) {
		if (pthread_create(&th[i], NULL, scan_worker, p) != 0)
			break;
		started++;
	}
	if (started == 0 && p->n)
		scan_worker(p); /* no threads to be had: do it here */
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return 0;
}

/* Turn the port scan result into hosts and one job per open port. */
static int has_port(const struct net_port_target_result *tr, uint16_t port)
{
	size_t k;

	for (k = 0; k < tr->n_open; k++)
		if (tr->open[k] == port)
			return 1;
	return 0;
}

static int has_web(const struct net_port_target_result *tr)
{
	return has_port(tr, 80) || has_port(tr, 443);
}

static int make_jobs(struct scan_result *res, const struct net_target *t, size_t nt,
		     const struct net_port_result *pr, const struct scan_opts *o,
		     struct scan_pool *p)
{
	size_t i, k, nj = 0;

	res->hosts = calloc(nt, sizeof(*res->hosts));
	if (!res->hosts)
		return ERR_NOMEM;
	res->nhosts = nt;
	for (i = 0; i < nt; i++)
		nj += pr->t[i].n_open + (!o->ports_only && has_web(&pr->t[i]));
	p->jobs = nj ? calloc(nj, sizeof(*p->jobs)) : NULL;
	if (nj && !p->jobs)
		return ERR_NOMEM;
	for (i = 0; i < nt; i++) {
		struct scan_host *h = &res->hosts[i];
		const struct net_port_target_result *tr = &pr->t[i];

		str_lcpy(h->name, t[i].name, sizeof(h->name));
		net_addr_str(&t[i].addr, h->addr);
		h->answered = tr->n_open > 0 || tr->closed > 0;
		for (k = 0; k < tr->n_open; k++) {
			struct scan_job *j = &p->jobs[p->n++];

			j->host = h;
			j->domain = res->domain;
			j->addr = t[i].addr;
			net_addr_set_port(&j->addr, tr->open[k]);
			j->svc.port = tr->open[k];
			str_lcpy(j->svc.service, "unknown", sizeof(j->svc.service));
			findings_init(&j->found);
		}
		if (!o->ports_only && has_web(tr)) {
			struct scan_job *j = &p->jobs[p->n++];

			j->web = 1;
			j->http_open = has_port(tr, 80);
			j->host = h;
			j->addr = t[i].addr;
			findings_init(&j->found);
		}
	}
	return 0;
}

/* Collect the jobs' services and findings into the result, in port order. */
static int collect(struct scan_result *res, struct scan_pool *p)
{
	size_t i;
	int r = 0;

	for (i = 0; i < p->n; i++) {
		struct scan_job *j = &p->jobs[i];
		struct scan_host *h = j->host;

		if (!j->web && !h->svc) {
			size_t k, cnt = 0;

			for (k = i; k < p->n && p->jobs[k].host == h; k++)
				cnt++;
			h->svc = calloc(cnt, sizeof(*h->svc));
			if (!h->svc)
				return ERR_NOMEM;
		}
		if (!j->web)
			h->svc[h->nsvc++] = j->svc;
		if (r == 0)
			r = findings_move(&res->findings, &j->found);
	}
	return r;
}

static int note_silent_hosts(struct scan_result *res, const struct net_port_result *pr)
{
	size_t i;
	int r;

	for (i = 0; i < res->nhosts; i++) {
		const struct net_port_target_result *tr = &pr->t[i];

		if (res->hosts[i].answered)
			continue;
		r = findings_addf(&res->findings, "SCAN-02", -1, CONF_HIGH, res->hosts[i].name, -1,
				  NULL, "%s (%s): no answer on %zu ports (%zu filtered%s%s)",
				  res->hosts[i].name, res->hosts[i].addr, res->ports_scanned,
				  tr->filtered, tr->first_error ? ", " : "",
				  tr->first_error ? err_str(tr->first_error) : "");
		if (r)
			return r;
	}
	return 0;
}

/* Names go to the configured resolver when there is one; literals and
 * CIDR blocks never touch DNS. */
static int expand_target(const char *target, const struct scan_opts *o, struct net_target **t,
			 size_t *nt, struct buf *err)
{
	char addrs[DNS_MAX_ADDRS][DNS_ADDRSTR_MAX];
	size_t n = 0, i;
	int max = o->max_targets ? o->max_targets : 4096;
	int r;

	if (o->pin) {
		const char *colon = strchr(o->pin, ':');

		if (!colon || colon == o->pin) {
			buf_errf(err, "--resolve wants NAME:ADDRESS, not '%s'", o->pin);
			return ERR_INVAL;
		}
		if ((size_t)(colon - o->pin) == strlen(target) &&
		    strncasecmp(o->pin, target, strlen(target)) == 0) {
			r = net_targets_expand_flags(colon + 1, 1, NET_TARGETS_NO_RESOLVE, t, nt,
						     err);
			if (r == 0)
				str_lcpy((*t)[0].name, target, sizeof((*t)[0].name));
			return r;
		}
	}
	if (!o->resolver)
		return net_targets_expand(target, max, t, nt, err);
	r = net_targets_expand_flags(target, max, NET_TARGETS_NO_RESOLVE, t, nt, NULL);
	if (r == ERR_RESOLVE)
		r = ERR_PARSE; /* a name: ours to resolve */
	if (r != ERR_PARSE)
		return r ? net_targets_expand_flags(target, max, NET_TARGETS_NO_RESOLVE, t, nt, err)
			 : 0;
	r = dns_resolve_addrs(target, o->resolver, o->timeout_ms, addrs, DNS_MAX_ADDRS, &n, err);
	if (r == ERR_TIMEOUT || r == ERR_RESOLVE)
		return ERR_RESOLVE;
	if (r)
		return r;
	*t = calloc(n, sizeof(**t));
	if (!*t)
		return ERR_NOMEM;
	for (i = 0; i < n; i++) {
		str_lcpy((*t)[i].name, target, sizeof((*t)[i].name));
		if (net_addr_parse(addrs[i], 0, &(*t)[i].addr) != 0) {
			free(*t);
			*t = NULL;
			return ERR_PARSE;
		}
	}
	*nt = n;
	return 0;
}

/* The DNS and mail part of a domain scan runs beside the port scan. */
struct domain_part {
	struct dns_mail_opts o;
	struct dns_mail_report rep;
	struct findings found;
	struct logger *lg;
	int r;
	pthread_t th;
	int started;
};

static void *domain_part_run(void *arg)
{
	struct domain_part *d = arg;

	d->r = dns_mail_scan(&d->o, &d->rep, &d->found, d->lg);
	return NULL;
}

/* A name that is neither pinned by --resolve nor a host-only scan is a
 * domain: its DNS and mail are judged and domain, www and every MX are
 * scanned. */
static int is_domain_scan(const char *target, const struct scan_opts *o)
{
	struct net_target *t = NULL;
	size_t n = 0;
	int r;

	if (o->host_only || o->ports_only)
		return 0;
	if (o->pin) {
		const char *colon = strchr(o->pin, ':');

		if (colon && (size_t)(colon - o->pin) == strlen(target) &&
		    strncasecmp(o->pin, target, strlen(target)) == 0)
			return 0;
	}
	r = net_targets_expand_flags(target, 1, NET_TARGETS_NO_RESOLVE, &t, &n, NULL);
	free(t);
	return r == ERR_PARSE || r == ERR_RESOLVE;
}

#define SCAN_DOMAIN_ADDRS 64

/* The hosts of a domain scan: domain, www.domain and each MX, each under
 * the name it was found by (so SNI and certificate names are right). */
static int domain_targets(const char *domain, const struct scan_opts *o, struct net_target **t,
			  size_t *nt, struct buf *err)
{
	struct dns_domain_addr *a = NULL;
	struct dns_ctx *ctx = NULL;
	size_t n = 0, i, k = 0;
	int r;

	a = calloc(SCAN_DOMAIN_ADDRS, sizeof(*a));
	if (!a)
		return ERR_NOMEM;
	r = dns_ctx_new(o->resolver, NULL, o->timeout_ms, &ctx, err);
	if (r == 0)
		r = dns_domain_addresses(ctx, domain, a, SCAN_DOMAIN_ADDRS, &n);
	if (r == 0 && n == 0)
		r = ERR_RESOLVE;
	if (r == ERR_RESOLVE || r == ERR_TIMEOUT) {
		buf_errf(err, "%s: no address for the domain, www or any MX%s", domain,
			 r == ERR_TIMEOUT ? " (the resolver did not answer)" : "");
		r = ERR_RESOLVE;
	}
	if (r)
		goto out;
	*t = calloc(n, sizeof(**t));
	if (!*t) {
		r = ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (net_addr_parse(a[i].addr, 0, &(*t)[k].addr) != 0)
			continue;
		str_lcpy((*t)[k].name, a[i].name, sizeof((*t)[k].name));
		k++;
	}
	*nt = k;
	if (k == 0) {
		free(*t);
		*t = NULL;
		r = ERR_RESOLVE;
	}
out:
	dns_ctx_free(ctx);
	free(a);
	return r;
}

static int domain_part_start(struct domain_part *d, const char *domain, const struct scan_opts *o,
			     struct logger *lg)
{
	d->o.domain = domain;
	d->o.resolver = o->resolver;
	d->o.trust_anchor = o->trust_anchor;
	d->o.ca_file = o->ca_file;
	d->o.timeout_ms = o->timeout_ms;
	d->o.now = o->now;
	d->lg = lg;
	findings_init(&d->found);
	if (pthread_create(&d->th, NULL, domain_part_run, d) != 0)
		return ERR_NOMEM;
	d->started = 1;
	return 0;
}

static void add_result_score(struct scan_result *res, const char *cat, int percent)
{
	if (res->nscores >= SCAN_MAX_SCORES || percent < 0)
		return;
	str_lcpy(res->scores[res->nscores].category, cat, sizeof(res->scores[0].category));
	res->scores[res->nscores].percent = percent;
	res->scores[res->nscores].grade[0] = '\0';
	res->nscores++;
}

/* Join the DNS/mail thread and take over its findings and scores. */
static int domain_part_finish(struct domain_part *d, struct scan_result *res)
{
	int r = 0;

	if (!d->started)
		return 0;
	pthread_join(d->th, NULL);
	d->started = 0;
	if (d->r == 0) {
		add_result_score(res, "dns", d->rep.score_dns);
		add_result_score(res, "mail", d->rep.score_mail);
	} else if (d->r != ERR_RESOLVE) {
		r = findings_addf(&res->findings, "SCAN-03", -1, CONF_MEDIUM, res->target, -1, NULL,
				  "DNS and mail checks could not run (%s)", err_str(d->r));
	}
	if (r == 0)
		r = findings_move(&res->findings, &d->found);
	findings_release(&d->found);
	return r;
}

static void port_progress(void *arg, size_t done, size_t total)
{
	const struct scan_opts *o = arg;

	o->progress(o->progress_arg, SCAN_PHASE_PORTS, done, total);
}

int scan_run(const char *target, const struct scan_opts *o, struct scan_result *res,
	     struct buf *err, struct logger *lg)
{
	struct scan_opts opts = *o;
	struct net_target *t = NULL;
	size_t nt = 0, np = 0, i;
	uint16_t *ports = NULL;
	struct net_scan_opts no = {0};
	struct net_port_result pr = {0};
	struct scan_pool pool = {0};
	struct domain_part dom = {0};
	int r, r2;

	scan_result_release(res);
	str_lcpy(res->target, target, sizeof(res->target));
	res->started = time(NULL);
	if (opts.timeout_ms <= 0)
		opts.timeout_ms = 1500;
	if (opts.now == 0)
		opts.now = res->started;
	r = net_ports_parse(opts.ports ? opts.ports : "top1000", &ports, &np, err);
	if (r)
		goto out;
	res->ports_scanned = np;
	res->domain = is_domain_scan(target, &opts);
	if (res->domain) {
		r = domain_part_start(&dom, res->target, &opts, lg);
		if (r == 0)
			r = domain_targets(target, &opts, &t, &nt, err);
	} else {
		r = expand_target(target, &opts, &t, &nt, err);
	}
	if (r == ERR_RESOLVE) {
		/* Not an error of the scan: the report says the name is unknown.
		 * A resolver answer that does not parse comes without a reason. */
		if (err->len)
			r = findings_add(&res->findings, "SCAN-01", -1, CONF_HIGH, target, -1,
					 err->ptr, NULL);
		else
			r = findings_addf(&res->findings, "SCAN-01", -1, CONF_HIGH, target, -1,
					  NULL, "%s: no usable answer from the resolver", target);
		buf_reset(err);
		goto out;
	}
	if (r)
		goto out;
	no.concurrency = opts.concurrency;
	no.rate_per_target = opts.rate_per_target;
	no.timeout_ms = opts.timeout_ms;
	no.retries = opts.retries;
	no.cancel = opts.cancel;
	if (opts.progress) {
		no.progress = port_progress;
		no.progress_arg = &opts;
	}
	r = net_portscan(t, nt, ports, np, &no, &pr, lg);
	if (r && r != ERR_CANCELED)
		goto out;
	if (make_jobs(res, t, nt, &pr, &opts, &pool) != 0) {
		r = ERR_NOMEM;
		goto out;
	}
	if (r == ERR_CANCELED)
		goto out;
	pool.o = &opts;
	pool.lg = lg;
	pthread_mutex_init(&pool.mu, NULL);
	run_pool(&pool, opts.workers);
	pthread_mutex_destroy(&pool.mu);
	r = collect(res, &pool);
	if (r == 0)
		r = note_silent_hosts(res, &pr);
	if (r == 0 && opts.cancel && *opts.cancel)
		r = ERR_CANCELED;
	if (r == 0)
		res->complete = 1;
out:
	r2 = domain_part_finish(&dom, res);
	if (r == 0)
		r = r2;
	for (i = 0; i < pool.n; i++)
		findings_release(&pool.jobs[i].found);
	free(pool.jobs);
	net_port_result_release(&pr);
	free(ports);
	free(t);
	res->finished = time(NULL);
	findings_sort(&res->findings);
	return r;
}
