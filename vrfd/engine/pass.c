/*
 * pass: which namespaces a pass covers, and what the kernel has in them.
 *
 * The lab's namespaces are the ones the topology declares plus the ones
 * the kernel marks as the lab's (the alias on their loopback) that it no
 * longer declares. Sockets and namespace handles are opened on demand and
 * all closed by pass_free, so that no namespace is kept alive by us.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kernel/netns.h"
#include "kernel/nl.h"
#include "memory.h"
#include "observe.h"
#include "pass.h"
#include "topo/topo.h"

struct pass_ns *
pass_ns_new(struct pass *p, const char *name)
{
	struct pass_ns	*v, *pn;

	/* Room doubles at powers of two: a pass_ns is large, and copying
	 * the array at every namespace made pass_init quadratic. */
	if ((p->n_ns & (p->n_ns - 1)) == 0) {
		v = reallocarray(p->ns, p->n_ns ? 2 * p->n_ns : 1, sizeof(*v));
		if (v == NULL)
			return NULL;
		p->ns = v;
	}
	pn = &p->ns[p->n_ns++];
	memset(pn, 0, sizeof(*pn));
	snprintf(pn->name, sizeof(pn->name), "%s", name);
	snprintf(pn->want.name, sizeof(pn->want.name), "%s", name);
	snprintf(pn->have.name, sizeof(pn->have.name), "%s", name);
	pn->nsfd = -1;
	pn->in_scope = true;
	return pn;
}

/* "vrfd lab=demo node=pe1/red": is it LAB's? Then copy the node. */
bool
pass_alias_lab(const char *alias, const char *lab, char *node, size_t len)
{
	char	 pfx[64];
	size_t	 n;

	n = (size_t)snprintf(pfx, sizeof(pfx), VRFD_ALIAS_PREFIX "lab=%s ",
	    lab);
	if (strncmp(alias, pfx, n) != 0 || strncmp(alias + n, "node=", 5))
		return false;
	if (node)
		snprintf(node, len, "%s", alias + n + 5);
	return true;
}

int
pass_ns_open(struct pass *p, struct pass_ns *pn)
{
	if (pn->nsfd < 0) {
		if ((pn->nsfd = netns_open(pn->name)) < 0) {
			int	 rv = pn->nsfd;

			pn->nsfd = -1;
			return rv;
		}
		p->n_open++;
	}
	if (pn->sock == NULL && (pn->sock = nl_open(pn->nsfd)) == NULL)
		return -errno;
	return 0;
}

/*
 * Open PN and its socket from inside it, and stay there: pass_observe
 * goes from one namespace to the next and home once at the end, which
 * spares a setns and a /proc open per namespace (as much as a dump
 * costs). *HOME: the way back, taken at the first one.
 */
static int
pass_ns_visit(struct pass *p, struct pass_ns *pn, int *home)
{
	int	 rv;

	if (pn->nsfd < 0) {
		if ((pn->nsfd = netns_open(pn->name)) < 0) {
			rv = pn->nsfd;
			pn->nsfd = -1;
			return rv;
		}
		p->n_open++;
	}
	if ((rv = *home < 0 ? netns_enter(pn->nsfd, home) :
	    netns_switch(pn->nsfd)) < 0)
		return rv;
	if (pn->sock == NULL && (pn->sock = nl_open(-1)) == NULL)
		return -errno;
	return 0;
}

static void
pass_ns_close(struct pass *p, struct pass_ns *pn)
{
	if (pn->sock)
		nl_close(pn->sock);
	pn->sock = NULL;
	if (pn->nsfd >= 0) {
		close(pn->nsfd);
		p->n_open--;
	}
	pn->nsfd = -1;
}

void
pass_trim(struct pass *p)
{
	if (p->n_open <= PASS_MAX_OPEN)
		return;
	for (size_t i = 0; i < p->n_ns; i++)
		pass_ns_close(p, &p->ns[i]);
}

static int
pass_ns_cmp(const void *a, const void *b, void *arg)
{
	const struct pass	*p = arg;
	size_t			 i = *(const size_t *)a, j = *(const size_t *)b;
	int			 r;

	if ((r = strcmp(p->ns[i].name, p->ns[j].name)) != 0)
		return r;
	return i < j ? -1 : i > j;
}

size_t *
pass_ns_order(const struct pass *p)
{
	size_t	*v;

	if ((v = calloc(p->n_ns + 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < p->n_ns; i++)
		v[i] = i;
	qsort_r(v, p->n_ns, sizeof(*v), pass_ns_cmp, (void *)p);
	return v;
}

ssize_t
pass_ns_lookup(const struct pass *p, const size_t *order, size_t n,
    const char *name)
{
	size_t	 lo = 0, hi = n, mid;

	if (order == NULL) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(p->ns[i].name, name) == 0)
				return (ssize_t)i;
		return -1;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(p->ns[order[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(p->ns[order[lo]].name, name) == 0)
		return (ssize_t)order[lo];
	return -1;
}

/* The namespaces under /run/netns that carry LAB's mark and are not in
 * the pass yet: the lab had them, the topology no longer declares them. */
static int
pass_find_owned(struct pass *p)
{
	char	**names;
	size_t	  n, plen = strlen(p->lab), declared = p->n_ns, *order;
	int	  rv;

	if ((rv = netns_list(&names, &n)) < 0)
		return rv == -ENOENT ? 0 : rv;
	order = pass_ns_order(p);	/* NULL: lookups search */
	for (size_t k = 0; k < n; k++) {
		struct pass_ns	 probe, *pn;
		char		 alias[KS_ALIAS_MAX], node[80];

		if (strncmp(names[k], p->lab, plen) != 0 ||
		    names[k][plen] != '-' ||
		    pass_ns_lookup(p, order, declared, names[k]) >= 0)
			continue;
		memset(&probe, 0, sizeof(probe));
		snprintf(probe.name, sizeof(probe.name), "%s", names[k]);
		probe.nsfd = -1;
		alias[0] = '\0';
		if (pass_ns_open(p, &probe) == 0)
			(void)observe_lo_alias(probe.sock, alias, sizeof(alias));
		pass_ns_close(p, &probe);
		if (!pass_alias_lab(alias, p->lab, node, sizeof(node)))
			continue;
		if ((pn = pass_ns_new(p, names[k])) == NULL) {
			rv = -ENOMEM;
			break;
		}
		snprintf(pn->node, sizeof(pn->node), "%s", node);
		pn->exists = true;
	}
	free(order);
	netns_list_free(names, n);
	return rv;
}

int
pass_init(struct pass *p, const struct topo *topo, const char *lab)
{
	int	 rv;

	memset(p, 0, sizeof(*p));
	p->topo = topo;
	snprintf(p->lab, sizeof(p->lab), "%s", topo ? topo->lab : lab);
	for (size_t i = 0; topo && i < topo->n_ns; i++) {
		const struct topo_ns	*tns = &topo->ns[i];
		struct pass_ns		*pn;

		if ((pn = pass_ns_new(p, tns->name)) == NULL)
			return -ENOMEM;
		pn->tns = tns;
		snprintf(pn->node, sizeof(pn->node), "%s", tns->node_name);
		if ((rv = compile_ns(topo, tns, &pn->want)) < 0)
			return rv;
	}
	return pass_find_owned(p);
}

/* Is a namespace that lacks our mark one we may take? Only if it is as
 * empty as `ip netns add` leaves it: an apply killed between making a
 * namespace and marking it leaves exactly that. */
static bool
pass_ns_is_empty(const struct ks_ns *have)
{
	for (size_t k = 0; k < have->n_links; k++)
		if (have->links[k].kind != KS_LINK_LO)
			return false;
	for (size_t k = 0; k < have->n_addrs; k++)
		if (diff_addr_owner(&have->addrs[k]) != OWNER_KERNEL)
			return false;
	for (size_t k = 0; k < have->n_routes; k++)
		if (diff_route_owner(&have->routes[k]) != OWNER_KERNEL)
			return false;
	return have->n_neighs == 0;
}

/* A file under /run/netns that is not a namespace: what an interrupted
 * `ip netns add` or netns_create leaves (the file, not yet mounted). */
static bool
pass_is_stale_file(const char *name)
{
	char		 path[256];
	struct stat	 st;

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0;
}

/* The sysctls a pass reads in PN: the declared ones it keeps. NULL:
 * ENOMEM. */
static const char **
pass_ns_keys(const struct pass_ns *pn, size_t *n)
{
	const char	**keys;

	*n = 0;
	if ((keys = calloc(pn->want.n_sysctls + 1, sizeof(*keys))) == NULL)
		return NULL;
	for (size_t k = 0; k < pn->want.n_sysctls; k++)
		if (!pn->want.sysctls[k].create_only)
			keys[(*n)++] = pn->want.sysctls[k].key;
	return keys;
}

/* Which namespace NAME is now (device and inode of its nsfs file; nsfs
 * inode numbers fit in 32 bits); 0 if none. */
static uint64_t
pass_ns_ino(const char *name, int fd)
{
	char		 path[256];
	struct stat	 st;

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	if ((fd >= 0 ? fstat(fd, &st) : stat(path, &st)) < 0)
		return 0;
	return ((uint64_t)st.st_dev << 32) ^ (uint64_t)st.st_ino;
}

/* The key to PN's state in the daemon's memory; false when it may not be
 * kept there: a sysctl read that no event would tell has changed. FNV-1a
 * over the keys a pass reads, in order. */
static bool
pass_ns_memo_keys(const struct pass_ns *pn, uint64_t *hash)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (size_t k = 0; k < pn->want.n_sysctls; k++) {
		const char	*key = pn->want.sysctls[k].key;

		if (pn->want.sysctls[k].create_only)
			continue;
		if (!observe_sysctl_evented(key))
			return false;
		for (const char *c = key; ; c++) {
			h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
			if (*c == '\0')
				break;
		}
	}
	*hash = h;
	return true;
}

/* PN's state from the daemon's memory, if it still holds: no dumps. */
static bool
pass_ns_recall(struct pass *p, struct pass_ns *pn)
{
	const struct pass_memory *m = p->memory;
	uint64_t		 keys;

	if (m == NULL || !pass_ns_memo_keys(pn, &keys) ||
	    (pn->ino = pass_ns_ino(pn->name, -1)) == 0)
		return false;
	return m->recall(m->arg, pn->name, pn->ino, keys, &pn->have,
	    &pn->ticket);
}

/* Read PN from the kernel. */
static int
pass_ns_read(struct pass *p, struct pass_ns *pn, int *home)
{
	const char	**keys;
	size_t		  n_keys;
	int		  rv;

	if ((rv = pass_ns_visit(p, pn, home)) < 0) {
		pass_ns_close(p, pn);
		pn->exists = false;
		/* Removed by the pass that creates or destroys the name. */
		if (rv == -EINVAL && pass_is_stale_file(pn->name)) {
			pn->stale = true;
			return 0;
		}
		if (rv == -ENOENT)
			return 0;
		if (asprintf(&pn->error, "cannot enter namespace: %s",
		    strerror(-rv)) < 0)
			pn->error = NULL;
		pn->not_ours = true;
		return rv;
	}
	pn->exists = true;
	if (p->memory) {
		pn->ticket = p->memory->ticket(p->memory->arg, pn->name);
		pn->ino = pass_ns_ino(pn->name, pn->nsfd);
	}
	if ((keys = pass_ns_keys(pn, &n_keys)) == NULL)
		rv = -ENOMEM;
	else
		rv = observe_ns(pn->sock, -1, keys, n_keys, &pn->have);
	free(keys);
	if (rv < 0) {
		if (asprintf(&pn->error, "cannot read namespace: %s",
		    strerror(-rv)) < 0)
			pn->error = NULL;
		pn->not_ours = true;
		return rv;
	}
	return 0;
}

static int
pass_observe_ns(struct pass *p, struct pass_ns *pn, int *home)
{
	const struct ks_link	*lo;
	int			 rv;

	ks_ns_clear(&pn->have);
	pn->observed = true;
	if (pass_ns_recall(p, pn))
		pn->recalled = pn->exists = true;
	else if ((rv = pass_ns_read(p, pn, home)) < 0 || !pn->exists)
		return rv;
	lo = ks_link_by_name(&pn->have, "lo");
	if (lo && pass_alias_lab(lo->alias, p->lab, NULL, 0))
		return 0;
	if (pn->tns && lo && lo->alias[0] == '\0' &&
	    pass_ns_is_empty(&pn->have))
		return 0;	/* taken over: marked by the lo change */
	pn->not_ours = true;
	if (asprintf(&pn->error, "namespace %s exists and is not this lab's "
	    "(loopback alias \"%s\"); left alone", pn->name,
	    lo ? lo->alias : "") < 0)
		pn->error = NULL;
	return 0;
}

int
pass_observe(struct pass *p)
{
	int	 rv, first = 0, home = -1;

	for (size_t i = 0; i < p->n_ns; i++) {
		if (!p->ns[i].in_scope)
			continue;
		if ((rv = pass_observe_ns(p, &p->ns[i], &home)) < 0 &&
		    first == 0)
			first = rv;
		/* Apply opens again the few it needs: a pass over many
		 * namespaces must not hold two descriptors for each. */
		pass_ns_close(p, &p->ns[i]);
	}
	/* Home again: this may be the daemon's main thread, and going on
	 * in a lab's namespace would act on the wrong objects. */
	if (home >= 0 && netns_leave(home) < 0)
		abort();
	return first;
}

void
pass_remember(struct pass *p, bool applied)
{
	uint64_t	 keys;

	for (size_t i = 0; p->memory && i < p->n_ns; i++) {
		struct pass_ns	*pn = &p->ns[i];

		/* A namespace this pass changed is no longer what it read;
		 * one that another pass may have replaced since is not the
		 * one read. */
		if (!pn->observed || !pn->in_scope || !pn->exists ||
		    pn->not_ours || pn->stale || pn->error || pn->ino == 0 ||
		    (applied && pn->n_changes > 0) ||
		    !pass_ns_memo_keys(pn, &keys) ||
		    pass_ns_ino(pn->name, -1) != pn->ino)
			continue;
		p->memory->remember(p->memory->arg, pn->name, pn->ino, keys,
		    pn->ticket, &pn->have);
	}
}

/*
 * Narrow the pass to the namespaces WANT names, and the far ends of their
 * links: a veth pair is checked from both ends. A far end is changed only
 * where the pair must be made again (the kernel then drops what was on
 * its end), so that a namespace held back from repair stays held back.
 */
void
pass_scope(struct pass *p, bool (*want)(const char *ns, void *), void *arg)
{
	for (size_t i = 0; i < p->n_ns; i++) {
		p->ns[i].in_scope = want(p->ns[i].name, arg);
		p->ns[i].peer_only = false;
	}
	for (size_t i = 0; i < p->n_ns; i++) {
		const struct ks_ns	*w = &p->ns[i].want;

		if (!want(p->ns[i].name, arg))
			continue;
		for (size_t k = 0; k < w->n_links; k++)
			for (size_t j = 0; j < p->n_ns; j++)
				if (w->links[k].kind == KS_LINK_VETH &&
				    !p->ns[j].in_scope &&
				    strcmp(p->ns[j].name,
				    w->links[k].peer_ns) == 0) {
					p->ns[j].in_scope = true;
					p->ns[j].peer_only = true;
				}
	}
}

void
pass_free(struct pass *p)
{
	for (size_t i = 0; i < p->n_ns; i++) {
		pass_ns_close(p, &p->ns[i]);
		ks_ns_clear(&p->ns[i].want);
		ks_ns_clear(&p->ns[i].have);
		free(p->ns[i].foreign);
		free(p->ns[i].error);
	}
	free(p->ns);
	for (size_t i = 0; i < p->n_changes; i++)
		free(p->changes[i].extack);
	free(p->changes);
	memset(p, 0, sizeof(*p));
}
