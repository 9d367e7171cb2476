/*
 * lab: apply and destroy, each "keep, then pass" or "pass, then forget"
 * (lab.h), for both front ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "procs.h"
#include "state.h"
#include "topo/topo.h"

struct report *
lab_apply(const struct topo *topo, const char *text, size_t len,
    const struct engine_opts *opts, bool *kept)
{
	int	 rv;

	/* Kept first: a pass cut short is finished by the next vrfd, and
	 * a lab the host cannot keep is not made at all. */
	if ((rv = state_save_lab_text(topo->lab, text, len)) < 0) {
		if (kept)
			*kept = false;
		return report_failed(REPORT_APPLY, topo->lab, rv, "cannot keep "
		    "the topology in %s: %s; nothing changed", state_dir(),
		    strerror(-rv));
	}
	if (kept)
		*kept = true;
	return engine_run(REPORT_APPLY, topo, NULL, opts);
}

/* The ghosts of LAB: the processes inside them ended, and named in R as
 * the namespaces they were; one that a process only holds open stays, and
 * is said to. */
static int
lab_end_ghosts(struct report *r, const struct ghost_list *ghosts,
    double grace)
{
	for (size_t g = 0; g < ghosts->n; g++) {
		const struct proc_list	*pl = &ghosts->v[g].procs;
		struct report_ns	*rn;

		procs_end(&ghosts->v[g].procs, grace);
		if ((rn = report_ns_add(r)) == NULL)
			return -ENOMEM;
		topo_ns_name(rn->name, sizeof(rn->name), r->lab,
		    ghosts->v[g].node);
		snprintf(rn->node, sizeof(rn->node), "%s", ghosts->v[g].node);
		rn->state = REPORT_NS_GHOST;
		for (size_t k = 0; k < pl->n; k++)
			rn->held |= !pl->v[k].inside;
		if (asprintf(&rn->error, "an older namespace of %s, no longer "
		    "under /run/netns, held by processes", rn->node) < 0)
			return -ENOMEM;
		if (procs_report(&ghosts->v[g].procs, 0, &rn->procs,
		    &rn->n_procs) < 0)
			return -ENOMEM;
	}
	return 0;
}

struct report *
lab_destroy(const char *lab, const struct engine_opts *opts)
{
	struct ghost_list	 ghosts;
	struct report		*r;
	struct topo		*kept;
	int			 rv;
	bool			 ghosts_found;

	/* The ghosts from before: the namespaces this pass removes and
	 * something still holds are not ghosts of an older lab. */
	ghosts_found = procs_ghosts(lab, &ghosts) == 0;
	/* The kept topology adds the names it declares: a file of ours left
	 * by a create cut short goes too. */
	kept = engine_kept_topo(lab);
	r = engine_run(REPORT_DESTROY, kept, lab, opts);
	topo_free(kept);
	if (r == NULL) {
		if (ghosts_found)
			procs_ghosts_free(&ghosts);
		return NULL;
	}
	if (ghosts_found) {
		rv = lab_end_ghosts(r, &ghosts, opts && opts->grace > 0 ?
		    opts->grace : ENGINE_GRACE);
		procs_ghosts_free(&ghosts);
		if (rv < 0) {
			report_free(r);
			errno = -rv;
			return NULL;
		}
	}
	if (r->converged && (rv = state_remove_lab(lab)) < 0 && rv != -ENOENT) {
		r->converged = false;
		r->err = rv;
		if (asprintf(&r->error, "cannot forget its topology: %s",
		    strerror(-rv)) < 0)
			r->error = NULL;
	}
	return r;
}
