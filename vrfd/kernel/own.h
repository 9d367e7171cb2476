/*
 * own: whose an object in the kernel is, read from the marks vrfd leaves
 * in the objects themselves. The one place these rules are written: the
 * diff, the observation of a namespace, the daemon's reading of events
 * and the search for labs all ask here.
 *
 * The marks:
 *  - a namespace: the alias of its loopback, "vrfd lab=LAB node=NODE
 *    holds=KINDS in=PLACE", set before its name appears under
 *    /run/netns; the file of a name whose making was cut short (no
 *    namespace on it yet) holds the same text. PLACE is the /run/netns it
 *    was named in (netns_place()): a namespace no name leads to any more
 *    is a ghost of this host's lab only if it was named here, not under
 *    another mount namespace's /run/netns (another sandbox, another
 *    container) with a lab of the same name. KINDS are the kinds of
 *    object vrfd has put in it ("ipv4,ipv6,neigh", or "none"): an IPv4
 *    address or route, an IPv6 one or a neighbour is vrfd's only where
 *    its namespace holds its kind, and a pass that changes a namespace
 *    need not read the kinds it neither holds nor declares. The mark
 *    gains a kind before the first object of it is made, and never loses
 *    one. A mark without holds= (made before it existed) holds them all;
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

/* The kinds of object a namespace's mark says it holds. */
#define OWN_HOLDS_IPV4		0x1u	/* IPv4 addresses and routes */
#define OWN_HOLDS_IPV6		0x2u	/* IPv6 addresses and routes */
#define OWN_HOLDS_NEIGH		0x4u	/* neighbours */
#define OWN_HOLDS_ALL		0x7u

/* What a mark says: the lab, and for a namespace the node, the kinds it
 * holds and the place. */
struct own_mark {
	char	 lab[OWN_NAME_MAX];
	char	 node[2 * OWN_NAME_MAX];	/* "" in a link's mark */
	unsigned holds;				/* OWN_HOLDS_ALL if not said */
	char	 place[24];			/* "" if not said */
};

/* Addresses, routes and neighbours of a namespace holding HOLDS (the
 * namespace's mark's, own_mark_holds()): vrfd's mark on one of a kind the
 * namespace does not hold is someone else's doing. */
enum own	 own_route(const struct ks_route *, unsigned holds);
enum own	 own_addr(const struct ks_addr *, unsigned holds);
enum own	 own_neigh(const struct ks_neigh *, unsigned holds);
/* The kind of an address or route of FAMILY: OWN_HOLDS_IPV4 or _IPV6. */
unsigned	 own_family_kind(int family);
/* A qdisc: vrfd's by its handle; the kernel's default one (handle 0:);
 * anyone else's. */
enum own	 own_qdisc(const struct ks_qdisc *);
/* A link, for LAB: OWN_VRFD if it is LAB's (its alias, or the group of
 * a link whose making was cut short); OWN_FOREIGN otherwise, another
 * lab's included. */
enum own	 own_link(const struct ks_link *, const char *lab);

/* The marks as text: "vrfd lab=LAB node=NODE holds=KINDS" (a namespace;
 * PLACE, if not NULL, is added as " in=PLACE"; false if it is cut
 * short), "vrfd lab=LAB" (a link). */
bool		 own_ns_mark(char *, size_t, const char *lab, const char *node,
		    unsigned holds, const char *place);
void		 own_link_mark(char *, size_t, const char *lab);
/* Read a mark: true if TEXT is one (of a namespace when it names a node).
 * A newline at its end, as in a namespace file, is allowed. */
bool		 own_mark_parse(const char *text, struct own_mark *);
/* The kinds namespace mark TEXT says it holds; OWN_HOLDS_ALL where it
 * says nothing of them (made before holds=) or is no mark at all. */
unsigned	 own_mark_holds(const char *text);
/* TEXT, a namespace's mark, holding HOLDS too, in BUF: false if TEXT is
 * not a namespace's mark or BUF too short. */
bool		 own_mark_add_holds(const char *text, unsigned holds, char *buf,
		    size_t len);
/* Is TEXT the mark of namespace NODE of LAB (wherever it was named)? */
bool		 own_ns_marked(const char *text, const char *lab,
		    const char *node);

#endif
