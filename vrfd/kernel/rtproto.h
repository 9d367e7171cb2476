/*
 * rtproto: route protocol numbers by name, as `ip route` shows them.
 *
 * The names are iproute2's own table, then the files it reads
 * (/etc/iproute2/rt_protos and rt_protos.d/ *.conf, and the same under
 * /usr/share/iproute2), then vrfd's own 118, named as
 * conf/rt_protos.d/vrfd.conf names it once installed. A routing daemon's
 * package may add names there (FRR's frr.conf does).
 */
#ifndef VRFD_RTPROTO_H
#define VRFD_RTPROTO_H

#include <stdbool.h>
#include <stddef.h>

#define RTPROTO_NAME_MAX	32

/* PROTO's name ("ospf", "vrfd"), or its number in decimal, in BUF. */
const char	*rtproto_name(unsigned proto, char *buf, size_t len);
/* The same, but a name only where `ip route` on this host would read it
 * back (its own table and its files): for the commands plan prints. */
const char	*rtproto_name_ip(unsigned proto, char *buf, size_t len);

#endif
