/*
 * dmarc.c: the DMARC record parser (RFC 7489 6.3, plus t= and np= from
 * DMARCbis) and the MAIL-08 policy rule of internet.nl: quarantine or
 * reject passes, t=y counts one level weaker, none fails.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/mail.h"
#include "mail/mail_int.h"

int dmarc_is_record(const char *txt, size_t len)
{
	size_t i = 0;

	/* "v" WSP* "=" WSP* "DMARC1" */
	if (len < 8 || txt[0] != 'v')
		return 0;
	for (i = 1; i < len && (txt[i] == ' ' || txt[i] == '\t'); i++)
		;
	if (i >= len || txt[i++] != '=')
		return 0;
	while (i < len && (txt[i] == ' ' || txt[i] == '\t'))
		i++;
	if (len - i < 6 || strncmp(txt + i, "DMARC1", 6) != 0)
		return 0;
	i += 6;
	while (i < len && (txt[i] == ' ' || txt[i] == '\t'))
		i++;
	return i == len || txt[i] == ';';
}

const char *dmarc_policy_name(enum dmarc_policy p)
{
	switch (p) {
	case DMARC_NONE:
		return "none";
	case DMARC_QUARANTINE:
		return "quarantine";
	case DMARC_REJECT:
		return "reject";
	default:
		return "unset";
	}
}

static int policy(const struct cursor *v, enum dmarc_policy *out)
{
	if (cursor_eq_ci(v, "none"))
		*out = DMARC_NONE;
	else if (cursor_eq_ci(v, "quarantine"))
		*out = DMARC_QUARANTINE;
	else if (cursor_eq_ci(v, "reject"))
		*out = DMARC_REJECT;
	else
		return ERR_PARSE;
	return 0;
}

int dmarc_uri_domain(const char *uri, char out[DNS_NAME_MAX])
{
	const char *at, *end;
	size_t n;

	if (strncasecmp(uri, "mailto:", 7) != 0)
		return ERR_PARSE;
	at = strrchr(uri + 7, '@');
	if (!at || at == uri + 7)
		return ERR_PARSE;
	at++;
	end = strchr(at, '!');
	n = end ? (size_t)(end - at) : strlen(at);
	if (n == 0 || n >= DNS_NAME_MAX || memchr(at, ' ', n))
		return ERR_PARSE;
	memcpy(out, at, n);
	out[n] = '\0';
	if (n > 1 && out[n - 1] == '.')
		out[n - 1] = '\0';
	return strchr(out, '.') ? 0 : ERR_PARSE;
}

/* uri_list: comma-separated report URIs, each checked. */
static int uri_list(struct cursor v, char list[][DNS_NAME_MAX], size_t *n)
{
	struct cursor u;
	char dom[DNS_NAME_MAX];

	while (v.len) {
		if (cursor_until(&v, ',', &u) == 0)
			v.p++, v.len--;
		else
			u = v, v.len = 0;
		cursor_trim(&u);
		if (u.len == 0 || u.len >= DNS_NAME_MAX || *n == DMARC_URIS_MAX)
			return ERR_PARSE;
		memcpy(list[*n], u.p, u.len);
		list[*n][u.len] = '\0';
		if (dmarc_uri_domain(list[*n], dom) != 0 && strncasecmp(list[*n], "https:", 6) != 0)
			return ERR_PARSE;
		(*n)++;
	}
	return 0;
}

static int tag(struct dmarc_record *rec, const struct cursor *k, struct cursor v, unsigned *seen)
{
	uint64_t n;
	static const char *const known[] = {"p",   "sp",  "np", "pct", "t",  "adkim", "aspf",
					    "rua", "ruf", "fo", "ri",  "rf", "psd"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (cursor_eq(k, known[i]))
			break;
	if (i == ARRAY_SIZE(known))
		return 0; /* unknown tags are ignored (RFC 7489 6.3) */
	if (*seen & (1u << i))
		return ERR_PARSE;
	*seen |= 1u << i;
	switch (i) {
	case 0:
		return policy(&v, &rec->p);
	case 1:
		return policy(&v, &rec->sp);
	case 2:
		return policy(&v, &rec->np);
	case 3:
		if (cursor_uint(&v, 100, &n) || v.len)
			return ERR_PARSE;
		rec->pct = (int)n;
		return 0;
	case 4:
		if (cursor_eq(&v, "y") || cursor_eq(&v, "n")) {
			rec->testing = v.p[0] == 'y';
			return 0;
		}
		return ERR_PARSE;
	case 5:
	case 6:
		if (!cursor_eq(&v, "r") && !cursor_eq(&v, "s"))
			return ERR_PARSE;
		*(i == 5 ? &rec->adkim : &rec->aspf) = (char)v.p[0];
		return 0;
	case 7:
		return uri_list(v, rec->rua, &rec->n_rua);
	case 8:
		return uri_list(v, rec->ruf, &rec->n_ruf);
	case 10:
		return cursor_uint(&v, UINT32_MAX, &n) || v.len ? ERR_PARSE : 0;
	default:
		return 0; /* fo, rf, psd: values not used by our checks */
	}
}

int dmarc_parse(const char *txt, size_t len, struct dmarc_record *rec)
{
	struct cursor c, part, k, v;
	unsigned seen = 0;
	int first = 1;

	memset(rec, 0, sizeof(*rec));
	rec->p = rec->sp = rec->np = DMARC_UNSET;
	rec->pct = 100;
	rec->adkim = rec->aspf = 'r';
	if (len > MAIL_TXT_MAX)
		return ERR_TOO_BIG;
	if (!dmarc_is_record(txt, len)) {
		snprintf(rec->err, sizeof(rec->err), "does not start with v=DMARC1");
		return ERR_PARSE;
	}
	cursor_init(&c, txt, len);
	while (c.len) {
		if (cursor_until(&c, ';', &part) == 0)
			c.p++, c.len--;
		else
			part = c, c.len = 0;
		cursor_trim(&part);
		if (first) { /* v=DMARC1, checked above */
			first = 0;
			continue;
		}
		if (part.len == 0)
			continue;
		v = part;
		if (cursor_until(&v, '=', &k) != 0) {
			snprintf(rec->err, sizeof(rec->err), "tag without '=': '%.*s'",
				 (int)(part.len > 40 ? 40 : part.len), (const char *)part.p);
			return ERR_PARSE;
		}
		v.p++, v.len--; /* the '=' */
		cursor_trim(&k);
		cursor_trim(&v);
		if (tag(rec, &k, v, &seen)) {
			snprintf(rec->err, sizeof(rec->err), "bad or repeated tag '%.*s'",
				 (int)(part.len > 60 ? 60 : part.len), (const char *)part.p);
			return ERR_PARSE;
		}
	}
	if (rec->p == DMARC_UNSET) {
		snprintf(rec->err, sizeof(rec->err), "no p= tag");
		return ERR_PARSE;
	}
	return 0;
}

enum mail_verdict dmarc_verdict(const struct dmarc_record *rec, int null_mx, struct buf *why)
{
	int eff = rec->p;
	const char *w = NULL;
	enum mail_verdict v = MAIL_PASS;

	if (rec->testing && eff > DMARC_NONE)
		eff--; /* t=y: one level weaker */
	if (eff == DMARC_NONE) {
		v = MAIL_FAIL;
		w = rec->p == DMARC_NONE ? "p=none: spoofed mail is still delivered"
					 : "t=y makes the policy one level weaker (none)";
	} else if (null_mx && eff != DMARC_REJECT) {
		v = MAIL_FAIL;
		w = "a domain without mail should have p=reject";
	} else if (rec->pct < 100 && eff == DMARC_QUARANTINE) {
		v = MAIL_PARTIAL;
		w = "pct below 100";
	}
	if (why && w) {
		buf_reset(why);
		if (buf_addf(why, "%s (p=%s%s)", w, dmarc_policy_name(rec->p),
			     rec->testing ? ", t=y" : ""))
			buf_reset(why);
	}
	return v;
}
