/*
 * lookup: the kernel's own answers about one packet in one namespace:
 * which route it takes (RTM_GETROUTE, as `ip route get`), and what the
 * neighbour table holds for a nexthop (RTM_GETNEIGH, as `ip neigh get`).
 * Nothing here decides; engine/trace.c puts the answers together.
 */
#ifndef VRFD_LOOKUP_H
#define VRFD_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "kstate.h"

struct nl_sock;

/* A packet, as far as routing looks at it. */
struct lookup_flow {
	int		 family;		/* AF_INET, AF_INET6 */
	uint8_t		 dst[16];
	uint8_t		 src[16];
	bool		 has_src;
	int		 iif;		/* arriving on; 0: sent from here */
	uint8_t		 ipproto;	/* IPPROTO_ICMP(V6), _UDP, _TCP */
	uint16_t	 sport, dport;	/* host order; 0 for ICMP */
};

struct lookup_result {
	/* FIB_MATCH: the routing table's entry (prefix, type, protocol,
	 * metric, every nexthop). Otherwise the path the kernel chose for
	 * this flow: its first nexthop (gateway or none) and its device,
	 * type RTN_LOCAL when the packet is for this namespace. */
	struct ks_route	 route;
	uint8_t		 prefsrc[16];		/* the source it would pick */
	bool		 has_prefsrc;
};

/*
 * Ask the kernel. FIB_MATCH: the table entry rather than the path. 0, or
 * -errno as `ip route get` reports it: -ENETUNREACH (no route; sent from
 * here, also a source that is not the namespace's own), -EHOSTUNREACH
 * (an unreachable route, or IPv4 forwarding off on IIF), -EACCES
 * (prohibit), -EINVAL (blackhole; arriving on IIF, a source the input
 * path refuses: a martian, or since Linux 6.13 the reverse-path filter),
 * -EXDEV (the reverse-path filter, before Linux 6.13). Whatever it
 * returns, RES->route is then the caller's to ks_route_clear: a table
 * entry's nexthops are allocated.
 */
int	lookup_route(struct nl_sock *, const struct lookup_flow *,
	    bool fib_match, struct lookup_result *, char *extack, size_t len);
/* The neighbour entry for IP on IFINDEX: 0 with *OUT, -ENOENT if none. */
int	lookup_neigh(struct nl_sock *, int family, const uint8_t ip[16],
	    int ifindex, struct ks_neigh *out);
/* NUD_* as `ip neigh` prints it: "REACHABLE", "PERMANENT"... */
const char *lookup_nud_str(uint16_t state);

#endif
