/*
 * conn.c: TCP connections with a deadline on every operation and a cap on
 * every read; poll() based, so one stuck peer can never stall a scan.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"

int net_addr_parse(const char *ip, uint16_t port, struct net_addr *out)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->ss;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, ip, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		out->len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		out->len = sizeof(*s6);
		return 0;
	}
	return ERR_PARSE;
}

void net_addr_set_port(struct net_addr *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
}

uint16_t net_addr_port(const struct net_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
}

void net_addr_str(const struct net_addr *a, char out[NET_ADDRSTR_MAX])
{
	const void *p;

	if (a->ss.ss_family == AF_INET)
		p = &((const struct sockaddr_in *)&a->ss)->sin_addr;
	else
		p = &((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
	if (!inet_ntop(a->ss.ss_family, p, out, NET_ADDRSTR_MAX))
		str_lcpy(out, "?", NET_ADDRSTR_MAX);
}

static int wait_fd(int fd, short ev, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	int64_t end = time_now_ms() + timeout_ms;
	int n;

	for (;;) {
		int left = (int)(end - time_now_ms());

		if (left < 0)
			left = 0;
		n = poll(&p, 1, left);
		if (n > 0)
			return 0;
		if (n == 0)
			return ERR_TIMEOUT;
		if (errno != EINTR)
			return err_from_errno(errno);
	}
}

int net_connect(const struct net_addr *a, int timeout_ms, struct net_conn *c)
{
	int fd, r, soerr = 0;
	socklen_t sl = sizeof(soerr);

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_from_errno(errno);
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) != 0) {
		if (errno != EINPROGRESS) {
			r = err_from_errno(errno);
			goto fail;
		}
		r = wait_fd(fd, POLLOUT, timeout_ms);
		if (r)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr) {
			r = soerr ? err_from_errno(soerr) : ERR_IO;
			goto fail;
		}
	}
	c->fd = fd;
	c->timeout_ms = timeout_ms;
	c->peer = *a;
	return 0;
fail:
	close(fd);
	return r;
}

void net_close(struct net_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int net_send_all(struct net_conn *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	int r;

	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			r = wait_fd(c->fd, POLLOUT, c->timeout_ms);
			if (r)
				return r;
			continue;
		}
		return err_from_errno(errno);
	}
	return 0;
}

static int recv_into(struct net_conn *c, struct buf *out, size_t max, int timeout_ms)
{
	ssize_t n;
	int r;

	if (max == 0)
		return ERR_TOO_BIG;
	r = buf_grow(out, max);
	if (r == ERR_TOO_BIG) {
		/* Room for less than max: take what fits, then report. */
		size_t room = (out->max ? out->max : BUF_DEFAULT_MAX) - out->len;

		if (room == 0)
			return ERR_TOO_BIG;
		max = room;
		r = buf_grow(out, max);
	}
	if (r)
		return r;
	r = wait_fd(c->fd, POLLIN, timeout_ms);
	if (r)
		return r;
	do
		n = recv(c->fd, out->ptr + out->len, max, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? ERR_TIMEOUT : err_from_errno(errno);
	if (n == 0)
		return ERR_EOF;
	out->len += (size_t)n;
	out->ptr[out->len] = '\0';
	return 0;
}

int net_recv_some(struct net_conn *c, struct buf *out, size_t max)
{
	return recv_into(c, out, max, c->timeout_ms);
}

int net_recv_until(struct net_conn *c, struct buf *out, size_t cap, int total_ms,
		   int (*done)(const struct buf *out, void *arg), void *arg)
{
	int64_t end = time_now_ms() + total_ms;
	size_t start = out->len;
	int r;

	for (;;) {
		int left = (int)(end - time_now_ms());
		size_t got = out->len - start;

		if (done && done(out, arg))
			return 0;
		if (got >= cap)
			return ERR_TOO_BIG;
		if (left <= 0)
			return ERR_TIMEOUT;
		r = recv_into(c, out, cap - got < 16384 ? cap - got : 16384,
			      left < c->timeout_ms ? left : c->timeout_ms);
		if (r == ERR_EOF)
			return out->len > start ? 0 : ERR_EOF;
		if (r)
			return r;
	}
}

int net_recv_line_done(const struct buf *out, void *arg)
{
	(void)arg;
	return memchr(out->ptr, '\n', out->len) != NULL;
}
