/*
 * test_api_openapi.c: docs/api/openapi.yaml and the route table agree:
 * every documented path and method is routed, and every route is
 * documented ({id} in the document is :id in the table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/api.h"
#include "core/core.h"

#define MAX_OPS 64

struct op {
	char method[8];
	char path[128];
};

/* The operations of the document: "  /path:" then "    get:" lines. */
static size_t read_ops(const char *file, struct op *ops)
{
	char line[512], path[128] = "";
	FILE *fp = fopen(file, "r");
	size_t n = 0;
	int in_paths = 0;

	if (!fp)
		fail_msg("cannot open %s", file);
	while (fgets(line, sizeof(line), fp)) {
		size_t len = strcspn(line, "\r\n");

		line[len] = '\0';
		if (strcmp(line, "paths:") == 0) {
			in_paths = 1;
			continue;
		}
		if (!in_paths)
			continue;
		if (strncmp(line, "  /", 3) == 0 && line[len - 1] == ':') {
			size_t i, o = 0;

			/* {name} -> :name */
			for (i = 2; i < len - 1 && o < sizeof(path) - 1; i++) {
				if (line[i] == '{')
					path[o++] = ':';
				else if (line[i] != '}')
					path[o++] = line[i];
			}
			path[o] = '\0';
			continue;
		}
		{
			static const char *const m[] = {"get", "post", "put", "delete", "patch"};
			size_t k, i;

			for (k = 0; k < ARRAY_SIZE(m); k++) {
				char want[16];

				snprintf(want, sizeof(want), "    %s:", m[k]);
				if (strcmp(line, want) != 0)
					continue;
				assert_true(n < MAX_OPS);
				for (i = 0; m[k][i]; i++)
					ops[n].method[i] = (char)(m[k][i] - 'a' + 'A');
				ops[n].method[i] = '\0';
				str_lcpy(ops[n].path, path, sizeof(ops[n].path));
				n++;
			}
		}
	}
	fclose(fp);
	return n;
}

static void test_documented_routes(void **state)
{
	const char *src = getenv("WACHTER_SRC");
	char file[1024];
	struct op ops[MAX_OPS];
	const struct api_route *t;
	size_t n, nops, i, k;
	int fails = 0;

	(void)state;
	snprintf(file, sizeof(file), "%s/docs/api/openapi.yaml", src ? src : ".");
	nops = read_ops(file, ops);
	assert_true(nops >= 10);
	t = api_routes(&n);
	for (i = 0; i < nops; i++) {
		int found = 0;

		for (k = 0; k < n; k++)
			found |= strcmp(t[k].method, ops[i].method) == 0 &&
				 strcmp(t[k].pattern, ops[i].path) == 0;
		if (!found) {
			print_error("documented but not routed: %s %s\n", ops[i].method,
				    ops[i].path);
			fails++;
		}
	}
	for (k = 0; k < n; k++) {
		int found = 0;

		for (i = 0; i < nops; i++)
			found |= strcmp(t[k].method, ops[i].method) == 0 &&
				 strcmp(t[k].pattern, ops[i].path) == 0;
		if (!found) {
			print_error("routed but not documented: %s %s\n", t[k].method,
				    t[k].pattern);
			fails++;
		}
	}
	assert_int_equal(fails, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_documented_routes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
