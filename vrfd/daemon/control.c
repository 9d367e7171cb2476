/*
 * control: accept clients on the control socket, check who they are,
 * read their requests, queue the replies and the events they follow
 * (control.h has the rules and the limits).
 *
 * Where it sits: between vrfctl and daemon.c. It knows the commands and
 * who may run them; daemon.c runs them (control_ops.request), now or,
 * for passes, later through the request's handle. A client has at most
 * one request in hand: the next is read once that one is answered and
 * its reply has gone out, so that a client that does not read holds one
 * reply at most.
 *
 * A client is closed only from its own callbacks or the sweep: a
 * broadcast just queues, and marks a client that cannot keep up as dead.
 */
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
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
#include "kernel/clock.h"
#include "log.h"
#include "proto/ctl_proto.h"
#include "proto/ctl_text.h"

/* An events client this far behind is disconnected. */
#define CONTROL_EVENTS_MAX	(4 * 1024 * 1024)
/* Packets read per wake-up, so that one client cannot hog the loop. */
#define CONTROL_BURST		64
#define CONTROL_MAX_GROUPS	4096
/* Progress waiting for a client, at most. */
#define CONTROL_INTERIM_MAX	(64 * 1024)
/* When accept() finds no descriptor: rest this long (s). */
#define CONTROL_REST		0.25
/* How often idle clients are looked for (s). */
#define CONTROL_SWEEP		1.0

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
	bool			 closing;	/* close once the queue is out */
	struct control_req	*pending;	/* a request in hand */
	struct ctl_rx		 rx;
	struct control_out	*head, *tail;
	size_t			 queued;	/* bytes not yet sent */
	double			 active;	/* last read or write (mono) */
};

/* A request in hand: answered once, by control_reply(). */
struct control_req {
	struct control_client	*cl;	/* NULL: the client has gone */
	enum ctl_cmd		 cmd;
};

struct control {
	struct ev_loop		*loop;
	const struct control_ops *ops;
	void			*arg;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int			 fd;
	ev_io			 lio;
	ev_timer		 rest;		/* accept() paused */
	ev_timer		 sweep;
	struct control_limits	 limits;
	bool			 has_group;
	gid_t			 gid;
	struct control_client	*clients;
	unsigned		 n_clients;
};

static void	control_client_close(struct control_client *);

/* Read requests only from a client with none in hand and nothing to
 * send: one reply at most waits for a client that does not read. */
static void
control_rio_update(struct control_client *cl)
{
	if (cl->pending || cl->head || cl->dead || cl->closing)
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
		if (o->tx.off != before)
			cl->active = clock_mono();
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
	if (cl->head == NULL && cl->closing)
		return -ECONNRESET;
	control_rio_update(cl);
	return 0;
}

static int
control_queue(struct control_client *cl, struct json_object *doc)
{
	struct control_out	*o;
	int			 rv;

	if (doc == NULL)
		return -ENOMEM;
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

/* A reply of words only (refusals, errors): queued. */
static void
control_queue_error(struct control_client *cl, enum ctl_cmd cmd,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
control_queue_error(struct control_client *cl, enum ctl_cmd cmd,
    const char *fmt, ...)
{
	struct ctl_reply	 r = { .ok = false };
	struct json_object	*doc;
	char			 msg[512];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r.error = msg;
	doc = ctl_reply_encode(&r, cmd);
	if (control_queue(cl, doc) < 0)
		cl->dead = true;
	json_object_put(doc);
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

/* May CL ask for CMD? If not, it is told why. */
static bool
control_allowed(struct control_client *cl, enum ctl_cmd cmd)
{
	if (!ctl_cmd_reads(cmd) && cl->uid != 0) {
		log_warnx("control: %s refused to uid %u (pid %d)",
		    ctl_cmd_name(cmd), (unsigned)cl->uid, (int)cl->pid);
		control_queue_error(cl, cmd, "permission denied: %s needs "
		    "root", ctl_cmd_name(cmd));
		return false;
	}
	if (cmd != CTL_PING && !control_may_read(cl)) {
		control_queue_error(cl, cmd, "permission denied: %s needs "
		    "root or the read group", ctl_cmd_name(cmd));
		return false;
	}
	return true;
}

/* A request read whole, and allowed. */
static void
control_run(struct control_client *cl, const struct ctl_request *req)
{
	struct control_req	*h;

	if (req->cmd == CTL_EVENTS) {
		struct ctl_reply	 r = { .ok = true };
		struct json_object	*o = ctl_reply_encode(&r, CTL_EVENTS);

		cl->events = true;
		log_debug("control", "client pid %d follows events",
		    (int)cl->pid);
		if (control_queue(cl, o) < 0)
			cl->dead = true;
		json_object_put(o);
		return;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		control_queue_error(cl, req->cmd, "out of memory");
		return;
	}
	h->cl = cl;
	h->cmd = req->cmd;
	cl->pending = h;
	cl->ctl->ops->request(cl->ctl->arg, req, h);
}

static void
control_dispatch(struct control_client *cl, struct json_object *doc)
{
	struct ctl_request	 req;
	char			 err[256];
	int			 fd = ctl_rx_take_fd(&cl->rx);

	if (ctl_request_decode(doc, &req, err, sizeof(err)) < 0)
		control_queue_error(cl, CTL_PING, "%s", err);
	else if (!control_allowed(cl, req.cmd))
		;
	else if (req.text_by_fd && ctl_text_check(fd, req.len, err,
	    sizeof(err)) < 0)
		control_queue_error(cl, req.cmd, "%s", err);
	else {
		/* Read by the request, if its digest is of no text kept. */
		req.text_fd = req.text_by_fd ? fd : -1;
		control_run(cl, &req);
	}
	if (fd >= 0)
		close(fd);
}

void
control_reply(struct control_req *h, const struct ctl_reply *reply)
{
	struct control_client	*cl = h->cl;
	struct json_object	*doc;

	if (cl != NULL) {
		cl->pending = NULL;
		doc = ctl_reply_encode(reply, h->cmd);
		if (doc == NULL)
			control_queue_error(cl, h->cmd, "out of memory");
		else if (control_queue(cl, doc) < 0)
			cl->dead = true;
		json_object_put(doc);
		if (cl->dead || control_flush(cl) < 0)
			cl->dead = true;
		control_rio_update(cl);
		/* A dead client is closed by its write callback. */
		if (cl->dead)
			ev_io_start(cl->ctl->loop, &cl->wio);
	}
	free(h);
}

void
control_interim(struct control_req *h, struct json_object *doc)
{
	struct control_client	*cl = h->cl;

	/* A few small documents a second; a client that does not read
	 * them gets none more, and its reply still follows them. */
	if (cl == NULL || cl->dead || cl->queued > CONTROL_INTERIM_MAX)
		return;
	if (control_queue(cl, doc) < 0 || control_flush(cl) < 0) {
		cl->dead = true;
		ev_io_start(cl->ctl->loop, &cl->wio);
	}
}

/* One document read from CL. */
static void
control_handle(struct control_client *cl)
{
	struct json_object	*doc;

	if ((doc = ctl_rx_take(&cl->rx)) == NULL) {
		if (errno == EMSGSIZE)
			control_queue_error(cl, CTL_PING, "request too large "
			    "or malformed packets (at most %u bytes)",
			    CTL_MAX_REQUEST);
		else if (errno == ENOTUNIQ)
			control_queue_error(cl, CTL_PING, "malformed request: "
			    "a member name appears twice in an object");
		else if (errno == ENOMEM)
			control_queue_error(cl, CTL_PING, "out of memory");
		else
			control_queue_error(cl, CTL_PING, "malformed request: "
			    "not a strict JSON object (RFC 8259)");
		log_debug("control", "pid %d: bad request", (int)cl->pid);
		return;
	}
	control_dispatch(cl, doc);
	json_object_put(doc);
}

static void
control_read_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct control_client	*cl = io->data;
	int			 rv = 0;

	(void)loop;
	(void)revents;
	for (int i = 0; i < CONTROL_BURST && !cl->dead && !cl->pending &&
	    cl->head == NULL; i++) {
		if ((rv = ctl_rx_read(cl->fd, &cl->rx)) == -EAGAIN) {
			rv = 0;
			break;
		}
		if (rv < 0)
			break;
		cl->active = clock_mono();
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

static unsigned
control_of_uid(const struct control *c, uid_t uid)
{
	unsigned	 n = 0;

	for (struct control_client *cl = c->clients; cl; cl = cl->next)
		n += cl->uid == uid && !cl->closing;
	return n;
}

/* Over a limit: told so, then closed once that went out. Root's clients
 * count only against their own cap, so that the read group filling the
 * rest never locks root out: the descriptors that clients can take are
 * bounded by max_clients + max_per_user. */
static bool
control_over_limits(struct control_client *cl)
{
	struct control	*c = cl->ctl;
	unsigned	 mine = control_of_uid(c, cl->uid);
	unsigned	 others = c->n_clients - control_of_uid(c, 0);

	if (cl->uid != 0 && others > c->limits.max_clients)
		control_queue_error(cl, CTL_PING, "too many clients (at most "
		    "%u): try again later", c->limits.max_clients);
	else if (mine > c->limits.max_per_user)
		control_queue_error(cl, CTL_PING, "too many clients of uid %u "
		    "(at most %u): try again later", (unsigned)cl->uid,
		    c->limits.max_per_user);
	else
		return false;
	/* Without the pid: a flood of clients from many processes is one
	 * line repeated, which the log counts instead of writing. */
	log_warnx("control: a client of uid %u refused: too many clients",
	    (unsigned)cl->uid);
	log_debug("control", "refused client pid %d", (int)cl->pid);
	cl->closing = true;
	return true;
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
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* The connection waits in the backlog; accepting
			 * again at once would only spin. */
			log_warn("control: accept; resting %.2f s",
			    CONTROL_REST);
			ev_io_stop(loop, &c->lio);
			ev_timer_set(&c->rest, CONTROL_REST, 0);
			ev_timer_start(loop, &c->rest);
		} else if (errno != EAGAIN && errno != EINTR &&
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
	cl->active = clock_mono();
	cl->next = c->clients;
	c->clients = cl;
	c->n_clients++;
	log_debug("control", "client pid %d uid %u connected", (int)cl->pid,
	    (unsigned)cl->uid);
	if (control_over_limits(cl) && control_flush(cl) < 0) {
		control_client_close(cl);
		return;
	}
	control_rio_update(cl);
}

static void
control_rest_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct control	*c = t->data;

	(void)revents;
	ev_io_start(loop, &c->lio);
}

/* Clients idle too long, or not reading what they were sent: closed. A
 * client following events, or waiting for its answer, is not idle. */
static void
control_sweep_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct control		*c = t->data;
	struct control_client	*cl, *next;
	double			 now = clock_mono();

	(void)loop;
	(void)revents;
	for (cl = c->clients; cl; cl = next) {
		next = cl->next;
		if (cl->dead) {
			control_client_close(cl);
			continue;
		}
		if (now - cl->active < c->limits.timeout ||
		    (cl->pending && cl->head == NULL) ||
		    (cl->events && cl->head == NULL))
			continue;
		log_info("control: client pid %d idle for %u s: closed",
		    (int)cl->pid, c->limits.timeout);
		control_client_close(cl);
	}
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
	c->n_clients--;
	/* Its request still runs: the answer goes nowhere. */
	if (cl->pending)
		cl->pending->cl = NULL;
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

void
control_set_limits(struct control *c, const struct control_limits *l)
{
	c->limits = *l;
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
    const struct control_limits *limits, const struct control_ops *ops,
    void *arg)
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
	c->limits = *limits;
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
	 * (vrfctl would take that for "no daemon"). */
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
	ev_timer_init(&c->rest, control_rest_cb, 0, 0);
	c->rest.data = c;
	ev_timer_init(&c->sweep, control_sweep_cb, CONTROL_SWEEP,
	    CONTROL_SWEEP);
	c->sweep.data = c;
	ev_timer_start(loop, &c->sweep);
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
	ev_timer_stop(c->loop, &c->rest);
	ev_timer_stop(c->loop, &c->sweep);
	close(c->fd);
	unlink(c->path);
	free(c);
}
