/*
 * services: a lab's software, listed, prepared, started and stopped (see
 * services.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kernel/clock.h"
#include "kernel/netns_enter.h"
#include "services.h"
#include "state.h"
#include "topo/diag.h"
#include "util/readfile.h"

#define SVC_ORDER_ZEBRA		0
#define SVC_ORDER_ROUTING	1
#define SVC_ORDER_COMMAND	2
#define SVC_READY_WAIT		5.0	/* for FRR's sockets, seconds */
#define SVC_EXEC_WAIT		30.0	/* for one `exec:` command */
#define SVC_ENV_PATH \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Children that someone else reaped: vrfd's event loop (libev's default
 * loop reaps every child on SIGCHLD) hands their statuses here, and a
 * wait that finds its child gone (ECHILD) looks for it here.
 */
#define SVC_REAPED	128

static struct {
	pid_t		 pid;
	int		 status;
}			 svc_reaped[SVC_REAPED];
static size_t		 svc_reaped_next;
static pthread_mutex_t	 svc_reaped_lock = PTHREAD_MUTEX_INITIALIZER;

void
services_reaped(pid_t pid, int status)
{
	pthread_mutex_lock(&svc_reaped_lock);
	svc_reaped[svc_reaped_next].pid = pid;
	svc_reaped[svc_reaped_next].status = status;
	svc_reaped_next = (svc_reaped_next + 1) % SVC_REAPED;
	pthread_mutex_unlock(&svc_reaped_lock);
}

bool
services_exit_status(pid_t pid, int *status)
{
	bool	 found = false;

	pthread_mutex_lock(&svc_reaped_lock);
	for (size_t k = 0; k < SVC_REAPED && !found; k++)
		if (svc_reaped[k].pid == pid && pid > 0) {
			*status = svc_reaped[k].status;
			found = true;
		}
	pthread_mutex_unlock(&svc_reaped_lock);
	return found;
}

static void
svc_sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait for our child PID, at most TIMEOUT seconds: 0 and *ST, or
 * -ETIMEDOUT, or -errno. Reaped by another (vrfd's loop), its status is
 * in svc_reaped. */
static int
svc_wait(pid_t pid, int *st, double timeout)
{
	double	 until = clock_mono() + timeout;
	pid_t	 r;

	for (;;) {
		if ((r = waitpid(pid, st, WNOHANG)) == pid)
			return 0;
		if (r < 0 && errno != EINTR && errno != ECHILD)
			return -errno;
		if (r < 0 && errno == ECHILD && services_exit_status(pid, st))
			return 0;
		if (clock_mono() >= until)
			return -ETIMEDOUT;
		svc_sleep_ms(2);
	}
}

/* A path into BUF; one that does not fit is "" (nothing opens it). */
static const char *
svc_pathf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *
svc_pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';
	return buf;
}

const char *
services_frr_etc(char *buf, size_t len)
{
	snprintf(buf, len, "%s/frr/etc", state_dir());
	return buf;
}

/* What the FRR configuration TEXT needs besides zebra and staticd. */
static size_t
svc_frr_derive(const char *text, char daemons[][16], size_t max)
{
	static const struct {
		const char	*prefix;
		const char	*daemon;
	} uses[] = {
		{ "router ospf6", "ospf6d" }, { "router ospf", "ospfd" },
		{ "router bgp", "bgpd" }, { "router isis", "isisd" },
		{ "router ripng", "ripngd" }, { "router rip", "ripd" },
		{ "router eigrp", "eigrpd" }, { "router babel", "babeld" },
		{ "router openfabric", "fabricd" }, { "bfd", "bfdd" },
		{ "mpls ldp", "ldpd" }, { "ip pim", "pimd" },
		{ "router pim", "pimd" }, { "vrrp", "vrrpd" },
		{ "pbr-map", "pbrd" }, { "ip nhrp", "nhrpd" },
	};
	const char	*line = text, *p;
	size_t		 n = 0, i, k;

	snprintf(daemons[n++], 16, "zebra");
	snprintf(daemons[n++], 16, "staticd");
	while (line != NULL && *line != '\0') {
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		for (i = 0; i < sizeof(uses) / sizeof(uses[0]); i++) {
			size_t l = strlen(uses[i].prefix);

			if (strncmp(p, uses[i].prefix, l) != 0 ||
			    (p[l] != '\0' && p[l] != ' ' && p[l] != '\n'))
				continue;
			for (k = 0; k < n; k++)
				if (strcmp(daemons[k], uses[i].daemon) == 0)
					break;
			if (k == n && n < max)
				snprintf(daemons[n++], 16, "%s",
				    uses[i].daemon);
			break;
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return n;
}

/* The FRR config of namespace TNS: its text, read or inline. NULL with
 * errno (the file could not be read). Malloc'ed. */
static char *
svc_suite_text(const struct topo_suite *su, const char *base)
{
	char	 path[PATH_MAX], *buf = NULL;
	size_t	 cap = 0, n = 0;
	ssize_t	 r;
	int	 fd;

	if (su->text != NULL)
		return strdup(su->text);
	if (su->file[0] == '/' || base == NULL)
		snprintf(path, sizeof(path), "%s", su->file);
	else
		snprintf(path, sizeof(path), "%s/%s", base, su->file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (nb == NULL) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + n, cap - n - 1)) < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return buf;
}

/* The daemons of TNS's FRR: as declared, or derived from TEXT. */
static size_t
svc_frr_daemons(const struct topo_ns *tns, const char *text,
    char daemons[][16])
{
	size_t	 n = 0, i, k;

	if (tns->frr.n_daemons == 0)
		return svc_frr_derive(text != NULL ? text : "", daemons,
		    TOPO_FRR_DAEMONS_MAX);
	/* Declared: zebra always, and first. */
	snprintf(daemons[n++], 16, "zebra");
	for (i = 0; i < tns->frr.n_daemons; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(daemons[k], tns->frr.daemons[i]) == 0)
				break;
		if (k == n && n < TOPO_FRR_DAEMONS_MAX)
			snprintf(daemons[n++], 16, "%s", tns->frr.daemons[i]);
	}
	return n;
}

/* Where FRR of namespace NS finds its configuration (frr.conf). */
static const char *
svc_frr_conf(const char *ns, char *buf, size_t len)
{
	char	 etc[PATH_MAX];

	svc_pathf(buf, len, "%s/%s/frr.conf", services_frr_etc(etc,
	    sizeof(etc)), ns);
	return buf;
}

static const char *
svc_bird_conf(const char *ns, char *buf, size_t len)
{
	snprintf(buf, len, "%s/bird/%s.conf", state_dir(), ns);
	return buf;
}

bool
services_any(const struct topo *t)
{
	for (size_t i = 0; i < t->n_ns; i++)
		if (!t->ns[i].remote && (t->ns[i].n_services > 0 ||
		    t->ns[i].frr.set || t->ns[i].bird.set ||
		    t->ns[i].n_execs > 0))
			return true;
	return false;
}

static struct svc *
svc_add(struct svc_list *l, size_t ns, const char *name, enum svc_kind kind,
    int order)
{
	struct svc	*v;

	if ((v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL)
		return NULL;
	l->v = v;
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	v->ns = ns;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->kind = kind;
	v->order = order;
	v->restart = TOPO_RESTART_ALWAYS;
	return v;
}

static int
svc_cmp(const void *a, const void *b)
{
	const struct svc	*x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

int
services_list(const struct topo *t, size_t ns, struct svc_list *l)
{
	char		 daemons[TOPO_FRR_DAEMONS_MAX][16], conf[PATH_MAX];
	char		*text;
	struct svc	*s;
	size_t		 i, k, n;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < t->n_ns; i++) {
		const struct topo_ns *tns = &t->ns[i];

		/* Another host's software runs there. */
		if ((ns != SIZE_MAX && i != ns) || tns->remote)
			continue;
		if (tns->frr.set) {
			/* The daemons of what was installed at apply. */
			text = svc_suite_text(&(struct topo_suite){ .file =
			    svc_frr_conf(tns->name, conf, sizeof(conf)) },
			    NULL);
			n = svc_frr_daemons(tns, text, daemons);
			free(text);
			for (k = 0; k < n; k++)
				if (svc_add(l, i, daemons[k], SVC_FRR, k == 0 ?
				    SVC_ORDER_ZEBRA : SVC_ORDER_ROUTING) ==
				    NULL)
					goto nomem;
		}
		if (tns->bird.set && svc_add(l, i, "bird", SVC_BIRD,
		    SVC_ORDER_ROUTING) == NULL)
			goto nomem;
		for (k = 0; k < tns->n_services; k++) {
			if ((s = svc_add(l, i, tns->services[k].name,
			    SVC_COMMAND, SVC_ORDER_COMMAND)) == NULL)
				goto nomem;
			s->ts = &tns->services[k];
			s->restart = tns->services[k].restart;
		}
	}
	qsort(l->v, l->n, sizeof(*l->v), svc_cmp);
	return 0;
nomem:
	services_list_free(l);
	return -ENOMEM;
}

void
services_list_free(struct svc_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Run ARGV (a checker) and collect its output in OUT. Its exit status,
 * or -errno. */
static int
svc_run_check(char *const argv[], char *out, size_t len)
{
	int	 p[2], st;
	pid_t	 pid;
	size_t	 n = 0;
	ssize_t	 r;


	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while (n + 1 < len && (r = read(p[0], out + n, len - n - 1)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
	}
	out[n] = '\0';
	close(p[0]);
	if ((r = svc_wait(pid, &st, SVC_EXEC_WAIT)) < 0) {
		kill(pid, SIGKILL);
		return (int)r;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* A checker's complaint on one line: its lines joined, trimmed. */
static void
svc_one_line(char *s)
{
	size_t	 n;

	for (char *p = s; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	while ((n = strlen(s)) > 0 && s[n - 1] == ' ')
		s[n - 1] = '\0';
}

static int
svc_write(const char *path, const char *text, mode_t mode, uid_t uid,
    gid_t gid)
{
	char	 tmp[PATH_MAX + 8];
	int	 fd, e;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) < 0)
		return -errno;
	if ((e = write_all(fd, text, strlen(text))) < 0) {
		close(fd);
		unlink(tmp);
		return e;
	}
	if (fchown(fd, uid, gid) < 0 || fchmod(fd, mode) < 0 ||
	    close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		return -e;
	}
	return 0;
}

static int
svc_mkdir(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return -errno;
	if (chown(path, uid, gid) < 0)
		return -errno;
	return 0;
}

/* The uid and gid of USER, or root's. */
static void
svc_user(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw = getpwnam(user);

	*uid = pw != NULL ? pw->pw_uid : 0;
	*gid = pw != NULL ? pw->pw_gid : 0;
}

/* Check (and with WRITE install) the configuration of one suite. */
static int
svc_prepare_suite(const struct topo *t, const struct topo_ns *tns,
    const struct topo_suite *su, bool frr, const char *base,
    struct diag_list *dl, bool install)
{
	char	 tmp[] = "/tmp/vrfd-conf.XXXXXX", out[2048], path[PATH_MAX];
	char	 dir[PATH_MAX], *text;
	char	*argv[6];
	uid_t	 uid;
	gid_t	 gid;
	int	 fd, rc;

	if (access(frr ? SVC_FRR_DIR "/zebra" : "/usr/sbin/bird", X_OK) < 0) {
		diag_at(dl, DIAG_ERROR, t->file, su->node, "%s is not "
		    "installed: apt-get install %s", frr ? "FRR" : "BIRD",
		    frr ? "frr" : "bird2");
		return 0;
	}
	if ((text = svc_suite_text(su, base)) == NULL) {
		diag_at(dl, DIAG_ERROR, t->file, su->node, "%s: %s", su->file,
		    strerror(errno));
		return 0;
	}
	/* The suite's own check, on a copy of exactly what will run. */
	if ((fd = mkstemp(tmp)) < 0 || write(fd, text, strlen(text)) < 0 ||
	    close(fd) < 0) {
		rc = -errno;
		diag_at(dl, DIAG_ERROR, t->file, su->node, "cannot check the "
		    "configuration: %s", strerror(-rc));
		free(text);
		return rc;
	}
	argv[0] = frr ? "/usr/bin/vtysh" : "/usr/sbin/bird";
	argv[1] = frr ? "-C" : "-p";
	argv[2] = frr ? "-f" : "-c";
	argv[3] = tmp;
	argv[4] = NULL;
	rc = svc_run_check(argv, out, sizeof(out));
	unlink(tmp);
	if (rc != 0) {
		svc_one_line(out);
		if (out[0] == '\0')
			snprintf(out, sizeof(out), "%s %s", argv[0], rc < 0 ?
			    strerror(-rc) : "refused it, and said nothing");
		diag_at(dl, DIAG_ERROR, t->file, su->node, "%s%s%s: %s",
		    frr ? "FRR" : "BIRD", su->file ? " config " : " config",
		    su->file ? su->file : "", out);
		free(text);
		return 0;
	}
	rc = 0;
	if (install && mkdir(state_dir(), 0755) < 0 && errno != EEXIST)
		rc = -errno;
	if (rc < 0)
		;
	else if (install && frr) {
		svc_user("frr", &uid, &gid);
		services_frr_etc(dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/frr", state_dir());
		if ((rc = svc_mkdir(path, 0755, 0, 0)) == 0 &&
		    (rc = svc_mkdir(dir, 0755, uid, gid)) == 0) {
			svc_pathf(path, sizeof(path), "%s/%s", dir, tns->name);
			if ((rc = svc_mkdir(path, 0750, uid, gid)) == 0)
				rc = svc_write(svc_frr_conf(tns->name, path,
				    sizeof(path)), text, 0640, uid, gid);
			svc_pathf(path, sizeof(path), "%s/%s/vtysh.conf", dir,
			    tns->name);
			if (rc == 0)
				rc = svc_write(path, "", 0640, uid, gid);
		}
	} else if (install) {
		snprintf(path, sizeof(path), "%s/bird", state_dir());
		if ((rc = svc_mkdir(path, 0755, 0, 0)) == 0)
			rc = svc_write(svc_bird_conf(tns->name, path,
			    sizeof(path)), text, 0644, 0, 0);
	}
	if (rc < 0)
		diag_at(dl, DIAG_ERROR, t->file, su->node, "cannot install "
		    "the configuration: %s", strerror(-rc));
	free(text);
	return rc;
}

int
services_prepare(const struct topo *t, const char *base,
    struct diag_list *dl, bool install)
{
	int	 rc, first = 0;

	for (size_t i = 0; i < t->n_ns; i++) {
		const struct topo_ns *tns = &t->ns[i];

		if (tns->remote)
			continue;
		if (tns->frr.set && (rc = svc_prepare_suite(t, tns, &tns->frr,
		    true, base, dl, install)) < 0 && first == 0)
			first = rc;
		if (tns->bird.set && (rc = svc_prepare_suite(t, tns,
		    &tns->bird, false, base, dl, install)) < 0 && first == 0)
			first = rc;
	}
	return first;
}

static const char *
svc_path(const struct topo *t, const struct svc *s, const char *ext,
    char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s.%s", SVC_RUN_DIR, t->ns[s->ns].name,
	    s->name, ext);
	return buf;
}

const char *
services_log_path(const struct topo *t, const struct svc *s, char *buf,
    size_t len)
{
	return svc_path(t, s, "log", buf, len);
}

/* A process's start time, in clock ticks since boot (/proc/PID/stat
 * field 22): with the pid, it names one process for good. 0: none; and
 * *ZOMBIE: it has ended, its parent has not collected it yet. */
static unsigned long long
svc_stat(pid_t pid, bool *zombie)
{
	char			 path[64], buf[1024], *p;
	unsigned long long	 st = 0;
	ssize_t			 n;
	int			 fd, f;

	*zombie = false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* After the command name, which may hold anything, in parentheses. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	for (f = 2; f < 22 && p != NULL; f++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%llu", &st) != 1)
		return 0;
	*zombie = strstr(buf, ") Z ") != NULL;
	return st;
}

/* ... of a process that runs (a zombie is gone, for us). */
static unsigned long long
svc_starttime(pid_t pid)
{
	bool			 zombie;
	unsigned long long	 st = svc_stat(pid, &zombie);

	return zombie ? 0 : st;
}

bool
services_unreaped(pid_t pid)
{
	bool	 zombie;

	return pid > 0 && svc_stat(pid, &zombie) != 0 && zombie;
}

/* The pid file of S: its pid and start time; 0: none. */
static pid_t
svc_pidfile(const struct topo *t, const struct svc *s, unsigned long long *st)
{
	char	 path[PATH_MAX];
	int	 pid;
	FILE	*f;

	if ((f = fopen(svc_path(t, s, "pid", path, sizeof(path)), "re")) ==
	    NULL)
		return 0;
	if (fscanf(f, "%d %llu", &pid, st) != 2 || pid <= 0)
		pid = 0;
	fclose(f);
	return pid;
}

pid_t
services_pid(const struct topo *t, const struct svc *s)
{
	unsigned long long	 st;
	pid_t			 pid = svc_pidfile(t, s, &st);

	if (pid <= 0 || svc_starttime(pid) != st)
		return 0;
	return pid;
}

pid_t
services_last_pid(const struct topo *t, const struct svc *s)
{
	unsigned long long	 st;

	return svc_pidfile(t, s, &st);
}

/*
 * The child of a start, between fork and exec: into the node, its output
 * to LOG, its own session. Only calls that are safe after a fork in a
 * threaded program, or near enough (glibc's malloc is).
 */
static void
svc_child(const char *ns, const char *log, const char *frr_etc,
    char *const argv[], char *const envp[])
{
	char	 err[256];
	int	 fd;

	setsid();
	if ((fd = open("/dev/null", O_RDONLY)) >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (netns_enter_node(ns, err, sizeof(err)) < 0) {
		dprintf(2, "vrfd: %s\n", err);
		_exit(126);
	}
	if (frr_etc != NULL && netns_enter_bind(frr_etc, "/etc/frr", err,
	    sizeof(err)) < 0) {
		dprintf(2, "vrfd: %s\n", err);
		_exit(126);
	}
	if (chdir("/") < 0)
		_exit(126);
	syscall(SYS_close_range, 3U, ~0U, 0U);
	signal(SIGPIPE, SIG_DFL);
	execve(argv[0], argv, envp);
	dprintf(2, "vrfd: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* The environment of a command: the service's, over a plain one. */
static char **
svc_envp(const struct svc *s)
{
	static const char *const base[] = {
		SVC_ENV_PATH, "HOME=/root", "LANG=C.UTF-8",
	};
	size_t	 n = 3 + (s->ts != NULL ? s->ts->n_env : 0), k = 0, i;
	char	**e;

	if ((e = calloc(n + 1, sizeof(*e))) == NULL)
		return NULL;
	for (i = 0; i < 3; i++)
		e[k++] = strdup(base[i]);
	for (i = 0; s->ts != NULL && i < s->ts->n_env; i++)
		if (asprintf(&e[k++], "%s=%s", s->ts->env[i].key,
		    s->ts->env[i].value) < 0)
			e[k - 1] = NULL;
	return e;
}

static void
svc_strv_free(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Start S in its node: its pid, or -errno. */
static pid_t
svc_spawn(const struct topo *t, const struct svc *s)
{
	const char	*ns = t->ns[s->ns].name;
	char		 log[PATH_MAX], pidf[PATH_MAX], dir[PATH_MAX], etc[PATH_MAX];
	char		 conf[PATH_MAX], sock[PATH_MAX], daemon[PATH_MAX];
	char		*argv[12] = { NULL }, **envp;
	char		 pidline[64];
	uid_t		 uid;
	gid_t		 gid;
	pid_t		 pid;
	int		 rc;

	if (svc_mkdir("/run/vrfd", 0755, 0, 0) < 0 ||
	    svc_mkdir(SVC_RUN_DIR, 0755, 0, 0) < 0)
		return -errno;
	snprintf(dir, sizeof(dir), "%s/%s", SVC_RUN_DIR, ns);
	if ((rc = svc_mkdir(dir, 0755, 0, 0)) < 0)
		return rc;
	services_log_path(t, s, log, sizeof(log));
	svc_path(t, s, "pid", pidf, sizeof(pidf));
	switch (s->kind) {
	case SVC_FRR:
		/* Its sockets where `vtysh -N NS` looks for them. */
		svc_user("frr", &uid, &gid);
		snprintf(sock, sizeof(sock), "%s/%s", SVC_FRR_RUN, ns);
		if ((rc = svc_mkdir(SVC_FRR_RUN, 0755, uid, gid)) < 0 ||
		    (rc = svc_mkdir(sock, 0755, uid, gid)) < 0)
			return rc;
		/* A daemon killed before leaves its sockets: gone first, so
		 * that the waits for them (zebra's, vtysh -b's) wait for this
		 * one's. */
		svc_pathf(daemon, sizeof(daemon), "%s/%s.vty", sock, s->name);
		unlink(daemon);
		if (s->order == SVC_ORDER_ZEBRA) {
			svc_pathf(daemon, sizeof(daemon), "%s/zserv.api", sock);
			unlink(daemon);
		}
		snprintf(daemon, sizeof(daemon), "%s/%s", SVC_FRR_DIR,
		    s->name);
		argv[0] = daemon;
		argv[1] = "-N";
		argv[2] = (char *)ns;
		argv[3] = "-A";
		argv[4] = "127.0.0.1";
		argv[5] = "--log";
		argv[6] = "stdout";
		if (strcmp(s->name, "zebra") == 0) {
			argv[7] = "-s";
			argv[8] = "90000000";
		}
		break;
	case SVC_BIRD:
		svc_bird_conf(ns, conf, sizeof(conf));
		svc_pathf(sock, sizeof(sock), "%s/bird.ctl", dir);
		argv[0] = "/usr/sbin/bird";
		argv[1] = "-f";
		argv[2] = "-c";
		argv[3] = conf;
		argv[4] = "-s";
		argv[5] = sock;
		if (getpwnam("bird") != NULL) {
			argv[6] = "-u";
			argv[7] = "bird";
			argv[8] = "-g";
			argv[9] = "bird";
		}
		break;
	case SVC_COMMAND:
		argv[0] = "/bin/sh";
		argv[1] = "-c";
		argv[2] = (char *)s->ts->command;
		break;
	}
	if ((envp = svc_envp(s)) == NULL)
		return -ENOMEM;
	services_frr_etc(etc, sizeof(etc));
	if ((pid = fork()) < 0) {
		rc = -errno;
		svc_strv_free(envp);
		return rc;
	}
	if (pid == 0)
		svc_child(ns, log, s->kind == SVC_FRR ? etc : NULL, argv, envp);
	svc_strv_free(envp);
	/* The start time is known once the child runs: read it now, while
	 * the pid cannot have been reused (it is our child, not reaped). */
	snprintf(pidline, sizeof(pidline), "%d %llu\n", (int)pid,
	    svc_starttime(pid));
	if ((rc = svc_write(pidf, pidline, 0644, 0, 0)) < 0)
		return rc;
	return pid;
}

/* Wait until FRR's daemons of namespace NS have their sockets, then load
 * its integrated configuration into them (`vtysh -b`). */
static void
svc_frr_load(const struct topo *t, const struct svc_list *l, size_t ns)
{
	char	 path[PATH_MAX], etc[PATH_MAX], log[PATH_MAX];
	char	*argv[] = { "/usr/bin/vtysh", "-N", (char *)t->ns[ns].name,
	    "-b", NULL };
	char	*envp[] = { SVC_ENV_PATH, NULL };
	double	 until = clock_mono() + SVC_READY_WAIT;
	bool	 ready = false;
	pid_t	 pid;
	int	 st;

	while (!ready && clock_mono() < until) {
		ready = true;
		for (size_t k = 0; k < l->n && ready; k++) {
			if (l->v[k].ns != ns || l->v[k].kind != SVC_FRR)
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s.vty",
			    SVC_FRR_RUN, t->ns[ns].name, l->v[k].name);
			ready = access(path, F_OK) == 0;
		}
		if (!ready)
			svc_sleep_ms(20);
	}
	snprintf(log, sizeof(log), "%s/%s/vtysh.log", SVC_RUN_DIR,
	    t->ns[ns].name);
	if ((pid = fork()) == 0)
		svc_child(t->ns[ns].name, log, services_frr_etc(etc,
		    sizeof(etc)), argv, envp);
	if (pid > 0 && svc_wait(pid, &st, SVC_EXEC_WAIT) < 0)
		kill(pid, SIGKILL);
}

/* zebra of namespace NS listening for the other daemons, or 5 s gone. */
static void
svc_wait_zebra(const struct topo *t, size_t ns)
{
	char	 path[PATH_MAX];
	double	 until = clock_mono() + SVC_READY_WAIT;

	snprintf(path, sizeof(path), "%s/%s/zserv.api", SVC_FRR_RUN,
	    t->ns[ns].name);
	while (access(path, F_OK) < 0 && clock_mono() < until)
		svc_sleep_ms(10);
}

int
services_start(const struct topo *t, const struct svc_list *l, size_t ns,
    void (*started)(void *, const struct svc *, pid_t), void *arg)
{
	bool	*frr_started;
	pid_t	 pid;
	int	 first = 0;

	if ((frr_started = calloc(t->n_ns + 1, sizeof(bool))) == NULL)
		return -ENOMEM;
	for (size_t k = 0; k < l->n; k++) {
		const struct svc *s = &l->v[k];

		if ((ns != SIZE_MAX && s->ns != ns) || services_pid(t, s) > 0)
			continue;
		/* The rest of FRR once zebra is up, as watchfrr does. */
		if (s->kind == SVC_FRR && s->order > SVC_ORDER_ZEBRA)
			svc_wait_zebra(t, s->ns);
		if ((pid = svc_spawn(t, s)) < 0) {
			if (first == 0)
				first = (int)pid;
			continue;
		}
		if (s->kind == SVC_FRR)
			frr_started[s->ns] = true;
		if (started != NULL)
			started(arg, s, pid);
	}
	for (size_t i = 0; i < t->n_ns; i++)
		if (frr_started[i])
			svc_frr_load(t, l, i);
	free(frr_started);
	return first;
}

/* Signal the processes of L in group ORDER (of NS, or all) with SIG;
 * true if one still ran. One that is our child and ended is reaped
 * (only it: another thread may wait for a child of its own). */
static bool
svc_signal(const struct topo *t, const struct svc_list *l, size_t ns,
    int order, int sig)
{
	bool	 any = false;
	pid_t	 pid;

	for (size_t k = 0; k < l->n; k++) {
		if (l->v[k].order != order || (ns != SIZE_MAX &&
		    l->v[k].ns != ns) || (pid = services_pid(t, &l->v[k])) <= 0)
			continue;
		if (sig == 0 && waitpid(pid, NULL, WNOHANG) == pid)
			continue;
		any = true;
		if (sig != 0)
			kill(pid, sig);
	}
	return any;
}

void
services_stop(const struct topo *t, const struct svc_list *l, size_t ns,
    double grace)
{
	char	 path[PATH_MAX];
	double	 until;

	for (int order = SVC_ORDER_COMMAND; order >= SVC_ORDER_ZEBRA;
	    order--) {
		if (!svc_signal(t, l, ns, order, SIGTERM))
			continue;
		until = clock_mono() + grace;
		while (svc_signal(t, l, ns, order, 0) && clock_mono() < until)
			svc_sleep_ms(10);
		if (svc_signal(t, l, ns, order, SIGKILL)) {
			svc_sleep_ms(20);
			(void)svc_signal(t, l, ns, order, 0);
		}
	}
	for (size_t k = 0; k < l->n; k++)
		if (ns == SIZE_MAX || l->v[k].ns == ns)
			unlink(svc_path(t, &l->v[k], "pid", path,
			    sizeof(path)));
}

int
services_exec(const struct topo *t, size_t ns)
{
	const struct topo_ns	*tns = &t->ns[ns];
	char			 log[PATH_MAX], dir[PATH_MAX];
	char			*envp[] = { SVC_ENV_PATH, "HOME=/root",
				    NULL };
	int			 failed = 0, st;
	pid_t			 pid;

	if (tns->n_execs == 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/%s", SVC_RUN_DIR, tns->name);
	if (svc_mkdir("/run/vrfd", 0755, 0, 0) < 0 ||
	    svc_mkdir(SVC_RUN_DIR, 0755, 0, 0) < 0 ||
	    svc_mkdir(dir, 0755, 0, 0) < 0)
		return (int)tns->n_execs;
	svc_pathf(log, sizeof(log), "%s/exec.log", dir);
	for (size_t k = 0; k < tns->n_execs; k++) {
		char *argv[] = { "/bin/sh", "-c", (char *)tns->execs[k],
		    NULL };

		if ((pid = fork()) < 0) {
			failed++;
			continue;
		}
		if (pid == 0)
			svc_child(tns->name, log, NULL, argv, envp);
		if (svc_wait(pid, &st, SVC_EXEC_WAIT) < 0) {
			kill(-pid, SIGKILL);
			(void)svc_wait(pid, &st, 1);
			failed++;
		} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	return failed;
}
