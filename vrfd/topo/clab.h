/*
 * clab: containerlab topologies (FILE.clab.yml), made into vrfd's own.
 *
 * clab_convert() reads a containerlab topology, in its current format or
 * an older one, and writes the same lab as vrfd's topology text
 * (vrf-topology(5)): nodes become routers (linux and frr nodes, with
 * `frr:` or `bird:` where they run a routing suite) or switches (bridge
 * nodes), links become links, and the `ip` and `sysctl` commands of a
 * node's `exec` that say plain state become that state. What cannot be
 * done with network namespaces (a network OS image, a host or vxlan link)
 * is an error at its place in the containerlab file, and what only a
 * container has (image, ports, env, ...) a warning.
 *
 * The text is then loaded as any topology is (topo_load_buf). Every line
 * of it remembers where in the containerlab file it comes from, so that
 * what the loader and the checker find is told against that file:
 * clab_remap_tree() and clab_remap_diags() move the positions of a tree
 * and of diagnostics from the text's lines to the containerlab file's.
 */
#ifndef VRFD_CLAB_H
#define VRFD_CLAB_H

#include <stdbool.h>
#include <stddef.h>

struct diag_list;
struct ynode;

/* Where a line of the converted text comes from in the containerlab
 * file; 0 when from nowhere in particular (the header). */
struct clab_pos {
	unsigned	 line, col;
};

struct clab_conv {
	char		*text;		/* vrfd's topology, NUL-terminated */
	size_t		 len;
	struct clab_pos	*pos;		/* pos[i]: of line i + 1 of TEXT */
	size_t		 n_pos;
};

/*
 * Is FILE (its text BUF, LEN bytes) a containerlab topology: its name ends
 * in .clab.yml, .clab.yaml, -clab.yml or -clab.yaml, or its top level has
 * `name:` and `topology:`; and it has no top-level `lab:` (vrfd's own,
 * which a converted text is). Read from the lines' starts, not parsed.
 */
bool	clab_detect(const char *file, const char *buf, size_t len);

/*
 * Convert FILE's text BUF (LEN bytes) into *CONV. Files it names are read
 * relative to FILE's directory (the `daemons` file of FRR); paths written
 * into the text are left relative to that directory. Problems go to DL,
 * at their place in FILE. 0; -EINVAL when DL has errors (CONV then holds
 * the text of what could be read, in which the loader may find more, or
 * no text); -ENOMEM.
 */
int	clab_convert(const char *file, const char *buf, size_t len,
	    struct clab_conv *, struct diag_list *);
void	clab_conv_free(struct clab_conv *);

/* The tree ROOT, parsed from CONV's text, placed in the containerlab
 * file instead; its nodes must be its own (the text has no aliases). */
void	clab_remap_tree(const struct clab_conv *, struct ynode *root);
/* One position of CONV's text, LINE:COL, moved there: true if it was. */
bool	clab_remap_pos(const struct clab_conv *, unsigned *line,
	    unsigned *col);
/* The same for the diagnostics of DL from index FIRST on, those about
 * the converted text: their file becomes FILE. */
void	clab_remap_diags(const struct clab_conv *, struct diag_list *,
	    size_t first, const char *file);

/*
 * A containerlab name as vrfd names it: lower case, each character other
 * than a-z, 0-9, '-' and '_' made '-', then those before the first letter
 * or digit dropped. OUT holds TOPO_NAME_MAX + 1 bytes. 0, -EINVAL (nothing
 * left) or -ENAMETOOLONG (more than TOPO_NAME_MAX bytes).
 */
int	clab_name(const char *, char *out, size_t len);

#endif
