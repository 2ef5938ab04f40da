/*
 * html.c: a bounded HTML start-tag tokenizer (enough of the WHATWG
 * tokenizer for script/link/meta tags): comments, doctype and end tags
 * skipped, script/style content skipped as raw text, attributes with
 * quoted or unquoted values. Linear in the input; no regex, no copies.
 */
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

#define HTML_TAG_MAX 8192
#define HTML_NAME_MAX 64

static int is_ws(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static int is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Position of lit (ASCII case-insensitive) in p[from..len), or len. */
static size_t find_ci(const char *p, size_t len, size_t from, const char *lit)
{
	size_t n = strlen(lit);

	while (from + n <= len) {
		const char *q = memchr(p + from, lit[0], len - from - n + 1);
		const char *q2 = lit[0] >= 'a' && lit[0] <= 'z'
				     ? memchr(p + from, lit[0] - 32, len - from - n + 1)
				     : NULL;

		if (q2 && (!q || q2 < q))
			q = q2;
		if (!q)
			break;
		from = (size_t)(q - p);
		if (strncasecmp(p + from, lit, n) == 0)
			return from;
		from++;
	}
	return len;
}

static size_t skip_to_gt(const char *p, size_t len, size_t i)
{
	const char *q = memchr(p + i, '>', len - i);

	return q ? (size_t)(q - p) + 1 : len;
}

/* One attribute at p[*i..end); returns 0 at '>' or the end. */
static int parse_attr(const char *p, size_t end, size_t *i, struct html_tag *t)
{
	size_t j = *i, ns, ne, vs = 0, ve = 0;
	int has_v = 0;

	while (j < end && (is_ws((unsigned char)p[j]) || p[j] == '/'))
		j++;
	if (j >= end || p[j] == '>') {
		*i = j;
		return 0;
	}
	ns = j++; /* a leading '=' belongs to the name (WHATWG) */
	while (j < end && !is_ws((unsigned char)p[j]) && p[j] != '/' && p[j] != '>' && p[j] != '=')
		j++;
	ne = j;
	while (j < end && is_ws((unsigned char)p[j]))
		j++;
	if (j < end && p[j] == '=') {
		has_v = 1;
		j++;
		while (j < end && is_ws((unsigned char)p[j]))
			j++;
		if (j < end && (p[j] == '"' || p[j] == '\'')) {
			const char *q = memchr(p + j + 1, p[j], end - j - 1);

			vs = j + 1;
			ve = q ? (size_t)(q - p) : end;
			j = q ? ve + 1 : end;
		} else {
			vs = j;
			while (j < end && !is_ws((unsigned char)p[j]) && p[j] != '>')
				j++;
			ve = j;
		}
	} else {
		j = ne;
	}
	if (t->n_attrs < HTML_MAX_ATTRS) {
		struct html_attr *a = &t->a[t->n_attrs++];

		a->name = p + ns;
		a->name_len = ne - ns;
		a->value = has_v ? p + vs : NULL;
		a->value_len = has_v ? ve - vs : 0;
	}
	*i = j;
	return 1;
}

/* Parse the start tag at p[lt] = '<'; *next gets where to continue. */
static int start_tag(const char *p, size_t len, size_t lt, struct html_tag *t, size_t *next)
{
	size_t i = lt + 1, end = len - lt > HTML_TAG_MAX ? lt + HTML_TAG_MAX : len;

	memset(t, 0, sizeof(*t));
	t->name = p + i;
	while (i < end && !is_ws((unsigned char)p[i]) && p[i] != '>' && p[i] != '/')
		i++;
	t->name_len = i - lt - 1;
	if (t->name_len > HTML_NAME_MAX) {
		*next = i;
		return 0;
	}
	while (i < end && parse_attr(p, end, &i, t))
		;
	if (i < end && p[i] == '>') {
		*next = i + 1;
		return 1;
	}
	/* No '>' within the cap: give up on this tag, resume after it. */
	*next = end;
	return 0;
}

static int name_is(const struct html_tag *t, const char *n)
{
	return strlen(n) == t->name_len && strncasecmp(t->name, n, t->name_len) == 0;
}

int web_html_walk(const char *p, size_t len, html_tag_fn fn, void *arg)
{
	struct html_tag t;
	size_t i = 0, next;
	int r;

	while (i < len) {
		const char *lt = memchr(p + i, '<', len - i);
		size_t j;

		if (!lt)
			break;
		j = (size_t)(lt - p);
		if (len - j >= 4 && memcmp(lt, "<!--", 4) == 0) {
			size_t e = find_ci(p, len, j + 4, "-->");

			i = e == len ? len : e + 3;
			continue;
		}
		if (j + 1 >= len)
			break;
		if (lt[1] == '!' || lt[1] == '?' || lt[1] == '/') {
			i = skip_to_gt(p, len, j + 1);
			continue;
		}
		if (!is_alpha((unsigned char)lt[1])) {
			i = j + 1;
			continue;
		}
		if (!start_tag(p, len, j, &t, &next)) {
			i = next > j ? next : j + 1;
			continue;
		}
		r = fn(&t, arg);
		if (r)
			return r;
		i = next;
		/* Raw text elements: their content holds no tags. */
		if (name_is(&t, "script"))
			i = find_ci(p, len, i, "</script");
		else if (name_is(&t, "style"))
			i = find_ci(p, len, i, "</style");
		else if (name_is(&t, "textarea"))
			i = find_ci(p, len, i, "</textarea");
	}
	return 0;
}

const char *web_html_attr(const struct html_tag *t, const char *name, size_t *len)
{
	size_t i, n = strlen(name);

	for (i = 0; i < t->n_attrs; i++) {
		const struct html_attr *a = &t->a[i];

		if (a->name_len == n && strncasecmp(a->name, name, n) == 0) {
			if (len)
				*len = a->value_len;
			return a->value ? a->value : "";
		}
	}
	return NULL;
}
