/*
 * repair: the daemon's answer to drift. An event that concerns vrfd
 * (interest.h) marks its namespace dirty and arms its lab's timer: at
 * once for the first event of a namespace quiet for debounce_ms, else
 * debounce_ms after the first (a leading-edge debounce); then one pass
 * (APPLY, narrowed to the dirty namespaces and the far ends of their
 * links) puts it back on a worker; what was done goes out as events.
 *
 * Why this cannot spin: the pass is idempotent. The events of our own
 * repair mark the namespace dirty again, the next pass finds nothing to
 * do, makes no change and so raises no event. And a person or a program
 * that keeps undoing one object meets a backoff (backoff.h).
 *
 * Every event of a watched namespace also makes the daemon forget what it
 * last read there (nscache.h), save a learned neighbour's; a pass takes
 * in the events queued until it starts.
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
#include "engine/observe.h"
#include "kernel/clock.h"
#include "kernel/netns.h"
#include "kernel/own.h"
#include "log.h"
#include "nscache.h"
#include "watch.h"
#include "watch_event.h"

/* Why a namespace a pass made before its events could be heard is read
 * once more when they can. */
#define REPAIR_FIRST_LOOK	"first look since it is watched"
/* How long a namespace gone from under its name waits for the name to go
 * (see repair_gone); after that, the file is a leftover the pass removes. */
#define REPAIR_NAME_WAIT	0.5

double
repair_wall(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct backoff_conf
repair_backoff_conf(const struct daemon *d)
{
	struct backoff_conf	 c = {
		.repairs = d->conf.backoff_repairs,
		.window = d->conf.backoff_window,
		.initial_ms = d->conf.backoff_initial_ms,
		.max_ms = d->conf.backoff_max_ms,
	};

	return c;
}

static enum event_src
repair_src(enum watch_src s)
{
	switch (s) {
	case WATCH_NETLINK:
		return EVENT_SRC_NETLINK;
	case WATCH_INOTIFY:
		return EVENT_SRC_INOTIFY;
	case WATCH_RESYNC:
		break;
	}
	return EVENT_SRC_RESYNC;
}

/* ---- the dirty list ----------------------------------------------------
 * What the loops over a lab's dirty namespaces walk: the list, or every
 * namespace if it could not grow. */
static size_t
repair_n_listed(const struct dlab *lab)
{
	return lab->all_dirty ? lab->n_ns : lab->n_dirty;
}

static struct dns *
repair_listed(struct dlab *lab, size_t k)
{
	return lab->all_dirty ? &lab->ns[k] : &lab->ns[lab->dirty[k]];
}

static void
repair_list_add(struct dlab *lab, struct dns *dn)
{
	size_t	*v, cap;

	if (dn->listed || lab->all_dirty)
		return;
	if (lab->n_dirty == lab->cap_dirty) {
		cap = lab->cap_dirty ? 2 * lab->cap_dirty : 16;
		if ((v = reallocarray(lab->dirty, cap, sizeof(*v))) == NULL) {
			lab->all_dirty = true;
			return;
		}
		lab->dirty = v;
		lab->cap_dirty = cap;
	}
	lab->dirty[lab->n_dirty++] = (size_t)(dn - lab->ns);
	dn->listed = true;
}

/* Those neither dirty nor in a pass leave the list. */
static void
repair_list_prune(struct dlab *lab)
{
	size_t	 n = 0;

	if (lab->all_dirty) {
		repair_relist(lab);
		return;
	}
	for (size_t k = 0; k < lab->n_dirty; k++) {
		struct dns	*dn = &lab->ns[lab->dirty[k]];

		if (dn->dirty || dn->in_pass)
			lab->dirty[n++] = lab->dirty[k];
		else
			dn->listed = false;
	}
	lab->n_dirty = n;
}

void
repair_relist(struct dlab *lab)
{
	lab->n_dirty = 0;
	lab->all_dirty = false;
	for (size_t i = 0; i < lab->n_ns; i++)
		lab->ns[i].listed = false;
	for (size_t i = 0; i < lab->n_ns; i++)
		if (lab->ns[i].dirty || lab->ns[i].in_pass)
			repair_list_add(lab, &lab->ns[i]);
}

/* No repair of DN of LAB before: a backoff, or a name still going, its
 * own or, where its links are to be looked at, the far end's. */
static double
repair_held(const struct dlab *lab, const struct dns *dn)
{
	double	 held = dn->m_hold > dn->m_unnamed ? dn->m_hold : dn->m_unnamed;

	return dn->links && lab->m_unnamed > held ? lab->m_unnamed : held;
}

static double
repair_due(const struct dlab *lab, const struct dns *dn)
{
	const struct daemon *d = lab->d;
	double	 due = dn->m_first;

	/* Leading edge: the first change of a quiet namespace is repaired
	 * at once; what follows it (a link going takes its addresses and
	 * routes with it, a person types on) waits to be taken together. */
	if (!dn->leading || dn->echo)
		due += d->conf.debounce_ms / 1000.0;

	return repair_held(lab, dn) > due ? repair_held(lab, dn) : due;
}

void
repair_schedule(struct dlab *lab)
{
	struct daemon	*d = lab->d;
	double		 due = 0, now;

	/* A lab with a pass in hand is scheduled when it is done. */
	if (!lab->kept || labs_busy(lab))
		return;
	for (size_t k = 0; k < repair_n_listed(lab); k++) {
		struct dns	*dn = repair_listed(lab, k);

		if (dn->dirty && (due == 0 || repair_due(lab, dn) < due))
			due = repair_due(lab, dn);
	}
	if (due == 0) {
		ev_timer_stop(d->loop, &lab->timer);
		lab->m_due = 0;
		return;
	}
	if (ev_is_active(&lab->timer) && lab->m_due <= due + 1e-4)
		return;
	ev_timer_stop(d->loop, &lab->timer);
	/* libev counts from the loop's time, which may be behind. */
	ev_now_update(d->loop);
	now = clock_mono();
	ev_timer_set(&lab->timer, due > now ? due - now : 0, 0);
	ev_timer_start(d->loop, &lab->timer);
	lab->m_due = due;
	log_debug("repair", "%s: pass in %.1f ms", lab->name,
	    due > now ? (due - now) * 1000 : 0.0);
}

static double
repair_debounce(const struct dlab *lab)
{
	return lab->d->conf.debounce_ms / 1000.0;
}

/* DN of LAB is dirty: its pass may be due sooner than the one armed
 * (else nothing to do: a resync marks thousands, one walk is enough). */
static void
repair_schedule_ns(struct dlab *lab, const struct dns *dn)
{
	if (!lab->kept || labs_busy(lab) || (ev_is_active(&lab->timer) &&
	    lab->m_due <= repair_due(lab, dn) + 1e-4))
		return;
	repair_schedule(lab);
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

/* A change in DN of LAB, in words; ECHO: most likely our own (the lab's
 * pass is running), so a later change names the drift better. */
static void
repair_mark(struct dlab *lab, struct dns *dn, const char *what,
    enum event_src src, bool echo, bool links)
{
	/* The first change names the drift; the echo of our own pass
	 * gives way to the first change that came after it, and a change
	 * to an object to its end: "link eth0 set down" is how the kernel
	 * starts "link eth0 deleted". A first look gives way to any change
	 * heard before it reads. */
	if (dn->dirty && !(dn->echo && !echo) &&
	    (repair_ends(dn->what, what) || (!dn->in_pass &&
	    strcmp(dn->what, REPAIR_FIRST_LOOK) == 0))) {
		snprintf(dn->what, sizeof(dn->what), "%s", what);
		dn->noticed_by = src;
	}
	if (!dn->dirty || (dn->echo && !echo)) {
		double	 now = clock_mono();

		if (!dn->dirty)
			dn->n_events = 0;
		dn->dirty = true;
		dn->echo = echo;
		dn->m_first = now;
		dn->leading = dn->m_last == 0 ||
		    now - dn->m_last >= repair_debounce(lab);
		repair_list_add(lab, dn);
		dn->noticed_by = src;
		snprintf(dn->what, sizeof(dn->what), "%s", what);
	}
	if (dn->in_pass && !dn->heard.any) {
		dn->heard.any = true;
		dn->heard.src = src;
		dn->heard.m = clock_mono();
		snprintf(dn->heard.what, sizeof(dn->heard.what), "%s", what);
	}
	dn->n_events++;
	dn->m_last = clock_mono();
	dn->links |= links;
	repair_schedule_ns(lab, dn);
}

/* What the daemon remembers of NS of the kind of object EV is about is
 * stale after it (of a link: the link as EV has it, and what follows
 * from it), unless EV is about a learned neighbour no pass reads. */
static void
repair_forget(struct daemon *d, const char *ns, const struct watch_ev *ev)
{
	const struct ks_neigh	*n = &ev->o.neigh;
	unsigned		 kinds = 0;

	switch (ev->kind) {
	case WATCH_EV_NEIGH:
		nscache_neigh(d->cache, ns, n->family, n->ip, n->ifindex,
		    own_neigh(n, OWN_HOLDS_ALL) != OWN_KERNEL);
		return;
	case WATCH_EV_ADDR:
		kinds = OBSERVE_ADDRS;
		break;
	case WATCH_EV_ROUTE:
		kinds = OBSERVE_ROUTES;
		break;
	case WATCH_EV_NETCONF:
		kinds = OBSERVE_SYSCTLS;
		break;
	case WATCH_EV_QDISC:
		kinds = OBSERVE_QDISCS;
		break;
	case WATCH_EV_LINK:
		nscache_link(d->cache, ns, &ev->o.link, ev->deleted,
		    ev->changed ? OBSERVE_LINK_FOLLOWS : 0);
		return;
	}
	nscache_forget(d->cache, ns, kinds);
}

void
repair_event(void *arg, const char *ns, const struct watch_ev *ev)
{
	struct daemon	*d = arg;
	struct dlab	*lab;
	struct dns	*dn;

	repair_forget(d, ns, ev);
	if ((dn = labs_ns_any(d, ns, &lab)) == NULL ||
	    !interest_event(&dn->interest, ev))
		return;
	repair_mark(lab, dn, ev->what, EVENT_SRC_NETLINK, labs_busy(lab),
	    ev->kind == WATCH_EV_LINK);
}

void
repair_gone(void *arg, const char *ns, enum watch_src src)
{
	struct daemon	*d = arg;
	struct dlab	*lab;
	struct dns	*dn;
	char		 text[KS_ALIAS_MAX + 2];

	nscache_forget(d->cache, ns, 0);
	if ((dn = labs_ns_any(d, ns, &lab)) == NULL)
		return;
	dn->watched = false;		/* watch.c forgot its id */
	/* `ip netns delete` unbinds the name, then removes the file: a
	 * pass in between would remove the file first (it holds our mark:
	 * see apply_ns_create) and the delete would fail. So a namespace
	 * gone from under its name waits for the name to go, a while. */
	dn->m_unnamed = netns_file_text(ns, text, sizeof(text)) == 0 ?
	    clock_mono() + REPAIR_NAME_WAIT : 0;
	/* A link to it made again would make it again: links wait too. The
	 * ones waiting are dirty, listed. */
	lab->m_unnamed = dn->m_unnamed;
	for (size_t k = 0; k < repair_n_listed(lab); k++) {
		const struct dns *v = repair_listed(lab, k);

		if (v->m_unnamed > lab->m_unnamed)
			lab->m_unnamed = v->m_unnamed;
	}
	repair_mark(lab, dn, "namespace deleted", repair_src(src),
	    labs_busy(lab), true);
}

void
repair_watching(void *arg, const char *ns, int nsid, uint64_t ino)
{
	struct daemon	*d = arg;

	nscache_watch(d->cache, ns, nsid, ino);
}

void
repair_sync(struct daemon *d)
{
	if (!watch_sync(d->watch))
		nscache_forget_all(d->cache);
}

void
repair_lost(void *arg, const char *why)
{
	struct daemon	*d = arg;

	nscache_forget_all(d->cache);
	for (size_t i = 0; i < d->n_labs; i++)
		for (size_t k = 0; d->labs[i]->kept &&
		    k < d->labs[i]->n_ns; k++)
			repair_mark(d->labs[i], &d->labs[i]->ns[k], why,
			    EVENT_SRC_NETLINK, false, true);
}

void
repair_resync(struct daemon *d)
{
	/* The resync is the check on all the rest: it reads the kernel. */
	nscache_forget_all(d->cache);
	watch_retry(d->watch);
	for (size_t i = 0; i < d->n_labs; i++) {
		if (!d->labs[i]->kept)
			continue;
		d->labs[i]->full = true;
		for (size_t k = 0; k < d->labs[i]->n_ns; k++)
			repair_mark(d->labs[i], &d->labs[i]->ns[k],
			    "periodic resync", EVENT_SRC_RESYNC, false, true);
	}
}

/* Watch every namespace of REPORT the lab declares and the kernel has,
 * the lab's or in its way (a namespace in conflict going away must bring
 * the lab's back at once), all at once. One made or found by a pass that
 * could not hear its events yet is read once more, now that they come.
 * HEARD(ARG), if any, is called once, when their events are heard. */
static void
repair_watch_report(struct dlab *lab, const struct report *r,
    void (*heard)(void *), void *arg)
{
	struct dns	**dv;
	const char	**names = NULL;
	int		 *rv = NULL;
	size_t		  n = 0;

	if ((dv = calloc(r->n_ns + 1, sizeof(*dv))) == NULL ||
	    (names = calloc(r->n_ns + 1, sizeof(*names))) == NULL ||
	    (rv = calloc(r->n_ns + 1, sizeof(*rv))) == NULL) {
		free(dv);
		free(names);
		log_warnx("%s: out of memory: its namespaces not watched",
		    lab->name);
		if (heard)
			heard(arg);
		return;
	}
	for (size_t i = 0; i < r->n_ns; i++) {
		const struct report_ns	*rn = &r->ns[i];
		struct dns		*dn = labs_ns_find_at(lab, rn->name, i);

		if (dn == NULL || dn->watched ||
		    rn->state == REPORT_NS_DELETED ||
		    rn->state == REPORT_NS_GONE)
			continue;
		dv[n] = dn;
		names[n++] = dn->name;
	}
	if (n == 0) {
		if (heard)
			heard(arg);
	} else if (watch_ns_add(lab->d->watch, names, n, rv, heard,
	    arg) < 0) {
		log_warnx("%s: out of memory: its namespaces not watched",
		    lab->name);
		n = 0;
	}
	for (size_t k = 0; k < n; k++) {
		if (rv[k] == 0) {
			dv[k]->watched = true;
			repair_mark(lab, dv[k], REPAIR_FIRST_LOOK,
			    EVENT_SRC_RESYNC, true, true);
		} else if (rv[k] != -ENOENT)
			log_warnx("%s: cannot watch: %s", dv[k]->name,
			    strerror(-rv[k]));
	}
	free(dv);
	free(names);
	free(rv);
}

void
repair_applied(struct dlab *lab, const struct report *r,
    void (*heard)(void *), void *arg)
{
	lab->full = false;
	/* What the pass made is heard from now on; its own events, read
	 * now, mark what it changed for a look that finds it converged. */
	repair_watch_report(lab, r, heard, arg);
	repair_sync(lab->d);
}

/* ---- a repair pass ---------------------------------------------------- */

static int
repair_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
repair_begin(struct ljob *lj)
{
	struct dlab	*lab = lj->lab;
	double		 now = clock_mono();
	bool		 held = false, first = true, links = false;
	size_t		 n = 0;

	/* What changed until now is in this pass: its namespaces are
	 * dirty before the scope is drawn. */
	repair_sync(lj->d);
	lj->m_first = now;
	lj->src = EVENT_SRC_RESYNC;
	repair_list_prune(lab);
	if ((lj->scope = calloc(repair_n_listed(lab) + 1,
	    sizeof(*lj->scope))) == NULL) {
		log_warnx("%s: out of memory: repair put off", lab->name);
		return;
	}
	for (size_t k = 0; k < repair_n_listed(lab); k++) {
		struct dns	*dn = repair_listed(lab, k);

		/* Once a pass runs, every dirty namespace not held back
		 * (by a backoff, a name going) goes with it, debounced or
		 * not. */
		dn->in_pass = dn->dirty && repair_held(lab, dn) <= now + 1e-3;
		dn->heard.any = false;
		held |= dn->dirty && !dn->in_pass;
		if (!dn->in_pass)
			continue;
		links |= dn->links;
		dn->links = false;
		if ((lj->scope[n] = strdup(dn->name)) == NULL) {
			dn->in_pass = false;
			continue;
		}
		n++;
		if (first || dn->m_first < lj->m_first) {
			lj->m_first = dn->m_first;
			lj->src = dn->noticed_by;
			snprintf(lj->first_ns, sizeof(lj->first_ns), "%s",
			    dn->name);
		}
		first = false;
	}
	qsort(lj->scope, n, sizeof(*lj->scope), repair_str_cmp);
	lj->n_scope = n;
	/* A resync covers the whole lab (also namespaces it no longer
	 * declares), unless some are held back. */
	lj->whole = n > 0 && lab->full && !held;
	if (n > 0 && !lj->whole) {
		/* Its own sorted copy of the names: the loop may change
		 * the lab's namespaces while the worker runs the pass. */
		lj->opts.scope = (const char *const *)lj->scope;
		lj->opts.n_scope = n;
		/* Only where a link may have changed are the far ends of
		 * the links looked at: a route put back costs one
		 * namespace, even beside a hub of thousands of links. */
		lj->opts.scope_links = links;
	}
	lj->opts.with_plan = true;
}

/* The report's changes of namespace NS, in an event. */
static int
repair_event_plan(const struct report *r, size_t ns, struct event *ev)
{
	size_t	 n = 0;

	for (size_t k = 0; k < r->n_list; k++)
		n += r->list[k].ns == ns;
	if (n == 0)
		return 0;
	if ((ev->plan = calloc(n, sizeof(*ev->plan))) == NULL)
		return -ENOMEM;
	/* Borrowed: the report outlives the event. */
	for (size_t k = 0; k < r->n_list; k++)
		if (r->list[k].ns == ns)
			ev->plan[ev->n_plan++] = r->list[k];
	return 0;
}

static void
repair_broadcast(struct daemon *d, struct event *ev)
{
	struct json_object	*doc;

	if ((doc = event_to_json(ev)) == NULL) {
		log_warnx("%s: out of memory: event not sent", ev->ns);
		return;
	}
	control_broadcast(d->ctl, doc);
	json_object_put(doc);
}

/* A repair of DN was made at NOW: back off if one of its objects keeps
 * being undone. */
static void
repair_backoff(struct dlab *lab, struct dns *dn, const struct report *r,
    size_t ns, double now, double ms)
{
	struct daemon		*d = lab->d;
	struct backoff_conf	 bc = repair_backoff_conf(d);
	struct event		 ev;
	unsigned		 delay, count, worst = 0, worst_count = 0;
	const char		*worst_what = dn->drift_what;

	for (size_t k = 0; k < r->n_list; k++) {
		const struct report_change *c = &r->list[k];

		if (c->ns != ns || c->err || c->object == NULL)
			continue;
		if (backoff_repaired(&dn->backoff, backoff_key(c->object), now,
		    &bc, &delay, &count) < 0)
			continue;
		if (delay > worst) {
			worst = delay;
			worst_count = count;
			worst_what = c->object;
		}
	}
	backoff_expire(&dn->backoff, now, &bc);
	if (worst == 0)
		return;
	dn->m_hold = now + worst / 1000.0;
	log_warnx("%s: %s repaired %u times in %u s (%s); next repair in %u "
	    "ms", dn->name, worst_what, worst_count, bc.window, dn->drift_what,
	    worst);
	memset(&ev, 0, sizeof(ev));
	ev.time = repair_wall();
	snprintf(ev.lab, sizeof(ev.lab), "%s", lab->name);
	snprintf(ev.ns, sizeof(ev.ns), "%s", dn->name);
	snprintf(ev.node, sizeof(ev.node), "%s", dn->node);
	ev.type = EVENT_BACKOFF;
	snprintf(ev.what, sizeof(ev.what), "%s", dn->drift_what);
	ev.src = dn->dirty ? dn->noticed_by : EVENT_SRC_NETLINK;
	ev.repair_ms = ms;
	ev.repairs = worst_count;
	ev.backoff_ms = worst;
	repair_broadcast(d, &ev);
}

/* One event per namespace the pass changed, or could not fix. */
static void
repair_report(struct ljob *lj, double end)
{
	struct dlab		*lab = lj->lab;
	const struct report	*r = lj->report;

	if (r->err && r->n_ns == 0) {
		log_warnx("%s: repair pass failed: %s", lab->name,
		    r->error ? r->error : "?");
		return;
	}
	for (size_t i = 0; i < r->n_ns; i++) {
		const struct report_ns	*rn = &r->ns[i];
		struct dns		*dn = labs_ns_find_at(lab, rn->name, i);
		struct event		 ev;
		bool			 bad = rn->failed || rn->error;

		if (rn->changes == 0 && !bad)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.time = repair_wall();
		snprintf(ev.lab, sizeof(ev.lab), "%s", lab->name);
		snprintf(ev.ns, sizeof(ev.ns), "%s", rn->name);
		snprintf(ev.node, sizeof(ev.node), "%s", rn->node);
		ev.src = lj->src;
		ev.repair_ms = (end - lj->m_first) * 1000;
		if (dn && dn->in_pass && dn->heard.any &&
		    strcmp(dn->what, REPAIR_FIRST_LOOK) == 0) {
			/* A first look that found something to mend, and a
			 * change heard while it ran, before its own echoes
			 * could be: that change is what it mended. */
			ev.src = dn->heard.src;
			ev.repair_ms = (end - dn->heard.m) * 1000;
			snprintf(ev.what, sizeof(ev.what), "%s",
			    dn->heard.what);
			ev.has_events = true;
			ev.events = 1;
		} else if (dn && dn->in_pass) {
			ev.src = dn->noticed_by;
			ev.repair_ms = (end - dn->m_first) * 1000;
			snprintf(ev.what, sizeof(ev.what), "%s", dn->what);
			ev.has_events = true;
			ev.events = dn->n_events;
		} else if (dn)
			snprintf(ev.what, sizeof(ev.what), "link peer of %s",
			    lj->first_ns);
		else
			snprintf(ev.what, sizeof(ev.what), "no longer declared");
		ev.type = bad ? EVENT_DRIFT : ev.src == EVENT_SRC_RESYNC ?
		    EVENT_RESYNC : EVENT_REPAIR;
		ev.changes = rn->changes;
		ev.failed = rn->failed;
		ev.error = rn->error;
		if (repair_event_plan(r, i, &ev) == 0)
			repair_broadcast(lab->d, &ev);
		free(ev.plan);
		if (bad)
			log_warnx("%s: %s: %zu change%s, %zu failed%s%s",
			    rn->name, ev.what, rn->changes,
			    rn->changes == 1 ? "" : "s", rn->failed,
			    rn->error ? ": " : "", rn->error ? rn->error : "");
		else
			log_info("%s: %s: repaired with %zu change%s in "
			    "%.1f ms", rn->name, ev.what, rn->changes,
			    rn->changes == 1 ? "" : "s", ev.repair_ms);
		if (dn == NULL)
			continue;
		dn->drift_time = repair_wall();
		snprintf(dn->drift_what, sizeof(dn->drift_what), "%s",
		    ev.what);
		/* A repair that changed nothing cannot have been undone. */
		if (rn->changes > rn->failed) {
			dn->repairs++;
			repair_backoff(lab, dn, r, i, end, ev.repair_ms);
		}
	}
}

/* DN's pass is over. Clean if it ran, unless a change came while it
 * did: the pass may have read DN before it, and only a pass that starts
 * now can tell (most often it was the pass's own echo, and that pass
 * finds nothing to do). */
static void
repair_ns_done(struct dns *dn, bool ran)
{
	bool	 was = dn->in_pass;

	dn->in_pass = false;
	if (!was || !ran)
		return;
	dn->dirty = false;
	if (!dn->heard.any)
		return;
	dn->heard.any = false;
	dn->dirty = true;
	dn->echo = true;
	dn->noticed_by = dn->heard.src;
	dn->m_first = dn->heard.m;
	dn->leading = false;
	dn->n_events = 1;
	snprintf(dn->what, sizeof(dn->what), "%s", dn->heard.what);
	/* scheduled once the pass's job is done (labs_job_done) */
}

void
repair_end(struct ljob *lj)
{
	struct dlab	*lab = lj->lab;
	double		 end = clock_mono();

	if (lj->report == NULL)
		log_warnx("%s: out of memory: repair pass lost", lab->name);
	else {
		log_debug("repair", "%s: pass over %zu namespaces%s, %zu read "
		    "from memory, in %.1f ms", lab->name, lj->n_scope,
		    lj->whole ? " (whole lab)" : "", lj->report->recalled,
		    (end - lj->start) * 1000);
		if (lj->whole)
			lab->full = false;
		repair_report(lj, end);
	}
	for (size_t k = 0; k < repair_n_listed(lab); k++)
		repair_ns_done(repair_listed(lab, k), lj->report != NULL);
	if (lj->report)
		repair_watch_report(lab, lj->report, NULL, NULL);
	/* Its own events, marking what it changed (as echoes). */
	repair_sync(lab->d);
}
