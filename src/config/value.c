/*
 * value.c: parsing, checking and formatting of single configuration values
 * (integers, booleans, durations, sizes, enums, strings), shared by the file,
 * environment and flag loaders and by the generators.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

struct unit {
	const char *name;
	int64_t mult;
};

/* Longest suffix first so "ms" wins over "m". */
static const struct unit duration_units[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000},
};

static const char *const bool_true[] = {"yes", "true", "on", "1"};
static const char *const bool_false[] = {"no", "false", "off", "0"};

void config_fail(struct buf *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	buf_reset(err);
	va_start(ap, fmt);
	if (buf_vaddf(err, fmt, ap) != 0)
		buf_reset(err);
	va_end(ap);
}

int config_add_excerpt(struct buf *b, const char *s, size_t len)
{
	size_t n = len > CONFIG_EXCERPT_MAX ? CONFIG_EXCERPT_MAX : len;
	int r = buf_addch(b, '\'');

	if (r == 0)
		r = buf_add_printable(b, s, n);
	if (r == 0 && n < len)
		r = buf_adds(b, "...");
	if (r == 0)
		r = buf_addch(b, '\'');
	return r;
}

static int name_ch(unsigned char c)
{
	c = (unsigned char)tolower(c);
	return c == '-' ? '_' : c;
}

int config_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (name_ch((unsigned char)a[i]) != name_ch((unsigned char)b[i]))
			return 0;
	return 1;
}

size_t config_section_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? (size_t)(dot - name) : 0;
}

static int eq_ci(const char *s, size_t len, const char *word)
{
	struct cursor c;

	cursor_init(&c, s, len);
	return cursor_eq_ci(&c, word);
}

int config_parse_bool(const char *s, size_t len, bool *v)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bool_true); i++) {
		if (eq_ci(s, len, bool_true[i])) {
			*v = true;
			return 0;
		}
		if (eq_ci(s, len, bool_false[i])) {
			*v = false;
			return 0;
		}
	}
	return ERR_PARSE;
}

int config_parse_duration(const char *s, size_t len, int64_t *ms)
{
	struct cursor c;
	int64_t total = 0;
	int parts = 0;

	cursor_init(&c, s, len);
	if (len == 0)
		return ERR_PARSE;
	while (c.len) {
		uint64_t v;
		int64_t mult = 0;
		size_t i;
		int r = cursor_uint(&c, INT64_MAX, &v);

		if (r)
			return r;
		for (i = 0; i < ARRAY_SIZE(duration_units); i++) {
			if (cursor_expect(&c, duration_units[i].name) == 0) {
				mult = duration_units[i].mult;
				break;
			}
		}
		if (!mult) {
			/* A bare number means milliseconds, but only on its own. */
			if (parts || c.len)
				return ERR_PARSE;
			mult = 1;
		}
		if (v > (uint64_t)((INT64_MAX - total) / mult))
			return ERR_RANGE;
		total += (int64_t)v * mult;
		parts++;
	}
	*ms = total;
	return 0;
}

int config_parse_size(const char *s, size_t len, int64_t *bytes)
{
	static const char shifts[] = "kmgt";
	struct cursor c;
	uint64_t v;
	unsigned shift = 0;
	const char *p;
	int r;

	cursor_init(&c, s, len);
	r = cursor_uint(&c, INT64_MAX, &v);
	if (r)
		return r;
	if (c.len && c.p[0] && (p = strchr(shifts, tolower(c.p[0]))) != NULL) {
		shift = 10u * (unsigned)(p - shifts + 1);
		c.p++;
		c.len--;
		if (c.len && tolower(c.p[0]) == 'i') {
			c.p++;
			c.len--;
			if (!c.len)
				return ERR_PARSE; /* "10Mi" */
		}
	}
	if (c.len && tolower(c.p[0]) == 'b') {
		c.p++;
		c.len--;
	}
	if (c.len)
		return ERR_PARSE;
	if (v > ((uint64_t)INT64_MAX >> shift))
		return ERR_RANGE;
	*bytes = (int64_t)(v << shift);
	return 0;
}

static int parse_int(const char *s, size_t len, int64_t *out)
{
	struct cursor c;
	uint64_t v;
	int neg = 0, r;

	cursor_init(&c, s, len);
	if (c.len && c.p[0] == '-') {
		neg = 1;
		c.p++;
		c.len--;
	}
	r = cursor_uint(&c, INT64_MAX, &v);
	if (r)
		return r;
	if (c.len)
		return ERR_PARSE;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int config_format_duration(int64_t ms, struct buf *out)
{
	size_t i;

	for (i = ARRAY_SIZE(duration_units) - 1; ms != 0 && i > 0; i--)
		if (ms % duration_units[i].mult == 0)
			return buf_addf(out, "%" PRId64 "%s", ms / duration_units[i].mult,
					duration_units[i].name);
	return buf_addf(out, "%" PRId64 "ms", ms);
}

int config_format_size(int64_t bytes, struct buf *out)
{
	static const char suffix[] = "kMGT";
	int i;

	for (i = 3; bytes != 0 && i >= 0; i--) {
		int64_t unit = (int64_t)1 << (10 * (i + 1));

		if (bytes % unit == 0)
			return buf_addf(out, "%" PRId64 "%c", bytes / unit, suffix[i]);
	}
	return buf_addf(out, "%" PRId64, bytes);
}

static int format_number(const struct config_opt *o, int64_t v, struct buf *out)
{
	if (o->type == CONFIG_DURATION_MS)
		return config_format_duration(v, out);
	if (o->type == CONFIG_SIZE)
		return config_format_size(v, out);
	return buf_addf(out, "%" PRId64, v);
}

static const char *type_word(enum config_type t)
{
	switch (t) {
	case CONFIG_INT:
		return "an integer";
	case CONFIG_BOOL:
		return "a boolean (yes/no, true/false, on/off, 1/0)";
	case CONFIG_DURATION_MS:
		return "a duration";
	case CONFIG_SIZE:
		return "a size";
	case CONFIG_ENUM:
	case CONFIG_STR:
	case CONFIG_PATH:
		break;
	}
	return "valid";
}

/* why = "value 'v' for name ", or "value for name " for a secret */
static int why_head(struct buf *why, const struct config_opt *o, const char *v, size_t len)
{
	int r;

	buf_reset(why);
	r = buf_adds(why, "value ");
	if (r == 0 && !(o->flags & (CONFIG_F_SECRET | CONFIG_F_SECRET_URL)))
		r = config_add_excerpt(why, v, len);
	if (r == 0)
		r = buf_addf(why, "%sfor %s ",
			     o->flags & (CONFIG_F_SECRET | CONFIG_F_SECRET_URL) ? "" : " ",
			     o->name);
	return r;
}

static int why_range(struct buf *why, const struct config_opt *o, const char *v, size_t len)
{
	int r = why_head(why, o, v, len);

	if (r == 0)
		r = buf_adds(why, "is out of range ");
	if (r == 0)
		r = format_number(o, o->min, why);
	if (r == 0)
		r = buf_adds(why, "..");
	if (r == 0)
		r = format_number(o, o->max, why);
	return r ? r : ERR_RANGE;
}

static int parse_enum(const struct config_opt *o, const char *v, size_t len, int *idx,
		      struct buf *why)
{
	size_t i;
	int r;

	for (i = 0; o->choices && o->choices[i]; i++) {
		if (eq_ci(v, len, o->choices[i])) {
			*idx = (int)i;
			return 0;
		}
	}
	r = why_head(why, o, v, len);
	if (r == 0)
		r = buf_adds(why, "is not one of ");
	for (i = 0; r == 0 && o->choices && o->choices[i]; i++)
		r = buf_addf(why, "%s%s", i ? "|" : "", o->choices[i]);
	return r ? r : ERR_INVAL;
}

static int parse_string(const struct config_opt *o, const char *v, size_t len, char *field,
			struct buf *why)
{
	if (memchr(v, '\0', len)) {
		buf_reset(why);
		return buf_addf(why, "value for %s contains a NUL byte", o->name) ? ERR_NOMEM
										  : ERR_INVAL;
	}
	if (len >= o->size) {
		buf_reset(why);
		return buf_addf(why, "value for %s is too long (max %zu bytes)", o->name,
				o->size - 1)
			   ? ERR_NOMEM
			   : ERR_TOO_BIG;
	}
	memcpy(field, v, len);
	return 0;
}

static int parse_number(const struct config_opt *o, const char *v, size_t len, int64_t *x)
{
	switch (o->type) {
	case CONFIG_DURATION_MS:
		return config_parse_duration(v, len, x);
	case CONFIG_SIZE:
		return config_parse_size(v, len, x);
	default:
		return parse_int(v, len, x);
	}
}

/* Parse into field (o->size zeroed bytes, the representation in the struct). */
static int parse_value(const struct config_opt *o, const char *v, size_t len, void *field,
		       struct buf *why)
{
	int64_t x;
	bool b;
	int r;

	switch (o->type) {
	case CONFIG_STR:
	case CONFIG_PATH:
		return parse_string(o, v, len, field, why);
	case CONFIG_ENUM:
		return parse_enum(o, v, len, (int *)field, why);
	case CONFIG_BOOL:
		r = config_parse_bool(v, len, &b);
		if (r == 0)
			*(bool *)field = b;
		break;
	case CONFIG_INT:
	case CONFIG_DURATION_MS:
	case CONFIG_SIZE:
		r = parse_number(o, v, len, &x);
		if (r == ERR_RANGE || (r == 0 && o->max > o->min && (x < o->min || x > o->max)))
			return why_range(why, o, v, len);
		if (r == 0)
			*(int64_t *)field = x;
		break;
	default:
		r = ERR_INVAL;
		break;
	}
	if (r == 0)
		return 0;
	r = why_head(why, o, v, len);
	if (r == 0)
		r = buf_addf(why, "is not %s", type_word(o->type));
	return r ? r : ERR_INVAL;
}

static int field_size_ok(const struct config_opt *o)
{
	switch (o->type) {
	case CONFIG_STR:
	case CONFIG_PATH:
		return o->size > 0;
	case CONFIG_BOOL:
		return o->size == sizeof(bool);
	case CONFIG_ENUM:
		return o->size == sizeof(int);
	default:
		return o->size == sizeof(int64_t);
	}
}

int config_value_store(const struct config_opt *o, void *dst, const char *v, size_t len,
		       struct buf *why)
{
	struct buf reason = BUF_INIT;
	void *field;
	int r;

	if (!field_size_ok(o)) {
		buf_reset(why);
		return buf_addf(why, "option %s has a bad field size", o->name) ? ERR_NOMEM
										: ERR_INVAL;
	}
	field = calloc(1, o->size);
	if (!field)
		return ERR_NOMEM;
	r = parse_value(o, v, len, field, why);
	if (r)
		goto out;
	if (o->validate) {
		buf_init(&reason, 256);
		r = o->validate(field, &reason);
		if (r) {
			int r2;

			buf_reset(why);
			r2 = buf_adds(why, "invalid value ");
			if (r2 == 0 && !(o->flags & (CONFIG_F_SECRET | CONFIG_F_SECRET_URL)))
				r2 = config_add_excerpt(why, v, len);
			if (r2 == 0)
				r2 = buf_addf(
				    why, "%sfor %s: %s",
				    o->flags & (CONFIG_F_SECRET | CONFIG_F_SECRET_URL) ? "" : " ",
				    o->name, reason.len ? reason.ptr : err_str(r));
			if (r2)
				r = r2;
			goto out;
		}
	}
	memcpy((char *)dst + o->offset, field, o->size);
	r = 0;
out:
	buf_release(&reason);
	free(field);
	return r;
}

int config_type_desc(const struct config_opt *o, struct buf *out)
{
	static const char *const names[] = {
	    [CONFIG_STR] = "string",   [CONFIG_INT] = "integer",
	    [CONFIG_BOOL] = "boolean", [CONFIG_DURATION_MS] = "duration",
	    [CONFIG_ENUM] = "one of",  [CONFIG_PATH] = "path",
	    [CONFIG_SIZE] = "size",
	};
	size_t i;
	int r = buf_adds(out, names[o->type]);

	if (r == 0 && o->type == CONFIG_ENUM)
		for (i = 0; r == 0 && o->choices && o->choices[i]; i++)
			r = buf_addf(out, "%s%s", i ? ", " : ": ", o->choices[i]);
	if (r == 0 && o->max > o->min &&
	    (o->type == CONFIG_INT || o->type == CONFIG_DURATION_MS || o->type == CONFIG_SIZE)) {
		r = buf_adds(out, ", ");
		if (r == 0)
			r = format_number(o, o->min, out);
		if (r == 0)
			r = buf_adds(out, "..");
		if (r == 0)
			r = format_number(o, o->max, out);
	}
	return r;
}

int config_format_value(const struct config_opt *o, const void *dst, struct buf *out)
{
	const char *f = (const char *)dst + o->offset;
	size_t i;
	int idx;

	switch (o->type) {
	case CONFIG_STR:
	case CONFIG_PATH:
		return buf_add(out, f, strnlen(f, o->size));
	case CONFIG_BOOL:
		return buf_adds(out, *(const bool *)f ? "true" : "false");
	case CONFIG_ENUM:
		idx = *(const int *)f;
		for (i = 0; o->choices && o->choices[i]; i++)
			if ((int)i == idx)
				return buf_adds(out, o->choices[i]);
		return buf_addf(out, "%d", idx);
	default:
		return format_number(o, *(const int64_t *)f, out);
	}
}
