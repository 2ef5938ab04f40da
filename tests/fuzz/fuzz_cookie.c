/*
 * fuzz_cookie.c: the Set-Cookie parser on arbitrary bytes: no crash, the
 * stored name always NUL-terminated and a prefix of the real name, flags
 * 0 or 1, SameSite within its enum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_cookie c;
	int r = web_cookie_parse((const char *)data, size, &c);

	if (r != 0 && r != ERR_PARSE && r != ERR_TOO_BIG)
		abort();
	if (r != 0)
		return 0;
	if (c.name_len == 0 || c.name_len > size)
		abort();
	if (memchr(c.name, '\0', sizeof(c.name)) == NULL)
		abort();
	if (strlen(c.name) > c.name_len)
		abort();
	if ((c.secure | c.httponly | c.partitioned | c.session | c.anticsrf) > 1)
		abort();
	if (c.samesite > COOKIE_SS_INVALID)
		abort();
	return 0;
}
