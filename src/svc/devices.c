/*
 * devices.c: SVC-10, device management web interfaces (NAS, router,
 * printer, hypervisor, firewall, BMC, camera, admin panels). GET / over the
 * svc transport (plain or TLS), at most DEV_HOPS_MAX same-host redirects,
 * a capped body, then the page's title, Server header and realm against
 * the fingerprint table of devices_tab.c.
 */
#include <ctype.h>
#include <string.h>

#include "svc/svc_int.h"

#define DEV_HEAD_MAX 16384  /* bytes of status line and headers */
#define DEV_TITLE_SCAN 2048 /* bytes of title text looked at */

static const char dev_user_agent[] = "wachter/0.1 (+security scan)";

/* ---------------------------------------------------------- matching */

static int ci_eq(const char *a, size_t alen, const char *b)
{
	size_t n = strlen(b);

	return alen == n && strncasecmp(a, b, n) == 0;
}

/* text_match: s[0..len) against pat by how, case-insensitive. */
static int text_match(const char *s, int how, const char *pat)
{
	size_t len = strlen(s), n = strlen(pat), i;

	if (n == 0 || n > len)
		return 0;
	switch (how) {
	case DEV_EQ:
		return ci_eq(s, len, pat);
	case DEV_PRE:
		return strncasecmp(s, pat, n) == 0;
	case DEV_SUF:
		return strncasecmp(s + len - n, pat, n) == 0;
	default:
		for (i = 0; i + n <= len; i++)
			if (strncasecmp(s + i, pat, n) == 0)
				return 1;
		return 0;
	}
}

static int body_has(const struct dev_page *pg, const char *m)
{
	return pg->body.len && memmem(pg->body.p, pg->body.len, m, strlen(m)) != NULL;
}

static int header_present(const struct dev_page *pg, const char *name)
{
	struct cursor c = pg->head, line, n;

	while (cursor_line(&c, DEV_HEAD_MAX, &line) == 0 && line.len) {
		if (cursor_until(&line, ':', &n) != 0)
			continue;
		cursor_trim(&n);
		if (cursor_eq_ci(&n, name))
			return 1;
	}
	return 0;
}

static int rule_match(const struct dev_page *pg, const struct dev_rule *ru)
{
	int m;

	switch (ru->where) {
	case DEV_W_TITLE:
		m = text_match(pg->title, ru->how, ru->s);
		break;
	case DEV_W_SERVER:
		m = text_match(pg->server, ru->how, ru->s);
		break;
	case DEV_W_REALM:
		m = text_match(pg->realm, ru->how, ru->s);
		break;
	case DEV_W_BODY:
		m = body_has(pg, ru->s);
		break;
	case DEV_W_HEADER:
		m = header_present(pg, ru->s);
		break;
	default:
		return 0;
	}
	return m && (!ru->body || body_has(pg, ru->body));
}

const struct dev_fp *dev_match(const struct dev_page *pg, const struct dev_rule **why)
{
	size_t n, i, k;
	const struct dev_fp *t = dev_fps(&n);

	for (i = 0; i < n; i++)
		for (k = 0; k < DEV_RULES && t[i].rules[k].where != DEV_W_NONE; k++)
			if (rule_match(pg, &t[i].rules[k])) {
				if (why)
					*why = &t[i].rules[k];
				return &t[i];
			}
	return NULL;
}

/* -------------------------------------------------------------- HTML */

/* find_ci: offset of needle in p[from..len), case-insensitive, or -1. */
static long find_ci(const unsigned char *p, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= len; i++)
		if (tolower(p[i]) == tolower((unsigned char)needle[0]) &&
		    strncasecmp((const char *)p + i, needle, n) == 0)
			return (long)i;
	return -1;
}

/* entity: decode the entity at c (just after '&'); the character, or -1
 * (then '&' stands for itself). Non-ASCII characters come out as '?'. */
static int entity(struct cursor *c)
{
	static const struct {
		const char *name;
		char ch;
	} named[] = {{"amp;", '&'},   {"lt;", '<'},   {"gt;", '>'},   {"quot;", '"'},
		     {"apos;", '\''}, {"nbsp;", ' '}, {"#39;", '\''}, {"reg;", '?'},
		     {"copy;", '?'},  {"trade;", '?'}};
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(named); i++)
		if (cursor_startswith_ci(c, named[i].name)) {
			svc_skip(c, strlen(named[i].name));
			return named[i].ch;
		}
	if (c->len < 3 || c->p[0] != '#')
		return -1;
	if (c->p[1] == 'x' || c->p[1] == 'X') {
		for (i = 2; i < c->len && i < 10 && isxdigit(c->p[i]); i++)
			v = v * 16 + (uint64_t)(isdigit(c->p[i]) ? c->p[i] - '0'
								 : tolower(c->p[i]) - 'a' + 10);
		if (i == 2)
			return -1;
	} else {
		for (i = 1; i < c->len && i < 9 && isdigit(c->p[i]); i++)
			v = v * 10 + (uint64_t)(c->p[i] - '0');
		if (i == 1)
			return -1;
	}
	if (i < c->len && c->p[i] == ';')
		i++;
	svc_skip(c, i);
	if (v == 0xa0 || v == 9 || v == 10 || v == 13)
		return ' ';
	return v >= 0x20 && v < 0x7f ? (int)v : '?';
}

int dev_html_title(const unsigned char *p, size_t len, char *out, size_t size)
{
	struct cursor c;
	long open = 0, close;
	size_t o = 0, end;
	int space = 0;

	if (size == 0)
		return 0;
	out[0] = '\0';
	for (;;) {
		open = find_ci(p, len, (size_t)open, "<title");
		if (open < 0)
			return 0;
		end = (size_t)open + 6;
		/* "<title>" or "<title attr=...>", not "<titlebar>" */
		if (end < len && (p[end] == '>' || isspace(p[end]) || p[end] == '/'))
			break;
		open = (long)end;
	}
	while (end < len && p[end] != '>')
		end++;
	if (end >= len)
		return 0;
	end++;
	close = find_ci(p, len, end, "</title");
	cursor_init(&c, p + end, (close < 0 ? len : (size_t)close) - end);
	if (c.len > DEV_TITLE_SCAN)
		c.len = DEV_TITLE_SCAN;
	while (c.len && o + 1 < size) {
		int ch = c.p[0];

		svc_skip(&c, 1);
		if (ch == '&') {
			int e = entity(&c);

			ch = e < 0 ? '&' : e;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < size)
			out[o++] = ' ';
		space = 0;
		out[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	out[o] = '\0';
	return 1;
}

/* attr_value: the value of attribute name in the tag text t (quoted or
 * not), as a cursor; 0 when absent. */
static int attr_value(struct cursor t, const char *name, struct cursor *v)
{
	long at = 0;
	size_t i, n = strlen(name);

	for (;;) {
		at = find_ci(t.p, t.len, (size_t)at, name);
		if (at < 0)
			return 0;
		i = (size_t)at + n;
		if ((at == 0 || isspace(t.p[at - 1])) && i < t.len && t.p[i] == '=')
			break;
		at = (long)i;
	}
	i++;
	if (i < t.len && (t.p[i] == '"' || t.p[i] == '\'')) {
		unsigned char q = t.p[i++];
		size_t s = i;

		while (i < t.len && t.p[i] != q)
			i++;
		cursor_init(v, t.p + s, i - s);
		return 1;
	}
	cursor_init(v, t.p + i, 0);
	while (i < t.len && !isspace(t.p[i]) && t.p[i] != '>')
		i++, v->len++;
	return 1;
}

int dev_meta_refresh(const unsigned char *p, size_t len, char *out, size_t size)
{
	long at = 0;
	struct cursor tag, v;
	size_t e;
	long u;

	if (size == 0)
		return 0;
	out[0] = '\0';
	while ((at = find_ci(p, len, (size_t)at, "<meta")) >= 0) {
		for (e = (size_t)at; e < len && p[e] != '>'; e++)
			;
		cursor_init(&tag, p + at + 5, e - (size_t)at - 5);
		at = (long)e;
		if (!attr_value(tag, "http-equiv", &v) || !cursor_eq_ci(&v, "refresh") ||
		    !attr_value(tag, "content", &v))
			continue;
		u = find_ci(v.p, v.len, 0, "url=");
		if (u < 0)
			continue;
		svc_skip(&v, (size_t)u + 4);
		if (v.len && (v.p[0] == '\'' || v.p[0] == '"')) {
			svc_skip(&v, 1);
			while (v.len && (v.p[v.len - 1] == '\'' || v.p[v.len - 1] == '"'))
				v.len--;
		}
		cursor_trim(&v);
		if (v.len == 0 || v.len >= size)
			continue;
		svc_set(out, size, v.p, v.len);
		return 1;
	}
	return 0;
}

/* -------------------------------------------------------------- HTTP */

/* realm_of: the realm="..." parameter of a WWW-Authenticate value. */
static void realm_of(struct cursor v, char *out, size_t size)
{
	long at = find_ci(v.p, v.len, 0, "realm=");
	size_t n = 0;

	if (at < 0)
		return;
	svc_skip(&v, (size_t)at + 6);
	if (v.len && v.p[0] == '"') {
		svc_skip(&v, 1);
		while (n < v.len && v.p[n] != '"')
			n++;
	} else {
		while (n < v.len && v.p[n] != ',' && v.p[n] != ' ')
			n++;
	}
	svc_set(out, size, v.p, n);
}

/* location_ok: a Location value we may follow (printable, no spaces). */
static int location_ok(struct cursor v)
{
	size_t i;

	for (i = 0; i < v.len; i++)
		if (v.p[i] <= 0x20 || v.p[i] >= 0x7f)
			return 0;
	return v.len > 0;
}

/* dechunk: decode a chunked body c into out (capped; a cut-off body keeps
 * what arrived). */
static int dechunk(struct cursor c, struct buf *out)
{
	struct cursor line, size;
	uint64_t n;
	int r;

	while (c.len) {
		if (cursor_line(&c, 1024, &line) != 0)
			return 0;
		if (cursor_until(&line, ';', &size) != 0)
			size = line;
		cursor_trim(&size);
		n = 0;
		while (size.len && isxdigit(size.p[0])) {
			/* saturate: a lying size is cut to what arrived below */
			if (n < ((uint64_t)1 << 40))
				n = n * 16 + (uint64_t)(isdigit(size.p[0])
							    ? size.p[0] - '0'
							    : tolower(size.p[0]) - 'a' + 10);
			svc_skip(&size, 1);
		}
		if (size.len || n == 0)
			return 0;
		if (n > c.len)
			n = c.len;
		if (out->len + n > DEV_BODY_MAX)
			n = DEV_BODY_MAX - out->len;
		r = buf_add(out, c.p, n);
		if (r)
			return r;
		if (out->len >= DEV_BODY_MAX)
			return 0;
		svc_skip(&c, (size_t)n);
		if (cursor_expect(&c, "\r\n") != 0 && cursor_expect(&c, "\n") != 0)
			return 0;
	}
	return 0;
}

static void page_header(struct dev_page *pg, struct cursor name, struct cursor v, int *chunked)
{
	cursor_trim(&name);
	cursor_trim(&v);
	if (cursor_eq_ci(&name, "Server"))
		svc_set(pg->server, sizeof(pg->server), v.p, v.len);
	else if (cursor_eq_ci(&name, "WWW-Authenticate") && !pg->realm[0])
		realm_of(v, pg->realm, sizeof(pg->realm));
	else if (cursor_eq_ci(&name, "Location") && location_ok(v) && v.len < sizeof(pg->location))
		svc_set(pg->location, sizeof(pg->location), v.p, v.len);
	else if (cursor_eq_ci(&name, "Transfer-Encoding") && find_ci(v.p, v.len, 0, "chunked") >= 0)
		*chunked = 1;
}

int dev_page_parse(const unsigned char *p, size_t len, struct buf *body, struct dev_page *pg)
{
	struct cursor c, line, name;
	uint64_t status;
	int chunked = 0, r;

	memset(pg, 0, sizeof(*pg));
	cursor_init(&c, p, len);
	if (cursor_line(&c, 1024, &line) != 0 || !cursor_startswith(&line, "HTTP/1.") ||
	    line.len < 12 || line.p[8] != ' ')
		return ERR_PARSE;
	svc_skip(&line, 9);
	line.len = 3;
	if (cursor_uint(&line, 999, &status) != 0 || status < 100)
		return ERR_PARSE;
	pg->status = (int)status;
	pg->head = c;
	while (cursor_line(&c, DEV_HEAD_MAX, &line) == 0 && line.len) {
		if (cursor_until(&line, ':', &name) != 0)
			continue;
		svc_skip(&line, 1);
		page_header(pg, name, line, &chunked);
	}
	pg->head.len = (size_t)(c.p - pg->head.p);
	if (chunked) {
		r = dechunk(c, body);
		if (r)
			return r;
		cursor_init(&pg->body, body->ptr, body->len);
	} else {
		pg->body = c;
		if (pg->body.len > DEV_BODY_MAX)
			pg->body.len = DEV_BODY_MAX;
	}
	(void)dev_html_title(pg->body.p, pg->body.len, pg->title, sizeof(pg->title));
	return 0;
}

/* --------------------------------------------------------- redirects */

/* path_set: copy a path (must start with '/'), cut at a '#'. */
static int path_set(struct dev_url *u, const char *s, size_t n)
{
	const char *hash = memchr(s, '#', n);

	if (hash)
		n = (size_t)(hash - s);
	if (n == 0 || s[0] != '/' || n >= sizeof(u->path))
		return ERR_PARSE;
	memcpy(u->path, s, n);
	u->path[n] = '\0';
	return 0;
}

/* authority: "host[:port]" (IPv6 in brackets) of an absolute URL. */
static int authority(const char *s, size_t n, const char *host, const char *ip, struct dev_url *u)
{
	const char *h = s, *colon;
	size_t hl = n;
	uint64_t port;
	struct cursor pc;

	if (n && s[0] == '[') {
		const char *rb = memchr(s, ']', n);

		if (!rb)
			return ERR_PARSE;
		h = s + 1;
		hl = (size_t)(rb - s) - 1;
		colon = rb + 1 < s + n && rb[1] == ':' ? rb + 1 : NULL;
		if (rb + 1 < s + n && !colon)
			return ERR_PARSE;
	} else {
		colon = memchr(s, ':', n);
		if (colon)
			hl = (size_t)(colon - s);
	}
	if (colon) {
		cursor_init(&pc, colon + 1, (size_t)(s + n - colon - 1));
		if (cursor_uint(&pc, 65535, &port) != 0 || pc.len || port == 0)
			return ERR_PARSE;
		u->port = (uint16_t)port;
	} else {
		u->port = u->tls ? 443 : 80;
	}
	if (!(host && ci_eq(h, hl, host)) && !(ip && ci_eq(h, hl, ip)))
		return ERR_PERM;
	return 0;
}

int dev_next_url(const char *loc, const char *host, const char *ip, const struct dev_url *cur,
		 struct dev_url *next)
{
	struct dev_url u = *cur;
	size_t n = strlen(loc), skip = 0, a;
	const char *slash, *q;
	int r;

	if (strncasecmp(loc, "http://", 7) == 0) {
		u.tls = 0;
		skip = 7;
	} else if (strncasecmp(loc, "https://", 8) == 0) {
		u.tls = 1;
		skip = 8;
	} else if (strncmp(loc, "//", 2) == 0) {
		skip = 2;
	}
	if (skip) {
		loc += skip;
		n -= skip;
		for (a = 0; a < n && loc[a] != '/' && loc[a] != '?' && loc[a] != '#'; a++)
			;
		r = authority(loc, a, host, ip, &u);
		if (r)
			return r;
		if (a == n || loc[a] != '/')
			r = path_set(&u, "/", 1);
		else
			r = path_set(&u, loc + a, n - a);
	} else if (strchr(loc, ':') && (!strchr(loc, '/') || strchr(loc, ':') < strchr(loc, '/'))) {
		return ERR_PARSE; /* another scheme (javascript:, ftp:) */
	} else if (loc[0] == '/') {
		r = path_set(&u, loc, n);
	} else {
		/* relative to the current directory */
		q = strchr(cur->path, '?');
		slash = cur->path + strlen(cur->path);
		while (slash > cur->path && (slash[-1] != '/' || (q && slash > q)))
			slash--;
		a = (size_t)(slash - cur->path);
		if (a == 0 || a + n >= sizeof(u.path))
			return ERR_PARSE;
		memcpy(u.path, cur->path, a);
		memcpy(u.path + a, loc, n);
		u.path[a + n] = '\0';
		r = 0;
	}
	if (r)
		return r;
	*next = u;
	return 0;
}

/* --------------------------------------------------------- the fetch */

/* response_done: the whole answer arrived (Content-Length satisfied or
 * the chunked terminator seen); otherwise the peer's close ends it. */
static int response_done(const struct buf *b, void *arg)
{
	const char *e = memmem(b->ptr, b->len, "\r\n\r\n", 4);
	struct cursor c, line, name;
	uint64_t cl;
	size_t hlen;

	(void)arg;
	if (!e)
		return 0;
	hlen = (size_t)(e - b->ptr) + 4;
	cursor_init(&c, b->ptr, hlen);
	while (cursor_line(&c, DEV_HEAD_MAX, &line) == 0 && line.len) {
		if (cursor_until(&line, ':', &name) != 0)
			continue;
		svc_skip(&line, 1);
		cursor_trim(&line);
		cursor_trim(&name);
		if (cursor_eq_ci(&name, "Content-Length") &&
		    cursor_uint(&line, UINT32_MAX, &cl) == 0)
			return b->len - hlen >= cl;
	}
	return b->len >= 5 && memcmp(b->ptr + b->len - 5, "0\r\n\r\n", 5) == 0;
}

struct fetch {
	const struct net_addr *a;
	const char *host; /* for Host and SNI */
	int timeout_ms;
	int64_t deadline;
};

static int fetch_one(const struct fetch *f, const struct dev_url *u, struct buf *rx)
{
	struct svc_conn c;
	struct net_addr to = *f->a;
	struct buf req = BUF_INIT;
	int r;

	net_addr_set_port(&to, u->port);
	buf_reset(rx);
	r = svc_conn_open(&c, &to, f->timeout_ms, f->deadline);
	if (r)
		return r;
	if (u->tls)
		r = svc_conn_tls(&c, f->host);
	buf_init(&req, 2048);
	if (r == 0)
		r = buf_addf(&req, "GET %s HTTP/1.1\r\nHost: %s", u->path, f->host);
	if (r == 0 && u->port != (u->tls ? 443 : 80))
		r = buf_addf(&req, ":%u", u->port);
	if (r == 0)
		r = buf_addf(&req,
			     "\r\nUser-Agent: %s\r\nAccept: text/html,*/*\r\n"
			     "Connection: close\r\n\r\n",
			     dev_user_agent);
	if (r == 0)
		r = svc_conn_send(&c, req.ptr, req.len);
	if (r == 0)
		r = svc_conn_recv_until(&c, rx, DEV_HEAD_MAX + DEV_BODY_MAX, f->timeout_ms,
					response_done, NULL);
	if (rx->len && (r == ERR_TIMEOUT || r == ERR_TOO_BIG || r == ERR_CONN))
		r = 0; /* judge what arrived */
	buf_release(&req);
	svc_conn_close(&c);
	return r;
}

static int add_finding(struct findings *out, const char *target, uint16_t port,
		       const struct dev_fp *fp, const struct dev_rule *why,
		       const struct dev_page *pg, const struct buf *trail)
{
	static const char *const where[] = {"",	     "title",	    "Server header",
					    "realm", "page marker", "header"};
	struct buf ev = BUF_INIT;
	int r;

	buf_init(&ev, SVC_EVIDENCE_MAX);
	r = buf_addf(&ev, "%smatched %s \"%s\"%s%s%s; HTTP %d; title \"%s\"", trail->ptr,
		     where[why->where], why->s, why->body ? " with page marker \"" : "",
		     why->body ? why->body : "", why->body ? "\"" : "", pg->status, pg->title);
	if (r == 0 && pg->server[0])
		r = buf_addf(&ev, "; Server: %s", pg->server);
	if (r == 0 && pg->realm[0])
		r = buf_addf(&ev, "; realm \"%s\"", pg->realm);
	if (r == 0)
		r = findings_addf(out, "SVC-10", -1, CONF_HIGH, target, port, ev.ptr,
				  "%s %s management interface reachable (%s)", fp->vendor,
				  fp->product, dev_kind_name(fp->kind));
	buf_release(&ev);
	return r;
}

/* next_hop: where the page sends us (Location on 3xx, else a meta
 * refresh); 0 with *next, or an error when there is nowhere to go. */
static int next_hop(const struct dev_page *pg, const struct fetch *f, const char *ip,
		    const struct dev_url *cur, struct dev_url *next)
{
	char meta[512];

	if (pg->status >= 300 && pg->status < 400 && pg->location[0])
		return dev_next_url(pg->location, f->host, ip, cur, next);
	if (dev_meta_refresh(pg->body.p, pg->body.len, meta, sizeof(meta)))
		return dev_next_url(meta, f->host, ip, cur, next);
	return ERR_NOTFOUND;
}

/* host_ok: a name safe for the Host header and SNI. */
static int host_ok(const char *h)
{
	size_t n = h ? strlen(h) : 0;

	return n > 0 && n < 254 &&
	       strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == n;
}

int svc_check_device(const struct net_addr *a, const char *target, int tls, int timeout_ms,
		     struct findings *out, struct logger *lg)
{
	char ip[NET_ADDRSTR_MAX], bracketed[NET_ADDRSTR_MAX + 2];
	struct fetch f = {a, target, timeout_ms, time_now_ms() + 4 * (int64_t)timeout_ms};
	struct dev_url u = {tls, net_addr_port(a), "/"}, next;
	struct buf rx, body, trail;
	struct dev_page pg;
	const struct dev_fp *fp = NULL;
	const struct dev_rule *why = NULL;
	int r = 0, hop;

	net_addr_str(a, ip);
	if (a->ss.ss_family == AF_INET6)
		snprintf(bracketed, sizeof(bracketed), "[%s]", ip);
	else
		str_lcpy(bracketed, ip, sizeof(bracketed));
	if (!host_ok(target))
		f.host = bracketed;
	buf_init(&rx, DEV_HEAD_MAX + DEV_BODY_MAX);
	buf_init(&body, DEV_BODY_MAX);
	buf_init(&trail, 1024);
	for (hop = 0; hop <= DEV_HOPS_MAX; hop++) {
		r = fetch_one(&f, &u, &rx);
		if (r == 0) {
			buf_reset(&body);
			r = dev_page_parse((const unsigned char *)rx.ptr, rx.len, &body, &pg);
		}
		if (r) {
			LOG_INFO(lg, "svc device page not read port=%u path=%s r=%s", u.port,
				 u.path, err_str(r));
			r = r == ERR_NOMEM ? r : 0;
			goto out;
		}
		if (buf_addf(&trail, "GET %s%s:%u%s -> %d; ", u.tls ? "https://" : "http://",
			     f.host, u.port, u.path, pg.status) != 0)
			buf_truncate(&trail, trail.len);
		fp = dev_match(&pg, &why);
		if (fp || hop == DEV_HOPS_MAX || next_hop(&pg, &f, ip, &u, &next) != 0)
			break;
		LOG_DEBUG(lg, "svc device redirect port=%u to=%s", next.port, next.path);
		u = next;
	}
	if (fp)
		r = add_finding(out, target, net_addr_port(a), fp, why, &pg, &trail);
out:
	buf_release(&rx);
	buf_release(&body);
	buf_release(&trail);
	return r;
}
