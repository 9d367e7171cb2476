/*
 * watch: rtnetlink events of every kept namespace on one socket
 * (NETLINK_LISTEN_ALL_NSID), and inotify on /run/netns.
 *
 * Where it sits: the kernel's events come in here; the ones about objects
 * vrfd owns become "namespace NS changed: WHAT" for daemon.c, which marks
 * the namespace dirty and runs a repair pass (repair.c says when).
 * Nothing here changes the kernel.
 *
 * Which events count, and in what words, is watch_event.c's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "kernel/kstate.h"
#include "log.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nsid.h"
#include "util/keyidx.h"
#include "util/parallel.h"
#include "watch.h"
#include "watch_event.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define WATCH_RCVBUF	(8 * 1024 * 1024)
#define WATCH_BUF	(64 * 1024)
/* Datagrams per wake-up: a flood must not starve the control socket. */
#define WATCH_BURST	1024
/* ... and in a drain: all of a big apply's echo, but not forever. */
#define WATCH_DRAIN_MAX	65536
/* Namespaces watched at once from which their link dumps take two
 * threads. */
#define WATCH_DUMP_PAIR	16

/* The groups heard. */
static const unsigned watch_groups[] = {
	RTNLGRP_LINK, RTNLGRP_NEIGH, RTNLGRP_IPV4_IFADDR,
	RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,
	RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF, RTNLGRP_NSID,
	RTNLGRP_TC,		/* qdiscs: the impairments */
};
#define WATCH_N_GROUPS	(sizeof(watch_groups) / sizeof(watch_groups[0]))

struct watch {
	struct ev_loop		*loop;
	const struct watch_ops	*ops;
	void			*arg;
	struct mnl_socket	*ev;
	ev_io			 ev_w;
	struct nl_sock		*req;		/* nsid requests */
	int			 ino_fd;
	int			 ino_wd;
	ev_io			 ino_w;
	struct watch_ns		*ns;
	size_t			 n_ns;
	/* Every event names its namespace by id: ns's index + 1 of each id
	 * (the kernel gives small ones, from 0), 0 for none. */
	size_t			*by_id;
	size_t			 n_by_id;
	size_t			 hint;		/* the lowest id maybe free */
	struct nameidx		 by_name;	/* ns, for watching and
						   forgetting thousands */
	unsigned		 deaf;		/* watch_others(false) calls
						   not yet undone */
	char			*buf;
};

const char *
watch_src_name(enum watch_src s)
{
	switch (s) {
	case WATCH_NETLINK:
		return "netlink";
	case WATCH_INOTIFY:
		return "inotify";
	case WATCH_RESYNC:
		break;
	}
	return "resync";
}

/* The name of ns[I], for the index. */
static const char *
watch_ns_name(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct watch, by_name)->ns[i].name;
}

static struct watch_ns *
watch_ns_find(const struct watch *w, const char *name)
{
	ssize_t	 i = nameidx_find(&w->by_name, name);

	return i < 0 ? NULL : &w->ns[i];
}

static struct watch_ns *
watch_ns_by_id(const struct watch *w, int nsid)
{
	if (nsid < 0 || (size_t)nsid >= w->n_by_id || w->by_id[nsid] == 0)
		return NULL;
	return &w->ns[w->by_id[nsid] - 1];
}

/* ID leads to w->ns[I] from now on (I = n_ns: to nothing). 0, -ENOMEM. */
static int
watch_id_set(struct watch *w, int nsid, size_t i)
{
	size_t	*v, n;

	if (nsid < 0)
		return 0;
	if ((size_t)nsid >= w->n_by_id) {
		if (i == w->n_ns)
			return 0;
		n = 2 * (size_t)nsid + 16;
		if ((v = reallocarray(w->by_id, n, sizeof(*v))) == NULL)
			return -ENOMEM;
		memset(v + w->n_by_id, 0, (n - w->n_by_id) * sizeof(*v));
		w->by_id = v;
		w->n_by_id = n;
	}
	w->by_id[nsid] = i == w->n_ns ? 0 : i + 1;
	if (i == w->n_ns && (size_t)nsid < w->hint)
		w->hint = (size_t)nsid;
	return 0;
}

/* An id no watched namespace has, to ask the kernel for: the lowest, as
 * the kernel gives them (watch_id_set goes back when one is freed). */
static int
watch_id_hint(struct watch *w)
{
	while (w->hint < w->n_by_id && w->by_id[w->hint] != 0)
		w->hint++;
	return w->hint < INT_MAX ? (int)w->hint : -1;
}

/*
 * Is the namespace watched as WN still bound on its name? Then an end
 * heard for that name or id, read only now, was of the namespace before
 * it: names and ids are taken again (a lab destroyed and made again at
 * once), and the kernel's word of the old one's end can be read after
 * the new one is watched. One stat, of a name heard to end.
 */
static bool
watch_ns_still_bound(const struct watch_ns *wn)
{
	return wn->ino != 0 && netns_id(wn->name) == wn->ino;
}

/* RTM_DELNSID in our own namespace: a watched namespace has ended. */
static void
watch_nsid_event(struct watch *w, const struct nlmsghdr *nlh)
{
	struct watch_ns		*wn;
	char			 name[KS_NSNAME_MAX];
	int			 nsid;

	if ((nsid = nsid_of(nlh)) < 0 ||
	    (wn = watch_ns_by_id(w, nsid)) == NULL)
		return;
	if (watch_ns_still_bound(wn)) {
		log_debug("watch", "%s: an earlier holder of id %d ended",
		    wn->name, nsid);
		return;
	}
	snprintf(name, sizeof(name), "%s", wn->name);
	watch_ns_del(w, name);
	w->ops->gone(w->arg, name, WATCH_NETLINK);
}

static void
watch_msg(struct watch *w, const struct nlmsghdr *nlh, int nsid)
{
	struct watch_ns	*wn;
	struct watch_ev	 ev;
	char		 name[KS_NSNAME_MAX];
	int		 rv;

	if (nsid < 0) {
		/* Our own namespace: only its nsid table interests us. */
		if (nlh->nlmsg_type == RTM_DELNSID)
			watch_nsid_event(w, nlh);
		return;
	}
	if ((wn = watch_ns_by_id(w, nsid)) == NULL)
		return;
	if ((rv = watch_event_decode(wn, nlh, &ev)) < 0) {
		/* A change not read is as good as lost. */
		if (rv == -ENOMEM)
			w->ops->lost(w->arg, "netlink event not read: out "
			    "of memory");
		return;
	}
	log_debug("watch", "%s: %s", wn->name, ev.what);
	/* The callback may change w->ns: hand it a copy of the name. */
	snprintf(name, sizeof(name), "%s", wn->name);
	w->ops->event(w->arg, name, &ev);
	watch_event_clear(&ev);
}

/* Read at most BURST datagrams, fewer if the socket runs dry: true when
 * it did. */
static bool
watch_ev_read(struct watch *w, long burst)
{
	int	 fd = mnl_socket_get_fd(w->ev);

	for (long k = 0; k < burst; k++) {
		char		 cbuf[CMSG_SPACE(sizeof(int))];
		struct sockaddr_nl sa;
		struct iovec	 iov = { w->buf, WATCH_BUF };
		struct msghdr	 m = {
			.msg_name = &sa, .msg_namelen = sizeof(sa),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		const struct nlmsghdr *nlh;
		struct cmsghdr	*c;
		ssize_t		 n;
		int		 nsid = -1, len;

		if ((n = recvmsg(fd, &m, 0)) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			if (errno == ENOBUFS) {
				/* The stream has a hole: trust none of it. */
				log_warnx("watch: event socket overrun; "
				    "re-reading every watched namespace");
				w->ops->lost(w->arg, "netlink events lost "
				    "(ENOBUFS)");
				continue;
			}
			log_warn("watch: recvmsg");
			return false;
		}
		if (sa.nl_pid != 0)
			continue;	/* not from the kernel */
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_NETLINK &&
			    c->cmsg_type == NETLINK_LISTEN_ALL_NSID)
				memcpy(&nsid, CMSG_DATA(c), sizeof(nsid));
		if (m.msg_flags & MSG_TRUNC) {
			w->ops->lost(w->arg, "netlink event truncated");
			continue;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)w->buf;
		    mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			watch_msg(w, nlh, nsid);
	}
	return false;
}

static void
watch_ev_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	(void)loop;
	(void)revents;
	(void)watch_ev_read(io->data, WATCH_BURST);
}

/* inotify on /run/netns: names that come and go. */

static void
watch_ino_add(struct watch *w)
{
	if (w->ino_fd < 0 || w->ino_wd >= 0)
		return;
	/* The directory must be there to watch it; netns_create would
	 * make it anyway, as iproute2 does. */
	(void)mkdir(NETNS_RUN_DIR, 0755);
	w->ino_wd = inotify_add_watch(w->ino_fd, NETNS_RUN_DIR,
	    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR);
	if (w->ino_wd < 0)
		log_warn("watch: inotify on %s", NETNS_RUN_DIR);
}

static void
watch_ino_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct watch	*w = io->data;
	struct watch_ns	*wn;
	char		 buf[16384]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t		 n;

	(void)loop;
	(void)revents;
	while ((n = read(w->ino_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (void *)p;
			bool	 gone = e->mask & (IN_DELETE | IN_MOVED_FROM);

			p += sizeof(*e) + e->len;
			if (e->mask & IN_IGNORED) {
				w->ino_wd = -1;	/* watch_retry adds it */
				continue;
			}
			if (e->mask & IN_Q_OVERFLOW) {
				w->ops->lost(w->arg, "inotify events lost");
				continue;
			}
			/* A name that comes is our own pass making it, or
			 * someone taking a name we would need: nothing to
			 * repair either way, and counting it as drift would
			 * name the next real drift after it. */
			if (e->len == 0 || e->name[0] == '.' || !gone)
				continue;
			if ((wn = watch_ns_find(w, e->name)) != NULL &&
			    watch_ns_still_bound(wn)) {
				log_debug("watch", "%s: namespace name removed, "
				    "and bound again on the one watched",
				    e->name);
				continue;
			}
			log_debug("watch", "%s: namespace name removed",
			    e->name);
			watch_ns_del(w, e->name);
			w->ops->gone(w->arg, e->name, WATCH_INOTIFY);
		}
	}
}

/* NAME given an id in our namespace and a place in w->ns, its inode
 * into *INO. 0, -ENOENT, -errno. */
static int
watch_ns_id(struct watch *w, const char *name, uint64_t *ino)
{
	struct watch_ns	*wn, *v;
	int		 fd, nsid, rv;

	if ((fd = netns_open(name)) < 0)
		return fd == -EINVAL ? -ENOENT : fd;
	if ((rv = nsid_get(w->req, fd, watch_id_hint(w), &nsid)) < 0) {
		close(fd);
		return rv;
	}
	/* Not the hint: taken by someone else, or not needed; either way
	 * the next one asks for the next. */
	if (nsid != (int)w->hint)
		w->hint++;
	/* An id is never shared: if another name had it, that namespace
	 * has ended and this one took the id over. */
	if ((wn = watch_ns_by_id(w, nsid)) != NULL &&
	    strcmp(wn->name, name) != 0) {
		char	 old[KS_NSNAME_MAX];

		snprintf(old, sizeof(old), "%s", wn->name);
		watch_ns_del(w, old);
	}
	*ino = netns_id_fd(fd);
	close(fd);
	if ((wn = watch_ns_find(w, name)) == NULL) {
		if ((v = reallocarray(w->ns, w->n_ns + 1, sizeof(*v))) ==
		    NULL)
			return -ENOMEM;
		w->ns = v;
		wn = &w->ns[w->n_ns];
		memset(wn, 0, sizeof(*wn));
		snprintf(wn->name, sizeof(wn->name), "%s", name);
		wn->nsid = -1;
		if (nameidx_put(&w->by_name, wn->name, w->n_ns) < 0)
			return -ENOMEM;
		w->n_ns++;
	}
	if ((rv = watch_id_set(w, nsid, (size_t)(wn - w->ns))) < 0) {
		if (wn->nsid < 0) {	/* new, and last */
			nameidx_drop(&w->by_name, wn->name);
			w->n_ns--;
		}
		return rv;
	}
	if (wn->nsid >= 0 && wn->nsid != nsid)
		(void)watch_id_set(w, wn->nsid, w->n_ns);
	wn->nsid = nsid;
	wn->ino = *ino;
	return 0;
}

/* The link dumps of watch_ns_add, shared out among threads. */
struct watch_dumps {
	struct watch	 *w;
	pthread_t	  caller;	/* it has w->req; others their own */
	struct watch_ns	**v;
	int		 *rv;
	size_t		  n, next;
};

static void *
watch_dump_some(void *arg)
{
	struct watch_dumps	*d = arg;
	struct nl_sock		*s = d->w->req;
	bool			 own = !pthread_equal(pthread_self(),
				    d->caller);
	size_t			 i;

	/* Opened here, in our own namespace, as the thread starts in it;
	 * without it, the caller dumps them all. */
	if (own && (s = nl_open(-1)) == NULL)
		return NULL;
	while ((i = parallel_take(&d->next)) < d->n)
		d->rv[i] = watch_event_links(d->v[i], s, d->v[i]->nsid);
	if (own)
		nl_close(s);
	return NULL;
}

int
watch_ns_add(struct watch *w, const char *const *names, size_t n,
    int *rv, void (*heard)(void *), void *arg)
{
	struct watch_dumps	 d = { .w = w, .caller = pthread_self() };
	uint64_t		*ino;

	if ((ino = calloc(n + 1, sizeof(*ino))) == NULL ||
	    (d.v = calloc(n + 1, sizeof(*d.v))) == NULL ||
	    (d.rv = calloc(n + 1, sizeof(*d.rv))) == NULL) {
		free(ino);
		free(d.v);
		if (heard)
			heard(arg);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		rv[i] = watch_ns_id(w, names[i], &ino[i]);
	/* The kernel sends a namespace's events here only once it has an
	 * id here: from now on nothing is missed, whatever HEARD lets
	 * happen (an answer, a user's change after it). */
	if (heard)
		heard(arg);
	/* Found again by name: w->ns moved as it grew, and a name later in
	 * NAMES may have taken an earlier one's id (that one has ended).
	 * Those found are d.v, their inodes moved down beside them. */
	for (size_t i = 0; i < n; i++) {
		struct watch_ns	*wn;

		if (rv[i] != 0)
			continue;
		if ((wn = watch_ns_find(w, names[i])) == NULL) {
			rv[i] = -ENOENT;
			continue;
		}
		ino[d.n] = ino[i];
		d.v[d.n++] = wn;
	}
	/* Their links, by id, without entering them: a dump each, most of
	 * the time a cold apply's answer waits for here, so on two threads
	 * where there are many. */
	parallel_run(watch_dump_some, &d, d.n >= WATCH_DUMP_PAIR &&
	    parallel_cores() > 1 ? 2 : 1);
	for (size_t k = 0; k < d.n; k++) {
		struct watch_ns	*wn = d.v[k];

		if (d.rv[k] < 0)
			log_debug("watch", "%s: link dump: %s", wn->name,
			    strerror(-d.rv[k]));
		w->ops->watching(w->arg, wn->name, wn->nsid, ino[k]);
		log_debug("watch", "%s: watched (nsid %d)", wn->name,
		    wn->nsid);
	}
	free(ino);
	free(d.v);
	free(d.rv);
	return 0;
}

void
watch_ns_del(struct watch *w, const char *name)
{
	struct watch_ns	*wn = watch_ns_find(w, name);

	/* The id stays until the namespace ends; we only stop listening.
	 * Events under it are dropped from now on. */
	if (wn == NULL)
		return;
	log_debug("watch", "%s: not watched", name);
	watch_event_links_free(wn);
	(void)watch_id_set(w, wn->nsid, w->n_ns);
	nameidx_drop(&w->by_name, wn->name);
	*wn = w->ns[--w->n_ns];
	/* The last one took its place (the index finds it by the copy
	 * still at its old place, n_ns; no memory needed to move it). */
	if (wn != &w->ns[w->n_ns]) {
		(void)watch_id_set(w, wn->nsid, (size_t)(wn - w->ns));
		(void)nameidx_put(&w->by_name, wn->name,
		    (size_t)(wn - w->ns));
	}
	w->ops->watching(w->arg, name, -1, 0);
}

/* Join (or leave) every group of watch_groups. 0, -1 (errno). */
static int
watch_groups_join(int fd, bool join)
{
	int	 opt = join ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;

	for (size_t i = 0; i < WATCH_N_GROUPS; i++)
		if (setsockopt(fd, SOL_NETLINK, opt, &watch_groups[i],
		    sizeof(watch_groups[i])) < 0)
			return -1;
	return 0;
}

void
watch_others(struct watch *w, bool hear)
{
	int	 fd = mnl_socket_get_fd(w->ev), on = hear;

	if (hear ? w->deaf == 0 || --w->deaf > 0 : w->deaf++ > 0)
		return;
	/* Out of the groups too: the kernel builds an event only if some
	 * socket anywhere is in its group (one set of listeners for every
	 * namespace), and a teardown's events are thousands. */
	if (watch_groups_join(fd, hear) < 0)
		log_warn("watch: %s the groups", hear ? "joining" : "leaving");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &on,
	    sizeof(on)) < 0)
		log_warn("watch: NETLINK_LISTEN_ALL_NSID %d", on);
	log_debug("watch", "other namespaces %s", hear ? "heard again; "
	    "every watched namespace read again" : "not heard");
	if (hear)
		w->ops->lost(w->arg, "events not heard while a lab ended");
}

struct watch *
watch_new(struct ev_loop *loop, const struct watch_ops *ops, void *arg)
{
	struct watch	*w;
	int		 fd, one = 1, sz = WATCH_RCVBUF, err;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->loop = loop;
	w->ops = ops;
	w->arg = arg;
	w->ino_fd = w->ino_wd = -1;
	nameidx_init(&w->by_name, watch_ns_name);
	if ((w->buf = malloc(WATCH_BUF)) == NULL)
		goto fail;
	if ((w->ev = mnl_socket_open2(NETLINK_ROUTE,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) == NULL ||
	    mnl_socket_bind(w->ev, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	fd = mnl_socket_get_fd(w->ev);
	if (watch_groups_join(fd, true) < 0)
		goto fail;
	/* Needs CAP_NET_BROADCAST (root has it; see vrfd.service). */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &one,
	    sizeof(one)) < 0)
		goto fail;
	/* A big apply echoes thousands of events at once. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if ((w->req = nl_open(-1)) == NULL)
		goto fail;
	if ((w->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		goto fail;
	watch_ino_add(w);
	ev_io_init(&w->ev_w, watch_ev_cb, fd, EV_READ);
	w->ev_w.data = w;
	ev_io_start(loop, &w->ev_w);
	ev_io_init(&w->ino_w, watch_ino_cb, w->ino_fd, EV_READ);
	w->ino_w.data = w;
	ev_io_start(loop, &w->ino_w);
	return w;
 fail:
	err = errno;
	watch_free(w);
	errno = err;
	return NULL;
}

bool
watch_sync(struct watch *w)
{
	bool	 dry = watch_ev_read(w, WATCH_DRAIN_MAX);

	if (w->ino_fd >= 0)
		watch_ino_cb(w->loop, &w->ino_w, EV_READ);
	return dry;
}

void
watch_retry(struct watch *w)
{
	watch_ino_add(w);
}

void
watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	if (w->ev) {
		ev_io_stop(w->loop, &w->ev_w);
		mnl_socket_close(w->ev);
	}
	if (w->ino_fd >= 0) {
		ev_io_stop(w->loop, &w->ino_w);
		close(w->ino_fd);
	}
	if (w->req)
		nl_close(w->req);
	for (size_t i = 0; i < w->n_ns; i++)
		watch_event_links_free(&w->ns[i]);
	free(w->ns);
	free(w->by_id);
	nameidx_free(&w->by_name);
	free(w->buf);
	free(w);
}
