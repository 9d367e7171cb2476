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
#include "kernel/netns.h"
#include "topo/topo.h"
#include "vrfctl.h"

/* iproute2's bind_etc(): every entry of /etc/netns/NAME over /etc. */
static void
exec_bind_etc(struct vrfctl *v, const char *ns)
{
	char		 dir[PATH_MAX], from[PATH_MAX + 256], to[PATH_MAX];
	struct dirent	*de;
	DIR		*d;

	snprintf(dir, sizeof(dir), "/etc/netns/%s", ns);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(from, sizeof(from), "%s/%s", dir, de->d_name);
		snprintf(to, sizeof(to), "/etc/%s", de->d_name);
		if (mount(from, to, "none", MS_BIND, NULL) < 0)
			vrfctl_warnx(v, "bind %s -> %s: %s", from, to,
			    strerror(errno));
	}
	closedir(d);
}

static int
exec_enter(struct vrfctl *v, const char *ns)
{
	int	 fd;

	if ((fd = netns_open(ns)) < 0) {
		vrfctl_warnx(v, "namespace %s: %s", ns, strerror(-fd));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		vrfctl_warnx(v, "setns %s: %s", ns, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	/* Our own mount namespace, not propagating back to the host. */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0) {
		vrfctl_warnx(v, "mount namespace: %s", strerror(errno));
		return -1;
	}
	/* /sys shows the network namespace that mounted it. */
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		vrfctl_warnx(v, "umount /sys: %s", strerror(errno));
	if (mount(ns, "/sys", "sysfs", 0, NULL) < 0)
		vrfctl_warnx(v, "mount /sys: %s", strerror(errno));
	exec_bind_etc(v, ns);
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
