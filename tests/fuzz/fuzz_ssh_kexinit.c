/*
 * fuzz_ssh_kexinit.c: the SSH KEXINIT packet parser and the SVC-11 rules
 * over whatever lists it yields, on untrusted server bytes.
 */
#include <stdint.h>
#include <string.h>

#include "svc/svc_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssh_kexinit k;
	struct buf bad, weak;
	size_t used = 0;

	buf_init(&bad, 2048);
	buf_init(&weak, 2048);
	if (ssh_parse_kexinit_packet(data, size, &k, &used) == 0) {
		if (used > size)
			__builtin_trap();
		(void)!ssh_rate_algos(&k, &bad, &weak);
	}
	buf_reset(&bad);
	buf_reset(&weak);
	if (ssh_parse_kexinit(data, size, &k) == 0)
		(void)!ssh_rate_algos(&k, &bad, &weak);
	buf_release(&bad);
	buf_release(&weak);
	return 0;
}
