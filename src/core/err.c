/*
 * err.c: the error code table and errno conversion.
 */
#include <errno.h>

#include "core/core.h"

static const char *const err_names[] = {
    "ok",
    "out of memory",
    "malformed input",
    "timed out",
    "too big",
    "input/output error",
    "invalid argument",
    "not found",
    "already exists",
    "storage error",
    "not supported",
    "connection failed",
    "name did not resolve",
    "tls failure",
    "not permitted",
    "canceled",
    "protocol violation",
    "unexpected end of input",
    "out of range",
    "authentication failed",
};

const char *err_str(int r)
{
	if (r > 0 || r <= ERR__LAST)
		return "unknown error";
	return err_names[-r];
}

int err_from_errno(int e)
{
	switch (e) {
	case 0:
		return 0;
	case ENOMEM:
		return ERR_NOMEM;
	case ETIMEDOUT:
		return ERR_TIMEOUT;
	case ENOENT:
		return ERR_NOTFOUND;
	case EEXIST:
		return ERR_EXISTS;
	case EACCES:
	case EPERM:
		return ERR_PERM;
	case ECONNREFUSED:
	case ECONNRESET:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EPIPE:
		return ERR_CONN;
	case EINVAL:
		return ERR_INVAL;
	case EFBIG:
	case E2BIG:
		return ERR_TOO_BIG;
	default:
		return ERR_IO;
	}
}
