/*
 * parallel: several threads on one piece of work (parallel.h).
 */
#include <pthread.h>
#include <unistd.h>

#include "parallel.h"

void
parallel_run(void *(*fn)(void *), void *arg, size_t n)
{
	pthread_t	 t[PARALLEL_MAX];
	size_t		 made = 0;

	/* A thread starts in the namespace of the one that makes it. */
	while (made + 1 < n && made + 1 < PARALLEL_MAX &&
	    pthread_create(&t[made], NULL, fn, arg) == 0)
		made++;
	(void)fn(arg);
	while (made > 0)
		pthread_join(t[--made], NULL);
}

size_t
parallel_take(size_t *next)
{
	return __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
}

size_t
parallel_cores(void)
{
	long	 n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (size_t)n : 1;
}
