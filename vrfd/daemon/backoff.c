/*
 * backoff: the per-object arithmetic of repairs that keep being undone
 * (backoff.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"

uint64_t
backoff_key(const char *what)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *what; what++)
		h = (h ^ (uint8_t)*what) * 0x100000001b3ULL;
	return h;
}

/* Drop the repairs of O that are older than the window. */
static void
backoff_trim(struct backoff_obj *o, double now, const struct backoff_conf *c)
{
	unsigned	 k = 0;

	for (unsigned i = 0; i < o->n; i++)
		if (now - o->at[i] <= c->window)
			o->at[k++] = o->at[i];
	o->n = k;
}

static struct backoff_obj *
backoff_find(struct backoff *b, uint64_t key, bool add)
{
	struct backoff_obj	*v;

	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].key == key)
			return &b->v[i];
	if (!add || (v = reallocarray(b->v, b->n + 1, sizeof(*v))) == NULL)
		return NULL;
	b->v = v;
	v = &b->v[b->n++];
	memset(v, 0, sizeof(*v));
	v->key = key;
	return v;
}

int
backoff_repaired(struct backoff *b, uint64_t key, double now,
    const struct backoff_conf *c, unsigned *delay_ms, unsigned *count)
{
	struct backoff_obj	*o;

	*delay_ms = 0;
	*count = 0;
	if ((o = backoff_find(b, key, true)) == NULL)
		return -ENOMEM;
	backoff_trim(o, now, c);
	if (o->n == 0)
		o->delay_ms = 0;	/* quiet for a window: start over */
	if (o->n == BACKOFF_HIST)
		memmove(o->at, o->at + 1, (BACKOFF_HIST - 1) * sizeof(o->at[0]));
	else
		o->n++;
	o->at[o->n - 1] = now;
	*count = o->n;
	/* Under the threshold, this repair waits for nothing, and a wait
	 * that comes later starts from the first step again. */
	if (o->n < c->repairs) {
		o->delay_ms = 0;
		return 0;
	}
	o->delay_ms = o->delay_ms ? o->delay_ms * 2 : c->initial_ms;
	if (o->delay_ms > c->max_ms)
		o->delay_ms = c->max_ms;
	*delay_ms = o->delay_ms;
	return 0;
}

unsigned
backoff_delay(const struct backoff *b, double now,
    const struct backoff_conf *c)
{
	unsigned	 d = 0;

	for (size_t i = 0; i < b->n; i++) {
		const struct backoff_obj *o = &b->v[i];

		/* The wait stands while its repairs are recent. */
		if (o->n > 0 && now - o->at[o->n - 1] <= c->window &&
		    o->delay_ms > d)
			d = o->delay_ms;
	}
	return d;
}

void
backoff_expire(struct backoff *b, double now, const struct backoff_conf *c)
{
	size_t	 k = 0;

	for (size_t i = 0; i < b->n; i++) {
		backoff_trim(&b->v[i], now, c);
		if (b->v[i].n > 0)
			b->v[k++] = b->v[i];
	}
	b->n = k;
}

void
backoff_free(struct backoff *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}
