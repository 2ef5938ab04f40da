/*
 * fuzz_device_page.c: the SVC-10 page matcher. The input is what an HTTP
 * server answered to GET /: status line and headers, a plain or chunked
 * body. It is parsed, matched against the fingerprint table, and its
 * redirect targets (Location, meta refresh) are resolved.
 */
#include <stdint.h>
#include <string.h>

#include "svc/svc_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dev_url cur = {0, 8080, "/dir/page.html"}, next;
	struct dev_page pg;
	struct buf body;
	char title[64], meta[512];

	(void)dev_html_title(data, size, title, sizeof(title));
	buf_init(&body, DEV_BODY_MAX);
	if (dev_page_parse(data, size, &body, &pg) == 0) {
		(void)dev_match(&pg, NULL);
		if (pg.location[0])
			(void)!dev_next_url(pg.location, "dev.example.org", "127.0.0.1", &cur,
					    &next);
		if (dev_meta_refresh(pg.body.p, pg.body.len, meta, sizeof(meta)))
			(void)!dev_next_url(meta, "dev.example.org", "::1", &cur, &next);
	}
	buf_release(&body);
	return 0;
}
