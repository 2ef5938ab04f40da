/*
 * mail.c: outgoing e-mail of the platform (password resets) over SMTP to
 * the configured relay with libcurl. Addresses were validated (no CR, LF
 * or angle brackets), so they cannot inject headers or commands.
 */
#include <curl/curl.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "auth/auth.h"
#include "core/core.h"

#define MAIL_TIMEOUT_MS 15000

struct mail_src {
	const char *p;
	size_t left;
};

static size_t mail_read(char *dst, size_t size, size_t n, void *arg)
{
	struct mail_src *m = arg;
	size_t k = size * n < m->left ? size * n : m->left;

	memcpy(dst, m->p, k);
	m->p += k;
	m->left -= k;
	return k;
}

static int mail_compose(const char *from, const char *to, const char *subject, const char *body,
			struct buf *msg)
{
	char date[64];
	struct tm tm;
	time_t now = time(NULL);
	char id[AUTH_HASH_HEX_SIZE];

	if (!gmtime_r(&now, &tm) ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
		return ERR_RANGE;
	/* A unique id without another secret: the hash of the (unique) body. */
	auth_token_hash(body, strlen(body), id);
	return buf_addf(msg,
			"Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: %s\r\n"
			"Message-ID: <%.32s@wachter>\r\nMIME-Version: 1.0\r\n"
			"Content-Type: text/plain; charset=utf-8\r\n"
			"Content-Transfer-Encoding: 8bit\r\n\r\n%s",
			date, from, to, subject, id, body);
}

int api_mail_send(const char *smtp_url, const char *from, const char *to, const char *subject,
		  const char *body, struct logger *lg)
{
	struct curl_slist *rcpt = NULL;
	struct buf msg = BUF_INIT, addr = BUF_INIT;
	struct mail_src src;
	CURL *h;
	CURLcode cr;
	int r;

	if (!smtp_url || !*smtp_url || !from || !*from)
		return ERR_UNSUPP;
	if (!auth_email_valid(to, strlen(to)) || !auth_email_valid(from, strlen(from)))
		return ERR_INVAL;
	r = mail_compose(from, to, subject, body, &msg);
	if (r == 0)
		r = buf_addf(&addr, "<%s>", to);
	if (r)
		goto out;
	rcpt = curl_slist_append(NULL, addr.ptr);
	h = curl_easy_init();
	if (!rcpt || !h) {
		curl_easy_cleanup(h);
		r = ERR_NOMEM;
		goto out;
	}
	buf_reset(&addr);
	r = buf_addf(&addr, "<%s>", from);
	src.p = msg.ptr;
	src.left = msg.len;
	curl_easy_setopt(h, CURLOPT_URL, smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, addr.ptr);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, mail_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &src);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)MAIL_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	cr = r ? CURLE_OUT_OF_MEMORY : curl_easy_perform(h);
	if (cr != CURLE_OK) {
		LOG_WARN(lg, "mail delivery failed relay=%s err=\"%s\"", smtp_url,
			 curl_easy_strerror(cr));
		r = ERR_CONN;
	}
	curl_easy_cleanup(h);
out:
	curl_slist_free_all(rcpt);
	mem_zero(msg.ptr, msg.len);
	buf_release(&msg);
	buf_release(&addr);
	return r;
}
