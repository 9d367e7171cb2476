/*
 * topo_priv: what the topo*.c files share and nobody else uses.
 *
 * The loader is split by object kind: topo_yaml.c (the file, routers,
 * switches, sysctls, expectations and the schema helpers),
 * topo_yaml_ns.c (interfaces, routes, neighbours), topo_yaml_link.c
 * (links and their endpoints), topo_pool.c (the `addressing` pools,
 * which add addresses to the model). topo.c holds the suggestion helper
 * that topo_check.c uses too, and topo_each, which both use to go over a
 * big topology's namespaces on two threads. The checker is split the same way:
 * topo_check.c (names, duplicates, `dev`, gateways, links) and
 * topo_check_net.c (subnets, nexthops, addresses on a link or LAN).
 */
#ifndef VRFD_TOPO_PRIV_H
#define VRFD_TOPO_PRIV_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "topo.h"
#include "ytree.h"

struct topo;
struct topo_ip;
struct topo_ns;

/* "Did you mean ...?": offer candidates, keep the closest one. */
struct topo_suggest {
	const char	*word;
	const char	*best;
	size_t		 dist;
};

void		 topo_suggest_init(struct topo_suggest *, const char *word);
void		 topo_suggest_offer(struct topo_suggest *, const char *cand);
/* "; did you mean 'x'?", or "" when nothing is close enough. */
const char	*topo_suggest_str(const struct topo_suggest *, char *, size_t);

/*
 * ONE(ARG, I, DL) for each I below N, each with a diagnostic list of its
 * own, taken into DL in the order of I: the loader's namespaces and the
 * checker's, a big topology's on two threads (where there are two
 * cores). ONE must change only what is I's; the rest it only reads.
 * Without memory for the lists, all on this thread into DL.
 */
void		 topo_each(size_t n, void (*one)(void *arg, size_t i,
		    struct diag_list *), void *arg, struct diag_list *dl);

/* A node as a message names it: "a map", "a list", "nothing", "'text'". */
const char	*topo_node_desc(const struct ynode *, char *, size_t);
const char	*topo_family_str(int family);		/* "IPv4", "IPv6" */

struct topo_yaml_body;

/* The loader's state. */
struct topo_yaml {
	struct topo		*t;
	struct diag_list	*dl;
	const struct ynode	*defaults_sysctl;
	size_t			 default_host;	/* defaults' `host:`, else
						   the first of `hosts:` */
	bool			 nomem;		/* give up, return NULL */
	size_t			 nh_room;	/* of the nexthops of the
						   namespace being read */
	struct topo_yaml_body	*bodies;	/* to read once all
						   namespaces are made */
	size_t			 n_bodies;
	const struct topo	*prev;		/* to take bodies from (quiet);
						   NULL */
};

void	 topo_yaml_err(struct topo_yaml *, const struct ynode *,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
/* The same with the path of IN: a key's error names the map it is in. */
void	 topo_yaml_err_in(struct topo_yaml *, const struct ynode *,
	    const struct ynode *in, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* V of N elements with room for one more, that one zeroed; NULL: nomem
 * set. An array it grows must have been grown only by it (or be NULL). */
void	*topo_yaml_grow(struct topo_yaml *, void *v, size_t n, size_t size);
/* A new interface NAME of NS (which has none of that name), zeroed but
 * its name; NULL: nomem set. */
struct topo_iface *topo_yaml_iface_add(struct topo_yaml *, struct topo_ns *,
	    const char *name);
bool	 topo_yaml_want(struct topo_yaml *, const struct ynode *,
	    enum ynode_type, bool null_ok);
void	 topo_yaml_keys(struct topo_yaml *, const struct ynode *map,
	    const char *const *known);
/* The same, and the value of each KNOWN[i] into VALS[i] (zeroed by the
 * caller): one pass over the map for all of its keys. */
void	 topo_yaml_fields(struct topo_yaml *, const struct ynode *map,
	    const char *const *known, const struct ynode **vals);
void	 topo_yaml_missing(struct topo_yaml *, const struct ynode *map,
	    const char *key);
bool	 topo_yaml_uint(struct topo_yaml *, const struct ynode *,
	    unsigned long long min, unsigned long long max,
	    unsigned long long *);
bool	 topo_yaml_ip(struct topo_yaml *, const struct ynode *,
	    struct topo_ip *);
bool	 topo_yaml_mac(struct topo_yaml *, const struct ynode *, uint8_t[6]);
/* `state:`: 'up' or 'down'. */
bool	 topo_yaml_state(struct topo_yaml *, const struct ynode *,
	    enum topo_state *);
/* A lab, router, VRF, switch or host name at key N of map IN. */
bool	 topo_yaml_name(struct topo_yaml *, const struct ynode *n,
	    const struct ynode *in, const char *what,
	    char out[TOPO_NAME_MAX + 1]);
/* An interface name NAME written at node N; IN: NULL for N's path. */
bool	 topo_yaml_ifname(struct topo_yaml *, const struct ynode *n,
	    const struct ynode *in, const char *name, char out[IFNAMSIZ]);

/* The interfaces, routes and neighbours NS declares at MAP, read later,
 * with every namespace's, by topo_yaml_ns_bodies: once all namespaces
 * are made, before the links, which name their interfaces. A big
 * topology's are read on two threads; the diagnostics are kept in the
 * order the namespaces were made. */
void	 topo_yaml_ns_body_later(struct topo_yaml *, struct topo_ns *,
	    const struct ynode *map);
void	 topo_yaml_ns_bodies(struct topo_yaml *);
void	 topo_yaml_link_all(struct topo_yaml *, const struct ynode *seq);
/* `impair:` (topo_yaml_impair.c): an interface's MAP into IMP; a link's
 * MAP (may be NULL) with its interfaces' into each end of L. */
struct topo_impair;
struct topo_link;
void	 topo_yaml_impair(struct topo_yaml *, const struct ynode *map,
	    struct topo_impair *);
void	 topo_yaml_impair_link(struct topo_yaml *, const struct ynode *map,
	    struct topo_link *);
/* `addressing`: fill in the addresses the file leaves out, once every
 * namespace and link is read (topo_pool.c). */
void	 topo_pool_fill(struct topo_yaml *, const struct ynode *map);
/* `hosts:` (topo_host.c), read before the routers; `host:` at N: the
 * host's index into *HOST, or false after an error. Once the links are
 * read, topo_host_vnis gives each link between hosts its VNI. */
void	 topo_yaml_hosts(struct topo_yaml *, const struct ynode *map);
bool	 topo_yaml_host_ref(struct topo_yaml *, const struct ynode *n,
	    size_t *host);
void	 topo_host_vnis(struct topo_yaml *);
/* `exec`, `services`, `frr`, `bird` of a router or VRF (topo_yaml_svc.c) */
void	 topo_yaml_ns_software(struct topo_yaml *, struct topo_ns *,
	    const struct ynode *map);

/* The checker's state. */
struct topo_check {
	struct topo		*t;
	struct diag_list	*dl;
};

void	 topo_check_diag(struct topo_check *, enum diag_level,
	    const struct ynode *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* Report each of N objects whose KEY an earlier one has (see
 * topo_check.c): by sorting, for sets a lab has thousands of. */
void	 topo_check_dups(struct topo_check *, size_t n,
	    int (*key)(size_t, size_t, const void *), const void *arg,
	    void (*report)(struct topo_check *, const void *, size_t, size_t));
bool	 topo_check_link_local(const struct topo_ip *);	/* fe80::/10 */
void	 topo_check_net(struct topo_check *);
/* The links between hosts: underlays, MTUs, VNIs (topo_host.c). */
void	 topo_check_hosts(struct topo_check *);

#endif
