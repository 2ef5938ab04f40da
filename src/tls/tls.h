/*
 * tls.h: the TLS and certificate scanner. Enumerates protocol versions
 * (SSLv2..TLS 1.3, with raw ClientHellos for what OpenSSL 3 cannot offer),
 * accepted cipher suites per version, server preference, key exchange
 * groups, compression, renegotiation, EMS and the certificate chain, and
 * turns them into TLS-xx and CERT-xx findings. Also over STARTTLS.
 */
#ifndef WACHTER_TLS_H
#define WACHTER_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "check/check.h"
#include "core/core.h"
#include "net/net.h"

enum tls_starttls {
	TLS_STARTTLS_NONE = 0,
	TLS_STARTTLS_SMTP,
	TLS_STARTTLS_IMAP,
	TLS_STARTTLS_POP3,
	TLS_STARTTLS_FTP,
};

/* tls_starttls_parse: "smtp", "imap", "pop3", "ftp" or "none"; ERR_INVAL. */
int tls_starttls_parse(const char *s, enum tls_starttls *out) WUR;

/* Protocol versions in the order of the report arrays. */
enum tls_version {
	TLS_V_SSL2 = 0,
	TLS_V_SSL3,
	TLS_V_TLS10,
	TLS_V_TLS11,
	TLS_V_TLS12,
	TLS_V_TLS13,
	TLS_V_COUNT
};

/* tls_version_name: "SSLv2", "SSLv3", "TLSv1.0" ... "TLSv1.3". */
const char *tls_version_name(enum tls_version v);

/* NCSC (2021) rating of a cipher suite, best first. */
enum tls_rating {
	TLS_RATE_GOOD = 0,
	TLS_RATE_SUFFICIENT,
	TLS_RATE_PHASEOUT,
	TLS_RATE_INSUFFICIENT,
};

/* tls_rating_name: "good", "sufficient", "phase-out", "insufficient". */
const char *tls_rating_name(enum tls_rating r);

/* A cipher suite (const table entry shared by all threads). */
enum tls_suite_kind { TLS_SUITE_SSL2 = 0, TLS_SUITE_TLS, TLS_SUITE_TLS13 };

struct tls_suite {
	uint32_t id; /* 2-byte IANA id; 3-byte SSLv2 cipher spec */
	enum tls_suite_kind kind;
	const char *name; /* IANA, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
	const char *ossl; /* OpenSSL, "ECDHE-RSA-AES128-GCM-SHA256" */
	const char *kx;	  /* "ECDH", "DH", "RSA", "PSK", "any" (1.3) ... */
	const char *au;	  /* "RSA", "ECDSA", "None" (anonymous) ... */
	const char *enc;  /* "AESGCM", "AES", "ChaCha20", "3DES", "None" ... */
	const char *mac;  /* "AEAD", "SHA1", "SHA256", "MD5" ... */
	int bits;	  /* encryption key bits (0 for NULL) */
	int kx_bits;	  /* export key exchange limit, 0 if none */
	int export_;	  /* export grade */
};

/* tls_suite_find: the table entry for id and kind, or NULL. Thread safe. */
const struct tls_suite *tls_suite_find(enum tls_suite_kind kind, uint32_t id);
/* tls_suite_rate: the NCSC rating of s (see docs/tls.md for the rules). */
enum tls_rating tls_suite_rate(const struct tls_suite *s);
/* tls_suite_fs: 1 when s has forward secrecy (ECDHE/DHE or TLS 1.3). */
int tls_suite_fs(const struct tls_suite *s);

struct tls_scan_opts {
	const char *sni;     /* host name for SNI and name checks; NULL = none */
	const char *ca_file; /* trust anchors; NULL = system roots */
	int timeout_ms;	     /* per network operation; 0 = 5000 */
	int concurrency;     /* parallel connections; 0 = 16 */
	enum tls_starttls starttls;
	time_t now; /* reference time for expiry rules; 0 = time(NULL) */
};

struct tls_accepted {
	const struct tls_suite *suite;
	enum tls_rating rating;
};

struct tls_version_result {
	int supported;		     /* 1 yes, 0 no, -1 could not tell */
	char evidence[160];	     /* ServerHello summary/hex when supported */
	struct tls_accepted *suites; /* accepted suites, server order if known */
	size_t n_suites;
	int server_order; /* 1 server chooses, 0 client order, -1 unknown */
};

struct tls_group {
	uint16_t id;
	const char *name; /* "x25519", "secp256r1", "ffdhe2048" */
	int bits;	  /* security-relevant size */
	int tls12;	  /* accepted for ECDHE in TLS <= 1.2 */
	int tls13;	  /* accepted in TLS 1.3 */
};

struct tls_cert {
	char *subject; /* one-line RFC 2253 */
	char *issuer;
	char *sans; /* "DNS:a.example, DNS:b.example", may be "" */
	time_t not_before, not_after;
	char key_type[16]; /* "RSA", "EC", "ED25519", ... */
	int key_bits;
	char curve[24];	     /* "prime256v1" for EC keys */
	unsigned long rsa_e; /* RSA public exponent, 0 for other keys */
	char sig_alg[48];    /* "sha256WithRSAEncryption" */
	char sig_hash[16];   /* "SHA256", "SHA1", "MD5"; "intrinsic" for EdDSA */
	int self_signed;
};

struct tls_report {
	int reachable; /* TCP connect (and STARTTLS) worked */
	int tls;       /* some version negotiated */
	struct tls_version_result v[TLS_V_COUNT];
	struct tls_group *groups;
	size_t n_groups;
	int dh_bits;	   /* smallest DHE prime seen, 0 = no DHE */
	int compression;   /* 1 DEFLATE accepted, 0 refused, -1 unknown */
	int secure_reneg;  /* 1 renegotiation_info sent, 0 not, -1 unknown */
	int client_reneg;  /* 1 client renegotiation worked, 0 refused, -1 unknown */
	int ems;	   /* 1 extended_master_secret sent (TLS <= 1.2), 0 not, -1 unknown */
	int fallback_scsv; /* 1 TLS_FALLBACK_SCSV honoured, 0 ignored, -1 not tested */
	int kx_sha1;	   /* 1 ServerKeyExchange signed with SHA-1/MD5 accepted */
	int kx_sha224;
	char negotiated[96];	/* OpenSSL handshake: "TLSv1.3 TLS_AES_256_GCM_SHA384" */
	struct tls_cert *chain; /* as sent, leaf first */
	size_t n_chain;
	int trusted; /* chain verified against ca_file/system roots */
	int chain_incomplete;
	int host_ok;	 /* -1 when no sni given */
	char trust[160]; /* "ok" or the verification error */
	int connections; /* TCP connections used */
	int64_t elapsed_ms;
};

/* tls_report_init: empty report (everything unknown). */
void tls_report_init(struct tls_report *rep);
/* tls_report_release: free the report's content; rep may be reused. */
void tls_report_release(struct tls_report *rep);
/* tls_report_json: append rep as one JSON object to out. */
int tls_report_json(const struct tls_report *rep, struct buf *out) WUR;
/* tls_report_text: append a human readable summary to out. */
int tls_report_text(const struct tls_report *rep, struct buf *out) WUR;

/*
 * tls_scan: scan the TLS service at a (after STARTTLS when o->starttls),
 * fill rep (caller initialised with tls_report_init, released by caller)
 * and append findings TLS-04..TLS-12, TLS-15, TLS-17, TLS-18 and
 * CERT-01..CERT-06 to out, target = the address (or o->sni), port = a's
 * port. Returns 0; ERR_CONN/ERR_TIMEOUT when the port cannot be reached;
 * ERR_TLS when it does not speak TLS at all (the caller reports TLS-01 for
 * 443); ERR_PROTO when STARTTLS was refused. Thread safe for distinct
 * reports; uses up to o->concurrency threads of its own.
 */
int tls_scan(const struct net_addr *a, const struct tls_scan_opts *o, struct tls_report *rep,
	     struct findings *out, struct logger *lg) WUR;

/*
 * tls_cli: `wachter tls <ip> <port> [--sni NAME] [--ca-file F]
 * [--starttls smtp|imap|pop3|ftp] [--format text|json] [--concurrency N]
 * [--timeout MS]`; prints the report and the findings. Exit codes: 0 scan
 * done, 1 scan failed, 2 usage.
 */
int tls_cli(int argc, char **argv);

#endif
