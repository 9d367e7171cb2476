/*
 * trace_lab: the lab's namespaces as a trace sees them, and how a packet
 * crosses from one to the next: a veth to its peer (found by the id the
 * namespace gives its peer, IFLA_LINK_NETNSID), a bridge to the port whose
 * namespace answers for the nexthop (see trace_priv.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>


#include "kernel/lookup.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"
#include "kernel/nsid.h"
#include "observe.h"
#include "trace_priv.h"

#define TRACE_SEGMENT_MAX	64	/* switches crossed for one hop */

/* Open lab namespace I and read its links and addresses. 0 or -errno. */
int
trace_ns_load(struct trace_run *tr, size_t i)
{
	struct trace_ns		*n = &tr->ns[i];
	int			 rc;

	if (n->loaded)
		return 0;
	if (n->fd < 0 && (n->fd = netns_open(n->tns->name)) < 0) {
		rc = n->fd;
		n->fd = -1;
		return rc;
	}
	if (n->sock == NULL && (n->sock = nl_open(n->fd)) == NULL)
		return -errno;
	if ((rc = observe_links_addrs(n->sock, &n->ks)) < 0)
		return rc;
	n->loaded = true;
	return 0;
}

/*
 * Which lab namespace the veth L of namespace I leads to: the one whose id,
 * as I's namespace numbers it, is L's IFLA_LINK_NETNSID. The file's link is
 * asked first; a lab rewired by hand is still followed. -1 if none.
 */
ssize_t
trace_peer_ns(struct trace_run *tr, size_t i, const struct ks_link *l)
{
	const struct topo	*t = tr->req->topo;
	const struct topo_ns	*tns = tr->ns[i].tns;
	const struct topo_link	*tl;
	ssize_t			 cand = -1;
	size_t			 k, j;
	int			 id;

	if (l->kind != KS_LINK_VETH || l->peer_nsid < 0)
		return -1;
	for (k = 0; k < tns->n_link_ends && cand < 0; k++) {
		tl = &t->links[tns->link_ends[k] / 2];
		j = tns->link_ends[k] % 2;
		if (strcmp(tl->ep[j].ifname, l->name) == 0 &&
		    tl->ep[1 - j].ns != NULL)
			cand = tl->ep[1 - j].ns - t->ns;
	}
	for (k = 0; k <= tr->n_ns; k++) {
		/* The candidate first, then every namespace in order. */
		if (k == 0 && cand < 0)
			continue;
		j = k == 0 ? (size_t)cand : k - 1;
		if (tr->ns[j].fd < 0 &&
		    (tr->ns[j].fd = netns_open(tr->ns[j].tns->name)) < 0) {
			tr->ns[j].fd = -1;
			continue;
		}
		if (nsid_get(tr->ns[i].sock, tr->ns[j].fd, -1, &id) == 0 &&
		    id == l->peer_nsid)
			return (ssize_t)j;
	}
	return -1;
}

const struct ks_link *
trace_link(const struct trace_ns *n, int ifindex)
{
	return ks_link_by_index(&n->ks, ifindex);
}

/* Is IP this namespace's own? RTN_LOCAL for the kernel. */
bool
trace_is_local(struct trace_ns *n, int family, const uint8_t *ip)
{
	struct lookup_flow	 f = { .family = family };
	struct lookup_result	 res;
	bool			 local;

	memcpy(f.dst, ip, trace_alen(family));
	local = lookup_route(n->sock, &f, false, &res, NULL, 0) == 0 &&
	    res.route.type == RTN_LOCAL;
	ks_route_clear(&res.route);
	return local;
}

/*
 * Does namespace N answer for IP arriving on its link L? IPv4: any of its
 * own addresses (arp_ignore 0, the default, answers for all of them).
 * IPv6: neighbour discovery answers only for the receiving interface's.
 */
static bool
trace_answers(struct trace_ns *n, const struct ks_link *l, int family,
    const uint8_t *ip)
{
	size_t	 i;

	if (family == AF_INET)
		return trace_is_local(n, family, ip);
	for (i = 0; i < n->ks.n_addrs; i++)
		if (n->ks.addrs[i].family == family &&
		    n->ks.addrs[i].ifindex == l->ifindex &&
		    memcmp(n->ks.addrs[i].addr, ip, 16) == 0)
			return true;
	return false;
}

int
trace_stop_cross(struct trace_run *tr, size_t i, const struct ks_link *l)
{
	const struct topo	*t = tr->req->topo;
	const struct topo_ns	*tns = tr->ns[i].tns;
	struct trace		*out = tr->out;
	const struct topo_link	*tl;
	const struct topo_endpoint *far;
	ssize_t			 end;

	if ((end = topo_ns_link_end(t, tns, l->name)) < 0 ||
	    !topo_link_cross(t, (tl = &t->links[end / 2]))) {
		out->result = TRACE_LEFT_LAB;
		snprintf(out->why, sizeof(out->why), "%s: %s leads out of the "
		    "lab", tns->node_name, l->name);
		return 1;
	}
	far = &tl->ep[!(end % 2)];
	out->result = TRACE_CROSS_HOST;
	snprintf(out->cross_host, sizeof(out->cross_host), "%s",
	    t->hosts[far->ns->host].name);
	snprintf(out->cross_node, sizeof(out->cross_node), "%s",
	    far->ns->node_name);
	snprintf(out->cross_if, sizeof(out->cross_if), "%s", far->ifname);
	out->cross_vni = tl->vni;
	snprintf(out->why, sizeof(out->why), "%s: %s leads to host %s, "
	    "%s:%s (vni %u): vrfctl trace there follows it", tns->node_name,
	    l->name, out->cross_host, out->cross_node, out->cross_if, tl->vni);
	return 1;
}

/*
 * The packet leaves namespace I through L towards nexthop NH (or the MAC
 * of a static neighbour entry). Through a veth it arrives at the peer; at
 * a bridge it is switched, possibly across several switches, to the port
 * whose namespace answers for NH. Each switch crossed is a hop.
 */
int
trace_cross(struct trace_run *tr, size_t i, const struct ks_link *l,
    const uint8_t *nh, const uint8_t *mac, struct trace_arrival *arr)
{
	struct {
		size_t			 ns;		/* a switch */
		const struct ks_link	*in;		/* its port entered */
		const struct ks_link	*out;		/* ... and left by,
							   towards the next */
		size_t			 parent;
	} q[TRACE_SEGMENT_MAX];
	size_t			 qh = 0, qt = 0, chain[TRACE_SEGMENT_MAX];
	size_t			 n_chain, s, k, m, xq = 0;
	const struct ks_link	*pl, *port, *far, *xport = NULL;
	struct trace_hop	*h;
	ssize_t			 p;
	int			 rc, family = tr->out->family;

	arr->ns = -1;
	arr->link = NULL;
	arr->cross = NULL;
	if ((p = trace_peer_ns(tr, i, l)) < 0)
		return 0;
	if ((rc = trace_ns_load(tr, (size_t)p)) < 0)
		return rc;
	if ((pl = trace_link(&tr->ns[p], l->peer_ifindex)) == NULL)
		return 0;
	if (pl->master_ifindex == 0) {
		if (mac != NULL ? memcmp(pl->mac, mac, 6) == 0 :
		    trace_answers(&tr->ns[p], pl, family, nh)) {
			arr->ns = p;
			arr->link = pl;
		}
		return 0;
	}
	/* A bridge: breadth first over the switches of the segment. */
	q[qt].ns = (size_t)p;
	q[qt].in = pl;
	q[qt++].parent = 0;
	while (qh < qt) {
		s = q[qh].ns;
		pl = q[qh].in;
		for (k = 0; k < tr->ns[s].ks.n_links; k++) {
			port = &tr->ns[s].ks.links[k];
			if (port == pl || port->master_ifindex !=
			    pl->master_ifindex || !port->up)
				continue;
			/* A port to another host: the way on if nothing
			 * here answers. */
			if (port->kind == KS_LINK_VXLAN) {
				if (xport == NULL) {
					xport = port;
					xq = qh;
				}
				continue;
			}
			if ((p = trace_peer_ns(tr, s, port)) < 0 ||
			    trace_ns_load(tr, (size_t)p) < 0 ||
			    (far = trace_link(&tr->ns[p],
			    port->peer_ifindex)) == NULL)
				continue;
			if (far->master_ifindex != 0) {
				for (m = 0; m < qt; m++)
					if (q[m].ns == (size_t)p)
						break;
				if (m == qt && qt < TRACE_SEGMENT_MAX) {
					q[qt].ns = (size_t)p;
					q[qt].in = far;
					q[qt].out = port;
					q[qt++].parent = qh;
				}
				continue;
			}
			if (mac != NULL ? memcmp(far->mac, mac, 6) != 0 :
			    !trace_answers(&tr->ns[p], far, family, nh))
				continue;
			/* Found: each switch on the way is a hop, with the
			 * port it entered and the one it left by. */
			n_chain = 0;
			for (m = qh; ; m = q[m].parent) {
				chain[n_chain++] = m;
				if (m == 0)
					break;
			}
			while (n_chain > 0) {
				m = chain[--n_chain];
				if ((h = trace_hop_new(tr, q[m].ns,
				    q[m].in->name)) == NULL)
					return -ENOMEM;
				snprintf(h->egress, sizeof(h->egress), "%s",
				    n_chain > 0 ? q[chain[n_chain - 1]].out->name
				    : port->name);
			}
			arr->ns = p;
			arr->link = far;
			return 0;
		}
		qh++;
	}
	if (xport == NULL)
		return 0;
	/* Nobody here: the switches up to the one with the port to
	 * another host are hops, and it leaves there. */
	n_chain = 0;
	for (m = xq; ; m = q[m].parent) {
		chain[n_chain++] = m;
		if (m == 0)
			break;
	}
	while (n_chain > 0) {
		m = chain[--n_chain];
		if ((h = trace_hop_new(tr, q[m].ns, q[m].in->name)) == NULL)
			return -ENOMEM;
		snprintf(h->egress, sizeof(h->egress), "%s", n_chain > 0 ?
		    q[chain[n_chain - 1]].out->name : xport->name);
	}
	arr->cross = xport;
	arr->cross_ns = q[xq].ns;
	return 0;
}
