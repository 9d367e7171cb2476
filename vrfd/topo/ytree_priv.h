/*
 * ytree_priv: what ytree.c and yreparse.c share of a tree's making.
 */
#ifndef VRFD_YTREE_PRIV_H
#define VRFD_YTREE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "yarena.h"
#include "ytree.h"

#define YTREE_MAX_NODES	2000000		/* some 50,000 routers */

struct yr_split;

/* What ytree_parse returns the root of: the root and all the memory. */
struct ytree_doc {
	struct yarena		 mem;
	int			 refs;		/* ytree_hold, ytree_free */
	uint64_t		 text;		/* ytree_text_hash of the text */
	bool			 clean;		/* every part its text's own:
						   made without a diagnostic,
						   at its text's positions */
	bool			 thawed;	/* from ytree_freeze's */
	struct yr_split		*cut;		/* where its text is cut into
						   parts (yreparse.c); NULL */
	size_t			 n_nodes;	/* made in its own arena */
	size_t			 n_stale;	/* of them, in maps' entries
						   (what its lender could
						   have lent, had they not
						   changed since) */
	/* The tree this one was made from, when it lends this one some of
	 * its nodes (yreparse.c): held while this one is. A lender lends
	 * only its own nodes and has no lender itself. */
	struct ytree_doc	*lender;
	bool			 shifted;	/* some of its lent nodes are
						   not at their lines
						   (YTREE_LEND_MOVED) */
	struct ynode		 root;
};

/* N's place: in PARENT (NULL: the root); where in it, PARENT's arrays
 * say. */
static inline void
ynode_place(struct ynode *n, const struct ynode *parent)
{
	n->parent = parent;
}

/* The document ROOT (a root ytree_parse or ytree_reparse gave) is in. */
struct ytree_doc *ytree_doc_of(const struct ynode *root);
/* The root moves into the document, which ytree_free finds from it;
 * only its children point at it. */
struct ynode	*ytree_doc_root(struct ytree_doc *, const struct ynode *root);
void		 ytree_doc_free(struct ytree_doc *);
/* A text's cut, kept (yreparse.c); NULL is none. */
void		 yr_cut_free(struct yr_split *);
/* A hash of a text, to know a tree's text again. */
uint64_t	 ytree_text_hash(const char *buf, size_t len);

#endif
