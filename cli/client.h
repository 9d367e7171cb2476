/*
 * client: vrfctl's end of the control socket (the wire format is
 * vrfd/ctl_proto.h). One request, one reply; or, for events, a stream of
 * documents until the caller or the daemon ends it.
 */
#ifndef VRFCTL_CLIENT_H
#define VRFCTL_CLIENT_H

struct json_object;

/*
 * Send REQ (not taken) to the daemon at SOCKET_PATH and wait for its
 * reply: 0 and *REPLY (the caller's), or -errno. -ENOENT or -ECONNREFUSED:
 * no daemon answers there (the caller may run the engine itself);
 * -EACCES: the socket is not ours to use.
 */
int	client_request(const char *socket_path, struct json_object *req,
	    struct json_object **reply);
/* The same, calling PROGRESS for each progress document (see
 * ctl_proto.h) that comes before the reply. */
int	client_request_progress(const char *socket_path,
	    struct json_object *req, struct json_object **reply,
	    void (*progress)(struct json_object *, void *), void *arg);
/*
 * Send REQ ({"cmd":"events"}) and call EACH for every document that
 * follows, until EACH returns non-zero (that value is returned), the
 * daemon closes the connection (-ECONNRESET) or an error (-errno). A
 * refusal of the request itself returns -EPERM, with the daemon's reply
 * given to EACH first, so the caller can show its error.
 */
int	client_follow(const char *socket_path, struct json_object *req,
	    int (*each)(struct json_object *, void *), void *arg);

#endif
