/*
 * engine: the operations the core offers, each one reconcile pass or a
 * look at the kernel, each answering with a typed report (report.h) that
 * the daemon and vrfctl read and render. lab.h wraps the passes that
 * change what a host keeps (apply, destroy).
 */
#ifndef VRFD_ENGINE_H
#define VRFD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

struct ks_ns;
struct pass_memory;
struct topo;
struct topo_ns;

/* How far an apply is: namespaces, links, and other objects. */
struct engine_progress {
	size_t	 done[3], total[3];	/* ENGINE_PROG_NS, _LINKS, _OBJECTS */
};
#define ENGINE_PROG_NS		0
#define ENGINE_PROG_LINKS	1
#define ENGINE_PROG_OBJECTS	2

/* Seconds a process in a namespace that goes has to end, after SIGTERM. */
#define ENGINE_GRACE		2.0

struct svc;

struct engine_opts {
	/* progress of an apply, called now and then while it runs */
	void	(*progress)(void *arg, const struct engine_progress *);
	void	 *progress_arg;
	/* narrow the pass to these namespaces (sorted by strcmp) and their
	 * link peers (the daemon's drift repair); NULL: the whole lab */
	const char *const *scope;
	size_t	  n_scope;
	/* ... and their links may have changed: their far ends are in the
	 * pass too (else links are left as they are) */
	bool	  scope_links;
	bool	  with_plan;	/* list every change in the report */
	/* the daemon's memory of its namespaces (memory.h): read from it
	 * where it holds, and give it what the pass read; NULL: none */
	const struct pass_memory *memory;
	/* with the memory: per namespace of the topology, the digest of
	 * what it declares there, as the last pass of this same topology
	 * found (0: unknown), kept up to date by the pass; NULL: none */
	uint64_t *digests;
	/* per namespace of the topology, what compiling it gave before the
	 * pass (a name of "" where nothing was kept): the pass takes those
	 * it needs (left with a name of "") instead of compiling them
	 * again; NULL: none */
	struct ks_ns *wants;
	double	  grace;	/* 0: ENGINE_GRACE */
	/* apply: the topology file's directory, where the config files it
	 * names are (NULL: the current one); each service started is told
	 * to STARTED (may be NULL) */
	const char *base;
	void	(*started)(void *arg, const struct svc *, int pid);
	void	 *started_arg;
	/* apply: keep the topology's tree beside its text (lab_tree.h), for
	 * the next vrfctl to load the lab without parsing it whole */
	bool	  keep_tree;
	/* apply without a memory: read only the kinds of object each
	 * namespace declares or holds (pass.h: lean_read) */
	bool	  lean_read;
	/* apply: the text, written and flushed already while it was parsed
	 * (state_stage_text): kept by renaming that file; NULL: written now */
	const char *staged;
	/* ... and the text it replaces held open at *HELD (-1: none), for
	 * the caller to close once it has answered: freeing a big file's
	 * pages is then not part of the pass */
	int	 *held;
	/* apply: the digest of the text applied (state_text_digest), to
	 * seal the lab under if the pass finds it exactly as declared
	 * (seal.h); NULL: the lab is not sealed (and a seal stays) */
	const char *seal;
};

/*
 * One pass over a lab: TOPO's (plan, apply), or LAB's as the kernel marks
 * it (destroy; TOPO, if given, adds the names it declares). The report,
 * or NULL with errno when there is not even memory for one.
 */
struct report	*engine_run(enum report_action, const struct topo *,
		    const char *lab, const struct engine_opts *);
/* Say in R which of TOPO's hosts (a localized one) it speaks for. */
void		 engine_report_host(struct report *, const struct topo *);
/* The labs found on this host from the kernel's marks (one lab, or all),
 * each compared with its kept topology. NULL with errno: out of memory. */
struct status	*engine_status(const char *lab);
/* Labs found on this host: the names, sorted. */
int		 engine_find_labs(char ***labs, size_t *n);
/* What namespace TNS of TOPO should hold, as a pass wants it. 0 or
 * -ENOMEM (WANT then holds part of it: ks_ns_clear it). */
int		 engine_compile(const struct topo *, const struct topo_ns *,
		    struct ks_ns *want);
/* LAB's kept topology, if it is there and valid, with its runtime
 * overrides (override.h) laid over it; NULL otherwise. */
struct topo	*engine_kept_topo(const char *lab);
/* A pass holds a handle and a netlink socket for each namespace it
 * covers (up to PASS_MAX_OPEN of them): more than the usual soft limit of
 * 1024 descriptors. Raise it to the hard one. 0 or -errno. */
int		 engine_fd_limit(void);

#endif
