/*
 * tls_report.c: the life cycle of a tls_report and its two renderings:
 * one JSON object (for the bench, the store and the web UI) and a short
 * text summary (for `wachter tls`).
 */
#include <stdlib.h>
#include <string.h>

#include "tls/tls_int.h"

void tls_report_init(struct tls_report *rep)
{
	int v;

	memset(rep, 0, sizeof(*rep));
	for (v = 0; v < TLS_V_COUNT; v++) {
		rep->v[v].supported = -1;
		rep->v[v].server_order = -1;
	}
	rep->compression = -1;
	rep->secure_reneg = -1;
	rep->client_reneg = -1;
	rep->ems = -1;
	rep->fallback_scsv = -1;
	rep->host_ok = -1;
}

void tls_report_release(struct tls_report *rep)
{
	size_t i;
	int v;

	for (v = 0; v < TLS_V_COUNT; v++)
		free(rep->v[v].suites);
	for (i = 0; i < rep->n_chain; i++)
		tls_cert_release(&rep->chain[i]);
	free(rep->chain);
	free(rep->groups);
	tls_report_init(rep);
}

static int jstr(struct buf *b, const char *key, const char *val)
{
	int r = buf_addf(b, "\"%s\":", key);

	return r ? r : buf_add_json_str(b, val ? val : "", val ? strlen(val) : 0);
}

/* tri: -1/0/1 as null/false/true */
static int jtri(struct buf *b, const char *key, int v)
{
	return buf_addf(b, "\"%s\":%s", key, v < 0 ? "null" : v ? "true" : "false");
}

static int json_time(struct buf *b, const char *key, time_t t)
{
	char s[TIME_RFC3339_LEN];

	if (time_rfc3339(t, s))
		s[0] = '\0';
	return jstr(b, key, s);
}

static int json_version(const struct tls_version_result *vr, enum tls_version v, struct buf *b)
{
	size_t i;
	int r;

	if ((r = buf_adds(b, "{")) || (r = jstr(b, "version", tls_version_name(v))) ||
	    (r = buf_adds(b, ",")) || (r = jtri(b, "supported", vr->supported)) ||
	    (r = buf_adds(b, ",")) || (r = jtri(b, "server_order", vr->server_order)) ||
	    (r = buf_adds(b, ",")) || (r = jstr(b, "evidence", vr->evidence)) ||
	    (r = buf_adds(b, ",\"suites\":[")))
		return r;
	for (i = 0; i < vr->n_suites; i++) {
		const struct tls_suite *s = vr->suites[i].suite;

		if ((r = buf_addf(b, "%s{\"id\":\"0x%04x\",", i ? "," : "", (unsigned)s->id)) ||
		    (r = jstr(b, "name", s->name)) || (r = buf_adds(b, ",")) ||
		    (r = jstr(b, "openssl", s->ossl)) || (r = buf_adds(b, ",")) ||
		    (r = jstr(b, "kx", s->kx)) || (r = buf_adds(b, ",")) ||
		    (r = jstr(b, "au", s->au)) || (r = buf_adds(b, ",")) ||
		    (r = jstr(b, "enc", s->enc)) || (r = buf_adds(b, ",")) ||
		    (r = jstr(b, "mac", s->mac)) ||
		    (r = buf_addf(b, ",\"bits\":%d,\"export\":%s,\"fs\":%s,", s->bits,
				  s->export_ ? "true" : "false",
				  tls_suite_fs(s) ? "true" : "false")) ||
		    (r = jstr(b, "rating", tls_rating_name(vr->suites[i].rating))) ||
		    (r = buf_adds(b, "}")))
			return r;
	}
	return buf_adds(b, "]}");
}

static int json_cert(const struct tls_cert *c, struct buf *b)
{
	int r;

	if ((r = buf_adds(b, "{")) || (r = jstr(b, "subject", c->subject)) ||
	    (r = buf_adds(b, ",")) || (r = jstr(b, "issuer", c->issuer)) ||
	    (r = buf_adds(b, ",")) || (r = jstr(b, "sans", c->sans)) || (r = buf_adds(b, ",")) ||
	    (r = json_time(b, "not_before", c->not_before)) || (r = buf_adds(b, ",")) ||
	    (r = json_time(b, "not_after", c->not_after)) || (r = buf_adds(b, ",")) ||
	    (r = jstr(b, "key_type", c->key_type)) ||
	    (r = buf_addf(b, ",\"key_bits\":%d,", c->key_bits)) ||
	    (r = jstr(b, "curve", c->curve)) || (r = buf_adds(b, ",")) ||
	    (r = jstr(b, "sig_alg", c->sig_alg)) || (r = buf_adds(b, ",")) ||
	    (r = jstr(b, "sig_hash", c->sig_hash)) ||
	    (r = buf_addf(b, ",\"self_signed\":%s}", c->self_signed ? "true" : "false")))
		return r;
	return 0;
}

int tls_report_json(const struct tls_report *rep, struct buf *out)
{
	size_t i;
	int v, r;

	if ((r = buf_addf(out, "{\"reachable\":%s,\"tls\":%s,\"versions\":[",
			  rep->reachable ? "true" : "false", rep->tls ? "true" : "false")))
		return r;
	for (v = 0; v < TLS_V_COUNT; v++)
		if ((v && (r = buf_adds(out, ","))) || (r = json_version(&rep->v[v], v, out)))
			return r;
	if ((r = buf_adds(out, "],\"groups\":[")))
		return r;
	for (i = 0; i < rep->n_groups; i++) {
		const struct tls_group *g = &rep->groups[i];

		if ((r = buf_addf(out, "%s{\"id\":%u,", i ? "," : "", g->id)) ||
		    (r = jstr(out, "name", g->name)) ||
		    (r = buf_addf(out, ",\"bits\":%d,\"tls12\":%s,\"tls13\":%s}", g->bits,
				  g->tls12 ? "true" : "false", g->tls13 ? "true" : "false")))
			return r;
	}
	if ((r = buf_addf(out, "],\"dh_bits\":%d,", rep->dh_bits)) ||
	    (r = jtri(out, "compression", rep->compression)) || (r = buf_adds(out, ",")) ||
	    (r = jtri(out, "secure_renegotiation", rep->secure_reneg)) ||
	    (r = buf_adds(out, ",")) ||
	    (r = jtri(out, "client_renegotiation", rep->client_reneg)) ||
	    (r = buf_addf(out, ",\"client_renegotiations\":%d", rep->client_reneg)) ||
	    (r = buf_adds(out, ",")) || (r = jtri(out, "extended_master_secret", rep->ems)) ||
	    (r = buf_adds(out, ",")) || (r = jtri(out, "fallback_scsv", rep->fallback_scsv)) ||
	    (r = buf_addf(out, ",\"kx_sha1\":%s,\"kx_sha224\":%s,", rep->kx_sha1 ? "true" : "false",
			  rep->kx_sha224 ? "true" : "false")) ||
	    (r = jstr(out, "negotiated", rep->negotiated)) ||
	    (r = buf_addf(out, ",\"trusted\":%s,\"chain_incomplete\":%s,",
			  rep->trusted ? "true" : "false",
			  rep->chain_incomplete ? "true" : "false")) ||
	    (r = jtri(out, "host_ok", rep->host_ok)) || (r = buf_adds(out, ",")) ||
	    (r = jstr(out, "trust", rep->trust)) || (r = buf_adds(out, ",\"chain\":[")))
		return r;
	for (i = 0; i < rep->n_chain; i++)
		if ((i && (r = buf_adds(out, ","))) || (r = json_cert(&rep->chain[i], out)))
			return r;
	return buf_addf(out, "],\"connections\":%d,\"elapsed_ms\":%lld}", rep->connections,
			(long long)rep->elapsed_ms);
}

static const char *tri(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

static int text_versions(const struct tls_report *rep, struct buf *out)
{
	size_t i;
	int v, r;

	for (v = 0; v < TLS_V_COUNT; v++) {
		const struct tls_version_result *vr = &rep->v[v];

		r = buf_addf(out, "%-8s %s", tls_version_name(v),
			     vr->supported == 1	  ? "offered"
			     : vr->supported == 0 ? "not offered"
						  : "unknown");
		if (r == 0 && vr->supported == 1)
			r = buf_addf(out, " (%zu suites, %s order)", vr->n_suites,
				     vr->server_order == 1   ? "server"
				     : vr->server_order == 0 ? "client"
							     : "unknown");
		if (r == 0)
			r = buf_adds(out, "\n");
		for (i = 0; i < vr->n_suites && r == 0; i++) {
			const struct tls_suite *s = vr->suites[i].suite;

			r = buf_addf(out, "  0x%04x %-45s %-12s %s\n", (unsigned)s->id, s->name,
				     tls_rating_name(vr->suites[i].rating),
				     tls_suite_fs(s) ? "FS" : "no-FS");
		}
		if (r)
			return r;
	}
	return 0;
}

int tls_report_text(const struct tls_report *rep, struct buf *out)
{
	size_t i;
	int r;

	if ((r = text_versions(rep, out)) || (r = buf_adds(out, "groups:")))
		return r;
	for (i = 0; i < rep->n_groups; i++)
		if ((r = buf_addf(out, " %s(%s%s)", rep->groups[i].name,
				  rep->groups[i].tls12 ? "1.2" : "",
				  rep->groups[i].tls12 && rep->groups[i].tls13 ? ",1.3"
				  : rep->groups[i].tls13		       ? "1.3"
									       : "")))
			return r;
	if ((r = buf_addf(
		 out,
		 "\ndh bits: %d\ncompression: %s\nsecure renegotiation: %s\n"
		 "client renegotiation: %s (%d)\nextended master secret: %s\nfallback scsv: %s\n"
		 "kx sha1: %s  kx sha224: %s\nnegotiated: %s\ntrust: %s\nhost name: %s\n",
		 rep->dh_bits, tri(rep->compression), tri(rep->secure_reneg),
		 tri(rep->client_reneg), rep->client_reneg, tri(rep->ems), tri(rep->fallback_scsv),
		 tri(rep->kx_sha1), tri(rep->kx_sha224), rep->negotiated, rep->trust,
		 tri(rep->host_ok))))
		return r;
	for (i = 0; i < rep->n_chain; i++) {
		const struct tls_cert *c = &rep->chain[i];

		if ((r = buf_addf(
			 out, "cert %zu: %s\n  issuer: %s\n  sans: %s\n  key: %s %d %s  sig: %s\n",
			 i, c->subject, c->issuer, c->sans, c->key_type, c->key_bits, c->curve,
			 c->sig_alg)))
			return r;
	}
	return buf_addf(out, "connections: %d  elapsed: %lld ms\n", rep->connections,
			(long long)rep->elapsed_ms);
}
