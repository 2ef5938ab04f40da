/*
 * fuzz_nvd.c: feed the nvd importer arbitrary bytes from memory through
 * feed_import_mem (format detection included); when the input parses, write
 * nothing. The same bytes also go to kb_validate (the KB file checker) in
 * an aligned copy. Must never crash, leak or read out of
 * bounds; errors are the expected outcome for most inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <string.h>

#include "feed/feed_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_kb_builder *b = NULL;
	struct buf err = BUF_INIT;
	enum feed_format f = FEED_FMT_UNKNOWN;

	if (size > (1u << 20) || feed_kb_builder_new(&b) != 0)
		return 0;
	if (feed_import_mem(b, "fuzz", data, size, NULL, &err, &f) == 0)
		(void)feed_format_name(f);
	buf_release(&err);
	feed_kb_builder_free(b);
	{
		uint64_t *img = malloc(size / 8 * 8 + 8);
		struct kb kb;

		if (img) {
			memcpy(img, data, size);
			if (kb_validate(&kb, (const unsigned char *)img, size) == 0) {
				struct kb_counts n;

				kb.map = NULL;
				kb_counts(&kb, &n);
			}
			free(img);
		}
	}
	return 0;
}
