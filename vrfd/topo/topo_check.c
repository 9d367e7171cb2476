/*
 * topo_check: the rules that compare objects of a loaded topology.
 *
 * Second step of the flow (load -> check -> compile). topo_yaml.c has
 * already checked each value on its own; here are namespace names, links
 * as a whole, duplicates within a namespace, `dev` names, gateway families
 * and whether a gateway is on a connected subnet; topo_check_net.c adds
 * the rules about subnets and segments. Every finding is a diagnostic at
 * the node it is about; nothing stops the scan.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "ytree.h"
#include "util/netidx.h"

#define TOPO_CHECK_NSNAME_MAX	63	/* what the engine's ks_ns holds */

/*
 * Duplicates are found by sorting, not by comparing all pairs: a lab may
 * have thousands of namespaces and a namespace thousands of routes. KEY
 * compares objects I and J of ARG; REPORT gets each object whose key an
 * earlier one (FIRST, the earliest) has.
 */
struct topo_check_sort {
	int		(*key)(size_t i, size_t j, const void *arg);
	const void	*arg;
};

void
topo_check_diag(struct topo_check *c, enum diag_level level,
    const struct ynode *n, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_at(c->dl, level, c->t->file, n, "%s", msg);
}

static int
topo_check_sort_cmp(const void *a, const void *b, void *p)
{
	const struct topo_check_sort	*s = p;
	size_t				 i = *(const size_t *)a;
	size_t				 j = *(const size_t *)b;
	int				 r;

	/* Equal keys stay in file order: the first is the earliest. */
	if ((r = s->key(i, j, s->arg)) != 0)
		return r;
	return i < j ? -1 : i > j;
}

void
topo_check_dups(struct topo_check *c, size_t n,
    int (*key)(size_t, size_t, const void *), const void *arg,
    void (*report)(struct topo_check *, const void *, size_t, size_t))
{
	struct topo_check_sort	 s = { key, arg };
	size_t			*idx, i, first;

	if (n < 2)
		return;
	if ((idx = calloc(n, sizeof(*idx))) == NULL) {
		diag_add(c->dl, DIAG_ERROR, c->t->file, 0, 0, "",
		    "out of memory while checking");
		return;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), topo_check_sort_cmp, &s);
	for (first = idx[0], i = 1; i < n; i++) {
		if (key(idx[i], first, arg) != 0)
			first = idx[i];
		else
			report(c, arg, idx[i], first);
	}
	free(idx);
}

/* The key that names NS in the file (the router, vrf or switch name). */
static const struct ynode *
topo_check_ns_key(const struct topo *t, const struct topo_ns *ns)
{
	const struct ynode	*map, *k = NULL;

	if (ns->kind == TOPO_NS_SWITCH)
		k = ynode_key(ynode_get(t->root, "switches"), ns->router);
	else {
		map = ynode_get(t->root, "routers");
		if (ns->kind == TOPO_NS_ROUTER)
			k = ynode_key(map, ns->router);
		else
			k = ynode_key(ynode_get(ynode_get(map, ns->router),
			    "vrfs"), ns->vrf);
	}
	return k ? k : ns->node;
}

static int
topo_check_ns_key_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo	*t = arg;

	return strcmp(t->ns[i].name, t->ns[j].name);
}

static void
topo_check_ns_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo	*t = arg;
	const struct ynode	*k = topo_check_ns_key(t, &t->ns[first]);

	topo_check_diag(c, DIAG_ERROR, topo_check_ns_key(t, &t->ns[i]),
	    "namespace name '%s' is already taken by %s (%u:%u)",
	    t->ns[i].name, t->ns[first].node_name, k ? k->line : 0,
	    k ? k->col : 0);
}

static void
topo_check_ns_names(struct topo_check *c)
{
	const struct topo	*t = c->t;
	size_t			 i, len;

	for (i = 0; i < t->n_ns; i++)
		if ((len = strlen(t->ns[i].name)) > TOPO_CHECK_NSNAME_MAX)
			topo_check_diag(c, DIAG_ERROR,
			    topo_check_ns_key(t, &t->ns[i]), "namespace name "
			    "'%s' is %zu bytes; at most %d", t->ns[i].name, len,
			    TOPO_CHECK_NSNAME_MAX);
	topo_check_dups(c, t->n_ns, topo_check_ns_key_cmp, t,
	    topo_check_ns_dup);
}

static bool
topo_check_has_dev(const struct topo_ns *ns, const char *dev)
{
	/* Every namespace has its loopback. */
	return strcmp(dev, "lo") == 0 || topo_ns_iface(ns, dev) != NULL;
}

static void
topo_check_dev(struct topo_check *c, const struct topo_ns *ns,
    const struct ynode *map)
{
	const struct ynode	*dev = ynode_get(map, "dev");
	struct topo_suggest	 sg;
	char			 hint[128];
	size_t			 i;

	if (dev == NULL || dev->type != YNODE_SCALAR ||
	    !topo_valid_ifname(dev->scalar) ||
	    topo_check_has_dev(ns, dev->scalar))
		return;
	topo_suggest_init(&sg, dev->scalar);
	for (i = 0; i < ns->n_ifaces; i++)
		topo_suggest_offer(&sg, ns->ifaces[i].name);
	topo_check_diag(c, DIAG_ERROR, dev, "%s has no interface '%s'%s",
	    ns->node_name, dev->scalar,
	    topo_suggest_str(&sg, hint, sizeof(hint)));
}

/* The addresses of one namespace, in file order, with their interface. */
struct topo_check_addr {
	const struct topo_addr	*a;
	const char		*ifname;
};

static int
topo_check_addr_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo_check_addr	*v = arg;
	const struct topo_prefix	*a = &v[i].a->pfx, *b = &v[j].a->pfx;

	/* The address alone: 10.0.0.1/24 and 10.0.0.1/32 clash. */
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static void
topo_check_addr_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo_check_addr	*v = arg;
	const struct topo_addr		*a = v[i].a, *b = v[first].a;
	char				 buf[INET6_ADDRSTRLEN];

	inet_ntop(a->pfx.family, a->pfx.addr, buf, sizeof(buf));
	topo_check_diag(c, DIAG_ERROR, a->node, "address %s is already on %s "
	    "(%u:%u)", buf, v[first].ifname, b->node->line, b->node->col);
}

static void
topo_check_addrs(struct topo_check *c, const struct topo_ns *ns)
{
	struct topo_check_addr	*v;
	size_t			 i, j, n = 0;

	for (i = 0; i < ns->n_ifaces; i++)
		n += ns->ifaces[i].n_addrs;
	if (n < 2)
		return;
	if ((v = calloc(n, sizeof(*v))) == NULL) {
		diag_add(c->dl, DIAG_ERROR, c->t->file, 0, 0, "",
		    "out of memory while checking");
		return;
	}
	for (n = 0, i = 0; i < ns->n_ifaces; i++)
		for (j = 0; j < ns->ifaces[i].n_addrs; j++, n++) {
			v[n].a = &ns->ifaces[i].addrs[j];
			v[n].ifname = ns->ifaces[i].name;
		}
	topo_check_dups(c, n, topo_check_addr_cmp, v, topo_check_addr_dup);
	free(v);
}

/* NS's subnets into NETS, asked for each gateway (a hub has thousands
 * of both). 0 or -ENOMEM. */
static int
topo_check_subnets(const struct topo_ns *ns, struct netidx *nets)
{
	const struct topo_prefix	*p;

	netidx_init(nets);
	for (size_t i = 0; i < ns->n_ifaces; i++)
		for (size_t j = 0; j < ns->ifaces[i].n_addrs; j++) {
			p = &ns->ifaces[i].addrs[j].pfx;
			if (netidx_add(nets, p->family, p->addr, p->plen, 0) ==
			    -ENOMEM)
				return -ENOMEM;
		}
	return 0;
}

bool
topo_check_link_local(const struct topo_ip *ip)
{
	return ip->family == AF_INET6 && ip->addr[0] == 0xfe &&
	    (ip->addr[1] & 0xc0) == 0x80;
}

static void
topo_check_gateway(struct topo_check *c, const struct topo_ns *ns,
    const struct netidx *nets, const struct topo_route *r,
    const struct topo_nexthop *nh)
{
	char	 buf[INET6_ADDRSTRLEN];

	/* Nodes and texts are looked up for a message only: most gateways
	 * are fine, and a lab has tens of thousands. A `dev` the loader
	 * refused is "" here, as topo_check_dev would skip it. */
	if (nh->dev[0] != '\0' && !topo_check_has_dev(ns, nh->dev))
		topo_check_dev(c, ns, nh->node);
	if (!nh->has_via)
		return;
	if (nh->via.family != r->to.family)
		topo_check_diag(c, DIAG_ERROR, ynode_get(nh->node, "via"),
		    "gateway %s is %s but the route to %s is %s",
		    topo_ip_str(&nh->via, buf, sizeof(buf)),
		    topo_family_str(nh->via.family),
		    ynode_get(r->node, "to")->scalar,
		    topo_family_str(r->to.family));
	else if (topo_check_link_local(&nh->via)) {
		/* fe80::/10 exists on every link: only `dev` says which. */
		if (nh->dev[0] == '\0')
			topo_check_diag(c, DIAG_ERROR, ynode_get(nh->node,
			    "via"), "link-local gateway %s needs 'dev'",
			    topo_ip_str(&nh->via, buf, sizeof(buf)));
	} else if (netidx_holder(nets, nh->via.family, nh->via.addr) < 0)
		topo_check_diag(c, DIAG_WARNING, ynode_get(nh->node, "via"),
		    "gateway %s is on no connected subnet of %s",
		    topo_ip_str(&nh->via, buf, sizeof(buf)), ns->node_name);
}

static int
topo_check_route_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo_ns	*ns = arg;
	const struct topo_route	*a = &ns->routes[i], *b = &ns->routes[j];

	/* The kernel's key in one table: destination and metric. */
	if (a->to.family != b->to.family)
		return a->to.family < b->to.family ? -1 : 1;
	if (a->to.plen != b->to.plen)
		return a->to.plen < b->to.plen ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	return memcmp(a->to.addr, b->to.addr, sizeof(a->to.addr));
}

static void
topo_check_route_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo_ns	*ns = arg;
	const struct topo_route	*r = &ns->routes[i];
	const struct ynode	*to = ynode_get(r->node, "to");
	const struct ynode	*f = ynode_get(ns->routes[first].node, "to");

	if (r->metric)
		topo_check_diag(c, DIAG_ERROR, to, "duplicate route to %s "
		    "metric %u (first at %u:%u)", to->scalar, r->metric,
		    f->line, f->col);
	else
		topo_check_diag(c, DIAG_ERROR, to, "duplicate route to %s "
		    "(first at %u:%u)", to->scalar, f->line, f->col);
}

static void
topo_check_routes(struct topo_check *c, const struct topo_ns *ns)
{
	const struct topo_route	*r;
	const struct ynode	*to;
	struct topo_prefix	 masked;
	struct netidx		 nets;
	char			 buf[INET6_ADDRSTRLEN + 5];
	size_t			 i, j, b;

	if (ns->n_routes > 0 && topo_check_subnets(ns, &nets) < 0) {
		netidx_free(&nets);
		diag_add(c->dl, DIAG_ERROR, c->t->file, 0, 0, "",
		    "out of memory while checking");
		return;
	}
	for (i = 0; i < ns->n_routes; i++) {
		r = &ns->routes[i];
		if (topo_prefix_has_host_bits(&r->to)) {
			to = ynode_get(r->node, "to");
			masked = r->to;
			for (b = masked.plen; b < 128; b++)
				masked.addr[b / 8] &=
				    (uint8_t)~(0x80u >> (b % 8));
			topo_check_diag(c, DIAG_ERROR, to, "%s has host bits "
			    "set; did you mean %s?", to->scalar,
			    topo_prefix_str(&masked, buf, sizeof(buf)));
		}
		for (j = 0; j < r->n_nexthops; j++)
			topo_check_gateway(c, ns, &nets, r, &r->nexthops[j]);
	}
	if (ns->n_routes > 0)
		netidx_free(&nets);
	topo_check_dups(c, ns->n_routes, topo_check_route_cmp, ns,
	    topo_check_route_dup);
}

static int
topo_check_neigh_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo_ns	*ns = arg;
	const struct topo_neigh	*a = &ns->neighs[i], *b = &ns->neighs[j];
	int			 r;

	if (a->ip.family != b->ip.family)
		return a->ip.family < b->ip.family ? -1 : 1;
	if ((r = memcmp(a->ip.addr, b->ip.addr, sizeof(a->ip.addr))) != 0)
		return r;
	return strcmp(a->dev, b->dev);
}

static void
topo_check_neigh_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo_ns	*ns = arg;
	const struct topo_neigh	*a = &ns->neighs[i];
	const struct ynode	*f = ns->neighs[first].node;
	char			 buf[INET6_ADDRSTRLEN];

	topo_check_diag(c, DIAG_ERROR, ynode_get(a->node, "ip"), "duplicate "
	    "neighbour %s on %s (first at %u:%u)", topo_ip_str(&a->ip, buf,
	    sizeof(buf)), a->dev, f->line, f->col);
}

static void
topo_check_neighs(struct topo_check *c, const struct topo_ns *ns)
{
	size_t	 i;

	for (i = 0; i < ns->n_neighs; i++)
		topo_check_dev(c, ns, ns->neighs[i].node);
	topo_check_dups(c, ns->n_neighs, topo_check_neigh_cmp, ns,
	    topo_check_neigh_dup);
}

/* Which declared interfaces no link uses; LINKED has one flag per one. */
static void
topo_check_unlinked(struct topo_check *c, const struct topo_ns *ns,
    const bool *linked)
{
	const struct topo_iface	*ifc;
	const struct ynode	*k;
	size_t			 i;

	for (i = 0; i < ns->n_ifaces; i++) {
		ifc = &ns->ifaces[i];
		if (ifc->node == NULL || linked[i] ||
		    strcmp(ifc->name, "lo") == 0)
			continue;
		k = ynode_key(ynode_get(ns->node, "interfaces"), ifc->name);
		topo_check_diag(c, DIAG_ERROR, k ? k : ifc->node, "interface "
		    "'%s' is declared but no link uses it", ifc->name);
	}
}

static void
topo_check_unlinked_all(struct topo_check *c)
{
	const struct topo		*t = c->t;
	const struct topo_endpoint	*ep;
	const struct topo_iface		*ifc;
	size_t				*first, i, e, n = 0;
	bool				*linked = NULL;

	/* A flag per interface of every namespace; FIRST[ns]: its first. */
	if ((first = calloc(t->n_ns + 1, sizeof(*first))) != NULL) {
		for (i = 0; i < t->n_ns; i++) {
			first[i] = n;
			n += t->ns[i].n_ifaces;
		}
		linked = calloc(n + 1, sizeof(*linked));
	}
	if (linked == NULL) {
		free(first);
		diag_add(c->dl, DIAG_ERROR, t->file, 0, 0, "",
		    "out of memory while checking");
		return;
	}
	for (i = 0; i < t->n_links; i++)
		for (e = 0; e < 2; e++) {
			ep = &t->links[i].ep[e];
			if ((ifc = topo_ep_iface(ep)) == NULL)
				continue;
			linked[first[ep->ns - t->ns] +
			    (size_t)(ifc - ep->ns->ifaces)] = true;
		}
	for (i = 0; i < t->n_ns; i++)
		topo_check_unlinked(c, &t->ns[i], linked + first[i]);
	free(linked);
	free(first);
}

/* A link's MTU against the MTU its interfaces declare. */
static void
topo_check_link_mtu(struct topo_check *c, const struct topo_link *l)
{
	const struct topo_iface	*ifc;
	const struct ynode	*m, *im;
	size_t			 e;

	if (l->mtu == 0 || (m = ynode_get(l->node, "mtu")) == NULL)
		return;
	for (e = 0; e < 2; e++) {
		if ((ifc = topo_ep_iface(&l->ep[e])) == NULL ||
		    ifc->mtu == 0 || ifc->mtu == l->mtu)
			continue;
		im = ynode_get(ifc->node, "mtu");
		topo_check_diag(c, DIAG_ERROR, m, "link mtu %u differs from "
		    "mtu %u of %s:%s (%u:%u)", l->mtu, ifc->mtu, l->ep[e].node,
		    l->ep[e].ifname, im ? im->line : 0, im ? im->col : 0);
	}
}

/* The kernel refuses IPv6 on a link whose MTU is below 1280 (RFC 8200):
 * say so here, at the address, rather than as a bare EINVAL in apply. */
static void
topo_check_ipv6_mtu(struct topo_check *c, const struct topo_link *l)
{
	const struct topo_iface	*ifc;
	unsigned		 mtu;
	size_t			 e, k;

	for (e = 0; e < 2; e++) {
		if ((ifc = topo_ep_iface(&l->ep[e])) == NULL)
			continue;
		mtu = ifc->mtu ? ifc->mtu : l->mtu;
		if (mtu == 0 || mtu >= 1280)
			continue;
		for (k = 0; k < ifc->n_addrs; k++)
			if (ifc->addrs[k].pfx.family == AF_INET6)
				topo_check_diag(c, DIAG_ERROR,
				    ifc->addrs[k].node, "IPv6 needs an MTU of "
				    "at least 1280; %s:%s has %u",
				    l->ep[e].node, l->ep[e].ifname, mtu);
	}
}

static int
topo_check_end_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo		*t = arg;
	const struct topo_endpoint	*a = &t->links[i / 2].ep[i % 2];
	const struct topo_endpoint	*b = &t->links[j / 2].ep[j % 2];
	size_t				 na, nb;

	/* Namespaces by index: unresolved ends (NULL) first. */
	na = a->ns ? (size_t)(a->ns - t->ns) + 1 : 0;
	nb = b->ns ? (size_t)(b->ns - t->ns) + 1 : 0;
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a->ifname, b->ifname);
}

static void
topo_check_end_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo		*t = arg;
	const struct topo_endpoint	*ep = &t->links[i / 2].ep[i % 2];
	const struct topo_endpoint	*f = &t->links[first / 2].ep[first % 2];

	/* Both ends of one link: a loop, reported on its own. */
	if (ep->ns == NULL || i / 2 == first / 2)
		return;
	topo_check_diag(c, DIAG_ERROR, ep->yn, "interface %s:%s is already "
	    "linked at %u:%u", ep->node, ep->ifname, f->yn->line, f->yn->col);
}

static void
topo_check_links(struct topo_check *c)
{
	const struct topo	*t = c->t;
	const struct topo_link	*l;
	size_t			 i;

	for (i = 0; i < t->n_links; i++) {
		l = &t->links[i];
		topo_check_link_mtu(c, l);
		topo_check_ipv6_mtu(c, l);
		if (l->ep[0].ns != NULL && l->ep[0].ns == l->ep[1].ns &&
		    strcmp(l->ep[0].ifname, l->ep[1].ifname) == 0)
			topo_check_diag(c, DIAG_ERROR, l->ep[1].yn, "a link "
			    "cannot connect %s:%s to itself", l->ep[1].node,
			    l->ep[1].ifname);
	}
	/* Ends are numbered 2 * link + end. */
	topo_check_dups(c, 2 * t->n_links, topo_check_end_cmp, t,
	    topo_check_end_dup);
}

/*
 * A node that runs a routing suite and declares static routes: to zebra
 * (and to BIRD's kernel protocol) a route vrfd installs is one of the
 * kernel's, preferred to what the protocols learn for the same prefix at
 * any metric, so the outcome would not be the protocols'. Said once per
 * route, with the clean way.
 */
static void
topo_check_routes_vs_suite(struct topo_check *c, const struct topo_ns *ns)
{
	char	 p[INET6_ADDRSTRLEN + 8];
	size_t	 i;

	if (!ns->frr.set && !ns->bird.set)
		return;
	for (i = 0; i < ns->n_routes; i++)
		topo_check_diag(c, DIAG_WARNING, ns->routes[i].node,
		    "%s runs %s: to it this route is the kernel's, preferred "
		    "to what its protocols learn for %s at any metric; "
		    "declare it in %s's configuration instead to let them "
		    "compete", ns->node_name, ns->frr.set ? "FRR" : "BIRD",
		    topo_prefix_str(&ns->routes[i].to, p, sizeof(p)),
		    ns->frr.set ? "FRR" : "BIRD");
}

struct topo_check_each {
	struct topo	*t;
	const bool	*skip;
	bool		*clean;
};

/* The rules about namespace I of topology T alone (topo_each). */
static void
topo_check_ns(void *arg, size_t i, struct diag_list *dl)
{
	struct topo_check_each	*e = arg;
	struct topo_check	 c = { e->t, dl };
	const struct topo_ns	*ns = &c.t->ns[i];
	size_t			 before = dl->n;

	if (e->skip && e->skip[i]) {
		if (e->clean)
			e->clean[i] = true;
		return;
	}
	topo_check_addrs(&c, ns);
	topo_check_routes(&c, ns);
	topo_check_routes_vs_suite(&c, ns);
	topo_check_neighs(&c, ns);
	if (e->clean)
		e->clean[i] = dl->n == before;
}

void
topo_check(struct topo *t, struct diag_list *dl)
{
	topo_check_since(t, dl, NULL, NULL);
}

void
topo_check_since(struct topo *t, struct diag_list *dl, const bool *skip,
    bool *clean)
{
	struct topo_check_each	 e = { t, skip, clean };
	struct topo_check	 c;
	const struct ynode	*links;
	bool			 dangling = false;
	size_t			 i;

	c.t = t;
	c.dl = dl;
	links = ynode_get(t->root, "links");
	if (links != NULL && !ynode_is_null(links) &&
	    (links->type != YNODE_SEQ || links->n != t->n_links))
		dangling = true;
	for (i = 0; i < t->n_links; i++)
		if (t->links[i].ep[0].ns == NULL ||
		    t->links[i].ep[1].ns == NULL)
			dangling = true;
	topo_check_ns_names(&c);
	topo_each(t->n_ns, topo_check_ns, &e, dl);
	/* A link that is wrong was meant for some interface: "no link
	 * uses it" would only repeat its error. */
	if (!dangling)
		topo_check_unlinked_all(&c);
	topo_check_links(&c);
	topo_check_net(&c);
	topo_check_hosts(&c);
}
