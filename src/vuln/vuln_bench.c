/*
 * vuln_bench.c: "wachter vuln bench": times the matcher on the full KB:
 * random (product, version) lookups over the KB's own vendor:product keys,
 * a 5,000-package inventory from a "package version" list (dpkg-query), and
 * the resident memory with the KB mapped. Prints each figure with its target.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vuln/vuln_int.h"

#define SAMPLE_ROWS 4

struct bprod {
	const char *vp;
	uint32_t rows[SAMPLE_ROWS];
	uint32_t nrows;
};

struct bench {
	const struct kb *kb;
	const struct vuln_index *ix; /* NULL: straight from the KB */
	int refs;		     /* the short form (vuln_match_product_refs) */
	int lazy;		     /* 1: vuln_match_product_lazy; 2: and explain every hit */
	struct bprod *p;
	size_t np;
	uint64_t rng;
	long n;			 /* lookups to run */
	size_t total, with;	 /* results */
	int64_t cpu_ns, wall_ns; /* spent in the lookups (not in making them up) */
	int err;
};

/* lookups are made up in chunks outside the timed part */
#define CHUNK 1024

/* one made-up lookup; the name is copied out of the KB mapping (where a
 * cache miss would be the bench's, not the lookup's: a caller holds the
 * name it asks about in its own memory) unless it is unusually long */
struct job {
	const char *vp;
	char ver[64];
	char vbuf[128];
};

static uint64_t rnd(struct bench *b)
{
	/* xorshift64*: fast, and the same sequence every run */
	b->rng ^= b->rng >> 12;
	b->rng ^= b->rng << 25;
	b->rng ^= b->rng >> 27;
	return b->rng * 2685821657736338717ULL;
}

static size_t hash_ptr(const void *p, size_t mask)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & mask;
}

/* collect the distinct vendor:product keys (strings are interned in the
 * KB, so equal keys are equal pointers) with a few sample rows each */
static int collect_products(struct bench *b)
{
	struct kb_counts kc;
	size_t cap, mask, i, *slot = NULL;
	int r = 0;

	kb_counts(b->kb, &kc);
	for (cap = 1024; cap < (size_t)kc.products * 2 + 2; cap *= 2)
		;
	mask = cap - 1;
	slot = malloc(cap * sizeof(*slot));
	b->p = calloc((size_t)kc.products + 1, sizeof(*b->p));
	if (!slot || !b->p) {
		r = ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < cap; i++)
		slot[i] = SIZE_MAX;
	for (i = 0; i < kc.match_rows; i++) {
		struct kb_match m;
		size_t h;

		if (kb_match_at(b->kb, (uint32_t)i, &m) != 0)
			break;
		for (h = hash_ptr(m.vendor_product, mask); slot[h] != SIZE_MAX; h = (h + 1) & mask)
			if (b->p[slot[h]].vp == m.vendor_product)
				break;
		if (slot[h] == SIZE_MAX) {
			if (b->np >= kc.products)
				continue;
			slot[h] = b->np;
			b->p[b->np++].vp = m.vendor_product;
		}
		if (b->p[slot[h]].nrows < SAMPLE_ROWS)
			b->p[slot[h]].rows[b->p[slot[h]].nrows++] = (uint32_t)i;
	}
out:
	free(slot);
	return r;
}

/* cpe_field: field k (0 = part) of a CPE 2.3 string into out */
static void cpe_field(const char *cpe, int k, char *out, size_t size)
{
	const char *p = cpe + 8;
	size_t n = 0;

	while (k > 0 && *p) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == ':')
			k--;
		p++;
	}
	while (p[n] && p[n] != ':' && n + 1 < size)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* a plausible version for product p: one of its rows' versions or bounds,
 * sometimes with the last number moved by one, or a random x.y.z */
static void pick_version(struct bench *b, const struct bprod *p, char *out, size_t size)
{
	struct kb_match m;
	char v[64], u[32];
	size_t n;
	uint64_t x = rnd(b);

	v[0] = '\0';
	if (p->nrows && kb_match_at(b->kb, p->rows[x % p->nrows], &m) == 0) {
		if (m.version_end[0] && (x & 16))
			str_lcpy(v, m.version_end, sizeof(v));
		else if (m.version_start[0])
			str_lcpy(v, m.version_start, sizeof(v));
		else {
			cpe_field(m.cpe, 3, v, sizeof(v));
			cpe_field(m.cpe, 4, u, sizeof(u));
			if (!strcmp(v, "*") || !strcmp(v, "-") || strchr(v, '\\'))
				v[0] = '\0';
			else if (strcmp(u, "*") && strcmp(u, "-") && !strchr(u, '\\'))
				str_lcpy(v + strlen(v), u, sizeof(v) - strlen(v));
		}
	}
	if (!v[0]) {
		snprintf(out, size, "%u.%u.%u", (unsigned)(x >> 8) % 10, (unsigned)(x >> 16) % 20,
			 (unsigned)(x >> 24) % 30);
		return;
	}
	n = strlen(v);
	if (n && v[n - 1] >= '0' && v[n - 1] <= '8' && (x & 96) == 32)
		v[n - 1]++;
	else if (n && v[n - 1] >= '1' && v[n - 1] <= '9' && (x & 96) == 64)
		v[n - 1]--;
	str_lcpy(out, v, size);
}

static void rss(long *cur_kb, long *hwm_kb)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];

	*cur_kb = *hwm_kb = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*cur_kb = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm_kb = strtol(line + 6, NULL, 10);
	}
	fclose(f);
}

/* process CPU seconds: on a shared, loaded machine the wall clock also
 * counts other processes' time slices */
static double cpu_seconds(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double loadavg(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	char buf[64] = "";

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtod(buf, NULL);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void make_jobs(struct bench *b, struct job *jobs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct bprod *p = &b->p[rnd(b) % b->np];

		jobs[i].vp = p->vp;
		if (str_lcpy(jobs[i].vbuf, p->vp, sizeof(jobs[i].vbuf)) < sizeof(jobs[i].vbuf))
			jobs[i].vp = jobs[i].vbuf;
		pick_version(b, p, jobs[i].ver, sizeof(jobs[i].ver));
	}
}

static void *lookup_thread(void *arg)
{
	struct bench *b = arg;
	struct vuln_hits h = VULN_HITS_INIT;
	struct vuln_refs rf = VULN_REFS_INIT;
	struct job *jobs = malloc(CHUNK * sizeof(*jobs));
	long i, k, n;
	int64_t c0, w0;
	int r;

	if (!jobs) {
		b->err = ERR_NOMEM;
		return NULL;
	}
	for (i = 0; i < b->n && !b->err; i += n) {
		n = b->n - i < CHUNK ? b->n - i : CHUNK;
		make_jobs(b, jobs, (size_t)n);
		c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		w0 = clock_ns(CLOCK_MONOTONIC);
		for (k = 0; k < n; k++) {
			h.n = rf.n = 0;
			if (b->refs) {
				r = vuln_match_product_refs(b->ix, jobs[k].vp, jobs[k].ver, NULL,
							    &rf);
			} else if (b->lazy) {
				r = vuln_match_product_lazy(b->ix, jobs[k].vp, jobs[k].ver, NULL,
							    &h);
				if (b->lazy == 2)
					vuln_hits_explain(b->ix, &h);
			} else if (b->ix)
				r = vuln_match_product_ix(b->ix, jobs[k].vp, jobs[k].ver, NULL, &h);
			else
				r = vuln_match_product(b->kb, jobs[k].vp, jobs[k].ver, NULL, &h);
			if (r == ERR_NOMEM) {
				b->err = r;
				break;
			}
			b->total += h.n + rf.n;
			b->with += h.n + rf.n > 0;
		}
		b->cpu_ns += clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		b->wall_ns += clock_ns(CLOCK_MONOTONIC) - w0;
	}
	free(jobs);
	vuln_hits_release(&h);
	vuln_refs_release(&rf);
	return NULL;
}

/* n lookups on nthreads threads, each with its own random sequence */
static int bench_lookups(const struct bench *proto, long n, int nthreads, const char *label)
{
	struct bench b[8];
	pthread_t tid[8];
	size_t total = 0, with = 0;
	int64_t t0, t1, wall_ns = 0, cpu_ns = 0;
	int i, started = 0, err = 0;
	double secs, per_m, c0, cpu, lsecs, lcpu;

	if (nthreads < 1 || nthreads > 8)
		return ERR_INVAL;
	for (i = 0; i < nthreads; i++) {
		b[i] = *proto;
		b[i].rng = proto->rng + 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		b[i].n = n / nthreads + (i < n % nthreads);
		b[i].total = b[i].with = 0;
		b[i].cpu_ns = b[i].wall_ns = 0;
		b[i].err = 0;
	}
	c0 = cpu_seconds();
	t0 = time_now_ms();
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&tid[i], NULL, lookup_thread, &b[i]) != 0)
			break;
		started++;
	}
	lookup_thread(&b[0]);
	for (i = 1; i <= started; i++)
		pthread_join(tid[i], NULL);
	t1 = time_now_ms();
	cpu = cpu_seconds() - c0;
	for (i = 0; i < nthreads; i++) {
		total += b[i].total;
		with += b[i].with;
		cpu_ns += b[i].cpu_ns;
		if (b[i].wall_ns > wall_ns)
			wall_ns = b[i].wall_ns;
		err = err ? err : b[i].err;
	}
	if (err)
		return err;
	if (started != nthreads - 1)
		return ERR_NOMEM;
	secs = (double)(t1 - t0) / 1000.0;
	/* the figures count the lookups only (made up in chunks between them) */
	lsecs = (double)wall_ns / 1e9;
	lcpu = (double)cpu_ns / 1e9;
	per_m = lsecs * 1000000.0 / (double)n;
	printf("lookups:   %s, %d thread%s: %ld random (product, version) over %zu products: "
	       "lookups wall %.3f s, cpu %.3f s (%.3f us cpu each; %zu with hits, %zu hits; whole "
	       "run incl. making them up: wall %.3f s, cpu %.3f s); 1,000,000 take %.2f s wall, "
	       "%.2f s cpu%s, target < 1 s: %s\n",
	       label, nthreads, nthreads == 1 ? "" : "s", n, proto->np, lsecs, lcpu,
	       lcpu * 1e6 / (double)n, with, total, secs, cpu, per_m, lcpu * 1e6 / (double)n,
	       nthreads > 1 ? " (all threads)" : "",
	       lcpu * 1e6 / (double)n < 1.0 && per_m < 1.0 ? "ok"
	       : lcpu * 1e6 / (double)n < 1.0		   ? "ok (cpu; wall inflated by load)"
							   : "MISSED");
	return 0;
}

/* hit_diff: the first field where two hits differ, or NULL */
static const char *hit_diff(const struct vuln_hit *a, const struct vuln_hit *b)
{
	if (strcmp(a->cve, b->cve))
		return "cve";
	if (a->cvss != b->cvss || a->cvss_version != b->cvss_version ||
	    strcmp(a->cvss_vector, b->cvss_vector))
		return "cvss";
	if (a->sev != b->sev)
		return "severity";
	if (strcmp(a->cwe, b->cwe))
		return "cwe";
	if (a->kev != b->kev || a->ransomware != b->ransomware)
		return "kev";
	if (a->epss != b->epss || a->epss_pct != b->epss_pct)
		return "epss";
	if (strcmp(a->fixed, b->fixed))
		return "fixed";
	if (a->conf != b->conf)
		return "confidence";
	if (a->flags != b->flags)
		return "flags";
	if (strcmp(a->why, b->why))
		return "why";
	if (strcmp(a->matched, b->matched))
		return "matched";
	return NULL;
}

/*
 * bench_verify: n random (product, version) pairs, a quarter of them with
 * a distribution hint, through the KB path and the index path: the return
 * codes and the full hit lists must be the same. Prints the first
 * mismatches; returns how many there were (or a negative error).
 */
static long bench_verify(struct bench *b, long n)
{
	static const char *const hints[] = {
	    NULL, NULL, NULL, NULL, NULL, NULL, "Debian-2+deb12u3", "(Ubuntu)"};
	struct vuln_hits ha = VULN_HITS_INIT, hb = VULN_HITS_INIT, hl = VULN_HITS_INIT;
	struct vuln_refs rc = VULN_REFS_INIT;
	struct job job;
	size_t hits = 0, k;
	long i, bad = 0;
	int64_t t0 = time_now_ms();

	for (i = 0; i < n; i++) {
		const char *hint = hints[rnd(b) % ARRAY_SIZE(hints)], *why = NULL;
		int ra, rb, rr, rl;

		make_jobs(b, &job, 1);
		ha.n = hb.n = rc.n = hl.n = 0;
		ra = vuln_match_product(b->kb, job.vp, job.ver, hint, &ha);
		rb = vuln_match_product_ix(b->ix, job.vp, job.ver, hint, &hb);
		rr = vuln_match_product_refs(b->ix, job.vp, job.ver, hint, &rc);
		rl = vuln_match_product_lazy(b->ix, job.vp, job.ver, hint, &hl);
		if (ra == ERR_NOMEM || rb == ERR_NOMEM || rr == ERR_NOMEM || rl == ERR_NOMEM) {
			bad = ERR_NOMEM;
			break;
		}
		hits += ha.n;
		if (ra != rb)
			why = "return code";
		else if (ha.n != hb.n)
			why = "number of hits";
		for (k = 0; !why && k < ha.n; k++)
			why = hit_diff(&ha.v[k], &hb.v[k]);
		/* the short form: the same CVEs, confidence and flags */
		if (!why && ra != rr)
			why = "refs: return code";
		else if (!why && rc.n != ha.n)
			why = "refs: number of hits";
		for (k = 0; !why && k < rc.n; k++) {
			const struct vuln_hit *x = vuln_hits_find(&ha, rc.v[k].cve);

			if (!x || x->conf != rc.v[k].conf || x->flags != rc.v[k].flags)
				why = "refs: a hit differs";
			else if (k && rc.v[k - 1].cve_index >= rc.v[k].cve_index && !hint)
				why = "refs: not in CVE order";
		}
		/* the lazy form: pending until explained, then the same hits */
		if (!why && ra != rl)
			why = "lazy: return code";
		else if (!why && hl.n != ha.n)
			why = "lazy: number of hits";
		for (k = 0; !why && k < hl.n; k++)
			if (hl.v[k].explain != (hint == NULL || hint[0] == '('))
				why = "lazy: explain pending";
		vuln_hits_explain(b->ix, &hl);
		for (k = 0; !why && k < hl.n; k++)
			if ((why = hit_diff(&ha.v[k], &hl.v[k])) != NULL || hl.v[k].explain)
				why = "lazy: a hit differs after vuln_hits_explain";
		if (!why)
			continue;
		if (++bad <= 10)
			printf(
			    "verify:    MISMATCH %s %s hint=%s: %s (KB: %d, %zu hits; index: %d, "
			    "%zu hits)\n",
			    job.vp, job.ver, hint ? hint : "-", why, ra, ha.n, rb, hb.n);
	}
	vuln_hits_release(&ha);
	vuln_hits_release(&hb);
	vuln_hits_release(&hl);
	vuln_refs_release(&rc);
	if (bad >= 0)
		printf(
		    "verify:    %ld random (product, version[, hint]) lookups, KB path vs index "
		    "path (full hit lists), vs lazy + explain (full hit lists) and vs refs (CVE, "
		    "confidence, flags) (%zu hits): %ld mismatches (%.1f s)\n",
		    i, hits, bad, (double)(time_now_ms() - t0) / 1000.0);
	return bad;
}

struct pkg {
	char name[64];
	char version[64];
};

static int load_packages(const char *path, struct pkg **out, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;
	struct pkg *v = NULL;

	*n = 0;
	if (!f)
		return ERR_NOTFOUND;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' '), *nl;

		if (!sp)
			continue;
		*sp = '\0';
		if ((nl = strchr(sp + 1, '\n')))
			*nl = '\0';
		if (*n == cap) {
			struct pkg *nv = realloc(v, (cap = cap ? cap * 2 : 256) * sizeof(*v));

			if (!nv) {
				free(v);
				fclose(f);
				return ERR_NOMEM;
			}
			v = nv;
		}
		str_lcpy(v[*n].name, line, sizeof(v[*n].name));
		str_lcpy(v[*n].version, sp + 1, sizeof(v[*n].version));
		(*n)++;
	}
	fclose(f);
	*out = v;
	return *n ? 0 : ERR_PARSE;
}

static int bench_inventory(const struct bench *b, const char *path, long want, const char *release)
{
	struct vuln_hits h = VULN_HITS_INIT;
	struct pkg *pk = NULL;
	size_t np, known = 0, total = 0;
	int64_t t0, t1;
	double c0;
	long i;
	int r;

	if ((r = load_packages(path, &pk, &np)) != 0) {
		fprintf(stderr, "vuln bench: %s: %s\n", path, err_str(r));
		return r;
	}
	c0 = cpu_seconds();
	t0 = time_now_ms();
	for (i = 0; i < want; i++) {
		const struct pkg *p = &pk[(size_t)i % np];

		h.n = 0;
		r = b->ix ? vuln_match_package_ix(b->ix, p->name, p->version, release, &h)
			  : vuln_match_package(b->kb, p->name, p->version, release, &h);
		if (r == ERR_NOMEM)
			break;
		known += r == 0;
		total += h.n;
		r = 0;
	}
	t1 = time_now_ms();
	c0 = cpu_seconds() - c0;
	vuln_hits_release(&h);
	free(pk);
	if (r != 0)
		return r;
	printf("inventory: %s: %ld packages (%zu distinct from %s, release %s): wall %.1f ms, "
	       "cpu %.1f ms (%zu known to the tracker/CPE list, %zu hits), target < 50 ms: %s\n",
	       b->ix ? "index" : "KB only", want, np, path, release, (double)(t1 - t0), c0 * 1000.0,
	       known, total, t1 - t0 < 50 ? "ok" : "MISSED");
	return 0;
}

int vuln_bench_cli(int argc, char **argv)
{
	const char *kb_path = "var/kb/wachter.kb", *pkgs = NULL, *release = "bookworm";
	long lookups = 1000000, inventory = 5000, verify = 0, kb_lookups = -1, cur, hwm;
	int threads = 2;
	struct bench b;
	struct kb *kb = NULL;
	struct vuln_index *ix = NULL;
	struct kb_counts kc;
	int64_t t0;
	int i, r;

	for (i = 2; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--kb") == 0)
			kb_path = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--lookups") == 0)
			lookups = strtol(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(argv[i], "--inventory") == 0)
			inventory = strtol(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(argv[i], "--packages") == 0)
			pkgs = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--release") == 0)
			release = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--threads") == 0)
			threads = (int)strtol(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(argv[i], "--verify") == 0)
			verify = strtol(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(argv[i], "--kb-lookups") == 0)
			kb_lookups = strtol(argv[++i], NULL, 10);
		else {
			fputs("usage: wachter vuln bench [--kb PATH] [--lookups N] [--inventory N]"
			      " [--packages FILE] [--release NAME] [--threads N] [--verify N]"
			      " [--kb-lookups N]\n",
			      stderr);
			return 2;
		}
	}
	if (lookups <= 0 || inventory < 0 || threads < 1 || threads > 8 || verify < 0)
		return 2;
	memset(&b, 0, sizeof(b));
	b.rng = 0x2545f4914f6cdd1dULL;
	if ((r = kb_open(kb_path, &kb)) != 0) {
		fprintf(stderr, "vuln bench: %s: %s\n", kb_path, err_str(r));
		return 1;
	}
	b.kb = kb;
	kb_counts(kb, &kc);
	rss(&cur, &hwm);
	printf("kb:        %s: %.0f MB, %u CVEs, %u products, %u match rows; RSS after open %ld "
	       "MB; load average %.1f\n",
	       kb_path, kc.file_size / 1048576.0, kc.cves, kc.products, kc.match_rows, cur / 1024,
	       loadavg());
	r = collect_products(&b);
	if (r == 0 && b.np == 0)
		r = ERR_NOTFOUND;
	/* straight from the mapped KB: a tenth of the lookups, one thread */
	if (kb_lookups < 0)
		kb_lookups = lookups / 10 > 0 ? lookups / 10 : 1;
	if (r == 0 && kb_lookups > 0)
		r = bench_lookups(&b, kb_lookups, 1, "KB only");
	if (r == 0 && pkgs && inventory > 0)
		r = bench_inventory(&b, pkgs, inventory, release);
	t0 = time_now_ms();
	if (r == 0 && (r = vuln_index_build(kb, &ix)) == 0)
		printf("index:     built in %lld ms, %.0f MB\n", (long long)(time_now_ms() - t0),
		       vuln_index_bytes(ix) / 1048576.0);
	b.ix = ix;
	if (r == 0 && verify > 0) {
		struct bench vb = b;
		long bad;

		vb.rng = 0x853c49e6748fea9bULL;
		bad = bench_verify(&vb, verify);
		if (bad != 0)
			r = bad < 0 ? (int)bad : ERR_PROTO;
	}
	if (r == 0)
		r = bench_lookups(&b, lookups, 1, "index, full hits");
	if (r == 0 && threads > 1)
		r = bench_lookups(&b, lookups, threads, "index, full hits");
	b.lazy = 1;
	if (r == 0)
		r = bench_lookups(&b, lookups, 1, "index, full hits, why on demand");
	if (r == 0 && threads > 1)
		r = bench_lookups(&b, lookups, threads, "index, full hits, why on demand");
	b.lazy = 2;
	if (r == 0)
		r = bench_lookups(&b, lookups, 1, "index, full hits, lazy + every why explained");
	b.lazy = 0;
	b.refs = 1;
	if (r == 0)
		r = bench_lookups(&b, lookups, 1, "index, refs");
	if (r == 0 && threads > 1)
		r = bench_lookups(&b, lookups, threads, "index, refs");
	b.refs = 0;
	if (r == 0 && pkgs && inventory > 0)
		r = bench_inventory(&b, pkgs, inventory, release);
	rss(&cur, &hwm);
	if (r == 0)
		printf(
		    "memory:    VmRSS %ld MB, VmHWM %ld MB with the KB mapped (file %.0f MB) and "
		    "the index  target < 300 MB: %s\n",
		    cur / 1024, hwm / 1024, kc.file_size / 1048576.0,
		    hwm >= 0 && hwm < 300 * 1024 ? "ok" : "MISSED");
	free(b.p);
	vuln_index_free(ix);
	kb_close(kb);
	if (r != 0)
		fprintf(stderr, "vuln bench: %s\n", err_str(r));
	return r == 0 ? 0 : 1;
}
