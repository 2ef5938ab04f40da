/*
 * pg_sql.c: the lexical half of the PostgreSQL backend, without libpq so
 * the unit tests reach it on any build. A cursor over the SQL text that
 * knows PostgreSQL's string literals ('...' with '' doubled, E'...' with
 * backslash escapes), quoted identifiers ("..."), comments (-- and nested
 * slash-star) and dollar-quoted strings ($tag$...$tag$). It rewrites the
 * portable '?' parameters to $1, $2, ... and splits scripts into
 * statements at the semicolons outside all of those. ?NNN (SQLite's
 * numbered form) becomes $NNN.
 */
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Characters of an unquoted identifier after its first (PostgreSQL allows $). */
static int ident_char(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$' || c >= 0x80;
}

/* Characters of a dollar-quote tag: an identifier without '$'. */
static int tag_char(unsigned char c)
{
	return c != '$' && ident_char(c);
}

static const char *find_bytes(const char *h, size_t hlen, const char *n, size_t nlen)
{
	for (size_t i = 0; nlen <= hlen && i <= hlen - nlen; i++)
		if (memcmp(h + i, n, nlen) == 0)
			return h + i;
	return NULL;
}

/*
 * skip_opaque: when s[i] starts a literal, quoted identifier, comment or
 * dollar-quoted string, set *end past it and return 1; 0 when s[i] is
 * plain SQL; ERR_INVAL when it never ends.
 */
static int skip_opaque(const char *s, size_t len, size_t i, size_t *end)
{
	unsigned char c = (unsigned char)s[i];
	size_t j;

	if (c == '\'' || c == '"') {
		/* E'...' (not the E at the end of a longer word) takes backslashes. */
		int bs = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
			 (i < 2 || !ident_char((unsigned char)s[i - 2]));

		for (j = i + 1; j < len; j++) {
			if (bs && s[j] == '\\') {
				j++;
				continue;
			}
			if ((unsigned char)s[j] == c) {
				if (j + 1 < len && (unsigned char)s[j + 1] == c) {
					j++;
					continue;
				}
				*end = j + 1;
				return 1;
			}
		}
		return ERR_INVAL;
	}
	if (c == '-' && i + 1 < len && s[i + 1] == '-') {
		for (j = i + 2; j < len && s[j] != '\n'; j++)
			;
		*end = j;
		return 1;
	}
	if (c == '/' && i + 1 < len && s[i + 1] == '*') {
		int depth = 1;

		for (j = i + 2; j + 1 < len; j++) {
			if (s[j] == '/' && s[j + 1] == '*') {
				depth++;
				j++;
			} else if (s[j] == '*' && s[j + 1] == '/') {
				j++;
				if (--depth == 0) {
					*end = j + 1;
					return 1;
				}
			}
		}
		return ERR_INVAL;
	}
	if (c == '$' && (i == 0 || !ident_char((unsigned char)s[i - 1])) && i + 1 < len &&
	    !is_digit((unsigned char)s[i + 1])) {
		const char *close;

		for (j = i + 1; j < len && tag_char((unsigned char)s[j]); j++)
			;
		if (j >= len || s[j] != '$')
			return 0; /* a lone '$': not a quote */
		j++;
		close = find_bytes(s + j, len - j, s + i, j - i);
		if (!close)
			return ERR_INVAL;
		*end = (size_t)(close - s) + (j - i);
		return 1;
	}
	return 0;
}

int store_pg_translate(const char *sql, size_t len, struct buf *out, int *nparams)
{
	size_t orig = out->len, i = 0, end = 0;
	int n = 0, semi = 0, r = 0;

	if (len > STORE_PG_SQL_MAX)
		return ERR_TOO_BIG;
	while (i < len) {
		unsigned char c = (unsigned char)sql[i];

		r = skip_opaque(sql, len, i, &end);
		if (r < 0)
			goto out;
		if (r == 1) {
			/* Comments may follow the final ';'; literals may not. */
			if (semi && sql[i] != '-' && sql[i] != '/') {
				r = ERR_INVAL;
				goto out;
			}
			r = buf_add(out, sql + i, end - i);
			if (r != 0)
				goto out;
			i = end;
			continue;
		}
		if (c == '\0' || (semi && !is_space(c) && c != ';')) {
			r = ERR_INVAL; /* a NUL, or a second statement */
			goto out;
		}
		if (c == '?') {
			/* SQLite's numbering: ?NNN is parameter NNN, a plain ? the
			 * one after the largest so far. */
			int num = 0;

			while (i + 1 < len && is_digit((unsigned char)sql[i + 1]) &&
			       num <= STORE_PG_PARAMS_MAX)
				num = num * 10 + (sql[++i] - '0');
			if (num == 0 && is_digit((unsigned char)sql[i])) {
				r = ERR_INVAL; /* ?0 */
				goto out;
			}
			if (num == 0)
				num = n + 1;
			if (num > STORE_PG_PARAMS_MAX) {
				r = ERR_TOO_BIG;
				goto out;
			}
			if (num > n)
				n = num;
			r = buf_addf(out, "$%d", num);
		} else if (c == '$' && i + 1 < len && is_digit((unsigned char)sql[i + 1]) &&
			   (i == 0 || !ident_char((unsigned char)sql[i - 1]))) {
			r = ERR_INVAL; /* "$1" parameters are not the portable subset */
		} else {
			semi |= c == ';';
			r = buf_addch(out, (char)c);
		}
		if (r != 0)
			goto out;
		i++;
	}
	*nparams = n;
	return 0;
out:
	buf_truncate(out, orig);
	return r;
}

int store_pg_split(const char *sql, size_t len, size_t *stmt_len, int *has_code)
{
	size_t i = 0, end = 0;
	int code = 0, r;

	while (i < len) {
		unsigned char c = (unsigned char)sql[i];

		r = skip_opaque(sql, len, i, &end);
		if (r < 0)
			return r;
		if (r == 1) {
			code |= sql[i] != '-' && sql[i] != '/';
			i = end;
			continue;
		}
		if (c == '\0')
			return ERR_INVAL;
		i++;
		if (c == ';')
			break;
		code |= !is_space(c);
	}
	*stmt_len = i;
	*has_code = code;
	return 0;
}
