/*
 * daemon: vrfd itself. main.c parses the flags and calls daemon_main();
 * the rest of this header is shared by the daemon's files:
 *
 *   daemon.c         start-up, configuration, signals, the loop
 *   request.c        the control socket's requests
 *   labs.c           the labs vrfd knows, and one pass per lab at a time
 *   repair.c         events, dirty namespaces, debounce, repair passes
 *   repair_status.c  the daemon's part of a status
 *
 * Passes run on worker threads (worker.h); everything here runs on the
 * loop's thread, which never enters a namespace.
 */
#ifndef VRFD_DAEMON_H
#define VRFD_DAEMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

#include "backoff.h"
#include "control.h"
#include "engine/engine.h"
#include "engine/state.h"
#include "engine/memory.h"
#include "interest.h"
#include "kernel/kstate.h"
#include "proto/conf.h"
#include "proto/event.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "watch.h"
#include "worker.h"

struct nscache;

struct daemon_args {
	const char	*conf_file;	/* NULL: CONF_FILE_DEFAULT */
	bool		 conf_given;	/* -c: the file must exist */
	const char	*socket;	/* NULL: from the configuration */
	const char	*state_dir;	/* NULL: from the configuration */
	const char	*debug;		/* -D, NULL: from the configuration */
	const char	*host;		/* --host, NULL: from the
					   configuration */
	int		 verbose;
	bool		 syslog;	/* --syslog */
};

/* Run until SIGTERM or SIGINT; the labs stay. Returns an exit status. */
int	daemon_main(const struct daemon_args *);

/* A namespace of a kept lab. Times: m_* on CLOCK_MONOTONIC (s). */
#define DNS_WHAT	160

struct dns {
	char		 name[KS_NSNAME_MAX];
	char		 node[REPORT_NODE_MAX];
	bool		 watched;
	/* a change was seen, a repair pass is due */
	bool		 dirty;
	bool		 in_pass;
	bool		 echo;			/* only echoes so far */
	enum event_src	 noticed_by;
	char		 what[DNS_WHAT];	/* the first change seen */
	unsigned	 n_events;		/* changes seen since */
	double		 m_first;		/* when the first was seen */
	double		 m_last;		/* the last change seen, dirty
						   or not */
	bool		 leading;		/* the first after a quiet
						   while: repaired at once */
	/* Not only addresses, routes, neighbours, sysctls or qdiscs
	 * changed since its last pass: its links may have, and a pass
	 * looks at their far ends too. */
	bool		 links;
	bool		 listed;		/* in its lab's dirty list */
	/* The first change seen while its repair pass ran: the pass may
	 * have read the namespace before it, so it stays dirty after. */
	struct {
		bool		 any;
		enum event_src	 src;
		double		 m;
		char		 what[DNS_WHAT];
	} heard;
	/* the last drift repaired (or not): wall time and what */
	double		 drift_time;
	char		 drift_what[DNS_WHAT];
	unsigned	 repairs;
	struct backoff	 backoff;
	double		 m_hold;		/* no repair before */
	double		 m_unnamed;		/* nor before its name goes */
	struct interest	 interest;		/* what its events may touch */
	/* What INTEREST was compiled from: the namespace's source in the
	 * text (topo_ns_sources) and the digest of what it wants; 0: not
	 * known (vrfctl link set changed it since). CLEAN: its own rules
	 * (topo_check_since) said nothing of it from that source. */
	uint64_t	 source, compiled;
	bool		 clean;
};

/* A kept lab's namespaces as an apply's parse finds them, taken on the
 * loop for the worker: by name, what each was made from. */
struct labs_prev {
	struct labs_prev_ns {
		char		 name[KS_NSNAME_MAX];
		uint64_t	 source, compiled;
		bool		 clean;
	}		*v;		/* sorted by name */
	size_t		 n;
};

/* What an apply's parse found of a namespace of its topology: its source
 * (0: none); the digest the kept lab's namespace of that name was
 * compiled to from the same source (0: none such); whether its own rules
 * said nothing of it; and whether it was not compiled again (its digest
 * and interest are the kept lab's). */
struct labs_made {
	uint64_t	 source;
	uint64_t	 kept;
	bool		 clean;
	bool		 reused;
};

struct ljob;

/*
 * A lab vrfd knows: one it keeps (its topology, namespaces, watch and
 * repairs), or one only passing through a request (a plan, a destroy).
 * One pass at a time: RUNNING, and the jobs that wait for it.
 */
struct dlab {
	struct daemon	*d;
	char		 name[TOPO_NAME_MAX + 1];
	bool		 kept;
	struct topo	*topo;
	struct topo	*retired;	/* the one TOPO replaced: freed once
					   the apply is answered (a big lab's
					   tree takes milliseconds to free) */
	/* per topo->ns: the digest of what it declares there, as the
	 * last pass found it (engine_opts.digests) */
	uint64_t	*digests;
	struct dns	*ns;
	size_t		 n_ns;
	size_t		*by_name;	/* indexes of ns, sorted by name */
	/* Indexes of the namespaces dirty or in a pass (and maybe some no
	 * longer): what a repair looks at, not every one of thousands.
	 * ALL_DIRTY: the list could not grow; every one is looked at. */
	size_t		*dirty;
	size_t		 n_dirty, cap_dirty;
	bool		 all_dirty;
	ev_timer	 timer;		/* the next repair pass */
	double		 m_due;		/* when it fires; 0 = not armed */
	double		 m_unnamed;	/* the last of its names going */
	bool		 full;		/* the whole lab (resync) */
	/* The request that made topo: an apply of the same file and text
	 * (its digest) uses topo again, unparsed, with these warnings. The
	 * text itself is not kept: topo's tree keeps where it is cut into
	 * parts, and the next text is parsed by the parts that changed. */
	char		*file;
	size_t		 text_len;
	char		 text_digest[STATE_DIGEST_MAX];
	struct diag_list diags;
	/* Interfaces vrfctl link set changed: a plan of the same text
	 * is then parsed again, without them. */
	size_t		 overrides;
	struct ljob	*running;
	struct ljob	*queue, **queue_tail;
};

struct daemon {
	struct ev_loop		*loop;
	struct daemon_args	 args;
	struct conf		 conf;
	struct watch		*watch;
	struct control		*ctl;
	struct worker		*worker;
	struct dlab		**labs;
	size_t			 n_labs;
	struct supervise	*supervise;	/* the labs' services */
	struct nscache		*cache;		/* what the namespaces hold */
	struct pass_memory	 memory;	/* the same, for a pass */
	int			 lock;		/* the one-writer lock */
	bool			 stopping;	/* no pass more */
	ev_timer		 resync;
	ev_signal		 sig_term, sig_int, sig_hup;
};

/* A kind of pass over one lab. */
enum ljob_kind {
	LJOB_APPLY,		/* a request: keep, then pass */
	LJOB_PLAN,		/* a request */
	LJOB_DESTROY,		/* a request: pass, then forget */
	LJOB_REPAIR,		/* dirty namespaces, or the whole lab */
	LJOB_START,		/* a kept lab, at start-up */
	LJOB_SERVICES,		/* start its services that ended */
	LJOB_LINK,		/* a request: link set, then a pass */
};

/* A pass over one lab: what it needs, and what it answered. */
struct ljob {
	struct job		 job;		/* the worker's */
	struct daemon		*d;
	struct dlab		*lab;
	enum ljob_kind		 kind;
	struct control_req	*req;		/* who asked; NULL */
	struct ljob		*next;		/* in the lab's queue */
	/* in */
	struct topo		*topo;		/* owned until kept */
	struct interest		*interests;	/* per topo->ns, owned */
	char			*file, *text;	/* APPLY: the request's */
	char			*base;		/* ... and its directory */
	size_t			 len;
	char			 digest[STATE_DIGEST_MAX]; /* TEXT's */
	char			 staged[640];	/* ... written already, to be
						   kept (state_stage_text);
						   "": not */
	int			 held;		/* the text it replaced, open
						   until answered (-1) */
	struct diag_list	 diags;		/* its warnings */
	bool			 reuse;		/* topo is the lab's own */
	bool			 deaf;		/* DESTROY: other namespaces
						   not heard while it runs */
	uint64_t		*digests;	/* per topo->ns, owned (APPLY
						   of a topology of its own) */
	/* per topo->ns, owned (NULL: none): what the parse found; where
	 * reused, the interest is left empty, to be the lab's as it is */
	struct labs_made	*made;
	struct ks_ns		*wants;		/* per topo->ns, compiled
						   for the pass: owned */
	size_t			 n_wants;
	struct engine_opts	 opts;
	char			**scope;	/* REPAIR: namespaces, sorted */
	size_t			 n_scope;
	char			**due;		/* SERVICES: "NS/SERVICE" of
						   those to start */
	size_t			 n_due;
	/* LINK: NODE:IFNAME set DOWN or up; out: the lab's overrides,
	 * counted, and its interests (per lab->topo->ns) as they are now */
	char			 node[2 * TOPO_NAME_MAX + 2];
	char			 ifname[IFNAMSIZ];
	bool			 down;
	size_t			 n_overrides;
	/* progress, from the worker (under plock) to the client */
	pthread_mutex_t		 plock;
	struct engine_progress	 prog;
	bool			 progress;
	double			 progress_after, start, last_progress;
	/* out */
	struct report		*report;
	bool			 kept;		/* APPLY: the topology was kept */
	/* REPAIR: when the first event of the pass was seen, by what */
	double			 m_first;
	enum event_src		 src;
	char			 first_ns[KS_NSNAME_MAX];
	bool			 whole;
};

/* labs.c */
struct dlab	*labs_find(struct daemon *, const char *lab);
/* LAB's slot, made if need be (NULL: ENOMEM). */
struct dlab	*labs_get(struct daemon *, const char *lab);
/* Keep TOPO (taken) and its INTERESTS (taken) as LAB's desired state;
 * the lab's namespaces keep their history when they stay. Per topo->ns,
 * MADE and COMPILED (the digests) say what each interest was compiled
 * from (either NULL: not known); where MADE says reused, the interest is
 * the one the lab has for that namespace, compiled from the same. */
int		 labs_keep(struct dlab *, struct topo *,
		    struct interest *interests, const struct labs_made *made,
		    const uint64_t *compiled);
/* repair.c: LAB's namespaces changed: its dirty list made again. */
void		 repair_relist(struct dlab *);
/* No longer keep LAB: no watch, no repairs; the slot goes once idle. */
void		 labs_forget(struct dlab *);
/* Remember the request that made LAB's topology: its file and its text's
 * length and DIGEST (state_text_digest). */
int		 labs_request(struct dlab *, const char *file,
		    const char *digest, size_t len,
		    const struct diag_list *diags);
/* A lab's namespace by name. */
struct dns	*labs_ns_find(struct dlab *, const char *ns);
/* The same, looked for at AT first: a walk in the lab's order (its
 * topology's, a pass's report) finds each there without a search. */
struct dns	*labs_ns_find_at(struct dlab *, const char *ns, size_t at);
struct dns	*labs_ns_any(struct daemon *, const char *ns, struct dlab **);
/* A job for LAB (its topology, if any, taken); run once no other pass
 * of LAB runs. NULL: ENOMEM. */
struct ljob	*labs_job_new(struct dlab *, enum ljob_kind,
		    struct control_req *);
void		 labs_job_submit(struct ljob *);
void		 labs_job_free(struct ljob *);
/* Has LAB a pass running or waiting? */
bool		 labs_busy(const struct dlab *);
void		 labs_free(struct daemon *);
/* The interest of every namespace of TOPO (NULL: ENOMEM); and, unless
 * DIGESTS is NULL, the digest of each one's declaration into it (per
 * topo->ns): compiled once here, a pass then compiles only those not
 * found settled under theirs in MEMORY (engine/memory.h). With DIGESTS
 * and WANTS, those are kept in *WANTS (per topo->ns, a name of "" where
 * not) for the pass to take (engine_opts): a lab's first apply compiles
 * each namespace once, not twice. */
struct interest	*labs_interests(const struct topo *, uint64_t *digests,
		    const struct pass_memory *memory, struct ks_ns **wants);
/* The same where MADE (per topo->ns) says the kept lab has a namespace
 * of the same name compiled from the same source: its digest is taken
 * and it is not compiled again, unless the pass will need what it wants
 * (not settled in MEMORY); MADE then says it was reused, its interest
 * left empty for labs_keep to take. */
struct interest	*labs_interests_since(const struct topo *, uint64_t *digests,
		    const struct pass_memory *memory, struct ks_ns **wants,
		    struct labs_made *made);
/* The kept lab's namespace named NAME (NULL: none). */
const struct labs_prev_ns *labs_prev_find(const struct labs_prev *,
		    const char *name);
int		 labs_prev_take(const struct dlab *, struct labs_prev *);
void		 labs_prev_free(struct labs_prev *);
void		 labs_interests_free(struct interest *, size_t n);
void		 labs_wants_free(struct ks_ns *, size_t n);

/* request.c */
void		 request_handle(void *d, const struct ctl_request *,
		    struct control_req *);
/* Start-up: converge every kept lab, then watch it. */
void		 request_start_labs(struct daemon *);

/* repair.c */
void		 repair_event(void *d, const char *ns, const struct watch_ev *);
void		 repair_gone(void *d, const char *ns, enum watch_src);
void		 repair_lost(void *d, const char *why);
void		 repair_watching(void *d, const char *ns, int nsid,
		    uint64_t ino);
/* Before a pass: every event queued until now taken in. */
void		 repair_sync(struct daemon *);
/* A pass over the whole lab ran (apply, start, link set): watch what it
 * left as the lab's and look at it again once its events come. HEARD
 * (may be NULL) is called with ARG as soon as they are heard (an answer
 * sent then misses no change made after it), before the rest. */
void		 repair_applied(struct dlab *, const struct report *,
		    void (*heard)(void *), void *arg);
/* The periodic pass over every lab. */
void		 repair_resync(struct daemon *);
/* The lab is idle again: run the repair it waits for, if any. */
void		 repair_schedule(struct dlab *);
/* Dispatch and end of a repair pass (labs.c calls them). */
void		 repair_begin(struct ljob *);
void		 repair_end(struct ljob *);
double		 repair_wall(void);
struct backoff_conf repair_backoff_conf(const struct daemon *);

/* repair_status.c: add what the daemon knows to a status. */
int		 repair_status(struct daemon *, struct status *,
		    const char *lab);

#endif
