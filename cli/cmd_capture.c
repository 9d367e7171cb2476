/*
 * cmd_capture: `vrfctl capture [-l LAB] [-w FILE] [-c COUNT] [LAB]
 * NODE:IF [EXPRESSION...]`: tcpdump on one interface of a node, run in
 * the node's namespace as `vrfctl exec` runs a command there.
 *
 * Without -w, tcpdump's text, a line a packet; with -w FILE, a pcap file;
 * -w - writes the pcap to stdout, a packet at a time, for
 * `| wireshark -k -i -`. EXPRESSION is tcpdump's filter ("icmp",
 * "not port 179"). The lab is the operand before NODE:IF, or -l LAB, or
 * the only lab of this host.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/netns_enter.h"
#include "topo/topo.h"
#include "vrfctl.h"

#define CAPTURE_ARGS_MAX	64

/* tcpdump's path, found where Debian puts it even when sbin is not in
 * PATH; NULL if it is not installed. */
static const char *
capture_tcpdump(char *buf, size_t len)
{
	static const char *const dirs[] = { "/usr/bin", "/usr/sbin", "/bin",
	    "/sbin" };
	const char	*path = getenv("PATH");
	char		*copy, *dir, *save = NULL;

	if (path != NULL && (copy = strdup(path)) != NULL) {
		for (dir = strtok_r(copy, ":", &save); dir != NULL;
		    dir = strtok_r(NULL, ":", &save)) {
			snprintf(buf, len, "%s/tcpdump", dir[0] ? dir : ".");
			if (access(buf, X_OK) == 0) {
				free(copy);
				return buf;
			}
		}
		free(copy);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, len, "%s/tcpdump", dirs[i]);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

int
cmd_capture(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char		 lab[TOPO_NAME_MAX + 1], ns[TOPO_NSNAME_MAX];
	char		 node[2 * TOPO_NAME_MAX + 2], ifname[IFNAMSIZ];
	char		 tcpdump[PATH_MAX], err[512], *colon;
	const char	*file = NULL, *count = NULL, *spec;
	char		*args[CAPTURE_ARGS_MAX];
	int		 c, n = 0, rc;

	while ((c = vrfctl_getopt(v, argc, argv, "hl:w:c:", longopts)) !=
	    -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		case 'l':
			v->lab = optarg;
			break;
		case 'w':
			file = optarg;
			break;
		case 'c':
			count = optarg;
			if (strspn(count, "0123456789") != strlen(count) ||
			    count[0] == '\0' || count[0] == '0')
				return vrfctl_usage_error(v, "-c takes a count "
				    "of packets, got '%s'", count);
			break;
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	/* LAB NODE:IF, or NODE:IF: a node's interface has a colon. */
	if (argc > 0 && strchr(argv[0], ':') == NULL) {
		if (v->lab != NULL)
			return vrfctl_usage_error(v, "the lab is given twice "
			    "(-l %s and %s)", v->lab, argv[0]);
		v->lab = argv[0];
		argc--;
		argv++;
	}
	if (argc == 0)
		return vrfctl_usage_error(v, "a NODE:IF is needed, such as "
		    "r1:eth0");
	spec = argv[0];
	colon = strchr(spec, ':');
	if (colon == NULL || colon == spec ||
	    (size_t)(colon - spec) >= sizeof(node) ||
	    !topo_valid_ifname(colon + 1))
		return vrfctl_usage_error(v, "'%s' is not NODE:IF, such as "
		    "r1:eth0", spec);
	snprintf(node, sizeof(node), "%.*s", (int)(colon - spec), spec);
	snprintf(ifname, sizeof(ifname), "%s", colon + 1);
	if (argc - 1 > CAPTURE_ARGS_MAX - 16)
		return vrfctl_usage_error(v, "too long an expression");
	if (capture_tcpdump(tcpdump, sizeof(tcpdump)) == NULL) {
		vrfctl_warnx(v, "tcpdump is not installed: install the Debian "
		    "package tcpdump (apt-get install tcpdump)");
		return VRFCTL_EXIT_FAILED;
	}
	if (vrfctl_lab_name(v, lab, sizeof(lab)) < 0)
		return VRFCTL_EXIT_FAILED;
	topo_ns_name(ns, sizeof(ns), lab, node);
	if ((rc = netns_enter_node(ns, err, sizeof(err))) < 0) {
		if (rc == -ENOENT || rc == -EINVAL)
			vrfctl_warnx(v, "no node %s in lab %s (no namespace %s)",
			    node, lab, ns);
		else
			vrfctl_warnx(v, "%s", err);
		return VRFCTL_EXIT_FAILED;
	}
	if (err[0] != '\0')
		vrfctl_warnx(v, "%s", err);
	if (if_nametoindex(ifname) == 0) {
		vrfctl_warnx(v, "node %s of lab %s has no interface %s", node,
		    lab, ifname);
		return VRFCTL_EXIT_FAILED;
	}

	/* -Z root: Debian's tcpdump would write FILE as user tcpdump,
	 * where it may not. -U: each packet as it comes, for a pipe. */
	args[n++] = "tcpdump";
	args[n++] = "-n";
	args[n++] = "-i";
	args[n++] = ifname;
	if (file != NULL) {
		args[n++] = "-U";
		args[n++] = "-Z";
		args[n++] = "root";
		args[n++] = "-w";
		args[n++] = (char *)file;
	} else
		args[n++] = "-l";
	if (count != NULL) {
		args[n++] = "-c";
		args[n++] = (char *)count;
	}
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fflush(stdout);
	execv(tcpdump, args);
	vrfctl_warnx(v, "%s: %s", tcpdump, strerror(errno));
	return VRFCTL_EXIT_FAILED;
}
