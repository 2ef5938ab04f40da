/*
 * log.c: one line per event, "time level=.. at=file:line fn=.. msg=..", to
 * stderr or a file. Callers check the level in the macro, before formatting.
 */
#include <errno.h>
#include <string.h>

#include "core/core.h"

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void log_init(struct logger *lg, enum log_level level, FILE *fp)
{
	lg->level = level;
	lg->fp = fp;
	lg->owns_fp = 0;
}

int log_open_file(struct logger *lg, const char *path)
{
	FILE *fp = fopen(path, "ae");

	if (!fp)
		return err_from_errno(errno) == ERR_NOTFOUND ? ERR_NOTFOUND : ERR_IO;
	if (lg->owns_fp && lg->fp)
		fclose(lg->fp);
	setvbuf(fp, NULL, _IOLBF, 0);
	lg->fp = fp;
	lg->owns_fp = 1;
	return 0;
}

void log_release(struct logger *lg)
{
	if (lg->owns_fp && lg->fp)
		fclose(lg->fp);
	lg->fp = NULL;
	lg->owns_fp = 0;
}

int log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(level_names); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return ERR_INVAL;
}

void log_write(const struct logger *lg, enum log_level lvl, const char *file, int line,
	       const char *fn, const char *fmt, ...)
{
	char ts[TIME_RFC3339_LEN] = "?";
	char msg[2048];
	const char *base = strrchr(file, '/');
	va_list ap;

	if (time_rfc3339(time(NULL), ts) != 0)
		str_lcpy(ts, "?", sizeof(ts));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One fprintf call, so concurrent lines do not interleave. */
	fprintf(lg->fp ? lg->fp : stderr, "%s level=%s at=%s:%d fn=%s %s\n", ts, level_names[lvl],
		base ? base + 1 : file, line, fn, msg);
}
