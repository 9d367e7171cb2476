/*
 * report_json: the core's typed answers as JSON and back: the documents
 * vrfd sends over its control socket and vrfctl prints with -j. The one
 * place their member names are written.
 *
 *   report:   {"lab", "host"?, "underlay"?, "action", "changes", "failed",
 *              "converged",
 *              "error"?, "namespaces": [{"namespace", "node", "state",
 *              "changes", "failed", "foreign": [{"kind", "what"}],
 *              "error"?, "processes"?: [{"pid", "comm", "ended",
 *              "killed"}]}],
 *              "plan": [CHANGE], "errors": [CHANGE]}
 *              CHANGE: {"namespace", "node", "op", "object", "command",
 *              "error"?, "conflict"?}; "errors" holds those that failed
 *              or cannot be made, "plan" the others;
 *   status:   {"labs": [{"lab", "host"?, "underlay"?, "tunnels"?:
 *              [{"node", "interface", "vni", "far_host", "far", "remote",
 *              "last_probe": {"time", "result", "rtt_ms"} | null}],
 *              "topology" (null: none), "converged",
 *              "kept"?, "namespaces": [{"namespace", "node", "exists",
 *              "declared", "differences" (null: unknown),
 *              "difference_list"?: [WORDS], "differences_unlisted"?,
 *              "foreign", "foreign_objects": [{"kind", "what"}],
 *              "error"?, "conflict"?, "conflicts"?: [WORDS],
 *              "ghost_pids"?, "overrides"?: [{"interface", "state":
 *              "up"|"down"}], "watched"?, "last_drift"?: {"time",
 *              "what"} | null, "repairs"?, "backoff_ms"?}]}]}
 *              ("kept" and the members from "watched" on come from
 *              the daemon); "differences" counts the conflicts, those in
 *              "difference_list" (with a topology; at most
 *              STATUS_DIFFS_MAX) and "differences_unlisted" (when any);
 *   progress: {"namespaces": [DONE, TOTAL], "links": [..], "objects": [..]}
 *   diagnostics: [{"file", "line", "col", "level", "path", "message"}]
 *
 * Encoders return NULL when out of memory. Decoders read what they can:
 * a missing member is its zero value; NULL (errno EBADMSG) only when the
 * document is not one at all, or ENOMEM.
 */
#ifndef VRFD_REPORT_JSON_H
#define VRFD_REPORT_JSON_H

#include <stdbool.h>

#include "engine/engine.h"
#include "engine/report.h"

struct diag_list;
struct json_object;

struct json_object	*report_to_json(const struct report *);
/* The same document on the control socket: a namespace with nothing to
 * say but its name, node and state (most of a large lab, applied again)
 * is [namespace, node, state] in "namespaces". report_from_json reads
 * both. */
struct json_object	*report_to_wire(const struct report *);
struct report		*report_from_json(struct json_object *);
struct json_object	*status_to_json(const struct status *);
struct status		*status_from_json(struct json_object *);
struct json_object	*progress_to_json(const struct engine_progress *);
bool			 progress_from_json(struct json_object *,
			    struct engine_progress *);
struct json_object	*diags_to_json(const struct diag_list *);
/* Into DL (added to); malformed entries are skipped. */
void			 diags_from_json(struct json_object *,
			    struct diag_list *);
/* A time as "2024-05-01T12:00:01.123Z", and back (0 if it is none). */
struct json_object	*time_to_json(double wall);
double			 time_from_json(struct json_object *);
/* A change, as "plan", "errors" and events hold them; NS and NODE are
 * its namespace's. */
struct json_object	*change_to_json(const struct report_change *,
			    const char *ns, const char *node);
/* Into C; its namespace's names into NS and NODE (sized as report_ns's). */
int			 change_from_json(struct json_object *,
			    struct report_change *c, char *ns, char *node);

#endif
