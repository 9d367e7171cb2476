/*
 * clab_suite: the routing suite a containerlab node runs, and its files.
 *
 * A linux node runs FRR when its image's name holds "frr" or when it binds
 * FRR's files (/etc/frr/frr.conf, /etc/frr/daemons, or /etc/frr itself):
 * the bound frr.conf is its configuration, and the NAME=yes lines of the
 * bound daemons file the daemons it runs. It runs BIRD when it binds
 * bird.conf (or /etc/bird). A node of the frr kind takes its `startup-
 * config` (a file, or the configuration itself; `config:` in containerlab's
 * older format) and extras.frr.daemons. Every other bind is a file for a
 * container's own file system: a warning.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clab.h"
#include "clab_priv.h"
#include "diag.h"
#include "topo.h"
#include "ytree.h"

/* The daemons containerlab's frr kind takes in extras.frr.daemons. */
static const char *const clab_frr_daemons[] = {
	"zebra", "staticd", "mgmtd", "watchfrr", "bgpd", "ospfd", "ospf6d",
	"ripd", "ripngd", "isisd", "pimd", "pim6d", "ldpd", "nhrpd", "eigrpd",
	"babeld", "sharpd", "pbrd", "bfdd", "fabricd", "vrrpd", "pathd", NULL
};
/* ... and those vrfd does not run (FRR starts the first three itself). */
static const char *const clab_frr_not_run[] = {
	"mgmtd", "watchfrr", "sharpd", NULL
};
/* A bind "SRC:DST[:MODE]" or "DST": its source (NULL for none) and its
 * destination, without a final '/', into the buffers. */
static void
clab_bind_split(const char *b, char *src, size_t sl, char *dst, size_t dl)
{
	const char	*c1 = strchr(b, ':'), *c2;
	size_t		 n;

	src[0] = '\0';
	if (c1 == NULL) {
		snprintf(dst, dl, "%s", b);
	} else {
		snprintf(src, sl, "%.*s", (int)(c1 - b), b);
		c2 = strchr(c1 + 1, ':');
		n = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
		snprintf(dst, dl, "%.*s", (int)n, c1 + 1);
	}
	n = strlen(dst);
	while (n > 1 && dst[n - 1] == '/')
		dst[--n] = '\0';
}

/* What N's binds give a routing suite. */
struct clab_binds {
	const struct ynode	*frr_conf, *frr_daemons, *frr_dir;
	const struct ynode	*bird_conf, *bird_dir;
	const struct ynode	*v[CLAB_LIST_MAX];	/* the winners */
	size_t			 n;
};

static void
clab_binds_read(struct clab_st *st, const struct clab_node *n,
    struct clab_binds *b)
{
	static const char *const bird_confs[] = { "/etc/bird/bird.conf",
	    "/etc/bird.conf", "/usr/local/etc/bird.conf", NULL };
	const struct ynode	*all[CLAB_LIST_MAX];
	char			 src[PATH_MAX], dst[PATH_MAX], d2[PATH_MAX];
	size_t			 i, j, k;

	memset(b, 0, sizeof(*b));
	k = clab_node_list(st, n, "binds", all, CLAB_LIST_MAX);
	/* A destination bound again on a lower level: that one wins. */
	for (i = 0; i < k; i++) {
		clab_bind_split(all[i]->scalar, src, sizeof(src), dst,
		    sizeof(dst));
		for (j = i + 1; j < k; j++) {
			clab_bind_split(all[j]->scalar, src, sizeof(src), d2,
			    sizeof(d2));
			if (strcmp(dst, d2) == 0)
				break;
		}
		if (j < k)
			continue;
		b->v[b->n++] = all[i];
		clab_bind_split(all[i]->scalar, src, sizeof(src), dst,
		    sizeof(dst));
		if (src[0] == '\0')
			continue;
		if (strcmp(dst, "/etc/frr/frr.conf") == 0)
			b->frr_conf = all[i];
		else if (strcmp(dst, "/etc/frr/daemons") == 0)
			b->frr_daemons = all[i];
		else if (strcmp(dst, "/etc/frr") == 0)
			b->frr_dir = all[i];
		else if (clab_in(dst, bird_confs))
			b->bird_conf = all[i];
		else if (strcmp(dst, "/etc/bird") == 0)
			b->bird_dir = all[i];
	}
}

/* The source of bind B, with FILE after it (a bound directory's), as a
 * path for the text. */
static char *
clab_bind_src(struct clab_st *st, const struct clab_node *n,
    const struct ynode *b, const char *file)
{
	char	 src[PATH_MAX], dst[PATH_MAX], *p, *out;

	clab_bind_split(b->scalar, src, sizeof(src), dst, sizeof(dst));
	if ((p = clab_path(st, n, src)) == NULL)
		return NULL;
	if (file == NULL)
		return p;
	if (asprintf(&out, "%s/%s", p, file) == -1) {
		st->nomem = true;
		out = NULL;
	}
	free(p);
	return out;
}

/* PATH (of the text) as this process opens it: against FILE's dir. */
static void
clab_open_path(struct clab_st *st, const char *path, char *buf, size_t len)
{
	int	 r;

	if (path[0] == '/')
		r = snprintf(buf, len, "%s", path);
	else
		r = snprintf(buf, len, "%s/%s", st->dir, path);
	if (r < 0 || (size_t)r >= len)
		buf[0] = '\0';		/* too long: opens nothing */
}

static void
clab_daemon_add(struct clab_st *st, struct clab_node *n, const char *d,
    const struct ynode *at)
{
	size_t	 i;

	if (clab_in(d, clab_frr_not_run)) {
		if (strcmp(d, "sharpd") == 0)
			clab_warn_once(st, at, "FRR's sharpd is not run by "
			    "vrfd: left out");
		return;
	}
	for (i = 0; i < n->n_daemons; i++)
		if (strcmp(n->daemons[i], d) == 0)
			return;
	if (n->n_daemons < TOPO_FRR_DAEMONS_MAX)
		snprintf(n->daemons[n->n_daemons++], 16, "%s", d);
}

/* FRR's `daemons` file (bound at AT): its NAME=yes lines. */
static void
clab_daemons_file(struct clab_st *st, struct clab_node *n, const char *path,
    const struct ynode *at)
{
	char	 p[PATH_MAX], *line = NULL, *s, *eq, *v;
	size_t	 cap = 0, len;
	FILE	*fp;

	clab_open_path(st, path, p, sizeof(p));
	if ((fp = fopen(p, "r")) == NULL) {
		clab_err(st, at, "FRR's daemons file %s: %s", p,
		    strerror(errno));
		return;
	}
	n->daemons_at = at;
	clab_daemon_add(st, n, "zebra", at);
	clab_daemon_add(st, n, "staticd", at);
	while (getline(&line, &cap, fp) != -1) {
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (*s == '#' || (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		for (v = eq + 1; *v == '"' || *v == '\''; v++)
			;
		len = strcspn(v, "\"' \t\r\n#");
		if (len != 3 || strncmp(v, "yes", 3) != 0 ||
		    !clab_in(s, clab_frr_daemons))
			continue;
		clab_daemon_add(st, n, s, at);
	}
	free(line);
	fclose(fp);
}

/* extras.frr.daemons of the frr kind. */
static bool
clab_daemons_extras(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*ex = clab_field(st, n, "extras"), *d;
	size_t			 i;

	if (ex == NULL || (d = ynode_get(ynode_get(ex, "frr"), "daemons")) ==
	    NULL || ynode_is_null(d))
		return false;
	if (d->type != YNODE_SEQ) {
		clab_scalar(st, d, "a list of FRR daemons");
		return false;
	}
	n->daemons_at = d;
	clab_daemon_add(st, n, "zebra", d);
	clab_daemon_add(st, n, "staticd", d);
	for (i = 0; i < d->n; i++) {
		if (clab_scalar(st, d->items[i], "an FRR daemon") == NULL)
			continue;
		if (!clab_in(d->items[i]->scalar, clab_frr_daemons))
			clab_err(st, d->items[i], "unknown FRR daemon '%s'",
			    d->items[i]->scalar);
		else
			clab_daemon_add(st, n, d->items[i]->scalar,
			    d->items[i]);
	}
	return true;
}

/* The startup config of the frr kind: a file, the text itself, or (in
 * containerlab's older format) `config:`. */
static bool
clab_frr_startup(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*sc = clab_field(st, n, "startup-config");

	if (sc == NULL) {
		sc = clab_field(st, n, "config");
		if (sc != NULL && sc->type != YNODE_SCALAR)
			return false;
	}
	if (sc == NULL || clab_scalar(st, sc, "a file or a configuration") ==
	    NULL)
		return false;
	n->cfg.at = sc;
	if (strchr(sc->scalar, '\n') != NULL) {
		n->cfg_is_text = true;
		n->cfg.s = clab_strdup(st, sc->scalar);
	} else if (strncmp(sc->scalar, "http://", 7) == 0 ||
	    strncmp(sc->scalar, "https://", 8) == 0)
		clab_err(st, sc, "a startup-config at a URL is not fetched: "
		    "download it, and name the file");
	else
		n->cfg.s = clab_path(st, n, sc->scalar);
	return true;
}

static bool
clab_image_has(struct clab_st *st, const struct clab_node *n,
    const char *what)
{
	const struct ynode	*img = clab_field(st, n, "image");

	return img != NULL && img->type == YNODE_SCALAR &&
	    strcasestr(img->scalar, what) != NULL;
}

/* FRR's daemons of N: extras.frr.daemons, else the daemons file bound
 * (or found in a bound /etc/frr); the bind read, or NULL. */
static const struct ynode *
clab_frr_daemons_of(struct clab_st *st, struct clab_node *n,
    const struct clab_binds *b)
{
	const struct ynode	*at;
	char			 p[PATH_MAX], *dpath = NULL;

	if (clab_daemons_extras(st, n))
		return NULL;
	if ((at = b->frr_daemons) != NULL)
		dpath = clab_bind_src(st, n, at, NULL);
	else if ((at = b->frr_dir) != NULL &&
	    (dpath = clab_bind_src(st, n, at, "daemons")) != NULL) {
		clab_open_path(st, dpath, p, sizeof(p));
		if (access(p, F_OK) != 0) {
			free(dpath);
			return NULL;
		}
	}
	if (dpath == NULL)
		return NULL;
	clab_daemons_file(st, n, dpath, at);
	free(dpath);
	return at;
}

/* A linux node: FRR or BIRD, by its image or its binds; frr nodes'
 * configuration and daemons. */
void
clab_suite_read(struct clab_st *st, struct clab_node *n)
{
	struct clab_binds	 b;
	const struct ynode	*conf = NULL, *dmn = NULL;
	bool			 frr, bird;
	size_t			 i;

	clab_binds_read(st, n, &b);
	frr = n->role == CLAB_ROLE_FRR || (n->role == CLAB_ROLE_HOST &&
	    (b.frr_conf || b.frr_daemons || b.frr_dir ||
	    clab_image_has(st, n, "frr")));
	bird = n->role == CLAB_ROLE_HOST && (b.bird_conf || b.bird_dir ||
	    clab_image_has(st, n, "bird"));
	if (frr && bird) {
		/* What is bound says, over what the image is called. */
		if (b.bird_conf || b.bird_dir)
			frr = b.frr_conf || b.frr_dir;
		else
			bird = false;
	}
	if (frr && bird) {
		clab_err(st, n->key, "node '%s' binds configurations of both "
		    "FRR and BIRD: which does it run?", n->cname);
		n->role = CLAB_ROLE_BAD;
		return;
	}
	if (bird && (conf = b.bird_conf ? b.bird_conf : b.bird_dir) == NULL)
		clab_warn(st, n->key, "node '%s' looks like BIRD (its image), "
		    "but binds no bird.conf: made a plain node", n->cname);
	else if (bird) {
		n->role = CLAB_ROLE_BIRD;
		n->cfg.at = conf;
		n->cfg.s = clab_bind_src(st, n, conf, b.bird_conf ? NULL :
		    "bird.conf");
	} else if (frr) {
		if (n->role == CLAB_ROLE_HOST || !clab_frr_startup(st, n)) {
			conf = b.frr_conf ? b.frr_conf : b.frr_dir;
			n->cfg.at = conf ? conf : n->key;
			if (conf != NULL)
				n->cfg.s = clab_bind_src(st, n, conf,
				    b.frr_conf ? NULL : "frr.conf");
			else {
				/* As the frr kind starts without one. */
				n->cfg_is_text = true;
				n->cfg.s = clab_strdup(st,
				    "frr defaults traditional\n");
			}
		}
		n->role = CLAB_ROLE_FRR;
		dmn = clab_frr_daemons_of(st, n, &b);
	}
	/* Every other bind is a file for a container's own file system. */
	for (i = 0; i < b.n; i++)
		if (b.v[i] != conf && b.v[i] != dmn)
			clab_warn_once(st, b.v[i], "ignored: bind '%s': vrfd's "
			    "nodes share the host's files", b.v[i]->scalar);
}
