/*
 * lab_tree: a lab's topology loaded by way of the tree of its kept text.
 *
 * vrfctl without vrfd reads the file of each command whole, and libyaml
 * takes 30-45 ms over a megabyte. Of a lab applied before, the text is
 * most often the kept one (a no-op) or a few lines away from it, so the
 * tree of the kept text is kept beside it (state.h: STATE_TREE; ytree.h:
 * ytree_freeze): a text that is the kept one is its tree again, one that
 * differs is parsed by the parts that changed (ytree_reparse), and any
 * other is parsed whole. vrfd keeps its labs' trees in memory and leaves
 * this one alone: a text it keeps makes the tree another text's, which
 * the next vrfctl finds (a tree is of one text, by length and hash).
 */
#ifndef VRFD_LAB_TREE_H
#define VRFD_LAB_TREE_H
#include <stdbool.h>
#include <stddef.h>

struct diag_list;
struct topo;

/* The largest topology text (ytree.c's limit too). */
#define LAB_TEXT_MAX	(16u << 20)

/* topo_load_buf of TEXT (LEN bytes), FILE's text, through the kept tree
 * of the lab it names. */
struct topo	*lab_topo_load(const char *file, const char *text, size_t len,
		    struct diag_list *);
/* Keep TOPO's tree as that of TEXT, its lab's kept text, unless it is the
 * kept one: 0 or -errno (a cache: the caller goes on without it). */
int		 lab_tree_keep(const struct topo *, const char *text,
		    size_t len);
#endif
