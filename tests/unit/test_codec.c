/*
 * test_codec: the rtnetlink builders and parsers, round trip, with no
 * kernel involved; and the kstate helpers the diff relies on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <libmnl/libmnl.h>

#include "check.h"
#include "kernel/kstate.h"
#include "kernel/own.h"
#include "kernel/nl_attr.h"
#include "kernel/nl_codec.h"
#include "kernel/sysctl.h"

static char	buf[8192] __attribute__((aligned(8)));

static struct nlmsghdr *
msg(uint16_t type, uint16_t flags)
{
	struct nlmsghdr	*nlh;

	memset(buf, 0xa5, sizeof(buf));	/* builders must not rely on zeros */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

struct attrs {
	const struct nlattr	*tb[256];
};

static int
attrs_cb(const struct nlattr *a, void *data)
{
	struct attrs	*at = data;
	uint16_t	 type = mnl_attr_get_type(a);

	if (type < 256)
		at->tb[type] = a;
	return MNL_CB_OK;
}

static void
attrs_msg(const struct nlmsghdr *nlh, size_t hdr, struct attrs *at)
{
	memset(at, 0, sizeof(*at));
	CHECK(mnl_attr_parse(nlh, hdr, attrs_cb, at) == MNL_CB_OK);
}

static void
attrs_nest(const struct nlattr *nest, struct attrs *at)
{
	memset(at, 0, sizeof(*at));
	CHECK(nest != NULL);
	if (nest != NULL)
		CHECK(mnl_attr_parse_nested(nest, attrs_cb, at) == MNL_CB_OK);
}

static bool
attr_is(const struct nlattr *a, const void *data, size_t len)
{
	return a != NULL && mnl_attr_get_payload_len(a) == len &&
	    memcmp(mnl_attr_get_payload(a), data, len) == 0;
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

static void
veth_ends(struct ks_link *a, struct ks_link *b)
{
	static const uint8_t	ma[6] = { 0x02, 0, 0, 0, 0, 0x0a };
	static const uint8_t	mb[6] = { 0x02, 0, 0, 0, 0, 0x0b };

	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	strcpy(a->name, "eth0");
	a->ifindex = 10;
	a->mtu = 1400;
	a->has_mac = true;
	memcpy(a->mac, ma, 6);
	a->up = true;
	a->primary = true;
	a->group = OWN_LINK_GROUP;
	strcpy(b->name, "eth1");
	b->ifindex = 11;
	b->mtu = 1400;
	b->has_mac = true;
	memcpy(b->mac, mb, 6);
	b->up = true;	/* wanted up, but the peer is never created up */
	b->group = OWN_LINK_GROUP;
}

static void
test_veth_build(void)
{
	struct nlmsghdr		*nlh = msg(RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL);
	struct ks_link		 a, b;
	const struct ifinfomsg	*ifm;
	struct attrs		 top, info, data, peer;
	const struct nlattr	*pa;
	size_t			 plen;

	veth_ends(&a, &b);
	nl_link_put_veth(nlh, &a, 5, &b, 6);

	ifm = mnl_nlmsg_get_payload(nlh);
	CHECK_INTEQ(ifm->ifi_family, AF_UNSPEC);
	CHECK_INTEQ(ifm->ifi_index, 10);
	CHECK_INTEQ(ifm->ifi_flags, IFF_UP);
	CHECK_INTEQ(ifm->ifi_change, IFF_UP);
	attrs_msg(nlh, sizeof(*ifm), &top);
	CHECK_STREQ(mnl_attr_get_str(top.tb[IFLA_IFNAME]), "eth0");
	CHECK_INTEQ(mnl_attr_get_u32(top.tb[IFLA_NET_NS_FD]), 5);
	CHECK_INTEQ(mnl_attr_get_u32(top.tb[IFLA_MTU]), 1400);
	CHECK(attr_is(top.tb[IFLA_ADDRESS], a.mac, 6));
	/* Marked by its group: the kernel ignores an alias here. */
	CHECK_INTEQ(mnl_attr_get_u32(top.tb[IFLA_GROUP]), OWN_LINK_GROUP);
	CHECK(top.tb[IFLA_IFALIAS] == NULL);
	CHECK_INTEQ(mnl_attr_get_u32(top.tb[IFLA_NUM_TX_QUEUES]), 1);
	CHECK_INTEQ(mnl_attr_get_u32(top.tb[IFLA_NUM_RX_QUEUES]), 1);

	attrs_nest(top.tb[IFLA_LINKINFO], &info);
	CHECK_STREQ(mnl_attr_get_str(info.tb[IFLA_INFO_KIND]), "veth");
	attrs_nest(info.tb[IFLA_INFO_DATA], &data);
	pa = data.tb[VETH_INFO_PEER];
	CHECK(pa != NULL);
	if (pa == NULL)
		return;
	/* VETH_INFO_PEER: an ifinfomsg, then the peer's attributes. */
	plen = mnl_attr_get_payload_len(pa);
	CHECK(plen > sizeof(struct ifinfomsg));
	ifm = mnl_attr_get_payload(pa);
	CHECK_INTEQ(ifm->ifi_index, 11);
	CHECK_INTEQ(ifm->ifi_flags, 0);
	CHECK_INTEQ(ifm->ifi_change, 0);
	memset(&peer, 0, sizeof(peer));
	CHECK(mnl_attr_parse_payload((const char *)ifm +
	    MNL_ALIGN(sizeof(*ifm)), plen - MNL_ALIGN(sizeof(*ifm)),
	    attrs_cb, &peer) == MNL_CB_OK);
	CHECK_STREQ(mnl_attr_get_str(peer.tb[IFLA_IFNAME]), "eth1");
	CHECK_INTEQ(mnl_attr_get_u32(peer.tb[IFLA_NET_NS_FD]), 6);
	CHECK_INTEQ(mnl_attr_get_u32(peer.tb[IFLA_MTU]), 1400);
	CHECK(attr_is(peer.tb[IFLA_ADDRESS], b.mac, 6));
	CHECK_INTEQ(mnl_attr_get_u32(peer.tb[IFLA_GROUP]), OWN_LINK_GROUP);
	CHECK_INTEQ(mnl_attr_get_u32(peer.tb[IFLA_NUM_TX_QUEUES]), 1);
	CHECK_INTEQ(mnl_attr_get_u32(peer.tb[IFLA_NUM_RX_QUEUES]), 1);
	CHECK(peer.tb[IFLA_LINKINFO] == NULL);
}

static void
test_veth_parse(void)
{
	struct nlmsghdr	*nlh = msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ks_link	 a, b, got;

	veth_ends(&a, &b);
	nl_link_put_veth(nlh, &a, -1, &b, -1);
	CHECK_INTEQ(nl_link_parse(nlh, &got), 0);
	CHECK_STREQ(got.name, "eth0");
	CHECK_INTEQ(got.ifindex, 10);
	CHECK_INTEQ(got.kind, KS_LINK_VETH);
	CHECK_INTEQ(got.mtu, 1400);
	CHECK(got.has_mac && memcmp(got.mac, a.mac, 6) == 0);
	CHECK(got.up);
	CHECK_INTEQ(got.group, OWN_LINK_GROUP);
	CHECK_INTEQ(got.peer_nsid, -1);

	/* no namespace fds: no IFLA_NET_NS_FD anywhere */
	{
		struct attrs	top;

		attrs_msg(nlh, sizeof(struct ifinfomsg), &top);
		CHECK(top.tb[IFLA_NET_NS_FD] == NULL);
	}
	/* a down primary is created down */
	a.up = false;
	nlh = msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	nl_link_put_veth(nlh, &a, -1, &b, -1);
	CHECK_INTEQ(((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_flags,
	    0);
}

static void
test_link_kernel_forms(void)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifm;
	struct nlattr		*nest;
	struct ks_link		 got;
	static const uint8_t	 zero[6];

	/* a veth as the kernel reports it: peer index and netnsid */
	nlh = msg(RTM_NEWLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = 7;
	ifm->ifi_type = ARPHRD_ETHER;
	ifm->ifi_flags = IFF_UP | IFF_RUNNING;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "r1-eth0");
	mnl_attr_put_u32(nlh, IFLA_LINK, 9);
	mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, 3);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 4);
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, "vrfd x");
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INTEQ(nl_link_parse(nlh, &got), 0);
	CHECK_STREQ(got.name, "r1-eth0");
	CHECK_INTEQ(got.kind, KS_LINK_VETH);
	CHECK_INTEQ(got.peer_ifindex, 9);
	CHECK_INTEQ(got.peer_nsid, 3);
	CHECK_INTEQ(got.master_ifindex, 4);
	CHECK_STREQ(got.alias, "vrfd x");
	CHECK(got.up);

	/* loopback: by ARPHRD, no kind */
	nlh = msg(RTM_NEWLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = 1;
	ifm->ifi_type = ARPHRD_LOOPBACK;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo");
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, zero);
	CHECK_INTEQ(nl_link_parse(nlh, &got), 0);
	CHECK_INTEQ(got.kind, KS_LINK_LO);
	CHECK(!got.up);
	CHECK_STREQ(got.alias, "");

	/* not a link; too short; AF_BRIDGE port info */
	nlh = msg(RTM_NEWROUTE, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	CHECK_INTEQ(nl_link_parse(nlh, &got), -ENOENT);
	nlh = msg(RTM_NEWLINK, 0);
	CHECK_INTEQ(nl_link_parse(nlh, &got), -EINVAL);
	nlh = msg(RTM_NEWLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_BRIDGE;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	CHECK_INTEQ(nl_link_parse(nlh, &got), -ENOENT);
	/* a bad u32 */
	nlh = msg(RTM_NEWLINK, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	mnl_attr_put_u8(nlh, IFLA_MTU, 1);
	CHECK_INTEQ(nl_link_parse(nlh, &got), -EINVAL);
}

static void
test_bridge_set_del(void)
{
	struct nlmsghdr		*nlh = msg(RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL);
	struct ks_link		 br, got;
	struct attrs		 top, info;
	const struct ifinfomsg	*ifm;

	memset(&br, 0, sizeof(br));
	strcpy(br.name, "br0");
	br.up = true;
	br.group = OWN_LINK_GROUP;
	nl_link_put_bridge(nlh, &br);
	CHECK_INTEQ(nl_link_parse(nlh, &got), 0);
	CHECK_INTEQ(got.kind, KS_LINK_BRIDGE);
	CHECK_INTEQ(got.group, OWN_LINK_GROUP);
	CHECK(got.up);
	attrs_msg(nlh, sizeof(struct ifinfomsg), &top);
	attrs_nest(top.tb[IFLA_LINKINFO], &info);
	CHECK_STREQ(mnl_attr_get_str(info.tb[IFLA_INFO_KIND]), "bridge");

	/* set: only what WHAT says; the mark is the alias and the default
	 * group */
	br.up = false;
	br.mtu = 9000;
	br.group = 0;
	strcpy(br.alias, "vrfd switch");
	nlh = msg(RTM_NEWLINK, 0);
	nl_link_put_set(nlh, 12, &br, NL_LINK_SET_UP | NL_LINK_SET_MASTER |
	    NL_LINK_SET_MARK, 3);
	ifm = mnl_nlmsg_get_payload(nlh);
	CHECK_INTEQ(ifm->ifi_index, 12);
	CHECK_INTEQ(ifm->ifi_flags, 0);
	CHECK_INTEQ(ifm->ifi_change, IFF_UP);
	attrs_msg(nlh, sizeof(*ifm), &top);
	CHECK(top.tb[IFLA_MTU] == NULL);
	CHECK_INTEQ(mnl_attr_get_u32(top.tb[IFLA_MASTER]), 3);
	CHECK(attr_is(top.tb[IFLA_IFALIAS], "vrfd switch", 11));
	CHECK(top.tb[IFLA_GROUP] != NULL &&
	    mnl_attr_get_u32(top.tb[IFLA_GROUP]) == 0);

	nlh = msg(RTM_NEWLINK, 0);
	nl_link_put_set(nlh, 12, &br, NL_LINK_SET_MTU, 0);
	ifm = mnl_nlmsg_get_payload(nlh);
	CHECK_INTEQ(ifm->ifi_change, 0);
	attrs_msg(nlh, sizeof(*ifm), &top);
	CHECK_INTEQ(mnl_attr_get_u32(top.tb[IFLA_MTU]), 9000);
	CHECK(top.tb[IFLA_MASTER] == NULL && top.tb[IFLA_IFALIAS] == NULL);

	/* clearing the alias: an empty attribute */
	br.alias[0] = '\0';
	nlh = msg(RTM_NEWLINK, 0);
	nl_link_put_set(nlh, 12, &br, NL_LINK_SET_MARK, 0);
	attrs_msg(nlh, sizeof(*ifm), &top);
	CHECK(top.tb[IFLA_IFALIAS] != NULL &&
	    mnl_attr_get_payload_len(top.tb[IFLA_IFALIAS]) == 0);

	nlh = msg(RTM_DELLINK, 0);
	nl_link_put_del(nlh, 12);
	CHECK_INTEQ(((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index,
	    12);
	CHECK_INTEQ(nlh->nlmsg_len, MNL_NLMSG_HDRLEN +
	    MNL_ALIGN(sizeof(struct ifinfomsg)));
}

static void
test_addr(void)
{
	struct nlmsghdr		*nlh;
	struct ks_addr		 a, got;
	struct attrs		 at;
	const struct ifaddrmsg	*ifa;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	ip4(a.addr, "10.0.12.1");
	a.plen = 24;
	a.ifindex = 3;
	a.proto = VRFD_PROTO;
	nlh = msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	nl_addr_put(nlh, &a);
	attrs_msg(nlh, sizeof(*ifa), &at);
	CHECK(attr_is(at.tb[IFA_LOCAL], a.addr, 4));
	CHECK(attr_is(at.tb[IFA_ADDRESS], a.addr, 4));
	CHECK_INTEQ(mnl_attr_get_u8(at.tb[IFA_PROTO]), VRFD_PROTO);
	CHECK(!(mnl_attr_get_u32(at.tb[IFA_FLAGS]) & IFA_F_NODAD));
	CHECK_INTEQ(nl_addr_parse(nlh, &got), 0);
	strcpy(a.dev, "eth0");
	strcpy(got.dev, "eth1");	/* observe names devices later */
	CHECK(!ks_addr_same_key(&a, &got));
	strcpy(got.dev, "eth0");
	CHECK(ks_addr_same_key(&a, &got));
	got.plen = 25;
	CHECK(!ks_addr_same_key(&a, &got));
	got.plen = 24;
	CHECK_INTEQ(got.ifindex, 3);
	CHECK_INTEQ(got.proto, VRFD_PROTO);

	/* IPv6: IFA_ADDRESS only, and NODAD */
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	ip6(a.addr, "2001:db8::1");
	a.plen = 64;
	a.ifindex = 4;
	a.proto = VRFD_PROTO;
	nlh = msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	nl_addr_put(nlh, &a);
	ifa = mnl_nlmsg_get_payload(nlh);
	CHECK(ifa->ifa_flags & IFA_F_NODAD);
	attrs_msg(nlh, sizeof(*ifa), &at);
	CHECK(at.tb[IFA_LOCAL] == NULL);
	CHECK(attr_is(at.tb[IFA_ADDRESS], a.addr, 16));
	CHECK(mnl_attr_get_u32(at.tb[IFA_FLAGS]) & IFA_F_NODAD);
	CHECK_INTEQ(nl_addr_parse(nlh, &got), 0);
	CHECK_INTEQ(got.family, AF_INET6);
	CHECK_INTEQ(got.plen, 64);
	CHECK(memcmp(got.addr, a.addr, 16) == 0);
	CHECK(got.flags & IFA_F_NODAD);
	CHECK_INTEQ(got.proto, VRFD_PROTO);

	/* delete: the key only */
	nlh = msg(RTM_DELADDR, 0);
	nl_addr_put(nlh, &a);
	attrs_msg(nlh, sizeof(*ifa), &at);
	CHECK(at.tb[IFA_FLAGS] == NULL && at.tb[IFA_PROTO] == NULL);
	CHECK(at.tb[IFA_ADDRESS] != NULL);

	/* kernel form with a peer: IFA_LOCAL is ours */
	nlh = msg(RTM_NEWADDR, 0);
	{
		struct ifaddrmsg	*m;
		uint8_t			 l[4], p[4];

		m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
		m->ifa_family = AF_INET;
		m->ifa_prefixlen = 32;
		m->ifa_scope = RT_SCOPE_HOST;
		m->ifa_flags = IFA_F_PERMANENT;
		ip4(l, "10.1.1.1");
		ip4(p, "10.1.1.2");
		mnl_attr_put(nlh, IFA_ADDRESS, 4, p);
		mnl_attr_put(nlh, IFA_LOCAL, 4, l);
		CHECK_INTEQ(nl_addr_parse(nlh, &got), 0);
		CHECK(memcmp(got.addr, l, 4) == 0);
		CHECK_INTEQ(got.scope, RT_SCOPE_HOST);
		CHECK_INTEQ(got.flags, IFA_F_PERMANENT);
		CHECK_INTEQ(got.proto, 0);
	}
	/* another family is not ours; a short address is malformed */
	nlh = msg(RTM_NEWADDR, 0);
	((struct ifaddrmsg *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct ifaddrmsg)))->ifa_family = AF_PACKET;
	CHECK_INTEQ(nl_addr_parse(nlh, &got), -ENOENT);
	nlh = msg(RTM_NEWADDR, 0);
	((struct ifaddrmsg *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct ifaddrmsg)))->ifa_family = AF_INET6;
	mnl_attr_put_u32(nlh, IFA_ADDRESS, 1);
	CHECK_INTEQ(nl_addr_parse(nlh, &got), -EINVAL);
}

static void
route4(struct ks_route *r, const char *dst, int len)
{
	memset(r, 0, sizeof(*r));
	r->family = AF_INET;
	ip4(r->dst, dst);
	r->dst_len = (uint8_t)len;
	r->type = RTN_UNICAST;
	r->protocol = VRFD_PROTO;
	r->table = RT_TABLE_MAIN;
}

static void
add_nh4(struct ks_route *r, const char *gw, int ifindex, unsigned weight)
{
	struct ks_nexthop	*nh = ks_route_nh_add(r);

	CHECK(nh != NULL);
	if (nh == NULL)
		return;
	if (gw != NULL) {
		nh->has_gw = true;
		nh->gw_family = AF_INET;
		ip4(nh->gw, gw);
	}
	nh->ifindex = ifindex;
	nh->weight = weight;
}

static void
test_route_single(void)
{
	struct nlmsghdr		*nlh;
	struct ks_route		 r, got;
	struct attrs		 at;
	const struct rtmsg	*rtm;

	route4(&r, "10.0.2.0", 24);
	r.priority = 20;
	r.scope = RT_SCOPE_UNIVERSE;
	add_nh4(&r, "10.0.12.2", 3, 0);
	nlh = msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
	nl_route_put(nlh, &r);
	rtm = mnl_nlmsg_get_payload(nlh);
	CHECK_INTEQ(rtm->rtm_table, RT_TABLE_MAIN);
	CHECK_INTEQ(rtm->rtm_protocol, VRFD_PROTO);
	CHECK_INTEQ(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	CHECK_INTEQ(rtm->rtm_type, RTN_UNICAST);
	attrs_msg(nlh, sizeof(*rtm), &at);
	CHECK(at.tb[RTA_MULTIPATH] == NULL);
	CHECK_INTEQ(mnl_attr_get_u32(at.tb[RTA_OIF]), 3);
	CHECK_INTEQ(mnl_attr_get_u32(at.tb[RTA_PRIORITY]), 20);
	CHECK_INTEQ(mnl_attr_get_u32(at.tb[RTA_TABLE]), RT_TABLE_MAIN);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK(ks_route_same_key(&r, &got));
	CHECK(ks_route_same(&r, &got));
	CHECK_INTEQ(got.n_nh, 1);
	CHECK(got.nhs == NULL);
	CHECK_INTEQ(ks_nh(&got, 0)->ifindex, 3);
	CHECK_INTEQ(ks_nh(&got, 0)->weight, 1);
	CHECK(ks_nh(&got, 0)->has_gw);

	/* dev-only, link scope; default route has no RTA_DST */
	route4(&r, "0.0.0.0", 0);
	r.scope = RT_SCOPE_LINK;
	add_nh4(&r, NULL, 5, 1);
	nlh = msg(RTM_NEWROUTE, NLM_F_CREATE);
	nl_route_put(nlh, &r);
	CHECK_INTEQ(((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_scope,
	    RT_SCOPE_LINK);
	attrs_msg(nlh, sizeof(*rtm), &at);
	CHECK(at.tb[RTA_DST] == NULL && at.tb[RTA_GATEWAY] == NULL);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK(ks_route_same(&r, &got));
	CHECK_INTEQ(got.scope, RT_SCOPE_LINK);

	/* delete: any scope */
	nlh = msg(RTM_DELROUTE, 0);
	nl_route_put(nlh, &r);
	CHECK_INTEQ(((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_scope,
	    RT_SCOPE_NOWHERE);

	/* a big table id rides in RTA_TABLE */
	route4(&r, "10.9.0.0", 16);
	r.table = 1000;
	r.type = RTN_BLACKHOLE;
	add_nh4(&r, "10.0.0.1", 2, 1);	/* ignored for a blackhole */
	nlh = msg(RTM_NEWROUTE, NLM_F_CREATE);
	nl_route_put(nlh, &r);
	CHECK_INTEQ(((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_table,
	    RT_TABLE_COMPAT);
	attrs_msg(nlh, sizeof(*rtm), &at);
	CHECK(at.tb[RTA_GATEWAY] == NULL && at.tb[RTA_OIF] == NULL);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK_INTEQ(got.table, 1000);
	CHECK_INTEQ(got.type, RTN_BLACKHOLE);
	CHECK_INTEQ(got.n_nh, 0);
}

static void
test_route_multipath(void)
{
	struct nlmsghdr		*nlh;
	struct ks_route		 r, got, shuffled;
	struct attrs		 at;
	int			 i;

	route4(&r, "10.0.3.0", 24);
	add_nh4(&r, "10.0.12.2", 3, 1);
	add_nh4(&r, "10.0.13.2", 4, 5);
	add_nh4(&r, "10.0.14.2", 5, 256);
	nlh = msg(RTM_NEWROUTE, NLM_F_CREATE);
	nl_route_put(nlh, &r);
	attrs_msg(nlh, sizeof(struct rtmsg), &at);
	CHECK(at.tb[RTA_MULTIPATH] != NULL);
	CHECK(at.tb[RTA_GATEWAY] == NULL && at.tb[RTA_OIF] == NULL);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK_INTEQ(got.n_nh, 3);
	for (i = 0; i < 3 && i < got.n_nh; i++) {
		CHECK_INTEQ(ks_nh(&got, i)->weight, ks_nh(&r, i)->weight);
		CHECK_INTEQ(ks_nh(&got, i)->ifindex, ks_nh(&r, i)->ifindex);
		CHECK(ks_nh(&got, i)->has_gw &&
		    memcmp(ks_nh(&got, i)->gw, ks_nh(&r, i)->gw, 4) == 0);
	}
	CHECK(ks_route_same(&r, &got));
	ks_route_clear(&got);

	/* order does not matter, weights do; a copy has nexthops of its
	 * own */
	CHECK_INTEQ(ks_route_copy(&shuffled, &r), 0);
	CHECK(shuffled.nhs != r.nhs);
	*ks_nh(&shuffled, 0) = *ks_nh(&r, 2);
	*ks_nh(&shuffled, 2) = *ks_nh(&r, 0);
	CHECK(ks_route_same(&r, &shuffled));
	ks_nh(&shuffled, 1)->weight = 4;
	CHECK(!ks_route_same(&r, &shuffled));
	CHECK_INTEQ(ks_nh(&r, 1)->weight, 5);
	ks_route_clear(&shuffled);

	/* IPv6, as many nexthops as a route holds, full round trip */
	ks_route_clear(&r);
	memset(&r, 0, sizeof(r));
	r.family = AF_INET6;
	ip6(r.dst, "2001:db8:100::");
	r.dst_len = 48;
	r.type = RTN_UNICAST;
	r.protocol = VRFD_PROTO;
	r.table = RT_TABLE_MAIN;
	r.priority = 1024;
	for (i = 0; i < KS_MAX_NEXTHOPS; i++) {
		struct ks_nexthop	*nh = ks_route_nh_add(&r);

		CHECK(nh != NULL);
		if (nh == NULL)
			return;
		nh->has_gw = true;
		nh->gw_family = AF_INET6;
		ip6(nh->gw, "fe80::1");
		nh->gw[15] = (uint8_t)(i + 1);
		nh->ifindex = 2 + i;
		nh->weight = (uint16_t)(i * 8 + 1);
	}
	nlh = msg(RTM_NEWROUTE, NLM_F_CREATE);
	nl_route_put(nlh, &r);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK_INTEQ(got.n_nh, KS_MAX_NEXTHOPS);
	CHECK_INTEQ(got.priority, 1024);
	CHECK(ks_route_same(&r, &got));
	ks_route_clear(&got);
	ks_route_clear(&r);
}

/* A route's nexthops: the first in the route, more in an array of its
 * own, KS_MAX_NEXTHOPS at most; copies are deep, clears free. */
static void
test_route_nexthops(void)
{
	struct ks_ns		 ns;
	struct ks_route		 r, c, *p;
	struct ks_nexthop	*nh;
	struct nlmsghdr		*nlh;
	struct rtmsg		*rtm;
	struct nlattr		*mp;
	struct rtnexthop	*rtnh;
	char			 gw[32];
	int			 i;

	route4(&r, "10.0.3.0", 24);
	add_nh4(&r, "10.0.12.2", 3, 1);
	CHECK(r.nhs == NULL && ks_nh(&r, 0) == &r.nh1);
	CHECK_INTEQ(ks_route_copy(&c, &r), 0);
	CHECK(c.nhs == NULL && ks_route_same(&r, &c));
	for (i = 1; i < KS_MAX_NEXTHOPS; i++) {
		snprintf(gw, sizeof(gw), "10.0.%d.2", 12 + i);
		add_nh4(&r, gw, 3 + i, (unsigned)i + 1);
	}
	CHECK_INTEQ(r.n_nh, KS_MAX_NEXTHOPS);
	CHECK(r.nhs != NULL);
	CHECK_INTEQ(ks_nh(&r, 0)->ifindex, 3);	/* moved out of nh1 */
	CHECK_INTEQ(ks_nh(&r, 15)->ifindex, 18);
	errno = 0;
	CHECK(ks_route_nh_add(&r) == NULL);
	CHECK_INTEQ(errno, E2BIG);
	CHECK_INTEQ(r.n_nh, KS_MAX_NEXTHOPS);

	CHECK_INTEQ(ks_route_copy(&c, &r), 0);
	CHECK(c.nhs != NULL && c.nhs != r.nhs);
	CHECK(ks_route_same(&r, &c));
	CHECK(ks_route_key_hash(&r) == ks_route_key_hash(&c));
	ks_nh(&c, 15)->weight = 99;
	CHECK(!ks_route_same(&r, &c));
	CHECK_INTEQ(ks_nh(&r, 15)->weight, 16);
	/* the copy can grow and shrink by itself */
	ks_route_clear(&c);
	CHECK(c.n_nh == 0 && c.nhs == NULL);
	CHECK(ks_route_nh_add(&c) == &c.nh1);
	ks_route_clear(&c);

	nlh = msg(RTM_NEWROUTE, NLM_F_CREATE);
	nl_route_put(nlh, &r);
	CHECK_INTEQ(nl_route_parse(nlh, &c), 0);
	CHECK(ks_route_same(&r, &c));
	ks_route_clear(&c);

	/* more nexthops than a route holds are left out */
	nlh = msg(RTM_NEWROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 24;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, 4, r.dst);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (i = 0; i < KS_MAX_NEXTHOPS + 4; i++) {
		rtnh = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtnh));
		rtnh->rtnh_len = sizeof(*rtnh);
		rtnh->rtnh_ifindex = 3 + i;
	}
	mnl_attr_nest_end(nlh, mp);
	CHECK_INTEQ(nl_route_parse(nlh, &c), 0);
	CHECK_INTEQ(c.n_nh, KS_MAX_NEXTHOPS);
	CHECK_INTEQ(ks_nh(&c, KS_MAX_NEXTHOPS - 1)->ifindex,
	    3 + KS_MAX_NEXTHOPS - 1);
	ks_route_clear(&c);

	/* a namespace frees its routes' nexthops, dropped ones too */
	memset(&ns, 0, sizeof(ns));
	for (i = 0; i < 20; i++) {
		if ((p = ks_route_add(&ns)) == NULL ||
		    ks_route_copy(p, &r) < 0) {
			CHECK(!"out of memory");
			break;
		}
	}
	ks_route_drop(&ns);
	CHECK_INTEQ(ns.n_routes, 19);
	p = ks_route_add(&ns);
	CHECK(p != NULL && p->n_nh == 0 && p->nhs == NULL);
	if (p != NULL && (nh = ks_route_nh_add(p)) != NULL &&
	    (nh = ks_route_nh_add(p)) != NULL)
		nh->weight = 2;
	ks_ns_clear(&ns);
	ks_route_clear(&r);
}

static void
test_route_kernel_forms(void)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	struct ks_route	 r, got;
	char		 via[sizeof(struct rtvia) + 16];
	struct rtvia	*v = (struct rtvia *)via;
	uint8_t		 gw6[16];

	/* IPv4 over an IPv6 next hop (RTA_VIA), with a nexthop object */
	nlh = msg(RTM_NEWROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 8;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = 186;	/* bgp, FRR */
	rtm->rtm_type = RTN_UNICAST;
	ip4(r.dst, "10.0.0.0");
	mnl_attr_put(nlh, RTA_DST, 4, r.dst);
	mnl_attr_put_u32(nlh, RTA_NH_ID, 77);
	ip6(gw6, "fe80::5");
	v->rtvia_family = AF_INET6;
	memcpy(v->rtvia_addr, gw6, 16);
	mnl_attr_put(nlh, RTA_VIA, sizeof(*v) + 16, via);
	mnl_attr_put_u32(nlh, RTA_OIF, 6);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK_INTEQ(got.nhid, 77);
	CHECK_INTEQ(got.protocol, 186);
	CHECK_INTEQ(got.n_nh, 1);
	CHECK(ks_nh(&got, 0)->has_gw);
	CHECK_INTEQ(ks_nh(&got, 0)->gw_family, AF_INET6);
	CHECK(memcmp(ks_nh(&got, 0)->gw, gw6, 16) == 0);
	CHECK_INTEQ(ks_nh(&got, 0)->ifindex, 6);

	/* and it builds back the same way */
	r = got;
	r.nhid = 0;
	nlh = msg(RTM_NEWROUTE, 0);
	nl_route_put(nlh, &r);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK(ks_route_same(&r, &got));

	/* IPv6 blackhole: the kernel says "dev lo", we say no nexthop */
	nlh = msg(RTM_NEWROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 64;
	rtm->rtm_type = RTN_BLACKHOLE;
	rtm->rtm_table = RT_TABLE_MAIN;
	mnl_attr_put(nlh, RTA_DST, 16, gw6);
	mnl_attr_put_u32(nlh, RTA_OIF, 1);
	CHECK_INTEQ(nl_route_parse(nlh, &got), 0);
	CHECK_INTEQ(got.n_nh, 0);

	/* malformed: dst_len beyond the family, short RTA_DST, bad rtnh */
	nlh = msg(RTM_NEWROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 33;
	CHECK_INTEQ(nl_route_parse(nlh, &got), -EINVAL);
	rtm->rtm_dst_len = 32;
	mnl_attr_put_u16(nlh, RTA_DST, 1);
	CHECK_INTEQ(nl_route_parse(nlh, &got), -EINVAL);
	nlh = msg(RTM_NEWROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_type = RTN_UNICAST;
	{
		struct rtnexthop	bad = { .rtnh_len = 200 };

		mnl_attr_put(nlh, RTA_MULTIPATH, sizeof(bad), &bad);
	}
	CHECK_INTEQ(nl_route_parse(nlh, &got), -EINVAL);
	nlh = msg(RTM_NEWROUTE, 0);
	((struct rtmsg *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct rtmsg)))->rtm_family = 28;	/* AF_MPLS */
	CHECK_INTEQ(nl_route_parse(nlh, &got), -ENOENT);
}

static void
test_neigh(void)
{
	struct nlmsghdr		*nlh;
	struct ks_neigh		 n, got;
	struct attrs		 at;
	static const uint8_t	 mac[6] = { 0x02, 1, 2, 3, 4, 5 };

	memset(&n, 0, sizeof(n));
	n.family = AF_INET;
	ip4(n.ip, "10.0.12.2");
	n.has_lladdr = true;
	memcpy(n.lladdr, mac, 6);
	n.ifindex = 3;
	n.proto = VRFD_PROTO;
	nlh = msg(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
	nl_neigh_put(nlh, &n);
	CHECK_INTEQ(((struct ndmsg *)mnl_nlmsg_get_payload(nlh))->ndm_state,
	    NUD_PERMANENT);
	CHECK_INTEQ(nl_neigh_parse(nlh, &got), 0);
	CHECK_INTEQ(got.state, NUD_PERMANENT);
	CHECK_INTEQ(got.proto, VRFD_PROTO);
	CHECK_INTEQ(got.ifindex, 3);
	CHECK(got.has_lladdr && memcmp(got.lladdr, mac, 6) == 0);
	CHECK(ks_neigh_same_key(&n, &got));

	n.family = AF_INET6;
	ip6(n.ip, "2001:db8::2");
	nlh = msg(RTM_NEWNEIGH, NLM_F_CREATE);
	nl_neigh_put(nlh, &n);
	CHECK_INTEQ(nl_neigh_parse(nlh, &got), 0);
	CHECK(ks_neigh_same_key(&n, &got));
	CHECK(!ks_neigh_same_key(&n, &(struct ks_neigh){ .family = AF_INET }));

	nlh = msg(RTM_DELNEIGH, 0);
	nl_neigh_put(nlh, &n);
	attrs_msg(nlh, sizeof(struct ndmsg), &at);
	CHECK(at.tb[NDA_DST] != NULL && at.tb[NDA_LLADDR] == NULL);

	/* fdb entries are not neighbours */
	nlh = msg(RTM_NEWNEIGH, 0);
	((struct ndmsg *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct ndmsg)))->ndm_family = AF_BRIDGE;
	CHECK_INTEQ(nl_neigh_parse(nlh, &got), -ENOENT);
}

static void
test_kstate(void)
{
	struct ks_ns		 ns;
	struct ks_route		*r, a, b;
	struct ks_link		*l;
	struct ks_addr		 ad;
	char			 s[64];
	int			 i;

	memset(&ns, 0, sizeof(ns));
	strcpy(ns.name, "lab-r1");
	for (i = 0; i < 1000; i++) {
		r = ks_route_add(&ns);
		CHECK(r != NULL);
		if (r == NULL)
			return;
		CHECK(r->n_nh == 0 && r->priority == 0);
		r->priority = (uint32_t)i;
	}
	for (i = 0; i < 1000; i++)
		CHECK_INTEQ(ns.routes[i].priority, i);
	/* removing the last and adding again keeps the array sound */
	ns.n_routes -= 3;
	for (i = 0; i < 10; i++)
		CHECK(ks_route_add(&ns) != NULL);
	CHECK_INTEQ(ns.n_routes, 1007);
	l = ks_link_add(&ns);
	strcpy(l->name, "eth0");
	l->ifindex = 4;
	CHECK_INTEQ(l->peer_nsid, -1);
	CHECK(ks_link_by_name(&ns, "eth0") == l);
	CHECK(ks_link_by_index(&ns, 4) == l);
	CHECK(ks_link_by_index(&ns, 5) == NULL);
	CHECK_STREQ(ks_ifname(&ns, 4), "eth0");
	CHECK_STREQ(ks_ifname(&ns, 0), "");
	ks_ns_clear(&ns);
	CHECK_STREQ(ns.name, "lab-r1");
	CHECK(ns.n_routes == 0 && ns.routes == NULL && ns.n_links == 0);

	/* keys: host bits don't count, metric does; the hash agrees */
	route4(&a, "10.0.0.0", 24);
	route4(&b, "10.0.0.7", 24);
	CHECK(ks_route_same_key(&a, &b));
	CHECK(ks_route_key_hash(&a) == ks_route_key_hash(&b));
	route4(&a, "10.0.0.128", 25);
	route4(&b, "10.0.0.255", 25);
	CHECK(ks_route_same_key(&a, &b));
	CHECK(ks_route_key_hash(&a) == ks_route_key_hash(&b));
	route4(&a, "0.0.0.0", 0);
	route4(&b, "10.9.9.9", 0);
	CHECK(ks_route_same_key(&a, &b));
	CHECK(ks_route_key_hash(&a) == ks_route_key_hash(&b));
	route4(&a, "10.0.0.0", 24);
	route4(&b, "10.0.0.7", 24);
	b.priority = 5;
	CHECK(!ks_route_same_key(&a, &b));
	CHECK(ks_route_key_hash(&a) != ks_route_key_hash(&b));
	route4(&b, "10.0.1.0", 23);
	CHECK(!ks_route_same_key(&a, &b));
	/* contents: dev "" is any; single nexthop weight is moot; scope is
	 * not compared */
	add_nh4(&a, "10.0.12.2", 0, 0);
	route4(&b, "10.0.0.0", 24);
	add_nh4(&b, "10.0.12.2", 3, 7);
	strcpy(ks_nh(&b, 0)->dev, "eth0");
	b.scope = RT_SCOPE_LINK;
	CHECK(ks_route_same(&a, &b));
	b.protocol = RTPROT_KERNEL;
	CHECK(!ks_route_same(&a, &b));
	b.protocol = VRFD_PROTO;
	b.type = RTN_BLACKHOLE;
	CHECK(!ks_route_same(&a, &b));
	/* wildcards must not steal a specific match */
	route4(&a, "10.0.0.0", 24);
	add_nh4(&a, "10.0.12.2", 0, 1);
	add_nh4(&a, "10.0.12.2", 0, 1);
	strcpy(ks_nh(&a, 1)->dev, "eth1");
	route4(&b, "10.0.0.0", 24);
	add_nh4(&b, "10.0.12.2", 0, 1);
	add_nh4(&b, "10.0.12.2", 0, 1);
	strcpy(ks_nh(&b, 0)->dev, "eth1");
	strcpy(ks_nh(&b, 1)->dev, "eth2");
	CHECK(ks_route_same(&a, &b));
	/* multisets, not sets */
	strcpy(ks_nh(&a, 0)->dev, "eth1");
	CHECK(!ks_route_same(&a, &b));
	ks_route_clear(&a);
	ks_route_clear(&b);

	memset(&ad, 0, sizeof(ad));
	ad.family = AF_INET6;
	ip6(ad.addr, "2001:db8::1");
	ad.plen = 64;
	CHECK_STREQ(ks_addr_str(&ad, s, sizeof(s)), "2001:db8::1/64");
	route4(&a, "0.0.0.0", 0);
	CHECK_STREQ(ks_route_dst_str(&a, s, sizeof(s)), "default");
	route4(&a, "10.1.0.0", 16);
	CHECK_STREQ(ks_route_dst_str(&a, s, sizeof(s)), "10.1.0.0/16");
	CHECK_STREQ(ks_route_dst_str(&a, s, 5), "10.1");
	CHECK_STREQ(ks_route_type_str(RTN_BLACKHOLE), "blackhole");
	CHECK_STREQ(ks_route_type_str(RTN_UNICAST), "unicast");
	CHECK_STREQ(ks_route_type_str(200), "unknown");
	CHECK_STREQ(ks_mac_str((const uint8_t[6]){ 2, 0, 0xab, 0, 0, 0xff },
	    s, sizeof(s)), "02:00:ab:00:00:ff");
}

static void
test_sysctl_keys(void)
{
	char	v[64];

	CHECK_INTEQ(sysctl_read("kernel.hostname", v, sizeof(v)), -EINVAL);
	CHECK_INTEQ(sysctl_read("net..ipv4", v, sizeof(v)), -EINVAL);
	CHECK_INTEQ(sysctl_read("net.ipv4.conf.//.forwarding", v, sizeof(v)),
	    -EINVAL);
	CHECK_INTEQ(sysctl_read("net.ipv4.", v, sizeof(v)), -EINVAL);
	CHECK_INTEQ(sysctl_write("kernel.panic", "0"), -EINVAL);
	/* reading is harmless: the newline is gone */
	CHECK_INTEQ(sysctl_read("net.ipv4.ip_forward", v, sizeof(v)), 0);
	CHECK(strcmp(v, "0") == 0 || strcmp(v, "1") == 0);
	CHECK_INTEQ(sysctl_read("net.ipv4.no_such_key", v, sizeof(v)),
	    -ENOENT);
	CHECK_INTEQ(sysctl_read("net.ipv4.ip_forward", v, 1), -EOVERFLOW);
}

/* The marks (kernel/own.h): a namespace's, with the kinds it holds, read
 * back; one made before holds= holds every kind; an address, route or
 * neighbour with vrfd's mark is vrfd's only where its kind is held. */
static void
test_marks(void)
{
	struct own_mark	 m;
	struct ks_route	 r;
	struct ks_addr	 a;
	struct ks_neigh	 n;
	char		 t[KS_ALIAS_MAX];

	own_ns_mark(t, sizeof(t), "lab", "pe1/red", OWN_HOLDS_IPV4 |
	    OWN_HOLDS_NEIGH, "2800000001");
	CHECK_STREQ(t, "vrfd lab=lab node=pe1/red holds=ipv4,neigh "
	    "in=2800000001");
	CHECK(own_mark_parse(t, &m));
	CHECK_STREQ(m.lab, "lab");
	CHECK_STREQ(m.node, "pe1/red");
	CHECK_STREQ(m.place, "2800000001");
	CHECK_INTEQ(m.holds, OWN_HOLDS_IPV4 | OWN_HOLDS_NEIGH);
	CHECK(own_ns_marked(t, "lab", "pe1/red"));
	own_ns_mark(t, sizeof(t), "lab", "sw", 0, NULL);
	CHECK_STREQ(t, "vrfd lab=lab node=sw holds=none");
	CHECK_INTEQ(own_mark_holds(t), 0);
	CHECK_INTEQ(own_mark_holds("vrfd lab=lab node=r1 in=2800000001"),
	    OWN_HOLDS_ALL);
	CHECK_INTEQ(own_mark_holds("vrfd lab=lab node=r1 holds=ipv6\n"),
	    OWN_HOLDS_IPV6);
	CHECK_INTEQ(own_mark_holds(""), OWN_HOLDS_ALL);
	CHECK(!own_mark_parse("vrfd lab=lab node=r1 holds=ipv5", &m));
	CHECK(!own_mark_parse("vrfd lab=lab node=r1 holds=", &m));
	CHECK(!own_mark_parse("vrfd lab=lab node=r1 holds=ipv4,", &m));
	CHECK(!own_mark_parse("vrfd lab=lab node=r1 in=1 holds=ipv4", &m));
	/* raised: the rest of the mark as it was */
	CHECK(own_mark_add_holds("vrfd lab=lab node=r1 holds=ipv4 "
	    "in=2800000001", OWN_HOLDS_IPV6, t, sizeof(t)));
	CHECK_STREQ(t, "vrfd lab=lab node=r1 holds=ipv4,ipv6 in=2800000001");
	CHECK(!own_mark_add_holds("vrfd lab=lab", OWN_HOLDS_IPV6, t,
	    sizeof(t)));
	CHECK(!own_mark_add_holds("vrfd lab=lab node=r1 holds=ipv4",
	    OWN_HOLDS_IPV6, t, 20));
	/* the objects */
	memset(&r, 0, sizeof(r));
	r.family = AF_INET6;
	r.protocol = VRFD_PROTO;
	r.type = RTN_UNICAST;
	CHECK_INTEQ(own_route(&r, OWN_HOLDS_IPV6), OWN_VRFD);
	CHECK_INTEQ(own_route(&r, OWN_HOLDS_IPV4), OWN_FOREIGN);
	r.protocol = RTPROT_KERNEL;
	CHECK_INTEQ(own_route(&r, 0), OWN_KERNEL);
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.proto = VRFD_PROTO;
	CHECK_INTEQ(own_addr(&a, OWN_HOLDS_IPV4), OWN_VRFD);
	CHECK_INTEQ(own_addr(&a, OWN_HOLDS_IPV6 | OWN_HOLDS_NEIGH),
	    OWN_FOREIGN);
	memset(&n, 0, sizeof(n));
	n.family = AF_INET;
	n.proto = VRFD_PROTO;
	n.state = NUD_PERMANENT;
	CHECK_INTEQ(own_neigh(&n, OWN_HOLDS_NEIGH), OWN_VRFD);
	CHECK_INTEQ(own_neigh(&n, OWN_HOLDS_IPV4), OWN_FOREIGN);
	n.proto = 0;
	n.state = NUD_REACHABLE;
	CHECK_INTEQ(own_neigh(&n, 0), OWN_KERNEL);
}

/*
 * A message's attributes into a table (kernel/nl_attr.c), as
 * mnl_attr_parse's callbacks kept them: the last of a type, none past the
 * table, the walk stopped where an attribute does not fit; and the
 * parsers refuse an integer too short, as mnl_attr_validate did.
 */
static void
test_attr_table(void)
{
	const struct nlattr	*tb[RTA_MAX + 1];
	struct nlmsghdr		*nlh;
	struct nlattr		*last;
	struct rtmsg		*rtm;
	struct ifinfomsg	*ifm;
	struct ks_route		 got;
	struct ks_link		 link;

	nlh = msg(RTM_NEWROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 5);
	mnl_attr_put_u32(nlh, RTA_TABLE, 254);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 7);
	mnl_attr_put_u32(nlh, RTA_MAX + 1, 1);
	mnl_attr_put_u32(nlh, RTA_MARK | NLA_F_NESTED, 9);
	last = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	memset(tb, 0xa5, sizeof(tb));
	nl_attr_table(nlh, sizeof(*rtm), tb, RTA_MAX);
	CHECK(tb[RTA_PRIORITY] != NULL &&
	    mnl_attr_get_u32(tb[RTA_PRIORITY]) == 7);
	CHECK(tb[RTA_TABLE] != NULL && mnl_attr_get_u32(tb[RTA_TABLE]) == 254);
	CHECK(tb[RTA_MARK] != NULL && mnl_attr_get_u32(tb[RTA_MARK]) == 9);
	CHECK(tb[RTA_OIF] != NULL);
	CHECK(tb[RTA_DST] == NULL && tb[RTA_GATEWAY] == NULL);
	/* the last one past the message's end, then shorter than its own
	 * header: the walk stops before it */
	last->nla_len = 12;
	nl_attr_table(nlh, sizeof(*rtm), tb, RTA_MAX);
	CHECK(tb[RTA_OIF] == NULL && tb[RTA_TABLE] != NULL);
	last->nla_len = 2;
	nl_attr_table(nlh, sizeof(*rtm), tb, RTA_MAX);
	CHECK(tb[RTA_OIF] == NULL && tb[RTA_TABLE] != NULL);
	last->nla_len = 8;
	CHECK(nl_attr_holds(NULL, 4));
	CHECK(nl_attr_holds(tb[RTA_TABLE], 4));
	CHECK(!nl_attr_holds(tb[RTA_TABLE], 5));

	/* an interface index of two bytes: malformed */
	nlh = msg(RTM_NEWROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_table = RT_TABLE_MAIN;
	mnl_attr_put_u16(nlh, RTA_OIF, 3);
	CHECK_INTEQ(nl_route_parse(nlh, &got), -EINVAL);
	/* so is a link's MTU, and an empty nest is one */
	nlh = msg(RTM_NEWLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = 2;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_LINKINFO, 0, NULL);
	CHECK_INTEQ(nl_link_parse(nlh, &link), 0);
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
	CHECK_INTEQ(nl_link_parse(nlh, &link), -EINVAL);
}

int
main(void)
{
	RUN(test_veth_build);
	RUN(test_veth_parse);
	RUN(test_link_kernel_forms);
	RUN(test_bridge_set_del);
	RUN(test_addr);
	RUN(test_route_single);
	RUN(test_route_multipath);
	RUN(test_route_nexthops);
	RUN(test_route_kernel_forms);
	RUN(test_attr_table);
	RUN(test_neigh);
	RUN(test_kstate);
	RUN(test_marks);
	RUN(test_sysctl_keys);
	return CHECK_DONE();
}
