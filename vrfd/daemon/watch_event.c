/*
 * watch_event: what a kernel event says, in words, and whether it is
 * vrfd's business (watch.c has the sockets; this only reads messages).
 *
 * Which events count: routes of protocol VRFD_PROTO (in the main table, the
 * one the engine manages) and any route that replaced another (a person's
 * `ip route replace` over ours carries their protocol); other routes of
 * the main table are FOREIGN (the daemon cares only while a foreign route
 * is known to stand in ours' way); addresses with IFA_PROTO VRFD_PROTO;
 * neighbours with NDA_PROTOCOL VRFD_PROTO; every link event that changes
 * what vrfd sets on a link: name, up, MTU, address, master, alias, or its
 * end (a link going down drops routes with no event of their own, and
 * flushes IPv6 addresses); every netconf event (forwarding, rp_filter).
 * A small table of each namespace's links tells those changes from carrier
 * and operstate noise, and turns an event into words
 * ("link eth0 mtu 1500 -> 1400").
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include "kernel/kstate.h"
#include "log.h"
#include "kernel/nl.h"
#include "watch.h"
#include "watch_event.h"

/* The link table of a namespace, from events and one dump. */

static struct watch_link *
watch_link_get(struct watch_ns *wn, int ifindex, bool add)
{
	struct watch_link	*v;

	for (size_t i = 0; i < wn->n_links; i++)
		if (wn->links[i].ifindex == ifindex)
			return &wn->links[i];
	if (!add || (v = reallocarray(wn->links, wn->n_links + 1,
	    sizeof(*v))) == NULL)
		return NULL;
	wn->links = v;
	v = &wn->links[wn->n_links++];
	memset(v, 0, sizeof(*v));
	v->ifindex = ifindex;
	return v;
}

static void
watch_link_drop(struct watch_ns *wn, int ifindex)
{
	for (size_t i = 0; i < wn->n_links; i++)
		if (wn->links[i].ifindex == ifindex) {
			wn->links[i] = wn->links[--wn->n_links];
			return;
		}
}

static const char *
watch_ifname(struct watch_ns *wn, int ifindex, char *buf, size_t len)
{
	struct watch_link	*l = watch_link_get(wn, ifindex, false);

	if (l && l->name[0])
		snprintf(buf, len, "%s", l->name);
	else
		snprintf(buf, len, "if%d", ifindex);
	return buf;
}

struct watch_linkmsg {
	const char	*name;
	unsigned	 mtu;
	const uint8_t	*mac;
	int		 master;
	const char	*alias;
	bool		 moved;
};

static int
watch_link_attr(const struct nlattr *a, void *data)
{
	struct watch_linkmsg	*m = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			m->name = mnl_attr_get_str(a);
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			m->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == 6)
			m->mac = mnl_attr_get_payload(a);
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			m->master = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_IFALIAS:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			m->alias = mnl_attr_get_str(a);
		break;
	case IFLA_NEW_NETNSID:
		m->moved = true;
		break;
	}
	return MNL_CB_OK;
}

/* Words for what changed between L and M; false if nothing vrfd keeps
 * did (carrier and operstate come and go with the other end). */
static bool
watch_link_what(struct watch_link *l, const struct watch_linkmsg *m,
    unsigned flags, char *what, size_t len)
{
	const char	*alias = m->alias ? m->alias : "";
	char		 a[24], b[24];
	size_t		 n;
	bool		 any = false;

	if (strcmp(l->name, m->name) != 0) {
		snprintf(what, len, "link %s renamed to %s", l->name, m->name);
		any = true;
	} else
		snprintf(what, len, "link %s", m->name);
	n = strlen(what);
	if ((l->flags & IFF_UP) != (flags & IFF_UP)) {
		snprintf(what + n, len - n, " set %s",
		    flags & IFF_UP ? "up" : "down");
		n = strlen(what);
		any = true;
	}
	if (m->mtu && l->mtu != m->mtu) {
		snprintf(what + n, len - n, " mtu %u -> %u", l->mtu, m->mtu);
		n = strlen(what);
		any = true;
	}
	if (m->mac && memcmp(l->mac, m->mac, 6) != 0) {
		snprintf(what + n, len - n, " address %s -> %s",
		    ks_mac_str(l->mac, a, sizeof(a)),
		    ks_mac_str(m->mac, b, sizeof(b)));
		n = strlen(what);
		any = true;
	}
	if (l->master != m->master) {
		snprintf(what + n, len - n, " %s", m->master ?
		    "enslaved" : "released");
		n = strlen(what);
		any = true;
	}
	if (strcmp(l->alias, alias) != 0) {
		snprintf(what + n, len - n, " alias \"%s\"", alias);
		any = true;
	}
	return any;
}

/* A link event: false if it is none of vrfd's business. */
static bool
watch_link_event(struct watch_ns *wn, const struct nlmsghdr *nlh, char *what,
    size_t len)
{
	const struct ifinfomsg	*ifi = mnl_nlmsg_get_payload(nlh);
	struct watch_linkmsg	 m = { 0 };
	struct watch_link	*l;
	char			 name[IFNAMSIZ];
	bool			 any;

	/* AF_INET6 and AF_BRIDGE parts (IPv6 device state, bridge port
	 * state) describe nothing vrfd sets. */
	if (ifi->ifi_family != AF_UNSPEC)
		return false;
	mnl_attr_parse(nlh, sizeof(*ifi), watch_link_attr, &m);
	if (nlh->nlmsg_type == RTM_DELLINK) {
		/* A move also deletes the link here; the peer end's
		 * namespace hears of a deletion too. */
		snprintf(what, len, "link %s %s", m.name ? m.name :
		    watch_ifname(wn, ifi->ifi_index, name, sizeof(name)),
		    m.moved ? "moved to another namespace" : "deleted");
		watch_link_drop(wn, ifi->ifi_index);
		return true;
	}
	if (m.name == NULL)
		return false;
	if ((l = watch_link_get(wn, ifi->ifi_index, false)) != NULL)
		any = watch_link_what(l, &m, ifi->ifi_flags, what, len);
	else {
		snprintf(what, len, "link %s appeared", m.name);
		any = true;
	}
	if (l == NULL && (l = watch_link_get(wn, ifi->ifi_index, true)) ==
	    NULL)
		return any;
	snprintf(l->name, sizeof(l->name), "%s", m.name);
	snprintf(l->alias, sizeof(l->alias), "%s", m.alias ? m.alias : "");
	l->flags = ifi->ifi_flags;
	l->master = m.master;
	if (m.mtu)
		l->mtu = m.mtu;
	if (m.mac)
		memcpy(l->mac, m.mac, 6);
	return any;
}

static int
watch_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct watch_ns		*wn = arg;
	char			 what[WATCH_WHAT];

	if (nlh->nlmsg_type == RTM_NEWLINK)
		watch_link_event(wn, nlh, what, sizeof(what));
	return MNL_CB_OK;
}

static void
watch_dump_reset(void *arg)
{
	struct watch_ns	*wn = arg;

	wn->n_links = 0;
}

void
watch_event_links(struct watch_ns *wn, int nsfd)
{
	char			 buf[512];
	struct nlmsghdr		*nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg	*ifi;
	struct nl_sock		*s;

	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if ((s = nl_open(nsfd)) == NULL)
		return;
	watch_dump_reset(wn);
	if (nl_dump(s, nlh, watch_dump_cb, watch_dump_reset, wn) < 0)
		log_debug("watch", "%s: link dump failed", wn->name);
	nl_close(s);
}

/* Objects: routes, addresses, neighbours, netconf. */

static const char *
watch_ip_str(int family, const void *addr, char *buf, size_t len)
{
	if (inet_ntop(family, addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

struct watch_attrs {
	const struct nlattr	*tb[64];
};

static int
watch_attr_cb(const struct nlattr *a, void *data)
{
	struct watch_attrs	*t = data;
	unsigned		 type = mnl_attr_get_type(a);

	if (type < 64)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static uint32_t
watch_u32(const struct nlattr *a, uint32_t dflt)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) :
	    dflt;
}

static int
watch_route_event(const struct nlmsghdr *nlh, char *what, size_t len)
{
	const struct rtmsg	*rtm = mnl_nlmsg_get_payload(nlh);
	struct watch_attrs	 t = { 0 };
	char			 dst[INET6_ADDRSTRLEN + 8] = "default";
	bool			 del = nlh->nlmsg_type == RTM_DELROUTE;
	bool			 ours;

	if (rtm->rtm_flags & RTM_F_CLONED || rtm->rtm_protocol == RTPROT_KERNEL)
		return WATCH_EVENT_NONE;
	mnl_attr_parse(nlh, sizeof(*rtm), watch_attr_cb, &t);
	if (watch_u32(t.tb[RTA_TABLE], rtm->rtm_table) != RT_TABLE_MAIN)
		return WATCH_EVENT_NONE;
	if (t.tb[RTA_DST] && (rtm->rtm_family == AF_INET ||
	    rtm->rtm_family == AF_INET6)) {
		watch_ip_str(rtm->rtm_family, mnl_attr_get_payload(t.tb[RTA_DST]),
		    dst, sizeof(dst));
		snprintf(dst + strlen(dst), sizeof(dst) - strlen(dst), "/%u",
		    rtm->rtm_dst_len);
	}
	/* A route that replaced another may have replaced ours. */
	ours = rtm->rtm_protocol == VRFD_PROTO ||
	    (!del && (nlh->nlmsg_flags & NLM_F_REPLACE));
	if (rtm->rtm_protocol != VRFD_PROTO)
		snprintf(what, len, "route %s %s (proto %u)", dst,
		    del ? "deleted" : ours ? "replaced" : "added",
		    rtm->rtm_protocol);
	else
		snprintf(what, len, "route %s %s", dst,
		    del ? "deleted" : "changed");
	return ours ? WATCH_EVENT_OURS : WATCH_EVENT_FOREIGN;
}

static bool
watch_addr_event(struct watch_ns *wn, const struct nlmsghdr *nlh, char *what,
    size_t len)
{
	const struct ifaddrmsg	*ifa = mnl_nlmsg_get_payload(nlh);
	struct watch_attrs	 t = { 0 };
	const struct nlattr	*a;
	char			 ip[INET6_ADDRSTRLEN], dev[IFNAMSIZ + 8];

	mnl_attr_parse(nlh, sizeof(*ifa), watch_attr_cb, &t);
	if (t.tb[IFA_PROTO] == NULL ||
	    mnl_attr_get_u8(t.tb[IFA_PROTO]) != VRFD_PROTO)
		return false;
	if ((a = t.tb[IFA_LOCAL]) == NULL)
		a = t.tb[IFA_ADDRESS];
	if (a == NULL || (ifa->ifa_family != AF_INET &&
	    ifa->ifa_family != AF_INET6))
		return false;
	snprintf(what, len, "address %s/%u on %s %s",
	    watch_ip_str(ifa->ifa_family, mnl_attr_get_payload(a), ip,
	    sizeof(ip)), ifa->ifa_prefixlen,
	    watch_ifname(wn, (int)ifa->ifa_index, dev, sizeof(dev)),
	    nlh->nlmsg_type == RTM_DELADDR ? "deleted" : "changed");
	return true;
}

static bool
watch_neigh_event(struct watch_ns *wn, const struct nlmsghdr *nlh, char *what,
    size_t len)
{
	const struct ndmsg	*ndm = mnl_nlmsg_get_payload(nlh);
	struct watch_attrs	 t = { 0 };
	char			 ip[INET6_ADDRSTRLEN] = "?", dev[IFNAMSIZ + 8];

	/* ARP and NDP churn all the time; only our entries count. */
	mnl_attr_parse(nlh, sizeof(*ndm), watch_attr_cb, &t);
	if (t.tb[NDA_PROTOCOL] == NULL ||
	    mnl_attr_get_u8(t.tb[NDA_PROTOCOL]) != VRFD_PROTO)
		return false;
	if (t.tb[NDA_DST] && (ndm->ndm_family == AF_INET ||
	    ndm->ndm_family == AF_INET6))
		watch_ip_str(ndm->ndm_family,
		    mnl_attr_get_payload(t.tb[NDA_DST]), ip, sizeof(ip));
	snprintf(what, len, "neighbour %s on %s %s", ip,
	    watch_ifname(wn, ndm->ndm_ifindex, dev, sizeof(dev)),
	    nlh->nlmsg_type == RTM_DELNEIGH ? "deleted" : "changed");
	return true;
}

static void
watch_netconf_event(struct watch_ns *wn, const struct nlmsghdr *nlh,
    char *what, size_t len)
{
	const struct netconfmsg	*ncm = mnl_nlmsg_get_payload(nlh);
	struct watch_attrs	 t = { 0 };
	char			 dev[IFNAMSIZ + 8];
	int			 ifindex, n;

	mnl_attr_parse(nlh, sizeof(*ncm), watch_attr_cb, &t);
	ifindex = (int)watch_u32(t.tb[NETCONFA_IFINDEX], 0);
	if (ifindex == NETCONFA_IFINDEX_ALL)
		snprintf(dev, sizeof(dev), "all");
	else if (ifindex == NETCONFA_IFINDEX_DEFAULT)
		snprintf(dev, sizeof(dev), "default");
	else
		watch_ifname(wn, ifindex, dev, sizeof(dev));
	n = snprintf(what, len, "%s %s:", ncm->ncm_family == AF_INET6 ?
	    "ipv6" : "ipv4", dev);
	if (t.tb[NETCONFA_FORWARDING] && n > 0 && (size_t)n < len)
		n += snprintf(what + n, len - (size_t)n, " forwarding %d",
		    (int)watch_u32(t.tb[NETCONFA_FORWARDING], 0));
	if (t.tb[NETCONFA_RP_FILTER] && n > 0 && (size_t)n < len)
		n += snprintf(what + n, len - (size_t)n, " rp_filter %d",
		    (int)watch_u32(t.tb[NETCONFA_RP_FILTER], 0));
	if (n > 0 && (size_t)n < len && what[n - 1] == ':')
		snprintf(what + n, len - (size_t)n, " changed");
}

int
watch_event_what(struct watch_ns *wn, const struct nlmsghdr *nlh,
    char *what, size_t len)
{
	bool	 ours = false;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		ours = watch_link_event(wn, nlh, what, len);
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		return watch_route_event(nlh, what, len);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		ours = watch_addr_event(wn, nlh, what, len);
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		ours = watch_neigh_event(wn, nlh, what, len);
		break;
	case RTM_NEWNETCONF:
	case RTM_DELNETCONF:
		watch_netconf_event(wn, nlh, what, len);
		ours = true;
		break;
	}
	return ours ? WATCH_EVENT_OURS : WATCH_EVENT_NONE;
}

bool
watch_event_touches(const struct nlmsghdr *nlh, struct watch_neigh *nb,
    bool *is_neigh)
{
	struct watch_attrs	 t = { 0 };
	const struct ndmsg	*ndm;
	const struct rtmsg	*rtm;
	size_t			 alen;

	*is_neigh = false;
	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
			return true;
		rtm = mnl_nlmsg_get_payload(nlh);
		return !(rtm->rtm_flags & RTM_F_CLONED);
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		break;
	default:
		return true;
	}
	ndm = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)) ||
	    (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6))
		return true;
	mnl_attr_parse(nlh, sizeof(*ndm), watch_attr_cb, &t);
	alen = ndm->ndm_family == AF_INET6 ? 16 : 4;
	if (t.tb[NDA_DST] == NULL || mnl_attr_get_payload_len(t.tb[NDA_DST]) <
	    alen)
		return true;
	memset(nb, 0, sizeof(*nb));
	nb->family = ndm->ndm_family;
	memcpy(nb->ip, mnl_attr_get_payload(t.tb[NDA_DST]), alen);
	nb->ifindex = ndm->ndm_ifindex;
	/* What observe keeps: permanent entries and marked ones. */
	nb->kept = (ndm->ndm_state & NUD_PERMANENT) ||
	    (t.tb[NDA_PROTOCOL] && mnl_attr_get_u8(t.tb[NDA_PROTOCOL]) != 0);
	*is_neigh = true;
	return true;
}

int
watch_event_nsid(const struct nlmsghdr *nlh)
{
	struct watch_attrs	 t = { 0 };

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtgenmsg)))
		return -1;
	mnl_attr_parse(nlh, sizeof(struct rtgenmsg), watch_attr_cb, &t);
	if (t.tb[NETNSA_NSID] == NULL ||
	    mnl_attr_get_payload_len(t.tb[NETNSA_NSID]) < 4)
		return -1;
	return (int)mnl_attr_get_u32(t.tb[NETNSA_NSID]);
}
