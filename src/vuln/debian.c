/*
 * debian.c: distribution builds. A banner's suffix ("Debian-2+deb12u3")
 * says the OS and, through the "+debNNuM" revision, the release; the Debian
 * security tracker (DSA/DLA lists in the KB) then says per CVE whether that
 * build already has the fix. Installed packages are matched the same way
 * from their dpkg version (vuln_match_package).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vuln/vuln_int.h"

/* the release name of a Debian major version (from "+debNNuM") */
const char *vq_debian_release(unsigned major)
{
	static const struct {
		unsigned major;
		const char *name;
	} map[] = {{7, "wheezy"},  {8, "jessie"},    {9, "stretch"},
		   {10, "buster"}, {11, "bullseye"}, {12, "bookworm"},
		   {13, "trixie"}, {14, "forky"},    {15, "duke"}};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].major == major)
			return map[i].name;
	return NULL;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_revchar(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
	       c == '+' || c == '~';
}

/* release_of_revision: "2+deb12u3" / "1~deb12u1" -> "bookworm" */
static const char *release_of_revision(const char *rev)
{
	const char *p = rev;

	while ((p = strstr(p, "deb")) != NULL) {
		unsigned major = 0;
		size_t k = 3;

		if (p > rev && (p[-1] == '+' || p[-1] == '~')) {
			while (is_digit(p[k]) && k < 6)
				major = major * 10 + (unsigned)(p[k++] - '0');
			if (k > 3 && p[k] == 'u')
				return vq_debian_release(major);
		}
		p += 3;
	}
	return NULL;
}

void vq_distro_parse(const char *hint, struct vq_distro *d)
{
	const char *p;
	const char *rel;
	size_t n = 0;

	memset(d, 0, sizeof(*d));
	if (!hint)
		return;
	if (strcasestr(hint, "ubuntu")) {
		d->ubuntu = 1;
		return;
	}
	if (strcasestr(hint, "debian") || strcasestr(hint, "raspbian") || strstr(hint, "+deb") ||
	    strstr(hint, "~deb"))
		d->debian = 1;
	if (!d->debian)
		return;
	p = strcasestr(hint, "debian-");
	if (p) {
		p += 7;
		while (p[n] && is_revchar(p[n]) && n + 1 < sizeof(d->revision))
			n++;
		memcpy(d->revision, p, n);
		d->revision[n] = '\0';
	}
	rel = release_of_revision(d->revision[0] ? d->revision : hint);
	if (rel)
		str_lcpy(d->release, rel, sizeof(d->release));
}

/* --------------------------------------------------- source packages */

static void add_src(struct vuln_query *q, const char *pkg)
{
	size_t i;

	if (strlen(pkg) >= sizeof(q->src[0]))
		return;
	for (i = 0; i < q->nsrc; i++)
		if (strcmp(q->src[i], pkg) == 0)
			return;
	if (q->nsrc < VQ_MAX_SRC)
		str_lcpy(q->src[q->nsrc++], pkg, sizeof(q->src[0]));
}

static int src_cb(const char *pkg, const char *vp, void *ctx)
{
	(void)vp;
	add_src(ctx, pkg);
	return 0;
}

void vq_sources_for_vps(struct vuln_query *q)
{
	size_t i;

	for (i = 0; i < q->nvp && q->kb; i++)
		vq_ignore(kb_debian_packages_by_cpe(q->kb, q->vps[i].key_vendor,
						    q->vps[i].key_product, src_cb, q));
}

/* ---------------------------------------------------------- tracker */

struct fixrow {
	char cve[32];
	const char *version;
	const char *advisory;
	const char *pkg;
	enum kb_deb_status status;
};

struct fixes {
	struct fixrow *v;
	size_t n, cap;
	int err;
};

static int fix_cb(const struct kb_deb_fix *f, void *ctx)
{
	struct fixes *fx = ctx;

	if (fx->n == fx->cap) {
		size_t ncap = fx->cap ? fx->cap * 2 : 64;
		struct fixrow *v = realloc(fx->v, ncap * sizeof(*v));

		if (!v) {
			fx->err = ERR_NOMEM;
			return 1;
		}
		fx->v = v;
		fx->cap = ncap;
	}
	memcpy(fx->v[fx->n].cve, f->cve, sizeof(fx->v[fx->n].cve));
	fx->v[fx->n].version = f->version;
	fx->v[fx->n].advisory = f->advisory;
	fx->v[fx->n].pkg = f->package;
	fx->v[fx->n].status = f->status;
	fx->n++;
	return 0;
}

static int load_fixes(const struct vuln_query *q, struct fixes *fx)
{
	size_t i;
	int r;

	memset(fx, 0, sizeof(*fx));
	for (i = 0; i < q->nsrc; i++) {
		r = kb_debian_fixes(q->kb, q->src[i], q->deb_release, fix_cb, fx);
		if (fx->err)
			return fx->err;
		if (r != 0)
			return r;
	}
	return 0;
}

/* cmp_installed: installed build vs a tracker's fixed version (dpkg order;
 * a banner shows no epoch, so the fixed version's epoch is dropped too) */
static int cmp_installed(const struct vuln_query *q, const char *fixed)
{
	const char *f = fixed, *colon;

	if (q->deb_no_epoch && (colon = strchr(fixed, ':')) != NULL)
		f = colon + 1;
	return version_cmp_dpkg(q->deb_version, strlen(q->deb_version), f, strlen(f));
}

/* the tracker's word on one CVE: -1 no row, 0 fixed here (drop), 1 open */
static int decide(const struct vuln_query *q, const struct fixes *fx, const char *cve,
		  const struct fixrow **row)
{
	size_t i;
	int verdict = -1;

	*row = NULL;
	for (i = 0; i < fx->n; i++) {
		const struct fixrow *f = &fx->v[i];

		if (strcasecmp(f->cve, cve) != 0)
			continue;
		if (f->status == KB_DEB_NOT_AFFECTED) {
			*row = f;
			return 0;
		}
		if (f->status != KB_DEB_FIXED || !f->version[0])
			continue;
		if (cmp_installed(q, f->version) >= 0) {
			*row = f;
			verdict = 0;
		} else if (verdict < 0) {
			*row = f;
			verdict = 1;
		}
	}
	return verdict;
}

static void tracker_why(const struct vuln_query *q, const struct fixrow *f, struct vuln_hit *h)
{
	h->why[0] = '\0';
	vuln_why_append(h, "debian %s: fixed in %s %.60s (%s), this build %.60s is older",
			q->deb_release, f->pkg, f->version, f->advisory, q->deb_version);
	str_lcpy(h->fixed, f->version, sizeof(h->fixed));
	h->conf = CONF_HIGH;
	h->flags =
	    (h->flags & ~(unsigned)(VULN_HF_BACKPORT | VULN_HF_CPE_FALLBACK)) | VULN_HF_TRACKER;
}

int vq_tracker_apply(const struct vuln_query *q, struct vuln_hits *out)
{
	struct fixes fx;
	const struct fixrow *row;
	size_t i, o;
	int r, v;

	if ((r = load_fixes(q, &fx)) != 0)
		goto out;
	/* hits the CPE rules found: the tracker decides where it knows */
	for (i = 0, o = 0; i < out->n; i++) {
		struct vuln_hit *h = &out->v[i];

		v = decide(q, &fx, h->cve, &row);
		if (v == 0)
			continue; /* fixed in this build, or not affected */
		if (v == 1) {
			tracker_why(q, row, h);
		} else if (q->deb_cpe_fallback) {
			h->flags |= VULN_HF_CPE_FALLBACK;
			if (h->conf > CONF_LOW)
				h->conf = CONF_LOW;
		}
		out->v[o++] = *h;
	}
	out->n = o;
	/* open CVEs the CPE rules did not find */
	for (i = 0; i < fx.n; i++) {
		struct vuln_hit h;
		struct kb_cve_info info;

		if (vuln_hits_find(out, fx.v[i].cve) || decide(q, &fx, fx.v[i].cve, &row) != 1 ||
		    row != &fx.v[i])
			continue;
		memset(&h, 0, sizeof(h));
		if (kb_cve(q->kb, row->cve, &info) == 0) {
			if (info.flags & KB_CVE_REJECTED)
				continue;
			vq_hit_fill(q->kb, &info, &h);
		} else {
			str_lcpy(h.cve, row->cve, sizeof(h.cve));
			h.sev = SEV_MEDIUM;
		}
		str_lcpy(h.matched, row->pkg, sizeof(h.matched));
		tracker_why(q, row, &h);
		if ((r = vuln_hits_push(out, &h)) != 0)
			goto out;
	}
	r = 0;
out:
	free(fx.v);
	return r;
}

/* ---------------------------------------------------------- packages */

static int has_fix_cb(const struct kb_deb_fix *f, void *ctx)
{
	(void)f;
	*(int *)ctx = 1;
	return 1;
}

static int has_cpe_cb(const char *a, const char *b, void *ctx)
{
	(void)a;
	(void)b;
	*(int *)ctx = 1;
	return 1;
}

/* is pkg in the tracker (1) or, with cpe set, in the CPE list (1)? */
static int pkg_known(const struct kb *kb, const char *pkg, int cpe)
{
	int found = 0;

	if (cpe)
		vq_ignore(kb_debian_cpe_by_package(kb, pkg, has_cpe_cb, &found));
	else
		vq_ignore(kb_debian_fixes(kb, pkg, NULL, has_fix_cb, &found));
	return found;
}

/*
 * source_of: the source package to ask the tracker about: pkg itself when
 * the tracker knows it, else pkg without a binary suffix ("openssh-server"
 * -> "openssh"); failing that, the same two in the CPE list.
 */
static int source_of(const struct kb *kb, const char *pkg, char *out, size_t size)
{
	static const char *const suffixes[] = {"-server", "-client", "-common", "-bin",
					       "-core",	  "-utils",  "-daemon", "-data",
					       "-light",  "-full",   "-extras", "-tools"};
	size_t i, n = strlen(pkg), sl;
	int cpe;

	if (n >= size)
		return ERR_INVAL;
	for (cpe = 0; cpe <= 1; cpe++) {
		if (pkg_known(kb, pkg, cpe)) {
			str_lcpy(out, pkg, size);
			return 0;
		}
		for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
			sl = strlen(suffixes[i]);
			if (n > sl && strcmp(pkg + n - sl, suffixes[i]) == 0) {
				memcpy(out, pkg, n - sl);
				out[n - sl] = '\0';
				if (pkg_known(kb, out, cpe))
					return 0;
			}
		}
	}
	return ERR_NOTFOUND;
}

static int pkg_cpe_cb(const char *pkg, const char *vp, void *ctx)
{
	struct vuln_query *q = ctx;
	const char *colon = strchr(vp, ':');

	(void)pkg;
	if (colon)
		(void)vq_add_vp(q, 'a', vp, (size_t)(colon - vp), colon + 1, strlen(colon + 1), 1);
	return 0;
}

static int match_package(const struct kb *kb, const struct vuln_index *ix, const char *pkg,
			 const char *version, const char *release, struct vuln_hits *out)
{
	struct vuln_query *q;
	char src[64];
	size_t off, ulen;
	int r;

	if (!pkg || !*pkg || !version || !*version || !release || !*release ||
	    strlen(version) >= VQ_VERSION_MAX || strlen(release) >= sizeof(q->deb_release))
		return ERR_INVAL;
	if ((r = source_of(kb, pkg, src, sizeof(src))) != 0)
		return r;
	q = malloc(sizeof(*q));
	if (!q)
		return ERR_NOMEM;
	vq_init(q, kb);
	q->ix = ix;
	version_dpkg_upstream(version, strlen(version), &off, &ulen);
	snprintf(q->version, sizeof(q->version), "%.*s", (int)ulen, version + off);
	str_lcpy(q->deb_release, release, sizeof(q->deb_release));
	str_lcpy(q->deb_version, version, sizeof(q->deb_version));
	q->deb_cpe_fallback = 1;
	add_src(q, src);
	vq_ignore(kb_debian_cpe_by_package(kb, src, pkg_cpe_cb, q));
	if (strcmp(src, pkg) != 0)
		vq_ignore(kb_debian_cpe_by_package(kb, pkg, pkg_cpe_cb, q));
	/* a Debian package: the OS is Debian and fixes may be backported */
	cpe_init(&q->plat_cpe);
	cpe_set(&q->plat_cpe, CPE_PART, "o", 1);
	cpe_set(&q->plat_cpe, CPE_VENDOR, "debian", 6);
	cpe_set(&q->plat_cpe, CPE_PRODUCT, "debian_linux", 12);
	q->plat.cpes = &q->plat_cpe;
	q->plat.ncpes = 1;
	q->plat.known = CPE_PLAT_OS;
	q->platform = &q->plat;
	q->flags |= VULN_F_BACKPORTS;
	if (!q->version[0])
		q->nvp = 0; /* no upstream version: the tracker alone */
	r = vq_finish(q, out, out->n);
	free(q);
	return r;
}

int vuln_match_package(const struct kb *kb, const char *pkg, const char *version,
		       const char *release, struct vuln_hits *out)
{
	return match_package(kb, NULL, pkg, version, release, out);
}

int vuln_match_package_ix(const struct vuln_index *ix, const char *pkg, const char *version,
			  const char *release, struct vuln_hits *out)
{
	return match_package(vuln_index_kb(ix), ix, pkg, version, release, out);
}
