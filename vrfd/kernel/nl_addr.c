/*
 * nl_addr: RTM_NEWADDR/RTM_DELADDR messages and their parser.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "nl_attr.h"
#include "nl_codec.h"

static size_t
nl_addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

void
nl_addr_put(struct nlmsghdr *nlh, const struct ks_addr *a)
{
	struct ifaddrmsg	*ifa;
	size_t			 alen = nl_addr_len(a->family);
	uint32_t		 flags = a->flags;

	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = (uint32_t)a->ifindex;
	/* IPv4 keys an address by its local address; IFA_ADDRESS is the
	 * peer, the same one when there is none. */
	if (a->family == AF_INET)
		mnl_attr_put(nlh, IFA_LOCAL, alen, a->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, a->addr);
	if (nlh->nlmsg_type == RTM_DELADDR)
		return;
	/* Usable at once: no duplicate address detection on our own. */
	if (a->family == AF_INET6)
		flags |= IFA_F_NODAD;
	ifa->ifa_flags = (uint8_t)flags;
	mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	if (a->proto != 0)
		mnl_attr_put_u8(nlh, IFA_PROTO, a->proto);
}

int
nl_addr_parse(const struct nlmsghdr *nlh, struct ks_addr *a)
{
	const struct nlattr	*tb[IFA_MAX + 1];
	const struct nlattr	*at;
	const struct ifaddrmsg	*ifa;
	size_t			 alen;

	if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR)
		return -ENOENT;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return -EINVAL;
	ifa = mnl_nlmsg_get_payload(nlh);
	if ((alen = nl_addr_len(ifa->ifa_family)) == 0)
		return -ENOENT;
	nl_attr_table(nlh, sizeof(*ifa), tb, IFA_MAX);
	if (!nl_attr_holds(tb[IFA_FLAGS], 4) ||
	    !nl_attr_holds(tb[IFA_PROTO], 1))
		return -EINVAL;
	/* The local address; IFA_ADDRESS is the peer's when both exist. */
	if ((at = tb[IFA_LOCAL]) == NULL)
		at = tb[IFA_ADDRESS];
	if (at == NULL || mnl_attr_get_payload_len(at) != alen)
		return -EINVAL;

	memset(a, 0, sizeof(*a));
	a->family = ifa->ifa_family;
	memcpy(a->addr, mnl_attr_get_payload(at), alen);
	a->plen = ifa->ifa_prefixlen;
	a->ifindex = (int)ifa->ifa_index;
	a->scope = ifa->ifa_scope;
	a->flags = tb[IFA_FLAGS] != NULL ?
	    mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	if (tb[IFA_PROTO] != NULL)
		a->proto = mnl_attr_get_u8(tb[IFA_PROTO]);
	return 0;
}
