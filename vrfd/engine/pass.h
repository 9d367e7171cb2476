/*
 * pass: one reconcile pass over a lab, the data every stage shares.
 *
 *   compile (topology -> want) -> observe (kernel -> have) -> diff
 *   (want vs have -> changes) -> plan (order, iproute2 text) -> apply
 *
 * A pass covers the lab's namespaces: those the topology declares, and
 * those the kernel marks as the lab's but the topology no longer declares
 * (to be removed). A daemon pass may be narrowed to a scope: the dirty
 * namespaces and the far ends of their links.
 */
#ifndef VRFD_PASS_H
#define VRFD_PASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"
#include "kernel/kstate.h"

struct topo;
struct topo_ns;
struct nl_sock;
struct pass_memory;

enum change_kind {
	CH_NS_DELETE,
	CH_NS_CREATE,
	CH_SYSCTL,		/* global keys: before links exist */
	CH_NEIGH_DEL,
	CH_ROUTE_DEL,
	CH_ADDR_DEL,
	CH_LINK_DEL,
	CH_LINK_CREATE,		/* a veth pair or a bridge */
	CH_LINK_SET,
	CH_SYSCTL_IF,		/* per-interface keys: once the link exists */
	CH_ADDR_ADD,
	CH_ROUTE_ADD,
	CH_ROUTE_REPLACE,
	CH_NEIGH_ADD,		/* add or replace */
	CH_KIND_COUNT
};

struct change {
	enum change_kind	 kind;
	size_t			 ns;		/* index in pass.ns */
	size_t			 peer_ns;	/* CH_LINK_CREATE of a veth */
	unsigned		 what;		/* CH_LINK_SET: NL_LINK_SET_* */
	/* The object, pointing into the want or have state of pass.ns[ns]
	 * (and peer: the other end of a veth pair). */
	const struct ks_link	*link, *peer;
	const struct ks_addr	*addr;
	const struct ks_route	*route;
	const struct ks_neigh	*neigh;
	const struct ks_sysctl	*sysctl;
	int			 ifindex;	/* an existing link's, for DEL/SET */
	int			 new_ifindex;	/* CH_LINK_CREATE: chosen indexes */
	int			 new_peer_ifindex;
	/* the result, once applied */
	int			 err;
	char			*extack;
};

enum obj_owner {
	OWNER_VRFD,		/* ours: carries our mark */
	OWNER_KERNEL,		/* the kernel's own: lo, link-local, connected */
	OWNER_FOREIGN,		/* someone else's: never changed */
};

struct foreign {
	const char		*kind;		/* "route", "address", ... */
	char			 what[160];
};

struct pass_ns {
	char			 name[KS_NSNAME_MAX];
	char			 node[80];	/* "pe1/red"; "" if unknown */
	const struct topo_ns	*tns;		/* NULL: owned, no longer declared */
	bool			 in_scope;
	bool			 peer_only;	/* in scope only as the far end of
						   a dirty namespace's link */
	bool			 observed;	/* have was read this pass */
	bool			 exists;	/* before the pass */
	bool			 stale;		/* a file, not a namespace: what
						   an interrupted create leaves */
	bool			 not_ours;	/* exists without our mark */
	bool			 created;	/* made by this pass */
	bool			 recalled;	/* have came from the daemon's
						   memory, not dumps */
	uint64_t		 ino;		/* which namespace have is of */
	uint64_t		 ticket;	/* the memory's, when have was
						   read or recalled */
	struct ks_ns		 want;
	struct ks_ns		 have;
	int			 nsfd;		/* -1 until opened */
	struct nl_sock		*sock;		/* opened on demand */
	int			 next_ifindex;	/* for links this pass creates */
	struct foreign		*foreign;
	size_t			 n_foreign;
	char			*error;		/* why the namespace was skipped */
	/* changes planned in it (diff), and how many failed (apply) */
	size_t			 n_changes, n_failed;
};

struct pass {
	const struct topo	*topo;
	char			 lab[40];
	struct pass_ns		*ns;
	size_t			 n_ns;
	struct change		*changes;
	size_t			 n_changes;
	size_t			 n_open;	/* namespaces with open handles */
	size_t			*by_name;	/* while diff_pass runs: indexes
						   of ns sorted by name */
	bool			 inventory;	/* status: also list the foreign
						   objects of undeclared ns */
	const struct pass_memory *memory;	/* the daemon's; NULL */
	/* progress, for long applies */
	void			(*progress)(void *arg,
				    const struct engine_progress *);
	void			*progress_arg;
	struct engine_progress	 prog;
};

/* compile.c: fill pass.ns[].want from the topology. */
int	compile_ns(const struct topo *, const struct topo_ns *, struct ks_ns *);
void	compile_lo_alias(const char *lab, const char *node, char *, size_t);
void	compile_link_alias(const char *lab, char *, size_t);
/* diff.c: the changes that make have into want, for namespaces in scope;
 * foreign objects are listed in pass_ns.foreign. */
int	diff_pass(struct pass *);
enum obj_owner	diff_route_owner(const struct ks_route *);
enum obj_owner	diff_addr_owner(const struct ks_addr *);
bool		diff_link_ours(const struct ks_link *, const char *lab);
/* plan.c: sort the changes into the order the kernel needs; render each
 * as the equivalent iproute2 command. */
int	plan_stage(enum change_kind);
void	plan_sort(struct pass *);
char	*plan_command(const struct pass *, const struct change *);
char	*plan_object(const struct pass *, const struct change *);
const char *plan_op(const struct change *);
/* apply.c: make the changes, batched per namespace; results in change. */
int	apply_pass(struct pass *);
/* pass.c: set up, observe, tear down. */
int	pass_init(struct pass *, const struct topo *, const char *lab);
/* A namespace more in the pass, in scope, nothing opened (NULL: ENOMEM). */
struct pass_ns *pass_ns_new(struct pass *, const char *name);
int	pass_observe(struct pass *);
/* Give pass.memory what this pass read and left as it was (APPLIED: an
 * apply, whose changes make what it read stale where it made any). */
void	pass_remember(struct pass *, bool applied);
int	pass_ns_open(struct pass *, struct pass_ns *);
/* Close every namespace's handles once more than PASS_MAX_OPEN are open:
 * two descriptors each, and a process may have 20,000 here. */
#define PASS_MAX_OPEN	1024
void	pass_trim(struct pass *);
/* Indexes of pass.ns sorted by name, ties in array order; NULL: ENOMEM.
 * Lookup: the first of pass.ns[0..N) named NAME, or -1; a NULL ORDER
 * makes it a search. */
size_t	*pass_ns_order(const struct pass *);
ssize_t	 pass_ns_lookup(const struct pass *, const size_t *order, size_t n,
	    const char *name);
void	pass_scope(struct pass *, bool (*want)(const char *ns, void *),
	    void *arg);
bool	pass_alias_lab(const char *alias, const char *lab, char *node,
	    size_t len);
void	pass_free(struct pass *);

#endif
