/*
 * findings.c: scanner glue. A service the scanner identified (CPE or
 * product + version, banner remainder as distribution hint) becomes one
 * VULN-<CVE> finding per CVE that applies, with severity, confidence,
 * a one-line detail and the evidence it rests on.
 */
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln_int.h"

static int nonempty(const char *s)
{
	return s && *s;
}

/* detail: "CVE-2024-6387 (CVSS 8.1, KEV, EPSS 0.93): why; fixed in X" */
static int detail_of(const struct vuln_hit *h, struct buf *b)
{
	int r;

	buf_reset(b);
	r = buf_addf(b, "%s (", h->cve);
	if (r == 0 && h->cvss > 0)
		r = buf_addf(b, "CVSS %.1f", h->cvss);
	else if (r == 0)
		r = buf_adds(b, "CVSS n/a");
	if (r == 0 && h->kev)
		r = buf_adds(b, h->ransomware ? ", KEV, ransomware" : ", KEV");
	if (r == 0 && h->epss > 0)
		r = buf_addf(b, ", EPSS %.2f", h->epss);
	if (r == 0)
		r = buf_addf(b, "): %s", h->why);
	if (r == 0 && h->fixed[0] && !strstr(h->why, "fixed in"))
		r = buf_addf(b, "; fixed in %s", h->fixed);
	return r;
}

static int evidence_of(const char *product, const char *version, const char *cpe, const char *extra,
		       const struct vuln_hit *h, struct buf *b)
{
	int r;

	buf_reset(b);
	r = buf_addf(b, "product=%.64s version=%.64s", nonempty(product) ? product : "-",
		     nonempty(version) ? version : "-");
	if (r == 0 && nonempty(cpe))
		r = buf_addf(b, " cpe=%.160s", cpe);
	if (r == 0 && nonempty(extra))
		r = buf_addf(b, " banner-extra=\"%.128s\"", extra);
	if (r == 0 && h->matched[0])
		r = buf_addf(b, " matched=%s", h->matched);
	if (r == 0 && h->cvss_vector[0])
		r = buf_addf(b, " cvss=%s", h->cvss_vector);
	if (r == 0 && h->cwe[0])
		r = buf_addf(b, " cwe=%s", h->cwe);
	return r;
}

/* run the query for the service; ERR_NOTFOUND when nothing to match */
static int match_service(const struct kb *kb, const char *product, const char *version,
			 const char *cpe, const char *extra, struct vuln_hits *hits)
{
	struct vuln_query *q = malloc(sizeof(*q));
	int r = 0;

	if (!q)
		return ERR_NOMEM;
	vq_init(q, kb);
	if (nonempty(cpe) && vq_set_cpe(q, cpe) == 0 && q->version[0]) {
		/* the CPE names the product; its version is the one to match */
	} else {
		vq_init(q, kb);
		if (!nonempty(product) || !nonempty(version) || strlen(version) >= VQ_VERSION_MAX) {
			r = ERR_NOTFOUND;
			goto out;
		}
		str_lcpy(q->version, version, sizeof(q->version));
		vq_add_product_name(q, product);
	}
	if (q->nvp == 0 || !q->version[0]) {
		r = ERR_NOTFOUND;
		goto out;
	}
	vq_set_hint(q, extra);
	r = vq_finish(q, hits, hits->n);
out:
	free(q);
	return r;
}

int vuln_findings_for_service(const struct kb *kb, const char *target, int port,
			      const char *product, const char *version, const char *cpe,
			      const char *extra, struct findings *out)
{
	struct vuln_hits hits = VULN_HITS_INIT;
	struct buf detail = BUF_INIT, ev = BUF_INIT;
	char id[40];
	size_t i, emitted = 0;
	int r;

	if (!kb)
		return 0;
	r = match_service(kb, product, version, cpe, extra, &hits);
	if (r == ERR_NOTFOUND || r == ERR_INVAL || r == ERR_PARSE) {
		r = 0;
		goto out;
	}
	if (r != 0)
		goto out;
	for (i = 0; i < hits.n && emitted < VULN_MAX_FINDINGS_PER_SERVICE; i++) {
		const struct vuln_hit *h = &hits.v[i];

		if (h->flags & (VULN_HF_ALL_VERSIONS | VULN_HF_VERSION_UNKNOWN))
			continue;
		snprintf(id, sizeof(id), "VULN-%s", h->cve);
		if ((r = detail_of(h, &detail)) != 0 ||
		    (r = evidence_of(product, version, cpe, extra, h, &ev)) != 0)
			goto out;
		r = findings_add(out, id, (int)h->sev, h->conf, target, port, detail.ptr, ev.ptr);
		if (r != 0)
			goto out;
		emitted++;
	}
	r = 0;
out:
	buf_release(&detail);
	buf_release(&ev);
	vuln_hits_release(&hits);
	return r;
}
