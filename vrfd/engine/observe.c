/*
 * observe: one namespace as the kernel has it, for the diff. Five dumps
 * on a socket that lives in the namespace (links first, so devices can be
 * named and the mark read; then addresses, routes, neighbours, qdiscs,
 * of the kinds asked for and those the mark holds), then the sysctls
 * asked for, read from inside it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"
#include "kernel/nsid.h"
#include "kernel/own.h"
#include "observe.h"
#include "kernel/sysctl.h"
#include "util/strcopy.h"

#define OBSERVE_REQ_SIZE	256

/* Slots are taken first and given back when the message is not one to
 * keep: no copy of the (large) objects. A malformed message is skipped,
 * not fatal: one odd foreign object must not blind the whole pass. */
static int
observe_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ks_ns	*ns = arg;
	struct ks_link	*l;

	if ((l = ks_link_add(ns)) == NULL)
		return MNL_CB_ERROR;
	if (nl_link_parse(nlh, l) < 0)
		ns->n_links--;
	return MNL_CB_OK;
}

/*
 * Addresses and routes are dumped per family, IPv4 then IPv6: the kernel
 * dumps each family's without its global lock (6.9 and later), and the
 * dump of every family (AF_UNSPEC) under it, so that two threads reading
 * namespaces waited on each other (the floor's read of a grid of 100:
 * 17-23 ms of CPU against 14-18 per family). A restart drops this
 * family's only. A kernel without the family answers with every family
 * (its fallback): only the family asked for is taken.
 */
struct observe_fam {
	struct ks_ns	*ns;
	size_t		 keep;
	uint8_t		 family;
};

static int
observe_addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct observe_fam *f = arg;
	struct ks_ns	*ns = f->ns;
	struct ks_addr	*a;

	if ((a = ks_addr_add(ns)) == NULL)
		return MNL_CB_ERROR;
	if (nl_addr_parse(nlh, a) < 0 || a->family != f->family)
		ns->n_addrs--;
	return MNL_CB_OK;
}

static int
observe_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct observe_fam *f = arg;
	struct ks_ns	*ns = f->ns;
	struct ks_route	*r;
	int		 rv;

	if ((r = ks_route_add(ns)) == NULL)
		return MNL_CB_ERROR;
	/* The main table only (the kernel filters too, with strict
	 * checking). Local and broadcast routes live in table local; the
	 * type check is for kernels that put them elsewhere. */
	if ((rv = nl_route_parse(nlh, r)) < 0 || r->family != f->family ||
	    r->table != RT_TABLE_MAIN ||
	    r->type == RTN_LOCAL || r->type == RTN_BROADCAST ||
	    r->type == RTN_MULTICAST)
		ks_route_drop(ns);
	/* A multipath route left out for want of memory would read as
	 * missing, and be added again. */
	if (rv == -ENOMEM) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int
observe_neigh_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ks_ns	*ns = arg;
	struct ks_neigh	*n;

	if ((n = ks_neigh_add(ns)) == NULL)
		return MNL_CB_ERROR;
	/* Permanent entries and anyone's marked ones; the kernel's own
	 * (reachable, stale, noarp, incomplete) come and go by themselves. */
	if (nl_neigh_parse(nlh, n) < 0 ||
	    own_neigh(n, OWN_HOLDS_ALL) == OWN_KERNEL)
		ns->n_neighs--;
	return MNL_CB_OK;
}

/* An interrupted dump starts again: drop what it gave. */
static void
observe_reset_links(void *arg)
{
	((struct ks_ns *)arg)->n_links = 0;
}

static void
observe_reset_addrs(void *arg)
{
	struct observe_fam	*f = arg;

	f->ns->n_addrs = f->keep;
}

static void
observe_reset_routes(void *arg)
{
	struct observe_fam	*f = arg;

	while (f->ns->n_routes > f->keep)
		ks_route_drop(f->ns);
}

static void
observe_reset_neighs(void *arg)
{
	((struct ks_ns *)arg)->n_neighs = 0;
}

/* The qdiscs of links: what impairs them (ours, the kernel's default,
 * or someone's), each under its parent. */
static int
observe_qdisc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ks_ns	*ns = arg;
	struct ks_qdisc	*q;

	if ((q = ks_qdisc_add(ns)) == NULL)
		return MNL_CB_ERROR;
	if (nl_qdisc_parse(nlh, q) < 0)
		ns->n_qdiscs--;
	return MNL_CB_OK;
}

static void
observe_reset_qdiscs(void *arg)
{
	((struct ks_ns *)arg)->n_qdiscs = 0;
}

static const uint8_t observe_families[] = { AF_INET, AF_INET6 };

/* Of the families, those of KINDS (own.h: OWN_HOLDS_IPV4, _IPV6). */
static bool
observe_family_read(size_t k, unsigned kinds)
{
	return (kinds & own_family_kind(observe_families[k])) != 0;
}

static int
observe_addrs(struct nl_sock *sock, unsigned kinds, struct ks_ns *out)
{
	char		 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct observe_fam f = { out, 0, AF_UNSPEC };
	struct nlmsghdr	*nlh;
	struct ifaddrmsg *ifa;
	int		 rc;

	out->n_addrs = 0;
	for (size_t k = 0; k < sizeof(observe_families); k++) {
		if (!observe_family_read(k, kinds))
			continue;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_GETADDR;
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = f.family = observe_families[k];
		f.keep = out->n_addrs;
		if ((rc = nl_dump(sock, nlh, observe_addr_cb,
		    observe_reset_addrs, &f)) < 0)
			return rc;
	}
	return 0;
}

static int
observe_routes(struct nl_sock *sock, unsigned kinds, struct ks_ns *out)
{
	char		 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct observe_fam f = { out, 0, AF_UNSPEC };
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	int		 rc;

	observe_reset_routes(&f);
	for (size_t k = 0; k < sizeof(observe_families); k++) {
		if (!observe_family_read(k, kinds))
			continue;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_GETROUTE;
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = f.family = observe_families[k];
		rtm->rtm_table = RT_TABLE_MAIN;
		mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
		f.keep = out->n_routes;
		/* ENOENT: the family has no main table yet (IPv4's is
		 * made with its first route), so no routes. */
		if ((rc = nl_dump(sock, nlh, observe_route_cb,
		    observe_reset_routes, &f)) < 0 && rc != -ENOENT)
			return rc;
	}
	return 0;
}

static int
observe_neighs(struct nl_sock *sock, struct ks_ns *out)
{
	char		 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct ndmsg	*ndm;

	out->n_neighs = 0;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_UNSPEC;
	return nl_dump(sock, nlh, observe_neigh_cb, observe_reset_neighs,
	    out);
}

static int
observe_links(struct nl_sock *sock, struct ks_ns *out)
{
	char		 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	int		 rc;

	nlh = nsid_link_req(buf, RTM_GETLINK, -1, 0);
	if ((rc = nl_dump(sock, nlh, observe_link_cb, observe_reset_links,
	    out)) < 0)
		return rc;
	(void)ks_ns_index_links(out);	/* without memory: lookups walk */
	return 0;
}

int
observe_links_addrs(struct nl_sock *sock, struct ks_ns *out)
{
	int	 rc;

	if ((rc = observe_links(sock, out)) < 0)
		return rc;
	return observe_addrs(sock, OWN_HOLDS_ALL, out);
}

/* The kinds of object to read in OUT, whose links are read: NEED, and
 * what its mark says it holds (the loopback's alias). */
static unsigned
observe_kinds(const struct ks_ns *out, unsigned need)
{
	for (size_t i = 0; i < out->n_links; i++)
		if (out->links[i].kind == KS_LINK_LO)
			return need | own_mark_holds(out->links[i].alias);
	return OWN_HOLDS_ALL;
}

/*
 * Must the qdiscs be dumped? Where none is declared, only if a link has a
 * root qdisc that may be vrfd's or someone's: the links' own dump names
 * each one's (IFLA_QDISC), and the devices of a lab (veth, bridge, vxlan,
 * the loopback) have none of their own but "noqueue". A qdisc dump walks
 * every device; most namespaces then need none.
 */
static bool
observe_qdiscs_needed(const struct ks_ns *out, bool declared)
{
	if (declared)
		return true;
	for (size_t i = 0; i < out->n_links; i++)
		if (out->links[i].qdisc[0] != '\0' &&
		    strcmp(out->links[i].qdisc, "noqueue") != 0)
			return true;
	return false;
}

/* Every qdisc of every device, where they are needed: one dump (the
 * kernel filters by device only with strict checks and a handle). */
static int
observe_qdiscs(struct nl_sock *sock, bool declared, struct ks_ns *out)
{
	char		 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct tcmsg	*tcm;

	out->n_qdiscs = 0;
	if (!observe_qdiscs_needed(out, declared))
		return 0;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETQDISC;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	return nl_dump(sock, nlh, observe_qdisc_cb, observe_reset_qdiscs, out);
}

/* Device names, now that every link is known. */
static void
observe_names(struct ks_ns *out)
{
	size_t		 i;
	int		 j;

	for (i = 0; i < out->n_links; i++)
		ks_link_resolve(out, &out->links[i]);
	for (i = 0; i < out->n_addrs; i++)
		str_copy(out->addrs[i].dev, sizeof(out->addrs[i].dev),
		    ks_ifname(out, out->addrs[i].ifindex));
	for (i = 0; i < out->n_routes; i++)
		for (j = 0; j < out->routes[i].n_nh; j++) {
			struct ks_nexthop *nh = ks_nh(&out->routes[i], j);

			str_copy(nh->dev, sizeof(nh->dev),
			    ks_ifname(out, nh->ifindex));
		}
	for (i = 0; i < out->n_neighs; i++)
		str_copy(out->neighs[i].dev, sizeof(out->neighs[i].dev),
		    ks_ifname(out, out->neighs[i].ifindex));
	for (i = 0; i < out->n_qdiscs; i++)
		str_copy(out->qdiscs[i].dev, sizeof(out->qdiscs[i].dev),
		    ks_ifname(out, out->qdiscs[i].ifindex));
}

/*
 * Sysctls that netconf carries (forwarding, rp_filter, proxy_arp/ndp,
 * ignore_routes_with_linkdown, for all, default and each device) are read
 * with one RTM_GETNETCONF per family (a dump, or a request for the one
 * device asked): a /proc/sys read costs a namespace switch and gets slower
 * the more namespaces exist.
 */
struct observe_nc_key {
	int		 family;
	char		 dev[IFNAMSIZ];		/* "all", "default" or a link */
	int		 attr;			/* NETCONFA_* */
};

static bool
observe_nc_parse_key(const char *key, struct observe_nc_key *k)
{
	static const struct { const char *name; int attr; } v4[] = {
		{ "forwarding", NETCONFA_FORWARDING },
		{ "rp_filter", NETCONFA_RP_FILTER },
		{ "proxy_arp", NETCONFA_PROXY_NEIGH },
		{ "ignore_routes_with_linkdown",
		    NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN },
	}, v6[] = {
		{ "forwarding", NETCONFA_FORWARDING },
		{ "proxy_ndp", NETCONFA_PROXY_NEIGH },
		{ "ignore_routes_with_linkdown",
		    NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN },
	};
	const char	*rest, *dot;
	size_t		 n, len;

	if (strcmp(key, "net.ipv4.ip_forward") == 0) {
		k->family = AF_INET;
		strcpy(k->dev, "all");
		k->attr = NETCONFA_FORWARDING;
		return true;
	}
	if (strncmp(key, "net.ipv4.conf.", 14) == 0)
		k->family = AF_INET;
	else if (strncmp(key, "net.ipv6.conf.", 14) == 0)
		k->family = AF_INET6;
	else
		return false;
	rest = key + 14;
	/* the last dot: interface names may hold '/' (written for '.') */
	if ((dot = strrchr(rest, '.')) == NULL ||
	    (len = (size_t)(dot - rest)) == 0 || len >= IFNAMSIZ)
		return false;
	memcpy(k->dev, rest, len);
	k->dev[len] = '\0';
	for (char *p = k->dev; *p; p++)
		if (*p == '/')
			*p = '.';
	n = k->family == AF_INET ? sizeof(v4) / sizeof(v4[0]) :
	    sizeof(v6) / sizeof(v6[0]);
	for (size_t i = 0; i < n; i++)
		if (strcmp(dot + 1, k->family == AF_INET ? v4[i].name :
		    v6[i].name) == 0) {
			k->attr = k->family == AF_INET ? v4[i].attr :
			    v6[i].attr;
			return true;
		}
	return false;
}

uint64_t
observe_keys_add(uint64_t h, const char *key)
{
	for (const char *c = key; ; c++) {
		h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
		if (*c == '\0')
			break;
	}
	return h;
}

bool
observe_sysctl_evented(const char *key)
{
	struct observe_nc_key	 k;

	return observe_nc_parse_key(key, &k);
}

/* One dump's answers: per device, the attributes. */
struct observe_nc {
	const struct ks_ns	*ns;
	struct ks_netconf	*v;
	size_t			 n;
};

static int
observe_nc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct observe_nc	*nc = arg;
	struct ks_netconf	*v;

	if ((v = reallocarray(nc->v, nc->n + 1, sizeof(*nc->v))) == NULL)
		return MNL_CB_ERROR;
	nc->v = v;
	if (nl_netconf_parse(nlh, &nc->v[nc->n]) == 0)
		nc->n++;
	return MNL_CB_OK;
}

static void
observe_nc_reset(void *arg)
{
	((struct observe_nc *)arg)->n = 0;
}

/* The device of K: its ifindex, or 0 if there is no such link yet. */
static int
observe_nc_ifindex(const struct observe_nc_key *k, const struct ks_ns *out)
{
	const struct ks_link	*l;

	if (strcmp(k->dev, "all") == 0)
		return NETCONFA_IFINDEX_ALL;
	if (strcmp(k->dev, "default") == 0)
		return NETCONFA_IFINDEX_DEFAULT;
	return (l = ks_link_by_name(out, k->dev)) ? l->ifindex : 0;
}

/* Key K from its family's answers in NC, asked for first: one dump of
 * every device, or, when K is ONE (its family's only key), a request for
 * its device alone, which costs half as much (net.ipv4.ip_forward in
 * every namespace of a lab). */
static int
observe_netconf(struct nl_sock *sock, const struct observe_nc_key *k,
    const char *key, bool one, struct observe_nc *nc, struct ks_ns *out)
{
	char			 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct observe_nc	*f = &nc[k->family == AF_INET6];
	struct nlmsghdr		*nlh;
	struct netconfmsg	*ncm;
	struct ks_sysctl	*sc;
	int			 ifindex = observe_nc_ifindex(k, out), rc;

	if (f->ns == NULL && (!one || ifindex != 0)) {
		f->ns = out;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_GETNETCONF;
		ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
		ncm->ncm_family = (uint8_t)k->family;
		if (one) {
			mnl_attr_put_u32(nlh, NETCONFA_IFINDEX,
			    (uint32_t)ifindex);
			/* ENODEV: the link went after the link dump. */
			if ((rc = nl_get(sock, nlh, observe_nc_cb, f)) < 0 &&
			    rc != -ENODEV)
				return rc;
		} else if ((rc = nl_dump(sock, nlh, observe_nc_cb,
		    observe_nc_reset, f)) < 0)
			return rc;
	}
	if (ifindex == 0)
		return 0;	/* no such link yet: left out */
	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i].ifindex != ifindex || !f->v[i].has[k->attr])
			continue;
		if ((sc = ks_sysctl_add(out)) == NULL)
			return -ENOMEM;
		str_copy(sc->key, sizeof(sc->key), key);
		snprintf(sc->value, sizeof(sc->value), "%d",
		    (int)f->v[i].val[k->attr]);
		break;
	}
	return 0;
}

/* Read KEYS: netconf ones by dump, the rest from /proc/sys inside NSFD
 * (-1: here). Unreadable keys are left out; failing to come back from
 * the namespace is the one fatal error. */
static int
observe_sysctls(struct nl_sock *sock, int nsfd, const char *const *keys,
    size_t n_keys, struct ks_ns *out)
{
	struct observe_nc	 nc[2];
	struct observe_nc_key	 k;
	size_t			 n_nc[2] = { 0, 0 };
	struct ks_sysctl	*sc;
	size_t			 i;
	int			 saved = -1, rc = 0, lrc;

	memset(nc, 0, sizeof(nc));
	for (i = 0; i < n_keys; i++)
		if (observe_nc_parse_key(keys[i], &k))
			n_nc[k.family == AF_INET6]++;
	for (i = 0; i < n_keys && rc == 0; i++)
		if (observe_nc_parse_key(keys[i], &k))
			rc = observe_netconf(sock, &k, keys[i],
			    n_nc[k.family == AF_INET6] == 1, nc, out);
	free(nc[0].v);
	free(nc[1].v);
	if (rc < 0)
		return rc;
	for (i = 0; i < n_keys; i++) {
		if (observe_nc_parse_key(keys[i], &k))
			continue;
		if (saved < 0 && nsfd >= 0 &&
		    (rc = netns_enter(nsfd, &saved)) < 0)
			return rc;
		if ((sc = ks_sysctl_add(out)) == NULL) {
			rc = -ENOMEM;
			break;
		}
		if (strlen(keys[i]) >= sizeof(sc->key) ||
		    sysctl_read(keys[i], sc->value, sizeof(sc->value)) < 0) {
			out->n_sysctls--;
			continue;
		}
		memcpy(sc->key, keys[i], strlen(keys[i]) + 1);
	}
	if (saved >= 0 && (lrc = netns_leave(saved)) < 0)
		rc = lrc;
	return rc;
}

int
observe_ns(struct nl_sock *sock, int nsfd, const char *const *keys,
    size_t n_keys, bool qdiscs, unsigned need, struct ks_ns *out)
{
	unsigned	kinds;
	int		rc;

	ks_ns_clear(out);
	if ((rc = observe_links(sock, out)) < 0)
		return rc;
	kinds = observe_kinds(out, need);
	if ((rc = observe_addrs(sock, kinds, out)) < 0 ||
	    (rc = observe_routes(sock, kinds, out)) < 0 ||
	    ((kinds & OWN_HOLDS_NEIGH) &&
	    (rc = observe_neighs(sock, out)) < 0) ||
	    (rc = observe_qdiscs(sock, qdiscs, out)) < 0)
		return rc;
	observe_names(out);
	out->exists = true;
	out->kinds = kinds;
	return observe_sysctls(sock, nsfd, keys, n_keys, out);
}

unsigned
observe_missing(const struct ks_ns *have, unsigned need)
{
	unsigned	missing = need & ~have->kinds, kinds = 0;

	if (missing & (OWN_HOLDS_IPV4 | OWN_HOLDS_IPV6))
		kinds |= OBSERVE_ADDRS | OBSERVE_ROUTES;
	if (missing & OWN_HOLDS_NEIGH)
		kinds |= OBSERVE_NEIGHS;
	return kinds;
}

int
observe_again(struct nl_sock *sock, int nsfd, const char *const *keys,
    size_t n_keys, bool qdiscs, unsigned kinds, struct ks_ns *out)
{
	int	rc = 0;

	/* Both families, as they come: all it had, and any it lacked. */
	if (((kinds & OBSERVE_ADDRS) &&
	    (rc = observe_addrs(sock, OWN_HOLDS_ALL, out)) < 0) ||
	    ((kinds & OBSERVE_ROUTES) &&
	    (rc = observe_routes(sock, OWN_HOLDS_ALL, out)) < 0) ||
	    ((kinds & OBSERVE_NEIGHS) &&
	    (rc = observe_neighs(sock, out)) < 0) ||
	    ((kinds & OBSERVE_QDISCS) &&
	    (rc = observe_qdiscs(sock, qdiscs, out)) < 0))
		return rc;
	observe_names(out);
	if ((kinds & OBSERVE_ADDRS) && (kinds & OBSERVE_ROUTES))
		out->kinds |= OWN_HOLDS_IPV4 | OWN_HOLDS_IPV6;
	if (kinds & OBSERVE_NEIGHS)
		out->kinds |= OWN_HOLDS_NEIGH;
	if (!(kinds & OBSERVE_SYSCTLS))
		return 0;
	free(out->sysctls);
	out->sysctls = NULL;
	out->n_sysctls = 0;
	return observe_sysctls(sock, nsfd, keys, n_keys, out);
}

/* One link's message, as it is (zeroed when it is not one). */
static int
observe_one_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ks_link	*l = arg;

	if (nl_link_parse(nlh, l) < 0)
		memset(l, 0, sizeof(*l));
	return MNL_CB_OK;
}

int
observe_link(struct nl_sock *sock, const char *name, struct ks_ns *out)
{
	char		 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct ks_link	 k, *old;
	int		 rv;

	memset(&k, 0, sizeof(k));
	nlh = nsid_link_req(buf, RTM_GETLINK, -1, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	rv = nl_get(sock, nlh, observe_one_link_cb, &k);
	if (rv == -ENODEV) {
		if ((old = ks_link_by_name(out, name)) == NULL)
			return 0;
		k = *old;
		return ks_ns_link_news(out, &k, true);
	}
	if (rv < 0)
		return rv;
	if (k.ifindex <= 0)
		return -EPROTO;
	return ks_ns_link_news(out, &k, false);
}

int
observe_lo_alias(struct nl_sock *sock, int nsid, char *alias, size_t len)
{
	char		 buf[OBSERVE_REQ_SIZE] __attribute__((aligned(8)));
	struct ks_link	 lo;
	int		 rc;

	if (len == 0)
		return -EINVAL;
	alias[0] = '\0';
	memset(&lo, 0, sizeof(lo));
	/* The loopback is ifindex 1 in every namespace. */
	if ((rc = nl_get(sock, nsid_link_req(buf, RTM_GETLINK, nsid, 1),
	    observe_one_link_cb, &lo)) < 0)
		return rc;
	snprintf(alias, len, "%s", lo.alias);
	return 0;
}
