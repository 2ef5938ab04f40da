/*
 * tenant_sql.c: the binders of the tenant condition that tenant.c and
 * tenant_more.c share with the SQL fragments in api_int.h: one copy, so
 * the two halves of the data layer can never scope tenants differently.
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

int tenant_bind_time(struct store_stmt *s, int idx, time_t t)
{
	char ts[TIME_RFC3339_LEN];
	int r = time_rfc3339(t, ts);

	return r ? r : stmt_bind_text(s, idx, ts);
}
