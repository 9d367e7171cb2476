/*
 * nameidx: an index by name of the entries of an array the caller keeps
 * (its own order, entries moved as it likes): open addressing over the
 * positions, at most half full, deletion by backward shift, so that a
 * search never stops short at a hole. The watch finds its thousands of
 * namespaces by name with it.
 */
#ifndef VRFD_NAMEIDX_H
#define VRFD_NAMEIDX_H

#include <stddef.h>
#include <sys/types.h>

struct nameidx {
	size_t		*slot;		/* a position + 1; 0: empty */
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;		/* names in it */
	/* The name at position I of the caller's array. */
	const char	*(*name)(size_t i, const void *arg);
	const void	*arg;
};

/* The position of NAME, or -1. */
ssize_t	nameidx_find(const struct nameidx *, const char *name);
/* NAME is at position I from now on: added, or moved there. 0 or
 * -ENOMEM (the index unchanged). */
int	nameidx_put(struct nameidx *, const char *name, size_t i);
/* NAME out of the index (its entry may be gone from the array after,
 * not before: its name is read to find it). */
void	nameidx_drop(struct nameidx *, const char *name);
void	nameidx_free(struct nameidx *);

#endif
