/*
 * backoff: a repair that keeps being undone waits longer each time.
 *
 * A fight is the same object undone again and again (a person who keeps
 * deleting the route vrfd keeps adding, a routing daemon that keeps
 * replacing it), not a busy namespace: three different edits are three
 * drifts, each repaired at once. So each repaired object of a namespace
 * keeps the times of its recent repairs; once one object has been
 * repaired REPAIRS times within WINDOW seconds, the namespace's next
 * repair waits INITIAL_MS, doubling each time it goes on, up to MAX_MS;
 * a window in which that object is left alone ends it.
 *
 * Only arithmetic: no clock, no loop (repair.c has those).
 */
#ifndef VRFD_BACKOFF_H
#define VRFD_BACKOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BACKOFF_HIST	32	/* repairs an object remembers */

struct backoff_conf {
	unsigned	 repairs;	/* 1..BACKOFF_HIST */
	unsigned	 window;	/* s */
	unsigned	 initial_ms;
	unsigned	 max_ms;
};

struct backoff_obj {
	uint64_t	 key;		/* which object (a hash of its words) */
	double		 at[BACKOFF_HIST];	/* its recent repairs */
	unsigned	 n;
	unsigned	 delay_ms;	/* the wait it caused last */
};

/* One namespace's objects. */
struct backoff {
	struct backoff_obj *v;
	size_t		 n;
};

/* KEY of an object, from its words ("route 10.8.0.0/16 metric 0"). */
uint64_t	 backoff_key(const char *what);
/* A repair of KEY was made at NOW: the wait the namespace's next repair
 * must keep from NOW (0: none), and in *COUNT the repairs of KEY in the
 * window, this one included. -ENOMEM leaves it as it was. */
int		 backoff_repaired(struct backoff *, uint64_t key, double now,
		    const struct backoff_conf *, unsigned *delay_ms,
		    unsigned *count);
/* The wait in force at NOW: the longest of the objects still in their
 * window. */
unsigned	 backoff_delay(const struct backoff *, double now,
		    const struct backoff_conf *);
/* Objects whose last repair is a window old are forgotten. */
void		 backoff_expire(struct backoff *, double now,
		    const struct backoff_conf *);
void		 backoff_free(struct backoff *);

#endif
