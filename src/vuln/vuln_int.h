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

/* One vendor:product to search: key_* as the KB writes it (CPE 2.3
 * escapes kept), vendor/product unescaped for the target CPE. */
struct vq_vp {
	char part; /* 'a', 'o', 'h' */
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

/* index.c */
const struct kb *vuln_index_kb(const struct vuln_index *ix);
/* one vulnerable row of a product, as the index keeps it */
struct vix_row {
	uint32_t cve, row;		  /* KB CVE index and match row */
	uint32_t ver, upd, start, end;	  /* offsets into the index's pool */
	uint8_t vlen, ulen, vkind, ukind; /* version/update length and enum cpe_kind */
	uint8_t flags;			  /* enum kb_match_flag */
	char part;
	uint8_t slow; /* quoting or wildcards: match from the KB row instead */
	/* the leading two numbers of version, start and end: a quick reject
	 * before the full comparison */
	struct vix_lead {
		uint32_t a, b; /* VIX_NONE when not a clean number */
	} lead_v, lead_s, lead_e;
};
#define VIX_NONE UINT32_MAX
/* vix_lead: the first two numbers of a version ("9.2p1" -> 9, 2); VIX_NONE
 * where the zero-dropping or pre-release rules could interfere */
void vix_lead(const char *v, size_t len, struct vix_lead *out);
/* vix_may_match: 0 when row r cannot match a version with leading numbers
 * lead (1 when unsure) */
int vix_may_match(const struct vix_row *r, const struct vix_lead *lead);
int vix_lookup(const struct vuln_index *ix, const char *key_vendor, const char *key_product,
	       const struct vix_row **rows, size_t *n);
/* vix_row_range: part, version, update and bounds of r into out (the
 * other attributes of out are left as they are) */
void vix_row_range(const struct vuln_index *ix, const struct vix_row *r, struct cpe_range *out);
/* vix_complex: does CVE index cve have an AND or negated node? */
int vix_complex(const struct vuln_index *ix, uint32_t cve);

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

#ifdef WACHTER_TESTING
/* match.c */
int vuln_cpe_fast_parse(const char *s, struct cpe *out);
int vuln_windows_only(const char *desc);
/* changelog.c */
int vuln_changelog_header(const char *p, size_t len, const char **ver, size_t *vlen);
#endif

#endif
