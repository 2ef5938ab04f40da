/*
 * cmd.c: the "wachter serve" subcommand: flags, SIGTERM/SIGINT for a
 * graceful stop, --init-operator, which creates the first operator
 * account and prints its generated password once, --reset-password, which
 * gives an account a new one, and --demo (the demo company of "make run",
 * demo.c).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "config/config.h"
#include "core/core.h"
#include "server/server.h"
#include "server/server_int.h"
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
	      "                     [--ui DIR] [--demo]\n"
	      "       wachter serve --init-operator EMAIL\n"
	      "       wachter serve --reset-password EMAIL\n",
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

static int open_store(const struct wachter_config *cfg, struct logger *lg, struct store **st)
{
	struct store_opts so = {.busy_timeout_ms = (int)cfg->store_busy_timeout_ms};
	int r = store_open(cfg->store_url, &so, lg, st);

	if (r == 0)
		r = store_migrate(*st, NULL, NULL);
	return r;
}

/* --reset-password EMAIL: a new generated password, shown once; ends the
 * account's sessions and lockout (the e-mailed reset's code path). */
static int reset_password(const struct wachter_config *cfg, const char *email, struct logger *lg)
{
	struct store *st = NULL;
	char tok[AUTH_TOKEN_SIZE], pw[AUTH_TOKEN_SIZE];
	time_t now = time(NULL);
	int r;

	auth_token_new(pw);
	r = open_store(cfg, lg, &st);
	if (r == 0)
		r = auth_reset_create(st, email, now, tok);
	if (r == 0)
		r = auth_reset_confirm(st, tok, pw, now);
	if (r == ERR_NOTFOUND)
		fprintf(stderr, "wachter serve: %s has no account\n", email);
	else if (r)
		fprintf(stderr, "wachter serve: cannot reset the password: %s%s%s\n", err_str(r),
			st ? ": " : "", st ? store_errmsg(st) : "");
	else
		printf("%s: new password: %s\n(shown once; earlier sessions are signed out)\n",
		       email, pw);
	mem_zero(tok, sizeof(tok));
	mem_zero(pw, sizeof(pw));
	store_close(st);
	return r == 0 ? 0 : r == ERR_NOTFOUND ? 2 : 1;
}

static void demo_account(const char *who, const char *email, const char *pw)
{
	if (pw[0])
		printf("demo: %s %s created, password: %s (shown once)\n", who, email, pw);
	else
		printf("demo: %s %s exists (a new password: wachter serve --reset-password %s)\n",
		       who, email, email);
}

/* --demo: seed the demo company (idempotent) and say what is there. */
static int demo_seed(const struct wachter_config *cfg, struct logger *lg)
{
	struct store *st = NULL;
	struct srv_demo d;
	int r;

	r = open_store(cfg, lg, &st);
	if (r == 0)
		r = srv_demo_seed(st, time(NULL), &d);
	if (r) {
		fprintf(stderr, "wachter serve: cannot seed the demo: %s%s%s\n", err_str(r),
			st ? ": " : "", st ? store_errmsg(st) : "");
		store_close(st);
		return 1;
	}
	store_close(st);
	demo_account("operator", d.operator_email, d.operator_pw);
	demo_account("company admin of " SRV_DEMO_ORG, d.admin_email, d.admin_pw);
	printf("demo: %s %s (organisation %lld), asset host %s (asset %lld) %s\n", SRV_DEMO_ORG,
	       d.org_created ? "created" : "exists", (long long)d.org_id, SRV_DEMO_ASSET,
	       (long long)d.asset_id,
	       d.asset_verified_now ? "verified by operator attestation" : "verified");
	fflush(stdout);
	mem_zero(&d, sizeof(d));
	return 0;
}

int server_cmd(int argc, char **argv, const struct wachter_config *cfg, struct logger *lg)
{
	struct wachter_config c = *cfg;
	struct sigaction sa, old_int, old_term;
	struct server_opts so = {0};
	const char *op = NULL, *reset = NULL;
	int i, r, demo = 0;

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
		} else if (strcmp(argv[i], "--reset-password") == 0 && i + 1 < argc) {
			reset = argv[++i];
		} else if (strcmp(argv[i], "--demo") == 0) {
			demo = 1;
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
	if (reset)
		return reset_password(&c, reset, lg);
	/* The flags override mail.smtp_url and mail.from of the configuration. */
	if (!so.smtp_url && c.mail_smtp_url[0])
		so.smtp_url = c.mail_smtp_url;
	if (!so.mail_from && c.mail_from[0])
		so.mail_from = c.mail_from;
	if (!so.smtp_url != !so.mail_from) {
		fprintf(stderr, "wachter serve: --smtp-url and --mail-from go together\n");
		return 2;
	}
	if (demo) {
		r = demo_seed(&c, lg);
		if (r)
			return r;
		so.on_start = srv_demo_on_start;
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
