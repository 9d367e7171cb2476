/*
 * topo_pool: `addressing:`, the pools that fill in the addresses a file
 * leaves out (vrf-topology(5), "Addressing").
 *
 * Part of the loader: topo_yaml.c calls topo_pool_fill() once every
 * namespace and link is read. What it adds are model addresses like the
 * declared ones (origin TOPO_ADDR_POOL or TOPO_ADDR_SUBNET), so the
 * checker, compile, plan, graph and verify see no difference.
 *
 * A segment is a link between two routers, a LAN (switches linked to each
 * other and the router interfaces on them), or the `lo` of a router or VRF
 * namespace. An interface with an address of a family gets none of that
 * family from a pool. Here are the pools themselves, the segments, what the
 * file declares on them (a pool's block that overlaps a declared subnet of
 * another segment, or hands out a declared address, is a clash: an error
 * at the pool), and the loopbacks; links and LANs are topo_pool_net.c's,
 * and where a block or a host lands is topo_pool_slot.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"
#include "topo.h"
#include "topo_pool.h"
#include "topo_priv.h"
#include "ytree.h"

/* In the order they are filled. */
static const struct topo_pool_def topo_pool_defs[TOPO_POOL_N] = {
	{ "p2p",	TOPO_POOL_P2P,	AF_INET,	31 },
	{ "lan",	TOPO_POOL_LAN,	AF_INET,	24 },
	{ "loopback",	TOPO_POOL_LO,	AF_INET,	32 },
	{ "p2p6",	TOPO_POOL_P2P,	AF_INET6,	64 },
	{ "lan6",	TOPO_POOL_LAN,	AF_INET6,	64 },
	{ "loopback6",	TOPO_POOL_LO,	AF_INET6,	128 },
};

unsigned
topo_pool_width(int family)
{
	return family == AF_INET ? 32 : 128;
}

bool
topo_pool_overlap(const struct topo_prefix *a, const struct topo_prefix *b)
{
	const struct topo_prefix	*wide = a->plen <= b->plen ? a : b;
	const struct topo_prefix	*narrow = wide == a ? b : a;
	struct topo_ip			 ip;

	if (a->family != b->family)
		return false;
	ip.family = narrow->family;
	memcpy(ip.addr, narrow->addr, sizeof(ip.addr));
	return topo_prefix_contains(wide, &ip);
}

static bool
topo_pool_same_ip(const struct topo_prefix *a, const struct topo_prefix *b)
{
	return a->family == b->family &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

size_t
topo_pool_root(size_t *up, size_t i)
{
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

bool
topo_pool_is_router(const struct topo_ns *ns)
{
	return ns != NULL && ns->kind != TOPO_NS_SWITCH;
}

bool
topo_pool_is_switch(const struct topo_ns *ns)
{
	return ns != NULL && ns->kind == TOPO_NS_SWITCH;
}

/* The segment of interface IFC of NS; SIZE_MAX: on none. */
static size_t
topo_pool_iface_seg(const struct topo_pool_st *st, const struct topo_ns *ns,
    const struct topo_iface *ifc)
{
	const struct topo		*t = st->t;
	const struct topo_endpoint	*ep;
	size_t				 k, end;

	if (strcmp(ifc->name, "lo") == 0)
		return t->n_links + t->n_ns + (size_t)(ns - t->ns);
	for (k = 0; k < ns->n_link_ends; k++) {
		end = ns->link_ends[k];
		ep = &t->links[end / 2].ep[end % 2];
		if (ep->ns == ns && strcmp(ep->ifname, ifc->name) == 0)
			return topo_pool_root(st->up, end / 2);
	}
	return SIZE_MAX;
}

bool
topo_pool_has_family(const struct topo_iface *ifc, int family)
{
	size_t	 i;

	for (i = 0; i < ifc->n_addrs; i++)
		if (ifc->addrs[i].pfx.family == family)
			return true;
	return false;
}

void
topo_pool_give(struct topo_pool_st *st, struct topo_iface *ifc,
    const struct topo_prefix *p, const struct ynode *node,
    enum topo_addr_origin origin)
{
	struct topo_addr	*v;

	if ((v = topo_yaml_grow(st->ty, ifc->addrs, ifc->n_addrs,
	    sizeof(*v))) == NULL)
		return;
	ifc->addrs = v;
	v[ifc->n_addrs].pfx = *p;
	v[ifc->n_addrs].node = node;
	v[ifc->n_addrs++].origin = origin;
}

/*
 * Does BLOCK, given to segment SEG for WHAT (its addresses: the N of
 * GOT), clash with what the file declares: a subnet that overlaps it on
 * another segment, or one of the same addresses on this one? The first
 * clash is kept in C for the pool's error.
 */
bool
topo_pool_clashes(const struct topo_pool_st *st, struct topo_pool_clash *c,
    const struct topo_prefix *block, size_t seg,
    const struct topo_prefix *got, size_t n, const char *what)
{
	const struct topo_pool_decl	*d, *hit = NULL;
	size_t				 i, j;

	for (i = 0; i < st->n_decl && hit == NULL; i++) {
		d = &st->decl[i];
		if (d->pfx.family != block->family)
			continue;
		if (d->seg != seg) {
			if (topo_pool_overlap(block, &d->pfx))
				hit = d;
			continue;
		}
		for (j = 0; j < n; j++)
			if (topo_pool_same_ip(&got[j], &d->pfx))
				hit = d;
	}
	if (hit == NULL)
		return false;
	if (c->n++ == 0) {
		c->got = *block;
		c->d = hit;
		snprintf(c->what, sizeof(c->what), "%s", what);
	}
	return true;
}

void
topo_pool_clash_report(struct topo_pool_st *st, const struct topo_pool *p,
    const struct topo_pool_clash *c)
{
	char	 got[INET6_ADDRSTRLEN + 5], dec[INET6_ADDRSTRLEN + 5];
	char	 more[64] = "";

	if (c->n == 0)
		return;
	if (c->n > 1)
		snprintf(more, sizeof(more), "; and %zu more block%s", c->n - 1,
		    c->n > 2 ? "s clash" : " clashes");
	topo_yaml_err(st->ty, p->key, "pool %s: %s for %s clashes with %s "
	    "declared on %s:%s (%u:%u)%s", p->def->name,
	    topo_prefix_str(&c->got, got, sizeof(got)), c->what,
	    topo_prefix_str(&c->d->pfx, dec, sizeof(dec)), c->d->where,
	    c->d->ifname, c->d->node->line, c->d->node->col, more);
}

static void
topo_pool_too_small(struct topo_pool_st *st, const struct topo_pool *p,
    const struct topo_pool_item *v, size_t n, size_t failed,
    const char *noun)
{
	char		 pb[INET6_ADDRSTRLEN + 5];
	uint64_t	 need = 0;
	unsigned	 unit = p->def->len;
	size_t		 i;

	topo_prefix_str(&p->pfx, pb, sizeof(pb));
	if (failed < n) {
		topo_yaml_err(st->ty, p->key, "pool %s %s is too small: no "
		    "room left for a /%u for %s %s", p->def->name, pb,
		    unit - v[failed].k, noun, v[failed].key);
		return;
	}
	for (i = 0; i < n; i++)
		need += UINT64_C(1) << v[i].k;
	topo_yaml_err(st->ty, p->key, "pool %s %s is too small: the lab needs "
	    "%" PRIu64 " /%u blocks, it holds %" PRIu64, p->def->name, pb,
	    need, unit, topo_pool_slot_count(unit - p->pfx.plen));
}

int
topo_pool_blocks(struct topo_pool_st *st, const struct topo_pool *p,
    struct topo_pool_item *v, size_t n, const char *noun)
{
	struct topo_pool_set	 taken;
	uint64_t		 nunits, units = 0;
	size_t			 i, failed;
	int			 rv;

	nunits = topo_pool_slot_count(p->def->len - p->pfx.plen);
	for (i = 0; i < n; i++)
		units += UINT64_C(1) << v[i].k;
	if (topo_pool_slot_set_init(&taken, units) < 0) {
		st->ty->nomem = true;
		return -ENOMEM;
	}
	if ((rv = topo_pool_slot_place(&taken, nunits, v, n, &failed)) < 0)
		topo_pool_too_small(st, p, v, n, failed, noun);
	free(taken.v);
	return rv;
}

/* The block of item IT of pool P. */
struct topo_prefix
topo_pool_block(const struct topo_pool *p, const struct topo_pool_item *it)
{
	struct topo_prefix	 b;
	unsigned		 w = topo_pool_width(p->pfx.family);

	topo_pool_slot_addr(&p->pfx, it->unit, w - p->def->len,
	    (uint8_t)(p->def->len - it->k), &b);
	return b;
}

/* The `lo` of every router and VRF namespace: a host each. */
static void
topo_pool_lo(struct topo_pool_st *st, const struct topo_pool *p)
{
	const struct topo	*t = st->t;
	struct topo_pool_item	*v;
	struct topo_pool_clash	 clash = { 0 };
	struct topo_iface	*lo;
	struct topo_prefix	 block;
	char			 what[TOPO_POOL_KEY_MAX + 8];
	size_t			 i, n = 0;

	if ((v = calloc(t->n_ns + 1, sizeof(*v))) == NULL) {
		st->ty->nomem = true;
		return;
	}
	for (i = 0; i < t->n_ns; i++) {
		if (!topo_pool_is_router(&t->ns[i]) ||
		    (lo = topo_ns_iface(&t->ns[i], "lo")) == NULL ||
		    topo_pool_has_family(lo, p->pfx.family))
			continue;
		v[n].key = t->ns[i].node_name;
		v[n++].idx = i;
	}
	if (n == 0 || topo_pool_blocks(st, p, v, n, "loopback") < 0) {
		free(v);
		return;
	}
	for (i = 0; i < n; i++) {
		struct topo_ns	*ns = &t->ns[v[i].idx];

		lo = topo_ns_iface(ns, "lo");
		block = topo_pool_block(p, &v[i]);
		snprintf(what, sizeof(what), "%s:lo", ns->node_name);
		if (!topo_pool_clashes(st, &clash, &block,
		    topo_pool_iface_seg(st, ns, lo), &block, 1, what))
			topo_pool_give(st, lo, &block, p->key, TOPO_ADDR_POOL);
	}
	topo_pool_clash_report(st, p, &clash);
	free(v);
}

static const char *
topo_pool_noun(enum topo_pool_kind kind)
{
	switch (kind) {
	case TOPO_POOL_P2P:
		return "link";
	case TOPO_POOL_LAN:
		return "LAN";
	case TOPO_POOL_LO:
		break;
	}
	return "loopback";
}

/* The pools of MAP, each checked; a bad one is left out (key NULL). */
static void
topo_pool_parse(struct topo_pool_st *st, const struct ynode *map)
{
	static const char *const known[] = { "p2p", "lan", "loopback",
	    "p2p6", "lan6", "loopback6", NULL };
	static const struct topo_prefix ll = { AF_INET6, { 0xfe, 0x80 }, 10 };
	struct topo_yaml	*ty = st->ty;
	struct topo_pool	*p, *o;
	const struct ynode	*val, *ok;
	struct topo_prefix	 pfx, masked;
	char			 buf[INET6_ADDRSTRLEN + 5];
	size_t			 i, j, b;

	topo_yaml_keys(ty, map, known);
	for (i = 0; i < TOPO_POOL_N; i++) {
		p = &st->pools[i];
		p->def = &topo_pool_defs[i];
		val = ynode_get(map, p->def->name);
		if (!topo_yaml_want(ty, val, YNODE_SCALAR, false))
			continue;
		if (topo_parse_prefix(val->scalar, &pfx) != 0) {
			topo_yaml_err(ty, val, "invalid prefix '%s'; expected "
			    "such as %s", val->scalar, p->def->family ==
			    AF_INET ? "10.0.0.0/16" : "2001:db8::/48");
			continue;
		}
		if (pfx.family != p->def->family) {
			topo_yaml_err(ty, val, "pool %s takes an %s prefix, "
			    "not %s; the %s pools are %s", p->def->name,
			    topo_family_str(p->def->family), val->scalar,
			    topo_family_str(pfx.family), pfx.family ==
			    AF_INET6 ? "p2p6, lan6 and loopback6" :
			    "p2p, lan and loopback");
			continue;
		}
		if (topo_prefix_has_host_bits(&pfx)) {
			masked = pfx;
			for (b = masked.plen; b < 128; b++)
				masked.addr[b / 8] &=
				    (uint8_t)~(0x80u >> (b % 8));
			topo_yaml_err(ty, val, "%s has host bits set; did you "
			    "mean %s?", val->scalar, topo_prefix_str(&masked,
			    buf, sizeof(buf)));
			continue;
		}
		if (pfx.plen > p->def->len) {
			topo_yaml_err(ty, val, "pool %s gives each %s a /%u: "
			    "its prefix must be a /%u or shorter, not /%u",
			    p->def->name, topo_pool_noun(p->def->kind),
			    p->def->len, p->def->len, pfx.plen);
			continue;
		}
		if (topo_pool_overlap(&pfx, &ll)) {
			topo_yaml_err(ty, val, "%s is link-local (fe80::/10); "
			    "every link has those already", val->scalar);
			continue;
		}
		for (j = 0, o = NULL; j < i && o == NULL; j++)
			if (st->pools[j].key != NULL &&
			    topo_pool_overlap(&st->pools[j].pfx, &pfx))
				o = &st->pools[j];
		if (o != NULL) {
			ok = ynode_get(map, o->def->name);
			topo_yaml_err(ty, val, "pool %s %s overlaps pool %s %s "
			    "(%u:%u)", p->def->name, val->scalar,
			    o->def->name, ok->scalar, ok->line, ok->col);
			continue;
		}
		p->pfx = pfx;
		p->key = ynode_key(map, p->def->name);
	}
}

/* Every router and VRF namespace without `lo` in the model gets one, for
 * the loopback pools. Before anything keeps a pointer to an interface. */
static void
topo_pool_lo_ifaces(struct topo_pool_st *st)
{
	struct topo_ns		*ns;
	size_t			 i;

	for (i = 0; i < st->t->n_ns && !st->ty->nomem; i++) {
		ns = &st->t->ns[i];
		if (!topo_pool_is_router(ns) || topo_ns_iface(ns, "lo") != NULL)
			continue;
		if (topo_yaml_iface_add(st->ty, ns, "lo") == NULL)
			return;
	}
}

/* The segments, as a union-find forest: switches a link joins are one
 * LAN with the links to them. 0, or -ENOMEM. */
static int
topo_pool_segments(struct topo_pool_st *st)
{
	const struct topo	*t = st->t;
	const struct topo_ns	*ns;
	size_t			 i, e, a, b, n = t->n_links + t->n_ns;

	if ((st->up = calloc(n + 1, sizeof(*st->up))) == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		st->up[i] = i;
	for (i = 0; i < t->n_links; i++)
		for (e = 0; e < 2; e++) {
			ns = t->links[i].ep[e].ns;
			if (!topo_pool_is_switch(ns))
				continue;
			a = topo_pool_root(st->up, i);
			b = topo_pool_root(st->up,
			    t->n_links + (size_t)(ns - t->ns));
			st->up[a] = b;
		}
	return 0;
}

/* What the file declares, with its segments. 0, or -ENOMEM. */
static int
topo_pool_decls(struct topo_pool_st *st)
{
	const struct topo	*t = st->t;
	const struct topo_ns	*ns;
	const struct topo_iface	*ifc;
	struct topo_pool_decl	*d;
	size_t			 i, j, k, n = 0, seg;

	for (i = 0; i < t->n_ns; i++)
		for (j = 0; j < t->ns[i].n_ifaces; j++)
			n += t->ns[i].ifaces[j].n_addrs;
	if ((st->decl = calloc(n + 1, sizeof(*st->decl))) == NULL)
		return -ENOMEM;
	for (i = 0; i < t->n_ns; i++) {
		ns = &t->ns[i];
		for (j = 0; j < ns->n_ifaces; j++) {
			ifc = &ns->ifaces[j];
			if (ifc->n_addrs == 0)
				continue;
			seg = topo_pool_iface_seg(st, ns, ifc);
			for (k = 0; k < ifc->n_addrs; k++) {
				d = &st->decl[st->n_decl++];
				d->pfx = ifc->addrs[k].pfx;
				d->node = ifc->addrs[k].node;
				d->seg = seg;
				d->where = ns->node_name;
				d->ifname = ifc->name;
			}
		}
	}
	return 0;
}

void
topo_pool_fill(struct topo_yaml *ty, const struct ynode *map)
{
	struct topo_pool_st	 st;
	bool			 any = false, lo = false;
	size_t			 i;

	memset(&st, 0, sizeof(st));
	st.ty = ty;
	st.t = ty->t;
	topo_pool_parse(&st, map);
	for (i = 0; i < TOPO_POOL_N; i++)
		if (st.pools[i].key != NULL) {
			any = true;
			lo |= st.pools[i].def->kind == TOPO_POOL_LO;
		}
	if (!any)
		return;
	if (lo)
		topo_pool_lo_ifaces(&st);
	if (ty->nomem || topo_pool_segments(&st) < 0 ||
	    topo_pool_decls(&st) < 0) {
		ty->nomem = true;
		goto done;
	}
	for (i = 0; i < TOPO_POOL_N && !ty->nomem; i++) {
		if (st.pools[i].key == NULL)
			continue;
		switch (st.pools[i].def->kind) {
		case TOPO_POOL_P2P:
			topo_pool_net_p2p(&st, &st.pools[i]);
			break;
		case TOPO_POOL_LAN:
			topo_pool_net_lan(&st, &st.pools[i]);
			break;
		case TOPO_POOL_LO:
			topo_pool_lo(&st, &st.pools[i]);
			break;
		}
	}
done:
	free(st.up);
	free(st.decl);
}
