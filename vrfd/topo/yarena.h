/*
 * yarena: a bump allocator for a tree that is freed all at once.
 *
 * ytree.c takes its nodes, strings and arrays from one: a large topology
 * has some 150,000 nodes, and a malloc and a free for each was most of
 * the time it took to load.
 */
#ifndef VRFD_YARENA_H
#define VRFD_YARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct yarena_chunk;

struct yarena {
	struct yarena_chunk	*chunks;	/* the first is being filled */
	size_t			 next;		/* size of the next chunk */
	char			*free, *end;	/* the first's room left */
};

/* The same when the first chunk has no room: a new one. */
void	*yarena_alloc_chunk(struct yarena *, size_t size, size_t align);

/* SIZE bytes aligned to ALIGN (a power of two), or NULL: ENOMEM. Inline:
 * a tree of 150,000 nodes takes some 400,000 blocks. */
static inline void *
yarena_alloc(struct yarena *a, size_t size, size_t align)
{
	uintptr_t	 at = ((uintptr_t)a->free + align - 1) &
			    ~(uintptr_t)(align - 1);

	if (a->free != NULL && at <= (uintptr_t)a->end &&
	    size <= (uintptr_t)a->end - at) {
		a->free = (char *)at + size;
		return (void *)at;
	}
	return yarena_alloc_chunk(a, size, align);
}
/* LEN bytes of S and a NUL, or NULL: ENOMEM. */
char	*yarena_strndup(struct yarena *, const char *s, size_t len);
/* Was P allocated from the arena? (A tree lends its nodes to the next
 * one made from it: which are its own, ytree.c asks.) */
bool	 yarena_owns(const struct yarena *, const void *p);
/* Everything allocated goes; the arena is empty again. */
void	 yarena_free(struct yarena *);

#endif
