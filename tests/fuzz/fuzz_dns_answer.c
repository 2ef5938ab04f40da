/*
 * fuzz_dns_answer.c: raw DNS messages into the answer extraction of
 * src/dns (ldns_wire2pkt plus our CNAME walk and per-type fields), then
 * every TLSA record through the TLSA rdata parser. The first byte picks
 * the asked type; the question name is that of the message when it has
 * one, so CNAME chains in the corpus are followed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_int.h"
#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t types[] = {1, 28, 15, 16, 2, 5, 257, 52, 6, 12};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_answer a;
	char qname[DNS_NAME_MAX] = "example.test";
	ldns_pkt *pkt = NULL;
	uint16_t t;

	if (size < 1)
		return 0;
	t = types[data[0] % (sizeof(types) / sizeof(types[0]))];
	data++, size--;
	if (ldns_wire2pkt(&pkt, data, size) == LDNS_STATUS_OK && pkt) {
		ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);

		if (q && dns_name_text(ldns_rr_owner(q), qname) != 0)
			memcpy(qname, "example.test", 13);
		ldns_pkt_free(pkt);
	}
	if (dns_answer_from_wire(data, size, qname, t, &a) == 0) {
		for (size_t i = 0; i < a.n; i++) {
			if (a.rr[i].type == 52 && a.rr[i].dlen <= 1024) {
				unsigned char rd[3 + 1024];
				struct tlsa tl;

				memcpy(rd, a.rr[i].u, 3);
				memcpy(rd + 3, a.rr[i].data, a.rr[i].dlen);
				if (tlsa_parse(rd, 3 + a.rr[i].dlen, &tl) == 0 &&
				    tl.dlen != a.rr[i].dlen)
					abort();
			}
		}
		dns_answer_release(&a);
	}
	{
		struct tlsa tl;

		if (tlsa_parse(data, size, &tl) == 0 && tl.dlen + 3 != size)
			abort();
	}
	return 0;
}
