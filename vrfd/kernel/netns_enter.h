/*
 * netns_enter: the calling process into a node, the way `ip netns exec`
 * puts a command there: the network namespace, then a mount namespace of
 * its own (slave to the host's, so nothing mounted here leaks back) with
 * /sys mounted for the network namespace and /etc/netns/NAME's files bound
 * over /etc's. Used by `vrfctl exec` and by the services vrfd runs, in a
 * process about to exec.
 */
#ifndef VRFD_NETNS_ENTER_H
#define VRFD_NETNS_ENTER_H

#include <stddef.h>

/* Enter namespace NAME. 0, or -errno with what failed in ERR. Failures to
 * remount /sys or bind a file of /etc/netns are not fatal (ip netns exec
 * goes on too): they are said in ERR with 0 returned. */
int	netns_enter_node(const char *name, char *err, size_t len);
/* Then bind FROM over TO (a directory): a node's own /etc/frr. */
int	netns_enter_bind(const char *from, const char *to, char *err,
	    size_t len);

#endif
