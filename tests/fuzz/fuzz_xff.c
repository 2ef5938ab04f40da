/*
 * fuzz_xff.c: X-Forwarded-For as a trusted proxy hands it on. The input is
 * split at NUL bytes into header lines (the values libmicrohttpd gives,
 * without their NULs); the walk must stay inside each value's length. The
 * first line is also tried as a serve.trusted_proxies list.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "server/server_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *vals[SRV_XFF_HEADERS_MAX + 2];
	size_t lens[SRV_XFF_HEADERS_MAX + 2], n = 0, i, start = 0;
	struct srv_proxies p;
	struct srv_ip a;
	char out[INET6_ADDRSTRLEN], *copy;
	int r;

	/* Each value in its own exact-size allocation, so reading past its
	 * length is caught by AddressSanitizer. */
	char *own[SRV_XFF_HEADERS_MAX + 2];

	for (i = 0; i <= size && n < SRV_XFF_HEADERS_MAX + 2; i++) {
		if (i < size && data[i] != 0)
			continue;
		own[n] = malloc(i - start ? i - start : 1);
		if (!own[n])
			goto out;
		memcpy(own[n], data + start, i - start);
		vals[n] = own[n];
		lens[n] = i - start;
		n++;
		start = i + 1;
	}
	if (srv_proxies_parse("127.0.0.0/8,10.0.0.0/8,::1,fd00::/8", &p) != 0)
		abort();
	r = srv_xff_client(&p, vals, lens, n, &a);
	if (r == 0) {
		srv_ip_str(&a, out, sizeof(out));
		if (srv_proxies_has(&p, &a))
			abort(); /* the client is never a trusted proxy */
	}
	copy = malloc(lens[0] + 1);
	if (copy) {
		memcpy(copy, vals[0], lens[0]);
		copy[lens[0]] = '\0';
		if (srv_proxies_parse(copy, &p) == 0 && p.n > SRV_PROXIES_MAX)
			abort();
		free(copy);
	}
out:
	for (i = 0; i < n; i++)
		free(own[i]);
	return 0;
}
