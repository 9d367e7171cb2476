/*
 * engine: one reconcile pass, and its report: compile, observe, diff,
 * plan, apply (pass.h), then what the pass found and did, typed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "engine.h"
#include "host.h"
#include "lab_tree.h"
#include "memory.h"
#include "override.h"
#include "pass.h"
#include "seal.h"
#include "state.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "util/readfile.h"
#include "util/strcopy.h"

static enum report_ns_state
engine_ns_state(const struct pass_ns *pn)
{
	if (pn->found == PASS_FOUND_CONFLICT)
		return REPORT_NS_CONFLICT;
	if (pn->found == PASS_FOUND_UNREADABLE)
		return REPORT_NS_SKIPPED;
	if (pn->tns == NULL)
		return pn->found != PASS_FOUND_NONE ? REPORT_NS_DELETED :
		    REPORT_NS_GONE;
	if (pn->created)
		return REPORT_NS_CREATED;
	return pn->n_changes ? REPORT_NS_CHANGED : REPORT_NS_UNCHANGED;
}

/* Why a namespace was left alone, in words; 0 or -ENOMEM. */
static int
engine_ns_error(const struct pass_ns *pn, char **out)
{
	char	 why[KS_ALIAS_MAX + 32];
	int	 n = 0;

	*out = NULL;
	if (pn->found == PASS_FOUND_UNREADABLE)
		n = asprintf(out, "cannot read namespace: %s; left alone",
		    strerror(-pn->read_err));
	else if (pn->found == PASS_FOUND_CONFLICT && pn->is_file)
		n = asprintf(out, "%s under /run/netns is a file, not a "
		    "namespace, and not this lab's; left alone", pn->name);
	else if (pn->found == PASS_FOUND_CONFLICT)
		n = asprintf(out, "namespace %s exists and is not this lab's "
		    "(%s); left alone", pn->name,
		    pass_ns_not_ours(pn, why, sizeof(why)));
	return n < 0 ? -ENOMEM : 0;
}

/* The words of a change's result; 0 or -ENOMEM. */
static int
engine_change_error(const struct change *c, char **out)
{
	int	 n = 0;

	*out = NULL;
	if (c->conflict)
		n = asprintf(out, "%s", c->why);
	else if (c->err)
		n = asprintf(out, "%s%s%s", strerror(-c->err),
		    c->extack ? ": " : "", c->extack ? c->extack : "");
	return n < 0 ? -ENOMEM : 0;
}

static int
engine_report_change(struct report *r, const struct pass *p,
    const struct change *c, const size_t *ns_map)
{
	struct report_change	*rc;

	if ((rc = report_change_add(r)) == NULL)
		return -ENOMEM;
	rc->ns = ns_map[c->ns];
	rc->op = plan_op(c);
	rc->err = c->err;
	rc->conflict = c->conflict;
	if ((rc->object = plan_object(p, c)) == NULL ||
	    (rc->command = plan_command(p, c)) == NULL)
		return -ENOMEM;
	return engine_change_error(c, &rc->error);
}

static int
engine_report_ns(struct report *r, struct pass_ns *pn)
{
	struct report_ns	*rn;

	if ((rn = report_ns_add(r)) == NULL)
		return -ENOMEM;
	str_copy(rn->name, sizeof(rn->name), pn->name);
	str_copy(rn->node, sizeof(rn->node), pn->node);
	rn->state = engine_ns_state(pn);
	rn->changes = pn->n_changes;
	rn->failed = pn->n_failed;
	/* Moved, not copied: the pass is done with them. */
	rn->foreign = pn->foreign;
	rn->n_foreign = pn->n_foreign;
	pn->foreign = NULL;
	pn->n_foreign = 0;
	rn->procs = pn->procs;
	rn->n_procs = pn->n_procs;
	rn->held = pn->held;
	pn->procs = NULL;
	pn->n_procs = 0;
	return engine_ns_error(pn, &rn->error);
}

struct report *
engine_report(struct pass *p, bool with_plan, int pass_err)
{
	struct report	*r;
	size_t		*ns_map;
	bool		 applied = p->action != REPORT_PLAN, blocked = false;
	int		 rv = 0;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((ns_map = calloc(p->n_ns + 1, sizeof(*ns_map))) == NULL) {
		free(r);
		return NULL;
	}
	snprintf(r->lab, sizeof(r->lab), "%s", p->lab);
	r->action = p->action;
	r->changes = p->n_changes;
	for (size_t i = 0; i < p->n_ns && rv == 0; i++) {
		struct pass_ns	*pn = &p->ns[i];

		if (!pn->in_scope && !pn->settled)
			continue;
		ns_map[i] = r->n_ns;
		blocked |= PASS_NS_BLOCKED(pn);
		rv = engine_report_ns(r, pn);
		r->recalled += pn->recalled || pn->settled;
	}
	for (size_t k = 0; k < p->n_changes && rv == 0; k++) {
		const struct change	*c = &p->changes[k];

		if (c->err)
			r->failed++;
		if (with_plan || c->err)
			rv = engine_report_change(r, p, c, ns_map);
	}
	free(ns_map);
	if (rv == 0 && pass_err < 0 && pass_err != -EAGAIN) {
		r->err = pass_err;
		if (asprintf(&r->error, "the pass stopped: %s",
		    strerror(-pass_err)) < 0)
			rv = -ENOMEM;
	}
	if (rv < 0) {
		report_free(r);
		return NULL;
	}
	r->converged = r->err == 0 && !blocked &&
	    (applied ? r->failed == 0 : r->changes == 0);
	return r;
}

void
engine_report_host(struct report *r, const struct topo *topo)
{
	const struct topo_host	*h = &topo->hosts[topo->here];

	snprintf(r->host, sizeof(r->host), "%s", h->name);
	topo_ip_str(&h->underlay, r->underlay, sizeof(r->underlay));
}

static struct report *
engine_failed(enum report_action act, const char *lab, int err)
{
	return report_failed(act, lab, err, "%s", strerror(-err));
}

int
engine_compile(const struct topo *topo, const struct topo_ns *tns,
    struct ks_ns *want)
{
	return compile_ns(topo, tns, want);
}

struct topo *
engine_kept_topo(const char *lab)
{
	struct diag_list	 diags = { 0 };
	struct topo		*topo = NULL;
	char			 path[600], *text;
	size_t			 len;

	/* By way of its tree, kept beside it. */
	state_lab_path(lab, path, sizeof(path));
	if (read_file(path, LAB_TEXT_MAX, &text, &len) == 0) {
		if ((topo = lab_topo_load(path, text, len, &diags)) != NULL)
			topo_check(topo, &diags);
		free(text);
	}
	/* As the lab is kept: this host's part of it, with what vrfctl
	 * link set changed. */
	if (topo && (diags.n_errors || strcmp(topo->lab, lab) != 0 ||
	    host_localize_diag(topo, NULL, &diags) < 0 ||
	    override_load_apply(topo) < 0)) {
		topo_free(topo);
		topo = NULL;
	}
	diag_list_free(&diags);
	return topo;
}

struct report *
engine_run(enum report_action act, const struct topo *topo, const char *lab,
    const struct engine_opts *opts)
{
	struct engine_opts	 none = { 0 };
	struct pass_memory	 ids = { 0 };
	struct report		*report;
	struct pass		 p;
	int			 rv;

	if (opts == NULL)
		opts = &none;
	memset(&p, 0, sizeof(p));
	p.action = act;
	/* destroy reads only marks, and keeps nothing: of the daemon's
	 * memory, it takes the ids of the namespaces, to reach them from
	 * outside. */
	p.memory = opts->memory;
	if (act == REPORT_DESTROY && opts->memory) {
		ids.arg = opts->memory->arg;
		ids.nsid = opts->memory->nsid;
		p.memory = &ids;
	}
	p.digests = act == REPORT_DESTROY ? NULL : opts->digests;
	p.wants = act == REPORT_DESTROY ? NULL : opts->wants;
	p.scope_links = opts->scope == NULL || opts->scope_links;
	p.lean_read = act == REPORT_APPLY && opts->lean_read;
	if ((rv = pass_init(&p, topo, topo ? topo->lab : lab, opts->scope,
	    opts->n_scope)) < 0 || (rv = pass_settle(&p)) < 0) {
		pass_free(&p);
		return engine_failed(act, topo ? topo->lab : lab, rv);
	}
	p.grace = opts->grace > 0 ? opts->grace : ENGINE_GRACE;
	p.progress = opts->progress;
	p.progress_arg = opts->progress_arg;
	(void)pass_observe(&p);		/* failures are per namespace */
	/* destroy: nothing is declared; a declared name that is someone
	 * else's is simply not the lab's, no conflict. */
	for (size_t i = 0; act == REPORT_DESTROY && i < p.n_ns; i++) {
		p.ns[i].tns = NULL;
		ks_ns_clear(&p.ns[i].want);
		if (PASS_NS_BLOCKED(&p.ns[i]))
			p.ns[i].in_scope = false;
	}
	if ((rv = diff_pass(&p)) == 0 && (rv = plan_sort(&p)) == 0 &&
	    act != REPORT_PLAN)
		rv = apply_pass(&p);
	pass_settled(&p);
	pass_digests(&p);
	report = engine_report(&p, opts->with_plan || act == REPORT_PLAN, rv);
	if (report && topo && topo->here >= 0)
		engine_report_host(report, topo);
	if (act == REPORT_APPLY && opts->seal != NULL)
		seal_keep(&p, report, opts->seal);
	pass_remember(&p, act == REPORT_APPLY);
	pass_free(&p);
	return report;
}

int
engine_fd_limit(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur >= rl.rlim_max)
		return 0;
	rl.rlim_cur = rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
}
