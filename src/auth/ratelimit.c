/*
 * ratelimit.c: login attempts per client address in a sliding window (the
 * count of the current fixed window plus the previous window's count,
 * weighted by how much of it still lies within the last window_s
 * seconds, rounded up), so a burst that straddles a window boundary is
 * limited like any other. Kept in memory in a fixed-size table (no growth under a flood of
 * addresses: a new address takes over the slot of its hash). Complements the per-account lockout,
 * which alone lets one address try many accounts.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/core.h"

#define RL_SLOTS 4096
#define RL_ADDR_MAX 64

struct rl_slot {
	char addr[RL_ADDR_MAX];
	time_t window;	/* start of the current fixed window */
	unsigned count; /* attempts counted in it */
	unsigned prev;	/* attempts counted in the window before */
};

struct auth_ratelimit {
	pthread_mutex_t mu;
	unsigned limit;
	int window_s;
	struct rl_slot slots[RL_SLOTS];
};

int auth_ratelimit_new(unsigned limit, int window_s, struct auth_ratelimit **out)
{
	struct auth_ratelimit *rl;

	if (limit == 0 || window_s <= 0)
		return ERR_INVAL;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return ERR_NOMEM;
	pthread_mutex_init(&rl->mu, NULL);
	rl->limit = limit;
	rl->window_s = window_s;
	*out = rl;
	return 0;
}

void auth_ratelimit_free(struct auth_ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

/* FNV-1a: the table index of an address. */
static size_t slot_of(const char *addr)
{
	uint32_t h = 2166136261u;

	for (; *addr; addr++)
		h = (h ^ (unsigned char)*addr) * 16777619u;
	return h % RL_SLOTS;
}

int auth_ratelimit_hit(struct auth_ratelimit *rl, const char *addr, time_t now)
{
	struct rl_slot *s;
	time_t window;
	uint64_t left, est;
	int r = 0;

	if (!rl || !addr)
		return 0;
	window = now - now % rl->window_s;
	pthread_mutex_lock(&rl->mu);
	s = &rl->slots[slot_of(addr)];
	if (strncmp(s->addr, addr, sizeof(s->addr)) != 0) {
		str_lcpy(s->addr, addr, sizeof(s->addr));
		s->window = window;
		s->count = 0;
		s->prev = 0;
	} else if (s->window != window) {
		s->prev = window - s->window == rl->window_s ? s->count : 0;
		s->window = window;
		s->count = 0;
	}
	/* The part of the previous window that is still within the last
	 * window_s seconds, rounded up so the estimate never undercounts. */
	left = (uint64_t)(rl->window_s - (now - window));
	est = s->count +
	      ((uint64_t)s->prev * left + (uint64_t)rl->window_s - 1) / (uint64_t)rl->window_s;
	if (est >= rl->limit)
		r = ERR_PERM;
	else
		s->count++;
	pthread_mutex_unlock(&rl->mu);
	return r;
}
