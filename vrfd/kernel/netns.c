/*
 * netns: named network namespaces, iproute2's recipe (ip/ipnetns.c,
 * lib/namespace.c) without a process per operation.
 *
 * /run/netns is made a shared mount point once, so the bind mounts made on
 * its files propagate to every mount namespace (ip netns exec, systemd
 * units). A namespace is then a file there with the namespace bind-mounted
 * on it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "netns.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC	0x6e736673
#endif

#define NETNS_SELF	"/proc/thread-self/ns/net"

static bool	netns_dir_ready;

static int
netns_path(const char *name, char *buf, size_t len)
{
	int	n;

	/* No path tricks, and no dotfiles: netns_list hides those. */
	if (name == NULL || name[0] == '\0' || name[0] == '.' ||
	    strchr(name, '/') != NULL)
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Make NETNS_RUN_DIR exist and be a shared mount point. The lock is a flock
 * on the directory itself: a lock file inside it would show up in
 * `ip netns list`. Bind-mounting the directory on itself keeps its inode,
 * so everyone locks the same one.
 */
static int
netns_prepare_dir(void)
{
	int	dfd, rc = 0;
	bool	bound = false;

	if (netns_dir_ready)
		return 0;
	if (mkdir(NETNS_RUN_DIR, 0755) == -1 && errno != EEXIST)
		return -errno;
	if ((dfd = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
	    == -1)
		return -errno;
	while (flock(dfd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			rc = -errno;
			goto out;
		}
	}
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL)
	    == -1) {
		/* EINVAL: not a mount point yet. Make it one, once. */
		if (errno != EINVAL || bound) {
			rc = -errno;
			goto out;
		}
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none",
		    MS_BIND | MS_REC, NULL) == -1) {
			rc = -errno;
			goto out;
		}
		bound = true;
	}
	netns_dir_ready = true;
 out:
	close(dfd);	/* drops the lock */
	return rc;
}

int
netns_create(const char *name)
{
	char	path[PATH_MAX];
	int	fd, saved, rc;

	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	if ((rc = netns_prepare_dir()) < 0)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0))
	    == -1)
		return -errno;
	close(fd);

	if ((saved = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1) {
		rc = -errno;
		unlink(path);
		return rc;
	}
	if (unshare(CLONE_NEWNET) == -1) {
		rc = -errno;
		goto fail;
	}
	if (mount(NETNS_SELF, path, "none", MS_BIND, NULL) == -1)
		rc = -errno;
	/* Back where we came from, whatever happened: this may be the
	 * daemon's main thread. A failure here is the caller's to see. */
	if (setns(saved, CLONE_NEWNET) == -1) {
		int	err = -errno;

		if (rc == 0)
			umount2(path, MNT_DETACH);
		rc = err;
		goto fail;
	}
	close(saved);
	if (rc < 0)
		unlink(path);
	return rc;
 fail:
	close(saved);
	unlink(path);
	return rc;
}

int
netns_delete(const char *name)
{
	char	path[PATH_MAX];
	int	rc;

	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	/* EINVAL: not mounted (a half-made namespace); remove the file. */
	if (umount2(path, MNT_DETACH) == -1 && errno != EINVAL)
		return -errno;
	if (unlink(path) == -1)
		return -errno;
	return 0;
}

int
netns_open(const char *name)
{
	char		path[PATH_MAX];
	struct statfs	sfs;
	int		fd, rc;

	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	/* A file left behind by a failed create is not a namespace. */
	if (fstatfs(fd, &sfs) == -1 || sfs.f_type != NSFS_MAGIC) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

static int
netns_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
netns_list(char ***names, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL, **nv;
	size_t		 nv_len = 0, cap = 0;
	int		 rc = 0;

	*names = NULL;
	*n = 0;
	if ((d = opendir(NETNS_RUN_DIR)) == NULL)
		return errno == ENOENT ? 0 : -errno;
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			rc = -errno;
			break;
		}
		if (de->d_name[0] == '.' || de->d_type == DT_DIR)
			continue;
		if (nv_len == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = -ENOMEM;
				break;
			}
			v = nv;
		}
		if ((v[nv_len] = strdup(de->d_name)) == NULL) {
			rc = -ENOMEM;
			break;
		}
		nv_len++;
	}
	closedir(d);
	if (rc < 0) {
		netns_list_free(v, nv_len);
		return rc;
	}
	if (nv_len > 1)
		qsort(v, nv_len, sizeof(*v), netns_cmp);
	*names = v;
	*n = nv_len;
	return 0;
}

void
netns_list_free(char **names, size_t n)
{
	size_t	i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
netns_enter(int nsfd, int *saved)
{
	int	fd, rc;

	if ((fd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (setns(nsfd, CLONE_NEWNET) == -1) {
		rc = -errno;
		close(fd);
		return rc;
	}
	*saved = fd;
	return 0;
}

int
netns_switch(int nsfd)
{
	return setns(nsfd, CLONE_NEWNET) == -1 ? -errno : 0;
}

int
netns_leave(int saved)
{
	int	rc = 0;

	if (setns(saved, CLONE_NEWNET) == -1)
		rc = -errno;
	close(saved);
	return rc;
}
