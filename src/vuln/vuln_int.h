/*
 * vuln_int.h: private to src/vuln: the query the match functions share, the
 * engine that runs it over the KB, the Debian hint and tracker layer, and
 * the TESTABLE helpers the unit tests reach.
 */
#ifndef WACHTER_VULN_INT_H
#define WACHTER_VULN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "vuln/vuln.h"

#define VQ_MAX_VP 16   /* vendor:product names one query may search */
#define VQ_NAME_MAX 96 /* one vendor or product, escaped */
#define VQ_VERSION_MAX 128
#define VQ_MAX_SRC 4 /* Debian source packages of one product */

struct vix_prod;

/* One vendor:product to search: key_* as the KB writes it (CPE 2.3
 * escapes kept), vendor/product unescaped for the target CPE. */
struct vq_vp {
	char part;		    /* 'a', 'o', 'h' */
	const struct vix_prod *ixp; /* its rows in the index (NULL: none / no index) */
	char key_vendor[VQ_NAME_MAX], key_product[VQ_NAME_MAX];
	char vendor[VQ_NAME_MAX], product[VQ_NAME_MAX];
};

/* What a banner's distribution suffix says. */
struct vq_distro {
	int debian, ubuntu; /* a Debian / Ubuntu build */
	char revision[64];  /* Debian revision from "Debian-2+deb12u3": "2+deb12u3" */
	char release[16];   /* "bookworm" when the revision names it, else "" */
};

struct vuln_query {
	const struct kb *kb;
	const struct vuln_index *ix; /* optional: bulk matching */
	struct vuln_refs *refs;	     /* short form wanted: vq_run fills this, not hits */
	int lazy_why;		     /* hits leave why/fixed/matched to vuln_hit_explain */
	struct vq_vp vps[VQ_MAX_VP];
	size_t nvp;
	char version[VQ_VERSION_MAX]; /* upstream version incl. update ("9.2p1"); "" = unknown */
	const struct cpe_platform *platform;
	unsigned flags; /* enum vuln_flag */
	/* Debian tracker: release and the installed dpkg version to compare
	 * with (deb_no_epoch: compare without epochs, for banner versions) */
	char deb_release[16];
	char deb_version[VQ_VERSION_MAX];
	int deb_no_epoch;
	int deb_cpe_fallback; /* package path: CPE hits are the fallback (<= LOW) */
	char src[VQ_MAX_SRC][64];
	size_t nsrc;
	/* the platform a distribution hint makes known (q->platform points here) */
	struct cpe plat_cpe;
	struct cpe_platform plat;
};

/* vq_ignore: a callback walk whose result does not matter (best effort) */
static inline void vq_ignore(int r)
{
	(void)r;
}

/* match.c */
void vq_init(struct vuln_query *q, const struct kb *kb);
/* vq_add_vp: add vendor:product (escaped "vendor:product" form when
 * escaped is set, else plain names) unless present or full. */
int vq_add_vp(struct vuln_query *q, char part, const char *vendor, size_t vlen, const char *product,
	      size_t plen, int escaped);
/* vq_widen: add the KB aliases and product-table siblings of every vp. */
void vq_widen(struct vuln_query *q);
/* vq_set_cpe: product and version from a CPE name; ERR_PARSE. */
int vq_set_cpe(struct vuln_query *q, const char *cpe23) WUR;
/* vq_add_product_name: vendor:product pairs for a banner/package name. */
void vq_add_product_name(struct vuln_query *q, const char *name);
/* vq_set_hint: what a distribution hint says (platform, backports, the
 * tracker release and build version when the revision names them). */
void vq_set_hint(struct vuln_query *q, const char *hint);
/* vq_finish: widen, run, let the tracker decide, sort; on error out is
 * cut back to n0 hits. */
int vq_finish(struct vuln_query *q, struct vuln_hits *out, size_t n0) WUR;
/* vq_run: the CPE part of a query: hits (one per CVE) appended to out. */
int vq_run(const struct vuln_query *q, struct vuln_hits *out) WUR;
/* vq_hit_fill: the CVE fields of a hit from the KB (cve, CVSS, KEV, ...). */
void vq_hit_fill(const struct kb *kb, const struct kb_cve_info *info, struct vuln_hit *h);

/* debian.c */
void vq_distro_parse(const char *hint, struct vq_distro *d);
/* vq_debian_release: "bookworm" for "12", "deb12u3" style numbers. */
const char *vq_debian_release(unsigned major);
/* vq_tracker_apply: let the Debian tracker decide the hits of q (when
 * q->deb_release and q->deb_version are set) and add its open CVEs. */
int vq_tracker_apply(const struct vuln_query *q, struct vuln_hits *out) WUR;
/* vq_sources_for_vps: the Debian source packages of q's products. */
void vq_sources_for_vps(struct vuln_query *q);

/* vkey.c: version keys: memcmp order of two keys is version_cmp_upstream
 * order of their versions, equal keys are equal versions */
#define VIX_KEY_MAX 1024
/* vkey_encode: the key of v[0..len) into out[0..cap); -1 when longer */
int vkey_encode(const char *v, size_t len, uint8_t *out, size_t cap, size_t *outlen);
int vkey_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);
/* vkey_prefix: the first 8 bytes of a key (zero-padded) as a big-endian
 * number: ordered like the keys as far as it goes */
uint64_t vkey_prefix(const uint8_t *k, size_t n);
/* vkey_base_len: v without a trailing post-release suffix ("9.1p1" -> 3),
 * as cpe_version_base_len */
size_t vkey_base_len(const char *v, size_t len);

/* index.c */
const struct kb *vuln_index_kb(const struct vuln_index *ix);

/* How a row's version is decided (cpe_range_match_cpe for a product that
 * states only part, vendor, product and version). */
enum vix_kind {
	VIX_ALL = 0,	  /* versionless ("*" without bounds, or "-"): LOW, ALL_VERSIONS */
	VIX_EXACT,	  /* the key (version, update appended) must equal the product's */
	VIX_EXACT_ANYUPD, /* the same; update "*": also the product without its suffix */
	VIX_RANGE,	  /* the bounds decide */
	VIX_SLOW	  /* quoting or wildcards: match from the KB row */
};

/* one row as the index keeps it */
struct vix_row {
	uint64_t pre, epre; /* vkey_prefix of key, of the end key */
	uint32_t key, ekey; /* key pool offsets: the version (EXACT) or start; end */
	uint32_t cve;	    /* KB CVE index */
	union {
		uint32_t row;	/* the KB match row (a product's rows) */
		uint32_t canon; /* its vendor:product's canon id (configuration rows) */
	};
	uint16_t klen, eklen;
	uint8_t kind;  /* enum vix_kind */
	uint8_t flags; /* enum kb_match_flag */
	char part;     /* 'a', 'o', 'h'; 0 = any; '-' = none */
	uint8_t pad;
};

/* bits of vix_prod.flags */
enum { VIXP_TABLE = 1, VIXP_ALIASES = 2 };

/* one vendor:product: rows [first, first + nexact) are its exact rows
 * sorted by key, then nother rows of the other kinds in KB order */
struct vix_prod {
	uint32_t hash;	/* of vp */
	uint8_t flags;	/* VIXP_TABLE: in the product table; VIXP_ALIASES */
	char ikey[35];	/* vp when it fits (compared without touching the KB), else "" */
	const char *vp; /* interned in the KB; NULL: an empty slot of the table */
	uint32_t first, nexact, nother;
	uint32_t canon; /* same id = same vendor:product after unescaping */
};

/* the product's version, keyed once per query */
struct vix_qver {
	uint8_t f[VIX_KEY_MAX], b[VIX_KEY_MAX];
	size_t fn, bn;
	uint64_t fpre, bpre;
	int has_base; /* a post-release suffix to drop for update guesses */
};

/* bits of vix_cve_flags */
enum {
	VIXC_REJECTED = 1,
	VIXC_COMPLEX = 2,  /* some node is AND or negated */
	VIXC_FALLBACK = 4, /* complex, but only build_config can evaluate it */
	VIXC_WIN_OR = 8,   /* Windows-only description, no Windows row (OR path) */
	VIXC_WIN_CX = 16,  /* the same over the configuration's row span */
	VIXC_KNOWN = 128   /* the index looked at this CVE */
};

/* vix_qver_set: key version v; -1 when too long for keys */
int vix_qver_set(struct vix_qver *qv, const char *v);
/* vix_find: the product whose KB key is key_vendor:key_product */
const struct vix_prod *vix_find(const struct vuln_index *ix, const char *key_vendor,
				const char *key_product);
const struct vix_row *vix_rows(const struct vuln_index *ix, const struct vix_prod *p);
/* vix_prefetch: start loading p's rows (the query has other work before
 * it reads them) */
void vix_prefetch(const struct vuln_index *ix, const struct vix_prod *p);
/* vix_exact_lower: the first of p's exact rows whose key is >= k */
size_t vix_exact_lower(const struct vuln_index *ix, const struct vix_prod *p, const uint8_t *k,
		       size_t kn, uint64_t kpre);
/* vix_key_eq: is r's key k? */
int vix_key_eq(const struct vuln_index *ix, const struct vix_row *r, const uint8_t *k, size_t kn,
	       uint64_t kpre);
/* vix_row_match: cpe_range_match_cpe of a non-SLOW row for version qv
 * (part, vendor and product already known to match) */
void vix_row_match(const struct vuln_index *ix, const struct vix_row *r, const struct vix_qver *qv,
		   struct cpe_result *res);
unsigned vix_cve_flags(const struct vuln_index *ix, uint32_t cve);
void vix_prefetch_cve(const struct vuln_index *ix, uint32_t cve);
/* vix_cve_id: the id of CVE index cve into out ("CVE-2024-6387"); -1 when
 * the index did not keep it */
int vix_cve_id(const struct vuln_index *ix, uint32_t cve, char out[24]);
/* vix_hit_fill: the CVE fields of a hit for CVE index cve from the index's
 * record, as vq_hit_fill from kb_cve_at would; -1 when the index did not
 * keep them (then read the KB) */
int vix_hit_fill(const struct vuln_index *ix, uint32_t cve, struct vuln_hit *h);
/* vix_cx_eval: cpe_config_eval of complex CVE cve for a product of canon
 * id canon and part, version qv, on a platform without CPEs (NULL is
 * fine); the CVE must not be VIXC_FALLBACK */
void vix_cx_eval(const struct vuln_index *ix, uint32_t cve, uint32_t canon, char part,
		 const struct vix_qver *qv, const struct cpe_platform *pl, struct cpe_result *res);

/* match.c: the borrowed CPE 2.3 pieces the index is built from */
int vuln_cpe_fast_attr(const char *s, size_t n, struct cpe_attr *a);
int vuln_row_fields(const char *s, const char *f[3], size_t n[3]);

/* hits.c */
int vuln_hits_push(struct vuln_hits *h, const struct vuln_hit *hit) WUR;
void vuln_hits_remove_at(struct vuln_hits *h, size_t i);
int vuln_cvelist_add(struct vuln_cvelist *l, const char *cve, size_t len, const char *version) WUR;
void vuln_cvelist_sort(struct vuln_cvelist *l);
void vuln_why_append(struct vuln_hit *h, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* bench */
int vuln_bench_cli(int argc, char **argv);

/* match.c: does a description limit the CVE to Windows? */
int vuln_windows_only(const char *desc);

#ifdef WACHTER_TESTING
/* match.c */
int vuln_cpe_fast_parse(const char *s, struct cpe *out);
/* changelog.c */
int vuln_changelog_header(const char *p, size_t len, const char **ver, size_t *vlen);
#endif

#endif
