/*
 * topo_source: the text each namespace's kernel state is made from.
 *
 * What a namespace is made of (engine_compile) is read from its own
 * router's entry under `routers:`, the entries under `links:` of the
 * links that end in it, and what holds for every namespace: every other
 * top-level key (lab, defaults, switches, expect) and the key lines of
 * routers and links. The entries of the routers at its links' far ends
 * are taken in too, though nothing of them is compiled here today: a
 * rule that comes to read a far end's interface must not find a stale
 * source (test_source checks every one-line edit of the examples). A
 * namespace's source is one digest of those parts' texts, as the
 * topology's tree keeps them (ytree_part_*): where two topologies give a
 * namespace the same source, they give it the same kernel state, and the
 * checker's rules about it alone say the same of it. vrfd compiles and
 * checks again only the namespaces whose source changed: one link added
 * to a grid of 484 routers is six namespaces, not 484.
 *
 * Where a namespace may take something of a text other than these, no
 * namespace has a source: pools (`addressing:`) fill in addresses link
 * after link, and hosts number VNIs; a text whose routers or links are
 * not cut entry by entry (flow style, a tree made without a cut) gives
 * none either.
 */
#include <stdlib.h>
#include <string.h>

#include "topo.h"
#include "ytree.h"

#define SOURCE_SEED	0x736f75726365ULL	/* "source" */

static uint64_t
source_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

/* Is N ANCESTOR, or below it? */
static bool
source_within(const struct ynode *n, const struct ynode *ancestor)
{
	for (; n != NULL; n = n->parent)
		if (n == ancestor)
			return true;
	return false;
}

/* What every namespace's source has: all top-level keys but routers and
 * links, whole, and those two's key lines; where they are in *RI, *LI.
 * False: no source can be told. */
static bool
source_common(const struct ynode *root, uint64_t *base, size_t *ri,
    size_t *li)
{
	uint64_t	 whole, head;

	*base = SOURCE_SEED;
	*ri = *li = SIZE_MAX;
	if (root == NULL || root->type != YNODE_MAP)
		return false;
	for (size_t i = 0; i < root->n; i++) {
		const struct ynode	*k = ynode_keys(root)[i];

		if (!ytree_part_section(root, i, &whole, &head) ||
		    ynode_key_is(k, "addressing") || ynode_key_is(k, "hosts"))
			return false;
		if (ynode_key_is(k, "routers"))
			*ri = i;
		else if (ynode_key_is(k, "links"))
			*li = i;
		*base = source_mix(*base, i == *ri || i == *li ? head : whole);
	}
	return *ri != SIZE_MAX && root->items[*ri]->type == YNODE_MAP;
}

/* OWN[i]: the digest of the router entry namespace I is declared in (0
 * for a switch: its entry is in what all have). Namespaces are made in
 * their routers' order, so one walk finds them all. */
static bool
source_own(const struct topo *t, size_t ri, uint64_t *own)
{
	const struct ynode	*routers = t->root->items[ri];
	size_t			 e = 0;

	for (size_t i = 0; i < t->n_ns; i++) {
		const struct topo_ns	*ns = &t->ns[i];

		own[i] = 0;
		if (ns->kind == TOPO_NS_SWITCH)
			continue;
		if (ns->node == NULL)
			return false;
		while (e < routers->n &&
		    !source_within(ns->node, routers->items[e]))
			e++;
		if (e == routers->n ||
		    !ytree_part_entry(t->root, ri, e, &own[i]))
			return false;
	}
	return true;
}

/* SRC[i]: OWN[i], then each link that ends in namespace I, its end, and
 * its far end's router entry. */
static bool
source_links(const struct topo *t, size_t li, const uint64_t *own,
    uint64_t base, uint64_t *src)
{
	const struct ynode	*links = li == SIZE_MAX ? NULL :
				    t->root->items[li];

	for (size_t i = 0; i < t->n_ns; i++) {
		const struct topo_ns	*ns = &t->ns[i];
		uint64_t		 h = source_mix(base, own[i]), d;

		for (size_t k = 0; k < ns->n_link_ends; k++) {
			size_t			 end = ns->link_ends[k];
			const struct topo_link	*tl = &t->links[end / 2];
			const struct topo_ns	*far = tl->ep[!(end % 2)].ns;

			if (links == NULL || tl->node == NULL ||
			    tl->node->parent != links ||
			    links->type != YNODE_SEQ ||
			    !ytree_part_entry(t->root, li, tl->at,
			    &d))
				return false;
			h = source_mix(h, d);
			h = source_mix(h, end % 2);
			h = source_mix(h, far ? own[far - t->ns] : 0);
		}
		/* 0 is none. */
		src[i] = h ? h : 1;
	}
	return true;
}

int
topo_ns_sources(const struct topo *t, uint64_t *src)
{
	uint64_t	 base, *own;
	size_t		 ri, li;
	bool		 ok;

	memset(src, 0, t->n_ns * sizeof(*src));
	if (t->n_hosts > 0 || !source_common(t->root, &base, &ri, &li))
		return -1;
	if ((own = calloc(t->n_ns + 1, sizeof(*own))) == NULL)
		return -1;
	ok = source_own(t, ri, own) && source_links(t, li, own, base, src);
	free(own);
	if (!ok)
		memset(src, 0, t->n_ns * sizeof(*src));
	return ok ? 0 : -1;
}
