/*
 * clab_link: containerlab's links, in both forms, as vrfd's links.
 *
 * The brief form, `endpoints: ["a:eth1", "b:eth1"]` (containerlab's only
 * one in its older format, and a link without `type`), and the extended
 * one, `type: veth` with `endpoints: [{node, interface, mac}, ...]`, are
 * both a veth pair, as vrfd's links are. The other types join a node to
 * the host, to the management network or to a tunnel (host, mgmt-net,
 * macvlan, vxlan, vxlan-stitch, dummy; in the brief form, the endpoints
 * host:, mgmt-net: and macvlan:): errors, as a lab of namespaces has none
 * of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clab.h"
#include "clab_priv.h"
#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "ytree.h"

static const char *const clab_link_keys[] = {
	"type", "endpoints", "mtu", "vars", "labels", NULL
};
static const char *const clab_end_keys[] = {
	"node", "interface", "mac", NULL
};
static const char *const clab_link_types[] = {
	"mgmt-net", "macvlan", "host", "vxlan", "vxlan-stitch", "dummy", NULL
};

/* NAME is none of the nodes: an error, with the closest. */
static void
clab_link_unknown(struct clab_st *st, const struct ynode *at,
    const char *name)
{
	struct topo_suggest	 sg;
	char			 hint[128];
	size_t			 i;

	topo_suggest_init(&sg, name);
	for (i = 0; i < st->n_nodes; i++)
		topo_suggest_offer(&sg, st->nodes[i].cname);
	clab_err(st, at, "unknown node '%s'%s", name,
	    topo_suggest_str(&sg, hint, sizeof(hint)));
}

/* One endpoint: "node:interface", or a map of the extended form. False
 * when it cannot be made (said, unless its node is in error already). */
static bool
clab_link_end(struct clab_st *st, const struct ynode *yn, bool brief,
    struct clab_end *e, const struct ynode **mac)
{
	const struct ynode	*nn, *in;
	const char		*colon;
	char			 node[256], got[64];
	size_t			 i;

	*mac = NULL;
	e->at = yn;
	if (yn->type == YNODE_SCALAR && !ynode_is_null(yn)) {
		if ((colon = strchr(yn->scalar, ':')) == NULL) {
			clab_err(st, yn, "endpoint '%s' is not NODE:INTERFACE",
			    yn->scalar);
			return false;
		}
		snprintf(node, sizeof(node), "%.*s",
		    (int)(colon - yn->scalar), yn->scalar);
		snprintf(e->ifname, sizeof(e->ifname), "%s", colon + 1);
		if (strlen(colon + 1) >= sizeof(e->ifname) ||
		    !topo_valid_ifname(colon + 1)) {
			clab_err(st, yn, "'%s' is not a Linux interface name "
			    "(an interface alias of a network OS?)", colon + 1);
			return false;
		}
	} else if (yn->type == YNODE_MAP) {
		for (i = 0; i < yn->n; i++) {
			const struct ynode	*k = ynode_keys(yn)[i];

			if (strcmp(k->scalar, "node") != 0 &&
			    strcmp(k->scalar, "interface") != 0 &&
			    strcmp(k->scalar, "mac") != 0)
				clab_err_key(st, yn, k, clab_end_keys);
		}
		nn = ynode_get(yn, "node");
		in = ynode_get(yn, "interface");
		if (nn == NULL || in == NULL) {
			clab_err(st, yn, "an endpoint needs 'node' and "
			    "'interface'");
			return false;
		}
		if (clab_scalar(st, nn, "a node's name") == NULL ||
		    clab_scalar(st, in, "an interface name") == NULL)
			return false;
		snprintf(node, sizeof(node), "%s", nn->scalar);
		if (strlen(in->scalar) >= sizeof(e->ifname) ||
		    !topo_valid_ifname(in->scalar)) {
			clab_err(st, in, "'%s' is not a Linux interface name "
			    "(an interface alias of a network OS?)",
			    in->scalar);
			return false;
		}
		snprintf(e->ifname, sizeof(e->ifname), "%s", in->scalar);
		*mac = ynode_get(yn, "mac");
	} else {
		clab_err(st, yn, "expected an endpoint, got %s",
		    topo_node_desc(yn, got, sizeof(got)));
		return false;
	}
	if ((e->node = clab_node_by_cname(st, node)) == NULL) {
		if (brief && (strcmp(node, "host") == 0 ||
		    strcmp(node, "mgmt-net") == 0 ||
		    strcmp(node, "macvlan") == 0))
			clab_err(st, yn, "endpoint '%s' makes a link of type "
			    "%s, to the host's network: a lab of namespaces "
			    "has only veth links between its nodes", yn->scalar,
			    node);
		else
			clab_link_unknown(st, yn, node);
		return false;
	}
	return e->node->role != CLAB_ROLE_BAD;
}

/* MAC, of end E: its interface's. */
static void
clab_link_mac(struct clab_st *st, const struct clab_end *e,
    const struct ynode *mac)
{
	struct clab_iface	*ifc;

	if (mac == NULL || ynode_is_null(mac) ||
	    clab_scalar(st, mac, "a MAC address") == NULL)
		return;
	if (e->node->role == CLAB_ROLE_SWITCH) {
		clab_warn(st, mac, "ignored: a bridge's port takes no MAC "
		    "address in vrfd");
		return;
	}
	if ((ifc = clab_node_iface(st, e->node, e->ifname)) == NULL)
		return;
	free(ifc->mac.s);
	ifc->mac.s = clab_strdup(st, mac->scalar);
	ifc->mac.at = mac;
}

static void
clab_link_one(struct clab_st *st, const struct ynode *l)
{
	const struct ynode	*t, *eps, *mtu, *mac[2], *k;
	struct clab_link	*v, lk;
	struct clab_iface	*ifc;
	char			 got[64];
	bool			 brief = true, ok = true;
	size_t			 i;

	if (l->type != YNODE_MAP) {
		clab_err(st, l, "expected a link (a map with 'endpoints'), got "
		    "%s", topo_node_desc(l, got, sizeof(got)));
		return;
	}
	if ((t = ynode_get(l, "type")) != NULL && !ynode_is_null(t)) {
		if (clab_scalar(st, t, "a link type") == NULL)
			return;
		for (i = 0; clab_link_types[i] != NULL; i++)
			if (strcmp(t->scalar, clab_link_types[i]) == 0) {
				clab_err(st, t, "link type '%s' joins a node "
				    "to the host's network, a tunnel or "
				    "nothing: a lab of namespaces has only "
				    "veth links between its nodes", t->scalar);
				return;
			}
		if (strcmp(t->scalar, "veth") == 0)
			brief = false;
		else if (strcmp(t->scalar, "brief") != 0) {
			clab_err(st, t, "unknown link type '%s'; containerlab's "
			    "are veth, mgmt-net, macvlan, host, vxlan, "
			    "vxlan-stitch and dummy", t->scalar);
			return;
		}
	}
	for (i = 0; i < l->n; i++)
		if (strcmp(ynode_keys(l)[i]->scalar, "type") != 0 &&
		    strcmp(ynode_keys(l)[i]->scalar, "endpoints") != 0 &&
		    strcmp(ynode_keys(l)[i]->scalar, "mtu") != 0 &&
		    strcmp(ynode_keys(l)[i]->scalar, "vars") != 0 &&
		    strcmp(ynode_keys(l)[i]->scalar, "labels") != 0)
			clab_err_key(st, l, ynode_keys(l)[i], clab_link_keys);
	for (i = 0; i < 2; i++)
		if ((k = ynode_key(l, i ? "labels" : "vars")) != NULL)
			clab_warn(st, k, "ignored: '%s' are for containerlab's "
			    "templates", k->scalar);
	eps = ynode_get(l, "endpoints");
	if (eps == NULL || eps->type != YNODE_SEQ || eps->n != 2) {
		clab_err(st, eps ? eps : l, "a link needs 'endpoints', a list "
		    "of two");
		return;
	}
	memset(&lk, 0, sizeof(lk));
	lk.at = l;
	for (i = 0; i < 2; i++)
		if (!clab_link_end(st, eps->items[i], brief, &lk.ep[i],
		    &mac[i]))
			ok = false;
	if (!ok)
		return;
	for (i = 0; i < 2; i++) {
		clab_link_mac(st, &lk.ep[i], mac[i]);
		if (lk.ep[i].node->role != CLAB_ROLE_SWITCH &&
		    (ifc = clab_node_iface(st, lk.ep[i].node,
		    lk.ep[i].ifname)) != NULL)
			ifc->linked = true;
	}
	if ((mtu = ynode_get(l, "mtu")) != NULL && !ynode_is_null(mtu) &&
	    clab_scalar(st, mtu, "an MTU") != NULL) {
		lk.mtu.s = clab_strdup(st, mtu->scalar);
		lk.mtu.at = mtu;
	}
	if ((v = clab_grow(st, st->links, st->n_links, sizeof(*v))) == NULL) {
		free(lk.mtu.s);
		return;
	}
	st->links = v;
	st->links[st->n_links++] = lk;
}

void
clab_link_all(struct clab_st *st, const struct ynode *seq)
{
	char	 got[64];
	size_t	 i;

	if (seq == NULL || ynode_is_null(seq))
		return;
	if (seq->type != YNODE_SEQ) {
		clab_err(st, seq, "expected a list of links, got %s",
		    topo_node_desc(seq, got, sizeof(got)));
		return;
	}
	for (i = 0; i < seq->n && !st->nomem; i++)
		clab_link_one(st, seq->items[i]);
}
