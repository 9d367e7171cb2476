/*
 * netns_enter: into a node as `ip netns exec` goes (see netns_enter.h;
 * iproute2's netns_switch() and bind_etc()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>

#include "netns.h"
#include "netns_enter.h"

/* iproute2's bind_etc(): every entry of /etc/netns/NAME over /etc. */
static void
netns_enter_etc(const char *name, char *err, size_t len)
{
	char		 dir[PATH_MAX], from[PATH_MAX + 256], to[PATH_MAX];
	struct dirent	*de;
	DIR		*d;

	snprintf(dir, sizeof(dir), "/etc/netns/%s", name);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(from, sizeof(from), "%s/%s", dir, de->d_name);
		snprintf(to, sizeof(to), "/etc/%s", de->d_name);
		if (mount(from, to, "none", MS_BIND, NULL) < 0)
			snprintf(err, len, "bind %s -> %s: %s", from, to,
			    strerror(errno));
	}
	closedir(d);
}

int
netns_enter_node(const char *name, char *err, size_t len)
{
	int	 fd, e;

	if (len > 0)
		err[0] = '\0';
	if ((fd = netns_open(name)) < 0) {
		snprintf(err, len, "namespace %s: %s", name, strerror(-fd));
		return fd;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		e = errno;
		snprintf(err, len, "setns %s: %s", name, strerror(e));
		close(fd);
		return -e;
	}
	close(fd);
	/* A mount namespace of its own, not propagating back to the host. */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0) {
		e = errno;
		snprintf(err, len, "mount namespace: %s", strerror(e));
		return -e;
	}
	/* /sys shows the network namespace that mounted it. */
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		snprintf(err, len, "umount /sys: %s", strerror(errno));
	if (mount(name, "/sys", "sysfs", 0, NULL) < 0)
		snprintf(err, len, "mount /sys: %s", strerror(errno));
	netns_enter_etc(name, err, len);
	return 0;
}

int
netns_enter_bind(const char *from, const char *to, char *err, size_t len)
{
	int	 e;

	if (mount(from, to, "none", MS_BIND, NULL) < 0) {
		e = errno;
		snprintf(err, len, "bind %s -> %s: %s", from, to, strerror(e));
		return -e;
	}
	return 0;
}
