/*
 * core.h: the public interface of src/core, the base every other module uses:
 * error codes, the size-capped string builder, the cursor for untrusted
 * bytes, the arena, logging and UTC time helpers.
 * Include it after the system headers; it ends by including banned.h.
 */
#ifndef WACHTER_CORE_H
#define WACHTER_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define WACHTER_VERSION "0.1.0"

#define WUR __attribute__((warn_unused_result))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* TESTABLE marks a static helper that unit tests may reach. */
#ifdef WACHTER_TESTING
#define TESTABLE
#else
#define TESTABLE static
#endif

/* ------------------------------------------------------------------ errors */

/* Every fallible function returns 0 or one of these negative codes. */
enum err {
	ERR_OK = 0,
	ERR_NOMEM = -1,	    /* allocation failed */
	ERR_PARSE = -2,	    /* malformed input */
	ERR_TIMEOUT = -3,   /* a deadline passed */
	ERR_TOO_BIG = -4,   /* input or result over its size cap */
	ERR_IO = -5,	    /* read/write/system call failed */
	ERR_INVAL = -6,	    /* invalid argument or value */
	ERR_NOTFOUND = -7,  /* no such thing */
	ERR_EXISTS = -8,    /* already exists */
	ERR_DB = -9,	    /* storage backend failed */
	ERR_UNSUPP = -10,   /* not supported */
	ERR_CONN = -11,	    /* connection refused/reset */
	ERR_RESOLVE = -12,  /* name did not resolve */
	ERR_TLS = -13,	    /* TLS handshake or protocol failure */
	ERR_PERM = -14,	    /* not allowed */
	ERR_CANCELED = -15, /* stopped on request */
	ERR_PROTO = -16,    /* peer violated its protocol */
	ERR_EOF = -17,	    /* input ended early */
	ERR_RANGE = -18,    /* value out of range */
	ERR_AUTH = -19,	    /* authentication failed */
	ERR__LAST = -20
};

/* err_str: a static, lower-case description of code r (0 or negative). */
const char *err_str(int r);

/* err_from_errno: map an errno value to an ERR_ code (ERR_IO when unknown). */
int err_from_errno(int e);

/* ---------------------------------------------------------- string builder */

/*
 * struct buf: a growing byte string that is always NUL-terminated and never
 * grows beyond max bytes of content (0 = BUF_DEFAULT_MAX). ptr is never NULL
 * after BUF_INIT/buf_init. On any failure the content is left as it was
 * before the call. Not thread safe.
 */
#define BUF_DEFAULT_MAX ((size_t)64 << 20)

struct buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
};

extern char buf_empty_[1];
#define BUF_INIT                                                                                   \
	{                                                                                          \
		buf_empty_, 0, 0, 0                                                                \
	}

void buf_init(struct buf *b, size_t max);
/* buf_release: free the content; the buf is empty again and reusable. */
void buf_release(struct buf *b);
/* buf_reset: length to 0, keep the allocation. */
void buf_reset(struct buf *b);
int buf_grow(struct buf *b, size_t extra) WUR;
int buf_add(struct buf *b, const void *data, size_t len) WUR;
int buf_adds(struct buf *b, const char *s) WUR;
int buf_addch(struct buf *b, char c) WUR;
int buf_addf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3) WUR;
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) WUR;
/* buf_add_html: append s[0..len) with & < > " ' escaped for HTML. */
int buf_add_html(struct buf *b, const char *s, size_t len) WUR;
/* buf_add_json_str: append s[0..len) as a quoted JSON string. */
int buf_add_json_str(struct buf *b, const char *s, size_t len) WUR;
/* buf_add_printable: append untrusted bytes with non-printables as \xNN. */
int buf_add_printable(struct buf *b, const void *s, size_t len) WUR;
/*
 * buf_errf: replace the content of an error-message buffer with a message.
 * err may be NULL (no-op). Best effort by design: a message too long for
 * the cap is cut, and allocation failure leaves it empty, so callers on an
 * error path need not check the result.
 */
void buf_errf(struct buf *err, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* buf_take: hand the content to the caller (free() it); b is emptied. */
char *buf_take(struct buf *b) WUR;
/* buf_truncate: shorten to len (no-op when len >= b->len). */
void buf_truncate(struct buf *b, size_t len);

/* xstrndup: strndup that never reads past len; NULL on allocation failure. */
char *xstrndup(const char *s, size_t len);
/* str_lcpy: copy with truncation into dst[size]; returns strlen(src). */
size_t str_lcpy(char *dst, const char *src, size_t size);
/* mem_zero: zero a secret so the compiler cannot drop the store. */
void mem_zero(void *p, size_t len);

/* ------------------------------------------------------------------ cursor */

/*
 * struct cursor: a read position in untrusted bytes. Every getter checks the
 * remaining length, returns ERR_EOF when short, and advances only on success.
 * The input need not be NUL-terminated.
 */
struct cursor {
	const unsigned char *p;
	size_t len;
};

static inline void cursor_init(struct cursor *c, const void *p, size_t len)
{
	c->p = (const unsigned char *)p;
	c->len = len;
}

int cursor_u8(struct cursor *c, uint8_t *v) WUR;
int cursor_be16(struct cursor *c, uint16_t *v) WUR;
int cursor_be24(struct cursor *c, uint32_t *v) WUR;
int cursor_be32(struct cursor *c, uint32_t *v) WUR;
int cursor_le16(struct cursor *c, uint16_t *v) WUR;
int cursor_le32(struct cursor *c, uint32_t *v) WUR;
int cursor_skip(struct cursor *c, size_t n) WUR;
/* cursor_bytes: point *out at the next n bytes and advance past them. */
int cursor_bytes(struct cursor *c, size_t n, const unsigned char **out) WUR;
/* cursor_sub: take the next n bytes as a sub-cursor (TLS-style vectors). */
int cursor_sub(struct cursor *c, size_t n, struct cursor *sub) WUR;
/* cursor_sub8/16/24: length-prefixed sub-cursor with a 1/2/3-byte length. */
int cursor_sub8(struct cursor *c, struct cursor *sub) WUR;
int cursor_sub16(struct cursor *c, struct cursor *sub) WUR;
int cursor_sub24(struct cursor *c, struct cursor *sub) WUR;
/* cursor_line: next line without its "\n" or "\r\n"; ERR_EOF if no newline
 * within the remaining bytes, ERR_TOO_BIG if none within max bytes. */
int cursor_line(struct cursor *c, size_t max, struct cursor *line) WUR;
/* cursor_expect: consume the literal s if the input starts with it. */
int cursor_expect(struct cursor *c, const char *s) WUR;
/* cursor_startswith / cursor_startswith_ci: test without consuming. */
int cursor_startswith(const struct cursor *c, const char *s);
int cursor_startswith_ci(const struct cursor *c, const char *s);
/* cursor_uint: a decimal unsigned number <= max; ERR_PARSE/ERR_RANGE. */
int cursor_uint(struct cursor *c, uint64_t max, uint64_t *v) WUR;
/* cursor_span: the longest prefix whose bytes are all in set. */
void cursor_span(struct cursor *c, const char *set, struct cursor *out);
/* cursor_until: bytes up to (not including) the first ch; ERR_NOTFOUND
 * (cursor unchanged) when ch is absent. */
int cursor_until(struct cursor *c, char ch, struct cursor *out) WUR;
void cursor_trim(struct cursor *c);
/* cursor_eq / cursor_eq_ci: the whole remaining cursor equals s. */
int cursor_eq(const struct cursor *c, const char *s);
int cursor_eq_ci(const struct cursor *c, const char *s);
/* cursor_dup: a NUL-terminated malloc'd copy of the remaining bytes. */
char *cursor_dup(const struct cursor *c) WUR;

/* pct_escape: the byte of the percent escape "%XY" at p[*i] (a '%') into
 * *ch, and *i onto its last digit; ERR_PARSE for a short or non-hex one. */
int pct_escape(const unsigned char *p, size_t len, size_t *i, unsigned char *ch) WUR;

/* ------------------------------------------------------------------- arena */

/*
 * struct arena: bump allocator for short-lived data (one request, one scan,
 * one feed batch), freed in one call. max caps the total bytes (0 = 1 GiB).
 */
struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used;
	size_t max;
};

#define ARENA_INIT                                                                                 \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
void arena_init(struct arena *a, size_t max);
/* arena_alloc: zeroed, 16-byte aligned memory; NULL when over max/no memory. */
void *arena_alloc(struct arena *a, size_t size) WUR;
char *arena_strndup(struct arena *a, const char *s, size_t len) WUR;
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3) WUR;
void arena_release(struct arena *a);

/* ----------------------------------------------------------------- logging */

enum log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/*
 * struct logger: where log lines go. Each line is
 *   2026-11-28T10:00:00Z level=info at=file.c:12 fn=f msg="..." k=v ...
 * Messages are lower case and say what failed first; fields are key=value.
 * Thread safe (one fprintf per line). Never log secrets.
 */
struct logger {
	enum log_level level;
	FILE *fp; /* borrowed; NULL = stderr */
	int owns_fp;
};

void log_init(struct logger *lg, enum log_level level, FILE *fp);
/* log_open_file: append to path; ERR_IO when it cannot be opened. */
int log_open_file(struct logger *lg, const char *path) WUR;
void log_release(struct logger *lg);
int log_level_parse(const char *s, enum log_level *out) WUR;
void log_write(const struct logger *lg, enum log_level lvl, const char *file, int line,
	       const char *fn, const char *fmt, ...) PRINTF_LIKE(6, 7);

#define LOG_AT_(lg, lvl, ...)                                                                      \
	do {                                                                                       \
		const struct logger *lg_ = (lg);                                                   \
		if (lg_ && lg_->level >= (lvl))                                                    \
			log_write(lg_, (lvl), __FILE__, __LINE__, __func__, __VA_ARGS__);          \
	} while (0)
#define LOG_ERROR(lg, ...) LOG_AT_(lg, LOG_LVL_ERROR, __VA_ARGS__)
#define LOG_WARN(lg, ...) LOG_AT_(lg, LOG_LVL_WARN, __VA_ARGS__)
#define LOG_INFO(lg, ...) LOG_AT_(lg, LOG_LVL_INFO, __VA_ARGS__)
#define LOG_DEBUG(lg, ...) LOG_AT_(lg, LOG_LVL_DEBUG, __VA_ARGS__)
/* Untrusted text in a log line: "%.*s" with LOG_CAP(len), s */
#define LOG_CAP(n) ((int)((n) > 200 ? 200 : (n)))

/* ------------------------------------------------------------ command line */

/* cli_opt_value: the value of option name at argv[*i], given as
 * "--name VALUE" (*i moves on to it) or "--name=VALUE"; NULL when
 * argv[*i] is another option or the value is missing (then *missing is
 * set to 1, when missing is not NULL). */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name, int *missing);
/* cli_uint: s all decimal digits, a number from lo to hi (0 <= lo <= hi <=
 * INT_MAX); ERR_INVAL otherwise. */
int cli_uint(const char *s, long lo, long hi, int *out) WUR;
/* cli_format: "text" (0) or "json" (1) into *json; ERR_INVAL otherwise. */
int cli_format(const char *v, int *json) WUR;

/* -------------------------------------------------------------------- time */

#define TIME_RFC3339_LEN 21 /* "2026-11-28T10:00:00Z" plus NUL */

/* time_rfc3339: format t (UTC) into out[TIME_RFC3339_LEN]. */
int time_rfc3339(time_t t, char out[TIME_RFC3339_LEN]) WUR;
/* time_parse_rfc3339: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)" or "YYYY-MM-DD". */
int time_parse_rfc3339(const char *s, size_t len, time_t *out) WUR;
/* time_utc_from_tm: timegm() without the locale; fields must be in range. */
time_t time_utc_from_tm(int year, int mon, int mday, int hour, int min, int sec);
/* time_now_ms: monotonic milliseconds, for deadlines. */
int64_t time_now_ms(void);

#include "core/banned.h"

#endif
