/*
 * svc_int.h: private to src/svc. The protocol table (one const struct per
 * protocol, masscan style), the parsers it points at, the transport used by
 * probes (plain TCP or TLS, both with deadlines and caps) and the SSH
 * KEXINIT parser.
 */
#ifndef WACHTER_SVC_INT_H
#define WACHTER_SVC_INT_H

#include <stdint.h>

#include "svc/svc.h"

/* What a parser says about the bytes received so far. */
enum svc_match {
	SVC_NO = 0,   /* not this protocol */
	SVC_YES = 1,  /* this protocol; out is filled */
	SVC_MORE = 2, /* could be; needs more bytes */
};

enum svc_flags {
	SVC_F_BANNER = 1 << 0, /* the server speaks first */
	SVC_F_HTTP = 1 << 1,   /* hello is built per host (HTTP GET) */
	SVC_F_TLS = 1 << 2,    /* the probe is a TLS handshake */
};

/*
 * parse: look at the first len bytes the server sent (after hello) for the
 * port port; fill out->service/product/version/extra on SVC_YES (the CPE
 * is derived by svc_cpe). Never reads past len; never allocates.
 */
typedef int (*svc_parse_fn)(const unsigned char *p, size_t len, uint16_t port,
			    struct svc_info *out);

struct svc_proto {
	const char *name;      /* the service name set on a match */
	const uint16_t *ports; /* default ports, 0-terminated */
	const char *hello;     /* probe bytes; NULL for banner-first */
	size_t hello_len;
	svc_parse_fn parse;
	unsigned flags; /* enum svc_flags */
	/* sent after a recognised banner that named no product (nmap's HELP
	 * probe: Postfix and vsftpd give themselves away); NULL: none */
	const char *followup;
};

/* svc_protos: the one protocol table, in probe order. */
const struct svc_proto *svc_protos(size_t *n);
/* svc_proto_find: the table entry for a service name, or NULL. */
const struct svc_proto *svc_proto_find(const char *name);
/* svc_proto_has_port: the protocol lists port among its defaults. */
int svc_proto_has_port(const struct svc_proto *pr, uint16_t port);
/* svc_parse_any: try pr's parser (if any) then every parser in table
 * order; the best result (YES over MORE over NO). */
int svc_parse_any(const struct svc_proto *pr, const unsigned char *p, size_t len, uint16_t port,
		  struct svc_info *out);

/* The parsers, TESTABLE for the unit tests and the fuzz target. */
int svc_parse_ssh(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_ftp(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_smtp(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_pop3(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_imap(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_mysql(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_vnc(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_telnet(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_http(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_redis(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_pgsql(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_rdp(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_smb(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_dns(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_ldap(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_kerberos(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_msrpc(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_memcached(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_mongodb(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);
int svc_parse_mssql(const unsigned char *p, size_t len, uint16_t port, struct svc_info *out);

/* svc_skip: advance n bytes, or to the end when fewer remain. */
static inline void svc_skip(struct cursor *c, size_t n)
{
	if (cursor_skip(c, n) != 0)
		c->len = 0;
}

/* svc_http_request: "GET / HTTP/1.1" with Host (host if it is a sane name,
 * else the address; the port when not the default) and our User-Agent,
 * into req (initialised here; release it). */
int svc_http_request(const struct net_addr *a, const char *host, int tls, struct buf *req) WUR;

/* svc_cpe: fill info->cpe from product and version ("" if unknown). */
void svc_cpe(struct svc_info *info);
/* svc_set: copy the n bytes at s into dst[size] as printable text. */
void svc_set(char *dst, size_t size, const void *s, size_t n);

/* ---------------------------------------------------------- transport */

struct ssl_st;
struct ssl_ctx_st;

/* struct svc_conn: TCP, optionally TLS on top, with one overall deadline. */
struct svc_conn {
	struct net_conn nc;
	struct ssl_ctx_st *ctx;
	struct ssl_st *ssl;
	int64_t deadline; /* time_now_ms() value after which all calls fail */
};

/* svc_conn_open: connect within min(timeout_ms, deadline). */
int svc_conn_open(struct svc_conn *c, const struct net_addr *a, int timeout_ms,
		  int64_t deadline) WUR;
/* svc_conn_tls: TLS handshake (no verification: identification only). */
int svc_conn_tls(struct svc_conn *c, const char *sni) WUR;
void svc_conn_close(struct svc_conn *c);
int svc_conn_send(struct svc_conn *c, const void *p, size_t len) WUR;
/* svc_conn_recv: append up to max bytes (one read) to out. */
int svc_conn_recv(struct svc_conn *c, struct buf *out, size_t max) WUR;
/*
 * svc_conn_recv_until: read until done(out) != SVC_MORE, cap bytes or the
 * wait (min of timeout and deadline) passes. Data read stays in out.
 */
int svc_conn_recv_until(struct svc_conn *c, struct buf *out, size_t cap, int wait_ms,
			int (*done)(const struct buf *b, void *arg), void *arg) WUR;
/* svc_reply_done: a done() for complete reply lines of SMTP/FTP
 * ("ddd " line) or any "\n"-terminated line when arg is NULL. */
int svc_reply_done(const struct buf *b, void *arg);
/* svc_evidence: printable copy of p[0..len) capped at SVC_EVIDENCE_MAX. */
char *svc_evidence(const void *p, size_t len);

/* ---------------------------------------------------------------- SSH */

#define SSH_KEX_LISTS 10

/* The name-lists of a KEXINIT, pointing into the parsed bytes. */
struct ssh_kexinit {
	struct cursor list[SSH_KEX_LISTS]; /* kex, hostkey, enc c2s, enc s2c,
					      mac c2s, mac s2c, comp c2s,
					      comp s2c, lang c2s, lang s2c */
	int first_kex_follows;
};

/*
 * ssh_parse_kexinit_packet: p holds a whole SSH binary packet (length,
 * padding length, payload, padding) carrying SSH_MSG_KEXINIT (20). Returns
 * 0, SVC_MORE-like ERR_EOF when incomplete, ERR_PARSE or ERR_TOO_BIG.
 */
int ssh_parse_kexinit_packet(const unsigned char *p, size_t len, struct ssh_kexinit *out,
			     size_t *used) WUR;
/* ssh_parse_kexinit: the KEXINIT payload (starting at the message byte). */
int ssh_parse_kexinit(const unsigned char *p, size_t len, struct ssh_kexinit *out) WUR;
/*
 * ssh_rate_algos: the SVC-11 rules over k: the offending algorithms for a
 * fail into bad and for a warn into weak (comma separated, "" if none).
 */
int ssh_rate_algos(const struct ssh_kexinit *k, struct buf *bad, struct buf *weak) WUR;
/* ssh_check_algos: connect, read the KEXINIT and add SVC-11 findings. */
int ssh_check_algos(const struct net_addr *a, const char *target, int timeout_ms,
		    struct findings *out, struct logger *lg) WUR;
/*
 * ssh_auth_methods: a real SSH handshake (curve25519-sha256, AES-GCM or
 * AES-CTR with hmac-sha2-256) up to a "none" user authentication request,
 * giving the server's list of methods ("publickey,password") into methods.
 * ERR_UNSUPP when the server offers none of our algorithms.
 */
int ssh_auth_methods(const struct net_addr *a, int timeout_ms, struct buf *methods,
		     struct logger *lg) WUR;

/* ------------------------------------------ device web UIs (SVC-10) */

#define DEV_BODY_MAX (256 * 1024) /* bytes of a page body looked at */
#define DEV_HOPS_MAX 2		  /* same-host redirects followed */

enum dev_kind {
	DEV_ROUTER,
	DEV_NAS,
	DEV_PRINTER,
	DEV_HYPERVISOR,
	DEV_FIREWALL,
	DEV_BMC,
	DEV_CAMERA,
	DEV_ADMIN_PANEL,
};

/* Where a rule looks. Title, Server and realm are compared whole
 * (case-insensitive) by how; body and header markers are exact
 * substrings of the decoded body / a header name that must be present. */
enum dev_where { DEV_W_NONE = 0, DEV_W_TITLE, DEV_W_SERVER, DEV_W_REALM, DEV_W_BODY, DEV_W_HEADER };
enum dev_how { DEV_EQ = 0, DEV_PRE, DEV_SUF, DEV_SUB };

/* One rule: s matched at where by how, and (when body is not NULL) the
 * body marker body present too. */
struct dev_rule {
	unsigned char where; /* enum dev_where; DEV_W_NONE ends the list */
	unsigned char how;   /* enum dev_how */
	const char *s;
	const char *body;
};

#define DEV_RULES 4

/* A fingerprint: any one of its rules identifies the product. */
struct dev_fp {
	const char *vendor;  /* "Synology" */
	const char *product; /* "DSM" */
	enum dev_kind kind;
	struct dev_rule rules[DEV_RULES];
};

/* dev_fps: the fingerprint table (devices_tab.c), n entries. */
const struct dev_fp *dev_fps(size_t *n);
/* dev_kind_name: "router", "nas", "printer", ... */
const char *dev_kind_name(enum dev_kind k);

/* struct dev_page: what one HTTP answer says. Strings are printable,
 * NUL-terminated, "" when absent; body points into the buffer given to
 * dev_page_parse (or into the raw answer when it was not chunked). */
struct dev_page {
	int status;
	char title[256];
	char server[128];
	char realm[128];
	char location[512]; /* "" also when it held unsafe bytes */
	struct cursor head; /* the header lines (after the status line) */
	struct cursor body; /* the decoded body, at most DEV_BODY_MAX */
};

/* struct dev_url: where the next request goes (same address always). */
struct dev_url {
	int tls;
	uint16_t port;
	char path[512];
};

/*
 * dev_html_title: the text of the first <title> element of p[0..len)
 * (case-insensitive tag, attributes allowed), entities decoded, white
 * space collapsed and trimmed, as printable ASCII into out[size]. Returns
 * 1 when a title element was found (out may be ""), 0 otherwise.
 */
int dev_html_title(const unsigned char *p, size_t len, char *out, size_t size);
/*
 * dev_page_parse: an HTTP/1.x answer p[0..len) (possibly cut off) into pg;
 * a chunked body is decoded into body (initialised by the caller; capped at
 * DEV_BODY_MAX). ERR_PARSE when it is not HTTP, ERR_NOMEM.
 */
int dev_page_parse(const unsigned char *p, size_t len, struct buf *body, struct dev_page *pg) WUR;
/* dev_match: the first fingerprint one of whose rules matches pg (the rule
 * into *why when why is not NULL), or NULL. */
const struct dev_fp *dev_match(const struct dev_page *pg, const struct dev_rule **why);
/* dev_meta_refresh: the URL of a <meta http-equiv="refresh"> in the body,
 * into out[size]; 1 when found, 0 otherwise. */
int dev_meta_refresh(const unsigned char *p, size_t len, char *out, size_t size);
/*
 * dev_next_url: resolve the redirect target loc against cur, accepting only
 * http(s) URLs on the same host (host or ip, case-insensitive) or
 * relative ones. Returns 0 with *next filled, ERR_PERM for another host,
 * ERR_PARSE for something that is not a usable URL.
 */
int dev_next_url(const char *loc, const char *host, const char *ip, const struct dev_url *cur,
		 struct dev_url *next) WUR;
/*
 * svc_check_device: GET / over plain HTTP or TLS (following at most
 * DEV_HOPS_MAX same-host redirects) and add an SVC-10 finding when the
 * page is a known device management interface. Network failures yield no
 * finding (0); ERR_NOMEM is passed up.
 */
int svc_check_device(const struct net_addr *a, const char *target, int tls, int timeout_ms,
		     struct findings *out, struct logger *lg) WUR;

#endif
