/*
 * fuzz_route.c: request routing on arbitrary paths. The first byte picks
 * the method, the rest is the raw path. No crash; a match names a route of
 * the same method whose parameters are NUL-terminated, free of '/' and
 * NUL, and within API_PARAM_MAX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "POST", "DELETE", "HEAD", "PUT", "PATCH"};
	const struct api_route *t, *rt = NULL;
	struct api_req rq;
	size_t n, i;
	int r;

	if (size < 1)
		return 0;
	memset(&rq, 0, sizeof(rq));
	t = api_routes(&n);
	r = server_route(t, n, methods[data[0] % 6], (const char *)data + 1, size - 1, &rq, &rt);
	if (r != 0 && r != ERR_NOTFOUND && r != ERR_UNSUPP && r != ERR_PARSE)
		abort();
	if (r != 0)
		return 0;
	if (!rt || rq.nparams > API_MAX_PARAMS)
		abort();
	for (i = 0; i < rq.nparams; i++) {
		size_t len = strnlen(rq.params[i].value, API_PARAM_MAX);

		if (len == 0 || len >= API_PARAM_MAX || strchr(rq.params[i].value, '/'))
			abort();
		if (strnlen(rq.params[i].name, sizeof(rq.params[i].name)) >=
		    sizeof(rq.params[i].name))
			abort();
	}
	return 0;
}
