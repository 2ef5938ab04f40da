/*
 * cms.c: CMS and plugin version data: the operator-maintained file of the
 * newest known releases (data/cms-versions.tsv), the meta/feed generator
 * strings of WordPress, Joomla and Drupal, and the "Stable tag" line of a
 * WordPress plugin readme.txt.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web_int.h"

#define CMS_FILE_MAX (1 << 20)

void web_cms_release(struct cms_db *db)
{
	free(db->v);
	db->v = NULL;
	db->n = 0;
}

static int copy_field(const struct cursor *f, char *out, size_t outsz)
{
	size_t i;

	if (f->len == 0 || f->len >= outsz)
		return ERR_PARSE;
	for (i = 0; i < f->len; i++) {
		if (f->p[i] <= 0x20 || f->p[i] >= 0x7f)
			return ERR_PARSE; /* names and versions are printable tokens */
	}
	memcpy(out, f->p, f->len);
	out[f->len] = '\0';
	return 0;
}

/* "product<TAB>version[<TAB>date...]" */
static int parse_row(struct cursor line, struct cms_latest *e)
{
	struct cursor prod, ver;
	size_t i;

	if (cursor_until(&line, '\t', &prod))
		return ERR_PARSE;
	web_adv(&line, 1);
	if (cursor_until(&line, '\t', &ver))
		ver = line;
	cursor_trim(&prod);
	cursor_trim(&ver);
	if (copy_field(&prod, e->product, sizeof(e->product)) ||
	    copy_field(&ver, e->version, sizeof(e->version)))
		return ERR_PARSE;
	for (i = 0; e->product[i]; i++) {
		if (e->product[i] >= 'A' && e->product[i] <= 'Z')
			e->product[i] = (char)(e->product[i] + 32);
	}
	return 0;
}

int web_cms_parse(const char *p, size_t len, struct cms_db *db)
{
	struct cursor c, line;
	size_t cap = 0;
	int r;

	db->v = NULL;
	db->n = 0;
	cursor_init(&c, p, len);
	while (c.len) {
		r = cursor_line(&c, 1024, &line);
		if (r == ERR_EOF) {
			line = c;
			c.len = 0;
		} else if (r) {
			goto fail;
		}
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		cursor_trim(&line);
		if (line.len == 0 || line.p[0] == '#')
			continue;
		if (db->n == cap) {
			struct cms_latest *nv;

			cap = cap ? cap * 2 : 32;
			nv = realloc(db->v, cap * sizeof(*nv));
			if (!nv) {
				r = ERR_NOMEM;
				goto fail;
			}
			db->v = nv;
		}
		r = parse_row(line, &db->v[db->n]);
		if (r)
			goto fail;
		db->n++;
	}
	return 0;
fail:
	web_cms_release(db);
	return r;
}

int web_cms_load(const char *path, struct cms_db *db, struct buf *err)
{
	struct buf b;
	char chunk[8192];
	FILE *fp = fopen(path, "r");
	size_t n;
	int r = 0;

	if (!fp) {
		buf_errf(err, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	buf_init(&b, CMS_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && r == 0)
		r = buf_add(&b, chunk, n);
	if (r == 0 && ferror(fp))
		r = ERR_IO;
	fclose(fp);
	if (r == 0)
		r = web_cms_parse(b.ptr, b.len, db);
	if (r)
		buf_errf(err, "%s: %s", path, err_str(r));
	buf_release(&b);
	return r;
}

const char *web_cms_latest(const struct cms_db *db, const char *product)
{
	size_t i;

	for (i = 0; db && i < db->n; i++) {
		if (strcasecmp(db->v[i].product, product) == 0)
			return db->v[i].version;
	}
	return NULL;
}

/* The version-looking token at c (digits and dots), copied to ver. */
static int take_version(struct cursor c, char *ver, size_t versz)
{
	struct cursor v;

	cursor_trim(&c);
	cursor_span(&c, "0123456789.", &v);
	while (v.len && v.p[v.len - 1] == '.')
		v.len--;
	if (v.len == 0 || v.p[0] == '.' || v.len >= versz)
		return ERR_PARSE;
	memcpy(ver, v.p, v.len);
	ver[v.len] = '\0';
	return 0;
}

int web_generator_parse(const char *s, size_t len, char *cms, size_t cmssz, char *ver, size_t versz)
{
	static const struct {
		const char *prefix, *cms;
	} gens[] = {
	    {"WordPress", "wordpress"},
	    {"https://wordpress.org/?v=", "wordpress"},
	    {"Joomla! - Open Source Content Management", "joomla"},
	    {"Joomla!", "joomla"},
	    {"Drupal", "drupal"},
	};
	struct cursor c;
	size_t i;

	cursor_init(&c, s, len);
	cursor_trim(&c);
	ver[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(gens); i++) {
		if (!cursor_startswith_ci(&c, gens[i].prefix))
			continue;
		web_adv(&c, strlen(gens[i].prefix));
		str_lcpy(cms, gens[i].cms, cmssz);
		/* "Joomla! - Open Source ..." carries no version; others may. */
		if (c.len && (c.p[0] == ' ' || c.p[0] == '=' || (c.p[0] >= '0' && c.p[0] <= '9')))
			(void)take_version(c, ver, versz);
		return 0;
	}
	return ERR_NOTFOUND;
}

int web_readme_stable_tag(const char *p, size_t len, char *out, size_t outsz)
{
	struct cursor c, line;
	int r;

	cursor_init(&c, p, len > 65536 ? 65536 : len);
	while (c.len) {
		r = cursor_line(&c, 4096, &line);
		if (r == ERR_EOF) {
			line = c;
			c.len = 0;
		} else if (r) {
			return r;
		}
		cursor_trim(&line);
		if (cursor_startswith_ci(&line, "Stable tag:")) {
			web_adv(&line, 11);
			return take_version(line, out, outsz);
		}
	}
	return ERR_NOTFOUND;
}
