/*
 * observe: a snapshot of one namespace as the kernel has it: its links,
 * addresses, routes (main table), neighbours, and the sysctls asked for.
 */
#ifndef VRFD_OBSERVE_H
#define VRFD_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/kstate.h"

struct nl_sock;

/* Fill OUT (whose name is set) from the namespace NSFD through SOCK, a
 * socket that lives in it. KEYS are the sysctls to read (from inside the
 * namespace; NSFD -1: the calling thread is in it). Missing keys are left
 * out of OUT->sysctls. QDISCS: qdiscs are declared there (else they are
 * read only where a link has a root qdisc other than "noqueue"). NEED:
 * the kinds of address, route and neighbour (own.h: OWN_HOLDS_*) to read
 * in any case; of the others, those the namespace's mark says it holds
 * (a namespace holds no object of vrfd's of another kind, and only a
 * pass that lists what is not vrfd's needs to see them). OUT->kinds says
 * which were read. 0 or -errno. */
int	observe_ns(struct nl_sock *, int nsfd, const char *const *keys,
	    size_t n_keys, bool qdiscs, unsigned need, struct ks_ns *out);
/* The kinds of object an event may name. */
enum {
	OBSERVE_ADDRS	= 1 << 0,
	OBSERVE_ROUTES	= 1 << 1,
	OBSERVE_NEIGHS	= 1 << 2,
	OBSERVE_QDISCS	= 1 << 3,
	OBSERVE_SYSCTLS	= 1 << 4,	/* netconf's */
	OBSERVE_LINKS	= 1 << 5,	/* and so all of it */
};
/* What a link's coming, going or change of state (up, down, moved,
 * renamed) may change without an event of its own: the kernel drops a
 * link's IPv4 routes silently, and its addresses, neighbours and qdiscs
 * go with it. The link itself is known from its own message
 * (ks_ns_link_news). */
#define OBSERVE_LINK_FOLLOWS \
	(OBSERVE_ADDRS | OBSERVE_ROUTES | OBSERVE_NEIGHS | OBSERVE_QDISCS)
/* OUT, as observe_ns read it, read again for the KINDS of object only,
 * its links and the rest kept (an event named those kinds alone). 0 or
 * -errno. */
int	observe_again(struct nl_sock *, int nsfd, const char *const *keys,
	    size_t n_keys, bool qdiscs, unsigned kinds, struct ks_ns *out);
/* The kinds of object (OBSERVE_*) to read again in HAVE for it to hold
 * the kinds NEED (own.h: OWN_HOLDS_*): 0 when it does. */
unsigned observe_missing(const struct ks_ns *have, unsigned need);
/* Only the links and addresses of the namespace of SOCK, into OUT (a
 * trace needs no more). 0 or -errno. */
int	observe_links_addrs(struct nl_sock *, struct ks_ns *out);
/* The link NAME of the namespace of SOCK read again into OUT, in place
 * of what OUT held of it (gone, if the kernel has none of that name).
 * 0 or -errno. */
int	observe_link(struct nl_sock *, const char *name, struct ks_ns *out);
/* Is KEY read through netconf, so that the kernel sends an event when it
 * changes? Other sysctls change silently. */
bool	observe_sysctl_evented(const char *key);
/* The key to a namespace's state as read with the sysctls KEYS (a pass
 * keeps and finds it by the keys it reads): each folded in, in order,
 * from OBSERVE_KEYS_NONE. FNV-1a. */
#define OBSERVE_KEYS_NONE	0xcbf29ce484222325ULL
uint64_t observe_keys_add(uint64_t h, const char *key);
/* Only the loopback alias: the ownership mark. "" when none. Of the
 * namespace of SOCK, or, when NSID >= 0, of the one whose id that is in
 * SOCK's (no socket inside it needed). */
int	observe_lo_alias(struct nl_sock *, int nsid, char *alias, size_t len);

#endif
