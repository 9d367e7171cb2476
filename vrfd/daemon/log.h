/*
 * log: messages for the user, on stderr or syslog.
 *
 * Library code logs only at debug level, tagged with a subsystem that
 * `-D netlink,apply` selects (lldpd's way); what a user must see is returned
 * to the daemon or the CLI, which decide how to show it.
 */
#ifndef VRFD_LOG_H
#define VRFD_LOG_H

#include <stdbool.h>

void	log_init(const char *progname, int verbose, bool use_syslog);
/* Comma-separated subsystems to debug ("netlink,watch"); "all" for all. */
void	log_set_debug(const char *subsystems);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *subsys, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
bool	log_debug_enabled(const char *subsys);

#endif
