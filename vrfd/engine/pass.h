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
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"
#include "report.h"
#include "kernel/kstate.h"
#include "kernel/own.h"
#include "util/keyidx.h"

struct topo;
struct topo_ns;
struct nl_sock;
struct pass_memory;

/* Threads that read a pass's namespaces, at most (pass_observe). */
#define PASS_READERS	2

/*
 * The kinds of change, in no particular order: plan.c's stages order
 * them (plan_stage()).
 */
enum change_kind {
	CH_NS_DELETE,		/* processes ended, then the name removed */
	CH_NS_CREATE,		/* made, marked, then named */
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
	CH_QDISC_DEL,		/* vrfd's root qdisc (and its child) */
	CH_QDISC_SET,		/* tc qdisc replace: made, or changed */
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
	const struct ks_qdisc	*qdisc;		/* SET: want's; DEL: have's */
	int			 ifindex;	/* an existing link's, for DEL/SET;
						   CH_QDISC_SET: its device's
						   when it replaces vrfd's */
	int			 new_ifindex;	/* CH_LINK_CREATE: chosen indexes */
	int			 new_peer_ifindex;
	/* A conflict (found by diff): an object not vrfd's stands where
	 * this one should be; it is not made, ERR is -EEXIST and WHY says
	 * what is in the way. */
	bool			 conflict;
	char			 why[200];
	/* Made again only because a link this pass sets down takes it
	 * (an IPv6 address, a neighbour): no difference of its own. */
	bool			 again;
	/* The kinds of object (own.h) its namespace's mark gains first:
	 * this is the first change, in order, to add one of a kind the
	 * namespace does not hold (plan_sort). */
	unsigned		 raises;
	/* the result, once applied */
	int			 err;
	char			*extack;
};

/* What a pass found under a namespace's name. */
enum pass_found {
	PASS_FOUND_NONE,	/* nothing */
	PASS_FOUND_OURS,	/* the lab's namespace of this node */
	PASS_FOUND_STALE,	/* a file holding the lab's mark, no namespace
				   on it: a create cut short */
	PASS_FOUND_CONFLICT,	/* someone else's: a namespace without this
				   mark, or another file */
	PASS_FOUND_UNREADABLE,	/* could not be entered or read */
};

struct pass_ns {
	char			 name[KS_NSNAME_MAX];
	char			 node[REPORT_NODE_MAX]; /* "pe1/red"; "" if
						   unknown */
	const struct topo_ns	*tns;		/* NULL: owned, no longer declared */
	bool			 in_scope;
	bool			 peer_only;	/* in scope only as the far end of
						   a dirty namespace's link */
	bool			 observed;	/* have was read this pass */
	enum pass_found		 found;		/* before the pass */
	int			 read_err;	/* UNREADABLE: why (-errno) */
	char			 mark[KS_ALIAS_MAX]; /* CONFLICT: the mark
						   found, "" if none */
	bool			 is_file;	/* CONFLICT: a file, not a
						   namespace */
	bool			 created;	/* made by this pass */
	bool			 recalled;	/* have came from the daemon's
						   memory, not dumps */
	/* The daemon's memory says it holds want, nothing heard since:
	 * left out of the pass (not read, not diffed), reported unchanged */
	bool			 settled;
	bool			 compiled;	/* want is (settled: maybe not) */
	uint64_t		 digest;	/* of want (kernel/kdigest.h); 0:
						   not computed */
	uint64_t		 settle;	/* found as declared: digest */
	uint64_t		 was_settled;	/* at the start: the digest */
	uint64_t		 ino;		/* which namespace have is of */
	int			 nsid;		/* its id in ours, from the
						   daemon's memory (of INO); -1:
						   not known */
	uint64_t		 ticket;	/* the memory's, when have was
						   read or recalled */
	struct ks_ns		 want;
	struct ks_ns		 have;
	int			 nsfd;		/* -1 until opened */
	struct nl_sock		*sock;		/* opened on demand */
	int			 next_ifindex;	/* for links this pass creates */
	struct report_object	*foreign;
	size_t			 n_foreign;
	/* changes planned in it (diff), and how many failed (apply) */
	size_t			 n_changes, n_failed;
	/* processes ended before it was removed (apply); HELD: something
	 * still held it, and its links were deleted one by one */
	struct report_proc	*procs;
	size_t			 n_procs;
	bool			 held;
};

/* Is PN a namespace of the lab, as found (not a conflict, readable)? */
#define PASS_NS_OURS(pn)	((pn)->found == PASS_FOUND_OURS)
/* Is PN in the lab's way: a conflict or unreadable, left alone? */
#define PASS_NS_BLOCKED(pn)	((pn)->found == PASS_FOUND_CONFLICT || \
				 (pn)->found == PASS_FOUND_UNREADABLE)

struct pass {
	const struct topo	*topo;
	char			 lab[OWN_NAME_MAX];
	enum report_action	 action;
	struct pass_ns		*ns;
	size_t			 n_ns, cap_ns;
	struct change		*changes;
	size_t			 n_changes;
	size_t			 n_open;	/* namespaces with open handles */
	struct nameidx		 names;		/* ns by name */
	bool			 inventory;	/* status: also list the foreign
						   objects of undeclared ns */
	/* read in each namespace only the kinds of object it declares or
	 * its mark holds (observe_ns): a pass that keeps nothing it reads
	 * and lists no foreign object (vrfctl's apply without vrfd) */
	bool			 lean_read;
	const struct pass_memory *memory;	/* the daemon's; NULL */
	/* destroy with a memory: one per reader, in the caller's
	 * namespace, to reach the others by id */
	struct nl_sock		*home[PASS_READERS];
	/* a narrowed pass: the links of its namespaces may have changed;
	 * else they are left out of it, and so their far ends */
	bool			 scope_links;
	/* per topo->ns, the digests of their wants, of a pass before of
	 * the same topology (0: unknown); kept up to date; NULL: none */
	uint64_t		*digests;
	/* per topo->ns, compiled before the pass (engine_opts) */
	struct ks_ns		*wants;
	double			 grace;		/* s a process has to end */
	/* progress, for long applies */
	void			(*progress)(void *arg,
				    const struct engine_progress *);
	void			*progress_arg;
	struct engine_progress	 prog;
};

/* compile.c: fill pass.ns[].want from the topology. */
int	compile_ns(const struct topo *, const struct topo_ns *, struct ks_ns *);
/* compile_qdisc.c: its link ends' impairments as qdiscs. */
int	compile_qdisc_ns(const struct topo *, const struct topo_ns *,
	    struct ks_ns *);
/* diff.c: the changes that make have into want, for namespaces in scope;
 * foreign objects are listed in pass_ns.foreign. 0 or -ENOMEM: a pass
 * without all its changes must not be applied, nor called converged. */
int	diff_pass(struct pass *);
/* plan.c: sort the changes into the order the kernel needs; render each
 * as the equivalent iproute2 command. */
int	plan_stage(enum change_kind);
/* The changes in the order they are made, and which raise their
 * namespace's mark (change.raises). 0, -ENOMEM. */
int	plan_sort(struct pass *);
/* The kind of object (own.h: OWN_HOLDS_*) change C adds; 0: none. */
unsigned plan_adds_kind(const struct change *);
char	*plan_command(const struct pass *, const struct change *);
char	*plan_object(const struct pass *, const struct change *);
/* The change as the difference it mends, from the namespace's side: "route
 * 10.2.0.0/24 metric 0 via 10.1.0.1 missing", "link eth1 down, declared
 * up"; a conflict, its words. NULL: ENOMEM. */
char	*plan_difference(const struct pass *, const struct change *);
enum report_op plan_op(const struct change *);
/* plan_qdisc.c: a CH_QDISC_* change as its tc command, its object
 * ("qdisc tbf 7672: dev eth0 root") and the difference it mends. */
void	plan_qdisc_command(FILE *, const char *ns, const struct change *);
void	plan_qdisc_object(FILE *, const struct change *);
void	plan_qdisc_difference(FILE *, const struct ks_ns *have,
	    const struct ks_ns *want, const struct change *);
/* apply.c: make the changes, batched per namespace; results in change.
 * 0, -EAGAIN when some failed, or -ENOMEM when apply itself ran out (the
 * changes not made then say so). */
int	apply_pass(struct pass *);
/* engine.c: the report of pass P (PASS_ERR: how the pass ended); NULL
 * when out of memory. */
struct report *engine_report(struct pass *, bool with_plan, int pass_err);
/* pass.c: set up, observe, tear down. P is zeroed, with its memory and
 * digests set if any. SCOPE (sorted, N_SCOPE names), unless NULL: the pass
 * covers only these namespaces and, as far ends, the namespaces at the
 * other end of their links. */
int	pass_init(struct pass *, const struct topo *, const char *lab,
	    const char *const *scope, size_t n_scope);
/* A namespace more in the pass, in scope, nothing opened (NULL: ENOMEM). */
struct pass_ns *pass_ns_new(struct pass *, const char *name);
/* Leave out the namespaces the daemon's memory says hold their want;
 * compile those that a namespace read has a link to. 0, -ENOMEM. */
int	pass_settle(struct pass *);
/* Keep the digests of the pass's wants in pass.digests. */
void	pass_digests(const struct pass *);
int	pass_observe(struct pass *);
/* Before the report takes what the pass found: the namespaces it found
 * exactly as declared (pass_ns.settle). */
void	pass_settled(struct pass *);
/* Was PN found exactly as declared: in the pass, the lab's, diffed in
 * full with nothing to change and nothing of anyone else's? (What it
 * settles under, in vrfd; what a seal keeps, in vrfctl alone.) */
bool	pass_ns_as_declared(const struct pass_ns *);
/* The digest PN would settle under, taken once the diff gave it nothing
 * to change and nothing foreign, where P keeps it (vrfd's memory, or
 * pass.digests); it is left 0 otherwise. */
void	pass_ns_settle_digest(const struct pass *, struct pass_ns *);
/* Give pass.memory what this pass read and left as it was (APPLIED: an
 * apply, whose changes make what it read stale where it made any), and
 * the namespaces it found as declared. */
void	pass_remember(struct pass *, bool applied);
int	pass_ns_open(struct pass *, struct pass_ns *);
void	pass_ns_close(struct pass *, struct pass_ns *);
/* Why a CONFLICT namespace is not the lab's, in words: "a file", "no
 * mark", or "loopback alias \"...\"". */
const char *pass_ns_not_ours(const struct pass_ns *, char *, size_t);
/* Close every namespace's handles once more than PASS_MAX_OPEN are open:
 * two descriptors each, and a process may have 20,000 here. */
#define PASS_MAX_OPEN	1024
/* A pass over at most this many namespaces (a repair's) keeps each one's
 * descriptor and socket from its read to its changes. */
#define PASS_KEEP_OPEN	16
void	pass_trim(struct pass *);
/* The first of pass.ns[0..N) named NAME, or -1. */
ssize_t	 pass_ns_lookup(const struct pass *, size_t n, const char *name);
void	pass_free(struct pass *);

#endif
