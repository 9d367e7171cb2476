/*
 * topo_check_net: the rules about subnets and layer-2 segments.
 *
 * Part of the checker: topo_check() calls topo_check_net() once the
 * objects of each namespace and the links are checked. Here are subnets
 * of one namespace that overlap across its interfaces, nexthops that a
 * route repeats, and one address twice on a link or on a switched LAN.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "ytree.h"

/* An address on a layer-2 segment: the two ends of a link, or all that
 * the links of a switch reach. */
struct topo_check_net_seg {
	const struct topo_addr	*a;
	const struct topo_ns	*ns;
	const char		*ifname;
	const struct topo_ns	*lan;	/* the switch; NULL: a plain link */
	size_t			 seg;
};

static void
topo_check_net_ip(const struct topo_prefix *p, struct topo_ip *ip)
{
	ip->family = p->family;
	memcpy(ip->addr, p->addr, sizeof(ip->addr));
}

static bool
topo_check_net_same_ip(const struct topo_prefix *a,
    const struct topo_prefix *b)
{
	return a->family == b->family &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* Does P make a connected route of its own? A host makes none, and
 * every link has fe80::/64: link-local subnets always meet. */
static bool
topo_check_net_subnet(const struct topo_prefix *p)
{
	struct topo_ip	 ip;

	if (p->plen == (p->family == AF_INET ? 32 : 128))
		return false;
	topo_check_net_ip(p, &ip);
	return !topo_check_link_local(&ip);
}

/* Prefixes are nested or apart: they overlap when the wider one holds
 * the other's address. */
static bool
topo_check_net_overlap(const struct topo_prefix *a,
    const struct topo_prefix *b)
{
	const struct topo_prefix	*wide = a->plen <= b->plen ? a : b;
	struct topo_ip			 ip;

	topo_check_net_ip(wide == a ? b : a, &ip);
	return topo_prefix_contains(wide, &ip);
}

/*
 * Address K of interface I of NS against the addresses before it. Two
 * interfaces with overlapping subnets make two connected routes to one
 * place; on one interface they are secondary addresses. Pairs, in a
 * namespace where some may overlap (topo_check_net_may_overlap).
 */
static void
topo_check_net_overlap_one(struct topo_check *c, const struct topo_ns *ns,
    size_t i, size_t k)
{
	const struct topo_addr	*a = &ns->ifaces[i].addrs[k], *b;
	const struct topo_addr	*o = NULL;
	const char		*oif = NULL;
	char			 abuf[INET6_ADDRSTRLEN + 5];
	char			 obuf[INET6_ADDRSTRLEN + 5];
	size_t			 j, m, n;

	if (!topo_check_net_subnet(&a->pfx))
		return;
	for (j = 0; j <= i; j++) {
		n = j == i ? k : ns->ifaces[j].n_addrs;
		for (m = 0; m < n; m++) {
			b = &ns->ifaces[j].addrs[m];
			/* The same address: topo_check_addrs reports it. */
			if (topo_check_net_same_ip(&a->pfx, &b->pfx))
				return;
			if (o == NULL && j != i &&
			    topo_check_net_subnet(&b->pfx) &&
			    topo_check_net_overlap(&a->pfx, &b->pfx)) {
				o = b;
				oif = ns->ifaces[j].name;
			}
		}
	}
	if (o != NULL)
		topo_check_diag(c, DIAG_ERROR, a->node, "address %s on %s "
		    "overlaps %s on %s (%u:%u)", topo_prefix_str(&a->pfx,
		    abuf, sizeof(abuf)), ns->ifaces[i].name,
		    topo_prefix_str(&o->pfx, obuf, sizeof(obuf)), oif,
		    o->node->line, o->node->col);
}

/* A subnet where it starts: its address under its length. */
struct topo_check_net_start {
	int		 family;
	uint8_t		 bits[16];
	unsigned	 plen;
};

static int
topo_check_net_start_cmp(const void *a, const void *b)
{
	const struct topo_check_net_start	*x = a, *y = b;
	int					 c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if ((c = memcmp(x->bits, y->bits, sizeof(x->bits))) != 0)
		return c;
	return x->plen < y->plen ? -1 : x->plen > y->plen;
}

/*
 * May two subnets of NS overlap? Sorted by where they start, the wider
 * first where two start at one place: prefixes are nested or apart, so
 * if any two overlap, two neighbours do. Thousands of interfaces (a
 * hub's) are then checked in N log N; only a namespace where some do is
 * checked pair by pair, which finds which and whether it matters.
 */
static bool
topo_check_net_may_overlap(const struct topo_ns *ns)
{
	struct topo_check_net_start	*v;
	const struct topo_prefix	*a;
	struct topo_prefix		 p;
	size_t				 n = 0, i, k;
	bool				 overlap = false;

	for (i = 0; i < ns->n_ifaces; i++)
		n += ns->ifaces[i].n_addrs;
	if (n < 2)
		return false;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return true;
	for (n = 0, i = 0; i < ns->n_ifaces; i++)
		for (k = 0; k < ns->ifaces[i].n_addrs; k++) {
			a = &ns->ifaces[i].addrs[k].pfx;
			if (!topo_check_net_subnet(a))
				continue;
			v[n].family = a->family;
			v[n].plen = a->plen;
			memcpy(v[n].bits, a->addr, a->plen / 8);
			if (a->plen % 8)
				v[n].bits[a->plen / 8] = a->addr[a->plen / 8] &
				    (uint8_t)(0xff00u >> (a->plen % 8));
			n++;
		}
	qsort(v, n, sizeof(*v), topo_check_net_start_cmp);
	for (i = 1; i < n && !overlap; i++) {
		struct topo_ip	 ip = { .family = v[i].family };

		memcpy(ip.addr, v[i].bits, sizeof(ip.addr));
		memcpy(p.addr, v[i - 1].bits, sizeof(p.addr));
		p.family = v[i - 1].family;
		p.plen = (uint8_t)v[i - 1].plen;
		overlap = topo_prefix_contains(&p, &ip);
	}
	free(v);
	return overlap;
}

/* "via 10.0.0.2 dev eth0", as ip-route(8) writes a nexthop. */
static const char *
topo_check_net_nh_str(const struct topo_nexthop *nh, char *buf, size_t len)
{
	char	 ip[INET6_ADDRSTRLEN];

	if (!nh->has_via)
		snprintf(buf, len, "dev %s", nh->dev);
	else if (nh->dev[0] == '\0')
		snprintf(buf, len, "via %s", topo_ip_str(&nh->via, ip,
		    sizeof(ip)));
	else
		snprintf(buf, len, "via %s dev %s", topo_ip_str(&nh->via, ip,
		    sizeof(ip)), nh->dev);
	return buf;
}

static bool
topo_check_net_nh_same(const struct topo_nexthop *a,
    const struct topo_nexthop *b)
{
	if (a->has_via != b->has_via)
		return false;
	if (!a->has_via)
		return a->dev[0] != '\0' && strcmp(a->dev, b->dev) == 0;
	if (a->via.family != b->via.family ||
	    memcmp(a->via.addr, b->via.addr, sizeof(a->via.addr)) != 0)
		return false;
	/* Without `dev` the kernel takes the interface that reaches `via`:
	 * the one the other nexthop names. */
	return a->dev[0] == '\0' || b->dev[0] == '\0' ||
	    strcmp(a->dev, b->dev) == 0;
}

/* A `via` or `dev` the loader refused is missing from NH (it has its
 * error): NH would falsely match one written without it. */
static bool
topo_check_net_nh_whole(const struct topo_nexthop *nh)
{
	return (nh->has_via || ynode_get(nh->node, "via") == NULL) &&
	    (nh->dev[0] != '\0' || ynode_get(nh->node, "dev") == NULL);
}

/* The kernel refuses or merges a repeated nexthop, and the engine's diff
 * takes nexthops to be distinct. At most 16 of them: pairs. */
static void
topo_check_net_nexthops(struct topo_check *c, const struct topo_route *r)
{
	const struct topo_nexthop	*a, *b = NULL;
	char				 abuf[96], bbuf[96];
	size_t				 i, j;

	for (i = 1; i < r->n_nexthops; i++) {
		a = &r->nexthops[i];
		for (j = 0; j < i; j++) {
			b = &r->nexthops[j];
			/* Nodes are looked at only for a match. */
			if (topo_check_net_nh_same(a, b) &&
			    topo_check_net_nh_whole(a) &&
			    topo_check_net_nh_whole(b))
				break;
		}
		if (j == i)
			continue;
		/* The index in the file: a nexthop that is not a map is
		 * left out of the model. */
		if (strcmp(a->dev, b->dev) == 0)
			topo_check_diag(c, DIAG_ERROR, a->node, "nexthop %s "
			    "repeats nexthops[%zu] (%u:%u)",
			    topo_check_net_nh_str(a, abuf, sizeof(abuf)),
			    ynode_index(b->node), b->node->line, b->node->col);
		else
			topo_check_diag(c, DIAG_ERROR, a->node, "nexthop %s "
			    "repeats nexthops[%zu], %s (%u:%u)",
			    topo_check_net_nh_str(a, abuf, sizeof(abuf)),
			    ynode_index(b->node), topo_check_net_nh_str(b, bbuf,
			    sizeof(bbuf)), b->node->line, b->node->col);
	}
}

static size_t
topo_check_net_root(size_t *up, size_t i)
{
	/* Path halving keeps the trees flat. */
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

/*
 * The segments, as a union-find forest UP: link L is L, switch namespace
 * S is n_links + S. The links of a switch are one segment, and so are
 * switches that a link joins. NULL: out of memory.
 */
static size_t *
topo_check_net_segments(const struct topo *t)
{
	const struct topo_ns	*ns;
	size_t			*up, i, e, a, b, n = t->n_links + t->n_ns;

	if ((up = calloc(n + 1, sizeof(*up))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		up[i] = i;
	for (i = 0; i < t->n_links; i++)
		for (e = 0; e < 2; e++) {
			ns = t->links[i].ep[e].ns;
			if (ns == NULL || ns->kind != TOPO_NS_SWITCH)
				continue;
			a = topo_check_net_root(up, i);
			b = topo_check_net_root(up,
			    t->n_links + (size_t)(ns - t->ns));
			up[a] = b;
		}
	return up;
}

/* The addresses of IFC, at V[N] on; V NULL: only count them. */
static size_t
topo_check_net_add(struct topo_check_net_seg *v, size_t n,
    const struct topo_ns *ns, const struct topo_iface *ifc,
    const struct topo_ns *lan, size_t seg)
{
	size_t	 k;

	for (k = 0; k < ifc->n_addrs; k++, n++)
		if (v != NULL) {
			v[n].a = &ifc->addrs[k];
			v[n].ns = ns;
			v[n].ifname = ifc->name;
			v[n].lan = lan;
			v[n].seg = seg;
		}
	return n;
}

/* Every address on a segment into V, in namespace order: the order of
 * the file. V NULL: only count them. */
static size_t
topo_check_net_collect(const struct topo *t, size_t *up,
    struct topo_check_net_seg *v)
{
	const struct topo_ns	*ns, *peer;
	const struct topo_iface	*ifc;
	const struct topo_link	*l;
	size_t			 i, k, end, n = 0;

	for (i = 0; i < t->n_ns; i++) {
		ns = &t->ns[i];
		/* A switch's own addresses, if any, are on its LAN. */
		if (ns->kind == TOPO_NS_SWITCH) {
			for (k = 0; k < ns->n_ifaces; k++)
				n = topo_check_net_add(v, n, ns, &ns->ifaces[k],
				    ns, topo_check_net_root(up, t->n_links + i));
			continue;
		}
		for (k = 0; k < ns->n_link_ends; k++) {
			end = ns->link_ends[k];
			l = &t->links[end / 2];
			/* (a namespace's ends are its own) */
			if ((ifc = topo_ep_iface(&l->ep[end % 2])) == NULL)
				continue;
			peer = l->ep[1 - end % 2].ns;
			if (peer != NULL && peer->kind != TOPO_NS_SWITCH)
				peer = NULL;
			n = topo_check_net_add(v, n, ns, ifc, peer,
			    topo_check_net_root(up, end / 2));
		}
	}
	return n;
}

static int
topo_check_net_seg_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo_check_net_seg	*v = arg;
	const struct topo_prefix	*a = &v[i].a->pfx, *b = &v[j].a->pfx;

	if (v[i].seg != v[j].seg)
		return v[i].seg < v[j].seg ? -1 : 1;
	/* The address alone: 10.0.0.1/24 and 10.0.0.1/30 answer one ARP. */
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static void
topo_check_net_seg_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo_check_net_seg	*v = arg;
	const struct topo_check_net_seg	*a = &v[i], *f = &v[first];
	char				 buf[INET6_ADDRSTRLEN];

	/* In one namespace it is topo_check_addrs's error already. */
	if (a->ns == f->ns)
		return;
	inet_ntop(a->a->pfx.family, a->a->pfx.addr, buf, sizeof(buf));
	/* A segment is one plain link, or links that meet at switches:
	 * A and F are on the same kind. */
	if (f->lan == NULL)
		topo_check_diag(c, DIAG_WARNING, a->a->node, "address %s is "
		    "also on %s:%s, on the same link (%u:%u)", buf,
		    f->ns->node_name, f->ifname, f->a->node->line,
		    f->a->node->col);
	else
		topo_check_diag(c, DIAG_WARNING, a->a->node, "address %s is "
		    "also on %s:%s, on the same LAN %s (%u:%u)", buf,
		    f->ns->node_name, f->ifname, f->lan->node_name,
		    f->a->node->line, f->a->node->col);
}

/* Only a warning: the lab comes up, but two hosts answer one ARP (or
 * IPv6 DAD fails). Different segments may reuse addresses freely. */
static void
topo_check_net_lans(struct topo_check *c)
{
	const struct topo		*t = c->t;
	struct topo_check_net_seg	*v = NULL;
	size_t				*up, n = 0;

	if ((up = topo_check_net_segments(t)) != NULL)
		n = topo_check_net_collect(t, up, NULL);
	if (up == NULL || (n > 0 && (v = calloc(n, sizeof(*v))) == NULL)) {
		free(up);
		diag_add(c->dl, DIAG_ERROR, t->file, 0, 0, "",
		    "out of memory while checking");
		return;
	}
	if (n > 0) {
		topo_check_net_collect(t, up, v);
		topo_check_dups(c, n, topo_check_net_seg_cmp, v,
		    topo_check_net_seg_dup);
	}
	free(v);
	free(up);
}

void
topo_check_net(struct topo_check *c)
{
	const struct topo	*t = c->t;
	const struct topo_ns	*ns;
	size_t			 i, j, k;

	for (i = 0; i < t->n_ns; i++) {
		ns = &t->ns[i];
		if (topo_check_net_may_overlap(ns))
			for (j = 0; j < ns->n_ifaces; j++)
				for (k = 0; k < ns->ifaces[j].n_addrs; k++)
					topo_check_net_overlap_one(c, ns, j, k);
		for (j = 0; j < ns->n_routes; j++)
			topo_check_net_nexthops(c, &ns->routes[j]);
	}
	topo_check_net_lans(c);
}
