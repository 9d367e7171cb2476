/*
 * control: vrfd's control socket, the server side.
 *
 * AF_UNIX SOCK_SEQPACKET at the configured path, mode 0660, its group the
 * configured read group. Each peer is checked with SO_PEERCRED (and
 * SO_PEERGROUPS): uid 0 may change labs (apply, destroy), uid 0 and the
 * members of the read group may read (ping, status, plan, events). A
 * request that is too large, not JSON, unknown or not allowed gets an
 * error reply and changes nothing. Clients are non-blocking: replies wait
 * in a queue per client, so a slow reader holds up only itself.
 */
#ifndef VRFD_CONTROL_H
#define VRFD_CONTROL_H

#include <stdbool.h>

struct ev_loop;
struct json_object;
struct control;

struct control_ops {
	/* A request that passed the checks: its "cmd" is known and the
	 * peer may run it. Return the reply (the caller frees it). */
	struct json_object *(*request)(void *arg, const char *cmd,
		    struct json_object *req);
};

/* Listen on PATH; GROUP ("" = none) may read. NULL with errno: EADDRINUSE
 * when another vrfd answers there. */
struct control	*control_new(struct ev_loop *, const char *path,
		    const char *group, const struct control_ops *, void *arg);
/* A new read group (SIGHUP): the socket file's group and the check. */
int		 control_set_group(struct control *, const char *group);
/* While a request is served (the loop waits), send DOC to the client
 * that made it, ahead of the reply: progress. Dropped when that client
 * is not reading. Does not take it. */
void		 control_interim(struct control *, struct json_object *);
/* Send EVENT to every client that asked for events. Does not take it. */
void		 control_broadcast(struct control *, struct json_object *);
/* Close every client and the socket; remove the socket file. */
void		 control_free(struct control *);

#endif
