/*
 * client: connect to vrfd's control socket, send one JSON document,
 * read the answer (ctl_proto.c does the packets).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "client.h"
#include "proto/ctl_proto.h"

static int
client_connect(const char *path)
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

int
client_request(const char *path, struct json_object *req,
    struct json_object **reply)
{
	return client_request_progress(path, req, reply, NULL, NULL);
}

int
client_request_progress(const char *path, struct json_object *req,
    struct json_object **reply, void (*progress)(struct json_object *, void *),
    void *arg)
{
	struct json_object	*p;
	int			 fd, rv;

	*reply = NULL;
	if ((fd = client_connect(path)) < 0)
		return fd;
	if ((rv = ctl_send(fd, req)) == 0)
		while ((rv = ctl_recv(fd, CTL_MAX_REPLY, reply)) == 0 &&
		    json_object_object_get_ex(*reply, "progress", &p)) {
			if (progress)
				progress(p, arg);
			json_object_put(*reply);
			*reply = NULL;
		}
	close(fd);
	/* The daemon went away between connect and reply. */
	if (rv == -EPIPE)
		rv = -ECONNRESET;
	return rv;
}

static bool
client_ok(struct json_object *reply)
{
	struct json_object	*ok;

	return json_object_object_get_ex(reply, "ok", &ok) &&
	    json_object_get_boolean(ok);
}

int
client_follow(const char *path, struct json_object *req,
    int (*each)(struct json_object *, void *), void *arg)
{
	struct json_object	*doc;
	int			 fd, rv;

	if ((fd = client_connect(path)) < 0)
		return fd;
	if ((rv = ctl_send(fd, req)) < 0)
		goto out;
	/* The first answer says whether we follow. */
	if ((rv = ctl_recv(fd, CTL_MAX_REPLY, &doc)) < 0)
		goto out;
	if (!client_ok(doc)) {
		(void)each(doc, arg);
		json_object_put(doc);
		rv = -EPERM;
		goto out;
	}
	json_object_put(doc);
	for (;;) {
		if ((rv = ctl_recv(fd, CTL_MAX_REPLY, &doc)) < 0)
			break;
		rv = each(doc, arg);
		json_object_put(doc);
		if (rv != 0)
			break;
	}
 out:
	close(fd);
	return rv;
}
