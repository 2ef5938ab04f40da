/*
 * fetch.c: one HTTP(S) request with libcurl, bounded: no automatic
 * redirects, no proxies, http/https only, a per-request timeout inside an
 * overall scan deadline, header block and body capped (a body over its cap
 * is cut, not an error). A certificate that does not verify is retried
 * without verification so the headers can still be judged (cert_ok = 0).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "web/web_int.h"

void web_resp_init(struct web_resp *r, size_t body_max)
{
	memset(r, 0, sizeof(*r));
	web_headers_init(&r->h);
	buf_init(&r->body, body_max);
	r->cert_ok = -1;
}

void web_resp_release(struct web_resp *r)
{
	web_headers_release(&r->h);
	buf_release(&r->body);
}

int web_ctx_init(struct web_ctx *x, const struct web_opts *o, struct logger *lg)
{
	int hp = o->http_port ? o->http_port : 80, sp = o->https_port ? o->https_port : 443;
	int total = o->timeout_ms > 0 ? o->timeout_ms * 8 : 80000;
	struct curl_slist *l;
	char line[400];
	int v6;

	memset(x, 0, sizeof(*x));
	x->o = o;
	x->lg = lg;
	x->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	x->deadline_ms = time_now_ms() + (total < 30000 ? 30000 : total);
	snprintf(x->ua, sizeof(x->ua), "%s",
		 o->user_agent ? o->user_agent : "wachter/" WACHTER_VERSION);
	x->curl = curl_easy_init();
	if (!x->curl)
		return ERR_NOMEM;
	if (o->addr && *o->addr) {
		v6 = strchr(o->addr, ':') != NULL;
		snprintf(line, sizeof(line), "%s:%d:%s%s%s", o->host, hp, v6 ? "[" : "", o->addr,
			 v6 ? "]" : "");
		l = curl_slist_append(x->resolve, line);
		if (!l)
			return ERR_NOMEM;
		x->resolve = l;
		snprintf(line, sizeof(line), "%s:%d:%s%s%s", o->host, sp, v6 ? "[" : "", o->addr,
			 v6 ? "]" : "");
		l = curl_slist_append(x->resolve, line);
		if (!l)
			return ERR_NOMEM;
		x->resolve = l;
	}
	return 0;
}

void web_ctx_release(struct web_ctx *x)
{
	if (x->curl)
		curl_easy_cleanup(x->curl);
	curl_slist_free_all(x->resolve);
	x->curl = NULL;
	x->resolve = NULL;
}

struct sink {
	struct web_resp *resp;
	struct buf hdr;
	int hdr_too_big;
};

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;

	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
		buf_reset(&s->hdr); /* a new response (after 1xx) */
	if (buf_add(&s->hdr, p, len)) {
		s->hdr_too_big = 1;
		return 0;
	}
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	struct buf *b = &s->resp->body;
	size_t len = size * n, room = b->max - b->len;

	if (len > room) {
		if (room && buf_add(b, p, room))
			return 0;
		s->resp->truncated = 1;
		return 0; /* stop reading: the cap is reached */
	}
	return buf_add(b, p, len) ? 0 : len;
}

static int map_curl(CURLcode c)
{
	switch (c) {
	case CURLE_OK:
		return 0;
	case CURLE_OPERATION_TIMEDOUT:
		return ERR_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
		return ERR_RESOLVE;
	case CURLE_COULDNT_CONNECT:
		return ERR_CONN;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
		return ERR_TLS;
	case CURLE_OUT_OF_MEMORY:
		return ERR_NOMEM;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return ERR_INVAL;
	default:
		return ERR_PROTO;
	}
}

static int setup(struct web_ctx *x, const char *url, const struct web_req *rq, struct sink *s,
		 struct curl_slist **hdrs, int verify, long tmo)
{
	CURL *c = x->curl;
	struct curl_slist *l;
	char line[300];

	curl_easy_reset(c);
	if (rq->origin) {
		snprintf(line, sizeof(line), "Origin: %s", rq->origin);
		if (!(l = curl_slist_append(*hdrs, line)))
			return ERR_NOMEM;
		*hdrs = l;
	}
	if (rq->gzip) {
		if (!(l = curl_slist_append(*hdrs, "Accept-Encoding: gzip, deflate, br")))
			return ERR_NOMEM;
		*hdrs = l;
	}
	if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK)
		return ERR_INVAL;
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, tmo);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, tmo);
	curl_easy_setopt(c, CURLOPT_USERAGENT, x->ua);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
	if (x->o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, x->o->ca_file);
	if (x->resolve)
		curl_easy_setopt(c, CURLOPT_RESOLVE, x->resolve);
	return 0;
}

static int fetch_once(struct web_ctx *x, const char *url, const struct web_req *rq,
		      struct web_resp *resp, int verify, CURLcode *cc)
{
	struct curl_slist *hdrs = NULL;
	struct sink s;
	int64_t left = x->deadline_ms - time_now_ms();
	long tmo = x->timeout_ms < left ? x->timeout_ms : (long)left;
	int r;

	if (left <= 0)
		return ERR_TIMEOUT;
	memset(&s, 0, sizeof(s));
	s.resp = resp;
	buf_init(&s.hdr, WEB_HDR_MAX_BLOCK);
	buf_reset(&resp->body);
	resp->truncated = 0;
	r = setup(x, url, rq, &s, &hdrs, verify, tmo);
	if (r == 0) {
		x->requests++;
		*cc = curl_easy_perform(x->curl);
		if (*cc == CURLE_WRITE_ERROR && resp->truncated)
			*cc = CURLE_OK;
		if (s.hdr_too_big)
			r = ERR_TOO_BIG;
		else if (*cc != CURLE_OK)
			r = map_curl(*cc);
		else
			r = web_headers_parse(s.hdr.ptr, s.hdr.len, &resp->h);
		if (r == 0) {
			curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &resp->status);
			if (resp->h.status == 0)
				resp->h.status = resp->status;
		}
	}
	curl_slist_free_all(hdrs);
	buf_release(&s.hdr);
	return r;
}

int web_fetch(struct web_ctx *x, const char *url, const struct web_req *rq, struct web_resp *resp)
{
	int https = strncasecmp(url, "https://", 8) == 0;
	CURLcode cc = CURLE_OK;
	int r;

	resp->status = 0;
	resp->err[0] = '\0';
	resp->cert_ok = https ? 1 : -1;
	r = fetch_once(x, url, rq, resp, 1, &cc);
	if (https && cc == CURLE_PEER_FAILED_VERIFICATION) {
		LOG_DEBUG(x->lg, "certificate does not verify, retrying unverified url=%.*s",
			  LOG_CAP(strlen(url)), url);
		resp->cert_ok = 0;
		r = fetch_once(x, url, rq, resp, 0, &cc);
	}
	if (r) {
		snprintf(resp->err, sizeof(resp->err), "%s",
			 r == ERR_TOO_BIG ? "header block too big"
			 : cc != CURLE_OK ? curl_easy_strerror(cc)
					  : err_str(r));
		resp->status = 0;
		LOG_DEBUG(x->lg, "request failed url=%.*s err=\"%s\"", LOG_CAP(strlen(url)), url,
			  resp->err);
	}
	return r;
}
