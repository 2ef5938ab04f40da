/*
 * time.c: UTC only. RFC 3339 formatting and parsing without the locale or
 * the TZ variable (no gmtime, no mktime).
 */
#include <string.h>

#include "core/core.h"

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant). */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

time_t time_utc_from_tm(int year, int mon, int mday, int hour, int min, int sec)
{
	return (time_t)days_from_civil(year, mon, mday) * 86400 + hour * 3600 + min * 60 + sec;
}

int time_rfc3339(time_t t, char out[TIME_RFC3339_LEN])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return ERR_RANGE;
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return ERR_RANGE;
	/* Fields are in range after gmtime_r; unsigned short keeps the compiler's
	 * truncation analysis exact. */
	snprintf(out, TIME_RFC3339_LEN, "%04hu-%02hu-%02huT%02hu:%02hu:%02huZ",
		 (unsigned short)(tm.tm_year + 1900), (unsigned short)((tm.tm_mon + 1) & 15),
		 (unsigned short)(tm.tm_mday & 31), (unsigned short)(tm.tm_hour & 31),
		 (unsigned short)(tm.tm_min & 63), (unsigned short)(tm.tm_sec & 63));
	return 0;
}

static int take_num(struct cursor *c, size_t digits, int lo, int hi, int *out)
{
	int v = 0;
	size_t i;

	if (c->len < digits)
		return ERR_PARSE;
	for (i = 0; i < digits; i++) {
		if (c->p[i] < '0' || c->p[i] > '9')
			return ERR_PARSE;
		v = v * 10 + (c->p[i] - '0');
	}
	if (v < lo || v > hi)
		return ERR_RANGE;
	if (cursor_skip(c, digits))
		return ERR_PARSE;
	*out = v;
	return 0;
}

int time_parse_rfc3339(const char *s, size_t len, time_t *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct cursor c;
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0, r;
	uint8_t ch;

	cursor_init(&c, s, len);
	if ((r = take_num(&c, 4, 0, 9999, &y)) || cursor_expect(&c, "-") ||
	    (r = take_num(&c, 2, 1, 12, &mo)) || cursor_expect(&c, "-") ||
	    (r = take_num(&c, 2, 1, 31, &d)))
		return r ? r : ERR_PARSE;
	if (d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
		return ERR_RANGE;
	if (c.len == 0)
		goto done;
	if (cursor_u8(&c, &ch) || (ch != 'T' && ch != 't' && ch != ' '))
		return ERR_PARSE;
	if ((r = take_num(&c, 2, 0, 23, &h)) || cursor_expect(&c, ":") ||
	    (r = take_num(&c, 2, 0, 59, &mi)) || cursor_expect(&c, ":") ||
	    (r = take_num(&c, 2, 0, 60, &se)))
		return r ? r : ERR_PARSE;
	if (cursor_startswith(&c, ".")) {
		struct cursor frac;

		if (cursor_skip(&c, 1))
			return ERR_PARSE;
		cursor_span(&c, "0123456789", &frac);
		if (frac.len == 0)
			return ERR_PARSE;
	}
	if (cursor_u8(&c, &ch))
		return ERR_PARSE;
	if (ch == 'Z' || ch == 'z') {
		sign = 0;
	} else if (ch == '+' || ch == '-') {
		sign = ch == '+' ? 1 : -1;
		if ((r = take_num(&c, 2, 0, 23, &oh)) || cursor_expect(&c, ":") ||
		    (r = take_num(&c, 2, 0, 59, &om)))
			return r ? r : ERR_PARSE;
	} else {
		return ERR_PARSE;
	}
	if (c.len != 0)
		return ERR_PARSE;
done:
	*out = time_utc_from_tm(y, mo, d, h, mi, se > 59 ? 59 : se) -
	       (time_t)sign * (oh * 3600 + om * 60);
	return 0;
}

int64_t time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
