/*
 * nl_netconf: the parser of netconf messages (the sysctls the kernel
 * reports on: forwarding, rp_filter, proxy_arp/ndp,
 * ignore_routes_with_linkdown), for dumps and events alike.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "nl_codec.h"

static int
nl_netconf_attr(const struct nlattr *a, void *arg)
{
	struct ks_netconf	*nc = arg;
	int			 t = mnl_attr_get_type(a);

	if (t > NETCONFA_UNSPEC && t < NL_NETCONF_MAX &&
	    mnl_attr_get_payload_len(a) >= 4) {
		nc->val[t] = (int32_t)mnl_attr_get_u32(a);
		nc->has[t] = true;
	}
	return MNL_CB_OK;
}

int
nl_netconf_parse(const struct nlmsghdr *nlh, struct ks_netconf *nc)
{
	const struct netconfmsg	*ncm;

	if (nlh->nlmsg_type != RTM_NEWNETCONF &&
	    nlh->nlmsg_type != RTM_DELNETCONF)
		return -ENOENT;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ncm))
		return -EINVAL;
	ncm = mnl_nlmsg_get_payload(nlh);
	memset(nc, 0, sizeof(*nc));
	nc->family = ncm->ncm_family;
	if (mnl_attr_parse(nlh, sizeof(*ncm), nl_netconf_attr, nc) < 0)
		return -EINVAL;
	if (!nc->has[NETCONFA_IFINDEX])
		return -EINVAL;
	nc->ifindex = nc->val[NETCONFA_IFINDEX];
	return 0;
}
