/*
 * readfile: the whole of a file, in one buffer, and one written whole
 * (readfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "readfile.h"

int
read_file(const char *path, size_t max, char **text, size_t *len)
{
	struct stat	 st;
	char		*buf = NULL, *nb;
	size_t		 n = 0, cap;
	ssize_t		 r;
	int		 fd, rv = 0;

	*text = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		rv = S_ISDIR(st.st_mode) ? -EISDIR : -errno;
		close(fd);
		return rv;
	}
	/* The size is a hint: a file that grows is read to its end. */
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	for (;;) {
		if (n > max) {
			rv = -EFBIG;
			break;
		}
		if (buf == NULL || n + 1 >= cap) {
			if (buf != NULL)
				cap *= 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				rv = -ENOMEM;
				break;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + n, cap - n - 1)) < 0) {
			if (errno == EINTR)
				continue;
			rv = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (rv < 0) {
		free(buf);
		return rv;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int
write_all(int fd, const char *buf, size_t len)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < len) {
		if ((n = write(fd, buf + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		off += (size_t)n;
	}
	return 0;
}
