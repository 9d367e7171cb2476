/*
 * yarena: a bump allocator for a tree that is freed all at once.
 *
 * ytree.c takes its nodes, strings and arrays from one: a large topology
 * has some 150,000 nodes, and a malloc and a free for each was most of
 * the time it took to load.
 */
#ifndef VRFD_YARENA_H
#define VRFD_YARENA_H

#include <stddef.h>

struct yarena_chunk;

struct yarena {
	struct yarena_chunk	*chunks;	/* the first is being filled */
	size_t			 next;		/* size of the next chunk */
};

/* SIZE bytes aligned to ALIGN (a power of two), or NULL: ENOMEM. */
void	*yarena_alloc(struct yarena *, size_t size, size_t align);
/* LEN bytes of S and a NUL, or NULL: ENOMEM. */
char	*yarena_strndup(struct yarena *, const char *s, size_t len);
/* Everything allocated goes; the arena is empty again. */
void	 yarena_free(struct yarena *);

#endif
