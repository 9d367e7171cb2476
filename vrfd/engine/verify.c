/*
 * verify: expectations judged by trace and probe (see verify.h). Probes
 * are opened first so that a UDP or TCP trace uses the very source port
 * the probe's packets carry: with an L4 multipath hash the port picks the
 * nexthop, and the trace must follow the packet that was really sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"
#include "verify_priv.h"

static void
verify_why(struct verify_item *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
verify_why(struct verify_item *it, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(it->why, sizeof(it->why), fmt, ap);
	va_end(ap);
}

/* Does the request's path pass the `via` nodes, in order? A path that
 * leaves this host is seen up to there: the nodes of `via` left are
 * another host's to pass. */
static bool
verify_via(const struct verify_item *it)
{
	const struct topo_expect	*e = it->expect;
	size_t				 k = 0, h;

	for (h = 0; h < it->request.n_hops && k < e->n_via; h++)
		if (strcmp(it->request.hops[h].node,
		    e->via[k]->node_name) == 0)
			k++;
	return k == e->n_via || (it->cross && e->via[k]->remote);
}

static void
verify_trace(const struct topo *t, struct verify_item *it)
{
	const struct topo_expect	*e = it->expect;
	struct trace_req		 req, rev;

	memset(&req, 0, sizeof(req));
	req.topo = t;
	req.node = e->from_ns->node_name;
	req.dst = e->to;
	req.proto = e->proto;
	req.dport = e->port;
	/* The probe's own source, address and port, where it has them. */
	if (it->probe.src.family == e->to.family)
		req.src = it->probe.src;
	req.sport = it->probe.sport;
	it->traced = trace_run(&req, &it->request) == 0;
	if (it->traced && trace_reply_req(&it->request, t, &rev)) {
		it->has_reply = true;
		if (trace_run(&rev, &it->reply) < 0)
			it->reply.result = TRACE_ERROR;
	}
	it->trace_reached = it->traced &&
	    it->request.result == TRACE_DELIVERED &&
	    it->has_reply && it->reply.result == TRACE_DELIVERED;
	it->cross = it->traced && (it->request.result == TRACE_CROSS_HOST ||
	    (it->has_reply && it->reply.result == TRACE_CROSS_HOST));
}

/* A path that leaves this host: the probe says whether it arrives and
 * comes back; the trace, only how it leaves. */
static void
verify_judge_cross(struct verify_item *it)
{
	const struct topo_expect	*e = it->expect;
	const struct trace		*tr = it->request.result ==
					    TRACE_CROSS_HOST ? &it->request :
					    &it->reply;

	if (it->probe.reached != e->reach) {
		if (e->reach)
			verify_why(it, "the probe got %s (%s); the %s leaves "
			    "this host for host %s at %s", probe_result_str(
			    it->probe.result), it->probe.why, tr ==
			    &it->request ? "request" : "reply",
			    tr->cross_host, tr->n_hops ?
			    tr->hops[tr->n_hops - 1].node : "?");
		else
			verify_why(it, "reachable, and must not be: the probe "
			    "got %s", probe_result_str(it->probe.result));
		return;
	}
	if (!it->via_ok) {
		verify_why(it, "arrives, but not through every node of "
		    "'via', in order");
		return;
	}
	it->holds = true;
}

/* The hop where a trace stopped, for the reason: "at pe1/red (hop 2)". */
static const char *
verify_where(const struct trace *tr, char *buf, size_t len)
{
	if (tr->n_hops == 0)
		snprintf(buf, len, "before the first hop");
	else
		snprintf(buf, len, "at %s (hop %zu)",
		    tr->hops[tr->n_hops - 1].node, tr->n_hops);
	return buf;
}

static void
verify_judge(struct verify_item *it)
{
	const struct topo_expect	*e = it->expect;
	char				 w[128];

	it->via_ok = !e->reach || e->n_via == 0 || verify_via(it);
	if (!it->traced) {
		verify_why(it, "cannot trace: %s", it->request.why);
		return;
	}
	if (it->cross) {
		verify_judge_cross(it);
		return;
	}
	if (it->trace_reached != it->probe.reached) {
		verify_why(it, "trace and probe disagree: the trace says %s, "
		    "the probe got %s (%s); something the trace cannot see, "
		    "such as a firewall rule, is in the way",
		    it->trace_reached ? "it arrives and the reply returns" :
		    trace_result_str(it->has_reply &&
		    it->request.result == TRACE_DELIVERED ?
		    it->reply.result : it->request.result),
		    probe_result_str(it->probe.result), it->probe.why);
		return;
	}
	if (it->trace_reached != e->reach) {
		if (e->reach && it->request.result != TRACE_DELIVERED)
			verify_why(it, "%s %s: %s",
			    trace_result_str(it->request.result),
			    verify_where(&it->request, w, sizeof(w)),
			    it->request.why);
		else if (e->reach)
			verify_why(it, "the request arrives but the reply "
			    "does not return: %s %s: %s",
			    trace_result_str(it->reply.result),
			    verify_where(&it->reply, w, sizeof(w)),
			    it->reply.why);
		else
			verify_why(it, "reachable, and must not be: "
			    "delivered %s", verify_where(&it->request, w,
			    sizeof(w)));
		return;
	}
	if (!it->via_ok) {
		verify_why(it, "arrives, but not through every node of "
		    "'via', in order");
		return;
	}
	it->holds = true;
}

int
verify_run(const struct topo *t, unsigned probe_ms, struct verify *v)
{
	struct verify_item	*it;
	struct probe		*ps;
	size_t			 i, n;
	int			 rv;

	memset(v, 0, sizeof(*v));
	if (t->here >= 0)
		snprintf(v->host, sizeof(v->host), "%s",
		    t->hosts[t->here].name);
	if ((rv = verify_tunnels(t, v)) < 0)
		return rv;
	n = t->n_expects + v->n_tunnels;
	if ((v->items = calloc(t->n_expects + 1, sizeof(*v->items))) == NULL ||
	    (ps = calloc(n + 1, sizeof(*ps))) == NULL) {
		verify_free(v);
		return -ENOMEM;
	}
	v->n = t->n_expects;
	for (i = 0; i < v->n; i++) {
		it = &v->items[i];
		it->expect = &t->expects[i];
		/* Another host's node: its verify judges it. */
		if ((it->remote = it->expect->from_ns->remote)) {
			snprintf(it->from_host, sizeof(it->from_host), "%s",
			    t->hosts[it->expect->from_ns->host].name);
			ps[i].fd = -1;
			ps[i].done = true;
			v->n_remote++;
			continue;
		}
		snprintf(ps[i].ns, sizeof(ps[i].ns), "%s",
		    it->expect->from_ns->name);
		ps[i].dst = it->expect->to;
		ps[i].proto = it->expect->proto;
		ps[i].dport = it->expect->port;
		(void)probe_open(&ps[i]);
	}
	for (i = 0; i < v->n_tunnels; i++) {
		ps[v->n + i] = v->tunnels[i].probe;
		if (v->tunnels[i].probed)
			(void)probe_open(&ps[v->n + i]);
		else {
			ps[v->n + i].fd = -1;
			ps[v->n + i].done = true;
		}
	}
	for (i = 0; i < v->n; i++) {
		if (v->items[i].remote)
			continue;
		v->items[i].probe = ps[i];
		verify_trace(t, &v->items[i]);
	}
	probe_run(ps, n, probe_ms);
	for (i = 0; i < n; i++)
		probe_close(&ps[i]);
	for (i = 0; i < v->n; i++) {
		if (v->items[i].remote)
			continue;
		v->items[i].probe = ps[i];
		verify_judge(&v->items[i]);
		v->n_held += v->items[i].holds;
	}
	for (i = 0; i < v->n_tunnels; i++) {
		struct verify_tunnel	*tu = &v->tunnels[i];

		if (!tu->probed)
			continue;
		tu->probe = ps[v->n + i];
		if ((tu->holds = tu->probe.result == PROBE_REPLY))
			v->n_tunnels_ok++;
		else
			snprintf(tu->why, sizeof(tu->why), "%s: %s",
			    probe_result_str(tu->probe.result),
			    tu->probe.why);
	}
	free(ps);
	return 0;
}

bool
verify_ok(const struct verify *v)
{
	return v->n_held + v->n_remote == v->n &&
	    v->n_tunnels_ok == v->n_tunnels_probed;
}

void
verify_free(struct verify *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++) {
		trace_free(&v->items[i].request);
		trace_free(&v->items[i].reply);
	}
	free(v->items);
	free(v->tunnels);
	memset(v, 0, sizeof(*v));
}
