/*
 * test_clab: containerlab topologies made into vrfd's (topo/clab.h):
 * names, inheritance, exec commands as state, both forms of links, the
 * routing suites, expectations from labels, and every warning and error
 * at its FILE:LINE:COL. Each converted text must load and check without
 * a word; what the loader finds in it is told against the containerlab
 * file. No root needed; run from the repository root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "topo/clab.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "topo/ytree.h"

#define F	"lab.clab.yml"

static char	*conv_text;	/* the last conversion's text */
static char	*conv_diags;	/* ... and its diagnostics, as printed */

static char *
diags_text(struct diag_list *dl)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*mem;

	diag_sort(dl);
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	diag_print(dl, mem);
	fclose(mem);
	return out;
}

/* Convert BUF as FILE; then load and check the text, which must give no
 * diagnostic. The conversion's rv. */
static int
convert_as(const char *file, const char *buf)
{
	struct diag_list	 dl = { 0 }, ldl = { 0 };
	struct clab_conv	 c;
	struct topo		*t;
	char			*ld;
	int			 rv;

	free(conv_text);
	free(conv_diags);
	conv_text = NULL;
	rv = clab_convert(file, buf, strlen(buf), &c, &dl);
	conv_diags = diags_text(&dl);
	diag_list_free(&dl);
	if (rv == 0) {
		conv_text = strdup(c.text);
		t = topo_load_buf(file, c.text, c.len, &ldl);
		if (t != NULL)
			topo_check(t, &ldl);
		ld = diags_text(&ldl);
		if (ld[0] != '\0')
			printf("  converted text has diagnostics:\n%s%s", ld,
			    c.text);
		CHECK(t != NULL && ldl.n == 0);
		free(ld);
		topo_free(t);
		diag_list_free(&ldl);
	}
	clab_conv_free(&c);
	return rv;
}

static int
convert(const char *buf)
{
	return convert_as(F, buf);
}

#define CHECK_HAS(hay, needle) do {					\
	if ((hay) == NULL || strstr((hay), (needle)) == NULL) {		\
		printf("  %s:%d: lacks \"%s\" in:\n%s\n", __FILE__,	\
		    __LINE__, (needle), (hay) ? (hay) : "(null)");	\
		check_failed_now = 1;					\
	}								\
} while (0)

#define CHECK_HASNT(hay, needle) do {					\
	if ((hay) != NULL && strstr((hay), (needle)) != NULL) {		\
		printf("  %s:%d: has \"%s\" in:\n%s\n", __FILE__,	\
		    __LINE__, (needle), (hay));				\
		check_failed_now = 1;					\
	}								\
} while (0)

static void
test_names(void)
{
	char	 out[TOPO_NAME_MAX + 1];

	CHECK_INTEQ(clab_name("PC1", out, sizeof(out)), 0);
	CHECK_STREQ(out, "pc1");
	CHECK_INTEQ(clab_name("router_1", out, sizeof(out)), 0);
	CHECK_STREQ(out, "router_1");
	CHECK_INTEQ(clab_name("Leaf-01.DC1", out, sizeof(out)), 0);
	CHECK_STREQ(out, "leaf-01-dc1");
	CHECK_INTEQ(clab_name("_edge", out, sizeof(out)), 0);
	CHECK_STREQ(out, "edge");
	CHECK_INTEQ(clab_name("r 1@x", out, sizeof(out)), 0);
	CHECK_STREQ(out, "r-1-x");
	CHECK_INTEQ(clab_name("...", out, sizeof(out)), -EINVAL);
	CHECK_INTEQ(clab_name("", out, sizeof(out)), -EINVAL);
	CHECK_INTEQ(clab_name("a23456789012345678901234567890123", out,
	    sizeof(out)), -ENAMETOOLONG);
	CHECK_INTEQ(clab_name("a2345678901234567890123456789012", out,
	    sizeof(out)), 0);
}

static void
test_name_clash(void)
{
	CHECK_INTEQ(convert(
	    "name: Lab.One\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    PC1: {kind: linux}\n"
	    "    pc1: {kind: linux}\n"
	    "    '...': {kind: linux}\n"), -EINVAL);
	CHECK_HAS(conv_diags, F ":5:5: error: topology.nodes.pc1: node 'pc1' "
	    "would be named 'pc1' by vrfd, as node 'PC1' (line 4) is");
	CHECK_HAS(conv_diags, F ":6:5: error: topology.nodes....: node name "
	    "'...' has no letter or digit");
	CHECK_INTEQ(convert(
	    "name: Lab.One\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    Web.Server_1: {kind: linux}\n"), 0);
	CHECK_HAS(conv_text, "lab: lab-one\n");
	CHECK_HAS(conv_text, "  web-server_1:        # Web.Server_1\n");
}

static void
test_detect(void)
{
	static const char clab[] = "name: x\ntopology:\n  nodes: {}\n";
	static const char native[] = "lab: x\nrouters: {r: }\n";

	CHECK(clab_detect("a.clab.yml", NULL, 0));
	CHECK(clab_detect("a.clab.yaml", "", 0));
	CHECK(clab_detect("dir/a-clab.yml", "", 0));
	CHECK(clab_detect("lab.yaml", clab, strlen(clab)));
	CHECK(!clab_detect("lab.yaml", native, strlen(native)));
	/* A converted text is vrfd's, whatever its file is called. */
	CHECK(!clab_detect("a.clab.yml", native, strlen(native)));
	CHECK(!clab_detect("lab.yaml", "name: x\n", 8));
}

/* node > group > kind > defaults, as containerlab inherits. */
static void
test_inheritance(void)
{
	CHECK_INTEQ(convert(
	    "name: inh\n"
	    "topology:\n"
	    "  defaults:\n"
	    "    kind: linux\n"
	    "    exec: [\"echo defaults\"]\n"
	    "    sysctls: {net.ipv4.conf.all.rp_filter: 2, net.core.a: 1}\n"
	    "  kinds:\n"
	    "    linux:\n"
	    "      group: edge\n"
	    "      exec: [\"echo kind\"]\n"
	    "      sysctls: {net.core.a: 2}\n"
	    "  groups:\n"
	    "    edge:\n"
	    "      exec: [\"echo group\"]\n"
	    "      sysctls: {net.ipv4.conf.all.rp_filter: 0}\n"
	    "    core:\n"
	    "      kind: frr\n"
	    "  nodes:\n"
	    "    h1:\n"
	    "      exec: [\"echo node\"]\n"
	    "      sysctls: {net.core.a: 3}\n"
	    "    r1:\n"
	    "      group: core\n"), 0);
	/* h1: kind from defaults, group from its kind; lists in order. */
	CHECK_HAS(conv_text,
	    "  h1:\n"
	    "    sysctl:\n"
	    "      net.ipv4.ip_forward: 1\n"
	    "      net.ipv6.conf.all.forwarding: 1\n"
	    "      net.ipv4.conf.all.rp_filter: 0\n"
	    "      net.core.a: 3\n"
	    "    exec:\n"
	    "      - \"echo defaults\"\n"
	    "      - \"echo kind\"\n"
	    "      - \"echo group\"\n"
	    "      - \"echo node\"\n");
	/* r1: kind frr from its group, no startup config: a minimal one. */
	CHECK_HAS(conv_text,
	    "  r1:\n"
	    "    sysctl:\n"
	    "      net.ipv4.ip_forward: 1\n"
	    "      net.ipv6.conf.all.forwarding: 1\n"
	    "      net.ipv4.conf.all.rp_filter: 2\n"
	    "      net.core.a: 1\n"
	    "    exec:\n"
	    "      - \"echo defaults\"\n"
	    "    frr:\n"
	    "      text: |\n"
	    "        frr defaults traditional\n");
	CHECK_HAS(conv_diags, F ":5:12: warning: topology.defaults.exec[0]: "
	    "kept as a command");
	CHECK_HASNT(conv_diags, "error");
	/* No kind anywhere. */
	CHECK_INTEQ(convert(
	    "name: inh\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    h1:\n"), -EINVAL);
	CHECK_HAS(conv_diags, F ":4:5: error: topology.nodes.h1: node 'h1' "
	    "has no kind");
}

static void
test_exec(void)
{
	CHECK_INTEQ(convert(
	    "name: ex\n"
	    "topology:\n"
	    "  kinds: {linux: {image: alpine}}\n"
	    "  nodes:\n"
	    "    h1:\n"
	    "      kind: linux\n"
	    "      exec:\n"
	    "        - ip route add default via 10.0.0.1\n"
	    "        - ip link set eth1 up\n"
	    "        - ip addr add 10.0.0.2/24 dev eth1\n"
	    "        - ip -6 address add 2001:db8::2/64 dev eth1\n"
	    "        - ip address add 10.255.0.1/32 dev lo\n"
	    "        - ip link set dev eth1 mtu 9000 address 02:00:00:00:00:01\n"
	    "        - ip link set eth2 down\n"
	    "        - ip route add 10.9.0.1 via 10.0.0.1 dev eth1 metric 5\n"
	    "        - ip -6 route replace default dev eth1\n"
	    "        - ip route add 172.16.0.0/12 via 192.0.2.1\n"
	    "        - sysctl -w net.ipv4.conf.all.rp_filter=0\n"
	    "        - sysctl net/ipv6/conf/all/accept_ra=0 net.core.x=1\n"
	    "        - sysctl -w kernel.panic=1\n"
	    "        - ip link add dummy0 type dummy\n"
	    "        - ip addr add 10.1.1.1/32 dev dummy0\n"
	    "        - ip addr add 10.0.0.3/24 dev eth1; echo done\n"
	    "        - echo $HOME\n"
	    "    h2: {kind: linux}\n"
	    "  links:\n"
	    "    - endpoints: [h1:eth1, h2:eth1]\n"
	    "    - endpoints: [h1:eth2, h2:eth2]\n"), 0);
	CHECK_HAS(conv_text,
	    "    interfaces:\n"
	    "      eth1:\n"
	    "        addresses:\n"
	    "          - 10.0.0.2/24\n"
	    "          - \"2001:db8::2/64\"\n"
	    "        mtu: 9000\n"
	    "        mac: \"02:00:00:00:00:01\"\n"
	    "      eth2:\n"
	    "        state: down\n"
	    "      lo:\n"
	    "        addresses:\n"
	    "          - 10.255.0.1/32\n"
	    "    routes:\n"
	    "      - {to: default, via: 10.0.0.1}\n"
	    "      - {to: 10.9.0.1/32, via: 10.0.0.1, dev: eth1, metric: 5}\n"
	    "      - {to: \"::/0\", dev: eth1}\n"
	    "    sysctl:\n"
	    "      net.ipv4.ip_forward: 1\n"
	    "      net.ipv6.conf.all.forwarding: 1\n"
	    "      net.ipv4.conf.all.rp_filter: 0\n"
	    "      net.ipv6.conf.all.accept_ra: 0\n"
	    "      net.core.x: 1\n"
	    "    exec:\n"
	    "      - \"ip route add 172.16.0.0/12 via 192.0.2.1\"\n"
	    "      - \"sysctl -w kernel.panic=1\"\n"
	    "      - \"ip link add dummy0 type dummy\"\n"
	    "      - \"ip addr add 10.1.1.1/32 dev dummy0\"\n"
	    "      - \"ip addr add 10.0.0.3/24 dev eth1; echo done\"\n"
	    "      - \"echo $HOME\"\n");
	/* Each command kept is said, once, where it is written. */
	CHECK_HAS(conv_diags, F ":17:11: warning: topology.nodes.h1.exec[9]: "
	    "kept as a command: run once in the node's namespace, with the "
	    "host's files (not a container's)\n");
	CHECK_HAS(conv_diags, F ":3:19: warning: topology.kinds.linux.image: "
	    "ignored: 'image' sets up a container, and vrfd makes none\n");
	CHECK_HASNT(conv_diags, "exec[1]");
	CHECK_HASNT(conv_diags, "error");
	/* With exec commands kept, no pools: they may set addresses. */
	CHECK_HAS(conv_text, "# No addressing: pools, as h1 keeps exec "
	    "commands, which may set its own addresses.\n");
}

static void
test_links(void)
{
	CHECK_INTEQ(convert(
	    "name: links\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    a: {kind: linux}\n"
	    "    b: {kind: linux}\n"
	    "    sw: {kind: bridge}\n"
	    "    ovs: {kind: ovs-bridge}\n"
	    "  links:\n"
	    "    - endpoints: [\"a:eth1\", \"b:eth1\"]\n"
	    "    - type: veth\n"
	    "      mtu: 9000\n"
	    "      vars: {x: 1}\n"
	    "      endpoints:\n"
	    "        - {node: a, interface: eth2, mac: \"02:00:00:00:00:0a\"}\n"
	    "        - node: b\n"
	    "          interface: eth2\n"
	    "    - endpoints: [a:eth3, sw:p1]\n"
	    "    - endpoints: [b:eth3, sw:p2]\n"
	    "    - endpoints: [b:eth4, ovs:p1]\n"), 0);
	CHECK_HAS(conv_text,
	    "switches:\n"
	    "  sw: {}\n"
	    "  ovs: {}\n"
	    "links:\n"
	    "  - [a:eth1, b:eth1]\n"
	    "  - {endpoints: [a:eth2, b:eth2], mtu: 9000}\n"
	    "  - [a:eth3, sw:p1]\n"
	    "  - [b:eth3, sw:p2]\n"
	    "  - [b:eth4, ovs:p1]\n"
	    "addressing:\n"
	    "  p2p: 100.64.0.0/16\n"
	    "  lan: 100.65.0.0/16\n");
	CHECK_HAS(conv_text,
	    "  a:\n"
	    "    interfaces:\n"
	    "      eth2:\n"
	    "        mac: \"02:00:00:00:00:0a\"\n");
	CHECK_HAS(conv_diags, F ":7:17: warning: topology.nodes.ovs.kind: an "
	    "Open vSwitch bridge is made as a Linux bridge");
	CHECK_HAS(conv_diags, F ":12:7: warning: topology.links[1].vars: "
	    "ignored: 'vars' are for containerlab's templates\n");

	/* What cannot be made: each said, in one run. */
	CHECK_INTEQ(convert(
	    "name: links\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    a: {kind: linux}\n"
	    "    b: {kind: linux}\n"
	    "  links:\n"
	    "    - endpoints: [\"a:eth1\", \"host:veth-a\"]\n"
	    "    - endpoints: [\"a:eth2\", \"mgmt-net:a-mgmt\"]\n"
	    "    - type: macvlan\n"
	    "      endpoint: {node: a, interface: eth3}\n"
	    "      host-interface: enp0s3\n"
	    "    - type: vxlan\n"
	    "      endpoint: {node: a, interface: eth4}\n"
	    "      remote: 192.0.2.1\n"
	    "      vni: 100\n"
	    "      udp-port: 4789\n"
	    "    - endpoints: [\"a:eth5\", \"c:eth1\"]\n"
	    "    - endpoints: [\"a:ethernet-1/1\", \"b:e1-1\"]\n"
	    "    - type: veth\n"
	    "      endpoints: [{node: a, interfase: eth6}, {node: b, "
	    "interface: eth6}]\n"
	    "    - type: wire\n"
	    "      endpoints: [a:eth7, b:eth7]\n"), -EINVAL);
	CHECK_HAS(conv_diags, F ":7:29: error: topology.links[0].endpoints[1]: "
	    "endpoint 'host:veth-a' makes a link of type host, to the host's "
	    "network: a lab of namespaces has only veth links between its "
	    "nodes\n");
	CHECK_HAS(conv_diags, F ":8:29: error: topology.links[1].endpoints[1]: "
	    "endpoint 'mgmt-net:a-mgmt' makes a link of type mgmt-net");
	CHECK_HAS(conv_diags, F ":9:13: error: topology.links[2].type: link "
	    "type 'macvlan' joins a node to the host's network, a tunnel or "
	    "nothing");
	CHECK_HAS(conv_diags, F ":12:13: error: topology.links[3].type: link "
	    "type 'vxlan'");
	CHECK_HAS(conv_diags, F ":17:29: error: topology.links[4].endpoints[1]: "
	    "unknown node 'c'\n");
	CHECK_HAS(conv_diags, F ":18:19: error: topology.links[5].endpoints[0]: "
	    "'ethernet-1/1' is not a Linux interface name");
	CHECK_HAS(conv_diags, F ":20:29: error: topology.links[6].endpoints[0]: "
	    "unknown key 'interfase'; did you mean 'interface'?");
	CHECK_HAS(conv_diags, F ":21:13: error: topology.links[7].type: "
	    "unknown link type 'wire'");
}

static void
test_kinds_and_keys(void)
{
	CHECK_INTEQ(convert(
	    "name: k\n"
	    "prefix: lab\n"
	    "mgmt: {network: m, ipv4-subnet: 172.100.100.0/24}\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    srl1: {kind: nokia_srlinux, image: ghcr.io/nokia/srlinux}\n"
	    "    ceos: {kind: ceos}\n"
	    "    h:\n"
	    "      kind: linux\n"
	    "      imgae: alpine\n"
	    "      network-mode: host\n"
	    "    h2: {kind: linux, network-mode: \"container:h\"}\n"
	    "    me: {kind: host}\n"
	    "    h3:\n"
	    "      kind: linux\n"
	    "      mgmt_ipv4: 172.20.20.3\n"
	    "      mgmt-ipv6: 3fff::3\n"
	    "      ports: [\"80:8080\"]\n"
	    "      env: {A: b}\n"
	    "      labels: {team: x, vrfd.expect: 10.0.0.1}\n"
	    "      binds: [\"/etc/hosts:/etc/hosts:ro\"]\n"
	    "      startup-config: h3.cfg\n"
	    "      sysctls: {kernel.x: 1}\n"), -EINVAL);
	CHECK_HAS(conv_diags, F ":2:1: warning: prefix: ignored: 'prefix' "
	    "sets up containerlab's containers or host, and vrfd makes "
	    "neither\n");
	CHECK_HAS(conv_diags, F ":3:1: warning: mgmt: ignored");
	CHECK_HAS(conv_diags, F ":6:18: error: topology.nodes.srl1.kind: node "
	    "'srl1': kind 'nokia_srlinux' needs a network OS of its own (a "
	    "container image or a VM), which a network namespace cannot run; "
	    "vrfd takes linux, frr, bridge and ovs-bridge nodes\n");
	CHECK_HAS(conv_diags, F ":7:18: error: topology.nodes.ceos.kind: node "
	    "'ceos': kind 'ceos' needs");
	CHECK_HAS(conv_diags, F ":10:7: error: topology.nodes.h: unknown key "
	    "'imgae'; did you mean 'image'? (containerlab refuses it too)\n");
	CHECK_HAS(conv_diags, F ":11:21: error: topology.nodes.h.network-mode: "
	    "node 'h': network-mode 'host' shares another network namespace");
	CHECK_HAS(conv_diags, F ":12:37: error: topology.nodes.h2.network-mode:");
	CHECK_HAS(conv_diags, F ":13:16: error: topology.nodes.me.kind: node "
	    "'me': kind 'host' is the host itself");
	/* One warning for each key that only a container has. */
	CHECK_HAS(conv_diags, F ":16:7: warning: topology.nodes.h3.mgmt_ipv4: "
	    "ignored: 'mgmt_ipv4' sets up a container, and vrfd makes none\n");
	CHECK_HAS(conv_diags, F ":17:7: warning: topology.nodes.h3.mgmt-ipv6: "
	    "ignored");
	CHECK_HAS(conv_diags, F ":18:7: warning: topology.nodes.h3.ports: "
	    "ignored");
	CHECK_HAS(conv_diags, F ":19:7: warning: topology.nodes.h3.env: "
	    "ignored");
	CHECK_HAS(conv_diags, F ":20:16: warning: topology.nodes.h3.labels.team: "
	    "ignored: container labels (vrfd reads only vrfd.*)\n");
	CHECK_HAS(conv_diags, F ":21:15: warning: topology.nodes.h3.binds[0]: "
	    "ignored: bind '/etc/hosts:/etc/hosts:ro': vrfd's nodes share the "
	    "host's files\n");
	CHECK_HAS(conv_diags, F ":22:23: warning: "
	    "topology.nodes.h3.startup-config: ignored: a linux node takes no "
	    "startup-config\n");
	CHECK_HAS(conv_diags, F ":23:17: warning: "
	    "topology.nodes.h3.sysctls.kernel.x: ignored: sysctl 'kernel.x' is "
	    "not a network one");
	CHECK_HASNT(conv_diags, "srl1.image");

	CHECK_INTEQ(convert("- a\n- b\n"), -EINVAL);
	CHECK_HAS(conv_diags, F ":1:1: error: a containerlab topology is a map "
	    "with 'name' and 'topology', not a list\n");
	CHECK_INTEQ(convert("name: x\ntopolgy: {}\n"), -EINVAL);
	CHECK_HAS(conv_diags, F ":2:1: error: unknown key 'topolgy'; did you "
	    "mean 'topology'? (containerlab refuses it too)\n");
	CHECK_HAS(conv_diags, F ":1:1: error: no 'topology'");
}

static void
test_expect(void)
{
	CHECK_INTEQ(convert(
	    "name: ex\n"
	    "topology:\n"
	    "  groups:\n"
	    "    hosts: {kind: linux, labels: {vrfd.expect-not: 192.0.2.1}}\n"
	    "  nodes:\n"
	    "    PC1:\n"
	    "      group: hosts\n"
	    "      exec: [ip addr add 10.0.0.1/24 dev eth1]\n"
	    "      labels:\n"
	    "        vrfd.expect: 10.0.0.2, 2001:db8::2\n"
	    "    pc2:\n"
	    "      group: hosts\n"
	    "      exec: [ip addr add 10.0.0.2/24 dev eth1]\n"
	    "  links:\n"
	    "    - endpoints: [PC1:eth1, pc2:eth1]\n"), 0);
	CHECK_HAS(conv_text,
	    "expect:\n"
	    "  - {from: pc1, to: 192.0.2.1, reach: false}\n"
	    "  - {from: pc1, to: 10.0.0.2}\n"
	    "  - {from: pc1, to: \"2001:db8::2\"}\n"
	    "  - {from: pc2, to: 192.0.2.1, reach: false}\n");
	CHECK_HASNT(conv_diags, "labels");
	/* No addresses left out: no pools. */
	CHECK_HASNT(conv_text, "addressing");

	CHECK_INTEQ(convert(
	    "name: ex\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    pc1:\n"
	    "      kind: linux\n"
	    "      labels: {vrfd.expect: 10.0.0.300, vrfd.expects: 1.2.3.4}\n"
	    "    br: {kind: bridge, labels: {vrfd.expect: 10.0.0.1}}\n"),
	    -EINVAL);
	CHECK_HAS(conv_diags, F ":6:29: error: "
	    "topology.nodes.pc1.labels.vrfd.expect: '10.0.0.300' is not an "
	    "address: vrfd.expect lists those that node 'pc1' must reach\n");
	CHECK_HAS(conv_diags, F ":6:41: error: "
	    "topology.nodes.pc1.labels.vrfd.expects: unknown label "
	    "'vrfd.expects'; did you mean 'vrfd.expect'?\n");
	CHECK_HAS(conv_diags, F ":7:33: error: "
	    "topology.nodes.br.labels.vrfd.expect: a bridge sends no probes");
}

/* Where a file of the test lives: under a fresh directory. */
static char tdir[] = "/tmp/test_clab.XXXXXX";

static void
put(const char *name, const char *text)
{
	char	 p[256];
	FILE	*f;

	snprintf(p, sizeof(p), "%s/%s", tdir, name);
	if ((f = fopen(p, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

static void
test_frr(void)
{
	char	 file[256];

	snprintf(file, sizeof(file), "%s/frr.clab.yml", tdir);
	mkdir(file, 0700);
	rmdir(file);
	snprintf(file, sizeof(file), "%s/r1", tdir);
	mkdir(file, 0700);
	snprintf(file, sizeof(file), "%s/r2", tdir);
	mkdir(file, 0700);
	put("r1/daemons", "# which ones\nbgpd=yes\nospfd=no\nbfdd=\"yes\"\n"
	    "sharpd=yes\nvtysh_enable=yes\nzebra_options=\"-A 127.0.0.1\"\n");
	put("r2/daemons", "ospfd=yes\n");
	snprintf(file, sizeof(file), "%s/frr.clab.yml", tdir);
	CHECK_INTEQ(convert_as(file,
	    "name: frr\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    r1:\n"
	    "      kind: linux\n"
	    "      image: frrouting/frr:v7.5.1\n"
	    "      binds:\n"
	    "        - r1/daemons:/etc/frr/daemons\n"
	    "        - r1/frr.conf:/etc/frr/frr.conf\n"
	    "        - r1/vtysh.conf:/etc/frr/vtysh.conf\n"
	    "      exec: [vtysh -b, \"vtysh -c 'show run'\"]\n"
	    "    r2:\n"
	    "      kind: linux\n"
	    "      image: ubuntu\n"
	    "      binds: [\"r2:/etc/frr/\"]\n"
	    "    r3:\n"
	    "      kind: frrouting\n"
	    "      startup-config: |\n"
	    "        hostname r3\n"
	    "        router ospf\n"
	    "      extras: {frr: {daemons: [ospfd, mgmtd]}}\n"
	    "    r4:\n"
	    "      kind: frr\n"
	    "      config: ~/r4.conf\n"
	    "      binds: [\"r4/frr.conf:/etc/frr/frr.conf\"]\n"
	    "    b1:\n"
	    "      kind: linux\n"
	    "      image: ghcr.io/x/bird:2\n"
	    "      binds: [\"b1:/etc/bird\"]\n"
	    "    b2:\n"
	    "      kind: linux\n"
	    "      binds: [\"b2.conf:/etc/bird/bird.conf\"]\n"
	    "    b3:\n"
	    "      kind: linux\n"
	    "      image: bird2\n"
	    "  links:\n"
	    "    - endpoints: [r1:eth1, r2:eth1]\n"
	    "    - endpoints: [r3:eth1, r4:eth1]\n"
	    "    - endpoints: [b1:eth1, b2:eth1]\n"), 0);
	CHECK_HAS(conv_text,
	    "    frr:\n"
	    "      config: r1/frr.conf\n"
	    "      daemons: [zebra, staticd, bgpd, bfdd]\n");
	CHECK_HAS(conv_text,
	    "    frr:\n"
	    "      config: r2/frr.conf\n"
	    "      daemons: [zebra, staticd, ospfd]\n");
	CHECK_HAS(conv_text,
	    "    frr:\n"
	    "      text: |\n"
	    "        hostname r3\n"
	    "        router ospf\n"
	    "      daemons: [zebra, staticd, ospfd]\n");
	CHECK_HAS(conv_text, "    bird:\n      config: b1/bird.conf\n");
	CHECK_HAS(conv_text, "    bird:\n      config: b2.conf\n");
	CHECK_HASNT(conv_text, "exec:");
	CHECK_HAS(conv_diags, ":10:11: warning: topology.nodes.r1.binds[2]: "
	    "ignored: bind 'r1/vtysh.conf:/etc/frr/vtysh.conf'");
	CHECK_HAS(conv_diags, ":11:14: warning: topology.nodes.r1.exec[0]: "
	    "left out: vrfd loads FRR's configuration itself\n");
	CHECK_HAS(conv_diags, ":11:24: warning: topology.nodes.r1.exec[1]: "
	    "left out: vtysh from exec would reach the host's FRR, not the "
	    "node's; what it sets belongs in the node's configuration\n");
	CHECK_HAS(conv_diags, ":8:11: warning: topology.nodes.r1.binds[0]: "
	    "FRR's sharpd is not run by vrfd: left out\n");
	/* r4: `config:`, containerlab's older startup-config, wins. */
	CHECK_HAS(conv_diags, ":25:15: warning: topology.nodes.r4.binds[0]: "
	    "ignored: bind 'r4/frr.conf:/etc/frr/frr.conf'");
	CHECK_HAS(conv_text, "      config: ");
	CHECK_HAS(conv_text, "/r4.conf\n");
	CHECK_HAS(conv_diags, ":33:5: warning: topology.nodes.b3: node 'b3' "
	    "looks like BIRD (its image), but binds no bird.conf: made a "
	    "plain node\n");
	CHECK_HASNT(conv_diags, "error");

	CHECK_INTEQ(convert_as(file,
	    "name: frr\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    r1:\n"
	    "      kind: linux\n"
	    "      binds: [\"nowhere/daemons:/etc/frr/daemons\"]\n"
	    "    r2:\n"
	    "      kind: frr\n"
	    "      startup-config: https://example.com/r2.cfg\n"
	    "      extras: {frr: {daemons: [ospfd, bgp]}}\n"
	    "    r3:\n"
	    "      kind: linux\n"
	    "      binds: [\"a:/etc/frr/frr.conf\", \"b:/etc/bird/bird.conf\"]\n"),
	    -EINVAL);
	CHECK_HAS(conv_diags, ":6:15: error: topology.nodes.r1.binds[0]: FRR's "
	    "daemons file ");
	CHECK_HAS(conv_diags, "nowhere/daemons: No such file or directory\n");
	CHECK_HAS(conv_diags, ":9:23: error: topology.nodes.r2.startup-config: "
	    "a startup-config at a URL is not fetched");
	CHECK_HAS(conv_diags, ":10:39: error: "
	    "topology.nodes.r2.extras.frr.daemons[1]: unknown FRR daemon "
	    "'bgp'\n");
	CHECK_HAS(conv_diags, ":11:5: error: topology.nodes.r3: node 'r3' "
	    "binds configurations of both FRR and BIRD");
}

/* What the loader finds in the converted text is told where it comes
 * from in the containerlab file. */
static void
test_remap(void)
{
	static const char buf[] =
	    "name: rm\n"
	    "topology:\n"
	    "  nodes:\n"
	    "    h1:\n"
	    "      kind: linux\n"
	    "      exec:\n"
	    "        - ip addr add 10.0.0.1/24 dev eth1\n"
	    "        - ip route add 10.9.0.1/24 via 10.0.0.2\n"
	    "    h2: {kind: linux, exec: [ip addr add 10.0.0.1/24 dev eth1]}\n"
	    "  links:\n"
	    "    - endpoints: [h1:eth1, h2:eth1]\n"
	    "    - {endpoints: [h1:eth2, h2:eth2], mtu: 10}\n";
	struct diag_list	 dl = { 0 };
	struct clab_conv	 c;
	struct topo		*t;
	size_t			 first;
	char			*out;

	CHECK_INTEQ(clab_convert(F, buf, strlen(buf), &c, &dl), 0);
	first = dl.n;
	t = topo_load_buf(F, c.text, c.len, &dl);
	CHECK(t != NULL);
	clab_remap_diags(&c, &dl, first, NULL);
	if (t != NULL) {
		clab_remap_tree(&c, t->root);
		topo_check(t, &dl);
	}
	out = diags_text(&dl);
	CHECK_HAS(out, F ":8:11: error: routers.h1.routes[0].to: 10.9.0.1/24 "
	    "has host bits set; did you mean 10.9.0.0/24?\n");
	CHECK_HAS(out, F ":12:7: error: links[1].mtu: 10 is out of range");
	CHECK_HAS(out, F ":9:30: warning: routers.h2.interfaces.eth1.addresses[0]: "
	    "address 10.0.0.1 is also on h1:eth1, on the same link (7:11)\n");
	free(out);
	topo_free(t);
	diag_list_free(&dl);
	clab_conv_free(&c);
}

static char *
read_text(const char *path)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	if (getdelim(&buf, &len, '\0', fp) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* The shipped frr01 lab: the current format and the older one are the
 * same lab, and come out as the same text. */
static void
test_frr01(void)
{
	char	*cur, *old, *a, *b;

	cur = read_text("topology/clab/frr01.clab.yml");
	old = read_text("topology/clab/frr01-old.clab.yml");
	CHECK(cur != NULL && old != NULL);
	if (cur == NULL || old == NULL)
		return;
	CHECK_INTEQ(convert_as("topology/clab/frr01.clab.yml", cur), 0);
	a = conv_text ? strdup(strchr(conv_text, '\n')) : NULL;
	CHECK_HASNT(conv_diags, "error");
	CHECK_INTEQ(convert_as("topology/clab/frr01-old.clab.yml", old), 0);
	b = conv_text ? strdup(strchr(conv_text, '\n')) : NULL;
	CHECK_HASNT(conv_diags, "error");
	CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
	CHECK_HAS(a, "  router1:\n"
	    "    sysctl:\n"
	    "      net.ipv4.ip_forward: 1\n"
	    "      net.ipv6.conf.all.forwarding: 1\n"
	    "    frr:\n"
	    "      config: router1/frr.conf\n"
	    "      daemons: [zebra, staticd, ospfd]\n");
	CHECK_HAS(a, "  - {from: pc1, to: 192.168.12.2}\n");
	free(a);
	free(b);
	free(cur);
	free(old);
	cur = read_text("topology/clab/bird01.clab.yml");
	CHECK(cur != NULL);
	if (cur != NULL) {
		CHECK_INTEQ(convert_as("topology/clab/bird01.clab.yml", cur), 0);
		CHECK_HAS(conv_text, "    bird:\n      config: bird1/bird.conf\n");
		CHECK_HASNT(conv_diags, "error");
	}
	free(cur);
}

int
main(void)
{
	char	 cmd[300];

	if (mkdtemp(tdir) == NULL)
		return 1;
	RUN(test_names);
	RUN(test_name_clash);
	RUN(test_detect);
	RUN(test_inheritance);
	RUN(test_exec);
	RUN(test_links);
	RUN(test_kinds_and_keys);
	RUN(test_expect);
	RUN(test_frr);
	RUN(test_remap);
	RUN(test_frr01);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tdir);
	if (system(cmd) != 0)
		printf("  cannot remove %s\n", tdir);
	free(conv_text);
	free(conv_diags);
	return CHECK_DONE();
}
