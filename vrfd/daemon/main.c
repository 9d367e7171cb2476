/*
 * vrfd: keeps virtual router labs as their topologies say. The flags, then
 * daemon_main() (daemon.c); see vrfd(8).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/conf.h"
#include "topo/topo.h"
#include "daemon.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: vrfd [-v] [-s SOCKET] [-d STATEDIR] [-c CONF] "
	    "[-D SUBSYS,...] [--host NAME] [--syslog]\n"
	    "       vrfd -h | --help | --version\n"
	    "\n"
	    "  -s SOCKET     control socket (default %s)\n"
	    "  -d STATEDIR   where kept topologies live (default "
	    "/var/lib/vrfd)\n"
	    "  -c CONF       configuration file (default %s)\n"
	    "  -v            log more (twice: debug everything)\n"
	    "  -D SUBSYS,... debug these subsystems (watch, repair, control; "
	    "all)\n"
	    "  --host NAME   which host of a lab spread over several this "
	    "is\n"
	    "  --syslog      log to syslog instead of stderr\n",
	    CONF_SOCKET_DEFAULT, CONF_FILE_DEFAULT);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "host", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_args	 a = { 0 };
	int			 c;

	while ((c = getopt_long(argc, argv, "c:D:d:hs:v", longopts, NULL))
	    != -1) {
		switch (c) {
		case 'c':
			a.conf_file = optarg;
			a.conf_given = true;
			break;
		case 'D':
			a.debug = optarg;
			break;
		case 'd':
			a.state_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'H':
			if (!topo_valid_name(optarg)) {
				fprintf(stderr, "vrfd: --host: '%s' is not a "
				    "host name\n", optarg);
				return 2;
			}
			a.host = optarg;
			break;
		case 's':
			a.socket = optarg;
			break;
		case 'S':
			a.syslog = true;
			break;
		case 'V':
			printf("vrfd %s\n", VRFD_VERSION);
			return 0;
		case 'v':
			a.verbose++;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vrfd: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		return 2;
	}
	return daemon_main(&a);
}
