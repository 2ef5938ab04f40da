/*
 * report.c: scores modelled on internet.nl (docs/scoring-mail-dns.md), the
 * domain report as text and as JSON (jansson), the address list a domain
 * scan hands to the port/TLS/web scanners, the DNS-05 probe for one
 * address, and `wachter domain`.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "mail/mail_int.h"

int mail_score(const enum mail_verdict *v, int from, int to)
{
	int pts = 0, n = 0;

	for (int c = from; c < to; c++) {
		const struct check_def *d = check_find(dnsmail_check_id((enum dnsmail_check)c));

		/* Only subtests that can fail count; info-only checks never do. */
		if (v[c] == MAIL_NA || v[c] == MAIL_INFO || (d && d->sev == SEV_INFO))
			continue;
		n++;
		pts += v[c] == MAIL_PASS ? 10 : v[c] == MAIL_PARTIAL ? 5 : 0;
	}
	return n ? (pts * 100 + n * 5) / (n * 10) : -1;
}

static int jset(json_t *o, const char *k, json_t *v)
{
	return v && json_object_set_new(o, k, v) == 0 ? 0 : ERR_NOMEM;
}

static json_t *mx_json(const struct dns_mail_mx *mx)
{
	json_t *o = json_object(), *a = json_array();
	int r;

	if (!o || !a) {
		json_decref(o);
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; i < mx->n_addrs; i++) {
		json_t *e = json_object();

		if (!e || json_array_append_new(a, e) ||
		    jset(e, "address", json_string(mx->addrs[i])) ||
		    jset(e, "starttls",
			 mx->starttls[i] < 0 ? json_null() : json_boolean(mx->starttls[i]))) {
			json_decref(a);
			json_decref(o);
			return NULL;
		}
	}
	r = jset(o, "name", json_string(mx->name)) ||
	    jset(o, "preference", json_integer(mx->pref)) ||
	    jset(o, "dnssec", json_string(dns_sec_name(mx->sec))) ||
	    jset(o, "tlsa_records", json_integer(mx->n_tlsa)) || jset(o, "addresses", a);
	if (r) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int report_obj(const struct dns_mail_report *rep, json_t *o)
{
	json_t *checks = json_array(), *mxs = json_array();

	if (jset(o, "checks", checks) || jset(o, "mx", mxs))
		return ERR_NOMEM;
	for (int c = 0; c < DM_COUNT; c++) {
		json_t *e = json_object();

		if (!e || json_array_append_new(checks, e) ||
		    jset(e, "id", json_string(dnsmail_check_id((enum dnsmail_check)c))) ||
		    jset(e, "verdict", json_string(mail_verdict_name(rep->verdict[c]))) ||
		    jset(e, "detail", json_string(rep->detail[c])))
			return ERR_NOMEM;
	}
	for (size_t i = 0; i < rep->n_mx; i++)
		if (json_array_append_new(mxs, mx_json(&rep->mx[i])))
			return ERR_NOMEM;
	if (jset(o, "domain", json_string(rep->domain)) ||
	    jset(o, "dnssec", json_string(dns_sec_name(rep->sec))) ||
	    jset(o, "null_mx", json_boolean(rep->null_mx)) ||
	    jset(o, "spf", json_string(rep->spf)) ||
	    jset(o, "spf_lookups", json_integer(rep->spf_ev.lookups)) ||
	    jset(o, "dmarc", json_string(rep->dmarc)) ||
	    jset(o, "score_dns", rep->score_dns < 0 ? json_null() : json_integer(rep->score_dns)) ||
	    jset(o, "score_mail",
		 rep->score_mail < 0 ? json_null() : json_integer(rep->score_mail)) ||
	    jset(o, "elapsed_ms", json_integer(rep->elapsed_ms)))
		return ERR_NOMEM;
	return 0;
}

/* to_buf: dump j into out and drop it. */
static int to_buf(json_t *j, struct buf *out)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	int r = s ? buf_adds(out, s) : ERR_NOMEM;

	free(s);
	json_decref(j);
	return r;
}

int dns_mail_report_json(const struct dns_mail_report *rep, struct buf *out)
{
	json_t *o = json_object();

	if (!o || report_obj(rep, o)) {
		json_decref(o);
		return ERR_NOMEM;
	}
	return to_buf(o, out);
}

int dns_mail_report_text(const struct dns_mail_report *rep, struct buf *out)
{
	int r = buf_addf(out, "domain %s (DNSSEC %s)\n", rep->domain, dns_sec_name(rep->sec));

	for (size_t i = 0; i < rep->n_mx && r == 0; i++) {
		r = buf_addf(out, "  MX %u %s:", rep->mx[i].pref, rep->mx[i].name);
		for (size_t j = 0; j < rep->mx[i].n_addrs && r == 0; j++)
			r = buf_addf(out, " %s", rep->mx[i].addrs[j]);
		if (r == 0)
			r = buf_adds(out, "\n");
	}
	for (int c = 0; c < DM_COUNT && r == 0; c++) {
		if (rep->verdict[c] == MAIL_NA && !rep->detail[c][0])
			continue;
		r = buf_addf(out, "  %-8s %-5s %s\n", dnsmail_check_id((enum dnsmail_check)c),
			     mail_verdict_name(rep->verdict[c]), rep->detail[c]);
	}
	if (r == 0)
		r = buf_addf(out,
			     "score: DNS %d, mail %d (of 100; -1 = nothing tested) in %lld ms\n",
			     rep->score_dns, rep->score_mail, (long long)rep->elapsed_ms);
	return r;
}

/* ------------------------------------------------------------ addresses */

static int add_name(struct dns_ctx *ctx, const char *name, const char *role,
		    struct dns_domain_addr *out, size_t max, size_t *n, int *answered)
{
	static const uint16_t types[] = {1, 28};
	struct dns_answer a;
	int r;

	for (size_t t = 0; t < 2; t++) {
		r = dns_query(ctx, name, types[t], &a);
		if (r == ERR_NOMEM)
			return r;
		if (r)
			continue;
		*answered = 1;
		for (size_t i = 0; i < a.n && *n < max; i++) {
			size_t k;

			for (k = 0; k < *n; k++)
				if (strcmp(out[k].addr, a.rr[i].text) == 0 &&
				    strcmp(out[k].name, name) == 0)
					break;
			if (k < *n)
				continue;
			str_lcpy(out[*n].addr, a.rr[i].text, sizeof(out[*n].addr));
			str_lcpy(out[*n].name, name, sizeof(out[*n].name));
			str_lcpy(out[*n].role, role, sizeof(out[*n].role));
			(*n)++;
		}
		dns_answer_release(&a);
	}
	return 0;
}

int dns_domain_addresses(struct dns_ctx *ctx, const char *domain, struct dns_domain_addr *out,
			 size_t max, size_t *n)
{
	char www[DNS_NAME_MAX + 8];
	struct dns_answer mx;
	int answered = 0, r;

	*n = 0;
	if (strlen(domain) >= DNS_NAME_MAX - 8)
		return ERR_INVAL;
	snprintf(www, sizeof(www), "www.%s", domain);
	if ((r = add_name(ctx, domain, "domain", out, max, n, &answered)) != 0 ||
	    (r = add_name(ctx, www, "www", out, max, n, &answered)) != 0)
		return r;
	r = dns_query(ctx, domain, 15, &mx);
	if (r == 0) {
		answered = 1;
		for (size_t i = 0; i < mx.n && i < DNSMAIL_MX_MAX && r == 0; i++)
			if (mx.rr[i].text[0])
				r = add_name(ctx, mx.rr[i].text, "mx", out, max, n, &answered);
		dns_answer_release(&mx);
	}
	if (r == ERR_NOMEM)
		return r;
	return answered ? 0 : ERR_TIMEOUT;
}

int dns_mail_open_resolver(const char *ip, unsigned port, int timeout_ms, struct findings *out,
			   struct logger *lg)
{
	struct buf ev = BUF_INIT;
	int open = 0, r;

	buf_init(&ev, 200);
	r = dns_probe_recursion(ip, port, "wachter-probe.example.", timeout_ms, &open, &ev);
	if (r) {
		LOG_DEBUG(lg, "no dns answer addr=%s port=%u err=\"%s\"", ip, port, err_str(r));
		r = 0;
	} else if (open) {
		r = findings_add(out, "DNS-05", -1, CONF_HIGH, ip, (int)port,
				 "answers recursive queries for names it does not serve", ev.ptr);
	}
	buf_release(&ev);
	return r;
}

/* ------------------------------------------------------------------ CLI */

static int usage(void)
{
	fprintf(stderr, "usage: wachter domain <domain> [--resolver IP[:PORT]] "
			"[--trust-anchor FILE|none] [--ca-file FILE] [--timeout MS] "
			"[--no-tls-detail] [--format text|json]\n"
			"       wachter domain <domain> --addresses [--resolver ...] "
			"[--trust-anchor FILE]\n"
			"       wachter domain --open-resolver IP[:PORT] [--timeout MS]\n");
	return 2;
}

/* cli_addresses: print "address<TAB>name<TAB>role" for the domain scan. */
static int cli_addresses(const struct dns_mail_opts *o)
{
	struct dns_domain_addr *a = calloc(64, sizeof(*a));
	struct dns_ctx *ctx = NULL;
	struct buf err = BUF_INIT;
	size_t n = 0;
	int r;

	if (!a)
		return 1;
	buf_init(&err, 300);
	r = dns_ctx_new(o->resolver, o->trust_anchor, o->timeout_ms, &ctx, &err);
	if (r == 0)
		r = dns_domain_addresses(ctx, o->domain, a, 64, &n);
	if (r)
		fprintf(stderr, "wachter domain: %s: %s %s\n", o->domain, err_str(r), err.ptr);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%s\t%s\n", a[i].addr, a[i].name, a[i].role);
	dns_ctx_free(ctx);
	buf_release(&err);
	free(a);
	return r ? 1 : 0;
}

/* cli_open_resolver: DNS-05 for one address; prints the findings. */
static int cli_open_resolver(const char *spec, int timeout_ms)
{
	struct findings fl = FINDINGS_INIT;
	char ip[DNS_ADDRSTR_MAX];
	unsigned port;
	int r;

	if (dns_parse_server(spec, ip, &port) != 0)
		return usage();
	r = dns_mail_open_resolver(ip, port, timeout_ms > 0 ? timeout_ms : 3000, &fl, NULL);
	for (size_t i = 0; i < fl.n; i++)
		printf("%s %s %s port %d: %s (%s)\n", fl.v[i].check_id, check_sev_name(fl.v[i].sev),
		       fl.v[i].target, fl.v[i].port, fl.v[i].detail ? fl.v[i].detail : "",
		       fl.v[i].evidence ? fl.v[i].evidence : "");
	if (r == 0 && fl.n == 0)
		printf("%s: not an open resolver\n", spec);
	findings_release(&fl);
	return r ? 1 : 0;
}

static int print_findings_text(const struct findings *fl, struct buf *out)
{
	int r = buf_addf(out, "findings: %zu\n", fl->n);

	for (size_t i = 0; i < fl->n && r == 0; i++) {
		const struct finding *f = &fl->v[i];

		r = buf_addf(out, "  %-8s %-8s %s", f->check_id, check_sev_name(f->sev), f->target);
		if (r == 0 && f->port >= 0)
			r = buf_addf(out, " port %d", f->port);
		if (r == 0)
			r = buf_addf(out, ": %s\n", f->detail ? f->detail : "");
	}
	return r;
}

static int print_json(const struct dns_mail_report *rep, const struct findings *fl, struct buf *out)
{
	json_t *o = json_object(), *fa = json_array();

	if (!o || report_obj(rep, o) || jset(o, "findings", fa)) {
		json_decref(o);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < fl->n; i++) {
		const struct finding *f = &fl->v[i];
		json_t *e = json_object();

		if (!e || json_array_append_new(fa, e) ||
		    jset(e, "check_id", json_string(f->check_id)) ||
		    jset(e, "severity", json_string(check_sev_name(f->sev))) ||
		    jset(e, "target", json_string(f->target)) ||
		    jset(e, "port", f->port < 0 ? json_null() : json_integer(f->port)) ||
		    jset(e, "detail", json_string(f->detail ? f->detail : ""))) {
			json_decref(o);
			return ERR_NOMEM;
		}
	}
	return to_buf(o, out);
}

int dnsmail_cli(int argc, char **argv)
{
	static const struct option lo[] = {{"resolver", required_argument, NULL, 'r'},
					   {"trust-anchor", required_argument, NULL, 'a'},
					   {"ca-file", required_argument, NULL, 'c'},
					   {"timeout", required_argument, NULL, 't'},
					   {"format", required_argument, NULL, 'f'},
					   {"no-tls-detail", no_argument, NULL, 'n'},
					   {"help", no_argument, NULL, 'h'},
					   {"addresses", no_argument, NULL, 'A'},
					   {"open-resolver", required_argument, NULL, 'O'},
					   {NULL, 0, NULL, 0}};
	const char *open_res = NULL;
	int addresses = 0;
	struct dns_mail_opts o;
	struct dns_mail_report *rep = NULL;
	struct findings fl = FINDINGS_INIT;
	struct logger lg;
	struct buf out = BUF_INIT;
	int json = 0, ch, r;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'r':
			o.resolver = optarg;
			break;
		case 'a':
			o.trust_anchor = optarg;
			break;
		case 'c':
			o.ca_file = optarg;
			break;
		case 't':
			if (cli_uint(optarg, 1, 600000, &o.timeout_ms))
				return usage();
			break;
		case 'n':
			o.no_tls_detail = 1;
			break;
		case 'A':
			addresses = 1;
			break;
		case 'O':
			open_res = optarg;
			break;
		case 'f':
			if (cli_format(optarg, &json))
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (open_res)
		return optind == argc ? cli_open_resolver(open_res, o.timeout_ms) : usage();
	if (optind != argc - 1)
		return usage();
	o.domain = argv[optind];
	if (addresses)
		return cli_addresses(&o);
	log_init(&lg, LOG_LVL_WARN, stderr);
	rep = malloc(sizeof(*rep));
	if (!rep)
		return 1;
	r = dns_mail_scan(&o, rep, &fl, &lg);
	if (r) {
		fprintf(stderr, "wachter domain: %s: %s\n", o.domain, err_str(r));
		goto out;
	}
	findings_sort(&fl);
	r = json ? print_json(rep, &fl, &out)
		 : (dns_mail_report_text(rep, &out) ? ERR_NOMEM : print_findings_text(&fl, &out));
	if (r == 0)
		fprintf(stdout, "%s%s", out.ptr, json ? "\n" : "");
out:
	buf_release(&out);
	findings_release(&fl);
	free(rep);
	log_release(&lg);
	return r ? 1 : 0;
}
