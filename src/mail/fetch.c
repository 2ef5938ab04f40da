/*
 * fetch.c: download an MTA-STS policy with libcurl: HTTPS only, pinned to
 * the address our own resolver gave for mta-sts.<domain>, certificate
 * verified for that name, no redirects (RFC 8461 3.3), body capped.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "mail/mail.h"
#include "mail/mail_int.h"

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct buf *b = arg;

	if (n && sz > SIZE_MAX / n)
		return 0;
	return buf_add(b, p, sz * n) == 0 ? sz * n : 0;
}

int mtasts_fetch(const char *host, const char *addr, unsigned port, const char *ca_file,
		 int timeout_ms, struct buf *body, struct buf *err)
{
	CURL *h;
	struct curl_slist *pin = NULL;
	char url[DNS_NAME_MAX + 64], res[DNS_NAME_MAX + DNS_ADDRSTR_MAX + 16];
	char ebuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode cc;
	int r = 0;

	buf_init(body, MTASTS_POLICY_MAX);
	snprintf(url, sizeof(url), "https://%s:%u/.well-known/mta-sts.txt", host, port);
	snprintf(res, sizeof(res), strchr(addr, ':') ? "%s:%u:[%s]" : "%s:%u:%s", host, port, addr);
	h = curl_easy_init();
	if (!h)
		return ERR_NOMEM;
	pin = curl_slist_append(NULL, res);
	if (!pin) {
		curl_easy_cleanup(h);
		return ERR_NOMEM;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_RESOLVE, pin);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)MTASTS_POLICY_MAX);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "wachter/" WACHTER_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	if (ca_file && *ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		buf_errf(err, "%s: %s", url, ebuf[0] ? ebuf : curl_easy_strerror(cc));
		r = cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CONNECT_ERROR ? ERR_TLS
		    : cc == CURLE_OPERATION_TIMEDOUT			       ? ERR_TIMEOUT
		    : cc == CURLE_FILESIZE_EXCEEDED || cc == CURLE_WRITE_ERROR ? ERR_TOO_BIG
									       : ERR_IO;
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		buf_errf(err, "%s: HTTP %ld", url, status);
		r = ERR_PROTO;
	}
out:
	curl_slist_free_all(pin);
	curl_easy_cleanup(h);
	return r;
}
