/*
 * test_qdisc: the impairments with no kernel: the values of `impair:`
 * keys in their units, the tbf and netem messages built and parsed back,
 * the bucket in ticks as tc computes it, whose a qdisc is, and the watch
 * event of one.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "check.h"
#include "daemon/watch_event.h"
#include "engine/engine.h"
#include "kernel/kstate.h"
#include "kernel/nl_codec.h"
#include "kernel/own.h"
#include "topo/diag.h"
#include "topo/topo.h"

static char	buf[4096] __attribute__((aligned(8)));

static struct nlmsghdr *
msg(uint16_t type, uint16_t flags)
{
	struct nlmsghdr	*nlh;

	memset(buf, 0xa5, sizeof(buf));	/* builders must not rely on zeros */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static uint64_t
parse(enum topo_imp_key k, const char *text, int want_rv)
{
	uint64_t	 v = 0;
	int		 rv = topo_impair_parse(k, text, &v);

	if (rv != want_rv)
		printf("  %s '%s': rv %d, expected %d\n", topo_impair_key(k),
		    text, rv, want_rv);
	CHECK(rv == want_rv);
	return v;
}

static void
test_units(void)
{
	CHECK_INTEQ(parse(TOPO_IMP_RATE, "50mbit", 0), 50000000);
	CHECK_INTEQ(parse(TOPO_IMP_RATE, "1.5Mbit", 0), 1500000);
	CHECK_INTEQ(parse(TOPO_IMP_RATE, "10gbit", 0), 10000000000ULL);
	CHECK_INTEQ(parse(TOPO_IMP_RATE, "1kbit", 0), 1000);
	CHECK_INTEQ(parse(TOPO_IMP_RATE, "2500bit", 0), 2500);
	parse(TOPO_IMP_RATE, "999bit", -ERANGE);
	parse(TOPO_IMP_RATE, "2tbit", -ERANGE);
	parse(TOPO_IMP_RATE, "100", -EINVAL);		/* no unit */
	parse(TOPO_IMP_RATE, "100mbps", -EINVAL);	/* tc: megabytes */
	parse(TOPO_IMP_RATE, "-1mbit", -EINVAL);
	parse(TOPO_IMP_RATE, "1e6bit", -EINVAL);
	parse(TOPO_IMP_RATE, "05mbit", -EINVAL);
	parse(TOPO_IMP_RATE, ".5mbit", -EINVAL);
	parse(TOPO_IMP_RATE, "5.mbit", -EINVAL);
	parse(TOPO_IMP_RATE, "", -EINVAL);

	CHECK_INTEQ(parse(TOPO_IMP_BURST, "32kb", 0), 32768);
	CHECK_INTEQ(parse(TOPO_IMP_BURST, "1600", 0), 1600);
	CHECK_INTEQ(parse(TOPO_IMP_BURST, "1600b", 0), 1600);
	CHECK_INTEQ(parse(TOPO_IMP_LIMIT, "1.5mb", 0), 1572864);
	CHECK_INTEQ(parse(TOPO_IMP_LIMIT, "3gb", 0), 3221225472ULL);
	parse(TOPO_IMP_LIMIT, "4gb", -ERANGE);
	parse(TOPO_IMP_BURST, "0", -ERANGE);
	parse(TOPO_IMP_BURST, "32kbit", -EINVAL);

	CHECK_INTEQ(parse(TOPO_IMP_DELAY, "10ms", 0), 10000000);
	CHECK_INTEQ(parse(TOPO_IMP_DELAY, "0.5ms", 0), 500000);
	CHECK_INTEQ(parse(TOPO_IMP_DELAY, "250us", 0), 250000);
	CHECK_INTEQ(parse(TOPO_IMP_DELAY, "1s", 0), 1000000000);
	CHECK_INTEQ(parse(TOPO_IMP_JITTER, "0ms", 0), 0);
	/* whole microseconds */
	CHECK_INTEQ(parse(TOPO_IMP_JITTER, "0.0004ms", 0), 0);
	parse(TOPO_IMP_DELAY, "61s", -ERANGE);
	parse(TOPO_IMP_DELAY, "10", -EINVAL);
	parse(TOPO_IMP_DELAY, "10ns", -EINVAL);

	CHECK_INTEQ(parse(TOPO_IMP_LOSS, "1%", 0), 42949673);
	CHECK_INTEQ(parse(TOPO_IMP_LOSS, "100%", 0), UINT32_MAX);
	CHECK_INTEQ(parse(TOPO_IMP_DUPLICATE, "0%", 0), 0);
	CHECK_INTEQ(parse(TOPO_IMP_REORDER, "25%", 0), 1073741824);
	parse(TOPO_IMP_CORRUPT, "0.1", -EINVAL);
	parse(TOPO_IMP_CORRUPT, "101%", -ERANGE);
}

static void
test_merge(void)
{
	struct topo_impair	 base = { 0 }, over = { 0 };

	base.set = (1u << TOPO_IMP_RATE) | (1u << TOPO_IMP_DELAY);
	base.v[TOPO_IMP_RATE] = 1000000;
	base.v[TOPO_IMP_DELAY] = 5000000;
	over.set = 1u << TOPO_IMP_RATE | 1u << TOPO_IMP_LOSS;
	over.v[TOPO_IMP_RATE] = 2000000;
	over.v[TOPO_IMP_LOSS] = 7;
	topo_impair_merge(&base, &over);
	CHECK_INTEQ(base.set, (1u << TOPO_IMP_RATE) | (1u << TOPO_IMP_DELAY) |
	    (1u << TOPO_IMP_LOSS));
	CHECK_INTEQ(base.v[TOPO_IMP_RATE], 2000000);
	CHECK_INTEQ(base.v[TOPO_IMP_DELAY], 5000000);
	CHECK_INTEQ(base.v[TOPO_IMP_LOSS], 7);
	CHECK((TOPO_IMP_NETEM & TOPO_IMP_TBF) == 0);
	CHECK((TOPO_IMP_NETEM | TOPO_IMP_TBF) == (1u << TOPO_IMP_N) - 1);
}

/* The ticks the kernel keeps for a burst tc gives it (TCA_TBF_BURST),
 * read back from Linux 6.18 after `tc qdisc replace ... tbf`. */
static void
test_ticks(void)
{
	CHECK_INTEQ(nl_qdisc_tbf_buffer(2500000, 32768), 204800);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(15432, 100000), 101250647);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(375000000, 1600), 66);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(6250000, 65536), 163840);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(125000, 1600), 200000);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(4125000, 1600), 6060);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(4125000, 65536), 248242);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(12500000000ULL, 65536), 81);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(154320, 1048576), 106168999);
	CHECK_INTEQ(nl_qdisc_tbf_buffer(0, 1600), 0);
	CHECK_INTEQ(nl_qdisc_tbf_burst(6250000, 163840), 65536);
	CHECK_INTEQ(nl_qdisc_tbf_burst(4125000, 6060), 1600);
}

/* Build Q's RTM_NEWQDISC and parse it back. */
static void
roundtrip(const struct ks_qdisc *q, struct ks_qdisc *back)
{
	struct nlmsghdr	*nlh = msg(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE);

	nl_qdisc_put(nlh, q);
	CHECK_INTEQ(nl_qdisc_parse(nlh, back), 0);
	CHECK_INTEQ(back->ifindex, q->ifindex);
	CHECK_INTEQ(back->parent, q->parent);
	CHECK_INTEQ(back->handle, q->handle);
	CHECK_INTEQ(back->kind, q->kind);
}

static void
test_tbf(void)
{
	struct ks_qdisc	 q = { 0 }, back;
	const struct nlattr *a;
	struct nlmsghdr	*nlh;

	q.ifindex = 7;
	q.parent = TC_H_ROOT;
	q.handle = OWN_QDISC_ROOT;
	q.kind = KS_QDISC_TBF;
	q.tbf.rate = 6250000;
	q.tbf.burst = 65536;
	q.tbf.buffer = nl_qdisc_tbf_buffer(q.tbf.rate, q.tbf.burst);
	q.tbf.limit = 131072;
	roundtrip(&q, &back);
	CHECK_STREQ(back.kind_name, "tbf");
	CHECK_INTEQ(back.tbf.rate, 6250000);
	CHECK_INTEQ(back.tbf.buffer, 163840);
	CHECK_INTEQ(back.tbf.limit, 131072);
	CHECK_INTEQ(back.tbf.burst, 65536);
	/* TCA_OPTIONS as tc sends it: no NLA_F_NESTED; the burst in bytes,
	 * the kernel's to make a time of. */
	nlh = msg(RTM_NEWQDISC, 0);
	nl_qdisc_put(nlh, &q);
	mnl_attr_for_each(a, nlh, sizeof(struct tcmsg)) {
		const struct nlattr	*b;
		bool			 burst = false;

		if ((a->nla_type & NLA_TYPE_MASK) != TCA_OPTIONS)
			continue;
		CHECK((a->nla_type & NLA_F_NESTED) == 0);
		mnl_attr_for_each_nested(b, a)
			if (mnl_attr_get_type(b) == TCA_TBF_BURST) {
				burst = true;
				CHECK_INTEQ(mnl_attr_get_u32(b), 65536);
			}
		CHECK(burst);
	}

	/* beyond 32 bits of bytes a second: TCA_TBF_RATE64 */
	q.tbf.rate = 12500000000ULL;
	roundtrip(&q, &back);
	CHECK_INTEQ(back.tbf.rate, 12500000000ULL);

	/* a delete names the place only */
	nlh = msg(RTM_DELQDISC, 0);
	nl_qdisc_put(nlh, &q);
	CHECK_INTEQ(nl_qdisc_parse(nlh, &back), -EINVAL);	/* no kind */
	CHECK_INTEQ(nl_qdisc_parse(msg(RTM_NEWROUTE, 0), &back), -ENOENT);
}

static void
test_netem(void)
{
	struct ks_qdisc	 q = { 0 }, back;

	q.ifindex = 3;
	q.parent = TC_H_ROOT;
	q.handle = OWN_QDISC_ROOT;
	q.kind = KS_QDISC_NETEM;
	q.netem.latency = 10000000;
	q.netem.jitter = 2000000;
	q.netem.limit = 1000;
	q.netem.loss = 42949673;
	q.netem.duplicate = 5;
	q.netem.corrupt = 6;
	q.netem.reorder = 1073741824;
	q.netem.gap = 1;
	roundtrip(&q, &back);
	CHECK_STREQ(back.kind_name, "netem");
	CHECK(memcmp(&back.netem, &q.netem, sizeof(q.netem)) == 0);

	/* a netem without reorder, nor delays */
	memset(&q.netem, 0, sizeof(q.netem));
	q.netem.limit = 1000;
	q.netem.loss = 1;
	roundtrip(&q, &back);
	CHECK(memcmp(&back.netem, &q.netem, sizeof(q.netem)) == 0);

	/* its tbf child */
	memset(&q, 0, sizeof(q));
	q.ifindex = 3;
	q.parent = TC_H_MAKE(OWN_QDISC_ROOT, 1);
	q.handle = OWN_QDISC_CHILD;
	q.kind = KS_QDISC_TBF;
	q.tbf.rate = 1250000;
	q.tbf.limit = 1000;
	roundtrip(&q, &back);
	CHECK_INTEQ(back.parent, 0x76720001);
}

static void
test_own(void)
{
	struct ks_qdisc	 q = { 0 };

	q.handle = OWN_QDISC_ROOT;
	CHECK_INTEQ(own_qdisc(&q), OWN_VRFD);
	q.handle = OWN_QDISC_CHILD;
	CHECK_INTEQ(own_qdisc(&q), OWN_VRFD);
	q.handle = 0;
	CHECK_INTEQ(own_qdisc(&q), OWN_KERNEL);
	q.handle = 0x80010000;
	CHECK_INTEQ(own_qdisc(&q), OWN_FOREIGN);
	q.handle = 0x76740000;
	CHECK_INTEQ(own_qdisc(&q), OWN_FOREIGN);
}

static void
test_watch_event(void)
{
	struct ks_link		 l = { .ifindex = 3, .name = "eth0" };
	struct watch_ns		 wn = { .name = "lab-a", .nsid = 1 };
	struct watch_ev		 ev;
	struct ks_qdisc		 q = { 0 };
	struct nlmsghdr		*nlh;

	CHECK_INTEQ(watch_event_link_put(&wn, &l), 0);
	q.ifindex = 3;
	q.parent = TC_H_ROOT;
	q.handle = OWN_QDISC_ROOT;
	q.kind = KS_QDISC_TBF;
	q.tbf.rate = 125000;
	nlh = msg(RTM_DELQDISC, 0);
	nl_qdisc_put(nlh, &q);
	mnl_attr_put_strz(nlh, TCA_KIND, "tbf");	/* as the kernel says */
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK_INTEQ(ev.kind, WATCH_EV_QDISC);
	CHECK(ev.deleted);
	CHECK_STREQ(ev.what, "qdisc tbf 7672: on eth0 deleted");

	q.handle = 0x80010000;
	nlh = msg(RTM_NEWQDISC, 0);
	nl_qdisc_put(nlh, &q);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), 0);
	CHECK_STREQ(ev.what, "qdisc tbf 8001: on eth0 added");

	/* deep in someone's tree: not vrfd's business */
	q.parent = TC_H_MAKE(0x80010000, 1);
	q.handle = 0x10000;
	nlh = msg(RTM_NEWQDISC, 0);
	nl_qdisc_put(nlh, &q);
	CHECK_INTEQ(watch_event_decode(&wn, nlh, &ev), -ENOENT);
	watch_event_links_free(&wn);
}

static const struct ks_qdisc *
want_qdisc(const struct ks_ns *want, const char *dev, uint32_t parent)
{
	for (size_t k = 0; k < want->n_qdiscs; k++)
		if (strcmp(want->qdiscs[k].dev, dev) == 0 &&
		    want->qdiscs[k].parent == parent)
			return &want->qdiscs[k];
	return NULL;
}

/* tests/data/good-impair.yaml: the keys laid over each other (link, its
 * end, the interface), and the qdiscs they make. */
static void
test_load_compile(void)
{
	struct diag_list	 dl = { 0 };
	struct topo		*t = topo_load("tests/data/good-impair.yaml", &dl);
	const struct topo_impair *imp;
	const struct ks_qdisc	*q;
	struct ks_ns		 want;

	CHECK(t != NULL);
	if (t == NULL)
		return;
	topo_check(t, &dl);
	CHECK_INTEQ(dl.n, 0);
	CHECK_INTEQ(t->n_links, 3);
	imp = &t->links[0].ep[0].impair;		/* a:eth0 */
	CHECK_INTEQ(imp->set, TOPO_IMP_TBF);
	CHECK_INTEQ(imp->v[TOPO_IMP_RATE], 50000000);
	CHECK_INTEQ(imp->v[TOPO_IMP_BURST], 65536);	/* its interface's */
	CHECK_INTEQ(imp->v[TOPO_IMP_LIMIT], 1572864);
	imp = &t->links[0].ep[1].impair;		/* b/red:eth0 */
	CHECK_INTEQ(imp->v[TOPO_IMP_RATE], 10000000);	/* its own */
	CHECK_INTEQ(imp->v[TOPO_IMP_BURST], 1600);
	CHECK_INTEQ(imp->v[TOPO_IMP_LIMIT], 1572864);	/* the link's */
	imp = &t->links[1].ep[1].impair;		/* lan:p1 */
	CHECK_INTEQ(imp->set, (1u << TOPO_IMP_RATE) | (1u << TOPO_IMP_DELAY));
	CHECK_INTEQ(imp->v[TOPO_IMP_DELAY], 1000000000);
	CHECK_INTEQ(t->links[2].ep[0].impair.set, 0);

	memset(&want, 0, sizeof(want));
	CHECK_INTEQ(engine_compile(t, topo_ns_by_node(t, "b/red"), &want), 0);
	CHECK_INTEQ(want.n_qdiscs, 3);
	if ((q = want_qdisc(&want, "eth0", TC_H_ROOT)) != NULL) {
		CHECK_INTEQ(q->kind, KS_QDISC_TBF);
		CHECK_INTEQ(q->handle, OWN_QDISC_ROOT);
		CHECK_INTEQ(q->tbf.rate, 1250000);
		CHECK_INTEQ(q->tbf.burst, 1600);
		CHECK_INTEQ(q->tbf.limit, 1572864);
		CHECK_INTEQ(q->tbf.buffer, nl_qdisc_tbf_buffer(1250000, 1600));
	} else
		CHECK(!"no root qdisc on b/red eth0");
	if ((q = want_qdisc(&want, "eth1", TC_H_ROOT)) != NULL) {
		CHECK_INTEQ(q->kind, KS_QDISC_NETEM);
		CHECK_INTEQ(q->netem.latency, 500000);
		CHECK_INTEQ(q->netem.jitter, 100000);
		CHECK_INTEQ(q->netem.limit, 1000);
		CHECK_INTEQ(q->netem.loss, 4294967);
		CHECK_INTEQ(q->netem.duplicate, 42949673);
		CHECK_INTEQ(q->netem.corrupt, 0);
		CHECK_INTEQ(q->netem.reorder, 214748365);
		CHECK_INTEQ(q->netem.gap, 1);
	} else
		CHECK(!"no root qdisc on b/red eth1");
	/* the rate under the netem, with its defaults: 10 ms, and 50 ms
	 * more to wait in */
	if ((q = want_qdisc(&want, "eth1", 0x76720001)) != NULL) {
		CHECK_INTEQ(q->kind, KS_QDISC_TBF);
		CHECK_INTEQ(q->handle, OWN_QDISC_CHILD);
		CHECK_INTEQ(q->tbf.rate, 312500000);
		CHECK_INTEQ(q->tbf.burst, 3125000);
		CHECK_INTEQ(q->tbf.limit, 18750000);
	} else
		CHECK(!"no tbf under the netem of b/red eth1");
	ks_ns_clear(&want);

	/* an empty impair: no qdisc */
	memset(&want, 0, sizeof(want));
	CHECK_INTEQ(engine_compile(t, topo_ns_by_node(t, "a"), &want), 0);
	CHECK_INTEQ(want.n_qdiscs, 1);
	ks_ns_clear(&want);
	diag_list_free(&dl);
	topo_free(t);
}

int
main(void)
{
	RUN(test_units);
	RUN(test_merge);
	RUN(test_ticks);
	RUN(test_tbf);
	RUN(test_netem);
	RUN(test_own);
	RUN(test_watch_event);
	RUN(test_load_compile);
	return CHECK_DONE();
}
