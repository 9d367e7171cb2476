/*
 * test_topo: the loader and the checker against fixture files, and the
 * value parsers, the YAML tree and the diagnostics on their own.
 *
 * Fixtures: every tests/data/bad-NAME.yaml and good-NAME.yaml is loaded
 * and checked; its diagnostics, as diag_print writes them, must equal the
 * sibling .expected file (none: no output). bad- fixtures must have
 * errors, good- ones none. The shipped examples (topology/NAME.yaml) must
 * have no diagnostics at all. Run from the repository root.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "check.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "proto/report_json.h"
#include "topo/ytree.h"

static char *
read_text(const char *path)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;
	ssize_t	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	n = getdelim(&buf, &len, '\0', fp);
	fclose(fp);
	if (n < 0) {
		free(buf);
		return strdup("");
	}
	return buf;
}

/* Load and check PATH; the diagnostics as text. */
static char *
run_file(const char *path, struct diag_list *dl, struct topo **tp)
{
	struct topo	*t;
	char		*out = NULL;
	size_t		 len = 0;
	FILE		*mem;

	t = topo_load(path, dl);
	if (t != NULL)
		topo_check(t, dl);
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	diag_print(dl, mem);
	fclose(mem);
	if (tp != NULL)
		*tp = t;
	else
		topo_free(t);
	return out;
}

static void
test_one_fixture(const char *yaml)
{
	struct diag_list dl = { 0 };
	const char	*base = strrchr(yaml, '/') + 1;
	char		 expected_path[512], *got, *want;
	int		 bad = strncmp(base, "bad-", 4) == 0;

	snprintf(expected_path, sizeof(expected_path), "%.*s.expected",
	    (int)(strlen(yaml) - 5), yaml);
	want = read_text(expected_path);
	got = run_file(yaml, &dl, NULL);
	if (bad && want == NULL) {
		printf("  %s: a bad-* fixture needs %s\n", yaml, expected_path);
		check_failed_now = 1;
	}
	if (bad && dl.n_errors == 0) {
		printf("  %s: no error found\n", yaml);
		check_failed_now = 1;
	}
	if (!bad && dl.n_errors != 0) {
		printf("  %s: %zu errors in a good fixture\n", yaml,
		    dl.n_errors);
		check_failed_now = 1;
	}
	if (strcmp(got, want ? want : "") != 0) {
		printf("  %s: diagnostics differ\n--- expected\n%s--- got\n%s"
		    "---\n", yaml, want ? want : "", got);
		check_failed_now = 1;
	}
	free(got);
	free(want);
	diag_list_free(&dl);
}

/* One test per fixture, reported as the harness does. */
static void
test_fixtures(void)
{
	glob_t	 g;
	size_t	 i;

	if (glob("tests/data/bad-*.yaml", 0, NULL, &g) != 0 ||
	    glob("tests/data/good-*.yaml", GLOB_APPEND, NULL, &g) != 0 ||
	    g.gl_pathc < 20) {
		printf("not ok - fixtures: run from the repository root\n");
		check_n_fail++;
		return;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		check_failed_now = 0;
		test_one_fixture(g.gl_pathv[i]);
		if (check_failed_now)
			check_n_fail++;
		else
			check_n_pass++;
		printf("%s - fixture %s\n", check_failed_now ? "not ok" : "ok",
		    g.gl_pathv[i]);
	}
	globfree(&g);
}

/* The shipped examples are what users copy: not a single diagnostic. */
static void
test_examples(void)
{
	struct diag_list dl;
	glob_t		 g;
	char		*out;
	size_t		 i;

	if (glob("topology/*.yaml", 0, NULL, &g) != 0) {
		CHECK(!"no topology/*.yaml: run from the repository root");
		return;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		memset(&dl, 0, sizeof(dl));
		out = run_file(g.gl_pathv[i], &dl, NULL);
		if (strcmp(out, "") != 0 || dl.n_errors || dl.n_warnings) {
			printf("  %s:\n%s", g.gl_pathv[i], out);
			check_failed_now = 1;
		}
		free(out);
		diag_list_free(&dl);
	}
	globfree(&g);
}

/* A switch declares no addresses yet; one it had would be on its LAN. */
static void
test_switch_address(void)
{
	static const char yaml[] =
	    "lab: sw\n"
	    "routers:\n"
	    "  h1:\n"
	    "    interfaces: {eth0: {addresses: [10.0.0.1/24]}}\n"
	    "switches:\n"
	    "  lan: {}\n"
	    "links:\n"
	    "  - [h1:eth0, lan:p1]\n";
	struct diag_list dl = { 0 };
	struct topo	*t;
	struct topo_ns	*h1, *lan = NULL;
	struct topo_iface *port = NULL, *eth0 = NULL;
	char		*out = NULL;
	size_t		 len = 0;
	FILE		*mem;

	t = topo_load_buf("sw.yaml", yaml, sizeof(yaml) - 1, &dl);
	CHECK(t != NULL && dl.n == 0);
	if (t != NULL && (h1 = topo_ns_by_node(t, "h1")) != NULL &&
	    (lan = topo_ns_by_node(t, "lan")) != NULL) {
		eth0 = topo_ns_iface(h1, "eth0");
		port = topo_ns_iface(lan, "p1");
	}
	CHECK(port != NULL && eth0 != NULL && eth0->n_addrs == 1);
	if (port == NULL || eth0 == NULL || eth0->n_addrs != 1 ||
	    (port->addrs = calloc(1, sizeof(*port->addrs))) == NULL) {
		topo_free(t);
		diag_list_free(&dl);
		return;
	}
	port->addrs[0].pfx = eth0->addrs[0].pfx;
	port->addrs[0].node = lan->node;
	port->n_addrs = 1;
	topo_check(t, &dl);
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	diag_print(&dl, mem);
	fclose(mem);
	CHECK_STREQ(out, "sw.yaml:6:8: warning: switches.lan: address "
	    "10.0.0.1 is also on h1:eth0, on the same LAN lan (4:37)\n");
	free(out);
	topo_free(t);
	diag_list_free(&dl);
}

/* A link end's interface is the one of its name in its namespace: where
 * the loader put it (a declared one, or one the link made), and by name
 * where that is not known or not so. */
static void
test_ep_iface(void)
{
	static const char yaml[] =
	    "lab: ep\n"
	    "routers:\n"
	    "  a:\n"
	    "    interfaces: {eth0: {}, eth1: {addresses: [10.0.0.1/30]}}\n"
	    "  b: {}\n"
	    "links:\n"
	    "  - [a:eth1, b:eth7]\n"
	    "  - [b:eth3, a:eth0]\n";
	struct diag_list	 dl = { 0 };
	struct topo		*t;
	struct topo_endpoint	 ep;

	t = topo_load_buf("ep.yaml", yaml, sizeof(yaml) - 1, &dl);
	CHECK(t != NULL && dl.n_errors == 0 && t->n_links == 2);
	if (t == NULL || t->n_links != 2) {
		topo_free(t);
		diag_list_free(&dl);
		return;
	}
	for (size_t i = 0; i < 2; i++)
		for (int e = 0; e < 2; e++) {
			const struct topo_endpoint	*end = &t->links[i].ep[e];

			CHECK(topo_ep_iface(end) != NULL && topo_ep_iface(end) ==
			    topo_ns_iface(end->ns, end->ifname));
		}
	CHECK(topo_ep_iface(&t->links[0].ep[0])->n_addrs == 1);
	/* Said wrong (a copy, or a namespace changed): found by name. */
	ep = t->links[0].ep[0];
	ep.iface_at = 1;
	CHECK_STREQ(topo_ep_iface(&ep)->name, "eth1");
	ep.iface_at = 99;
	CHECK_STREQ(topo_ep_iface(&ep)->name, "eth1");
	ep.ns = NULL;
	CHECK(topo_ep_iface(&ep) == NULL);
	topo_free(t);
	diag_list_free(&dl);
}

/* IPv4 is read by a parser of its own (topo.c): it must take exactly
 * what inet_pton takes, the same way, over groups of digits (and now
 * and then another byte) joined by dots, of every shape. */
static unsigned
test_rand(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245 + 12345;
	return (*seed / 65536) % n;
}

static void
test_parse_ipv4_as_inet_pton(void)
{
	static const char alphabet[] = "01234567892550x /-";
	unsigned	 seed = 1, g, n_groups, k, len;
	char		 s[40];
	uint8_t		 want[4];
	struct topo_ip	 ip;
	size_t		 i, n_good = 0;

	for (i = 0; i < 200000; i++) {
		len = 0;
		n_groups = 1 + test_rand(&seed, 5);
		for (g = 0; g < n_groups; g++) {
			if (g > 0)
				s[len++] = '.';
			for (k = test_rand(&seed, 5); k > 0; k--)
				s[len++] = alphabet[test_rand(&seed,
				    test_rand(&seed, 8) == 0 ?
				    sizeof(alphabet) - 1 : 13)];
		}
		s[len] = '\0';
		if (inet_pton(AF_INET, s, want) == 1) {
			n_good++;
			if (topo_parse_ip(s, &ip) != 0 || ip.family !=
			    AF_INET || memcmp(ip.addr, want, 4) != 0) {
				printf("  '%s': not read as inet_pton reads "
				    "it\n", s);
				check_failed_now = 1;
			}
		} else if (topo_parse_ip(s, &ip) == 0) {
			printf("  '%s': taken, inet_pton refuses it\n", s);
			check_failed_now = 1;
		}
	}
	/* Not only refusals were compared. */
	CHECK(n_good > 100);
}

static void
test_parse_ip(void)
{
	static const char *const bad[] = { "10.1.0.01", " 10.1.0.1",
	    "10.1.0.1 ", "10.1.0", "1.2.3.4.5", "256.0.0.1", "fe80::1%eth0",
	    "", "::g", "0x0a.1.1.1", "10.1.0.1/32", "1:2:3:4:5:6:7:8:9", NULL };
	struct topo_ip	 ip;
	char		 buf[INET6_ADDRSTRLEN];
	size_t		 i;

	CHECK_INTEQ(topo_parse_ip("10.1.0.1", &ip), 0);
	CHECK_INTEQ(ip.family, AF_INET);
	CHECK(ip.addr[0] == 10 && ip.addr[3] == 1);
	CHECK_STREQ(topo_ip_str(&ip, buf, sizeof(buf)), "10.1.0.1");
	CHECK_INTEQ(topo_parse_ip("2001:DB8::1", &ip), 0);
	CHECK_INTEQ(ip.family, AF_INET6);
	CHECK_STREQ(topo_ip_str(&ip, buf, sizeof(buf)), "2001:db8::1");
	CHECK_INTEQ(topo_parse_ip("::", &ip), 0);
	for (i = 0; bad[i] != NULL; i++)
		if (topo_parse_ip(bad[i], &ip) != -EINVAL) {
			printf("  accepted bad address '%s'\n", bad[i]);
			check_failed_now = 1;
		}
	test_parse_ipv4_as_inet_pton();
}

static void
test_parse_prefix(void)
{
	static const char *const bad[] = { "10.1.0.1/33", "10.1.0.1/",
	    "10.1.0.01/24", " 10.1.0.1/24", "10.1.0.1/024", "10.1.0.1/+24",
	    "10.1.0.1/24 ", "10.1.0.1/2a", "2001:db8::/129", "/24",
	    "10.1.0.1//24", "10.1.0.1/-1", "10.1.0.1/0x18", "10.1.0.1/1000",
	    "10.1.0.1 /24", "default", "", NULL };
	struct topo_prefix p;
	char		 buf[INET6_ADDRSTRLEN + 5];
	size_t		 i;

	CHECK_INTEQ(topo_parse_prefix("10.1.0.1/24", &p), 0);
	CHECK_INTEQ(p.family, AF_INET);
	CHECK_INTEQ(p.plen, 24);
	CHECK_STREQ(topo_prefix_str(&p, buf, sizeof(buf)), "10.1.0.1/24");
	CHECK_INTEQ(topo_parse_prefix("10.1.0.1", &p), 0);
	CHECK_INTEQ(p.plen, 32);
	CHECK_INTEQ(topo_parse_prefix("2001:db8::1", &p), 0);
	CHECK_INTEQ(p.plen, 128);
	CHECK_INTEQ(topo_parse_prefix("::/0", &p), 0);
	CHECK_INTEQ(p.plen, 0);
	CHECK_INTEQ(topo_parse_prefix("0.0.0.0/0", &p), 0);
	CHECK_INTEQ(topo_parse_prefix("2001:db8::/128", &p), 0);
	CHECK_STREQ(topo_prefix_str(&p, buf, sizeof(buf)), "2001:db8::/128");
	for (i = 0; bad[i] != NULL; i++)
		if (topo_parse_prefix(bad[i], &p) != -EINVAL) {
			printf("  accepted bad prefix '%s'\n", bad[i]);
			check_failed_now = 1;
		}
}

static void
test_parse_mac(void)
{
	static const char *const bad[] = { "02:00:00:00:01",
	    "02-00-00-00-01-02", "2:0:0:0:1:5", "02:00:00:00:01:02:03",
	    "02:00:00:00:01:0g", "02:00:00:00:01:02 ", "", "020000000102",
	    "02:00:00:00:01:2", "02.00.00.00.01.02", " 2:00:00:00:01:02",
	    "+2:00:00:00:01:02", NULL };
	uint8_t		 mac[6];
	size_t		 i;

	CHECK_INTEQ(topo_parse_mac("02:00:00:00:01:02", mac), 0);
	CHECK(mac[0] == 2 && mac[4] == 1 && mac[5] == 2);
	CHECK_INTEQ(topo_parse_mac("0A:bC:00:00:00:FF", mac), 0);
	CHECK(mac[0] == 0x0a && mac[1] == 0xbc && mac[5] == 0xff);
	for (i = 0; bad[i] != NULL; i++)
		if (topo_parse_mac(bad[i], mac) != -EINVAL) {
			printf("  accepted bad MAC '%s'\n", bad[i]);
			check_failed_now = 1;
		}
}

static struct topo_prefix
pfx(const char *s)
{
	struct topo_prefix p;

	if (topo_parse_prefix(s, &p) != 0)
		abort();
	return p;
}

static int
contains(const char *p, const char *ip)
{
	struct topo_prefix pp = pfx(p);
	struct topo_ip	 a;

	if (topo_parse_ip(ip, &a) != 0)
		abort();
	return topo_prefix_contains(&pp, &a);
}

static int
host_bits(const char *p)
{
	struct topo_prefix pp = pfx(p);

	return topo_prefix_has_host_bits(&pp);
}

static void
test_prefix_math(void)
{
	CHECK(host_bits("10.1.0.1/24"));
	CHECK(!host_bits("10.1.0.0/24"));
	CHECK(host_bits("172.16.5.0/20"));
	CHECK(!host_bits("172.16.0.0/20"));
	CHECK(host_bits("10.0.0.1/31"));
	CHECK(!host_bits("10.0.0.1/32"));
	CHECK(!host_bits("0.0.0.0/0"));
	CHECK(host_bits("1.0.0.0/0"));
	CHECK(host_bits("2001:db8:2::1/48"));
	CHECK(!host_bits("2001:db8::/32"));
	CHECK(!host_bits("2001:db8::1/128"));

	CHECK(contains("10.1.0.0/24", "10.1.0.200"));
	CHECK(!contains("10.1.0.0/24", "10.1.1.1"));
	CHECK(contains("10.1.0.0/23", "10.1.1.5"));
	CHECK(contains("10.1.0.7/29", "10.1.0.1"));
	CHECK(!contains("10.1.0.7/29", "10.1.0.8"));
	CHECK(contains("0.0.0.0/0", "192.0.2.1"));
	CHECK(contains("10.0.0.1/32", "10.0.0.1"));
	CHECK(!contains("10.0.0.1/32", "10.0.0.2"));
	CHECK(!contains("10.0.0.0/8", "::a00:1"));
	CHECK(contains("2001:db8:1::1/64", "2001:db8:1::ffff"));
	CHECK(!contains("2001:db8:1::1/64", "2001:db8:2::1"));
}

static void
test_valid_names(void)
{
	CHECK(topo_valid_name("a"));
	CHECK(topo_valid_name("pe1"));
	CHECK(topo_valid_name("a-b_c"));
	CHECK(topo_valid_name("0x"));
	CHECK(topo_valid_name("abcdefghijklmnopqrstuvwxyz012345"));	/* 32 */
	CHECK(!topo_valid_name("abcdefghijklmnopqrstuvwxyz0123456"));
	CHECK(!topo_valid_name(""));
	CHECK(!topo_valid_name("A"));
	CHECK(!topo_valid_name("../etc"));
	CHECK(!topo_valid_name(".."));
	CHECK(!topo_valid_name("a/b"));
	CHECK(!topo_valid_name("a b"));
	CHECK(!topo_valid_name("-a"));
	CHECK(!topo_valid_name("_a"));
	CHECK(!topo_valid_name("a.b"));

	CHECK(topo_valid_ifname("eth0"));
	CHECK(topo_valid_ifname("a"));
	CHECK(topo_valid_ifname("eth0.100"));
	CHECK(topo_valid_ifname("br-lan"));
	CHECK(topo_valid_ifname("abcdefghijklmno"));		/* 15 */
	CHECK(!topo_valid_ifname("abcdefghijklmnop"));
	CHECK(!topo_valid_ifname(""));
	CHECK(!topo_valid_ifname("."));
	CHECK(!topo_valid_ifname(".."));
	CHECK(!topo_valid_ifname("a/b"));
	CHECK(!topo_valid_ifname("a:b"));
	CHECK(!topo_valid_ifname("a b"));
	CHECK(!topo_valid_ifname("a\tb"));
}

static void
test_model_demo(void)
{
	struct diag_list dl = { 0 };
	struct topo	*t;
	struct topo_ns	*ce1, *red, *blue, *lan;
	struct topo_route *r;
	char		*out, buf[64];

	out = run_file("tests/data/good-demo.yaml", &dl, &t);
	CHECK_STREQ(out, "");
	free(out);
	if (t == NULL) {
		CHECK(t != NULL);
		return;
	}
	CHECK_STREQ(t->lab, "demo");
	CHECK_INTEQ(t->n_routers, 2);
	CHECK_INTEQ(t->n_ns, 4);
	CHECK(!t->routers[0].has_vrfs && t->routers[0].n_ns == 1);
	CHECK(t->routers[1].has_vrfs);
	CHECK_INTEQ(t->routers[1].first_ns, 1);
	CHECK_INTEQ(t->routers[1].n_ns, 2);
	CHECK_STREQ(t->ns[0].name, "demo-ce1");
	CHECK_STREQ(t->ns[1].name, "demo-pe1-red");
	CHECK_STREQ(t->ns[1].node_name, "pe1/red");
	CHECK_STREQ(t->ns[2].vrf, "blue");
	CHECK_STREQ(t->ns[3].name, "demo-lan1");
	CHECK_INTEQ(t->ns[3].kind, TOPO_NS_SWITCH);

	ce1 = topo_ns_by_node(t, "ce1");
	red = topo_ns_by_node(t, "pe1/red");
	blue = topo_ns_by_name(t, "demo-pe1-blue");
	lan = topo_ns_by_node(t, "lan1");
	CHECK(ce1 == &t->ns[0] && red == &t->ns[1] && blue == &t->ns[2] &&
	    lan == &t->ns[3]);
	CHECK(topo_ns_by_node(t, "pe1") == NULL);

	/* Declared interfaces first, then those only a link names. */
	CHECK_INTEQ(ce1->n_ifaces, 3);
	CHECK_STREQ(ce1->ifaces[0].name, "lo");
	CHECK_STREQ(ce1->ifaces[1].name, "eth0");
	CHECK_STREQ(ce1->ifaces[2].name, "eth1");
	CHECK(ce1->ifaces[2].node == NULL && ce1->ifaces[1].node != NULL);
	CHECK_INTEQ(ce1->ifaces[1].mtu, 1500);
	CHECK(ce1->ifaces[1].has_mac && ce1->ifaces[1].mac[5] == 2);
	CHECK_INTEQ(ce1->ifaces[1].n_addrs, 2);
	CHECK_STREQ(topo_prefix_str(&ce1->ifaces[1].addrs[1].pfx, buf,
	    sizeof(buf)), "2001:db8:1::2/64");
	CHECK(topo_ns_iface(lan, "p1") && topo_ns_iface(lan, "p2"));

	CHECK_INTEQ(ce1->n_routes, 5);
	CHECK_INTEQ(topo_count_routes(t), 5);
	r = &ce1->routes[0];
	CHECK(r->to.family == AF_INET && r->to.plen == 0);
	CHECK(r->n_nexthops == 1 && r->nexthops[0].has_via &&
	    r->nexthops[0].weight == 1);
	r = &ce1->routes[1];
	CHECK(r->n_nexthops == 2 && r->nexthops[0].weight == 2 &&
	    r->nexthops[1].weight == 1);
	r = &ce1->routes[2];
	CHECK(r->to.family == AF_INET6 && r->metric == 50);
	CHECK_STREQ(r->nexthops[0].dev, "eth0");
	CHECK(ce1->routes[3].type == TOPO_RT_BLACKHOLE &&
	    ce1->routes[3].n_nexthops == 0);
	CHECK(ce1->routes[4].type == TOPO_RT_UNREACHABLE &&
	    ce1->routes[4].metric == 10);
	CHECK_INTEQ(ce1->n_neighs, 1);
	CHECK_STREQ(ce1->neighs[0].dev, "eth0");

	/* defaults < router < vrf, each pointing at the winning value. */
	CHECK_STREQ(topo_sysctl_get(ce1, "net.ipv4.ip_forward"), "1");
	CHECK_STREQ(topo_sysctl_get(ce1, "net.ipv4.conf.all.rp_filter"), "0");
	CHECK_INTEQ(ce1->sysctls[0].node->line, 4);
	CHECK_STREQ(topo_sysctl_get(red, "net.ipv4.ip_forward"), "1");
	CHECK_INTEQ(red->sysctls[0].node->line, 25);
	CHECK_STREQ(topo_sysctl_get(blue, "net.ipv4.ip_forward"), "0");
	CHECK_INTEQ(blue->sysctls[0].node->line, 20);
	CHECK_STREQ(topo_sysctl_get(lan, "net.ipv6.conf.all.forwarding"), "1");
	CHECK(topo_sysctl_get(lan, "net.ipv4.conf.all.rp_filter") == NULL);

	CHECK_INTEQ(t->n_links, 3);
	CHECK(t->links[0].ep[0].ns == ce1 && t->links[0].ep[1].ns == red);
	CHECK_STREQ(t->links[0].ep[1].ifname, "eth1");
	CHECK_INTEQ(t->links[1].mtu, 9000);
	CHECK(t->links[1].ep[1].ns == lan);
	CHECK_INTEQ(t->n_expects, 2);
	CHECK(t->expects[0].from_ns == ce1 && t->expects[0].reach);
	CHECK(t->expects[1].from_ns == blue && !t->expects[1].reach);
	topo_free(t);
	diag_list_free(&dl);
}

/*
 * A topology of many namespaces, whose bodies the loader reads on two
 * threads: every namespace gets its own routes and nexthops, and every
 * error is reported once, at its place, in the order of the file.
 */
static void
test_model_many_ns(void)
{
	enum { N_ROUTERS = 150 };
	unsigned	 bad_line[N_ROUTERS], line = 2, n_bad = 0;
	struct diag_list dl = { 0 };
	struct topo	*t;
	char		*text, name[32];
	size_t		 len, i, e = 0;
	FILE		*fp = open_memstream(&text, &len);

	fprintf(fp, "lab: big\nrouters:\n");
	for (i = 0; i < N_ROUTERS; i++) {
		fprintf(fp, "  r%zu:\n    interfaces:\n"
		    "      eth0: {addresses: [10.0.%zu.1/24]}\n"
		    "    routes:\n"
		    "      - {to: 10.1.0.0/16, via: 10.0.%zu.2}\n"
		    "      - {to: 10.2.0.0/16, nexthops: [{via: 10.0.%zu.3}, "
		    "{via: 10.0.%zu.4, weight: 3}]}\n", i, i, i, i, i);
		line += 6;
		/* Every other router has a route the loader leaves out. */
		if (i % 2 == 1) {
			fprintf(fp, "      - {to: 10.3.0.0/33, via: 10.0.%zu.5}\n",
			    i);
			bad_line[n_bad++] = ++line;
		}
		fprintf(fp, "      - {to: 10.4.0.0/16, via: 10.0.%zu.6}\n", i);
		line++;
	}
	fclose(fp);
	t = topo_load_buf("big.yaml", text, len, &dl);
	diag_sort(&dl);
	CHECK(t != NULL);
	CHECK_INTEQ(t ? t->n_ns : 0, N_ROUTERS);
	CHECK_INTEQ(dl.n_errors, n_bad);
	CHECK_INTEQ(dl.n, n_bad);
	for (i = 0; i < dl.n && i < n_bad; i++)
		if (dl.v[i].line != bad_line[i]) {
			printf("  error %zu at line %u, not %u\n", i,
			    dl.v[i].line, bad_line[i]);
			check_failed_now = 1;
		}
	for (i = 0; t != NULL && i < t->n_ns; i++) {
		const struct topo_ns	*ns = &t->ns[i];
		const struct topo_route	*r = ns->routes;

		snprintf(name, sizeof(name), "r%zu", i);
		if (strcmp(ns->router, name) != 0 || ns->n_routes != 3 ||
		    ns->n_nexthops != 4 || r[0].n_nexthops != 1 ||
		    r[1].n_nexthops != 2 || r[2].n_nexthops != 1 ||
		    r[1].nexthops != r[0].nexthops + 1 ||
		    r[2].nexthops != r[1].nexthops + 2 ||
		    r[0].nexthops[0].via.addr[2] != i ||
		    r[1].nexthops[1].via.addr[3] != 4 ||
		    r[1].nexthops[1].weight != 3 ||
		    r[2].to.addr[1] != 4 || r[2].nexthops[0].via.addr[3] != 6 ||
		    ns->n_ifaces != 1 || ns->ifaces[0].addrs[0].pfx.addr[2] !=
		    i) {
			printf("  %s not read as declared\n", ns->router);
			check_failed_now = 1;
			e++;
		}
		if (e > 3)
			break;
	}
	topo_free(t);
	diag_list_free(&dl);
	free(text);
}

static void
test_model_scalars(void)
{
	struct diag_list dl = { 0 };
	struct topo	*t;
	struct topo_iface *ifc;
	char		*out, buf[64];

	out = run_file("tests/data/good-plain-scalars.yaml", &dl, &t);
	CHECK_STREQ(out, "");
	free(out);
	if (t == NULL) {
		CHECK(t != NULL);
		return;
	}
	CHECK_INTEQ(t->n_ns, 3);
	CHECK_STREQ(t->ns[0].name, "lab1-no");
	ifc = topo_ns_iface(&t->ns[0], "eth0");
	CHECK(ifc && ifc->mtu == 1500 && ifc->has_mac && ifc->mac[0] == 2 &&
	    ifc->mac[5] == 2);
	/* Merged from &port; the explicit keys win. */
	ifc = topo_ns_iface(&t->ns[1], "eth0");
	CHECK(ifc && ifc->mtu == 1500 && ifc->mac[0] == 0x0a);
	CHECK(ifc && ifc->n_addrs == 1 && strcmp(topo_prefix_str(
	    &ifc->addrs[0].pfx, buf, sizeof(buf)), "10.0.0.0/31") == 0);
	CHECK_STREQ(topo_sysctl_get(&t->ns[2], "net.ipv4.ip_forward"), "1");
	CHECK(t->n_expects == 2 && t->expects[0].reach && !t->expects[1].reach);
	topo_free(t);
	diag_list_free(&dl);
}

/* expect: entries with via, proto and port, as loaded. */
static void
test_model_expect(void)
{
	struct diag_list	 dl = { 0 };
	struct topo		*t;
	struct topo_ns		*ce1, *red, *lan;
	struct topo_expect	*e;
	char			*out, buf[64];

	out = run_file("tests/data/good-expect-flow.yaml", &dl, &t);
	CHECK_STREQ(out, "");
	free(out);
	if (t == NULL) {
		CHECK(t != NULL);
		return;
	}
	ce1 = topo_ns_by_node(t, "ce1");
	red = topo_ns_by_node(t, "pe1/red");
	lan = topo_ns_by_node(t, "lan1");
	CHECK(ce1 != NULL && red != NULL && lan != NULL);
	CHECK_INTEQ(t->n_expects, 5);
	if (t->n_expects != 5)
		goto done;
	/* The defaults: ICMP, reachable, no via, no port. */
	e = &t->expects[0];
	CHECK(e->from_ns == ce1 && e->reach && e->n_via == 0 &&
	    e->proto == TOPO_PROBE_ICMP && e->port == 0);
	CHECK_STREQ(e->from, "ce1");
	CHECK_STREQ(topo_ip_str(&e->to, buf, sizeof(buf)), "10.0.0.1");
	/* via in order, a switch among them. */
	e = &t->expects[1];
	CHECK(e->proto == TOPO_PROBE_UDP && e->port == 53 && e->reach);
	CHECK_INTEQ(e->n_via, 2);
	CHECK(e->via[0] == lan && e->via[1] == red);
	e = &t->expects[2];
	CHECK(e->from_ns == red && !e->reach && e->proto == TOPO_PROBE_TCP &&
	    e->port == 65535 && e->n_via == 0);
	CHECK(e->to.family == AF_INET6);
	CHECK_STREQ(e->from, "pe1/red");
	/* proto: icmp written out, and an empty via, are the defaults. */
	e = &t->expects[3];
	CHECK(e->proto == TOPO_PROBE_ICMP && e->port == 0 && e->n_via == 0);
	e = &t->expects[4];
	CHECK(e->proto == TOPO_PROBE_TCP && e->port == 1 && e->n_via == 1 &&
	    e->via[0] == ce1);
done:
	topo_free(t);
	diag_list_free(&dl);
}

/* Parse BUF; the diagnostics as text in OUT (caller frees). */
static struct ynode *
parse(const char *buf, char **out)
{
	struct diag_list dl = { 0 };
	struct ynode	*root;
	size_t		 len = 0;
	FILE		*mem;

	root = ytree_parse("t.yaml", buf, strlen(buf), &dl);
	if ((mem = open_memstream(out, &len)) == NULL)
		abort();
	diag_print(&dl, mem);
	fclose(mem);
	diag_list_free(&dl);
	return root;
}

/* Is the YAML path of N (made on demand) WANT? */
static bool
path_is(const struct ynode *n, const char *want)
{
	char	*path = ynode_path(n);
	bool	 same = path != NULL && strcmp(path, want) == 0;

	if (!same)
		fprintf(stderr, "path '%s', want '%s'\n",
		    path ? path : "(null)", want);
	free(path);
	return same;
}

static void
test_ytree(void)
{
	const struct ynode *n, *k;
	struct ynode	*root;
	char		*out;

	root = parse("a:\n  b:\n    - {c: 1}\n    - x\n  d: ~\n"
	    "e: [null, Null, NULL, '', \"null\", nul, '~', ~]\n", &out);
	CHECK_STREQ(out, "");
	free(out);
	if (root == NULL) {
		CHECK(root != NULL);
		return;
	}
	CHECK(path_is(root, ""));
	n = ynode_get(ynode_get(ynode_get(root, "a"), "b"), "nope");
	CHECK(n == NULL);
	n = ynode_get(ynode_get(root, "a"), "b");
	CHECK(n && n->type == YNODE_SEQ && n->n == 2);
	CHECK(path_is(n->items[0], "a.b[0]"));
	CHECK(path_is(ynode_get(n->items[0], "c"), "a.b[0].c"));
	CHECK_INTEQ(ynode_get(n->items[0], "c")->line, 3);
	CHECK_INTEQ(ynode_get(n->items[0], "c")->col, 11);
	k = ynode_key(ynode_get(root, "a"), "d");
	CHECK(k && k->line == 5 && k->col == 3);
	CHECK(ynode_is_null(ynode_get(ynode_get(root, "a"), "d")));
	n = ynode_get(root, "e");
	CHECK(n && n->n == 8);
	if (n && n->n == 8) {
		CHECK(ynode_is_null(n->items[0]) && ynode_is_null(n->items[1]));
		CHECK(ynode_is_null(n->items[2]) && ynode_is_null(n->items[7]));
		CHECK(!ynode_is_null(n->items[3]) && n->items[3]->quoted);
		CHECK(!ynode_is_null(n->items[4]));
		CHECK(!ynode_is_null(n->items[5]));
		CHECK(!ynode_is_null(n->items[6]));
	}
	ytree_free(root);
}

static void
test_ytree_aliases(void)
{
	const struct ynode *n;
	struct ynode	*root;
	char		*out;

	root = parse("base: &b {x: 1, y: 2}\n"
	    "copy: *b\n"
	    "m: {z: 0, <<: [*b, {x: 9, w: 3}], y: 5}\n", &out);
	CHECK_STREQ(out, "");
	free(out);
	if (root == NULL) {
		CHECK(root != NULL);
		return;
	}
	n = ynode_get(ynode_get(root, "copy"), "y");
	CHECK(n && path_is(n, "copy.y") && n->line == 1);
	n = ynode_get(root, "m");
	CHECK(n && n->n == 4);
	if (n && n->n == 4) {
		/* Merged keys take the place of `<<`; explicit ones win. */
		CHECK_STREQ(ynode_keys(n)[0]->scalar, "z");
		CHECK_STREQ(ynode_keys(n)[1]->scalar, "x");
		CHECK_STREQ(n->items[1]->scalar, "1");
		CHECK(path_is(n->items[1], "m.x"));
		CHECK_STREQ(ynode_keys(n)[2]->scalar, "w");
		CHECK_STREQ(ynode_keys(n)[3]->scalar, "y");
		CHECK_STREQ(n->items[3]->scalar, "5");
	}
	ytree_free(root);

	root = parse("a: &a [1, *a]\n", &out);
	CHECK(root == NULL);
	CHECK_STREQ(out, "t.yaml:1:11: error: a[1]: alias '*a' is inside its "
	    "own anchor\n");
	free(out);

	/* A billion laughs stops at the node budget. */
	root = parse("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", &out);
	CHECK(root == NULL);
	CHECK(strstr(out, "error: aliases expand to more than 250000 "
	    "nodes\n") != NULL);
	free(out);
}

static void
test_ytree_errors(void)
{
	const struct ynode *n;
	struct ynode	*root;
	char		*out, deep[300];

	root = parse("a: 1\nb: 2\na: 3\n", &out);
	CHECK(root != NULL && root->n == 2);
	CHECK_STREQ(out, "t.yaml:3:1: error: duplicate key 'a' (first at "
	    "1:1)\n");
	free(out);
	ytree_free(root);

	/* A large map hashes its keys: duplicates found all the same. */
	{
		char	 big[2048];
		size_t	 len = 0;
		int	 i;

		len += (size_t)snprintf(big + len, sizeof(big) - len, "m:\n");
		for (i = 0; i < 40; i++)
			len += (size_t)snprintf(big + len, sizeof(big) - len,
			    "  k%d: {x: %d}\n", i, i);
		snprintf(big + len, sizeof(big) - len,
		    "  k3: 1\n  k35: 2\n  k40: [a, b]\n");
		root = parse(big, &out);
		CHECK(root != NULL);
		CHECK_STREQ(out, "t.yaml:42:3: error: m: duplicate key 'k3' "
		    "(first at 5:3)\nt.yaml:43:3: error: m: duplicate key "
		    "'k35' (first at 37:3)\n");
		free(out);
		n = ynode_get(root, "m");
		CHECK(n && n->n == 41);
		CHECK(path_is(ynode_get(ynode_get(n, "k35"), "x"), "m.k35.x"));
		CHECK(path_is(ynode_get(n, "k40")->items[1], "m.k40[1]"));
		CHECK(ynode_get(ynode_get(n, "k3"), "x") != NULL);
		ytree_free(root);
	}

	root = parse("? [a, b]\n: 1\nc: 2\n", &out);
	CHECK(root != NULL && root->n == 1);
	CHECK_STREQ(out, "t.yaml:1:3: error: a key must be a plain string, "
	    "not a list\n");
	free(out);
	ytree_free(root);

	root = parse("a: 1\n---\nb: 2\n", &out);
	CHECK(root == NULL);
	CHECK_STREQ(out, "t.yaml:2:1: error: a second YAML document starts "
	    "here; a topology is one document\n");
	free(out);

	root = parse("a: \"x\\0y\"\n", &out);
	CHECK_STREQ(out, "t.yaml:1:4: error: a: a string contains a NUL "
	    "character\n");
	free(out);
	ytree_free(root);

	root = parse("a: 1\nb: \xff\n", &out);
	CHECK(root == NULL);
	CHECK_STREQ(out, "t.yaml:2:4: error: invalid leading UTF-8 octet "
	    "(0xff)\n");
	free(out);

	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = '\0';
	root = parse(deep, &out);
	CHECK(root == NULL);
	CHECK_STREQ(out, "t.yaml:1:65: error: nesting deeper than 64 "
	    "levels\n");
	free(out);

	root = parse("", &out);
	CHECK(root && ynode_is_null(root));
	CHECK_STREQ(out, "");
	free(out);
	ytree_free(root);
}

static void
test_diag(void)
{
	struct diag_list dl = { 0 };
	struct json_object *j, *o;
	char		*out = NULL;
	size_t		 len = 0;
	FILE		*mem;

	diag_add(&dl, DIAG_ERROR, "f.yaml", 3, 5, "a.b", "third %d", 3);
	diag_add(&dl, DIAG_WARNING, "f.yaml", 1, 2, "", "first");
	diag_add(&dl, DIAG_ERROR, "f.yaml", 3, 5, "a.c", "fourth");
	diag_add(&dl, DIAG_ERROR, "f.yaml", 0, 0, "", "whole file");
	diag_add(&dl, DIAG_ERROR, "f.yaml", 3, 1, "x", "second");
	diag_at(&dl, DIAG_ERROR, "f.yaml", NULL, "no node");
	CHECK_INTEQ(dl.n_errors, 5);
	CHECK_INTEQ(dl.n_warnings, 1);
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	diag_print(&dl, mem);
	fclose(mem);
	CHECK_STREQ(out,
	    "f.yaml: error: whole file\n"
	    "f.yaml: error: no node\n"
	    "f.yaml:1:2: warning: first\n"
	    "f.yaml:3:1: error: x: second\n"
	    "f.yaml:3:5: error: a.b: third 3\n"
	    "f.yaml:3:5: error: a.c: fourth\n");
	free(out);

	j = diags_to_json(&dl);
	CHECK(j && json_object_array_length(j) == 6);
	if (j && json_object_array_length(j) == 6) {
		o = json_object_array_get_idx(j, 4);
		CHECK_STREQ(json_object_get_string(json_object_object_get(o,
		    "path")), "a.b");
		CHECK_INTEQ(json_object_get_int(json_object_object_get(o,
		    "line")), 3);
		CHECK_STREQ(json_object_get_string(json_object_object_get(o,
		    "level")), "error");
		CHECK_STREQ(json_object_get_string(json_object_object_get(o,
		    "message")), "third 3");
		o = json_object_array_get_idx(j, 2);
		CHECK_STREQ(json_object_get_string(json_object_object_get(o,
		    "level")), "warning");
	}
	json_object_put(j);

	diag_sort(&dl);
	CHECK_STREQ(dl.v[3].msg, "second");
	CHECK_STREQ(dl.v[5].msg, "fourth");
	diag_list_free(&dl);
	CHECK(dl.n == 0 && dl.v == NULL && dl.n_errors == 0);
}

static void
test_diag_escape(void)
{
	struct diag_list dl = { 0 };
	char		*out = NULL;
	size_t		 len = 0;
	FILE		*mem;

	/* A key can hold anything; the output stays one line per problem. */
	diag_add(&dl, DIAG_ERROR, "f.yaml", 1, 1, "a\nb", "unknown key "
	    "'%s'", "x\n\033[2Jy\xc3\xa9");
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	diag_print(&dl, mem);
	fclose(mem);
	CHECK_STREQ(out, "f.yaml:1:1: error: a\\x0ab: unknown key "
	    "'x\\x0a\\x1b[2Jy\xc3\xa9'\n");
	free(out);
	diag_list_free(&dl);
}

static void
test_load_missing(void)
{
	struct diag_list dl = { 0 };
	char		*out;

	errno = 0;
	out = run_file("tests/data/no-such-file.yaml", &dl, NULL);
	CHECK_INTEQ(errno, ENOENT);
	CHECK_STREQ(out, "tests/data/no-such-file.yaml: error: cannot open: "
	    "No such file or directory\n");
	free(out);
	diag_list_free(&dl);
}

int
main(void)
{
	test_fixtures();
	RUN(test_examples);
	RUN(test_switch_address);
	RUN(test_ep_iface);
	RUN(test_parse_ip);
	RUN(test_parse_prefix);
	RUN(test_parse_mac);
	RUN(test_prefix_math);
	RUN(test_valid_names);
	RUN(test_model_demo);
	RUN(test_model_many_ns);
	RUN(test_model_scalars);
	RUN(test_model_expect);
	RUN(test_ytree);
	RUN(test_ytree_aliases);
	RUN(test_ytree_errors);
	RUN(test_diag);
	RUN(test_diag_escape);
	RUN(test_load_missing);
	return CHECK_DONE();
}
