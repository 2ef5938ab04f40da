/*
 * test_net_portscan.c: the connect scanner against sockets this test opens
 * itself on 127.0.0.1 and ::1: exact open/closed results, filtered ports
 * (a listener whose accept queue is full drops SYNs), retries, the rate
 * limit, cancellation, local errors, descriptor exhaustion. Never leaves
 * 127.0.0.0/8 and ::1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "net/net.h"
#include "net/net_int.h"

/* listen_on: a listening socket on ip, port chosen by the kernel. */
static int listen_on(const char *ip, int backlog, uint16_t *port)
{
	struct net_addr a;
	int fd;

	assert_int_equal(net_addr_parse(ip, 0, &a), 0);
	fd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a.ss, a.len), 0);
	assert_int_equal(listen(fd, backlog), 0);
	a.len = sizeof(a.ss);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a.ss, &a.len), 0);
	*port = net_addr_port(&a);
	return fd;
}

/* closed_port: a port that nothing listens on (bound once, then freed). */
static uint16_t closed_port(const char *ip)
{
	uint16_t p;
	int fd = listen_on(ip, 1, &p);

	close(fd);
	return p;
}

/*
 * full_listener: a listener whose accept queue is full (backlog 0 holds
 * one connection, which *client takes), so further SYNs are dropped and a
 * connect to it times out: a filtered port without a firewall.
 */
static int full_listener(const char *ip, uint16_t *port, int *client)
{
	struct net_addr a;
	int fd = listen_on(ip, 0, port);

	assert_int_equal(net_addr_parse(ip, *port, &a), 0);
	*client = socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(*client >= 0);
	assert_int_equal(connect(*client, (struct sockaddr *)&a.ss, a.len), 0);
	usleep(20000);
	return fd;
}

static void target(struct net_target *t, const char *ip)
{
	memset(t, 0, sizeof(*t));
	assert_int_equal(net_addr_parse(ip, 0, &t->addr), 0);
	str_lcpy(t->name, ip, sizeof(t->name));
}

struct seen {
	uint16_t ports[64];
	size_t n;
	size_t last_target;
};

static void on_open(void *arg, size_t ti, uint16_t port, int rtt_ms)
{
	struct seen *s = arg;

	assert_true(rtt_ms >= 0);
	if (s->n < ARRAY_SIZE(s->ports))
		s->ports[s->n++] = port;
	s->last_target = ti;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* scan_exact: open listeners and closed ports on ip; the scan must report
 * exactly the listeners as open, in ascending order. */
static void scan_exact(const char *ip, int concurrency)
{
	enum { NOPEN = 4, NCLOSED = 40 };
	struct net_scan_opts o = {.concurrency = concurrency, .timeout_ms = 2000};
	uint16_t ports[NOPEN + NCLOSED], open[NOPEN];
	struct net_port_result res;
	struct net_target t;
	struct seen seen = {0};
	int fds[NOPEN], i;

	for (i = 0; i < NOPEN; i++)
		fds[i] = listen_on(ip, 64, &open[i]);
	for (i = 0; i < NCLOSED; i++)
		ports[i] = closed_port(ip);
	for (i = 0; i < NOPEN; i++)
		ports[NCLOSED + i] = open[NOPEN - 1 - i];
	qsort(open, NOPEN, sizeof(open[0]), cmp_u16);
	target(&t, ip);
	o.on_open = on_open;
	o.on_open_arg = &seen;
	assert_int_equal(net_portscan(&t, 1, ports, ARRAY_SIZE(ports), &o, &res, NULL), 0);
	assert_int_equal(res.nt, 1);
	assert_int_equal(res.complete, 1);
	assert_int_equal(res.t[0].n_open, NOPEN);
	for (i = 0; i < NOPEN; i++)
		assert_int_equal(res.t[0].open[i], open[i]);
	assert_int_equal(res.t[0].closed, NCLOSED);
	assert_int_equal(res.t[0].filtered, 0);
	assert_int_equal(res.t[0].errors, 0);
	assert_int_equal(res.open, NOPEN);
	assert_int_equal(res.closed, NCLOSED);
	assert_int_equal(res.probes, ARRAY_SIZE(ports));
	assert_int_equal(seen.n, NOPEN);
	qsort(seen.ports, seen.n, sizeof(seen.ports[0]), cmp_u16);
	for (i = 0; i < NOPEN; i++)
		assert_int_equal(seen.ports[i], open[i]);
	net_port_result_release(&res);
	for (i = 0; i < NOPEN; i++)
		close(fds[i]);
}

static void test_scan_v4(void **state)
{
	(void)state;
	scan_exact("127.0.0.1", 0);
}

static void test_scan_v4_one_socket(void **state)
{
	(void)state;
	scan_exact("127.0.0.1", 1);
	scan_exact("127.0.0.1", 3);
}

static void test_scan_v6(void **state)
{
	(void)state;
	scan_exact("::1", 0);
}

/* Two targets (127.0.0.1 and 127.0.0.2 are both loopback): each gets its
 * own answers, and the on_open callback names the right target. */
static void test_two_targets(void **state)
{
	struct net_scan_opts o = {0};
	struct net_port_result res;
	struct net_target t[2];
	struct seen seen = {0};
	uint16_t ports[2];
	int fd;

	(void)state;
	fd = listen_on("127.0.0.2", 8, &ports[0]);
	ports[1] = closed_port("127.0.0.2");
	target(&t[0], "127.0.0.1");
	target(&t[1], "127.0.0.2");
	o.on_open = on_open;
	o.on_open_arg = &seen;
	assert_int_equal(net_portscan(t, 2, ports, 2, &o, &res, NULL), 0);
	assert_int_equal(res.t[0].n_open, 0);
	assert_int_equal(res.t[0].closed, 2);
	assert_int_equal(res.t[1].n_open, 1);
	assert_int_equal(res.t[1].open[0], ports[0]);
	assert_int_equal(res.t[1].closed, 1);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.last_target, 1);
	net_port_result_release(&res);
	close(fd);
}

/* A port that never answers is filtered after 1 + retries attempts, each
 * timeout_ms long; the other ports are not held up by it. */
static void test_filtered_and_retries(void **state)
{
	struct net_scan_opts o = {.timeout_ms = 150, .retries = 2};
	struct net_port_result res;
	struct net_target t;
	uint16_t ports[3];
	int lfd, cfd, ofd;

	(void)state;
	lfd = full_listener("127.0.0.1", &ports[0], &cfd);
	ofd = listen_on("127.0.0.1", 8, &ports[1]);
	ports[2] = closed_port("127.0.0.1");
	target(&t, "127.0.0.1");
	assert_int_equal(net_portscan(&t, 1, ports, 3, &o, &res, NULL), 0);
	assert_int_equal(res.t[0].filtered, 1);
	assert_int_equal(res.t[0].n_open, 1);
	assert_int_equal(res.t[0].open[0], ports[1]);
	assert_int_equal(res.t[0].closed, 1);
	assert_int_equal(res.probes, 3 + 2);
	assert_true(res.elapsed_ms >= 3 * 150 - 5);
	assert_true(res.elapsed_ms < 3000);
	net_port_result_release(&res);

	o.retries = 0;
	assert_int_equal(net_portscan(&t, 1, ports, 1, &o, &res, NULL), 0);
	assert_int_equal(res.t[0].filtered, 1);
	assert_int_equal(res.probes, 1);
	assert_true(res.elapsed_ms >= 145 && res.elapsed_ms < 1500);
	net_port_result_release(&res);
	close(ofd);
	close(cfd);
	close(lfd);
}

static void stop_soon(void *arg, size_t done, size_t total)
{
	volatile sig_atomic_t *cancel = arg;

	(void)done;
	(void)total;
	*cancel = 1;
}

/* Cancellation: a scan stuck on a silent port stops within ~0.1 s of the
 * flag, with ERR_CANCELED and partial results. */
static void test_cancel(void **state)
{
	volatile sig_atomic_t cancel = 0;
	struct net_scan_opts o = {.timeout_ms = 20000, .retries = 3, .cancel = &cancel};
	struct net_port_result res;
	struct net_target t;
	uint16_t ports[2];
	int lfd, cfd;
	int64_t t0;

	(void)state;
	lfd = full_listener("127.0.0.1", &ports[0], &cfd);
	ports[1] = closed_port("127.0.0.1");
	target(&t, "127.0.0.1");
	o.progress = stop_soon;
	o.progress_arg = (void *)&cancel;
	t0 = time_now_ms();
	assert_int_equal(net_portscan(&t, 1, ports, 2, &o, &res, NULL), ERR_CANCELED);
	assert_true(time_now_ms() - t0 < 1000);
	assert_int_equal(res.complete, 0);
	assert_int_equal(res.nt, 1);
	assert_int_equal(res.t[0].closed, 1);
	assert_int_equal(res.t[0].filtered, 0);
	net_port_result_release(&res);

	/* Already set: nothing is probed. */
	o.progress = NULL;
	assert_int_equal(net_portscan(&t, 1, ports, 2, &o, &res, NULL), ERR_CANCELED);
	assert_int_equal(res.probes, 0);
	net_port_result_release(&res);
	close(cfd);
	close(lfd);
}

/* rate_per_target: 30 ports at 100 connects per second take >= ~0.28 s
 * (burst of 2), where the unlimited scan takes a few ms. */
static void test_rate_limit(void **state)
{
	struct net_scan_opts o = {.rate_per_target = 100};
	struct net_port_result res;
	struct net_target t;
	uint16_t ports[30];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ports); i++)
		ports[i] = (uint16_t)(closed_port("127.0.0.1"));
	target(&t, "127.0.0.1");
	assert_int_equal(net_portscan(&t, 1, ports, ARRAY_SIZE(ports), &o, &res, NULL), 0);
	assert_int_equal(res.t[0].closed, ARRAY_SIZE(ports));
	assert_true(res.elapsed_ms >= 270);
	assert_true(res.elapsed_ms < 2000);
	net_port_result_release(&res);
}

/* The limit is per target: 256 targets x 6 ports at 50 per second each
 * finish in about (6 - 1) / 50 s, not 256 * 6 / 50 s. */
static void test_rate_is_per_target(void **state)
{
	struct net_scan_opts o = {.rate_per_target = 50};
	struct net_port_result res;
	struct net_target *t = NULL;
	uint16_t ports[6];
	size_t n = 0, i;

	(void)state;
	assert_int_equal(net_targets_expand("127.1.0.0/24", 0, &t, &n, NULL), 0);
	assert_int_equal(n, 256);
	for (i = 0; i < ARRAY_SIZE(ports); i++)
		ports[i] = closed_port("127.0.0.1");
	assert_int_equal(net_portscan(t, n, ports, ARRAY_SIZE(ports), &o, &res, NULL), 0);
	assert_int_equal(res.closed, 256 * ARRAY_SIZE(ports));
	assert_int_equal(res.errors + res.filtered, 0);
	assert_true(res.elapsed_ms >= 95);
	assert_true(res.elapsed_ms < 3000);
	net_port_result_release(&res);
	free(t);
}

/* Retries under a rate limit: each attempt waits for a token too. */
static void test_retries_rate_limited(void **state)
{
	struct net_scan_opts o = {.rate_per_target = 5, .timeout_ms = 50, .retries = 2};
	struct net_port_result res;
	struct net_target t;
	uint16_t ports[1];
	int lfd, cfd;

	(void)state;
	lfd = full_listener("127.0.0.1", &ports[0], &cfd);
	target(&t, "127.0.0.1");
	assert_int_equal(net_portscan(&t, 1, ports, 1, &o, &res, NULL), 0);
	assert_int_equal(res.t[0].filtered, 1);
	assert_int_equal(res.probes, 3);
	/* First token at once, then one every 200 ms. */
	assert_true(res.elapsed_ms >= 2 * 200 + 50 - 5);
	assert_true(res.elapsed_ms < 3000);
	net_port_result_release(&res);
	close(cfd);
	close(lfd);
}

/* A socket bound to the port it connects to meets itself (TCP
 * simultaneous open); the scanner must not call that port open. */
static void test_self_connect(void **state)
{
	struct net_addr a;
	uint16_t port = closed_port("127.0.0.1");
	int fd, other;

	(void)state;
	assert_int_equal(net_addr_parse("127.0.0.1", port, &a), 0);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a.ss, a.len), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a.ss, a.len), 0);
	assert_int_equal(portscan_self_connect(fd), 1);
	close(fd);
	other = listen_on("127.0.0.1", 4, &port);
	assert_int_equal(net_addr_parse("127.0.0.1", port, &a), 0);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a.ss, a.len), 0);
	assert_int_equal(portscan_self_connect(fd), 0);
	close(fd);
	close(other);
}

struct prog {
	size_t calls, last_done, last_total;
};

static void on_progress(void *arg, size_t done, size_t total)
{
	struct prog *p = arg;

	assert_true(done <= total);
	assert_true(done >= p->last_done);
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

/* Progress: ends with done == total, never more than ~10 calls a second. */
static void test_progress(void **state)
{
	struct net_scan_opts o = {0};
	struct net_port_result res;
	struct net_target t[2];
	struct prog p = {0};
	uint16_t ports[20];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ports); i++)
		ports[i] = closed_port("127.0.0.1");
	target(&t[0], "127.0.0.1");
	target(&t[1], "::1");
	o.progress = on_progress;
	o.progress_arg = &p;
	assert_int_equal(net_portscan(t, 2, ports, ARRAY_SIZE(ports), &o, &res, NULL), 0);
	assert_true(p.calls >= 1);
	assert_true(p.calls <= 2 + (size_t)res.elapsed_ms / 100);
	assert_int_equal(p.last_done, 40);
	assert_int_equal(p.last_total, 40);
	net_port_result_release(&res);
}

/* Local failures (the loopback broadcast address has no route for TCP)
 * are counted as errors with the reason, and do not fail the scan. */
static void test_local_error(void **state)
{
	struct net_port_result res;
	struct net_target t;
	uint16_t ports[] = {80, 443};

	(void)state;
	target(&t, "127.255.255.255");
	assert_int_equal(net_portscan(&t, 1, ports, 2, NULL, &res, NULL), 0);
	assert_int_equal(res.t[0].errors, 2);
	assert_int_equal(res.errors, 2);
	assert_int_equal(res.t[0].first_errno, ENETUNREACH);
	assert_int_equal(res.t[0].first_error, err_from_errno(ENETUNREACH));
	net_port_result_release(&res);
}

static void test_invalid(void **state)
{
	struct net_port_result res;
	struct net_target t;
	uint16_t ports[] = {80};

	(void)state;
	target(&t, "127.0.0.1");
	assert_int_equal(net_portscan(&t, 0, ports, 1, NULL, &res, NULL), ERR_INVAL);
	assert_int_equal(net_portscan(&t, 1, ports, 0, NULL, &res, NULL), ERR_INVAL);
	assert_int_equal(net_portscan(NULL, 1, ports, 1, NULL, &res, NULL), ERR_INVAL);
	net_port_result_release(&res);
}

static void test_fd_budget(void **state)
{
	struct rlimit rl;

	(void)state;
	assert_int_equal(portscan_fd_budget(10, NULL), 10);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_true((rlim_t)portscan_fd_budget(1 << 30, NULL) < rl.rlim_cur);
	assert_true(portscan_fd_budget(1 << 30, NULL) >= 1);
}

/*
 * Descriptor exhaustion: in a child with a tiny RLIMIT_NOFILE nearly used
 * up, eight silent ports need more sockets than there are; the scanner
 * backs off on EMFILE and still decides every port.
 */
static int emfile_child(void)
{
	enum { N = 8 };
	struct net_scan_opts o = {.concurrency = N, .timeout_ms = 100};
	struct rlimit rl = {64, 64};
	struct net_port_result res;
	struct net_target t;
	struct logger lg;
	uint16_t ports[N];
	char line[512];
	int i, fd, ok, warned = 0;
	FILE *log = tmpfile();

	if (!log)
		return 9;
	log_init(&lg, LOG_LVL_WARN, log);
	for (i = 0; i < N; i++) {
		int c;

		full_listener("127.0.0.1", &ports[i], &c);
	}
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 10;
	/* Leave three free descriptors (epoll takes one). */
	while ((fd = dup(0)) >= 0 && fd < 60)
		;
	target(&t, "127.0.0.1");
	if (net_portscan(&t, 1, ports, N, &o, &res, &lg) != 0)
		return 11;
	ok = res.t[0].filtered == N && res.t[0].errors == 0 && res.complete;
	net_port_result_release(&res);
	/* It must really have run out of descriptors and said so. */
	rewind(log);
	while (fgets(line, sizeof(line), log))
		warned |=
		    strstr(line, "out of sockets") != NULL && strstr(line, "errno=24") != NULL;
	fclose(log);
	return !ok ? 12 : !warned ? 13 : 0;
}

static void test_emfile_backoff(void **state)
{
	pid_t pid;
	int st = 0;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(emfile_child());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scan_v4),
	    cmocka_unit_test(test_scan_v4_one_socket),
	    cmocka_unit_test(test_scan_v6),
	    cmocka_unit_test(test_two_targets),
	    cmocka_unit_test(test_filtered_and_retries),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_rate_limit),
	    cmocka_unit_test(test_rate_is_per_target),
	    cmocka_unit_test(test_retries_rate_limited),
	    cmocka_unit_test(test_local_error),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_fd_budget),
	    cmocka_unit_test(test_self_connect),
	    cmocka_unit_test(test_progress),
	    cmocka_unit_test(test_emfile_backoff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
