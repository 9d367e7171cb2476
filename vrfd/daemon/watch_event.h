/*
 * watch_event: the words for kernel events, for watch.c (internal).
 */
#ifndef VRFD_WATCH_EVENT_H
#define VRFD_WATCH_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kstate.h"

struct nlmsghdr;
struct watch_neigh;

#define WATCH_WHAT	160

struct watch_link {
	int		 ifindex;
	char		 name[IFNAMSIZ];
	unsigned	 flags, mtu;
	uint8_t		 mac[6];
	int		 master;
	char		 alias[KS_ALIAS_MAX];
};

struct watch_ns {
	char		 name[KS_NSNAME_MAX];
	int		 nsid;
	struct watch_link *links;
	size_t		 n_links;
};

enum {
	WATCH_EVENT_NONE,	/* none of vrfd's business */
	WATCH_EVENT_OURS,	/* about an object vrfd owns */
	WATCH_EVENT_FOREIGN,	/* about a foreign route */
};

/* What NLH, an event of namespace WN, changed, in WHAT; WATCH_EVENT_*.
 * Link events also keep WN's link table up to date. */
int	watch_event_what(struct watch_ns *, const struct nlmsghdr *,
	    char *what, size_t len);
/* Does NLH change what a pass reads in its namespace? A route the kernel
 * cloned does not. For a neighbour event, NB is filled and *IS_NEIGH set. */
bool	watch_event_touches(const struct nlmsghdr *, struct watch_neigh *nb,
	    bool *is_neigh);
/* Fill WN's link table from a dump of the namespace NSFD. */
void	watch_event_links(struct watch_ns *, int nsfd);
/* The NETNSA_NSID of an RTM_NEWNSID or RTM_DELNSID, or -1. */
int	watch_event_nsid(const struct nlmsghdr *);

#endif
