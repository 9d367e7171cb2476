/*
 * test_report_json: the wire format's typed documents (reports, statuses,
 * times, events, progress and diagnostics: proto/report_json.c, event.c). vrfd and vrfctl are built from one tree but may run
 * different builds: every field must come back as it went, under the
 * member names report_json.h documents, and a request must mean to vrfd
 * what it meant to whoever wrote it.
 *
 * Documents go through their text, as on the socket: encode, print,
 * parse, decode.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "proto_check.h"
#include "engine/engine.h"
#include "engine/report.h"
#include "proto/ctl_msg.h"
#include "proto/ctl_proto.h"
#include "proto/event.h"
#include "proto/json_strict.h"
#include "proto/report_json.h"
#include "topo/diag.h"

/* ---- reports ----------------------------------------------------------- */

static void
test_report_roundtrip(void)
{
	struct report		*in = report_sample(), *out;
	struct json_object	*doc = wire(report_to_json(in));

	CHECK(doc != NULL);
	out = report_from_json(doc);
	CHECK(out != NULL);
	if (out == NULL)
		goto done;
	CHECK_STREQ(out->lab, "demo");
	CHECK_INTEQ(out->action, REPORT_APPLY);
	CHECK_INTEQ(out->changes, 3);
	CHECK_INTEQ(out->failed, 2);
	CHECK(!out->converged);
	CHECK_STREQ(out->error, "1 namespace could not be read");
	CHECK_INTEQ(out->err, -EIO);
	CHECK_INTEQ(out->recalled, 0);

	CHECK_INTEQ(out->n_ns, 2);
	if (out->n_ns == 2) {
		const struct report_ns	*a = &out->ns[0], *b = &out->ns[1];

		CHECK_STREQ(a->name, "demo-r1");
		CHECK_STREQ(a->node, "r1");
		CHECK_INTEQ(a->state, REPORT_NS_CHANGED);
		CHECK_INTEQ(a->changes, 2);
		CHECK_INTEQ(a->failed, 1);
		CHECK(a->error == NULL);
		CHECK_INTEQ(a->n_procs, 0);
		CHECK(!a->held);
		CHECK_INTEQ(a->n_foreign, 2);
		if (a->n_foreign == 2) {
			CHECK_STREQ(a->foreign[0].kind, "route");
			CHECK_STREQ(a->foreign[0].what,
			    "10.42.0.0/16 proto 42 metric 0");
			CHECK_STREQ(a->foreign[1].kind, "address");
			CHECK_STREQ(a->foreign[1].what, "192.0.2.1/32 dev lo");
		}
		CHECK_STREQ(b->name, "demo-pe1-red");
		CHECK_STREQ(b->node, "pe1/red");
		CHECK_INTEQ(b->state, REPORT_NS_DELETED);
		CHECK_INTEQ(b->changes, 1);
		CHECK_INTEQ(b->failed, 1);
		CHECK_STREQ(b->error, "held open by 1 process");
		CHECK(b->held);
		CHECK_INTEQ(b->n_foreign, 0);
		CHECK_INTEQ(b->n_procs, 2);
		if (b->n_procs == 2) {
			CHECK_INTEQ(b->procs[0].pid, 1234);
			CHECK_STREQ(b->procs[0].comm, "sleep");
			CHECK(b->procs[0].inside);
			CHECK(b->procs[0].killed);
			CHECK_INTEQ(b->procs[1].pid, 77);
			CHECK_STREQ(b->procs[1].comm, "bash");
			CHECK(!b->procs[1].inside);
			CHECK(!b->procs[1].killed);
		}
	}

	/* "plan" is read first, then "errors" */
	CHECK_INTEQ(out->n_list, 3);
	if (out->n_list == 3) {
		const struct report_change *c = out->list;

		CHECK_INTEQ(c[0].ns, 0);
		CHECK_INTEQ(c[0].op, REPORT_OP_ADD);
		CHECK_STREQ(c[0].object, "route 10.8.0.0/16 metric 0");
		CHECK_STREQ(c[0].command, "ip -n demo-r1 route add "
		    "10.8.0.0/16 via 10.0.0.254 proto 118");
		CHECK_INTEQ(c[0].err, 0);
		CHECK(!c[0].conflict);
		CHECK(c[0].error == NULL);
		/* the errno is not sent, only that it failed */
		CHECK_INTEQ(c[1].ns, 1);
		CHECK_INTEQ(c[1].op, REPORT_OP_DELETE);
		CHECK_STREQ(c[1].object, "link eth0");
		CHECK_STREQ(c[1].command, "ip -n demo-pe1-red link del eth0");
		CHECK_INTEQ(c[1].err, -EIO);
		CHECK(!c[1].conflict);
		CHECK_STREQ(c[1].error, "Device or resource busy");
		CHECK_INTEQ(c[2].ns, 0);
		CHECK_INTEQ(c[2].op, REPORT_OP_REPLACE);
		CHECK_STREQ(c[2].object, "address 10.0.0.1/24 dev eth0");
		CHECK_INTEQ(c[2].err, -EEXIST);
		CHECK(c[2].conflict);
		CHECK_STREQ(c[2].error, "an address not vrfd's is in the way");
	}
 done:
	report_free(out);
	json_object_put(doc);
	report_free(in);
}

/* The member names are an interface: vrfctl -j users read them. */
static void
test_report_shape(void)
{
	struct report		*in = report_sample();
	struct json_object	*doc = wire(report_to_json(in));
	struct json_object	*nss, *n0, *n1, *plan, *errs, *p;

	CHECK_STREQ(str(doc, "lab"), "demo");
	CHECK_STREQ(str(doc, "action"), "apply");
	CHECK_INTEQ(num(doc, "changes"), 3);
	CHECK_INTEQ(num(doc, "failed"), 2);
	CHECK_INTEQ(boolean(doc, "converged"), 0);
	CHECK_STREQ(str(doc, "error"), "1 namespace could not be read");
	nss = member(doc, "namespaces");
	CHECK_INTEQ(alen(nss), 2);
	n0 = idx(nss, 0);
	n1 = idx(nss, 1);
	CHECK_STREQ(str(n0, "namespace"), "demo-r1");
	CHECK_STREQ(str(n0, "node"), "r1");
	CHECK_STREQ(str(n0, "state"), "changed");
	CHECK_INTEQ(num(n0, "changes"), 2);
	CHECK_INTEQ(num(n0, "failed"), 1);
	CHECK_INTEQ(alen(member(n0, "foreign")), 2);
	CHECK_STREQ(str(idx(member(n0, "foreign"), 0), "kind"), "route");
	CHECK_STREQ(str(idx(member(n0, "foreign"), 1), "what"),
	    "192.0.2.1/32 dev lo");
	/* optional members are left out, not null */
	CHECK(!has(n0, "error"));
	CHECK(!has(n0, "processes"));
	CHECK(!has(n0, "held"));
	CHECK_STREQ(str(n1, "state"), "deleted");
	CHECK_STREQ(str(n1, "error"), "held open by 1 process");
	CHECK_INTEQ(boolean(n1, "held"), 1);
	CHECK_INTEQ(alen(member(n1, "foreign")), 0);
	p = idx(member(n1, "processes"), 0);
	CHECK_INTEQ(alen(member(n1, "processes")), 2);
	CHECK_INTEQ(num(p, "pid"), 1234);
	CHECK_STREQ(str(p, "comm"), "sleep");
	CHECK_INTEQ(boolean(p, "ended"), 1);
	CHECK_INTEQ(boolean(p, "killed"), 1);
	CHECK_INTEQ(boolean(idx(member(n1, "processes"), 1), "ended"), 0);

	/* failed and conflicting changes are in "errors", others in "plan" */
	plan = member(doc, "plan");
	errs = member(doc, "errors");
	CHECK_INTEQ(alen(plan), 1);
	CHECK_INTEQ(alen(errs), 2);
	p = idx(plan, 0);
	CHECK_STREQ(str(p, "namespace"), "demo-r1");
	CHECK_STREQ(str(p, "node"), "r1");
	CHECK_STREQ(str(p, "op"), "add");
	CHECK_STREQ(str(p, "object"), "route 10.8.0.0/16 metric 0");
	CHECK(str(p, "command") != NULL);
	CHECK(!has(p, "error"));
	CHECK(!has(p, "conflict"));
	p = idx(errs, 0);
	CHECK_STREQ(str(p, "namespace"), "demo-pe1-red");
	CHECK_STREQ(str(p, "node"), "pe1/red");
	CHECK_STREQ(str(p, "op"), "delete");
	CHECK_STREQ(str(p, "error"), "Device or resource busy");
	CHECK(!has(p, "conflict"));
	p = idx(errs, 1);
	CHECK_STREQ(str(p, "op"), "replace");
	CHECK_INTEQ(boolean(p, "conflict"), 1);
	json_object_put(doc);
	report_free(in);

	/* a converged pass: empty lists, still there; no "error" */
	in = calloc(1, sizeof(*in));
	if (in == NULL)
		abort();
	snprintf(in->lab, sizeof(in->lab), "demo");
	in->action = REPORT_DESTROY;
	in->converged = true;
	doc = wire(report_to_json(in));
	CHECK_STREQ(str(doc, "action"), "destroy");
	CHECK_INTEQ(boolean(doc, "converged"), 1);
	CHECK_INTEQ(alen(member(doc, "namespaces")), 0);
	CHECK_INTEQ(alen(member(doc, "plan")), 0);
	CHECK_INTEQ(alen(member(doc, "errors")), 0);
	CHECK(!has(doc, "error"));
	json_object_put(doc);
	report_free(in);
}

/* RN of R, named NAME (node NODE), in STATE and nothing more. */
static struct report_ns *
plain_ns(struct report *r, const char *name, const char *node,
    enum report_ns_state state)
{
	struct report_ns	*rn = report_ns_add(r);

	if (rn == NULL)
		abort();
	snprintf(rn->name, sizeof(rn->name), "%s", name);
	snprintf(rn->node, sizeof(rn->node), "%s", node);
	rn->state = state;
	return rn;
}

/* A plain namespace (nothing but its state to say) is [namespace, node,
 * state] on the socket, in its place; vrfctl -j still prints an object. */
static void
test_report_wire_plain(void)
{
	struct report		*in = calloc(1, sizeof(*in)), *out;
	struct report_change	*c;
	struct json_object	*doc, *nss, *t;

	if (in == NULL)
		abort();
	snprintf(in->lab, sizeof(in->lab), "demo");
	in->action = REPORT_APPLY;
	in->changes = 1;
	plain_ns(in, "demo-r1", "r1", REPORT_NS_UNCHANGED);
	plain_ns(in, "demo-r2", "r2", REPORT_NS_CHANGED)->changes = 1;
	plain_ns(in, "demo-pe1-red", "pe1/red", REPORT_NS_CREATED);
	plain_ns(in, "demo-r3", "r3", REPORT_NS_UNCHANGED)->held = true;
	/* the change of a namespace after a plain one keeps its index */
	if ((c = report_change_add(in)) == NULL)
		abort();
	c->ns = 1;
	c->op = REPORT_OP_ADD;
	c->object = xstrdup("link eth9");
	c->command = xstrdup("ip -n demo-r2 link add eth9 type veth");

	doc = wire(report_to_wire(in));
	nss = member(doc, "namespaces");
	CHECK_INTEQ(alen(nss), 4);
	t = idx(nss, 0);
	CHECK(json_object_is_type(t, json_type_array));
	CHECK_INTEQ(alen(t), 3);
	CHECK_STREQ(json_object_get_string(idx(t, 0)), "demo-r1");
	CHECK_STREQ(json_object_get_string(idx(t, 1)), "r1");
	CHECK_STREQ(json_object_get_string(idx(t, 2)), "unchanged");
	CHECK(json_object_is_type(idx(nss, 1), json_type_object));
	t = idx(nss, 2);
	CHECK(json_object_is_type(t, json_type_array));
	CHECK_STREQ(json_object_get_string(idx(t, 1)), "pe1/red");
	CHECK_STREQ(json_object_get_string(idx(t, 2)), "created");
	/* held says more than its state */
	CHECK(json_object_is_type(idx(nss, 3), json_type_object));

	out = report_from_json(doc);
	CHECK(out != NULL);
	if (out != NULL) {
		CHECK_INTEQ(out->n_ns, 4);
		CHECK_STREQ(out->ns[0].name, "demo-r1");
		CHECK_STREQ(out->ns[0].node, "r1");
		CHECK_INTEQ(out->ns[0].state, REPORT_NS_UNCHANGED);
		CHECK_STREQ(out->ns[1].name, "demo-r2");
		CHECK_INTEQ(out->ns[1].changes, 1);
		CHECK_STREQ(out->ns[2].name, "demo-pe1-red");
		CHECK_STREQ(out->ns[2].node, "pe1/red");
		CHECK_INTEQ(out->ns[2].state, REPORT_NS_CREATED);
		CHECK(out->ns[3].held);
		CHECK_INTEQ(out->n_list, 1);
		if (out->n_list == 1)
			CHECK_INTEQ(out->list[0].ns, 1);
	}
	report_free(out);
	json_object_put(doc);

	/* vrfctl -j: every namespace an object, the plain ones too */
	doc = wire(report_to_json(in));
	nss = member(doc, "namespaces");
	CHECK_INTEQ(alen(nss), 4);
	for (size_t i = 0; i < 4; i++)
		CHECK(json_object_is_type(idx(nss, i), json_type_object));
	CHECK_STREQ(str(idx(nss, 0), "namespace"), "demo-r1");
	CHECK_STREQ(str(idx(nss, 0), "state"), "unchanged");
	CHECK_INTEQ(num(idx(nss, 0), "changes"), 0);
	CHECK_INTEQ(alen(member(idx(nss, 0), "foreign")), 0);
	json_object_put(doc);
	report_free(in);
}

static void
test_report_not_one(void)
{
	struct json_object	*o;

	o = json_tokener_parse("[1]");
	errno = 0;
	CHECK(report_from_json(o) == NULL);
	CHECK_INTEQ(errno, EBADMSG);
	json_object_put(o);
	/* a status is no report, and a report no status */
	o = json_tokener_parse("{\"labs\":[]}");
	errno = 0;
	CHECK(report_from_json(o) == NULL);
	CHECK_INTEQ(errno, EBADMSG);
	json_object_put(o);
	o = json_tokener_parse("{\"lab\":\"demo\",\"namespaces\":[]}");
	errno = 0;
	CHECK(status_from_json(o) == NULL);
	CHECK_INTEQ(errno, EBADMSG);
	json_object_put(o);
}

/* ---- statuses and times -------------------------------------------------- */

static void
test_status_roundtrip(void)
{
	struct status		*in = status_sample(), *out;
	struct json_object	*doc = wire(status_to_json(in));
	const struct status_ns	*sn;

	CHECK(doc != NULL);
	out = status_from_json(doc);
	CHECK(out != NULL);
	if (out == NULL)
		goto done;
	CHECK_INTEQ(out->n_labs, 2);
	if (out->n_labs != 2)
		goto done;
	CHECK_STREQ(out->labs[0].lab, "demo");
	CHECK(out->labs[0].topology == NULL);
	CHECK(!out->labs[0].converged);
	CHECK(!out->labs[0].has_daemon);
	CHECK(!out->labs[0].kept);
	CHECK_INTEQ(out->labs[0].n_ns, 1);
	if (out->labs[0].n_ns == 1) {
		sn = &out->labs[0].ns[0];
		CHECK_STREQ(sn->name, "demo-r1");
		CHECK_STREQ(sn->node, "r1");
		CHECK(sn->exists);
		CHECK(!sn->declared);
		CHECK(!sn->known);
		CHECK_INTEQ(sn->differences, 0);
		CHECK(!sn->conflict);
		CHECK(sn->error == NULL);
		CHECK_INTEQ(sn->n_ghost_pids, 0);
		CHECK(!sn->has_daemon);
		CHECK_INTEQ(sn->n_foreign, 1);
		CHECK_STREQ(sn->n_foreign ? sn->foreign[0].kind : NULL, "link");
		CHECK_STREQ(sn->n_foreign ? sn->foreign[0].what : NULL,
		    "dummy0");
	}
	CHECK_STREQ(out->labs[1].lab, "vrfs");
	CHECK_STREQ(out->labs[1].topology, "lab: vrfs\nrouters: {pe1: {}}\n");
	CHECK(out->labs[1].converged);
	CHECK(out->labs[1].has_daemon);
	CHECK(out->labs[1].kept);
	CHECK_INTEQ(out->labs[1].n_ns, 2);
	if (out->labs[1].n_ns == 2) {
		sn = &out->labs[1].ns[0];
		CHECK_STREQ(sn->name, "vrfs-pe1-red");
		CHECK_STREQ(sn->node, "pe1/red");
		CHECK(sn->exists);
		CHECK(sn->declared);
		CHECK(sn->known);
		CHECK_INTEQ(sn->differences, 3);
		CHECK_INTEQ(sn->n_diffs, 2);
		CHECK_STREQ(sn->n_diffs == 2 ? sn->diffs[0] : NULL,
		    "route 10.8.0.0/16 metric 0 via 10.0.0.254 missing");
		CHECK_STREQ(sn->n_diffs == 2 ? sn->diffs[1] : NULL,
		    "link eth1 down, declared up");
		CHECK_INTEQ(sn->diffs_more, 1);
		CHECK(sn->conflict);
		CHECK_STREQ(sn->error, "its name is someone else's");
		CHECK_INTEQ(sn->n_foreign, 0);
		CHECK_INTEQ(sn->n_ghost_pids, 2);
		CHECK_INTEQ(sn->n_ghost_pids == 2 ? sn->ghost_pids[0] : 0,
		    4242);
		CHECK_INTEQ(sn->n_ghost_pids == 2 ? sn->ghost_pids[1] : 0,
		    4343);
		CHECK(sn->has_daemon);
		CHECK(sn->watched);
		CHECK(sn->drift_time == T0 + 0.25);
		CHECK_STREQ(sn->drift_what, "route 10.8.0.0/16 deleted");
		CHECK_INTEQ(sn->repairs, 4);
		CHECK_INTEQ(sn->backoff_ms, 600);
		sn = &out->labs[1].ns[1];
		CHECK_STREQ(sn->name, "vrfs-pe1");
		CHECK(sn->known);
		CHECK_INTEQ(sn->differences, 0);
		CHECK_INTEQ(sn->n_diffs, 0);
		CHECK_INTEQ(sn->diffs_more, 0);
		CHECK(sn->has_daemon);
		CHECK(!sn->watched);
		CHECK(sn->drift_time == 0);
		CHECK_STREQ(sn->drift_what, "");
		CHECK_INTEQ(sn->repairs, 0);
		CHECK_INTEQ(sn->backoff_ms, 0);
	}
 done:
	status_free(out);
	json_object_put(doc);
	status_free(in);
}

/* vrfctl link set's overrides: listed where there are some, there and
 * back; no member where there are none. */
static void
test_status_overrides(void)
{
	struct status		*in = calloc(1, sizeof(*in)), *out;
	struct status_lab	*sl;
	struct status_ns	*sn;
	struct status_override	*so;
	struct json_object	*doc, *n, *ov;

	if (in == NULL || (sl = status_lab_add(in)) == NULL ||
	    status_ns_add(sl) == NULL || status_ns_add(sl) == NULL)
		abort();
	sn = &sl->ns[0];
	snprintf(sl->lab, sizeof(sl->lab), "demo");
	snprintf(sn->name, sizeof(sn->name), "demo-r1");
	if ((so = status_override_add(sn)) == NULL)
		abort();
	snprintf(so->ifname, sizeof(so->ifname), "eth1");
	so->down = true;
	if ((so = status_override_add(sn)) == NULL)
		abort();
	snprintf(so->ifname, sizeof(so->ifname), "eth2");
	doc = wire(status_to_json(in));
	CHECK(doc != NULL);
	n = idx(member(idx(member(doc, "labs"), 0), "namespaces"), 0);
	ov = member(n, "overrides");
	CHECK_INTEQ(alen(ov), 2);
	CHECK_STREQ(str(idx(ov, 0), "interface"), "eth1");
	CHECK_STREQ(str(idx(ov, 0), "state"), "down");
	CHECK_STREQ(str(idx(ov, 1), "interface"), "eth2");
	CHECK_STREQ(str(idx(ov, 1), "state"), "up");
	n = idx(member(idx(member(doc, "labs"), 0), "namespaces"), 1);
	CHECK(!has(n, "overrides"));
	out = status_from_json(doc);
	CHECK(out != NULL && out->n_labs == 1 && out->labs[0].n_ns == 2);
	if (out != NULL && out->n_labs == 1 && out->labs[0].n_ns == 2) {
		sn = &out->labs[0].ns[0];
		CHECK_INTEQ(sn->n_overrides, 2);
		CHECK_STREQ(sn->n_overrides == 2 ? sn->overrides[0].ifname :
		    NULL, "eth1");
		CHECK(sn->n_overrides == 2 && sn->overrides[0].down);
		CHECK(sn->n_overrides == 2 && !sn->overrides[1].down);
		CHECK_INTEQ(out->labs[0].ns[1].n_overrides, 0);
	}
	status_free(out);
	json_object_put(doc);
	status_free(in);
}

static void
test_status_shape(void)
{
	struct status		*in = status_sample();
	struct json_object	*doc = wire(status_to_json(in));
	struct json_object	*l0, *l1, *n, *ld;

	CHECK_INTEQ(alen(member(doc, "labs")), 2);
	l0 = idx(member(doc, "labs"), 0);
	l1 = idx(member(doc, "labs"), 1);
	/* no topology: null, there */
	CHECK(has(l0, "topology") && member(l0, "topology") == NULL);
	CHECK(!has(l0, "kept"));
	n = idx(member(l0, "namespaces"), 0);
	CHECK_STREQ(str(n, "namespace"), "demo-r1");
	CHECK_INTEQ(boolean(n, "exists"), 1);
	CHECK_INTEQ(boolean(n, "declared"), 0);
	/* unknown differences: null, not 0 */
	CHECK(has(n, "differences") && member(n, "differences") == NULL);
	CHECK(!has(n, "difference_list"));
	CHECK(!has(n, "differences_unlisted"));
	CHECK_INTEQ(num(n, "foreign"), 1);
	CHECK_STREQ(str(idx(member(n, "foreign_objects"), 0), "kind"), "link");
	CHECK(!has(n, "watched"));
	CHECK(!has(n, "last_drift"));
	CHECK(!has(n, "repairs"));
	CHECK(!has(n, "ghost_pids"));
	CHECK(!has(n, "conflict"));

	CHECK_STREQ(str(l1, "topology"), "lab: vrfs\nrouters: {pe1: {}}\n");
	CHECK_INTEQ(boolean(l1, "kept"), 1);
	CHECK_INTEQ(boolean(l1, "converged"), 1);
	n = idx(member(l1, "namespaces"), 0);
	CHECK_INTEQ(num(n, "differences"), 3);
	CHECK_INTEQ(alen(member(n, "difference_list")), 2);
	CHECK_STREQ(json_object_get_string(idx(member(n, "difference_list"),
	    1)), "link eth1 down, declared up");
	CHECK_INTEQ(num(n, "differences_unlisted"), 1);
	CHECK_INTEQ(num(n, "foreign"), 0);
	CHECK_INTEQ(boolean(n, "conflict"), 1);
	CHECK_STREQ(str(n, "error"), "its name is someone else's");
	CHECK_INTEQ(alen(member(n, "ghost_pids")), 2);
	CHECK_INTEQ(json_object_get_int64(idx(member(n, "ghost_pids"), 1)),
	    4343);
	CHECK_INTEQ(boolean(n, "watched"), 1);
	ld = member(n, "last_drift");
	CHECK_STREQ(str(ld, "time"), "2024-05-01T12:00:01.250Z");
	CHECK_STREQ(str(ld, "what"), "route 10.8.0.0/16 deleted");
	CHECK_INTEQ(num(n, "repairs"), 4);
	CHECK_INTEQ(num(n, "backoff_ms"), 600);
	/* watched, no drift seen: null */
	n = idx(member(l1, "namespaces"), 1);
	CHECK_INTEQ(boolean(n, "watched"), 0);
	CHECK(has(n, "last_drift") && member(n, "last_drift") == NULL);
	CHECK_INTEQ(num(n, "repairs"), 0);
	CHECK_INTEQ(num(n, "differences"), 0);
	/* known, none: an empty list, no count of others */
	CHECK_INTEQ(alen(member(n, "difference_list")), 0);
	CHECK(!has(n, "differences_unlisted"));
	json_object_put(doc);
	status_free(in);

	/* no labs at all */
	in = calloc(1, sizeof(*in));
	if (in == NULL)
		abort();
	doc = wire(status_to_json(in));
	CHECK_INTEQ(alen(member(doc, "labs")), 0);
	status_free(in);
	in = status_from_json(doc);
	CHECK(in != NULL && in->n_labs == 0);
	status_free(in);
	json_object_put(doc);
}

/* However many differences a peer lists, a status read holds at most
 * STATUS_DIFFS_MAX of them, and counts the others. */
static void
test_status_diffs_bounded(void)
{
	struct json_object	*doc, *ns, *list;
	struct status		*s;
	char			 buf[64];

	doc = json_tokener_parse("{\"labs\": [{\"lab\": \"big\", "
	    "\"topology\": null, \"converged\": false, \"namespaces\": "
	    "[{\"namespace\": \"big-r1\", \"node\": \"r1\", "
	    "\"differences\": 75, \"differences_unlisted\": 5}]}]}");
	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	ns = idx(member(idx(member(doc, "labs"), 0), "namespaces"), 0);
	list = json_object_new_array();
	for (int k = 0; k < STATUS_DIFFS_MAX + 20; k++) {
		snprintf(buf, sizeof(buf), "route 10.%d.0.0/16 metric 0 missing",
		    k);
		json_object_array_add(list, json_object_new_string(buf));
	}
	json_object_object_add(ns, "difference_list", list);
	s = status_from_json(doc);
	CHECK(s != NULL && s->n_labs == 1 && s->labs[0].n_ns == 1);
	if (s && s->n_labs == 1 && s->labs[0].n_ns == 1) {
		const struct status_ns *sn = &s->labs[0].ns[0];

		CHECK_INTEQ(sn->differences, 75);
		CHECK_INTEQ(sn->n_diffs, STATUS_DIFFS_MAX);
		CHECK_STREQ(sn->diffs[STATUS_DIFFS_MAX - 1],
		    "route 10.49.0.0/16 metric 0 missing");
		CHECK_INTEQ(sn->diffs_more, 25);
	}
	status_free(s);
	json_object_put(doc);
}

/* A time comes back to the millisecond it was sent with. */
static void
test_time(void)
{
	struct json_object	*o;
	int			 bad = 0, first = -1;

	o = time_to_json(T0);
	CHECK_STREQ(json_object_get_string(o), "2024-05-01T12:00:01.000Z");
	CHECK(time_from_json(o) == T0);
	json_object_put(o);
	o = time_to_json(T0 + 0.5);
	CHECK_STREQ(json_object_get_string(o), "2024-05-01T12:00:01.500Z");
	CHECK(time_from_json(o) == T0 + 0.5);
	json_object_put(o);
	/* .123 is not exact in binary: 0.12299990654 */
	o = time_to_json(T0 + 0.123);
	CHECK_STREQ(json_object_get_string(o), "2024-05-01T12:00:01.123Z");
	CHECK(fabs(time_from_json(o) - (T0 + 0.123)) < 0.0005);
	json_object_put(o);

	for (int ms = 0; ms < 1000; ms++) {
		double	 t = T0 + ms / 1000.0, back;

		o = time_to_json(t);
		back = time_from_json(o);
		if (fabs(back - t) >= 0.0005) {
			bad++;
			if (first < 0)
				first = ms;
		}
		json_object_put(o);
	}
	if (bad)
		printf("  %d of 1000 milliseconds come back wrong, the "
		    "first .%03d\n", bad, first);
	CHECK_INTEQ(bad, 0);

	/* what is no time: 0 */
	o = json_object_new_string("yesterday");
	CHECK(time_from_json(o) == 0);
	json_object_put(o);
	o = json_object_new_int(5);
	CHECK(time_from_json(o) == 0);
	json_object_put(o);
	CHECK(time_from_json(NULL) == 0);
}

/* ---- events ------------------------------------------------------------ */

static void
test_event_roundtrip(void)
{
	static const char *const types[] = { "repair", "resync", "drift",
	    "backoff" };
	static const char *const srcs[] = { "netlink", "inotify", "resync" };

	for (int t = EVENT_REPAIR; t <= EVENT_BACKOFF; t++) {
		struct event		 in, out;
		struct json_object	*doc;

		event_sample(&in, (enum event_type)t);
		doc = wire(event_to_json(&in));
		CHECK(doc != NULL);
		/* the words on the wire */
		CHECK_STREQ(event_type_name((enum event_type)t), types[t]);
		CHECK_STREQ(str(doc, "event"), types[t]);
		CHECK_STREQ(str(doc, "noticed_by"), srcs[t % 3]);
		CHECK_STREQ(str(doc, "time"), "2024-05-01T12:00:01.750Z");
		CHECK_STREQ(str(doc, "namespace"), "demo-pe1-red");
		CHECK_INTEQ(alen(member(doc, "plan")), 2);
		CHECK_STREQ(str(idx(member(doc, "plan"), 1), "namespace"),
		    "demo-pe1-red");
		CHECK_STREQ(str(idx(member(doc, "plan"), 1), "node"),
		    "pe1/red");
		CHECK_STREQ(json_object_get_string(member(doc, "repair_ms")),
		    "12.346");
		CHECK(has(doc, "events") == (t != EVENT_RESYNC));
		CHECK(has(doc, "error") == (t == EVENT_DRIFT));
		CHECK(has(doc, "backoff_ms") == (t == EVENT_BACKOFF));

		CHECK_INTEQ(event_from_json(doc, &out), 0);
		CHECK(out.time == T0 + 0.75);
		CHECK_STREQ(out.lab, "demo");
		CHECK_STREQ(out.ns, "demo-pe1-red");
		CHECK_STREQ(out.node, "pe1/red");
		CHECK_INTEQ(out.type, t);
		CHECK_STREQ(out.what, "route 10.8.0.0/16 deleted");
		CHECK_INTEQ(out.src, t % 3);
		CHECK_INTEQ(out.changes, 2);
		CHECK_INTEQ(out.failed, 1);
		CHECK(fabs(out.repair_ms - 12.346) < 1e-9);
		CHECK(out.has_events == (t != EVENT_RESYNC));
		CHECK_INTEQ(out.events, t != EVENT_RESYNC ? 7 : 0);
		if (t == EVENT_DRIFT)
			CHECK_STREQ(out.error, "1 change failed");
		else
			CHECK(out.error == NULL);
		/* repairs and backoff are a backoff's only */
		CHECK_INTEQ(out.repairs, t == EVENT_BACKOFF ? 5 : 0);
		CHECK_INTEQ(out.backoff_ms, t == EVENT_BACKOFF ? 1200 : 0);
		CHECK_INTEQ(out.n_plan, 2);
		if (out.n_plan == 2) {
			CHECK_INTEQ(out.plan[0].ns, 0);
			CHECK_INTEQ(out.plan[0].op, REPORT_OP_ADD);
			CHECK_STREQ(out.plan[0].object,
			    "route 10.8.0.0/16 metric 0");
			CHECK_STREQ(out.plan[0].command, "ip -n demo-pe1-red "
			    "route add 10.8.0.0/16 dev eth1 proto 118");
			CHECK_INTEQ(out.plan[0].err, 0);
			CHECK(out.plan[0].error == NULL);
			CHECK_INTEQ(out.plan[1].err, -EEXIST);
			CHECK(out.plan[1].conflict);
			CHECK_STREQ(out.plan[1].error,
			    "a route not vrfd's is in the way");
		}
		event_clear(&out);
		CHECK(out.plan == NULL && out.n_plan == 0 && out.error == NULL);
		event_clear(&in);
		json_object_put(doc);
	}
	CHECK_STREQ(event_src_name(EVENT_SRC_INOTIFY), "inotify");
	CHECK_STREQ(event_type_name((enum event_type)99), "?");
}

static void
test_event_not_one(void)
{
	static const char *const docs[] = {
		"{\"lab\":\"demo\",\"action\":\"apply\"}",	/* a report */
		"{\"event\":\"repair\"}",			/* no lab */
		"{\"event\":5,\"lab\":\"demo\"}",
		"[\"event\",\"lab\"]",
		"{\"progress\":{}}",
	};
	struct event	 ev;

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct json_object *o = json_tokener_parse(docs[i]);

		CHECK(o != NULL);
		CHECK_INTEQ(event_from_json(o, &ev), -EBADMSG);
		CHECK(ev.plan == NULL && ev.error == NULL);
		json_object_put(o);
	}
	CHECK_INTEQ(event_from_json(NULL, &ev), -EBADMSG);
}

/* ---- progress and diagnostics ------------------------------------------ */

static void
test_progress(void)
{
	struct engine_progress	 in = { .done = { 1, 2, 3 },
	    .total = { 4, 5, 6 } }, out;
	struct json_object	*doc = wire(progress_to_json(&in));

	CHECK_INTEQ(alen(member(doc, "namespaces")), 2);
	CHECK_INTEQ(json_object_get_int64(idx(member(doc, "namespaces"), 0)),
	    1);
	CHECK_INTEQ(json_object_get_int64(idx(member(doc, "namespaces"), 1)),
	    4);
	CHECK_INTEQ(json_object_get_int64(idx(member(doc, "links"), 1)), 5);
	CHECK_INTEQ(json_object_get_int64(idx(member(doc, "objects"), 0)), 3);
	CHECK(progress_from_json(doc, &out));
	for (int k = 0; k < 3; k++) {
		CHECK_INTEQ(out.done[k], in.done[k]);
		CHECK_INTEQ(out.total[k], in.total[k]);
	}
	/* not an object: not progress */
	CHECK(!progress_from_json(member(doc, "links"), &out));
	json_object_put(doc);

	/* as the socket carries it */
	doc = wire(ctl_progress_encode(&in));
	CHECK(has(doc, "progress"));
	memset(&out, 0xff, sizeof(out));
	CHECK(ctl_progress_decode(doc, &out));
	CHECK_INTEQ(out.done[ENGINE_PROG_NS], 1);
	CHECK_INTEQ(out.total[ENGINE_PROG_NS], 4);
	CHECK_INTEQ(out.done[ENGINE_PROG_LINKS], 2);
	CHECK_INTEQ(out.total[ENGINE_PROG_LINKS], 5);
	CHECK_INTEQ(out.done[ENGINE_PROG_OBJECTS], 3);
	CHECK_INTEQ(out.total[ENGINE_PROG_OBJECTS], 6);
	json_object_put(doc);
	/* the reply that follows progress is no progress */
	doc = json_tokener_parse("{\"ok\":true,\"report\":{}}");
	CHECK(!ctl_progress_decode(doc, &out));
	json_object_put(doc);
}

static void
test_diags(void)
{
	struct diag_list	 in = { 0 }, out = { 0 };
	struct json_object	*doc, *bad;

	diag_add(&in, DIAG_WARNING, "lab.yaml", 12, 3,
	    "routers.r1.routes[0].via", "gateway %s is on no link",
	    "10.9.9.9");
	diag_add(&in, DIAG_ERROR, "lab.yaml", 4, 7, "links[1]",
	    "unknown node 'r9'");
	doc = wire(diags_to_json(&in));
	/* in file order */
	CHECK_INTEQ(alen(doc), 2);
	CHECK_STREQ(str(idx(doc, 0), "level"), "error");
	CHECK_INTEQ(num(idx(doc, 0), "line"), 4);
	CHECK_INTEQ(num(idx(doc, 0), "col"), 7);
	CHECK_STREQ(str(idx(doc, 1), "message"), "gateway 10.9.9.9 is on no link");
	diags_from_json(doc, &out);
	CHECK_INTEQ(out.n, 2);
	CHECK_INTEQ(out.n_errors, 1);
	CHECK_INTEQ(out.n_warnings, 1);
	if (out.n == 2) {
		CHECK_INTEQ(out.v[0].level, DIAG_ERROR);
		CHECK_STREQ(out.v[0].file, "lab.yaml");
		CHECK_INTEQ(out.v[0].line, 4);
		CHECK_INTEQ(out.v[0].col, 7);
		CHECK_STREQ(out.v[0].path, "links[1]");
		CHECK_STREQ(out.v[0].msg, "unknown node 'r9'");
		CHECK_INTEQ(out.v[1].level, DIAG_WARNING);
		CHECK_INTEQ(out.v[1].line, 12);
		CHECK_INTEQ(out.v[1].col, 3);
		CHECK_STREQ(out.v[1].path, "routers.r1.routes[0].via");
		CHECK_STREQ(out.v[1].msg, "gateway 10.9.9.9 is on no link");
	}
	/* malformed entries are skipped, a non-array is nothing */
	bad = json_tokener_parse("[{\"file\":\"x\"},5,{\"file\":\"f\","
	    "\"line\":1,\"col\":2,\"level\":\"warning\",\"path\":\"\","
	    "\"message\":\"m\"}]");
	diags_from_json(bad, &out);
	CHECK_INTEQ(out.n, 3);
	CHECK_STREQ(out.n == 3 ? out.v[2].msg : NULL, "m");
	diags_from_json(member(idx(bad, 0), "file"), &out);
	CHECK_INTEQ(out.n, 3);
	json_object_put(bad);
	json_object_put(doc);
	diag_list_free(&out);
	diag_list_free(&in);

	/* none: an empty array */
	doc = wire(diags_to_json(&in));
	CHECK_INTEQ(alen(doc), 0);
	json_object_put(doc);
}

int
main(void)
{
	RUN(test_report_roundtrip);
	RUN(test_report_shape);
	RUN(test_report_wire_plain);
	RUN(test_report_not_one);
	RUN(test_status_roundtrip);
	RUN(test_status_shape);
	RUN(test_status_overrides);
	RUN(test_status_diffs_bounded);
	RUN(test_time);
	RUN(test_event_roundtrip);
	RUN(test_event_not_one);
	RUN(test_progress);
	RUN(test_diags);
	return CHECK_DONE();
}
