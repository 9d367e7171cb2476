/*
 * state: stored topologies, one file per lab.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kernel/kdigest.h"
#include "state.h"
#include "util/readfile.h"

static char	 state_dir_override[512];

void
state_set_dir(const char *dir)
{
	snprintf(state_dir_override, sizeof(state_dir_override), "%s",
	    dir ? dir : "");
}

const char *
state_dir(void)
{
	const char	*env;

	if (state_dir_override[0])
		return state_dir_override;
	if ((env = getenv("VRFD_STATE_DIR")) != NULL && env[0])
		return env;
	return STATE_DIR_DEFAULT;
}

const char *
state_lab_path(const char *lab, char *buf, size_t len)
{
	snprintf(buf, len, "%s/labs/%s.yaml", state_dir(), lab);
	return buf;
}

static int
state_mkdirs(void)
{
	char	 path[600];

	if (mkdir(state_dir(), 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/labs", state_dir());
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Does PATH hold exactly TEXT? Then keeping it again is nothing: a
 * re-apply of the same file writes (and flushes) nothing. */
static bool
state_same(const char *path, const char *text, size_t len)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 got = 0;
	bool		 same = false;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	if (fstat(fd, &st) == 0 && (size_t)st.st_size == len &&
	    (buf = malloc(len + 1)) != NULL) {
		while (got < len && ((n = read(fd, buf + got, len - got)) > 0 ||
		    (n < 0 && errno == EINTR)))
			got += n > 0 ? (size_t)n : 0;
		same = got == len && memcmp(buf, text, len) == 0;
		free(buf);
	}
	close(fd);
	return same;
}

const char *
state_overrides_path(const char *lab, char *buf, size_t len)
{
	snprintf(buf, len, "%s/labs/%s.overrides", state_dir(), lab);
	return buf;
}

/* TEXT into the new file TMP (under the state directory); DURABLE:
 * flushed to the disk (what a cache is kept by need not be). Removed
 * again if it cannot be written whole. */
static int
state_put_tmp(const char *tmp, const char *text, size_t len, bool durable)
{
	int	 fd, rv;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0)
		return -errno;
	rv = write_all(fd, text, len);
	if (rv == 0 && durable && fsync(fd) < 0)
		rv = -errno;
	if (close(fd) < 0 && rv == 0)
		rv = -errno;
	if (rv < 0)
		unlink(tmp);
	return rv;
}

/*
 * TEXT into PATH (under the state directory): written beside it, then
 * renamed over it, so that a reader (or a restarted vrfd) sees the old
 * text or the new one, never half of one.
 */
static int
state_put(const char *path, const char *text, size_t len, bool durable)
{
	char	 tmp[640];
	int	 rv;

	if ((rv = state_mkdirs()) < 0)
		return rv;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	if ((rv = state_put_tmp(tmp, text, len, durable)) < 0)
		return rv;
	if (rename(tmp, path) < 0) {
		rv = -errno;
		unlink(tmp);
	}
	return rv;
}

/* TEXT into PATH for good, unless it holds TEXT already. */
static int
state_write(const char *path, const char *text, size_t len)
{
	if (state_same(path, text, len))
		return 0;
	return state_put(path, text, len, true);
}

void
state_text_digest(const char *text, size_t len, char *buf, size_t size)
{
	snprintf(buf, size, "%zu-%016llx", len,
	    (unsigned long long)ks_bytes_digest(text, len));
}

/* A lab's seal speaks for the text kept and no runtime overrides: gone
 * before either changes (a seal lost is a pass run, no more). */
static void
state_unseal(const char *lab)
{
	(void)state_remove_extra(lab, STATE_SEAL);
}

/* Keep TEXT as LAB's topology. */
int
state_save_lab_text(const char *lab, const char *text, size_t len)
{
	char	 path[600];

	state_lab_path(lab, path, sizeof(path));
	if (state_same(path, text, len))
		return 0;
	state_unseal(lab);
	return state_put(path, text, len, true);
}

/* How a staged text's name begins: a dot first, no lab's
 * (state_list_labs). */
#define STATE_STAGED	".staged."

int
state_stage_text(const char *text, size_t len, char *tmp, size_t tmplen)
{
	static unsigned	 seq;
	int		 rv;

	if ((rv = state_mkdirs()) < 0)
		return rv;
	snprintf(tmp, tmplen, "%s/labs/" STATE_STAGED "%d.%u.tmp",
	    state_dir(), (int)getpid(), __atomic_add_fetch(&seq, 1,
	    __ATOMIC_RELAXED));
	return state_put_tmp(tmp, text, len, true);
}

int
state_keep_staged(const char *lab, const char *tmp, int *held)
{
	char	 path[600];

	state_lab_path(lab, path, sizeof(path));
	if (held != NULL)
		*held = open(path, O_RDONLY | O_CLOEXEC);
	state_unseal(lab);
	if (rename(tmp, path) < 0) {
		int	 err = errno;

		if (held != NULL && *held >= 0) {
			close(*held);
			*held = -1;
		}
		return -err;
	}
	return 0;
}

void
state_unstage(const char *tmp)
{
	(void)unlink(tmp);
}

void
state_unstage_all(void)
{
	char		 path[600];
	struct dirent	*de;
	DIR		*d;

	snprintf(path, sizeof(path), "%s/labs", state_dir());
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, STATE_STAGED,
		    sizeof(STATE_STAGED) - 1) == 0)
			(void)unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

int
state_save_overrides_text(const char *lab, const char *text, size_t len)
{
	char	 path[600];

	state_unseal(lab);
	return state_write(state_overrides_path(lab, path, sizeof(path)),
	    text, len);
}

int
state_remove_overrides(const char *lab)
{
	char	 path[600];

	if (unlink(state_overrides_path(lab, path, sizeof(path))) < 0)
		return -errno;
	return 0;
}

const char *
state_extra_path(const char *lab, const char *ext, char *buf, size_t len)
{
	snprintf(buf, len, "%s/labs/%s.%s", state_dir(), lab, ext);
	return buf;
}

int
state_save_extra(const char *lab, const char *ext, const char *text,
    size_t len)
{
	char	 path[600];

	return state_write(state_extra_path(lab, ext, path, sizeof(path)),
	    text, len);
}

int
state_read_extra(const char *lab, const char *ext, char *buf, size_t len)
{
	char	 path[600];
	ssize_t	 n;
	int	 fd, rv = 0;

	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	state_extra_path(lab, ext, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if ((n = read(fd, buf, len - 1)) < 0)
		rv = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return rv;
}

int
state_save_extra_cache(const char *lab, const char *ext, const char *buf,
    size_t len)
{
	char	 path[600];

	return state_put(state_extra_path(lab, ext, path,
	    sizeof(path)), buf, len, false);
}

int
state_remove_extra(const char *lab, const char *ext)
{
	char	 path[600];

	if (unlink(state_extra_path(lab, ext, path, sizeof(path))) < 0)
		return -errno;
	return 0;
}

int
state_remove_lab(const char *lab)
{
	char	 path[600];

	if (unlink(state_lab_path(lab, path, sizeof(path))) < 0)
		return -errno;
	/* What was kept beside it goes with it. */
	(void)state_remove_extra(lab, STATE_HOST);
	(void)state_remove_extra(lab, STATE_TUNNELS);
	(void)state_remove_extra(lab, STATE_TREE);
	state_unseal(lab);
	return 0;
}

static int
state_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
state_list_labs(char ***labs, size_t *n)
{
	char		 path[600], **v = NULL, **nv;
	struct dirent	*de;
	DIR		*d;
	size_t		 k = 0;

	*labs = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/labs", state_dir());
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) != NULL) {
		size_t	 len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		if ((nv = reallocarray(v, k + 1, sizeof(*v))) == NULL)
			break;
		v = nv;
		if ((v[k] = strndup(de->d_name, len - 5)) == NULL)
			break;
		k++;
	}
	closedir(d);
	if (k > 1)	/* v is NULL when there is none */
		qsort(v, k, sizeof(*v), state_cmp);
	*labs = v;
	*n = k;
	return 0;
}
