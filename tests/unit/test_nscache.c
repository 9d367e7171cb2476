/*
 * test_nscache: the daemon's memory of its namespaces. What it keeps must
 * be given back only while it can still be true: for the namespace and
 * the sysctl keys it was read with, while watched, and until any event
 * (or a neighbour event that concerns a kept entry) says otherwise; an
 * event of one kind of object but links leaves the rest of it kept.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "daemon/nscache.h"
#include "engine/observe.h"
#include "kernel/kstate.h"

#define INO	0x1234
#define KEYS	0x5678

static unsigned	stale;		/* what each take says to read again */

/* A namespace state with two routes (one multipath: its nexthops are
 * the state's to free, wherever it goes), one permanent neighbour. */
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
	r = ks_route_add(ns);
	r->family = AF_INET;
	r->dst_len = 16;
	inet_pton(AF_INET, "10.2.0.0", r->dst);
	for (int k = 0; k < 3; k++)
		if (ks_route_nh_add(r) != NULL)
			ks_nh(r, k)->ifindex = 3 + k;
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
	nscache_watch(c, name, 3, 42);
	nscache_put(c, name, INO, KEYS, nscache_ticket(c, name), &ns, 0, 0);
	ks_ns_clear(&ns);
	return c;
}

static void
test_put_take(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };
	uint64_t	 ticket;

	CHECK_INTEQ(nscache_count(c), 1);
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(got.n_routes, 2);
	CHECK_INTEQ(got.routes[0].dst_len, 24);
	CHECK_INTEQ(got.routes[1].n_nh, 3);
	CHECK_INTEQ(ks_nh(&got.routes[1], 2)->ifindex, 5);
	/* taken: not there a second time */
	CHECK_INTEQ(nscache_count(c), 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	ks_ns_clear(&got);
	nscache_free(c);
}

static void
test_put_moves(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns;

	fill(&ns, "lab-a");
	nscache_watch(c, "lab-a", 3, 42);
	nscache_put(c, "lab-a", INO, KEYS, nscache_ticket(c, "lab-a"), &ns, 0, 0);
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
	uint64_t	 ticket;

	fill(&ns, "lab-a");
	nscache_put(c, "lab-a", INO, KEYS, nscache_ticket(c, "lab-a"), &ns, 0, 0);	/* never watched */
	CHECK(ns.routes != NULL);			/* not taken */
	CHECK_INTEQ(nscache_count(c), 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	ks_ns_clear(&ns);
	nscache_free(c);

	/* watched, then no longer: what was kept goes */
	c = cache_with("lab-a");
	nscache_watch(c, "lab-a", -1, 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	nscache_free(c);
}

static void
test_other_namespace_or_keys(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };
	uint64_t	 ticket;

	/* a namespace made again under the same name is another one */
	CHECK(!nscache_take(c, "lab-a", INO + 1, KEYS, &got, &ticket, &stale));
	/* and what was kept is gone, not left for a later take */
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	nscache_free(c);

	c = cache_with("lab-a");
	CHECK(!nscache_take(c, "lab-a", INO, KEYS + 1, &got, &ticket, &stale));
	CHECK(!nscache_take(c, "lab-b", INO, KEYS, &got, &ticket, &stale));
	nscache_free(c);
}

static void
test_forget(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };
	uint64_t	 ticket;

	nscache_forget(c, "lab-b", 0);		/* another namespace */
	CHECK_INTEQ(nscache_count(c), 1);
	nscache_forget(c, "lab-a", 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	nscache_free(c);

	c = cache_with("lab-a");
	nscache_forget_all(c);
	CHECK_INTEQ(nscache_count(c), 0);
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	nscache_free(c);
}

static void
test_neighbour_events(void)
{
	struct nscache	*c = cache_with("lab-a");
	struct ks_ns	 got = { 0 };
	uint64_t	 ticket;
	uint8_t		 other[16] = { 0 }, kept[16] = { 0 };

	inet_pton(AF_INET, "10.1.0.7", other);
	inet_pton(AF_INET, "10.1.0.9", kept);
	/* ARP learning an address nobody declared: nothing a pass reads */
	nscache_neigh(c, "lab-a", AF_INET, other, 3, false);
	CHECK_INTEQ(nscache_count(c), 1);
	/* the same address on another device is another entry */
	nscache_neigh(c, "lab-a", AF_INET, kept, 4, false);
	CHECK_INTEQ(nscache_count(c), 1);
	/* a permanent entry appears: the neighbours read again */
	nscache_neigh(c, "lab-a", AF_INET, other, 3, true);
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_NEIGHS);
	ks_ns_clear(&got);
	nscache_free(c);

	/* the kept permanent entry turns learned (or is deleted): the
	 * event no longer says permanent, but it was */
	c = cache_with("lab-a");
	nscache_neigh(c, "lab-a", AF_INET, kept, 3, false);
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_NEIGHS);
	ks_ns_clear(&got);
	nscache_free(c);
}

/* A namespace found as declared is settled under its declaration's
 * digest, until anything a pass reads changes there; nothing of it is
 * kept to recall but its static neighbours. */
/* A hub's state, of 64 links. */
static void
fill_hub(struct ks_ns *ns)
{
	struct ks_link	*l;

	fill(ns, "lab-hub");
	for (int k = 0; k < 64; k++) {
		l = ks_link_add(ns);
		snprintf(l->name, IFNAMSIZ, "if%d", k);
		l->ifindex = 10 + k;
	}
	ks_ns_index_links(ns);
}

/* A hub's state: kept whole even settled; an event of one kind makes
 * only that kind to be read again; a link's brings the link kept up to
 * date, and what follows from its change is read again. */
static void
test_stale_kinds(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns, got = { 0 };
	struct ks_link	 carrier = { .ifindex = 10, .name = "if0",
			    .running = true, .qdisc = "noqueue" };
	uint64_t	 ticket;

	fill_hub(&ns);
	nscache_watch(c, "lab-hub", 3, 42);
	nscache_put(c, "lab-hub", INO, KEYS, nscache_ticket(c, "lab-hub"),
	    &ns, 0xd1, 0);
	CHECK(nscache_settled(c, "lab-hub", 0xd1));
	CHECK_INTEQ(nscache_count(c), 1);
	nscache_forget(c, "lab-hub", OBSERVE_ROUTES);
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_ROUTES);
	CHECK_INTEQ(got.n_links, 64);
	CHECK_INTEQ(got.n_routes, 2);
	/* given back whole: nothing stale; two kinds heard of then */
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0, 0);
	nscache_forget(c, "lab-hub", OBSERVE_ADDRS);
	nscache_forget(c, "lab-hub", OBSERVE_NEIGHS);
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_ADDRS | OBSERVE_NEIGHS);
	/* an event while it is read (the echo of the pass's own change):
	 * given back, kept with that kind to read again, and not settled */
	nscache_forget(c, "lab-hub", OBSERVE_ROUTES);
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0xd1, 0);
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_ROUTES);
	CHECK_INTEQ(got.n_links, 64);
	/* what the pass changed itself, given back to be read again */
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0xd1,
	    OBSERVE_ADDRS);
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_ADDRS);
	/* ... but what a read starting after it sees is whole */
	nscache_forget(c, "lab-hub", OBSERVE_QDISCS);
	ticket = nscache_ticket(c, "lab-hub");
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0xd1, 0);
	CHECK(nscache_settled(c, "lab-hub", 0xd1));
	/* a link's carrier: the link kept follows, nothing to read */
	nscache_link(c, "lab-hub", &carrier, false, 0);
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, 0);
	CHECK(got.links[0].running);
	CHECK_STREQ(got.links[0].qdisc, "noqueue");
	/* a namespace's other event, the name gone: all of it */
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0, 0);
	nscache_forget(c, "lab-hub", 0);
	CHECK(!nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	/* a small namespace settled keeps its neighbours only: an event of
	 * any kind, and it is read whole */
	ks_ns_clear(&ns);
	fill(&ns, "lab-hub");
	nscache_put(c, "lab-hub", INO, KEYS, nscache_ticket(c, "lab-hub"),
	    &ns, 0xd1, 0);
	CHECK(nscache_settled(c, "lab-hub", 0xd1));
	CHECK_INTEQ(nscache_count(c), 0);
	nscache_forget(c, "lab-hub", OBSERVE_ROUTES);
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(!nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	ks_ns_clear(&ns);
	ks_ns_clear(&got);
	nscache_free(c);
}

static void
test_settled(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns, got = { 0 };
	uint64_t	 ticket;
	uint8_t		 learned[16] = { 0 }, kept[16] = { 0 };

	inet_pton(AF_INET, "10.1.0.7", learned);
	inet_pton(AF_INET, "10.1.0.9", kept);
	fill(&ns, "lab-a");
	nscache_watch(c, "lab-a", 3, 42);
	nscache_put(c, "lab-a", INO, KEYS, nscache_ticket(c, "lab-a"), &ns,
	    0xd1, 0);
	ks_ns_clear(&ns);
	CHECK(nscache_settled(c, "lab-a", 0xd1));
	CHECK(!nscache_settled(c, "lab-a", 0xd2));	/* declared otherwise */
	CHECK(!nscache_settled(c, "lab-a", 0));
	CHECK(!nscache_settled(c, "lab-b", 0xd1));
	CHECK_INTEQ(nscache_count(c), 0);		/* nothing to recall */
	CHECK(!nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	CHECK(nscache_settled(c, "lab-a", 0xd1));
	/* ARP learning: nothing a pass reads */
	nscache_neigh(c, "lab-a", AF_INET, learned, 3, false);
	CHECK(nscache_settled(c, "lab-a", 0xd1));
	/* its static neighbour turns learned: it was one a pass reads */
	nscache_neigh(c, "lab-a", AF_INET, kept, 3, false);
	CHECK(!nscache_settled(c, "lab-a", 0xd1));

	/* any other event, lost events, the end of the watch */
	fill(&ns, "lab-a");
	nscache_put(c, "lab-a", INO, KEYS, nscache_ticket(c, "lab-a"), &ns,
	    0xd1, 0);
	CHECK(nscache_settled(c, "lab-a", 0xd1));
	nscache_forget(c, "lab-a", 0);
	CHECK(!nscache_settled(c, "lab-a", 0xd1));
	nscache_put(c, "lab-a", INO, KEYS, nscache_ticket(c, "lab-a"), &ns,
	    0xd1, 0);
	nscache_forget_all(c);
	CHECK(!nscache_settled(c, "lab-a", 0xd1));
	/* found settled by a pass an event overtook: not settled */
	ticket = nscache_ticket(c, "lab-a");
	nscache_forget(c, "lab-a", 0);
	nscache_put(c, "lab-a", INO, KEYS, ticket, &ns, 0xd1, 0);
	CHECK(!nscache_settled(c, "lab-a", 0xd1));
	nscache_put(c, "lab-a", INO, KEYS, nscache_ticket(c, "lab-a"), &ns,
	    0xd1, 0);
	nscache_watch(c, "lab-a", -1, 0);
	CHECK(!nscache_settled(c, "lab-a", 0xd1));
	ks_ns_clear(&ns);
	nscache_free(c);
}

/* A link's message carries all of it: a link made, deleted or renamed
 * is known from it, in a state kept or being read, and what follows from
 * it is read again; past NSCACHE_HEARD messages during one read, the
 * state read is not kept. */
static void
test_link_news(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 got = { 0 };
	struct ks_link	 made = { .ifindex = 500, .name = "x1",
			    .kind = KS_LINK_VETH, .up = true,
			    .peer_ifindex = 7, .peer_nsid = 2 };
	struct ks_link	 renamed = { .ifindex = 12, .name = "if2b" };
	uint64_t	 ticket;

	fill_hub(&got);
	nscache_watch(c, "lab-hub", 3, 42);
	nscache_put(c, "lab-hub", INO, KEYS, nscache_ticket(c, "lab-hub"),
	    &got, 0xd1, 0);
	/* made while kept (and settled) */
	nscache_link(c, "lab-hub", &made, false, OBSERVE_LINK_FOLLOWS);
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_LINK_FOLLOWS);
	CHECK_INTEQ(got.n_links, 65);
	CHECK(ks_link_by_name(&got, "x1") != NULL &&
	    ks_link_by_name(&got, "x1")->peer_ifindex == 7);
	CHECK(ks_link_by_index(&got, 500) == ks_link_by_name(&got, "x1"));
	/* renamed and deleted while it is read: given back with both */
	nscache_link(c, "lab-hub", &renamed, false, OBSERVE_LINK_FOLLOWS);
	nscache_link(c, "lab-hub", &made, true, OBSERVE_LINK_FOLLOWS);
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0xd1, 0);
	CHECK(got.n_links == 0);			/* taken */
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_LINK_FOLLOWS);
	CHECK_INTEQ(got.n_links, 64);
	CHECK(ks_link_by_name(&got, "x1") == NULL);
	CHECK(ks_link_by_name(&got, "if2") == NULL);
	CHECK(ks_link_by_index(&got, 12) == ks_link_by_name(&got, "if2b"));
	/* a read starting hears nothing of what came before it */
	nscache_link(c, "lab-hub", &made, false, OBSERVE_LINK_FOLLOWS);
	ticket = nscache_ticket(c, "lab-hub");
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0, 0);
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, 0);
	CHECK(ks_link_by_name(&got, "x1") == NULL);
	/* too many messages during one read: not kept */
	for (int k = 0; k < 32769; k++) {
		made.ifindex = 600 + k;
		snprintf(made.name, IFNAMSIZ, "x%d", k);
		nscache_link(c, "lab-hub", &made, false, 0);
	}
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0, 0);
	CHECK(got.n_links == 64);			/* not taken */
	CHECK(!nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	/* a settled hub being read hears the echo of the pass's writes:
	 * given back, it is kept, up to date, not settled */
	ks_ns_clear(&got);
	fill_hub(&got);
	nscache_put(c, "lab-hub", INO, KEYS, nscache_ticket(c, "lab-hub"),
	    &got, 0xd1, 0);
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	made.ifindex = 700;
	snprintf(made.name, IFNAMSIZ, "x9");
	nscache_link(c, "lab-hub", &made, false, OBSERVE_LINK_FOLLOWS);
	nscache_forget(c, "lab-hub", OBSERVE_SYSCTLS);
	nscache_put(c, "lab-hub", INO, KEYS, ticket, &got, 0xd1, 0);
	CHECK(!nscache_settled(c, "lab-hub", 0xd1));
	CHECK(nscache_take(c, "lab-hub", INO, KEYS, &got, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_LINK_FOLLOWS | OBSERVE_SYSCTLS);
	CHECK(ks_link_by_name(&got, "x9") != NULL);
	ks_ns_clear(&got);
	nscache_free(c);
}

static void
test_many_namespaces(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns, got = { 0 };
	uint64_t	 ticket;
	char		 name[32];
	bool		 all = true;

	/* the table grows past its first size; every name stays found */
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "lab-r%d", i);
		fill(&ns, name);
		nscache_watch(c, name, 3, 42);
		nscache_put(c, name, INO, KEYS, nscache_ticket(c, name), &ns, 0, 0);
		ks_ns_clear(&ns);
	}
	CHECK_INTEQ(nscache_count(c), 1000);
	for (int i = 999; i >= 0; i--) {
		snprintf(name, sizeof(name), "lab-r%d", i);
		all &= nscache_take(c, name, INO, KEYS, &got, &ticket, &stale);
		all &= strcmp(got.name, name) == 0;
		ks_ns_clear(&got);
	}
	CHECK(all);
	nscache_free(c);
}

/* A pass reads on a worker while the loop hears events: what it read
 * before an event, or before a forget_all, is not kept. */
static void
test_tickets(void)
{
	struct nscache	*c = nscache_new();
	struct ks_ns	 ns, got = { 0 };
	uint64_t	 t, ticket;

	nscache_watch(c, "lab-a", 3, 42);
	t = nscache_ticket(c, "lab-a");
	fill(&ns, "lab-a");
	nscache_forget(c, "lab-a", 0);		/* an event during the read */
	nscache_put(c, "lab-a", INO, KEYS, t, &ns, 0, 0);
	CHECK(ns.routes != NULL);		/* not taken */
	CHECK_INTEQ(nscache_count(c), 0);

	t = nscache_ticket(c, "lab-a");
	nscache_forget_all(c);			/* events lost */
	nscache_put(c, "lab-a", INO, KEYS, t, &ns, 0, 0);
	CHECK_INTEQ(nscache_count(c), 0);

	t = nscache_ticket(c, "lab-a");
	nscache_watch(c, "lab-a", -1, 0);	/* unwatched and watched again */
	nscache_watch(c, "lab-a", 3, 42);
	nscache_put(c, "lab-a", INO, KEYS, t, &ns, 0, 0);
	CHECK_INTEQ(nscache_count(c), 0);

	/* a learned neighbour while the state is out (being read): it may
	 * replace a permanent one the read saw; the neighbours are read
	 * again */
	t = nscache_ticket(c, "lab-a");
	nscache_neigh(c, "lab-a", AF_INET, ns.neighs[0].ip, 3, false);
	nscache_put(c, "lab-a", INO, KEYS, t, &ns, 0xd1, 0);
	CHECK_INTEQ(nscache_count(c), 1);
	CHECK(!nscache_settled(c, "lab-a", 0xd1));
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &ns, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_NEIGHS);
	/* ... not one the read saw as static: kept all the same (neighbour
	 * discovery on thousands of interfaces must not keep a namespace
	 * from ever being kept) */
	t = nscache_ticket(c, "lab-a");
	for (uint8_t k = 1; k < 20; k++) {
		uint8_t	 ip[16] = { 10, 1, 0, k };

		nscache_neigh(c, "lab-a", AF_INET, ip, 4, false);
	}
	nscache_put(c, "lab-a", INO, KEYS, t, &ns, 0, 0);
	CHECK_INTEQ(nscache_count(c), 1);
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &ns, &ticket, &stale));
	CHECK_INTEQ(stale, 0);
	/* too many of them to note: the neighbours are read again */
	t = ticket;
	for (uint8_t k = 1; k < 100; k++) {
		uint8_t	 ip[16] = { 10, 2, 0, k };

		nscache_neigh(c, "lab-a", AF_INET, ip, 4, false);
	}
	nscache_put(c, "lab-a", INO, KEYS, t, &ns, 0, 0);
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &ns, &ticket, &stale));
	CHECK_INTEQ(stale, OBSERVE_NEIGHS);

	/* nothing in between: kept; taken with the ticket it had, so that
	 * giving it back unchanged keeps it again */
	t = nscache_ticket(c, "lab-a");
	nscache_put(c, "lab-a", INO, KEYS, t, &ns, 0, 0);
	CHECK_INTEQ(nscache_count(c), 1);
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	CHECK(ticket == t);
	nscache_put(c, "lab-a", INO, KEYS, ticket, &got, 0, 0);
	CHECK_INTEQ(nscache_count(c), 1);
	/* an event after the take: the state given back is old */
	CHECK(nscache_take(c, "lab-a", INO, KEYS, &got, &ticket, &stale));
	nscache_forget(c, "lab-a", 0);
	nscache_put(c, "lab-a", INO, KEYS, ticket, &got, 0, 0);
	CHECK_INTEQ(nscache_count(c), 0);
	ks_ns_clear(&got);
	ks_ns_clear(&ns);
	nscache_free(c);
}

/* A pass reaches a watched namespace by its id, only while it is the
 * namespace (the inode) that was watched. */
static void
test_nsid(void)
{
	struct nscache		*c = nscache_new();
	struct pass_memory	 m = nscache_memory(c);

	CHECK_INTEQ(m.nsid(m.arg, "lab-a", 42), -1);	/* not watched */
	nscache_watch(c, "lab-a", 3, 42);
	CHECK_INTEQ(m.nsid(m.arg, "lab-a", 42), 3);
	CHECK_INTEQ(m.nsid(m.arg, "lab-a", 43), -1);	/* another one now */
	CHECK_INTEQ(m.nsid(m.arg, "lab-b", 42), -1);
	nscache_forget(c, "lab-a", 0);			/* an event: still its id */
	CHECK_INTEQ(m.nsid(m.arg, "lab-a", 42), 3);
	nscache_watch(c, "lab-a", -1, 0);		/* no longer watched */
	CHECK_INTEQ(m.nsid(m.arg, "lab-a", 42), 3);
	nscache_watch(c, "lab-a", 5, 44);		/* another one */
	CHECK_INTEQ(m.nsid(m.arg, "lab-a", 42), -1);
	CHECK_INTEQ(m.nsid(m.arg, "lab-a", 44), 5);
	nscache_free(c);
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
	RUN(test_tickets);
	RUN(test_settled);
	RUN(test_stale_kinds);
	RUN(test_link_news);
	RUN(test_nsid);
	return CHECK_DONE();
}
