/*
 * verify: the topology's `expect:` list, judged twice. Each expectation is
 * traced (trace.h: the request, and the reply's way back) and probed
 * (probe.h: a real packet from inside the source namespace). It holds when
 * both agree with each other and with `reach`, and, where `via` names
 * nodes, the path passes them in order. Trace and probe disagreeing is a
 * failure of its own: state the trace cannot see (nftables, say).
 */
#ifndef VRFD_VERIFY_H
#define VRFD_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "probe.h"
#include "trace.h"

struct verify_item {
	const struct topo_expect *expect;
	/* A lab spread over hosts: REMOTE, its `from` is another host's
	 * node, judged by that host's verify and not here; CROSS, its path
	 * leaves this host (the trace stops at the link that leaves it),
	 * judged by the probe alone. */
	bool			 remote;
	bool			 cross;
	char			 from_host[TOPO_NAME_MAX + 1];	/* REMOTE */
	struct trace		 request;	/* from `from` to `to` */
	struct trace		 reply;		/* back, if it arrived */
	bool			 has_reply;
	bool			 traced;	/* the trace could be run */
	struct probe		 probe;
	bool			 trace_reached;	/* there and back */
	bool			 via_ok;
	bool			 holds;
	char			 why[384];	/* a failure's reason */
};

/*
 * This host's end of a link between hosts, probed across the link: an
 * ICMP echo from an address of the end's interface to one of the far
 * side on its subnet (the far interface's, or for a switch, one of a
 * node on its LAN). Netlink cannot see that a far end is gone; only
 * this can. An end with no such pair of addresses (a switch's, one
 * without addresses) is not probed.
 */
struct verify_tunnel {
	const struct topo_link	*link;
	int			 end;		/* this host's */
	char			 far_host[TOPO_NAME_MAX + 1];
	bool			 probed;
	struct probe		 probe;
	bool			 holds;		/* probed, and answered */
	char			 why[256];	/* not probed, or no answer */
};

struct verify {
	struct verify_item	*items;
	size_t			 n;
	size_t			 n_held;
	size_t			 n_remote;	/* items judged on other hosts */
	struct verify_tunnel	*tunnels;
	size_t			 n_tunnels;
	size_t			 n_tunnels_ok;	/* probed and answered */
	size_t			 n_tunnels_probed;
	char			 host[TOPO_NAME_MAX + 1];	/* "" : none */
	unsigned		 rounds;	/* with --wait */
};

/* Judge every expectation of T (its namespaces must exist: an applied
 * lab) and, on a lab spread over hosts, probe its links between hosts
 * from this host's ends. Probes wait PROBE_MS for answers, all at once.
 * 0 or -ENOMEM. */
int	verify_run(const struct topo *, unsigned probe_ms, struct verify *);
/* Does everything judged here hold, and every tunnel probed answer? */
bool	verify_ok(const struct verify *);
/* Keep what the tunnel probes found, for status (tunnel.h). 0 or
 * -errno. */
int	verify_keep(const struct topo *, const struct verify *);
void	verify_free(struct verify *);

#endif
