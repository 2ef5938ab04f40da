/*
 * kbwrite.c: turn a builder into a KB file (sorted tables, a product index,
 * compacted node and match tables) written to a temporary file, fsync'd and
 * renamed into place; and load an existing KB back into a builder.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed/feed_int.h"

struct out_tables {
	struct kb_rec_cve *cves;
	size_t n_cves;
	struct kb_rec_node *nodes;
	size_t n_nodes;
	struct kb_rec_match *matches;
	size_t n_matches;
	struct kb_rec_product *products;
	size_t n_products;
	uint32_t *rows;
	struct kb_rec_deb_fix *deb;
	size_t n_deb;
	uint32_t *adv;
	size_t n_adv;
	struct kb_rec_pair *deb_cpe;
	uint32_t *deb_cpe_by_vp;
	struct kb_rec_pair *aliases;
	uint32_t *alias_by_vp;
	struct kb_rec_pair *meta;
};

static void tables_release(struct out_tables *t)
{
	free(t->cves);
	free(t->nodes);
	free(t->matches);
	free(t->products);
	free(t->rows);
	free(t->deb);
	free(t->adv);
	free(t->deb_cpe);
	free(t->deb_cpe_by_vp);
	free(t->aliases);
	free(t->alias_by_vp);
	free(t->meta);
}

static int cmp_cve_ix(const void *a, const void *b, void *ctx)
{
	const struct bcve *cv = ctx;
	const struct kb_rec_cve *x = &cv[*(const uint32_t *)a].r, *y = &cv[*(const uint32_t *)b].r;

	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_str_off(const void *a, const void *b, void *ctx)
{
	const char *pool = ctx;

	return strcmp(pool + *(const uint32_t *)a, pool + *(const uint32_t *)b);
}

static int cmp_deb(const void *a, const void *b, void *ctx)
{
	const char *pool = ctx;
	const struct kb_rec_deb_fix *x = a, *y = b;
	int c = strcmp(pool + x->pkg, pool + y->pkg);

	if (c == 0)
		c = strcmp(pool + x->release, pool + y->release);
	if (c == 0 && x->cve_year != y->cve_year)
		c = x->cve_year < y->cve_year ? -1 : 1;
	if (c == 0 && x->cve_num != y->cve_num)
		c = x->cve_num < y->cve_num ? -1 : 1;
	if (c == 0)
		c = strcmp(pool + x->advisory, pool + y->advisory);
	return c;
}

static int cmp_pair(const void *a, const void *b, void *ctx)
{
	const char *pool = ctx;
	const struct kb_rec_pair *x = a, *y = b;
	int c = strcmp(pool + x->a, pool + y->a);

	return c ? c : strcmp(pool + x->b, pool + y->b);
}

struct perm_ctx {
	const char *pool;
	const struct kb_rec_pair *rows;
	int by_b; /* compare the b field (as a string) first */
	int b_is_str;
};

static int cmp_perm(const void *a, const void *b, void *vctx)
{
	const struct perm_ctx *c = vctx;
	const struct kb_rec_pair *x = &c->rows[*(const uint32_t *)a];
	const struct kb_rec_pair *y = &c->rows[*(const uint32_t *)b];
	int r;

	if (c->by_b) {
		r = strcmp(c->pool + x->b, c->pool + y->b);
		if (r == 0)
			r = strcmp(c->pool + x->a, c->pool + y->a);
		return r;
	}
	r = strcmp(c->pool + x->a, c->pool + y->a);
	if (r == 0)
		r = x->b < y->b ? -1 : x->b > y->b;
	return r;
}

/* compact: live CVEs in id order with their nodes and matches renumbered. */
static int compact(struct feed_kb_builder *b, struct out_tables *t)
{
	const struct bcve *cv = b->cves.p;
	uint32_t *order = malloc((b->cves.n + 1) * sizeof(*order));
	size_t i, j, n = 0;

	t->cves = malloc((b->cves.n + 1) * sizeof(*t->cves));
	t->nodes = malloc((b->nodes.n + 1) * sizeof(*t->nodes));
	t->matches = malloc((b->matches.n + 1) * sizeof(*t->matches));
	if (!order || !t->cves || !t->nodes || !t->matches) {
		free(order);
		return ERR_NOMEM;
	}
	for (i = 0; i < b->cves.n; i++)
		if (cv[i].r.flags != 0)
			order[n++] = (uint32_t)i;
	qsort_r(order, n, sizeof(*order), cmp_cve_ix, (void *)cv);
	for (i = 0; i < n; i++) {
		struct kb_rec_cve *c = &t->cves[i];
		uint32_t nf = (uint32_t)t->n_nodes, mf = (uint32_t)t->n_matches;

		*c = cv[order[i]].r;
		for (j = 0; j < c->n_nodes; j++) {
			struct kb_rec_node *nd = &t->nodes[t->n_nodes++];

			*nd = *VEC_AT(&b->nodes, struct kb_rec_node, c->first_node + j);
			nd->cve = (uint32_t)i;
			if (nd->parent != KB_NONE)
				nd->parent = nd->parent - c->first_node + nf;
			nd->first_match = nd->first_match - c->first_match + mf;
		}
		for (j = 0; j < c->n_match; j++) {
			struct kb_rec_match *m = &t->matches[t->n_matches++];

			*m = *VEC_AT(&b->matches, struct kb_rec_match, c->first_match + j);
			m->cve = (uint32_t)i;
			m->node = m->node - c->first_node + nf;
		}
		c->first_node = nf;
		c->first_match = mf;
	}
	t->n_cves = n;
	free(order);
	return 0;
}

/* products: the distinct vendor:product strings in order and, per product,
 * its match rows in CVE order (a counting sort by product rank). */
static int products(struct feed_kb_builder *b, struct out_tables *t)
{
	uint32_t *vps = malloc((t->n_matches + 1) * sizeof(*vps));
	uint32_t *pos = NULL;
	struct u64map rank = {0};
	size_t i, n = 0;
	int r = ERR_NOMEM;

	t->rows = malloc((t->n_matches + 1) * sizeof(*t->rows));
	if (!vps || !t->rows)
		goto out;
	for (i = 0; i < t->n_matches; i++)
		vps[i] = t->matches[i].vp;
	qsort(vps, t->n_matches, sizeof(*vps), cmp_u32);
	for (i = 0; i < t->n_matches; i++)
		if (n == 0 || vps[n - 1] != vps[i])
			vps[n++] = vps[i];
	qsort_r(vps, n, sizeof(*vps), cmp_str_off, b->sp.p);
	t->products = calloc(n + 1, sizeof(*t->products));
	pos = calloc(n + 1, sizeof(*pos));
	if (!t->products || !pos)
		goto out;
	for (i = 0; i < n; i++) {
		t->products[i].vp = vps[i];
		if (u64map_put(&rank, vps[i], (uint32_t)i) != 0)
			goto out;
	}
	for (i = 0; i < t->n_matches; i++) {
		uint32_t k = 0;

		(void)u64map_get(&rank, t->matches[i].vp, &k);
		t->products[k].count++;
	}
	for (i = 1; i < n; i++)
		t->products[i].first = t->products[i - 1].first + t->products[i - 1].count;
	for (i = 0; i < n; i++)
		pos[i] = t->products[i].first;
	for (i = 0; i < t->n_matches; i++) {
		uint32_t k = 0;

		(void)u64map_get(&rank, t->matches[i].vp, &k);
		t->rows[pos[k]++] = (uint32_t)i;
	}
	t->n_products = n;
	r = 0;
out:
	free(vps);
	free(pos);
	u64map_release(&rank);
	return r;
}

static int debian(struct feed_kb_builder *b, struct out_tables *t)
{
	size_t i;
	uint32_t *perm;
	struct perm_ctx pc;

	t->deb = malloc((b->deb.n + 1) * sizeof(*t->deb));
	t->adv = malloc((b->adv_gen.used + 1) * sizeof(*t->adv));
	t->deb_cpe = malloc((b->deb_cpe.n + 1) * sizeof(*t->deb_cpe));
	t->deb_cpe_by_vp = malloc((b->deb_cpe.n + 1) * sizeof(uint32_t));
	t->aliases = malloc((b->aliases.n + 1) * sizeof(*t->aliases));
	t->alias_by_vp = malloc((b->aliases.n + 1) * sizeof(uint32_t));
	t->meta = malloc((b->meta.n + 1) * sizeof(*t->meta));
	if (!t->deb || !t->adv || !t->deb_cpe || !t->deb_cpe_by_vp || !t->aliases ||
	    !t->alias_by_vp || !t->meta)
		return ERR_NOMEM;
	for (i = 0; i < b->deb.n; i++) {
		const struct bdeb *d = VEC_AT(&b->deb, struct bdeb, i);
		uint32_t g;

		if (u64map_get(&b->adv_gen, d->r.advisory, &g) && g == d->gen)
			t->deb[t->n_deb++] = d->r;
	}
	qsort_r(t->deb, t->n_deb, sizeof(*t->deb), cmp_deb, b->sp.p);
	for (i = 0; i < b->adv_gen.cap; i++)
		if (b->adv_gen.keys[i] != UINT64_MAX)
			t->adv[t->n_adv++] = (uint32_t)b->adv_gen.keys[i];
	qsort_r(t->adv, t->n_adv, sizeof(*t->adv), cmp_str_off, b->sp.p);

	if (b->deb_cpe.n)
		memcpy(t->deb_cpe, b->deb_cpe.p, b->deb_cpe.n * sizeof(*t->deb_cpe));
	qsort_r(t->deb_cpe, b->deb_cpe.n, sizeof(*t->deb_cpe), cmp_pair, b->sp.p);
	perm = t->deb_cpe_by_vp;
	for (i = 0; i < b->deb_cpe.n; i++)
		perm[i] = (uint32_t)i;
	pc = (struct perm_ctx){b->sp.p, t->deb_cpe, 1, 1};
	qsort_r(perm, b->deb_cpe.n, sizeof(*perm), cmp_perm, &pc);

	/* aliases stay in group order; the permutation sorts them by product */
	if (b->aliases.n)
		memcpy(t->aliases, b->aliases.p, b->aliases.n * sizeof(*t->aliases));
	perm = t->alias_by_vp;
	for (i = 0; i < b->aliases.n; i++)
		perm[i] = (uint32_t)i;
	pc = (struct perm_ctx){b->sp.p, t->aliases, 0, 0};
	qsort_r(perm, b->aliases.n, sizeof(*perm), cmp_perm, &pc);

	if (b->meta.n)
		memcpy(t->meta, b->meta.p, b->meta.n * sizeof(*t->meta));
	qsort_r(t->meta, b->meta.n, sizeof(*t->meta), cmp_pair, b->sp.p);
	return 0;
}

struct sect_src {
	uint32_t id, esz;
	const void *p;
	size_t count;
};

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n > (1u << 30) ? (1u << 30) : n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return err_from_errno(errno);
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_file(int fd, const struct sect_src *s, size_t ns)
{
	struct kb_file_hdr h;
	struct kb_file_sect st[KB_S__COUNT];
	static const char zeros[8] = {0};
	uint64_t off;
	size_t i;
	int r;

	memset(&h, 0, sizeof(h));
	memset(st, 0, sizeof(st));
	memcpy(h.magic, KB_MAGIC, 8);
	h.version = KB_FORMAT_VERSION;
	h.endian = KB_ENDIAN_MARK;
	h.n_sections = (uint32_t)ns;
	h.hdr_size = sizeof(h);
	off = sizeof(h) + ns * sizeof(st[0]);
	for (i = 0; i < ns; i++) {
		off = (off + 7) & ~(uint64_t)7;
		st[i].id = s[i].id;
		st[i].elem_size = s[i].esz;
		st[i].offset = off;
		st[i].count = s[i].count;
		off += (uint64_t)s[i].count * s[i].esz;
	}
	h.file_size = off;
	if ((r = write_all(fd, &h, sizeof(h))) != 0 ||
	    (r = write_all(fd, st, ns * sizeof(st[0]))) != 0)
		return r;
	off = sizeof(h) + ns * sizeof(st[0]);
	for (i = 0; i < ns; i++) {
		size_t pad = (size_t)(st[i].offset - off);

		if (pad && (r = write_all(fd, zeros, pad)) != 0)
			return r;
		if ((r = write_all(fd, s[i].p, s[i].count * s[i].esz)) != 0)
			return r;
		off = st[i].offset + s[i].count * s[i].esz;
	}
	return 0;
}

static int sync_dir(const char *path)
{
	char *copy = xstrndup(path, strlen(path));
	int fd, r = 0;

	if (!copy)
		return ERR_NOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) != 0 && errno != EINVAL)
			r = ERR_IO;
		close(fd);
	}
	free(copy);
	return r;
}

int feed_kb_write(struct feed_kb_builder *b, const char *path, struct buf *err)
{
	struct out_tables t;
	struct buf tmp = BUF_INIT;
	int fd = -1, r;

	memset(&t, 0, sizeof(t));
	if ((r = compact(b, &t)) != 0 || (r = products(b, &t)) != 0 || (r = debian(b, &t)) != 0)
		goto out;
	if (t.n_matches > UINT32_MAX - 1 || b->sp.len > UINT32_MAX - 1) {
		r = ERR_TOO_BIG;
		goto out;
	}
	{
		const struct sect_src s[] = {
		    {KB_S_STRINGS, 1, b->sp.p, b->sp.len},
		    {KB_S_CVES, sizeof(*t.cves), t.cves, t.n_cves},
		    {KB_S_NODES, sizeof(*t.nodes), t.nodes, t.n_nodes},
		    {KB_S_MATCHES, sizeof(*t.matches), t.matches, t.n_matches},
		    {KB_S_PRODUCTS, sizeof(*t.products), t.products, t.n_products},
		    {KB_S_PRODUCT_ROWS, sizeof(uint32_t), t.rows, t.n_matches},
		    {KB_S_DEB_FIX, sizeof(*t.deb), t.deb, t.n_deb},
		    {KB_S_DEB_ADV, sizeof(uint32_t), t.adv, t.n_adv},
		    {KB_S_DEB_CPE, sizeof(*t.deb_cpe), t.deb_cpe, b->deb_cpe.n},
		    {KB_S_DEB_CPE_BY_VP, sizeof(uint32_t), t.deb_cpe_by_vp, b->deb_cpe.n},
		    {KB_S_ALIASES, sizeof(*t.aliases), t.aliases, b->aliases.n},
		    {KB_S_ALIAS_BY_VP, sizeof(uint32_t), t.alias_by_vp, b->aliases.n},
		    {KB_S_META, sizeof(*t.meta), t.meta, b->meta.n},
		};

		if ((r = buf_addf(&tmp, "%s.tmp.XXXXXX", path)) != 0)
			goto out;
		fd = mkstemp(tmp.ptr);
		if (fd < 0) {
			r = err_from_errno(errno);
			goto out;
		}
		(void)fchmod(fd, 0644);
		if ((r = write_file(fd, s, ARRAY_SIZE(s))) != 0)
			goto out;
	}
	if (fsync(fd) != 0) {
		r = err_from_errno(errno);
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		r = err_from_errno(errno);
		goto out;
	}
	fd = -1;
	if (rename(tmp.ptr, path) != 0) {
		r = err_from_errno(errno);
		goto out;
	}
	buf_reset(&tmp);
	r = sync_dir(path);
out:
	if (fd >= 0)
		close(fd);
	if (tmp.len)
		unlink(tmp.ptr);
	if (r != 0 && err) {
		buf_reset(err);
		feed_ignore(buf_add_printable(err, path, strlen(path)));
		feed_ignore(buf_addf(err, ": writing the knowledge base failed: %s", err_str(r)));
	}
	buf_release(&tmp);
	tables_release(&t);
	return r;
}

/* ------------------------------------------------------------ loading */

static int load_pool(struct strpool *sp, const char *p, size_t len)
{
	size_t i = 1;
	uint32_t off;
	int r;

	/* Intern every string of the old pool: the offsets come out equal
	 * because the builder is empty and the pool has no duplicates; check. */
	while (i < len) {
		size_t n = strlen(p + i);

		if ((r = strpool_intern(sp, p + i, n, &off)) != 0)
			return r;
		if (off != i)
			return ERR_PARSE;
		i += n + 1;
	}
	return 0;
}

static int load_vec(struct vec *v, const void *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		void *e = vec_push(v);

		if (!e)
			return ERR_NOMEM;
		memcpy(e, (const char *)p + i * v->esz, v->esz);
	}
	return 0;
}

int feed_kb_builder_load(struct feed_kb_builder *b, const char *path, struct buf *err)
{
	struct kb *kb = NULL;
	size_t i;
	int r;

	if (b->cves.n || b->gen || b->sp.len > 1 || b->deb.n || b->meta.n) {
		r = ERR_INVAL;
		goto out;
	}
	if ((r = kb_open(path, &kb)) != 0)
		goto out;
	if ((r = load_pool(&b->sp, kb->strs, kb->strs_size)) != 0)
		goto out;
	for (i = 0; i < kb->n_cves; i++) {
		struct bcve *c;

		if ((r = builder_cve(b, kb->cves[i].year, kb->cves[i].num, &c)) != 0)
			goto out;
		if (c->r.flags) {
			r = ERR_PARSE; /* the same CVE twice */
			goto out;
		}
		c->r = kb->cves[i];
	}
	if ((r = load_vec(&b->nodes, kb->nodes, kb->n_nodes)) != 0 ||
	    (r = load_vec(&b->matches, kb->matches, kb->n_matches)) != 0 ||
	    (r = load_vec(&b->deb_cpe, kb->deb_cpe, kb->n_deb_cpe)) != 0 ||
	    (r = load_vec(&b->aliases, kb->aliases, kb->n_aliases)) != 0 ||
	    (r = load_vec(&b->meta, kb->meta, kb->n_meta)) != 0)
		goto out;
	for (i = 0; i < kb->n_deb; i++) {
		struct bdeb *d = vec_push(&b->deb);

		if (!d) {
			r = ERR_NOMEM;
			goto out;
		}
		d->r = kb->deb[i];
	}
	for (i = 0; i < kb->n_deb_adv; i++)
		if ((r = u64map_put(&b->adv_gen, kb->deb_adv[i], 0)) != 0)
			goto out;
	for (i = 0; i < kb->n_aliases; i++)
		if (kb->aliases[i].b + 1 > b->alias_groups)
			b->alias_groups = kb->aliases[i].b + 1;
out:
	if (r != 0 && err) {
		buf_reset(err);
		feed_ignore(buf_add_printable(err, path, strlen(path)));
		feed_ignore(
		    buf_addf(err, ": loading the previous knowledge base failed: %s", err_str(r)));
	}
	kb_close(kb);
	return r;
}
