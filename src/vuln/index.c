/*
 * index.c: an in-memory index over a KB for bulk matching. Per product, its
 * vulnerable rows are copied into one block: the exact-version rows sorted by
 * version key (one binary search per lookup), then versionless and range
 * rows. Versions are pre-encoded as keys (vkey.c) so every comparison is a
 * memcmp. Per CVE: rejected, complex, the Windows-only rule; complex CVEs
 * keep a compact copy of their configuration, evaluated without rebuilding.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "vuln/vuln_int.h"

/* a compact node of a complex CVE's configuration; indices are local */
struct vix_node {
	uint32_t first_row, nrows; /* into the CVE's row span */
	uint32_t first_child, next;
	uint8_t op, negate;
};
#define VIX_NIL UINT32_MAX

struct vix_cx {
	uint32_t node0, nnodes, row0, nrows; /* into cxnodes, cxrows */
	uint32_t first_child;		     /* the root's first child */
};

/* bits of vix_cve.dflags */
enum { VIXD_OK = 1, VIXD_KEV = 2, VIXD_RANSOM = 4 };

/* One CVE: what a candidate needs (flags, configuration) and what its hit
 * shows (the KB record's fields, so no KB record is read per hit). 32
 * bytes: one cache line holds two. */
struct vix_cve {
	uint32_t id;		 /* (year - 1990) << 24 | number, 0 = not kept */
	uint32_t cx;		 /* its vix_cx + 1, 0 = none */
	uint32_t cwe;		 /* as kb_cve_info.cwe */
	uint32_t epss, epss_pct; /* x 1e9, exact (VIXD_OK) */
	uint32_t vec;		 /* CVSS vector: vpool offset + 1, 0 = "" */
	uint8_t flags;		 /* VIXC_* */
	uint8_t dflags;		 /* VIXD_*: VIXD_OK when the fields below are kept */
	uint8_t score10;	 /* CVSS base score x 10, exact */
	uint8_t cvss_version;
	uint8_t severity; /* enum kb_severity */
};

struct vuln_index {
	const struct kb *kb;
	struct vix_prod *prods;
	size_t nprods;
	size_t mask;
	struct vix_row *rows;
	size_t nrows;
	uint8_t *keys; /* version keys */
	size_t keys_len, keys_cap;
	struct vix_cve *cves; /* per CVE: what a candidate needs, in one place */
	struct vix_cx *cx;
	size_t ncx, cx_cap;
	struct vix_node *cxnodes;
	size_t ncxnodes, cxnodes_cap;
	struct vix_row *cxrows;
	uint32_t *cxd; /* per cxrow: canon id | part << 24 */
	size_t ncxrows, cxrows_cap;
	/* canonical vendor:product names -> ids */
	char *cpool;
	size_t cpool_len, cpool_cap;
	uint32_t *cslots; /* cpool offset + 1 */
	size_t cmask, ncanon;
	/* the distinct CVSS vectors (a few thousand), so a hit's vector is
	 * read from a small, warm table */
	char *vpool;
	size_t vpool_len, vpool_cap;
	uint32_t *vslots; /* vpool offset + 1; freed after the build */
	size_t vmask, nvec;
	size_t bytes;
};

static uint32_t hash_mem(uint32_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * big_alloc: n bytes (zeroed when asked) for one of the large tables, on
 * transparent huge pages where the kernel offers them: lookups touch the
 * tables at random, and 2 MiB pages spare a TLB miss per touch. free()s.
 */
static void *big_alloc(size_t n, int zero)
{
	const size_t al = (size_t)2 << 20;
	void *p;

	if (n < al)
		return zero ? calloc(1, n ? n : 1) : malloc(n ? n : 1);
	p = aligned_alloc(al, (n + al - 1) / al * al);
	if (!p)
		return NULL;
	(void)madvise(p, n, MADV_HUGEPAGE); /* best effort */
	if (zero)
		memset(p, 0, n);
	return p;
}

/* big_move: *p (n bytes, from malloc/realloc) onto big_alloc memory */
static void big_move(void **p, size_t n)
{
	void *np;

	if (!*p || n < ((size_t)2 << 20) || !(np = big_alloc(n, 0)))
		return;
	memcpy(np, *p, n);
	free(*p);
	*p = np;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return ERR_NOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

/* ---------------------------------------------------------- keys */

static int key_add(struct vuln_index *ix, const char *v, size_t n, uint32_t *off, uint16_t *len,
		   uint64_t *pre)
{
	uint8_t k[VIX_KEY_MAX];
	size_t kn;

	if (vkey_encode(v, n, k, sizeof(k), &kn) != 0 || kn > UINT16_MAX)
		return -1;
	if (ix->keys_len + kn > UINT32_MAX)
		return ERR_TOO_BIG;
	if (grow((void **)&ix->keys, &ix->keys_cap, ix->keys_len + kn, 1) != 0)
		return ERR_NOMEM;
	memcpy(ix->keys + ix->keys_len, k, kn);
	*off = (uint32_t)ix->keys_len;
	*len = (uint16_t)kn;
	if (pre)
		*pre = vkey_prefix(k, kn);
	ix->keys_len += kn;
	return 0;
}

static int canon_name(const char *vp, char *out, size_t size);

/* is the parsed cpe's vendor:product that of the KB key vp (unescaped,
 * case-insensitive, no wildcards)? */
static int parsed_names_key(const struct cpe *c, const char *vp)
{
	const struct cpe_attr *v = &c->attr[CPE_VENDOR], *p = &c->attr[CPE_PRODUCT];
	char want[512], got[512];

	if (v->kind != CPE_VALUE || p->kind != CPE_VALUE || v->pre || v->post || p->pre ||
	    p->post || v->len + p->len + 2 > sizeof(got) || canon_name(vp, want, sizeof(want)))
		return 0;
	memcpy(got, v->v, v->len);
	got[v->len] = '\x01';
	memcpy(got + v->len + 1, p->v, p->len);
	got[v->len + 1 + p->len] = '\0';
	return strcasecmp(got, want) == 0;
}

/* part, version and update of row m as the KB walk reads them: the three
 * fields when unquoted, else (quoting) the full parse, whose vendor and
 * product must then be the key's (the walk compares them). -1: leave the
 * row to the KB walk. */
static int row_attrs(const struct kb_match *m, struct cpe *tmp, struct cpe_attr *pa,
		     struct cpe_attr *va, struct cpe_attr *ua)
{
	const char *f[3];
	size_t n[3];

	if (strncmp(m->cpe, "cpe:2.3:", 8) != 0)
		return -1;
	if (vuln_row_fields(m->cpe, f, n) == 0) {
		if (n[0] != 1 || vuln_cpe_fast_attr(f[0], n[0], pa) ||
		    vuln_cpe_fast_attr(f[1], n[1], va) || vuln_cpe_fast_attr(f[2], n[2], ua))
			return -1;
		return 0;
	}
	if (cpe_parse(m->cpe, strlen(m->cpe), tmp) != 0)
		return -1;
	if (!parsed_names_key(tmp, m->vendor_product))
		return -1;
	*pa = tmp->attr[CPE_PART];
	*va = tmp->attr[CPE_VERSION];
	*ua = tmp->attr[CPE_UPDATE];
	if (pa->kind == CPE_VALUE && pa->len != 1)
		return -1;
	return 0;
}

static int fill_row_attrs(struct vuln_index *ix, const struct kb_match *m, struct vix_row *r,
			  struct cpe *tmp)
{
	struct cpe_attr pa, va, ua;
	char full[2 * 256 + 4];
	size_t fl;
	int bounds = (m->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL | KB_MATCH_END_INCL |
				  KB_MATCH_END_EXCL)) != 0;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->cve = m->cve_index;
	r->row = m->index;
	r->flags = (uint8_t)m->flags;
	r->kind = VIX_SLOW;
	if (row_attrs(m, tmp, &pa, &va, &ua) != 0 || va.pre || va.post || ua.pre || ua.post ||
	    pa.pre || pa.post)
		return 0;
	r->part = pa.kind == CPE_ANY ? 0 : pa.kind == CPE_NA ? '-' : pa.v[0];
	if ((va.kind == CPE_ANY && !bounds) || va.kind == CPE_NA) {
		r->kind = VIX_ALL;
		return 0;
	}
	if (bounds) {
		if ((m->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) &&
		    (rc = key_add(ix, m->version_start, strlen(m->version_start), &r->key, &r->klen,
				  &r->pre)) != 0)
			return rc < 0 ? 0 : rc;
		if ((m->flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) &&
		    (rc = key_add(ix, m->version_end, strlen(m->version_end), &r->ekey, &r->eklen,
				  &r->epre)) != 0)
			return rc < 0 ? 0 : rc;
		r->kind = VIX_RANGE;
		return 0;
	}
	if (va.len > 256 || ua.len > 256)
		return 0;
	memcpy(full, va.v, va.len);
	fl = va.len;
	if (ua.kind == CPE_VALUE) {
		if (ua.v[0] >= '0' && ua.v[0] <= '9')
			full[fl++] = '.';
		memcpy(full + fl, ua.v, ua.len);
		fl += ua.len;
	}
	if ((rc = key_add(ix, full, fl, &r->key, &r->klen, &r->pre)) != 0)
		return rc < 0 ? 0 : rc;
	r->kind = ua.kind == CPE_ANY ? VIX_EXACT_ANYUPD : VIX_EXACT;
	return 0;
}

/* classify row m into r (see enum vix_kind); ERR_NOMEM/ERR_TOO_BIG */
static int fill_row(struct vuln_index *ix, const struct kb_match *m, struct vix_row *r)
{
	struct cpe tmp;
	int rc;

	cpe_init(&tmp);
	rc = fill_row_attrs(ix, m, r, &tmp);
	cpe_release(&tmp);
	return rc;
}

static const uint8_t *key_of(const struct vuln_index *ix, uint32_t off)
{
	return ix->keys + off;
}

int vix_qver_set(struct vix_qver *qv, const char *v)
{
	size_t n = strlen(v), base = vkey_base_len(v, n);

	if (vkey_encode(v, n, qv->f, sizeof(qv->f), &qv->fn) != 0)
		return -1;
	qv->fpre = vkey_prefix(qv->f, qv->fn);
	qv->has_base = base < n;
	qv->bn = 0;
	qv->bpre = 0;
	if (qv->has_base) {
		if (vkey_encode(v, base, qv->b, sizeof(qv->b), &qv->bn) != 0)
			return -1;
		qv->bpre = vkey_prefix(qv->b, qv->bn);
	}
	return 0;
}

/* compare pool key (off, n, pre) with k: the prefixes decide unless equal;
 * keys of up to 8 bytes are their prefixes (zero-padded), so then the
 * shorter is the smaller */
static int kcmp(const struct vuln_index *ix, uint32_t off, size_t n, uint64_t pre, const uint8_t *k,
		size_t kn, uint64_t kpre)
{
	if (pre != kpre)
		return pre < kpre ? -1 : 1;
	if (n <= 8 && kn <= 8)
		return n == kn ? 0 : n < kn ? -1 : 1;
	return vkey_cmp(key_of(ix, off), n, k, kn);
}

static int row_key_cmp(const struct vuln_index *ix, const struct vix_row *r, const uint8_t *k,
		       size_t kn, uint64_t kpre)
{
	return kcmp(ix, r->key, r->klen, r->pre, k, kn, kpre);
}

int vix_key_eq(const struct vuln_index *ix, const struct vix_row *r, const uint8_t *k, size_t kn,
	       uint64_t kpre)
{
	return row_key_cmp(ix, r, k, kn, kpre) == 0;
}

size_t vix_exact_lower(const struct vuln_index *ix, const struct vix_prod *p, const uint8_t *k,
		       size_t kn, uint64_t kpre)
{
	const struct vix_row *rows = ix->rows + p->first;
	size_t lo = 0, hi = p->nexact, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (row_key_cmp(ix, &rows[mid], k, kn, kpre) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the bounds of r around key k (in_bounds of range.c) */
static int in_bounds(const struct vuln_index *ix, const struct vix_row *r, const uint8_t *k,
		     size_t kn, uint64_t kpre)
{
	int c;

	if (r->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) {
		c = -kcmp(ix, r->key, r->klen, r->pre, k, kn, kpre);
		if (c < 0 || (c == 0 && !(r->flags & KB_MATCH_START_INCL)))
			return 0;
	}
	if (r->flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) {
		c = -kcmp(ix, r->ekey, r->eklen, r->epre, k, kn, kpre);
		if (c > 0 || (c == 0 && !(r->flags & KB_MATCH_END_INCL)))
			return 0;
	}
	return 1;
}

void vix_row_match(const struct vuln_index *ix, const struct vix_row *r, const struct vix_qver *qv,
		   struct cpe_result *res)
{
	res->conf = MATCH_NONE;
	res->flags = 0;
	switch (r->kind) {
	case VIX_ALL:
		res->conf = MATCH_LOW;
		res->flags = CPE_MF_ALL_VERSIONS;
		return;
	case VIX_EXACT:
	case VIX_EXACT_ANYUPD:
		if (row_key_cmp(ix, r, qv->f, qv->fn, qv->fpre) == 0) {
			res->conf = MATCH_HIGH;
		} else if (r->kind == VIX_EXACT_ANYUPD && qv->has_base &&
			   row_key_cmp(ix, r, qv->b, qv->bn, qv->bpre) == 0) {
			res->conf = MATCH_MEDIUM;
			res->flags = CPE_MF_UPDATE_GUESS;
		}
		return;
	case VIX_RANGE:
		if (in_bounds(ix, r, qv->f, qv->fn, qv->fpre)) {
			res->conf = MATCH_HIGH;
		} else if ((r->flags & KB_MATCH_END_INCL) && qv->has_base &&
			   kcmp(ix, r->ekey, r->eklen, r->epre, qv->b, qv->bn, qv->bpre) == 0 &&
			   in_bounds(ix, r, qv->b, qv->bn, qv->bpre)) {
			res->conf = MATCH_MEDIUM;
			res->flags = CPE_MF_UPDATE_GUESS;
		}
		return;
	default:
		return;
	}
}

/* ------------------------------------------------------ canon names */

/* "vendor:product" unescaped and lower-cased into out; -1 when it has no
 * separator or does not fit */
static int canon_name(const char *vp, char *out, size_t size)
{
	size_t i, o = 0;
	int sep = 0;

	for (i = 0; vp[i]; i++) {
		char c = vp[i];

		if (c == '\\' && vp[i + 1]) {
			c = vp[++i];
		} else if (c == ':' && !sep) {
			sep = 1;
			c = '\x01'; /* values may hold ':' */
		}
		if (o + 2 > size)
			return -1;
		out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	out[o] = '\0';
	return sep ? 0 : -1;
}

/* the id of a canonical name, added when new; VIX_NIL on failure */
static uint32_t canon_id(struct vuln_index *ix, const char *vp)
{
	char name[512];
	size_t n, h;
	uint32_t s;

	if (canon_name(vp, name, sizeof(name)) != 0)
		return VIX_NIL;
	n = strlen(name);
	if ((ix->ncanon + 1) * 2 > ix->cmask + 1) {
		size_t ncap = (ix->cmask + 1) * 2, i;
		uint32_t *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return VIX_NIL;
		for (i = 0; i <= ix->cmask; i++) {
			const char *e;

			if (!(s = ix->cslots[i]))
				continue;
			e = ix->cpool + s - 1;
			for (h = hash_mem(2166136261u, e, strlen(e)) & (ncap - 1); ns[h];
			     h = (h + 1) & (ncap - 1))
				;
			ns[h] = s;
		}
		free(ix->cslots);
		ix->cslots = ns;
		ix->cmask = ncap - 1;
	}
	for (h = hash_mem(2166136261u, name, n) & ix->cmask; (s = ix->cslots[h]) != 0;
	     h = (h + 1) & ix->cmask)
		if (strcmp(ix->cpool + s - 1, name) == 0)
			return s - 1;
	if (ix->cpool_len + n + 1 >= UINT32_MAX ||
	    grow((void **)&ix->cpool, &ix->cpool_cap, ix->cpool_len + n + 1, 1) != 0)
		return VIX_NIL;
	memcpy(ix->cpool + ix->cpool_len, name, n + 1);
	ix->cslots[h] = (uint32_t)ix->cpool_len + 1;
	ix->cpool_len += n + 1;
	ix->ncanon++;
	return ix->cslots[h] - 1;
}

/* ------------------------------------------------------- products */

/* vp_eq: is the KB key s vendor ":" product? */
static int vp_eq(const char *s, const char *vendor, const char *product)
{
	size_t lv = strlen(vendor);

	return strncmp(s, vendor, lv) == 0 && s[lv] == ':' && strcmp(s + lv + 1, product) == 0;
}

static uint32_t hash_key(const char *vp)
{
	return hash_mem(2166136261u, vp, strlen(vp));
}

/* The products are their own hash table (open addressing, vp NULL =
 * empty): a lookup touches one 64-byte entry, not a slot and an entry. */

/* find or add the product of vp; its table index */
static int prod_slot(struct vuln_index *ix, const char *vp, int add, size_t *out)
{
	uint32_t hv = hash_key(vp);
	size_t h = hv & ix->mask;
	struct vix_prod *p;

	for (;; h = (h + 1) & ix->mask) {
		p = &ix->prods[h];
		if (!p->vp)
			break;
		if (p->vp == vp || strcmp(p->vp, vp) == 0) {
			*out = h;
			return 0;
		}
	}
	if (!add)
		return ERR_NOTFOUND;
	p->vp = vp;
	p->hash = hv;
	if (strlen(vp) < sizeof(p->ikey))
		memcpy(p->ikey, vp, strlen(vp) + 1);
	ix->nprods++;
	*out = h;
	return 0;
}

const struct vix_prod *vix_find(const struct vuln_index *ix, const char *key_vendor,
				const char *key_product)
{
	size_t lv = strlen(key_vendor), lp = strlen(key_product), h;
	uint32_t hv =
	    hash_mem(hash_mem(hash_mem(2166136261u, key_vendor, lv), ":", 1), key_product, lp);
	int inl = lv + 1 + lp < sizeof(ix->prods[0].ikey);

	for (h = hv & ix->mask; ix->prods[h].vp; h = (h + 1) & ix->mask) {
		const struct vix_prod *p = &ix->prods[h];

		if (p->hash != hv)
			continue;
		if (!p->ikey[0]) {
			if (vp_eq(p->vp, key_vendor, key_product))
				return p;
		} else if (inl && p->ikey[lv] == ':' && p->ikey[lv + 1 + lp] == '\0' &&
			   memcmp(p->ikey, key_vendor, lv) == 0 &&
			   memcmp(p->ikey + lv + 1, key_product, lp) == 0) {
			/* the inline key is a NUL-terminated copy in a 35-byte array */
			return p;
		}
	}
	return NULL;
}

void vix_prefetch(const struct vuln_index *ix, const struct vix_prod *p)
{
	const struct vix_row *rows = ix->rows + p->first;

	/* the binary search's first probe and the first row of the rest */
	if (p->nexact)
		__builtin_prefetch(&rows[p->nexact / 2]);
	if (p->nother)
		__builtin_prefetch(&rows[p->nexact]);
}

const struct vix_row *vix_rows(const struct vuln_index *ix, const struct vix_prod *p)
{
	return ix->rows + p->first;
}

static int build_products(struct vuln_index *ix, size_t nmatch, size_t nprod)
{
	size_t cap, i, p;
	struct kb_match m;

	for (cap = 1024; cap < nprod + nprod / 2 + 2; cap *= 2)
		;
	ix->mask = cap - 1;
	ix->prods = big_alloc(cap * sizeof(*ix->prods), 1);
	if (!ix->prods)
		return ERR_NOMEM;
	/* count the vulnerable rows of each product (in nother for now); a
	 * product with none is kept too (no rows): a query then knows from its
	 * flags whether it has siblings or aliases, without asking */
	for (i = 0; i < nmatch; i++) {
		if (kb_match_at(ix->kb, (uint32_t)i, &m) != 0)
			return ERR_RANGE;
		if (prod_slot(ix, m.vendor_product, ix->nprods < nprod, &p) != 0)
			return ERR_PARSE;
		if (!(m.flags & KB_MATCH_VULNERABLE))
			continue;
		ix->prods[p].nother++;
		ix->nrows++;
	}
	for (i = 0, p = 0; i <= ix->mask; i++) {
		ix->prods[i].first = (uint32_t)p;
		p += ix->prods[i].nother;
		ix->prods[i].nother = 0;
	}
	return 0;
}

static int exact_cmp(const void *a, const void *b, void *ctx)
{
	const struct vuln_index *ix = ctx;
	const struct vix_row *x = a, *y = b;
	int c = row_key_cmp(ix, x, key_of(ix, y->key), y->klen, y->pre);

	if (c)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* product p's block in KB order -> exact rows sorted by key, then the rest */
static int sort_block(struct vuln_index *ix, struct vix_prod *p, struct vix_row **tmp, size_t *tcap)
{
	struct vix_row *b = ix->rows + p->first;
	size_t n = p->nother, i, ne = 0, no = 0;

	if (grow((void **)tmp, tcap, n + 1, sizeof(**tmp)) != 0)
		return ERR_NOMEM;
	for (i = 0; i < n; i++)
		if (b[i].kind == VIX_EXACT || b[i].kind == VIX_EXACT_ANYUPD)
			b[ne++] = b[i];
		else
			(*tmp)[no++] = b[i];
	memcpy(b + ne, *tmp, no * sizeof(*b));
	if (ne > 1)
		qsort_r(b, ne, sizeof(*b), exact_cmp, ix);
	p->nexact = (uint32_t)ne;
	p->nother = (uint32_t)no;
	return 0;
}

static int alias_found(const char *a, const char *b, void *ctx)
{
	(void)a;
	(void)b;
	*(int *)ctx = 1;
	return 1;
}

/* split a KB key at its first unescaped ':'; -1 when there is none */
static int key_split(const char *vp, size_t *vlen)
{
	size_t i;

	for (i = 0; vp[i]; i++) {
		if (vp[i] == '\\' && vp[i + 1])
			i++;
		else if (vp[i] == ':') {
			*vlen = i;
			return 0;
		}
	}
	return -1;
}

/* VIXP_TABLE and VIXP_ALIASES of every product, and their canon ids */
static int product_flags(struct vuln_index *ix)
{
	const struct cpe_product *all;
	uint8_t *mark = NULL;
	uint32_t *ids;
	size_t n, i, vl;
	int r = 0;

	for (i = 0; i <= ix->mask; i++) {
		struct vix_prod *p = &ix->prods[i];
		char vendor[512];
		int found = 0;

		if (!p->vp)
			continue;
		p->canon = canon_id(ix, p->vp);
		if (key_split(p->vp, &vl) != 0 || vl + 1 > sizeof(vendor)) {
			p->flags |= VIXP_ALIASES; /* unusual key: ask the KB every time */
			continue;
		}
		memcpy(vendor, p->vp, vl);
		vendor[vl] = '\0';
		vq_ignore(kb_aliases(ix->kb, vendor, p->vp + vl + 1, alias_found, &found));
		if (found)
			p->flags |= VIXP_ALIASES;
	}
	/* a product-table entry marks the products it may name (a superset:
	 * the query still compares the names); ids are pool offsets */
	all = cpe_products_all(&n);
	ids = calloc(n + 1, sizeof(*ids));
	if (!ids)
		return ERR_NOMEM;
	for (i = 0; i < n; i++) {
		char name[512];

		snprintf(name, sizeof(name), "%s:%s", all[i].vendor, all[i].product);
		ids[i] = canon_id(ix, name);
	}
	mark = calloc(ix->cpool_len + 1, 1);
	if (!mark) {
		free(ids);
		return ERR_NOMEM;
	}
	for (i = 0; i < n; i++)
		if (ids[i] != VIX_NIL)
			mark[ids[i]] = 1;
	for (i = 0; i <= ix->mask; i++)
		if (ix->prods[i].vp && (ix->prods[i].canon == VIX_NIL || mark[ix->prods[i].canon]))
			ix->prods[i].flags |= VIXP_TABLE;
	free(ids);
	free(mark);
	return r;
}

/* ------------------------------------------------------- CVE facts */

static int has_windows_word(const char *s)
{
	for (; *s; s++)
		if ((*s | 0x20) == 'w' && strncasecmp(s, "windows", 7) == 0)
			return 1;
	return 0;
}

static int rows_name_windows(const struct kb *kb, uint32_t first, uint32_t n)
{
	struct kb_match m;
	uint32_t i;

	for (i = 0; i < n; i++)
		if (kb_match_at(kb, first + i, &m) == 0 &&
		    strncmp(m.vendor_product, "microsoft:windows", 17) == 0)
			return 1;
	return 0;
}

/* the span of rows build_config reads: [*base, *end) */
static int node_span(const struct kb *kb, const struct kb_cve_info *info, uint32_t *base,
		     uint32_t *end)
{
	struct kb_node kn;
	uint32_t i;

	*base = UINT32_MAX;
	*end = 0;
	for (i = 0; i < info->n_nodes; i++) {
		if (kb_node(kb, info->first_node + i, &kn) != 0)
			return ERR_RANGE;
		if (!kn.n_match)
			continue;
		if (kn.first_match < *base)
			*base = kn.first_match;
		if (kn.first_match + kn.n_match > *end)
			*end = kn.first_match + kn.n_match;
	}
	if (*base == UINT32_MAX)
		*base = *end = 0;
	return 0;
}

/* the Windows rule's inputs as pure_or and build_config compute them */
static int windows_facts(const struct vuln_index *ix, const struct kb_cve_info *info, uint8_t *fl)
{
	struct kb_node kn;
	uint32_t i, base, end;
	int rows = 0, r;

	if (!has_windows_word(info->description) || !vuln_windows_only(info->description))
		return 0;
	for (i = 0; i < info->n_nodes && !rows; i++) {
		if ((r = kb_node(ix->kb, info->first_node + i, &kn)) != 0)
			return r;
		rows = rows_name_windows(ix->kb, kn.first_match, kn.n_match);
	}
	if (!rows)
		*fl |= VIXC_WIN_OR;
	if ((r = node_span(ix->kb, info, &base, &end)) != 0)
		return r;
	if (!rows_name_windows(ix->kb, base, end - base))
		*fl |= VIXC_WIN_CX;
	return 0;
}

/* a row whose key is quoted: build_config parses it fully; does that
 * give plain vendor and product values (so the canon id compares them)? */
static int plain_names(const struct kb_match *m)
{
	struct cpe c;
	int ok;

	if (cpe_parse(m->cpe, strlen(m->cpe), &c) != 0)
		return 0;
	ok = parsed_names_key(&c, m->vendor_product);
	cpe_release(&c);
	return ok;
}

/* a compact copy of complex CVE info's configuration, or VIXC_FALLBACK */
static int build_cx(struct vuln_index *ix, const struct kb_cve_info *info)
{
	struct vix_cx *cx;
	struct kb_node kn;
	uint32_t i, base, end, *last = NULL;
	uint8_t *depth = NULL;
	int r;

	if ((r = node_span(ix->kb, info, &base, &end)) != 0)
		return r;
	if (grow((void **)&ix->cx, &ix->cx_cap, ix->ncx + 1, sizeof(*ix->cx)) ||
	    grow((void **)&ix->cxnodes, &ix->cxnodes_cap, ix->ncxnodes + info->n_nodes + 1,
		 sizeof(*ix->cxnodes)) ||
	    grow((void **)&ix->cxrows, &ix->cxrows_cap, ix->ncxrows + (end - base) + 1,
		 sizeof(*ix->cxrows)))
		return ERR_NOMEM;
	depth = calloc(info->n_nodes + 1, 1);
	last = malloc((info->n_nodes + 1) * sizeof(*last));
	if (!depth || !last) {
		r = ERR_NOMEM;
		goto out;
	}
	cx = &ix->cx[ix->ncx];
	cx->node0 = (uint32_t)ix->ncxnodes;
	cx->nnodes = info->n_nodes;
	cx->row0 = (uint32_t)ix->ncxrows;
	cx->nrows = end - base;
	cx->first_child = VIX_NIL;
	for (i = 0; i <= info->n_nodes; i++)
		last[i] = VIX_NIL; /* [0]: the root's last child; [k + 1]: node k's */
	for (i = 0; i < info->n_nodes; i++) {
		struct vix_node *nd = &ix->cxnodes[cx->node0 + i];
		uint32_t pl; /* parent's slot in depth/last */

		if ((r = kb_node(ix->kb, info->first_node + i, &kn)) != 0)
			goto out;
		pl = kn.parent == KB_NODE_NONE ? 0 : kn.parent - info->first_node + 1;
		if (pl > i) {
			r = ERR_RANGE;
			goto out;
		}
		depth[i + 1] = (uint8_t)(depth[pl] + 1);
		if (depth[i + 1] >= CPE_CONFIG_MAX_DEPTH) {
			ix->cves[info->index].flags |= VIXC_FALLBACK;
			r = 0;
			goto out;
		}
		nd->op = kn.op == KB_OP_AND ? CPE_OP_AND : CPE_OP_OR;
		nd->negate = kn.negate != 0;
		nd->first_row = kn.n_match ? kn.first_match - base : 0;
		nd->nrows = kn.n_match;
		nd->first_child = nd->next = VIX_NIL;
		if (last[pl] == VIX_NIL) {
			if (pl == 0)
				cx->first_child = i;
			else
				ix->cxnodes[cx->node0 + pl - 1].first_child = i;
		} else {
			ix->cxnodes[cx->node0 + last[pl]].next = i;
		}
		last[pl] = i;
	}
	for (i = 0; i < end - base; i++) {
		struct vix_row *row = &ix->cxrows[cx->row0 + i];
		struct kb_match m;

		if ((r = kb_match_at(ix->kb, base + i, &m)) != 0 ||
		    (r = fill_row(ix, &m, row)) != 0)
			goto out;
		row->canon = canon_id(ix, m.vendor_product); /* the KB row is not needed here */
		/* quoted fields went through the full parse (fill_row checks
		 * its vendor:product); so does a quoted key (plain_names) */
		if (row->kind == VIX_SLOW || (strchr(m.vendor_product, '\\') && !plain_names(&m)) ||
		    !strchr(m.vendor_product, ':') || row->canon >= (1u << 24)) {
			ix->cves[info->index].flags |= VIXC_FALLBACK;
			r = 0;
			goto out;
		}
	}
	ix->ncxnodes += info->n_nodes;
	ix->ncxrows += end - base;
	ix->cves[info->index].cx = (uint32_t)++ix->ncx;
	r = 0;
out:
	free(depth);
	free(last);
	return r;
}

/* "CVE-2024-6387" -> (2024 - 1990) << 24 | 6387; 0 when it does not fit
 * or would not print back the same */
static uint32_t pack_id(const char *id)
{
	uint32_t year = 0, num = 0;
	size_t i, nd = 0;

	if (strncmp(id, "CVE-", 4) != 0)
		return 0;
	for (i = 4; i < 8; i++) {
		if (id[i] < '0' || id[i] > '9')
			return 0;
		year = year * 10 + (uint32_t)(id[i] - '0');
	}
	if (id[8] != '-' || year < 1990 || year > 1990 + 255)
		return 0;
	for (i = 9; id[i] >= '0' && id[i] <= '9'; i++, nd++) {
		if (nd >= 8)
			return 0;
		num = num * 10 + (uint32_t)(id[i] - '0');
	}
	if (id[i] || nd < 4 || num >= (1u << 24) || (nd > 4 && id[9] == '0'))
		return 0;
	return (year - 1990) << 24 | num;
}

int vix_cve_id(const struct vuln_index *ix, uint32_t cve, char out[24])
{
	uint32_t v = ix->cves[cve].id, year, num;
	char d[12];
	size_t n = 0, o = 0;

	if (!v)
		return -1;
	year = (v >> 24) + 1990;
	num = v & 0xffffffu;
	memcpy(out, "CVE-", 4);
	out[4] = (char)('0' + year / 1000);
	out[5] = (char)('0' + year / 100 % 10);
	out[6] = (char)('0' + year / 10 % 10);
	out[7] = (char)('0' + year % 10);
	out[8] = '-';
	do {
		d[n++] = (char)('0' + num % 10);
		num /= 10;
	} while (num);
	while (n < 4)
		d[n++] = '0';
	for (o = 9; n > 0; o++)
		out[o] = d[--n];
	out[o] = '\0';
	return 0;
}

/* the vpool offset + 1 of CVSS vector v (added when new); 0 on failure */
static uint32_t vec_id(struct vuln_index *ix, const char *v)
{
	size_t n = strlen(v), h;
	uint32_t s;

	if ((ix->nvec + 1) * 2 > ix->vmask + 1) {
		size_t ncap = ix->vmask ? (ix->vmask + 1) * 2 : 4096, i;
		uint32_t *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return 0;
		for (i = 0; ix->vmask && i <= ix->vmask; i++) {
			const char *e;

			if (!(s = ix->vslots[i]))
				continue;
			e = ix->vpool + s - 1;
			for (h = hash_mem(2166136261u, e, strlen(e)) & (ncap - 1); ns[h];
			     h = (h + 1) & (ncap - 1))
				;
			ns[h] = s;
		}
		free(ix->vslots);
		ix->vslots = ns;
		ix->vmask = ncap - 1;
	}
	for (h = hash_mem(2166136261u, v, n) & ix->vmask; (s = ix->vslots[h]) != 0;
	     h = (h + 1) & ix->vmask)
		if (strcmp(ix->vpool + s - 1, v) == 0)
			return s;
	if (ix->vpool_len + n + 1 >= UINT32_MAX ||
	    grow((void **)&ix->vpool, &ix->vpool_cap, ix->vpool_len + n + 1, 1) != 0)
		return 0;
	memcpy(ix->vpool + ix->vpool_len, v, n + 1);
	ix->vslots[h] = (uint32_t)ix->vpool_len + 1;
	ix->vpool_len += n + 1;
	ix->nvec++;
	return ix->vslots[h];
}

/* keep what a hit shows of CVE info in its record (VIXD_OK) when every
 * field round-trips exactly; else the hit reads the KB record */
static void keep_details(struct vuln_index *ix, const struct kb_cve_info *info)
{
	struct vix_cve *c = &ix->cves[info->index];
	double e = info->epss * 1e9, ep = info->epss_percentile * 1e9, sc = info->cvss_score * 10;
	uint32_t ei, epi;
	uint8_t si;

	if (!c->id || !(sc >= 0 && sc < 255.5) || !(e >= 0 && e < 4294967295.0) ||
	    !(ep >= 0 && ep < 4294967295.0))
		return;
	si = (uint8_t)(sc + 0.5);
	ei = (uint32_t)(e + 0.5);
	epi = (uint32_t)(ep + 0.5);
	/* the KB stores them as these integers; the hit must get the same
	 * doubles as from kb_cve_at */
	if (si / 10.0 != info->cvss_score || ei / 1e9 != info->epss ||
	    epi / 1e9 != info->epss_percentile || info->severity > 255)
		return;
	if (info->cvss_vector[0] && !(c->vec = vec_id(ix, info->cvss_vector)))
		return;
	c->cwe = info->cwe;
	c->epss = ei;
	c->epss_pct = epi;
	c->score10 = si;
	c->cvss_version = info->cvss_version;
	c->severity = (uint8_t)info->severity;
	c->dflags = VIXD_OK | ((info->flags & KB_CVE_KEV) ? VIXD_KEV : 0) |
		    ((info->flags & KB_CVE_RANSOMWARE) ? VIXD_RANSOM : 0);
}

int vix_hit_fill(const struct vuln_index *ix, uint32_t cve, struct vuln_hit *h)
{
	const struct vix_cve *c = &ix->cves[cve];
	struct kb_cve_info info; /* the fields vq_hit_fill reads */

	if (!(c->dflags & VIXD_OK) || vix_cve_id(ix, cve, info.id) != 0)
		return -1;
	info.flags = ((c->dflags & VIXD_KEV) ? KB_CVE_KEV : 0) |
		     ((c->dflags & VIXD_RANSOM) ? KB_CVE_RANSOMWARE : 0);
	info.cvss_score = c->score10 / 10.0;
	info.cvss_version = c->cvss_version;
	info.severity = (enum kb_severity)c->severity;
	info.cvss_vector = c->vec ? ix->vpool + c->vec - 1 : "";
	info.cwe = c->cwe;
	info.epss = c->epss / 1e9;
	info.epss_percentile = c->epss_pct / 1e9;
	vq_hit_fill(ix->kb, &info, h);
	return 0;
}

/* the facts of every CVE some indexed row belongs to */
static int build_cves(struct vuln_index *ix, size_t ncves, size_t nnodes)
{
	struct kb_cve_info info;
	struct kb_node kn;
	size_t i;
	int r;

	for (i = 0; i < ix->nrows; i++)
		ix->cves[ix->rows[i].cve].flags |= VIXC_KNOWN;
	for (i = 0; i < nnodes; i++) {
		if ((r = kb_node(ix->kb, (uint32_t)i, &kn)) != 0)
			return r;
		if (kn.cve_index < ncves && (kn.op == KB_OP_AND || kn.negate))
			ix->cves[kn.cve_index].flags |= VIXC_COMPLEX;
	}
	for (i = 0; i < ncves; i++) {
		uint8_t *fl = &ix->cves[i].flags;

		if (!(*fl & VIXC_KNOWN))
			continue;
		if ((r = kb_cve_at(ix->kb, (uint32_t)i, &info)) != 0)
			return r;
		if (info.flags & KB_CVE_REJECTED)
			*fl |= VIXC_REJECTED;
		ix->cves[i].id = pack_id(info.id);
		keep_details(ix, &info);
		if ((r = windows_facts(ix, &info, fl)) != 0)
			return r;
		if ((*fl & VIXC_COMPLEX) && !(*fl & VIXC_REJECTED) &&
		    (r = build_cx(ix, &info)) != 0)
			return r;
	}
	return 0;
}

void vix_prefetch_cve(const struct vuln_index *ix, uint32_t cve)
{
	__builtin_prefetch(&ix->cves[cve]);
}

unsigned vix_cve_flags(const struct vuln_index *ix, uint32_t cve)
{
	return ix->cves[cve].flags;
}

/* ---------------------------------------------------------- build */

int vuln_index_build(const struct kb *kb, struct vuln_index **out)
{
	struct vuln_index *ix = calloc(1, sizeof(*ix));
	struct vix_row *tmp = NULL;
	size_t tcap = 0;
	struct kb_counts kc;
	struct kb_match m;
	size_t i, p;
	int r;

	if (!ix)
		return ERR_NOMEM;
	ix->kb = kb;
	kb_counts(kb, &kc);
	if ((r = build_products(ix, kc.match_rows, kc.products)) != 0)
		goto fail;
	ix->rows = big_alloc((ix->nrows + 1) * sizeof(*ix->rows), 0);
	ix->cves = big_alloc(((size_t)kc.cves + 1) * sizeof(*ix->cves), 1);
	ix->cmask = 1023;
	ix->cslots = calloc(ix->cmask + 1, sizeof(*ix->cslots));
	if (!ix->rows || !ix->cves || !ix->cslots) {
		r = ERR_NOMEM;
		goto fail;
	}
	/* rows in KB order are in CVE order: each product's block is too */
	for (i = 0; i < kc.match_rows; i++) {
		struct vix_prod *pr;

		if ((r = kb_match_at(kb, (uint32_t)i, &m)) != 0)
			goto fail;
		if (!(m.flags & KB_MATCH_VULNERABLE))
			continue;
		if ((r = prod_slot(ix, m.vendor_product, 0, &p)) != 0)
			goto fail;
		pr = &ix->prods[p];
		if ((r = fill_row(ix, &m, &ix->rows[pr->first + pr->nother])) != 0)
			goto fail;
		if (ix->rows[pr->first + pr->nother].cve >= kc.cves) {
			r = ERR_RANGE;
			goto fail;
		}
		pr->nother++;
	}
	for (i = 0; i <= ix->mask; i++)
		if (ix->prods[i].vp && (r = sort_block(ix, &ix->prods[i], &tmp, &tcap)) != 0)
			goto fail;
	if ((r = product_flags(ix)) != 0 || (r = build_cves(ix, kc.cves, kc.nodes)) != 0)
		goto fail;
	big_move((void **)&ix->keys, ix->keys_len);
	big_move((void **)&ix->cxrows, ix->ncxrows * sizeof(*ix->cxrows));
	/* what a configuration row is about, packed (canon id, part): most
	 * rows of a big configuration are not about the product, and this is
	 * all they need */
	if (!(ix->cxd = big_alloc((ix->ncxrows + 1) * sizeof(*ix->cxd), 0))) {
		r = ERR_NOMEM;
		goto fail;
	}
	for (i = 0; i < ix->ncxrows; i++)
		ix->cxd[i] = ix->cxrows[i].canon | (uint32_t)(unsigned char)ix->cxrows[i].part
						       << 24;
	big_move((void **)&ix->cxnodes, ix->ncxnodes * sizeof(*ix->cxnodes));
	free(tmp);
	free(ix->vslots); /* the build's dedup table */
	ix->vslots = NULL;
	ix->bytes = sizeof(*ix) + (ix->mask + 1) * sizeof(*ix->prods) +
		    (ix->nrows + 1) * sizeof(*ix->rows) + ix->keys_cap +
		    ((size_t)kc.cves + 1) * sizeof(*ix->cves) + ix->cx_cap * sizeof(*ix->cx) +
		    ix->cxnodes_cap * sizeof(*ix->cxnodes) + ix->cxrows_cap * sizeof(*ix->cxrows) +
		    ix->ncxrows * sizeof(*ix->cxd) + ix->cpool_cap +
		    (ix->cmask + 1) * sizeof(*ix->cslots) + ix->vpool_cap;
	*out = ix;
	return 0;
fail:
	free(tmp);
	vuln_index_free(ix);
	return r;
}

void vuln_index_free(struct vuln_index *ix)
{
	if (!ix)
		return;
	free(ix->prods);
	free(ix->rows);
	free(ix->keys);
	free(ix->cves);
	free(ix->cx);
	free(ix->cxnodes);
	free(ix->cxrows);
	free(ix->cxd);
	free(ix->cpool);
	free(ix->cslots);
	free(ix->vpool);
	free(ix->vslots);
	free(ix);
}

size_t vuln_index_bytes(const struct vuln_index *ix)
{
	return ix ? ix->bytes : 0;
}

const struct kb *vuln_index_kb(const struct vuln_index *ix)
{
	return ix->kb;
}

/* --------------------------------------------- configuration eval */

/* cpe_config_eval's three-valued evaluation (src/cpe/range.c), over the
 * compact copy, for a platform that holds no CPEs */
enum { TRI_FALSE = 0, TRI_UNKNOWN, TRI_TRUE };

struct ev {
	int v;
	enum match_conf conf;
	unsigned flags;
	int hit;
};

struct cx_target {
	const struct vuln_index *ix;
	const struct vix_cx *cx;
	uint32_t canon;
	char part;
	const struct vix_qver *qv;
	const struct cpe_platform *pl;
};

static char low(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static unsigned part_known_bit(char part)
{
	switch (part) {
	case 'o':
	case 'O':
		return CPE_PLAT_OS;
	case 'h':
	case 'H':
		return CPE_PLAT_HW;
	case 0:
	case '-':
		return CPE_PLAT_OS | CPE_PLAT_HW | CPE_PLAT_APPS;
	default:
		return CPE_PLAT_APPS;
	}
}

static void cx_row(const struct cx_target *t, uint32_t i, struct ev *e)
{
	uint32_t d = t->ix->cxd[t->cx->row0 + i];
	char part = (char)(d >> 24);
	struct cpe_result res;
	unsigned need;

	memset(e, 0, sizeof(*e));
	if ((d & 0xffffffu) == t->canon && (part == 0 || low(part) == low(t->part))) {
		const struct vix_row *r = &t->ix->cxrows[t->cx->row0 + i];

		vix_row_match(t->ix, r, t->qv, &res);
		if (res.conf != MATCH_NONE) {
			e->v = TRI_TRUE;
			e->conf = res.conf;
			e->flags = res.flags;
			e->hit = (r->flags & KB_MATCH_VULNERABLE) != 0;
		}
		return;
	}
	need = part_known_bit(part);
	if (t->pl && (t->pl->known & need) == need)
		return; /* FALSE */
	e->v = TRI_UNKNOWN;
	e->conf = MATCH_HIGH;
}

static int better(const struct ev *a, const struct ev *b)
{
	if (a->hit != b->hit)
		return a->hit;
	if (a->v != b->v)
		return a->v > b->v;
	return a->conf > b->conf;
}

static void combine(int op, struct ev *acc, const struct ev *c, int first)
{
	if (first) {
		*acc = *c;
		return;
	}
	if (op == CPE_OP_OR) {
		if (better(c, acc))
			*acc = *c;
		return;
	}
	if (acc->v == TRI_FALSE || c->v == TRI_FALSE) {
		memset(acc, 0, sizeof(*acc));
		return;
	}
	if (c->conf < acc->conf)
		acc->conf = c->conf;
	acc->hit = acc->hit || c->hit;
	acc->flags |= c->flags;
	if (c->v == TRI_UNKNOWN || acc->v == TRI_UNKNOWN) {
		acc->v = TRI_UNKNOWN;
		acc->flags |= CPE_MF_PLATFORM_UNKNOWN;
	}
}

/* node k (VIX_NIL: the root, an OR without rows) */
static void cx_node(const struct cx_target *t, uint32_t k, struct ev *out)
{
	const struct vix_node *n = k == VIX_NIL ? NULL : &t->ix->cxnodes[t->cx->node0 + k];
	uint32_t i, c;
	int op = n ? n->op : CPE_OP_OR, first = 1;
	struct ev acc, e;

	memset(&acc, 0, sizeof(acc));
	for (i = 0; n && i < n->nrows; i++) {
		cx_row(t, n->first_row + i, &e);
		combine(op, &acc, &e, first);
		first = 0;
	}
	for (c = n ? n->first_child : t->cx->first_child; c != VIX_NIL;
	     c = t->ix->cxnodes[t->cx->node0 + c].next) {
		cx_node(t, c, &e);
		combine(op, &acc, &e, first);
		first = 0;
	}
	if (first)
		memset(&acc, 0, sizeof(acc));
	if (n && n->negate) {
		if (acc.v == TRI_TRUE) {
			memset(&acc, 0, sizeof(acc));
		} else if (acc.v == TRI_FALSE) {
			acc.v = TRI_TRUE;
			acc.conf = MATCH_HIGH;
			acc.flags = CPE_MF_NEGATED;
			acc.hit = 0;
		} else {
			acc.hit = 0;
			acc.conf = MATCH_HIGH;
			acc.flags = 0;
		}
	}
	*out = acc;
}

void vix_cx_eval(const struct vuln_index *ix, uint32_t cve, uint32_t canon, char part,
		 const struct vix_qver *qv, const struct cpe_platform *pl, struct cpe_result *res)
{
	struct cx_target t;
	struct ev e;

	res->conf = MATCH_NONE;
	res->flags = 0;
	if (!ix->cves[cve].cx)
		return;
	t.ix = ix;
	t.cx = &ix->cx[ix->cves[cve].cx - 1];
	t.canon = canon;
	t.part = part;
	t.qv = qv;
	t.pl = pl;
	cx_node(&t, VIX_NIL, &e);
	if (!e.hit || e.v == TRI_FALSE)
		return;
	res->conf = e.conf;
	res->flags = e.flags;
	if (e.v == TRI_UNKNOWN) {
		if (res->conf > MATCH_LOW)
			res->conf = MATCH_LOW;
		res->flags |= CPE_MF_PLATFORM_UNKNOWN;
	}
}
