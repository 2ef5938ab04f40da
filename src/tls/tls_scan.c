/*
 * tls_scan.c: the scan plan. Phase 1 asks each protocol version once (and
 * runs the OpenSSL handshake for the certificate); phase 2 enumerates the
 * accepted suites per version in parallel chunks, TLS 1.3 groups and
 * compression; phase 3 measures server preference, ECDHE curves, DHE
 * sizes and weak key exchange signatures. Every probe is one connection.
 */
#include <stdlib.h>
#include <string.h>

#include "tls/tls_int.h"

#define CHUNKS 8 /* parallel elimination chunks per version */

enum task_kind {
	T_VERSION,
	T_SUITES,
	T_GROUP13,
	T_COMPRESS,
	T_ORDER,
	T_GROUP12,
	T_DHE,
	T_SIGHASH,
	T_SCSV,
};

struct task {
	enum task_kind kind;
	enum tls_version v;
	size_t chunk;
	uint16_t group;
	int arg;
};

struct scan {
	struct tls_ctx cx;
	struct tls_report *rep;
	unsigned char *acc;  /* acc[v * tls_suites_n + i]: suite i accepted in v */
	unsigned char *rank; /* same index: server preference, 1 = first, 0 = unknown */
	struct tls_server_hello first[TLS_V_COUNT];
	int first_r[TLS_V_COUNT]; /* the first probe's error per version */
	int nontls, conn_err, tried, ok, cert_r;
	unsigned char g12[64], g13[64]; /* by tls_group_defs index */
	struct task *t;
	size_t nt, capt;
};

static int add_task(struct scan *s, enum task_kind k, enum tls_version v, size_t chunk,
		    uint16_t group, int arg)
{
	if (s->nt == s->capt) {
		size_t nc = s->capt ? s->capt * 2 : 64;
		struct task *nt = realloc(s->t, nc * sizeof(*nt));

		if (!nt)
			return ERR_NOMEM;
		s->t = nt;
		s->capt = nc;
	}
	s->t[s->nt++] = (struct task){k, v, chunk, group, arg};
	return 0;
}

/* note_result: count what a probe says about the port as a whole. */
static void note_result(struct scan *s, int r)
{
	pthread_mutex_lock(&s->cx.mu);
	s->tried++;
	if (r == 0)
		s->ok++;
	else if (r == ERR_TLS)
		s->nontls++;
	else if (r)
		s->conn_err = r;
	pthread_mutex_unlock(&s->cx.mu);
}

/* the TLS <= 1.2 suites (minus TLS_NULL_WITH_NULL_NULL) or the 1.3 ones */
static size_t suite_ids(enum tls_version v, size_t chunk, size_t nchunks, const unsigned char *skip,
			uint16_t *ids, size_t cap)
{
	enum tls_suite_kind k = v == TLS_V_TLS13 ? TLS_SUITE_TLS13 : TLS_SUITE_TLS;
	size_t i, n = 0, j = 0;

	for (i = 0; i < tls_suites_n && n < cap; i++) {
		if (tls_suites[i].kind != k || tls_suites[i].id == 0)
			continue;
		if (j++ % nchunks != chunk || (skip && skip[i]))
			continue;
		ids[n++] = (uint16_t)tls_suites[i].id;
	}
	return n;
}

static size_t suite_index(enum tls_suite_kind k, uint32_t id)
{
	const struct tls_suite *s = tls_suite_find(k, id);

	return s ? (size_t)(s - tls_suites) : tls_suites_n;
}

static void hello_for(struct tls_hello_opts *ho, const struct scan *s, enum tls_version v,
		      const uint16_t *ids, size_t n)
{
	static const uint16_t groups13[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x001e,
					    0x0100, 0x0101, 0x0102, 0x0103, 0x0104};

	memset(ho, 0, sizeof(*ho));
	ho->suites = ids;
	ho->n_suites = n;
	ho->sni = tls_wire_sni(s->cx.o->sni);
	if (v == TLS_V_TLS13) {
		ho->tls13 = 1;
		ho->key_share = 1;
		ho->groups = groups13;
		ho->n_groups = ARRAY_SIZE(groups13);
	} else {
		ho->version = tls_version_wire(v);
	}
}

static int version_match(const struct tls_server_hello *sh, enum tls_version v)
{
	return sh->kind == TLS_RESP_HELLO && sh->version == tls_version_wire(v);
}

static void do_version(struct scan *s, enum tls_version v)
{
	uint16_t ids[TLS_HELLO_MAX_SUITES];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	int r;

	if (v == TLS_V_SSL2) {
		uint32_t specs[32];
		uint8_t chal[16] = {0};
		size_t i, n = 0;
		struct buf b;

		for (i = 0; i < tls_suites_n && n < ARRAY_SIZE(specs); i++)
			if (tls_suites[i].kind == TLS_SUITE_SSL2)
				specs[n++] = tls_suites[i].id;
		buf_init(&b, 4096);
		r = tls_build_ssl2_hello(specs, n, chal, &b);
		if (r == 0)
			r = tls_probe(&s->cx, b.ptr, b.len, 0, &sh);
		buf_release(&b);
	} else {
		hello_for(&ho, s, v, ids, suite_ids(v, 0, 1, NULL, ids, ARRAY_SIZE(ids)));
		r = tls_probe_hello(&s->cx, &ho, 0, &sh);
	}
	note_result(s, r);
	pthread_mutex_lock(&s->cx.mu);
	s->first_r[v] = r;
	if (r == 0)
		s->first[v] = sh;
	pthread_mutex_unlock(&s->cx.mu);
}

static void accept_suite(struct scan *s, enum tls_version v, size_t idx)
{
	pthread_mutex_lock(&s->cx.mu);
	if (idx < tls_suites_n)
		s->acc[(size_t)v * tls_suites_n + idx] = 1;
	pthread_mutex_unlock(&s->cx.mu);
}

/* eliminate: offer the chunk, remove the chosen suite, repeat until refused */
static void do_suites(struct scan *s, enum tls_version v, size_t chunk, size_t nchunks)
{
	enum tls_suite_kind k = v == TLS_V_TLS13 ? TLS_SUITE_TLS13 : TLS_SUITE_TLS;
	unsigned char *taken = calloc(tls_suites_n, 1);
	uint16_t ids[TLS_HELLO_MAX_SUITES];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	size_t n, idx;
	int r;

	if (!taken)
		return;
	for (;;) {
		n = suite_ids(v, chunk, nchunks, taken, ids, ARRAY_SIZE(ids));
		if (n == 0)
			break;
		hello_for(&ho, s, v, ids, n);
		r = tls_probe_hello(&s->cx, &ho, 0, &sh);
		note_result(s, r);
		if (r || !version_match(&sh, v))
			break;
		idx = suite_index(k, sh.suite);
		if (idx >= tls_suites_n || taken[idx])
			break; /* a suite we did not offer: stop, do not loop */
		taken[idx] = 1;
		accept_suite(s, v, idx);
	}
	free(taken);
}

static void do_group13(struct scan *s, uint16_t group, size_t gi)
{
	uint16_t ids[8];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	int r;

	hello_for(&ho, s, TLS_V_TLS13, ids, suite_ids(TLS_V_TLS13, 0, 1, NULL, ids, 8));
	ho.groups = &group;
	ho.n_groups = 1;
	ho.key_share = group == 0x001d || group == 0x0017;
	r = tls_probe_hello(&s->cx, &ho, 0, &sh);
	note_result(s, r);
	if (r == 0 && version_match(&sh, TLS_V_TLS13) && sh.group == group) {
		pthread_mutex_lock(&s->cx.mu);
		s->g13[gi] = 1;
		pthread_mutex_unlock(&s->cx.mu);
	}
}

/* best version <= TLS 1.2 the server speaks, or -1 */
static int best12(const struct scan *s)
{
	int v;

	for (v = TLS_V_TLS12; v >= TLS_V_SSL3; v--)
		if (s->rep->v[v].supported == 1)
			return v;
	return -1;
}

static void do_compress(struct scan *s)
{
	uint16_t ids[TLS_HELLO_MAX_SUITES];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	int v = best12(s), r;

	if (v < 0)
		return;
	hello_for(&ho, s, v, ids, suite_ids(v, 0, 1, NULL, ids, ARRAY_SIZE(ids)));
	ho.deflate = 1;
	r = tls_probe_hello(&s->cx, &ho, 0, &sh);
	note_result(s, r);
	if (r == 0 && sh.kind == TLS_RESP_HELLO) {
		pthread_mutex_lock(&s->cx.mu);
		s->rep->compression = sh.compression == 1;
		pthread_mutex_unlock(&s->cx.mu);
	}
}

/* the accepted suites of v matching filter, in table order (or reversed) */
static size_t accepted_ids(const struct scan *s, enum tls_version v,
			   int (*filter)(const struct tls_suite *), int reverse, uint16_t *ids,
			   size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < tls_suites_n && n < cap; i++) {
		size_t j = reverse ? tls_suites_n - 1 - i : i;

		if (s->acc[(size_t)v * tls_suites_n + j] && (!filter || filter(&tls_suites[j])))
			ids[n++] = (uint16_t)tls_suites[j].id;
	}
	return n;
}

#define RANK_MAX 32 /* sequential connections spent on the full order */

/* rank_suites: the server's order, by offering what is left of its
 * accepted suites and taking out its choice each time */
static void rank_suites(struct scan *s, enum tls_version v, uint16_t *ids, size_t n, uint16_t first)
{
	enum tls_suite_kind k = v == TLS_V_TLS13 ? TLS_SUITE_TLS13 : TLS_SUITE_TLS;
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	uint16_t pick = first;
	int rank;

	for (rank = 1; rank <= RANK_MAX && n > 0; rank++) {
		size_t i, idx = suite_index(k, pick);

		for (i = 0; i < n && ids[i] != pick; i++)
			;
		if (i == n || idx >= tls_suites_n)
			return; /* not one we offered */
		ids[i] = ids[--n];
		pthread_mutex_lock(&s->cx.mu);
		s->rank[(size_t)v * tls_suites_n + idx] = (unsigned char)rank;
		pthread_mutex_unlock(&s->cx.mu);
		if (n == 0)
			return;
		hello_for(&ho, s, v, ids, n);
		if (tls_probe_hello(&s->cx, &ho, 0, &sh) != 0 || !version_match(&sh, v))
			return;
		pick = sh.suite;
	}
}

static void do_order(struct scan *s, enum tls_version v)
{
	uint16_t fwd[TLS_HELLO_MAX_SUITES], rev[TLS_HELLO_MAX_SUITES];
	struct tls_hello_opts ho;
	struct tls_server_hello a, b;
	size_t n = accepted_ids(s, v, NULL, 0, fwd, ARRAY_SIZE(fwd));
	int r, order = -1;

	(void)accepted_ids(s, v, NULL, 1, rev, ARRAY_SIZE(rev));
	hello_for(&ho, s, v, fwd, n);
	r = tls_probe_hello(&s->cx, &ho, 0, &a);
	note_result(s, r);
	if (r == 0) {
		hello_for(&ho, s, v, rev, n);
		r = tls_probe_hello(&s->cx, &ho, 0, &b);
		note_result(s, r);
	}
	if (r == 0 && version_match(&a, v) && version_match(&b, v))
		order = a.suite == b.suite ? 1 : (a.suite == fwd[0] && b.suite == rev[0] ? 0 : -1);
	pthread_mutex_lock(&s->cx.mu);
	s->rep->v[v].server_order = order;
	pthread_mutex_unlock(&s->cx.mu);
	if (order == 1)
		rank_suites(s, v, fwd, n, a.suite);
}

static int is_ecdhe(const struct tls_suite *t)
{
	return strcmp(t->kx, "ECDH") == 0 && tls_suite_fs(t);
}

static int is_dhe(const struct tls_suite *t)
{
	return strcmp(t->kx, "DH") == 0 && tls_suite_fs(t);
}

static int is_fs(const struct tls_suite *t)
{
	return tls_suite_fs(t);
}

static int is_ecdhe_rsa(const struct tls_suite *t)
{
	return is_ecdhe(t) && strcmp(t->au, "RSA") == 0;
}

/*
 * In TLS <= 1.2 supported_groups also limits the curve of an ECDSA
 * certificate, so offering one group alone would hide an ECDSA-only
 * server: use RSA-signed ECDHE suites when there are any, else add the
 * NIST curves after the tested one and count only an exact answer.
 */
static void do_group12(struct scan *s, uint16_t group, size_t gi)
{
	static const uint16_t nist[] = {0x0017, 0x0018, 0x0019};
	uint16_t ids[TLS_HELLO_MAX_SUITES], groups[4];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	int v = best12(s), r;
	size_t n, ng = 0, i;

	if (v < 0)
		return;
	groups[ng++] = group;
	n = accepted_ids(s, v, is_ecdhe_rsa, 0, ids, ARRAY_SIZE(ids));
	if (n == 0) {
		n = accepted_ids(s, v, is_ecdhe, 0, ids, ARRAY_SIZE(ids));
		for (i = 0; i < ARRAY_SIZE(nist); i++)
			if (nist[i] != group)
				groups[ng++] = nist[i];
	}
	if (n == 0)
		return;
	hello_for(&ho, s, v, ids, n);
	ho.groups = groups;
	ho.n_groups = ng;
	r = tls_probe_hello(&s->cx, &ho, 1, &sh);
	note_result(s, r);
	if (r == 0 && sh.kind == TLS_RESP_HELLO && sh.have_ske && sh.ske_group == group) {
		pthread_mutex_lock(&s->cx.mu);
		s->g12[gi] = 1;
		pthread_mutex_unlock(&s->cx.mu);
	}
}

static void do_dhe(struct scan *s, enum tls_version v)
{
	uint16_t ids[TLS_HELLO_MAX_SUITES];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	size_t n = accepted_ids(s, v, is_dhe, 0, ids, ARRAY_SIZE(ids));
	int r;

	if (n == 0)
		return;
	hello_for(&ho, s, v, ids, n);
	r = tls_probe_hello(&s->cx, &ho, 1, &sh);
	note_result(s, r);
	if (r == 0 && sh.have_ske && sh.ske_dh_bits > 0) {
		pthread_mutex_lock(&s->cx.mu);
		if (s->rep->dh_bits == 0 || sh.ske_dh_bits < s->rep->dh_bits)
			s->rep->dh_bits = sh.ske_dh_bits;
		pthread_mutex_unlock(&s->cx.mu);
	}
}

/* offer only SHA-1/MD5 (arg 1) or SHA-224 (arg 2) signature schemes */
static void do_sighash(struct scan *s, int which)
{
	static const uint16_t sha1[] = {0x0201, 0x0203, 0x0202, 0x0101, 0x0103};
	static const uint16_t sha224[] = {0x0301, 0x0303, 0x0302};
	uint16_t ids[TLS_HELLO_MAX_SUITES];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	size_t n = accepted_ids(s, TLS_V_TLS12, is_fs, 0, ids, ARRAY_SIZE(ids));
	int r;

	if (n == 0)
		return;
	hello_for(&ho, s, TLS_V_TLS12, ids, n);
	ho.sigalgs = which == 1 ? sha1 : sha224;
	ho.n_sigalgs = which == 1 ? ARRAY_SIZE(sha1) : ARRAY_SIZE(sha224);
	r = tls_probe_hello(&s->cx, &ho, 1, &sh);
	note_result(s, r);
	if (r || !sh.have_ske || !sh.ske_sigalg)
		return;
	pthread_mutex_lock(&s->cx.mu);
	if (which == 1 && ((sh.ske_sigalg >> 8) == 1 || (sh.ske_sigalg >> 8) == 2))
		s->rep->kx_sha1 = 1;
	if (which == 2 && (sh.ske_sigalg >> 8) == 3)
		s->rep->kx_sha224 = 1;
	pthread_mutex_unlock(&s->cx.mu);
}

static void do_reneg(struct scan *s)
{
	int allowed = -1;

	if (tls_reneg_scan(&s->cx, &allowed) != 0)
		return;
	pthread_mutex_lock(&s->cx.mu);
	s->rep->client_reneg = allowed;
	pthread_mutex_unlock(&s->cx.mu);
}

/* RFC 7507: offer version v (below the best) with TLS_FALLBACK_SCSV; a
 * server that honours it answers inappropriate_fallback (86) */
static void do_scsv(struct scan *s, enum tls_version v)
{
	uint16_t ids[TLS_HELLO_MAX_SUITES];
	struct tls_hello_opts ho;
	struct tls_server_hello sh;
	size_t n = suite_ids(v, 0, 1, NULL, ids, ARRAY_SIZE(ids) - 1);
	int r, res = -1;

	ids[n++] = 0x5600;
	hello_for(&ho, s, v, ids, n);
	r = tls_probe_hello(&s->cx, &ho, 0, &sh);
	note_result(s, r);
	if (r == 0 && sh.kind == TLS_RESP_ALERT && sh.alert_desc == 86)
		res = 1;
	else if (r == 0 && version_match(&sh, v))
		res = 0;
	pthread_mutex_lock(&s->cx.mu);
	s->rep->fallback_scsv = res;
	pthread_mutex_unlock(&s->cx.mu);
}

static void run_task(size_t i, void *arg)
{
	struct scan *s = arg;
	const struct task *t = &s->t[i];

	switch (t->kind) {
	case T_VERSION:
		do_version(s, t->v);
		break;
	case T_SUITES:
		do_suites(s, t->v, t->chunk, (size_t)t->arg);
		break;
	case T_GROUP13:
		do_group13(s, t->group, t->chunk);
		break;
	case T_COMPRESS:
		do_compress(s);
		break;
	case T_ORDER:
		do_order(s, t->v);
		break;
	case T_GROUP12:
		do_group12(s, t->group, t->chunk);
		break;
	case T_DHE:
		do_dhe(s, t->v);
		break;
	case T_SIGHASH:
		do_sighash(s, t->arg);
		break;
	case T_SCSV:
		do_scsv(s, t->v);
		break;
	}
}

static void run_phase(struct scan *s, const char *name)
{
	int64_t t0 = time_now_ms();
	size_t n = s->nt;

	tls_run(s->nt, s->cx.o->concurrency > 0 ? s->cx.o->concurrency : 16, run_task, s);
	s->nt = 0;
	LOG_DEBUG(s->cx.lg, "phase done phase=%s tasks=%zu ms=%lld", name, n,
		  (long long)(time_now_ms() - t0));
}

static void *cert_thread(void *arg)
{
	struct scan *s = arg;
	int64_t t0 = time_now_ms();

	s->cert_r = tls_cert_scan(&s->cx, s->rep);
	LOG_DEBUG(s->cx.lg, "certificate check done ms=%lld", (long long)(time_now_ms() - t0));
	do_reneg(s);
	LOG_DEBUG(s->cx.lg, "renegotiation check done ms=%lld", (long long)(time_now_ms() - t0));
	return NULL;
}

/* fill rep->v[v] from phase 1 (supported, evidence) */
static int fill_version(struct scan *s, enum tls_version v)
{
	const struct tls_server_hello *sh = &s->first[v];
	struct tls_version_result *vr = &s->rep->v[v];
	struct buf b;
	int r;

	/* A probe that could not connect or got silence proves nothing: a
	 * slow server is not one without the version (no false TLS-05). */
	if (s->first_r[v] == ERR_TIMEOUT || s->first_r[v] == ERR_CONN ||
	    (sh->kind == TLS_RESP_NONE && sh->silent)) {
		vr->supported = -1;
		return 0;
	}
	vr->supported = 0;
	if (v == TLS_V_SSL2 ? sh->kind != TLS_RESP_SSL2 : !version_match(sh, v))
		return 0;
	vr->supported = 1;
	s->rep->tls = 1;
	buf_init(&b, sizeof(vr->evidence) - 1);
	if (v == TLS_V_SSL2)
		r = buf_addf(&b, "SERVER-HELLO with %zu cipher specs: ", sh->ssl2_n);
	else {
		const struct tls_suite *t = tls_suite_find(TLS_SUITE_TLS, sh->suite);

		r = buf_addf(&b, "ServerHello %s %s: ", tls_version_name(v),
			     t ? t->name : "unknown suite");
	}
	if (r == 0)
		r = tls_hex(sh->hello_head, sh->hello_head_len, &b);
	if (r == ERR_TOO_BIG)
		r = 0;
	str_lcpy(vr->evidence, b.ptr, sizeof(vr->evidence));
	buf_release(&b);
	return r == ERR_NOMEM ? r : 0;
}

static int collect_suites(struct scan *s, enum tls_version v)
{
	struct tls_version_result *vr = &s->rep->v[v];
	size_t i, n = 0;
	int r;

	if (v == TLS_V_SSL2) {
		const struct tls_server_hello *sh = &s->first[v];

		vr->suites = calloc(sh->ssl2_n + 1, sizeof(*vr->suites));
		if (!vr->suites)
			return ERR_NOMEM;
		for (i = 0; i < sh->ssl2_n; i++) {
			const struct tls_suite *t =
			    tls_suite_find(TLS_SUITE_SSL2, sh->ssl2_specs[i]);

			if (t)
				vr->suites[n++] = (struct tls_accepted){t, tls_suite_rate(t)};
		}
		vr->n_suites = n;
		return 0;
	}
	vr->suites = calloc(tls_suites_n, sizeof(*vr->suites));
	if (!vr->suites)
		return ERR_NOMEM;
	/* ranked suites first in the server's order, then the rest */
	for (r = 1; r <= RANK_MAX + 1; r++) {
		for (i = 0; i < tls_suites_n; i++) {
			size_t j = (size_t)v * tls_suites_n + i;
			const struct tls_suite *t = &tls_suites[i];

			if (!s->acc[j] || (r <= RANK_MAX ? s->rank[j] != r : s->rank[j] != 0))
				continue;
			vr->suites[n++] = (struct tls_accepted){t, tls_suite_rate(t)};
		}
	}
	vr->n_suites = n;
	return 0;
}

static int collect_groups(struct scan *s)
{
	size_t i, n = 0;

	s->rep->groups = calloc(2 * tls_group_defs_n + 1, sizeof(*s->rep->groups));
	if (!s->rep->groups)
		return ERR_NOMEM;
	for (i = 0; i < tls_group_defs_n && i < ARRAY_SIZE(s->g12); i++) {
		const struct tls_group_def *g = &tls_group_defs[i];

		if (s->g12[i] || s->g13[i])
			s->rep->groups[n++] =
			    (struct tls_group){g->id, g->name, g->bits, s->g12[i], s->g13[i]};
	}
	s->rep->n_groups = n;
	return 0;
}

/* a fallback test needs an accepted version below the best one */
static int plan_scsv(struct scan *s)
{
	int best = -1, old = 0, v;

	for (v = TLS_V_SSL3; v <= TLS_V_TLS11; v++)
		old |= s->rep->v[v].supported == 1;
	if (!old)
		return 0; /* SCSV only matters while older protocols are on */
	for (v = TLS_V_TLS13; v >= TLS_V_SSL3 && best < 0; v--)
		if (s->rep->v[v].supported == 1)
			best = v;
	for (v = best - 1; v >= TLS_V_SSL3; v--)
		if (s->rep->v[v].supported == 1)
			return add_task(s, T_SCSV, v, 0, 0, 0);
	return 0;
}

static int plan_phase2(struct scan *s)
{
	int v, r = 0;
	size_t c, i;

	for (v = TLS_V_SSL3; v <= TLS_V_TLS12 && r == 0; v++)
		for (c = 0; c < CHUNKS && r == 0 && s->rep->v[v].supported == 1; c++)
			r = add_task(s, T_SUITES, v, c, 0, CHUNKS);
	if (r == 0 && s->rep->v[TLS_V_TLS13].supported == 1) {
		r = add_task(s, T_SUITES, TLS_V_TLS13, 0, 0, 1);
		for (i = 0; i < tls_group_defs_n && r == 0; i++) {
			uint16_t id = tls_group_defs[i].id;

			if (id >= 0x0017 && id != 0x001a && id != 0x001b && id != 0x001c)
				r = add_task(s, T_GROUP13, 0, i, id, 0);
		}
	}
	if (r == 0 && best12(s) >= 0)
		r = add_task(s, T_COMPRESS, 0, 0, 0, 0);
	if (r == 0)
		r = plan_scsv(s);
	return r;
}

static int plan_phase3(struct scan *s)
{
	uint16_t ids[TLS_HELLO_MAX_SUITES];
	int v, b = best12(s), r = 0;
	size_t i;

	for (v = TLS_V_SSL3; v <= TLS_V_TLS13 && r == 0; v++) {
		if (accepted_ids(s, v, NULL, 0, ids, ARRAY_SIZE(ids)) >= 2)
			r = add_task(s, T_ORDER, v, 0, 0, 0);
		if (r == 0 && v <= TLS_V_TLS12 && accepted_ids(s, v, is_dhe, 0, ids, 1))
			r = add_task(s, T_DHE, v, 0, 0, 0);
	}
	if (r == 0 && b >= 0 && accepted_ids(s, b, is_ecdhe, 0, ids, 1)) {
		for (i = 0; i < tls_group_defs_n && r == 0; i++)
			if (!tls_group_defs[i].ffdhe && tls_group_defs[i].id < 0x001f)
				r = add_task(s, T_GROUP12, 0, i, tls_group_defs[i].id, 0);
	}
	if (r == 0 && accepted_ids(s, TLS_V_TLS12, is_fs, 0, ids, 1)) {
		r = add_task(s, T_SIGHASH, 0, 0, 0, 1);
		if (r == 0)
			r = add_task(s, T_SIGHASH, 0, 0, 0, 2);
	}
	return r;
}

/* the extension answers of the best TLS <= 1.2 ServerHello */
static void fill_extensions(struct scan *s)
{
	int b = best12(s);

	if (b < 0)
		return;
	s->rep->secure_reneg = s->first[b].reneg_info;
	s->rep->ems = b >= TLS_V_TLS10 ? s->first[b].ems : -1;
}

static int scan_run(struct scan *s)
{
	pthread_t th;
	int v, r = 0, cert_started;

	cert_started = pthread_create(&th, NULL, cert_thread, s) == 0;
	for (v = 0; v < TLS_V_COUNT && r == 0; v++)
		r = add_task(s, T_VERSION, v, 0, 0, 0);
	if (r == 0)
		run_phase(s, "versions");
	for (v = 0; v < TLS_V_COUNT && r == 0; v++)
		r = fill_version(s, v);
	s->rep->reachable = s->ok > 0 || s->nontls > 0;
	if (r == 0 && s->rep->tls) {
		fill_extensions(s);
		r = plan_phase2(s);
		if (r == 0)
			run_phase(s, "suites");
		if (r == 0)
			r = plan_phase3(s);
		if (r == 0)
			run_phase(s, "details");
	}
	if (cert_started)
		pthread_join(th, NULL);
	else if (r == 0)
		(void)cert_thread(s);
	for (v = 0; v < TLS_V_COUNT && r == 0; v++)
		r = collect_suites(s, v);
	if (r == 0)
		r = collect_groups(s);
	return r;
}

int tls_scan(const struct net_addr *a, const struct tls_scan_opts *o, struct tls_report *rep,
	     struct findings *out, struct logger *lg)
{
	struct scan s;
	char host[NET_ADDRSTR_MAX];
	int64_t t0 = time_now_ms();
	int r;

	memset(&s, 0, sizeof(s));
	s.cx.addr = a;
	s.cx.o = o;
	s.cx.lg = lg;
	s.cx.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 5000;
	pthread_mutex_init(&s.cx.mu, NULL);
	s.rep = rep;
	s.acc = calloc(tls_suites_n * TLS_V_COUNT, 1);
	s.rank = calloc(tls_suites_n * TLS_V_COUNT, 1);
	if (!s.acc || !s.rank) {
		r = ERR_NOMEM;
		goto out;
	}
	r = scan_run(&s);
	rep->connections = s.cx.conns;
	rep->elapsed_ms = time_now_ms() - t0;
	if (r)
		goto out;
	if (!rep->tls) {
		/* no version at all: unreachable, STARTTLS refused or not TLS */
		if (s.ok == 0 && s.nontls == 0 && s.conn_err)
			r = s.conn_err;
		else
			r = ERR_TLS;
		LOG_INFO(lg, "no tls handshake err=%s probes=%d nontls=%d", err_str(r), s.tried,
			 s.nontls);
		goto out;
	}
	net_addr_str(a, host);
	r = tls_findings(rep, o, o->sni ? o->sni : host, net_addr_port(a), out);
out:
	free(s.acc);
	free(s.rank);
	free(s.t);
	pthread_mutex_destroy(&s.cx.mu);
	return r;
}
