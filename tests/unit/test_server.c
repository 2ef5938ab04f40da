/*
 * test_server.c: request routing (patterns, parameters, escapes, 404 vs
 * 405), listen addresses, Content-Length checks, query-string parsing and
 * the security headers every response carries.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/api.h"
#include "core/core.h"
#include "server/server.h"
#include "server/server_int.h"

static int h_dummy(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		   struct api_resp *rs)
{
	(void)c;
	(void)rq;
	(void)az;
	(void)rs;
	return 0;
}

static const struct api_route table[] = {
    {"GET", "/api/orgs", h_dummy, API_AUTH_USER},
    {"POST", "/api/orgs", h_dummy, API_AUTH_USER},
    {"GET", "/api/orgs/:id", h_dummy, API_AUTH_USER},
    {"GET", "/api/orgs/:id/assets", h_dummy, API_AUTH_USER},
    {"GET", "/api/x/:a/y/:b", h_dummy, API_AUTH_USER},
};

static void test_route(void **state)
{
	static const struct {
		const char *method, *path;
		int r;
		int idx;
		const char *p0, *p1;
	} v[] = {
	    {"GET", "/api/orgs", 0, 0, NULL, NULL},
	    {"POST", "/api/orgs", 0, 1, NULL, NULL},
	    {"HEAD", "/api/orgs", 0, 0, NULL, NULL},
	    {"DELETE", "/api/orgs", ERR_UNSUPP, -1, NULL, NULL},
	    {"GET", "/api/orgs/", ERR_NOTFOUND, -1, NULL, NULL},
	    {"GET", "/api/orgs/12", 0, 2, "12", NULL},
	    {"GET", "/api/orgs/12/assets", 0, 3, "12", NULL},
	    {"GET", "/api/orgs/12/assets/", ERR_NOTFOUND, -1, NULL, NULL},
	    {"GET", "/api/orgs/12/other", ERR_NOTFOUND, -1, NULL, NULL},
	    {"GET", "/api/orgs//assets", ERR_NOTFOUND, -1, NULL, NULL},
	    {"GET", "/api/orgs/a%20b", 0, 2, "a b", NULL},
	    {"GET", "/api/orgs/a%2Fb", ERR_PARSE, -1, NULL, NULL},
	    {"GET", "/api/orgs/a%00b", ERR_PARSE, -1, NULL, NULL},
	    {"GET", "/api/orgs/a%G0", ERR_PARSE, -1, NULL, NULL},
	    {"GET", "/api/orgs/a%2", ERR_PARSE, -1, NULL, NULL},
	    {"GET", "/api/x/1/y/2", 0, 4, "1", "2"},
	    {"GET", "/API/orgs", ERR_NOTFOUND, -1, NULL, NULL},
	    {"GET", "", ERR_NOTFOUND, -1, NULL, NULL},
	    {"GET", "api/orgs", ERR_NOTFOUND, -1, NULL, NULL},
	    {"GET", "/api/orgs/../orgs", ERR_NOTFOUND, -1, NULL, NULL},
	};
	char longp[400];
	struct api_req rq;
	const struct api_route *rt;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int r;

		memset(&rq, 0, sizeof(rq));
		rt = NULL;
		r = server_route(table, ARRAY_SIZE(table), v[i].method, v[i].path,
				 strlen(v[i].path), &rq, &rt);
		if (r != v[i].r)
			fail_msg("%s %s: %d, want %d", v[i].method, v[i].path, r, v[i].r);
		if (r)
			continue;
		assert_ptr_equal(rt, &table[v[i].idx]);
		if (v[i].p0) {
			assert_string_equal(rq.params[0].value, v[i].p0);
			assert_string_equal(rq.params[0].name, v[i].idx == 4 ? "a" : "id");
		}
		if (v[i].p1)
			assert_string_equal(rq.params[1].value, v[i].p1);
		assert_int_equal(rq.nparams, (v[i].p0 != NULL) + (v[i].p1 != NULL));
	}
	/* A parameter over API_PARAM_MAX matches nothing. */
	memcpy(longp, "/api/orgs/", 10);
	memset(longp + 10, '7', sizeof(longp) - 10);
	assert_int_equal(
	    server_route(table, ARRAY_SIZE(table), "GET", longp, sizeof(longp), &rq, &rt),
	    ERR_NOTFOUND);
	/* The real table routes every one of its own patterns. */
	{
		size_t n, k;
		const struct api_route *t = api_routes(&n);

		for (k = 0; k < n; k++) {
			char path[128];
			const char *p;
			size_t o = 0;

			for (p = t[k].pattern; *p && o < sizeof(path) - 2; p++) {
				if (*p == ':') {
					path[o++] = '9';
					while (p[1] && p[1] != '/')
						p++;
				} else {
					path[o++] = *p;
				}
			}
			path[o] = '\0';
			assert_int_equal(server_route(t, n, t[k].method, path, o, &rq, &rt), 0);
			assert_ptr_equal(rt, &t[k]);
		}
	}
}

static void test_listen(void **state)
{
	static const struct {
		const char *s;
		int ok, family;
	} v[] = {
	    {"127.0.0.1:8080", 1, AF_INET},
	    {"[::1]:443", 1, AF_INET6},
	    {"0.0.0.0:1", 1, AF_INET},
	    {"127.0.0.1", 0, 0},
	    {"127.0.0.1:0", 0, 0},
	    {"127.0.0.1:65536", 0, 0},
	    {"localhost:80", 0, 0},
	    {"[::1:80", 0, 0},
	    {":80", 0, 0},
	    {"127.0.0.1:80x", 0, 0},
	};
	struct sockaddr_storage ss;
	socklen_t len;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int r = srv_parse_listen(v[i].s, &ss, &len);

		if ((r == 0) != v[i].ok)
			fail_msg("%s: %d", v[i].s, r);
		if (r == 0)
			assert_int_equal(ss.ss_family, v[i].family);
	}
	assert_int_equal(srv_parse_listen("127.0.0.1:8080", &ss, &len), 0);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8080);
}

static void test_content_length(void **state)
{
	(void)state;
	assert_false(srv_content_length_too_big("0", API_BODY_MAX));
	assert_false(srv_content_length_too_big("1048576", API_BODY_MAX));
	assert_true(srv_content_length_too_big("1048577", API_BODY_MAX));
	assert_true(srv_content_length_too_big("2097152", API_BODY_MAX));
	assert_true(srv_content_length_too_big("-1", API_BODY_MAX));
	assert_true(srv_content_length_too_big("12abc", API_BODY_MAX));
	assert_true(srv_content_length_too_big("99999999999999999999999", API_BODY_MAX));
	assert_true(srv_content_length_too_big("", API_BODY_MAX));
}

static void test_query(void **state)
{
	static const struct {
		const char *q, *name;
		int r;
		const char *val;
	} v[] = {
	    {"a=1&b=2", "b", 0, "2"},
	    {"a=1&b=x%20y+z", "b", 0, "x y z"},
	    {"a=1", "b", ERR_NOTFOUND, NULL},
	    {"", "a", ERR_NOTFOUND, NULL},
	    {"&&a=1&&", "a", 0, "1"},
	    {"a", "a", 0, ""},
	    {"a=", "a", 0, ""},
	    {"a=1&a=2", "a", ERR_INVAL, NULL},
	    {"a=%4", "a", ERR_PARSE, NULL},
	    {"a=%00", "a", ERR_PARSE, NULL},
	    {"a=%zz", "a", ERR_PARSE, NULL},
	    {"%61=5", "a", 0, "5"},
	    {"a=b=c", "a", 0, "b=c"},
	    {"a=0123456789abcdefX", "a", ERR_TOO_BIG, NULL},
	};
	static const char *const allowed[] = {"a", "b", NULL};
	struct buf out = BUF_INIT, err = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int r = api_query_get(v[i].q, strlen(v[i].q), v[i].name, &out, 16);

		if (r != v[i].r)
			fail_msg("%s [%s]: %d, want %d", v[i].q, v[i].name, r, v[i].r);
		if (r == 0)
			assert_string_equal(out.ptr, v[i].val);
	}
	assert_int_equal(api_query_check("a=1&b=2", 7, allowed, &err), 0);
	assert_int_equal(api_query_check("a=1&c=2", 7, allowed, &err), ERR_INVAL);
	assert_non_null(strstr(err.ptr, "'c'"));
	assert_int_equal(api_query_check("a=%q", 4, allowed, &err), ERR_PARSE);
	buf_release(&out);
	buf_release(&err);
}

static void test_headers(void **state)
{
	static const char *const want[] = {
	    "Content-Security-Policy",	    "X-Content-Type-Options",	    "Referrer-Policy",
	    "Cross-Origin-Opener-Policy",   "Cross-Origin-Resource-Policy", "X-Frame-Options",
	    "Cross-Origin-Embedder-Policy",
	};
	const struct server_header *h;
	size_t n, i, k;

	(void)state;
	h = server_security_headers(&n);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		int found = 0;

		for (k = 0; k < n; k++)
			found |= strcmp(h[k].name, want[i]) == 0;
		assert_true(found);
	}
	for (k = 0; k < n; k++)
		if (strcmp(h[k].name, "Content-Security-Policy") == 0) {
			assert_non_null(strstr(h[k].value, "default-src 'self'"));
			assert_non_null(strstr(h[k].value, "frame-ancestors 'none'"));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_route),	   cmocka_unit_test(test_listen),
	    cmocka_unit_test(test_content_length), cmocka_unit_test(test_query),
	    cmocka_unit_test(test_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
