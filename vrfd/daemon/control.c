/*
 * control: accept clients on the control socket, check who they are,
 * read their requests, queue the replies and the events they follow.
 *
 * Where it sits: between vrfctl and daemon.c. It knows the commands and
 * who may run them; daemon.c runs them (control_ops.request). Requests are
 * answered in order, one at a time: the engine's pass is synchronous.
 *
 * A client is closed only from its own callbacks: a broadcast (which may
 * run in the middle of another client's request) just queues, and marks a
 * client that cannot keep up as dead for its write callback to close.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <ev.h>
#include <json-c/json.h>

#include "control.h"
#include "proto/ctl_proto.h"
#include "log.h"

/* Queued replies past this stop the reading of further requests. */
#define CONTROL_READ_PAUSE	(1024 * 1024)
/* An events client this far behind is disconnected. */
#define CONTROL_EVENTS_MAX	(16 * 1024 * 1024)
/* Packets read per wake-up, so that one client cannot hog the loop. */
#define CONTROL_BURST		64
#define CONTROL_MAX_GROUPS	4096
/* Progress waiting for a client, at most. */
#define CONTROL_INTERIM_MAX	(64 * 1024)

struct control_out {
	struct control_out	*next;
	struct ctl_tx		 tx;
};

struct control_client {
	struct control		*ctl;
	struct control_client	*next;
	int			 fd;
	ev_io			 rio, wio;
	pid_t			 pid;
	uid_t			 uid;
	gid_t			*groups;	/* primary, then supplementary */
	size_t			 n_groups;
	bool			 events;	/* follows events */
	bool			 dead;		/* close at the next chance */
	struct ctl_rx		 rx;
	struct control_out	*head, *tail;
	size_t			 queued;	/* bytes not yet sent */
};

struct control {
	struct ev_loop		*loop;
	const struct control_ops *ops;
	void			*arg;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int			 fd;
	ev_io			 lio;
	bool			 has_group;
	gid_t			 gid;
	struct control_client	*clients;
	struct control_client	*serving;	/* whose request runs now */
};

/* The commands and what they need. */
static const struct {
	const char	*name;
	bool		 change;
} control_cmds[] = {
	{ "ping", false },
	{ "status", false },
	{ "plan", false },
	{ "events", false },
	{ "apply", true },
	{ "destroy", true },
};

static void	control_client_close(struct control_client *);

static void
control_rio_update(struct control_client *cl)
{
	if (cl->queued > CONTROL_READ_PAUSE || cl->dead)
		ev_io_stop(cl->ctl->loop, &cl->rio);
	else
		ev_io_start(cl->ctl->loop, &cl->rio);
}

/* Send what the socket takes. 0, or -errno: the client is gone. */
static int
control_flush(struct control_client *cl)
{
	struct control_out	*o;
	int			 rv;

	while ((o = cl->head) != NULL) {
		size_t	 before = o->tx.off;

		rv = ctl_tx_send(cl->fd, &o->tx);
		cl->queued -= o->tx.off - before;
		if (rv == -EAGAIN)
			break;
		if (rv < 0)
			return rv;
		cl->head = o->next;
		if (cl->head == NULL)
			cl->tail = NULL;
		ctl_tx_free(&o->tx);
		free(o);
	}
	if (cl->head)
		ev_io_start(cl->ctl->loop, &cl->wio);
	else
		ev_io_stop(cl->ctl->loop, &cl->wio);
	control_rio_update(cl);
	return 0;
}

static int
control_queue(struct control_client *cl, struct json_object *doc)
{
	struct control_out	*o;
	int			 rv;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return -ENOMEM;
	if ((rv = ctl_tx_init(&o->tx, doc)) < 0) {
		free(o);
		return rv;
	}
	if (cl->tail)
		cl->tail->next = o;
	else
		cl->head = o;
	cl->tail = o;
	cl->queued += o->tx.len;
	return 0;
}

static bool
control_may_read(const struct control_client *cl)
{
	const struct control	*c = cl->ctl;

	if (cl->uid == 0)
		return true;
	for (size_t i = 0; c->has_group && i < cl->n_groups; i++)
		if (cl->groups[i] == c->gid)
			return true;
	return false;
}

static struct json_object *
control_dispatch(struct control_client *cl, struct json_object *req)
{
	struct json_object	*cmdo, *reply;
	const char		*cmd;
	size_t			 i, n = sizeof(control_cmds) /
				    sizeof(control_cmds[0]);

	if (!json_object_object_get_ex(req, "cmd", &cmdo) ||
	    !json_object_is_type(cmdo, json_type_string))
		return ctl_reply_error("malformed request: no \"cmd\" string");
	cmd = json_object_get_string(cmdo);
	for (i = 0; i < n; i++)
		if (strcmp(control_cmds[i].name, cmd) == 0)
			break;
	if (i == n)
		return ctl_reply_error("unknown command '%.64s'", cmd);
	if (control_cmds[i].change && cl->uid != 0) {
		log_warnx("control: %s refused to uid %u (pid %d)", cmd,
		    (unsigned)cl->uid, (int)cl->pid);
		return ctl_reply_error("permission denied: %s needs root",
		    cmd);
	}
	if (!control_cmds[i].change && strcmp(cmd, "ping") != 0 &&
	    !control_may_read(cl))
		return ctl_reply_error("permission denied: %s needs root or "
		    "the read group", cmd);
	if (strcmp(cmd, "events") == 0) {
		struct json_object	*r = json_object_new_object();

		cl->events = true;
		json_object_object_add(r, "events",
		    json_object_new_string("following"));
		return ctl_reply_ok(r);
	}
	cl->ctl->serving = cl;
	reply = cl->ctl->ops->request(cl->ctl->arg, cmd, req);
	cl->ctl->serving = NULL;
	return reply;
}

void
control_interim(struct control *c, struct json_object *doc)
{
	struct control_client	*cl = c->serving;

	/* A few small documents a second; a client that does not read
	 * them gets none more, and its reply still follows them. */
	if (cl == NULL || cl->dead || cl->queued > CONTROL_INTERIM_MAX)
		return;
	if (control_queue(cl, doc) < 0 || control_flush(cl) < 0)
		cl->dead = true;
}

static void
control_handle(struct control_client *cl)
{
	struct json_object	*req, *reply;

	if ((req = ctl_rx_take(&cl->rx)) == NULL) {
		if (errno == EMSGSIZE)
			reply = ctl_reply_error("request too large or "
			    "malformed packets (at most %u bytes)",
			    CTL_MAX_REQUEST);
		else
			reply = ctl_reply_error("malformed request: not a "
			    "JSON object");
		log_debug("control", "pid %d: bad request", (int)cl->pid);
	} else {
		reply = control_dispatch(cl, req);
		json_object_put(req);
	}
	if (reply == NULL)
		reply = ctl_reply_error("out of memory");
	if (control_queue(cl, reply) < 0)
		cl->dead = true;
	json_object_put(reply);
}

static void
control_read_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct control_client	*cl = io->data;
	int			 rv = 0;

	(void)loop;
	(void)revents;
	for (int i = 0; i < CONTROL_BURST && !cl->dead &&
	    cl->queued <= CONTROL_READ_PAUSE; i++) {
		if ((rv = ctl_rx_read(cl->fd, &cl->rx)) == -EAGAIN) {
			rv = 0;
			break;
		}
		if (rv < 0)
			break;
		if (rv == 1)
			control_handle(cl);
	}
	if (rv < 0 || cl->dead || control_flush(cl) < 0) {
		if (rv < 0 && rv != -ECONNRESET)
			log_debug("control", "pid %d: %s", (int)cl->pid,
			    strerror(-rv));
		control_client_close(cl);
	}
}

static void
control_write_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct control_client	*cl = io->data;

	(void)loop;
	(void)revents;
	if (cl->dead || control_flush(cl) < 0)
		control_client_close(cl);
}

static int
control_peer(struct control_client *cl)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);
	gid_t		*g;
	size_t		 n = 64;

	if (getsockopt(cl->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	cl->pid = cred.pid;
	cl->uid = cred.uid;
	/* SO_PEERGROUPS: the supplementary groups at connect(). ERANGE
	 * tells the size needed. */
	for (;;) {
		if ((g = calloc(n + 1, sizeof(*g))) == NULL)
			return -ENOMEM;
		g[0] = cred.gid;
		len = (socklen_t)(n * sizeof(*g));
		if (getsockopt(cl->fd, SOL_SOCKET, SO_PEERGROUPS, g + 1,
		    &len) == 0)
			break;
		free(g);
		if (errno != ERANGE || len / sizeof(*g) <= n ||
		    len / sizeof(*g) > CONTROL_MAX_GROUPS) {
			/* Without the list, the primary group only. */
			if ((g = calloc(1, sizeof(*g))) == NULL)
				return -ENOMEM;
			g[0] = cred.gid;
			len = 0;
			break;
		}
		n = len / sizeof(*g);
	}
	cl->groups = g;
	cl->n_groups = 1 + len / sizeof(*g);
	return 0;
}

static void
control_accept_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct control		*c = io->data;
	struct control_client	*cl;
	int			 fd;

	(void)revents;
	if ((fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC))
	    < 0) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control: accept");
		return;
	}
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		close(fd);
		return;
	}
	cl->ctl = c;
	cl->fd = fd;
	if (control_peer(cl) < 0) {
		log_warn("control: peer credentials");
		free(cl);
		close(fd);
		return;
	}
	ctl_rx_init(&cl->rx, CTL_MAX_REQUEST);
	ev_io_init(&cl->rio, control_read_cb, fd, EV_READ);
	ev_io_init(&cl->wio, control_write_cb, fd, EV_WRITE);
	cl->rio.data = cl->wio.data = cl;
	ev_io_start(loop, &cl->rio);
	cl->next = c->clients;
	c->clients = cl;
	log_debug("control", "client pid %d uid %u connected", (int)cl->pid,
	    (unsigned)cl->uid);
}

static void
control_client_close(struct control_client *cl)
{
	struct control		*c = cl->ctl;
	struct control_client	**pp;
	struct control_out	*o;

	for (pp = &c->clients; *pp; pp = &(*pp)->next)
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	ev_io_stop(c->loop, &cl->rio);
	ev_io_stop(c->loop, &cl->wio);
	close(cl->fd);
	while ((o = cl->head) != NULL) {
		cl->head = o->next;
		ctl_tx_free(&o->tx);
		free(o);
	}
	ctl_rx_free(&cl->rx);
	log_debug("control", "client pid %d gone", (int)cl->pid);
	free(cl->groups);
	free(cl);
}

void
control_broadcast(struct control *c, struct json_object *ev)
{
	for (struct control_client *cl = c->clients; cl; cl = cl->next) {
		if (!cl->events || cl->dead)
			continue;
		if (cl->queued > CONTROL_EVENTS_MAX) {
			log_warnx("control: events client pid %d too slow; "
			    "disconnected", (int)cl->pid);
			cl->dead = true;
		} else if (control_queue(cl, ev) < 0)
			cl->dead = true;
		/* Its write callback sends, or closes it if dead. */
		ev_io_start(c->loop, &cl->wio);
	}
}

static int
control_group(const char *name, bool *has, gid_t *gid)
{
	struct group	 gr, *res = NULL;
	char		 buf[16384];
	int		 rv;

	*has = false;
	if (name == NULL || name[0] == '\0')
		return 0;
	if ((rv = getgrnam_r(name, &gr, buf, sizeof(buf), &res)) != 0)
		return -rv;
	if (res == NULL)
		return -ENOENT;
	*has = true;
	*gid = gr.gr_gid;
	return 0;
}

int
control_set_group(struct control *c, const char *group)
{
	bool	 has;
	gid_t	 gid = 0;
	int	 rv;

	if ((rv = control_group(group, &has, &gid)) < 0)
		return rv;
	/* The file's group lets members connect; the check lets them read. */
	if (chown(c->path, (uid_t)-1, has ? gid : 0) < 0)
		return -errno;
	c->has_group = has;
	c->gid = gid;
	return 0;
}

/* mkdir -p the socket's directory (0755). */
static int
control_mkdirs(const char *path)
{
	char	 dir[sizeof(((struct sockaddr_un *)0)->sun_path)], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* A socket file left by a vrfd that died goes; a live one stays. */
static int
control_stale(const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd, rv;

	if (lstat(sun->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	rv = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rv == 0)
		return -EADDRINUSE;
	if (unlink(sun->sun_path) < 0 && errno != ENOENT)
		return -errno;
	log_info("control: removed stale socket %s", sun->sun_path);
	return 0;
}

struct control *
control_new(struct ev_loop *loop, const char *path, const char *group,
    const struct control_ops *ops, void *arg)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	struct control		*c;
	mode_t			 old;
	int			 rv;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->loop = loop;
	c->ops = ops;
	c->arg = arg;
	c->fd = -1;
	memcpy(c->path, path, strlen(path) + 1);
	if ((rv = control_mkdirs(path)) < 0 || (rv = control_stale(&sun)) < 0)
		goto fail;
	if ((c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0) {
		rv = -errno;
		goto fail;
	}
	/* The file is born 0660: no window in which others may connect. */
	old = umask(0117);
	rv = bind(c->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rv < 0) {
		rv = -errno;
		goto fail;
	}
	/* listen at once: a client that finds the file must not be refused
	 * (vrfctl would take that for "no daemon" and act alone). */
	if (listen(c->fd, 64) < 0 || chmod(path, 0660) < 0) {
		rv = -errno;
		unlink(path);
		goto fail;
	}
	if ((rv = control_set_group(c, group)) < 0) {
		unlink(path);
		goto fail;
	}
	ev_io_init(&c->lio, control_accept_cb, c->fd, EV_READ);
	c->lio.data = c;
	ev_io_start(loop, &c->lio);
	return c;
 fail:
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	errno = -rv;
	return NULL;
}

void
control_free(struct control *c)
{
	if (c == NULL)
		return;
	while (c->clients)
		control_client_close(c->clients);
	ev_io_stop(c->loop, &c->lio);
	close(c->fd);
	unlink(c->path);
	free(c);
}
