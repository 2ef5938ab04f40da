/*
 * targets.c: what the user asked to scan, turned into addresses: IPv4/IPv6
 * literals, CIDR blocks (size-capped before any allocation) and host names
 * resolved with getaddrinfo() to every A and AAAA address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "net/net_int.h"

#define SPEC_MAX 255

static void set_err(struct buf *err, const char *what, const char *s, size_t len,
		    const char *detail)
{
	if (!err)
		return;
	buf_reset(err);
	if (buf_addf(err, "%s: \"", what) || buf_add_printable(err, s, LOG_CAP(len)) ||
	    buf_adds(err, "\""))
		return;
	if (detail && (buf_adds(err, ": ") || buf_adds(err, detail)))
		return;
}

/* parse_literal: an IPv4 or IPv6 address in s[0..len), IPv6 optionally in []. */
TESTABLE int targets_parse_literal(const char *s, size_t len, struct net_addr *a)
{
	char tmp[64];

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
		if (!memchr(s, ':', len))
			return ERR_PARSE;
	}
	if (len == 0 || len >= sizeof(tmp) || memchr(s, '\0', len))
		return ERR_PARSE;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return net_addr_parse(tmp, 0, a);
}

/*
 * targets_valid_hostname: LDH labels (underscore allowed, as in SRV-style
 * names) of 1..63 bytes, at most 253 bytes, optional final dot; the last
 * label not all digits, so "1.2.3" never reaches inet_aton() in the
 * resolver as 1.2.0.3.
 */
TESTABLE int targets_valid_hostname(const char *s, size_t len)
{
	size_t i, label = 0, last_start = 0;
	int last_numeric = 1;

	if (len && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			last_start = i + 1;
			last_numeric = 1;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return 0;
		if (ch == '-' && label == 0)
			return 0;
		if (ch < '0' || ch > '9')
			last_numeric = 0;
		if (++label > 63)
			return 0;
	}
	if (s[len - 1] == '-')
		return 0;
	(void)last_start;
	return !last_numeric;
}

static void target_set(struct net_target *t, const char *name, size_t len, const struct net_addr *a)
{
	memset(t, 0, sizeof(*t));
	if (len >= sizeof(t->name))
		len = sizeof(t->name) - 1;
	memcpy(t->name, name, len);
	t->name[len] = '\0';
	t->addr = *a;
}

/* host_count: addresses in a block with hb host bits, or 0 when > max. */
static size_t host_count(unsigned hb, size_t max)
{
	if (hb >= 8 * sizeof(size_t) - 1 || ((size_t)1 << hb) > max)
		return 0;
	return (size_t)1 << hb;
}

static void cidr_member(const struct net_addr *base, size_t i, struct net_addr *a)
{
	*a = *base;
	if (a->ss.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;

		s4->sin_addr.s_addr = htonl(ntohl(s4->sin_addr.s_addr) + (uint32_t)i);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;
		unsigned carry = 0;
		int k;

		/* Add i to the 128-bit big-endian address. */
		for (k = 15; k >= 0; k--) {
			unsigned v = s6->sin6_addr.s6_addr[k] + (unsigned)(i & 0xff) + carry;

			s6->sin6_addr.s6_addr[k] = (uint8_t)v;
			carry = v >> 8;
			i >>= 8;
		}
	}
}

/* mask_host_bits: clear the host bits of a for a /prefix block. */
static void mask_host_bits(struct net_addr *a, unsigned prefix)
{
	unsigned char *p;
	unsigned bits, k;

	if (a->ss.ss_family == AF_INET) {
		p = (unsigned char *)&((struct sockaddr_in *)&a->ss)->sin_addr;
		bits = 32;
	} else {
		p = ((struct sockaddr_in6 *)&a->ss)->sin6_addr.s6_addr;
		bits = 128;
	}
	for (k = prefix; k < bits; k++)
		p[k / 8] &= (unsigned char)~(0x80u >> (k % 8));
}

static int expand_cidr(const char *s, size_t len, const char *slash, size_t max, unsigned flags,
		       struct net_target **out, size_t *n, struct buf *err)
{
	struct net_addr base;
	struct net_target *v;
	struct cursor c;
	uint64_t prefix;
	unsigned bits, minpfx;
	size_t count, i;
	char as[NET_ADDRSTR_MAX];

	if (targets_parse_literal(s, (size_t)(slash - s), &base) != 0) {
		set_err(err, "bad address in CIDR block", s, len, NULL);
		return ERR_PARSE;
	}
	bits = base.ss.ss_family == AF_INET ? 32 : 128;
	minpfx = base.ss.ss_family == AF_INET ? 16 : 112;
	cursor_init(&c, slash + 1, len - (size_t)(slash + 1 - s));
	if (c.len == 0 || c.len > 3 || cursor_uint(&c, bits, &prefix) != 0 || c.len != 0) {
		set_err(err, "bad prefix length in CIDR block", s, len, NULL);
		return ERR_PARSE;
	}
	if (prefix < minpfx && !(flags & NET_TARGETS_ANY_PREFIX)) {
		set_err(err, "CIDR block too large", s, len,
			bits == 32 ? "at most a /16 for IPv4" : "at most a /112 for IPv6");
		return ERR_TOO_BIG;
	}
	count = host_count(bits - (unsigned)prefix, max);
	if (count == 0) {
		set_err(err, "CIDR block has more addresses than the target limit", s, len, NULL);
		return ERR_TOO_BIG;
	}
	v = calloc(count, sizeof(*v));
	if (!v)
		return ERR_NOMEM;
	mask_host_bits(&base, (unsigned)prefix);
	for (i = 0; i < count; i++) {
		struct net_addr a;

		cidr_member(&base, i, &a);
		net_addr_str(&a, as);
		target_set(&v[i], as, strlen(as), &a);
	}
	*out = v;
	*n = count;
	return 0;
}

static int addr_equal(const struct net_addr *a, const struct net_addr *b)
{
	if (a->ss.ss_family != b->ss.ss_family)
		return 0;
	if (a->ss.ss_family == AF_INET)
		return ((const struct sockaddr_in *)&a->ss)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)&b->ss)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr,
		      &((const struct sockaddr_in6 *)&b->ss)->sin6_addr, 16) == 0;
}

static int gai_to_err(int g, int saved_errno, const char **detail)
{
	if (g == EAI_MEMORY)
		return ERR_NOMEM;
	*detail = g == EAI_SYSTEM ? strerror(saved_errno) : gai_strerror(g);
	return ERR_RESOLVE;
}

static int expand_name(const char *s, size_t len, size_t max, struct net_target **out, size_t *n,
		       struct buf *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct net_target *v = NULL;
	const char *detail = NULL;
	size_t count = 0;
	char host[SPEC_MAX + 1];
	int g, r;

	memcpy(host, s, len);
	host[len] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	g = getaddrinfo(host, NULL, &hints, &res);
	if (g != 0) {
		r = gai_to_err(g, errno, &detail);
		set_err(err, "cannot resolve", s, len, detail);
		return r;
	}
	for (ai = res; ai; ai = ai->ai_next)
		count++;
	v = calloc(count ? count : 1, sizeof(*v));
	if (!v) {
		r = ERR_NOMEM;
		goto out;
	}
	count = 0;
	for (ai = res; ai; ai = ai->ai_next) {
		struct net_addr a;
		size_t k;

		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(a.ss))
			continue;
		memset(&a, 0, sizeof(a));
		memcpy(&a.ss, ai->ai_addr, ai->ai_addrlen);
		a.len = ai->ai_addrlen;
		net_addr_set_port(&a, 0);
		for (k = 0; k < count && !addr_equal(&v[k].addr, &a); k++)
			;
		if (k < count)
			continue;
		if (count >= max) {
			set_err(err, "host name has more addresses than the target limit", s, len,
				NULL);
			r = ERR_TOO_BIG;
			goto out;
		}
		target_set(&v[count++], s, len, &a);
	}
	if (count == 0) {
		set_err(err, "cannot resolve", s, len, "no IPv4 or IPv6 address");
		r = ERR_RESOLVE;
		goto out;
	}
	*out = v;
	*n = count;
	v = NULL;
	r = 0;
out:
	free(v);
	freeaddrinfo(res);
	return r;
}

int net_targets_expand_flags(const char *spec, int max_targets, unsigned flags,
			     struct net_target **out, size_t *n, struct buf *err)
{
	size_t max = max_targets > 0 ? (size_t)max_targets : NET_TARGETS_DEFAULT_MAX;
	struct net_addr a;
	struct cursor c;
	const char *slash;

	if (!spec)
		return ERR_INVAL;
	cursor_init(&c, spec, strlen(spec));
	cursor_trim(&c);
	if (c.len == 0) {
		set_err(err, "empty target", spec, 0, NULL);
		return ERR_PARSE;
	}
	if (c.len > SPEC_MAX) {
		set_err(err, "target too long", (const char *)c.p, c.len, NULL);
		return ERR_PARSE;
	}
	slash = memchr(c.p, '/', c.len);
	if (slash)
		return expand_cidr((const char *)c.p, c.len, slash, max, flags, out, n, err);
	if (targets_parse_literal((const char *)c.p, c.len, &a) == 0) {
		struct net_target *v = calloc(1, sizeof(*v));

		if (!v)
			return ERR_NOMEM;
		target_set(v, (const char *)c.p, c.len, &a);
		*out = v;
		*n = 1;
		return 0;
	}
	if (!targets_valid_hostname((const char *)c.p, c.len)) {
		set_err(err, "not an IP address, CIDR block or host name", (const char *)c.p, c.len,
			NULL);
		return ERR_PARSE;
	}
	if (flags & NET_TARGETS_NO_RESOLVE) {
		set_err(err, "cannot resolve", (const char *)c.p, c.len, "name resolution is off");
		return ERR_RESOLVE;
	}
	return expand_name((const char *)c.p, c.len, max, out, n, err);
}

int net_targets_expand(const char *spec, int max_targets, struct net_target **out, size_t *n,
		       struct buf *err)
{
	return net_targets_expand_flags(spec, max_targets, 0, out, n, err);
}
