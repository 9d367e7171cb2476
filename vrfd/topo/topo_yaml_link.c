/*
 * topo_yaml_link: `links:`, the veth pairs between namespaces.
 *
 * Part of the loader, run once every namespace exists: each endpoint
 * ("ce1:eth0", "pe1/red:eth1", "lan1:p1") is resolved to its namespace, and
 * an interface that only a link names is added to that namespace. Rules
 * about links as a whole (one link per interface, no loops) are in
 * topo_check.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "util/strcopy.h"
#include "ytree.h"

/* The routers and switches by name: a lab has thousands of endpoints to
 * resolve. The first of a name, as a walk would find it (a second is an
 * error of its own). */
struct topo_yaml_lk {
	struct topo_yaml	*ty;
	struct nameidx		 routers;	/* t->routers */
	struct nameidx		 switches;	/* t->ns, switches only */
	size_t			 cap_links;	/* room in t->links */
};

static const char *
topo_yaml_lk_router_name(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct topo_yaml_lk, routers)->ty->t->
	    routers[i].name;
}

static const char *
topo_yaml_lk_switch_name(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct topo_yaml_lk, switches)->ty->t->
	    ns[i].router;
}

static const struct topo_router *
topo_yaml_link_router(const struct topo_yaml_lk *lk, const char *name)
{
	ssize_t	 i = nameidx_find(&lk->routers, name);

	return i < 0 ? NULL : &lk->ty->t->routers[i];
}

static struct topo_ns *
topo_yaml_link_switch(const struct topo_yaml_lk *lk, const char *name)
{
	ssize_t	 i = nameidx_find(&lk->switches, name);

	return i < 0 ? NULL : &lk->ty->t->ns[i];
}

/* "router/vrf" of endpoint N: the VRF's namespace, or NULL and an error. */
static struct topo_ns *
topo_yaml_link_vrf(struct topo_yaml_lk *lk, const struct ynode *n,
    const char *router, const char *vrf, const char *ifname)
{
	struct topo_yaml	*ty = lk->ty;
	const struct topo	*t = ty->t;
	const struct topo_router *r = topo_yaml_link_router(lk, router);
	struct topo_suggest	 sg;
	char			 hint[128];
	size_t			 i;

	if (r == NULL) {
		if (topo_yaml_link_switch(lk, router) != NULL) {
			topo_yaml_err(ty, n, "'%s' is a switch; only routers "
			    "have vrfs", router);
			return NULL;
		}
		topo_suggest_init(&sg, router);
		for (i = 0; i < t->n_routers; i++)
			topo_suggest_offer(&sg, t->routers[i].name);
		topo_yaml_err(ty, n, "unknown router '%s'%s", router,
		    topo_suggest_str(&sg, hint, sizeof(hint)));
		return NULL;
	}
	if (!r->has_vrfs) {
		topo_yaml_err(ty, n, "router '%s' has no vrfs; write '%s:%s'",
		    router, router, ifname);
		return NULL;
	}
	topo_suggest_init(&sg, vrf);
	for (i = r->first_ns; i < r->first_ns + r->n_ns; i++) {
		if (strcmp(t->ns[i].vrf, vrf) == 0)
			return &t->ns[i];
		topo_suggest_offer(&sg, t->ns[i].vrf);
	}
	topo_yaml_err(ty, n, "router '%s' has no vrf '%s'%s", router, vrf,
	    topo_suggest_str(&sg, hint, sizeof(hint)));
	return NULL;
}

/* "router" or "switch" of endpoint N: its namespace, or NULL and an error. */
static struct topo_ns *
topo_yaml_link_plain(struct topo_yaml_lk *lk, const struct ynode *n,
    const char *node, const char *ifname)
{
	struct topo_yaml	*ty = lk->ty;
	const struct topo	*t = ty->t;
	const struct topo_router *r = topo_yaml_link_router(lk, node);
	struct topo_ns		*ns;
	struct topo_suggest	 sg;
	char			 hint[128];
	size_t			 i;

	if (r != NULL && r->has_vrfs) {
		topo_yaml_err(ty, n, "router '%s' has vrfs; name one, such as "
		    "'%s/%s:%s'", node, node, t->ns[r->first_ns].vrf, ifname);
		return NULL;
	}
	if (r != NULL)
		return r->n_ns ? &t->ns[r->first_ns] : NULL;
	if ((ns = topo_yaml_link_switch(lk, node)) != NULL) {
		if (strcmp(ifname, TOPO_SWITCH_BRIDGE) == 0) {
			topo_yaml_err(ty, n, "port name '%s' is taken by the "
			    "bridge of switch '%s'", ifname, node);
			return NULL;
		}
		return ns;
	}
	topo_suggest_init(&sg, node);
	for (i = 0; i < t->n_routers; i++)
		topo_suggest_offer(&sg, t->routers[i].name);
	for (i = 0; i < t->n_ns; i++)
		if (t->ns[i].kind == TOPO_NS_SWITCH)
			topo_suggest_offer(&sg, t->ns[i].router);
	topo_yaml_err(ty, n, "unknown router or switch '%s'%s", node,
	    topo_suggest_str(&sg, hint, sizeof(hint)));
	return NULL;
}

/* Give NS the interface IFNAME if it has none of that name yet: where
 * it is in NS, plus one (0: no memory). */
static size_t
topo_yaml_link_iface(struct topo_yaml *ty, struct topo_ns *ns,
    const char *ifname)
{
	struct topo_iface	*ifc;

	if ((ifc = topo_ns_iface(ns, ifname)) == NULL &&
	    (ifc = topo_yaml_iface_add(ty, ns, ifname)) == NULL)
		return 0;
	return (size_t)(ifc - ns->ifaces) + 1;
}

static void
topo_yaml_link_endpoint(struct topo_yaml_lk *lk, const struct ynode *n,
    struct topo_endpoint *ep)
{
	struct topo_yaml *ty = lk->ty;
	char		*node, *slash, *colon;
	char		 ifname[IFNAMSIZ];
	struct topo_ns	*ns = NULL;

	ep->yn = n;
	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return;
	if ((colon = strchr(n->scalar, ':')) == NULL) {
		topo_yaml_err(ty, n, "endpoint '%s' names no interface; write "
		    "NODE:IFNAME such as '%s:eth0'", n->scalar, n->scalar);
		return;
	}
	if (colon == n->scalar) {
		topo_yaml_err(ty, n, "endpoint '%s' names no router or switch",
		    n->scalar);
		return;
	}
	if (!topo_yaml_ifname(ty, n, NULL, colon + 1, ifname))
		return;
	if ((node = strndup(n->scalar, (size_t)(colon - n->scalar))) == NULL) {
		ty->nomem = true;
		return;
	}
	if (strcmp(ifname, "lo") == 0)
		topo_yaml_err(ty, n, "'lo' is the loopback interface; a link "
		    "needs an interface of its own");
	else if ((slash = strchr(node, '/')) != NULL) {
		*slash = '\0';
		ns = topo_yaml_link_vrf(lk, n, node, slash + 1, ifname);
		*slash = '/';
	} else
		ns = topo_yaml_link_plain(lk, n, node, ifname);
	str_copy(ep->node, sizeof(ep->node), node);
	str_copy(ep->ifname, sizeof(ep->ifname), ifname);
	free(node);
	if ((ep->ns = ns) != NULL)
		ep->iface_at = topo_yaml_link_iface(ty, ns, ifname);
}

static void
topo_yaml_link_one(struct topo_yaml_lk *lk, const struct ynode *item,
    size_t at)
{
	struct topo_yaml	*ty = lk->ty;
	static const char *const keys[] = { "endpoints", "mtu", "state",
	    "impair", "vni", NULL };
	struct topo		*t = ty->t;
	struct topo_link	*l;
	struct topo_ns		*ns;
	const struct ynode	*eps = NULL, *n;
	unsigned long long	 mtu, vni;
	size_t			*ends;
	char			 got[64];
	int			 e;

	/* Made where it goes (a link is 568 bytes), kept if it is one. */
	if (t->n_links == lk->cap_links) {
		ty->nomem = true;	/* (room for each item was made) */
		return;
	}
	l = &t->links[t->n_links];
	memset(l, 0, sizeof(*l));
	l->node = item;
	l->at = at;
	if (item->type == YNODE_SEQ)
		eps = item;
	else if (item->type == YNODE_MAP) {
		topo_yaml_keys(ty, item, keys);
		if ((eps = ynode_get(item, "endpoints")) == NULL)
			topo_yaml_missing(ty, item, "endpoints");
		else if (!topo_yaml_want(ty, eps, YNODE_SEQ, false))
			eps = NULL;
		if ((n = ynode_get(item, "mtu")) != NULL &&
		    topo_yaml_uint(ty, n, 68, 65535, &mtu))
			l->mtu = (unsigned)mtu;
		if ((n = ynode_get(item, "state")) != NULL)
			topo_yaml_state(ty, n, &l->state);
		/* Whether the link is between hosts is topo_check_hosts'. */
		if ((n = ynode_get(item, "vni")) != NULL &&
		    topo_yaml_uint(ty, n, 1, TOPO_VNI_MAX, &vni)) {
			l->vni = (uint32_t)vni;
			l->vni_node = n;
		}
	} else
		topo_yaml_err(ty, item, "expected a list of two endpoints or "
		    "a map with 'endpoints', got %s", topo_node_desc(item, got,
		    sizeof(got)));
	if (eps == NULL)
		return;
	if (eps->n != 2) {
		topo_yaml_err(ty, eps, "a link has two endpoints, got %u",
		    eps->n);
		return;
	}
	topo_yaml_link_endpoint(lk, eps->items[0], &l->ep[0]);
	topo_yaml_link_endpoint(lk, eps->items[1], &l->ep[1]);
	topo_yaml_impair_link(ty, item->type == YNODE_MAP ?
	    ynode_get(item, "impair") : NULL, l);
	t->n_links++;
	/* Each namespace lists its ends: compile looks at its own links,
	 * not at every link of the lab. */
	for (e = 0; e < 2; e++) {
		if ((ns = l->ep[e].ns) == NULL || (ends = topo_yaml_grow(ty,
		    ns->link_ends, ns->n_link_ends, sizeof(*ends))) == NULL)
			continue;
		ns->link_ends = ends;
		ns->link_ends[ns->n_link_ends++] = 2 * (t->n_links - 1) + e;
	}
}

void
topo_yaml_link_all(struct topo_yaml *ty, const struct ynode *seq)
{
	struct topo		*t = ty->t;
	struct topo_yaml_lk	 lk;
	size_t			 i;

	memset(&lk, 0, sizeof(lk));
	lk.ty = ty;
	nameidx_init(&lk.routers, topo_yaml_lk_router_name);
	nameidx_init(&lk.switches, topo_yaml_lk_switch_name);
	/* Room for every item at once: no copy of hundreds of KB at each
	 * doubling. (Links are made here only.) */
	if (keyidx_reserve(&lk.routers.k, t->n_routers) < 0 ||
	    (seq->n > 0 && (t->links = calloc(seq->n,
	    sizeof(*t->links))) == NULL)) {
		ty->nomem = true;
		goto done;
	}
	lk.cap_links = seq->n;
	for (i = 0; i < t->n_routers && !ty->nomem; i++)
		if (nameidx_find(&lk.routers, t->routers[i].name) < 0 &&
		    nameidx_put(&lk.routers, t->routers[i].name, i) < 0)
			ty->nomem = true;
	for (i = 0; i < t->n_ns && !ty->nomem; i++)
		if (t->ns[i].kind == TOPO_NS_SWITCH &&
		    nameidx_find(&lk.switches, t->ns[i].router) < 0 &&
		    nameidx_put(&lk.switches, t->ns[i].router, i) < 0)
			ty->nomem = true;
	for (i = 0; i < seq->n && !ty->nomem; i++)
		topo_yaml_link_one(&lk, seq->items[i], i);
done:
	nameidx_free(&lk.routers);
	nameidx_free(&lk.switches);
}
