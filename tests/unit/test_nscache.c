/*
 * test_nscache: the daemon's memory of its namespaces. What it keeps must
 * be given back only while it can still be true: for the namespace and
 * the sysctl keys it was read with, while watched, and until any event
 * (or a neighbour event that concerns a kept entry) says otherwise.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "kstate.h"
#include "nscache.h"

#define INO	0x1234
#define KEYS	0x5678

/* A namespace state with one route, one permanent neighbour. */
static void
fill(struct ks_ns *ns, const char *name)
{
	struct ks_route	*r;
	struct ks_neigh	*n;

	memset(ns, 0, sizeof(*ns));
	snprintf(ns->name, sizeof(ns->name), "%s", name);
	r = ks_route_add(ns);
	r->family = AF_INET;
	r->dst_len = 24;
	inet_pton(AF_INET, "10.1.0.0", r->dst);
	n = ks_neigh_add(ns);
	n->family = AF_INET;
	n->ifindex = 3;
	inet_pton(AF_INET, "10.1.0.9", n->ip);
	n->state = 0x80;	/* NUD_PERMANENT */
}

static struct nscache *
cache_with(const char *name)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns;

	fill(&ns, name);
	nscache_watch(c, name, true);
	nscache_put(c, name, INO, KEYS, &ns);
	ks_ns_clear(&ns);
	return c;
}

static void
test_put_take(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };

	CHECK_INTEQ(nscache_count(c), 1);
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &got));
	CHECK_INTEQ(got.n_routes, 1);
	CHECK_INTEQ(got.routes[0].dst_len, 24);
	/* taken: not there a second time */
	CHECK_INTEQ(nscache_count(c), 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	ks_ns_clear(&got);
	nscache_free(c);
}

static void
test_put_moves(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns;

	fill(&ns, "lab-a");
	nscache_watch(c, "lab-a", true);
	nscache_put(c, "lab-a", INO, KEYS, &ns);
	/* kept: the caller's copy is emptied but keeps its name */
	CHECK(ns.routes == NULL);
	CHECK_INTEQ(ns.n_routes, 0);
	CHECK_STREQ(ns.name, "lab-a");
	nscache_free(c);
}

static void
test_unwatched_keeps_nothing(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns, got = { 0 };

	fill(&ns, "lab-a");
	nscache_put(c, "lab-a", INO, KEYS, &ns);	/* never watched */
	CHECK(ns.routes != NULL);			/* not taken */
	CHECK_INTEQ(nscache_count(c), 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	ks_ns_clear(&ns);
	nscache_free(c);

	/* watched, then no longer: what was kept goes */
	c = cache_with("lab-a");
	nscache_watch(c, "lab-a", false);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	nscache_free(c);
}

static void
test_other_namespace_or_keys(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };

	/* a namespace made again under the same name is another one */
	CHECK(!nscache_take(c, "lab-a", INO + 1, KEYS, &got));
	/* and what was kept is gone, not left for a later take */
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	nscache_free(c);

	c = cache_with("lab-a");
	CHECK(!nscache_take(c, "lab-a", INO, KEYS + 1, &got));
	CHECK(!nscache_take(c, "lab-b", INO, KEYS, &got));
	nscache_free(c);
}

static void
test_forget(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };

	nscache_forget(c, "lab-b");		/* another namespace */
	CHECK_INTEQ(nscache_count(c), 1);
	nscache_forget(c, "lab-a");
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	nscache_free(c);

	c = cache_with("lab-a");
	nscache_forget_all(c);
	CHECK_INTEQ(nscache_count(c), 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	nscache_free(c);
}

static void
test_neighbour_events(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };
	uint8_t		 other[16] = { 0 }, kept[16] = { 0 };

	inet_pton(AF_INET, "10.1.0.7", other);
	inet_pton(AF_INET, "10.1.0.9", kept);
	/* ARP learning an address nobody declared: nothing a pass reads */
	nscache_neigh(c, "lab-a", AF_INET, other, 3, false);
	CHECK_INTEQ(nscache_count(c), 1);
	/* the same address on another device is another entry */
	nscache_neigh(c, "lab-a", AF_INET, kept, 4, false);
	CHECK_INTEQ(nscache_count(c), 1);
	/* a permanent entry appears: read again */
	nscache_neigh(c, "lab-a", AF_INET, other, 3, true);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	nscache_free(c);

	/* the kept permanent entry turns learned (or is deleted): the
	 * event no longer says permanent, but it was */
	c = cache_with("lab-a");
	nscache_neigh(c, "lab-a", AF_INET, kept, 3, false);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got));
	nscache_free(c);
}

static void
test_many_namespaces(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns, got = { 0 };
	char		 name[32];
	bool		 all = true;

	/* the table grows past its first size; every name stays found */
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "lab-r%d", i);
		fill(&ns, name);
		nscache_watch(c, name, true);
		nscache_put(c, name, INO, KEYS, &ns);
		ks_ns_clear(&ns);
	}
	CHECK_INTEQ(nscache_count(c), 1000);
	for (int i = 999; i >= 0; i--) {
		snprintf(name, sizeof(name), "lab-r%d", i);
		all &= nscache_take(c, name, INO, KEYS, &got);
		all &= strcmp(got.name, name) == 0;
		ks_ns_clear(&got);
	}
	CHECK(all);
	nscache_free(c);
}

static void
test_keys_hash(void)
{
	const char	*a[] = { "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding" };
	const char	*b[] = { "net.ipv6.conf.all.forwarding", "net.ipv4.ip_forward" };
	const char	*c[] = { "net.ipv4.ip_forwardnet.ipv6.conf.all.forwarding" };

	CHECK(nscache_keys_hash(a, 2) == nscache_keys_hash(a, 2));
	CHECK(nscache_keys_hash(a, 2) != nscache_keys_hash(b, 2));
	CHECK(nscache_keys_hash(a, 2) != nscache_keys_hash(c, 1));
	CHECK(nscache_keys_hash(a, 1) != nscache_keys_hash(a, 0));
}

int
main(void)
{
	RUN(test_put_take);
	RUN(test_put_moves);
	RUN(test_unwatched_keeps_nothing);
	RUN(test_other_namespace_or_keys);
	RUN(test_forget);
	RUN(test_neighbour_events);
	RUN(test_many_namespaces);
	RUN(test_keys_hash);
	return CHECK_DONE();
}
