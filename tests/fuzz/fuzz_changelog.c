/*
 * fuzz_changelog.c: the Debian changelog parser (vuln_changelog_fixed) on
 * arbitrary bytes. The first line is the installed version, the rest the
 * changelog text. Must never crash, leak or read out of bounds, and what it
 * returns must be a sorted set of well-formed CVE ids.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vuln/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vuln_cvelist l = VULN_CVELIST_INIT;
	const uint8_t *nl = memchr(data, '\n', size < 128 ? size : 128);
	char ver[128];
	size_t vlen, i;

	if (size > (1u << 20))
		return 0;
	vlen = nl ? (size_t)(nl - data) : 0;
	memcpy(ver, data, vlen);
	ver[vlen] = '\0';
	if (nl) {
		data = nl + 1;
		size -= vlen + 1;
	}
	if (vuln_changelog_fixed((const char *)data, size, ver, &l) == 0) {
		for (i = 0; i < l.n; i++) {
			if (strncmp(l.v[i].cve, "CVE-", 4) != 0 || strlen(l.v[i].cve) < 13 ||
			    !vuln_cvelist_has(&l, l.v[i].cve))
				abort();
			if (i > 0 && strcasecmp(l.v[i - 1].cve, l.v[i].cve) >= 0)
				abort();
		}
	}
	vuln_cvelist_release(&l);
	return 0;
}
