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

struct verify {
	struct verify_item	*items;
	size_t			 n;
	size_t			 n_held;
	unsigned		 rounds;	/* with --wait */
};

/* Judge every expectation of T (its namespaces must exist: an applied
 * lab). Probes wait PROBE_MS for answers, all at once. 0 or -ENOMEM. */
int	verify_run(const struct topo *, unsigned probe_ms, struct verify *);
void	verify_free(struct verify *);

#endif
