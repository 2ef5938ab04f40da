/*
 * changelog.c: the CVEs a Debian build says it fixed. Walks a
 * debian/changelog ("pkg (version) dist; urgency=..." headers, indented
 * entries, newest first) with a cursor and collects the CVE ids of every
 * entry whose version is <= the installed one (dpkg order). Bounded in
 * input size, line length and number of ids; never relies on a NUL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "vuln/vuln_int.h"

#define LINE_MAX_LEN 65536
#define CL_VERSION_MAX 63

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_pkgchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '-' || c == '.';
}

/*
 * vuln_changelog_header: is p[0..len) an entry header "pkg (version) ..."?
 * Returns 1 and points *ver at the version, else 0.
 */
TESTABLE int vuln_changelog_header(const char *p, size_t len, const char **ver, size_t *vlen)
{
	size_t i = 0, v0;

	if (len == 0 || !is_pkgchar((unsigned char)p[0]) || p[0] == '-' || p[0] == '+' ||
	    p[0] == '.')
		return 0;
	while (i < len && is_pkgchar((unsigned char)p[i]))
		i++;
	if (i == len || p[i] != ' ')
		return 0;
	while (i < len && p[i] == ' ')
		i++;
	if (i == len || p[i] != '(')
		return 0;
	v0 = ++i;
	while (i < len && p[i] != ')' && p[i] != ' ' && p[i] != '(')
		i++;
	if (i == len || p[i] != ')' || i == v0 || i - v0 > CL_VERSION_MAX)
		return 0;
	*ver = p + v0;
	*vlen = i - v0;
	return 1;
}

/* scan_cves: every "CVE-YYYY-NNNN[NNN]" in line[0..len) into out. */
static int scan_cves(const char *line, size_t len, const char *entry_version,
		     struct vuln_cvelist *out)
{
	size_t i, k;
	char id[24];
	int r;

	for (i = 0; i + 13 <= len; i++) {
		if ((line[i] != 'C' && line[i] != 'c') ||
		    (line[i + 1] != 'V' && line[i + 1] != 'v') ||
		    (line[i + 2] != 'E' && line[i + 2] != 'e') || line[i + 3] != '-')
			continue;
		if (i > 0 && ((line[i - 1] >= 'A' && line[i - 1] <= 'Z') ||
			      (line[i - 1] >= 'a' && line[i - 1] <= 'z')))
			continue;
		for (k = 4; k < 8; k++)
			if (!is_digit((unsigned char)line[i + k]))
				break;
		if (k < 8 || line[i + 8] != '-')
			continue;
		for (k = 9; i + k < len && k < 17 && is_digit((unsigned char)line[i + k]); k++)
			;
		if (k < 13 || (i + k < len && is_digit((unsigned char)line[i + k])))
			continue; /* fewer than 4 or more than 8 digits */
		memcpy(id, "CVE-", 4);
		memcpy(id + 4, line + i + 4, k - 4);
		id[k] = '\0';
		r = vuln_cvelist_add(out, id, k, entry_version);
		if (r == ERR_TOO_BIG) {
			/* compact the duplicates, then try once more */
			vuln_cvelist_sort(out);
			r = vuln_cvelist_add(out, id, k, entry_version);
		}
		if (r != 0)
			return r;
		i += k - 1;
	}
	return 0;
}

int vuln_changelog_fixed(const char *data, size_t len, const char *installed_version,
			 struct vuln_cvelist *out)
{
	struct cursor c, line;
	char entry[CL_VERSION_MAX + 1];
	size_t ilen;
	int in_entry = 0, take = 0, r;

	if (!installed_version || !data)
		return ERR_INVAL;
	if (len > VULN_CHANGELOG_MAX)
		return ERR_TOO_BIG;
	ilen = strlen(installed_version);
	entry[0] = '\0';
	cursor_init(&c, data, len);
	while (c.len > 0) {
		const char *ver;
		size_t vlen;

		r = cursor_line(&c, LINE_MAX_LEN, &line);
		if (r == ERR_EOF) {
			line = c; /* the last line has no newline */
			c.len = 0;
		} else if (r == ERR_TOO_BIG) {
			/* an over-long line: skip it whole */
			if (cursor_until(&c, '\n', &line) != 0)
				break;
			if (cursor_skip(&c, 1) != 0)
				break;
			continue;
		} else if (r != 0) {
			goto fail;
		}
		if (vuln_changelog_header((const char *)line.p, line.len, &ver, &vlen)) {
			memcpy(entry, ver, vlen);
			entry[vlen] = '\0';
			in_entry = 1;
			take = version_cmp_dpkg(ver, vlen, installed_version, ilen) <= 0;
			continue;
		}
		if (!in_entry || !take)
			continue;
		if ((r = scan_cves((const char *)line.p, line.len, entry, out)) != 0)
			goto fail;
	}
	vuln_cvelist_sort(out);
	return 0;
fail:
	return r;
}

int vuln_changelog_fixed_file(const char *path, const char *installed_version,
			      struct vuln_cvelist *out)
{
	gzFile gz = NULL;
	char *data = NULL;
	size_t len = 0, cap = 0;
	int fd, r, n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? ERR_NOTFOUND : err_from_errno(errno);
	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		return ERR_NOMEM;
	}
	for (;;) {
		if (len + 65536 > cap) {
			size_t ncap = cap ? cap * 2 : 262144;
			char *p;

			if (ncap > VULN_CHANGELOG_MAX + 65536)
				ncap = VULN_CHANGELOG_MAX + 65536;
			if (ncap <= len) {
				r = ERR_TOO_BIG;
				goto out;
			}
			p = realloc(data, ncap);
			if (!p) {
				r = ERR_NOMEM;
				goto out;
			}
			data = p;
			cap = ncap;
		}
		n = gzread(gz, data + len, (unsigned)(cap - len > 65536 ? 65536 : cap - len));
		if (n < 0) {
			r = ERR_PARSE;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > VULN_CHANGELOG_MAX) {
			r = ERR_TOO_BIG;
			goto out;
		}
	}
	/* a cut gzip stream reads as a short file: ask zlib */
	{
		int zerr;

		(void)gzerror(gz, &zerr);
		if (zerr != Z_OK && zerr != Z_STREAM_END) {
			r = ERR_PARSE;
			goto out;
		}
	}
	r = vuln_changelog_fixed(data ? data : "", len, installed_version, out);
out:
	gzclose(gz);
	free(data);
	return r;
}
