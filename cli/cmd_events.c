/*
 * cmd_events: `vrfctl events [-j]`: follow what vrfd repairs, as it
 * happens: one line per event, or with -j one JSON document per line
 * (the daemon's event), flushed at once so a pipe sees it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "output.h"
#include "proto/event.h"
#include "vrfctl.h"

static int
events_each(const struct event *ev, void *arg)
{
	struct vrfctl	*v = arg;

	vrfctl_output(v)->event(ev);
	/* Someone is reading this as it comes (a pipe, a file). */
	if (fflush(stdout) == EOF)
		return -EIO;
	return 0;
}

int
cmd_events(struct vrfctl *v, int argc, char **argv)
{
	struct ctl_reply	 refusal;
	int			 c, rv;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c;
	if (optind < argc)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[optind]);
	rv = client_follow(v->socket, events_each, v, &refusal);
	switch (rv) {
	case -ENOENT:
	case -ECONNREFUSED:
		vrfctl_warnx(v, "vrfd is not running (%s)", v->socket);
		return VRFCTL_EXIT_UNREACHABLE;
	case -EPERM:
		vrfctl_warnx(v, "vrfd: %s", refusal.error);
		ctl_reply_clear(&refusal);
		return VRFCTL_EXIT_FAILED;
	case -EIO:
		return VRFCTL_EXIT_FAILED;
	case -ECONNRESET:
		vrfctl_warnx(v, "vrfd closed the connection");
		return VRFCTL_EXIT_FAILED;
	default:
		vrfctl_warnx(v, "vrfd (%s): %s", v->socket, strerror(-rv));
		return rv == -EACCES ? VRFCTL_EXIT_UNREACHABLE :
		    VRFCTL_EXIT_FAILED;
	}
}
