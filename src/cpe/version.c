/*
 * version.c: total orders on version strings: upstream/NVD versions, Debian
 * (dpkg verrevcmp) and RPM (rpmvercmp). Every comparator walks both inputs
 * once, compares digit runs by length after stripping leading zeros (no
 * integer conversion, so 1000-digit numbers are fine) and never allocates.
 */
#include <string.h>

#include "cpe/cpe.h"
#include "cpe/cpe_int.h"

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static int sign(long v)
{
	return (v > 0) - (v < 0);
}

/* Compare two digit runs without leading zeros: longer is larger. */
static int cmp_digits(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	int r;

	if (an != bn)
		return an < bn ? -1 : 1;
	if (an == 0)
		return 0;
	r = memcmp(a, b, an);
	return sign(r);
}

/* ------------------------------------------------------------ upstream */

static const struct {
	const char *word;
	int rank;
} pre_words[] = {
    {"dev", 1}, {"alpha", 2}, {"beta", 3}, {"pre", 4}, {"preview", 4}, {"rc", 5},
};

/* The pre-release rank of the letter run s[0..n), 0 when it is not one. */
TESTABLE int version_pre_rank(const unsigned char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(pre_words); i++) {
		if (strlen(pre_words[i].word) != n)
			continue;
		for (k = 0; k < n; k++)
			if (lower(s[k]) != (unsigned char)pre_words[i].word[k])
				break;
		if (k == n)
			return pre_words[i].rank;
	}
	return 0;
}

/* Token classes in their sort order at one position. */
enum vt_class { VT_PRE = 0, VT_END = 1, VT_ALPHA = 2, VT_NUM = 3 };

struct vtok {
	enum vt_class cls;
	const unsigned char *s; /* NUM: digits without leading zeros; ALPHA: letters */
	size_t n;
	int rank; /* VT_PRE */
};

struct vtok_it {
	const unsigned char *p;
	size_t len;
	size_t pos;
	size_t keep_until; /* zero numbers before this offset are significant */
};

static void skip_seps(const struct vtok_it *it, size_t *pos)
{
	while (*pos < it->len && !is_digit(it->p[*pos]) && !is_alpha(it->p[*pos]))
		(*pos)++;
}

/*
 * Starting at pos (just after a zero number), is the rest of a run of zero
 * numbers followed by the end or by a pre-release word? *stop is where that
 * end/word (or the first significant token) starts.
 */
static int zeros_droppable(const struct vtok_it *it, size_t pos, size_t *stop)
{
	size_t start, z;

	for (;;) {
		skip_seps(it, &pos);
		*stop = pos;
		if (pos == it->len)
			return 1;
		start = pos;
		if (is_digit(it->p[pos])) {
			z = 1;
			while (pos < it->len && is_digit(it->p[pos])) {
				if (it->p[pos] != '0')
					z = 0;
				pos++;
			}
			if (!z)
				return 0;
			continue;
		}
		while (pos < it->len && is_alpha(it->p[pos]))
			pos++;
		return version_pre_rank(it->p + start, pos - start) != 0;
	}
}

static void vtok_next(struct vtok_it *it, struct vtok *t)
{
	size_t start, stop;

	for (;;) {
		skip_seps(it, &it->pos);
		if (it->pos == it->len) {
			t->cls = VT_END;
			t->s = NULL;
			t->n = 0;
			return;
		}
		start = it->pos;
		if (is_alpha(it->p[start])) {
			while (it->pos < it->len && is_alpha(it->p[it->pos]))
				it->pos++;
			t->s = it->p + start;
			t->n = it->pos - start;
			t->rank = version_pre_rank(t->s, t->n);
			t->cls = t->rank ? VT_PRE : VT_ALPHA;
			return;
		}
		while (it->pos < it->len && it->p[it->pos] == '0')
			it->pos++;
		t->s = it->p + it->pos;
		while (it->pos < it->len && is_digit(it->p[it->pos]))
			it->pos++;
		t->n = (size_t)(it->p + it->pos - t->s);
		t->cls = VT_NUM;
		if (t->n != 0 || start < it->keep_until)
			return;
		/* a zero: drop it (and the zeros after it) before the end or a
		 * pre-release word, so 2.0 == 2.0.0 and 2.0.0rc1 == 2.0rc1 */
		if (zeros_droppable(it, it->pos, &stop)) {
			it->pos = stop;
			continue;
		}
		it->keep_until = stop;
		return;
	}
}

static int vtok_cmp(const struct vtok *a, const struct vtok *b)
{
	size_t i, n;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	switch (a->cls) {
	case VT_END:
		return 0;
	case VT_PRE:
		return sign((long)a->rank - b->rank);
	case VT_NUM:
		return cmp_digits(a->s, a->n, b->s, b->n);
	case VT_ALPHA:
		n = a->n < b->n ? a->n : b->n;
		for (i = 0; i < n; i++)
			if (lower(a->s[i]) != lower(b->s[i]))
				return lower(a->s[i]) < lower(b->s[i]) ? -1 : 1;
		return a->n == b->n ? 0 : (a->n < b->n ? -1 : 1);
	}
	return 0;
}

int version_cmp_upstream(const char *a, size_t alen, const char *b, size_t blen)
{
	struct vtok_it ia = {(const unsigned char *)a, a ? alen : 0, 0, 0};
	struct vtok_it ib = {(const unsigned char *)b, b ? blen : 0, 0, 0};
	struct vtok ta, tb;
	int r;

	for (;;) {
		vtok_next(&ia, &ta);
		vtok_next(&ib, &tb);
		r = vtok_cmp(&ta, &tb);
		if (r != 0 || ta.cls == VT_END)
			return r;
	}
}

/* ---------------------------------------------------------------- dpkg */

/* dpkg's order(): digits 0, letters themselves, "~" below the end,
 * everything else above the letters. The end of the string is 0. */
static int dpkg_order(unsigned char c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

TESTABLE int version_verrevcmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
	size_t i = 0, j = 0;

	while (i < al || j < bl) {
		int first_diff = 0;

		while ((i < al && !is_digit(a[i])) || (j < bl && !is_digit(b[j]))) {
			int ac = i < al ? dpkg_order(a[i]) : 0;
			int bc = j < bl ? dpkg_order(b[j]) : 0;

			if (ac != bc)
				return ac < bc ? -1 : 1;
			/* equal and non-zero: both are present */
			i++;
			j++;
		}
		while (i < al && a[i] == '0')
			i++;
		while (j < bl && b[j] == '0')
			j++;
		while (i < al && j < bl && is_digit(a[i]) && is_digit(b[j])) {
			if (!first_diff)
				first_diff = (int)a[i] - (int)b[j];
			i++;
			j++;
		}
		if (i < al && is_digit(a[i]))
			return 1;
		if (j < bl && is_digit(b[j]))
			return -1;
		if (first_diff)
			return first_diff < 0 ? -1 : 1;
	}
	return 0;
}

struct dpkg_ver {
	const unsigned char *e, *u, *r;
	size_t el, ul, rl;
};

static void dpkg_split(const unsigned char *s, size_t len, struct dpkg_ver *v)
{
	const unsigned char *colon = len ? memchr(s, ':', len) : NULL;
	size_t i;

	v->e = s;
	v->el = 0;
	if (colon) {
		v->el = (size_t)(colon - s);
		s = colon + 1;
		len -= v->el + 1;
	}
	v->u = s;
	v->ul = len;
	v->r = s + len;
	v->rl = 0;
	for (i = len; i > 0; i--) {
		if (s[i - 1] == '-') {
			v->ul = i - 1;
			v->r = s + i;
			v->rl = len - i;
			break;
		}
	}
}

int version_cmp_dpkg(const char *a, size_t alen, const char *b, size_t blen)
{
	struct dpkg_ver va, vb;
	int r;

	dpkg_split((const unsigned char *)(a ? a : ""), a ? alen : 0, &va);
	dpkg_split((const unsigned char *)(b ? b : ""), b ? blen : 0, &vb);
	/* an all-digit epoch compares numerically under verrevcmp */
	r = version_verrevcmp(va.e, va.el, vb.e, vb.el);
	if (r == 0)
		r = version_verrevcmp(va.u, va.ul, vb.u, vb.ul);
	if (r == 0)
		r = version_verrevcmp(va.r, va.rl, vb.r, vb.rl);
	return r;
}

void version_dpkg_upstream(const char *v, size_t len, size_t *off, size_t *outlen)
{
	struct dpkg_ver dv;

	if (!v) {
		*off = 0;
		*outlen = 0;
		return;
	}
	dpkg_split((const unsigned char *)v, len, &dv);
	*off = (size_t)(dv.u - (const unsigned char *)v);
	*outlen = dv.ul;
}

/* ----------------------------------------------------------------- rpm */

static int rpm_alnum(unsigned char c)
{
	return is_digit(c) || is_alpha(c);
}

/* One alphanumeric segment of each (a[*i], b[*j] are alphanumeric): the
 * kind is set by a; numbers are newer than letters. Advances both. */
static int rpm_segment(const unsigned char *a, size_t al, size_t *pi, const unsigned char *b,
		       size_t bl, size_t *pj)
{
	size_t i = *pi, j = *pj, si = i, sj = j, n1, n2;
	int isnum = is_digit(a[i]), r;

	if (isnum) {
		while (i < al && is_digit(a[i]))
			i++;
		while (j < bl && is_digit(b[j]))
			j++;
	} else {
		while (i < al && is_alpha(a[i]))
			i++;
		while (j < bl && is_alpha(b[j]))
			j++;
	}
	*pi = i;
	*pj = j;
	if (sj == j)
		return isnum ? 1 : -1;
	if (isnum) {
		while (si < i && a[si] == '0')
			si++;
		while (sj < j && b[sj] == '0')
			sj++;
		return cmp_digits(a + si, i - si, b + sj, j - sj);
	}
	n1 = i - si;
	n2 = j - sj;
	r = memcmp(a + si, b + sj, n1 < n2 ? n1 : n2);
	if (r)
		return sign(r);
	return n1 == n2 ? 0 : (n1 < n2 ? -1 : 1);
}

int version_cmp_rpm(const char *as, size_t al, const char *bs, size_t bl)
{
	const unsigned char *a = (const unsigned char *)as, *b = (const unsigned char *)bs;
	size_t i = 0, j = 0;
	int r;

	if (!a)
		al = 0;
	if (!b)
		bl = 0;
	if (al == bl && (al == 0 || memcmp(a, b, al) == 0))
		return 0;
	while (i < al || j < bl) {
		while (i < al && !rpm_alnum(a[i]) && a[i] != '~' && a[i] != '^')
			i++;
		while (j < bl && !rpm_alnum(b[j]) && b[j] != '~' && b[j] != '^')
			j++;
		/* "~" sorts before everything, even the end */
		if ((i < al && a[i] == '~') || (j < bl && b[j] == '~')) {
			if (!(i < al && a[i] == '~'))
				return 1;
			if (!(j < bl && b[j] == '~'))
				return -1;
			i++;
			j++;
			continue;
		}
		/* "^" sorts after the end but before anything else */
		if ((i < al && a[i] == '^') || (j < bl && b[j] == '^')) {
			if (i == al)
				return -1;
			if (j == bl)
				return 1;
			if (a[i] != '^')
				return 1;
			if (b[j] != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (i == al || j == bl)
			break;
		r = rpm_segment(a, al, &i, b, bl, &j);
		if (r)
			return r;
	}
	if (i == al && j == bl)
		return 0;
	return i == al ? -1 : 1;
}

struct rpm_evr {
	const char *e, *v, *r;
	size_t el, vl, rl;
	int has_r;
};

/* rpm's parseEVR: an all-digit prefix followed by ":" is the epoch; the
 * last "-" after it starts the release. */
static void rpm_split(const char *s, size_t len, struct rpm_evr *o)
{
	size_t i = 0, k;

	memset(o, 0, sizeof(*o));
	while (i < len && is_digit((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == ':') {
		o->e = s;
		o->el = i;
		s += i + 1;
		len -= i + 1;
	}
	o->v = s;
	o->vl = len;
	for (k = len; k > 0; k--) {
		if (s[k - 1] == '-') {
			o->vl = k - 1;
			o->r = s + k;
			o->rl = len - k;
			o->has_r = 1;
			break;
		}
	}
}

int version_cmp_rpm_evr(const char *a, size_t alen, const char *b, size_t blen)
{
	struct rpm_evr ea, eb;
	const unsigned char *pa, *pb;
	size_t na, nb;
	int r;

	rpm_split(a ? a : "", a ? alen : 0, &ea);
	rpm_split(b ? b : "", b ? blen : 0, &eb);
	pa = (const unsigned char *)ea.e;
	pb = (const unsigned char *)eb.e;
	na = ea.el;
	nb = eb.el;
	while (na && *pa == '0') {
		pa++;
		na--;
	}
	while (nb && *pb == '0') {
		pb++;
		nb--;
	}
	r = cmp_digits(pa, na, pb, nb);
	if (r == 0)
		r = version_cmp_rpm(ea.v, ea.vl, eb.v, eb.vl);
	if (r == 0 && ea.has_r && eb.has_r)
		r = version_cmp_rpm(ea.r, ea.rl, eb.r, eb.rl);
	return r;
}
