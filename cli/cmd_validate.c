/*
 * vrfctl validate [-j] FILE...: load and check topology files.
 *
 * Every file is read and checked, even after a bad one, and every problem in
 * it is shown at once: the point is to fix them all in one round. A valid
 * file gets a one-line summary on stdout (its warnings go to stderr first);
 * an invalid one gets its diagnostics and a count on stderr. A file that
 * asks for what this kernel cannot make (netem's impairments without
 * sch_netem) is invalid here, as apply would refuse it, and so is one
 * whose link between hosts has a VNI another lab kept here uses.
 */
#include <stdio.h>


#include "engine/host.h"
#include "engine/impair.h"
#include "output.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "vrfctl.h"

static void
validate_summary(const char *file, const struct topo *t,
    const struct diag_list *dl)
{
	char	 r[32], n[32], l[32], rt[32], w[32], h[32], x[48] = "";
	size_t	 cross = 0;

	/* A lab over hosts: how many, and of its links, how many join
	 * two of them. */
	for (size_t i = 0; i < t->n_links; i++)
		cross += topo_link_cross(t, &t->links[i]);
	if (t->n_hosts > 0)
		snprintf(x, sizeof(x), " (%zu between hosts)", cross);
	printf("%s: ok: lab %s, ", file, t->lab);
	if (t->n_hosts > 0)
		printf("%s, ", vrfctl_count(h, sizeof(h), t->n_hosts, "host"));
	printf("%s, %s, %s%s, %s",
	    vrfctl_count(r, sizeof(r), t->n_routers, "router"),
	    vrfctl_count(n, sizeof(n), t->n_ns, "namespace"),
	    vrfctl_count(l, sizeof(l), t->n_links, "link"), x,
	    vrfctl_count(rt, sizeof(rt), topo_count_routes(t), "route"));
	if (dl->n_warnings > 0)
		printf("; %s", vrfctl_count(w, sizeof(w), dl->n_warnings,
		    "warning"));
	printf("\n");
}

/* One file: its result into DOC (-j) or onto the terminal. */
static int
validate_file(const char *file, struct json_object *doc)
{
	struct diag_list	 dl = { 0 };
	struct topo		*t;
	char			 why[512];
	int			 rc;

	rc = vrfctl_topo_read(file, &dl, &t, NULL, NULL);
	/* Valid, but asking what this kernel cannot make (netem)? */
	if (rc == VRFCTL_EXIT_OK) {
		impair_check_host(t, &dl);
		/* A VNI another lab kept here uses, when it is known which
		 * of the lab's hosts this is. */
		if (host_localize(t, NULL, why, sizeof(why)) == 0)
			host_check(t, &dl);
		diag_sort(&dl);
		if (dl.n_errors > 0)
			rc = VRFCTL_EXIT_INVALID;
	}
	if (doc != NULL)
		output_json_files_add(doc, file, t, &dl);
	else if (rc == VRFCTL_EXIT_OK) {
		diag_print(&dl, stderr);
		validate_summary(file, t, &dl);
		/* Keep file order when stdout and stderr share a pipe. */
		fflush(stdout);
	} else
		vrfctl_topo_report(file, &dl);
	if (t != NULL)
		topo_free(t);
	diag_list_free(&dl);
	return rc;
}

int
cmd_validate(struct vrfctl *v, int argc, char **argv)
{
	struct json_object	*doc = NULL;
	int			 c, i, rc, worst = VRFCTL_EXIT_OK;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c;
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return vrfctl_usage_error(v, "no topology file given");

	if (v->json)
		doc = output_json_files();
	for (i = 0; i < argc; i++) {
		rc = validate_file(argv[i], doc);
		/* A file that cannot be read outranks an invalid one. */
		if (rc == VRFCTL_EXIT_FAILED ||
		    (rc != VRFCTL_EXIT_OK && worst == VRFCTL_EXIT_OK))
			worst = rc;
	}
	if (doc != NULL)
		output_json_files_done(doc);
	return worst;
}
