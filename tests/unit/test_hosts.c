/*
 * test_hosts: a lab spread over hosts, with no kernel: the VNIs of its
 * links between hosts (the same from the same file, whatever the order of
 * its links or endpoints, moved off a written one they collide with), the
 * part a host speaks for, the VXLAN end compile makes of a link between
 * hosts (and its MAC, a veth's), the message that makes it and its parse,
 * and a VNI another lab kept on the host uses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>

#include "check.h"
#include "engine/host.h"
#include "engine/pass.h"
#include "engine/state.h"
#include "kernel/kstate.h"
#include "kernel/nl_codec.h"
#include "proto/conf.h"
#include "proto/ctl_msg.h"
#include "proto/report_json.h"
#include "topo/diag.h"
#include "topo/topo.h"

static const char lab_text[] =
    "lab: xh\n"
    "hosts:\n"
    "  a: {underlay: 192.0.2.1, mtu: 9000}\n"
    "  b: {underlay: 192.0.2.2, mtu: 9000}\n"
    "  c: {underlay: 192.0.2.3, mtu: 9000}\n"
    "routers:\n"
    "  r1: {host: a}\n"
    "  r2: {host: b}\n"
    "  r3: {host: c}\n"
    "  r4: {host: a}\n"
    "links:\n"
    "  - [r1:eth0, r2:eth0]\n"
    "  - [r2:eth1, r3:eth1]\n"
    "  - [r3:eth2, r1:eth2]\n"
    "  - [r1:eth3, r4:eth3]\n";

/* The same lab, its links in another order, two of them turned round. */
static const char lab_shuffled[] =
    "lab: xh\n"
    "hosts:\n"
    "  c: {underlay: 192.0.2.3, mtu: 9000}\n"
    "  a: {underlay: 192.0.2.1, mtu: 9000}\n"
    "  b: {underlay: 192.0.2.2, mtu: 9000}\n"
    "routers:\n"
    "  r4: {host: a}\n"
    "  r3: {host: c}\n"
    "  r2: {host: b}\n"
    "  r1: {host: a}\n"
    "links:\n"
    "  - [r1:eth3, r4:eth3]\n"
    "  - [r1:eth2, r3:eth2]\n"
    "  - [r3:eth1, r2:eth1]\n"
    "  - [r1:eth0, r2:eth0]\n";

static struct topo *
load(const char *text)
{
	struct diag_list	 dl = { 0 };
	struct topo		*t;

	t = topo_load_buf("lab.yaml", text, strlen(text), &dl);
	if (t != NULL)
		topo_check(t, &dl);
	if (t == NULL || dl.n_errors) {
		diag_print(&dl, stdout);
		topo_free(t);
		t = NULL;
	}
	diag_list_free(&dl);
	return t;
}

/* The VNI of the link between endpoints A and B (either way round). */
static uint32_t
vni_of(const struct topo *t, const char *a, const char *b)
{
	char	 x[128], y[128];

	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link	*l = &t->links[i];

		snprintf(x, sizeof(x), "%s:%s", l->ep[0].node, l->ep[0].ifname);
		snprintf(y, sizeof(y), "%s:%s", l->ep[1].node, l->ep[1].ifname);
		if ((strcmp(x, a) == 0 && strcmp(y, b) == 0) ||
		    (strcmp(x, b) == 0 && strcmp(y, a) == 0))
			return l->vni;
	}
	return 0;
}

static void
test_vni_same_file_same_vnis(void)
{
	struct topo	*t = load(lab_text), *u = load(lab_shuffled);

	CHECK(t != NULL && u != NULL);
	if (t == NULL || u == NULL)
		goto out;
	/* Derived: as documented, from the lab and the sorted endpoints. */
	CHECK_INTEQ(vni_of(t, "r1:eth0", "r2:eth0"),
	    topo_vni_derive("xh", "r1:eth0", "r2:eth0", 0));
	CHECK(vni_of(t, "r1:eth0", "r2:eth0") != 0);
	CHECK(vni_of(t, "r1:eth0", "r2:eth0") <= TOPO_VNI_MAX);
	CHECK(vni_of(t, "r2:eth1", "r3:eth1") != vni_of(t, "r1:eth0",
	    "r2:eth0"));
	/* A link on one host has none. */
	CHECK_INTEQ(vni_of(t, "r1:eth3", "r4:eth3"), 0);
	CHECK(!topo_link_cross(t, &t->links[3]));
	CHECK(topo_link_cross(t, &t->links[0]));
	CHECK_INTEQ(vni_of(u, "r1:eth0", "r2:eth0"),
	    vni_of(t, "r1:eth0", "r2:eth0"));
	CHECK_INTEQ(vni_of(u, "r2:eth1", "r3:eth1"),
	    vni_of(t, "r2:eth1", "r3:eth1"));
	CHECK_INTEQ(vni_of(u, "r3:eth2", "r1:eth2"),
	    vni_of(t, "r3:eth2", "r1:eth2"));
	/* Another lab, other VNIs. */
	CHECK(topo_vni_derive("xi", "r1:eth0", "r2:eth0", 0) !=
	    topo_vni_derive("xh", "r1:eth0", "r2:eth0", 0));
out:
	topo_free(t);
	topo_free(u);
}

/* A written VNI that a derived one would take: the derived one moves to
 * its next salt, and the other links keep theirs. */
static void
test_vni_moves_off_written(void)
{
	char		*text;
	struct topo	*t;
	uint32_t	 first = topo_vni_derive("xh", "r1:eth0", "r2:eth0", 0);

	if (asprintf(&text, "%s  - {endpoints: [r2:eth9, r3:eth9], vni: %u}\n",
	    lab_text, first) < 0)
		abort();
	t = load(text);
	CHECK(t != NULL);
	if (t != NULL) {
		CHECK_INTEQ(vni_of(t, "r2:eth9", "r3:eth9"), first);
		CHECK_INTEQ(vni_of(t, "r1:eth0", "r2:eth0"),
		    topo_vni_derive("xh", "r1:eth0", "r2:eth0", 1));
		CHECK_INTEQ(vni_of(t, "r2:eth1", "r3:eth1"),
		    topo_vni_derive("xh", "r2:eth1", "r3:eth1", 0));
	}
	topo_free(t);
	free(text);
}

static void
test_localize(void)
{
	struct topo	*t = load(lab_text);
	char		 why[256];

	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_INTEQ(t->here, -1);
	host_set("b");
	CHECK_INTEQ(host_localize(t, NULL, why, sizeof(why)), 0);
	CHECK_INTEQ(t->here, 1);
	CHECK(topo_ns_by_node(t, "r1")->remote);
	CHECK(!topo_ns_by_node(t, "r2")->remote);
	CHECK(topo_ns_by_node(t, "r3")->remote);
	/* A name given wins over this process's. */
	CHECK_INTEQ(host_localize(t, "c", why, sizeof(why)), 0);
	CHECK(!topo_ns_by_node(t, "r3")->remote);
	CHECK(topo_ns_by_node(t, "r2")->remote);
	CHECK_INTEQ(host_localize(t, "z", why, sizeof(why)), -ENOENT);
	CHECK(strstr(why, "declares no such host") != NULL);
	host_set(NULL);
	topo_free(t);
}

/* Compiled on either host, an end of a link between hosts is a VXLAN
 * link to the other, on the link's VNI, with the MAC a veth would have. */
static void
test_compile_vxlan(void)
{
	struct topo		*t = load(lab_text);
	struct ks_ns		 want;
	const struct ks_link	*l;
	char			 a[INET6_ADDRSTRLEN];

	CHECK(t != NULL);
	if (t == NULL)
		return;
	memset(&want, 0, sizeof(want));
	CHECK_INTEQ(compile_ns(t, topo_ns_by_node(t, "r2"), &want), 0);
	CHECK((l = ks_link_by_name(&want, "eth0")) != NULL);
	if (l != NULL) {
		CHECK_INTEQ(l->kind, KS_LINK_VXLAN);
		CHECK_INTEQ(l->vxlan.vni, vni_of(t, "r1:eth0", "r2:eth0"));
		CHECK_INTEQ(l->vxlan.port, 4789);
		CHECK(!l->vxlan.learning);
		CHECK_STREQ(inet_ntop(AF_INET, l->vxlan.local, a, sizeof(a)),
		    "192.0.2.2");
		CHECK_STREQ(inet_ntop(AF_INET, l->vxlan.remote, a, sizeof(a)),
		    "192.0.2.1");
		CHECK_STREQ(l->far_host, "a");
		CHECK_STREQ(l->far_node, "r1:eth0");
		CHECK_INTEQ(l->mtu, 1500);
		CHECK(l->has_mac && l->mac[0] == 0x02);
	}
	/* The link on one host stays a veth. */
	ks_ns_clear(&want);
	CHECK_INTEQ(compile_ns(t, topo_ns_by_node(t, "r4"), &want), 0);
	CHECK((l = ks_link_by_name(&want, "eth3")) != NULL &&
	    l->kind == KS_LINK_VETH);
	ks_ns_clear(&want);
	topo_free(t);
}

/* The message that makes a VXLAN end, parsed back as a dump reads it. */
static void
test_codec_vxlan(void)
{
	char			 buf[4096] __attribute__((aligned(8)));
	struct nlmsghdr		*nlh;
	struct ks_link		 l, got;

	memset(&l, 0, sizeof(l));
	snprintf(l.name, sizeof(l.name), "eth7");
	l.kind = KS_LINK_VXLAN;
	l.ifindex = 7;
	l.mtu = 1450;
	l.up = true;
	l.has_mac = true;
	memcpy(l.mac, "\x02\x01\x02\x03\x04\x05", 6);
	l.vxlan.vni = 4242;
	l.vxlan.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", l.vxlan.local);
	inet_pton(AF_INET6, "2001:db8::2", l.vxlan.remote);
	l.vxlan.port = 4789;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nl_link_put_vxlan(nlh, &l, 3);
	CHECK_INTEQ(nl_link_parse(nlh, &got), 0);
	CHECK_STREQ(got.name, "eth7");
	CHECK_INTEQ(got.kind, KS_LINK_VXLAN);
	CHECK_INTEQ(got.ifindex, 7);
	CHECK_INTEQ(got.mtu, 1450);
	CHECK(got.up);
	CHECK(memcmp(got.mac, l.mac, 6) == 0);
	CHECK_INTEQ(got.vxlan.vni, 4242);
	CHECK_INTEQ(got.vxlan.family, AF_INET6);
	CHECK(memcmp(got.vxlan.local, l.vxlan.local, 16) == 0);
	CHECK(memcmp(got.vxlan.remote, l.vxlan.remote, 16) == 0);
	CHECK_INTEQ(got.vxlan.port, 4789);
	CHECK(!got.vxlan.learning);
	CHECK_INTEQ(got.vxlan.dev, 0);
}

/* A lab kept on this host whose link from here has the VNI of one of
 * the lab applied: an error at that link; none for a link that is not
 * this host's. */
static void
test_vni_other_lab(void)
{
	char		 dir[] = "/tmp/vrfd-test-hosts.XXXXXX", *other;
	struct diag_list dl = { 0 };
	struct topo	*t = load(lab_text);
	char		 why[256], cmd[128];
	uint32_t	 vni;

	CHECK(t != NULL && mkdtemp(dir) != NULL);
	if (t == NULL)
		return;
	state_set_dir(dir);
	vni = vni_of(t, "r1:eth0", "r2:eth0");
	if (asprintf(&other, "lab: other\nhosts:\n"
	    "  a: {underlay: 192.0.2.1}\n  b: {underlay: 192.0.2.9}\n"
	    "routers:\n  x1: {host: a}\n  x2: {host: b}\n"
	    "links:\n  - {endpoints: [x1:eth0, x2:eth0], mtu: 1400, "
	    "vni: %u}\n", vni) < 0)
		abort();
	CHECK_INTEQ(state_save_lab_text("other", other, strlen(other)), 0);
	CHECK_INTEQ(state_save_extra("other", STATE_HOST, "a\n", 2), 0);
	/* On host a: r1:eth0 is a's, and so is x1:eth0. */
	CHECK_INTEQ(host_localize(t, "a", why, sizeof(why)), 0);
	host_check(t, &dl);
	CHECK_INTEQ(dl.n_errors, 1);
	if (dl.n_errors == 1)
		CHECK(strstr(dl.v[0].msg, "is taken on this host by lab other")
		    != NULL);
	diag_list_free(&dl);
	/* On host c, neither end of r1 - r2 is here. */
	memset(&dl, 0, sizeof(dl));
	CHECK_INTEQ(host_localize(t, "c", why, sizeof(why)), 0);
	host_check(t, &dl);
	CHECK_INTEQ(dl.n_errors, 0);
	diag_list_free(&dl);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("  cannot remove %s\n", dir);
	state_set_dir(NULL);
	free(other);
	topo_free(t);
}

/* The host a report and a status speak for, the tunnels' last probes,
 * and a request's --host, through JSON and back. */
static void
test_wire(void)
{
	struct report		 r = { .action = REPORT_PLAN }, *r2;
	struct status		 st = { 0 }, *st2;
	struct status_lab	*sl;
	struct status_tunnel	*tu;
	struct ctl_request	 req = { .cmd = CTL_APPLY, .file = "x.yaml",
				    .text = "lab: x\n", .len = 7,
				    .host = "b" }, back;
	struct json_object	*o;
	char			 err[128];

	snprintf(r.lab, sizeof(r.lab), "xh");
	snprintf(r.host, sizeof(r.host), "a");
	snprintf(r.underlay, sizeof(r.underlay), "192.0.2.1");
	o = report_to_json(&r);
	CHECK((r2 = report_from_json(o)) != NULL);
	if (r2) {
		CHECK_STREQ(r2->host, "a");
		CHECK_STREQ(r2->underlay, "192.0.2.1");
	}
	report_free(r2);
	json_object_put(o);

	sl = status_lab_add(&st);
	snprintf(sl->lab, sizeof(sl->lab), "xh");
	snprintf(sl->host, sizeof(sl->host), "b");
	tu = status_tunnel_add(sl);
	snprintf(tu->node, sizeof(tu->node), "r3");
	snprintf(tu->ifname, sizeof(tu->ifname), "eth0");
	tu->vni = 211081;
	snprintf(tu->far_host, sizeof(tu->far_host), "a");
	snprintf(tu->far, sizeof(tu->far), "r2:eth1");
	tu->probe_time = 1700000000.5;
	snprintf(tu->probe_result, sizeof(tu->probe_result), "reply");
	tu->probe_rtt_ms = 0.25;
	(void)status_tunnel_add(sl);		/* never probed */
	o = status_to_json(&st);
	CHECK((st2 = status_from_json(o)) != NULL);
	if (st2 && st2->n_labs == 1) {
		CHECK_STREQ(st2->labs[0].host, "b");
		CHECK_INTEQ(st2->labs[0].n_tunnels, 2);
		tu = &st2->labs[0].tunnels[0];
		CHECK_STREQ(tu->far, "r2:eth1");
		CHECK_INTEQ(tu->vni, 211081);
		CHECK_STREQ(tu->probe_result, "reply");
		CHECK(tu->probe_time > 1700000000.4 &&
		    tu->probe_time < 1700000000.6);
		CHECK(st2->labs[0].tunnels[1].probe_time == 0);
	}
	status_free(st2);
	json_object_put(o);
	free(st.labs[0].tunnels);
	free(st.labs);

	o = ctl_request_encode(&req);
	CHECK(o != NULL && ctl_request_decode(o, &back, err,
	    sizeof(err)) == 0);
	CHECK_STREQ(back.host, "b");
	json_object_put(o);
	o = json_tokener_parse("{\"cmd\": \"plan\", \"topology\": \"x\", "
	    "\"host\": \"B/\"}");
	CHECK(ctl_request_decode(o, &back, err, sizeof(err)) == -EINVAL);
	json_object_put(o);
}

/* vrfd.conf's host: a host's name, or empty. */
static void
test_conf_host(void)
{
	struct diag_list	 dl = { 0 };
	struct conf		 c;

	conf_defaults(&c);
	CHECK_STREQ(c.host, "");
	CHECK_INTEQ(conf_parse("t.conf", "host b\n", &c, &dl), 0);
	CHECK_STREQ(c.host, "b");
	CHECK_INTEQ(conf_parse("t.conf", "host\n", &c, &dl), 0);
	CHECK_STREQ(c.host, "");
	CHECK_INTEQ(conf_parse("t.conf", "host B/1\n", &c, &dl), -EINVAL);
	CHECK_INTEQ(dl.n_errors, 1);
	diag_list_free(&dl);
}

int
main(void)
{
	RUN(test_vni_same_file_same_vnis);
	RUN(test_vni_moves_off_written);
	RUN(test_localize);
	RUN(test_compile_vxlan);
	RUN(test_codec_vxlan);
	RUN(test_vni_other_lab);
	RUN(test_wire);
	RUN(test_conf_host);
	return CHECK_DONE();
}
