/*
 * resolve.c: address lookups through an explicit resolver with ldns.
 */
#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"

int dns_parse_server(const char *spec, char ip[DNS_ADDRSTR_MAX], unsigned *port)
{
	const char *colon, *host = spec;
	size_t hlen;
	unsigned char tmp[16];
	char *end;
	long p = 53;

	if (!spec || !*spec)
		return ERR_INVAL;
	if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');

		if (!rb)
			return ERR_INVAL;
		host = spec + 1;
		hlen = (size_t)(rb - host);
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (rb[1] && !colon)
			return ERR_INVAL;
	} else {
		colon = strchr(spec, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL; /* a bare IPv6 address */
		hlen = colon ? (size_t)(colon - spec) : strlen(spec);
	}
	if (hlen == 0 || hlen >= DNS_ADDRSTR_MAX)
		return ERR_INVAL;
	memcpy(ip, host, hlen);
	ip[hlen] = '\0';
	if (inet_pton(AF_INET, ip, tmp) != 1 && inet_pton(AF_INET6, ip, tmp) != 1)
		return ERR_INVAL;
	if (colon) {
		p = strtol(colon + 1, &end, 10);
		if (!colon[1] || *end || p < 1 || p > 65535)
			return ERR_INVAL;
	}
	*port = (unsigned)p;
	return 0;
}

static int make_resolver(const char *spec, int timeout_ms, ldns_resolver **out)
{
	char ip[DNS_ADDRSTR_MAX];
	unsigned port;
	ldns_resolver *res;
	ldns_rdf *ns;
	struct timeval tv;

	if (dns_parse_server(spec, ip, &port))
		return ERR_INVAL;
	res = ldns_resolver_new();
	if (!res)
		return ERR_NOMEM;
	ns = ldns_rdf_new_frm_str(strchr(ip, ':') ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, ip);
	if (!ns || ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK) {
		ldns_rdf_deep_free(ns);
		ldns_resolver_deep_free(res);
		return ERR_NOMEM;
	}
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(res, (uint16_t)port);
	ldns_resolver_set_recursive(res, true);
	ldns_resolver_set_retry(res, 1);
	ldns_resolver_set_fallback(res, true);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	ldns_resolver_set_timeout(res, tv);
	*out = res;
	return 0;
}

static void add_addr(char addrs[][DNS_ADDRSTR_MAX], size_t max, size_t *n, const char *a)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(addrs[i], a) == 0)
			return;
	if (*n < max)
		str_lcpy(addrs[(*n)++], a, DNS_ADDRSTR_MAX);
}

/* One query; rcode in *rcode; addresses of type t appended. */
static int query_type(ldns_resolver *res, ldns_rdf *dname, ldns_rr_type t,
		      char addrs[][DNS_ADDRSTR_MAX], size_t max, size_t *n, int *rcode)
{
	ldns_pkt *pkt = NULL;
	ldns_rr_list *rrs;
	ldns_status s;
	size_t i;

	s = ldns_resolver_query_status(&pkt, res, dname, t, LDNS_RR_CLASS_IN, LDNS_RD);
	if (s != LDNS_STATUS_OK || !pkt) {
		ldns_pkt_free(pkt);
		return s == LDNS_STATUS_NETWORK_ERR || s == LDNS_STATUS_ERR ? ERR_TIMEOUT
									    : ERR_RESOLVE;
	}
	*rcode = ldns_pkt_get_rcode(pkt);
	rrs = ldns_pkt_rr_list_by_type(pkt, t, LDNS_SECTION_ANSWER);
	for (i = 0; rrs && i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rdf *rd = ldns_rr_rdf(ldns_rr_list_rr(rrs, i), 0);
		char *txt = rd ? ldns_rdf2str(rd) : NULL;

		if (txt)
			add_addr(addrs, max, n, txt);
		free(txt);
	}
	ldns_rr_list_deep_free(rrs);
	ldns_pkt_free(pkt);
	return 0;
}

int dns_resolve_addrs(const char *name, const char *resolver, int timeout_ms,
		      char addrs[][DNS_ADDRSTR_MAX], size_t max, size_t *n, struct buf *err)
{
	ldns_resolver *res = NULL;
	ldns_rdf *dname = NULL;
	size_t got = 0;
	int r, rc4 = 0, rc6 = 0;

	if (max > DNS_MAX_ADDRS)
		max = DNS_MAX_ADDRS;
	r = make_resolver(resolver, timeout_ms > 0 ? timeout_ms : 3000, &res);
	if (r) {
		buf_errf(err, "bad resolver '%s' (want ip or ip:port)", resolver);
		return r;
	}
	dname = ldns_dname_new_frm_str(name);
	if (!dname || strlen(name) > 253) {
		buf_errf(err, "'%.*s' is not a valid DNS name", LOG_CAP(strlen(name)), name);
		r = ERR_INVAL;
		goto out;
	}
	r = query_type(res, dname, LDNS_RR_TYPE_A, addrs, max, &got, &rc4);
	if (r == 0)
		r = query_type(res, dname, LDNS_RR_TYPE_AAAA, addrs, max, &got, &rc6);
	if (r == ERR_TIMEOUT) {
		buf_errf(err, "%s: resolver %s did not answer", name, resolver);
		goto out;
	}
	if (r == 0 && got == 0) {
		r = ERR_RESOLVE;
		buf_errf(err, "%s: %s (resolver %s)", name,
			 rc4 == LDNS_RCODE_NXDOMAIN   ? "no such domain (NXDOMAIN)"
			 : rc4 == LDNS_RCODE_SERVFAIL ? "server failure (SERVFAIL)"
						      : "no A or AAAA record",
			 resolver);
	}
	if (r == 0)
		*n = got;
out:
	ldns_rdf_deep_free(dname);
	ldns_resolver_deep_free(res);
	return r;
}
