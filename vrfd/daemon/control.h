/*
 * control: vrfd's control socket, the server side.
 *
 * AF_UNIX SOCK_SEQPACKET at the configured path, mode 0660, its group the
 * configured read group. Each peer is checked with SO_PEERCRED (and
 * SO_PEERGROUPS): uid 0 may change labs (apply, destroy), uid 0 and the
 * members of the read group may read (ping, status, plan, events). A
 * request that is too large, not JSON (or JSON with a key twice),
 * unknown or not allowed gets an error reply and changes nothing.
 *
 * Limits, so that no client can starve vrfd of descriptors, memory or
 * time: at most max_clients at once and max_clients_per_user of one uid
 * (more are told so and closed); a client idle (or not reading what it
 * was sent) for client_timeout seconds is closed; a client's next request
 * is read only once its last reply went out; an events client that falls
 * too far behind is closed. When accept() finds no descriptor, the
 * socket rests a while instead of spinning.
 *
 * A request may be answered later (its pass runs on a worker): the
 * daemon gets a handle, and the client's further requests wait.
 */
#ifndef VRFD_CONTROL_H
#define VRFD_CONTROL_H

#include <stdbool.h>

#include "proto/ctl_msg.h"

struct ev_loop;
struct json_object;
struct control;
struct control_req;

struct control_limits {
	unsigned	 max_clients;
	unsigned	 max_per_user;
	unsigned	 timeout;	/* s */
};

struct control_ops {
	/* REQ passed the checks (the peer may run it). Answer with
	 * control_reply(), now or later; HANDLE is valid until then. */
	void	(*request)(void *arg, const struct ctl_request *req,
		    struct control_req *handle);
};

/* Listen on PATH; GROUP ("" = none) may read. NULL with errno: EADDRINUSE
 * when another vrfd answers there, ENOENT when GROUP does not exist. */
struct control	*control_new(struct ev_loop *, const char *path,
		    const char *group, const struct control_limits *,
		    const struct control_ops *, void *arg);
/* A new read group (SIGHUP): the socket file's group and the check. */
int		 control_set_group(struct control *, const char *group);
void		 control_set_limits(struct control *,
		    const struct control_limits *);
/* Answer the request H (which ends): REPLY as its command's document.
 * Dropped if the client has gone. */
void		 control_reply(struct control_req *h, const struct ctl_reply *);
/* Before the reply: a progress document for the client of H. Dropped when
 * that client is not reading. Does not take DOC. */
void		 control_interim(struct control_req *h, struct json_object *doc);
/* Send EVENT to every client that asked for events. Does not take it. */
void		 control_broadcast(struct control *, struct json_object *);
/* Close every client and the socket; remove the socket file. */
void		 control_free(struct control *);

#endif
