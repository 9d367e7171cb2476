/*
 * apply: make the planned changes in the kernel.
 *
 * Stage by stage, in plan order. The netlink changes of one namespace and
 * one stage go out as one batch through that namespace's socket. New links
 * of the whole lab go out as one batch through a socket of our own
 * namespace: a veth pair is one message that names both namespaces
 * (IFLA_NET_NS_FD), and a bridge or the VXLAN end of a link between
 * hosts is made straight into its namespace the same way. Every change
 * gets its own result; a failure keeps the kernel's message and the rest
 * go on, so that a second pass finishes the work.
 *
 * Conflicts (found by diff) are never sent. Running out of memory here
 * stops the apply: what was not made then says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "kernel/clock.h"
#include "kernel/lookup.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"
#include "kernel/nsid.h"
#include "kernel/own.h"
#include "kernel/sysctl.h"
#include "pass.h"
#include "procs.h"
#include "util/parallel.h"

/* The links of one namespace by name, as this pass leaves them: what the
 * kernel had, less what was deleted, plus what was made. */
struct apply_ifmap {
	struct { char name[IFNAMSIZ]; int ifindex; } *v;
	size_t		 n;
	struct nameidx	 idx;		/* v by name: a hub has thousands */
	bool		 filled;	/* from the links as read */
};

/* How long the namespaces whose names went may all go on living, none of
 * them ending, before those left count as held by something (s): a
 * status running beside the pass holds one for a moment, and the kernel
 * ends thousands at its own pace. */
#define APPLY_END_WAIT	0.2
/* Names unbound at once by up to this many threads, one for every
 * APPLY_UNBIND_EACH names (see apply_unbind). */
#define APPLY_UNBIND_THREADS	8
#define APPLY_UNBIND_EACH	16
/* Namespaces held open while their names are unbound, at most this many
 * at once (a descriptor each; see apply_unbind). */
#define APPLY_HOLD_MAX		4096
/* Namespaces made on two threads from this many on, and at most this
 * many before the pass's handles are trimmed (PASS_MAX_OPEN). */
#define APPLY_CREATE_PAIR	8
#define APPLY_CREATE_CHUNK	256

struct apply {
	struct pass		*p;
	struct apply_ifmap	*maps;		/* one per pass.ns */
	size_t			 since_progress;
	int			 fatal;		/* -ENOMEM: stop making more */
};

static const char *
apply_ifmap_name(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct apply_ifmap, idx)->v[i].name;
}

static int
apply_ifmap_set(struct apply_ifmap *m, const char *name, int ifindex)
{
	ssize_t	 k = nameidx_find(&m->idx, name);
	void	*v;

	if (k >= 0) {
		m->v[k].ifindex = ifindex;
		return 0;
	}
	/* room doubles at each power of two */
	if ((m->n & (m->n - 1)) == 0) {
		if ((v = reallocarray(m->v, m->n ? 2 * m->n : 1,
		    sizeof(*m->v))) == NULL)
			return -ENOMEM;
		m->v = v;
	}
	snprintf(m->v[m->n].name, IFNAMSIZ, "%s", name);
	m->v[m->n].ifindex = ifindex;
	if (m->idx.name == NULL)
		nameidx_init(&m->idx, apply_ifmap_name);
	if (nameidx_put(&m->idx, m->v[m->n].name, m->n) < 0)
		return -ENOMEM;
	m->n++;
	return 0;
}

/* Namespace NS's map, made from its links as read the first time it is
 * needed: a pass that changes two namespaces of thousands makes two. */
static struct apply_ifmap *
apply_map(struct apply *a, size_t ns)
{
	struct apply_ifmap	*m = &a->maps[ns];
	const struct ks_ns	*have = &a->p->ns[ns].have;

	if (m->filled)
		return m;
	m->filled = true;
	for (size_t k = 0; k < have->n_links; k++)
		if (apply_ifmap_set(m, have->links[k].name,
		    have->links[k].ifindex) < 0)
			a->fatal = -ENOMEM;
	return m;
}

static int
apply_ifindex(struct apply *a, size_t ns, const char *name)
{
	const struct apply_ifmap *m = apply_map(a, ns);
	ssize_t			 k = nameidx_find(&m->idx, name);

	return k < 0 ? 0 : m->v[k].ifindex;
}

static int
apply_category(enum change_kind k)
{
	if (k == CH_NS_CREATE || k == CH_NS_DELETE)
		return ENGINE_PROG_NS;
	if (k == CH_LINK_CREATE || k == CH_LINK_DEL || k == CH_LINK_SET)
		return ENGINE_PROG_LINKS;
	return ENGINE_PROG_OBJECTS;
}

/* What the pass knows of the links once C is made: a link deleted is no
 * more, a link made has the index it was given. */
static int
apply_learn(struct apply *a, const struct change *c)
{
	int	 rv = 0;

	if (c->kind == CH_LINK_DEL)
		rv = apply_ifmap_set(apply_map(a, c->ns), c->link->name, 0);
	if (c->kind == CH_LINK_CREATE) {
		rv = apply_ifmap_set(apply_map(a, c->ns), c->link->name,
		    c->new_ifindex);
		if (rv == 0 && c->peer)
			rv = apply_ifmap_set(apply_map(a, c->peer_ns),
			    c->peer->name, c->new_peer_ifindex);
	}
	if (c->kind == CH_NS_CREATE)
		rv = apply_ifmap_set(apply_map(a, c->ns), "lo", 1);
	return rv;
}

static void
apply_result(struct apply *a, struct change *c, int err, const char *extack)
{
	struct pass	*p = a->p;
	int		 rv;

	/* Something already gone is what a removal wanted: also an object
	 * whose link went first, with its peer's namespace. */
	if (err == -ENODEV && (c->kind == CH_LINK_DEL ||
	    c->kind == CH_ROUTE_DEL || c->kind == CH_NEIGH_DEL ||
	    c->kind == CH_ADDR_DEL))
		err = 0;
	if ((err == -ESRCH || err == -ENOENT || err == -EADDRNOTAVAIL) &&
	    (c->kind == CH_ROUTE_DEL || c->kind == CH_NEIGH_DEL ||
	    c->kind == CH_ADDR_DEL))
		err = 0;
	if ((err == -ENOENT || err == -ENODEV) && c->kind == CH_QDISC_DEL)
		err = 0;
	/* Given back after a link went down, but kept by the kernel
	 * (keep_addr_on_down): there, as wanted. */
	if (err == -EEXIST && c->again && c->kind == CH_ADDR_ADD)
		err = 0;
	/* The host check (impair_check_host) refuses this first; a kept
	 * lab met on a kernel without netem still says why. */
	if (err == -ENOENT && c->kind == CH_QDISC_SET &&
	    c->qdisc->kind == KS_QDISC_NETEM)
		extack = "this kernel has no netem qdisc (module sch_netem)";
	c->err = err;
	if (err && extack && extack[0] && c->extack == NULL &&
	    (c->extack = strdup(extack)) == NULL)
		a->fatal = -ENOMEM;
	if (err == 0 && (rv = apply_learn(a, c)) < 0) {
		/* Made, but the pass lost track of it: say so. */
		c->err = rv;
		a->fatal = rv;
	}
	if (c->err)
		p->ns[c->ns].n_failed++;
	p->prog.done[apply_category(c->kind)]++;
	if (p->progress && ++a->since_progress >= 256) {
		a->since_progress = 0;
		p->progress(p->progress_arg, &p->prog);
	}
}

static void
apply_nl_result(void *arg, size_t tag, int err, const char *extack)
{
	struct apply	*a = arg;

	apply_result(a, &a->p->changes[tag], err, extack);
}

static int
apply_next_ifindex(struct pass_ns *pn)
{
	if (pn->next_ifindex == 0) {
		pn->next_ifindex = 2;		/* 1 is lo */
		for (size_t k = 0; k < pn->have.n_links; k++)
			if (pn->have.links[k].ifindex >= pn->next_ifindex)
				pn->next_ifindex = pn->have.links[k].ifindex + 1;
	}
	return pn->next_ifindex++;
}

/* Namespaces to make, one after the other in the plan: each thread
 * takes the next. */
struct apply_creating {
	struct pass	*p;
	size_t		 first, n;	/* p->changes[first..first+n) */
	int		 rv[APPLY_CREATE_CHUNK];	/* each one's */
	size_t		 next;		/* parallel_take */
};

/* A namespace made, marked before it has its name (netns_create), on
 * the thread that takes it: netns_create goes in and out of it there. */
static void *
apply_ns_create_some(void *arg)
{
	struct apply_creating	*c = arg;
	size_t			 k;

	while ((k = parallel_take(&c->next)) < c->n) {
		struct pass_ns	*pn = &c->p->ns[c->p->changes[c->first + k].ns];

		/* A create cut short left the file, holding our mark: its
		 * own. */
		if (pn->found == PASS_FOUND_STALE)
			(void)netns_delete(pn->name);
		c->rv[k] = netns_create(pn->name, pn->want.lo_alias,
		    &pn->nsfd, &pn->sock);
	}
	return NULL;
}

/*
 * The namespaces made from change FIRST on, as many as the plan makes
 * there (up to APPLY_CREATE_CHUNK, whose handles a pass keeps open): on
 * two threads where there are many. The kernel makes two namespaces at
 * once (100 in 27 ms where one after the other took 46: what is
 * serialized in it, the loopback's registration and the mount, is a
 * part of it). Said in the plan's order once all are made. The end of
 * the changes done.
 */
static size_t
apply_ns_creates(struct apply *a, size_t first)
{
	struct pass		*p = a->p;
	struct apply_creating	 c = { .p = p, .first = first };

	while (first + c.n < p->n_changes && c.n < APPLY_CREATE_CHUNK &&
	    p->changes[first + c.n].kind == CH_NS_CREATE)
		c.n++;
	parallel_run(apply_ns_create_some, &c, c.n >= APPLY_CREATE_PAIR &&
	    parallel_cores() > 1 ? 2 : 1);
	for (size_t k = 0; k < c.n; k++) {
		if (c.rv[k] == 0)
			p->n_open++;
		apply_result(a, &p->changes[first + k], c.rv[k], NULL);
	}
	return first + c.n;
}

/* What the caller's namespace calls the namespace of PN, and which it is
 * (0, -1 for a name with no namespace on it). */
static void
apply_ns_ids(struct pass_ns *pn, struct nl_sock *own, uint64_t *id,
    int *nsid)
{
	int	 fd;

	*nsid = -1;
	/* Known from the daemon's memory when the mark was read, and the
	 * name still on it: asking the kernel walks every id our namespace
	 * gave. */
	if ((*id = netns_id(pn->name)) != 0 && pn->nsid >= 0 &&
	    *id == pn->ino) {
		*nsid = pn->nsid;
		return;
	}
	if (*id == 0 || own == NULL || (fd = netns_open(pn->name)) < 0)
		return;
	if (netns_id_fd(fd) != *id || nsid_get(own, fd, -1, nsid) < 0)
		*nsid = -1;
	close(fd);
}

/* A link of the lab in a namespace reached by its id, to delete. */
struct apply_held {
	const char	*lab;
	int		*ifindex;
	size_t		 n;
	int		 err;
};

static int
apply_held_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct apply_held	*h = arg;
	struct ks_link		 l;
	int			*v;

	if (nl_link_parse(nlh, &l) < 0 || l.kind == KS_LINK_LO ||
	    own_link(&l, h->lab) != OWN_VRFD)
		return MNL_CB_OK;
	if ((v = reallocarray(h->ifindex, h->n + 1, sizeof(*v))) == NULL) {
		h->err = -ENOMEM;
		return MNL_CB_OK;
	}
	h->ifindex = v;
	v[h->n++] = l.ifindex;
	return MNL_CB_OK;
}

static void
apply_held_reset(void *arg)
{
	((struct apply_held *)arg)->n = 0;
}

/* The lab's links in the namespace of id NSID, which something still
 * holds: deleted, so that its veths do not live on with it. */
static int
apply_held_links(struct pass *p, struct nl_sock *own, int nsid)
{
	struct apply_held	 h = { .lab = p->lab };
	int			 rv;

	if ((rv = nsid_links(own, nsid, apply_held_cb, apply_held_reset,
	    &h)) == 0)
		rv = h.err;
	for (size_t k = 0; rv == 0 && k < h.n; k++)
		if ((rv = nsid_link_del(own, nsid, h.ifindex[k])) == -ENODEV)
			rv = 0;		/* went with its peer */
	free(h.ifindex);
	return rv;
}

/* Wait for the namespaces of NSIDS whose names went to end (an id stops
 * leading to one the moment its last holder lets go), for as long as
 * some end: until none has for APPLY_END_WAIT s. HELD: those that did
 * not. Each check costs a request: only those alive are checked again
 * (a star of 4000 checked all 4000 every round, for 9 s). */
static void
apply_ns_wait(struct nl_sock *own, const int *nsids, size_t n, bool *held)
{
	struct timespec	 pause = { 0, 5 * 1000 * 1000 };
	double		 last = clock_mono();
	size_t		 left = 0, ended;

	for (size_t k = 0; k < n; k++)
		if ((held[k] = nsids[k] >= 0))
			left++;
	while (left > 0) {
		ended = 0;
		for (size_t k = 0; k < n; k++)
			if (held[k] && !nsid_alive(own, nsids[k])) {
				held[k] = false;
				ended++;
			}
		left -= ended;
		if (ended > 0)
			last = clock_mono();
		else if (clock_mono() - last >= APPLY_END_WAIT)
			return;
		if (left > 0)
			nanosleep(&pause, NULL);
	}
}

/* The names of namespaces that go, and what unbinding each gave. */
struct apply_unbind {
	const char	**names;	/* NULL: not this one */
	int		 *err;
	int		 *handles;	/* one on each namespace, or -1 */
	size_t		  n;		/* names[next..n) are this round's */
	size_t		  next;		/* the next to take, atomically */
};

static void *
apply_unbind_some(void *arg)
{
	struct apply_unbind	*u = arg;
	size_t			 k;

	while ((k = parallel_take(&u->next)) < u->n) {
		if (u->names[k] == NULL)
			continue;
		/* Out of descriptors: unbound all the same, only slower. */
		if ((u->handles[k] = netns_open(u->names[k])) < 0)
			u->handles[k] = -1;
		u->err[k] = netns_delete(u->names[k]);
	}
	return NULL;
}

/*
 * Unbind the names of U, each namespace held open meanwhile and all let
 * go at the end. Each umount waits out an RCU grace period
 * (namespace_unlock's synchronize_rcu_expedited), and a namespace whose
 * last holder goes is torn down at once, beside the umounts still to
 * come: those waits then took five times as long (the floor unbinding a
 * chain of 4000: 0.79 s, and 0.15 s holding them; docs/performance-
 * log.md). Let go together, they end in one batch of the kernel's.
 * Waits that overlap share a grace period: several threads unbind as
 * fast as one, and none is held up by a slow one.
 */
static void
apply_unbind(struct apply_unbind *u)
{
	size_t	 all = u->n, n;

	for (size_t first = 0; first < all; first = u->n) {
		u->next = first;
		u->n = first + APPLY_HOLD_MAX < all ? first + APPLY_HOLD_MAX :
		    all;
		n = 1 + (u->n - first) / APPLY_UNBIND_EACH;
		parallel_run(apply_unbind_some, u, n < APPLY_UNBIND_THREADS ?
		    n : APPLY_UNBIND_THREADS);
		for (size_t k = first; k < u->n; k++)
			if (u->names[k] != NULL && u->handles[k] >= 0)
				close(u->handles[k]);
	}
}

/*
 * The namespaces of [FIRST, END) go: the processes in them are ended
 * first (one grace period for all), then their names. A namespace that
 * nobody holds any more then ends, its links with it: the kernel tears
 * many down at once, cheaply. One that something still holds (a process
 * outside with a descriptor on it, a mount in another mount namespace, a
 * socket) would live on with its veths and the routing sessions over
 * them: its links are deleted one by one. A process that holds one open
 * from outside is named in the report, never ended.
 */
static void
apply_ns_delete(struct apply *a, struct nl_sock *own, size_t first,
    size_t end)
{
	struct pass		*p = a->p;
	struct proc_list	 procs = { 0 };
	struct apply_unbind	 u = { .n = end - first };
	size_t			 n = end - first;
	uint64_t		*ids;
	int			*nsids;
	bool			*held;
	int			 rv = 0;

	ids = calloc(n + 1, sizeof(*ids));
	nsids = calloc(n + 1, sizeof(*nsids));
	held = calloc(n + 1, sizeof(*held));
	u.names = calloc(n + 1, sizeof(*u.names));
	u.err = calloc(n + 1, sizeof(*u.err));
	u.handles = calloc(n + 1, sizeof(*u.handles));
	if (ids == NULL || nsids == NULL || held == NULL || u.names == NULL ||
	    u.err == NULL || u.handles == NULL)
		rv = -ENOMEM;
	for (size_t k = 0; rv == 0 && k < n; k++)
		apply_ns_ids(&p->ns[p->changes[first + k].ns], own, &ids[k],
		    &nsids[k]);
	if (rv == 0 && (rv = procs_find(ids, n, &procs)) == 0)
		procs_end(&procs, p->grace);
	for (size_t k = 0; k < n; k++) {
		struct change	*c = &p->changes[first + k];
		struct pass_ns	*pn = &p->ns[c->ns];

		if (rv == 0)
			rv = procs_report(&procs, k, &pn->procs, &pn->n_procs);
		if (rv < 0) {
			a->fatal = rv;
			apply_result(a, c, rv, NULL);
			continue;
		}
		pass_ns_close(p, pn);
		u.names[k] = pn->name;
	}
	if (u.names != NULL)
		apply_unbind(&u);
	for (size_t k = 0; u.names != NULL && k < n; k++) {
		if (u.names[k] != NULL)
			apply_result(a, &p->changes[first + k],
			    u.err[k] == -ENOENT ? 0 : u.err[k], NULL);
	}
	if (rv == 0 && own != NULL) {
		apply_ns_wait(own, nsids, n, held);
		for (size_t k = 0; k < n; k++) {
			struct change	*c = &p->changes[first + k];

			/* (an id that no longer leads to it: it ended
			 * after all, meanwhile) */
			if (!held[k] || !nsid_alive(own, nsids[k]))
				continue;
			p->ns[c->ns].held = true;
			if ((rv = apply_held_links(p, own, nsids[k])) < 0 &&
			    nsid_alive(own, nsids[k])) {
				c->err = rv;
				p->ns[c->ns].n_failed++;
			} else if (rv < 0)
				p->ns[c->ns].held = false;
			rv = 0;
		}
	}
	procs_free(&procs);
	free(ids);
	free(nsids);
	free(held);
	free(u.names);
	free(u.err);
	free(u.handles);
}

static void
apply_sysctls(struct apply *a, size_t first, size_t end)
{
	struct pass	*p = a->p;
	struct pass_ns	*pn = &p->ns[p->changes[first].ns];
	int		 saved, rv;

	if ((rv = pass_ns_open(p, pn)) < 0 ||
	    (rv = netns_enter(pn->nsfd, &saved)) < 0) {
		for (size_t k = first; k < end; k++)
			apply_result(a, &p->changes[k], rv, NULL);
		return;
	}
	for (size_t k = first; k < end; k++)
		apply_result(a, &p->changes[k], sysctl_write(
		    p->changes[k].sysctl->key, p->changes[k].sysctl->value),
		    NULL);
	/* Going on in the wrong namespace would change someone else's
	 * objects: stop here instead. */
	if (netns_leave(saved) < 0)
		abort();
}

/* A request in batch B for change IDX: NULL when out of memory (the
 * change's result says so then). */
static struct nlmsghdr *
apply_msg(struct apply *a, struct nl_batch *b, uint16_t type, uint16_t flags,
    size_t idx)
{
	struct nlmsghdr	*nlh;

	if ((nlh = nl_batch_msg(b, type, flags, idx)) == NULL) {
		a->fatal = -ENOMEM;
		apply_result(a, &a->p->changes[idx], -ENOMEM, NULL);
	}
	return nlh;
}

static void
apply_put_link_create(struct apply *a, struct nl_batch *b, size_t idx)
{
	struct pass	*p = a->p;
	struct change	*c = &p->changes[idx];
	struct pass_ns	*pn = &p->ns[c->ns], *pf = &p->ns[c->peer_ns];
	struct ks_link	 l = *c->link, peer;
	struct nlmsghdr	*nlh;
	int		 rv;

	if ((rv = pass_ns_open(p, pn)) < 0 ||
	    (rv = pass_ns_open(p, pf)) < 0) {
		apply_result(a, c, rv, NULL);
		return;
	}
	/* Choosing the indexes spares a dump to learn them. The group
	 * marks the link until its alias does (own.h). */
	l.ifindex = c->new_ifindex = apply_next_ifindex(pn);
	l.group = OWN_LINK_GROUP;
	if ((nlh = apply_msg(a, b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
	    idx)) == NULL)
		return;
	if (l.kind == KS_LINK_BRIDGE) {
		nl_link_put_bridge(nlh, &l);
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)pn->nsfd);
		return;
	}
	/* Through our own socket: the tunnel's UDP socket is made in the
	 * namespace the request comes from, this host's, whose routing
	 * then carries it over whichever underlay link is up. */
	if (l.kind == KS_LINK_VXLAN) {
		nl_link_put_vxlan(nlh, &l, pn->nsfd);
		return;
	}
	peer = *c->peer;
	peer.group = OWN_LINK_GROUP;
	/*
	 * Never the same index at both ends: the kernel's link watcher
	 * takes a device whose peer link has its own index for a device
	 * without one, and delays its carrier change by up to a second
	 * (linkwatch_urgent_event), which holds traffic and IPv6 back.
	 */
	if ((peer.ifindex = apply_next_ifindex(pf)) == l.ifindex)
		peer.ifindex = apply_next_ifindex(pf);
	c->new_peer_ifindex = peer.ifindex;
	nl_link_put_veth(nlh, &l, pn->nsfd, &peer, pf->nsfd);
}

/* Build the message of one change into the batch; its result is recorded
 * at once when it cannot be sent. */
static void
apply_put(struct apply *a, struct nl_batch *b, size_t idx)
{
	struct change	*c = &a->p->changes[idx];
	struct nlmsghdr	*nlh;
	int		 master = 0;

	switch (c->kind) {
	case CH_LINK_CREATE:
		apply_put_link_create(a, b, idx);
		return;
	case CH_LINK_DEL:
		if ((nlh = apply_msg(a, b, RTM_DELLINK, 0, idx)) != NULL)
			nl_link_put_del(nlh, c->ifindex);
		return;
	case CH_LINK_SET: {
		int	 ifindex = apply_ifindex(a, c->ns, c->link->name);

		if (c->link->master[0] &&
		    (master = apply_ifindex(a, c->ns, c->link->master)) == 0)
			ifindex = 0;
		if (ifindex == 0)
			break;
		if ((nlh = apply_msg(a, b, RTM_NEWLINK, 0, idx)) != NULL)
			nl_link_put_set(nlh, ifindex, c->link, c->what, master);
		return;
	}
	case CH_ADDR_ADD:
	case CH_ADDR_DEL: {
		struct ks_addr	 x = *c->addr;

		if (c->kind == CH_ADDR_ADD &&
		    (x.ifindex = apply_ifindex(a, c->ns, x.dev)) == 0)
			break;
		nlh = c->kind == CH_ADDR_ADD ?
		    apply_msg(a, b, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
		    idx) : apply_msg(a, b, RTM_DELADDR, 0, idx);
		if (nlh)
			nl_addr_put(nlh, &x);
		return;
	}
	case CH_ROUTE_ADD:
	case CH_ROUTE_REPLACE:
	case CH_ROUTE_DEL: {
		struct ks_route	 x = *c->route;
		struct ks_nexthop nhs[KS_MAX_NEXTHOPS], *nh;

		if (c->kind == CH_ROUTE_DEL) {
			if ((nlh = apply_msg(a, b, RTM_DELROUTE, 0, idx)))
				nl_route_put(nlh, &x);
			return;
		}
		/* The ifindexes go into a copy: the pass's routes stay as
		 * compiled, and X borrows, never frees. */
		if (x.nhs != NULL) {
			memcpy(nhs, x.nhs, (size_t)x.n_nh * sizeof(*nhs));
			x.nhs = nhs;
		}
		for (int k = 0; k < x.n_nh; k++) {
			nh = ks_nh(&x, k);
			if (nh->dev[0] && (nh->ifindex =
			    apply_ifindex(a, c->ns, nh->dev)) == 0)
				goto nodev;
		}
		if ((nlh = apply_msg(a, b, RTM_NEWROUTE, NLM_F_CREATE |
		    (c->kind == CH_ROUTE_ADD ? NLM_F_EXCL : NLM_F_REPLACE),
		    idx)) != NULL)
			nl_route_put(nlh, &x);
		return;
	}
	case CH_NEIGH_ADD:
	case CH_NEIGH_DEL: {
		struct ks_neigh	 x = *c->neigh;

		if (c->kind == CH_NEIGH_ADD &&
		    (x.ifindex = apply_ifindex(a, c->ns, x.dev)) == 0)
			break;
		nlh = c->kind == CH_NEIGH_ADD ?
		    apply_msg(a, b, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
		    idx) : apply_msg(a, b, RTM_DELNEIGH, 0, idx);
		if (nlh)
			nl_neigh_put(nlh, &x);
		return;
	}
	case CH_QDISC_SET:
	case CH_QDISC_DEL: {
		struct ks_qdisc	 x = *c->qdisc;

		if ((x.ifindex = apply_ifindex(a, c->ns, x.dev)) == 0)
			break;
		/* Replace: make it, or change vrfd's own in place. */
		nlh = c->kind == CH_QDISC_SET ?
		    apply_msg(a, b, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE,
		    idx) : apply_msg(a, b, RTM_DELQDISC, 0, idx);
		if (nlh)
			nl_qdisc_put(nlh, &x);
		return;
	}
	default:
		break;
	}
nodev:
	apply_result(a, c, -ENODEV, "the interface does not exist");
}

/*
 * Before the first object of a kind its namespace does not hold yet, the
 * namespace's mark says it holds it (change.raises; own.h), so that every
 * later pass reads that kind there, whatever happens next. Where the mark
 * cannot say so, the changes that would add one fail, and are not sent.
 */
static void
apply_holds(struct apply *a, struct pass_ns *pn, size_t first, size_t end)
{
	struct pass	*p = a->p;
	struct ks_link	*lo;
	unsigned	 more = 0;
	char		 mark[KS_ALIAS_MAX];
	int		 rv = -EINVAL;

	for (size_t k = first; k < end; k++)
		more |= p->changes[k].raises;
	if (more == 0)
		return;
	if (own_mark_add_holds(pn->have.lo_alias, more, mark, sizeof(mark)) &&
	    (rv = netns_mark(pn->sock, mark)) == 0) {
		/* What the namespace now holds, for the rest of the pass. */
		snprintf(pn->have.lo_alias, sizeof(pn->have.lo_alias), "%s",
		    mark);
		if ((lo = ks_link_by_name(&pn->have, "lo")) != NULL)
			snprintf(lo->alias, sizeof(lo->alias), "%s", mark);
		return;
	}
	for (size_t k = first; k < end; k++)
		if (plan_adds_kind(&p->changes[k]) & more)
			apply_result(a, &p->changes[k], rv, "the namespace's "
			    "mark cannot say it holds this kind of object");
}

/* Changes [first, end) as one batch through SOCK. */
static void
apply_batch(struct apply *a, struct nl_sock *sock, size_t first, size_t end)
{
	struct pass	*p = a->p;
	struct nl_batch	*b;

	if (sock == NULL || (b = nl_batch_new(sock, apply_nl_result, a)) == NULL) {
		int	 rv = errno ? -errno : -EIO;

		for (size_t k = first; k < end; k++)
			apply_result(a, &p->changes[k], rv, NULL);
		return;
	}
	for (size_t k = first; k < end; k++) {
		if (a->fatal || p->changes[k].conflict)
			apply_result(a, &p->changes[k], a->fatal ? a->fatal :
			    p->changes[k].err, NULL);
		else if (p->changes[k].err == 0)	/* not refused */
			apply_put(a, b, k);
		/* New links (sent through our own socket) name their
		 * namespaces by descriptor: send what is pending before
		 * closing any. */
		if (p->changes[first].kind == CH_LINK_CREATE &&
		    p->n_open > PASS_MAX_OPEN) {
			nl_batch_flush(b);
			pass_trim(p);
		}
	}
	nl_batch_free(b);
}

/* The end of the group of changes that starts at FIRST: same stage and,
 * except for link creation and namespace removal, same namespace; a
 * namespace is made alone. */
static size_t
apply_group_end(const struct pass *p, size_t first)
{
	const struct change	*f = &p->changes[first];
	int			 stage = plan_stage(f->kind);
	size_t			 k = first + 1;

	if (f->kind == CH_NS_CREATE)
		return k;
	while (k < p->n_changes && plan_stage(p->changes[k].kind) == stage &&
	    (f->kind == CH_LINK_CREATE || f->kind == CH_NS_DELETE ||
	    p->changes[k].ns == f->ns))
		k++;
	return k;
}

struct apply_settle {
	const struct pass	*p;
	const struct pass_ns	*pn;
	bool			 ready;
};

/* Is the far end of veth NAME of PN declared down? Then NAME never gets
 * a carrier, and is as ready as it will be. */
static bool
apply_peer_down(const struct pass *p, const struct pass_ns *pn,
    const char *name)
{
	const struct ks_link	*w = ks_link_by_name(&pn->want, name), *f;
	ssize_t			 j;

	if (w == NULL || (j = pass_ns_lookup(p, p->n_ns, w->peer_ns)) < 0)
		return false;
	f = ks_link_by_name(&p->ns[j].want, w->peer_name);
	return f != NULL && !f->up;
}

static int
apply_settle_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct apply_settle	*as = arg;
	struct ks_link		 l;

	/* A veth we brought up that the kernel has not finished with. */
	if (nl_link_parse(nlh, &l) == 0 && l.kind == KS_LINK_VETH && l.up &&
	    !l.running && !apply_peer_down(as->p, as->pn, l.name))
		as->ready = false;
	return MNL_CB_OK;
}

/* Are the IPv6 addresses of changes V[0..N) usable: does the kernel route
 * them as local yet? */
static bool
apply_addrs_ready(const struct pass *p, const size_t *v, size_t n,
    struct nl_sock *sock)
{
	struct lookup_flow	 f = { .family = AF_INET6 };
	struct lookup_result	 res;
	bool			 ready;

	for (size_t k = 0; k < n; k++) {
		memcpy(f.dst, p->changes[v[k]].addr->addr, 16);
		ready = lookup_route(sock, &f, false, &res, NULL, 0) != 0 ||
		    res.route.type == RTN_LOCAL;
		ks_route_clear(&res.route);
		if (!ready)
			return false;
	}
	return true;
}

/* IPv6 addresses added: their changes' indexes, by namespace. */
static int
apply_v6_cmp(const void *a, const void *b, void *arg)
{
	const struct pass	*p = arg;
	size_t			 x = p->changes[*(const size_t *)a].ns;
	size_t			 y = p->changes[*(const size_t *)b].ns;

	return x < y ? -1 : x > y;
}

/*
 * Wait, a bounded while, until the veths this pass brought up are
 * operationally up, and the IPv6 addresses it added are routed: the
 * kernel inserts an address's local route from its address work queue,
 * a moment after the address (even without DAD), and until then the
 * address answers nothing. The kernel finishes a link's carrier change in its
 * link watcher, later; until then the device has no queue and drops what
 * it is given, and the first ARP or neighbour solicitation of a fresh lab
 * is lost. A lab is usable the moment apply returns.
 */
static void
apply_settle(struct pass *p)
{
	char			 buf[256] __attribute__((aligned(8)));
	struct timespec		 pause = { 0, 2 * 1000 * 1000 }, deadline, now;
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifm;
	bool			*touched;
	size_t			*v6, n_v6 = 0, j = 0;

	/* Waiting only: without the memory for it, apply is done. */
	if ((touched = calloc(p->n_ns + 1, sizeof(*touched))) == NULL)
		return;
	if ((v6 = calloc(p->n_changes + 1, sizeof(*v6))) == NULL) {
		free(touched);
		return;
	}
	for (size_t k = 0; k < p->n_changes; k++) {
		const struct change *c = &p->changes[k];

		if (c->err == 0 && c->kind == CH_LINK_SET)
			touched[c->ns] = true;
		if (c->err == 0 && c->kind == CH_LINK_CREATE)
			touched[c->ns] = touched[c->peer_ns] = true;
		if (c->err == 0 && c->kind == CH_ADDR_ADD &&
		    c->addr->family == AF_INET6) {
			touched[c->ns] = true;
			v6[n_v6++] = k;
		}
	}
	qsort_r(v6, n_v6, sizeof(*v6), apply_v6_cmp, p);
	/* One second in all, the watcher's own delay: a link that cannot
	 * come up (its peer failed) must not hold every namespace up. */
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 1;
	for (size_t i = 0; i < p->n_ns; i++) {
		struct pass_ns	*pn = &p->ns[i];
		struct apply_settle as = { .p = p, .pn = pn };
		bool		 ready = false;
		size_t		 first = j;

		while (j < n_v6 && p->changes[v6[j]].ns == i)
			j++;
		for (int round = 0; touched[i] && !ready; round++) {
			if (round > 0) {
				clock_gettime(CLOCK_MONOTONIC, &now);
				if (now.tv_sec > deadline.tv_sec ||
				    (now.tv_sec == deadline.tv_sec &&
				    now.tv_nsec >= deadline.tv_nsec))
					break;
				nanosleep(&pause, NULL);
			}
			if (pass_ns_open(p, pn) < 0)
				break;
			memset(buf, 0, sizeof(buf));
			nlh = mnl_nlmsg_put_header(buf);
			nlh->nlmsg_type = RTM_GETLINK;
			ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
			ifm->ifi_family = AF_UNSPEC;
			mnl_attr_put_u32(nlh, IFLA_EXT_MASK,
			    RTEXT_FILTER_SKIP_STATS);
			as.ready = true;
			if (nl_dump(pn->sock, nlh, apply_settle_cb, NULL,
			    &as) < 0)
				break;
			ready = as.ready;
			if (ready)
				ready = apply_addrs_ready(p, v6 + first,
				    j - first, pn->sock);
		}
		pass_trim(p);
	}
	free(v6);
	free(touched);
}

int
apply_pass(struct pass *p)
{
	struct apply	 a = { .p = p };
	struct nl_sock	*own = NULL;
	size_t		 failed = 0;

	if ((a.maps = calloc(p->n_ns + 1, sizeof(*a.maps))) == NULL)
		return -ENOMEM;
	memset(&p->prog, 0, sizeof(p->prog));
	for (size_t k = 0; k < p->n_changes; k++)
		p->prog.total[apply_category(p->changes[k].kind)]++;
	for (size_t first = 0, end; first < p->n_changes; first = end) {
		struct change	*c = &p->changes[first];
		struct pass_ns	*pn = &p->ns[c->ns];
		int		 rv;

		end = apply_group_end(p, first);
		pass_trim(p);
		/* After a fatal error, nothing more is made. */
		if (a.fatal) {
			for (size_t k = first; k < end; k++)
				apply_result(&a, &p->changes[k], a.fatal,
				    NULL);
			continue;
		}
		switch (c->kind) {
		case CH_NS_CREATE:
			end = apply_ns_creates(&a, first);
			break;
		case CH_NS_DELETE:
			if (own == NULL)
				own = nl_open(-1);
			apply_ns_delete(&a, own, first, end);
			break;
		case CH_SYSCTL:
		case CH_SYSCTL_IF:
			apply_sysctls(&a, first, end);
			break;
		case CH_LINK_CREATE:
			if (own == NULL && (own = nl_open(-1)) == NULL)
				errno = errno ? errno : EIO;
			apply_batch(&a, own, first, end);
			break;
		default:
			if ((rv = pass_ns_open(p, pn)) < 0) {
				for (size_t k = first; k < end; k++)
					apply_result(&a, &p->changes[k], rv,
					    NULL);
				break;
			}
			apply_holds(&a, pn, first, end);
			apply_batch(&a, pn->sock, first, end);
			break;
		}
	}
	if (own)
		nl_close(own);
	apply_settle(p);
	if (p->progress)
		p->progress(p->progress_arg, &p->prog);
	for (size_t i = 0; i < p->n_ns; i++) {
		free(a.maps[i].v);
		nameidx_free(&a.maps[i].idx);
	}
	free(a.maps);
	for (size_t k = 0; k < p->n_changes; k++)
		if (p->changes[k].err)
			failed++;
	if (a.fatal)
		return a.fatal;
	return failed ? -EAGAIN : 0;
}
