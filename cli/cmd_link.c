/*
 * cmd_link: `vrfctl link set [-j] LAB NODE:IFNAME up|down`: an interface
 * of an applied lab set down or up at run time, as `ip link set` would,
 * and kept so (vrfd keeps it, status says so) until the lab's file is
 * applied again (engine/override.h).
 *
 * Through vrfd when it answers, in-process otherwise (as root, the one
 * writer); either way the answer is the pass's report, shown as apply's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/lab.h"
#include "engine/override.h"
#include "output.h"
#include "proto/ctl_msg.h"
#include "topo/topo.h"
#include "vrfctl.h"

/* Render R (taken): 0 when the lab converged with it. */
static int
link_finish(struct vrfctl *v, struct report *r)
{
	int	 rc;

	if (r == NULL) {
		vrfctl_warnx(v, "%s", strerror(errno ? errno : ENOMEM));
		return VRFCTL_EXIT_FAILED;
	}
	/* A request refused (an unknown interface, a lab not kept) is
	 * said as vrfctl says a usage problem: one line. */
	if (r->err && r->n_ns == 0 && r->error) {
		vrfctl_warnx(v, "%s", r->error);
		report_free(r);
		return VRFCTL_EXIT_FAILED;
	}
	vrfctl_output(v)->report(r);
	rc = r->converged ? VRFCTL_EXIT_OK : VRFCTL_EXIT_FAILED;
	report_free(r);
	return rc;
}

/* Without vrfd: the lab's kept topology, the end checked, the pass. */
static int
link_alone(struct vrfctl *v, const struct ctl_request *req)
{
	struct report	*r;
	struct topo	*topo;
	char		 why[200];
	int		 rc;

	if ((rc = vrfctl_alone(v)) != 0)
		return rc;
	if ((topo = engine_kept_topo(req->lab)) == NULL) {
		vrfctl_warnx(v, "lab %s is not kept on this host (apply its "
		    "file first)", req->lab);
		return VRFCTL_EXIT_FAILED;
	}
	if (override_end(topo, req->node, req->ifname, why, sizeof(why)) < 0) {
		vrfctl_warnx(v, "%s", why);
		topo_free(topo);
		return VRFCTL_EXIT_FAILED;
	}
	r = lab_link_set(topo, req->node, req->ifname, req->down, NULL);
	topo_free(topo);
	return link_finish(v, r);
}

int
cmd_link(struct vrfctl *v, int argc, char **argv)
{
	struct ctl_request	 req = { .cmd = CTL_LINK_SET };
	struct ctl_reply	 reply;
	char			 node[2 * TOPO_NAME_MAX + 2];
	char			*colon, *end;
	int			 c, rc;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c;
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return vrfctl_usage_error(v, "a subcommand is needed: set");
	if (strcmp(argv[0], "set") != 0)
		return vrfctl_usage_error(v, "unknown subcommand '%s'; the one "
		    "there is: set", argv[0]);
	if (argc < 4)
		return vrfctl_usage_error(v, "set needs LAB, NODE:IFNAME and "
		    "up or down");
	if (argc > 4)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[4]);
	req.lab = argv[1];
	if (!topo_valid_name(req.lab) || strlen(req.lab) > TOPO_NAME_MAX)
		return vrfctl_usage_error(v, "'%s' is not a lab name", req.lab);
	end = argv[2];
	if ((colon = strchr(end, ':')) == NULL || colon == end ||
	    (size_t)(colon - end) >= sizeof(node) ||
	    !topo_valid_ifname(colon + 1))
		return vrfctl_usage_error(v, "'%s' is not NODE:IFNAME, such as "
		    "r1:eth0 or pe1/red:eth1", end);
	snprintf(node, sizeof(node), "%.*s", (int)(colon - end), end);
	req.node = node;
	req.ifname = colon + 1;
	if (strcmp(argv[3], "down") == 0)
		req.down = true;
	else if (strcmp(argv[3], "up") != 0)
		return vrfctl_usage_error(v, "'%s' is neither up nor down",
		    argv[3]);

	if ((rc = vrfctl_ask(v, &req, &reply, NULL, NULL)) == 0) {
		if (!reply.ok) {
			vrfctl_warnx(v, "%s", reply.error);
			ctl_reply_clear(&reply);
			return VRFCTL_EXIT_FAILED;
		}
		rc = link_finish(v, reply.report);
		reply.report = NULL;
		ctl_reply_clear(&reply);
		return rc;
	}
	if (rc != VRFCTL_NO_DAEMON)
		return rc;
	return link_alone(v, &req);
}
