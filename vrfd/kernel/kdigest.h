/*
 * kdigest: a digest of a namespace's state as the engine compiles it,
 * equal for equal contents. The daemon keeps, for each namespace a pass
 * found exactly as declared, the digest of that declaration: a later pass
 * whose declaration of it has the same digest, no change heard there
 * since, can leave it out (engine/memory.h).
 */
#ifndef VRFD_KDIGEST_H
#define VRFD_KDIGEST_H

#include <stddef.h>
#include <stdint.h>

struct ks_ns;

/* Never 0 (0 is "none" to its users). */
uint64_t	ks_ns_digest(const struct ks_ns *);
/* The same 64 bits over LEN bytes at P. */
uint64_t	ks_bytes_digest(const void *p, size_t len);

#endif
