/*
 * lab_pick: which lab a command acts on, and its kept topology: `-l LAB`,
 * or the only lab of this host; a FILE|LAB operand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/state.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "vrfctl.h"

int
vrfctl_lab_name(struct vrfctl *v, char *buf, size_t len)
{
	char	**labs;
	size_t	  n, k;
	int	  rv;

	if (v->lab) {
		if (!topo_valid_name(v->lab)) {
			vrfctl_warnx(v, "'%s' is not a lab name", v->lab);
			return -1;
		}
		snprintf(buf, len, "%s", v->lab);
		return 0;
	}
	if ((rv = engine_find_labs(&labs, &n)) < 0) {
		vrfctl_warnx(v, "cannot list labs: %s", strerror(-rv));
		return -1;
	}
	if (n == 1)
		snprintf(buf, len, "%s", labs[0]);
	else if (n == 0)
		vrfctl_warnx(v, "no lab on this host");
	else
		vrfctl_warnx(v, "%zu labs on this host: name one with -l LAB",
		    n);
	for (k = 0; k < n; k++)
		free(labs[k]);
	free(labs);
	return n == 1 ? 0 : -1;
}

const char *
vrfctl_lab_operand(const char *arg)
{
	struct stat	 st;

	if (stat(arg, &st) == 0 && !S_ISDIR(st.st_mode))
		return NULL;
	/* No lab's name either: a file, whose reading says what is wrong. */
	if (!topo_valid_name(arg) || strlen(arg) > TOPO_NAME_MAX)
		return NULL;
	return arg;
}

int
vrfctl_file_or_lab(struct vrfctl *v, const char *arg, char *path, size_t len,
    const char **file)
{
	*file = arg;
	if (vrfctl_lab_operand(arg) == NULL)
		return 0;
	state_lab_path(arg, path, len);
	if (access(path, F_OK) == 0) {
		*file = path;
		return 0;
	}
	vrfctl_warnx(v, "'%s' is not a file, and no topology of a lab %s is "
	    "kept (no %s)", arg, arg, path);
	return VRFCTL_EXIT_FAILED;
}

int
vrfctl_lab_topo(struct vrfctl *v, const char *lab, struct topo **tp)
{
	char	 path[4096];

	state_lab_path(lab, path, sizeof(path));
	if (access(path, R_OK) < 0) {
		if (errno == ENOENT)
			vrfctl_warnx(v, "lab %s is not applied on this host "
			    "(no kept topology: %s)", lab, path);
		else
			vrfctl_warnx(v, "lab %s: %s: %s", lab, path,
			    strerror(errno));
		return VRFCTL_EXIT_FAILED;
	}
	return vrfctl_topo_open(v, path, tp, NULL, NULL);
}
