/*
 * check.h: the check registry and findings. Every check has a stable id
 * (from docs/checks.md), a title, a default severity, an audience and a
 * remediation tip in Dutch and English. Scanner modules produce findings:
 * a check id, where it was seen, the evidence, a confidence.
 */
#ifndef WACHTER_CHECK_H
#define WACHTER_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

enum check_sev {
	SEV_INFO = 0,
	SEV_LOW = 1,
	SEV_MEDIUM = 2,
	SEV_HIGH = 3,
	SEV_CRITICAL = 4,
};

enum check_conf {
	CONF_LOW = 0,
	CONF_MEDIUM = 1,
	CONF_HIGH = 2,
};

enum check_aud {
	AUD_IT = 1 << 0,
	AUD_WEB = 1 << 1,
	AUD_MGT = 1 << 2,
};

enum check_lang { LANG_NL = 0, LANG_EN = 1 };

/* A check: one row of the registry; const data, shared by all threads. */
struct check_def {
	const char *id;	      /* "TLS-04"; stable once shipped */
	enum check_sev sev;   /* default severity; a finding may raise/lower it */
	unsigned audience;    /* enum check_aud bits */
	const char *title_en; /* short, what is wrong */
	const char *title_nl;
	const char *tip_en; /* what to do, one or two sentences */
	const char *tip_nl;
};

/*
 * check_find: the registry entry for id, or NULL. The registry is the
 * union of the per-area tables listed in registry.c. Thread safe.
 */
const struct check_def *check_find(const char *id);
/* check_all: call fn for every registered check, in registry order. */
void check_each(void (*fn)(const struct check_def *c, void *arg), void *arg);

const char *check_sev_name(enum check_sev s);	/* "critical", ... "info" */
const char *check_conf_name(enum check_conf c); /* "high", "medium", "low" */
int check_sev_parse(const char *s, enum check_sev *out) WUR;
/* check_aud_names: "it,web" style list of the audience bits into out. */
int check_aud_names(unsigned aud, struct buf *out) WUR;
const char *check_title(const struct check_def *c, enum check_lang lang);
const char *check_tip(const struct check_def *c, enum check_lang lang);

/* A finding: owned strings, freed by findings_release. */
struct finding {
	char check_id[40]; /* "TLS-04", "VULN-CVE-2024-6387" */
	enum check_sev sev;
	enum check_conf conf;
	char *target;	/* address or host name the finding concerns */
	int port;	/* -1 when not port specific */
	char *detail;	/* one line: what exactly (e.g. "TLS 1.0 accepted") */
	char *evidence; /* the bytes/lines that prove it, printable */
};

/* A growable list of findings; FINDINGS_INIT or findings_init. */
struct findings {
	struct finding *v;
	size_t n;
	size_t cap;
};

#define FINDINGS_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
void findings_init(struct findings *fl);
void findings_release(struct findings *fl);

/*
 * findings_add: append a finding for check id (which must be registered,
 * else ERR_NOTFOUND) at target:port. sev < 0 takes the registry default.
 * detail and evidence are copied (evidence capped at 4 KiB and made
 * printable); either may be NULL.
 */
int findings_add(struct findings *fl, const char *id, int sev, enum check_conf conf,
		 const char *target, int port, const char *detail, const char *evidence) WUR;
/* findings_addf: as findings_add with a printf-style detail. */
int findings_addf(struct findings *fl, const char *id, int sev, enum check_conf conf,
		  const char *target, int port, const char *evidence, const char *fmt, ...)
    PRINTF_LIKE(8, 9) WUR;
/* findings_move: append all of src to dst; src is emptied. */
int findings_move(struct findings *dst, struct findings *src) WUR;
/* findings_sort: by severity (worst first), then check id, target, port. */
void findings_sort(struct findings *fl);
/* findings_count: number of findings with this check id (and port; -2 = any). */
size_t findings_count(const struct findings *fl, const char *id, int port);

#endif
