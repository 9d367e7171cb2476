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
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include <libmnl/libmnl.h>

#include "netns.h"
#include "nl.h"
#include "nl_codec.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC	0x6e736673
#endif

#define NETNS_SELF	"/proc/thread-self/ns/net"

/* The device of nsfs, the one filesystem every namespace is an inode
 * of: learned from the first file netns_open finds to be one (its
 * magic), 0 until then. */
static dev_t	netns_nsfs_dev;

/* Passes run on several threads: the first to need it prepares the
 * directory, the others wait for it. */
static pthread_mutex_t	netns_dir_lock = PTHREAD_MUTEX_INITIALIZER;
static bool		netns_dir_ready;

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
netns_prepare_dir_locked(void)
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

static int
netns_prepare_dir(void)
{
	int	rc;

	pthread_mutex_lock(&netns_dir_lock);
	rc = netns_prepare_dir_locked();
	pthread_mutex_unlock(&netns_dir_lock);
	return rc;
}

int
netns_mark(struct nl_sock *sock, const char *mark)
{
	char		 buf[512] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct ks_link	 lo;

	memset(&lo, 0, sizeof(lo));
	lo.up = true;
	snprintf(lo.alias, sizeof(lo.alias), "%s", mark);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	/* The loopback is ifindex 1 in every namespace. */
	nl_link_put_set(nlh, 1, &lo, NL_LINK_SET_UP | NL_LINK_SET_MARK, 0);
	return nl_request(sock, nlh, NULL, 0);
}

/* All of TEXT into FD. 0 or -errno. */
static int
netns_file_write(int fd, const char *text)
{
	size_t	 len = strlen(text);
	ssize_t	 n;

	while ((n = write(fd, text, len)) == -1 && errno == EINTR)
		;
	if (n < 0 || (size_t)n != len)
		return n < 0 ? -errno : -EIO;
	return 0;
}

/*
 * Create PATH (in NETNS_RUN_DIR) holding TEXT, exclusively, and whole:
 * the text goes into a file with no name there (O_TMPFILE), which is
 * then given PATH (linkat fails if PATH is there), so that a kill at any
 * moment leaves no file or one that carries the mark. Created and then
 * written, a kill in between left an empty file, nobody's by its text
 * (t_kill_midway found one). Where the file system has no O_TMPFILE,
 * created and then written.
 */
static int
netns_file_create(const char *path, const char *text)
{
	char	 proc[64];
	int	 fd, rc;

	fd = open(NETNS_RUN_DIR, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0444);
	if (fd == -1 && errno != EOPNOTSUPP && errno != EISDIR &&
	    errno != EINVAL)
		return -errno;
	if (fd == -1) {
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0444)) == -1)
			return -errno;
		rc = netns_file_write(fd, text);
		if (close(fd) == -1 && rc == 0)
			rc = -errno;
		if (rc < 0)
			unlink(path);
		return rc;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((rc = netns_file_write(fd, text)) == 0 &&
	    linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == -1)
		rc = -errno;
	close(fd);
	return rc;
}

/*
 * The calling thread's network namespace, as a descriptor: asked of a
 * socket made here, not opened by its /proc path. A path is looked up
 * only between the kernel's changes to the mount table, and a process
 * ending with its own copy of it (every `ip -n` does: a copy of the
 * thousands of names under /run/netns) changes it for milliseconds: a
 * repair entering a namespace then would wait for it once more. (Not
 * for a bind mount's source, which must be a path: netns_create.)
 */
static int
netns_self(void)
{
	int	s, fd;

	if ((s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) >= 0) {
		fd = ioctl(s, SIOCGSKNS);
		close(s);
		if (fd >= 0)
			return fd;
	}
	/* Not allowed there (CAP_NET_ADMIN): by its path, then. */
	return open(NETNS_SELF, O_RDONLY | O_CLOEXEC);
}

int
netns_create(const char *name, const char *mark, int *nsfd,
    struct nl_sock **sockp)
{
	char		 path[PATH_MAX], full[KS_ALIAS_MAX], text[KS_ALIAS_MAX + 2];
	char		 place[24];
	struct nl_sock	*sock = NULL;
	int		 saved, fd = -1, rc, err;

	if (nsfd)
		*nsfd = -1;
	if (sockp)
		*sockp = NULL;
	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	if ((rc = netns_prepare_dir()) < 0 ||
	    (rc = netns_place(place, sizeof(place))) < 0)
		return rc;
	/* Where it is named, in its mark: see own.h. */
	snprintf(full, sizeof(full), "%s in=%s", mark, place);
	if ((saved = netns_self()) == -1)
		return -errno;
	if (unshare(CLONE_NEWNET) == -1) {
		rc = -errno;
		close(saved);
		return rc;
	}
	/* In the new namespace, which only this thread holds: mark it,
	 * keep a handle, then give it its name. Until the bind mount it
	 * dies with the thread's way back. */
	snprintf(text, sizeof(text), "%s\n", full);
	if ((sock = nl_open(-1)) == NULL)
		rc = -errno;
	else if ((rc = netns_mark(sock, full)) == 0 &&
	    (fd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1)
		rc = -errno;
	if (rc == 0 && (rc = netns_file_create(path, text)) == 0 &&
	    mount(NETNS_SELF, path, "none", MS_BIND, NULL) == -1) {
		rc = -errno;
		unlink(path);
	}
	/* Back where we came from, whatever happened: a thread going on in
	 * a lab's namespace would act on the wrong objects. */
	if (setns(saved, CLONE_NEWNET) == -1) {
		err = errno;
		close(saved);
		if (rc == 0) {
			umount2(path, MNT_DETACH);
			unlink(path);
		}
		nl_close(sock);
		if (fd >= 0)
			close(fd);
		return -err;
	}
	close(saved);
	if (rc < 0 || sockp == NULL)
		nl_close(sock);
	else
		*sockp = sock;
	if (rc < 0 || nsfd == NULL) {
		if (fd >= 0)
			close(fd);
	} else
		*nsfd = fd;
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
	struct stat	st;
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
	if (__atomic_load_n(&netns_nsfs_dev, __ATOMIC_RELAXED) == 0 &&
	    fstat(fd, &st) == 0)
		__atomic_store_n(&netns_nsfs_dev, st.st_dev, __ATOMIC_RELAXED);
	return fd;
}

int
netns_file_text(const char *name, char *buf, size_t len)
{
	char		 path[PATH_MAX];
	struct statfs	 sfs;
	ssize_t		 n;
	int		 fd, rc;

	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	if ((rc = netns_path(name, path, sizeof(path))) < 0)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -errno;
	if (fstatfs(fd, &sfs) == -1 || sfs.f_type == NSFS_MAGIC) {
		close(fd);
		return -EINVAL;
	}
	while ((n = read(fd, buf, len - 1)) == -1 && errno == EINTR)
		;
	rc = n < 0 ? -errno : 0;
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

uint64_t
netns_id_stat(const struct stat *st)
{
	return ((uint64_t)st->st_dev << 32) ^ (uint64_t)st->st_ino;
}

uint64_t
netns_id_fd(int fd)
{
	struct stat	 st;

	return fstat(fd, &st) == 0 ? netns_id_stat(&st) : 0;
}

uint64_t
netns_id_path(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 ? netns_id_stat(&st) : 0;
}

uint64_t
netns_id(const char *name)
{
	char		 path[PATH_MAX];
	struct stat	 st;
	dev_t		 nsfs = __atomic_load_n(&netns_nsfs_dev,
			    __ATOMIC_RELAXED);
	uint64_t	 id;
	int		 fd;

	if (netns_path(name, path, sizeof(path)) < 0)
		return 0;
	/* Only a namespace bound on the name: a file of its own (left by
	 * a create cut short) is on /run's filesystem, not nsfs. Once
	 * nsfs's device is known, one stat where opening the name took
	 * four calls: destroy asks for every name. */
	if (nsfs != 0)
		return stat(path, &st) == 0 && st.st_dev == nsfs ?
		    netns_id_stat(&st) : 0;
	if ((fd = netns_open(name)) < 0)
		return 0;
	id = netns_id_fd(fd);
	close(fd);
	return id;
}

int
netns_place(char *buf, size_t len)
{
	uint64_t	 id;

	if ((id = netns_id_path(NETNS_RUN_DIR)) == 0)
		return -errno;
	snprintf(buf, len, "%llx", (unsigned long long)id);
	return 0;
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

	if ((fd = netns_self()) == -1)
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
