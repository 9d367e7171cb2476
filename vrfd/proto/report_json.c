/*
 * report_json: reports, statuses, progress and diagnostics as JSON, and
 * back (the shapes are in report_json.h).
 *
 * Building a document checks every allocation: a member json-c could not
 * make would otherwise be written as null, and a null "changes" reads as
 * zero: an encoder that runs out of memory gives no document at all.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "jsonget.h"
#include "report_json.h"
#include "topo/diag.h"

/* ---- building ----------------------------------------------------- */

/* A document being built; NOMEM once anything could not be made. */
struct jb {
	bool	 nomem;
};

static struct json_object *
jb_obj(struct jb *b)
{
	struct json_object	*o = json_object_new_object();

	b->nomem |= o == NULL;
	return o;
}

static struct json_object *
jb_arr(struct jb *b)
{
	struct json_object	*o = json_object_new_array();

	b->nomem |= o == NULL;
	return o;
}

/* KEY: V (taken) in O; null only when NULLABLE says so. */
static void
jb_put(struct jb *b, struct json_object *o, const char *key,
    struct json_object *v)
{
	if (o == NULL) {
		b->nomem = true;
		json_object_put(v);
	} else if (!jsonput(o, key, v))
		b->nomem = true;
}

static void
jb_null(struct jb *b, struct json_object *o, const char *key)
{
	if (o == NULL || json_object_object_add(o, key, NULL) != 0)
		b->nomem = true;
}

static void
jb_str(struct jb *b, struct json_object *o, const char *key, const char *s)
{
	jb_put(b, o, key, json_object_new_string(s ? s : ""));
}

static void
jb_int(struct jb *b, struct json_object *o, const char *key, int64_t v)
{
	jb_put(b, o, key, json_object_new_int64(v));
}

static void
jb_bool(struct jb *b, struct json_object *o, const char *key, bool v)
{
	jb_put(b, o, key, json_object_new_boolean(v));
}

static void
jb_push(struct jb *b, struct json_object *arr, struct json_object *v)
{
	if (arr == NULL || v == NULL) {
		b->nomem = true;
		json_object_put(v);
		return;
	}
	if (json_object_array_add(arr, v) != 0) {
		json_object_put(v);
		b->nomem = true;
	}
}

/* The document, or NULL (ENOMEM) if any of it could not be made. */
static struct json_object *
jb_done(struct jb *b, struct json_object *doc)
{
	if (!b->nomem)
		return doc;
	json_object_put(doc);
	errno = ENOMEM;
	return NULL;
}

/* ---- reading ------------------------------------------------------ */

static struct json_object *
jr_get(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static size_t
jr_size(struct json_object *o, const char *key)
{
	int64_t	 v = jsonget_int(o, key);

	return v > 0 ? (size_t)v : 0;
}

static void
jr_copy(char *dst, size_t len, struct json_object *o, const char *key)
{
	const char	*s = jsonget_str(o, key);

	snprintf(dst, len, "%s", s ? s : "");
}

/* A string member, allocated; NULL when absent. -ENOMEM on failure. */
static int
jr_dup(struct json_object *o, const char *key, char **out)
{
	const char	*s = jsonget_str(o, key);

	*out = NULL;
	if (s && (*out = strdup(s)) == NULL)
		return -ENOMEM;
	return 0;
}

/* ---- objects, changes, processes ------------------------------------ */

static struct json_object *
objects_to_json(struct jb *b, const struct report_object *v, size_t n)
{
	struct json_object	*arr = jb_arr(b);

	for (size_t k = 0; k < n; k++) {
		struct json_object *o = jb_obj(b);

		jb_str(b, o, "kind", v[k].kind);
		jb_str(b, o, "what", v[k].what);
		jb_push(b, arr, o);
	}
	return arr;
}

static int
objects_from_json(struct json_object *arr, struct report_object **v,
    size_t *n)
{
	for (size_t k = 0; arr && k < json_object_array_length(arr); k++) {
		struct json_object	*o = json_object_array_get_idx(arr, k);
		struct report_object	*ro;

		if ((ro = report_object_add(v, n)) == NULL)
			return -ENOMEM;
		jr_copy(ro->kind, sizeof(ro->kind), o, "kind");
		jr_copy(ro->what, sizeof(ro->what), o, "what");
	}
	return 0;
}

static struct json_object *
strings_json(struct jb *b, char *const *v, size_t n)
{
	struct json_object	*arr = jb_arr(b);

	for (size_t k = 0; k < n; k++)
		jb_push(b, arr, json_object_new_string(v[k]));
	return arr;
}

/* An array of strings, the first MAX of them (*MORE: how many more);
 * what is not a string is skipped. */
static int
strings_from_json(struct json_object *arr, size_t max, char ***v,
    size_t *n, size_t *more)
{
	size_t	 len = arr ? json_object_array_length(arr) : 0;

	*v = NULL;
	*n = 0;
	if (more)
		*more = len > max ? len - max : 0;
	if (len > max)
		len = max;
	if (len == 0)
		return 0;
	if ((*v = calloc(len, sizeof(**v))) == NULL)
		return -ENOMEM;
	for (size_t k = 0; k < len; k++) {
		struct json_object	*s = json_object_array_get_idx(arr, k);

		if (!json_object_is_type(s, json_type_string))
			continue;
		if (((*v)[*n] = strdup(json_object_get_string(s))) == NULL)
			return -ENOMEM;
		(*n)++;
	}
	return 0;
}

static struct json_object *
change_json(struct jb *b, const struct report_change *c, const char *ns,
    const char *node)
{
	struct json_object	*o = jb_obj(b);

	jb_str(b, o, "namespace", ns);
	jb_str(b, o, "node", node);
	jb_str(b, o, "op", report_op_name(c->op));
	jb_str(b, o, "object", c->object);
	jb_str(b, o, "command", c->command);
	if (c->error)
		jb_str(b, o, "error", c->error);
	if (c->conflict)
		jb_bool(b, o, "conflict", true);
	return o;
}

struct json_object *
change_to_json(const struct report_change *c, const char *ns,
    const char *node)
{
	struct jb	 b = { 0 };

	return jb_done(&b, change_json(&b, c, ns, node));
}

int
change_from_json(struct json_object *o, struct report_change *c, char *ns,
    char *node)
{
	int	 rv;

	memset(c, 0, sizeof(*c));
	jr_copy(ns, KS_NSNAME_MAX, o, "namespace");
	jr_copy(node, REPORT_NODE_MAX, o, "node");
	(void)report_op_from(jsonget_str(o, "op"), &c->op);
	c->conflict = jsonget_bool(o, "conflict");
	if ((rv = jr_dup(o, "object", &c->object)) < 0 ||
	    (rv = jr_dup(o, "command", &c->command)) < 0 ||
	    (rv = jr_dup(o, "error", &c->error)) < 0)
		return rv;
	/* The errno is not sent: only that it failed, and why in words. */
	if (c->error)
		c->err = c->conflict ? -EEXIST : -EIO;
	return 0;
}

static struct json_object *
procs_json(struct jb *b, const struct report_proc *v, size_t n)
{
	struct json_object	*arr = jb_arr(b);

	for (size_t k = 0; k < n; k++) {
		struct json_object *o = jb_obj(b);

		jb_int(b, o, "pid", v[k].pid);
		jb_str(b, o, "comm", v[k].comm);
		jb_bool(b, o, "ended", v[k].inside);
		jb_bool(b, o, "killed", v[k].killed);
		jb_push(b, arr, o);
	}
	return arr;
}

static int
procs_from_json(struct json_object *arr, struct report_ns *rn)
{
	size_t	 n = arr ? json_object_array_length(arr) : 0;

	if (n == 0)
		return 0;
	if ((rn->procs = calloc(n, sizeof(*rn->procs))) == NULL)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		struct json_object	*o = json_object_array_get_idx(arr, k);
		struct report_proc	*p = &rn->procs[rn->n_procs++];

		p->pid = (pid_t)jsonget_int(o, "pid");
		jr_copy(p->comm, sizeof(p->comm), o, "comm");
		p->inside = jsonget_bool(o, "ended");
		p->killed = jsonget_bool(o, "killed");
	}
	return 0;
}

/* ---- reports --------------------------------------------------------- */

/* RN says no more than its name, node and state. */
static bool
report_ns_plain(const struct report_ns *rn)
{
	return rn->changes == 0 && rn->failed == 0 && rn->n_foreign == 0 &&
	    rn->error == NULL && rn->n_procs == 0 && !rn->held;
}

/* [namespace, node, state]: a plain namespace on the wire. */
static struct json_object *
report_ns_triple(struct jb *b, const struct report_ns *rn)
{
	struct json_object	*a = jb_arr(b);

	jb_push(b, a, json_object_new_string(rn->name));
	jb_push(b, a, json_object_new_string(rn->node));
	jb_push(b, a, json_object_new_string(report_ns_state_name(rn->state)));
	return a;
}

static struct json_object *
report_json(const struct report *r, bool wire)
{
	struct jb		 b = { 0 };
	struct json_object	*root = jb_obj(&b), *nss = jb_arr(&b);
	struct json_object	*plan = jb_arr(&b), *errors = jb_arr(&b);

	for (size_t i = 0; i < r->n_ns; i++) {
		const struct report_ns	*rn = &r->ns[i];
		struct json_object	*o;

		if (wire && report_ns_plain(rn)) {
			jb_push(&b, nss, report_ns_triple(&b, rn));
			continue;
		}
		o = jb_obj(&b);
		jb_str(&b, o, "namespace", rn->name);
		jb_str(&b, o, "node", rn->node);
		jb_str(&b, o, "state", report_ns_state_name(rn->state));
		jb_int(&b, o, "changes", (int64_t)rn->changes);
		jb_int(&b, o, "failed", (int64_t)rn->failed);
		jb_put(&b, o, "foreign", objects_to_json(&b, rn->foreign,
		    rn->n_foreign));
		if (rn->error)
			jb_str(&b, o, "error", rn->error);
		if (rn->n_procs)
			jb_put(&b, o, "processes", procs_json(&b, rn->procs,
			    rn->n_procs));
		if (rn->held)
			jb_bool(&b, o, "held", true);
		jb_push(&b, nss, o);
	}
	for (size_t k = 0; k < r->n_list; k++) {
		const struct report_change *c = &r->list[k];
		const struct report_ns	   *rn = c->ns < r->n_ns ?
		    &r->ns[c->ns] : NULL;

		jb_push(&b, c->err ? errors : plan, change_json(&b, c,
		    rn ? rn->name : "", rn ? rn->node : ""));
	}
	jb_str(&b, root, "lab", r->lab);
	if (r->host[0]) {
		jb_str(&b, root, "host", r->host);
		jb_str(&b, root, "underlay", r->underlay);
	}
	jb_str(&b, root, "action", report_action_name(r->action));
	jb_int(&b, root, "changes", (int64_t)r->changes);
	jb_int(&b, root, "failed", (int64_t)r->failed);
	jb_bool(&b, root, "converged", r->converged);
	if (r->error)
		jb_str(&b, root, "error", r->error);
	jb_put(&b, root, "namespaces", nss);
	jb_put(&b, root, "plan", plan);
	jb_put(&b, root, "errors", errors);
	return jb_done(&b, root);
}

struct json_object *
report_to_json(const struct report *r)
{
	return report_json(r, false);
}

struct json_object *
report_to_wire(const struct report *r)
{
	return report_json(r, true);
}

/* The index in R of the namespace NAME, or R->n_ns. A plan lists the
 * changes of one namespace together: AT, the last one found, first. */
static size_t
report_ns_index(const struct report *r, const char *name, size_t *at)
{
	if (*at < r->n_ns && strcmp(r->ns[*at].name, name) == 0)
		return *at;
	for (size_t i = 0; i < r->n_ns; i++)
		if (strcmp(r->ns[i].name, name) == 0)
			return *at = i;
	return r->n_ns;
}

static int
report_changes_from_json(struct report *r, struct json_object *arr)
{
	char	 ns[KS_NSNAME_MAX], node[REPORT_NODE_MAX];
	size_t	 at = 0;
	int	 rv;

	for (size_t k = 0; arr && k < json_object_array_length(arr); k++) {
		struct report_change	*c;

		if ((c = report_change_add(r)) == NULL)
			return -ENOMEM;
		if ((rv = change_from_json(json_object_array_get_idx(arr, k),
		    c, ns, node)) < 0)
			return rv;
		c->ns = report_ns_index(r, ns, &at);
	}
	return 0;
}

/* A plain namespace, as report_ns_triple gives it. */
static void
report_ns_from_triple(struct report_ns *rn, struct json_object *a)
{
	const char	*s;

	if ((s = json_object_get_string(json_object_array_get_idx(a, 0))))
		snprintf(rn->name, sizeof(rn->name), "%s", s);
	if ((s = json_object_get_string(json_object_array_get_idx(a, 1))))
		snprintf(rn->node, sizeof(rn->node), "%s", s);
	(void)report_ns_state_from(json_object_get_string(
	    json_object_array_get_idx(a, 2)), &rn->state);
}

static int
report_ns_from_json(struct report *r, struct json_object *o)
{
	struct report_ns	*rn;
	int			 rv;

	if ((rn = report_ns_add(r)) == NULL)
		return -ENOMEM;
	if (json_object_is_type(o, json_type_array)) {
		report_ns_from_triple(rn, o);
		return 0;
	}
	jr_copy(rn->name, sizeof(rn->name), o, "namespace");
	jr_copy(rn->node, sizeof(rn->node), o, "node");
	(void)report_ns_state_from(jsonget_str(o, "state"), &rn->state);
	rn->changes = jr_size(o, "changes");
	rn->failed = jr_size(o, "failed");
	rn->held = jsonget_bool(o, "held");
	if ((rv = objects_from_json(jsonget_array(o, "foreign"),
	    &rn->foreign, &rn->n_foreign)) < 0 ||
	    (rv = jr_dup(o, "error", &rn->error)) < 0)
		return rv;
	return procs_from_json(jsonget_array(o, "processes"), rn);
}

struct report *
report_from_json(struct json_object *o)
{
	struct json_object	*nss;
	struct report		*r;
	int			 rv = 0;

	if (!json_object_is_type(o, json_type_object) ||
	    jsonget_str(o, "lab") == NULL) {
		errno = EBADMSG;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	jr_copy(r->lab, sizeof(r->lab), o, "lab");
	jr_copy(r->host, sizeof(r->host), o, "host");
	jr_copy(r->underlay, sizeof(r->underlay), o, "underlay");
	(void)report_action_from(jsonget_str(o, "action"), &r->action);
	r->changes = jr_size(o, "changes");
	r->failed = jr_size(o, "failed");
	r->converged = jsonget_bool(o, "converged");
	rv = jr_dup(o, "error", &r->error);
	if (r->error)
		r->err = -EIO;
	nss = jsonget_array(o, "namespaces");
	for (size_t i = 0; rv == 0 && nss && i < json_object_array_length(nss);
	    i++)
		rv = report_ns_from_json(r, json_object_array_get_idx(nss, i));
	if (rv == 0)
		rv = report_changes_from_json(r, jsonget_array(o, "plan"));
	if (rv == 0)
		rv = report_changes_from_json(r, jsonget_array(o, "errors"));
	if (rv < 0) {
		report_free(r);
		errno = -rv;
		return NULL;
	}
	return r;
}

/* ---- statuses -------------------------------------------------------- */

struct json_object *
time_to_json(double t)
{
	time_t		 s;
	struct tm	 tm;
	char		 buf[40], out[48];
	int		 ms;

	report_time_ms(t, &s, &ms);
	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, sizeof(out), "%s.%03dZ", buf, ms);
	return json_object_new_string(out);
}

double
time_from_json(struct json_object *o)
{
	const char	*s = json_object_is_type(o, json_type_string) ?
	    json_object_get_string(o) : NULL;
	struct tm	 tm = { 0 };
	int		 ms = 0;

	if (s == NULL || sscanf(s, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &ms) != 7)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm) + ms / 1000.0;
}

static struct json_object *
status_ns_json(struct jb *b, const struct status_ns *sn)
{
	struct json_object	*o = jb_obj(b), *ld, *pids;

	jb_str(b, o, "namespace", sn->name);
	jb_str(b, o, "node", sn->node);
	jb_bool(b, o, "exists", sn->exists);
	jb_bool(b, o, "declared", sn->declared);
	if (sn->known) {
		jb_int(b, o, "differences", (int64_t)sn->differences);
		jb_put(b, o, "difference_list", strings_json(b, sn->diffs,
		    sn->n_diffs));
		if (sn->diffs_more)
			jb_int(b, o, "differences_unlisted",
			    (int64_t)sn->diffs_more);
	} else
		jb_null(b, o, "differences");
	jb_int(b, o, "foreign", (int64_t)sn->n_foreign);
	jb_put(b, o, "foreign_objects", objects_to_json(b, sn->foreign,
	    sn->n_foreign));
	if (sn->error)
		jb_str(b, o, "error", sn->error);
	if (sn->conflict)
		jb_bool(b, o, "conflict", true);
	if (sn->n_conflicts)
		jb_put(b, o, "conflicts", strings_json(b, sn->conflicts,
		    sn->n_conflicts));
	if (sn->n_svcs) {
		struct json_object	*sv = jb_arr(b), *e;

		for (size_t k = 0; k < sn->n_svcs; k++) {
			e = jb_obj(b);
			jb_str(b, e, "name", sn->svcs[k].name);
			jb_bool(b, e, "running", sn->svcs[k].pid > 0);
			if (sn->svcs[k].pid > 0)
				jb_int(b, e, "pid", sn->svcs[k].pid);
			else
				jb_null(b, e, "pid");
			jb_push(b, sv, e);
		}
		jb_put(b, o, "services", sv);
	}
	if (sn->n_ghost_pids) {
		pids = jb_arr(b);
		for (size_t k = 0; k < sn->n_ghost_pids; k++)
			jb_push(b, pids, json_object_new_int64(
			    sn->ghost_pids[k]));
		jb_put(b, o, "ghost_pids", pids);
	}
	if (sn->n_overrides) {
		struct json_object	*ov = jb_arr(b), *e;

		for (size_t k = 0; k < sn->n_overrides; k++) {
			e = jb_obj(b);
			jb_str(b, e, "interface", sn->overrides[k].ifname);
			jb_str(b, e, "state", sn->overrides[k].down ? "down" :
			    "up");
			jb_push(b, ov, e);
		}
		jb_put(b, o, "overrides", ov);
	}
	if (!sn->has_daemon)
		return o;
	jb_bool(b, o, "watched", sn->watched);
	if (sn->drift_time > 0) {
		ld = jb_obj(b);
		jb_put(b, ld, "time", time_to_json(sn->drift_time));
		jb_str(b, ld, "what", sn->drift_what);
		jb_put(b, o, "last_drift", ld);
	} else
		jb_null(b, o, "last_drift");
	jb_int(b, o, "repairs", sn->repairs);
	jb_int(b, o, "backoff_ms", sn->backoff_ms);
	return o;
}

/* "tunnels": this host's ends of the links between hosts, each with
 * its last probe (null: never probed). */
static struct json_object *
status_tunnels_json(struct jb *b, const struct status_lab *sl)
{
	struct json_object	*arr = jb_arr(b), *o, *p;

	for (size_t k = 0; k < sl->n_tunnels; k++) {
		const struct status_tunnel	*tu = &sl->tunnels[k];

		o = jb_obj(b);
		jb_str(b, o, "node", tu->node);
		jb_str(b, o, "interface", tu->ifname);
		jb_int(b, o, "vni", tu->vni);
		jb_str(b, o, "far_host", tu->far_host);
		jb_str(b, o, "far", tu->far);
		jb_str(b, o, "remote", tu->remote);
		if (tu->probe_time > 0) {
			p = jb_obj(b);
			jb_put(b, p, "time", time_to_json(tu->probe_time));
			jb_str(b, p, "result", tu->probe_result);
			jb_put(b, p, "rtt_ms", json_object_new_double(
			    tu->probe_rtt_ms));
			jb_put(b, o, "last_probe", p);
		} else
			jb_null(b, o, "last_probe");
		jb_push(b, arr, o);
	}
	return arr;
}

static int
status_tunnels_from_json(struct status_lab *sl, struct json_object *arr)
{
	struct status_tunnel	*tu;
	struct json_object	*p, *v;

	for (size_t k = 0; arr && k < json_object_array_length(arr); k++) {
		struct json_object *e = json_object_array_get_idx(arr, k);

		if ((tu = status_tunnel_add(sl)) == NULL)
			return -ENOMEM;
		jr_copy(tu->node, sizeof(tu->node), e, "node");
		jr_copy(tu->ifname, sizeof(tu->ifname), e, "interface");
		tu->vni = (uint32_t)jr_size(e, "vni");
		jr_copy(tu->far_host, sizeof(tu->far_host), e, "far_host");
		jr_copy(tu->far, sizeof(tu->far), e, "far");
		jr_copy(tu->remote, sizeof(tu->remote), e, "remote");
		if ((p = jr_get(e, "last_probe")) != NULL &&
		    json_object_is_type(p, json_type_object)) {
			tu->probe_time = time_from_json(jr_get(p, "time"));
			jr_copy(tu->probe_result, sizeof(tu->probe_result), p,
			    "result");
			if ((v = jr_get(p, "rtt_ms")) != NULL)
				tu->probe_rtt_ms = json_object_get_double(v);
		}
	}
	return 0;
}

struct json_object *
status_to_json(const struct status *s)
{
	struct jb		 b = { 0 };
	struct json_object	*root = jb_obj(&b), *labs = jb_arr(&b);

	for (size_t i = 0; i < s->n_labs; i++) {
		const struct status_lab	*sl = &s->labs[i];
		struct json_object	*o = jb_obj(&b), *nss = jb_arr(&b);

		jb_str(&b, o, "lab", sl->lab);
		if (sl->host[0]) {
			jb_str(&b, o, "host", sl->host);
			jb_str(&b, o, "underlay", sl->underlay);
			jb_put(&b, o, "tunnels", status_tunnels_json(&b, sl));
		}
		if (sl->topology)
			jb_str(&b, o, "topology", sl->topology);
		else
			jb_null(&b, o, "topology");
		jb_bool(&b, o, "converged", sl->converged);
		if (sl->has_daemon)
			jb_bool(&b, o, "kept", sl->kept);
		for (size_t k = 0; k < sl->n_ns; k++)
			jb_push(&b, nss, status_ns_json(&b, &sl->ns[k]));
		jb_put(&b, o, "namespaces", nss);
		jb_push(&b, labs, o);
	}
	jb_put(&b, root, "labs", labs);
	return jb_done(&b, root);
}

/* "services": [{"name", "running", "pid"}] into SN. */
static int
status_svcs_from_json(struct status_ns *sn, struct json_object *a)
{
	size_t	 n = a != NULL ? json_object_array_length(a) : 0;

	if (n == 0)
		return 0;
	if ((sn->svcs = calloc(n, sizeof(*sn->svcs))) == NULL)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		struct json_object	*e = json_object_array_get_idx(a, k);
		const char		*name = jsonget_str(e, "name");

		if (name == NULL)
			continue;
		snprintf(sn->svcs[sn->n_svcs].name,
		    sizeof(sn->svcs[sn->n_svcs].name), "%s", name);
		sn->svcs[sn->n_svcs++].pid = (pid_t)jr_size(e, "pid");
	}
	return 0;
}

static int
status_overrides_from_json(struct status_ns *sn, struct json_object *arr)
{
	struct status_override	*so;
	const char		*state;

	for (size_t k = 0; arr && k < json_object_array_length(arr); k++) {
		struct json_object *e = json_object_array_get_idx(arr, k);

		if ((so = status_override_add(sn)) == NULL)
			return -ENOMEM;
		jr_copy(so->ifname, sizeof(so->ifname), e, "interface");
		so->down = (state = jsonget_str(e, "state")) != NULL &&
		    strcmp(state, "down") == 0;
	}
	return 0;
}

static int
status_ns_from_json(struct status_lab *sl, struct json_object *o)
{
	struct status_ns	*sn;
	struct json_object	*v, *pids;
	int			 rv;

	if ((sn = status_ns_add(sl)) == NULL)
		return -ENOMEM;
	jr_copy(sn->name, sizeof(sn->name), o, "namespace");
	jr_copy(sn->node, sizeof(sn->node), o, "node");
	sn->exists = jsonget_bool(o, "exists");
	sn->declared = jsonget_bool(o, "declared");
	sn->conflict = jsonget_bool(o, "conflict");
	v = jr_get(o, "differences");
	sn->known = v != NULL && json_object_is_type(v, json_type_int);
	sn->differences = jr_size(o, "differences");
	if ((rv = objects_from_json(jsonget_array(o, "foreign_objects"),
	    &sn->foreign, &sn->n_foreign)) < 0 ||
	    (rv = jr_dup(o, "error", &sn->error)) < 0)
		return rv;
	if ((rv = strings_from_json(jsonget_array(o, "conflicts"), SIZE_MAX,
	    &sn->conflicts, &sn->n_conflicts, NULL)) < 0)
		return rv;
	/* Bounded whoever sent it: the others are counted. */
	if ((rv = strings_from_json(jsonget_array(o, "difference_list"),
	    STATUS_DIFFS_MAX, &sn->diffs, &sn->n_diffs, &sn->diffs_more)) < 0)
		return rv;
	sn->diffs_more += jr_size(o, "differences_unlisted");
	if ((pids = jsonget_array(o, "ghost_pids")) != NULL &&
	    json_object_array_length(pids) > 0) {
		size_t	 n = json_object_array_length(pids);

		if ((sn->ghost_pids = calloc(n, sizeof(pid_t))) == NULL)
			return -ENOMEM;
		for (size_t k = 0; k < n; k++)
			sn->ghost_pids[sn->n_ghost_pids++] = (pid_t)
			    json_object_get_int64(
			    json_object_array_get_idx(pids, k));
	}
	if ((rv = status_overrides_from_json(sn,
	    jsonget_array(o, "overrides"))) < 0)
		return rv;
	if ((rv = status_svcs_from_json(sn, jsonget_array(o, "services"))) < 0)
		return rv;
	if ((sn->has_daemon = jr_get(o, "watched") != NULL)) {
		sn->watched = jsonget_bool(o, "watched");
		if ((v = jr_get(o, "last_drift")) != NULL &&
		    json_object_is_type(v, json_type_object)) {
			sn->drift_time = time_from_json(jr_get(v, "time"));
			jr_copy(sn->drift_what, sizeof(sn->drift_what), v,
			    "what");
		}
		sn->repairs = (unsigned)jr_size(o, "repairs");
		sn->backoff_ms = (unsigned)jr_size(o, "backoff_ms");
	}
	return 0;
}

struct status *
status_from_json(struct json_object *o)
{
	struct json_object	*labs = jsonget_array(o, "labs");
	struct status		*s;
	int			 rv = 0;

	if (labs == NULL) {
		errno = EBADMSG;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	for (size_t i = 0; rv == 0 && i < json_object_array_length(labs);
	    i++) {
		struct json_object	*lo = json_object_array_get_idx(labs, i);
		struct json_object	*nss = jsonget_array(lo, "namespaces");
		struct status_lab	*sl;

		if ((sl = status_lab_add(s)) == NULL) {
			rv = -ENOMEM;
			break;
		}
		jr_copy(sl->lab, sizeof(sl->lab), lo, "lab");
		jr_copy(sl->host, sizeof(sl->host), lo, "host");
		jr_copy(sl->underlay, sizeof(sl->underlay), lo, "underlay");
		rv = jr_dup(lo, "topology", &sl->topology);
		if (rv == 0)
			rv = status_tunnels_from_json(sl, jsonget_array(lo,
			    "tunnels"));
		sl->converged = jsonget_bool(lo, "converged");
		if ((sl->has_daemon = jr_get(lo, "kept") != NULL))
			sl->kept = jsonget_bool(lo, "kept");
		for (size_t k = 0; rv == 0 && nss &&
		    k < json_object_array_length(nss); k++)
			rv = status_ns_from_json(sl,
			    json_object_array_get_idx(nss, k));
	}
	if (rv < 0) {
		status_free(s);
		errno = -rv;
		return NULL;
	}
	return s;
}

/* ---- progress and diagnostics ----------------------------------------- */

static const char *const progress_keys[] = {
	[ENGINE_PROG_NS] = "namespaces",
	[ENGINE_PROG_LINKS] = "links",
	[ENGINE_PROG_OBJECTS] = "objects",
};

struct json_object *
progress_to_json(const struct engine_progress *pr)
{
	struct jb		 b = { 0 };
	struct json_object	*o = jb_obj(&b);

	for (size_t k = 0; k < 3; k++) {
		struct json_object *a = jb_arr(&b);

		jb_push(&b, a, json_object_new_int64((int64_t)pr->done[k]));
		jb_push(&b, a, json_object_new_int64((int64_t)pr->total[k]));
		jb_put(&b, o, progress_keys[k], a);
	}
	return jb_done(&b, o);
}

bool
progress_from_json(struct json_object *o, struct engine_progress *pr)
{
	memset(pr, 0, sizeof(*pr));
	if (!json_object_is_type(o, json_type_object))
		return false;
	for (size_t k = 0; k < 3; k++) {
		struct json_object *a = jsonget_array(o, progress_keys[k]);

		if (a == NULL || json_object_array_length(a) != 2)
			continue;
		pr->done[k] = (size_t)json_object_get_int64(
		    json_object_array_get_idx(a, 0));
		pr->total[k] = (size_t)json_object_get_int64(
		    json_object_array_get_idx(a, 1));
	}
	return true;
}

struct json_object *
diags_to_json(const struct diag_list *dl)
{
	struct jb		 b = { 0 };
	struct json_object	*arr = jb_arr(&b);
	size_t			*idx = diag_order(dl);

	for (size_t i = 0; i < dl->n; i++) {
		const struct diag	*d = &dl->v[idx ? idx[i] : i];
		struct json_object	*o = jb_obj(&b);

		jb_str(&b, o, "file", d->file);
		jb_int(&b, o, "line", d->line);
		jb_int(&b, o, "col", d->col);
		jb_str(&b, o, "level", d->level == DIAG_ERROR ? "error" :
		    "warning");
		jb_str(&b, o, "path", d->path);
		jb_str(&b, o, "message", d->msg);
		jb_push(&b, arr, o);
	}
	free(idx);
	return jb_done(&b, arr);
}

void
diags_from_json(struct json_object *arr, struct diag_list *dl)
{
	if (!json_object_is_type(arr, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object	*o = json_object_array_get_idx(arr, i);
		const char		*file, *level, *path, *msg;

		file = jsonget_str(o, "file");
		level = jsonget_str(o, "level");
		path = jsonget_str(o, "path");
		msg = jsonget_str(o, "message");
		if (!file || !level || !path || !msg ||
		    jr_get(o, "line") == NULL || jr_get(o, "col") == NULL)
			continue;
		diag_add(dl, strcmp(level, "error") == 0 ? DIAG_ERROR :
		    DIAG_WARNING, file, (unsigned)jsonget_int(o, "line"),
		    (unsigned)jsonget_int(o, "col"), path, "%s", msg);
	}
}
