/*
 * program.c: the wachter program's configuration table (every setting of
 * every subcommand, present and planned), its validators, and the loaders
 * and generators bound to it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "net/net.h"

#define W(member) CONFIG_AT(struct wachter_config, member)
#define SEC(s) ((int64_t)(s)*1000)

/* In enum log_level order: the ENUM index is the level. */
static const char *const log_levels[] = {"error", "warn", "info", "debug", NULL};
_Static_assert(LOG_LVL_ERROR == 0 && LOG_LVL_WARN == 1 && LOG_LVL_INFO == 2 && LOG_LVL_DEBUG == 3,
	       "log_levels[] follows enum log_level");
static const char *const langs[] = {"nl", "en", NULL};
static const char *const starttls_modes[] = {"require", "try", "no", NULL};
_Static_assert(WACHTER_STARTTLS_REQUIRE == 0 && WACHTER_STARTTLS_TRY == 1 &&
		   WACHTER_STARTTLS_NO == 2,
	       "starttls_modes[] follows enum wachter_starttls");

/* A validator's answer: the reason in err and ERR_INVAL. */
static int reason(struct buf *err, const char *why)
{
	int r = buf_adds(err, why);

	return r ? r : ERR_INVAL;
}

/* scan.ports: whatever the port scanner accepts ("top100", "all", "22,80,8000-8100"). */
static int validate_ports(const void *field, struct buf *err)
{
	uint16_t *ports = NULL;
	size_t n = 0;
	int r = net_ports_parse(field, &ports, &n, err);

	free(ports);
	return r;
}

/* "host:port", "[v6]:port"; with need_port 0 the port is optional. */
static int check_hostport(const char *s, int need_port)
{
	const char *colon, *host = s;
	char tmp[256], a[16];
	size_t hl;
	struct cursor c;
	uint64_t port;

	if (s[0] == '[') {
		const char *e = strchr(s, ']');

		if (!e || (size_t)(e - s - 1) >= sizeof(tmp))
			return ERR_INVAL;
		memcpy(tmp, s + 1, (size_t)(e - s - 1));
		tmp[e - s - 1] = '\0';
		if (inet_pton(AF_INET6, tmp, a) != 1)
			return ERR_INVAL;
		colon = e[1] == ':' ? e + 1 : NULL;
		if (e[1] && !colon)
			return ERR_INVAL;
	} else {
		colon = strrchr(s, ':');
		hl = colon ? (size_t)(colon - s) : strlen(s);
		if (!hl || hl >= sizeof(tmp) || memchr(s, ':', hl))
			return ERR_INVAL;
		memcpy(tmp, host, hl);
		tmp[hl] = '\0';
		for (size_t i = 0; i < hl; i++)
			if (!isalnum((unsigned char)tmp[i]) && tmp[i] != '.' && tmp[i] != '-')
				return ERR_INVAL;
	}
	if (!colon)
		return need_port ? ERR_INVAL : 0;
	cursor_init(&c, colon + 1, strlen(colon + 1));
	if (cursor_uint(&c, 65535, &port) != 0 || c.len || port == 0)
		return ERR_INVAL;
	return 0;
}

static int validate_listen(const void *field, struct buf *err)
{
	if (check_hostport(field, 1) == 0)
		return 0;
	return reason(err, "expected host:port such as 127.0.0.1:8080 or [::1]:8080");
}

/* scan.resolver: empty, or an IP address with an optional port. */
static int validate_resolver(const void *field, struct buf *err)
{
	const char *s = field;
	char a[16], tmp[64];
	const char *colon = strrchr(s, ':');

	if (!s[0] || inet_pton(AF_INET6, s, a) == 1 || inet_pton(AF_INET, s, a) == 1)
		return 0;
	if (s[0] == '[' && check_hostport(s, 1) == 0)
		return 0;
	if (colon && (size_t)(colon - s) < sizeof(tmp)) {
		memcpy(tmp, s, (size_t)(colon - s));
		tmp[colon - s] = '\0';
		if (inet_pton(AF_INET, tmp, a) == 1 && check_hostport(s, 1) == 0)
			return 0;
	}
	return reason(err, "expected an IP address with an optional port, such as "
			   "127.0.0.1:53 or [::1]:53");
}

static int validate_store_url(const void *field, struct buf *err)
{
	const char *s = field;

	if ((!strncmp(s, "sqlite:", 7) && s[7]) || !strncmp(s, "postgres://", 11) ||
	    !strncmp(s, "postgresql://", 13))
		return 0;
	return reason(err, "expected sqlite:PATH or postgresql://...");
}

static int validate_public_url(const void *field, struct buf *err)
{
	const char *s = field;
	size_t i;

	if (!s[0])
		return 0;
	if ((!strncmp(s, "https://", 8) && s[8]) || (!strncmp(s, "http://", 7) && s[7])) {
		for (i = 0; s[i]; i++)
			if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
				goto bad;
		return 0;
	}
bad:
	return reason(err, "expected an http:// or https:// URL without spaces");
}

/* Goes into an HTTP header: printable ASCII only, so no header injection. */
static int validate_user_agent(const void *field, struct buf *err)
{
	const char *s = field;
	size_t i;

	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			break;
	if (i && !s[i])
		return 0;
	return reason(err, "expected printable ASCII text");
}

/* No byte a header line or an SMTP command could be split with. */
static int printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* mail.smtp_url: empty, or smtp://HOST[:PORT] / smtps://HOST[:PORT]. */
static int validate_smtp_url(const void *field, struct buf *err)
{
	const char *s = field;
	size_t skip = !strncmp(s, "smtp://", 7) ? 7 : !strncmp(s, "smtps://", 8) ? 8 : 0;

	if (!s[0] || (skip && s[skip] && s[skip] != '/' && s[skip] != ':' && printable_ascii(s)))
		return 0;
	return reason(err, "expected smtp://HOST[:PORT] or smtps://HOST[:PORT] without spaces");
}

/* mail.from: empty or local@domain, printable ASCII without the bytes
 * that end or quote an address (<, >, ", \\, comma, semicolon). */
static int validate_mail_from(const void *field, struct buf *err)
{
	const char *s = field, *at = strchr(s, '@');

	if (!s[0])
		return 0;
	if (printable_ascii(s) && !strpbrk(s, "<>\"\\,;") && at && at > s && at[1] &&
	    !strchr(at + 1, '@') && strchr(at + 1, '.'))
		return 0;
	return reason(err, "expected an e-mail address such as wachter@example.nl");
}

/* serve.trusted_proxies: empty, or comma-separated IPv4/IPv6 addresses and
 * CIDR blocks with their host bits zero (the server parses the same list
 * in src/server/proxy.c; at most 64 entries). */
static int validate_trusted_proxies(const void *field, struct buf *err)
{
	const char *s = field, *end;
	char tmp[INET6_ADDRSTRLEN + 5], *slash, *e;
	unsigned char a[16];
	size_t len, n = 0;
	unsigned long bits, maxbits, i;
	int v6;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	for (;;) {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= sizeof(tmp) || ++n > 64)
			goto bad;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		slash = strchr(tmp, '/');
		if (slash)
			*slash = '\0';
		v6 = strchr(tmp, ':') != NULL;
		if (inet_pton(v6 ? AF_INET6 : AF_INET, tmp, a) != 1)
			goto bad;
		maxbits = v6 ? 128 : 32;
		bits = maxbits;
		if (slash) {
			if (!isdigit((unsigned char)slash[1]) || strlen(slash + 1) > 3)
				goto bad;
			bits = strtoul(slash + 1, &e, 10);
			if (*e || bits > maxbits)
				goto bad;
		}
		for (i = bits; i < maxbits; i++)
			if (a[i / 8] & (0x80u >> (i % 8)))
				goto bad;
		if (!end)
			return 0;
		s = end + 1;
	}
bad:
	return reason(err, "expected IP addresses or CIDR blocks (host bits zero) separated by "
			   "commas, such as 127.0.0.1,10.0.0.0/8,::1");
}

/* serve.security_contact: empty, mailto:ADDRESS or https://URL. */
static int validate_security_contact(const void *field, struct buf *err)
{
	const char *s = field;

	if (!s[0] || (((!strncmp(s, "mailto:", 7) && strchr(s + 7, '@')) ||
		       (!strncmp(s, "https://", 8) && s[8])) &&
		      printable_ascii(s)))
		return 0;
	return reason(err, "expected mailto:ADDRESS or an https:// URL without spaces");
}

static const struct config_opt wachter_opts[] = {
    {.name = "log.level",
     .type = CONFIG_ENUM,
     W(log_level),
     .def = "info",
     .choices = log_levels,
     .help = "Least severe log messages written."},
    {.name = "log.file",
     .type = CONFIG_PATH,
     W(log_file),
     .def = "",
     .help = "Append log lines to this file; empty writes them to standard error."},
    {.name = "store.url",
     .type = CONFIG_STR,
     W(store_url),
     .def = "sqlite:var/wachter.db",
     .validate = validate_store_url,
     .flags = CONFIG_F_SECRET_URL,
     .help = "Database: sqlite:PATH for the embedded store, or a postgresql:// URI to "
	     "share it between scanner nodes."},
    {.name = "store.busy_timeout_ms",
     .type = CONFIG_DURATION_MS,
     W(store_busy_timeout_ms),
     .def = "5s",
     .min = 0,
     .max = SEC(600),
     .help = "How long a write waits for a locked database before it fails."},
    {.name = "feeds.dir",
     .type = CONFIG_PATH,
     W(feeds_dir),
     .def = "../shared/data/vuln",
     .help = "Directory of vulnerability feed files (NVD, CISA KEV, EPSS, distribution "
	     "trackers) to import; nothing is downloaded."},
    {.name = "scan.ports",
     .type = CONFIG_STR,
     W(scan_ports),
     .def = "top100",
     .validate = validate_ports,
     .help = "TCP ports to probe: top100, top1000, all, or a list such as "
	     "22,80,443,8000-8100."},
    {.name = "scan.concurrency",
     .type = CONFIG_INT,
     W(scan_concurrency),
     .def = "2048",
     .min = 1,
     .max = 65536,
     .help = "Probes in flight at once, over all targets."},
    {.name = "scan.rate_per_target",
     .type = CONFIG_INT,
     W(scan_rate_per_target),
     .def = "0",
     .min = 0,
     .max = 1000000,
     .help = "Most packets per second sent to one target address; 0 is unlimited."},
    {.name = "scan.timeout_ms",
     .type = CONFIG_DURATION_MS,
     W(scan_timeout_ms),
     .def = "1500ms",
     .min = 1,
     .max = SEC(600),
     .help = "How long one probe (connect, handshake, reply) may take."},
    {.name = "scan.retries",
     .type = CONFIG_INT,
     W(scan_retries),
     .def = "1",
     .min = 0,
     .max = 5,
     .help = "Extra attempts for a probe that timed out."},
    {.name = "scan.ca_file",
     .type = CONFIG_PATH,
     W(scan_ca_file),
     .def = "",
     .help = "PEM file of CA certificates trusted when checking certificates; empty uses "
	     "the system store."},
    {.name = "scan.kb",
     .type = CONFIG_PATH,
     W(scan_kb),
     .def = SCAN_KB_DEFAULT_PATH,
     .help = "Vulnerability knowledge base (from `wachter feed import`) for the VULN checks of "
	     "scans, the server's included; the default is used when it exists, any other path "
	     "must open."},
    {.name = "scan.trust_anchor",
     .type = CONFIG_PATH,
     W(scan_trust_anchor),
     .def = "",
     .help = "DNSSEC trust anchor file (DS or DNSKEY records) for domain scans; empty uses "
	     "the root's (/usr/share/dns/root.key), \"none\" turns validation off."},
    {.name = "scan.resolver",
     .type = CONFIG_STR,
     W(scan_resolver),
     .def = "",
     .validate = validate_resolver,
     .help = "DNS resolver as ADDRESS[:PORT]; empty uses the system resolver."},
    {.name = "scan.lang",
     .type = CONFIG_ENUM,
     W(scan_lang),
     .def = "nl",
     .choices = langs,
     .help = "Language of findings and advice."},
    {.name = "scan.user_agent",
     .type = CONFIG_STR,
     W(scan_user_agent),
     .def = "wachter/" WACHTER_VERSION,
     .validate = validate_user_agent,
     .help = "User-Agent sent by web checks, so site owners can identify the scanner."},
    {.name = "serve.listen",
     .type = CONFIG_STR,
     W(serve_listen),
     .def = "127.0.0.1:8080",
     .validate = validate_listen,
     .help = "Address and port of the web interface and API."},
    {.name = "serve.threads",
     .type = CONFIG_INT,
     W(serve_threads),
     .def = "4",
     .min = 1,
     .max = 1024,
     .help = "Threads answering web requests."},
    {.name = "serve.login_rate",
     .type = CONFIG_INT,
     W(serve_login_rate),
     .def = "20",
     .min = 1,
     .max = 100000,
     .help = "Sign-in, sign-up and password-reset attempts allowed per client address in any "
	     "60 seconds (over it: 429). Behind a reverse proxy set serve.trusted_proxies, or "
	     "every client has the proxy's address."},
    {.name = "serve.trusted_proxies",
     .type = CONFIG_STR,
     W(serve_trusted_proxies),
     .def = "",
     .validate = validate_trusted_proxies,
     .help = "Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: IP "
	     "addresses or CIDR blocks separated by commas, such as 127.0.0.1,::1. The client "
	     "is then the rightmost X-Forwarded-For address that is not one of them (access "
	     "log, sign-in limit). Empty trusts no proxy: the client is the TCP peer."},
    {.name = "serve.tls_cert",
     .type = CONFIG_PATH,
     W(serve_tls_cert),
     .def = "",
     .help = "PEM certificate chain for HTTPS; empty serves plain HTTP (behind a proxy)."},
    {.name = "serve.tls_key",
     .type = CONFIG_PATH,
     W(serve_tls_key),
     .def = "",
     .help = "PEM private key of serve.tls_cert."},
    {.name = "serve.public_url",
     .type = CONFIG_STR,
     W(serve_public_url),
     .def = "",
     .validate = validate_public_url,
     .help = "URL users reach the web interface at, used in e-mails, reports and "
	     "certificate QR codes; empty derives it from serve.listen."},
    {.name = "serve.security_contact",
     .type = CONFIG_STR,
     W(serve_security_contact),
     .def = "",
     .validate = validate_security_contact,
     .help = "Contact of the server's /.well-known/security.txt (RFC 9116): mailto:ADDRESS "
	     "or an https:// URL; empty serves no security.txt."},
    {.name = "mail.smtp_url",
     .type = CONFIG_STR,
     W(mail_smtp_url),
     .def = "",
     .validate = validate_smtp_url,
     .flags = CONFIG_F_SECRET_URL,
     .help = "Relay for the server's e-mail (password resets, invitations): "
	     "smtp://HOST[:PORT] or smtps://HOST[:PORT], user:password@ allowed; empty "
	     "sends no mail. wachter serve --smtp-url overrides it."},
    {.name = "mail.from",
     .type = CONFIG_STR,
     W(mail_from),
     .def = "",
     .validate = validate_mail_from,
     .help = "Sender address of the server's e-mail; needed with mail.smtp_url. "
	     "wachter serve --mail-from overrides it."},
    {.name = "mail.starttls",
     .type = CONFIG_ENUM,
     W(mail_starttls),
     .def = "require",
     .choices = starttls_modes,
     .help = "STARTTLS on an smtp:// relay: require (no mail without TLS and a valid "
	     "certificate), try (TLS when offered), or no (plain text; for a relay on "
	     "this machine). smtps:// always uses TLS."},
};

const struct config_opt *wachter_config_table(size_t *n)
{
	*n = ARRAY_SIZE(wachter_opts);
	return wachter_opts;
}

/* Rules that involve more than one setting. */
static int wachter_config_cross_check(const struct wachter_config *cfg, struct buf *err)
{
	if (!cfg->serve_tls_cert[0] != !cfg->serve_tls_key[0]) {
		config_fail(err, "serve.tls_cert and serve.tls_key must be set together");
		return ERR_INVAL;
	}
	if (!cfg->mail_smtp_url[0] != !cfg->mail_from[0]) {
		config_fail(err, "mail.smtp_url and mail.from must be set together");
		return ERR_INVAL;
	}
	return 0;
}

int wachter_config_load(struct wachter_config *cfg, struct config_load *ld, struct buf *err)
{
	int r;

	ld->default_path = WACHTER_CONFIG_DEFAULT_PATH;
	ld->env_prefix = WACHTER_CONFIG_ENV_PREFIX;
	r = config_load_all(wachter_opts, ARRAY_SIZE(wachter_opts), cfg, ld, err);
	if (r == 0)
		r = wachter_config_cross_check(cfg, err);
	return r;
}

int wachter_config_check_file(const char *path, struct buf *err)
{
	struct wachter_config cfg;
	int r;

	r = config_defaults(wachter_opts, ARRAY_SIZE(wachter_opts), &cfg, err);
	if (r == 0)
		r = config_load_file(wachter_opts, ARRAY_SIZE(wachter_opts), &cfg, path, NULL, err);
	if (r == 0 && wachter_config_cross_check(&cfg, err) != 0) {
		struct buf msg = BUF_INIT;

		r = ERR_INVAL;
		if (err && buf_addf(&msg, "%s: %s", path, err->ptr) == 0)
			config_fail(err, "%s", msg.ptr);
		buf_release(&msg);
	}
	return r;
}

int wachter_config_help(struct buf *out)
{
	int r = buf_adds(out, "Settings (see docs/configuration.md; each is also a config file key "
			      "and a WACHTER_* variable):\n"
			      "  --config=PATH  Read settings from PATH. [default: "
			      "wachter.conf if present]\n");

	return r ? r : config_help(wachter_opts, ARRAY_SIZE(wachter_opts), out);
}

static const char md_intro[] =
    "# Configuration\n"
    "\n"
    "<!-- Generated from src/config/program.c by scripts/gen-config-docs; do not edit. -->\n"
    "\n"
    "wachter takes every setting from one table (src/config/program.c), which also\n"
    "produces `wachter --help`, `wachter config sample` and this page. A setting is\n"
    "read from four places; a later one overrides an earlier one:\n"
    "\n"
    "1. the built-in default;\n"
    "2. the configuration file: the one named by `--config FILE`, else by\n"
    "   `$WACHTER_CONFIG`, else `wachter.conf` in the current directory if it\n"
    "   exists (a file named explicitly must exist);\n"
    "3. the environment: `WACHTER_` and the setting's name in upper case with `.`\n"
    "   as `_`, so `scan.timeout_ms` is `WACHTER_SCAN_TIMEOUT_MS`; other `WACHTER_*`\n"
    "   variables are ignored;\n"
    "4. command-line flags: `--scan.timeout-ms=5s` or `--scan.timeout-ms 5s` (`-`\n"
    "   and `_` are interchangeable); a boolean flag alone means true.\n"
    "\n"
    "`wachter config show` prints the effective settings and where each one came\n"
    "from; `wachter config check FILE` checks a file without starting anything.\n"
    "\n"
    "## File format\n"
    "\n"
    "An INI file: `[section]` headers and `key = value` lines. Lines starting with\n"
    "`#` or `;` are comments, and so is the rest of a line after ` #` or ` ;` in an\n"
    "unquoted value. Spaces around keys and values are ignored. A value in double\n"
    "quotes may use the escapes `\\\\`, `\\\"`, `\\'`, `\\n`, `\\r`, `\\t` and `\\xHH`; a\n"
    "value in single quotes is taken literally. Unknown sections or keys, a key set\n"
    "twice, a line longer than 4096 bytes and a file larger than 1 MiB are errors.\n"
    "Any error is reported as `FILE:LINE: message` and the program exits with\n"
    "status 2, for example:\n"
    "\n"
    "    wachter.conf:7: unknown key 'timeout' in section [scan]\n"
    "    wachter.conf:9: value 'abc' for scan.timeout_ms is not a duration\n"
    "\n"
    "Values by type:\n"
    "\n"
    "- **duration**: a number with a unit, `ms`, `s`, `m`, `h` or `d`, or a sum\n"
    "  such as `1m30s`; a bare number is milliseconds.\n"
    "- **size**: bytes, or a number with `k`, `M`, `G` or `T` (powers of 1024),\n"
    "  optionally followed by `B` or `iB`.\n"
    "- **boolean**: `yes`/`no`, `true`/`false`, `on`/`off`, `1`/`0`.\n"
    "- **one of**: one of the listed words; case does not matter.\n"
    "- **integer**: a decimal number within the range shown.\n"
    "\n"
    "## Settings\n"
    "\n";

int wachter_config_markdown(struct buf *out)
{
	int r = buf_adds(out, md_intro);

	if (r == 0)
		r = config_markdown(wachter_opts, ARRAY_SIZE(wachter_opts),
				    WACHTER_CONFIG_ENV_PREFIX, out);
	if (r == 0)
		r = buf_adds(out, "\n## Sample configuration\n\n"
				  "`wachter config sample` prints this file.\n\n```ini\n");
	if (r == 0)
		r = config_sample(wachter_opts, ARRAY_SIZE(wachter_opts), out);
	if (r == 0)
		r = buf_adds(out, "```\n");
	return r;
}
