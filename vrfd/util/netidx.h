/*
 * netidx: which subnet holds an address, among thousands (a hub's
 * interfaces; its routes' gateways are each looked up). The caller adds
 * subnets with a position of its own; an address is answered with the
 * lowest position of a subnet that holds it, as a walk of the caller's
 * array in order would find: one lookup per prefix length in use, or,
 * for a few subnets (a router's handful), a walk of them.
 */
#ifndef VRFD_NETIDX_H
#define VRFD_NETIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "keyidx.h"

/* A subnet: the network bits of an address under its length. */
struct netidx_net {
	int		 family;		/* AF_INET or AF_INET6 */
	uint8_t		 plen;
	uint8_t		 bits[16];
	size_t		 pos;			/* the caller's */
};

struct netidx {
	struct keyidx	 x;			/* v, once they are many */
	struct netidx_net *v;
	size_t		 n;
	bool		 plens[2][129];		/* [v6?][length]: in use */
};

void	netidx_init(struct netidx *);
/* The subnet of ADDR (of FAMILY) under PLEN, at POS: 0, -EINVAL (not an
 * IPv4 or IPv6 prefix) or -ENOMEM. */
int	netidx_add(struct netidx *, int family, const uint8_t *addr,
	    unsigned plen, size_t pos);
/* The lowest position of a subnet holding ADDR, or -1. */
ssize_t	netidx_holder(const struct netidx *, int family, const uint8_t *addr);
void	netidx_free(struct netidx *);

#endif
