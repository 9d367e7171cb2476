/*
 * conf: vrfd's configuration file (/etc/vrfd/vrfd.conf), vrfd.conf(5).
 * vrfctl reads it too: where vrfd listens, where labs are kept.
 *
 * Lines of `key value`, `#` starts a comment. Every error is collected
 * with its file:line; a file with errors is not used (on SIGHUP the
 * running configuration stays).
 */
#ifndef VRFD_CONF_H
#define VRFD_CONF_H

#include <stdbool.h>
#include <stddef.h>

struct diag_list;

#define CONF_FILE_DEFAULT	"/etc/vrfd/vrfd.conf"
#define CONF_SOCKET_DEFAULT	"/run/vrfd/vrfd.sock"
#define CONF_PATH_MAX		256
#define CONF_BACKOFF_REPAIRS_MAX 32	/* repairs a namespace remembers */

struct conf {
	char		 socket[CONF_PATH_MAX];
	char		 state_dir[CONF_PATH_MAX];
	char		 read_group[64];	/* "" = root only */
	unsigned	 debounce_ms;		/* event -> repair pass */
	unsigned	 resync_interval;	/* s; 0 = never */
	/* backoff: after backoff_repairs repairs of one object within
	 * backoff_window seconds, its namespace's next repair waits
	 * backoff_initial_ms, doubling up to backoff_max_ms while they go
	 * on. */
	unsigned	 backoff_repairs;
	unsigned	 backoff_window;
	unsigned	 backoff_initial_ms;
	unsigned	 backoff_max_ms;
	/* the control socket's limits */
	unsigned	 max_clients;
	unsigned	 max_clients_per_user;
	unsigned	 client_timeout;	/* s */
	/* a process in a namespace that goes: from SIGTERM to SIGKILL */
	unsigned	 stop_grace_ms;
	bool		 syslog;
	char		 debug[128];		/* subsystems, as -D */
	/* which of a lab's hosts this one is ("" : found per lab from the
	 * underlay addresses, vrf-topology(5)) */
	char		 host[33];
};

void	conf_defaults(struct conf *);
/*
 * Read FILE over the values already in CONF. A missing file is not an
 * error when MISSING_OK (the defaults apply). Problems go to DIAG, each
 * with its line; 0 if none, -EINVAL if DIAG has errors, -errno if FILE
 * cannot be read.
 */
int	conf_load(const char *file, bool missing_ok, struct conf *,
	    struct diag_list *);
/* Parse TEXT (the contents of a file named NAME), for tests. */
int	conf_parse(const char *name, const char *text, struct conf *,
	    struct diag_list *);

#endif
