/*
 * worker: vrfd's passes run off the event loop, on threads of their own,
 * so that a long apply of one lab never holds up another lab's repair,
 * a status, or the events the loop hears meanwhile.
 *
 * A job's RUN runs on a worker thread and must touch nothing the loop
 * owns; its DONE runs on the loop afterwards. While RUN goes on it may
 * call worker_notify(): the loop then calls the job's NOTIFY soon (for
 * progress). Threads are started as jobs need them, up to a bound; the
 * jobs beyond wait in order. Which jobs may run at the same time (one
 * pass per lab) is the caller's business (labs.c).
 */
#ifndef VRFD_WORKER_H
#define VRFD_WORKER_H

#include <stdbool.h>

struct ev_loop;
struct worker;

struct job {
	void		(*run)(struct job *);	/* on a worker thread */
	void		(*done)(struct job *);	/* on the loop, after */
	void		(*notify)(struct job *);	/* on the loop, when
							   RUN asked */
	void		*arg;
	/* the worker's */
	struct job	*next;		/* queued, or done */
	struct job	*notify_next;	/* to be told */
	bool		 notified;
};

/* Up to MAX threads. NULL with errno. */
struct worker	*worker_new(struct ev_loop *, unsigned max);
/* Run JOB (the caller keeps it alive until its DONE). */
void		 worker_submit(struct worker *, struct job *);
/* From RUN: have the loop call JOB's NOTIFY soon. */
void		 worker_notify(struct worker *, struct job *);
/* How many jobs are queued or running. */
unsigned	 worker_busy(struct worker *);
/* Wait for the running and queued jobs to end, calling their DONE, then
 * stop the threads. */
void		 worker_free(struct worker *);

#endif
