/*
 * verify_priv: what verify.c (the expectations) and verify_tunnel.c (the
 * links between hosts) share.
 */
#ifndef VRFD_VERIFY_PRIV_H
#define VRFD_VERIFY_PRIV_H

#include "verify.h"

/* This host's ends of T's links between hosts into V->tunnels, each with
 * its probe aimed (not opened) where a pair of addresses is found. 0 or
 * -ENOMEM. */
int	verify_tunnels(const struct topo *, struct verify *);

#endif
