/*
 * lab: a lab's life on a host, the same for the daemon and for vrfctl.
 *
 *   apply:   keep the topology (under the state directory), then one
 *            pass; a topology that cannot be kept changes nothing;
 *   destroy: one pass that ends the processes in the lab's namespaces
 *            (its ghosts' too), removes its links and namespaces, then
 *            forget the topology.
 * A plan and a repair are plain passes (engine_run).
 */
#ifndef VRFD_LAB_H
#define VRFD_LAB_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

struct topo;

/* TEXT (LEN bytes) is the file TOPO was read from, kept as the lab's;
 * NULL: the lab's kept text is TOPO's already. *KEPT (may be NULL):
 * whether it was kept (else nothing changed). */
struct report	*lab_apply(const struct topo *, const char *text, size_t len,
		    const struct engine_opts *, bool *kept);
/* KEPT: the lab's kept topology if at hand (the daemon's), else NULL: it
 * is read from the state directory. */
struct report	*lab_destroy(const char *lab, const struct topo *kept,
		    const struct engine_opts *);
/* link set (lab_link.c): interface IFNAME of NODE, an end of a link of
 * TOPO (the lab's kept topology, its overrides laid over it), DOWN or up
 * until the next apply of the lab's file: kept as an override, laid over
 * TOPO, then a pass. A report that failed if NODE:IFNAME is no end of a
 * link, or the override could not be kept (nothing changed then). */
struct report	*lab_link_set(struct topo *, const char *node,
		    const char *ifname, bool down, const struct engine_opts *);
/* After a pass R over TOPO: the software of its nodes (services.h). In a
 * namespace R made (again), what ran in the old one is stopped, its
 * `exec:` commands run and its services started; with ALL (an apply),
 * every other service that does not run is started too. Each start is
 * told to STARTED (may be NULL). Without ALL (vrfd's repairs), a service
 * that ended elsewhere is the supervisor's, started again as its policy
 * says. */
struct svc;
void		 lab_services(const struct topo *, const struct report *,
		    bool all, void (*started)(void *, const struct svc *,
		    int pid), void *arg);

#endif
