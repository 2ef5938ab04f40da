/*
 * mail.c: outgoing e-mail of the platform (password resets, invitations).
 * A request composes its message (every header field validated, the
 * Subject RFC 2047-encoded when it is not ASCII) and hands it to the
 * background sender: a bounded in-memory queue and one thread owned by
 * the server (struct api_mailer), which delivers over SMTP to the
 * configured relay with libcurl. So an answer never waits for the relay,
 * and a reset for an existing account takes the same path as one for an
 * unknown address. At shutdown the queue drains until a deadline; what is
 * left is dropped and counted in the log. Messages (they hold tokens) are
 * zeroed when freed and never logged.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/api_int.h"
#include "auth/auth.h"
#include "config/config.h"
#include "core/core.h"

#define MAIL_TIMEOUT_MS 15000 /* one delivery, connect to the relay's last reply */
#define MAIL_MSG_MAX (64u * 1024u)
#define MAIL_SUBJECT_MAX 200
#define MAIL_LINE_MAX 998 /* RFC 5322 2.1.1 */
#define MAIL_ORG_NAME_MAX 120

struct mail_item {
	char to[AUTH_EMAIL_MAX + 1];
	char kind[16]; /* "reset", "invitation": for the log */
	char id[48];   /* the Message-ID's local part: for the log */
	char *msg;     /* the whole message, CRLF lines */
	size_t len;
};

struct api_mailer {
	struct logger *lg;
	char url[CONFIG_PATH_MAX];
	char relay[CONFIG_PATH_MAX]; /* url without user:password, for the log */
	char from[AUTH_EMAIL_MAX + 1];
	char link_base[CONFIG_PATH_MAX];  /* public URL without a trailing '/' */
	int starttls;			  /* enum wachter_starttls */
	struct auth_ratelimit *invite_rl; /* invitation mails per inviter */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct mail_item items[API_MAIL_QUEUE_CAP];
	size_t head, count;
	int stopping;
	int64_t deadline_ms; /* when stopping: drop what is not sent by then */
	int busy;	     /* the thread is delivering a message */
	pthread_t thread;
	int started;
};

/* ------------------------------------------------------------ checks */

/* The length of the UTF-8 sequence at s[0..len), 0 when invalid (overlong
 * forms, surrogates and code points over U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* 1 when s[0..len) is UTF-8 without control characters (tab allowed when
 * tab_ok; C1 controls U+0080..U+009F count as control characters). */
int api_mail_text_ok(const char *s, size_t len, int tab_ok)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (!(tab_ok && p[i] == '\t'))
				return 0;
			i++;
			continue;
		}
		n = utf8_seq(p + i, len - i);
		if (n == 0 || (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0))
			return 0;
		i += n;
	}
	return 1;
}

/* An address that may go into a header and an SMTP command: what
 * auth_email_valid accepts (printable ASCII, no space, <, >, quotes,
 * commas, semicolons or backslashes; one '@'). */
static int addr_ok(const char *s)
{
	return s && auth_email_valid(s, strlen(s));
}

int api_mail_url_ok(const char *url)
{
	size_t i, skip;

	if (!url)
		return 0;
	skip = strncmp(url, "smtp://", 7) == 0 ? 7 : strncmp(url, "smtps://", 8) == 0 ? 8 : 0;
	if (!skip || !url[skip] || url[skip] == '/' || url[skip] == ':')
		return 0;
	for (i = 0; url[i]; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
			return 0;
	return i < CONFIG_PATH_MAX;
}

/* ----------------------------------------------------------- compose */

/* RFC 2047 "B" encoded-words of at most 75 characters: 45 bytes of UTF-8
 * each (60 base64 characters), never splitting a character, folded. */
static int subject_encoded(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char b64[64];
	size_t i = 0, take, n;
	int r = 0, first = 1;

	while (r == 0 && i < len) {
		take = 0;
		while (i + take < len) {
			n = utf8_seq(p + i + take, len - i - take);
			if (n == 0)
				return ERR_INVAL;
			if (take + n > 45)
				break;
			take += n;
		}
		sodium_bin2base64(b64, sizeof(b64), p + i, take, sodium_base64_VARIANT_ORIGINAL);
		r = buf_addf(out, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		first = 0;
		i += take;
	}
	return r;
}

int api_mail_subject(struct buf *out, const char *subject)
{
	size_t len = strlen(subject), i;

	if (len == 0 || len > MAIL_SUBJECT_MAX || !api_mail_text_ok(subject, len, 0))
		return ERR_INVAL;
	for (i = 0; i < len; i++)
		if ((unsigned char)subject[i] >= 0x80)
			return subject_encoded(out, subject, len);
	/* Plain ASCII; an "=?" could be read as an encoded-word: encode it. */
	if (strstr(subject, "=?"))
		return subject_encoded(out, subject, len);
	return buf_add(out, subject, len);
}

/* The body with "\n" or "\r\n" line ends as CRLF lines, each at most
 * MAIL_LINE_MAX bytes; a lone CR or a control character is refused. */
static int body_lines(struct buf *out, const char *body)
{
	const char *p = body, *nl;
	size_t len;
	int r = 0;

	while (r == 0 && *p) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len > MAIL_LINE_MAX || !api_mail_text_ok(p, len, 1))
			return ERR_INVAL;
		r = buf_add(out, p, len);
		if (r == 0)
			r = buf_adds(out, "\r\n");
		p = nl ? nl + 1 : p + len;
	}
	return r;
}

int api_mail_compose(const char *from, const char *to, const char *subject, const char *body,
		     time_t now, const char *msgid, struct buf *out)
{
	char date[64];
	struct tm tm;
	const char *dom;
	size_t i;
	int r;

	if (!addr_ok(from) || !addr_ok(to) || !msgid || !*msgid)
		return ERR_INVAL;
	for (i = 0; msgid[i]; i++)
		if (!((msgid[i] >= 'a' && msgid[i] <= 'z') ||
		      (msgid[i] >= 'A' && msgid[i] <= 'Z') ||
		      (msgid[i] >= '0' && msgid[i] <= '9') || msgid[i] == '-' || msgid[i] == '_' ||
		      msgid[i] == '.'))
			return ERR_INVAL;
	if (!gmtime_r(&now, &tm) ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
		return ERR_RANGE;
	dom = strchr(from, '@') + 1;
	r = buf_addf(out,
		     "Date: %s\r\nFrom: wachter <%s>\r\nTo: <%s>\r\nMessage-ID: <%s@%s>\r\n"
		     "Subject: ",
		     date, from, to, msgid, dom);
	if (r == 0)
		r = api_mail_subject(out, subject);
	if (r == 0)
		r = buf_adds(out, "\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: text/plain; charset=utf-8\r\n"
				  "Content-Transfer-Encoding: 8bit\r\n"
				  "Auto-Submitted: auto-generated\r\n\r\n");
	if (r == 0)
		r = body_lines(out, body);
	return r;
}

/* The weight of "q=0.8" (after the ';'), 0..1000; -1 when malformed. */
static int lang_q(struct cursor p)
{
	int q = 0, scale = 100;

	cursor_trim(&p);
	if (cursor_expect(&p, "q=") != 0 && cursor_expect(&p, "Q=") != 0)
		return -1;
	if (cursor_expect(&p, "1") == 0)
		q = 1000;
	else if (cursor_expect(&p, "0") != 0)
		return -1;
	if (p.len && cursor_expect(&p, ".") != 0)
		return -1;
	for (; p.len && p.p[0] >= '0' && p.p[0] <= '9'; p.p++, p.len--) {
		if (q == 1000 && p.p[0] != '0')
			return -1; /* over 1 */
		q += (p.p[0] - '0') * scale;
		scale /= 10;
	}
	return p.len ? -1 : q;
}

int api_mail_lang(const char *accept_language)
{
	struct cursor c, item, tag;
	const unsigned char *sep;
	int best = API_LANG_NL, best_q = 0, q;

	if (!accept_language)
		return API_LANG_NL;
	cursor_init(&c, accept_language, strnlen(accept_language, 1024));
	while (c.len) {
		sep = memchr(c.p, ',', c.len);
		cursor_init(&item, c.p, sep ? (size_t)(sep - c.p) : c.len);
		cursor_init(&c, sep ? sep + 1 : c.p + c.len, sep ? c.len - item.len - 1 : 0);
		tag = item;
		q = 1000;
		sep = memchr(item.p, ';', item.len);
		if (sep) {
			struct cursor params;

			tag.len = (size_t)(sep - item.p);
			cursor_init(&params, sep + 1, item.len - tag.len - 1);
			q = lang_q(params);
		}
		cursor_trim(&tag);
		if (q <= best_q || tag.len < 2 || (tag.len > 2 && tag.p[2] != '-'))
			continue;
		if ((tag.p[0] | 0x20) == 'n' && (tag.p[1] | 0x20) == 'l') {
			best = API_LANG_NL;
			best_q = q;
		} else if ((tag.p[0] | 0x20) == 'e' && (tag.p[1] | 0x20) == 'n') {
			best = API_LANG_EN;
			best_q = q;
		}
	}
	return best;
}

/* ------------------------------------------------------------- queue */

static void item_clear(struct mail_item *it)
{
	if (it->msg) {
		mem_zero(it->msg, it->len);
		free(it->msg);
	}
	memset(it, 0, sizeof(*it));
}

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

/* Abort a delivery still running when the drain deadline has passed. */
static int mail_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	struct api_mailer *m = arg;
	int stop;

	(void)a;
	(void)b;
	(void)c;
	(void)d;
	pthread_mutex_lock(&m->mu);
	stop = m->stopping && time_now_ms() >= m->deadline_ms;
	pthread_mutex_unlock(&m->mu);
	return stop;
}

static int deliver(struct api_mailer *m, const struct mail_item *it)
{
	struct curl_slist *rcpt = NULL;
	struct buf addr = BUF_INIT, from = BUF_INIT, detail = BUF_INIT;
	struct mail_src src = {it->msg, it->len};
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = NULL;
	CURLcode cr;
	long ssl = m->starttls == WACHTER_STARTTLS_NO	 ? (long)CURLUSESSL_NONE
		   : m->starttls == WACHTER_STARTTLS_TRY ? (long)CURLUSESSL_TRY
							 : (long)CURLUSESSL_ALL;
	int r;

	r = buf_addf(&addr, "<%s>", it->to);
	if (r == 0)
		r = buf_addf(&from, "<%s>", m->from);
	if (r == 0) {
		rcpt = curl_slist_append(NULL, addr.ptr);
		h = curl_easy_init();
		if (!rcpt || !h)
			r = ERR_NOMEM;
	}
	if (r)
		goto out;
	curl_easy_setopt(h, CURLOPT_URL, m->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, ssl);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.ptr);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, mail_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &src);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)MAIL_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, mail_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, m);
	cr = curl_easy_perform(h);
	if (cr != CURLE_OK) {
		/* errbuf names the relay's reply code or the network error, never
		 * message content; made printable since the relay chose it. */
		if (buf_add_printable(&detail, errbuf, strnlen(errbuf, sizeof(errbuf))) != 0)
			buf_reset(&detail);
		LOG_WARN(m->lg,
			 "mail delivery failed kind=%s id=%s relay=%s err=\"%s\" detail=\"%s\"",
			 it->kind, it->id, m->relay, curl_easy_strerror(cr),
			 detail.ptr ? detail.ptr : "");
		r = cr == CURLE_ABORTED_BY_CALLBACK  ? ERR_CANCELED
		    : cr == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT
		    : cr == CURLE_USE_SSL_FAILED || cr == CURLE_SSL_CONNECT_ERROR ||
			    cr == CURLE_PEER_FAILED_VERIFICATION
			? ERR_TLS
			: ERR_CONN;
	} else {
		LOG_INFO(m->lg, "mail sent kind=%s id=%s relay=%s", it->kind, it->id, m->relay);
	}
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	buf_release(&addr);
	buf_release(&from);
	buf_release(&detail);
	return r;
}

static void *mail_thread(void *arg)
{
	struct api_mailer *m = arg;
	struct mail_item it;
	size_t dropped = 0;

	for (;;) {
		pthread_mutex_lock(&m->mu);
		while (!m->stopping && m->count == 0)
			pthread_cond_wait(&m->cv, &m->mu);
		if (m->count == 0) { /* stopping and drained */
			pthread_mutex_unlock(&m->mu);
			break;
		}
		it = m->items[m->head];
		memset(&m->items[m->head], 0, sizeof(m->items[m->head]));
		m->head = (m->head + 1) % API_MAIL_QUEUE_CAP;
		m->count--;
		if (m->stopping && time_now_ms() >= m->deadline_ms) {
			pthread_mutex_unlock(&m->mu);
			dropped++;
			item_clear(&it);
			continue;
		}
		m->busy = 1;
		pthread_mutex_unlock(&m->mu);
		(void)deliver(m, &it);
		item_clear(&it);
		pthread_mutex_lock(&m->mu);
		m->busy = 0;
		pthread_mutex_unlock(&m->mu);
	}
	if (dropped)
		LOG_WARN(m->lg, "mail not sent at shutdown count=%zu (drain deadline passed)",
			 dropped);
	return NULL;
}

/* The URL without "user:password@", so the log never shows a password. */
static void relay_for_log(const char *url, char *out, size_t size)
{
	const char *start = strstr(url, "://"), *at, *slash;

	start = start ? start + 3 : url;
	slash = strchr(start, '/');
	at = memchr(start, '@', slash ? (size_t)(slash - start) : strlen(start));
	if (!at) {
		str_lcpy(out, url, size);
		return;
	}
	snprintf(out, size, "%.*s%s", (int)(start - url), url, at + 1);
}

int api_mailer_new(const struct wachter_config *cfg, const char *smtp_url, const char *from,
		   struct logger *lg, struct api_mailer **out)
{
	struct api_mailer *m;
	const char *pub = cfg ? cfg->serve_public_url : "";
	size_t n;

	if (!api_mail_url_ok(smtp_url) || !addr_ok(from))
		return ERR_INVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return ERR_NOMEM;
	m->lg = lg;
	str_lcpy(m->url, smtp_url, sizeof(m->url));
	relay_for_log(smtp_url, m->relay, sizeof(m->relay));
	str_lcpy(m->from, from, sizeof(m->from));
	m->starttls = cfg ? cfg->mail_starttls : WACHTER_STARTTLS_REQUIRE;
	if (pub[0]) {
		str_lcpy(m->link_base, pub, sizeof(m->link_base));
	} else if (cfg) {
		/* No public URL: the listen address is the best guess. */
		snprintf(m->link_base, sizeof(m->link_base), "%s://%s",
			 cfg->serve_tls_cert[0] ? "https" : "http", cfg->serve_listen);
	}
	n = strlen(m->link_base);
	while (n && m->link_base[n - 1] == '/')
		m->link_base[--n] = '\0';
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	if (auth_ratelimit_new(API_MAIL_INVITES_PER_HOUR, 3600, &m->invite_rl) != 0 ||
	    pthread_create(&m->thread, NULL, mail_thread, m) != 0) {
		api_mailer_free(m);
		return ERR_NOMEM;
	}
	m->started = 1;
	*out = m;
	return 0;
}

void api_mailer_free(struct api_mailer *m)
{
	size_t i;

	if (!m)
		return;
	if (m->started) {
		pthread_mutex_lock(&m->mu);
		m->stopping = 1;
		m->deadline_ms = time_now_ms() + API_MAIL_DRAIN_MS;
		if (m->count || m->busy)
			LOG_INFO(m->lg, "mail queue draining count=%zu deadline_ms=%d",
				 m->count + (size_t)m->busy, API_MAIL_DRAIN_MS);
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->mu);
		pthread_join(m->thread, NULL);
	}
	for (i = 0; i < API_MAIL_QUEUE_CAP; i++)
		item_clear(&m->items[i]);
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->mu);
	auth_ratelimit_free(m->invite_rl);
	free(m);
}

int api_mail_queue(struct api_mailer *m, const char *kind, const char *to, const char *subject,
		   const char *body)
{
	struct buf msg;
	struct mail_item it, *slot;
	char id[AUTH_TOKEN_SIZE];
	int r;

	if (!m)
		return ERR_UNSUPP;
	memset(&it, 0, sizeof(it));
	if (!addr_ok(to))
		return ERR_INVAL;
	auth_token_new(id);
	buf_init(&msg, MAIL_MSG_MAX);
	r = api_mail_compose(m->from, to, subject, body, time(NULL), id, &msg);
	if (r) {
		mem_zero(msg.ptr, msg.len);
		buf_release(&msg);
		return r;
	}
	str_lcpy(it.to, to, sizeof(it.to));
	str_lcpy(it.kind, kind, sizeof(it.kind));
	str_lcpy(it.id, id, sizeof(it.id));
	it.len = msg.len;
	it.msg = buf_take(&msg);
	if (!it.msg)
		return ERR_NOMEM;
	pthread_mutex_lock(&m->mu);
	if (m->stopping || m->count == API_MAIL_QUEUE_CAP) {
		r = m->stopping ? ERR_CANCELED : ERR_TOO_BIG;
	} else {
		slot = &m->items[(m->head + m->count) % API_MAIL_QUEUE_CAP];
		*slot = it;
		m->count++;
		pthread_cond_signal(&m->cv);
	}
	pthread_mutex_unlock(&m->mu);
	if (r) {
		LOG_WARN(m->lg, "mail not queued kind=%s err=%s", kind, err_str(r));
		item_clear(&it);
	}
	return r;
}

/* ----------------------------------------------------------- messages */

static const char *req_accept_language(const struct api_req *rq)
{
	return rq ? rq->accept_language : NULL;
}

/* The link carries the code after '#': a fragment never leaves the
 * browser, so it reaches no server or proxy log; the reset page reads it
 * from there and fills it in. */
int api_mail_reset(struct api_ctx *c, const struct api_req *rq, const char *to, const char *token)
{
	struct buf body = BUF_INIT;
	int en = api_mail_lang(req_accept_language(rq)) == API_LANG_EN;
	const char *base;
	int r;

	if (!c->mailer)
		return ERR_UNSUPP;
	base = c->mailer->link_base;
	if (en)
		r = buf_addf(&body,
			     "Someone asked to reset the password of your wachter account.\n"
			     "If that was you, use this code within an hour:\n\n  %s\n\n"
			     "%s%s%s%s%s"
			     "If it was not you, ignore this message; nothing changes.\n",
			     token, base[0] ? "or open " : "", base, base[0] ? "/reset#" : "",
			     base[0] ? token : "", base[0] ? "\n\n" : "");
	else
		r = buf_addf(&body,
			     "Iemand heeft gevraagd het wachtwoord van je wachter-account te "
			     "herstellen.\n"
			     "Was jij dat? Gebruik dan binnen een uur deze code:\n\n  %s\n\n"
			     "%s%s%s%s%s"
			     "Was jij het niet? Negeer dan dit bericht; er verandert niets.\n",
			     token, base[0] ? "of open " : "", base, base[0] ? "/reset#" : "",
			     base[0] ? token : "", base[0] ? "\n\n" : "");
	if (r == 0)
		r = api_mail_queue(c->mailer, "reset", to,
				   en ? "wachter: reset your password"
				      : "wachter: wachtwoord opnieuw instellen",
				   body.ptr);
	mem_zero(body.ptr, body.len);
	buf_release(&body);
	return r;
}

/* The organisation's name through the tenant layer (the inviter may write
 * it, so may read it), made safe for one line of text: control
 * characters and invalid UTF-8 dropped, capped. "" when unknown. */
static void org_name(struct api_ctx *c, const struct authz_ctx *az, int64_t org_id, char *out,
		     size_t size)
{
	struct buf js = BUF_INIT;
	json_t *o = NULL, *v;
	const unsigned char *p;
	size_t i = 0, o_n = 0, n;

	out[0] = '\0';
	if (!c->st || tenant_org_get(c->st, az, org_id, &js) != 0)
		goto out;
	o = json_loadb(js.ptr, js.len, 0, NULL);
	v = o ? json_object_get(o, "name") : NULL;
	if (!json_is_string(v))
		goto out;
	p = (const unsigned char *)json_string_value(v);
	while (p[i] && o_n + 4 < size && o_n < MAIL_ORG_NAME_MAX) {
		n = utf8_seq(p + i, strlen((const char *)p + i));
		if (n == 0 || p[i] < 0x20 || p[i] == 0x7f ||
		    (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)) {
			i += n ? n : 1;
			continue;
		}
		memcpy(out + o_n, p + i, n);
		o_n += n;
		i += n;
	}
	out[o_n] = '\0';
out:
	json_decref(o);
	buf_release(&js);
}

int api_mail_invitation(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			int64_t org_id, const char *to, const char *role, const char *token)
{
	struct buf body = BUF_INIT;
	int en = api_mail_lang(req_accept_language(rq)) == API_LANG_EN;
	char org[MAIL_ORG_NAME_MAX + 8];
	const char *who = az && addr_ok(az->email) ? az->email : NULL;
	const char *base, *rname;
	int r;

	if (!c->mailer)
		return ERR_UNSUPP;
	if (!addr_ok(to) || !token || strlen(token) != AUTH_TOKEN_LEN)
		return ERR_INVAL;
	/* Sign-up is open, so anyone could make the server mail text of their
	 * choosing (the organisation's name) to any address: cap it per
	 * inviter (operators excepted). */
	if (az && !az->operator) {
		char key[32];

		snprintf(key, sizeof(key), "user:%lld", (long long)az->user_id);
		if (auth_ratelimit_hit(c->mailer->invite_rl, key, time(NULL)) != 0) {
			LOG_WARN(c->lg, "invitation mail refused: over %d an hour user=%lld",
				 API_MAIL_INVITES_PER_HOUR, (long long)az->user_id);
			return ERR_PERM;
		}
	}
	base = c->mailer->link_base;
	org_name(c, az, org_id, org, sizeof(org));
	if (strcmp(role, "admin") == 0)
		rname = en ? "administrator" : "beheerder";
	else if (strcmp(role, "partner") == 0)
		rname = en ? "IT partner" : "IT-partner";
	else if (strcmp(role, "association") == 0)
		rname = en ? "sector association" : "brancheorganisatie";
	else if (strcmp(role, "insurer") == 0)
		rname = en ? "insurer" : "verzekeraar";
	else
		rname = en ? "member" : "lid";
	if (en)
		r = buf_addf(&body,
			     "Hello,\n\n"
			     "%s%s invites you to wachter, the cyber-risk monitor, as %s of "
			     "%s%s%s.\n\n"
			     "To accept, open this link within 7 days and choose a password:\n\n"
			     "  %s/invite#%s\n\n"
			     "Or enter this code on the invitation page:\n\n  %s\n\n"
			     "Not expecting this? Ignore this message; no account is created.\n",
			     who ? "" : "Someone", who ? who : "", rname, org[0] ? "\"" : "",
			     org[0] ? org : "an organisation", org[0] ? "\"" : "", base, token,
			     token);
	else
		r = buf_addf(
		    &body,
		    "Hallo,\n\n"
		    "%s%s nodigt je uit voor wachter, de monitor voor cyberrisico's, als "
		    "%s van %s%s%s.\n\n"
		    "Open binnen 7 dagen deze link en kies een wachtwoord om de uitnodiging "
		    "aan te nemen:\n\n"
		    "  %s/invite#%s\n\n"
		    "Of vul deze code in op de pagina van de uitnodiging:\n\n  %s\n\n"
		    "Verwacht je dit niet? Negeer dan dit bericht; er wordt geen account "
		    "gemaakt.\n",
		    who ? "" : "Iemand", who ? who : "", rname, org[0] ? "\u201c" : "",
		    org[0] ? org : "een organisatie", org[0] ? "\u201d" : "", base, token, token);
	if (r == 0)
		r = api_mail_queue(
		    c->mailer, "invitation", to,
		    en ? "wachter \u2013 you are invited" : "wachter \u2013 uitnodiging", body.ptr);
	mem_zero(body.ptr, body.len);
	buf_release(&body);
	return r;
}
