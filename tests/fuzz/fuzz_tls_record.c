/*
 * fuzz_tls_record.c: the server-reply parser of src/tls (TLS records,
 * ServerHello/HelloRetryRequest, ServerKeyExchange, Alert, SSLv2
 * SERVER-HELLO) on arbitrary bytes, both with and without the
 * ServerKeyExchange wanted.
 */
#include <stdint.h>
#include <string.h>

#include "tls/tls_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_server_hello sh;
	int w;

	for (w = 0; w < 2; w++) {
		int r = tls_parse_response(data, size, w, &sh);

		/* an answer is complete or it is not; nothing else may come back */
		if (r != 0 && r != ERR_EOF && r != ERR_PARSE && r != ERR_PROTO && r != ERR_NOMEM &&
		    r != ERR_TOO_BIG)
			__builtin_trap();
		if (sh.ssl2_n > TLS_SSL2_MAX_SPECS || sh.hello_head_len > sizeof(sh.hello_head))
			__builtin_trap();
	}
	return 0;
}
