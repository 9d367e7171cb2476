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

/* TEXT (LEN bytes) is the file TOPO was read from. *KEPT (may be NULL):
 * whether it was kept (else nothing changed). */
struct report	*lab_apply(const struct topo *, const char *text, size_t len,
		    const struct engine_opts *, bool *kept);
struct report	*lab_destroy(const char *lab, const struct engine_opts *);

#endif
