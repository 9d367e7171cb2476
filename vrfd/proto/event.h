/*
 * event: what vrfd tells the clients that follow it (`vrfctl events`):
 * a drift seen and what was done about it. Typed here, JSON on the wire:
 *
 *   {"time", "lab", "namespace", "node", "event", "what", "noticed_by",
 *    "changes", "failed", "plan": [CHANGE], "repair_ms", "events"?,
 *    "error"?, "repairs"?, "backoff_ms"?}
 * (CHANGE as in report_json.h).
 */
#ifndef VRFD_EVENT_H
#define VRFD_EVENT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/report.h"

struct json_object;

enum event_type {
	EVENT_REPAIR,		/* drift put back */
	EVENT_RESYNC,		/* ... found by the periodic pass */
	EVENT_DRIFT,		/* not put back: in the way, or refused */
	EVENT_BACKOFF,		/* the same object keeps being undone */
	EVENT_SERVICE,		/* a node's service ended, or started again */
};

enum event_src {
	EVENT_SRC_NETLINK,
	EVENT_SRC_INOTIFY,
	EVENT_SRC_RESYNC,
};

struct event {
	double		 time;		/* wall clock */
	char		 lab[KS_NSNAME_MAX];
	char		 ns[KS_NSNAME_MAX];
	char		 node[REPORT_NODE_MAX];
	enum event_type	 type;
	char		 what[160];	/* "route 10.8.0.0/16 deleted" */
	enum event_src	 src;
	size_t		 changes, failed;
	struct report_change *plan;	/* ns: unused, all are NS's */
	size_t		 n_plan;
	double		 repair_ms;	/* from the first event seen */
	bool		 has_events;
	unsigned	 events;	/* events seen before the repair */
	char		*error;
	unsigned	 repairs;	/* backoff: of the object, in the window */
	unsigned	 backoff_ms;
};

const char	*event_type_name(enum event_type);
const char	*event_src_name(enum event_src);
/* NULL when out of memory. */
struct json_object *event_to_json(const struct event *);
/* 0, -EBADMSG (not an event), -ENOMEM. */
int		 event_from_json(struct json_object *, struct event *);
/* Free what EV holds (not EV). */
void		 event_clear(struct event *);

#endif
