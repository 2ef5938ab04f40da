/*
 * route.c: match a request path against the route table's patterns
 * ("/api/orgs/:id/assets"). The path is untrusted and walked with a
 * cursor segment by segment; parameters are percent-decoded with a cap.
 */
#include <string.h>

#include "api/api.h"
#include "core/core.h"
#include "server/server.h"

/* Decode seg into out[API_PARAM_MAX]; ERR_PARSE for a bad escape, NUL or
 * '/', ERR_TOO_BIG when it does not fit. */
static int decode_param(const struct cursor *seg, char out[API_PARAM_MAX])
{
	size_t i, o = 0;

	for (i = 0; i < seg->len; i++) {
		unsigned char ch = seg->p[i];

		if (ch == '%' && pct_escape(seg->p, seg->len, &i, &ch) != 0)
			return ERR_PARSE;
		if (ch == 0 || ch == '/')
			return ERR_PARSE;
		if (o + 1 >= API_PARAM_MAX)
			return ERR_TOO_BIG;
		out[o++] = (char)ch;
	}
	out[o] = '\0';
	return 0;
}

/* Next '/'-separated segment; the input must start with '/'. */
static int next_seg(struct cursor *c, struct cursor *seg)
{
	if (c->len == 0 || c->p[0] != '/')
		return ERR_EOF;
	c->p++;
	c->len--;
	if (cursor_until(c, '/', seg) != 0) {
		*seg = *c;
		c->p += c->len;
		c->len = 0;
	}
	return 0;
}

/* 1 when path matches pattern (params filled), 0 when not, <0 on error. */
static int match_one(const char *pattern, const char *path, size_t len, struct api_req *rq)
{
	struct cursor pc, uc, ps, us;
	size_t np = 0;
	int r;

	cursor_init(&pc, pattern, strlen(pattern));
	cursor_init(&uc, path, len);
	for (;;) {
		if (next_seg(&pc, &ps) != 0)
			break;
		if (next_seg(&uc, &us) != 0)
			return 0; /* the path is shorter than the pattern */
		if (ps.len > 0 && ps.p[0] == ':') {
			struct api_param *p;

			if (us.len == 0 || np >= API_MAX_PARAMS)
				return 0;
			p = &rq->params[np];
			if (ps.len - 1 >= sizeof(p->name))
				return 0;
			memcpy(p->name, ps.p + 1, ps.len - 1);
			p->name[ps.len - 1] = '\0';
			r = decode_param(&us, p->value);
			if (r == ERR_TOO_BIG)
				return 0;
			if (r)
				return r;
			np++;
		} else if (ps.len != us.len || memcmp(ps.p, us.p, ps.len) != 0) {
			return 0;
		}
	}
	/* Both must end together: "/api/orgs/" is not "/api/orgs". */
	if (pc.len != 0 || uc.len != 0)
		return 0;
	rq->nparams = np;
	return 1;
}

int server_route(const struct api_route *t, size_t n, const char *method, const char *path,
		 size_t len, struct api_req *rq, const struct api_route **out)
{
	size_t i;
	int other = 0, r;

	if (len == 0 || path[0] != '/')
		return ERR_NOTFOUND;
	for (i = 0; i < n; i++) {
		int same = strcmp(t[i].method, method) == 0 ||
			   (strcmp(method, "HEAD") == 0 && strcmp(t[i].method, "GET") == 0);

		r = match_one(t[i].pattern, path, len, rq);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		if (same) {
			*out = &t[i];
			return 0;
		}
		other = 1;
	}
	rq->nparams = 0;
	return other ? ERR_UNSUPP : ERR_NOTFOUND;
}
