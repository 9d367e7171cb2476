/*
 * watch: what tells vrfd that a namespace it keeps may have drifted.
 *
 * One NETLINK_ROUTE socket, in the daemon's own namespace, listens to the
 * rtnetlink groups of every namespace at once (NETLINK_LISTEN_ALL_NSID):
 * the kernel delivers an event of another namespace to it when the
 * daemon's namespace has an id (nsid) for that namespace, and says which
 * in a control message. watch_ns_add() gives a kept namespace such an id.
 * So the descriptors do not grow with the labs: one event socket, one
 * request socket (for the ids), one inotify on /run/netns.
 *
 * Holding no descriptor of a watched namespace matters: `ip netns del`
 * then really ends it (its veth peers go away too), as it would without
 * vrfd, and the repair pass sees what a user would.
 *
 * The caller (repair.c) decides what to do: watch only says "namespace NS
 * changed: WHAT" for events that concern objects vrfd owns (and, flagged,
 * for foreign routes), or "events were lost" (ENOBUFS) when the kernel
 * dropped some. watch_event.c tells which events those are.
 */
#ifndef VRFD_WATCH_H
#define VRFD_WATCH_H

#include <stdbool.h>
#include <stdint.h>

struct ev_loop;
struct watch;

enum watch_src {
	WATCH_NETLINK,
	WATCH_INOTIFY,
	WATCH_RESYNC,		/* not watch's: the daemon's periodic pass */
};

/* What a change is, besides its namespace and words. */
#define WATCH_GONE	0x1	/* it went (its name or its id); forgotten */
#define WATCH_ECHO	0x2	/* read by watch_drain(): likely our own */
#define WATCH_FOREIGN	0x4	/* about a route that is not ours */

/* A neighbour event, for watch_ops.touched. */
struct watch_neigh {
	int		 family;
	uint8_t		 ip[16];
	int		 ifindex;
	bool		 kept;		/* permanent or marked: the kind of
					   entry a pass reads */
};

struct watch_ops {
	/* NS changed; WHAT says how ("route 10.8.0.0/16 deleted"). */
	void	(*changed)(void *arg, const char *ns, const char *what,
		    enum watch_src, unsigned flags);
	/* Events were lost: any watched namespace may have changed. */
	void	(*lost)(void *arg, const char *why);
	/* Optional. NS is watched from now on, or no longer: only then do
	 * its events arrive. */
	void	(*watching)(void *arg, const char *ns, bool);
	/* Optional. Any object in watched NS changed, vrfd's or not (NB
	 * says which neighbour, for neighbour events; else NULL): what was
	 * read there before may be stale. Called before changed(). */
	void	(*touched)(void *arg, const char *ns,
		    const struct watch_neigh *nb);
};

struct watch	*watch_new(struct ev_loop *, const struct watch_ops *,
		    void *arg);				/* NULL, errno */
void		 watch_free(struct watch *);
/* Watch NS: give it an id in our namespace, learn its links. 0, -ENOENT
 * (no such namespace), -errno. Again on a watched NS: refresh. */
int		 watch_ns_add(struct watch *, const char *ns);
void		 watch_ns_del(struct watch *, const char *ns);
/* "netlink", "inotify", "resync". */
const char	*watch_src_name(enum watch_src);
/* Read every event queued now, at once: called right after a pass of
 * ours, whose own changes are what these events mostly are. They still
 * mark namespaces dirty (a change made by someone else during the pass may
 * be among them), flagged WATCH_ECHO so that a later event names the
 * drift better. */
void		 watch_drain(struct watch *);
/* Read every event queued now, as they would be in the loop: before
 * answering from what was read earlier. False when more were queued than
 * it reads at once (what was read earlier cannot be trusted then). */
bool		 watch_sync(struct watch *);
/* Try again what failed at start (inotify on a missing /run/netns). */
void		 watch_retry(struct watch *);

#endif
