/*
 * supervise: the services of vrfd's labs, watched and restarted (see
 * supervise.h).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "control.h"
#include "daemon.h"
#include "engine/services.h"
#include "kernel/clock.h"
#include "log.h"
#include "proto/event.h"
#include "supervise.h"

#define SV_TICK		0.5	/* seconds between looks */
#define SV_BACKOFF_MIN	1.0
#define SV_BACKOFF_MAX	30.0
#define SV_STABLE	60.0	/* up this long: its failures are forgotten */
#define SV_SLACK	0.05	/* a look this much early still starts what
				   is due (else "in 1 s" waits a tick more) */
#define SV_KEY_MAX	(TOPO_NSNAME_MAX + SVC_NAME_MAX + 2)

/* What the supervisor knows of one service. */
struct sv_state {
	bool		 up;
	bool		 seen;		/* looked at once */
	pid_t		 pid;
	pid_t		 handled;	/* the last start whose end was seen */
	double		 since;		/* up since, or down since */
	unsigned	 fails;
	double		 next;		/* start it then; 0: nothing due,
					   INFINITY: not again (policy) */
};

/* A lab's services, as of the topology it has now. */
struct sv_lab {
	char			 name[TOPO_NAME_MAX + 1];
	const struct topo	*topo;
	struct svc_list		 list;
	struct sv_state		*st;
};

struct supervise {
	ev_timer		 timer;
	struct sv_lab		*labs;
	size_t			 n_labs;
	ev_child		 child;		/* every child of vrfd */
};

static double
sv_wall(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How PID ended, in words, and whether it failed. Unknown (not our
 * child, or long gone) counts as a failure. */
static bool
sv_exit_words(pid_t pid, char *buf, size_t len)
{
	int	 st;

	if (services_exit_status(pid, &st) && WIFEXITED(st)) {
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
		return WEXITSTATUS(st) != 0;
	}
	if (services_exit_status(pid, &st) && WIFSIGNALED(st)) {
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
		return true;
	}
	snprintf(buf, len, "ended");
	return true;
}

static void
sv_event(struct daemon *d, const struct sv_lab *l, const struct svc *s,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
sv_event(struct daemon *d, const struct sv_lab *l, const struct svc *s,
    const char *fmt, ...)
{
	const struct topo_ns	*tns = &l->topo->ns[s->ns];
	struct json_object	*doc;
	struct event		 ev;
	va_list			 ap;

	memset(&ev, 0, sizeof(ev));
	ev.time = sv_wall();
	ev.type = EVENT_SERVICE;
	snprintf(ev.lab, sizeof(ev.lab), "%s", l->name);
	snprintf(ev.ns, sizeof(ev.ns), "%s", tns->name);
	snprintf(ev.node, sizeof(ev.node), "%s", tns->node_name);
	va_start(ap, fmt);
	vsnprintf(ev.what, sizeof(ev.what), fmt, ap);
	va_end(ap);
	log_info("%s: %s", ev.ns, ev.what);
	if ((doc = event_to_json(&ev)) != NULL) {
		control_broadcast(d->ctl, doc);
		json_object_put(doc);
	}
}

static void
sv_lab_clear(struct sv_lab *l)
{
	services_list_free(&l->list);
	free(l->st);
	l->st = NULL;
	l->topo = NULL;
}

/* The supervisor's view of LAB: made again when its topology changed. */
static struct sv_lab *
sv_lab_get(struct supervise *sv, const struct dlab *lab)
{
	struct sv_lab	*l = NULL, *v;
	size_t		 i;

	for (i = 0; i < sv->n_labs; i++)
		if (strcmp(sv->labs[i].name, lab->name) == 0)
			l = &sv->labs[i];
	if (l == NULL) {
		if ((v = reallocarray(sv->labs, sv->n_labs + 1,
		    sizeof(*v))) == NULL)
			return NULL;
		sv->labs = v;
		l = &sv->labs[sv->n_labs++];
		memset(l, 0, sizeof(*l));
		snprintf(l->name, sizeof(l->name), "%s", lab->name);
	}
	if (l->topo == lab->topo)
		return l;
	sv_lab_clear(l);
	if (services_list(lab->topo, SIZE_MAX, &l->list) < 0 ||
	    (l->st = calloc(l->list.n + 1, sizeof(*l->st))) == NULL) {
		sv_lab_clear(l);
		return NULL;
	}
	l->topo = lab->topo;
	return l;
}

/* "NAMESPACE/SERVICE" of S in T, into BUF. */
static const char *
sv_key(const struct topo *t, const struct svc *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", t->ns[s->ns].name, s->name);
	return buf;
}

static bool
sv_is_due(const struct sv_state *st, double now)
{
	return st->next > 0 && st->next <= now + SV_SLACK;
}

static double
sv_backoff(unsigned fails)
{
	double	 b = SV_BACKOFF_MIN * (double)(1u << (fails < 8 ? fails : 8));

	return b < SV_BACKOFF_MAX ? b : SV_BACKOFF_MAX;
}

/* One service of L at NOW: true if it is due to be started. */
static bool
sv_look(struct daemon *d, struct sv_lab *l, size_t k, double now)
{
	const struct svc	*s = &l->list.v[k];
	struct sv_state		*st = &l->st[k];
	char			 how[96];
	pid_t			 pid = services_pid(l->topo, s);
	pid_t			 last = services_last_pid(l->topo, s);
	bool			 failed;
	double			 wait;

	if (pid > 0) {
		if (!st->up && st->fails > 0)
			sv_event(d, l, s, "%s running again, pid %d", s->name,
			    (int)pid);
		if (!st->up)
			st->since = now;
		st->up = true;
		st->pid = pid;
		st->next = 0;
		if (st->fails > 0 && now - st->since >= SV_STABLE)
			st->fails = 0;
		return false;
	}
	/* Ended so lately that the loop has not reaped it: how, the next
	 * look knows (SIGCHLD is handled on the loop's next turn). */
	if (last != 0 && last != st->handled && services_unreaped(last))
		return false;
	/* Down. A start not yet looked at ended (or none was made): what
	 * its policy says. */
	if (last != st->handled || (last == 0 && !st->seen)) {
		st->handled = last;
		st->seen = true;
		st->up = false;
		st->since = now;
		if (last != 0)
			failed = sv_exit_words(last, how, sizeof(how));
		else {
			snprintf(how, sizeof(how), "is not running");
			failed = true;
		}
		if (s->restart == TOPO_RESTART_NEVER ||
		    (s->restart == TOPO_RESTART_ON_FAILURE && !failed)) {
			st->next = INFINITY;
			sv_event(d, l, s, "%s %s; not restarted (restart: %s)",
			    s->name, how, s->restart == TOPO_RESTART_NEVER ?
			    "never" : "on-failure");
			return false;
		}
		wait = sv_backoff(st->fails++);
		st->next = now + wait;
		sv_event(d, l, s, "%s %s; starting it again in %.0f s",
		    s->name, how, wait);
	}
	return sv_is_due(st, now);
}

/* A pass that starts the services of L due at NOW, and only them. */
static struct ljob *
sv_job(struct dlab *lab, struct sv_lab *l, double now)
{
	struct ljob	*lj;
	char		 key[SV_KEY_MAX];

	if ((lj = labs_job_new(lab, LJOB_SERVICES, NULL)) == NULL)
		return NULL;
	if ((lj->due = calloc(l->list.n, sizeof(*lj->due))) == NULL) {
		labs_job_free(lj);
		return NULL;
	}
	for (size_t k = 0; k < l->list.n; k++) {
		struct sv_state *st = &l->st[k];

		if (!sv_is_due(st, now))
			continue;
		sv_key(l->topo, &l->list.v[k], key, sizeof(key));
		if ((lj->due[lj->n_due] = strdup(key)) == NULL) {
			labs_job_free(lj);
			return NULL;
		}
		lj->n_due++;
		st->next = 0;
	}
	return lj;
}

static void
sv_tick(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct daemon	*d = t->data;
	struct supervise *sv = d->supervise;
	struct sv_lab	*l;
	struct ljob	*lj;
	double		 now = clock_mono();
	bool		 due;

	(void)loop;
	(void)revents;
	for (size_t i = 0; i < d->n_labs; i++) {
		struct dlab *lab = d->labs[i];

		if (!lab->kept || lab->topo == NULL || labs_busy(lab) ||
		    d->stopping || !services_any(lab->topo))
			continue;
		if ((l = sv_lab_get(sv, lab)) == NULL)
			continue;
		due = false;
		for (size_t k = 0; k < l->list.n; k++)
			due |= sv_look(d, l, k, now);
		if (!due)
			continue;
		if ((lj = sv_job(lab, l, now)) == NULL) {
			log_warnx("%s: out of memory: services not started",
			    lab->name);
			continue;
		}
		labs_job_submit(lj);
	}
}

void
supervise_start(const struct topo *topo, char *const *due, size_t n)
{
	struct svc_list	 l;
	char		 key[SV_KEY_MAX];
	size_t		 kept = 0;

	if (services_list(topo, SIZE_MAX, &l) < 0)
		return;
	for (size_t k = 0; k < l.n; k++) {
		sv_key(topo, &l.v[k], key, sizeof(key));
		for (size_t j = 0; j < n; j++)
			if (strcmp(due[j], key) == 0) {
				l.v[kept++] = l.v[k];
				break;
			}
	}
	l.n = kept;
	services_start(topo, &l, SIZE_MAX, NULL, NULL);
	services_list_free(&l);
}

/* libev's default loop reaps every child: their statuses go where the
 * waits of services.c and the supervisor find them. */
static void
sv_child(struct ev_loop *loop, ev_child *w, int revents)
{
	(void)loop;
	(void)revents;
	services_reaped(w->rpid, w->rstatus);
}

void
supervise_init(struct daemon *d)
{
	struct supervise	*sv;

	if ((sv = calloc(1, sizeof(*sv))) == NULL) {
		log_warnx("out of memory: services are not watched");
		return;
	}
	d->supervise = sv;
	ev_timer_init(&sv->timer, sv_tick, SV_TICK, SV_TICK);
	sv->timer.data = d;
	ev_timer_start(d->loop, &sv->timer);
	ev_child_init(&sv->child, sv_child, 0, 0);
	/* libev reaps a child as soon as it hears SIGCHLD: its status must
	 * be noted before a tick of the same loop iteration finds the
	 * service gone (else it ends "ended", not "killed by signal 9"). */
	ev_set_priority(&sv->child, EV_MAXPRI);
	ev_child_start(d->loop, &sv->child);
}

void
supervise_free(struct daemon *d)
{
	struct supervise	*sv = d->supervise;

	if (sv == NULL)
		return;
	ev_timer_stop(d->loop, &sv->timer);
	ev_child_stop(d->loop, &sv->child);
	for (size_t i = 0; i < sv->n_labs; i++)
		sv_lab_clear(&sv->labs[i]);
	free(sv->labs);
	free(sv);
	d->supervise = NULL;
}
