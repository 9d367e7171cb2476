/*
 * netns: named network namespaces, the way iproute2 makes them.
 *
 * A named namespace is a bind mount of a namespace file on
 * /run/netns/NAME, so `ip netns exec NAME`, `ip -n NAME` and
 * /etc/netns/NAME work on ours exactly as on theirs.
 */
#ifndef VRFD_NETNS_H
#define VRFD_NETNS_H

#include <stddef.h>
#include <stdint.h>

#define NETNS_RUN_DIR	"/run/netns"

struct nl_sock;

/*
 * Make the named namespace NAME, its loopback up and marked with MARK (an
 * alias: own.h) and the place it is named in ("MARK in=PLACE") before its
 * name appears: the namespace is made and marked first, then its file is
 * created holding the mark and the namespace bound on it. An interrupted
 * create leaves nothing, or a file holding MARK with no namespace on it. *NSFD (if not NULL): a handle on it; *SOCK (if not
 * NULL): a netlink socket inside it. 0, -EEXIST, -errno.
 */
int	netns_create(const char *name, const char *mark, int *nsfd,
	    struct nl_sock **sock);
/* The loopback of the namespace SOCK lives in: up, with MARK, the whole
 * mark (what a pass adds to a namespace's mark: own.h). 0 or -errno. */
int	netns_mark(struct nl_sock *sock, const char *mark);
int	netns_delete(const char *name);		/* 0, -ENOENT, -errno */
int	netns_open(const char *name);		/* O_RDONLY fd, or -errno;
						   -EINVAL: no namespace
						   on the file */
/* The text of NAME's file, where no namespace is bound on it (what an
 * interrupted create leaves): 0, -EINVAL if a namespace is there. */
int	netns_file_text(const char *name, char *buf, size_t len);
/* Which namespace a handle or file is: its nsfs device and inode, as one
 * number (nsfs inode numbers fit in 32 bits). 0: none. */
struct stat;
uint64_t netns_id_fd(int fd);
uint64_t netns_id_path(const char *path);
uint64_t netns_id_stat(const struct stat *);
/* ... of the named namespace NAME; 0 if there is none. */
uint64_t netns_id(const char *name);
/* Which /run/netns this is (its device and inode, in hex): the named
 * namespaces of another mount namespace's are elsewhere. */
int	netns_place(char *buf, size_t len);
/* The names under /run/netns, sorted; free with netns_list_free. */
int	netns_list(char ***names, size_t *n);
void	netns_list_free(char **names, size_t n);
/* Switch the calling thread into NSFD; *SAVED gets a handle on where it
 * was. netns_leave switches back and closes it; it fails loudly (-errno)
 * if the switch back fails, since the caller must not go on then. */
int	netns_enter(int nsfd, int *saved);
int	netns_leave(int saved);
/* From one namespace straight into NSFD, between an enter and its leave:
 * one setns, and the way back stays the enter's. */
int	netns_switch(int nsfd);

#endif
