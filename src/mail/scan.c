/*
 * scan.c: the domain scan: DNSSEC, name servers, CAA, dangling CNAMEs,
 * MX, SPF, DKIM, DMARC, STARTTLS and DANE on every MX address, MTA-STS.
 * Each check ends in a verdict (internet.nl's pass/warn/fail) and, when it
 * did not pass, a finding that says which name or address it concerns.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mail/mail.h"
#include "mail/mail_int.h"
#include "tls/tls.h"

#define NS_MAX 8

static const char *const check_ids[DM_COUNT] = {
    "DNS-01",  "DNS-02",  "DNS-03",  "DNS-04",	"DNS-05",  "DNS-06",  "DNS-09",
    "MAIL-01", "MAIL-02", "MAIL-03", "MAIL-04", "MAIL-05", "MAIL-06", "MAIL-07",
    "MAIL-08", "MAIL-09", "MAIL-10", "MAIL-11", "MAIL-12", "MAIL-13", "MAIL-14",
};

const char *dnsmail_check_id(enum dnsmail_check c)
{
	return (unsigned)c < DM_COUNT ? check_ids[c] : "?";
}

const char *mail_verdict_name(enum mail_verdict v)
{
	static const char *const n[] = {"pass", "info", "warn", "fail", "n/a"};

	return (unsigned)v < ARRAY_SIZE(n) ? n[v] : "?";
}

/* verdict: record v for check c (the worst wins) and, unless it passed,
 * a finding at target:port with the formatted detail. */
TESTABLE void PRINTF_LIKE(7, 8) verdict(struct scan *s, enum dnsmail_check c, enum mail_verdict v,
					int sev, const char *target, int port, const char *fmt, ...)
{
	struct dns_mail_report *rep = s->rep;
	char detail[200];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (rep->verdict[c] == MAIL_NA || (v != MAIL_NA && v > rep->verdict[c])) {
		if (rep->verdict[c] == MAIL_NA || v != MAIL_PASS)
			str_lcpy(rep->detail[c], detail, sizeof(rep->detail[c]));
		rep->verdict[c] = v;
	}
	if (v == MAIL_PASS || v == MAIL_NA)
		return;
	if (v == MAIL_INFO)
		sev = SEV_INFO;
	r = findings_add(s->out, check_ids[c], sev, CONF_HIGH, target, port, detail, NULL);
	if (r && !s->err)
		s->err = r;
}

/* query: dns_query with the timeout logged; 0 or the error. */
static int query(struct scan *s, const char *name, uint16_t type, struct dns_answer *a)
{
	int r = dns_query(s->ctx, name, type, a);

	if (r)
		LOG_WARN(s->lg, "dns query failed name=%.*s type=%u err=\"%s\"",
			 LOG_CAP(strlen(name)), name, (unsigned)type, err_str(r));
	return r;
}

/* ------------------------------------------------------------- DNS-01..06 */

/* dns03_rule: internet.nl: >= 2 name servers reachable over IPv6 pass, 1 warn. */
TESTABLE enum mail_verdict dns03_rule(int ns_with_v6)
{
	return ns_with_v6 >= 2 ? MAIL_PASS : ns_with_v6 == 1 ? MAIL_PARTIAL : MAIL_FAIL;
}

/* mail02_rule: every MX with IPv6 pass, some warn, none fail. */
TESTABLE enum mail_verdict mail02_rule(int mx_with_v6, size_t n_mx)
{
	if (n_mx && (size_t)mx_with_v6 >= n_mx)
		return MAIL_PASS;
	return mx_with_v6 > 0 ? MAIL_PARTIAL : MAIL_FAIL;
}

static void check_ns(struct scan *s, const char *domain)
{
	struct dns_answer ns, a6, a4;
	int with_v6 = 0, i, axfr = 0, open = 0;
	char ev[200] = "";

	if (query(s, domain, 2 /* NS */, &ns) || ns.n == 0) {
		dns_answer_release(&ns);
		return; /* not a zone apex or no answer: DNS-03/05/06 not applicable */
	}
	for (i = 0; i < (int)ns.n && i < NS_MAX; i++) {
		const char *nsn = ns.rr[i].text;
		int v6_ok = 0;

		if (query(s, nsn, 28, &a6) == 0) {
			for (size_t j = 0; j < a6.n; j++) {
				size_t recs = 0;

				if (dns_probe_soa(a6.rr[j].text, 53, domain, s->tmo) == 0)
					v6_ok = 1;
				if (dns_probe_axfr(a6.rr[j].text, 53, domain, s->tmo, &recs) == 0 &&
				    recs > 0 && !axfr) {
					axfr = 1;
					verdict(s, DM_DNS06, MAIL_FAIL, -1, a6.rr[j].text, 53,
						"%s (%s) hands out the zone %s: %zu records", nsn,
						a6.rr[j].text, domain, recs);
				}
			}
		}
		dns_answer_release(&a6);
		with_v6 += v6_ok;
		if (query(s, nsn, 1, &a4) == 0) {
			for (size_t j = 0; j < a4.n; j++) {
				size_t recs = 0;
				struct buf e = BUF_INIT;
				int o = 0;

				if (dns_probe_axfr(a4.rr[j].text, 53, domain, s->tmo, &recs) == 0 &&
				    recs > 0 && !axfr) {
					axfr = 1;
					verdict(s, DM_DNS06, MAIL_FAIL, -1, a4.rr[j].text, 53,
						"%s (%s) hands out the zone %s: %zu records", nsn,
						a4.rr[j].text, domain, recs);
				}
				buf_init(&e, 200);
				if (dns_probe_recursion(a4.rr[j].text, 53, "wachter-probe.example.",
							s->tmo, &o, &e) == 0 &&
				    o && !open) {
					open = 1;
					str_lcpy(ev, e.ptr, sizeof(ev));
					verdict(s, DM_DNS05, MAIL_FAIL, -1, a4.rr[j].text, 53,
						"name server %s (%s) recurses for anyone: %s", nsn,
						a4.rr[j].text, ev);
				}
				buf_release(&e);
			}
		}
		dns_answer_release(&a4);
	}
	if (!axfr)
		verdict(s, DM_DNS06, MAIL_PASS, -1, domain, -1, "no name server allows AXFR");
	if (!open)
		verdict(s, DM_DNS05, MAIL_PASS, -1, domain, -1, "no name server recurses");
	if (dns03_rule(with_v6) == MAIL_PASS)
		verdict(s, DM_DNS03, MAIL_PASS, -1, domain, -1, "%d name servers answer over IPv6",
			with_v6);
	else
		verdict(s, DM_DNS03, dns03_rule(with_v6), -1, domain, -1,
			"%d of %zu name servers answer over IPv6 (want at least 2)", with_v6, ns.n);
	dns_answer_release(&ns);
}

/* caa_valid: at least one issue/issuewild tag; iodef mailto:/https: only. */
TESTABLE int caa_valid(const struct dns_answer *a, char *why, size_t wlen)
{
	int issue = 0;

	for (size_t i = 0; i < a->n; i++) {
		const struct dns_rr *rr = &a->rr[i];

		if (!rr->text)
			continue;
		if (strcasecmp(rr->text, "issue") == 0 || strcasecmp(rr->text, "issuewild") == 0)
			issue = 1;
		else if (strcasecmp(rr->text, "iodef") == 0 &&
			 strncasecmp((const char *)rr->data, "mailto:", 7) != 0 &&
			 strncasecmp((const char *)rr->data, "https://", 8) != 0) {
			snprintf(why, wlen, "iodef is neither mailto: nor https:");
			return 0;
		} else if ((rr->u[0] & 0x80) && strcasecmp(rr->text, "issue") != 0 &&
			   strcasecmp(rr->text, "issuewild") != 0 &&
			   strcasecmp(rr->text, "iodef") != 0) {
			snprintf(why, wlen, "unknown critical tag");
			return 0;
		}
	}
	if (!issue)
		snprintf(why, wlen, "no issue tag");
	return issue;
}

static void check_caa(struct scan *s, const char *domain)
{
	const char *name = domain;
	struct dns_answer a;
	char why[80] = "";

	/* RFC 8659: the closest name (walking up) with a CAA RRset decides. */
	while (name && *name && strchr(name, '.')) {
		if (query(s, name, 257, &a) == 0 && a.n > 0) {
			if (caa_valid(&a, why, sizeof(why)))
				verdict(s, DM_DNS04, MAIL_PASS, -1, domain, -1, "CAA at %s", name);
			else
				verdict(s, DM_DNS04, MAIL_PARTIAL, -1, domain, -1,
					"CAA at %s is not valid: %s", name, why);
			dns_answer_release(&a);
			return;
		}
		dns_answer_release(&a);
		name = strchr(name, '.') + 1;
	}
	verdict(s, DM_DNS04, MAIL_PARTIAL, -1, domain, -1, "no CAA record at %s or above", domain);
}

/* cname_servfail: the resolver failed on name; a CNAME loop is one reason
 * we can see by asking it again without validation. */
static void cname_servfail(struct scan *s, const char *name)
{
	char ip[DNS_ADDRSTR_MAX];
	unsigned port;
	struct dns_answer raw;

	LOG_WARN(s->lg, "server failure name=%.*s resolver=%s", LOG_CAP(strlen(name)), name,
		 dns_ctx_resolver(s->ctx));
	if (dns_parse_server(dns_ctx_resolver(s->ctx), ip, &port) != 0)
		return;
	if (dns_probe_answer(ip, port, name, 1, s->tmo, &raw) == 0 && raw.n_cname > 16)
		verdict(s, DM_DNS09, MAIL_FAIL, -1, name, -1,
			"CNAME loop at %s: the name cannot resolve", name);
	dns_answer_release(&raw);
}

/* check_dangling: DNS-09 for name: a CNAME chain that ends in NXDOMAIN, or
 * that loops (seen in one answer or across the answers for each link). */
static void check_dangling(struct scan *s, const char *name)
{
	char seen[8][DNS_NAME_MAX], cur[DNS_NAME_MAX];
	struct dns_answer a;
	size_t n_seen = 0;

	str_lcpy(cur, name, sizeof(cur));
	for (int hop = 0; hop < 8; hop++) {
		if (query(s, cur, 1, &a) != 0)
			return;
		if (a.rcode == 2 && a.sec != DNS_SEC_BOGUS) {
			dns_answer_release(&a);
			cname_servfail(s, cur);
			return;
		}
		if (a.n_cname > 16) {
			verdict(s, DM_DNS09, MAIL_FAIL, -1, name, -1,
				"CNAME loop at %s: the name cannot resolve", name);
			break;
		}
		if (a.n_cname == 0 || a.n > 0 || (a.rcode != 0 && a.rcode != 3)) {
			verdict(s, DM_DNS09, MAIL_PASS, -1, name, -1, "no dangling CNAME");
			break;
		}
		if (a.rcode == 3) {
			verdict(s, DM_DNS09, MAIL_FAIL, -1, name, -1,
				"%s is an alias of %s, which does not exist (NXDOMAIN)", name,
				a.cname);
			break;
		}
		/* NOERROR, a CNAME and no address: follow the chain ourselves. */
		str_lcpy(seen[n_seen++], cur, DNS_NAME_MAX);
		for (size_t k = 0; k < n_seen; k++)
			if (strcasecmp(seen[k], a.cname) == 0) {
				verdict(s, DM_DNS09, MAIL_FAIL, -1, name, -1,
					"CNAME loop at %s (via %s)", name, a.cname);
				dns_answer_release(&a);
				return;
			}
		str_lcpy(cur, a.cname, sizeof(cur));
		dns_answer_release(&a);
		if (n_seen == ARRAY_SIZE(seen)) {
			verdict(s, DM_DNS09, MAIL_PARTIAL, -1, name, -1,
				"CNAME chain from %s longer than 8 links", name);
			return;
		}
	}
	dns_answer_release(&a);
}

/* ------------------------------------------------------------------ MX */

static void mx_sort(struct dns_mail_report *rep)
{
	for (size_t i = 1; i < rep->n_mx; i++)
		for (size_t j = i; j > 0 && rep->mx[j].pref < rep->mx[j - 1].pref; j--) {
			struct dns_mail_mx t = rep->mx[j];

			rep->mx[j] = rep->mx[j - 1];
			rep->mx[j - 1] = t;
		}
}

static void mx_addresses(struct scan *s, struct dns_mail_mx *mx)
{
	static const uint16_t types[] = {1, 28};
	struct dns_answer a;

	mx->sec = DNS_SEC_SECURE;
	for (size_t t = 0; t < 2; t++) {
		if (query(s, mx->name, types[t], &a) != 0) {
			mx->sec = DNS_SEC_INSECURE;
			continue;
		}
		if (a.sec != DNS_SEC_SECURE)
			mx->sec = a.sec == DNS_SEC_BOGUS     ? DNS_SEC_BOGUS
				  : mx->sec == DNS_SEC_BOGUS ? mx->sec
							     : a.sec;
		for (size_t i = 0; i < a.n && mx->n_addrs < DNSMAIL_MX_ADDRS; i++) {
			str_lcpy(mx->addrs[mx->n_addrs++], a.rr[i].text, DNS_ADDRSTR_MAX);
			if (types[t] == 28)
				mx->n_aaaa++;
		}
		dns_answer_release(&a);
	}
}

static int check_mx(struct scan *s, const char *domain)
{
	struct dns_mail_report *rep = s->rep;
	struct dns_answer a;
	int v6 = 0, r;

	r = query(s, domain, 15, &a);
	if (r)
		return r;
	for (size_t i = 0; i < a.n && rep->n_mx < DNSMAIL_MX_MAX; i++) {
		struct dns_mail_mx *mx = &rep->mx[rep->n_mx];

		if (a.n == 1 && a.rr[i].pref == 0 && a.rr[i].text[0] == '\0') {
			rep->null_mx = 1;
			break;
		}
		memset(mx, 0, sizeof(*mx));
		str_lcpy(mx->name, a.rr[i].text, sizeof(mx->name));
		mx->pref = a.rr[i].pref;
		rep->n_mx++;
	}
	dns_answer_release(&a);
	if (rep->null_mx) {
		verdict(s, DM_MAIL01, MAIL_PASS, -1, domain, -1,
			"Null MX: the domain takes no mail");
		return 0;
	}
	if (rep->n_mx == 0) {
		verdict(s, DM_MAIL01, MAIL_INFO, -1, domain, -1,
			"no MX record and no Null MX (mail goes to the A record)");
		return 0;
	}
	verdict(s, DM_MAIL01, MAIL_PASS, -1, domain, -1, "%zu MX", rep->n_mx);
	mx_sort(rep);
	for (size_t i = 0; i < rep->n_mx; i++) {
		mx_addresses(s, &rep->mx[i]);
		v6 += rep->mx[i].n_aaaa > 0;
	}
	if (mail02_rule(v6, rep->n_mx) == MAIL_PASS)
		verdict(s, DM_MAIL02, MAIL_PASS, -1, domain, -1, "every MX has IPv6");
	else
		verdict(s, DM_MAIL02, mail02_rule(v6, rep->n_mx), -1, domain, -1,
			"%d of %zu MX have an IPv6 address", v6, rep->n_mx);
	return 0;
}

static void check_mail_dnssec(struct scan *s, const char *domain)
{
	struct dns_mail_report *rep = s->rep;

	if (s->no_anchor)
		return;
	if (rep->sec != DNS_SEC_SECURE) {
		verdict(s, DM_MAIL03, MAIL_FAIL, -1, domain, -1, "the mail domain is %s",
			dns_sec_name(rep->sec));
		return;
	}
	for (size_t i = 0; i < rep->n_mx; i++)
		if (rep->mx[i].sec != DNS_SEC_SECURE)
			verdict(s, DM_MAIL03, MAIL_FAIL, -1, rep->mx[i].name, -1, "MX %s is %s",
				rep->mx[i].name, dns_sec_name(rep->mx[i].sec));
	verdict(s, DM_MAIL03, MAIL_PASS, -1, domain, -1, "domain and MX domains signed");
}

/* ---------------------------------------------------------- SPF / DKIM */

/* txt_records: the TXT records at name accepted by is_rec; first into out. */
static int txt_records(struct scan *s, const char *name, int (*is_rec)(const char *, size_t),
		       struct buf *out, int *n, int *rcode)
{
	struct dns_answer a;
	int r = query(s, name, 16, &a);

	*n = 0;
	if (rcode)
		*rcode = a.rcode;
	if (r)
		return r;
	for (size_t i = 0; i < a.n; i++) {
		if (!is_rec((const char *)a.rr[i].data, a.rr[i].dlen))
			continue;
		if (++*n == 1 && out) {
			buf_reset(out);
			r = buf_add(out, a.rr[i].data, a.rr[i].dlen);
		}
	}
	dns_answer_release(&a);
	return r;
}

static int spf_fetch(void *arg, const char *domain, struct buf *txt, int *n)
{
	return txt_records(arg, domain, spf_is_record, txt, n, NULL);
}

static void check_spf(struct scan *s, const char *domain)
{
	struct dns_mail_report *rep = s->rep;
	struct buf txt = BUF_INIT, why = BUF_INIT;
	enum mail_verdict v;
	int n = 0;

	buf_init(&txt, MAIL_TXT_MAX);
	if (txt_records(s, domain, spf_is_record, &txt, &n, NULL) != 0)
		goto out;
	str_lcpy(rep->spf, txt.ptr, sizeof(rep->spf));
	if (n != 1) {
		if (n)
			verdict(s, DM_MAIL04, MAIL_FAIL, -1, domain, -1,
				"%d SPF records (receivers treat several as an error)", n);
		else
			verdict(s, DM_MAIL04, MAIL_FAIL, -1, domain, -1, "no SPF record (v=spf1)");
		goto out;
	}
	verdict(s, DM_MAIL04, MAIL_PASS, -1, domain, -1, "one SPF record");
	if (spf_evaluate(domain, spf_fetch, s, &rep->spf_ev) != 0) {
		s->err = ERR_NOMEM;
		goto out;
	}
	buf_init(&why, 300);
	v = spf_verdict(&rep->spf_ev, &why);
	if (v == MAIL_PASS && s->rep->null_mx && rep->spf_ev.all != '-') {
		v = MAIL_FAIL;
		buf_errf(&why, "a domain without mail should end SPF with -all");
	}
	verdict(s, DM_MAIL05, v, v == MAIL_PARTIAL ? SEV_MEDIUM : -1, domain, -1, "%s",
		v == MAIL_PASS ? "policy ~all/-all within 10 lookups" : why.ptr);
out:
	buf_release(&txt);
	buf_release(&why);
}

static void check_dkim(struct scan *s, const char *domain)
{
	char name[DNS_NAME_MAX + 16];
	struct dns_answer a;

	if (s->rep->null_mx)
		return;
	snprintf(name, sizeof(name), "_domainkey.%s", domain);
	if (query(s, name, 16, &a) == 0) {
		if (a.rcode == 3)
			verdict(s, DM_MAIL06, MAIL_FAIL, -1, domain, -1,
				"%s does not exist (NXDOMAIN): no DKIM keys published", name);
		else if (a.rcode == 0)
			verdict(s, DM_MAIL06, MAIL_PASS, -1, domain, -1, "%s exists", name);
	}
	dns_answer_release(&a);
}

/* ---------------------------------------------------------------- DMARC */

/* org_suffix: the last two labels of d (a stand-in for the PSL). */
TESTABLE const char *org_suffix(const char *d)
{
	const char *p = d + strlen(d), *dots[2] = {NULL, NULL};

	while (p > d) {
		p--;
		if (*p == '.') {
			if (dots[0]) {
				dots[1] = p;
				break;
			}
			dots[0] = p;
		}
	}
	return dots[1] ? dots[1] + 1 : d;
}

TESTABLE int ends_with_ci(const char *s, const char *suf)
{
	size_t ls = strlen(s), lf = strlen(suf);

	return ls >= lf && strcasecmp(s + ls - lf, suf) == 0 && (ls == lf || s[ls - lf - 1] == '.');
}

static void check_rua(struct scan *s, const char *domain, const struct dmarc_record *rec)
{
	for (size_t i = 0; i < rec->n_rua; i++) {
		char rd[DNS_NAME_MAX], name[DNS_NAME_MAX * 2 + 16];
		int n = 0;

		if (dmarc_uri_domain(rec->rua[i], rd) || ends_with_ci(rd, org_suffix(domain)))
			continue;
		snprintf(name, sizeof(name), "%s._report._dmarc.%s", domain, rd);
		if (txt_records(s, name, dmarc_is_record, NULL, &n, NULL) == 0 && n == 0)
			verdict(s, DM_MAIL08, MAIL_PARTIAL, SEV_LOW, domain, -1,
				"reports go to %s, which has not authorised it (%s)", rd, name);
	}
}

static void check_dmarc(struct scan *s, const char *domain)
{
	struct dns_mail_report *rep = s->rep;
	char name[DNS_NAME_MAX + 16];
	struct buf txt = BUF_INIT, why = BUF_INIT;
	struct dmarc_record *rec = NULL;
	enum mail_verdict v;
	int n = 0;

	snprintf(name, sizeof(name), "_dmarc.%s", domain);
	buf_init(&txt, MAIL_TXT_MAX);
	if (txt_records(s, name, dmarc_is_record, &txt, &n, NULL) != 0)
		goto out;
	str_lcpy(rep->dmarc, txt.ptr, sizeof(rep->dmarc));
	if (n != 1) {
		if (n)
			verdict(s, DM_MAIL07, MAIL_FAIL, -1, domain, -1, "%d DMARC records at %s",
				n, name);
		else
			verdict(s, DM_MAIL07, MAIL_FAIL, -1, domain, -1, "no DMARC record at %s",
				name);
		goto out;
	}
	verdict(s, DM_MAIL07, MAIL_PASS, -1, domain, -1, "one DMARC record");
	rec = malloc(sizeof(*rec));
	if (!rec) {
		s->err = ERR_NOMEM;
		goto out;
	}
	if (dmarc_parse(txt.ptr, txt.len, rec) != 0) {
		verdict(s, DM_MAIL08, MAIL_FAIL, -1, domain, -1, "DMARC syntax: %s", rec->err);
		goto out;
	}
	buf_init(&why, 200);
	v = dmarc_verdict(rec, rep->null_mx, &why);
	verdict(s, DM_MAIL08, v, -1, domain, -1, "%s",
		v == MAIL_PASS ? "policy quarantine/reject" : why.ptr);
	check_rua(s, domain, rec);
out:
	free(rec);
	buf_release(&txt);
	buf_release(&why);
}

/* ------------------------------------------------------ STARTTLS, DANE */

/* One MX address, probed in its own thread: STARTTLS (and the chain), then
 * the full TLS scan for MAIL-10. Verdicts are made afterwards, in order. */
struct mx_job {
	const struct scan *s;
	const struct dns_mail_mx *mx;
	const char *addr;
	struct net_addr na;
	int r;
	struct smtp_tls st;
	struct findings tf; /* from tls_scan */
	int tls_ok;
	pthread_t th;
	int started;
};

static void *mx_job_run(void *arg)
{
	struct mx_job *j = arg;
	struct tls_scan_opts to;
	struct tls_report tr;

	j->r = smtp_starttls(&j->na, j->mx->name, j->s->tmo, &j->st);
	if (j->r || !j->st.reachable || !j->st.starttls || !j->st.handshake ||
	    j->s->o->no_tls_detail)
		return NULL;
	memset(&to, 0, sizeof(to));
	to.sni = j->mx->name;
	to.ca_file = j->s->o->ca_file;
	to.timeout_ms = j->s->tmo;
	to.concurrency = 8;
	to.starttls = TLS_STARTTLS_SMTP;
	to.now = j->s->o->now;
	tls_report_init(&tr);
	j->tls_ok = tls_scan(&j->na, &to, &tr, &j->tf, j->s->lg) == 0;
	tls_report_release(&tr);
	return NULL;
}

/* tls_detail: MAIL-10 from the TLS scan of one MX address. Trust and name
 * (CERT-01/02) are left out: for SMTP, DANE decides them. */
static void tls_detail(struct scan *s, const struct mx_job *j)
{
	int bad = 0;

	if (!j->tls_ok)
		return;
	for (size_t i = 0; i < j->tf.n; i++) {
		const struct finding *f = &j->tf.v[i];

		if (strcmp(f->check_id, "CERT-01") == 0 || strcmp(f->check_id, "CERT-02") == 0)
			continue;
		bad = 1;
		verdict(s, DM_MAIL10, MAIL_FAIL, (int)f->sev, j->addr, 25, "MX %s: %s: %s",
			j->mx->name, f->check_id, f->detail ? f->detail : "");
	}
	if (!bad)
		verdict(s, DM_MAIL10, MAIL_PASS, -1, j->addr, 25, "TLS on %s is fine", j->addr);
}

/* dane_match: does any usable TLSA record match the presented chain? */
TESTABLE int dane_match(const struct dns_answer *tlsa, const struct smtp_tls *st)
{
	for (size_t i = 0; i < tlsa->n; i++) {
		struct dns_rr *rr = &tlsa->rr[i];
		unsigned char rd[3 + 64];
		struct tlsa t;
		int m = 0;

		if (rr->dlen > 64)
			continue;
		rd[0] = rr->u[0], rd[1] = rr->u[1], rd[2] = rr->u[2];
		memcpy(rd + 3, rr->data, rr->dlen);
		if (tlsa_parse(rd, 3 + rr->dlen, &t) || t.usage < 2)
			continue;
		/* DANE-EE (3): the leaf; DANE-TA (2): a CA certificate in the chain. */
		for (size_t c = t.usage == 3 ? 0 : 1;
		     c < st->n_chain && c < (t.usage == 3 ? 1u : 8u); c++)
			if (tlsa_match_der(&t, st->chain[c], st->chain_len[c], &m) == 0 && m)
				return 1;
	}
	return 0;
}

static void check_mx_tls(struct scan *s, struct dns_mail_mx *mx)
{
	char name[DNS_NAME_MAX + 16];
	struct dns_answer tlsa;
	struct mx_job *jobs = NULL;
	int have_tlsa;

	snprintf(name, sizeof(name), "_25._tcp.%s", mx->name);
	if (query(s, name, 52, &tlsa) != 0)
		memset(&tlsa, 0, sizeof(tlsa));
	for (size_t i = 0; i < tlsa.n; i++)
		mx->n_tlsa += tlsa.rr[i].u[0] >= 2 && tlsa.rr[i].u[0] <= 3;
	mx->tlsa_sec = tlsa.sec;
	/* Without an anchor nothing is secure: match the records, judge nothing
	 * about their signature. */
	have_tlsa = mx->n_tlsa > 0 && (tlsa.sec == DNS_SEC_SECURE || s->no_anchor);
	if (s->no_anchor)
		verdict(s, DM_MAIL11, MAIL_NA, -1, mx->name, 25, "no trust anchor: not checked");
	else if (have_tlsa)
		verdict(s, DM_MAIL11, MAIL_PASS, -1, mx->name, 25, "TLSA at %s", name);
	else
		verdict(s, DM_MAIL11, MAIL_FAIL, -1, mx->name, 25,
			mx->n_tlsa ? "TLSA at %s is not DNSSEC-signed" : "no usable TLSA at %s",
			name);
	if (have_tlsa)
		verdict(s, DM_MAIL13, mx->n_tlsa >= 2 ? MAIL_PASS : MAIL_INFO, -1, mx->name, 25,
			"%d TLSA record(s) at %s (two allow a key rollover)", mx->n_tlsa, name);
	jobs = calloc(mx->n_addrs ? mx->n_addrs : 1, sizeof(*jobs));
	if (!jobs) {
		s->err = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < mx->n_addrs; i++) {
		jobs[i].s = s;
		jobs[i].mx = mx;
		jobs[i].addr = mx->addrs[i];
		jobs[i].r = ERR_INVAL;
		if (net_addr_parse(mx->addrs[i], 25, &jobs[i].na) != 0)
			continue;
		jobs[i].started = pthread_create(&jobs[i].th, NULL, mx_job_run, &jobs[i]) == 0;
		if (!jobs[i].started)
			mx_job_run(&jobs[i]);
	}
	for (size_t i = 0; i < mx->n_addrs; i++)
		if (jobs[i].started)
			pthread_join(jobs[i].th, NULL);
	for (size_t i = 0; i < mx->n_addrs; i++) {
		struct mx_job *j = &jobs[i];

		mx->starttls[i] = -1;
		if (j->r || !j->st.reachable) {
			LOG_WARN(s->lg, "mx unreachable mx=%s addr=%s err=\"%s\"", mx->name,
				 j->addr, j->st.error);
			continue;
		}
		mx->starttls[i] = j->st.starttls && j->st.handshake;
		if (!mx->starttls[i])
			verdict(s, DM_MAIL09, MAIL_FAIL, -1, j->addr, 25, "MX %s (%s): %s",
				mx->name, j->addr, j->st.error);
		else
			verdict(s, DM_MAIL09, MAIL_PASS, -1, j->addr, 25, "STARTTLS on %s",
				j->addr);
		if (mx->starttls[i] && have_tlsa) {
			if (dane_match(&tlsa, &j->st))
				verdict(s, DM_MAIL12, MAIL_PASS, -1, j->addr, 25, "DANE matches");
			else
				verdict(s, DM_MAIL12, MAIL_FAIL, -1, j->addr, 25,
					"MX %s (%s): no TLSA record at %s matches the presented "
					"certificate",
					mx->name, j->addr, name);
		}
		tls_detail(s, j);
	}
out:
	for (size_t i = 0; jobs && i < mx->n_addrs; i++) {
		smtp_tls_release(&jobs[i].st);
		findings_release(&jobs[i].tf);
	}
	free(jobs);
	dns_answer_release(&tlsa);
}

/* --------------------------------------------------------------- MTA-STS */

static void check_mtasts(struct scan *s, const char *domain)
{
	struct dns_mail_report *rep = s->rep;
	char name[DNS_NAME_MAX + 16], host[DNS_NAME_MAX + 16], id[33], err[160] = "";
	struct buf txt = BUF_INIT, body = BUF_INIT, e = BUF_INIT;
	struct mtasts_policy *pol = NULL;
	struct dns_answer a;
	int n = 0, r;

	memset(&a, 0, sizeof(a));
	snprintf(name, sizeof(name), "_mta-sts.%s", domain);
	buf_init(&txt, MAIL_TXT_MAX);
	buf_init(&e, 300);
	if (txt_records(s, name, mtasts_txt_is_record, &txt, &n, NULL) != 0)
		goto out;
	if (n == 0) {
		verdict(s, DM_MAIL14, MAIL_INFO, -1, domain, -1, "no MTA-STS record at %s", name);
		goto out;
	}
	if (n > 1 || mtasts_txt_parse(txt.ptr, txt.len, id, err, sizeof(err)) != 0) {
		verdict(s, DM_MAIL14, MAIL_FAIL, -1, domain, -1, "MTA-STS record at %s: %s", name,
			n > 1 ? "several records" : err);
		goto out;
	}
	snprintf(host, sizeof(host), "mta-sts.%s", domain);
	if (query(s, host, 1, &a) != 0 || a.n == 0) {
		dns_answer_release(&a);
		if (query(s, host, 28, &a) != 0 || a.n == 0) {
			verdict(s, DM_MAIL14, MAIL_FAIL, -1, domain, -1,
				"MTA-STS record but %s has no address", host);
			goto out;
		}
	}
	r = mtasts_fetch(host, a.rr[0].text, s->o->mtasts_port ? s->o->mtasts_port : 443,
			 s->o->ca_file, s->tmo, &body, &e);
	if (r) {
		verdict(s, DM_MAIL14, MAIL_FAIL, -1, domain, -1, "policy not fetched: %s", e.ptr);
		goto out;
	}
	pol = malloc(sizeof(*pol));
	if (!pol) {
		s->err = ERR_NOMEM;
		goto out;
	}
	if (mtasts_policy_parse(body.ptr, body.len, pol) != 0) {
		verdict(s, DM_MAIL14, MAIL_FAIL, -1, domain, -1, "policy invalid: %s", pol->err);
		goto out;
	}
	rep->sts_mode = pol->mode;
	for (size_t i = 0; i < rep->n_mx; i++) {
		size_t j;

		for (j = 0; j < pol->n_mx; j++)
			if (mtasts_mx_match(pol->mx[j], rep->mx[i].name))
				break;
		if (j == pol->n_mx && pol->mode != MTASTS_NONE)
			verdict(s, DM_MAIL14, MAIL_FAIL, -1, domain, -1,
				"MX %s is not covered by the MTA-STS policy", rep->mx[i].name);
	}
	if (pol->mode == MTASTS_TESTING)
		verdict(s, DM_MAIL14, MAIL_PARTIAL, -1, domain, -1,
			"MTA-STS policy in testing mode");
	else if (pol->mode == MTASTS_NONE)
		verdict(s, DM_MAIL14, MAIL_PARTIAL, -1, domain, -1, "MTA-STS policy mode none");
	else
		verdict(s, DM_MAIL14, MAIL_PASS, -1, domain, -1, "MTA-STS enforce");
out:
	free(pol);
	dns_answer_release(&a);
	buf_release(&txt);
	buf_release(&body);
	buf_release(&e);
}

/* ------------------------------------------------------------ the scan */

/* check_dnssec: DNS-01/02 from the SOA; 1 when the scan can go on. */
static int check_dnssec(struct scan *s, const char *domain, int *err)
{
	struct dns_mail_report *rep = s->rep;
	struct dns_answer a;
	int r = query(s, domain, 6 /* SOA */, &a);

	*err = 0;
	if (r) {
		LOG_ERROR(s->lg, "no answer for the domain domain=%.*s resolver=%s err=\"%s\"",
			  LOG_CAP(strlen(domain)), domain, dns_ctx_resolver(s->ctx), err_str(r));
		*err = r == ERR_TIMEOUT ? ERR_TIMEOUT : ERR_RESOLVE;
		return 0;
	}
	rep->rcode = a.rcode;
	rep->sec = a.sec;
	dns_answer_release(&a);
	if (rep->sec == DNS_SEC_BOGUS) {
		verdict(s, DM_DNS01, MAIL_PASS, -1, domain, -1, "signed");
		verdict(s, DM_DNS02, MAIL_FAIL, -1, domain, -1,
			"DNSSEC validation fails (bogus): %s", a.why_bogus);
		verdict(s, DM_MAIL03, MAIL_FAIL, -1, domain, -1, "the mail domain is bogus");
		return 0;
	}
	if (a.rcode != 0) {
		LOG_ERROR(s->lg, "domain does not resolve domain=%.*s rcode=%d (%s) resolver=%s",
			  LOG_CAP(strlen(domain)), domain, a.rcode,
			  a.rcode == 3	 ? "no such domain, NXDOMAIN"
			  : a.rcode == 2 ? "server failure, SERVFAIL"
					 : "refused or error",
			  dns_ctx_resolver(s->ctx));
		*err = ERR_RESOLVE;
		return 0;
	}
	if (s->no_anchor) {
		verdict(s, DM_DNS01, MAIL_NA, -1, domain, -1,
			"no trust anchor: DNSSEC not checked");
	} else if (rep->sec == DNS_SEC_SECURE) {
		verdict(s, DM_DNS01, MAIL_PASS, -1, domain, -1, "signed");
		verdict(s, DM_DNS02, MAIL_PASS, -1, domain, -1, "validates");
	} else {
		verdict(s, DM_DNS01, MAIL_FAIL, -1, domain, -1, "%s is not signed with DNSSEC",
			domain);
	}
	return 1;
}

static void normalize(const char *in, char out[DNS_NAME_MAX])
{
	size_t n = str_lcpy(out, in, DNS_NAME_MAX);

	if (n >= DNS_NAME_MAX)
		n = DNS_NAME_MAX - 1;
	if (n > 1 && out[n - 1] == '.')
		out[n - 1] = '\0';
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

static void run_checks(struct scan *s, const char *d)
{
	char www[DNS_NAME_MAX + 8];

	check_ns(s, d);
	check_caa(s, d);
	check_dangling(s, d);
	snprintf(www, sizeof(www), "www.%s", d);
	check_dangling(s, www);
	if (check_mx(s, d) != 0)
		return;
	check_mail_dnssec(s, d);
	check_spf(s, d);
	check_dkim(s, d);
	check_dmarc(s, d);
	for (size_t i = 0; i < s->rep->n_mx; i++)
		check_mx_tls(s, &s->rep->mx[i]);
	if (!s->rep->null_mx && s->rep->n_mx)
		check_mtasts(s, d);
}

int dns_mail_scan(const struct dns_mail_opts *o, struct dns_mail_report *rep, struct findings *out,
		  struct logger *lg)
{
	struct scan s;
	struct buf err = BUF_INIT;
	const char *ta;
	int64_t t0 = time_now_ms();
	int r;

	memset(rep, 0, sizeof(*rep));
	for (int c = 0; c < DM_COUNT; c++)
		rep->verdict[c] = MAIL_NA;
	rep->score_dns = rep->score_mail = -1;
	if (!o->domain || !*o->domain || strlen(o->domain) >= DNS_NAME_MAX - 32)
		return ERR_INVAL;
	normalize(o->domain, rep->domain);
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.rep = rep;
	s.out = out;
	s.lg = lg;
	s.tmo = o->timeout_ms > 0 ? o->timeout_ms : 3000;
	buf_init(&err, 300);
	ta = o->trust_anchor;
	if (!ta && access(DNSMAIL_ROOT_ANCHOR, R_OK) == 0)
		ta = DNSMAIL_ROOT_ANCHOR;
	else if (ta && strcmp(ta, "none") == 0)
		ta = NULL;
	s.no_anchor = ta == NULL;
	if (s.no_anchor)
		LOG_WARN(lg, "no DNSSEC trust anchor: DNS-01/02, MAIL-03 and MAIL-11 not checked");
	r = dns_ctx_new(o->resolver, ta, s.tmo, &s.ctx, &err);
	if (r) {
		LOG_ERROR(lg, "dns setup failed err=\"%s\"", err.ptr);
		buf_release(&err);
		return r;
	}
	buf_release(&err);
	if (check_dnssec(&s, rep->domain, &r))
		run_checks(&s, rep->domain);
	dns_ctx_free(s.ctx);
	rep->score_dns = mail_score(rep->verdict, DM_DNS01, DM_MAIL01);
	rep->score_mail = mail_score(rep->verdict, DM_MAIL01, DM_COUNT);
	rep->elapsed_ms = time_now_ms() - t0;
	return r ? r : s.err;
}
