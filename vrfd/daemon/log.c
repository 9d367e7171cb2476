/*
 * log: stderr or syslog, with per-subsystem debug messages.
 *
 * Passes run on worker threads: one lock around the writing. A message
 * said again and again (a client that misbehaves in a loop) is written
 * LOG_BURST times in a second, then counted, and the count said once the
 * second is over or another message comes.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

#define LOG_BURST	5

static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;
static char		 log_last[2300];
static unsigned		 log_repeats, log_dropped;
static time_t		 log_last_sec;
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

static void
log_write(int prio, const char *subsys, const char *msg, const char *suffix)
{
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

/* What was held back of the last message, said now. */
static void
log_flush_dropped(void)
{
	char	 msg[64];

	if (log_dropped == 0)
		return;
	snprintf(msg, sizeof(msg), "last message repeated %u more time%s",
	    log_dropped, log_dropped == 1 ? "" : "s");
	log_write(LOG_WARNING, NULL, msg, NULL);
	log_dropped = 0;
}

static void __attribute__((format(printf, 4, 0)))
log_vemit(int prio, const char *subsys, const char *suffix, const char *fmt,
    va_list ap)
{
	char	 msg[2048], full[2300];
	time_t	 now = time(NULL);

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(full, sizeof(full), "%s|%s|%s", subsys ? subsys : "", msg,
	    suffix ? suffix : "");
	pthread_mutex_lock(&log_lock);
	if (now != log_last_sec)
		log_flush_dropped();
	if (strcmp(full, log_last) == 0 && now == log_last_sec) {
		if (++log_repeats > LOG_BURST) {
			log_dropped++;
			pthread_mutex_unlock(&log_lock);
			return;
		}
	} else {
		log_flush_dropped();
		snprintf(log_last, sizeof(log_last), "%s", full);
		log_repeats = 1;
	}
	log_last_sec = now;
	log_write(prio, subsys, msg, suffix);
	pthread_mutex_unlock(&log_lock);
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
