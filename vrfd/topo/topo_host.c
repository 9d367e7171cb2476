/*
 * topo_host: a lab spread over several hosts. `hosts:` and the `host:` of
 * routers and switches (read by the loader before the routers), the VNI
 * of each link between hosts (once the links are read), the rules about
 * them (topo_check), and which host a run speaks for (topo_localize).
 *
 * A VNI that the file does not write is derived from the lab and the
 * link's two endpoints, so that every host reading the same file gets the
 * same one with nothing exchanged: FNV-1a over "LAB\0A\0B\0" and a salt
 * byte, A and B the endpoints ("r1:eth0") in byte order, into
 * 1..16777215. The links get theirs in the order of their endpoints, not
 * of the file, after the written ones; one whose VNI is taken already
 * tries the next salt. A link added or moved in the file changes no
 * other's VNI, save such a collision.
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

/* VXLAN's headers over the underlay: outer IP, UDP, VXLAN, inner
 * Ethernet (20 + 8 + 8 + 14 over IPv4; 40 + ... over IPv6). */
#define TOPO_HOST_OVERHEAD4	50
#define TOPO_HOST_OVERHEAD6	70
#define TOPO_HOST_MTU_MIN	576
#define TOPO_HOST_MTU_MAX	65535

ssize_t
topo_host_index(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->n_hosts; i++)
		if (strcmp(t->hosts[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

const struct topo_host *
topo_ns_host(const struct topo *t, const struct topo_ns *ns)
{
	return t->n_hosts > 0 && ns->host < t->n_hosts ? &t->hosts[ns->host] :
	    NULL;
}

bool
topo_link_cross(const struct topo *t, const struct topo_link *l)
{
	return t->n_hosts > 0 && l->ep[0].ns != NULL && l->ep[1].ns != NULL &&
	    l->ep[0].ns->host != l->ep[1].ns->host;
}

static unsigned
topo_host_mtu(const struct topo_host *h)
{
	return h->mtu ? h->mtu : TOPO_UNDERLAY_MTU;
}

unsigned
topo_link_mtu_max(const struct topo *t, const struct topo_link *l)
{
	const struct topo_host	*a, *b;
	unsigned		 mtu, over;

	if (!topo_link_cross(t, l))
		return TOPO_HOST_MTU_MAX;
	a = topo_ns_host(t, l->ep[0].ns);
	b = topo_ns_host(t, l->ep[1].ns);
	mtu = topo_host_mtu(a) < topo_host_mtu(b) ? topo_host_mtu(a) :
	    topo_host_mtu(b);
	over = a->underlay.family == AF_INET6 ? TOPO_HOST_OVERHEAD6 :
	    TOPO_HOST_OVERHEAD4;
	return mtu > over ? mtu - over : 0;
}

unsigned
topo_end_mtu(const struct topo_link *l, int e)
{
	const struct topo_iface	*ifc = topo_ep_iface(&l->ep[e]);

	if (ifc != NULL && ifc->mtu != 0)
		return ifc->mtu;
	return l->mtu ? l->mtu : TOPO_LINK_MTU;
}

void
topo_localize(struct topo *t, size_t host)
{
	t->here = (ssize_t)host;
	for (size_t i = 0; i < t->n_ns; i++)
		t->ns[i].remote = t->ns[i].host != host;
}

uint32_t
topo_vni_derive(const char *lab, const char *a, const char *b, unsigned salt)
{
	const char	*parts[3] = { lab, a, b };
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (int k = 0; k < 3; k++)
		for (const char *c = parts[k]; ; c++) {
			h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
			if (*c == '\0')
				break;
		}
	h = (h ^ (uint8_t)salt) * 0x100000001b3ULL;
	/* The high bits mix best. */
	return 1 + (uint32_t)((h >> 16) % TOPO_VNI_MAX);
}

/* ---- the loader -------------------------------------------------------- */

/* May A be an underlay: a unicast address VXLAN can bind and route. */
static const char *
topo_host_underlay_problem(const struct topo_ip *a)
{
	static const uint8_t zero[16];

	if (memcmp(a->addr, zero, a->family == AF_INET ? 4 : 16) == 0)
		return "is unspecified";
	if (a->family == AF_INET && (a->addr[0] >= 224 || a->addr[0] == 127))
		return a->addr[0] == 127 ? "is a loopback address" :
		    "is not a unicast address";
	if (a->family == AF_INET6 && a->addr[0] == 0xff)
		return "is not a unicast address";
	if (topo_check_link_local(a))
		return "is link-local, which needs a device; give a global "
		    "address";
	return NULL;
}

static void
topo_yaml_host(struct topo_yaml *ty, const struct ynode *map,
    const struct ynode *key, const struct ynode *val, struct topo_host *h)
{
	enum { F_UNDERLAY, F_MTU, F_N };
	static const char *const keys[] = { "underlay", "mtu", NULL };
	const struct ynode	*f[F_N] = { NULL };
	unsigned long long	 mtu;
	const char		*why;

	topo_yaml_name(ty, key, map, "host", h->name);
	h->node = key;
	if (!topo_yaml_want(ty, val, YNODE_MAP, true)) {
		topo_yaml_err_in(ty, key, map, "host '%s' needs an 'underlay' "
		    "address", key->scalar);
		return;
	}
	topo_yaml_fields(ty, val, keys, f);
	if (f[F_UNDERLAY] == NULL)
		topo_yaml_missing(ty, val, "underlay");
	else if (topo_yaml_ip(ty, f[F_UNDERLAY], &h->underlay) &&
	    (why = topo_host_underlay_problem(&h->underlay)) != NULL)
		topo_yaml_err(ty, f[F_UNDERLAY], "underlay %s %s",
		    f[F_UNDERLAY]->scalar, why);
	if (f[F_MTU] != NULL && topo_yaml_uint(ty, f[F_MTU],
	    TOPO_HOST_MTU_MIN, TOPO_HOST_MTU_MAX, &mtu)) {
		h->mtu = (unsigned)mtu;
		if (h->underlay.family == AF_INET6 && mtu < 1280)
			topo_yaml_err(ty, f[F_MTU], "an IPv6 underlay needs an "
			    "MTU of at least 1280");
	}
}

void
topo_yaml_hosts(struct topo_yaml *ty, const struct ynode *map)
{
	struct topo	*t = ty->t;

	if (ynode_is_null(map) || (map->type == YNODE_MAP && map->n == 0)) {
		topo_yaml_err(ty, map, "expected at least one host");
		return;
	}
	if (!topo_yaml_want(ty, map, YNODE_MAP, false))
		return;
	if ((t->hosts = calloc(map->n, sizeof(*t->hosts))) == NULL) {
		ty->nomem = true;
		return;
	}
	for (size_t i = 0; i < map->n; i++)
		topo_yaml_host(ty, map, ynode_keys(map)[i], map->items[i],
		    &t->hosts[t->n_hosts++]);
}

bool
topo_yaml_host_ref(struct topo_yaml *ty, const struct ynode *n, size_t *host)
{
	const struct topo	*t = ty->t;
	struct topo_suggest	 sg;
	char			 hint[128];
	ssize_t			 i;

	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return false;
	if (t->n_hosts == 0) {
		topo_yaml_err(ty, n, "host '%s' is named, but the lab declares "
		    "no 'hosts:'", n->scalar);
		return false;
	}
	if ((i = topo_host_index(t, n->scalar)) >= 0) {
		*host = (size_t)i;
		return true;
	}
	topo_suggest_init(&sg, n->scalar);
	for (size_t k = 0; k < t->n_hosts; k++)
		topo_suggest_offer(&sg, t->hosts[k].name);
	topo_yaml_err(ty, n, "unknown host '%s'%s", n->scalar,
	    topo_suggest_str(&sg, hint, sizeof(hint)));
	return false;
}

/* A link between hosts, by its endpoints in byte order. */
struct topo_host_key {
	struct topo_link	*l;
	char			 a[2 * TOPO_NAME_MAX + IFNAMSIZ + 3];
	char			 b[2 * TOPO_NAME_MAX + IFNAMSIZ + 3];
};

static int
topo_host_key_cmp(const void *x, const void *y)
{
	const struct topo_host_key	*p = x, *q = y;
	int				 r;

	if ((r = strcmp(p->a, q->a)) != 0)
		return r;
	return strcmp(p->b, q->b);
}

/* The VNIs taken: open addressing, 0 is a free slot. */
struct topo_host_set {
	uint32_t	*v;
	size_t		 mask;
};

static bool
topo_host_set_add(struct topo_host_set *s, uint32_t vni)
{
	size_t	 h = (vni * 2654435761u) & s->mask;

	for (; s->v[h] != 0; h = (h + 1) & s->mask)
		if (s->v[h] == vni)
			return false;
	s->v[h] = vni;
	return true;
}

void
topo_host_vnis(struct topo_yaml *ty)
{
	struct topo		*t = ty->t;
	struct topo_host_key	*keys;
	struct topo_host_set	 set;
	size_t			 n = 0, cap = 16, i;

	while (cap < 2 * t->n_links + 2)
		cap *= 2;
	keys = calloc(t->n_links + 1, sizeof(*keys));
	set.v = calloc(cap, sizeof(*set.v));
	set.mask = cap - 1;
	if (keys == NULL || set.v == NULL) {
		free(keys);
		free(set.v);
		ty->nomem = true;
		return;
	}
	/* Written ones first: theirs is theirs (duplicates are errors). */
	for (i = 0; i < t->n_links; i++) {
		struct topo_link	*l = &t->links[i];
		struct topo_host_key	*k;
		int			 lo;

		if (!topo_link_cross(t, l))
			continue;
		if (l->vni_node != NULL) {
			(void)topo_host_set_add(&set, l->vni);
			continue;
		}
		k = &keys[n++];
		k->l = l;
		lo = strcmp(l->ep[0].node, l->ep[1].node) > 0 ||
		    (strcmp(l->ep[0].node, l->ep[1].node) == 0 &&
		    strcmp(l->ep[0].ifname, l->ep[1].ifname) > 0);
		snprintf(k->a, sizeof(k->a), "%s:%s", l->ep[lo].node,
		    l->ep[lo].ifname);
		snprintf(k->b, sizeof(k->b), "%s:%s", l->ep[!lo].node,
		    l->ep[!lo].ifname);
	}
	qsort(keys, n, sizeof(*keys), topo_host_key_cmp);
	for (i = 0; i < n; i++) {
		uint32_t	 vni;
		unsigned	 salt = 0;

		/* At most as many tries as links: the set never fills. */
		do
			vni = topo_vni_derive(t->lab, keys[i].a, keys[i].b,
			    salt++);
		while (!topo_host_set_add(&set, vni));
		keys[i].l->vni = vni;
	}
	free(keys);
	free(set.v);
}

/* ---- the checks -------------------------------------------------------- */

static int
topo_host_underlay_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo	*t = arg;
	const struct topo_ip	*a = &t->hosts[i].underlay;
	const struct topo_ip	*b = &t->hosts[j].underlay;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static void
topo_host_underlay_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo	*t = arg;
	const struct ynode	*u = ynode_get(ynode_get(ynode_get(t->root,
	    "hosts"), t->hosts[i].name), "underlay");

	if (t->hosts[i].underlay.family == 0)
		return;		/* not read: said already */
	topo_check_diag(c, DIAG_ERROR, u ? u : t->hosts[i].node, "host '%s' "
	    "has the underlay of host '%s': each host needs its own",
	    t->hosts[i].name, t->hosts[first].name);
}

static int
topo_host_vni_cmp(size_t i, size_t j, const void *arg)
{
	const struct topo_link *const *v = arg;

	return v[i]->vni < v[j]->vni ? -1 : v[i]->vni > v[j]->vni;
}

static void
topo_host_vni_dup(struct topo_check *c, const void *arg, size_t i,
    size_t first)
{
	const struct topo_link *const *v = arg;
	const struct ynode	*at = v[i]->vni_node ? v[i]->vni_node :
	    v[i]->node;
	const struct ynode	*f = v[first]->vni_node ? v[first]->vni_node :
	    v[first]->node;

	topo_check_diag(c, DIAG_ERROR, at, "vni %u is already that of link "
	    "%s:%s - %s:%s (%u:%u)", v[i]->vni, v[first]->ep[0].node,
	    v[first]->ep[0].ifname, v[first]->ep[1].node,
	    v[first]->ep[1].ifname, f->line, f->col);
}

/* Where to say that a link's MTU does not fit: its `mtu:`, else the
 * interface's that set it, else the link. */
static const struct ynode *
topo_host_mtu_node(const struct topo_link *l, int e)
{
	const struct topo_iface	*ifc = topo_ep_iface(&l->ep[e]);
	const struct ynode	*m;

	if (ifc != NULL && ifc->mtu != 0 &&
	    (m = ynode_get(ifc->node, "mtu")) != NULL)
		return m;
	if ((m = ynode_get(l->node, "mtu")) != NULL)
		return m;
	return l->node;
}

static void
topo_host_check_link(struct topo_check *c, const struct topo_link *l)
{
	const struct topo	*t = c->t;
	const struct topo_host	*a, *b;
	unsigned		 max, mtu;

	if (!topo_link_cross(t, l)) {
		if (l->vni_node != NULL && l->ep[0].ns && l->ep[1].ns)
			topo_check_diag(c, DIAG_ERROR, l->vni_node, t->n_hosts ?
			    "'vni' is for a link between hosts; %s and %s are "
			    "both on host '%s'" : "'vni' is for a link between "
			    "hosts, and the lab declares no 'hosts:'",
			    l->ep[0].node, l->ep[1].node, t->n_hosts ?
			    t->hosts[l->ep[0].ns->host].name : "");
		return;
	}
	a = topo_ns_host(t, l->ep[0].ns);
	b = topo_ns_host(t, l->ep[1].ns);
	if (a->underlay.family != b->underlay.family) {
		topo_check_diag(c, DIAG_ERROR, l->node, "hosts '%s' and '%s' "
		    "have underlays of different families (%s and %s): a VXLAN "
		    "tunnel between them needs one", a->name, b->name,
		    topo_family_str(a->underlay.family),
		    topo_family_str(b->underlay.family));
		return;
	}
	max = topo_link_mtu_max(t, l);
	for (int e = 0; e < 2; e++) {
		if ((mtu = topo_end_mtu(l, e)) <= max)
			continue;
		topo_check_diag(c, DIAG_ERROR, topo_host_mtu_node(l, e),
		    "%s:%s has MTU %u, more than the link between hosts '%s' "
		    "and '%s' carries: at most %u (an underlay MTU of %u less "
		    "%u for VXLAN over %s); set 'mtu: %u' on the link, or a "
		    "larger underlay 'mtu:' on the hosts", l->ep[e].node,
		    l->ep[e].ifname, mtu, a->name, b->name, max,
		    max + (a->underlay.family == AF_INET6 ?
		    TOPO_HOST_OVERHEAD6 : TOPO_HOST_OVERHEAD4),
		    a->underlay.family == AF_INET6 ? TOPO_HOST_OVERHEAD6 :
		    TOPO_HOST_OVERHEAD4, topo_family_str(a->underlay.family),
		    max);
		break;
	}
}

void
topo_check_hosts(struct topo_check *c)
{
	const struct topo	*t = c->t;
	const struct topo_link	**v;
	size_t			 n = 0;

	if (t->n_hosts > 1)
		topo_check_dups(c, t->n_hosts, topo_host_underlay_cmp, t,
		    topo_host_underlay_dup);
	for (size_t i = 0; i < t->n_links; i++)
		topo_host_check_link(c, &t->links[i]);
	/* Two links with one VNI: only written ones can be (derived ones
	 * move away from every other). */
	if ((v = calloc(t->n_links + 1, sizeof(*v))) == NULL) {
		diag_add(c->dl, DIAG_ERROR, t->file, 0, 0, "",
		    "out of memory while checking");
		return;
	}
	for (size_t i = 0; i < t->n_links; i++)
		if (topo_link_cross(t, &t->links[i]))
			v[n++] = &t->links[i];
	topo_check_dups(c, n, topo_host_vni_cmp, v, topo_host_vni_dup);
	free(v);
}
