/*
 * topo_yaml_ns: what a router or a VRF declares, into its namespace:
 * interfaces, routes (with their nexthops) and neighbours.
 *
 * Part of the loader (topo_yaml.c hands each namespace's map to
 * topo_yaml_ns_body_later, and topo_yaml_ns_bodies reads them all once
 * the namespaces are made). Values are checked one by one here; rules
 * that compare objects (duplicates, `dev` names, gateway families) are
 * topo_check.c's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "ytree.h"

static const char *const topo_yaml_ns_iface_keys[] = {
	"addresses", "mtu", "mac", "state", "impair", NULL
};
/* Routes are most of a topology: their keys are read in one pass
 * (topo_yaml_fields), into slots named here. */
static const char *const topo_yaml_ns_route_keys[] = {
	"to", "via", "dev", "metric", "type", "nexthops", NULL
};
enum { RK_TO, RK_VIA, RK_DEV, RK_METRIC, RK_TYPE, RK_NEXTHOPS, RK_N };
static const char *const topo_yaml_ns_nexthop_keys[] = {
	"via", "dev", "weight", NULL
};
enum { NK_VIA, NK_DEV, NK_WEIGHT, NK_N };
static const char *const topo_yaml_ns_neigh_keys[] = {
	"ip", "lladdr", "dev", NULL
};
/* In the order of enum topo_route_type. */
static const char *const topo_yaml_ns_rt_types[] = {
	"unicast", "blackhole", "unreachable", "prohibit", NULL
};

static void
topo_yaml_ns_iface(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map, size_t idx)
{
	const struct ynode	*key = ynode_keys(map)[idx];
	const struct ynode	*val = map->items[idx];
	const struct ynode	*addrs, *n;
	struct topo_iface	*ifc;
	struct topo_addr	*av;
	unsigned long long	 mtu;
	char			 name[IFNAMSIZ];
	size_t			 i;

	/* A bad name is reported once, here; the interface is left out. */
	if (!topo_yaml_ifname(ty, key, map, key->scalar, name))
		return;
	if ((ifc = topo_yaml_iface_add(ty, ns, name)) == NULL)
		return;
	ifc->node = val;
	if (!topo_yaml_want(ty, val, YNODE_MAP, true))
		return;
	topo_yaml_keys(ty, val, topo_yaml_ns_iface_keys);

	addrs = ynode_get(val, "addresses");
	if (addrs != NULL && addrs->type == YNODE_SCALAR &&
	    !ynode_is_null(addrs))
		topo_yaml_err(ty, addrs, "expected a list, got '%s'; write "
		    "[%s]", addrs->scalar, addrs->scalar);
	else if (topo_yaml_want(ty, addrs, YNODE_SEQ, true)) {
		for (i = 0; i < addrs->n; i++) {
			struct topo_prefix	 p;

			n = addrs->items[i];
			if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
				continue;
			if (topo_parse_prefix(n->scalar, &p) != 0) {
				topo_yaml_err(ty, n, "invalid address '%s'; "
				    "expected ADDRESS/LENGTH such as "
				    "10.0.0.1/24 or 2001:db8::1/64", n->scalar);
				continue;
			}
			av = topo_yaml_grow(ty, ifc->addrs, ifc->n_addrs,
			    sizeof(*av));
			if (av == NULL)
				return;
			ifc->addrs = av;
			ifc->addrs[ifc->n_addrs].pfx = p;
			ifc->addrs[ifc->n_addrs++].node = n;
		}
	}
	if ((n = ynode_get(val, "mtu")) != NULL &&
	    topo_yaml_uint(ty, n, 68, 65535, &mtu))
		ifc->mtu = (unsigned)mtu;
	if ((n = ynode_get(val, "impair")) != NULL) {
		if (strcmp(name, "lo") == 0)
			topo_yaml_err(ty, n, "'impair' is for the interface of "
			    "a link, not 'lo'");
		else
			topo_yaml_impair(ty, n, &ifc->impair);
	}
	if ((n = ynode_get(val, "mac")) != NULL &&
	    topo_yaml_mac(ty, n, ifc->mac)) {
		static const uint8_t zero[6];

		if (ifc->mac[0] & 1)
			topo_yaml_err(ty, n, "%s is a multicast MAC address; "
			    "the first byte must be even, such as "
			    "02:00:00:00:00:01", n->scalar);
		else if (memcmp(ifc->mac, zero, sizeof(zero)) == 0)
			topo_yaml_err(ty, n, "00:00:00:00:00:00 is not a "
			    "usable MAC address");
		else
			ifc->has_mac = true;
	}
	/* lo carries the namespace's own addresses: never down. */
	if ((n = ynode_get(val, "state")) != NULL) {
		if (strcmp(name, "lo") == 0)
			topo_yaml_err(ty, n, "'lo' is always up; 'state' is "
			    "for the interface of a link");
		else
			topo_yaml_state(ty, n, &ifc->state);
	}
}

/* VIA and DEV (values or NULL) of a route or a nexthop MAP into NH. */
static void
topo_yaml_ns_gateway(struct topo_yaml *ty, const struct ynode *map,
    const struct ynode *via, const struct ynode *dev,
    struct topo_nexthop *nh)
{
	nh->node = map;
	nh->weight = 1;
	if (via != NULL)
		nh->has_via = topo_yaml_ip(ty, via, &nh->via);
	if (dev != NULL && topo_yaml_want(ty, dev, YNODE_SCALAR, false))
		topo_yaml_ifname(ty, dev, NULL, dev->scalar, nh->dev);
}

/*
 * A new nexthop, zeroed, of R, the route being read into NS: each
 * route's follow those of the routes before it in NS's one block, which
 * grows by doubling (ty->nh_room). R's point at it while it is read; all
 * routes' are set when the block is done (topo_yaml_ns_routes). NULL:
 * nomem set.
 */
static struct topo_nexthop *
topo_yaml_ns_nexthop_new(struct topo_yaml *ty, struct topo_ns *ns,
    struct topo_route *r)
{
	struct topo_nexthop	*nv;
	size_t			 at = ns->n_nexthops + r->n_nexthops;

	if (at == ty->nh_room) {
		if ((nv = reallocarray(ns->nexthops, 2 * at,
		    sizeof(*nv))) == NULL) {
			ty->nomem = true;
			return NULL;
		}
		ns->nexthops = nv;
		ty->nh_room = 2 * at;
	}
	r->nexthops = &ns->nexthops[ns->n_nexthops];
	r->n_nexthops++;
	memset(&ns->nexthops[at], 0, sizeof(ns->nexthops[at]));
	return &ns->nexthops[at];
}

static void
topo_yaml_ns_nexthops(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *seq, struct topo_route *r)
{
	const struct ynode	*item, *f[NK_N];
	struct topo_nexthop	*nh;
	unsigned long long	 weight;
	size_t			 i;

	if (!topo_yaml_want(ty, seq, YNODE_SEQ, false))
		return;
	if (seq->n == 0) {
		topo_yaml_err(ty, seq, "expected at least one nexthop");
		return;
	}
	if (seq->n > TOPO_MAX_NEXTHOPS) {
		topo_yaml_err(ty, seq, "%u nexthops; at most %d", seq->n,
		    TOPO_MAX_NEXTHOPS);
		return;
	}
	for (i = 0; i < seq->n; i++) {
		item = seq->items[i];
		if (!topo_yaml_want(ty, item, YNODE_MAP, false))
			continue;
		memset(f, 0, sizeof(f));
		topo_yaml_fields(ty, item, topo_yaml_ns_nexthop_keys, f);
		if ((nh = topo_yaml_ns_nexthop_new(ty, ns, r)) == NULL)
			return;
		topo_yaml_ns_gateway(ty, item, f[NK_VIA], f[NK_DEV], nh);
		if (f[NK_VIA] == NULL && f[NK_DEV] == NULL)
			topo_yaml_err(ty, item, "a nexthop needs 'via' or "
			    "'dev'");
		if (f[NK_WEIGHT] != NULL &&
		    topo_yaml_uint(ty, f[NK_WEIGHT], 1, 256, &weight))
			nh->weight = (unsigned)weight;
	}
}

static bool
topo_yaml_ns_route_type(struct topo_yaml *ty, const struct ynode *n,
    enum topo_route_type *type)
{
	struct topo_suggest	 sg;
	char			 hint[128];
	size_t			 i;

	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return false;
	topo_suggest_init(&sg, n->scalar);
	for (i = 0; topo_yaml_ns_rt_types[i] != NULL; i++) {
		if (strcmp(n->scalar, topo_yaml_ns_rt_types[i]) == 0) {
			*type = (enum topo_route_type)i;
			return true;
		}
		topo_suggest_offer(&sg, topo_yaml_ns_rt_types[i]);
	}
	if (sg.best != NULL)
		topo_yaml_err(ty, n, "unknown route type '%s'%s", n->scalar,
		    topo_suggest_str(&sg, hint, sizeof(hint)));
	else
		topo_yaml_err(ty, n, "unknown route type '%s'; expected "
		    "unicast, blackhole, unreachable or prohibit", n->scalar);
	return false;
}

static void
topo_yaml_ns_route(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	static const char *const gw_keys[] = { "via", "dev", "nexthops" };
	const struct ynode	*f[RK_N], *to, *k;
	struct topo_route	 r;
	unsigned long long	 metric;
	bool			 to_ok = false, is_default = false;
	bool			 type_ok = true, metric_ok = true;
	size_t			 i;

	if (!topo_yaml_want(ty, map, YNODE_MAP, false))
		return;
	memset(f, 0, sizeof(f));
	topo_yaml_fields(ty, map, topo_yaml_ns_route_keys, f);
	memset(&r, 0, sizeof(r));
	r.node = map;
	if (f[RK_TYPE] != NULL)
		type_ok = topo_yaml_ns_route_type(ty, f[RK_TYPE], &r.type);
	/* A bad metric would make a false duplicate: leave the route out. */
	if (f[RK_METRIC] != NULL) {
		if (topo_yaml_uint(ty, f[RK_METRIC], 0, UINT32_MAX, &metric))
			r.metric = (uint32_t)metric;
		else
			metric_ok = false;
	}

	if ((to = f[RK_TO]) == NULL)
		topo_yaml_missing(ty, map, "to");
	else if (topo_yaml_want(ty, to, YNODE_SCALAR, false)) {
		if (strcmp(to->scalar, "default") == 0)
			to_ok = is_default = true;
		else if (topo_parse_prefix(to->scalar, &r.to) == 0)
			to_ok = true;
		else
			topo_yaml_err(ty, to, "invalid destination '%s'; "
			    "expected a prefix such as 10.0.0.0/24 or "
			    "'default'", to->scalar);
	}

	if (r.type != TOPO_RT_UNICAST) {
		for (i = 0; i < sizeof(gw_keys) / sizeof(gw_keys[0]); i++)
			if ((k = ynode_key(map, gw_keys[i])) != NULL)
				topo_yaml_err_in(ty, k, map, "a %s "
				    "route takes no '%s'",
				    topo_yaml_ns_rt_types[r.type], gw_keys[i]);
	} else if (f[RK_NEXTHOPS] != NULL) {
		if (f[RK_VIA] || f[RK_DEV])
			topo_yaml_err_in(ty, ynode_key(map, "nexthops"), map,
			    "'nexthops' excludes 'via' and 'dev'; give each "
			    "nexthop its own");
		else
			topo_yaml_ns_nexthops(ty, ns, f[RK_NEXTHOPS], &r);
	} else if (f[RK_VIA] || f[RK_DEV]) {
		struct topo_nexthop *nh = topo_yaml_ns_nexthop_new(ty, ns, &r);

		if (nh == NULL)
			return;
		topo_yaml_ns_gateway(ty, map, f[RK_VIA], f[RK_DEV], nh);
	} else if (type_ok)
		topo_yaml_err(ty, map, "a route needs 'via', 'dev' or "
		    "'nexthops' (or a type such as blackhole)");

	/* Left out: its nexthops' place is the next route's. */
	if (!to_ok || !metric_ok)
		return;
	if (is_default) {
		/* The family of `default` follows the first gateway. */
		r.to.family = AF_INET;
		for (i = 0; i < r.n_nexthops; i++)
			if (r.nexthops[i].has_via) {
				r.to.family = r.nexthops[i].via.family;
				break;
			}
	}
	ns->n_nexthops += r.n_nexthops;
	ns->routes[ns->n_routes++] = r;
}

/* The routes of SEQ into NS: room for them all at once, and for one
 * nexthop each to begin with; then each route's nexthops where the block
 * ended up. */
static void
topo_yaml_ns_routes(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *seq)
{
	size_t	 i, at;

	if (seq->n == 0)
		return;
	if ((ns->routes = calloc(seq->n, sizeof(*ns->routes))) == NULL ||
	    (ns->nexthops = calloc(seq->n, sizeof(*ns->nexthops))) == NULL) {
		ty->nomem = true;
		return;
	}
	ty->nh_room = seq->n;
	for (i = 0; i < seq->n && !ty->nomem; i++)
		topo_yaml_ns_route(ty, ns, seq->items[i]);
	for (i = 0, at = 0; i < ns->n_routes; i++) {
		struct topo_route	*r = &ns->routes[i];

		r->nexthops = r->n_nexthops > 0 ? &ns->nexthops[at] : NULL;
		at += r->n_nexthops;
	}
}

static void
topo_yaml_ns_neigh(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	static const char *const req[] = { "ip", "lladdr", "dev" };
	const struct ynode	*n;
	struct topo_neigh	 nb, *v;
	bool			 ok = true;
	size_t			 i;

	if (!topo_yaml_want(ty, map, YNODE_MAP, false))
		return;
	topo_yaml_keys(ty, map, topo_yaml_ns_neigh_keys);
	memset(&nb, 0, sizeof(nb));
	nb.node = map;
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if (ynode_get(map, req[i]) == NULL) {
			topo_yaml_missing(ty, map, req[i]);
			ok = false;
		}
	if ((n = ynode_get(map, "ip")) != NULL && !topo_yaml_ip(ty, n, &nb.ip))
		ok = false;
	if ((n = ynode_get(map, "lladdr")) != NULL &&
	    !topo_yaml_mac(ty, n, nb.lladdr))
		ok = false;
	if ((n = ynode_get(map, "dev")) != NULL &&
	    (!topo_yaml_want(ty, n, YNODE_SCALAR, false) ||
	    !topo_yaml_ifname(ty, n, NULL, n->scalar, nb.dev)))
		ok = false;
	if (!ok)
		return;
	if ((v = topo_yaml_grow(ty, ns->neighs, ns->n_neighs,
	    sizeof(*v))) == NULL)
		return;
	ns->neighs = v;
	ns->neighs[ns->n_neighs++] = nb;
}

static void
topo_yaml_ns_body(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	const struct ynode	*n;
	size_t			 i;

	n = ynode_get(map, "interfaces");
	if (topo_yaml_want(ty, n, YNODE_MAP, true))
		for (i = 0; i < n->n && !ty->nomem; i++)
			topo_yaml_ns_iface(ty, ns, n, i);
	n = ynode_get(map, "routes");
	if (topo_yaml_want(ty, n, YNODE_SEQ, true))
		topo_yaml_ns_routes(ty, ns, n);
	n = ynode_get(map, "neighbours");
	if (topo_yaml_want(ty, n, YNODE_SEQ, true))
		for (i = 0; i < n->n && !ty->nomem; i++)
			topo_yaml_ns_neigh(ty, ns, n->items[i]);
}

/* A copy of the N elements of SIZE at V (NULL: none, or nomem set). */
static void *
topo_yaml_ns_dup(struct topo_yaml *ty, const void *v, size_t n, size_t size)
{
	void	*c;

	if (n == 0)
		return NULL;
	if ((c = reallocarray(NULL, n, size)) == NULL) {
		ty->nomem = true;
		return NULL;
	}
	return memcpy(c, v, n * size);
}

/* An interface declared in the last load's namespace O, into NS: as
 * reading its declaration made it (the addresses declared, none from a
 * pool; not what vrfctl link set said of it). */
static void
topo_yaml_ns_take_iface(struct topo_yaml *ty, struct topo_ns *ns,
    const struct topo_iface *o)
{
	struct topo_iface	*ifc;
	size_t			 n = 0;

	if ((ifc = topo_yaml_iface_add(ty, ns, o->name)) == NULL)
		return;
	while (n < o->n_addrs && o->addrs[n].origin == TOPO_ADDR_DECLARED)
		n++;
	ifc->addrs = topo_yaml_ns_dup(ty, o->addrs, n, sizeof(*o->addrs));
	ifc->n_addrs = ifc->addrs ? n : 0;
	ifc->mtu = o->mtu;
	ifc->has_mac = o->has_mac;
	memcpy(ifc->mac, o->mac, sizeof(ifc->mac));
	ifc->state = o->state;
	ifc->impair = o->impair;
	ifc->node = o->node;
}

/*
 * NS's body from the last load, if its map there is MAP itself (the new
 * tree has the last one's nodes, lent: the same text) and that load said
 * nothing: what reading MAP gives, without reading it. Its interfaces
 * declared come first, those only named by a link after (node NULL);
 * routes and neighbours are all declared.
 */
static bool
topo_yaml_ns_take(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	const struct topo_ns	*o;
	size_t			 at = (size_t)(ns - ty->t->ns);

	if (ty->prev == NULL || map == NULL)
		return false;
	/* Where it was, unless routers came or went before it. */
	o = topo_ns_by_name_at(ty->prev, ns->name, at);
	if (o == NULL || o->node != map || o->remote)
		return false;
	for (size_t i = 0; i < o->n_ifaces && o->ifaces[i].node != NULL &&
	    !ty->nomem; i++)
		topo_yaml_ns_take_iface(ty, ns, &o->ifaces[i]);
	ns->routes = topo_yaml_ns_dup(ty, o->routes, o->n_routes,
	    sizeof(*o->routes));
	ns->nexthops = topo_yaml_ns_dup(ty, o->nexthops, o->n_nexthops,
	    sizeof(*o->nexthops));
	ns->neighs = topo_yaml_ns_dup(ty, o->neighs, o->n_neighs,
	    sizeof(*o->neighs));
	if (ty->nomem)
		return true;
	ns->n_routes = o->n_routes;
	ns->n_nexthops = o->n_nexthops;
	ns->n_neighs = o->n_neighs;
	/* Each route's nexthops, where they are in the new block. */
	for (size_t i = 0; i < ns->n_routes; i++)
		if (ns->routes[i].nexthops != NULL)
			ns->routes[i].nexthops = ns->nexthops +
			    (o->routes[i].nexthops - o->nexthops);
	return true;
}

/* A namespace whose body is read once all are made. */
struct topo_yaml_body {
	size_t			 ns;		/* in t->ns, which grows */
	const struct ynode	*map;
	bool			 nomem;
};

void
topo_yaml_ns_body_later(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	struct topo_yaml_body	*v;

	if ((v = topo_yaml_grow(ty, ty->bodies, ty->n_bodies,
	    sizeof(*v))) == NULL)
		return;
	ty->bodies = v;
	v[ty->n_bodies].ns = (size_t)(ns - ty->t->ns);
	v[ty->n_bodies++].map = map;
}

/* Body I of the loader TY (topo_each): its namespace's alone, read
 * with a loader state of its own, of which only DL and nomem differ. */
static void
topo_yaml_ns_body_one(void *ty, size_t i, struct diag_list *dl)
{
	struct topo_yaml	 one = *(struct topo_yaml *)ty;
	struct topo_yaml_body	*body = &one.bodies[i];

	one.dl = dl;
	one.nomem = false;
	topo_yaml_ns_body(&one, &one.t->ns[body->ns], body->map);
	body->nomem = one.nomem;
}

void
topo_yaml_ns_bodies(struct topo_yaml *ty)
{
	size_t	 n = 0;

	/* Those taken from the last load first, on this thread: for a
	 * copy, a thread more costs more than it saves (the grid of 484
	 * took 2.4 ms on two, 1.1 on one). The rest are read. */
	for (size_t i = 0; i < ty->n_bodies && !ty->nomem; i++) {
		struct topo_yaml_body	*body = &ty->bodies[i];

		if (topo_yaml_ns_take(ty, &ty->t->ns[body->ns], body->map))
			ty->t->n_taken++;
		else
			ty->bodies[n++] = *body;
	}
	if (!ty->nomem)
		topo_each(n, topo_yaml_ns_body_one, ty, ty->dl);
	for (size_t i = 0; i < n; i++)
		if (ty->bodies[i].nomem)
			ty->nomem = true;
	free(ty->bodies);
	ty->bodies = NULL;
	ty->n_bodies = 0;
}
