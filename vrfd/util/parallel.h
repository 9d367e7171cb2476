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

#include <stddef.h>

#define PARALLEL_MAX	16		/* threads at once, this one included */

/* FN(ARG) on this thread and, at the same time, on N - 1 more (at most
 * PARALLEL_MAX in all; fewer where threads cannot be made); back when
 * all have returned. */
void	parallel_run(void *(*fn)(void *), void *arg, size_t n);
/* The next item to do, from NEXT, shared by the threads. */
size_t	parallel_take(size_t *next);
/* How many cores there are to run threads on. */
size_t	parallel_cores(void);

#endif
