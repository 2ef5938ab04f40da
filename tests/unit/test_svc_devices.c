/*
 * test_svc_devices.c: SVC-10. HTML title extraction, HTTP answer parsing
 * (chunked bodies, realms, Location), the fingerprint table on recorded
 * login pages and on near-misses that must not match, redirect resolution,
 * and svc_check_device end to end against an in-process HTTP server
 * (redirects followed, other hosts refused, endless bodies capped).
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
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "svc/svc_int.h"

#define U(s) (const unsigned char *)(s), sizeof(s) - 1

/* ------------------------------------------------------------ titles */

static void test_title(void **state)
{
	static const struct {
		const char *html;
		int found;
		const char *want;
	} c[] = {
	    {"<html><head><title>Synology DiskStation</title></head>", 1, "Synology DiskStation"},
	    {"<TITLE>Home - CUPS 2.4.2</TITLE>", 1, "Home - CUPS 2.4.2"},
	    {"<title id=\"t\" lang='en'>\n   pfSense -\n\tLogin  </title>", 1, "pfSense - Login"},
	    {"<title>AT&amp;T &lt;x&gt; &#65;&#x42; &nbsp;z&quot;</title>", 1, "AT&T <x> AB z\""},
	    {"<title>a &bogus; b & c</title>", 1, "a &bogus; b & c"},
	    {"<titlebar>no</titlebar><title>yes</title>", 1, "yes"},
	    {"<title></title>", 1, ""},
	    {"<title>cut off, never closed", 1, "cut off, never closed"},
	    {"<title", 0, ""},
	    {"<html>no title here</html>", 0, ""},
	    {"<title>caf\xc3\xa9 &#233;</title>", 1, "caf?? ?"},
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		int f = dev_html_title((const unsigned char *)c[i].html, strlen(c[i].html), out,
				       sizeof(out));

		assert_int_equal(f, c[i].found);
		assert_string_equal(out, c[i].want);
	}
	/* bounded: a huge title is cut at the output size */
	{
		char big[5000], small[8];

		memcpy(big, "<title>", 7);
		memset(big + 7, 'x', sizeof(big) - 7);
		assert_int_equal(dev_html_title((unsigned char *)big, sizeof(big), small, 8), 1);
		assert_string_equal(small, "xxxxxxx");
	}
}

/* ------------------------------------------------------------- pages */

struct mcase {
	const char *resp;
	const char *vendor, *product; /* NULL: must not match */
};

static const struct mcase mcases[] = {
    /* device pages as their firmware serves them (identifying parts) */
    {"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<!DOCTYPE html><html><head>"
     "<title>nas01 - Synology DiskStation</title></head><body></body></html>",
     "Synology", "DSM"},
    {"HTTP/1.1 200 OK\r\n\r\n<html><script>SYNO.SDS.Session = {}; var u = '/webman/login.cgi';"
     "</script><title>NAS</title></html>",
     "Synology", "DSM"},
    {"HTTP/1.1 200 OK\r\nServer: pve-api-daemon/3.0\r\n\r\n<title>pve1 - Proxmox Virtual "
     "Environment</title>",
     "Proxmox", "Virtual Environment"},
    {"HTTP/1.1 200 OK\r\n\r\n<html><head><title>RouterOS router configuration page</title>",
     "MikroTik", "RouterOS"},
    {"HTTP/1.1 200 OK\r\n\r\n<html><title>pfSense - Login</title>", "Netgate", "pfSense"},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Login | OPNsense</title>", "Deciso", "OPNsense"},
    {"HTTP/1.1 200 OK\r\n\r\n<title>FRITZ!Box</title>", "AVM", "FRITZ!Box"},
    {"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"TP-LINK Wireless N Router "
     "WR841N\"\r\nContent-Length: 0\r\n\r\n",
     "TP-Link", "router"},
    {"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"NETGEAR R7000\"\r\n\r\n",
     "Netgear", "router"},
    {"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=level_15_access\r\n\r\n", "Cisco",
     "IOS"},
    {"HTTP/1.1 200 OK\r\n\r\n<html><body><div id=\"ID_EESX_Welcome\"></div>", "VMware", "ESXi"},
    {"HTTP/1.1 200 OK\r\nServer: HP HTTP Server; HP Color LaserJet MFP M477fdw - CF379A\r\n\r\n",
     "HP", "printer"},
    {"HTTP/1.1 200 OK\r\nServer: CUPS/2.4 IPP/2.1\r\n\r\n<TITLE>Home - CUPS 2.4.2</TITLE>",
     "OpenPrinting", "CUPS"},
    {"HTTP/1.1 200 OK\r\nServer: MiniServ/2.105\r\n\r\n<title>Login to Webmin</title>", "Webmin",
     "Webmin"},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Integrated Dell Remote Access Controller 9</title>", "Dell",
     "iDRAC"},
    {"HTTP/1.1 200 OK\r\n\r\n<title>HPE iLO 5</title>", "HPE", "iLO"},
    {"HTTP/1.1 200 OK\r\nX-Jenkins: 2.440\r\n\r\n<title>Dashboard [Jenkins]</title>", "Jenkins",
     "Jenkins"},
    {"HTTP/1.1 200 OK\r\nServer: App-webs/\r\n\r\n<script>location='/doc/page/login.asp'</script>",
     "Hikvision", "camera/NVR"},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n<title>\r\n"
     "d;ext=1\r\nUniFi Network\r\n8\r\n</title>\r\n0\r\n\r\n",
     "Ubiquiti", "UniFi Network"},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Log In - Juniper Web Device Manager</title>", "Juniper",
     "J-Web"},
    {"HTTP/1.1 200 OK\r\n\r\n<title>phpMyAdmin</title><input name=\"pma_username\">", "phpMyAdmin",
     "phpMyAdmin"},
    /* near-misses: ordinary sites that talk about the products */
    {"HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n<title>My Synology review</title><p>The "
     "Synology DiskStation login page says Synology DiskStation.</p>",
     NULL, NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Synology DiskStation DS920+ review - Tech Blog</title>", NULL,
     NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<title>How to set up pfSense at home</title>", NULL, NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Proxmox Virtual Environment tips</title><p>Server: "
     "pve-api-daemon</p>",
     NULL, NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Our FRITZ!Box tutorial</title>", NULL, NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<title>phpMyAdmin tutorial</title><p>pma is nice</p>", NULL, NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Grafana dashboards we like</title>", NULL, NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<title>Acme Bakery - Fresh bread daily</title><p>RouterOS, iLO, "
     "ID_EESX, CUPS</p>",
     NULL, NULL},
    {"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"Restricted\"\r\n\r\n", NULL,
     NULL},
    {"HTTP/1.1 200 OK\r\nX-Jenkins-Like: 1\r\n\r\n<title>Build status</title>", NULL, NULL},
    {"HTTP/1.1 200 OK\r\n\r\n<p><title>not the first</title>", NULL, NULL},
};

static void test_match(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(mcases); i++) {
		struct buf body;
		struct dev_page pg;
		const struct dev_fp *fp;
		const struct dev_rule *why = NULL;

		buf_init(&body, DEV_BODY_MAX);
		assert_int_equal(dev_page_parse((const unsigned char *)mcases[i].resp,
						strlen(mcases[i].resp), &body, &pg),
				 0);
		fp = dev_match(&pg, &why);
		if (!mcases[i].vendor) {
			if (fp)
				fail_msg("case %zu matched %s %s (want none)", i, fp->vendor,
					 fp->product);
		} else {
			if (!fp)
				fail_msg("case %zu did not match (want %s)", i, mcases[i].vendor);
			assert_string_equal(fp->vendor, mcases[i].vendor);
			assert_string_equal(fp->product, mcases[i].product);
			assert_non_null(why);
		}
		buf_release(&body);
	}
}

static void test_page_parse(void **state)
{
	struct buf body;
	struct dev_page pg;

	(void)state;
	buf_init(&body, DEV_BODY_MAX);
	assert_int_equal(dev_page_parse(U("HTTP/1.1 302 Found\r\nLocation: /webman/index.cgi\r\n"
					  "WWW-Authenticate: Digest realm=\"DSM\", nonce=\"x\"\r\n"
					  "Server: nginx\r\n\r\n"),
					&body, &pg),
			 0);
	assert_int_equal(pg.status, 302);
	assert_string_equal(pg.location, "/webman/index.cgi");
	assert_string_equal(pg.realm, "DSM");
	assert_string_equal(pg.server, "nginx");
	/* a Location with spaces or control bytes is not followed */
	assert_int_equal(
	    dev_page_parse(U("HTTP/1.1 302 Found\r\nLocation: /a b\r\n\r\n"), &body, &pg), 0);
	assert_string_equal(pg.location, "");
	assert_int_equal(dev_page_parse(U("SSH-2.0-OpenSSH\r\n"), &body, &pg), ERR_PARSE);
	assert_int_equal(dev_page_parse(U("HTTP/1.1 0"), &body, &pg), ERR_PARSE);
	/* chunk sizes that lie are cut to what arrived */
	buf_reset(&body);
	assert_int_equal(dev_page_parse(U("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					  "ffffffff\r\n<title>x</title>"),
					&body, &pg),
			 0);
	assert_string_equal(pg.title, "x");
	buf_release(&body);
}

static void test_table(void **state)
{
	size_t n, i, k;
	const struct dev_fp *t = dev_fps(&n);

	(void)state;
	assert_true(n >= 40);
	for (i = 0; i < n; i++) {
		assert_non_null(t[i].vendor);
		assert_non_null(t[i].product);
		assert_int_not_equal(t[i].rules[0].where, DEV_W_NONE);
		assert_string_not_equal(dev_kind_name(t[i].kind), "device");
		for (k = 0; k < DEV_RULES && t[i].rules[k].where; k++) {
			assert_true(strlen(t[i].rules[k].s) >= 3);
			/* a bare substring of a title is what a blog post would
			 * match: only long, specific phrases may be SUB */
			if (t[i].rules[k].where == DEV_W_TITLE && t[i].rules[k].how == DEV_SUB &&
			    !t[i].rules[k].body)
				assert_true(strlen(t[i].rules[k].s) >= 6);
		}
	}
}

/* --------------------------------------------------------- redirects */

static void test_next_url(void **state)
{
	static const struct {
		const char *loc;
		int r, tls;
		uint16_t port;
		const char *path;
	} c[] = {
	    {"/login.html", 0, 0, 5000, "/login.html"},
	    {"login.html", 0, 0, 5000, "/dir/login.html"},
	    {"https://nas.example.org:5001/", 0, 1, 5001, "/"},
	    {"https://NAS.example.org", 0, 1, 443, "/"},
	    {"http://127.0.0.5:8080/x?y=1#frag", 0, 0, 8080, "/x?y=1"},
	    {"//nas.example.org/p", 0, 0, 80, "/p"},
	    {"https://evil.example.net/", ERR_PERM, 0, 0, NULL},
	    {"http://nas.example.org.evil.net/", ERR_PERM, 0, 0, NULL},
	    {"http://nas.example.org:99999/", ERR_PARSE, 0, 0, NULL},
	    {"http://nas.example.org:/", ERR_PARSE, 0, 0, NULL},
	    {"javascript:alert(1)", ERR_PARSE, 0, 0, NULL},
	    {"ftp://nas.example.org/", ERR_PARSE, 0, 0, NULL},
	    {"http://[::1]:81/a", ERR_PERM, 0, 0, NULL},
	};
	struct dev_url cur = {0, 5000, "/dir/index.html?q=a/b"}, next;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		int r = dev_next_url(c[i].loc, "nas.example.org", "127.0.0.5", &cur, &next);

		if (r != c[i].r)
			fail_msg("case %zu (%s): r=%d want %d", i, c[i].loc, r, c[i].r);
		if (r)
			continue;
		assert_int_equal(next.tls, c[i].tls);
		assert_int_equal(next.port, c[i].port);
		assert_string_equal(next.path, c[i].path);
	}
	assert_int_equal(dev_next_url("http://[::1]:81/a", "h", "::1", &cur, &next), 0);
	assert_int_equal(next.port, 81);
}

static void test_meta_refresh(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(dev_meta_refresh(U("<META HTTP-EQUIV=\"Refresh\" CONTENT=\"0; "
					    "URL=/start/start.htm\">"),
					  out, sizeof(out)),
			 1);
	assert_string_equal(out, "/start/start.htm");
	assert_int_equal(dev_meta_refresh(U("<meta content='1;url=\"x.html\"' http-equiv=refresh>"),
					  out, sizeof(out)),
			 1);
	assert_string_equal(out, "x.html");
	assert_int_equal(
	    dev_meta_refresh(U("<meta name=\"refresh\" content=\"0; url=/x\">"), out, sizeof(out)),
	    0);
	assert_int_equal(
	    dev_meta_refresh(U("<meta http-equiv=\"refresh\" content=\"5\">"), out, sizeof(out)),
	    0);
	assert_int_equal(dev_meta_refresh(U("<meta http-equiv=\"refresh"), out, sizeof(out)), 0);
}

/* ------------------------------------------- in-process HTTP server */

struct route {
	const char *path;
	const char *resp; /* NULL: endless body */
};

struct server {
	int fd, stop[2];
	uint16_t port;
	const struct route *routes;
	pthread_t th;
	int requests;
};

static void serve_one(struct server *s, int c)
{
	char in[4096], junk[8192];
	struct pollfd p = {.fd = c, .events = POLLIN};
	ssize_t n;
	size_t i;
	int k;

	if (poll(&p, 1, 2000) <= 0 || (n = recv(c, in, sizeof(in) - 1, 0)) <= 0)
		goto out;
	in[n] = '\0';
	s->requests++;
	for (i = 0; s->routes[i].path; i++) {
		size_t pl = strlen(s->routes[i].path);

		if (strncmp(in + 4, s->routes[i].path, pl) != 0 || in[4 + pl] != ' ')
			continue;
		if (s->routes[i].resp) {
			(void)!send(c, s->routes[i].resp, strlen(s->routes[i].resp), MSG_NOSIGNAL);
		} else {
			const char *h = "HTTP/1.1 200 OK\r\n\r\n<html><title>x";

			(void)!send(c, h, strlen(h), MSG_NOSIGNAL);
			memset(junk, 'A', sizeof(junk));
			for (k = 0; k < 12800; k++)
				if (send(c, junk, sizeof(junk), MSG_NOSIGNAL) < 0)
					break;
		}
		break;
	}
out:
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

static void server_start(struct server *s, const struct route *routes)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->routes = routes;
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

static int run_check(const struct route *routes, struct findings *fl, int *requests)
{
	struct server s;
	struct net_addr a;
	int r;

	server_start(&s, routes);
	assert_int_equal(net_addr_parse("127.0.0.1", s.port, &a), 0);
	r = svc_check_device(&a, "dev.example.org", 0, 2000, fl, NULL);
	server_stop(&s);
	*requests = s.requests;
	return r;
}

static void test_check_device(void **state)
{
	static const struct route redirected[] = {
	    {"/", "HTTP/1.1 302 Found\r\nLocation: /webman/index.cgi\r\nContent-Length: 0\r\n\r\n"},
	    {"/webman/index.cgi", "HTTP/1.1 200 OK\r\nContent-Length: 58\r\n\r\n"
				  "<html><title>nas01 - Synology DiskStation</title></html>\n\n"},
	    {NULL, NULL}};
	static const struct route meta[] = {
	    {"/", "HTTP/1.1 200 OK\r\n\r\n<meta http-equiv=\"refresh\" content=\"0;URL=/a\">"},
	    {"/a", "HTTP/1.1 302 Found\r\nLocation: http://dev.example.org:1/b\r\n\r\n"},
	    {NULL, NULL}};
	static const struct route loop[] = {
	    {"/", "HTTP/1.1 302 Found\r\nLocation: /a\r\n\r\n"},
	    {"/a", "HTTP/1.1 302 Found\r\nLocation: /b\r\n\r\n"},
	    {"/b", "HTTP/1.1 302 Found\r\nLocation: /c\r\n\r\n"},
	    {"/c", "HTTP/1.1 200 OK\r\n\r\n<title>FRITZ!Box</title>"},
	    {NULL, NULL}};
	static const struct route away[] = {
	    {"/", "HTTP/1.1 302 Found\r\nLocation: https://other.example.net/\r\n\r\n"},
	    {NULL, NULL}};
	static const struct route endless[] = {{"/", NULL}, {NULL, NULL}};
	static const struct route plain[] = {
	    {"/", "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n<title>Acme Bakery</title>"},
	    {NULL, NULL}};
	struct findings fl;
	int req;
	int64_t t0;

	(void)state;
	findings_init(&fl);
	assert_int_equal(run_check(redirected, &fl, &req), 0);
	assert_int_equal(req, 2);
	assert_int_equal(fl.n, 1);
	assert_string_equal(fl.v[0].check_id, "SVC-10");
	assert_non_null(strstr(fl.v[0].detail, "Synology DSM management interface reachable"));
	assert_non_null(strstr(fl.v[0].evidence, "nas01 - Synology DiskStation"));
	assert_non_null(strstr(fl.v[0].evidence, "/webman/index.cgi -> 200"));
	findings_release(&fl);

	/* meta refresh followed; then a redirect to a closed port of the same
	 * host: no page, no finding, no error */
	findings_init(&fl);
	assert_int_equal(run_check(meta, &fl, &req), 0);
	assert_int_equal(req, 2);
	assert_int_equal(fl.n, 0);
	/* at most two redirects: /c is never asked for */
	assert_int_equal(run_check(loop, &fl, &req), 0);
	assert_int_equal(req, 3);
	assert_int_equal(fl.n, 0);
	/* another host is never contacted */
	assert_int_equal(run_check(away, &fl, &req), 0);
	assert_int_equal(req, 1);
	assert_int_equal(fl.n, 0);
	assert_int_equal(run_check(plain, &fl, &req), 0);
	assert_int_equal(fl.n, 0);
	/* an endless body costs at most the cap and the deadline */
	t0 = time_now_ms();
	assert_int_equal(run_check(endless, &fl, &req), 0);
	assert_true(time_now_ms() - t0 < 9000);
	assert_int_equal(fl.n, 0);
	findings_release(&fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_title),	 cmocka_unit_test(test_match),
	    cmocka_unit_test(test_page_parse),	 cmocka_unit_test(test_table),
	    cmocka_unit_test(test_next_url),	 cmocka_unit_test(test_meta_refresh),
	    cmocka_unit_test(test_check_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
