/*
 * keyidx: positions of an array's entries by key (keyidx.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "keyidx.h"

uint64_t
keyidx_hash(const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint64_t		 h = 0xcbf29ce484222325ULL ^ len, w;

	/* Eight bytes at a time, each word mixed in (keys are names and
	 * addresses: a byte at a time was most of a lookup), the last
	 * ones zero-padded; the low bits, which pick the slot, mixed
	 * from the high ones at the end. */
	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	h ^= h >> 32;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ h >> 29;
}

/* Where KEY is, or the empty slot where it would go (cap > 0). */
static size_t
keyidx_slot(const struct keyidx *x, uint64_t hash, const void *key)
{
	size_t	 s = (size_t)hash & (x->cap - 1);

	while (x->slot[s] != 0 && !x->is(x, x->slot[s] - 1, key))
		s = (s + 1) & (x->cap - 1);
	return s;
}

/* The empty slot where the entry at position I goes (its key is not in
 * the index). */
static size_t
keyidx_hole(const struct keyidx *x, size_t i)
{
	size_t	 s = (size_t)x->hash_at(x, i) & (x->cap - 1);

	while (x->slot[s] != 0)
		s = (s + 1) & (x->cap - 1);
	return s;
}

ssize_t
keyidx_find(const struct keyidx *x, uint64_t hash, const void *key)
{
	size_t	 s;

	if (x->cap == 0)
		return -1;
	s = keyidx_slot(x, hash, key);
	return x->slot[s] ? (ssize_t)x->slot[s] - 1 : -1;
}

int
keyidx_reserve(struct keyidx *x, size_t n)
{
	size_t	*old = x->slot, cap = x->cap ? x->cap : 16, old_cap = x->cap;

	/* at most half full: made again, large enough, past that */
	if (2 * n <= x->cap)
		return 0;
	while (2 * n > cap)
		cap *= 2;
	if ((x->slot = calloc(cap, sizeof(*x->slot))) == NULL) {
		x->slot = old;
		return -ENOMEM;
	}
	x->cap = cap;
	for (size_t s = 0; s < old_cap; s++)
		if (old[s] != 0)
			x->slot[keyidx_hole(x, old[s] - 1)] = old[s];
	free(old);
	return 0;
}

int
keyidx_put(struct keyidx *x, uint64_t hash, const void *key, size_t i)
{
	size_t	 s;

	if (x->cap > 0 && x->slot[s = keyidx_slot(x, hash, key)] != 0) {
		x->slot[s] = i + 1;
		return 0;
	}
	if (keyidx_reserve(x, x->n + 1) < 0)
		return -ENOMEM;
	x->slot[keyidx_slot(x, hash, key)] = i + 1;
	x->n++;
	return 0;
}

void
keyidx_drop(struct keyidx *x, uint64_t hash, const void *key)
{
	size_t	 mask = x->cap - 1, hole, j, home;

	if (x->cap == 0 || x->slot[hole = keyidx_slot(x, hash, key)] == 0)
		return;
	x->slot[hole] = 0;
	x->n--;
	for (j = (hole + 1) & mask; x->slot[j] != 0; j = (j + 1) & mask) {
		home = (size_t)x->hash_at(x, x->slot[j] - 1) & mask;
		/* J may fill the hole if its home is not in (hole, j]. */
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			x->slot[hole] = x->slot[j];
			x->slot[j] = 0;
			hole = j;
		}
	}
}

void
keyidx_free(struct keyidx *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = x->n = 0;
}

/* ---- by name ----------------------------------------------------------- */

static uint64_t
nameidx_hash_at(const struct keyidx *k, size_t i)
{
	const struct nameidx	*x = KEYIDX_OWNER(k, const struct nameidx, k);
	const char		*name = x->name(x, i);

	return keyidx_hash(name, strlen(name));
}

static bool
nameidx_is(const struct keyidx *k, size_t i, const void *key)
{
	const struct nameidx	*x = KEYIDX_OWNER(k, const struct nameidx, k);

	return strcmp(x->name(x, i), key) == 0;
}

void
nameidx_init(struct nameidx *x,
    const char *(*name)(const struct nameidx *, size_t))
{
	memset(x, 0, sizeof(*x));
	x->k.hash_at = nameidx_hash_at;
	x->k.is = nameidx_is;
	x->name = name;
}

ssize_t
nameidx_find(const struct nameidx *x, const char *name)
{
	return keyidx_find(&x->k, keyidx_hash(name, strlen(name)), name);
}

int
nameidx_put(struct nameidx *x, const char *name, size_t i)
{
	return keyidx_put(&x->k, keyidx_hash(name, strlen(name)), name, i);
}

void
nameidx_drop(struct nameidx *x, const char *name)
{
	keyidx_drop(&x->k, keyidx_hash(name, strlen(name)), name);
}

void
nameidx_free(struct nameidx *x)
{
	keyidx_free(&x->k);
}
