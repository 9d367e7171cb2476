/*
 * pass: which namespaces a pass covers, and what the kernel has in them.
 *
 * The lab's namespaces are the ones the topology declares plus the ones
 * the kernel marks as the lab's (the alias on their loopback, or the text
 * of a file whose namespace was never bound on it) that it no longer
 * declares. A name that is taken by anything without the lab's mark is a
 * conflict: never adopted, whatever it holds. Sockets and namespace
 * handles are opened on demand and all closed by pass_free, so that no
 * namespace is kept alive by us.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kernel/kdigest.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/own.h"
#include "memory.h"
#include "observe.h"
#include "pass.h"
#include "topo/topo.h"
#include "util/parallel.h"
#include "util/strcopy.h"

/* From this many namespaces in scope, a pass reads with PASS_READERS
 * threads. */
#define PASS_READ_PAIR	32

static pthread_mutex_t	pass_readers_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *
pass_ns_name_at(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct pass, names)->ns[i].name;
}

struct pass_ns *
pass_ns_new(struct pass *p, const char *name)
{
	struct pass_ns	*v, *pn;

	/* Room doubles: a pass_ns is large, and copying the array at every
	 * namespace made pass_init quadratic (pass_init makes room for the
	 * declared ones at once). */
	if (p->n_ns == p->cap_ns) {
		if ((v = reallocarray(p->ns, p->cap_ns ? 2 * p->cap_ns : 1,
		    sizeof(*v))) == NULL)
			return NULL;
		p->ns = v;
		p->cap_ns = p->cap_ns ? 2 * p->cap_ns : 1;
	}
	pn = &p->ns[p->n_ns];
	memset(pn, 0, sizeof(*pn));
	str_copy(pn->name, sizeof(pn->name), name);
	/* Looked up by name, the first of a name: a pass's names are
	 * hundreds, each looked up many times. */
	if (p->names.name == NULL)
		nameidx_init(&p->names, pass_ns_name_at);
	if (nameidx_find(&p->names, pn->name) < 0 &&
	    nameidx_put(&p->names, pn->name, p->n_ns) < 0)
		return NULL;
	p->n_ns++;
	str_copy(pn->want.name, sizeof(pn->want.name), name);
	str_copy(pn->have.name, sizeof(pn->have.name), name);
	pn->nsfd = -1;
	pn->nsid = -1;
	pn->in_scope = true;
	return pn;
}

const char *
pass_ns_not_ours(const struct pass_ns *pn, char *buf, size_t len)
{
	if (pn->is_file)
		snprintf(buf, len, "a file");
	else if (pn->mark[0])
		snprintf(buf, len, "loopback alias \"%s\"", pn->mark);
	else
		snprintf(buf, len, "no mark");
	return buf;
}

/* PN's descriptor, opened once (counted in p->n_open): 0 or -errno. */
static int
pass_ns_fd(struct pass *p, struct pass_ns *pn)
{
	int	 rv;

	if (pn->nsfd >= 0)
		return 0;
	if ((rv = netns_open(pn->name)) < 0)
		return rv;
	pn->nsfd = rv;
	__atomic_add_fetch(&p->n_open, 1, __ATOMIC_RELAXED);
	return 0;
}

int
pass_ns_open(struct pass *p, struct pass_ns *pn)
{
	int	 rv;

	if ((rv = pass_ns_fd(p, pn)) < 0)
		return rv;
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

	if ((rv = pass_ns_fd(p, pn)) < 0)
		return rv;
	if ((rv = *home < 0 ? netns_enter(pn->nsfd, home) :
	    netns_switch(pn->nsfd)) < 0)
		return rv;
	if (pn->sock == NULL && (pn->sock = nl_open(-1)) == NULL)
		return -errno;
	return 0;
}

void
pass_ns_close(struct pass *p, struct pass_ns *pn)
{
	if (pn->sock)
		nl_close(pn->sock);
	pn->sock = NULL;
	if (pn->nsfd >= 0) {
		close(pn->nsfd);
		__atomic_sub_fetch(&p->n_open, 1, __ATOMIC_RELAXED);
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

ssize_t
pass_ns_lookup(const struct pass *p, size_t n, const char *name)
{
	ssize_t	 i = nameidx_find(&p->names, name);

	return i >= 0 && (size_t)i < n ? i : -1;
}

/* The lab's mark on the name NAME, if it has one: from the loopback of
 * the namespace there, or from the file when no namespace is bound on
 * it. *IS_FILE says which. */
static bool
pass_name_mark(struct pass *p, const char *name, struct own_mark *m,
    bool *is_file)
{
	struct pass_ns	 probe;
	char		 text[KS_ALIAS_MAX] = "";
	int		 rv;

	memset(&probe, 0, sizeof(probe));
	snprintf(probe.name, sizeof(probe.name), "%s", name);
	probe.nsfd = -1;
	*is_file = false;
	if ((rv = pass_ns_open(p, &probe)) == 0)
		(void)observe_lo_alias(probe.sock, -1, text, sizeof(text));
	else if (rv == -EINVAL) {
		*is_file = true;
		(void)netns_file_text(name, text, sizeof(text));
	}
	pass_ns_close(p, &probe);
	return own_mark_parse(text, m) && m->node[0] != '\0' &&
	    strcmp(m->lab, p->lab) == 0;
}

/* The names under /run/netns that carry LAB's mark and are not in the
 * pass yet: the lab had them, the topology no longer declares them. */
static int
pass_find_owned(struct pass *p)
{
	char	**names;
	size_t	  n, plen = strlen(p->lab), declared = p->n_ns;
	int	  rv;

	if ((rv = netns_list(&names, &n)) < 0)
		return rv == -ENOENT ? 0 : rv;
	for (size_t k = 0; k < n; k++) {
		struct own_mark	 m;
		struct pass_ns	*pn;
		bool		 is_file;

		if (strncmp(names[k], p->lab, plen) != 0 ||
		    names[k][plen] != '-' ||
		    pass_ns_lookup(p, declared, names[k]) >= 0 ||
		    !pass_name_mark(p, names[k], &m, &is_file))
			continue;
		if ((pn = pass_ns_new(p, names[k])) == NULL) {
			rv = -ENOMEM;
			break;
		}
		snprintf(pn->node, sizeof(pn->node), "%s", m.node);
		pn->found = is_file ? PASS_FOUND_STALE : PASS_FOUND_OURS;
	}
	netns_list_free(names, n);
	return rv;
}

static int
pass_names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* TNS in the pass, compiled; or settled, and then compiled only if a
 * namespace the pass reads has a link to it (pass_settle). */
static struct pass_ns *
pass_ns_declared(struct pass *p, const struct topo_ns *tns, int *rv)
{
	const struct pass_memory *m = p->memory;
	struct pass_ns		*pn;
	uint64_t		 d;

	if ((pn = pass_ns_new(p, tns->name)) == NULL) {
		*rv = -ENOMEM;
		return NULL;
	}
	pn->tns = tns;
	snprintf(pn->node, sizeof(pn->node), "%s", tns->node_name);
	/* destroy: only the names count. */
	if (p->action == REPORT_DESTROY) {
		*rv = 0;
		return pn;
	}
	/* The digest of its want, from the last pass of this topology. */
	d = p->digests ? p->digests[tns - p->topo->ns] : 0;
	if (d != 0 && m && m->settled && m->settled(m->arg, tns->name, d)) {
		pn->digest = pn->was_settled = d;
		pn->settled = true;
		pn->in_scope = false;
		*rv = 0;
		return pn;
	}
	/* Compiled already (the daemon's, for its interests): taken. */
	if (p->wants && p->wants[tns - p->topo->ns].name[0]) {
		struct ks_ns	*w = &p->wants[tns - p->topo->ns];

		ks_ns_clear(&pn->want);
		pn->want = *w;
		memset(w, 0, sizeof(*w));
	} else if ((*rv = compile_ns(p->topo, tns, &pn->want)) < 0)
		return NULL;
	pn->compiled = true;
	return pn;
}

/*
 * The far ends of the links of the namespaces in the pass, as namespaces
 * in scope only as far ends: a veth pair is checked from both ends. A far
 * end is changed only where the pair must be made again (the kernel then
 * drops what was on its end), so that a namespace held back from repair
 * stays held back.
 */
static int
pass_add_peers(struct pass *p)
{
	const char	**peers;
	size_t		  n = 0, room = 0, scoped = p->n_ns;
	int		  rv = 0;

	for (size_t i = 0; i < scoped; i++)
		room += p->ns[i].want.n_links;
	if ((peers = calloc(room + 1, sizeof(*peers))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < scoped; i++) {
		const struct ks_ns	*w = &p->ns[i].want;

		for (size_t k = 0; k < w->n_links; k++)
			if (w->links[k].kind == KS_LINK_VETH &&
			    pass_ns_lookup(p, scoped, w->links[k].peer_ns) < 0)
				peers[n++] = w->links[k].peer_ns;
	}
	qsort(peers, n, sizeof(*peers), pass_names_cmp);
	/* Each looked up, whatever the size of the lab; a far end of two
	 * namespaces in scope is in the pass once. */
	for (size_t i = 0; i < n && rv == 0; i++) {
		const struct topo_ns	*tns;
		struct pass_ns		*pn;

		if ((i > 0 && strcmp(peers[i], peers[i - 1]) == 0) ||
		    (tns = topo_ns_by_name(p->topo, peers[i])) == NULL ||
		    tns->remote)
			continue;
		if ((pn = pass_ns_declared(p, tns, &rv)) != NULL)
			pn->peer_only = true;
	}
	free(peers);
	return rv;
}

/* A name of SCOPE the topology does not declare, if it carries the lab's
 * mark: the lab had it. */
static int
pass_add_owned(struct pass *p, const char *name)
{
	struct own_mark	 m;
	struct pass_ns	*pn;
	bool		 is_file;

	if (pass_ns_lookup(p, p->n_ns, name) >= 0 ||
	    !pass_name_mark(p, name, &m, &is_file))
		return 0;
	if ((pn = pass_ns_new(p, name)) == NULL)
		return -ENOMEM;
	snprintf(pn->node, sizeof(pn->node), "%s", m.node);
	pn->found = is_file ? PASS_FOUND_STALE : PASS_FOUND_OURS;
	return 0;
}

int
pass_init(struct pass *p, const struct topo *topo, const char *lab,
    const char *const *scope, size_t n_scope)
{
	size_t	 n_declared = topo ? (scope ? n_scope : topo->n_ns) : 0;
	int	 rv = 0;

	p->topo = topo;
	snprintf(p->lab, sizeof(p->lab), "%s", topo ? topo->lab : lab);
	/* Room for the declared namespaces at once: a lab's are hundreds
	 * of 1.7 KB, copied again at each doubling. */
	if (n_declared > 0 && p->cap_ns == 0) {
		if ((p->ns = reallocarray(NULL, n_declared,
		    sizeof(*p->ns))) == NULL)
			return -ENOMEM;
		p->cap_ns = n_declared;
		nameidx_init(&p->names, pass_ns_name_at);
		if (keyidx_reserve(&p->names.k, n_declared) < 0)
			return -ENOMEM;
	}
	/* A narrowed pass compiles and reads only what it covers, each
	 * namespace looked up: a repair costs the same in a lab of 100
	 * namespaces or 16,000. */
	for (size_t i = 0; i < n_declared; i++) {
		const struct topo_ns	*tns = scope ?
		    topo_ns_by_name(topo, scope[i]) : &topo->ns[i];

		/* Another host's: its vrfd's to make and keep. */
		if (tns == NULL || tns->remote)
			continue;
		if (pass_ns_declared(p, tns, &rv) == NULL)
			return rv;
	}
	if (scope == NULL)
		return pass_find_owned(p);
	for (size_t i = 0; i < n_scope; i++)
		if ((rv = pass_add_owned(p, scope[i])) < 0)
			return rv;
	return topo && p->scope_links ? pass_add_peers(p) : 0;
}

/* Does a pass read declared sysctl S? Not one set only when its
 * namespace is made: it is never looked at again. */
static bool
pass_sysctl_read(const struct ks_sysctl *s)
{
	return !s->create_only;
}

/* The sysctls a pass reads in PN. NULL: ENOMEM. */
static const char **
pass_ns_keys(const struct pass_ns *pn, size_t *n)
{
	const char	**keys;

	*n = 0;
	if ((keys = calloc(pn->want.n_sysctls + 1, sizeof(*keys))) == NULL)
		return NULL;
	for (size_t k = 0; k < pn->want.n_sysctls; k++)
		if (pass_sysctl_read(&pn->want.sysctls[k]))
			keys[(*n)++] = pn->want.sysctls[k].key;
	return keys;
}

/* The key to PN's state in the daemon's memory; false when it may not be
 * kept there: a sysctl read that no event would tell has changed. Of the
 * keys a pass reads, in order (observe_keys_add). */
static bool
pass_ns_memo_keys(const struct pass_ns *pn, uint64_t *hash)
{
	uint64_t	 h = OBSERVE_KEYS_NONE;

	for (size_t k = 0; k < pn->want.n_sysctls; k++) {
		const char	*key = pn->want.sysctls[k].key;

		if (!pass_sysctl_read(&pn->want.sysctls[k]))
			continue;
		if (!observe_sysctl_evented(key))
			return false;
		h = observe_keys_add(h, key);
	}
	*hash = h;
	return true;
}

/* PN's state from the daemon's memory, if it still holds: no dumps. */
static bool
pass_ns_recall(struct pass *p, struct pass_ns *pn, unsigned *stale)
{
	const struct pass_memory *m = p->memory;
	uint64_t		 keys;

	*stale = 0;
	if (m == NULL || !pass_ns_memo_keys(pn, &keys))
		return false;
	/* Opened once for the pass, here: a read and the changes after it
	 * use it, with no other lookup of its name (each waits while the
	 * kernel unmounts a mount namespace's copy of thousands of names,
	 * as every `ip -n` does on its way out). */
	if (pass_ns_fd(p, pn) < 0 || (pn->ino = netns_id_fd(pn->nsfd)) == 0)
		return false;
	return m->recall(m->arg, pn->name, pn->ino, keys, &pn->have,
	    &pn->ticket, stale);
}

/*
 * What stands under PN's name, when no namespace can be entered there: a
 * file (EINVAL) holding the lab's mark is a create cut short, anything
 * else is in the way.
 */
static void
pass_ns_not_entered(struct pass *p, struct pass_ns *pn, int rv)
{
	char	 text[KS_ALIAS_MAX] = "";

	if (rv == -ENOENT) {
		pn->found = PASS_FOUND_NONE;
		return;
	}
	if (rv != -EINVAL) {
		pn->found = PASS_FOUND_UNREADABLE;
		pn->read_err = rv;
		return;
	}
	(void)netns_file_text(pn->name, text, sizeof(text));
	if (own_ns_marked(text, p->lab, pn->node)) {
		pn->found = PASS_FOUND_STALE;
		return;
	}
	pn->found = PASS_FOUND_CONFLICT;
	pn->is_file = true;
	snprintf(pn->mark, sizeof(pn->mark), "%.*s", (int)strcspn(text, "\n"),
	    text);
}

/*
 * The kinds of object (own.h) a pass reads in PN whatever its mark holds:
 * those it declares (its compiled mark says them), or all of them, for a
 * pass that keeps what it reads or lists what is not vrfd's.
 */
static unsigned
pass_ns_needs(const struct pass *p, const struct pass_ns *pn)
{
	return p->lean_read ? own_mark_holds(pn->want.lo_alias) :
	    OWN_HOLDS_ALL;
}

/*
 * Read PN from the kernel: all of it, or, STALE not 0, the kinds of
 * object STALE names into what the daemon's memory gave back (under the
 * ticket it gave: an event since, and what is read here is not kept), if
 * it is of the namespace there now.
 */
static int
pass_ns_read(struct pass *p, struct pass_ns *pn, int *home, unsigned stale)
{
	const char	**keys;
	size_t		  n_keys;
	uint64_t	  ino = pn->ino;
	int		  rv;

	if ((rv = pass_ns_visit(p, pn, home)) < 0) {
		ks_ns_clear(&pn->have);		/* what was recalled */
		pass_ns_close(p, pn);
		pass_ns_not_entered(p, pn, rv);
		return pn->found == PASS_FOUND_UNREADABLE ? rv : 0;
	}
	if (p->memory) {
		pn->ino = netns_id_fd(pn->nsfd);
		if (stale == 0 || pn->ino != ino) {
			stale = 0;
			pn->ticket = p->memory->ticket(p->memory->arg,
			    pn->name);
		}
	}
	if ((keys = pass_ns_keys(pn, &n_keys)) == NULL)
		rv = -ENOMEM;
	else if (stale != 0)
		rv = observe_again(pn->sock, -1, keys, n_keys,
		    pn->want.n_qdiscs > 0, stale, &pn->have);
	else
		rv = observe_ns(pn->sock, -1, keys, n_keys,
		    pn->want.n_qdiscs > 0, pass_ns_needs(p, pn), &pn->have);
	free(keys);
	if (rv < 0) {
		pn->found = PASS_FOUND_UNREADABLE;
		pn->read_err = rv;
		return rv;
	}
	pn->found = PASS_FOUND_OURS;	/* if its mark says so: below */
	return 0;
}

/*
 * The mark of PN read from outside, by the id the daemon's memory knows
 * it by (watched, so it has one): no socket made inside, no id asked of
 * the kernel. The descriptor held meanwhile keeps the namespace, and so
 * its id, from going. False: not known so, to be read from inside.
 */
static bool
pass_mark_by_id(struct pass *p, struct pass_ns *pn, struct nl_sock *by_id,
    char *alias, size_t len)
{
	const struct pass_memory *m = p->memory;
	int			 fd;
	bool			 ok = false;

	if (by_id == NULL || m == NULL || m->nsid == NULL ||
	    (fd = netns_open(pn->name)) < 0)
		return false;
	pn->ino = netns_id_fd(fd);
	if ((pn->nsid = m->nsid(m->arg, pn->name, pn->ino)) >= 0)
		ok = observe_lo_alias(by_id, pn->nsid, alias, len) == 0;
	close(fd);
	if (!ok)
		pn->nsid = -1;
	return ok;
}

/* destroy: whose PN is, and nothing else (a namespace that goes takes
 * its objects with it). BY_ID: the reader's socket at home, or NULL. */
static int
pass_observe_mark(struct pass *p, struct pass_ns *pn, int *home,
    struct nl_sock *by_id)
{
	char	 alias[KS_ALIAS_MAX];
	int	 rv = 0;

	if (!pass_mark_by_id(p, pn, by_id, alias, sizeof(alias))) {
		if ((rv = pass_ns_visit(p, pn, home)) < 0) {
			pass_ns_close(p, pn);
			pass_ns_not_entered(p, pn, rv);
			return pn->found == PASS_FOUND_UNREADABLE ? rv : 0;
		}
		rv = observe_lo_alias(pn->sock, -1, alias, sizeof(alias));
	}
	if (rv < 0) {
		pn->found = PASS_FOUND_UNREADABLE;
		pn->read_err = rv;
		return rv;
	}
	pn->found = own_ns_marked(alias, p->lab, pn->node) ?
	    PASS_FOUND_OURS : PASS_FOUND_CONFLICT;
	if (pn->found == PASS_FOUND_CONFLICT)
		snprintf(pn->mark, sizeof(pn->mark), "%s", alias);
	return 0;
}

/* Does the pass read sysctls in PN? */
static bool
pass_ns_has_keys(const struct pass_ns *pn)
{
	for (size_t k = 0; k < pn->want.n_sysctls; k++)
		if (pass_sysctl_read(&pn->want.sysctls[k]))
			return true;
	return false;
}

static int
pass_observe_ns(struct pass *p, struct pass_ns *pn, int *home,
    struct nl_sock *by_id)
{
	const struct ks_link	*lo;
	unsigned		 stale;
	bool			 recalled;
	int			 rv;

	ks_ns_clear(&pn->have);
	pn->observed = true;
	if (p->action == REPORT_DESTROY)
		return pass_observe_mark(p, pn, home, by_id);
	recalled = pass_ns_recall(p, pn, &stale);
	/* What was read ahead by the marks alone (prefetch.h) lacks what
	 * is declared besides. */
	if (recalled)
		stale |= observe_missing(&pn->have, pass_ns_needs(p, pn));
	/* Sysctls to read again where none is read: nothing to read. */
	if (recalled && !pass_ns_has_keys(pn))
		stale &= ~(unsigned)OBSERVE_SYSCTLS;
	if (recalled && stale == 0)
		pn->recalled = true;
	else if ((rv = pass_ns_read(p, pn, home, stale)) < 0 ||
	    pn->found != PASS_FOUND_OURS)
		return rv;
	/* The mark decides, and nothing else: an empty namespace made by
	 * `ip netns add` is someone's as much as a full one. */
	lo = ks_link_by_name(&pn->have, "lo");
	if (lo && own_ns_marked(lo->alias, p->lab, pn->node)) {
		pn->found = PASS_FOUND_OURS;
		return 0;
	}
	pn->found = PASS_FOUND_CONFLICT;
	snprintf(pn->mark, sizeof(pn->mark), "%s", lo ? lo->alias : "");
	return 0;
}

/* FAR, if settled, read after all as a far end only; and compiled. */
static int
pass_unsettle_far(struct pass *p, struct pass_ns *far)
{
	int	 rv;

	if (far->settled) {
		far->settled = false;
		far->in_scope = true;
		far->peer_only = true;
	}
	if (far->compiled || far->tns == NULL)
		return 0;
	if ((rv = compile_ns(p->topo, far->tns, &far->want)) == 0)
		far->compiled = true;
	return rv;
}

/*
 * The settled namespaces at the far end of a link of one the pass reads,
 * where the far end is the pair's primary one (a veth pair is diffed from
 * there): read after all, as far ends only. Where the near end is the
 * primary one, a settled far end is trusted: it has sent no event since
 * it was found as declared, and a pair that went, went from both ends.
 * Reading the thousands of far ends of a hub was most of a change to it.
 */
static int
pass_settled_peers(struct pass *p)
{
	ssize_t	 j;
	int	 rv = 0;

	for (size_t i = 0; i < p->n_ns && rv == 0; i++) {
		const struct ks_ns	*w = &p->ns[i].want;

		/* A far end's own far ends stay out. */
		if (!p->ns[i].in_scope || p->ns[i].peer_only)
			continue;
		for (size_t k = 0; k < w->n_links && rv == 0; k++) {
			struct pass_ns	*far;

			if (w->links[k].kind != KS_LINK_VETH ||
			    (j = pass_ns_lookup(p, p->n_ns,
			    w->links[k].peer_ns)) < 0)
				continue;
			far = &p->ns[j];
			if (!far->settled || !w->links[k].primary)
				rv = pass_unsettle_far(p, far);
		}
	}
	return rv;
}

/*
 * After reading: a settled far end trusted while the near end, the
 * primary one, holds its side of the pair (pass_settled_peers). Where it
 * does not (deleted, or moved away: the far end hears nothing of a move),
 * the pair is to be made again, and the far end is read after all. The
 * number of those, or -errno.
 */
static ssize_t
pass_untrust_far_ends(struct pass *p)
{
	ssize_t	 j, n = 0;
	int	 rv = 0;

	for (size_t i = 0; i < p->n_ns && rv == 0; i++) {
		const struct pass_ns	*pn = &p->ns[i];

		if (!pn->in_scope || pn->peer_only || !pn->observed)
			continue;
		for (size_t k = 0; k < pn->want.n_links && rv == 0; k++) {
			const struct ks_link	*w = &pn->want.links[k], *h;

			if (w->kind != KS_LINK_VETH || !w->primary ||
			    (j = pass_ns_lookup(p, p->n_ns, w->peer_ns)) < 0 ||
			    !p->ns[j].settled)
				continue;
			h = ks_link_by_name(&pn->have, w->name);
			if (h != NULL && h->kind == KS_LINK_VETH &&
			    h->peer_nsid >= 0)
				continue;
			rv = pass_unsettle_far(p, &p->ns[j]);
			n++;
		}
	}
	return rv < 0 ? rv : n;
}

int
pass_settle(struct pass *p)
{
	const struct pass_memory *m = p->memory;
	uint64_t		 keys;

	for (size_t i = 0; m && m->settled && i < p->n_ns; i++) {
		struct pass_ns	*pn = &p->ns[i];

		/* A far end too: pass_settled_peers reads it after all
		 * where its link needs it read. */
		if (!pn->in_scope || pn->tns == NULL ||
		    !pass_ns_memo_keys(pn, &keys))
			continue;
		pn->digest = ks_ns_digest(&pn->want);
		if (m->settled(m->arg, pn->name, pn->digest)) {
			pn->was_settled = pn->digest;
			pn->settled = true;
			pn->in_scope = false;
		}
	}
	return pass_settled_peers(p);
}

void
pass_digests(const struct pass *p)
{
	for (size_t i = 0; p->digests && i < p->n_ns; i++) {
		const struct pass_ns	*pn = &p->ns[i];

		if (pn->tns != NULL && pn->digest != 0)
			p->digests[pn->tns - p->topo->ns] = pn->digest;
	}
}

/* Readers share the namespaces of a pass out, one at a time. */
struct pass_readers {
	struct pass	*p;
	size_t		 next;		/* the next namespace to take */
	size_t		 slot;		/* the next reader's p->home */
	size_t		 first_at;	/* the first that failed, and how */
	int		 first;
};

static void *
pass_observe_some(void *arg)
{
	struct pass_readers	*r = arg;
	struct pass		*p = r->p;
	struct nl_sock		*by_id;
	size_t			 i;
	int			 rv, home = -1;

	i = parallel_take(&r->slot);
	by_id = p->home[i < PASS_READERS ? i : 0];
	while ((i = parallel_take(&r->next)) < p->n_ns) {
		if (!p->ns[i].in_scope || p->ns[i].observed)
			continue;
		if ((rv = pass_observe_ns(p, &p->ns[i], &home, by_id)) < 0) {
			pthread_mutex_lock(&pass_readers_lock);
			if (i < r->first_at) {
				r->first_at = i;
				r->first = rv;
			}
			pthread_mutex_unlock(&pass_readers_lock);
		}
		/* Apply opens again the few it needs: a pass over many
		 * namespaces must not hold two descriptors for each. */
		if (p->n_ns > PASS_KEEP_OPEN)
			pass_ns_close(p, &p->ns[i]);
	}
	/* Home again: this may be the daemon's main thread, and going on
	 * in a lab's namespace would act on the wrong objects. */
	if (home >= 0 && netns_leave(home) < 0)
		abort();
	return NULL;
}

int
pass_observe(struct pass *p)
{
	struct pass_readers	 r = { .p = p, .first_at = SIZE_MAX };
	size_t			 n = 0, readers;

	for (size_t i = 0; i < p->n_ns; i++)
		if (p->ns[i].in_scope)
			n++;
	/* Reading is the kernel's work, a namespace at a time, in the
	 * thread that entered it: a second thread, where there is a
	 * second core, halves a no-op of hundreds of namespaces (and the
	 * marks a destroy of thousands reads). */
	readers = n >= PASS_READ_PAIR && parallel_cores() > 1 ? PASS_READERS :
	    1;
	/* Opened here, in our own namespace, before any other is entered,
	 * one for each reader; without them, marks are read from inside. */
	for (size_t k = 0; k < readers && p->action == REPORT_DESTROY &&
	    p->memory && p->memory->nsid; k++)
		if (p->home[k] == NULL)
			p->home[k] = nl_open(-1);
	if (p->memory && p->memory->reading)
		p->memory->reading(p->memory->arg);
	parallel_run(pass_observe_some, &r, readers);
	if (p->action != REPORT_DESTROY && pass_untrust_far_ends(p) > 0) {
		r.next = 0;
		r.slot = 0;
		parallel_run(pass_observe_some, &r, 1);
	}
	return r.first;
}

bool
pass_ns_as_declared(const struct pass_ns *pn)
{
	return pn->in_scope && pn->tns != NULL && pn->n_changes == 0 &&
	    pn->n_foreign == 0 && PASS_NS_OURS(pn);
}

void
pass_settled(struct pass *p)
{
	for (size_t i = 0; i < p->n_ns; i++) {
		struct pass_ns	*pn = &p->ns[i];

		/* A settled one read only as a far end, and left alone,
		 * stays settled. */
		if (!pass_ns_as_declared(pn))
			continue;
		if (pn->peer_only) {
			pn->settle = pn->was_settled;
			continue;
		}
		pass_ns_settle_digest(p, pn);
		pn->settle = pn->digest;
	}
}

/* Is what a namespace settles under kept? By vrfd, in its memory and
 * its lab's digests; vrfctl alone keeps nothing of a pass, and taking
 * the digests was a fifth of its diff. */
static bool
pass_keeps_settled(const struct pass *p)
{
	return p->digests != NULL ||
	    (p->memory != NULL && p->memory->remember != NULL);
}

void
pass_ns_settle_digest(const struct pass *p, struct pass_ns *pn)
{
	if (pn->digest == 0 && pn->n_changes == 0 && pn->n_foreign == 0 &&
	    !pn->peer_only && pn->tns != NULL && pass_keeps_settled(p))
		pn->digest = ks_ns_digest(&pn->want);
}

/* The kinds of object (observe.h) change C may have changed. */
static unsigned
pass_change_touches(const struct change *c)
{
	switch (c->kind) {
	case CH_SYSCTL:
	case CH_SYSCTL_IF:
		return OBSERVE_SYSCTLS;
	case CH_NEIGH_DEL:
	case CH_NEIGH_ADD:
		return OBSERVE_NEIGHS;
	case CH_ROUTE_DEL:
	case CH_ROUTE_ADD:
	case CH_ROUTE_REPLACE:
		return OBSERVE_ROUTES;
	case CH_ADDR_DEL:
	case CH_ADDR_ADD:
		/* and the subnet's route, the kernel's */
		return OBSERVE_ADDRS | OBSERVE_ROUTES;
	case CH_QDISC_DEL:
	case CH_QDISC_SET:
		return OBSERVE_QDISCS;
	case CH_NS_DELETE:
	case CH_NS_CREATE:
	case CH_LINK_DEL:
	case CH_LINK_CREATE:
	case CH_LINK_SET:
	case CH_KIND_COUNT:
		break;
	}
	return OBSERVE_LINKS;
}

/* An end of a link a pass made, deleted or set: its namespace, its name. */
struct pass_link_end {
	size_t		 ns;
	char		 name[IFNAMSIZ];
};

/* A namespace whose links the pass changed is read again whole, unless it
 * has this many times more links than it had changed: then those are
 * read one by one (reading a hub's thousands of veths costs the kernel a
 * walk of every peer's id for each). */
#define PASS_LINKS_ONE_BY_ONE	16

/*
 * The ends of links the changes made, deleted or set, into *ENDS (both
 * ends of a veth made). The names are copied: reading a link again moves
 * those of have.
 */
static ssize_t
pass_link_ends(struct pass *p, struct pass_link_end **ends)
{
	struct pass_link_end	*v;
	size_t			 n = 0;

	if ((v = calloc(2 * p->n_changes + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (size_t k = 0; k < p->n_changes; k++) {
		const struct change	*c = &p->changes[k];

		if (c->kind != CH_LINK_CREATE && c->kind != CH_LINK_DEL &&
		    c->kind != CH_LINK_SET)
			continue;
		v[n].ns = c->ns;
		snprintf(v[n++].name, IFNAMSIZ, "%s", c->link->name);
		if (c->kind == CH_LINK_CREATE && c->peer != NULL) {
			v[n].ns = c->peer_ns;
			snprintf(v[n++].name, IFNAMSIZ, "%s", c->peer->name);
		}
	}
	*ends = v;
	return (ssize_t)n;
}

/*
 * The links the pass changed, read again one by one where that is much
 * less than reading all of a namespace's (see PASS_LINKS_ONE_BY_ONE):
 * there, TOUCHED no longer has OBSERVE_LINKS, but what follows from a
 * link's change. (A namespace made by the pass was read empty, one it
 * deleted cannot be entered: neither is read here, nor kept.)
 */
static void
pass_links_again(struct pass *p, unsigned *touched)
{
	struct pass_link_end	*ends;
	size_t			*count;
	ssize_t			 n;

	if ((n = pass_link_ends(p, &ends)) < 0)
		return;
	if ((count = calloc(p->n_ns + 1, sizeof(*count))) == NULL) {
		free(ends);
		return;
	}
	for (ssize_t k = 0; k < n; k++)
		count[ends[k].ns]++;
	for (size_t i = 0; i < p->n_ns; i++)
		if (!p->ns[i].observed || count[i] == 0 ||
		    count[i] * PASS_LINKS_ONE_BY_ONE > p->ns[i].have.n_links)
			count[i] = 0;
	for (ssize_t k = 0; k < n; k++) {
		struct pass_ns	*pn = &p->ns[ends[k].ns];

		if (count[ends[k].ns] == 0)
			continue;
		if (pass_ns_open(p, pn) < 0 ||
		    observe_link(pn->sock, ends[k].name, &pn->have) < 0)
			count[ends[k].ns] = 0;
	}
	for (size_t i = 0; i < p->n_ns; i++)
		if (count[i] > 0)
			touched[i] = (touched[i] & ~OBSERVE_LINKS) |
			    OBSERVE_LINK_FOLLOWS;
	free(count);
	free(ends);
}

void
pass_remember(struct pass *p, bool applied)
{
	uint64_t	 keys;
	unsigned	*touched = NULL;

	if (p->memory == NULL || p->memory->remember == NULL)
		return;
	/* What the pass changed is no longer what it read: kept to be read
	 * again, or, where a link (at either end of a veth made) or the
	 * namespace changed, not kept at all unless the links it changed
	 * are read again here. */
	if (applied && (touched = calloc(p->n_ns + 1,
	    sizeof(*touched))) == NULL)
		return;
	for (size_t k = 0; applied && k < p->n_changes; k++) {
		const struct change	*c = &p->changes[k];

		touched[c->ns] |= pass_change_touches(c);
		if (c->kind == CH_LINK_CREATE && c->peer != NULL)
			touched[c->peer_ns] |= OBSERVE_LINKS;
	}
	if (applied)
		pass_links_again(p, touched);
	for (size_t i = 0; i < p->n_ns; i++) {
		struct pass_ns	*pn = &p->ns[i];

		/* One that another pass may have replaced since is not the
		 * one read. */
		if (!pn->observed || !pn->in_scope || !PASS_NS_OURS(pn) ||
		    pn->ino == 0 || (touched && (touched[i] & OBSERVE_LINKS)) ||
		    !pass_ns_memo_keys(pn, &keys) ||
		    netns_id(pn->name) != pn->ino)
			continue;
		p->memory->remember(p->memory->arg, pn->name, pn->ino, keys,
		    pn->ticket, &pn->have, pn->settle, touched ? touched[i] : 0);
	}
	free(touched);
}

void
pass_free(struct pass *p)
{
	for (size_t i = 0; i < p->n_ns; i++) {
		pass_ns_close(p, &p->ns[i]);
		ks_ns_clear(&p->ns[i].want);
		ks_ns_clear(&p->ns[i].have);
		free(p->ns[i].foreign);
		free(p->ns[i].procs);
	}
	free(p->ns);
	nameidx_free(&p->names);
	for (size_t k = 0; k < PASS_READERS; k++)
		if (p->home[k])
			nl_close(p->home[k]);
	for (size_t i = 0; i < p->n_changes; i++)
		free(p->changes[i].extack);
	free(p->changes);
	memset(p, 0, sizeof(*p));
}
