/*
 * ytree: a YAML document as a tree of nodes that remember where they were.
 *
 * libyaml's event stream is turned into maps, sequences and scalars, each
 * with its line and column and its place in the tree, so that the schema
 * reader and the checker can point at the exact value they complain about.
 * Scalars stay strings: the schema, not YAML 1.1 type guessing, decides
 * what they mean. A tree lives in one arena, freed at once by ytree_free.
 */
#ifndef VRFD_YTREE_H
#define VRFD_YTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct diag_list;

enum ynode_type {
	YNODE_SCALAR,
	YNODE_MAP,
	YNODE_SEQ,
};

/*
 * 32 bytes: a big topology has some 150,000 of them and vrfd keeps its
 * last tree to parse the next text by its changes, so what a node cannot
 * have twice shares its place (by TYPE), a map's keys are in the block of
 * its values (ynode_keys), and a node keeps only its parent: its key or
 * index is where its parent holds it (ynode_path looks).
 */
struct ynode {
	union {
		char	*scalar;	/* YNODE_SCALAR: the text, never NULL */
		struct ynode **items;	/* MAP: values, then room for as many
					   and the key scalars (with their
					   positions); SEQ: items */
	};
	/* Its place, from which ynode_path() makes the YAML path: most
	 * paths are never shown, so none is kept. A map's key and its value
	 * both have the map as parent. */
	const struct ynode *parent;	/* NULL: the root */
	unsigned	 line, col;	/* 1-based, where the node starts */
	uint32_t	 n;		/* MAP: pairs; SEQ: items */
	uint8_t		 type;		/* enum ynode_type */
	bool		 quoted;	/* YNODE_SCALAR: written '...' or "..." */
};

/* The room a map of N pairs has for its values, its keys after it: N up
 * to the next power of two, as a map being read grows. */
static inline size_t
ynode_room(uint32_t n)
{
	return n <= 1 ? n : (size_t)1 << (32 - __builtin_clz(n - 1));
}

/* A map's key nodes. */
static inline struct ynode **
ynode_keys(const struct ynode *map)
{
	return map->items + ynode_room(map->n);
}

/*
 * Parse one YAML document. On a syntax error, add a diagnostic with
 * libyaml's line and column and return NULL. Duplicate map keys are
 * reported as errors; the first occurrence is kept.
 */
struct ynode	*ytree_parse(const char *file, const char *buf, size_t len,
		    struct diag_list *);
struct ynode	*ytree_load_file(const char *file, struct diag_list *);
/*
 * Keep in ROOT's tree (before it is shared) where BUF, its text, is cut
 * into parts, so that ytree_reparse can take a later text from it without
 * BUF. 0; -EAGAIN where the text is not cut (see ytree_reparse; or ROOT
 * made with a diagnostic); -ENOMEM.
 */
int		 ytree_cut(struct ynode *root, const char *buf, size_t len);
/*
 * The tree ytree_parse would give for BUF, made from OLD (a tree that
 * keeps its text's cut: ytree_cut, or made here): only the top-level keys
 * and the entries of their maps and lists whose text changed are parsed
 * (yreparse.c), and the new tree keeps the cut of BUF. NULL, errno EAGAIN,
 * where it cannot tell what changed that way (anchors, flow style at the
 * top, tabs; OLD not cut) or where a change makes an error: ytree_parse
 * then, which says which.
 */
struct ynode	*ytree_reparse(const char *file, const char *buf, size_t len,
		    const struct ynode *old, unsigned flags);
/*
 * ytree_reparse's flag: the entries of OLD's maps whose text moved are
 * lent too (the nodes themselves, not copies), at the lines they had.
 * The new tree is then not exact (ytree_exact): its positions serve to
 * take the next text from it, not to say where a thing is; a diagnostic
 * about it is to be had of the text parsed whole. vrfd's, whose trees
 * only it reads.
 */
#define YTREE_LEND_MOVED	0x1u
/* Is every node of ROOT's tree where its line and column say? */
bool		 ytree_exact(const struct ynode *root);
/*
 * Digests of the parts of the text ROOT's tree was cut from (ytree_cut,
 * ytree_reparse): of its Ith top-level key with all below it (*WHOLE) and
 * of that key's line alone (*HEAD); of entry E of that key's block map or
 * list. Two texts' parts with the same digest are the same text, wherever
 * they are. False: the tree keeps no cut, or no such part.
 */
bool		 ytree_part_section(const struct ynode *root, size_t i,
		    uint64_t *whole, uint64_t *head);
bool		 ytree_part_entry(const struct ynode *root, size_t i,
		    size_t e, uint64_t *digest);
/*
 * ROOT's tree in binary (ysnap.c): into *BUF (malloc'd), *SIZE bytes, for
 * ytree_thaw to give it back without TEXT (LEN bytes), the text it was
 * made from, parsed again. 0; -EAGAIN: not TEXT's tree, or made with a
 * diagnostic; -ENOMEM.
 */
int		 ytree_freeze(const struct ynode *root, const char *text,
		    size_t len, char **buf, size_t *size);
/*
 * The tree ytree_parse gave for TEXT, from what ytree_freeze made of it:
 * NULL and errno ESTALE if it is another text's, EINVAL if BUF is not
 * such a thing, ENOMEM.
 */
struct ynode	*ytree_thaw(const char *buf, size_t size, const char *text,
		    size_t len);
/* ROOT's positions are no longer its text's (a converted file's, placed
 * in the file it came from): it is not that text's tree to cut or freeze. */
void		 ytree_unbind(struct ynode *root);
/* Was ROOT's tree thawed (so frozen already)? */
bool		 ytree_thawed(const struct ynode *root);
/* The root ytree_parse returned: the whole tree goes, at the last of
 * these calls if ytree_hold made more. */
void		 ytree_free(struct ynode *);
/* ROOT's tree once more, for another thread to read (trees are not
 * changed once made). */
struct ynode	*ytree_hold(struct ynode *);

/* Is key node K's text KEY? Its first byte is compared inline: keys are
 * looked up by the hundred thousand in a large topology, and most differ
 * there. */
static inline bool
ynode_key_is(const struct ynode *k, const char *key)
{
	return k->scalar[0] == key[0] && strcmp(k->scalar, key) == 0;
}
/* The value of KEY in a map node, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/* The key node of KEY in a map node (for "unknown key" positions), or NULL. */
const struct ynode *ynode_key(const struct ynode *map, const char *key);
bool		 ynode_is_null(const struct ynode *);	/* ~, null, empty */
/* Are A and B the same tree: types, texts, quotes, lines and columns,
 * and each node's place (its parent the one beside it, or for a map's
 * entry lent by another tree, a parent of the same path)? */
bool		 ynode_same(const struct ynode *a, const struct ynode *b);
/* "routers.pe1.routes[2]"; "" for the root. Caller frees; NULL: ENOMEM.
 * Each step looks for the node among its parent's: for diagnostics. */
char		*ynode_path(const struct ynode *);
/* N's index in its parent, a list or map (a key: its pair's); looked for
 * there, so for diagnostics too. */
size_t		 ynode_index(const struct ynode *n);
/* The same for a node not in its parent yet: the one PARENT (NULL: the
 * root) would hold next, as a list's item, or under KEY in a map. */
char		*ynode_path_next(const struct ynode *parent, const char *key);

#endif
