/*
 * config.h: the configuration table. One const table per program describes
 * every setting {name, type, default, range, validator, help}; the same table
 * fills a caller's struct from defaults, an INI file, environment variables
 * and command-line flags, and generates --help, a sample config and the docs.
 */
#ifndef WACHTER_CONFIG_H
#define WACHTER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/*
 * Value types and the C type of the field each one fills (at offset in the
 * caller's struct):
 *   CONFIG_STR, CONFIG_PATH  char[size], always NUL-terminated and zero-padded;
 *                            a longer value is an error, never truncated.
 *   CONFIG_INT               int64_t, decimal with optional '-'.
 *   CONFIG_BOOL              bool; yes/no, true/false, on/off, 1/0 (any case).
 *   CONFIG_DURATION_MS       int64_t milliseconds; "250ms", "5s", "2m", "1h",
 *                            "1d", sums such as "1m30s"; a bare number is ms.
 *   CONFIG_ENUM              int, the index of the value in choices (any case).
 *   CONFIG_SIZE              int64_t bytes; "512", "64k", "10M", "1G", "1T"
 *                            (powers of 1024; an optional "B"/"iB" follows).
 * Strings are fixed arrays so a filled struct needs no release and can be
 * copied with '='.
 */
enum config_type {
	CONFIG_STR,
	CONFIG_INT,
	CONFIG_BOOL,
	CONFIG_DURATION_MS,
	CONFIG_ENUM,
	CONFIG_PATH,
	CONFIG_SIZE,
};

/*
 * struct config_opt: one setting. name is "section.key" (lower case, [a-z0-9_]).
 * For INT, DURATION_MS and SIZE the value must lie in [min, max] when
 * max > min. validate (may be NULL) sees the parsed value in its field
 * representation before it is stored; it returns 0 or a negative ERR_ code
 * and appends a short reason ("expected host:port") to err; it must not
 * quote the value of a CONFIG_F_SECRET option.
 */
enum config_flags {
	/* A password or key: error messages never quote the value and
	 * config_show prints "***" (so its output is not read back as is). */
	CONFIG_F_SECRET = 1u << 0,
	/* A URL that may hold a password (postgresql://u:pw@h/db?password=pw):
	 * never quoted in messages; config_show masks only the passwords. */
	CONFIG_F_SECRET_URL = 1u << 1,
};

struct config_opt {
	const char *name;
	enum config_type type;
	size_t offset;
	size_t size; /* sizeof the field; for STR/PATH the array size */
	const char *def;
	int64_t min, max;
	const char *const *choices; /* ENUM: NULL-terminated */
	int (*validate)(const void *field, struct buf *err);
	const char *help;
	unsigned flags; /* enum config_flags */
};

/* CONFIG_AT(struct x, member): the offset and size fields of an option. */
#define CONFIG_AT(type, member)                                                                    \
	.offset = offsetof(type, member), .size = sizeof(((type *)0)->member)

/* Where a value came from, in increasing precedence. */
enum config_source {
	CONFIG_SRC_DEFAULT = 0,
	CONFIG_SRC_FILE,
	CONFIG_SRC_ENV,
	CONFIG_SRC_FLAG,
};

#define CONFIG_LINE_MAX 4096u		/* bytes per INI line, without newline */
#define CONFIG_FILE_MAX (1024u * 1024u) /* bytes per config file */
#define CONFIG_PATH_MAX 1024u		/* path fields and config_load.file */

/*
 * Error reporting. Every loader writes one line (no newline) into err when it
 * fails, replacing its content; err may be NULL. The forms are
 *   path:line: message                 malformed or invalid file content
 *   path: message                      the file cannot be read or is too big
 *   environment variable NAME: message
 *   option --name: message
 * e.g. "wachter.conf:7: unknown key 'timeout' in section [scan]" or
 * "wachter.conf:3: value 'abc' for scan.timeout_ms is not a duration".
 * Untrusted text quoted in a message is capped at 64 bytes, non-printable
 * bytes shown as \xNN. On failure dst may hold values set before the error;
 * callers discard it. None of the functions keep state: they are thread safe
 * as long as two threads do not fill the same dst.
 */

/* config_source_name: "default", "file", "env" or "flag". */
const char *config_source_name(enum config_source s);

/*
 * config_defaults: zero the fields of every option and store its default.
 * Returns ERR_INVAL (message in err) if a default does not parse or validate:
 * a bug in the table that config_table_check finds in tests.
 */
int config_defaults(const struct config_opt *t, size_t n, void *dst, struct buf *err) WUR;

/* config_table_check: check a table for programmer errors (bad names,
 * duplicates, bad sizes, defaults that do not parse); ERR_INVAL + message. */
int config_table_check(const struct config_opt *t, size_t n, struct buf *err) WUR;

/* config_find: the option called name[0..len) ('-' and '_' are equal, case
 * is ignored), or NULL. */
const struct config_opt *config_find(const struct config_opt *t, size_t n, const char *name,
				     size_t len);

/*
 * config_set: parse value[0..len) (raw, no quoting) for option name and store
 * it. ERR_NOTFOUND for an unknown name; ERR_INVAL/ERR_RANGE/ERR_TOO_BIG with
 * a message "value 'x' for name is not ..." for a bad value.
 */
int config_set(const struct config_opt *t, size_t n, void *dst, const char *name, const char *value,
	       size_t len, struct buf *err) WUR;

/*
 * config_load_buf: apply the INI text data[0..len) (need not be
 * NUL-terminated) to dst; name is the file name used in messages.
 * Syntax: "[section]", "key = value", full-line comments starting with '#'
 * or ';', inline comments after whitespace ("key = 5s  # five seconds"),
 * values in "double quotes" with escapes \\ \" \' \n \r \t \xHH or in
 * 'single quotes' taken literally, surrounding whitespace trimmed, CRLF and a
 * leading UTF-8 BOM accepted. Unknown sections and keys, keys outside a
 * section, duplicate keys, lines over CONFIG_LINE_MAX bytes and NUL bytes
 * are errors: ERR_PARSE (syntax), ERR_INVAL (unknown key or bad value),
 * ERR_RANGE, ERR_TOO_BIG. src (n entries, may be NULL) marks each value set
 * as CONFIG_SRC_FILE.
 */
int config_load_buf(const struct config_opt *t, size_t n, void *dst, const char *name,
		    const char *data, size_t len, enum config_source *src, struct buf *err) WUR;

/*
 * config_load_file: read path (at most CONFIG_FILE_MAX bytes) and apply it
 * with config_load_buf. ERR_NOTFOUND when it does not exist, ERR_IO when it
 * cannot be read, ERR_TOO_BIG when it is too large, else as config_load_buf.
 */
int config_load_file(const struct config_opt *t, size_t n, void *dst, const char *path,
		     enum config_source *src, struct buf *err) WUR;

/*
 * config_env_name: the environment variable of option o: prefix followed by
 * the name in upper case with '.' as '_' (WACHTER_ + scan.timeout_ms =
 * WACHTER_SCAN_TIMEOUT_MS). ERR_TOO_BIG if it does not fit out[size].
 */
int config_env_name(const struct config_opt *o, const char *prefix, char *out, size_t size) WUR;

/*
 * config_load_env: apply every variable in envp (NULL-terminated "K=V"
 * strings, e.g. main's envp or environ; NULL = none) that names an option
 * under prefix. Other variables, also ones under prefix, are ignored (the
 * tools use WACHTER_SRC and the like). Messages name the variable.
 */
int config_load_env(const struct config_opt *t, size_t n, void *dst, const char *prefix,
		    char **envp, enum config_source *src, struct buf *err) WUR;

/*
 * config_parse_args: apply the options in argv[0..argc) (argv[0] is NOT
 * skipped: pass argc - 1, argv + 1 for a program's own arguments).
 * "--scan.timeout-ms=5s" and "--scan.timeout-ms 5s" ('-' and '_' alike);
 * a BOOL takes only "--name" (true) or "--name=value". "--config FILE" and
 * "--config=FILE" are skipped (config_load_all reads them). Parsing stops at
 * the first operand or after "--"; *first_operand (may be NULL) gets its
 * index (argc if none). Unknown options ("--help" too) are ERR_NOTFOUND
 * with *first_operand at that option, so callers can handle their own
 * flags before calling; a missing value is ERR_PARSE.
 */
int config_parse_args(const struct config_opt *t, size_t n, void *dst, int argc, char **argv,
		      int *first_operand, enum config_source *src, struct buf *err) WUR;

/*
 * struct config_load: the inputs and results of config_load_all.
 */
struct config_load {
	const char *default_path; /* read if present and no other file named; may be NULL */
	const char *env_prefix;	  /* "WACHTER_"; NULL = ignore the environment */
	char **envp;		  /* may be NULL */
	int argc;		  /* arguments as for config_parse_args */
	char **argv;
	enum config_source *src;    /* caller's array of n entries, or NULL */
	char file[CONFIG_PATH_MAX]; /* out: the file that was read, "" if none */
	int first_operand;	    /* out: as config_parse_args */
};

/*
 * config_load_all: defaults < file < environment < flags. The file is the
 * last "--config FILE" among the options, else $<prefix>CONFIG, else
 * default_path if it exists (a named file that is missing is an error).
 * Fills ld->file, ld->first_operand and ld->src. Errors as the loaders.
 */
int config_load_all(const struct config_opt *t, size_t n, void *dst, struct config_load *ld,
		    struct buf *err) WUR;

/* config_format_value: append the value of o in dst as config text (raw,
 * unquoted: "1500ms", "64k", "true", "info", the string). */
int config_format_value(const struct config_opt *o, const void *dst, struct buf *out) WUR;

/* config_add_ini_value: append s[0..len) as an INI value, double-quoted
 * with escapes when it would not read back as itself unquoted. */
int config_add_ini_value(struct buf *out, const char *s, size_t len) WUR;

/*
 * config_help: aligned "--help" lines for every option: flag, placeholder,
 * help text and default. config_sample: a commented sample INI file (every
 * key commented out, with its default and help) that parses back to the
 * defaults when uncommented. config_markdown: the options table (Markdown)
 * with env variable names under env_prefix. config_show: the values in dst
 * as an INI file, each with "# source" when src is not NULL.
 * All append to out; ERR_NOMEM/ERR_TOO_BIG from the buf.
 */
int config_help(const struct config_opt *t, size_t n, struct buf *out) WUR;
int config_sample(const struct config_opt *t, size_t n, struct buf *out) WUR;
int config_markdown(const struct config_opt *t, size_t n, const char *env_prefix,
		    struct buf *out) WUR;
int config_show(const struct config_opt *t, size_t n, const void *dst,
		const enum config_source *src, struct buf *out) WUR;

/* Value parsers shared with other modules (API parameters and the like);
 * s[0..len) need not be NUL-terminated. ERR_PARSE when malformed, ERR_RANGE
 * on overflow. */
int config_parse_duration(const char *s, size_t len, int64_t *ms) WUR;
int config_parse_size(const char *s, size_t len, int64_t *bytes) WUR;
int config_parse_bool(const char *s, size_t len, bool *v) WUR;

/* ------------------------------------------------- the wachter program */

enum wachter_lang { WACHTER_LANG_NL = 0, WACHTER_LANG_EN };

#define WACHTER_CONFIG_ENV_PREFIX "WACHTER_"
#define WACHTER_CONFIG_DEFAULT_PATH "wachter.conf"

/*
 * struct wachter_config: every setting of the wachter program, filled by
 * wachter_config_load. Durations in ms, strings NUL-terminated.
 */
/* The knowledge base scans use unless scan.kb names another. */
#define SCAN_KB_DEFAULT_PATH "var/kb/wachter.kb"

struct wachter_config {
	int log_level;			/* enum log_level */
	char log_file[CONFIG_PATH_MAX]; /* "" = stderr */
	char store_url[CONFIG_PATH_MAX];
	int64_t store_busy_timeout_ms;
	char feeds_dir[CONFIG_PATH_MAX];
	char scan_ports[CONFIG_LINE_MAX]; /* "top100", "top1000", "all" or a list */
	int64_t scan_concurrency;
	int64_t scan_rate_per_target; /* packets per second per target; 0 = unlimited */
	int64_t scan_timeout_ms;
	int64_t scan_retries;
	char scan_ca_file[CONFIG_PATH_MAX]; /* "" = system store */
	char scan_kb[CONFIG_PATH_MAX];	    /* knowledge base; SCAN_KB_DEFAULT_PATH when unset */
	char scan_trust_anchor[CONFIG_PATH_MAX]; /* "" = the root's; "none" */
	char scan_resolver[256];		 /* "" = system resolver */
	int scan_lang;				 /* enum wachter_lang */
	char scan_user_agent[256];
	char serve_listen[256];
	int64_t serve_threads;
	int64_t serve_login_rate;		     /* attempts per address per minute */
	char serve_trusted_proxies[CONFIG_PATH_MAX]; /* "" = trust no X-Forwarded-For */
	char serve_tls_cert[CONFIG_PATH_MAX];
	char serve_tls_key[CONFIG_PATH_MAX];
	char serve_public_url[CONFIG_PATH_MAX];
	char serve_security_contact[CONFIG_PATH_MAX]; /* "" = no security.txt */
	char mail_smtp_url[CONFIG_PATH_MAX];	      /* "" = no outgoing mail */
	char mail_from[256];
	int mail_starttls; /* enum wachter_starttls */
};

/* mail.starttls, in the order of its choices. */
enum wachter_starttls { WACHTER_STARTTLS_REQUIRE = 0, WACHTER_STARTTLS_TRY, WACHTER_STARTTLS_NO };

/* wachter_config_table: the program's table (static, n entries). */
const struct config_opt *wachter_config_table(size_t *n);

/*
 * wachter_config_load: config_load_all with the wachter table, the
 * WACHTER_ prefix and WACHTER_CONFIG_DEFAULT_PATH. ld->argc/argv/envp/src as
 * for config_load_all (default_path and env_prefix are set here). The caller
 * prints err and exits 2 on failure.
 */
int wachter_config_load(struct wachter_config *cfg, struct config_load *ld, struct buf *err) WUR;

/* wachter_config_check_file: defaults + path only; 0 or an error with
 * "path:line: message" in err (for "wachter config check FILE"). */
int wachter_config_check_file(const char *path, struct buf *err) WUR;

/* wachter_config_markdown: the whole docs/configuration.md page. */
int wachter_config_markdown(struct buf *out) WUR;

/* wachter_config_help: the options part of "wachter --help". */
int wachter_config_help(struct buf *out) WUR;

/*
 * config_cmd_main: the "wachter config" subcommand; argv[0] is "config".
 *   config check FILE     exit 0 ("FILE: ok") or 2 with "FILE:LINE: message"
 *   config show [OPTIONS] the effective settings and where each came from
 *   config sample         a commented sample wachter.conf
 *   config markdown       docs/configuration.md (hidden; scripts/gen-config-docs)
 * Writes to stdout/stderr and returns the exit status (0, 1 or 2).
 */
int config_cmd_main(int argc, char **argv, char **envp);

#endif
