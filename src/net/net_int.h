/*
 * net_int.h: declarations private to src/net (TESTABLE helpers reached by
 * the unit tests). No other module includes this.
 */
#ifndef WACHTER_NET_INT_H
#define WACHTER_NET_INT_H

#include <stdint.h>

#include "net/net.h"

#ifdef WACHTER_TESTING
/* targets.c */
int targets_parse_literal(const char *s, size_t len, struct net_addr *a);
int targets_valid_hostname(const char *s, size_t len);
/* portscan.c */
int portscan_fd_budget(int want, struct logger *lg);
int portscan_self_connect(int fd);
#endif

#endif
