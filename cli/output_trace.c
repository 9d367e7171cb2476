/*
 * output_trace: how `vrfctl trace` and `vrfctl verify` show their typed
 * results: text for a student (one aligned line per hop), or JSON (-j).
 */
#include <arpa/inet.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include <json-c/json.h>

#include "engine/verify.h"
#include "kernel/kstate.h"
#include "kernel/rtproto.h"
#include "output_trace.h"

#define OT_COLS		6

static const char *
ot_ip(int family, const uint8_t *a, char *buf, size_t len)
{
	return inet_ntop(family, a, buf, (socklen_t)len) != NULL ? buf : "?";
}

static const char *
ot_proto_str(enum topo_probe_proto p)
{
	return p == TOPO_PROBE_UDP ? "udp" : p == TOPO_PROBE_TCP ? "tcp" :
	    "icmp";
}

/* "default", "10.1.0.0/24", "2001:db8::/64". */
static const char *
ot_prefix(int family, const struct trace_route *r, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];

	if (r->dst_len == 0)
		snprintf(buf, len, "default");
	else if (r->dst_len == (family == AF_INET ? 32 : 128))
		snprintf(buf, len, "%s", ot_ip(family, r->dst, a, sizeof(a)));
	else
		snprintf(buf, len, "%s/%u", ot_ip(family, r->dst, a, sizeof(a)),
		    r->dst_len);
	return buf;
}

/* What a namespace's multipath hash looks at, by its policy. */
static const char *
ot_hash_policy(int policy)
{
	switch (policy) {
	case 0:		return "addresses";
	case 1:		return "addresses and ports";
	case 2:		return "inner addresses";
	case 3:		return "the chosen fields";
	default:	return "?";
	}
}

/* The route as `ip route` writes it: "[TYPE ]PREFIX proto P[ metric M]". */
static char *
ot_route_text(int family, const struct trace_hop *h)
{
	char	 p[64], proto[RTPROTO_NAME_MAX], metric[32] = "", table[32] = "";
	char	*s;

	if (h->is_switch)
		return strdup("switched");
	if (!h->has_route)
		return strdup("-");
	if (h->route.metric != 0)
		snprintf(metric, sizeof(metric), " metric %u", h->route.metric);
	/* Local routes live in table local, which IPv4 merges with main
	 * when there are no rules: shown the same for both families. */
	if (h->route.type == RTN_LOCAL)
		;
	else if (h->route.table == RT_TABLE_LOCAL)
		snprintf(table, sizeof(table), " table local");
	else if (h->route.table != RT_TABLE_MAIN)
		snprintf(table, sizeof(table), " table %u", h->route.table);
	if (asprintf(&s, "%s%s%s%s proto %s%s", h->route.type == RTN_UNICAST ?
	    "" : ks_route_type_str(h->route.type), h->route.type == RTN_UNICAST ? "" :
	    " ", ot_prefix(family, &h->route, p, sizeof(p)), table,
	    rtproto_name(h->route.protocol, proto, sizeof(proto)), metric)
	    == -1)
		err(1, "asprintf");
	return s;
}

static char *
ot_nexthop_text(int family, const struct trace_nexthop *nh, bool dev)
{
	char	 a[INET6_ADDRSTRLEN], *s;

	if (asprintf(&s, "%s %s%s%s", nh->has_gw ? "via" : "on-link",
	    ot_ip(family, nh->gw, a, sizeof(a)), dev ? " dev " : "",
	    dev ? nh->dev : "") == -1)
		err(1, "asprintf");
	return s;
}

static char *
ot_neigh_text(const struct trace_hop *h)
{
	char	 mac[18], *s;

	if (!h->has_nexthop)
		return strdup("-");
	if (!h->has_neigh)
		return strdup("no entry yet");
	if (h->neigh_has_lladdr)
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		    h->neigh_lladdr[0], h->neigh_lladdr[1], h->neigh_lladdr[2],
		    h->neigh_lladdr[3], h->neigh_lladdr[4], h->neigh_lladdr[5]);
	if (asprintf(&s, "%s%s%s", h->neigh_has_lladdr ? mac : "",
	    h->neigh_has_lladdr ? " " : "", h->neigh_state) == -1)
		err(1, "asprintf");
	return s;
}

/* The first line: what was traced. */
static void
ot_trace_head(FILE *f, const char *what, const struct trace *t,
    const char *from)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	fprintf(f, "%s from %s to %s, %s", what, from,
	    ot_ip(t->family, t->dst, a, sizeof(a)), ot_proto_str(t->proto));
	if (t->proto != TOPO_PROBE_ICMP)
		fprintf(f, " port %u", t->dport);
	if (t->has_src)
		fprintf(f, ", source %s", ot_ip(t->family, t->src, b,
		    sizeof(b)));
	if (t->proto != TOPO_PROBE_ICMP && t->sport != 0)
		fprintf(f, " port %u", t->sport);
	fputc('\n', f);
}

void
output_trace_text(FILE *f, const char *what, const struct trace *t,
    const char *from, const char *indent)
{
	static const char *const head[OT_COLS] = { "hop", "node", "in",
	    "route", "nexthop", "out" };
	char		*cell[OT_COLS], *neigh, *s;
	size_t		 w[OT_COLS], i, c, k;
	char		 num[24];
	char		**cells;

	fputs(indent, f);
	ot_trace_head(f, what, t, from);
	if ((cells = calloc(t->n_hops * (OT_COLS + 1) + 1, sizeof(*cells)))
	    == NULL)
		err(1, "calloc");
	for (c = 0; c < OT_COLS; c++)
		w[c] = strlen(head[c]);
	for (i = 0; i < t->n_hops; i++) {
		const struct trace_hop *h = &t->hops[i];

		snprintf(num, sizeof(num), "%zu", i + 1);
		cell[0] = strdup(num);
		cell[1] = strdup(h->node);
		cell[2] = strdup(h->ingress[0] != '\0' ? h->ingress : "-");
		cell[3] = ot_route_text(t->family, h);
		cell[4] = h->has_nexthop ? ot_nexthop_text(t->family,
		    &h->nexthop, false) : strdup("-");
		cell[5] = strdup(h->egress[0] != '\0' ? h->egress : "-");
		for (c = 0; c < OT_COLS; c++) {
			if (cell[c] == NULL)
				err(1, "strdup");
			if (strlen(cell[c]) > w[c])
				w[c] = strlen(cell[c]);
			cells[i * (OT_COLS + 1) + c] = cell[c];
		}
		cells[i * (OT_COLS + 1) + OT_COLS] = ot_neigh_text(h);
	}
	fprintf(f, "%s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  neighbour\n",
	    indent, (int)w[0], head[0], (int)w[1], head[1], (int)w[2], head[2],
	    (int)w[3], head[3], (int)w[4], head[4], (int)w[5], head[5]);
	for (i = 0; i < t->n_hops; i++) {
		const struct trace_hop *h = &t->hops[i];

		fprintf(f, "%s  %*s", indent, (int)w[0],
		    cells[i * (OT_COLS + 1)]);
		for (c = 1; c < OT_COLS; c++)
			fprintf(f, "  %-*s", (int)w[c],
			    cells[i * (OT_COLS + 1) + c]);
		neigh = cells[i * (OT_COLS + 1) + OT_COLS];
		fprintf(f, "  %s\n", neigh);
		for (c = 0; c <= OT_COLS; c++)
			free(cells[i * (OT_COLS + 1) + c]);
		/* ECMP: every nexthop, with its weight, and this flow's. */
		for (k = 0; k < (size_t)h->n_ecmp; k++) {
			s = ot_nexthop_text(t->family, &h->ecmp[k], true);
			fprintf(f, "%s  %*s  %s %s weight %u%s\n", indent,
			    (int)(w[0] + w[1] + w[2] + w[3] + 6), "",
			    k == 0 ? "ecmp:" : "     ", s, h->ecmp[k].weight,
			    h->ecmp[k].chosen ? "  <- this flow" : "");
			free(s);
		}
		if (h->n_ecmp > 0)
			fprintf(f, "%s  %*s  hash: %s (fib_multipath_hash_policy "
			    "%d)\n", indent, (int)(w[0] + w[1] + w[2] + w[3] + 6),
			    "", ot_hash_policy(h->ecmp_hash_policy),
			    h->ecmp_hash_policy);
	}
	free(cells);
	fprintf(f, "%s%s: %s\n", indent, trace_result_str(t->result), t->why);
}

static struct json_object *
ot_jstr(const char *s)
{
	struct json_object	*o = json_object_new_string(s);

	if (o == NULL)
		err(1, "json");
	return o;
}

static void
ot_jadd(struct json_object *o, const char *key, struct json_object *v)
{
	if (v == NULL || json_object_object_add(o, key, v) != 0)
		err(1, "json");
}

/* KEY: V, or null when V is NULL. json-c's null is the NULL pointer
 * (json_object_new_null returns it), so ot_jadd cannot take it; V's
 * builder (ot_jstr...) has checked its own allocation. */
static void
ot_jadd_null(struct json_object *o, const char *key, struct json_object *v)
{
	if (json_object_object_add(o, key, v) != 0)
		err(1, "json");
}

static struct json_object *
ot_jip(int family, const uint8_t *a)
{
	char	 buf[INET6_ADDRSTRLEN];

	return ot_jstr(ot_ip(family, a, buf, sizeof(buf)));
}

static struct json_object *
ot_nexthop_json(int family, const struct trace_nexthop *nh)
{
	struct json_object	*o = json_object_new_object();

	if (o == NULL)
		err(1, "json");
	if (nh->has_gw)
		ot_jadd(o, "via", ot_jip(family, nh->gw));
	else
		ot_jadd(o, "on_link", ot_jip(family, nh->gw));
	ot_jadd(o, "dev", ot_jstr(nh->dev));
	ot_jadd(o, "weight", json_object_new_int(nh->weight));
	ot_jadd(o, "chosen", json_object_new_boolean(nh->chosen));
	return o;
}

static struct json_object *
ot_hop_json(int family, const struct trace_hop *h)
{
	struct json_object	*o = json_object_new_object(), *r, *a, *n;
	char			 p[64], proto[RTPROTO_NAME_MAX], mac[18];
	int			 k;

	if (o == NULL)
		err(1, "json");
	ot_jadd(o, "node", ot_jstr(h->node));
	ot_jadd(o, "namespace", ot_jstr(h->ns));
	ot_jadd(o, "switch", json_object_new_boolean(h->is_switch));
	ot_jadd_null(o, "ingress", h->ingress[0] != '\0' ?
	    ot_jstr(h->ingress) : NULL);
	if (h->has_route) {
		if ((r = json_object_new_object()) == NULL)
			err(1, "json");
		ot_jadd(r, "dst", ot_jstr(ot_prefix(family, &h->route, p,
		    sizeof(p))));
		ot_jadd(r, "type", ot_jstr(ks_route_type_str(h->route.type)));
		ot_jadd(r, "protocol", ot_jstr(rtproto_name(h->route.protocol,
		    proto, sizeof(proto))));
		ot_jadd(r, "metric", json_object_new_int64(h->route.metric));
		ot_jadd(r, "table", json_object_new_int64(h->route.table));
		ot_jadd(o, "route", r);
	} else
		ot_jadd_null(o, "route", NULL);
	if (h->has_nexthop)
		ot_jadd(o, "nexthop", ot_nexthop_json(family, &h->nexthop));
	else
		ot_jadd_null(o, "nexthop", NULL);
	if ((a = json_object_new_array()) == NULL)
		err(1, "json");
	for (k = 0; k < h->n_ecmp; k++)
		if (json_object_array_add(a, ot_nexthop_json(family,
		    &h->ecmp[k])) != 0)
			err(1, "json");
	ot_jadd(o, "ecmp", a);
	if (h->n_ecmp > 0)
		ot_jadd(o, "ecmp_hash_policy", json_object_new_int(
		    h->ecmp_hash_policy));
	ot_jadd_null(o, "egress", h->egress[0] != '\0' ?
	    ot_jstr(h->egress) : NULL);
	if (h->has_neigh) {
		if ((n = json_object_new_object()) == NULL)
			err(1, "json");
		ot_jadd(n, "state", ot_jstr(h->neigh_state));
		if (h->neigh_has_lladdr) {
			snprintf(mac, sizeof(mac),
			    "%02x:%02x:%02x:%02x:%02x:%02x",
			    h->neigh_lladdr[0], h->neigh_lladdr[1],
			    h->neigh_lladdr[2], h->neigh_lladdr[3],
			    h->neigh_lladdr[4], h->neigh_lladdr[5]);
			ot_jadd(n, "lladdr", ot_jstr(mac));
		}
		ot_jadd(o, "neighbour", n);
	} else
		ot_jadd_null(o, "neighbour", NULL);
	return o;
}

struct json_object *
output_trace_json(const struct trace *t)
{
	struct json_object	*o = json_object_new_object(), *hops;
	size_t			 i;

	if (o == NULL || (hops = json_object_new_array()) == NULL)
		err(1, "json");
	ot_jadd(o, "result", ot_jstr(trace_result_str(t->result)));
	ot_jadd(o, "why", ot_jstr(t->why));
	ot_jadd(o, "dst", ot_jip(t->family, t->dst));
	ot_jadd_null(o, "src", t->has_src ? ot_jip(t->family, t->src) :
	    NULL);
	ot_jadd(o, "proto", ot_jstr(ot_proto_str(t->proto)));
	if (t->proto != TOPO_PROBE_ICMP) {
		ot_jadd(o, "sport", json_object_new_int(t->sport));
		ot_jadd(o, "dport", json_object_new_int(t->dport));
	}
	for (i = 0; i < t->n_hops; i++)
		if (json_object_array_add(hops, ot_hop_json(t->family,
		    &t->hops[i])) != 0)
			err(1, "json");
	ot_jadd(o, "hops", hops);
	if (t->result == TRACE_CROSS_HOST) {
		struct json_object	*x = json_object_new_object();

		if (x == NULL)
			err(1, "json");
		ot_jadd(x, "host", ot_jstr(t->cross_host));
		ot_jadd(x, "node", ot_jstr(t->cross_node));
		ot_jadd(x, "interface", ot_jstr(t->cross_if));
		ot_jadd(x, "vni", json_object_new_int64(t->cross_vni));
		ot_jadd(o, "continues", x);
	}
	return o;
}

void
output_print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* One expectation as the user wrote it: "ce-red -> 10.99.0.53 (udp 53)". */
static void
ot_expect_text(FILE *f, const struct topo_expect *e)
{
	char	 a[INET6_ADDRSTRLEN];
	size_t	 k;

	fprintf(f, "%s %s %s", e->from, e->reach ? "->" : "-/->",
	    ot_ip(e->to.family, e->to.addr, a, sizeof(a)));
	if (e->proto != TOPO_PROBE_ICMP)
		fprintf(f, " %s %u", ot_proto_str(e->proto), e->port);
	for (k = 0; k < e->n_via; k++)
		fprintf(f, "%s%s", k == 0 ? " via " : ",",
		    e->via[k]->node_name);
}

/* A tunnel: "r2:eth1 -> host b r3:eth0 (vni 4242)". */
static void
ot_tunnel_text(FILE *f, const struct verify_tunnel *tu)
{
	const struct topo_endpoint	*me = &tu->link->ep[tu->end];
	const struct topo_endpoint	*far = &tu->link->ep[!tu->end];

	fprintf(f, "tunnel %s:%s -> host %s %s:%s (vni %u)", me->node,
	    me->ifname, tu->far_host, far->node, far->ifname, tu->link->vni);
}

void
output_verify_text(FILE *f, const char *lab, const struct verify *v)
{
	const struct verify_item	*it;
	size_t				 i;

	for (i = 0; i < v->n; i++) {
		it = &v->items[i];
		/* Another host's node: that host's verify judges it. */
		if (it->remote) {
			fprintf(f, "%-4s ", "--");
			ot_expect_text(f, it->expect);
			fprintf(f, "  (from host %s: judged there)\n",
			    it->from_host);
			continue;
		}
		fprintf(f, "%-4s ", it->holds ? "ok" : "FAIL");
		ot_expect_text(f, it->expect);
		if (it->cross)
			fprintf(f, "  (across hosts: by probe)");
		fputc('\n', f);
		if (it->holds)
			continue;
		fprintf(f, "     %s\n", it->why);
		if (it->traced) {
			output_trace_text(f, "trace", &it->request,
			    it->expect->from, "     ");
			if (it->has_reply && it->reply.result !=
			    TRACE_DELIVERED)
				output_trace_text(f, "reply",
				    &it->reply, it->request.hops[
				    it->request.n_hops - 1].node, "     ");
		}
		fprintf(f, "     probe: %s, %s\n",
		    probe_result_str(it->probe.result), it->probe.why);
	}
	for (i = 0; i < v->n_tunnels; i++) {
		const struct verify_tunnel	*tu = &v->tunnels[i];

		fprintf(f, "%-4s ", !tu->probed ? "--" : tu->holds ? "ok" :
		    "FAIL");
		ot_tunnel_text(f, tu);
		if (tu->holds)
			fprintf(f, ": reply in %.2f ms\n", tu->probe.rtt_ms);
		else
			fprintf(f, ": %s\n", tu->why);
	}
	if (v->host[0])
		fprintf(f, "lab %s on host %s: %zu of %zu expectations hold",
		    lab, v->host, v->n_held, v->n - v->n_remote);
	else
		fprintf(f, "lab %s: %zu of %zu expectations hold", lab,
		    v->n_held, v->n);
	if (v->n_remote)
		fprintf(f, ", %zu judged on other hosts", v->n_remote);
	if (v->n_tunnels_probed)
		fprintf(f, "; %zu of %zu tunnels answer", v->n_tunnels_ok,
		    v->n_tunnels_probed);
	if (v->rounds > 1)
		fprintf(f, " (after %u rounds)", v->rounds);
	fputc('\n', f);
}

/* "tunnels": [{"node", "interface", "far_host", "far", "vni",
 * "probed", "holds", "result", "rtt_ms", "why"}] */
static struct json_object *
ot_tunnels_json(const struct verify *v)
{
	struct json_object	*arr = json_object_new_array(), *o;
	char			 far[128];

	if (arr == NULL)
		err(1, "json");
	for (size_t i = 0; i < v->n_tunnels; i++) {
		const struct verify_tunnel	*tu = &v->tunnels[i];
		const struct topo_endpoint	*me = &tu->link->ep[tu->end];
		const struct topo_endpoint	*fe = &tu->link->ep[!tu->end];

		if ((o = json_object_new_object()) == NULL)
			err(1, "json");
		snprintf(far, sizeof(far), "%s:%s", fe->node, fe->ifname);
		ot_jadd(o, "node", ot_jstr(me->node));
		ot_jadd(o, "interface", ot_jstr(me->ifname));
		ot_jadd(o, "far_host", ot_jstr(tu->far_host));
		ot_jadd(o, "far", ot_jstr(far));
		ot_jadd(o, "vni", json_object_new_int64(tu->link->vni));
		ot_jadd(o, "probed", json_object_new_boolean(tu->probed));
		ot_jadd(o, "holds", json_object_new_boolean(tu->holds));
		ot_jadd_null(o, "result", tu->probed ? ot_jstr(
		    probe_result_str(tu->probe.result)) : NULL);
		ot_jadd(o, "rtt_ms", json_object_new_double(tu->probe.rtt_ms));
		ot_jadd_null(o, "why", tu->holds ? NULL : ot_jstr(tu->why));
		if (json_object_array_add(arr, o) != 0)
			err(1, "json");
	}
	return arr;
}

struct json_object *
output_verify_json(const char *lab, const struct verify *v)
{
	const struct verify_item	*it;
	struct json_object		*o, *res, *r, *p, *via;
	char				 a[INET6_ADDRSTRLEN];
	size_t				 i, k;

	if ((o = json_object_new_object()) == NULL ||
	    (res = json_object_new_array()) == NULL)
		err(1, "json");
	ot_jadd(o, "lab", ot_jstr(lab));
	for (i = 0; i < v->n; i++) {
		it = &v->items[i];
		if ((r = json_object_new_object()) == NULL ||
		    (p = json_object_new_object()) == NULL ||
		    (via = json_object_new_array()) == NULL)
			err(1, "json");
		ot_jadd(r, "from", ot_jstr(it->expect->from));
		ot_jadd(r, "to", ot_jip(it->expect->to.family,
		    it->expect->to.addr));
		ot_jadd(r, "reach", json_object_new_boolean(it->expect->reach));
		ot_jadd(r, "proto", ot_jstr(ot_proto_str(it->expect->proto)));
		if (it->expect->proto != TOPO_PROBE_ICMP)
			ot_jadd(r, "port", json_object_new_int(
			    it->expect->port));
		for (k = 0; k < it->expect->n_via; k++)
			if (json_object_array_add(via, ot_jstr(
			    it->expect->via[k]->node_name)) != 0)
				err(1, "json");
		ot_jadd(r, "via", via);
		if (v->host[0]) {
			ot_jadd_null(r, "from_host", it->remote ?
			    ot_jstr(it->from_host) : NULL);
			ot_jadd(r, "across_hosts",
			    json_object_new_boolean(it->cross));
		}
		ot_jadd(r, "holds", json_object_new_boolean(it->holds));
		ot_jadd_null(r, "why", it->holds ? NULL : ot_jstr(it->why));
		ot_jadd_null(r, "trace", it->traced ?
		    output_trace_json(&it->request) : NULL);
		ot_jadd_null(r, "reply_trace", it->has_reply ?
		    output_trace_json(&it->reply) : NULL);
		ot_jadd(p, "result", ot_jstr(probe_result_str(
		    it->probe.result)));
		ot_jadd(p, "reached", json_object_new_boolean(
		    it->probe.reached));
		ot_jadd(p, "why", ot_jstr(it->probe.why));
		ot_jadd_null(p, "from", it->probe.from.family != 0 ?
		    ot_jstr(ot_ip(it->probe.from.family, it->probe.from.addr,
		    a, sizeof(a))) : NULL);
		ot_jadd(p, "rtt_ms", json_object_new_double(it->probe.rtt_ms));
		if (it->remote) {
			/* not sent here */
			json_object_put(p);
			p = NULL;
		}
		ot_jadd_null(r, "probe", p);
		if (json_object_array_add(res, r) != 0)
			err(1, "json");
	}
	ot_jadd(o, "results", res);
	ot_jadd(o, "held", json_object_new_int64((int64_t)v->n_held));
	ot_jadd(o, "failed", json_object_new_int64((int64_t)(v->n -
	    v->n_held - v->n_remote)));
	if (v->host[0]) {
		ot_jadd(o, "host", ot_jstr(v->host));
		ot_jadd(o, "elsewhere", json_object_new_int64(
		    (int64_t)v->n_remote));
		ot_jadd(o, "tunnels", ot_tunnels_json(v));
	}
	ot_jadd(o, "rounds", json_object_new_int64(v->rounds));
	return o;
}
