/*
 * lock: one writer of a host's labs at a time. vrfd holds it for as long
 * as it runs; vrfctl, for a command it runs itself when no vrfd answers.
 * Two writers would race (a namespace made twice, a destroy undone by
 * the other's repair). It is a flock(2) on LOCK_PATH, which its holder
 * fills with who it is: "vrfd PID SOCKET" or "vrfctl PID".
 */
#ifndef VRFD_LOCK_H
#define VRFD_LOCK_H

#include <stdbool.h>
#include <sys/types.h>

#define LOCK_PATH	"/run/vrfd/lock"

struct lock_holder {
	bool		 daemon;	/* vrfd; else vrfctl or unknown */
	pid_t		 pid;		/* 0: unknown */
	char		 socket[256];	/* vrfd's control socket */
};

/* Open the lock file (made, with its directory, if need be): a
 * descriptor, or -errno. */
int	lock_open(void);
/* Take it without waiting: 0, or -EWOULDBLOCK and who holds it. */
int	lock_try(int fd, struct lock_holder *);
/* Take it, waiting as long as it takes. 0 or -errno. */
int	lock_wait(int fd);
/* Say who holds it now: "vrfd PID SOCKET" (SOCKET not NULL) or "vrfctl
 * PID". */
int	lock_claim(int fd, const char *socket);
/* Drop it and close FD. */
void	lock_close(int fd);

#endif
