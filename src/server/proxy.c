/*
 * proxy.c: the client address behind a reverse proxy. serve.trusted_proxies
 * is a list of addresses and CIDR blocks; only when the TCP peer is in it
 * are X-Forwarded-For and X-Forwarded-Proto read. X-Forwarded-For is walked
 * from the right (the part a proxy of ours appended) past addresses that
 * are themselves trusted proxies; the first other address is the client.
 * Everything left of it is what the client sent and is never looked at.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "core/core.h"
#include "server/server_int.h"

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the IPv4 one,
 * so a dual-stack listener and a v4 list entry agree. */
static void ip_normalize(struct srv_ip *ip)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (ip->family == AF_INET6 && memcmp(ip->a, mapped, 12) == 0) {
		memmove(ip->a, ip->a + 12, 4);
		memset(ip->a + 4, 0, 12);
		ip->family = AF_INET;
	}
}

/* One numeric address, no brackets, port or zone; the cursor's bytes are
 * copied so inet_pton sees a NUL-terminated string. */
static int ip_parse(const struct cursor *c, struct srv_ip *out)
{
	char tmp[INET6_ADDRSTRLEN];

	if (c->len == 0 || c->len >= sizeof(tmp))
		return ERR_PARSE;
	memcpy(tmp, c->p, c->len);
	tmp[c->len] = '\0';
	memset(out, 0, sizeof(*out));
	if (memchr(tmp, ':', c->len)) {
		if (inet_pton(AF_INET6, tmp, out->a) != 1)
			return ERR_PARSE;
		out->family = AF_INET6;
	} else {
		if (inet_pton(AF_INET, tmp, out->a) != 1)
			return ERR_PARSE;
		out->family = AF_INET;
	}
	ip_normalize(out);
	return 0;
}

int srv_ip_of_sockaddr(const struct sockaddr *sa, struct srv_ip *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		memcpy(out->a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		out->family = AF_INET;
	} else if (sa->sa_family == AF_INET6) {
		memcpy(out->a, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		out->family = AF_INET6;
		ip_normalize(out);
	} else {
		return ERR_INVAL;
	}
	return 0;
}

void srv_ip_str(const struct srv_ip *ip, char *out, size_t size)
{
	if (!inet_ntop(ip->family, ip->a, out, (socklen_t)size))
		str_lcpy(out, "?", size);
}

int srv_proxies_parse(const char *s, struct srv_proxies *out)
{
	struct cursor c, item, addr;
	struct srv_proxies p;
	uint64_t bits;
	unsigned maxbits, i;
	int last = 0;

	memset(&p, 0, sizeof(p));
	cursor_init(&c, s, strlen(s));
	cursor_trim(&c);
	if (c.len == 0)
		goto done;
	while (!last) {
		struct srv_net *n;

		if (cursor_until(&c, ',', &item) != 0) {
			item = c;
			last = 1;
		} else if (cursor_skip(&c, 1) != 0) {
			return ERR_INVAL;
		}
		cursor_trim(&item);
		if (p.n == SRV_PROXIES_MAX)
			return ERR_INVAL;
		n = &p.net[p.n];
		if (cursor_until(&item, '/', &addr) != 0) {
			addr = item;
			cursor_init(&item, "", 0);
		} else if (cursor_skip(&item, 1) != 0 || item.len == 0 || item.len > 3) {
			return ERR_INVAL;
		}
		cursor_trim(&addr);
		if (ip_parse(&addr, &n->ip) != 0)
			return ERR_INVAL;
		/* A v4-mapped v6 entry became v4: its prefix counts 96 less. */
		maxbits = n->ip.family == AF_INET ? 32 : 128;
		if (item.len == 0) {
			n->bits = maxbits;
		} else {
			if (cursor_uint(&item, 128, &bits) != 0 || item.len != 0)
				return ERR_INVAL;
			if (addr.len && memchr(addr.p, ':', addr.len) && n->ip.family == AF_INET) {
				if (bits < 96)
					return ERR_INVAL;
				bits -= 96;
			}
			if (bits > maxbits)
				return ERR_INVAL;
			n->bits = (unsigned)bits;
		}
		/* Host bits must be zero: "10.0.0.1/8" is a typo, not a block. */
		for (i = n->bits; i < maxbits; i++)
			if (n->ip.a[i / 8] & (0x80u >> (i % 8)))
				return ERR_INVAL;
		p.n++;
	}
done:
	*out = p;
	return 0;
}

int srv_proxies_has(const struct srv_proxies *p, const struct srv_ip *ip)
{
	size_t k;
	unsigned full, rest;

	for (k = 0; k < p->n; k++) {
		const struct srv_net *n = &p->net[k];

		if (n->ip.family != ip->family)
			continue;
		full = n->bits / 8;
		rest = n->bits % 8;
		if (memcmp(n->ip.a, ip->a, full) != 0)
			continue;
		if (rest && ((n->ip.a[full] ^ ip->a[full]) & (0xffu << (8 - rest)) & 0xffu))
			continue;
		return 1;
	}
	return 0;
}

int srv_xff_client(const struct srv_proxies *p, const char *const *vals, const size_t *lens,
		   size_t nvals, struct srv_ip *out)
{
	size_t v, end, start, seen = 0, entries = 0;
	struct cursor e;
	struct srv_ip ip;

	if (nvals > SRV_XFF_HEADERS_MAX)
		return ERR_TOO_BIG;
	/* The headers in order form one list: the last header's last entry
	 * is the rightmost. */
	for (v = nvals; v-- > 0;) {
		const char *s = vals[v];

		end = lens[v];
		for (;;) {
			start = end;
			while (start > 0 && s[start - 1] != ',' &&
			       seen + end - start < SRV_XFF_BYTES_MAX)
				start--;
			if (start > 0 && s[start - 1] != ',')
				return ERR_TOO_BIG;
			seen += end - start + 1;
			if (++entries > SRV_XFF_ENTRIES_MAX || seen > SRV_XFF_BYTES_MAX)
				return ERR_TOO_BIG;
			cursor_init(&e, s + start, end - start);
			cursor_trim(&e);
			if (ip_parse(&e, &ip) != 0)
				return ERR_PARSE;
			if (!srv_proxies_has(p, &ip)) {
				*out = ip;
				return 0;
			}
			if (start == 0)
				break;
			end = start - 1;
		}
	}
	return ERR_NOTFOUND;
}

/* ----------------------------------------------- libmicrohttpd glue */

#define XFF_NAME "X-Forwarded-For"
#define XFP_NAME "X-Forwarded-Proto"

struct hdr_list {
	const char *vals[SRV_XFF_HEADERS_MAX];
	size_t lens[SRV_XFF_HEADERS_MAX];
	size_t n;
	int over;
	const char *name;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct hdr_list *h = cls;

	(void)kind;
	if (!key || strcasecmp(key, h->name) != 0)
		return MHD_YES;
	if (h->n == SRV_XFF_HEADERS_MAX) {
		h->over = 1;
		return MHD_NO;
	}
	h->vals[h->n] = value ? value : "";
	h->lens[h->n] = value ? strlen(value) : 0;
	h->n++;
	return MHD_YES;
}

void srv_client_of(const struct srv *s, struct MHD_Connection *con, struct srv_client *out)
{
	const union MHD_ConnectionInfo *ci;
	struct srv_ip peer, client;
	struct hdr_list h;
	int r;

	memset(out, 0, sizeof(*out));
	str_lcpy(out->remote, "-", sizeof(out->remote));
	str_lcpy(out->peer, "-", sizeof(out->peer));
	ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr || srv_ip_of_sockaddr(ci->client_addr, &peer) != 0)
		return;
	srv_ip_str(&peer, out->peer, sizeof(out->peer));
	str_lcpy(out->remote, out->peer, sizeof(out->remote));
	if (!s || !srv_proxies_has(&s->proxies, &peer))
		return;
	memset(&h, 0, sizeof(h));
	h.name = XFF_NAME;
	MHD_get_connection_values(con, MHD_HEADER_KIND, collect, &h);
	if (h.n > 0) {
		r = h.over ? ERR_TOO_BIG
			   : srv_xff_client(&s->proxies, h.vals, h.lens, h.n, &client);
		if (r == 0)
			srv_ip_str(&client, out->remote, sizeof(out->remote));
		else
			LOG_DEBUG(s->lg, "X-Forwarded-For from trusted proxy %s not used (%s)",
				  out->peer,
				  r == ERR_TOO_BIG ? "over the caps"
				  : r == ERR_PARSE ? "not an address list"
						   : "only trusted proxies");
	}
	/* Only one X-Forwarded-Proto, exactly "https": the proxy replaced
	 * whatever the client sent (proxy_set_header does). */
	memset(&h, 0, sizeof(h));
	h.name = XFP_NAME;
	MHD_get_connection_values(con, MHD_HEADER_KIND, collect, &h);
	if (h.n == 1 && h.lens[0] == 5 && strncasecmp(h.vals[0], "https", 5) == 0)
		out->https = 1;
}
