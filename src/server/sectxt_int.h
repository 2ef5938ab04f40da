/*
 * sectxt_int.h: private to src/server: the server's own
 * /.well-known/security.txt (RFC 9116) from sectxt.c. Kept apart from
 * server_int.h so sectxt.c needs no edit of files in flight.
 */
#ifndef WACHTER_SERVER_SECTXT_INT_H
#define WACHTER_SERVER_SECTXT_INT_H

#include <stddef.h>
#include <time.h>

#include "core/core.h"

struct MHD_Connection;
struct wachter_config;

#define SRV_SECTXT_PATH "/.well-known/security.txt"

/* srv_sectxt_wants: 1 for GET or HEAD of SRV_SECTXT_PATH (raw path
 * path[0..len), no query) when serve.security_contact is set. */
int srv_sectxt_wants(const struct wachter_config *cfg, const char *method, const char *path,
		     size_t len);

/*
 * srv_sectxt_body: the file for the time now: Contact
 * (serve.security_contact), Expires 365 days after now, Preferred-Languages
 * nl, en, and Canonical <serve.public_url>/.well-known/security.txt when
 * the public URL is set. ERR_INVAL when there is no contact or a value
 * holds a byte that could start another line.
 */
int srv_sectxt_body(const struct wachter_config *cfg, time_t now, struct buf *out) WUR;

/* srv_sectxt_serve: queue the answer (200 text/plain with the security
 * headers; HSTS under TLS) on con; *status and *bytes for the access log.
 * Returns an enum MHD_Result. */
int srv_sectxt_serve(const struct wachter_config *cfg, struct MHD_Connection *con, int tls,
		     unsigned *status, size_t *bytes);

#endif
