/*
 * fuzz_spf.c: SPF records into spf_parse, then a whole evaluation where
 * every name the record points at "has" the same record (includes and
 * redirects recurse into the input itself: loops, depth and lookup caps).
 */
#include <stdint.h>
#include <string.h>

#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t n;
};

static int fetch(void *arg, const char *domain, struct buf *txt, int *n)
{
	const struct in *in = arg;

	*n = domain[0] == 'x' ? 0 : domain[0] == 'y' ? 2 : 1;
	return buf_add(txt, in->p, in->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spf_record rec;
	struct spf_eval ev;
	struct buf why = BUF_INIT;
	struct in in = {data, size};

	if (spf_parse((const char *)data, size, &rec) == 0 && rec.n)
		(void)rec.t[rec.n - 1].mech;
	spf_record_release(&rec);
	if (size <= MAIL_TXT_MAX && spf_evaluate("fuzz.example", fetch, &in, &ev) == 0) {
		(void)spf_verdict(&ev, &why);
		buf_release(&why);
	}
	return 0;
}
