/*
 * sysctl: net.* keys of the calling thread's network namespace, read and
 * written through /proc/sys (which follows the thread's namespace).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sysctl.h"

/*
 * procps' rule: dots separate the levels and a slash stands for a dot in a
 * name ("net.ipv4.conf.eth0/100.forwarding" is the device "eth0.100").
 * Only net.* keys: the others are global and not vrfd's to touch.
 */
static int
sysctl_path(const char *key, char *buf, size_t len)
{
	const char	*pfx = "/proc/sys/";
	size_t		 plen = strlen(pfx), klen, i;
	char		 c, *c0, *c1;

	klen = strlen(key);
	if (strncmp(key, "net.", 4) != 0)
		return -EINVAL;
	if (plen + klen + 1 > len)
		return -ENAMETOOLONG;
	memcpy(buf, pfx, plen);
	for (i = 0; i < klen; i++) {
		c = key[i];
		buf[plen + i] = c == '.' ? '/' : c == '/' ? '.' : c;
	}
	buf[plen + klen] = '\0';
	/* No way out of /proc/sys/net: no empty, "." or ".." level. */
	for (c0 = buf + plen; ; c0 = c1 + 1) {
		c1 = strchrnul(c0, '/');
		if (c1 == c0 || (c1 - c0 == 1 && c0[0] == '.') ||
		    (c1 - c0 == 2 && c0[0] == '.' && c0[1] == '.'))
			return -EINVAL;
		if (*c1 == '\0')
			break;
	}
	return 0;
}

int
sysctl_read(const char *key, char *buf, size_t len)
{
	char	path[PATH_MAX];
	ssize_t	r;
	size_t	got = 0;
	int	fd, rc;

	if (len == 0)
		return -EINVAL;
	if ((rc = sysctl_path(key, path, sizeof(path))) < 0)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	for (;;) {
		if (got == len - 1) {
			char	c;

			/* Full: anything left means it didn't fit. */
			while ((r = read(fd, &c, 1)) == -1 && errno == EINTR)
				;
			rc = r > 0 ? -EOVERFLOW : r < 0 ? -errno : 0;
			break;
		}
		r = read(fd, buf + got, len - 1 - got);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (rc < 0) {
		buf[0] = '\0';
		return rc;
	}
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		got--;
	buf[got] = '\0';
	return 0;
}

int
sysctl_write(const char *key, const char *value)
{
	char	path[PATH_MAX];
	size_t	len = strlen(value);
	ssize_t	r;
	int	fd, rc;

	if ((rc = sysctl_path(key, path, sizeof(path))) < 0)
		return rc;
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -errno;
	/* /proc/sys takes a value in one write; a short one is an error. */
	while ((r = write(fd, value, len)) == -1 && errno == EINTR)
		;
	rc = r == -1 ? -errno : (size_t)r != len ? -EIO : 0;
	if (close(fd) == -1 && rc == 0)
		rc = -errno;
	return rc;
}
