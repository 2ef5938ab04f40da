/*
 * dns.h: DNS lookups through a chosen resolver (ldns), for scans that must
 * not depend on the system's resolver configuration: the lab's resolver, a
 * company's own. Every answer is untrusted input; sizes and counts capped.
 */
#ifndef WACHTER_DNS_H
#define WACHTER_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define DNS_ADDRSTR_MAX 64
#define DNS_MAX_ADDRS 64

/*
 * dns_resolve_addrs: the A and AAAA addresses of name, asked of resolver
 * ("ip", "ip:port" or "[ipv6]:port"; port 53 by default) over UDP with TCP
 * fallback, each query waiting at most timeout_ms. CNAME chains are
 * followed by the resolver. Up to max addresses (<= DNS_MAX_ADDRS) are
 * written to addrs as text, IPv4 first, duplicates dropped.
 * Errors: ERR_INVAL (bad resolver or name), ERR_RESOLVE (NXDOMAIN, no
 * address, SERVFAIL: err says which), ERR_TIMEOUT, ERR_NOMEM. err (may be
 * NULL) gets one line naming the name and the resolver. Thread safe.
 */
int dns_resolve_addrs(const char *name, const char *resolver, int timeout_ms,
		      char addrs[][DNS_ADDRSTR_MAX], size_t max, size_t *n, struct buf *err) WUR;

/* dns_parse_server: "ip", "ip:port", "[v6]:port" into ip (text) and port. */
int dns_parse_server(const char *spec, char ip[DNS_ADDRSTR_MAX], unsigned *port) WUR;

/* ------------------------------------------------- validating queries */

/*
 * DNSSEC status of an answer as libunbound's validator sees it, from the
 * trust anchor of the context (with no anchor everything is insecure).
 */
enum dns_sec {
	DNS_SEC_INSECURE = 0, /* no chain of trust: unsigned or no anchor */
	DNS_SEC_SECURE,	      /* validated */
	DNS_SEC_BOGUS,	      /* signed but the validation failed */
};

const char *dns_sec_name(enum dns_sec s); /* "insecure", "secure", "bogus" */

#define DNS_NAME_MAX 256 /* presentation form, trailing dot dropped */
#define DNS_MAX_RRS 64	 /* records kept per answer; the rest are dropped */
#define DNS_TXT_MAX 4096 /* bytes of one TXT record (strings joined) */

/*
 * One record of the asked type from the answer section. Which fields are
 * set depends on type:
 *   A/AAAA: text = the address;  NS/CNAME/PTR: text = target name;
 *   MX: pref, text = exchange ("" for a Null MX "."); TXT: data/dlen = the
 *   character strings joined (may hold NUL bytes; also NUL-terminated);
 *   CAA: u[0] = flags, text = tag, data = value;
 *   TLSA: u[0..2] = usage, selector, matching type, data = association.
 */
struct dns_rr {
	uint16_t type;
	uint16_t pref;
	uint8_t u[3];
	char *text;
	unsigned char *data;
	size_t dlen;
};

struct dns_answer {
	int rcode;		  /* 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN ...; -1 no answer */
	enum dns_sec sec;	  /* of this answer (NXDOMAIN/NODATA included) */
	char why_bogus[200];	  /* the validator's reason when sec is BOGUS */
	char cname[DNS_NAME_MAX]; /* end of the CNAME chain when the name was an alias */
	int n_cname;		  /* CNAME records followed in the answer */
	int truncated;		  /* records dropped over DNS_MAX_RRS */
	struct dns_rr *rr;
	size_t n;
};

/* dns_answer_release: free the records; ans can be reused. */
void dns_answer_release(struct dns_answer *ans);

/*
 * dns_answer_from_wire: parse a DNS message (wire format, untrusted) and
 * keep the answer-section records of type qtype owned by qname or by the
 * end of its CNAME chain (at most 16 links, loops stop the walk). rcode and
 * cname/n_cname are filled; sec is left INSECURE. ERR_PARSE on a malformed
 * message, ERR_NOMEM. On error ans is empty.
 */
int dns_answer_from_wire(const uint8_t *wire, size_t len, const char *qname, uint16_t qtype,
			 struct dns_answer *ans) WUR;

struct dns_ctx;

/*
 * dns_ctx_new: a validating stub resolver (libunbound) that forwards to
 * resolver ("ip", "ip:port", "[v6]:port"; NULL = /etc/resolv.conf) and
 * validates from the DS/DNSKEY records in ta_file (NULL = no DNSSEC:
 * everything is insecure). Every query is bounded by timeout_ms (0 = 5000).
 * err gets one line on failure (ERR_INVAL bad resolver, ERR_IO unreadable
 * anchor, ERR_NOMEM). One context per thread; free with dns_ctx_free.
 */
int dns_ctx_new(const char *resolver, const char *ta_file, int timeout_ms, struct dns_ctx **out,
		struct buf *err) WUR;
void dns_ctx_free(struct dns_ctx *ctx);
/* dns_ctx_resolver: the resolver spec given to dns_ctx_new ("" = system). */
const char *dns_ctx_resolver(const struct dns_ctx *ctx);
int dns_ctx_timeout(const struct dns_ctx *ctx);

/*
 * dns_query: ask for name/type (class IN), wait at most the context's
 * timeout, and fill ans (caller releases it). Returns 0 whenever an answer
 * came, whatever its rcode (NXDOMAIN and SERVFAIL are answers: look at
 * ans->rcode and ans->sec); ERR_TIMEOUT when none came in time,
 * ERR_INVAL for a bad name, ERR_RESOLVE when the resolver library failed
 * (the reason is logged), ERR_NOMEM. Not thread safe per context.
 */
int dns_query(struct dns_ctx *ctx, const char *name, uint16_t type, struct dns_answer *ans) WUR;

/* -------------------------------------------- direct server probes */

/*
 * dns_probe_soa: ask server ip:port (no recursion) for the SOA of zone;
 * 0 when it answered authoritatively with one, ERR_PROTO when it answered
 * without it, ERR_TIMEOUT/ERR_CONN when it did not answer.
 */
int dns_probe_soa(const char *ip, unsigned port, const char *zone, int timeout_ms) WUR;

/*
 * dns_probe_axfr: try a zone transfer of zone from ip:port over TCP.
 * *records = records received (0 when refused). Returns 0 when the server
 * answered (refused or not), ERR_TIMEOUT/ERR_CONN otherwise. At most 5000
 * records are read.
 */
int dns_probe_axfr(const char *ip, unsigned port, const char *zone, int timeout_ms,
		   size_t *records) WUR;

/*
 * dns_probe_recursion: ask ip:port, with recursion desired, for probe_name
 * (a name the server is not authoritative for). *open = 1 when it recursed
 * for us: RA set, not authoritative, NOERROR with an answer or NXDOMAIN.
 * evidence (may be NULL) gets a one-line summary of the reply.
 */
int dns_probe_recursion(const char *ip, unsigned port, const char *probe_name, int timeout_ms,
			int *open, struct buf *evidence) WUR;

/*
 * dns_probe_answer: ask ip:port (recursion desired, no validation) for
 * name/type and extract the reply as dns_answer_from_wire does: to see what
 * a resolver that answered SERVFAIL through the validator was given (a
 * CNAME loop, say). ERR_TIMEOUT when it did not answer.
 */
int dns_probe_answer(const char *ip, unsigned port, const char *name, uint16_t type, int timeout_ms,
		     struct dns_answer *ans) WUR;

#endif
