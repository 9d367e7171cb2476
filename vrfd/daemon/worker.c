/*
 * worker: a pool of threads for passes, and the way back to the loop:
 * finished jobs (and notifications) are put on lists under the lock and
 * an ev_async wakes the loop, which takes them off there.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "log.h"
#include "util/parallel.h"
#include "worker.h"

#define WORKER_QUIET	1.0	/* s without a pass: memory given back */

static void	worker_quiet_cb(struct ev_loop *, ev_timer *, int);

struct worker {
	struct ev_loop		*loop;
	ev_async		 wake;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct job		*queue, **queue_tail;	/* to run */
	struct job		*done;			/* to finish */
	struct job		*notify;		/* to tell */
	unsigned		 threads, idle, max;
	unsigned		 busy;			/* queued, running,
							   or not finished */
	bool			 stop;
	ev_timer		 quiet;			/* idle a while */
	pthread_t		*tids;
};

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct job	*j;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->queue == NULL && !w->stop) {
			w->idle++;
			pthread_cond_wait(&w->cond, &w->lock);
			w->idle--;
		}
		if (w->queue == NULL)
			break;
		j = w->queue;
		if ((w->queue = j->next) == NULL)
			w->queue_tail = &w->queue;
		pthread_mutex_unlock(&w->lock);
		j->run(j);
		pthread_mutex_lock(&w->lock);
		j->next = w->done;
		w->done = j;
		ev_async_send(w->loop, &w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* On the loop: tell, then finish, what the threads left for it. */
static void
worker_wake_cb(struct ev_loop *loop, ev_async *a, int revents)
{
	struct worker	*w = a->data;
	struct job	*done, *notify, *j, *rev = NULL;

	(void)loop;
	(void)revents;
	pthread_mutex_lock(&w->lock);
	done = w->done;
	notify = w->notify;
	w->done = w->notify = NULL;
	for (j = notify; j; j = j->notify_next)
		j->notified = false;
	pthread_mutex_unlock(&w->lock);
	/* A job whose notification and end come in one wake-up is told
	 * first, then finished. */
	for (j = notify; j; j = j->notify_next)
		if (j->notify)
			j->notify(j);
	/* In the order they finished. */
	while (done) {
		j = done;
		done = j->next;
		j->next = rev;
		rev = j;
	}
	while ((j = rev) != NULL) {
		rev = j->next;
		pthread_mutex_lock(&w->lock);
		w->busy--;
		pthread_mutex_unlock(&w->lock);
		j->done(j);
	}
	if (!worker_busy(w)) {
		ev_timer_stop(loop, &w->quiet);
		ev_timer_set(&w->quiet, WORKER_QUIET, 0);
		ev_timer_start(loop, &w->quiet);
	}
}

/*
 * A pass over a big lab leaves its thread's arena full of freed memory;
 * what the daemon keeps between passes is far less. Given back once no
 * pass has run for WORKER_QUIET s: not after each pass, whose successor
 * would only fault it in again.
 */
static void
worker_quiet_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct worker	*w = t->data;

	(void)loop;
	(void)revents;
	if (!worker_busy(w))
		malloc_trim(0);
}

/*
 * One arena for every thread, whose free top up to WORKER_PAD is kept
 * while passes run and given back (malloc_trim) once they are quiet.
 *
 * glibc would give each thread an arena of its own, and malloc_trim
 * cannot give back a thread arena's free top; with its thresholds raised
 * as big blocks are freed (as glibc does by itself) that top stays for
 * good. Trimmed at every free instead, each pass faulted its memory in
 * again: one link added to a grid of 484 took 2,700 page faults, a
 * tenth of its time; with the pad, 230. The threads' own small blocks
 * come from their caches, not the arena's lock. Blocks up to 32 MB
 * (glibc's most) come from the arena too, not from mmap: a pass's
 * arrays of a big lab (its namespaces, links, the text) were mapped
 * and faulted in anew each time (700 faults more per link added to the
 * grid of 484 once its routes' nexthops no longer held the holes
 * between them); the quiet trim gives them back as it does the rest.
 */
#define WORKER_PAD	(16 * 1024 * 1024)
#define WORKER_MMAP_MIN	(32 * 1024 * 1024)

static void
worker_malloc_fixed(void)
{
	(void)mallopt(M_ARENA_MAX, 1);
	(void)mallopt(M_MMAP_THRESHOLD, WORKER_MMAP_MIN);
	(void)mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	(void)mallopt(M_TOP_PAD, WORKER_PAD);
}

struct worker *
worker_new(struct ev_loop *loop, unsigned max)
{
	struct worker	*w;

	worker_malloc_fixed();
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->tids = calloc(max ? max : 1, sizeof(*w->tids))) == NULL) {
		free(w);
		return NULL;
	}
	w->loop = loop;
	w->max = max ? max : 1;
	w->queue_tail = &w->queue;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	ev_async_init(&w->wake, worker_wake_cb);
	w->wake.data = w;
	ev_async_start(loop, &w->wake);
	ev_timer_init(&w->quiet, worker_quiet_cb, WORKER_QUIET, 0);
	w->quiet.data = w;
	return w;
}

/* A thread more, signals blocked in it: they are the loop's. */
static void
worker_spawn(struct worker *w)
{
	sigset_t	 all, old;
	int		 rv;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rv = parallel_thread(&w->tids[w->threads], worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rv == 0)
		w->threads++;
	else if (w->threads == 0)
		log_warnx("worker: cannot start a thread: %s", strerror(rv));
}

void
worker_submit(struct worker *w, struct job *j)
{
	pthread_mutex_lock(&w->lock);
	j->next = NULL;
	j->notified = false;
	*w->queue_tail = j;
	w->queue_tail = &j->next;
	w->busy++;
	if (w->idle == 0 && w->threads < w->max)
		worker_spawn(w);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
worker_notify(struct worker *w, struct job *j)
{
	pthread_mutex_lock(&w->lock);
	if (!j->notified) {
		j->notified = true;
		j->notify_next = w->notify;
		w->notify = j;
		ev_async_send(w->loop, &w->wake);
	}
	pthread_mutex_unlock(&w->lock);
}

unsigned
worker_busy(struct worker *w)
{
	unsigned	 n;

	pthread_mutex_lock(&w->lock);
	n = w->busy;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	/* Let what runs end: a pass cut off in the middle is finished by
	 * the next start, but ending it cleanly costs only its time. */
	while (worker_busy(w) > 0)
		ev_run(w->loop, EVRUN_ONCE);
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (unsigned i = 0; i < w->threads; i++)
		pthread_join(w->tids[i], NULL);
	ev_async_stop(w->loop, &w->wake);
	ev_timer_stop(w->loop, &w->quiet);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w->tids);
	free(w);
}
