/*
 * nl_smoke: the kernel layer (netns, nl, codecs, observe, sysctl) against
 * a real kernel. Root, and only inside tests/netns/sandbox.
 *
 *   nl_smoke            build two routers r1, r2 and check everything;
 *                       the namespaces stay for the caller to inspect
 *   nl_smoke teardown   delete them
 *   nl_smoke chain N    time a chain of N routers (netns, veth, addresses,
 *                       routes), the way the apply stage would build it
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "check.h"
#include "kernel/kstate.h"
#include "kernel/own.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"
#include "engine/observe.h"
#include "kernel/sysctl.h"

#define MAXREQ	20000

struct results {
	int	 n;
	int	 err[MAXREQ];
	int	 seen[MAXREQ];
	char	 extack[MAXREQ][64];
};

static struct results	res;

static void
result_cb(void *arg, size_t tag, int err, const char *extack)
{
	struct results	*r = arg;

	r->n++;
	if (tag >= MAXREQ)
		return;
	r->seen[tag]++;
	r->err[tag] = err;
	snprintf(r->extack[tag], sizeof(r->extack[tag]), "%s",
	    extack ? extack : "");
}

static void
results_reset(void)
{
	memset(&res, 0, sizeof(res));
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static ino_t
self_netns(void)
{
	struct stat	st;

	if (stat("/proc/thread-self/ns/net", &st) == -1)
		return 0;
	return st.st_ino;
}

static void
ip4(uint8_t *dst, const char *s)
{
	if (inet_pton(AF_INET, s, dst) != 1)
		abort();
}

static void
ip6(uint8_t *dst, const char *s)
{
	if (inet_pton(AF_INET6, s, dst) != 1)
		abort();
}

static void
prep_ns(const char *name, int fd)
{
	static const char *const keys[][2] = {
		{ "net.ipv6.conf.all.accept_dad", "0" },
		{ "net.ipv6.conf.default.accept_dad", "0" },
		{ "net.ipv4.ip_forward", "1" },
		{ "net.ipv6.conf.all.forwarding", "1" },
	};
	size_t	i;
	int	saved;

	CHECK_INTEQ(netns_enter(fd, &saved), 0);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		CHECK_INTEQ(sysctl_write(keys[i][0], keys[i][1]), 0);
	CHECK_INTEQ(netns_leave(saved), 0);
	(void)name;
}

static void
put_lo(struct nl_batch *b, const char *alias, size_t tag)
{
	struct ks_link	lo;

	memset(&lo, 0, sizeof(lo));
	lo.up = true;
	snprintf(lo.alias, sizeof(lo.alias), "%s", alias);
	nl_link_put_set(nl_batch_msg(b, RTM_NEWLINK, 0, tag), 1, &lo,
	    NL_LINK_SET_UP | NL_LINK_SET_MARK, 0);
}

static void
veth(struct ks_link *a, struct ks_link *b, const char *an, int ai,
    const char *bn, int bi)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	snprintf(a->name, sizeof(a->name), "%s", an);
	snprintf(b->name, sizeof(b->name), "%s", bn);
	a->ifindex = ai;
	b->ifindex = bi;
	a->mtu = b->mtu = 1400;
	a->up = b->up = true;
	a->has_mac = b->has_mac = true;
	memcpy(a->mac, (uint8_t[6]){ 2, 0, 0, 0, (uint8_t)ai, 1 }, 6);
	memcpy(b->mac, (uint8_t[6]){ 2, 0, 0, 0, (uint8_t)bi, 2 }, 6);
	snprintf(a->alias, sizeof(a->alias), "vrfd lab=smoke end=%s", an);
	snprintf(b->alias, sizeof(b->alias), "vrfd lab=smoke end=%s", bn);
}

static void
put_addr(struct nl_batch *b, int family, const char *ip, int plen,
    int ifindex, size_t tag)
{
	struct ks_addr	a;

	memset(&a, 0, sizeof(a));
	a.family = family;
	if (family == AF_INET)
		ip4(a.addr, ip);
	else
		ip6(a.addr, ip);
	a.plen = (uint8_t)plen;
	a.ifindex = ifindex;
	a.proto = VRFD_PROTO;
	nl_addr_put(nl_batch_msg(b, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
	    tag), &a);
}

/* R: zeroed, or a route made here before (its nexthops are freed). */
static void
route_init(struct ks_route *r, int family, const char *dst, int len)
{
	ks_route_clear(r);
	memset(r, 0, sizeof(*r));
	r->family = family;
	if (family == AF_INET)
		ip4(r->dst, dst);
	else
		ip6(r->dst, dst);
	r->dst_len = (uint8_t)len;
	r->type = RTN_UNICAST;
	r->protocol = VRFD_PROTO;
	r->table = RT_TABLE_MAIN;
}

static void
route_nh(struct ks_route *r, const char *gw, int ifindex, unsigned w)
{
	struct ks_nexthop	*nh = ks_route_nh_add(r);

	if (nh == NULL)
		abort();
	if (gw != NULL) {
		nh->has_gw = true;
		nh->gw_family = r->family;
		if (r->family == AF_INET)
			ip4(nh->gw, gw);
		else
			ip6(nh->gw, gw);
	}
	nh->ifindex = ifindex;
	nh->weight = w;
}

static const struct ks_route *
find_route(const struct ks_ns *ns, const struct ks_route *want)
{
	size_t	i;

	for (i = 0; i < ns->n_routes; i++)
		if (ks_route_same_key(&ns->routes[i], want))
			return &ns->routes[i];
	return NULL;
}

/* Churn addresses in r1 while the main thread dumps: NLM_F_DUMP_INTR. */
static volatile int	churn_stop, churn_count;
static int		churn_fd;

static void *
churn(void *arg)
{
	struct nl_sock	*s = nl_open(churn_fd);
	char		 buf[512] __attribute__((aligned(8)));
	struct ks_addr	 a;
	int		 i = 0;

	(void)arg;
	if (s == NULL)
		return NULL;
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.plen = 32;
	a.ifindex = 10;
	while (!churn_stop) {
		struct nlmsghdr	*nlh = mnl_nlmsg_put_header(buf);

		ip4(a.addr, "172.16.0.1");
		a.addr[2] = (uint8_t)(i % 2000 / 250);
		a.addr[3] = (uint8_t)(i % 250 + 1);
		nlh->nlmsg_type = (i / 2000) % 2 ? RTM_DELADDR : RTM_NEWADDR;
		nlh->nlmsg_flags = NLM_F_CREATE;
		nl_addr_put(nlh, &a);
		(void)nl_request(s, nlh, NULL, 0);
		churn_count = ++i;
	}
	for (i = 0; i < 2000; i++) {
		struct nlmsghdr	*nlh = mnl_nlmsg_put_header(buf);

		a.addr[2] = (uint8_t)(i / 250);
		a.addr[3] = (uint8_t)(i % 250 + 1);
		nlh->nlmsg_type = RTM_DELADDR;
		nl_addr_put(nlh, &a);
		(void)nl_request(s, nlh, NULL, 0);
	}
	nl_close(s);
	return NULL;
}

static int	resets;

static int
count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return MNL_CB_OK;
}

static void
count_reset(void *arg)
{
	*(int *)arg = 0;
	resets++;
}

static void
test_netns_basics(void)
{
	char		**names, alias[KS_ALIAS_MAX], place[32], text[64];
	size_t		  n;
	int		  fd;
	struct nl_sock	 *s = NULL;

	/* Marked (its loopback's alias, and where it was named) before its
	 * name exists; a handle and a socket in it given back. */
	CHECK_INTEQ(netns_create("r1", "vrfd lab=smoke node=r1", &fd, &s), 0);
	CHECK(fd >= 0 && s != NULL);
	CHECK_INTEQ(netns_place(place, sizeof(place)), 0);
	CHECK(s && observe_lo_alias(s, -1, alias, sizeof(alias)) == 0);
	snprintf(text, sizeof(text), "vrfd lab=smoke node=r1 in=%s", place);
	CHECK_STREQ(alias, text);
	nl_close(s);
	close(fd);
	CHECK_INTEQ(netns_create("r2", "vrfd lab=smoke node=r2", NULL, NULL),
	    0);
	CHECK_INTEQ(netns_create("r1", "vrfd lab=smoke node=r1", NULL, NULL),
	    -EEXIST);
	CHECK_INTEQ(netns_create("../x", "x", NULL, NULL), -EINVAL);
	CHECK_INTEQ(netns_create(".hidden", "x", NULL, NULL), -EINVAL);
	CHECK_INTEQ(netns_list(&names, &n), 0);
	CHECK_INTEQ(n, 2);
	if (n == 2) {
		CHECK_STREQ(names[0], "r1");
		CHECK_STREQ(names[1], "r2");
	}
	netns_list_free(names, n);
	CHECK_INTEQ(netns_open("nope"), -ENOENT);
	/* a bare file is not a namespace */
	fd = open(NETNS_RUN_DIR "/bare", O_CREAT | O_WRONLY, 0);
	close(fd);
	CHECK_INTEQ(netns_open("bare"), -EINVAL);
	CHECK_INTEQ(netns_file_text("bare", text, sizeof(text)), 0);
	CHECK_STREQ(text, "");
	CHECK_INTEQ(netns_file_text("r1", text, sizeof(text)), -EINVAL);
	CHECK_INTEQ(netns_delete("bare"), 0);
	CHECK_INTEQ(netns_delete("bare"), -ENOENT);
}

static void
test_build(void)
{
	ino_t		 home = self_netns();
	int		 fd1 = netns_open("r1"), fd2 = netns_open("r2");
	struct nl_sock	*s1, *s2;
	struct nl_batch	*b1, *b2;
	struct ks_link	 a, b;
	struct ks_route	 r = { 0 };
	struct ks_neigh	 ne;
	size_t		 t = 0, i;

	CHECK(fd1 >= 0 && fd2 >= 0);
	prep_ns("r1", fd1);
	prep_ns("r2", fd2);
	CHECK(self_netns() == home);
	s1 = nl_open(fd1);
	s2 = nl_open(fd2);
	CHECK(s1 != NULL && s2 != NULL);
	CHECK(self_netns() == home);
	if (s1 == NULL || s2 == NULL)
		return;

	results_reset();
	b1 = nl_batch_new(s1, result_cb, &res);
	b2 = nl_batch_new(s2, result_cb, &res);
	put_lo(b1, "vrfd lab=smoke router=r1", t++);
	put_lo(b2, "vrfd lab=smoke router=r2", t++);
	/* two pairs, both ends and indexes chosen, in one message each */
	veth(&a, &b, "eth0", 10, "eth0", 20);
	nl_link_put_veth(nl_batch_msg(b1, RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL, t++), &a, fd1, &b, fd2);
	nl_link_put_set(nl_batch_msg(b1, RTM_NEWLINK, 0, t++), 10, &a,
	    NL_LINK_SET_MARK, 0);
	veth(&a, &b, "eth1", 11, "eth1", 21);
	nl_link_put_veth(nl_batch_msg(b1, RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL, t++), &a, fd1, &b, fd2);
	nl_link_put_set(nl_batch_msg(b1, RTM_NEWLINK, 0, t++), 11, &a,
	    NL_LINK_SET_MARK, 0);
	put_addr(b1, AF_INET, "10.0.12.1", 24, 10, t++);
	put_addr(b1, AF_INET6, "2001:db8:12::1", 64, 10, t++);
	put_addr(b1, AF_INET, "10.0.21.1", 24, 11, t++);
	put_addr(b1, AF_INET, "10.0.99.1", 32, 11, t++);
	CHECK_INTEQ(nl_batch_flush(b1), 0);
	/* r2's ends exist now: alias, up, addresses */
	veth(&a, &b, "eth0", 10, "eth0", 20);
	nl_link_put_set(nl_batch_msg(b2, RTM_NEWLINK, 0, t++), 20, &b,
	    NL_LINK_SET_MARK | NL_LINK_SET_UP, 0);
	veth(&a, &b, "eth1", 11, "eth1", 21);
	nl_link_put_set(nl_batch_msg(b2, RTM_NEWLINK, 0, t++), 21, &b,
	    NL_LINK_SET_MARK | NL_LINK_SET_UP, 0);
	put_addr(b2, AF_INET, "10.0.12.2", 24, 20, t++);
	put_addr(b2, AF_INET6, "2001:db8:12::2", 64, 20, t++);
	put_addr(b2, AF_INET, "10.0.21.2", 24, 21, t++);
	put_addr(b2, AF_INET, "10.0.2.1", 24, 1, t++);
	put_addr(b2, AF_INET, "10.0.3.1", 24, 1, t++);
	CHECK_INTEQ(nl_batch_flush(b2), 0);
	CHECK_INTEQ(res.n, (int)t);
	for (i = 0; i < t; i++) {
		if (res.seen[i] != 1 || res.err[i] != 0)
			printf("  request %zu: seen %d err %d %s\n", i,
			    res.seen[i], res.err[i], res.extack[i]);
		CHECK(res.seen[i] == 1 && res.err[i] == 0);
	}

	/* routes: gateway, ECMP with weights, blackhole, dev-only, IPv6 */
	results_reset();
	t = 0;
	route_init(&r, AF_INET, "10.0.2.0", 24);
	route_nh(&r, "10.0.12.2", 10, 1);
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	route_init(&r, AF_INET, "10.0.3.0", 24);
	route_nh(&r, "10.0.12.2", 10, 1);
	route_nh(&r, "10.0.21.2", 11, 3);
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	route_init(&r, AF_INET, "192.0.2.0", 24);
	r.type = RTN_BLACKHOLE;
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	route_init(&r, AF_INET, "10.0.5.0", 24);
	r.scope = RT_SCOPE_LINK;
	route_nh(&r, NULL, 10, 1);
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	route_init(&r, AF_INET6, "2001:db8:2::", 48);
	route_nh(&r, "2001:db8:12::2", 10, 1);
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	route_init(&r, AF_INET6, "2001:db8:3::", 48);
	route_nh(&r, "2001:db8:12::2", 10, 2);
	route_nh(&r, "2001:db8:12::2", 10, 2);
	ks_nh(&r, 1)->gw[15] = 3;	/* 2001:db8:12::3, on-link, unresolved */
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	route_init(&r, AF_INET6, "2001:db8:66::", 48);
	r.type = RTN_BLACKHOLE;
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	/* two that must fail, between ones that must not */
	route_init(&r, AF_INET, "10.0.2.0", 24);	/* again: EEXIST */
	route_nh(&r, "10.0.12.2", 10, 1);
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	route_init(&r, AF_INET, "10.0.9.0", 24);	/* no way to 10.99 */
	route_nh(&r, "10.99.0.1", 0, 1);
	nl_route_put(nl_batch_msg(b1, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, t++), &r);
	memset(&ne, 0, sizeof(ne));
	ne.family = AF_INET;
	ip4(ne.ip, "10.0.12.99");
	ne.has_lladdr = true;
	memcpy(ne.lladdr, (uint8_t[6]){ 2, 0x99, 0, 0, 0, 1 }, 6);
	ne.ifindex = 10;
	ne.proto = VRFD_PROTO;
	nl_neigh_put(nl_batch_msg(b1, RTM_NEWNEIGH, NLM_F_CREATE |
	    NLM_F_REPLACE, t++), &ne);
	ne.family = AF_INET6;
	ip6(ne.ip, "2001:db8:12::99");
	nl_neigh_put(nl_batch_msg(b1, RTM_NEWNEIGH, NLM_F_CREATE |
	    NLM_F_REPLACE, t++), &ne);
	CHECK_INTEQ(nl_batch_flush(b1), 0);
	CHECK_INTEQ(res.n, (int)t);
	for (i = 0; i < t; i++) {
		int	want = i == 7 ? -EEXIST : i == 8 ? -ENETUNREACH : 0;

		CHECK_INTEQ(res.seen[i], 1);
		if (res.err[i] != want)
			printf("  route %zu: err %d (%s), want %d\n", i,
			    res.err[i], res.extack[i], want);
		CHECK_INTEQ(res.err[i], want);
	}
	printf("  extack for EEXIST: \"%s\", ENETUNREACH: \"%s\"\n",
	    res.extack[7], res.extack[8]);
	nl_batch_free(b1);
	nl_batch_free(b2);
	nl_close(s1);
	nl_close(s2);
	close(fd1);
	close(fd2);
	CHECK(self_netns() == home);
}

/* 5000 routes in one batch (several sendmsg chunks), then the same 5000
 * again, each failing with EEXIST: one result each, in order. */
static void
test_big_batch(void)
{
	int		 fd = netns_open("r1");
	struct nl_sock	*s = nl_open(fd);
	struct nl_batch	*b;
	struct ks_route	 r = { 0 };
	size_t		 i, n = 5000;
	int		 pass, bad;
	double		 t0;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (pass = 0; pass < 2; pass++) {
		results_reset();
		b = nl_batch_new(s, result_cb, &res);
		t0 = now();
		for (i = 0; i < n; i++) {
			route_init(&r, AF_INET, "10.100.0.0", 32);
			r.dst[2] = (uint8_t)(i / 256);
			r.dst[3] = (uint8_t)(i % 256);
			route_nh(&r, "10.0.12.2", 10, 1);
			nl_route_put(nl_batch_msg(b, RTM_NEWROUTE,
			    NLM_F_CREATE | NLM_F_EXCL, i), &r);
		}
		CHECK_INTEQ(nl_batch_flush(b), 0);
		printf("  %zu routes, pass %d: %.1f us/route, %zu sent\n", n,
		    pass, (now() - t0) * 1e6 / (double)n, nl_batch_sent(b));
		nl_batch_free(b);
		CHECK_INTEQ(res.n, (int)n);
		for (i = 0, bad = 0; i < n; i++)
			if (res.seen[i] != 1 ||
			    res.err[i] != (pass ? -EEXIST : 0))
				bad++;
		CHECK_INTEQ(bad, 0);
	}
	nl_close(s);
	close(fd);
}

/* A receive buffer far too small for the errors: ENOBUFS. Every request
 * still gets one result, EEXIST or -ENOBUFS (unknown), and the socket
 * stays usable. */
static void
test_overrun(void)
{
	int		 fd = netns_open("r1");
	struct nl_sock	*s = nl_open(fd);
	struct nl_batch	*b;
	struct ks_route	 r = { 0 };
	char		 buf[512] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	size_t		 i, n = 5000;
	int		 sz = 1, eexist = 0, enobufs = 0, other = 0;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(setsockopt(nl_fd(s), SOL_SOCKET, SO_RCVBUF, &sz,
	    sizeof(sz)) == 0);
	results_reset();
	b = nl_batch_new(s, result_cb, &res);
	for (i = 0; i < n; i++) {
		route_init(&r, AF_INET, "10.100.0.0", 32);
		r.dst[2] = (uint8_t)(i / 256);
		r.dst[3] = (uint8_t)(i % 256);
		route_nh(&r, "10.0.12.2", 10, 1);
		nl_route_put(nl_batch_msg(b, RTM_NEWROUTE,
		    NLM_F_CREATE | NLM_F_EXCL, i), &r);
	}
	CHECK_INTEQ(nl_batch_flush(b), 0);
	nl_batch_free(b);
	CHECK_INTEQ(res.n, (int)n);
	for (i = 0; i < n; i++) {
		CHECK_INTEQ(res.seen[i], 1);
		if (res.err[i] == -EEXIST)
			eexist++;
		else if (res.err[i] == -ENOBUFS)
			enobufs++;
		else
			other++;
	}
	printf("  overrun: %d EEXIST, %d unknown (ENOBUFS), %d other\n",
	    eexist, enobufs, other);
	CHECK(enobufs > 0);
	CHECK_INTEQ(other, 0);
	/* still usable: a request gets its own answer */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	route_init(&r, AF_INET, "10.100.0.0", 32);
	route_nh(&r, "10.0.12.2", 10, 1);
	nl_route_put(nlh, &r);
	{
		char	ext[128];

		CHECK_INTEQ(nl_request(s, nlh, ext, sizeof(ext)), -EEXIST);
	}
	nl_close(s);
	close(fd);
}

/* A request the kernel never answers (a dump started inside a batch:
 * no ACK, by design) must not hang the batch: the probe settles it. */
static void
test_no_answer(void)
{
	int		 fd = netns_open("r1");
	struct nl_sock	*s = nl_open(fd);
	struct nl_batch	*b;
	struct nlmsghdr	*nlh;
	struct ks_route	 r = { 0 };
	char		 buf[256] __attribute__((aligned(8))), ext[128];

	CHECK(s != NULL);
	if (s == NULL)
		return;
	results_reset();
	b = nl_batch_new(s, result_cb, &res);
	route_init(&r, AF_INET, "10.0.77.0", 24);
	r.type = RTN_BLACKHOLE;
	nl_route_put(nl_batch_msg(b, RTM_NEWROUTE, NLM_F_CREATE, 0), &r);
	nlh = nl_batch_msg(b, RTM_GETLINK, NLM_F_DUMP, 1);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	CHECK_INTEQ(nl_batch_flush(b), 0);
	nl_batch_free(b);
	CHECK_INTEQ(res.n, 2);
	CHECK_INTEQ(res.err[0], 0);
	CHECK_INTEQ(res.err[1], -EIO);
	/* and the socket goes on */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELROUTE;
	nl_route_put(nlh, &r);
	CHECK_INTEQ(nl_request(s, nlh, NULL, 0), 0);
	CHECK_INTEQ(nl_request(s, nlh, ext, sizeof(ext)), -ESRCH);
	nl_close(s);
	close(fd);
}

static void
test_observe(void)
{
	static const char *const keys[] = {
		"net.ipv4.ip_forward", "net.ipv6.conf.all.accept_dad",
		"net.ipv4.conf.eth0.rp_filter", "net.ipv4.no_such_key",
	};
	int			 fd1 = netns_open("r1"), fd2 = netns_open("r2");
	struct nl_sock		*s1 = nl_open(fd1), *s2 = nl_open(fd2);
	struct ks_ns		 ns;
	const struct ks_link	*l;
	const struct ks_route	*got;
	struct ks_route		 r = { 0 };
	char			 alias[KS_ALIAS_MAX];
	size_t			 i, ours = 0, v6 = 0;
	int			 nprot = 0;
	ino_t			 home = self_netns();

	CHECK(s1 != NULL && s2 != NULL);
	if (s1 == NULL || s2 == NULL)
		return;
	memset(&ns, 0, sizeof(ns));
	strcpy(ns.name, "r1");
	CHECK_INTEQ(observe_ns(s1, fd1, keys, 4, true, OWN_HOLDS_ALL, &ns), 0);
	CHECK(self_netns() == home);
	CHECK(ns.exists);
	CHECK_STREQ(ns.name, "r1");
	CHECK_STREQ(ns.lo_alias, "vrfd lab=smoke router=r1");
	CHECK_INTEQ(ns.n_links, 3);
	l = ks_link_by_name(&ns, "eth0");
	CHECK(l != NULL);
	if (l != NULL) {
		CHECK_INTEQ(l->ifindex, 10);
		CHECK_INTEQ(l->kind, KS_LINK_VETH);
		CHECK_INTEQ(l->mtu, 1400);
		CHECK(l->up);
		CHECK_INTEQ(l->peer_ifindex, 20);
		CHECK(l->peer_nsid >= 0);
		CHECK_STREQ(l->alias, "vrfd lab=smoke end=eth0");
		CHECK(l->has_mac && l->mac[4] == 10);
	}
	l = ks_link_by_name(&ns, "lo");
	CHECK(l != NULL && l->kind == KS_LINK_LO && l->up);

	for (i = 0; i < ns.n_addrs; i++)
		if (ns.addrs[i].proto == VRFD_PROTO) {
			nprot++;
			CHECK_STREQ(ns.addrs[i].dev,
			    ns.addrs[i].family == AF_INET6 ||
			    ns.addrs[i].addr[2] == 12 ? "eth0" : "eth1");
			if (ns.addrs[i].family == AF_INET6)
				CHECK(ns.addrs[i].flags & IFA_F_NODAD);
		}
	CHECK_INTEQ(nprot, 4);

	route_init(&r, AF_INET, "10.0.3.0", 24);
	route_nh(&r, "10.0.21.2", 0, 3);
	route_nh(&r, "10.0.12.2", 0, 1);
	strcpy(ks_nh(&r, 0)->dev, "eth1");
	CHECK((got = find_route(&ns, &r)) != NULL);
	if (got != NULL) {
		CHECK(ks_route_same(&r, got));
		CHECK_INTEQ(got->n_nh, 2);
	}
	route_init(&r, AF_INET, "192.0.2.0", 24);
	r.type = RTN_BLACKHOLE;
	CHECK((got = find_route(&ns, &r)) != NULL);
	if (got != NULL)
		CHECK(ks_route_same(&r, got));
	route_init(&r, AF_INET, "10.0.5.0", 24);
	route_nh(&r, NULL, 0, 1);
	strcpy(ks_nh(&r, 0)->dev, "eth0");
	CHECK((got = find_route(&ns, &r)) != NULL);
	if (got != NULL) {
		CHECK(ks_route_same(&r, got));
		CHECK_INTEQ(got->scope, RT_SCOPE_LINK);
	}
	/* IPv6: the kernel's metric 1024 */
	route_init(&r, AF_INET6, "2001:db8:3::", 48);
	r.priority = 1024;
	route_nh(&r, "2001:db8:12::2", 0, 2);
	route_nh(&r, "2001:db8:12::3", 0, 2);
	CHECK((got = find_route(&ns, &r)) != NULL);
	if (got != NULL)
		CHECK(ks_route_same(&r, got));
	route_init(&r, AF_INET6, "2001:db8:66::", 48);
	r.priority = 1024;
	r.type = RTN_BLACKHOLE;
	CHECK((got = find_route(&ns, &r)) != NULL);
	if (got != NULL)
		CHECK(ks_route_same(&r, got));
	for (i = 0; i < ns.n_routes; i++) {
		CHECK_INTEQ(ns.routes[i].table, RT_TABLE_MAIN);
		CHECK(ns.routes[i].type != RTN_LOCAL);
		if (ns.routes[i].protocol == VRFD_PROTO)
			ours++;
		if (ns.routes[i].family == AF_INET6)
			v6++;
	}
	CHECK_INTEQ(ours, 7 + 5000);
	CHECK(v6 >= 3);		/* and the kernel's prefix routes */
	CHECK_INTEQ(ns.n_neighs, 2);
	for (i = 0; i < ns.n_neighs; i++) {
		CHECK_INTEQ(ns.neighs[i].proto, VRFD_PROTO);
		CHECK_STREQ(ns.neighs[i].dev, "eth0");
		CHECK(ns.neighs[i].state & NUD_PERMANENT);
	}
	CHECK_INTEQ(ns.n_sysctls, 3);
	for (i = 0; i < ns.n_sysctls; i++)
		if (strcmp(ns.sysctls[i].key, "net.ipv4.ip_forward") == 0 ||
		    strcmp(ns.sysctls[i].key,
		    "net.ipv6.conf.all.accept_dad") == 0)
			CHECK_STREQ(ns.sysctls[i].value,
			    ns.sysctls[i].key[4] == 'i' &&
			    ns.sysctls[i].key[7] == '4' ? "1" : "0");
	printf("  r1: %zu links, %zu addrs, %zu routes, %zu neighs\n",
	    ns.n_links, ns.n_addrs, ns.n_routes, ns.n_neighs);

	/* the sandbox's own namespace is not r1 */
	CHECK_INTEQ(observe_lo_alias(s2, -1, alias, sizeof(alias)), 0);
	CHECK_STREQ(alias, "vrfd lab=smoke router=r2");

	/* removals, from the observed objects themselves */
	{
		struct nl_batch	*b = nl_batch_new(s1, result_cb, &res);
		size_t		 t = 0;

		results_reset();
		/* keep some for the script's checks */
		for (i = 0; i < ns.n_routes; i++) {
			char	d[64];

			ks_route_dst_str(&ns.routes[i], d, sizeof(d));
			if (ns.routes[i].protocol == VRFD_PROTO &&
			    ns.routes[i].dst[1] != 100 &&
			    strcmp(d, "10.0.2.0/24") != 0 &&
			    strcmp(d, "10.0.3.0/24") != 0 &&
			    strcmp(d, "2001:db8:3::/48") != 0)
				nl_route_put(nl_batch_msg(b, RTM_DELROUTE, 0,
				    t++), &ns.routes[i]);
		}
		CHECK_INTEQ(t, 4);
		for (i = 0; i < ns.n_neighs; i++)
			nl_neigh_put(nl_batch_msg(b, RTM_DELNEIGH, 0, t++),
			    &ns.neighs[i]);
		for (i = 0; i < ns.n_addrs; i++)
			if (ns.addrs[i].proto == VRFD_PROTO &&
			    ns.addrs[i].family == AF_INET &&
			    ns.addrs[i].addr[2] == 99)
				nl_addr_put(nl_batch_msg(b, RTM_DELADDR, 0,
				    t++), &ns.addrs[i]);
		CHECK_INTEQ(nl_batch_flush(b), 0);
		nl_batch_free(b);
		CHECK_INTEQ(res.n, (int)t);
		for (i = 0; i < t; i++)
			CHECK_INTEQ(res.err[i], 0);
	}
	CHECK_INTEQ(observe_ns(s1, fd1, NULL, 0, true, OWN_HOLDS_ALL, &ns), 0);
	CHECK_INTEQ(ns.n_neighs, 0);
	for (i = 0, ours = 0; i < ns.n_routes; i++)
		if (ns.routes[i].protocol == VRFD_PROTO)
			ours++;
	CHECK_INTEQ(ours, 3 + 5000);
	/* link-local addresses come with the carrier, asynchronously */
	for (i = 0, nprot = 0; i < ns.n_addrs; i++)
		if (!(ns.addrs[i].family == AF_INET6 &&
		    ns.addrs[i].addr[0] == 0xfe))
			nprot++;
	CHECK_INTEQ(nprot, 5);
	ks_ns_clear(&ns);

	/* an interrupted dump restarts (best effort: needs a collision) */
	{
		pthread_t	 th;
		char		 buf[256] __attribute__((aligned(8)));
		struct nlmsghdr	*nlh;
		int		 k, count = 0, rc;

		churn_fd = fd1;
		churn_stop = 0;
		resets = 0;
		churn_count = 0;
		pthread_create(&th, NULL, churn, NULL);
		/* enough addresses for a dump of several parts */
		while (churn_count < 1500)
			usleep(1000);
		for (k = 0; k < 300; k++) {
			nlh = mnl_nlmsg_put_header(buf);
			nlh->nlmsg_type = RTM_GETADDR;
			((struct ifaddrmsg *)mnl_nlmsg_put_extra_header(nlh,
			    sizeof(struct ifaddrmsg)))->ifa_family = AF_INET;
			count = 0;
			rc = nl_dump(s1, nlh, count_cb, count_reset, &count);
			CHECK(rc == 0 || rc == -EAGAIN);
		}
		churn_stop = 1;
		pthread_join(th, NULL);
		printf("  dump restarts under churn: %d\n", resets);
	}
	nl_close(s1);
	nl_close(s2);
	close(fd1);
	close(fd2);
}

/* Remove every route of ours, as the diff would (from the observed
 * objects: multipath ones too), then the namespaces. */
static int
teardown_routes(const char *name)
{
	int		 fd = netns_open(name), rc = 0;
	struct nl_sock	*s = fd >= 0 ? nl_open(fd) : NULL;
	struct nl_batch	*b;
	struct ks_ns	 ns;
	size_t		 i, t = 0;

	if (s == NULL)
		return 1;
	memset(&ns, 0, sizeof(ns));
	results_reset();
	if (observe_ns(s, fd, NULL, 0, true, OWN_HOLDS_ALL, &ns) < 0 ||
	    (b = nl_batch_new(s, result_cb, &res)) == NULL)
		return 1;
	for (i = 0; i < ns.n_routes; i++)
		if (ns.routes[i].protocol == VRFD_PROTO)
			nl_route_put(nl_batch_msg(b, RTM_DELROUTE, 0,
			    t++ % MAXREQ), &ns.routes[i]);
	if (nl_batch_flush(b) < 0 || res.n != (int)t)
		rc = 1;
	nl_batch_free(b);
	for (i = 0; i < t && i < MAXREQ; i++)
		if (res.err[i] != 0) {
			printf("%s: delete %zu: %d %s\n", name, i, res.err[i],
			    res.extack[i]);
			rc = 1;
		}
	if (observe_ns(s, fd, NULL, 0, true, OWN_HOLDS_ALL, &ns) < 0)
		rc = 1;
	for (i = 0; i < ns.n_routes; i++)
		if (ns.routes[i].protocol == VRFD_PROTO)
			rc = 1;
	if (t > 0)
		printf("%s: %zu routes removed\n", name, t);
	ks_ns_clear(&ns);
	nl_close(s);
	close(fd);
	return rc;
}

static int
teardown(void)
{
	char	**names;
	size_t	  n, i;
	int	  rc = 0;

	if (netns_list(&names, &n) < 0)
		return 1;
	for (i = 0; i < n; i++)
		if ((n < 10 && teardown_routes(names[i]) != 0) ||
		    netns_delete(names[i]) < 0)
			rc = 1;
	netns_list_free(names, n);
	if (netns_list(&names, &n) < 0 || n != 0)
		rc = 1;
	netns_list_free(names, n);
	return rc;
}

/*
 * A chain c0 - c1 - ... - cN-1: namespaces, one veth per hop (created
 * from the left router's socket, both ends placed and indexed), lo up
 * and aliased, an address per end, a default route to the right and a
 * route back to c0's 10.0.0.0/30. The apply stage's work, with sockets
 * opened on demand and closed after.
 */
static int
chain(int n)
{
	double		 t0, t1, t2, t3;
	int		 i, *fds, saved;
	char		 name[64];
	struct nl_sock	*s;
	struct nl_batch	*b;
	struct ks_link	 a, pb;
	struct ks_route	 r = { 0 };
	size_t		 t = 0;
	int		 fails = 0;

	fds = calloc((size_t)n, sizeof(*fds));
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (netns_create(name, "vrfd lab=chain", NULL, NULL) < 0 ||
		    (fds[i] = netns_open(name)) < 0)
			return 1;
		/* no DAD, before any interface exists; forwarding on */
		if (netns_enter(fds[i], &saved) < 0)
			return 1;
		sysctl_write("net.ipv6.conf.all.accept_dad", "0");
		sysctl_write("net.ipv6.conf.default.accept_dad", "0");
		sysctl_write("net.ipv4.ip_forward", "1");
		if (netns_leave(saved) < 0)
			return 1;
	}
	t1 = now();
	results_reset();
	for (i = 0; i < n; i++) {
		if ((s = nl_open(fds[i])) == NULL)
			return 1;
		b = nl_batch_new(s, result_cb, &res);
		snprintf(name, sizeof(name), "vrfd lab=chain router=c%d", i);
		put_lo(b, name, t++ % MAXREQ);
		if (i + 1 < n) {
			veth(&a, &pb, "right", 2, "left", 3);
			nl_link_put_veth(nl_batch_msg(b, RTM_NEWLINK,
			    NLM_F_CREATE | NLM_F_EXCL, t++ % MAXREQ), &a,
			    fds[i], &pb, fds[i + 1]);
			nl_link_put_set(nl_batch_msg(b, RTM_NEWLINK, 0,
			    t++ % MAXREQ), 2, &a, NL_LINK_SET_MARK, 0);
			snprintf(name, sizeof(name), "10.%d.%d.1",
			    i / 256, i % 256);
			put_addr(b, AF_INET, name, 30, 2, t++ % MAXREQ);
		}
		if (i > 0) {
			nl_link_put_set(nl_batch_msg(b, RTM_NEWLINK, 0,
			    t++ % MAXREQ), 3, &pb, NL_LINK_SET_MARK |
			    NL_LINK_SET_UP, 0);
			snprintf(name, sizeof(name), "10.%d.%d.2",
			    (i - 1) / 256, (i - 1) % 256);
			put_addr(b, AF_INET, name, 30, 3, t++ % MAXREQ);
		}
		nl_batch_free(b);
		nl_close(s);
	}
	t2 = now();
	for (i = 0; i < n; i++) {
		if ((s = nl_open(fds[i])) == NULL)
			return 1;
		b = nl_batch_new(s, result_cb, &res);
		if (i + 1 < n) {	/* default to the right */
			route_init(&r, AF_INET, "0.0.0.0", 0);
			snprintf(name, sizeof(name), "10.%d.%d.2",
			    i / 256, i % 256);
			route_nh(&r, name, 2, 1);
			nl_route_put(nl_batch_msg(b, RTM_NEWROUTE,
			    NLM_F_CREATE | NLM_F_REPLACE, t++ % MAXREQ), &r);
		}
		if (i > 1) {		/* back to c0 on the left */
			route_init(&r, AF_INET, "10.0.0.0", 30);
			snprintf(name, sizeof(name), "10.%d.%d.1",
			    (i - 1) / 256, (i - 1) % 256);
			route_nh(&r, name, 3, 1);
			nl_route_put(nl_batch_msg(b, RTM_NEWROUTE,
			    NLM_F_CREATE | NLM_F_REPLACE, t++ % MAXREQ), &r);
		}
		nl_batch_free(b);
		nl_close(s);
	}
	t3 = now();
	for (i = 0; i < MAXREQ; i++)
		if (res.err[i] != 0) {
			if (fails++ < 5)
				printf("  request %d: %d %s\n", i, res.err[i],
				    res.extack[i]);
		}
	printf("chain %d: netns %.3fs, links+addrs %.3fs, routes %.3fs, "
	    "total %.3fs; %zu requests, %d failed\n", n, t1 - t0, t2 - t1,
	    t3 - t2, t3 - t0, t, fails);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return fails ? 1 : 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "teardown") == 0)
		return teardown();
	if (argc > 2 && strcmp(argv[1], "chain") == 0)
		return chain(atoi(argv[2]));
	RUN(test_netns_basics);
	RUN(test_build);
	RUN(test_big_batch);
	RUN(test_overrun);
	RUN(test_no_answer);
	RUN(test_observe);
	return CHECK_DONE();
}
