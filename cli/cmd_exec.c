/*
 * cmd_exec: `vrfctl exec [-l LAB] NODE -- CMD...`: run CMD in a node's
 * namespace exactly as `ip netns exec` would: in a mount namespace of its
 * own, with /sys remounted for the network namespace (so /sys/class/net
 * shows its interfaces) and /etc/netns/NAME/ files bound over /etc.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>

#include "engine/engine.h"
#include "engine/services.h"
#include "kernel/netns.h"
#include "kernel/netns_enter.h"
#include "topo/topo.h"
#include "vrfctl.h"

static int
exec_enter(struct vrfctl *v, const char *ns)
{
	char	 err[512], etc[PATH_MAX], node[PATH_MAX + 128];
	char	 run[PATH_MAX];
	int	 rc;

	rc = netns_enter_node(ns, err, sizeof(err));
	if (err[0] != '\0')
		vrfctl_warnx(v, "%s", err);
	if (rc < 0)
		return -1;
	/* A node running FRR: its /etc/frr and /run/frr as plain vtysh
	 * looks for them, so that `vtysh` alone talks to its daemons. */
	services_frr_etc(etc, sizeof(etc));
	if (snprintf(node, sizeof(node), "%s/%s", etc, ns) <
	    (int)sizeof(node) && access(node, F_OK) == 0) {
		snprintf(run, sizeof(run), "%s/%s", SVC_FRR_RUN, ns);
		if (netns_enter_bind(node, "/etc/frr", err, sizeof(err)) < 0 ||
		    netns_enter_bind(run, SVC_FRR_RUN, err, sizeof(err)) < 0)
			vrfctl_warnx(v, "%s", err);
	}
	return 0;
}

int
cmd_exec(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char	 lab[TOPO_NAME_MAX + 1], ns[TOPO_NSNAME_MAX];
	int	 c;

	while ((c = vrfctl_getopt(v, argc, argv, "+hl:", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		case 'l':
			v->lab = optarg;
			break;
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return vrfctl_usage_error(v, "a NODE is needed");
	if (optind + 1 >= argc || strcmp(argv[optind + 1], "--") != 0 ||
	    optind + 2 >= argc)
		return vrfctl_usage_error(v, "give the command after '--'");
	if (v->lab && !topo_valid_name(v->lab))
		return vrfctl_usage_error(v, "'%s' is not a lab name", v->lab);
	if (vrfctl_lab_name(v, lab, sizeof(lab)) < 0)
		return VRFCTL_EXIT_FAILED;
	topo_ns_name(ns, sizeof(ns), lab, argv[optind]);
	if (exec_enter(v, ns) < 0)
		return VRFCTL_EXIT_FAILED;
	argv += optind + 2;
	fflush(stdout);
	execvp(argv[0], argv);
	vrfctl_warnx(v, "%s: %s", argv[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
