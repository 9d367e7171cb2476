/*
 * proto_check: what the wire-format tests share (proto_check.h): a
 * document sent through its text as on the socket, lookups that say
 * "missing" rather than crash, and sample documents with every field set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "proto_check.h"
#include "proto/json_strict.h"

/* DOC (taken) as the peer reads it: printed, checked for names given
 * twice, parsed again. */
struct json_object *
wire(struct json_object *doc)
{
	const char		*text;
	struct json_object	*back;

	if (doc == NULL)
		return NULL;
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	/* Not a check of one test: the ground all of them stand on. */
	if (json_has_dup_key(text, strlen(text)) != 0 ||
	    (back = json_tokener_parse(text)) == NULL) {
		printf("  wire: not strict JSON, or a name twice: %s\n", text);
		abort();
	}
	json_object_put(doc);
	return back;
}

struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

bool
has(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

const char *
str(struct json_object *o, const char *key)
{
	struct json_object	*v = member(o, key);

	return json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

long long
num(struct json_object *o, const char *key)
{
	struct json_object	*v = member(o, key);

	return json_object_is_type(v, json_type_int) ?
	    (long long)json_object_get_int64(v) : -999;
}

/* -1: missing or not a boolean. */
int
boolean(struct json_object *o, const char *key)
{
	struct json_object	*v = member(o, key);

	return json_object_is_type(v, json_type_boolean) ?
	    json_object_get_boolean(v) : -1;
}

struct json_object *
idx(struct json_object *arr, size_t i)
{
	if (!json_object_is_type(arr, json_type_array) ||
	    i >= json_object_array_length(arr))
		return NULL;
	return json_object_array_get_idx(arr, i);
}

long long
alen(struct json_object *arr)
{
	return json_object_is_type(arr, json_type_array) ?
	    (long long)json_object_array_length(arr) : -1;
}

char *
xstrdup(const char *s)
{
	char	*p = strdup(s);

	if (p == NULL)
		abort();
	return p;
}

void
change_set(struct report_change *c, size_t ns, enum report_op op,
    const char *object, const char *command, int err, bool conflict,
    const char *error)
{
	c->ns = ns;
	c->op = op;
	c->object = xstrdup(object);
	c->command = xstrdup(command);
	c->err = err;
	c->conflict = conflict;
	c->error = error ? xstrdup(error) : NULL;
}

/* Two namespaces, three changes: one made, one failed, one conflict. */
struct report *
report_sample(void)
{
	struct report		*r = calloc(1, sizeof(*r));
	struct report_ns	*rn;
	struct report_object	*o;

	if (r == NULL)
		abort();
	snprintf(r->lab, sizeof(r->lab), "demo");
	r->action = REPORT_APPLY;
	r->err = -EIO;
	r->error = xstrdup("1 namespace could not be read");
	r->changes = 3;
	r->failed = 2;
	r->converged = false;
	r->recalled = 1;		/* not sent */

	rn = report_ns_add(r);
	snprintf(rn->name, sizeof(rn->name), "demo-r1");
	snprintf(rn->node, sizeof(rn->node), "r1");
	rn->state = REPORT_NS_CHANGED;
	rn->changes = 2;
	rn->failed = 1;
	o = report_object_add(&rn->foreign, &rn->n_foreign);
	snprintf(o->kind, sizeof(o->kind), "route");
	snprintf(o->what, sizeof(o->what), "10.42.0.0/16 proto 42 metric 0");
	o = report_object_add(&rn->foreign, &rn->n_foreign);
	snprintf(o->kind, sizeof(o->kind), "address");
	snprintf(o->what, sizeof(o->what), "192.0.2.1/32 dev lo");

	rn = report_ns_add(r);
	snprintf(rn->name, sizeof(rn->name), "demo-pe1-red");
	snprintf(rn->node, sizeof(rn->node), "pe1/red");
	rn->state = REPORT_NS_DELETED;
	rn->changes = 1;
	rn->failed = 1;
	rn->error = xstrdup("held open by 1 process");
	rn->held = true;
	rn->procs = calloc(2, sizeof(*rn->procs));
	if (rn->procs == NULL)
		abort();
	rn->n_procs = 2;
	rn->procs[0].pid = 1234;
	snprintf(rn->procs[0].comm, sizeof(rn->procs[0].comm), "sleep");
	rn->procs[0].inside = true;
	rn->procs[0].killed = true;
	rn->procs[1].pid = 77;
	snprintf(rn->procs[1].comm, sizeof(rn->procs[1].comm), "bash");

	change_set(report_change_add(r), 0, REPORT_OP_ADD,
	    "route 10.8.0.0/16 metric 0",
	    "ip -n demo-r1 route add 10.8.0.0/16 via 10.0.0.254 proto 118",
	    0, false, NULL);
	change_set(report_change_add(r), 1, REPORT_OP_DELETE, "link eth0",
	    "ip -n demo-pe1-red link del eth0", -EBUSY, false,
	    "Device or resource busy");
	change_set(report_change_add(r), 0, REPORT_OP_REPLACE,
	    "address 10.0.0.1/24 dev eth0",
	    "ip -n demo-r1 address replace 10.0.0.1/24 dev eth0 proto 118",
	    -EEXIST, true, "an address not vrfd's is in the way");
	return r;
}

struct status *
status_sample(void)
{
	struct status		*s = calloc(1, sizeof(*s));
	struct status_lab	*sl;
	struct status_ns	*sn;
	struct report_object	*o;

	if (s == NULL)
		abort();
	/* found from the kernel's marks alone: no topology, no daemon */
	sl = status_lab_add(s);
	snprintf(sl->lab, sizeof(sl->lab), "demo");
	sl->topology = NULL;
	sl->converged = false;
	sn = status_ns_add(sl);
	snprintf(sn->name, sizeof(sn->name), "demo-r1");
	snprintf(sn->node, sizeof(sn->node), "r1");
	sn->exists = true;
	sn->declared = false;
	sn->known = false;
	o = report_object_add(&sn->foreign, &sn->n_foreign);
	snprintf(o->kind, sizeof(o->kind), "link");
	snprintf(o->what, sizeof(o->what), "dummy0");

	/* kept by the daemon */
	sl = status_lab_add(s);
	snprintf(sl->lab, sizeof(sl->lab), "vrfs");
	sl->topology = xstrdup("lab: vrfs\nrouters: {pe1: {}}\n");
	sl->converged = true;
	sl->has_daemon = true;
	sl->kept = true;
	sn = status_ns_add(sl);
	snprintf(sn->name, sizeof(sn->name), "vrfs-pe1-red");
	snprintf(sn->node, sizeof(sn->node), "pe1/red");
	sn->exists = true;
	sn->declared = true;
	sn->known = true;
	sn->differences = 3;
	sn->diffs = calloc(2, sizeof(*sn->diffs));
	if (sn->diffs == NULL)
		abort();
	sn->diffs[0] = xstrdup("route 10.8.0.0/16 metric 0 via 10.0.0.254 "
	    "missing");
	sn->diffs[1] = xstrdup("link eth1 down, declared up");
	sn->n_diffs = 2;
	sn->diffs_more = 1;
	sn->conflict = true;
	sn->error = xstrdup("its name is someone else's");
	sn->ghost_pids = calloc(2, sizeof(pid_t));
	if (sn->ghost_pids == NULL)
		abort();
	sn->ghost_pids[0] = 4242;
	sn->ghost_pids[1] = 4343;
	sn->n_ghost_pids = 2;
	sn->has_daemon = true;
	sn->watched = true;
	sn->drift_time = T0 + 0.25;
	snprintf(sn->drift_what, sizeof(sn->drift_what),
	    "route 10.8.0.0/16 deleted");
	sn->repairs = 4;
	sn->backoff_ms = 600;
	sn = status_ns_add(sl);
	snprintf(sn->name, sizeof(sn->name), "vrfs-pe1");
	snprintf(sn->node, sizeof(sn->node), "pe1");
	sn->exists = true;
	sn->declared = true;
	sn->known = true;
	sn->differences = 0;
	sn->has_daemon = true;
	sn->watched = false;
	return s;
}

void
event_sample(struct event *ev, enum event_type type)
{
	memset(ev, 0, sizeof(*ev));
	ev->time = T0 + 0.75;
	snprintf(ev->lab, sizeof(ev->lab), "demo");
	snprintf(ev->ns, sizeof(ev->ns), "demo-pe1-red");
	snprintf(ev->node, sizeof(ev->node), "pe1/red");
	ev->type = type;
	snprintf(ev->what, sizeof(ev->what), "route 10.8.0.0/16 deleted");
	ev->src = (enum event_src)(type % 3);
	ev->changes = 2;
	ev->failed = 1;
	ev->plan = calloc(2, sizeof(*ev->plan));
	if (ev->plan == NULL)
		abort();
	ev->n_plan = 2;
	change_set(&ev->plan[0], 0, REPORT_OP_ADD, "route 10.8.0.0/16 metric 0",
	    "ip -n demo-pe1-red route add 10.8.0.0/16 dev eth1 proto 118", 0,
	    false, NULL);
	change_set(&ev->plan[1], 0, REPORT_OP_ADD, "route 10.9.0.0/16 metric 0",
	    "ip -n demo-pe1-red route add 10.9.0.0/16 dev eth1 proto 118",
	    -EEXIST, true, "a route not vrfd's is in the way");
	ev->repair_ms = 12.3456;
	ev->has_events = type != EVENT_RESYNC;
	ev->events = ev->has_events ? 7 : 0;
	ev->error = type == EVENT_DRIFT ? xstrdup("1 change failed") : NULL;
	ev->repairs = 5;
	ev->backoff_ms = 1200;
}
