/*
 * fuzz_json_body.c: API request bodies on arbitrary bytes, through the
 * same parser the handlers use (JSON object, duplicate keys refused,
 * unknown fields refused). The first byte picks the body shape (the
 * allowed fields of one route's body), the rest is the body. No crash; a
 * refusal is a 400 with a JSON error body; an accepted body is an object
 * with only allowed keys. The password change's body also goes through
 * its own field checks (api_password_body).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_int.h"
#include "auth/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bodies of the routes (docs/api/openapi.yaml). */
static const char *const org[] = {"name", "kvk", "sector", "size_class", "partner_org_id", NULL};
static const char *const login[] = {"email", "password", "totp", NULL};
static const char *const signup[] = {"email",  "password",   "org_name", "kvk",
				     "sector", "size_class", NULL};
static const char *const asset[] = {"kind", "value", NULL};
static const char *const verify[] = {"method", NULL};
static const char *const invite[] = {"email", "role", NULL};
static const char *const accept[] = {"token", "password", NULL};
static const char *const token[] = {"name", NULL};
static const char *const reset[] = {"email", NULL};
static const char *const totp_on[] = {"secret", "code", "password", NULL};
static const char *const totp_off[] = {"code", "password", NULL};
static const char *const password[] = {"current", "new", NULL};
static const char *const none[] = {NULL};
static const char *const *const shapes[] = {org,      login,	signup, asset, verify,
					    invite,   accept,	token,	reset, totp_on,
					    totp_off, password, none};
#define SHAPES (sizeof(shapes) / sizeof(shapes[0]))
#define PASSWORD_SHAPE 11

/* A refusal: a 400 whose body is JSON with an "error" string. */
static void check_refusal(const struct api_resp *rs)
{
	json_t *back;

	if (rs->status != 400)
		abort();
	back = json_loadb(rs->body.ptr, rs->body.len, 0, NULL);
	if (!back || !json_is_string(json_object_get(back, "error")))
		abort();
	json_decref(back);
}

static void check_password(const struct api_req *rq)
{
	const char *cur, *pw;
	struct api_resp rs;
	json_t *o = NULL;

	api_resp_init(&rs);
	if (api_password_body(rq, &rs, &o, &cur, &pw) != 0)
		abort();
	if (!o) {
		check_refusal(&rs);
	} else if (!cur || !pw || strlen(cur) == 0 || strlen(cur) > AUTH_PASSWORD_MAX ||
		   strlen(pw) < AUTH_PASSWORD_MIN || strlen(pw) > AUTH_PASSWORD_MAX ||
		   strlen(cur) != json_string_length(json_object_get(o, "current")) ||
		   strlen(pw) != json_string_length(json_object_get(o, "new"))) {
		abort();
	}
	json_decref(o);
	api_resp_release(&rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *fields;
	struct api_req rq;
	struct api_resp rs;
	json_t *o = NULL;
	size_t shape;
	int r;

	if (size < 1)
		return 0;
	shape = data[0] % SHAPES;
	fields = shapes[shape];
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = "/api/orgs";
	rq.body = (const char *)data + 1;
	rq.body_len = size - 1;
	api_resp_init(&rs);
	r = api_body_json(&rq, fields, size & 1, &rs, &o);
	if (r != 0)
		abort();
	if (!o) {
		check_refusal(&rs);
	} else {
		struct buf err = BUF_INIT;

		if (!json_is_object(o) || api_json_check_fields(o, fields, &err) != 0)
			abort();
		buf_release(&err);
		json_decref(o);
	}
	api_resp_release(&rs);
	if (shape == PASSWORD_SHAPE)
		check_password(&rq);
	return 0;
}
