/*
 * cpe.h: the public interface of src/cpe: version ordering (upstream, dpkg,
 * rpm), CPE 2.3 names (parse, format, NISTIR 7696 name matching), NVD
 * cpeMatch rows with version ranges, NVD configuration trees evaluated
 * against a product and what we know about its host, and the table that maps
 * banner/package names to CPE vendor:product. The rules and the traps they
 * avoid are written down in docs/matching.md.
 */
#ifndef WACHTER_CPE_H
#define WACHTER_CPE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"

/* ------------------------------------------------------- version ordering */

/*
 * All three comparators return -1, 0 or 1 (a < b, a == b, a > b). They take
 * untrusted bytes with their length (no NUL needed, embedded NULs are just
 * bytes), never allocate, never fail, run in O(alen + blen) and compare
 * number runs of any length exactly (leading zeros stripped, then by length,
 * then digit by digit). cmp(a, b) == -cmp(b, a) for all inputs. Thread safe.
 */

/*
 * version_cmp_upstream: upstream/NVD version strings. Tokens are runs of
 * digits or of ASCII letters; every other byte separates. Numbers compare
 * numerically, letter runs case-insensitively ("1.0.1f" < "1.0.1g",
 * "1.0.2z" < "1.0.2zg"). The words dev < alpha < beta < pre/preview < rc
 * are pre-releases and sort before the release ("2.0rc1" < "2.0",
 * "2.0-beta" < "2.0"); any other letter run is a post-release suffix and
 * sorts after it ("9.2p1" < "9.3" < "9.3p1"); a number beats a letter run at
 * the same position. Zero numbers before the end or before a pre-release word
 * are dropped, so "2.0" == "2.0.0" and "2.0.0rc1" == "2.0rc1".
 */
int version_cmp_upstream(const char *a, size_t alen, const char *b, size_t blen);

/*
 * version_cmp_dpkg: Debian policy 5.6.12 "[epoch:]upstream[-revision]":
 * epochs, then upstream versions, then revisions, each with dpkg's
 * verrevcmp ("~" before everything, even the end; letters before other
 * non-digits; digit runs numerically). Malformed input is still ordered
 * totally (a non-numeric epoch is compared with the same algorithm).
 */
int version_cmp_dpkg(const char *a, size_t alen, const char *b, size_t blen);

/*
 * version_cmp_rpm: rpmvercmp() of rpm >= 4.15 on one version or release
 * string: alphanumeric segments, numbers newer than letters, "~" sorts
 * before anything, "^" after the base version but before anything else.
 */
int version_cmp_rpm(const char *a, size_t alen, const char *b, size_t blen);

/*
 * version_cmp_rpm_evr: "[epoch:]version[-release]" as rpm compares
 * packages: epoch numerically (missing = 0), then version, then release
 * with rpmvercmp (the release only when both have one).
 */
int version_cmp_rpm_evr(const char *a, size_t alen, const char *b, size_t blen);

/*
 * version_dpkg_upstream: the upstream part of a Debian version without
 * epoch and revision ("1:9.2p1-2+deb12u3" -> "9.2p1"), as an offset and
 * length into v. Never fails; an empty upstream gives length 0.
 */
void version_dpkg_upstream(const char *v, size_t len, size_t *off, size_t *outlen);

/* ------------------------------------------------------------- CPE names */

#define CPE_MAX_LEN 1024 /* longest CPE string cpe_parse accepts */

/* The eleven WFN attributes, in formatted-string order. */
enum cpe_attr_id {
	CPE_PART = 0,
	CPE_VENDOR,
	CPE_PRODUCT,
	CPE_VERSION,
	CPE_UPDATE,
	CPE_EDITION,
	CPE_LANGUAGE,
	CPE_SW_EDITION,
	CPE_TARGET_SW,
	CPE_TARGET_HW,
	CPE_OTHER,
	CPE_NATTR
};

enum cpe_kind {
	CPE_ANY = 0, /* "*": any value (also: not known) */
	CPE_NA,	     /* "-": not applicable, no value */
	CPE_VALUE    /* a value, possibly with wildcards at its ends */
};

/* A wildcard at one end of a value: none, "*" (any run), or n times "?". */
#define CPE_WILD_STAR 0xffffu

/*
 * struct cpe_attr: one attribute. For CPE_VALUE, v[0..len) holds the value
 * with the escapes removed (the literal characters) and is NUL-terminated;
 * pre/post say which wildcard stood before/after it: 0 none, CPE_WILD_STAR
 * for "*", n for n question marks. A value may be empty only when a
 * wildcard stands next to it ("?" alone: pre=1, len=0).
 */
struct cpe_attr {
	enum cpe_kind kind;
	unsigned short pre;
	unsigned short post;
	const char *v;
	size_t len;
};

/*
 * struct cpe: a parsed CPE name (a WFN). attr[] is indexed by enum
 * cpe_attr_id; part is "a", "o" or "h" (or ANY). mem owns the value bytes
 * when the cpe came from cpe_parse/cpe_copy; a cpe built by hand with
 * cpe_set may point to borrowed strings and has mem == NULL.
 */
struct cpe {
	struct cpe_attr attr[CPE_NATTR];
	char *mem;
};

/* cpe_init: every attribute ANY, nothing owned. */
void cpe_init(struct cpe *c);
/* cpe_release: free what c owns; c becomes all-ANY again. NULL is fine. */
void cpe_release(struct cpe *c);

/*
 * cpe_parse: parse the CPE 2.3 formatted string binding
 * ("cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*", backslash quoting, "*"
 * and "?" wildcards only at the ends of a value) or the CPE 2.2 URI binding
 * ("cpe:/a:openbsd:openssh:9.2p1", percent-encoding, "%01"/"%02" wildcards,
 * packed "~" edition, missing trailing components = ANY). The prefix is
 * case-insensitive; values keep their case (matching ignores ASCII case).
 * On success *out owns a copy (cpe_release it); on error *out is untouched.
 * Errors: ERR_TOO_BIG (s, or the name's 2.3 form, is longer than
 * CPE_MAX_LEN; so every parsed name formats and re-parses), ERR_PARSE
 * (anything malformed:
 * wrong prefix, wrong number of fields, bad escape, wildcard inside a value,
 * control or non-ASCII bytes, bad part), ERR_NOMEM.
 */
int cpe_parse(const char *s, size_t len, struct cpe *out) WUR;

/* cpe_copy: deep copy of src into *dst (cpe_release it). ERR_NOMEM. */
int cpe_copy(struct cpe *dst, const struct cpe *src) WUR;

/*
 * cpe_set: point attribute id of c at the borrowed literal s[0..len) (no
 * wildcards; "*" and "-" are plain characters here). s must outlive c. Used
 * to describe a product found on a host without parsing a string.
 */
void cpe_set(struct cpe *c, enum cpe_attr_id id, const char *s, size_t len);

/*
 * cpe_format: append c as a CPE 2.3 formatted string to b, quoting every
 * character other than letters, digits, "_", "." and "-" (and a lone "-").
 * cpe_parse(cpe_format(c)) equals c. ERR_TOO_BIG / ERR_NOMEM from the buf.
 */
int cpe_format(const struct cpe *c, struct buf *b) WUR;

/* NISTIR 7696 attribute relations (source compared to target). */
enum cpe_rel {
	CPE_REL_DISJOINT = 0,
	CPE_REL_SUBSET,
	CPE_REL_SUPERSET,
	CPE_REL_EQUAL,
	CPE_REL_UNDEFINED
};

/*
 * cpe_attr_compare: the relation of source attribute s to target t per
 * NISTIR 7696 table 6-2: ANY is a superset of everything, NA equals only NA,
 * a value with wildcards is a superset of the values it matches, a target
 * with wildcards is UNDEFINED. Value comparison ignores ASCII case.
 */
enum cpe_rel cpe_attr_compare(const struct cpe_attr *s, const struct cpe_attr *t);

/*
 * cpe_match: true when pattern names a set that contains target: every
 * attribute's relation is SUPERSET or EQUAL (NISTIR 7696 CPE_NAME_MATCH).
 */
bool cpe_match(const struct cpe *pattern, const struct cpe *target);

/* cpe_attr_eq_str: the attribute is a value without wildcards equal (ASCII
 * case-insensitive) to s[0..len). */
bool cpe_attr_eq_str(const struct cpe_attr *a, const char *s, size_t len);

/* ------------------------------------------------------------ ranges */

/* How sure a match is; ordered, MATCH_NONE is "no match". */
enum match_conf { MATCH_NONE = 0, MATCH_LOW, MATCH_MEDIUM, MATCH_HIGH };

/* Why a match is less than sure: bits in cpe_result.flags. */
enum cpe_match_flag {
	CPE_MF_ALL_VERSIONS = 1 << 0,	  /* versionless row: every version */
	CPE_MF_VERSION_UNKNOWN = 1 << 1,  /* the product's version is not known */
	CPE_MF_UPDATE_GUESS = 1 << 2,	  /* matched "9.1:*" or "<= 9.8" via 9.1p1/9.8p1 */
	CPE_MF_PLATFORM_UNKNOWN = 1 << 3, /* an AND config's platform part is not known */
	CPE_MF_NEGATED = 1 << 4		  /* a negated node decided the result */
};

struct cpe_result {
	enum match_conf conf;
	unsigned flags; /* enum cpe_match_flag bits */
};

/* Which version bound of a range. */
enum cpe_bound { CPE_START_INCL = 0, CPE_START_EXCL, CPE_END_INCL, CPE_END_EXCL };

/*
 * struct cpe_range: one NVD cpeMatch row: a CPE (the criteria) plus optional
 * versionStart{In,Ex}cluding / versionEnd{In,Ex}cluding bounds and the
 * vulnerable flag. start/end are NULL when absent, else owned
 * NUL-terminated copies.
 */
struct cpe_range {
	struct cpe cpe;
	char *start;
	char *end;
	bool start_incl;
	bool end_incl;
	bool vulnerable;
};

/*
 * cpe_range_init: parse criteria (as cpe_parse) into *r with no bounds.
 * Errors as cpe_parse; *r is untouched on error. Release with
 * cpe_range_release.
 */
int cpe_range_init(struct cpe_range *r, const char *criteria, size_t len, bool vulnerable) WUR;

/*
 * cpe_range_set_bound: set one bound to a copy of v[0..len) (at most 256
 * bytes). An empty v sets nothing and returns 0 (the NVD 1.1 feeds hold
 * rows with "" bounds). ERR_INVAL when the other bound of the same side
 * (start or end) is already set, ERR_TOO_BIG, ERR_NOMEM.
 */
int cpe_range_set_bound(struct cpe_range *r, enum cpe_bound which, const char *v, size_t len) WUR;

void cpe_range_release(struct cpe_range *r);

/*
 * cpe_range_match_cpe: does the product described by target (part, vendor,
 * product, version, update; the other attributes ANY when unknown) fall in
 * r? Sets *res (conf MATCH_NONE when not). Part/vendor/product must match
 * (wildcards allowed in r). The version rules (docs/matching.md):
 *  - r has bounds: the product version (with its update appended:
 *    "9.2" + "p1" -> "9.2p1") is compared with version_cmp_upstream: HIGH.
 *    An end-including bound X also takes X plus a post-release suffix
 *    ("<= 9.8" takes "9.8p1"): MEDIUM + UPDATE_GUESS.
 *  - r names a version (and update): equal full versions: HIGH; r's update
 *    ANY and the product's version without its trailing letter suffix
 *    equal ("9.1:*" vs "9.1p1"): MEDIUM + UPDATE_GUESS; r's update "-"
 *    needs a product without update.
 *  - r's version ANY without bounds: LOW + ALL_VERSIONS; r's version NA
 *    ("-", which NVD also uses for "not stated"): HIGH for a product
 *    without version, else LOW + ALL_VERSIONS.
 *  - the product's version is ANY or empty: LOW + VERSION_UNKNOWN.
 * Other attributes (edition, target_sw, ...) must not be DISJOINT when
 * the target states them; an unknown (ANY) target attribute is accepted.
 * A target version plus update over 2 KiB (only possible via cpe_set)
 * never matches. Pure function, thread safe.
 */
void cpe_range_match_cpe(const struct cpe_range *r, const struct cpe *target,
			 struct cpe_result *res);

/* cpe_range_match: cpe_range_match_cpe for an application given as strings
 * (update may be NULL/empty; "9.2p1" alone works as well as "9.2" + "p1"). */
enum match_conf cpe_range_match(const struct cpe_range *r, const char *vendor, size_t vendor_len,
				const char *product, size_t product_len, const char *version,
				size_t version_len, const char *update, size_t update_len);

/* ------------------------------------------------------- configurations */

enum cpe_op { CPE_OP_OR = 0, CPE_OP_AND };

/*
 * struct cpe_node: a node of an NVD configuration: an operator over its
 * cpeMatch rows and its child nodes (NVD 1.1 nests children; NVD 2.0's
 * configuration is a node whose children are its nodes), optionally negated.
 */
struct cpe_node {
	enum cpe_op op;
	bool negate;
	struct cpe_range *rows;
	size_t nrows, rows_cap;
	struct cpe_node **children;
	size_t nchildren, children_cap;
	unsigned depth; /* the root is 0 */
};

/* struct cpe_config: one configuration tree; owns all its nodes and rows. */
struct cpe_config {
	struct cpe_node *root;
	size_t nnodes; /* capped at CPE_CONFIG_MAX_NODES */
	size_t nrows;  /* capped at CPE_CONFIG_MAX_ROWS */
};

#define CPE_CONFIG_MAX_NODES 4096
#define CPE_CONFIG_MAX_ROWS 65536
#define CPE_CONFIG_MAX_DEPTH 16

/* cpe_config_new: an empty configuration whose root is an OR node, or NULL
 * when out of memory. cpe_config_free(NULL) is fine. Not thread safe while
 * being built; evaluation of a finished config is thread safe. */
struct cpe_config *cpe_config_new(void) WUR;
void cpe_config_free(struct cpe_config *cfg);

/*
 * cpe_config_add_node: a new empty child of parent (NULL = the root) with
 * operator op; *out points at it (owned by cfg). ERR_TOO_BIG over
 * CPE_CONFIG_MAX_NODES or CPE_CONFIG_MAX_DEPTH, ERR_NOMEM.
 */
int cpe_config_add_node(struct cpe_config *cfg, struct cpe_node *parent, enum cpe_op op,
			bool negate, struct cpe_node **out) WUR;

/* cpe_config_set_root_op: operator and negation of the root (NVD 2.0's
 * configuration-level "operator"/"negate"). */
void cpe_config_set_root_op(struct cpe_config *cfg, enum cpe_op op, bool negate);

/*
 * cpe_config_add_row: move *row into node (takes ownership: *row is left
 * empty as after cpe_range_release, also on error). ERR_TOO_BIG over
 * CPE_CONFIG_MAX_ROWS, ERR_NOMEM.
 */
int cpe_config_add_row(struct cpe_config *cfg, struct cpe_node *node, struct cpe_range *row) WUR;

/* What the platform set knows for sure (bits in cpe_platform.known). */
enum cpe_platform_known {
	CPE_PLAT_OS = 1 << 0,  /* the OS is known: other "o" rows are false */
	CPE_PLAT_HW = 1 << 1,  /* the hardware is known: other "h" rows are false */
	CPE_PLAT_APPS = 1 << 2 /* the software inventory is complete */
};

/*
 * struct cpe_platform: what we know about the host the product runs on:
 * CPEs of its OS, hardware and other software (borrowed), and which parts
 * of that knowledge are complete. NULL or {0} means "unknown".
 */
struct cpe_platform {
	const struct cpe *cpes;
	size_t ncpes;
	unsigned known; /* enum cpe_platform_known bits */
};

/*
 * cpe_config_eval: does cfg say that product_cpe (an application or OS
 * with its version, as in cpe_range_match_cpe) on platform is vulnerable?
 * Three-valued: rows about the product come from the range rules; other
 * rows are looked up in the platform set (true if a platform CPE matches,
 * false if that part of the platform is known, else unknown). AND/OR/negate
 * combine them; the result is a match only when a vulnerable=true row
 * matched the product. conf is the lowest confidence on the deciding path;
 * an unknown platform part caps it at LOW (+ PLATFORM_UNKNOWN); a known
 * platform that does not match gives no match. Pure, thread safe.
 */
void cpe_config_eval(const struct cpe_config *cfg, const struct cpe_platform *platform,
		     const struct cpe *product_cpe, struct cpe_result *res);

/*
 * cpe_configs_eval: a CVE applies when any of its configurations does:
 * the result of cpe_config_eval over cfgs[0..n) with the highest
 * confidence (the first one on ties). NULL entries are skipped.
 */
void cpe_configs_eval(struct cpe_config *const *cfgs, size_t n, const struct cpe_platform *platform,
		      const struct cpe *product_cpe, struct cpe_result *res);

/* ------------------------------------------------------ product table */

/* struct cpe_product: a name seen in banners or package lists and the CPE
 * vendor:product NVD uses for it (a name may have several). */
struct cpe_product {
	const char *name; /* lower case */
	char part;	  /* 'a' or 'o' */
	const char *vendor;
	const char *product;
};

/*
 * cpe_products_lookup: the entries for name[0..len) (ASCII
 * case-insensitive): *out points at the first of *n consecutive entries in
 * a static table. ERR_NOTFOUND (with *n = 0) when unknown. Thread safe.
 */
int cpe_products_lookup(const char *name, size_t len, const struct cpe_product **out, size_t *n);

/*
 * cpe_product_cpe: fill *out (cpe_init'ed here) with p's part, vendor and
 * product and the given version and update (either may be NULL/empty =
 * unknown). *out borrows all strings: p is static, version/update must
 * outlive *out; do not cpe_release it.
 */
void cpe_product_cpe(const struct cpe_product *p, const char *version, size_t version_len,
		     const char *update, size_t update_len, struct cpe *out);

/* cpe_products_all: the whole table (sorted by name), for listings. */
const struct cpe_product *cpe_products_all(size_t *n);

#endif
