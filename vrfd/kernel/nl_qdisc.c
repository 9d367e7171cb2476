/*
 * nl_qdisc: RTM_NEWQDISC/RTM_DELQDISC messages for the impairments (tbf,
 * netem), and the parser for qdisc dumps and events.
 *
 * The messages are the ones tc sends for the same command, field by
 * field, so that the commands `vrfctl plan` prints make exactly the qdisc
 * apply makes, and each reads back the same:
 *  - tbf: TCA_TBF_PARMS with the rate (its link layer said, so no rate
 *    table is needed) and the limit, the bucket in bytes (TCA_TBF_BURST,
 *    from which the kernel computes its time; also in TCA_TBF_PARMS, as
 *    ticks) and TCA_TBF_RATE64 for a rate beyond 32 bits of bytes a
 *    second;
 *  - netem: TCA_OPTIONS holds struct tc_netem_qopt followed by attributes
 *    (not a plain nest); delays also in ns (TCA_NETEM_LATENCY64,
 *    _JITTER64), reorder and corrupt in their own attributes.
 * TCA_OPTIONS goes without NLA_F_NESTED, as tc sends it.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "nl_codec.h"

/* A psched tick is 64 ns (PSCHED_SHIFT 6) on every kernel since 2.6.31. */
#define NL_QDISC_NS_PER_TICK	64
#define NL_QDISC_NS_PER_SEC	1000000000ULL

/*
 * The bucket the kernel keeps for BURST bytes at RATE: tc sends the burst
 * in bytes (TCA_TBF_BURST), and the kernel makes it a time with its own
 * integer arithmetic (psched_ratecfg_precompute__(), psched_l2t_ns()),
 * then says it in ticks (PSCHED_NS2TICKS). The same here, so that what
 * is declared and what is read back compare equal.
 */
uint32_t
nl_qdisc_tbf_buffer(uint64_t rate, uint32_t burst)
{
	uint64_t	 factor = NL_QDISC_NS_PER_SEC;
	uint32_t	 mult;
	unsigned	 shift = 0;

	if (rate == 0)
		return 0;
	for (;;) {
		mult = (uint32_t)(factor / rate);
		if ((mult & (1U << 31)) || (factor & (1ULL << 63)))
			break;
		factor <<= 1;
		shift++;
	}
	return (uint32_t)((((uint64_t)burst * mult) >> shift) /
	    NL_QDISC_NS_PER_TICK);
}

uint32_t
nl_qdisc_tbf_burst(uint64_t rate, uint32_t buffer)
{
	double	 bytes;

	bytes = (double)rate * (double)buffer * NL_QDISC_NS_PER_TICK /
	    (double)NL_QDISC_NS_PER_SEC;
	return bytes >= 4294967295.0 ? UINT32_MAX : (uint32_t)(bytes + 0.5);
}

/* A nest without NLA_F_NESTED, as tc makes TCA_OPTIONS. */
static struct nlattr *
nl_qdisc_nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr	*a = mnl_nlmsg_get_payload_tail(nlh);

	a->nla_type = type;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(struct nlattr));
	return a;
}

static void
nl_qdisc_put_tbf(struct nlmsghdr *nlh, const struct ks_tbf *t)
{
	struct tc_tbf_qopt	 opt;
	struct nlattr		*o;

	memset(&opt, 0, sizeof(opt));
	opt.rate.rate = t->rate >= (1ULL << 32) ? UINT32_MAX :
	    (uint32_t)t->rate;
	opt.rate.linklayer = TC_LINKLAYER_ETHERNET;
	opt.limit = t->limit;
	opt.buffer = t->buffer;
	o = nl_qdisc_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(opt), &opt);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, t->burst);
	if (t->rate >= (1ULL << 32))
		mnl_attr_put_u64(nlh, TCA_TBF_RATE64, t->rate);
	mnl_attr_nest_end(nlh, o);
}

static uint32_t
nl_qdisc_ticks(uint64_t ns)
{
	uint64_t	 t = ns / NL_QDISC_NS_PER_TICK;

	return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

static void
nl_qdisc_put_netem(struct nlmsghdr *nlh, const struct ks_netem *n)
{
	struct tc_netem_qopt	 opt;
	struct tc_netem_reorder	 reorder;
	struct tc_netem_corrupt	 corrupt;
	struct nlattr		*o;
	int64_t			 ns;

	memset(&opt, 0, sizeof(opt));
	opt.latency = nl_qdisc_ticks(n->latency);
	opt.jitter = nl_qdisc_ticks(n->jitter);
	opt.limit = n->limit;
	opt.loss = n->loss;
	opt.gap = n->gap;
	opt.duplicate = n->duplicate;
	o = nl_qdisc_nest_start(nlh, TCA_OPTIONS);
	memcpy(mnl_nlmsg_get_payload_tail(nlh), &opt, sizeof(opt));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(opt));
	if (n->reorder) {
		memset(&reorder, 0, sizeof(reorder));
		reorder.probability = n->reorder;
		mnl_attr_put(nlh, TCA_NETEM_REORDER, sizeof(reorder),
		    &reorder);
	}
	if (n->corrupt) {
		memset(&corrupt, 0, sizeof(corrupt));
		corrupt.probability = n->corrupt;
		mnl_attr_put(nlh, TCA_NETEM_CORRUPT, sizeof(corrupt),
		    &corrupt);
	}
	if (n->latency) {
		ns = (int64_t)n->latency;
		mnl_attr_put(nlh, TCA_NETEM_LATENCY64, sizeof(ns), &ns);
	}
	if (n->jitter) {
		ns = (int64_t)n->jitter;
		mnl_attr_put(nlh, TCA_NETEM_JITTER64, sizeof(ns), &ns);
	}
	mnl_attr_nest_end(nlh, o);
}

void
nl_qdisc_put(struct nlmsghdr *nlh, const struct ks_qdisc *q)
{
	struct tcmsg	*tcm;

	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = q->ifindex;
	tcm->tcm_parent = q->parent;
	tcm->tcm_handle = q->handle;
	if (nlh->nlmsg_type == RTM_DELQDISC)
		return;
	switch (q->kind) {
	case KS_QDISC_TBF:
		mnl_attr_put_strz(nlh, TCA_KIND, "tbf");
		nl_qdisc_put_tbf(nlh, &q->tbf);
		break;
	case KS_QDISC_NETEM:
		mnl_attr_put_strz(nlh, TCA_KIND, "netem");
		nl_qdisc_put_netem(nlh, &q->netem);
		break;
	case KS_QDISC_OTHER:
		mnl_attr_put_strz(nlh, TCA_KIND, q->kind_name);
		break;
	}
}

/* ---- parsing ------------------------------------------------------------ */

struct nl_qdisc_tb {
	const struct nlattr	**tb;
	uint16_t		  max;
};

static int
nl_qdisc_attr_cb(const struct nlattr *a, void *data)
{
	struct nl_qdisc_tb	*t = data;
	uint16_t		 type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int
nl_qdisc_parse_tbf(const struct nlattr *opts, struct ks_tbf *t)
{
	const struct nlattr	*tb[TCA_TBF_MAX + 1] = { NULL };
	struct nl_qdisc_tb	 x = { tb, TCA_TBF_MAX };
	struct tc_tbf_qopt	 opt;

	if (mnl_attr_parse_nested(opts, nl_qdisc_attr_cb, &x) < 0 ||
	    tb[TCA_TBF_PARMS] == NULL ||
	    mnl_attr_get_payload_len(tb[TCA_TBF_PARMS]) < sizeof(opt))
		return -EINVAL;
	memcpy(&opt, mnl_attr_get_payload(tb[TCA_TBF_PARMS]), sizeof(opt));
	t->rate = opt.rate.rate;
	if (tb[TCA_TBF_RATE64] != NULL &&
	    mnl_attr_get_payload_len(tb[TCA_TBF_RATE64]) == sizeof(uint64_t))
		t->rate = mnl_attr_get_u64(tb[TCA_TBF_RATE64]);
	t->buffer = opt.buffer;
	t->limit = opt.limit;
	t->burst = nl_qdisc_tbf_burst(t->rate, t->buffer);
	return 0;
}

/* A struct attribute of at least LEN bytes into DST (zeroed if absent). */
static void
nl_qdisc_copy(const struct nlattr *a, void *dst, size_t len)
{
	memset(dst, 0, len);
	if (a != NULL && mnl_attr_get_payload_len(a) >= len)
		memcpy(dst, mnl_attr_get_payload(a), len);
}

static int
nl_qdisc_parse_netem(const struct nlattr *opts, struct ks_netem *n)
{
	const struct nlattr	*tb[TCA_NETEM_MAX + 1] = { NULL };
	struct nl_qdisc_tb	 x = { tb, TCA_NETEM_MAX };
	struct tc_netem_qopt	 opt;
	struct tc_netem_reorder	 reorder;
	struct tc_netem_corrupt	 corrupt;
	size_t			 len = mnl_attr_get_payload_len(opts);
	const char		*p = mnl_attr_get_payload(opts);
	int64_t			 ns;

	if (len < sizeof(opt))
		return -EINVAL;
	memcpy(&opt, p, sizeof(opt));
	if (len > MNL_ALIGN(sizeof(opt)) &&
	    mnl_attr_parse_payload(p + MNL_ALIGN(sizeof(opt)),
	    len - MNL_ALIGN(sizeof(opt)), nl_qdisc_attr_cb, &x) < 0)
		return -EINVAL;
	n->latency = (uint64_t)opt.latency * NL_QDISC_NS_PER_TICK;
	n->jitter = (uint64_t)opt.jitter * NL_QDISC_NS_PER_TICK;
	if (tb[TCA_NETEM_LATENCY64] != NULL &&
	    mnl_attr_get_payload_len(tb[TCA_NETEM_LATENCY64]) == sizeof(ns)) {
		memcpy(&ns, mnl_attr_get_payload(tb[TCA_NETEM_LATENCY64]),
		    sizeof(ns));
		n->latency = ns < 0 ? 0 : (uint64_t)ns;
	}
	if (tb[TCA_NETEM_JITTER64] != NULL &&
	    mnl_attr_get_payload_len(tb[TCA_NETEM_JITTER64]) == sizeof(ns)) {
		memcpy(&ns, mnl_attr_get_payload(tb[TCA_NETEM_JITTER64]),
		    sizeof(ns));
		n->jitter = ns < 0 ? 0 : (uint64_t)ns;
	}
	n->limit = opt.limit;
	n->loss = opt.loss;
	n->gap = opt.gap;
	n->duplicate = opt.duplicate;
	nl_qdisc_copy(tb[TCA_NETEM_REORDER], &reorder, sizeof(reorder));
	nl_qdisc_copy(tb[TCA_NETEM_CORRUPT], &corrupt, sizeof(corrupt));
	/* Without the attribute, a gap means every packet: the kernel's
	 * rule for old tc. */
	n->reorder = tb[TCA_NETEM_REORDER] ? reorder.probability :
	    opt.gap ? UINT32_MAX : 0;
	n->corrupt = corrupt.probability;
	return 0;
}

int
nl_qdisc_parse(const struct nlmsghdr *nlh, struct ks_qdisc *q)
{
	const struct nlattr	*tb[TCA_MAX + 1] = { NULL };
	struct nl_qdisc_tb	 x = { tb, TCA_MAX };
	const struct tcmsg	*tcm;
	size_t			 len;

	if (nlh->nlmsg_type != RTM_NEWQDISC && nlh->nlmsg_type != RTM_DELQDISC)
		return -ENOENT;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*tcm))
		return -EINVAL;
	tcm = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*tcm), nl_qdisc_attr_cb, &x) < 0 ||
	    tb[TCA_KIND] == NULL)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	q->ifindex = tcm->tcm_ifindex;
	q->parent = tcm->tcm_parent;
	q->handle = tcm->tcm_handle;
	len = mnl_attr_get_payload_len(tb[TCA_KIND]);
	if (len > sizeof(q->kind_name) - 1)
		len = sizeof(q->kind_name) - 1;
	len = strnlen(mnl_attr_get_payload(tb[TCA_KIND]), len);
	memcpy(q->kind_name, mnl_attr_get_payload(tb[TCA_KIND]), len);
	q->kind_name[len] = '\0';
	if (strcmp(q->kind_name, "tbf") == 0)
		q->kind = KS_QDISC_TBF;
	else if (strcmp(q->kind_name, "netem") == 0)
		q->kind = KS_QDISC_NETEM;
	/* A deletion says which, not what it held. */
	if (nlh->nlmsg_type == RTM_DELQDISC || tb[TCA_OPTIONS] == NULL)
		return 0;
	if (q->kind == KS_QDISC_TBF)
		return nl_qdisc_parse_tbf(tb[TCA_OPTIONS], &q->tbf);
	if (q->kind == KS_QDISC_NETEM)
		return nl_qdisc_parse_netem(tb[TCA_OPTIONS], &q->netem);
	return 0;
}
