/*
 * own: whose an object in the kernel is, read from the marks vrfd leaves
 * in the objects themselves. The one place these rules are written: the
 * diff, the observation of a namespace, the daemon's reading of events
 * and the search for labs all ask here.
 *
 * The marks:
 *  - a namespace: the alias of its loopback, "vrfd lab=LAB node=NODE
 *    in=PLACE", set before its name appears under /run/netns; the file of
 *    a name whose making was cut short (no namespace on it yet) holds the
 *    same text. PLACE is the /run/netns it was named in (netns_place()):
 *    a namespace no name leads to any more is a ghost of this host's lab
 *    only if it was named here, not under another mount namespace's
 *    /run/netns (another sandbox, another container) with a lab of the
 *    same name;
 *  - a link: its alias, "vrfd lab=LAB". The kernel ignores an alias in the
 *    message that creates a link, so a link is created in the group
 *    OWN_LINK_GROUP and the next message gives it its alias and the
 *    default group: a link cut off between the two is known by its group;
 *  - routes: protocol VRFD_PROTO; addresses: IFA_PROTO; neighbours:
 *    NDA_PROTOCOL;
 *  - queueing disciplines (tc): their handle. The one vrfd puts at the
 *    root of an impaired link is OWN_QDISC_ROOT (7672:, "vr" in ASCII),
 *    a tbf it hangs under a netem root is OWN_QDISC_CHILD (7673:). The
 *    kernel numbers the ones it is given without a handle from 8000:
 *    up, and its own default ones (noqueue, pfifo_fast, mq) have 0:.
 *    Only a root qdisc matters: a link with no impairment declared keeps
 *    whatever root qdisc someone else put there.
 * One rule for every kind: an object without the mark is never counted as
 * vrfd's, whatever it looks like. Where the file wants an object and an
 * unmarked one holds its place, that is a conflict, left alone. The one
 * exception is the kernel's own neighbour cache: a learned ARP or NDP
 * entry is no one's object, and a declared permanent one replaces it.
 */
#ifndef VRFD_OWN_H
#define VRFD_OWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kstate.h"

/* The mark in routes (rtm_protocol), addresses (IFA_PROTO) and neighbours
 * (NDA_PROTOCOL). Free in linux/rtnetlink.h and iproute2's rt_protos;
 * conf/rt_protos.d/vrfd.conf names it for `ip route`. */
#define VRFD_PROTO		118
/* The handles of vrfd's qdiscs (major:0, as tc's "7672:"). */
#define OWN_QDISC_ROOT		0x76720000u
#define OWN_QDISC_CHILD		0x76730000u
/* The group of a link while it is being made ('vrfd' in ASCII). */
#define OWN_LINK_GROUP		0x76726664u
#define OWN_NAME_MAX		40	/* a lab name; a node "router/vrf" */

enum own {
	OWN_VRFD,		/* carries vrfd's mark */
	OWN_KERNEL,		/* the kernel's own: lo's, link-local and
				   connected ones, learned neighbours */
	OWN_FOREIGN,		/* someone else's: never changed */
};

/* What a mark says: the lab, and for a namespace the node and place. */
struct own_mark {
	char	 lab[OWN_NAME_MAX];
	char	 node[2 * OWN_NAME_MAX];	/* "" in a link's mark */
	char	 place[24];			/* "" if not said */
};

enum own	 own_route(const struct ks_route *);
enum own	 own_addr(const struct ks_addr *);
enum own	 own_neigh(const struct ks_neigh *);
/* A qdisc: vrfd's by its handle; the kernel's default one (handle 0:);
 * anyone else's. */
enum own	 own_qdisc(const struct ks_qdisc *);
/* A link, for LAB: OWN_VRFD if it is LAB's (its alias, or the group of
 * a link whose making was cut short); OWN_FOREIGN otherwise, another
 * lab's included. */
enum own	 own_link(const struct ks_link *, const char *lab);

/* The marks as text: "vrfd lab=LAB node=NODE" (a namespace; PLACE, if
 * not NULL, is added as " in=PLACE"), "vrfd lab=LAB" (a link). */
void		 own_ns_mark(char *, size_t, const char *lab, const char *node,
		    const char *place);
void		 own_link_mark(char *, size_t, const char *lab);
/* Read a mark: true if TEXT is one (of a namespace when it names a node).
 * A newline at its end, as in a namespace file, is allowed. */
bool		 own_mark_parse(const char *text, struct own_mark *);
/* Is TEXT the mark of namespace NODE of LAB (wherever it was named)? */
bool		 own_ns_marked(const char *text, const char *lab,
		    const char *node);

#endif
