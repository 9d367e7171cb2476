/*
 * event: the daemon's events as JSON and back (see event.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "event.h"
#include "jsonget.h"
#include "report_json.h"

static const char *const event_types[] = {
	[EVENT_REPAIR] = "repair",
	[EVENT_RESYNC] = "resync",
	[EVENT_DRIFT] = "drift",
	[EVENT_BACKOFF] = "backoff",
	[EVENT_SERVICE] = "service",
};

static const char *const event_srcs[] = {
	[EVENT_SRC_NETLINK] = "netlink",
	[EVENT_SRC_INOTIFY] = "inotify",
	[EVENT_SRC_RESYNC] = "resync",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const char *
event_type_name(enum event_type t)
{
	return (size_t)t < NELEM(event_types) ? event_types[t] : "?";
}

const char *
event_src_name(enum event_src s)
{
	return (size_t)s < NELEM(event_srcs) ? event_srcs[s] : "?";
}

static int
event_word(const char *const *words, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(words[i], s) == 0)
			return (int)i;
	return 0;
}

/* repair_ms to the microsecond, not 22.233000000000001. */
static struct json_object *
event_ms(double ms)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%.3f", ms);
	return json_object_new_double_s(ms, buf);
}

struct json_object *
event_to_json(const struct event *ev)
{
	struct json_object	*o, *plan;
	bool			 ok;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	ok = jsonput(o, "time", time_to_json(ev->time)) &&
	    jsonput(o, "lab", json_object_new_string(ev->lab)) &&
	    jsonput(o, "namespace", json_object_new_string(ev->ns)) &&
	    jsonput(o, "node", json_object_new_string(ev->node)) &&
	    jsonput(o, "event", json_object_new_string(
	    event_type_name(ev->type))) &&
	    jsonput(o, "what", json_object_new_string(ev->what)) &&
	    jsonput(o, "noticed_by", json_object_new_string(
	    event_src_name(ev->src))) &&
	    jsonput(o, "changes", json_object_new_int64(
	    (int64_t)ev->changes)) &&
	    jsonput(o, "failed", json_object_new_int64(
	    (int64_t)ev->failed)) &&
	    jsonput(o, "plan", plan = json_object_new_array()) &&
	    jsonput(o, "repair_ms", event_ms(ev->repair_ms));
	for (size_t k = 0; ok && k < ev->n_plan; k++) {
		struct json_object *c = change_to_json(&ev->plan[k], ev->ns,
		    ev->node);

		if (c == NULL || json_object_array_add(plan, c) != 0) {
			json_object_put(c);
			ok = false;
		}
	}
	if (ok && ev->has_events)
		ok = jsonput(o, "events", json_object_new_int(
		    (int)ev->events));
	if (ok && ev->error)
		ok = jsonput(o, "error", json_object_new_string(ev->error));
	if (ok && ev->type == EVENT_BACKOFF)
		ok = jsonput(o, "repairs", json_object_new_int(
		    (int)ev->repairs)) && jsonput(o, "backoff_ms",
		    json_object_new_int64(ev->backoff_ms));
	if (!ok) {
		json_object_put(o);
		errno = ENOMEM;
		return NULL;
	}
	return o;
}

static void
event_copy(char *dst, size_t len, struct json_object *o, const char *key)
{
	const char	*s = jsonget_str(o, key);

	snprintf(dst, len, "%s", s ? s : "");
}

int
event_from_json(struct json_object *o, struct event *ev)
{
	struct json_object	*plan, *v;
	char			 ns[KS_NSNAME_MAX], node[REPORT_NODE_MAX];
	int			 rv;

	memset(ev, 0, sizeof(*ev));
	if (jsonget_str(o, "event") == NULL || jsonget_str(o, "lab") == NULL)
		return -EBADMSG;
	ev->time = json_object_object_get_ex(o, "time", &v) ?
	    time_from_json(v) : 0;
	event_copy(ev->lab, sizeof(ev->lab), o, "lab");
	event_copy(ev->ns, sizeof(ev->ns), o, "namespace");
	event_copy(ev->node, sizeof(ev->node), o, "node");
	event_copy(ev->what, sizeof(ev->what), o, "what");
	ev->type = (enum event_type)event_word(event_types,
	    NELEM(event_types), jsonget_str(o, "event"));
	ev->src = (enum event_src)event_word(event_srcs, NELEM(event_srcs),
	    jsonget_str(o, "noticed_by"));
	ev->changes = (size_t)jsonget_int(o, "changes");
	ev->failed = (size_t)jsonget_int(o, "failed");
	ev->repair_ms = json_object_object_get_ex(o, "repair_ms", &v) ?
	    json_object_get_double(v) : 0;
	if ((ev->has_events = json_object_object_get_ex(o, "events", &v)))
		ev->events = (unsigned)json_object_get_int64(v);
	ev->repairs = (unsigned)jsonget_int(o, "repairs");
	ev->backoff_ms = (unsigned)jsonget_int(o, "backoff_ms");
	if (jsonget_str(o, "error") &&
	    (ev->error = strdup(jsonget_str(o, "error"))) == NULL)
		return -ENOMEM;
	plan = jsonget_array(o, "plan");
	for (size_t k = 0; plan && k < json_object_array_length(plan); k++) {
		struct report_change	*c;

		if ((c = reallocarray(ev->plan, ev->n_plan + 1,
		    sizeof(*c))) == NULL)
			return -ENOMEM;
		ev->plan = c;
		c = &ev->plan[ev->n_plan++];
		if ((rv = change_from_json(json_object_array_get_idx(plan, k),
		    c, ns, node)) < 0)
			return rv;
	}
	return 0;
}

void
event_clear(struct event *ev)
{
	for (size_t k = 0; k < ev->n_plan; k++) {
		free(ev->plan[k].object);
		free(ev->plan[k].command);
		free(ev->plan[k].error);
	}
	free(ev->plan);
	free(ev->error);
	ev->plan = NULL;
	ev->n_plan = 0;
	ev->error = NULL;
}
