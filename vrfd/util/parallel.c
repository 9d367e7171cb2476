/*
 * parallel: several threads on one piece of work (parallel.h).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "parallel.h"

/* What a thread made here is to run, and where it may once started
 * (ALLOWED empty: where it was started, for good). */
struct parallel_start {
	void		*(*fn)(void *);
	void		*arg;
	cpu_set_t	 allowed;
};

static void *
parallel_started(void *a)
{
	struct parallel_start	 s = *(struct parallel_start *)a;

	free(a);
	/* Started away from its maker: free to go anywhere again. */
	if (CPU_COUNT(&s.allowed) > 0)
		(void)sched_setaffinity(0, sizeof(s.allowed), &s.allowed);
	return s.fn(s.arg);
}

/* This thread free to run on ALLOWED again (if it says any). */
static void
parallel_restore(cpu_set_t *allowed)
{
	if (CPU_COUNT(allowed) > 0)
		(void)sched_setaffinity(0, sizeof(*allowed), allowed);
	CPU_ZERO(allowed);
}

/*
 * Make *T, running FN(ARG) on another core than this thread's. APART:
 * both stay where they are (this thread on its core, T on the others)
 * and *ALLOWED is what this thread may run on again once they part;
 * else T may go anywhere once it runs.
 */
static int
parallel_make(pthread_t *t, void *(*fn)(void *), void *arg, bool apart,
    cpu_set_t *allowed)
{
	struct parallel_start	*s;
	pthread_attr_t		 attr;
	cpu_set_t		 away, here;
	int			 cpu, rv;

	CPU_ZERO(allowed);
	if ((s = malloc(sizeof(*s))) == NULL)
		return ENOMEM;
	s->fn = fn;
	s->arg = arg;
	if ((rv = pthread_attr_init(&attr)) != 0) {
		free(s);
		return rv;
	}
	/*
	 * Linux puts a new thread on its maker's core, and while the maker
	 * works there it waits for the load balancer: 2 to 4 ms, one time
	 * in three, on a 2-core machine (a no-op apply of 100 namespaces
	 * takes 15). Started on another core, it runs within 50 us.
	 */
	CPU_ZERO(&s->allowed);
	if (sched_getaffinity(0, sizeof(away), &away) == 0 &&
	    (cpu = sched_getcpu()) >= 0) {
		*allowed = away;
		CPU_CLR(cpu, &away);
		if (CPU_COUNT(&away) > 0)
			(void)pthread_attr_setaffinity_np(&attr, sizeof(away),
			    &away);
		if (!apart)
			s->allowed = *allowed;
		else if (CPU_COUNT(&away) > 0) {
			CPU_ZERO(&here);
			CPU_SET(cpu, &here);
			(void)sched_setaffinity(0, sizeof(here), &here);
		}
	}
	rv = pthread_create(t, &attr, parallel_started, s);
	pthread_attr_destroy(&attr);
	if (rv != 0) {
		free(s);
		if (apart)
			parallel_restore(allowed);
	}
	return rv;
}

int
parallel_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	cpu_set_t	 allowed;

	return parallel_make(t, fn, arg, false, &allowed);
}

int
parallel_thread_apart(pthread_t *t, void *(*fn)(void *), void *arg,
    struct parallel_apart *a)
{
	return parallel_make(t, fn, arg, true, &a->allowed);
}

void
parallel_together(struct parallel_apart *a)
{
	parallel_restore(&a->allowed);
}

void
parallel_run(void *(*fn)(void *), void *arg, size_t n)
{
	pthread_t	 t[PARALLEL_MAX];
	size_t		 made = 0;

	/* A thread starts in the namespace of the one that makes it. */
	while (made + 1 < n && made + 1 < PARALLEL_MAX &&
	    parallel_thread(&t[made], fn, arg) == 0)
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
