/*
 * ysnap: a tree kept in binary, to be had again without parsing its text.
 *
 * vrfctl without vrfd loads the whole topology for each command, and
 * libyaml takes 30-45 ms over a megabyte, most of what a no-op apply of a
 * big lab costs beside reading the kernel. The tree of the text last
 * applied is kept beside that text (engine/lab_tree.c) in this form: the
 * nodes in preorder (a map's key, then its value), each with its type,
 * position and number of children, then its scalars. It is the tree of
 * one text, named by the text's length and hash as vrfctl's digest names
 * a text (state.h): thawed for that text, or for the kept text it was
 * made from, from which a new text is then parsed by its changes.
 *
 * What is thawed is read as untrusted: every count, offset and length is
 * checked, and a snapshot that is not exactly right is no tree (the text
 * is parsed then).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "yarena.h"
#include "ytree.h"
#include "ytree_priv.h"

#define YSNAP_MAGIC	"vrfdytr1"
#define YSNAP_VERSION	1
/* Nested maps and lists, and what aliases copy into them (ytree.c
 * refuses deeper). */
#define YSNAP_MAX_DEPTH	256

struct ysnap_head {
	char		 magic[8];
	uint32_t	 version;
	uint32_t	 node_size;	/* sizeof(struct ysnap_node) */
	uint64_t	 text_len;
	uint64_t	 text_hash;	/* ytree_text_hash */
	uint64_t	 n_nodes;
	uint64_t	 str_len;	/* the scalars, each with its NUL */
};

struct ysnap_node {
	uint32_t	 line, col;
	uint32_t	 n;		/* MAP: pairs; SEQ: items */
	uint32_t	 str;		/* SCALAR: offset of its text */
	uint8_t		 type;
	uint8_t		 quoted;
	uint8_t		 pad[2];
};

struct ysnap_out {
	struct ysnap_node *nodes;
	char		*str;
	size_t		 n_nodes, str_len;
};

/* The room N and what is under it take. */
static bool
ysnap_count(const struct ynode *n, size_t *nodes, size_t *str)
{
	(*nodes)++;
	if (n->type == YNODE_SCALAR) {
		*str += strlen(n->scalar) + 1;
		return true;
	}
	for (size_t i = 0; i < n->n; i++) {
		/* ytree.c makes every key a scalar: kept as such. */
		if (n->type == YNODE_MAP &&
		    (ynode_keys(n)[i]->type != YNODE_SCALAR ||
		    !ysnap_count(ynode_keys(n)[i], nodes, str)))
			return false;
		if (!ysnap_count(n->items[i], nodes, str))
			return false;
	}
	return *nodes <= YTREE_MAX_NODES && *str <= UINT32_MAX;
}

static void
ysnap_put(struct ysnap_out *o, const struct ynode *n)
{
	struct ysnap_node	*s = &o->nodes[o->n_nodes++];
	size_t			 len;

	memset(s, 0, sizeof(*s));
	s->line = n->line;
	s->col = n->col;
	s->type = n->type;
	s->quoted = n->quoted;
	if (n->type == YNODE_SCALAR) {
		len = strlen(n->scalar) + 1;
		s->str = (uint32_t)o->str_len;
		memcpy(o->str + o->str_len, n->scalar, len);
		o->str_len += len;
		return;
	}
	s->n = n->n;
	for (size_t i = 0; i < n->n; i++) {
		if (n->type == YNODE_MAP)
			ysnap_put(o, ynode_keys(n)[i]);
		ysnap_put(o, n->items[i]);
	}
}

int
ytree_freeze(const struct ynode *root, const char *text, size_t len,
    char **buf, size_t *size)
{
	const struct ytree_doc	*doc = ytree_doc_of(root);
	struct ysnap_head	 h;
	struct ysnap_out	 o = { 0 };
	size_t			 n_nodes = 0, str_len = 0;
	char			*b;

	*buf = NULL;
	*size = 0;
	/* Only a tree that is exactly its text's (made without a
	 * diagnostic: none dropped; every node at its line) stands for
	 * it. */
	if (!doc->clean || doc->shifted ||
	    doc->text != ytree_text_hash(text, len) ||
	    !ysnap_count(root, &n_nodes, &str_len))
		return -EAGAIN;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, YSNAP_MAGIC, sizeof(h.magic));
	h.version = YSNAP_VERSION;
	h.node_size = sizeof(struct ysnap_node);
	h.text_len = len;
	h.text_hash = doc->text;
	h.n_nodes = n_nodes;
	h.str_len = str_len;
	*size = sizeof(h) + n_nodes * sizeof(struct ysnap_node) + str_len;
	if ((b = malloc(*size)) == NULL)
		return -ENOMEM;
	memcpy(b, &h, sizeof(h));
	o.nodes = (struct ysnap_node *)(void *)(b + sizeof(h));
	o.str = b + sizeof(h) + n_nodes * sizeof(struct ysnap_node);
	ysnap_put(&o, root);
	*buf = b;
	return 0;
}

bool
ytree_thawed(const struct ynode *root)
{
	return ytree_doc_of(root)->thawed;
}

/* ---- thawing --------------------------------------------------------- */

struct ysnap_in {
	struct ytree_doc	*doc;
	const struct ysnap_node	*nodes;		/* unaligned: copied out */
	size_t			 n_nodes, next;
	const char		*str;		/* the doc's copy */
	size_t			 str_len;
	struct ynode		*pool;		/* a node for each */
	bool			 bad;
};

static void *
ysnap_alloc(struct ysnap_in *in, size_t size, size_t align)
{
	void	*p;

	if ((p = yarena_alloc(&in->doc->mem, size, align)) == NULL)
		in->bad = true;
	return p;
}

/* The next node of the snapshot, as node N (placed by the caller). */
static bool
ysnap_get(struct ysnap_in *in, struct ynode *n, size_t depth)
{
	struct ysnap_node	 s;
	struct ynode		*k, *v;
	size_t			 need;

	if (in->next >= in->n_nodes || depth > YSNAP_MAX_DEPTH)
		return false;
	memcpy(&s, &in->nodes[in->next++], sizeof(s));
	if (s.type > YNODE_SEQ || s.quoted > 1 || s.line == 0 || s.col == 0)
		return false;
	/* Every field written here (the pool is not cleared first: a
	 * megabyte for the grid of 484); the caller places it. */
	n->type = s.type;
	n->quoted = s.quoted;
	n->line = s.line;
	n->col = s.col;
	n->parent = NULL;
	n->n = 0;
	n->items = NULL;
	if (s.type == YNODE_SCALAR) {
		if (s.n != 0 || s.str >= in->str_len)
			return false;
		n->scalar = (char *)(uintptr_t)(in->str + s.str);
		return true;
	}
	/* Each child is a node still to come: no count the rest cannot
	 * hold (so no array larger than the snapshot either). */
	need = s.type == YNODE_MAP ? 2 * (size_t)s.n : s.n;
	if (need > in->n_nodes - in->next)
		return false;
	n->n = s.n;
	if (s.n == 0)
		return true;
	/* A map's keys after room for its values (ynode_keys). */
	if ((n->items = ysnap_alloc(in, (s.type == YNODE_MAP ?
	    ynode_room(s.n) + s.n : s.n) * sizeof(*n->items),
	    _Alignof(struct ynode *))) == NULL)
		return false;
	for (uint32_t i = 0; i < s.n; i++) {
		k = NULL;
		if (s.type == YNODE_MAP) {
			k = &in->pool[in->next];
			if (!ysnap_get(in, k, depth + 1) ||
			    k->type != YNODE_SCALAR)
				return false;
			ynode_place(k, n);
			ynode_keys(n)[i] = k;
		}
		v = &in->pool[in->next];
		if (!ysnap_get(in, v, depth + 1))
			return false;
		ynode_place(v, n);
		n->items[i] = v;
	}
	return true;
}

struct ynode *
ytree_thaw(const char *buf, size_t size, const char *text, size_t len)
{
	struct ysnap_head	 h;
	struct ysnap_in		 in;
	struct ynode		 root;
	size_t			 nodes_size;
	char			*str;

	memset(&in, 0, sizeof(in));
	if (size < sizeof(h))
		goto bad;
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, YSNAP_MAGIC, sizeof(h.magic)) != 0 ||
	    h.version != YSNAP_VERSION ||
	    h.node_size != sizeof(struct ysnap_node) ||
	    h.n_nodes == 0 || h.n_nodes > YTREE_MAX_NODES ||
	    h.str_len == 0 || h.str_len > UINT32_MAX)
		goto bad;
	nodes_size = h.n_nodes * sizeof(struct ysnap_node);
	if (size != sizeof(h) + nodes_size + h.str_len ||
	    buf[size - 1] != '\0')
		goto bad;
	/* Another text's: not an error, the common case of a change. */
	if (h.text_len != len || h.text_hash != ytree_text_hash(text, len)) {
		errno = ESTALE;
		return NULL;
	}
	if ((in.doc = calloc(1, sizeof(*in.doc))) == NULL)
		return NULL;
	in.doc->refs = 1;
	in.doc->clean = true;
	in.doc->thawed = true;
	in.doc->text = h.text_hash;
	in.doc->n_nodes = h.n_nodes;
	in.nodes = (const struct ysnap_node *)(const void *)(buf + sizeof(h));
	in.n_nodes = h.n_nodes;
	in.str_len = h.str_len;
	/* The scalars in one piece, the nodes in another: the arena's. */
	if ((str = ysnap_alloc(&in, h.str_len, 1)) == NULL ||
	    (in.pool = ysnap_alloc(&in, h.n_nodes * sizeof(struct ynode),
	    _Alignof(struct ynode))) == NULL) {
		ytree_doc_free(in.doc);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(str, buf + sizeof(h) + nodes_size, h.str_len);
	in.str = str;
	memset(&root, 0, sizeof(root));
	if (!ysnap_get(&in, &root, 0) || in.next != in.n_nodes) {
		ytree_doc_free(in.doc);
		if (in.bad) {
			errno = ENOMEM;
			return NULL;
		}
		goto bad;
	}
	return ytree_doc_root(in.doc, &root);
bad:
	errno = EINVAL;
	return NULL;
}
