/*
 * kb.c: the read side of the knowledge base: map the file read-only, check
 * every offset, size and cross-reference once (the file is untrusted input
 * too), then answer lookups by binary search without further checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed/feed_int.h"

static const struct {
	uint32_t id, esz;
} sect_sizes[] = {
    {KB_S_STRINGS, 1},
    {KB_S_CVES, sizeof(struct kb_rec_cve)},
    {KB_S_NODES, sizeof(struct kb_rec_node)},
    {KB_S_MATCHES, sizeof(struct kb_rec_match)},
    {KB_S_PRODUCTS, sizeof(struct kb_rec_product)},
    {KB_S_PRODUCT_ROWS, sizeof(uint32_t)},
    {KB_S_DEB_FIX, sizeof(struct kb_rec_deb_fix)},
    {KB_S_DEB_ADV, sizeof(uint32_t)},
    {KB_S_DEB_CPE, sizeof(struct kb_rec_pair)},
    {KB_S_DEB_CPE_BY_VP, sizeof(uint32_t)},
    {KB_S_ALIASES, sizeof(struct kb_rec_pair)},
    {KB_S_ALIAS_BY_VP, sizeof(uint32_t)},
    {KB_S_META, sizeof(struct kb_rec_pair)},
};

static int map_sections(struct kb *kb, const unsigned char *map, size_t size)
{
	const struct kb_file_hdr *h = (const void *)map;
	const struct kb_file_sect *st;
	const void *ptr[KB_S__COUNT] = {0};
	size_t cnt[KB_S__COUNT] = {0};
	uint32_t i, seen = 0;

	if (size < sizeof(*h) || memcmp(h->magic, KB_MAGIC, 8) != 0)
		return ERR_PARSE;
	if (h->version != KB_FORMAT_VERSION || h->endian != KB_ENDIAN_MARK ||
	    h->hdr_size != sizeof(*h) || h->file_size != size || h->n_sections != KB_S__COUNT - 1)
		return ERR_PARSE;
	if ((size - sizeof(*h)) / sizeof(*st) < h->n_sections)
		return ERR_PARSE;
	st = (const void *)(map + sizeof(*h));
	for (i = 0; i < h->n_sections; i++) {
		uint32_t id = st[i].id;

		if (id == 0 || id >= KB_S__COUNT || (seen & (1u << id)))
			return ERR_PARSE;
		seen |= 1u << id;
		if (st[i].elem_size != sect_sizes[id - 1].esz || st[i].offset % 8 != 0 ||
		    st[i].offset > size || st[i].count > (size - st[i].offset) / st[i].elem_size ||
		    st[i].count > UINT32_MAX - 1)
			return ERR_PARSE;
		ptr[id] = map + st[i].offset;
		cnt[id] = (size_t)st[i].count;
	}
	kb->strs = ptr[KB_S_STRINGS];
	kb->strs_size = cnt[KB_S_STRINGS];
	kb->cves = ptr[KB_S_CVES];
	kb->n_cves = cnt[KB_S_CVES];
	kb->nodes = ptr[KB_S_NODES];
	kb->n_nodes = cnt[KB_S_NODES];
	kb->matches = ptr[KB_S_MATCHES];
	kb->n_matches = cnt[KB_S_MATCHES];
	kb->products = ptr[KB_S_PRODUCTS];
	kb->n_products = cnt[KB_S_PRODUCTS];
	kb->product_rows = ptr[KB_S_PRODUCT_ROWS];
	kb->n_product_rows = cnt[KB_S_PRODUCT_ROWS];
	kb->deb = ptr[KB_S_DEB_FIX];
	kb->n_deb = cnt[KB_S_DEB_FIX];
	kb->deb_adv = ptr[KB_S_DEB_ADV];
	kb->n_deb_adv = cnt[KB_S_DEB_ADV];
	kb->deb_cpe = ptr[KB_S_DEB_CPE];
	kb->n_deb_cpe = cnt[KB_S_DEB_CPE];
	kb->deb_cpe_by_vp = ptr[KB_S_DEB_CPE_BY_VP];
	kb->n_deb_cpe_by_vp = cnt[KB_S_DEB_CPE_BY_VP];
	kb->aliases = ptr[KB_S_ALIASES];
	kb->n_aliases = cnt[KB_S_ALIASES];
	kb->alias_by_vp = ptr[KB_S_ALIAS_BY_VP];
	kb->n_alias_by_vp = cnt[KB_S_ALIAS_BY_VP];
	kb->meta = ptr[KB_S_META];
	kb->n_meta = cnt[KB_S_META];
	return 0;
}

#define STR_OK(kb, off) ((off) < (kb)->strs_size)

static int check_cves(const struct kb *kb)
{
	size_t i;

	for (i = 0; i < kb->n_cves; i++) {
		const struct kb_rec_cve *c = &kb->cves[i];

		if (i > 0) {
			const struct kb_rec_cve *p = &kb->cves[i - 1];

			if (p->year > c->year || (p->year == c->year && p->num >= c->num))
				return ERR_PARSE;
		}
		if (!STR_OK(kb, c->vector) || !STR_OK(kb, c->desc) ||
		    c->severity > KB_SEV_CRITICAL || c->score10 > 100 || c->epss > 1000000000u ||
		    c->epss_pct > 1000000000u)
			return ERR_PARSE;
		if (c->first_node > kb->n_nodes || c->n_nodes > kb->n_nodes - c->first_node ||
		    c->first_match > kb->n_matches || c->n_match > kb->n_matches - c->first_match)
			return ERR_PARSE;
	}
	return 0;
}

static int check_nodes(const struct kb *kb)
{
	size_t i;

	for (i = 0; i < kb->n_nodes; i++) {
		const struct kb_rec_node *n = &kb->nodes[i];
		const struct kb_rec_cve *c;

		if (n->cve >= kb->n_cves || n->op > KB_OP_AND || n->negate > 1)
			return ERR_PARSE;
		c = &kb->cves[n->cve];
		if (i < c->first_node || i - c->first_node >= c->n_nodes)
			return ERR_PARSE;
		/* a parent comes before its children, within the same CVE */
		if (n->parent != KB_NONE && (n->parent >= i || n->parent < c->first_node))
			return ERR_PARSE;
		if (n->first_match < c->first_match || n->first_match > kb->n_matches ||
		    n->n_match > c->first_match + c->n_match - n->first_match)
			return ERR_PARSE;
	}
	return 0;
}

static int check_matches(const struct kb *kb)
{
	size_t i;

	for (i = 0; i < kb->n_matches; i++) {
		const struct kb_rec_match *m = &kb->matches[i];

		if (m->cve >= kb->n_cves || m->node >= kb->n_nodes ||
		    kb->nodes[m->node].cve != m->cve || !STR_OK(kb, m->cpe) || !STR_OK(kb, m->vp) ||
		    !STR_OK(kb, m->start) || !STR_OK(kb, m->end) || m->flags > 31)
			return ERR_PARSE;
	}
	if (kb->n_product_rows != kb->n_matches)
		return ERR_PARSE;
	for (i = 0; i < kb->n_products; i++) {
		const struct kb_rec_product *p = &kb->products[i];

		if (!STR_OK(kb, p->vp) || p->first > kb->n_product_rows ||
		    p->count > kb->n_product_rows - p->first)
			return ERR_PARSE;
		if (i > 0 && strcmp(kb->strs + kb->products[i - 1].vp, kb->strs + p->vp) >= 0)
			return ERR_PARSE;
	}
	for (i = 0; i < kb->n_product_rows; i++)
		if (kb->product_rows[i] >= kb->n_matches)
			return ERR_PARSE;
	return 0;
}

static int check_rest(const struct kb *kb)
{
	size_t i;

	for (i = 0; i < kb->n_deb; i++) {
		const struct kb_rec_deb_fix *d = &kb->deb[i];

		if (!STR_OK(kb, d->pkg) || !STR_OK(kb, d->release) || !STR_OK(kb, d->version) ||
		    !STR_OK(kb, d->advisory) || d->status > KB_DEB_OTHER)
			return ERR_PARSE;
	}
	for (i = 0; i < kb->n_deb_adv; i++)
		if (!STR_OK(kb, kb->deb_adv[i]))
			return ERR_PARSE;
	if (kb->n_deb_cpe_by_vp != kb->n_deb_cpe || kb->n_alias_by_vp != kb->n_aliases)
		return ERR_PARSE;
	for (i = 0; i < kb->n_deb_cpe; i++)
		if (!STR_OK(kb, kb->deb_cpe[i].a) || !STR_OK(kb, kb->deb_cpe[i].b) ||
		    kb->deb_cpe_by_vp[i] >= kb->n_deb_cpe)
			return ERR_PARSE;
	for (i = 0; i < kb->n_aliases; i++)
		if (!STR_OK(kb, kb->aliases[i].a) || kb->alias_by_vp[i] >= kb->n_aliases ||
		    (i > 0 && kb->aliases[i].b < kb->aliases[i - 1].b))
			return ERR_PARSE;
	for (i = 0; i < kb->n_meta; i++)
		if (!STR_OK(kb, kb->meta[i].a) || !STR_OK(kb, kb->meta[i].b))
			return ERR_PARSE;
	return 0;
}

int kb_validate(struct kb *kb, const unsigned char *map, size_t size)
{
	int r;

	memset(kb, 0, sizeof(*kb));
	/* the header and tables are read in place: the map must be aligned */
	if (((uintptr_t)map & 7) != 0)
		return ERR_INVAL;
	if ((r = map_sections(kb, map, size)) != 0)
		return r;
	/* the pool starts with "" and ends with a NUL: every offset in range
	 * then reads a terminated string */
	if (kb->strs_size == 0 || kb->strs[0] != '\0' || kb->strs[kb->strs_size - 1] != '\0')
		return ERR_PARSE;
	if ((r = check_cves(kb)) != 0 || (r = check_nodes(kb)) != 0 ||
	    (r = check_matches(kb)) != 0 || (r = check_rest(kb)) != 0)
		return r;
	kb->map = map;
	kb->size = size;
	return 0;
}

int kb_open(const char *path, struct kb **out)
{
	struct kb *kb = NULL;
	struct stat st;
	void *map = MAP_FAILED;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : err_from_errno(errno);
	if (fstat(fd, &st) != 0) {
		r = err_from_errno(errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(struct kb_file_hdr)) {
		r = ERR_PARSE;
		goto out;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		r = err_from_errno(errno);
		goto out;
	}
	kb = calloc(1, sizeof(*kb));
	if (!kb) {
		r = ERR_NOMEM;
		goto out;
	}
	r = kb_validate(kb, map, (size_t)st.st_size);
	if (r == 0) {
		*out = kb;
		kb = NULL;
		map = MAP_FAILED;
	}
out:
	if (map != MAP_FAILED)
		munmap(map, (size_t)st.st_size);
	free(kb);
	close(fd);
	return r;
}

void kb_close(struct kb *kb)
{
	if (!kb)
		return;
	if (kb->map)
		munmap((void *)kb->map, kb->size);
	free(kb);
}

const char *kb_severity_name(enum kb_severity s)
{
	static const char *const names[] = {"none", "low", "medium", "high", "critical"};

	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "none";
}

uint32_t kb_cve_count(const struct kb *kb)
{
	return (uint32_t)kb->n_cves;
}

int kb_cve_at(const struct kb *kb, uint32_t index, struct kb_cve_info *info)
{
	const struct kb_rec_cve *c;

	if (index >= kb->n_cves)
		return ERR_RANGE;
	c = &kb->cves[index];
	memset(info, 0, sizeof(*info));
	feed_cve_id(c->year, c->num, info->id);
	info->flags = c->flags;
	info->cvss_score = c->score10 / 10.0;
	info->cvss_version = c->cvss_version;
	info->severity = (enum kb_severity)c->severity;
	info->cvss_vector = kb->strs + c->vector;
	info->cwe = c->cwe;
	info->published = c->published;
	info->last_modified = c->modified;
	info->kev_date_added = (int64_t)c->kev_added_days * 86400;
	info->kev_due_date = (int64_t)c->kev_due_days * 86400;
	info->epss = c->epss / 1e9;
	info->epss_percentile = c->epss_pct / 1e9;
	info->description = kb->strs + c->desc;
	info->index = index;
	info->first_node = c->first_node;
	info->n_nodes = c->n_nodes;
	return 0;
}

int kb_cve(const struct kb *kb, const char *id, struct kb_cve_info *info)
{
	uint32_t year, num;
	size_t lo = 0, hi = kb->n_cves;

	if (!id || feed_cve_key(id, strlen(id), &year, &num) != 0)
		return ERR_INVAL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct kb_rec_cve *c = &kb->cves[mid];

		if (c->year == year && c->num == num)
			return kb_cve_at(kb, (uint32_t)mid, info);
		if (c->year < year || (c->year == year && c->num < num))
			lo = mid + 1;
		else
			hi = mid;
	}
	return ERR_NOTFOUND;
}

int kb_node(const struct kb *kb, uint32_t index, struct kb_node *out)
{
	const struct kb_rec_node *n;

	if (index >= kb->n_nodes)
		return ERR_RANGE;
	n = &kb->nodes[index];
	out->index = index;
	out->cve_index = n->cve;
	out->parent = n->parent;
	out->op = n->op == KB_OP_AND ? KB_OP_AND : KB_OP_OR;
	out->negate = n->negate;
	out->first_match = n->first_match;
	out->n_match = n->n_match;
	return 0;
}

int kb_match_at(const struct kb *kb, uint32_t index, struct kb_match *out)
{
	const struct kb_rec_match *m;

	if (index >= kb->n_matches)
		return ERR_RANGE;
	m = &kb->matches[index];
	out->index = index;
	out->cve_index = m->cve;
	out->node = m->node;
	out->flags = m->flags;
	out->cpe = kb->strs + m->cpe;
	out->vendor_product = kb->strs + m->vp;
	out->version_start = kb->strs + m->start;
	out->version_end = kb->strs + m->end;
	return 0;
}

/* vp_cmp: compare a pool string with vendor ":" product without joining. */
static int vp_cmp(const char *s, const char *vendor, const char *product)
{
	size_t lv = strlen(vendor);
	int c = strncmp(s, vendor, lv);

	if (c)
		return c;
	if (s[lv] != ':')
		return (unsigned char)s[lv] - (unsigned char)':';
	return strcmp(s + lv + 1, product);
}

int kb_lookup_product(const struct kb *kb, const char *vendor, const char *product, kb_match_cb cb,
		      void *ctx)
{
	size_t lo = 0, hi = kb->n_products, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = vp_cmp(kb->strs + kb->products[mid].vp, vendor, product);

		if (c == 0) {
			const struct kb_rec_product *p = &kb->products[mid];

			for (i = 0; i < p->count; i++) {
				struct kb_match m;
				int r;

				if (kb_match_at(kb, kb->product_rows[p->first + i], &m) != 0)
					return ERR_RANGE;
				if ((r = cb(&m, ctx)) != 0)
					return r;
			}
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* lower_bound: the first of n sorted entries for which cmp(i) >= 0. */
struct lb_key {
	const char *a, *b; /* a string, or vendor and product */
};
typedef int (*lb_cmp)(const struct kb *kb, size_t i, const struct lb_key *k);

static size_t lower_bound(const struct kb *kb, size_t n, lb_cmp cmp, const struct lb_key *k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(kb, mid, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_deb_pkg(const struct kb *kb, size_t i, const struct lb_key *k)
{
	return strcmp(kb->strs + kb->deb[i].pkg, k->a);
}

static int cmp_cpe_pkg(const struct kb *kb, size_t i, const struct lb_key *k)
{
	return strcmp(kb->strs + kb->deb_cpe[i].a, k->a);
}

static int cmp_cpe_vp(const struct kb *kb, size_t i, const struct lb_key *k)
{
	return vp_cmp(kb->strs + kb->deb_cpe[kb->deb_cpe_by_vp[i]].b, k->a, k->b);
}

static int cmp_alias_vp(const struct kb *kb, size_t i, const struct lb_key *k)
{
	return vp_cmp(kb->strs + kb->aliases[kb->alias_by_vp[i]].a, k->a, k->b);
}

static int cmp_meta(const struct kb *kb, size_t i, const struct lb_key *k)
{
	return strcmp(kb->strs + kb->meta[i].a, k->a);
}

int kb_debian_fixes(const struct kb *kb, const char *pkg, const char *release, kb_deb_cb cb,
		    void *ctx)
{
	size_t i;

	struct lb_key k = {pkg, NULL};

	i = lower_bound(kb, kb->n_deb, cmp_deb_pkg, &k);
	for (; i < kb->n_deb && strcmp(kb->strs + kb->deb[i].pkg, pkg) == 0; i++) {
		const struct kb_rec_deb_fix *d = &kb->deb[i];
		struct kb_deb_fix f;
		int r;

		if (release && strcmp(kb->strs + d->release, release) != 0)
			continue;
		f.package = kb->strs + d->pkg;
		f.release = kb->strs + d->release;
		feed_cve_id(d->cve_year, d->cve_num, f.cve);
		f.status = (enum kb_deb_status)d->status;
		f.version = f.status == KB_DEB_FIXED ? kb->strs + d->version : "";
		f.advisory = kb->strs + d->advisory;
		if ((r = cb(&f, ctx)) != 0)
			return r;
	}
	return 0;
}

int kb_debian_cpe_by_package(const struct kb *kb, const char *pkg, kb_pair_cb cb, void *ctx)
{
	size_t i;
	int r;

	struct lb_key k = {pkg, NULL};

	i = lower_bound(kb, kb->n_deb_cpe, cmp_cpe_pkg, &k);
	for (; i < kb->n_deb_cpe && strcmp(kb->strs + kb->deb_cpe[i].a, pkg) == 0; i++)
		if ((r = cb(kb->strs + kb->deb_cpe[i].a, kb->strs + kb->deb_cpe[i].b, ctx)) != 0)
			return r;
	return 0;
}

int kb_debian_packages_by_cpe(const struct kb *kb, const char *vendor, const char *product,
			      kb_pair_cb cb, void *ctx)
{
	size_t i;
	int r;

	struct lb_key k = {vendor, product};

	i = lower_bound(kb, kb->n_deb_cpe, cmp_cpe_vp, &k);
	for (; i < kb->n_deb_cpe; i++) {
		const struct kb_rec_pair *p = &kb->deb_cpe[kb->deb_cpe_by_vp[i]];

		if (vp_cmp(kb->strs + p->b, vendor, product) != 0)
			break;
		if ((r = cb(kb->strs + p->a, kb->strs + p->b, ctx)) != 0)
			return r;
	}
	return 0;
}

int kb_aliases(const struct kb *kb, const char *vendor, const char *product, kb_pair_cb cb,
	       void *ctx)
{
	size_t i, j, lo;
	int r;

	struct lb_key k = {vendor, product};

	i = lower_bound(kb, kb->n_aliases, cmp_alias_vp, &k);
	for (; i < kb->n_aliases; i++) {
		uint32_t g = kb->aliases[kb->alias_by_vp[i]].b;

		if (vp_cmp(kb->strs + kb->aliases[kb->alias_by_vp[i]].a, vendor, product) != 0)
			break;
		/* the group's members are adjacent in group order */
		for (lo = kb->alias_by_vp[i]; lo > 0 && kb->aliases[lo - 1].b == g; lo--)
			;
		for (j = lo; j < kb->n_aliases && kb->aliases[j].b == g; j++)
			if ((r = cb(kb->strs + kb->aliases[j].a, NULL, ctx)) != 0)
				return r;
	}
	return 0;
}

void kb_counts(const struct kb *kb, struct kb_counts *o)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->file_size = kb->size;
	o->cves = (uint32_t)kb->n_cves;
	for (i = 0; i < kb->n_cves; i++) {
		uint32_t f = kb->cves[i].flags;

		o->nvd_cves += !!(f & KB_CVE_NVD);
		o->nvd_match_cves += !!(f & KB_CVE_MATCH);
		o->kev += !!(f & KB_CVE_KEV);
		o->epss += !!(f & KB_CVE_EPSS);
	}
	o->match_rows = (uint32_t)kb->n_matches;
	o->products = (uint32_t)kb->n_products;
	o->nodes = (uint32_t)kb->n_nodes;
	o->deb_advisories = (uint32_t)kb->n_deb_adv;
	o->deb_fix_rows = (uint32_t)kb->n_deb;
	for (i = 0; i < kb->n_deb; i++)
		o->deb_cve_fixes += kb->deb[i].status == KB_DEB_FIXED;
	o->deb_cpe = (uint32_t)kb->n_deb_cpe;
	o->aliases = (uint32_t)kb->n_aliases;
	for (i = 0; i < kb->n_aliases; i++)
		if (i == 0 || kb->aliases[i].b != kb->aliases[i - 1].b)
			o->alias_groups++;
}

const char *kb_meta(const struct kb *kb, const char *key)
{
	size_t i;

	struct lb_key k = {key, NULL};

	i = lower_bound(kb, kb->n_meta, cmp_meta, &k);
	if (i < kb->n_meta && strcmp(kb->strs + kb->meta[i].a, key) == 0)
		return kb->strs + kb->meta[i].b;
	return NULL;
}

static const char *meta_or(const struct kb *kb, const char *key)
{
	const char *v = kb_meta(kb, key);

	return v && *v ? v : "-";
}

int feed_status(const char *kb_path, struct buf *out)
{
	struct kb *kb = NULL;
	struct kb_counts n;
	int r = kb_open(kb_path, &kb);

	if (r != 0)
		return r;
	kb_counts(kb, &n);
	r = buf_addf(out,
		     "knowledge base: %s\n"
		     "file size: %llu\n"
		     "cve records: %u\n"
		     "nvd cves: %u\n"
		     "nvd cves with match data: %u\n"
		     "nvd cpe match rows: %u\n"
		     "nvd products: %u\n"
		     "nvd snapshot oldest: %s\n"
		     "nvd snapshot newest: %s\n"
		     "kev entries: %u\n"
		     "kev catalog version: %s\n"
		     "kev date released: %s\n"
		     "epss scores: %u\n"
		     "epss model version: %s\n"
		     "epss score date: %s\n"
		     "debian advisories: %u\n"
		     "debian fix rows: %u\n"
		     "debian cve fixes: %u\n"
		     "debian cpe mappings: %u\n"
		     "cpe alias groups: %u\n",
		     kb_path, (unsigned long long)n.file_size, n.cves, n.nvd_cves, n.nvd_match_cves,
		     n.match_rows, n.products, meta_or(kb, "nvd.timestamp.min"),
		     meta_or(kb, "nvd.timestamp.max"), n.kev, meta_or(kb, "kev.catalog_version"),
		     meta_or(kb, "kev.date_released"), n.epss, meta_or(kb, "epss.model_version"),
		     meta_or(kb, "epss.score_date"), n.deb_advisories, n.deb_fix_rows,
		     n.deb_cve_fixes, n.deb_cpe, n.alias_groups);
	kb_close(kb);
	return r;
}
