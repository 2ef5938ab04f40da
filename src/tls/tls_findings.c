/*
 * tls_findings.c: the rules of docs/checks.md A.3/A.4 applied to a
 * finished tls_report: which TLS-xx and CERT-xx findings it produces, with
 * which severity, detail line and evidence.
 */
#include <string.h>

#include "tls/tls_int.h"

struct fctx {
	struct findings *out;
	const char *target;
	int port;
};

static int add(struct fctx *f, const char *id, int sev, const char *evidence, const char *detail)
{
	return findings_add(f->out, id, sev, CONF_HIGH, f->target, f->port, detail, evidence);
}

static int has_enc(const struct tls_suite *s, const char *enc)
{
	return strcmp(s->enc, enc) == 0;
}

static int versions(struct fctx *f, const struct tls_report *rep)
{
	static const int sev[TLS_V_COUNT] = {SEV_CRITICAL, SEV_HIGH, SEV_MEDIUM,
					     SEV_MEDIUM,   -1,	     -1};
	int v, r;

	for (v = TLS_V_SSL2; v <= TLS_V_TLS11; v++) {
		if (rep->v[v].supported != 1)
			continue;
		r = findings_addf(f->out, "TLS-04", sev[v], CONF_HIGH, f->target, f->port,
				  rep->v[v].evidence, "%s accepted", tls_version_name(v));
		if (r)
			return r;
	}
	if (rep->v[TLS_V_TLS12].supported != 1 && rep->v[TLS_V_TLS13].supported != 1 &&
	    (r = add(f, "TLS-04", SEV_HIGH, NULL, "neither TLS 1.2 nor TLS 1.3 supported")))
		return r;
	if (rep->v[TLS_V_TLS13].supported == 0 &&
	    (r = add(f, "TLS-05", -1, NULL, "TLS 1.3 not offered")))
		return r;
	return 0;
}

/* TLS-06: per version, the insufficient suites (fail) and phase-out (warn) */
static int suites(struct fctx *f, const struct tls_report *rep)
{
	struct buf bad = BUF_INIT, old = BUF_INIT;
	int v, r = 0;
	size_t i;

	for (v = 0; v < TLS_V_COUNT && r == 0; v++) {
		const struct tls_version_result *vr = &rep->v[v];
		int worst = SEV_HIGH;

		buf_reset(&bad);
		buf_reset(&old);
		for (i = 0; i < vr->n_suites && r == 0; i++) {
			const struct tls_suite *s = vr->suites[i].suite;
			struct buf *b = vr->suites[i].rating == TLS_RATE_INSUFFICIENT ? &bad
					: vr->suites[i].rating == TLS_RATE_PHASEOUT   ? &old
										      : NULL;

			if (!b)
				continue;
			if (b == &bad &&
			    (s->export_ || has_enc(s, "None") || !strcmp(s->au, "None")))
				worst = SEV_CRITICAL;
			r = buf_addf(b, "%s%s", b->len ? " " : "", s->name);
		}
		if (r == 0 && bad.len)
			r = findings_addf(f->out, "TLS-06", worst, CONF_HIGH, f->target, f->port,
					  bad.ptr, "%s: weak cipher suites accepted",
					  tls_version_name(v));
		if (r == 0 && old.len)
			r = findings_addf(f->out, "TLS-06", SEV_LOW, CONF_HIGH, f->target, f->port,
					  old.ptr, "%s: phase-out cipher suites accepted",
					  tls_version_name(v));
		if (r == 0 && (bad.len || old.len) && vr->server_order == 0)
			r = findings_addf(f->out, "TLS-07", -1, CONF_HIGH, f->target, f->port, NULL,
					  "%s: the client's cipher order is followed",
					  tls_version_name(v));
	}
	buf_release(&bad);
	buf_release(&old);
	return r;
}

static int kx(struct fctx *f, const struct tls_report *rep)
{
	struct buf nofs = BUF_INIT;
	int v, r = 0;
	size_t i;

	for (v = TLS_V_SSL3; v <= TLS_V_TLS12 && r == 0; v++)
		for (i = 0; i < rep->v[v].n_suites && r == 0; i++) {
			const struct tls_suite *s = rep->v[v].suites[i].suite;

			if (!tls_suite_fs(s) && !strstr(nofs.ptr, s->name))
				r = buf_addf(&nofs, "%s%s", nofs.len ? " " : "", s->name);
		}
	if (r == 0 && nofs.len)
		r = add(f, "TLS-08", -1, nofs.ptr,
			"cipher suites without forward secrecy accepted");
	buf_release(&nofs);
	if (r == 0 && rep->dh_bits && rep->dh_bits < 2048)
		r = findings_addf(f->out, "TLS-08", -1, CONF_HIGH, f->target, f->port, NULL,
				  "DHE with a %d-bit group", rep->dh_bits);
	for (i = 0; i < rep->n_groups && r == 0; i++) {
		const struct tls_group *g = &rep->groups[i];

		if (g->bits < 224 || (g->bits < 2048 && g->id >= 0x0100))
			r = findings_addf(f->out, "TLS-08", -1, CONF_HIGH, f->target, f->port, NULL,
					  "weak group %s accepted", g->name);
		else if (g->id >= 0x0100) /* checks.md: FFDHE is a warning */
			r = findings_addf(f->out, "TLS-08", SEV_LOW, CONF_HIGH, f->target, f->port,
					  NULL, "finite-field group %s accepted", g->name);
		else if (g->bits < 256)
			r = findings_addf(f->out, "TLS-08", SEV_LOW, CONF_HIGH, f->target, f->port,
					  NULL, "group %s accepted", g->name);
	}
	if (r == 0 && rep->kx_sha1)
		r = add(f, "TLS-09", -1, NULL, "key exchange signed with SHA-1 accepted");
	if (r == 0 && rep->kx_sha224)
		r = add(f, "TLS-09", SEV_LOW, NULL, "key exchange signed with SHA-224 accepted");
	return r;
}

static int features(struct fctx *f, const struct tls_report *rep)
{
	int r = 0, old12 = 0, v;

	for (v = TLS_V_SSL3; v <= TLS_V_TLS12; v++)
		old12 |= rep->v[v].supported == 1;
	if (rep->compression == 1)
		r = add(f, "TLS-10", -1, NULL, "DEFLATE compression accepted");
	if (r == 0 && old12 && rep->secure_reneg == 0)
		r = add(f, "TLS-11", -1, NULL, "no renegotiation_info in the ServerHello");
	if (r == 0 && rep->client_reneg > TLS_RENEG_LIMIT)
		r = add(f, "TLS-12", -1, NULL,
			"client-initiated renegotiation accepted without limit");
	else if (r == 0 && rep->client_reneg > 0)
		r = findings_addf(f->out, "TLS-12", -1, CONF_HIGH, f->target, f->port, NULL,
				  "client-initiated renegotiation accepted %d time(s)",
				  rep->client_reneg);
	if (r == 0 && old12 && rep->ems == 0)
		r = add(f, "TLS-15", -1, NULL, "no extended_master_secret in the ServerHello");
	return r;
}

/* TLS-17/18: the attacks that follow from what was accepted */
static int is_cbc(const struct tls_suite *s)
{
	return strcmp(s->mac, "AEAD") != 0 && !has_enc(s, "RC4") && !has_enc(s, "None");
}

/* BEAST (CBC in SSLv3/TLS 1.0), LUCKY13 (any CBC), no TLS_FALLBACK_SCSV */
static int cbc_attacks(struct fctx *f, const struct tls_report *rep)
{
	struct buf beast = BUF_INIT;
	int v, r = 0, lucky = 0;
	size_t i;

	for (v = TLS_V_SSL3; v <= TLS_V_TLS12 && r == 0; v++)
		for (i = 0; i < rep->v[v].n_suites && r == 0; i++) {
			const struct tls_suite *s = rep->v[v].suites[i].suite;

			/* an anonymous suite needs no padding oracle: anyone in the
			 * middle reads it (TLS-06 critical says so already) */
			if (!is_cbc(s) || !strcmp(s->au, "None"))
				continue;
			lucky = 1;
			if (v <= TLS_V_TLS10 && !strstr(beast.ptr, s->name))
				r = buf_addf(&beast, "%s%s", beast.len ? " " : "", s->name);
		}
	if (r == 0 && beast.len)
		r = add(f, "TLS-18", SEV_MEDIUM, beast.ptr, "BEAST: CBC suites in SSLv3/TLS 1.0");
	buf_release(&beast);
	if (r == 0 && lucky)
		r = add(f, "TLS-18", SEV_LOW, NULL, "LUCKY13: CBC suites accepted");
	if (r == 0 && rep->fallback_scsv == 0)
		r = add(f, "TLS-18", SEV_MEDIUM, NULL,
			"TLS_FALLBACK_SCSV ignored while older protocols are accepted");
	return r;
}

static int attacks(struct fctx *f, const struct tls_report *rep)
{
	int v, r = 0, freak = 0, rc4 = 0, sweet = 0, poodle = 0, dhexp = 0;
	size_t i;

	for (v = TLS_V_SSL3; v <= TLS_V_TLS12; v++)
		for (i = 0; i < rep->v[v].n_suites; i++) {
			const struct tls_suite *s = rep->v[v].suites[i].suite;

			freak |= s->export_ && !strcmp(s->kx, "RSA");
			dhexp |= s->export_ && !strcmp(s->kx, "DH");
			rc4 |= has_enc(s, "RC4");
			sweet |= has_enc(s, "3DES") || has_enc(s, "DES") || has_enc(s, "IDEA") ||
				 has_enc(s, "RC2");
			poodle |= v == TLS_V_SSL3 && strcmp(s->mac, "AEAD") && !has_enc(s, "RC4") &&
				  !has_enc(s, "None");
		}
	if (rep->v[TLS_V_SSL2].supported == 1)
		r = add(f, "TLS-17", SEV_CRITICAL, NULL, "DROWN: SSLv2 enabled");
	if (r == 0 && freak)
		r = add(f, "TLS-17", SEV_CRITICAL, NULL, "FREAK: export RSA suites accepted");
	if (r == 0 && poodle)
		r = add(f, "TLS-17", SEV_HIGH, NULL, "POODLE: SSLv3 with CBC suites");
	if (r == 0 && (dhexp || (rep->dh_bits && rep->dh_bits < 1024)))
		r = add(f, "TLS-17", SEV_HIGH, NULL, "LOGJAM: export or < 1024-bit DHE");
	if (r == 0 && rc4)
		r = add(f, "TLS-18", SEV_HIGH, NULL, "RC4 suites accepted");
	if (r == 0 && sweet)
		r = add(f, "TLS-18", -1, NULL, "SWEET32: 64-bit block cipher suites accepted");
	return r ? r : cbc_attacks(f, rep);
}

static int rule(struct fctx *f, const char *id,
		int (*fn)(const struct tls_cert *, struct tls_cert_verdict *),
		const struct tls_cert *c, const char *what)
{
	struct tls_cert_verdict v;
	char detail[220];

	if (fn(c, &v) < 0)
		return 0;
	snprintf(detail, sizeof(detail), "%s: %s", what, v.detail);
	return add(f, id, v.sev, c->subject, detail);
}

static int certs(struct fctx *f, const struct tls_report *rep, time_t now)
{
	const struct tls_cert *leaf = rep->n_chain ? &rep->chain[0] : NULL;
	struct tls_cert_verdict v;
	size_t i;
	int r = 0;

	if (!leaf)
		return 0;
	if (!rep->trusted)
		r = rep->chain_incomplete
			? add(f, "CERT-01", SEV_MEDIUM, rep->trust, "certificate chain incomplete")
			: findings_addf(f->out, "CERT-01", -1, CONF_HIGH, f->target, f->port,
					leaf->issuer, "certificate not trusted: %s", rep->trust);
	if (r == 0 && rep->host_ok == 0)
		r = findings_addf(f->out, "CERT-02", -1, CONF_HIGH, f->target, f->port, leaf->sans,
				  "certificate does not cover %s", f->target);
	if (r == 0 && tls_rule_expiry(leaf, now, &v) >= 0)
		r = add(f, "CERT-03", v.sev, leaf->subject, v.detail);
	if (r == 0)
		r = rule(f, "CERT-04", tls_rule_key, leaf, "leaf");
	for (i = 0; i < rep->n_chain && r == 0; i++)
		if (!rep->chain[i].self_signed)
			r = rule(f, "CERT-05", tls_rule_sig, &rep->chain[i],
				 i ? "intermediate" : "leaf");
	if (r == 0)
		r = rule(f, "CERT-06", tls_rule_lifetime, leaf, "leaf");
	return r;
}

int tls_findings(const struct tls_report *rep, const struct tls_scan_opts *o, const char *target,
		 int port, struct findings *out)
{
	struct fctx f = {out, target, port};
	int r;

	if ((r = versions(&f, rep)) || (r = suites(&f, rep)) || (r = kx(&f, rep)) ||
	    (r = features(&f, rep)) || (r = attacks(&f, rep)))
		return r;
	return certs(&f, rep, o->now ? o->now : time(NULL));
}
