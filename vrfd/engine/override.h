/*
 * override: interfaces set up or down at run time (`vrfctl link set`),
 * against what the lab's file says, until the file is applied again.
 *
 * They are kept beside the lab's topology (state.h), one line each,
 * "NODE IFNAME up|down", and laid over the topology wherever it is read
 * as the lab's (engine_kept_topo, the daemon's kept labs, plan LAB): the
 * compiler then wants that interface in that state (topo_end_down), the
 * pass keeps it so, and status lists it. An apply of the file forgets
 * them (lab_apply).
 */
#ifndef VRFD_OVERRIDE_H
#define VRFD_OVERRIDE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "topo/topo.h"

struct override {
	char	 node[2 * TOPO_NAME_MAX + 2];	/* "pe1/red" */
	char	 ifname[IFNAMSIZ];
	bool	 down;
};

struct override_list {
	struct override	*v;
	size_t		 n;
};

/* LAB's overrides into OL (none: an empty list). 0 or -errno. */
int	override_load(const char *lab, struct override_list *);
/* Keep OL as LAB's overrides (none: the file goes). 0 or -errno. */
int	override_save(const char *lab, const struct override_list *);
/* Forget LAB's overrides: 0 (also when there were none) or -errno. */
int	override_clear(const char *lab);
/* TOPO's interfaces as OL sets them, the others as its file says; an
 * entry that names no end of a link of TOPO, or says what the file
 * says, is no override. */
void	override_apply(struct topo *, const struct override_list *);
/* LAB's kept overrides laid over TOPO, LAB's (topo->lab). 0 or -errno. */
int	override_load_apply(struct topo *);
/* How many of TOPO's interfaces have an override. */
size_t	override_count(const struct topo *);
/* Is NODE:IFNAME the end of a link of TOPO, on this host? 0, or -ENOENT
 * (-EREMOTE: another host's node) with why not in WHY ("no node 'r9' in
 * lab demo"). */
int	override_end(const struct topo *, const char *node,
	    const char *ifname, char *why, size_t len);
/* NODE:IFNAME (an end of a link of TOPO) DOWN, or up, in OL: an entry
 * where that is not what the file says, none where it is. 0, -ENOMEM. */
int	override_set(struct override_list *, const struct topo *,
	    const char *node, const char *ifname, bool down);
void	override_list_free(struct override_list *);

#endif
