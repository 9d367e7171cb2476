/*
 * cmd_status: `vrfctl status [-j] [LAB]`: the labs on this host, found from
 * the marks vrfd leaves in the kernel, and for each namespace whether it
 * matches its topology and how many foreign objects it holds. Through vrfd
 * it also says what the daemon watches and repaired.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "output.h"
#include "proto/ctl_msg.h"
#include "topo/topo.h"
#include "vrfctl.h"

int
cmd_status(struct vrfctl *v, int argc, char **argv)
{
	struct ctl_request	 req = { .cmd = CTL_STATUS };
	struct ctl_reply	 reply;
	struct status		*st;
	bool			 all_ok = true;
	int			 c, rc;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c;
	if (optind < argc)
		req.lab = argv[optind++];
	if (optind < argc)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[optind]);
	if (req.lab && !topo_valid_name(req.lab))
		return vrfctl_usage_error(v, "'%s' is not a lab name", req.lab);
	if ((rc = vrfctl_ask(v, &req, &reply, NULL, NULL)) == 0) {
		if (!reply.ok) {
			vrfctl_warnx(v, "vrfd: %s", reply.error);
			ctl_reply_clear(&reply);
			return VRFCTL_EXIT_FAILED;
		}
		st = reply.status;
		reply.status = NULL;
		ctl_reply_clear(&reply);
	} else if (rc != VRFCTL_NO_DAEMON || (rc = vrfctl_alone(v)) != 0)
		return rc;
	else if ((st = engine_status(req.lab)) == NULL) {
		vrfctl_warnx(v, "%s", strerror(errno));
		return VRFCTL_EXIT_FAILED;
	}
	vrfctl_output(v)->status(st);
	for (size_t k = 0; k < st->n_labs; k++)
		all_ok &= st->labs[k].converged;
	rc = all_ok ? VRFCTL_EXIT_OK : VRFCTL_EXIT_FAILED;
	if (req.lab && st->n_labs == 0) {
		vrfctl_warnx(v, "no lab '%s' on this host", req.lab);
		rc = VRFCTL_EXIT_FAILED;
	}
	status_free(st);
	return rc;
}
