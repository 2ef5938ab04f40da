/*
 * fuzz_version.c: the version comparators on arbitrary byte pairs (the
 * input split at its first 0xff byte, or in half): no crash, cmp(a, a) == 0,
 * results in {-1, 0, 1} and antisymmetry cmp(a, b) == -cmp(b, a). With a
 * second 0xff, a third string checks transitivity of the upstream and dpkg
 * orders (rpmvercmp is not transitive across "~"/"^" corner cases).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "cpe/cpe.h"

typedef int (*cmp_fn)(const char *, size_t, const char *, size_t);

static const cmp_fn cmps[] = {version_cmp_upstream, version_cmp_dpkg, version_cmp_rpm,
			      version_cmp_rpm_evr};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* rest = "b 0xff c": a <= b <= c implies a <= c. */
static void check_transitive(const char *a, size_t alen, const char *rest, size_t len)
{
	const char *sep = memchr(rest, 0xff, len);
	size_t bl, cl, i;
	const char *c;

	if (!sep)
		return;
	bl = (size_t)(sep - rest);
	c = sep + 1;
	cl = len - bl - 1;
	for (i = 0; i < 2; i++) {
		int ab = cmps[i](a, alen, rest, bl), bc = cmps[i](rest, bl, c, cl);
		int ac = cmps[i](a, alen, c, cl);

		if (ab <= 0 && bc <= 0 && ac > 0)
			abort();
		if (ab >= 0 && bc >= 0 && ac < 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0xff, size);
	size_t alen = sep ? (size_t)(sep - data) : size / 2;
	const char *a = (const char *)data, *b = (const char *)data + alen + (sep ? 1 : 0);
	size_t blen = size - alen - (sep ? 1 : 0), i, off, n;

	for (i = 0; i < ARRAY_SIZE(cmps); i++) {
		int ab = cmps[i](a, alen, b, blen);
		int ba = cmps[i](b, blen, a, alen);

		if (ab < -1 || ab > 1 || ab != -ba)
			abort();
		if (cmps[i](a, alen, a, alen) != 0 || cmps[i](b, blen, b, blen) != 0)
			abort();
	}
	check_transitive(a, alen, b, blen);
	version_dpkg_upstream(a, alen, &off, &n);
	if (off + n > alen)
		abort();
	return 0;
}
