/*
 * fuzz_cpe.c: cpe_parse on arbitrary bytes; whatever parses must format,
 * re-parse to an equal name, format identically again, match itself, and
 * survive the range and attribute comparisons.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "cpe/cpe.h"

static int same(const struct cpe *a, const struct cpe *b)
{
	int i;

	for (i = 0; i < CPE_NATTR; i++) {
		const struct cpe_attr *x = &a->attr[i], *y = &b->attr[i];

		if (x->kind != y->kind)
			return 0;
		if (x->kind == CPE_VALUE && (x->pre != y->pre || x->post != y->post ||
					     x->len != y->len || memcmp(x->v, y->v, x->len) != 0))
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpe c, again, copy;
	struct cpe_range r;
	struct cpe_result res;
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	int i;

	if (cpe_parse((const char *)data, size, &c) != 0)
		return 0;
	if (cpe_format(&c, &b1) != 0)
		abort();
	if (cpe_parse(b1.ptr, b1.len, &again) != 0)
		abort();
	if (!same(&c, &again))
		abort();
	if (cpe_format(&again, &b2) != 0 || b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len))
		abort();
	if (cpe_copy(&copy, &c) != 0)
		abort();
	if (!same(&c, &copy))
		abort();
	/* a name without wildcards matches itself */
	for (i = 0; i < CPE_NATTR; i++)
		if (c.attr[i].kind == CPE_VALUE && (c.attr[i].pre || c.attr[i].post))
			break;
	if (i == CPE_NATTR && !cpe_match(&c, &again))
		abort();
	(void)cpe_match(&again, &c);
	/* the parsed name as a range row and as a target */
	if (cpe_range_init(&r, b1.ptr, b1.len, true) == 0) {
		if (cpe_range_set_bound(&r, CPE_END_INCL, "9.8", 3) != 0)
			abort();
		cpe_range_match_cpe(&r, &c, &res);
		if (res.conf > MATCH_HIGH)
			abort();
		cpe_range_release(&r);
	}
	cpe_release(&copy);
	cpe_release(&again);
	cpe_release(&c);
	buf_release(&b1);
	buf_release(&b2);
	return 0;
}
