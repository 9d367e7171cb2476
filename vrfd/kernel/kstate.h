/*
 * kstate: the kernel objects of one network namespace.
 *
 * One representation serves both sides of the diff: compile.c fills it from
 * the topology (what should be), observe.c from netlink dumps and sysctl
 * reads (what is). Objects are matched by their keys (link name; address
 * and device; route family, table, destination and metric; neighbour
 * address and device; sysctl key).
 */
#ifndef VRFD_KSTATE_H
#define VRFD_KSTATE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/keyidx.h"

/* Whose objects these are, and vrfd's marks on its own: own.h. */
#define KS_ALIAS_MAX		256	/* IFALIASZ */
#define KS_MAX_NEXTHOPS		16	/* = TOPO_MAX_NEXTHOPS */
#define KS_SYSCTL_KEY_MAX	128
#define KS_SYSCTL_VAL_MAX	64
#define KS_NSNAME_MAX		100	/* >= TOPO_NSNAME_MAX */

enum ks_link_kind {
	KS_LINK_OTHER,
	KS_LINK_LO,
	KS_LINK_VETH,
	KS_LINK_BRIDGE,
	KS_LINK_VXLAN,		/* a link between hosts: one end here */
};

/* A VXLAN link's tunnel, desired and observed alike. */
struct ks_vxlan {
	uint32_t	 vni;
	int		 family;		/* of local and remote */
	uint8_t		 local[16], remote[16];
	uint16_t	 port;			/* UDP, host order */
	bool		 learning;
	int		 dev;			/* observed: the device it is
						   bound to (IFLA_VXLAN_LINK);
						   0: routed, as vrfd makes it */
};

struct ks_link {
	char		 name[IFNAMSIZ];
	int		 ifindex;		/* observed; 0 in desired */
	enum ks_link_kind kind;
	unsigned	 mtu;			/* 0 in desired: don't care */
	bool		 has_mac;
	uint8_t		 mac[6];
	bool		 up;			/* IFF_UP */
	bool		 running;		/* observed: operstate UP, i.e.
						   the kernel has finished
						   bringing it up */
	char		 master[IFNAMSIZ];	/* bridge port of; "" = none */
	char		 qdisc[16];		/* observed: the root qdisc's
						   kind (IFLA_QDISC), "" none */
	int		 master_ifindex;	/* observed */
	char		 alias[KS_ALIAS_MAX];	/* "" = none */
	uint32_t	 group;			/* IFLA_GROUP; 0 = default */
	/* veth: the other end. Desired: namespace and name. Observed: the
	 * peer's ifindex (IFLA_LINK) and whether it lives in another
	 * namespace (IFLA_LINK_NETNSID present). */
	char		 peer_ns[KS_NSNAME_MAX];
	char		 peer_name[IFNAMSIZ];
	int		 peer_ifindex;
	int		 peer_nsid;		/* -1: same namespace / unknown */
	/* which end of the pair vrfd creates the pair from (desired) */
	bool		 primary;
	struct ks_vxlan	 vxlan;			/* KS_LINK_VXLAN */
	/* desired, KS_LINK_VXLAN: the far end, for people */
	char		 far_host[33];
	char		 far_node[80];
};

struct ks_addr {
	int		 family;
	uint8_t		 addr[16];
	uint8_t		 plen;
	char		 dev[IFNAMSIZ];
	int		 ifindex;		/* observed */
	uint8_t		 proto;			/* IFA_PROTO */
	uint8_t		 scope;
	uint32_t	 flags;			/* IFA_F_* */
};

/* Small on purpose, and a route holds one in itself: only a multipath
 * route's are allocated. A pass holds two routes (want, have) for each one
 * of a lab, the daemon keeps what it read, and nearly all routes have one
 * nexthop. */
struct ks_nexthop {
	uint8_t		 gw[16];
	char		 dev[IFNAMSIZ];		/* "" = any */
	int		 ifindex;		/* observed */
	uint16_t	 weight;		/* 1..256 (rtnh_hops + 1) */
	uint8_t		 gw_family;		/* 0: the route's */
	bool		 has_gw;
};

struct ks_route {
	int		 family;
	uint8_t		 dst[16];
	uint8_t		 dst_len;
	uint8_t		 type;			/* RTN_UNICAST, RTN_BLACKHOLE... */
	uint8_t		 protocol;		/* RTPROT_* */
	uint8_t		 scope;
	uint32_t	 table;			/* RT_TABLE_MAIN = 254 */
	uint32_t	 priority;		/* metric; RTA_PRIORITY */
	uint32_t	 nhid;			/* RTA_NH_ID; 0 = none */
	int		 n_nh;
	struct ks_nexthop nh1;			/* the nexthop if n_nh <= 1 */
	struct ks_nexthop *nhs;			/* all of them if n_nh > 1,
						   else NULL; the route's own */
};

/* Nexthop J (< n_nh) of R. */
static inline struct ks_nexthop *
ks_nh(const struct ks_route *r, int j)
{
	return r->nhs != NULL ? &r->nhs[j] : (struct ks_nexthop *)&r->nh1;
}

struct ks_neigh {
	int		 family;
	uint8_t		 ip[16];
	bool		 has_lladdr;
	uint8_t		 lladdr[6];
	char		 dev[IFNAMSIZ];
	int		 ifindex;		/* observed */
	uint16_t	 state;			/* NUD_* */
	uint8_t		 proto;			/* NDA_PROTOCOL */
};

struct ks_sysctl {
	char		 key[KS_SYSCTL_KEY_MAX];	/* "net.ipv4.ip_forward" */
	char		 value[KS_SYSCTL_VAL_MAX];
	bool		 create_only;	/* desired: set when the namespace is
					   made, not kept afterwards */
};

/*
 * A queueing discipline (tc), by its device and place (parent, handle).
 * The impairments are tbf (a token bucket) and netem; of other kinds only
 * the name is kept. Numbers are the kernel's: a tbf bucket as a time in
 * psched ticks, netem's chances as fractions of UINT32_MAX.
 */
enum ks_qdisc_kind {
	KS_QDISC_OTHER,
	KS_QDISC_TBF,
	KS_QDISC_NETEM,
};

struct ks_tbf {
	uint64_t	 rate;			/* bytes/s */
	uint32_t	 buffer;		/* the bucket, psched ticks */
	uint32_t	 burst;			/* ... in bytes: as declared
						   (desired), from the ticks
						   (observed) */
	uint32_t	 limit;			/* bytes queued at most */
};

struct ks_netem {
	uint64_t	 latency, jitter;	/* ns */
	uint32_t	 limit;			/* packets */
	uint32_t	 loss, duplicate, corrupt, reorder;
	uint32_t	 gap;
};

struct ks_qdisc {
	char		 dev[IFNAMSIZ];
	int		 ifindex;		/* observed */
	uint32_t	 parent;		/* TC_H_ROOT, or a class */
	uint32_t	 handle;		/* major:0; 0: the kernel's */
	enum ks_qdisc_kind kind;
	char		 kind_name[16];		/* "tbf", "noqueue" */
	struct ks_tbf	 tbf;
	struct ks_netem	 netem;
};

struct ks_ns {
	char		 name[KS_NSNAME_MAX];	/* namespace name */
	bool		 exists;		/* observed: /run/netns/NAME */
	char		 lo_alias[KS_ALIAS_MAX];	/* the ownership mark */
	unsigned	 kinds;			/* observed: the kinds of
						   object read (own.h:
						   OWN_HOLDS_*); not the
						   others */
	struct ks_link	*links;
	size_t		 n_links;
	struct ks_addr	*addrs;
	size_t		 n_addrs;
	struct ks_route	*routes;
	size_t		 n_routes;
	struct ks_neigh	*neighs;
	size_t		 n_neighs;
	struct ks_sysctl *sysctls;
	size_t		 n_sysctls;
	struct ks_qdisc	*qdiscs;
	size_t		 n_qdiscs;
	/* The links by name and by ifindex, made by ks_ns_index_links once
	 * they are all there (a hub has thousands, and every address, route
	 * and link end names one); a link added since, and they are walked
	 * again. */
	struct nameidx	 link_names;
	struct keyidx	 link_indexes;
	size_t		 n_links_indexed;
};

/* Appenders return a zeroed slot, or NULL with errno = ENOMEM. */
struct ks_link	 *ks_link_add(struct ks_ns *);
struct ks_addr	 *ks_addr_add(struct ks_ns *);
struct ks_route	 *ks_route_add(struct ks_ns *);
struct ks_neigh	 *ks_neigh_add(struct ks_ns *);
struct ks_sysctl *ks_sysctl_add(struct ks_ns *);
struct ks_qdisc	 *ks_qdisc_add(struct ks_ns *);
void		  ks_ns_clear(struct ks_ns *);	/* free contents, keep name */
/* NS down to its neighbours, in new memory of their size (none: none):
 * vrfd keeps them of each settled namespace, and an array kept for each
 * of thousands amid what a pass frees would hold as many pages. */
void		  ks_ns_only_neighs(struct ks_ns *);
/* Drop NS's last route, an appender's that is not wanted after all. */
void		  ks_route_drop(struct ks_ns *);

/*
 * A route owns its nexthops: a route copied by value shares them, and only
 * one of the two may be cleared. A zeroed route has none.
 */
/* A zeroed nexthop more for R, or NULL (errno ENOMEM, or E2BIG past
 * KS_MAX_NEXTHOPS). Valid until the next one is added. */
struct ks_nexthop *ks_route_nh_add(struct ks_route *);
/* Free what R owns, leaving it with no nexthops. */
void	ks_route_clear(struct ks_route *);
/* DST, uninitialised, as a copy of SRC with nexthops of its own: 0, or
 * -ENOMEM (DST then has none). */
int	ks_route_copy(struct ks_route *dst, const struct ks_route *src);

/* Index NS's links (when they are many): their names and ifindexes are
 * final. 0 or -ENOMEM (lookups walk). */
int		 ks_ns_index_links(struct ks_ns *);
struct ks_link	*ks_link_by_name(const struct ks_ns *, const char *);
struct ks_link	*ks_link_by_index(const struct ks_ns *, int ifindex);
const char	*ks_ifname(const struct ks_ns *, int ifindex); /* "" unknown */
/* What of link L is named from the rest of NS, once its links are all
 * there: its master's name; the loopback's alias is NS's mark. */
void		 ks_link_resolve(struct ks_ns *, struct ks_link *l);
/*
 * What the kernel now says of one link (K, read or heard; GONE: it is no
 * more) put in NS in place of what NS held of it: the link of K's
 * ifindex, and any other of K's name, go, and K comes in. NS's other
 * objects are left as they are (they name links by ifindex). 0, or
 * -ENOMEM (NS then lacks the link).
 */
int		 ks_ns_link_news(struct ks_ns *, const struct ks_link *k,
		    bool gone);

/* Equality of keys and of contents, as the diff needs them. */
bool	ks_addr_same_key(const struct ks_addr *, const struct ks_addr *);
uint64_t ks_addr_key_hash(const struct ks_addr *);
bool	ks_route_same_key(const struct ks_route *, const struct ks_route *);
/* A hash of the key: equal for routes that ks_route_same_key pairs. */
uint64_t ks_route_key_hash(const struct ks_route *);
bool	ks_route_same(const struct ks_route *, const struct ks_route *);
/* The nexthops alone, matched one to one: an empty device on either side
 * is any device; weights count only with more than one. */
bool	ks_route_nexthops_same(const struct ks_route *,
	    const struct ks_route *);
bool	ks_neigh_same_key(const struct ks_neigh *, const struct ks_neigh *);

/* Text forms for reports and iproute2 commands. */
const char *ks_addr_str(const struct ks_addr *, char *, size_t);   /* 10.0.0.1/24 */
const char *ks_route_dst_str(const struct ks_route *, char *, size_t); /* default */
const char *ks_route_type_str(uint8_t type);	/* "unicast", "blackhole" */
const char *ks_mac_str(const uint8_t mac[6], char *, size_t);

#endif
