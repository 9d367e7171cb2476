/*
 * topo_pool: what the topo_pool*.c files share, and nobody else uses.
 *
 * topo_pool.c reads `addressing:`, finds the segments and what the file
 * declares on them, and gives the loopbacks theirs; topo_pool_net.c gives
 * links and LANs theirs; topo_pool_slot.c places blocks and hosts in the
 * slots of a pool or a subnet. The loader calls only topo_pool_fill()
 * (topo_priv.h).
 */
#ifndef VRFD_TOPO_POOL_H
#define VRFD_TOPO_POOL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo.h"

struct topo_yaml;
struct ynode;

enum topo_pool_kind {
	TOPO_POOL_P2P,
	TOPO_POOL_LAN,
	TOPO_POOL_LO,
};

/* A pool's name, what it numbers, and the block a segment gets (an IPv4
 * LAN's grows past /24 when its ports need it). */
struct topo_pool_def {
	const char		*name;
	enum topo_pool_kind	 kind;
	int			 family;
	uint8_t			 len;
};

#define TOPO_POOL_N		6	/* p2p, lan, loopback, and their 6s */
#define TOPO_POOL_ENDKEY_MAX	(2 * TOPO_NAME_MAX + 2 + IFNAMSIZ)
#define TOPO_POOL_KEY_MAX	(2 * TOPO_POOL_ENDKEY_MAX + 2)

struct topo_pool {
	const struct topo_pool_def *def;
	struct topo_prefix	 pfx;
	const struct ynode	*key;		/* NULL: not given, or bad */
};

/* An address the file declares, and its segment. */
struct topo_pool_decl {
	struct topo_prefix	 pfx;
	const struct ynode	*node;
	size_t			 seg;
	const char		*where;		/* node name */
	const char		*ifname;
};

/* A router interface on a segment, named "pe1/red:eth0". */
struct topo_pool_end {
	struct topo_ns		*ns;
	struct topo_iface	*ifc;
	size_t			 seg;
	char			 key[TOPO_POOL_ENDKEY_MAX];
};

/* The first clash of a pool, and how many blocks clash. */
struct topo_pool_clash {
	size_t			 n;
	struct topo_prefix	 got;
	char			 what[TOPO_POOL_KEY_MAX + 8];
	const struct topo_pool_decl *d;
};

/*
 * The state of one fill. Segments are a union-find forest UP: link L is
 * L, switch namespace S is n_links + S; the `lo` of namespace N is
 * n_links + n_ns + N, and an interface on no link is on SIZE_MAX.
 */
struct topo_pool_st {
	struct topo_yaml	*ty;
	struct topo		*t;
	struct topo_pool	 pools[TOPO_POOL_N];
	size_t			*up;
	struct topo_pool_decl	*decl;		/* as the file declares */
	size_t			 n_decl;
};

/* What is placed in the slots of a space: a block of 2^K units, or a
 * host (K = 0), named by KEY. */
struct topo_pool_item {
	const char		*key;
	unsigned		 k;
	uint64_t		 home;		/* its own slot, in blocks */
	uint64_t		 unit;		/* the result: its first unit */
	bool			 placed;
	size_t			 idx;		/* the caller's; the last
						   tie-break */
};

/* Units taken: open addressing of unit + 1 (0: free). */
struct topo_pool_set {
	uint64_t		*v;
	size_t			 mask;
};

/* topo_pool.c */
unsigned topo_pool_width(int family);			/* 32 or 128 */
bool	 topo_pool_overlap(const struct topo_prefix *,
	    const struct topo_prefix *);
size_t	 topo_pool_root(size_t *up, size_t);
bool	 topo_pool_is_router(const struct topo_ns *);	/* or a VRF */
bool	 topo_pool_is_switch(const struct topo_ns *);
bool	 topo_pool_has_family(const struct topo_iface *, int family);
void	 topo_pool_give(struct topo_pool_st *, struct topo_iface *,
	    const struct topo_prefix *, const struct ynode *,
	    enum topo_addr_origin);
/* Does BLOCK, given to segment SEG for WHAT (with the N addresses GOT),
 * clash with what the file declares? The first clash goes into C. */
bool	 topo_pool_clashes(const struct topo_pool_st *,
	    struct topo_pool_clash *c, const struct topo_prefix *block,
	    size_t seg, const struct topo_prefix *got, size_t n,
	    const char *what);
void	 topo_pool_clash_report(struct topo_pool_st *,
	    const struct topo_pool *, const struct topo_pool_clash *);
/* The blocks of pool P for the N items of V (a NOUN each, for an error):
 * 0, or -ENOSPC after an error, or -ENOMEM. */
int	 topo_pool_blocks(struct topo_pool_st *, const struct topo_pool *p,
	    struct topo_pool_item *v, size_t n, const char *noun);
struct topo_prefix topo_pool_block(const struct topo_pool *,
	    const struct topo_pool_item *);

/* topo_pool_net.c */
void	 topo_pool_net_p2p(struct topo_pool_st *, const struct topo_pool *);
void	 topo_pool_net_lan(struct topo_pool_st *, const struct topo_pool *);

/* topo_pool_slot.c */
/* Room for N units: 0, or -ENOMEM. The caller frees s->v. */
int	 topo_pool_slot_set_init(struct topo_pool_set *, size_t n);
void	 topo_pool_slot_set_add(struct topo_pool_set *, uint64_t unit);
/* Place the N items of V (sorted by key here) in NUNITS units, some
 * TAKEN: 0, or -ENOSPC with *FAILED the one that found no room (N: they
 * cannot all fit, whatever the order). */
int	 topo_pool_slot_place(struct topo_pool_set *taken, uint64_t nunits,
	    struct topo_pool_item *v, size_t n, size_t *failed);
/* 2^BITS slots, or the 2^16 a pool uses at most. */
uint64_t topo_pool_slot_count(unsigned bits);
/* BASE's address plus V << SHIFT, as a prefix of length PLEN. */
void	 topo_pool_slot_addr(const struct topo_prefix *base, uint64_t v,
	    unsigned shift, uint8_t plen, struct topo_prefix *out);
/* How far A is past BASE, if less than 2^64. */
bool	 topo_pool_slot_offset(const struct topo_prefix *base,
	    const struct topo_prefix *a, uint64_t *off);

#endif
