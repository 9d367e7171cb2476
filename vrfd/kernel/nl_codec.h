/*
 * nl_codec: rtnetlink messages for links, addresses, routes, neighbours
 * and qdiscs, built from and parsed into the kstate model. One file per
 * object kind (nl_link.c, nl_addr.c, nl_route.c, nl_neigh.c,
 * nl_qdisc.c). Builders fill a header that nl_batch_msg() started (type
 * and flags are the caller's); ifindexes in the objects must already be
 * resolved. Parsers return 0, or -ENOENT
 * for a message that is not of their kind, or -EINVAL when malformed.
 */
#ifndef VRFD_NL_CODEC_H
#define VRFD_NL_CODEC_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "kstate.h"

/* RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL: a veth pair. A goes into the
 * namespace A_NSFD with index A->ifindex (0: kernel's choice), up, with
 * its group, MTU and MAC; B likewise into B_NSFD inside VETH_INFO_PEER
 * (not up: the kernel refuses IFF_UP on the peer). One queue each way:
 * fewer sysfs entries, much cheaper to create. The kernel ignores an
 * alias at creation (NL_LINK_SET_MARK sets it afterwards). */
void	nl_link_put_veth(struct nlmsghdr *, const struct ks_link *a, int a_nsfd,
	    const struct ks_link *b, int b_nsfd);
/* RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL: a VXLAN link, sent from the
 * namespace whose routing carries its packets (its socket is made
 * there) and created straight into NSFD with L's name, index, MTU, MAC,
 * group and tunnel: no device, so that routing picks the underlay. Up
 * when L says so. */
void	nl_link_put_vxlan(struct nlmsghdr *, const struct ks_link *l, int nsfd);
/* RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL: a bridge, up, in its group. */
void	nl_link_put_bridge(struct nlmsghdr *, const struct ks_link *);
/* RTM_NEWLINK on an existing link (IFINDEX): what WANT says, restricted to
 * the NL_LINK_SET_* bits in WHAT. MASTER_IFINDEX is used with _MASTER. */
#define NL_LINK_SET_MTU		0x01
#define NL_LINK_SET_MAC		0x02
#define NL_LINK_SET_UP		0x04
#define NL_LINK_SET_MASTER	0x08
#define NL_LINK_SET_MARK	0x10	/* the alias, and the default group */
void	nl_link_put_set(struct nlmsghdr *, int ifindex, const struct ks_link *want,
	    unsigned what, int master_ifindex);
void	nl_link_put_del(struct nlmsghdr *, int ifindex);	/* RTM_DELLINK */
int	nl_link_parse(const struct nlmsghdr *, struct ks_link *);
/* Does an RTM_DELLINK say the link moved to another namespace? */
bool	nl_link_moved(const struct nlmsghdr *);

/* RTM_NEWADDR / RTM_DELADDR. New IPv6 addresses get IFA_F_NODAD. */
void	nl_addr_put(struct nlmsghdr *, const struct ks_addr *);
int	nl_addr_parse(const struct nlmsghdr *, struct ks_addr *);

/* RTM_NEWROUTE / RTM_DELROUTE, multipath with RTA_MULTIPATH. The parser
 * overwrites R, freeing nothing (give it a zeroed or cleared route), and
 * leaves R owning nothing when it fails: -ENOMEM, or the message is bad. */
void	nl_route_put(struct nlmsghdr *, const struct ks_route *);
int	nl_route_parse(const struct nlmsghdr *, struct ks_route *);

/* RTM_NEWNEIGH / RTM_DELNEIGH: permanent, with NDA_PROTOCOL. */
void	nl_neigh_put(struct nlmsghdr *, const struct ks_neigh *);
int	nl_neigh_parse(const struct nlmsghdr *, struct ks_neigh *);

/* RTM_NEWQDISC / RTM_DELQDISC (nl_qdisc.c): a tbf or a netem with its
 * options, at Q's parent with Q's handle; a delete carries only those. */
void	nl_qdisc_put(struct nlmsghdr *, const struct ks_qdisc *);
int	nl_qdisc_parse(const struct nlmsghdr *, struct ks_qdisc *);
/* A tbf bucket of BURST bytes at RATE bytes/s as the time the kernel
 * keeps (psched ticks), computed as the kernel computes it; and back,
 * rounded. */
uint32_t nl_qdisc_tbf_buffer(uint64_t rate, uint32_t burst);
uint32_t nl_qdisc_tbf_burst(uint64_t rate, uint32_t buffer);

/* RTM_NEWNETCONF / RTM_DELNETCONF: the device (NETCONFA_IFINDEX: an
 * ifindex, or NETCONFA_IFINDEX_ALL / _DEFAULT) and the attributes given. */
#define NL_NETCONF_MAX	16
struct ks_netconf {
	int		 family;
	int		 ifindex;
	bool		 has[NL_NETCONF_MAX];	/* by NETCONFA_* */
	int32_t		 val[NL_NETCONF_MAX];
};
int	nl_netconf_parse(const struct nlmsghdr *, struct ks_netconf *);

#endif
