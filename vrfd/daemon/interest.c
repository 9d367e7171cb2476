/*
 * interest: the daemon's rule for which events wake a pass (interest.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "interest.h"
#include "kernel/own.h"
#include "watch_event.h"

static uint64_t
interest_mix(uint64_t h, const void *p, size_t len)
{
	const uint8_t	*b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static size_t
interest_alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* An address by its key: family, address, length, device. */
static uint64_t
interest_addr_key(const struct ks_addr *a)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	h = interest_mix(h, &a->family, sizeof(a->family));
	h = interest_mix(h, a->addr, interest_alen(a->family));
	h = interest_mix(h, &a->plen, sizeof(a->plen));
	return interest_mix(h, a->dev, strlen(a->dev));
}

/* A neighbour by its key: family, address, device. */
static uint64_t
interest_neigh_key(const struct ks_neigh *n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	h = interest_mix(h, &n->family, sizeof(n->family));
	h = interest_mix(h, n->ip, interest_alen(n->family));
	return interest_mix(h, n->dev, strlen(n->dev));
}

static int
interest_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* V's N keys in order: by insertion for a namespace's few dozen (no
 * call per comparison: compiling a lab's interests sorted 23,000 route
 * keys of 484 namespaces, a quarter of the time), qsort beyond. */
static void
interest_sort(uint64_t *v, size_t n)
{
	if (n > 64) {
		qsort(v, n, sizeof(*v), interest_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t	 x = v[i];
		size_t		 j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static bool
interest_has(const uint64_t *v, size_t n, uint64_t key)
{
	return n > 0 && bsearch(&key, v, n, sizeof(*v), interest_cmp) != NULL;
}

/* Room for the keys of N_ROUTES, N_ADDRS, N_NEIGHS and N_QDISCS in one
 * block, which in->routes starts: 0 or -ENOMEM. */
static int
interest_alloc(struct interest *in, size_t n_routes, size_t n_addrs,
    size_t n_neighs, size_t n_qdiscs)
{
	size_t	 keys = n_routes + n_addrs + n_neighs;
	char	*p;

	memset(in, 0, sizeof(*in));
	if ((p = calloc(1, keys * sizeof(uint64_t) + n_qdiscs *
	    sizeof(*in->qdisc_devs) + 1)) == NULL)
		return -ENOMEM;
	in->routes = (uint64_t *)p;
	in->addrs = in->routes + n_routes;
	in->neighs = in->addrs + n_addrs;
	in->qdisc_devs = (char (*)[IFNAMSIZ])(in->neighs + n_neighs);
	return 0;
}

int
interest_build(struct interest *in, const struct ks_ns *want)
{
	if (interest_alloc(in, want->n_routes, want->n_addrs, want->n_neighs,
	    want->n_qdiscs) < 0)
		return -ENOMEM;
	for (size_t k = 0; k < want->n_routes; k++)
		in->routes[in->n_routes++] = ks_route_key_hash(&want->routes[k]);
	for (size_t k = 0; k < want->n_addrs; k++)
		in->addrs[in->n_addrs++] = interest_addr_key(&want->addrs[k]);
	for (size_t k = 0; k < want->n_neighs; k++)
		in->neighs[in->n_neighs++] =
		    interest_neigh_key(&want->neighs[k]);
	for (size_t k = 0; k < want->n_qdiscs; k++)
		snprintf(in->qdisc_devs[in->n_qdisc_devs++], IFNAMSIZ, "%s",
		    want->qdiscs[k].dev);
	interest_sort(in->routes, in->n_routes);
	interest_sort(in->addrs, in->n_addrs);
	interest_sort(in->neighs, in->n_neighs);
	return 0;
}

/* By an object's own mark, whatever its namespace holds (own.h): one the
 * namespace does not hold brings a repair pass that finds nothing to do. */
bool
interest_event(const struct interest *in, const struct watch_ev *ev)
{
	switch (ev->kind) {
	case WATCH_EV_LINK:
		return ev->changed;
	case WATCH_EV_NETCONF:
		return true;
	case WATCH_EV_ROUTE:
		/* A route that replaced another may have replaced ours. */
		return own_route(&ev->o.route, OWN_HOLDS_ALL) == OWN_VRFD ||
		    ev->replace || interest_has(in->routes, in->n_routes,
		    ks_route_key_hash(&ev->o.route));
	case WATCH_EV_ADDR:
		return own_addr(&ev->o.addr, OWN_HOLDS_ALL) == OWN_VRFD ||
		    interest_has(in->addrs, in->n_addrs,
		    interest_addr_key(&ev->o.addr));
	case WATCH_EV_NEIGH:
		/* ARP and NDP churn all the time: only ours, and what
		 * stands where one of ours should. */
		return own_neigh(&ev->o.neigh, OWN_HOLDS_ALL) == OWN_VRFD ||
		    interest_has(in->neighs, in->n_neighs,
		    interest_neigh_key(&ev->o.neigh));
	case WATCH_EV_QDISC:
		/* Ours, or what stands where ours should. */
		if (own_qdisc(&ev->o.qdisc) == OWN_VRFD)
			return true;
		for (size_t k = 0; k < in->n_qdisc_devs; k++)
			if (strcmp(in->qdisc_devs[k], ev->o.qdisc.dev) == 0)
				return true;
		return false;
	}
	return false;
}

void
interest_free(struct interest *in)
{
	free(in->routes);	/* the block */
	memset(in, 0, sizeof(*in));
}
