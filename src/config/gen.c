/*
 * gen.c: text generated from an option table: the --help option list, a
 * commented sample INI file, the Markdown reference and "config show".
 * One table feeds all of them so they cannot drift apart.
 */
#include <string.h>

#include "config/config_int.h"

#define HELP_WIDTH 100	 /* columns of --help output */
#define HELP_LEFT_MAX 38 /* widest flag column before help moves down a line */
#define SAMPLE_WIDTH 78

/* Append text word-wrapped at width columns; the output is at column col
 * already and continuation lines start with indent. */
static int add_wrapped(struct buf *out, const char *text, const char *indent, size_t col,
		       size_t width)
{
	const char *p = text;
	size_t il = strlen(indent);
	int r = 0;

	while (r == 0 && *p) {
		size_t wl = strcspn(p, " ");

		if (col > il && col + 1 + wl > width) {
			r = buf_addf(out, "\n%s", indent);
			col = il;
		} else if (col > il) {
			r = buf_addch(out, ' ');
			col++;
		}
		if (r == 0)
			r = buf_add(out, p, wl);
		col += wl;
		p += wl;
		while (*p == ' ')
			p++;
	}
	return r;
}

static int needs_quotes(const char *s, size_t len)
{
	size_t i;

	if (!len || s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
		return 1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '#' || c == ';' ||
		    c == '\\')
			return 1;
	}
	return 0;
}

int config_add_ini_value(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int r;

	if (len && !needs_quotes(s, len))
		return buf_add(out, s, len);
	r = buf_addch(out, '"');
	for (i = 0; r == 0 && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			r = buf_addf(out, "\\%c", c);
		else if (c == '\n')
			r = buf_adds(out, "\\n");
		else if (c == '\t')
			r = buf_adds(out, "\\t");
		else if (c == '\r')
			r = buf_adds(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			r = buf_addf(out, "\\x%02x", c);
		else
			r = buf_addch(out, (char)c);
	}
	return r ? r : buf_addch(out, '"');
}

static const char *placeholder(enum config_type t)
{
	switch (t) {
	case CONFIG_STR:
		return "TEXT";
	case CONFIG_PATH:
		return "PATH";
	case CONFIG_INT:
		return "N";
	case CONFIG_DURATION_MS:
		return "DURATION";
	case CONFIG_SIZE:
		return "SIZE";
	case CONFIG_BOOL:
		return "[=BOOL]";
	case CONFIG_ENUM:
		break;
	}
	return "";
}

/* "--scan.timeout-ms=DURATION" */
static int add_flag(struct buf *out, const struct config_opt *o)
{
	size_t i;
	int r = buf_adds(out, "--");

	for (i = 0; r == 0 && o->name[i]; i++)
		r = buf_addch(out, o->name[i] == '_' ? '-' : o->name[i]);
	if (r || o->type == CONFIG_BOOL)
		return r ? r : buf_adds(out, placeholder(o->type));
	r = buf_addch(out, '=');
	if (r == 0 && o->type != CONFIG_ENUM)
		return buf_adds(out, placeholder(o->type));
	for (i = 0; r == 0 && o->choices[i]; i++)
		r = buf_addf(out, "%s%s", i ? "|" : "", o->choices[i]);
	return r;
}

int config_help(const struct config_opt *t, size_t n, struct buf *out)
{
	struct buf flag = BUF_INIT, text = BUF_INIT;
	size_t i, width = 0;
	int r = 0;

	for (i = 0; r == 0 && i < n; i++) {
		buf_reset(&flag);
		r = add_flag(&flag, &t[i]);
		if (r == 0 && flag.len > width && flag.len <= HELP_LEFT_MAX)
			width = flag.len;
	}
	for (i = 0; r == 0 && i < n; i++) {
		char indent[HELP_LEFT_MAX + 8];

		buf_reset(&flag);
		buf_reset(&text);
		r = add_flag(&flag, &t[i]);
		if (r == 0)
			r = buf_adds(&text, t[i].help);
		if (r == 0 && t[i].def && t[i].def[0])
			r = buf_addf(&text, " [default: %s]", t[i].def);
		if (r)
			break;
		memset(indent, ' ', width + 4);
		indent[width + 4] = '\0';
		if (flag.len > width)
			r = buf_addf(out, "  %s\n%s", flag.ptr, indent);
		else
			r = buf_addf(out, "  %-*s  ", (int)width, flag.ptr);
		if (r == 0)
			r = add_wrapped(out, text.ptr, indent, width + 4, HELP_WIDTH);
		if (r == 0)
			r = buf_addch(out, '\n');
	}
	buf_release(&flag);
	buf_release(&text);
	return r;
}

/* Calls fn for each option grouped by section in order of first appearance. */
static int for_each_grouped(const struct config_opt *t, size_t n,
			    int (*fn)(const struct config_opt *o, size_t idx, int first, void *arg),
			    void *arg)
{
	size_t i, j, k;
	int r = 0;

	for (i = 0; r == 0 && i < n; i++) {
		size_t sl = config_section_len(t[i].name);

		for (j = 0; j < i; j++)
			if (config_section_len(t[j].name) == sl &&
			    memcmp(t[j].name, t[i].name, sl) == 0)
				break;
		if (j < i)
			continue; /* section already written */
		for (k = i; r == 0 && k < n; k++)
			if (config_section_len(t[k].name) == sl &&
			    memcmp(t[k].name, t[i].name, sl) == 0)
				r = fn(&t[k], k, k == i, arg);
	}
	return r;
}

static int add_key_line(struct buf *out, const struct config_opt *o, int first, const char *c)
{
	size_t sl = config_section_len(o->name);
	int r = 0;

	if (first)
		r = buf_addf(out, "[%.*s]\n", (int)sl, o->name);
	if (r == 0)
		r = buf_addf(out, "%s%s = ", c, o->name + sl + 1);
	return r;
}

static int sample_one(const struct config_opt *o, size_t idx, int first, void *arg)
{
	struct buf *out = arg;
	const char *d = o->def ? o->def : "";
	int r = 0;

	(void)idx;
	if (first)
		r = buf_addf(out, "\n[%.*s]\n", (int)config_section_len(o->name), o->name);
	if (r == 0)
		r = buf_adds(out, "\n# ");
	if (r == 0)
		r = add_wrapped(out, o->help, "# ", 2, SAMPLE_WIDTH);
	if (r == 0)
		r = buf_adds(out, "\n# (");
	if (r == 0)
		r = config_type_desc(o, out);
	if (r == 0)
		r = buf_adds(out, ")\n");
	if (r == 0)
		r = add_key_line(out, o, 0, "#");
	if (r == 0)
		r = config_add_ini_value(out, d, strlen(d));
	if (r == 0)
		r = buf_addch(out, '\n');
	return r;
}

int config_sample(const struct config_opt *t, size_t n, struct buf *out)
{
	int r = buf_adds(out, "# Every setting is shown with its default value, commented out.\n"
			      "# Remove the leading '#' of a line to change a setting.\n");

	return r ? r : for_each_grouped(t, n, sample_one, out);
}

/* Markdown table cell text: '|' escaped, newlines as spaces. */
static int add_cell(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < len; i++) {
		if (s[i] == '|')
			r = buf_adds(out, "\\|");
		else
			r = buf_addch(out, s[i] == '\n' ? ' ' : s[i]);
	}
	return r;
}

static int markdown_row(struct buf *out, const struct config_opt *o, const char *env_prefix)
{
	struct buf tmp = BUF_INIT;
	char var[256];
	int r = buf_addf(out, "| `%s` | ", o->name);

	if (r == 0)
		r = config_type_desc(o, &tmp);
	if (r == 0)
		r = add_cell(out, tmp.ptr, tmp.len);
	if (r == 0 && o->def && o->def[0])
		r = buf_adds(out, " | `");
	else if (r == 0)
		r = buf_adds(out, " | (empty");
	if (r == 0 && o->def && o->def[0])
		r = add_cell(out, o->def, strlen(o->def));
	if (r == 0)
		r = buf_adds(out, o->def && o->def[0] ? "` | " : ") | ");
	if (r == 0)
		r = config_env_name(o, env_prefix, var, sizeof(var));
	if (r == 0)
		r = buf_addf(out, "`%s` | ", var);
	if (r == 0)
		r = add_cell(out, o->help, strlen(o->help));
	if (r == 0)
		r = buf_adds(out, " |\n");
	buf_release(&tmp);
	return r;
}

int config_markdown(const struct config_opt *t, size_t n, const char *env_prefix, struct buf *out)
{
	size_t i;
	int r = buf_adds(out, "| Setting | Type | Default | Environment | Description |\n"
			      "|---|---|---|---|---|\n");

	for (i = 0; r == 0 && i < n; i++)
		r = markdown_row(out, &t[i], env_prefix);
	return r;
}

struct show_arg {
	struct buf *out;
	const void *dst;
	const enum config_source *src;
};

/* The value of a "password=" query parameter of a URL in v, or NULL. */
static const char *query_password(const char *v, size_t *len)
{
	const char *q = strchr(v, '?'), *p;

	for (p = q; p; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, "password=", 9) == 0) {
			*len = strcspn(p + 10, "&#");
			return p + 10;
		}
	}
	return NULL;
}

/* Append v with the bytes [from, from + len) replaced by "***". */
static int add_masked(struct buf *m, const char *v, const char *from, size_t len)
{
	int r = buf_add(m, v, (size_t)(from - v));

	if (r == 0)
		r = buf_adds(m, "***");
	return r ? r : buf_adds(m, from + len);
}

/* Mask a secret value in v: all of it, or a URL's passwords (userinfo and
 * a password= query parameter). */
static int mask_secret(const struct config_opt *o, struct buf *v)
{
	struct buf m = BUF_INIT, m2 = BUF_INIT;
	const char *sep, *auth, *at, *colon, *pw;
	size_t alen, pwlen;
	int r = 0;

	if (!v->len || !(o->flags & (CONFIG_F_SECRET | CONFIG_F_SECRET_URL)))
		return 0;
	sep = strstr(v->ptr, "://");
	if (o->flags & CONFIG_F_SECRET) {
		buf_reset(v);
		return buf_adds(v, "***");
	}
	if (!sep)
		return 0; /* not a URL: no password in it */
	auth = sep + 3;
	alen = strcspn(auth, "/?#");
	at = memrchr(auth, '@', alen);
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon)
		r = add_masked(&m, v->ptr, colon + 1, (size_t)(at - colon - 1));
	else
		r = buf_add(&m, v->ptr, v->len);
	if (r == 0 && (pw = query_password(m.ptr, &pwlen)) != NULL)
		r = add_masked(&m2, m.ptr, pw, pwlen);
	if (r == 0) {
		buf_reset(v);
		r = m2.len ? buf_add(v, m2.ptr, m2.len) : buf_add(v, m.ptr, m.len);
	}
	buf_release(&m);
	buf_release(&m2);
	return r;
}

static int show_one(const struct config_opt *o, size_t idx, int first, void *arg)
{
	struct show_arg *a = arg;
	struct buf v = BUF_INIT;
	int r = 0;

	if (first && a->out->len)
		r = buf_addch(a->out, '\n');
	if (r == 0)
		r = add_key_line(a->out, o, first, "");
	if (r == 0)
		r = config_format_value(o, a->dst, &v);
	if (r == 0)
		r = mask_secret(o, &v);
	if (r == 0)
		r = config_add_ini_value(a->out, v.ptr, v.len);
	if (r == 0 && a->src)
		r = buf_addf(a->out, "  # %s", config_source_name(a->src[idx]));
	if (r == 0)
		r = buf_addch(a->out, '\n');
	buf_release(&v);
	return r;
}

int config_show(const struct config_opt *t, size_t n, const void *dst,
		const enum config_source *src, struct buf *out)
{
	struct show_arg a = {out, dst, src};

	return for_each_grouped(t, n, show_one, &a);
}
