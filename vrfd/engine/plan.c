/*
 * plan: put the changes in the order the kernel needs, and say each one as
 * the iproute2 command that would do the same, so that a student can read
 * what the controller does (and type it by hand).
 *
 * Order: namespaces come (with their mark), global sysctls (accept_dad
 * before any interface exists), removals (neighbours, routes, addresses,
 * qdiscs, links: also the links of namespaces that go, so that their
 * veths go with them even if something still holds a namespace),
 * namespaces go, new links, link settings, per-interface sysctls, then
 * addresses, routes, neighbours and qdiscs (a root before its child: the
 * diff's order). Within a stage, by namespace, so that apply sends one
 * batch per namespace. Qdiscs are said as tc commands (plan_qdisc.c).
 *
 * A change also says itself as the difference it mends, for status:
 * "route 10.2.0.0/24 metric 0 via 10.1.0.1 missing".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "kernel/nl_codec.h"
#include "kernel/own.h"
#include "kernel/rtproto.h"
#include "pass.h"
#include "topo/topo.h"

int
plan_stage(enum change_kind k)
{
	switch (k) {
	case CH_NS_CREATE:	return 0;
	case CH_SYSCTL:		return 1;
	case CH_NEIGH_DEL:
	case CH_ROUTE_DEL:
	case CH_ADDR_DEL:
	case CH_QDISC_DEL:
	case CH_LINK_DEL:	return 2;
	case CH_NS_DELETE:	return 3;
	case CH_LINK_CREATE:	return 4;
	case CH_LINK_SET:	return 5;
	case CH_SYSCTL_IF:	return 6;
	case CH_ADDR_ADD:
	case CH_ROUTE_ADD:
	case CH_ROUTE_REPLACE:
	case CH_NEIGH_ADD:
	case CH_QDISC_SET:
	case CH_KIND_COUNT:	break;
	}
	return 7;
}

struct plan_item {
	struct change	 c;
	size_t		 i;	/* the diff's order, to keep qsort stable */
};

static int
plan_cmp(const void *va, const void *vb)
{
	const struct plan_item	*a = va, *b = vb;
	int			 sa = plan_stage(a->c.kind);
	int			 sb = plan_stage(b->c.kind);

	if (sa != sb)
		return sa - sb;
	if (a->c.ns != b->c.ns)
		return a->c.ns < b->c.ns ? -1 : 1;
	if (a->c.kind != b->c.kind)
		return (int)a->c.kind - (int)b->c.kind;
	return a->i < b->i ? -1 : a->i > b->i;
}

unsigned
plan_adds_kind(const struct change *c)
{
	switch (c->kind) {
	case CH_ADDR_ADD:
		return own_family_kind(c->addr->family);
	case CH_ROUTE_ADD:
	case CH_ROUTE_REPLACE:
		return own_family_kind(c->route->family);
	case CH_NEIGH_ADD:
		return OWN_HOLDS_NEIGH;
	default:
		return 0;
	}
}

/*
 * The first change of each namespace, in order, to add an object of a
 * kind its mark does not hold raises the mark (own.h). A namespace the
 * pass makes is marked with what it declares, so raises nothing.
 */
static int
plan_raises(struct pass *p)
{
	unsigned	*holds;

	if ((holds = calloc(p->n_ns + 1, sizeof(*holds))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_ns; i++)
		holds[i] = own_mark_holds(p->ns[i].have.lo_alias);
	for (size_t k = 0; k < p->n_changes; k++) {
		struct change	*c = &p->changes[k];

		c->raises = plan_adds_kind(c) & ~holds[c->ns];
		holds[c->ns] |= c->raises;
	}
	free(holds);
	return 0;
}

int
plan_sort(struct pass *p)
{
	struct plan_item	*v;

	if (p->n_changes < 2)
		return plan_raises(p);
	/* Unsorted, links would be made before their namespaces. */
	if ((v = calloc(p->n_changes, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_changes; i++) {
		v[i].c = p->changes[i];
		v[i].i = i;
	}
	qsort(v, p->n_changes, sizeof(*v), plan_cmp);
	for (size_t i = 0; i < p->n_changes; i++)
		p->changes[i] = v[i].c;
	free(v);
	return plan_raises(p);
}

enum report_op
plan_op(const struct change *c)
{
	switch (c->kind) {
	case CH_NS_CREATE:
	case CH_LINK_CREATE:
		return REPORT_OP_CREATE;
	case CH_NS_DELETE:
	case CH_LINK_DEL:
	case CH_ADDR_DEL:
	case CH_ROUTE_DEL:
	case CH_NEIGH_DEL:
	case CH_QDISC_DEL:
		return REPORT_OP_DELETE;
	case CH_ADDR_ADD:
	case CH_ROUTE_ADD:
	case CH_NEIGH_ADD:
		return REPORT_OP_ADD;
	case CH_ROUTE_REPLACE:
		return REPORT_OP_REPLACE;
	case CH_QDISC_SET:
		/* tc qdisc replace either way: of vrfd's, or a new one */
		return c->ifindex ? REPORT_OP_REPLACE : REPORT_OP_ADD;
	case CH_LINK_SET:
	case CH_SYSCTL:
	case CH_SYSCTL_IF:
	case CH_KIND_COUNT:
		break;
	}
	return REPORT_OP_SET;
}

static const char *
plan_ip(int family, const uint8_t *addr, char *buf, size_t len)
{
	return inet_ntop(family, addr, buf, len) ? buf : "?";
}

static void
plan_put_nexthop(FILE *f, const struct ks_nexthop *nh)
{
	char	 ip[INET6_ADDRSTRLEN];

	if (nh->has_gw)
		fprintf(f, " via %s", plan_ip(nh->gw_family, nh->gw, ip,
		    sizeof(ip)));
	if (nh->dev[0])
		fprintf(f, " dev %s", nh->dev);
}

static void
plan_put_route(FILE *f, const char *ns, const char *verb,
    const struct ks_route *r)
{
	char	 dst[INET6_ADDRSTRLEN + 8], proto[RTPROTO_NAME_MAX];

	fprintf(f, "ip -n %s%s route %s ", ns, r->family == AF_INET6 ?
	    " -6" : "", verb);
	if (r->type != RTN_UNICAST)
		fprintf(f, "%s ", ks_route_type_str(r->type));
	fputs(ks_route_dst_str(r, dst, sizeof(dst)), f);
	/* A name only where ip on this host reads it back. */
	fprintf(f, " proto %s", rtproto_name_ip(r->protocol, proto,
	    sizeof(proto)));
	if (r->priority)
		fprintf(f, " metric %u", r->priority);
	if (strcmp(verb, "delete") == 0 || r->type != RTN_UNICAST)
		return;
	if (r->n_nh == 1) {
		plan_put_nexthop(f, ks_nh(r, 0));
		return;
	}
	for (int k = 0; k < r->n_nh; k++) {
		fputs(" nexthop", f);
		plan_put_nexthop(f, ks_nh(r, k));
		fprintf(f, " weight %u", ks_nh(r, k)->weight);
	}
}

static void
plan_put_link_attrs(FILE *f, const struct ks_link *l)
{
	char	 mac[20];

	if (l->has_mac)
		fprintf(f, " address %s", ks_mac_str(l->mac, mac, sizeof(mac)));
	if (l->mtu)
		fprintf(f, " mtu %u", l->mtu);
}

/* "vxlan id 4242 local 192.0.2.1 remote 192.0.2.2 dstport 4789
 * nolearning", as ip link takes it. */
static void
plan_put_vxlan(FILE *f, const struct ks_vxlan *vx)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	fprintf(f, "vxlan id %u local %s remote %s dstport %u%s", vx->vni,
	    plan_ip(vx->family, vx->local, a, sizeof(a)),
	    plan_ip(vx->family, vx->remote, b, sizeof(b)), vx->port,
	    vx->learning ? "" : " nolearning");
	if (vx->dev != 0)
		fprintf(f, " (bound to ifindex %d)", vx->dev);
}

static void
plan_put_link_create(FILE *f, const struct pass *p, const struct change *c)
{
	const struct ks_link	*l = c->link, *peer = c->peer;
	const char		*ns = p->ns[c->ns].name;

	/* Made in vrfd's group (own.h), which marks them until the next
	 * command gives them their alias: the kernel ignores one here. */
	if (l->kind == KS_LINK_BRIDGE) {
		fprintf(f, "ip -n %s link add %s", ns, l->name);
		plan_put_link_attrs(f, l);
		fprintf(f, " group %u up type bridge", OWN_LINK_GROUP);
		return;
	}
	/* Sent from this host's own namespace, where the tunnel's socket
	 * then lives, and made in the router's. */
	if (l->kind == KS_LINK_VXLAN) {
		fprintf(f, "ip link add %s netns %s", l->name, ns);
		plan_put_link_attrs(f, l);
		fprintf(f, " numtxqueues 1 numrxqueues 1 group %u%s type ",
		    OWN_LINK_GROUP, l->up ? " up" : "");
		plan_put_vxlan(f, &l->vxlan);
		return;
	}
	fprintf(f, "ip link add %s netns %s", l->name, ns);
	plan_put_link_attrs(f, l);
	/* Declared down: made down, and left so. */
	fprintf(f, " numtxqueues 1 numrxqueues 1 group %u%s type veth "
	    "peer name %s netns %s", OWN_LINK_GROUP, l->up ? " up" : "",
	    l->peer_name, l->peer_ns);
	if (peer) {
		plan_put_link_attrs(f, peer);
		fprintf(f, " numtxqueues 1 numrxqueues 1 group %u",
		    OWN_LINK_GROUP);
	}
}

static void
plan_put_link_set(FILE *f, const char *ns, const struct change *c)
{
	const struct ks_link	*l = c->link;
	char			 mac[20];

	fprintf(f, "ip -n %s link set dev %s", ns, l->name);
	if (c->what & NL_LINK_SET_MTU)
		fprintf(f, " mtu %u", l->mtu);
	if (c->what & NL_LINK_SET_MAC)
		fprintf(f, " address %s", ks_mac_str(l->mac, mac, sizeof(mac)));
	if (c->what & NL_LINK_SET_MASTER) {
		if (l->master[0])
			fprintf(f, " master %s", l->master);
		else
			fputs(" nomaster", f);
	}
	if (c->what & NL_LINK_SET_MARK)
		fprintf(f, " alias \"%s\" group %u", l->alias, l->group);
	if (c->what & NL_LINK_SET_UP)
		fputs(l->up ? " up" : " down", f);
}

/* The mark C raises (change.raises), as the command that sets it. */
static void
plan_put_raise(FILE *f, const struct pass *p, const struct change *c)
{
	const struct pass_ns	*pn = &p->ns[c->ns];
	unsigned		 holds = 0;
	char			 mark[KS_ALIAS_MAX];

	for (const struct change *e = p->changes; e <= c; e++)
		if (e->ns == c->ns)
			holds |= e->raises;
	if (own_mark_add_holds(pn->have.lo_alias, holds, mark, sizeof(mark)))
		fprintf(f, "ip -n %s link set lo alias \"%s\" && ", pn->name,
		    mark);
}

char *
plan_command(const struct pass *p, const struct change *c)
{
	const char	*ns = p->ns[c->ns].name;
	char		*buf = NULL, ip[INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN + 8];
	char		 mac[20], proto[RTPROTO_NAME_MAX];
	size_t		 len = 0;
	FILE		*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return NULL;
	if (c->raises)
		plan_put_raise(f, p, c);
	switch (c->kind) {
	case CH_NS_CREATE:
		fprintf(f, "ip netns add %s && ip -n %s link set lo alias "
		    "\"%s\" up", ns, ns, p->ns[c->ns].want.lo_alias);
		break;
	case CH_NS_DELETE:
		/* vrfd ends them more firmly: SIGKILL after a grace. */
		fprintf(f, "ip netns pids %s | xargs -r kill; ip netns delete %s",
		    ns, ns);
		break;
	case CH_SYSCTL:
	case CH_SYSCTL_IF:
		fprintf(f, "ip netns exec %s sysctl -qw %s=%s", ns,
		    c->sysctl->key, c->sysctl->value);
		break;
	case CH_LINK_CREATE:
		plan_put_link_create(f, p, c);
		break;
	case CH_LINK_SET:
		plan_put_link_set(f, ns, c);
		break;
	case CH_LINK_DEL:
		fprintf(f, "ip -n %s link delete dev %s", ns, c->link->name);
		break;
	case CH_ADDR_ADD:
		/* proto: iproute2 6.3 and later (IFA_PROTO, the mark). */
		fprintf(f, "ip -n %s address add %s dev %s%s proto %u", ns,
		    ks_addr_str(c->addr, a, sizeof(a)), c->addr->dev,
		    c->addr->family == AF_INET6 ? " nodad" : "",
		    c->addr->proto);
		break;
	case CH_ADDR_DEL:
		fprintf(f, "ip -n %s address delete %s dev %s", ns,
		    ks_addr_str(c->addr, a, sizeof(a)), c->addr->dev);
		break;
	case CH_ROUTE_ADD:
		plan_put_route(f, ns, "add", c->route);
		break;
	case CH_ROUTE_REPLACE:
		plan_put_route(f, ns, "replace", c->route);
		break;
	case CH_ROUTE_DEL:
		plan_put_route(f, ns, "delete", c->route);
		break;
	case CH_NEIGH_ADD:
		/* ip neigh names protocols from ip route's table. */
		fprintf(f, "ip -n %s neigh replace %s lladdr %s dev %s nud "
		    "permanent protocol %s", ns, plan_ip(c->neigh->family,
		    c->neigh->ip, ip, sizeof(ip)), ks_mac_str(c->neigh->lladdr,
		    mac, sizeof(mac)), c->neigh->dev, rtproto_name_ip(
		    c->neigh->proto, proto, sizeof(proto)));
		break;
	case CH_NEIGH_DEL:
		fprintf(f, "ip -n %s neigh delete %s dev %s", ns,
		    plan_ip(c->neigh->family, c->neigh->ip, ip, sizeof(ip)),
		    c->neigh->dev);
		break;
	case CH_QDISC_DEL:
	case CH_QDISC_SET:
		plan_qdisc_command(f, ns, c);
		break;
	case CH_KIND_COUNT:
		break;
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* What the change is about, in a few words: "route 10.8.0.0/16". */
char *
plan_object(const struct pass *p, const struct change *c)
{
	char	*s = NULL, b[INET6_ADDRSTRLEN + 16], ip[INET6_ADDRSTRLEN];
	int	 rv = -1;

	switch (c->kind) {
	case CH_NS_CREATE:
	case CH_NS_DELETE:
		rv = asprintf(&s, "namespace %s", p->ns[c->ns].name);
		break;
	case CH_SYSCTL:
	case CH_SYSCTL_IF:
		rv = asprintf(&s, "sysctl %s=%s", c->sysctl->key,
		    c->sysctl->value);
		break;
	case CH_LINK_CREATE:
		if (c->link->kind == KS_LINK_VETH)
			rv = asprintf(&s, "link %s (veth to %s:%s)",
			    c->link->name, c->link->peer_ns,
			    c->link->peer_name);
		else if (c->link->kind == KS_LINK_VXLAN)
			rv = asprintf(&s, "link %s (vxlan %u to host %s, %s)",
			    c->link->name, c->link->vxlan.vni,
			    c->link->far_host, c->link->far_node);
		else
			rv = asprintf(&s, "link %s (bridge)", c->link->name);
		break;
	case CH_LINK_SET:
	case CH_LINK_DEL:
		rv = asprintf(&s, "link %s", c->link->name);
		break;
	case CH_ADDR_ADD:
	case CH_ADDR_DEL:
		rv = asprintf(&s, "address %s dev %s",
		    ks_addr_str(c->addr, b, sizeof(b)), c->addr->dev);
		break;
	case CH_ROUTE_ADD:
	case CH_ROUTE_REPLACE:
	case CH_ROUTE_DEL:
		rv = asprintf(&s, "route %s%s%s metric %u",
		    c->route->type != RTN_UNICAST ?
		    ks_route_type_str(c->route->type) : "",
		    c->route->type != RTN_UNICAST ? " " : "",
		    ks_route_dst_str(c->route, b, sizeof(b)),
		    c->route->priority);
		break;
	case CH_NEIGH_ADD:
	case CH_NEIGH_DEL:
		rv = asprintf(&s, "neighbour %s dev %s",
		    plan_ip(c->neigh->family, c->neigh->ip, ip, sizeof(ip)),
		    c->neigh->dev);
		break;
	case CH_QDISC_DEL:
	case CH_QDISC_SET: {
		size_t	 len = 0;
		FILE	*f;

		if ((f = open_memstream(&s, &len)) == NULL)
			return NULL;
		plan_qdisc_object(f, c);
		rv = fclose(f) == 0 ? 0 : -1;
		if (rv < 0) {
			free(s);
			s = NULL;
		}
		break;
	}
	case CH_KIND_COUNT:
		break;
	}
	return rv < 0 ? NULL : s;
}

/* ---- a change as a difference ------------------------------------------ */

/* Where unicast route R goes: " via 10.1.0.2 dev eth0", or " nexthops via
 * A weight 2, via B weight 1"; a route of another type is its type. */
static void
plan_put_route_to(FILE *f, const struct ks_route *r)
{
	if (r->type != RTN_UNICAST) {
		fprintf(f, " %s", ks_route_type_str(r->type));
		return;
	}
	if (r->n_nh > 1)
		fputs(" nexthops", f);
	for (int k = 0; k < r->n_nh; k++) {
		if (k > 0)
			fputc(',', f);
		plan_put_nexthop(f, ks_nh(r, k));
		if (r->n_nh > 1)
			fprintf(f, " weight %u", ks_nh(r, k)->weight);
	}
}

static const struct ks_route *
plan_have_route(const struct ks_ns *have, const struct ks_route *w)
{
	for (size_t k = 0; k < have->n_routes; k++)
		if (ks_route_same_key(&have->routes[k], w))
			return &have->routes[k];
	return NULL;
}

/* "route 10.8.0.0/16 metric 0 via 10.1.0.3, declared via 10.1.0.1". */
static void
plan_put_route_diff(FILE *f, const struct ks_ns *have,
    const struct ks_route *w)
{
	const struct ks_route	*h = plan_have_route(have, w);
	char			 dst[INET6_ADDRSTRLEN + 8];
	char			*hs = NULL, *ws = NULL;
	size_t			 hl = 0, wl = 0;
	FILE			*hf, *wf;

	fprintf(f, "route %s metric %u", ks_route_dst_str(w, dst, sizeof(dst)),
	    w->priority);
	hf = open_memstream(&hs, &hl);
	wf = open_memstream(&ws, &wl);
	if (hf && h)
		plan_put_route_to(hf, h);
	if (wf)
		plan_put_route_to(wf, w);
	if (hf)
		fclose(hf);
	if (wf)
		fclose(wf);
	if (h == NULL || hs == NULL || ws == NULL)
		fputs(" not as declared", f);
	else if (strcmp(hs, ws) == 0)	/* the same, on a link made again */
		fprintf(f, "%s: its link is made again", ws);
	else
		fprintf(f, "%s, declared%s", hs, ws);
	free(hs);
	free(ws);
}

/* What differs in a link of vrfd's, H, from what W declares (WHAT: the
 * NL_LINK_SET_* bits diff found): "down, declared up; mtu 1400, declared
 * 1500". RUNTIME: its state is vrfctl link set's, not the file's. */
static void
plan_put_link_diff(FILE *f, const struct ks_ns *have, const struct ks_link *w,
    const struct ks_link *h, unsigned what, bool runtime)
{
	const char	*sep = " ";
	char		 a[24], b[24];

	fprintf(f, "link %s", w->name);
	if (what & NL_LINK_SET_UP) {
		fprintf(f, "%s%s, %s %s", sep, w->up ? "down" : "up",
		    runtime ? "set" : "declared", w->up ? "up" : "down");
		if (runtime)
			fputs(" by vrfctl link set", f);
		sep = "; ";
	}
	if (what & NL_LINK_SET_MTU) {
		fprintf(f, "%smtu %u, declared %u", sep, h->mtu, w->mtu);
		sep = "; ";
	}
	if (what & NL_LINK_SET_MAC) {
		fprintf(f, "%saddress %s, declared %s", sep, ks_mac_str(h->mac,
		    a, sizeof(a)), ks_mac_str(w->mac, b, sizeof(b)));
		sep = "; ";
	}
	if (what & NL_LINK_SET_MASTER) {
		const char	*m = h->master_ifindex ?
		    ks_ifname(have, h->master_ifindex) : "";

		fprintf(f, "%s%s%s, declared %s%s", sep, m[0] ? "master " :
		    "no master", m, w->master[0] ? "master " : "no master",
		    w->master);
		sep = "; ";
	}
	if (what & NL_LINK_SET_MARK)
		fprintf(f, "%salias \"%s\" group %u, declared alias \"%s\" "
		    "group %u", sep, h->alias, h->group, w->alias, w->group);
}

static void
plan_put_sysctl_diff(FILE *f, const struct ks_ns *have,
    const struct ks_sysctl *w)
{
	for (size_t k = 0; k < have->n_sysctls; k++)
		if (strcmp(have->sysctls[k].key, w->key) == 0) {
			fprintf(f, "sysctl %s is %s, declared %s", w->key,
			    have->sysctls[k].value, w->value);
			return;
		}
	fprintf(f, "sysctl %s=%s not set", w->key, w->value);
}

static void
plan_put_neigh_diff(FILE *f, const struct ks_ns *have,
    const struct ks_neigh *w)
{
	const struct ks_neigh	*h = NULL;
	char			 ip[INET6_ADDRSTRLEN], a[24], b[24];

	for (size_t k = 0; k < have->n_neighs && h == NULL; k++)
		if (ks_neigh_same_key(&have->neighs[k], w))
			h = &have->neighs[k];
	fprintf(f, "neighbour %s dev %s", plan_ip(w->family, w->ip, ip,
	    sizeof(ip)), w->dev);
	ks_mac_str(w->lladdr, b, sizeof(b));
	if (h == NULL)
		fprintf(f, " lladdr %s missing", b);
	else
		fprintf(f, " lladdr %s%s, declared %s permanent",
		    h->has_lladdr ? ks_mac_str(h->lladdr, a, sizeof(a)) :
		    "none", h->state == NUD_PERMANENT ? " permanent" :
		    " learned", b);
}

/* A link this pass makes, with nothing of vrfd's under its name yet, or
 * something that is not the declared link. */
static void
plan_put_link_made(FILE *f, const struct ks_ns *have, const struct ks_link *l)
{
	const struct ks_link	*h = ks_link_by_name(have, l->name);

	if (l->kind == KS_LINK_VETH)
		fprintf(f, "link %s (veth to %s:%s) %s", l->name, l->peer_ns,
		    l->peer_name, h ? "not paired as declared" : "missing");
	else if (l->kind == KS_LINK_VXLAN && h && h->kind == KS_LINK_VXLAN) {
		fprintf(f, "link %s (vxlan to host %s, %s) is ", l->name,
		    l->far_host, l->far_node);
		plan_put_vxlan(f, &h->vxlan);
		fputs(", declared ", f);
		plan_put_vxlan(f, &l->vxlan);
	} else if (l->kind == KS_LINK_VXLAN)
		fprintf(f, "link %s (vxlan %u to host %s, %s) %s", l->name,
		    l->vxlan.vni, l->far_host, l->far_node, h ?
		    "not a vxlan link as declared" : "missing");
	else
		fprintf(f, "link %s (bridge) %s", l->name, h ?
		    "not a bridge as declared" : "missing");
}

/*
 * The change C as a difference between what the kernel has and what the
 * file declares, as status lists them: "route 10.2.0.0/24 metric 0 via
 * 10.1.0.1 missing", "link eth1 down, declared up". A conflict is its
 * words. NULL: out of memory.
 */
char *
plan_difference(const struct pass *p, const struct change *c)
{
	const struct pass_ns	*pn = &p->ns[c->ns];
	const struct ks_link	*h;
	const struct topo_iface	*ifc;
	char			*buf = NULL, *obj = NULL;
	size_t			 len = 0;
	FILE			*f;

	if (c->conflict)
		return strdup(c->why);
	/* What a link going down takes, given back: no difference of its
	 * own, but a change the plan lists. */
	if (c->again && (obj = plan_object(p, c)) != NULL) {
		if (asprintf(&buf, "%s: dropped by the kernel as %s goes down",
		    obj, c->kind == CH_ADDR_ADD ? c->addr->dev :
		    c->neigh->dev) < 0)
			buf = NULL;
		free(obj);
		return buf;
	}
	switch (c->kind) {
	case CH_LINK_CREATE:
	case CH_LINK_SET:
	case CH_SYSCTL:
	case CH_SYSCTL_IF:
	case CH_ROUTE_REPLACE:
	case CH_NEIGH_ADD:
	case CH_QDISC_DEL:
	case CH_QDISC_SET:
		break;
	default:
		if ((obj = plan_object(p, c)) == NULL)
			return NULL;
		break;
	}
	if ((f = open_memstream(&buf, &len)) == NULL) {
		free(obj);
		return NULL;
	}
	switch (c->kind) {
	case CH_NS_CREATE:
	case CH_ADDR_ADD:
		fprintf(f, "%s missing", obj);
		break;
	case CH_ROUTE_ADD:
		fputs(obj, f);
		if (c->route->type == RTN_UNICAST)
			plan_put_route_to(f, c->route);
		fputs(" missing", f);
		break;
	case CH_ROUTE_DEL:
		fputs(obj, f);
		if (c->route->type == RTN_UNICAST)
			plan_put_route_to(f, c->route);
		fputs(" not declared", f);
		break;
	case CH_NS_DELETE:
	case CH_ADDR_DEL:
	case CH_NEIGH_DEL:
		fprintf(f, "%s not declared", obj);
		break;
	case CH_LINK_DEL:
		fprintf(f, "%s %s", obj, ks_link_by_name(&pn->want,
		    c->link->name) ? "not as declared" : "not declared");
		break;
	case CH_ROUTE_REPLACE:
		plan_put_route_diff(f, &pn->have, c->route);
		break;
	case CH_LINK_CREATE:
		plan_put_link_made(f, &pn->have, c->link);
		break;
	case CH_LINK_SET:
		/* No link yet: the settings of one this pass makes. */
		h = c->ifindex ? ks_link_by_index(&pn->have, c->ifindex) : NULL;
		ifc = pn->tns ? topo_ns_iface(pn->tns, c->link->name) : NULL;
		if (h == NULL)
			plan_put_link_made(f, &pn->have, c->link);
		else
			plan_put_link_diff(f, &pn->have, c->link, h, c->what,
			    ifc && ifc->override != TOPO_STATE_UNSET);
		break;
	case CH_SYSCTL:
	case CH_SYSCTL_IF:
		plan_put_sysctl_diff(f, &pn->have, c->sysctl);
		break;
	case CH_NEIGH_ADD:
		plan_put_neigh_diff(f, &pn->have, c->neigh);
		break;
	case CH_QDISC_DEL:
	case CH_QDISC_SET:
		plan_qdisc_difference(f, &pn->have, &pn->want, c);
		break;
	case CH_KIND_COUNT:
		break;
	}
	free(obj);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
