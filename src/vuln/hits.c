/*
 * hits.c: the hit list (append, find, sort, remove), the sorted CVE set that
 * changelogs fill, and dropping the hits a changelog says are fixed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vuln/vuln_int.h"

void vuln_hits_init(struct vuln_hits *h)
{
	memset(h, 0, sizeof(*h));
}

void vuln_hits_release(struct vuln_hits *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

int vuln_hits_push(struct vuln_hits *h, const struct vuln_hit *hit)
{
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 16;
		struct vuln_hit *v = realloc(h->v, ncap * sizeof(*v));

		if (!v)
			return ERR_NOMEM;
		h->v = v;
		h->cap = ncap;
	}
	h->v[h->n++] = *hit;
	return 0;
}

void vuln_hits_remove_at(struct vuln_hits *h, size_t i)
{
	if (i >= h->n)
		return;
	memmove(&h->v[i], &h->v[i + 1], (h->n - i - 1) * sizeof(*h->v));
	h->n--;
}

const struct vuln_hit *vuln_hits_find(const struct vuln_hits *h, const char *cve)
{
	size_t i;

	for (i = 0; cve && i < h->n; i++)
		if (strcasecmp(h->v[i].cve, cve) == 0)
			return &h->v[i];
	return NULL;
}

/* CVE ids by year, then number (numerically), so "CVE-2024-10979" sorts
 * after "CVE-2024-6387". */
static int cve_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 9 && lb >= 9) {
		int c = strncmp(a + 4, b + 4, 4);

		if (c)
			return c;
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	return strcasecmp(a, b);
}

static int hit_cmp(const void *pa, const void *pb)
{
	const struct vuln_hit *a = pa, *b = pb;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->cvss != b->cvss)
		return a->cvss > b->cvss ? -1 : 1;
	if (a->conf != b->conf)
		return a->conf > b->conf ? -1 : 1;
	return -cve_cmp(a->cve, b->cve);
}

/* what hit_cmp reads of a hit, in 48 bytes: the sort compares these, so a
 * long list (hundreds of hits, 660 bytes each) is not walked at random */
struct sort_key {
	double cvss;
	int sev, conf;
	uint32_t pos;
	uint32_t year; /* the id's bytes 4-7, big-endian (len >= 9) */
	uint32_t len;  /* strlen of the id */
	char cve[24];
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;

	/* hit_cmp's order, field for field; -cve_cmp with the lengths and
	 * years read once (strncmp of 4 non-NUL bytes is their big-endian
	 * order) */
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->cvss != b->cvss)
		return a->cvss > b->cvss ? -1 : 1;
	if (a->conf != b->conf)
		return a->conf > b->conf ? -1 : 1;
	if (a->len >= 9 && b->len >= 9) {
		if (a->year != b->year)
			return a->year < b->year ? 1 : -1;
		if (a->len != b->len)
			return a->len < b->len ? 1 : -1;
	}
	return -strcasecmp(a->cve, b->cve);
}

/*
 * The sort orders small keys, not hits, then moves each hit once (cycles
 * of the permutation, one spare hit). Both sorts are stable, as before
 * (insertion sort; glibc's qsort is a merge sort), and hit_cmp is a total
 * order anyway, so the result is the same.
 */
void vuln_hits_sort(struct vuln_hits *h)
{
	struct sort_key inl[32], *k = inl, x;
	struct vuln_hit spare;
	size_t i, m, j;

	for (i = 1; i < h->n; i++)
		if (hit_cmp(&h->v[i - 1], &h->v[i]) > 0)
			break;
	if (i >= h->n)
		return; /* sorted already (one or two hits, mostly) */
	if (h->n > ARRAY_SIZE(inl) && (h->n > UINT32_MAX || !(k = malloc(h->n * sizeof(*k))))) {
		qsort(h->v, h->n, sizeof(*h->v), hit_cmp);
		return;
	}
	for (i = 0; i < h->n; i++) {
		k[i].cvss = h->v[i].cvss;
		k[i].sev = (int)h->v[i].sev;
		k[i].conf = (int)h->v[i].conf;
		k[i].pos = (uint32_t)i;
		memcpy(k[i].cve, h->v[i].cve, sizeof(k[i].cve));
		k[i].cve[sizeof(k[i].cve) - 1] = '\0';
		k[i].len = (uint32_t)strlen(k[i].cve);
		k[i].year = k[i].len >= 9 ? (uint32_t)(unsigned char)k[i].cve[4] << 24 |
						(uint32_t)(unsigned char)k[i].cve[5] << 16 |
						(uint32_t)(unsigned char)k[i].cve[6] << 8 |
						(uint32_t)(unsigned char)k[i].cve[7]
					  : 0;
	}
	if (h->n > 16) {
		qsort(k, h->n, sizeof(*k), key_cmp);
	} else {
		for (i = 1; i < h->n; i++) {
			x = k[i];
			for (m = i; m > 0 && key_cmp(&k[m - 1], &x) > 0; m--)
				k[m] = k[m - 1];
			k[m] = x;
		}
	}
	/* slot i gets hit k[i].pos */
	for (i = 0; i < h->n; i++) {
		if (k[i].pos == i)
			continue;
		spare = h->v[i];
		for (j = i; k[j].pos != i; j = m) {
			m = k[j].pos;
			h->v[j] = h->v[m];
			k[j].pos = (uint32_t)j;
		}
		h->v[j] = spare;
		k[j].pos = (uint32_t)j;
	}
	if (k != inl)
		free(k);
}

void vuln_why_append(struct vuln_hit *h, const char *fmt, ...)
{
	size_t n = strlen(h->why);
	va_list ap;

	if (n + 1 >= sizeof(h->why))
		return;
	va_start(ap, fmt);
	vsnprintf(h->why + n, sizeof(h->why) - n, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------- CVE sets */

void vuln_cvelist_release(struct vuln_cvelist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int vuln_cvelist_add(struct vuln_cvelist *l, const char *cve, size_t len, const char *version)
{
	struct vuln_cvefix *f;

	if (len == 0 || len >= sizeof(f->cve))
		return ERR_INVAL;
	if (l->n >= VULN_CHANGELOG_MAX_CVES)
		return ERR_TOO_BIG;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		struct vuln_cvefix *v = realloc(l->v, ncap * sizeof(*v));

		if (!v)
			return ERR_NOMEM;
		l->v = v;
		l->cap = ncap;
	}
	f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	memcpy(f->cve, cve, len);
	str_lcpy(f->version, version ? version : "", sizeof(f->version));
	return 0;
}

static int fix_cmp(const void *pa, const void *pb)
{
	const struct vuln_cvefix *a = pa, *b = pb;
	int c = strcasecmp(a->cve, b->cve);

	if (c)
		return c;
	return version_cmp_dpkg(a->version, strlen(a->version), b->version, strlen(b->version));
}

/* sort and keep, of each id, the entry with the oldest version (the first
 * changelog entry that named it) */
void vuln_cvelist_sort(struct vuln_cvelist *l)
{
	size_t i, o = 0;

	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof(*l->v), fix_cmp);
	for (i = 0; i < l->n; i++) {
		if (o && strcasecmp(l->v[o - 1].cve, l->v[i].cve) == 0)
			continue;
		l->v[o++] = l->v[i];
	}
	l->n = o;
}

int vuln_cvelist_has(const struct vuln_cvelist *l, const char *cve)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcasecmp(l->v[mid].cve, cve);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

size_t vuln_hits_drop_fixed(struct vuln_hits *h, const struct vuln_cvelist *fixed)
{
	size_t i, o = 0, n0 = h->n;

	for (i = 0; i < h->n; i++)
		if (!vuln_cvelist_has(fixed, h->v[i].cve))
			h->v[o++] = h->v[i];
	h->n = o;
	return n0 - o;
}
