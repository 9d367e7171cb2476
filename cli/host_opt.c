/*
 * host_opt: --host, for a lab spread over several hosts (vrf-topology(5)
 * `hosts:`): which of them this vrfctl speaks for. Given before the
 * command (`vrfctl --host b status`) or after it (`vrfctl apply --host b
 * lab.yaml`); vrfd.conf's `host` when not given; else each lab's host is
 * the one it was applied as here, or the one whose underlay address is
 * this host's (engine/host.h).
 */
#include <stdio.h>
#include <string.h>

#include "engine/host.h"
#include "output.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "vrfctl.h"

int
vrfctl_host_opt(struct vrfctl *v, const char *name)
{
	if (!topo_valid_name(name) || strlen(name) > TOPO_NAME_MAX)
		return vrfctl_usage_error(v, "--host: '%s' is not a host name",
		    name);
	v->host = name;
	host_set(name);
	return -1;
}

int
vrfctl_topo_host(struct vrfctl *v, const char *file, struct topo *t,
    bool check)
{
	struct diag_list	 dl = { 0 };
	int			 rc;

	if (host_localize_diag(t, NULL, &dl) == 0 && check)
		host_check(t, &dl);
	rc = vrfctl_topo_errors(v, file, t, &dl);
	diag_list_free(&dl);
	return rc;
}

int
vrfctl_topo_errors(struct vrfctl *v, const char *file, const struct topo *t,
    struct diag_list *dl)
{
	struct json_object	*doc;

	if (dl->n_errors == 0)
		return VRFCTL_EXIT_OK;
	diag_sort(dl);
	if (v->json) {
		doc = output_json_files();
		output_json_files_add(doc, file, t, dl);
		output_json_files_done(doc);
	} else
		vrfctl_topo_report(file, dl);
	return VRFCTL_EXIT_INVALID;
}
