/*
 * tenant_sql.c: the binders of the tenant condition that the data layer
 * (tenant.c, tenant_more.c, tenant_views.c) shares with the SQL fragments
 * in api_int.h: one copy, so its parts can never scope tenants
 * differently; the end of a transaction; and the writer of a result set
 * as a JSON array.
 */
#include <time.h>

#include "api/api_int.h"
#include "store/store.h"

int tenant_bind_az(struct store_stmt *s, int idx, const struct authz_ctx *az)
{
	int r = stmt_bind_int64(s, idx, az->operator? 1 : 0);

	if (r == 0)
		r = stmt_bind_int64(s, idx + 1, az->user_id);
	if (r == 0)
		r = stmt_bind_int64(s, idx + 2, az->user_id);
	return r;
}

int tenant_prepare_id(struct store *st, const char *sql, int64_t id, const struct authz_ctx *az,
		      struct store_stmt **s)
{
	int r = store_prepare(st, sql, s);

	if (r == 0)
		r = stmt_bind_int64(*s, 1, id);
	if (r == 0)
		r = tenant_bind_az(*s, 2, az);
	return r;
}

int tenant_end(struct store *st, int r)
{
	if (r == 0)
		return store_commit(st);
	store_rollback(st);
	return r;
}

int tenant_bind_time(struct store_stmt *s, int idx, time_t t)
{
	char ts[TIME_RFC3339_LEN];
	int r = time_rfc3339(t, ts);

	return r ? r : stmt_bind_text(s, idx, ts);
}

int tenant_json_rows(struct buf *out, struct store_stmt *s, tenant_row_fn row, void *arg)
{
	int r = buf_addch(out, '['), n = 0;

	while (r == 0 && (r = stmt_step(s)) == STORE_ROW) {
		r = n++ ? buf_addch(out, ',') : 0;
		if (r == 0)
			r = row(out, s, arg);
	}
	if (r == STORE_DONE)
		r = 0;
	return r < 0 ? r : buf_addch(out, ']');
}
