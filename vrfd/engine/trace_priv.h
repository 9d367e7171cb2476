/*
 * trace_priv: what trace.c (the hops) and trace_lab.c (the lab's
 * namespaces, and how a packet crosses from one to the next) share.
 */
#ifndef VRFD_TRACE_PRIV_H
#define VRFD_TRACE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "kernel/kstate.h"
#include "trace.h"

/* A lab namespace as the trace knows it, opened when first visited. */
struct trace_ns {
	const struct topo_ns	*tns;
	int			 fd;		/* -1: not opened */
	struct nl_sock		*sock;
	struct ks_ns		 ks;		/* links and addresses */
	bool			 loaded;
};

struct trace_run {
	const struct trace_req	*req;
	struct trace		*out;
	struct trace_ns		*ns;		/* one per topo->ns */
	size_t			 n_ns;
	size_t			 alloc_hops;
};

/* Where a packet arrives after leaving through a link: a namespace and
 * the link it comes in on. */
struct trace_arrival {
	ssize_t			 ns;		/* -1: none found */
	const struct ks_link	*link;
	/* None found here, but a switch crossed has a port to another
	 * host: that port, of namespace CROSS_NS. */
	const struct ks_link	*cross;
	size_t			 cross_ns;
};

static inline size_t
trace_alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Open lab namespace I and read its links and addresses. 0 or -errno. */
int		 trace_ns_load(struct trace_run *, size_t i);
/* The lab namespace that veth L of namespace I leads to, or -1. */
ssize_t		 trace_peer_ns(struct trace_run *, size_t i,
		    const struct ks_link *l);
const struct ks_link *trace_link(const struct trace_ns *, int ifindex);
/* Is IP namespace N's own? RTN_LOCAL for the kernel. */
bool		 trace_is_local(struct trace_ns *, int family,
		    const uint8_t *ip);
/*
 * The packet leaves namespace I through L towards nexthop NH (or MAC, a
 * static neighbour entry's): where it arrives, in *ARR (ns -1: nowhere).
 * Each switch it crosses is added as a hop. 0 or -errno.
 */
int		 trace_cross(struct trace_run *, size_t i,
		    const struct ks_link *l, const uint8_t *nh,
		    const uint8_t *mac, struct trace_arrival *arr);
/* The packet leaves namespace I through L, the VXLAN end of a link
 * between hosts: the trace stops, naming where it goes on. 1. */
int		 trace_stop_cross(struct trace_run *, size_t i,
		    const struct ks_link *l);
/* A new hop at namespace I, arriving on INGRESS; NULL: out of memory. */
struct trace_hop *trace_hop_new(struct trace_run *, size_t i,
		    const char *ingress);

#endif
