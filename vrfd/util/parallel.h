/*
 * parallel: one piece of work done by several threads at once, which
 * share it out among themselves: each takes the next item of a shared
 * count (parallel_take) until none are left. A pass's reading of its
 * namespaces, a destroy's unbinding of names, the loader's reading of a
 * big topology's namespaces and the compiling of them run so. (In util:
 * the loader, below the engine, uses it too.)
 */
#ifndef VRFD_PARALLEL_H
#define VRFD_PARALLEL_H

#include <pthread.h>
#include <sched.h>
#include <stddef.h>

#define PARALLEL_MAX	16		/* threads at once, this one included */

/* FN(ARG) on this thread and, at the same time, on N - 1 more (at most
 * PARALLEL_MAX in all; fewer where threads cannot be made); back when
 * all have returned. */
void	parallel_run(void *(*fn)(void *), void *arg, size_t n);
/* Make *T, a thread running FN(ARG), started on another core than this
 * one's where it may run on one (then free to run anywhere); 0 or what
 * pthread_create returns. */
int	parallel_thread(pthread_t *t, void *(*fn)(void *), void *arg);
/*
 * The same, for a thread working beside this one the whole time it runs
 * (vrfctl's reading ahead of a lab's namespaces while this one loads its
 * topology): the two are kept apart, this one on its core and T on the
 * others, until parallel_together(A), once T is joined.
 * Otherwise a lock one releases wakes the other on its core (the
 * kernel places a woken thread near its waker), and the two share it
 * until the balancer parts them: 2-5 ms of a no-op apply of 100
 * namespaces, one time in two.
 */
struct parallel_apart {
	cpu_set_t	 allowed;	/* this thread's cores before */
};
int	parallel_thread_apart(pthread_t *t, void *(*fn)(void *), void *arg,
	    struct parallel_apart *a);
void	parallel_together(struct parallel_apart *a);
/* The next item to do, from NEXT, shared by the threads. */
size_t	parallel_take(size_t *next);
/* How many cores there are to run threads on. */
size_t	parallel_cores(void);

#endif
