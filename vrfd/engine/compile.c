/*
 * compile: the kernel state one namespace should have, from the topology.
 *
 * This is where the file's meaning becomes kernel objects: defaults the
 * kernel would pick differently are made explicit here (MTU 1500, a stable
 * MAC per interface, IPv6 metric 1024), so that what compile produces and
 * what observe reads back compare equal once the namespace converged.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "kernel/own.h"
#include "pass.h"
#include "topo/topo.h"
#include "util/netidx.h"
#include "util/strcopy.h"

#define COMPILE_IPV6_METRIC	1024	/* what the kernel stores for "none" */

/*
 * A MAC that stays the same for the same namespace and interface, so that
 * a lab rebuilt (or repaired) looks the same to ARP caches and students.
 * FNV-1a over the names; locally administered, unicast.
 */
static void
compile_stable_mac(const char *nsname, const char *ifname, uint8_t mac[6])
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	const char	*p;

	for (p = nsname; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ULL;
	h = (h ^ '/') * 0x100000001b3ULL;
	for (p = ifname; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ULL;
	mac[0] = 0x02;
	for (int i = 1; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * (i - 1)));
}

/*
 * End E of a link between hosts: a VXLAN link from this end's host to the
 * far one's, on the link's VNI. No learning: the far end is the one
 * remote, and nothing else may be. The MAC stays the stable one, as a
 * veth's would be.
 */
static void
compile_vxlan(const struct topo *topo, const struct topo_link *tl, int e,
    struct ks_link *l)
{
	const struct topo_host	*me = topo_ns_host(topo, tl->ep[e].ns);
	const struct topo_host	*far = topo_ns_host(topo, tl->ep[!e].ns);

	l->kind = KS_LINK_VXLAN;
	l->primary = true;
	l->peer_ns[0] = l->peer_name[0] = '\0';	/* not here to pair */
	l->vxlan.vni = tl->vni;
	l->vxlan.family = me->underlay.family;
	memcpy(l->vxlan.local, me->underlay.addr, 16);
	memcpy(l->vxlan.remote, far->underlay.addr, 16);
	l->vxlan.port = TOPO_VXLAN_PORT;
	l->vxlan.learning = false;
	str_copy(l->far_host, sizeof(l->far_host), far->name);
	snprintf(l->far_node, sizeof(l->far_node), "%s:%s", tl->ep[!e].node,
	    tl->ep[!e].ifname);
}

static int
compile_links(const struct topo *topo, const struct topo_ns *tns,
    struct ks_ns *want)
{
	struct ks_link	*l;

	if ((l = ks_link_add(want)) == NULL)
		return -errno;
	strcpy(l->name, "lo");
	l->kind = KS_LINK_LO;
	l->up = true;
	/* Its alias, the namespace's mark, once the rest is compiled
	 * (compile_mark). */

	if (tns->kind == TOPO_NS_SWITCH) {
		if ((l = ks_link_add(want)) == NULL)
			return -errno;
		strcpy(l->name, TOPO_SWITCH_BRIDGE);
		l->kind = KS_LINK_BRIDGE;
		l->up = true;
		l->has_mac = true;
		compile_stable_mac(tns->name, l->name, l->mac);
		own_link_mark(l->alias, sizeof(l->alias), topo->lab);
	}

	for (size_t k = 0; k < tns->n_link_ends; k++) {
		size_t			    end = tns->link_ends[k];
		const struct topo_link	   *tl = &topo->links[end / 2];
		int			    e = (int)(end % 2);
		const struct topo_endpoint *me = &tl->ep[e];
		const struct topo_endpoint *far = &tl->ep[!e];
		const struct topo_iface	   *ifc;

		if (me->ns != tns || far->ns == NULL)
			continue;
		if ((l = ks_link_add(want)) == NULL)
			return -errno;
		str_copy(l->name, sizeof(l->name), me->ifname);
		l->kind = KS_LINK_VETH;
		l->up = !topo_end_down(topo, end, true);
		l->primary = (e == 0);
		str_copy(l->peer_ns, sizeof(l->peer_ns), far->ns->name);
		str_copy(l->peer_name, sizeof(l->peer_name), far->ifname);
		if (topo_link_cross(topo, tl))
			compile_vxlan(topo, tl, e, l);
		ifc = topo_ep_iface(me);
		l->mtu = topo_end_mtu(tl, e);
		l->has_mac = true;
		if (ifc && ifc->has_mac)
			memcpy(l->mac, ifc->mac, 6);
		else
			compile_stable_mac(tns->name, l->name, l->mac);
		if (tns->kind == TOPO_NS_SWITCH)
			strcpy(l->master, TOPO_SWITCH_BRIDGE);
		own_link_mark(l->alias, sizeof(l->alias), topo->lab);
	}
	(void)ks_ns_index_links(want);	/* without memory: lookups walk */
	return 0;
}

static int
compile_addrs(const struct topo_ns *tns, struct ks_ns *want)
{
	for (size_t i = 0; i < tns->n_ifaces; i++) {
		const struct topo_iface	*ifc = &tns->ifaces[i];

		for (size_t j = 0; j < ifc->n_addrs; j++) {
			const struct topo_prefix *p = &ifc->addrs[j].pfx;
			struct ks_addr		 *a;

			if ((a = ks_addr_add(want)) == NULL)
				return -errno;
			a->family = p->family;
			memcpy(a->addr, p->addr, sizeof(a->addr));
			a->plen = p->plen;
			str_copy(a->dev, sizeof(a->dev), ifc->name);
			a->proto = VRFD_PROTO;
			a->scope = RT_SCOPE_UNIVERSE;
		}
	}
	return 0;
}

static uint8_t
compile_route_type(enum topo_route_type t)
{
	switch (t) {
	case TOPO_RT_BLACKHOLE:
		return RTN_BLACKHOLE;
	case TOPO_RT_UNREACHABLE:
		return RTN_UNREACHABLE;
	case TOPO_RT_PROHIBIT:
		return RTN_PROHIBIT;
	case TOPO_RT_UNICAST:
		break;
	}
	return RTN_UNICAST;
}

/*
 * The addresses of a namespace's links by subnet, asked for each gateway
 * of its routes (a hub has thousands of both). WANT has its links and
 * addresses already.
 */
struct compile_subnets {
	struct netidx		 nets;	/* positions in want->addrs */
	const struct ks_ns	*want;
};

static int
compile_subnets_init(struct compile_subnets *sn, const struct ks_ns *want)
{
	netidx_init(&sn->nets);
	sn->want = want;
	for (size_t i = 0; i < want->n_addrs; i++) {
		const struct ks_addr	*a = &want->addrs[i];

		if (ks_link_by_name(want, a->dev) != NULL &&
		    netidx_add(&sn->nets, a->family, a->addr, a->plen, i) ==
		    -ENOMEM)
			return -ENOMEM;
	}
	return 0;
}

/* The link of the first address whose subnet holds IP, or NULL. */
static const struct ks_link *
compile_subnets_link(const struct compile_subnets *sn,
    const struct topo_ip *ip)
{
	ssize_t	 k = netidx_holder(&sn->nets, ip->family, ip->addr);

	return k < 0 ? NULL : ks_link_by_name(sn->want, sn->want->addrs[k].dev);
}

/*
 * Does nexthop TN go out of an interface that is down: its device, or
 * the one whose declared subnet holds its gateway? The kernel drops such
 * routes when the link goes down and refuses to add them ("Nexthop has
 * invalid gateway"), and of a multipath route keeps the others: the
 * route is held down with its link, or goes by its other nexthops.
 */
static bool
compile_nh_down(const struct compile_subnets *sn,
    const struct topo_nexthop *tn)
{
	const struct ks_link	*l;

	if (tn->dev[0])
		return (l = ks_link_by_name(sn->want, tn->dev)) != NULL &&
		    !l->up;
	return tn->has_via && (l = compile_subnets_link(sn, &tn->via)) !=
	    NULL && !l->up;
}

static int
compile_routes(const struct topo_ns *tns, struct ks_ns *want)
{
	struct compile_subnets	 sn;
	int			 rv = -ENOMEM;

	if (compile_subnets_init(&sn, want) < 0)
		goto out;
	for (size_t i = 0; i < tns->n_routes; i++) {
		const struct topo_route	*tr = &tns->routes[i];
		struct ks_route		*r;
		bool			 gateway = false;

		if ((r = ks_route_add(want)) == NULL)
			goto out;
		r->family = tr->to.family;
		memcpy(r->dst, tr->to.addr, sizeof(r->dst));
		r->dst_len = tr->to.plen;
		r->type = compile_route_type(tr->type);
		r->protocol = VRFD_PROTO;
		r->table = RT_TABLE_MAIN;
		r->priority = tr->metric;
		if (r->family == AF_INET6 && r->priority == 0)
			r->priority = COMPILE_IPV6_METRIC;
		for (size_t j = 0; j < tr->n_nexthops &&
		    j < KS_MAX_NEXTHOPS; j++) {
			const struct topo_nexthop *tn = &tr->nexthops[j];
			struct ks_nexthop	  *nh;

			if (compile_nh_down(&sn, tn))
				continue;
			if ((nh = ks_route_nh_add(r)) == NULL)
				goto out;
			nh->has_gw = tn->has_via;
			if (tn->has_via) {
				nh->gw_family = (uint8_t)tn->via.family;
				memcpy(nh->gw, tn->via.addr, sizeof(nh->gw));
				gateway = true;
			}
			str_copy(nh->dev, sizeof(nh->dev), tn->dev);
			nh->weight = (uint16_t)(tn->weight ? tn->weight : 1);
		}
		/* Every way out is down: held down with its links. */
		if (r->type == RTN_UNICAST && tr->n_nexthops > 0 &&
		    r->n_nh == 0) {
			ks_route_drop(want);
			continue;
		}
		/* The kernel keeps no weight for a route of one nexthop. */
		if (r->n_nh == 1)
			ks_nh(r, 0)->weight = 1;
		r->scope = r->type == RTN_UNICAST && !gateway ?
		    RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	}
	rv = 0;
out:
	netidx_free(&sn.nets);
	return rv;
}

static int
compile_neighs(const struct topo_ns *tns, struct ks_ns *want)
{
	for (size_t i = 0; i < tns->n_neighs; i++) {
		const struct topo_neigh	*tn = &tns->neighs[i];
		struct ks_neigh		*n;

		if ((n = ks_neigh_add(want)) == NULL)
			return -errno;
		n->family = tn->ip.family;
		memcpy(n->ip, tn->ip.addr, sizeof(n->ip));
		n->has_lladdr = true;
		memcpy(n->lladdr, tn->lladdr, 6);
		str_copy(n->dev, sizeof(n->dev), tn->dev);
		n->state = NUD_PERMANENT;
		n->proto = VRFD_PROTO;
	}
	return 0;
}

static int
compile_sysctl_put(struct ks_ns *want, const char *key, const char *value,
    bool create_only)
{
	struct ks_sysctl	*s;

	for (size_t i = 0; i < want->n_sysctls; i++)
		if (strcmp(want->sysctls[i].key, key) == 0)
			return 0;	/* declared: the file wins */
	if ((s = ks_sysctl_add(want)) == NULL)
		return -errno;
	str_copy(s->key, sizeof(s->key), key);
	str_copy(s->value, sizeof(s->value), value);
	s->create_only = create_only;
	return 0;
}

static int
compile_sysctls(const struct topo_ns *tns, struct ks_ns *want)
{
	int	 rv;

	for (size_t i = 0; i < tns->n_sysctls; i++)
		if ((rv = compile_sysctl_put(want, tns->sysctls[i].key,
		    tns->sysctls[i].value, false)) < 0)
			return rv;
	/*
	 * IPv6 usable the moment apply returns: IFA_F_NODAD covers only our
	 * addresses, not the kernel's link-local, from which a router sends
	 * its neighbour solicitations. DAD is skipped only when both "all"
	 * and the interface's value are 0, and the interface inherits
	 * "default" when it is made, so both go before any link exists.
	 * They matter only then: set on a new namespace, never re-read
	 * (a /proc/sys read costs more the more namespaces exist).
	 */
	if ((rv = compile_sysctl_put(want, "net.ipv6.conf.all.accept_dad",
	    "0", true)) < 0)
		return rv;
	return compile_sysctl_put(want, "net.ipv6.conf.default.accept_dad",
	    "0", true);
}

/* The namespace's mark, holding the kinds of object it declares (own.h):
 * made with it, and the loopback's alias. */
static void
compile_mark(const struct topo *topo, const struct topo_ns *tns,
    struct ks_ns *want)
{
	struct ks_link	*lo = ks_link_by_name(want, "lo");
	unsigned	 holds = want->n_neighs ? OWN_HOLDS_NEIGH : 0;

	for (size_t i = 0; i < want->n_addrs; i++)
		holds |= own_family_kind(want->addrs[i].family);
	for (size_t i = 0; i < want->n_routes; i++)
		holds |= own_family_kind(want->routes[i].family);
	(void)own_ns_mark(want->lo_alias, sizeof(want->lo_alias), topo->lab,
	    tns->node_name, holds, NULL);
	if (lo != NULL)
		snprintf(lo->alias, sizeof(lo->alias), "%s", want->lo_alias);
}

int
compile_ns(const struct topo *topo, const struct topo_ns *tns,
    struct ks_ns *want)
{
	int	 rv;

	str_copy(want->name, sizeof(want->name), tns->name);
	if ((rv = compile_links(topo, tns, want)) < 0 ||
	    (rv = compile_addrs(tns, want)) < 0 ||
	    (rv = compile_routes(tns, want)) < 0 ||
	    (rv = compile_neighs(tns, want)) < 0 ||
	    (rv = compile_sysctls(tns, want)) < 0 ||
	    (rv = compile_qdisc_ns(topo, tns, want)) < 0)
		return rv;
	compile_mark(topo, tns, want);
	return 0;
}
