/*
 * procs: the processes in a lab's namespaces, ending them, and the ghosts
 * they leave.
 *
 * A process in a namespace (any of its threads) keeps the namespace alive
 * after its name is gone, and with it its veths and whatever routing
 * sessions run over them: a lab destroyed around a running routing daemon
 * would go on forwarding, unseen. So a pass that removes a namespace ends
 * the processes in it first (SIGTERM, a grace period, SIGKILL), through
 * pidfds, which cannot hit a process that took the pid over. A process
 * that only holds such a namespace open (a routing daemon of the host with
 * a descriptor on it, say) is named, never ended: it is not in the lab.
 *
 * A ghost is a namespace of a lab, marked as one of its nodes, that no
 * name under /run/netns leads to any more and that processes still hold.
 */
#ifndef VRFD_PROCS_H
#define VRFD_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "report.h"

struct proc {
	pid_t		 pid;
	char		 comm[16];
	size_t		 ns;		/* which of the namespaces searched */
	bool		 inside;	/* in it; else holding it open only */
	int		 pidfd;		/* -1: none (it is gone) */
	bool		 killed;	/* SIGKILL was needed */
};

struct proc_list {
	struct proc	*v;
	size_t		 n;
};

/* The processes in (or holding open) any of the N namespaces IDS
 * (netns_id()), this process never among them, into L (added to). 0 or
 * -errno. */
int	procs_find(const uint64_t *ids, size_t n, struct proc_list *l);
/* End the processes of L that are inside: SIGTERM, and after GRACE
 * seconds SIGKILL to those left; return when they are gone (SIGKILL is
 * waited for a few seconds at most). */
void	procs_end(struct proc_list *l, double grace);
void	procs_free(struct proc_list *l);

/* A namespace of LAB that no name leads to and processes still hold. */
struct ghost {
	char		 lab[KS_NSNAME_MAX];
	char		 node[REPORT_NODE_MAX];
	uint64_t	 id;
	struct proc_list procs;		/* in it, or holding it */
};

struct ghost_list {
	struct ghost	*v;
	size_t		 n;
};

/* The ghosts of LAB (NULL: of every lab). 0 or -errno. */
int	procs_ghosts(const char *lab, struct ghost_list *);
void	procs_ghosts_free(struct ghost_list *);
/* The entries of L as report entries, into *V and *N (added to). */
int	procs_report(const struct proc_list *l, size_t ns,
	    struct report_proc **v, size_t *n);

#endif
