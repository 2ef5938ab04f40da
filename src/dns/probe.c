/*
 * probe.c: questions put straight to one name server with ldns, for the
 * checks about the server rather than the data: does it answer over IPv6
 * (DNS-03), does it hand out the zone (DNS-06), does it recurse for
 * strangers (DNS-05). Each probe is one exchange with a deadline.
 */
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "dns/dns_int.h"

#define AXFR_MAX_RECORDS 5000

int dns_ldns_server(const char *ip, unsigned port, int timeout_ms, int recursive,
		    ldns_resolver **out)
{
	ldns_resolver *res;
	ldns_rdf *ns;
	struct timeval tv;

	res = ldns_resolver_new();
	if (!res)
		return ERR_NOMEM;
	ns = ldns_rdf_new_frm_str(strchr(ip, ':') ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, ip);
	if (!ns) {
		ldns_resolver_deep_free(res);
		return ERR_INVAL;
	}
	if (ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK) {
		ldns_rdf_deep_free(ns);
		ldns_resolver_deep_free(res);
		return ERR_NOMEM;
	}
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(res, (uint16_t)port);
	ldns_resolver_set_recursive(res, recursive ? true : false);
	ldns_resolver_set_retry(res, 1);
	ldns_resolver_set_fallback(res, true);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	ldns_resolver_set_timeout(res, tv);
	*out = res;
	return 0;
}

static int ask(const char *ip, unsigned port, int timeout_ms, int rd, const char *name,
	       ldns_rr_type t, ldns_pkt **pkt)
{
	ldns_resolver *res = NULL;
	ldns_rdf *dn = NULL;
	ldns_status s;
	int r;

	*pkt = NULL;
	r = dns_ldns_server(ip, port, timeout_ms > 0 ? timeout_ms : 3000, rd, &res);
	if (r)
		return r;
	dn = ldns_dname_new_frm_str(name);
	if (!dn) {
		ldns_resolver_deep_free(res);
		return ERR_INVAL;
	}
	s = ldns_resolver_send(pkt, res, dn, t, LDNS_RR_CLASS_IN, rd ? LDNS_RD : 0);
	ldns_rdf_deep_free(dn);
	ldns_resolver_deep_free(res);
	if (s != LDNS_STATUS_OK || !*pkt) {
		ldns_pkt_free(*pkt);
		*pkt = NULL;
		return ERR_TIMEOUT;
	}
	return 0;
}

int dns_probe_soa(const char *ip, unsigned port, const char *zone, int timeout_ms)
{
	ldns_pkt *pkt;
	ldns_rr_list *soa;
	int r = ask(ip, port, timeout_ms, 0, zone, LDNS_RR_TYPE_SOA, &pkt);

	if (r)
		return r;
	soa = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_SOA, LDNS_SECTION_ANSWER);
	r = ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR && ldns_pkt_aa(pkt) && soa &&
		    ldns_rr_list_rr_count(soa) > 0
		? 0
		: ERR_PROTO;
	ldns_rr_list_deep_free(soa);
	ldns_pkt_free(pkt);
	return r;
}

int dns_probe_axfr(const char *ip, unsigned port, const char *zone, int timeout_ms, size_t *records)
{
	ldns_resolver *res = NULL;
	ldns_rdf *dn = NULL;
	ldns_rr *rr;
	int r;

	*records = 0;
	r = dns_ldns_server(ip, port, timeout_ms > 0 ? timeout_ms : 3000, 0, &res);
	if (r)
		return r;
	dn = ldns_dname_new_frm_str(zone);
	if (!dn) {
		r = ERR_INVAL;
		goto out;
	}
	if (ldns_axfr_start(res, dn, LDNS_RR_CLASS_IN) != LDNS_STATUS_OK) {
		r = ERR_CONN;
		goto out;
	}
	while (*records < AXFR_MAX_RECORDS && (rr = ldns_axfr_next(res)) != NULL) {
		ldns_rr_free(rr);
		(*records)++;
		if (ldns_axfr_complete(res))
			break;
	}
	ldns_axfr_abort(res);
out:
	ldns_rdf_deep_free(dn);
	ldns_resolver_deep_free(res);
	return r;
}

int dns_probe_recursion(const char *ip, unsigned port, const char *probe_name, int timeout_ms,
			int *open, struct buf *evidence)
{
	ldns_pkt *pkt;
	int rc, r = ask(ip, port, timeout_ms, 1, probe_name, LDNS_RR_TYPE_A, &pkt);

	*open = 0;
	if (r)
		return r;
	rc = ldns_pkt_get_rcode(pkt);
	if (ldns_pkt_ra(pkt) && !ldns_pkt_aa(pkt) &&
	    ((rc == LDNS_RCODE_NOERROR && ldns_pkt_ancount(pkt) > 0) || rc == LDNS_RCODE_NXDOMAIN))
		*open = 1;
	if (evidence) {
		ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, rc);

		buf_reset(evidence);
		if (buf_addf(evidence, "%s A? -> %s ra=%d aa=%d answers=%u", probe_name,
			     lt ? lt->name : "?", ldns_pkt_ra(pkt) ? 1 : 0,
			     ldns_pkt_aa(pkt) ? 1 : 0, (unsigned)ldns_pkt_ancount(pkt)))
			buf_reset(evidence);
	}
	ldns_pkt_free(pkt);
	return 0;
}

int dns_probe_answer(const char *ip, unsigned port, const char *name, uint16_t type, int timeout_ms,
		     struct dns_answer *ans)
{
	ldns_pkt *pkt;
	uint8_t *wire = NULL;
	size_t len = 0;
	int r;

	memset(ans, 0, sizeof(*ans));
	ans->rcode = -1;
	r = ask(ip, port, timeout_ms, 1, name, (ldns_rr_type)type, &pkt);
	if (r)
		return r;
	if (ldns_pkt2wire(&wire, pkt, &len) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		return ERR_NOMEM;
	}
	ldns_pkt_free(pkt);
	r = dns_answer_from_wire(wire, len, name, type, ans);
	free(wire);
	return r;
}
