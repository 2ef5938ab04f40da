/*
 * aggregates.c: sector figures for sector associations and insurers, in
 * the tenant layer: tenant_agg_scope decides which sectors a caller may
 * see, tenant_aggregates computes them only for those. A company counts
 * in its sector (organisations.sector) when it is no association, insurer
 * or IT partner organisation; its open findings are those of the newest
 * finished scan of each of its assets. A sector with fewer than
 * TENANT_K_ANON scanned companies shows no figures at all, and no answer
 * ever holds an organisation's id, name, KvK number or a target.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "check/check.h"
#include "core/core.h"
#include "store/store.h"

#define TOP_CHECKS 10

int tenant_agg_scope(struct store *st, const struct authz_ctx *az, uint32_t *sectors)
{
	static const uint32_t all = ((uint32_t)1 << TENANT_SECTORS) - 1;
	struct store_stmt *s = NULL;
	uint32_t got = az->operator? all : 0;
	int r, any = az->operator;

	if (!az->user_id && !az->operator)
		return ERR_PERM;
	r = store_prepare(st,
			  "SELECT m.role, o.sector FROM memberships m JOIN organisations o ON "
			  "o.id = m.org_id WHERE m.user_id = ? AND m.role IN ('association', "
			  "'insurer')",
			  &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	while (r == 0 && (r = stmt_step(s)) == STORE_ROW) {
		const char *role = stmt_column_text(s, 0), *sec = stmt_column_text(s, 1);

		r = 0;
		any = 1;
		if (role && strcmp(role, "insurer") == 0)
			got = all;
		else if (sec && sec[0] >= 'A' && sec[0] < 'A' + TENANT_SECTORS && !sec[1])
			got |= (uint32_t)1 << (sec[0] - 'A');
	}
	stmt_finalize(s);
	if (r != STORE_DONE)
		return r < 0 ? r : ERR_DB;
	if (!any)
		return ERR_PERM;
	*sectors = got;
	return 0;
}

struct agg_sector {
	int64_t companies, scanned;
	int64_t open[5]; /* summed over the scanned companies, by severity */
	int64_t with_critical, with_high;
	size_t ntop;
	struct {
		char check_id[40];
		int64_t companies;
	} top[TOP_CHECKS];
};

/*
 * The companies of the sectors asked for (? = '' for every sector, else
 * that one; bound twice) and the newest finished scan of each of their
 * assets.
 */
#define AGG_LATEST                                                                                 \
	"WITH comp AS (SELECT o.id, o.sector FROM organisations o WHERE o.sector IS NOT NULL "     \
	"AND (? = '' OR o.sector = ?) AND NOT EXISTS (SELECT 1 FROM memberships m WHERE "          \
	"m.org_id = o.id AND m.role IN ('association', 'insurer', 'partner')) AND NOT EXISTS "     \
	"(SELECT 1 FROM partner_clients pc WHERE pc.partner_org_id = o.id)), latest AS (SELECT "   \
	"x.id, x.org_id, x.sector FROM (SELECT s.id, s.org_id, c.sector, ROW_NUMBER() OVER "       \
	"(PARTITION BY s.org_id, s.asset_id, s.target ORDER BY s.id DESC) AS rn FROM scans s "     \
	"JOIN comp c ON c.id = s.org_id WHERE s.status IN ('done', 'incomplete')) x WHERE x.rn = " \
	"1) "

/* The index of a sector column's value, or -1. */
static int sector_index(struct store_stmt *s, int col)
{
	const char *v = stmt_column_text(s, col);

	return v && v[0] >= 'A' && v[0] < 'A' + TENANT_SECTORS && !v[1] ? v[0] - 'A' : -1;
}

static int bind_sector(struct store_stmt *s, char sector)
{
	char one[2] = {sector, '\0'};
	int r = stmt_bind_text(s, 1, one);

	return r ? r : stmt_bind_text(s, 2, one);
}

/* Companies, scanned companies and open findings per sector. */
static int agg_counts(struct store *st, char sector, struct agg_sector *v)
{
	static const char sql[] = AGG_LATEST
	    "SELECT c.sector, COUNT(*), COUNT(p.org_id), COALESCE(SUM(p.n4), 0), "
	    "COALESCE(SUM(p.n3), 0), COALESCE(SUM(p.n2), 0), COALESCE(SUM(p.n1), 0), "
	    "COALESCE(SUM(p.n0), 0), COUNT(CASE WHEN p.n4 > 0 THEN 1 END), COUNT(CASE WHEN p.n3 "
	    "> 0 THEN 1 END) FROM comp c LEFT JOIN (SELECT l.org_id, COUNT(CASE WHEN f.severity "
	    "= 4 THEN 1 END) AS n4, COUNT(CASE WHEN f.severity = 3 THEN 1 END) AS n3, "
	    "COUNT(CASE WHEN f.severity = 2 THEN 1 END) AS n2, COUNT(CASE WHEN f.severity = 1 "
	    "THEN 1 END) AS n1, COUNT(CASE WHEN f.severity = 0 THEN 1 END) AS n0 FROM latest l "
	    "LEFT JOIN findings f ON f.scan_id = l.id GROUP BY l.org_id) p ON p.org_id = c.id "
	    "GROUP BY c.sector";
	struct store_stmt *s = NULL;
	int r = store_prepare(st, sql, &s), i;

	if (r == 0)
		r = bind_sector(s, sector);
	while (r == 0 && (r = stmt_step(s)) == STORE_ROW) {
		int k = sector_index(s, 0);

		r = 0;
		if (k < 0)
			continue;
		v[k].companies = stmt_column_int64(s, 1);
		v[k].scanned = stmt_column_int64(s, 2);
		for (i = 0; i < 5; i++)
			v[k].open[4 - i] = stmt_column_int64(s, 3 + i);
		v[k].with_critical = stmt_column_int64(s, 8);
		v[k].with_high = stmt_column_int64(s, 9);
	}
	stmt_finalize(s);
	return r == STORE_DONE ? 0 : r < 0 ? r : ERR_DB;
}

/* The checks found at the most companies of each sector. */
static int agg_top(struct store *st, char sector, struct agg_sector *v)
{
	static const char sql[] =
	    AGG_LATEST "SELECT t.sector, t.check_id, t.n FROM (SELECT l.sector, f.check_id, "
		       "COUNT(DISTINCT l.org_id) AS n, ROW_NUMBER() OVER (PARTITION BY l.sector "
		       "ORDER BY COUNT(DISTINCT l.org_id) DESC, f.check_id) AS rk FROM latest l "
		       "JOIN findings f ON f.scan_id = l.id GROUP BY l.sector, f.check_id) t "
		       "WHERE t.rk <= ? ORDER BY t.sector, t.rk";
	struct store_stmt *s = NULL;
	int r = store_prepare(st, sql, &s);

	if (r == 0)
		r = bind_sector(s, sector);
	if (r == 0)
		r = stmt_bind_int64(s, 3, TOP_CHECKS);
	while (r == 0 && (r = stmt_step(s)) == STORE_ROW) {
		int k = sector_index(s, 0);
		const char *id = stmt_column_text(s, 1);

		r = 0;
		if (k < 0 || !id || v[k].ntop >= TOP_CHECKS)
			continue;
		str_lcpy(v[k].top[v[k].ntop].check_id, id, sizeof(v[k].top[0].check_id));
		v[k].top[v[k].ntop++].companies = stmt_column_int64(s, 2);
	}
	stmt_finalize(s);
	return r == STORE_DONE ? 0 : r < 0 ? r : ERR_DB;
}

/* x / n as a JSON number with the given decimals (n > 0). */
static int add_ratio(struct buf *out, int64_t x, int64_t n, int decimals)
{
	return buf_addf(out, "%.*f", decimals, (double)x / (double)n);
}

static int sector_json(struct buf *out, char code, const struct agg_sector *a)
{
	static const char *const sev[5] = {"info", "low", "medium", "high", "critical"};
	int r, i;
	size_t k;

	r = buf_addf(out, "{\"sector\":\"%c\",\"suppressed\":", code);
	if (a->scanned < TENANT_K_ANON)
		return r ? r : buf_adds(out, "true}");
	if (r == 0)
		r = buf_addf(out, "false,\"companies\":%lld,\"scanned_companies\":%lld",
			     (long long)a->companies, (long long)a->scanned);
	if (r == 0)
		r = buf_adds(out, ",\"mean_open\":{");
	for (i = 4; i >= 0 && r == 0; i--) {
		r = buf_addf(out, "%s\"%s\":", i == 4 ? "" : ",", sev[i]);
		if (r == 0)
			r = add_ratio(out, a->open[i], a->scanned, 2);
	}
	if (r == 0)
		r = buf_adds(out, "},\"share_with\":{\"critical\":");
	if (r == 0)
		r = add_ratio(out, a->with_critical, a->scanned, 3);
	if (r == 0)
		r = buf_adds(out, ",\"high\":");
	if (r == 0)
		r = add_ratio(out, a->with_high, a->scanned, 3);
	if (r == 0)
		r = buf_adds(out, "},\"top_checks\":[");
	for (k = 0; k < a->ntop && r == 0; k++) {
		const struct check_def *d = check_find(a->top[k].check_id);

		r = buf_adds(out, k ? ",{\"check_id\":" : "{\"check_id\":");
		if (r == 0)
			r = api_json_strz(out, a->top[k].check_id);
		/* The registry's title, never the finding's (it may name a host). */
		if (r == 0 && (r = API_KEY(out, "title")) == 0)
			r = api_json_strz(out, d ? check_title(d, LANG_EN) : NULL);
		if (r == 0 && (r = API_KEY(out, "title_nl")) == 0)
			r = api_json_strz(out, d ? check_title(d, LANG_NL) : NULL);
		if (r == 0 && (r = API_KEY(out, "share")) == 0)
			r = add_ratio(out, a->top[k].companies, a->scanned, 3);
		if (r == 0)
			r = buf_addch(out, '}');
	}
	return r ? r : buf_adds(out, "]}");
}

int tenant_aggregates(struct store *st, const struct authz_ctx *az, char sector, struct buf *out)
{
	struct agg_sector *v = NULL;
	uint32_t scope = 0, want;
	int r, i, n = 0;

	r = tenant_agg_scope(st, az, &scope);
	if (r)
		return r;
	if (sector && (sector < 'A' || sector >= 'A' + TENANT_SECTORS ||
		       !(scope & ((uint32_t)1 << (sector - 'A')))))
		return ERR_NOTFOUND;
	want = sector ? (uint32_t)1 << (sector - 'A') : scope;
	v = calloc(TENANT_SECTORS, sizeof(*v));
	if (!v)
		return ERR_NOMEM;
	/* One sector asked for, or the caller sees only one: ask for that. */
	if (!sector && want && (want & (want - 1)) == 0)
		for (i = 0; i < TENANT_SECTORS; i++)
			if (want == (uint32_t)1 << i)
				sector = (char)('A' + i);
	r = agg_counts(st, sector, v);
	if (r == 0)
		r = agg_top(st, sector, v);
	if (r == 0)
		r = buf_addch(out, '[');
	for (i = 0; i < TENANT_SECTORS && r == 0; i++) {
		if (!(want & ((uint32_t)1 << i)))
			continue;
		r = n++ ? buf_addch(out, ',') : 0;
		if (r == 0)
			r = sector_json(out, (char)('A' + i), &v[i]);
	}
	if (r == 0)
		r = buf_addch(out, ']');
	free(v);
	return r;
}
