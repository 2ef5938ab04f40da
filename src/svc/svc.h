/*
 * svc.h: service identification (banners and protocol probes: product,
 * version, CPE and the evidence bytes) and the exposed-service checks
 * (SVC-01..SVC-08, SVC-10, SVC-11, SVC-12, MAIL-15, MAIL-16), each
 * confirmed by a protocol exchange. Every read is capped and every
 * exchange has a deadline.
 */
#ifndef WACHTER_SVC_H
#define WACHTER_SVC_H

#include "check/check.h"
#include "core/core.h"
#include "net/net.h"

#define SVC_EVIDENCE_MAX 4096 /* bytes of printable evidence kept */

/*
 * struct svc_info: what listens on one port. Strings are NUL-terminated and
 * empty when unknown. evidence is owned (free with svc_info_release) and may
 * be NULL.
 */
struct svc_info {
	/* "ssh", "http", "https", "smtp", "ftp", "imap", "pop3", "mysql",
	 * "postgresql", "redis", "rdp", "smb", "vnc", "telnet", "dns", "ldap",
	 * "kerberos", "msrpc", "mssql"; over TLS "https", "imaps", "pop3s",
	 * "smtps", "ftps", or "tls" when only the handshake succeeded;
	 * "unknown" */
	char service[32];
	char product[64]; /* nmap's product names: "OpenSSH", "nginx", ... */
	char version[64]; /* upstream version: "9.2p1", "1.22.1" */
	char cpe[160];	  /* "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*" */
	char extra[128];  /* "Debian-2+deb12u3; protocol 2.0" */
	int tls;	  /* the port speaks TLS directly */
	int error;	  /* 0, or why nothing was identified (ERR_TIMEOUT...) */
	char *evidence;	  /* printable bytes the answer came from, <= 4 KiB */
};

/* svc_info_init: an empty record (service "unknown"). */
void svc_info_init(struct svc_info *info);
/* svc_info_release: free the evidence; the record is empty again. */
void svc_info_release(struct svc_info *info);

/*
 * svc_identify: identify the service at a (address with port). host is the
 * name for SNI and the HTTP Host header (NULL: the address). Banner-first
 * protocols are read; otherwise probes are sent in an order guided by the
 * port. Each network operation waits at most timeout_ms and the whole call
 * at most 2 * timeout_ms; every read is capped, so a hostile peer costs
 * bounded time and memory.
 * Returns 0 with out filled (service "unknown" and out->error set when no
 * protocol answered); ERR_CONN/ERR_TIMEOUT when the port does not accept a
 * connection; ERR_NOMEM; ERR_INVAL for a bad argument. out is initialised
 * by the call; release it with svc_info_release in every case.
 * Thread safe (no shared state).
 */
int svc_identify(const struct net_addr *a, const char *host, int timeout_ms, struct svc_info *out,
		 struct logger *lg) WUR;

/*
 * svc_check: the exposure checks for the service info describes at a,
 * each confirmed by its own protocol exchange: RDP (SVC-01), SMB (SVC-02),
 * telnet (SVC-03), FTP plaintext/anonymous login (SVC-04), MySQL/MariaDB,
 * PostgreSQL and MS SQL (SVC-05), Redis (SVC-06), VNC (SVC-07), LDAP,
 * Kerberos and MS-RPC (SVC-08), device management web interfaces on
 * HTTP and HTTPS (SVC-10: GET / with at most two same-host redirects, the
 * page against a fingerprint table of NAS, router, printer, hypervisor,
 * firewall, BMC, camera and admin-panel login pages), SSH algorithms
 * (SVC-11) and password authentication (SVC-12), SMTP open relay
 * (MAIL-15), login before STARTTLS (MAIL-16). target names the asset in
 * the findings. Findings are appended to out; nothing is appended for a
 * service that passes. Never writes data on the server (no SMTP DATA, no
 * FTP STOR, no Redis SET).
 * Returns 0, ERR_NOMEM or ERR_INVAL; network failures of one check are
 * logged and skipped (the check simply yields no finding).
 * Thread safe.
 */
int svc_check(const struct net_addr *a, const char *target, const struct svc_info *info,
	      int timeout_ms, struct findings *out, struct logger *lg) WUR;

/*
 * svc_cli: "wachter probe [-t ms] [-n host] <ip> <port>..." identifies each
 * port, runs svc_check and prints one block per port (service, product,
 * version, cpe, extra, evidence, findings). Returns the exit status: 0, 1
 * when a port could not be probed, 2 on usage errors.
 */
int svc_cli(int argc, char **argv);

#endif
