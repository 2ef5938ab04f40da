/*
 * cmd.c: the "wachter serve" subcommand: flags, SIGTERM/SIGINT for a
 * graceful stop, and --init-operator, which creates the first operator
 * account and prints its generated password once.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "config/config.h"
#include "core/core.h"
#include "server/server.h"
#include "store/store.h"

/* The one global the house style allows: the signal handler's flag. */
static volatile sig_atomic_t serve_stop;

static void on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

static void usage(FILE *fp)
{
	fputs("usage: wachter serve [--listen HOST:PORT] [--smtp-url URL --mail-from ADDR]\n"
	      "                     [--ui DIR]\n"
	      "       wachter serve --init-operator EMAIL\n",
	      fp);
}

static int init_operator(const struct wachter_config *cfg, const char *email, struct logger *lg)
{
	struct store_opts so = {.busy_timeout_ms = (int)cfg->store_busy_timeout_ms};
	struct store *st = NULL;
	char pw[AUTH_TOKEN_SIZE];
	int64_t id = 0;
	int r;

	r = store_open(cfg->store_url, &so, lg, &st);
	if (r == 0)
		r = store_migrate(st, NULL, NULL);
	if (r == 0)
		r = auth_init_operator(st, email, pw, &id);
	if (r == ERR_EXISTS)
		fprintf(stderr, "wachter serve: %s already has an account\n", email);
	else if (r == ERR_INVAL)
		fprintf(stderr, "wachter serve: '%s' is not an e-mail address\n", email);
	else if (r)
		fprintf(stderr, "wachter serve: cannot create the operator: %s%s%s\n", err_str(r),
			st ? ": " : "", st ? store_errmsg(st) : "");
	else
		printf("operator %s created (user %lld)\npassword: %s\n"
		       "(shown once; sign in and keep it in a password manager)\n",
		       email, (long long)id, pw);
	mem_zero(pw, sizeof(pw));
	store_close(st);
	return r == 0 ? 0 : (r == ERR_EXISTS || r == ERR_INVAL) ? 2 : 1;
}

int server_cmd(int argc, char **argv, const struct wachter_config *cfg, struct logger *lg)
{
	struct wachter_config c = *cfg;
	struct sigaction sa, old_int, old_term;
	struct server_opts so = {0};
	const char *op = NULL;
	int i, r;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			if (strlen(argv[++i]) >= sizeof(c.serve_listen)) {
				usage(stderr);
				return 2;
			}
			str_lcpy(c.serve_listen, argv[i], sizeof(c.serve_listen));
		} else if (strcmp(argv[i], "--smtp-url") == 0 && i + 1 < argc) {
			so.smtp_url = argv[++i];
		} else if (strcmp(argv[i], "--mail-from") == 0 && i + 1 < argc) {
			so.mail_from = argv[++i];
			if (!auth_email_valid(so.mail_from, strlen(so.mail_from))) {
				fprintf(stderr, "wachter serve: --mail-from needs an address\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--ui") == 0 && i + 1 < argc) {
			so.ui_dir = argv[++i];
		} else if (strcmp(argv[i], "--init-operator") == 0 && i + 1 < argc) {
			op = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (op)
		return init_operator(&c, op, lg);
	if (!so.smtp_url != !so.mail_from) {
		fprintf(stderr, "wachter serve: --smtp-url and --mail-from go together\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	/* A client that goes away mid-response must not kill the server. */
	signal(SIGPIPE, SIG_IGN);
	serve_stop = 0;
	r = server_run_opts(&c, &so, lg, &serve_stop);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (r) {
		fprintf(stderr, "wachter serve: %s (see the log)\n", err_str(r));
		return r == ERR_INVAL ? 2 : 1;
	}
	return 0;
}
