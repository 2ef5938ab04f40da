/*
 * pct.c: one percent escape ("%4A") of a URL's path or query string, for
 * its three decoders (the API's query strings, the router's parameters,
 * the static files' paths), which differ only in what they refuse.
 */
#include "core/core.h"

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pct_escape(const unsigned char *p, size_t len, size_t *i, unsigned char *ch)
{
	int hi, lo;

	if (*i + 2 >= len)
		return ERR_PARSE;
	hi = hexval(p[*i + 1]);
	lo = hexval(p[*i + 2]);
	if (hi < 0 || lo < 0)
		return ERR_PARSE;
	*ch = (unsigned char)(hi * 16 + lo);
	*i += 2;
	return 0;
}
