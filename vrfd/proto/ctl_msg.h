/*
 * ctl_msg: the requests vrfctl sends to vrfd and the replies it gets,
 * typed (ctl_proto.h frames them as JSON documents on the socket):
 *
 *   {"cmd": "ping"}            -> {"version", "pid", "labs": [NAME]}
 *   {"cmd": "status", "lab": LAB|null}            -> a status
 *   {"cmd": "plan", "file", "topology": TEXT}      -> a report
 *   {"cmd": "plan", "lab": LAB}                    -> a report: of the
 *                                      topology the daemon keeps for LAB
 *   {"cmd": "apply", "file", "topology": TEXT,
 *    "with_plan"?: bool, "progress"?: SECONDS}     -> a report
 *   (plan and apply: "topology_fd": LEN instead of "topology": the text's
 *   LEN bytes are the file of the descriptor that comes with the request,
 *   a memfd of vrfctl's: no JSON string of a megabyte to escape, scan,
 *   unescape and copy)
 *   (plan and apply: "host"?: NAME, which of a lab's hosts this is)
 *   {"cmd": "destroy", "lab": LAB}                 -> a report
 *   {"cmd": "link_set", "lab": LAB, "node": NODE,
 *    "interface": IFNAME, "state": "up"|"down"}   -> a report: of the
 *                                      pass that keeps it so
 *   {"cmd": "events"}          -> {"events": "following"}, then events
 *
 * A reply is {"ok": true, "report": DOC, "diagnostics"?: [...]} or
 * {"ok": false, "error": "...", "diagnostics"?: [...]}; an apply that
 * asked for progress gets {"progress": {...}} documents before it, from
 * SECONDS into the pass on (report_json.h has the documents).
 */
#ifndef VRFD_CTL_MSG_H
#define VRFD_CTL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "topo/diag.h"

struct json_object;
struct report;
struct status;

enum ctl_cmd {
	CTL_PING,
	CTL_STATUS,
	CTL_PLAN,
	CTL_EVENTS,
	CTL_APPLY,
	CTL_DESTROY,
	CTL_LINK_SET,
};

/* What a request asks. Its strings point into the JSON it was read
 * from (ctl_request_decode), or are the sender's. */
struct ctl_request {
	enum ctl_cmd	 cmd;
	const char	*file;		/* plan, apply: the file's name */
	const char	*text;		/* plan, apply: the file's text */
	bool		 text_by_fd;	/* ... sent as TEXT_FD's file (LEN
					   bytes), not in the document; the
					   reader fills TEXT */
	int		 text_fd;	/* the sender's, when TEXT_BY_FD */
	const char	*digest;	/* ... and/or its digest
					   (state_text_digest): vrfd answers
					   if it keeps that text for FILE
					   (the text unread), else reads the
					   text sent, or asks for it
					   (need_text) */
	const char	*base;		/* apply: its directory, where the
					   config files it names are (NULL:
					   not said) */
	size_t		 len;
	bool		 with_plan;	/* apply: every change in the report */
	bool		 progress;	/* apply: progress documents ... */
	double		 progress_after;	/* ... from this many s on */
	const char	*lab;		/* destroy; status: NULL for all;
					   plan: the lab's kept topology,
					   instead of FILE and TEXT */
	const char	*host;		/* plan, apply: which of a lab's
					   hosts (vrfctl --host); NULL:
					   vrfd's own */
	const char	*node;		/* link_set: NODE:IFNAME, DOWN or up */
	const char	*ifname;
	bool		 down;
};

struct ctl_ping {
	char		 version[32];
	pid_t		 pid;
	char		**labs;
	size_t		 n_labs;
};

struct ctl_reply {
	bool		 ok;
	char		*error;		/* !ok: why */
	bool		 need_text;	/* !ok: a request by digest, of a
					   text vrfd does not keep */
	struct diag_list diags;		/* about the topology sent */
	struct report	*report;	/* plan, apply, destroy */
	struct status	*status;	/* status */
	struct ctl_ping	 ping;		/* ping */
};

const char	*ctl_cmd_name(enum ctl_cmd);
/* May a client that is not root, but may read, run CMD? */
bool		 ctl_cmd_reads(enum ctl_cmd);

struct json_object *ctl_request_encode(const struct ctl_request *);
/* 0, or -EINVAL with the reply's words in ERR. */
int		 ctl_request_decode(struct json_object *, struct ctl_request *,
		    char *err, size_t len);

/* The reply to a request of CMD as JSON; NULL when out of memory. */
struct json_object *ctl_reply_encode(const struct ctl_reply *, enum ctl_cmd);
/* 0, -EBADMSG (not a reply to CMD), -ENOMEM. */
int		 ctl_reply_decode(struct json_object *, enum ctl_cmd,
		    struct ctl_reply *);
void		 ctl_reply_clear(struct ctl_reply *);

/* A progress document: true and PR when DOC is one. */
struct engine_progress;
bool		 ctl_progress_decode(struct json_object *doc,
		    struct engine_progress *pr);
struct json_object *ctl_progress_encode(const struct engine_progress *);

#endif
