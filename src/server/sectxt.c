/*
 * sectxt.c: /.well-known/security.txt of the server itself (RFC 9116), so
 * whoever finds a weakness in a wachter installation knows whom to tell,
 * and wachter's own web check (HDR-09) passes against it. Built per
 * request: Expires is always a year ahead of the answer.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "core/core.h"
#include "server/sectxt_int.h"
#include "server/server.h"

#define SECTXT_VALID_S (365 * 86400)

int srv_sectxt_wants(const struct wachter_config *cfg, const char *method, const char *path,
		     size_t len)
{
	return cfg && cfg->serve_security_contact[0] && len == strlen(SRV_SECTXT_PATH) &&
	       memcmp(path, SRV_SECTXT_PATH, len) == 0 &&
	       (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
}

/* No byte that ends a line or is not printable ASCII (config validated it;
 * checked again since the file is line-based). */
static int one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

int srv_sectxt_body(const struct wachter_config *cfg, time_t now, struct buf *out)
{
	const char *contact = cfg->serve_security_contact, *pub = cfg->serve_public_url;
	char expires[TIME_RFC3339_LEN];
	size_t plen = strlen(pub);
	int r;

	if (!contact[0] || !one_line(contact) || !one_line(pub))
		return ERR_INVAL;
	while (plen && pub[plen - 1] == '/')
		plen--;
	r = time_rfc3339(now + SECTXT_VALID_S, expires);
	if (r == 0)
		r = buf_addf(out,
			     "# Security contact of this wachter server (RFC 9116).\n"
			     "Contact: %s\n"
			     "Expires: %s\n"
			     "Preferred-Languages: nl, en\n",
			     contact, expires);
	if (r == 0 && plen)
		r = buf_addf(out, "Canonical: %.*s%s\n", (int)plen, pub, SRV_SECTXT_PATH);
	return r;
}

int srv_sectxt_serve(const struct wachter_config *cfg, struct MHD_Connection *con, int tls,
		     unsigned *status, size_t *bytes)
{
	const struct server_header *h;
	struct MHD_Response *resp;
	struct buf b = BUF_INIT;
	enum MHD_Result ret;
	unsigned code = 200;
	size_t n, i, len;
	char *body;

	if (srv_sectxt_body(cfg, time(NULL), &b) != 0) {
		buf_reset(&b);
		code = 500;
		if (buf_adds(&b, "security.txt unavailable\n") != 0)
			return MHD_NO;
	}
	len = b.len;
	body = buf_take(&b);
	if (!body)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	h = server_security_headers(&n);
	for (i = 0; i < n; i++)
		MHD_add_response_header(resp, h[i].name, h[i].value);
	if (tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
					"max-age=31536000; includeSubDomains");
	MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
	*status = code;
	*bytes = len;
	ret = MHD_queue_response(con, code, resp);
	MHD_destroy_response(resp);
	return ret;
}
