/*
 * text.c: the line-oriented feeds: FIRST EPSS CSV, the Debian security
 * tracker's DSA/list and DLA/list (advisory -> CVEs -> fixed version per
 * release), CPE/list (source package;CPE) and CPE/aliases (groups of CPEs
 * naming one product, separated by blank lines).
 */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_int.h"

static int line_err(struct feed_ctx *c, int code, const char *msg)
{
	return feed_err(c, code, ":%llu: %s", (unsigned long long)(c->src->line - 1), msg);
}

static int read_line(struct feed_ctx *c, struct buf *line)
{
	int r = feed_src_line(c->src, line);

	if (r == 0 || (r == ERR_EOF && !c->src->err))
		return r;
	if (r == ERR_TOO_BIG)
		return feed_err(c, r, ":%llu: line longer than %d bytes",
				(unsigned long long)c->src->line, FEED_LINE_MAX);
	if (r == ERR_NOMEM)
		return feed_err(c, r, ": out of memory");
	return feed_err(c, r, ": %s",
			r == ERR_IO ? "read error" : "truncated or corrupt gzip stream");
}

static int intern(struct feed_ctx *c, const void *s, size_t len, uint32_t *off)
{
	int r = strpool_intern(&c->b->sp, s, len, off);

	if (r == ERR_INVAL)
		return line_err(c, ERR_PARSE, "NUL byte in line");
	return r ? feed_err(c, r, ": %s", err_str(r)) : 0;
}

/* ------------------------------------------------------------- EPSS */

/* epss_prob: "0.123456789" (or "1", "1.0") as fixed point with 1e9 = 1.0. */
TESTABLE int feed_epss_prob(const struct cursor *in, uint32_t *out)
{
	struct cursor c = *in;
	uint64_t whole = 0, frac = 0;
	unsigned digits = 0, scale = 0;

	if (c.len == 0 || *c.p < '0' || *c.p > '9')
		return ERR_PARSE;
	while (c.len && *c.p >= '0' && *c.p <= '9') {
		whole = whole * 10 + (uint64_t)(*c.p - '0');
		if (whole > 1)
			return ERR_RANGE;
		c.p++, c.len--;
	}
	if (c.len && *c.p == '.') {
		c.p++, c.len--;
		while (c.len && *c.p >= '0' && *c.p <= '9') {
			if (scale < 9) {
				frac = frac * 10 + (uint64_t)(*c.p - '0');
				scale++;
			}
			digits++;
			c.p++, c.len--;
		}
		if (!digits)
			return ERR_PARSE;
	}
	if (c.len)
		return ERR_PARSE;
	while (scale < 9) {
		frac *= 10;
		scale++;
	}
	if (whole == 1 && frac != 0)
		return ERR_RANGE;
	*out = (uint32_t)(whole * 1000000000u + frac);
	return 0;
}

static int epss_comment(struct feed_ctx *c, const struct buf *line)
{
	struct cursor cur, item;
	int r;

	cursor_init(&cur, line->ptr + 1, line->len - 1);
	while (cur.len) {
		struct cursor k, v;

		if (cursor_until(&cur, ',', &item) != 0) {
			item = cur;
			cur.len = 0;
		} else if (cursor_skip(&cur, 1) != 0) {
			return ERR_PARSE;
		}
		if (cursor_until(&item, ':', &k) != 0 || cursor_skip(&item, 1) != 0)
			continue;
		v = item;
		if (v.len > 64)
			continue;
		if (cursor_eq(&k, "model_version"))
			r = builder_meta_set(c->b, "epss.model_version", (const char *)v.p, v.len);
		else if (cursor_eq(&k, "score_date"))
			r = builder_meta_set(c->b, "epss.score_date", (const char *)v.p, v.len);
		else
			r = 0;
		if (r != 0)
			return feed_err(c, r, ": %s", err_str(r));
	}
	return 0;
}

static void epss_begin(struct feed_ctx *c)
{
	size_t i;

	if (c->epss_started)
		return;
	/* An EPSS file scores every CVE: the previous snapshot goes. */
	for (i = 0; i < c->b->cves.n; i++) {
		struct bcve *v = VEC_AT(&c->b->cves, struct bcve, i);

		v->r.flags &= ~(uint32_t)KB_CVE_EPSS;
		v->r.epss = v->r.epss_pct = 0;
	}
	c->epss_started = 1;
}

static int epss_row(struct feed_ctx *c, const struct buf *line)
{
	struct cursor cur, f_cve, f_epss;
	uint32_t year, num, e, p;
	struct bcve *v;
	int r;

	cursor_init(&cur, line->ptr, line->len);
	if (cursor_until(&cur, ',', &f_cve) != 0 || cursor_skip(&cur, 1) != 0 ||
	    cursor_until(&cur, ',', &f_epss) != 0 || cursor_skip(&cur, 1) != 0)
		return line_err(c, ERR_PARSE, "expected cve,epss,percentile");
	if (feed_cve_key((const char *)f_cve.p, f_cve.len, &year, &num) != 0)
		return line_err(c, ERR_PARSE, "bad CVE id");
	if (feed_epss_prob(&f_epss, &e) != 0 || feed_epss_prob(&cur, &p) != 0)
		return line_err(c, ERR_PARSE, "bad probability");
	epss_begin(c);
	if ((r = builder_cve(c->b, year, num, &v)) != 0)
		return feed_err(c, r, ": %s", err_str(r));
	if (v->epss_file == c->b->gen) {
		char id[32];

		feed_cve_id(year, num, id);
		return feed_err(c, ERR_EXISTS, ": %s: duplicate EPSS score in this file", id);
	}
	v->epss_file = c->b->gen;
	v->r.flags |= KB_CVE_EPSS;
	v->r.epss = e;
	v->r.epss_pct = p;
	c->n_records++;
	return 0;
}

int feed_parse_epss(struct feed_ctx *c)
{
	struct buf line = BUF_INIT;
	int r, header = 0;

	while ((r = read_line(c, &line)) == 0) {
		if (line.len == 0)
			continue;
		if (line.ptr[0] == '#') {
			if (header) {
				r = line_err(c, ERR_PARSE, "comment after the header");
				break;
			}
			if ((r = epss_comment(c, &line)) != 0)
				break;
			continue;
		}
		if (!header) {
			if (strcmp(line.ptr, "cve,epss,percentile") != 0) {
				r = line_err(c, ERR_PARSE,
					     "expected the header cve,epss,percentile");
				break;
			}
			header = 1;
			continue;
		}
		if ((r = epss_row(c, &line)) != 0)
			break;
	}
	if (r == ERR_EOF)
		r = header ? 0 : feed_err(c, ERR_PARSE, ": no EPSS header");
	if (r == 0)
		epss_begin(c);
	buf_release(&line);
	return r;
}

/* ------------------------------------------------- Debian DSA/DLA lists */

struct deb_adv {
	uint32_t adv;
	uint32_t cves[2][1024]; /* year, num */
	size_t n_cves;
};

static int deb_header(struct feed_ctx *c, struct cursor cur, struct deb_adv *a)
{
	struct cursor date, id;
	uint32_t g;
	int r;

	/* "[29 Mar 2023] DSA-5380-1 xorg-server - security update" */
	if (cursor_skip(&cur, 1) != 0 || cursor_until(&cur, ']', &date) != 0 ||
	    cursor_skip(&cur, 1) != 0)
		return line_err(c, ERR_PARSE, "bad advisory line");
	cursor_span(&cur, " \t", &id);
	cursor_span(&cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", &id);
	if (id.len < 4 || id.len > 32 || (cur.len && *cur.p != ' '))
		return line_err(c, ERR_PARSE, "bad advisory id");
	if ((r = intern(c, id.p, id.len, &a->adv)) != 0)
		return r;
	a->n_cves = 0;
	if (u64map_get(&c->b->adv_gen, a->adv, &g) && g == c->b->gen) {
		char msg[64];

		snprintf(msg, sizeof(msg), "duplicate advisory %.*s", (int)id.len,
			 (const char *)id.p);
		return line_err(c, ERR_EXISTS, msg);
	}
	if (u64map_put(&c->b->adv_gen, a->adv, c->b->gen) != 0)
		return feed_err(c, ERR_NOMEM, ": out of memory");
	c->n_records++;
	return 0;
}

static int deb_cves(struct feed_ctx *c, struct cursor cur, struct deb_adv *a)
{
	struct cursor list, tok;

	if (cursor_skip(&cur, 1) != 0 || cursor_until(&cur, '}', &list) != 0)
		return line_err(c, ERR_PARSE, "unterminated {CVE list}");
	while (list.len) {
		uint32_t y, n;

		cursor_span(&list, " \t", &tok);
		if (cursor_until(&list, ' ', &tok) != 0) {
			tok = list;
			list.len = 0;
		}
		if (tok.len == 0)
			continue;
		if (feed_cve_key((const char *)tok.p, tok.len, &y, &n) != 0)
			return line_err(c, ERR_PARSE, "bad CVE id in {CVE list}");
		if (a->n_cves >= ARRAY_SIZE(a->cves[0]))
			return line_err(c, ERR_TOO_BIG, "more than 1024 CVEs in one advisory");
		a->cves[0][a->n_cves] = y;
		a->cves[1][a->n_cves] = n;
		a->n_cves++;
	}
	return 0;
}

/* "[bullseye] - xorg-server 2:1.20.11-1+deb11u6" or "... <not-affected> (note)" */
static int deb_fix(struct feed_ctx *c, struct cursor cur, const struct deb_adv *a)
{
	struct cursor rel, pkg, ver;
	struct bdeb row;
	size_t i;
	int r;

	memset(&row, 0, sizeof(row));
	if (cursor_skip(&cur, 1) != 0 || cursor_until(&cur, ']', &rel) != 0 ||
	    cursor_skip(&cur, 1) != 0 || cursor_expect(&cur, " - ") != 0)
		return line_err(c, ERR_PARSE, "bad fix line");
	if (cursor_until(&cur, ' ', &pkg) != 0) {
		pkg = cur;
		cur.len = 0;
	}
	cursor_span(&cur, " ", &ver);
	if (cursor_until(&cur, ' ', &ver) != 0)
		ver = cur;
	if (rel.len == 0 || rel.len > 64 || pkg.len == 0 || pkg.len > 128)
		return line_err(c, ERR_PARSE, "bad fix line");
	if (ver.len > FEED_VERSION_MAX)
		return line_err(c, ERR_TOO_BIG, "version longer than 256 bytes");
	row.r.status = KB_DEB_FIXED;
	if (ver.len && *ver.p == '<') {
		if (cursor_eq(&ver, "<not-affected>"))
			row.r.status = KB_DEB_NOT_AFFECTED;
		else if (cursor_eq(&ver, "<end-of-life>"))
			row.r.status = KB_DEB_EOL;
		else
			row.r.status = KB_DEB_OTHER;
	}
	if ((r = intern(c, rel.p, rel.len, &row.r.release)) != 0 ||
	    (r = intern(c, pkg.p, pkg.len, &row.r.pkg)) != 0 ||
	    (r = intern(c, ver.p, ver.len, &row.r.version)) != 0)
		return r;
	row.r.advisory = a->adv;
	row.gen = c->b->gen;
	for (i = 0; i < a->n_cves; i++) {
		struct bdeb *dst = vec_push(&c->b->deb);

		if (!dst)
			return feed_err(c, ERR_NOMEM, ": out of memory");
		*dst = row;
		dst->r.cve_year = a->cves[0][i];
		dst->r.cve_num = a->cves[1][i];
	}
	return 0;
}

int feed_parse_debian_adv(struct feed_ctx *c)
{
	struct buf line = BUF_INIT;
	struct deb_adv *a = calloc(1, sizeof(*a));
	int r = 0, have = 0;

	if (!a)
		return feed_err(c, ERR_NOMEM, ": out of memory");
	while ((r = read_line(c, &line)) == 0) {
		struct cursor cur;

		cursor_init(&cur, line.ptr, line.len);
		if (line.len == 0)
			continue;
		if (line.ptr[0] == '[') {
			r = deb_header(c, cur, a);
			have = 1;
		} else if (line.ptr[0] == '\t' || line.ptr[0] == ' ') {
			struct cursor ws;

			cursor_span(&cur, " \t", &ws);
			if (!have || cur.len == 0)
				r = cur.len
					? line_err(c, ERR_PARSE, "entry before the first advisory")
					: 0;
			else if (*cur.p == '{')
				r = deb_cves(c, cur, a);
			else if (*cur.p == '[')
				r = deb_fix(c, cur, a);
			/* NOTE: lines and anything else indented are remarks. */
		} else {
			r = line_err(c, ERR_PARSE, "unexpected line");
		}
		if (r != 0)
			break;
	}
	if (r == ERR_EOF)
		r = have ? 0 : feed_err(c, ERR_PARSE, ": no advisories");
	free(a);
	buf_release(&line);
	return r;
}

/* ------------------------------------------------- CPE/list, aliases */

/* cpe22_vp: "cpe:/a:vendor:product[:...]" to "vendor:product". */
static int cpe22_vp(struct cursor cur, struct buf *out)
{
	struct cursor part, vendor, product;

	if (cursor_expect(&cur, "cpe:/") != 0 || cursor_until(&cur, ':', &part) != 0 ||
	    cursor_skip(&cur, 1) != 0 || cursor_until(&cur, ':', &vendor) != 0 ||
	    cursor_skip(&cur, 1) != 0)
		return ERR_PARSE;
	if (cursor_until(&cur, ':', &product) != 0)
		product = cur;
	if (part.len != 1 || vendor.len == 0 || product.len == 0)
		return ERR_PARSE;
	buf_reset(out);
	if (buf_add(out, vendor.p, vendor.len) != 0 || buf_addch(out, ':') != 0 ||
	    buf_add(out, product.p, product.len) != 0)
		return ERR_NOMEM;
	return 0;
}

int feed_parse_debian_cpe(struct feed_ctx *c)
{
	struct buf line = BUF_INIT, vp = BUF_INIT;
	int r;

	c->b->deb_cpe.n = 0; /* a complete list replaces the previous one */
	while ((r = read_line(c, &line)) == 0) {
		struct cursor cur, pkg, cpe;
		struct kb_rec_pair *row;
		uint32_t a, bb;

		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		cursor_init(&cur, line.ptr, line.len);
		if (cursor_until(&cur, ';', &pkg) != 0 || cursor_skip(&cur, 1) != 0 || !pkg.len) {
			r = line_err(c, ERR_PARSE, "expected package;cpe");
			break;
		}
		if (cursor_until(&cur, ';', &cpe) != 0)
			cpe = cur;
		if (cpe.len == 0)
			continue; /* package without a CPE yet */
		if (cpe22_vp(cpe, &vp) != 0) {
			r = line_err(c, ERR_PARSE, "bad CPE");
			break;
		}
		if ((r = intern(c, pkg.p, pkg.len, &a)) != 0 ||
		    (r = intern(c, vp.ptr, vp.len, &bb)) != 0)
			break;
		row = vec_push(&c->b->deb_cpe);
		if (!row) {
			r = feed_err(c, ERR_NOMEM, ": out of memory");
			break;
		}
		row->a = a;
		row->b = bb;
		c->n_records++;
	}
	if (r == ERR_EOF)
		r = 0;
	buf_release(&line);
	buf_release(&vp);
	return r;
}

int feed_parse_debian_aliases(struct feed_ctx *c)
{
	struct buf line = BUF_INIT, vp = BUF_INIT;
	int r, open = 0;

	c->b->aliases.n = 0;
	c->b->alias_groups = 0;
	while ((r = read_line(c, &line)) == 0) {
		struct cursor cur;
		struct kb_rec_pair *row;
		uint32_t off;

		cursor_init(&cur, line.ptr, line.len);
		cursor_trim(&cur);
		if (cur.len && *cur.p == '#')
			continue;
		if (cur.len == 0) {
			open = 0;
			continue;
		}
		if (cpe22_vp(cur, &vp) != 0) {
			r = line_err(c, ERR_PARSE, "bad CPE");
			break;
		}
		if ((r = intern(c, vp.ptr, vp.len, &off)) != 0)
			break;
		if (!open) {
			c->b->alias_groups++;
			open = 1;
		}
		row = vec_push(&c->b->aliases);
		if (!row) {
			r = feed_err(c, ERR_NOMEM, ": out of memory");
			break;
		}
		row->a = off;
		row->b = c->b->alias_groups - 1;
		c->n_records++;
	}
	if (r == ERR_EOF)
		r = 0;
	buf_release(&line);
	buf_release(&vp);
	return r;
}
