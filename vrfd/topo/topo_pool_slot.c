/*
 * topo_pool_slot: the slots of a pool of `addressing` (topo_pool.c), and
 * of the hosts of a subnet.
 *
 * A space of N units (/31s of a p2p pool, /24s of a lan pool, hosts of a
 * subnet) takes blocks of 2^K units, each aligned on its size. An item's
 * own slot is a 64-bit hash of its key modulo the blocks the space has
 * room for. Slots are settled in two rounds: first every item at its own
 * slot if it is free, in key order (so the smallest key wins a slot that
 * several want); then the others, in key order, each at the next free
 * slot after its own, wrapping around. An item at its own slot is so
 * moved only by a new one that wants the same slot and whose key sorts
 * first; an item that lost its slot may move when a new one takes the
 * slot it had found instead.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "topo.h"
#include "topo_pool.h"

/* A pool uses its first 2^16 slots at most: addresses stay readable
 * (a loopback6 /64 gives ::0 to ::ffff), and 65536 is plenty. */
#define TOPO_POOL_SLOTS_LOG	16

/* Addresses as numbers: IPv4 in the low 32 bits. */
struct topo_pool_num {
	uint64_t		 hi, lo;
};

static struct topo_pool_num
topo_pool_slot_load(const struct topo_prefix *p)
{
	struct topo_pool_num	 n = { 0, 0 };
	int			 i;

	if (p->family == AF_INET) {
		for (i = 0; i < 4; i++)
			n.lo = n.lo << 8 | p->addr[i];
		return n;
	}
	for (i = 0; i < 8; i++) {
		n.hi = n.hi << 8 | p->addr[i];
		n.lo = n.lo << 8 | p->addr[8 + i];
	}
	return n;
}

static void
topo_pool_slot_store(struct topo_pool_num n, int family, uint8_t plen,
    struct topo_prefix *p)
{
	int	 i;

	memset(p, 0, sizeof(*p));
	p->family = family;
	p->plen = plen;
	if (family == AF_INET) {
		for (i = 0; i < 4; i++)
			p->addr[i] = (uint8_t)(n.lo >> (24 - 8 * i));
		return;
	}
	for (i = 0; i < 8; i++) {
		p->addr[i] = (uint8_t)(n.hi >> (56 - 8 * i));
		p->addr[8 + i] = (uint8_t)(n.lo >> (56 - 8 * i));
	}
}

/* A + (V << S), S < 128. */
static struct topo_pool_num
topo_pool_slot_add(struct topo_pool_num a, uint64_t v, unsigned s)
{
	struct topo_pool_num	 b = { 0, 0 };

	if (s >= 64)
		b.hi = v << (s - 64);
	else {
		b.lo = v << s;
		b.hi = s ? v >> (64 - s) : 0;
	}
	a.lo += b.lo;
	a.hi += b.hi + (a.lo < b.lo);
	return a;
}

uint64_t
topo_pool_slot_count(unsigned bits)
{
	return UINT64_C(1) << (bits > TOPO_POOL_SLOTS_LOG ?
	    TOPO_POOL_SLOTS_LOG : bits);
}

/*
 * The key's slot: FNV-1a, whose low bits mix poorly, then MurmurHash3's
 * finaliser, so that the modulo takes good bits. Part of the file's
 * meaning: changing it renumbers every lab.
 */
static uint64_t
topo_pool_slot_hash(const char *s)
{
	uint64_t	 h = UINT64_C(0xcbf29ce484222325);

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * UINT64_C(0x100000001b3);
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

int
topo_pool_slot_set_init(struct topo_pool_set *s, size_t n)
{
	size_t	 cap = 16;

	while (cap < 2 * n + 2)
		cap *= 2;
	if ((s->v = calloc(cap, sizeof(*s->v))) == NULL)
		return -ENOMEM;
	s->mask = cap - 1;
	return 0;
}

/* Where U is, or the free place it would go. */
static size_t
topo_pool_slot_set_pos(const struct topo_pool_set *s, uint64_t u)
{
	size_t	 i = (size_t)((u + 1) * UINT64_C(0x9e3779b97f4a7c15) >> 17) &
		    s->mask;

	while (s->v[i] != 0 && s->v[i] != u + 1)
		i = (i + 1) & s->mask;
	return i;
}

static bool
topo_pool_slot_set_has(const struct topo_pool_set *s, uint64_t u)
{
	return s->v[topo_pool_slot_set_pos(s, u)] != 0;
}

void
topo_pool_slot_set_add(struct topo_pool_set *s, uint64_t u)
{
	s->v[topo_pool_slot_set_pos(s, u)] = u + 1;
}

static bool
topo_pool_slot_free(const struct topo_pool_set *s, uint64_t pos, unsigned k)
{
	uint64_t	 i, first = pos << k;

	for (i = 0; i < (UINT64_C(1) << k); i++)
		if (topo_pool_slot_set_has(s, first + i))
			return false;
	return true;
}

static void
topo_pool_slot_take(struct topo_pool_set *s, struct topo_pool_item *it,
    uint64_t pos)
{
	uint64_t	 i;

	it->unit = pos << it->k;
	it->placed = true;
	for (i = 0; i < (UINT64_C(1) << it->k); i++)
		topo_pool_slot_set_add(s, it->unit + i);
}

static int
topo_pool_slot_cmp(const void *a, const void *b)
{
	const struct topo_pool_item	*x = a, *y = b;
	int				 r;

	if ((r = strcmp(x->key, y->key)) != 0)
		return r;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Two rounds: see the top of the file. */
int
topo_pool_slot_place(struct topo_pool_set *taken, uint64_t nunits,
    struct topo_pool_item *v, size_t n, size_t *failed)
{
	uint64_t	 need = 0, npos, pos, step;
	size_t		 i;

	*failed = n;
	for (i = 0; i < n; i++) {
		need += UINT64_C(1) << v[i].k;
		if ((nunits >> v[i].k) == 0 || need > nunits)
			return -ENOSPC;
	}
	qsort(v, n, sizeof(*v), topo_pool_slot_cmp);
	for (i = 0; i < n; i++) {
		v[i].home = topo_pool_slot_hash(v[i].key) % (nunits >> v[i].k);
		if (topo_pool_slot_free(taken, v[i].home, v[i].k))
			topo_pool_slot_take(taken, &v[i], v[i].home);
	}
	for (i = 0; i < n; i++) {
		if (v[i].placed)
			continue;
		npos = nunits >> v[i].k;
		for (step = 1; step < npos; step++) {
			pos = (v[i].home + step) % npos;
			if (topo_pool_slot_free(taken, pos, v[i].k)) {
				topo_pool_slot_take(taken, &v[i], pos);
				break;
			}
		}
		if (!v[i].placed) {
			*failed = i;
			return -ENOSPC;
		}
	}
	return 0;
}

void
topo_pool_slot_addr(const struct topo_prefix *base, uint64_t v, unsigned shift,
    uint8_t plen, struct topo_prefix *out)
{
	topo_pool_slot_store(topo_pool_slot_add(topo_pool_slot_load(base), v,
	    shift), base->family, plen, out);
}

bool
topo_pool_slot_offset(const struct topo_prefix *base,
    const struct topo_prefix *a, uint64_t *off)
{
	struct topo_pool_num	 b = topo_pool_slot_load(base);
	struct topo_pool_num	 n = topo_pool_slot_load(a);

	if (a->family != base->family || n.hi != b.hi || n.lo < b.lo)
		return false;
	*off = n.lo - b.lo;
	return true;
}
