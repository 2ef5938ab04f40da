/*
 * feed_int.h: private to src/feed: the on-disk KB records, the builder's
 * in-memory tables, the streaming source and the JSON pull parser that the
 * importers share. No other module includes this.
 */
#ifndef WACHTER_FEED_INT_H
#define WACHTER_FEED_INT_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "feed/feed.h"

/* ------------------------------------------------------- KB file layout */

#define KB_MAGIC "WACHTKB\x01"
#define KB_FORMAT_VERSION 1u
#define KB_ENDIAN_MARK 0x01020304u
#define KB_NONE UINT32_MAX

struct kb_file_hdr {
	char magic[8];
	uint32_t version;
	uint32_t endian;
	uint64_t file_size;
	uint32_t n_sections;
	uint32_t hdr_size; /* sizeof(struct kb_file_hdr) */
};

struct kb_file_sect {
	uint32_t id;
	uint32_t elem_size;
	uint64_t offset;
	uint64_t count;
};

enum kb_sect_id {
	KB_S_STRINGS = 1,
	KB_S_CVES,
	KB_S_NODES,
	KB_S_MATCHES,
	KB_S_PRODUCTS,
	KB_S_PRODUCT_ROWS,
	KB_S_DEB_FIX,
	KB_S_DEB_ADV,
	KB_S_DEB_CPE,
	KB_S_DEB_CPE_BY_VP,
	KB_S_ALIASES,
	KB_S_ALIAS_BY_VP,
	KB_S_META,
	KB_S__COUNT
};

struct kb_rec_cve {
	uint32_t year, num;
	int64_t published, modified;
	uint32_t flags;
	uint16_t score10;
	uint8_t cvss_version;
	uint8_t severity;
	uint32_t cwe;
	uint32_t vector; /* string offset */
	uint32_t desc;	 /* string offset */
	int32_t kev_added_days, kev_due_days;
	uint32_t epss, epss_pct; /* fixed point, 1e9 = 1.0 */
	uint32_t first_node, n_nodes;
	uint32_t first_match, n_match;
};

struct kb_rec_node {
	uint32_t cve;
	uint32_t parent;
	uint32_t first_match;
	uint32_t n_match;
	uint8_t op;
	uint8_t negate;
	uint16_t pad;
};

struct kb_rec_match {
	uint32_t cve;
	uint32_t node;
	uint32_t cpe; /* string offsets */
	uint32_t vp;
	uint32_t start;
	uint32_t end;
	uint32_t flags;
};

struct kb_rec_product {
	uint32_t vp;
	uint32_t first; /* into KB_S_PRODUCT_ROWS */
	uint32_t count;
	uint32_t pad;
};

struct kb_rec_deb_fix {
	uint32_t pkg, release, cve_year, cve_num, version, advisory;
	uint8_t status;
	uint8_t pad[3];
};

struct kb_rec_pair {
	uint32_t a, b;
};

/* ------------------------------------------------------------ helpers */

/* A string pool with interning: offsets are stable, offset 0 is "". */
struct strpool {
	char *p;
	size_t len, cap;
	uint32_t *slots; /* offset + 1, 0 = empty */
	size_t nslots, used;
};
int strpool_init(struct strpool *sp) WUR;
void strpool_release(struct strpool *sp);
int strpool_intern(struct strpool *sp, const char *s, size_t len, uint32_t *off) WUR;

/* u64 -> u32 open addressing map (keys != UINT64_MAX). */
struct u64map {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, used;
};
void u64map_release(struct u64map *m);
int u64map_put(struct u64map *m, uint64_t key, uint32_t val) WUR;
/* u64map_get: 1 and *val when present, 0 when absent. */
int u64map_get(const struct u64map *m, uint64_t key, uint32_t *val);

/* Growing array of fixed-size elements. */
struct vec {
	void *p;
	size_t n, cap, esz;
};
#define VEC_INIT(type)                                                                             \
	{                                                                                          \
		NULL, 0, 0, sizeof(type)                                                           \
	}
/* vec_push: room for one more element, zeroed; NULL on ERR_NOMEM. */
void *vec_push(struct vec *v);
void vec_release(struct vec *v);
#define VEC_AT(v, type, i) (&((type *)(v)->p)[i])

/* ------------------------------------------------------------ builder */

struct bcve {
	struct kb_rec_cve r;
	uint32_t nvd_file; /* file generation that set the NVD part, 0 = none */
	uint32_t kev_file;
	uint32_t epss_file;
};

struct bdeb {
	struct kb_rec_deb_fix r;
	uint32_t gen;
};

struct feed_kb_builder {
	struct strpool sp;
	struct vec cves; /* struct bcve */
	struct u64map cve_ix;
	struct vec nodes;      /* struct kb_rec_node (cve = builder index) */
	struct vec matches;    /* struct kb_rec_match */
	struct vec deb;	       /* struct bdeb */
	struct u64map adv_gen; /* advisory string offset -> generation */
	struct vec deb_cpe;    /* struct kb_rec_pair {pkg, vp} */
	struct vec aliases;    /* struct kb_rec_pair {vp, group} */
	uint32_t alias_groups;
	struct vec meta; /* struct kb_rec_pair {key, value} */
	uint32_t gen;	 /* current file generation (1, 2, ...) */
};

/* feed_cve_key: parse "CVE-YYYY-NNNN" (exactly the id); 0 or ERR_PARSE. */
int feed_cve_key(const char *s, size_t len, uint32_t *year, uint32_t *num) WUR;
/* builder_cve: the builder record for a CVE, created empty when new. */
int builder_cve(struct feed_kb_builder *b, uint32_t year, uint32_t num, struct bcve **out) WUR;
int builder_meta_set(struct feed_kb_builder *b, const char *key, const char *val,
		     size_t val_len) WUR;
const char *builder_meta_get(struct feed_kb_builder *b, const char *key);
/* builder_date_days: "YYYY-MM-DD..." to days since 1970-01-01. */
int feed_parse_date(const char *s, size_t len, int64_t *secs) WUR;

/* ------------------------------------------------------- input source */

/* A buffered byte source over a gzip/plain file or a memory block. */
struct feed_src {
	gzFile gz;
	const unsigned char *mem; /* memory mode: the whole input */
	unsigned char *buf;	  /* file mode: the window */
	size_t cap;
	const unsigned char *p; /* current window */
	size_t pos, len;
	int eof;
	int err;	/* sticky error from refill */
	uint64_t line;	/* 1-based line of the current position (JSON/text) */
	uint64_t total; /* bytes consumed before the window */
	const char *name;
};

int feed_src_open_file(struct feed_src *s, const char *path) WUR;
void feed_src_open_mem(struct feed_src *s, const char *name, const void *data, size_t len);
void feed_src_close(struct feed_src *s);
/* feed_src_fill: make at least one unread byte available; 0, ERR_EOF at the
 * clean end, ERR_EOF/ERR_IO (s->err) on a truncated or unreadable stream. */
int feed_src_fill(struct feed_src *s) WUR;
/* feed_src_peek_prefix: up to n bytes from the start, for detection. */
int feed_src_prefix(struct feed_src *s, size_t want, const unsigned char **p, size_t *len) WUR;
/* feed_src_line: the next line (no "\n"/"\r\n") into line; ERR_EOF at the end. */
int feed_src_line(struct feed_src *s, struct buf *line) WUR;

/* ------------------------------------------------------ JSON pull parser */

enum jtok {
	JT_NONE = 0,
	JT_OBJ,	    /* '{' */
	JT_OBJ_END, /* '}' */
	JT_ARR,	    /* '[' */
	JT_ARR_END, /* ']' */
	JT_KEY,	    /* an object key; text in jp.str */
	JT_STR,	    /* a string value; text in jp.str */
	JT_NUM,	    /* a number; text in jp.str */
	JT_TRUE,
	JT_FALSE,
	JT_NULL,
	JT_EOF /* after the top-level value */
};

#define JP_MAX_DEPTH 64

struct jp {
	struct feed_src *s;
	char *str; /* NUL-terminated token text */
	size_t slen, scap;
	unsigned char stack[JP_MAX_DEPTH + 1];
	int depth;
	int err;
	char msg[96];
};

void jp_init(struct jp *p, struct feed_src *s);
void jp_release(struct jp *p);
/* jp_next: the next token; 0 or an error (message in p->msg). */
int jp_next(struct jp *p, enum jtok *t) WUR;
/* jp_skip: skip the rest of the value that token t started. */
int jp_skip(struct jp *p, enum jtok t) WUR;
/* jp_key_eq: the current key token equals s. */
int jp_str_eq(const struct jp *p, const char *s);

/* ------------------------------------------------------------ importers */

/* An import in progress: the shared context of the format parsers. */
struct feed_ctx {
	struct feed_kb_builder *b;
	struct feed_src *src;
	struct logger *lg;
	struct buf *err;
	const char *path;
	enum feed_format fmt;
	int kev_started, epss_started;
	uint32_t n_records;
};

/* feed_err: format "path: <fmt>" into ctx->err; returns code. */
int feed_err(struct feed_ctx *c, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);

int feed_parse_json(struct feed_ctx *c) WUR;
int feed_parse_epss(struct feed_ctx *c) WUR;
int feed_parse_debian_adv(struct feed_ctx *c) WUR;
int feed_parse_debian_cpe(struct feed_ctx *c) WUR;
int feed_parse_debian_aliases(struct feed_ctx *c) WUR;

/* KB reading helpers shared by kb.c and the builder's loader. */
struct kb {
	const unsigned char *map;
	size_t size;
	const char *strs;
	size_t strs_size;
	const struct kb_rec_cve *cves;
	size_t n_cves;
	const struct kb_rec_node *nodes;
	size_t n_nodes;
	const struct kb_rec_match *matches;
	size_t n_matches;
	const struct kb_rec_product *products;
	size_t n_products;
	const uint32_t *product_rows;
	size_t n_product_rows;
	const struct kb_rec_deb_fix *deb;
	size_t n_deb;
	const uint32_t *deb_adv;
	size_t n_deb_adv;
	const struct kb_rec_pair *deb_cpe;
	size_t n_deb_cpe;
	const uint32_t *deb_cpe_by_vp;
	size_t n_deb_cpe_by_vp;
	const struct kb_rec_pair *aliases;
	size_t n_aliases;
	const uint32_t *alias_by_vp;
	size_t n_alias_by_vp;
	const struct kb_rec_pair *meta;
	size_t n_meta;
};

/* kb_validate: check a mapped image; fills kb's table pointers. TESTABLE. */
int kb_validate(struct kb *kb, const unsigned char *map, size_t size);

/* CVE id formatting. */
void feed_cve_id(uint32_t year, uint32_t num, char out[32]);

/* TESTABLE helpers (static outside unit tests). */
#ifdef WACHTER_TESTING
int feed_cpe_vendor_product(const char *cpe, size_t len, struct buf *out);
int feed_epss_prob(const struct cursor *in, uint32_t *out);
enum feed_format feed_detect(const unsigned char *p, size_t n);
#endif

/* feed_ignore: drop a result on purpose (a message that could not be built). */
static inline void feed_ignore(int r)
{
	(void)r;
}

#endif
