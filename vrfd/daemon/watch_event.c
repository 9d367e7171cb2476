/*
 * watch_event: kernel events decoded by the kernel layer's own parsers
 * (the ones that read dumps), their devices named from a small table of
 * each namespace's links, and put into words ("link eth0 mtu 1500 ->
 * 1400", "route 10.8.0.0/16 deleted").
 *
 * The link table also tells a link event that changes what vrfd sets on
 * a link (name, up, MTU, address, master, alias, group) from carrier and
 * operstate noise, which comes with every change of the other end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "kernel/kdigest.h"
#include "kernel/nl.h"
#include "kernel/nsid.h"
#include "kernel/own.h"
#include "kernel/rtproto.h"
#include "log.h"
#include "watch_event.h"

/* ---- the link table --------------------------------------------------- */

static uint64_t
watch_ifindex_hash(int ifindex)
{
	return keyidx_hash(&ifindex, sizeof(ifindex));
}

static uint64_t
watch_link_hash_at(const struct keyidx *x, size_t i)
{
	const struct watch_ns	*wn = KEYIDX_OWNER(x, const struct watch_ns,
				    by_ifindex);

	return watch_ifindex_hash(wn->links[i].ifindex);
}

static bool
watch_link_is(const struct keyidx *x, size_t i, const void *key)
{
	const struct watch_ns	*wn = KEYIDX_OWNER(x, const struct watch_ns,
				    by_ifindex);

	return wn->links[i].ifindex == *(const int *)key;
}

/* WN's index of its links, at its place now (the table of namespaces
 * moves them). */
static struct keyidx *
watch_link_index(struct watch_ns *wn)
{
	wn->by_ifindex.hash_at = watch_link_hash_at;
	wn->by_ifindex.is = watch_link_is;
	return &wn->by_ifindex;
}

static struct watch_link *
watch_link_get(struct watch_ns *wn, int ifindex, bool add)
{
	struct keyidx		*x = watch_link_index(wn);
	uint64_t		 h = watch_ifindex_hash(ifindex);
	struct watch_link	*v;
	ssize_t			 i;
	size_t			 cap;

	if ((i = keyidx_find(x, h, &ifindex)) >= 0)
		return &wn->links[i];
	if (!add)
		return NULL;
	if (wn->n_links == wn->cap_links) {
		cap = wn->cap_links ? 2 * wn->cap_links : 8;
		if ((v = reallocarray(wn->links, cap, sizeof(*v))) == NULL)
			return NULL;
		wn->links = v;
		wn->cap_links = cap;
	}
	v = &wn->links[wn->n_links];
	memset(v, 0, sizeof(*v));
	v->ifindex = ifindex;
	if (keyidx_put(x, h, &ifindex, wn->n_links) < 0)
		return NULL;
	wn->n_links++;
	return v;
}

static void
watch_link_drop(struct watch_ns *wn, int ifindex)
{
	struct keyidx	*x = watch_link_index(wn);
	uint64_t	 h = watch_ifindex_hash(ifindex);
	ssize_t		 i;
	int		 last;

	if ((i = keyidx_find(x, h, &ifindex)) < 0)
		return;
	keyidx_drop(x, h, &ifindex);
	/* The last takes its place (found by the copy still at its old
	 * place, its key the same). */
	if ((size_t)i != wn->n_links - 1) {
		wn->links[i] = wn->links[wn->n_links - 1];
		last = wn->links[i].ifindex;
		(void)keyidx_put(x, watch_ifindex_hash(last), &last, (size_t)i);
	}
	wn->n_links--;
}

/* Device IFINDEX's name into DEV ("if7" when unknown). */
static void
watch_ifname(struct watch_ns *wn, int ifindex, char *dev, size_t len)
{
	struct watch_link	*l = watch_link_get(wn, ifindex, false);

	if (l && l->name[0])
		snprintf(dev, len, "%s", l->name);
	else
		snprintf(dev, len, "if%d", ifindex);
}

static void
watch_link_keep(struct watch_link *l, const struct ks_link *k)
{
	snprintf(l->name, sizeof(l->name), "%s", k->name);
	l->alias = ks_bytes_digest(k->alias, strlen(k->alias));
	l->up = k->up;
	l->master = k->master_ifindex;
	l->group = k->group;
	if (k->mtu)
		l->mtu = k->mtu;
	if (k->has_mac)
		memcpy(l->mac, k->mac, 6);
}

int
watch_event_link_put(struct watch_ns *wn, const struct ks_link *k)
{
	struct watch_link	*l;

	if ((l = watch_link_get(wn, k->ifindex, true)) == NULL)
		return -ENOMEM;
	watch_link_keep(l, k);
	return 0;
}

void
watch_event_links_free(struct watch_ns *wn)
{
	free(wn->links);
	wn->links = NULL;
	wn->n_links = wn->cap_links = 0;
	keyidx_free(&wn->by_ifindex);
}

/* Words for what changed between L and K; false if nothing vrfd keeps
 * did. */
static bool
watch_link_what(const struct watch_link *l, const struct ks_link *k,
    char *what, size_t len)
{
	char	 a[24], b[24];
	size_t	 n;
	bool	 any = false;

	if (strcmp(l->name, k->name) != 0) {
		snprintf(what, len, "link %s renamed to %s", l->name, k->name);
		any = true;
	} else
		snprintf(what, len, "link %s", k->name);
	n = strlen(what);
	if (l->up != k->up) {
		snprintf(what + n, len - n, " set %s", k->up ? "up" : "down");
		n = strlen(what);
		any = true;
	}
	if (k->mtu && l->mtu != k->mtu) {
		snprintf(what + n, len - n, " mtu %u -> %u", l->mtu, k->mtu);
		n = strlen(what);
		any = true;
	}
	if (k->has_mac && memcmp(l->mac, k->mac, 6) != 0) {
		snprintf(what + n, len - n, " address %s -> %s",
		    ks_mac_str(l->mac, a, sizeof(a)),
		    ks_mac_str(k->mac, b, sizeof(b)));
		n = strlen(what);
		any = true;
	}
	if (l->master != k->master_ifindex) {
		snprintf(what + n, len - n, " %s", k->master_ifindex ?
		    "enslaved" : "released");
		n = strlen(what);
		any = true;
	}
	if (l->group != k->group) {
		snprintf(what + n, len - n, " group %u", k->group);
		n = strlen(what);
		any = true;
	}
	if (l->alias != ks_bytes_digest(k->alias, strlen(k->alias))) {
		snprintf(what + n, len - n, " alias \"%s\"", k->alias);
		any = true;
	}
	return any;
}

static int
watch_link_event(struct watch_ns *wn, const struct nlmsghdr *nlh,
    struct watch_ev *ev)
{
	struct ks_link		*k = &ev->o.link;
	struct watch_link	*l;
	int			 rv;

	/* AF_INET6 and AF_BRIDGE parts (IPv6 device state, bridge port
	 * state) describe nothing vrfd sets: -ENOENT. */
	if ((rv = nl_link_parse(nlh, k)) < 0)
		return rv;
	ev->kind = WATCH_EV_LINK;
	if (nlh->nlmsg_type == RTM_DELLINK) {
		/* A move also deletes the link here; the peer end's
		 * namespace hears of a deletion too. */
		snprintf(ev->what, sizeof(ev->what), "link %s %s", k->name,
		    nl_link_moved(nlh) ? "moved to another namespace" :
		    "deleted");
		ev->deleted = ev->changed = true;
		watch_link_drop(wn, k->ifindex);
		return 0;
	}
	if ((l = watch_link_get(wn, k->ifindex, false)) != NULL)
		ev->changed = watch_link_what(l, k, ev->what,
		    sizeof(ev->what));
	else {
		snprintf(ev->what, sizeof(ev->what), "link %s appeared",
		    k->name);
		ev->changed = true;
	}
	(void)watch_event_link_put(wn, k);
	return 0;
}

static int
watch_link_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct watch_ns		*wn = arg;
	struct watch_ev		 ev;

	(void)watch_link_event(wn, nlh, &ev);
	return MNL_CB_OK;
}

static void
watch_link_dump_reset(void *arg)
{
	struct watch_ns	*wn = arg;

	wn->n_links = 0;
	keyidx_free(&wn->by_ifindex);
}

int
watch_event_links(struct watch_ns *wn, struct nl_sock *s, int nsid)
{
	watch_link_dump_reset(wn);
	return nsid_links(s, nsid, watch_link_dump_cb, watch_link_dump_reset,
	    wn);
}

/* ---- objects ---------------------------------------------------------- */

static const char *
watch_ip(int family, const uint8_t *addr, char *buf, size_t len)
{
	if (inet_ntop(family, addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

static int
watch_route_event(struct watch_ns *wn, const struct nlmsghdr *nlh,
    struct watch_ev *ev)
{
	struct ks_route	*r = &ev->o.route;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	char		 dst[INET6_ADDRSTRLEN + 8], proto[RTPROTO_NAME_MAX];
	int		 rv;

	if ((rv = nl_route_parse(nlh, r)) < 0)
		return rv;
	/* A route the kernel cloned, or of a table no pass reads. */
	if ((rtm->rtm_flags & RTM_F_CLONED) || r->table != RT_TABLE_MAIN) {
		ks_route_clear(r);
		return -ENOENT;
	}
	ev->kind = WATCH_EV_ROUTE;
	ev->deleted = nlh->nlmsg_type == RTM_DELROUTE;
	ev->replace = !ev->deleted && (nlh->nlmsg_flags & NLM_F_REPLACE);
	for (int k = 0; k < r->n_nh; k++) {
		struct ks_nexthop	*nh = ks_nh(r, k);

		watch_ifname(wn, nh->ifindex, nh->dev, sizeof(nh->dev));
	}
	ks_route_dst_str(r, dst, sizeof(dst));
	if (own_route(r, OWN_HOLDS_ALL) == OWN_VRFD)
		snprintf(ev->what, sizeof(ev->what), "route %s %s", dst,
		    ev->deleted ? "deleted" : "changed");
	else
		snprintf(ev->what, sizeof(ev->what), "route %s %s (proto %s)",
		    dst, ev->deleted ? "deleted" : ev->replace ? "replaced" :
		    "added", rtproto_name(r->protocol, proto, sizeof(proto)));
	return 0;
}

static int
watch_addr_event(struct watch_ns *wn, const struct nlmsghdr *nlh,
    struct watch_ev *ev)
{
	struct ks_addr	*a = &ev->o.addr;
	char		 ip[INET6_ADDRSTRLEN + 8];
	int		 rv;

	if ((rv = nl_addr_parse(nlh, a)) < 0)
		return rv;
	ev->kind = WATCH_EV_ADDR;
	ev->deleted = nlh->nlmsg_type == RTM_DELADDR;
	watch_ifname(wn, a->ifindex, a->dev, sizeof(a->dev));
	snprintf(ev->what, sizeof(ev->what), "address %s on %s %s",
	    ks_addr_str(a, ip, sizeof(ip)), a->dev, ev->deleted ? "deleted" :
	    "changed");
	return 0;
}

static int
watch_neigh_event(struct watch_ns *wn, const struct nlmsghdr *nlh,
    struct watch_ev *ev)
{
	struct ks_neigh	*n = &ev->o.neigh;
	char		 ip[INET6_ADDRSTRLEN];
	int		 rv;

	if ((rv = nl_neigh_parse(nlh, n)) < 0)
		return rv;
	ev->kind = WATCH_EV_NEIGH;
	ev->deleted = nlh->nlmsg_type == RTM_DELNEIGH;
	watch_ifname(wn, n->ifindex, n->dev, sizeof(n->dev));
	snprintf(ev->what, sizeof(ev->what), "neighbour %s on %s %s",
	    watch_ip(n->family, n->ip, ip, sizeof(ip)), n->dev,
	    ev->deleted ? "deleted" : "changed");
	return 0;
}

static int
watch_netconf_event(struct watch_ns *wn, const struct nlmsghdr *nlh,
    struct watch_ev *ev)
{
	struct ks_netconf	*nc = &ev->o.netconf;
	char			 dev[IFNAMSIZ + 8];
	int			 rv, n;
	size_t			 len = sizeof(ev->what);

	if ((rv = nl_netconf_parse(nlh, nc)) < 0)
		return rv;
	ev->kind = WATCH_EV_NETCONF;
	ev->deleted = nlh->nlmsg_type == RTM_DELNETCONF;
	if (nc->ifindex == NETCONFA_IFINDEX_ALL)
		snprintf(dev, sizeof(dev), "all");
	else if (nc->ifindex == NETCONFA_IFINDEX_DEFAULT)
		snprintf(dev, sizeof(dev), "default");
	else
		watch_ifname(wn, nc->ifindex, dev, sizeof(dev));
	n = snprintf(ev->what, len, "%s %s:", nc->family == AF_INET6 ?
	    "ipv6" : "ipv4", dev);
	if (nc->has[NETCONFA_FORWARDING] && n > 0 && (size_t)n < len)
		n += snprintf(ev->what + n, len - (size_t)n, " forwarding %d",
		    (int)nc->val[NETCONFA_FORWARDING]);
	if (nc->has[NETCONFA_RP_FILTER] && n > 0 && (size_t)n < len)
		n += snprintf(ev->what + n, len - (size_t)n, " rp_filter %d",
		    (int)nc->val[NETCONFA_RP_FILTER]);
	if (n > 0 && (size_t)n < len && ev->what[n - 1] == ':')
		snprintf(ev->what + n, len - (size_t)n, " changed");
	return 0;
}

/* A root qdisc, or one under vrfd's: what impairs a link. The kernel
 * says RTM_DELQDISC of the old and RTM_NEWQDISC of the new one when one
 * replaces another. */
static int
watch_qdisc_event(struct watch_ns *wn, const struct nlmsghdr *nlh,
    struct watch_ev *ev)
{
	struct ks_qdisc	*q = &ev->o.qdisc;
	int		 rv;

	if ((rv = nl_qdisc_parse(nlh, q)) < 0)
		return rv;
	if (q->parent != TC_H_ROOT &&
	    (q->parent & 0xffff0000u) != OWN_QDISC_ROOT)
		return -ENOENT;
	ev->kind = WATCH_EV_QDISC;
	ev->deleted = nlh->nlmsg_type == RTM_DELQDISC;
	watch_ifname(wn, q->ifindex, q->dev, sizeof(q->dev));
	snprintf(ev->what, sizeof(ev->what), "qdisc %s %x: on %s %s",
	    q->kind_name, (unsigned)(q->handle >> 16), q->dev, ev->deleted ?
	    "deleted" : own_qdisc(q) == OWN_VRFD ? "changed" : "added");
	return 0;
}

int
watch_event_decode(struct watch_ns *wn, const struct nlmsghdr *nlh,
    struct watch_ev *ev)
{
	memset(ev, 0, sizeof(*ev));
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return watch_link_event(wn, nlh, ev);
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		return watch_route_event(wn, nlh, ev);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return watch_addr_event(wn, nlh, ev);
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		return watch_neigh_event(wn, nlh, ev);
	case RTM_NEWNETCONF:
	case RTM_DELNETCONF:
		return watch_netconf_event(wn, nlh, ev);
	case RTM_NEWQDISC:
	case RTM_DELQDISC:
		return watch_qdisc_event(wn, nlh, ev);
	}
	return -ENOENT;
}

void
watch_event_clear(struct watch_ev *ev)
{
	if (ev->kind == WATCH_EV_ROUTE)
		ks_route_clear(&ev->o.route);
}
