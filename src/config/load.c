/*
 * load.c: filling a config struct from the table's defaults, environment
 * variables and command-line flags, and config_load_all, which layers
 * defaults < file < environment < flags and records where each value came from.
 */
#include <ctype.h>
#include <string.h>

#include "config/config_int.h"

const char *config_source_name(enum config_source s)
{
	switch (s) {
	case CONFIG_SRC_DEFAULT:
		return "default";
	case CONFIG_SRC_FILE:
		return "file";
	case CONFIG_SRC_ENV:
		return "env";
	case CONFIG_SRC_FLAG:
		return "flag";
	}
	return "?";
}

int config_defaults(const struct config_opt *t, size_t n, void *dst, struct buf *err)
{
	struct buf why = BUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; i < n; i++)
		memset((char *)dst + t[i].offset, 0, t[i].size);
	for (i = 0; i < n; i++) {
		const char *d = t[i].def ? t[i].def : "";

		r = config_value_store(&t[i], dst, d, strlen(d), &why);
		if (r) {
			config_fail(err, "default of %s: %s", t[i].name, why.ptr);
			r = ERR_INVAL;
			break;
		}
	}
	buf_release(&why);
	return r;
}

static int name_ok(const char *name)
{
	size_t sl = config_section_len(name), i;

	if (!sl || !name[sl + 1])
		return 0;
	for (i = 0; name[i]; i++) {
		char c = name[i];

		if (i == sl)
			continue;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

int config_table_check(const struct config_opt *t, size_t n, struct buf *err)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!t[i].name || !name_ok(t[i].name)) {
			config_fail(err, "option %zu: bad name '%s'", i,
				    t[i].name ? t[i].name : "(null)");
			return ERR_INVAL;
		}
		if (!t[i].help || !t[i].help[0]) {
			config_fail(err, "option %s: no help text", t[i].name);
			return ERR_INVAL;
		}
		if (t[i].type == CONFIG_ENUM && (!t[i].choices || !t[i].choices[0])) {
			config_fail(err, "option %s: enum without choices", t[i].name);
			return ERR_INVAL;
		}
		for (j = 0; j < i; j++) {
			if (config_name_eq(t[i].name, strlen(t[i].name), t[j].name,
					   strlen(t[j].name))) {
				config_fail(err, "option %s: defined twice", t[i].name);
				return ERR_INVAL;
			}
		}
	}
	return 0;
}

const struct config_opt *config_find(const struct config_opt *t, size_t n, const char *name,
				     size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (config_name_eq(t[i].name, strlen(t[i].name), name, len))
			return &t[i];
	return NULL;
}

int config_set(const struct config_opt *t, size_t n, void *dst, const char *name, const char *value,
	       size_t len, struct buf *err)
{
	const struct config_opt *o = config_find(t, n, name, strlen(name));
	struct buf why = BUF_INIT;
	int r;

	if (!o) {
		config_fail(err, "unknown setting '%.*s'", (int)strnlen(name, CONFIG_EXCERPT_MAX),
			    name);
		return ERR_NOTFOUND;
	}
	r = config_value_store(o, dst, value, len, &why);
	if (r)
		config_fail(err, "%s", why.ptr);
	buf_release(&why);
	return r;
}

int config_env_name(const struct config_opt *o, const char *prefix, char *out, size_t size)
{
	size_t pl = strlen(prefix), nl = strlen(o->name), i;

	if (pl + nl + 1 > size)
		return ERR_TOO_BIG;
	memcpy(out, prefix, pl);
	for (i = 0; i < nl; i++) {
		char c = o->name[i];

		out[pl + i] = (c == '.' || c == '-') ? '_' : (char)toupper((unsigned char)c);
	}
	out[pl + nl] = '\0';
	return 0;
}

/* getenv over an explicit envp. */
static const char *env_get(char **envp, const char *name)
{
	size_t nl = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, nl) == 0 && (*envp)[nl] == '=')
			return *envp + nl + 1;
	return NULL;
}

int config_load_env(const struct config_opt *t, size_t n, void *dst, const char *prefix,
		    char **envp, enum config_source *src, struct buf *err)
{
	struct buf why = BUF_INIT;
	char var[256];
	size_t i;
	int r = 0;

	if (!prefix)
		return ERR_INVAL;
	for (i = 0; i < n && envp; i++) {
		const char *v;
		size_t vl;

		r = config_env_name(&t[i], prefix, var, sizeof(var));
		if (r) {
			config_fail(err, "environment variable name for %s is too long", t[i].name);
			break;
		}
		v = env_get(envp, var);
		if (!v)
			continue;
		vl = strnlen(v, CONFIG_LINE_MAX + 1);
		if (vl > CONFIG_LINE_MAX) {
			config_fail(err, "environment variable %s: value too long (max %u bytes)",
				    var, CONFIG_LINE_MAX);
			r = ERR_TOO_BIG;
			break;
		}
		r = config_value_store(&t[i], dst, v, vl, &why);
		if (r) {
			config_fail(err, "environment variable %s: %s", var, why.ptr);
			break;
		}
		if (src)
			src[i] = CONFIG_SRC_ENV;
	}
	buf_release(&why);
	return r;
}

static int is_config_flag(const char *name, size_t len)
{
	return config_name_eq(name, len, "config", 6);
}

static int arg_fail(struct buf *err, int code, const char *arg, size_t len, const char *what)
{
	config_fail(err, "option --%.*s: %s",
		    (int)(len > CONFIG_EXCERPT_MAX ? CONFIG_EXCERPT_MAX : len), arg, what);
	return code;
}

/* One option at argv[*i]; advances *i past a separate value. */
static int parse_one(const struct config_opt *t, size_t n, void *dst, int argc, char **argv, int *i,
		     enum config_source *src, struct buf *why, struct buf *err)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '='), *val;
	size_t nl = eq ? (size_t)(eq - name) : strlen(name);
	const struct config_opt *o;
	int r;

	if (is_config_flag(name, nl)) {
		if (eq)
			return 0;
		if (*i + 1 >= argc)
			return arg_fail(err, ERR_PARSE, name, nl, "needs a value");
		++*i;
		return 0;
	}
	o = config_find(t, n, name, nl);
	if (!o) {
		config_fail(err, "unknown option '--%.*s'",
			    (int)(nl > CONFIG_EXCERPT_MAX ? CONFIG_EXCERPT_MAX : nl), name);
		return ERR_NOTFOUND;
	}
	if (eq)
		val = eq + 1;
	else if (o->type == CONFIG_BOOL)
		val = "true";
	else if (*i + 1 < argc)
		val = argv[++*i];
	else
		return arg_fail(err, ERR_PARSE, name, nl, "needs a value");
	r = config_value_store(o, dst, val, strlen(val), why);
	if (r)
		return arg_fail(err, r, name, nl, why->ptr);
	if (src)
		src[o - t] = CONFIG_SRC_FLAG;
	return 0;
}

int config_parse_args(const struct config_opt *t, size_t n, void *dst, int argc, char **argv,
		      int *first_operand, enum config_source *src, struct buf *err)
{
	struct buf why = BUF_INIT;
	int i, r = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break; /* an operand ("-" is one too) */
		if (a[1] != '-') {
			config_fail(err, "unknown option '%.*s'",
				    (int)strnlen(a, CONFIG_EXCERPT_MAX), a);
			r = ERR_NOTFOUND;
			break;
		}
		r = parse_one(t, n, dst, argc, argv, &i, src, &why, err);
		if (r)
			break;
	}
	if (first_operand)
		*first_operand = i < argc ? i : argc;
	buf_release(&why);
	return r;
}

/* The last --config among the options before the first operand. */
static int find_config_arg(const struct config_opt *t, size_t n, int argc, char **argv,
			   const char **path, struct buf *err)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *name, *eq;
		const struct config_opt *o;
		size_t nl;

		if (strcmp(a, "--") == 0 || a[0] != '-' || a[1] != '-')
			break;
		name = a + 2;
		eq = strchr(name, '=');
		nl = eq ? (size_t)(eq - name) : strlen(name);
		if (is_config_flag(name, nl)) {
			if (eq) {
				*path = eq + 1;
			} else if (i + 1 < argc) {
				*path = argv[++i];
			} else {
				return arg_fail(err, ERR_PARSE, name, nl, "needs a value");
			}
			continue;
		}
		o = config_find(t, n, name, nl);
		if (o && !eq && o->type != CONFIG_BOOL)
			i++; /* skip its value */
	}
	return 0;
}

static int load_config_file(const struct config_opt *t, size_t n, void *dst, struct config_load *ld,
			    struct buf *err)
{
	const char *path = NULL;
	int r, named = 1;

	r = find_config_arg(t, n, ld->argc, ld->argv, &path, err);
	if (r)
		return r;
	if (!path && ld->env_prefix) {
		char var[256];

		if ((size_t)snprintf(var, sizeof(var), "%sCONFIG", ld->env_prefix) < sizeof(var))
			path = env_get(ld->envp, var);
	}
	if (!path) {
		path = ld->default_path;
		named = 0;
	}
	if (!path || !path[0])
		return 0;
	if (strlen(path) >= sizeof(ld->file)) {
		config_fail(err, "%.*s...: config file path too long", 64, path);
		return ERR_TOO_BIG;
	}
	r = config_load_file(t, n, dst, path, ld->src, err);
	if (r == ERR_NOTFOUND && !named) {
		if (err)
			buf_reset(err);
		return 0;
	}
	if (r == 0)
		str_lcpy(ld->file, path, sizeof(ld->file));
	return r;
}

int config_load_all(const struct config_opt *t, size_t n, void *dst, struct config_load *ld,
		    struct buf *err)
{
	size_t i;
	int r;

	ld->file[0] = '\0';
	ld->first_operand = 0;
	for (i = 0; ld->src && i < n; i++)
		ld->src[i] = CONFIG_SRC_DEFAULT;
	r = config_defaults(t, n, dst, err);
	if (r == 0)
		r = load_config_file(t, n, dst, ld, err);
	if (r == 0 && ld->env_prefix)
		r = config_load_env(t, n, dst, ld->env_prefix, ld->envp, ld->src, err);
	if (r == 0)
		r = config_parse_args(t, n, dst, ld->argc, ld->argv, &ld->first_operand, ld->src,
				      err);
	return r;
}
