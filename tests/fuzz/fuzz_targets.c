/*
 * fuzz_targets.c: target specs (literals, CIDR blocks, host name syntax;
 * name resolution off) and port lists. Input: "TARGET\nPORTS"; a leading
 * '!' lifts the CIDR prefix limit (the target limit still holds).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dup_str(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static void check_targets(const char *spec, unsigned flags)
{
	struct net_target *t = NULL;
	struct buf err = BUF_INIT;
	size_t n = 0, i;

	if (net_targets_expand_flags(spec, 4096, flags | NET_TARGETS_NO_RESOLVE, &t, &n, &err) ==
	    0) {
		if (n == 0 || n > 4096 || !t)
			abort();
		for (i = 0; i < n; i++)
			if (!memchr(t[i].name, '\0', sizeof(t[i].name)) ||
			    (t[i].addr.ss.ss_family != AF_INET &&
			     t[i].addr.ss.ss_family != AF_INET6))
				abort();
	} else if (t || err.len == 0) {
		abort();
	}
	free(t);
	buf_release(&err);
}

static void check_ports(const char *spec)
{
	struct buf err = BUF_INIT;
	uint16_t *p = NULL;
	size_t n = 0, i;

	if (net_ports_parse(spec, &p, &n, &err) == 0) {
		if (n == 0 || n > 65535)
			abort();
		for (i = 0; i < n; i++)
			if (p[i] == 0)
				abort();
	} else if (p) {
		abort();
	}
	free(p);
	buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - data) : size;
	unsigned flags = 0;
	char *t, *p;

	if (tlen && data[0] == '!') {
		flags = NET_TARGETS_ANY_PREFIX;
		data++;
		size--;
		tlen--;
	}
	t = dup_str(data, tlen);
	p = nl ? dup_str(data + tlen + 1, size - tlen - 1) : NULL;
	if (t)
		check_targets(t, flags);
	if (p)
		check_ports(p);
	free(t);
	free(p);
	return 0;
}
