/*
 * mail_int.h: declarations private to src/mail (and its unit tests).
 */
#ifndef WACHTER_MAIL_INT_H
#define WACHTER_MAIL_INT_H

#include "mail/mail.h"
#include "net/net.h"

/* The state of one domain scan (scan.c). */
struct scan {
	const struct dns_mail_opts *o;
	struct dns_ctx *ctx;
	struct dns_mail_report *rep;
	struct findings *out;
	struct logger *lg;
	int tmo;
	int err;       /* first ERR_NOMEM from findings_add */
	int no_anchor; /* no trust anchor: DNSSEC verdicts are n/a */
};

struct smtp_tls;

#ifdef WACHTER_TESTING
int spf_macro_string(struct cursor c, int exp, int *has_macro);
int caa_valid(const struct dns_answer *a, char *why, size_t wlen);
const char *org_suffix(const char *d);
int ends_with_ci(const char *s, const char *suf);
int dane_match(const struct dns_answer *tlsa, const struct smtp_tls *st);
enum mail_verdict dns03_rule(int ns_with_v6);
enum mail_verdict mail02_rule(int mx_with_v6, size_t n_mx);
void verdict(struct scan *s, enum dnsmail_check c, enum mail_verdict v, int sev, const char *target,
	     int port, const char *fmt, ...) PRINTF_LIKE(7, 8);
#endif

/* The result of one STARTTLS session with an MX address. */
struct smtp_tls {
	int reachable;		 /* TCP and a 220 greeting */
	int starttls;		 /* STARTTLS offered in the EHLO reply */
	int handshake;		 /* TLS handshake done */
	unsigned char *chain[8]; /* DER certificates as presented, leaf first */
	size_t chain_len[8];
	size_t n_chain;
	char banner[128];
	char error[160];
};

/*
 * smtp_starttls: greet ip:25 (port of a), EHLO, STARTTLS, handshake with
 * sni (no verification: DANE decides) and keep the presented chain.
 * 0 when the exchange ran its course (look at the flags); ERR_CONN /
 * ERR_TIMEOUT when unreachable. Free with smtp_tls_release.
 */
int smtp_starttls(const struct net_addr *a, const char *sni, int timeout_ms,
		  struct smtp_tls *st) WUR;
void smtp_tls_release(struct smtp_tls *st);

/*
 * mtasts_fetch: GET https://host/.well-known/mta-sts.txt pinned to addr:port
 * (libcurl, verified against ca_file), body capped at MTASTS_POLICY_MAX,
 * no redirects. ERR_IO/ERR_TLS/ERR_PROTO (not 200) with err set.
 */
int mtasts_fetch(const char *host, const char *addr, unsigned port, const char *ca_file,
		 int timeout_ms, struct buf *body, struct buf *err) WUR;

/* mail_score: internet.nl-style 0..100 over the verdicts of [from, to). */
int mail_score(const enum mail_verdict *v, int from, int to);

#endif
