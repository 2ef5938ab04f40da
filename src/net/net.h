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

/* ---------------------------------------------------------------- targets */

/*
 * struct net_target: one address to scan. name is the spec as given for a
 * single literal, the address itself for a member of a CIDR block, or the
 * host name for a resolved name (one entry per A/AAAA address).
 */
struct net_target {
	char name[256];
	struct net_addr addr; /* port 0 */
};

#define NET_TARGETS_DEFAULT_MAX 65536

enum net_targets_flag {
	NET_TARGETS_NO_RESOLVE = 1 << 0, /* literals and CIDR only: no DNS */
	NET_TARGETS_ANY_PREFIX = 1 << 1, /* allow v4 blocks > /16, v6 > /112 */
};

/*
 * net_targets_expand: expand spec into targets. spec is an IPv4 or IPv6
 * literal (IPv6 optionally in brackets), a CIDR block ("10.0.0.0/24",
 * "2001:db8::/120"; every address of the block, network and broadcast
 * included, like nmap; host bits are ignored) or a host name, resolved with
 * getaddrinfo() to all its A and AAAA addresses (duplicates dropped). No
 * traffic besides what getaddrinfo() does.
 * Limits: IPv4 blocks of /16 or smaller and IPv6 blocks of /112 or smaller,
 * and at most max_targets results (<= 0: NET_TARGETS_DEFAULT_MAX); more is
 * ERR_TOO_BIG, checked before anything is allocated.
 * Errors: ERR_PARSE (bad syntax), ERR_TOO_BIG, ERR_RESOLVE (the resolver's
 * message in err), ERR_NOMEM. err (may be NULL) receives one line that names
 * the bad input. On success *out is a malloc'd array of *n >= 1 entries that
 * the caller free()s; on error *out and *n are untouched.
 * Thread safe (getaddrinfo is).
 */
int net_targets_expand(const char *spec, int max_targets, struct net_target **out, size_t *n,
		       struct buf *err) WUR;
/* net_targets_expand_flags: the same with net_targets_flag bits. */
int net_targets_expand_flags(const char *spec, int max_targets, unsigned flags,
			     struct net_target **out, size_t *n, struct buf *err) WUR;

/* ------------------------------------------------------------------ ports */

/*
 * net_ports_parse: a port list. spec is a comma separated list of items:
 * "top<N>" (N in 1..1000: the N most frequent TCP ports of nmap-services,
 * most frequent first; "top100" and "top1000" are the usual ones), "all" or
 * "-" (1-65535), a port "443", a range "8000-8100", "-1024" (1-1024) or
 * "60000-" (60000-65535). Duplicates are dropped, first occurrence order
 * kept. Port 0 is refused. Spaces around items are allowed.
 * Errors: ERR_PARSE/ERR_RANGE with the bad item named in err (may be NULL),
 * ERR_NOMEM. On success *ports is a malloc'd array of *n >= 1 ports (caller
 * free()s); on error *ports and *n are untouched. Thread safe.
 */
int net_ports_parse(const char *spec, uint16_t **ports, size_t *n, struct buf *err) WUR;
/* net_ports_top: the nmap top-1000 TCP table, most frequent first; *n = 1000. */
const uint16_t *net_ports_top(size_t *n);

/* ---------------------------------------------------------------- scanner */

#define NET_SCAN_DEFAULT_CONCURRENCY 2048
#define NET_SCAN_DEFAULT_TIMEOUT_MS 1000

/*
 * struct net_scan_opts: zero-initialised means the defaults. Callbacks run
 * on the scanning thread and must not call net_portscan.
 */
struct net_scan_opts {
	int concurrency;	       /* sockets in flight; 0 = 2048; capped by RLIMIT_NOFILE */
	int rate_per_target;	       /* new connects per second per target; 0 = unlimited */
	int timeout_ms;		       /* per connect attempt; 0 = 1000 */
	int retries;		       /* extra attempts after a timeout; < 0 = 0 */
	volatile sig_atomic_t *cancel; /* non-zero: stop soon, ERR_CANCELED */
	void (*progress)(void *arg, size_t done,
			 size_t total); /* <= 10 per second, and at the end */
	void *progress_arg;
	void (*on_open)(void *arg, size_t target_idx, uint16_t port, int rtt_ms);
	void *on_open_arg;
};

/* struct net_port_target_result: what one target answered. */
struct net_port_target_result {
	uint16_t *open; /* sorted ascending, n_open entries (NULL when none) */
	size_t n_open;
	size_t closed;	 /* answered with RST */
	size_t filtered; /* no answer after all retries, or ICMP unreachable */
	size_t errors;	 /* local failures (no route, not permitted, ...) */
	int first_error; /* ERR_ code of the first local failure, 0 if none */
	int first_errno; /* its errno, for a message */
};

struct net_port_result {
	struct net_port_target_result *t; /* nt entries, in target order */
	size_t nt;
	size_t open, closed, filtered, errors; /* totals */
	size_t probes;			       /* connect attempts made, retries included */
	int concurrency;		       /* sockets in flight actually allowed */
	int64_t elapsed_ms;
	int complete; /* 1 when every port of every target was decided */
};

/*
 * net_portscan: TCP connect scan of ports[0..np) on each of t[0..nt) with
 * non-blocking sockets and epoll. A port is open when the handshake
 * completes (the connection is then closed normally), closed on RST,
 * filtered when no answer comes within timeout_ms after 1 + retries
 * attempts or an ICMP unreachable arrives. Memory is bounded by
 * concurrency and the open ports found, not by nt * np. Raises the soft
 * RLIMIT_NOFILE to the hard limit (process wide) when concurrency needs it.
 * res is filled on success and, with partial results and complete = 0, on
 * ERR_CANCELED; release it with net_port_result_release in both cases (it
 * is zeroed on other errors, so releasing is always safe).
 * Errors: ERR_CANCELED, ERR_INVAL, ERR_NOMEM, ERR_IO (epoll failed).
 * Per-port failures never fail the scan: they are counted in res.
 * Thread safe for distinct res (no shared state besides the rlimit).
 */
int net_portscan(const struct net_target *t, size_t nt, const uint16_t *ports, size_t np,
		 const struct net_scan_opts *o, struct net_port_result *res, struct logger *lg) WUR;
void net_port_result_release(struct net_port_result *res);

/*
 * net_portscan_cli: the "wachter portscan" subcommand. argv[0] is the
 * subcommand name. Usage:
 *   portscan [--ports SPEC] [--format text|json] [--concurrency N]
 *            [--rate N] [--timeout MS] [--retries N] [--max-targets N]
 *            [--progress] TARGET...
 * Options and targets may be mixed ("--" ends the options); like getopt,
 * this reorders the pointers in argv. Prints open ports ("ADDR PORT" per line, or one JSON
 * document) to out and problems (unresolvable target, filtered or failing ports) to errf, one line
 * each. SIGINT/SIGTERM cancel the scan. Returns the exit status: 0 all targets scanned, 1 some
 * target failed or the scan was cancelled, 2 usage.
 */
int net_portscan_cli(int argc, char **argv, FILE *out, FILE *errf);

#endif
