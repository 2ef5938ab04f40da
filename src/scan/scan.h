/*
 * scan.h: the external scan of one target (host, address, CIDR block or
 * domain): port scan, service identification, exposure checks, TLS and
 * certificates, then one result with hosts, services and findings, which
 * renders as a text report or the stable JSON document (docs/scan-json.md).
 */
#ifndef WACHTER_SCAN_H
#define WACHTER_SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "check/check.h"
#include "core/core.h"

struct store;
struct kb;

#define SCAN_JSON_SCHEMA "wachter.scan/1"

/* One open port and what answers there. */
struct scan_service {
	uint16_t port;
	char service[32];
	char product[64];
	char version[64];
	char cpe[160];
	char extra[128];
	int tls; /* TLS spoken directly or after STARTTLS */
};

/* A category score of the host's web site or mail/DNS set-up, 0..100. */
struct scan_score {
	char category[16]; /* "web", "https", "headers", "exposure", ... */
	int percent;	   /* internet.nl style; for "web" the Observatory score */
	char grade[3];	   /* Observatory letter for "web", else "" */
};

#define SCAN_MAX_SCORES 8

/* One address of the target. */
struct scan_host {
	char name[256]; /* the name it was reached by (or the address) */
	char addr[64];
	int answered; /* some port answered (open or closed) */
	struct scan_service *svc;
	size_t nsvc;
	struct scan_score scores[SCAN_MAX_SCORES];
	size_t nscores;
};

struct scan_result {
	char target[256];
	int domain; /* scanned as a domain: DNS, mail, domain + www + MX hosts */
	struct scan_score scores[SCAN_MAX_SCORES]; /* domain-level ("dns", "mail") */
	size_t nscores;
	time_t started, finished;
	int complete; /* 0 when cancelled or the target could not be scanned */
	struct scan_host *hosts;
	size_t nhosts;
	struct findings findings; /* sorted worst first once scan_run returns */
	size_t ports_scanned;
};

enum scan_phase { SCAN_PHASE_PORTS, SCAN_PHASE_SERVICES };

/* Zero-initialised means the defaults given per field. */
struct scan_opts {
	const char *ports;	  /* "top1000" when NULL; see net_ports_parse */
	int concurrency;	  /* sockets in flight; 0 = 2048 */
	int rate_per_target;	  /* connects per second per target; 0 = unlimited */
	int timeout_ms;		  /* per network operation; 0 = 1500 */
	int retries;		  /* port scan retries after a timeout */
	int workers;		  /* parallel service probes; 0 = 16 */
	const char *ca_file;	  /* trust anchors for certificate checks; NULL = system */
	const char *resolver;	  /* "ip[:port]" to resolve names with; NULL = system */
	const char *pin;	  /* "NAME:ADDR": NAME is at ADDR, no DNS (like curl --resolve) */
	int host_only;		  /* a name is one host: no DNS/mail checks, no www/MX */
	const char *trust_anchor; /* DNSSEC anchor file; NULL = the root's; "none" */
	int ports_only;		  /* 1 = port scan and identification, no checks */
	const struct kb *kb;	  /* vulnerability knowledge base; NULL = no VULN checks */
	const char *cms_versions; /* newest CMS releases (data/cms-versions.tsv); NULL = none */
	int max_targets;	  /* addresses a CIDR may expand to; 0 = 4096 */
	time_t now;		  /* reference time for certificate rules; 0 = now */
	volatile sig_atomic_t *cancel;
	void (*progress)(void *arg, enum scan_phase phase, size_t done, size_t total);
	void *progress_arg;
};

/*
 * scan_run: scan target and fill res (caller-owned, any content is
 * replaced; release with scan_result_release in every case). A target that
 * does not resolve or answers nowhere is not an error: it yields a SCAN-01
 * or SCAN-02 finding so the report says so. Errors: ERR_INVAL/ERR_PARSE/
 * ERR_TOO_BIG (bad target or port list; err names it), ERR_CANCELED
 * (partial res), ERR_NOMEM. Thread safe for distinct results.
 */
int scan_run(const char *target, const struct scan_opts *o, struct scan_result *res,
	     struct buf *err, struct logger *lg) WUR;
void scan_result_init(struct scan_result *res);
void scan_result_release(struct scan_result *res);

/* scan_report_text: the readable report, worst findings first, with tips. */
int scan_report_text(const struct scan_result *res, enum check_lang lang, struct buf *out) WUR;
/* scan_report_json: the JSON document (schema SCAN_JSON_SCHEMA). */
int scan_report_json(const struct scan_result *res, enum check_lang lang, struct buf *out) WUR;
/* scan_save: store the scan and its findings in one transaction. */
int scan_save(struct store *st, const struct scan_result *res, int64_t *scan_id) WUR;
/* scan_findings_add: store the findings of fl (English titles) under
 * scan_id, inside the caller's transaction (scan_save, and the server's
 * workers through tenant_scan_finish). */
int scan_findings_add(struct store *st, int64_t scan_id, const struct findings *fl) WUR;

/* scan_cli: the "wachter scan" subcommand; returns the exit status. */
struct wachter_config;
int scan_cli(int argc, char **argv, const struct wachter_config *cfg, struct logger *lg);

#endif
