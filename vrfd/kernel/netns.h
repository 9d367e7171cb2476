/*
 * netns: named network namespaces, the way iproute2 makes them.
 *
 * A named namespace is a bind mount of a namespace file on
 * /run/netns/NAME, so `ip netns exec NAME`, `ip -n NAME` and
 * /etc/netns/NAME work on ours exactly as on theirs.
 */
#ifndef VRFD_NETNS_H
#define VRFD_NETNS_H

#include <stddef.h>

#define NETNS_RUN_DIR	"/run/netns"

int	netns_create(const char *name);		/* 0, -EEXIST, -errno */
int	netns_delete(const char *name);		/* 0, -ENOENT, -errno */
int	netns_open(const char *name);		/* O_RDONLY fd, or -errno */
/* The names under /run/netns, sorted; free with netns_list_free. */
int	netns_list(char ***names, size_t *n);
void	netns_list_free(char **names, size_t n);
/* Switch the calling thread into NSFD; *SAVED gets a handle on where it
 * was. netns_leave switches back and closes it; it fails loudly (-errno)
 * if the switch back fails, since the caller must not go on then. */
int	netns_enter(int nsfd, int *saved);
int	netns_leave(int saved);
/* From one namespace straight into NSFD, between an enter and its leave:
 * one setns, and the way back stays the enter's. */
int	netns_switch(int nsfd);

#endif
