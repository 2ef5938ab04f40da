/*
 * cli.c: "wachter vuln": look a CPE, a product + version or an installed
 * Debian package up in the knowledge base and print the CVEs that apply
 * (text for people, JSON for IT partners' tools); list the CVEs a Debian
 * changelog says are fixed; run the matcher benchmark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln_int.h"

#define DEFAULT_KB "var/kb/wachter.kb"

struct lookup_opts {
	const char *kb_path;
	const char *format;
	const char *distro;
	const char *release;
	const char *changelog;
	int all;
	const char *pos[3];
	int npos;
};

static void usage(void)
{
	fputs("usage: wachter vuln lookup [--kb PATH] [--format text|json] [--distro HINT]\n"
	      "                           [--release NAME] [--all] (<cpe> | <product> <version>)\n"
	      "       wachter vuln package [--kb PATH] [--format text|json] [--changelog FILE]\n"
	      "                           <package> <dpkg-version> <release>\n"
	      "       wachter vuln changelog <file> <installed-version>\n"
	      "       wachter vuln bench [--kb PATH] [--lookups N] [--inventory N]\n"
	      "                          [--packages FILE] [--release NAME] [--threads N]\n",
	      stderr);
}

static int parse_opts(int argc, char **argv, struct lookup_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->kb_path = DEFAULT_KB;
	o->format = "text";
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (strcmp(a, "--kb") == 0)
			slot = &o->kb_path;
		else if (strcmp(a, "--format") == 0)
			slot = &o->format;
		else if (strcmp(a, "--distro") == 0)
			slot = &o->distro;
		else if (strcmp(a, "--release") == 0)
			slot = &o->release;
		else if (strcmp(a, "--changelog") == 0)
			slot = &o->changelog;
		if (slot) {
			if (++i >= argc)
				return -1;
			*slot = argv[i];
			continue;
		}
		if (strcmp(a, "--all") == 0) {
			o->all = 1;
			continue;
		}
		if (a[0] == '-' && a[1] == '-')
			return -1;
		if (o->npos >= 3)
			return -1;
		o->pos[o->npos++] = a;
	}
	if (strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0)
		return -1;
	return 0;
}

static int print_text(const struct vuln_hits *h, const char *what)
{
	size_t i;

	printf("%s: %zu CVE%s\n", what, h->n, h->n == 1 ? "" : "s");
	for (i = 0; i < h->n; i++) {
		const struct vuln_hit *v = &h->v[i];
		char cvss[16];

		if (v->cvss > 0)
			snprintf(cvss, sizeof(cvss), "%.1f", v->cvss);
		else
			str_lcpy(cvss, "-", sizeof(cvss));
		printf("%-16s %-8s conf=%-6s cvss=%-4s%s epss=%.3f  %s%s%s\n", v->cve,
		       check_sev_name(v->sev), check_conf_name(v->conf), cvss, v->kev ? " KEV" : "",
		       v->epss, v->why,
		       v->fixed[0] && !strstr(v->why, "fixed in") ? "; fixed in " : "",
		       v->fixed[0] && !strstr(v->why, "fixed in") ? v->fixed : "");
	}
	return 0;
}

static int json_str(struct buf *b, const char *key, const char *v)
{
	int r = buf_addf(b, "\"%s\":", key);

	return r ? r : buf_add_json_str(b, v, strlen(v));
}

static int print_json(const struct vuln_hits *h, const char *what)
{
	struct buf b = BUF_INIT;
	size_t i;
	int r;

	r = buf_adds(&b, "{\"query\":");
	if (r == 0)
		r = buf_add_json_str(&b, what, strlen(what));
	if (r == 0)
		r = buf_adds(&b, ",\"hits\":[");
	for (i = 0; r == 0 && i < h->n; i++) {
		const struct vuln_hit *v = &h->v[i];

		r = buf_adds(&b, i ? ",{" : "{");
		if (r == 0)
			r = json_str(&b, "cve", v->cve);
		if (r == 0)
			r = buf_addf(&b, ",\"cvss\":%.1f,\"cvss_version\":%u,", v->cvss,
				     (unsigned)v->cvss_version);
		if (r == 0)
			r = json_str(&b, "cvss_vector", v->cvss_vector);
		if (r == 0)
			r = buf_addf(&b, ",\"severity\":\"%s\",\"confidence\":\"%s\",",
				     check_sev_name(v->sev), check_conf_name(v->conf));
		if (r == 0)
			r = json_str(&b, "cwe", v->cwe);
		if (r == 0)
			r = buf_addf(&b,
				     ",\"kev\":%s,\"ransomware\":%s,\"epss\":%.5f,"
				     "\"epss_percentile\":%.5f,",
				     v->kev ? "true" : "false", v->ransomware ? "true" : "false",
				     v->epss, v->epss_pct);
		if (r == 0)
			r = json_str(&b, "fixed", v->fixed);
		if (r == 0)
			r = buf_addch(&b, ',');
		if (r == 0)
			r = json_str(&b, "matched", v->matched);
		if (r == 0)
			r = buf_addch(&b, ',');
		if (r == 0)
			r = json_str(&b, "why", v->why);
		if (r == 0)
			r = buf_addch(&b, '}');
	}
	if (r == 0)
		r = buf_adds(&b, "]}\n");
	if (r == 0)
		fputs(b.ptr, stdout);
	buf_release(&b);
	return r;
}

static int open_kb(const char *path, struct kb **kb)
{
	int r = kb_open(path, kb);

	if (r != 0)
		fprintf(stderr, "vuln: %s: %s\n", path,
			r == ERR_PARSE ? "not a valid knowledge base" : err_str(r));
	return r;
}

static int run_lookup(const struct lookup_opts *o, const struct kb *kb, struct vuln_hits *h)
{
	struct vuln_query *q;
	int r;

	if (o->release)
		return vuln_match_package(kb, o->pos[0], o->pos[1], o->release, h);
	q = malloc(sizeof(*q));
	if (!q)
		return ERR_NOMEM;
	vq_init(q, kb);
	q->flags = o->all ? VULN_F_ALL : 0;
	if (o->npos == 1) {
		r = vq_set_cpe(q, o->pos[0]);
	} else {
		r = strlen(o->pos[1]) < sizeof(q->version) ? 0 : ERR_TOO_BIG;
		if (r == 0) {
			str_lcpy(q->version, o->pos[1], sizeof(q->version));
			vq_add_product_name(q, o->pos[0]);
			if (q->nvp == 0)
				r = ERR_NOTFOUND;
		}
	}
	if (r == 0) {
		vq_set_hint(q, o->distro);
		r = vq_finish(q, h, h->n);
	}
	free(q);
	return r;
}

static int cmd_lookup(int argc, char **argv)
{
	struct lookup_opts o;
	struct kb *kb = NULL;
	struct vuln_hits h = VULN_HITS_INIT;
	struct buf what = BUF_INIT;
	int r, rc = 1;

	if (parse_opts(argc, argv, &o) != 0 || o.npos < 1 || o.npos > 2 || o.changelog ||
	    (o.npos == 1 && o.release)) {
		usage();
		return 2;
	}
	if (open_kb(o.kb_path, &kb) != 0)
		return 1;
	r = run_lookup(&o, kb, &h);
	if (r != 0) {
		fprintf(stderr, "vuln lookup: %.200s: %s\n", o.pos[0],
			r == ERR_NOTFOUND ? "no known CPE product for this name"
			: r == ERR_PARSE  ? "not a valid CPE name"
					  : err_str(r));
		goto out;
	}
	if (buf_addf(&what, "%s%s%s%s%s", o.pos[0], o.npos > 1 ? " " : "",
		     o.npos > 1 ? o.pos[1] : "", o.distro ? " " : "",
		     o.distro ? o.distro : "") != 0)
		goto out;
	r = strcmp(o.format, "json") == 0 ? print_json(&h, what.ptr) : print_text(&h, what.ptr);
	rc = r == 0 ? 0 : 1;
out:
	buf_release(&what);
	vuln_hits_release(&h);
	kb_close(kb);
	return rc;
}

static int cmd_package(int argc, char **argv)
{
	struct lookup_opts o;
	struct kb *kb = NULL;
	struct vuln_hits h = VULN_HITS_INIT;
	struct vuln_cvelist fixed = VULN_CVELIST_INIT;
	struct buf what = BUF_INIT;
	int r, rc = 1;

	if (parse_opts(argc, argv, &o) != 0 || o.npos != 3 || o.distro || o.release || o.all) {
		usage();
		return 2;
	}
	if (open_kb(o.kb_path, &kb) != 0)
		return 1;
	r = vuln_match_package(kb, o.pos[0], o.pos[1], o.pos[2], &h);
	if (r != 0) {
		fprintf(stderr, "vuln package: %.200s: %s\n", o.pos[0],
			r == ERR_NOTFOUND ? "not in the Debian tracker or CPE list" : err_str(r));
		goto out;
	}
	if (o.changelog) {
		r = vuln_changelog_fixed_file(o.changelog, o.pos[1], &fixed);
		if (r != 0) {
			fprintf(stderr, "vuln package: %.200s: %s\n", o.changelog, err_str(r));
			goto out;
		}
		(void)vuln_hits_drop_fixed(&h, &fixed);
	}
	if (buf_addf(&what, "%s %s %s", o.pos[0], o.pos[1], o.pos[2]) != 0)
		goto out;
	r = strcmp(o.format, "json") == 0 ? print_json(&h, what.ptr) : print_text(&h, what.ptr);
	rc = r == 0 ? 0 : 1;
out:
	buf_release(&what);
	vuln_cvelist_release(&fixed);
	vuln_hits_release(&h);
	kb_close(kb);
	return rc;
}

static int cmd_changelog(int argc, char **argv)
{
	struct vuln_cvelist l = VULN_CVELIST_INIT;
	size_t i;
	int r;

	if (argc != 4) {
		usage();
		return 2;
	}
	r = vuln_changelog_fixed_file(argv[2], argv[3], &l);
	if (r != 0) {
		fprintf(stderr, "vuln changelog: %.200s: %s\n", argv[2], err_str(r));
		vuln_cvelist_release(&l);
		return 1;
	}
	for (i = 0; i < l.n; i++)
		printf("%s %s\n", l.v[i].cve, l.v[i].version);
	vuln_cvelist_release(&l);
	return 0;
}

int vuln_cli(int argc, char **argv)
{
	if (argc < 2) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "lookup") == 0)
		return cmd_lookup(argc, argv);
	if (strcmp(argv[1], "package") == 0)
		return cmd_package(argc, argv);
	if (strcmp(argv[1], "changelog") == 0)
		return cmd_changelog(argc, argv);
	if (strcmp(argv[1], "bench") == 0)
		return vuln_bench_cli(argc, argv);
	usage();
	return 2;
}
