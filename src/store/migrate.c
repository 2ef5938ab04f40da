/*
 * migrate.c: the migration runner and the status report. Each pending
 * migration runs in its own transaction together with its schema_version
 * row, so the database is always at exactly one known version: a failing
 * migration leaves no trace. A database newer than the binary is refused.
 */
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

static const char *migration_sql(const struct store *st, const struct store_migration *m)
{
	return st->ops->dialect == STORE_DIALECT_POSTGRES ? m->sql_postgres : m->sql_sqlite;
}

int store_migrations_check(struct store *st, const struct store_migration *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct store_migration *m = &list[i];

		if (m->version != (int)i + 1)
			return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
					     "migration list: entry %zu has version %d, want %zu",
					     i, m->version, i + 1);
		if (!m->name || !*m->name)
			return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
					     "migration %d has no name", m->version);
		if (!migration_sql(st, m))
			return store_set_err(st, ERR_UNSUPP, STORE_ERRCLASS_OTHER,
					     "migration %d (%s) has no %s version", m->version,
					     m->name, st->ops->name);
	}
	return 0;
}

int store_current_version(struct store *st, int *current)
{
	struct store_stmt *s = NULL;
	int exists = 0, r;
	int64_t v;

	r = st->ops->table_exists(st, "schema_version", &exists);
	if (r != 0)
		return r;
	if (!exists) {
		*current = 0;
		return 0;
	}
	r = store_prepare(st, "SELECT COALESCE(MAX(version), 0) FROM schema_version", &s);
	if (r != 0)
		return r;
	r = stmt_step(s);
	if (r != STORE_ROW) {
		r = r < 0 ? r : store_set_err(st, ERR_DB, STORE_ERRCLASS_OTHER, "no version row");
		goto out;
	}
	v = stmt_column_int64(s, 0);
	if (v < 0 || v > 1000000) {
		r = store_set_err(st, ERR_RANGE, STORE_ERRCLASS_OTHER,
				  "schema_version holds an impossible version %lld", (long long)v);
		goto out;
	}
	*current = (int)v;
	r = 0;
out:
	stmt_finalize(s);
	return r;
}

static int record_version(struct store *st, const struct store_migration *m)
{
	char now[TIME_RFC3339_LEN];
	struct store_stmt *s = NULL;
	int r;

	r = time_rfc3339(time(NULL), now);
	if (r != 0)
		return r;
	r = store_prepare(st,
			  "INSERT INTO schema_version (version, name, applied_at) "
			  "VALUES (?, ?, ?)",
			  &s);
	if (r != 0)
		return r;
	r = stmt_bind_int64(s, 1, m->version);
	if (r == 0)
		r = stmt_bind_text(s, 2, m->name);
	if (r == 0)
		r = stmt_bind_text(s, 3, now);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW)
		r = store_set_err(st, ERR_DB, STORE_ERRCLASS_OTHER, "insert returned a row");
	stmt_finalize(s);
	return r;
}

/*
 * Apply m in one transaction. The version is re-read under the write lock
 * so a concurrent migrator that got there first makes this a no-op.
 * *cur is updated to the version the database is at afterwards.
 */
static int apply_one(struct store *st, const struct store_migration *m, int *cur)
{
	char msg[STORE_ERRMSG_MAX];
	const char *sql = migration_sql(st, m);
	int64_t t0 = time_now_ms();
	int v = 0, r;

	r = store_begin(st);
	if (r != 0)
		goto fail;
	r = store_current_version(st, &v);
	if (r != 0)
		goto fail;
	if (v >= m->version) {
		r = store_commit(st);
		if (r == 0)
			*cur = v;
		return r;
	}
	if (*sql) {
		r = st->ops->exec(st, sql);
		if (r != 0)
			goto fail;
	}
	r = record_version(st, m);
	if (r != 0)
		goto fail;
	r = store_commit(st); /* rolls back by itself on failure */
	if (r != 0)
		goto fail;
	*cur = m->version;
	LOG_INFO(st->lg, "store: applied migration version=%d name=%s ms=%lld", m->version, m->name,
		 (long long)(time_now_ms() - t0));
	return 0;
fail:
	str_lcpy(msg, st->errmsg, sizeof(msg));
	if (st->in_tx)
		(void)store_rollback(st);
	store_set_err(st, r, st->errclass, "migration %d (%s) failed and was rolled back: %s",
		      m->version, m->name, msg);
	LOG_ERROR(st->lg, "store: %s", st->errmsg);
	return r;
}

int store_migrate_list(struct store *st, const struct store_migration *list, size_t n, int *from,
		       int *to)
{
	int latest = n ? list[n - 1].version : 0;
	int start = 0, cur = 0, r;

	store_clear_err(st);
	if (st->in_tx)
		return store_set_err(st, ERR_INVAL, STORE_ERRCLASS_OTHER,
				     "cannot migrate inside a transaction");
	r = store_migrations_check(st, list, n);
	if (r != 0)
		return r;
	r = store_current_version(st, &start);
	if (r != 0)
		return r;
	if (start > latest) {
		store_set_err(st, ERR_RANGE, STORE_ERRCLASS_OTHER,
			      "database schema version %d is newer than this wachter knows (%d); "
			      "refusing to touch it: upgrade wachter",
			      start, latest);
		LOG_ERROR(st->lg, "store: %s", st->errmsg);
		return ERR_RANGE;
	}
	cur = start;
	for (size_t i = 0; i < n; i++) {
		if (list[i].version <= cur)
			continue;
		r = apply_one(st, &list[i], &cur);
		if (r != 0)
			return r;
	}
	if (from)
		*from = start;
	if (to)
		*to = cur;
	return 0;
}

int store_migrate(struct store *st, int *from, int *to)
{
	size_t n;
	const struct store_migration *list = store_migrations(&n);

	return store_migrate_list(st, list, n, from, to);
}

int store_schema_version(struct store *st, int *current, int *latest)
{
	size_t n;
	const struct store_migration *list = store_migrations(&n);
	int cur = 0, r;

	store_clear_err(st);
	r = store_current_version(st, &cur);
	if (r != 0)
		return r;
	if (current)
		*current = cur;
	if (latest)
		*latest = n ? list[n - 1].version : 0;
	return 0;
}

int store_status_list(struct store *st, const struct store_migration *list, size_t n,
		      struct buf *out)
{
	int latest = n ? list[n - 1].version : 0;
	size_t orig = out->len, pending = 0;
	int cur = 0, r;

	store_clear_err(st);
	r = store_current_version(st, &cur);
	if (r != 0)
		return r;
	r = buf_addf(out, "backend: %s\nlocation: %s\nschema version: %d (latest known: %d)\n",
		     st->ops->name, st->location, cur, latest);
	if (r != 0)
		goto out;
	if (cur > latest) {
		r = buf_adds(out, "state: database is NEWER than this wachter; upgrade wachter\n");
		goto backend;
	}
	for (size_t i = 0; i < n; i++)
		pending += list[i].version > cur;
	r = buf_addf(out, "state: %s\npending migrations: %zu\n",
		     pending ? "migrations pending (run wachter db migrate)" : "up to date",
		     pending);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (list[i].version > cur)
			r = buf_addf(out, "  %d %s\n", list[i].version, list[i].name);
backend:
	if (r == 0)
		r = st->ops->status(st, out);
out:
	if (r != 0)
		buf_truncate(out, orig);
	return r;
}

int store_status(struct store *st, struct buf *out)
{
	size_t n;
	const struct store_migration *list = store_migrations(&n);

	return store_status_list(st, list, n, out);
}
