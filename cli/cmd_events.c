/*
 * cmd_events: `vrfctl events [-j]`: follow what vrfd repairs, as it
 * happens. Text: one line per event; -j: one JSON document per line (the
 * daemon's event, unchanged), flushed at once so a pipe sees it.
 *
 *   12:00:01.123 demo-ce1 (ce1) repair: route 10.8.0.0/16 deleted
 *       -> 1 change in 21.4 ms
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "client.h"
#include "proto/jsonget.h"
#include "vrfctl.h"

/* "2024-05-01T12:00:01.123Z" -> "14:00:01.123" in local time. */
static const char *
events_time(const char *iso, char *buf, size_t len)
{
	struct tm	 tm = { 0 };
	time_t		 t;
	int		 ms = 0;

	if (iso == NULL || sscanf(iso, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &ms) != 7) {
		snprintf(buf, len, "%s", iso ? iso : "?");
		return buf;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	localtime_r(&t, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, ms);
	return buf;
}

static void
events_print(struct json_object *ev)
{
	const char	*type = jsonget_text(ev, "event", "?");
	char		 tbuf[32], count[64];
	int64_t		 changes = jsonget_int(ev, "changes");
	int64_t		 failed = jsonget_int(ev, "failed");

	printf("%s %s (%s) %s: %s", events_time(jsonget_text(ev, "time", NULL),
	    tbuf, sizeof(tbuf)), jsonget_text(ev, "namespace", "?"),
	    jsonget_text(ev, "node", "?"), type, jsonget_text(ev, "what", ""));
	if (strcmp(type, "backoff") == 0) {
		printf(" -> %lld repairs undone; next repair in %lld ms\n",
		    (long long)jsonget_int(ev, "repairs"),
		    (long long)jsonget_int(ev, "backoff_ms"));
		return;
	}
	printf(" -> %s", vrfctl_count(count, sizeof(count), (size_t)changes,
	    "change"));
	if (failed)
		printf(", %lld failed", (long long)failed);
	printf(" in %.1f ms", json_object_get_double(
	    json_object_object_get(ev, "repair_ms")));
	if (jsonget_text(ev, "error", NULL))
		printf(" (%s)", jsonget_text(ev, "error", ""));
	printf("\n");
}

static int
events_each(struct json_object *ev, void *arg)
{
	struct vrfctl	*v = arg;
	const char	*err;

	/* A refusal of the request: the daemon's words. */
	if ((err = jsonget_text(ev, "error", NULL)) != NULL &&
	    json_object_object_get(ev, "ok") != NULL) {
		vrfctl_warnx(v, "vrfd: %s", err);
		return 0;
	}
	if (v->json)
		printf("%s\n", json_object_to_json_string_ext(ev,
		    JSON_C_TO_STRING_PLAIN));
	else
		events_print(ev);
	/* Someone is reading this as it comes (a pipe, a file). */
	if (fflush(stdout) == EOF)
		return -EIO;
	return 0;
}

int
cmd_events(struct vrfctl *v, int argc, char **argv)
{
	struct json_object	*req;
	int			 c, rv;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c;
	if (optind < argc)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[optind]);
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("events"));
	rv = client_follow(v->socket, req, events_each, v);
	json_object_put(req);
	switch (rv) {
	case -ENOENT:
	case -ECONNREFUSED:
		vrfctl_warnx(v, "vrfd is not running (%s)", v->socket);
		return VRFCTL_EXIT_UNREACHABLE;
	case -EPERM:
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
