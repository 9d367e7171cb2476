/*
 * ask: how vrfctl reaches vrfd, or does without it.
 *
 * A command that reads or changes labs asks vrfd first. Only when no vrfd
 * answers does vrfctl run the same engine itself, and then only as root
 * and as the one writer (engine/lock.h): never beside a running vrfd,
 * whatever socket that one listens on, and never beside another vrfctl
 * doing the same (it waits for that one).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "engine/engine.h"
#include "engine/lock.h"
#include "kernel/clock.h"
#include "vrfctl.h"

/* A vrfd that holds the lock but does not answer yet may be starting:
 * this long for it to listen. */
#define ASK_START_WAIT	5.0
/* How often a vrfctl waiting for another one asks again. */
#define ASK_LOCK_POLL_MS	20

static bool
ask_no_daemon(int rv)
{
	return rv == -ENOENT || rv == -ECONNREFUSED;
}

/* What client_request's or client_open's RV means to vrfctl: said. */
static int
ask_status(struct vrfctl *v, int rv)
{
	if (ask_no_daemon(rv))
		return VRFCTL_NO_DAEMON;
	if (rv < 0) {
		vrfctl_warnx(v, "vrfd (%s): %s", v->socket, strerror(-rv));
		return VRFCTL_EXIT_UNREACHABLE;
	}
	return 0;
}

int
vrfctl_ask(struct vrfctl *v, const struct ctl_request *req,
    struct ctl_reply *reply,
    void (*progress)(const struct engine_progress *, void *), void *arg)
{
	return ask_status(v, client_request(v->socket, req, reply, progress,
	    arg));
}

int
vrfctl_connect(struct vrfctl *v, int *fd)
{
	int	 rv;

	*fd = -1;
	if ((rv = client_open(v->socket)) < 0)
		return ask_status(v, rv);
	*fd = rv;
	return 0;
}

int
vrfctl_ask_on(struct vrfctl *v, int fd, const struct ctl_request *req,
    struct ctl_reply *reply,
    void (*progress)(const struct engine_progress *, void *), void *arg)
{
	return ask_status(v, client_exchange(fd, req, reply, progress, arg));
}

/* Does a daemon answer at SOCKET (a ping)? */
static bool
ask_answers(const char *socket)
{
	struct ctl_request	 req = { .cmd = CTL_PING };
	struct ctl_reply	 reply;
	int			 rv;

	rv = client_request(socket, &req, &reply, NULL, NULL);
	ctl_reply_clear(&reply);
	return rv == 0;
}

/* The lock is vrfd's: say where it listens, and do nothing. */
static int
ask_daemon_holds(struct vrfctl *v, const struct lock_holder *h)
{
	double	 end = clock_mono() + ASK_START_WAIT;

	/* Starting on our socket: it will answer in a moment. */
	while (strcmp(h->socket, v->socket) == 0 && clock_mono() < end) {
		if (ask_answers(v->socket)) {
			vrfctl_warnx(v, "vrfd (pid %d) answers now: run the "
			    "command again", (int)h->pid);
			return VRFCTL_EXIT_UNREACHABLE;
		}
		usleep(50 * 1000);
	}
	if (h->socket[0] && strcmp(h->socket, v->socket) != 0)
		vrfctl_warnx(v, "vrfd (pid %d) runs and listens on %s, not "
		    "%s: use -s %s", (int)h->pid, h->socket, v->socket,
		    h->socket);
	else
		vrfctl_warnx(v, "vrfd (pid %d) runs but does not answer on "
		    "%s", (int)h->pid, v->socket);
	return VRFCTL_EXIT_UNREACHABLE;
}

bool
vrfctl_alone_now(struct vrfctl *v)
{
	struct lock_holder	 h;
	int			 fd;

	if (v->lock >= 0)
		return true;
	if (geteuid() != 0 || (fd = lock_open()) < 0)
		return false;
	if (lock_try(fd, &h) < 0) {
		lock_close(fd);
		return false;
	}
	(void)engine_fd_limit();
	(void)lock_claim(fd, NULL);
	v->lock = fd;
	return true;
}

int
vrfctl_alone(struct vrfctl *v)
{
	struct lock_holder	 h;
	int			 fd, rv;

	if (v->lock >= 0)
		return 0;	/* taken already (vrfctl_alone_now) */
	if (geteuid() != 0) {
		vrfctl_warnx(v, "vrfd does not answer on %s, and without it "
		    "%s needs root", v->socket, v->cmd->name);
		return VRFCTL_EXIT_UNREACHABLE;
	}
	if ((fd = lock_open()) < 0) {
		vrfctl_warnx(v, "%s: %s", LOCK_PATH, strerror(-fd));
		return VRFCTL_EXIT_FAILED;
	}
	/* The engine runs here: a large lab needs more descriptors than
	 * the usual soft limit (engine.h). Without, the pass says so. */
	(void)engine_fd_limit();
	/* Another vrfctl's turn: wait for it, asking again and again
	 * rather than in one blocking wait, since a vrfd that starts
	 * meanwhile may get it next, and then it is vrfd to ask. */
	for (bool told = false; (rv = lock_try(fd, &h)) == -EWOULDBLOCK;
	    told = true) {
		if (h.daemon) {
			lock_close(fd);
			return ask_daemon_holds(v, &h);
		}
		if (!told && isatty(STDERR_FILENO))
			fprintf(stderr, "vrfctl: %s: waiting for vrfctl (pid "
			    "%d) to finish\n", v->cmd->name, (int)h.pid);
		usleep(ASK_LOCK_POLL_MS * 1000);
	}
	if (rv < 0) {
		vrfctl_warnx(v, "%s: %s", LOCK_PATH, strerror(-rv));
		lock_close(fd);
		return VRFCTL_EXIT_FAILED;
	}
	(void)lock_claim(fd, NULL);
	v->lock = fd;
	return 0;
}
