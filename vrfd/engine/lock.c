/*
 * lock: the one-writer lock (lock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"

int
lock_open(void)
{
	char	 dir[sizeof(LOCK_PATH)], *p;
	int	 fd;

	snprintf(dir, sizeof(dir), "%s", LOCK_PATH);
	if ((p = strrchr(dir, '/')) != NULL) {
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	if ((fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0644)) < 0)
		return -errno;
	return fd;
}

/* Who the file says holds it (what it says may be a past holder's, if
 * the present one has not written yet: only ever shown to a person). */
static void
lock_read_holder(int fd, struct lock_holder *h)
{
	char	 buf[320], who[16];
	ssize_t	 n;
	int	 pid;

	memset(h, 0, sizeof(*h));
	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return;
	/* Its first line: for a moment, a longer holder's tail may follow
	 * (lock_claim). */
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (sscanf(buf, "%15s %d %255s", who, &pid, h->socket) < 2)
		return;
	h->daemon = strcmp(who, "vrfd") == 0;
	h->pid = (pid_t)pid;
}

int
lock_try(int fd, struct lock_holder *h)
{
	int	 err;

	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if ((err = errno) == EINTR)
			continue;
		/* (reading the holder may leave errno changed) */
		if (err == EWOULDBLOCK && h)
			lock_read_holder(fd, h);
		return -err;
	}
	return 0;
}

int
lock_wait(int fd)
{
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

int
lock_claim(int fd, const char *socket)
{
	char	 buf[320];
	int	 n;

	if (socket)
		n = snprintf(buf, sizeof(buf), "vrfd %d %s\n", (int)getpid(),
		    socket);
	else
		n = snprintf(buf, sizeof(buf), "vrfctl %d\n", (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -ENAMETOOLONG;
	/* Written over what was there, then cut to its length: emptied
	 * first, the file gave its block back and took another, a third
	 * of a millisecond (on a journaled /run) before vrfctl alone could
	 * begin to read ahead. */
	if (pwrite(fd, buf, (size_t)n, 0) != n || ftruncate(fd, n) < 0)
		return -errno;
	return 0;
}

void
lock_close(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the flock */
}
