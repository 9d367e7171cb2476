/*
 * nscache: what the daemon last read from each namespace it watches, kept
 * for as long as no event says the namespace changed. A pass takes it
 * through engine/memory.h (nscache_memory()) instead of dumping.
 *
 * Reading a namespace costs four or five netlink dumps; for a lab of
 * hundreds of namespaces that is most of a no-op apply. The kernel tells
 * the daemon of every change to links, addresses, routes, neighbours,
 * netconf sysctls and qdiscs as it makes it (the event is queued before the syscall
 * that made the change returns), so a namespace that has sent no event
 * since it was read still holds what was read.
 *
 * What keeps this exact:
 *  - only namespaces watched before they were read are kept (their events
 *    reach the daemon); every event forgets what it is about: of an
 *    address, a route, a neighbour, a netconf sysctl or a qdisc, that
 *    kind of object, which the next pass reads again while it recalls
 *    the rest; a link's event carries the link's whole state, which
 *    replaces the link kept, and what its change may have changed
 *    silently (its routes) is read again; a name that leaves /run/netns
 *    forgets all of it;
 *  - a kept state belongs to one namespace (its nsfs inode) and to the
 *    sysctl keys read, and only keys netconf reports on are kept at all
 *    (other sysctls change without an event);
 *  - lost events (ENOBUFS) and the periodic resync forget everything;
 *  - passes run on worker threads while the loop hears events: every
 *    forgetting moves the namespace's generation on, and a state read
 *    under an older generation (a ticket) is not kept.
 * The events are heard on the loop's thread, passes run on others: every
 * call takes the cache's lock.
 */
#ifndef VRFD_NSCACHE_H
#define VRFD_NSCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/memory.h"
#include "kernel/kstate.h"

struct nscache;

struct nscache	*nscache_new(void);		/* NULL, errno */
void		 nscache_free(struct nscache *);
/* The interface a pass uses (engine/memory.h). */
struct pass_memory nscache_memory(struct nscache *);

/* NS is watched from now on (its events reach the daemon) as namespace
 * INO, of id NSID in the daemon's namespace; or, NSID -1, no more. Only
 * a watched namespace's state is kept. Its id is told to a pass that
 * reaches it from outside (engine/memory.h), watched or no longer: an
 * id is the namespace's until it ends. */
void	nscache_watch(struct nscache *, const char *ns, int nsid,
	    uint64_t ino);
/* NS's ticket now: what nscache_put() must be given with a state read
 * after it. */
uint64_t nscache_ticket(struct nscache *, const char *ns);
/* Keep HAVE, read from namespace INO with the sysctl keys whose hash is
 * KEYS after TICKET was taken, as what NS holds, or NS as SETTLED under
 * that digest when not 0; STALE: the kinds of object (observe.h) it no
 * longer holds as they are (the pass changed them). HAVE is taken (left
 * empty, its name kept) when kept; a namespace not watched, or forgotten
 * since TICKET, keeps nothing. */
void	nscache_put(struct nscache *, const char *ns, uint64_t ino,
	    uint64_t keys, uint64_t ticket, struct ks_ns *have,
	    uint64_t settled, unsigned stale);
/* Is NS settled under DIGEST (engine/memory.h)? A settled namespace's
 * state is not kept (a pass leaves it out, and an event forgets it): only
 * its static neighbours, to tell which neighbour events matter; but one
 * of many links (a hub) is kept whole, for an event of one kind to cost
 * only that kind's reading. */
bool	nscache_settled(struct nscache *, const char *ns, uint64_t digest);
/* Move NS's kept state into HAVE if it is of namespace INO, read with
 * KEYS: true, its ticket in *TICKET and in *STALE the kinds of object to
 * read again. It is no longer kept either way. */
bool	nscache_take(struct nscache *, const char *ns, uint64_t ino,
	    uint64_t keys, struct ks_ns *have, uint64_t *ticket,
	    unsigned *stale);
/* Objects of KINDS (engine/observe.h: OBSERVE_ROUTES...) changed in NS:
 * what was read of them there is forgotten, the rest kept; KINDS 0
 * (links, or not known): all of it. */
void	nscache_forget(struct nscache *, const char *ns, unsigned kinds);
/* A link's message from NS: K, its whole state now (GONE: deleted or
 * moved away). The link kept is brought up to date from it, and what
 * else it may have changed, of KINDS, is to be read again (a carrier's
 * change: none; a link made, deleted, set up or down: engine/observe.h's
 * OBSERVE_LINK_FOLLOWS). A state a pass is reading is brought up to date
 * when it is given back. */
void	nscache_link(struct nscache *, const char *ns, const struct ks_link *k,
	    bool gone, unsigned kinds);
void	nscache_forget_all(struct nscache *);
/* A neighbour event in NS. Learned entries come and go with traffic and
 * a pass ignores them: the event matters only if the entry is one a pass
 * reads (KEPT: permanent or marked) or was one when NS was read. */
void	nscache_neigh(struct nscache *, const char *ns, int family,
	    const uint8_t *ip, int ifindex, bool kept);
/* How many namespaces' states are kept (settled ones not counted). */
size_t	nscache_count(struct nscache *);

#endif
