/*
 * spf.c: the SPF record parser (RFC 7208 section 4.6 and 12: mechanisms,
 * qualifiers, modifiers, macro syntax, dual CIDR lengths) and the policy
 * evaluation the checks need: follow include/redirect, count the DNS
 * lookups against the limit of 10, detect loops, find the final "all".
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/mail.h"
#include "mail/mail_int.h"

#define SPF_FETCH_MAX 40 /* records fetched in one evaluation, whatever happens */

static const struct {
	const char *name;
	enum spf_mech mech;
} mech_names[] = {
    {"all", SPF_ALL}, {"include", SPF_INCLUDE}, {"a", SPF_A},	  {"mx", SPF_MX},
    {"ptr", SPF_PTR}, {"ip4", SPF_IP4},		{"ip6", SPF_IP6}, {"exists", SPF_EXISTS},
};

void spf_record_release(struct spf_record *rec)
{
	free(rec->t);
	memset(rec, 0, sizeof(*rec));
}

static int parse_err(struct spf_record *rec, const char *what, const struct cursor *term)
{
	snprintf(rec->err, sizeof(rec->err), "%s in '%.*s'", what,
		 (int)(term->len > 60 ? 60 : term->len), (const char *)term->p);
	return ERR_PARSE;
}

/* spf_macro_string: c is a macro-string (RFC 7208 7.1); *has_macro set. */
TESTABLE int spf_macro_string(struct cursor c, int exp, int *has_macro)
{
	static const char letters[] = "slodiphv";
	static const char exp_letters[] = "crt";
	uint8_t ch;

	while (c.len) {
		if (cursor_u8(&c, &ch))
			return ERR_PARSE;
		if (ch < 0x21 || ch > 0x7e)
			return ERR_PARSE;
		if (ch != '%')
			continue;
		if (cursor_u8(&c, &ch))
			return ERR_PARSE;
		if (ch == '%' || ch == '_' || ch == '-')
			continue;
		if (ch != '{' || cursor_u8(&c, &ch))
			return ERR_PARSE;
		ch = (uint8_t)(ch | 0x20);
		if (!strchr(letters, ch) && !(exp && strchr(exp_letters, ch)))
			return ERR_PARSE;
		*has_macro = 1;
		while (c.len && c.p[0] >= '0' && c.p[0] <= '9')
			c.p++, c.len--;
		if (c.len && (c.p[0] | 0x20) == 'r')
			c.p++, c.len--;
		while (c.len && strchr(".-+,/_=", c.p[0]))
			c.p++, c.len--;
		if (cursor_u8(&c, &ch) || ch != '}')
			return ERR_PARSE;
	}
	return 0;
}

/* domain_spec: a macro-string; without macros, a host name with a dot. */
static int domain_spec(struct cursor c, struct spf_term *t)
{
	size_t i;

	if (c.len == 0 || c.len >= sizeof(t->arg))
		return ERR_PARSE;
	if (spf_macro_string(c, 0, &t->has_macro))
		return ERR_PARSE;
	memcpy(t->arg, c.p, c.len);
	t->arg[c.len] = '\0';
	if (t->has_macro)
		return 0;
	for (i = 0; i < c.len; i++) {
		char ch = (char)c.p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_'))
			return ERR_PARSE;
	}
	return strchr(t->arg, '.') && strstr(t->arg, "..") == NULL && t->arg[0] != '.' ? 0
										       : ERR_PARSE;
}

static int cidr_len(struct cursor *c, unsigned max, int *out)
{
	uint64_t v;

	if (c->len && c->p[0] == '0' && c->len > 1 && c->p[1] >= '0' && c->p[1] <= '9')
		return ERR_PARSE; /* no leading zeros */
	if (cursor_uint(c, max, &v))
		return ERR_PARSE;
	*out = (int)v;
	return 0;
}

/* dual_cidr: trailing "/n", "//m" or "/n//m" of a/mx; removed from c. */
static int dual_cidr(struct cursor *c, struct spf_term *t)
{
	const unsigned char *slash = memchr(c->p, '/', c->len);
	struct cursor tail;

	if (!slash)
		return 0;
	cursor_init(&tail, slash, c->len - (size_t)(slash - c->p));
	c->len = (size_t)(slash - c->p);
	if (cursor_startswith(&tail, "//")) {
		tail.p += 2, tail.len -= 2;
		if (cidr_len(&tail, 128, &t->cidr6))
			return ERR_PARSE;
		return tail.len ? ERR_PARSE : 0;
	}
	tail.p++, tail.len--;
	if (cidr_len(&tail, 32, &t->cidr4))
		return ERR_PARSE;
	if (tail.len == 0)
		return 0;
	if (!cursor_startswith(&tail, "//"))
		return ERR_PARSE;
	tail.p += 2, tail.len -= 2;
	if (cidr_len(&tail, 128, &t->cidr6))
		return ERR_PARSE;
	return tail.len ? ERR_PARSE : 0;
}

static int ip_network(struct cursor c, struct spf_term *t, int v6)
{
	const unsigned char *slash = memchr(c.p, '/', c.len);
	unsigned char tmp[16];
	char ip[INET6_ADDRSTRLEN + 1];
	size_t alen = slash ? (size_t)(slash - c.p) : c.len;

	if (alen == 0 || alen >= sizeof(ip))
		return ERR_PARSE;
	memcpy(ip, c.p, alen);
	ip[alen] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, ip, tmp) != 1)
		return ERR_PARSE;
	str_lcpy(t->arg, ip, sizeof(t->arg));
	if (slash) {
		struct cursor n;

		cursor_init(&n, slash + 1, c.len - alen - 1);
		if (cidr_len(&n, v6 ? 128 : 32, v6 ? &t->cidr6 : &t->cidr4) || n.len)
			return ERR_PARSE;
	}
	return 0;
}

/* mechanism: name [":" arg] with its per-mechanism rules. */
static int mechanism(struct cursor c, struct spf_term *t)
{
	struct cursor name = c, arg = {NULL, 0};
	const unsigned char *colon = memchr(c.p, ':', c.len);
	const unsigned char *slash = memchr(c.p, '/', c.len);
	size_t i;
	int named; /* an argument after ":" */

	if (colon && (!slash || colon < slash)) {
		name.len = (size_t)(colon - c.p);
		cursor_init(&arg, colon + 1, c.len - name.len - 1);
	} else if (slash) {
		name.len = (size_t)(slash - c.p);
		cursor_init(&arg, slash, c.len - name.len);
	}
	for (i = 0; i < ARRAY_SIZE(mech_names); i++)
		if (cursor_eq_ci(&name, mech_names[i].name))
			break;
	if (i == ARRAY_SIZE(mech_names))
		return ERR_PARSE;
	t->mech = mech_names[i].mech;
	t->cidr4 = t->cidr6 = -1;
	named = colon && arg.p == colon + 1;
	switch (t->mech) {
	case SPF_ALL:
		return arg.p ? ERR_PARSE : 0;
	case SPF_INCLUDE:
	case SPF_EXISTS:
		return named ? domain_spec(arg, t) : ERR_PARSE;
	case SPF_PTR:
		if (!arg.p)
			return 0;
		return named ? domain_spec(arg, t) : ERR_PARSE;
	case SPF_A:
	case SPF_MX:
		if (!arg.p)
			return 0;
		if (dual_cidr(&arg, t))
			return ERR_PARSE;
		if (named)
			return domain_spec(arg, t);
		return arg.len == 0 ? 0 : ERR_PARSE;
	case SPF_IP4:
	case SPF_IP6:
		return named ? ip_network(arg, t, t->mech == SPF_IP6) : ERR_PARSE;
	default:
		return ERR_PARSE;
	}
}

static int modifier(struct cursor name, struct cursor val, struct spf_term *t,
		    struct spf_record *rec)
{
	size_t i;

	if (name.len == 0 || !((name.p[0] | 0x20) >= 'a' && (name.p[0] | 0x20) <= 'z'))
		return ERR_PARSE;
	for (i = 1; i < name.len; i++) {
		char ch = (char)name.p[i];

		if (!((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') && !(ch >= '0' && ch <= '9') &&
		    !strchr("-_.", ch))
			return ERR_PARSE;
	}
	t->cidr4 = t->cidr6 = -1;
	if (cursor_eq_ci(&name, "redirect")) {
		if (rec->redirect >= 0)
			return ERR_PARSE;
		t->mech = SPF_MOD_REDIRECT;
		rec->redirect = (int)rec->n;
		return domain_spec(val, t);
	}
	if (cursor_eq_ci(&name, "exp")) {
		if (rec->exp >= 0)
			return ERR_PARSE;
		t->mech = SPF_MOD_EXP;
		rec->exp = (int)rec->n;
		return domain_spec(val, t);
	}
	t->mech = SPF_MOD_OTHER;
	if (val.len >= sizeof(t->arg))
		return ERR_PARSE;
	return spf_macro_string(val, 0, &t->has_macro);
}

static int term(struct cursor c, struct spf_record *rec)
{
	struct spf_term *t = &rec->t[rec->n];
	const unsigned char *eq = memchr(c.p, '=', c.len);
	const unsigned char *colon = memchr(c.p, ':', c.len);
	const unsigned char *slash = memchr(c.p, '/', c.len);

	memset(t, 0, sizeof(*t));
	if (eq && (!colon || eq < colon) && (!slash || eq < slash)) {
		struct cursor name = {c.p, (size_t)(eq - c.p)}, val;

		cursor_init(&val, eq + 1, c.len - name.len - 1);
		if (modifier(name, val, t, rec))
			return parse_err(rec, "bad modifier", &c);
	} else {
		struct cursor m = c;

		t->qual = '+';
		if (m.len && strchr("+-~?", m.p[0])) {
			t->qual = (char)m.p[0];
			m.p++, m.len--;
		}
		if (mechanism(m, t))
			return parse_err(rec, "bad mechanism", &c);
		if (t->mech == SPF_ALL && rec->all < 0)
			rec->all = (int)rec->n;
	}
	rec->n++;
	return 0;
}

int spf_parse(const char *txt, size_t len, struct spf_record *rec)
{
	struct cursor c, tok;
	size_t cap;

	memset(rec, 0, sizeof(*rec));
	rec->all = rec->redirect = rec->exp = -1;
	if (len > MAIL_TXT_MAX) {
		snprintf(rec->err, sizeof(rec->err), "record too long (%zu bytes)", len);
		return ERR_TOO_BIG;
	}
	cursor_init(&c, txt, len);
	if (!spf_is_record(txt, len)) {
		snprintf(rec->err, sizeof(rec->err), "does not start with v=spf1");
		return ERR_PARSE;
	}
	c.p += 6, c.len -= 6;
	cap = len / 2 + 1;
	rec->t = calloc(cap, sizeof(*rec->t));
	if (!rec->t)
		return ERR_NOMEM;
	while (c.len) {
		cursor_span(&c, " ", &tok);
		if (c.len == 0)
			break;
		if (cursor_until(&c, ' ', &tok) != 0) {
			tok = c;
			c.len = 0;
		}
		if (rec->n == cap || term(tok, rec)) {
			if (!rec->err[0])
				snprintf(rec->err, sizeof(rec->err), "too many terms");
			return ERR_PARSE;
		}
	}
	return 0;
}

int spf_is_record(const char *txt, size_t len)
{
	return len >= 6 && strncasecmp(txt, "v=spf1", 6) == 0 && (len == 6 || txt[6] == ' ');
}

/* ------------------------------------------------------------ evaluation */

struct eval_state {
	spf_fetch_fn fetch;
	void *arg;
	struct spf_eval *ev;
	char stack[SPF_DEPTH_MAX][DNS_NAME_MAX];
	int depth;
	int fetches;
};

static void note(struct spf_eval *ev, const char *fmt, const char *a)
{
	if (ev->problem[0])
		return;
	snprintf(ev->problem, sizeof(ev->problem), fmt, a);
}

static int eval_domain(struct eval_state *st, const char *domain, int top);

static int eval_terms(struct eval_state *st, const struct spf_record *rec, int top)
{
	struct spf_eval *ev = st->ev;
	size_t i;
	int r;

	for (i = 0; i < rec->n; i++) {
		const struct spf_term *t = &rec->t[i];

		switch (t->mech) {
		case SPF_INCLUDE:
			ev->lookups++;
			if (!t->has_macro && (r = eval_domain(st, t->arg, 0)) != 0)
				return r;
			break;
		case SPF_A:
		case SPF_MX:
		case SPF_PTR:
		case SPF_EXISTS:
			ev->lookups++;
			break;
		case SPF_ALL:
			if (top && (int)i == rec->all)
				ev->all = t->qual;
			break;
		default:
			break;
		}
	}
	if (rec->redirect >= 0 && rec->all < 0) {
		const struct spf_term *t = &rec->t[rec->redirect];

		ev->lookups++;
		ev->redirects++;
		if (!t->has_macro)
			return eval_domain(st, t->arg, top);
	}
	return 0;
}

static int eval_domain(struct eval_state *st, const char *domain, int top)
{
	struct spf_eval *ev = st->ev;
	struct spf_record rec;
	struct buf txt = BUF_INIT;
	int i, n = 0, r;

	for (i = 0; i < st->depth; i++)
		if (strcasecmp(st->stack[i], domain) == 0) {
			ev->loop = 1;
			note(ev, "include/redirect loop at %s", domain);
			return 0;
		}
	if (st->depth == SPF_DEPTH_MAX || st->fetches >= SPF_FETCH_MAX || ev->lookups > 20) {
		ev->too_deep = 1;
		note(ev, "evaluation stopped at %s (too deep)", domain);
		return 0;
	}
	st->fetches++;
	buf_init(&txt, MAIL_TXT_MAX);
	r = st->fetch(st->arg, domain, &txt, &n);
	if (r == ERR_NOMEM)
		goto out;
	if (r || n != 1) {
		r = 0;
		if (st->depth == 0) {
			ev->records = n;
			goto out;
		}
		ev->broken = 1;
		note(ev, n > 1 ? "%s has several SPF records" : "%s has no usable SPF record",
		     domain);
		goto out;
	}
	if (st->depth == 0)
		ev->records = 1;
	r = spf_parse(txt.ptr, txt.len, &rec);
	if (r == ERR_NOMEM) {
		spf_record_release(&rec);
		goto out;
	}
	if (r) {
		r = 0;
		if (st->depth == 0)
			ev->syntax = 1;
		else
			ev->broken = 1;
		if (!ev->problem[0])
			snprintf(ev->problem, sizeof(ev->problem), "%.60s: %.130s", domain,
				 rec.err);
		spf_record_release(&rec);
		goto out;
	}
	if (top)
		ev->has_all = ev->has_all || rec.all >= 0;
	str_lcpy(st->stack[st->depth++], domain, DNS_NAME_MAX);
	r = eval_terms(st, &rec, top);
	st->depth--;
	spf_record_release(&rec);
out:
	buf_release(&txt);
	return r;
}

int spf_evaluate(const char *domain, spf_fetch_fn fetch, void *arg, struct spf_eval *ev)
{
	struct eval_state *st;
	int r;

	memset(ev, 0, sizeof(*ev));
	st = calloc(1, sizeof(*st));
	if (!st)
		return ERR_NOMEM;
	st->fetch = fetch;
	st->arg = arg;
	st->ev = ev;
	r = eval_domain(st, domain, 1);
	free(st);
	return r;
}

enum mail_verdict spf_verdict(const struct spf_eval *ev, struct buf *why)
{
	const char *w = NULL;
	enum mail_verdict v = MAIL_PASS;

	if (ev->syntax) {
		v = MAIL_FAIL;
		w = "syntax error";
	} else if (ev->all == '+' || ev->all == '?') {
		v = MAIL_FAIL;
		w = ev->all == '+' ? "ends with +all: anyone may send as you"
				   : "ends with ?all: no policy";
	} else if (!ev->all) {
		v = MAIL_FAIL;
		w = "no all mechanism (default is neutral)";
	} else if (ev->lookups > 10) {
		v = MAIL_PARTIAL;
		w = "more than 10 DNS lookups (permerror at receivers)";
	} else if (ev->loop || ev->broken || ev->too_deep) {
		v = MAIL_PARTIAL;
		w = "broken include or redirect";
	}
	if (why && w) {
		buf_reset(why);
		if (buf_addf(why, "%s (%d lookups%s%s)", w, ev->lookups, ev->problem[0] ? "; " : "",
			     ev->problem))
			buf_reset(why);
	}
	return v;
}
