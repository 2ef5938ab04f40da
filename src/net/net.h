/*
 * net.h: addresses, connections with deadlines and size-capped reads, and
 * the asynchronous TCP connect scanner. Every read from the network has a
 * deadline and a byte cap; nothing here blocks without a timeout.
 */
#ifndef WACHTER_NET_H
#define WACHTER_NET_H

#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/core.h"

/* ------------------------------------------------------------- addresses */

#define NET_ADDRSTR_MAX 64 /* INET6_ADDRSTRLEN plus brackets, with margin */

struct net_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* net_addr_parse: numeric IPv4 or IPv6 literal (no brackets) with port. */
int net_addr_parse(const char *ip, uint16_t port, struct net_addr *out) WUR;
void net_addr_set_port(struct net_addr *a, uint16_t port);
uint16_t net_addr_port(const struct net_addr *a);
/* net_addr_str: "127.0.0.1" or "::1" (no port) into out[NET_ADDRSTR_MAX]. */
void net_addr_str(const struct net_addr *a, char out[NET_ADDRSTR_MAX]);

/* ------------------------------------------------------------ connections */

/*
 * struct net_conn: a connected TCP socket with a deadline for every
 * operation. Not thread safe; one owner.
 */
struct net_conn {
	int fd;
	int timeout_ms; /* per operation */
	struct net_addr peer;
};

/*
 * net_connect: non-blocking connect with timeout_ms; ERR_CONN (refused or
 * reset), ERR_TIMEOUT (filtered), ERR_IO. On success c is ready.
 */
int net_connect(const struct net_addr *a, int timeout_ms, struct net_conn *c) WUR;
void net_close(struct net_conn *c);
/* net_send_all: write all of data before the deadline. */
int net_send_all(struct net_conn *c, const void *data, size_t len) WUR;
/*
 * net_recv_some: wait up to timeout_ms for data and append at most max
 * bytes to out (out->max caps the total). ERR_EOF when the peer closed
 * with nothing read, ERR_TIMEOUT when nothing came.
 */
int net_recv_some(struct net_conn *c, struct buf *out, size_t max) WUR;
/*
 * net_recv_until: read until done(out, arg) returns 1, the peer closes,
 * out->len reaches cap (ERR_TOO_BIG) or the total deadline passes
 * (ERR_TIMEOUT). Data read stays in out in every case.
 */
int net_recv_until(struct net_conn *c, struct buf *out, size_t cap, int total_ms,
		   int (*done)(const struct buf *out, void *arg), void *arg) WUR;
/* net_recv_line_done: a done() for net_recv_until: a '\n' was received. */
int net_recv_line_done(const struct buf *out, void *arg);

#endif
