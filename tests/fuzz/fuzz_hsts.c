/*
 * fuzz_hsts.c: the Strict-Transport-Security parser on arbitrary bytes:
 * no crash; a valid result is stable (parsing the same bytes twice gives
 * the same answer) and a header with "max-age" absent is never valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_hsts a, b;
	int r1 = web_hsts_parse((const char *)data, size, &a);
	int r2 = web_hsts_parse((const char *)data, size, &b);
	size_t i;
	int has_max_age = 0;

	if (r1 != r2)
		abort();
	if (r1 != 0 && r1 != ERR_PARSE && r1 != ERR_TOO_BIG)
		abort();
	if (r1 != 0)
		return 0;
	if (a.max_age != b.max_age || a.include_subdomains != b.include_subdomains ||
	    a.preload != b.preload)
		abort();
	for (i = 0; i + 7 <= size && !has_max_age; i++)
		has_max_age = strncasecmp((const char *)data + i, "max-age", 7) == 0;
	if (!has_max_age)
		abort();
	return 0;
}
