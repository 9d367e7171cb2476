/*
 * host: which of a lab's hosts this one is, for a lab spread over several
 * (`hosts:` in vrf-topology(5)). A run on a host builds, keeps and looks
 * at only that host's part of the lab (topo_localize): its routers and
 * switches, and its ends of the links between hosts.
 *
 * The host is, in this order: the one this process was told (vrfctl
 * --host, vrfd --host or vrfd.conf's `host`); the one the lab was last
 * applied as here (kept beside its topology, state.h); the one whose
 * underlay address is an address of the namespace vrfctl or vrfd runs
 * in, this host's own.
 */
#ifndef VRFD_HOST_H
#define VRFD_HOST_H

#include <stddef.h>

struct diag_list;
struct topo;

/* The host this process speaks for; NULL or "": found per lab. */
void		 host_set(const char *name);
const char	*host_get(void);		/* "" when not told */

/*
 * Pick T's host here and mark the other hosts' namespaces remote: NAME
 * if not NULL or "" (a request's --host), else as above. A lab without
 * hosts is all this host's: 0, nothing done. 0, or -ENOENT (the host
 * named is not one of T's; none is found here) or -EINVAL (two of T's
 * hosts are here) with the reason in WHY.
 */
int		 host_localize(struct topo *, const char *name, char *why,
		    size_t len);
/* The same, the reason as an error in DL at T's `hosts:` (for the
 * callers that show diagnostics): 0 or the error. */
int		 host_localize_diag(struct topo *, const char *name,
		    struct diag_list *);
/* What a localized T asks of this host: that no VNI of its links from
 * here is one another lab kept here uses. An error in DL at each link
 * whose VNI is taken. */
void		 host_check(const struct topo *, struct diag_list *);
/* Keep the host T was applied as, beside its topology (nothing for a
 * lab without hosts). 0 or -errno. */
int		 host_save(const struct topo *);

#endif
