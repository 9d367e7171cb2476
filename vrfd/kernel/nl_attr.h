/*
 * nl_attr: a message's attributes into a table by type, in one walk, for
 * the parsers of the objects a pass reads by the thousand (nl_link.c,
 * nl_addr.c, nl_route.c, nl_neigh.c), and for each nexthop of a
 * multipath route. mnl_attr_parse calls back once per attribute,
 * through libmnl and back: with its checks, a third of the reading of a
 * route and most of a link's (some 50 attributes each). Bounds are
 * checked as mnl_attr_ok checks them.
 */
#ifndef VRFD_NL_ATTR_H
#define VRFD_NL_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

/* The attributes in the LEN bytes at P into TB[0..MAX] by type (the
 * last of a type kept, types past MAX left out; TB cleared first), as
 * far as they fit: the walk stops at one that does not, as
 * mnl_attr_parse_payload's does. */
void	nl_attr_table_payload(const void *p, size_t len,
	    const struct nlattr **tb, uint16_t max);
/* The same for the attributes of NLH after its OFFSET bytes of header. */
void	nl_attr_table(const struct nlmsghdr *nlh, size_t offset,
	    const struct nlattr **tb, uint16_t max);
/* A, if there, holds LEN bytes at least: an integer of LEN bytes, as
 * mnl_attr_validate checks one. */
bool	nl_attr_holds(const struct nlattr *a, size_t len);
/* A, if there, is empty or holds an attribute header at least: a nest,
 * as mnl_attr_validate checks one. */
bool	nl_attr_nests(const struct nlattr *a);

#endif
