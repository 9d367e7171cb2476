/*
 * apply: make the planned changes in the kernel.
 *
 * Stage by stage, in plan order. The netlink changes of one namespace and
 * one stage go out as one batch through that namespace's socket. New links
 * of the whole lab go out as one batch through a socket of our own
 * namespace: a veth pair is one message that names both namespaces
 * (IFLA_NET_NS_FD), and a bridge is made straight into its namespace the
 * same way. Every change gets its own result; a failure keeps the kernel's
 * message and the rest go on, so that a second pass finishes the work.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"
#include "pass.h"
#include "kernel/sysctl.h"

/* The links of one namespace by name, as this pass leaves them: what the
 * kernel had, less what was deleted, plus what was made. */
struct apply_ifmap {
	struct { char name[IFNAMSIZ]; int ifindex; } *v;
	size_t	 n;
};

struct apply {
	struct pass		*p;
	struct apply_ifmap	*maps;		/* one per pass.ns */
	size_t			 since_progress;
};

static void
apply_ifmap_set(struct apply_ifmap *m, const char *name, int ifindex)
{
	void	*v;

	for (size_t k = 0; k < m->n; k++)
		if (strcmp(m->v[k].name, name) == 0) {
			m->v[k].ifindex = ifindex;
			return;
		}
	if ((v = reallocarray(m->v, m->n + 1, sizeof(*m->v))) == NULL)
		return;
	m->v = v;
	snprintf(m->v[m->n].name, IFNAMSIZ, "%s", name);
	m->v[m->n++].ifindex = ifindex;
}

static int
apply_ifindex(const struct apply *a, size_t ns, const char *name)
{
	const struct apply_ifmap *m = &a->maps[ns];

	for (size_t k = 0; k < m->n; k++)
		if (strcmp(m->v[k].name, name) == 0)
			return m->v[k].ifindex;
	return 0;
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

static void
apply_result(struct apply *a, struct change *c, int err, const char *extack)
{
	struct pass	*p = a->p;

	/* Something already gone is what a removal wanted. */
	if (err == -ENODEV && c->kind == CH_LINK_DEL)
		err = 0;
	if ((err == -ESRCH || err == -ENOENT || err == -EADDRNOTAVAIL) &&
	    (c->kind == CH_ROUTE_DEL || c->kind == CH_NEIGH_DEL ||
	    c->kind == CH_ADDR_DEL))
		err = 0;
	c->err = err;
	if (err && extack && extack[0] && c->extack == NULL)
		c->extack = strdup(extack);
	if (err == 0 && c->kind == CH_LINK_DEL)
		apply_ifmap_set(&a->maps[c->ns], c->link->name, 0);
	if (err == 0 && c->kind == CH_LINK_CREATE) {
		apply_ifmap_set(&a->maps[c->ns], c->link->name, c->new_ifindex);
		if (c->peer)
			apply_ifmap_set(&a->maps[c->peer_ns], c->peer->name,
			    c->new_peer_ifindex);
	}
	if (err)
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

static void
apply_namespace(struct apply *a, struct change *c)
{
	struct pass	*p = a->p;
	struct pass_ns	*pn = &p->ns[c->ns];
	char		 buf[1024], ext[256] = "";
	struct ks_link	 lo;
	struct nlmsghdr	*nlh;
	int		 rv;

	if (c->kind == CH_NS_DELETE) {
		rv = netns_delete(pn->name);
		apply_result(a, c, rv == -ENOENT ? 0 : rv, NULL);
		return;
	}
	/* An interrupted create left the file: it is no namespace. */
	if (pn->stale)
		(void)netns_delete(pn->name);
	/* Mark the namespace the moment it exists, so that a crash right
	 * after leaves one that the next pass knows as ours. */
	if ((rv = netns_create(pn->name)) < 0 ||
	    (rv = pass_ns_open(p, pn)) < 0) {
		apply_result(a, c, rv, NULL);
		return;
	}
	memset(&lo, 0, sizeof(lo));
	strcpy(lo.name, "lo");
	lo.kind = KS_LINK_LO;
	lo.up = true;
	snprintf(lo.alias, sizeof(lo.alias), "%s", pn->want.lo_alias);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nl_link_put_set(nlh, 1, &lo, NL_LINK_SET_UP | NL_LINK_SET_ALIAS, 0);
	rv = nl_request(pn->sock, nlh, ext, sizeof(ext));
	apply_ifmap_set(&a->maps[c->ns], "lo", 1);
	apply_result(a, c, rv, ext);
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

static bool
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
		return false;
	}
	/* Choosing the indexes spares a dump to learn them. */
	l.ifindex = c->new_ifindex = apply_next_ifindex(pn);
	nlh = nl_batch_msg(b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, idx);
	if (l.kind == KS_LINK_BRIDGE) {
		nl_link_put_bridge(nlh, &l);
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)pn->nsfd);
		return true;
	}
	peer = *c->peer;
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
	return true;
}

/* Build the message of one change into the batch; false when it cannot be
 * sent (its result is recorded then). */
static bool
apply_put(struct apply *a, struct nl_batch *b, size_t idx)
{
	struct change	*c = &a->p->changes[idx];
	struct nlmsghdr	*nlh;
	int		 master = 0;

	switch (c->kind) {
	case CH_LINK_CREATE:
		return apply_put_link_create(a, b, idx);
	case CH_LINK_DEL:
		nlh = nl_batch_msg(b, RTM_DELLINK, 0, idx);
		nl_link_put_del(nlh, c->ifindex);
		return true;
	case CH_LINK_SET: {
		int	 ifindex = apply_ifindex(a, c->ns, c->link->name);

		if (c->link->master[0] &&
		    (master = apply_ifindex(a, c->ns, c->link->master)) == 0)
			ifindex = 0;
		if (ifindex == 0)
			break;
		nlh = nl_batch_msg(b, RTM_NEWLINK, 0, idx);
		nl_link_put_set(nlh, ifindex, c->link, c->what, master);
		return true;
	}
	case CH_ADDR_ADD:
	case CH_ADDR_DEL: {
		struct ks_addr	 x = *c->addr;

		if (c->kind == CH_ADDR_ADD &&
		    (x.ifindex = apply_ifindex(a, c->ns, x.dev)) == 0)
			break;
		nlh = c->kind == CH_ADDR_ADD ?
		    nl_batch_msg(b, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, idx) :
		    nl_batch_msg(b, RTM_DELADDR, 0, idx);
		nl_addr_put(nlh, &x);
		return true;
	}
	case CH_ROUTE_ADD:
	case CH_ROUTE_REPLACE:
	case CH_ROUTE_DEL: {
		struct ks_route	 x = *c->route;

		if (c->kind == CH_ROUTE_DEL) {
			nlh = nl_batch_msg(b, RTM_DELROUTE, 0, idx);
			nl_route_put(nlh, &x);
			return true;
		}
		for (int k = 0; k < x.n_nh; k++)
			if (x.nh[k].dev[0] && (x.nh[k].ifindex =
			    apply_ifindex(a, c->ns, x.nh[k].dev)) == 0)
				goto nodev;
		nlh = nl_batch_msg(b, RTM_NEWROUTE, NLM_F_CREATE |
		    (c->kind == CH_ROUTE_ADD ? NLM_F_EXCL : NLM_F_REPLACE), idx);
		nl_route_put(nlh, &x);
		return true;
	}
	case CH_NEIGH_ADD:
	case CH_NEIGH_DEL: {
		struct ks_neigh	 x = *c->neigh;

		if (c->kind == CH_NEIGH_ADD &&
		    (x.ifindex = apply_ifindex(a, c->ns, x.dev)) == 0)
			break;
		nlh = c->kind == CH_NEIGH_ADD ?
		    nl_batch_msg(b, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
		    idx) : nl_batch_msg(b, RTM_DELNEIGH, 0, idx);
		nl_neigh_put(nlh, &x);
		return true;
	}
	default:
		break;
	}
nodev:
	apply_result(a, c, -ENODEV, "the interface does not exist");
	return false;
}

/* Changes [first, end) as one batch through SOCK. */
static void
apply_batch(struct apply *a, struct nl_sock *sock, size_t first, size_t end)
{
	struct pass	*p = a->p;
	struct nl_batch	*b;

	if (sock == NULL || (b = nl_batch_new(sock, apply_nl_result, a)) == NULL) {
		for (size_t k = first; k < end; k++)
			apply_result(a, &p->changes[k], -errno, NULL);
		return;
	}
	for (size_t k = first; k < end; k++) {
		if (p->changes[k].err)		/* a conflict found by diff */
			apply_result(a, &p->changes[k], p->changes[k].err, NULL);
		else
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
 * except for link creation, same namespace. */
static size_t
apply_group_end(const struct pass *p, size_t first)
{
	const struct change	*f = &p->changes[first];
	int			 stage = plan_stage(f->kind);
	size_t			 k = first + 1;

	while (k < p->n_changes && plan_stage(p->changes[k].kind) == stage &&
	    (f->kind == CH_LINK_CREATE || p->changes[k].ns == f->ns) &&
	    stage != 0 && stage != 1)
		k++;
	return k;
}

static int
apply_settle_cb(const struct nlmsghdr *nlh, void *arg)
{
	bool		*ready = arg;
	struct ks_link	 l;

	/* A veth we brought up that the kernel has not finished with. */
	if (nl_link_parse(nlh, &l) == 0 && l.kind == KS_LINK_VETH && l.up &&
	    !l.running)
		*ready = false;
	return MNL_CB_OK;
}

/*
 * Wait, a bounded while, until the veths this pass brought up are
 * operationally up. The kernel finishes a link's carrier change in its
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

	if ((touched = calloc(p->n_ns + 1, sizeof(*touched))) == NULL)
		return;
	for (size_t k = 0; k < p->n_changes; k++) {
		const struct change *c = &p->changes[k];

		if (c->err == 0 && c->kind == CH_LINK_SET)
			touched[c->ns] = true;
		if (c->err == 0 && c->kind == CH_LINK_CREATE)
			touched[c->ns] = touched[c->peer_ns] = true;
	}
	/* One second in all, the watcher's own delay: a link that cannot
	 * come up (its peer failed) must not hold every namespace up. */
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 1;
	for (size_t i = 0; i < p->n_ns; i++) {
		struct pass_ns	*pn = &p->ns[i];
		bool		 ready = false;

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
			ready = true;
			if (nl_dump(pn->sock, nlh, apply_settle_cb, NULL,
			    &ready) < 0)
				break;
		}
		pass_trim(p);
	}
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
	for (size_t i = 0; i < p->n_ns; i++)
		for (size_t k = 0; k < p->ns[i].have.n_links; k++)
			apply_ifmap_set(&a.maps[i], p->ns[i].have.links[k].name,
			    p->ns[i].have.links[k].ifindex);
	memset(&p->prog, 0, sizeof(p->prog));
	for (size_t k = 0; k < p->n_changes; k++)
		p->prog.total[apply_category(p->changes[k].kind)]++;
	for (size_t first = 0, end; first < p->n_changes; first = end) {
		struct change	*c = &p->changes[first];
		struct pass_ns	*pn = &p->ns[c->ns];
		int		 rv;

		end = apply_group_end(p, first);
		pass_trim(p);
		switch (c->kind) {
		case CH_NS_CREATE:
		case CH_NS_DELETE:
			apply_namespace(&a, c);
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
			apply_batch(&a, pn->sock, first, end);
			break;
		}
	}
	if (own)
		nl_close(own);
	apply_settle(p);
	if (p->progress)
		p->progress(p->progress_arg, &p->prog);
	for (size_t i = 0; i < p->n_ns; i++)
		free(a.maps[i].v);
	free(a.maps);
	for (size_t k = 0; k < p->n_changes; k++)
		if (p->changes[k].err)
			failed++;
	return failed ? -EAGAIN : 0;
}
