/*
 * client: vrfctl's end of the control socket: a typed request out, a
 * typed reply in (proto/ctl_msg.h has both, ctl_proto.h the packets); or,
 * for events, a stream of them until the caller or the daemon ends it.
 */
#ifndef VRFCTL_CLIENT_H
#define VRFCTL_CLIENT_H

#include "proto/ctl_msg.h"

struct engine_progress;
struct event;

/*
 * Send REQ to the daemon at SOCKET_PATH and wait for its reply: 0 and
 * *REPLY (ok or not; the caller clears it), or -errno. -ENOENT or
 * -ECONNREFUSED: no daemon answers there; -EACCES: the socket is not ours
 * to use; -EBADMSG: what came back is no reply. PROGRESS, if not NULL,
 * sees each progress document that comes before the reply.
 */
int	client_request(const char *socket_path, const struct ctl_request *,
	    struct ctl_reply *,
	    void (*progress)(const struct engine_progress *, void *),
	    void *arg);
/* client_request in two steps: connected to the daemon at SOCKET_PATH
 * (the descriptor, or -errno as above), before anything is made to send
 * it; then REQ sent on FD and answered, FD closed. */
int	client_open(const char *socket_path);
int	client_exchange(int fd, const struct ctl_request *,
	    struct ctl_reply *,
	    void (*progress)(const struct engine_progress *, void *),
	    void *arg);
/*
 * Follow the daemon's events: EACH sees every one, until it returns
 * non-zero (that value is returned), the daemon closes the connection
 * (-ECONNRESET) or an error (-errno). A refusal of the request returns
 * -EPERM with the daemon's reply in *REFUSAL (the caller clears it).
 */
int	client_follow(const char *socket_path,
	    int (*each)(const struct event *, void *), void *arg,
	    struct ctl_reply *refusal);

#endif
