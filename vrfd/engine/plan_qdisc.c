/*
 * plan_qdisc: a qdisc change in words: as the tc command that makes the
 * same qdisc ("tc -n NS qdisc replace dev eth0 root handle 7672: tbf rate
 * 50mbit burst 64kb limit 128kb"), as the object it is about, and as the
 * difference it mends.
 *
 * Numbers are written in the largest unit that keeps them exact, so that
 * tc reads back what the kernel is given: rates in bit, kbit, mbit, gbit
 * (1000s), sizes in b, kb, mb (1024s), times in us or ms.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pkt_sched.h>

#include "pass.h"

static void
plan_qdisc_rate(FILE *f, uint64_t bytes)
{
	uint64_t	 bits = bytes * 8;

	if (bits != 0 && bits % 1000000000 == 0)
		fprintf(f, "%llugbit", (unsigned long long)(bits / 1000000000));
	else if (bits != 0 && bits % 1000000 == 0)
		fprintf(f, "%llumbit", (unsigned long long)(bits / 1000000));
	else if (bits != 0 && bits % 1000 == 0)
		fprintf(f, "%llukbit", (unsigned long long)(bits / 1000));
	else
		fprintf(f, "%llubit", (unsigned long long)bits);
}

static void
plan_qdisc_size(FILE *f, uint32_t bytes)
{
	if (bytes != 0 && bytes % (1024 * 1024) == 0)
		fprintf(f, "%umb", bytes / (1024 * 1024));
	else if (bytes != 0 && bytes % 1024 == 0)
		fprintf(f, "%ukb", bytes / 1024);
	else
		fprintf(f, "%ub", bytes);
}

static void
plan_qdisc_time(FILE *f, uint64_t ns)
{
	if (ns % 1000000 == 0)
		fprintf(f, "%llums", (unsigned long long)(ns / 1000000));
	else if (ns % 1000 == 0)
		fprintf(f, "%lluus", (unsigned long long)(ns / 1000));
	else
		fprintf(f, "%.3fus", (double)ns / 1000);
}

/* A netem chance (of UINT32_MAX) as the shortest percentage that tc
 * reads back to it (rint(percent / 100 * UINT32_MAX), q_netem.c). */
static void
plan_qdisc_percent(FILE *f, const char *word, uint32_t p)
{
	double	 pct = 100.0 * (double)p / UINT32_MAX, back, x, frac;
	char	 num[32];
	int	 prec;

	for (prec = 1; prec < 12; prec++) {
		snprintf(num, sizeof(num), "%.*g", prec, pct);
		/* rint() without libm: to the nearest, a half to even */
		x = strtod(num, NULL) / 100 * UINT32_MAX;
		back = (double)(uint64_t)x;
		frac = x - back;
		if (frac > 0.5 || (frac == 0.5 && ((uint64_t)back & 1)))
			back += 1;
		if (back == (double)p)
			break;
	}
	fprintf(f, " %s %s%%", word, num);
}

/* "root" or "parent 7672:1" */
static void
plan_qdisc_place(FILE *f, const struct ks_qdisc *q)
{
	if (q->parent == TC_H_ROOT)
		fputs("root", f);
	else
		fprintf(f, "parent %x:%x", (unsigned)(q->parent >> 16),
		    (unsigned)(q->parent & 0xffff));
}

/* What Q does, as tc's options: "rate 50mbit burst 64kb limit 128kb". */
static void
plan_qdisc_options(FILE *f, const struct ks_qdisc *q)
{
	const struct ks_netem	*n = &q->netem;

	switch (q->kind) {
	case KS_QDISC_TBF:
		fputs("rate ", f);
		plan_qdisc_rate(f, q->tbf.rate);
		fputs(" burst ", f);
		plan_qdisc_size(f, q->tbf.burst);
		fputs(" limit ", f);
		plan_qdisc_size(f, q->tbf.limit);
		break;
	case KS_QDISC_NETEM:
		fprintf(f, "limit %u", n->limit);
		if (n->latency || n->jitter) {
			fputs(" delay ", f);
			plan_qdisc_time(f, n->latency);
			if (n->jitter) {
				fputc(' ', f);
				plan_qdisc_time(f, n->jitter);
			}
		}
		if (n->loss)
			plan_qdisc_percent(f, "loss", n->loss);
		if (n->duplicate)
			plan_qdisc_percent(f, "duplicate", n->duplicate);
		if (n->corrupt)
			plan_qdisc_percent(f, "corrupt", n->corrupt);
		/* tc makes the gap 1 itself. */
		if (n->reorder)
			plan_qdisc_percent(f, "reorder", n->reorder);
		break;
	case KS_QDISC_OTHER:
		break;
	}
}

void
plan_qdisc_command(FILE *f, const char *ns, const struct change *c)
{
	const struct ks_qdisc	*q = c->qdisc;

	fprintf(f, "tc -n %s qdisc %s dev %s ", ns, c->kind == CH_QDISC_DEL ?
	    "del" : "replace", q->dev);
	plan_qdisc_place(f, q);
	/* With the handle, a delete takes only vrfd's. */
	fprintf(f, " handle %x: %s", (unsigned)(q->handle >> 16),
	    q->kind_name);
	if (c->kind == CH_QDISC_DEL)
		return;
	fputc(' ', f);
	plan_qdisc_options(f, q);
}

void
plan_qdisc_object(FILE *f, const struct change *c)
{
	const struct ks_qdisc	*q = c->qdisc;

	fprintf(f, "qdisc %s %x: dev %s ", q->kind_name,
	    (unsigned)(q->handle >> 16), q->dev);
	plan_qdisc_place(f, q);
}

void
plan_qdisc_difference(FILE *f, const struct ks_ns *have,
    const struct ks_ns *want, const struct change *c)
{
	const struct ks_qdisc	*w = c->qdisc, *h = NULL;
	bool			 declared = false;

	plan_qdisc_object(f, c);
	if (c->kind == CH_QDISC_DEL) {
		for (size_t k = 0; k < want->n_qdiscs; k++)
			if (want->qdiscs[k].parent == TC_H_ROOT &&
			    strcmp(want->qdiscs[k].dev, w->dev) == 0)
				declared = true;
		fputs(declared ? " not as declared" : " not declared", f);
		return;
	}
	for (size_t k = 0; c->ifindex && k < have->n_qdiscs; k++)
		if (have->qdiscs[k].parent == w->parent &&
		    have->qdiscs[k].ifindex == c->ifindex)
			h = &have->qdiscs[k];
	if (h == NULL) {
		fputs(" (", f);
		plan_qdisc_options(f, w);
		fputs(") missing", f);
		return;
	}
	fputc(' ', f);
	plan_qdisc_options(f, h);
	fputs(", declared ", f);
	plan_qdisc_options(f, w);
}
