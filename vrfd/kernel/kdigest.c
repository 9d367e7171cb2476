/*
 * kdigest: 64 bits over the bytes of a state's objects, eight at a time
 * (the rounds of xxHash64's, without its speed tricks). The objects come
 * from zeroed slots (ks_grow), so their padding and the bytes after a
 * name's end are zero and equal contents are equal bytes; a pointer is
 * never hashed, what it points to is.
 */
#include <stddef.h>
#include <string.h>

#include "kdigest.h"
#include "kstate.h"

#define K1	0x9e3779b185ebca87ULL
#define K2	0xc2b2ae3d27d4eb4fULL
#define K3	0x165667b19e3779f9ULL

static uint64_t
kd_rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

/* A round of kd_bytes's, on the word at P. */
static uint64_t
kd_round(uint64_t h, const unsigned char *p)
{
	uint64_t	 w;

	memcpy(&w, p, 8);
	return kd_rotl(h ^ kd_rotl(w * K2, 31) * K1, 27) * K1 + K3;
}

static uint64_t
kd_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*b = p;

	for (; len >= 8; b += 8, len -= 8)
		h = kd_round(h, b);
	for (; len > 0; b++, len--)
		h = kd_rotl(h ^ *b * K3, 11) * K1;
	return h;
}

/* A count first: [a][b] and [a, b] differ. */
static uint64_t
kd_array(uint64_t h, const void *v, size_t n, size_t size)
{
	h = kd_bytes(h, &n, sizeof(n));
	return n > 0 ? kd_bytes(h, v, n * size) : h;
}

/* Avalanche, as xxHash64 ends. */
static uint64_t
kd_end(uint64_t h)
{
	h ^= h >> 33;
	h *= K2;
	h ^= h >> 29;
	h *= K3;
	h ^= h >> 32;
	return h != 0 ? h : 1;
}

/* From this many bytes on (a topology's text), four lanes, whose
 * multiplications do not wait for each other: the 1 MB text of the grid
 * of 484 in a quarter of the time, on both sides of vrfctl's request. */
#define KD_LANES_MIN	256

uint64_t
ks_bytes_digest(const void *p, size_t len)
{
	const unsigned char	*b = p;
	uint64_t		 h = kd_bytes(K3, &len, sizeof(len));
	uint64_t		 l0, l1, l2, l3;
	size_t			 i = 0;

	if (len >= KD_LANES_MIN) {
		l0 = h;
		l1 = h + K1;
		l2 = h + K2;
		l3 = h + K3;
		for (; i + 32 <= len; i += 32) {
			l0 = kd_round(l0, b + i);
			l1 = kd_round(l1, b + i + 8);
			l2 = kd_round(l2, b + i + 16);
			l3 = kd_round(l3, b + i + 24);
		}
		h = kd_bytes(kd_bytes(kd_bytes(kd_bytes(h, &l0, 8), &l1, 8),
		    &l2, 8), &l3, 8);
	}
	return kd_end(kd_bytes(h, b + i, len - i));
}

uint64_t
ks_ns_digest(const struct ks_ns *ns)
{
	uint64_t	 h = K3;

	h = kd_bytes(h, ns->lo_alias, sizeof(ns->lo_alias));
	h = kd_array(h, ns->links, ns->n_links, sizeof(*ns->links));
	h = kd_array(h, ns->addrs, ns->n_addrs, sizeof(*ns->addrs));
	h = kd_bytes(h, &ns->n_routes, sizeof(ns->n_routes));
	for (size_t i = 0; i < ns->n_routes; i++) {
		const struct ks_route	*r = &ns->routes[i];

		/* Up to its nexthops, then each of them. */
		h = kd_bytes(h, r, offsetof(struct ks_route, nh1));
		for (int j = 0; j < r->n_nh; j++)
			h = kd_bytes(h, ks_nh(r, j), sizeof(struct ks_nexthop));
	}
	h = kd_array(h, ns->neighs, ns->n_neighs, sizeof(*ns->neighs));
	h = kd_array(h, ns->sysctls, ns->n_sysctls, sizeof(*ns->sysctls));
	h = kd_array(h, ns->qdiscs, ns->n_qdiscs, sizeof(*ns->qdiscs));
	return kd_end(h);
}
