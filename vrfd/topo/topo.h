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

struct diag_list;
struct ynode;

#define TOPO_NAME_MAX		32	/* lab, router, vrf, switch names */
#define TOPO_NSNAME_MAX		(3 * TOPO_NAME_MAX + 3)
#define TOPO_MAX_NEXTHOPS	16	/* = KS_MAX_NEXTHOPS */
#define TOPO_SWITCH_BRIDGE	"br0"	/* the bridge inside a switch namespace */

struct topo_ip {
	int		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 addr[16];
};

struct topo_prefix {
	int		 family;
	uint8_t		 addr[16];
	uint8_t		 plen;
};

struct topo_addr {
	struct topo_prefix	 pfx;	/* address and its prefix length */
	const struct ynode	*node;
};

struct topo_iface {
	char			 name[IFNAMSIZ];
	struct topo_addr	*addrs;
	size_t			 n_addrs;
	unsigned		 mtu;		/* 0: not declared */
	bool			 has_mac;
	uint8_t			 mac[6];
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
	struct topo_route	*routes;
	size_t			 n_routes;
	struct topo_neigh	*neighs;
	size_t			 n_neighs;
	struct topo_sysctl	*sysctls;	/* merged: defaults < router < vrf */
	size_t			 n_sysctls;
	size_t			*link_ends;	/* its ends of topo.links in
						   file order: 2 * link + end */
	size_t			 n_link_ends;
	const struct ynode	*node;		/* the router, vrf or switch map */
};

struct topo_endpoint {
	char			 node[2 * TOPO_NAME_MAX + 2];	/* "pe1/red" */
	char			 ifname[IFNAMSIZ];
	struct topo_ns		*ns;		/* resolved; NULL if unknown */
	const struct ynode	*yn;		/* the endpoint scalar */
};

struct topo_link {
	struct topo_endpoint	 ep[2];
	unsigned		 mtu;		/* 0: not declared */
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
	struct ynode		*root;		/* owned: nodes above point into it */
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
/* Semantic checks; adds errors and warnings to DIAG. */
void		 topo_check(struct topo *, struct diag_list *);
void		 topo_free(struct topo *);

/* The namespace of node NODE of LAB: "demo-pe1-red" for "pe1/red". */
void		 topo_ns_name(char *, size_t, const char *lab, const char *node);
/* Lookups: by namespace node name ("pe1/red", "ce1", "lan1"). */
struct topo_ns	*topo_ns_by_node(const struct topo *, const char *node);
struct topo_ns	*topo_ns_by_name(const struct topo *, const char *nsname);
struct topo_iface *topo_ns_iface(const struct topo_ns *, const char *ifname);
const char	*topo_sysctl_get(const struct topo_ns *, const char *key);
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
bool		 topo_valid_ifname(const char *);

#endif
