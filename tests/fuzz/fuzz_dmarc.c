/*
 * fuzz_dmarc.c: DMARC records into dmarc_parse, the MAIL-08 rule and the
 * report URI parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dmarc_record rec;
	struct buf why = BUF_INIT;
	char dom[DNS_NAME_MAX];

	(void)dmarc_is_record((const char *)data, size);
	if (dmarc_parse((const char *)data, size, &rec) == 0) {
		(void)dmarc_verdict(&rec, size & 1, &why);
		for (size_t i = 0; i < rec.n_rua; i++)
			if (dmarc_uri_domain(rec.rua[i], dom) == 0 && dom[0] == '\0')
				abort();
		buf_release(&why);
	}
	return 0;
}
