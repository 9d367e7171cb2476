/*
 * diff_qdisc: the qdiscs a namespace's links should have (compile_qdisc.c
 * says which), against the ones they have.
 *
 * Per device, the root qdisc decides:
 *  - vrfd's (its handle, own.h), of the declared kind and shape (a netem
 *    with or without its tbf child): each that differs is replaced in
 *    place (tc qdisc replace changes a qdisc of the same handle and kind);
 *  - vrfd's, of another kind or shape: deleted (its child with it), then
 *    made as declared, since the kernel changes no qdisc into another;
 *  - the kernel's default one (handle 0:) or none: made;
 *  - someone else's: a conflict, left alone.
 * A device that declares nothing loses vrfd's root qdisc, and keeps
 * anyone else's, which is listed as foreign. Only the link ends of the
 * lab count: lo and links not the lab's are no business of the diff. On a
 * link this pass makes again, nothing of the old one survives.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/pkt_sched.h>

#include "diff_priv.h"
#include "kernel/own.h"
#include "pass.h"

/* The qdisc of NS on DEV with parent PARENT, or NULL. */
static const struct ks_qdisc *
diff_qdisc_find(const struct ks_ns *ns, const char *dev, uint32_t parent)
{
	for (size_t k = 0; k < ns->n_qdiscs; k++)
		if (ns->qdiscs[k].parent == parent &&
		    strcmp(ns->qdiscs[k].dev, dev) == 0)
			return &ns->qdiscs[k];
	return NULL;
}

/* The child of root R (its class 1), or NULL. */
static const struct ks_qdisc *
diff_qdisc_child(const struct ks_ns *ns, const struct ks_qdisc *r)
{
	if (r == NULL || r->handle == 0)
		return NULL;
	return diff_qdisc_find(ns, r->dev, TC_H_MAKE(r->handle, 1));
}

static bool
diff_qdisc_near(uint32_t want, uint32_t have)
{
	uint32_t	 d = want > have ? want - have : have - want;

	return d <= 1 || d <= want / 1024;
}

/* Does the kernel's H do what W asks? */
static bool
diff_qdisc_same(const struct ks_qdisc *w, const struct ks_qdisc *h)
{
	const struct ks_tbf	*wt = &w->tbf, *ht = &h->tbf;
	const struct ks_netem	*wn = &w->netem, *hn = &h->netem;

	if (w->kind != h->kind || w->handle != h->handle)
		return false;
	switch (w->kind) {
	case KS_QDISC_TBF:
		/* The bucket's time is the kernel's arithmetic: a tick or a
		 * thousandth off is the same bucket (a tc that computes
		 * it itself), and must not make a pass that never ends. */
		return wt->rate == ht->rate && wt->limit == ht->limit &&
		    diff_qdisc_near(wt->buffer, ht->buffer);
	case KS_QDISC_NETEM:
		return wn->latency == hn->latency &&
		    wn->jitter == hn->jitter && wn->limit == hn->limit &&
		    wn->loss == hn->loss && wn->duplicate == hn->duplicate &&
		    wn->corrupt == hn->corrupt &&
		    wn->reorder == hn->reorder && wn->gap == hn->gap;
	case KS_QDISC_OTHER:
		break;
	}
	return false;
}

static int
diff_qdisc_set(struct pass *p, size_t i, const struct ks_qdisc *w,
    const struct ks_qdisc *replaced)
{
	struct change	*c;

	if ((c = diff_add(p, CH_QDISC_SET, i)) == NULL)
		return -ENOMEM;
	c->qdisc = w;
	c->ifindex = replaced ? replaced->ifindex : 0;
	return 0;
}

/* "tbf 8001: dev eth0 root", as tc shows one. */
static void
diff_qdisc_text(const struct ks_qdisc *q, char *buf, size_t len)
{
	snprintf(buf, len, "%s %x: dev %s root", q->kind_name,
	    (unsigned)(q->handle >> 16), q->dev);
}

/* Root W (and its child WC) on a device whose root is H (NULL: none,
 * or on a link made again). */
static int
diff_qdisc_dev(struct pass *p, size_t i, const struct ks_qdisc *w,
    const struct ks_qdisc *wc, const struct ks_qdisc *h)
{
	const struct ks_ns	*have = &p->ns[i].have;
	const struct ks_qdisc	*hc = diff_qdisc_child(have, h);
	struct change		*c;
	char			 buf[64];
	int			 rv;

	if (h != NULL && own_qdisc(h) == OWN_FOREIGN) {
		if ((c = diff_add(p, CH_QDISC_SET, i)) == NULL)
			return -ENOMEM;
		c->qdisc = w;
		diff_qdisc_text(h, buf, sizeof(buf));
		diff_conflict(c, "qdisc %s exists and is not vrfd's; left "
		    "alone", buf);
		return 0;
	}
	if (h != NULL && own_qdisc(h) == OWN_VRFD) {
		if (h->kind == w->kind && h->handle == w->handle &&
		    (wc == NULL ? hc == NULL : hc != NULL &&
		    hc->kind == wc->kind && hc->handle == wc->handle)) {
			if (!diff_qdisc_same(w, h) &&
			    (rv = diff_qdisc_set(p, i, w, h)) < 0)
				return rv;
			if (wc && !diff_qdisc_same(wc, hc))
				return diff_qdisc_set(p, i, wc, hc);
			return 0;
		}
		if ((c = diff_add(p, CH_QDISC_DEL, i)) == NULL)
			return -ENOMEM;
		c->qdisc = h;
		c->ifindex = h->ifindex;
	}
	if ((rv = diff_qdisc_set(p, i, w, NULL)) < 0)
		return rv;
	return wc ? diff_qdisc_set(p, i, wc, NULL) : 0;
}

int
diff_qdisc_ns(struct pass *p, size_t i, const struct diff_devs *devs)
{
	struct pass_ns		*pn = &p->ns[i];
	const struct ks_link	*l;
	char			 buf[64];
	int			 rv;

	for (size_t k = 0; k < pn->want.n_qdiscs; k++) {
		const struct ks_qdisc	*w = &pn->want.qdiscs[k];
		bool			 fresh = devs->fresh(devs->arg, w->dev);

		/* A far end only: what goes on its links made again. */
		if (w->parent != TC_H_ROOT || devs->out(devs->arg, w->dev) ||
		    (pn->peer_only && !fresh))
			continue;
		if ((rv = diff_qdisc_dev(p, i, w, diff_qdisc_child(&pn->want,
		    w), fresh ? NULL : diff_qdisc_find(&pn->have, w->dev,
		    TC_H_ROOT))) < 0)
			return rv;
	}
	for (size_t k = 0; k < pn->have.n_qdiscs && !pn->peer_only; k++) {
		const struct ks_qdisc	*h = &pn->have.qdiscs[k];
		struct change		*c;

		if (h->parent != TC_H_ROOT || own_qdisc(h) == OWN_KERNEL ||
		    diff_qdisc_find(&pn->want, h->dev, TC_H_ROOT) != NULL ||
		    devs->fresh(devs->arg, h->dev) ||
		    (l = ks_link_by_name(&pn->want, h->dev)) == NULL ||
		    l->kind != KS_LINK_VETH)
			continue;
		if (own_qdisc(h) == OWN_FOREIGN) {
			diff_qdisc_text(h, buf, sizeof(buf));
			if (diff_foreign(pn, "qdisc", buf) < 0)
				return -ENOMEM;
			continue;
		}
		if ((c = diff_add(p, CH_QDISC_DEL, i)) == NULL)
			return -ENOMEM;
		c->qdisc = h;
		c->ifindex = h->ifindex;
	}
	return 0;
}
