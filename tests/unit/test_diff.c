/*
 * test_diff: the diff and the plan on fixture snapshots, with no kernel.
 *
 * For each case NAME in tests/data/diff/:
 *   NAME.old.yaml  what the kernel has: compiled, then made to look as
 *                  observe.c would read it back (ifindexes, veth peers,
 *                  masters, the kernel's own addresses and connected
 *                  routes, no create-only sysctls);
 *   NAME.new.yaml  what the file now says (the pass's "want");
 *   NAME.plan      the expected plan: each change as plan_command(), in
 *                  plan_sort() order, a conflict marked "CONFLICT ... #
 *                  why", then the foreign objects the diff listed, then
 *                  each change as the difference status says it mends
 *                  (plan_difference()).
 * Some cases change the observed side by hand before the diff (drift,
 * foreign objects): see the hooks below.
 *
 * The pass is built by hand: no pass_init, no pass_observe, no kernel.
 *
 * The .plan files are specifications, not snapshots: a plan that differs
 * fails, and what the diff says now is left in build/diff/NAME.plan.got.
 * Changing a specification is a reviewed change of its own: read
 * `diff -u tests/data/diff/NAME.plan build/diff/NAME.plan.got` line by
 * line, then copy it over (tests/data/diff/README).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "check.h"
#include "fault.h"
#include "topo/diag.h"
#include "kernel/kdigest.h"
#include "kernel/kstate.h"
#include "kernel/nl_codec.h"
#include "kernel/own.h"
#include "kernel/rtproto.h"
#include "engine/pass.h"
#include "topo/topo.h"

#define DIFF_DIR	"tests/data/diff/"

/* IFA_PROTO values of the kernel's own addresses (linux/if_addr.h 6.1+) */
#define T_IFAPROT_KERNEL_LO	1
#define T_IFAPROT_KERNEL_LL	3

/* ---- loading -------------------------------------------------------- */

static struct topo *
load(const char *path)
{
	struct diag_list	 dl = { 0 };
	struct topo		*t;

	if ((t = topo_load(path, &dl)) != NULL)
		topo_check(t, &dl);
	if (t == NULL || dl.n_errors) {
		printf("  %s: does not load:\n", path);
		diag_print(&dl, stdout);
		topo_free(t);
		t = NULL;
	}
	diag_list_free(&dl);
	return t;
}

static char *
read_text(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)))
		len = fread(buf, 1, (size_t)n, f);
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

/* ---- the pass, by hand ------------------------------------------------ */

static struct pass_ns *
ns_add(struct pass *p, const char *name)
{
	struct pass_ns	*pn;

	if ((pn = pass_ns_new(p, name)) == NULL)
		abort();
	pn->observed = true;
	return pn;
}

static struct pass_ns *
ns_get(struct pass *p, const char *name)
{
	for (size_t i = 0; i < p->n_ns; i++)
		if (strcmp(p->ns[i].name, name) == 0)
			return &p->ns[i];
	return NULL;
}

static size_t
alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void
mask(uint8_t *a, unsigned plen, int family)
{
	for (unsigned bit = plen; bit < alen(family) * 8; bit++)
		a[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
}

static bool
in_prefix(const struct ks_addr *a, int family, const uint8_t *ip)
{
	uint8_t	 x[16], y[16];

	if (a->family != family)
		return false;
	memcpy(x, a->addr, 16);
	memcpy(y, ip, 16);
	mask(x, a->plen, family);
	mask(y, a->plen, family);
	return memcmp(x, y, alen(family)) == 0;
}

static int
ifindex_of(const struct ks_ns *ns, const char *dev)
{
	const struct ks_link	*l = ks_link_by_name(ns, dev);

	return l ? l->ifindex : 0;
}

static void
kernel_route(struct ks_ns *ns, int family, const uint8_t *dst,
    unsigned plen, const char *dev)
{
	struct ks_route	*r = ks_route_add(ns);
	struct ks_nexthop *nh;

	r->family = family;
	memcpy(r->dst, dst, 16);
	mask(r->dst, plen, family);
	r->dst_len = (uint8_t)plen;
	r->type = RTN_UNICAST;
	r->protocol = RTPROT_KERNEL;
	r->scope = family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	r->table = RT_TABLE_MAIN;
	r->priority = family == AF_INET6 ? 256 : 0;
	nh = ks_route_nh_add(r);
	snprintf(nh->dev, sizeof(nh->dev), "%s", dev);
	nh->ifindex = ifindex_of(ns, dev);
	nh->weight = 1;
}

static void
kernel_addr(struct ks_ns *ns, int family, const char *ip, unsigned plen,
    const char *dev, uint8_t scope, uint8_t proto)
{
	struct ks_addr	*a = ks_addr_add(ns);

	a->family = family;
	inet_pton(family, ip, a->addr);
	a->plen = (uint8_t)plen;
	snprintf(a->dev, sizeof(a->dev), "%s", dev);
	a->ifindex = ifindex_of(ns, dev);
	a->scope = scope;
	a->proto = proto;
	a->flags = IFA_F_PERMANENT;
}

/*
 * What observe.c reads back from a namespace that holds exactly HAVE (a
 * compiled state), as the kernel would store it (an IPv6 route without
 * metric has 1024, a lone nexthop no weight): links numbered (lo is 1),
 * up or down as compiled, with an MTU; addresses
 * and neighbours on ifindexes; nexthops resolved to the device of their
 * gateway's subnet; the kernel's own objects added (loopback addresses,
 * IPv6 link-locals, connected routes); create-only sysctls not read.
 * Veth peers are linked by observe_peers() once every namespace has its
 * indexes.
 */
static void
observe_like(struct ks_ns *h)
{
	size_t	 n_addrs = h->n_addrs, k;
	int	 next = 2;
	char	 ll[64];

	for (k = 0; k < h->n_links; k++) {
		struct ks_link	*l = &h->links[k];

		l->ifindex = l->kind == KS_LINK_LO ? 1 : next++;
		if (l->kind == KS_LINK_LO) {
			l->mtu = 65536;
			l->has_mac = true;
			memset(l->mac, 0, 6);
		} else if (l->mtu == 0)
			l->mtu = 1500;
	}
	for (k = 0; k < h->n_links; k++) {
		struct ks_link	*l = &h->links[k];

		l->master_ifindex = l->master[0] ?
		    ifindex_of(h, l->master) : 0;
	}
	h->exists = true;
	kernel_addr(h, AF_INET, "127.0.0.1", 8, "lo", RT_SCOPE_HOST,
	    T_IFAPROT_KERNEL_LO);
	kernel_addr(h, AF_INET6, "::1", 128, "lo", RT_SCOPE_HOST,
	    T_IFAPROT_KERNEL_LO);
	for (k = 0; k < h->n_links; k++) {
		const struct ks_link	*l = &h->links[k];

		if (l->kind == KS_LINK_LO || l->master[0])
			continue;
		snprintf(ll, sizeof(ll), "fe80::%d", l->ifindex);
		kernel_addr(h, AF_INET6, ll, 64, l->name, RT_SCOPE_LINK,
		    T_IFAPROT_KERNEL_LL);
		kernel_route(h, AF_INET6, h->addrs[h->n_addrs - 1].addr, 64,
		    l->name);
	}
	for (k = 0; k < n_addrs; k++) {
		struct ks_addr	*a = &h->addrs[k];

		a->ifindex = ifindex_of(h, a->dev);
		a->flags = IFA_F_PERMANENT |
		    (a->family == AF_INET6 ? IFA_F_NODAD : 0);
		if (a->plen < alen(a->family) * 8 || a->family == AF_INET6)
			kernel_route(h, a->family, a->addr, a->plen, a->dev);
	}
	for (k = 0; k < h->n_routes; k++) {
		struct ks_route	*r = &h->routes[k];

		/* what the kernel keeps: IPv6 metric 0 is 1024; a lone
		 * nexthop has no weight */
		if (r->family == AF_INET6 && r->priority == 0)
			r->priority = 1024;
		if (r->n_nh == 1)
			ks_nh(r, 0)->weight = 1;
		for (int j = 0; j < r->n_nh; j++) {
			struct ks_nexthop	*nh = ks_nh(r, j);

			for (size_t m = 0; nh->has_gw && !nh->dev[0] &&
			    m < h->n_addrs; m++)
				if (h->addrs[m].scope == RT_SCOPE_UNIVERSE &&
				    in_prefix(&h->addrs[m], nh->gw_family ?
				    nh->gw_family : r->family, nh->gw))
					snprintf(nh->dev, sizeof(nh->dev),
					    "%s", h->addrs[m].dev);
			nh->ifindex = ifindex_of(h, nh->dev);
		}
	}
	for (k = 0; k < h->n_neighs; k++)
		h->neighs[k].ifindex = ifindex_of(h, h->neighs[k].dev);
	for (k = 0; k < h->n_qdiscs; k++)
		h->qdiscs[k].ifindex = ifindex_of(h, h->qdiscs[k].dev);
	for (k = 0; k < h->n_sysctls; k++)
		if (h->sysctls[k].create_only) {
			h->sysctls[k--] = h->sysctls[--h->n_sysctls];
		}
}

/* Each veth end learns its peer's index and whether it is elsewhere; the
 * names of the far end are not in a dump. */
static void
observe_peers(struct pass *p)
{
	for (size_t i = 0; i < p->n_ns; i++) {
		struct ks_ns	*h = &p->ns[i].have;

		for (size_t k = 0; k < h->n_links; k++) {
			struct ks_link	*l = &h->links[k];
			struct pass_ns	*far;
			struct ks_link	*f;

			if (l->kind != KS_LINK_VETH)
				continue;
			if ((far = ns_get(p, l->peer_ns)) != NULL &&
			    (f = ks_link_by_name(&far->have,
			    l->peer_name)) != NULL) {
				l->peer_ifindex = f->ifindex;
				l->peer_nsid = far == &p->ns[i] ? -1 :
				    (int)(far - p->ns);
			}
		}
	}
	for (size_t i = 0; i < p->n_ns; i++) {
		struct ks_ns	*h = &p->ns[i].have;

		for (size_t k = 0; k < h->n_links; k++) {
			h->links[k].peer_ns[0] = '\0';
			h->links[k].peer_name[0] = '\0';
			h->links[k].primary = false;
		}
	}
}

/*
 * The pass as pass_init and pass_observe would leave it: the namespaces
 * NEW declares, in its order, then those only OLD had (the lab's, no
 * longer declared). A namespace of OLD exists, with OLD's objects.
 */
static int
build_pass(struct pass *p, const struct topo *old, const struct topo *new)
{
	int	 rv;

	memset(p, 0, sizeof(*p));
	p->topo = new;
	snprintf(p->lab, sizeof(p->lab), "%s", new->lab);
	for (size_t i = 0; i < new->n_ns; i++) {
		struct pass_ns	*pn = ns_add(p, new->ns[i].name);

		pn->tns = &new->ns[i];
		snprintf(pn->node, sizeof(pn->node), "%s",
		    new->ns[i].node_name);
		if ((rv = compile_ns(new, &new->ns[i], &pn->want)) < 0)
			return rv;
	}
	for (size_t i = 0; i < old->n_ns; i++) {
		struct pass_ns	*pn = ns_get(p, old->ns[i].name);

		if (pn == NULL) {
			pn = ns_add(p, old->ns[i].name);
			snprintf(pn->node, sizeof(pn->node), "%s",
			    old->ns[i].node_name);
		}
		pn->found = PASS_FOUND_OURS;
		if ((rv = compile_ns(old, &old->ns[i], &pn->have)) < 0)
			return rv;
		observe_like(&pn->have);
	}
	observe_peers(p);
	return 0;
}

/*
 * CMD as on a host where ip has no name for vrfd's protocol: where
 * conf/rt_protos.d/vrfd.conf is installed, plan's commands say "proto
 * vrfd" (rtproto.h), and the .plan files hold the number.
 */
static void
unname_proto(char *cmd)
{
	char	 name[RTPROTO_NAME_MAX], num[RTPROTO_NAME_MAX], word[48];
	char	*at;
	size_t	 n;

	rtproto_name_ip(VRFD_PROTO, name, sizeof(name));
	snprintf(num, sizeof(num), "%u", VRFD_PROTO);
	if (strcmp(name, num) == 0)
		return;
	for (const char *kw = "proto "; kw; kw = strcmp(kw, "proto ") == 0 ?
	    "protocol " : NULL) {
		snprintf(word, sizeof(word), " %s%s", kw, name);
		n = strlen(word);
		while ((at = strstr(cmd, word)) != NULL &&
		    (at[n] == ' ' || at[n] == '\0')) {
			/* the number is no longer than the name */
			at += n - strlen(name);
			memmove(at + strlen(num), at + strlen(name),
			    strlen(at + strlen(name)) + 1);
			memcpy(at, num, strlen(num));
		}
	}
}

/* The plan as text: what the .plan files hold. */
static char *
render(struct pass *p)
{
	char	*buf = NULL, *cmd, *words;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	for (size_t k = 0; k < p->n_changes; k++) {
		const struct change	*c = &p->changes[k];
		char			*obj = plan_object(p, c);

		cmd = plan_command(p, c);
		CHECK(cmd != NULL && obj != NULL);
		if (cmd)
			unname_proto(cmd);
		if (c->conflict)
			fprintf(f, "CONFLICT %s # %s\n", cmd ? cmd : "?",
			    c->why);
		else
			fprintf(f, "%s\n", cmd ? cmd : "?");
		free(cmd);
		free(obj);
	}
	for (size_t i = 0; i < p->n_ns; i++)
		for (size_t k = 0; k < p->ns[i].n_foreign; k++)
			fprintf(f, "foreign %s: %s %s\n", p->ns[i].name,
			    p->ns[i].foreign[k].kind, p->ns[i].foreign[k].what);
	for (size_t k = 0; k < p->n_changes; k++) {
		words = plan_difference(p, &p->changes[k]);
		CHECK(words != NULL);
		fprintf(f, "difference %s: %s\n",
		    p->ns[p->changes[k].ns].name, words ? words : "?");
		free(words);
	}
	fclose(f);
	return buf;
}

/* Print where GOT and WANT part, a line of each. */
static void
show_difference(const char *name, const char *got, const char *want)
{
	unsigned	 line = 1;
	const char	*g = got, *w = want;

	while (*g && *g == *w) {
		if (*g == '\n') {
			line++;
			got = g + 1;
			want = w + 1;
		}
		g++;
		w++;
	}
	printf("  %s.plan:%u: expected: %.*s\n", name, line,
	    (int)strcspn(want, "\n"), *want ? want : "(end)");
	printf("  %s.plan:%u:      got: %.*s\n", name, line,
	    (int)strcspn(got, "\n"), *got ? got : "(end)");
}

/* ---- hand-made kernel state -------------------------------------------- */

static struct ks_route *
have_route(struct pass *p, const char *ns, const char *dst, unsigned plen,
    uint8_t proto)
{
	struct ks_ns	*h = &ns_get(p, ns)->have;
	struct ks_route	*r = ks_route_add(h);

	r->family = strchr(dst, ':') ? AF_INET6 : AF_INET;
	inet_pton(r->family, dst, r->dst);
	r->dst_len = (uint8_t)plen;
	r->type = RTN_UNICAST;
	r->protocol = proto;
	r->table = RT_TABLE_MAIN;
	r->priority = r->family == AF_INET6 ? 1024 : 0;
	return r;
}

static void
route_via(struct pass *p, const char *ns, struct ks_route *r, const char *gw,
    const char *dev)
{
	struct ks_nexthop	*nh = ks_route_nh_add(r);

	nh->has_gw = true;
	nh->gw_family = r->family;
	inet_pton(r->family, gw, nh->gw);
	snprintf(nh->dev, sizeof(nh->dev), "%s", dev);
	nh->ifindex = ifindex_of(&ns_get(p, ns)->have, dev);
	nh->weight = 1;
}

static void
drift_mtu(struct pass *p)
{
	ks_link_by_name(&ns_get(p, "diff-r1")->have, "eth0")->mtu = 1400;
}

/* Someone else's routes where ours should be: same key (proto 42 on
 * 10.9.0.0/16 metric 0), and the same prefix with another metric. */
static void
foreign_conflict(struct pass *p)
{
	struct ks_ns	*h = &ns_get(p, "diff-r1")->have;
	struct ks_route	*r;

	for (size_t k = 0; k < h->n_routes; k++)
		if (h->routes[k].protocol == VRFD_PROTO &&
		    h->routes[k].dst_len == 16 && h->routes[k].dst[1] == 9)
			h->routes[k].protocol = 42;
	r = have_route(p, "diff-r1", "10.7.0.0", 16, 42);
	r->priority = 100;
	route_via(p, "diff-r1", r, "10.0.0.2", "eth0");
}

static void
foreign_kept(struct pass *p)
{
	struct ks_ns	*h = &ns_get(p, "diff-r1")->have;
	struct ks_route	*r;
	struct ks_link	*l;
	struct ks_neigh	*n;

	/* `ip route add ... proto 42` and plain `ip route add` (boot) */
	r = have_route(p, "diff-r1", "10.42.0.0", 16, 42);
	route_via(p, "diff-r1", r, "10.0.0.2", "eth0");
	r = have_route(p, "diff-r1", "10.3.0.0", 16, RTPROT_BOOT);
	route_via(p, "diff-r1", r, "10.0.1.2", "eth1");
	r = have_route(p, "diff-r1", "2001:db8:42::", 48, RTPROT_STATIC);
	route_via(p, "diff-r1", r, "2001:db8::2", "eth0");
	/* our protocol, but through a nexthop object: not made by vrfd */
	r = have_route(p, "diff-r1", "10.5.0.0", 16, VRFD_PROTO);
	r->nhid = 7;
	route_via(p, "diff-r1", r, "10.0.0.2", "eth0");
	/* foreign route types are foreign too */
	r = have_route(p, "diff-r1", "203.0.113.0", 24, RTPROT_BOOT);
	r->type = RTN_BLACKHOLE;
	/* an address added by hand (IFA_PROTO 0) on our link */
	kernel_addr(h, AF_INET, "10.0.0.100", 24, "eth0", RT_SCOPE_UNIVERSE, 0);
	kernel_addr(h, AF_INET6, "2001:db8::100", 64, "eth0",
	    RT_SCOPE_UNIVERSE, 0);
	/* a permanent neighbour of someone else's; a learned one */
	n = ks_neigh_add(h);
	n->family = AF_INET;
	inet_pton(AF_INET, "10.0.0.77", n->ip);
	n->has_lladdr = true;
	memcpy(n->lladdr, "\x02\x00\x00\x00\x00\x77", 6);
	snprintf(n->dev, sizeof(n->dev), "eth0");
	n->ifindex = ifindex_of(h, "eth0");
	n->state = NUD_PERMANENT;
	n = ks_neigh_add(h);
	n->family = AF_INET;
	inet_pton(AF_INET, "10.0.1.2", n->ip);
	n->has_lladdr = true;
	snprintf(n->dev, sizeof(n->dev), "eth1");
	n->ifindex = ifindex_of(h, "eth1");
	n->state = NUD_REACHABLE;
	n->proto = 0;
	/* a dummy without alias, a veth of another lab (prefix of ours) */
	l = ks_link_add(h);
	snprintf(l->name, sizeof(l->name), "dummy0");
	l->ifindex = 40;
	l->kind = KS_LINK_OTHER;
	l->mtu = 1500;
	l->up = true;
	kernel_addr(h, AF_INET, "192.168.77.1", 24, "dummy0",
	    RT_SCOPE_UNIVERSE, 0);
	l = ks_link_add(h);
	snprintf(l->name, sizeof(l->name), "veth9");
	l->ifindex = 41;
	l->kind = KS_LINK_VETH;
	l->mtu = 1500;
	l->up = true;
	snprintf(l->alias, sizeof(l->alias), "vrfd lab=diff2");
	l->peer_ifindex = 2;
	l->peer_nsid = 9;
}

/* Root qdiscs of someone else's (handles the kernel gives), and the
 * kernel's own default one (handle 0:). */
static struct ks_qdisc *
have_qdisc(struct pass *p, const char *ns, const char *dev, uint32_t handle,
    const char *kind)
{
	struct ks_ns	*h = &ns_get(p, ns)->have;
	struct ks_qdisc	*q = ks_qdisc_add(h);

	snprintf(q->dev, sizeof(q->dev), "%s", dev);
	q->ifindex = ifindex_of(h, dev);
	q->parent = TC_H_ROOT;
	q->handle = handle;
	snprintf(q->kind_name, sizeof(q->kind_name), "%s", kind);
	q->kind = strcmp(kind, "tbf") == 0 ? KS_QDISC_TBF : KS_QDISC_OTHER;
	return q;
}

static void
foreign_qdisc(struct pass *p)
{
	have_qdisc(p, "diff-r1", "eth0", 0x80010000, "tbf")->tbf.rate = 1000;
	have_qdisc(p, "diff-r1", "eth1", 0x00010000, "htb");
	have_qdisc(p, "diff-r2", "eth0", 0, "noqueue");
	have_qdisc(p, "diff-r2", "lo", 0x80020000, "tbf");	/* not a link's */
}

/* ---- the cases ----------------------------------------------------------- */

struct diff_case {
	const char	*name;
	void		(*hook)(struct pass *);	/* on the observed side */
};

static const struct diff_case cases[] = {
	{ "converged",		NULL },
	{ "route-added",	NULL },
	{ "route-removed",	NULL },
	{ "route-changed",	NULL },
	{ "route-type",		NULL },
	{ "ecmp-weight",	NULL },
	{ "addr-removed",	NULL },
	{ "neigh-changed",	NULL },
	{ "router-removed",	NULL },
	{ "new-link",		NULL },
	{ "switch-port",	NULL },
	{ "mtu-drift",		drift_mtu },
	{ "foreign-conflict",	foreign_conflict },
	{ "foreign-kept",	foreign_kept },
	{ "link-down",		NULL },
	{ "link-up",		NULL },
	{ "iface-down",		NULL },
	{ "impair-added",	NULL },
	{ "impair-changed",	NULL },
	{ "impair-foreign",	foreign_qdisc },
	{ "hosts-converged",	NULL },
	{ "hosts-moved",	NULL },
	{ "hosts-vni",		NULL },
	{ "many-changed",	NULL },
};

/* Diff OLD against NEW (with HOOK on the observed side); the plan text,
 * or NULL. */
static char *
plan_of(const char *old_path, const char *new_path,
    void (*hook)(struct pass *), size_t *n_changes)
{
	struct topo	*old = load(old_path), *new = load(new_path);
	struct pass	 p;
	char		*text = NULL;

	memset(&p, 0, sizeof(p));
	CHECK(old != NULL && new != NULL);
	if (old == NULL || new == NULL)
		goto out;
	CHECK_INTEQ(build_pass(&p, old, new), 0);
	if (hook)
		hook(&p);
	CHECK_INTEQ(diff_pass(&p), 0);
	CHECK_INTEQ(plan_sort(&p), 0);
	/* plan order: the stages never go backwards */
	for (size_t k = 1; k < p.n_changes; k++)
		CHECK(plan_stage(p.changes[k - 1].kind) <=
		    plan_stage(p.changes[k].kind));
	text = render(&p);
	if (n_changes)
		*n_changes = p.n_changes;
out:
	pass_free(&p);
	topo_free(old);
	topo_free(new);
	return text;
}

/* What the diff says now, for a person to compare with GOLDEN. */
static void
keep_got(const char *name, const char *golden, const char *got)
{
	char	 path[256];
	FILE	*f;

	(void)mkdir("build", 0755);
	(void)mkdir("build/diff", 0755);
	snprintf(path, sizeof(path), "build/diff/%s.plan.got", name);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs(got, f);
	fclose(f);
	printf("  review: diff -u %s %s\n", golden, path);
}

static void
run_case(const struct diff_case *dc)
{
	char	 old[256], new[256], golden[256], *got, *want;

	snprintf(old, sizeof(old), DIFF_DIR "%s.old.yaml", dc->name);
	snprintf(new, sizeof(new), DIFF_DIR "%s.new.yaml", dc->name);
	snprintf(golden, sizeof(golden), DIFF_DIR "%s.plan", dc->name);
	if ((got = plan_of(old, new, dc->hook, NULL)) == NULL)
		return;
	want = read_text(golden);
	if (want == NULL) {
		printf("  %s: cannot read\n", golden);
		check_failed_now = 1;
	} else if (strcmp(got, want) != 0) {
		show_difference(dc->name, got, want);
		keep_got(dc->name, golden, got);
		check_failed_now = 1;
	}
	free(got);
	free(want);
}

#define CASE(fn, idx)							\
static void								\
fn(void)								\
{									\
	run_case(&cases[idx]);						\
}
CASE(diff_converged, 0)
CASE(diff_route_added, 1)
CASE(diff_route_removed, 2)
CASE(diff_route_changed, 3)
CASE(diff_route_type, 4)
CASE(diff_ecmp_weight, 5)
CASE(diff_addr_removed, 6)
CASE(diff_neigh_changed, 7)
CASE(diff_router_removed, 8)
CASE(diff_new_link, 9)
CASE(diff_switch_port, 10)
CASE(diff_mtu_drift, 11)
CASE(diff_foreign_conflict, 12)
CASE(diff_foreign_kept, 13)
CASE(diff_link_down, 14)
CASE(diff_link_up, 15)
CASE(diff_iface_down, 16)
CASE(diff_impair_added, 17)
CASE(diff_impair_changed, 18)
CASE(diff_impair_foreign, 19)
CASE(diff_hosts_converged, 20)
CASE(diff_hosts_moved, 21)
CASE(diff_hosts_vni, 22)
CASE(diff_many_changed, 23)

/* Every fixture's new state, once the kernel has it, diffs to nothing:
 * what compile says and what observe would read back agree. */
static void
diff_every_new_converges(void)
{
	char	 path[256], *got;
	size_t	 n;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		snprintf(path, sizeof(path), DIFF_DIR "%s.new.yaml",
		    cases[k].name);
		n = 99;
		if ((got = plan_of(path, path, NULL, &n)) == NULL)
			continue;
		if (n != 0 || got[0] != '\0') {
			printf("  %s: %zu changes against itself:\n%s", path,
			    n, got);
			check_failed_now = 1;
		}
		free(got);
	}
}

/* Changes of the pass in namespace NAME (and, in *PEER, those that would
 * put a link's far end there; *PEER_CONFLICTS of them conflicts). */
static size_t
changes_in(const struct pass *p, const char *name, size_t *peer,
    size_t *peer_conflicts)
{
	size_t	 n = 0;

	*peer = *peer_conflicts = 0;
	for (size_t k = 0; k < p->n_changes; k++) {
		const struct change *c = &p->changes[k];

		if (strcmp(p->ns[c->ns].name, name) == 0)
			n++;
		if (c->peer_ns != c->ns &&
		    strcmp(p->ns[c->peer_ns].name, name) == 0) {
			(*peer)++;
			*peer_conflicts += c->conflict;
		}
	}
	return n;
}

/*
 * A namespace that exists without the lab's mark is never touched: not
 * one of its objects, and no veth is put into it. new-link makes a pair
 * between r1 and r2 and addresses on r2's end; with r2 someone else's,
 * nothing happens in r2 and the pair is a conflict.
 */
static void
diff_not_ours_untouched(void)
{
	struct topo	*t = load(DIFF_DIR "new-link.new.yaml");
	struct topo	*old = load(DIFF_DIR "new-link.old.yaml");
	struct pass	 p;
	size_t		 peer, peer_conflicts;

	CHECK(t != NULL && old != NULL);
	if (t == NULL || old == NULL)
		goto out;
	/* The lab's own r2: changes there, and a pair made into it. */
	CHECK_INTEQ(build_pass(&p, old, t), 0);
	CHECK_INTEQ(diff_pass(&p), 0);
	CHECK(changes_in(&p, "diff-r2", &peer, &peer_conflicts) > 0);
	CHECK_INTEQ(peer, 1);
	CHECK_INTEQ(peer_conflicts, 0);
	pass_free(&p);
	/* Someone else's r2: none of that; every pair of r1's into it (the
	 * new one, and the two there are) is a conflict. */
	CHECK_INTEQ(build_pass(&p, old, t), 0);
	ns_get(&p, "diff-r2")->found = PASS_FOUND_CONFLICT;
	CHECK_INTEQ(diff_pass(&p), 0);
	CHECK_INTEQ(changes_in(&p, "diff-r2", &peer, &peer_conflicts), 0);
	CHECK_INTEQ(peer, 3);
	CHECK_INTEQ(peer_conflicts, 3);
	pass_free(&p);
out:
	topo_free(t);
	topo_free(old);
}

/* A namespace out of scope (a daemon pass narrowed to another) gets no
 * change, though the file asks for one there. */
static void
diff_out_of_scope(void)
{
	struct topo	*t = load(DIFF_DIR "route-added.new.yaml");
	struct topo	*old = load(DIFF_DIR "route-added.old.yaml");
	struct pass	 p;

	CHECK(t != NULL && old != NULL);
	if (t == NULL || old == NULL)
		goto out;
	CHECK_INTEQ(build_pass(&p, old, t), 0);
	ns_get(&p, "diff-r1")->in_scope = false;
	CHECK_INTEQ(diff_pass(&p), 0);
	CHECK_INTEQ(p.n_changes, 0);
	pass_free(&p);
out:
	topo_free(t);
	topo_free(old);
}

/*
 * The digest a namespace settles under is taken where the pass keeps it
 * (vrfd's memory, its lab's digests), and only there: vrfctl alone keeps
 * nothing of a pass.
 */
static void
diff_settle_digest_kept(void)
{
	struct topo	*t = load(DIFF_DIR "converged.new.yaml");
	struct topo	*old = load(DIFF_DIR "converged.old.yaml");
	struct pass	 p;
	uint64_t	*digests = NULL;
	size_t		 settled = 0;

	CHECK(t != NULL && old != NULL);
	if (t == NULL || old == NULL)
		goto out;
	CHECK_INTEQ(build_pass(&p, old, t), 0);
	CHECK_INTEQ(diff_pass(&p), 0);
	pass_settled(&p);
	CHECK_INTEQ(p.n_changes, 0);
	for (size_t i = 0; i < p.n_ns; i++) {
		CHECK(p.ns[i].digest == 0);
		CHECK(p.ns[i].settle == 0);
	}
	pass_free(&p);
	CHECK((digests = calloc(t->n_ns, sizeof(*digests))) != NULL);
	CHECK_INTEQ(build_pass(&p, old, t), 0);
	p.digests = digests;
	CHECK_INTEQ(diff_pass(&p), 0);
	pass_settled(&p);
	for (size_t i = 0; i < p.n_ns; i++) {
		CHECK(p.ns[i].digest == ks_ns_digest(&p.ns[i].want));
		CHECK(p.ns[i].settle == p.ns[i].digest);
		settled += p.ns[i].settle != 0;
	}
	CHECK(settled > 0 && settled == t->n_ns);
	pass_free(&p);
out:
	free(digests);
	topo_free(t);
	topo_free(old);
}

/* ---- nexthops, one to one ------------------------------------------------ */

static void
nh_set(struct ks_route *r, int i, const char *gw, const char *dev)
{
	struct ks_nexthop	*nh;

	while (r->n_nh <= i)
		ks_route_nh_add(r);
	nh = ks_nh(r, i);
	nh->has_gw = true;
	nh->weight = 1;
	inet_pton(AF_INET, gw, nh->gw);
	snprintf(nh->dev, sizeof(nh->dev), "%s", dev);
}

/*
 * The diff pairs each declared nexthop with its own kernel nexthop. A
 * greedy match (each wanted one against any kernel one) takes {A, A} for
 * {A, B} and misses B's drift; and it must not refuse a match that exists
 * only once an earlier pair is undone ({A any, A eth1} against
 * {A eth1, A eth2}).
 */
static void
diff_nexthops_one_to_one(void)
{
	struct ks_route	w, h;

	memset(&w, 0, sizeof(w));
	memset(&h, 0, sizeof(h));
	w.family = h.family = AF_INET;
	w.type = h.type = RTN_UNICAST;

	nh_set(&w, 0, "10.0.0.2", "eth1");
	nh_set(&w, 1, "10.0.0.2", "eth1");
	nh_set(&h, 0, "10.0.0.2", "eth1");
	nh_set(&h, 1, "10.0.0.3", "eth1");
	CHECK(!ks_route_nexthops_same(&w, &h));
	CHECK(!ks_route_nexthops_same(&h, &w));

	nh_set(&w, 0, "10.0.0.3", "eth1");
	CHECK(ks_route_nexthops_same(&w, &h));		/* same set, any order */
	CHECK(ks_route_nexthops_same(&h, &w));

	nh_set(&w, 0, "10.0.0.2", "");
	nh_set(&w, 1, "10.0.0.2", "eth1");
	nh_set(&h, 0, "10.0.0.2", "eth1");
	nh_set(&h, 1, "10.0.0.2", "eth2");
	CHECK(ks_route_nexthops_same(&w, &h));
	CHECK(ks_route_nexthops_same(&h, &w));

	ks_nh(&h, 1)->weight = 3;			/* ECMP weights count */
	CHECK(!ks_route_nexthops_same(&w, &h));
	ks_route_clear(&w);
	ks_route_clear(&h);
}

/* ---- allocation failures ------------------------------------------------ */

/* A report's verdict, as text: what a caller acts on. */
static char *
verdict(const struct report *r)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	fprintf(f, "changes %zu failed %zu converged %d err %d\n", r->changes,
	    r->failed, r->converged, r->err);
	for (size_t i = 0; i < r->n_ns; i++)
		fprintf(f, "ns %s %s %zu %zu foreign %zu\n", r->ns[i].name,
		    report_ns_state_name(r->ns[i].state), r->ns[i].changes,
		    r->ns[i].failed, r->ns[i].n_foreign);
	for (size_t k = 0; k < r->n_list; k++)
		fprintf(f, "%s %s %s\n", r->list[k].command, r->list[k].object,
		    r->list[k].error ? r->list[k].error : "");
	fclose(f);
	return buf;
}

/* One pass over CASE, from the diff to the report, with the Nth
 * allocation failing (0: none); the kernel's side is the test's own, and
 * never fails. Its verdict, or NULL when the pass gave no report at all
 * (its caller says "out of memory"); *CALLS: the allocations it made;
 * *FAILED: whether the pass said it failed. */
static char *
faulty_pass(const struct diff_case *dc, const struct topo *old,
    const struct topo *new, size_t nth, size_t *calls, bool *failed)
{
	struct report	*r = NULL;
	struct pass	 p;
	char		*v = NULL;
	int		 rv;

	memset(&p, 0, sizeof(p));
	CHECK_INTEQ(build_pass(&p, old, new), 0);
	p.action = REPORT_PLAN;
	if (dc->hook)
		dc->hook(&p);
	fault_arm(nth);
	if ((rv = diff_pass(&p)) == 0)
		rv = plan_sort(&p);
	r = engine_report(&p, true, rv);
	*calls = fault_calls();
	fault_arm(0);
	*failed = r == NULL || r->err != 0;
	if (r != NULL)
		v = verdict(r);
	/* A failed pass must never say it converged. */
	if (r != NULL && r->err)
		CHECK(!r->converged);
	report_free(r);
	pass_free(&p);
	return v;
}

/*
 * Every allocation of a pass, from the diff to the report, is
 * made to fail in turn: each time, the pass either says it failed (and
 * not converged) or gives exactly the report it gives with memory to
 * spare. A failure that shortened the plan would be taken for a lab with
 * less to do, or one that converged.
 */
static void
diff_allocation_failures(void)
{
	size_t	 tried = 0, failed_runs = 0;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct diff_case *dc = &cases[k];
		char	 op[256], np[256], *want, *got;
		struct topo *old, *new;
		size_t	 total = 0, calls;
		bool	 failed;

		snprintf(op, sizeof(op), DIFF_DIR "%s.old.yaml", dc->name);
		snprintf(np, sizeof(np), DIFF_DIR "%s.new.yaml", dc->name);
		if ((old = load(op)) == NULL || (new = load(np)) == NULL) {
			topo_free(old);
			check_failed_now = 1;
			continue;
		}
		want = faulty_pass(dc, old, new, 0, &total, &failed);
		CHECK(want != NULL && !failed);
		for (size_t n = 1; want && n <= total; n++) {
			got = faulty_pass(dc, old, new, n, &calls, &failed);
			tried++;
			failed_runs += failed;
			if (!failed && (got == NULL || strcmp(got, want) != 0)) {
				printf("  %s: allocation %zu of %zu failed, and "
				    "the report says otherwise:\n%s", dc->name,
				    n, total, got ? got : "(none)\n");
				check_failed_now = 1;
			}
			free(got);
		}
		free(want);
		topo_free(old);
		topo_free(new);
	}
	printf("  %zu allocations failed in turn, %zu passes said so\n", tried, failed_runs);
	/* It did fail allocations, and passes noticed. */
	CHECK(tried > 100);
	CHECK(failed_runs > 0);
}

int
main(void)
{
	RUN(diff_converged);
	RUN(diff_route_added);
	RUN(diff_route_removed);
	RUN(diff_route_changed);
	RUN(diff_route_type);
	RUN(diff_ecmp_weight);
	RUN(diff_addr_removed);
	RUN(diff_neigh_changed);
	RUN(diff_router_removed);
	RUN(diff_new_link);
	RUN(diff_switch_port);
	RUN(diff_mtu_drift);
	RUN(diff_foreign_conflict);
	RUN(diff_foreign_kept);
	RUN(diff_link_down);
	RUN(diff_link_up);
	RUN(diff_iface_down);
	RUN(diff_impair_added);
	RUN(diff_impair_changed);
	RUN(diff_impair_foreign);
	RUN(diff_hosts_converged);
	RUN(diff_hosts_moved);
	RUN(diff_hosts_vni);
	RUN(diff_many_changed);
	RUN(diff_every_new_converges);
	RUN(diff_not_ours_untouched);
	RUN(diff_out_of_scope);
	RUN(diff_settle_digest_kept);
	RUN(diff_nexthops_one_to_one);
	RUN(diff_allocation_failures);
	return CHECK_DONE();
}
