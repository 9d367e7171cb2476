/*
 * daemon: vrfd's start and its loop. At start it reads its
 * configuration, takes the one-writer lock (engine/lock.h), opens the
 * control socket and the watch, and converges every lab kept under the
 * state directory (a restart repairs what drifted while it was down).
 * Then it serves requests (request.c) and repairs drift (repair.c), the
 * passes running on worker threads, until SIGTERM or SIGINT, which stop
 * it and leave the labs running. SIGHUP reads the configuration again; a
 * bad one is refused whole, and the running one stays.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>

#include "daemon.h"
#include "engine/engine.h"
#include "engine/host.h"
#include "engine/lock.h"
#include "engine/state.h"
#include "log.h"
#include "supervise.h"
#include "nscache.h"

/* Passes at once, at most: RTNL is one lock, more would only wait. */
#define DAEMON_WORKERS	4

static const struct watch_ops daemon_watch_ops = {
	.event = repair_event,
	.gone = repair_gone,
	.lost = repair_lost,
	.watching = repair_watching,
};

static const struct control_ops daemon_control_ops = {
	.request = request_handle,
};

static void
daemon_log_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag	*g = &dl->v[i];
		char			 at[64] = "";

		if (g->line && g->col)
			snprintf(at, sizeof(at), "%u:%u:", g->line, g->col);
		else if (g->line)
			snprintf(at, sizeof(at), "%u:", g->line);
		log_warnx("%s:%s %s: %s%s%s", g->file, at,
		    g->level == DIAG_ERROR ? "error" : "warning", g->path,
		    g->path[0] ? ": " : "", g->msg);
	}
}

static struct control_limits
daemon_limits(const struct conf *c)
{
	struct control_limits	 l = {
		.max_clients = c->max_clients,
		.max_per_user = c->max_clients_per_user,
		.timeout = c->client_timeout,
	};

	return l;
}

/* Does GROUP ("" = none) exist? */
static int
daemon_group_ok(const char *group)
{
	char	 buf[16384];
	struct group	 gr, *res = NULL;
	int	 rv;

	if (group[0] == '\0')
		return 0;
	if ((rv = getgrnam_r(group, &gr, buf, sizeof(buf), &res)) != 0)
		return -rv;
	return res ? 0 : -ENOENT;
}

/* The configuration: the file, then the flags over it; every value that
 * names something on the host checked. */
static int
daemon_conf(const struct daemon_args *a, struct conf *c)
{
	struct diag_list	 dl = { 0 };
	int			 rv;

	conf_defaults(c);
	rv = conf_load(a->conf_file ? a->conf_file : CONF_FILE_DEFAULT,
	    !a->conf_given, c, &dl);
	daemon_log_diags(&dl);
	diag_list_free(&dl);
	if (rv < 0)
		return rv;
	if (a->socket)
		snprintf(c->socket, sizeof(c->socket), "%s", a->socket);
	if (a->state_dir)
		snprintf(c->state_dir, sizeof(c->state_dir), "%s",
		    a->state_dir);
	if (a->debug)
		snprintf(c->debug, sizeof(c->debug), "%s", a->debug);
	if (a->host)
		snprintf(c->host, sizeof(c->host), "%s", a->host);
	if (a->syslog)
		c->syslog = true;
	if ((rv = daemon_group_ok(c->read_group)) < 0) {
		log_warnx("read_group %s: %s", c->read_group, rv == -ENOENT ?
		    "no such group" : strerror(-rv));
		return rv;
	}
	return 0;
}

static void
daemon_resync_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)revents;
	repair_resync(t->data);
}

static void
daemon_resync_arm(struct daemon *d)
{
	double	 iv = d->conf.resync_interval;

	ev_timer_stop(d->loop, &d->resync);
	if (iv > 0) {
		ev_timer_set(&d->resync, iv, iv);
		ev_timer_start(d->loop, &d->resync);
	}
}

static void
daemon_reload(struct daemon *d)
{
	struct conf	 nc;
	int		 rv;

	if (daemon_conf(&d->args, &nc) < 0) {
		log_warnx("configuration not reloaded: it has errors");
		return;
	}
	if (strcmp(nc.socket, d->conf.socket) != 0 ||
	    strcmp(nc.state_dir, d->conf.state_dir) != 0 ||
	    strcmp(nc.host, d->conf.host) != 0 ||
	    nc.syslog != d->conf.syslog)
		log_warnx("socket, state_dir, host and syslog change at "
		    "restart");
	snprintf(nc.socket, sizeof(nc.socket), "%s", d->conf.socket);
	snprintf(nc.state_dir, sizeof(nc.state_dir), "%s", d->conf.state_dir);
	snprintf(nc.host, sizeof(nc.host), "%s", d->conf.host);
	nc.syslog = d->conf.syslog;
	if (strcmp(nc.read_group, d->conf.read_group) != 0 &&
	    (rv = control_set_group(d->ctl, nc.read_group)) < 0) {
		log_warnx("configuration not reloaded: read_group %s: %s",
		    nc.read_group, strerror(-rv));
		return;
	}
	log_set_debug(nc.debug);
	control_set_limits(d->ctl, &(struct control_limits){
	    .max_clients = nc.max_clients,
	    .max_per_user = nc.max_clients_per_user,
	    .timeout = nc.client_timeout });
	d->conf = nc;
	daemon_resync_arm(d);
	log_info("configuration reloaded");
}

static void
daemon_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon	*d = w->data;

	(void)revents;
	if (w->signum == SIGHUP) {
		daemon_reload(d);
		return;
	}
	log_info("signal %d: stopping; the labs stay", w->signum);
	ev_break(loop, EVBREAK_ALL);
}

/* The one writer of this host's labs: waited for while a vrfctl holds
 * it, refused when another vrfd does. */
static int
daemon_lock(struct daemon *d)
{
	struct lock_holder	 h;
	int			 rv;

	if ((d->lock = lock_open()) < 0) {
		log_warnx("%s: %s", LOCK_PATH, strerror(-d->lock));
		return -1;
	}
	if ((rv = lock_try(d->lock, &h)) == -EWOULDBLOCK) {
		if (h.daemon) {
			log_warnx("another vrfd (pid %d, %s) keeps the labs "
			    "of this host", (int)h.pid, h.socket);
			return -1;
		}
		log_info("waiting for vrfctl (pid %d) to finish", (int)h.pid);
		rv = lock_wait(d->lock);
	}
	if (rv < 0 || (rv = lock_claim(d->lock, d->conf.socket)) < 0) {
		log_warnx("%s: %s", LOCK_PATH, strerror(-rv));
		return -1;
	}
	return 0;
}

static void
daemon_free(struct daemon *d)
{
	/* The passes running end first: their replies still go out. */
	worker_free(d->worker);
	supervise_free(d);
	labs_free(d);
	control_free(d->ctl);
	watch_free(d->watch);
	nscache_free(d->cache);
	lock_close(d->lock);
	if (d->loop)
		ev_loop_destroy(d->loop);
}

int
daemon_main(const struct daemon_args *args)
{
	struct daemon		 d = { .args = *args, .lock = -1 };
	struct control_limits	 limits;
	int			 rv;

	log_init("vrfd", args->verbose, args->syslog);
	if (daemon_conf(args, &d.conf) < 0)
		return 1;
	if (d.conf.syslog != args->syslog)
		log_init("vrfd", args->verbose, d.conf.syslog);
	log_set_debug(d.conf.debug);
	state_set_dir(d.conf.state_dir);
	/* Which host of a lab spread over several this is (host.h). */
	host_set(d.conf.host);
	signal(SIGPIPE, SIG_IGN);
	/* Passes over large labs need more descriptors than the usual soft
	 * limit; the hard one is LimitNOFILE= in vrfd.service. */
	if ((rv = engine_fd_limit()) < 0)
		log_warnx("cannot raise the descriptor limit: %s",
		    strerror(-rv));
	if ((d.loop = ev_default_loop(EVFLAG_AUTO)) == NULL) {
		log_warnx("cannot start the event loop");
		return 1;
	}
	if (daemon_lock(&d) < 0) {
		daemon_free(&d);
		return 1;
	}
	if ((d.cache = nscache_new()) == NULL ||
	    (d.worker = worker_new(d.loop, DAEMON_WORKERS)) == NULL) {
		log_warn("cannot start");
		daemon_free(&d);
		return 1;
	}
	d.memory = nscache_memory(d.cache);
	if ((d.watch = watch_new(d.loop, &daemon_watch_ops, &d)) == NULL) {
		log_warn("cannot watch the kernel's events");
		daemon_free(&d);
		return 1;
	}
	limits = daemon_limits(&d.conf);
	if ((d.ctl = control_new(d.loop, d.conf.socket, d.conf.read_group,
	    &limits, &daemon_control_ops, &d)) == NULL) {
		if (errno == EADDRINUSE)
			log_warnx("%s: another vrfd answers there",
			    d.conf.socket);
		else
			log_warn("%s", d.conf.socket);
		daemon_free(&d);
		return 1;
	}
	log_info("listening on %s, labs kept in %s", d.conf.socket,
	    state_dir());
	if (d.conf.host[0])
		log_info("this is host %s of the labs spread over hosts",
		    d.conf.host);
	request_start_labs(&d);

	ev_timer_init(&d.resync, daemon_resync_cb, 0, 0);
	d.resync.data = &d;
	daemon_resync_arm(&d);
	supervise_init(&d);
	ev_signal_init(&d.sig_term, daemon_signal_cb, SIGTERM);
	ev_signal_init(&d.sig_int, daemon_signal_cb, SIGINT);
	ev_signal_init(&d.sig_hup, daemon_signal_cb, SIGHUP);
	d.sig_term.data = d.sig_int.data = d.sig_hup.data = &d;
	ev_signal_start(d.loop, &d.sig_term);
	ev_signal_start(d.loop, &d.sig_int);
	ev_signal_start(d.loop, &d.sig_hup);
	ev_run(d.loop, 0);

	ev_timer_stop(d.loop, &d.resync);
	ev_signal_stop(d.loop, &d.sig_term);
	ev_signal_stop(d.loop, &d.sig_int);
	ev_signal_stop(d.loop, &d.sig_hup);
	d.stopping = true;
	daemon_free(&d);
	return 0;
}
