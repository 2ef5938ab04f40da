/*
 * index.c: an in-memory index over a KB for bulk matching. The KB keeps the
 * rows of a product scattered (its match table is in CVE order, and every
 * row's strings are in the shared pool), so a lookup costs a few cache
 * misses per row. The index copies, per product, the vulnerable rows'
 * part, version, update and bounds into one contiguous block, finds the
 * product by hash, and keeps one bit per CVE for "has AND/negate nodes".
 */
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln_int.h"

struct vix_prod {
	const char *vp; /* interned in the KB */
	uint32_t first, n;
};

struct vuln_index {
	const struct kb *kb;
	struct vix_prod *prods;
	size_t nprods;
	uint32_t *slots; /* product index + 1, 0 = empty */
	size_t mask;
	struct vix_row *rows;
	size_t nrows;
	char *pool;
	size_t pool_len, pool_cap;
	uint8_t *complex; /* bit per CVE: some node is AND or negated */
	size_t bytes;
};

static uint32_t hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* pool_add: a NUL-terminated copy of s[0..n); offset, or 0 on failure
 * (offset 0 holds "" and is never returned for a copy). */
static uint32_t pool_add(struct vuln_index *ix, const char *s, size_t n)
{
	uint32_t off;

	if (ix->pool_len + n + 1 > ix->pool_cap) {
		size_t ncap = ix->pool_cap ? ix->pool_cap * 2 : (size_t)1 << 20;
		char *p;

		while (ncap < ix->pool_len + n + 1)
			ncap *= 2;
		if (ncap > UINT32_MAX)
			return 0;
		p = realloc(ix->pool, ncap);
		if (!p)
			return 0;
		ix->pool = p;
		ix->pool_cap = ncap;
	}
	off = (uint32_t)ix->pool_len;
	memcpy(ix->pool + off, s, n);
	ix->pool[off + n] = '\0';
	ix->pool_len += n + 1;
	return off;
}

/* find or add the product of vp; its index */
static int prod_slot(struct vuln_index *ix, const char *vp, int add, size_t *out)
{
	size_t h = hash_str(vp, strlen(vp)) & ix->mask;

	for (;; h = (h + 1) & ix->mask) {
		uint32_t s = ix->slots[h];

		if (s == 0)
			break;
		if (ix->prods[s - 1].vp == vp || strcmp(ix->prods[s - 1].vp, vp) == 0) {
			*out = s - 1;
			return 0;
		}
	}
	if (!add)
		return ERR_NOTFOUND;
	ix->prods[ix->nprods].vp = vp;
	ix->slots[h] = (uint32_t)++ix->nprods;
	*out = ix->nprods - 1;
	return 0;
}

/* one value attribute into the pool; kind per enum cpe_kind, -1 = slow */
static int put_attr(struct vuln_index *ix, const char *f, size_t n, uint8_t *kind, uint32_t *off,
		    uint8_t *len)
{
	struct cpe_attr a;

	if (vuln_cpe_fast_attr(f, n, &a) != 0 || a.pre || a.post || a.len > 255)
		return -1;
	*kind = (uint8_t)a.kind;
	*len = (uint8_t)a.len;
	*off = 0;
	if (a.kind == CPE_VALUE && (*off = pool_add(ix, a.v, a.len)) == 0)
		return ERR_NOMEM;
	return 0;
}

static int fill_row(struct vuln_index *ix, const struct kb_match *m, struct vix_row *r)
{
	const char *f[3];
	size_t n[3];
	int rc;

	memset(r, 0, sizeof(*r));
	r->cve = m->cve_index;
	r->row = m->index;
	r->flags = (uint8_t)m->flags;
	if (strncmp(m->cpe, "cpe:2.3:", 8) != 0 || vuln_row_fields(m->cpe, f, n) != 0 ||
	    n[0] != 1) {
		r->slow = 1;
		return 0;
	}
	r->part = f[0][0];
	if ((rc = put_attr(ix, f[1], n[1], &r->vkind, &r->ver, &r->vlen)) != 0 ||
	    (rc = put_attr(ix, f[2], n[2], &r->ukind, &r->upd, &r->ulen)) != 0) {
		if (rc == ERR_NOMEM)
			return rc;
		r->slow = 1;
		return 0;
	}
	if ((m->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) &&
	    (r->start = pool_add(ix, m->version_start, strlen(m->version_start))) == 0)
		return ERR_NOMEM;
	if ((m->flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) &&
	    (r->end = pool_add(ix, m->version_end, strlen(m->version_end))) == 0)
		return ERR_NOMEM;
	vix_lead(r->vkind == CPE_VALUE ? ix->pool + r->ver : "",
		 r->vkind == CPE_VALUE ? r->vlen : 0, &r->lead_v);
	vix_lead(r->start ? ix->pool + r->start : "", r->start ? strlen(ix->pool + r->start) : 0,
		 &r->lead_s);
	vix_lead(r->end ? ix->pool + r->end : "", r->end ? strlen(ix->pool + r->end) : 0,
		 &r->lead_e);
	return 0;
}

/* one number at v[*i..]: VIX_NONE unless 1-9 digits */
static uint32_t lead_num(const char *v, size_t len, size_t *i)
{
	uint32_t n = 0;
	size_t k = *i;

	while (k < len && v[k] >= '0' && v[k] <= '9') {
		if (k - *i >= 9)
			return VIX_NONE;
		n = n * 10 + (uint32_t)(v[k++] - '0');
	}
	if (k == *i)
		return VIX_NONE;
	*i = k;
	return n;
}

static int is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

/*
 * Versions compare token by token, numbers numerically (version_cmp_upstream),
 * so when both sides start with clean numbers, the first two decide unless
 * equal. A number is unsure when a zero might be dropped (a zero at the end
 * or before letters: "2.0" == "2", "2.0rc1" == "2rc1") or when letters
 * follow the first number ("1rc1": a pre-release word).
 */
void vix_lead(const char *v, size_t len, struct vix_lead *out)
{
	size_t i = 0;

	out->a = out->b = VIX_NONE;
	out->a = lead_num(v, len, &i);
	if (out->a == VIX_NONE || out->a == 0 || (i < len && !is_sep(v[i]))) {
		out->a = VIX_NONE;
		return;
	}
	if (i + 1 >= len || !is_sep(v[i]))
		return; /* "9": no second number */
	i++;
	out->b = lead_num(v, len, &i);
	if (out->b == 0 && !(i + 1 < len && is_sep(v[i]) && v[i + 1] >= '0' && v[i + 1] <= '9'))
		out->b = VIX_NONE; /* a zero that might be dropped */
}

/* compare (a, b) pairs as far as both are known: -1, 0 (equal or unsure), 1 */
static int lead_cmp(const struct vix_lead *x, const struct vix_lead *y)
{
	if (x->a == VIX_NONE || y->a == VIX_NONE)
		return 0;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b == VIX_NONE || y->b == VIX_NONE)
		return 0;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return 0;
}

int vix_may_match(const struct vix_row *r, const struct vix_lead *lead)
{
	if (!r->start && !r->end)
		return r->vkind != CPE_VALUE || lead_cmp(lead, &r->lead_v) == 0;
	if (r->start && lead_cmp(lead, &r->lead_s) < 0)
		return 0;
	if (r->end && lead_cmp(lead, &r->lead_e) > 0)
		return 0;
	return 1;
}

static int build_products(struct vuln_index *ix, size_t nmatch, size_t nprod)
{
	size_t cap, i, p;
	struct kb_match m;

	for (cap = 1024; cap < nprod * 2 + 2; cap *= 2)
		;
	ix->mask = cap - 1;
	ix->slots = calloc(cap, sizeof(*ix->slots));
	ix->prods = calloc(nprod + 1, sizeof(*ix->prods));
	if (!ix->slots || !ix->prods)
		return ERR_NOMEM;
	/* count the vulnerable rows of each product */
	for (i = 0; i < nmatch; i++) {
		if (kb_match_at(ix->kb, (uint32_t)i, &m) != 0)
			return ERR_RANGE;
		if (!(m.flags & KB_MATCH_VULNERABLE))
			continue;
		if (prod_slot(ix, m.vendor_product, ix->nprods < nprod, &p) != 0)
			return ERR_PARSE;
		ix->prods[p].n++;
		ix->nrows++;
	}
	for (i = 0, p = 0; i < ix->nprods; i++) {
		ix->prods[i].first = (uint32_t)p;
		p += ix->prods[i].n;
		ix->prods[i].n = 0;
	}
	return 0;
}

int vuln_index_build(const struct kb *kb, struct vuln_index **out)
{
	struct vuln_index *ix = calloc(1, sizeof(*ix));
	struct kb_counts kc;
	struct kb_match m;
	struct kb_node kn;
	size_t i, p;
	int r;

	if (!ix)
		return ERR_NOMEM;
	ix->kb = kb;
	kb_counts(kb, &kc);
	if ((r = build_products(ix, kc.match_rows, kc.products)) != 0)
		goto fail;
	ix->rows = malloc((ix->nrows + 1) * sizeof(*ix->rows));
	ix->complex = calloc(kc.cves / 8 + 1, 1);
	if (!ix->rows || !ix->complex || pool_add(ix, "", 0) != 0) {
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
		if ((r = fill_row(ix, &m, &ix->rows[pr->first + pr->n])) != 0)
			goto fail;
		pr->n++;
	}
	for (i = 0; i < kc.nodes; i++) {
		if ((r = kb_node(kb, (uint32_t)i, &kn)) != 0)
			goto fail;
		if (kn.op == KB_OP_AND || kn.negate)
			ix->complex[kn.cve_index / 8] |= (uint8_t)(1u << (kn.cve_index % 8));
	}
	ix->bytes = sizeof(*ix) + (ix->mask + 1) * sizeof(*ix->slots) +
		    (kc.products + 1) * sizeof(*ix->prods) + (ix->nrows + 1) * sizeof(*ix->rows) +
		    ix->pool_cap + kc.cves / 8 + 1;
	*out = ix;
	return 0;
fail:
	vuln_index_free(ix);
	return r;
}

void vuln_index_free(struct vuln_index *ix)
{
	if (!ix)
		return;
	free(ix->prods);
	free(ix->slots);
	free(ix->rows);
	free(ix->pool);
	free(ix->complex);
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

int vix_lookup(const struct vuln_index *ix, const char *key_vendor, const char *key_product,
	       const struct vix_row **rows, size_t *n)
{
	char key[2 * VQ_NAME_MAX + 2];
	int len = snprintf(key, sizeof(key), "%s:%s", key_vendor, key_product);
	size_t h;

	*rows = NULL;
	*n = 0;
	if (len < 0 || (size_t)len >= sizeof(key))
		return ERR_NOTFOUND;
	for (h = hash_str(key, (size_t)len) & ix->mask; ix->slots[h]; h = (h + 1) & ix->mask) {
		const struct vix_prod *p = &ix->prods[ix->slots[h] - 1];

		if (strcmp(p->vp, key) == 0) {
			*rows = ix->rows + p->first;
			*n = p->n;
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

void vix_row_range(const struct vuln_index *ix, const struct vix_row *r, struct cpe_range *out)
{
	struct cpe_attr *a;

	a = &out->cpe.attr[CPE_PART];
	a->kind = CPE_VALUE;
	a->pre = a->post = 0;
	a->v = &r->part;
	a->len = 1;
	a = &out->cpe.attr[CPE_VERSION];
	a->kind = (enum cpe_kind)r->vkind;
	a->pre = a->post = 0;
	a->v = ix->pool + r->ver;
	a->len = r->vlen;
	a = &out->cpe.attr[CPE_UPDATE];
	a->kind = (enum cpe_kind)r->ukind;
	a->pre = a->post = 0;
	a->v = ix->pool + r->upd;
	a->len = r->ulen;
	out->start =
	    (r->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) ? ix->pool + r->start : NULL;
	out->start_incl = (r->flags & KB_MATCH_START_INCL) != 0;
	out->end = (r->flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) ? ix->pool + r->end : NULL;
	out->end_incl = (r->flags & KB_MATCH_END_INCL) != 0;
	out->vulnerable = true;
}

int vix_complex(const struct vuln_index *ix, uint32_t cve)
{
	return (ix->complex[cve / 8] >> (cve % 8)) & 1;
}
