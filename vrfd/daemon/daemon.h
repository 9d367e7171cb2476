/*
 * daemon: vrfd itself. main.c parses the flags and calls daemon_main();
 * the rest of this header is shared by daemon.c (loop, start-up, control
 * requests), repair.c (dirty namespaces, debounce, backoff, events,
 * what vrfd remembers) and repair_status.c (its part of the status).
 */
#ifndef VRFD_DAEMON_H
#define VRFD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

#include "proto/conf.h"
#include "engine/engine.h"
#include "engine/memory.h"
#include "kernel/kstate.h"
#include "topo/topo.h"
#include "watch.h"

struct json_object;
struct nscache;

struct daemon_args {
	const char	*conf_file;	/* NULL: CONF_FILE_DEFAULT */
	bool		 conf_given;	/* -c: the file must exist */
	const char	*socket;	/* NULL: from the configuration */
	const char	*state_dir;	/* NULL: from the configuration */
	const char	*debug;		/* -D, NULL: from the configuration */
	int		 verbose;
	bool		 syslog;	/* --syslog */
};

/* Run until SIGTERM or SIGINT; the labs stay. Returns an exit status. */
int	daemon_main(const struct daemon_args *);

/* A namespace of a kept lab. Times: m_* on CLOCK_MONOTONIC (s). */
#define DNS_WHAT	160
#define DNS_HIST	CONF_BACKOFF_REPAIRS_MAX

struct dns {
	char		 name[KS_NSNAME_MAX];
	char		 node[80];
	bool		 watched;
	/* a change was seen, a repair pass is due */
	bool		 dirty;
	bool		 in_pass;
	bool		 echo;			/* only WATCH_ECHO so far */
	/* the last pass could not fix everything: a foreign object may be
	 * in the way, so changes to foreign routes count too */
	bool		 unresolved;
	enum watch_src	 noticed_by;
	char		 what[DNS_WHAT];	/* the first change seen */
	unsigned	 n_events;		/* changes seen since */
	double		 m_first;		/* when the first was seen */
	/* the last drift repaired (or not): wall time and what */
	double		 drift_time;
	char		 drift_what[DNS_WHAT];
	unsigned	 repairs;
	/* backoff: when the last repairs were, the delay, the hold */
	double		 m_recent[DNS_HIST];
	unsigned	 n_recent;
	unsigned	 backoff_ms;
	double		 m_hold;		/* no repair before */
};

struct dlab {
	struct daemon	*d;
	char		 name[TOPO_NAME_MAX + 1];
	struct topo	*topo;
	struct dns	*ns;
	size_t		 n_ns;
	size_t		*by_name;	/* indexes of ns, sorted by name */
	ev_timer	 timer;		/* the next repair pass */
	double		 m_due;		/* when it fires; 0 = not armed */
	bool		 full;		/* the whole lab (resync) */
	/* The request that made topo: an apply of the same file and text
	 * uses topo again, unparsed, with these warnings. */
	char		*file;
	char		*text;
	size_t		 text_len;
	struct json_object *diags;
};

struct daemon {
	struct ev_loop		*loop;
	struct daemon_args	 args;
	struct conf		 conf;
	struct watch		*watch;
	struct control		*ctl;
	struct dlab		**labs;
	size_t			 n_labs;
	struct nscache		*cache;		/* what the namespaces hold */
	struct pass_memory	 memory;	/* the same, for a pass */
	ev_timer		 resync;
	ev_signal		 sig_term, sig_int, sig_hup;
};

/* repair.c */
struct dlab	*repair_lab_find(struct daemon *, const char *lab);
/* Keep TOPO (taken) as its lab's desired state; the lab's namespaces
 * keep their history when they stay. */
struct dlab	*repair_lab_keep(struct daemon *, struct topo *);
void		 repair_lab_forget(struct daemon *, struct dlab *);
/* After a full pass made by a request or at start-up (its REPORT):
 * nothing is dirty any more, and the lab's namespaces are watched. */
void		 repair_lab_applied(struct daemon *, struct dlab *,
		    struct json_object *report);
/* Remember the request that made LAB's topology (copied). */
int		 repair_lab_request(struct dlab *, const char *file,
		    const char *text, size_t len, struct json_object *diags);
/* watch_ops */
void		 repair_changed(void *d, const char *ns, const char *what,
		    enum watch_src, unsigned flags);
void		 repair_lost(void *d, const char *why);
void		 repair_watching(void *d, const char *ns, bool);
void		 repair_touched(void *d, const char *ns,
		    const struct watch_neigh *);
/* One engine pass (engine_run) with every event queued until now taken
 * in, and what the daemon remembers of the namespaces; *RECALLED: how
 * many it read from memory. */
struct json_object *repair_pass(struct daemon *, enum engine_action,
		    const struct topo *, struct engine_opts *,
		    size_t *recalled);
/* The periodic pass over every lab. */
void		 repair_resync(struct daemon *);
double		 repair_mono(void);
/* Shared by repair.c and repair_status.c. */
struct dns	*repair_ns_find(struct dlab *, const char *ns);
struct json_object *repair_time_json(double wall);	/* ISO 8601, ms */

/* repair_status.c: add what the daemon knows to engine_status()'s
 * report. */
void		 repair_status(struct daemon *, struct json_object *,
		    const char *lab);

#endif
