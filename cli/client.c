/*
 * client: connect to vrfd's control socket, send one request, read the
 * answer (ctl_proto.c does the packets, ctl_msg.c the documents).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "client.h"
#include "engine/engine.h"
#include "proto/ctl_proto.h"
#include "proto/event.h"

int
client_open(const char *path)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	int			 fd, rv;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	return fd;
}

/* Send REQ on FD: 0, or -errno. */
static int
client_send(int fd, const struct ctl_request *req)
{
	struct json_object	*doc;
	int			 rv;

	if ((doc = ctl_request_encode(req)) == NULL)
		return -ENOMEM;
	rv = ctl_send_fd(fd, doc, req->text_by_fd ? req->text_fd : -1);
	json_object_put(doc);
	/* Closed on us: a daemon over its client limits says why first,
	 * and that is read as the reply; one that went away says nothing,
	 * and the read finds the connection reset. */
	return rv == -EPIPE || rv == -ECONNRESET ? 0 : rv;
}

/*
 * The next document from vrfd. A daemon that refuses a client (over its
 * limits) says why and closes before reading the request: Linux then
 * reports the reset first, ahead of the answer already queued, and the
 * next read gets the answer (or the end, if there was none).
 */
static int
client_recv(int fd, struct json_object **doc)
{
	int	 rv;

	if ((rv = ctl_recv(fd, CTL_MAX_REPLY, doc)) == -ECONNRESET)
		rv = ctl_recv(fd, CTL_MAX_REPLY, doc);
	return rv;
}

int
client_request(const char *path, const struct ctl_request *req,
    struct ctl_reply *reply,
    void (*progress)(const struct engine_progress *, void *), void *arg)
{
	int	 fd;

	memset(reply, 0, sizeof(*reply));
	if ((fd = client_open(path)) < 0)
		return fd;
	return client_exchange(fd, req, reply, progress, arg);
}

int
client_exchange(int fd, const struct ctl_request *req,
    struct ctl_reply *reply,
    void (*progress)(const struct engine_progress *, void *), void *arg)
{
	struct engine_progress	 pr;
	struct json_object	*doc = NULL;
	int			 rv;

	memset(reply, 0, sizeof(*reply));
	if ((rv = client_send(fd, req)) < 0) {
		close(fd);
		return rv;
	}
	while ((rv = client_recv(fd, &doc)) == 0 &&
	    ctl_progress_decode(doc, &pr)) {
		if (progress)
			progress(&pr, arg);
		json_object_put(doc);
		doc = NULL;
	}
	close(fd);
	if (rv == 0)
		rv = ctl_reply_decode(doc, req->cmd, reply);
	json_object_put(doc);
	return rv == -EPIPE ? -ECONNRESET : rv;
}

int
client_follow(const char *path, int (*each)(const struct event *, void *),
    void *arg, struct ctl_reply *refusal)
{
	struct ctl_request	 req = { .cmd = CTL_EVENTS };
	struct json_object	*doc;
	struct event		 ev;
	int			 fd, rv;

	memset(refusal, 0, sizeof(*refusal));
	if ((fd = client_open(path)) < 0)
		return fd;
	if ((rv = client_send(fd, &req)) < 0)
		goto out;
	/* The first answer says whether we follow. */
	if ((rv = client_recv(fd, &doc)) < 0)
		goto out;
	rv = ctl_reply_decode(doc, CTL_EVENTS, refusal);
	json_object_put(doc);
	if (rv < 0)
		goto out;
	if (!refusal->ok) {
		rv = -EPERM;
		goto out;
	}
	ctl_reply_clear(refusal);
	for (;;) {
		if ((rv = ctl_recv(fd, CTL_MAX_REPLY, &doc)) < 0)
			break;
		rv = event_from_json(doc, &ev);
		json_object_put(doc);
		if (rv == 0)
			rv = each(&ev, arg);
		else if (rv == -EBADMSG)
			rv = 0;		/* not an event: not ours to show */
		event_clear(&ev);
		if (rv != 0)
			break;
	}
 out:
	close(fd);
	return rv;
}
