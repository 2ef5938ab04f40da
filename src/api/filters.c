/*
 * filters.c: the query-string filters of the list endpoints (findings of
 * a scan, scans of an organisation), parsed from the raw query with
 * api_query_*: unknown, repeated and malformed parameters are ERR_INVAL
 * with a message for the 400.
 */
#include <string.h>

#include "api/api.h"
#include "api/api_int.h"
#include "check/check.h"
#include "core/core.h"

/* The end of a filter: 0, ERR_NOMEM, or ERR_INVAL with a message (a
 * repeated parameter comes back from api_query_get without one). */
static int filter_end(int r, struct buf *err)
{
	if (r == 0 || r == ERR_NOMEM)
		return r;
	if (r != ERR_INVAL || err->len == 0)
		buf_errf(err, "malformed query string or a parameter given twice");
	return ERR_INVAL;
}

/* limit and offset: ERR_INVAL with the message when out of range. */
static int page_params(const char *q, size_t len, int64_t max_limit, int64_t *limit,
		       int64_t *offset, struct buf *err)
{
	int r = api_query_int(q, len, "limit", 1, max_limit, limit);

	if (r == 0 || r == ERR_NOTFOUND)
		r = api_query_int(q, len, "offset", 0, 1000000000, offset);
	if (r == ERR_NOTFOUND)
		return 0;
	if (r == ERR_INVAL)
		buf_errf(err, "limit must be 1..%lld and offset a number", (long long)max_limit);
	return r;
}

int api_findings_filter(const char *q, size_t len, struct tenant_finding_filter *f, struct buf *err)
{
	static const char *const params[] = {"severity", "check",  "audience",
					     "limit",	 "offset", NULL};
	struct buf v = BUF_INIT;
	enum check_sev sev;
	int r;

	memset(f, 0, sizeof(*f));
	f->min_severity = -1;
	f->limit = 500;
	r = api_query_check(q, len, params, err);
	if (r)
		goto out;
	r = api_query_get(q, len, "severity", &v, 16);
	if (r == 0) {
		if (check_sev_parse(v.ptr, &sev) != 0) {
			buf_errf(err, "severity must be info, low, medium, high or critical");
			r = ERR_INVAL;
			goto out;
		}
		f->min_severity = (int)sev;
	}
	if (r == 0 || r == ERR_NOTFOUND)
		r = api_query_get(q, len, "check", &v, sizeof(f->check) - 1);
	if (r == 0) {
		if (strspn(v.ptr, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != v.len) {
			buf_errf(err, "check must be a check id or a prefix such as TLS-");
			r = ERR_INVAL;
			goto out;
		}
		str_lcpy(f->check, v.ptr, sizeof(f->check));
	}
	if (r == 0 || r == ERR_NOTFOUND)
		r = api_query_get(q, len, "audience", &v, 8);
	if (r == 0) {
		f->audience = strcmp(v.ptr, "it") == 0	  ? AUD_IT
			      : strcmp(v.ptr, "web") == 0 ? AUD_WEB
			      : strcmp(v.ptr, "mgt") == 0 ? AUD_MGT
							  : 0;
		if (!f->audience) {
			buf_errf(err, "audience must be it, web or mgt");
			r = ERR_INVAL;
			goto out;
		}
	}
	if (r == 0 || r == ERR_NOTFOUND)
		r = page_params(q, len, 1000, &f->limit, &f->offset, err);
out:
	buf_release(&v);
	return filter_end(r, err);
}

int api_scans_filter(const char *q, size_t len, struct tenant_scan_filter *f, struct buf *err)
{
	static const char *const params[] = {"status", "limit", "offset", NULL};
	static const char *const states[] = {"queued",	    "running",	"done",
					     "incomplete",  "failed",	"canceled",
					     "interrupted", "rejected", NULL};
	struct buf v = BUF_INIT;
	size_t i;
	int r;

	memset(f, 0, sizeof(*f));
	f->limit = 50;
	r = api_query_check(q, len, params, err);
	if (r == 0)
		r = api_query_get(q, len, "status", &v, sizeof(f->status) - 1);
	if (r == 0) {
		for (i = 0; states[i] && strcmp(v.ptr, states[i]) != 0; i++)
			;
		if (!states[i]) {
			buf_errf(err, "status must be queued, running, done, incomplete, failed, "
				      "canceled, interrupted or rejected");
			r = ERR_INVAL;
			goto out;
		}
		str_lcpy(f->status, v.ptr, sizeof(f->status));
	}
	if (r == 0 || r == ERR_NOTFOUND)
		r = page_params(q, len, 200, &f->limit, &f->offset, err);
out:
	buf_release(&v);
	return filter_end(r, err);
}

int api_sector_filter(const char *q, size_t len, char *sector, struct buf *err)
{
	static const char *const params[] = {"sector", NULL};
	struct buf v = BUF_INIT;
	int r;

	*sector = 0;
	r = api_query_check(q, len, params, err);
	if (r == 0)
		r = api_query_get(q, len, "sector", &v, 1);
	if (r == ERR_TOO_BIG ||
	    (r == 0 && (v.len != 1 || v.ptr[0] < 'A' || v.ptr[0] >= 'A' + TENANT_SECTORS))) {
		buf_errf(err, "sector must be an SBI section A..U");
		r = ERR_INVAL;
	} else if (r == 0) {
		*sector = v.ptr[0];
	} else if (r == ERR_NOTFOUND) {
		r = 0;
	}
	buf_release(&v);
	return filter_end(r, err);
}
