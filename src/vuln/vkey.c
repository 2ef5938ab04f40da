/*
 * vkey.c: version keys for the index: a byte string per upstream version
 * such that memcmp order is version_cmp_upstream order (and equal keys are
 * equal versions), so the index compares versions once at build time and
 * with memcmp afterwards. The tokenizer mirrors src/cpe/version.c; the unit
 * test test_vuln_index checks the two agree.
 */
#include <string.h>

#include "vuln/vuln_int.h"

static int vk_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int vk_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char vk_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* the pre-release rank of s[0..n): dev 1, alpha 2, beta 3, pre/preview 4,
 * rc 5, else 0 (version_pre_rank) */
static int vk_pre_rank(const unsigned char *s, size_t n)
{
	static const struct {
		const char *w;
		size_t n;
		int rank;
	} words[] = {{"dev", 3, 1}, {"alpha", 5, 2},   {"beta", 4, 3},
		     {"pre", 3, 4}, {"preview", 7, 4}, {"rc", 2, 5}};
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (words[i].n != n)
			continue;
		for (k = 0; k < n && vk_lower(s[k]) == (unsigned char)words[i].w[k]; k++)
			;
		if (k == n)
			return words[i].rank;
	}
	return 0;
}

struct vk_it {
	const unsigned char *p;
	size_t len, pos, keep_until;
};

static void vk_skip(const struct vk_it *it, size_t *pos)
{
	while (*pos < it->len && !vk_digit(it->p[*pos]) && !vk_alpha(it->p[*pos]))
		(*pos)++;
}

/* after a zero number at pos: only zero numbers up to the end or a
 * pre-release word? *stop is where that end/word starts */
static int vk_zeros_droppable(const struct vk_it *it, size_t pos, size_t *stop)
{
	size_t start;
	int z;

	for (;;) {
		vk_skip(it, &pos);
		*stop = pos;
		if (pos == it->len)
			return 1;
		start = pos;
		if (vk_digit(it->p[pos])) {
			for (z = 1; pos < it->len && vk_digit(it->p[pos]); pos++)
				if (it->p[pos] != '0')
					z = 0;
			if (!z)
				return 0;
			continue;
		}
		while (pos < it->len && vk_alpha(it->p[pos]))
			pos++;
		return vk_pre_rank(it->p + start, pos - start) != 0;
	}
}

/* Token bytes, in version_cmp_upstream's class order: PRE < END < ALPHA <
 * NUM (VK_NUM and up: the class byte of a number holds its length) */
#define VK_PRE 1
#define VK_END 2
#define VK_ALPHA 3
#define VK_NUM 16

struct vk_out {
	uint8_t *o;
	size_t n, cap;
	int over;
};

static void vk_put(struct vk_out *w, uint8_t b)
{
	if (w->n < w->cap)
		w->o[w->n] = b;
	else
		w->over = 1;
	w->n++;
}

/* one token into w; 0 at the end */
static int vk_token(struct vk_it *it, struct vk_out *w)
{
	size_t start, stop, n, i;
	const unsigned char *s;
	int rank;

	for (;;) {
		vk_skip(it, &it->pos);
		if (it->pos == it->len) {
			vk_put(w, VK_END);
			return 0;
		}
		start = it->pos;
		if (vk_alpha(it->p[start])) {
			while (it->pos < it->len && vk_alpha(it->p[it->pos]))
				it->pos++;
			rank = vk_pre_rank(it->p + start, it->pos - start);
			if (rank) {
				vk_put(w, VK_PRE);
				vk_put(w, (uint8_t)rank);
				return 1;
			}
			vk_put(w, VK_ALPHA);
			for (i = start; i < it->pos; i++)
				vk_put(w, vk_lower(it->p[i]));
			vk_put(w, 0);
			return 1;
		}
		while (it->pos < it->len && it->p[it->pos] == '0')
			it->pos++;
		s = it->p + it->pos;
		while (it->pos < it->len && vk_digit(it->p[it->pos]))
			it->pos++;
		n = (size_t)(it->p + it->pos - s);
		if (n == 0 && start >= it->keep_until) {
			if (vk_zeros_droppable(it, it->pos, &stop)) {
				it->pos = stop;
				continue;
			}
			it->keep_until = stop;
		}
		/* numbers compare by length, then digits: the class byte holds
		 * the length (VK_NUM + n, or 0xff and four bytes past 238
		 * digits), then the digits two to a byte (00-99; an odd last
		 * one alone): the same order for equal lengths, and short keys
		 * (most versions fit the 8-byte prefix) */
		if (n < 0xff - VK_NUM) {
			vk_put(w, (uint8_t)(VK_NUM + n));
		} else {
			vk_put(w, 0xff);
			vk_put(w, (uint8_t)(n >> 24));
			vk_put(w, (uint8_t)(n >> 16));
			vk_put(w, (uint8_t)(n >> 8));
			vk_put(w, (uint8_t)n);
		}
		for (i = 0; i + 1 < n; i += 2)
			vk_put(w, (uint8_t)((s[i] - '0') * 10 + (s[i + 1] - '0')));
		if (i < n)
			vk_put(w, (uint8_t)(s[i] - '0'));
		return 1;
	}
}

int vkey_encode(const char *v, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	struct vk_it it = {(const unsigned char *)v, v ? len : 0, 0, 0};
	struct vk_out w = {out, 0, cap, 0};

	while (vk_token(&it, &w))
		;
	*outlen = w.n;
	return w.over ? -1 : 0;
}

int vkey_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	if (r != 0)
		return r < 0 ? -1 : 1;
	return an == bn ? 0 : (an < bn ? -1 : 1);
}

uint64_t vkey_prefix(const uint8_t *k, size_t n)
{
	uint64_t p = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		p = (p << 8) | (i < n ? k[i] : 0);
	return p;
}

size_t vkey_base_len(const char *v, size_t len)
{
	size_t i = len, letters;

	while (i > 0 && vk_digit((unsigned char)v[i - 1]))
		i--;
	letters = i;
	while (i > 0 && vk_alpha((unsigned char)v[i - 1]))
		i--;
	if (i == letters)
		return len;
	if (i > 0 && (v[i - 1] == '-' || v[i - 1] == '_' || v[i - 1] == '.') && i > 1 &&
	    vk_digit((unsigned char)v[i - 2]))
		i--;
	if (i == 0 || !vk_digit((unsigned char)v[i - 1]))
		return len;
	return i;
}
