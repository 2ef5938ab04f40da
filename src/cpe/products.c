/*
 * products.c: names seen in service banners and package lists, mapped to
 * the CPE vendor:product pairs NVD uses for them (a name can have several:
 * NVD files nginx under both f5 and nginx). A const table sorted by
 * name; a later layer adds Debian's CPE list and aliases on top.
 */
#include <string.h>

#include "cpe/cpe.h"
#include "cpe/cpe_int.h"

/* Sorted by name (bytewise); entries with the same name are adjacent, the
 * vendor NVD uses today first. tests/unit/test_cpe.c checks the order. */
static const struct cpe_product products[] = {
    {"activemq", 'a', "apache", "activemq"},
    {"alpine", 'o', "alpinelinux", "alpine_linux"},
    {"apache", 'a', "apache", "http_server"},
    {"apache2", 'a', "apache", "http_server"},
    {"bash", 'a', "gnu", "bash"},
    {"bind", 'a', "isc", "bind"},
    {"bind9", 'a', "isc", "bind"},
    {"caddy", 'a', "caddyserver", "caddy"},
    {"centos", 'o', "centos", "centos"},
    {"coredns", 'a', "coredns.io", "coredns"},
    {"couchdb", 'a', "apache", "couchdb"},
    {"cups", 'a', "apple", "cups"},
    {"cups", 'a', "openprinting", "cups"},
    {"curl", 'a', "haxx", "curl"},
    {"debian", 'o', "debian", "debian_linux"},
    {"dnsmasq", 'a', "thekelleys", "dnsmasq"},
    {"dovecot", 'a', "dovecot", "dovecot"},
    {"drupal", 'a', "drupal", "drupal"},
    {"elasticsearch", 'a', "elastic", "elasticsearch"},
    {"exim", 'a', "exim", "exim"},
    {"exim4", 'a', "exim", "exim"},
    {"fedora", 'o', "fedoraproject", "fedora"},
    {"freebsd", 'o', "freebsd", "freebsd"},
    {"git", 'a', "git-scm", "git"},
    {"gitlab", 'a', "gitlab", "gitlab"},
    {"glibc", 'a', "gnu", "glibc"},
    {"grafana", 'a', "grafana", "grafana"},
    {"gunicorn", 'a', "gunicorn", "gunicorn"},
    {"haproxy", 'a', "haproxy", "haproxy"},
    {"httpd", 'a', "apache", "http_server"},
    {"iis", 'a', "microsoft", "internet_information_services"},
    {"influxdb", 'a', "influxdata", "influxdb"},
    {"jenkins", 'a', "jenkins", "jenkins"},
    {"jetty", 'a', "eclipse", "jetty"},
    {"joomla", 'a', "joomla", "joomla!"},
    {"kibana", 'a', "elastic", "kibana"},
    {"knot-resolver", 'a', "nic", "knot_resolver"},
    {"kubernetes", 'a', "kubernetes", "kubernetes"},
    {"libc6", 'a', "gnu", "glibc"},
    {"libcurl", 'a', "haxx", "libcurl"},
    {"lighttpd", 'a', "lighttpd", "lighttpd"},
    {"linux", 'o', "linux", "linux_kernel"},
    {"mariadb", 'a', "mariadb", "mariadb"},
    {"memcached", 'a', "memcached", "memcached"},
    {"microsoft-iis", 'a', "microsoft", "internet_information_services"},
    {"minio", 'a', "minio", "minio"},
    {"mongodb", 'a', "mongodb", "mongodb"},
    {"mosquitto", 'a', "eclipse", "mosquitto"},
    {"mysql", 'a', "oracle", "mysql"},
    {"mysql", 'a', "mysql", "mysql"},
    {"named", 'a', "isc", "bind"},
    {"nextcloud", 'a', "nextcloud", "nextcloud_server"},
    {"nginx", 'a', "f5", "nginx"},
    {"nginx", 'a', "nginx", "nginx"},
    {"node.js", 'a', "nodejs", "node.js"},
    {"nodejs", 'a', "nodejs", "node.js"},
    {"ntp", 'a', "ntp", "ntp"},
    {"ntpd", 'a', "ntp", "ntp"},
    {"openbsd", 'o', "openbsd", "openbsd"},
    {"openjdk", 'a', "oracle", "openjdk"},
    {"openldap", 'a', "openldap", "openldap"},
    {"opensmtpd", 'a', "openbsd", "opensmtpd"},
    {"openssh", 'a', "openbsd", "openssh"},
    {"openssh-server", 'a', "openbsd", "openssh"},
    {"openssl", 'a', "openssl", "openssl"},
    {"openvpn", 'a', "openvpn", "openvpn"},
    {"pdns-recursor", 'a', "powerdns", "recursor"},
    {"php", 'a', "php", "php"},
    {"phpmyadmin", 'a', "phpmyadmin", "phpmyadmin"},
    {"postfix", 'a', "postfix", "postfix"},
    {"postgres", 'a', "postgresql", "postgresql"},
    {"postgresql", 'a', "postgresql", "postgresql"},
    {"powerdns", 'a', "powerdns", "authoritative"},
    {"proftpd", 'a', "proftpd", "proftpd"},
    {"pure-ftpd", 'a', "pureftpd", "pure-ftpd"},
    {"rabbitmq", 'a', "vmware", "rabbitmq"},
    {"rabbitmq", 'a', "pivotal_software", "rabbitmq"},
    {"redis", 'a', "redis", "redis"},
    {"redis-server", 'a', "redis", "redis"},
    {"roundcube", 'a', "roundcube", "webmail"},
    {"rsync", 'a', "samba", "rsync"},
    {"samba", 'a', "samba", "samba"},
    {"sendmail", 'a', "sendmail", "sendmail"},
    {"slapd", 'a', "openldap", "openldap"},
    {"smbd", 'a', "samba", "samba"},
    {"solr", 'a', "apache", "solr"},
    {"squid", 'a', "squid-cache", "squid"},
    {"sudo", 'a', "sudo_project", "sudo"},
    {"tomcat", 'a', "apache", "tomcat"},
    {"traefik", 'a', "traefik", "traefik"},
    {"ubuntu", 'o', "canonical", "ubuntu_linux"},
    {"unbound", 'a', "nlnetlabs", "unbound"},
    {"uwsgi", 'a', "unbit", "uwsgi"},
    {"varnish", 'a', "varnish-cache", "varnish"},
    {"vsftpd", 'a', "beasts", "vsftpd"},
    {"vsftpd", 'a', "vsftpd_project", "vsftpd"},
    {"webmin", 'a', "webmin", "webmin"},
    {"wordpress", 'a', "wordpress", "wordpress"},
    {"xrdp", 'a', "neutrinolabs", "xrdp"},
    {"zabbix", 'a', "zabbix", "zabbix"},
};

void cpe_product_cpe(const struct cpe_product *p, const char *version, size_t version_len,
		     const char *update, size_t update_len, struct cpe *out)
{
	cpe_init(out);
	cpe_set(out, CPE_PART, &p->part, 1);
	cpe_set(out, CPE_VENDOR, p->vendor, strlen(p->vendor));
	cpe_set(out, CPE_PRODUCT, p->product, strlen(p->product));
	cpe_set(out, CPE_VERSION, version, version ? version_len : 0);
	cpe_set(out, CPE_UPDATE, update, update ? update_len : 0);
}

const struct cpe_product *cpe_products_all(size_t *n)
{
	*n = ARRAY_SIZE(products);
	return products;
}

/* strcmp of table name t against the lower-cased key k[0..len). */
static int name_cmp(const char *t, const char *k, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char a = (unsigned char)t[i];
		unsigned char b = (unsigned char)k[i];

		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b + 32);
		if (a != b)
			return a < b ? -1 : 1;
	}
	return t[len] != '\0';
}

int cpe_products_lookup(const char *name, size_t len, const struct cpe_product **out, size_t *n)
{
	size_t lo = 0, hi = ARRAY_SIZE(products), mid, end;

	*n = 0;
	if (!name || len == 0 || len > 64 || memchr(name, '\0', len))
		return ERR_NOTFOUND;
	/* the first entry whose name is >= the key */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (name_cmp(products[mid].name, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	end = lo;
	while (end < ARRAY_SIZE(products) && name_cmp(products[end].name, name, len) == 0)
		end++;
	if (end == lo)
		return ERR_NOTFOUND;
	*out = &products[lo];
	*n = end - lo;
	return 0;
}
