/*
 * fuzz_epss.c: feed the epss importer arbitrary bytes from memory through
 * feed_import_mem (format detection included); when the input parses, write
 * nothing. The seed corpus steers it to the epss parser. Must never crash, leak or read out of
 * bounds; errors are the expected outcome for most inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "feed/feed.h"

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
	return 0;
}
