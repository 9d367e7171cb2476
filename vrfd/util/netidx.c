/*
 * netidx: subnets by their network bits (netidx.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netidx.h"

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
	if ((k = keyidx_find(&ni->x, netidx_hash(&net), &net)) >= 0) {
		if (pos < ni->v[k].pos)
			ni->v[k].pos = pos;
		return 0;
	}
	if ((v = reallocarray(ni->v, ni->n + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	ni->v = v;
	memcpy(&ni->v[ni->n], &net, sizeof(net));	/* padding too */
	if (keyidx_put(&ni->x, netidx_hash(&net), &net, ni->n) < 0)
		return -ENOMEM;
	ni->n++;
	ni->plens[family == AF_INET6][plen] = true;
	return 0;
}

ssize_t
netidx_holder(const struct netidx *ni, int family, const uint8_t *addr)
{
	struct netidx_net	 net;
	bool			 v6 = family == AF_INET6;
	ssize_t			 k, best = -1;

	if (family != AF_INET && family != AF_INET6)
		return -1;
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
