/*
 * yarena: chunks that grow from 4 KiB to 256 KiB, so that a small file
 * stays small and a large one takes few; a block larger than a quarter of
 * a chunk gets a chunk of its own.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "yarena.h"

#define YARENA_MIN	(4u << 10)
#define YARENA_MAX	(256u << 10)

struct yarena_chunk {
	struct yarena_chunk	*next;
	size_t			 size;
	max_align_t		 data[];
};

void *
yarena_alloc_chunk(struct yarena *a, size_t size, size_t align)
{
	struct yarena_chunk	*c = a->chunks, *nc;
	size_t			 csize;

	(void)align;		/* a chunk's data is aligned for anything */
	if (a->next < YARENA_MAX)
		a->next = a->next ? a->next * 2 : YARENA_MIN;
	csize = size > a->next ? size : a->next;
	if (csize > SIZE_MAX - sizeof(*nc) ||
	    (nc = malloc(sizeof(*nc) + csize)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	nc->size = csize;
	/* The chunk being filled stays first, unless this one has more
	 * room left. */
	if (c != NULL && size > a->next / 4) {
		nc->next = c->next;
		c->next = nc;
	} else {
		nc->next = c;
		a->chunks = nc;
		a->free = (char *)nc->data + size;
		a->end = (char *)nc->data + csize;
	}
	return nc->data;
}

char *
yarena_strndup(struct yarena *a, const char *s, size_t len)
{
	char	*p;

	if (len == SIZE_MAX || (p = yarena_alloc(a, len + 1, 1)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

bool
yarena_owns(const struct yarena *a, const void *p)
{
	uintptr_t	 q = (uintptr_t)p, at;

	/* A tree of a megabyte of text is some 40 chunks. */
	for (const struct yarena_chunk *c = a->chunks; c != NULL; c = c->next)
		if (q >= (at = (uintptr_t)c->data) && q - at < c->size)
			return true;
	return false;
}

void
yarena_free(struct yarena *a)
{
	struct yarena_chunk	*c, *next;

	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
	a->next = 0;
	a->free = a->end = NULL;
}
