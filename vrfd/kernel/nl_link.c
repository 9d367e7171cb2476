/*
 * nl_link: RTM_NEWLINK/RTM_DELLINK messages for veth pairs, VXLAN links
 * and bridges, and the parser for link dumps and events.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <libmnl/libmnl.h>

#include "nl_attr.h"
#include "nl_codec.h"

static struct ifinfomsg *
nl_link_put_ifm(struct nlmsghdr *nlh, int ifindex)
{
	struct ifinfomsg	*ifm;

	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return ifm;
}

/* Without the trailing NUL, as iproute2 sends it; "" clears. */
static void
nl_link_put_alias(struct nlmsghdr *nlh, const char *alias)
{
	mnl_attr_put(nlh, IFLA_IFALIAS, strnlen(alias, KS_ALIAS_MAX - 1),
	    alias);
}

/*
 * What both ends of a veth and a bridge carry. The kernel (6.x) ignores
 * IFLA_IFALIAS when it creates a link, but not IFLA_GROUP: the group
 * marks the link from its first moment, and a setlink (NL_LINK_SET_MARK)
 * gives it its alias afterwards.
 */
static void
nl_link_put_attrs(struct nlmsghdr *nlh, const struct ks_link *l, int nsfd,
    bool one_queue)
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, l->name);
	if (nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nsfd);
	if (l->mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, l->mtu);
	if (l->has_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(l->mac), l->mac);
	if (l->group != 0)
		mnl_attr_put_u32(nlh, IFLA_GROUP, l->group);
	if (one_queue) {
		/* One sysfs queue directory each way instead of one per
		 * CPU: much cheaper to create and destroy. */
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
		mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
	}
}

void
nl_link_put_veth(struct nlmsghdr *nlh, const struct ks_link *a, int a_nsfd,
    const struct ks_link *b, int b_nsfd)
{
	struct ifinfomsg	*ifm;
	struct nlattr		*info, *data, *peer;

	ifm = nl_link_put_ifm(nlh, a->ifindex);
	if (a->up) {
		ifm->ifi_flags = IFF_UP;
		ifm->ifi_change = IFF_UP;
	}
	nl_link_put_attrs(nlh, a, a_nsfd, true);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's own ifinfomsg, never IFF_UP: the kernel refuses that
	 * (ENOTCONN) and fails the whole request. */
	(void)nl_link_put_ifm(nlh, b->ifindex);
	nl_link_put_attrs(nlh, b, b_nsfd, true);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

void
nl_link_put_vxlan(struct nlmsghdr *nlh, const struct ks_link *l, int nsfd)
{
	const struct ks_vxlan	*vx = &l->vxlan;
	struct ifinfomsg	*ifm;
	struct nlattr		*info, *data;
	bool			 v6 = vx->family == AF_INET6;

	ifm = nl_link_put_ifm(nlh, l->ifindex);
	if (l->up) {
		ifm->ifi_flags = IFF_UP;
		ifm->ifi_change = IFF_UP;
	}
	nl_link_put_attrs(nlh, l, nsfd, true);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, vx->vni);
	mnl_attr_put(nlh, v6 ? IFLA_VXLAN_LOCAL6 : IFLA_VXLAN_LOCAL,
	    v6 ? 16 : 4, vx->local);
	/* The one far end: a unicast "group" is the remote. */
	mnl_attr_put(nlh, v6 ? IFLA_VXLAN_GROUP6 : IFLA_VXLAN_GROUP,
	    v6 ? 16 : 4, vx->remote);
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(vx->port));
	mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, vx->learning);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

void
nl_link_put_bridge(struct nlmsghdr *nlh, const struct ks_link *l)
{
	struct ifinfomsg	*ifm;
	struct nlattr		*info;

	ifm = nl_link_put_ifm(nlh, l->ifindex);
	if (l->up) {
		ifm->ifi_flags = IFF_UP;
		ifm->ifi_change = IFF_UP;
	}
	nl_link_put_attrs(nlh, l, -1, false);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
}

void
nl_link_put_set(struct nlmsghdr *nlh, int ifindex, const struct ks_link *want,
    unsigned what, int master_ifindex)
{
	struct ifinfomsg	*ifm;

	ifm = nl_link_put_ifm(nlh, ifindex);
	if (what & NL_LINK_SET_UP) {
		ifm->ifi_change = IFF_UP;
		ifm->ifi_flags = want->up ? IFF_UP : 0;
	}
	if ((what & NL_LINK_SET_MTU) && want->mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, want->mtu);
	if ((what & NL_LINK_SET_MAC) && want->has_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(want->mac), want->mac);
	if (what & NL_LINK_SET_MASTER)	/* 0: no master */
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master_ifindex);
	if (what & NL_LINK_SET_MARK) {
		nl_link_put_alias(nlh, want->alias);
		mnl_attr_put_u32(nlh, IFLA_GROUP, want->group);
	}
}

void
nl_link_put_del(struct nlmsghdr *nlh, int ifindex)
{
	(void)nl_link_put_ifm(nlh, ifindex);
}

/* A string attribute into DST, NUL or not, cut to fit. */
static void
nl_link_copy_str(char *dst, size_t size, const struct nlattr *a)
{
	size_t	len = mnl_attr_get_payload_len(a);

	if (len > size - 1)
		len = size - 1;
	len = strnlen(mnl_attr_get_payload(a), len);
	memcpy(dst, mnl_attr_get_payload(a), len);
	dst[len] = '\0';
}

static int
nl_link_info_cb(const struct nlattr *a, void *data)
{
	const struct nlattr	**tb = data;	/* kind, data */

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		tb[0] = a;
	else if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
		tb[1] = a;
	return MNL_CB_OK;
}

static int
nl_link_vxlan_cb(const struct nlattr *a, void *data)
{
	struct ks_vxlan	*vx = data;
	size_t		 len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case IFLA_VXLAN_ID:
		if (len >= 4)
			vx->vni = mnl_attr_get_u32(a);
		break;
	case IFLA_VXLAN_LINK:
		if (len >= 4)
			vx->dev = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_VXLAN_LOCAL:
	case IFLA_VXLAN_GROUP:
		if (len != 4)
			break;
		vx->family = AF_INET;
		memcpy(mnl_attr_get_type(a) == IFLA_VXLAN_LOCAL ? vx->local :
		    vx->remote, mnl_attr_get_payload(a), 4);
		break;
	case IFLA_VXLAN_LOCAL6:
	case IFLA_VXLAN_GROUP6:
		if (len != 16)
			break;
		vx->family = AF_INET6;
		memcpy(mnl_attr_get_type(a) == IFLA_VXLAN_LOCAL6 ? vx->local :
		    vx->remote, mnl_attr_get_payload(a), 16);
		break;
	case IFLA_VXLAN_PORT:
		if (len >= 2)
			vx->port = ntohs(mnl_attr_get_u16(a));
		break;
	case IFLA_VXLAN_LEARNING:
		if (len >= 1)
			vx->learning = mnl_attr_get_u8(a) != 0;
		break;
	}
	return MNL_CB_OK;
}

/* IF_OPER_UP of linux/if.h, which does not mix with glibc's net/if.h. */
#define NL_OPER_UP	6

int
nl_link_parse(const struct nlmsghdr *nlh, struct ks_link *l)
{
	const struct nlattr	*tb[IFLA_MAX + 1];
	const struct nlattr	*info[2] = { NULL, NULL }, *kind;
	const struct ifinfomsg	*ifm;
	char			 kbuf[16];

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -ENOENT;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return -EINVAL;
	ifm = mnl_nlmsg_get_payload(nlh);
	/* AF_BRIDGE: bridge port notifications about links seen already. */
	if (ifm->ifi_family != AF_UNSPEC)
		return -ENOENT;
	nl_attr_table(nlh, sizeof(*ifm), tb, IFLA_MAX);
	if (tb[IFLA_IFNAME] == NULL || !nl_attr_holds(tb[IFLA_MTU], 4) ||
	    !nl_attr_holds(tb[IFLA_GROUP], 4) ||
	    !nl_attr_holds(tb[IFLA_MASTER], 4) ||
	    !nl_attr_holds(tb[IFLA_LINK], 4) ||
	    !nl_attr_holds(tb[IFLA_LINK_NETNSID], 4) ||
	    !nl_attr_holds(tb[IFLA_OPERSTATE], 1) ||
	    !nl_attr_nests(tb[IFLA_LINKINFO]))
		return -EINVAL;

	memset(l, 0, sizeof(*l));
	l->peer_nsid = -1;
	l->ifindex = ifm->ifi_index;
	l->up = (ifm->ifi_flags & IFF_UP) != 0;
	nl_link_copy_str(l->name, sizeof(l->name), tb[IFLA_IFNAME]);
	if (tb[IFLA_MTU] != NULL)
		l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] != NULL &&
	    mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == sizeof(l->mac)) {
		l->has_mac = true;
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]),
		    sizeof(l->mac));
	}
	if (tb[IFLA_GROUP] != NULL)
		l->group = mnl_attr_get_u32(tb[IFLA_GROUP]);
	if (tb[IFLA_MASTER] != NULL)
		l->master_ifindex = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_OPERSTATE] != NULL)
		l->running = mnl_attr_get_u8(tb[IFLA_OPERSTATE]) == NL_OPER_UP;
	if (tb[IFLA_IFALIAS] != NULL)
		nl_link_copy_str(l->alias, sizeof(l->alias), tb[IFLA_IFALIAS]);
	if (tb[IFLA_QDISC] != NULL)
		nl_link_copy_str(l->qdisc, sizeof(l->qdisc), tb[IFLA_QDISC]);

	if (tb[IFLA_LINKINFO] != NULL &&
	    mnl_attr_parse_nested(tb[IFLA_LINKINFO], nl_link_info_cb,
	    info) < 0)
		return -EINVAL;
	if ((kind = info[0]) != NULL)
		nl_link_copy_str(kbuf, sizeof(kbuf), kind);
	else
		kbuf[0] = '\0';
	if (ifm->ifi_type == ARPHRD_LOOPBACK)
		l->kind = KS_LINK_LO;
	else if (strcmp(kbuf, "veth") == 0)
		l->kind = KS_LINK_VETH;
	else if (strcmp(kbuf, "bridge") == 0)
		l->kind = KS_LINK_BRIDGE;
	else if (strcmp(kbuf, "vxlan") == 0) {
		l->kind = KS_LINK_VXLAN;
		/* Without a learning attribute the kernel learns. */
		l->vxlan.learning = true;
		if (info[1] != NULL && mnl_attr_parse_nested(info[1],
		    nl_link_vxlan_cb, &l->vxlan) < 0)
			return -EINVAL;
	} else
		l->kind = KS_LINK_OTHER;

	/* IFLA_LINK is the peer's index for a veth (in the peer's own
	 * namespace when IFLA_LINK_NETNSID is there too). */
	if (l->kind == KS_LINK_VETH && tb[IFLA_LINK] != NULL)
		l->peer_ifindex = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID] != NULL)
		l->peer_nsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	return 0;
}

static int
nl_link_moved_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_NEW_NETNSID)
		*(bool *)data = true;
	return MNL_CB_OK;
}

bool
nl_link_moved(const struct nlmsghdr *nlh)
{
	bool	 moved = false;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct ifinfomsg))
		(void)mnl_attr_parse(nlh, sizeof(struct ifinfomsg),
		    nl_link_moved_cb, &moved);
	return moved;
}
