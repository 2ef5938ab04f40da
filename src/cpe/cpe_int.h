/*
 * cpe_int.h: declarations private to src/cpe, shared between its files and
 * reachable from unit tests (TESTABLE helpers). No other module includes it.
 */
#ifndef WACHTER_CPE_INT_H
#define WACHTER_CPE_INT_H

#include <stddef.h>

#include "cpe/cpe.h"

#ifdef WACHTER_TESTING
/* version.c */
int version_pre_rank(const unsigned char *s, size_t n);
int version_verrevcmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl);
/* range.c */
size_t cpe_version_base_len(const char *v, size_t len);
#endif

/* cpe.c: is s a value equal (ASCII case-insensitive) to t[0..len)? */
int cpe_mem_eq_ci(const char *s, size_t slen, const char *t, size_t tlen);

#endif
