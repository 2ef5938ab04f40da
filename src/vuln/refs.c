/*
 * refs.c: vuln_match_product_refs, the short form of a product lookup
 * through the index: which CVEs apply and how sure, without reading a KB
 * record per hit (vq_run fills the refs when q->refs is set).
 */
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln_int.h"

void vuln_refs_release(struct vuln_refs *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* the full path's hits as refs (the tracker decided some of them) */
static int refs_from_hits(const struct kb *kb, const struct vuln_hits *h, struct vuln_refs *out)
{
	struct kb_cve_info info;
	size_t i;

	for (i = 0; i < h->n; i++) {
		struct vuln_ref *x;

		if (out->n == out->cap) {
			size_t ncap = out->cap ? out->cap * 2 : 16;
			struct vuln_ref *nv = realloc(out->v, ncap * sizeof(*nv));

			if (!nv)
				return ERR_NOMEM;
			out->v = nv;
			out->cap = ncap;
		}
		x = &out->v[out->n++];
		memset(x, 0, sizeof(*x));
		str_lcpy(x->cve, h->v[i].cve, sizeof(x->cve));
		x->cve_index = kb_cve(kb, h->v[i].cve, &info) == 0 ? info.index : UINT32_MAX;
		x->row = UINT32_MAX;
		x->conf = h->v[i].conf;
		x->flags = h->v[i].flags;
	}
	return 0;
}

int vuln_match_product_refs(const struct vuln_index *ix, const char *product_name,
			    const char *version, const char *distro_hint, struct vuln_refs *out)
{
	struct vuln_hits h = VULN_HITS_INIT;
	struct vuln_query qs, *q = &qs; /* on the stack: bulk matching, no malloc */
	size_t n0 = out->n;
	int r;

	if (!product_name || !*product_name)
		return ERR_NOTFOUND;
	if (!version || !*version || strlen(version) >= VQ_VERSION_MAX)
		return ERR_INVAL;
	vq_init(q, vuln_index_kb(ix));
	q->ix = ix;
	str_lcpy(q->version, version, sizeof(q->version));
	vq_add_product_name(q, product_name);
	if (q->nvp == 0) {
		r = ERR_NOTFOUND;
		goto out;
	}
	vq_set_hint(q, distro_hint);
	if (q->deb_release[0]) {
		/* the tracker works on full hits */
		if ((r = vq_finish(q, &h, 0)) == 0)
			r = refs_from_hits(q->kb, &h, out);
		goto out;
	}
	vq_widen(q);
	q->refs = out;
	r = vq_run(q, NULL);
out:
	if (r != 0)
		out->n = n0;
	vuln_hits_release(&h);
	return r;
}
