/*
 * services: the software a lab's nodes run (`services:`, `frr:`, `bird:`
 * and `exec:` in the topology), started, checked and stopped the same way
 * by vrfd and by vrfctl. vrfd also watches them and restarts the ones
 * that end (daemon/supervise.c); vrfctl alone starts them and leaves them.
 *
 * Every process is started inside its node as `ip netns exec` would start
 * it (kernel/netns_enter.h), in its own session, its output appended to
 * /run/vrfd/svc/NAMESPACE/NAME.log, its pid and start time in NAME.pid
 * beside it: a pid file whose process has another start time is stale.
 *
 * FRR runs with its pathspace set to the namespace's name (`-N NS`): its
 * sockets are in /run/frr/NS/, as `vtysh -N NS` expects, and its
 * configuration, generated into the state directory's frr/etc/NS/, is
 * bound over /etc/frr in the daemons' own mount namespace only: the
 * host's /etc is not touched. zebra starts first and stops last; the
 * integrated configuration is loaded by `vtysh -b` once all run.
 */
#ifndef VRFD_SERVICES_H
#define VRFD_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "topo/topo.h"

struct diag_list;

#define SVC_NAME_MAX		(TOPO_NAME_MAX + 1)
#define SVC_RUN_DIR		"/run/vrfd/svc"
#define SVC_FRR_DIR		"/usr/lib/frr"
#define SVC_FRR_RUN		"/run/frr"

enum svc_kind {
	SVC_COMMAND,		/* a `services:` entry: /bin/sh -c */
	SVC_FRR,		/* one FRR daemon */
	SVC_BIRD,
};

/* One process a node runs. */
struct svc {
	size_t			 ns;		/* index in topo.ns */
	char			 name[SVC_NAME_MAX];	/* "ospfd", "web" */
	enum svc_kind		 kind;
	int			 order;		/* started by increasing
						   order, stopped by
						   decreasing */
	enum topo_restart	 restart;
	const struct topo_service *ts;		/* SVC_COMMAND */
};

struct svc_list {
	struct svc		*v;
	size_t			 n;
};

/* The processes of T's nodes (of namespace NS only, unless SIZE_MAX), in
 * the order they start. 0 or -ENOMEM. */
int	services_list(const struct topo *, size_t ns, struct svc_list *);
void	services_list_free(struct svc_list *);
/* Does T run anything at all (or one-shot commands)? */
bool	services_any(const struct topo *);

/*
 * Before anything is built: the configurations of T's routing suites,
 * read (files relative to BASE, the topology file's directory) and
 * checked by the suite itself (`vtysh -C`, `bird -p`), with the suite
 * installed. Problems are errors in DL at the `frr:` or `bird:` key.
 * WRITE: then put them where the daemons read them (apply only). 0, or
 * -errno when something else failed (said in DL too).
 */
int	services_prepare(const struct topo *, const char *base,
	    struct diag_list *, bool write);

/* The state of one process, as its pid file says and /proc confirms. */
pid_t	services_pid(const struct topo *, const struct svc *);
/* PID ended and its parent has not collected it (its status) yet. */
bool	services_unreaped(pid_t);
/* The pid it was last started with, running or not; 0: never. */
pid_t	services_last_pid(const struct topo *, const struct svc *);
/* Start those of L that do not run (all, or those of namespace NS). Each
 * start is told to STARTED (may be NULL). Then FRR's configuration is
 * loaded where FRR was started. 0, or the first -errno. */
int	services_start(const struct topo *, const struct svc_list *, size_t ns,
	    void (*started)(void *, const struct svc *, pid_t), void *arg);
/* Stop those of L that run (all, or those of NS): by decreasing order,
 * each group SIGTERM, then SIGKILL after GRACE seconds; wait until gone. */
void	services_stop(const struct topo *, const struct svc_list *, size_t ns,
	    double grace);
/* Run namespace NS's `exec:` commands, one after the other, each waited
 * for (at most 30 s). The number that failed. */
int	services_exec(const struct topo *, size_t ns);

/* A child that someone else reaped (vrfd's loop): its status, for the
 * waits here and for the supervisor. */
void	services_reaped(pid_t, int status);
bool	services_exit_status(pid_t, int *status);

/* Paths: the log and pid file of S, FRR's generated /etc/frr. */
const char *services_log_path(const struct topo *, const struct svc *,
	    char *, size_t);
const char *services_frr_etc(char *, size_t);

#endif
