/*
 * labs: the labs vrfd knows, and their passes, one at a time per lab.
 *
 * A lab is kept when vrfd holds its topology and keeps it converged:
 * its namespaces are watched and repaired. A lab only passing through a
 * request (a plan, a destroy of a lab not kept) has a slot too, for as
 * long as a pass of it is running or waiting: two passes of one lab never
 * run at once, whoever asked (labs_job_submit queues the second), while
 * passes of different labs run side by side on the worker threads.
 *
 * Every pass of the daemon goes through here: dispatched on the loop (the
 * events queued until then taken in, the daemon's memory handed over),
 * run on a worker through the core's one entry for its kind (lab_apply,
 * lab_destroy, engine_run), finished on the loop.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "daemon.h"
#include "engine/lab.h"
#include "engine/override.h"
#include "kernel/clock.h"
#include "kernel/kdigest.h"
#include "log.h"
#include "nscache.h"
#include "proto/ctl_msg.h"
#include "supervise.h"
#include "util/parallel.h"

/* From this many namespaces, a second thread compiles half of them. */
#define LABS_INTERESTS_PAIR	64
/* From this many namespaces, other namespaces' events are not heard
 * while a lab is destroyed (watch_others). */
#define LABS_DEAF_MIN		64

struct dlab *
labs_find(struct daemon *d, const char *name)
{
	for (size_t i = 0; i < d->n_labs; i++)
		if (strcmp(d->labs[i]->name, name) == 0)
			return d->labs[i];
	return NULL;
}

static void	labs_timer_cb(struct ev_loop *, ev_timer *, int);

struct dlab *
labs_get(struct daemon *d, const char *name)
{
	struct dlab	*lab, **v;

	if ((lab = labs_find(d, name)) != NULL)
		return lab;
	if ((lab = calloc(1, sizeof(*lab))) == NULL)
		return NULL;
	if ((v = reallocarray(d->labs, d->n_labs + 1, sizeof(*v))) == NULL) {
		free(lab);
		return NULL;
	}
	d->labs = v;
	d->labs[d->n_labs++] = lab;
	lab->d = d;
	snprintf(lab->name, sizeof(lab->name), "%s", name);
	lab->queue_tail = &lab->queue;
	ev_timer_init(&lab->timer, labs_timer_cb, 0, 0);
	lab->timer.data = lab;
	return lab;
}

/* A lab's namespace by name: looked up for every namespace of every
 * pass's report, so not by a walk of hundreds. */
struct dns *
labs_ns_find(struct dlab *lab, const char *name)
{
	ssize_t	 i;

	if (lab == NULL)
		return NULL;
	i = topo_name_find(lab->ns, sizeof(*lab->ns),
	    offsetof(struct dns, name), lab->by_name, lab->n_ns, name);
	return i < 0 ? NULL : &lab->ns[i];
}

struct dns *
labs_ns_find_at(struct dlab *lab, const char *name, size_t at)
{
	ssize_t	 i;

	if (lab == NULL)
		return NULL;
	i = topo_name_find_at(lab->ns, sizeof(*lab->ns),
	    offsetof(struct dns, name), lab->by_name, lab->n_ns, name, at);
	return i < 0 ? NULL : &lab->ns[i];
}

struct dns *
labs_ns_any(struct daemon *d, const char *name, struct dlab **labp)
{
	struct dns	*dn;

	for (size_t i = 0; i < d->n_labs; i++)
		if (d->labs[i]->kept &&
		    (dn = labs_ns_find(d->labs[i], name)) != NULL) {
			*labp = d->labs[i];
			return dn;
		}
	return NULL;
}

static int
labs_ns_cmp(const void *a, const void *b, void *arg)
{
	const struct dns	*ns = arg;

	return strcmp(ns[*(const size_t *)a].name, ns[*(const size_t *)b].name);
}

/* A topology's namespaces, compiled for their interests and digests by
 * the threads that take them. */
struct labs_compiling {
	const struct topo	*topo;
	struct interest		*v;
	uint64_t		*digests;
	const struct pass_memory *memory;
	struct ks_ns		*wants;		/* NULL: none kept */
	struct labs_made	*made;		/* NULL: nothing known */
	size_t			*todo;		/* of topo->ns, those compiled */
	size_t			 n_todo;
	size_t			 next;		/* parallel_take, of todo */
	int			 rv;		/* an error, once one failed */
};

static int
labs_prev_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct labs_prev_ns *)elem)->name);
}

const struct labs_prev_ns *
labs_prev_find(const struct labs_prev *prev, const char *name)
{
	if (prev == NULL || prev->n == 0)
		return NULL;
	return bsearch(name, prev->v, prev->n, sizeof(*prev->v),
	    labs_prev_cmp);
}

/* Namespace I as the kept lab has it from the same source, and settled
 * in memory as the pass would find it: its digest, into C->digests; it
 * is not compiled. */
static bool
labs_interest_kept(struct labs_compiling *c, size_t i)
{
	uint64_t	 kept = c->made ? c->made[i].kept : 0;

	if (kept == 0 || c->digests == NULL || c->memory == NULL ||
	    !c->memory->settled(c->memory->arg, c->topo->ns[i].name, kept))
		return false;
	c->digests[i] = kept;
	c->made[i].reused = true;
	return true;
}

static void *
labs_interests_some(void *arg)
{
	struct labs_compiling	*c = arg;
	const struct topo	*topo = c->topo;
	struct ks_ns		 want;
	size_t			 i, k;
	int			 rv = 0;

	while (rv == 0 && (k = parallel_take(&c->next)) < c->n_todo) {
		i = c->todo[k];
		memset(&want, 0, sizeof(want));
		if ((rv = engine_compile(topo, &topo->ns[i], &want)) == 0)
			rv = interest_build(&c->v[i], &want);
		if (rv == 0 && c->digests)
			c->digests[i] = ks_ns_digest(&want);
		/* What the pass will not find settled, it takes from here. */
		if (rv == 0 && c->wants && c->digests && !(c->memory &&
		    c->memory->settled(c->memory->arg, topo->ns[i].name,
		    c->digests[i]))) {
			c->wants[i] = want;
			continue;
		}
		ks_ns_clear(&want);
	}
	if (rv < 0)
		__atomic_store_n(&c->rv, rv, __ATOMIC_RELAXED);
	return NULL;
}

struct interest *
labs_interests(const struct topo *topo, uint64_t *digests,
    const struct pass_memory *memory, struct ks_ns **wants)
{
	return labs_interests_since(topo, digests, memory, wants, NULL);
}

struct interest *
labs_interests_since(const struct topo *topo, uint64_t *digests,
    const struct pass_memory *memory, struct ks_ns **wants,
    struct labs_made *made)
{
	struct labs_compiling	 c = { .topo = topo, .digests = digests,
	    .memory = memory, .made = made };

	if ((c.v = calloc(topo->n_ns + 1, sizeof(*c.v))) == NULL)
		return NULL;
	if ((wants && (c.wants = *wants = calloc(topo->n_ns + 1,
	    sizeof(*c.wants))) == NULL) || (c.todo = calloc(topo->n_ns + 1,
	    sizeof(*c.todo))) == NULL) {
		free(c.v);
		if (wants) {
			free(*wants);
			*wants = NULL;
		}
		return NULL;
	}
	/* Those to compile: not another host's (nothing of it happens
	 * here), nor kept as they are. Many (a new text), on two cores
	 * where there are two; a few (a link added: 6 of 484), here, as
	 * a thread more would cost more than it saves. */
	for (size_t i = 0; i < topo->n_ns; i++)
		if (!topo->ns[i].remote && !labs_interest_kept(&c, i))
			c.todo[c.n_todo++] = i;
	parallel_run(labs_interests_some, &c, c.n_todo >=
	    LABS_INTERESTS_PAIR && parallel_cores() > 1 ? 2 : 1);
	free(c.todo);
	if (c.rv < 0) {
		labs_interests_free(c.v, topo->n_ns);
		if (wants) {
			labs_wants_free(*wants, topo->n_ns);
			*wants = NULL;
		}
		return NULL;
	}
	return c.v;
}

int
labs_prev_take(const struct dlab *lab, struct labs_prev *prev)
{
	memset(prev, 0, sizeof(*prev));
	if (lab->n_ns == 0 || (prev->v = calloc(lab->n_ns,
	    sizeof(*prev->v))) == NULL)
		return lab->n_ns == 0 ? 0 : -ENOMEM;
	/* In name order already: the lab's index. */
	for (size_t k = 0; k < lab->n_ns; k++) {
		const struct dns	*dn = &lab->ns[lab->by_name[k]];

		memcpy(prev->v[k].name, dn->name, sizeof(dn->name));
		prev->v[k].source = dn->source;
		prev->v[k].compiled = dn->compiled;
		prev->v[k].clean = dn->clean;
	}
	prev->n = lab->n_ns;
	return 0;
}

void
labs_prev_free(struct labs_prev *prev)
{
	free(prev->v);
	memset(prev, 0, sizeof(*prev));
}

void
labs_wants_free(struct ks_ns *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		ks_ns_clear(&v[i]);
	free(v);
}

void
labs_interests_free(struct interest *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		interest_free(&v[i]);
	free(v);
}

static void
labs_ns_free(struct dlab *lab)
{
	for (size_t i = 0; i < lab->n_ns; i++) {
		backoff_free(&lab->ns[i].backoff);
		interest_free(&lab->ns[i].interest);
	}
	free(lab->ns);
	free(lab->by_name);
	free(lab->dirty);
	lab->ns = NULL;
	lab->by_name = NULL;
	lab->dirty = NULL;
	lab->n_ns = lab->n_dirty = lab->cap_dirty = 0;
	lab->all_dirty = false;
}

/* A namespace whose interest the parse left to be the one the lab has
 * (MADE says reused): is the lab's (OLD, NULL: gone) compiled from the
 * same source, to the same digest (COMPILED)? */
static bool
labs_keep_same(const struct dns *old, const struct labs_made *made,
    uint64_t compiled)
{
	return made->reused && old != NULL && old->source == made->source &&
	    old->compiled == compiled;
}

/* Those whose lab's interest is no longer from the same (the lab
 * changed while the parse ran: rare), compiled here, on the loop,
 * before anything of the lab changes. */
static int
labs_keep_compile(struct dlab *lab, const struct topo *topo,
    struct interest *interests, const struct labs_made *made,
    const uint64_t *compiled)
{
	struct dns	*old;
	struct ks_ns	 want;
	int		 rv = 0;

	for (size_t i = 0, k = 0; made && rv == 0 && i < topo->n_ns; i++) {
		size_t	 at;

		if (topo->ns[i].remote)
			continue;
		at = k++;	/* the lab's, if it has the same namespaces */
		if (!made[i].reused)
			continue;
		old = labs_ns_find_at(lab, topo->ns[i].name, at);
		if (labs_keep_same(old, &made[i], compiled[i]))
			continue;
		memset(&want, 0, sizeof(want));
		if ((rv = engine_compile(topo, &topo->ns[i], &want)) == 0)
			rv = interest_build(&interests[i], &want);
		ks_ns_clear(&want);
	}
	return rv;
}

/* DN is the namespace of TNS, whose interest MADE says was compiled from
 * its source to COMPILED (MADE NULL: not known). */
static void
labs_ns_made(struct dns *dn, const struct topo_ns *tns,
    const struct labs_made *made, uint64_t compiled)
{
	snprintf(dn->node, sizeof(dn->node), "%s", tns->node_name);
	dn->source = made ? made->source : 0;
	dn->compiled = made ? compiled : 0;
	dn->clean = made ? made->clean : false;
}

/* Are TOPO's namespaces here the lab's, in the same order (a change that
 * adds and removes none: a link added)? */
static bool
labs_keep_same_names(const struct dlab *lab, const struct topo *topo)
{
	size_t	 n = 0;

	for (size_t i = 0; i < topo->n_ns; i++) {
		if (topo->ns[i].remote)
			continue;
		if (n == lab->n_ns || strcmp(lab->ns[n].name,
		    topo->ns[i].name) != 0)
			return false;
		n++;
	}
	return n == lab->n_ns;
}

/* LAB's namespaces given TOPO's interests where they are the same ones:
 * in place, instead of an array made anew (a lab's hundreds of entries
 * copied, sorted and looked up, before the answer to a link added). */
static void
labs_keep_in_place(struct dlab *lab, const struct topo *topo,
    struct interest *interests, const struct labs_made *made,
    const uint64_t *compiled)
{
	for (size_t i = 0, n = 0; i < topo->n_ns; i++) {
		struct dns	*dn;

		if (topo->ns[i].remote) {
			interest_free(&interests[i]);
			continue;
		}
		dn = &lab->ns[n++];
		/* What the parse did not compile: the lab's, as it is. */
		if (!made || !labs_keep_same(dn, &made[i], compiled[i])) {
			interest_free(&dn->interest);
			dn->interest = interests[i];
		}
		memset(&interests[i], 0, sizeof(interests[i]));
		labs_ns_made(dn, &topo->ns[i], made ? &made[i] : NULL,
		    made ? compiled[i] : 0);
	}
}

/* TOPO is LAB's now, the one before retired. */
static void
labs_keep_topo(struct dlab *lab, struct topo *topo, uint64_t *digests)
{
	repair_relist(lab);
	topo_free(lab->retired);
	lab->retired = lab->topo;
	lab->topo = topo;
	free(lab->digests);
	lab->digests = digests;
	lab->kept = true;
}

int
labs_keep(struct dlab *lab, struct topo *topo, struct interest *interests,
    const struct labs_made *made, const uint64_t *compiled)
{
	struct daemon	*d = lab->d;
	struct dns	*ns, *old;
	struct dlab	 next = { .n_ns = 0 };
	size_t		*by_name = NULL, n = 0;
	uint64_t	*digests = NULL;

	if (made && compiled == NULL)
		made = NULL;
	if (labs_keep_compile(lab, topo, interests, made, compiled) < 0 ||
	    (digests = calloc(topo->n_ns + 1, sizeof(*digests))) == NULL)
		return -ENOMEM;
	if (lab->ns != NULL && labs_keep_same_names(lab, topo)) {
		labs_keep_in_place(lab, topo, interests, made, compiled);
		free(interests);
		labs_keep_topo(lab, topo, digests);
		return 0;
	}
	if ((ns = calloc(topo->n_ns + 1, sizeof(*ns))) == NULL ||
	    (by_name = calloc(topo->n_ns + 1, sizeof(*by_name))) == NULL) {
		free(ns);
		free(digests);
		return -ENOMEM;
	}
	/* A namespace that stays keeps its history and its watch. Another
	 * host's namespaces are not this vrfd's to keep. */
	for (size_t i = 0; i < topo->n_ns; i++) {
		if (topo->ns[i].remote) {
			interest_free(&interests[i]);
			continue;
		}
		snprintf(ns[n].name, sizeof(ns[n].name), "%s",
		    topo->ns[i].name);
		old = labs_ns_find_at(lab, ns[n].name, n);
		/* What the parse did not compile: the lab's, as it is. */
		if (made && labs_keep_same(old, &made[i], compiled[i])) {
			interests[i] = old->interest;
			memset(&old->interest, 0, sizeof(old->interest));
		}
		if (old != NULL) {
			ns[n] = *old;
			memset(&old->backoff, 0, sizeof(old->backoff));
			interest_free(&old->interest);
		}
		ns[n].interest = interests[i];
		memset(&interests[i], 0, sizeof(interests[i]));
		labs_ns_made(&ns[n], &topo->ns[i], made ? &made[i] : NULL,
		    made ? compiled[i] : 0);
		by_name[n] = n;
		n++;
	}
	qsort_r(by_name, n, sizeof(*by_name), labs_ns_cmp, ns);
	/* Those that go are no longer watched: looked up, not compared
	 * with each of thousands. */
	next.ns = ns;
	next.n_ns = n;
	next.by_name = by_name;
	for (size_t i = 0; i < lab->n_ns; i++)
		if (lab->ns[i].watched &&
		    labs_ns_find(&next, lab->ns[i].name) == NULL)
			watch_ns_del(d->watch, lab->ns[i].name);
	free(interests);
	labs_ns_free(lab);
	lab->ns = ns;
	lab->n_ns = n;
	lab->by_name = by_name;
	labs_keep_topo(lab, topo, digests);
	return 0;
}

/* The slot goes once nothing needs it: not kept, no pass. */
static void
labs_release(struct dlab *lab)
{
	struct daemon	*d = lab->d;

	if (lab->kept || labs_busy(lab))
		return;
	ev_timer_stop(d->loop, &lab->timer);
	for (size_t i = 0; i < d->n_labs; i++)
		if (d->labs[i] == lab) {
			d->labs[i] = d->labs[--d->n_labs];
			break;
		}
	labs_ns_free(lab);
	topo_free(lab->topo);
	topo_free(lab->retired);
	free(lab->digests);
	free(lab->file);
	diag_list_free(&lab->diags);
	free(lab);
}

void
labs_forget(struct dlab *lab)
{
	struct daemon	*d = lab->d;

	for (size_t i = 0; i < lab->n_ns; i++)
		if (lab->ns[i].watched)
			watch_ns_del(d->watch, lab->ns[i].name);
	ev_timer_stop(d->loop, &lab->timer);
	lab->m_due = 0;
	labs_ns_free(lab);
	topo_free(lab->topo);
	lab->topo = NULL;
	free(lab->digests);
	lab->digests = NULL;
	free(lab->file);
	lab->file = NULL;
	lab->text_digest[0] = '\0';
	diag_list_free(&lab->diags);
	lab->kept = false;
}

int
labs_request(struct dlab *lab, const char *file, const char *digest,
    size_t len, const struct diag_list *diags)
{
	free(lab->file);
	diag_list_free(&lab->diags);
	lab->text_digest[0] = '\0';
	for (size_t i = 0; diags && i < diags->n; i++)
		diag_add(&lab->diags, diags->v[i].level, diags->v[i].file,
		    diags->v[i].line, diags->v[i].col, diags->v[i].path, "%s",
		    diags->v[i].msg);
	if ((lab->file = strdup(file)) == NULL)
		return -ENOMEM;
	lab->text_len = len;
	snprintf(lab->text_digest, sizeof(lab->text_digest), "%s", digest);
	return 0;
}

bool
labs_busy(const struct dlab *lab)
{
	return lab->running != NULL || lab->queue != NULL;
}

/* ---- jobs ------------------------------------------------------------- */

static void	labs_job_run(struct job *);
static void	labs_reply(struct ljob *, const struct diag_list *);
static void	labs_job_done(struct job *);
static void	labs_job_notify(struct job *);

struct ljob *
labs_job_new(struct dlab *lab, enum ljob_kind kind, struct control_req *req)
{
	struct ljob	*lj;

	if ((lj = calloc(1, sizeof(*lj))) == NULL)
		return NULL;
	lj->d = lab->d;
	lj->lab = lab;
	lj->kind = kind;
	lj->req = req;
	lj->job.run = labs_job_run;
	lj->job.done = labs_job_done;
	lj->job.notify = labs_job_notify;
	lj->job.arg = lj;
	lj->held = -1;
	lj->opts.held = &lj->held;
	pthread_mutex_init(&lj->plock, NULL);
	return lj;
}

void
labs_job_free(struct ljob *lj)
{
	/* The interests are counted by the topology: freed before it. */
	if (lj->interests)
		labs_interests_free(lj->interests, lj->topo ? lj->topo->n_ns :
		    0);
	labs_wants_free(lj->wants, lj->n_wants);
	topo_free(lj->topo);
	free(lj->digests);
	free(lj->made);
	free(lj->file);
	free(lj->base);
	free(lj->text);
	/* Kept by its pass (renamed), or not to be. */
	if (lj->staged[0])
		state_unstage(lj->staged);
	if (lj->held >= 0)
		close(lj->held);
	diag_list_free(&lj->diags);
	for (size_t i = 0; i < lj->n_scope; i++)
		free(lj->scope[i]);
	free(lj->scope);
	for (size_t i = 0; i < lj->n_due; i++)
		free(lj->due[i]);
	free(lj->due);
	report_free(lj->report);
	pthread_mutex_destroy(&lj->plock);
	free(lj);
}

/* The topology a pass of LJ works on. */
static const struct topo *
labs_job_topo(const struct ljob *lj)
{
	return lj->reuse || lj->topo == NULL ? lj->lab->topo : lj->topo;
}

/* ... and the digests of its namespaces' declarations, if kept: the
 * lab's, or an apply's own for a topology it may keep. */
static uint64_t *
labs_job_digests(struct ljob *lj)
{
	if (lj->reuse || lj->topo == NULL)
		return lj->lab->digests;
	if (lj->kind == LJOB_APPLY && lj->digests == NULL)
		lj->digests = calloc(lj->topo->n_ns + 1,
		    sizeof(*lj->digests));
	return lj->digests;
}

/* What LAB's topology declares changed (vrfctl link set): what its
 * passes found of it is of another declaration. */
static void
labs_digests_clear(struct dlab *lab)
{
	if (lab->digests && lab->topo)
		memset(lab->digests, 0, lab->topo->n_ns *
		    sizeof(*lab->digests));
}

/* On the worker: the engine's progress, for the loop to pass on. */
static void
labs_job_progress(void *arg, const struct engine_progress *pr)
{
	struct ljob	*lj = arg;

	pthread_mutex_lock(&lj->plock);
	lj->prog = *pr;
	pthread_mutex_unlock(&lj->plock);
	worker_notify(lj->d->worker, &lj->job);
}

/* On the loop: the client that asked hears of it, from the second it
 * wanted on, ten times a second at most; the last (all done) always. */
static void
labs_job_notify(struct job *j)
{
	struct ljob		*lj = j->arg;
	struct engine_progress	 pr;
	struct json_object	*doc;
	double			 now = clock_mono();
	bool			 done = true;

	pthread_mutex_lock(&lj->plock);
	pr = lj->prog;
	pthread_mutex_unlock(&lj->plock);
	for (int k = 0; k < 3; k++)
		done &= pr.done[k] == pr.total[k];
	if (lj->req == NULL || now - lj->start < lj->progress_after ||
	    (now - lj->last_progress < 0.1 && !done))
		return;
	lj->last_progress = now;
	if ((doc = ctl_progress_encode(&pr)) != NULL) {
		control_interim(lj->req, doc);
		json_object_put(doc);
	}
}

/* TOPO without overrides (override.h). */
static void
labs_overrides_none(struct topo *topo)
{
	struct override_list	 none = { 0 };

	override_apply(topo, &none);
}

/* On the worker: the pass, through the core's entry for its kind. */
static void
labs_job_run(struct job *j)
{
	struct ljob		*lj = j->arg;
	const struct topo	*topo = labs_job_topo(lj);

	switch (lj->kind) {
	case LJOB_APPLY:
		/* The file as it is: the lab's own topology without what
		 * vrfctl link set changed, unless it cannot be kept. */
		if (lj->reuse && override_count(lj->lab->topo) > 0) {
			labs_overrides_none(lj->lab->topo);
			labs_digests_clear(lj->lab);
			lj->interests = labs_interests(lj->lab->topo,
			    lj->lab->digests, NULL, NULL);
		}
		lj->report = lab_apply(topo, lj->text, lj->len, &lj->opts,
		    &lj->kept);
		if (lj->kept)
			lj->staged[0] = '\0';	/* the lab's now */
		if (lj->reuse && !lj->kept) {
			(void)override_load_apply(lj->lab->topo);
			labs_digests_clear(lj->lab);
			labs_interests_free(lj->interests,
			    lj->lab->topo->n_ns);
			lj->interests = NULL;
		}
		break;
	case LJOB_LINK:
		/* The lab's topology is this pass's alone while it runs; a
		 * destroy that came first took it. */
		if (lj->lab->topo == NULL) {
			lj->report = report_failed(REPORT_APPLY, lj->lab->name,
			    -ENOENT, "lab %s is not kept on this host",
			    lj->lab->name);
			break;
		}
		labs_digests_clear(lj->lab);
		lj->report = lab_link_set(lj->lab->topo, lj->node, lj->ifname,
		    lj->down, &lj->opts);
		lj->n_overrides = override_count(lj->lab->topo);
		lj->interests = labs_interests(lj->lab->topo, NULL, NULL,
		    NULL);
		break;
	case LJOB_PLAN:
		lj->report = engine_run(REPORT_PLAN, topo, NULL, &lj->opts);
		break;
	case LJOB_DESTROY:
		lj->report = lab_destroy(lj->lab->name, lj->topo, &lj->opts);
		break;
	case LJOB_REPAIR:
	case LJOB_START:
		lj->report = engine_run(REPORT_APPLY, topo, NULL, &lj->opts);
		/* A namespace made again gets its software again. At
		 * start, what ended while vrfd was down is started as an
		 * apply would; after that, a service that ended is the
		 * supervisor's, started as its policy says, and said. */
		lab_services(topo, lj->report, lj->kind == LJOB_START, NULL,
		    NULL);
		break;
	case LJOB_SERVICES:
		supervise_start(topo, lj->due, lj->n_due);
		break;
	}
}

/* On the loop, LJ's lab idle: hand the pass to a worker. */
static void
labs_dispatch(struct ljob *lj)
{
	struct daemon	*d = lj->d;
	struct dlab	*lab = lj->lab;

	lab->running = lj;
	lj->start = clock_mono();
	lj->opts.memory = &d->memory;
	if (lj->kind != LJOB_DESTROY && lj->kind != LJOB_SERVICES)
		lj->opts.digests = labs_job_digests(lj);
	lj->opts.grace = d->conf.stop_grace_ms / 1000.0;
	if (lj->progress) {
		lj->opts.progress = labs_job_progress;
		lj->opts.progress_arg = lj;
	}
	switch (lj->kind) {
	case LJOB_DESTROY:
		/* Forgotten first: the events of its end are nobody's. Its
		 * topology goes with the pass, not read again. */
		if (lj->topo == NULL) {
			lj->topo = lab->topo;
			lab->topo = NULL;
		}
		/* A big lab's end: the kernel would check each event of its
		 * teardown against every id we gave (watch_others). */
		if (lab->n_ns >= LABS_DEAF_MIN) {
			watch_others(d->watch, false);
			lj->deaf = true;
		}
		labs_forget(lab);
		break;
	case LJOB_REPAIR:
		repair_begin(lj);
		if (lj->n_scope || lj->whole)
			break;
		/* Nothing due after all. */
		lab->running = NULL;
		labs_job_free(lj);
		repair_schedule(lab);
		return;
	case LJOB_LINK:
	case LJOB_APPLY:
	case LJOB_START:
		/* A pass over the whole lab: what was dirty is in it. The
		 * events it causes mark its namespaces again, and a pass
		 * after it finds them converged, or what someone changed
		 * meanwhile. */
		for (size_t i = 0; i < lab->n_ns; i++)
			lab->ns[i].dirty = false;
		ev_timer_stop(d->loop, &lab->timer);
		lab->m_due = 0;
		/* FALLTHROUGH */
	case LJOB_PLAN:
		repair_sync(d);
		break;
	case LJOB_SERVICES:
		break;
	}
	worker_submit(d->worker, &lj->job);
}

void
labs_job_submit(struct ljob *lj)
{
	struct dlab	*lab = lj->lab;

	if (lj->d->stopping) {
		labs_reply(lj, NULL);
		labs_job_free(lj);
		labs_release(lab);
		return;
	}
	if (labs_busy(lab)) {
		lj->next = NULL;
		*lab->queue_tail = lj;
		lab->queue_tail = &lj->next;
		return;
	}
	labs_dispatch(lj);
}

/* The reply to the request of LJ, if it asked. */
static void
labs_reply(struct ljob *lj, const struct diag_list *diags)
{
	struct ctl_reply	 r = { .ok = lj->report != NULL };

	if (lj->req == NULL)
		return;
	r.report = lj->report;
	r.error = lj->report ? NULL : lj->d->stopping ? "vrfd is stopping" :
	    "out of memory";
	if (diags)
		r.diags = *diags;
	control_reply(lj->req, &r);
	lj->req = NULL;
}

/* Interests LJ made of its lab's own topology (per lab->topo->ns, as
 * lab->ns), as the lab's: its states changed. */
static void
labs_interests_take(struct ljob *lj)
{
	struct dlab	*lab = lj->lab;

	if (lj->interests == NULL)
		return;
	/* Per topo->ns; lab->ns has this host's of them, in that order. */
	for (size_t i = 0, k = 0; i < lab->topo->n_ns; i++) {
		if (lab->topo->ns[i].remote || k >= lab->n_ns) {
			interest_free(&lj->interests[i]);
			continue;
		}
		interest_free(&lab->ns[k].interest);
		/* (from the topology with its overrides: not the text's) */
		lab->ns[k].source = lab->ns[k].compiled = 0;
		lab->ns[k].clean = false;
		lab->ns[k++].interest = lj->interests[i];
	}
	free(lj->interests);
	lj->interests = NULL;
}

/* repair_applied's HEARD: the answer to an apply, or a link set. */
static void
labs_apply_answer(void *arg)
{
	struct ljob	*lj = arg;

	labs_reply(lj, &lj->diags);
}

static void
labs_link_answer(void *arg)
{
	labs_reply(arg, NULL);
}

static void
labs_apply_done(struct ljob *lj)
{
	struct dlab	*lab = lj->lab;
	struct report	*r = lj->report;

	if (lj->kept && !lj->reuse) {
		if (labs_keep(lab, lj->topo, lj->interests, lj->made,
		    lj->digests) < 0)
			log_warnx("%s: out of memory: not kept", lab->name);
		else {
			if (lj->digests)
				memcpy(lab->digests, lj->digests,
				    lab->topo->n_ns * sizeof(*lab->digests));
			lj->topo = NULL;	/* the lab's now */
			lj->interests = NULL;
			if (labs_request(lab, lj->file, lj->digest, lj->len,
			    &lj->diags) < 0)
				log_warnx("%s: out of memory: the next apply "
				    "parses again", lab->name);
		}
	}
	if (lj->kind == LJOB_APPLY && lj->kept)
		lab->overrides = 0;
	/* The same topology, without the overrides it had: what it wants
	 * now. */
	if (lj->reuse)
		labs_interests_take(lj);
	if (r)
		log_info("%s: %s: %zu changes, %zu failed", lab->name,
		    lj->kind == LJOB_START ? "converged at start" : "applied",
		    r->changes, r->failed);
	if (r)
		log_debug("repair", "%s: apply: %zu of %zu namespaces read "
		    "from memory, %.1f ms", lab->name, r->recalled, r->n_ns,
		    (clock_mono() - lj->start) * 1000);
	/* Answered once its namespaces' events are heard, before their
	 * links are read: a change made right after the answer is heard,
	 * and named as what it is, as those events are read after them. */
	if (r && lj->kept)
		repair_applied(lab, r, labs_apply_answer, lj);
	else
		labs_apply_answer(lj);
}

/* link set: its pass done, the lab keeps the interface so; the lab's
 * interests are what it wants now. */
static void
labs_link_done(struct ljob *lj)
{
	struct dlab	*lab = lj->lab;
	struct report	*r = lj->report;

	lab->overrides = lj->n_overrides;
	labs_interests_take(lj);
	if (r)
		log_info("%s: link set %s:%s %s: %zu changes, %zu failed%s%s",
		    lab->name, lj->node, lj->ifname, lj->down ? "down" : "up",
		    r->changes, r->failed, r->error ? ": " : "",
		    r->error ? r->error : "");
	if (r && r->err == 0)
		repair_applied(lab, r, labs_link_answer, lj);
	else
		labs_link_answer(lj);
}

/* On the loop: the pass of LJ is done. */
static void
labs_job_done(struct job *j)
{
	struct ljob	*lj = j->arg;
	struct dlab	*lab = lj->lab;
	struct ljob	*next;

	switch (lj->kind) {
	case LJOB_APPLY:
		labs_apply_done(lj);
		break;
	case LJOB_START:
		lj->kept = true;
		lj->reuse = true;
		labs_apply_done(lj);
		break;
	case LJOB_PLAN:
		if (lj->report)
			log_debug("repair", "%s: plan: %zu of %zu namespaces "
			    "read from memory", lab->name, lj->report->recalled,
			    lj->report->n_ns);
		labs_reply(lj, &lj->diags);
		break;
	case LJOB_DESTROY:
		if (lj->report)
			log_info("%s: destroyed", lab->name);
		labs_reply(lj, NULL);
		if (lj->deaf)
			watch_others(lab->d->watch, true);
		break;
	case LJOB_REPAIR:
		repair_end(lj);
		break;
	case LJOB_SERVICES:
		break;
	case LJOB_LINK:
		labs_link_done(lj);
		break;
	}
	lab->running = NULL;
	labs_job_free(lj);
	topo_free(lab->retired);
	lab->retired = NULL;
	/* The next pass of the lab, or the repair it waits for. */
	if ((next = lab->queue) != NULL) {
		if ((lab->queue = next->next) == NULL)
			lab->queue_tail = &lab->queue;
		labs_dispatch(next);
	} else if (lab->kept && !lab->d->stopping)
		repair_schedule(lab);
	else
		labs_release(lab);
}

static void
labs_timer_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct dlab	*lab = t->data;
	struct ljob	*lj;

	(void)loop;
	(void)revents;
	lab->m_due = 0;
	if (labs_busy(lab) || lab->d->stopping)
		return;		/* scheduled again when it is done */
	if ((lj = labs_job_new(lab, LJOB_REPAIR, NULL)) == NULL) {
		log_warnx("%s: out of memory: repair put off", lab->name);
		return;
	}
	labs_dispatch(lj);
}

void
labs_free(struct daemon *d)
{
	while (d->n_labs > 0) {
		struct dlab	*lab = d->labs[d->n_labs - 1];

		lab->kept = false;
		while (lab->queue) {
			struct ljob	*lj = lab->queue;

			lab->queue = lj->next;
			labs_job_free(lj);
		}
		lab->queue_tail = &lab->queue;
		labs_release(lab);
	}
	free(d->labs);
	d->labs = NULL;
}
