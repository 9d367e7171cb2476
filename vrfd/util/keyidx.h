/*
 * keyidx: an index of the entries of an array the caller keeps, by a key
 * of the caller's, for arrays of thousands (a hub's links, a lab's
 * namespaces): open addressing over positions, at most half full,
 * deletion by backward shift, so that a search never stops short at a
 * hole. The index holds positions only: the caller says what the hash of
 * the entry at a position is and whether it has the key sought, and may
 * keep its entries where it likes (moved, the array grown) as long as it
 * tells the index of a move.
 */
#ifndef VRFD_KEYIDX_H
#define VRFD_KEYIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The struct holding member M of type T at P (an index is kept in the
 * struct whose array it indexes: the callbacks find their array so). */
#define KEYIDX_OWNER(p, T, m)	((T *)(void *)((char *)(p) - offsetof(T, m)))

struct keyidx {
	size_t		*slot;		/* a position + 1; 0: empty */
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;		/* entries in it */
	/* The hash of the key of the entry at position I. */
	uint64_t	(*hash_at)(const struct keyidx *, size_t i);
	/* Has the entry at position I the key KEY? */
	bool		(*is)(const struct keyidx *, size_t i, const void *key);
};

/* The hash of LEN bytes at P (a key's hash is the hash of its bytes). */
uint64_t keyidx_hash(const void *p, size_t len);

/* The position of KEY (of hash HASH), or -1. */
ssize_t	keyidx_find(const struct keyidx *, uint64_t hash, const void *key);
/* KEY is at position I from now on: added, or moved there. 0 or -ENOMEM
 * (the index unchanged). */
int	keyidx_put(struct keyidx *, uint64_t hash, const void *key, size_t i);
/* Room for N entries in all, made at once: 0 or -ENOMEM. */
int	keyidx_reserve(struct keyidx *, size_t n);
/* KEY out of the index (its entry may leave the array after, not before:
 * the entries' keys are read to find it). */
void	keyidx_drop(struct keyidx *, uint64_t hash, const void *key);
void	keyidx_free(struct keyidx *);

/* An index by a name (a NUL-terminated string) of each entry. */
struct nameidx {
	struct keyidx	 k;
	/* The name of the entry at position I. */
	const char	*(*name)(const struct nameidx *, size_t i);
};

void	 nameidx_init(struct nameidx *,
	    const char *(*name)(const struct nameidx *, size_t));
ssize_t	 nameidx_find(const struct nameidx *, const char *name);
int	 nameidx_put(struct nameidx *, const char *name, size_t i);
void	 nameidx_drop(struct nameidx *, const char *name);
void	 nameidx_free(struct nameidx *);

#endif
