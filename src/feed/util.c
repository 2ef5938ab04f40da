/*
 * util.c: the small containers the feed builder is made of (an interning
 * string pool, a u64 -> u32 hash map, a growing vector) and the id and date
 * parsers every feed format shares.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_int.h"

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

int strpool_init(struct strpool *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->cap = 1 << 16;
	sp->p = malloc(sp->cap);
	sp->nslots = 1 << 12;
	sp->slots = calloc(sp->nslots, sizeof(*sp->slots));
	if (!sp->p || !sp->slots) {
		strpool_release(sp);
		return ERR_NOMEM;
	}
	sp->p[0] = '\0';
	sp->len = 1;
	return 0;
}

void strpool_release(struct strpool *sp)
{
	free(sp->p);
	free(sp->slots);
	memset(sp, 0, sizeof(*sp));
}

static int strpool_rehash(struct strpool *sp)
{
	size_t n = sp->nslots * 2, i;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return ERR_NOMEM;
	for (i = 0; i < sp->nslots; i++) {
		uint32_t off = sp->slots[i];
		const char *s;
		size_t j;

		if (!off)
			continue;
		s = sp->p + off - 1;
		j = hash_bytes(s, strlen(s)) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = off;
	}
	free(sp->slots);
	sp->slots = slots;
	sp->nslots = n;
	return 0;
}

int strpool_intern(struct strpool *sp, const char *s, size_t len, uint32_t *off)
{
	size_t j;
	uint32_t h;

	if (len == 0) {
		*off = 0;
		return 0;
	}
	if (memchr(s, '\0', len))
		return ERR_INVAL;
	if ((sp->used + 1) * 2 > sp->nslots && strpool_rehash(sp) != 0)
		return ERR_NOMEM;
	h = hash_bytes(s, len);
	j = h & (sp->nslots - 1);
	while (sp->slots[j]) {
		const char *t = sp->p + sp->slots[j] - 1;

		if (memcmp(t, s, len) == 0 && t[len] == '\0') {
			*off = sp->slots[j] - 1;
			return 0;
		}
		j = (j + 1) & (sp->nslots - 1);
	}
	if (sp->len + len + 1 > UINT32_MAX - 1)
		return ERR_TOO_BIG;
	if (sp->len + len + 1 > sp->cap) {
		size_t ncap = sp->cap * 2;
		char *np;

		while (ncap < sp->len + len + 1)
			ncap *= 2;
		np = realloc(sp->p, ncap);
		if (!np)
			return ERR_NOMEM;
		sp->p = np;
		sp->cap = ncap;
	}
	memcpy(sp->p + sp->len, s, len);
	sp->p[sp->len + len] = '\0';
	sp->slots[j] = (uint32_t)sp->len + 1;
	*off = (uint32_t)sp->len;
	sp->len += len + 1;
	sp->used++;
	return 0;
}

static size_t mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

void u64map_release(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static int u64map_grow(struct u64map *m)
{
	size_t n = m->cap ? m->cap * 2 : 1024, i;
	uint64_t *keys = malloc(n * sizeof(*keys));
	uint32_t *vals = malloc(n * sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return ERR_NOMEM;
	}
	memset(keys, 0xff, n * sizeof(*keys));
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (m->keys[i] == UINT64_MAX)
			continue;
		j = mix64(m->keys[i]) & (n - 1);
		while (keys[j] != UINT64_MAX)
			j = (j + 1) & (n - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = n;
	return 0;
}

int u64map_put(struct u64map *m, uint64_t key, uint32_t val)
{
	size_t j;

	if (key == UINT64_MAX)
		return ERR_INVAL;
	if ((m->used + 1) * 2 > m->cap && u64map_grow(m) != 0)
		return ERR_NOMEM;
	j = mix64(key) & (m->cap - 1);
	while (m->keys[j] != UINT64_MAX && m->keys[j] != key)
		j = (j + 1) & (m->cap - 1);
	if (m->keys[j] == UINT64_MAX)
		m->used++;
	m->keys[j] = key;
	m->vals[j] = val;
	return 0;
}

int u64map_get(const struct u64map *m, uint64_t key, uint32_t *val)
{
	size_t j;

	if (!m->cap || key == UINT64_MAX)
		return 0;
	j = mix64(key) & (m->cap - 1);
	while (m->keys[j] != UINT64_MAX) {
		if (m->keys[j] == key) {
			*val = m->vals[j];
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}

void *vec_push(struct vec *v)
{
	void *e;

	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 64;
		void *np = realloc(v->p, ncap * v->esz);

		if (!np)
			return NULL;
		v->p = np;
		v->cap = ncap;
	}
	e = (char *)v->p + v->n * v->esz;
	memset(e, 0, v->esz);
	v->n++;
	return e;
}

void vec_release(struct vec *v)
{
	free(v->p);
	v->p = NULL;
	v->n = v->cap = 0;
}

int feed_cve_key(const char *s, size_t len, uint32_t *year, uint32_t *num)
{
	struct cursor c;
	uint64_t y, n;
	size_t before;

	cursor_init(&c, s, len);
	if (!cursor_startswith_ci(&c, "CVE-") || cursor_skip(&c, 4) != 0)
		return ERR_PARSE;
	before = c.len;
	if (cursor_uint(&c, 9999, &y) != 0 || before - c.len != 4 || y < 1988)
		return ERR_PARSE;
	if (cursor_expect(&c, "-") != 0)
		return ERR_PARSE;
	before = c.len;
	if (cursor_uint(&c, UINT32_MAX - 1, &n) != 0 || before - c.len < 4 || c.len != 0)
		return ERR_PARSE;
	*year = (uint32_t)y;
	*num = (uint32_t)n;
	return 0;
}

void feed_cve_id(uint32_t year, uint32_t num, char out[32])
{
	snprintf(out, 32, "CVE-%04u-%04u", year % 10000u, num);
}

/* feed_parse_date: "YYYY-MM-DD" optionally followed by "THH:MM[:SS[.f]]"
 * and a zone; NVD 1.1 omits seconds and 2.0 omits the zone (both UTC). */
int feed_parse_date(const char *s, size_t len, int64_t *secs)
{
	struct cursor c;
	uint64_t v[6] = {0, 0, 0, 0, 0, 0};
	size_t i, before;
	static const char seps[] = "--T::";
	static const uint64_t maxv[6] = {9999, 12, 31, 23, 59, 60};

	cursor_init(&c, s, len);
	for (i = 0; i < 6; i++) {
		if (i > 0) {
			if (c.len == 0 || *c.p != seps[i - 1])
				break;
			if (cursor_skip(&c, 1) != 0)
				return ERR_PARSE;
		}
		before = c.len;
		if (cursor_uint(&c, maxv[i], &v[i]) != 0)
			return ERR_PARSE;
		if (before - c.len != (i == 0 ? 4u : 2u))
			return ERR_PARSE;
	}
	if (i < 3 || v[1] < 1 || v[2] < 1 || v[0] < 1970)
		return ERR_PARSE;
	*secs = (int64_t)time_utc_from_tm((int)v[0], (int)v[1], (int)v[2], (int)v[3], (int)v[4],
					  v[5] > 59 ? 59 : (int)v[5]);
	return 0;
}

int builder_cve(struct feed_kb_builder *b, uint32_t year, uint32_t num, struct bcve **out)
{
	uint64_t key = ((uint64_t)year << 32) | num;
	uint32_t ix;
	struct bcve *c;

	if (u64map_get(&b->cve_ix, key, &ix)) {
		*out = VEC_AT(&b->cves, struct bcve, ix);
		return 0;
	}
	if (b->cves.n >= UINT32_MAX - 1)
		return ERR_TOO_BIG;
	c = vec_push(&b->cves);
	if (!c)
		return ERR_NOMEM;
	c->r.year = year;
	c->r.num = num;
	if (u64map_put(&b->cve_ix, key, (uint32_t)(b->cves.n - 1)) != 0) {
		b->cves.n--;
		return ERR_NOMEM;
	}
	*out = c;
	return 0;
}

int builder_meta_set(struct feed_kb_builder *b, const char *key, const char *val, size_t val_len)
{
	uint32_t k, v;
	size_t i;
	struct kb_rec_pair *m;
	int r;

	r = strpool_intern(&b->sp, key, strlen(key), &k);
	if (r == 0)
		r = strpool_intern(&b->sp, val, val_len, &v);
	if (r != 0)
		return r;
	for (i = 0; i < b->meta.n; i++) {
		m = VEC_AT(&b->meta, struct kb_rec_pair, i);
		if (m->a == k) {
			m->b = v;
			return 0;
		}
	}
	m = vec_push(&b->meta);
	if (!m)
		return ERR_NOMEM;
	m->a = k;
	m->b = v;
	return 0;
}

const char *builder_meta_get(struct feed_kb_builder *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->meta.n; i++) {
		const struct kb_rec_pair *m = VEC_AT(&b->meta, struct kb_rec_pair, i);

		if (strcmp(b->sp.p + m->a, key) == 0)
			return b->sp.p + m->b;
	}
	return NULL;
}
