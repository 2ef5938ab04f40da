/*
 * check.c: svc_check, the exposed-service checks. Each finding rests on
 * its own protocol exchange, recorded as a short transcript ("C: ..." /
 * "S: ...") in the evidence. Nothing here writes data on the server.
 */
#include <string.h>

#include "svc/svc_int.h"

#define CHK_READ_MAX 8192

/* struct dialog: one connection with a transcript of what was said. */
struct dialog {
	struct svc_conn c;
	struct buf rx;	/* the last answer */
	struct buf log; /* transcript, capped at SVC_EVIDENCE_MAX */
	int timeout_ms;
	int open;
};

static void log_line(struct dialog *d, const char *who, const void *p, size_t len)
{
	size_t mark = d->log.len;

	if (d->log.len >= d->log.max)
		return;
	if (buf_adds(&d->log, who) != 0 || buf_add_printable(&d->log, p, len) != 0 ||
	    buf_addch(&d->log, '\n') != 0)
		buf_truncate(&d->log, mark);
}

static int dlg_open(struct dialog *d, const struct net_addr *a, int timeout_ms)
{
	int r;

	memset(d, 0, sizeof(*d));
	buf_init(&d->rx, CHK_READ_MAX);
	buf_init(&d->log, SVC_EVIDENCE_MAX);
	d->timeout_ms = timeout_ms;
	r = svc_conn_open(&d->c, a, timeout_ms, time_now_ms() + 4 * (int64_t)timeout_ms);
	if (r == 0)
		d->open = 1;
	return r;
}

static void dlg_close(struct dialog *d)
{
	if (d->open)
		svc_conn_close(&d->c);
	d->open = 0;
	buf_release(&d->rx);
	buf_release(&d->log);
}

static int any_done(const struct buf *b, void *arg)
{
	(void)arg;
	return b->len > 0;
}

/* dlg_read: read an answer (done decides when it is complete; NULL: the
 * first bytes) into rx. */
static int dlg_read(struct dialog *d, int (*done)(const struct buf *, void *), void *arg)
{
	int r;

	if (!done)
		done = any_done;
	buf_reset(&d->rx);
	r = svc_conn_recv_until(&d->c, &d->rx, CHK_READ_MAX, d->timeout_ms, done, arg);
	if (d->rx.len)
		log_line(d, "S: ", d->rx.ptr, d->rx.len);
	if (r == ERR_TOO_BIG || (r == ERR_TIMEOUT && d->rx.len))
		r = 0;
	return d->rx.len ? 0 : (r ? r : ERR_EOF);
}

/* dlg_send: send p and log it (without its line end). */
static int dlg_send(struct dialog *d, const void *p, size_t len)
{
	size_t shown = len;
	const char *s = p;

	while (shown && (s[shown - 1] == '\n' || s[shown - 1] == '\r'))
		shown--;
	log_line(d, "C: ", p, shown);
	return svc_conn_send(&d->c, p, len);
}

static int reply_done(const struct buf *b, void *arg)
{
	(void)arg;
	return svc_reply_done(b, (void *)1);
}

/* reply_code: the code of the last line of an SMTP/FTP reply, or 0. */
static int reply_code(const struct buf *b)
{
	struct cursor c, line, last = {NULL, 0};
	uint64_t v;

	cursor_init(&c, b->ptr, b->len);
	while (cursor_line(&c, 1024, &line) == 0)
		last = line;
	if (!last.p)
		return 0;
	line = last;
	if (line.len < 3)
		return 0;
	/* Only a final line ("250 ok", not "250-more") carries the reply's
	 * code: a reply cut off in its continuation lines has none. */
	if (line.len > 3 && line.p[3] != ' ')
		return 0;
	line.len = 3;
	return cursor_uint(&line, 999, &v) == 0 ? (int)v : 0;
}

static int dlg_cmd(struct dialog *d, const char *cmd, int *code)
{
	int r = dlg_send(d, cmd, strlen(cmd));

	if (r == 0)
		r = dlg_read(d, reply_done, NULL);
	*code = r == 0 ? reply_code(&d->rx) : 0;
	return r;
}

static int add(struct findings *out, const char *id, int sev, const char *target, int port,
	       const char *detail, const struct dialog *d)
{
	return findings_add(out, id, sev, CONF_HIGH, target, port, detail, d->log.ptr);
}

/* probe_once: send hello (may be NULL), parse the answer with parse. */
static int probe_once(struct dialog *d, const struct net_addr *a, int timeout_ms, const char *hello,
		      size_t hello_len, svc_parse_fn parse, struct svc_info *si)
{
	int r, m = SVC_MORE;

	r = dlg_open(d, a, timeout_ms);
	if (r)
		return r;
	if (hello) {
		r = dlg_send(d, hello, hello_len);
		if (r)
			return r;
	}
	buf_reset(&d->rx);
	while (m == SVC_MORE) {
		r = svc_conn_recv(&d->c, &d->rx, CHK_READ_MAX - d->rx.len);
		if (r)
			break;
		m = parse((const unsigned char *)d->rx.ptr, d->rx.len, net_addr_port(a), si);
	}
	if (d->rx.len)
		log_line(d, "S: ", d->rx.ptr, d->rx.len);
	return m == SVC_YES ? 0 : (r ? r : ERR_PROTO);
}

static int is_err_fatal(int r)
{
	return r == ERR_NOMEM;
}

/* ------------------------------------------------ simple reachability */

static int check_proto(const struct net_addr *a, const char *target, int timeout_ms,
		       const char *proto, const char *id, struct findings *out, struct logger *lg)
{
	const struct svc_proto *pr = svc_proto_find(proto);
	struct dialog d;
	struct svc_info si;
	char detail[256];
	int r, port = net_addr_port(a), sev = -1;

	svc_info_init(&si);
	r = probe_once(&d, a, timeout_ms, pr->hello, pr->hello_len, pr->parse, &si);
	if (r) {
		LOG_INFO(lg, "svc check not confirmed id=%s port=%d r=%s", id, port, err_str(r));
		r = 0;
		goto out;
	}
	if (strcmp(proto, "postgresql") == 0 && strncmp(si.extra, "auth=trust", 10) == 0)
		sev = SEV_CRITICAL;
	else if (strcmp(proto, "postgresql") == 0 && strstr(si.extra, "pg_hba.conf"))
		sev = SEV_MEDIUM;
	snprintf(detail, sizeof(detail), "%s answers on port %d%s%s%s",
		 si.product[0] ? si.product : proto, port, si.extra[0] ? " (" : "", si.extra,
		 si.extra[0] ? ")" : "");
	r = add(out, id, sev, target, port, detail, &d);
out:
	dlg_close(&d);
	return r;
}

/* banner-first protocols: the greeting is the confirmation */
static int check_banner(const struct net_addr *a, const char *target, int timeout_ms,
			const char *proto, const char *id, struct findings *out, struct logger *lg)
{
	const struct svc_proto *pr = svc_proto_find(proto);
	struct dialog d;
	struct svc_info si;
	char detail[256];
	int r, port = net_addr_port(a), sev = -1;

	svc_info_init(&si);
	r = probe_once(&d, a, timeout_ms, NULL, 0, pr->parse, &si);
	if (r) {
		LOG_INFO(lg, "svc check not confirmed id=%s port=%d r=%s", id, port, err_str(r));
		r = 0;
		goto out;
	}
	if (strcmp(proto, "mysql") == 0 && strstr(si.extra, "not allowed"))
		sev = SEV_MEDIUM; /* reachable, but refuses this host */
	snprintf(detail, sizeof(detail), "%s%s%s greets unauthenticated clients on port %d",
		 si.product[0] ? si.product : proto, si.version[0] ? " " : "", si.version, port);
	r = add(out, id, sev, target, port, detail, &d);
out:
	dlg_close(&d);
	return r;
}

/* ---------------------------------------------------------------- FTP */

/* a 530 that says logins need TLS first ("must use encryption", vsftpd) */
static int ftp_tls_required(const struct buf *rx)
{
	return reply_code(rx) == 530 || reply_code(rx) == 534;
}

/*
 * SVC-04: anonymous login (USER anonymous, PASS an address) accepted with
 * 230: high. Otherwise plaintext FTP is a warning only when a named user
 * may log in without TLS: "USER wachter" answered with 331 (send your
 * password) rather than 530 (use AUTH TLS first).
 */
static int check_ftp(const struct net_addr *a, const char *target, int timeout_ms,
		     struct findings *out, struct logger *lg)
{
	struct dialog d;
	int r, code = 0, port = net_addr_port(a), tls_only = 0, user_code = 0;

	r = dlg_open(&d, a, timeout_ms);
	if (r == 0)
		r = dlg_read(&d, reply_done, NULL);
	if (r || reply_code(&d.rx) != 220) {
		LOG_INFO(lg, "svc ftp greeting missing port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	r = dlg_cmd(&d, "USER anonymous\r\n", &code);
	if (r == 0 && code == 331) {
		/* servers delay a failed login; wait longer for this answer */
		d.timeout_ms = 2 * timeout_ms;
		r = dlg_cmd(&d, "PASS wachter@example.org\r\n", &code);
		d.timeout_ms = timeout_ms;
	}
	if (r == 0 && code == 230) {
		(void)dlg_cmd(&d, "QUIT\r\n", &code);
		r = add(out, "SVC-04", SEV_HIGH, target, port,
			"FTP accepts anonymous login (230), in plaintext", &d);
		goto out;
	}
	if (r == 0)
		r = dlg_cmd(&d, "USER wachter\r\n", &user_code);
	if (r == 0 && ftp_tls_required(&d.rx))
		tls_only = 1;
	(void)dlg_cmd(&d, "QUIT\r\n", &code);
	if (r || tls_only || user_code != 331) {
		LOG_DEBUG(lg, "svc ftp no plaintext login port=%d r=%s user=%d log=%.*s", port,
			  err_str(r), user_code, LOG_CAP(d.log.len), d.log.ptr);
		r = 0;
		goto out;
	}
	r = add(out, "SVC-04", SEV_MEDIUM, target, port,
		"plaintext FTP: logins are accepted without TLS", &d);
out:
	dlg_close(&d);
	return r;
}

/* -------------------------------------------------------------- Redis */

static int check_redis(const struct net_addr *a, const char *target, int timeout_ms,
		       struct findings *out, struct logger *lg)
{
	struct dialog d;
	struct svc_info si;
	int r, port = net_addr_port(a), sev;
	const char *detail;

	svc_info_init(&si);
	r = probe_once(&d, a, timeout_ms, "PING\r\nINFO server\r\n", 19, svc_parse_redis, &si);
	if (r) {
		LOG_INFO(lg, "svc redis not confirmed port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	if (strcmp(si.extra, "no authentication") == 0) {
		sev = SEV_CRITICAL;
		detail = "Redis answers PING without a password";
	} else if (strcmp(si.extra, "protected mode") == 0) {
		sev = SEV_HIGH;
		detail = "Redis reachable (protected mode refuses this client)";
	} else {
		sev = SEV_HIGH;
		detail = "Redis reachable (authentication required)";
	}
	r = add(out, "SVC-06", sev, target, port, detail, &d);
out:
	dlg_close(&d);
	return r;
}

/* ------------------------------------------- memcached, Elasticsearch */

static int check_memcached(const struct net_addr *a, const char *target, int timeout_ms,
			   struct findings *out, struct logger *lg)
{
	struct dialog d;
	struct svc_info si;
	int r, port = net_addr_port(a);

	svc_info_init(&si);
	r = probe_once(&d, a, timeout_ms, "version\r\n", 9, svc_parse_memcached, &si);
	if (r) {
		LOG_INFO(lg, "svc memcached not confirmed port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	/* with SASL on, the text protocol is off: an answer means no auth */
	r = add(out, "SVC-06", SEV_CRITICAL, target, port,
		"memcached answers without authentication", &d);
out:
	dlg_close(&d);
	return r;
}

static int check_elastic(const struct net_addr *a, const char *target, int timeout_ms,
			 struct findings *out, struct logger *lg)
{
	struct dialog d;
	struct svc_info si;
	struct buf req = BUF_INIT;
	int r, port = net_addr_port(a), open_data;

	svc_info_init(&si);
	r = svc_http_request(a, target, 0, &req);
	if (r == 0)
		r = probe_once(&d, a, timeout_ms, req.ptr, req.len, svc_parse_http, &si);
	buf_release(&req);
	if (r || strcmp(si.product, "Elasticsearch REST API") != 0) {
		LOG_INFO(lg, "svc elasticsearch not confirmed port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	open_data = d.rx.len > 12 && memcmp(d.rx.ptr + 9, "200", 3) == 0;
	r = add(out, "SVC-06", open_data ? SEV_CRITICAL : SEV_HIGH, target, port,
		open_data ? "Elasticsearch answers GET / without authentication"
			  : "Elasticsearch reachable (authentication required)",
		&d);
out:
	dlg_close(&d);
	return r;
}

/* MongoDB: listDatabases without credentials; OP_MSG {listDatabases: 1,
 * $db: "admin"} */
static const char mongo_listdb[] =
    "\x3c\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00"
    "\x27\x00\x00\x00\x10"
    "listDatabases\x00\x01\x00\x00\x00\x02$db\x00\x06\x00\x00\x00"
    "admin\x00\x00";

static const char mongo_dbkey[] = "\x04"
				  "databases";

static int check_mongodb(const struct net_addr *a, const char *target, int timeout_ms,
			 struct findings *out, struct logger *lg)
{
	struct dialog d;
	struct svc_info si;
	int r, port = net_addr_port(a), open_data;

	svc_info_init(&si);
	r = probe_once(&d, a, timeout_ms, mongo_listdb, sizeof(mongo_listdb) - 1, svc_parse_mongodb,
		       &si);
	if (r) {
		LOG_INFO(lg, "svc mongodb not confirmed port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	/* the answer lists the databases only to a client it let in: the
	 * array element "databases" (type 4, key with its NUL) */
	open_data = memmem(d.rx.ptr, d.rx.len, mongo_dbkey, sizeof(mongo_dbkey)) != NULL;
	r = add(out, "SVC-06", open_data ? SEV_CRITICAL : SEV_HIGH, target, port,
		open_data ? "MongoDB lists its databases without authentication"
			  : "MongoDB reachable (authentication required)",
		&d);
out:
	dlg_close(&d);
	return r;
}

/* ---------------------------------------------------------------- VNC */

static int check_vnc(const struct net_addr *a, const char *target, int timeout_ms,
		     struct findings *out, struct logger *lg)
{
	struct dialog d;
	struct svc_info si;
	struct cursor c;
	uint8_t n = 0, t;
	uint32_t t33;
	int r, port = net_addr_port(a), none = 0, minor;

	svc_info_init(&si);
	r = probe_once(&d, a, timeout_ms, NULL, 0, svc_parse_vnc, &si);
	if (r) {
		LOG_INFO(lg, "svc vnc not confirmed port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	minor = (d.rx.ptr[8] - '0') * 100 + (d.rx.ptr[9] - '0') * 10 + (d.rx.ptr[10] - '0');
	/* echo the server's version (3.3, 3.7 or 3.8) and read its security types */
	if (dlg_send(&d,
		     minor >= 8	  ? "RFB 003.008\n"
		     : minor == 7 ? "RFB 003.007\n"
				  : "RFB 003.003\n",
		     12) == 0 &&
	    dlg_read(&d, NULL, NULL) == 0) {
		cursor_init(&c, d.rx.ptr, d.rx.len);
		if (minor >= 7 && cursor_u8(&c, &n) == 0) {
			while (n-- && cursor_u8(&c, &t) == 0)
				if (t == 1)
					none = 1;
		} else if (minor < 7 && cursor_be32(&c, &t33) == 0 && t33 == 1) {
			none = 1;
		}
	}
	r = add(out, "SVC-07", none ? SEV_CRITICAL : -1, target, port,
		none ? "VNC reachable and offers security type None (no password)"
		     : "VNC reachable",
		&d);
out:
	dlg_close(&d);
	return r;
}

/* ---------------------------------------------------------- mail: SMTP */

/* has_word: w appears as a word (delimited by space, '-', '=' or the line
 * ends) in one of the lines of p[0..len). */
static int has_word_in(const char *p, size_t len, const char *w)
{
	struct cursor c, line;

	cursor_init(&c, p, len);
	while (c.len) {
		size_t wl = strlen(w), i;

		if (cursor_line(&c, 1024, &line) != 0) {
			line = c; /* the last line need not end in a newline */
			c.len = 0;
		}

		for (i = 0; i + wl <= line.len; i++)
			if (strncasecmp((const char *)line.p + i, w, wl) == 0 &&
			    (i == 0 || strchr(" -=,", line.p[i - 1])) &&
			    (i + wl == line.len || strchr(" \r=,", line.p[i + wl])))
				return 1;
	}
	return 0;
}

static int has_word(const struct buf *b, const char *w)
{
	return has_word_in(b->ptr, b->len, w);
}

static int smtp_auth_plain(const struct buf *ehlo)
{
	struct cursor c, line;

	cursor_init(&c, ehlo->ptr, ehlo->len);
	while (cursor_line(&c, 1024, &line) == 0) {
		if (line.len < 8 || strncasecmp((const char *)line.p + 4, "AUTH", 4) != 0)
			continue;
		if (has_word_in((const char *)line.p, line.len, "PLAIN") ||
		    has_word_in((const char *)line.p, line.len, "LOGIN"))
			return 1;
	}
	return 0;
}

static int check_smtp(const struct net_addr *a, const char *target, int timeout_ms,
		      struct findings *out, struct logger *lg)
{
	struct dialog d;
	int r, code = 0, port = net_addr_port(a), auth = 0;

	r = dlg_open(&d, a, timeout_ms);
	if (r == 0)
		r = dlg_read(&d, reply_done, NULL);
	if (r || reply_code(&d.rx) != 220) {
		LOG_INFO(lg, "svc smtp greeting missing port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	r = dlg_cmd(&d, "EHLO wachter.example.org\r\n", &code);
	if (r || code != 250)
		goto quit;
	auth = smtp_auth_plain(&d.rx);
	if (auth) {
		r = add(out, "MAIL-16", -1, target, port,
			"SMTP offers AUTH PLAIN/LOGIN before STARTTLS", &d);
		if (r)
			goto out;
	}
	r = dlg_cmd(&d, "MAIL FROM:<wachter@example.org>\r\n", &code);
	if (r || code != 250)
		goto quit;
	r = dlg_cmd(&d, "RCPT TO:<x@example.net>\r\n", &code);
	if (r == 0 && (code == 250 || code == 251)) {
		(void)dlg_cmd(&d, "RSET\r\n", &code);
		(void)dlg_cmd(&d, "QUIT\r\n", &code);
		r = add(out, "MAIL-15", -1, target, port,
			"open relay: mail from example.org to example.net accepted without "
			"authentication",
			&d);
		goto out;
	}
	(void)dlg_cmd(&d, "RSET\r\n", &code);
quit:
	(void)dlg_cmd(&d, "QUIT\r\n", &code);
	r = 0;
out:
	dlg_close(&d);
	return r;
}

/* -------------------------------------------------- mail: IMAP, POP3 */

static int imap_done(const struct buf *b, void *arg)
{
	(void)arg;
	return memmem(b->ptr, b->len, "a1 ", 3) != NULL && b->ptr[b->len - 1] == '\n';
}

/* pop3_done: a complete CAPA answer ("+OK" ... "."); also ends the read
 * on "-ERR" (then the caller sees no "+OK") */
static int pop3_done(const struct buf *b, void *arg)
{
	if (b->len >= 4 && memcmp(b->ptr, "-ERR", 4) == 0)
		return !arg && memchr(b->ptr, '\n', b->len) != NULL;
	if (b->len < 3 || memcmp(b->ptr, "+OK", 3) != 0)
		return 0;
	return memmem(b->ptr, b->len, "\n.\r\n", 4) != NULL ||
	       memmem(b->ptr, b->len, "\n.\n", 3) != NULL;
}

/* capa_complete_imap: the tagged "a1 OK" line arrived */
static int capa_complete_imap(const struct buf *b)
{
	struct cursor c, line;

	cursor_init(&c, b->ptr, b->len);
	while (cursor_line(&c, 4096, &line) == 0)
		if (cursor_startswith_ci(&line, "a1 OK"))
			return 1;
	return 0;
}

static int check_imap_pop3(const struct net_addr *a, const char *target, int timeout_ms, int imap,
			   struct findings *out, struct logger *lg)
{
	struct dialog d;
	int r, port = net_addr_port(a), plain;
	const char *cmd = imap ? "a1 CAPABILITY\r\n" : "CAPA\r\n";

	struct svc_info si;

	svc_info_init(&si);
	r = dlg_open(&d, a, timeout_ms);
	if (r == 0)
		r = dlg_read(&d, svc_reply_done, NULL);
	/* only a real greeting and a complete capability answer count */
	if (r == 0 && (imap ? svc_parse_imap : svc_parse_pop3)((const unsigned char *)d.rx.ptr,
							       d.rx.len, port, &si) != SVC_YES)
		r = ERR_PROTO;
	if (r == 0)
		r = dlg_send(&d, cmd, strlen(cmd));
	if (r == 0)
		r = dlg_read(&d, imap ? imap_done : pop3_done, NULL);
	if (r == 0 && !(imap ? capa_complete_imap(&d.rx) : pop3_done(&d.rx, (void *)1)))
		r = ERR_PROTO;
	if (r) {
		LOG_INFO(lg, "svc capability failed port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	if (imap)
		plain = !has_word(&d.rx, "LOGINDISABLED") || has_word(&d.rx, "AUTH=PLAIN") ||
			has_word(&d.rx, "AUTH=LOGIN");
	else
		plain =
		    has_word(&d.rx, "USER") || has_word(&d.rx, "PLAIN") || has_word(&d.rx, "LOGIN");
	(void)dlg_send(&d, imap ? "a2 LOGOUT\r\n" : "QUIT\r\n", imap ? 11 : 6);
	if (plain)
		r = add(out, "MAIL-16", -1, target, port,
			imap ? "IMAP allows LOGIN/PLAIN before STARTTLS"
			     : "POP3 allows USER/PLAIN before STARTTLS",
			&d);
out:
	dlg_close(&d);
	return r;
}

/* ---------------------------------------------------------------- SSH */

/* A peer that answers but breaks the SSH protocol (garbage after the
 * banner, lying packet lengths): a line in the report, not a silent skip.
 * Timeouts and refused connections are not violations. */
static int ssh_violation(int r)
{
	return r == ERR_PROTO || r == ERR_PARSE || r == ERR_TOO_BIG;
}

static int check_ssh(const struct net_addr *a, const char *target, int timeout_ms,
		     struct findings *out, struct logger *lg)
{
	struct buf methods = BUF_INIT, ev = BUF_INIT;
	int r, port = net_addr_port(a);

	r = ssh_check_algos(a, target, timeout_ms, out, lg);
	if (is_err_fatal(r))
		return r;
	if (ssh_violation(r))
		return findings_addf(out, "SCAN-03", -1, CONF_MEDIUM, target, port, NULL,
				     "SSH checks could not complete: the server broke the protocol "
				     "(%s)",
				     err_str(r));
	buf_init(&methods, 1024);
	r = ssh_auth_methods(a, timeout_ms, &methods, lg);
	if (ssh_violation(r)) {
		r = findings_addf(out, "SCAN-03", -1, CONF_MEDIUM, target, port, NULL,
				  "SSH authentication methods unknown: the server broke the "
				  "protocol (%s)",
				  err_str(r));
		goto out;
	}
	if (r) {
		LOG_INFO(lg, "svc ssh auth methods unknown port=%d r=%s", port, err_str(r));
		r = 0;
		goto out;
	}
	if (has_word(&methods, "password") || has_word(&methods, "keyboard-interactive")) {
		r = buf_addf(&ev, "SSH_MSG_USERAUTH_FAILURE to \"none\": %s", methods.ptr);
		if (r == 0)
			r = findings_addf(out, "SVC-12", -1, CONF_HIGH, target, port, ev.ptr,
					  "SSH offers password authentication (%s)", methods.ptr);
	}
out:
	buf_release(&methods);
	buf_release(&ev);
	return r;
}

int svc_check(const struct net_addr *a, const char *target, const struct svc_info *info,
	      int timeout_ms, struct findings *out, struct logger *lg)
{
	const char *s;
	int r = 0;

	if (!a || !target || !info || !out || timeout_ms <= 0)
		return ERR_INVAL;
	s = info->service;
	/* SVC-10: device management UIs, over plain HTTP or HTTPS alike */
	if ((strcmp(s, "http") == 0 || strcmp(s, "https") == 0) &&
	    strcmp(info->product, "Elasticsearch REST API") != 0) {
		r = svc_check_device(a, target, info->tls, timeout_ms, out, lg);
		if (is_err_fatal(r))
			return r;
	}
	if (info->tls)
		return 0; /* TLS services are the TLS module's; plaintext checks only */
	if (strcmp(s, "rdp") == 0)
		r = check_proto(a, target, timeout_ms, "rdp", "SVC-01", out, lg);
	else if (strcmp(s, "smb") == 0)
		r = check_proto(a, target, timeout_ms, "smb", "SVC-02", out, lg);
	else if (strcmp(s, "telnet") == 0)
		r = check_banner(a, target, timeout_ms, "telnet", "SVC-03", out, lg);
	else if (strcmp(s, "ftp") == 0)
		r = check_ftp(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "mysql") == 0)
		r = check_banner(a, target, timeout_ms, "mysql", "SVC-05", out, lg);
	else if (strcmp(s, "postgresql") == 0 || strcmp(s, "mssql") == 0)
		r = check_proto(a, target, timeout_ms, s, "SVC-05", out, lg);
	else if (strcmp(s, "redis") == 0)
		r = check_redis(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "mongodb") == 0)
		r = check_mongodb(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "memcached") == 0)
		r = check_memcached(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "http") == 0 && strcmp(info->product, "Elasticsearch REST API") == 0)
		r = check_elastic(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "vnc") == 0)
		r = check_vnc(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "ldap") == 0 || strcmp(s, "kerberos") == 0 || strcmp(s, "msrpc") == 0)
		r = check_proto(a, target, timeout_ms, s, "SVC-08", out, lg);
	else if (strcmp(s, "ssh") == 0)
		r = check_ssh(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "smtp") == 0)
		r = check_smtp(a, target, timeout_ms, out, lg);
	else if (strcmp(s, "imap") == 0 || strcmp(s, "pop3") == 0)
		r = check_imap_pop3(a, target, timeout_ms, s[0] == 'i', out, lg);
	return is_err_fatal(r) ? r : 0;
}
