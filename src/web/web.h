/*
 * web.h: the web checks. One HTTP(S) site is fetched with libcurl (redirects
 * followed by hand, every body and header block capped, every request with a
 * deadline) and judged with the rules of docs/web-checks.md: TLS-02, TLS-03,
 * TLS-19, HDR-01..HDR-09, INF-01/02, CMS-01/02, EXP-01, and the MDN
 * Observatory score (docs/scoring.md).
 */
#ifndef WACHTER_WEB_H
#define WACHTER_WEB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "check/check.h"
#include "core/core.h"

#define WEB_MAX_HOPS 10
#define WEB_MAX_RESULTS 48

struct web_opts {
	const char *host;	/* Host/SNI name (required) */
	const char *addr;	/* connect to this IP for host; NULL = resolve host */
	const char *ca_file;	/* trust anchors; NULL = system roots */
	int timeout_ms;		/* per request; 0 = 10000 */
	const char *user_agent; /* NULL = "wachter/<version>" */
	time_t now;		/* reference time (security.txt Expires); 0 = time(NULL) */
	const char
	    *cms_versions_file; /* "product<TAB>latest<TAB>date" rows; NULL = no CMS-01/02 age */
	int http_port;		/* 0 = 80 */
	int https_port;		/* 0 = 443 */
};

/* One hop of the http:// redirect chain. */
struct web_hop {
	char *url;	/* the URL requested */
	long status;	/* HTTP status; 0 when the request failed */
	char *location; /* Location header, NULL if none */
	int cert_ok;	/* https hop: 1 verified, 0 not, -1 not https */
	char err[80];	/* why the request failed, "" when it did not */
};

/*
 * Per-category scores modelled on internet.nl (docs/scoring.md): each
 * check that can fail is a subtest worth 10 points when it passes (or is
 * only informational), 5 for a low finding, 2 for medium, 0 for high or
 * critical; a category's score is its points in percent of the maximum.
 */
enum web_category { WEB_CAT_HTTPS = 0, WEB_CAT_HEADERS, WEB_CAT_EXPOSURE, WEB_CAT_COUNT };

struct web_cat_score {
	int points, max; /* sum of subtest points; 10 x subtests */
	int percent;	 /* 0..100; -1 when no subtest ran */
};

/* One Observatory test as judged for this site (docs/scoring.md). */
struct web_result {
	const char *test;     /* Observatory-style name, "csp-implemented-with-unsafe-inline" */
	const char *check_id; /* "HDR-01"; NULL when the test has no check */
	int mod;	      /* score modifier; positive ones are bonuses */
	int sev;	      /* finding severity (enum check_sev), -1 = no finding */
	char detail[240];
	char evidence[400];
};

struct web_report {
	int http_reachable;  /* http://host/ answered */
	int https_reachable; /* https://host/ answered (any certificate) */
	int https_cert_ok;   /* the https answer verified against ca_file/roots */
	struct web_hop hops[WEB_MAX_HOPS + 1];
	size_t n_hops;
	char *final_url; /* where the https chain (or else http chain) ended */
	long status;	 /* status of the page judged */
	struct web_result res[WEB_MAX_RESULTS];
	size_t n_res;
	int score;     /* Observatory score, >= 0 */
	char grade[3]; /* "A+" .. "F" */
	struct web_cat_score cat[WEB_CAT_COUNT];
	int total; /* mean of the categories' percents (internet.nl), -1 if none */
	char *cms; /* "wordpress", "joomla", "drupal" or NULL */
	char *cms_version;
	int requests; /* HTTP requests made */
	int64_t elapsed_ms;
};

/* web_report_init / web_report_release: empty report; free its content. */
void web_report_init(struct web_report *rep);
void web_report_release(struct web_report *rep);

/*
 * web_scan: judge the site o->host (connecting to o->addr when given) and
 * fill rep (initialised by the caller) and append the findings (target =
 * o->host, port 80 for TLS-02, 443 for the rest; or the http port when
 * there is no https) to out. The file probes (security.txt, EXP-01, CMS)
 * go to the origin the https chain ends at. Returns 0 when at least one of http/https
 * answered; ERR_CONN/ERR_TIMEOUT/ERR_RESOLVE when neither did; ERR_INVAL
 * for bad options; ERR_NOMEM; ERR_TOO_BIG/ERR_PROTO/ERR_TLS when the only
 * answers were oversized, garbage or failed handshakes. Never sends a
 * request to a host other than o->host except along a redirect chain (at
 * most WEB_MAX_HOPS hops each) and to the origin that chain ends at.
 * Thread safe for distinct reports (call curl_global_init once first).
 */
int web_scan(const struct web_opts *o, struct web_report *rep, struct findings *out,
	     struct logger *lg) WUR;

/* web_report_json: append rep as one JSON object to out. */
int web_report_json(const struct web_report *rep, struct buf *out) WUR;
/* web_report_text: append a human readable summary to out. */
int web_report_text(const struct web_report *rep, struct buf *out) WUR;

/* web_category_name: "https", "headers", "exposure". */
const char *web_category_name(enum web_category c);

/*
 * web_categories: fill rep->cat and rep->total from rep->res (web_scan
 * does this; exposed for callers that merge reports).
 */
void web_categories(struct web_report *rep);

/* web_grade: the Observatory letter for score ("A+" >= 100 ... "F" < 25). */
const char *web_grade(int score);

/*
 * web_cli: `wachter web <url-or-host> [--addr IP] [--ca-file F]
 * [--format text|json] [--cms-versions F] [--timeout MS] [--now RFC3339]
 * [-v]`. Exit codes: 0 scanned, 1 site unreachable, 2 usage.
 */
int web_cli(int argc, char **argv);

#endif
