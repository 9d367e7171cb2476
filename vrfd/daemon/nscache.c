/*
 * nscache: the daemon's memory of what its namespaces hold (see nscache.h
 * for why it stays exact). A hash table by namespace name, open
 * addressing; a name once seen keeps its entry, only its state comes and
 * goes, so there is nothing to delete. The slots hold pointers: a table
 * kept at most half full would otherwise hold as many empty entries (a
 * kilobyte and a half each) as namespaces.
 *
 * Tickets: the high half is the cache's epoch (every forget_all moves it
 * on), the low half the entry's generation (every forgetting of the
 * entry, every change of its watch). A put under another ticket is old.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "engine/observe.h"
#include "nscache.h"

/* A neighbour as an event names it. */
struct nscache_neigh {
	int		 family;
	int		 ifindex;
	uint8_t		 ip[16];
};

/* Learned neighbours heard of while a namespace is read, at most: past
 * them, its neighbours as read are in doubt and will be read again (IPv6
 * neighbour discovery on a namespace of thousands of interfaces goes on
 * for minutes after they are made). */
#define NSCACHE_PENDING	32

/* A settled namespace of this many links or more is kept whole, not
 * only its static neighbours: reading its links again costs the kernel
 * a walk of all its peers' ids for each one (a hub's thousands), and an
 * event of another kind needs only that kind read again. */
#define NSCACHE_WHOLE_LINKS	64

/* Links' messages heard while a namespace is read, at most: what each
 * says is brought into the state read when it is given back. Past them,
 * the state is not kept. Many: a hub is first read just after it is
 * made, while the carriers of its thousands of veths come up, and a
 * hub not kept is read whole by the next pass that needs it (16,000
 * peers' ids walked for each of its links: seconds). */
#define NSCACHE_HEARD	32768

/* A link's message, as heard. */
struct nscache_link {
	struct ks_link	 link;
	bool		 gone;
};

struct nscache_entry {
	char		 name[KS_NSNAME_MAX];	/* "" = free slot */
	bool		 watched;
	int		 nsid;			/* its id here, when watched */
	uint64_t	 nsino;			/* ... as this namespace; 0:
						   never watched */
	bool		 kept;
	bool		 taken;			/* by a pass, not given back */
	unsigned	 stale;			/* KEPT: the kinds of object
						   events named since it was
						   read (engine/observe.h) */
	uint32_t	 gen;
	uint64_t	 ino;
	uint64_t	 keys;
	uint64_t	 settled;		/* a digest; 0: not */
	/* KEPT: what was read; SETTLED: its static neighbours only */
	struct ks_ns	 have;
	/* Neither: learned neighbours heard of meanwhile; a state read
	 * then that has one of them as a static one is not kept. Room for
	 * NSCACHE_PENDING, made at the first (most never hear one). */
	struct nscache_neigh *pending;
	size_t		 n_pending;
	bool		 neigh_doubt;		/* more of them than that */
	/* Neither: links' messages heard meanwhile, in order */
	struct nscache_link *heard;
	size_t		 n_heard;
};

struct nscache {
	pthread_mutex_t		 lock;
	struct nscache_entry	**v;		/* NULL: a free slot */
	size_t			 cap;		/* a power of two */
	size_t			 n;		/* slots in use */
	size_t			 n_kept;
	size_t			 n_settled;
	uint32_t		 epoch;
};

#define NSCACHE_MIN	64

static uint64_t
nscache_fnv(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

struct nscache *
nscache_new(void)
{
	struct nscache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->v = calloc(NSCACHE_MIN, sizeof(*c->v))) == NULL) {
		free(c);
		return NULL;
	}
	c->cap = NSCACHE_MIN;
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void
nscache_clear(struct nscache *c, struct nscache_entry *e)
{
	if (e->settled) {
		ks_ns_clear(&e->have);
		e->settled = 0;
		c->n_settled--;
	}
	if (!e->kept)
		return;
	ks_ns_clear(&e->have);
	e->kept = false;
	e->stale = 0;
	c->n_kept--;
}

/* Forget the links' messages E heard while it was being read. */
static void
nscache_unhear(struct nscache_entry *e)
{
	free(e->heard);
	e->heard = NULL;
	e->n_heard = 0;
}

/* Forget the learned neighbours E heard of while it was being read. */
static void
nscache_unpend(struct nscache_entry *e)
{
	free(e->pending);
	e->pending = NULL;
	e->n_pending = 0;
	e->neigh_doubt = false;
}

/* Forget E's state, and move its generation on: a read in flight is
 * older than this. */
static void
nscache_drop(struct nscache *c, struct nscache_entry *e)
{
	e->gen++;
	nscache_unpend(e);
	e->taken = false;
	nscache_unhear(e);
	nscache_clear(c, e);
}

void
nscache_free(struct nscache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		if (c->v[i] == NULL)
			continue;
		nscache_unhear(c->v[i]);
		nscache_clear(c, c->v[i]);
		nscache_unpend(c->v[i]);
		free(c->v[i]);
	}
	pthread_mutex_destroy(&c->lock);
	free(c->v);
	free(c);
}

/* NAME's slot, or the free slot where it would go. */
static struct nscache_entry **
nscache_slot(struct nscache_entry **v, size_t cap, const char *name)
{
	size_t	 i = nscache_fnv(name) & (cap - 1);

	while (v[i] != NULL && strcmp(v[i]->name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static struct nscache_entry *
nscache_find(const struct nscache *c, const char *name)
{
	return *nscache_slot(c->v, c->cap, name);
}

/* NAME's slot, made if need be; NULL when out of memory (then nothing
 * is kept for it, which is always safe). */
static struct nscache_entry *
nscache_get(struct nscache *c, const char *name)
{
	struct nscache_entry	*e, **v;

	if (name[0] == '\0' || strlen(name) >= KS_NSNAME_MAX)
		return NULL;
	if ((e = nscache_find(c, name)) != NULL)
		return e;
	if (2 * (c->n + 1) > c->cap) {
		if ((v = calloc(2 * c->cap, sizeof(*v))) == NULL)
			return NULL;
		for (size_t i = 0; i < c->cap; i++)
			if (c->v[i] != NULL)
				*nscache_slot(v, 2 * c->cap, c->v[i]->name) =
				    c->v[i];
		free(c->v);
		c->v = v;
		c->cap *= 2;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	snprintf(e->name, sizeof(e->name), "%s", name);
	*nscache_slot(c->v, c->cap, name) = e;
	c->n++;
	return e;
}

static uint64_t
nscache_ticket_of(const struct nscache *c, const struct nscache_entry *e)
{
	return (uint64_t)c->epoch << 32 | (e ? e->gen : 0);
}

void
nscache_watch(struct nscache *c, const char *ns, int nsid, uint64_t ino)
{
	struct nscache_entry	*e;
	bool			 watched = nsid >= 0;

	pthread_mutex_lock(&c->lock);
	if ((e = watched ? nscache_get(c, ns) : nscache_find(c, ns)) != NULL) {
		e->watched = watched;
		/* Its id stays its own while it lives (destroy unwatches
		 * a lab first, then reaches its namespaces by id). */
		if (watched) {
			e->nsid = nsid;
			e->nsino = ino;
		}
		nscache_drop(c, e);
	}
	pthread_mutex_unlock(&c->lock);
}

uint64_t
nscache_ticket(struct nscache *c, const char *ns)
{
	struct nscache_entry	*e;
	uint64_t		 t;

	pthread_mutex_lock(&c->lock);
	/* A read starts: what events named before is in what it reads. */
	if ((e = nscache_find(c, ns)) != NULL && !e->kept) {
		e->stale = 0;
		nscache_unhear(e);
	}
	t = nscache_ticket_of(c, e);
	pthread_mutex_unlock(&c->lock);
	return t;
}

/* Does the state HAVE hold the neighbour? */
static bool
nscache_has_neigh(const struct ks_ns *have, int family, const uint8_t *ip,
    int ifindex)
{
	size_t	 alen = family == AF_INET6 ? 16 : 4;

	for (size_t k = 0; k < have->n_neighs; k++) {
		const struct ks_neigh	*n = &have->neighs[k];

		if (n->family == family && n->ifindex == ifindex &&
		    memcmp(n->ip, ip, alen) == 0)
			return true;
	}
	return false;
}

/* Was HAVE, read while E heard of learned neighbours, read before one
 * of its static ones turned learned? Then it may be out of date. */
static bool
nscache_pending_in(const struct nscache_entry *e, const struct ks_ns *have)
{
	for (size_t k = 0; k < e->n_pending; k++)
		if (nscache_has_neigh(have, e->pending[k].family,
		    e->pending[k].ip, e->pending[k].ifindex))
			return true;
	return false;
}


void
nscache_put(struct nscache *c, const char *ns, uint64_t ino, uint64_t keys,
    uint64_t ticket, struct ks_ns *have, uint64_t settled, unsigned stale)
{
	struct nscache_entry	*e;
	bool			 again;

	pthread_mutex_lock(&c->lock);
	if ((e = nscache_find(c, ns)) != NULL)
		e->taken = false;
	if (e == NULL || !e->watched ||
	    nscache_ticket_of(c, e) != ticket)
		;
	else {
		/* A static neighbour read may have turned learned since:
		 * the neighbours are to be read again. What events named
		 * while it was read is to be read again too, and a state
		 * with anything to read again is not settled. */
		stale |= e->stale;
		if (e->neigh_doubt || nscache_pending_in(e, have))
			stale |= OBSERVE_NEIGHS;
		/* What links' messages said since it was read: in order,
		 * each a link's whole state at that moment. */
		for (size_t k = 0; k < e->n_heard; k++)
			if (ks_ns_link_news(have, &e->heard[k].link,
			    e->heard[k].gone) < 0) {
				nscache_drop(c, e);
				goto out;
			}
		nscache_unhear(e);
		if (stale != 0)
			settled = 0;
		again = settled != 0 && e->settled == settled;
		nscache_clear(c, e);
		nscache_unpend(e);
		e->have = *have;
		memset(have, 0, sizeof(*have));
		snprintf(have->name, sizeof(have->name), "%s", e->have.name);
		e->ino = ino;
		e->keys = keys;
		/* Settled: nothing to recall, a pass leaves it out; but one
		 * read while it was settled already (the far end of a link
		 * of a namespace that is not) will be read again: kept. */
		if (settled && !again &&
		    e->have.n_links < NSCACHE_WHOLE_LINKS)
			ks_ns_only_neighs(&e->have);
		else {
			e->kept = true;
			c->n_kept++;
		}
		if (settled) {
			e->settled = settled;
			c->n_settled++;
		}
		e->stale = stale;
	}
out:
	pthread_mutex_unlock(&c->lock);
}

bool
nscache_settled(struct nscache *c, const char *ns, uint64_t digest)
{
	struct nscache_entry	*e;
	bool			 ok;

	pthread_mutex_lock(&c->lock);
	ok = digest != 0 && (e = nscache_find(c, ns)) != NULL &&
	    e->watched && e->settled == digest;
	pthread_mutex_unlock(&c->lock);
	return ok;
}

bool
nscache_take(struct nscache *c, const char *ns, uint64_t ino, uint64_t keys,
    struct ks_ns *have, uint64_t *ticket, unsigned *stale)
{
	struct nscache_entry	*e;
	bool			 ok = false;

	pthread_mutex_lock(&c->lock);
	if ((e = nscache_find(c, ns)) != NULL && e->kept) {
		ok = e->watched && e->ino == ino && e->keys == keys;
		if (ok) {
			ks_ns_clear(have);
			*have = e->have;
			memset(&e->have, 0, sizeof(e->have));
			e->kept = false;
			c->n_kept--;
			e->taken = true;
			*ticket = nscache_ticket_of(c, e);
			*stale = e->stale;
			e->stale = 0;
		} else
			nscache_drop(c, e);
	}
	pthread_mutex_unlock(&c->lock);
	return ok;
}

/*
 * Events named KINDS of object in E (0: the caller brought a kept state
 * up to date). A kept state holds the rest as it is, and so does one a
 * pass is reading (the pass's own writes echo back while it runs): it is
 * kept when given back, with KINDS to read again. Neither is settled any
 * more; a settled state kept for its neighbours only is forgotten.
 */
static void
nscache_stale(struct nscache *c, struct nscache_entry *e, unsigned kinds)
{
	if (e->settled && !e->kept && !e->taken) {
		nscache_drop(c, e);
		return;
	}
	e->stale |= kinds;
	if (e->settled) {
		e->settled = 0;
		c->n_settled--;
	}
}

void
nscache_forget(struct nscache *c, const char *ns, unsigned kinds)
{
	struct nscache_entry	*e;

	pthread_mutex_lock(&c->lock);
	if ((e = nscache_find(c, ns)) == NULL)
		;
	else if (kinds == 0)
		nscache_drop(c, e);
	else
		nscache_stale(c, e, kinds);
	pthread_mutex_unlock(&c->lock);
}

/* Note K's message (GONE: the link is no more) for the state E's read
 * in flight will give back. False: there is no more room. */
static bool
nscache_hear(struct nscache_entry *e, const struct ks_link *k, bool gone)
{
	struct nscache_link	*v;
	size_t			 n = e->n_heard;

	if (n == NSCACHE_HEARD)
		return false;
	/* room for 8, then doubled: thousands may come */
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		if ((v = reallocarray(e->heard, n ? 2 * n : 8,
		    sizeof(*v))) == NULL)
			return false;
		e->heard = v;
	}
	v = e->heard;
	v[e->n_heard].link = *k;
	v[e->n_heard].gone = gone;
	e->n_heard++;
	return true;
}

void
nscache_link(struct nscache *c, const char *ns, const struct ks_link *k,
    bool gone, unsigned kinds)
{
	struct nscache_entry	*e;

	pthread_mutex_lock(&c->lock);
	if ((e = nscache_find(c, ns)) == NULL)
		;
	else if (e->kept) {
		if (ks_ns_link_news(&e->have, k, gone) < 0)
			nscache_drop(c, e);
		else
			nscache_stale(c, e, kinds);
	} else if ((e->settled && !e->taken) || !nscache_hear(e, k, gone))
		nscache_drop(c, e);
	else
		nscache_stale(c, e, kinds);
	pthread_mutex_unlock(&c->lock);
}

void
nscache_forget_all(struct nscache *c)
{
	pthread_mutex_lock(&c->lock);
	c->epoch++;
	for (size_t i = 0; c->n_kept + c->n_settled > 0 && i < c->cap; i++)
		if (c->v[i] != NULL)
			nscache_clear(c, c->v[i]);
	pthread_mutex_unlock(&c->lock);
}

void
nscache_neigh(struct nscache *c, const char *ns, int family,
    const uint8_t *ip, int ifindex, bool kept)
{
	struct nscache_entry	*e;

	pthread_mutex_lock(&c->lock);
	/* Kept or settled, its static neighbours are known. Neither: a
	 * pass may be reading it; the neighbour is noted, and what it read
	 * is checked against it when it is given back. Forgetting is
	 * always safe. */
	if ((e = nscache_find(c, ns)) == NULL)
		;
	else if (kept || nscache_has_neigh(&e->have, family, ip, ifindex))
		nscache_stale(c, e, OBSERVE_NEIGHS);
	else if (!e->kept && (!e->settled || e->taken)) {
		if (e->pending == NULL && (e->pending = calloc(NSCACHE_PENDING,
		    sizeof(*e->pending))) == NULL)
			e->neigh_doubt = true;	/* the same: read again */
		else if (e->n_pending == NSCACHE_PENDING)
			e->neigh_doubt = true;
		else {
			struct nscache_neigh	*pn = &e->pending[e->n_pending++];

			pn->family = family;
			pn->ifindex = ifindex;
			memcpy(pn->ip, ip, family == AF_INET6 ? 16 : 4);
		}
	}
	pthread_mutex_unlock(&c->lock);
}

size_t
nscache_count(struct nscache *c)
{
	size_t	 n;

	pthread_mutex_lock(&c->lock);
	n = c->n_kept;
	pthread_mutex_unlock(&c->lock);
	return n;
}

/* engine/memory.h */

static uint64_t
nscache_mem_ticket(void *arg, const char *ns)
{
	return nscache_ticket(arg, ns);
}

static bool
nscache_mem_recall(void *arg, const char *ns, uint64_t ino, uint64_t keys,
    struct ks_ns *have, uint64_t *ticket, unsigned *stale)
{
	return nscache_take(arg, ns, ino, keys, have, ticket, stale);
}

static void
nscache_mem_remember(void *arg, const char *ns, uint64_t ino, uint64_t keys,
    uint64_t ticket, struct ks_ns *have, uint64_t settled, unsigned stale)
{
	nscache_put(arg, ns, ino, keys, ticket, have, settled, stale);
}

static bool
nscache_mem_settled(void *arg, const char *ns, uint64_t digest)
{
	return nscache_settled(arg, ns, digest);
}

static int
nscache_mem_nsid(void *arg, const char *ns, uint64_t ino)
{
	struct nscache		*c = arg;
	struct nscache_entry	*e;
	int			 nsid = -1;

	pthread_mutex_lock(&c->lock);
	if ((e = nscache_find(c, ns)) != NULL && e->nsino != 0 &&
	    e->nsino == ino)
		nsid = e->nsid;
	pthread_mutex_unlock(&c->lock);
	return nsid;
}

struct pass_memory
nscache_memory(struct nscache *c)
{
	struct pass_memory	 m = {
		.arg = c,
		.ticket = nscache_mem_ticket,
		.recall = nscache_mem_recall,
		.remember = nscache_mem_remember,
		.settled = nscache_mem_settled,
		.nsid = nscache_mem_nsid,
	};

	return m;
}
