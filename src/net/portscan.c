/*
 * portscan.c: the asynchronous TCP connect scanner. Non-blocking connect()
 * on up to `concurrency` sockets at once, epoll for the answers, a FIFO of
 * deadlines for timeouts, per-target token buckets for the rate limit and
 * a bounded retry pool; memory grows with concurrency, never with ports.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"
#include "net/net_int.h"

#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL
#define EVENTS_MAX 512
#define WAIT_MAX_MS 100 /* cancellation latency bound */
#define PROGRESS_EVERY_NS (100 * NS_PER_MS)
#define FD_RESERVE 128 /* descriptors left for the rest of the process */
#define BACKOFF_MIN_MS 10
#define BACKOFF_MAX_MS 1000
#define STALL_MAX 60 /* resource failures in a row with nothing in flight */

/* A socket in flight; linked in launch order, which is deadline order. */
struct slot {
	int fd;
	int prev, next;
	uint32_t target;
	uint16_t port;
	uint8_t attempt;
	int64_t start_ns;
	int64_t deadline_ns;
};

/* A port waiting for its next attempt; one FIFO for all targets. */
struct retry {
	uint32_t target;
	uint16_t port;
	uint8_t attempt;
	int next;
};

struct tstate {
	size_t next_port; /* index of the next fresh probe in ports[] */
	int active;	  /* listed in scan.active (fresh ports left) */
	double tokens;
	int64_t refill_ns;
	size_t cap_open;
};

struct scan {
	const struct net_target *t;
	size_t nt;
	const uint16_t *ports;
	size_t np;
	const struct net_scan_opts *o;
	struct net_port_result *res;
	struct logger *lg;
	int ep;
	int timeout_ms, retries, rate;
	double burst;
	struct slot *slots;
	int nslots, slot_free, head, tail, in_flight;
	int limit; /* in-flight cap now; lowered on EMFILE and friends */
	struct retry *rq;
	int rq_free, rq_count, rq_head, rq_tail;
	struct tstate *ts;
	size_t *active;
	size_t nactive, rr;
	size_t done, total;
	int64_t backoff_until_ns;
	int backoff_ms, stalls, warned;
	int spare4, spare6; /* refused sockets kept for reuse, or -1 */
	int64_t last_progress_ns;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/*
 * portscan_fd_budget: how many sockets may be in flight: the soft
 * RLIMIT_NOFILE, raised to the hard limit first, minus a reserve.
 */
TESTABLE int portscan_fd_budget(int want, struct logger *lg)
{
	struct rlimit rl;
	rlim_t soft;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return want < 256 ? want : 256;
	soft = rl.rlim_cur;
	if ((rlim_t)want + FD_RESERVE > soft && rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = rl;

		up.rlim_cur = rl.rlim_max == RLIM_INFINITY ? (rlim_t)1 << 20 : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			soft = up.rlim_cur;
		else
			LOG_DEBUG(lg, "cannot raise the descriptor limit errno=%d", errno);
	}
	if (soft > (rlim_t)want + FD_RESERVE)
		return want;
	if (soft > 2 * FD_RESERVE)
		return (int)(soft - FD_RESERVE);
	return soft / 2 > 1 ? ((rlim_t)want < soft / 2 ? want : (int)(soft / 2)) : 1;
}

/* ------------------------------------------------------------- results */

static int record_open(struct scan *s, size_t ti, uint16_t port)
{
	struct net_port_target_result *r = &s->res->t[ti];
	struct tstate *ts = &s->ts[ti];

	if (r->n_open == ts->cap_open) {
		size_t cap = ts->cap_open ? 2 * ts->cap_open : 16;
		uint16_t *p;

		if (cap > s->np)
			cap = s->np;
		p = realloc(r->open, cap * sizeof(*p));
		if (!p)
			return ERR_NOMEM;
		r->open = p;
		ts->cap_open = cap;
	}
	r->open[r->n_open++] = port;
	s->res->open++;
	return 0;
}

enum verdict { V_OPEN, V_CLOSED, V_FILTERED, V_ERROR };

static int decide(struct scan *s, size_t ti, uint16_t port, enum verdict v, int e, int64_t rtt)
{
	struct net_port_target_result *r = &s->res->t[ti];
	int ret = 0;

	s->done++;
	if (s->limit < s->nslots)
		s->limit++;
	switch (v) {
	case V_OPEN:
		ret = record_open(s, ti, port);
		if (ret == 0 && s->o->on_open)
			s->o->on_open(s->o->on_open_arg, ti, port, (int)(rtt / NS_PER_MS));
		break;
	case V_CLOSED:
		r->closed++;
		s->res->closed++;
		break;
	case V_FILTERED:
		r->filtered++;
		s->res->filtered++;
		break;
	case V_ERROR:
		r->errors++;
		s->res->errors++;
		if (!r->first_error) {
			r->first_error = err_from_errno(e);
			r->first_errno = e;
			LOG_INFO(s->lg, "connect failed locally target=%s port=%u errno=%d",
				 s->t[ti].name, port, e);
		}
		break;
	}
	return ret;
}

/* ---------------------------------------------------------------- slots */

static void slot_unlink(struct scan *s, int i)
{
	struct slot *sl = &s->slots[i];

	if (sl->prev >= 0)
		s->slots[sl->prev].next = sl->next;
	else
		s->head = sl->next;
	if (sl->next >= 0)
		s->slots[sl->next].prev = sl->prev;
	else
		s->tail = sl->prev;
}

/* slot_free: close the socket (which also leaves the epoll set). */
static void slot_free(struct scan *s, int i)
{
	struct slot *sl = &s->slots[i];

	slot_unlink(s, i);
	close(sl->fd);
	sl->fd = -1;
	sl->next = s->slot_free;
	s->slot_free = i;
	s->in_flight--;
}

static void slot_append(struct scan *s, int i)
{
	struct slot *sl = &s->slots[i];

	sl->prev = s->tail;
	sl->next = -1;
	if (s->tail >= 0)
		s->slots[s->tail].next = i;
	else
		s->head = i;
	s->tail = i;
}

/* ---------------------------------------------------------------- retries */

static void activate(struct scan *s, size_t ti)
{
	if (!s->ts[ti].active) {
		s->ts[ti].active = 1;
		s->active[s->nactive++] = ti;
	}
}

/* retry_push: queue another attempt; front = 1 puts it first (a launch
 * that failed for lack of resources keeps its place). */
static void retry_push(struct scan *s, size_t ti, uint16_t port, uint8_t attempt, int front)
{
	int i = s->rq_free;
	struct retry *q = &s->rq[i];

	s->rq_free = q->next;
	q->target = (uint32_t)ti;
	q->port = port;
	q->attempt = attempt;
	q->next = -1;
	if (s->rq_head < 0) {
		s->rq_head = s->rq_tail = i;
	} else if (front) {
		q->next = s->rq_head;
		s->rq_head = i;
	} else {
		s->rq[s->rq_tail].next = i;
		s->rq_tail = i;
	}
	s->rq_count++;
}

/* retry_unlink: take entry i (after prev, or the head when prev < 0). */
static void retry_unlink(struct scan *s, int prev, int i)
{
	int next = s->rq[i].next;

	if (prev >= 0)
		s->rq[prev].next = next;
	else
		s->rq_head = next;
	if (s->rq_tail == i)
		s->rq_tail = prev;
	s->rq[i].next = s->rq_free;
	s->rq_free = i;
	s->rq_count--;
}

/* ------------------------------------------------------------ rate limit */

static int take_token(struct scan *s, struct tstate *ts, int64_t now)
{
	if (s->rate <= 0)
		return 1;
	ts->tokens += (double)(now - ts->refill_ns) * s->rate / NS_PER_S;
	if (ts->tokens > s->burst)
		ts->tokens = s->burst;
	ts->refill_ns = now;
	if (ts->tokens < 1.0)
		return 0;
	ts->tokens -= 1.0;
	return 1;
}

/* token_at: when the target's next token is due. */
static int64_t token_at(const struct scan *s, const struct tstate *ts)
{
	if (s->rate <= 0 || ts->tokens >= 1.0)
		return 0;
	return ts->refill_ns + (int64_t)((1.0 - ts->tokens) * NS_PER_S / s->rate) + 1;
}

/* -------------------------------------------------------------- probing */

static int errno_is_resource(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM || e == EADDRNOTAVAIL ||
	       e == EAGAIN || e == ENOSPC;
}

/* errno_is_filtered: an answer that means "something in the way". */
static int errno_is_filtered(int e)
{
	return e == ETIMEDOUT || e == EHOSTUNREACH || e == EHOSTDOWN || e == ENONET ||
	       e == ENETUNREACH;
}

/* portscan_self_connect: on loopback an ephemeral port can equal the target port
 * and TCP's simultaneous open connects the socket to itself. */
TESTABLE int portscan_self_connect(int fd)
{
	struct sockaddr_storage a, b;
	socklen_t la = sizeof(a), lb = sizeof(b);

	if (getsockname(fd, (struct sockaddr *)&a, &la) != 0 ||
	    getpeername(fd, (struct sockaddr *)&b, &lb) != 0)
		return 0;
	return la == lb && memcmp(&a, &b, la) == 0;
}

static enum verdict verdict_of(int e)
{
	if (e == 0)
		return V_OPEN;
	if (e == ECONNREFUSED || e == ECONNRESET)
		return V_CLOSED;
	if (errno_is_filtered(e))
		return V_FILTERED;
	return V_ERROR;
}

/*
 * new_socket: a socket for family af: a spare one (a socket whose last
 * connect was refused can connect again on Linux; that saves a socket()
 * and a close() per closed port, most of a full-range scan) or a new one.
 */
static int new_socket(struct scan *s, int af, int *reused)
{
	int *spare = af == AF_INET ? &s->spare4 : &s->spare6, fd;

	if (*spare >= 0) {
		fd = *spare;
		*spare = -1;
		*reused = 1;
		return fd;
	}
	*reused = 0;
	return socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

/*
 * put_socket: keep a refused socket as the spare, or close it. The socket
 * layer still thinks it is connecting; connect(AF_UNSPEC) dissolves that
 * association so the next connect() starts afresh.
 */
static void put_socket(struct scan *s, int af, int fd)
{
	int *spare = af == AF_INET ? &s->spare4 : &s->spare6;
	struct sockaddr sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNSPEC;
	if (*spare < 0 && connect(fd, &sa, sizeof(sa)) == 0)
		*spare = fd;
	else
		close(fd);
}

/* watch: put an in-flight socket into a slot and the epoll set. */
static int watch(struct scan *s, int fd, size_t ti, uint16_t port, uint8_t attempt, int64_t now)
{
	struct epoll_event ev;
	struct slot *sl;
	int i = s->slot_free;

	sl = &s->slots[i];
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT;
	ev.data.u32 = (uint32_t)i;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
		return errno;
	s->slot_free = sl->next;
	sl->fd = fd;
	sl->target = (uint32_t)ti;
	sl->port = port;
	sl->attempt = attempt;
	sl->start_ns = now;
	sl->deadline_ns = now + (int64_t)s->timeout_ms * NS_PER_MS;
	slot_append(s, i);
	s->in_flight++;
	return 0;
}

/*
 * try_connect: connect() fd to a; returns 0 when in progress, else the
 * errno of the failure (ECONNREFUSED when refused). On loopback and fast
 * networks the answer is often already there when connect() returns, so
 * SO_ERROR is read at once: a refused port then costs no epoll round.
 */
static int try_connect(int fd, const struct net_addr *a, int *connected, int *local)
{
	socklen_t len = sizeof(int);
	int e = 0;

	*connected = 0;
	*local = 0;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0) {
		*connected = 1;
		return 0;
	}
	if (errno != EINPROGRESS) {
		*local = 1;
		return errno;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
		return 0;
	return e;
}

/*
 * probe_start: one connect(). Returns 0 when the probe is in flight or
 * already decided, 1 when the system ran out of something (descriptors,
 * ports, buffers) and the probe must wait, or a fatal ERR_ code.
 */
static int probe_start(struct scan *s, size_t ti, uint16_t port, uint8_t attempt, int64_t now,
		       int *eno)
{
	struct net_addr a = s->t[ti].addr;
	int af = a.ss.ss_family, fd, e, reused, connected, local;

	net_addr_set_port(&a, port);
	fd = new_socket(s, af, &reused);
	if (fd < 0) {
		*eno = errno;
		return errno_is_resource(*eno) ? 1 : decide(s, ti, port, V_ERROR, *eno, 0);
	}
	s->res->probes++;
	e = try_connect(fd, &a, &connected, &local);
	if (e != 0 && e != ECONNREFUSED && reused) {
		/* A spare that will not connect again: fall back to a new one. */
		close(fd);
		fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			*eno = errno;
			return errno_is_resource(*eno) ? 1 : decide(s, ti, port, V_ERROR, *eno, 0);
		}
		e = try_connect(fd, &a, &connected, &local);
	}
	if (connected) {
		e = portscan_self_connect(fd) ? ECONNREFUSED : 0;
		close(fd);
		return decide(s, ti, port, verdict_of(e), e, now_ns() - now);
	}
	if (e == ECONNREFUSED) {
		put_socket(s, af, fd);
		return decide(s, ti, port, V_CLOSED, e, 0);
	}
	if (e == 0)
		e = watch(s, fd, ti, port, attempt, now);
	if (e == 0)
		return 0;
	close(fd);
	*eno = e;
	if (errno_is_resource(e))
		return 1;
	/*
	 * connect() itself failing is a local matter (no route, a broadcast
	 * address, not permitted) unless it names the host as unreachable;
	 * an error read from SO_ERROR is the network's answer.
	 */
	if (local && e != EHOSTUNREACH && e != EHOSTDOWN)
		return decide(s, ti, port, V_ERROR, e, 0);
	return decide(s, ti, port, verdict_of(e), e, 0);
}

static void backoff(struct scan *s, int e, int64_t now)
{
	s->limit = s->in_flight > 0 ? s->in_flight : 1;
	s->backoff_until_ns = now + (int64_t)s->backoff_ms * NS_PER_MS;
	if (s->backoff_ms < BACKOFF_MAX_MS)
		s->backoff_ms *= 2;
	if (s->in_flight == 0)
		s->stalls++;
	if (!s->warned) {
		s->warned = 1;
		LOG_WARN(s->lg, "out of sockets, slowing down in_flight=%d errno=%d", s->in_flight,
			 e);
	}
}

static void deactivate(struct scan *s, size_t k)
{
	s->ts[s->active[k]].active = 0;
	s->active[k] = s->active[--s->nactive];
}

/*
 * start: one probe with the resource bookkeeping around probe_start.
 * Returns 0 when started or decided, 1 when it was put back for lack of
 * resources (launching stops for a while), or an ERR_ code.
 */
static int start(struct scan *s, size_t ti, uint16_t port, uint8_t attempt, int fresh, int64_t now)
{
	int e = 0, r = probe_start(s, ti, port, attempt, now, &e);

	if (r != 1) {
		if (r == 0) {
			s->backoff_ms = BACKOFF_MIN_MS;
			s->stalls = 0;
		}
		return r;
	}
	if (fresh)
		s->ts[ti].next_port--;
	else
		retry_push(s, ti, port, attempt, 1);
	if (s->rate > 0)
		s->ts[ti].tokens += 1.0;
	backoff(s, e, now);
	return s->stalls > STALL_MAX ? err_from_errno(e) : 1;
}

/*
 * launch_retries: queued attempts go first and need no room under the
 * fresh-probe budget (so in_flight + queued retries never exceeds nslots).
 * Entries of a target that is out of tokens are skipped, not blocking.
 */
static int launch_retries(struct scan *s, int64_t now)
{
	int i = s->rq_head, prev = -1, r;

	while (i >= 0 && s->in_flight < s->limit) {
		struct retry q = s->rq[i];

		if (!take_token(s, &s->ts[q.target], now)) {
			prev = i;
			i = q.next;
			continue;
		}
		retry_unlink(s, prev, i);
		r = start(s, q.target, q.port, q.attempt, 0, now);
		if (r)
			return r == 1 ? 0 : r;
		i = q.next;
	}
	return 0;
}

/*
 * launch: start probes until the in-flight cap is reached. Retries first,
 * then fresh ports with targets taking turns, one probe each, so a slow
 * target never holds up the others. Under a rate limit the target whose
 * turn it is has waited longest for its token; when even it has none,
 * launching pauses until wait_ms says the token is due. O(1) per probe.
 */
static int launch(struct scan *s, int64_t now)
{
	int r;

	if (now < s->backoff_until_ns)
		return 0;
	if (s->rq_count > 0 && (r = launch_retries(s, now)) != 0)
		return r;
	while (s->nactive > 0 && s->in_flight + s->rq_count < s->limit &&
	       now >= s->backoff_until_ns) {
		size_t k = s->rr % s->nactive, ti = s->active[k];
		struct tstate *ts = &s->ts[ti];

		if (ts->next_port >= s->np) {
			deactivate(s, k);
			continue;
		}
		if (!take_token(s, ts, now))
			break;
		r = start(s, ti, s->ports[ts->next_port++], 0, 1, now);
		if (r)
			return r == 1 ? 0 : r;
		s->rr++;
	}
	return 0;
}

/* complete: the socket in slot i became writable or failed. */
static int complete(struct scan *s, int i, int64_t now)
{
	struct slot *sl = &s->slots[i];
	size_t ti = sl->target;
	uint16_t port = sl->port;
	int64_t rtt = now - sl->start_ns;
	socklen_t len = sizeof(int);
	int e = 0;

	if (getsockopt(sl->fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
		e = errno;
	else if (e == 0 && portscan_self_connect(sl->fd))
		e = ECONNREFUSED;
	slot_free(s, i);
	return decide(s, ti, port, verdict_of(e), e, rtt);
}

/* expire: probes past their deadline are retried or called filtered. */
static int expire(struct scan *s, int64_t now)
{
	int r = 0;

	while (s->head >= 0 && s->slots[s->head].deadline_ns <= now) {
		int i = s->head;
		size_t ti = s->slots[i].target;
		uint16_t port = s->slots[i].port;
		uint8_t attempt = s->slots[i].attempt;

		slot_free(s, i);
		if (attempt < s->retries)
			retry_push(s, ti, port, (uint8_t)(attempt + 1), 0);
		else if ((r = decide(s, ti, port, V_FILTERED, ETIMEDOUT, 0)) != 0)
			break;
	}
	return r;
}

/* wait_ms: how long epoll may sleep: until the first deadline, the next
 * token, the end of a back-off, and never more than WAIT_MAX_MS. */
static int wait_ms(struct scan *s, int64_t now)
{
	int64_t until = now + WAIT_MAX_MS * NS_PER_MS, w;

	if (s->head >= 0 && s->slots[s->head].deadline_ns < until)
		until = s->slots[s->head].deadline_ns;
	if (s->backoff_until_ns > now && s->backoff_until_ns < until)
		until = s->backoff_until_ns;
	if (s->rate > 0 && s->in_flight < s->limit && now >= s->backoff_until_ns) {
		int i;

		if (s->nactive > 0 && s->in_flight + s->rq_count < s->limit) {
			int64_t t = token_at(s, &s->ts[s->active[s->rr % s->nactive]]);

			if (t && t < until)
				until = t;
		}
		for (i = s->rq_head; i >= 0; i = s->rq[i].next) {
			int64_t t = token_at(s, &s->ts[s->rq[i].target]);

			if (t && t < until)
				until = t;
		}
	}
	w = until - now;
	if (w <= 0)
		return 0;
	return (int)((w + NS_PER_MS - 1) / NS_PER_MS);
}

static void progress(struct scan *s, int64_t now, int force)
{
	if (!s->o->progress || (!force && now - s->last_progress_ns < PROGRESS_EVERY_NS))
		return;
	s->last_progress_ns = now;
	s->o->progress(s->o->progress_arg, s->done, s->total);
}

static int scan_loop(struct scan *s)
{
	struct epoll_event ev[EVENTS_MAX];
	int64_t now = now_ns();
	int r, n, i;

	while (s->done < s->total) {
		if (s->o->cancel && *s->o->cancel)
			return ERR_CANCELED;
		r = expire(s, now);
		if (r == 0)
			r = launch(s, now);
		if (r)
			return r;
		n = epoll_wait(s->ep, ev, EVENTS_MAX, s->done < s->total ? wait_ms(s, now) : 0);
		if (n < 0 && errno != EINTR)
			return ERR_IO;
		now = now_ns();
		for (i = 0; i < n; i++)
			if ((r = complete(s, (int)ev[i].data.u32, now)) != 0)
				return r;
		progress(s, now, 0);
	}
	return 0;
}

/* ------------------------------------------------------------- set-up */

static int scan_init(struct scan *s, const struct net_scan_opts *o, struct logger *lg)
{
	int want = o->concurrency > 0 ? o->concurrency : NET_SCAN_DEFAULT_CONCURRENCY;
	size_t k;
	int i;

	if ((size_t)want > s->total)
		want = (int)s->total;
	s->nslots = portscan_fd_budget(want, lg);
	s->limit = s->nslots;
	s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : NET_SCAN_DEFAULT_TIMEOUT_MS;
	s->retries = o->retries > 0 ? (o->retries > 250 ? 250 : o->retries) : 0;
	s->rate = o->rate_per_target > 0 ? o->rate_per_target : 0;
	s->burst = s->rate / 50 > 1 ? s->rate / 50 : 1;
	s->backoff_ms = BACKOFF_MIN_MS;
	s->head = s->tail = -1;
	s->slots = calloc((size_t)s->nslots, sizeof(*s->slots));
	for (i = 0; s->slots && i < s->nslots; i++)
		s->slots[i].fd = -1; /* before anything can fail: release closes fds */
	s->rq = calloc((size_t)s->nslots, sizeof(*s->rq));
	s->ts = calloc(s->nt, sizeof(*s->ts));
	s->active = calloc(s->nt, sizeof(*s->active));
	s->res->t = calloc(s->nt, sizeof(*s->res->t));
	if (!s->slots || !s->rq || !s->ts || !s->active || !s->res->t)
		return ERR_NOMEM;
	s->res->nt = s->nt;
	s->res->concurrency = s->nslots;
	for (i = 0; i < s->nslots; i++) {
		s->slots[i].next = i + 1 < s->nslots ? i + 1 : -1;
		s->rq[i].next = i + 1 < s->nslots ? i + 1 : -1;
	}
	s->slot_free = s->rq_free = 0;
	s->rq_head = s->rq_tail = -1;
	for (k = 0; k < s->nt; k++) {
		s->ts[k].tokens = s->burst;
		s->ts[k].refill_ns = now_ns();
		activate(s, k);
	}
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	return s->ep < 0 ? err_from_errno(errno) : 0;
}

static void scan_release(struct scan *s)
{
	int i;

	if (s->slots)
		for (i = 0; i < s->nslots; i++)
			if (s->slots[i].fd >= 0)
				close(s->slots[i].fd);
	if (s->ep >= 0)
		close(s->ep);
	if (s->spare4 >= 0)
		close(s->spare4);
	if (s->spare6 >= 0)
		close(s->spare6);
	free(s->slots);
	free(s->rq);
	free(s->ts);
	free(s->active);
}

static int cmp_port(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

void net_port_result_release(struct net_port_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; res->t && i < res->nt; i++)
		free(res->t[i].open);
	free(res->t);
	memset(res, 0, sizeof(*res));
}

int net_portscan(const struct net_target *t, size_t nt, const uint16_t *ports, size_t np,
		 const struct net_scan_opts *o, struct net_port_result *res, struct logger *lg)
{
	static const struct net_scan_opts defaults;
	struct scan s;
	int64_t start = now_ns();
	size_t k;
	int r;

	memset(res, 0, sizeof(*res));
	if (!t || !ports || nt == 0 || np == 0 || nt > UINT32_MAX || np > 65535)
		return ERR_INVAL;
	memset(&s, 0, sizeof(s));
	s.t = t;
	s.nt = nt;
	s.ports = ports;
	s.np = np;
	s.o = o ? o : &defaults;
	s.res = res;
	s.lg = lg;
	s.ep = -1;
	s.spare4 = s.spare6 = -1;
	s.total = nt * np;
	r = scan_init(&s, s.o, lg);
	if (r == 0) {
		LOG_DEBUG(lg, "port scan starting targets=%zu ports=%zu concurrency=%d", nt, np,
			  s.nslots);
		r = scan_loop(&s);
	}
	scan_release(&s);
	if (r != 0 && r != ERR_CANCELED) {
		net_port_result_release(res);
		return r;
	}
	for (k = 0; k < nt; k++)
		if (res->t[k].n_open > 1)
			qsort(res->t[k].open, res->t[k].n_open, sizeof(uint16_t), cmp_port);
	res->complete = r == 0;
	res->elapsed_ms = (now_ns() - start) / NS_PER_MS;
	if (r == 0)
		progress(&s, now_ns(), 1);
	LOG_DEBUG(lg, "port scan done open=%zu closed=%zu filtered=%zu errors=%zu ms=%lld",
		  res->open, res->closed, res->filtered, res->errors, (long long)res->elapsed_ms);
	return r;
}
