/*
 * watch_ends: a watched namespace's end, heard only after a namespace
 * was made again under its name (daemon/watch.c), on a real kernel.
 * Root, and only inside tests/netns/sandbox (t_watch_ends).
 *
 * A lab destroyed and made again at once: the old namespace's name was
 * removed (inotify) and its id ended (RTM_DELNSID), and the new one under
 * the same name took the same id. vrfd may read those two ends only once
 * it watches the new one: they are not its end. A namespace that really
 * went, or whose name now holds another one, has ended.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <ev.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "check.h"
#include "daemon/log.h"
#include "daemon/watch.h"
#include "kernel/netns.h"
#include "kernel/nsid.h"

#define MARK	"vrfd lab=ends router=a"

struct heard {
	unsigned	 gone[3];	/* by enum watch_src */
	int		 nsid;		/* the last `watching` */
	uint64_t	 ino;
};

static void
on_event(void *arg, const char *ns, const struct watch_ev *ev)
{
	(void)arg;
	(void)ns;
	(void)ev;
}

static void
on_gone(void *arg, const char *ns, enum watch_src src)
{
	struct heard	*h = arg;

	printf("  gone: %s (%s)\n", ns, watch_src_name(src));
	h->gone[src]++;
}

static void
on_lost(void *arg, const char *why)
{
	(void)arg;
	printf("  lost: %s\n", why);
}

static void
on_watching(void *arg, const char *ns, int nsid, uint64_t ino)
{
	struct heard	*h = arg;

	(void)ns;
	h->nsid = nsid;
	h->ino = ino;
}

static const struct watch_ops ops = {
	.event = on_event, .gone = on_gone, .lost = on_lost,
	.watching = on_watching,
};

static struct ev_loop	*loop;
static struct mnl_socket *mon;	/* our namespace's ids, as they end */
static struct heard	 heard;
static struct watch	*w;

/* Wait (5 s at most) until our namespace's id NSID has ended. */
static int
wait_delnsid(int nsid)
{
	char		 buf[8192] __attribute__((aligned(8)));
	struct pollfd	 p = { .fd = mnl_socket_get_fd(mon), .events = POLLIN };

	while (poll(&p, 1, 5000) == 1) {
		ssize_t			 n = mnl_socket_recvfrom(mon, buf,
					    sizeof(buf));
		const struct nlmsghdr	*nlh = (void *)buf;
		int			 len = (int)n;

		for (; n > 0 && mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == RTM_DELNSID &&
			    nsid_of(nlh) == nsid)
				return 0;
	}
	return -1;
}

/* Make and watch NAME: its id here. */
static int
make_watched(const char *name)
{
	const char	*names[] = { name };
	int		 rv = -1;

	CHECK(netns_create(name, MARK, NULL, NULL) == 0);
	heard.nsid = -1;
	CHECK(watch_ns_add(w, names, 1, &rv, NULL, NULL) == 0);
	CHECK(rv == 0);
	CHECK(heard.ino == netns_id(name));
	return heard.nsid;
}

/* The ends heard since the last call: by netlink (ids), by inotify
 * (names); and whether NSID is still watched (-1: not). */
static void
heard_ends(unsigned netlink, unsigned inotify, int nsid)
{
	CHECK_INTEQ(heard.gone[WATCH_NETLINK], netlink);
	CHECK_INTEQ(heard.gone[WATCH_INOTIFY], inotify);
	CHECK_INTEQ(heard.nsid, nsid);
	memset(heard.gone, 0, sizeof(heard.gone));
}

/* destroy, then apply at once: the old ends are read late, and are not
 * the new namespace's */
static void
test_made_again(void)
{
	int	 id, again;

	id = make_watched("ends-a");
	CHECK(id >= 0);
	/* as a destroy does: forgotten, then deleted */
	watch_ns_del(w, "ends-a");
	CHECK(netns_delete("ends-a") == 0);
	CHECK(wait_delnsid(id) == 0);
	again = make_watched("ends-a");
	/* the same id again: the case this is about */
	CHECK_INTEQ(again, id);
	CHECK(watch_sync(w));
	heard_ends(0, 0, again);		/* still watched */
	CHECK(netns_delete("ends-a") == 0);
	CHECK(wait_delnsid(again) == 0);
	CHECK(watch_sync(w));
	memset(heard.gone, 0, sizeof(heard.gone));
}

/* a watched namespace deleted: gone, once, by its name */
static void
test_really_gone(void)
{
	int	 id = make_watched("ends-b");

	CHECK(netns_delete("ends-b") == 0);
	CHECK(wait_delnsid(id) == 0);
	CHECK(watch_sync(w));
	/* its id's end (read first), then its name's: not watched by
	 * then, and told all the same (a name may be gone before it was
	 * watched) */
	heard_ends(1, 1, -1);
}

/* deleted, and someone else's namespace bound on the name before the
 * ends are read: the watched one is gone all the same */
static void
test_other_on_name(void)
{
	int	 id = make_watched("ends-c");

	CHECK(netns_delete("ends-c") == 0);
	CHECK(wait_delnsid(id) == 0);
	CHECK(netns_create("ends-c", "not vrfd's", NULL, NULL) == 0);
	CHECK(watch_sync(w));
	heard_ends(1, 1, -1);
	CHECK(netns_delete("ends-c") == 0);
}

int
main(void)
{
	unsigned	 group = RTNLGRP_NSID;

	log_init("watch_ends", 1, false);
	loop = ev_default_loop(0);
	if ((mon = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(mon, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(mon, NETLINK_ADD_MEMBERSHIP, &group,
	    sizeof(group)) < 0) {
		perror("watch_ends: netlink");
		return 1;
	}
	if ((w = watch_new(loop, &ops, &heard)) == NULL) {
		perror("watch_ends: watch_new");
		return 1;
	}
	RUN(test_made_again);
	RUN(test_really_gone);
	RUN(test_other_on_name);
	watch_free(w);
	mnl_socket_close(mon);
	return CHECK_DONE();
}
