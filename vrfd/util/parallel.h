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
/* The next item to do, from NEXT, shared by the threads. */
size_t	parallel_take(size_t *next);
/* How many cores there are to run threads on. */
size_t	parallel_cores(void);

#endif
