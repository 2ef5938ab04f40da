/*
 * fuzz_securitytxt.c: the security.txt parser and validity rule on
 * arbitrary bytes: no crash or leak, the Contact copy NUL-terminated,
 * counters consistent, the problem string static or NULL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_sectxt s;
	const char *why;
	int r;

	web_sectxt_init(&s);
	r = web_sectxt_parse((const char *)data, size, &s);
	if (r != 0 && r != ERR_TOO_BIG && r != ERR_NOMEM)
		abort();
	if (r == 0) {
		if (memchr(s.contact, '\0', sizeof(s.contact)) == NULL)
			abort();
		if (s.n_contact == 0 && s.contact[0])
			abort();
		if (s.n_fields < s.n_contact + s.n_expires + s.n_canonical)
			abort();
		why = web_sectxt_problem(&s, "https://example.test/.well-known/security.txt",
					 (time_t)1800000000);
		if (why && strlen(why) == 0)
			abort();
		if (!why && (s.n_contact == 0 || s.n_expires != 1 || s.bad_framing))
			abort();
	}
	web_sectxt_release(&s);
	return 0;
}
