/*
 * test_ctl_text: a topology's text sent by descriptor (proto/ctl_text.c),
 * both ends: the sender's sealed memfd, made from a file or from a copy,
 * and what the daemon takes (a sealed memfd of the length said) and
 * refuses (no descriptor, a pipe, another length, an unsealed file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "proto/ctl_text.h"

static const char	 text[] = "lab: demo\nrouters:\n  r1: {}\n";

/* A file holding TEXT, in a directory of its own: its path in BUF. */
static const char *
text_file(char *dir, size_t dlen, char *buf, size_t len)
{
	int	 fd;

	snprintf(dir, dlen, "/tmp/test_ctl_text.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return NULL;
	snprintf(buf, len, "%s/lab.yaml", dir);
	if ((fd = open(buf, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return NULL;
	if (write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1) {
		close(fd);
		return NULL;
	}
	close(fd);
	return buf;
}

static void
test_from_file(void)
{
	struct ctl_text	 ct;
	char		 dir[64], path[128], err[256], *got;

	CHECK(text_file(dir, sizeof(dir), path, sizeof(path)) != NULL);
	CHECK_INTEQ(ctl_text_from_file(path, &ct), 0);
	CHECK_INTEQ(ct.len, sizeof(text) - 1);
	CHECK(ct.text != NULL && memcmp(ct.text, text, ct.len) == 0);
	/* Sealed: the daemon takes it, and nobody can change it now. */
	CHECK_INTEQ(ctl_text_check(ct.fd, ct.len, err, sizeof(err)), 0);
	CHECK(write(ct.fd, "x", 1) < 0 && errno == EPERM);
	got = ctl_text_read(ct.fd, ct.len, err, sizeof(err));
	CHECK(got != NULL && strcmp(got, text) == 0);
	free(got);
	/* The file changed afterwards: the memfd still has what was read. */
	CHECK(truncate(path, 0) == 0);
	CHECK(memcmp(ct.text, text, ct.len) == 0);
	ctl_text_free(&ct);
	CHECK_INTEQ(ct.fd, -1);
	/* An empty file, or none: read some other way (or said so). */
	CHECK_INTEQ(ctl_text_from_file(path, &ct), -EINVAL);
	CHECK_INTEQ(ct.fd, -1);
	unlink(path);
	CHECK_INTEQ(ctl_text_from_file(path, &ct), -ENOENT);
	rmdir(dir);
}

static void
test_from_copy(void)
{
	struct ctl_text	 ct;
	char		 err[256], *copy = strdup(text), *got;

	CHECK_INTEQ(ctl_text_from_copy(copy, sizeof(text) - 1, &ct), 0);
	CHECK(ct.text == copy && ct.len == sizeof(text) - 1);
	CHECK_INTEQ(ctl_text_check(ct.fd, ct.len, err, sizeof(err)), 0);
	got = ctl_text_read(ct.fd, ct.len, err, sizeof(err));
	CHECK(got != NULL && strcmp(got, text) == 0);
	free(got);
	ctl_text_free(&ct);		/* and the copy */
}

static void
test_refused(void)
{
	char	 err[256];
	int	 p[2], fd;

	CHECK_INTEQ(ctl_text_check(-1, 10, err, sizeof(err)), -1);
	CHECK(strstr(err, "without a descriptor") != NULL);
	CHECK(pipe(p) == 0);
	CHECK_INTEQ(ctl_text_check(p[0], 0, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a file of 0 bytes") != NULL);
	close(p[0]);
	close(p[1]);
	/* A memfd of the right length, not sealed: it could change while
	 * read. */
	CHECK((fd = memfd_create("t", MFD_CLOEXEC | MFD_ALLOW_SEALING)) >= 0);
	CHECK(write(fd, text, 10) == 10);
	CHECK_INTEQ(ctl_text_check(fd, 11, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a file of 11 bytes") != NULL);
	CHECK_INTEQ(ctl_text_check(fd, 10, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a sealed memfd") != NULL);
	/* Sealed against writes only: it could still shrink. */
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0);
	CHECK_INTEQ(ctl_text_check(fd, 10, err, sizeof(err)), -1);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_SEAL) == 0);
	CHECK_INTEQ(ctl_text_check(fd, 10, err, sizeof(err)), 0);
	close(fd);
}

int
main(void)
{
	RUN(test_from_file);
	RUN(test_from_copy);
	RUN(test_refused);
	return CHECK_DONE();
}
