/*
 * stmt_cache.c: the per-handle prepared-statement cache. The API server
 * runs the same few statements (credential lookup, tenant-scoped reads)
 * on every request; compiling them each time cost more than running them.
 * Backend-independent: it only uses the reset, clear_bindings and
 * finalize operations every backend has.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "store/store_int.h"

/* FNV-1a, 64 bit: a cheap first filter before the memcmp. */
static uint64_t sql_hash(const char *sql, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)sql[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

struct store_stmt *store_cache_get(struct store *st, const char *sql, size_t len)
{
	uint64_t h;
	size_t i;

	if (len > STORE_STMT_CACHE_SQL_MAX)
		return NULL;
	h = sql_hash(sql, len);
	for (i = 0; i < STORE_STMT_CACHE_MAX; i++) {
		struct store_cache_entry *e = &st->cache[i];

		if (e->sql && !e->busy && e->hash == h && e->len == len &&
		    memcmp(e->sql, sql, len) == 0) {
			e->busy = 1;
			e->used = ++st->cache_tick;
			e->s->done = 1;
			e->s->stepped = 0;
			st->cache_hits++;
			return e->s;
		}
	}
	st->cache_misses++;
	return NULL;
}

static void entry_drop(struct store *st, struct store_cache_entry *e)
{
	st->ops->finalize(e->s);
	free(e->s);
	free(e->sql);
	memset(e, 0, sizeof(*e));
}

void store_cache_put(struct store *st, const char *sql, size_t len, struct store_stmt *s)
{
	struct store_cache_entry *slot = NULL;
	size_t i;
	char *copy;

	if (len > STORE_STMT_CACHE_SQL_MAX)
		return;
	for (i = 0; i < STORE_STMT_CACHE_MAX; i++) {
		struct store_cache_entry *e = &st->cache[i];

		if (!e->sql) {
			slot = e;
			break;
		}
		if (!e->busy && (!slot || e->used < slot->used))
			slot = e;
	}
	if (!slot)
		return; /* every entry is out: leave s uncached */
	copy = xstrndup(sql, len);
	if (!copy)
		return;
	if (slot->sql)
		entry_drop(st, slot);
	slot->sql = copy;
	slot->len = len;
	slot->hash = sql_hash(sql, len);
	slot->used = ++st->cache_tick;
	slot->s = s;
	slot->busy = 1;
	s->cslot = (int)(slot - st->cache) + 1;
}

void store_cache_idle(struct store_stmt *s)
{
	struct store_cache_entry *e = &s->st->cache[s->cslot - 1];

	/* Reset releases the read snapshot and locks the statement held;
	 * cleared bindings do not keep a secret (a token hash) alive. */
	(void)s->st->ops->reset(s);
	(void)s->st->ops->clear_bindings(s);
	s->done = 1;
	s->stepped = 0;
	e->busy = 0;
}

void store_cache_release(struct store *st)
{
	size_t i;

	for (i = 0; i < STORE_STMT_CACHE_MAX; i++)
		if (st->cache[i].sql)
			entry_drop(st, &st->cache[i]);
}
