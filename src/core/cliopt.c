/*
 * cliopt.c: the option helpers that the command-line front ends share
 * (wachter tls, web, scan, portscan): an option's value, a bounded
 * decimal number and --format text|json.
 */
#include <string.h>

#include "core/core.h"

const char *cli_opt_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		if (missing)
			*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int cli_uint(const char *s, long lo, long hi, int *out)
{
	struct cursor c;
	uint64_t v;

	cursor_init(&c, s, strlen(s));
	if (cursor_uint(&c, (uint64_t)hi, &v) != 0 || c.len != 0 || v < (uint64_t)lo ||
	    v > (uint64_t)hi)
		return ERR_INVAL;
	*out = (int)v;
	return 0;
}

int cli_format(const char *v, int *json)
{
	if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
		return ERR_INVAL;
	*json = strcmp(v, "json") == 0;
	return 0;
}
