/*
 * trace: one packet through a lab, hop by hop, as the kernel forwards it
 * (see trace.h). Each hop, in this order, the checks the kernel's own input
 * path makes (ip_route_input_slow): the route lookup and its type, local
 * delivery, forwarding on the ingress device, then the reverse-path check
 * and the nexthop this flow hashes to; then the TTL, the egress link, and
 * who on the segment answers for the nexthop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "kernel/lookup.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"
#include "kernel/sysctl.h"
#include "trace_priv.h"

#define TRACE_TTL_DEFAULT	64
#define TRACE_HOPS_MAX		255

static const char *const trace_result_names[TRACE_NRESULTS] = {
	[TRACE_DELIVERED] = "delivered",
	[TRACE_BLACKHOLE] = "blackhole",
	[TRACE_UNREACHABLE] = "unreachable",
	[TRACE_PROHIBIT] = "prohibit",
	[TRACE_NO_ROUTE] = "no-route",
	[TRACE_NEIGH_UNRESOLVED] = "neighbour-unresolved",
	[TRACE_FORWARDING_DISABLED] = "forwarding-disabled",
	[TRACE_RP_FILTER] = "rp-filter",
	[TRACE_LOOP] = "loop",
	[TRACE_TTL_EXCEEDED] = "ttl-exceeded",
	[TRACE_LINK_DOWN] = "link-down",
	[TRACE_LEFT_LAB] = "left-lab",
	[TRACE_CROSS_HOST] = "cross-host",
	[TRACE_ERROR] = "error",
};

const char *
trace_result_str(enum trace_result r)
{
	return r < TRACE_NRESULTS ? trace_result_names[r] : "?";
}

static const char *
trace_ip_str(int family, const uint8_t *a, char *buf, size_t len)
{
	return inet_ntop(family, a, buf, (socklen_t)len) != NULL ? buf : "?";
}

static int
trace_stop(struct trace_run *tr, enum trace_result r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* End the trace with R; WHY is the one line a reader gets. */
static int
trace_stop(struct trace_run *tr, enum trace_result r, const char *fmt, ...)
{
	va_list	 ap;

	tr->out->result = r;
	va_start(ap, fmt);
	vsnprintf(tr->out->why, sizeof(tr->out->why), fmt, ap);
	va_end(ap);
	return 1;
}

struct trace_hop *
trace_hop_new(struct trace_run *tr, size_t i, const char *ingress)
{
	struct trace		*t = tr->out;
	struct trace_hop	*h;
	size_t			 n;

	if (t->n_hops == tr->alloc_hops) {
		n = tr->alloc_hops == 0 ? 8 : tr->alloc_hops * 2;
		if ((h = reallocarray(t->hops, n, sizeof(*h))) == NULL)
			return NULL;
		t->hops = h;
		tr->alloc_hops = n;
	}
	h = &t->hops[t->n_hops++];
	memset(h, 0, sizeof(*h));
	snprintf(h->node, sizeof(h->node), "%s", tr->ns[i].tns->node_name);
	snprintf(h->ns, sizeof(h->ns), "%s", tr->ns[i].tns->name);
	h->is_switch = tr->ns[i].tns->kind == TOPO_NS_SWITCH;
	snprintf(h->ingress, sizeof(h->ingress), "%s", ingress);
	return h;
}

/* The routing table's entry that an error lookup hides: the longest
 * prefix of the main table's unicast-less routes that holds DST. */
struct trace_lpm {
	int			 family;
	const uint8_t		*dst;
	struct ks_route		 best;
	bool			 found;
};

static bool
trace_prefix_has(const struct ks_route *r, const uint8_t *dst)
{
	unsigned	 bits = r->dst_len, bytes = bits / 8;

	if (memcmp(r->dst, dst, bytes) != 0)
		return false;
	if (bits % 8 == 0)
		return true;
	return ((r->dst[bytes] ^ dst[bytes]) &
	    (uint8_t)(0xff << (8 - bits % 8))) == 0;
}

static int
trace_lpm_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct trace_lpm	*m = arg;
	struct ks_route		 r;

	if (nl_route_parse(nlh, &r) < 0)
		return MNL_CB_OK;
	if (r.family == m->family && trace_prefix_has(&r, m->dst) &&
	    (!m->found || r.dst_len > m->best.dst_len ||
	    (r.dst_len == m->best.dst_len && r.priority < m->best.priority))) {
		ks_route_clear(&m->best);
		m->best = r;
		m->found = true;
	} else
		ks_route_clear(&r);
	return MNL_CB_OK;
}

static void
trace_lpm_reset(void *arg)
{
	struct trace_lpm	*m = arg;

	ks_route_clear(&m->best);
	m->found = false;
}

static void
trace_route_set(struct trace_hop *h, const struct ks_route *r,
    const struct trace_ns *n)
{
	int	 k;

	h->has_route = true;
	memcpy(h->route.dst, r->dst, sizeof(h->route.dst));
	h->route.dst_len = r->dst_len;
	h->route.type = r->type;
	h->route.protocol = r->protocol;
	h->route.table = r->table;
	h->route.metric = r->priority;
	h->n_ecmp = r->n_nh > 1 ? r->n_nh : 0;
	for (k = 0; k < h->n_ecmp; k++) {
		const struct ks_nexthop	*nh = ks_nh(r, k);

		memcpy(h->ecmp[k].gw, nh->gw, 16);
		h->ecmp[k].has_gw = nh->has_gw;
		h->ecmp[k].weight = nh->weight;
		snprintf(h->ecmp[k].dev, IFNAMSIZ, "%s",
		    ks_ifname(&n->ks, nh->ifindex));
	}
}

/* The matched entry for display when the lookup itself failed: from a
 * dump of the main table (policy rules are not followed here). */
static void
trace_route_from_table(struct trace_run *tr, struct trace_ns *n,
    struct trace_hop *h)
{
	char		 buf[256] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	struct trace_lpm m = { .family = tr->out->family,
	    .dst = tr->out->dst };

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)m.family;
	rtm->rtm_table = RT_TABLE_MAIN;
	mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
	if (nl_dump(n->sock, nlh, trace_lpm_cb, trace_lpm_reset, &m) == 0 &&
	    m.found)
		trace_route_set(h, &m.best, n);
	ks_route_clear(&m.best);
}

/* A refused lookup as a result: the errno `ip route get` would print. */
static int
trace_stop_lookup(struct trace_run *tr, struct trace_hop *h, int err,
    const char *extack)
{
	char	 dst[INET6_ADDRSTRLEN];

	trace_ip_str(tr->out->family, tr->out->dst, dst, sizeof(dst));
	switch (err) {
	case -ENETUNREACH:
		return trace_stop(tr, TRACE_NO_ROUTE, "%s has no route to %s",
		    h->node, dst);
	case -EHOSTUNREACH:
		return trace_stop(tr, TRACE_UNREACHABLE, "%s has an "
		    "unreachable route for %s", h->node, dst);
	case -EACCES:
		return trace_stop(tr, TRACE_PROHIBIT, "%s has a prohibit "
		    "route for %s", h->node, dst);
	case -EINVAL:
		if (h->has_route && h->route.type == RTN_BLACKHOLE)
			return trace_stop(tr, TRACE_BLACKHOLE, "%s drops it: "
			    "a blackhole route for %s", h->node, dst);
		break;
	case -EXDEV:
		return trace_stop(tr, TRACE_RP_FILTER, "%s drops it: the "
		    "reverse-path filter", h->node);
	}
	return trace_stop(tr, TRACE_ERROR, "%s: the kernel refused the "
	    "lookup: %s%s%s", h->node, strerror(-err),
	    extack != NULL && *extack != '\0' ? ": " : "",
	    extack != NULL ? extack : "");
}

/* A sysctl of namespace N as a number; DEF if it cannot be read. */
static int
trace_sysctl(struct trace_ns *n, const char *key, int def)
{
	char	 val[16];
	int	 saved, v = def;

	if (netns_enter(n->fd, &saved) < 0)
		return def;
	if (sysctl_read(key, val, sizeof(val)) == 0)
		v = atoi(val);
	if (netns_leave(saved) < 0)
		abort();	/* in the wrong namespace: cannot go on */
	return v;
}

/* Forwarding as the kernel checks it: IPv4 on the ingress device, IPv6
 * for the whole namespace (conf/all). KEY: the sysctl that says. */
static bool
trace_forwarding(struct trace_ns *n, int family, const char *ingress,
    char *key, size_t len)
{
	if (family == AF_INET)
		snprintf(key, len, "net.ipv4.conf.%s.forwarding", ingress);
	else
		snprintf(key, len, "net.ipv6.conf.all.forwarding");
	return trace_sysctl(n, key, 1) != 0;
}

/* Does the route back to the source, R, refuse a packet arriving on IN
 * under rp_filter RPF? */
static bool
trace_rp_route_refuses(const struct ks_route *r, int rpf,
    const struct ks_link *in)
{
	if (r->type == RTN_LOCAL)
		return false;
	if (r->type != RTN_UNICAST)
		return true;
	if (rpf != 1)
		return false;
	for (int k = 0; k < r->n_nh; k++)
		if (ks_nh(r, k)->ifindex == in->ifindex)
			return false;
	return true;
}

/*
 * Does the reverse-path filter of N refuse the packet's source, arriving
 * on IN? Kernels before 6.13 say so in the lookup's error (EXDEV); later
 * ones answer EINVAL for every source the input path refuses (a drop
 * reason turned into one errno), so the check is made again here as
 * fib_validate_source makes it: with the larger of conf/all and conf/IN
 * in force, the route back to the source must be unicast (loose, 2) and
 * leave through IN (strict, 1). A source that is the node's own is
 * refused whatever rp_filter says: a martian, not this.
 */
static bool
trace_rp_refuses(struct trace_run *tr, struct trace_ns *n,
    const struct ks_link *in)
{
	const struct trace	*t = tr->out;
	struct lookup_flow	 f = { .family = AF_INET };
	struct lookup_result	 back;
	char			 key[128];
	int			 all, dev, rpf;
	bool			 refuses;

	if (t->family != AF_INET || in == NULL || !t->has_src)
		return false;
	all = trace_sysctl(n, "net.ipv4.conf.all.rp_filter", 0);
	snprintf(key, sizeof(key), "net.ipv4.conf.%s.rp_filter", in->name);
	dev = trace_sysctl(n, key, 0);
	if ((rpf = all > dev ? all : dev) == 0)
		return false;
	memcpy(f.dst, t->src, 4);
	refuses = lookup_route(n->sock, &f, true, &back, NULL, 0) < 0 ||
	    trace_rp_route_refuses(&back.route, rpf, in);
	ks_route_clear(&back.route);
	return refuses;
}

static void
trace_flow(const struct trace_run *tr, int iif, struct lookup_flow *f)
{
	const struct trace	*t = tr->out;

	memset(f, 0, sizeof(*f));
	f->family = t->family;
	memcpy(f->dst, t->dst, 16);
	memcpy(f->src, t->src, 16);
	f->has_src = t->has_src;
	f->iif = iif;
	f->ipproto = t->proto == TOPO_PROBE_UDP ? IPPROTO_UDP :
	    t->proto == TOPO_PROBE_TCP ? IPPROTO_TCP :
	    t->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	f->sport = t->sport;
	f->dport = t->dport;
}

/*
 * One hop in namespace I, arriving on IN (NULL at the source). 0 to go on
 * to *NEXT, 1 when the trace ended, -errno when it cannot go on. FM and
 * PATH, zeroed, get the kernel's two answers (the table's entry, the
 * flow's path), read until the hop ends: trace_hop frees them.
 */
static int
trace_hop_look(struct trace_run *tr, size_t i, const struct ks_link *in,
    unsigned *ttl, struct trace_arrival *next, struct lookup_result *fm,
    struct lookup_result *path)
{
	struct trace		*t = tr->out;
	struct trace_ns		*n = &tr->ns[i];
	struct trace_hop	*h;
	struct lookup_flow	 f;
	const struct ks_nexthop	*pnh;
	const struct ks_link	*out;
	struct ks_neigh		 ne;
	const uint8_t		*nh, *mac = NULL;
	char			 extack[256], a[INET6_ADDRSTRLEN];
	char			 b[INET6_ADDRSTRLEN], key[128];
	int			 rc, k;

	if ((h = trace_hop_new(tr, i, in != NULL ? in->name : "")) == NULL)
		return -ENOMEM;

	/* The table's entry, as if sent from here: what matches. */
	trace_flow(tr, 0, &f);
	f.has_src = false;
	if ((rc = lookup_route(n->sock, &f, true, fm, extack,
	    sizeof(extack))) < 0) {
		trace_route_from_table(tr, n, h);
		return trace_stop_lookup(tr, h, rc, extack);
	}
	trace_route_set(h, &fm->route, n);
	/* What picks among ECMP nexthops: 0 the addresses, 1 the ports too
	 * (2 and 3: inner headers, or a custom set of fields). */
	if (h->n_ecmp > 0)
		h->ecmp_hash_policy = trace_sysctl(n, tr->out->family ==
		    AF_INET ? "net.ipv4.fib_multipath_hash_policy" :
		    "net.ipv6.fib_multipath_hash_policy", 0);

	/* A source given at the start must be the node's own. The kernel's
	 * answer for one that is not is ENETUNREACH, which would read as
	 * no route. */
	if (in == NULL && t->has_src && !trace_is_local(n, t->family,
	    t->src)) {
		snprintf(t->why, sizeof(t->why), "%s is not an address of %s",
		    trace_ip_str(t->family, t->src, a, sizeof(a)), h->node);
		return -EADDRNOTAVAIL;
	}

	/* The flow's own lookup: arriving on IN, or sent from here. */
	trace_flow(tr, in != NULL ? in->ifindex : 0, &f);
	if (in != NULL && fm->route.type != RTN_LOCAL &&
	    !trace_forwarding(n, t->family, in->name, key, sizeof(key)))
		return trace_stop(tr, TRACE_FORWARDING_DISABLED, "%s does not "
		    "forward: %s is 0", h->node, key);
	if ((rc = lookup_route(n->sock, &f, false, path, extack,
	    sizeof(extack))) < 0) {
		if (rc == -EXDEV || (rc == -EINVAL &&
		    trace_rp_refuses(tr, n, in)))
			return trace_stop(tr, TRACE_RP_FILTER, "%s drops it: "
			    "rp_filter finds no route back to %s through %s",
			    h->node, trace_ip_str(t->family, t->src, a,
			    sizeof(a)), in != NULL ? in->name : "?");
		return trace_stop_lookup(tr, h, rc, extack);
	}
	if (!t->has_src && path->has_prefsrc) {
		memcpy(t->src, path->prefsrc, 16);
		t->has_src = true;
	}
	if (path->route.type == RTN_LOCAL)
		return trace_stop(tr, TRACE_DELIVERED, "%s is %s's own",
		    trace_ip_str(t->family, t->dst, a, sizeof(a)), h->node);
	if (path->route.n_nh < 1)
		return trace_stop_lookup(tr, h, -EINVAL, "no nexthop");

	/* Forwarded: one TTL less; at 1 it is answered time-exceeded. */
	if (in != NULL) {
		if (*ttl <= 1)
			return trace_stop(tr, TRACE_TTL_EXCEEDED, "%s: TTL "
			    "exceeded after %zu hop%s", h->node, t->n_hops - 1,
			    t->n_hops - 1 == 1 ? "" : "s");
		(*ttl)--;
	}

	h->has_nexthop = true;
	pnh = ks_nh(&path->route, 0);
	h->nexthop.has_gw = pnh->has_gw;
	nh = h->nexthop.has_gw ? pnh->gw : t->dst;
	memcpy(h->nexthop.gw, nh, 16);
	h->nexthop.weight = 1;
	h->nexthop.chosen = true;
	out = trace_link(n, pnh->ifindex);
	snprintf(h->nexthop.dev, IFNAMSIZ, "%s", out != NULL ? out->name :
	    "?");
	snprintf(h->egress, sizeof(h->egress), "%s", h->nexthop.dev);
	for (k = 0; k < h->n_ecmp; k++)
		if (h->ecmp[k].has_gw == h->nexthop.has_gw &&
		    (!h->ecmp[k].has_gw || memcmp(h->ecmp[k].gw,
		    pnh->gw, 16) == 0) &&
		    strcmp(h->ecmp[k].dev, h->nexthop.dev) == 0)
			h->ecmp[k].chosen = true;
	if (out == NULL)
		return trace_stop(tr, TRACE_ERROR, "%s: egress ifindex %d is "
		    "gone", h->node, pnh->ifindex);
	/* Operationally up, for a veth: its peer is up and the kernel has
	 * finished bringing it up. Other kinds are judged by IFF_UP alone:
	 * the loopback's operstate is UNKNOWN, never UP. */
	if (!out->up || (out->kind == KS_LINK_VETH && !out->running))
		return trace_stop(tr, TRACE_LINK_DOWN, "%s: %s is down%s",
		    h->node, out->name, out->up ? " (no carrier: its peer "
		    "is down)" : "");
	/*
	 * A route through the loopback for an address that is not (or not
	 * yet: an IPv6 address before its DAD work has run) local. IPv4
	 * sends it out and it comes back in here, on lo. IPv6 keeps such a
	 * route as a reject route (fib6_is_reject): the lookup answers as
	 * for any unicast route, the packet is discarded and its sender
	 * told "no route", as by an unreachable route.
	 */
	if (out->kind == KS_LINK_LO) {
		if (t->family == AF_INET6)
			return trace_stop(tr, TRACE_UNREACHABLE, "%s: its route "
			    "for %s leads into lo, and %s is not its own: the "
			    "kernel rejects it", h->node, trace_ip_str(t->family,
			    t->dst, a, sizeof(a)), a);
		next->ns = (ssize_t)i;
		next->link = out;
		return 0;
	}

	if (lookup_neigh(n->sock, t->family, nh, out->ifindex, &ne) == 0) {
		h->has_neigh = true;
		snprintf(h->neigh_state, sizeof(h->neigh_state), "%s",
		    lookup_nud_str(ne.state));
		h->neigh_has_lladdr = ne.has_lladdr;
		memcpy(h->neigh_lladdr, ne.lladdr, 6);
		/* A static entry sends to its MAC, whoever has the IP. */
		if ((ne.state & (NUD_PERMANENT | NUD_NOARP)) && ne.has_lladdr)
			mac = h->neigh_lladdr;
	}
	if (out->kind == KS_LINK_VXLAN)
		return trace_stop_cross(tr, i, out);
	if ((rc = trace_cross(tr, i, out, nh, mac, next)) < 0)
		return rc;
	if (next->ns >= 0)
		return 0;
	if (next->cross != NULL)
		return trace_stop_cross(tr, next->cross_ns, next->cross);
	if (trace_peer_ns(tr, i, out) < 0)
		return trace_stop(tr, TRACE_LEFT_LAB, "%s: %s leads out of "
		    "the lab", h->node, out->name);
	trace_ip_str(t->family, nh, b, sizeof(b));
	if (mac != NULL)
		return trace_stop(tr, TRACE_NEIGH_UNRESOLVED, "%s: the static "
		    "neighbour entry for %s names a MAC nobody on %s's "
		    "segment has", h->node, b, out->name);
	return trace_stop(tr, TRACE_NEIGH_UNRESOLVED, "%s: nobody on %s's "
	    "segment owns the nexthop %s", h->node, out->name, b);
}

static int
trace_hop(struct trace_run *tr, size_t i, const struct ks_link *in,
    unsigned *ttl, struct trace_arrival *next)
{
	struct lookup_result	 fm, path;
	int			 rc;

	memset(&fm, 0, sizeof(fm));
	memset(&path, 0, sizeof(path));
	rc = trace_hop_look(tr, i, in, ttl, next, &fm, &path);
	ks_route_clear(&fm.route);
	ks_route_clear(&path.route);
	return rc;
}

static int
trace_setup(struct trace_run *tr, const struct trace_req *req,
    struct trace *out, ssize_t *start)
{
	const struct topo_ns	*tns;
	size_t			 i;

	memset(out, 0, sizeof(*out));
	memset(tr, 0, sizeof(*tr));
	tr->req = req;
	tr->out = out;
	out->result = TRACE_ERROR;
	out->family = req->dst.family;
	memcpy(out->dst, req->dst.addr, 16);
	if (req->src.family != 0) {
		if (req->src.family != req->dst.family) {
			snprintf(out->why, sizeof(out->why), "the source and "
			    "the destination are not of one family");
			return -EINVAL;
		}
		memcpy(out->src, req->src.addr, 16);
		out->has_src = true;
	}
	out->proto = req->proto;
	out->sport = req->sport;
	out->dport = req->dport;
	if ((tns = topo_ns_by_node(req->topo, req->node)) == NULL) {
		snprintf(out->why, sizeof(out->why), "no node '%s' in lab %s",
		    req->node, req->topo->lab);
		return -ENOENT;
	}
	if (tns->remote) {
		snprintf(out->why, sizeof(out->why), "%s is on host %s: trace "
		    "it there", req->node, req->topo->hosts[tns->host].name);
		return -EREMOTE;
	}
	tr->n_ns = req->topo->n_ns;
	if ((tr->ns = calloc(tr->n_ns, sizeof(*tr->ns))) == NULL)
		return -ENOMEM;
	for (i = 0; i < tr->n_ns; i++) {
		tr->ns[i].tns = &req->topo->ns[i];
		tr->ns[i].fd = -1;
		snprintf(tr->ns[i].ks.name, sizeof(tr->ns[i].ks.name), "%s",
		    req->topo->ns[i].name);
	}
	*start = tns - req->topo->ns;
	return 0;
}

int
trace_run(const struct trace_req *req, struct trace *out)
{
	struct trace_run	 tr;
	struct trace_arrival	 next = { .ns = -1 };
	const struct ks_link	*in = NULL;
	struct {
		size_t		 ns;
		int		 ifindex;
	}			*seen = NULL;
	size_t			 n_seen = 0, i, k;
	ssize_t			 cur;
	unsigned		 ttl = req->ttl > 0 ? req->ttl :
				    TRACE_TTL_DEFAULT;
	int			 rc;

	if ((rc = trace_setup(&tr, req, out, &cur)) < 0)
		goto done;
	if ((seen = calloc(TRACE_HOPS_MAX, sizeof(*seen))) == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	for (;;) {
		i = (size_t)cur;
		if ((rc = trace_ns_load(&tr, i)) < 0) {
			snprintf(out->why, sizeof(out->why), "%s: namespace "
			    "%s: %s", tr.ns[i].tns->node_name,
			    tr.ns[i].tns->name, strerror(-rc));
			goto done;
		}
		/* The same namespace, entered the same way: a loop. */
		for (k = 0; k < n_seen; k++)
			if (seen[k].ns == i && seen[k].ifindex ==
			    (in != NULL ? in->ifindex : 0))
				break;
		if (k < n_seen) {
			trace_stop(&tr, TRACE_LOOP, "back at %s, as at hop "
			    "%zu: a routing loop", tr.ns[i].tns->node_name,
			    k + 1);
			if (trace_hop_new(&tr, i, in != NULL ? in->name : "")
			    == NULL)
				rc = -ENOMEM;
			break;
		}
		if (n_seen == TRACE_HOPS_MAX) {
			trace_stop(&tr, TRACE_TTL_EXCEEDED, "more than %d "
			    "hops", TRACE_HOPS_MAX);
			break;
		}
		seen[n_seen].ns = i;
		seen[n_seen++].ifindex = in != NULL ? in->ifindex : 0;
		if ((rc = trace_hop(&tr, i, in, &ttl, &next)) != 0)
			break;
		cur = next.ns;
		in = next.link;
	}
	if (rc > 0)
		rc = 0;
done:
	free(seen);
	for (i = 0; tr.ns != NULL && i < tr.n_ns; i++) {
		nl_close(tr.ns[i].sock);
		if (tr.ns[i].fd >= 0)
			close(tr.ns[i].fd);
		ks_ns_clear(&tr.ns[i].ks);
	}
	free(tr.ns);
	return rc;
}

bool
trace_reply_req(const struct trace *fwd, const struct topo *topo,
    struct trace_req *rev)
{
	if (fwd->result != TRACE_DELIVERED || fwd->n_hops == 0 ||
	    !fwd->has_src)
		return false;
	memset(rev, 0, sizeof(*rev));
	rev->topo = topo;
	rev->node = fwd->hops[fwd->n_hops - 1].node;
	rev->dst.family = rev->src.family = fwd->family;
	memcpy(rev->dst.addr, fwd->src, 16);
	memcpy(rev->src.addr, fwd->dst, 16);
	rev->proto = fwd->proto;
	rev->sport = fwd->dport;
	rev->dport = fwd->sport;
	return true;
}

void
trace_free(struct trace *t)
{
	free(t->hops);
	t->hops = NULL;
	t->n_hops = 0;
}
