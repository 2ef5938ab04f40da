/*
 * lang.c: the language of an answer's texts. Check titles and tips come
 * from the registry in the language the client asks for (the dashboard
 * sends its choice in Accept-Language); what the scanner found (the
 * detail after the title, the evidence) is stored once and shown as is.
 */
#include <string.h>

#include "api/api_int.h"
#include "core/core.h"

enum check_lang api_req_lang(const struct api_req *rq)
{
	return api_mail_lang(rq ? rq->accept_language : NULL) == API_LANG_EN ? LANG_EN : LANG_NL;
}

int api_json_title(struct buf *out, const struct check_def *d, const char *stored,
		   enum check_lang lang)
{
	const char *title;
	size_t n;

	if (!stored)
		return buf_add(out, "null", 4);
	if (!d || !d->title_en || lang == LANG_EN)
		return api_json_str(out, stored, strlen(stored));
	n = strlen(d->title_en);
	if (strncmp(stored, d->title_en, n) != 0 || (stored[n] != '\0' && stored[n] != ':'))
		return api_json_str(out, stored, strlen(stored));
	title = check_title(d, lang);
	return api_json_str2(out, title, strlen(title), stored + n, strlen(stored + n));
}
