/*
 * nameidx: names to positions, for arrays of thousands (nameidx.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kdigest.h"
#include "nameidx.h"

static size_t
nameidx_home(const struct nameidx *x, const char *name)
{
	return (size_t)ks_bytes_digest(name, strlen(name)) & (x->cap - 1);
}

/* Where NAME is, or the empty slot where it would go (cap > 0). */
static size_t
nameidx_slot(const struct nameidx *x, const char *name)
{
	size_t	 s = nameidx_home(x, name);

	while (x->slot[s] != 0 &&
	    strcmp(x->name(x->slot[s] - 1, x->arg), name) != 0)
		s = (s + 1) & (x->cap - 1);
	return s;
}

ssize_t
nameidx_find(const struct nameidx *x, const char *name)
{
	size_t	 s;

	if (x->cap == 0)
		return -1;
	s = nameidx_slot(x, name);
	return x->slot[s] ? (ssize_t)x->slot[s] - 1 : -1;
}

/* Room for one more: made again, twice as large, past half full. */
static int
nameidx_room(struct nameidx *x)
{
	size_t	*old = x->slot, cap = x->cap ? x->cap : 64, old_cap = x->cap;

	if (2 * (x->n + 1) <= x->cap)
		return 0;
	while (2 * (x->n + 1) > cap)
		cap *= 2;
	if ((x->slot = calloc(cap, sizeof(*x->slot))) == NULL) {
		x->slot = old;
		return -ENOMEM;
	}
	x->cap = cap;
	for (size_t s = 0; s < old_cap; s++)
		if (old[s] != 0)
			x->slot[nameidx_slot(x, x->name(old[s] - 1, x->arg))] =
			    old[s];
	free(old);
	return 0;
}

int
nameidx_put(struct nameidx *x, const char *name, size_t i)
{
	size_t	 s;

	if (x->cap > 0 && x->slot[s = nameidx_slot(x, name)] != 0) {
		x->slot[s] = i + 1;
		return 0;
	}
	if (nameidx_room(x) < 0)
		return -ENOMEM;
	x->slot[nameidx_slot(x, name)] = i + 1;
	x->n++;
	return 0;
}

void
nameidx_drop(struct nameidx *x, const char *name)
{
	size_t	 mask = x->cap - 1, hole, j, home;

	if (x->cap == 0 || x->slot[hole = nameidx_slot(x, name)] == 0)
		return;
	x->slot[hole] = 0;
	x->n--;
	for (j = (hole + 1) & mask; x->slot[j] != 0; j = (j + 1) & mask) {
		home = nameidx_home(x, x->name(x->slot[j] - 1, x->arg));
		/* J may fill the hole if its home is not in (hole, j]. */
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			x->slot[hole] = x->slot[j];
			x->slot[j] = 0;
			hole = j;
		}
	}
}

void
nameidx_free(struct nameidx *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = x->n = 0;
}
