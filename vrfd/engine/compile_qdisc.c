/*
 * compile_qdisc: the qdiscs of a namespace, from the impairments of its
 * link ends (topo_endpoint.impair).
 *
 *   rate only           root tbf 7672:
 *   netem keys          root netem 7672:
 *   netem keys + rate   root netem 7672:, and tbf 7673: as its child
 *                       (parent 7672:1): delayed, then shaped
 *
 * The handles are vrfd's mark (own.h). A tbf's burst and limit, when not
 * declared, are made explicit here: burst 10 ms at the rate and at least
 * 16kb, limit the burst and 50 ms more at the rate (tc's "latency
 * 50ms"); netem keeps its own default queue of 1000 packets.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/pkt_sched.h>

#include "kernel/nl_codec.h"
#include "kernel/own.h"
#include "pass.h"
#include "topo/topo.h"

#define COMPILE_QDISC_BURST_MIN		16384		/* bytes */
#define COMPILE_QDISC_BURST_MS		10
#define COMPILE_QDISC_LATENCY_MS	50
#define COMPILE_QDISC_NETEM_LIMIT	1000		/* packets */

static uint32_t
compile_qdisc_u32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void
compile_qdisc_tbf(const struct topo_impair *imp, struct ks_tbf *t)
{
	uint64_t	 burst, limit;

	t->rate = imp->v[TOPO_IMP_RATE] / 8;
	if (imp->set & (1u << TOPO_IMP_BURST))
		burst = imp->v[TOPO_IMP_BURST];
	else {
		burst = t->rate * COMPILE_QDISC_BURST_MS / 1000;
		if (burst < COMPILE_QDISC_BURST_MIN)
			burst = COMPILE_QDISC_BURST_MIN;
	}
	if (imp->set & (1u << TOPO_IMP_LIMIT))
		limit = imp->v[TOPO_IMP_LIMIT];
	else
		limit = burst + t->rate * COMPILE_QDISC_LATENCY_MS / 1000;
	t->burst = compile_qdisc_u32(burst);
	t->limit = compile_qdisc_u32(limit);
	t->buffer = nl_qdisc_tbf_buffer(t->rate, t->burst);
}

static void
compile_qdisc_netem(const struct topo_impair *imp, struct ks_netem *n)
{
	n->latency = imp->v[TOPO_IMP_DELAY];
	n->jitter = imp->v[TOPO_IMP_JITTER];
	n->limit = COMPILE_QDISC_NETEM_LIMIT;
	n->loss = compile_qdisc_u32(imp->v[TOPO_IMP_LOSS]);
	n->duplicate = compile_qdisc_u32(imp->v[TOPO_IMP_DUPLICATE]);
	n->corrupt = compile_qdisc_u32(imp->v[TOPO_IMP_CORRUPT]);
	n->reorder = compile_qdisc_u32(imp->v[TOPO_IMP_REORDER]);
	/* As tc: a reorder sends every gap-th packet at once; 1: any. */
	n->gap = n->reorder ? 1 : 0;
}

static struct ks_qdisc *
compile_qdisc_add(struct ks_ns *want, const char *dev, uint32_t parent,
    uint32_t handle, enum ks_qdisc_kind kind)
{
	struct ks_qdisc	*q;

	if ((q = ks_qdisc_add(want)) == NULL)
		return NULL;
	snprintf(q->dev, sizeof(q->dev), "%s", dev);
	q->parent = parent;
	q->handle = handle;
	q->kind = kind;
	snprintf(q->kind_name, sizeof(q->kind_name), "%s",
	    kind == KS_QDISC_NETEM ? "netem" : "tbf");
	return q;
}

int
compile_qdisc_ns(const struct topo *topo, const struct topo_ns *tns,
    struct ks_ns *want)
{
	struct ks_qdisc	*q;

	for (size_t k = 0; k < tns->n_link_ends; k++) {
		size_t			    end = tns->link_ends[k];
		const struct topo_link	   *tl = &topo->links[end / 2];
		const struct topo_endpoint *me = &tl->ep[end % 2];
		const struct topo_impair   *imp = &me->impair;
		bool			    rate;

		if (me->ns != tns || tl->ep[!(end % 2)].ns == NULL ||
		    imp->set == 0)
			continue;
		rate = (imp->set & (1u << TOPO_IMP_RATE)) != 0;
		if (!(imp->set & TOPO_IMP_NETEM)) {
			if (!rate)
				continue;	/* burst alone: an error */
			if ((q = compile_qdisc_add(want, me->ifname, TC_H_ROOT,
			    OWN_QDISC_ROOT, KS_QDISC_TBF)) == NULL)
				return -errno;
			compile_qdisc_tbf(imp, &q->tbf);
			continue;
		}
		if ((q = compile_qdisc_add(want, me->ifname, TC_H_ROOT,
		    OWN_QDISC_ROOT, KS_QDISC_NETEM)) == NULL)
			return -errno;
		compile_qdisc_netem(imp, &q->netem);
		if (!rate)
			continue;
		if ((q = compile_qdisc_add(want, me->ifname,
		    TC_H_MAKE(OWN_QDISC_ROOT, 1), OWN_QDISC_CHILD,
		    KS_QDISC_TBF)) == NULL)
			return -errno;
		compile_qdisc_tbf(imp, &q->tbf);
	}
	return 0;
}
