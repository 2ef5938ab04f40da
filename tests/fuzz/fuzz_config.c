/*
 * fuzz_config.c: the INI reader (config_load_buf) over a demo table with
 * every value type. Besides memory safety it checks two properties: a
 * failure always says "name:..." and a success survives config_show and
 * reading the result back unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

struct fz {
	char name[24];
	int64_t count;
	bool flag;
	int64_t timeout_ms;
	int level;
	char path[64];
	int64_t size;
};

static const char *const levels[] = {"low", "mid", "high", NULL};

static int not_bad(const void *field, struct buf *err)
{
	if (strcmp(field, "bad") != 0)
		return 0;
	return buf_adds(err, "must not be bad") ? ERR_NOMEM : ERR_INVAL;
}

#define F(m) CONFIG_AT(struct fz, m)
static const struct config_opt opts[] = {
    {.name = "main.name",
     .type = CONFIG_STR,
     F(name),
     .def = "demo",
     .validate = not_bad,
     .help = "n"},
    {.name = "main.count",
     .type = CONFIG_INT,
     F(count),
     .def = "3",
     .min = -5,
     .max = 1000,
     .help = "c"},
    {.name = "main.flag", .type = CONFIG_BOOL, F(flag), .def = "no", .help = "f"},
    {.name = "net.timeout_ms",
     .type = CONFIG_DURATION_MS,
     F(timeout_ms),
     .def = "1s",
     .min = 0,
     .max = INT64_MAX,
     .help = "t"},
    {.name = "net.level",
     .type = CONFIG_ENUM,
     F(level),
     .def = "mid",
     .choices = levels,
     .help = "l"},
    {.name = "net.path", .type = CONFIG_PATH, F(path), .def = "", .help = "p"},
    {.name = "net.size", .type = CONFIG_SIZE, F(size), .def = "64k", .help = "s"},
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT, out = BUF_INIT;
	enum config_source src[NOPTS];
	struct fz a, b;
	int r;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (config_defaults(opts, NOPTS, &a, &err) != 0 ||
	    config_defaults(opts, NOPTS, &b, &err) != 0)
		abort();
	r = config_load_buf(opts, NOPTS, &a, "fuzz.conf", (const char *)data, size, src, &err);
	if (r != 0) {
		if (r != ERR_NOMEM && strncmp(err.ptr, "fuzz.conf:", 10) != 0)
			abort();
		goto out;
	}
	if (config_show(opts, NOPTS, &a, src, &out) != 0)
		abort();
	r = config_load_buf(opts, NOPTS, &b, "show", out.ptr, out.len, NULL, &err);
	if (r != 0 || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
out:
	buf_release(&err);
	buf_release(&out);
	return 0;
}
