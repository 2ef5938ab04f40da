/*
 * fuzz_mtasts.c: MTA-STS policy files into mtasts_policy_parse and the MX
 * pattern matcher; the same bytes as a _mta-sts TXT record.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mtasts_policy pol;
	char id[33], err[160];

	if (mtasts_policy_parse((const char *)data, size, &pol) == 0) {
		for (size_t i = 0; i < pol.n_mx; i++) {
			(void)mtasts_mx_match(pol.mx[i], "mx1.example.com");
			(void)mtasts_mx_match(pol.mx[i], pol.mx[i]);
		}
	}
	if (mtasts_txt_parse((const char *)data, size, id, err, sizeof(err)) == 0 &&
	    strlen(id) > 32)
		abort();
	return 0;
}
