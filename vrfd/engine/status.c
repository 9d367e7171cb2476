/*
 * status: the labs of this host, found from the marks in the kernel (the
 * loopback alias of their namespaces, the text of a file left by a create
 * cut short), each namespace compared with the lab's kept topology; and
 * the ghosts: namespaces of a lab that no name leads to any more, still
 * held by processes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/own.h"
#include "observe.h"
#include "pass.h"
#include "procs.h"
#include "services.h"
#include "state.h"
#include "topo/topo.h"
#include "tunnel.h"

static int
engine_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* LAB into the sorted-later list V (K of them), once. */
static int
engine_lab_add(char ***v, size_t *k, const char *lab)
{
	char	**nv;

	for (size_t j = 0; j < *k; j++)
		if (strcmp((*v)[j], lab) == 0)
			return 0;
	if ((nv = reallocarray(*v, *k + 1, sizeof(**v))) == NULL)
		return -ENOMEM;
	*v = nv;
	if ((nv[*k] = strdup(lab)) == NULL)
		return -ENOMEM;
	(*k)++;
	return 0;
}

/* The mark under the name NAME: a namespace's loopback alias, or the text
 * of a file with no namespace on it. */
static bool
engine_name_mark(const char *name, struct own_mark *m)
{
	char		 text[KS_ALIAS_MAX] = "";
	struct nl_sock	*s;
	int		 fd;

	if ((fd = netns_open(name)) >= 0) {
		if ((s = nl_open(fd)) != NULL) {
			(void)observe_lo_alias(s, -1, text, sizeof(text));
			nl_close(s);
		}
		close(fd);
	} else if (fd == -EINVAL)
		(void)netns_file_text(name, text, sizeof(text));
	return own_mark_parse(text, m) && m->node[0] != '\0';
}

static void
engine_labs_free(char **v, size_t n)
{
	for (size_t j = 0; j < n; j++)
		free(v[j]);
	free(v);
}

int
engine_find_labs(char ***labs, size_t *n)
{
	char	**names, **v = NULL;
	size_t	  n_names, k = 0;
	int	  rv;

	*labs = NULL;
	*n = 0;
	if ((rv = netns_list(&names, &n_names)) < 0)
		return rv == -ENOENT ? 0 : rv;
	for (size_t i = 0; i < n_names && rv == 0; i++) {
		struct own_mark	 m;

		if (engine_name_mark(names[i], &m))
			rv = engine_lab_add(&v, &k, m.lab);
	}
	netns_list_free(names, n_names);
	if (rv < 0) {
		engine_labs_free(v, k);
		return rv;
	}
	if (k > 1)	/* v is NULL when there is no lab */
		qsort(v, k, sizeof(*v), engine_cmp);
	*labs = v;
	*n = k;
	return 0;
}

/* The names of the links a pass makes in one namespace, or deletes to
 * make again: the settings it gives them are not differences of their
 * own. */
struct engine_made {
	const char	**v;
	size_t		  n;
};

static bool
engine_made_has(const struct engine_made *m, const char *name)
{
	for (size_t k = 0; k < m->n; k++)
		if (strcmp(m->v[k], name) == 0)
			return true;
	return false;
}

/* Is C part of a difference another change of its namespace says? A
 * link's settings where the link is made (or made again); a link of the
 * lab's deleted to be made again, where its creation says it; what a
 * link set down takes and is given back. */
static bool
engine_status_follows(const struct pass *p, const struct change *c,
    const struct engine_made *created, const struct engine_made *made)
{
	if (c->again)
		return true;
	if (c->kind == CH_LINK_SET && c->ifindex == 0)
		return engine_made_has(made, c->link->name);
	if (c->kind == CH_QDISC_SET && c->ifindex == 0 && !c->conflict)
		return engine_made_has(made, c->qdisc->dev);
	if (c->kind == CH_LINK_DEL &&
	    ks_link_by_name(&p->ns[c->ns].want, c->link->name) != NULL)
		return engine_made_has(created, c->link->name);
	return false;
}

static int
engine_strings_add(char ***v, size_t *n, char *s)
{
	char	**nv;

	if (s == NULL)
		return -ENOMEM;
	if ((nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(s);
		return -ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = s;
	return 0;
}

/* The differences of the pass in namespace I: its conflicts, in plan's
 * words, and (with a topology to compare with) the first
 * STATUS_DIFFS_MAX of the others, in plan's words for a difference; each
 * counted once. */
static int
engine_status_diffs(struct status_ns *sn, const struct pass *p, size_t i)
{
	struct engine_made	 created = { 0 }, made = { 0 };
	const char		**nv;
	int			  rv = 0;

	for (size_t k = 0; k < p->n_changes && rv == 0; k++) {
		const struct change	*c = &p->changes[k];

		if (c->ns != i || c->conflict || (c->kind != CH_LINK_CREATE &&
		    c->kind != CH_LINK_DEL))
			continue;
		if ((nv = reallocarray(made.v, made.n + 1,
		    sizeof(*nv))) == NULL) {
			rv = -ENOMEM;
			break;
		}
		made.v = nv;
		made.v[made.n++] = c->link->name;
		if (c->kind != CH_LINK_CREATE)
			continue;
		if ((nv = reallocarray(created.v, created.n + 1,
		    sizeof(*nv))) == NULL) {
			rv = -ENOMEM;
			break;
		}
		created.v = nv;
		created.v[created.n++] = c->link->name;
	}
	sn->differences = 0;
	for (size_t k = 0; k < p->n_changes && rv == 0; k++) {
		const struct change	*c = &p->changes[k];

		if (c->ns != i || engine_status_follows(p, c, &created, &made))
			continue;
		sn->differences++;
		if (c->conflict)
			rv = engine_strings_add(&sn->conflicts,
			    &sn->n_conflicts, strdup(c->why));
		else if (!sn->known)
			continue;
		else if (sn->n_diffs < STATUS_DIFFS_MAX)
			rv = engine_strings_add(&sn->diffs, &sn->n_diffs,
			    plan_difference(p, c));
		else
			sn->diffs_more++;
	}
	free(created.v);
	free(made.v);
	return rv;
}

/* The interfaces of PN whose state vrfctl link set changed. */
static int
engine_status_overrides(struct status_ns *sn, const struct pass_ns *pn)
{
	struct status_override	*so;

	for (size_t k = 0; pn->tns && k < pn->tns->n_ifaces; k++) {
		const struct topo_iface	*ifc = &pn->tns->ifaces[k];

		if (ifc->override == TOPO_STATE_UNSET)
			continue;
		if ((so = status_override_add(sn)) == NULL)
			return -ENOMEM;
		snprintf(so->ifname, sizeof(so->ifname), "%s", ifc->name);
		so->down = ifc->override == TOPO_STATE_DOWN;
	}
	return 0;
}

static int
engine_status_ns(struct status_lab *sl, const struct pass *p, size_t i,
    bool known, bool *converged)
{
	struct pass_ns		*pn = &p->ns[i];
	struct status_ns	*sn;
	char			 why[KS_ALIAS_MAX + 32];
	int			 n = 0;

	if ((sn = status_ns_add(sl)) == NULL)
		return -ENOMEM;
	snprintf(sn->name, sizeof(sn->name), "%s", pn->name);
	snprintf(sn->node, sizeof(sn->node), "%s", pn->node);
	sn->exists = pn->found == PASS_FOUND_OURS || PASS_NS_BLOCKED(pn);
	sn->declared = pn->tns != NULL;
	sn->known = known;
	sn->foreign = pn->foreign;
	sn->n_foreign = pn->n_foreign;
	pn->foreign = NULL;
	pn->n_foreign = 0;
	if (pn->found == PASS_FOUND_UNREADABLE)
		n = asprintf(&sn->error, "cannot read namespace: %s",
		    strerror(-pn->read_err));
	else if ((sn->conflict = pn->found == PASS_FOUND_CONFLICT))
		n = asprintf(&sn->error, "not this lab's (%s)",
		    pass_ns_not_ours(pn, why, sizeof(why)));
	if (n < 0 || engine_status_diffs(sn, p, i) < 0 ||
	    engine_status_overrides(sn, pn) < 0)
		return -ENOMEM;
	if (!known || pn->n_changes || sn->error || !sn->exists)
		*converged = false;
	return 0;
}

/* The services of TOPO's nodes, each with its pid (0: not running), on
 * the namespaces of SL. */
static int
engine_status_services(struct status_lab *sl, const struct topo *topo)
{
	struct svc_list		 l;
	struct status_svc	*v;

	if (!services_any(topo))
		return 0;
	if (services_list(topo, SIZE_MAX, &l) < 0)
		return -ENOMEM;
	for (size_t k = 0; k < l.n; k++) {
		const char *ns = topo->ns[l.v[k].ns].name;

		for (size_t i = 0; i < sl->n_ns; i++) {
			struct status_ns *sn = &sl->ns[i];

			if (strcmp(sn->name, ns) != 0)
				continue;
			if ((v = reallocarray(sn->svcs, sn->n_svcs + 1,
			    sizeof(*v))) == NULL) {
				services_list_free(&l);
				return -ENOMEM;
			}
			sn->svcs = v;
			v = &sn->svcs[sn->n_svcs++];
			snprintf(v->name, sizeof(v->name), "%s", l.v[k].name);
			v->pid = services_pid(topo, &l.v[k]);
		}
	}
	services_list_free(&l);
	return 0;
}

/* The processes of LAB's ghosts that hold an older namespace of SN's
 * node. */
static int
engine_status_ghosts(const char *lab, struct status_ns *sn,
    const struct ghost_list *ghosts)
{
	for (size_t g = 0; g < ghosts->n; g++) {
		const struct ghost	*gh = &ghosts->v[g];

		if (strcmp(gh->lab, lab) != 0 || strcmp(gh->node, sn->node))
			continue;
		for (size_t i = 0; i < gh->procs.n; i++) {
			pid_t	*v;

			if ((v = reallocarray(sn->ghost_pids,
			    sn->n_ghost_pids + 1, sizeof(*v))) == NULL)
				return -ENOMEM;
			sn->ghost_pids = v;
			v[sn->n_ghost_pids++] = gh->procs.v[i].pid;
		}
	}
	return 0;
}

static int
engine_lab_status(struct status *st, const char *lab,
    const struct ghost_list *ghosts)
{
	struct status_lab	*sl;
	struct topo		*topo;
	struct pass		 p;
	char			 path[600];
	bool			 converged = true;
	int			 rv;

	if ((sl = status_lab_add(st)) == NULL)
		return -ENOMEM;
	snprintf(sl->lab, sizeof(sl->lab), "%s", lab);
	state_lab_path(lab, path, sizeof(path));
	if ((topo = engine_kept_topo(lab)) != NULL &&
	    (sl->topology = strdup(path)) == NULL) {
		topo_free(topo);
		return -ENOMEM;
	}
	memset(&p, 0, sizeof(p));
	if ((rv = pass_init(&p, topo, lab, NULL, 0)) == 0) {
		p.inventory = true;
		p.action = REPORT_PLAN;
		(void)pass_observe(&p);
		rv = diff_pass(&p);
	}
	for (size_t i = 0; i < p.n_ns && rv == 0; i++)
		rv = engine_status_ns(sl, &p, i, topo != NULL,
		    &converged);
	/* A ghost of a node the pass did not list: its namespace, as the
	 * lab would name it. */
	for (size_t g = 0; g < ghosts->n && rv == 0; g++) {
		bool	 listed = strcmp(ghosts->v[g].lab, lab) != 0;

		for (size_t k = 0; k < sl->n_ns; k++)
			listed |= strcmp(sl->ns[k].node, ghosts->v[g].node) ==
			    0;
		if (!listed) {
			struct status_ns	*sn;

			if ((sn = status_ns_add(sl)) == NULL) {
				rv = -ENOMEM;
				break;
			}
			topo_ns_name(sn->name, sizeof(sn->name), lab,
			    ghosts->v[g].node);
			snprintf(sn->node, sizeof(sn->node), "%s",
			    ghosts->v[g].node);
			sn->known = topo != NULL;
		}
	}
	for (size_t k = 0; k < sl->n_ns && rv == 0; k++) {
		rv = engine_status_ghosts(lab, &sl->ns[k], ghosts);
		if (sl->ns[k].n_ghost_pids)
			converged = false;
	}
	if (rv == 0 && topo != NULL)
		rv = engine_status_services(sl, topo);
	/* A lab spread over hosts: which one this is, and its tunnels. */
	if (rv == 0 && topo != NULL && topo->here >= 0) {
		snprintf(sl->host, sizeof(sl->host), "%s",
		    topo->hosts[topo->here].name);
		topo_ip_str(&topo->hosts[topo->here].underlay, sl->underlay,
		    sizeof(sl->underlay));
		rv = tunnel_status(sl, topo);
	}
	sl->converged = converged && topo != NULL;
	pass_free(&p);
	topo_free(topo);
	return rv;
}

struct status *
engine_status(const char *lab)
{
	struct ghost_list	 ghosts = { 0 };
	struct status		*st;
	char			**labs = NULL;
	size_t			  n = 0;
	int			  rv;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	rv = engine_find_labs(&labs, &n);
	/* Without ghosts when they cannot be looked for (no /proc). */
	if (rv == 0 && procs_ghosts(lab, &ghosts) < 0)
		memset(&ghosts, 0, sizeof(ghosts));
	/* A lab that only ghosts are left of is a lab too. */
	for (size_t g = 0; rv == 0 && g < ghosts.n; g++)
		rv = engine_lab_add(&labs, &n, ghosts.v[g].lab);
	if (n > 1)
		qsort(labs, n, sizeof(*labs), engine_cmp);
	for (size_t k = 0; k < n && rv == 0; k++)
		if (lab == NULL || strcmp(lab, labs[k]) == 0)
			rv = engine_lab_status(st, labs[k], &ghosts);
	engine_labs_free(labs, n);
	procs_ghosts_free(&ghosts);
	if (rv < 0) {
		status_free(st);
		errno = -rv;
		return NULL;
	}
	return st;
}
