/*
 * import.c: feed_import(): open a feed file (gzip or plain), detect its
 * format from the first bytes of content and hand it to the right parser;
 * the builder's lifecycle.
 */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_int.h"

const char *feed_format_name(enum feed_format f)
{
	switch (f) {
	case FEED_FMT_NVD11:
		return "nvd-1.1";
	case FEED_FMT_NVD20:
		return "nvd-2.0";
	case FEED_FMT_NVD20_CVE:
		return "nvd-2.0-cve";
	case FEED_FMT_KEV:
		return "kev";
	case FEED_FMT_EPSS:
		return "epss";
	case FEED_FMT_DEBIAN_ADV:
		return "debian-advisories";
	case FEED_FMT_DEBIAN_CPE:
		return "debian-cpe";
	case FEED_FMT_DEBIAN_ALIASES:
		return "debian-cpe-aliases";
	default:
		return "unknown";
	}
}

int feed_err(struct feed_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	if (c->err) {
		buf_reset(c->err);
		if (buf_add_printable(c->err, c->path, strlen(c->path)) == 0) {
			va_start(ap, fmt);
			feed_ignore(buf_vaddf(c->err, fmt, ap));
			va_end(ap);
		}
	}
	return code;
}

int feed_kb_builder_new(struct feed_kb_builder **out)
{
	struct feed_kb_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return ERR_NOMEM;
	if (strpool_init(&b->sp) != 0) {
		free(b);
		return ERR_NOMEM;
	}
	b->cves = (struct vec)VEC_INIT(struct bcve);
	b->nodes = (struct vec)VEC_INIT(struct kb_rec_node);
	b->matches = (struct vec)VEC_INIT(struct kb_rec_match);
	b->deb = (struct vec)VEC_INIT(struct bdeb);
	b->deb_cpe = (struct vec)VEC_INIT(struct kb_rec_pair);
	b->aliases = (struct vec)VEC_INIT(struct kb_rec_pair);
	b->meta = (struct vec)VEC_INIT(struct kb_rec_pair);
	*out = b;
	return 0;
}

void feed_kb_builder_free(struct feed_kb_builder *b)
{
	if (!b)
		return;
	strpool_release(&b->sp);
	vec_release(&b->cves);
	u64map_release(&b->cve_ix);
	vec_release(&b->nodes);
	vec_release(&b->matches);
	vec_release(&b->deb);
	u64map_release(&b->adv_gen);
	vec_release(&b->deb_cpe);
	vec_release(&b->aliases);
	vec_release(&b->meta);
	free(b);
}

static int starts(const unsigned char *p, size_t n, const char *s)
{
	size_t l = strlen(s);

	return n >= l && memcmp(p, s, l) == 0;
}

/* detect: the format from the first bytes of (decompressed) content. */
TESTABLE enum feed_format feed_detect(const unsigned char *p, size_t n)
{
	size_t i = 0;

	if (starts(p, n, "\xef\xbb\xbf"))
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < n && p[i] == '{')
		return FEED_FMT_NVD11; /* JSON: the parser tells which */
	/* Text: look at the first line that is not a comment. */
	if (starts(p + i, n - i, "#model_version") || starts(p + i, n - i, "cve,epss,percentile"))
		return FEED_FMT_EPSS;
	while (i < n) {
		const unsigned char *nl = memchr(p + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (p + i)) : n - i;
		const unsigned char *l = p + i;
		const unsigned char *semi;

		if (len && l[0] != '#') {
			if (starts(l, len, "cve,epss,percentile"))
				return FEED_FMT_EPSS;
			if (len > 14 && l[0] == '[' && l[3] == ' ' && l[7] == ' ' && l[12] == ']')
				return FEED_FMT_DEBIAN_ADV;
			if (starts(l, len, "cpe:/"))
				return FEED_FMT_DEBIAN_ALIASES;
			semi = memchr(l, ';', len);
			if (semi && semi > l &&
			    (starts(semi + 1, len - (size_t)(semi + 1 - l), "cpe:/") ||
			     semi + 1 == l + len))
				return FEED_FMT_DEBIAN_CPE;
			return FEED_FMT_UNKNOWN;
		}
		if (!nl)
			break;
		i += len + 1;
	}
	return FEED_FMT_UNKNOWN;
}

static int import_src(struct feed_kb_builder *b, struct feed_src *src, const char *path,
		      struct logger *lg, struct buf *err, enum feed_format *fmt_out)
{
	struct feed_ctx c;
	const unsigned char *pre;
	size_t n;
	int64_t t0 = time_now_ms();
	int r;

	memset(&c, 0, sizeof(c));
	c.b = b;
	c.src = src;
	c.lg = lg;
	c.err = err;
	c.path = path;
	b->gen++;
	r = feed_src_prefix(src, 4096, &pre, &n);
	if (r != 0)
		return feed_err(&c, r, ": %s",
				r == ERR_IO ? "read error" : "truncated or corrupt gzip stream");
	c.fmt = feed_detect(pre, n);
	switch (c.fmt) {
	case FEED_FMT_NVD11:
		c.fmt = FEED_FMT_UNKNOWN;
		r = feed_parse_json(&c);
		break;
	case FEED_FMT_EPSS:
		r = feed_parse_epss(&c);
		break;
	case FEED_FMT_DEBIAN_ADV:
		r = feed_parse_debian_adv(&c);
		break;
	case FEED_FMT_DEBIAN_CPE:
		r = feed_parse_debian_cpe(&c);
		break;
	case FEED_FMT_DEBIAN_ALIASES:
		r = feed_parse_debian_aliases(&c);
		break;
	default:
		r = feed_err(&c, ERR_PARSE, n ? ": unrecognised format" : ": empty file");
		break;
	}
	if (r != 0) {
		LOG_WARN(lg, "feed import failed path=\"%.*s\"", LOG_CAP(strlen(path)), path);
		return r;
	}
	LOG_INFO(lg, "feed imported path=\"%.*s\" format=%s records=%u ms=%lld",
		 LOG_CAP(strlen(path)), path, feed_format_name(c.fmt), c.n_records,
		 (long long)(time_now_ms() - t0));
	if (fmt_out)
		*fmt_out = c.fmt;
	return 0;
}

int feed_import_fmt(struct feed_kb_builder *b, const char *path, struct logger *lg, struct buf *err,
		    enum feed_format *fmt_out)
{
	struct feed_src src;
	int r = feed_src_open_file(&src, path);

	if (r != 0) {
		if (err) {
			buf_reset(err);
			feed_ignore(buf_add_printable(err, path, strlen(path)));
			feed_ignore(
			    buf_addf(err, ": %s", r == ERR_NOTFOUND ? "no such file" : err_str(r)));
		}
		return r;
	}
	r = import_src(b, &src, path, lg, err, fmt_out);
	feed_src_close(&src);
	return r;
}

int feed_import(struct feed_kb_builder *b, const char *path, struct logger *lg, struct buf *err)
{
	return feed_import_fmt(b, path, lg, err, NULL);
}

int feed_import_mem(struct feed_kb_builder *b, const char *name, const void *data, size_t len,
		    struct logger *lg, struct buf *err, enum feed_format *fmt_out)
{
	struct feed_src src;

	feed_src_open_mem(&src, name, data, len);
	return import_src(b, &src, name, lg, err, fmt_out);
}
