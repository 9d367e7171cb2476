/*
 * report: what the core answers, typed. A pass (plan, apply, destroy, a
 * repair) answers with a struct report; a look at the labs of this host
 * with a struct status. The daemon and vrfctl read their fields;
 * proto/report_json.c is their JSON form (the control socket's and
 * `vrfctl -j`'s), cli/output_*.c renders them.
 */
#ifndef VRFD_REPORT_H
#define VRFD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "kernel/kstate.h"

#define REPORT_NODE_MAX		80	/* "pe1/red" */
/* Differences a status lists per namespace; the others are counted. */
#define STATUS_DIFFS_MAX	50

enum report_action {
	REPORT_PLAN,
	REPORT_APPLY,
	REPORT_DESTROY,
};

enum report_op {
	REPORT_OP_CREATE,
	REPORT_OP_DELETE,
	REPORT_OP_ADD,
	REPORT_OP_REPLACE,
	REPORT_OP_SET,
};

/* What a pass found or made of a namespace. */
enum report_ns_state {
	REPORT_NS_UNCHANGED,
	REPORT_NS_CHANGED,
	REPORT_NS_CREATED,
	REPORT_NS_DELETED,	/* the lab's, no longer declared: removed */
	REPORT_NS_GONE,		/* no longer declared, and not there */
	REPORT_NS_CONFLICT,	/* its name is someone else's: left alone */
	REPORT_NS_SKIPPED,	/* could not be read: left alone */
	REPORT_NS_GHOST,	/* an older namespace of the node, no longer
				   named, that processes held: those inside
				   ended (held: some only hold it open) */
};

/* An object that is not vrfd's, in one of the lab's namespaces. */
struct report_object {
	char		 kind[16];	/* "route", "address", "neighbour", "link" */
	char		 what[160];	/* "10.42.0.0/16 proto 42 metric 0" */
};

struct report_change {
	size_t		 ns;		/* in report.ns */
	enum report_op	 op;
	char		*object;	/* "route 10.8.0.0/16 metric 0" */
	char		*command;	/* the iproute2 command that does it */
	int		 err;		/* 0, or -errno: it failed, or cannot
					   be made (conflict) */
	bool		 conflict;	/* an object not vrfd's is in the way */
	char		*error;		/* why, in words; NULL if err is 0 */
};

/* A process in a namespace a pass removed (ended), or one that held it
 * open from outside (named only: it is not in the lab). */
struct report_proc {
	pid_t		 pid;
	char		 comm[16];
	bool		 inside;	/* in it, and ended */
	bool		 killed;	/* SIGTERM was not enough */
};

struct report_ns {
	char		 name[KS_NSNAME_MAX];
	char		 node[REPORT_NODE_MAX];
	enum report_ns_state state;
	size_t		 changes;	/* planned (diff) */
	size_t		 failed;	/* of them, failed or in conflict */
	struct report_object *foreign;
	size_t		 n_foreign;
	char		*error;		/* CONFLICT, SKIPPED: why */
	struct report_proc *procs;
	size_t		 n_procs;
	bool		 held;		/* removed, but something still held
					   it: its links were deleted */
};

struct report {
	char		 lab[KS_NSNAME_MAX];
	/* For a lab spread over hosts: the one this report speaks for,
	 * and its underlay address; "" otherwise. */
	char		 host[33];
	char		 underlay[46];
	enum report_action action;
	int		 err;		/* the pass failed as a whole: -errno */
	char		*error;		/* ... and why, in words */
	size_t		 changes, failed;
	bool		 converged;
	struct report_ns *ns;		/* in scope, in the pass's order */
	size_t		 n_ns;
	/* Changes: every one when the plan was asked for, else the failed
	 * ones and the conflicts only. */
	struct report_change *list;
	size_t		 n_list;
	size_t		 recalled;	/* namespaces answered from memory:
					   read there, or settled */
};

/* An interface set down or up at run time (vrfctl link set), against its
 * file, until the file is applied again. */
struct status_override {
	char		 ifname[IFNAMSIZ];
	bool		 down;
};

/* A service of a node (services.h), as status finds it. */
struct status_svc {
	char		 name[34];	/* a service name, or an FRR daemon's */
	pid_t		 pid;		/* 0: not running */
};

/* The labs of a host, found from the marks in the kernel. */
struct status_ns {
	char		 name[KS_NSNAME_MAX];
	char		 node[REPORT_NODE_MAX];
	bool		 exists;
	bool		 declared;	/* by the lab's kept topology */
	bool		 known;		/* differences known (a topology) */
	/* What apply would mend, each difference once (the settings of a
	 * link it makes are that link's difference): the conflicts below,
	 * those listed in DIFFS, and DIFFS_MORE others. */
	size_t		 differences;
	/* The others than conflicts, in words ("route 10.2.0.0/24 metric 0
	 * via 10.1.0.1 missing", "link eth1 down, declared up"), the first
	 * STATUS_DIFFS_MAX of them. */
	char		**diffs;
	size_t		 n_diffs;
	size_t		 diffs_more;
	struct report_object *foreign;
	size_t		 n_foreign;
	bool		 conflict;	/* its name is someone else's */
	char		*error;		/* not the lab's, or unreadable */
	/* Objects not vrfd's that stand where declared ones should be, as
	 * plan and apply say it ("route ... not vrfd's; left alone"); they
	 * count among the differences. */
	char		**conflicts;
	size_t		 n_conflicts;
	/* Processes that hold an older namespace of this node, one no
	 * longer under /run/netns: a lab re-created beside a ghost. */
	pid_t		*ghost_pids;
	size_t		 n_ghost_pids;
	/* The software its node runs: each service, and its pid. */
	struct status_svc *svcs;
	size_t		 n_svcs;
	/* Its interfaces whose state vrfctl link set changed. */
	struct status_override *overrides;
	size_t		 n_overrides;
	/* What the daemon adds (has_daemon): whether it watches the
	 * namespace, its last drift, its repairs and backoff. */
	bool		 has_daemon;
	bool		 watched;
	double		 drift_time;	/* 0: none seen */
	char		 drift_what[160];
	unsigned	 repairs;
	unsigned	 backoff_ms;
};

/* One end of a link between hosts, this host's, and its last probe by
 * `vrfctl verify` (netlink cannot see a far end that is gone). */
struct status_tunnel {
	char		 node[REPORT_NODE_MAX];	/* "r3" */
	char		 ifname[IFNAMSIZ];
	uint32_t	 vni;
	char		 far_host[33];
	char		 far[REPORT_NODE_MAX];	/* "r4:eth0" */
	char		 remote[46];		/* the far host's underlay */
	double		 probe_time;		/* wall; 0: never probed */
	char		 probe_result[16];	/* "reply", "timeout"... */
	double		 probe_rtt_ms;
};

struct status_lab {
	char		 lab[KS_NSNAME_MAX];
	char		 host[33];	/* as struct report's */
	char		 underlay[46];
	struct status_tunnel *tunnels;
	size_t		 n_tunnels;
	char		*topology;	/* the kept file; NULL: none */
	bool		 converged;
	bool		 has_daemon;
	bool		 kept;		/* the daemon keeps it */
	struct status_ns *ns;
	size_t		 n_ns;
};

struct status {
	struct status_lab *labs;
	size_t		 n_labs;
};

const char	*report_action_name(enum report_action);
const char	*report_op_name(enum report_op);
const char	*report_ns_state_name(enum report_ns_state);
/* The other way; false when NAME is none of them. */
bool		 report_action_from(const char *, enum report_action *);
bool		 report_op_from(const char *, enum report_op *);
bool		 report_ns_state_from(const char *, enum report_ns_state *);

/* A wall time (as in events and status) to the nearest millisecond:
 * seconds, and 0..999 ms. */
void		 report_time_ms(double wall, time_t *sec, int *ms);

/* Growing the lists: a zeroed slot, or NULL (ENOMEM). */
struct report_ns	*report_ns_add(struct report *);
struct report_change	*report_change_add(struct report *);
struct report_object	*report_object_add(struct report_object **,
			    size_t *);
struct status_lab	*status_lab_add(struct status *);
struct status_ns	*status_ns_add(struct status_lab *);
struct status_override	*status_override_add(struct status_ns *);
struct status_tunnel	*status_tunnel_add(struct status_lab *);

/* A report of a pass that could not run: ERR and its words. NULL when
 * even that cannot be had. */
struct report	*report_failed(enum report_action, const char *lab, int err,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void		 report_free(struct report *);
void		 status_free(struct status *);

#endif
