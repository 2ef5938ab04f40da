/*
 * scanq.c: the scan worker pool of the server process. Handlers queue a
 * scan row ("queued"); a worker marks it "running", runs scan_run with the
 * configured options and stores all findings and the final status in one
 * transaction. Each worker has its own store handle. Rows a crash left
 * "queued" or "running" are marked "interrupted" at start-up.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/api_int.h"
#include "config/config.h"
#include "core/core.h"
#include "feed/feed.h"
#include "scan/scan.h"
#include "store/store.h"

/* The same defaults as "wachter scan" (src/scan/cli.c). */
#define SCANQ_CMS_LOCAL "data/cms-versions.tsv"
#define SCANQ_CMS_SYSTEM "/usr/share/wachter/cms-versions.tsv"

#define SCANQ_CAP 256
#define SCANQ_MAX_WORKERS 16

struct scanq_item {
	int64_t scan_id;
	char target[256];
};

struct api_scanq {
	const struct wachter_config *cfg;
	struct logger *lg;
	struct kb *kb;	 /* shared read-only by the workers; NULL = no VULN checks */
	const char *cms; /* newest CMS releases; NULL = none */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct scanq_item items[SCANQ_CAP];
	size_t head, count;
	int stopping;
	volatile sig_atomic_t cancel;
	pthread_t threads[SCANQ_MAX_WORKERS];
	int nthreads;
};

static void scan_one(struct api_scanq *q, struct store *st, const struct scanq_item *it)
{
	const struct wachter_config *cfg = q->cfg;
	struct scan_opts o;
	struct scan_result res;
	struct buf err = BUF_INIT;
	const char *status;
	int r;

	memset(&o, 0, sizeof(o));
	o.ports = cfg->scan_ports[0] ? cfg->scan_ports : NULL;
	o.concurrency = (int)cfg->scan_concurrency;
	o.rate_per_target = (int)cfg->scan_rate_per_target;
	o.timeout_ms = (int)cfg->scan_timeout_ms;
	o.retries = (int)cfg->scan_retries;
	o.ca_file = cfg->scan_ca_file[0] ? cfg->scan_ca_file : NULL;
	o.resolver = cfg->scan_resolver[0] ? cfg->scan_resolver : NULL;
	o.trust_anchor = cfg->scan_trust_anchor[0] ? cfg->scan_trust_anchor : NULL;
	o.cancel = &q->cancel;
	o.kb = q->kb;
	o.cms_versions = q->cms;
	scan_result_init(&res);
	if (tenant_scan_set_status(st, it->scan_id, "running") != 0)
		LOG_WARN(q->lg, "could not mark scan running scan=%lld db=\"%s\"",
			 (long long)it->scan_id, store_errmsg(st));
	LOG_INFO(q->lg, "scan started scan=%lld target=%s", (long long)it->scan_id, it->target);
	r = scan_run(it->target, &o, &res, &err, q->lg);
	status = r == 0		     ? (res.complete ? "done" : "incomplete")
		 : r == ERR_CANCELED ? "canceled"
				     : "failed";
	if (r && r != ERR_CANCELED)
		LOG_WARN(q->lg, "scan failed scan=%lld err=%s msg=\"%.*s\"", (long long)it->scan_id,
			 err_str(r), LOG_CAP(err.len), err.ptr);
	r = tenant_scan_finish(st, it->scan_id, &res, status);
	if (r)
		LOG_ERROR(q->lg, "could not store scan scan=%lld err=%s db=\"%s\"",
			  (long long)it->scan_id, err_str(r), store_errmsg(st));
	else
		LOG_INFO(q->lg, "scan stored scan=%lld status=%s findings=%zu",
			 (long long)it->scan_id, status, res.findings.n);
	scan_result_release(&res);
	buf_release(&err);
}

static void *worker(void *arg)
{
	struct api_scanq *q = arg;
	struct store_opts so = {.busy_timeout_ms = (int)q->cfg->store_busy_timeout_ms};
	struct store *st = NULL;
	struct scanq_item it;
	int r;

	r = store_open(q->cfg->store_url, &so, q->lg, &st);
	if (r) {
		LOG_ERROR(q->lg, "scan worker cannot open the store err=%s", err_str(r));
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (!q->stopping && q->count == 0)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->stopping) {
			pthread_mutex_unlock(&q->mu);
			break;
		}
		it = q->items[q->head];
		q->head = (q->head + 1) % SCANQ_CAP;
		q->count--;
		pthread_mutex_unlock(&q->mu);
		scan_one(q, st, &it);
	}
	store_close(st);
	return NULL;
}

/* Rows a previous process left behind cannot finish any more. */
static int recover(const struct wachter_config *cfg, struct logger *lg)
{
	struct store_opts so = {.busy_timeout_ms = (int)cfg->store_busy_timeout_ms};
	struct store *st = NULL;
	int r = store_open(cfg->store_url, &so, lg, &st);

	if (r == 0)
		r = store_exec(st, "UPDATE scans SET status = 'interrupted' WHERE status IN "
				   "('queued', 'running')");
	if (r)
		LOG_ERROR(lg, "could not mark interrupted scans err=%s", err_str(r));
	store_close(st);
	return r;
}

int api_scanq_new(const struct wachter_config *cfg, struct logger *lg, int nworkers,
		  struct api_scanq **out)
{
	struct api_scanq *q;
	const char *kbp;
	int r, i;

	if (nworkers < 1 || nworkers > SCANQ_MAX_WORKERS)
		return ERR_RANGE;
	r = recover(cfg, lg);
	if (r)
		return r;
	q = calloc(1, sizeof(*q));
	if (!q)
		return ERR_NOMEM;
	q->cfg = cfg;
	q->lg = lg;
	/* The default knowledge base is used when it exists; a configured
	 * one must open, else every scan would quietly lack the VULN checks. */
	kbp = cfg->scan_kb[0] ? cfg->scan_kb : SCAN_KB_DEFAULT_PATH;
	if (strcmp(kbp, SCAN_KB_DEFAULT_PATH) != 0 || access(kbp, R_OK) == 0) {
		r = kb_open(kbp, &q->kb);
		if (r) {
			LOG_ERROR(lg, "cannot open the knowledge base path=%s err=%s", kbp,
				  err_str(r));
			free(q);
			return r;
		}
		LOG_INFO(lg, "knowledge base path=%s", kbp);
	} else {
		LOG_WARN(lg,
			 "no knowledge base path=%s; scans run without VULN checks (import "
			 "feeds with wachter feed import)",
			 kbp);
	}
	q->cms = access(SCANQ_CMS_LOCAL, R_OK) == 0    ? SCANQ_CMS_LOCAL
		 : access(SCANQ_CMS_SYSTEM, R_OK) == 0 ? SCANQ_CMS_SYSTEM
						       : NULL;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	for (i = 0; i < nworkers; i++) {
		if (pthread_create(&q->threads[i], NULL, worker, q) != 0) {
			api_scanq_free(q);
			return ERR_NOMEM;
		}
		q->nthreads++;
	}
	*out = q;
	return 0;
}

void api_scanq_free(struct api_scanq *q)
{
	int i;

	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stopping = 1;
	q->cancel = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	kb_close(q->kb);
	free(q);
}

int api_scanq_push(struct api_scanq *q, int64_t scan_id, const char *target)
{
	struct scanq_item *it;
	int r = 0;

	pthread_mutex_lock(&q->mu);
	if (q->stopping || q->count == SCANQ_CAP) {
		r = q->stopping ? ERR_CANCELED : ERR_TOO_BIG;
	} else {
		it = &q->items[(q->head + q->count) % SCANQ_CAP];
		it->scan_id = scan_id;
		str_lcpy(it->target, target, sizeof(it->target));
		q->count++;
		pthread_cond_signal(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return r;
}
