/*
 * mtasts.c: MTA-STS (RFC 8461): the _mta-sts TXT record, the policy file
 * served at https://mta-sts.<domain>/.well-known/mta-sts.txt and the MX
 * pattern rule (a "*." wildcard covers exactly one leftmost label).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/mail.h"
#include "mail/mail_int.h"

#define MTASTS_MAX_AGE_MAX 31557600

const char *mtasts_mode_name(enum mtasts_mode m)
{
	return m == MTASTS_ENFORCE ? "enforce" : m == MTASTS_TESTING ? "testing" : "none";
}

int mtasts_txt_is_record(const char *txt, size_t len)
{
	return len >= 7 && strncmp(txt, "v=STSv1", 7) == 0 &&
	       (len == 7 || txt[7] == ';' || txt[7] == ' ' || txt[7] == '\t');
}

static int alnum(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

int mtasts_txt_parse(const char *txt, size_t len, char id[33], char *err, size_t errlen)
{
	struct cursor c, part, k, v;
	int first = 1, have_id = 0;

	id[0] = '\0';
	if (len > MAIL_TXT_MAX || !mtasts_txt_is_record(txt, len)) {
		snprintf(err, errlen, "does not start with v=STSv1");
		return ERR_PARSE;
	}
	cursor_init(&c, txt, len);
	while (c.len) {
		if (cursor_until(&c, ';', &part) == 0)
			c.p++, c.len--;
		else
			part = c, c.len = 0;
		cursor_trim(&part);
		if (first || part.len == 0) {
			first = 0;
			continue;
		}
		v = part;
		if (cursor_until(&v, '=', &k) != 0) {
			snprintf(err, errlen, "field without '='");
			return ERR_PARSE;
		}
		v.p++, v.len--;
		if (!cursor_eq(&k, "id"))
			continue; /* extension fields are allowed */
		if (have_id || v.len == 0 || v.len > 32) {
			snprintf(err, errlen, "id must be 1 to 32 letters or digits, once");
			return ERR_PARSE;
		}
		for (size_t i = 0; i < v.len; i++)
			if (!alnum(v.p[i])) {
				snprintf(err, errlen, "id must be letters and digits only");
				return ERR_PARSE;
			}
		memcpy(id, v.p, v.len);
		id[v.len] = '\0';
		have_id = 1;
	}
	if (!have_id) {
		snprintf(err, errlen, "no id field");
		return ERR_PARSE;
	}
	return 0;
}

static int bad(struct mtasts_policy *pol, const char *what, int line)
{
	snprintf(pol->err, sizeof(pol->err), "line %d: %s", line, what);
	return ERR_PARSE;
}

/* mx_pattern: a host name, or "*." and a host name; lower-cased copy. */
static int mx_pattern(const struct cursor *v, char out[DNS_NAME_MAX])
{
	size_t i, start = 0;

	if (v->len == 0 || v->len >= DNS_NAME_MAX)
		return ERR_PARSE;
	if (v->len > 2 && v->p[0] == '*' && v->p[1] == '.')
		start = 2;
	for (i = start; i < v->len; i++) {
		unsigned char ch = v->p[i];

		if (!alnum(ch) && ch != '-' && ch != '.' && ch != '_')
			return ERR_PARSE;
		out[i] = (char)((ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch);
	}
	memcpy(out, v->p, start);
	out[v->len] = '\0';
	return strchr(out + start, '.') && strstr(out, "..") == NULL ? 0 : ERR_PARSE;
}

static int field(struct mtasts_policy *pol, const struct cursor *k, const struct cursor *v,
		 int line, unsigned *seen)
{
	uint64_t n;
	struct cursor t = *v;

	if (cursor_eq(k, "version")) {
		if ((*seen & 1) || !cursor_eq(v, "STSv1"))
			return bad(pol, "version must be STSv1", line);
		*seen |= 1;
	} else if (cursor_eq(k, "mode")) {
		if (*seen & 2)
			return bad(pol, "mode given twice", line);
		*seen |= 2;
		if (cursor_eq(v, "enforce"))
			pol->mode = MTASTS_ENFORCE;
		else if (cursor_eq(v, "testing"))
			pol->mode = MTASTS_TESTING;
		else if (cursor_eq(v, "none"))
			pol->mode = MTASTS_NONE;
		else
			return bad(pol, "mode must be enforce, testing or none", line);
	} else if (cursor_eq(k, "max_age")) {
		if ((*seen & 4) || v->len > 10 || cursor_uint(&t, MTASTS_MAX_AGE_MAX, &n) || t.len)
			return bad(pol, "max_age must be 0 to 31557600 seconds", line);
		*seen |= 4;
		pol->max_age = (long)n;
	} else if (cursor_eq(k, "mx")) {
		if (pol->n_mx == MTASTS_MX_MAX)
			return bad(pol, "too many mx lines", line);
		if (mx_pattern(v, pol->mx[pol->n_mx]))
			return bad(pol, "bad mx pattern", line);
		pol->n_mx++;
	}
	return 0; /* other fields: ignored (extensions) */
}

int mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *pol)
{
	struct cursor c, ln, k, v;
	unsigned seen = 0;
	int line = 0;

	memset(pol, 0, sizeof(*pol));
	if (len > MTASTS_POLICY_MAX)
		return ERR_TOO_BIG;
	cursor_init(&c, body, len);
	while (c.len) {
		line++;
		if (cursor_line(&c, 1024, &ln) != 0) {
			if (c.len > 1024)
				return bad(pol, "line too long", line);
			ln = c; /* last line without a newline */
			c.len = 0;
		}
		cursor_trim(&ln);
		if (ln.len == 0)
			continue;
		v = ln;
		if (cursor_until(&v, ':', &k) != 0)
			return bad(pol, "no ':'", line);
		v.p++, v.len--;
		cursor_trim(&k);
		cursor_trim(&v);
		if (line == 1 && !cursor_eq(&k, "version"))
			return bad(pol, "the first field must be version", line);
		if (field(pol, &k, &v, line, &seen))
			return ERR_PARSE;
	}
	if ((seen & 7) != 7)
		return bad(pol, "version, mode and max_age are required", line);
	if (pol->mode != MTASTS_NONE && pol->n_mx == 0)
		return bad(pol, "no mx line", line);
	return 0;
}

int mtasts_mx_match(const char *pattern, const char *host)
{
	size_t pl = strlen(pattern), hl = strlen(host);
	const char *dot;

	if (pl && pattern[pl - 1] == '.')
		pl--;
	if (hl && host[hl - 1] == '.')
		hl--;
	if (pl > 2 && pattern[0] == '*' && pattern[1] == '.') {
		dot = memchr(host, '.', hl);
		if (!dot || dot == host)
			return 0;
		return (size_t)(host + hl - dot) == pl - 1 &&
		       strncasecmp(dot, pattern + 1, pl - 1) == 0;
	}
	return pl == hl && strncasecmp(pattern, host, pl) == 0;
}
