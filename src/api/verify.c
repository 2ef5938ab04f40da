/*
 * verify.c: proof that a company owns an asset before anything scans it
 * actively: a DNS TXT record "wachter-verify=<token>" on the domain, or
 * the same line in https://<host>/.well-known/wachter-verify.txt. Both
 * answers are untrusted and read with a size cap.
 */
#include <curl/curl.h>
#include <string.h>

#include "api/api_int.h"
#include "config/config.h"
#include "core/core.h"
#include "dns/dns.h"

#define VERIFY_FILE_MAX 4096
#define VERIFY_TIMEOUT_MS 10000
#define VERIFY_PREFIX "wachter-verify="

int api_verify_match(const char *txt, size_t len, const char *token)
{
	struct cursor c, line;
	size_t tlen = strlen(token);

	if (tlen == 0)
		return 0;
	cursor_init(&c, txt, len);
	while (c.len > 0) {
		if (cursor_until(&c, '\n', &line) == 0) {
			if (cursor_skip(&c, 1))
				return 0;
		} else {
			line = c;
			c.len = 0;
		}
		cursor_trim(&line);
		if (line.len == strlen(VERIFY_PREFIX) + tlen &&
		    memcmp(line.p, VERIFY_PREFIX, strlen(VERIFY_PREFIX)) == 0 &&
		    memcmp(line.p + strlen(VERIFY_PREFIX), token, tlen) == 0)
			return 1;
	}
	return 0;
}

/* 0 when a TXT record of name holds the token, ERR_NOTFOUND when not. */
int api_verify_dns(const struct wachter_config *cfg, const char *name, const char *token,
		   struct logger *lg)
{
	struct dns_answer ans;
	struct dns_ctx *ctx = NULL;
	struct buf err = BUF_INIT;
	size_t i;
	int r, found = 0;

	memset(&ans, 0, sizeof(ans));
	r = dns_ctx_new(cfg && cfg->scan_resolver[0] ? cfg->scan_resolver : NULL, NULL,
			VERIFY_TIMEOUT_MS / 2, &ctx, &err);
	if (r) {
		LOG_WARN(lg, "verification resolver failed err=%s msg=\"%s\"", err_str(r), err.ptr);
		buf_release(&err);
		return r;
	}
	r = dns_query(ctx, name, 16 /* TXT */, &ans);
	for (i = 0; r == 0 && i < ans.n; i++)
		if (api_verify_match((const char *)ans.rr[i].data, ans.rr[i].dlen, token))
			found = 1;
	dns_answer_release(&ans);
	dns_ctx_free(ctx);
	buf_release(&err);
	if (r)
		return r;
	return found ? 0 : ERR_NOTFOUND;
}

static size_t file_write(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (buf_add(b, p, size * n) != 0)
		return 0; /* over the cap: abort the transfer */
	return size * n;
}

/* 0 when the well-known file of host holds the token. */
int api_verify_file(const struct wachter_config *cfg, const char *host, const char *token,
		    struct logger *lg)
{
	struct buf url = BUF_INIT, body;
	const char *ua = cfg && cfg->scan_user_agent[0] ? cfg->scan_user_agent : "wachter";
	CURL *h = curl_easy_init();
	long code = 0;
	CURLcode cr;
	int r;

	buf_init(&body, VERIFY_FILE_MAX);
	if (!h)
		return ERR_NOMEM;
	r = buf_addf(&url, "https://%s/.well-known/wachter-verify.txt", host);
	if (r)
		goto out;
	curl_easy_setopt(h, CURLOPT_URL, url.ptr);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)VERIFY_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, file_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	if (cfg && cfg->scan_ca_file[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->scan_ca_file);
	cr = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (cr != CURLE_OK) {
		LOG_INFO(lg, "verification file fetch failed host=%.*s err=\"%s\"",
			 LOG_CAP(strlen(host)), host, curl_easy_strerror(cr));
		r = ERR_CONN;
		goto out;
	}
	r = code == 200 && api_verify_match(body.ptr, body.len, token) ? 0 : ERR_NOTFOUND;
out:
	curl_easy_cleanup(h);
	buf_release(&url);
	buf_release(&body);
	return r;
}
