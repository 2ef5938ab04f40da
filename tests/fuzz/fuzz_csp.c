/*
 * fuzz_csp.c: the Content-Security-Policy parser and its evaluation on
 * arbitrary bytes: no crash, no read past the input, counts consistent
 * (a directive's sources only when present), evaluation flags 0 or 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csp c;
	struct csp_eval e;
	size_t i, d;
	int r = web_csp_parse((const char *)data, size, &c);

	if (r != 0 && r != ERR_PARSE && r != ERR_TOO_BIG)
		abort();
	if (r != 0)
		return 0;
	if (c.n == 0 || c.n > CSP_MAX_POLICIES)
		abort();
	for (i = 0; i < c.n; i++) {
		if (c.p[i].n_directives == 0)
			abort();
		for (d = 0; d < CSP_DIR_COUNT; d++) {
			if (!c.p[i].d[d].present && (c.p[i].d[d].src || c.p[i].d[d].n_src))
				abort();
		}
	}
	web_csp_eval(&c, &e);
	if ((e.unsafe_inline_script | e.unsafe_eval | e.insecure_script | e.insecure_passive |
	     e.unsafe_inline_style | e.default_none | e.form_action | e.frame_ancestors) > 1)
		abort();
	/* Every whitespace-separated token classifies without reading past it. */
	for (i = 0; i < size && i < 4096;) {
		size_t j = i;

		while (j < size && data[j] != ' ')
			j++;
		(void)web_csp_classify((const char *)data + i, j - i);
		i = j + 1;
	}
	return 0;
}
