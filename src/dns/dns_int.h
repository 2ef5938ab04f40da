/*
 * dns_int.h: declarations private to src/dns (and its unit tests).
 */
#ifndef WACHTER_DNS_INT_H
#define WACHTER_DNS_INT_H

#include <ldns/ldns.h>

#include "dns/dns.h"

#ifdef WACHTER_TESTING
int dns_name_text(const ldns_rdf *rd, char out[DNS_NAME_MAX]);
int dns_name_eq(const char *a, const char *b);
#endif

/* dns_ldns_server: an ldns resolver asking only ip:port, one try, timeout_ms. */
int dns_ldns_server(const char *ip, unsigned port, int timeout_ms, int recursive,
		    ldns_resolver **out) WUR;

#endif
