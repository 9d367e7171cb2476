/*
 * sysctl: net.* keys of the current network namespace, through /proc/sys.
 * The caller is inside the namespace (netns_enter) when it calls these.
 */
#ifndef VRFD_SYSCTL_H
#define VRFD_SYSCTL_H

#include <stddef.h>

/* "net.ipv4.ip_forward" -> "/proc/sys/net/ipv4/ip_forward". */
int	sysctl_read(const char *key, char *buf, size_t len);	/* 0 / -errno */
int	sysctl_write(const char *key, const char *value);	/* 0 / -errno */

#endif
