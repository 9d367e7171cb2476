/*
 * cmd_logs: `vrfctl logs [-f] [-l LAB] NODE [SERVICE]`: what a node's
 * services wrote (engine/services.h: /run/vrfd/svc/NAMESPACE/NAME.log),
 * and its `exec:` commands (exec.log) and FRR's configuration load
 * (vtysh.log). With -f, followed as `tail -f` follows it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/services.h"
#include "topo/topo.h"
#include "vrfctl.h"

static int
logs_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The log files of namespace NS (of SERVICE only, unless NULL). */
static int
logs_files(const char *ns, const char *service, char ***files, size_t *n)
{
	char		 dir[PATH_MAX], *p;
	struct dirent	*de;
	size_t		 len;
	char		**v;
	DIR		*d;

	*files = NULL;
	*n = 0;
	snprintf(dir, sizeof(dir), "%s/%s", SVC_RUN_DIR, ns);
	if ((d = opendir(dir)) == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".log") != 0)
			continue;
		if (service != NULL && (len - 4 != strlen(service) ||
		    strncmp(de->d_name, service, len - 4) != 0))
			continue;
		if ((v = reallocarray(*files, *n + 1, sizeof(*v))) == NULL ||
		    asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
			closedir(d);
			return -ENOMEM;
		}
		*files = v;
		v[(*n)++] = p;
	}
	closedir(d);
	qsort(*files, *n, sizeof(**files), logs_cmp);
	return 0;
}

static int
logs_cat(const char *path, bool header)
{
	char	 buf[8192];
	size_t	 r;
	FILE	*f;

	if ((f = fopen(path, "re")) == NULL)
		return -errno;
	if (header)
		printf("==> %s <==\n", path);
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, r, stdout);
	fclose(f);
	return 0;
}

int
cmd_logs(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "follow", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	char		 lab[TOPO_NAME_MAX + 1], ns[TOPO_NSNAME_MAX];
	char		**files, **targv;
	const char	*service = NULL;
	bool		 follow = false;
	size_t		 n, k;
	int		 c, rc;

	while ((c = vrfctl_getopt(v, argc, argv, "hfl:", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		case 'f':
			follow = true;
			break;
		case 'l':
			v->lab = optarg;
			break;
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return vrfctl_usage_error(v, argc - optind < 1 ?
		    "a NODE is needed" : "unexpected argument '%s'",
		    argv[optind + 2]);
	if (argc - optind == 2)
		service = argv[optind + 1];
	if (vrfctl_lab_name(v, lab, sizeof(lab)) < 0)
		return VRFCTL_EXIT_FAILED;
	topo_ns_name(ns, sizeof(ns), lab, argv[optind]);
	if ((rc = logs_files(ns, service, &files, &n)) < 0 || n == 0) {
		if (rc == -ENOMEM)
			vrfctl_warnx(v, "out of memory");
		else if (service != NULL)
			vrfctl_warnx(v, "%s runs no service %s (no %s/%s/%s.log)",
			    argv[optind], service, SVC_RUN_DIR, ns, service);
		else
			vrfctl_warnx(v, "%s runs nothing that logs (no logs "
			    "in %s/%s)", argv[optind], SVC_RUN_DIR, ns);
		return VRFCTL_EXIT_FAILED;
	}
	if (follow) {
		/* tail does following well: its headers, its rotation. */
		if ((targv = calloc(n + 5, sizeof(*targv))) == NULL)
			return VRFCTL_EXIT_FAILED;
		targv[0] = "tail";
		targv[1] = "-n";
		targv[2] = "+1";
		targv[3] = "-F";
		for (k = 0; k < n; k++)
			targv[4 + k] = files[k];
		fflush(stdout);
		execvp("tail", targv);
		vrfctl_warnx(v, "tail: %s", strerror(errno));
		return VRFCTL_EXIT_FAILED;
	}
	for (k = 0, rc = 0; k < n; k++) {
		if (logs_cat(files[k], n > 1) < 0)
			rc = VRFCTL_EXIT_FAILED;
		free(files[k]);
	}
	free(files);
	return rc;
}
