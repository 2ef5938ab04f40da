/*
 * answer.c: turn a DNS reply (wire format, untrusted) into struct dns_answer:
 * the records of the asked type owned by the name or the end of its CNAME
 * chain, with per-type fields. ldns parses the message; we walk its records
 * with caps on counts, name lengths and TXT sizes.
 */
#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "dns/dns_int.h"

#define CNAME_LINKS_MAX 16

const char *dns_sec_name(enum dns_sec s)
{
	switch (s) {
	case DNS_SEC_SECURE:
		return "secure";
	case DNS_SEC_BOGUS:
		return "bogus";
	default:
		return "insecure";
	}
}

void dns_answer_release(struct dns_answer *ans)
{
	size_t i;

	for (i = 0; i < ans->n; i++) {
		free(ans->rr[i].text);
		free(ans->rr[i].data);
	}
	free(ans->rr);
	ans->rr = NULL;
	ans->n = 0;
}

/* dns_name_text: a name rdf as "a.b.c" (no trailing dot, lower case). */
TESTABLE int dns_name_text(const ldns_rdf *rd, char out[DNS_NAME_MAX])
{
	char *s;
	size_t len;

	if (!rd || ldns_rdf_get_type(rd) != LDNS_RDF_TYPE_DNAME)
		return ERR_PARSE;
	s = ldns_rdf2str(rd);
	if (!s)
		return ERR_NOMEM;
	len = strlen(s);
	if (len > 1 && s[len - 1] == '.')
		s[--len] = '\0';
	if (len >= DNS_NAME_MAX) {
		free(s);
		return ERR_TOO_BIG;
	}
	if (strcmp(s, ".") == 0)
		s[0] = '\0';
	for (size_t i = 0; s[i]; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	memcpy(out, s, strlen(s) + 1);
	free(s);
	return 0;
}

/* dns_name_eq: names equal ignoring case and a trailing dot. */
TESTABLE int dns_name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static int set_bytes(struct dns_rr *rr, const void *p, size_t n)
{
	rr->data = malloc(n + 1);
	if (!rr->data)
		return ERR_NOMEM;
	if (n)
		memcpy(rr->data, p, n);
	rr->data[n] = '\0';
	rr->dlen = n;
	return 0;
}

static int set_text(struct dns_rr *rr, const char *s)
{
	rr->text = strdup(s);
	return rr->text ? 0 : ERR_NOMEM;
}

static int fill_txt(const ldns_rr *r, struct dns_rr *out)
{
	struct buf b = BUF_INIT;
	size_t i;
	int ret = 0;

	buf_init(&b, DNS_TXT_MAX);
	for (i = 0; i < ldns_rr_rd_count(r) && ret == 0; i++) {
		const ldns_rdf *rd = ldns_rr_rdf(r, i);
		const uint8_t *d = ldns_rdf_data(rd);
		size_t n = ldns_rdf_size(rd);

		/* A character-string: length byte then bytes. */
		if (n < 1 || (size_t)d[0] + 1 > n) {
			ret = ERR_PARSE;
			break;
		}
		ret = buf_add(&b, d + 1, d[0]);
	}
	if (ret == 0)
		ret = set_bytes(out, b.ptr, b.len);
	buf_release(&b);
	return ret;
}

static int fill_caa(const ldns_rr *r, struct dns_rr *out)
{
	const ldns_rdf *f = ldns_rr_rdf(r, 0), *tag = ldns_rr_rdf(r, 1), *val = ldns_rr_rdf(r, 2);
	char t[64];
	size_t tl;

	if (!f || !tag || !val || ldns_rdf_size(f) != 1 || ldns_rdf_size(tag) < 1)
		return ERR_PARSE;
	out->u[0] = ldns_rdf_data(f)[0];
	tl = ldns_rdf_data(tag)[0];
	if (tl + 1 > ldns_rdf_size(tag) || tl >= sizeof(t))
		return ERR_PARSE;
	memcpy(t, ldns_rdf_data(tag) + 1, tl);
	t[tl] = '\0';
	if (set_text(out, t))
		return ERR_NOMEM;
	return set_bytes(out, ldns_rdf_data(val), ldns_rdf_size(val));
}

static int fill_tlsa(const ldns_rr *r, struct dns_rr *out)
{
	size_t i;

	if (ldns_rr_rd_count(r) != 4)
		return ERR_PARSE;
	for (i = 0; i < 3; i++) {
		const ldns_rdf *rd = ldns_rr_rdf(r, i);

		if (!rd || ldns_rdf_size(rd) != 1)
			return ERR_PARSE;
		out->u[i] = ldns_rdf_data(rd)[0];
	}
	return set_bytes(out, ldns_rdf_data(ldns_rr_rdf(r, 3)), ldns_rdf_size(ldns_rr_rdf(r, 3)));
}

static int fill_addr(const ldns_rr *r, struct dns_rr *out, int af)
{
	const ldns_rdf *rd = ldns_rr_rdf(r, 0);
	char s[DNS_ADDRSTR_MAX];

	if (!rd || ldns_rdf_size(rd) != (af == AF_INET ? 4u : 16u))
		return ERR_PARSE;
	if (!inet_ntop(af, ldns_rdf_data(rd), s, sizeof(s)))
		return ERR_PARSE;
	return set_text(out, s);
}

/* rr_fill: the per-type fields of one record. */
static int rr_fill(const ldns_rr *r, struct dns_rr *out)
{
	char name[DNS_NAME_MAX];
	int ret;

	out->type = (uint16_t)ldns_rr_get_type(r);
	switch (out->type) {
	case LDNS_RR_TYPE_A:
		return fill_addr(r, out, AF_INET);
	case LDNS_RR_TYPE_AAAA:
		return fill_addr(r, out, AF_INET6);
	case LDNS_RR_TYPE_TXT:
		return fill_txt(r, out);
	case LDNS_RR_TYPE_CAA:
		return fill_caa(r, out);
	case LDNS_RR_TYPE_TLSA:
		return fill_tlsa(r, out);
	case LDNS_RR_TYPE_MX:
		if (ldns_rr_rd_count(r) != 2 || ldns_rdf_size(ldns_rr_rdf(r, 0)) != 2)
			return ERR_PARSE;
		out->pref = ldns_rdf2native_int16(ldns_rr_rdf(r, 0));
		ret = dns_name_text(ldns_rr_rdf(r, 1), name);
		return ret ? ret : set_text(out, name);
	case LDNS_RR_TYPE_NS:
	case LDNS_RR_TYPE_CNAME:
	case LDNS_RR_TYPE_PTR:
		ret = dns_name_text(ldns_rr_rdf(r, 0), name);
		return ret ? ret : set_text(out, name);
	default:
		return ERR_UNSUPP;
	}
}

/* follow_cname: the end of owner's CNAME chain in the answer section. */
static int follow_cname(const ldns_rr_list *an, char cur[DNS_NAME_MAX], int *links)
{
	char owner[DNS_NAME_MAX], target[DNS_NAME_MAX];
	int hops, found;
	size_t i;

	for (hops = 0; hops <= CNAME_LINKS_MAX; hops++) {
		found = 0;
		for (i = 0; i < ldns_rr_list_rr_count(an) && !found; i++) {
			const ldns_rr *r = ldns_rr_list_rr(an, i);

			if (ldns_rr_get_type(r) != LDNS_RR_TYPE_CNAME)
				continue;
			if (dns_name_text(ldns_rr_owner(r), owner) || !dns_name_eq(owner, cur))
				continue;
			if (dns_name_text(ldns_rr_rdf(r, 0), target))
				return ERR_PARSE;
			memcpy(cur, target, strlen(target) + 1);
			found = 1;
		}
		if (!found)
			return 0;
		*links = hops + 1;
	}
	return ERR_RANGE; /* a loop or an over-long chain */
}

static int collect(const ldns_rr_list *an, const char *owner, uint16_t qtype,
		   struct dns_answer *ans)
{
	char on[DNS_NAME_MAX];
	size_t i;
	int ret;

	for (i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *r = ldns_rr_list_rr(an, i);
		struct dns_rr *rr;

		if (ldns_rr_get_type(r) != qtype || ldns_rr_get_class(r) != LDNS_RR_CLASS_IN)
			continue;
		if (dns_name_text(ldns_rr_owner(r), on) || !dns_name_eq(on, owner))
			continue;
		if (ans->n == DNS_MAX_RRS) {
			ans->truncated = 1;
			break;
		}
		rr = &ans->rr[ans->n];
		memset(rr, 0, sizeof(*rr));
		ret = rr_fill(r, rr);
		if (ret == ERR_NOMEM)
			return ret;
		if (ret) { /* a record we cannot read: skip it, keep the rest */
			free(rr->text);
			free(rr->data);
			memset(rr, 0, sizeof(*rr));
			continue;
		}
		ans->n++;
	}
	return 0;
}

int dns_answer_from_wire(const uint8_t *wire, size_t len, const char *qname, uint16_t qtype,
			 struct dns_answer *ans)
{
	ldns_pkt *pkt = NULL;
	char cur[DNS_NAME_MAX];
	int ret;

	memset(ans, 0, sizeof(*ans));
	ans->rcode = -1;
	if (!qname || strlen(qname) >= DNS_NAME_MAX)
		return ERR_INVAL;
	if (ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK || !pkt)
		return ERR_PARSE;
	ans->rcode = ldns_pkt_get_rcode(pkt);
	str_lcpy(cur, qname, sizeof(cur));
	ret = follow_cname(ldns_pkt_answer(pkt), cur, &ans->n_cname);
	if (ret == ERR_RANGE) {
		/* A CNAME loop: report the name where we stopped. */
		ans->n_cname = CNAME_LINKS_MAX + 1;
		ret = 0;
	}
	if (ret)
		goto out;
	if (ans->n_cname)
		str_lcpy(ans->cname, cur, sizeof(ans->cname));
	ans->rr = calloc(DNS_MAX_RRS, sizeof(*ans->rr));
	if (!ans->rr) {
		ret = ERR_NOMEM;
		goto out;
	}
	ret = collect(ldns_pkt_answer(pkt), cur, qtype, ans);
out:
	ldns_pkt_free(pkt);
	if (ret) {
		dns_answer_release(ans);
		ans->rcode = -1;
	}
	return ret;
}
