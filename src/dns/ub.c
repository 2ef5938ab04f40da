/*
 * ub.c: validating lookups with libunbound. The context forwards to one
 * resolver and validates itself from a trust-anchor file, so a scan does not
 * have to trust the resolver's AD bit: secure, insecure and bogus come from
 * our own validator. Queries run asynchronously so a deadline bounds each.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unbound.h>
#include <unistd.h>

#include "dns/dns.h"
#include "dns/dns_int.h"

struct dns_ctx {
	struct ub_ctx *ub;
	char resolver[DNS_ADDRSTR_MAX + 16];
	int timeout_ms;
};

struct pending {
	int done;
	int err;
	struct ub_result *res;
};

static int set_opt(struct ub_ctx *ub, const char *k, const char *v, struct buf *err)
{
	int r = ub_ctx_set_option(ub, k, v);

	if (r) {
		buf_errf(err, "resolver option %s%s: %s", k, v, ub_strerror(r));
		return ERR_INVAL;
	}
	return 0;
}

static int ctx_setup(struct dns_ctx *c, const char *resolver, const char *ta_file, struct buf *err)
{
	char ip[DNS_ADDRSTR_MAX], fwd[DNS_ADDRSTR_MAX + 8];
	unsigned port;
	int r;

	if ((r = ub_ctx_async(c->ub, 1)) != 0) {
		buf_errf(err, "resolver: %s", ub_strerror(r));
		return ERR_IO;
	}
	/* Our resolvers may live on loopback (a lab, a local unbound). */
	if (set_opt(c->ub, "do-not-query-localhost:", "no", err) ||
	    set_opt(c->ub, "qname-minimisation:", "no", err) ||
	    set_opt(c->ub, "val-log-level:", "2", err) ||
	    /* RFC 6761's test. is where labs (ours too) keep their zones: ask the
	     * resolver instead of answering NXDOMAIN locally. */
	    set_opt(c->ub, "local-zone:", "test. transparent", err))
		return ERR_INVAL;
	if (resolver && *resolver) {
		if (dns_parse_server(resolver, ip, &port)) {
			buf_errf(err, "bad resolver '%.*s' (want ip or ip:port)",
				 LOG_CAP(strlen(resolver)), resolver);
			return ERR_INVAL;
		}
		snprintf(fwd, sizeof(fwd), "%s@%u", ip, port);
		if ((r = ub_ctx_set_fwd(c->ub, fwd)) != 0) {
			buf_errf(err, "resolver %s: %s", resolver, ub_strerror(r));
			return ERR_INVAL;
		}
		str_lcpy(c->resolver, resolver, sizeof(c->resolver));
	} else if ((r = ub_ctx_resolvconf(c->ub, NULL)) != 0) {
		buf_errf(err, "reading /etc/resolv.conf: %s", ub_strerror(r));
		return ERR_IO;
	}
	if (ta_file && *ta_file) {
		if (access(ta_file, R_OK) != 0 || (r = ub_ctx_add_ta_file(c->ub, ta_file)) != 0) {
			buf_errf(err, "trust anchor %s: %s", ta_file,
				 access(ta_file, R_OK) ? strerror(errno) : ub_strerror(r));
			return ERR_IO;
		}
	} else if (set_opt(c->ub, "module-config:", "iterator", err)) {
		return ERR_INVAL;
	}
	return 0;
}

int dns_ctx_new(const char *resolver, const char *ta_file, int timeout_ms, struct dns_ctx **out,
		struct buf *err)
{
	struct dns_ctx *c;
	int r;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return ERR_NOMEM;
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	c->ub = ub_ctx_create();
	if (!c->ub) {
		free(c);
		buf_errf(err, "resolver: cannot create libunbound context");
		return ERR_NOMEM;
	}
	r = ctx_setup(c, resolver, ta_file, err);
	if (r) {
		dns_ctx_free(c);
		return r;
	}
	*out = c;
	return 0;
}

void dns_ctx_free(struct dns_ctx *ctx)
{
	if (!ctx)
		return;
	ub_ctx_delete(ctx->ub);
	free(ctx);
}

const char *dns_ctx_resolver(const struct dns_ctx *ctx)
{
	return ctx->resolver;
}

int dns_ctx_timeout(const struct dns_ctx *ctx)
{
	return ctx->timeout_ms;
}

static void on_result(void *arg, int err, struct ub_result *res)
{
	struct pending *p = arg;

	p->done = 1;
	p->err = err;
	p->res = res;
}

/* wait_result: drive libunbound until p is done or the deadline passes. */
static int wait_result(struct dns_ctx *ctx, struct pending *p, int id)
{
	int64_t deadline = time_now_ms() + ctx->timeout_ms;
	struct pollfd pfd;

	pfd.fd = ub_fd(ctx->ub);
	pfd.events = POLLIN;
	while (!p->done) {
		int64_t left = deadline - time_now_ms();
		int n;

		if (left <= 0) {
			(void)ub_cancel(ctx->ub, id);
			return ERR_TIMEOUT;
		}
		n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno != EINTR)
			return ERR_IO;
		if (n > 0 && ub_process(ctx->ub) != 0)
			return ERR_IO;
	}
	return 0;
}

static int name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= DNS_NAME_MAX - 1)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch <= ' ' || ch >= 0x7f)
			return 0;
	}
	return strstr(name, "..") == NULL;
}

int dns_query(struct dns_ctx *ctx, const char *name, uint16_t type, struct dns_answer *ans)
{
	struct pending p = {0, 0, NULL};
	int id = 0, r;

	memset(ans, 0, sizeof(*ans));
	ans->rcode = -1;
	if (!name_ok(name))
		return ERR_INVAL;
	r = ub_resolve_async(ctx->ub, name, type, 1 /* IN */, &p, on_result, &id);
	if (r)
		return ERR_RESOLVE;
	r = wait_result(ctx, &p, id);
	if (r)
		return r;
	if (p.err || !p.res) {
		ub_resolve_free(p.res);
		return p.err == UB_NOMEM ? ERR_NOMEM : ERR_RESOLVE;
	}
	if (p.res->answer_packet && p.res->answer_len > 0) {
		r = dns_answer_from_wire(p.res->answer_packet, (size_t)p.res->answer_len, name,
					 type, ans);
		if (r == ERR_PARSE) { /* libunbound made it; keep the rcode at least */
			memset(ans, 0, sizeof(*ans));
			r = 0;
		}
	}
	if (r == 0) {
		ans->rcode = p.res->rcode;
		ans->sec = p.res->bogus	   ? DNS_SEC_BOGUS
			   : p.res->secure ? DNS_SEC_SECURE
					   : DNS_SEC_INSECURE;
		if (p.res->why_bogus)
			str_lcpy(ans->why_bogus, p.res->why_bogus, sizeof(ans->why_bogus));
	}
	ub_resolve_free(p.res);
	return r;
}
