/*
 * readfile: the whole of a file, in one buffer. A topology, a lab's kept
 * text and its kept tree are read so, by vrfctl and the core alike; and
 * one buffer written whole, as they are kept.
 */
#ifndef VRFD_READFILE_H
#define VRFD_READFILE_H

#include <stddef.h>

/* PATH's bytes to its end (its size is a hint: a file that grows, or a
 * pipe, is read to its end) into *BUF (malloc'd, a NUL after them), *LEN.
 * 0, -EISDIR, -EFBIG past MAX bytes (SIZE_MAX: no limit), -errno. */
int	read_file(const char *path, size_t max, char **buf, size_t *len);
/* BUF's LEN bytes written to FD, short writes and EINTR taken care of.
 * 0 or -errno. */
int	write_all(int fd, const char *buf, size_t len);

#endif
