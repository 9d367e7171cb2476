/*
 * nl_neigh: RTM_NEWNEIGH/RTM_DELNEIGH messages (permanent entries with
 * vrfd's NDA_PROTOCOL) and the parser for neighbour dumps and events.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "nl_attr.h"
#include "nl_codec.h"

static size_t
nl_neigh_alen(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

void
nl_neigh_put(struct nlmsghdr *nlh, const struct ks_neigh *n)
{
	struct ndmsg	*ndm;
	size_t		 alen = nl_neigh_alen(n->family);

	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)n->family;
	ndm->ndm_ifindex = n->ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	if (alen > 0)
		mnl_attr_put(nlh, NDA_DST, alen, n->ip);
	if (nlh->nlmsg_type == RTM_DELNEIGH)
		return;
	if (n->has_lladdr)
		mnl_attr_put(nlh, NDA_LLADDR, sizeof(n->lladdr), n->lladdr);
	if (n->proto != 0)
		mnl_attr_put_u8(nlh, NDA_PROTOCOL, n->proto);
}

int
nl_neigh_parse(const struct nlmsghdr *nlh, struct ks_neigh *n)
{
	const struct nlattr	*tb[NDA_MAX + 1];
	const struct ndmsg	*ndm;
	size_t			 alen;

	if (nlh->nlmsg_type != RTM_NEWNEIGH &&
	    nlh->nlmsg_type != RTM_DELNEIGH)
		return -ENOENT;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ndm))
		return -EINVAL;
	ndm = mnl_nlmsg_get_payload(nlh);
	/* AF_BRIDGE (fdb) and proxy entries are not neighbours of ours. */
	if ((alen = nl_neigh_alen(ndm->ndm_family)) == 0 ||
	    (ndm->ndm_flags & NTF_PROXY))
		return -ENOENT;
	nl_attr_table(nlh, sizeof(*ndm), tb, NDA_MAX);
	if (!nl_attr_holds(tb[NDA_PROTOCOL], 1))
		return -EINVAL;
	if (tb[NDA_DST] == NULL || mnl_attr_get_payload_len(tb[NDA_DST]) != alen)
		return -EINVAL;

	memset(n, 0, sizeof(*n));
	n->family = ndm->ndm_family;
	memcpy(n->ip, mnl_attr_get_payload(tb[NDA_DST]), alen);
	n->ifindex = ndm->ndm_ifindex;
	n->state = ndm->ndm_state;
	if (tb[NDA_LLADDR] != NULL &&
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) == sizeof(n->lladdr)) {
		n->has_lladdr = true;
		memcpy(n->lladdr, mnl_attr_get_payload(tb[NDA_LLADDR]),
		    sizeof(n->lladdr));
	}
	if (tb[NDA_PROTOCOL] != NULL)
		n->proto = mnl_attr_get_u8(tb[NDA_PROTOCOL]);
	return 0;
}
