/*
 * range.c: NVD cpeMatch rows (a CPE plus version bounds) matched against a
 * product with a version, and NVD configuration trees (AND/OR/negate over
 * rows and child nodes) evaluated three-valued against a product and what
 * is known about its platform. The rules are in docs/matching.md.
 */
#include <stdlib.h>
#include <string.h>

#include "cpe/cpe.h"
#include "cpe/cpe_int.h"

#define BOUND_MAX 256			  /* longest version bound accepted */
#define FULLVER_MAX (2 * CPE_MAX_LEN + 2) /* version + update, concatenated */

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int cpe_range_init(struct cpe_range *r, const char *criteria, size_t len, bool vulnerable)
{
	struct cpe c;
	int rc = cpe_parse(criteria, len, &c);

	if (rc != 0)
		return rc;
	memset(r, 0, sizeof(*r));
	r->cpe = c;
	r->vulnerable = vulnerable;
	return 0;
}

int cpe_range_set_bound(struct cpe_range *r, enum cpe_bound which, const char *v, size_t len)
{
	bool start = which == CPE_START_INCL || which == CPE_START_EXCL;
	char **slot = start ? &r->start : &r->end;
	char *copy;

	if (!v || len == 0)
		return 0; /* NVD has rows with "" bounds: no bound */
	if (*slot)
		return ERR_INVAL;
	if (len > BOUND_MAX)
		return ERR_TOO_BIG;
	copy = xstrndup(v, len);
	if (!copy)
		return ERR_NOMEM;
	*slot = copy;
	if (start)
		r->start_incl = which == CPE_START_INCL;
	else
		r->end_incl = which == CPE_END_INCL;
	return 0;
}

void cpe_range_release(struct cpe_range *r)
{
	if (!r)
		return;
	cpe_release(&r->cpe);
	free(r->start);
	free(r->end);
	memset(r, 0, sizeof(*r));
}

/*
 * The length of v without a trailing post-release letter suffix: "9.1p1"
 * -> "9.1", "1.0.2zg" -> "1.0.2", "2.0-rc1" -> "2.0". The suffix is letters
 * plus optional digits, right after a digit or after one separator that
 * follows a digit. len when there is no such suffix.
 */
TESTABLE size_t cpe_version_base_len(const char *v, size_t len)
{
	size_t i = len, letters;

	while (i > 0 && is_digit((unsigned char)v[i - 1]))
		i--;
	letters = i;
	while (i > 0 && is_alpha((unsigned char)v[i - 1]))
		i--;
	if (i == letters)
		return len;
	if (i > 0 && (v[i - 1] == '-' || v[i - 1] == '_' || v[i - 1] == '.') && i > 1 &&
	    is_digit((unsigned char)v[i - 2]))
		i--;
	if (i == 0 || !is_digit((unsigned char)v[i - 1]))
		return len;
	return i;
}

/* version + update as one string ("9.2" + "p1" -> "9.2p1", "1.8.0" + "3"
 * -> "1.8.0.3"); 0 on success, -1 when too long. */
static int full_version(const struct cpe *t, char *out, size_t *outlen)
{
	const struct cpe_attr *v = &t->attr[CPE_VERSION], *u = &t->attr[CPE_UPDATE];
	size_t n = v->len;

	if (n >= FULLVER_MAX)
		return -1;
	memcpy(out, v->v, n);
	if (u->kind == CPE_VALUE && u->len && !u->pre && !u->post) {
		if (n + 1 + u->len >= FULLVER_MAX)
			return -1;
		if (is_digit((unsigned char)u->v[0]))
			out[n++] = '.';
		memcpy(out + n, u->v, u->len);
		n += u->len;
	}
	*outlen = n;
	return 0;
}

static bool in_bounds(const struct cpe_range *r, const char *f, size_t n)
{
	int c;

	if (r->start) {
		c = version_cmp_upstream(f, n, r->start, strlen(r->start));
		if (c < 0 || (c == 0 && !r->start_incl))
			return false;
	}
	if (r->end) {
		c = version_cmp_upstream(f, n, r->end, strlen(r->end));
		if (c > 0 || (c == 0 && !r->end_incl))
			return false;
	}
	return true;
}

static bool rel_ok(enum cpe_rel rel)
{
	return rel == CPE_REL_EQUAL || rel == CPE_REL_SUPERSET;
}

/* Part/vendor/product must match; other attributes must not be disjoint
 * where the target states them (an unknown target attribute is fine). */
static bool names_match(const struct cpe *p, const struct cpe *t)
{
	int i;

	for (i = 0; i < CPE_NATTR; i++) {
		enum cpe_rel rel;

		if (i == CPE_VERSION || i == CPE_UPDATE)
			continue;
		rel = cpe_attr_compare(&p->attr[i], &t->attr[i]);
		if (rel_ok(rel))
			continue;
		if (rel == CPE_REL_SUBSET && i != CPE_VENDOR && i != CPE_PRODUCT)
			continue;
		return false;
	}
	return true;
}

static void set_res(struct cpe_result *res, enum match_conf conf, unsigned flags)
{
	res->conf = conf;
	res->flags = conf == MATCH_NONE ? 0 : flags;
}

/* A row that names a version (and maybe an update) instead of a range. */
static void match_exact(const struct cpe_range *r, const char *f, size_t n, struct cpe_result *res)
{
	const struct cpe_attr *rv = &r->cpe.attr[CPE_VERSION], *ru = &r->cpe.attr[CPE_UPDATE];
	struct cpe_attr fa = {CPE_VALUE, 0, 0, f, n};
	char p[FULLVER_MAX];
	size_t pn, base;

	if (rv->pre || rv->post) {
		/* a wildcard version ("9.*"): NISTIR value matching */
		set_res(res, rel_ok(cpe_attr_compare(rv, &fa)) ? MATCH_HIGH : MATCH_NONE, 0);
		return;
	}
	if (ru->kind == CPE_VALUE && !ru->pre && !ru->post) {
		struct cpe tmp;

		cpe_init(&tmp);
		tmp.attr[CPE_VERSION] = *rv;
		tmp.attr[CPE_UPDATE] = *ru;
		if (full_version(&tmp, p, &pn) != 0) {
			set_res(res, MATCH_NONE, 0);
			return;
		}
		set_res(res, version_cmp_upstream(f, n, p, pn) == 0 ? MATCH_HIGH : MATCH_NONE, 0);
		return;
	}
	if (version_cmp_upstream(f, n, rv->v, rv->len) == 0) {
		set_res(res, MATCH_HIGH, 0);
		return;
	}
	/* update ANY: "9.1:*" covers 9.1p1, but NVD also writes OpenSSL's
	 * 1.0.2zg as a version, so this is a guess */
	base = cpe_version_base_len(f, n);
	if (ru->kind == CPE_ANY && base < n && version_cmp_upstream(f, base, rv->v, rv->len) == 0) {
		set_res(res, MATCH_MEDIUM, CPE_MF_UPDATE_GUESS);
		return;
	}
	set_res(res, MATCH_NONE, 0);
}

void cpe_range_match_cpe(const struct cpe_range *r, const struct cpe *target,
			 struct cpe_result *res)
{
	const struct cpe_attr *rv = &r->cpe.attr[CPE_VERSION];
	const struct cpe_attr *tv = &target->attr[CPE_VERSION];
	bool bounds = r->start || r->end;
	char f[FULLVER_MAX];
	size_t n, base;

	set_res(res, MATCH_NONE, 0);
	if (!names_match(&r->cpe, target))
		return;
	if (rv->kind == CPE_ANY && !bounds) {
		set_res(res, MATCH_LOW, CPE_MF_ALL_VERSIONS);
		return;
	}
	if (rv->kind == CPE_NA) {
		/* NVD also writes "-" for "version not stated" (apache
		 * http_server:- on CVE-2007-6388 names 2.2.0-2.2.6 in its text):
		 * every version again, so LOW, where NISTIR would say DISJOINT */
		if (tv->kind == CPE_NA)
			set_res(res, MATCH_HIGH, 0);
		else if (tv->kind == CPE_ANY || tv->len == 0)
			set_res(res, MATCH_LOW, CPE_MF_VERSION_UNKNOWN);
		else
			set_res(res, MATCH_LOW, CPE_MF_ALL_VERSIONS);
		return;
	}
	if (tv->kind == CPE_ANY || (tv->kind == CPE_VALUE && tv->len == 0)) {
		set_res(res, MATCH_LOW, CPE_MF_VERSION_UNKNOWN);
		return;
	}
	if (tv->kind == CPE_NA || tv->pre || tv->post)
		return;
	if (full_version(target, f, &n) != 0)
		return;
	if (!bounds) {
		match_exact(r, f, n, res);
		return;
	}
	if (in_bounds(r, f, n)) {
		set_res(res, MATCH_HIGH, 0);
		return;
	}
	/* "<= 9.8" is meant to include the portable 9.8p1 */
	base = cpe_version_base_len(f, n);
	if (r->end && r->end_incl && base < n &&
	    version_cmp_upstream(f, base, r->end, strlen(r->end)) == 0 && in_bounds(r, f, base))
		set_res(res, MATCH_MEDIUM, CPE_MF_UPDATE_GUESS);
}

enum match_conf cpe_range_match(const struct cpe_range *r, const char *vendor, size_t vendor_len,
				const char *product, size_t product_len, const char *version,
				size_t version_len, const char *update, size_t update_len)
{
	struct cpe t;
	struct cpe_result res;

	cpe_init(&t);
	cpe_set(&t, CPE_PART, "a", 1);
	cpe_set(&t, CPE_VENDOR, vendor, vendor_len);
	cpe_set(&t, CPE_PRODUCT, product, product_len);
	cpe_set(&t, CPE_VERSION, version, version_len);
	cpe_set(&t, CPE_UPDATE, update, update_len);
	cpe_range_match_cpe(r, &t, &res);
	return res.conf;
}

/* ------------------------------------------------------- configuration */

static void node_free(struct cpe_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nrows; i++)
		cpe_range_release(&n->rows[i]);
	for (i = 0; i < n->nchildren; i++)
		node_free(n->children[i]);
	free(n->rows);
	free(n->children);
	free(n);
}

struct cpe_config *cpe_config_new(void)
{
	struct cpe_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	cfg->root = calloc(1, sizeof(*cfg->root));
	if (!cfg->root) {
		free(cfg);
		return NULL;
	}
	cfg->nnodes = 1;
	return cfg;
}

void cpe_config_free(struct cpe_config *cfg)
{
	if (!cfg)
		return;
	node_free(cfg->root);
	free(cfg);
}

void cpe_config_set_root_op(struct cpe_config *cfg, enum cpe_op op, bool negate)
{
	cfg->root->op = op;
	cfg->root->negate = negate;
}

/* Grow an array of elem-sized items to hold one more. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return ERR_NOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int cpe_config_add_node(struct cpe_config *cfg, struct cpe_node *parent, enum cpe_op op,
			bool negate, struct cpe_node **out)
{
	struct cpe_node *n;
	int r;

	if (!parent)
		parent = cfg->root;
	if (cfg->nnodes >= CPE_CONFIG_MAX_NODES || parent->depth + 1 >= CPE_CONFIG_MAX_DEPTH)
		return ERR_TOO_BIG;
	r = grow((void **)&parent->children, &parent->children_cap, parent->nchildren,
		 sizeof(*parent->children));
	if (r != 0)
		return r;
	n = calloc(1, sizeof(*n));
	if (!n)
		return ERR_NOMEM;
	n->op = op;
	n->negate = negate;
	n->depth = parent->depth + 1;
	parent->children[parent->nchildren++] = n;
	cfg->nnodes++;
	*out = n;
	return 0;
}

int cpe_config_add_row(struct cpe_config *cfg, struct cpe_node *node, struct cpe_range *row)
{
	int r;

	if (cfg->nrows >= CPE_CONFIG_MAX_ROWS) {
		r = ERR_TOO_BIG;
		goto out;
	}
	r = grow((void **)&node->rows, &node->rows_cap, node->nrows, sizeof(*node->rows));
	if (r != 0)
		goto out;
	node->rows[node->nrows++] = *row;
	memset(row, 0, sizeof(*row));
	cfg->nrows++;
	return 0;
out:
	cpe_range_release(row);
	return r;
}

/* ---------------------------------------------------------- evaluation */

enum tri { TRI_FALSE = 0, TRI_UNKNOWN, TRI_TRUE };

struct ev {
	enum tri v;
	enum match_conf conf; /* for TRUE/UNKNOWN with hit */
	unsigned flags;
	bool hit; /* a vulnerable row matched the product on this path */
};

/* Is row about the product (same part, vendor and product)? */
static bool row_is_product(const struct cpe_range *row, const struct cpe *prod)
{
	return rel_ok(cpe_attr_compare(&row->cpe.attr[CPE_VENDOR], &prod->attr[CPE_VENDOR])) &&
	       rel_ok(cpe_attr_compare(&row->cpe.attr[CPE_PRODUCT], &prod->attr[CPE_PRODUCT])) &&
	       cpe_attr_compare(&row->cpe.attr[CPE_PART], &prod->attr[CPE_PART]) !=
		   CPE_REL_DISJOINT;
}

static unsigned part_known_bit(const struct cpe_attr *part)
{
	if (part->kind != CPE_VALUE || part->len != 1)
		return CPE_PLAT_OS | CPE_PLAT_HW | CPE_PLAT_APPS;
	switch (part->v[0]) {
	case 'o':
	case 'O':
		return CPE_PLAT_OS;
	case 'h':
	case 'H':
		return CPE_PLAT_HW;
	default:
		return CPE_PLAT_APPS;
	}
}

static void eval_row(const struct cpe_range *row, const struct cpe_platform *pl,
		     const struct cpe *prod, struct ev *e)
{
	struct cpe_result res;
	unsigned need;
	size_t i;
	bool unknown = false;

	memset(e, 0, sizeof(*e));
	if (row_is_product(row, prod)) {
		cpe_range_match_cpe(row, prod, &res);
		if (res.conf != MATCH_NONE) {
			e->v = TRI_TRUE;
			e->conf = res.conf;
			e->flags = res.flags;
			e->hit = row->vulnerable;
		}
		return;
	}
	for (i = 0; pl && i < pl->ncpes; i++) {
		cpe_range_match_cpe(row, &pl->cpes[i], &res);
		if (res.conf == MATCH_NONE)
			continue;
		if (res.flags & CPE_MF_VERSION_UNKNOWN) {
			unknown = true;
			continue;
		}
		e->v = TRI_TRUE;
		e->conf = MATCH_HIGH;
		return;
	}
	need = part_known_bit(&row->cpe.attr[CPE_PART]);
	if (!unknown && pl && (pl->known & need) == need)
		return; /* FALSE */
	/* unknown is neutral for an AND's confidence; the root caps it */
	e->v = TRI_UNKNOWN;
	e->conf = MATCH_HIGH;
}

/* Is a a better representative than b for an OR? A path where the
 * product matched first, then the truth value, then the confidence. */
static bool better(const struct ev *a, const struct ev *b)
{
	if (a->hit != b->hit)
		return a->hit;
	if (a->v != b->v)
		return a->v > b->v;
	return a->conf > b->conf;
}

static void combine(enum cpe_op op, struct ev *acc, const struct ev *c, bool first)
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
	/* AND: false wins; otherwise the weakest link and every reason */
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

static void eval_node(const struct cpe_node *n, const struct cpe_platform *pl,
		      const struct cpe *prod, struct ev *out)
{
	struct ev acc, e;
	size_t i;
	bool first = true;

	memset(&acc, 0, sizeof(acc));
	for (i = 0; i < n->nrows; i++) {
		eval_row(&n->rows[i], pl, prod, &e);
		combine(n->op, &acc, &e, first);
		first = false;
	}
	for (i = 0; i < n->nchildren; i++) {
		eval_node(n->children[i], pl, prod, &e);
		combine(n->op, &acc, &e, first);
		first = false;
	}
	if (first)
		memset(&acc, 0, sizeof(acc)); /* an empty node matches nothing */
	if (n->negate) {
		if (acc.v == TRI_TRUE) {
			memset(&acc, 0, sizeof(acc));
		} else if (acc.v == TRI_FALSE) {
			acc.v = TRI_TRUE;
			acc.conf = MATCH_HIGH;
			acc.flags = CPE_MF_NEGATED;
			acc.hit = false;
		} else {
			acc.hit = false;
			acc.conf = MATCH_HIGH;
			acc.flags = 0;
		}
	}
	*out = acc;
}

void cpe_config_eval(const struct cpe_config *cfg, const struct cpe_platform *platform,
		     const struct cpe *product_cpe, struct cpe_result *res)
{
	struct ev e;

	res->conf = MATCH_NONE;
	res->flags = 0;
	if (!cfg || !cfg->root || !product_cpe)
		return;
	eval_node(cfg->root, platform, product_cpe, &e);
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

void cpe_configs_eval(struct cpe_config *const *cfgs, size_t n, const struct cpe_platform *platform,
		      const struct cpe *product_cpe, struct cpe_result *res)
{
	struct cpe_result r;
	size_t i;

	res->conf = MATCH_NONE;
	res->flags = 0;
	for (i = 0; i < n; i++) {
		if (!cfgs[i])
			continue;
		cpe_config_eval(cfgs[i], platform, product_cpe, &r);
		if (r.conf > res->conf)
			*res = r;
	}
}
