/*
 * ctl_text: a topology's text sent beside a request, as a sealed memfd
 * (ctl_text.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_text.h"
#include "util/readfile.h"

/* What the daemon asks of a text's memfd: nothing can change its bytes,
 * its size, or these seals. */
#define CTL_TEXT_SEALS	(F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
			 F_SEAL_SEAL)

static void
ctl_text_init(struct ctl_text *ct)
{
	memset(ct, 0, sizeof(*ct));
	ct->fd = -1;
}

static int
ctl_text_memfd(void)
{
	int	 fd;

	if ((fd = memfd_create("vrfctl-topology", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) < 0)
		return -errno;
	return fd;
}

static int
ctl_text_seal(struct ctl_text *ct)
{
	if (fcntl(ct->fd, F_ADD_SEALS, CTL_TEXT_SEALS) < 0)
		return -errno;
	return 0;
}

int
ctl_text_from_file(const char *path, struct ctl_text *ct)
{
	struct stat	 st;
	off_t		 off = 0;
	ssize_t		 n;
	int		 in, rv = 0;

	ctl_text_init(ct);
	if ((in = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	/* A regular file's size is known: a pipe's text is read instead
	 * (and an empty text has nothing to map). */
	if (fstat(in, &st) < 0) {
		rv = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		rv = -EINVAL;
		goto out;
	}
	if ((rv = ctl_text_memfd()) < 0)
		goto out;
	ct->fd = rv;
	rv = 0;
	while (off < st.st_size) {
		if ((n = sendfile(ct->fd, in, &off, (size_t)(st.st_size -
		    off))) < 0 && errno == EINTR)
			continue;
		/* Shorter than it said: changed while read. */
		if (n <= 0) {
			rv = n < 0 ? -errno : -EAGAIN;
			goto out;
		}
	}
	ct->len = (size_t)st.st_size;
	if ((rv = ctl_text_seal(ct)) < 0)
		goto out;
	if ((ct->map = mmap(NULL, ct->len, PROT_READ, MAP_SHARED, ct->fd,
	    0)) == MAP_FAILED) {
		ct->map = NULL;
		rv = -errno;
		goto out;
	}
	ct->text = ct->map;
 out:
	close(in);
	if (rv < 0)
		ctl_text_free(ct);
	return rv;
}

int
ctl_text_from_copy(char *text, size_t len, struct ctl_text *ct)
{
	int	 rv;

	ctl_text_init(ct);
	ct->copy = text;
	ct->text = text;
	ct->len = len;
	if ((rv = ctl_text_memfd()) < 0)
		return rv;
	ct->fd = rv;
	if ((rv = write_all(ct->fd, text, len)) == 0)
		rv = ctl_text_seal(ct);
	/* The text stays, to be sent some other way. */
	if (rv < 0) {
		close(ct->fd);
		ct->fd = -1;
	}
	return rv;
}

void
ctl_text_free(struct ctl_text *ct)
{
	if (ct->map != NULL)
		munmap(ct->map, ct->len);
	if (ct->fd >= 0)
		close(ct->fd);
	free(ct->copy);
	ctl_text_init(ct);
}

int
ctl_text_check(int fd, size_t len, char *err, size_t errlen)
{
	struct stat	 st;
	int		 seals;

	if (fd < 0) {
		snprintf(err, errlen, "malformed request: \"topology_fd\" "
		    "without a descriptor");
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len) {
		snprintf(err, errlen, "malformed request: \"topology_fd\" "
		    "is not a file of %zu bytes", len);
		return -1;
	}
	if ((seals = fcntl(fd, F_GET_SEALS)) < 0 ||
	    (seals & CTL_TEXT_SEALS) != CTL_TEXT_SEALS) {
		snprintf(err, errlen, "malformed request: \"topology_fd\" "
		    "is not a sealed memfd");
		return -1;
	}
	return 0;
}

char *
ctl_text_read(int fd, size_t len, char *err, size_t errlen)
{
	char	*buf;
	size_t	 off = 0;
	ssize_t	 n;

	if ((buf = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while (off < len) {
		if ((n = pread(fd, buf + off, len - off, (off_t)off)) < 0 &&
		    errno == EINTR)
			continue;
		/* (Sealed: it cannot get shorter; a read error can.) */
		if (n <= 0) {
			snprintf(err, errlen, "cannot read the topology's "
			    "descriptor: %s", n < 0 ? strerror(errno) :
			    "it got shorter");
			free(buf);
			return NULL;
		}
		off += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}
