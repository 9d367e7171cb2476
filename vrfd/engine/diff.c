/*
 * diff: the changes that turn what a namespace has into what it should have.
 *
 * Only objects that carry vrfd's mark are ever changed or removed (own.h
 * says whose an object is). An object of someone else's that stands where
 * ours should be is a conflict: reported as a change that is not made,
 * and left alone. Objects that live on a link this pass removes or makes
 * again are treated as gone, since the kernel drops them with the link.
 *
 * Every allocation failure ends the diff with -ENOMEM: a plan that lacks
 * a change must never be taken for a lab that has converged. Qdiscs (the
 * impairments) are diff_qdisc.c's, through diff_priv.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "diff_priv.h"
#include "kernel/nl_codec.h"
#include "kernel/own.h"
#include "kernel/rtproto.h"
#include "pass.h"
#include "topo/topo.h"
#include "util/parallel.h"

struct change *
diff_add(struct pass *p, enum change_kind kind, size_t ns)
{
	struct change	*c, *v;

	if (p->n_changes % 256 == 0) {
		v = reallocarray(p->changes, p->n_changes + 256, sizeof(*v));
		if (v == NULL)
			return NULL;
		p->changes = v;
	}
	c = &p->changes[p->n_changes++];
	memset(c, 0, sizeof(*c));
	p->ns[ns].n_changes++;
	c->kind = kind;
	c->ns = ns;
	c->peer_ns = ns;
	return c;
}

/* A change that must not be made: something not vrfd's is in the way. */
void
diff_conflict(struct change *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->conflict = true;
	c->err = -EEXIST;
}

int
diff_foreign(struct pass_ns *pn, const char *kind, const char *what)
{
	struct report_object	*f;

	if ((f = report_object_add(&pn->foreign, &pn->n_foreign)) == NULL)
		return -ENOMEM;
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	snprintf(f->what, sizeof(f->what), "%s", what);
	return 0;
}

static ssize_t
diff_ns_index(const struct pass *p, const char *name)
{
	return pass_ns_lookup(p, p->n_ns, name);
}

/* In scope as a namespace of its own (not only as a far end)? */
static bool
diff_ns_full(const struct pass *p, const char *name)
{
	ssize_t	 j = diff_ns_index(p, name);

	return j >= 0 && p->ns[j].in_scope && !p->ns[j].peer_only;
}

/* Will the pass leave PN in place, declared? Else its objects go with it,
 * and only its links are removed, explicitly. */
static bool
diff_ns_kept(const struct pass *p, const struct pass_ns *pn)
{
	return pn->tns != NULL || p->inventory;
}

/* ---- links ---------------------------------------------------------- */

/* A set of link names: a hub made anew has thousands, and each of its
 * addresses and routes asks for its link's. */
struct diff_names {
	char		(*v)[IFNAMSIZ];
	size_t		 n;
	struct nameidx	 idx;
};

static const char *
diff_names_at(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct diff_names, idx)->v[i];
}

static int
diff_names_add(struct diff_names *l, const char *name)
{
	char	(*v)[IFNAMSIZ];

	if (nameidx_find(&l->idx, name) >= 0)
		return 0;
	if ((v = reallocarray(l->v, l->n + 1, IFNAMSIZ)) == NULL)
		return -ENOMEM;
	l->v = v;
	snprintf(l->v[l->n], IFNAMSIZ, "%s", name);
	if (l->idx.name == NULL)
		nameidx_init(&l->idx, diff_names_at);
	if (nameidx_put(&l->idx, l->v[l->n], l->n) < 0)
		return -ENOMEM;
	l->n++;
	return 0;
}

static bool
diff_names_has(const struct diff_names *l, const char *name)
{
	return nameidx_find(&l->idx, name) >= 0;
}

static void
diff_names_free(struct diff_names *l)
{
	free(l->v);
	nameidx_free(&l->idx);
}

/* What the links of one namespace do to what lives on them. FRESH: the
 * links this pass deletes or makes again, on which what the kernel has
 * now will not survive. OUT: the links it cannot make (something not
 * the lab's is in the way), on which what the file declares is left
 * out: the link's conflict says why, once. DOWN: the links it sets
 * down, which takes their routes, IPv6 addresses and neighbours with
 * them (the addresses and neighbours are given back, down). */
struct diff_fresh {
	struct diff_names fresh;
	struct diff_names out;
	struct diff_names down;
};

static int
diff_fresh_add(struct diff_fresh *f, const char *name)
{
	return diff_names_add(&f->fresh, name);
}

static bool
diff_fresh_has(const struct diff_fresh *f, const char *name)
{
	return diff_names_has(&f->fresh, name);
}

static int
diff_out_add(struct diff_fresh *f, const char *name)
{
	return diff_names_add(&f->out, name);
}

static bool
diff_out_has(const struct diff_fresh *f, const char *name)
{
	return diff_names_has(&f->out, name);
}

/* The same, for the diffs of other files (diff_priv.h). */
static bool
diff_devs_fresh(const void *f, const char *name)
{
	return diff_fresh_has(f, name);
}

static bool
diff_devs_out(const void *f, const char *name)
{
	return diff_out_has(f, name);
}

static bool
diff_down_has(const struct diff_fresh *f, const char *name)
{
	return diff_names_has(&f->down, name);
}

static unsigned
diff_link_attrs(const struct ks_ns *have, const struct ks_link *w,
    const struct ks_link *h)
{
	unsigned	 what = 0;
	const char	*master = h->master_ifindex ?
	    ks_ifname(have, h->master_ifindex) : "";

	if (w->mtu && w->mtu != h->mtu)
		what |= NL_LINK_SET_MTU;
	if (w->has_mac && memcmp(w->mac, h->mac, 6) != 0)
		what |= NL_LINK_SET_MAC;
	if (w->up != h->up)
		what |= NL_LINK_SET_UP;
	if (strcmp(w->master, master) != 0)
		what |= NL_LINK_SET_MASTER;
	if (strcmp(w->alias, h->alias) != 0 || w->group != h->group)
		what |= NL_LINK_SET_MARK;
	return what;
}

/* Is the veth end H (in namespace I) really paired with the end named by
 * W in its peer namespace? Both indexes must point at each other. When
 * the far namespace was not observed, trust the local end. */
static bool
diff_veth_paired(const struct pass *p, size_t i, const struct ks_link *w,
    const struct ks_link *h, const struct ks_link **far_out)
{
	ssize_t			 j = diff_ns_index(p, w->peer_ns);
	const struct ks_link	*f;

	*far_out = NULL;
	if (j < 0)
		return false;
	if (!p->ns[j].observed)
		return true;			/* not in this pass: trust */
	if (!PASS_NS_OURS(&p->ns[j]))
		return false;
	f = ks_link_by_name(&p->ns[j].have, w->peer_name);
	*far_out = f;
	if (f == NULL || f->kind != KS_LINK_VETH)
		return false;
	if (h->peer_ifindex != f->ifindex || f->peer_ifindex != h->ifindex)
		return false;
	/* A pair inside one namespace has no link-netnsid; across, both do. */
	if ((size_t)j != i && (h->peer_nsid < 0 || f->peer_nsid < 0))
		return false;
	return true;
}

static int
diff_link_set(struct pass *p, size_t i, const struct ks_link *w,
    const struct ks_link *h, unsigned what)
{
	struct change	*c;

	if (what == 0)
		return 0;
	if ((c = diff_add(p, CH_LINK_SET, i)) == NULL)
		return -ENOMEM;
	c->link = w;
	c->what = what;
	c->ifindex = h ? h->ifindex : 0;
	return 0;
}

/* H goes, and what lives on it with it. */
static int
diff_link_del(struct pass *p, size_t i, const struct ks_link *h,
    struct diff_fresh *fresh)
{
	struct change	*c;

	if ((c = diff_add(p, CH_LINK_DEL, i)) == NULL)
		return -ENOMEM;
	c->link = h;
	c->ifindex = h->ifindex;
	return diff_fresh_add(&fresh[i], h->name);
}

static bool
diff_link_ours(const struct pass *p, const struct ks_link *l)
{
	return own_link(l, p->lab) == OWN_VRFD;
}

/* Neither end of W's pair will be made. */
static int
diff_veth_out(struct diff_fresh *fresh, size_t i, const struct ks_link *w,
    size_t j)
{
	int	 rv;

	if ((rv = diff_out_add(&fresh[i], w->name)) < 0)
		return rv;
	return diff_out_add(&fresh[j], w->peer_name);
}

/* A veth pair from its primary end W in namespace I. */
static int
diff_veth(struct pass *p, size_t i, const struct ks_link *w,
    struct diff_fresh *fresh)
{
	struct pass_ns		*pn = &p->ns[i];
	const struct ks_link	*h = ks_link_by_name(&pn->have, w->name);
	const struct ks_link	*far, *wfar;
	ssize_t			 j = diff_ns_index(p, w->peer_ns);
	struct change		*c;
	int			 rv;

	if (j < 0)
		return 0;
	wfar = ks_link_by_name(&p->ns[j].want, w->peer_name);
	/* Nothing goes into a namespace the pass leaves alone. */
	if (PASS_NS_BLOCKED(&p->ns[j])) {
		if ((c = diff_add(p, CH_LINK_CREATE, i)) == NULL)
			return -ENOMEM;
		c->link = w;
		c->peer = wfar;
		c->peer_ns = (size_t)j;
		diff_conflict(c, "namespace %s is not this lab's; its end of "
		    "the link is left out", w->peer_ns);
		return diff_out_add(&fresh[i], w->name);
	}
	if (h && h->kind == KS_LINK_VETH && diff_link_ours(p, h) &&
	    diff_veth_paired(p, i, w, h, &far) &&
	    (far == NULL || diff_link_ours(p, far))) {
		if (!pn->peer_only && (rv = diff_link_set(p, i, w, h,
		    diff_link_attrs(&pn->have, w, h))) < 0)
			return rv;
		if (far && wfar && p->ns[j].in_scope && !p->ns[j].peer_only)
			return diff_link_set(p, (size_t)j, wfar, far,
			    diff_link_attrs(&p->ns[j].have, wfar, far));
		return 0;
	}
	(void)diff_veth_paired(p, i, w, h ? h : w, &far);

	if ((c = diff_add(p, CH_LINK_CREATE, i)) == NULL)
		return -ENOMEM;
	c->link = w;
	c->peer = wfar;
	c->peer_ns = (size_t)j;
	if (h && !diff_link_ours(p, h)) {
		diff_conflict(c, "interface %s exists and is not vrfd's; "
		    "left alone", w->name);
		return diff_veth_out(fresh, i, w, (size_t)j);
	}
	if (far && !diff_link_ours(p, far)) {
		diff_conflict(c, "interface %s exists in %s and is not vrfd's; "
		    "left alone", w->peer_name, w->peer_ns);
		return diff_veth_out(fresh, i, w, (size_t)j);
	}
	/* Both ends go, even if they were each other's: deleting one
	 * end deletes the other, and apply takes ENODEV as done. */
	if (h && (rv = diff_link_del(p, i, h, fresh)) < 0)
		return rv;
	if (far && (rv = diff_link_del(p, (size_t)j, far, fresh)) < 0)
		return rv;
	if ((rv = diff_fresh_add(&fresh[i], w->name)) < 0 ||
	    (rv = diff_fresh_add(&fresh[j], w->peer_name)) < 0)
		return rv;
	/* What the creating message cannot carry: the mark (an alias is
	 * ignored at creation), a master, and IFF_UP on the peer (refused
	 * there). */
	if ((rv = diff_link_set(p, i, w, NULL, NL_LINK_SET_MARK |
	    (w->master[0] ? NL_LINK_SET_MASTER : 0))) < 0)
		return rv;
	if (wfar && (rv = diff_link_set(p, (size_t)j, wfar, NULL,
	    NL_LINK_SET_MARK | (wfar->up ? NL_LINK_SET_UP : 0) |
	    (wfar->master[0] ? NL_LINK_SET_MASTER : 0))) < 0)
		return rv;
	return 0;
}

/* Does the kernel's VXLAN link H carry the tunnel W declares: VNI, port,
 * both ends, no learning, no device? None of them changes in place. */
static bool
diff_vxlan_same(const struct ks_link *w, const struct ks_link *h)
{
	const struct ks_vxlan	*a = &w->vxlan, *b = &h->vxlan;
	size_t			 n = a->family == AF_INET ? 4 : 16;

	return h->kind == KS_LINK_VXLAN && a->vni == b->vni &&
	    a->port == b->port && a->family == b->family &&
	    memcmp(a->local, b->local, n) == 0 &&
	    memcmp(a->remote, b->remote, n) == 0 &&
	    a->learning == b->learning && b->dev == 0;
}

/* This namespace's end of a link between hosts: made and kept from here
 * alone, its far end being another host's vrfd's. A tunnel that is not
 * as declared is made again. */
static int
diff_vxlan(struct pass *p, size_t i, const struct ks_link *w,
    struct diff_fresh *fresh)
{
	struct pass_ns		*pn = &p->ns[i];
	const struct ks_link	*h = ks_link_by_name(&pn->have, w->name);
	struct change		*c;
	int			 rv;

	if (h && diff_link_ours(p, h) && diff_vxlan_same(w, h))
		return diff_link_set(p, i, w, h,
		    diff_link_attrs(&pn->have, w, h));
	if ((c = diff_add(p, CH_LINK_CREATE, i)) == NULL)
		return -ENOMEM;
	c->link = w;
	if (h && !diff_link_ours(p, h)) {
		diff_conflict(c, "interface %s exists and is not vrfd's; left "
		    "alone", w->name);
		return diff_out_add(&fresh[i], w->name);
	}
	if (h && (rv = diff_link_del(p, i, h, fresh)) < 0)
		return rv;
	if ((rv = diff_fresh_add(&fresh[i], w->name)) < 0)
		return rv;
	return diff_link_set(p, i, w, NULL, NL_LINK_SET_MARK |
	    (w->master[0] ? NL_LINK_SET_MASTER : 0));
}

static int
diff_bridge(struct pass *p, size_t i, const struct ks_link *w,
    struct diff_fresh *fresh)
{
	struct pass_ns		*pn = &p->ns[i];
	const struct ks_link	*h = ks_link_by_name(&pn->have, w->name);
	struct change		*c;
	int			 rv;

	if (h && h->kind == KS_LINK_BRIDGE && diff_link_ours(p, h))
		return diff_link_set(p, i, w, h,
		    diff_link_attrs(&pn->have, w, h));
	if ((c = diff_add(p, CH_LINK_CREATE, i)) == NULL)
		return -ENOMEM;
	c->link = w;
	if (h && !diff_link_ours(p, h)) {
		diff_conflict(c, "interface %s exists and is not vrfd's; left "
		    "alone", w->name);
		return diff_out_add(&fresh[i], w->name);
	}
	if (h && (rv = diff_link_del(p, i, h, fresh)) < 0)
		return rv;
	if ((rv = diff_fresh_add(&fresh[i], w->name)) < 0)
		return rv;
	return diff_link_set(p, i, w, NULL, NL_LINK_SET_MARK);
}

static int
diff_links(struct pass *p, size_t i, struct diff_fresh *fresh)
{
	struct pass_ns	*pn = &p->ns[i];
	int		 rv;

	for (size_t k = 0; k < pn->want.n_links; k++) {
		const struct ks_link	*w = &pn->want.links[k];
		const struct ks_link	*h = ks_link_by_name(&pn->have, w->name);

		/* A far end only: just the pairs with a dirty namespace,
		 * from whichever end is the primary one. */
		if (pn->peer_only) {
			if (w->kind == KS_LINK_VETH && w->primary &&
			    diff_ns_full(p, w->peer_ns) &&
			    (rv = diff_veth(p, i, w, fresh)) < 0)
				return rv;
			continue;
		}
		switch (w->kind) {
		case KS_LINK_LO:
			/* A namespace being made gets its mark and lo up
			 * as it is made (apply's namespace stage). */
			if (!pn->created && PASS_NS_OURS(pn) && h &&
			    (rv = diff_link_set(p, i, w, h,
			    diff_link_attrs(&pn->have, w, h) &
			    NL_LINK_SET_UP)) < 0)
				return rv;
			break;
		case KS_LINK_BRIDGE:
			if ((rv = diff_bridge(p, i, w, fresh)) < 0)
				return rv;
			break;
		case KS_LINK_VETH:
			/* From the primary end, wherever it is: a far end
			 * only does its own primary ends (above). */
			if (w->primary &&
			    (rv = diff_veth(p, i, w, fresh)) < 0)
				return rv;
			break;
		case KS_LINK_VXLAN:
			if ((rv = diff_vxlan(p, i, w, fresh)) < 0)
				return rv;
			break;
		case KS_LINK_OTHER:
			break;
		}
	}
	for (size_t k = 0; k < pn->have.n_links && !pn->peer_only; k++) {
		const struct ks_link	*h = &pn->have.links[k];

		if (h->kind == KS_LINK_LO ||
		    ks_link_by_name(&pn->want, h->name))
			continue;
		if ((rv = diff_link_ours(p, h) ? diff_link_del(p, i, h, fresh) :
		    diff_foreign(pn, "link", h->name)) < 0)
			return rv;
	}
	return 0;
}

/* ---- addresses, routes, neighbours, sysctls -------------------------- */

/* One side's objects of a kind by key, hashed: a namespace may have
 * thousands (a hub's addresses and routes), and each is looked up on the
 * other side. The first of equal keys in array order, as a walk finds.
 * Each object's hash is taken once, for its own side's index and for
 * the search of it on the other side: hashing was a quarter of a diff. */
struct diff_tab {
	struct keyidx	 x;
	const char	*v;			/* the objects */
	size_t		 size;			/* of one */
	uint64_t	*hashes;		/* of each */
	bool		(*same)(const void *, const void *);
};

static uint64_t
diff_tab_hash_at(const struct keyidx *x, size_t i)
{
	const struct diff_tab	*t = KEYIDX_OWNER(x, const struct diff_tab, x);

	return t->hashes[i];
}

static bool
diff_tab_is(const struct keyidx *x, size_t i, const void *key)
{
	const struct diff_tab	*t = KEYIDX_OWNER(x, const struct diff_tab, x);

	return t->same(t->v + i * t->size, key);
}

static int
diff_tab_init(struct diff_tab *t, const void *v, size_t n, size_t size,
    uint64_t (*hash)(const void *), bool (*same)(const void *, const void *))
{
	const char	*o;

	memset(t, 0, sizeof(*t));
	t->x.hash_at = diff_tab_hash_at;
	t->x.is = diff_tab_is;
	t->v = v;
	t->size = size;
	t->same = same;
	if ((t->hashes = calloc(n + 1, sizeof(*t->hashes))) == NULL ||
	    keyidx_reserve(&t->x, n) < 0)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		o = t->v + k * size;
		t->hashes[k] = hash(o);
		if (keyidx_find(&t->x, t->hashes[k], o) < 0 &&
		    keyidx_put(&t->x, t->hashes[k], o, k) < 0)
			return -ENOMEM;
	}
	return 0;
}

static void
diff_tab_free(struct diff_tab *t)
{
	keyidx_free(&t->x);
	free(t->hashes);
}

/* The first object of T with the key of the K-th object of FROM, or
 * NULL. */
static const void *
diff_tab_find(const struct diff_tab *t, const struct diff_tab *from,
    size_t k)
{
	ssize_t	 j = keyidx_find(&t->x, from->hashes[k],
		    from->v + k * from->size);

	return j < 0 ? NULL : t->v + (size_t)j * t->size;
}

static uint64_t
diff_addr_hash(const void *a)
{
	return ks_addr_key_hash(a);
}

static bool
diff_addr_same(const void *a, const void *b)
{
	return ks_addr_same_key(a, b);
}

static int
diff_addr_tab(struct diff_tab *t, const struct ks_ns *ns)
{
	return diff_tab_init(t, ns->addrs, ns->n_addrs, sizeof(*ns->addrs),
	    diff_addr_hash, diff_addr_same);
}

static int
diff_addrs(struct pass *p, size_t i, const struct diff_fresh *fresh)
{
	struct pass_ns	*pn = &p->ns[i];
	struct change	*c;
	struct diff_tab	 want = { 0 }, have = { 0 };
	char		 buf[INET6_ADDRSTRLEN + 32], a[INET6_ADDRSTRLEN + 8];
	unsigned	 holds = own_mark_holds(pn->have.lo_alias);
	int		 rv = -ENOMEM;

	if (diff_addr_tab(&want, &pn->want) < 0 ||
	    diff_addr_tab(&have, &pn->have) < 0)
		goto out;
	for (size_t k = 0; k < pn->want.n_addrs; k++) {
		const struct ks_addr	*w = &pn->want.addrs[k];
		const struct ks_addr	*h = NULL;
		bool			 again;

		if (diff_out_has(fresh, w->dev))
			continue;
		/* IPv6 addresses go with the link's going down (whoever's
		 * they are): given back, down. */
		again = w->family == AF_INET6 && diff_down_has(fresh, w->dev);
		if (!diff_fresh_has(fresh, w->dev))
			h = diff_tab_find(&have, &want, k);
		if (h && own_addr(h, holds) == OWN_VRFD && !again)
			continue;
		if ((c = diff_add(p, CH_ADDR_ADD, i)) == NULL)
			goto out;
		c->addr = w;
		c->again = h && own_addr(h, holds) == OWN_VRFD;
		if (h && !again)
			diff_conflict(c, "address %s on %s exists and is not "
			    "vrfd's; left alone", ks_addr_str(h, a, sizeof(a)),
			    h->dev);
	}
	for (size_t m = 0; m < pn->have.n_addrs; m++) {
		const struct ks_addr	*h = &pn->have.addrs[m];
		enum own		 owner = own_addr(h, holds);

		if (owner == OWN_KERNEL || diff_fresh_has(fresh, h->dev) ||
		    diff_tab_find(&want, &have, m) != NULL)
			continue;
		if (owner == OWN_FOREIGN) {
			snprintf(buf, sizeof(buf), "%s dev %s",
			    ks_addr_str(h, a, sizeof(a)), h->dev);
			if (diff_foreign(pn, "address", buf) < 0)
				goto out;
			continue;
		}
		if (h->family == AF_INET6 && diff_down_has(fresh, h->dev))
			continue;	/* goes with its link's state */
		if ((c = diff_add(p, CH_ADDR_DEL, i)) == NULL)
			goto out;
		c->addr = h;
	}
	rv = 0;
out:
	diff_tab_free(&want);
	diff_tab_free(&have);
	return rv;
}

static bool
diff_route_on_fresh(const struct ks_route *r, const struct diff_fresh *fresh)
{
	for (int k = 0; k < r->n_nh; k++)
		if (diff_fresh_has(fresh, ks_nh(r, k)->dev))
			return true;
	return false;
}

/* Does the kernel drop R when the links this pass sets down go: are all
 * its nexthops on them? */
static bool
diff_route_goes_down(const struct ks_route *r, const struct diff_fresh *fresh)
{
	if (fresh->down.n == 0 || r->type != RTN_UNICAST || r->n_nh == 0)
		return false;
	for (int k = 0; k < r->n_nh; k++)
		if (!diff_down_has(fresh, ks_nh(r, k)->dev))
			return false;
	return true;
}

/* Does the kernel's route H do what W asks? The nexthops are matched one
 * to one (ks_route_same): a nexthop without a device matches whatever
 * device the kernel resolved, a route of one nexthop has no weight, and a
 * route that is not unicast has no nexthops that matter. */
static bool
diff_route_matches(const struct ks_route *w, const struct ks_route *h)
{
	if (w->type != h->type)
		return false;
	if (w->type != RTN_UNICAST)
		return true;
	return ks_route_nexthops_same(w, h);
}

static uint64_t
diff_route_hash(const void *r)
{
	return ks_route_key_hash(r);
}

static bool
diff_route_same(const void *a, const void *b)
{
	return ks_route_same_key(a, b);
}

static int
diff_route_tab(struct diff_tab *t, const struct ks_ns *ns)
{
	return diff_tab_init(t, ns->routes, ns->n_routes, sizeof(*ns->routes),
	    diff_route_hash, diff_route_same);
}

static void
diff_route_text(const struct ks_route *r, char *buf, size_t len)
{
	char	 dst[INET6_ADDRSTRLEN + 8], proto[RTPROTO_NAME_MAX];

	snprintf(buf, len, "%s%s%s proto %s metric %u%s",
	    r->type != RTN_UNICAST ? ks_route_type_str(r->type) : "",
	    r->type != RTN_UNICAST ? " " : "",
	    ks_route_dst_str(r, dst, sizeof(dst)),
	    rtproto_name(r->protocol, proto, sizeof(proto)), r->priority,
	    r->nhid ? " (nhid)" : "");
}

/* Is GW (of FAMILY) in A's subnet? The topology's own test. */
static bool
diff_prefix_holds(const struct ks_addr *a, int family, const uint8_t *gw)
{
	struct topo_prefix	 pfx = { .family = a->family, .plen = a->plen };
	struct topo_ip		 ip = { .family = family };

	memcpy(pfx.addr, a->addr, sizeof(pfx.addr));
	memcpy(ip.addr, gw, sizeof(ip.addr));
	return topo_prefix_contains(&pfx, &ip);
}

/* Does a nexthop of W go out of a link that is left out: its device,
 * or the one whose declared subnet holds its gateway? The kernel would
 * refuse it ("Nexthop has invalid gateway"), for a reason the link's
 * conflict already gives. */
static bool
diff_route_left_out(const struct ks_ns *want, const struct ks_route *w,
    const struct diff_fresh *fresh)
{
	for (int k = 0; k < w->n_nh; k++) {
		const struct ks_nexthop	*nh = ks_nh(w, k);
		int			 fam = nh->gw_family ? nh->gw_family :
					    w->family;

		if (nh->dev[0]) {
			if (diff_out_has(fresh, nh->dev))
				return true;
			continue;
		}
		for (size_t a = 0; nh->has_gw && a < want->n_addrs; a++)
			if (diff_prefix_holds(&want->addrs[a], fam, nh->gw) &&
			    diff_out_has(fresh, want->addrs[a].dev))
				return true;
	}
	return false;
}

static int
diff_routes(struct pass *p, size_t i, const struct diff_fresh *fresh)
{
	struct pass_ns		*pn = &p->ns[i];
	struct change		*c;
	struct diff_tab		 want = { 0 }, have = { 0 };
	char			 buf[160];
	unsigned		 holds = own_mark_holds(pn->have.lo_alias);
	int			 rv = -ENOMEM;

	if (diff_route_tab(&want, &pn->want) < 0 ||
	    diff_route_tab(&have, &pn->have) < 0)
		goto out;
	for (size_t k = 0; k < pn->want.n_routes; k++) {
		const struct ks_route	*w = &pn->want.routes[k];
		const struct ks_route	*h;

		if (fresh->out.n && diff_route_left_out(&pn->want, w, fresh))
			continue;
		h = diff_tab_find(&have, &want, k);
		if (h && own_route(h, holds) != OWN_VRFD) {
			if ((c = diff_add(p, CH_ROUTE_ADD, i)) == NULL)
				goto out;
			c->route = w;
			diff_route_text(h, buf, sizeof(buf));
			diff_conflict(c, "route %s exists and is not vrfd's; "
			    "left alone", buf);
			continue;
		}
		if (h && !diff_route_on_fresh(h, fresh) &&
		    diff_route_matches(w, h))
			continue;
		if ((c = diff_add(p, h ? CH_ROUTE_REPLACE : CH_ROUTE_ADD,
		    i)) == NULL)
			goto out;
		c->route = w;
	}
	for (size_t m = 0; m < pn->have.n_routes; m++) {
		const struct ks_route	*h = &pn->have.routes[m];
		enum own		 owner = own_route(h, holds);

		if (owner == OWN_KERNEL ||
		    diff_tab_find(&want, &have, m) != NULL)
			continue;
		if (owner == OWN_FOREIGN) {
			diff_route_text(h, buf, sizeof(buf));
			if (diff_foreign(pn, "route", buf) < 0)
				goto out;
			continue;
		}
		if (diff_route_on_fresh(h, fresh) ||
		    diff_route_goes_down(h, fresh))
			continue;
		if ((c = diff_add(p, CH_ROUTE_DEL, i)) == NULL)
			goto out;
		c->route = h;
	}
	rv = 0;
out:
	diff_tab_free(&want);
	diff_tab_free(&have);
	return rv;
}

static const struct ks_neigh *
diff_neigh_find(const struct ks_ns *ns, const struct ks_neigh *n)
{
	for (size_t k = 0; k < ns->n_neighs; k++)
		if (ks_neigh_same_key(n, &ns->neighs[k]))
			return &ns->neighs[k];
	return NULL;
}

static int
diff_neighs(struct pass *p, size_t i, const struct diff_fresh *fresh)
{
	struct pass_ns	*pn = &p->ns[i];
	struct change	*c;
	char		 buf[INET6_ADDRSTRLEN + 32], ip[INET6_ADDRSTRLEN];
	unsigned	 holds = own_mark_holds(pn->have.lo_alias);

	for (size_t k = 0; k < pn->want.n_neighs; k++) {
		const struct ks_neigh	*w = &pn->want.neighs[k];
		const struct ks_neigh	*h = NULL;
		enum own		 owner;
		bool			 same, again;

		if (diff_out_has(fresh, w->dev))
			continue;
		if (!diff_fresh_has(fresh, w->dev))
			h = diff_neigh_find(&pn->have, w);
		owner = h ? own_neigh(h, holds) : OWN_KERNEL;
		same = h && owner == OWN_VRFD && h->state == NUD_PERMANENT &&
		    h->has_lladdr && memcmp(h->lladdr, w->lladdr, 6) == 0;
		/* The link's going down takes every neighbour on it. */
		again = diff_down_has(fresh, w->dev);
		if (same && !again)
			continue;
		if ((c = diff_add(p, CH_NEIGH_ADD, i)) == NULL)
			return -ENOMEM;
		c->neigh = w;
		c->again = same;
		if (again)
			continue;	/* whoever's it was, it goes */
		/* A learned entry is the kernel's cache and is replaced;
		 * anyone's permanent or marked one is not. */
		if (h && owner == OWN_FOREIGN)
			diff_conflict(c, "neighbour %s on %s exists and is not "
			    "vrfd's; left alone", inet_ntop(w->family, w->ip,
			    ip, sizeof(ip)), w->dev);
	}
	for (size_t m = 0; m < pn->have.n_neighs; m++) {
		const struct ks_neigh	*h = &pn->have.neighs[m];
		enum own		 owner = own_neigh(h, holds);

		if (owner == OWN_KERNEL || diff_fresh_has(fresh, h->dev) ||
		    diff_neigh_find(&pn->want, h) != NULL)
			continue;
		if (owner == OWN_FOREIGN) {
			snprintf(buf, sizeof(buf), "%s dev %s",
			    inet_ntop(h->family, h->ip, ip, sizeof(ip)),
			    h->dev);
			if (diff_foreign(pn, "neighbour", buf) < 0)
				return -ENOMEM;
			continue;
		}
		if (diff_down_has(fresh, h->dev))
			continue;	/* goes with its link's state */
		if ((c = diff_add(p, CH_NEIGH_DEL, i)) == NULL)
			return -ENOMEM;
		c->neigh = h;
	}
	return 0;
}

/* "net.ipv4.conf.eth0.rp_filter" names an interface; "...conf.all..." and
 * "net.ipv4.ip_forward" do not. */
static bool
diff_sysctl_per_if(const char *key)
{
	const char	*pfx[] = { "net.ipv4.conf.", "net.ipv6.conf.",
	    "net.ipv4.neigh.", "net.ipv6.neigh." };

	for (size_t k = 0; k < sizeof(pfx) / sizeof(pfx[0]); k++) {
		size_t	 n = strlen(pfx[k]);

		if (strncmp(key, pfx[k], n) != 0)
			continue;
		return strncmp(key + n, "all.", 4) != 0 &&
		    strncmp(key + n, "default.", 8) != 0;
	}
	return false;
}

static int
diff_sysctls(struct pass *p, size_t i)
{
	struct pass_ns	*pn = &p->ns[i];
	struct change	*c;

	for (size_t k = 0; k < pn->want.n_sysctls; k++) {
		const struct ks_sysctl	*w = &pn->want.sysctls[k];
		bool			 same = false;

		if (w->create_only && !pn->created)
			continue;
		for (size_t m = 0; m < pn->have.n_sysctls; m++)
			if (strcmp(pn->have.sysctls[m].key, w->key) == 0 &&
			    strcmp(pn->have.sysctls[m].value, w->value) == 0)
				same = true;
		if (same)
			continue;
		c = diff_add(p, diff_sysctl_per_if(w->key) ? CH_SYSCTL_IF :
		    CH_SYSCTL, i);
		if (c == NULL)
			return -ENOMEM;
		c->sysctl = w;
	}
	return 0;
}

/* The namespaces themselves: made where declared and missing (or only a
 * file of ours), removed where the lab's and no longer declared. */
static int
diff_namespaces(struct pass *p)
{
	for (size_t i = 0; i < p->n_ns; i++) {
		struct pass_ns	*pn = &p->ns[i];

		if (!pn->in_scope || PASS_NS_BLOCKED(pn))
			continue;
		if (pn->tns == NULL && pn->found != PASS_FOUND_NONE &&
		    !p->inventory) {
			if (diff_add(p, CH_NS_DELETE, i) == NULL)
				return -ENOMEM;
		} else if (pn->tns && !PASS_NS_OURS(pn)) {
			if (diff_add(p, CH_NS_CREATE, i) == NULL)
				return -ENOMEM;
			pn->created = true;
		}
	}
	return 0;
}

/*
 * The objects of each namespace (its sysctls, addresses, routes,
 * neighbours and qdiscs) depend on that namespace alone, once FRESH says
 * which of its links are made or go down: where there are many, two
 * threads take half of the namespaces each. Each fills a change list of
 * its own (a copy of the pass with none; a namespace's count is its own),
 * and the second half's list follows the first's: the list one thread
 * would have made. The digest a namespace settles under is taken there
 * too, where it has nothing to change and the pass keeps it.
 */
#define DIFF_OBJECTS_PAIR	32	/* fewer: a thread costs more */

struct diff_objects_run {
	struct pass		*p;
	struct diff_fresh	*fresh;
	size_t			 half;		/* the first namespace of the
						   second half */
	struct pass		 part[2];	/* each half's changes */
	size_t			 taken;		/* halves taken so far */
	int			 rv[2];
};

static bool
diff_objects_wanted(const struct pass *p, size_t i,
    const struct diff_fresh *fresh)
{
	const struct pass_ns	*pn = &p->ns[i];

	if (!pn->in_scope || !diff_ns_kept(p, pn) ||
	    !(PASS_NS_OURS(pn) || pn->created))
		return false;
	/* A far end is touched only where a link of it is new. */
	return !pn->peer_only || fresh[i].fresh.n > 0;
}

/* The namespaces [FROM, TO) of P: their changes into P (a part). */
static int
diff_objects_some(struct pass *p, size_t from, size_t to,
    struct diff_fresh *fresh)
{
	int	 rv;

	for (size_t i = from; i < to; i++) {
		struct diff_devs devs = { diff_devs_fresh, diff_devs_out,
		    &fresh[i] };

		if (!diff_objects_wanted(p, i, fresh))
			continue;
		if ((rv = diff_sysctls(p, i)) < 0 ||
		    (rv = diff_addrs(p, i, &fresh[i])) < 0 ||
		    (rv = diff_routes(p, i, &fresh[i])) < 0 ||
		    (rv = diff_neighs(p, i, &fresh[i])) < 0 ||
		    (rv = diff_qdisc_ns(p, i, &devs)) < 0)
			return rv;
		pass_ns_settle_digest(p, &p->ns[i]);
	}
	return 0;
}

static void *
diff_objects_half(void *arg)
{
	struct diff_objects_run	*r = arg;
	size_t			 w;

	if ((w = __atomic_fetch_add(&r->taken, 1, __ATOMIC_RELAXED)) > 1)
		return NULL;
	r->rv[w] = diff_objects_some(&r->part[w], w ? r->half : 0,
	    w ? r->p->n_ns : r->half, r->fresh);
	return NULL;
}

/* The halves' changes after P's own. */
static int
diff_objects_join(struct diff_objects_run *r)
{
	struct pass	*p = r->p;
	size_t		 n = p->n_changes + r->part[0].n_changes +
			    r->part[1].n_changes;
	struct change	*v;

	if (n == p->n_changes)
		return 0;
	/* diff_add grows the list 256 at a time */
	if ((v = reallocarray(p->changes, (n + 255) / 256 * 256,
	    sizeof(*v))) == NULL)
		return -ENOMEM;
	p->changes = v;
	for (size_t w = 0; w < 2; w++) {
		memcpy(&p->changes[p->n_changes], r->part[w].changes,
		    r->part[w].n_changes * sizeof(*v));
		p->n_changes += r->part[w].n_changes;
	}
	return 0;
}

static int
diff_objects(struct pass *p, struct diff_fresh *fresh)
{
	struct diff_objects_run	 r = { .p = p, .fresh = fresh };
	size_t			 n = 0, seen = 0;
	int			 rv;

	for (size_t i = 0; i < p->n_ns; i++)
		n += diff_objects_wanted(p, i, fresh);
	if (n < DIFF_OBJECTS_PAIR || parallel_cores() < 2)
		return diff_objects_some(p, 0, p->n_ns, fresh);
	/* Half of the namespaces to diff on each side. */
	for (r.half = 0; r.half < p->n_ns && seen < n / 2; r.half++)
		seen += diff_objects_wanted(p, r.half, fresh);
	for (size_t w = 0; w < 2; w++) {
		r.part[w] = *p;
		r.part[w].changes = NULL;
		r.part[w].n_changes = 0;
	}
	parallel_run(diff_objects_half, &r, 2);
	/* No second thread could be made: the half left, here. */
	while (r.taken < 2)
		diff_objects_half(&r);
	rv = r.rv[0] ? r.rv[0] : r.rv[1] ? r.rv[1] : diff_objects_join(&r);
	free(r.part[0].changes);
	free(r.part[1].changes);
	return rv;
}

int
diff_pass(struct pass *p)
{
	struct diff_fresh	*fresh;
	int			 rv;

	if ((fresh = calloc(p->n_ns + 1, sizeof(*fresh))) == NULL)
		return -ENOMEM;
	/* Namespaces first: the links of one need to know which of their
	 * far ends are being made. */
	rv = diff_namespaces(p);
	/* A namespace that goes takes its links with it (apply deletes
	 * them one by one only if something still holds it). */
	for (size_t i = 0; i < p->n_ns && rv == 0; i++) {
		struct pass_ns	*pn = &p->ns[i];

		if (pn->in_scope && diff_ns_kept(p, pn) &&
		    (PASS_NS_OURS(pn) || pn->created))
			rv = diff_links(p, i, fresh);
	}
	/* The links that go down, wherever their change was found. */
	for (size_t k = 0; k < p->n_changes && rv == 0; k++) {
		const struct change	*c = &p->changes[k];

		if (c->kind == CH_LINK_SET && (c->what & NL_LINK_SET_UP) &&
		    !c->link->up && c->ifindex != 0)
			rv = diff_names_add(&fresh[c->ns].down, c->link->name);
	}
	if (rv == 0)
		rv = diff_objects(p, fresh);
	for (size_t i = 0; i < p->n_ns; i++) {
		diff_names_free(&fresh[i].fresh);
		diff_names_free(&fresh[i].out);
		diff_names_free(&fresh[i].down);
	}
	free(fresh);
	return rv;
}
