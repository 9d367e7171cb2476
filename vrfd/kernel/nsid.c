/*
 * nsid: namespaces by id, from outside (nsid.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "nsid.h"

static int
nsid_attr(const struct nlattr *a, void *arg)
{
	if (mnl_attr_get_type(a) == NETNSA_NSID &&
	    mnl_attr_get_payload_len(a) >= 4)
		*(int *)arg = (int)mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

int
nsid_of(const struct nlmsghdr *nlh)
{
	int	 nsid = -1;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtgenmsg)))
		return -1;
	mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr, &nsid);
	return nsid;
}

static int
nsid_get_cb(const struct nlmsghdr *nlh, void *arg)
{
	int	 nsid;

	if ((nsid = nsid_of(nlh)) >= 0)
		*(int *)arg = nsid;
	return MNL_CB_OK;
}

/* RTM_NEWNSID: give the namespace NSFD the id NSID (-1: any free one). */
static int
nsid_new(struct nl_sock *s, int nsfd, int nsid)
{
	char		 buf[NSID_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct rtgenmsg	*g;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)nsid);
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)nsfd);
	return nl_request(s, nlh, NULL, 0);
}

int
nsid_get(struct nl_sock *s, int nsfd, int hint, int *nsid)
{
	char		 buf[NSID_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct rtgenmsg	*g;
	int		 rv;

	/* Each request walks every id the namespace of S has given: asking
	 * for HINT makes one request do, where it is free. EEXIST: it has
	 * an id already (ours from before, iproute2's), or HINT is taken. */
	if (hint >= 0 && (rv = nsid_new(s, nsfd, hint)) != -EEXIST) {
		if (rv == 0)
			*nsid = hint;
		return rv;
	}
	if ((rv = nsid_new(s, nsfd, NETNSA_NSID_NOT_ASSIGNED)) < 0 &&
	    rv != -EEXIST)
		return rv;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)nsfd);
	*nsid = NETNSA_NSID_NOT_ASSIGNED;
	if ((rv = nl_get(s, nlh, nsid_get_cb, nsid)) < 0)
		return rv;
	return *nsid < 0 ? -ENOENT : 0;
}

struct nlmsghdr *
nsid_link_req(char *buf, uint16_t type, int nsid, int ifindex)
{
	struct nlmsghdr		*nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg	*ifm;

	nlh->nlmsg_type = type;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (nsid >= 0)
		mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, (uint32_t)nsid);
	if (type == RTM_GETLINK)
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh;
}

static int
nsid_ignore_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return MNL_CB_OK;
}

bool
nsid_alive(struct nl_sock *s, int nsid)
{
	char	 buf[NSID_REQ_SIZE] __attribute__((aligned(8)));

	/* Its loopback, ifindex 1 everywhere: an id that leads nowhere
	 * any more is refused. */
	return nl_get(s, nsid_link_req(buf, RTM_GETLINK, nsid, 1),
	    nsid_ignore_cb, NULL) == 0;
}

int
nsid_links(struct nl_sock *s, int nsid, nl_msg_fn cb, void (*reset)(void *),
    void *arg)
{
	char	 buf[NSID_REQ_SIZE] __attribute__((aligned(8)));

	return nl_dump(s, nsid_link_req(buf, RTM_GETLINK, nsid, 0), cb,
	    reset, arg);
}

int
nsid_link_del(struct nl_sock *s, int nsid, int ifindex)
{
	char	 buf[NSID_REQ_SIZE] __attribute__((aligned(8)));

	return nl_request(s, nsid_link_req(buf, RTM_DELLINK, nsid, ifindex),
	    NULL, 0);
}
