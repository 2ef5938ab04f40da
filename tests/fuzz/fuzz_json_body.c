/*
 * fuzz_json_body.c: API request bodies on arbitrary bytes, through the
 * same parser the handlers use (JSON object, duplicate keys refused,
 * unknown fields refused). No crash; a refusal is a 400 with a JSON error
 * body; an accepted body is an object with only allowed keys.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = {"name",	       "kvk", "sector", "size_class",
					     "partner_org_id", NULL};
	struct api_req rq;
	struct api_resp rs;
	json_t *o = NULL, *back;
	int r;

	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = "/api/orgs";
	rq.body = (const char *)data;
	rq.body_len = size;
	api_resp_init(&rs);
	r = api_body_json(&rq, fields, size & 1, &rs, &o);
	if (r != 0)
		abort();
	if (!o) {
		if (rs.status != 400)
			abort();
		/* The error body is itself valid JSON with an "error" string. */
		back = json_loadb(rs.body.ptr, rs.body.len, 0, NULL);
		if (!back || !json_is_string(json_object_get(back, "error")))
			abort();
		json_decref(back);
	} else {
		struct buf err = BUF_INIT;

		if (!json_is_object(o) || api_json_check_fields(o, fields, &err) != 0)
			abort();
		buf_release(&err);
		json_decref(o);
	}
	api_resp_release(&rs);
	return 0;
}
