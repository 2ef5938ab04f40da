/*
 * fuzz_http_headers.c: the HTTP header block parser and the HTML tag
 * walker on arbitrary bytes (split at the first "\r\n\r\n": header block,
 * then body as HTML). No crash or leak; every stored header has a
 * non-empty token name; values never exceed the line cap; every tag
 * attribute points inside the input. The body also goes through the other
 * small parsers of a page: the CMS versions file, a readme "Stable tag",
 * a generator string, a version banner and, as a Location, URL resolution.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
	const char *p;
	size_t len;
	size_t tags;
};

static int check_tag(const struct html_tag *t, void *arg)
{
	struct walk *w = arg;
	size_t i;

	if (t->name < w->p || t->name + t->name_len > w->p + w->len || t->n_attrs > HTML_MAX_ATTRS)
		abort();
	for (i = 0; i < t->n_attrs; i++) {
		const struct html_attr *a = &t->a[i];

		if (a->name < w->p || a->name + a->name_len > w->p + w->len)
			abort();
		if (a->value && (a->value < w->p || a->value + a->value_len > w->p + w->len))
			abort();
	}
	w->tags++;
	return 0;
}

static void other_parsers(const char *p, size_t len)
{
	struct cms_db db;
	struct buf b = BUF_INIT;
	char v[32], cms[32], *loc;
	size_t i;

	if (web_cms_parse(p, len, &db) == 0) {
		for (i = 0; i < db.n; i++) {
			if (!db.v[i].product[0] || !db.v[i].version[0])
				abort();
		}
		web_cms_release(&db);
	}
	if (web_readme_stable_tag(p, len, v, sizeof(v)) == 0 && (!v[0] || strlen(v) >= sizeof(v)))
		abort();
	if (web_generator_parse(p, len, cms, sizeof(cms), v, sizeof(v)) == 0 && !cms[0])
		abort();
	(void)web_has_version(p, len);
	loc = xstrndup(p, len < 4096 ? len : 4096);
	if (loc && web_url_resolve("https://a.test/x/y?q", loc, &b) == 0 &&
	    strncasecmp(b.ptr, "http", 4) != 0)
		abort();
	free(loc);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *sep = memmem(p, size, "\r\n\r\n", 4);
	size_t hlen = sep ? (size_t)(sep - p) + 4 : size, i;
	struct web_headers h;
	struct walk w = {NULL, 0, 0};
	int r;

	web_headers_init(&h);
	r = web_headers_parse(p, hlen, &h);
	if (r != 0 && r != ERR_TOO_BIG && r != ERR_NOMEM)
		abort();
	for (i = 0; r == 0 && i < h.n; i++) {
		if (!h.v[i].name[0] || strchr(h.v[i].name, ':') ||
		    strlen(h.v[i].value) > WEB_HDR_MAX_LINE)
			abort();
	}
	if (r == 0 && h.n)
		(void)web_headers_get(&h, h.v[h.n - 1].name, NULL);
	web_headers_release(&h);
	w.p = p + hlen;
	w.len = size - hlen;
	if (web_html_walk(w.p, w.len, check_tag, &w) != 0)
		abort();
	other_parsers(w.p, w.len);
	return 0;
}
