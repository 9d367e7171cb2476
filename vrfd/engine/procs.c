/*
 * procs: processes in namespaces, found through /proc: each thread's
 * ns/net (in it), each descriptor that is a namespace (holding it).
 * Ended through pidfds (see procs.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/clock.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/own.h"
#include "observe.h"
#include "procs.h"

/* SIGKILL is not refused; what is slow to die is waited for this long. */
#define PROCS_KILL_WAIT	5.0

/* Called for every thread (INSIDE) and every namespace descriptor of
 * PID, with PATH to open the namespace by. */
typedef int	(*procs_fn)(void *arg, pid_t pid, const char *path,
		    uint64_t id, bool inside);

static bool
procs_is_pid(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int
procs_tasks(pid_t pid, procs_fn fn, void *arg)
{
	char		 path[64], ns[96];
	struct dirent	*de;
	DIR		*d;
	int		 rv = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return 0;		/* gone meanwhile */
	while (rv == 0 && (de = readdir(d)) != NULL) {
		uint64_t	 id;

		if (!procs_is_pid(de->d_name) || snprintf(ns, sizeof(ns),
		    "%s/%s/ns/net", path, de->d_name) >= (int)sizeof(ns))
			continue;
		if ((id = netns_id_path(ns)) != 0)
			rv = fn(arg, pid, ns, id, true);
	}
	closedir(d);
	return rv;
}

/*
 * PID's descriptors on network namespaces. One opened from
 * /proc/PID/ns/net links to "net:[INO]"; one opened by a name it is
 * bound on (/run/netns/NAME, any bind mount) links to that name: a stat
 * through the link tells which namespace either is. Descriptors that are
 * neither (pipes, sockets) are not stat()ed. Other kinds of namespace
 * share the device (a mount namespace's handle): their ids match no
 * network namespace's, and cannot be entered as one.
 */
static int
procs_fds(pid_t pid, dev_t nsfs, procs_fn fn, void *arg)
{
	char		 path[64], fd[96], link[64];
	struct dirent	*de;
	struct stat	 st;
	ssize_t		 n;
	DIR		*d;
	int		 rv = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while (rv == 0 && (de = readdir(d)) != NULL) {
		if (!procs_is_pid(de->d_name) || snprintf(fd, sizeof(fd),
		    "%s/%s", path, de->d_name) >= (int)sizeof(fd))
			continue;
		if ((n = readlink(fd, link, sizeof(link) - 1)) <= 0)
			continue;
		link[n] = '\0';
		if ((link[0] == '/' || strncmp(link, "net:[", 5) == 0) &&
		    stat(fd, &st) == 0 && st.st_dev == nsfs)
			rv = fn(arg, pid, fd, netns_id_stat(&st), false);
	}
	closedir(d);
	return rv;
}

/* Every other process's threads and namespace descriptors. */
static int
procs_scan(procs_fn fn, void *arg)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	pid_t		 self = getpid();
	int		 rv = 0;

	if (stat("/proc/self/ns/net", &st) < 0)
		return -errno;
	if ((d = opendir("/proc")) == NULL)
		return -errno;
	while (rv == 0 && (de = readdir(d)) != NULL) {
		pid_t	 pid;

		if (!procs_is_pid(de->d_name) ||
		    (pid = (pid_t)atoi(de->d_name)) == self)
			continue;
		if ((rv = procs_tasks(pid, fn, arg)) == 0)
			rv = procs_fds(pid, st.st_dev, fn, arg);
	}
	closedir(d);
	return rv;
}

static void
procs_comm(pid_t pid, char *buf, size_t len)
{
	char	 path[64];
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	buf[0] = '\0';
	if ((f = fopen(path, "re")) == NULL)
		return;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* PID in (or holding) namespace NS of L: once, inside winning. */
static int
procs_add(struct proc_list *l, pid_t pid, size_t ns, bool inside)
{
	struct proc	*v;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].pid == pid && l->v[i].ns == ns) {
			l->v[i].inside |= inside;
			return 0;
		}
	if ((v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	l->v = v;
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	v->pid = pid;
	v->ns = ns;
	v->inside = inside;
	procs_comm(pid, v->comm, sizeof(v->comm));
	/* Pinned now: a pid taken over later is another process. */
	v->pidfd = pidfd_open(pid, 0);
	return 0;
}

struct procs_find {
	const uint64_t	*ids;
	size_t		 n;
	struct proc_list *l;
};

static int
procs_find_cb(void *arg, pid_t pid, const char *path, uint64_t id,
    bool inside)
{
	struct procs_find	*f = arg;

	(void)path;
	for (size_t i = 0; i < f->n; i++)
		if (f->ids[i] == id)
			return procs_add(f->l, pid, i, inside);
	return 0;
}

int
procs_find(const uint64_t *ids, size_t n, struct proc_list *l)
{
	struct procs_find	 f = { ids, n, l };

	if (n == 0)
		return 0;
	return procs_scan(procs_find_cb, &f);
}

/* Wait until the inside processes of L are gone or WAIT seconds pass. */
static void
procs_wait(struct proc_list *l, double wait)
{
	double		 end = clock_mono() + wait;
	struct pollfd	*pf;
	size_t		 n;

	if ((pf = calloc(l->n + 1, sizeof(*pf))) == NULL)
		return;
	for (;;) {
		double	 left = end - clock_mono();

		n = 0;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].inside && l->v[i].pidfd >= 0) {
				pf[n].fd = l->v[i].pidfd;
				pf[n++].events = POLLIN;
			}
		if (n == 0 || left <= 0)
			break;
		if (poll(pf, n, (int)(left * 1000) + 1) <= 0)
			continue;
		/* A pidfd is readable once its process has exited. */
		for (size_t k = 0; k < n; k++)
			for (size_t i = 0; (pf[k].revents & POLLIN) &&
			    i < l->n; i++)
				if (l->v[i].pidfd == pf[k].fd) {
					close(l->v[i].pidfd);
					l->v[i].pidfd = -1;
				}
	}
	free(pf);
}

static void
procs_signal(struct proc_list *l, int sig)
{
	for (size_t i = 0; i < l->n; i++) {
		struct proc	*p = &l->v[i];

		if (!p->inside || p->pidfd < 0)
			continue;
		if (pidfd_send_signal(p->pidfd, sig, NULL, 0) < 0 &&
		    errno == ESRCH) {
			close(p->pidfd);
			p->pidfd = -1;
		} else if (sig == SIGKILL)
			p->killed = true;
	}
}

void
procs_end(struct proc_list *l, double grace)
{
	procs_signal(l, SIGTERM);
	procs_wait(l, grace);
	procs_signal(l, SIGKILL);
	procs_wait(l, PROCS_KILL_WAIT);
}

void
procs_free(struct proc_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].pidfd >= 0)
			close(l->v[i].pidfd);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
procs_report(const struct proc_list *l, size_t ns, struct report_proc **v,
    size_t *n)
{
	for (size_t i = 0; i < l->n; i++) {
		struct report_proc	*rp, *nv;

		if (l->v[i].ns != ns)
			continue;
		if ((nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL)
			return -ENOMEM;
		*v = nv;
		rp = &nv[(*n)++];
		memset(rp, 0, sizeof(*rp));
		rp->pid = l->v[i].pid;
		snprintf(rp->comm, sizeof(rp->comm), "%s", l->v[i].comm);
		rp->killed = l->v[i].killed;
		rp->inside = l->v[i].inside;
	}
	return 0;
}

/* ---- ghosts ------------------------------------------------------------ */

/* A namespace some process is in or holds, with a path to open it by. */
struct procs_seen {
	uint64_t	 id;
	char		 path[96];
};

struct procs_ghost_scan {
	struct procs_seen *v;
	size_t		 n;
	uint64_t	 home;
};

static int
procs_seen_cb(void *arg, pid_t pid, const char *path, uint64_t id,
    bool inside)
{
	struct procs_ghost_scan	*g = arg;
	struct procs_seen	*v;

	(void)pid;
	(void)inside;
	if (id == g->home)
		return 0;
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].id == id)
			return 0;
	if ((v = reallocarray(g->v, g->n + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	g->v = v;
	v[g->n].id = id;
	snprintf(v[g->n].path, sizeof(v[g->n].path), "%s", path);
	g->n++;
	return 0;
}

static int
procs_id_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The namespaces bound on names under /run/netns, sorted. */
static uint64_t *
procs_named_ids(size_t *n)
{
	char		**names;
	size_t		  n_names;
	uint64_t	 *ids;

	*n = 0;
	if (netns_list(&names, &n_names) < 0)
		return NULL;
	if ((ids = calloc(n_names + 1, sizeof(*ids))) != NULL) {
		for (size_t i = 0; i < n_names; i++)
			if ((ids[*n] = netns_id(names[i])) != 0)
				(*n)++;
		qsort(ids, *n, sizeof(*ids), procs_id_cmp);
	}
	netns_list_free(names, n_names);
	return ids;
}

/* The mark of the namespace at PATH. */
static bool
procs_mark(const char *path, struct own_mark *m)
{
	char		 alias[KS_ALIAS_MAX] = "";
	struct nl_sock	*s;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	if ((s = nl_open(fd)) != NULL) {
		(void)observe_lo_alias(s, -1, alias, sizeof(alias));
		nl_close(s);
	}
	close(fd);
	return own_mark_parse(alias, m) && m->node[0] != '\0';
}

int
procs_ghosts(const char *lab, struct ghost_list *out)
{
	struct procs_ghost_scan	 g = { 0 };
	uint64_t		*named = NULL;
	size_t			 n_named = 0;
	char			 place[24];
	int			 rv;

	memset(out, 0, sizeof(*out));
	/* No /run/netns: nothing was named here, no ghost is ours. */
	if (netns_place(place, sizeof(place)) < 0)
		return 0;
	g.home = netns_id_path("/proc/self/ns/net");
	/* No process in a namespace other than ours: no ghost, and the
	 * names need not be looked at. */
	if ((rv = procs_scan(procs_seen_cb, &g)) < 0 || g.n == 0)
		goto out;
	if ((named = procs_named_ids(&n_named)) == NULL) {
		rv = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g.n && rv == 0; i++) {
		struct own_mark	 m;
		struct ghost	*v;

		if (bsearch(&g.v[i].id, named, n_named, sizeof(*named),
		    procs_id_cmp) != NULL ||
		    !procs_mark(g.v[i].path, &m) ||
		    strcmp(m.place, place) != 0 ||
		    (lab && strcmp(m.lab, lab) != 0))
			continue;
		if ((v = reallocarray(out->v, out->n + 1, sizeof(*v))) ==
		    NULL) {
			rv = -ENOMEM;
			break;
		}
		out->v = v;
		v = &out->v[out->n++];
		memset(v, 0, sizeof(*v));
		snprintf(v->lab, sizeof(v->lab), "%s", m.lab);
		snprintf(v->node, sizeof(v->node), "%s", m.node);
		v->id = g.v[i].id;
		rv = procs_find(&v->id, 1, &v->procs);
	}
 out:
	free(named);
	free(g.v);
	if (rv < 0)
		procs_ghosts_free(out);
	return rv;
}

void
procs_ghosts_free(struct ghost_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		procs_free(&l->v[i].procs);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
