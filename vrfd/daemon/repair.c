/*
 * repair: the daemon's answer to drift. The kept labs and their
 * namespaces; a change seen by watch.c marks a namespace dirty; a short
 * debounce later, one engine pass (APPLY, narrowed to the dirty namespaces
 * and their link peers) puts it back; what was done goes out as events.
 *
 * Why this cannot spin: the pass is idempotent. The events of our own
 * repair mark the namespace dirty again, the next pass finds nothing to do,
 * makes no change and so raises no event. And a person or a program that
 * keeps undoing an object meets a backoff: after backoff_repairs repairs of
 * one namespace within backoff_window seconds, its next repair waits
 * backoff_initial_ms, doubling up to backoff_max_ms while it goes on, and
 * back to none after a quiet window.
 *
 * Every pass takes what the daemon remembers of the namespaces it covers
 * (nscache.h) where no event has come since it was read, after reading
 * the events queued now; every event of a watched namespace forgets it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "control.h"
#include "daemon.h"
#include "engine/engine.h"
#include "proto/jsonget.h"
#include "log.h"
#include "nscache.h"
#include "topo/topo.h"
#include "watch.h"

double
repair_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
repair_wall(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "2024-05-01T12:00:01.123Z" */
struct json_object *
repair_time_json(double t)
{
	time_t		 s = (time_t)t;
	struct tm	 tm;
	char		 buf[40], out[48];

	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, sizeof(out), "%s.%03dZ", buf,
	    (int)((t - (double)s) * 1000) % 1000);
	return json_object_new_string(out);
}

/* A duration in ms, printed to the microsecond (not 22.233000000000001). */
static struct json_object *
repair_ms_json(double ms)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%.3f", ms);
	return json_object_new_double_s(ms, buf);
}

struct dlab *
repair_lab_find(struct daemon *d, const char *name)
{
	for (size_t i = 0; i < d->n_labs; i++)
		if (strcmp(d->labs[i]->name, name) == 0)
			return d->labs[i];
	return NULL;
}

/* A lab's namespace by name: looked up for every namespace of every
 * pass's report, so not by a walk of hundreds. */
struct dns *
repair_ns_find(struct dlab *lab, const char *name)
{
	size_t	 lo = 0, hi = lab ? lab->n_ns : 0, mid;
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(lab->ns[lab->by_name[mid]].name, name)) == 0)
			return &lab->ns[lab->by_name[mid]];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
repair_ns_cmp(const void *a, const void *b, void *arg)
{
	const struct dns	*ns = arg;

	return strcmp(ns[*(const size_t *)a].name, ns[*(const size_t *)b].name);
}

static struct dns *
repair_ns_any(struct daemon *d, const char *name, struct dlab **labp)
{
	struct dns	*dn;

	for (size_t i = 0; i < d->n_labs; i++)
		if ((dn = repair_ns_find(d->labs[i], name)) != NULL) {
			*labp = d->labs[i];
			return dn;
		}
	return NULL;
}

static void	repair_timer_cb(struct ev_loop *, ev_timer *, int);
static void	repair_mark(struct dlab *, struct dns *, const char *,
		    enum watch_src, unsigned);

struct dlab *
repair_lab_keep(struct daemon *d, struct topo *topo)
{
	struct dlab	*lab, **v;
	struct dns	*ns, *old;
	size_t		*by_name;

	if ((ns = calloc(topo->n_ns + 1, sizeof(*ns))) == NULL)
		return NULL;
	if ((by_name = calloc(topo->n_ns + 1, sizeof(*by_name))) == NULL) {
		free(ns);
		return NULL;
	}
	if ((lab = repair_lab_find(d, topo->lab)) == NULL) {
		if ((lab = calloc(1, sizeof(*lab))) == NULL ||
		    (v = reallocarray(d->labs, d->n_labs + 1,
		    sizeof(*v))) == NULL) {
			free(lab);
			free(ns);
			free(by_name);
			return NULL;
		}
		d->labs = v;
		d->labs[d->n_labs++] = lab;
		lab->d = d;
		snprintf(lab->name, sizeof(lab->name), "%s", topo->lab);
		ev_timer_init(&lab->timer, repair_timer_cb, 0, 0);
		lab->timer.data = lab;
	}
	/* A namespace that stays keeps its history and its watch. */
	for (size_t i = 0; i < topo->n_ns; i++) {
		snprintf(ns[i].name, sizeof(ns[i].name), "%s",
		    topo->ns[i].name);
		if ((old = repair_ns_find(lab, ns[i].name)) != NULL)
			ns[i] = *old;
		snprintf(ns[i].node, sizeof(ns[i].node), "%s",
		    topo->ns[i].node_name);
	}
	for (size_t i = 0; i < lab->n_ns; i++) {
		bool	 kept = false;

		for (size_t k = 0; k < topo->n_ns; k++)
			if (strcmp(lab->ns[i].name, ns[k].name) == 0)
				kept = true;
		if (!kept)
			watch_ns_del(d->watch, lab->ns[i].name);
	}
	free(lab->ns);
	free(lab->by_name);
	lab->ns = ns;
	lab->n_ns = topo->n_ns;
	for (size_t i = 0; i < lab->n_ns; i++)
		by_name[i] = i;
	qsort_r(by_name, lab->n_ns, sizeof(*by_name), repair_ns_cmp, ns);
	lab->by_name = by_name;
	topo_free(lab->topo);
	lab->topo = topo;
	return lab;
}

void
repair_lab_forget(struct daemon *d, struct dlab *lab)
{
	for (size_t i = 0; i < lab->n_ns; i++)
		watch_ns_del(d->watch, lab->ns[i].name);
	ev_timer_stop(d->loop, &lab->timer);
	for (size_t i = 0; i < d->n_labs; i++)
		if (d->labs[i] == lab) {
			d->labs[i] = d->labs[--d->n_labs];
			break;
		}
	topo_free(lab->topo);
	free(lab->ns);
	free(lab->by_name);
	free(lab->file);
	free(lab->text);
	json_object_put(lab->diags);
	free(lab);
}

int
repair_lab_request(struct dlab *lab, const char *file, const char *text,
    size_t len, struct json_object *diags)
{
	free(lab->file);
	free(lab->text);
	json_object_put(lab->diags);
	lab->file = strdup(file);
	lab->text = malloc(len + 1);
	lab->text_len = len;
	lab->diags = json_object_get(diags);
	if (lab->file == NULL || lab->text == NULL) {
		free(lab->file);
		free(lab->text);
		lab->file = lab->text = NULL;
		return -ENOMEM;
	}
	memcpy(lab->text, text, len);
	lab->text[len] = '\0';
	return 0;
}

static void
repair_watch(struct daemon *d, struct dns *dn)
{
	int	 rv;

	if (dn->watched)
		return;
	if ((rv = watch_ns_add(d->watch, dn->name)) == 0)
		dn->watched = true;
	else if (rv != -ENOENT)
		log_warnx("%s: cannot watch: %s", dn->name, strerror(-rv));
}

/* Watch the namespaces of REPORT that the pass left as the lab's; not
 * one that is someone else's (its events are none of ours). */
static void
repair_watch_report(struct daemon *d, struct dlab *lab,
    struct json_object *report)
{
	struct json_object	*nss, *o, *v;
	struct dns		*dn;

	if (!json_object_object_get_ex(report, "namespaces", &nss) ||
	    !json_object_is_type(nss, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(nss); i++) {
		o = json_object_array_get_idx(nss, i);
		if (!json_object_object_get_ex(o, "namespace", &v) ||
		    (dn = repair_ns_find(lab, json_object_get_string(v))) ==
		    NULL)
			continue;
		if (!json_object_object_get_ex(o, "error", &v)) {
			bool	 was = dn->watched;

			repair_watch(d, dn);
			/* Made or found by a pass that could not hear its
			 * events yet: read it once more, now that they
			 * come (this also fills the daemon's memory). */
			if (!was && dn->watched)
				repair_mark(lab, dn, "first look since it is "
				    "watched", WATCH_RESYNC, WATCH_ECHO);
		} else if (dn->watched) {
			watch_ns_del(d->watch, dn->name);
			dn->watched = false;
		}
	}
}

void
repair_lab_applied(struct daemon *d, struct dlab *lab,
    struct json_object *report)
{
	for (size_t i = 0; i < lab->n_ns; i++)
		lab->ns[i].dirty = false;
	lab->full = false;
	ev_timer_stop(d->loop, &lab->timer);
	lab->m_due = 0;
	repair_watch_report(d, lab, report);
	watch_drain(d->watch);
}

static double
repair_due(const struct daemon *d, const struct dns *dn)
{
	double	 due = dn->m_first + d->conf.debounce_ms / 1000.0;

	return dn->m_hold > due ? dn->m_hold : due;
}

/* Arm the lab's timer for its earliest due namespace. */
static void
repair_schedule(struct dlab *lab)
{
	struct daemon	*d = lab->d;
	double		 due = 0, now;

	for (size_t i = 0; i < lab->n_ns; i++)
		if (lab->ns[i].dirty &&
		    (due == 0 || repair_due(d, &lab->ns[i]) < due))
			due = repair_due(d, &lab->ns[i]);
	if (due == 0) {
		ev_timer_stop(d->loop, &lab->timer);
		lab->m_due = 0;
		return;
	}
	if (ev_is_active(&lab->timer) && lab->m_due <= due + 1e-4)
		return;
	ev_timer_stop(d->loop, &lab->timer);
	/* libev counts from the loop's time, which a long pass left
	 * behind: without this, the debounce would be over at once. */
	ev_now_update(d->loop);
	now = repair_mono();
	ev_timer_set(&lab->timer, due > now ? due - now : 0, 0);
	ev_timer_start(d->loop, &lab->timer);
	lab->m_due = due;
	log_debug("repair", "%s: pass in %.1f ms", lab->name,
	    due > now ? (due - now) * 1000 : 0.0);
}

/* Does NEW end the object that OLD changed? */
static bool
repair_ends(const char *old, const char *new)
{
	static const char *const ends[] = {
		" deleted", " moved to another namespace",
	};
	size_t	 n = strlen(new), k;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		k = strlen(ends[i]);
		if (n > k && strcmp(new + n - k, ends[i]) == 0 &&
		    strcmp(old, new) != 0 &&
		    strncmp(old, new, n - k) == 0 && old[n - k] == ' ')
			return true;
	}
	return false;
}

static void
repair_mark(struct dlab *lab, struct dns *dn, const char *what,
    enum watch_src src, unsigned flags)
{
	bool	 echo = flags & WATCH_ECHO;

	/* The first change names the drift; the echo of our own pass
	 * gives way to the first change that came after it, and a change
	 * to an object to its end: "link eth0 set down" is how the kernel
	 * starts "link eth0 deleted". */
	if (dn->dirty && !(dn->echo && !echo) &&
	    repair_ends(dn->what, what)) {
		snprintf(dn->what, sizeof(dn->what), "%s", what);
		dn->noticed_by = src;
	}
	if (!dn->dirty || (dn->echo && !echo)) {
		if (!dn->dirty)
			dn->n_events = 0;
		dn->dirty = true;
		dn->echo = echo;
		dn->m_first = repair_mono();
		dn->noticed_by = src;
		snprintf(dn->what, sizeof(dn->what), "%s", what);
	}
	dn->n_events++;
	repair_schedule(lab);
}

void
repair_changed(void *arg, const char *ns, const char *what,
    enum watch_src src, unsigned flags)
{
	struct daemon	*d = arg;
	struct dlab	*lab;
	struct dns	*dn;

	if ((dn = repair_ns_any(d, ns, &lab)) == NULL)
		return;
	if ((flags & WATCH_FOREIGN) && !dn->unresolved)
		return;
	if (flags & WATCH_GONE)
		dn->watched = false;	/* watch.c forgot its id */
	repair_mark(lab, dn, what, src, flags);
}

void
repair_watching(void *arg, const char *ns, bool on)
{
	struct daemon	*d = arg;

	nscache_watch(d->cache, ns, on);
}

void
repair_touched(void *arg, const char *ns, const struct watch_neigh *nb)
{
	struct daemon	*d = arg;

	if (nb)
		nscache_neigh(d->cache, ns, nb->family, nb->ip, nb->ifindex,
		    nb->kept);
	else
		nscache_forget(d->cache, ns);
}

/* Take in the events queued now: what memory holds is true until now. */
static void
repair_sync(struct daemon *d)
{
	if (!watch_sync(d->watch))
		nscache_forget_all(d->cache);
}

struct json_object *
repair_pass(struct daemon *d, enum engine_action act,
    const struct topo *topo, struct engine_opts *opts, size_t *recalled)
{
	repair_sync(d);
	opts->memory = &d->memory;
	opts->recalled = recalled;
	return engine_run(act, topo, NULL, opts);
}

void
repair_lost(void *arg, const char *why)
{
	struct daemon	*d = arg;

	nscache_forget_all(d->cache);
	for (size_t i = 0; i < d->n_labs; i++)
		for (size_t k = 0; k < d->labs[i]->n_ns; k++)
			repair_mark(d->labs[i], &d->labs[i]->ns[k], why,
			    WATCH_NETLINK, 0);
}

void
repair_resync(struct daemon *d)
{
	/* The resync is the check on all the rest: it reads the kernel. */
	nscache_forget_all(d->cache);
	watch_retry(d->watch);
	for (size_t i = 0; i < d->n_labs; i++) {
		d->labs[i]->full = true;
		for (size_t k = 0; k < d->labs[i]->n_ns; k++)
			repair_mark(d->labs[i], &d->labs[i]->ns[k],
			    "periodic resync", WATCH_RESYNC, 0);
	}
}

static bool
repair_scope(const char *ns, void *arg)
{
	struct dns	*dn = repair_ns_find(arg, ns);

	return dn != NULL && dn->in_pass;
}

/* The report's plan and error entries for namespace NS. */
static struct json_object *
repair_plan_of(struct json_object *report, const char *ns)
{
	static const char *const keys[] = { "plan", "errors" };
	struct json_object	*out = json_object_new_array(), *arr, *e;
	const char		*n;

	for (size_t k = 0; k < 2; k++) {
		if (!json_object_object_get_ex(report, keys[k], &arr) ||
		    !json_object_is_type(arr, json_type_array))
			continue;
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			e = json_object_array_get_idx(arr, i);
			if ((n = jsonget_str(e, "namespace")) != NULL &&
			    strcmp(n, ns) == 0)
				json_object_array_add(out,
				    json_object_get(e));
		}
	}
	return out;
}

static struct json_object *
repair_event_new(struct dlab *lab, const char *ns, const char *node,
    const char *type, const char *what, enum watch_src src)
{
	struct json_object	*ev = json_object_new_object();

	json_object_object_add(ev, "time", repair_time_json(repair_wall()));
	json_object_object_add(ev, "lab", json_object_new_string(lab->name));
	json_object_object_add(ev, "namespace", json_object_new_string(ns));
	json_object_object_add(ev, "node", json_object_new_string(node));
	json_object_object_add(ev, "event", json_object_new_string(type));
	json_object_object_add(ev, "what", json_object_new_string(what));
	json_object_object_add(ev, "noticed_by",
	    json_object_new_string(watch_src_name(src)));
	return ev;
}

static unsigned
repair_recent(struct daemon *d, struct dns *dn, double now)
{
	unsigned	 k = 0;

	for (unsigned i = 0; i < dn->n_recent; i++)
		if (now - dn->m_recent[i] <= d->conf.backoff_window)
			dn->m_recent[k++] = dn->m_recent[i];
	return dn->n_recent = k;
}

/* A repair of DN was made at NOW: back off if they keep being undone. */
static void
repair_backoff(struct dlab *lab, struct dns *dn, double now, double ms)
{
	struct daemon		*d = lab->d;
	struct json_object	*ev;
	unsigned		 n;

	if (repair_recent(d, dn, now) == 0)
		dn->backoff_ms = 0;	/* quiet for a window: start over */
	if (dn->n_recent == DNS_HIST)
		memmove(dn->m_recent, dn->m_recent + 1,
		    (DNS_HIST - 1) * sizeof(dn->m_recent[0]));
	else
		dn->n_recent++;
	dn->m_recent[dn->n_recent - 1] = now;
	if ((n = dn->n_recent) < d->conf.backoff_repairs)
		return;
	dn->backoff_ms = dn->backoff_ms ? dn->backoff_ms * 2 :
	    d->conf.backoff_initial_ms;
	if (dn->backoff_ms > d->conf.backoff_max_ms)
		dn->backoff_ms = d->conf.backoff_max_ms;
	dn->m_hold = now + dn->backoff_ms / 1000.0;
	log_warnx("%s: repaired %u times in %u s (%s); next repair in %u ms",
	    dn->name, n, d->conf.backoff_window, dn->drift_what,
	    dn->backoff_ms);
	ev = repair_event_new(lab, dn->name, dn->node, "backoff",
	    dn->drift_what, dn->dirty ? dn->noticed_by : WATCH_NETLINK);
	json_object_object_add(ev, "changes", json_object_new_int(0));
	json_object_object_add(ev, "failed", json_object_new_int(0));
	json_object_object_add(ev, "plan", json_object_new_array());
	json_object_object_add(ev, "repair_ms", repair_ms_json(ms));
	json_object_object_add(ev, "repairs", json_object_new_int((int)n));
	json_object_object_add(ev, "backoff_ms",
	    json_object_new_int64(dn->backoff_ms));
	control_broadcast(d->ctl, ev);
	json_object_put(ev);
}

/* One event per namespace the pass changed, or could not fix. */
static void
repair_report(struct dlab *lab, struct json_object *report, double m_first,
    enum watch_src round_src, const char *round_ns, double end)
{
	struct daemon		*d = lab->d;
	struct json_object	*nss, *o, *ev;
	char			 what[DNS_WHAT];

	if (!json_object_object_get_ex(report, "namespaces", &nss) ||
	    !json_object_is_type(nss, json_type_array)) {
		log_warnx("%s: repair pass failed: %s", lab->name,
		    jsonget_str(report, "error") ?
		    jsonget_str(report, "error") : "no report");
		return;
	}
	for (size_t i = 0; i < json_object_array_length(nss); i++) {
		const char	*name, *node, *err, *type;
		int64_t		 changes, failed;
		struct dns	*dn;
		enum watch_src	 src = round_src;
		double		 first = m_first, ms;

		o = json_object_array_get_idx(nss, i);
		name = jsonget_str(o, "namespace");
		node = jsonget_str(o, "node");
		err = jsonget_str(o, "error");
		changes = jsonget_int(o, "changes");
		failed = jsonget_int(o, "failed");
		if (name == NULL)
			continue;
		dn = repair_ns_find(lab, name);
		if (changes == 0 && failed == 0 && !err) {
			if (dn)
				dn->unresolved = false;
			continue;
		}
		if (dn && dn->in_pass) {
			src = dn->noticed_by;
			first = dn->m_first;
			snprintf(what, sizeof(what), "%s", dn->what);
		} else if (dn)
			snprintf(what, sizeof(what), "link peer of %s",
			    round_ns);
		else
			snprintf(what, sizeof(what), "no longer declared");
		ms = (end - first) * 1000;
		type = failed || err ? "drift" : src == WATCH_RESYNC ?
		    "resync" : "repair";
		ev = repair_event_new(lab, name, node ? node : "", type, what,
		    src);
		json_object_object_add(ev, "changes",
		    json_object_new_int64(changes));
		json_object_object_add(ev, "failed",
		    json_object_new_int64(failed));
		json_object_object_add(ev, "plan", repair_plan_of(report,
		    name));
		json_object_object_add(ev, "repair_ms", repair_ms_json(ms));
		if (dn && dn->in_pass)
			json_object_object_add(ev, "events",
			    json_object_new_int((int)dn->n_events));
		if (err)
			json_object_object_add(ev, "error",
			    json_object_new_string(err));
		if (failed || err)
			log_warnx("%s: %s: %lld change%s, %lld failed%s%s",
			    name, what, (long long)changes, changes == 1 ? "" :
			    "s", (long long)failed, err ? ": " : "",
			    err ? err : "");
		else
			log_info("%s: %s: repaired with %lld change%s in "
			    "%.1f ms", name, what, (long long)changes,
			    changes == 1 ? "" : "s", ms);
		control_broadcast(d->ctl, ev);
		json_object_put(ev);
		if (dn == NULL)
			continue;
		dn->drift_time = repair_wall();
		snprintf(dn->drift_what, sizeof(dn->drift_what), "%s", what);
		dn->unresolved = failed || err;
		/* A repair that changed nothing cannot have been undone. */
		if (changes > failed) {
			dn->repairs++;
			repair_backoff(lab, dn, end, ms);
		}
	}
}

/* The pass over the lab's due namespaces. */
static void
repair_run(struct dlab *lab)
{
	struct daemon		*d = lab->d;
	struct engine_opts	 opts = { .with_plan = true };
	struct json_object	*report;
	enum watch_src		 src = WATCH_RESYNC;
	const char		*first_ns = "";
	double			 now = repair_mono(), m_first = now, end;
	size_t			 n = 0, recalled = 0;
	bool			 held = false;

	/* What changed until now is in this pass: its namespaces are
	 * dirty before the scope is drawn. */
	repair_sync(d);

	for (size_t i = 0; i < lab->n_ns; i++) {
		struct dns	*dn = &lab->ns[i];

		/* Once a pass runs, every dirty namespace not held back by
		 * its backoff goes with it, debounced or not. */
		dn->in_pass = dn->dirty && dn->m_hold <= now + 1e-3;
		held |= dn->dirty && !dn->in_pass;
		if (!dn->in_pass)
			continue;
		if (n++ == 0 || dn->m_first < m_first) {
			m_first = dn->m_first;
			src = dn->noticed_by;
			first_ns = dn->name;
		}
	}
	if (n == 0) {
		repair_schedule(lab);
		return;
	}
	/* A resync covers the whole lab (also namespaces it no longer
	 * declares), unless some are held back. */
	if (!(lab->full && !held)) {
		opts.scope = repair_scope;
		opts.scope_arg = lab;
	}
	report = repair_pass(d, ENGINE_APPLY, lab->topo, &opts, &recalled);
	end = repair_mono();
	log_debug("repair", "%s: pass over %zu namespaces%s, %zu read from "
	    "memory, in %.1f ms", lab->name, n, opts.scope ? "" :
	    " (whole lab)", recalled, (end - now) * 1000);
	if (!held)
		lab->full = false;
	repair_report(lab, report, m_first, src, first_ns, end);
	for (size_t i = 0; i < lab->n_ns; i++)
		if (lab->ns[i].in_pass)
			lab->ns[i].dirty = lab->ns[i].in_pass = false;
	watch_drain(d->watch);
	/* What the pass (re)made is watched from now on. */
	repair_watch_report(d, lab, report);
	json_object_put(report);
	repair_schedule(lab);
}

static void
repair_timer_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct dlab	*lab = t->data;

	(void)loop;
	(void)revents;
	lab->m_due = 0;
	repair_run(lab);
}
