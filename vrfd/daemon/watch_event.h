/*
 * watch_event: a kernel event read: which object, what happened to it,
 * in words (watch.c has the sockets). The objects are parsed by the
 * kernel layer's codecs, the same that read dumps; whose they are and
 * whether the daemon cares is decided elsewhere (interest.c).
 */
#ifndef VRFD_WATCH_EVENT_H
#define VRFD_WATCH_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kstate.h"
#include "kernel/nl_codec.h"
#include "util/keyidx.h"

struct nlmsghdr;

#define WATCH_WHAT	160

/* A link as the last events left it: to tell what an event changes. */
struct watch_link {
	int		 ifindex;
	char		 name[IFNAMSIZ];
	bool		 up;
	unsigned	 mtu;
	uint8_t		 mac[6];
	int		 master;
	uint32_t	 group;
	uint64_t	 alias;		/* its digest: only a change is told,
					   in the new alias's words */
};

struct watch_ns {
	char		 name[KS_NSNAME_MAX];
	int		 nsid;
	uint64_t	 ino;		/* which namespace (netns_id) */
	struct watch_link *links;
	size_t		 n_links, cap_links;
	struct keyidx	 by_ifindex;	/* links: a hub has thousands, and
					   each of their events looks one up */
};

enum watch_kind {
	WATCH_EV_LINK,
	WATCH_EV_ADDR,
	WATCH_EV_ROUTE,
	WATCH_EV_NEIGH,
	WATCH_EV_NETCONF,
	WATCH_EV_QDISC,		/* a root qdisc, or one under vrfd's */
};

/* One event, decoded. */
struct watch_ev {
	enum watch_kind	 kind;
	bool		 deleted;	/* RTM_DEL* */
	bool		 replace;	/* NLM_F_REPLACE: it replaced another */
	bool		 changed;	/* a link: something vrfd sets changed
					   (not carrier or operstate) */
	union {
		struct ks_link	  link;
		struct ks_addr	  addr;
		struct ks_route	  route;
		struct ks_neigh	  neigh;
		struct ks_netconf netconf;
		struct ks_qdisc	  qdisc;
	} o;				/* devices named from the link table */
	char		 what[WATCH_WHAT];	/* in words */
};

/* Decode NLH, an event of namespace WN, into EV: 0, or -ENOENT for an
 * event of no kind vrfd reads (a cloned route, another table, a bridge's
 * port state, a tc class or filter, a qdisc deep in someone's tree),
 * -EINVAL when malformed, -ENOMEM. Link events keep WN's link table
 * up to date. An event decoded (0) is freed with watch_event_clear: a
 * multipath route's nexthops are allocated. */
int	watch_event_decode(struct watch_ns *, const struct nlmsghdr *,
	    struct watch_ev *);
void	watch_event_clear(struct watch_ev *);
/* Fill WN's link table from a dump: the links of the namespace with id
 * NSID, through SOCK, a socket in vrfd's own namespace (no switch into
 * the namespace: IFLA_TARGET_NETNSID). */
struct nl_sock;
int	watch_event_links(struct watch_ns *, struct nl_sock *, int nsid);
/* K in WN's link table, as a dump of its links puts it. 0 or -ENOMEM. */
int	watch_event_link_put(struct watch_ns *, const struct ks_link *);
/* WN's link table, freed. */
void	watch_event_links_free(struct watch_ns *);

#endif
