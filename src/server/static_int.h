/*
 * static_int.h: private to src/server: serving the dashboard's built files
 * (ui/dist) from static.c. To be folded into server_int.h by the
 * integrator; kept apart so static.c needs no edit of files in flight.
 */
#ifndef WACHTER_SERVER_STATIC_INT_H
#define WACHTER_SERVER_STATIC_INT_H

#include <stddef.h>

#include "core/core.h"

struct MHD_Connection;
struct logger;

#define SRV_STATIC_DEFAULT_DIR "ui/dist"
#define SRV_STATIC_FILE_MAX ((size_t)32 << 20) /* larger files are not served */
#define SRV_STATIC_PATH_MAX 512		       /* decoded relative path bytes */

/* The opened UI directory (a directory fd); read-only after open, so one
 * may be shared by every request thread. */
struct srv_static;

/*
 * srv_static_open: open dir for serving. dir NULL means the default
 * SRV_STATIC_DEFAULT_DIR relative to the working directory, which may be
 * absent: then *out is NULL and 0 is returned (the server runs API-only).
 * A dir given explicitly must be a directory holding index.html, else
 * ERR_NOTFOUND (logged). Free with srv_static_free (NULL is fine).
 */
int srv_static_open(const char *dir, struct logger *lg, struct srv_static **out) WUR;
void srv_static_free(struct srv_static *ss);

/* srv_static_wants: 1 when a request that matched no API route belongs to
 * the UI: GET or HEAD on a path outside /api and /healthz. */
int srv_static_wants(const char *method, const char *path, size_t len);

/*
 * srv_static_serve: answer GET/HEAD path[0..len) (raw, percent-encoded, no
 * query) from ss: the file, or index.html for a client route (a path
 * whose last segment has no '.'), or 404; malformed or escaping paths
 * ("..", "%2F", NUL, hidden files) get 404 too. Adds the security headers
 * (server_security_headers, HSTS when tls) with its own Cache-Control:
 * hashed /assets/ files are immutable for a year, everything else
 * no-cache. *status and *bytes get what was sent (for the access log).
 * Returns libmicrohttpd's result (MHD_YES/MHD_NO) as an int.
 */
int srv_static_serve(const struct srv_static *ss, struct MHD_Connection *con, const char *path,
		     size_t len, int tls, unsigned *status, size_t *bytes);

#ifdef WACHTER_TESTING
/* srv_static_resolve: the raw path to a relative file name ("index.html"
 * for "/"); ERR_PARSE for bad escapes, NUL, '/' or '\\' inside a segment,
 * "." / ".." or hidden segments; ERR_TOO_BIG over SRV_STATIC_PATH_MAX. */
int srv_static_resolve(const char *path, size_t len, char *out, size_t size);
/* srv_static_type: the Content-Type for a file name. */
const char *srv_static_type(const char *name);
#endif

#endif
