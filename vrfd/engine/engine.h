/*
 * engine: the operations vrfctl and vrfd offer, each one reconcile pass
 * (or a look at the kernel), each answering with one JSON report that the
 * CLI prints with -j or renders as text. The daemon sends the same report
 * over its socket, so both paths print the same thing.
 */
#ifndef VRFD_ENGINE_H
#define VRFD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;
struct pass_memory;
struct topo;

enum engine_action {
	ENGINE_PLAN,		/* diff only */
	ENGINE_APPLY,		/* diff and apply */
	ENGINE_DESTROY,		/* remove every namespace the lab owns */
};

/* How far an apply is: namespaces, links, and other objects. */
struct engine_progress {
	size_t	 done[3], total[3];	/* ENGINE_PROG_NS, _LINKS, _OBJECTS */
};
#define ENGINE_PROG_NS		0
#define ENGINE_PROG_LINKS	1
#define ENGINE_PROG_OBJECTS	2

struct engine_opts {
	/* progress of an apply, called now and then while it runs */
	void	(*progress)(void *arg, const struct engine_progress *);
	void	 *progress_arg;
	/* narrow the pass to these namespaces and their link peers (the
	 * daemon's drift repair); NULL: the whole lab */
	bool	(*scope)(const char *ns, void *arg);
	void	 *scope_arg;
	bool	  with_plan;	/* list every change in the report */
	/* the daemon's memory of its namespaces (memory.h): read from it
	 * where it holds, and give it what the pass read; NULL: none */
	const struct pass_memory *memory;
	size_t		*recalled;	/* out: namespaces read from it */
};

/*
 * Report of plan, apply and destroy:
 * {"lab", "action", "changes": N, "failed": N, "converged": bool,
 *  "namespaces": [{"namespace", "node", "state", "changes", "failed",
 *                  "foreign": [{"kind", "what"}], "error"?}],
 *  "plan": [{"namespace", "node", "op", "object", "command", "error"?}]}
 */
struct json_object *engine_run(enum engine_action, const struct topo *,
		    const char *lab, const struct engine_opts *);
/* Labs found on this host from the kernel's marks (one lab, or all):
 * {"labs": [{"lab", "topology", "converged", "namespaces": [...]}]} */
struct json_object *engine_status(const char *lab);
/* Labs found on this host: the names, sorted. */
int		 engine_find_labs(char ***labs, size_t *n);

#endif
