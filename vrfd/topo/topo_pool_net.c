/*
 * topo_pool_net: the addresses of links and LANs from `addressing:`.
 *
 * Part of topo_pool (topo_pool.h): a link between two routers gets a
 * block of its pool (p2p: a /31, p2p6: a /64), whose first address goes to
 * the end whose name sorts first; a LAN gets a subnet (lan: a /24, or as
 * much more as its ports need; lan6: a /64), and each router interface on
 * it a host of that subnet, by the hash of its name. A segment on which
 * the file declares a subnet of the family takes the addresses of its
 * other interfaces from that subnet instead.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "topo.h"
#include "topo_pool.h"
#include "topo_priv.h"
#include "ytree.h"

/* Host slots of a subnet: IPv6 hosts stay ::1 to ::fffe, readable. */
#define TOPO_POOL_NET_HOSTS_MAX	65534

static void
topo_pool_net_end(struct topo_pool_end *e, const struct topo_endpoint *ep,
    size_t seg)
{
	e->ns = ep->ns;
	e->ifc = topo_ep_iface(ep);
	e->seg = seg;
	snprintf(e->key, sizeof(e->key), "%s:%s", ep->ns->node_name,
	    ep->ifname);
}

/* IFC's first declared address of FAMILY that is a subnet: not a host,
 * not link-local (every link has fe80::/64). */
static const struct topo_addr *
topo_pool_net_subnet(const struct topo_iface *ifc, int family)
{
	const struct topo_addr	*a;
	struct topo_ip		 ip;
	size_t			 i;

	for (i = 0; i < ifc->n_addrs; i++) {
		a = &ifc->addrs[i];
		if (a->origin != TOPO_ADDR_DECLARED ||
		    a->pfx.family != family ||
		    a->pfx.plen >= topo_pool_width(family))
			continue;
		ip.family = family;
		memcpy(ip.addr, a->pfx.addr, sizeof(ip.addr));
		if (!topo_check_link_local(&ip))
			return a;
	}
	return NULL;
}

/*
 * Give each of the N ENDS an address of SUBNET, the subnet of their
 * segment SEG: host slots by the hash of each end's name, past the
 * addresses the file declares there. ORIGIN and NODE go with them; an
 * error is at ERR_AT.
 */
static int
topo_pool_net_hosts(struct topo_pool_st *st, const struct topo_prefix *subnet,
    size_t seg, const struct topo_pool_end *ends, size_t n,
    enum topo_addr_origin origin, const struct ynode *node,
    const struct ynode *err_at)
{
	struct topo_pool_item	*v;
	struct topo_pool_set	 taken;
	struct topo_prefix	 p;
	unsigned		 bits = topo_pool_width(subnet->family) -
				    subnet->plen;
	uint64_t		 nhosts, first, off;
	char			 sb[INET6_ADDRSTRLEN + 5];
	size_t			 i, failed;
	int			 rv;

	/* IPv4 keeps its network and broadcast addresses, IPv6 its
	 * subnet-router anycast, except on a /31 or /127 (RFC 3021, 6164). */
	first = bits > 1 ? 1 : 0;
	nhosts = bits == 0 ? 0 : bits == 1 ? 2 :
	    topo_pool_slot_count(bits) - (subnet->family == AF_INET ? 2 : 1);
	if (nhosts > TOPO_POOL_NET_HOSTS_MAX)
		nhosts = TOPO_POOL_NET_HOSTS_MAX;
	if ((v = calloc(n + 1, sizeof(*v))) == NULL ||
	    topo_pool_slot_set_init(&taken, st->n_decl + n) < 0) {
		free(v);
		st->ty->nomem = true;
		return -ENOMEM;
	}
	for (i = 0; i < st->n_decl; i++) {
		const struct topo_pool_decl *d = &st->decl[i];

		/* Host slots are the first 2^16 at most: a declared address
		 * further away is in none. */
		if (d->seg == seg && topo_pool_overlap(subnet, &d->pfx) &&
		    topo_pool_slot_offset(subnet, &d->pfx, &off) &&
		    off >= first && off - first < nhosts)
			topo_pool_slot_set_add(&taken, off - first);
	}
	for (i = 0; i < n; i++) {
		v[i].key = ends[i].key;
		v[i].idx = i;
	}
	if ((rv = topo_pool_slot_place(&taken, nhosts, v, n, &failed)) < 0)
		topo_yaml_err(st->ty, err_at, "no free address left in %s for "
		    "%s%s", topo_prefix_str(subnet, sb, sizeof(sb)),
		    failed < n ? v[failed].key : ends[0].key,
		    origin == TOPO_ADDR_SUBNET ? ", which the pools number in "
		    "the subnet declared here on its segment" : "");
	for (i = 0; rv == 0 && i < n; i++) {
		topo_pool_slot_addr(subnet, v[i].unit + first, 0,
		    subnet->plen, &p);
		topo_pool_give(st, ends[v[i].idx].ifc, &p, node, origin);
	}
	free(taken.v);
	free(v);
	return rv;
}

/* A segment that declares a subnet of SUBNET's family: its N ENDS with
 * none get theirs from it. */
static void
topo_pool_net_from_subnet(struct topo_pool_st *st, const struct topo_addr *a,
    size_t seg, const struct topo_pool_end *ends, size_t n)
{
	struct topo_prefix	 subnet = a->pfx;
	size_t			 b;

	for (b = subnet.plen; b < 128; b++)
		subnet.addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	topo_pool_net_hosts(st, &subnet, seg, ends, n, TOPO_ADDR_SUBNET,
	    a->node, a->node);
}

/* Links between two routers: a block each, its first address to the end
 * whose name sorts first. */
void
topo_pool_net_p2p(struct topo_pool_st *st, const struct topo_pool *p)
{
	const struct topo	*t = st->t;
	const struct topo_link	*l;
	const struct topo_addr	*sub;
	struct topo_pool_end	(*ends)[2];
	struct topo_pool_item	*v;
	struct topo_pool_clash	 clash = { 0 };
	struct topo_prefix	 block, got[2];
	char			(*keys)[TOPO_POOL_KEY_MAX];
	char			 what[TOPO_POOL_KEY_MAX + 8];
	int			 fam = p->pfx.family, e;
	size_t			 i, n = 0, ng;
	bool			 need[2];

	ends = calloc(t->n_links + 1, sizeof(*ends));
	keys = calloc(t->n_links + 1, sizeof(*keys));
	v = calloc(t->n_links + 1, sizeof(*v));
	if (ends == NULL || keys == NULL || v == NULL) {
		st->ty->nomem = true;
		goto done;
	}
	for (i = 0; i < t->n_links; i++) {
		l = &t->links[i];
		if (!topo_pool_is_router(l->ep[0].ns) ||
		    !topo_pool_is_router(l->ep[1].ns) ||
		    (l->ep[0].ns == l->ep[1].ns &&
		    strcmp(l->ep[0].ifname, l->ep[1].ifname) == 0))
			continue;
		topo_pool_net_end(&ends[n][0], &l->ep[0],
		    topo_pool_root(st->up, i));
		topo_pool_net_end(&ends[n][1], &l->ep[1], ends[n][0].seg);
		if (strcmp(ends[n][0].key, ends[n][1].key) > 0) {
			struct topo_pool_end tmp = ends[n][0];

			ends[n][0] = ends[n][1];
			ends[n][1] = tmp;
		}
		need[0] = !topo_pool_has_family(ends[n][0].ifc, fam);
		need[1] = !topo_pool_has_family(ends[n][1].ifc, fam);
		if (!need[0] && !need[1])
			continue;
		e = need[0];	/* an end that declares, if one does */
		if ((!need[0] || !need[1]) && (sub = topo_pool_net_subnet(
		    ends[n][e].ifc, fam)) != NULL) {
			topo_pool_net_from_subnet(st, sub, ends[n][0].seg,
			    &ends[n][!e], 1);
			continue;
		}
		snprintf(keys[n], sizeof(keys[n]), "%s %s", ends[n][0].key,
		    ends[n][1].key);
		v[n].key = keys[n];
		v[n].idx = n;
		n++;
	}
	if (n == 0 || topo_pool_blocks(st, p, v, n, "link") < 0)
		goto done;
	for (i = 0; i < n; i++) {
		struct topo_pool_end *pe = ends[v[i].idx];

		block = topo_pool_block(p, &v[i]);
		/* /31: .0 and .1; /64: ::1 and ::2. */
		for (e = 0, ng = 0; e < 2; e++)
			topo_pool_slot_addr(&block, (uint64_t)e +
			    (fam == AF_INET6), 0, block.plen, &got[e]);
		snprintf(what, sizeof(what), "link %s - %s", pe[0].key,
		    pe[1].key);
		for (e = 0; e < 2; e++)
			if (!topo_pool_has_family(pe[e].ifc, fam))
				got[ng++] = got[e];
		if (topo_pool_clashes(st, &clash, &block, pe[0].seg, got, ng,
		    what))
			continue;
		for (e = 0, ng = 0; e < 2; e++)
			if (!topo_pool_has_family(pe[e].ifc, fam))
				topo_pool_give(st, pe[e].ifc, &got[ng++],
				    p->key, TOPO_ADDR_POOL);
	}
	topo_pool_clash_report(st, p, &clash);
done:
	free(ends);
	free(keys);
	free(v);
}

static int
topo_pool_net_end_cmp(const void *a, const void *b)
{
	const struct topo_pool_end	*x = a, *y = b;

	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
topo_pool_net_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* LAN SEG's key: the names of its switches, sorted, joined by spaces.
 * Malloc'ed; NULL: out of memory. */
static char *
topo_pool_net_lan_key(const struct topo_pool_st *st, size_t seg)
{
	const struct topo	*t = st->t;
	const char		**names;
	char			*key = NULL;
	size_t			 i, n = 0, len = 1;

	if ((names = calloc(t->n_ns + 1, sizeof(*names))) == NULL)
		return NULL;
	for (i = 0; i < t->n_ns; i++)
		if (topo_pool_is_switch(&t->ns[i]) &&
		    topo_pool_root(st->up, t->n_links + i) == seg) {
			names[n++] = t->ns[i].node_name;
			len += strlen(t->ns[i].node_name) + 1;
		}
	qsort(names, n, sizeof(*names), topo_pool_net_str_cmp);
	if ((key = calloc(1, len)) != NULL)
		for (i = 0; i < n; i++) {
			if (i > 0)
				strcat(key, " ");
			strcat(key, names[i]);
		}
	free(names);
	return key;
}

/* The N ends of M that have no address of FAMILY, into OUT. */
static size_t
topo_pool_net_needy(const struct topo_pool_end *m, size_t n, int family,
    struct topo_pool_end *out)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (!topo_pool_has_family(m[i].ifc, family))
			out[k++] = m[i];
	return k;
}

/*
 * LANs: a subnet each (IPv4: a /24, or as much more as its ports need;
 * IPv6: a /64), and in it a host slot per router interface.
 */
void
topo_pool_net_lan(struct topo_pool_st *st, const struct topo_pool *p)
{
	const struct topo	*t = st->t;
	const struct topo_link	*l;
	const struct topo_addr	*sub;
	struct topo_pool_end	*m, *needy;
	struct topo_pool_item	*v;
	struct topo_pool_clash	 clash = { 0 };
	struct topo_prefix	 block;
	char			**keys, what[TOPO_POOL_KEY_MAX + 8];
	int			 fam = p->pfx.family, e;
	size_t			 i, j, g, end, nm = 0, n = 0, nn;
	unsigned		 len;

	m = calloc(2 * t->n_links + 1, sizeof(*m));
	needy = calloc(2 * t->n_links + 1, sizeof(*needy));
	v = calloc(2 * t->n_links + 1, sizeof(*v));
	keys = calloc(2 * t->n_links + 1, sizeof(*keys));
	if (m == NULL || needy == NULL || v == NULL || keys == NULL) {
		st->ty->nomem = true;
		goto done;
	}
	for (i = 0; i < t->n_links; i++) {
		l = &t->links[i];
		for (e = 0; e < 2; e++)
			if (topo_pool_is_router(l->ep[e].ns) &&
			    topo_pool_is_switch(l->ep[!e].ns))
				topo_pool_net_end(&m[nm++], &l->ep[e],
				    topo_pool_root(st->up, i));
	}
	qsort(m, nm, sizeof(*m), topo_pool_net_end_cmp);
	for (g = 0; g < nm; g = end) {
		for (end = g; end < nm && m[end].seg == m[g].seg; end++)
			;
		if (topo_pool_net_needy(&m[g], end - g, fam, needy) == 0)
			continue;
		for (sub = NULL, j = g; j < end && sub == NULL; j++)
			sub = topo_pool_net_subnet(m[j].ifc, fam);
		if (sub != NULL) {
			nn = topo_pool_net_needy(&m[g], end - g, fam, needy);
			topo_pool_net_from_subnet(st, sub, m[g].seg, needy, nn);
			continue;
		}
		if ((keys[n] = topo_pool_net_lan_key(st, m[g].seg)) == NULL) {
			st->ty->nomem = true;
			goto done;
		}
		/* Room for every port, its network and broadcast. */
		for (len = p->def->len; fam == AF_INET && len > 1 &&
		    (UINT64_C(1) << (32 - len)) - 2 < end - g; len--)
			;
		v[n].key = keys[n];
		v[n].k = p->def->len - len;
		v[n].idx = g;
		n++;
	}
	if (n == 0 || topo_pool_blocks(st, p, v, n, "LAN") < 0)
		goto done;
	for (i = 0; i < n && !st->ty->nomem; i++) {
		g = v[i].idx;
		for (end = g; end < nm && m[end].seg == m[g].seg; end++)
			;
		block = topo_pool_block(p, &v[i]);
		snprintf(what, sizeof(what), "LAN %s", v[i].key);
		if (topo_pool_clashes(st, &clash, &block, m[g].seg, NULL, 0,
		    what))
			continue;
		nn = topo_pool_net_needy(&m[g], end - g, fam, needy);
		topo_pool_net_hosts(st, &block, m[g].seg, needy, nn,
		    TOPO_ADDR_POOL, p->key, p->key);
	}
	topo_pool_clash_report(st, p, &clash);
done:
	for (i = 0; keys != NULL && i < n; i++)
		free(keys[i]);
	free(keys);
	free(m);
	free(needy);
	free(v);
}
