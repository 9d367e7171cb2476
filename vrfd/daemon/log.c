/*
 * log: stderr or syslog, with per-subsystem debug messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static const char	*log_prog = "vrfd";
static int		 log_verbose;
static bool		 log_syslog;
static char		 log_debug_subsys[256];

void
log_init(const char *progname, int verbose, bool use_syslog)
{
	log_prog = progname;
	log_verbose = verbose;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_debug(const char *subsystems)
{
	snprintf(log_debug_subsys, sizeof(log_debug_subsys), ",%s,",
	    subsystems ? subsystems : "");
}

bool
log_debug_enabled(const char *subsys)
{
	char	 tok[64];

	if (log_verbose >= 2 || strstr(log_debug_subsys, ",all,"))
		return true;
	snprintf(tok, sizeof(tok), ",%s,", subsys);
	return strstr(log_debug_subsys, tok) != NULL;
}

static void __attribute__((format(printf, 4, 0)))
log_vemit(int prio, const char *subsys, const char *suffix, const char *fmt,
    va_list ap)
{
	char	 msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		if (suffix)
			syslog(prio, "%s: %s", msg, suffix);
		else
			syslog(prio, "%s", msg);
		return;
	}
	fprintf(stderr, "%s: %s%s%s%s%s\n", log_prog,
	    subsys ? subsys : "", subsys ? ": " : "", msg,
	    suffix ? ": " : "", suffix ? suffix : "");
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, NULL, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, NULL, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 1 && !log_syslog)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_INFO, NULL, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *subsys, const char *fmt, ...)
{
	va_list	 ap;

	if (!log_debug_enabled(subsys))
		return;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, subsys, NULL, fmt, ap);
	va_end(ap);
}
