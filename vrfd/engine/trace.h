/*
 * trace: where one packet goes in a lab, asked of the kernel hop by hop.
 *
 * In each namespace the kernel's own route lookup (lookup.h) says which
 * route matches and which nexthop this flow takes; the trace then follows
 * the egress veth to its peer (across a switch's bridge to the port whose
 * namespace owns the nexthop) and asks again there, with the packet now
 * arriving on that interface, until it is delivered or stops. It reads the
 * live state, foreign routes included (a routing daemon's), never the file:
 * the topology only names the namespaces and says where to look first.
 * A lab spread over hosts is traced on one host up to the link that
 * leaves it (TRACE_CROSS_HOST), which names where the packet goes on.
 */
#ifndef VRFD_TRACE_H
#define VRFD_TRACE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kstate.h"
#include "topo/topo.h"

/* How a trace ends. */
enum trace_result {
	TRACE_DELIVERED,		/* the destination is the node's own */
	TRACE_BLACKHOLE,		/* a blackhole route dropped it */
	TRACE_UNREACHABLE,		/* an unreachable route */
	TRACE_PROHIBIT,			/* a prohibit route */
	TRACE_NO_ROUTE,			/* no route matches */
	TRACE_NEIGH_UNRESOLVED,		/* nobody on the segment owns the
					   nexthop */
	TRACE_FORWARDING_DISABLED,	/* a transit node does not forward */
	TRACE_RP_FILTER,		/* the reverse-path filter drops it */
	TRACE_LOOP,			/* it came back where it had been */
	TRACE_TTL_EXCEEDED,		/* more hops than its TTL */
	TRACE_LINK_DOWN,		/* the egress link is down */
	TRACE_LEFT_LAB,			/* it leaves through an interface
					   whose other end is not the lab's */
	TRACE_CROSS_HOST,		/* it leaves this host through a link
					   between hosts: that host's trace
					   follows it on */
	TRACE_ERROR,			/* the kernel refused the lookup
					   for another reason */
	TRACE_NRESULTS
};

/* "delivered", "no-route", "neighbour-unresolved"... */
const char	*trace_result_str(enum trace_result);

struct trace_nexthop {
	uint8_t		 gw[16];		/* the route's family */
	bool		 has_gw;		/* false: on-link */
	char		 dev[IFNAMSIZ];
	uint16_t	 weight;		/* 1..256 */
	bool		 chosen;		/* this flow's */
};

/* The route a hop matched: the routing table's entry. */
struct trace_route {
	uint8_t		 dst[16];
	uint8_t		 dst_len;
	uint8_t		 type;			/* RTN_* */
	uint8_t		 protocol;		/* RTPROT_*, vrfd's 118 */
	uint32_t	 table;
	uint32_t	 metric;
};

struct trace_hop {
	char			 node[2 * TOPO_NAME_MAX + 2];	/* "pe1/red" */
	char			 ns[KS_NSNAME_MAX];
	bool			 is_switch;	/* a bridge it crossed */
	char			 ingress[IFNAMSIZ];	/* "" at the source */
	bool			 has_route;
	struct trace_route	 route;
	struct trace_nexthop	 ecmp[KS_MAX_NEXTHOPS];	/* all, if > 1 */
	int			 n_ecmp;
	int			 ecmp_hash_policy;	/* its namespace's
						   fib_multipath_hash_policy */
	bool			 has_nexthop;
	struct trace_nexthop	 nexthop;	/* the one this flow takes;
						   gw = the destination
						   when on-link */
	char			 egress[IFNAMSIZ];	/* a switch: its port */
	bool			 has_neigh;	/* the nexthop's entry on
						   egress */
	char			 neigh_state[16];	/* "REACHABLE"... */
	bool			 neigh_has_lladdr;
	uint8_t			 neigh_lladdr[6];
};

/* What to trace. */
struct trace_req {
	const struct topo	*topo;		/* the lab's namespaces */
	const char		*node;		/* where the packet starts */
	struct topo_ip		 dst;
	struct topo_ip		 src;		/* family 0: the kernel's
						   choice */
	enum topo_probe_proto	 proto;
	uint16_t		 sport, dport;
	unsigned		 ttl;		/* 0: 64 */
};

struct trace {
	enum trace_result	 result;
	char			 why[256];	/* one line, for people */
	int			 family;
	uint8_t			 src[16];	/* the source it was traced
						   with */
	bool			 has_src;
	uint8_t			 dst[16];
	enum topo_probe_proto	 proto;
	uint16_t		 sport, dport;
	struct trace_hop	*hops;
	size_t			 n_hops;	/* the last one is where it
						   was delivered or stopped */
	/* TRACE_CROSS_HOST: where it goes on, at the link's far end */
	char			 cross_host[TOPO_NAME_MAX + 1];
	char			 cross_node[2 * TOPO_NAME_MAX + 2];
	char			 cross_if[IFNAMSIZ];
	uint32_t		 cross_vni;
};

/*
 * Trace REQ into OUT (freed with trace_free, also after an error). 0, or
 * -errno when it could not be traced at all, with OUT->why saying why (an
 * unknown node, a node on another host (-EREMOTE), a namespace that is
 * not there, a source address that is not the node's). A packet that
 * does not arrive is a result, not an error.
 */
int	trace_run(const struct trace_req *, struct trace *out);
/* The answer's way back: from where FWD was delivered to FWD's source,
 * ports swapped. False if FWD was not delivered. */
bool	trace_reply_req(const struct trace *fwd, const struct topo *,
	    struct trace_req *rev);
void	trace_free(struct trace *);

#endif
