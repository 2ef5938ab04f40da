/*
 * dns.h: DNS lookups through a chosen resolver (ldns), for scans that must
 * not depend on the system's resolver configuration: the lab's resolver, a
 * company's own. Every answer is untrusted input; sizes and counts capped.
 */
#ifndef WACHTER_DNS_H
#define WACHTER_DNS_H

#include <stddef.h>

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

#endif
