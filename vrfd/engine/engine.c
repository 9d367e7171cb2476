/*
 * engine: one reconcile pass, reported as JSON; and the status of the labs
 * the kernel knows. The text the user reads is rendered from these reports
 * by the CLI, so there is one representation of each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "topo/diag.h"
#include "engine.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "observe.h"
#include "pass.h"
#include "state.h"
#include "topo/topo.h"

static const char *
engine_action_name(enum engine_action a)
{
	switch (a) {
	case ENGINE_PLAN:
		return "plan";
	case ENGINE_APPLY:
		return "apply";
	case ENGINE_DESTROY:
		break;
	}
	return "destroy";
}

static const char *
engine_ns_state(const struct pass *p, size_t i, size_t n_changes)
{
	const struct pass_ns	*pn = &p->ns[i];

	if (pn->not_ours)
		return "skipped";
	if (pn->tns == NULL)
		return pn->exists ? "deleted" : "gone";
	if (pn->created)
		return "created";
	return n_changes ? "changed" : "unchanged";
}

static struct json_object *
engine_foreign_json(const struct pass_ns *pn)
{
	struct json_object	*arr = json_object_new_array();

	for (size_t k = 0; k < pn->n_foreign; k++) {
		struct json_object	*o = json_object_new_object();

		json_object_object_add(o, "kind",
		    json_object_new_string(pn->foreign[k].kind));
		json_object_object_add(o, "what",
		    json_object_new_string(pn->foreign[k].what));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *
engine_change_json(const struct pass *p, const struct change *c, bool applied)
{
	struct json_object	*o = json_object_new_object();
	char			*s;

	json_object_object_add(o, "namespace",
	    json_object_new_string(p->ns[c->ns].name));
	json_object_object_add(o, "node",
	    json_object_new_string(p->ns[c->ns].node));
	json_object_object_add(o, "op", json_object_new_string(plan_op(c)));
	if ((s = plan_object(p, c)) != NULL) {
		json_object_object_add(o, "object", json_object_new_string(s));
		free(s);
	}
	if ((s = plan_command(p, c)) != NULL) {
		json_object_object_add(o, "command", json_object_new_string(s));
		free(s);
	}
	if (c->err && (applied || c->extack)) {
		char	 msg[512];

		snprintf(msg, sizeof(msg), "%s%s%s", strerror(-c->err),
		    c->extack ? ": " : "", c->extack ? c->extack : "");
		json_object_object_add(o, "error", json_object_new_string(msg));
	}
	return o;
}

static struct json_object *
engine_report(const struct pass *p, enum engine_action act, bool with_plan)
{
	struct json_object	*root = json_object_new_object();
	struct json_object	*nss = json_object_new_array();
	struct json_object	*plan = json_object_new_array();
	struct json_object	*errors = json_object_new_array();
	size_t			 failed = 0, skipped = 0;
	bool			 applied = act != ENGINE_PLAN;

	for (size_t k = 0; k < p->n_changes; k++) {
		const struct change	*c = &p->changes[k];

		if (c->err)
			failed++;
		if (with_plan || c->err)
			json_object_array_add(c->err ? errors : plan,
			    engine_change_json(p, c, applied));
	}
	for (size_t i = 0; i < p->n_ns; i++) {
		const struct pass_ns	*pn = &p->ns[i];
		struct json_object	*o;
		size_t			 n = pn->n_changes;

		if (!pn->in_scope)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "namespace",
		    json_object_new_string(pn->name));
		json_object_object_add(o, "node",
		    json_object_new_string(pn->node));
		json_object_object_add(o, "state",
		    json_object_new_string(engine_ns_state(p, i, n)));
		json_object_object_add(o, "changes",
		    json_object_new_int64((int64_t)n));
		json_object_object_add(o, "failed",
		    json_object_new_int64((int64_t)pn->n_failed));
		json_object_object_add(o, "foreign", engine_foreign_json(pn));
		if (pn->error) {
			json_object_object_add(o, "error",
			    json_object_new_string(pn->error));
			skipped++;
		}
		json_object_array_add(nss, o);
	}
	json_object_object_add(root, "lab", json_object_new_string(p->lab));
	json_object_object_add(root, "action",
	    json_object_new_string(engine_action_name(act)));
	json_object_object_add(root, "changes",
	    json_object_new_int64((int64_t)p->n_changes));
	json_object_object_add(root, "failed",
	    json_object_new_int64((int64_t)failed));
	json_object_object_add(root, "converged", json_object_new_boolean(
	    skipped == 0 && (applied ? failed == 0 : p->n_changes == 0)));
	json_object_object_add(root, "namespaces", nss);
	json_object_object_add(root, "plan", plan);
	json_object_object_add(root, "errors", errors);
	return root;
}

static struct json_object *
engine_fail(const char *lab, enum engine_action act, int err)
{
	struct json_object	*root = json_object_new_object();

	json_object_object_add(root, "lab", json_object_new_string(lab));
	json_object_object_add(root, "action",
	    json_object_new_string(engine_action_name(act)));
	json_object_object_add(root, "error",
	    json_object_new_string(strerror(-err)));
	json_object_object_add(root, "converged",
	    json_object_new_boolean(false));
	return root;
}

/* LAB's kept topology, if it is there and valid; NULL otherwise. */
static struct topo *
engine_stored_topo(const char *lab)
{
	struct diag_list	 diags = { 0 };
	struct topo		*topo = NULL;
	char			 path[600];

	state_lab_path(lab, path, sizeof(path));
	if (access(path, R_OK) == 0 && (topo = topo_load(path, &diags)))
		topo_check(topo, &diags);
	if (topo && (diags.n_errors || strcmp(topo->lab, lab) != 0)) {
		topo_free(topo);
		topo = NULL;
	}
	diag_list_free(&diags);
	return topo;
}

static size_t
engine_recalled(const struct pass *p)
{
	size_t	 n = 0;

	for (size_t i = 0; i < p->n_ns; i++)
		n += p->ns[i].recalled;
	return n;
}

static void
engine_pass_free(struct pass *p, struct topo *stored)
{
	pass_free(p);
	topo_free(stored);
}

struct json_object *
engine_run(enum engine_action act, const struct topo *topo, const char *lab,
    const struct engine_opts *opts)
{
	struct engine_opts	 none = { 0 };
	struct json_object	*report;
	struct topo		*stored = NULL;
	struct pass		 p;
	int			 rv;

	if (opts == NULL)
		opts = &none;
	/* destroy: the declared names too (from the file given or the one
	 * kept), so that what an interrupted apply left unmarked goes. */
	if (act == ENGINE_DESTROY && topo == NULL)
		topo = stored = engine_stored_topo(lab);
	if ((rv = pass_init(&p, topo, topo ? topo->lab : lab)) < 0) {
		pass_free(&p);
		topo_free(stored);
		return engine_fail(topo ? topo->lab : lab, act, rv);
	}
	if (opts->scope)
		pass_scope(&p, opts->scope, opts->scope_arg);
	p.progress = opts->progress;
	p.progress_arg = opts->progress_arg;
	p.memory = act == ENGINE_DESTROY ? NULL : opts->memory;
	(void)pass_observe(&p);		/* failures are per namespace */
	/* destroy: nothing is declared; a declared name that is someone
	 * else's namespace is simply not the lab's, no error. */
	for (size_t i = 0; act == ENGINE_DESTROY && i < p.n_ns; i++) {
		p.ns[i].tns = NULL;
		if (p.ns[i].not_ours)
			p.ns[i].in_scope = false;
	}
	if ((rv = diff_pass(&p)) < 0) {
		engine_pass_free(&p, stored);
		return engine_fail(lab ? lab : topo->lab, act, rv);
	}
	plan_sort(&p);
	if (act != ENGINE_PLAN)
		(void)apply_pass(&p);
	report = engine_report(&p, act, opts->with_plan || act == ENGINE_PLAN);
	if (opts->recalled)
		*opts->recalled = engine_recalled(&p);
	pass_remember(&p, act == ENGINE_APPLY);
	engine_pass_free(&p, stored);
	return report;
}

/* "vrfd lab=demo node=pe1/red" -> "demo". */
static bool
engine_alias_lab(const char *alias, char *lab, size_t len)
{
	const char	*s = alias + strlen(VRFD_ALIAS_PREFIX "lab=");
	size_t		 n;

	if (strncmp(alias, VRFD_ALIAS_PREFIX "lab=",
	    strlen(VRFD_ALIAS_PREFIX "lab=")) != 0)
		return false;
	n = strcspn(s, " ");
	if (n == 0 || n >= len)
		return false;
	memcpy(lab, s, n);
	lab[n] = '\0';
	return true;
}

static int
engine_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
engine_find_labs(char ***labs, size_t *n)
{
	char	**names, **v = NULL, **nv;
	size_t	  n_names, k = 0;
	int	  rv;

	*labs = NULL;
	*n = 0;
	if ((rv = netns_list(&names, &n_names)) < 0)
		return rv == -ENOENT ? 0 : rv;
	for (size_t i = 0; i < n_names; i++) {
		char		 alias[KS_ALIAS_MAX] = "", lab[64];
		struct nl_sock	*s;
		bool		 dup = false;
		int		 fd;

		if ((fd = netns_open(names[i])) < 0)
			continue;
		if ((s = nl_open(fd)) != NULL) {
			(void)observe_lo_alias(s, alias, sizeof(alias));
			nl_close(s);
		}
		close(fd);
		if (!engine_alias_lab(alias, lab, sizeof(lab)))
			continue;
		for (size_t j = 0; j < k; j++)
			if (strcmp(v[j], lab) == 0)
				dup = true;
		if (dup)
			continue;
		if ((nv = reallocarray(v, k + 1, sizeof(*v))) == NULL)
			break;
		v = nv;
		if ((v[k] = strdup(lab)) != NULL)
			k++;
	}
	netns_list_free(names, n_names);
	if (k > 1)	/* v is NULL when there is no lab */
		qsort(v, k, sizeof(*v), engine_cmp);
	*labs = v;
	*n = k;
	return 0;
}

static struct json_object *
engine_lab_status(const char *lab)
{
	struct json_object	*o = json_object_new_object();
	struct json_object	*nss = json_object_new_array();
	struct topo		*topo;
	struct pass		 p;
	char			 path[600];
	bool			 converged = true;

	state_lab_path(lab, path, sizeof(path));
	topo = engine_stored_topo(lab);
	json_object_object_add(o, "lab", json_object_new_string(lab));
	json_object_object_add(o, "topology",
	    topo ? json_object_new_string(path) : NULL);
	if (pass_init(&p, topo, lab) == 0) {
		p.inventory = true;
		(void)pass_observe(&p);
		(void)diff_pass(&p);
	}
	for (size_t i = 0; i < p.n_ns; i++) {
		struct pass_ns		*pn = &p.ns[i];
		struct json_object	*n = json_object_new_object();
		size_t			 d = pn->n_changes;

		json_object_object_add(n, "namespace",
		    json_object_new_string(pn->name));
		json_object_object_add(n, "node",
		    json_object_new_string(pn->node));
		json_object_object_add(n, "exists",
		    json_object_new_boolean(pn->exists));
		json_object_object_add(n, "declared",
		    json_object_new_boolean(pn->tns != NULL));
		/* Without the topology, differences are unknown. */
		json_object_object_add(n, "differences", topo ?
		    json_object_new_int64((int64_t)d) : NULL);
		json_object_object_add(n, "foreign",
		    json_object_new_int64((int64_t)pn->n_foreign));
		json_object_object_add(n, "foreign_objects",
		    engine_foreign_json(pn));
		if (pn->error)
			json_object_object_add(n, "error",
			    json_object_new_string(pn->error));
		if (!topo || d || pn->error || !pn->exists)
			converged = false;
		json_object_array_add(nss, n);
	}
	json_object_object_add(o, "converged",
	    json_object_new_boolean(converged));
	json_object_object_add(o, "namespaces", nss);
	pass_free(&p);
	topo_free(topo);
	return o;
}

struct json_object *
engine_status(const char *lab)
{
	struct json_object	*root = json_object_new_object();
	struct json_object	*arr = json_object_new_array();
	char			**labs;
	size_t			  n;

	if (engine_find_labs(&labs, &n) == 0) {
		for (size_t k = 0; k < n; k++) {
			if (lab == NULL || strcmp(lab, labs[k]) == 0)
				json_object_array_add(arr,
				    engine_lab_status(labs[k]));
			free(labs[k]);
		}
		free(labs);
	}
	json_object_object_add(root, "labs", arr);
	return root;
}
