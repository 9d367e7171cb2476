/*
 * test_parallel: threads made for a piece of work (util/parallel.c). A
 * thread is started away from its maker's core and then set free: one
 * left pinned to a core would halve a pass's readers whenever that core
 * is busy.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "check.h"
#include "util/parallel.h"

struct seen {
	int		 calls;		/* atomic */
	size_t		 next;
	int		 taken[64];	/* atomic */
	cpu_set_t	 allowed;
	int		 affinity_ok;
};

static void *
note(void *arg)
{
	struct seen	*s = arg;
	cpu_set_t	 now;

	__atomic_fetch_add(&s->calls, 1, __ATOMIC_RELAXED);
	if (sched_getaffinity(0, sizeof(now), &now) == 0 &&
	    CPU_EQUAL(&now, &s->allowed))
		__atomic_fetch_add(&s->affinity_ok, 1, __ATOMIC_RELAXED);
	return arg;
}

static void
test_thread_runs_free(void)
{
	struct seen	 s = { 0 };
	pthread_t	 t;
	void		*rv = NULL;

	CHECK_INTEQ(sched_getaffinity(0, sizeof(s.allowed), &s.allowed), 0);
	for (int i = 0; i < 20; i++) {
		CHECK_INTEQ(parallel_thread(&t, note, &s), 0);
		CHECK_INTEQ(pthread_join(t, &rv), 0);
		CHECK(rv == &s);
	}
	CHECK_INTEQ(s.calls, 20);
	/* whatever core it started on, it may run on any now */
	CHECK_INTEQ(s.affinity_ok, 20);
	/* the maker's own affinity is not touched */
	{
		cpu_set_t	 mine;

		CHECK_INTEQ(sched_getaffinity(0, sizeof(mine), &mine), 0);
		CHECK(CPU_EQUAL(&mine, &s.allowed));
	}
}

static void *
take_all(void *arg)
{
	struct seen	*s = arg;
	size_t		 i;

	note(s);
	while ((i = parallel_take(&s->next)) < 64)
		__atomic_fetch_add(&s->taken[i], 1, __ATOMIC_RELAXED);
	return NULL;
}

static void
test_run_shares_out(void)
{
	struct seen	 s = { 0 };

	CHECK_INTEQ(sched_getaffinity(0, sizeof(s.allowed), &s.allowed), 0);
	parallel_run(take_all, &s, 4);
	/* this thread and three more, each item done once */
	CHECK_INTEQ(s.calls, 4);
	CHECK_INTEQ(s.affinity_ok, 4);
	for (size_t i = 0; i < 64; i++)
		CHECK_INTEQ(s.taken[i], 1);
}

int
main(void)
{
	RUN(test_thread_runs_free);
	RUN(test_run_shares_out);
	return CHECK_DONE();
}
