/*
 * feed.h: vulnerability feed importers (NVD JSON 1.1/2.0, CISA KEV, FIRST
 * EPSS, Debian security tracker lists) and the knowledge base (KB) file they
 * build: a compact, memory-mapped, read-only file the matcher looks products
 * and CVEs up in. docs/feeds.md describes the formats and the file layout.
 */
#ifndef WACHTER_FEED_H
#define WACHTER_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* Limits on untrusted feed content. A record over a limit fails the import. */
#define FEED_VERSION_MAX 256	  /* a version string in a cpeMatch range */
#define FEED_CPE_MAX 1024	  /* a CPE URI */
#define FEED_DESC_MAX 2048	  /* a CVE description (longer ones are cut) */
#define FEED_STRING_MAX (1 << 20) /* any JSON string */
#define FEED_LINE_MAX 65536	  /* a line of a text feed */

/* ------------------------------------------------------------ the builder */

/*
 * struct feed_kb_builder: the records of one import run in memory. Feed files
 * are added with feed_import(); feed_kb_write() turns them into a KB file.
 * Re-importing a record replaces it: NVD CVEs by id (the copy with the later
 * lastModified wins, a tie goes to the later import), Debian advisories by id;
 * a KEV catalogue, an EPSS file, a Debian CPE/list or CPE/aliases file is a
 * complete snapshot and replaces the previous one of its kind.
 * After feed_import() fails the builder may hold part of the failed file:
 * release it without writing. Not thread safe.
 */
struct feed_kb_builder;

/* feed_kb_builder_new: an empty builder; ERR_NOMEM. */
int feed_kb_builder_new(struct feed_kb_builder **out) WUR;
/* feed_kb_builder_free: free everything; NULL is fine. */
void feed_kb_builder_free(struct feed_kb_builder *b);

/*
 * feed_kb_builder_load: add every record of an existing KB file (the previous
 * KB) so that an import adds to it. ERR_NOTFOUND when path does not exist
 * (callers usually ignore that), ERR_PARSE when it is not a valid KB.
 */
int feed_kb_builder_load(struct feed_kb_builder *b, const char *path, struct buf *err) WUR;

/* Kinds of feed file, detected from the content (never from the name). */
enum feed_format {
	FEED_FMT_UNKNOWN = 0,
	FEED_FMT_NVD11,		 /* NVD JSON 1.1 feed: {"CVE_Items": [...]} */
	FEED_FMT_NVD20,		 /* NVD JSON 2.0: feed/API {"vulnerabilities": [{"cve": ...}]} */
	FEED_FMT_NVD20_CVE,	 /* one NVD JSON 2.0 CVE object {"id": "CVE-...", ...} */
	FEED_FMT_KEV,		 /* CISA KEV catalogue */
	FEED_FMT_EPSS,		 /* FIRST EPSS CSV */
	FEED_FMT_DEBIAN_ADV,	 /* Debian DSA/list or DLA/list */
	FEED_FMT_DEBIAN_CPE,	 /* Debian CPE/list */
	FEED_FMT_DEBIAN_ALIASES, /* Debian CPE/aliases */
};

/* feed_format_name: a static short name ("nvd-1.1", "kev", ...). */
const char *feed_format_name(enum feed_format f);

/*
 * feed_import: read one feed file (plain or gzip, detected from the bytes)
 * into b. The format is detected from the content. Files are streamed: memory
 * use does not grow with the file, only with the records kept.
 * On failure returns ERR_PARSE (malformed or unrecognised content), ERR_EOF
 * (truncated, e.g. a cut gzip stream), ERR_TOO_BIG (a value over a limit),
 * ERR_EXISTS (the same id twice in the file), ERR_IO, ERR_NOMEM, and puts a
 * one-line message into err (when not NULL) that starts with the path and
 * names the line or record: "path:12: expected ':'" or
 * "path: CVE-2021-1234: versionEndExcluding longer than 256 bytes".
 * fmt_out (may be NULL) receives the detected format on success.
 */
int feed_import(struct feed_kb_builder *b, const char *path, struct logger *lg,
		struct buf *err) WUR;
int feed_import_fmt(struct feed_kb_builder *b, const char *path, struct logger *lg, struct buf *err,
		    enum feed_format *fmt_out) WUR;

/*
 * feed_import_mem: the same for a file already in memory (name is only used
 * in messages). Used by the fuzz targets; gzip is not accepted here.
 */
int feed_import_mem(struct feed_kb_builder *b, const char *name, const void *data, size_t len,
		    struct logger *lg, struct buf *err, enum feed_format *fmt_out) WUR;

/*
 * feed_kb_write: write the builder's records as a KB file at path. The file
 * is written to a temporary file in the same directory, fsync'd and renamed
 * over path, so a failure at any point leaves the previous file untouched.
 * ERR_IO (with err set), ERR_NOMEM, ERR_TOO_BIG (over 4 GiB of tables).
 */
int feed_kb_write(struct feed_kb_builder *b, const char *path, struct buf *err) WUR;

/*
 * feed_status: a human-readable summary of the KB at kb_path appended to out:
 * one "key: value" line per count (NVD CVEs, CVEs with match data, cpeMatch
 * rows, KEV entries, EPSS scores, Debian advisories and CVE fixes, ...),
 * snapshot dates and the file size. Errors as for kb_open().
 */
int feed_status(const char *kb_path, struct buf *out) WUR;

/*
 * feed_cmd: the "wachter feed" subcommand. argv[0] is "feed"; accepted:
 *   feed import [--kb PATH] [--fresh] FILE...   import files into the KB
 *   feed status [--kb PATH]                     print feed_status()
 * --kb defaults to var/kb/wachter.kb; import adds to an existing KB unless
 * --fresh. Prints results to stdout, errors to stderr; returns the process
 * exit code (0 ok, 1 failure, 2 usage).
 */
int feed_cmd(int argc, char **argv, struct logger *lg);

/* -------------------------------------------------------------- the KB */

/*
 * struct kb: an opened KB file, mapped read-only. kb_open validates the
 * header, every table's offset and size and every reference between tables,
 * so lookups need no further checks. Safe to share between threads for
 * lookups after kb_open returns.
 */
struct kb;

/* kb_open: ERR_NOTFOUND (no file), ERR_IO, ERR_PARSE (not a valid KB: bad
 * magic, version, sizes or references), ERR_NOMEM. */
int kb_open(const char *path, struct kb **out) WUR;
/* kb_close: unmap and free; NULL is fine. */
void kb_close(struct kb *kb);

enum kb_severity { KB_SEV_NONE = 0, KB_SEV_LOW, KB_SEV_MEDIUM, KB_SEV_HIGH, KB_SEV_CRITICAL };
const char *kb_severity_name(enum kb_severity s);

/* Bits of kb_cve_info.flags */
enum kb_cve_flag {
	KB_CVE_NVD = 1u << 0,	     /* an NVD record was imported */
	KB_CVE_MATCH = 1u << 1,	     /* it has at least one cpeMatch row */
	KB_CVE_KEV = 1u << 2,	     /* listed in CISA KEV */
	KB_CVE_EPSS = 1u << 3,	     /* has an EPSS score */
	KB_CVE_RANSOMWARE = 1u << 4, /* KEV knownRansomwareCampaignUse "Known" */
	KB_CVE_REJECTED = 1u << 5,   /* NVD marks it rejected */
};

/* A CVE as the KB knows it. Strings point into the mapping: valid until
 * kb_close(); never NULL (empty when unknown). */
struct kb_cve_info {
	char id[32];	      /* "CVE-2021-44228" */
	uint32_t flags;	      /* enum kb_cve_flag */
	double cvss_score;    /* base score 0.0-10.0 (0 when unknown) */
	uint8_t cvss_version; /* 40, 31, 30, 20 or 0 */
	enum kb_severity severity;
	const char *cvss_vector;
	uint32_t cwe;	   /* 79 for CWE-79; 0 none; 1 NVD-CWE-Other; 2 noinfo */
	int64_t published; /* unix seconds, 0 when unknown */
	int64_t last_modified;
	int64_t kev_date_added; /* unix seconds of the day, 0 when not in KEV */
	int64_t kev_due_date;
	double epss;		      /* probability 0..1 */
	double epss_percentile;	      /* 0..1 */
	const char *description;      /* first English description (cut) */
	uint32_t index;		      /* position in the KB's CVE table */
	uint32_t first_node, n_nodes; /* its configuration nodes (kb_node) */
};

/* kb_cve: look a CVE up by id ("CVE-2021-44228", case-insensitive).
 * ERR_NOTFOUND, ERR_INVAL (not a CVE id). Binary search. */
int kb_cve(const struct kb *kb, const char *id, struct kb_cve_info *info) WUR;
/* kb_cve_at: the same by table index (0..kb_cve_count-1); ERR_RANGE. */
int kb_cve_at(const struct kb *kb, uint32_t index, struct kb_cve_info *info) WUR;
uint32_t kb_cve_count(const struct kb *kb);

/* Bits of kb_match.flags */
enum kb_match_flag {
	KB_MATCH_VULNERABLE = 1u << 0,
	KB_MATCH_START_INCL = 1u << 1, /* version >= start */
	KB_MATCH_START_EXCL = 1u << 2, /* version > start */
	KB_MATCH_END_INCL = 1u << 3,   /* version <= end */
	KB_MATCH_END_EXCL = 1u << 4,   /* version < end */
};

/* One cpeMatch row. */
struct kb_match {
	uint32_t index;		    /* row number (kb_match_at) */
	uint32_t cve_index;	    /* kb_cve_at() */
	uint32_t node;		    /* the configuration node holding it (kb_node) */
	uint32_t flags;		    /* enum kb_match_flag */
	const char *cpe;	    /* the CPE 2.3 formatted string, as in the feed */
	const char *vendor_product; /* "vendor:product" from the CPE (escapes kept) */
	const char *version_start;  /* "" unless START_INCL/EXCL */
	const char *version_end;    /* "" unless END_INCL/EXCL */
};

/*
 * Configuration nodes of a CVE, in preorder. A top-level node (parent ==
 * KB_NODE_NONE) is one configuration; the CVE applies when any top-level
 * node matches. A node combines its matches and its children with op
 * (AND/OR); negate inverts the result. NVD 2.0 "configurations[]" entries
 * become top-level nodes whose children are their nodes.
 */
#define KB_NODE_NONE UINT32_MAX
enum kb_node_op { KB_OP_OR = 0, KB_OP_AND = 1 };
struct kb_node {
	uint32_t index;
	uint32_t cve_index;
	uint32_t parent; /* KB_NODE_NONE for a top-level node */
	enum kb_node_op op;
	int negate;
	uint32_t first_match, n_match; /* kb_match_at(first_match + i) */
};

int kb_node(const struct kb *kb, uint32_t index, struct kb_node *out) WUR;
int kb_match_at(const struct kb *kb, uint32_t index, struct kb_match *out) WUR;

/*
 * kb_lookup_product: call cb for every cpeMatch row whose CPE has this vendor
 * and product (exact, as written in CPE 2.3: lower case, escapes kept), in
 * CVE order. Binary search over the product index, no scan. cb returns 0 to
 * go on, non-zero to stop (that value is returned). Returns 0 when done,
 * including when the product is unknown.
 */
typedef int (*kb_match_cb)(const struct kb_match *m, void *ctx);
int kb_lookup_product(const struct kb *kb, const char *vendor, const char *product, kb_match_cb cb,
		      void *ctx) WUR;

/* Debian: one (source package, release, CVE) fix from DSA/DLA lists. */
enum kb_deb_status {
	KB_DEB_FIXED = 0,	 /* fixed in version */
	KB_DEB_NOT_AFFECTED = 1, /* <not-affected> */
	KB_DEB_EOL = 2,		 /* <end-of-life> */
	KB_DEB_OTHER = 3,	 /* another <tag>, kept in version */
};
struct kb_deb_fix {
	const char *package;
	const char *release; /* "bullseye" */
	char cve[32];
	const char *version;  /* fixed version, "" when not fixed */
	const char *advisory; /* "DSA-5376-1" */
	enum kb_deb_status status;
};
typedef int (*kb_deb_cb)(const struct kb_deb_fix *f, void *ctx);
/* kb_debian_fixes: every fix for source package pkg (release NULL = all),
 * ordered by release then CVE. Callback contract as kb_lookup_product. */
int kb_debian_fixes(const struct kb *kb, const char *pkg, const char *release, kb_deb_cb cb,
		    void *ctx) WUR;

/* Debian CPE/list: source package <-> "vendor:product". */
typedef int (*kb_pair_cb)(const char *a, const char *b, void *ctx);
/* kb_debian_cpe_by_package: cb(package, vendor_product) for each CPE of pkg. */
int kb_debian_cpe_by_package(const struct kb *kb, const char *pkg, kb_pair_cb cb, void *ctx) WUR;
/* kb_debian_packages_by_cpe: cb(package, vendor_product) for each source
 * package whose CPE is vendor:product. */
int kb_debian_packages_by_cpe(const struct kb *kb, const char *vendor, const char *product,
			      kb_pair_cb cb, void *ctx) WUR;
/* kb_aliases: cb(vendor_product, NULL) for every member of the alias groups
 * (CPE/aliases) holding vendor:product, the queried one included. */
int kb_aliases(const struct kb *kb, const char *vendor, const char *product, kb_pair_cb cb,
	       void *ctx) WUR;

/* Counts, for status and tests. */
struct kb_counts {
	uint64_t file_size;
	uint32_t cves; /* all CVE records (any source) */
	uint32_t nvd_cves;
	uint32_t nvd_match_cves;
	uint32_t match_rows;
	uint32_t products; /* distinct vendor:product in match rows */
	uint32_t nodes;
	uint32_t kev;
	uint32_t epss;
	uint32_t deb_advisories;
	uint32_t deb_fix_rows;	/* all (package, release, CVE) rows */
	uint32_t deb_cve_fixes; /* rows with a fixed version */
	uint32_t deb_cpe;
	uint32_t alias_groups;
	uint32_t aliases;
};
void kb_counts(const struct kb *kb, struct kb_counts *out);

/* kb_meta: the value of a metadata key ("kev.catalog_version",
 * "epss.score_date", "nvd.timestamp.min", ...), NULL when absent. */
const char *kb_meta(const struct kb *kb, const char *key);

#endif
