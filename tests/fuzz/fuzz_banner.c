/*
 * fuzz_banner.c: every service parser of src/svc. The first byte picks the
 * protocol table entry, the next two the port; the rest is what the
 * server sent. Then all parsers (svc_parse_any) and the CPE builder run on
 * the same bytes.
 */
#include <stdint.h>
#include <string.h>

#include "svc/svc_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct svc_proto *t;
	struct svc_info si;
	size_t n;
	uint16_t port;

	if (size < 3)
		return 0;
	t = svc_protos(&n);
	port = (uint16_t)(data[1] << 8 | data[2]);
	svc_info_init(&si);
	if (t[data[0] % n].parse(data + 3, size - 3, port, &si) == SVC_YES)
		svc_cpe(&si);
	svc_info_init(&si);
	if (svc_parse_any(NULL, data + 3, size - 3, port, &si) == SVC_YES)
		svc_cpe(&si);
	return 0;
}
