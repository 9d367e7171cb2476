/*
 * watch: what tells vrfd that a namespace it keeps may have drifted.
 *
 * One NETLINK_ROUTE socket, in the daemon's own namespace, listens to the
 * rtnetlink groups of every namespace at once (NETLINK_LISTEN_ALL_NSID):
 * the kernel delivers an event of another namespace to it when the
 * daemon's namespace has an id (nsid) for that namespace, and says which
 * in a control message. watch_ns_add() gives kept namespaces such ids.
 * So the descriptors do not grow with the labs: one event socket, one
 * request socket (for the ids), one inotify on /run/netns.
 *
 * Holding no descriptor of a watched namespace matters: `ip netns del`
 * then really ends it (its veth peers go away too), as it would without
 * vrfd, and the repair pass sees what a user would.
 *
 * The caller (repair.c) decides what to do with each event, decoded
 * (watch_event.h): watch only reads them, names their devices, and says
 * when a namespace is gone or events were lost (ENOBUFS).
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

struct watch_ev;

struct watch_ops {
	/* An event in the watched namespace NS. */
	void	(*event)(void *arg, const char *ns, const struct watch_ev *);
	/* NS is gone: its name left /run/netns (inotify; also of a
	 * namespace not watched), or its id ended. */
	void	(*gone)(void *arg, const char *ns, enum watch_src);
	/* Events were lost: any watched namespace may have changed. */
	void	(*lost)(void *arg, const char *why);
	/* NS is watched from now on as namespace INO (its nsfs inode),
	 * whose id in the daemon's namespace is NSID; or, NSID -1, no
	 * longer: only while watched do its events arrive. */
	void	(*watching)(void *arg, const char *ns, int nsid, uint64_t ino);
};

struct watch	*watch_new(struct ev_loop *, const struct watch_ops *,
		    void *arg);				/* NULL, errno */
void		 watch_free(struct watch *);
/* Watch each of the N NAMES: give it an id in our namespace, learn its
 * links (without entering it; on two threads where there are many).
 * RV[i]: 0, -ENOENT (no such namespace), -errno. Again on a watched
 * name: refresh. 0, or -ENOMEM (none watched). HEARD (may be NULL) is
 * called with ARG once each has its id, before their links are read:
 * their events reach the socket from then on, and are read, named by
 * those links, only once this returns. HEARD is called in any case. */
int		 watch_ns_add(struct watch *, const char *const *names,
		    size_t n, int *rv, void (*heard)(void *), void *arg);
void		 watch_ns_del(struct watch *, const char *ns);
/*
 * Hear the events of other namespaces than ours, or not for a while
 * (calls nest); not hearing them, hear none at all. While a lab of
 * thousands of namespaces ends, the kernel would walk every id we gave
 * (peernet2id) for each event of its teardown, to learn it is for
 * nobody: the teardown took 3-5 times as long. And while any socket at
 * all is in their groups, it builds those events (the floor's teardown
 * of a chain of 4000: 0.8 s alone, 1.4-2.0 s beside an `ip monitor`).
 * Hearing again, `lost` says that any may have changed meanwhile.
 */
void		 watch_others(struct watch *, bool hear);
/* "netlink", "inotify", "resync". */
const char	*watch_src_name(enum watch_src);
/* Read every event queued now, as they would be in the loop: before
 * answering from what was read earlier. False when more were queued than
 * it reads at once (what was read earlier cannot be trusted then). */
bool		 watch_sync(struct watch *);
/* Try again what failed at start (inotify on a missing /run/netns). */
void		 watch_retry(struct watch *);

#endif
