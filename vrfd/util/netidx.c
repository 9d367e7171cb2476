/*
 * netidx: subnets by their network bits (netidx.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netidx.h"

/* Fewer subnets than this are walked: hashing an address once per
 * length in use costs more than comparing it with each. */
#define NETIDX_HASH_MIN	16

/* NET's key: FAMILY, PLEN and ADDR's first PLEN bits, the rest zero. */
static void
netidx_key(struct netidx_net *net, int family, const uint8_t *addr,
    unsigned plen)
{
	memset(net, 0, sizeof(*net));
	net->family = family;
	net->plen = (uint8_t)plen;
	memcpy(net->bits, addr, plen / 8);
	if (plen % 8)
		net->bits[plen / 8] = addr[plen / 8] &
		    (uint8_t)(0xff00u >> (plen % 8));
}

/* The hash of a key: of its bytes but the caller's position. */
static uint64_t
netidx_hash(const struct netidx_net *net)
{
	return keyidx_hash(net, offsetof(struct netidx_net, pos));
}

static uint64_t
netidx_hash_at(const struct keyidx *x, size_t i)
{
	return netidx_hash(&KEYIDX_OWNER(x, const struct netidx, x)->v[i]);
}

static bool
netidx_is(const struct keyidx *x, size_t i, const void *key)
{
	return memcmp(&KEYIDX_OWNER(x, const struct netidx, x)->v[i], key,
	    offsetof(struct netidx_net, pos)) == 0;
}

void
netidx_init(struct netidx *ni)
{
	memset(ni, 0, sizeof(*ni));
	ni->x.hash_at = netidx_hash_at;
	ni->x.is = netidx_is;
}

/* The entry of NET's subnet, or -1. */
static ssize_t
netidx_find(const struct netidx *ni, const struct netidx_net *net)
{
	if (ni->n >= NETIDX_HASH_MIN)
		return keyidx_find(&ni->x, netidx_hash(net), net);
	for (size_t k = 0; k < ni->n; k++)
		if (memcmp(&ni->v[k], net, offsetof(struct netidx_net, pos)) ==
		    0)
			return (ssize_t)k;
	return -1;
}

int
netidx_add(struct netidx *ni, int family, const uint8_t *addr,
    unsigned plen, size_t pos)
{
	struct netidx_net	 net, *v;
	ssize_t			 k;

	if ((family != AF_INET || plen > 32) &&
	    (family != AF_INET6 || plen > 128))
		return -EINVAL;
	netidx_key(&net, family, addr, plen);
	net.pos = pos;
	if ((k = netidx_find(ni, &net)) >= 0) {
		if (pos < ni->v[k].pos)
			ni->v[k].pos = pos;
		return 0;
	}
	/* room doubles at each power of two */
	if ((ni->n & (ni->n - 1)) == 0) {
		if ((v = reallocarray(ni->v, ni->n ? 2 * ni->n : 4,
		    sizeof(*v))) == NULL)
			return -ENOMEM;
		ni->v = v;
	}
	memcpy(&ni->v[ni->n], &net, sizeof(net));	/* padding too */
	ni->n++;
	ni->plens[family == AF_INET6][plen] = true;
	if (ni->n < NETIDX_HASH_MIN)
		return 0;
	/* many now: all of them indexed at once, then each as it comes */
	for (size_t i = ni->n == NETIDX_HASH_MIN ? 0 : ni->n - 1; i < ni->n;
	    i++)
		if (keyidx_put(&ni->x, netidx_hash(&ni->v[i]), &ni->v[i],
		    i) < 0)
			return -ENOMEM;
	return 0;
}

/* Does subnet E hold ADDR (of E's family)? */
static bool
netidx_holds(const struct netidx_net *e, const uint8_t *addr)
{
	unsigned	 full = e->plen / 8, rest = e->plen % 8;

	return memcmp(e->bits, addr, full) == 0 && (rest == 0 ||
	    ((e->bits[full] ^ addr[full]) & (uint8_t)(0xff00u >> rest)) == 0);
}

/* The lowest position of a subnet holding ADDR, walking them all. */
static ssize_t
netidx_walk(const struct netidx *ni, int family, const uint8_t *addr)
{
	ssize_t	 best = -1;

	for (size_t k = 0; k < ni->n; k++) {
		const struct netidx_net	*e = &ni->v[k];

		if (e->family == family && (best < 0 ||
		    e->pos < (size_t)best) && netidx_holds(e, addr))
			best = (ssize_t)e->pos;
	}
	return best;
}

ssize_t
netidx_holder(const struct netidx *ni, int family, const uint8_t *addr)
{
	struct netidx_net	 net;
	bool			 v6 = family == AF_INET6;
	ssize_t			 k, best = -1;

	if (family != AF_INET && family != AF_INET6)
		return -1;
	if (ni->n < NETIDX_HASH_MIN)
		return netidx_walk(ni, family, addr);
	for (unsigned plen = 0; plen <= (v6 ? 128u : 32u); plen++) {
		if (!ni->plens[v6][plen])
			continue;
		netidx_key(&net, family, addr, plen);
		k = keyidx_find(&ni->x, netidx_hash(&net), &net);
		if (k >= 0 && (best < 0 || ni->v[k].pos < (size_t)best))
			best = (ssize_t)ni->v[k].pos;
	}
	return best;
}

void
netidx_free(struct netidx *ni)
{
	keyidx_free(&ni->x);
	free(ni->v);
	ni->v = NULL;
	ni->n = 0;
}
