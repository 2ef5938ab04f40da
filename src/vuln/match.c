/*
 * match.c: the matching engine: the rows of each vendor:product of a query
 * are pre-filtered with the range rules, then every candidate CVE's whole
 * configuration is rebuilt from the KB (rows borrowed from the mapping, no
 * copies) and evaluated with cpe_config_eval against the product and what
 * is known about its platform. docs/vulns.md has the confidence rules.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vuln/vuln_int.h"

static int is_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

void vq_init(struct vuln_query *q, const struct kb *kb)
{
	/* everything but the vendor:product slots (those past nvp are never
	 * read, and clearing 6 KB per lookup shows in bulk matching) */
	memset(q, 0, offsetof(struct vuln_query, vps));
	memset((char *)q + offsetof(struct vuln_query, nvp), 0,
	       offsetof(struct vuln_query, src) - offsetof(struct vuln_query, nvp));
	/* src[] is written before nsrc counts it; plat_cpe and plat are set
	 * where q->platform is pointed at them */
	q->nsrc = 0;
	q->kb = kb;
}

/* escape: CPE 2.3 quoting of a plain value, lower-cased; -1 when too long. */
static int escape(const char *s, size_t n, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (o + 3 > size)
			return -1;
		if (!is_plain((unsigned char)s[i]))
			out[o++] = '\\';
		out[o++] = lower(s[i]);
	}
	out[o] = '\0';
	return 0;
}

/* unescape: drop CPE 2.3 backslashes, lower-case; -1 when too long. */
static int unescape(const char *s, size_t n, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		if (o + 2 > size)
			return -1;
		out[o++] = lower(s[i]);
	}
	out[o] = '\0';
	return 0;
}

/* simple: s[0..n) needs no escaping, no unescaping, no lower-casing, and
 * fits a name of size bytes with room for an escape */
static int simple(const char *s, size_t n, size_t size)
{
	size_t i;

	if (n + 3 > size)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

int vq_add_vp(struct vuln_query *q, char part, const char *vendor, size_t vlen, const char *product,
	      size_t plen, int escaped)
{
	struct vq_vp tmp, *vp;
	size_t i;
	int r;

	/* built in the next free slot (committed by nvp++ at the end): every
	 * field is written below, so no clearing and no copy */
	vp = q->nvp < VQ_MAX_VP ? &q->vps[q->nvp] : &tmp;
	vp->part = part ? part : 'a';
	vp->ixp = NULL;
	if (simple(vendor, vlen, sizeof(vp->vendor)) &&
	    simple(product, plen, sizeof(vp->product))) {
		/* lower-case letters, digits, '_', '.', '-' only: every form is the
		 * name itself (the usual KB key), no escaping to do */
		memcpy(vp->vendor, vendor, vlen);
		vp->vendor[vlen] = '\0';
		memcpy(vp->key_vendor, vp->vendor, vlen + 1);
		memcpy(vp->product, product, plen);
		vp->product[plen] = '\0';
		memcpy(vp->key_product, vp->product, plen + 1);
		if (!vlen || !plen)
			return ERR_INVAL;
		goto dedup;
	}
	if (escaped) {
		r = unescape(vendor, vlen, vp->vendor, sizeof(vp->vendor)) |
		    unescape(product, plen, vp->product, sizeof(vp->product));
	} else {
		r = escape(vendor, vlen, vp->key_vendor, sizeof(vp->key_vendor)) |
		    escape(product, plen, vp->key_product, sizeof(vp->key_product)) |
		    unescape(vendor, vlen, vp->vendor, sizeof(vp->vendor)) |
		    unescape(product, plen, vp->product, sizeof(vp->product));
	}
	if (r != 0 || !vp->vendor[0] || !vp->product[0])
		return ERR_INVAL;
	if (escaped) {
		/* normalise the key through the plain form */
		if (escape(vp->vendor, strlen(vp->vendor), vp->key_vendor,
			   sizeof(vp->key_vendor)) ||
		    escape(vp->product, strlen(vp->product), vp->key_product,
			   sizeof(vp->key_product)))
			return ERR_INVAL;
	}
dedup:
	for (i = 0; i < q->nvp; i++)
		if (strcmp(q->vps[i].key_vendor, vp->key_vendor) == 0 &&
		    strcmp(q->vps[i].key_product, vp->key_product) == 0)
			return 0;
	if (q->nvp >= VQ_MAX_VP)
		return ERR_TOO_BIG;
	if (q->ix && (vp->ixp = vix_find(q->ix, vp->key_vendor, vp->key_product)) != NULL)
		vix_prefetch(q->ix, vp->ixp);
	q->nvp++;
	return 0;
}

/* split "vendor:product" at the first unescaped ':' */
static int split_vp(const char *s, size_t *vlen)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			i++;
			continue;
		}
		if (s[i] == ':') {
			*vlen = i;
			return 0;
		}
	}
	return -1;
}

static int add_alias_cb(const char *vp, const char *unused, void *ctx)
{
	struct vuln_query *q = ctx;
	size_t vl;

	(void)unused;
	if (split_vp(vp, &vl) == 0)
		(void)vq_add_vp(q, 'a', vp, vl, vp + vl + 1, strlen(vp + vl + 1), 1);
	return 0;
}

/* siblings: every product-table entry sharing a name with vendor:product */
static void add_siblings(struct vuln_query *q, const struct vq_vp *vp)
{
	const struct cpe_product *all, *e;
	size_t n, i, k, ne;

	all = cpe_products_all(&n);
	for (i = 0; i < n; i++) {
		/* the first letters reject nearly every entry without a call */
		if (all[i].vendor[0] != vp->vendor[0] || all[i].product[0] != vp->product[0] ||
		    strcmp(all[i].vendor, vp->vendor) != 0 || strcmp(all[i].product, vp->product))
			continue;
		if (cpe_products_lookup(all[i].name, strlen(all[i].name), &e, &ne) != 0)
			continue;
		for (k = 0; k < ne; k++)
			(void)vq_add_vp(q, e[k].part, e[k].vendor, strlen(e[k].vendor),
					e[k].product, strlen(e[k].product), 0);
	}
}

void vq_widen(struct vuln_query *q)
{
	size_t i, n = q->nvp;

	/* the index knows which of its products have siblings or aliases */
	for (i = 0; i < n; i++)
		if (!q->vps[i].ixp || (q->vps[i].ixp->flags & VIXP_TABLE))
			add_siblings(q, &q->vps[i]);
	n = q->nvp;
	for (i = 0; i < n && q->kb; i++)
		if (!q->vps[i].ixp || (q->vps[i].ixp->flags & VIXP_ALIASES))
			vq_ignore(kb_aliases(q->kb, q->vps[i].key_vendor, q->vps[i].key_product,
					     add_alias_cb, q));
}

/* ------------------------------------------------- borrowed CPE parse */

/* One attribute from s[0..n) without backslashes; -1 when a wildcard
 * stands inside the value (then cpe_parse decides). */
int vuln_cpe_fast_attr(const char *s, size_t n, struct cpe_attr *a)
{
	size_t pre = 0, post = 0, i;

	memset(a, 0, sizeof(*a));
	if (n == 1 && s[0] == '*') {
		a->kind = CPE_ANY;
		return 0;
	}
	if (n == 1 && s[0] == '-') {
		a->kind = CPE_NA;
		return 0;
	}
	if (n == 0)
		return -1;
	a->kind = CPE_VALUE;
	if (s[0] == '*') {
		a->pre = CPE_WILD_STAR;
		pre = 1;
	} else {
		while (pre < n && s[pre] == '?')
			pre++;
		a->pre = (unsigned short)pre;
	}
	if (n > pre && s[n - 1] == '*') {
		a->post = CPE_WILD_STAR;
		post = 1;
	} else {
		while (post < n - pre && s[n - 1 - post] == '?')
			post++;
		a->post = (unsigned short)post;
	}
	if (pre > 64 || post > 64)
		return -1;
	for (i = pre; i < n - post; i++)
		if (s[i] == '*' || s[i] == '?')
			return -1;
	a->v = s + pre;
	a->len = n - pre - post;
	return 0;
}

/*
 * vuln_cpe_fast_parse: a CPE 2.3 formatted string from the KB into *out
 * with every value pointing into s (out->mem NULL: nothing to free), for
 * the common case without backslash quoting. Anything else goes through
 * cpe_parse (out->mem then owns a copy: cpe_release it either way).
 */
TESTABLE int vuln_cpe_fast_parse(const char *s, struct cpe *out)
{
	size_t start = 8, i, f = 0, len;

	if (strncmp(s, "cpe:2.3:", 8) != 0 || strchr(s, '\\'))
		goto slow;
	cpe_init(out);
	len = strlen(s);
	for (i = start; i <= len; i++) {
		if (i < len && s[i] != ':')
			continue;
		if (f >= CPE_NATTR || vuln_cpe_fast_attr(s + start, i - start, &out->attr[f]) != 0)
			goto slow;
		f++;
		start = i + 1;
	}
	if (f != CPE_NATTR)
		goto slow;
	return 0;
slow:
	return cpe_parse(s, strlen(s), out);
}

/* -------------------------------------------------- configuration */

/* Reused storage for one CVE's configuration. */
struct scratch {
	struct cpe_node *nodes; /* [0] is the root */
	struct cpe_node **kids;
	struct cpe_range *rows;
	size_t nodes_cap, kids_cap, rows_cap, nrows;
	int windows_rows; /* some row names microsoft:windows* */
};

static void scratch_release_rows(struct scratch *s)
{
	size_t i;

	for (i = 0; i < s->nrows; i++)
		cpe_release(&s->rows[i].cpe); /* bounds are borrowed */
	s->nrows = 0;
}

static void scratch_free(struct scratch *s)
{
	scratch_release_rows(s);
	free(s->nodes);
	free(s->kids);
	free(s->rows);
}

static int reserve(void **p, size_t *cap, size_t n, size_t elem)
{
	void *np;

	if (n <= *cap)
		return 0;
	np = realloc(*p, n * elem);
	if (!np)
		return ERR_NOMEM;
	*p = np;
	*cap = n;
	return 0;
}

/* reserve_inline: reserve for an array that starts in inline storage
 * (never realloc'd or freed); the contents are kept */
static int reserve_inline(void **p, size_t *cap, size_t n, size_t elem, void *inl)
{
	void *np;

	if (n <= *cap)
		return 0;
	if (*p != inl)
		return reserve(p, cap, n, elem);
	np = malloc(n * elem);
	if (!np)
		return ERR_NOMEM;
	memcpy(np, *p, *cap * elem);
	*p = np;
	*cap = n;
	return 0;
}

/* row_from_kb: a cpe_range borrowing the KB's strings. */
static int row_from_kb(const struct kb_match *m, struct cpe_range *r)
{
	memset(r, 0, sizeof(*r));
	if (vuln_cpe_fast_parse(m->cpe, &r->cpe) != 0)
		return ERR_PARSE;
	r->vulnerable = (m->flags & KB_MATCH_VULNERABLE) != 0;
	if (m->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) {
		r->start = (char *)m->version_start;
		r->start_incl = (m->flags & KB_MATCH_START_INCL) != 0;
	}
	if (m->flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) {
		r->end = (char *)m->version_end;
		r->end_incl = (m->flags & KB_MATCH_END_INCL) != 0;
	}
	return 0;
}

/*
 * row_light: a row with only part, vendor, product, version, update and
 * bounds (the rest ANY). Equivalent to the full row when the platform
 * holds no CPEs: the product target states only those attributes (nothing
 * is disjoint from ANY), and a row about anything else is then decided by
 * its part alone. Rows with quoting take the full parse.
 */
static int row_light(const struct kb_match *m, struct cpe_range *r)
{
	const char *f[3], *colon = strchr(m->vendor_product, ':');
	size_t n[3];

	if (!colon || strchr(m->vendor_product, '\\') || strncmp(m->cpe, "cpe:2.3:", 8) != 0 ||
	    vuln_row_fields(m->cpe, f, n) != 0)
		return row_from_kb(m, r);
	memset(r, 0, sizeof(*r));
	cpe_init(&r->cpe);
	if (vuln_cpe_fast_attr(f[0], n[0], &r->cpe.attr[CPE_PART]) ||
	    vuln_cpe_fast_attr(f[1], n[1], &r->cpe.attr[CPE_VERSION]) ||
	    vuln_cpe_fast_attr(f[2], n[2], &r->cpe.attr[CPE_UPDATE]))
		return row_from_kb(m, r);
	cpe_set(&r->cpe, CPE_VENDOR, m->vendor_product, (size_t)(colon - m->vendor_product));
	cpe_set(&r->cpe, CPE_PRODUCT, colon + 1, strlen(colon + 1));
	r->vulnerable = (m->flags & KB_MATCH_VULNERABLE) != 0;
	if (m->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) {
		r->start = (char *)m->version_start;
		r->start_incl = (m->flags & KB_MATCH_START_INCL) != 0;
	}
	if (m->flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) {
		r->end = (char *)m->version_end;
		r->end_incl = (m->flags & KB_MATCH_END_INCL) != 0;
	}
	return 0;
}

/* build_config: the configuration of CVE info as a cpe_config over s
 * (light rows when the platform holds no CPEs). */
static int build_config(const struct kb *kb, const struct kb_cve_info *info, struct scratch *s,
			struct cpe_config *cfg, int light)
{
	uint32_t i, nn = info->n_nodes, base = UINT32_MAX, end = 0;
	size_t off;
	struct kb_node kn;
	int r;

	scratch_release_rows(s);
	s->windows_rows = 0;
	if ((r = reserve((void **)&s->nodes, &s->nodes_cap, nn + 1, sizeof(*s->nodes))) ||
	    (r = reserve((void **)&s->kids, &s->kids_cap, nn + 1, sizeof(*s->kids))))
		return r;
	memset(s->nodes, 0, (nn + 1) * sizeof(*s->nodes));
	for (i = 0; i < nn; i++) {
		struct cpe_node *pn;

		if ((r = kb_node(kb, info->first_node + i, &kn)) != 0)
			return r;
		pn = kn.parent == KB_NODE_NONE ? &s->nodes[0]
					       : &s->nodes[kn.parent - info->first_node + 1];
		/* the evaluation recurses: a KB from elsewhere must not nest deeper
		 * than an import allows (kb_open checks order, not depth) */
		s->nodes[i + 1].depth = pn->depth + 1;
		if (s->nodes[i + 1].depth >= CPE_CONFIG_MAX_DEPTH)
			return ERR_PARSE;
		pn->children_cap++; /* count first; filled below */
		s->nodes[i + 1].op = kn.op == KB_OP_AND ? CPE_OP_AND : CPE_OP_OR;
		s->nodes[i + 1].negate = kn.negate != 0;
		s->nodes[i + 1].nrows = kn.n_match;
		s->nodes[i + 1].rows_cap = kn.first_match; /* stash, replaced below */
		if (kn.n_match) {
			if (kn.first_match < base)
				base = kn.first_match;
			if (kn.first_match + kn.n_match > end)
				end = kn.first_match + kn.n_match;
		}
	}
	/* children pointer slices, in preorder */
	for (i = 0, off = 0; i <= nn; i++) {
		s->nodes[i].children = s->kids + off;
		off += s->nodes[i].children_cap;
		s->nodes[i].children_cap = 0;
	}
	for (i = 0; i < nn; i++) {
		struct cpe_node *pn;

		if ((r = kb_node(kb, info->first_node + i, &kn)) != 0)
			return r;
		pn = kn.parent == KB_NODE_NONE ? &s->nodes[0]
					       : &s->nodes[kn.parent - info->first_node + 1];
		pn->children[pn->nchildren++] = &s->nodes[i + 1];
	}
	if (base == UINT32_MAX)
		base = end = 0;
	if ((r = reserve((void **)&s->rows, &s->rows_cap, end - base, sizeof(*s->rows))) != 0)
		return r;
	for (i = base; i < end; i++) {
		struct kb_match m;

		if ((r = kb_match_at(kb, i, &m)) != 0)
			return r;
		if ((r = (light ? row_light : row_from_kb)(&m, &s->rows[s->nrows])) != 0)
			return r;
		s->nrows++;
		if (strncmp(m.vendor_product, "microsoft:windows", 17) == 0)
			s->windows_rows = 1;
	}
	for (i = 1; i <= nn; i++) {
		s->nodes[i].rows =
		    s->nodes[i].nrows ? s->rows + (s->nodes[i].rows_cap - base) : NULL;
		s->nodes[i].rows_cap = s->nodes[i].nrows;
	}
	cfg->root = &s->nodes[0];
	cfg->nnodes = nn + 1;
	cfg->nrows = s->nrows;
	return 0;
}

/* ---------------------------------------------------------- Windows */

/*
 * vuln_windows_only: does a description limit the CVE to Windows ("when
 * using Apache and PHP-CGI on Windows") without naming another OS? NVD
 * writes some of these with no OS condition at all (CVE-2024-4577).
 */
int vuln_windows_only(const char *desc)
{
	static const char *const on[] = {
	    " on windows",	    "for windows",	     "windows only",   "windows-only",
	    "on microsoft windows", "windows installations", "windows systems"};
	static const char *const other[] = {"linux",	       "unix",	     "macos",
					    "mac os",	       "bsd",	     "all platforms",
					    "other platforms", "non-windows"};
	size_t i;
	int hit = 0;

	if (!strcasestr(desc, "windows"))
		return 0;
	for (i = 0; i < ARRAY_SIZE(on) && !hit; i++)
		hit = strcasestr(desc, on[i]) != NULL;
	for (i = 0; i < ARRAY_SIZE(other) && hit; i++)
		if (strcasestr(desc, other[i]))
			hit = 0;
	return hit;
}

/* What the platform says about the OS: 1 Windows, 0 another OS, -1 unknown. */
static int platform_windows(const struct cpe_platform *pl)
{
	size_t i;
	int os = -1;

	if (!pl || !(pl->known & CPE_PLAT_OS))
		return -1;
	for (i = 0; i < pl->ncpes; i++) {
		const struct cpe *c = &pl->cpes[i];

		if (!cpe_attr_eq_str(&c->attr[CPE_PART], "o", 1))
			continue;
		if (cpe_attr_eq_str(&c->attr[CPE_VENDOR], "microsoft", 9))
			return 1;
		os = 0;
	}
	return os;
}

/* ------------------------------------------------------ the query */

/* A CVE with a vulnerable row that matched one of the query's products. */
struct cand {
	uint32_t cve;
	uint32_t row; /* the best matching row, for "why" */
	uint16_t vp;
	uint8_t conf;	/* enum match_conf of that row */
	uint8_t mflags; /* its enum cpe_match_flag bits */
};

/* A row of one product that matched (the index path gathers these, then
 * keeps the first row with the best confidence per CVE, as the KB walk). */
struct tup {
	uint32_t cve, row;
	uint8_t conf, flags;
};

struct collect {
	const struct vuln_query *q;
	uint16_t vp;
	struct cand *v;
	size_t n, cap;
	int err;
	int use_ix;	 /* the index path (q->ix, a version that keys) */
	int have_target; /* target and row are set for vps[vp] (the KB walk's) */
	/* not cleared per query: */
	struct cpe target;
	struct cpe_range row; /* the prefilter's row: vendor/product of target */
	struct vix_qver qv;
	struct tup *t;
	size_t tn, tcap;
	struct cand v_inline[32];
	struct tup t_inline[64];
};

/*
 * vuln_row_fields: part, version and update of a CPE 2.3 string in one walk;
 * -1 when the version or update is quoted (then the full parse decides).
 * Vendor and product may be quoted: they are skipped, not read.
 */
int vuln_row_fields(const char *s, const char *f[3], size_t n[3])
{
	const char *p = s + 8, *start = p;
	int k = 0, quoted = 0;

	for (;; p++) {
		if (*p == '\\' && p[1]) {
			quoted = 1;
			p++;
			continue;
		}
		if (*p != ':' && *p != '\0')
			continue;
		if (k == 0 || k == 3 || k == 4) {
			if (quoted)
				return -1;
			f[k == 0 ? 0 : k - 2] = start;
			n[k == 0 ? 0 : k - 2] = (size_t)(p - start);
		}
		if (k == 4)
			return 0;
		if (*p == '\0')
			return -1;
		k++;
		quoted = 0;
		start = p + 1;
	}
}

/*
 * prefilter: does the product's own row m match the target's version? The
 * target states only part, vendor, product and version (the rest is ANY,
 * which no row attribute is disjoint from), and the row's vendor:product
 * is the target's, so only part, version and update need reading: they
 * are written into c->row, whose other attributes were set once per
 * product. Rows with a quoted version take the full parse.
 */
static void prefilter(struct collect *c, const struct kb_match *m, struct cpe_result *res)
{
	struct cpe_range *r = &c->row;
	const char *f[3];
	size_t n[3];

	res->conf = MATCH_NONE;
	res->flags = 0;
	if (strncmp(m->cpe, "cpe:2.3:", 8) != 0 || vuln_row_fields(m->cpe, f, n) != 0) {
		struct cpe_range full;

		if (row_from_kb(m, &full) == 0)
			cpe_range_match_cpe(&full, &c->target, res);
		cpe_release(&full.cpe);
		return;
	}
	if (vuln_cpe_fast_attr(f[0], n[0], &r->cpe.attr[CPE_PART]) ||
	    vuln_cpe_fast_attr(f[1], n[1], &r->cpe.attr[CPE_VERSION]) ||
	    vuln_cpe_fast_attr(f[2], n[2], &r->cpe.attr[CPE_UPDATE]))
		return;
	r->start = r->end = NULL;
	if (m->flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) {
		r->start = (char *)m->version_start;
		r->start_incl = (m->flags & KB_MATCH_START_INCL) != 0;
	}
	if (m->flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) {
		r->end = (char *)m->version_end;
		r->end_incl = (m->flags & KB_MATCH_END_INCL) != 0;
	}
	cpe_range_match_cpe(r, &c->target, res);
}

/* collect_add: note that row (of CVE cve) matched with res */
static int collect_add(struct collect *c, uint32_t cve, uint32_t row, const struct cpe_result *res)
{
	struct cand *last = c->n ? &c->v[c->n - 1] : NULL;

	if (last && last->cve == cve && last->vp == c->vp) {
		if (res->conf > last->conf) {
			last->conf = (uint8_t)res->conf;
			last->mflags = (uint8_t)res->flags;
			last->row = row;
		}
		return 0;
	}
	if (c->n + 1 > c->cap && reserve_inline((void **)&c->v, &c->cap, c->cap * 2 + 16,
						sizeof(*c->v), c->v_inline) != 0) {
		c->err = ERR_NOMEM;
		return 1;
	}
	c->v[c->n].cve = cve;
	c->v[c->n].row = row;
	c->v[c->n].vp = c->vp;
	c->v[c->n].conf = (uint8_t)res->conf;
	c->v[c->n].mflags = (uint8_t)res->flags;
	c->n++;
	return 0;
}

/* already_high: this CVE is a candidate for this product at HIGH */
static int already_high(const struct collect *c, uint32_t cve)
{
	const struct cand *last = c->n ? &c->v[c->n - 1] : NULL;

	return last && last->cve == cve && last->vp == c->vp && last->conf == MATCH_HIGH;
}

static int collect_cb(const struct kb_match *m, void *ctx)
{
	struct collect *c = ctx;
	struct cpe_result res;

	if (!(m->flags & KB_MATCH_VULNERABLE) || already_high(c, m->cve_index))
		return 0;
	prefilter(c, m, &res);
	if (res.conf == MATCH_NONE)
		return 0;
	return collect_add(c, m->cve_index, m->index, &res);
}

static void target_for(const struct vuln_query *q, const struct vq_vp *vp, struct cpe *t);

/* the target and the prefilter's row for vps[c->vp] */
static void collect_target(struct collect *c)
{
	target_for(c->q, &c->q->vps[c->vp], &c->target);
	memset(&c->row, 0, sizeof(c->row));
	cpe_init(&c->row.cpe);
	c->row.cpe.attr[CPE_VENDOR] = c->target.attr[CPE_VENDOR];
	c->row.cpe.attr[CPE_PRODUCT] = c->target.attr[CPE_PRODUCT];
	c->have_target = 1;
}

static int tup_add(struct collect *c, uint32_t cve, uint32_t row, const struct cpe_result *res)
{
	if (c->tn == c->tcap && reserve_inline((void **)&c->t, &c->tcap, c->tcap * 2 + 16,
					       sizeof(*c->t), c->t_inline) != 0) {
		c->err = ERR_NOMEM;
		return 1;
	}
	c->t[c->tn].cve = cve;
	c->t[c->tn].row = row;
	c->t[c->tn].conf = (uint8_t)res->conf;
	c->t[c->tn].flags = (uint8_t)res->flags;
	c->tn++;
	return 0;
}

static int tup_cmp(const void *a, const void *b)
{
	const struct tup *x = a, *y = b;

	if (x->cve != y->cve)
		return x->cve < y->cve ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int part_ok(char row_part, char part)
{
	return row_part == 0 || lower(row_part) == lower(part);
}

/* the exact rows of p whose key is k: HIGH, or (update "*" rows only, for
 * the version without its suffix) MEDIUM with UPDATE_GUESS */
static int collect_exact(struct collect *c, const struct vix_prod *p, char part, const uint8_t *k,
			 size_t kn, uint64_t kpre, int guess)
{
	const struct vuln_index *ix = c->q->ix;
	const struct vix_row *rows = vix_rows(ix, p);
	struct cpe_result res = {guess ? MATCH_MEDIUM : MATCH_HIGH,
				 guess ? CPE_MF_UPDATE_GUESS : 0};
	size_t i;

	for (i = vix_exact_lower(ix, p, k, kn, kpre); i < p->nexact; i++) {
		if (!vix_key_eq(ix, &rows[i], k, kn, kpre))
			break;
		if ((guess && rows[i].kind != VIX_EXACT_ANYUPD) || !part_ok(rows[i].part, part))
			continue;
		if (tup_add(c, rows[i].cve, rows[i].row, &res))
			return c->err;
	}
	return 0;
}

/* collect_index: the same over the index's copy of the product's rows:
 * exact rows by binary search, the others one by one */
static int collect_index(struct collect *c, const struct vq_vp *vp)
{
	const struct vuln_index *ix = c->q->ix;
	const struct vix_prod *p = vp->ixp;
	const struct vix_row *rows;
	const struct vix_qver *qv = &c->qv;
	struct cpe_result res;
	struct kb_match m;
	size_t i, k;

	if (!p)
		return 0;
	rows = vix_rows(ix, p);
	c->tn = 0;
	if (collect_exact(c, p, vp->part, qv->f, qv->fn, qv->fpre, 0) ||
	    (qv->has_base && collect_exact(c, p, vp->part, qv->b, qv->bn, qv->bpre, 1)))
		return c->err;
	for (i = p->nexact; i < (size_t)p->nexact + p->nother; i++) {
		if (rows[i].kind == VIX_SLOW) {
			if (!c->have_target)
				collect_target(c);
			if (kb_match_at(c->q->kb, rows[i].row, &m) != 0)
				return ERR_RANGE;
			prefilter(c, &m, &res);
		} else if (part_ok(rows[i].part, vp->part)) {
			vix_row_match(ix, &rows[i], qv, &res);
		} else {
			continue;
		}
		if (res.conf != MATCH_NONE && tup_add(c, rows[i].cve, rows[i].row, &res))
			return c->err;
	}
	if (c->tn > 16) {
		qsort(c->t, c->tn, sizeof(*c->t), tup_cmp);
	} else {
		for (i = 1; i < c->tn; i++) {
			struct tup x = c->t[i];

			for (k = i; k > 0 && tup_cmp(&c->t[k - 1], &x) > 0; k--)
				c->t[k] = c->t[k - 1];
			c->t[k] = x;
		}
	}
	/* per CVE the first row (KB order) with the best confidence */
	for (i = 0; i < c->tn; i = k) {
		size_t best = i;

		for (k = i + 1; k < c->tn && c->t[k].cve == c->t[i].cve; k++)
			if (c->t[k].conf > c->t[best].conf)
				best = k;
		vix_prefetch_cve(ix, c->t[best].cve); /* evaluated after all products */
		res.conf = (enum match_conf)c->t[best].conf;
		res.flags = c->t[best].flags;
		if (collect_add(c, c->t[best].cve, c->t[best].row, &res))
			return c->err;
	}
	return 0;
}

static void target_for(const struct vuln_query *q, const struct vq_vp *vp, struct cpe *t)
{
	cpe_init(t);
	cpe_set(t, CPE_PART, &vp->part, 1);
	cpe_set(t, CPE_VENDOR, vp->vendor, strlen(vp->vendor));
	cpe_set(t, CPE_PRODUCT, vp->product, strlen(vp->product));
	if (q->version[0])
		cpe_set(t, CPE_VERSION, q->version, strlen(q->version));
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->cve != y->cve)
		return x->cve < y->cve ? -1 : 1;
	return (int)x->vp - (int)y->vp;
}

/* why_put: append s[0..n) to h->why, cut as vuln_why_append cuts */
static void why_put(struct vuln_hit *h, const char *s, size_t n)
{
	size_t len = strlen(h->why), room;

	if (len + 1 >= sizeof(h->why))
		return;
	room = sizeof(h->why) - 1 - len;
	if (n > room)
		n = room;
	memcpy(h->why + len, s, n);
	h->why[len + n] = '\0';
}

static void why_str(struct vuln_hit *h, const char *s)
{
	why_put(h, s, strlen(s));
}

/* why: how the best row matched ("9.2p1 in [8.6, 9.8)") for the product's
 * version; flags are the match's CPE_MF_* bits. */
static void why_row(const char *version, const struct kb *kb, uint32_t row, unsigned flags,
		    struct vuln_hit *h)
{
	struct kb_match m;
	int has_s, has_e;

	h->why[0] = '\0';
	if (kb_match_at(kb, row, &m) != 0)
		return;
	has_s = (m.flags & (KB_MATCH_START_INCL | KB_MATCH_START_EXCL)) != 0;
	has_e = (m.flags & (KB_MATCH_END_INCL | KB_MATCH_END_EXCL)) != 0;
	if (flags & CPE_MF_VERSION_UNKNOWN) {
		why_str(h, "version unknown");
	} else if (has_s && has_e) {
		why_str(h, version);
		why_str(h, (m.flags & KB_MATCH_START_INCL) ? " in [" : " in (");
		why_str(h, m.version_start);
		why_str(h, ", ");
		why_str(h, m.version_end);
		why_str(h, (m.flags & KB_MATCH_END_INCL) ? "]" : ")");
	} else if (has_e) {
		why_str(h, version);
		why_str(h, (m.flags & KB_MATCH_END_INCL) ? " <= " : " < ");
		why_str(h, m.version_end);
	} else if (has_s) {
		why_str(h, version);
		why_str(h, (m.flags & KB_MATCH_START_INCL) ? " >= " : " > ");
		why_str(h, m.version_start);
	} else if (flags & CPE_MF_ALL_VERSIONS) {
		why_str(h, "all versions (versionless entry)");
	} else {
		why_str(h, version);
		why_str(h, " listed (");
		why_put(h, m.cpe + 8, strnlen(m.cpe + 8, 80));
		why_str(h, ")");
	}
	if (flags & CPE_MF_UPDATE_GUESS)
		why_str(h, ", update level not stated in the entry");
	if ((m.flags & KB_MATCH_END_EXCL) && !(flags & CPE_MF_ALL_VERSIONS))
		str_lcpy(h->fixed, m.version_end, sizeof(h->fixed));
	str_lcpy(h->matched, m.vendor_product, sizeof(h->matched));
}

static enum check_conf conf_of(enum match_conf c)
{
	return c == MATCH_HIGH ? CONF_HIGH : c == MATCH_MEDIUM ? CONF_MEDIUM : CONF_LOW;
}

/*
 * pure_or: 1 when every node of the CVE is a plain OR (no AND, no negate):
 * then cpe_config_eval's answer is the best vulnerable row of the product,
 * which the prefilter already found, and the configuration need not be
 * rebuilt. Also notes whether any row names Windows (only when the
 * description does, as that is all it is needed for). The index keeps
 * both facts per CVE (index.c).
 */
static int pure_or(const struct vuln_query *q, const struct kb_cve_info *info, struct scratch *s)
{
	const struct kb *kb = q->kb;
	struct kb_node kn;
	uint32_t i, k;
	int r;

	s->windows_rows = 0;
	for (i = 0; i < info->n_nodes; i++) {
		if ((r = kb_node(kb, info->first_node + i, &kn)) != 0)
			return r;
		if (kn.op != KB_OP_OR || kn.negate)
			return 0;
	}
	if (!strcasestr(info->description, "windows"))
		return 1;
	for (i = 0; i < info->n_nodes && !s->windows_rows; i++) {
		if ((r = kb_node(kb, info->first_node + i, &kn)) != 0)
			return r;
		for (k = 0; k < kn.n_match; k++) {
			struct kb_match m;

			if ((r = kb_match_at(kb, kn.first_match + k, &m)) != 0)
				return r;
			if (strncmp(m.vendor_product, "microsoft:windows", 17) == 0) {
				s->windows_rows = 1;
				break;
			}
		}
	}
	return 1;
}

/* the whole configuration, rebuilt from the KB and evaluated */
static int eval_config(const struct vuln_query *q, const struct cand *cd, struct scratch *s,
		       const struct kb_cve_info *info, struct cpe_result *res)
{
	struct cpe_config cfg;
	struct cpe target;
	int r;

	r = build_config(q->kb, info, s, &cfg, !q->platform || q->platform->ncpes == 0);
	if (r == ERR_PARSE)
		return 0; /* a row the CPE parser refuses: skip the CVE */
	if (r != 0)
		return r;
	target_for(q, &q->vps[cd->vp], &target);
	cpe_config_eval(&cfg, q->platform, &target, res);
	return 0;
}

/* eval_one: evaluate one candidate from the KB; *res MATCH_NONE when it
 * does not apply; *win: the Windows-only rule applies */
static int eval_one(const struct vuln_query *q, const struct cand *cd, struct scratch *s,
		    struct kb_cve_info *info, struct cpe_result *res, int *win)
{
	int r;

	res->conf = MATCH_NONE;
	res->flags = 0;
	*win = 0;
	if ((r = kb_cve_at(q->kb, cd->cve, info)) != 0)
		return r;
	if (info->flags & KB_CVE_REJECTED)
		return 0;
	if ((r = pure_or(q, info, s)) < 0)
		return r;
	if (r == 1) {
		/* only ORs: the best vulnerable row of the product decides */
		res->conf = (enum match_conf)cd->conf;
		res->flags = cd->mflags;
	} else if ((r = eval_config(q, cd, s, info, res)) != 0) {
		return r;
	}
	*win = !s->windows_rows && vuln_windows_only(info->description);
	return 0;
}

/* eval_ix: the same with the index's facts; *have_info set when info was
 * read (only the fallback for configurations the index cannot evaluate) */
static int eval_ix(const struct vuln_query *q, const struct collect *c, const struct cand *cd,
		   struct scratch *s, struct kb_cve_info *info, int *have_info,
		   struct cpe_result *res, int *win)
{
	unsigned fl = vix_cve_flags(q->ix, cd->cve);
	const struct vq_vp *vp = &q->vps[cd->vp];
	int r;

	res->conf = MATCH_NONE;
	res->flags = 0;
	*win = 0;
	*have_info = 0;
	if (fl & VIXC_REJECTED)
		return 0;
	if (!(fl & VIXC_COMPLEX)) {
		res->conf = (enum match_conf)cd->conf;
		res->flags = cd->mflags;
		*win = (fl & VIXC_WIN_OR) != 0;
		return 0;
	}
	if (!(fl & VIXC_FALLBACK) && vp->ixp && (!q->platform || q->platform->ncpes == 0)) {
		vix_cx_eval(q->ix, cd->cve, vp->ixp->canon, vp->part, &c->qv, q->platform, res);
		*win = (fl & VIXC_WIN_CX) != 0;
		return 0;
	}
	if ((r = kb_cve_at(q->kb, cd->cve, info)) != 0)
		return r;
	*have_info = 1;
	if ((r = eval_config(q, cd, s, info, res)) != 0)
		return r;
	*win = !s->windows_rows && vuln_windows_only(info->description);
	return 0;
}

/* apply the query's rules to one evaluated candidate; 0 = drop */
static int judge(const struct vuln_query *q, int win_only, struct cpe_result *res, unsigned *hf)
{
	int win;

	*hf = 0;
	if (res->conf == MATCH_NONE)
		return 0;
	if (res->flags & CPE_MF_ALL_VERSIONS)
		*hf |= VULN_HF_ALL_VERSIONS;
	if (res->flags & CPE_MF_VERSION_UNKNOWN)
		*hf |= VULN_HF_VERSION_UNKNOWN;
	if (res->flags & CPE_MF_UPDATE_GUESS)
		*hf |= VULN_HF_UPDATE_GUESS;
	if (res->flags & CPE_MF_PLATFORM_UNKNOWN)
		*hf |= VULN_HF_PLATFORM_UNKNOWN;
	if (!(q->flags & VULN_F_ALL)) {
		if (*hf & VULN_HF_VERSION_UNKNOWN)
			return 0;
		if ((*hf & VULN_HF_ALL_VERSIONS) && (*hf & VULN_HF_PLATFORM_UNKNOWN))
			return 0;
	}
	if (win_only) {
		win = platform_windows(q->platform);
		if (win == 0 && res->conf > MATCH_LOW)
			res->conf = MATCH_LOW;
		else if (win < 0 && res->conf > MATCH_MEDIUM)
			res->conf = MATCH_MEDIUM;
		if (win <= 0)
			*hf |= VULN_HF_WINDOWS_ONLY;
	}
	if ((q->flags & VULN_F_BACKPORTS) && res->conf > MATCH_LOW) {
		res->conf = MATCH_LOW;
		*hf |= VULN_HF_BACKPORT;
	}
	return 1;
}

/* why_tail: what the hit's flags add to the row's explanation */
static void why_tail(struct vuln_hit *h, unsigned hf)
{
	if (hf & VULN_HF_PLATFORM_UNKNOWN)
		why_str(h, "; only on a platform not known here");
	if (hf & VULN_HF_WINDOWS_ONLY)
		why_str(h, "; the description says Windows");
	if (hf & VULN_HF_BACKPORT)
		why_str(h, "; distribution build, the fix may be backported");
}

/* the CPE_MF_* bits of the match behind hit flags hf (judge maps them) */
static unsigned mf_of(unsigned hf)
{
	return ((hf & VULN_HF_ALL_VERSIONS) ? CPE_MF_ALL_VERSIONS : 0u) |
	       ((hf & VULN_HF_VERSION_UNKNOWN) ? CPE_MF_VERSION_UNKNOWN : 0u) |
	       ((hf & VULN_HF_UPDATE_GUESS) ? CPE_MF_UPDATE_GUESS : 0u);
}

void vuln_hit_explain(const struct vuln_index *ix, struct vuln_hit *h)
{
	char ver[VQ_VERSION_MAX];

	if (!h->explain)
		return;
	/* while pending, why holds the product's version */
	str_lcpy(ver, h->why, sizeof(ver));
	h->explain = 0;
	why_row(ver, vuln_index_kb(ix), h->row, mf_of(h->flags), h);
	why_tail(h, h->flags);
}

void vuln_hits_explain(const struct vuln_index *ix, struct vuln_hits *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		vuln_hit_explain(ix, &h->v[i]);
}

/* emit: the hit for cd; *last is the CVE of the last hit this run emitted
 * (UINT32_MAX: none), which is then out's last hit */
static int emit(const struct vuln_query *q, const struct cand *cd, struct kb_cve_info *info,
		int have_info, const struct cpe_result *res, unsigned hf, struct vuln_hits *out,
		uint32_t *last)
{
	struct vuln_hit *h, *prev;

	/* candidates come in CVE order: a second match of a CVE follows the
	 * first and replaces it only with a better confidence */
	prev = out->n ? &out->v[out->n - 1] : NULL;
	if (prev && *last == cd->cve && conf_of(res->conf) <= prev->conf)
		return 0;
	*last = cd->cve;
	/* built in the next free slot (a hit is 660 bytes: no copy), counted
	 * below unless it replaces the previous one */
	if (out->n == out->cap &&
	    reserve((void **)&out->v, &out->cap, out->cap ? out->cap * 2 : 16, sizeof(*out->v)))
		return ERR_NOMEM;
	prev = out->n ? &out->v[out->n - 1] : NULL;
	h = &out->v[out->n];
	memset(h, 0, offsetof(struct vuln_hit, cvss_vector));
	/* the strings are set below (vq_hit_fill writes cvss_vector) */
	h->cwe[0] = h->fixed[0] = h->why[0] = h->matched[0] = '\0';
	h->explain = 0;
	h->row = UINT32_MAX;
	if (have_info || !q->ix || vix_hit_fill(q->ix, cd->cve, h) != 0) {
		if (!have_info && kb_cve_at(q->kb, cd->cve, info) != 0)
			return ERR_RANGE;
		vq_hit_fill(q->kb, info, h);
	}
	h->conf = conf_of(res->conf);
	h->flags = hf;
	if (q->lazy_why) {
		/* vuln_hit_explain fills why, fixed and matched from the row */
		h->explain = 1;
		h->row = cd->row;
		str_lcpy(h->why, q->version, sizeof(h->why));
	} else {
		why_row(q->version, q->kb, cd->row, res->flags, h);
		why_tail(h, hf);
	}
	if (prev && strcmp(prev->cve, h->cve) == 0) {
		if (h->conf > prev->conf)
			*prev = *h;
		return 0;
	}
	out->n++;
	return 0;
}

/* ref: the short form of the hit for cd (as emit, without the details) */
static int ref(const struct vuln_query *q, const struct cand *cd, const struct cpe_result *res,
	       unsigned hf, uint32_t *last)
{
	struct vuln_refs *rl = q->refs;
	struct vuln_ref *x;
	struct kb_cve_info info;
	enum check_conf conf = conf_of(res->conf);

	if (rl->n && *last == cd->cve) {
		x = &rl->v[rl->n - 1];
		if (conf > x->conf) {
			x->conf = conf;
			x->flags = hf;
			x->row = cd->row;
		}
		return 0;
	}
	*last = cd->cve;
	if (rl->n == rl->cap &&
	    reserve((void **)&rl->v, &rl->cap, rl->cap ? rl->cap * 2 : 16, sizeof(*rl->v)) != 0)
		return ERR_NOMEM;
	x = &rl->v[rl->n];
	if (!q->ix || vix_cve_id(q->ix, cd->cve, x->cve) != 0) {
		if (kb_cve_at(q->kb, cd->cve, &info) != 0)
			return ERR_RANGE;
		str_lcpy(x->cve, info.id, sizeof(x->cve));
	}
	x->cve_index = cd->cve;
	x->row = cd->row;
	x->conf = conf;
	x->flags = hf;
	rl->n++;
	return 0;
}

/* the candidates of every vendor:product of q into c */
static int collect_all(const struct vuln_query *q, struct collect *c)
{
	size_t i;
	int r = 0;

	for (i = 0; i < q->nvp && q->kb; i++) {
		c->vp = (uint16_t)i;
		c->have_target = 0;
		if (!c->use_ix)
			collect_target(c);
		if (c->use_ix)
			r = collect_index(c, &q->vps[i]);
		else
			r = kb_lookup_product(q->kb, q->vps[i].key_vendor, q->vps[i].key_product,
					      collect_cb, c);
		if (c->err)
			return c->err;
		if (r != 0)
			return r;
	}
	if (q->nvp > 1 && c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), cand_cmp);
	return 0;
}

int vq_run(const struct vuln_query *q, struct vuln_hits *out)
{
	struct collect cs, *c = &cs; /* on the stack: a few KB, once per query */
	struct scratch s;
	struct kb_cve_info info;
	struct cpe_result res;
	size_t i;
	unsigned hf;
	uint32_t last = UINT32_MAX;
	int r = 0, win = 0, have_info = 0;

	if (!q->version[0] && !(q->flags & VULN_F_ALL))
		return 0; /* no version: nothing a row could say about it */
	/* the key buffers need no clearing, target and row are set when used */
	memset(c, 0, offsetof(struct collect, target));
	/* candidates and matched rows start in the collector itself: most
	 * queries need no allocation */
	c->v = c->v_inline;
	c->cap = ARRAY_SIZE(c->v_inline);
	c->t = c->t_inline;
	c->tn = 0;
	c->tcap = ARRAY_SIZE(c->t_inline);
	memset(&s, 0, sizeof(s));
	c->q = q;
	c->use_ix = q->ix && q->version[0] && vix_qver_set(&c->qv, q->version) == 0;
	if ((r = collect_all(q, c)) != 0)
		goto out;
	for (i = 0; i < c->n; i++) {
		if (c->use_ix)
			r = eval_ix(q, c, &c->v[i], &s, &info, &have_info, &res, &win);
		else
			r = eval_one(q, &c->v[i], &s, &info, &res, &win);
		if (r != 0)
			goto out;
		if (!judge(q, win, &res, &hf))
			continue;
		if (q->refs) {
			if ((r = ref(q, &c->v[i], &res, hf, &last)) != 0)
				goto out;
			continue;
		}
		if ((r = emit(q, &c->v[i], &info, !c->use_ix || have_info, &res, hf, out, &last)) !=
		    0)
			goto out;
	}
out:
	if (c->v != c->v_inline)
		free(c->v);
	if (c->t != c->t_inline)
		free(c->t);
	scratch_free(&s);
	return r;
}

void vq_hit_fill(const struct kb *kb, const struct kb_cve_info *info, struct vuln_hit *h)
{
	(void)kb;
	str_lcpy(h->cve, info->id, sizeof(h->cve));
	h->cvss = info->cvss_score;
	h->cvss_version = info->cvss_version;
	str_lcpy(h->cvss_vector, info->cvss_vector, sizeof(h->cvss_vector));
	if (info->cwe == 1)
		str_lcpy(h->cwe, "NVD-CWE-Other", sizeof(h->cwe));
	else if (info->cwe == 2)
		str_lcpy(h->cwe, "NVD-CWE-noinfo", sizeof(h->cwe));
	else if (info->cwe) {
		/* "CWE-%u" without printf: this runs for every hit */
		char d[12];
		size_t n = 0, k;
		uint32_t v = info->cwe;

		while (v && n < sizeof(d)) {
			d[n++] = (char)('0' + v % 10);
			v /= 10;
		}
		memcpy(h->cwe, "CWE-", 4);
		for (k = 0; k < n && 4 + k + 1 < sizeof(h->cwe); k++)
			h->cwe[4 + k] = d[n - 1 - k];
		h->cwe[4 + k] = '\0';
	}
	h->kev = (info->flags & KB_CVE_KEV) != 0;
	h->ransomware = (info->flags & KB_CVE_RANSOMWARE) != 0;
	h->epss = info->epss;
	h->epss_pct = info->epss_percentile;
	h->sev = vuln_sev_from_cvss(h->cvss, h->kev);
	if (h->cvss <= 0.0) {
		/* not scored: the KB's severity word when there is one */
		switch (info->severity) {
		case KB_SEV_CRITICAL:
			h->sev = SEV_CRITICAL;
			break;
		case KB_SEV_HIGH:
			h->sev = SEV_HIGH;
			break;
		case KB_SEV_LOW:
			h->sev = SEV_LOW;
			break;
		default:
			h->sev = SEV_MEDIUM;
			break;
		}
		if (h->kev && h->sev < SEV_CRITICAL)
			h->sev++;
	}
}

enum check_sev vuln_sev_from_cvss(double cvss, int kev)
{
	enum check_sev s;

	if (cvss >= 9.0)
		s = SEV_CRITICAL;
	else if (cvss >= 7.0)
		s = SEV_HIGH;
	else if (cvss >= 4.0)
		s = SEV_MEDIUM;
	else
		s = SEV_LOW;
	if (kev && s < SEV_CRITICAL)
		s++;
	return s;
}

/* ------------------------------------------------- public entries */

int vq_set_cpe(struct vuln_query *q, const char *cpe23)
{
	struct cpe c;
	const struct cpe_attr *v, *u, *pa, *ve, *pr;
	int r;

	if (!cpe23)
		return ERR_PARSE;
	if ((r = cpe_parse(cpe23, strlen(cpe23), &c)) != 0)
		return r;
	v = &c.attr[CPE_VERSION];
	u = &c.attr[CPE_UPDATE];
	pa = &c.attr[CPE_PART];
	ve = &c.attr[CPE_VENDOR];
	pr = &c.attr[CPE_PRODUCT];
	if (ve->kind != CPE_VALUE || pr->kind != CPE_VALUE || ve->pre || ve->post || pr->pre ||
	    pr->post) {
		r = ERR_PARSE;
		goto out;
	}
	q->version[0] = '\0';
	if (v->kind == CPE_VALUE && !v->pre && !v->post && v->len < 100) {
		int n = snprintf(q->version, sizeof(q->version), "%.*s", (int)v->len, v->v);

		if (n > 0 && u->kind == CPE_VALUE && !u->pre && !u->post && u->len && u->len < 20)
			snprintf(q->version + n, sizeof(q->version) - (size_t)n, "%s%.*s",
				 (u->v[0] >= '0' && u->v[0] <= '9') ? "." : "", (int)u->len, u->v);
	}
	r = vq_add_vp(q, pa->kind == CPE_VALUE && pa->len == 1 ? lower(pa->v[0]) : 'a', ve->v,
		      ve->len, pr->v, pr->len, 0);
	if (r != 0)
		r = ERR_PARSE;
out:
	cpe_release(&c);
	return r;
}

/* add_name: the product-table entries for name[0..len) */
static int add_name(struct vuln_query *q, const char *name, size_t len)
{
	const struct cpe_product *e;
	size_t n, i;

	if (cpe_products_lookup(name, len, &e, &n) != 0)
		return 0;
	for (i = 0; i < n; i++)
		(void)vq_add_vp(q, e[i].part, e[i].vendor, strlen(e[i].vendor), e[i].product,
				strlen(e[i].product), 0);
	return (int)n;
}

static int add_deb_cpe_cb(const char *pkg, const char *vp, void *ctx)
{
	(void)pkg;
	return add_alias_cb(vp, NULL, ctx);
}

/*
 * Map a banner/package name to vendor:product pairs: "vendor:product"
 * literally; the whole name; the name with spaces as dashes; the Debian CPE
 * list; then each word ("Apache httpd" -> apache).
 */
void vq_add_product_name(struct vuln_query *q, const char *name)
{
	size_t len = strlen(name), i, vl, ws;
	char dashed[72];

	if (split_vp(name, &vl) == 0) {
		(void)vq_add_vp(q, 'a', name, vl, name + vl + 1, strlen(name + vl + 1), 1);
		return;
	}
	if (add_name(q, name, len))
		return;
	if (len < sizeof(dashed)) {
		for (i = 0; i < len; i++)
			dashed[i] = name[i] == ' ' ? '-' : lower(name[i]);
		dashed[len] = '\0';
		if (add_name(q, dashed, len))
			return;
		if (q->kb)
			vq_ignore(kb_debian_cpe_by_package(q->kb, dashed, add_deb_cpe_cb, q));
		if (q->nvp)
			return;
	}
	for (i = 0; i < len; i = ws) {
		while (i < len && name[i] == ' ')
			i++;
		for (ws = i; ws < len && name[ws] != ' '; ws++)
			;
		if (ws > i && add_name(q, name + i, ws - i))
			return;
	}
}

void vq_set_hint(struct vuln_query *q, const char *hint)
{
	struct vq_distro d;

	vq_distro_parse(hint, &d);
	if (!d.debian && !d.ubuntu)
		return;
	cpe_init(&q->plat_cpe);
	cpe_set(&q->plat_cpe, CPE_PART, "o", 1);
	cpe_set(&q->plat_cpe, CPE_VENDOR, d.debian ? "debian" : "canonical", d.debian ? 6 : 9);
	cpe_set(&q->plat_cpe, CPE_PRODUCT, d.debian ? "debian_linux" : "ubuntu_linux", 12);
	q->plat.cpes = &q->plat_cpe;
	q->plat.ncpes = 1;
	q->plat.known = CPE_PLAT_OS;
	q->platform = &q->plat;
	q->flags |= VULN_F_BACKPORTS;
	if (d.debian && d.release[0] && d.revision[0] && q->version[0]) {
		str_lcpy(q->deb_release, d.release, sizeof(q->deb_release));
		snprintf(q->deb_version, sizeof(q->deb_version), "%.60s-%s", q->version,
			 d.revision);
		q->deb_no_epoch = 1;
	}
}

int vq_finish(struct vuln_query *q, struct vuln_hits *out, size_t n0)
{
	int r;

	vq_widen(q);
	if (q->deb_release[0] && q->nsrc == 0)
		vq_sources_for_vps(q);
	r = vq_run(q, out);
	if (r == 0 && q->deb_release[0] && q->nsrc)
		r = vq_tracker_apply(q, out);
	if (r == 0) {
		vuln_hits_sort(out);
		return 0;
	}
	while (out->n > n0)
		vuln_hits_remove_at(out, out->n - 1);
	return r;
}

int vuln_match_cpe(const struct kb *kb, const char *cpe23, const struct cpe_platform *platform,
		   unsigned flags, struct vuln_hits *out)
{
	struct vuln_query *q = malloc(sizeof(*q));
	int r;

	if (!q)
		return ERR_NOMEM;
	vq_init(q, kb);
	q->platform = platform;
	q->flags = flags;
	r = vq_set_cpe(q, cpe23);
	if (r == 0)
		r = vq_finish(q, out, out->n);
	free(q);
	return r;
}

static int match_product(const struct kb *kb, const struct vuln_index *ix, const char *product_name,
			 const char *version, const char *distro_hint, int lazy,
			 struct vuln_hits *out)
{
	struct vuln_query qs, *q = &qs; /* about 7 KB on the stack, no malloc */

	if (!product_name || !*product_name)
		return ERR_NOTFOUND;
	if (!version || !*version || strlen(version) >= VQ_VERSION_MAX)
		return ERR_INVAL;
	vq_init(q, kb);
	q->ix = ix;
	str_lcpy(q->version, version, sizeof(q->version));
	vq_add_product_name(q, product_name);
	if (q->nvp == 0)
		return ERR_NOTFOUND;
	vq_set_hint(q, distro_hint);
	/* the tracker rewrites the why of the hits it decides: explained now */
	q->lazy_why = lazy && ix && !q->deb_release[0];
	return vq_finish(q, out, out->n);
}

int vuln_match_product(const struct kb *kb, const char *product_name, const char *version,
		       const char *distro_hint, struct vuln_hits *out)
{
	return match_product(kb, NULL, product_name, version, distro_hint, 0, out);
}

int vuln_match_product_ix(const struct vuln_index *ix, const char *product_name,
			  const char *version, const char *distro_hint, struct vuln_hits *out)
{
	return match_product(vuln_index_kb(ix), ix, product_name, version, distro_hint, 0, out);
}

int vuln_match_product_lazy(const struct vuln_index *ix, const char *product_name,
			    const char *version, const char *distro_hint, struct vuln_hits *out)
{
	return match_product(vuln_index_kb(ix), ix, product_name, version, distro_hint, 1, out);
}
