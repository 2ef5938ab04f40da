/*
 * demo.c: the demo of "make run" ("wachter serve --demo"). Seeding, in one
 * transaction and idempotent: an operator (unless one exists), the company
 * "Demo B.V." with its admin, and its asset "host 127.0.0.1" verified by
 * operator attestation, each change with its audit_log row. At server
 * start: a scan of that asset in the worker pool, unless one finished in
 * the last hour (so restarts do not pile scans up).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "auth/auth.h"
#include "config/config.h"
#include "core/core.h"
#include "server/server_int.h"
#include "store/store.h"

#define DEMO_SECTOR "M" /* data/sectors.tsv: consultancy, research */
#define DEMO_SIZE "micro"
#define DEMO_RESCAN_S 3600

/* A statement that returns no rows. */
static int exec_done(struct store_stmt *s)
{
	int r = stmt_step(s);

	return r == STORE_DONE ? 0 : r < 0 ? r : ERR_DB;
}

/* Step a statement whose first column is an id: 0 with *id on a row,
 * ERR_NOTFOUND when there is none. */
static int step_id(struct store_stmt *s, int64_t *id)
{
	int r = stmt_step(s);

	if (r == STORE_ROW) {
		*id = stmt_column_int64(s, 0);
		return 0;
	}
	return r == STORE_DONE ? ERR_NOTFOUND : r < 0 ? r : ERR_DB;
}

static int bind_now(struct store_stmt *s, int idx, time_t now)
{
	char ts[TIME_RFC3339_LEN];
	int r = time_rfc3339(now, ts);

	return r ? r : stmt_bind_text(s, idx, ts);
}

/* The first operator, or a new one (the --init-operator code path). */
static int seed_operator(struct store *st, time_t now, struct srv_demo *d)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(
	    st, "SELECT id, email FROM users WHERE is_operator = 1 ORDER BY id LIMIT 1", &s);

	if (r == 0)
		r = step_id(s, &d->operator_id);
	if (r == 0) {
		const char *e = stmt_column_text(s, 1);

		str_lcpy(d->operator_email, e ? e : "", sizeof(d->operator_email));
	}
	stmt_finalize(s);
	if (r != ERR_NOTFOUND)
		return r;
	str_lcpy(d->operator_email, SRV_DEMO_OPERATOR, sizeof(d->operator_email));
	r = auth_init_operator(st, d->operator_email, d->operator_pw, &d->operator_id);
	if (r == 0)
		r = api_audit_row(st, now, d->operator_id, 0, "create", "operator",
				  "seeded for the demo (wachter serve --demo)");
	return r;
}

/* The company's admin user, created with a generated password. */
static int seed_admin(struct store *st, time_t now, struct srv_demo *d)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st, "SELECT id FROM users WHERE email = ?", &s);

	str_lcpy(d->admin_email, SRV_DEMO_ADMIN, sizeof(d->admin_email));
	if (r == 0)
		r = stmt_bind_text(s, 1, d->admin_email);
	if (r == 0)
		r = step_id(s, &d->admin_id);
	stmt_finalize(s);
	if (r != ERR_NOTFOUND)
		return r;
	auth_token_new(d->admin_pw);
	r = auth_user_create(st, d->admin_email, d->admin_pw, 0, &d->admin_id);
	if (r == 0)
		r = api_audit_row(st, now, d->admin_id, 0, "create", "user",
				  "seeded for the demo (wachter serve --demo)");
	return r;
}

/* "Demo B.V." with the demo admin as its admin (as POST /api/orgs). */
static int seed_org(struct store *st, time_t now, struct srv_demo *d)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st,
			      "SELECT o.id FROM organisations o JOIN memberships m ON m.org_id = "
			      "o.id WHERE m.user_id = ? AND m.role = 'admin' AND o.name = ? "
			      "ORDER BY o.id LIMIT 1",
			      &s);

	if (r == 0)
		r = stmt_bind_int64(s, 1, d->admin_id);
	if (r == 0)
		r = stmt_bind_text(s, 2, SRV_DEMO_ORG);
	if (r == 0)
		r = step_id(s, &d->org_id);
	stmt_finalize(s);
	if (r != ERR_NOTFOUND)
		return r;
	r = api_org_seed(st, now, d->admin_id, SRV_DEMO_ORG, DEMO_SECTOR, DEMO_SIZE, &d->org_id);
	if (r == 0)
		d->org_created = 1;
	return r;
}

/* "host 127.0.0.1", verified by the operator's attestation. */
static int seed_asset(struct store *st, time_t now, struct srv_demo *d)
{
	struct store_stmt *s = NULL;
	char tok[AUTH_TOKEN_SIZE];
	int verified = 0;
	int r = store_prepare(st,
			      "SELECT id, CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END FROM "
			      "assets WHERE org_id = ? AND kind = 'host' AND value = ?",
			      &s);

	if (r == 0)
		r = stmt_bind_int64(s, 1, d->org_id);
	if (r == 0)
		r = stmt_bind_text(s, 2, SRV_DEMO_ASSET);
	if (r == 0)
		r = step_id(s, &d->asset_id);
	if (r == 0)
		verified = stmt_column_int64(s, 1) != 0;
	stmt_finalize(s);
	s = NULL;
	if (r == ERR_NOTFOUND) {
		auth_token_new(tok);
		r = store_prepare(st,
				  "INSERT INTO assets (org_id, kind, value, verify_token) VALUES "
				  "(?, 'host', ?, ?) RETURNING id",
				  &s);
		if (r == 0)
			r = stmt_bind_int64(s, 1, d->org_id);
		if (r == 0)
			r = stmt_bind_text(s, 2, SRV_DEMO_ASSET);
		if (r == 0)
			r = stmt_bind_text(s, 3, tok);
		if (r == 0)
			r = step_id(s, &d->asset_id);
		if (r == ERR_NOTFOUND)
			r = ERR_DB;
		stmt_finalize(s);
		s = NULL;
		if (r == 0)
			r = api_audit_row(st, now, d->operator_id, d->org_id, "create", "asset",
					  SRV_DEMO_ASSET);
	}
	if (r || verified)
		return r;
	r = store_prepare(
	    st, "UPDATE assets SET verified_at = ?, verify_method = 'operator' WHERE id = ?", &s);
	if (r == 0)
		r = bind_now(s, 1, now);
	if (r == 0)
		r = stmt_bind_int64(s, 2, d->asset_id);
	if (r == 0)
		r = exec_done(s);
	stmt_finalize(s);
	if (r == 0)
		r = api_audit_row(
		    st, now, d->operator_id, d->org_id, "verify", "asset",
		    "operator (attested: seeded for the demo by wachter serve --demo)");
	if (r == 0)
		d->asset_verified_now = 1;
	return r;
}

int srv_demo_seed(struct store *st, time_t now, struct srv_demo *out)
{
	struct srv_demo d;
	int r;

	memset(&d, 0, sizeof(d));
	r = store_begin(st);
	if (r)
		return r;
	r = seed_operator(st, now, &d);
	if (r == 0)
		r = seed_admin(st, now, &d);
	if (r == 0)
		r = seed_org(st, now, &d);
	if (r == 0)
		r = seed_asset(st, now, &d);
	if (r == 0)
		r = store_commit(st);
	else
		store_rollback(st);
	if (r == 0)
		*out = d;
	mem_zero(&d, sizeof(d));
	return r;
}

/* The demo asset (verified) of the demo admin's "Demo B.V.". */
static int demo_asset(struct store *st, int64_t *asset_id, int64_t *org_id)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st,
			      "SELECT a.id, a.org_id FROM assets a JOIN organisations o ON o.id = "
			      "a.org_id JOIN memberships m ON m.org_id = o.id AND m.role = 'admin' "
			      "JOIN users u ON u.id = m.user_id WHERE u.email = ? AND o.name = ? "
			      "AND a.kind = 'host' AND a.value = ? AND a.verified_at IS NOT NULL "
			      "ORDER BY a.id LIMIT 1",
			      &s);

	if (r == 0)
		r = stmt_bind_text(s, 1, SRV_DEMO_ADMIN);
	if (r == 0)
		r = stmt_bind_text(s, 2, SRV_DEMO_ORG);
	if (r == 0)
		r = stmt_bind_text(s, 3, SRV_DEMO_ASSET);
	if (r == 0)
		r = step_id(s, asset_id);
	if (r == 0)
		*org_id = stmt_column_int64(s, 1);
	stmt_finalize(s);
	return r;
}

/* The newest scan of the asset that finished and started after since. */
static int recent_scan(struct store *st, int64_t asset_id, time_t since, int64_t *scan_id)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st,
			      "SELECT id FROM scans WHERE asset_id = ? AND status IN ('done', "
			      "'incomplete') AND started_at >= ? ORDER BY id DESC LIMIT 1",
			      &s);

	if (r == 0)
		r = stmt_bind_int64(s, 1, asset_id);
	if (r == 0)
		r = bind_now(s, 2, since);
	if (r == 0)
		r = step_id(s, scan_id);
	stmt_finalize(s);
	return r;
}

int srv_demo_scan_row(struct store *st, time_t now, int64_t *scan_id, int *fresh)
{
	struct store_stmt *s = NULL;
	int64_t asset_id = 0, org_id = 0, id = 0;
	int r = store_begin(st);

	if (r)
		return r;
	r = demo_asset(st, &asset_id, &org_id);
	if (r == 0) {
		r = recent_scan(st, asset_id, now - DEMO_RESCAN_S, &id);
		if (r == 0) {
			*fresh = 0;
			*scan_id = id;
			store_rollback(st);
			return 0;
		}
	}
	if (r == ERR_NOTFOUND && asset_id)
		r = store_prepare(
		    st,
		    "INSERT INTO scans (org_id, asset_id, target, started_at, status) "
		    "VALUES (?, ?, ?, ?, 'queued') RETURNING id",
		    &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, org_id);
	if (r == 0)
		r = stmt_bind_int64(s, 2, asset_id);
	if (r == 0)
		r = stmt_bind_text(s, 3, SRV_DEMO_ASSET);
	if (r == 0)
		r = bind_now(s, 4, now);
	if (r == 0)
		r = step_id(s, &id);
	if (r == ERR_NOTFOUND && s)
		r = ERR_DB;
	stmt_finalize(s);
	if (r == 0)
		r = api_audit_row(st, now, 0, org_id, "scan", "asset",
				  SRV_DEMO_ASSET " (the demo scan at server start)");
	if (r == 0)
		r = store_commit(st);
	else
		store_rollback(st);
	if (r == 0) {
		*fresh = 1;
		*scan_id = id;
	}
	return r;
}

/* Mark a queued scan that never reached the pool as failed. */
static void scan_unqueued(struct store *st, int64_t id, time_t now)
{
	struct store_stmt *s = NULL;
	int r =
	    store_prepare(st,
			  "UPDATE scans SET status = 'failed', finished_at = ? WHERE id = ? AND "
			  "status = 'queued'",
			  &s);

	if (r == 0)
		r = bind_now(s, 1, now);
	if (r == 0)
		r = stmt_bind_int64(s, 2, id);
	if (r == 0)
		r = exec_done(s);
	stmt_finalize(s);
}

void srv_demo_on_start(void *arg, const struct wachter_config *cfg, struct logger *lg,
		       struct api_scanq *q)
{
	struct store_opts so = {.busy_timeout_ms = (int)cfg->store_busy_timeout_ms};
	struct store *st = NULL;
	int64_t id = 0;
	int fresh = 0, r;

	(void)arg;
	r = store_open(cfg->store_url, &so, lg, &st);
	if (r == 0)
		r = srv_demo_scan_row(st, time(NULL), &id, &fresh);
	if (r == 0 && fresh) {
		r = api_scanq_push(q, id, SRV_DEMO_ASSET);
		if (r) {
			LOG_ERROR(lg, "demo scan not queued scan=%lld err=%s", (long long)id,
				  err_str(r));
			scan_unqueued(st, id, time(NULL));
		}
	}
	if (r == ERR_NOTFOUND)
		LOG_WARN(lg, "no demo company to scan (wachter serve --demo seeds it)");
	else if (r)
		LOG_ERROR(lg, "demo scan not started err=%s db=\"%s\"", err_str(r),
			  store_errmsg(st));
	else if (fresh)
		printf("demo: scan %lld of %s queued (the worker pool runs it now)\n",
		       (long long)id, SRV_DEMO_ASSET);
	else
		printf("demo: scan %lld of %s finished within the last hour; no new scan\n",
		       (long long)id, SRV_DEMO_ASSET);
	store_close(st);
	printf("demo: serving http://%s/ ; sign in as %s (Demo B.V.) or as the operator; "
	       "Ctrl-C stops it\n",
	       cfg->serve_listen, SRV_DEMO_ADMIN);
	fflush(stdout);
}
