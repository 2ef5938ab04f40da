/*
 * scan_int.h: private to src/scan.
 */
#ifndef WACHTER_SCAN_INT_H
#define WACHTER_SCAN_INT_H

#include "scan/scan.h"
#include "tls/tls.h"

#ifdef WACHTER_TESTING
enum tls_starttls scan_starttls_for(const char *service, uint16_t port);
#endif

#endif
