/*
 * config_int.h: declarations shared by the files of src/config only, and the
 * TESTABLE helpers its unit tests reach.
 */
#ifndef WACHTER_CONFIG_INT_H
#define WACHTER_CONFIG_INT_H

#include "config/config.h"

/* Longest excerpt of untrusted text quoted in a message. */
#define CONFIG_EXCERPT_MAX 64u

/* config_fail: replace err's content with a formatted message (err may be NULL). */
void config_fail(struct buf *err, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* config_add_excerpt: append 's' quoted, capped, non-printables as \xNN. */
int config_add_excerpt(struct buf *b, const char *s, size_t len) WUR;

/* config_name_eq: a[0..alen) equals b[0..blen), ignoring case, '-' == '_'. */
int config_name_eq(const char *a, size_t alen, const char *b, size_t blen);

/* config_section_len: length of the section part of "section.key". */
size_t config_section_len(const char *name);

/*
 * config_value_store: parse v[0..len) for o, run its validator, and store it
 * at o->offset in dst. On failure dst is unchanged and why holds the reason
 * without a location ("value 'x' for scan.retries is not an integer").
 */
int config_value_store(const struct config_opt *o, void *dst, const char *v, size_t len,
		       struct buf *why) WUR;

/* config_type_desc: "duration, 1ms..10m", "one of: a, b", ... for docs. */
int config_type_desc(const struct config_opt *o, struct buf *out) WUR;

int config_format_duration(int64_t ms, struct buf *out) WUR;
int config_format_size(int64_t bytes, struct buf *out) WUR;

/*
 * config_ini_value: the value part of a "key = value" line (after '=') as
 * text: quotes removed and escapes decoded, or an inline comment cut off.
 * On ERR_PARSE *why is a static reason.
 */
int config_ini_value(const struct cursor *v, struct buf *out, const char **why) WUR;

#endif
