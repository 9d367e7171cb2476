/*
 * clab_node: a containerlab node, as vrfd makes it.
 *
 * A node inherits as containerlab's does: a value from the node, else its
 * group, else its kind, else `defaults`; lists (exec, binds) are the
 * defaults', the kind's, the group's and the node's one after the other
 * (binds: the last for a destination wins); maps (sysctls, labels) are
 * merged in the same order. The kind is the node's, else its group's,
 * else that of the group `defaults` names, else the one `defaults` gives;
 * the group is the node's, else its kind's, else `defaults`'. A `group`
 * that `groups` does not define is only a label (containerlab's older
 * format): nothing is inherited from it.
 *
 * Kinds: linux (and its older name alpine) is a router of vrfd's, which
 * runs FRR or BIRD when its image or its binds say so; frr (frrouting) is
 * a router running FRR; bridge and ovs-bridge are switches. Every other
 * kind needs a network OS of its own and is an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clab.h"
#include "clab_priv.h"
#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "ytree.h"

/* The keys of a node (and of defaults, a kind, a group) containerlab
 * knows, in its current and its older formats. */
static const char *const clab_node_keys[] = {
	"kind", "group", "type", "image", "image-pull-policy",
	"restart-policy", "license", "position", "startup-config",
	"startup-delay", "enforce-startup-config", "suppress-startup-config",
	"auto-remove", "config", "entrypoint", "cmd", "SANs", "exec", "binds",
	"ports", "mgmt-ipv4", "mgmt-ipv6", "mgmt_ipv4", "mgmt_ipv6",
	"publish", "env", "env-files", "user", "labels", "network-mode",
	"sandbox", "kernel", "runtime", "cpu", "cpu-set", "memory", "sysctls",
	"extras", "wait-for", "dns", "certificate", "healthcheck", "stages",
	"aliases", "devices", "cap-add", "shm-size", "components", NULL
};
/* Those vrfd reads; the others only set up a container. */
static const char *const clab_node_used[] = {
	"kind", "group", "startup-config", "config", "exec", "binds",
	"labels", "sysctls", "extras", "network-mode", NULL
};
static const char *const clab_labels[] = {
	"vrfd.expect", "vrfd.expect-not", NULL
};

bool
clab_in(const char *s, const char *const *v)
{
	for (; *v != NULL; v++)
		if (strcmp(s, *v) == 0)
			return true;
	return false;
}

static const struct ynode *
clab_group_def(struct clab_st *st, const char *name)
{
	const struct ynode	*g;

	if (name == NULL || (g = ynode_get(st->groups, name)) == NULL ||
	    !clab_is_map(g))
		return NULL;
	return g;
}

static const char *
clab_def_str(const struct ynode *def, const char *key)
{
	const struct ynode	*v = ynode_get(def, key);

	if (v == NULL || v->type != YNODE_SCALAR || ynode_is_null(v))
		return NULL;
	return v->scalar;
}

const struct ynode *
clab_field(struct clab_st *st, const struct clab_node *n, const char *key)
{
	const struct ynode	*defs[4] = { n->def, n->group, n->kind_def,
				    st->defaults }, *v;
	size_t			 i;

	for (i = 0; i < 4; i++)
		if ((v = ynode_get(defs[i], key)) != NULL && !ynode_is_null(v))
			return v;
	return NULL;
}

size_t
clab_node_list(struct clab_st *st, const struct clab_node *n,
    const char *key, const struct ynode **v, size_t max)
{
	const struct ynode	*defs[4] = { st->defaults, n->kind_def,
				    n->group, n->def }, *l;
	size_t			 i, j, k = 0;
	char			 got[64];

	for (i = 0; i < 4; i++) {
		if ((l = ynode_get(defs[i], key)) == NULL || ynode_is_null(l))
			continue;
		if (l->type != YNODE_SEQ) {
			clab_warn_once(st, l, "expected a list, got %s: "
			    "ignored", topo_node_desc(l, got, sizeof(got)));
			continue;
		}
		for (j = 0; j < l->n && k < max; j++)
			if (l->items[j]->type == YNODE_SCALAR)
				v[k++] = l->items[j];
			else
				clab_warn_once(st, l->items[j], "expected a "
				    "string, got %s: ignored", topo_node_desc(
				    l->items[j], got, sizeof(got)));
	}
	return k;
}

/* A map of KEY for N, merged: the defaults' < the kind's < the group's <
 * the node's. Keys into K, values into V (up to MAX); the count. */
static size_t
clab_node_map(struct clab_st *st, const struct clab_node *n,
    const char *key, const struct ynode **k, const struct ynode **v,
    size_t max)
{
	const struct ynode	*defs[4] = { st->defaults, n->kind_def,
				    n->group, n->def }, *m;
	size_t			 i, j, c, cnt = 0;

	for (i = 0; i < 4; i++) {
		if ((m = ynode_get(defs[i], key)) == NULL ||
		    m->type != YNODE_MAP)
			continue;
		for (j = 0; j < m->n; j++) {
			for (c = 0; c < cnt; c++)
				if (strcmp(k[c]->scalar,
				    ynode_keys(m)[j]->scalar) == 0)
					break;
			if (c == cnt && cnt == max)
				continue;
			k[c] = ynode_keys(m)[j];
			v[c] = m->items[j];
			if (c == cnt)
				cnt++;
		}
	}
	return cnt;
}

struct clab_iface *
clab_node_iface(struct clab_st *st, struct clab_node *n, const char *ifname)
{
	struct clab_iface	*v;
	size_t			 i;

	for (i = 0; i < n->n_ifs; i++)
		if (strcmp(n->ifs[i].name, ifname) == 0)
			return &n->ifs[i];
	if ((v = clab_grow(st, n->ifs, n->n_ifs, sizeof(*v))) == NULL)
		return NULL;
	n->ifs = v;
	snprintf(v[n->n_ifs].name, sizeof(v[n->n_ifs].name), "%s", ifname);
	return &v[n->n_ifs++];
}

void
clab_node_sysctl(struct clab_st *st, struct clab_node *n, const char *key,
    const char *value, const struct ynode *at)
{
	struct clab_sysctl	*v;
	char			*val;
	size_t			 i;

	if ((val = clab_strdup(st, value)) == NULL)
		return;
	for (i = 0; i < n->n_sysctls; i++)
		if (strcmp(n->sysctls[i].key, key) == 0) {
			free(n->sysctls[i].val.s);
			n->sysctls[i].val.s = val;
			n->sysctls[i].val.at = at;
			return;
		}
	if ((v = clab_grow(st, n->sysctls, n->n_sysctls, sizeof(*v))) ==
	    NULL || (v[n->n_sysctls].key = clab_strdup(st, key)) == NULL) {
		if (v != NULL)
			n->sysctls = v;
		free(val);
		return;
	}
	n->sysctls = v;
	v[n->n_sysctls].val.s = val;
	v[n->n_sysctls++].val.at = at;
}

/* The kind of N (containerlab's GetNodeKind), its group and both of
 * their definitions. */
static void
clab_node_kind(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*g, *at = NULL;
	const char		*gname;

	n->group = clab_group_def(st, clab_def_str(n->def, "group"));
	if ((n->kind = clab_def_str(n->def, "kind")) != NULL)
		at = ynode_get(n->def, "kind");
	else if (n->group != NULL &&
	    (n->kind = clab_def_str(n->group, "kind")) != NULL)
		at = ynode_get(n->group, "kind");
	else if ((g = clab_group_def(st, clab_def_str(st->defaults,
	    "group"))) != NULL && (n->kind = clab_def_str(g, "kind")) != NULL)
		at = ynode_get(g, "kind");
	else if ((n->kind = clab_def_str(st->defaults, "kind")) != NULL)
		at = ynode_get(st->defaults, "kind");
	if (n->kind == NULL) {
		clab_err(st, n->key, "node '%s' has no kind: give it one, or "
		    "its group or the defaults one", n->cname);
		n->role = CLAB_ROLE_BAD;
		return;
	}
	if ((n->kind_def = ynode_get(st->kinds, n->kind)) != NULL &&
	    !clab_is_map(n->kind_def))
		n->kind_def = NULL;
	/* The group, if the node names none: its kind's, or the defaults'. */
	if (clab_def_str(n->def, "group") == NULL) {
		gname = clab_def_str(n->kind_def, "group");
		if (gname == NULL)
			gname = clab_def_str(st->defaults, "group");
		n->group = clab_group_def(st, gname);
	}
	if (strcmp(n->kind, "linux") == 0 || strcmp(n->kind, "alpine") == 0)
		n->role = CLAB_ROLE_HOST;
	else if (strcmp(n->kind, "frr") == 0 ||
	    strcmp(n->kind, "frrouting") == 0)
		n->role = CLAB_ROLE_FRR;
	else if (strcmp(n->kind, "bridge") == 0)
		n->role = CLAB_ROLE_SWITCH;
	else if (strcmp(n->kind, "ovs-bridge") == 0) {
		n->role = CLAB_ROLE_SWITCH;
		clab_warn_once(st, at, "an Open vSwitch bridge is made as a "
		    "Linux bridge, in a switch's namespace");
	} else if (strcmp(n->kind, "host") == 0) {
		clab_err(st, at, "node '%s': kind 'host' is the host itself, "
		    "and vrfd's nodes are namespaces of their own", n->cname);
		n->role = CLAB_ROLE_BAD;
	} else {
		clab_err(st, at, "node '%s': kind '%s' needs a network OS of "
		    "its own (a container image or a VM), which a network "
		    "namespace cannot run; vrfd takes linux, frr, bridge and "
		    "ovs-bridge nodes", n->cname, n->kind);
		n->role = CLAB_ROLE_BAD;
	}
}

/* `sysctls`: the network ones, as vrfd sets them per namespace. */
static void
clab_node_sysctls(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*k[128], *v[128];
	size_t			 i, cnt;

	/* Forwarding on, as containerlab's linux and frr nodes have it. */
	clab_node_sysctl(st, n, "net.ipv4.ip_forward", "1", n->key);
	clab_node_sysctl(st, n, "net.ipv6.conf.all.forwarding", "1", n->key);
	cnt = clab_node_map(st, n, "sysctls", k, v, 128);
	for (i = 0; i < cnt; i++) {
		if (clab_scalar(st, v[i], "a sysctl's value") == NULL)
			continue;
		if (strncmp(k[i]->scalar, "net.", 4) != 0)
			clab_warn_once(st, k[i], "ignored: sysctl '%s' is not "
			    "a network one, which a namespace has of its own",
			    k[i]->scalar);
		else
			clab_node_sysctl(st, n, k[i]->scalar, v[i]->scalar,
			    v[i]);
	}
}

/* The labels vrfd reads: vrfd.expect and vrfd.expect-not, the addresses
 * N must reach, and those it must not. */
static void
clab_node_expects(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*k[128], *v[128];
	struct clab_expect	*e;
	struct topo_suggest	 sg;
	struct topo_ip		 ip;
	char			 hint[128], *dup, *tok, *save;
	size_t			 i, j, cnt;

	cnt = clab_node_map(st, n, "labels", k, v, 128);
	for (i = 0; i < cnt; i++) {
		if (strncmp(k[i]->scalar, "vrfd.", 5) != 0)
			continue;
		if (!clab_in(k[i]->scalar, clab_labels)) {
			topo_suggest_init(&sg, k[i]->scalar);
			for (j = 0; clab_labels[j] != NULL; j++)
				topo_suggest_offer(&sg, clab_labels[j]);
			clab_err(st, k[i], "unknown label '%s'%s",
			    k[i]->scalar, topo_suggest_str(&sg, hint,
			    sizeof(hint)));
			continue;
		}
		if (n->role == CLAB_ROLE_SWITCH) {
			clab_err(st, k[i], "a bridge sends no probes: '%s' is "
			    "for linux and frr nodes", k[i]->scalar);
			continue;
		}
		if (clab_scalar(st, v[i], "addresses") == NULL ||
		    (dup = clab_strdup(st, v[i]->scalar)) == NULL)
			continue;
		for (tok = strtok_r(dup, " \t\n,", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\n,", &save)) {
			if (topo_parse_ip(tok, &ip) < 0) {
				clab_err(st, v[i], "'%s' is not an address: "
				    "%s lists those that node '%s' must%s "
				    "reach", tok, k[i]->scalar, n->cname,
				    strcmp(k[i]->scalar, "vrfd.expect") ? " not"
				    : "");
				continue;
			}
			if ((e = clab_grow(st, n->expects, n->n_expects,
			    sizeof(*e))) == NULL)
				break;
			n->expects = e;
			e[n->n_expects].reach = strcmp(k[i]->scalar,
			    "vrfd.expect") == 0;
			e[n->n_expects].at = v[i];
			if ((e[n->n_expects].to = clab_strdup(st, tok)) != NULL)
				n->n_expects++;
		}
		free(dup);
	}
}

void
clab_node_read(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*nm;

	if (n->role == CLAB_ROLE_BAD)
		return;
	clab_node_kind(st, n);
	if (n->role == CLAB_ROLE_BAD)
		return;
	nm = clab_field(st, n, "network-mode");
	if (nm != NULL && nm->type == YNODE_SCALAR &&
	    (strcmp(nm->scalar, "host") == 0 ||
	    strncmp(nm->scalar, "container:", 10) == 0)) {
		clab_err(st, nm, "node '%s': network-mode '%s' shares another "
		    "network namespace, and each node of vrfd's has its own",
		    n->cname, nm->scalar);
		n->role = CLAB_ROLE_BAD;
		return;
	}
	clab_suite_read(st, n);
	if (n->role != CLAB_ROLE_SWITCH && n->role != CLAB_ROLE_BAD)
		clab_node_sysctls(st, n);
	clab_node_expects(st, n);
}

void
clab_node_state(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*v[1];

	if (n->role == CLAB_ROLE_BAD)
		return;
	if (n->role == CLAB_ROLE_SWITCH) {
		if (clab_node_list(st, n, "exec", v, 1) > 0)
			clab_warn_once(st, v[0]->parent, "ignored: a bridge "
			    "runs no commands");
		return;
	}
	clab_exec_node(st, n);
}

/* Is DEF inherited by a node vrfd makes? */
static bool
clab_def_used(struct clab_st *st, const struct ynode *def)
{
	size_t	 i;

	for (i = 0; i < st->n_nodes; i++)
		if (st->nodes[i].role != CLAB_ROLE_BAD &&
		    (st->nodes[i].group == def ||
		    st->nodes[i].kind_def == def))
			return true;
	return false;
}

/* The keys of definition DEF: unknown ones are errors; with USED, those
 * vrfd does not read are warnings. */
static void
clab_def_keys(struct clab_st *st, const struct ynode *def, bool used)
{
	const struct ynode	*k, *v;
	size_t			 i, j;

	if (def == NULL || def->type != YNODE_MAP)
		return;
	for (i = 0; i < def->n; i++) {
		k = ynode_keys(def)[i];
		v = def->items[i];
		if (!clab_in(k->scalar, clab_node_keys)) {
			clab_err_key(st, def, k, clab_node_keys);
			continue;
		}
		if (!used || ynode_is_null(v))
			continue;
		if (!clab_in(k->scalar, clab_node_used))
			clab_warn_once(st, k, "ignored: '%s' sets up a "
			    "container, and vrfd makes none", k->scalar);
		else if (strcmp(k->scalar, "labels") == 0 &&
		    v->type == YNODE_MAP) {
			for (j = 0; j < v->n; j++)
				if (strncmp(ynode_keys(v)[j]->scalar, "vrfd.",
				    5) != 0) {
					clab_warn_once(st, ynode_keys(v)[j],
					    "ignored: container labels (vrfd "
					    "reads only vrfd.*)");
					break;
				}
		} else if (strcmp(k->scalar, "extras") == 0 &&
		    v->type == YNODE_MAP) {
			for (j = 0; j < v->n; j++) {
				const struct ynode *x = ynode_keys(v)[j];

				if (strcmp(x->scalar, "frr") != 0)
					clab_warn_once(st, x, "ignored: extras "
					    "'%s' are for a container",
					    x->scalar);
			}
		} else if ((strcmp(k->scalar, "config") == 0 &&
		    v->type != YNODE_SCALAR) ||
		    (strcmp(k->scalar, "network-mode") == 0 &&
		    v->type == YNODE_SCALAR &&
		    strcmp(v->scalar, "host") != 0 &&
		    strncmp(v->scalar, "container:", 10) != 0))
			clab_warn_once(st, k, "ignored: '%s' sets up a "
			    "container, and vrfd makes none", k->scalar);
	}
}

void
clab_node_warn_defs(struct clab_st *st)
{
	const struct ynode	*sc;
	struct clab_node	*n;
	size_t			 i;
	bool			 any = false;

	for (i = 0; i < st->n_nodes; i++) {
		n = &st->nodes[i];
		clab_def_keys(st, n->def, n->role != CLAB_ROLE_BAD);
		if (n->role != CLAB_ROLE_BAD)
			any = true;
		/* A startup config only the frr kind reads. */
		if (n->role != CLAB_ROLE_BAD && n->role != CLAB_ROLE_FRR &&
		    (sc = clab_field(st, n, "startup-config")) != NULL)
			clab_warn_once(st, sc, "ignored: a %s node takes no "
			    "startup-config", n->kind);
	}
	clab_def_keys(st, st->defaults, any);
	for (i = 0; st->kinds != NULL && i < st->kinds->n; i++)
		clab_def_keys(st, st->kinds->items[i],
		    clab_def_used(st, st->kinds->items[i]));
	for (i = 0; st->groups != NULL && i < st->groups->n; i++)
		clab_def_keys(st, st->groups->items[i],
		    clab_def_used(st, st->groups->items[i]));
}

void
clab_node_free(struct clab_node *n)
{
	size_t	 i, j;

	free(n->cfg.s);
	for (i = 0; i < n->n_ifs; i++) {
		for (j = 0; j < n->ifs[i].n_addrs; j++)
			free(n->ifs[i].addrs[j].s);
		free(n->ifs[i].addrs);
		free(n->ifs[i].mtu.s);
		free(n->ifs[i].mac.s);
	}
	free(n->ifs);
	for (i = 0; i < n->n_routes; i++) {
		free(n->routes[i].to);
		free(n->routes[i].via);
		free(n->routes[i].dev);
		free(n->routes[i].metric);
	}
	free(n->routes);
	for (i = 0; i < n->n_sysctls; i++) {
		free(n->sysctls[i].key);
		free(n->sysctls[i].val.s);
	}
	free(n->sysctls);
	for (i = 0; i < n->n_execs; i++)
		free(n->execs[i].s);
	free(n->execs);
	for (i = 0; i < n->n_expects; i++)
		free(n->expects[i].to);
	free(n->expects);
}
