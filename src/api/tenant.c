/*
 * tenant.c: the tenant-scoped data layer. Every query that touches a
 * tenant's rows carries the tenant condition in its own SQL, derived from
 * memberships and partner_clients for the caller in struct authz_ctx, so a
 * handler cannot forget it. Results are written as JSON into a buf.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

/*
 * Write the current row as a JSON object; cols names the columns in order,
 * each "i:name" (integer) or "s:name" (text); SQL NULL becomes null.
 */
static int json_row(struct buf *out, struct store_stmt *s, const char *const *cols)
{
	int r = buf_addch(out, '{'), i;

	for (i = 0; cols[i] && r == 0; i++) {
		const char *name = cols[i] + 2;

		r = buf_addf(out, "%s\"%s\":", i ? "," : "", name);
		if (r)
			break;
		if (stmt_column_is_null(s, i))
			r = buf_adds(out, "null");
		else if (cols[i][0] == 'i')
			r = buf_addf(out, "%lld", (long long)stmt_column_int64(s, i));
		else {
			const char *v = stmt_column_text(s, i);

			r = buf_add_json_str(out, v, strlen(v));
		}
	}
	return r ? r : buf_addch(out, '}');
}

static int json_row_fn(struct buf *out, struct store_stmt *s, void *cols)
{
	return json_row(out, s, (const char *const *)cols);
}

/* Step s to the end writing one object per row as a JSON array. */
static int json_rows(struct buf *out, struct store_stmt *s, const char *const *cols)
{
	return tenant_json_rows(out, s, json_row_fn, (void *)(uintptr_t)cols);
}

/* Step s once expecting one row, written as an object; ERR_NOTFOUND if none. */
static int json_one(struct buf *out, struct store_stmt *s, const char *const *cols)
{
	int r = stmt_step(s);

	if (r == STORE_DONE)
		return ERR_NOTFOUND;
	if (r != STORE_ROW)
		return r < 0 ? r : ERR_DB;
	return json_row(out, s, cols);
}

/* One-row check: 0 when the query yields a row, ERR_NOTFOUND when not. */
static int step_exists(struct store_stmt *s)
{
	int r = stmt_step(s);

	return r == STORE_ROW ? 0 : r == STORE_DONE ? ERR_NOTFOUND : r;
}

int tenant_org_level(struct store *st, const struct authz_ctx *az, int64_t org_id,
		     enum tenant_level *level)
{
	static const char *const sql[] = {
	    "SELECT 1 FROM organisations o WHERE o.id = ? AND " CAN("o.id", ORGS_PROFILE),
	    "SELECT 1 FROM organisations o WHERE o.id = ? AND " CAN("o.id", ORGS_READ),
	    "SELECT 1 FROM organisations o WHERE o.id = ? AND " CAN("o.id", ORGS_WRITE),
	};
	enum tenant_level got = 0;
	int i, r = 0;

	for (i = 0; i < 3 && r == 0; i++) {
		struct store_stmt *s = NULL;

		r = tenant_prepare_id(st, sql[i], org_id, az, &s);
		if (r == 0)
			r = step_exists(s);
		stmt_finalize(s);
		if (r == 0)
			got = (enum tenant_level)(i + 1);
	}
	if (r != 0 && r != ERR_NOTFOUND)
		return r;
	if (!got)
		return ERR_NOTFOUND;
	*level = got;
	return 0;
}

static const char *const org_cols[] = {"i:id",	       "s:name",       "s:kvk", "s:sector",
				       "s:size_class", "s:created_at", NULL};

int tenant_orgs_list(struct store *st, const struct authz_ctx *az, struct buf *out)
{
	struct store_stmt *s = NULL;
	int r;

	r = store_prepare(st,
			  "SELECT o.id, o.name, o.kvk, o.sector, o.size_class, o.created_at FROM "
			  "organisations o WHERE " CAN("o.id", ORGS_PROFILE) " ORDER BY o.id",
			  &s);
	if (r == 0)
		r = tenant_bind_az(s, 1, az);
	if (r == 0)
		r = json_rows(out, s, org_cols);
	stmt_finalize(s);
	return r;
}

int tenant_org_get(struct store *st, const struct authz_ctx *az, int64_t id, struct buf *out)
{
	struct store_stmt *s = NULL;
	int r;

	r = tenant_prepare_id(
	    st,
	    "SELECT o.id, o.name, o.kvk, o.sector, o.size_class, o.created_at FROM "
	    "organisations o WHERE o.id = ? AND " CAN("o.id", ORGS_PROFILE),
	    id, az, &s);
	if (r == 0)
		r = json_one(out, s, org_cols);
	stmt_finalize(s);
	return r;
}

/* Run a statement that returns no rows. */
static int exec_done(struct store_stmt *s)
{
	int r = stmt_step(s);

	return r == STORE_DONE ? 0 : r < 0 ? r : ERR_DB;
}

int api_audit_row(struct store *st, time_t now, int64_t user_id, int64_t org_id, const char *action,
		  const char *object, const char *detail)
{
	char at[TIME_RFC3339_LEN];
	struct store_stmt *s = NULL;
	int r = time_rfc3339(now, at);

	if (r == 0)
		r = store_prepare(st,
				  "INSERT INTO audit_log (at, user_id, org_id, action, object, "
				  "detail) VALUES (?, ?, ?, ?, ?, ?)",
				  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, at);
	if (r == 0)
		r = user_id ? stmt_bind_int64(s, 2, user_id) : stmt_bind_null(s, 2);
	if (r == 0)
		r = org_id ? stmt_bind_int64(s, 3, org_id) : stmt_bind_null(s, 3);
	if (r == 0)
		r = stmt_bind_text(s, 4, action);
	if (r == 0)
		r = stmt_bind_text(s, 5, object);
	if (r == 0)
		r = stmt_bind_text(s, 6, detail);
	if (r == 0)
		r = exec_done(s);
	stmt_finalize(s);
	return r;
}

int tenant_audit(struct store *st, const struct authz_ctx *az, int64_t org_id, const char *action,
		 const char *object, const char *detail)
{
	return api_audit_row(st, time(NULL), az ? az->user_id : 0, org_id, action, object, detail);
}

/* The link that makes a new organisation reachable: a partner's client,
 * or the creator as its admin (operators need neither). */
static int org_link(struct store *st, const struct authz_ctx *az, int64_t id, int64_t partner)
{
	struct store_stmt *s = NULL;
	int r;

	if (partner) {
		r = store_prepare(st,
				  "INSERT INTO partner_clients (partner_org_id, client_org_id) "
				  "SELECT ?, ? WHERE EXISTS (SELECT 1 FROM memberships WHERE "
				  "org_id = ? AND user_id = ? AND role = 'partner') OR ? = 1",
				  &s);
		if (r == 0)
			r = stmt_bind_int64(s, 1, partner);
		if (r == 0)
			r = stmt_bind_int64(s, 2, id);
		if (r == 0)
			r = stmt_bind_int64(s, 3, partner);
		if (r == 0)
			r = stmt_bind_int64(s, 4, az->user_id);
		if (r == 0)
			r = stmt_bind_int64(s, 5, az->operator? 1 : 0);
		if (r == 0)
			r = exec_done(s);
		stmt_finalize(s);
		/* Nothing inserted: not a partner of that organisation. */
		if (r == 0 && store_prepare(st,
					    "SELECT 1 FROM partner_clients WHERE "
					    "partner_org_id = ? AND client_org_id = ?",
					    &s) == 0) {
			r = stmt_bind_int64(s, 1, partner);
			if (r == 0)
				r = stmt_bind_int64(s, 2, id);
			if (r == 0)
				r = step_exists(s);
			stmt_finalize(s);
		}
		return r;
	}
	if (az->operator)
		return 0;
	r = store_prepare(
	    st, "INSERT INTO memberships (user_id, org_id, role) VALUES (?, ?, 'admin')", &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	if (r == 0)
		r = stmt_bind_int64(s, 2, id);
	if (r == 0)
		r = exec_done(s);
	stmt_finalize(s);
	return r;
}

/* Insert the organisation row, its link and its audit row (at now),
 * inside the caller's transaction. */
static int org_insert(struct store *st, const struct authz_ctx *az, const struct tenant_org_in *in,
		      time_t now, int64_t *id)
{
	struct store_stmt *s = NULL;
	int64_t nid = 0;
	int r;

	r = store_prepare(st,
			  "INSERT INTO organisations (name, kvk, sector, size_class) VALUES "
			  "(?, ?, ?, ?) RETURNING id",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, in->name);
	if (r == 0)
		r = stmt_bind_text(s, 2, in->kvk);
	if (r == 0)
		r = stmt_bind_text(s, 3, in->sector);
	if (r == 0)
		r = stmt_bind_text(s, 4, in->size_class);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		nid = stmt_column_int64(s, 0);
		r = 0;
	} else if (r >= 0) {
		r = ERR_DB;
	}
	stmt_finalize(s);
	if (r == 0)
		r = org_link(st, az, nid, in->partner_org_id);
	if (r == 0)
		r = api_audit_row(st, now, az->user_id, nid, "create", "organisation", in->name);
	if (r == 0)
		*id = nid;
	return r;
}

int api_org_seed(struct store *st, time_t now, int64_t admin_id, const char *name,
		 const char *sector, const char *size_class, int64_t *org_id)
{
	struct tenant_org_in in = {name, NULL, sector, size_class, 0};
	struct authz_ctx az;

	memset(&az, 0, sizeof(az));
	az.user_id = admin_id;
	return org_insert(st, &az, &in, now, org_id);
}

int tenant_org_create(struct store *st, const struct authz_ctx *az, const struct tenant_org_in *in,
		      int64_t *id)
{
	int64_t nid = 0;
	int r;

	if (!az->user_id)
		return ERR_NOTFOUND;
	r = store_begin(st);
	if (r)
		return r;
	r = org_insert(st, az, in, time(NULL), &nid);
	r = tenant_end(st, r);
	if (r == 0)
		*id = nid;
	return r;
}

int tenant_signup(struct store *st, const char *email, const char *password,
		  const struct tenant_org_in *in, int64_t *user_id, int64_t *org_id)
{
	struct authz_ctx az;
	struct tenant_org_in own = *in;
	int64_t uid = 0, oid = 0;
	int r;

	own.partner_org_id = 0;
	r = store_begin(st);
	if (r)
		return r;
	r = auth_user_create(st, email, password, 0, &uid);
	memset(&az, 0, sizeof(az));
	az.user_id = uid;
	if (r == 0)
		r = org_insert(st, &az, &own, time(NULL), &oid);
	r = tenant_end(st, r);
	if (r == 0) {
		*user_id = uid;
		*org_id = oid;
	}
	return r;
}

static const char *const asset_cols[] = {
    "i:id",	     "i:org_id",	"s:kind",	"s:value",
    "s:verified_at", "s:verify_method", "s:created_at", NULL};

int tenant_assets_list(struct store *st, const struct authz_ctx *az, int64_t org_id,
		       struct buf *out)
{
	struct store_stmt *s = NULL;
	enum tenant_level lv;
	int r = tenant_org_level(st, az, org_id, &lv);

	if (r == 0 && lv < TENANT_READ)
		r = ERR_NOTFOUND;
	if (r == 0)
		r = tenant_prepare_id(
		    st,
		    "SELECT a.id, a.org_id, a.kind, a.value, a.verified_at, "
		    "a.verify_method, a.created_at FROM assets a WHERE a.org_id = ? "
		    "AND " CAN("a.org_id", ORGS_READ) " ORDER BY a.id",
		    org_id, az, &s);
	if (r == 0)
		r = json_rows(out, s, asset_cols);
	stmt_finalize(s);
	return r;
}

int tenant_asset_create(struct store *st, const struct authz_ctx *az, int64_t org_id,
			const char *kind, const char *value, struct tenant_asset *out)
{
	struct store_stmt *s = NULL;
	char tok[AUTH_TOKEN_SIZE];
	int r;

	auth_token_new(tok);
	r = store_begin(st);
	if (r)
		return r;
	/* INSERT ... SELECT ... WHERE <may write>: no row when not allowed. */
	r = store_prepare(
	    st,
	    "INSERT INTO assets (org_id, kind, value, verify_token) SELECT o.id, ?, "
	    "?, ? FROM organisations o WHERE o.id = ? AND " CAN("o.id", ORGS_WRITE) " RETURNING id",
	    &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, kind);
	if (r == 0)
		r = stmt_bind_text(s, 2, value);
	if (r == 0)
		r = stmt_bind_text(s, 3, tok);
	if (r == 0)
		r = stmt_bind_int64(s, 4, org_id);
	if (r == 0)
		r = tenant_bind_az(s, 5, az);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = stmt_column_int64(s, 0);
		out->org_id = org_id;
		str_lcpy(out->kind, kind, sizeof(out->kind));
		str_lcpy(out->value, value, sizeof(out->value));
		str_lcpy(out->token, tok, sizeof(out->token));
		r = stmt_step(s) < 0 ? ERR_DB : 0;
	} else if (r == STORE_DONE) {
		r = ERR_NOTFOUND;
	} else if (r == ERR_DB && store_errclass(st) == STORE_ERRCLASS_CONSTRAINT) {
		r = ERR_EXISTS;
	}
	stmt_finalize(s);
	if (r == 0)
		r = tenant_audit(st, az, org_id, "create", "asset", value);
	return tenant_end(st, r);
}

int tenant_asset_get(struct store *st, const struct authz_ctx *az, int64_t id,
		     enum tenant_level need, struct tenant_asset *out)
{
	static const char sql_read[] =
	    "SELECT a.id, a.org_id, a.kind, a.value, a.verify_token, a.verified_at FROM assets "
	    "a WHERE a.id = ? AND " CAN("a.org_id", ORGS_READ);
	static const char sql_write[] =
	    "SELECT a.id, a.org_id, a.kind, a.value, a.verify_token, a.verified_at FROM assets "
	    "a WHERE a.id = ? AND " CAN("a.org_id", ORGS_WRITE);
	struct store_stmt *s = NULL;
	int r;

	r = tenant_prepare_id(st, need >= TENANT_WRITE ? sql_write : sql_read, id, az, &s);
	if (r == 0)
		r = step_exists(s);
	if (r == 0) {
		const char *v;

		memset(out, 0, sizeof(*out));
		out->id = stmt_column_int64(s, 0);
		out->org_id = stmt_column_int64(s, 1);
		v = stmt_column_text(s, 2);
		str_lcpy(out->kind, v ? v : "", sizeof(out->kind));
		v = stmt_column_text(s, 3);
		str_lcpy(out->value, v ? v : "", sizeof(out->value));
		v = stmt_column_text(s, 4);
		str_lcpy(out->token, v ? v : "", sizeof(out->token));
		out->verified = !stmt_column_is_null(s, 5);
	}
	stmt_finalize(s);
	return r;
}

int tenant_asset_verified(struct store *st, const struct authz_ctx *az, int64_t id,
			  const char *method, time_t now)
{
	struct store_stmt *s = NULL;
	struct tenant_asset a;
	int r;

	r = store_begin(st);
	if (r)
		return r;
	r = tenant_asset_get(st, az, id, TENANT_WRITE, &a);
	if (r == 0)
		r = store_prepare(
		    st,
		    "UPDATE assets SET verified_at = ?, verify_method = ? WHERE id = ? "
		    "AND " CAN("org_id", ORGS_WRITE),
		    &s);
	if (r == 0)
		r = tenant_bind_time(s, 1, now);
	if (r == 0)
		r = stmt_bind_text(s, 2, method);
	if (r == 0)
		r = stmt_bind_int64(s, 3, id);
	if (r == 0)
		r = tenant_bind_az(s, 4, az);
	if (r == 0)
		r = exec_done(s);
	stmt_finalize(s);
	if (r == 0)
		r = tenant_audit(st, az, a.org_id, "verify", "asset", method);
	return tenant_end(st, r);
}

int tenant_scan_create(struct store *st, const struct authz_ctx *az, int64_t asset_id, time_t now,
		       int64_t *scan_id, char target[256])
{
	struct store_stmt *s = NULL;
	struct tenant_asset a;
	int r;

	r = store_begin(st);
	if (r)
		return r;
	r = tenant_asset_get(st, az, asset_id, TENANT_WRITE, &a);
	if (r == 0 && !a.verified)
		r = ERR_PERM;
	if (r == 0)
		r = store_prepare(
		    st,
		    "INSERT INTO scans (org_id, asset_id, target, started_at, status) "
		    "VALUES (?, ?, ?, ?, 'queued') RETURNING id",
		    &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, a.org_id);
	if (r == 0)
		r = stmt_bind_int64(s, 2, a.id);
	if (r == 0)
		r = stmt_bind_text(s, 3, a.value);
	if (r == 0)
		r = tenant_bind_time(s, 4, now);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		*scan_id = stmt_column_int64(s, 0);
		r = stmt_step(s) < 0 ? ERR_DB : 0;
	} else if (r >= 0) {
		r = ERR_DB;
	}
	stmt_finalize(s);
	if (r == 0)
		r = tenant_audit(st, az, a.org_id, "scan", "asset", a.value);
	r = tenant_end(st, r);
	if (r == 0)
		str_lcpy(target, a.value, 256);
	return r;
}

int tenant_scan_get(struct store *st, const struct authz_ctx *az, int64_t id, struct buf *out)
{
	static const char *const cols[] = {"i:id",     "i:org_id",     "i:asset_id",
					   "s:target", "s:started_at", "s:finished_at",
					   "s:status", "i:findings",   NULL};
	struct store_stmt *s = NULL;
	int r;

	r = tenant_prepare_id(
	    st,
	    "SELECT s.id, s.org_id, s.asset_id, s.target, s.started_at, "
	    "s.finished_at, s.status, (SELECT COUNT(*) FROM findings f WHERE "
	    "f.scan_id = s.id) FROM scans s WHERE s.id = ? AND " CAN("s.org_id", ORGS_READ),
	    id, az, &s);
	if (r == 0)
		r = json_one(out, s, cols);
	stmt_finalize(s);
	return r;
}
