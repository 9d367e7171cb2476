/*
 * ctl_text: a topology's text sent beside a request, as a descriptor
 * (ctl_proto.h), both ends.
 *
 * The sender puts the text in a memfd and seals it: what the daemon reads
 * is what the sender digested, however long after. The daemon takes only
 * such a file: sealed, so that it cannot change or grow while it is read,
 * and a memfd's (shmem), so that reading it never waits (a pipe, a FIFO
 * or a file on FUSE could hold the daemon's loop).
 */
#ifndef VRFD_CTL_TEXT_H
#define VRFD_CTL_TEXT_H

#include <stddef.h>

/* A read-only view of a sealed memfd's text, and the memfd. */
struct ctl_text {
	const char	*text;		/* NUL-terminated when a copy; a
					   mapping is not (use len) */
	size_t		 len;
	int		 fd;		/* the memfd; -1: none */
	void		*map;		/* the mapping, or NULL */
	char		*copy;		/* or the copy it was made from */
};

/*
 * Sender: the file at PATH in a sealed memfd, copied by the kernel
 * (sendfile: no copy passes through this process), and mapped for the
 * sender to read. 0, or -errno (the file cannot be read, or memfds
 * cannot be made: read the file, and send its text some other way).
 */
int	ctl_text_from_file(const char *path, struct ctl_text *);
/* Sender: TEXT's LEN bytes in a sealed memfd; *CT owns TEXT from now on,
 * whatever the outcome (freed by ctl_text_free). 0, or -errno and no
 * memfd (fd -1): the text is still in *CT. */
int	ctl_text_from_copy(char *text, size_t len, struct ctl_text *);
void	ctl_text_free(struct ctl_text *);

/*
 * Daemon: may FD be read as a text of LEN bytes? 0, or -1 with why in
 * ERR (a malformed request).
 */
int	ctl_text_check(int fd, size_t len, char *err, size_t errlen);
/* Daemon: FD's LEN bytes, NUL-terminated, in memory the caller frees;
 * NULL with why in ERR. */
char	*ctl_text_read(int fd, size_t len, char *err, size_t errlen);

#endif
