/*
 * kstate: the kernel objects of one namespace, as plain arrays.
 *
 * compile.c fills a ks_ns from the topology, observe.c from the kernel; the
 * diff compares the two with the key and content comparisons here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "kstate.h"
#include "util/strcopy.h"

/*
 * The arrays carry no capacity field: it is derived from the count. Every
 * allocation is a power of two of at least KS_MIN_SLOTS, so the allocated
 * size is never below ks_cap(n) and a slot must be added exactly when n
 * reaches ks_cap(n).
 */
#define KS_MIN_SLOTS	8

static size_t
ks_cap(size_t n)
{
	size_t	c;

	if (n == 0)
		return 0;
	for (c = KS_MIN_SLOTS; c < n; c *= 2)
		;
	return c;
}

static void *
ks_grow(void **arr, size_t *n, size_t size)
{
	size_t	 cap = ks_cap(*n), ncap;
	char	*p;

	if (*n == cap) {
		ncap = cap ? cap * 2 : KS_MIN_SLOTS;
		if (ncap > SIZE_MAX / size) {
			errno = ENOMEM;
			return NULL;
		}
		if ((p = realloc(*arr, ncap * size)) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		*arr = p;
	}
	p = (char *)*arr + *n * size;
	memset(p, 0, size);
	(*n)++;
	return p;
}

struct ks_link *
ks_link_add(struct ks_ns *ns)
{
	struct ks_link	*l;

	if ((l = ks_grow((void **)&ns->links, &ns->n_links,
	    sizeof(*l))) != NULL)
		l->peer_nsid = -1;
	return l;
}

struct ks_addr *
ks_addr_add(struct ks_ns *ns)
{
	return ks_grow((void **)&ns->addrs, &ns->n_addrs,
	    sizeof(struct ks_addr));
}

struct ks_route *
ks_route_add(struct ks_ns *ns)
{
	return ks_grow((void **)&ns->routes, &ns->n_routes,
	    sizeof(struct ks_route));
}

struct ks_neigh *
ks_neigh_add(struct ks_ns *ns)
{
	return ks_grow((void **)&ns->neighs, &ns->n_neighs,
	    sizeof(struct ks_neigh));
}

struct ks_sysctl *
ks_sysctl_add(struct ks_ns *ns)
{
	return ks_grow((void **)&ns->sysctls, &ns->n_sysctls,
	    sizeof(struct ks_sysctl));
}

struct ks_qdisc *
ks_qdisc_add(struct ks_ns *ns)
{
	return ks_grow((void **)&ns->qdiscs, &ns->n_qdiscs,
	    sizeof(struct ks_qdisc));
}

void
ks_route_drop(struct ks_ns *ns)
{
	ks_route_clear(&ns->routes[--ns->n_routes]);
}

void
ks_ns_clear(struct ks_ns *ns)
{
	char	name[sizeof(ns->name)];
	size_t	i;

	memcpy(name, ns->name, sizeof(name));
	free(ns->links);
	free(ns->addrs);
	for (i = 0; i < ns->n_routes; i++)
		free(ns->routes[i].nhs);
	free(ns->routes);
	free(ns->neighs);
	free(ns->sysctls);
	free(ns->qdiscs);
	nameidx_free(&ns->link_names);
	keyidx_free(&ns->link_indexes);
	memset(ns, 0, sizeof(*ns));
	memcpy(ns->name, name, sizeof(name));
}

void
ks_ns_only_neighs(struct ks_ns *ns)
{
	struct ks_neigh	*v = NULL;
	size_t		 n = ns->n_neighs;

	if (n > 0 && (v = calloc(ks_cap(n), sizeof(*v))) != NULL)
		memcpy(v, ns->neighs, n * sizeof(*v));
	else if (n > 0) {
		v = ns->neighs;		/* no memory: the array as it is */
		ns->neighs = NULL;
	}
	ks_ns_clear(ns);
	ns->neighs = v;
	ns->n_neighs = n;
}

/*
 * A multipath route's array, like the namespace's arrays, has no capacity
 * field: it is a power of two of at least 2 (the second nexthop makes it),
 * so a route of two, the common ECMP, costs 80 bytes more and a route
 * grown to 16 is reallocated three times.
 */
static int
ks_nh_cap(int n)
{
	int	c;

	for (c = 2; c < n; c *= 2)
		;
	return c;
}

struct ks_nexthop *
ks_route_nh_add(struct ks_route *r)
{
	struct ks_nexthop	*v;
	int			 n = r->n_nh;

	if (n >= KS_MAX_NEXTHOPS) {
		errno = E2BIG;
		return NULL;
	}
	if (n == 0) {
		memset(&r->nh1, 0, sizeof(r->nh1));
		r->n_nh = 1;
		return &r->nh1;
	}
	if (n == 1) {
		if ((v = malloc((size_t)ks_nh_cap(2) * sizeof(*v))) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		v[0] = r->nh1;
		memset(&r->nh1, 0, sizeof(r->nh1));
		r->nhs = v;
	} else if (n == ks_nh_cap(n)) {
		if ((v = reallocarray(r->nhs, (size_t)n * 2,
		    sizeof(*v))) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		r->nhs = v;
	}
	v = &r->nhs[r->n_nh++];
	memset(v, 0, sizeof(*v));
	return v;
}

void
ks_route_clear(struct ks_route *r)
{
	free(r->nhs);
	r->nhs = NULL;
	r->n_nh = 0;
	memset(&r->nh1, 0, sizeof(r->nh1));
}

int
ks_route_copy(struct ks_route *dst, const struct ks_route *src)
{
	*dst = *src;
	if (src->nhs == NULL)
		return 0;
	if ((dst->nhs = reallocarray(NULL, (size_t)ks_nh_cap(src->n_nh),
	    sizeof(*dst->nhs))) == NULL) {
		dst->n_nh = 0;
		return -ENOMEM;
	}
	memcpy(dst->nhs, src->nhs, (size_t)src->n_nh * sizeof(*dst->nhs));
	return 0;
}

/* ---- the links' indexes ----------------------------------------------
 * Made past KS_INDEX_MIN links: below, a walk is as fast. */
#define KS_INDEX_MIN	32

static const char *
ks_link_name_at(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct ks_ns, link_names)->links[i].name;
}

static uint64_t
ks_ifindex_hash(int ifindex)
{
	return keyidx_hash(&ifindex, sizeof(ifindex));
}

static uint64_t
ks_link_ifindex_hash_at(const struct keyidx *x, size_t i)
{
	return ks_ifindex_hash(KEYIDX_OWNER(x, const struct ks_ns,
	    link_indexes)->links[i].ifindex);
}

static bool
ks_link_ifindex_is(const struct keyidx *x, size_t i, const void *key)
{
	return KEYIDX_OWNER(x, const struct ks_ns, link_indexes)->links[i].
	    ifindex == *(const int *)key;
}

/* Is the index of NS's links of the links there are? */
static bool
ks_links_indexed(const struct ks_ns *ns)
{
	return ns->n_links_indexed == ns->n_links && ns->n_links > 0;
}

int
ks_ns_index_links(struct ks_ns *ns)
{
	int	 ifindex;

	nameidx_free(&ns->link_names);
	keyidx_free(&ns->link_indexes);
	ns->n_links_indexed = 0;
	if (ns->n_links < KS_INDEX_MIN)
		return 0;
	nameidx_init(&ns->link_names, ks_link_name_at);
	ns->link_indexes.hash_at = ks_link_ifindex_hash_at;
	ns->link_indexes.is = ks_link_ifindex_is;
	if (keyidx_reserve(&ns->link_names.k, ns->n_links) < 0 ||
	    keyidx_reserve(&ns->link_indexes, ns->n_links) < 0) {
		nameidx_free(&ns->link_names);
		keyidx_free(&ns->link_indexes);
		return -ENOMEM;
	}
	/* The first of a name or an ifindex, as a walk finds it. */
	for (size_t i = 0; i < ns->n_links; i++) {
		ifindex = ns->links[i].ifindex;
		if ((nameidx_find(&ns->link_names, ns->links[i].name) < 0 &&
		    nameidx_put(&ns->link_names, ns->links[i].name, i) < 0) ||
		    (ifindex > 0 && keyidx_find(&ns->link_indexes,
		    ks_ifindex_hash(ifindex), &ifindex) < 0 &&
		    keyidx_put(&ns->link_indexes, ks_ifindex_hash(ifindex),
		    &ifindex, i) < 0)) {
			nameidx_free(&ns->link_names);
			keyidx_free(&ns->link_indexes);
			return -ENOMEM;
		}
	}
	ns->n_links_indexed = ns->n_links;
	return 0;
}

struct ks_link *
ks_link_by_name(const struct ks_ns *ns, const char *name)
{
	ssize_t	 k;

	if (ks_links_indexed(ns))
		return (k = nameidx_find(&ns->link_names, name)) < 0 ? NULL :
		    &ns->links[k];
	for (size_t i = 0; i < ns->n_links; i++)
		if (strcmp(ns->links[i].name, name) == 0)
			return &ns->links[i];
	return NULL;
}

struct ks_link *
ks_link_by_index(const struct ks_ns *ns, int ifindex)
{
	ssize_t	 k;

	if (ifindex <= 0)
		return NULL;
	if (ks_links_indexed(ns))
		return (k = keyidx_find(&ns->link_indexes,
		    ks_ifindex_hash(ifindex), &ifindex)) < 0 ? NULL :
		    &ns->links[k];
	for (size_t i = 0; i < ns->n_links; i++)
		if (ns->links[i].ifindex == ifindex)
			return &ns->links[i];
	return NULL;
}

void
ks_link_resolve(struct ks_ns *ns, struct ks_link *l)
{
	if (l->master_ifindex > 0)
		str_copy(l->master, sizeof(l->master),
		    ks_ifname(ns, l->master_ifindex));
	if (l->kind == KS_LINK_LO)
		str_copy(ns->lo_alias, sizeof(ns->lo_alias), l->alias);
}

int
ks_ns_link_news(struct ks_ns *ns, const struct ks_link *k, bool gone)
{
	struct ks_link	*l = ks_link_by_index(ns, k->ifindex);
	size_t		 n = 0;

	/* The common news, a state of a link as it was named: in place,
	 * the index as it is. */
	if (!gone && l != NULL && strcmp(l->name, k->name) == 0) {
		*l = *k;
		ks_link_resolve(ns, l);
		return 0;
	}
	for (size_t i = 0; i < ns->n_links; i++) {
		l = &ns->links[i];
		if (l->ifindex == k->ifindex ||
		    (!gone && strcmp(l->name, k->name) == 0))
			continue;
		if (n != i)
			ns->links[n] = *l;
		n++;
	}
	ns->n_links = n;
	if (!gone) {
		if ((l = ks_link_add(ns)) == NULL) {
			(void)ks_ns_index_links(ns);
			return -ENOMEM;
		}
		*l = *k;
		ks_link_resolve(ns, l);
	}
	return ks_ns_index_links(ns);
}

const char *
ks_ifname(const struct ks_ns *ns, int ifindex)
{
	const struct ks_link	*l = ks_link_by_index(ns, ifindex);

	return l ? l->name : "";
}

static size_t
ks_alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* Equal in the first LEN bits; host bits beyond the prefix don't count,
 * as the kernel keys routes by the masked prefix. */
static bool
ks_prefix_eq(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned	bytes = len / 8, bits = len % 8;
	uint8_t		mask;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (bits == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - bits));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

bool
ks_addr_same_key(const struct ks_addr *a, const struct ks_addr *b)
{
	return a->family == b->family && a->plen == b->plen &&
	    memcmp(a->addr, b->addr, ks_alen(a->family)) == 0 &&
	    strcmp(a->dev, b->dev) == 0;
}

bool
ks_route_same_key(const struct ks_route *a, const struct ks_route *b)
{
	unsigned	max = ks_alen(a->family) * 8;

	if (a->family != b->family || a->table != b->table ||
	    a->dst_len != b->dst_len || a->priority != b->priority)
		return false;
	return ks_prefix_eq(a->dst, b->dst,
	    a->dst_len < max ? a->dst_len : max);
}

static uint64_t
ks_mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

uint64_t
ks_route_key_hash(const struct ks_route *r)
{
	unsigned	max = ks_alen(r->family) * 8, len;
	uint8_t		dst[16] = { 0 };
	uint64_t	h, lo, hi;

	/* Over what ks_route_same_key compares, host bits out; a word at
	 * a time: the diff hashes every route of a pass twice. */
	len = r->dst_len < max ? r->dst_len : max;
	memcpy(dst, r->dst, (len + 7) / 8);
	if (len % 8)
		dst[len / 8] &= (uint8_t)(0xff << (8 - len % 8));
	memcpy(&lo, dst, 8);
	memcpy(&hi, dst + 8, 8);
	h = ks_mix(0xcbf29ce484222325ULL, (uint64_t)(uint32_t)r->family |
	    (uint64_t)r->dst_len << 32);
	h = ks_mix(h, (uint64_t)r->table | (uint64_t)r->priority << 32);
	h = ks_mix(h, lo);
	return ks_mix(h, hi);
}

uint64_t
ks_addr_key_hash(const struct ks_addr *a)
{
	uint8_t		 addr[16] = { 0 };
	uint64_t	 lo, hi;

	/* Over what ks_addr_same_key compares. */
	memcpy(addr, a->addr, ks_alen(a->family));
	memcpy(&lo, addr, 8);
	memcpy(&hi, addr + 8, 8);
	return ks_mix(ks_mix(ks_mix(keyidx_hash(a->dev, strlen(a->dev)),
	    (uint64_t)(uint32_t)a->family | (uint64_t)a->plen << 32), lo),
	    hi);
}

static int
ks_gw_family(const struct ks_route *r, const struct ks_nexthop *nh)
{
	return nh->gw_family ? nh->gw_family : r->family;
}

/* A weight of 0 means the default, 1. A lone nexthop has no weight in the
 * kernel (RTA_GATEWAY/RTA_OIF carry none), so it is not compared then.
 * An empty dev on either side is "any device". */
static bool
ks_nh_eq(const struct ks_route *ra, const struct ks_nexthop *a,
    const struct ks_route *rb, const struct ks_nexthop *b, bool weights)
{
	unsigned	wa = a->weight ? a->weight : 1;
	unsigned	wb = b->weight ? b->weight : 1;
	int		fa = ks_gw_family(ra, a), fb = ks_gw_family(rb, b);

	if (a->has_gw != b->has_gw)
		return false;
	if (a->has_gw && (fa != fb ||
	    memcmp(a->gw, b->gw, ks_alen(fa)) != 0))
		return false;
	if (a->dev[0] != '\0' && b->dev[0] != '\0' &&
	    strcmp(a->dev, b->dev) != 0)
		return false;
	return !weights || wa == wb;
}

/* Bipartite matching (augmenting paths): with "any device" wildcards a
 * greedy pairing could miss a perfect match that exists. */
struct ks_match {
	const struct ks_route	*a, *b;
	bool			 weights;
	int			 owner[KS_MAX_NEXTHOPS];	/* b slot -> a idx */
	bool			 seen[KS_MAX_NEXTHOPS];
};

static bool
ks_match_try(struct ks_match *m, int i)
{
	int	j;

	for (j = 0; j < m->b->n_nh; j++) {
		if (m->seen[j] || !ks_nh_eq(m->a, ks_nh(m->a, i), m->b,
		    ks_nh(m->b, j), m->weights))
			continue;
		m->seen[j] = true;
		if (m->owner[j] < 0 || ks_match_try(m, m->owner[j])) {
			m->owner[j] = i;
			return true;
		}
	}
	return false;
}

bool
ks_route_nexthops_same(const struct ks_route *a, const struct ks_route *b)
{
	struct ks_match	m;
	int		i, n = a->n_nh;

	if (a->n_nh != b->n_nh)
		return false;
	if (n < 0 || n > KS_MAX_NEXTHOPS)
		return false;
	m.a = a;
	m.b = b;
	m.weights = n > 1;
	for (i = 0; i < n; i++)
		m.owner[i] = -1;
	for (i = 0; i < n; i++) {
		memset(m.seen, 0, sizeof(m.seen));
		if (!ks_match_try(&m, i))
			return false;
	}
	return true;
}

bool
ks_route_same(const struct ks_route *a, const struct ks_route *b)
{
	if (!ks_route_same_key(a, b))
		return false;
	if (a->type != b->type || a->protocol != b->protocol)
		return false;
	return ks_route_nexthops_same(a, b);
}

bool
ks_neigh_same_key(const struct ks_neigh *a, const struct ks_neigh *b)
{
	return a->family == b->family &&
	    memcmp(a->ip, b->ip, ks_alen(a->family)) == 0 &&
	    strcmp(a->dev, b->dev) == 0;
}

static const char *
ks_prefix_str(int family, const uint8_t *addr, unsigned plen, char *buf,
    size_t len)
{
	char	ip[INET6_ADDRSTRLEN];

	if (len == 0)
		return buf;
	if (inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, ip,
	    sizeof(ip)) == NULL)
		snprintf(buf, len, "?/%u", plen);
	else
		snprintf(buf, len, "%s/%u", ip, plen);
	return buf;
}

const char *
ks_addr_str(const struct ks_addr *a, char *buf, size_t len)
{
	return ks_prefix_str(a->family, a->addr, a->plen, buf, len);
}

const char *
ks_route_dst_str(const struct ks_route *r, char *buf, size_t len)
{
	if (r->dst_len == 0) {
		if (len > 0)
			snprintf(buf, len, "default");
		return buf;
	}
	return ks_prefix_str(r->family, r->dst, r->dst_len, buf, len);
}

const char *
ks_route_type_str(uint8_t type)
{
	/* iproute2's words, so text forms can be fed back to `ip route` */
	static const char *const names[] = {
		[RTN_UNSPEC] = "none",
		[RTN_UNICAST] = "unicast",
		[RTN_LOCAL] = "local",
		[RTN_BROADCAST] = "broadcast",
		[RTN_ANYCAST] = "anycast",
		[RTN_MULTICAST] = "multicast",
		[RTN_BLACKHOLE] = "blackhole",
		[RTN_UNREACHABLE] = "unreachable",
		[RTN_PROHIBIT] = "prohibit",
		[RTN_THROW] = "throw",
		[RTN_NAT] = "nat",
		[RTN_XRESOLVE] = "xresolve",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type] != NULL)
		return names[type];
	return "unknown";
}

const char *
ks_mac_str(const uint8_t mac[6], char *buf, size_t len)
{
	if (len > 0)
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
