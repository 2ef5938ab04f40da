/*
 * tls_int.h: private declarations of src/tls: the suite table, the raw
 * ClientHello builder and ServerHello/Alert parser, the probe engine and
 * the certificate checks. Only files in src/tls include this.
 */
#ifndef WACHTER_TLS_INT_H
#define WACHTER_TLS_INT_H

#include <pthread.h>
#include <stdint.h>

#include "tls/tls.h"

extern const struct tls_suite tls_suites[];
extern const size_t tls_suites_n;

/* Wire versions. */
#define TLS_WIRE_SSL3 0x0300
#define TLS_WIRE_TLS10 0x0301
#define TLS_WIRE_TLS11 0x0302
#define TLS_WIRE_TLS12 0x0303
#define TLS_WIRE_TLS13 0x0304

uint16_t tls_version_wire(enum tls_version v);
/* tls_version_from_wire: the enum for a wire version, -1 if unknown. */
int tls_version_from_wire(uint16_t w);

/* Named groups. */
struct tls_group_def {
	uint16_t id;
	const char *name;
	int bits;
	int ffdhe;
};
extern const struct tls_group_def tls_group_defs[];
extern const size_t tls_group_defs_n;
const struct tls_group_def *tls_group_find(uint16_t id);

/* ------------------------------------------------------------ ClientHello */

#define TLS_HELLO_MAX_SUITES 512

struct tls_hello_opts {
	uint16_t version; /* client_version (0x0300..0x0303); 1.3 via tls13 */
	int tls13;	  /* add supported_versions {0x0304} and key_share */
	const uint16_t *suites;
	size_t n_suites;
	const uint16_t *groups; /* supported_groups; NULL = a default list */
	size_t n_groups;
	const uint16_t *sigalgs; /* signature_algorithms; NULL = default list */
	size_t n_sigalgs;
	int key_share;	 /* 1.3: send a key share for groups[0] if it is
			    x25519 or secp256r1 (else an empty list: HRR) */
	int deflate;	 /* offer compression method 1 */
	const char *sni; /* server_name, NULL = none */
};

/* tls_build_client_hello: one TLS record holding a ClientHello for o with
 * the given 32-byte random, appended to out. ERR_INVAL, ERR_TOO_BIG. */
int tls_build_client_hello(const struct tls_hello_opts *o, const uint8_t random[32],
			   struct buf *out) WUR;
/* tls_build_ssl2_hello: an SSLv2 CLIENT-HELLO offering specs[n]. */
int tls_build_ssl2_hello(const uint32_t *specs, size_t n, const uint8_t challenge[16],
			 struct buf *out) WUR;

/* ------------------------------------------------------------ ServerHello */

#define TLS_SSL2_MAX_SPECS 64
#define TLS_HS_MAX (64 * 1024)

struct tls_server_hello {
	int kind;   /* TLS_RESP_* */
	int silent; /* TLS_RESP_NONE because nothing came before the deadline */
	uint16_t record_version;
	uint16_t version; /* negotiated (supported_versions if present) */
	uint16_t suite;
	uint8_t compression;
	int hrr;	     /* HelloRetryRequest */
	uint16_t group;	     /* 1.3 key_share / HRR selected group */
	int reneg_info;	     /* renegotiation_info extension present */
	int ems;	     /* extended_master_secret present */
	int have_ske;	     /* ServerKeyExchange parsed */
	uint16_t ske_group;  /* ECDHE named curve */
	int ske_dh_bits;     /* DHE prime bits */
	uint16_t ske_sigalg; /* TLS 1.2 signature scheme, 0 = none/older */
	int done;	     /* ServerHelloDone seen */
	uint8_t alert_level, alert_desc;
	uint32_t ssl2_specs[TLS_SSL2_MAX_SPECS];
	size_t ssl2_n;
	uint8_t hello_head[40]; /* first bytes of the ServerHello, for evidence */
	size_t hello_head_len;
};

enum {
	TLS_RESP_NONE = 0,   /* nothing useful (closed/timeout) */
	TLS_RESP_HELLO,	     /* a ServerHello (or HRR) */
	TLS_RESP_ALERT,	     /* an Alert before any ServerHello */
	TLS_RESP_SSL2,	     /* an SSLv2 SERVER-HELLO */
	TLS_RESP_SSL2_ERROR, /* an SSLv2 ERROR message */
};

/*
 * tls_parse_response: parse the bytes p[0..len) a server sent in reply to a
 * ClientHello. Returns 0 with sh filled when the answer is complete (a
 * ServerHello, and when want_ske also the ServerKeyExchange or
 * ServerHelloDone; or an Alert; or an SSLv2 reply), ERR_EOF when more bytes
 * are needed, ERR_PARSE/ERR_PROTO when this is not TLS.
 */
int tls_parse_response(const uint8_t *p, size_t len, int want_ske, struct tls_server_hello *sh) WUR;

/* ----------------------------------------------------------------- probes */

struct tls_ctx {
	const struct net_addr *addr;
	const struct tls_scan_opts *o;
	struct logger *lg;
	int timeout_ms;
	pthread_mutex_t mu; /* guards conns and the report while tasks run */
	int conns;
};

/*
 * tls_probe: connect, STARTTLS if configured, send hello[len], read and
 * parse the reply into sh. 0 with sh->kind set (TLS_RESP_NONE when the
 * server closed or stayed silent); ERR_CONN/ERR_TIMEOUT when the connect
 * failed; ERR_PROTO when STARTTLS failed; ERR_TLS when the reply was not TLS.
 */
int tls_probe(struct tls_ctx *cx, const void *hello, size_t len, int want_ske,
	      struct tls_server_hello *sh) WUR;
/* tls_probe_hello: build a ClientHello from ho and tls_probe it. */
int tls_probe_hello(struct tls_ctx *cx, const struct tls_hello_opts *ho, int want_ske,
		    struct tls_server_hello *sh) WUR;
/* tls_starttls: run the STARTTLS dialogue of kind on c. ERR_PROTO. */
int tls_starttls(struct net_conn *c, enum tls_starttls kind, struct logger *lg) WUR;
/* tls_connect: net_connect + STARTTLS, counting the connection. */
int tls_connect(struct tls_ctx *cx, struct net_conn *c) WUR;

/* tls_wire_sni: sni unless it is an IP literal (RFC 6066: names only). */
const char *tls_wire_sni(const char *sni);

/* tls_run: call fn(i, arg) for i in [0, n) on up to conc threads. */
void tls_run(size_t n, int conc, void (*fn)(size_t i, void *arg), void *arg);

/* --------------------------------------------------------- certificates */

/* tls_cert_scan: a full OpenSSL handshake: chain, trust, host name,
 * negotiated version/suite, into rep (0 also when no handshake). */
int tls_cert_scan(struct tls_ctx *cx, struct tls_report *rep) WUR;
/* tls_reneg_scan: a TLS <= 1.2 handshake, then client-initiated
 * renegotiations until one fails: *allowed = how many completed, at most
 * TLS_RENEG_LIMIT + 1 (meaning: no limit seen). */
#define TLS_RENEG_LIMIT 10
#define TLS_RENEG_MS 2000 /* stop counting after this long */
int tls_reneg_scan(struct tls_ctx *cx, int *allowed) WUR;

/* Certificate rule results, used by the findings code and unit tests. */
struct tls_cert_verdict {
	int sev; /* -1 pass, else enum check_sev */
	char detail[160];
};
int tls_rule_expiry(const struct tls_cert *c, time_t now, struct tls_cert_verdict *v);
int tls_rule_key(const struct tls_cert *c, struct tls_cert_verdict *v);
int tls_rule_sig(const struct tls_cert *c, struct tls_cert_verdict *v);
int tls_rule_lifetime(const struct tls_cert *c, struct tls_cert_verdict *v);

/* tls_cert_fill: extract the fields of x509 (an X509 *) into c. */
int tls_cert_fill(const void *x509, struct tls_cert *c) WUR;
void tls_cert_release(struct tls_cert *c);

/* tls_findings: turn rep into findings at target:port. */
int tls_findings(const struct tls_report *rep, const struct tls_scan_opts *o, const char *target,
		 int port, struct findings *out) WUR;

/* tls_hex: lower-case hex of p[0..n) into out. */
int tls_hex(const uint8_t *p, size_t n, struct buf *out) WUR;

#endif
