/*
 * cpemap.c: the CPE 2.3 name of an identified product: nmap's product name
 * maps to NVD's vendor:product; the version is the upstream version with
 * OpenSSH's portable suffix ("p1") moved to the update field as NVD does.
 */
#include <ctype.h>
#include <string.h>

#include "svc/svc_int.h"

struct cpe_map {
	const char *product; /* svc_info.product */
	const char *vp;	     /* NVD vendor:product */
};

static const struct cpe_map cpe_maps[] = {
    {"OpenSSH", "openbsd:openssh"},
    {"Dropbear sshd", "dropbear_ssh_project:dropbear_ssh"},
    {"libssh", "libssh:libssh"},
    {"nginx", "f5:nginx"},
    {"Apache httpd", "apache:http_server"},
    {"Apache Tomcat", "apache:tomcat"},
    {"lighttpd", "lighttpd:lighttpd"},
    {"Microsoft IIS httpd", "microsoft:internet_information_services"},
    {"OpenResty web app server", "openresty:openresty"},
    {"Caddy httpd", "caddyserver:caddy"},
    {"vsftpd", "beasts:vsftpd"},
    {"ProFTPD", "proftpd:proftpd"},
    {"Pure-FTPd", "pureftpd:pure-ftpd"},
    {"Postfix smtpd", "postfix:postfix"},
    {"Exim smtpd", "exim:exim"},
    {"Sendmail", "sendmail:sendmail"},
    {"Dovecot imapd", "dovecot:dovecot"},
    {"Dovecot pop3d", "dovecot:dovecot"},
    {"MariaDB", "mariadb:mariadb"},
    {"MySQL", "oracle:mysql"},
    {"PostgreSQL", "postgresql:postgresql"},
    {"Redis", "redis:redis"},
    {"Memcached", "memcached:memcached"},
    {"MongoDB", "mongodb:mongodb"},
    {"Elasticsearch REST API", "elastic:elasticsearch"},
    {"Samba smbd", "samba:samba"},
    {"xrdp", "neutrinolabs:xrdp"},
    {"ISC BIND", "isc:bind"},
    {"dnsmasq", "thekelleys:dnsmasq"},
    {"Unbound", "nlnetlabs:unbound"},
    {"cz.nic Knot DNS", "cz.nic:knot_dns"},
    {"PowerDNS Recursor", "powerdns:recursor"},
    {"PowerDNS Authoritative Server", "powerdns:authoritative_server"},
};

/* add_escaped: a CPE 2.3 formatted-string value; specials get a backslash. */
static void add_escaped(char *out, size_t size, size_t *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && *o + 2 < size; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!isalnum(ch) && ch != '_' && ch != '.' && ch != '-')
			out[(*o)++] = '\\';
		out[(*o)++] = (char)tolower(ch);
	}
	out[*o] = '\0';
}

void svc_cpe(struct svc_info *info)
{
	const char *vp = NULL, *v = info->version, *upd = "*";
	size_t i, vlen, o = 0, ulen = 1;
	char *out = info->cpe;
	size_t size = sizeof(info->cpe);
	int n;

	out[0] = '\0';
	if (!info->version[0])
		return;
	for (i = 0; i < ARRAY_SIZE(cpe_maps); i++)
		if (strcmp(cpe_maps[i].product, info->product) == 0)
			vp = cpe_maps[i].vp;
	if (!vp)
		return;
	vlen = strlen(v);
	if (strcmp(info->product, "OpenSSH") == 0) {
		const char *p = strchr(v, 'p');

		if (p && p[1] && isdigit((unsigned char)p[1])) {
			vlen = (size_t)(p - v);
			upd = p;
			ulen = strspn(p + 1, "0123456789") + 1;
		}
	}
	n = snprintf(out, size, "cpe:2.3:a:%s:", vp);
	if (n < 0 || (size_t)n >= size) {
		out[0] = '\0';
		return;
	}
	o = (size_t)n;
	add_escaped(out, size, &o, v, vlen);
	if (o + 2 < size)
		out[o++] = ':';
	if (upd[0] == '*' && o + 1 < size)
		out[o++] = '*';
	else
		add_escaped(out, size, &o, upd, ulen);
	out[o] = '\0';
	n = snprintf(out + o, size - o, ":*:*:*:*:*:*");
	if (n < 0 || (size_t)n >= size - o)
		out[0] = '\0';
}
