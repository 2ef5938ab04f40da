/*
 * store_scan.c: writers for the scan pipeline (a scan row, its findings),
 * in the portable SQL subset with bound parameters only, so they run
 * unchanged on every backend.
 */
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

/* Bind t as an RFC 3339 UTC string, or NULL when t is 0. */
static int bind_time(struct store_stmt *s, int idx, time_t t)
{
	char ts[TIME_RFC3339_LEN];
	int r;

	if (t == 0)
		return stmt_bind_null(s, idx);
	r = time_rfc3339(t, ts);
	if (r != 0)
		return store_set_err(s->st, r, STORE_ERRCLASS_OTHER, "time %lld out of range",
				     (long long)t);
	return stmt_bind_text(s, idx, ts);
}

/* Step an INSERT ... RETURNING id and read the id. */
static int step_returning_id(struct store_stmt *s, int64_t *id)
{
	int r = stmt_step(s);

	if (r < 0)
		return r;
	if (r != STORE_ROW)
		return store_set_err(s->st, ERR_DB, STORE_ERRCLASS_OTHER, "insert returned no id");
	*id = stmt_column_int64(s, 0);
	r = stmt_step(s);
	return r < 0 ? r : 0;
}

int store_scan_save(struct store *st, const char *target, time_t started, time_t finished,
		    const char *status, int64_t *scan_id)
{
	struct store_stmt *s = NULL;
	int64_t id = 0;
	int r;

	store_clear_err(st);
	if (!target || !*target || !status || !*status || !scan_id)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "scan needs a target and a status");
	if (started <= 0 || (finished != 0 && finished < started))
		return store_set_err(st, ERR_RANGE, STORE_ERRCLASS_OTHER,
				     "scan times out of range");
	r = store_prepare(st,
			  "INSERT INTO scans (org_id, target, started_at, finished_at, status) "
			  "VALUES (NULL, ?, ?, ?, ?) RETURNING id",
			  &s);
	if (r != 0)
		return r;
	r = stmt_bind_text(s, 1, target);
	if (r == 0)
		r = bind_time(s, 2, started);
	if (r == 0)
		r = bind_time(s, 3, finished);
	if (r == 0)
		r = stmt_bind_text(s, 4, status);
	if (r == 0)
		r = step_returning_id(s, &id);
	stmt_finalize(s);
	if (r == 0)
		*scan_id = id;
	return r;
}

int store_finding_add(struct store *st, int64_t scan_id, const char *check_id, int severity,
		      int confidence, const char *target, int port, const char *title,
		      const char *evidence)
{
	struct store_stmt *s = NULL;
	int r;

	store_clear_err(st);
	if (!check_id || !*check_id || !target || !*target || !title || !*title)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "finding needs a check id, a target and a title");
	if (severity < 0 || severity > 4 || confidence < 0 || port < -1 || port > 65535)
		return store_set_err(st, ERR_RANGE, STORE_ERRCLASS_OTHER,
				     "finding severity %d, confidence %d or port %d out of range",
				     severity, confidence, port);
	r = store_prepare(st,
			  "INSERT INTO findings (scan_id, check_id, severity, confidence, target, "
			  "port, title, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			  &s);
	if (r != 0)
		return r;
	r = stmt_bind_int64(s, 1, scan_id);
	if (r == 0)
		r = stmt_bind_text(s, 2, check_id);
	if (r == 0)
		r = stmt_bind_int64(s, 3, severity);
	if (r == 0)
		r = stmt_bind_int64(s, 4, confidence);
	if (r == 0)
		r = stmt_bind_text(s, 5, target);
	if (r == 0)
		r = port < 0 ? stmt_bind_null(s, 6) : stmt_bind_int64(s, 6, port);
	if (r == 0)
		r = stmt_bind_text(s, 7, title);
	if (r == 0)
		r = stmt_bind_text(s, 8, evidence);
	if (r == 0)
		r = stmt_step(s);
	stmt_finalize(s);
	return r == STORE_DONE ? 0 : (r < 0 ? r : ERR_DB);
}
