/*
 * cpe.c: CPE names: parsing the 2.3 formatted string and 2.2 URI bindings
 * into a WFN (values unescaped, wildcards kept aside), formatting back to
 * 2.3, and NISTIR 7696 attribute comparison and name matching.
 */
#include <stdlib.h>
#include <string.h>

#include "cpe/cpe.h"
#include "cpe/cpe_int.h"

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_printable(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e;
}

int cpe_mem_eq_ci(const char *s, size_t slen, const char *t, size_t tlen)
{
	size_t i;

	if (slen != tlen)
		return 0;
	for (i = 0; i < slen; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)t[i]))
			return 0;
	return 1;
}

void cpe_init(struct cpe *c)
{
	memset(c, 0, sizeof(*c));
}

void cpe_release(struct cpe *c)
{
	if (!c)
		return;
	free(c->mem);
	cpe_init(c);
}

void cpe_set(struct cpe *c, enum cpe_attr_id id, const char *s, size_t len)
{
	struct cpe_attr *a = &c->attr[id];

	memset(a, 0, sizeof(*a));
	if (!s || len == 0)
		return; /* ANY */
	a->kind = CPE_VALUE;
	a->v = s;
	a->len = len;
}

bool cpe_attr_eq_str(const struct cpe_attr *a, const char *s, size_t len)
{
	return a->kind == CPE_VALUE && a->pre == 0 && a->post == 0 &&
	       cpe_mem_eq_ci(a->v, a->len, s, len);
}

/* ------------------------------------------------------------- parsing */

/* One field as decoded characters, each marked quoted (literal) or not. */
struct field {
	unsigned char ch[CPE_MAX_LEN];
	unsigned char quoted[CPE_MAX_LEN];
	size_t n;
};

/* Count a wildcard run at one end of f: one "*" or n "?" (unquoted).
 * Returns the number of bytes it spans, or -1 for a mixed/doubled run. */
static int wild_run(const struct field *f, size_t from, int dir, size_t limit, unsigned short *spec)
{
	size_t k = 0, i;
	int stars = 0, qs = 0;

	for (k = 0; k < limit; k++) {
		i = dir > 0 ? from + k : from - k;
		if (f->quoted[i] || (f->ch[i] != '*' && f->ch[i] != '?'))
			break;
		if (f->ch[i] == '*')
			stars++;
		else
			qs++;
	}
	*spec = 0;
	if (k == 0)
		return 0;
	if (stars && (stars > 1 || qs))
		return -1;
	*spec = stars ? CPE_WILD_STAR : (unsigned short)qs;
	return (int)k;
}

/* Turn a decoded field into an attribute, copying the literal to *mem. */
static int field_finish(const struct field *f, enum cpe_attr_id id, struct cpe_attr *a, char **mem)
{
	int pre, post = 0;
	size_t i, start, end;

	memset(a, 0, sizeof(*a));
	if (f->n == 1 && !f->quoted[0] && f->ch[0] == '*')
		return 0; /* ANY */
	if (f->n == 1 && !f->quoted[0] && f->ch[0] == '-') {
		if (id == CPE_PART)
			return ERR_PARSE;
		a->kind = CPE_NA;
		return 0;
	}
	if (f->n == 0)
		return ERR_PARSE;
	pre = wild_run(f, 0, 1, f->n, &a->pre);
	if (pre < 0)
		return ERR_PARSE;
	if ((size_t)pre < f->n)
		post = wild_run(f, f->n - 1, -1, f->n - (size_t)pre, &a->post);
	if (post < 0)
		return ERR_PARSE;
	start = (size_t)pre;
	end = f->n - (size_t)post;
	for (i = start; i < end; i++)
		if (!f->quoted[i] && (f->ch[i] == '*' || f->ch[i] == '?'))
			return ERR_PARSE; /* wildcards only at the ends */
	if (id == CPE_PART) {
		if (a->pre || a->post || end - start != 1)
			return ERR_PARSE;
		if (lower(f->ch[start]) != 'a' && lower(f->ch[start]) != 'o' &&
		    lower(f->ch[start]) != 'h')
			return ERR_PARSE;
	}
	a->kind = CPE_VALUE;
	a->v = *mem;
	a->len = end - start;
	for (i = start; i < end; i++)
		*(*mem)++ = (char)f->ch[i];
	*(*mem)++ = '\0';
	return 0;
}

/* The 2.3 formatted string: exactly 11 fields after "cpe:2.3:". */
static int parse_fs(const unsigned char *s, size_t len, struct cpe *c, char *mem)
{
	struct field fb, *f = &fb;
	size_t i = 0;
	int id = 0, r = 0;

	f->n = 0;
	for (;;) {
		if (i == len || s[i] == ':') {
			if (id >= CPE_NATTR) {
				r = ERR_PARSE;
				goto out;
			}
			r = field_finish(f, (enum cpe_attr_id)id, &c->attr[id], &mem);
			if (r != 0)
				goto out;
			id++;
			f->n = 0;
			if (i == len)
				break;
			i++;
			continue;
		}
		if (!is_printable(s[i])) {
			r = ERR_PARSE;
			goto out;
		}
		if (s[i] == '\\') {
			if (i + 1 == len || !is_printable(s[i + 1])) {
				r = ERR_PARSE;
				goto out;
			}
			f->ch[f->n] = s[i + 1];
			f->quoted[f->n++] = 1;
			i += 2;
			continue;
		}
		f->ch[f->n] = s[i++];
		f->quoted[f->n++] = 0;
	}
	r = id == CPE_NATTR ? 0 : ERR_PARSE;
out:
	return r;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode one URI component s[0..len) into f ("%01" -> "?", "%02" -> "*"
 * as wildcards; other %XX literal). An empty component is ANY. */
static int uri_decode(const unsigned char *s, size_t len, struct field *f)
{
	size_t i = 0;
	int h, l;

	f->n = 0;
	if (len == 0) {
		f->ch[0] = '*';
		f->quoted[0] = 0;
		f->n = 1;
		return 0;
	}
	if (len == 1 && s[0] == '-') {
		f->ch[0] = '-';
		f->quoted[0] = 0;
		f->n = 1;
		return 0;
	}
	while (i < len) {
		if (!is_printable(s[i]))
			return ERR_PARSE;
		if (s[i] != '%') {
			f->ch[f->n] = s[i++];
			/* "*", "?" and a lone "-" are literal in a URI */
			f->quoted[f->n++] = 1;
			continue;
		}
		if (len - i < 3)
			return ERR_PARSE;
		h = hexval(s[i + 1]);
		l = hexval(s[i + 2]);
		if (h < 0 || l < 0)
			return ERR_PARSE;
		h = h * 16 + l;
		if (h == 1 || h == 2) {
			f->ch[f->n] = h == 1 ? '?' : '*';
			f->quoted[f->n++] = 0;
		} else if (is_printable((unsigned char)h)) {
			f->ch[f->n] = (unsigned char)h;
			f->quoted[f->n++] = 1;
		} else {
			return ERR_PARSE;
		}
		i += 3;
	}
	return 0;
}

static int uri_component(const unsigned char *s, size_t len, enum cpe_attr_id id, struct cpe *c,
			 struct field *f, char **mem)
{
	int r = uri_decode(s, len, f);

	if (r != 0)
		return r;
	return field_finish(f, id, &c->attr[id], mem);
}

/* The 2.2 URI: up to 7 components after "cpe:/", edition maybe packed. */
static int parse_uri(const unsigned char *s, size_t len, struct cpe *c, char *mem)
{
	static const enum cpe_attr_id packed[] = {CPE_EDITION, CPE_SW_EDITION, CPE_TARGET_SW,
						  CPE_TARGET_HW, CPE_OTHER};
	struct field fb, *f = &fb;
	size_t i = 0, start = 0, k, ps;
	int id = 0, r = 0, sub;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != ':')
			continue;
		if (id > CPE_LANGUAGE) {
			r = ERR_PARSE;
			goto out;
		}
		if (id == CPE_EDITION && i > start && s[start] == '~') {
			/* packed: ~edition~sw_edition~target_sw~target_hw~other */
			ps = start + 1;
			sub = 0;
			for (k = start + 1; k <= i; k++) {
				if (k < i && s[k] != '~')
					continue;
				if (sub >= (int)ARRAY_SIZE(packed)) {
					r = ERR_PARSE;
					goto out;
				}
				r = uri_component(s + ps, k - ps, packed[sub], c, f, &mem);
				if (r != 0)
					goto out;
				sub++;
				ps = k + 1;
			}
			if (sub != (int)ARRAY_SIZE(packed)) {
				r = ERR_PARSE;
				goto out;
			}
		} else {
			r = uri_component(s + start, i - start, (enum cpe_attr_id)id, c, f, &mem);
			if (r != 0)
				goto out;
		}
		id++;
		start = i + 1;
	}
out:
	return r;
}

static int needs_quote(const struct cpe_attr *a, unsigned char ch)
{
	if (is_alnum(ch) || ch == '_' || ch == '.')
		return 0;
	/* a lone "-" value must be quoted or it would read as NA */
	if (ch == '-')
		return a->len == 1 && a->pre == 0 && a->post == 0;
	return 1;
}

static size_t wild_len(unsigned short spec)
{
	return spec == CPE_WILD_STAR ? 1 : spec;
}

/* The length of c as cpe_format writes it. */
static size_t formatted_len(const struct cpe *c)
{
	size_t n = 7, i, k; /* "cpe:2.3" */

	for (i = 0; i < CPE_NATTR; i++) {
		const struct cpe_attr *a = &c->attr[i];

		n += 1; /* ":" */
		if (a->kind != CPE_VALUE) {
			n += 1;
			continue;
		}
		n += wild_len(a->pre) + wild_len(a->post) + a->len;
		for (k = 0; k < a->len; k++)
			n += (size_t)needs_quote(a, (unsigned char)a->v[k]);
	}
	return n;
}

int cpe_parse(const char *s, size_t len, struct cpe *out)
{
	struct cpe c;
	char *mem;
	int r;

	if (!s)
		return ERR_PARSE;
	if (len > CPE_MAX_LEN)
		return ERR_TOO_BIG;
	cpe_init(&c);
	/* decoded values never exceed the input; one NUL per attribute */
	mem = malloc(len + CPE_NATTR + 1);
	if (!mem)
		return ERR_NOMEM;
	c.mem = mem;
	if (len >= 8 && cpe_mem_eq_ci(s, 8, "cpe:2.3:", 8))
		r = parse_fs((const unsigned char *)s + 8, len - 8, &c, mem);
	else if (len >= 5 && cpe_mem_eq_ci(s, 5, "cpe:/", 5))
		r = parse_uri((const unsigned char *)s + 5, len - 5, &c, mem);
	else
		r = ERR_PARSE;
	/* the name must fit the cap in its 2.3 form too (a URI is shorter:
	 * fewer fields, raw "+"), so cpe_format's output always re-parses */
	if (r == 0 && formatted_len(&c) > CPE_MAX_LEN)
		r = ERR_TOO_BIG;
	if (r != 0) {
		cpe_release(&c);
		return r;
	}
	*out = c;
	return 0;
}

int cpe_copy(struct cpe *dst, const struct cpe *src)
{
	struct cpe c;
	size_t total = 1, i;
	char *p;

	for (i = 0; i < CPE_NATTR; i++)
		if (src->attr[i].kind == CPE_VALUE)
			total += src->attr[i].len + 1;
	cpe_init(&c);
	c.mem = malloc(total);
	if (!c.mem)
		return ERR_NOMEM;
	p = c.mem;
	for (i = 0; i < CPE_NATTR; i++) {
		c.attr[i] = src->attr[i];
		if (src->attr[i].kind != CPE_VALUE) {
			c.attr[i].v = NULL;
			c.attr[i].len = 0;
			continue;
		}
		if (src->attr[i].len)
			memcpy(p, src->attr[i].v, src->attr[i].len);
		p[src->attr[i].len] = '\0';
		c.attr[i].v = p;
		p += src->attr[i].len + 1;
	}
	*dst = c;
	return 0;
}

/* ---------------------------------------------------------- formatting */

static int add_wild(struct buf *b, unsigned short spec)
{
	unsigned short i;
	int r = 0;

	if (spec == CPE_WILD_STAR)
		return buf_addch(b, '*');
	for (i = 0; i < spec && r == 0; i++)
		r = buf_addch(b, '?');
	return r;
}

static int format_attr(const struct cpe_attr *a, struct buf *b)
{
	size_t i;
	int r;

	if (a->kind == CPE_ANY)
		return buf_addch(b, '*');
	if (a->kind == CPE_NA)
		return buf_addch(b, '-');
	if (a->len == 0 && a->pre == 0 && a->post == 0)
		return ERR_INVAL;
	r = add_wild(b, a->pre);
	for (i = 0; i < a->len && r == 0; i++) {
		unsigned char ch = (unsigned char)a->v[i];

		if (!is_printable(ch))
			return ERR_INVAL;
		if (!needs_quote(a, ch))
			r = buf_addch(b, (char)ch);
		else if ((r = buf_addch(b, '\\')) == 0)
			r = buf_addch(b, (char)ch);
	}
	if (r == 0)
		r = add_wild(b, a->post);
	return r;
}

int cpe_format(const struct cpe *c, struct buf *b)
{
	size_t old = b->len;
	int r, i;

	r = buf_adds(b, "cpe:2.3");
	for (i = 0; i < CPE_NATTR && r == 0; i++) {
		r = buf_addch(b, ':');
		if (r == 0)
			r = format_attr(&c->attr[i], b);
	}
	if (r != 0)
		buf_truncate(b, old);
	return r;
}

/* ------------------------------------------------------------ matching */

/* A source value with wildcards against a literal target (NISTIR 7696
 * compare_strings): "*" takes any run, n "?" at most n characters. */
static int wild_match(const struct cpe_attr *s, const struct cpe_attr *t)
{
	size_t i, left;

	if (t->len < s->len)
		return 0;
	for (i = 0; i + s->len <= t->len; i++) {
		if (s->pre != CPE_WILD_STAR && i > s->pre)
			return 0;
		if (!cpe_mem_eq_ci(t->v + i, s->len, s->v, s->len))
			continue;
		left = t->len - i - s->len;
		if (s->post != CPE_WILD_STAR && left > s->post)
			continue;
		return 1;
	}
	return 0;
}

enum cpe_rel cpe_attr_compare(const struct cpe_attr *s, const struct cpe_attr *t)
{
	switch (s->kind) {
	case CPE_ANY:
		return t->kind == CPE_ANY ? CPE_REL_EQUAL : CPE_REL_SUPERSET;
	case CPE_NA:
		if (t->kind == CPE_ANY)
			return CPE_REL_SUBSET;
		return t->kind == CPE_NA ? CPE_REL_EQUAL : CPE_REL_DISJOINT;
	case CPE_VALUE:
		break;
	}
	if (t->kind == CPE_ANY)
		return CPE_REL_SUBSET;
	if (t->kind == CPE_NA)
		return CPE_REL_DISJOINT;
	if (t->pre || t->post)
		return CPE_REL_UNDEFINED;
	if (!s->pre && !s->post)
		return cpe_mem_eq_ci(s->v, s->len, t->v, t->len) ? CPE_REL_EQUAL : CPE_REL_DISJOINT;
	return wild_match(s, t) ? CPE_REL_SUPERSET : CPE_REL_DISJOINT;
}

bool cpe_match(const struct cpe *pattern, const struct cpe *target)
{
	int i;

	for (i = 0; i < CPE_NATTR; i++) {
		enum cpe_rel rel = cpe_attr_compare(&pattern->attr[i], &target->attr[i]);

		if (rel != CPE_REL_SUPERSET && rel != CPE_REL_EQUAL)
			return false;
	}
	return true;
}
