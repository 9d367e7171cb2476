/*
 * strcopy: a name into a fixed buffer, cut to fit: snprintf's "%s"
 * without the format machinery, for what is copied per object (a
 * device's name onto each route a namespace holds was 8% of the
 * instructions of a no-op apply, by snprintf), per namespace and per
 * route of a topology.
 */
#ifndef VRFD_STRCOPY_H
#define VRFD_STRCOPY_H

#include <stddef.h>

/* SRC into DST's LEN bytes, NUL-terminated, cut to fit (LEN 0: nothing
 * written). */
void	str_copy(char *dst, size_t len, const char *src);

#endif
