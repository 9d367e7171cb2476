/*
 * nl_route: RTM_NEWROUTE/RTM_DELROUTE messages, one nexthop or several
 * (RTA_MULTIPATH), and the parser for route dumps and events.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "nl_attr.h"
#include "nl_codec.h"

static size_t
nl_route_alen(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* A gateway of the route's family is RTA_GATEWAY; another family
 * (IPv4 over an IPv6 next hop) needs RTA_VIA. */
static void
nl_route_put_gw(struct nlmsghdr *nlh, const struct ks_route *r,
    const struct ks_nexthop *nh)
{
	char		 buf[sizeof(struct rtvia) + 16];
	struct rtvia	*via = (struct rtvia *)buf;
	int		 fam = nh->gw_family ? nh->gw_family : r->family;
	size_t		 alen = nl_route_alen(fam);

	if (!nh->has_gw || alen == 0)
		return;
	if (fam == r->family) {
		mnl_attr_put(nlh, RTA_GATEWAY, alen, nh->gw);
		return;
	}
	via->rtvia_family = (uint16_t)fam;
	memcpy(via->rtvia_addr, nh->gw, alen);
	mnl_attr_put(nlh, RTA_VIA, sizeof(*via) + alen, buf);
}

static bool
nl_route_has_nexthops(uint8_t type)
{
	/* blackhole, unreachable, prohibit, throw: no way out at all */
	return type == RTN_UNSPEC || type == RTN_UNICAST ||
	    type == RTN_LOCAL || type == RTN_MULTICAST ||
	    type == RTN_BROADCAST || type == RTN_ANYCAST;
}

static void
nl_route_put_multipath(struct nlmsghdr *nlh, const struct ks_route *r)
{
	struct nlattr	*mp;
	struct rtnexthop *rtnh;
	unsigned	 w;
	int		 i;

	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (i = 0; i < r->n_nh && i < KS_MAX_NEXTHOPS; i++) {
		const struct ks_nexthop	*nh = ks_nh(r, i);

		rtnh = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtnh));
		w = nh->weight ? nh->weight : 1;
		rtnh->rtnh_hops = (uint8_t)(w > 256 ? 255 : w - 1);
		rtnh->rtnh_ifindex = nh->ifindex;
		nl_route_put_gw(nlh, r, nh);
		/* rtnh_len covers the rtnexthop and its attributes. */
		rtnh->rtnh_len = (unsigned short)((char *)
		    mnl_nlmsg_get_payload_tail(nlh) - (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
}

void
nl_route_put(struct nlmsghdr *nlh, const struct ks_route *r)
{
	struct rtmsg	*rtm;
	const struct ks_nexthop *nh;
	size_t		 alen = nl_route_alen(r->family);
	uint32_t	 table = r->table ? r->table : RT_TABLE_MAIN;

	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->family;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_COMPAT;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_type = r->type ? r->type : RTN_UNICAST;
	/* The scope is the caller's (link for a route out of a device with
	 * no gateway, universe otherwise). A delete matches any scope: the
	 * key, protocol and nexthops name the route well enough. */
	rtm->rtm_scope = nlh->nlmsg_type == RTM_DELROUTE ?
	    RT_SCOPE_NOWHERE : r->scope;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (r->dst_len > 0 && alen > 0)
		mnl_attr_put(nlh, RTA_DST, alen, r->dst);
	if (r->priority != 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->priority);
	if (r->nhid != 0) {
		/* a nexthop object replaces the nexthops */
		mnl_attr_put_u32(nlh, RTA_NH_ID, r->nhid);
		return;
	}
	if (!nl_route_has_nexthops(rtm->rtm_type) || r->n_nh <= 0)
		return;
	if (r->n_nh == 1) {
		nh = ks_nh(r, 0);
		nl_route_put_gw(nlh, r, nh);
		if (nh->ifindex > 0)
			mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)nh->ifindex);
		return;
	}
	nl_route_put_multipath(nlh, r);
}

/* RTA_GATEWAY (route's family) or RTA_VIA (any) into NH. */
static int
nl_route_get_gw(const struct ks_route *r, const struct nlattr *gw,
    const struct nlattr *via, struct ks_nexthop *nh)
{
	const struct rtvia	*v;
	size_t			 alen, len;

	if (gw != NULL) {
		alen = nl_route_alen(r->family);
		if (mnl_attr_get_payload_len(gw) != alen)
			return -EINVAL;
		nh->has_gw = true;
		nh->gw_family = (uint8_t)r->family;
		memcpy(nh->gw, mnl_attr_get_payload(gw), alen);
	} else if (via != NULL) {
		len = mnl_attr_get_payload_len(via);
		if (len < sizeof(*v))
			return -EINVAL;
		v = mnl_attr_get_payload(via);
		alen = nl_route_alen(v->rtvia_family);
		if (alen == 0 || len < sizeof(*v) + alen)
			return -EINVAL;
		nh->has_gw = true;
		nh->gw_family = (uint8_t)v->rtvia_family;
		memcpy(nh->gw, v->rtvia_addr, alen);
	}
	return 0;
}

/* RTA_MULTIPATH: a list of struct rtnexthop, each followed by its own
 * attributes. More than KS_MAX_NEXTHOPS are left out. */
static int
nl_route_get_multipath(const struct nlattr *mp, struct ks_route *r)
{
	const char		*p = mnl_attr_get_payload(mp);
	size_t			 left = mnl_attr_get_payload_len(mp);
	const struct rtnexthop	*rtnh;
	const struct nlattr	*tb[RTA_MAX + 1];
	struct ks_nexthop	*nh;
	size_t			 len;

	while (left >= sizeof(*rtnh)) {
		rtnh = (const struct rtnexthop *)p;
		len = rtnh->rtnh_len;
		if (len < sizeof(*rtnh) || len > left)
			return -EINVAL;
		if (r->n_nh < KS_MAX_NEXTHOPS) {
			if ((nh = ks_route_nh_add(r)) == NULL)
				return -ENOMEM;
			nh->ifindex = rtnh->rtnh_ifindex;
			nh->weight = (uint16_t)(rtnh->rtnh_hops + 1u);
			nl_attr_table_payload(p + RTNH_ALIGN(sizeof(*rtnh)),
			    len - RTNH_ALIGN(sizeof(*rtnh)), tb, RTA_MAX);
			if (nl_route_get_gw(r, tb[RTA_GATEWAY], tb[RTA_VIA],
			    nh) < 0)
				return -EINVAL;
		}
		len = RTNH_ALIGN(len);
		if (len >= left)
			break;
		p += len;
		left -= len;
	}
	return 0;
}

static int
nl_route_read(const struct nlmsghdr *nlh, struct ks_route *r)
{
	const struct nlattr	*tb[RTA_MAX + 1];
	const struct rtmsg	*rtm;
	struct ks_nexthop	*nh;
	size_t			 alen;

	if (nlh->nlmsg_type != RTM_NEWROUTE &&
	    nlh->nlmsg_type != RTM_DELROUTE)
		return -ENOENT;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return -EINVAL;
	rtm = mnl_nlmsg_get_payload(nlh);
	if ((alen = nl_route_alen(rtm->rtm_family)) == 0)
		return -ENOENT;
	if (rtm->rtm_dst_len > alen * 8)
		return -EINVAL;
	nl_attr_table(nlh, sizeof(*rtm), tb, RTA_MAX);
	if (!nl_attr_holds(tb[RTA_TABLE], 4) ||
	    !nl_attr_holds(tb[RTA_PRIORITY], 4) ||
	    !nl_attr_holds(tb[RTA_OIF], 4) || !nl_attr_holds(tb[RTA_NH_ID], 4))
		return -EINVAL;

	r->family = rtm->rtm_family;
	r->dst_len = rtm->rtm_dst_len;
	r->type = rtm->rtm_type;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->table = tb[RTA_TABLE] != NULL ?
	    mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (tb[RTA_DST] != NULL) {
		if (mnl_attr_get_payload_len(tb[RTA_DST]) != alen)
			return -EINVAL;
		memcpy(r->dst, mnl_attr_get_payload(tb[RTA_DST]), alen);
	}
	if (tb[RTA_PRIORITY] != NULL)
		r->priority = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_NH_ID] != NULL)
		r->nhid = mnl_attr_get_u32(tb[RTA_NH_ID]);

	/* An IPv6 blackhole reports "dev lo": no nexthop in our model, as
	 * in what compile.c asks for. */
	if (!nl_route_has_nexthops(r->type))
		return 0;
	/* With a nexthop object the kernel still reports the nexthops
	 * themselves (nexthop_compat_mode), parsed like any others. */
	if (tb[RTA_MULTIPATH] != NULL)
		return nl_route_get_multipath(tb[RTA_MULTIPATH], r);
	if (tb[RTA_GATEWAY] != NULL || tb[RTA_VIA] != NULL ||
	    tb[RTA_OIF] != NULL) {
		if ((nh = ks_route_nh_add(r)) == NULL)
			return -ENOMEM;
		nh->weight = 1;
		if (tb[RTA_OIF] != NULL)
			nh->ifindex = (int)mnl_attr_get_u32(tb[RTA_OIF]);
		if (nl_route_get_gw(r, tb[RTA_GATEWAY], tb[RTA_VIA], nh) < 0)
			return -EINVAL;
	}
	return 0;
}

int
nl_route_parse(const struct nlmsghdr *nlh, struct ks_route *r)
{
	int	 rv;

	memset(r, 0, sizeof(*r));
	if ((rv = nl_route_read(nlh, r)) < 0)
		ks_route_clear(r);
	return rv;
}
