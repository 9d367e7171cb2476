/*
 * test_pool: `addressing:` pools (vrfd/topo/topo_pool.c), through the
 * loader: the same file gives the same addresses, whatever its order;
 * adding a link renumbers no other; declared addresses win; a LAN gets one
 * subnet; loopbacks; clashes, small pools and bad pools are errors at the
 * pool's key.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "topo/ytree.h"

#define POOLS \
	"addressing:\n" \
	"  p2p: 10.0.0.0/16\n" \
	"  lan: 10.1.0.0/16\n" \
	"  loopback: 10.255.0.0/16\n" \
	"  p2p6: \"2001:db8::/48\"\n" \
	"  lan6: \"2001:db8:1::/48\"\n" \
	"  loopback6: \"2001:db8:ff::/64\"\n"

/* Load and check BUF; its diagnostics, as text, into *DIAGS if asked. */
static struct topo *
load(const char *buf, char **diags)
{
	struct diag_list dl = { 0 };
	struct topo	*t;
	size_t		 len = 0;
	FILE		*mem;
	char		*out = NULL;

	t = topo_load_buf("t.yaml", buf, strlen(buf), &dl);
	if (t != NULL)
		topo_check(t, &dl);
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	diag_print(&dl, mem);
	fclose(mem);
	if (diags != NULL)
		*diags = out;
	else {
		if (dl.n_errors > 0 || dl.n_warnings > 0)
			printf("  unexpected diagnostics:\n%s", out);
		CHECK(dl.n_errors == 0 && dl.n_warnings == 0);
		free(out);
	}
	diag_list_free(&dl);
	return t;
}

static const struct topo_iface *
iface(const struct topo *t, const char *node, const char *ifname)
{
	const struct topo_ns	*ns = topo_ns_by_node(t, node);

	return ns ? topo_ns_iface(ns, ifname) : NULL;
}

/* The addresses of NODE:IFNAME as "10.0.0.1/31 pool p2p, ...", or "". */
static const char *
addrs(const struct topo *t, const char *node, const char *ifname)
{
	static char		 out[1024];
	const struct topo_iface	*ifc = iface(t, node, ifname);
	const struct topo_addr	*a;
	char			 pb[INET6_ADDRSTRLEN + 5];
	size_t			 i, len = 0;

	out[0] = '\0';
	for (i = 0; ifc != NULL && i < ifc->n_addrs; i++) {
		a = &ifc->addrs[i];
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s %s",
		    i ? ", " : "", topo_prefix_str(&a->pfx, pb, sizeof(pb)),
		    a->origin == TOPO_ADDR_POOL ? a->node->scalar :
		    a->origin == TOPO_ADDR_SUBNET ? "subnet" : "declared");
	}
	return out;
}

static int
line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every node:interface's addresses of T, one per line, sorted. */
static char *
dump(const struct topo *t)
{
	char	**lines, *out = NULL, name[128];
	size_t	  i, j, n = 0, len = 0;
	FILE	 *mem;

	for (i = 0; i < t->n_ns; i++)
		n += t->ns[i].n_ifaces;
	lines = calloc(n + 1, sizeof(*lines));
	for (n = 0, i = 0; i < t->n_ns; i++)
		for (j = 0; j < t->ns[i].n_ifaces; j++) {
			snprintf(name, sizeof(name), "%s:%s",
			    t->ns[i].node_name, t->ns[i].ifaces[j].name);
			if (asprintf(&lines[n++], "%s %s", name, addrs(t,
			    t->ns[i].node_name, t->ns[i].ifaces[j].name)) < 0)
				abort();
		}
	qsort(lines, n, sizeof(*lines), line_cmp);
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		fprintf(mem, "%s\n", lines[i]);
		free(lines[i]);
	}
	fclose(mem);
	free(lines);
	return out;
}

/* Is every line of A in B? */
static int
lines_within(const char *a, const char *b)
{
	char	*copy = strdup(a), *line, *save = NULL;
	int	 ok = 1;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char	 want[1100];

		snprintf(want, sizeof(want), "%s\n", line);
		if (strstr(b, want) == NULL) {
			printf("  line '%s' is gone\n", line);
			ok = 0;
		}
	}
	free(copy);
	return ok;
}

static const char chain[] =
    "lab: chain\n" POOLS
    "routers:\n"
    "  r1: {}\n"
    "  r2: {}\n"
    "  r3: {}\n"
    "  pe:\n"
    "    vrfs: {red: {}, blue: {}}\n"
    "switches:\n"
    "  lan1: {}\n"
    "links:\n"
    "  - [r1:eth0, r2:eth0]\n"
    "  - [r2:eth1, r3:eth0]\n"
    "  - [r3:eth1, lan1:p1]\n"
    "  - [pe/red:eth0, lan1:p2]\n"
    "  - [pe/blue:eth0, r1:eth1]\n";

/* The same links, routers and VRFs in another order. */
static const char chain_shuffled[] =
    "lab: chain\n"
    "switches:\n"
    "  lan1: {}\n"
    "links:\n"
    "  - [pe/red:eth0, lan1:p2]\n"
    "  - [r1:eth1, pe/blue:eth0]\n"
    "  - [r3:eth0, r2:eth1]\n"
    "  - [r3:eth1, lan1:p1]\n"
    "  - [r2:eth0, r1:eth0]\n"
    "routers:\n"
    "  pe:\n"
    "    vrfs: {blue: {}, red: {}}\n"
    "  r3: {}\n"
    "  r2: {}\n"
    "  r1: {}\n" POOLS;

static void
test_pool_deterministic(void)
{
	struct topo	*a = load(chain, NULL), *b = load(chain, NULL);
	struct topo	*c = load(chain_shuffled, NULL);
	char		*da, *db, *dc;

	if (a == NULL || b == NULL || c == NULL) {
		CHECK(!"loaded");
		return;
	}
	da = dump(a);
	db = dump(b);
	dc = dump(c);
	CHECK_STREQ(db, da);
	/* Not numbered by the file's order. */
	CHECK_STREQ(dc, da);
	/* The scheme itself: these are part of the file's meaning. */
	CHECK_STREQ(addrs(a, "r1", "eth0"), "10.0.138.150/31 p2p, "
	    "2001:db8:0:454b::1/64 p2p6");
	CHECK_STREQ(addrs(a, "r2", "eth0"), "10.0.138.151/31 p2p, "
	    "2001:db8:0:454b::2/64 p2p6");
	free(da);
	free(db);
	free(dc);
	topo_free(a);
	topo_free(b);
	topo_free(c);
}

static void
test_pool_add_link(void)
{
	char		 buf[8192];
	struct topo	*a, *b;
	char		*da, *db;
	size_t		 len, i;

	/* A ring of 40 routers, then one more link across it. */
	len = (size_t)snprintf(buf, sizeof(buf), "lab: ring\n" POOLS
	    "routers:\n");
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "  r%zu: {}\n", i);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "links:\n");
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "  - [r%zu:eth0, r%zu:eth1]\n", i, (i + 1) % 40);
	a = load(buf, NULL);
	snprintf(buf + len, sizeof(buf) - len, "  - [r0:eth2, r20:eth2]\n");
	b = load(buf, NULL);
	if (a == NULL || b == NULL) {
		CHECK(!"loaded");
		return;
	}
	da = dump(a);
	db = dump(b);
	CHECK(lines_within(da, db));
	CHECK(strcmp(addrs(b, "r0", "eth2"), "") != 0);
	CHECK(strstr(addrs(b, "r0", "eth2"), "p2p6") != NULL);
	free(da);
	free(db);
	topo_free(a);
	topo_free(b);

	/* A LAN of 12 hosts, then a 13th: the others keep theirs. */
	len = (size_t)snprintf(buf, sizeof(buf), "lab: lan\n" POOLS
	    "routers:\n");
	for (i = 0; i < 13; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "  h%zu: {}\n", i);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len,
	    "switches: {s: {}}\nlinks:\n");
	for (i = 0; i < 12; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "  - [h%zu:eth0, s:p%zu]\n", i, i);
	a = load(buf, NULL);
	snprintf(buf + len, sizeof(buf) - len, "  - [h12:eth0, s:p12]\n");
	b = load(buf, NULL);
	if (a == NULL || b == NULL) {
		CHECK(!"loaded");
		return;
	}
	da = dump(a);
	db = dump(b);
	CHECK(lines_within(da, db));
	CHECK(strstr(addrs(b, "h12", "eth0"), "/24 lan") != NULL);
	free(da);
	free(db);
	topo_free(a);
	topo_free(b);
}

static void
test_pool_declared_wins(void)
{
	struct topo	*t = load("lab: d\n" POOLS
	    "routers:\n"
	    "  r1:\n"
	    "    interfaces:\n"
	    "      eth0: {addresses: [192.0.2.0/31]}\n"
	    "      eth1: {addresses: [192.0.2.8/30, \"2001:db8:9::1/64\"]}\n"
	    "      eth2: {addresses: [\"fe80::1/64\"]}\n"
	    "      lo: {addresses: [192.0.2.100/32]}\n"
	    "  r2:\n"
	    "    interfaces:\n"
	    "      eth0: {addresses: [192.0.2.1/31]}\n"
	    "  r3: {}\n"
	    "  r4: {}\n"
	    "links:\n"
	    "  - [r1:eth0, r2:eth0]\n"
	    "  - [r1:eth1, r3:eth0]\n"
	    "  - [r1:eth2, r4:eth0]\n", NULL);

	if (t == NULL) {
		CHECK(!"loaded");
		return;
	}
	/* Both ends declare IPv4: untouched; IPv6 comes from p2p6. */
	CHECK(strncmp(addrs(t, "r1", "eth0"), "192.0.2.0/31 declared, "
	    "2001:db8:", 23) == 0);
	CHECK(strncmp(addrs(t, "r2", "eth0"), "192.0.2.1/31 declared, "
	    "2001:db8:", 23) == 0);
	/* One end declares both: the other's are of its subnets. */
	CHECK_STREQ(addrs(t, "r1", "eth1"), "192.0.2.8/30 declared, "
	    "2001:db8:9::1/64 declared");
	CHECK(strstr(addrs(t, "r3", "eth0"), "/30 subnet") != NULL);
	CHECK(strncmp(addrs(t, "r3", "eth0"), "192.0.2.9/30 subnet", 19) ==
	    0 || strncmp(addrs(t, "r3", "eth0"), "192.0.2.10/30 subnet", 20) ==
	    0);
	CHECK(strstr(addrs(t, "r3", "eth0"), "2001:db8:9::") != NULL);
	/* A link-local address is an IPv6 address: no pool IPv6 there. */
	CHECK(strstr(addrs(t, "r1", "eth2"), "p2p6") == NULL);
	CHECK(strstr(addrs(t, "r1", "eth2"), " p2p") != NULL);
	CHECK(strstr(addrs(t, "r4", "eth0"), "2001:db8:0:") != NULL);
	/* A declared loopback keeps its family; the other comes. */
	CHECK(strncmp(addrs(t, "r1", "lo"), "192.0.2.100/32 declared, "
	    "2001:db8:ff::", 38) == 0);
	topo_free(t);
}

static void
test_pool_lan(void)
{
	char		 buf[16384], *diags;
	struct topo	*t;
	const struct topo_iface *h;
	struct topo_prefix net[2], p;
	size_t		 len, i;

	len = (size_t)snprintf(buf, sizeof(buf), "lab: lans\n" POOLS
	    "routers:\n  gw: {}\n");
	for (i = 0; i < 300; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "  h%zu: {}\n", i);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len,
	    "switches: {a: {}, b: {}, big: {}}\n"
	    "links:\n"
	    "  - [gw:eth0, a:p0]\n"
	    "  - [h0:eth0, a:p1]\n"
	    "  - [a:up, b:up]\n"
	    "  - [h1:eth0, b:p1]\n"
	    "  - [gw:eth1, big:p0]\n");
	for (i = 2; i < 300; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "  - [h%zu:eth0, big:p%zu]\n", i, i);
	if ((t = load(buf, &diags)) == NULL) {
		CHECK(!"loaded");
		free(diags);
		return;
	}
	CHECK_STREQ(diags, "");
	free(diags);
	/* Switches a and b are one LAN: one /24, distinct hosts. */
	CHECK(strstr(addrs(t, "gw", "eth0"), "/24 lan, ") != NULL);
	for (i = 0; i < 2; i++) {
		h = iface(t, i ? "h1" : "h0", "eth0");
		CHECK(h != NULL && h->n_addrs == 2);
		if (h == NULL || h->n_addrs != 2)
			return;
		net[i] = h->addrs[0].pfx;
		CHECK(net[i].plen == 24);
		CHECK(h->addrs[0].origin == TOPO_ADDR_POOL &&
		    strcmp(h->addrs[0].node->scalar, "lan") == 0);
		CHECK(h->addrs[1].pfx.plen == 64);
	}
	CHECK(memcmp(net[0].addr, net[1].addr, 3) == 0);
	CHECK(net[0].addr[3] != net[1].addr[3]);
	/* 300 ports do not fit a /24: a /23. */
	h = iface(t, "h299", "eth0");
	CHECK(h != NULL && h->n_addrs == 2 && h->addrs[0].pfx.plen == 23);
	p = iface(t, "gw", "eth1")->addrs[0].pfx;
	CHECK(p.plen == 23);
	CHECK(memcmp(p.addr, iface(t, "h0", "eth0")->addrs[0].pfx.addr, 3));
	topo_free(t);
}

static void
test_pool_loopbacks(void)
{
	struct topo	*t = load(chain, NULL);
	const struct topo_iface *lo;
	const char	*nodes[] = { "r1", "r2", "r3", "pe/red", "pe/blue" };
	size_t		 i;

	if (t == NULL) {
		CHECK(!"loaded");
		return;
	}
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		lo = iface(t, nodes[i], "lo");
		CHECK(lo != NULL && lo->n_addrs == 2);
		if (lo == NULL || lo->n_addrs != 2)
			continue;
		CHECK(lo->addrs[0].pfx.family == AF_INET &&
		    lo->addrs[0].pfx.plen == 32);
		CHECK(lo->addrs[1].pfx.family == AF_INET6 &&
		    lo->addrs[1].pfx.plen == 128);
		CHECK_STREQ(lo->addrs[1].node->scalar, "loopback6");
	}
	/* Switches have none. */
	CHECK(iface(t, "lan1", "lo") == NULL);
	topo_free(t);
}

static void
test_pool_clash(void)
{
	char		*diags = NULL;
	struct topo	*t;

	t = load("lab: clash\n"
	    "addressing:\n"
	    "  p2p: 10.0.0.0/31\n"
	    "  loopback: 10.255.0.0/30\n"
	    "routers:\n"
	    "  r1: {interfaces: {lo: {addresses: [10.255.0.1/32]}}}\n"
	    "  r2: {}\n"
	    "  r3: {}\n"
	    "  r4: {interfaces: {eth0: {addresses: [10.0.0.0/24]}}}\n"
	    "  r5: {}\n"
	    "links:\n"
	    "  - [r1:eth0, r2:eth0]\n"
	    "  - [r4:eth0, r5:eth0]\n", &diags);
	CHECK_STREQ(diags,
	    "t.yaml:3:3: error: addressing.p2p: pool p2p: 10.0.0.0/31 for "
	    "link r1:eth0 - r2:eth0 clashes with 10.0.0.0/24 declared on "
	    "r4:eth0 (9:40)\n"
	    "t.yaml:4:3: error: addressing.loopback: pool loopback: "
	    "10.255.0.1/32 for r2:lo clashes with 10.255.0.1/32 declared on "
	    "r1:lo (6:38)\n");
	/* What clashes is not given. */
	if (t != NULL)
		CHECK_STREQ(addrs(t, "r1", "eth0"), "");
	free(diags);
	topo_free(t);
}

static void
test_pool_exhausted(void)
{
	char		*diags = NULL;
	struct topo	*t;

	t = load("lab: small\n"
	    "addressing:\n"
	    "  p2p: 10.0.0.0/30\n"
	    "  lan6: \"2001:db8::/64\"\n"
	    "routers: {r1: {}, r2: {}, r3: {}, r4: {}}\n"
	    "switches: {s1: {}, s2: {}}\n"
	    "links:\n"
	    "  - [r1:eth0, r2:eth0]\n"
	    "  - [r2:eth1, r3:eth0]\n"
	    "  - [r3:eth1, r4:eth0]\n"
	    "  - [r1:eth1, s1:p1]\n"
	    "  - [r2:eth2, s2:p1]\n", &diags);
	CHECK_STREQ(diags,
	    "t.yaml:3:3: error: addressing.p2p: pool p2p 10.0.0.0/30 is too "
	    "small: the lab needs 3 /31 blocks, it holds 2\n"
	    "t.yaml:4:3: error: addressing.lan6: pool lan6 2001:db8::/64 is "
	    "too small: the lab needs 2 /64 blocks, it holds 1\n");
	free(diags);
	topo_free(t);
}

static void
test_pool_bad(void)
{
	char		*diags = NULL;
	struct topo	*t;

	t = load("lab: bad\n"
	    "addressing:\n"
	    "  p2p: 10.0.0.0/32\n"
	    "  lan: 10.0.0.0/16\n"
	    "  loopback: 10.255.0.1/24\n"
	    "  p2p6: 10.9.0.0/16\n"
	    "  lan6: \"fe80::/48\"\n"
	    "  loopback6: [a]\n"
	    "  loopbak: 10.254.0.0/24\n"
	    "routers: {r1: {}}\n", &diags);
	CHECK_STREQ(diags,
	    "t.yaml:3:8: error: addressing.p2p: pool p2p gives each link a "
	    "/31: its prefix must be a /31 or shorter, not /32\n"
	    "t.yaml:5:13: error: addressing.loopback: 10.255.0.1/24 has host "
	    "bits set; did you mean 10.255.0.0/24?\n"
	    "t.yaml:6:9: error: addressing.p2p6: pool p2p6 takes an IPv6 "
	    "prefix, not 10.9.0.0/16; the IPv4 pools are p2p, lan and "
	    "loopback\n"
	    "t.yaml:7:9: error: addressing.lan6: fe80::/48 is link-local "
	    "(fe80::/10); every link has those already\n"
	    "t.yaml:8:14: error: addressing.loopback6: expected a string, "
	    "got a list\n"
	    "t.yaml:9:3: error: addressing: unknown key 'loopbak'; did you "
	    "mean 'loopback'?\n");
	free(diags);
	topo_free(t);
	t = load("lab: overlap\n"
	    "addressing: {p2p: 10.0.0.0/16, lan: 10.0.128.0/17}\n"
	    "routers: {r1: {}}\n", &diags);
	CHECK_STREQ(diags,
	    "t.yaml:2:37: error: addressing.lan: pool lan 10.0.128.0/17 "
	    "overlaps pool p2p 10.0.0.0/16 (2:19)\n");
	free(diags);
	topo_free(t);
}

/* No `addressing`: nothing is added, not even a loopback. */
static void
test_pool_none(void)
{
	struct topo	*t = load("lab: none\n"
	    "routers: {r1: {}, r2: {}}\n"
	    "links: [[r1:eth0, r2:eth0]]\n", NULL);

	if (t == NULL) {
		CHECK(!"loaded");
		return;
	}
	CHECK_STREQ(addrs(t, "r1", "eth0"), "");
	CHECK(iface(t, "r1", "lo") == NULL);
	topo_free(t);
}

int
main(void)
{
	RUN(test_pool_deterministic);
	RUN(test_pool_add_link);
	RUN(test_pool_declared_wins);
	RUN(test_pool_lan);
	RUN(test_pool_loopbacks);
	RUN(test_pool_clash);
	RUN(test_pool_exhausted);
	RUN(test_pool_bad);
	RUN(test_pool_none);
	return CHECK_DONE();
}
