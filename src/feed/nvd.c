/*
 * nvd.c: the JSON feeds: NVD JSON 1.1 feed files, NVD JSON 2.0 (feed files,
 * API responses and single CVE objects) and the CISA KEV catalogue, all read
 * with the pull parser in one pass. The top-level keys tell the format apart.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_int.h"

/* One NVD record while it is parsed; its nodes and matches are appended to
 * the builder as they come and dropped again if the record is not kept. */
struct nrec {
	int have_id;
	uint32_t year, num;
	char id[32];
	int64_t published, modified;
	uint32_t cwe;
	int score_rank;
	uint16_t score10;
	uint8_t cvss_version, severity;
	uint32_t vector, desc;
	int rejected;
	int touched; /* a CVE field was seen (top level: a single record) */
	size_t node0, match0;
};

struct nctx {
	struct feed_ctx *c;
	struct jp p;
	struct buf tmp;
	uint32_t item; /* 1-based record number, for messages */
};

static int json_err(struct nctx *x)
{
	return feed_err(x->c, x->p.err ? x->p.err : ERR_PARSE, ":%llu: %s",
			(unsigned long long)x->c->src->line, x->p.msg);
}

static int rec_err(struct nctx *x, const struct nrec *r, int code, const char *msg)
{
	if (r && r->have_id)
		return feed_err(x->c, code, ": %s: %s", r->id, msg);
	return feed_err(x->c, code, ":%llu: record %u: %s", (unsigned long long)x->c->src->line,
			x->item, msg);
}

static int next(struct nctx *x, enum jtok *t)
{
	return jp_next(&x->p, t) != 0 ? json_err(x) : 0;
}

static int skip(struct nctx *x, enum jtok t)
{
	return jp_skip(&x->p, t) != 0 ? json_err(x) : 0;
}

/* next_key: 1 with the key in p.str, 0 at the end of the object. */
static int next_key(struct nctx *x, int *more)
{
	enum jtok t;
	int r = next(x, &t);

	if (r != 0)
		return r;
	*more = t == JT_KEY;
	return 0;
}

static int want(struct nctx *x, enum jtok t, enum jtok w, const char *what)
{
	if (t == w)
		return 0;
	snprintf(x->p.msg, sizeof(x->p.msg), "%s has the wrong type", what);
	x->p.err = ERR_PARSE;
	return json_err(x);
}

/* value_of: read the value after a key into *t. 0 to go on with it when
 * the key is wanted and the value has type w; 1 when it was not and has
 * been skipped; negative on an error. */
static int value_of(struct nctx *x, int wanted, enum jtok w, enum jtok *t)
{
	int r = next(x, t);

	if (r != 0)
		return r;
	if (wanted && *t == w)
		return 0;
	r = skip(x, *t);
	return r != 0 ? r : 1;
}

static int intern(struct nctx *x, const char *s, size_t len, uint32_t *off)
{
	int r = strpool_intern(&x->c->b->sp, s, len, off);

	return r ? feed_err(x->c, r, ": %s", err_str(r)) : 0;
}

/* ------------------------------------------------------------ scores */

struct score {
	int rank;
	double base;
	uint8_t version;
	int severity;
	uint32_t vector;
};

static int severity_of(const char *s)
{
	static const char *const names[] = {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static int severity_from_score(double s, int v2)
{
	if (v2)
		return s >= 7.0 ? KB_SEV_HIGH : s >= 4.0 ? KB_SEV_MEDIUM : KB_SEV_LOW;
	if (s == 0.0)
		return KB_SEV_NONE;
	return s >= 9.0	  ? KB_SEV_CRITICAL
	       : s >= 7.0 ? KB_SEV_HIGH
	       : s >= 4.0 ? KB_SEV_MEDIUM
			  : KB_SEV_LOW;
}

static void offer_score(struct nrec *r, const struct score *s)
{
	if (s->version == 0 || s->rank <= r->score_rank || !(s->base >= 0.0 && s->base <= 10.0))
		return;
	r->score_rank = s->rank;
	r->score10 = (uint16_t)lround(s->base * 10.0);
	r->cvss_version = s->version;
	r->severity = (uint8_t)(s->severity >= 0 ? s->severity
						 : severity_from_score(s->base, s->version == 20));
	r->vector = s->vector;
}

static uint8_t cvss_version_of(const char *v)
{
	if (strcmp(v, "3.1") == 0)
		return 31;
	if (strcmp(v, "3.0") == 0)
		return 30;
	if (strcmp(v, "4.0") == 0)
		return 40;
	if (strcmp(v, "2.0") == 0)
		return 20;
	return 0;
}

static int rank_of(uint8_t v)
{
	return v == 31 ? 8 : v == 30 ? 6 : v == 40 ? 4 : v == 20 ? 2 : 0;
}

/* cvss_data: {"version", "vectorString", "baseScore", "baseSeverity"}. */
static int cvss_data(struct nctx *x, struct score *s)
{
	enum jtok t;
	int more, r;

	while ((r = next_key(x, &more)) == 0 && more) {
		int k_ver = jp_str_eq(&x->p, "version"), k_vec = jp_str_eq(&x->p, "vectorString");
		int k_score = jp_str_eq(&x->p, "baseScore"),
		    k_sev = jp_str_eq(&x->p, "baseSeverity");

		if ((r = next(x, &t)) != 0)
			return r;
		if (k_ver && t == JT_STR)
			s->version = cvss_version_of(x->p.str);
		else if (k_vec && t == JT_STR && x->p.slen < 256)
			r = intern(x, x->p.str, x->p.slen, &s->vector);
		else if (k_score && t == JT_NUM)
			s->base = strtod(x->p.str, NULL);
		else if (k_sev && t == JT_STR)
			s->severity = severity_of(x->p.str);
		else
			r = skip(x, t);
		if (r != 0)
			return r;
	}
	return r;
}

/* NVD 1.1 "impact": {"baseMetricV3": {"cvssV3": {...}}, "baseMetricV2": {...}} */
static int impact11(struct nctx *x, struct nrec *rec)
{
	enum jtok t;
	int more, r;

	while ((r = next_key(x, &more)) == 0 && more) {
		int v3 = jp_str_eq(&x->p, "baseMetricV3"), v2 = jp_str_eq(&x->p, "baseMetricV2");
		struct score s = {0, -1.0, 0, -1, 0};

		if ((r = value_of(x, v3 || v2, JT_OBJ, &t)) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		while ((r = next_key(x, &more)) == 0 && more) {
			int data = jp_str_eq(&x->p, v3 ? "cvssV3" : "cvssV2");
			int sev = v2 && jp_str_eq(&x->p, "severity");

			if ((r = next(x, &t)) != 0)
				return r;
			if (data && t == JT_OBJ)
				r = cvss_data(x, &s);
			else if (sev && t == JT_STR)
				s.severity = severity_of(x->p.str);
			else
				r = skip(x, t);
			if (r != 0)
				return r;
		}
		if (r != 0)
			return r;
		if (v2)
			s.version = 20;
		s.rank = rank_of(s.version) + 1;
		offer_score(rec, &s);
	}
	return r;
}

/* NVD 2.0 "metrics": {"cvssMetricV31": [{"type", "cvssData", ...}], ...} */
static int metrics20(struct nctx *x, struct nrec *rec)
{
	enum jtok t;
	int more, r;

	while ((r = next_key(x, &more)) == 0 && more) {
		int known = strncmp(x->p.str, "cvssMetricV", 11) == 0;

		if ((r = value_of(x, known, JT_ARR, &t)) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
			struct score s = {0, -1.0, 0, -1, 0};
			int primary = 0;

			if (t != JT_OBJ) {
				if ((r = skip(x, t)) != 0)
					return r;
				continue;
			}
			while ((r = next_key(x, &more)) == 0 && more) {
				int data = jp_str_eq(&x->p, "cvssData");
				int type = jp_str_eq(&x->p, "type");
				int sev = jp_str_eq(&x->p, "baseSeverity");

				if ((r = next(x, &t)) != 0)
					return r;
				if (data && t == JT_OBJ)
					r = cvss_data(x, &s);
				else if (type && t == JT_STR)
					primary = jp_str_eq(&x->p, "Primary");
				else if (sev && t == JT_STR)
					s.severity = severity_of(x->p.str);
				else
					r = skip(x, t);
				if (r != 0)
					return r;
			}
			if (r != 0)
				return r;
			s.rank = rank_of(s.version) + primary;
			offer_score(rec, &s);
		}
		if (r != 0)
			return r;
	}
	return r;
}

/* --------------------------------------------------- text fragments */

static void set_cwe(struct nrec *rec, const char *v)
{
	struct cursor c;
	uint64_t n;

	if (strcmp(v, "NVD-CWE-Other") == 0) {
		if (rec->cwe == 0)
			rec->cwe = 1;
		return;
	}
	if (strcmp(v, "NVD-CWE-noinfo") == 0) {
		if (rec->cwe == 0)
			rec->cwe = 2;
		return;
	}
	cursor_init(&c, v, strlen(v));
	if (cursor_expect(&c, "CWE-") != 0 || cursor_uint(&c, UINT32_MAX, &n) != 0 || c.len)
		return;
	if (rec->cwe <= 2 && n > 2)
		rec->cwe = (uint32_t)n;
}

/* lang_value: {"lang": "en", "value": "..."}; *is_en and the value in tmp. */
static int lang_value(struct nctx *x, int *is_en)
{
	enum jtok t;
	int more, r, lang_seen = 0;

	*is_en = 0;
	buf_reset(&x->tmp);
	while ((r = next_key(x, &more)) == 0 && more) {
		int k_lang = jp_str_eq(&x->p, "lang"), k_val = jp_str_eq(&x->p, "value");

		if ((r = next(x, &t)) != 0)
			return r;
		if (k_lang && t == JT_STR) {
			lang_seen = 1;
			*is_en = jp_str_eq(&x->p, "en");
		} else if (k_val && t == JT_STR) {
			buf_reset(&x->tmp);
			if (buf_add(&x->tmp, x->p.str, x->p.slen) != 0)
				return feed_err(x->c, ERR_NOMEM, ": out of memory");
		} else if ((r = skip(x, t)) != 0) {
			return r;
		}
	}
	if (!lang_seen)
		*is_en = 1;
	return r;
}

/* lang_values: an array of lang_value objects; calls take() for each. */
static int descriptions(struct nctx *x, struct nrec *rec, enum jtok t)
{
	int r, en;

	if ((r = want(x, t, JT_ARR, "descriptions")) != 0)
		return r;
	while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
		if (t != JT_OBJ) {
			if ((r = skip(x, t)) != 0)
				return r;
			continue;
		}
		if ((r = lang_value(x, &en)) != 0)
			return r;
		if (!en || rec->desc)
			continue;
		if (strncmp(x->tmp.ptr, "** REJECT **", 12) == 0)
			rec->rejected = 1;
		if (x->tmp.len > FEED_DESC_MAX) {
			size_t n = FEED_DESC_MAX;

			while (n > 0 && ((unsigned char)x->tmp.ptr[n] & 0xc0) == 0x80)
				n--;
			buf_truncate(&x->tmp, n);
		}
		if ((r = intern(x, x->tmp.ptr, x->tmp.len, &rec->desc)) != 0)
			return r;
	}
	return r;
}

/* cwe_list: [{"description": [{"lang", "value": "CWE-79"}]}] (both schemas) */
static int cwe_list(struct nctx *x, struct nrec *rec, enum jtok t, const char *inner)
{
	int r, more, en;

	if ((r = want(x, t, JT_ARR, "weaknesses")) != 0)
		return r;
	while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
		if (t != JT_OBJ) {
			if ((r = skip(x, t)) != 0)
				return r;
			continue;
		}
		while ((r = next_key(x, &more)) == 0 && more) {
			int k = jp_str_eq(&x->p, inner);

			if ((r = value_of(x, k, JT_ARR, &t)) != 0) {
				if (r < 0)
					return r;
				continue;
			}
			while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
				if (t != JT_OBJ) {
					if ((r = skip(x, t)) != 0)
						return r;
					continue;
				}
				if ((r = lang_value(x, &en)) != 0)
					return r;
				set_cwe(rec, x->tmp.ptr);
			}
			if (r != 0)
				return r;
		}
		if (r != 0)
			return r;
	}
	return r;
}

/* -------------------------------------------------- configurations */

/* cpe_vendor_product: "vendor:product" of a CPE 2.3 formatted string, with
 * the escapes kept; ERR_PARSE when it has fewer fields. TESTABLE. */
TESTABLE int feed_cpe_vendor_product(const char *cpe, size_t len, struct buf *out)
{
	size_t i, field = 0, start = 0;

	if (len < 8 || memcmp(cpe, "cpe:2.3:", 8) != 0)
		return ERR_PARSE;
	buf_reset(out);
	for (i = 8; i <= len; i++) {
		if (i < len && cpe[i] == '\\') {
			i++;
			continue;
		}
		if (i < len && cpe[i] != ':')
			continue;
		/* field 0 part, 1 vendor, 2 product */
		if (field == 1 || field == 2) {
			if (i == start)
				return ERR_PARSE;
			if (buf_add(out, cpe + start, i - start) != 0 ||
			    (field == 1 && buf_addch(out, ':') != 0))
				return ERR_NOMEM;
			if (field == 2)
				return 0;
		}
		field++;
		start = i + 1;
	}
	return ERR_PARSE;
}

static const char *const range_keys[4] = {"versionStartIncluding", "versionStartExcluding",
					  "versionEndIncluding", "versionEndExcluding"};
static const uint32_t range_flags[4] = {KB_MATCH_START_INCL, KB_MATCH_START_EXCL, KB_MATCH_END_INCL,
					KB_MATCH_END_EXCL};

static int cpe_match(struct nctx *x, struct nrec *rec, uint32_t node)
{
	struct feed_kb_builder *b = x->c->b;
	struct kb_rec_match m;
	enum jtok t;
	int more, r, have_cpe = 0;
	size_t i;

	memset(&m, 0, sizeof(m));
	m.node = node;
	while ((r = next_key(x, &more)) == 0 && more) {
		int k_cpe = jp_str_eq(&x->p, "cpe23Uri") || jp_str_eq(&x->p, "criteria");
		int k_vuln = jp_str_eq(&x->p, "vulnerable");
		int k_range = -1;

		for (i = 0; i < 4; i++)
			if (jp_str_eq(&x->p, range_keys[i]))
				k_range = (int)i;
		if ((r = next(x, &t)) != 0)
			return r;
		if (k_vuln && (t == JT_TRUE || t == JT_FALSE)) {
			if (t == JT_TRUE)
				m.flags |= KB_MATCH_VULNERABLE;
		} else if (k_cpe && t == JT_STR) {
			if (x->p.slen > FEED_CPE_MAX)
				return rec_err(x, rec, ERR_TOO_BIG, "CPE longer than 1024 bytes");
			if (feed_cpe_vendor_product(x->p.str, x->p.slen, &x->tmp) != 0) {
				char msg[300];

				snprintf(msg, sizeof(msg), "malformed CPE \"%.200s\"", x->p.str);
				return rec_err(x, rec, ERR_PARSE, msg);
			}
			if ((r = intern(x, x->p.str, x->p.slen, &m.cpe)) != 0 ||
			    (r = intern(x, x->tmp.ptr, x->tmp.len, &m.vp)) != 0)
				return r;
			have_cpe = 1;
		} else if (k_range >= 0 && t == JT_STR) {
			char msg[80];

			if (x->p.slen > FEED_VERSION_MAX) {
				snprintf(msg, sizeof(msg), "%s longer than %d bytes",
					 range_keys[k_range], FEED_VERSION_MAX);
				return rec_err(x, rec, ERR_TOO_BIG, msg);
			}
			if ((r = intern(x, x->p.str, x->p.slen, k_range < 2 ? &m.start : &m.end)) !=
			    0)
				return r;
			m.flags |= range_flags[k_range];
		} else if ((r = skip(x, t)) != 0) {
			return r;
		}
	}
	if (r != 0)
		return r;
	if (!have_cpe)
		return rec_err(x, rec, ERR_PARSE, "cpeMatch without a CPE");
	if ((m.flags & KB_MATCH_START_INCL) && (m.flags & KB_MATCH_START_EXCL))
		return rec_err(x, rec, ERR_PARSE, "both versionStartIncluding and Excluding");
	if ((m.flags & KB_MATCH_END_INCL) && (m.flags & KB_MATCH_END_EXCL))
		return rec_err(x, rec, ERR_PARSE, "both versionEndIncluding and Excluding");
	{
		struct kb_rec_match *dst = vec_push(&b->matches);

		if (!dst)
			return feed_err(x->c, ERR_NOMEM, ": out of memory");
		*dst = m;
	}
	return 0;
}

static int node_push(struct nctx *x, uint32_t parent, uint32_t *idx)
{
	struct kb_rec_node *n;

	if (x->c->b->nodes.n >= UINT32_MAX - 1)
		return feed_err(x->c, ERR_TOO_BIG, ": too many nodes");
	n = vec_push(&x->c->b->nodes);
	if (!n)
		return feed_err(x->c, ERR_NOMEM, ": out of memory");
	n->parent = parent;
	n->first_match = (uint32_t)x->c->b->matches.n;
	*idx = (uint32_t)(x->c->b->nodes.n - 1);
	return 0;
}

static int node_set_op(struct nctx *x, struct nrec *rec, uint32_t idx)
{
	struct kb_rec_node *n = VEC_AT(&x->c->b->nodes, struct kb_rec_node, idx);

	if (jp_str_eq(&x->p, "AND"))
		n->op = KB_OP_AND;
	else if (jp_str_eq(&x->p, "OR"))
		n->op = KB_OP_OR;
	else
		return rec_err(x, rec, ERR_PARSE, "unknown node operator");
	return 0;
}

static int node_list(struct nctx *x, struct nrec *rec, uint32_t parent, int depth,
		     const char *what);

/* node: a 1.1 node {operator, negate, children, cpe_match} or a 2.0 node
 * {operator, negate, cpeMatch}; a 2.0 configuration {operator, negate,
 * nodes} is a node whose children are its "nodes". */
static int node(struct nctx *x, struct nrec *rec, uint32_t parent, int depth)
{
	struct feed_kb_builder *b = x->c->b;
	uint32_t idx = 0;
	enum jtok t;
	int more, r, have_matches = 0;

	if (depth > 8)
		return rec_err(x, rec, ERR_TOO_BIG, "configuration nested too deeply");
	if ((r = node_push(x, parent, &idx)) != 0)
		return r;
	while ((r = next_key(x, &more)) == 0 && more) {
		int k_op = jp_str_eq(&x->p, "operator"), k_neg = jp_str_eq(&x->p, "negate");
		int k_kids = jp_str_eq(&x->p, "children") || jp_str_eq(&x->p, "nodes");
		int k_match = jp_str_eq(&x->p, "cpe_match") || jp_str_eq(&x->p, "cpeMatch");

		if ((r = next(x, &t)) != 0)
			return r;
		if (k_op && t == JT_STR) {
			r = node_set_op(x, rec, idx);
		} else if (k_neg && (t == JT_TRUE || t == JT_FALSE)) {
			VEC_AT(&b->nodes, struct kb_rec_node, idx)->negate = t == JT_TRUE;
		} else if (k_kids && t == JT_ARR) {
			r = node_list(x, rec, idx, depth + 1, "node");
		} else if (k_match && t == JT_ARR) {
			size_t first = b->matches.n;

			if (have_matches++)
				return rec_err(x, rec, ERR_PARSE, "node with two match lists");
			while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
				if ((r = want(x, t, JT_OBJ, "cpeMatch")) != 0)
					return r;
				if ((r = cpe_match(x, rec, idx)) != 0)
					return r;
			}
			if (b->matches.n - first > UINT32_MAX / 2)
				return rec_err(x, rec, ERR_TOO_BIG, "too many matches");
			VEC_AT(&b->nodes, struct kb_rec_node, idx)->first_match = (uint32_t)first;
			VEC_AT(&b->nodes, struct kb_rec_node, idx)->n_match =
			    (uint32_t)(b->matches.n - first);
		} else {
			r = skip(x, t);
		}
		if (r != 0)
			return r;
	}
	return r;
}

/* node_list: the rest of an array of nodes (what, in an error message),
 * each a child of parent. */
static int node_list(struct nctx *x, struct nrec *rec, uint32_t parent, int depth, const char *what)
{
	enum jtok t;
	int r;

	while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
		if ((r = want(x, t, JT_OBJ, what)) != 0)
			return r;
		if ((r = node(x, rec, parent, depth)) != 0)
			return r;
	}
	return r;
}

/* configurations11: {"CVE_data_version", "nodes": [node...]} */
static int configurations11(struct nctx *x, struct nrec *rec)
{
	enum jtok t;
	int more, r;

	while ((r = next_key(x, &more)) == 0 && more) {
		int k = jp_str_eq(&x->p, "nodes");

		if ((r = value_of(x, k, JT_ARR, &t)) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		if ((r = node_list(x, rec, KB_NONE, 0, "node")) != 0)
			return r;
	}
	return r;
}

/* ------------------------------------------------------- records */

static int set_id(struct nctx *x, struct nrec *rec)
{
	if (rec->have_id)
		return rec_err(x, rec, ERR_PARSE, "record with two ids");
	if (feed_cve_key(x->p.str, x->p.slen, &rec->year, &rec->num) != 0) {
		char msg[260];

		snprintf(msg, sizeof(msg), "bad CVE id \"%.200s\"", x->p.str);
		return rec_err(x, NULL, ERR_PARSE, msg);
	}
	rec->have_id = 1;
	feed_cve_id(rec->year, rec->num, rec->id);
	return 0;
}

static int set_date(struct nctx *x, struct nrec *rec, int64_t *dst)
{
	if (feed_parse_date(x->p.str, x->p.slen, dst) != 0)
		return rec_err(x, rec, ERR_PARSE, "bad date");
	return 0;
}

static void rec_start(struct nctx *x, struct nrec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->node0 = x->c->b->nodes.n;
	rec->match0 = x->c->b->matches.n;
	x->item++;
}

static int rec_commit(struct nctx *x, struct nrec *rec)
{
	struct feed_kb_builder *b = x->c->b;
	struct bcve *c;
	uint32_t ix;
	size_t i;
	int r;

	if (!rec->have_id)
		return rec_err(x, rec, ERR_PARSE, "record without a CVE id");
	if ((r = builder_cve(b, rec->year, rec->num, &c)) != 0)
		return feed_err(x->c, r, ": %s", err_str(r));
	if (c->nvd_file == b->gen)
		return rec_err(x, rec, ERR_EXISTS, "duplicate record in this file");
	if ((c->r.flags & KB_CVE_NVD) && c->r.modified > rec->modified) {
		/* The copy already held is newer: keep it. */
		c->nvd_file = b->gen;
		b->nodes.n = rec->node0;
		b->matches.n = rec->match0;
		return 0;
	}
	ix = (uint32_t)(c - (struct bcve *)b->cves.p);
	c->nvd_file = b->gen;
	c->r.flags &= ~(uint32_t)(KB_CVE_NVD | KB_CVE_MATCH | KB_CVE_REJECTED);
	c->r.flags |= KB_CVE_NVD;
	if (rec->rejected)
		c->r.flags |= KB_CVE_REJECTED;
	c->r.published = rec->published;
	c->r.modified = rec->modified;
	c->r.score10 = rec->score10;
	c->r.cvss_version = rec->cvss_version;
	c->r.severity = rec->severity;
	c->r.vector = rec->vector;
	c->r.desc = rec->desc;
	c->r.cwe = rec->cwe;
	c->r.first_node = (uint32_t)rec->node0;
	c->r.n_nodes = (uint32_t)(b->nodes.n - rec->node0);
	c->r.first_match = (uint32_t)rec->match0;
	c->r.n_match = (uint32_t)(b->matches.n - rec->match0);
	if (c->r.n_match)
		c->r.flags |= KB_CVE_MATCH;
	for (i = rec->node0; i < b->nodes.n; i++)
		VEC_AT(&b->nodes, struct kb_rec_node, i)->cve = ix;
	for (i = rec->match0; i < b->matches.n; i++)
		VEC_AT(&b->matches, struct kb_rec_match, i)->cve = ix;
	x->c->n_records++;
	return 0;
}

/* item11_cve: the "cve" object of a 1.1 item. */
static int item11_cve(struct nctx *x, struct nrec *rec)
{
	enum jtok t;
	int more, r;

	while ((r = next_key(x, &more)) == 0 && more) {
		int k_meta = jp_str_eq(&x->p, "CVE_data_meta");
		int k_pt = jp_str_eq(&x->p, "problemtype");
		int k_desc = jp_str_eq(&x->p, "description");

		if ((r = value_of(x, k_meta || k_pt || k_desc, JT_OBJ, &t)) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		while ((r = next_key(x, &more)) == 0 && more) {
			int k_id = k_meta && jp_str_eq(&x->p, "ID");
			int k_ptd = k_pt && jp_str_eq(&x->p, "problemtype_data");
			int k_dd = k_desc && jp_str_eq(&x->p, "description_data");

			if ((r = next(x, &t)) != 0)
				return r;
			if (k_id && t == JT_STR)
				r = set_id(x, rec);
			else if (k_ptd)
				r = cwe_list(x, rec, t, "description");
			else if (k_dd)
				r = descriptions(x, rec, t);
			else
				r = skip(x, t);
			if (r != 0)
				return r;
		}
		if (r != 0)
			return r;
	}
	return r;
}

static int item11(struct nctx *x)
{
	struct nrec rec;
	enum jtok t;
	int more, r;

	rec_start(x, &rec);
	while ((r = next_key(x, &more)) == 0 && more) {
		int k_cve = jp_str_eq(&x->p, "cve"), k_conf = jp_str_eq(&x->p, "configurations");
		int k_imp = jp_str_eq(&x->p, "impact"), k_pub = jp_str_eq(&x->p, "publishedDate");
		int k_mod = jp_str_eq(&x->p, "lastModifiedDate");

		if ((r = next(x, &t)) != 0)
			return r;
		if (k_cve && t == JT_OBJ)
			r = item11_cve(x, &rec);
		else if (k_conf && t == JT_OBJ)
			r = configurations11(x, &rec);
		else if (k_imp && t == JT_OBJ)
			r = impact11(x, &rec);
		else if (k_pub && t == JT_STR)
			r = set_date(x, &rec, &rec.published);
		else if (k_mod && t == JT_STR)
			r = set_date(x, &rec, &rec.modified);
		else
			r = skip(x, t);
		if (r != 0)
			return r;
	}
	if (r != 0)
		return r;
	return rec_commit(x, &rec);
}

/* cve20_key: one key of a 2.0 CVE object (the key is in p.str); 1 when it
 * was one of ours and its value was consumed, 0 when the caller must. */
static int cve20_key(struct nctx *x, struct nrec *rec, int *handled)
{
	int k_id = jp_str_eq(&x->p, "id"), k_pub = jp_str_eq(&x->p, "published");
	int k_mod = jp_str_eq(&x->p, "lastModified"), k_st = jp_str_eq(&x->p, "vulnStatus");
	int k_desc = jp_str_eq(&x->p, "descriptions"), k_met = jp_str_eq(&x->p, "metrics");
	int k_weak = jp_str_eq(&x->p, "weaknesses");
	int k_conf = jp_str_eq(&x->p, "configurations");
	enum jtok t;
	int r;

	*handled = k_id || k_pub || k_mod || k_st || k_desc || k_met || k_weak || k_conf;
	if (!*handled)
		return 0;
	rec->touched = 1;
	if ((r = next(x, &t)) != 0)
		return r;
	if (k_id && t == JT_STR)
		return set_id(x, rec);
	if (k_pub && t == JT_STR)
		return set_date(x, rec, &rec->published);
	if (k_mod && t == JT_STR)
		return set_date(x, rec, &rec->modified);
	if (k_st && t == JT_STR) {
		if (jp_str_eq(&x->p, "Rejected"))
			rec->rejected = 1;
		return 0;
	}
	if (k_desc)
		return descriptions(x, rec, t);
	if (k_met && t == JT_OBJ)
		return metrics20(x, rec);
	if (k_weak)
		return cwe_list(x, rec, t, "description");
	if (k_conf && t == JT_ARR)
		return node_list(x, rec, KB_NONE, 0, "configuration");
	return skip(x, t);
}

static int cve20(struct nctx *x)
{
	struct nrec rec;
	enum jtok t;
	int more, r, handled;

	rec_start(x, &rec);
	while ((r = next_key(x, &more)) == 0 && more) {
		if ((r = cve20_key(x, &rec, &handled)) != 0)
			return r;
		if (!handled && ((r = next(x, &t)) != 0 || (r = skip(x, t)) != 0))
			return r;
	}
	if (r != 0)
		return r;
	return rec_commit(x, &rec);
}

/* ------------------------------------------------------------ KEV */

static int kev_begin(struct nctx *x)
{
	struct feed_kb_builder *b = x->c->b;
	size_t i;

	if (x->c->kev_started)
		return 0;
	/* A catalogue is complete: entries of an older one are dropped. */
	for (i = 0; i < b->cves.n; i++) {
		struct bcve *c = VEC_AT(&b->cves, struct bcve, i);

		c->r.flags &= ~(uint32_t)(KB_CVE_KEV | KB_CVE_RANSOMWARE);
		c->r.kev_added_days = c->r.kev_due_days = 0;
	}
	x->c->kev_started = 1;
	return 0;
}

/* kev_entry: the first key ("cveID") has been read; its value comes next. */
static int kev_entry(struct nctx *x, int first_key_read)
{
	struct nrec rec;
	int64_t added = 0, due = 0;
	int ransom = 0, more = first_key_read, r = 0;
	enum jtok t;
	struct bcve *c;

	rec_start(x, &rec);
	while (more) {
		int k_id = jp_str_eq(&x->p, "cveID"), k_add = jp_str_eq(&x->p, "dateAdded");
		int k_due = jp_str_eq(&x->p, "dueDate");
		int k_ran = jp_str_eq(&x->p, "knownRansomwareCampaignUse");

		if ((r = next(x, &t)) != 0)
			return r;
		if (k_id && t == JT_STR)
			r = set_id(x, &rec);
		else if (k_add && t == JT_STR)
			r = set_date(x, &rec, &added);
		else if (k_due && t == JT_STR)
			r = set_date(x, &rec, &due);
		else if (k_ran && t == JT_STR)
			ransom = jp_str_eq(&x->p, "Known");
		else
			r = skip(x, t);
		if (r != 0 || (r = next_key(x, &more)) != 0)
			return r;
	}
	if (!rec.have_id)
		return rec_err(x, &rec, ERR_PARSE, "KEV entry without cveID");
	if ((r = kev_begin(x)) != 0)
		return r;
	if ((r = builder_cve(x->c->b, rec.year, rec.num, &c)) != 0)
		return feed_err(x->c, r, ": %s", err_str(r));
	if (c->kev_file == x->c->b->gen)
		return rec_err(x, &rec, ERR_EXISTS, "duplicate KEV entry in this file");
	c->kev_file = x->c->b->gen;
	c->r.flags |= KB_CVE_KEV | (ransom ? KB_CVE_RANSOMWARE : 0);
	c->r.kev_added_days = (int32_t)(added / 86400);
	c->r.kev_due_days = (int32_t)(due / 86400);
	x->c->n_records++;
	return 0;
}

/* ------------------------------------------------------------ top level */

static int set_format(struct nctx *x, enum feed_format f)
{
	if (x->c->fmt != FEED_FMT_UNKNOWN && x->c->fmt != f)
		return feed_err(x->c, ERR_PARSE, ":%llu: %s and %s records mixed in one file",
				(unsigned long long)x->c->src->line, feed_format_name(x->c->fmt),
				feed_format_name(f));
	x->c->fmt = f;
	return 0;
}

static int vulnerabilities(struct nctx *x)
{
	enum jtok t;
	int more, r;

	while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
		if ((r = want(x, t, JT_OBJ, "vulnerabilities[]")) != 0)
			return r;
		if ((r = next_key(x, &more)) != 0)
			return r;
		if (!more)
			return feed_err(x->c, ERR_PARSE, ":%llu: empty vulnerability entry",
					(unsigned long long)x->c->src->line);
		if (jp_str_eq(&x->p, "cveID")) {
			if ((r = set_format(x, FEED_FMT_KEV)) != 0 || (r = kev_entry(x, 1)) != 0)
				return r;
			continue;
		}
		if ((r = set_format(x, FEED_FMT_NVD20)) != 0)
			return r;
		/* NVD 2.0: {"cve": {...}} possibly with other keys around it. */
		while (more) {
			int k = jp_str_eq(&x->p, "cve");

			if ((r = next(x, &t)) != 0)
				return r;
			if (k && t == JT_OBJ)
				r = cve20(x);
			else
				r = skip(x, t);
			if (r != 0 || (r = next_key(x, &more)) != 0)
				return r;
		}
	}
	return r;
}

static int meta_str(struct nctx *x, const char *key)
{
	int r = builder_meta_set(x->c->b, key, x->p.str, x->p.slen);

	return r ? feed_err(x->c, r, ": %s", err_str(r)) : 0;
}

/* nvd_timestamp: keep the oldest and newest NVD snapshot time seen. */
static int nvd_timestamp(struct nctx *x)
{
	struct feed_kb_builder *b = x->c->b;
	const char *lo = builder_meta_get(b, "nvd.timestamp.min");
	const char *hi = builder_meta_get(b, "nvd.timestamp.max");
	int r = 0;

	if (x->p.slen > 64)
		return 0;
	if (!lo || strcmp(x->p.str, lo) < 0)
		r = meta_str(x, "nvd.timestamp.min");
	if (r == 0 && (!hi || strcmp(x->p.str, hi) > 0))
		r = meta_str(x, "nvd.timestamp.max");
	return r;
}

static int top_key(struct nctx *x, struct nrec *top, char kev_meta[2][64])
{
	int k_items = jp_str_eq(&x->p, "CVE_Items"), k_vul = jp_str_eq(&x->p, "vulnerabilities");
	int k_ts = jp_str_eq(&x->p, "CVE_data_timestamp") || jp_str_eq(&x->p, "timestamp");
	int k_cat = jp_str_eq(&x->p, "catalogVersion"), k_rel = jp_str_eq(&x->p, "dateReleased");
	enum jtok t;
	int r, handled;

	if (!k_items && !k_vul && !k_ts && !k_cat && !k_rel) {
		if ((r = cve20_key(x, top, &handled)) != 0)
			return r;
		if (handled)
			return 0;
		return (r = next(x, &t)) != 0 ? r : skip(x, t);
	}
	if ((r = next(x, &t)) != 0)
		return r;
	if (k_items && t == JT_ARR) {
		if ((r = set_format(x, FEED_FMT_NVD11)) != 0)
			return r;
		while ((r = next(x, &t)) == 0 && t != JT_ARR_END) {
			if ((r = want(x, t, JT_OBJ, "CVE_Items[]")) != 0 || (r = item11(x)) != 0)
				return r;
		}
		return r;
	}
	if (k_vul && t == JT_ARR)
		return vulnerabilities(x);
	if (k_ts && t == JT_STR)
		return nvd_timestamp(x);
	if ((k_cat || k_rel) && t == JT_STR) {
		snprintf(kev_meta[k_rel], 64, "%.63s", x->p.str);
		return 0;
	}
	return skip(x, t);
}

int feed_parse_json(struct feed_ctx *c)
{
	struct nctx x;
	struct nrec top;
	char kev_meta[2][64] = {"", ""};
	enum jtok t;
	int more, r;

	memset(&x, 0, sizeof(x));
	x.c = c;
	jp_init(&x.p, c->src);
	buf_init(&x.tmp, FEED_STRING_MAX);
	rec_start(&x, &top);
	x.item = 0;
	if ((r = next(&x, &t)) != 0)
		goto out;
	if (t != JT_OBJ) {
		r = feed_err(c, ERR_PARSE, ": unrecognised format (JSON but not an object)");
		goto out;
	}
	while ((r = next_key(&x, &more)) == 0 && more)
		if ((r = top_key(&x, &top, kev_meta)) != 0)
			goto out;
	if (r != 0 || (r = next(&x, &t)) != 0)
		goto out;
	if (top.touched) {
		if (c->fmt != FEED_FMT_UNKNOWN) {
			r = feed_err(c, ERR_PARSE, ": CVE fields at the top of a %s file",
				     feed_format_name(c->fmt));
			goto out;
		}
		c->fmt = FEED_FMT_NVD20_CVE;
		x.item = 1;
		if ((r = rec_commit(&x, &top)) != 0)
			goto out;
	}
	if (c->fmt == FEED_FMT_UNKNOWN && kev_meta[0][0]) {
		c->fmt = FEED_FMT_KEV;
		r = kev_begin(&x);
	}
	if (c->fmt == FEED_FMT_KEV) {
		if ((kev_meta[0][0] &&
		     (r = builder_meta_set(c->b, "kev.catalog_version", kev_meta[0],
					   strlen(kev_meta[0]))) != 0) ||
		    (kev_meta[1][0] && (r = builder_meta_set(c->b, "kev.date_released", kev_meta[1],
							     strlen(kev_meta[1]))) != 0))
			goto out;
	}
	if (c->fmt == FEED_FMT_UNKNOWN)
		r = feed_err(c, ERR_PARSE,
			     ": unrecognised format (JSON without CVE_Items, "
			     "vulnerabilities or a CVE id)");
out:
	jp_release(&x.p);
	buf_release(&x.tmp);
	return r;
}
