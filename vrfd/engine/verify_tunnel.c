/*
 * verify_tunnel: the links between hosts, probed from this host's ends
 * (verify.h), and what the probes found, kept for status (tunnel.h).
 *
 * A probe goes across the link itself: from an address of this end's
 * interface to an address on the far side that is on the same subnet,
 * so that the kernel sends it out of this very link. Where an end is a
 * switch's port, that side is the nodes on the switch's LAN: on this
 * host's side, those of this host, whose packets the switch sends out of
 * its port to the far side. IPv4 is tried first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "tunnel.h"
#include "verify_priv.h"

/* An interface of the lab at one side of a link between hosts: a node's
 * end of a link, never a switch's port (it has no address). */
struct verify_side {
	const struct topo_ns	*ns;
	const struct topo_iface	*ifc;
};

#define VERIFY_SIDE_MAX		64

/* The interfaces at end E of L: its own, or where it is a switch's port,
 * those of the nodes on the switch's LAN (but L), of this host's alone
 * when HERE. N of them into V. */
static size_t
verify_tunnel_side(const struct topo *t, const struct topo_link *l, int e,
    bool here, struct verify_side *v)
{
	const struct topo_endpoint	*ep = &l->ep[e];
	size_t				 n = 0;

	if (ep->ns->kind != TOPO_NS_SWITCH) {
		v[0].ns = ep->ns;
		v[0].ifc = topo_ep_iface(ep);
		return v[0].ifc != NULL;
	}
	for (size_t k = 0; k < ep->ns->n_link_ends && n < VERIFY_SIDE_MAX;
	    k++) {
		size_t				 end = ep->ns->link_ends[k];
		const struct topo_link		*o = &t->links[end / 2];
		const struct topo_endpoint	*oe = &o->ep[!(end % 2)];

		if (o == l || oe->ns == NULL || oe->ns->kind ==
		    TOPO_NS_SWITCH || (here && oe->ns->remote))
			continue;
		v[n].ns = oe->ns;
		if ((v[n].ifc = topo_ep_iface(oe)) != NULL)
			n++;
	}
	return n;
}

/* An address of NEAR and one of FAR, of FAMILY, on one subnet of NEAR's:
 * into P's source and destination. */
static bool
verify_tunnel_pair(const struct verify_side *near,
    const struct verify_side *far, int family, struct probe *p)
{
	for (size_t i = 0; i < near->ifc->n_addrs; i++) {
		const struct topo_prefix *a = &near->ifc->addrs[i].pfx;

		if (a->family != family)
			continue;
		for (size_t k = 0; k < far->ifc->n_addrs; k++) {
			const struct topo_prefix *b = &far->ifc->addrs[k].pfx;
			struct topo_ip		  ip = { .family = family };

			if (b->family != family)
				continue;
			memcpy(ip.addr, b->addr, sizeof(ip.addr));
			if (!topo_prefix_contains(a, &ip) ||
			    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0)
				continue;
			p->src.family = family;
			memcpy(p->src.addr, a->addr, sizeof(p->src.addr));
			p->dst = ip;
			snprintf(p->ns, sizeof(p->ns), "%s", near->ns->name);
			return true;
		}
	}
	return false;
}

/* The probe of TU: from this host's side of the link to the far side,
 * IPv4 first. */
static void
verify_tunnel_aim(const struct topo *t, struct verify_tunnel *tu)
{
	const struct topo_link		*l = tu->link;
	const struct topo_endpoint	*me = &l->ep[tu->end];
	static const int		 families[] = { AF_INET, AF_INET6 };
	struct verify_side		 near[VERIFY_SIDE_MAX];
	struct verify_side		 far[VERIFY_SIDE_MAX];
	size_t				 n_near, n_far;

	if (topo_end_down(t, 2 * (size_t)(l - t->links) + (size_t)tu->end,
	    true)) {
		snprintf(tu->why, sizeof(tu->why), "not probed: it is down, "
		    "as set");
		return;
	}
	n_near = verify_tunnel_side(t, l, tu->end, true, near);
	n_far = verify_tunnel_side(t, l, !tu->end, false, far);
	for (size_t f = 0; f < 2 && !tu->probed; f++)
		for (size_t i = 0; i < n_near && !tu->probed; i++)
			for (size_t k = 0; k < n_far && !tu->probed; k++)
				tu->probed = verify_tunnel_pair(&near[i],
				    &far[k], families[f], &tu->probe);
	if (!tu->probed) {
		snprintf(tu->why, sizeof(tu->why), "not probed: no address "
		    "on this side of %s:%s shares a subnet with one on its far "
		    "side", me->node, me->ifname);
		return;
	}
	tu->probe.proto = TOPO_PROBE_ICMP;
}

int
verify_tunnels(const struct topo *t, struct verify *v)
{
	size_t	 n = 0;

	for (size_t i = 0; i < t->n_links; i++)
		for (int e = 0; e < 2; e++)
			n += topo_link_cross(t, &t->links[i]) &&
			    !t->links[i].ep[e].ns->remote;
	if (n == 0)
		return 0;
	if ((v->tunnels = calloc(n, sizeof(*v->tunnels))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_links; i++)
		for (int e = 0; e < 2; e++) {
			struct verify_tunnel	*tu;

			if (!topo_link_cross(t, &t->links[i]) ||
			    t->links[i].ep[e].ns->remote)
				continue;
			tu = &v->tunnels[v->n_tunnels++];
			tu->link = &t->links[i];
			tu->end = e;
			snprintf(tu->far_host, sizeof(tu->far_host), "%s",
			    t->hosts[t->links[i].ep[!e].ns->host].name);
			verify_tunnel_aim(t, tu);
			v->n_tunnels_probed += tu->probed;
		}
	return 0;
}

int
verify_keep(const struct topo *t, const struct verify *v)
{
	struct tunnel_probe	*kept;
	struct timespec		 now;
	int			 rv;

	if (v->n_tunnels == 0)
		return 0;
	if ((kept = calloc(v->n_tunnels, sizeof(*kept))) == NULL)
		return -ENOMEM;
	clock_gettime(CLOCK_REALTIME, &now);
	for (size_t i = 0; i < v->n_tunnels; i++) {
		const struct verify_tunnel	*tu = &v->tunnels[i];
		const struct topo_endpoint	*me = &tu->link->ep[tu->end];

		snprintf(kept[i].node, sizeof(kept[i].node), "%s",
		    me->ns->node_name);
		snprintf(kept[i].ifname, sizeof(kept[i].ifname), "%s",
		    me->ifname);
		kept[i].vni = tu->link->vni;
		kept[i].time = (double)now.tv_sec + now.tv_nsec / 1e9;
		snprintf(kept[i].result, sizeof(kept[i].result), "%s",
		    tu->probed ? probe_result_str(tu->probe.result) :
		    "not-probed");
		kept[i].rtt_ms = tu->probed ? tu->probe.rtt_ms : 0;
	}
	rv = tunnel_save(t->lab, kept, v->n_tunnels);
	free(kept);
	return rv;
}
