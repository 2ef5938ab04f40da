/*
 * check_int.h: the per-area check tables that registry.c joins. Private to
 * src/check; each defs_<area>.c defines one table ending with a {NULL} row.
 */
#ifndef WACHTER_CHECK_INT_H
#define WACHTER_CHECK_INT_H

#include "check/check.h"

extern const struct check_def check_defs_dns[];
extern const struct check_def check_defs_web[];
extern const struct check_def check_defs_tls[];
extern const struct check_def check_defs_cert[];
extern const struct check_def check_defs_hdr[];
extern const struct check_def check_defs_mail[];
extern const struct check_def check_defs_svc[];
extern const struct check_def check_defs_scan[];

#endif
