/*
 * fuzz_http_headers.c: the HTTP header block parser and the HTML tag
 * walker on arbitrary bytes (split at the first "\r\n\r\n": header block,
 * then body as HTML). No crash or leak; every stored header has a
 * non-empty token name; values never exceed the line cap; every tag
 * attribute points inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	return 0;
}
