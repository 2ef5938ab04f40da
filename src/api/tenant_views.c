/*
 * tenant_views.c: the tenant-scoped views over an organisation's scans:
 * the list of its scans with their findings counted by severity, and the
 * summary "how safe is my company?" (open findings, trend, worst). Like
 * tenant.c, every query carries the tenant condition itself and a caller
 * without read access gets ERR_NOTFOUND.
 */
#include <string.h>

#include "api/api_int.h"
#include "check/check.h"
#include "core/core.h"
#include "store/store.h"

/* The findings of scan s.id by severity, worst first (columns 6..10 of
 * every query here, after id, asset_id, target, status, started_at,
 * finished_at). */
#define COUNTS_COLS                                                                                \
	"COUNT(CASE WHEN f.severity = 4 THEN 1 END), COUNT(CASE WHEN f.severity = 3 THEN 1 END), " \
	"COUNT(CASE WHEN f.severity = 2 THEN 1 END), COUNT(CASE WHEN f.severity = 1 THEN 1 END), " \
	"COUNT(CASE WHEN f.severity = 0 THEN 1 END)"
#define SCAN_COLS "s.id, s.asset_id, s.target, s.status, s.started_at, s.finished_at"
#define COUNTS_JOIN                                                                                \
	" LEFT JOIN findings f ON f.scan_id = s.id GROUP BY " SCAN_COLS " ORDER BY s.id "

/* A page of organisation ?'s scans (read access: binds org, CAN(), then
 * cond's parameters, limit and offset) newest first, with their counts,
 * in the given order. */
#define SCANS_PAGE(cond, order)                                                                    \
	"SELECT " SCAN_COLS ", " COUNTS_COLS " FROM (SELECT x.id, x.asset_id, x.target, "          \
	"x.status, x.started_at, x.finished_at FROM scans x WHERE x.org_id = ? AND " CAN(          \
	    "x.org_id", ORGS_READ) " AND " cond                                                    \
				   " ORDER BY x.id DESC LIMIT ? OFFSET ?) s" COUNTS_JOIN order

/* The newest finished scan of each asset (a scan without asset: of each
 * target) of organisation ? (read access: binds org, then CAN()). */
#define LATEST_FINISHED                                                                            \
	"WITH latest AS (SELECT x.id, x.asset_id, x.target, x.status, x.started_at, "              \
	"x.finished_at FROM (SELECT s.id, s.asset_id, s.target, s.status, s.started_at, "          \
	"s.finished_at, ROW_NUMBER() OVER (PARTITION BY s.asset_id, s.target ORDER BY s.id "       \
	"DESC) AS rn FROM scans s WHERE s.org_id = ? AND " CAN(                                    \
	    "s.org_id", ORGS_READ) " AND s.status IN ('done', 'incomplete')) x WHERE x.rn = 1) "

enum scan_row_form {
	ROW_FULL,  /* {id, asset_id, target, status, started_at, finished_at, counts} */
	ROW_BRIEF, /* {scan_id, target, finished_at, counts} */
};

static int col_int_or_null(struct buf *out, struct store_stmt *s, int i)
{
	return stmt_column_is_null(s, i) ? buf_add(out, "null", 4)
					 : api_json_int(out, stmt_column_int64(s, i));
}

/* One row of a scan query as JSON; its counts added to sum when not NULL. */
static int scan_row(struct buf *out, struct store_stmt *s, enum scan_row_form form, int64_t *sum)
{
	int64_t n[5];
	int i, r;

	for (i = 0; i < 5; i++) {
		n[4 - i] = stmt_column_int64(s, 6 + i);
		if (sum)
			sum[4 - i] += n[4 - i];
	}
	r = buf_adds(out, form == ROW_FULL ? "{\"id\":" : "{\"scan_id\":");
	if (r == 0)
		r = api_json_int(out, stmt_column_int64(s, 0));
	if (r == 0 && form == ROW_FULL && (r = API_KEY(out, "asset_id")) == 0)
		r = col_int_or_null(out, s, 1);
	if (r == 0 && (r = API_KEY(out, "target")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 2));
	if (r == 0 && form == ROW_FULL && (r = API_KEY(out, "status")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 3));
	if (r == 0 && form == ROW_FULL && (r = API_KEY(out, "started_at")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 4));
	if (r == 0 && (r = API_KEY(out, "finished_at")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 5));
	if (r == 0 && (r = API_KEY(out, "counts")) == 0)
		r = api_json_counts(out, n);
	return r ? r : buf_addch(out, '}');
}

struct scan_rows_arg {
	enum scan_row_form form;
	int64_t *sum;
};

static int scan_row_fn(struct buf *out, struct store_stmt *s, void *arg)
{
	const struct scan_rows_arg *a = arg;

	return scan_row(out, s, a->form, a->sum);
}

/* Step s to the end: a JSON array of scan rows. */
static int scan_rows(struct buf *out, struct store_stmt *s, enum scan_row_form form, int64_t *sum)
{
	struct scan_rows_arg a = {form, sum};

	return tenant_json_rows(out, s, scan_row_fn, &a);
}

/* 0 when the caller may read the organisation, else ERR_NOTFOUND. */
static int org_readable(struct store *st, const struct authz_ctx *az, int64_t org_id)
{
	enum tenant_level lv;
	int r = tenant_org_level(st, az, org_id, &lv);

	return r == 0 && lv < TENANT_READ ? ERR_NOTFOUND : r;
}

/* Prepare sql and bind (org_id, CAN()) from parameter 1 on. */
static int prepare_org(struct store *st, const char *sql, int64_t org_id,
		       const struct authz_ctx *az, struct store_stmt **s)
{
	int r = store_prepare(st, sql, s);

	if (r == 0)
		r = stmt_bind_int64(*s, 1, org_id);
	return r ? r : tenant_bind_az(*s, 2, az);
}

int tenant_scans_list(struct store *st, const struct authz_ctx *az, int64_t org_id,
		      const struct tenant_scan_filter *f, struct buf *out)
{
	/* The page is chosen in the inner query, then counted: one query. */
	static const char sql[] = SCANS_PAGE("(? = '' OR x.status = ?)", "DESC");
	struct store_stmt *s = NULL;
	int r = org_readable(st, az, org_id);

	if (r == 0)
		r = prepare_org(st, sql, org_id, az, &s);
	if (r == 0)
		r = stmt_bind_text(s, 5, f->status);
	if (r == 0)
		r = stmt_bind_text(s, 6, f->status);
	if (r == 0)
		r = stmt_bind_int64(s, 7, f->limit);
	if (r == 0)
		r = stmt_bind_int64(s, 8, f->offset);
	if (r == 0)
		r = scan_rows(out, s, ROW_FULL, NULL);
	stmt_finalize(s);
	return r;
}

static int worst_row(struct buf *out, struct store_stmt *s, void *arg)
{
	const char *check = stmt_column_text(s, 2);
	int r = buf_adds(out, "{\"id\":");

	if (r == 0)
		r = api_json_int(out, stmt_column_int64(s, 0));
	if (r == 0 && (r = API_KEY(out, "scan_id")) == 0)
		r = api_json_int(out, stmt_column_int64(s, 1));
	if (r == 0 && (r = API_KEY(out, "check_id")) == 0)
		r = api_json_strz(out, check);
	if (r == 0 && (r = API_KEY(out, "severity")) == 0)
		r = api_json_strz(out, check_sev_name((enum check_sev)stmt_column_int64(s, 3)));
	if (r == 0 && (r = API_KEY(out, "title")) == 0)
		r = api_json_title(out, check ? check_find(check) : NULL, stmt_column_text(s, 4),
				   *(const enum check_lang *)arg);
	if (r == 0 && (r = API_KEY(out, "target")) == 0)
		r = api_json_strz(out, stmt_column_text(s, 5));
	return r ? r : buf_addch(out, '}');
}

/* The worst open findings: {id, scan_id, check_id, severity, title, target}. */
static int worst_rows(struct store *st, const struct authz_ctx *az, int64_t org_id,
		      enum check_lang lang, struct buf *out)
{
	static const char sql[] = LATEST_FINISHED
	    "SELECT f.id, f.scan_id, f.check_id, f.severity, f.title, f.target FROM latest l "
	    "JOIN findings f ON f.scan_id = l.id ORDER BY f.severity DESC, f.check_id, f.id "
	    "LIMIT ?";
	struct store_stmt *s = NULL;
	int r = prepare_org(st, sql, org_id, az, &s);

	if (r == 0)
		r = stmt_bind_int64(s, 5, TENANT_WORST_MAX);
	if (r == 0)
		r = tenant_json_rows(out, s, worst_row, &lang);
	stmt_finalize(s);
	return r;
}

int tenant_org_summary(struct store *st, const struct authz_ctx *az, int64_t org_id,
		       enum check_lang lang, struct buf *out)
{
	static const char latest_sql[] = LATEST_FINISHED "SELECT " SCAN_COLS ", " COUNTS_COLS
							 " FROM latest s" COUNTS_JOIN "DESC";
	static const char trend_sql[] = SCANS_PAGE("x.status IN ('done', 'incomplete')", "ASC");
	struct store_stmt *s = NULL;
	struct buf latest = BUF_INIT;
	int64_t open[5] = {0, 0, 0, 0, 0};
	int r = org_readable(st, az, org_id);

	/* The latest scans first: their counts are the open findings. */
	if (r == 0)
		r = prepare_org(st, latest_sql, org_id, az, &s);
	if (r == 0)
		r = scan_rows(&latest, s, ROW_BRIEF, open);
	stmt_finalize(s);
	s = NULL;
	if (r == 0)
		r = buf_adds(out, "{\"org_id\":");
	if (r == 0)
		r = api_json_int(out, org_id);
	if (r == 0 && (r = API_KEY(out, "open")) == 0)
		r = api_json_counts(out, open);
	if (r == 0 && (r = API_KEY(out, "open_total")) == 0)
		r = api_json_int(out, open[0] + open[1] + open[2] + open[3] + open[4]);
	if (r == 0 && (r = API_KEY(out, "latest")) == 0)
		r = buf_add(out, latest.ptr, latest.len);
	if (r == 0 && (r = API_KEY(out, "trend")) == 0)
		r = prepare_org(st, trend_sql, org_id, az, &s);
	if (r == 0)
		r = stmt_bind_int64(s, 5, TENANT_TREND_MAX);
	if (r == 0)
		r = stmt_bind_int64(s, 6, 0);
	if (r == 0)
		r = scan_rows(out, s, ROW_BRIEF, NULL);
	stmt_finalize(s);
	if (r == 0 && (r = API_KEY(out, "worst")) == 0)
		r = worst_rows(st, az, org_id, lang, out);
	buf_release(&latest);
	return r ? r : buf_addch(out, '}');
}
