/*
 * test_svc.c: the service parsers on recorded banners and answers (input
 * -> service, product, version, CPE), the SSH KEXINIT parser and SVC-11
 * rules, CPE names, and svc_identify against in-process servers, both
 * well-behaved ones and hostile ones (garbage, endless data, hanging,
 * resets) that must cost bounded time and memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "svc/svc_int.h"

#define B(s) (const unsigned char *)(s), sizeof(s) - 1

struct pcase {
	svc_parse_fn fn;
	const unsigned char *in;
	size_t len;
	uint16_t port;
	int want;
	const char *service, *product, *version, *cpe;
};

static const struct pcase pcases[] = {
    {svc_parse_ssh, B("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), 22, SVC_YES, "ssh", "OpenSSH",
     "9.2p1", "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*"},
    {svc_parse_ssh, B("SSH-2.0-OpenSSH_7.4\r\n"), 22, SVC_YES, "ssh", "OpenSSH", "7.4",
     "cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*"},
    {svc_parse_ssh, B("SSH-2.0-dropbear_2022.83\r\n"), 22, SVC_YES, "ssh", "Dropbear sshd",
     "2022.83", "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*"},
    {svc_parse_ssh, B("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6"), 22, SVC_MORE, NULL, NULL, NULL,
     NULL},
    {svc_parse_ssh, B("SSH-"), 22, SVC_MORE, NULL, NULL, NULL, NULL},
    {svc_parse_ssh, B("HTTP/1.1 200 OK\r\n"), 22, SVC_NO, NULL, NULL, NULL, NULL},
    {svc_parse_ftp, B("220 (vsFTPd 3.0.3)\r\n"), 21, SVC_YES, "ftp", "vsftpd", "3.0.3",
     "cpe:2.3:a:beasts:vsftpd:3.0.3:*:*:*:*:*:*:*"},
    {svc_parse_ftp, B("220 ProFTPD 1.3.8 Server (Debian) [::ffff:192.0.2.1]\r\n"), 21, SVC_YES,
     "ftp", "ProFTPD", "1.3.8", "cpe:2.3:a:proftpd:proftpd:1.3.8:*:*:*:*:*:*:*"},
    {svc_parse_ftp, B("220-Welcome to our FTP\r\n"), 21, SVC_MORE, NULL, NULL, NULL, NULL},
    {svc_parse_ftp,
     B("220---------- Welcome to Pure-FTPd [privsep] ----------\r\n220 You "
       "will be disconnected after 15 minutes of inactivity.\r\n"),
     21, SVC_YES, "ftp", "Pure-FTPd", "", ""},
    {svc_parse_ftp, B("220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n"), 25, SVC_NO, NULL,
     NULL, NULL, NULL},
    {svc_parse_smtp, B("220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n"), 25, SVC_YES, "smtp",
     "Postfix smtpd", "", ""},
    {svc_parse_smtp, B("220 mx.example.org ESMTP Exim 4.96 Sat, 28 Nov 2026 10:00:00 +0000\r\n"),
     25, SVC_YES, "smtp", "Exim smtpd", "4.96", "cpe:2.3:a:exim:exim:4.96:*:*:*:*:*:*:*"},
    {svc_parse_smtp, B("220-mx.example.org ESMTP\r\n220 more\r\n"), 25, SVC_YES, "smtp", "", "",
     ""},
    {svc_parse_smtp, B("220 (vsFTPd 3.0.3)\r\n"), 21, SVC_NO, NULL, NULL, NULL, NULL},
    /* banners that name nothing, then the answer to the HELP follow-up */
    {svc_parse_smtp,
     B("220 mail.wachter.test ESMTP\r\n502 5.5.2 Error: command not recognized\r\n"), 25, SVC_YES,
     "smtp", "Postfix smtpd", "", ""},
    {svc_parse_smtp,
     B("220 mail.wachter.test ESMTP\r\n500 5.5.2 Error: command not recognized\r\n"), 25, SVC_YES,
     "smtp", "Postfix smtpd", "", ""},
    {svc_parse_ftp, B("220 ftp.wachter.test FTP\r\n530 Please login with USER and PASS.\r\n"), 21,
     SVC_YES, "ftp", "vsftpd", "", ""},
    {svc_parse_pop3, B("+OK Dovecot (Debian) ready.\r\n"), 110, SVC_YES, "pop3", "Dovecot pop3d",
     "", ""},
    {svc_parse_imap,
     B("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
       "AUTH=PLAIN] Dovecot (Debian) ready.\r\n"),
     143, SVC_YES, "imap", "Dovecot imapd", "", ""},
    {svc_parse_mysql,
     B("D\x00\x00\x00\xffj\x04Host '127.0.0.1' is not allowed to connect to this MariaDB "
       "server"),
     3306, SVC_YES, "mysql", "MariaDB", "", ""},
    {svc_parse_mysql, B("\x05\x00\x00\x00\x0a"), 3306, SVC_MORE, NULL, NULL, NULL, NULL},
    {svc_parse_vnc, B("RFB 003.008\n"), 5900, SVC_YES, "vnc", "VNC", "", ""},
    {svc_parse_vnc, B("RFB 003.00"), 5900, SVC_MORE, NULL, NULL, NULL, NULL},
    {svc_parse_vnc, B("RFB 00x.008\n"), 5900, SVC_NO, NULL, NULL, NULL, NULL},
    {svc_parse_telnet, B("\xff\xfd\x18\xff\xfd \xff\xfd#\xff\xfd'"), 23, SVC_YES, "telnet",
     "Linux telnetd", "", ""},
    {svc_parse_telnet, B("\xff\xfb%\xff\xfb&\xff\xfd\x18\xff\xfd \xff\xfd#\xff\xfd'\xff\xfd$"), 23,
     SVC_YES, "telnet", "GNU inetutils telnetd", "", ""},
    {svc_parse_telnet, B("\r\nrouter login: "), 23, SVC_YES, "telnet", "", "", ""},
    {svc_parse_telnet, B("\xff\x01\x02"), 23, SVC_NO, NULL, NULL, NULL, NULL},
    {svc_parse_http, B("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nX: y\r\n\r\n"), 80, SVC_YES,
     "http", "nginx", "1.22.1", "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*"},
    {svc_parse_http, B("HTTP/1.1 200 OK\r\nDate: x\r\nServer: Apache/2.4.62 (Debian)\r\n\r\n"), 80,
     SVC_YES, "http", "Apache httpd", "2.4.62",
     "cpe:2.3:a:apache:http_server:2.4.62:*:*:*:*:*:*:*"},
    {svc_parse_http, B("HTTP/1.1 200 OK\r\nServer: Apache-Coyote/1.1\r\n\r\n"), 8080, SVC_YES,
     "http", "Apache Tomcat", "1.1", "cpe:2.3:a:apache:tomcat:1.1:*:*:*:*:*:*:*"},
    {svc_parse_http, B("HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n\r\n"), 8000,
     SVC_YES, "http", "SimpleHTTPServer", "0.6", ""},
    {svc_parse_http, B("HTTP/1.1 301 Moved\r\nServer: nginx\r\n\r\n"), 80, SVC_YES, "http", "nginx",
     "", ""},
    {svc_parse_http, B("HTTP/1.1 200 OK\r\nServ"), 80, SVC_MORE, NULL, NULL, NULL, NULL},
    {svc_parse_http, B("HTTX/1.1 200 OK\r\n"), 80, SVC_NO, NULL, NULL, NULL, NULL},
    {svc_parse_redis, B("+PONG\r\n$22\r\nredis_version:7.0.15\r\n\r\n"), 6379, SVC_YES, "redis",
     "Redis", "7.0.15", "cpe:2.3:a:redis:redis:7.0.15:*:*:*:*:*:*:*"},
    {svc_parse_redis, B("+PONG\r\n$22\r\nredis_ver"), 6379, SVC_MORE, NULL, NULL, NULL, NULL},
    {svc_parse_redis, B("-NOAUTH Authentication required.\r\n"), 6379, SVC_YES, "redis", "Redis",
     "", ""},
    {svc_parse_redis, B("-ERR unknown command\r\n"), 6379, SVC_NO, NULL, NULL, NULL, NULL},
    {svc_parse_pgsql, B("R\x00\x00\x00\x17\x00\x00\x00\x0aSCRAM-SHA-256\x00\x00"), 5432, SVC_YES,
     "postgresql", "PostgreSQL", "", ""},
    {svc_parse_pgsql,
     B("R\x00\x00\x00\x0c\x00\x00\x00\x05"
       "abcd"),
     5432, SVC_YES, "postgresql", "PostgreSQL", "", ""},
    {svc_parse_pgsql,
     B("E\x00\x00\x00\x29SFATAL\x00"
       "C28000\x00Mno pg_hba.conf entry\x00\x00"),
     5432, SVC_YES, "postgresql", "PostgreSQL", "", ""},
    {svc_parse_pgsql, B("R\x00\x00\x00\x08\x00\x00\x00\x63"), 5432, SVC_NO, NULL, NULL, NULL, NULL},
    {svc_parse_rdp,
     B("\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x01\x08\x00\x01\x00"
       "\x00\x00"),
     3389, SVC_YES, "rdp", "xrdp", "", ""},
    {svc_parse_rdp,
     B("\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x1f\x08\x00\x02\x00\x00\x00"), 3389,
     SVC_YES, "rdp", "Microsoft Terminal Services", "", ""},
    {svc_parse_rdp, B("\x03\x00\x00\x13\x0e\xd0"), 3389, SVC_MORE, NULL, NULL, NULL, NULL},
    {svc_parse_ldap, B("\x30\x0c\x02\x01\x01\x61\x07\x0a\x01\x00\x04\x00\x04\x00"), 389, SVC_YES,
     "ldap", "", "", ""},
    {svc_parse_smb,
     B("\x00\x00\x00\x27\xffSMBr\x00\x00\x00\x00\x88\x01\xc0\x00\x00\x00\x00\x00"
       "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
     445, SVC_YES, "smb", "", "", ""},
};

static void test_parsers(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(pcases); i++) {
		const struct pcase *t = &pcases[i];
		struct svc_info si;
		int r;

		svc_info_init(&si);
		r = t->fn(t->in, t->len, t->port, &si);
		if (r != t->want)
			fail_msg("case %zu (%.*s): got %d want %d", i,
				 (int)(t->len > 30 ? 30 : t->len), (const char *)t->in, r, t->want);
		if (r != SVC_YES)
			continue;
		svc_cpe(&si);
		assert_string_equal(si.service, t->service);
		if (t->product)
			assert_string_equal(si.product, t->product);
		assert_string_equal(si.version, t->version);
		assert_string_equal(si.cpe, t->cpe);
	}
}

/* a MySQL/MariaDB handshake packet around version string v */
static size_t mysql_greeting(const char *v, unsigned char *out)
{
	size_t vl = strlen(v), n = 1 + vl + 1 + 20;

	out[0] = (unsigned char)n;
	out[1] = out[2] = out[3] = 0;
	out[4] = 0x0a;
	memcpy(out + 5, v, vl + 1);
	memset(out + 5 + vl + 1, 'x', 20);
	return 4 + n;
}

static void test_mysql_versions(void **state)
{
	static const struct {
		const char *v, *product, *version, *cpe;
	} c[] = {
	    {"5.5.5-10.11.6-MariaDB-0+deb12u1", "MariaDB", "10.11.6",
	     "cpe:2.3:a:mariadb:mariadb:10.11.6:*:*:*:*:*:*:*"},
	    {"11.4.2-MariaDB-ubu2404", "MariaDB", "11.4.2",
	     "cpe:2.3:a:mariadb:mariadb:11.4.2:*:*:*:*:*:*:*"},
	    {"8.0.35-0ubuntu0.22.04.1", "MySQL", "8.0.35",
	     "cpe:2.3:a:oracle:mysql:8.0.35:*:*:*:*:*:*:*"},
	    {"5.7.44", "MySQL", "5.7.44", "cpe:2.3:a:oracle:mysql:5.7.44:*:*:*:*:*:*:*"},
	};
	unsigned char pkt[200];
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct svc_info si;

		svc_info_init(&si);
		n = mysql_greeting(c[i].v, pkt);
		assert_int_equal(svc_parse_mysql(pkt, n, 3306, &si), SVC_YES);
		svc_cpe(&si);
		assert_string_equal(si.product, c[i].product);
		assert_string_equal(si.version, c[i].version);
		assert_string_equal(si.cpe, c[i].cpe);
		/* every prefix is MORE, never a crash or a wrong YES */
		while (n-- > 0)
			assert_int_not_equal(svc_parse_mysql(pkt, n, 3306, &si), SVC_YES);
	}
}

/* a version.bind answer with TXT txt */
static size_t dns_answer(const char *txt, unsigned char *out)
{
	static const unsigned char head[] = {
	    0x00, 0x06, 0x84, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x07, 'v',
	    'e',  'r',	's',  'i',  'o',  'n',	0x04, 'b',  'i',  'n',	'd',  0x00, 0x00, 0x10,
	    0x00, 0x03, 0xc0, 0x0c, 0x00, 0x10, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00};
	size_t tl = strlen(txt), n = sizeof(head) + 2 + 1 + tl;

	out[0] = (unsigned char)(n >> 8);
	out[1] = (unsigned char)n;
	memcpy(out + 2, head, sizeof(head));
	out[2 + sizeof(head)] = 0;
	out[3 + sizeof(head)] = (unsigned char)(tl + 1);
	out[4 + sizeof(head)] = (unsigned char)tl;
	memcpy(out + 5 + sizeof(head), txt, tl);
	return n + 2;
}

static void test_dns_versions(void **state)
{
	static const struct {
		const char *txt, *product, *version;
	} c[] = {
	    {"9.18.28-1~deb12u2-Debian", "ISC BIND", "9.18.28"},
	    {"dnsmasq-2.89", "dnsmasq", "2.89"},
	    {"unbound 1.17.1", "Unbound", "1.17.1"},
	    {"none of your business", "", ""},
	};
	unsigned char pkt[200];
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct svc_info si;

		svc_info_init(&si);
		n = dns_answer(c[i].txt, pkt);
		assert_int_equal(svc_parse_dns(pkt, n, 53, &si), SVC_YES);
		assert_string_equal(si.service, "dns");
		assert_string_equal(si.product, c[i].product);
		assert_string_equal(si.version, c[i].version);
		while (n-- > 0)
			assert_int_not_equal(svc_parse_dns(pkt, n, 53, &si), SVC_YES);
	}
}

static void test_parse_any(void **state)
{
	static const char garbage[] = "\x17\x42garbage that is no protocol at all\r\n";
	struct svc_info si;

	(void)state;
	svc_info_init(&si);
	assert_int_equal(
	    svc_parse_any(NULL, (const unsigned char *)garbage, sizeof(garbage) - 1, 12345, &si),
	    SVC_NO);
	/* an SSH banner on the HTTP port still reads as SSH */
	assert_int_equal(
	    svc_parse_any(svc_proto_find("http"), B("SSH-2.0-OpenSSH_9.6\r\n"), 80, &si), SVC_YES);
	assert_string_equal(si.service, "ssh");
}

/* every hello's own length field agrees with its size */
static void test_hellos(void **state)
{
	static const struct {
		const char *name;
		size_t off, width, add; /* length at off, big-endian width bytes, plus add */
		int le;
	} c[] = {
	    {"postgresql", 0, 4, 0, 0}, {"rdp", 2, 2, 0, 0},   {"smb", 1, 3, 4, 0},
	    {"dns", 0, 2, 2, 0},	{"ldap", 1, 1, 2, 0},  {"kerberos", 0, 4, 4, 0},
	    {"msrpc", 8, 2, 0, 1},	{"mssql", 2, 2, 0, 0},
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		const struct svc_proto *pr = svc_proto_find(c[i].name);
		const unsigned char *h;
		size_t v = 0;

		assert_non_null(pr);
		h = (const unsigned char *)pr->hello;
		for (j = 0; j < c[i].width; j++)
			v = c[i].le ? v | (size_t)h[c[i].off + j] << (8 * j)
				    : v << 8 | h[c[i].off + j];
		if (v + c[i].add != pr->hello_len)
			fail_msg("%s: length field %zu + %zu, hello %zu bytes", c[i].name, v,
				 c[i].add, pr->hello_len);
	}
}

static void test_cpe(void **state)
{
	struct svc_info si;

	(void)state;
	svc_info_init(&si);
	str_lcpy(si.product, "Apache httpd", sizeof(si.product));
	str_lcpy(si.version, "2.4.62+x", sizeof(si.version));
	svc_cpe(&si);
	assert_string_equal(si.cpe, "cpe:2.3:a:apache:http_server:2.4.62\\+x:*:*:*:*:*:*:*");
	str_lcpy(si.product, "Unknown thing", sizeof(si.product));
	svc_cpe(&si);
	assert_string_equal(si.cpe, "");
	str_lcpy(si.product, "OpenSSH", sizeof(si.product));
	si.version[0] = '\0';
	svc_cpe(&si);
	assert_string_equal(si.cpe, "");
}

/* ------------------------------------------------------------ KEXINIT */

static size_t put_list(unsigned char *p, const char *s)
{
	size_t n = strlen(s);

	p[0] = (unsigned char)(n >> 24);
	p[1] = (unsigned char)(n >> 16);
	p[2] = (unsigned char)(n >> 8);
	p[3] = (unsigned char)n;
	memcpy(p + 4, s, n);
	return 4 + n;
}

/* a KEXINIT packet with kex, hostkey, cipher and mac lists */
static size_t kexinit(unsigned char *out, const char *kex, const char *hk, const char *enc,
		      const char *mac)
{
	unsigned char *p = out + 5;
	size_t plen, pad = 4;

	*p++ = 20;
	memset(p, 0xaa, 16);
	p += 16;
	p += put_list(p, kex);
	p += put_list(p, hk);
	p += put_list(p, enc);
	p += put_list(p, enc);
	p += put_list(p, mac);
	p += put_list(p, mac);
	p += put_list(p, "none,zlib@openssh.com");
	p += put_list(p, "none");
	p += put_list(p, "");
	p += put_list(p, "");
	*p++ = 0;
	memset(p, 0, 4);
	p += 4;
	pad = 8 - ((size_t)(p - out) % 8) + 4;
	memset(p, 0, pad);
	p += pad;
	plen = (size_t)(p - out) - 4;
	out[0] = 0;
	out[1] = 0;
	out[2] = (unsigned char)(plen >> 8);
	out[3] = (unsigned char)plen;
	out[4] = (unsigned char)pad;
	return (size_t)(p - out);
}

static void test_kexinit(void **state)
{
	unsigned char pkt[2048];
	struct ssh_kexinit k;
	struct buf bad = BUF_INIT, weak = BUF_INIT;
	size_t n, used = 0, i;

	(void)state;
	n = kexinit(pkt,
		    "curve25519-sha256,diffie-hellman-group14-sha256,diffie-hellman-group1-sha1,"
		    "diffie-hellman-group-exchange-sha1",
		    "ssh-ed25519,ssh-rsa,ssh-dss", "aes128-ctr,3des-cbc,arcfour256,blowfish-cbc",
		    "hmac-sha2-256-etm@openssh.com,hmac-md5,hmac-sha1-96,hmac-sha1");
	assert_int_equal(ssh_parse_kexinit_packet(pkt, n, &k, &used), 0);
	assert_int_equal(used, n);
	assert_true(cursor_eq(&k.list[1], "ssh-ed25519,ssh-rsa,ssh-dss"));
	assert_int_equal(ssh_rate_algos(&k, &bad, &weak), 0);
	assert_string_equal(bad.ptr,
			    "diffie-hellman-group1-sha1,diffie-hellman-group-exchange-sha1,ssh-rsa,"
			    "ssh-dss,3des-cbc,arcfour256,blowfish-cbc,hmac-md5,hmac-sha1-96");
	assert_string_equal(weak.ptr, "diffie-hellman-group14-sha256");
	buf_release(&bad);
	buf_release(&weak);

	/* a modern server: nothing to report */
	n = kexinit(pkt, "sntrup761x25519-sha512@openssh.com,curve25519-sha256", "ssh-ed25519",
		    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com",
		    "hmac-sha2-256-etm@openssh.com");
	assert_int_equal(ssh_parse_kexinit_packet(pkt, n, &k, &used), 0);
	assert_int_equal(ssh_rate_algos(&k, &bad, &weak), 0);
	assert_int_equal(bad.len, 0);
	assert_int_equal(weak.len, 0);

	/* every truncation fails cleanly */
	for (i = 0; i < n; i++)
		assert_int_not_equal(ssh_parse_kexinit_packet(pkt, i, &k, &used), 0);
	/* absurd lengths */
	pkt[0] = 0x7f;
	assert_int_equal(ssh_parse_kexinit_packet(pkt, n, &k, &used), ERR_TOO_BIG);
	pkt[0] = 0;
	pkt[4 + 1 + 1 + 16] = 0xff; /* first name-list length past the end */
	assert_int_equal(ssh_parse_kexinit_packet(pkt, n, &k, &used), ERR_PARSE);
	buf_release(&bad);
	buf_release(&weak);
}

/* ------------------------------------------------- in-process servers */

enum mode { M_BANNER, M_HTTP, M_REDIS, M_GARBAGE, M_ENDLESS, M_HANG, M_RESET, M_DRIP };

struct server {
	int fd;
	uint16_t port;
	enum mode mode;
	const char *reply;
	int stop[2];
	pthread_t th;
};

static void serve_one(struct server *s, int c)
{
	char in[4096], junk[8192];
	struct pollfd p[2] = {{.fd = c, .events = POLLIN}, {.fd = s->stop[0], .events = POLLIN}};
	ssize_t n;
	int i;

	switch (s->mode) {
	case M_BANNER:
	case M_GARBAGE:
		(void)!send(c, s->reply, strlen(s->reply), MSG_NOSIGNAL);
		break;
	case M_HTTP:
	case M_REDIS:
		if (poll(p, 2, 2000) > 0 && (p[0].revents & POLLIN) &&
		    (n = recv(c, in, sizeof(in), 0)) > 0) {
			if ((s->mode == M_HTTP && memcmp(in, "GET ", 4) == 0) ||
			    (s->mode == M_REDIS && memcmp(in, "PING", 4) == 0))
				(void)!send(c, s->reply, strlen(s->reply), MSG_NOSIGNAL);
		}
		break;
	case M_ENDLESS:
		memset(junk, 'A', sizeof(junk));
		/* up to 100 MB, until the client goes away */
		for (i = 0; i < 12800; i++)
			if (send(c, junk, sizeof(junk), MSG_NOSIGNAL) < 0)
				break;
		break;
	case M_DRIP:
		/* "SSH-2.0-" and then one byte every 50 ms, never a newline */
		(void)!send(c, "SSH-2.0-", 8, MSG_NOSIGNAL);
		for (i = 0; i < 400; i++) {
			if (poll(&p[1], 1, 50) > 0 || send(c, "x", 1, MSG_NOSIGNAL) < 0)
				break;
		}
		break;
	case M_HANG:
		/* read and ignore until the client closes */
		while (poll(p, 2, 10000) > 0 && !(p[1].revents & POLLIN) &&
		       recv(c, in, sizeof(in), 0) > 0)
			;
		break;
	case M_RESET: {
		struct linger l = {1, 0};

		setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		break;
	}
	}
	close(c);
}

static void *serve(void *arg)
{
	struct server *s = arg;
	struct pollfd p[2] = {{.fd = s->fd, .events = POLLIN},
			      {.fd = s->stop[0], .events = POLLIN}};

	while (poll(p, 2, -1) > 0 && !(p[1].revents & POLLIN)) {
		int c = accept(s->fd, NULL, NULL);

		if (c >= 0)
			serve_one(s, c);
	}
	return NULL;
}

static void server_start(struct server *s, enum mode m, const char *reply)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->mode = m;
	s->reply = reply;
	a.sin_addr.s_addr = htonl(0x7f000001);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 16), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &al), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pipe(s->stop), 0);
	assert_int_equal(pthread_create(&s->th, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
	(void)!write(s->stop[1], "x", 1);
	pthread_join(s->th, NULL);
	close(s->fd);
	close(s->stop[0]);
	close(s->stop[1]);
}

static int identify_r(struct server *s, int timeout_ms, struct svc_info *si, int64_t *ms)
{
	struct net_addr a;
	int64_t t0 = time_now_ms();
	int r;

	assert_int_equal(net_addr_parse("127.0.0.1", s->port, &a), 0);
	r = svc_identify(&a, NULL, timeout_ms, si, NULL);
	*ms = time_now_ms() - t0;
	return r;
}

static void identify(struct server *s, int timeout_ms, struct svc_info *si, int64_t *ms)
{
	assert_int_equal(identify_r(s, timeout_ms, si, ms), 0);
}

static void test_identify_good(void **state)
{
	static const struct {
		enum mode m;
		const char *reply, *service, *product, *version;
	} c[] = {
	    {M_BANNER, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "ssh", "OpenSSH", "9.2p1"},
	    {M_BANNER, "220 (vsFTPd 3.0.3)\r\n", "ftp", "vsftpd", "3.0.3"},
	    {M_HTTP, "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\n\r\n", "http",
	     "nginx", "1.22.1"},
	    {M_REDIS, "+PONG\r\n$22\r\nredis_version:7.2.4\r\n\r\n", "redis", "Redis", "7.2.4"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct server s;
		struct svc_info si;
		int64_t ms;

		server_start(&s, c[i].m, c[i].reply);
		identify(&s, 500, &si, &ms);
		assert_string_equal(si.service, c[i].service);
		assert_string_equal(si.product, c[i].product);
		assert_string_equal(si.version, c[i].version);
		assert_non_null(si.evidence);
		assert_true(ms <= 1000 + 200);
		svc_info_release(&si);
		server_stop(&s);
	}
}

static void test_identify_hostile(void **state)
{
	static const struct {
		enum mode m;
		const char *reply;
	} c[] = {
	    {M_GARBAGE, "\x01\x02\x03 this is not a protocol \xfe\xfd\r\n"},
	    {M_ENDLESS, NULL},
	    {M_HANG, NULL},
	    {M_RESET, NULL},
	    {M_DRIP, NULL},
	};
	const int timeout = 300;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct server s;
		struct svc_info si;
		int64_t ms;
		int r;

		server_start(&s, c[i].m, c[i].reply);
		r = identify_r(&s, timeout, &si, &ms);
		/* a reset that lands before connect() reports is a closed port */
		if (c[i].m == M_RESET && r == ERR_CONN) {
			svc_info_release(&si);
			server_stop(&s);
			continue;
		}
		assert_int_equal(r, 0);
		if (strcmp(si.service, "unknown") != 0)
			fail_msg("mode %d identified as %s", (int)c[i].m, si.service);
		assert_int_not_equal(si.error, 0);
		/* 2 x timeout, plus slack for a loaded (sanitized) test run */
		if (ms > 2 * timeout + 500)
			fail_msg("mode %d took %lld ms", (int)c[i].m, (long long)ms);
		assert_true(!si.evidence || strlen(si.evidence) <= SVC_EVIDENCE_MAX);
		svc_info_release(&si);
		server_stop(&s);
	}
}

static void test_identify_closed(void **state)
{
	struct server s;
	struct net_addr a;
	struct svc_info si;
	uint16_t port;

	(void)state;
	server_start(&s, M_RESET, NULL);
	port = s.port;
	server_stop(&s); /* the port is closed now */
	assert_int_equal(net_addr_parse("127.0.0.1", port, &a), 0);
	assert_int_equal(svc_identify(&a, NULL, 300, &si, NULL), ERR_CONN);
	svc_info_release(&si);
}

static void test_check_redis(void **state)
{
	struct server s;
	struct net_addr a;
	struct svc_info si;
	struct findings fl = FINDINGS_INIT;

	(void)state;
	server_start(&s, M_REDIS, "+PONG\r\n$22\r\nredis_version:7.2.4\r\n\r\n");
	assert_int_equal(net_addr_parse("127.0.0.1", s.port, &a), 0);
	svc_info_init(&si);
	str_lcpy(si.service, "redis", sizeof(si.service));
	assert_int_equal(svc_check(&a, "t.example", &si, 500, &fl, NULL), 0);
	assert_int_equal(fl.n, 1);
	assert_string_equal(fl.v[0].check_id, "SVC-06");
	assert_int_equal(fl.v[0].sev, SEV_CRITICAL);
	assert_non_null(strstr(fl.v[0].evidence, "+PONG"));
	findings_release(&fl);
	server_stop(&s);
}

/* svc_check against hostile peers: no finding, bounded time, no crash */
static void test_check_hostile(void **state)
{
	static const enum mode modes[] = {M_GARBAGE, M_ENDLESS, M_HANG, M_RESET, M_DRIP};
	static const char *const services[] = {"ssh",  "smtp",	"ftp",	      "vnc",
					       "imap", "redis", "postgresql", "rdp"};
	const int timeout = 200;
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		struct server s;
		struct net_addr a;

		server_start(&s, modes[i], "\x01\x02 not a protocol\r\n");
		assert_int_equal(net_addr_parse("127.0.0.1", s.port, &a), 0);
		for (k = 0; k < ARRAY_SIZE(services); k++) {
			struct findings fl = FINDINGS_INIT;
			struct svc_info si;
			int64_t t0 = time_now_ms(), ms;

			svc_info_init(&si);
			str_lcpy(si.service, services[k], sizeof(si.service));
			assert_int_equal(svc_check(&a, "t.example", &si, timeout, &fl, NULL), 0);
			ms = time_now_ms() - t0;
			/* Only the "service misbehaved" line may come out of a
			 * hostile peer; never a finding about the service. */
			for (size_t f = 0; f < fl.n; f++)
				if (strcmp(fl.v[f].check_id, "SCAN-03") != 0)
					fail_msg("mode %d %s: finding %s", (int)modes[i],
						 services[k], fl.v[f].check_id);
			/* A hang guard, not a speed test: far above the few
			 * timeouts each exchange is bounded by. */
			if (ms > 20 * timeout + 2000)
				fail_msg("mode %d %s took %lld ms", (int)modes[i], services[k],
					 (long long)ms);
			findings_release(&fl);
		}
		server_stop(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parsers),
	    cmocka_unit_test(test_mysql_versions),
	    cmocka_unit_test(test_dns_versions),
	    cmocka_unit_test(test_parse_any),
	    cmocka_unit_test(test_cpe),
	    cmocka_unit_test(test_hellos),
	    cmocka_unit_test(test_kexinit),
	    cmocka_unit_test(test_identify_good),
	    cmocka_unit_test(test_identify_hostile),
	    cmocka_unit_test(test_identify_closed),
	    cmocka_unit_test(test_check_redis),
	    cmocka_unit_test(test_check_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
