/*
 * interest: which kernel events concern vrfd in a namespace of a lab.
 *
 * Its own objects, by their mark; and whatever stands where the file
 * wants an object of vrfd's, whoever's it is: a route, an address or a
 * neighbour with the key of one declared. A foreign route that blocks
 * ours (a conflict) going away must bring ours back at once, not at the
 * next resync; a routing daemon's churn of routes nobody declared must
 * not wake a pass. Links: every change of what vrfd sets on one (and a
 * link going down drops routes and IPv6 addresses with no event of their
 * own); netconf: every change; qdiscs: vrfd's, and any root qdisc of a
 * device that declares an impairment.
 *
 * The declared keys are hashes, kept sorted: 8 bytes an object.
 */
#ifndef VRFD_INTEREST_H
#define VRFD_INTEREST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kstate.h"

struct watch_ev;

struct interest {
	uint64_t	*routes;
	size_t		 n_routes;
	uint64_t	*addrs;
	size_t		 n_addrs;
	uint64_t	*neighs;
	size_t		 n_neighs;
	char		(*qdisc_devs)[IFNAMSIZ];	/* impaired devices */
	size_t		 n_qdisc_devs;
};

/* The keys WANT declares, in one block. 0 or -ENOMEM. */
int	interest_build(struct interest *, const struct ks_ns *want);
/* Does EV concern vrfd in a namespace that wants I? */
bool	interest_event(const struct interest *, const struct watch_ev *);
void	interest_free(struct interest *);

#endif
