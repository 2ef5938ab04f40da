/*
 * sectxt.c: the security.txt parser (RFC 9116): fields, comments, the
 * OpenPGP cleartext signature framing (RFC 4880 7.1, dash-escaping), and
 * the validity rule HDR-09 applies (Contact, exactly one Expires in the
 * future and less than a year ahead, Canonical naming the URL fetched).
 */
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

#define SECTXT_MAX_LINE 4096
#define SECTXT_CANON_MAX 2048
#define YEAR_SECONDS (366 * 86400)

enum frame_state { FR_PLAIN = 0, FR_ARMOR, FR_BODY, FR_SIG, FR_DONE };

void web_sectxt_init(struct web_sectxt *s)
{
	memset(s, 0, sizeof(*s));
}

void web_sectxt_release(struct web_sectxt *s)
{
	size_t i;

	for (i = 0; i < SECTXT_MAX_CANON; i++)
		free(s->canonical[i]);
	web_sectxt_init(s);
}

static void trim(struct cursor *c)
{
	while (c->len && (c->p[0] == ' ' || c->p[0] == '\t'))
		web_adv(c, 1);
	while (c->len && (c->p[c->len - 1] == ' ' || c->p[c->len - 1] == '\t'))
		c->len--;
}

static int field_name_ok(const struct cursor *n)
{
	size_t i;

	for (i = 0; i < n->len; i++) {
		unsigned char ch = n->p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-'))
			return 0;
	}
	return n->len > 0;
}

static int add_field(struct web_sectxt *s, struct cursor name, struct cursor v)
{
	s->n_fields++;
	if (cursor_eq_ci(&name, "contact")) {
		if (s->n_contact++ == 0) {
			size_t n = v.len < sizeof(s->contact) - 1 ? v.len : sizeof(s->contact) - 1;

			memcpy(s->contact, v.p, n);
			s->contact[n] = '\0';
		}
	} else if (cursor_eq_ci(&name, "expires")) {
		if (s->n_expires++ == 0 &&
		    time_parse_rfc3339((const char *)v.p, v.len, &s->expires) != 0)
			s->bad_expires = 1;
	} else if (cursor_eq_ci(&name, "canonical")) {
		if (s->n_canonical < SECTXT_MAX_CANON) {
			if (v.len > SECTXT_CANON_MAX)
				v.len = SECTXT_CANON_MAX;
			s->canonical[s->n_canonical] = cursor_dup(&v);
			if (!s->canonical[s->n_canonical])
				return ERR_NOMEM;
		}
		s->n_canonical++;
	} else if (cursor_eq_ci(&name, "encryption")) {
		s->n_encryption++;
	} else if (cursor_eq_ci(&name, "policy")) {
		s->n_policy++;
	} else if (cursor_eq_ci(&name, "preferred-languages")) {
		s->n_langs++;
	} else if (!cursor_eq_ci(&name, "acknowledgments") && !cursor_eq_ci(&name, "hiring") &&
		   !cursor_eq_ci(&name, "csaf")) {
		s->n_unknown++;
	}
	return 0;
}

static void bad_line(struct web_sectxt *s, unsigned lineno)
{
	if (s->n_bad++ == 0)
		s->first_bad_line = lineno;
}

static int content_line(struct web_sectxt *s, struct cursor line, unsigned lineno)
{
	struct cursor name, tmp = line;

	trim(&tmp);
	if (tmp.len == 0 || tmp.p[0] == '#')
		return 0;
	if (cursor_until(&line, ':', &name) || !field_name_ok(&name)) {
		bad_line(s, lineno);
		return 0;
	}
	web_adv(&line, 1);
	trim(&line);
	return add_field(s, name, line);
}

/* One line through the OpenPGP cleartext framing state machine. */
static int framed_line(struct web_sectxt *s, enum frame_state *st, struct cursor line,
		       unsigned lineno)
{
	switch (*st) {
	case FR_PLAIN:
		if (cursor_eq(&line, "-----BEGIN PGP SIGNED MESSAGE-----")) {
			s->signed_msg = 1;
			*st = FR_ARMOR;
			return 0;
		}
		return content_line(s, line, lineno);
	case FR_ARMOR:
		if (line.len == 0)
			*st = FR_BODY;
		else if (!cursor_startswith(&line, "Hash:"))
			s->bad_framing = 1;
		return 0;
	case FR_BODY:
		if (cursor_eq(&line, "-----BEGIN PGP SIGNATURE-----")) {
			*st = FR_SIG;
			return 0;
		}
		if (line.len && line.p[0] == '-') {
			if (!cursor_startswith(&line, "- ")) {
				s->bad_framing = 1;
				return 0;
			}
			web_adv(&line, 2);
		}
		return content_line(s, line, lineno);
	case FR_SIG:
		if (cursor_eq(&line, "-----END PGP SIGNATURE-----"))
			*st = FR_DONE;
		return 0;
	case FR_DONE:
		trim(&line);
		if (line.len)
			s->bad_framing = 1;
		return 0;
	}
	return 0;
}

int web_sectxt_parse(const char *p, size_t len, struct web_sectxt *s)
{
	enum frame_state st = FR_PLAIN;
	struct cursor c, line;
	unsigned lineno = 0;
	int r;

	if (len > SECTXT_MAX_SIZE)
		return ERR_TOO_BIG;
	cursor_init(&c, p, len);
	if (cursor_startswith(&c, "\xef\xbb\xbf"))
		web_adv(&c, 3);
	while (c.len) {
		r = cursor_line(&c, SECTXT_MAX_LINE, &line);
		if (r == ERR_EOF) {
			line = c;
			c.len = 0;
		} else if (r == ERR_TOO_BIG) {
			return r;
		} else if (r) {
			return r;
		}
		lineno++;
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (line.len > SECTXT_MAX_LINE)
			return ERR_TOO_BIG;
		r = framed_line(s, &st, line, lineno);
		if (r)
			return r;
	}
	if (st != FR_PLAIN && st != FR_DONE)
		s->bad_framing = 1;
	return 0;
}

const char *web_sectxt_problem(const struct web_sectxt *s, const char *url, time_t now)
{
	size_t i, n;

	if (s->bad_framing)
		return "broken OpenPGP signed-message framing";
	if (s->n_contact == 0)
		return "no Contact field";
	if (s->n_expires == 0)
		return "no Expires field";
	if (s->n_expires > 1)
		return "Expires appears more than once";
	if (s->bad_expires)
		return "Expires is not an RFC 3339 date";
	if (s->expires <= now)
		return "Expires is in the past";
	if (s->expires - now > YEAR_SECONDS)
		return "Expires is more than a year ahead";
	if (s->n_langs > 1)
		return "Preferred-Languages appears more than once";
	if (s->n_canonical && url) {
		n = s->n_canonical < SECTXT_MAX_CANON ? s->n_canonical : SECTXT_MAX_CANON;
		for (i = 0; i < n; i++) {
			if (s->canonical[i] && strcmp(s->canonical[i], url) == 0)
				return NULL;
		}
		return "Canonical does not list the URL it was fetched from";
	}
	return NULL;
}
