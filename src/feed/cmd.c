/*
 * cmd.c: "wachter feed import|status": the command-line face of the feed
 * module. Import builds the whole new KB before it replaces the old one, so
 * a bad file leaves the previous KB as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "feed/feed_int.h"

#define FEED_DEFAULT_KB "var/kb/wachter.kb"

static int mkdir_parents(const char *path)
{
	char *p = xstrndup(path, strlen(path));
	char *s;
	int r = 0;

	if (!p)
		return ERR_NOMEM;
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			r = err_from_errno(errno);
			break;
		}
		*s = '/';
	}
	free(p);
	return r;
}

static void usage(void)
{
	fprintf(stderr, "usage: wachter feed import [--kb PATH] [--fresh] FILE...\n"
			"       wachter feed status [--kb PATH]\n");
}

static int cmd_import(const char *kb_path, int fresh, int nfiles, char **files, struct logger *lg)
{
	struct feed_kb_builder *b = NULL;
	struct buf err = BUF_INIT;
	int64_t t0 = time_now_ms();
	int i, r, rc = 1;

	if (feed_kb_builder_new(&b) != 0) {
		fprintf(stderr, "feed import: out of memory\n");
		return 1;
	}
	if (!fresh) {
		r = feed_kb_builder_load(b, kb_path, &err);
		if (r != 0 && r != ERR_NOTFOUND) {
			fprintf(stderr, "feed import: %s (use --fresh to rebuild)\n", err.ptr);
			goto out;
		}
	}
	for (i = 0; i < nfiles; i++) {
		enum feed_format f = FEED_FMT_UNKNOWN;

		r = feed_import_fmt(b, files[i], lg, &err, &f);
		if (r != 0) {
			fprintf(stderr, "feed import: %s\n", err.ptr);
			fprintf(stderr, "feed import: nothing written, %s unchanged\n", kb_path);
			goto out;
		}
	}
	if ((r = mkdir_parents(kb_path)) != 0) {
		fprintf(stderr, "feed import: %s: cannot create directory: %s\n", kb_path,
			err_str(r));
		goto out;
	}
	if (feed_kb_write(b, kb_path, &err) != 0) {
		fprintf(stderr, "feed import: %s\n", err.ptr);
		goto out;
	}
	printf("imported %d file%s into %s in %.2f s\n", nfiles, nfiles == 1 ? "" : "s", kb_path,
	       (double)(time_now_ms() - t0) / 1000.0);
	rc = 0;
out:
	feed_kb_builder_free(b);
	buf_release(&err);
	return rc;
}

int feed_cmd(int argc, char **argv, struct logger *lg)
{
	const char *kb_path = FEED_DEFAULT_KB;
	int i = 2, fresh = 0, r;

	if (argc < 2) {
		usage();
		return 2;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--kb") == 0 && i + 1 < argc) {
			kb_path = argv[++i];
		} else if (strcmp(argv[i], "--fresh") == 0) {
			fresh = 1;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			usage();
			return 2;
		}
	}
	if (strcmp(argv[1], "import") == 0) {
		if (i >= argc) {
			usage();
			return 2;
		}
		return cmd_import(kb_path, fresh, argc - i, argv + i, lg);
	}
	if (strcmp(argv[1], "status") == 0 && i == argc) {
		struct buf out = BUF_INIT;

		r = feed_status(kb_path, &out);
		if (r != 0) {
			fprintf(stderr, "feed status: %s: %s\n", kb_path,
				r == ERR_NOTFOUND ? "no knowledge base (run feed import)"
				: r == ERR_PARSE  ? "not a valid knowledge base"
						  : err_str(r));
			buf_release(&out);
			return 1;
		}
		fputs(out.ptr, stdout);
		buf_release(&out);
		return 0;
	}
	usage();
	return 2;
}
