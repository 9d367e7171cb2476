/*
 * daemon: vrfd's event loop. At start it reads its configuration, opens
 * the control socket and the watch, and converges every lab kept under the
 * state directory (a restart repairs what drifted while it was down). Then
 * it serves requests (control.c) and repairs drift (repair.c) until
 * SIGTERM or SIGINT, which stop it and leave the labs running. SIGHUP
 * reads the configuration again; a bad one keeps the running one.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>
#include <json-c/json.h>

#include "proto/conf.h"
#include "control.h"
#include "proto/ctl_proto.h"
#include "daemon.h"
#include "topo/diag.h"
#include "engine/engine.h"
#include "proto/jsonget.h"
#include "log.h"
#include "nscache.h"
#include "engine/state.h"
#include "topo/topo.h"
#include "watch.h"

static const struct watch_ops daemon_watch_ops = {
	.changed = repair_changed,
	.lost = repair_lost,
	.watching = repair_watching,
	.touched = repair_touched,
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

/* The topology of an apply or plan request. */
struct daemon_req {
	const char		*file;
	const char		*text;
	size_t			 len;
	/* The kept lab whose last apply had the same file and text: its
	 * topology serves again, unparsed. Else TOPO, parsed and checked. */
	struct dlab		*kept;
	struct topo		*topo;
	struct json_object	*diags;		/* warnings */
};

static void
daemon_req_free(struct daemon_req *r)
{
	topo_free(r->topo);
	json_object_put(r->diags);
	memset(r, 0, sizeof(*r));
}

static struct dlab *
daemon_req_kept(struct daemon *d, const struct daemon_req *r)
{
	for (size_t i = 0; i < d->n_labs; i++) {
		struct dlab	*lab = d->labs[i];

		if (lab->text && lab->text_len == r->len &&
		    strcmp(lab->file, r->file) == 0 &&
		    memcmp(lab->text, r->text, r->len) == 0)
			return lab;
	}
	return NULL;
}

/* 0 and R filled, or an error reply in *REPLY. */
static int
daemon_req_topo(struct daemon *d, struct json_object *req,
    struct daemon_req *r, struct json_object **reply)
{
	struct json_object	*t;
	struct diag_list	 dl = { 0 };

	memset(r, 0, sizeof(*r));
	if (!json_object_object_get_ex(req, "topology", &t) ||
	    !json_object_is_type(t, json_type_string)) {
		*reply = ctl_reply_error("malformed request: no \"topology\" "
		    "string");
		return -EINVAL;
	}
	if ((r->file = jsonget_str(req, "file")) == NULL)
		r->file = "<request>";
	r->text = json_object_get_string(t);
	r->len = (size_t)json_object_get_string_len(t);
	if ((r->kept = daemon_req_kept(d, r)) != NULL) {
		r->diags = json_object_get(r->kept->diags);
		return 0;
	}
	r->topo = topo_load_buf(r->file, r->text, r->len, &dl);
	if (r->topo)
		topo_check(r->topo, &dl);
	diag_sort(&dl);
	if (r->topo == NULL || dl.n_errors) {
		*reply = ctl_reply_error("invalid topology");
		json_object_object_add(*reply, "diagnostics",
		    diag_to_json(&dl));
		diag_list_free(&dl);
		daemon_req_free(r);
		return -EINVAL;
	}
	r->diags = diag_to_json(&dl);
	diag_list_free(&dl);
	return 0;
}

static bool
daemon_req_plan(struct json_object *req)
{
	struct json_object	*v;

	return json_object_object_get_ex(req, "with_plan", &v) &&
	    json_object_get_boolean(v);
}

/* The reply to an apply or plan: the report and the warnings. */
static struct json_object *
daemon_reply_report(struct json_object *report, struct json_object *diags)
{
	struct json_object	*reply = ctl_reply_ok(report);

	json_object_object_add(reply, "diagnostics", diags ?
	    json_object_get(diags) : json_object_new_array());
	return reply;
}

/* Keep R's topology as its lab's: on disk first (if the pass is cut
 * short, a restart finishes it), then in memory. NULL: *REPLY says why. */
static struct dlab *
daemon_keep(struct daemon *d, struct daemon_req *r, struct json_object **reply)
{
	struct dlab	*lab;
	char		 path[600];
	int		 rv;

	if ((lab = r->kept) != NULL) {
		/* The same text: on disk already, unless someone took it. */
		state_lab_path(lab->name, path, sizeof(path));
		if (access(path, F_OK) == 0)
			return lab;
	}
	if ((rv = state_save_lab_text(lab ? lab->name : r->topo->lab, r->text,
	    r->len)) < 0) {
		*reply = ctl_reply_error("%s: cannot keep the topology in %s: "
		    "%s", lab ? lab->name : r->topo->lab, state_dir(),
		    strerror(-rv));
		return NULL;
	}
	if (lab)
		return lab;
	if ((lab = repair_lab_keep(d, r->topo)) == NULL) {
		*reply = ctl_reply_error("out of memory");
		return NULL;
	}
	r->topo = NULL;		/* the lab's now */
	if (repair_lab_request(lab, r->file, r->text, r->len, r->diags) < 0)
		log_warnx("%s: out of memory: the next apply parses again",
		    lab->name);
	return lab;
}

/* Progress of an apply, to the client that asked with "progress": the
 * seconds after which it wants to hear, then ten times a second. */
struct daemon_progress {
	struct daemon	*d;
	double		 start, after, last;
};

static struct json_object *
daemon_progress_pair(const struct engine_progress *pr, int k)
{
	struct json_object	*a = json_object_new_array();

	json_object_array_add(a, json_object_new_int64((int64_t)pr->done[k]));
	json_object_array_add(a, json_object_new_int64((int64_t)pr->total[k]));
	return a;
}

static void
daemon_progress(void *arg, const struct engine_progress *pr)
{
	struct daemon_progress	*dp = arg;
	struct json_object	*doc, *o;
	double			 now = repair_mono();
	bool			 done = true;

	for (int k = 0; k < 3; k++)
		done &= pr->done[k] == pr->total[k];
	/* The last one (all done) always goes: the line ends complete. */
	if (now - dp->start < dp->after || (now - dp->last < 0.1 && !done))
		return;
	dp->last = now;
	o = json_object_new_object();
	json_object_object_add(o, "namespaces",
	    daemon_progress_pair(pr, ENGINE_PROG_NS));
	json_object_object_add(o, "links",
	    daemon_progress_pair(pr, ENGINE_PROG_LINKS));
	json_object_object_add(o, "objects",
	    daemon_progress_pair(pr, ENGINE_PROG_OBJECTS));
	doc = json_object_new_object();
	json_object_object_add(doc, "progress", o);
	control_interim(dp->d->ctl, doc);
	json_object_put(doc);
}

static struct json_object *
daemon_apply(struct daemon *d, struct json_object *req)
{
	struct engine_opts	 opts = { .with_plan = daemon_req_plan(req) };
	struct json_object	*reply, *report;
	struct daemon_req	 r;
	struct dlab		*lab;
	struct json_object	*v;
	size_t			 recalled = 0;
	double			 start = repair_mono();
	struct daemon_progress	 dp = { .d = d, .start = start };

	if (daemon_req_topo(d, req, &r, &reply) < 0)
		return reply;
	if (json_object_object_get_ex(req, "progress", &v) &&
	    (json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_int))) {
		dp.after = json_object_get_double(v);
		opts.progress = daemon_progress;
		opts.progress_arg = &dp;
	}
	if ((lab = daemon_keep(d, &r, &reply)) == NULL) {
		daemon_req_free(&r);
		return reply;
	}
	report = repair_pass(d, ENGINE_APPLY, lab->topo, &opts, &recalled);
	repair_lab_applied(d, lab, report);
	log_info("%s: applied: %d changes, %d failed", lab->name,
	    json_object_get_int(json_object_object_get(report, "changes")),
	    json_object_get_int(json_object_object_get(report, "failed")));
	log_debug("repair", "%s: apply: %zu of %zu namespaces read from "
	    "memory, %.1f ms", lab->name, recalled, lab->n_ns,
	    (repair_mono() - start) * 1000);
	reply = daemon_reply_report(report, r.diags);
	daemon_req_free(&r);
	return reply;
}

static struct json_object *
daemon_plan(struct daemon *d, struct json_object *req)
{
	struct engine_opts	 opts = { 0 };
	struct json_object	*reply;
	struct daemon_req	 r;
	const struct topo	*topo;
	size_t			 recalled = 0;

	if (daemon_req_topo(d, req, &r, &reply) < 0)
		return reply;
	topo = r.kept ? r.kept->topo : r.topo;
	reply = daemon_reply_report(repair_pass(d, ENGINE_PLAN, topo, &opts,
	    &recalled), r.diags);
	log_debug("repair", "%s: plan: %zu of %zu namespaces read from memory",
	    topo->lab, recalled, topo->n_ns);
	daemon_req_free(&r);
	return reply;
}

static struct json_object *
daemon_destroy(struct daemon *d, struct json_object *req)
{
	struct json_object	*report;
	const char		*name = jsonget_str(req, "lab");
	char			 lab[TOPO_NAME_MAX + 1];
	struct dlab		*dl;
	int			 rv;

	if (name == NULL || !topo_valid_name(name) ||
	    strlen(name) >= sizeof(lab))
		return ctl_reply_error("malformed request: \"lab\" must be a "
		    "lab name");
	snprintf(lab, sizeof(lab), "%s", name);
	/* Forget it first: the events of its end are nobody's now. */
	if ((dl = repair_lab_find(d, lab)) != NULL)
		repair_lab_forget(d, dl);
	report = engine_run(ENGINE_DESTROY, NULL, lab, NULL);
	if ((rv = state_remove_lab(lab)) < 0 && rv != -ENOENT)
		log_warnx("%s: cannot remove its stored topology: %s", lab,
		    strerror(-rv));
	log_info("%s: destroyed", lab);
	return ctl_reply_ok(report);
}

static struct json_object *
daemon_status(struct daemon *d, struct json_object *req)
{
	struct json_object	*v, *status;
	const char		*lab = NULL;

	if (json_object_object_get_ex(req, "lab", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_string))
			return ctl_reply_error("malformed request: \"lab\" "
			    "must be a string or null");
		lab = json_object_get_string(v);
	}
	status = engine_status(lab);
	repair_status(d, status, lab);
	return ctl_reply_ok(status);
}

static struct json_object *
daemon_ping(struct daemon *d)
{
	struct json_object	*r = json_object_new_object();
	struct json_object	*labs = json_object_new_array();

	for (size_t i = 0; i < d->n_labs; i++)
		json_object_array_add(labs,
		    json_object_new_string(d->labs[i]->name));
	json_object_object_add(r, "version",
	    json_object_new_string(VRFD_VERSION));
	json_object_object_add(r, "pid", json_object_new_int((int)getpid()));
	json_object_object_add(r, "labs", labs);
	return ctl_reply_ok(r);
}

static struct json_object *
daemon_request(void *arg, const char *cmd, struct json_object *req)
{
	struct daemon	*d = arg;

	log_debug("control", "request %s", cmd);
	if (strcmp(cmd, "apply") == 0)
		return daemon_apply(d, req);
	if (strcmp(cmd, "plan") == 0)
		return daemon_plan(d, req);
	if (strcmp(cmd, "destroy") == 0)
		return daemon_destroy(d, req);
	if (strcmp(cmd, "status") == 0)
		return daemon_status(d, req);
	if (strcmp(cmd, "ping") == 0)
		return daemon_ping(d);
	return ctl_reply_error("unknown command '%s'", cmd);
}

static const struct control_ops daemon_control_ops = {
	.request = daemon_request,
};

/* Start-up: converge every kept lab, then watch it. */
static void
daemon_start_labs(struct daemon *d)
{
	char	**labs;
	size_t	  n;
	int	  rv;

	if ((rv = state_list_labs(&labs, &n)) < 0) {
		log_warnx("%s: cannot list kept labs: %s", state_dir(),
		    strerror(-rv));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct diag_list	 dl = { 0 };
		struct json_object	*report;
		struct topo		*topo;
		struct dlab		*lab;
		char			 path[600];

		state_lab_path(labs[i], path, sizeof(path));
		if ((topo = topo_load(path, &dl)) != NULL)
			topo_check(topo, &dl);
		if (topo == NULL || dl.n_errors ||
		    strcmp(topo->lab, labs[i]) != 0) {
			daemon_log_diags(&dl);
			log_warnx("%s: not converged: %s", path, topo &&
			    !dl.n_errors ? "its lab has another name" :
			    "invalid topology");
			topo_free(topo);
			diag_list_free(&dl);
			free(labs[i]);
			continue;
		}
		diag_list_free(&dl);
		if ((lab = repair_lab_keep(d, topo)) == NULL) {
			topo_free(topo);
			free(labs[i]);
			continue;
		}
		report = engine_run(ENGINE_APPLY, lab->topo, NULL, NULL);
		repair_lab_applied(d, lab, report);
		log_info("%s: converged at start: %d changes, %d failed",
		    lab->name, json_object_get_int(
		    json_object_object_get(report, "changes")),
		    json_object_get_int(json_object_object_get(report,
		    "failed")));
		json_object_put(report);
		free(labs[i]);
	}
	free(labs);
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

/* The configuration: the file, then the flags over it. */
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
	if (a->syslog)
		c->syslog = true;
	return 0;
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
	    nc.syslog != d->conf.syslog)
		log_warnx("socket, state_dir and syslog change at restart");
	snprintf(nc.socket, sizeof(nc.socket), "%s", d->conf.socket);
	snprintf(nc.state_dir, sizeof(nc.state_dir), "%s", d->conf.state_dir);
	nc.syslog = d->conf.syslog;
	if (strcmp(nc.read_group, d->conf.read_group) != 0 &&
	    (rv = control_set_group(d->ctl, nc.read_group)) < 0) {
		log_warnx("read_group %s: %s; keeping %s", nc.read_group,
		    strerror(-rv), d->conf.read_group[0] ?
		    d->conf.read_group : "none");
		snprintf(nc.read_group, sizeof(nc.read_group), "%s",
		    d->conf.read_group);
	}
	log_set_debug(nc.debug);
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

static void
daemon_free(struct daemon *d)
{
	while (d->n_labs > 0)
		repair_lab_forget(d, d->labs[d->n_labs - 1]);
	free(d->labs);
	control_free(d->ctl);
	watch_free(d->watch);
	nscache_free(d->cache);
	if (d->loop)
		ev_loop_destroy(d->loop);
}

int
daemon_main(const struct daemon_args *args)
{
	struct daemon	 d = { .args = *args };

	log_init("vrfd", args->verbose, args->syslog);
	if (daemon_conf(args, &d.conf) < 0)
		return 1;
	if (d.conf.syslog != args->syslog)
		log_init("vrfd", args->verbose, d.conf.syslog);
	log_set_debug(d.conf.debug);
	state_set_dir(d.conf.state_dir);
	signal(SIGPIPE, SIG_IGN);
	if ((d.loop = ev_default_loop(EVFLAG_AUTO)) == NULL) {
		log_warnx("cannot start the event loop");
		return 1;
	}
	if ((d.cache = nscache_new()) == NULL) {
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
	if ((d.ctl = control_new(d.loop, d.conf.socket, d.conf.read_group,
	    &daemon_control_ops, &d)) == NULL) {
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
	daemon_start_labs(&d);

	ev_timer_init(&d.resync, daemon_resync_cb, 0, 0);
	d.resync.data = &d;
	daemon_resync_arm(&d);
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
	daemon_free(&d);
	return 0;
}
