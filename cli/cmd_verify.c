/*
 * cmd_verify: `vrfctl verify [-j] [--wait SECONDS] FILE|LAB`: judge the
 * topology's `expect:` list by trace and by probe (engine/verify.c). Exit
 * 0 when every expectation holds, 1 when one fails. --wait repeats until
 * all hold or the time is up: the gate for a lab whose routing daemons
 * must converge first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/state.h"
#include "engine/verify.h"
#include "kernel/clock.h"
#include "kernel/netns.h"
#include "output_trace.h"
#include "topo/topo.h"
#include "vrfctl.h"

#define VERIFY_PROBE_MS		1000
#define VERIFY_WAIT_MAX		86400

enum {
	VERIFY_OPT_WAIT = 256,
	VERIFY_OPT_HOST,
};

/* Has T a link between hosts with an end here, to probe? */
static bool
verify_has_tunnels(const struct topo *t)
{
	for (size_t i = 0; i < t->n_links; i++)
		if (topo_link_cross(t, &t->links[i]))
			return true;
	return false;
}

/* Does any namespace of T (of this host's) exist? If none does, every
 * expectation would fail for the same reason: one line says it better. */
static bool
verify_applied(const struct topo *t)
{
	size_t	 i;

	for (i = 0; i < t->n_ns; i++)
		if (!t->ns[i].remote && netns_id(t->ns[i].name) != 0)
			return true;
	return false;
}

int
cmd_verify(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "wait", required_argument, NULL, VERIFY_OPT_WAIT },
		{ "host", required_argument, NULL, VERIFY_OPT_HOST },
		{ NULL, 0, NULL, 0 },
	};
	struct verify	 res;
	struct topo	*topo = NULL;
	const char	*file;
	char		 path[4096], *end;
	double		 wait = 0, deadline;
	unsigned	 rounds = 0;
	int		 c, rc;

	while ((c = vrfctl_getopt(v, argc, argv, "hj", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		case 'j':
			v->json = true;
			break;
		case VERIFY_OPT_WAIT:
			errno = 0;
			wait = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(wait >= 0 && wait <= VERIFY_WAIT_MAX))
				return vrfctl_usage_error(v, "--wait: expected "
				    "seconds from 0 to %d, got '%s'",
				    VERIFY_WAIT_MAX, optarg);
			break;
		case VERIFY_OPT_HOST:
			if ((rc = vrfctl_host_opt(v, optarg)) >= 0)
				return rc;
			break;
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return vrfctl_usage_error(v, argc == optind ?
		    "a topology FILE or a LAB is needed" :
		    "unexpected argument '%s'", argv[optind + 1]);
	if ((rc = vrfctl_file_or_lab(v, argv[optind], path, sizeof(path),
	    &file)) != 0)
		return rc;
	if ((rc = vrfctl_topo_open(v, file, &topo, NULL, NULL)) != 0)
		return rc;
	/* A lab spread over hosts: this host's part, its tunnels. */
	if ((rc = vrfctl_topo_host(v, file, topo, false)) != 0) {
		topo_free(topo);
		return rc;
	}
	if (topo->n_expects == 0 && !verify_has_tunnels(topo)) {
		vrfctl_warnx(v, "%s has no expect: list to verify", file);
		topo_free(topo);
		return VRFCTL_EXIT_FAILED;
	}
	if (geteuid() != 0) {
		vrfctl_warnx(v, "verify probes from inside the lab's "
		    "namespaces: run it as root");
		topo_free(topo);
		return VRFCTL_EXIT_FAILED;
	}
	if (!verify_applied(topo)) {
		vrfctl_warnx(v, "lab %s is not applied on this host: none of "
		    "its namespaces exists", topo->lab);
		topo_free(topo);
		return VRFCTL_EXIT_FAILED;
	}
	deadline = clock_mono() + wait;
	for (;;) {
		double	 started = clock_mono();

		rounds++;
		if (verify_run(topo, VERIFY_PROBE_MS, &res) < 0) {
			vrfctl_warnx(v, "out of memory");
			topo_free(topo);
			return VRFCTL_EXIT_FAILED;
		}
		res.rounds = rounds;
		if (verify_ok(&res) || clock_mono() >= deadline)
			break;
		verify_free(&res);
		/* A round a second at most: probes of a round that failed
		 * fast (no route yet) are not a busy loop. */
		if (clock_mono() - started < 1.0)
			usleep((useconds_t)((1.0 - (clock_mono() - started)) *
			    1e6));
	}
	/* What the tunnels' probes found, for status. */
	if (verify_keep(topo, &res) < 0)
		vrfctl_warnx(v, "cannot keep the tunnels' probes in %s",
		    state_dir());
	if (v->json)
		output_print_json(output_verify_json(topo->lab, &res));
	else
		output_verify_text(stdout, topo->lab, &res);
	rc = verify_ok(&res) ? VRFCTL_EXIT_OK : VRFCTL_EXIT_FAILED;
	verify_free(&res);
	topo_free(topo);
	return rc;
}
