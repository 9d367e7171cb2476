/*
 * topo: the desired state, as the topology file declares it.
 *
 * topo_load() reads a file into this model (topo_yaml.c), topo_check()
 * adds the semantic checks (topo_check.c). Every object keeps the YAML node
 * it came from, so a diagnostic can name its line, column and path.
 *
 * The unit the engine works on is the namespace (struct topo_ns): a router
 * without VRFs, one VRF of a router, or a switch. Settings inherited from
 * `defaults` and the router are already merged into each namespace.
 */
#ifndef VRFD_TOPO_H
#define VRFD_TOPO_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/keyidx.h"

struct diag_list;
struct ynode;

#define TOPO_NAME_MAX		32	/* lab, router, vrf, switch names */
#define TOPO_NSNAME_MAX		(3 * TOPO_NAME_MAX + 3)
#define TOPO_MAX_NEXTHOPS	16	/* = KS_MAX_NEXTHOPS */
#define TOPO_SWITCH_BRIDGE	"br0"	/* the bridge inside a switch namespace */
#define TOPO_VXLAN_PORT		4789	/* IANA's; every host uses it */
#define TOPO_VNI_MAX		16777215u	/* 24 bits; 0 is none */
#define TOPO_UNDERLAY_MTU	1500	/* an underlay without `mtu:` */
#define TOPO_LINK_MTU		1500	/* a link without `mtu:` */

struct topo_ip {
	int		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 addr[16];
};

struct topo_prefix {
	int		 family;
	uint8_t		 addr[16];
	uint8_t		 plen;
};

/* Where an address comes from (topo_pool.c fills in the last two). */
enum topo_addr_origin {
	TOPO_ADDR_DECLARED,	/* written in the file */
	TOPO_ADDR_POOL,		/* from a pool of `addressing`; node: its key */
	TOPO_ADDR_SUBNET,	/* from a subnet declared on its segment;
				   node: the declared address */
};

struct topo_addr {
	struct topo_prefix	 pfx;	/* address and its prefix length */
	const struct ynode	*node;
	enum topo_addr_origin	 origin;
};

/*
 * Impairments of what leaves an interface (`impair:`, topo_impair.c and
 * topo_yaml_impair.c): a token bucket (tbf: rate, burst, limit) and netem
 * (delay, jitter, loss, duplicate, corrupt, reorder). SET has the bit
 * 1 << TOPO_IMP_x of each key declared; AT is where its value is.
 */
enum topo_imp_key {
	TOPO_IMP_RATE,		/* bit/s */
	TOPO_IMP_BURST,		/* bytes */
	TOPO_IMP_LIMIT,		/* bytes */
	TOPO_IMP_DELAY,		/* ns */
	TOPO_IMP_JITTER,	/* ns */
	TOPO_IMP_LOSS,		/* probability, of UINT32_MAX (netem's) */
	TOPO_IMP_DUPLICATE,
	TOPO_IMP_CORRUPT,
	TOPO_IMP_REORDER,
	TOPO_IMP_N
};
#define TOPO_IMP_TBF	((1u << TOPO_IMP_RATE) | (1u << TOPO_IMP_BURST) | \
			 (1u << TOPO_IMP_LIMIT))
#define TOPO_IMP_NETEM	(((1u << TOPO_IMP_N) - 1) & ~TOPO_IMP_TBF)

struct topo_impair {
	unsigned		 set;
	uint64_t		 v[TOPO_IMP_N];
	const struct ynode	*at[TOPO_IMP_N];
};

/* `state:` of a link or an interface: its administrative state. */
enum topo_state {
	TOPO_STATE_UNSET,	/* not written: up, or its link's */
	TOPO_STATE_UP,
	TOPO_STATE_DOWN,
};

struct topo_iface {
	char			 name[IFNAMSIZ];
	struct topo_addr	*addrs;
	size_t			 n_addrs;
	unsigned		 mtu;		/* 0: not declared */
	bool			 has_mac;
	uint8_t			 mac[6];
	enum topo_state		 state;		/* its own `state:` */
	/* Set at run time (vrfctl link set, engine/override.c), not by
	 * the file: UNSET when the file's state holds. */
	enum topo_state		 override;
	struct topo_impair	 impair;	/* its own `impair:` */
	const struct ynode	*node;		/* NULL: only named by a link */
};

enum topo_route_type {
	TOPO_RT_UNICAST,
	TOPO_RT_BLACKHOLE,
	TOPO_RT_UNREACHABLE,
	TOPO_RT_PROHIBIT,
};

struct topo_nexthop {
	bool			 has_via;
	struct topo_ip		 via;
	char			 dev[IFNAMSIZ];	/* "" : not given */
	unsigned		 weight;	/* 1..256, default 1 */
	const struct ynode	*node;
};

struct topo_route {
	struct topo_prefix	 to;		/* "default" = 0.0.0.0/0 or ::/0 */
	enum topo_route_type	 type;
	uint32_t		 metric;	/* 0: kernel default */
	struct topo_nexthop	*nexthops;	/* `via`/`dev` give one nexthop */
	size_t			 n_nexthops;
	const struct ynode	*node;
};

struct topo_neigh {
	struct topo_ip		 ip;
	uint8_t			 lladdr[6];
	char			 dev[IFNAMSIZ];
	const struct ynode	*node;
};

struct topo_sysctl {
	char			*key;		/* "net.ipv4.ip_forward" */
	char			*value;		/* as written: "1" */
	const struct ynode	*node;		/* where the winning value is */
};

/*
 * Software a node runs (topo_yaml_svc.c). A service is a command, kept
 * running in the node's namespace; `frr:` and `bird:` are the routing
 * suites, whose daemons vrfd derives and runs (engine/services.c). Config
 * files are named as written, relative to the topology file; they are
 * read and checked when the lab is applied, not by the loader.
 */
enum topo_restart {
	TOPO_RESTART_ALWAYS,		/* the default */
	TOPO_RESTART_ON_FAILURE,	/* unless it exited with status 0 */
	TOPO_RESTART_NEVER,
};

/* Strings here point into the YAML tree the topology keeps. */
struct topo_env {
	const char		*key;
	const char		*value;
};

struct topo_service {
	char			 name[TOPO_NAME_MAX + 1];
	const char		*command;	/* for /bin/sh -c */
	enum topo_restart	 restart;
	struct topo_env		*env;
	size_t			 n_env;
	const struct ynode	*node;
};

#define TOPO_FRR_DAEMONS_MAX	16

/* A routing suite's configuration: a file, or the text itself. */
struct topo_suite {
	bool			 set;
	const char		*file;		/* as written; NULL: inline */
	const char		*text;		/* inline; NULL: a file */
	char			 daemons[TOPO_FRR_DAEMONS_MAX][16];
	size_t			 n_daemons;	/* 0: derived from the config */
	const struct ynode	*node;
};

enum topo_ns_kind {
	TOPO_NS_ROUTER,		/* a router without vrfs */
	TOPO_NS_VRF,		/* one VRF of a router */
	TOPO_NS_SWITCH,		/* a switched LAN: a bridge */
};

struct topo_ns {
	enum topo_ns_kind	 kind;
	char			 name[TOPO_NSNAME_MAX];	/* "demo-pe1-red" */
	char			 node_name[2 * TOPO_NAME_MAX + 2]; /* "pe1/red" */
	char			 router[TOPO_NAME_MAX + 1];	/* or switch */
	char			 vrf[TOPO_NAME_MAX + 1];	/* "" if none */
	struct topo_iface	*ifaces;	/* declared, then link-only ones */
	size_t			 n_ifaces;
	struct nameidx		 iface_names;	/* ifaces by name: a hub has
						   thousands, each link end
						   looks one up */
	struct topo_route	*routes;
	size_t			 n_routes;
	/* Its routes' nexthops, all in this one block, in route order
	 * (not a block per route: a large topology has tens of thousands). */
	struct topo_nexthop	*nexthops;
	size_t			 n_nexthops;
	struct topo_neigh	*neighs;
	size_t			 n_neighs;
	struct topo_sysctl	*sysctls;	/* merged: defaults < router < vrf */
	size_t			 n_sysctls;
	/* Once built, its interfaces' addresses are in this one block
	 * (NULL: each in its own). */
	void			*packed;
	const char		**execs;	/* one-shot shell commands */
	size_t			 n_execs;
	struct topo_service	*services;
	size_t			 n_services;
	struct topo_suite	 frr;
	struct topo_suite	 bird;
	size_t			*link_ends;	/* its ends of topo.links in
						   file order: 2 * link + end */
	size_t			 n_link_ends;
	size_t			 host;		/* in topo.hosts; 0 when the lab
						   declares none */
	/* On another host than the one a run speaks for (topo_localize):
	 * declared, but neither made nor looked at here. */
	bool			 remote;
	const struct ynode	*node;		/* the router, vrf or switch map */
};

struct topo_endpoint {
	char			 node[2 * TOPO_NAME_MAX + 2];	/* "pe1/red" */
	char			 ifname[IFNAMSIZ];
	struct topo_ns		*ns;		/* resolved; NULL if unknown */
	size_t			 iface_at;	/* its interface there, plus
						   one; 0: unknown */
	const struct ynode	*yn;		/* the endpoint scalar */
	/* What leaves it: the link's, its end's in the link's `impair:`,
	 * then its interface's, laid over each other key by key. */
	struct topo_impair	 impair;
};

struct topo_link {
	struct topo_endpoint	 ep[2];
	unsigned		 mtu;		/* 0: not declared */
	enum topo_state		 state;		/* both ends' */
	/* A link between two hosts (topo_link_cross) is a VXLAN tunnel: its
	 * id, written (`vni:`) or derived from the lab and the endpoints
	 * (topo_host.c); 0 for any other link. */
	uint32_t		 vni;
	const struct ynode	*vni_node;	/* NULL: derived */
	const struct ynode	*node;
	size_t			 at;		/* node's index in `links:` */
};

/* One of the hosts a lab is spread over (`hosts:`, topo_host.c). */
struct topo_host {
	char			 name[TOPO_NAME_MAX + 1];
	struct topo_ip		 underlay;	/* where its VXLAN sockets are */
	unsigned		 mtu;		/* the underlay's; 0: not
						   declared (TOPO_UNDERLAY_MTU) */
	const struct ynode	*node;
};

/* What an expectation is probed with. */
enum topo_probe_proto {
	TOPO_PROBE_ICMP,		/* echo, v4 or v6: the default */
	TOPO_PROBE_UDP,
	TOPO_PROBE_TCP,
};

#define TOPO_EXPECT_VIA_MAX	16

struct topo_expect {
	char			 from[2 * TOPO_NAME_MAX + 2];
	struct topo_ns		*from_ns;
	struct topo_ip		 to;
	bool			 reach;
	struct topo_ns		*via[TOPO_EXPECT_VIA_MAX];	/* in order */
	size_t			 n_via;
	enum topo_probe_proto	 proto;
	uint16_t		 port;		/* udp, tcp */
	const struct ynode	*node;
};

/* A router as a group of namespaces, for reports and graphs. */
struct topo_router {
	char			 name[TOPO_NAME_MAX + 1];
	bool			 has_vrfs;
	size_t			 first_ns, n_ns;	/* index into topo.ns */
	const struct ynode	*node;
};

struct topo {
	char			*file;
	char			 lab[TOPO_NAME_MAX + 1];
	struct topo_router	*routers;
	size_t			 n_routers;
	struct topo_ns		*ns;		/* routers' namespaces, then switches */
	size_t			 n_ns;
	struct topo_link	*links;
	size_t			 n_links;
	struct topo_expect	*expects;
	size_t			 n_expects;
	struct topo_host	*hosts;		/* none: one host, this one */
	size_t			 n_hosts;
	/* The host a run speaks for (topo_localize): an index of hosts, or
	 * -1 when all namespaces are this host's. */
	ssize_t			 here;
	struct ynode		*root;		/* owned: nodes above point into it */
	/* indexes of ns, sorted by name (topo_index); NULL: not made */
	size_t			*ns_by_name;
	/* Its load said nothing (no diagnostic): a load from its tree may
	 * take the bodies of the namespaces whose nodes it lends. */
	bool			 quiet;
	size_t			 n_taken;	/* bodies so taken from the
						   last load */
	int			 holds;		/* topo_hold's, beyond the
						   first */
};

/*
 * Read FILE into a model. Problems go to DIAG; the model is returned even
 * with errors (as far as it could be read) so that all of them are found in
 * one run. NULL only when the file cannot be read or is not YAML.
 */
struct topo	*topo_load(const char *file, struct diag_list *);
/* The same from a buffer (for tests and the fuzzer); NAME is the file name. */
struct topo	*topo_load_buf(const char *name, const char *buf, size_t len,
		    struct diag_list *);
/* What a load is made from besides its text: the last one's. */
struct topo_prev {
	const struct ynode	*root;		/* its tree; NULL: none */
	const struct topo	*topo;		/* its topology, if not NULL
						   and quiet: the namespaces
						   whose nodes the new tree
						   has are not read again */
	unsigned		 flags;		/* ytree_reparse's */
	bool			 parts;		/* out: parsed by the parts
						   that changed, not whole */
};
/* The same, from PREV: only the parts of BUF whose text is not the last
 * tree's are parsed (ytree_reparse; vrfd, for an apply of a kept lab's
 * file again), and the bodies (interfaces, routes, neighbours) of the
 * namespaces the new tree has from the last one are the last topology's.
 * The topology's tree keeps BUF's cut, for the next. */
struct topo	*topo_load_buf_since(const char *name, const char *buf,
		    size_t len, struct topo_prev *prev, struct diag_list *);
/* The same from ROOT, a YAML tree (ytree.h) that becomes the topology's:
 * freed with it, or here on failure. */
struct topo	*topo_load_tree(const char *name, struct ynode *root,
		    struct diag_list *);
/*
 * SRC[i], for each namespace: a digest of the parts of the topology's text
 * its kernel state is made from (topo_source.c). Two topologies that give
 * a namespace the same source give it the same compiled state. 0, or -1
 * and every SRC[i] 0 where the text does not tell (its tree keeps no cut,
 * pools, hosts).
 */
int		 topo_ns_sources(const struct topo *, uint64_t *src);
/* Semantic checks; adds errors and warnings to DIAG. */
void		 topo_check(struct topo *, struct diag_list *);
/* The same, but the rules about one namespace alone are not run where
 * SKIP[i] (NULL: nowhere): they said nothing of a namespace of the same
 * source before (topo_ns_sources). CLEAN[i] (NULL: not wanted): whether
 * they say nothing of namespace I (true where skipped). */
void		 topo_check_since(struct topo *, struct diag_list *,
		    const bool *skip, bool *clean);
void		 topo_free(struct topo *);
/* T once more, for another thread to read: topo_free frees it at the
 * last. Only what a load made is read so (not vrfctl link set's). */
struct topo	*topo_hold(struct topo *t);

/* The namespace of node NODE of LAB: "demo-pe1-red" for "pe1/red". */
void		 topo_ns_name(char *, size_t, const char *lab, const char *node);
/* Lookups: by namespace node name ("pe1/red", "ce1", "lan1"). */
struct topo_ns	*topo_ns_by_node(const struct topo *, const char *node);
/* The index of the element named NAME among N at BASE, SIZE bytes each,
 * whose name is the string at byte OFF of each: found through ORDER,
 * their indexes sorted by name, or by a walk where ORDER is NULL; -1 if
 * none. (Namespaces, a pass's, the daemon's, are looked up so.) */
ssize_t		 topo_name_find(const void *base, size_t size, size_t off,
		    const size_t *order, size_t n, const char *name);
/* The same, looked for at AT first: a walk in the elements' own order
 * (names unique) finds each there without a search. */
ssize_t		 topo_name_find_at(const void *base, size_t size, size_t off,
		    const size_t *order, size_t n, const char *name, size_t at);
/* By name: a search of the index once topo_index made it (a pass of a
 * few namespaces of a lab of thousands looks up each), else a walk. */
struct topo_ns	*topo_ns_by_name(const struct topo *, const char *nsname);
struct topo_ns	*topo_ns_by_name_at(const struct topo *, const char *nsname,
		    size_t at);
/* Make the index of T's namespaces by name: once they are all there.
 * 0, -ENOMEM (then lookups walk). */
int		 topo_index(struct topo *);
struct topo_iface *topo_ns_iface(const struct topo_ns *, const char *ifname);
/* A link end's interface (NULL: its namespace is unknown, or has none
 * of that name): where the loader put it, without a lookup. */
struct topo_iface *topo_ep_iface(const struct topo_endpoint *);
const char	*topo_sysctl_get(const struct topo_ns *, const char *key);
/* The link end that interface IFNAME of NS is (2 * link + end), or -1. */
ssize_t		 topo_ns_link_end(const struct topo *, const struct topo_ns *,
		    const char *ifname);
/* Is end END (2 * link + end) down: as the file declares it (its
 * interface's own `state` where written, else its link's), or, with
 * RUNTIME, as vrfctl link set left it (an override wins). */
bool		 topo_end_down(const struct topo *, size_t end, bool runtime);
size_t		 topo_count_routes(const struct topo *);

/* Text forms: "10.1.0.0/24", "2001:db8::1". BUF holds INET6_ADDRSTRLEN+5. */
const char	*topo_prefix_str(const struct topo_prefix *, char *buf, size_t);
const char	*topo_ip_str(const struct topo_ip *, char *buf, size_t);
/* Strict parsers: 0 or -EINVAL. A prefix without "/len" is a host. */
int		 topo_parse_ip(const char *, struct topo_ip *);
int		 topo_parse_prefix(const char *, struct topo_prefix *);
int		 topo_parse_mac(const char *, uint8_t mac[6]);
bool		 topo_prefix_has_host_bits(const struct topo_prefix *);
bool		 topo_prefix_contains(const struct topo_prefix *,
		    const struct topo_ip *);
bool		 topo_valid_name(const char *);		/* lab/router/... */
/* The lab TEXT names, into BUF: a guess made without parsing, from the
 * first line that is `lab: NAME` (NAME plain) at the top level. False
 * when there is none. */
bool		 topo_text_lab(const char *text, size_t len, char *buf,
		    size_t size);
bool		 topo_valid_ifname(const char *);

/*
 * Hosts (topo_host.c). A link is between hosts when its two ends are on
 * different ones; the inner MTU it can carry is the smaller underlay MTU
 * less VXLAN's headers (50 bytes over IPv4, 70 over IPv6).
 */
bool		 topo_link_cross(const struct topo *, const struct topo_link *);
const struct topo_host *topo_ns_host(const struct topo *,
		    const struct topo_ns *);	/* NULL: no hosts */
ssize_t		 topo_host_index(const struct topo *, const char *name);
unsigned	 topo_link_mtu_max(const struct topo *, const struct topo_link *);
/* The MTU end E of L has: its interface's, else the link's, else 1500. */
unsigned	 topo_end_mtu(const struct topo_link *, int e);
/* Speak for host HOST (an index of topo.hosts): the namespaces of the
 * others are marked remote. */
void		 topo_localize(struct topo *, size_t host);
/* The VNI a link between ENDPOINT strings A and B ("r1:eth0") of LAB
 * gets when none is written, before collisions move it (SALT 0). */
uint32_t	 topo_vni_derive(const char *lab, const char *a, const char *b,
		    unsigned salt);

/* Impairments (topo_impair.c). The key's name ("rate"), or NULL. */
const char	*topo_impair_key(enum topo_imp_key);
/* Parse TEXT as the value of KEY, in its unit (see enum topo_imp_key):
 * 0, -EINVAL (not a value of that kind), -ERANGE (out of range). */
int		 topo_impair_parse(enum topo_imp_key, const char *text,
		    uint64_t *);
/* Lay OVER's keys on BASE's. */
void		 topo_impair_merge(struct topo_impair *base,
		    const struct topo_impair *over);

#endif
