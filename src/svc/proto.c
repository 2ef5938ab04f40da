/*
 * proto.c: the protocol table (masscan style: name, default ports, hello
 * bytes, parser) and the banner/response parsers. Every parser reads only
 * the len bytes it is given, walks them with bounds checks and says YES,
 * NO or MORE (needs more bytes); none allocates.
 */
#include <ctype.h>
#include <string.h>

#include "svc/svc_int.h"

#define SVC_LINE_MAX 1024 /* longest banner line we look at */

void svc_set(char *dst, size_t size, const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i, o = 0;

	if (size == 0)
		return;
	for (i = 0; i < n && o + 1 < size; i++)
		dst[o++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	dst[o] = '\0';
}

static void set_str(char *dst, size_t size, const char *s)
{
	svc_set(dst, size, s, strlen(s));
}

/* find: offset of needle in p[0..len) (case-insensitive when ci), or -1. */
static long find(const unsigned char *p, size_t len, const char *needle, int ci)
{
	size_t n = strlen(needle), i, j;

	if (n == 0 || n > len)
		return -1;
	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++) {
			unsigned char a = p[i + j], b = (unsigned char)needle[j];

			if (ci ? tolower(a) != tolower(b) : a != b)
				break;
		}
		if (j == n)
			return (long)i;
	}
	return -1;
}

static int is_vchar(unsigned char ch)
{
	return isalnum(ch) || ch == '.' || ch == '-' || ch == '_' || ch == '+' || ch == '~' ||
	       ch == ':';
}

/* version_at: length of the version token at p[0..len) (starts with a
 * digit; letters, digits and ._+~- follow), 0 if none. */
static size_t version_at(const unsigned char *p, size_t len)
{
	size_t i = 0;

	if (len == 0 || !isdigit(p[0]))
		return 0;
	while (i < len && is_vchar(p[i]) && p[i] != ':')
		i++;
	while (i > 0 && (p[i - 1] == '.' || p[i - 1] == '-'))
		i--;
	return i;
}

/* version_after: the version token that follows needle (and spaces). */
static int version_after(const unsigned char *p, size_t len, const char *needle, char *out,
			 size_t size)
{
	long off = find(p, len, needle, 1);
	size_t i, n;

	if (off < 0)
		return 0;
	i = (size_t)off + strlen(needle);
	while (i < len && (p[i] == ' ' || p[i] == '/' || p[i] == '_'))
		i++;
	n = version_at(p + i, len - i);
	if (n)
		svc_set(out, size, p + i, n);
	return 1;
}

/*
 * reply_complete: a text reply of the SMTP/FTP shape ("ddd-..." lines then
 * "ddd ..."): 1 and its code when the last line arrived, 0 otherwise; -1
 * when a line does not have the shape.
 */
static int reply_complete(const unsigned char *p, size_t len, int *code)
{
	struct cursor c, line;

	cursor_init(&c, p, len);
	while (c.len) {
		if (cursor_line(&c, SVC_LINE_MAX, &line) != 0)
			return c.len > SVC_LINE_MAX ? -1 : 0;
		if (line.len < 3 || !isdigit(line.p[0]) || !isdigit(line.p[1]) ||
		    !isdigit(line.p[2]))
			return -1;
		if (line.len == 3 || line.p[3] == ' ') {
			*code =
			    (line.p[0] - '0') * 100 + (line.p[1] - '0') * 10 + (line.p[2] - '0');
			return 1;
		}
		if (line.p[3] != '-')
			return -1;
	}
	return 0;
}

/* prefix_state: p could still become or already starts with s. */
static int prefix_state(const unsigned char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len < n)
		return memcmp(p, s, len) == 0 ? SVC_MORE : SVC_NO;
	return memcmp(p, s, n) == 0 ? SVC_YES : SVC_NO;
}

/* first_line: the first line, or MORE/NO when none within the cap. */
static int first_line(const unsigned char *p, size_t len, struct cursor *line)
{
	struct cursor c;
	int r;

	cursor_init(&c, p, len);
	r = cursor_line(&c, SVC_LINE_MAX, line);
	if (r == ERR_EOF)
		return SVC_MORE;
	return r ? SVC_NO : SVC_YES;
}

/* ------------------------------------------------------------------ SSH */

struct ssh_soft {
	const char *prefix;
	const char *product;
};

static const struct ssh_soft ssh_softs[] = {
    {"OpenSSH_", "OpenSSH"},
    {"dropbear_", "Dropbear sshd"},
    {"dropbear", "Dropbear sshd"},
    {"libssh_", "libssh"},
    {"libssh-", "libssh"},
    {"Cisco-", "Cisco SSH"},
    {"ROSSSH", "MikroTik RouterOS sshd"},
    {"mod_sftp", "ProFTPD mod_sftp"},
    {"Go", "Golang x/crypto/ssh server"},
    {"AsyncSSH_", "AsyncSSH"},
    {"paramiko_", "Paramiko"},
};

int svc_parse_ssh(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor line, proto, soft;
	size_t i, n;
	int r;

	(void)port;
	r = prefix_state(p, len, "SSH-");
	if (r != SVC_YES)
		return r;
	r = first_line(p, len, &line);
	if (r != SVC_YES)
		return r;
	if (cursor_skip(&line, 4) != 0 || cursor_until(&line, '-', &proto) != 0)
		return SVC_NO;
	svc_skip(&line, 1);
	if (cursor_until(&line, ' ', &soft) != 0) {
		soft = line;
		line.len = 0;
	} else {
		svc_skip(&line, 1);
	}
	set_str(out->service, sizeof(out->service), "ssh");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(ssh_softs); i++) {
		size_t pl = strlen(ssh_softs[i].prefix);

		if (soft.len >= pl && memcmp(soft.p, ssh_softs[i].prefix, pl) == 0) {
			set_str(out->product, sizeof(out->product), ssh_softs[i].product);
			n = version_at(soft.p + pl, soft.len - pl);
			svc_set(out->version, sizeof(out->version), soft.p + pl, n);
			break;
		}
	}
	if (i == ARRAY_SIZE(ssh_softs)) {
		struct cursor name = soft;

		if (cursor_until(&soft, '_', &name) == 0) {
			svc_skip(&soft, 1);
			svc_set(out->version, sizeof(out->version), soft.p,
				version_at(soft.p, soft.len));
		}
		svc_set(out->product, sizeof(out->product), name.p, name.len);
	}
	cursor_trim(&line);
	if (line.len)
		snprintf(out->extra, sizeof(out->extra), "%.*s; protocol %.*s", (int)line.len,
			 (const char *)line.p, (int)proto.len, (const char *)proto.p);
	else
		snprintf(out->extra, sizeof(out->extra), "protocol %.*s", (int)proto.len,
			 (const char *)proto.p);
	svc_set(out->extra, sizeof(out->extra), out->extra, strlen(out->extra));
	return SVC_YES;
}

/* ------------------------------------------------------- FTP and SMTP */

struct banner_rule {
	const char *needle;  /* case-insensitive substring */
	const char *product; /* nmap's product name */
	const char *vafter;  /* version follows this (NULL: none) */
};

static void apply_rules(const struct banner_rule *rules, size_t n, const unsigned char *p,
			size_t len, struct svc_info *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (find(p, len, rules[i].needle, 1) < 0)
			continue;
		set_str(out->product, sizeof(out->product), rules[i].product);
		if (rules[i].vafter)
			(void)version_after(p, len, rules[i].vafter, out->version,
					    sizeof(out->version));
		return;
	}
}

static const struct banner_rule ftp_rules[] = {
    {"vsFTPd", "vsftpd", "vsFTPd"},
    {"ProFTPD", "ProFTPD", "ProFTPD"},
    {"Pure-FTPd", "Pure-FTPd", NULL},
    {"FileZilla Server", "FileZilla ftpd", "FileZilla Server"},
    {"Microsoft FTP Service", "Microsoft ftpd", NULL},
    {"wu-", "WU-FTPD", "wu-"},
    {"FTP server (Version", "BSD ftpd", NULL},
    /* vsftpd's answer to HELP before login (nmap: "2.0.8 or later") */
    {"530 Please login with USER and PASS.", "vsftpd", NULL},
};

static int looks_smtp(const unsigned char *p, size_t len)
{
	return find(p, len, "SMTP", 1) >= 0 || find(p, len, "Postfix", 1) >= 0 ||
	       find(p, len, "Sendmail", 1) >= 0 || find(p, len, "Exim", 1) >= 0 ||
	       find(p, len, "mail", 1) >= 0;
}

static int text_reply(const unsigned char *p, size_t len, int *code)
{
	int r;

	if (len < 3)
		return (len == 0 || isdigit(p[0])) && (len < 2 || isdigit(p[1])) ? SVC_MORE
										 : SVC_NO;
	r = reply_complete(p, len, code);
	if (r < 0)
		return SVC_NO;
	return r ? SVC_YES : SVC_MORE;
}

int svc_parse_ftp(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	int code = 0, r = text_reply(p, len, &code);

	if (r != SVC_YES)
		return r;
	if (code != 220 && code != 421 && code != 530 && code != 500)
		return SVC_NO;
	if (looks_smtp(p, len))
		return SVC_NO;
	if (find(p, len, "FTP", 1) < 0 && port != 21 && port != 2121)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "ftp");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	apply_rules(ftp_rules, ARRAY_SIZE(ftp_rules), p, len, out);
	return SVC_YES;
}

static const struct banner_rule smtp_rules[] = {
    {"Postfix", "Postfix smtpd", NULL},
    {"(Debian/GNU)", "Postfix smtpd", NULL},
    /* Postfix's answer to HELP, whatever the banner says */
    {" 5.5.2 Error: command not recognized", "Postfix smtpd", NULL},
    {"Exim", "Exim smtpd", "Exim"},
    {"Sendmail", "Sendmail", "Sendmail"},
    {"Microsoft ESMTP MAIL Service", "Microsoft Exchange smtpd", NULL},
    {"OpenSMTPD", "OpenSMTPD", NULL},
    {"Haraka", "Haraka smtpd", "Haraka"},
    {"qmail", "qmail smtpd", NULL},
};

int svc_parse_smtp(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	int code = 0, r = text_reply(p, len, &code);

	if (r != SVC_YES)
		return r;
	if (code != 220 && code != 554 && code != 421)
		return SVC_NO;
	if (!looks_smtp(p, len) && port != 25 && port != 587 && port != 465)
		return SVC_NO;
	if (find(p, len, "FTP", 1) >= 0 && !looks_smtp(p, len))
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "smtp");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	apply_rules(smtp_rules, ARRAY_SIZE(smtp_rules), p, len, out);
	return SVC_YES;
}

/* ------------------------------------------------------- POP3 and IMAP */

int svc_parse_pop3(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	static const struct banner_rule rules[] = {
	    {"Dovecot", "Dovecot pop3d", NULL},
	    {"Courier", "Courier pop3d", NULL},
	    {"Cyrus", "Cyrus pop3d", "v"},
	    {"Qpopper", "Qpopper pop3d", "version"},
	};
	struct cursor line;
	int r = prefix_state(p, len, "+OK");

	if (r == SVC_NO && port == 110)
		r = prefix_state(p, len, "-ERR");
	if (r != SVC_YES)
		return r;
	r = first_line(p, len, &line);
	if (r != SVC_YES)
		return r;
	set_str(out->service, sizeof(out->service), "pop3");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	apply_rules(rules, ARRAY_SIZE(rules), line.p, line.len, out);
	return SVC_YES;
}

int svc_parse_imap(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	static const struct banner_rule rules[] = {
	    {"Dovecot", "Dovecot imapd", NULL},
	    {"Courier-IMAP", "Courier Imapd", NULL},
	    {"Cyrus IMAP", "Cyrus imapd", "v"},
	    {"Microsoft Exchange", "Microsoft Exchange imapd", NULL},
	    {"UW", "UW imapd", NULL},
	};
	struct cursor line;
	int r = prefix_state(p, len, "* OK");

	(void)port;
	if (r == SVC_NO)
		r = prefix_state(p, len, "* PREAUTH");
	if (r == SVC_NO)
		r = prefix_state(p, len, "* BYE");
	if (r != SVC_YES)
		return r;
	r = first_line(p, len, &line);
	if (r != SVC_YES)
		return r;
	set_str(out->service, sizeof(out->service), "imap");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	apply_rules(rules, ARRAY_SIZE(rules), line.p, line.len, out);
	return SVC_YES;
}

/* ----------------------------------------------------------- MySQL */

/* mysql_version: "5.5.5-10.11.6-MariaDB-0+deb12u1" -> MariaDB 10.11.6;
 * "8.0.35-0ubuntu0.22.04.1" -> MySQL 8.0.35. */
static void mysql_version(const unsigned char *v, size_t n, struct svc_info *out)
{
	long m = find(v, n, "-MariaDB", 0);
	size_t vl;

	svc_set(out->extra, sizeof(out->extra), v, n);
	if (m >= 0) {
		size_t start = 0;

		if (n > 6 && memcmp(v, "5.5.5-", 6) == 0)
			start = 6;
		set_str(out->product, sizeof(out->product), "MariaDB");
		vl = version_at(v + start, (size_t)m - start);
		while (vl && v[start + vl - 1] == '-')
			vl--;
		svc_set(out->version, sizeof(out->version), v + start, vl);
		return;
	}
	set_str(out->product, sizeof(out->product), "MySQL");
	vl = version_at(v, n);
	/* cut distribution suffixes: "8.0.35-0ubuntu0" -> "8.0.35" */
	for (size_t i = 0; i < vl; i++)
		if (v[i] == '-' || v[i] == '+' || v[i] == '~') {
			vl = i;
			break;
		}
	svc_set(out->version, sizeof(out->version), v, vl);
}

int svc_parse_mysql(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, pkt;
	uint32_t plen;
	uint8_t seq, kind;
	const unsigned char *nul;

	(void)port;
	if (len < 5)
		return len >= 4 && p[3] != 0 ? SVC_NO : SVC_MORE;
	cursor_init(&c, p, len);
	plen = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
	if (plen < 2 || plen > 1024)
		return SVC_NO;
	svc_skip(&c, 3);
	if (cursor_u8(&c, &seq) != 0 || seq != 0)
		return SVC_NO;
	if (cursor_sub(&c, plen, &pkt) != 0)
		return SVC_MORE;
	if (cursor_u8(&pkt, &kind) != 0)
		return SVC_NO;
	if (kind == 0xff) {
		uint16_t code;

		if (cursor_le16(&pkt, &code) != 0 || code < 1000 || code > 2999)
			return SVC_NO;
		if (pkt.len && pkt.p[0] == '#')
			svc_skip(&pkt, pkt.len >= 6 ? 6 : pkt.len);
		set_str(out->service, sizeof(out->service), "mysql");
		set_str(out->product, sizeof(out->product),
			find(pkt.p, pkt.len, "MariaDB", 0) >= 0 ? "MariaDB" : "MySQL");
		out->version[0] = '\0';
		svc_set(out->extra, sizeof(out->extra), pkt.p, pkt.len);
		return SVC_YES;
	}
	if (kind != 0x0a && kind != 0x09)
		return SVC_NO;
	nul = memchr(pkt.p, 0, pkt.len);
	if (!nul || nul == pkt.p || !isdigit(pkt.p[0]))
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "mysql");
	mysql_version(pkt.p, (size_t)(nul - pkt.p), out);
	return SVC_YES;
}

/* ------------------------------------------------------ VNC, telnet */

int svc_parse_vnc(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	static const char shape[] = "RFB ddd.ddd\n";
	size_t i;

	(void)port;
	for (i = 0; i < 12; i++) {
		if (i >= len)
			return SVC_MORE;
		if (shape[i] == 'd' ? !isdigit(p[i]) : p[i] != (unsigned char)shape[i])
			return SVC_NO;
	}
	set_str(out->service, sizeof(out->service), "vnc");
	set_str(out->product, sizeof(out->product), "VNC");
	out->version[0] = '\0';
	snprintf(out->extra, sizeof(out->extra), "protocol %d.%d",
		 (p[4] - '0') * 100 + (p[5] - '0') * 10 + (p[6] - '0'),
		 (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0'));
	return SVC_YES;
}

/*
 * Telnet: IAC negotiation first (IAC DO/DONT/WILL/WONT opt). The options a
 * daemon asks for first tell them apart: netkit (nmap's "Linux telnetd")
 * sends DO TTYPE, TSPEED, XDISPLOC, NEW-ENVIRON in one write; GNU inetutils
 * telnetd (Debian 12) starts with WILL AUTHENTICATION, WILL ENCRYPT, then
 * DO TTYPE.
 */
int svc_parse_telnet(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	static const unsigned char netkit[] = {0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20,
					       0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27};
	static const unsigned char inetutils[] = {0xff, 0xfb, 0x25, 0xff, 0xfb,
						  0x26, 0xff, 0xfd, 0x18};
	size_t i = 0, nopt = 0;

	if (len == 0)
		return SVC_MORE;
	if (p[0] != 0xff) {
		/* a bare login prompt on the telnet port */
		if (port == 23 &&
		    (find(p, len, "login:", 1) >= 0 || find(p, len, "username:", 1) >= 0)) {
			set_str(out->service, sizeof(out->service), "telnet");
			out->product[0] = out->version[0] = out->extra[0] = '\0';
			return SVC_YES;
		}
		return SVC_NO;
	}
	while (i < len && p[i] == 0xff) {
		if (i + 1 >= len)
			return nopt ? SVC_YES : SVC_MORE;
		if (p[i + 1] < 0xfb || p[i + 1] > 0xfe)
			break;
		if (i + 2 >= len)
			break;
		nopt++;
		i += 3;
	}
	if (nopt == 0)
		return i + 2 >= len ? SVC_MORE : SVC_NO;
	set_str(out->service, sizeof(out->service), "telnet");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	if (len == sizeof(netkit) && memcmp(p, netkit, len) == 0)
		set_str(out->product, sizeof(out->product), "Linux telnetd");
	else if (len >= sizeof(inetutils) && memcmp(p, inetutils, sizeof(inetutils)) == 0)
		set_str(out->product, sizeof(out->product), "GNU inetutils telnetd");
	snprintf(out->extra, sizeof(out->extra), "%zu option requests", nopt);
	return SVC_YES;
}

/* ----------------------------------------------------------------- HTTP */

struct http_server {
	const char *prefix; /* start of the Server header value */
	const char *product;
};

static const struct http_server http_servers[] = {
    {"nginx", "nginx"},
    {"Apache-Coyote", "Apache Tomcat"},
    {"Apache", "Apache httpd"},
    {"lighttpd", "lighttpd"},
    {"Microsoft-IIS", "Microsoft IIS httpd"},
    {"openresty", "OpenResty web app server"},
    {"Caddy", "Caddy httpd"},
    {"LiteSpeed", "LiteSpeed httpd"},
    {"Jetty", "Jetty"},
    {"Werkzeug", "Werkzeug httpd"},
    {"SimpleHTTP", "SimpleHTTPServer"},
    {"BaseHTTP", "BaseHTTPServer"},
    {"gunicorn", "Gunicorn"},
    {"Kestrel", "Microsoft Kestrel httpd"},
    {"mini_httpd", "mini_httpd"},
    {"thttpd", "thttpd"},
    {"Boa", "Boa HTTPd"},
};

static void http_server_header(struct cursor v, struct svc_info *out)
{
	size_t i, pl = 0, n;

	cursor_trim(&v);
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(http_servers); i++) {
		pl = strlen(http_servers[i].prefix);
		if (v.len >= pl &&
		    strncasecmp((const char *)v.p, http_servers[i].prefix, pl) == 0 &&
		    (v.len == pl || (!isalnum(v.p[pl]) && v.p[pl] != '-')))
			break;
	}
	if (i < ARRAY_SIZE(http_servers)) {
		set_str(out->product, sizeof(out->product), http_servers[i].product);
	} else {
		/* unknown server: the token before '/' is the product */
		for (pl = 0; pl < v.len && v.p[pl] != '/' && v.p[pl] != ' ' && v.p[pl] != '('; pl++)
			;
		svc_set(out->product, sizeof(out->product), v.p, pl);
	}
	if (pl < v.len && (v.p[pl] == '/' || v.p[pl] == '(')) {
		n = version_at(v.p + pl + 1, v.len - pl - 1);
		svc_set(out->version, sizeof(out->version), v.p + pl + 1, n);
		pl += 1 + n;
		if (pl < v.len && v.p[pl] == ')')
			pl++;
	}
	while (pl < v.len && v.p[pl] == ' ')
		pl++;
	if (pl < v.len)
		svc_set(out->extra, sizeof(out->extra), v.p + pl, v.len - pl);
}

/*
 * http_body_product: applications that name themselves in the body of GET /
 * rather than in Server: Elasticsearch's banner JSON ("You Know, for
 * Search", version "number").
 */
static void http_body_product(const unsigned char *p, size_t len, struct svc_info *out)
{
	long v;
	size_t i;

	if (find(p, len, "You Know, for Search", 0) < 0)
		return;
	set_str(out->product, sizeof(out->product), "Elasticsearch REST API");
	out->version[0] = out->extra[0] = '\0';
	v = find(p, len, "\"number\"", 0);
	if (v < 0)
		return;
	for (i = (size_t)v + 8; i < len && (p[i] == ' ' || p[i] == ':' || p[i] == '"'); i++)
		;
	svc_set(out->version, sizeof(out->version), p + i, version_at(p + i, len - i));
}

int svc_parse_http(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, line, name;
	int r, done = 0;

	(void)port;
	r = prefix_state(p, len, "HTTP/");
	if (r != SVC_YES)
		return r;
	if (len < 12)
		return SVC_MORE;
	if (!isdigit(p[5]) || !isdigit(p[9]) || !isdigit(p[10]) || !isdigit(p[11]))
		return SVC_NO;
	if (find(p, len, "\r\n\r\n", 0) < 0 && find(p, len, "\n\n", 0) < 0) {
		if (len < 16384)
			return SVC_MORE;
	} else {
		done = 1;
	}
	set_str(out->service, sizeof(out->service), "http");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	cursor_init(&c, p, len);
	if (cursor_line(&c, SVC_LINE_MAX, &line) != 0)
		return SVC_YES;
	while (cursor_line(&c, 8192, &line) == 0 && line.len) {
		if (cursor_until(&line, ':', &name) != 0)
			continue;
		svc_skip(&line, 1);
		if (cursor_eq_ci(&name, "Server"))
			http_server_header(line, out);
		/* Elasticsearch 7.14+ names itself even when it asks for a login */
		cursor_trim(&line);
		if (cursor_eq_ci(&name, "X-elastic-product") && cursor_eq(&line, "Elasticsearch"))
			set_str(out->product, sizeof(out->product), "Elasticsearch REST API");
	}
	(void)done;
	http_body_product(c.p, c.len, out);
	return SVC_YES;
}

/* ---------------------------------------------------------------- Redis */

int svc_parse_redis(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, line;
	uint64_t blen;
	long v;
	int r;

	(void)port;
	cursor_init(&c, p, len);
	if (len == 0)
		return SVC_MORE;
	if (p[0] != '+' && p[0] != '-')
		return SVC_NO;
	r = cursor_line(&c, SVC_LINE_MAX, &line);
	if (r == ERR_EOF)
		return SVC_MORE;
	if (r)
		return SVC_NO;
	if (cursor_eq(&line, "+PONG")) {
		set_str(out->extra, sizeof(out->extra), "no authentication");
	} else if (cursor_startswith(&line, "-NOAUTH") || cursor_startswith(&line, "-WRONGPASS") ||
		   cursor_startswith(&line, "-NOPERM")) {
		set_str(out->extra, sizeof(out->extra), "authentication required");
	} else if (cursor_startswith(&line, "-DENIED Redis")) {
		set_str(out->extra, sizeof(out->extra), "protected mode");
	} else {
		return SVC_NO;
	}
	set_str(out->service, sizeof(out->service), "redis");
	set_str(out->product, sizeof(out->product), "Redis");
	out->version[0] = '\0';
	if (!cursor_eq(&line, "+PONG"))
		return SVC_YES;
	/* the INFO server answer: "$<n>\r\n" then n bytes */
	r = cursor_line(&c, 32, &line);
	if (r == ERR_EOF)
		return SVC_MORE;
	if (r || cursor_expect(&line, "$") != 0 || cursor_uint(&line, 1 << 20, &blen) != 0)
		return SVC_YES;
	if (c.len < blen && c.len < 16000)
		return SVC_MORE;
	v = find(c.p, c.len < blen ? c.len : blen, "redis_version:", 0);
	if (v >= 0) {
		size_t off = (size_t)v + 14;

		svc_set(out->version, sizeof(out->version), c.p + off,
			version_at(c.p + off, c.len - off));
	}
	return SVC_YES;
}

/* ----------------------------------------------------------- PostgreSQL */

static const char *pg_auth_name(uint32_t code)
{
	switch (code) {
	case 0:
		return "auth=trust (no password)";
	case 3:
		return "auth=cleartext password";
	case 5:
		return "auth=md5";
	case 7:
		return "auth=gss";
	case 9:
		return "auth=sspi";
	case 10:
		return "auth=sasl";
	default:
		return "auth=other";
	}
}

int svc_parse_pgsql(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, msg, field;
	uint32_t mlen, code;
	uint8_t type, ft;
	int have_sev = 0, have_code = 0;

	(void)port;
	cursor_init(&c, p, len);
	if (cursor_u8(&c, &type) != 0)
		return SVC_MORE;
	if (type != 'R' && type != 'E')
		return SVC_NO;
	if (type == 'E' && len >= 6 && memcmp(p + 1, "FATAL", 5) == 0) {
		/* protocol 1/2 servers answer with bare text */
		set_str(out->service, sizeof(out->service), "postgresql");
		set_str(out->product, sizeof(out->product), "PostgreSQL");
		out->version[0] = '\0';
		set_str(out->extra, sizeof(out->extra), "pre-7.4 protocol");
		return SVC_YES;
	}
	if (cursor_be32(&c, &mlen) != 0)
		return SVC_MORE;
	if (mlen < 8 || mlen > 8192 || (type == 'R' && mlen > 512))
		return SVC_NO;
	if (cursor_sub(&c, mlen - 4, &msg) != 0)
		return SVC_MORE;
	out->version[0] = '\0';
	if (type == 'R') {
		if (cursor_be32(&msg, &code) != 0 || code > 12)
			return SVC_NO;
		if ((code == 0 || code == 3 || code == 5) && msg.len != (code == 5 ? 4u : 0u))
			return SVC_NO;
		set_str(out->extra, sizeof(out->extra), pg_auth_name(code));
	} else {
		out->extra[0] = '\0';
		while (cursor_u8(&msg, &ft) == 0 && ft != 0) {
			if (cursor_until(&msg, '\0', &field) != 0)
				return SVC_NO;
			svc_skip(&msg, 1);
			if (ft == 'S')
				have_sev = 1;
			if (ft == 'C' && field.len == 5)
				have_code = 1;
			if (ft == 'M')
				svc_set(out->extra, sizeof(out->extra), field.p, field.len);
		}
		if (!have_sev || !have_code)
			return SVC_NO;
	}
	set_str(out->service, sizeof(out->service), "postgresql");
	set_str(out->product, sizeof(out->product), "PostgreSQL");
	return SVC_YES;
}

/* ------------------------------------------------------------ RDP, SMB */

int svc_parse_rdp(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, tp;
	uint16_t tlen;
	uint8_t ver, rsv, li, code, ntype;

	(void)port;
	cursor_init(&c, p, len);
	if (cursor_u8(&c, &ver) != 0)
		return SVC_MORE;
	if (ver != 3)
		return SVC_NO;
	if (cursor_u8(&c, &rsv) != 0 || cursor_be16(&c, &tlen) != 0)
		return SVC_MORE;
	if (rsv != 0 || tlen < 7 || tlen > 512)
		return SVC_NO;
	if (cursor_sub(&c, tlen - 4u, &tp) != 0)
		return SVC_MORE;
	if (cursor_u8(&tp, &li) != 0 || cursor_u8(&tp, &code) != 0)
		return SVC_NO;
	if ((code & 0xf0) != 0xd0 || li + 1u > tlen - 4u)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "rdp");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	/* dst-ref(2) src-ref(2) class(1), then an RDP_NEG_RSP or FAILURE */
	if (cursor_skip(&tp, 5) == 0 && cursor_u8(&tp, &ntype) == 0) {
		uint8_t flags;
		uint16_t nlen;
		uint32_t proto;

		if (cursor_u8(&tp, &flags) == 0 && cursor_le16(&tp, &nlen) == 0 &&
		    cursor_le32(&tp, &proto) == 0) {
			if (ntype == 2)
				snprintf(out->extra, sizeof(out->extra), "selected protocol %s",
					 proto == 0   ? "RDP"
					 : proto == 1 ? "TLS"
					 : proto == 2 ? "CredSSP"
					 : proto == 8 ? "RDSTLS"
						      : "other");
			else if (ntype == 3)
				snprintf(out->extra, sizeof(out->extra), "negotiation failure %u",
					 (unsigned)proto);
			/*
			 * Windows 8/2012 and later set DYNVC_GFX_PROTOCOL_SUPPORTED
			 * (0x02) among more flags and pick CredSSP when NLA is on;
			 * xrdp answers with EXTENDED_CLIENT_DATA_SUPPORTED alone and
			 * cannot pick CredSSP. Anything else stays unnamed.
			 */
			if (ntype == 2 && (flags & 0x02))
				set_str(out->product, sizeof(out->product),
					"Microsoft Terminal Services");
			else if (ntype == 2 && flags == 0x01 && proto != 2)
				set_str(out->product, sizeof(out->product), "xrdp");
		}
	}
	return SVC_YES;
}

static const char *smb_dialect_name(uint16_t d)
{
	switch (d) {
	case 0x0202:
		return "2.0.2";
	case 0x0210:
		return "2.1";
	case 0x0300:
		return "3.0";
	case 0x0302:
		return "3.0.2";
	case 0x0311:
		return "3.1.1";
	case 0x02ff:
		return "2.???";
	default:
		return "unknown";
	}
}

int svc_parse_smb(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, msg;
	uint32_t nb, status;
	uint16_t ss, dialect;
	const unsigned char *magic;

	cursor_init(&c, p, len);
	if (cursor_be32(&c, &nb) != 0)
		return len == 0 || p[0] == 0 || (port == 139 && p[0] == 0x83) ? SVC_MORE : SVC_NO;
	/* NetBIOS on 139 wants a session request first: a NEGATIVE SESSION
	 * RESPONSE (0x83, length 1, error code) still proves the service */
	if (port == 139 && nb == 0x83000001 && len >= 5 && p[4] >= 0x80 && p[4] <= 0x8f) {
		set_str(out->service, sizeof(out->service), "smb");
		out->product[0] = out->version[0] = out->extra[0] = '\0';
		set_str(out->extra, sizeof(out->extra), "NetBIOS session refused");
		return SVC_YES;
	}
	if ((nb >> 24) != 0 || (nb & 0xffffff) < 36 || (nb & 0xffffff) > 65536)
		return SVC_NO;
	if (cursor_bytes(&c, 4, &magic) != 0)
		return SVC_MORE;
	if (memcmp(magic, "\xffSMB", 4) == 0) {
		set_str(out->service, sizeof(out->service), "smb");
		out->product[0] = out->version[0] = out->extra[0] = '\0';
		set_str(out->extra, sizeof(out->extra), "SMBv1");
		return SVC_YES;
	}
	if (memcmp(magic, "\xfeSMB", 4) != 0)
		return SVC_NO;
	if (cursor_sub(&c, (nb & 0xffffff) - 4, &msg) != 0 && c.len < 4000)
		return SVC_MORE;
	cursor_init(&msg, p + 8, len - 8);
	/* header: size(2) credit charge(2) status(4) command(2) ... 60 bytes */
	if (cursor_skip(&msg, 4) != 0 || cursor_le32(&msg, &status) != 0 ||
	    cursor_skip(&msg, 64 - 12) != 0)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "smb");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	if (status != 0 || cursor_le16(&msg, &ss) != 0 || ss != 65 || cursor_skip(&msg, 2) != 0 ||
	    cursor_le16(&msg, &dialect) != 0)
		return SVC_YES;
	snprintf(out->extra, sizeof(out->extra), "SMB dialect %s", smb_dialect_name(dialect));
	/* Samba's negotiate blob keeps the old SPNEGO hint that Windows dropped */
	if (find(p, len, "not_defined_in_RFC4178@please_ignore", 0) >= 0)
		set_str(out->product, sizeof(out->product), "Samba smbd");
	return SVC_YES;
}

/* ------------------------------------------------------------ DNS, LDAP */

static int dns_skip_name(struct cursor *c)
{
	uint8_t l;
	int labels = 0;

	while (cursor_u8(c, &l) == 0) {
		if (l == 0)
			return 0;
		if ((l & 0xc0) == 0xc0)
			return cursor_skip(c, 1);
		if ((l & 0xc0) != 0 || ++labels > 127 || cursor_skip(c, l) != 0)
			return ERR_PARSE;
	}
	return ERR_EOF;
}

struct dns_soft {
	const char *prefix;
	const char *product;
};

static void dns_product(struct cursor txt, struct svc_info *out)
{
	static const struct dns_soft softs[] = {
	    {"dnsmasq-", "dnsmasq"},
	    {"unbound ", "Unbound"},
	    {"PowerDNS Recursor ", "PowerDNS Recursor"},
	    {"PowerDNS Authoritative Server ", "PowerDNS Authoritative Server"},
	    {"Knot DNS ", "cz.nic Knot DNS"},
	    {"NSD ", "NLnet Labs NSD"},
	    {"Microsoft DNS ", "Microsoft DNS"},
	};
	size_t i;

	svc_set(out->extra, sizeof(out->extra), txt.p, txt.len);
	for (i = 0; i < ARRAY_SIZE(softs); i++) {
		size_t pl = strlen(softs[i].prefix);

		if (txt.len > pl && memcmp(txt.p, softs[i].prefix, pl) == 0) {
			set_str(out->product, sizeof(out->product), softs[i].product);
			svc_set(out->version, sizeof(out->version), txt.p + pl,
				version_at(txt.p + pl, txt.len - pl));
			return;
		}
	}
	/* BIND answers with its bare version: "9.18.28-1~deb12u2-Debian" */
	if (txt.len && isdigit(txt.p[0]) && find(txt.p, txt.len, ".", 0) > 0) {
		size_t n = version_at(txt.p, txt.len), j;

		for (j = 0; j < n; j++)
			if (txt.p[j] == '-' || txt.p[j] == '~' || txt.p[j] == '+')
				break;
		set_str(out->product, sizeof(out->product), "ISC BIND");
		svc_set(out->version, sizeof(out->version), txt.p, j);
	}
}

int svc_parse_dns(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, msg, rd, txt;
	uint16_t mlen, id, flags, qd, an, type, klass, rdlen;
	uint32_t ttl;

	(void)port;
	cursor_init(&c, p, len);
	if (cursor_be16(&c, &mlen) != 0)
		return SVC_MORE;
	if (mlen < 12)
		return SVC_NO;
	if (cursor_sub(&c, mlen, &msg) != 0) {
		if (len >= 4 && (p[2] != 0 || p[3] != 6))
			return SVC_NO;
		return SVC_MORE;
	}
	if (cursor_be16(&msg, &id) != 0 || id != 6 || cursor_be16(&msg, &flags) != 0 ||
	    !(flags & 0x8000) || cursor_be16(&msg, &qd) != 0 || cursor_be16(&msg, &an) != 0 ||
	    cursor_skip(&msg, 4) != 0 || qd > 1)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "dns");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	if (qd == 1 && (dns_skip_name(&msg) != 0 || cursor_skip(&msg, 4) != 0))
		return SVC_YES;
	for (; an > 0; an--) {
		if (dns_skip_name(&msg) != 0 || cursor_be16(&msg, &type) != 0 ||
		    cursor_be16(&msg, &klass) != 0 || cursor_be32(&msg, &ttl) != 0 ||
		    cursor_be16(&msg, &rdlen) != 0 || cursor_sub(&msg, rdlen, &rd) != 0)
			break;
		if (type != 16 || cursor_sub8(&rd, &txt) != 0)
			continue;
		dns_product(txt, out);
		break;
	}
	return SVC_YES;
}

int svc_parse_ldap(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, seq, id;
	uint8_t tag, l;

	(void)port;
	cursor_init(&c, p, len);
	if (cursor_u8(&c, &tag) != 0)
		return SVC_MORE;
	if (tag != 0x30)
		return SVC_NO;
	if (cursor_u8(&c, &l) != 0)
		return SVC_MORE;
	if (l & 0x80) {
		if ((l & 0x7f) == 0 || (l & 0x7f) > 2)
			return SVC_NO;
		if (cursor_skip(&c, l & 0x7f) != 0)
			return SVC_MORE;
	}
	seq = c;
	/* messageID INTEGER 1, then bindResponse [APPLICATION 1] */
	if (cursor_u8(&seq, &tag) != 0 || cursor_u8(&seq, &l) != 0)
		return SVC_MORE;
	if (tag != 0x02 || l == 0 || l > 4)
		return SVC_NO;
	if (cursor_sub(&seq, l, &id) != 0 || cursor_u8(&seq, &tag) != 0)
		return SVC_MORE;
	if (tag != 0x61)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "ldap");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	return SVC_YES;
}

/* Kerberos over TCP: a 4-byte length, then KRB-ERROR [APPLICATION 30] or
 * AS-REP [APPLICATION 11] whose SEQUENCE starts with pvno [0] 5. */
int svc_parse_kerberos(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c;
	uint32_t mlen;
	uint8_t tag, l, t2, hdr[7];
	size_t i;

	(void)port;
	cursor_init(&c, p, len);
	if (cursor_be32(&c, &mlen) != 0)
		return len == 0 || p[0] == 0 ? SVC_MORE : SVC_NO;
	if (mlen < 8 || mlen > 65536)
		return SVC_NO;
	if (cursor_u8(&c, &tag) != 0)
		return SVC_MORE;
	if (tag != 0x7e && tag != 0x6b)
		return SVC_NO;
	if (cursor_u8(&c, &l) != 0)
		return SVC_MORE;
	if (l & 0x80) {
		if ((l & 0x7f) == 0 || (l & 0x7f) > 2)
			return SVC_NO;
		if (cursor_skip(&c, l & 0x7f) != 0)
			return SVC_MORE;
	}
	if (cursor_u8(&c, &t2) != 0 || cursor_u8(&c, &l) != 0)
		return SVC_MORE;
	if (t2 != 0x30)
		return SVC_NO;
	if ((l & 0x80) && ((l & 0x7f) == 0 || (l & 0x7f) > 2 || cursor_skip(&c, l & 0x7f) != 0))
		return (l & 0x7f) && (l & 0x7f) <= 2 ? SVC_MORE : SVC_NO;
	/* pvno [0] INTEGER 5 */
	for (i = 0; i < 5; i++)
		if (cursor_u8(&c, &hdr[i]) != 0)
			return SVC_MORE;
	if (hdr[0] != 0xa0 || hdr[1] != 3 || hdr[2] != 2 || hdr[3] != 1 || hdr[4] != 5)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "kerberos");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	set_str(out->extra, sizeof(out->extra), tag == 0x7e ? "KRB-ERROR" : "AS-REP");
	return SVC_YES;
}

/* DCE/RPC (MS-RPC endpoint mapper): a bind_ack (12) or bind_nak (13). */
int svc_parse_msrpc(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	static const unsigned char want[] = {5, 0};
	uint16_t flen;

	(void)port;
	if (len < 10)
		return memcmp(p, want, len < 2 ? len : 2) == 0 &&
			       (len < 3 || p[2] == 12 || p[2] == 13)
			   ? SVC_MORE
			   : SVC_NO;
	if (p[0] != 5 || p[1] != 0 || (p[2] != 12 && p[2] != 13) || (p[4] & 0xee) != 0)
		return SVC_NO;
	flen = (uint16_t)(p[8] | p[9] << 8);
	if (flen < 16 || flen > 8192)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "msrpc");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	set_str(out->extra, sizeof(out->extra), p[2] == 12 ? "bind_ack" : "bind_nak");
	return SVC_YES;
}

/* Microsoft SQL Server: a TDS PRELOGIN answer (type 4) whose VERSION option
 * gives major.minor.build; nmap's product name carries the release year. */
static const char *mssql_year(unsigned major, unsigned minor)
{
	static const char *const years[] = {"2000", "2005", "2008", "2012", "2014",
					    "2016", "2017", "2019", "2022"};

	if (major == 10 && minor >= 50)
		return "2008 R2";
	if (major >= 8 && major <= 16)
		return years[major - 8];
	return NULL;
}

int svc_parse_mssql(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, pl, opt;
	uint16_t tlen, off, olen;
	uint8_t type, status, tok;
	const char *year;

	(void)port;
	cursor_init(&c, p, len);
	if (cursor_u8(&c, &type) != 0)
		return SVC_MORE;
	if (type != 4)
		return SVC_NO;
	if (cursor_u8(&c, &status) != 0 || cursor_be16(&c, &tlen) != 0)
		return SVC_MORE;
	if (status > 1 || tlen < 8 + 6 || tlen > 4096)
		return SVC_NO;
	if (cursor_sub(&c, tlen - 4u, &pl) != 0)
		return SVC_MORE;
	svc_skip(&pl, 4); /* spid, packet id, window */
	opt = pl;
	while (cursor_u8(&opt, &tok) == 0 && tok != 0xff) {
		struct cursor v = pl;
		uint8_t major, minor;
		uint16_t build, sub;

		if (cursor_be16(&opt, &off) != 0 || cursor_be16(&opt, &olen) != 0)
			return SVC_NO;
		if (tok != 0)
			continue;
		if (olen < 6 || cursor_skip(&v, off) != 0 || cursor_u8(&v, &major) != 0 ||
		    cursor_u8(&v, &minor) != 0 || cursor_be16(&v, &build) != 0 ||
		    cursor_be16(&v, &sub) != 0)
			return SVC_NO;
		set_str(out->service, sizeof(out->service), "mssql");
		out->product[0] = out->version[0] = out->extra[0] = '\0';
		year = mssql_year(major, minor);
		snprintf(out->product, sizeof(out->product), "Microsoft SQL Server%s%s",
			 year ? " " : "", year ? year : "");
		/* nmap's form: 15.00.2000.00 */
		snprintf(out->version, sizeof(out->version), "%u.%02u.%u.%02u", major, minor, build,
			 sub);
		return SVC_YES;
	}
	return SVC_NO;
}

/* memcached: the answer to "version" */
int svc_parse_memcached(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor line;
	int r = prefix_state(p, len, "VERSION ");

	(void)port;
	if (r != SVC_YES)
		return r;
	r = first_line(p, len, &line);
	if (r != SVC_YES)
		return r;
	set_str(out->service, sizeof(out->service), "memcached");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	set_str(out->product, sizeof(out->product), "Memcached");
	svc_set(out->version, sizeof(out->version), line.p + 8,
		version_at(line.p + 8, line.len - 8));
	return SVC_YES;
}

/* bson_skip: past the value of one BSON element of type t; ERR_PARSE on a
 * type we do not know (the walk stops there). */
static int bson_skip(struct cursor *c, uint8_t t)
{
	/* fixed sizes by type: double, objectid, bool, datetime, int32,
	 * timestamp, int64, decimal128 */
	static const uint8_t fixed[] = {0, 8, 0, 0, 0, 0, 0, 12, 1, 8,
					0, 0, 0, 0, 0, 0, 4, 8,	 8, 16};
	uint32_t n;

	if (t == 0x02 || t == 0x0d || t == 0x0e) /* string, code, symbol */
		return cursor_le32(c, &n) != 0 || cursor_skip(c, n) != 0 ? ERR_PARSE : 0;
	if (t == 0x03 || t == 0x04) /* document, array: the length includes itself */
		return cursor_le32(c, &n) != 0 || n < 5 || cursor_skip(c, n - 4) != 0 ? ERR_PARSE
										      : 0;
	if (t == 0x05) /* binary: length, subtype, bytes */
		return cursor_le32(c, &n) != 0 || cursor_skip(c, (size_t)n + 1) != 0 ? ERR_PARSE
										     : 0;
	if (t == 0x06 || t == 0x0a) /* undefined, null */
		return 0;
	if (t < ARRAY_SIZE(fixed) && fixed[t])
		return cursor_skip(c, fixed[t]) != 0 ? ERR_PARSE : 0;
	return ERR_PARSE;
}

/* MongoDB: an OP_MSG (2013) or OP_REPLY (1) answer to buildInfo; the
 * top-level "version" string of the reply document is the version. */
int svc_parse_mongodb(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out)
{
	struct cursor c, doc, key;
	uint32_t mlen, rid, rto, op, dlen, n;
	uint8_t t;

	(void)port;
	cursor_init(&c, p, len);
	if (cursor_le32(&c, &mlen) != 0 || cursor_le32(&c, &rid) != 0 ||
	    cursor_le32(&c, &rto) != 0 || cursor_le32(&c, &op) != 0)
		return len < 4 || (p[3] == 0 && p[2] < 0x10) ? SVC_MORE : SVC_NO;
	if (mlen < 21 || mlen > (1u << 20) || rto != 1 || (op != 2013 && op != 1))
		return SVC_NO;
	if (len < mlen)
		return len < 16384 ? SVC_MORE : SVC_NO;
	/* OP_MSG: flags(4) kind 0(1); OP_REPLY: flags(4) cursor(8) from(4) n(4) */
	if (cursor_skip(&c, op == 2013 ? 5 : 20) != 0 || cursor_le32(&c, &dlen) != 0 || dlen < 5 ||
	    cursor_sub(&c, dlen - 4, &doc) != 0)
		return SVC_NO;
	set_str(out->service, sizeof(out->service), "mongodb");
	out->product[0] = out->version[0] = out->extra[0] = '\0';
	set_str(out->product, sizeof(out->product), "MongoDB");
	while (cursor_u8(&doc, &t) == 0 && t != 0) {
		if (cursor_until(&doc, '\0', &key) != 0)
			break;
		svc_skip(&doc, 1);
		if (t == 0x02 && cursor_eq(&key, "version")) {
			struct cursor v;

			if (cursor_le32(&doc, &n) != 0 || n == 0 ||
			    cursor_sub(&doc, n - 1, &v) != 0)
				break;
			svc_set(out->version, sizeof(out->version), v.p, version_at(v.p, v.len));
			break;
		}
		if (t == 0x02 && cursor_eq(&key, "errmsg")) {
			struct cursor v;

			if (cursor_le32(&doc, &n) != 0 || n == 0 ||
			    cursor_sub(&doc, n - 1, &v) != 0)
				break;
			svc_set(out->extra, sizeof(out->extra), v.p, v.len);
			svc_skip(&doc, 1);
			continue;
		}
		if (bson_skip(&doc, t) != 0)
			break;
	}
	return SVC_YES;
}

/* ---------------------------------------------------------------- table */

static const uint16_t p_ssh[] = {22, 2222, 0};
static const uint16_t p_ftp[] = {21, 2121, 0};
static const uint16_t p_smtp[] = {25, 587, 2525, 0};
static const uint16_t p_pop3[] = {110, 0};
static const uint16_t p_imap[] = {143, 0};
static const uint16_t p_mysql[] = {3306, 0};
static const uint16_t p_vnc[] = {5900, 5901, 5902, 5903, 0};
static const uint16_t p_telnet[] = {23, 2323, 0};
static const uint16_t p_http[] = {80, 8080, 8000, 8008, 8081, 8888, 81, 591, 3000, 9000, 9200, 0};
static const uint16_t p_tls[] = {443, 8443, 993, 995, 465, 990, 636, 9443, 4443, 0};
static const uint16_t p_redis[] = {6379, 0};
static const uint16_t p_pgsql[] = {5432, 0};
static const uint16_t p_rdp[] = {3389, 0};
static const uint16_t p_smb[] = {445, 139, 0};
static const uint16_t p_dns[] = {53, 0};
static const uint16_t p_ldap[] = {389, 0};
static const uint16_t p_krb[] = {88, 464, 0};
static const uint16_t p_msrpc[] = {135, 0};
static const uint16_t p_mssql[] = {1433, 0};
static const uint16_t p_memcached[] = {11211, 0};
static const uint16_t p_mongodb[] = {27017, 27018, 27019, 0};

#define HELLO(s) s, sizeof(s) - 1

static const char hello_redis[] = "PING\r\nINFO server\r\n";
/* StartupMessage, protocol 3.0, user and database "wachter" */
static const char hello_pgsql[] = "\x00\x00\x00\x27\x00\x03\x00\x00"
				  "user\0wachter\0database\0wachter\0\0";
/* X.224 Connection Request with RDP_NEG_REQ (TLS | CredSSP) */
static const char hello_rdp[] =
    "\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00";
/* NetBIOS session header + SMB2 NEGOTIATE offering 2.0.2, 2.1, 3.0, 3.0.2 */
static const char hello_smb[] =
    "\x00\x00\x00\x6c"
    "\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x24\x00\x04\x00\x01\x00\x00\x00\x00\x00\x00\x00"
    "wachter-svcprobe"
    "\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x02\x02\x10\x02\x00\x03\x02\x03";
/* version.bind CH TXT over TCP (id 6) */
static const char hello_dns[] = "\x00\x1e\x00\x06\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
				"\x07version\x04"
				"bind\x00\x00\x10\x00\x03";
/* Kerberos AS-REQ for wachter@WACHTER.INVALID (any KDC answers KRB-ERROR) */
static const char hello_krb[] =
    "\x00\x00\x00\x96\x6a\x81\x93\x30\x81\x90\xa1\x03\x02\x01\x05\xa2\x03\x02\x01\x0a"
    "\xa4\x81\x83\x30\x81\x80\xa0\x07\x03\x05\x00\x50\x80\x00\x10\xa1\x14\x30\x12"
    "\xa0\x03\x02\x01\x01\xa1\x0b\x30\x09\x1b\x07wachter\xa2\x11\x1b\x0fWACHTER.INVALID"
    "\xa3\x24\x30\x22\xa0\x03\x02\x01\x02\xa1\x1b\x30\x19\x1b\x06krbtgt\x1b\x0f"
    "WACHTER.INVALID\xa5\x11\x18\x0f"
    "19700101000000Z\xa7\x06\x02\x04\x1f\x1e\xb9\xd9\xa8\x0b\x30\x09\x02\x01\x12\x02\x01"
    "\x11\x02\x01\x17";
/* DCE/RPC bind to the endpoint mapper (e1af8308-5d1f-11c9-91a4-08002b14a0fa
 * v3) with NDR transfer syntax */
static const char hello_msrpc[] =
    "\x05\x00\x0b\x03\x10\x00\x00\x00\x48\x00\x00\x00\x01\x00\x00\x00"
    "\xd0\x16\xd0\x16\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x01\x00"
    "\x08\x83\xaf\xe1\x1f\x5d\xc9\x11\x91\xa4\x08\x00\x2b\x14\xa0\xfa\x03\x00\x00\x00"
    "\x04\x5d\x88\x8a\xeb\x1c\xc9\x11\x9f\xe8\x08\x00\x2b\x10\x48\x60\x02\x00\x00\x00";
/* TDS 7 PRELOGIN: VERSION, ENCRYPTION (not supported), INSTOPT, THREADID */
static const char hello_mssql[] = "\x12\x01\x00\x29\x00\x00\x01\x00"
				  "\x00\x00\x15\x00\x06\x01\x00\x1b\x00\x01\x02\x00\x1c\x00\x01"
				  "\x03\x00\x1d\x00\x04\xff"
				  "\x09\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00";
/* MongoDB OP_MSG {buildInfo: 1, $db: "admin"} (answered without auth) */
static const char hello_mongodb[] =
    "\x38\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00"
    "\x23\x00\x00\x00\x10"
    "buildInfo\x00\x01\x00\x00\x00\x02$db\x00\x06\x00\x00\x00"
    "admin\x00\x00";
/* LDAP anonymous simple bind, messageID 1, version 3 */
static const char hello_ldap[] = "\x30\x0c\x02\x01\x01\x60\x07\x02\x01\x03\x04\x00\x80\x00";

static const struct svc_proto protos[] = {
    {"ssh", p_ssh, NULL, 0, svc_parse_ssh, SVC_F_BANNER, NULL},
    {"ftp", p_ftp, NULL, 0, svc_parse_ftp, SVC_F_BANNER, "HELP\r\n"},
    {"smtp", p_smtp, NULL, 0, svc_parse_smtp, SVC_F_BANNER, "HELP\r\n"},
    {"pop3", p_pop3, NULL, 0, svc_parse_pop3, SVC_F_BANNER, NULL},
    {"imap", p_imap, NULL, 0, svc_parse_imap, SVC_F_BANNER, NULL},
    {"mysql", p_mysql, NULL, 0, svc_parse_mysql, SVC_F_BANNER, NULL},
    {"vnc", p_vnc, NULL, 0, svc_parse_vnc, SVC_F_BANNER, NULL},
    {"telnet", p_telnet, NULL, 0, svc_parse_telnet, SVC_F_BANNER, NULL},
    {"http", p_http, NULL, 0, svc_parse_http, SVC_F_HTTP, NULL},
    {"https", p_tls, NULL, 0, svc_parse_http, SVC_F_TLS | SVC_F_HTTP, NULL},
    {"redis", p_redis, HELLO(hello_redis), svc_parse_redis, 0, NULL},
    {"postgresql", p_pgsql, HELLO(hello_pgsql), svc_parse_pgsql, 0, NULL},
    {"rdp", p_rdp, HELLO(hello_rdp), svc_parse_rdp, 0, NULL},
    {"smb", p_smb, HELLO(hello_smb), svc_parse_smb, 0, NULL},
    {"dns", p_dns, HELLO(hello_dns), svc_parse_dns, 0, NULL},
    {"ldap", p_ldap, HELLO(hello_ldap), svc_parse_ldap, 0, NULL},
    {"kerberos", p_krb, HELLO(hello_krb), svc_parse_kerberos, 0, NULL},
    {"msrpc", p_msrpc, HELLO(hello_msrpc), svc_parse_msrpc, 0, NULL},
    {"mssql", p_mssql, HELLO(hello_mssql), svc_parse_mssql, 0, NULL},
    {"memcached", p_memcached, HELLO("version\r\n"), svc_parse_memcached, 0, NULL},
    {"mongodb", p_mongodb, HELLO(hello_mongodb), svc_parse_mongodb, 0, NULL},
};

const struct svc_proto *svc_protos(size_t *n)
{
	*n = ARRAY_SIZE(protos);
	return protos;
}

const struct svc_proto *svc_proto_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(protos); i++)
		if (strcmp(protos[i].name, name) == 0)
			return &protos[i];
	return NULL;
}

int svc_proto_has_port(const struct svc_proto *pr, uint16_t port)
{
	const uint16_t *pp;

	for (pp = pr->ports; *pp; pp++)
		if (*pp == port)
			return 1;
	return 0;
}

int svc_parse_any(const struct svc_proto *pr, const unsigned char *p, size_t len, uint16_t port,
		  struct svc_info *out)
{
	int best = SVC_NO, r;
	size_t i;

	if (pr) {
		r = pr->parse(p, len, port, out);
		if (r == SVC_YES)
			return r;
		best = r;
	}
	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		if (&protos[i] == pr || (i > 0 && protos[i].parse == protos[i - 1].parse))
			continue;
		r = protos[i].parse(p, len, port, out);
		if (r == SVC_YES)
			return r;
		if (r == SVC_MORE)
			best = SVC_MORE;
	}
	return best;
}

int svc_reply_done(const struct buf *b, void *arg)
{
	int code;

	if (!arg)
		return memchr(b->ptr, '\n', b->len) != NULL;
	/* a complete reply, or bytes that can never become one */
	return reply_complete((const unsigned char *)b->ptr, b->len, &code) != 0;
}
