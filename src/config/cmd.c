/*
 * cmd.c: the "wachter config" subcommand (check, show, sample, markdown).
 * It only writes to stdout/stderr and returns an exit status; src/cmd
 * decides to exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

static int usage(void)
{
	fputs("usage: wachter config check FILE\n"
	      "       wachter config show [--config FILE] [--SETTING=VALUE...]\n"
	      "       wachter config sample\n",
	      stderr);
	return 2;
}

static int print_buf(const struct buf *b, int r)
{
	if (r) {
		fprintf(stderr, "wachter: config: %s\n", err_str(r));
		return 1;
	}
	if (fwrite(b->ptr, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
		fprintf(stderr, "wachter: config: write failed\n");
		return 1;
	}
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	struct buf err = BUF_INIT;
	int r;

	if (argc != 3)
		return usage();
	r = wachter_config_check_file(argv[2], &err);
	if (r)
		fprintf(stderr, "%s\n", err.len ? err.ptr : err_str(r));
	else
		printf("%s: ok\n", argv[2]);
	buf_release(&err);
	return r ? 2 : 0;
}

static int cmd_show(int argc, char **argv, char **envp)
{
	struct wachter_config *cfg;
	struct config_load ld = {0};
	enum config_source src[64];
	struct buf err = BUF_INIT, out = BUF_INIT;
	size_t n;
	const struct config_opt *t = wachter_config_table(&n);
	int r, status = 2;

	if (n > ARRAY_SIZE(src))
		return 1;
	cfg = calloc(1, sizeof(*cfg)); /* large: keep it off the stack */
	if (!cfg)
		return 1;
	ld.envp = envp;
	ld.argc = argc - 2;
	ld.argv = argv + 2;
	ld.src = src;
	r = wachter_config_load(cfg, &ld, &err);
	if (r) {
		fprintf(stderr, "%s\n", err.len ? err.ptr : err_str(r));
		goto out;
	}
	if (ld.first_operand < ld.argc) {
		status = usage();
		goto out;
	}
	r = buf_addf(&out, "# config file: %s\n", ld.file[0] ? ld.file : "(none)");
	if (r == 0)
		r = config_show(t, n, cfg, src, &out);
	status = print_buf(&out, r);
out:
	buf_release(&err);
	buf_release(&out);
	free(cfg);
	return status;
}

int config_cmd_main(int argc, char **argv, char **envp)
{
	struct buf out = BUF_INIT;
	size_t n;
	const struct config_opt *t = wachter_config_table(&n);
	int status;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc, argv);
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc, argv, envp);
	if (argc != 2)
		return usage();
	if (strcmp(argv[1], "sample") == 0)
		status = print_buf(&out, config_sample(t, n, &out));
	else if (strcmp(argv[1], "markdown") == 0)
		status = print_buf(&out, wachter_config_markdown(&out));
	else
		status = usage();
	buf_release(&out);
	return status;
}
