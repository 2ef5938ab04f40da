/*
 * fuzz_query.c: query strings of API requests on arbitrary bytes: lookup
 * of a parameter, the unknown-parameter check, the findings and scans
 * filters, the audit log's page and the sector of the aggregates.
 * No crash; a decoded value holds no NUL and stays within its cap; the
 * filters stay in their ranges.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"severity", "check", "audience", "limit", "offset"};
	static const char *const allowed[] = {"severity", "check", NULL};
	const char *q = (const char *)data;
	struct tenant_finding_filter f;
	struct tenant_scan_filter sf;
	int64_t limit, offset;
	char sector;
	struct buf v = BUF_INIT, err = BUF_INIT;
	size_t i;
	int r;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		r = api_query_get(q, size, names[i], &v, 64);
		if (r == 0 && (v.len > 64 || memchr(v.ptr, 0, v.len)))
			abort();
		if (r != 0 && r != ERR_NOTFOUND && r != ERR_PARSE && r != ERR_INVAL &&
		    r != ERR_TOO_BIG)
			abort();
	}
	r = api_query_check(q, size, allowed, &err);
	if (r != 0 && r != ERR_INVAL && r != ERR_PARSE)
		abort();
	r = api_findings_filter(q, size, &f, &err);
	if (r == 0 && (f.min_severity < -1 || f.min_severity > 4 || f.limit < 1 || f.limit > 1000 ||
		       f.offset < 0 || strlen(f.check) >= sizeof(f.check)))
		abort();
	if (r != 0 && r != ERR_INVAL)
		abort();
	r = api_scans_filter(q, size, &sf, &err);
	if (r == 0 && (sf.limit < 1 || sf.limit > 200 || sf.offset < 0 ||
		       strlen(sf.status) >= sizeof(sf.status)))
		abort();
	if (r != 0 && r != ERR_INVAL)
		abort();
	r = api_audit_filter(q, size, &limit, &offset, &err);
	if ((r == 0 && (limit < 1 || limit > ACCOUNT_AUDIT_LIMIT_MAX || offset < 0 ||
			offset > ACCOUNT_AUDIT_OFFSET_MAX)) ||
	    (r != 0 && r != ERR_INVAL))
		abort();
	r = api_sector_filter(q, size, &sector, &err);
	if ((r == 0 && sector != 0 && (sector < 'A' || sector > 'U')) || (r != 0 && r != ERR_INVAL))
		abort();
	buf_release(&v);
	buf_release(&err);
	return 0;
}
