/*
 * nsid: reaching a namespace by the id the caller's namespace gives it,
 * without entering it. An id holds no reference: the namespace can still
 * end, and then its id goes (RTM_DELNSID), so an id also tells whether a
 * namespace whose name is gone has really ended or is held by someone.
 * Links are dumped and deleted through it (IFLA_TARGET_NETNSID).
 */
#ifndef VRFD_NSID_H
#define VRFD_NSID_H

#include <stdbool.h>

#include "nl.h"

/* The id of the namespace NSFD, given one if it has none, in the
 * namespace of SOCK: HINT if it is free (>= 0; -1: any). 0 or -errno.
 * The kernel walks every id SOCK's namespace has given, at each request:
 * with a free HINT, it takes one request, not two. */
int	nsid_get(struct nl_sock *, int nsfd, int hint, int *nsid);
/* The NETNSA_NSID of an RTM_NEWNSID or RTM_DELNSID, or -1. */
int	nsid_of(const struct nlmsghdr *);
/* A link request in BUF (NSID_REQ_SIZE bytes): RTM_GETLINK (without the
 * statistics, most of a link message) or RTM_DELLINK of link IFINDEX (0:
 * a dump of all), aimed at the namespace of id NSID, or at the socket's
 * own namespace if NSID < 0. */
#define NSID_REQ_SIZE	256
struct nlmsghdr *nsid_link_req(char *buf, uint16_t type, int nsid,
	    int ifindex);
/* Is the namespace of id NSID alive? */
bool	nsid_alive(struct nl_sock *, int nsid);
/* Its links, as a dump (nl_dump()'s CB and RESET). */
int	nsid_links(struct nl_sock *, int nsid, nl_msg_fn cb,
	    void (*reset)(void *), void *arg);
/* Delete its link IFINDEX. 0 or -errno (-ENODEV: gone already). */
int	nsid_link_del(struct nl_sock *, int nsid, int ifindex);

#endif
