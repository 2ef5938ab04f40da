/*
 * static.c: "wachter serve --ui DIR": the dashboard's built files
 * (ui/dist) next to the API. Paths are decoded and checked segment by
 * segment (no "..", no escaped '/', no hidden files), files are opened
 * beneath the directory's fd without following symlinks, client routes
 * fall back to index.html, and every answer carries the API's security
 * headers plus a cache policy that suits vite's hashed asset names.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/core.h"
#include "server/server.h"
#include "server/static_int.h"

struct srv_static {
	int dirfd;
};

struct ctype {
	const char *ext;
	const char *type;
};

static const struct ctype ctypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
};

TESTABLE const char *srv_static_type(const char *name)
{
	size_t n = strlen(name), i;

	for (i = 0; i < ARRAY_SIZE(ctypes); i++) {
		size_t e = strlen(ctypes[i].ext);

		if (n > e && strcasecmp(name + n - e, ctypes[i].ext) == 0)
			return ctypes[i].type;
	}
	return "application/octet-stream";
}

/* Decode one segment into out at *o; refuse what could leave the tree. */
static int add_segment(const struct cursor *seg, char *out, size_t size, size_t *o)
{
	size_t i, start = *o;

	for (i = 0; i < seg->len; i++) {
		unsigned char ch = seg->p[i];

		if (ch == '%' && pct_escape(seg->p, seg->len, &i, &ch) != 0)
			return ERR_PARSE;
		if (ch == 0 || ch == '/' || ch == '\\' || ch < 0x20 || ch == 0x7f)
			return ERR_PARSE;
		if (*o + 1 >= size)
			return ERR_TOO_BIG;
		out[(*o)++] = (char)ch;
	}
	/* Empty, ".", ".." and hidden names (".git", ".env") never. */
	if (*o == start || out[start] == '.')
		return ERR_PARSE;
	out[*o] = '\0';
	return 0;
}

TESTABLE int srv_static_resolve(const char *path, size_t len, char *out, size_t size)
{
	struct cursor c, seg;
	size_t o = 0;
	int r;

	if (size < sizeof("index.html"))
		return ERR_TOO_BIG;
	size = size > SRV_STATIC_PATH_MAX ? SRV_STATIC_PATH_MAX : size;
	if (len == 0 || path[0] != '/')
		return ERR_PARSE;
	cursor_init(&c, path + 1, len - 1);
	if (c.len == 0) {
		str_lcpy(out, "index.html", size);
		return 0;
	}
	while (c.len > 0) {
		if (cursor_until(&c, '/', &seg) != 0) {
			seg = c;
			c.p += c.len;
			c.len = 0;
		} else {
			c.p++; /* the '/' */
			c.len--;
			if (c.len == 0)
				return ERR_PARSE; /* "dir/": no directory listings */
		}
		if (o > 0) {
			if (o + 1 >= size)
				return ERR_TOO_BIG;
			out[o++] = '/';
		}
		r = add_segment(&seg, out, size, &o);
		if (r)
			return r;
	}
	return 0;
}

int srv_static_open(const char *dir, struct logger *lg, struct srv_static **out)
{
	const char *d = dir ? dir : SRV_STATIC_DEFAULT_DIR;
	struct srv_static *ss;
	struct stat sb;
	int fd;

	*out = NULL;
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstatat(fd, "index.html", &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		if (!dir) {
			LOG_DEBUG(lg, "no dashboard at %s (API only)", d);
			return 0;
		}
		LOG_ERROR(lg, "--ui %.200s: not a directory with index.html", d);
		return ERR_NOTFOUND;
	}
	ss = calloc(1, sizeof(*ss));
	if (!ss) {
		close(fd);
		return ERR_NOMEM;
	}
	ss->dirfd = fd;
	*out = ss;
	LOG_INFO(lg, "dashboard ui=%.200s", d);
	return 0;
}

void srv_static_free(struct srv_static *ss)
{
	if (!ss)
		return;
	close(ss->dirfd);
	free(ss);
}

int srv_static_wants(const char *method, const char *path, size_t len)
{
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return 0;
	if (len >= 4 && memcmp(path, "/api", 4) == 0 && (len == 4 || path[4] == '/'))
		return 0;
	if (len >= 8 && memcmp(path, "/healthz", 8) == 0)
		return 0;
	return 1;
}

/* Open rel beneath the directory: openat2 with RESOLVE_BENEATH and no
 * symlinks where the kernel has it (5.6+), else openat with O_NOFOLLOW
 * (rel holds no ".." and was checked segment by segment). */
static int open_beneath(int dirfd, const char *rel)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	return (int)fd;
}

/* A regular file under the size cap, or -1. *size gets its length. */
static int open_file(const struct srv_static *ss, const char *rel, uint64_t *size)
{
	struct stat sb;
	int fd = open_beneath(ss->dirfd, rel);

	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size > SRV_STATIC_FILE_MAX) {
		close(fd);
		return -1;
	}
	*size = (uint64_t)sb.st_size;
	return fd;
}

/* A client route: the last segment has no '.' ("/orgs/7", "/login"). */
static int is_client_route(const char *path, size_t len)
{
	size_t i = len;

	while (i > 0 && path[i - 1] != '/')
		i--;
	return memchr(path + i, '.', len - i) == NULL;
}

static void add_headers(struct MHD_Response *resp, int tls, const char *type, const char *cache)
{
	const struct server_header *h;
	size_t n, i;

	h = server_security_headers(&n);
	for (i = 0; i < n; i++)
		if (strcasecmp(h[i].name, "Cache-Control") != 0)
			MHD_add_response_header(resp, h[i].name, h[i].value);
	if (tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
					"max-age=31536000; includeSubDomains");
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", cache);
}

static int send_404(struct MHD_Connection *con, int tls, unsigned *status, size_t *bytes)
{
	static const char body[] = "not found\n";
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp =
	    MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	add_headers(resp, tls, "text/plain; charset=utf-8", "no-store");
	*status = 404;
	*bytes = sizeof(body) - 1;
	ret = MHD_queue_response(con, 404, resp);
	MHD_destroy_response(resp);
	return ret;
}

int srv_static_serve(const struct srv_static *ss, struct MHD_Connection *con, const char *path,
		     size_t len, int tls, unsigned *status, size_t *bytes)
{
	char rel[SRV_STATIC_PATH_MAX];
	const char *name = rel, *cache = "no-cache";
	struct MHD_Response *resp;
	enum MHD_Result ret;
	uint64_t size = 0;
	int fd = -1;

	if (srv_static_resolve(path, len, rel, sizeof(rel)) == 0)
		fd = open_file(ss, rel, &size);
	if (fd < 0 && is_client_route(path, len)) {
		name = "index.html";
		fd = open_file(ss, name, &size);
	}
	if (fd < 0)
		return send_404(con, tls, status, bytes);
	/* vite puts content-hashed names under assets/: safe to keep. */
	if (name == rel && strncmp(rel, "assets/", 7) == 0)
		cache = "public, max-age=31536000, immutable";
	resp = MHD_create_response_from_fd(size, fd); /* owns fd from here */
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	add_headers(resp, tls, srv_static_type(name), cache);
	*status = 200;
	*bytes = (size_t)size;
	ret = MHD_queue_response(con, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}
