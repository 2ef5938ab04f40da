/*
 * mail.h: the DNS and mail checks of a domain (DNS-01..06, DNS-09,
 * MAIL-01..14) and the parsers they rest on: SPF, DMARC, MTA-STS (TXT and
 * policy file), TLSA. A domain scan asks a validating resolver (dns.h),
 * talks STARTTLS to every address of every MX, fetches the MTA-STS policy
 * and turns what it saw into findings and internet.nl-style scores.
 */
#ifndef WACHTER_MAIL_H
#define WACHTER_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "check/check.h"
#include "core/core.h"
#include "dns/dns.h"

#define MAIL_TXT_MAX 4096 /* one SPF/DMARC/MTA-STS TXT record */

/* The outcome of one check (internet.nl's subtest states). */
enum mail_verdict {
	MAIL_PASS = 0, /* full marks */
	MAIL_INFO,     /* worth telling, does not count */
	MAIL_PARTIAL,  /* half marks (internet.nl "warning") */
	MAIL_FAIL,     /* no marks */
	MAIL_NA,       /* not applicable or could not be tested */
};

const char *mail_verdict_name(enum mail_verdict v); /* "pass", "info", ... */

/* ------------------------------------------------------------------ SPF */

enum spf_mech {
	SPF_ALL = 0,
	SPF_INCLUDE,
	SPF_A,
	SPF_MX,
	SPF_PTR,
	SPF_IP4,
	SPF_IP6,
	SPF_EXISTS,
	SPF_MOD_REDIRECT,
	SPF_MOD_EXP,
	SPF_MOD_OTHER,
};

struct spf_term {
	enum spf_mech mech;
	char qual;		/* '+', '-', '~', '?' (0 for modifiers) */
	char arg[DNS_NAME_MAX]; /* domain-spec, address or modifier value; may be "" */
	int has_macro;		/* arg holds %{..} macros */
	int cidr4, cidr6;	/* prefix lengths, -1 when absent */
};

struct spf_record {
	struct spf_term *t;
	size_t n;
	int all;       /* index of the first "all" term, -1 */
	int redirect;  /* index of redirect=, -1 */
	int exp;       /* index of exp=, -1 */
	char err[160]; /* what was wrong when spf_parse failed */
};

/* spf_is_record: txt starts with "v=spf1" followed by a space or its end. */
int spf_is_record(const char *txt, size_t len);
/*
 * spf_parse: parse one SPF record (RFC 7208 4.6/7.1). ERR_PARSE with
 * rec->err saying what and where; ERR_TOO_BIG over MAIL_TXT_MAX;
 * ERR_NOMEM. Release rec with spf_record_release in every case.
 */
int spf_parse(const char *txt, size_t len, struct spf_record *rec) WUR;
void spf_record_release(struct spf_record *rec);

/*
 * spf_fetch_fn: put the SPF record of domain in txt and the number of
 * v=spf1 records found in *n (the text is that of the first). Return 0
 * also for 0 records; an error code when the lookup failed.
 */
typedef int (*spf_fetch_fn)(void *arg, const char *domain, struct buf *txt, int *n);

#define SPF_DEPTH_MAX 12

struct spf_eval {
	int records; /* v=spf1 records at the domain itself */
	int lookups; /* DNS-querying terms (include, a, mx, ptr, exists, redirect) */
	int redirects;
	char all; /* qualifier of the effective all (after redirects), 0 none */
	int has_all;
	int syntax;   /* the domain's own record does not parse */
	int broken;   /* an include/redirect target has no (single, valid) record */
	int loop;     /* include/redirect loop */
	int too_deep; /* stopped at SPF_DEPTH_MAX or the fetch cap */
	char problem[200];
};

/*
 * spf_evaluate: evaluate the policy of domain without a sender: follow
 * include and redirect (not those with macros), count lookups, detect loops.
 * At most 40 records are fetched. 0, or ERR_NOMEM.
 */
int spf_evaluate(const char *domain, spf_fetch_fn fetch, void *arg, struct spf_eval *ev) WUR;
/* spf_verdict: MAIL-05 from an evaluation; why gets the reason (may be NULL). */
enum mail_verdict spf_verdict(const struct spf_eval *ev, struct buf *why);

/* ---------------------------------------------------------------- DMARC */

enum dmarc_policy { DMARC_UNSET = -1, DMARC_NONE = 0, DMARC_QUARANTINE, DMARC_REJECT };

#define DMARC_URIS_MAX 8

struct dmarc_record {
	enum dmarc_policy p, sp, np;
	int pct;	  /* 0..100; 100 when absent */
	int testing;	  /* t=y (DMARCbis); 0 when absent */
	char adkim, aspf; /* 'r' or 's' */
	char rua[DMARC_URIS_MAX][DNS_NAME_MAX];
	size_t n_rua;
	char ruf[DMARC_URIS_MAX][DNS_NAME_MAX];
	size_t n_ruf;
	char err[160];
};

/* dmarc_is_record: starts with "v=DMARC1" (then ';', space or end). */
int dmarc_is_record(const char *txt, size_t len);
/* dmarc_parse: RFC 7489 6.3 (plus t= and np= of DMARCbis); ERR_PARSE + err. */
int dmarc_parse(const char *txt, size_t len, struct dmarc_record *rec) WUR;
/* dmarc_policy_name: "none", "quarantine", "reject", "unset". */
const char *dmarc_policy_name(enum dmarc_policy p);
/*
 * dmarc_uri_domain: the domain of a "mailto:user@domain[!size]" report
 * URI into out; ERR_PARSE for anything else.
 */
int dmarc_uri_domain(const char *uri, char out[DNS_NAME_MAX]) WUR;
/* dmarc_verdict: MAIL-08 for rec; null_mx asks for p=reject. */
enum mail_verdict dmarc_verdict(const struct dmarc_record *rec, int null_mx, struct buf *why);

/* -------------------------------------------------------------- MTA-STS */

enum mtasts_mode { MTASTS_NONE = 0, MTASTS_TESTING, MTASTS_ENFORCE };

#define MTASTS_MX_MAX 16
#define MTASTS_POLICY_MAX 65536

struct mtasts_policy {
	enum mtasts_mode mode;
	long max_age;
	char mx[MTASTS_MX_MAX][DNS_NAME_MAX];
	size_t n_mx;
	char err[160];
};

/* mtasts_txt_parse: "v=STSv1; id=..." (RFC 8461 3.1); id into id[33]. */
int mtasts_txt_parse(const char *txt, size_t len, char id[33], char *err, size_t errlen) WUR;
/* mtasts_txt_is_record: starts with "v=STSv1". */
int mtasts_txt_is_record(const char *txt, size_t len);
/* mtasts_policy_parse: the policy file (RFC 8461 3.2); ERR_PARSE + err. */
int mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *pol) WUR;
/* mtasts_mx_match: host matches pattern ("mx.example.com", "*.example.com"). */
int mtasts_mx_match(const char *pattern, const char *host);
const char *mtasts_mode_name(enum mtasts_mode m);

/* ----------------------------------------------------------------- TLSA */

struct tlsa {
	uint8_t usage, selector, mtype;
	const unsigned char *data; /* borrowed from the input */
	size_t dlen;
};

/*
 * tlsa_parse: TLSA rdata (RFC 6698 2.1) into t, checking the field values
 * (usage 0-3, selector 0-1, matching type 0-2) and the digest lengths (32
 * for SHA-256, 64 for SHA-512). ERR_PARSE / ERR_UNSUPP (unknown values).
 */
int tlsa_parse(const unsigned char *rdata, size_t len, struct tlsa *t) WUR;
/*
 * tlsa_match_der: does t match the certificate cert_der (DER)? For
 * selector 1 the SPKI is taken from the certificate. *match = 1/0.
 * ERR_PARSE when the certificate cannot be read.
 */
int tlsa_match_der(const struct tlsa *t, const unsigned char *cert_der, size_t len, int *match) WUR;

/* ---------------------------------------------------------- domain scan */

struct dns_mail_opts {
	const char *domain;
	const char *resolver;	  /* "ip[:port]"; NULL = /etc/resolv.conf */
	const char *trust_anchor; /* DS/DNSKEY file; NULL = DNSMAIL_ROOT_ANCHOR when
				   * readable; "none" = no validation (DNSSEC checks n/a) */
	const char *ca_file;	  /* for the MTA-STS policy host and MX TLS; NULL = system */
	int timeout_ms;		  /* per query/operation; 0 = 3000 */
	time_t now;		  /* 0 = time(NULL) */
	int no_tls_detail;	  /* skip the full TLS scan of each MX (MAIL-10) */
	unsigned mtasts_port;	  /* 0 = 443 */
};

/* The root zone's KSKs as Debian's dns-root-data ships them. */
#define DNSMAIL_ROOT_ANCHOR "/usr/share/dns/root.key"

#define DNSMAIL_MX_MAX 10
#define DNSMAIL_MX_ADDRS 8

struct dns_mail_mx {
	char name[DNS_NAME_MAX];
	uint16_t pref;
	enum dns_sec sec;
	char addrs[DNSMAIL_MX_ADDRS][DNS_ADDRSTR_MAX];
	size_t n_addrs;
	int n_aaaa;
	int starttls[DNSMAIL_MX_ADDRS]; /* 1 yes, 0 no, -1 unreachable */
	int n_tlsa;			/* usable TLSA records (usage 2/3) */
	enum dns_sec tlsa_sec;
};

/* The checks a domain scan decides, in report order. */
enum dnsmail_check {
	DM_DNS01 = 0,
	DM_DNS02,
	DM_DNS03,
	DM_DNS04,
	DM_DNS05,
	DM_DNS06,
	DM_DNS09,
	DM_MAIL01,
	DM_MAIL02,
	DM_MAIL03,
	DM_MAIL04,
	DM_MAIL05,
	DM_MAIL06,
	DM_MAIL07,
	DM_MAIL08,
	DM_MAIL09,
	DM_MAIL10,
	DM_MAIL11,
	DM_MAIL12,
	DM_MAIL13,
	DM_MAIL14,
	DM_COUNT
};

/* dnsmail_check_id: "DNS-01" ... "MAIL-14" for c. */
const char *dnsmail_check_id(enum dnsmail_check c);

struct dns_mail_report {
	char domain[DNS_NAME_MAX];
	enum dns_sec sec;
	int rcode; /* of the SOA query */
	struct dns_mail_mx mx[DNSMAIL_MX_MAX];
	size_t n_mx;
	int null_mx;
	char spf[MAIL_TXT_MAX + 1];
	struct spf_eval spf_ev;
	char dmarc[MAIL_TXT_MAX + 1];
	enum mtasts_mode sts_mode; /* when a valid policy was fetched */
	enum mail_verdict verdict[DM_COUNT];
	char detail[DM_COUNT][200];
	int score_dns; /* 0..100, internet.nl style; -1 when nothing counted */
	int score_mail;
	int64_t elapsed_ms;
};

/*
 * dns_mail_scan: every DNS and mail check of o->domain (see
 * docs/dns-mail-checks.md). Fills rep and appends a finding for every
 * check that did not pass (target = the domain, the MX name, or the MX
 * address for per-address checks, which then carry port 25). A domain
 * that does not resolve at all gives ERR_RESOLVE (err in the log); a
 * domain whose DNSSEC is bogus gives DNS-02/MAIL-03 and nothing else (no
 * validating resolver sees its data). Bounded time: each operation waits
 * at most o->timeout_ms. Thread safe for distinct reports.
 */
int dns_mail_scan(const struct dns_mail_opts *o, struct dns_mail_report *rep, struct findings *out,
		  struct logger *lg) WUR;

/* dns_mail_report_json / _text: append the report (verdicts and scores). */
int dns_mail_report_json(const struct dns_mail_report *rep, struct buf *out) WUR;
int dns_mail_report_text(const struct dns_mail_report *rep, struct buf *out) WUR;

/* An address a domain scan should look at, and where it came from. */
struct dns_domain_addr {
	char addr[DNS_ADDRSTR_MAX];
	char name[DNS_NAME_MAX]; /* "example.nl", "www.example.nl", "mx1.example.nl" */
	char role[8];		 /* "domain", "www", "mx" */
};

/*
 * dns_domain_addresses: the A/AAAA addresses of domain, www.domain and
 * every MX, in that order, at most max (duplicates per name dropped). A name
 * that does not resolve contributes nothing. 0 (also with *n = 0),
 * ERR_TIMEOUT when the resolver did not answer at all, ERR_NOMEM.
 */
int dns_domain_addresses(struct dns_ctx *ctx, const char *domain, struct dns_domain_addr *out,
			 size_t max, size_t *n) WUR;

/*
 * dns_mail_open_resolver: DNS-05 for one scanned address with port 53
 * open: ask it to recurse for a name outside every zone it serves; a
 * finding when it does. 0 also when it did not answer.
 */
int dns_mail_open_resolver(const char *ip, unsigned port, int timeout_ms, struct findings *out,
			   struct logger *lg) WUR;

/*
 * dnsmail_cli: `wachter domain <domain> [--resolver IP[:PORT]]
 * [--trust-anchor FILE] [--ca-file F] [--timeout MS] [--no-tls-detail]
 * [--format text|json]`; `--addresses` prints the addresses a domain scan
 * covers (address, name, role) instead; `wachter domain --open-resolver
 * IP[:PORT]` runs the DNS-05 probe on one server. argv[0] is the
 * subcommand name. Exit codes: 0 done (findings or not), 1 failed, 2 usage.
 */
int dnsmail_cli(int argc, char **argv);

#endif
