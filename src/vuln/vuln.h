/*
 * vuln.h: the vulnerability matcher. Joins the knowledge base (src/feed) with
 * the CPE rules (src/cpe): a CPE, a banner product + version, or an installed
 * Debian package goes in; the CVEs that apply come out, each with CVSS, CWE,
 * KEV, EPSS, the fixed version when known, a confidence and why. The rules,
 * and the traps they avoid, are in docs/vulns.md.
 */
#ifndef WACHTER_VULN_H
#define WACHTER_VULN_H

#include <stddef.h>
#include <stdint.h>

#include "check/check.h"
#include "core/core.h"
#include "cpe/cpe.h"
#include "feed/feed.h"

/* Why a hit is less than sure, or where it came from (vuln_hit.flags). */
enum vuln_hit_flag {
	VULN_HF_ALL_VERSIONS = 1u << 0,	    /* a versionless row: every version */
	VULN_HF_VERSION_UNKNOWN = 1u << 1,  /* the product's version is not known */
	VULN_HF_UPDATE_GUESS = 1u << 2,	    /* "9.1:*" taken for 9.1p1, "<= 9.8" for 9.8p1 */
	VULN_HF_PLATFORM_UNKNOWN = 1u << 3, /* an AND configuration's platform is unknown */
	VULN_HF_BACKPORT = 1u << 4,	    /* distribution build: a fix may be backported */
	VULN_HF_TRACKER = 1u << 5,	    /* the Debian tracker decided (fixed version) */
	VULN_HF_WINDOWS_ONLY = 1u << 6,	    /* the description limits it to Windows */
	VULN_HF_CPE_FALLBACK = 1u << 7,	    /* package matched through its CPE, no tracker data */
};

#define VULN_WHY_MAX 200

/* One CVE that applies. Plain data, no pointers: copy it freely. */
struct vuln_hit {
	char cve[24];		/* "CVE-2024-6387" */
	double cvss;		/* base score 0.0-10.0, 0 when not scored */
	uint8_t cvss_version;	/* 40, 31, 30, 20 or 0 */
	char cvss_vector[192];	/* "CVSS:3.1/AV:N/..." or "" (cut when longer) */
	enum check_sev sev;	/* from the score, raised one level for KEV */
	char cwe[16];		/* "CWE-362", "NVD-CWE-Other", "" */
	int kev;		/* listed in CISA KEV */
	int ransomware;		/* KEV: known ransomware campaign use */
	double epss, epss_pct;	/* 0..1; 0 when not scored */
	char fixed[64];		/* the fixed version when known, else "" */
	enum check_conf conf;	/* high, medium or low */
	unsigned flags;		/* enum vuln_hit_flag bits */
	char why[VULN_WHY_MAX]; /* "9.2p1 in [8.6, 9.8)", "all versions (versionless entry)" */
	char matched[96];	/* the vendor:product that matched */
	/* explain 1: why, fixed and matched are still to be filled from KB
	 * match row `row` (vuln_match_product_lazy); vuln_hit_explain does it.
	 * Meanwhile why holds the product's version, fixed and matched are "". */
	uint8_t explain;
	uint32_t row;
};

/* A list of hits; VULN_HITS_INIT or vuln_hits_init. Not thread safe. */
struct vuln_hits {
	struct vuln_hit *v;
	size_t n, cap;
};

#define VULN_HITS_INIT                                                                             \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
void vuln_hits_init(struct vuln_hits *h);
/* vuln_hits_release: free the list; it is empty and reusable again. */
void vuln_hits_release(struct vuln_hits *h);
/* vuln_hits_find: the hit for cve (case-insensitive), or NULL. */
const struct vuln_hit *vuln_hits_find(const struct vuln_hits *h, const char *cve);
/* vuln_hits_sort: worst first: severity, then CVSS, then confidence, then
 * CVE id (newest first), so output is stable. */
void vuln_hits_sort(struct vuln_hits *h);

/* Flags of the match functions. */
enum vuln_flag {
	/* the product is a distribution build that may carry backported fixes:
	 * version-only matches are LOW (docs/vulns.md "Backports") */
	VULN_F_BACKPORTS = 1u << 0,
	/* keep hits that say nothing about this product: version unknown, or a
	 * versionless row that also needs an unknown platform. Dropped by
	 * default; `vuln lookup --all` keeps them. */
	VULN_F_ALL = 1u << 1,
};

/*
 * vuln_match_cpe: the CVEs whose NVD configurations say that the product
 * named by cpe23 (a CPE 2.3 formatted string or a 2.2 URI, with a version;
 * "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*") is vulnerable on platform
 * (NULL = nothing known). The vendor:product is widened to its Debian
 * aliases and to the other NVD names of the same product
 * (cpe_products_lookup: nginx is f5:nginx, nginx:nginx and
 * igor_sysoev:nginx). Confidence (docs/vulns.md): HIGH for a version in a
 * stated range or equal to a listed version; MEDIUM when an update level had
 * to be guessed; LOW for versionless rows, for AND configurations whose
 * platform part is unknown, for VULN_F_BACKPORTS builds, and (capped at
 * MEDIUM on an unknown platform) for CVEs whose description limits them to
 * Windows when the host's OS is known to be something else. A known platform
 * that does not match gives no hit. Hits are appended to out (one per CVE,
 * the best confidence) and sorted. out is unchanged on error.
 * Errors: ERR_PARSE (cpe23 malformed), ERR_NOMEM. Thread safe for distinct
 * out lists (the kb is shared read-only).
 */
int vuln_match_cpe(const struct kb *kb, const char *cpe23, const struct cpe_platform *platform,
		   unsigned flags, struct vuln_hits *out) WUR;

/*
 * vuln_match_product: the same for a product name as a banner or package
 * list shows it ("OpenSSH", "nginx", "Apache httpd", "openssh-server", or a
 * "vendor:product") and its upstream version ("9.2p1"). Names are mapped
 * with cpe_products_lookup (whole name, then each word), the Debian CPE
 * list and the aliases. distro_hint is the banner's distribution suffix or
 * NULL ("Debian-2+deb12u3", "(Debian)", "Ubuntu-3ubuntu0.10"): a Debian or
 * Ubuntu build makes the host's OS known (Linux; AND configurations needing
 * another OS drop out) and makes version-only matches LOW (backports) unless
 * the Debian tracker decides: when the hint names a Debian revision whose
 * release is known ("+deb12u3" is bookworm), a tracker fix for that release
 * newer than the build gives HIGH with the fixed version, a fix the build
 * already has (or "not affected") drops the CVE. ERR_NOTFOUND when the name
 * maps to no CPE product, ERR_INVAL without a version, ERR_NOMEM.
 */
int vuln_match_product(const struct kb *kb, const char *product_name, const char *version,
		       const char *distro_hint, struct vuln_hits *out) WUR;

/*
 * vuln_match_package: an installed Debian package: pkg (source package, or a
 * binary package: "openssh-server" is tried as itself, then as its source
 * "openssh" by dropping a known binary suffix), its dpkg version
 * ("1:9.2p1-2+deb12u3") and the release ("bookworm"). Every tracker fix
 * (DSA/DLA) of the package for that release whose fixed version is newer
 * than the installed one is a HIGH hit with the fixed version; then the
 * package's CPEs (Debian CPE list + aliases) are matched with the upstream
 * version like vuln_match_product with a Debian hint, at most LOW
 * (VULN_HF_CPE_FALLBACK), skipping CVEs the tracker already decided for
 * this release. ERR_INVAL (no pkg/version/release), ERR_NOMEM.
 * ERR_NOTFOUND when the package is neither in the tracker nor in the CPE list.
 */
int vuln_match_package(const struct kb *kb, const char *pkg, const char *version,
		       const char *release, struct vuln_hits *out) WUR;

/* ------------------------------------------------------ bulk matching */

/*
 * struct vuln_index: an in-memory index over a KB for many lookups (the
 * agent's inventories, a scanner daemon, the benchmark): each product's
 * vulnerable rows in one block with their versions pre-encoded as
 * comparable keys (exact versions binary-searched), per-CVE facts and a
 * compact copy of every AND/negated configuration (docs/vulns.md). Costs
 * about 117 MB and 0.6-0.8 s to build for the full NVD. Read-only after
 * vuln_index_build: safe to share between threads. It borrows the kb:
 * close the kb after freeing it.
 */
struct vuln_index;

/* vuln_index_build: ERR_NOMEM, ERR_PARSE/ERR_RANGE (inconsistent KB). */
int vuln_index_build(const struct kb *kb, struct vuln_index **out) WUR;
/* vuln_index_free: NULL is fine. */
void vuln_index_free(struct vuln_index *ix);
/* vuln_index_bytes: the heap the index holds. */
size_t vuln_index_bytes(const struct vuln_index *ix);

/* vuln_match_product_ix / vuln_match_package_ix: vuln_match_product and
 * vuln_match_package through the index (same results, same errors). */
int vuln_match_product_ix(const struct vuln_index *ix, const char *product_name,
			  const char *version, const char *distro_hint, struct vuln_hits *out) WUR;
int vuln_match_package_ix(const struct vuln_index *ix, const char *pkg, const char *version,
			  const char *release, struct vuln_hits *out) WUR;

/*
 * vuln_match_product_lazy: vuln_match_product_ix with the explanation left
 * for later: every hit has its CVE, CVSS, severity, CWE, KEV, EPSS,
 * confidence and flags (read from the index, no KB record per hit), and
 * explain set: why, fixed and matched come from the deciding KB row, which
 * vuln_hit_explain (one hit) or vuln_hits_explain (all) reads when a caller
 * shows them. Explained, the hits are exactly vuln_match_product_ix's (same
 * order too: the sort does not read why, fixed or matched). A hint naming
 * a Debian release (the tracker decides and writes its own why) gives hits
 * already explained. Errors as vuln_match_product. Thread safe for
 * distinct out lists.
 */
int vuln_match_product_lazy(const struct vuln_index *ix, const char *product_name,
			    const char *version, const char *distro_hint,
			    struct vuln_hits *out) WUR;
/* vuln_hit_explain: fill why, fixed and matched of a hit that has explain
 * set (from ix, the index that made it); nothing otherwise. Reads the KB
 * row (a few cache misses). Not thread safe for the same hit. */
void vuln_hit_explain(const struct vuln_index *ix, struct vuln_hit *h);
/* vuln_hits_explain: vuln_hit_explain on every hit of h. */
void vuln_hits_explain(const struct vuln_index *ix, struct vuln_hits *h);

/*
 * The short form of a hit, for bulk matching that needs the CVEs and how
 * sure they are but not the details (the agent's inventory summary, a
 * scanner daemon's first pass, the benchmark): no KB record is read per
 * hit (vuln_match_product_ix gives the full hits).
 */
struct vuln_ref {
	char cve[24];	    /* "CVE-2024-6387" */
	uint32_t cve_index; /* the KB's CVE table index (kb_cve_at) */
	uint32_t row;	    /* the KB match row that decided (UINT32_MAX: the tracker) */
	enum check_conf conf;
	unsigned flags; /* enum vuln_hit_flag */
};

/* A list of refs; VULN_REFS_INIT. Not thread safe. */
struct vuln_refs {
	struct vuln_ref *v;
	size_t n, cap;
};

#define VULN_REFS_INIT                                                                             \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
void vuln_refs_release(struct vuln_refs *r);

/*
 * vuln_match_product_refs: vuln_match_product_ix in short form: the same
 * CVEs with the same confidence and flags (one ref per CVE), appended to
 * out in KB CVE order (not sorted worst first: the severity is in the KB
 * record, which this does not read). A hint naming a Debian release (the
 * tracker decides) takes the full path and converts its hits (then worst
 * first, row UINT32_MAX). Errors as
 * vuln_match_product; out is unchanged on error. Thread safe for distinct
 * out lists.
 */
int vuln_match_product_refs(const struct vuln_index *ix, const char *product_name,
			    const char *version, const char *distro_hint,
			    struct vuln_refs *out) WUR;

/* ------------------------------------------------ Debian changelogs */

/* A CVE named in a changelog, and the (oldest) entry version naming it. */
struct vuln_cvefix {
	char cve[24];
	char version[64];
};

/* A sorted set of CVE ids; VULN_CVELIST_INIT. */
struct vuln_cvelist {
	struct vuln_cvefix *v;
	size_t n, cap;
};

#define VULN_CVELIST_INIT                                                                          \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
void vuln_cvelist_release(struct vuln_cvelist *l);
/* vuln_cvelist_has: is cve in l (binary search, case-insensitive)? */
int vuln_cvelist_has(const struct vuln_cvelist *l, const char *cve);

#define VULN_CHANGELOG_MAX ((size_t)16 << 20) /* uncompressed changelog cap */
#define VULN_CHANGELOG_MAX_CVES 20000

/*
 * vuln_changelog_fixed: walk a Debian changelog (debian/changelog syntax,
 * already decompressed: data[0..len), no NUL needed) and collect into out
 * every CVE id ("CVE-YYYY-NNNN...") mentioned in the entries whose version
 * is <= installed_version in dpkg order: the fixes (and backports) the
 * installed build carries. Text before the first entry header and lines
 * longer than 64 KiB are skipped. Bounded: ERR_TOO_BIG over
 * VULN_CHANGELOG_MAX bytes or VULN_CHANGELOG_MAX_CVES ids. out gets the
 * sorted, unique set (merged with what it held). ERR_NOMEM. On error out
 * may hold part of the ids: release it.
 * Caveat (docs/vulns.md): a CVE named as "not affected" or "reverted" is
 * collected too; the changelog is the package maintainer's word.
 */
int vuln_changelog_fixed(const char *data, size_t len, const char *installed_version,
			 struct vuln_cvelist *out) WUR;

/*
 * vuln_changelog_fixed_file: the same for a changelog file, gzip or plain
 * (/usr/share/doc/<pkg>/changelog.Debian.gz), read with zlib up to
 * VULN_CHANGELOG_MAX bytes. ERR_NOTFOUND, ERR_IO, ERR_PARSE (corrupt gzip),
 * ERR_TOO_BIG, ERR_NOMEM.
 */
int vuln_changelog_fixed_file(const char *path, const char *installed_version,
			      struct vuln_cvelist *out) WUR;

/* vuln_hits_drop_fixed: remove the hits whose CVE is in fixed (the agent
 * applies the installed package's changelog this way); returns how many. */
size_t vuln_hits_drop_fixed(struct vuln_hits *h, const struct vuln_cvelist *fixed);

/* ------------------------------------------------------- scanner glue */

/* The most VULN findings one service may produce (worst first). */
#define VULN_MAX_FINDINGS_PER_SERVICE 100

/*
 * vuln_findings_for_service: the VULN-<CVE> findings for a service the
 * scanner identified at target:port: cpe (svc's CPE 2.3 name, may be NULL
 * or "") or else product + version (may be NULL; nothing is reported
 * without a version), extra the banner's remainder ("Debian-2+deb12u3;
 * protocol 2.0", "(Debian)"; may be NULL) used as distribution hint. One
 * finding per CVE: severity from CVSS (>= 9 critical, >= 7 high, >= 4
 * medium, else low) raised one level for KEV; confidence from the match;
 * detail "CVE-2024-6387 (CVSS 8.1, KEV, EPSS 0.93): <why>; fixed in X";
 * evidence the product, version, CPE and hint. Versionless rows are not
 * reported (they say nothing about this version; `wachter vuln lookup
 * --all` lists them). At most VULN_MAX_FINDINGS_PER_SERVICE. A NULL kb or
 * an unknown product adds nothing and returns 0. ERR_NOMEM.
 */
int vuln_findings_for_service(const struct kb *kb, const char *target, int port,
			      const char *product, const char *version, const char *cpe,
			      const char *extra, struct findings *out) WUR;

/* vuln_sev_from_cvss: the severity rule above (score, kev). */
enum check_sev vuln_sev_from_cvss(double cvss, int kev);

/*
 * vuln_cli: "wachter vuln" (argv[0] is "vuln"):
 *   vuln lookup [--kb PATH] [--format text|json] [--distro HINT]
 *               [--release NAME] [--all] (<cpe> | <product> <version>)
 *   vuln package [--kb PATH] [--format text|json] [--changelog FILE]
 *               <pkg> <dpkg-version> <release>
 *   vuln changelog FILE <installed-version>
 *   vuln bench [--kb PATH] [--lookups N] [--inventory N] [--packages FILE]
 *              [--release NAME] [--threads N] [--verify N] [--kb-lookups N]
 * --kb defaults to var/kb/wachter.kb. Returns the exit status: 0 ok,
 * 1 failure, 2 usage.
 */
int vuln_cli(int argc, char **argv);

#endif
