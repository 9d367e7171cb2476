/*
 * cmd_status: `vrfctl status [-j] [LAB]`: the labs on this host, found from
 * the marks vrfd leaves in the kernel, and for each namespace whether it
 * matches its topology and how many foreign objects it holds. Through vrfd
 * it also says what the daemon watches and repaired.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "engine/engine.h"
#include "proto/jsonget.h"
#include "topo/topo.h"
#include "vrfctl.h"

static struct json_object *
status_get(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static void
status_render(struct json_object *report)
{
	struct json_object	*labs = status_get(report, "labs");
	size_t			 n = labs ? json_object_array_length(labs) : 0;
	bool			 daemon = false;

	if (n == 0) {
		printf("no labs\n");
		return;
	}
	/* Columns the daemon adds only when it answered. */
	for (size_t k = 0; k < n && !daemon; k++) {
		struct json_object *nss = status_get(
		    json_object_array_get_idx(labs, k), "namespaces");

		if (nss && json_object_array_length(nss) &&
		    status_get(json_object_array_get_idx(nss, 0), "watched"))
			daemon = true;
	}
	printf("%-12s %-24s %-16s %-16s %7s", "LAB", "NAMESPACE", "NODE",
	    "STATE", "FOREIGN");
	if (daemon)
		printf(" %-7s %7s  %s", "WATCHED", "REPAIRS", "LAST DRIFT");
	putchar('\n');
	for (size_t k = 0; k < n; k++) {
		struct json_object *lab = json_object_array_get_idx(labs, k);
		struct json_object *nss = status_get(lab, "namespaces");

		for (size_t j = 0; nss && j < json_object_array_length(nss);
		    j++) {
			struct json_object *ns = json_object_array_get_idx(nss, j);
			struct json_object *d = status_get(ns, "differences");
			struct json_object *ld = status_get(ns, "last_drift");
			char		    state[32];

			if (jsonget_text(ns, "error", "")[0])
				snprintf(state, sizeof(state), "not ours");
			else if (!json_object_get_boolean(status_get(ns,
			    "exists")))
				snprintf(state, sizeof(state), "missing");
			else if (!json_object_get_boolean(status_get(ns,
			    "declared")) && status_get(lab, "topology"))
				snprintf(state, sizeof(state), "undeclared");
			else if (d == NULL)
				snprintf(state, sizeof(state), "unknown");
			else if (json_object_get_int64(d) == 0)
				snprintf(state, sizeof(state), "converged");
			else
				snprintf(state, sizeof(state), "%lld differ%s",
				    (long long)json_object_get_int64(d),
				    json_object_get_int64(d) == 1 ?
				    "ence" : "ences");
			printf("%-12s %-24s %-16s %-16s %7lld",
			    jsonget_text(lab, "lab", ""),
			    jsonget_text(ns, "namespace", ""),
			    jsonget_text(ns, "node", ""), state, (long long)
			    json_object_get_int64(status_get(ns, "foreign")));
			if (daemon)
				printf(" %-7s %7lld  %s",
				    json_object_get_boolean(status_get(ns,
				    "watched")) ? "yes" : "no",
				    (long long)json_object_get_int64(
				    status_get(ns, "repairs")),
				    ld ? jsonget_text(ld, "what", "") : "-");
			putchar('\n');
		}
		if (!status_get(lab, "topology"))
			printf("%s: no stored topology: apply it again to "
			    "compare\n", jsonget_text(lab, "lab", ""));
	}
}

int
cmd_status(struct vrfctl *v, int argc, char **argv)
{
	struct json_object	*req, *report, *labs;
	const char		*lab = NULL;
	bool			 all_ok = true;
	int			 c, rc;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c;
	if (optind < argc)
		lab = argv[optind++];
	if (optind < argc)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[optind]);
	if (lab && !topo_valid_name(lab))
		return vrfctl_usage_error(v, "'%s' is not a lab name", lab);
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("status"));
	json_object_object_add(req, "lab",
	    lab ? json_object_new_string(lab) : NULL);
	if ((rc = vrfctl_daemon(v, req, &report, NULL, NULL, NULL)) > 0)
		return rc;
	if (rc < 0)
		report = engine_status(lab);
	if (v->json)
		vrfctl_json_print(report);
	else
		status_render(report);
	labs = status_get(report, "labs");
	for (size_t k = 0; labs && k < json_object_array_length(labs); k++)
		if (!json_object_get_boolean(status_get(
		    json_object_array_get_idx(labs, k), "converged")))
			all_ok = false;
	rc = lab && (!labs || json_object_array_length(labs) == 0) ?
	    VRFCTL_EXIT_FAILED : all_ok ? VRFCTL_EXIT_OK : VRFCTL_EXIT_FAILED;
	if (lab && (!labs || json_object_array_length(labs) == 0))
		vrfctl_warnx(v, "no lab '%s' on this host", lab);
	json_object_put(report);
	return rc;
}
