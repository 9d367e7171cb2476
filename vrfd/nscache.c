/*
 * nscache: the daemon's memory of what its namespaces hold (see nscache.h
 * for why it stays exact). A hash table by namespace name, open
 * addressing; a name once seen keeps its slot, only its state comes and
 * goes, so there is nothing to delete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nscache.h"

struct nscache_entry {
	char		 name[KS_NSNAME_MAX];	/* "" = free slot */
	bool		 watched;
	bool		 kept;
	uint64_t	 ino;
	uint64_t	 keys;
	struct ks_ns	 have;
};

struct nscache {
	struct nscache_entry	*v;
	size_t			 cap;		/* a power of two */
	size_t			 n;		/* slots in use */
	size_t			 n_kept;
};

#define NSCACHE_MIN	64

static uint64_t
nscache_fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t	*b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

#define NSCACHE_FNV0	0xcbf29ce484222325ULL

uint64_t
nscache_keys_hash(const char *const *keys, size_t n)
{
	uint64_t	 h = NSCACHE_FNV0;

	for (size_t i = 0; i < n; i++)
		h = nscache_fnv(h, keys[i], strlen(keys[i]) + 1);
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
	return c;
}

static void
nscache_drop(struct nscache *c, struct nscache_entry *e)
{
	if (!e->kept)
		return;
	ks_ns_clear(&e->have);
	e->kept = false;
	c->n_kept--;
}

void
nscache_free(struct nscache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++)
		nscache_drop(c, &c->v[i]);
	free(c->v);
	free(c);
}

/* NAME's slot, or the free slot where it would go. */
static struct nscache_entry *
nscache_slot(struct nscache_entry *v, size_t cap, const char *name)
{
	size_t	 i = nscache_fnv(NSCACHE_FNV0, name, strlen(name)) &
		    (cap - 1);

	while (v[i].name[0] != '\0' && strcmp(v[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static struct nscache_entry *
nscache_find(const struct nscache *c, const char *name)
{
	struct nscache_entry	*e = nscache_slot(c->v, c->cap, name);

	return e->name[0] != '\0' ? e : NULL;
}

/* NAME's slot, made if need be; NULL when out of memory (then nothing
 * is kept for it, which is always safe). */
static struct nscache_entry *
nscache_get(struct nscache *c, const char *name)
{
	struct nscache_entry	*e, *v;

	if (name[0] == '\0' || strlen(name) >= KS_NSNAME_MAX)
		return NULL;
	if ((e = nscache_find(c, name)) != NULL)
		return e;
	if (2 * (c->n + 1) > c->cap) {
		if ((v = calloc(2 * c->cap, sizeof(*v))) == NULL)
			return NULL;
		for (size_t i = 0; i < c->cap; i++)
			if (c->v[i].name[0] != '\0')
				*nscache_slot(v, 2 * c->cap, c->v[i].name) =
				    c->v[i];
		free(c->v);
		c->v = v;
		c->cap *= 2;
	}
	e = nscache_slot(c->v, c->cap, name);
	snprintf(e->name, sizeof(e->name), "%s", name);
	c->n++;
	return e;
}

void
nscache_watch(struct nscache *c, const char *ns, bool watched)
{
	struct nscache_entry	*e;

	if ((e = watched ? nscache_get(c, ns) : nscache_find(c, ns)) == NULL)
		return;
	e->watched = watched;
	nscache_drop(c, e);
}

void
nscache_put(struct nscache *c, const char *ns, uint64_t ino, uint64_t keys,
    struct ks_ns *have)
{
	struct nscache_entry	*e;

	if ((e = nscache_find(c, ns)) == NULL || !e->watched)
		return;
	nscache_drop(c, e);
	e->have = *have;
	memset(have, 0, sizeof(*have));
	snprintf(have->name, sizeof(have->name), "%s", e->have.name);
	e->ino = ino;
	e->keys = keys;
	e->kept = true;
	c->n_kept++;
}

bool
nscache_take(struct nscache *c, const char *ns, uint64_t ino, uint64_t keys,
    struct ks_ns *have)
{
	struct nscache_entry	*e;
	bool			 ok;

	if ((e = nscache_find(c, ns)) == NULL || !e->kept)
		return false;
	ok = e->watched && e->ino == ino && e->keys == keys;
	if (ok) {
		ks_ns_clear(have);
		*have = e->have;
		memset(&e->have, 0, sizeof(e->have));
		e->kept = false;
		c->n_kept--;
	} else
		nscache_drop(c, e);
	return ok;
}

void
nscache_forget(struct nscache *c, const char *ns)
{
	struct nscache_entry	*e;

	if ((e = nscache_find(c, ns)) != NULL)
		nscache_drop(c, e);
}

void
nscache_forget_all(struct nscache *c)
{
	for (size_t i = 0; c->n_kept > 0 && i < c->cap; i++)
		nscache_drop(c, &c->v[i]);
}

void
nscache_neigh(struct nscache *c, const char *ns, int family,
    const uint8_t *ip, int ifindex, bool kept)
{
	struct nscache_entry	*e;
	size_t			 alen = family == AF_INET6 ? 16 : 4;

	if ((e = nscache_find(c, ns)) == NULL || !e->kept)
		return;
	if (kept) {
		nscache_drop(c, e);
		return;
	}
	for (size_t k = 0; k < e->have.n_neighs; k++) {
		const struct ks_neigh	*n = &e->have.neighs[k];

		if (n->family == family && n->ifindex == ifindex &&
		    memcmp(n->ip, ip, alen) == 0) {
			nscache_drop(c, e);
			return;
		}
	}
}

size_t
nscache_count(const struct nscache *c)
{
	return c->n_kept;
}
