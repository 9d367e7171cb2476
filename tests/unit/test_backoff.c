/*
 * test_backoff: the arithmetic of repairs that keep being undone
 * (daemon/backoff.c). Backoff is for one object undone again and again,
 * not for a busy namespace: a wrong rule here either lets vrfd fight a
 * routing daemon at full speed or slows every honest repair down.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "daemon/backoff.h"

/* 3 repairs within 10 s start it: 300 ms, doubling, up to 1200 ms. */
static const struct backoff_conf conf = {
	.repairs = 3,
	.window = 10,
	.initial_ms = 300,
	.max_ms = 1200,
};

#define ROUTE	"route 10.8.0.0/16 metric 0"

static void
test_key(void)
{
	char	 a[] = ROUTE, b[] = ROUTE;

	/* the same words from two buffers: the same object */
	CHECK(backoff_key(a) == backoff_key(b));
	CHECK(backoff_key(ROUTE) != backoff_key("route 10.9.0.0/16 metric 0"));
	CHECK(backoff_key(ROUTE) != backoff_key("route 10.8.0.0/16 metric 1"));
	CHECK(backoff_key("a") != backoff_key(""));
	CHECK(backoff_key("ab") != backoff_key("ba"));
}

static void
test_one_object_escalates(void)
{
	static const double	 at[] = { 0, 1, 2, 3, 4, 5 };
	static const unsigned	 delay[] = { 0, 0, 300, 600, 1200, 1200 };
	static const unsigned	 count[] = { 1, 2, 3, 4, 5, 6 };
	struct backoff		 b = { 0 };
	uint64_t		 key = backoff_key(ROUTE);
	unsigned		 d, n;

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		d = n = 99;
		CHECK_INTEQ(backoff_repaired(&b, key, at[i], &conf, &d, &n),
		    0);
		CHECK_INTEQ(d, delay[i]);
		CHECK_INTEQ(n, count[i]);
	}
	/* one object, however often repaired */
	CHECK_INTEQ(b.n, 1);
	backoff_free(&b);
	CHECK(b.v == NULL);
	CHECK_INTEQ(b.n, 0);
}

/* Three different edits in a namespace are three drifts, each repaired
 * at once: that is not a fight. */
static void
test_different_objects_no_delay(void)
{
	static const char *const what[] = {
		"route 10.8.0.0/16 metric 0",
		"address 10.0.0.1/24 dev eth0",
		"neighbour 10.0.0.9 dev eth0",
	};
	struct backoff	 b = { 0 };
	unsigned	 d, n;

	for (size_t i = 0; i < 3; i++) {
		CHECK_INTEQ(backoff_repaired(&b, backoff_key(what[i]),
		    (double)i * 0.1, &conf, &d, &n), 0);
		CHECK_INTEQ(d, 0);
		CHECK_INTEQ(n, 1);
	}
	CHECK_INTEQ(b.n, 3);
	CHECK_INTEQ(backoff_delay(&b, 0.3, &conf), 0);
	/* the first one again: its second repair, still nothing */
	CHECK_INTEQ(backoff_repaired(&b, backoff_key(what[0]), 0.4, &conf,
	    &d, &n), 0);
	CHECK_INTEQ(d, 0);
	CHECK_INTEQ(n, 2);
	backoff_free(&b);
}

/* Left alone for more than a window: the fight is over. */
static void
test_quiet_window_starts_over(void)
{
	struct backoff	 b = { 0 };
	uint64_t	 key = backoff_key(ROUTE);
	unsigned	 d, n;

	for (int i = 0; i < 5; i++)
		backoff_repaired(&b, key, i, &conf, &d, &n);
	CHECK_INTEQ(d, 1200);
	CHECK_INTEQ(n, 5);
	/* last repair at 4: at 14.5 all of them are out of the window */
	CHECK_INTEQ(backoff_repaired(&b, key, 14.5, &conf, &d, &n), 0);
	CHECK_INTEQ(d, 0);
	CHECK_INTEQ(n, 1);
	CHECK_INTEQ(backoff_repaired(&b, key, 15, &conf, &d, &n), 0);
	CHECK_INTEQ(d, 0);
	CHECK_INTEQ(n, 2);
	/* and it escalates from the start again, not from 1200 */
	CHECK_INTEQ(backoff_repaired(&b, key, 16, &conf, &d, &n), 0);
	CHECK_INTEQ(d, 300);
	CHECK_INTEQ(n, 3);
	backoff_free(&b);
}

static void
test_delay_in_force(void)
{
	struct backoff	 b = { 0 };
	uint64_t	 k1 = backoff_key(ROUTE);
	uint64_t	 k2 = backoff_key("route 10.9.0.0/16 metric 0");
	unsigned	 d, n;

	CHECK_INTEQ(backoff_delay(&b, 0, &conf), 0);	/* nothing yet */
	/* k1: 0, 1, 2, 3 -> 600; k2: 0, 1, 2 -> 300 */
	for (int i = 0; i < 4; i++)
		backoff_repaired(&b, k1, i, &conf, &d, &n);
	CHECK_INTEQ(d, 600);
	for (int i = 0; i < 3; i++)
		backoff_repaired(&b, k2, 5 + i, &conf, &d, &n);
	CHECK_INTEQ(d, 300);
	/* the largest of those still in their window */
	CHECK_INTEQ(backoff_delay(&b, 7, &conf), 600);
	CHECK_INTEQ(backoff_delay(&b, 13, &conf), 600);	/* k1's last: 3 */
	CHECK_INTEQ(backoff_delay(&b, 13.5, &conf), 300);
	CHECK_INTEQ(backoff_delay(&b, 17, &conf), 300);	/* k2's last: 7 */
	CHECK_INTEQ(backoff_delay(&b, 17.5, &conf), 0);
	CHECK_INTEQ(backoff_delay(&b, 1000, &conf), 0);
	backoff_free(&b);
}

static void
test_expire(void)
{
	struct backoff	 b = { 0 };
	uint64_t	 old = backoff_key(ROUTE);
	uint64_t	 recent = backoff_key("route 10.9.0.0/16 metric 0");
	unsigned	 d, n;

	backoff_repaired(&b, old, 0, &conf, &d, &n);
	backoff_repaired(&b, old, 1, &conf, &d, &n);
	backoff_repaired(&b, recent, 8, &conf, &d, &n);
	CHECK_INTEQ(b.n, 2);
	/* at 10 both are within the window */
	backoff_expire(&b, 10, &conf);
	CHECK_INTEQ(b.n, 2);
	/* at 11.5 the old one's last repair (1) is older than 10 s */
	backoff_expire(&b, 11.5, &conf);
	CHECK_INTEQ(b.n, 1);
	CHECK(b.n == 1 && b.v[0].key == recent);
	CHECK(b.n == 1 && b.v[0].n == 1);
	/* and a later repair of the old one counts from 1 */
	CHECK_INTEQ(backoff_repaired(&b, old, 12, &conf, &d, &n), 0);
	CHECK_INTEQ(n, 1);
	CHECK_INTEQ(b.n, 2);
	backoff_expire(&b, 100, &conf);
	CHECK_INTEQ(b.n, 0);
	backoff_free(&b);
}

/* More repairs in the window than an object remembers: the oldest go,
 * the count stays at BACKOFF_HIST and the wait at its cap. */
static void
test_history_full(void)
{
	struct backoff	 b = { 0 };
	uint64_t	 key = backoff_key(ROUTE);
	unsigned	 d = 0, n = 0;
	int		 total = BACKOFF_HIST + 8;

	for (int i = 0; i < total; i++) {
		CHECK_INTEQ(backoff_repaired(&b, key, i * 0.1, &conf, &d, &n),
		    0);
		CHECK_INTEQ(n, i + 1 < BACKOFF_HIST ? i + 1 : BACKOFF_HIST);
	}
	CHECK_INTEQ(n, BACKOFF_HIST);
	CHECK_INTEQ(d, 1200);
	CHECK_INTEQ(b.n, 1);
	/* the newest is last, the oldest kept is the 9th made */
	CHECK(b.v[0].at[BACKOFF_HIST - 1] == (total - 1) * 0.1);
	CHECK(b.v[0].at[0] == 8 * 0.1);
	CHECK_INTEQ(backoff_delay(&b, (total - 1) * 0.1, &conf), 1200);
	backoff_free(&b);
}

/*
 * A window that is only partly quiet: repairs at 0, 1, 2 make the third
 * wait; at 11.5 the first two are out of the window, so that repair is
 * under the threshold and waits for nothing, and the wait in force
 * (what status shows) must say 0, not the old 300. The next fight starts
 * from the first step again.
 */
static void
test_partly_quiet(void)
{
	static const double	 at[] = { 0, 1, 2, 11.5, 12 };
	static const unsigned	 delay[] = { 0, 0, 300, 0, 300 };
	struct backoff		 b = { 0 };
	uint64_t		 key = backoff_key(ROUTE);
	unsigned		 d, n;

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		CHECK_INTEQ(backoff_repaired(&b, key, at[i], &conf, &d, &n),
		    0);
		CHECK_INTEQ(d, delay[i]);
		CHECK_INTEQ(backoff_delay(&b, at[i], &conf), delay[i]);
	}
	backoff_free(&b);
}

int
main(void)
{
	RUN(test_key);
	RUN(test_one_object_escalates);
	RUN(test_different_objects_no_delay);
	RUN(test_quiet_window_starts_over);
	RUN(test_delay_in_force);
	RUN(test_expire);
	RUN(test_history_full);
	RUN(test_partly_quiet);
	return CHECK_DONE();
}
