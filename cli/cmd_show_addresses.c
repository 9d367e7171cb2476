/*
 * vrfctl show-addresses [-j] FILE|LAB: every interface of every router
 * and VRF with its addresses, and where each came from: declared in the
 * file, given by a pool of `addressing:` (vrf-topology(5)), or taken from
 * a subnet declared on its segment. The loader made them all (topo_pool.c):
 * this only shows the model, as apply would build it.
 */
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "topo/topo.h"
#include "topo/ytree.h"
#include "vrfctl.h"

/* "r2:eth1", the interface that declares address node N, into BUF. */
static const char *
show_addr_owner(const struct topo *t, const struct ynode *n, char *buf,
    size_t len)
{
	const struct topo_iface	*ifc;
	size_t			 i, j, k;

	for (i = 0; i < t->n_ns; i++)
		for (j = 0; j < t->ns[i].n_ifaces; j++) {
			ifc = &t->ns[i].ifaces[j];
			for (k = 0; k < ifc->n_addrs; k++)
				if (ifc->addrs[k].node == n && ifc->addrs[k].
				    origin == TOPO_ADDR_DECLARED) {
					snprintf(buf, len, "%s:%s",
					    t->ns[i].node_name, ifc->name);
					return buf;
				}
		}
	snprintf(buf, len, "?");
	return buf;
}

/* Where A came from: "declared", "pool p2p", "subnet of r2:eth1". */
static const char *
show_addr_from(const struct topo *t, const struct topo_addr *a, char *buf,
    size_t len)
{
	char	 owner[2 * TOPO_NAME_MAX + 2 + IFNAMSIZ];

	switch (a->origin) {
	case TOPO_ADDR_POOL:
		snprintf(buf, len, "pool %s", a->node->scalar);
		break;
	case TOPO_ADDR_SUBNET:
		snprintf(buf, len, "subnet of %s", show_addr_owner(t, a->node,
		    owner, sizeof(owner)));
		break;
	case TOPO_ADDR_DECLARED:
		snprintf(buf, len, "declared");
		break;
	}
	return buf;
}

static void
show_addr_text(const struct topo *t)
{
	const struct topo_ns	*ns;
	const struct topo_iface	*ifc;
	char			 name[2 * TOPO_NAME_MAX + 2 + IFNAMSIZ];
	char			 pb[INET6_ADDRSTRLEN + 5], from[128];
	size_t			 i, j, k;
	int			 w = 0, n;

	for (i = 0; i < t->n_ns; i++)
		for (j = 0; j < t->ns[i].n_ifaces; j++) {
			n = snprintf(name, sizeof(name), "%s:%s",
			    t->ns[i].node_name, t->ns[i].ifaces[j].name);
			if (t->ns[i].kind != TOPO_NS_SWITCH && n > w)
				w = n;
		}
	for (i = 0; i < t->n_ns; i++) {
		ns = &t->ns[i];
		if (ns->kind == TOPO_NS_SWITCH)
			continue;
		for (j = 0; j < ns->n_ifaces; j++) {
			ifc = &ns->ifaces[j];
			snprintf(name, sizeof(name), "%s:%s", ns->node_name,
			    ifc->name);
			printf("%-*s  ", w, name);
			if (ifc->n_addrs == 0)
				printf("none");
			for (k = 0; k < ifc->n_addrs; k++)
				printf("%s%s (%s)", k ? ", " : "",
				    topo_prefix_str(&ifc->addrs[k].pfx, pb,
				    sizeof(pb)), show_addr_from(t,
				    &ifc->addrs[k], from, sizeof(from)));
			printf("\n");
		}
	}
}

static struct json_object *
show_addr_json_addr(const struct topo *t, const struct topo_addr *a)
{
	static const char *const source[] = {
		[TOPO_ADDR_DECLARED] = "declared",
		[TOPO_ADDR_POOL] = "pool",
		[TOPO_ADDR_SUBNET] = "subnet",
	};
	struct json_object	*o = json_object_new_object();
	char			 pb[INET6_ADDRSTRLEN + 5];
	char			 owner[2 * TOPO_NAME_MAX + 2 + IFNAMSIZ];

	json_object_object_add(o, "address", json_object_new_string(
	    topo_prefix_str(&a->pfx, pb, sizeof(pb))));
	json_object_object_add(o, "source",
	    json_object_new_string(source[a->origin]));
	json_object_object_add(o, "pool", a->origin == TOPO_ADDR_POOL ?
	    json_object_new_string(a->node->scalar) : NULL);
	json_object_object_add(o, "subnet_of", a->origin == TOPO_ADDR_SUBNET ?
	    json_object_new_string(show_addr_owner(t, a->node, owner,
	    sizeof(owner))) : NULL);
	return o;
}

static void
show_addr_json(const struct topo *t, const char *file)
{
	struct json_object	*doc, *ifs, *o, *addrs;
	const struct topo_ns	*ns;
	const struct topo_iface	*ifc;
	size_t			 i, j, k;

	doc = json_object_new_object();
	ifs = json_object_new_array();
	json_object_object_add(doc, "file", json_object_new_string(file));
	json_object_object_add(doc, "lab", json_object_new_string(t->lab));
	for (i = 0; i < t->n_ns; i++) {
		ns = &t->ns[i];
		if (ns->kind == TOPO_NS_SWITCH)
			continue;
		for (j = 0; j < ns->n_ifaces; j++) {
			ifc = &ns->ifaces[j];
			o = json_object_new_object();
			addrs = json_object_new_array();
			json_object_object_add(o, "node",
			    json_object_new_string(ns->node_name));
			json_object_object_add(o, "namespace",
			    json_object_new_string(ns->name));
			json_object_object_add(o, "interface",
			    json_object_new_string(ifc->name));
			for (k = 0; k < ifc->n_addrs; k++)
				json_object_array_add(addrs,
				    show_addr_json_addr(t, &ifc->addrs[k]));
			json_object_object_add(o, "addresses", addrs);
			json_object_array_add(ifs, o);
		}
	}
	json_object_object_add(doc, "interfaces", ifs);
	/* Paths hold '/': json-c would write them "topology\/x.yaml". */
	puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

int
cmd_show_addresses(struct vrfctl *v, int argc, char **argv)
{
	struct topo	*t;
	const char	*file;
	char		 path[4096];
	int		 c, rc;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c;
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return vrfctl_usage_error(v, "no topology file given");
	if (argc > 1)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[1]);
	if ((rc = vrfctl_file_or_lab(v, argv[0], path, sizeof(path),
	    &file)) != 0)
		return rc;
	if ((rc = vrfctl_topo_open(v, file, &t, NULL, NULL)) != 0)
		return rc;
	if (v->json)
		show_addr_json(t, file);
	else
		show_addr_text(t);
	topo_free(t);
	return VRFCTL_EXIT_OK;
}
