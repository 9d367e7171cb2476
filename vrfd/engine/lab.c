/*
 * lab: apply and destroy, each "keep, then pass" or "pass, then forget"
 * (lab.h), for both front ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lab.h"
#include "lab_tree.h"
#include "override.h"
#include "procs.h"
#include "services.h"
#include "state.h"
#include "topo/diag.h"
#include "topo/topo.h"

/* A report that failed for the diagnostics in DL, each on a line. */
static struct report *
lab_failed_diags(const struct topo *topo, const struct diag_list *dl)
{
	struct report	*r;
	char		*s = NULL;
	size_t		 len = 0;
	FILE		*f;

	if ((f = open_memstream(&s, &len)) == NULL)
		return report_failed(REPORT_APPLY, topo->lab, -ENOMEM, "out of "
		    "memory");
	diag_print(dl, f);
	fclose(f);
	if (len > 0 && s[len - 1] == '\n')
		s[len - 1] = '\0';
	r = report_failed(REPORT_APPLY, topo->lab, -EINVAL, "%s\nnothing "
	    "changed", s != NULL ? s : "");
	free(s);
	return r;
}

void
lab_services(const struct topo *topo, const struct report *r, bool all,
    void (*started)(void *, const struct svc *, pid_t), void *arg)
{
	struct svc_list	 l;
	size_t		 i, k;

	if (r == NULL || !services_any(topo) || services_list(topo, SIZE_MAX,
	    &l) < 0)
		return;
	for (k = 0; k < r->n_ns; k++) {
		if (r->ns[k].state != REPORT_NS_CREATED)
			continue;
		for (i = 0; i < topo->n_ns; i++)
			if (strcmp(topo->ns[i].name, r->ns[k].name) == 0)
				break;
		if (i == topo->n_ns)
			continue;
		/* A namespace made again: what ran in the old one is of no
		 * use, and its one-shot commands are due again. */
		services_stop(topo, &l, i, ENGINE_GRACE);
		services_exec(topo, i);
		if (!all)
			services_start(topo, &l, i, started, arg);
	}
	if (all)
		services_start(topo, &l, SIZE_MAX, started, arg);
	services_list_free(&l);
}

struct report *
lab_apply(const struct topo *topo, const char *text, size_t len,
    const struct engine_opts *opts, bool *kept)
{
	struct diag_list	 dl = { 0 };
	struct report		*r;
	int			 rv;

	/* The routing suites' configurations, checked by the suites before
	 * anything is made, and put where the daemons read them. */
	if (services_any(topo)) {
		rv = services_prepare(topo, opts ? opts->base : NULL, &dl,
		    true);
		if (rv < 0 || dl.n_errors > 0) {
			if (kept)
				*kept = false;
			r = lab_failed_diags(topo, &dl);
			diag_list_free(&dl);
			return r;
		}
		diag_list_free(&dl);
	}
	/* Kept first: a pass cut short is finished by the next vrfd, and
	 * a lab the host cannot keep is not made at all. No text: the one
	 * kept already (vrfd's apply of the same text again). */
	if (text != NULL && (rv = opts && opts->staged ?
	    state_keep_staged(topo->lab, opts->staged, opts->held) :
	    state_save_lab_text(topo->lab, text, len)) < 0) {
		if (kept)
			*kept = false;
		return report_failed(REPORT_APPLY, topo->lab, rv, "cannot keep "
		    "the topology in %s: %s; nothing changed", state_dir(),
		    strerror(-rv));
	}
	if (kept)
		*kept = true;
	/* A cache: without it, the next load parses. */
	if (text != NULL && opts && opts->keep_tree)
		(void)lab_tree_keep(topo, text, len);
	/* Which of its hosts this one is, for the passes that follow (a
	 * status, a restarted vrfd) when nobody says it. */
	if ((rv = host_save(topo)) < 0)
		return report_failed(REPORT_APPLY, topo->lab, rv, "cannot keep "
		    "the lab's host in %s: %s; nothing changed", state_dir(),
		    strerror(-rv));
	/* The file as it is: what vrfctl link set changed is forgotten. */
	if ((rv = override_clear(topo->lab)) < 0)
		return report_failed(REPORT_APPLY, topo->lab, rv, "cannot "
		    "forget the lab's runtime overrides: %s; nothing changed",
		    strerror(-rv));
	r = engine_run(REPORT_APPLY, topo, NULL, opts);
	lab_services(topo, r, true, opts ? opts->started : NULL,
	    opts ? opts->started_arg : NULL);
	return r;
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
lab_destroy(const char *lab, const struct topo *topo,
    const struct engine_opts *opts)
{
	struct ghost_list	 ghosts;
	struct report		*r;
	struct topo		*read = NULL;
	const struct topo	*kept = topo;
	int			 rv;
	bool			 ghosts_found;

	/* The ghosts from before: the namespaces this pass removes and
	 * something still holds are not ghosts of an older lab. */
	ghosts_found = procs_ghosts(lab, &ghosts) == 0;
	/* The kept topology adds the names it declares: a file of ours left
	 * by a create cut short goes too. */
	if (kept == NULL)
		kept = read = engine_kept_topo(lab);
	/* Its software first, in order (FRR's zebra last), while the
	 * namespaces are whole. */
	if (kept != NULL && services_any(kept)) {
		struct svc_list	 l;

		if (services_list(kept, SIZE_MAX, &l) == 0) {
			services_stop(kept, &l, SIZE_MAX, opts && opts->grace >
			    0 ? opts->grace : ENGINE_GRACE);
			services_list_free(&l);
		}
	}
	r = engine_run(REPORT_DESTROY, kept, lab, opts);
	topo_free(read);
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
	if (r->converged)
		(void)override_clear(lab);
	if (r->converged && (rv = state_remove_lab(lab)) < 0 && rv != -ENOENT) {
		r->converged = false;
		r->err = rv;
		if (asprintf(&r->error, "cannot forget its topology: %s",
		    strerror(-rv)) < 0)
			r->error = NULL;
	}
	return r;
}
