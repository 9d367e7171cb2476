/*
 * test_lock: what the one-writer lock's file says of its holder
 * (engine/lock.c). A vrfctl waiting names the holder from it, and a
 * vrfctl that finds vrfd holding it asks vrfd on the socket it names:
 * a line left half of someone else's would send it to the wrong place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "check.h"
#include "engine/lock.h"

static char	path[] = "/tmp/vrfd-test-lock.XXXXXX";

/* The file's whole text. */
static const char *
lock_text(void)
{
	static char	 buf[512];
	ssize_t		 n;
	int		 fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return buf;
	if ((n = read(fd, buf, sizeof(buf) - 1)) >= 0)
		buf[n] = '\0';
	close(fd);
	return buf;
}

/* Who a second opener, refused, reads as the holder while FD holds it. */
static int
lock_holder_seen(int fd, struct lock_holder *h)
{
	int	 other, rv;

	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return -errno;
	if ((other = open(path, O_RDWR)) < 0)
		return -errno;
	rv = lock_try(other, h);
	close(other);
	(void)flock(fd, LOCK_UN);
	return rv;
}

static void
test_claim_replaces(void)
{
	char	 want[64];
	int	 fd;

	CHECK((fd = open(path, O_RDWR)) >= 0);
	/* a vrfd with a long socket path, then a vrfctl: nothing of the
	 * vrfd's line is left after the vrfctl's */
	CHECK_INTEQ(lock_claim(fd, "/run/vrfd/a-rather-long-name.sock"), 0);
	snprintf(want, sizeof(want), "vrfd %d /run/vrfd/a-rather-long-name"
	    ".sock\n", (int)getpid());
	CHECK_STREQ(lock_text(), want);
	CHECK_INTEQ(lock_claim(fd, NULL), 0);
	snprintf(want, sizeof(want), "vrfctl %d\n", (int)getpid());
	CHECK_STREQ(lock_text(), want);
	close(fd);
}

static void
test_holder_daemon(void)
{
	struct lock_holder	 h;
	int			 fd;

	CHECK((fd = open(path, O_RDWR)) >= 0);
	CHECK_INTEQ(lock_claim(fd, "/run/vrfd/vrfd.sock"), 0);
	CHECK_INTEQ(lock_holder_seen(fd, &h), -EWOULDBLOCK);
	CHECK(h.daemon);
	CHECK_INTEQ(h.pid, getpid());
	CHECK_STREQ(h.socket, "/run/vrfd/vrfd.sock");
	close(fd);
}

/* Between a claim's write and its cut, a longer line's tail follows the
 * new one: only the first line is the holder's. */
static void
test_holder_first_line(void)
{
	static const char	 text[] = "vrfctl 41\nrfd/vrfd.sock\n";
	struct lock_holder	 h;
	int			 fd;

	CHECK((fd = open(path, O_RDWR | O_TRUNC)) >= 0);
	CHECK(write(fd, text, sizeof(text) - 1) == sizeof(text) - 1);
	CHECK_INTEQ(lock_holder_seen(fd, &h), -EWOULDBLOCK);
	CHECK(!h.daemon);
	CHECK_INTEQ(h.pid, 41);
	CHECK_STREQ(h.socket, "");
	close(fd);
}

int
main(void)
{
	int	 fd;

	if ((fd = mkstemp(path)) < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	RUN(test_claim_replaces);
	RUN(test_holder_daemon);
	RUN(test_holder_first_line);
	unlink(path);
	return CHECK_DONE();
}
