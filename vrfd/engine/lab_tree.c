/*
 * lab_tree: a lab's topology loaded by way of the tree of its kept text
 * (lab_tree.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "lab_tree.h"
#include "state.h"
#include "topo/topo.h"
#include "topo/ytree.h"
#include "util/readfile.h"

/* A tree is some 4 times its text. */
#define LAB_TREE_MAX	(8 * (size_t)LAB_TEXT_MAX)

/* The tree of the text kept for LAB, from SNAP if it is that text's, cut
 * as the text is (for a text to be parsed by its changes from it). */
static struct ynode *
lab_tree_kept(const char *lab, const char *snap, size_t snap_len)
{
	struct ynode	*old;
	char		 path[600], *kept;
	size_t		 kept_len;

	state_lab_path(lab, path, sizeof(path));
	if (read_file(path, LAB_TEXT_MAX, &kept, &kept_len) < 0)
		return NULL;
	if ((old = ytree_thaw(snap, snap_len, kept, kept_len)) != NULL &&
	    ytree_cut(old, kept, kept_len) < 0) {
		ytree_free(old);
		old = NULL;
	}
	free(kept);
	return old;
}

struct topo *
lab_topo_load(const char *file, const char *text, size_t len,
    struct diag_list *dl)
{
	struct ynode	*root, *old = NULL;
	struct topo	*t;
	char		 lab[TOPO_NAME_MAX + 1], path[600], *snap;
	size_t		 snap_len;

	if (!topo_text_lab(text, len, lab, sizeof(lab)) ||
	    read_file(state_extra_path(lab, STATE_TREE, path,
	    sizeof(path)), LAB_TREE_MAX, &snap, &snap_len) < 0)
		return topo_load_buf(file, text, len, dl);
	if ((root = ytree_thaw(snap, snap_len, text, len)) != NULL) {
		free(snap);
		return topo_load_tree(file, root, dl);
	}
	if (errno == ESTALE)
		old = lab_tree_kept(lab, snap, snap_len);
	free(snap);
	if (old == NULL)
		return topo_load_buf(file, text, len, dl);
	t = topo_load_buf_since(file, text, len, &(struct topo_prev){
	    .root = old, .flags = 0 /* exact: kept in binary, for the next */
	}, dl);
	ytree_free(old);
	return t;
}

int
lab_tree_keep(const struct topo *topo, const char *text, size_t len)
{
	char	*buf;
	size_t	 size;
	int	 rv;

	/* Thawed: that text's, kept already. */
	if (ytree_thawed(topo->root))
		return 0;
	if ((rv = ytree_freeze(topo->root, text, len, &buf, &size)) < 0)
		return rv;
	rv = state_save_extra_cache(topo->lab, STATE_TREE, buf, size);
	free(buf);
	return rv;
}
