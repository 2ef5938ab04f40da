/*
 * store_cmd.c: the bodies of "wachter db migrate" and "wachter db status",
 * so src/cmd only parses arguments and prints: each opens the database,
 * does its work and writes a human-readable report or error into a buf.
 */
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

static void add_error(struct buf *out, const char *msg)
{
	if (buf_addf(out, "error: %s\n", msg) != 0)
		return; /* out is full: the returned code still carries the failure */
}

int store_cmd_migrate(const char *url, const struct store_opts *opts, struct logger *lg,
		      struct buf *out)
{
	char msg[STORE_ERRMSG_MAX + 64];
	struct store *st = NULL;
	int from = 0, to = 0, r;

	r = store_open_msg(url, opts, lg, &st, msg, sizeof(msg));
	if (r != 0) {
		add_error(out, msg);
		return r;
	}
	r = store_migrate(st, &from, &to);
	if (r != 0) {
		add_error(out, store_errmsg(st));
		goto out;
	}
	if (from == to)
		r = buf_addf(out, "%s database %s is up to date at schema version %d\n",
			     store_backend_name(st), store_location(st), to);
	else
		r = buf_addf(out, "%s database %s migrated from schema version %d to %d\n",
			     store_backend_name(st), store_location(st), from, to);
out:
	store_close(st);
	return r;
}

int store_cmd_status(const char *url, const struct store_opts *opts, struct logger *lg,
		     struct buf *out)
{
	struct store_opts o = {0, STORE_OPEN_READONLY};
	char msg[STORE_ERRMSG_MAX + 64];
	struct store *st = NULL;
	int cur = 0, latest = 0, r;

	if (opts)
		o.busy_timeout_ms = opts->busy_timeout_ms;
	r = store_open_msg(url, &o, lg, &st, msg, sizeof(msg));
	if (r != 0) {
		add_error(out, msg);
		return r;
	}
	r = store_status(st, out);
	if (r == 0)
		r = store_schema_version(st, &cur, &latest);
	if (r != 0)
		add_error(out, store_errmsg(st));
	else if (cur > latest)
		r = ERR_RANGE;
	store_close(st);
	return r;
}
