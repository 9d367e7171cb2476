/*
 * test_watch: the daemon's reading of kernel events (daemon/watch_event.c)
 * and its rule for which of them wake a pass (daemon/interest.c), with
 * messages built in a buffer by the kernel layer's codecs, as the kernel
 * would send them. The words land in logs and in `vrfctl events`; the
 * rule decides whether a deleted route comes back at once or a routing
 * daemon's churn wakes a pass for nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "check.h"
#include "daemon/interest.h"
#include "daemon/watch_event.h"
#include "kernel/kstate.h"
#include "kernel/nl_codec.h"
#include "kernel/own.h"

#define PROTO_OTHER	42	/* a routing daemon's */
/* RFC 2863 operstates, as IFLA_OPERSTATE carries them (linux/if.h's
 * IF_OPER_*, which clashes with net/if.h) */
#define OPER_DOWN	2
#define OPER_UP		6
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000	/* carrier (linux/if.h) */
#endif

static char	buf[8192] __attribute__((aligned(8)));

static struct nlmsghdr *
msg(uint16_t type, uint16_t flags)
{
	struct nlmsghdr	*nlh;

	memset(buf, 0xa5, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return nlh;
}

static void
ip4(uint8_t *dst, const char *s)
{
	CHECK(inet_pton(AF_INET, s, dst) == 1);
}

static void
ip6(uint8_t *dst, const char *s)
{
	CHECK(inet_pton(AF_INET6, s, dst) == 1);
}

/* ---- links ------------------------------------------------------------- */

/* A link as the kernel describes it in an event: its whole state. */
struct link_spec {
	int		 ifindex;
	const char	*name;
	bool		 up;
	bool		 running;	/* carrier and operstate up */
	unsigned	 mtu;
	uint8_t		 mac_last;
	const char	*alias;
	int		 master;
	uint32_t	 group;
};

static struct nlmsghdr *
link_msg(uint16_t type, const struct link_spec *s)
{
	struct nlmsghdr		*nlh = msg(type, 0);
	struct ifinfomsg	*ifm;
	struct ks_link		 k;

	memset(&k, 0, sizeof(k));
	k.up = s->up;
	k.mtu = s->mtu;
	k.has_mac = true;
	k.mac[0] = 0x02;
	k.mac[5] = s->mac_last;
	k.group = s->group;
	snprintf(k.alias, sizeof(k.alias), "%s", s->alias ? s->alias : "");
	nl_link_put_set(nlh, s->ifindex, &k, NL_LINK_SET_UP | NL_LINK_SET_MTU |
	    NL_LINK_SET_MAC | NL_LINK_SET_MARK |
	    (s->master ? NL_LINK_SET_MASTER : 0), s->master);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, s->name);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, s->running ? OPER_UP :
	    OPER_DOWN);
	ifm = mnl_nlmsg_get_payload(nlh);
	if (s->running)
		ifm->ifi_flags |= IFF_RUNNING | IFF_LOWER_UP;
	return nlh;
}

static const struct link_spec lo_spec = {
	.ifindex = 1, .name = "lo", .up = true, .running = true,
	.mtu = 65536, .mac_last = 0,
};

static const struct link_spec eth0_spec = {
	.ifindex = 2, .name = "eth0", .up = true, .running = true,
	.mtu = 1500, .mac_last = 0x02,
};

/* WN's link table, filled by the events that announce lo and eth0. */
static void
ns_with_links(struct watch_ns *wn)
{
	struct watch_ev	 ev;

	memset(wn, 0, sizeof(*wn));
	snprintf(wn->name, sizeof(wn->name), "lab-r1");
	CHECK_INTEQ(watch_event_decode(wn, link_msg(RTM_NEWLINK, &lo_spec),
	    &ev), 0);
	CHECK_STREQ(ev.what, "link lo appeared");
	CHECK_INTEQ(watch_event_decode(wn, link_msg(RTM_NEWLINK, &eth0_spec),
	    &ev), 0);
	CHECK_STREQ(ev.what, "link eth0 appeared");
	CHECK(ev.changed);
}

static void
ns_free(struct watch_ns *wn)
{
	watch_event_links_free(wn);
	memset(wn, 0, sizeof(*wn));
}

static void
test_link_table(void)
{
	struct watch_ns	 wn;
	struct watch_ev	 ev;

	ns_with_links(&wn);
	CHECK_INTEQ(wn.n_links, 2);
	CHECK(wn.n_links == 2 && wn.links[1].ifindex == 2);
	CHECK_STREQ(wn.n_links == 2 ? wn.links[1].name : NULL, "eth0");
	CHECK_INTEQ(wn.n_links == 2 ? wn.links[1].mtu : 0, 1500);
	CHECK(wn.n_links == 2 && wn.links[1].up);
	CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_NEWLINK, &eth0_spec),
	    &ev), 0);
	CHECK_INTEQ(ev.kind, WATCH_EV_LINK);
	CHECK(!ev.deleted);
	CHECK(!ev.replace);
	CHECK_STREQ(ev.o.link.name, "eth0");
	CHECK_INTEQ(ev.o.link.ifindex, 2);
	/* the same state again: nothing vrfd keeps changed */
	CHECK(!ev.changed);
	CHECK_INTEQ(wn.n_links, 2);
	ns_free(&wn);
}

/* The state S of eth0 in WN, sent as a link message: a change, said as
 * WHAT. */
static void
link_changed(struct watch_ns *wn, const struct link_spec *s,
    const char *what)
{
	struct watch_ev	 ev;

	CHECK_INTEQ(watch_event_decode(wn, link_msg(RTM_NEWLINK, s), &ev), 0);
	CHECK(ev.changed);
	CHECK_STREQ(ev.what, what);
}

/* Each change of what vrfd sets, in words. */
static void
test_link_changes(void)
{
	struct watch_ns		 wn;
	struct link_spec	 s = eth0_spec;

	ns_with_links(&wn);
	s.up = false;
	s.running = false;
	link_changed(&wn, &s, "link eth0 set down");

	s.mtu = 1400;
	link_changed(&wn, &s, "link eth0 mtu 1500 -> 1400");

	s.alias = "vrfd lab=lab";
	link_changed(&wn, &s, "link eth0 alias \"vrfd lab=lab\"");

	s.alias = NULL;
	link_changed(&wn, &s, "link eth0 alias \"\"");

	s.mac_last = 0x03;
	link_changed(&wn, &s,
	    "link eth0 address 02:00:00:00:00:02 -> 02:00:00:00:00:03");

	s.master = 5;
	link_changed(&wn, &s, "link eth0 enslaved");
	s.master = 0;
	link_changed(&wn, &s, "link eth0 released");

	s.group = 7;
	link_changed(&wn, &s, "link eth0 group 7");

	/* several at once, in one line */
	s.group = 0;
	s.up = s.running = true;
	s.mtu = 9000;
	link_changed(&wn, &s, "link eth0 set up mtu 1400 -> 9000 group 0");
	ns_free(&wn);
}

/* Carrier and operstate come with every change of the other end: they
 * are not drift. */
static void
test_link_carrier_only(void)
{
	struct watch_ns		 wn;
	struct watch_ev		 ev;
	struct link_spec	 s = eth0_spec;

	ns_with_links(&wn);
	s.running = false;
	CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_NEWLINK, &s), &ev),
	    0);
	CHECK_INTEQ(ev.kind, WATCH_EV_LINK);
	CHECK(!ev.o.link.running);
	CHECK(!ev.changed);
	s.running = true;
	CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_NEWLINK, &s), &ev),
	    0);
	CHECK(ev.o.link.running);
	CHECK(!ev.changed);
	ns_free(&wn);
}

static void
test_link_rename_delete(void)
{
	struct watch_ns		 wn;
	struct watch_ev		 ev;
	struct link_spec	 s = eth0_spec;
	struct ks_addr		 a;
	struct nlmsghdr		*nlh;

	ns_with_links(&wn);
	s.name = "wan0";
	CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_NEWLINK, &s), &ev),
	    0);
	CHECK(ev.changed);
	CHECK_STREQ(ev.what, "link eth0 renamed to wan0");

	/* devices are named from the table: the new name */
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	ip4(a.addr, "10.0.0.1");
	a.plen = 24;
	a.ifindex = 2;
	nlh = msg(RTM_NEWADDR, 0);
	nl_addr_put(nlh, &a);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK_STREQ(ev.o.addr.dev, "wan0");

	CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_DELLINK, &s), &ev),
	    0);
	CHECK_INTEQ(ev.kind, WATCH_EV_LINK);
	CHECK(ev.deleted);
	CHECK(ev.changed);
	CHECK_STREQ(ev.what, "link wan0 deleted");
	CHECK_INTEQ(wn.n_links, 1);
	/* gone from the table: its index is all that is left */
	nlh = msg(RTM_DELADDR, 0);
	nl_addr_put(nlh, &a);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK_STREQ(ev.o.addr.dev, "if2");
	CHECK_STREQ(ev.what, "address 10.0.0.1/24 on if2 deleted");

	/* a link moved away is deleted here too, and said so */
	s = eth0_spec;
	s.ifindex = 3;
	s.name = "eth1";
	CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_NEWLINK, &s), &ev),
	    0);
	CHECK_STREQ(ev.what, "link eth1 appeared");
	CHECK_INTEQ(wn.n_links, 2);
	nlh = link_msg(RTM_DELLINK, &s);
	mnl_attr_put_u32(nlh, IFLA_NEW_NETNSID, 4);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK(ev.deleted);
	CHECK_STREQ(ev.what, "link eth1 moved to another namespace");
	CHECK_INTEQ(wn.n_links, 1);
	ns_free(&wn);
}

/* ---- routes, addresses, neighbours, netconf ---------------------------- */

static void
route4(struct ks_route *r, const char *dst, int len, uint8_t proto)
{
	memset(r, 0, sizeof(*r));
	r->family = AF_INET;
	ip4(r->dst, dst);
	r->dst_len = (uint8_t)len;
	r->type = RTN_UNICAST;
	r->protocol = proto;
	r->table = RT_TABLE_MAIN;
}

static void
add_nh4(struct ks_route *r, const char *gw, int ifindex)
{
	struct ks_nexthop	*nh = ks_route_nh_add(r);

	CHECK(nh != NULL);
	if (nh == NULL)
		return;
	nh->has_gw = true;
	nh->gw_family = AF_INET;
	ip4(nh->gw, gw);
	nh->ifindex = ifindex;
	nh->weight = 1;
}

static int
route_event(struct watch_ns *wn, uint16_t type, uint16_t flags,
    const struct ks_route *r, struct watch_ev *ev)
{
	struct nlmsghdr	*nlh = msg(type, flags);

	nl_route_put(nlh, r);
	return watch_event_decode(wn, nlh, ev);
}

static void
test_route_words(void)
{
	struct watch_ns	 wn;
	struct watch_ev	 ev;
	struct ks_route	 r;

	ns_with_links(&wn);
	/* ours: changed or deleted, nothing more to say */
	route4(&r, "10.8.0.0", 16, VRFD_PROTO);
	add_nh4(&r, "10.0.0.254", 2);
	CHECK_INTEQ(route_event(&wn, RTM_NEWROUTE, NLM_F_CREATE, &r, &ev), 0);
	CHECK_INTEQ(ev.kind, WATCH_EV_ROUTE);
	CHECK(!ev.deleted);
	CHECK(!ev.replace);
	CHECK_STREQ(ev.what, "route 10.8.0.0/16 changed");
	CHECK_INTEQ(ev.o.route.n_nh, 1);
	CHECK_STREQ(ks_nh(&ev.o.route, 0)->dev, "eth0");
	CHECK_INTEQ(ev.o.route.protocol, VRFD_PROTO);
	CHECK_INTEQ(route_event(&wn, RTM_DELROUTE, 0, &r, &ev), 0);
	CHECK(ev.deleted);
	CHECK_STREQ(ev.what, "route 10.8.0.0/16 deleted");

	/* someone else's: whose, in words (42 is "babel" to ip route) */
	route4(&r, "10.9.0.0", 16, PROTO_OTHER);
	add_nh4(&r, "10.0.0.254", 2);
	CHECK_INTEQ(route_event(&wn, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	    &r, &ev), 0);
	CHECK(!ev.replace);
	CHECK_STREQ(ev.what, "route 10.9.0.0/16 added (proto babel)");
	CHECK_INTEQ(route_event(&wn, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_REPLACE, &r, &ev), 0);
	CHECK(ev.replace);
	CHECK(!ev.deleted);
	CHECK_STREQ(ev.what, "route 10.9.0.0/16 replaced (proto babel)");
	CHECK_INTEQ(route_event(&wn, RTM_DELROUTE, 0, &r, &ev), 0);
	CHECK(ev.deleted);
	CHECK(!ev.replace);
	CHECK_STREQ(ev.what, "route 10.9.0.0/16 deleted (proto babel)");
	/* a number ip route has no name for: the number */
	route4(&r, "10.9.0.0", 16, 77);
	add_nh4(&r, "10.0.0.254", 2);
	CHECK_INTEQ(route_event(&wn, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	    &r, &ev), 0);
	CHECK_STREQ(ev.what, "route 10.9.0.0/16 added (proto 77)");

	route4(&r, "0.0.0.0", 0, VRFD_PROTO);
	add_nh4(&r, "10.0.0.254", 2);
	CHECK_INTEQ(route_event(&wn, RTM_DELROUTE, 0, &r, &ev), 0);
	CHECK_STREQ(ev.what, "route default deleted");

	/* every nexthop named, an unknown device by its index */
	route4(&r, "10.10.0.0", 16, VRFD_PROTO);
	add_nh4(&r, "10.0.0.254", 2);
	add_nh4(&r, "127.0.0.2", 1);
	add_nh4(&r, "10.0.0.253", 9);
	CHECK_INTEQ(route_event(&wn, RTM_NEWROUTE, NLM_F_CREATE, &r, &ev), 0);
	CHECK_INTEQ(ev.o.route.n_nh, 3);
	CHECK_STREQ(ks_nh(&ev.o.route, 0)->dev, "eth0");
	CHECK_STREQ(ks_nh(&ev.o.route, 1)->dev, "lo");
	CHECK_STREQ(ks_nh(&ev.o.route, 2)->dev, "if9");
	watch_event_clear(&ev);
	ks_route_clear(&r);
	ns_free(&wn);
}

/* What no pass reads is no event: a cloned route, another table. */
static void
test_route_not_read(void)
{
	struct watch_ns		 wn;
	struct watch_ev		 ev;
	struct ks_route		 r;
	struct nlmsghdr		*nlh;

	ns_with_links(&wn);
	route4(&r, "10.8.0.0", 16, VRFD_PROTO);
	add_nh4(&r, "10.0.0.254", 2);
	nlh = msg(RTM_NEWROUTE, 0);
	nl_route_put(nlh, &r);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_flags |=
	    RTM_F_CLONED;
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), -ENOENT);

	r.table = 100;
	CHECK_INTEQ(route_event(&wn, RTM_NEWROUTE, 0, &r, &ev), -ENOENT);
	r.table = RT_TABLE_LOCAL;
	CHECK_INTEQ(route_event(&wn, RTM_DELROUTE, 0, &r, &ev), -ENOENT);
	/* nor a multipath one, which leaves nothing to free */
	add_nh4(&r, "10.0.0.253", 2);
	r.table = 100;
	CHECK_INTEQ(route_event(&wn, RTM_NEWROUTE, 0, &r, &ev), -ENOENT);
	CHECK(ev.o.route.nhs == NULL);
	ks_route_clear(&r);

	/* not an object kind at all; a route message cut short */
	nlh = msg(RTM_NEWRULE, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), -ENOENT);
	nlh = msg(RTM_NEWROUTE, 0);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), -EINVAL);
	ns_free(&wn);
}

static void
test_addr_words(void)
{
	struct watch_ns		 wn;
	struct watch_ev		 ev;
	struct ks_addr		 a;
	struct nlmsghdr		*nlh;

	ns_with_links(&wn);
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	ip4(a.addr, "10.0.0.1");
	a.plen = 24;
	a.ifindex = 2;
	a.proto = VRFD_PROTO;
	nlh = msg(RTM_DELADDR, 0);
	nl_addr_put(nlh, &a);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK_INTEQ(ev.kind, WATCH_EV_ADDR);
	CHECK(ev.deleted);
	CHECK_STREQ(ev.o.addr.dev, "eth0");
	CHECK_STREQ(ev.what, "address 10.0.0.1/24 on eth0 deleted");

	nlh = msg(RTM_NEWADDR, NLM_F_CREATE);
	nl_addr_put(nlh, &a);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK(!ev.deleted);
	CHECK_INTEQ(ev.o.addr.proto, VRFD_PROTO);
	CHECK_STREQ(ev.what, "address 10.0.0.1/24 on eth0 changed");

	a.family = AF_INET6;
	ip6(a.addr, "2001:db8::1");
	a.plen = 64;
	a.ifindex = 1;
	nlh = msg(RTM_NEWADDR, NLM_F_CREATE);
	nl_addr_put(nlh, &a);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK_STREQ(ev.what, "address 2001:db8::1/64 on lo changed");
	ns_free(&wn);
}

static struct nlmsghdr *
neigh_msg(uint16_t type, int family, const char *ip, int ifindex,
    uint16_t state, uint8_t proto)
{
	struct nlmsghdr	*nlh = msg(type, 0);
	struct ks_neigh	 n;

	memset(&n, 0, sizeof(n));
	n.family = family;
	if (family == AF_INET)
		ip4(n.ip, ip);
	else
		ip6(n.ip, ip);
	n.ifindex = ifindex;
	n.has_lladdr = true;
	n.lladdr[0] = 0x02;
	n.lladdr[5] = 0x09;
	n.proto = proto;
	nl_neigh_put(nlh, &n);
	/* nl_neigh_put writes permanent entries; the kernel reports any */
	((struct ndmsg *)mnl_nlmsg_get_payload(nlh))->ndm_state = state;
	return nlh;
}

static void
test_neigh_words(void)
{
	struct watch_ns	 wn;
	struct watch_ev	 ev;

	ns_with_links(&wn);
	CHECK_INTEQ(watch_event_decode(&wn, neigh_msg(RTM_NEWNEIGH, AF_INET,
	    "10.0.0.9", 2, NUD_PERMANENT, VRFD_PROTO), &ev), 0);
	CHECK_INTEQ(ev.kind, WATCH_EV_NEIGH);
	CHECK(!ev.deleted);
	CHECK_STREQ(ev.o.neigh.dev, "eth0");
	CHECK_INTEQ(ev.o.neigh.proto, VRFD_PROTO);
	CHECK_STREQ(ev.what, "neighbour 10.0.0.9 on eth0 changed");
	CHECK_INTEQ(watch_event_decode(&wn, neigh_msg(RTM_DELNEIGH, AF_INET6,
	    "2001:db8::9", 7, NUD_REACHABLE, 0), &ev), 0);
	CHECK(ev.deleted);
	CHECK_STREQ(ev.what, "neighbour 2001:db8::9 on if7 deleted");
	ns_free(&wn);
}

/* A netconf message: the device, and the values given (-1: absent). */
static struct nlmsghdr *
netconf_msg(uint16_t type, int family, int ifindex, int fwd, int rpf,
    int proxy)
{
	struct nlmsghdr		*nlh = msg(type, 0);
	struct netconfmsg	*ncm;

	ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
	ncm->ncm_family = (uint8_t)family;
	mnl_attr_put_u32(nlh, NETCONFA_IFINDEX, (uint32_t)ifindex);
	if (fwd >= 0)
		mnl_attr_put_u32(nlh, NETCONFA_FORWARDING, (uint32_t)fwd);
	if (rpf >= 0)
		mnl_attr_put_u32(nlh, NETCONFA_RP_FILTER, (uint32_t)rpf);
	if (proxy >= 0)
		mnl_attr_put_u32(nlh, NETCONFA_PROXY_NEIGH, (uint32_t)proxy);
	return nlh;
}

static void
test_netconf_words(void)
{
	struct watch_ns		 wn;
	struct watch_ev		 ev;
	struct nlmsghdr		*nlh;

	ns_with_links(&wn);
	CHECK_INTEQ(watch_event_decode(&wn, netconf_msg(RTM_NEWNETCONF,
	    AF_INET, NETCONFA_IFINDEX_ALL, 1, -1, -1), &ev), 0);
	CHECK_INTEQ(ev.kind, WATCH_EV_NETCONF);
	CHECK(!ev.deleted);
	CHECK_STREQ(ev.what, "ipv4 all: forwarding 1");
	CHECK_INTEQ(watch_event_decode(&wn, netconf_msg(RTM_NEWNETCONF,
	    AF_INET6, NETCONFA_IFINDEX_DEFAULT, 0, -1, -1), &ev), 0);
	CHECK_STREQ(ev.what, "ipv6 default: forwarding 0");
	CHECK_INTEQ(watch_event_decode(&wn, netconf_msg(RTM_NEWNETCONF,
	    AF_INET, 2, -1, 2, -1), &ev), 0);
	CHECK_STREQ(ev.what, "ipv4 eth0: rp_filter 2");
	CHECK_INTEQ(watch_event_decode(&wn, netconf_msg(RTM_NEWNETCONF,
	    AF_INET, NETCONFA_IFINDEX_ALL, 1, 0, -1), &ev), 0);
	CHECK_STREQ(ev.what, "ipv4 all: forwarding 1 rp_filter 0");
	/* nothing it names: still a change */
	CHECK_INTEQ(watch_event_decode(&wn, netconf_msg(RTM_NEWNETCONF,
	    AF_INET, NETCONFA_IFINDEX_ALL, -1, -1, 1), &ev), 0);
	CHECK_STREQ(ev.what, "ipv4 all: changed");
	CHECK_INTEQ(watch_event_decode(&wn, netconf_msg(RTM_DELNETCONF,
	    AF_INET, 9, -1, -1, -1), &ev), 0);
	CHECK(ev.deleted);
	CHECK_STREQ(ev.what, "ipv4 if9: changed");

	/* no device: malformed */
	nlh = msg(RTM_NEWNETCONF, 0);
	((struct netconfmsg *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct netconfmsg)))->ncm_family = AF_INET;
	mnl_attr_put_u32(nlh, NETCONFA_FORWARDING, 1);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), -EINVAL);
	ns_free(&wn);
}

/* ---- interest ---------------------------------------------------------- */

/* What the file wants in the namespace: one route, one address, one
 * neighbour, as engine_compile would give them. */
static void
want_fill(struct ks_ns *want)
{
	struct ks_route	*r;
	struct ks_addr	*a;
	struct ks_neigh	*n;

	memset(want, 0, sizeof(*want));
	snprintf(want->name, sizeof(want->name), "lab-r1");
	r = ks_route_add(want);
	route4(r, "10.8.0.0", 16, VRFD_PROTO);
	r->priority = 0;
	add_nh4(r, "10.0.0.254", 0);
	snprintf(ks_nh(r, 0)->dev, sizeof(ks_nh(r, 0)->dev), "eth0");
	a = ks_addr_add(want);
	a->family = AF_INET;
	ip4(a->addr, "10.0.0.1");
	a->plen = 24;
	snprintf(a->dev, sizeof(a->dev), "eth0");
	a->proto = VRFD_PROTO;
	n = ks_neigh_add(want);
	n->family = AF_INET;
	ip4(n->ip, "10.0.0.9");
	snprintf(n->dev, sizeof(n->dev), "eth0");
	n->has_lladdr = true;
	n->lladdr[0] = 0x02;
	n->proto = VRFD_PROTO;
	n->state = NUD_PERMANENT;
}

struct fixture {
	struct watch_ns	 wn;
	struct interest	 in;
};

static void
fixture_init(struct fixture *f)
{
	struct ks_ns	 want;

	ns_with_links(&f->wn);
	want_fill(&want);
	CHECK_INTEQ(interest_build(&f->in, &want), 0);
	CHECK_INTEQ(f->in.n_routes, 1);
	CHECK_INTEQ(f->in.n_addrs, 1);
	CHECK_INTEQ(f->in.n_neighs, 1);
	ks_ns_clear(&want);
}

static void
fixture_free(struct fixture *f)
{
	interest_free(&f->in);
	ns_free(&f->wn);
}

/* Does a route event of this kind concern vrfd? -1: not decoded. */
static int
route_wakes(struct fixture *f, uint16_t type, uint16_t flags,
    const char *dst, int len, uint32_t metric, uint8_t proto)
{
	struct watch_ev	 ev;
	struct ks_route	 r;
	int		 rv;

	route4(&r, dst, len, proto);
	r.priority = metric;
	add_nh4(&r, "10.0.0.253", 2);
	if (route_event(&f->wn, type, flags, &r, &ev) != 0)
		return -1;
	rv = interest_event(&f->in, &ev);
	watch_event_clear(&ev);
	return rv;
}

/* A namespace's routes in any order, few (sorted one way) or many
 * (another): each wakes a repair where a foreign route takes its place,
 * and a route nobody declared does not. */
static void
test_interest_many_routes(void)
{
	static const size_t	 sizes[] = { 40, 64, 65, 300 };
	struct fixture		 f;
	struct ks_ns		 want;
	char			 dst[32];

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t	 n = sizes[s], woke = 0, quiet = 0;

		fixture_init(&f);
		interest_free(&f.in);
		memset(&want, 0, sizeof(want));
		for (size_t i = 0; i < n; i++) {
			struct ks_route	*r = ks_route_add(&want);

			/* 37 is prime to every size: all of 0..n-1, mixed */
			snprintf(dst, sizeof(dst), "10.%zu.%zu.0",
			    (i * 37 % n) / 200, (i * 37 % n) % 200);
			route4(r, dst, 24, VRFD_PROTO);
			add_nh4(r, "10.0.0.254", 0);
		}
		CHECK_INTEQ(interest_build(&f.in, &want), 0);
		for (size_t i = 0; i < n + 10; i++) {
			snprintf(dst, sizeof(dst), "10.%zu.%zu.0", i / 200,
			    i % 200);
			if (route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, dst,
			    24, 0, PROTO_OTHER) == 1)
				woke++;
			else
				quiet++;
		}
		CHECK_INTEQ(woke, n);
		CHECK_INTEQ(quiet, 10);
		ks_ns_clear(&want);
		fixture_free(&f);
	}
}

static void
test_interest_routes(void)
{
	struct fixture	 f;

	fixture_init(&f);
	/* ours, by the mark: declared or not */
	CHECK_INTEQ(route_wakes(&f, RTM_DELROUTE, 0, "10.8.0.0", 16, 0,
	    VRFD_PROTO), 1);
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, "10.7.0.0",
	    16, 0, VRFD_PROTO), 1);
	/* a foreign route where ours should be: a conflict appearing or
	 * going away must wake a repair */
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, "10.8.0.0",
	    16, 0, PROTO_OTHER), 1);
	CHECK_INTEQ(route_wakes(&f, RTM_DELROUTE, 0, "10.8.0.0", 16, 0,
	    PROTO_OTHER), 1);
	/* a routing daemon's churn of routes nobody declared: no */
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, "10.9.0.0",
	    16, 0, PROTO_OTHER), 0);
	CHECK_INTEQ(route_wakes(&f, RTM_DELROUTE, 0, "10.9.0.0", 16, 0,
	    PROTO_OTHER), 0);
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, "10.8.0.0",
	    24, 0, PROTO_OTHER), 0);
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, "10.8.0.0",
	    16, 100, PROTO_OTHER), 0);
	/* one that replaced another may have replaced ours */
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_REPLACE, "10.9.0.0", 16, 0, PROTO_OTHER), 1);
	fixture_free(&f);
}

static int
addr_wakes(struct fixture *f, const char *ip, int plen, int ifindex,
    uint8_t proto)
{
	struct nlmsghdr	*nlh = msg(RTM_NEWADDR, NLM_F_CREATE);
	struct watch_ev	 ev;
	struct ks_addr	 a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	ip4(a.addr, ip);
	a.plen = (uint8_t)plen;
	a.ifindex = ifindex;
	a.proto = proto;
	nl_addr_put(nlh, &a);
	if (watch_event_decode(&f->wn, nlh, &ev) != 0)
		return -1;
	return interest_event(&f->in, &ev);
}

static void
test_interest_addrs(void)
{
	struct fixture	 f;

	fixture_init(&f);
	CHECK_INTEQ(addr_wakes(&f, "10.0.0.1", 24, 2, VRFD_PROTO), 1);
	CHECK_INTEQ(addr_wakes(&f, "10.0.0.2", 24, 2, VRFD_PROTO), 1);
	/* unmarked, where ours should be: a conflict */
	CHECK_INTEQ(addr_wakes(&f, "10.0.0.1", 24, 2, 0), 1);
	/* unmarked elsewhere */
	CHECK_INTEQ(addr_wakes(&f, "10.0.0.2", 24, 2, 0), 0);
	CHECK_INTEQ(addr_wakes(&f, "10.0.0.1", 25, 2, 0), 0);
	CHECK_INTEQ(addr_wakes(&f, "10.0.0.1", 24, 1, 0), 0);
	fixture_free(&f);
}

static int
neigh_wakes(struct fixture *f, const char *ip, int ifindex, uint16_t state,
    uint8_t proto)
{
	struct watch_ev	 ev;

	if (watch_event_decode(&f->wn, neigh_msg(RTM_NEWNEIGH, AF_INET, ip,
	    ifindex, state, proto), &ev) != 0)
		return -1;
	return interest_event(&f->in, &ev);
}

static void
test_interest_neighs(void)
{
	struct fixture	 f;

	fixture_init(&f);
	CHECK_INTEQ(neigh_wakes(&f, "10.0.0.9", 2, NUD_PERMANENT, VRFD_PROTO),
	    1);
	CHECK_INTEQ(neigh_wakes(&f, "10.0.0.7", 2, NUD_PERMANENT, VRFD_PROTO),
	    1);
	/* ARP churn: no; but one that stands where ours should: yes */
	CHECK_INTEQ(neigh_wakes(&f, "10.0.0.8", 2, NUD_REACHABLE, 0), 0);
	CHECK_INTEQ(neigh_wakes(&f, "10.0.0.8", 2, NUD_STALE, 0), 0);
	CHECK_INTEQ(neigh_wakes(&f, "10.0.0.9", 2, NUD_REACHABLE, 0), 1);
	CHECK_INTEQ(neigh_wakes(&f, "10.0.0.9", 1, NUD_REACHABLE, 0), 0);
	fixture_free(&f);
}

static void
test_interest_links_netconf(void)
{
	struct fixture		 f;
	struct watch_ev		 ev;
	struct link_spec	 s = eth0_spec;

	fixture_init(&f);
	s.up = s.running = false;
	CHECK_INTEQ(watch_event_decode(&f.wn, link_msg(RTM_NEWLINK, &s), &ev),
	    0);
	CHECK(ev.changed);
	CHECK(interest_event(&f.in, &ev));
	/* carrier only */
	s.up = true;
	CHECK_INTEQ(watch_event_decode(&f.wn, link_msg(RTM_NEWLINK, &s), &ev),
	    0);
	CHECK(ev.changed);
	s.running = true;
	CHECK_INTEQ(watch_event_decode(&f.wn, link_msg(RTM_NEWLINK, &s), &ev),
	    0);
	CHECK(!ev.changed);
	CHECK(!interest_event(&f.in, &ev));
	CHECK_INTEQ(watch_event_decode(&f.wn, link_msg(RTM_DELLINK, &s), &ev),
	    0);
	CHECK(interest_event(&f.in, &ev));
	CHECK_INTEQ(watch_event_decode(&f.wn, netconf_msg(RTM_NEWNETCONF,
	    AF_INET, NETCONFA_IFINDEX_ALL, 1, -1, -1), &ev), 0);
	CHECK(interest_event(&f.in, &ev));
	fixture_free(&f);
}

/* Nothing declared: only the marks count. */
static void
test_interest_empty(void)
{
	struct fixture	 f;
	struct ks_ns	 none;

	ns_with_links(&f.wn);
	memset(&none, 0, sizeof(none));
	CHECK_INTEQ(interest_build(&f.in, &none), 0);
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, "10.8.0.0",
	    16, 0, PROTO_OTHER), 0);
	CHECK_INTEQ(route_wakes(&f, RTM_NEWROUTE, NLM_F_CREATE, "10.8.0.0",
	    16, 0, VRFD_PROTO), 1);
	CHECK_INTEQ(addr_wakes(&f, "10.0.0.1", 24, 2, 0), 0);
	CHECK_INTEQ(neigh_wakes(&f, "10.0.0.9", 2, NUD_REACHABLE, 0), 0);
	fixture_free(&f);
}

/* A hub's table of thousands: each link found by its index after others
 * were deleted (the last taking each one's place) and the table moved. */
static void
test_link_table_many(void)
{
	struct watch_ns		 wn, moved;
	struct watch_ev		 ev;
	struct link_spec	 s = { .up = true, .running = true,
				    .mtu = 1500, .mac_last = 0x02 };
	char			 name[16], want[64];
	size_t			 n = 3000;

	memset(&wn, 0, sizeof(wn));
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "e%zu", i);
		s.ifindex = (int)i + 2;
		s.name = name;
		CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_NEWLINK, &s),
		    &ev), 0);
	}
	CHECK_INTEQ(wn.n_links, n);
	/* every third one deleted */
	for (size_t i = 0; i < n; i += 3) {
		snprintf(name, sizeof(name), "e%zu", i);
		s.ifindex = (int)i + 2;
		s.name = name;
		CHECK_INTEQ(watch_event_decode(&wn, link_msg(RTM_DELLINK, &s),
		    &ev), 0);
	}
	CHECK_INTEQ(wn.n_links, n - n / 3);
	moved = wn;		/* as the table of namespaces moves it */
	memset(&wn, 0, sizeof(wn));
	s.mtu = 1400;
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "e%zu", i);
		s.ifindex = (int)i + 2;
		s.name = name;
		CHECK_INTEQ(watch_event_decode(&moved, link_msg(RTM_NEWLINK,
		    &s), &ev), 0);
		snprintf(want, sizeof(want), i % 3 == 0 ? "link %s appeared" :
		    "link %s mtu 1500 -> 1400", name);
		CHECK_STREQ(ev.what, want);
	}
	CHECK_INTEQ(moved.n_links, n);
	watch_event_links_free(&moved);
}

int
main(void)
{
	RUN(test_link_table);
	RUN(test_link_table_many);
	RUN(test_link_changes);
	RUN(test_link_carrier_only);
	RUN(test_link_rename_delete);
	RUN(test_route_words);
	RUN(test_route_not_read);
	RUN(test_addr_words);
	RUN(test_neigh_words);
	RUN(test_netconf_words);
	RUN(test_interest_routes);
	RUN(test_interest_many_routes);
	RUN(test_interest_addrs);
	RUN(test_interest_neighs);
	RUN(test_interest_links_netconf);
	RUN(test_interest_empty);
	return CHECK_DONE();
}
