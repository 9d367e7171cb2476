/*
 * clab: a containerlab topology, read and made into vrfd's text.
 *
 * The flow: parse the YAML (ytree), check the top level (`name`,
 * `topology` and the keys containerlab has there), read each node
 * (clab_node.c), the links (clab_link.c), then each node's `exec`, which
 * needs to know the node's links (clab_exec.c), and write the text
 * (clab_emit.c). Every problem is a diagnostic at its place in the
 * containerlab file, and all of them are found in one run.
 *
 * Both formats: containerlab's current one (`groups` that nodes inherit
 * from, the `frr` kind, links with `type:` and endpoint maps) and its
 * older one (`group` only a label, FRR as a linux node with its files
 * bound, brief links only, `mgmt_ipv4`, `config:` for a startup config)
 * are the same file to this reader: what one lacks, the other's keys do
 * not need.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clab.h"
#include "clab_priv.h"
#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "ytree.h"

static const char *const clab_root_keys[] = {
	"name", "prefix", "mgmt", "settings", "topology", NULL
};
static const char *const clab_topology_keys[] = {
	"defaults", "kinds", "groups", "nodes", "links", NULL
};

static void	clab_vdiag(struct clab_st *, enum diag_level,
		    const struct ynode *, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

static void
clab_vdiag(struct clab_st *st, enum diag_level level, const struct ynode *n,
    const char *fmt, va_list ap)
{
	char	*msg;

	if (vasprintf(&msg, fmt, ap) == -1) {
		st->nomem = true;
		return;
	}
	diag_at(st->dl, level, st->file, n, "%s", msg);
	free(msg);
}

void
clab_err(struct clab_st *st, const struct ynode *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	clab_vdiag(st, DIAG_ERROR, n, fmt, ap);
	va_end(ap);
}

void
clab_warn(struct clab_st *st, const struct ynode *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	clab_vdiag(st, DIAG_WARNING, n, fmt, ap);
	va_end(ap);
}

void
clab_warn_once(struct clab_st *st, const struct ynode *n, const char *fmt,
    ...)
{
	const struct ynode	**v;
	va_list			  ap;
	size_t			  i;

	for (i = 0; i < st->n_warned; i++)
		if (st->warned[i] == n)
			return;
	if ((v = clab_grow(st, st->warned, st->n_warned, sizeof(*v))) == NULL)
		return;
	st->warned = v;
	st->warned[st->n_warned++] = n;
	va_start(ap, fmt);
	clab_vdiag(st, DIAG_WARNING, n, fmt, ap);
	va_end(ap);
}

void
clab_err_key(struct clab_st *st, const struct ynode *map,
    const struct ynode *k, const char *const *known)
{
	struct topo_suggest	 sg;
	char			 hint[128];
	size_t			 i;

	topo_suggest_init(&sg, k->scalar);
	for (i = 0; known[i] != NULL; i++)
		topo_suggest_offer(&sg, known[i]);
	diag_in(st->dl, DIAG_ERROR, st->file, k->line, k->col, map,
	    "unknown key '%s'%s (containerlab refuses it too)", k->scalar,
	    topo_suggest_str(&sg, hint, sizeof(hint)));
}

char *
clab_strdup(struct clab_st *st, const char *s)
{
	char	*d;

	if ((d = strdup(s)) == NULL)
		st->nomem = true;
	return d;
}

void *
clab_grow(struct clab_st *st, void *v, size_t n, size_t size)
{
	void	*nv = v;

	if ((n & (n - 1)) == 0 &&
	    (nv = reallocarray(v, n ? 2 * n : 1, size)) == NULL) {
		st->nomem = true;
		return NULL;
	}
	memset((char *)nv + n * size, 0, size);
	return nv;
}

const char *
clab_scalar(struct clab_st *st, const struct ynode *n, const char *what)
{
	char	 got[64];

	if (n != NULL && n->type == YNODE_SCALAR && !ynode_is_null(n))
		return n->scalar;
	if (n != NULL)
		clab_err(st, n, "expected %s, got %s", what,
		    topo_node_desc(n, got, sizeof(got)));
	return NULL;
}

bool
clab_is_map(const struct ynode *n)
{
	return n == NULL || n->type == YNODE_MAP || ynode_is_null(n);
}

struct clab_node *
clab_node_by_cname(struct clab_st *st, const char *cname)
{
	size_t	 i;

	for (i = 0; i < st->n_nodes; i++)
		if (strcmp(st->nodes[i].cname, cname) == 0)
			return &st->nodes[i];
	return NULL;
}

char *
clab_path(struct clab_st *st, const struct clab_node *n, const char *p)
{
	const char	*home, *rest = p;
	char		*out = NULL;
	int		 r = 0;

	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0') &&
	    (home = getenv("HOME")) != NULL)
		r = asprintf(&out, "%s%s", home, p + 1);
	else if (strncmp(p, "__clabNodeDir__", 15) == 0)
		r = asprintf(&out, "clab-%s/%s%s", st->lab, n->cname, p + 15);
	else if (strncmp(p, "__clabDir__", 11) == 0)
		r = asprintf(&out, "clab-%s%s", st->lab, p + 11);
	else
		out = strdup(rest);
	if (r < 0 || out == NULL) {
		st->nomem = true;
		return NULL;
	}
	return out;
}

int
clab_name(const char *in, char *out, size_t len)
{
	size_t	 n = 0;
	char	 c;

	for (; *in != '\0'; in++) {
		c = (char)tolower((unsigned char)*in);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_'))
			c = '-';
		/* Nothing but a letter or digit first. */
		if (n == 0 && (c == '-' || c == '_'))
			continue;
		if (n + 1 >= len || n >= TOPO_NAME_MAX) {
			if (len > 0)
				out[0] = '\0';
			return -ENAMETOOLONG;
		}
		out[n++] = c;
	}
	if (len > 0)
		out[n < len ? n : len - 1] = '\0';
	return n == 0 ? -EINVAL : 0;
}

/* Is there a line of BUF that starts with KEY and a ':' after it? */
static bool
clab_has_key(const char *buf, size_t len, const char *key)
{
	size_t	 kl = strlen(key), i = 0;

	while (i < len) {
		if (len - i > kl && memcmp(buf + i, key, kl) == 0 &&
		    buf[i + kl] == ':')
			return true;
		while (i < len && buf[i] != '\n')
			i++;
		i++;
	}
	return false;
}

static bool
clab_suffix(const char *file, const char *suffix)
{
	size_t	 fl = strlen(file), sl = strlen(suffix);

	return fl > sl && strcmp(file + fl - sl, suffix) == 0;
}

bool
clab_detect(const char *file, const char *buf, size_t len)
{
	static const char *const suffixes[] = {
		".clab.yml", ".clab.yaml", "-clab.yml", "-clab.yaml", NULL
	};
	size_t	 i;
	bool	 named = false;

	if (buf != NULL && clab_has_key(buf, len, "lab"))
		return false;
	for (i = 0; file != NULL && suffixes[i] != NULL; i++)
		if (clab_suffix(file, suffixes[i]))
			named = true;
	return named || (buf != NULL && clab_has_key(buf, len, "name") &&
	    clab_has_key(buf, len, "topology"));
}

/* The keys of MAP that are none of KNOWN: errors. */
static void
clab_known(struct clab_st *st, const struct ynode *map,
    const char *const *known)
{
	size_t	 i, j;

	for (i = 0; i < map->n; i++) {
		for (j = 0; known[j] != NULL; j++)
			if (strcmp(ynode_keys(map)[i]->scalar, known[j]) == 0)
				break;
		if (known[j] == NULL)
			clab_err_key(st, map, ynode_keys(map)[i], known);
	}
}

/* `name`: the lab's, as vrfd names it. */
static void
clab_lab_name(struct clab_st *st)
{
	const struct ynode	*n = ynode_get(st->root, "name");
	const char		*s;
	int			 rv;

	if (n == NULL) {
		clab_err(st, st->root, "no 'name': a containerlab topology "
		    "needs one");
		return;
	}
	if ((s = clab_scalar(st, n, "the lab's name")) == NULL)
		return;
	st->name_at = n;
	if ((rv = clab_name(s, st->lab, sizeof(st->lab))) == -EINVAL)
		clab_err(st, n, "lab name '%s' has no letter or digit, which "
		    "vrfd's lab names need", s);
	else if (rv < 0)
		clab_err(st, n, "lab name '%s' is longer than vrfd's %d bytes",
		    s, TOPO_NAME_MAX);
}

/* The keys of the top level that only containerlab's host setup uses. */
static void
clab_root(struct clab_st *st, const struct ynode **topology)
{
	static const char *const ignored[] = { "prefix", "mgmt", "settings",
	    NULL };
	const struct ynode	*k;
	size_t			 i;
	char			 got[64];

	*topology = NULL;
	if (st->root->type != YNODE_MAP) {
		clab_err(st, st->root, "a containerlab topology is a map with "
		    "'name' and 'topology', not %s",
		    topo_node_desc(st->root, got, sizeof(got)));
		return;
	}
	clab_known(st, st->root, clab_root_keys);
	clab_lab_name(st);
	for (i = 0; ignored[i] != NULL; i++)
		if ((k = ynode_key(st->root, ignored[i])) != NULL)
			clab_warn(st, k, "ignored: '%s' sets up containerlab's "
			    "containers or host, and vrfd makes neither",
			    ignored[i]);
	*topology = ynode_get(st->root, "topology");
	if (*topology == NULL)
		clab_err(st, st->root, "no 'topology': a containerlab "
		    "topology needs one");
	else if ((*topology)->type != YNODE_MAP) {
		clab_err(st, *topology, "expected a map, got %s",
		    topo_node_desc(*topology, got, sizeof(got)));
		*topology = NULL;
	}
}

/* `defaults`, `kinds` and `groups`: definitions the nodes inherit. */
static const struct ynode *
clab_defs(struct clab_st *st, const struct ynode *topology, const char *key,
    bool of_maps)
{
	const struct ynode	*n = ynode_get(topology, key);
	char			 got[64];
	size_t			 i;

	if (n == NULL || ynode_is_null(n))
		return NULL;
	if (n->type != YNODE_MAP) {
		clab_err(st, n, "expected a map, got %s",
		    topo_node_desc(n, got, sizeof(got)));
		return NULL;
	}
	for (i = 0; of_maps && i < n->n; i++)
		if (!clab_is_map(n->items[i]))
			clab_err(st, n->items[i], "expected a map, got %s",
			    topo_node_desc(n->items[i], got, sizeof(got)));
	return n;
}

/* `nodes`: each one named, and the names vrfd gives them unique. */
static void
clab_nodes(struct clab_st *st, const struct ynode *nodes)
{
	struct clab_node	*v, *n;
	char			 got[64];
	size_t			 i, j;
	int			 rv;

	if (nodes == NULL || ynode_is_null(nodes)) {
		clab_err(st, nodes ? nodes : st->root, "no nodes: a lab needs "
		    "at least one");
		return;
	}
	if (nodes->type != YNODE_MAP) {
		clab_err(st, nodes, "expected a map of nodes, got %s",
		    topo_node_desc(nodes, got, sizeof(got)));
		return;
	}
	if ((st->nodes = calloc(nodes->n + 1, sizeof(*st->nodes))) == NULL) {
		st->nomem = true;
		return;
	}
	for (i = 0; i < nodes->n; i++) {
		v = st->nodes;
		n = &v[st->n_nodes++];
		n->cname = ynode_keys(nodes)[i]->scalar;
		n->key = ynode_keys(nodes)[i];
		n->def = ynode_is_null(nodes->items[i]) ? NULL :
		    nodes->items[i];
		rv = clab_name(n->cname, n->name, sizeof(n->name));
		if (rv == -EINVAL)
			clab_err(st, n->key, "node name '%s' has no letter or "
			    "digit, which vrfd's names need", n->cname);
		else if (rv < 0)
			clab_err(st, n->key, "node name '%s' is longer than "
			    "vrfd's %d bytes", n->cname, TOPO_NAME_MAX);
		if (rv < 0)
			continue;			/* CLAB_ROLE_BAD */
		n->role = CLAB_ROLE_HOST;		/* until its kind says */
		for (j = 0; j + 1 < st->n_nodes; j++)
			if (v[j].name[0] != '\0' &&
			    strcmp(v[j].name, n->name) == 0) {
				clab_err(st, n->key, "node '%s' would be named "
				    "'%s' by vrfd, as node '%s' (line %u) is",
				    n->cname, n->name, v[j].cname,
				    v[j].key->line);
				n->role = CLAB_ROLE_BAD;
				n->name[0] = '\0';
				break;
			}
		if (n->role == CLAB_ROLE_BAD)
			continue;
		if (n->def != NULL && n->def->type != YNODE_MAP) {
			clab_err(st, n->def, "expected a map, got %s",
			    topo_node_desc(n->def, got, sizeof(got)));
			n->role = CLAB_ROLE_BAD;
		}
	}
}

/* FILE's directory, for the files it names. */
static void
clab_dir(struct clab_st *st)
{
	const char	*slash = strrchr(st->file, '/');

	if (slash == NULL)
		snprintf(st->dir, sizeof(st->dir), ".");
	else if (slash == st->file)
		snprintf(st->dir, sizeof(st->dir), "/");
	else
		snprintf(st->dir, sizeof(st->dir), "%.*s",
		    (int)(slash - st->file), st->file);
}

static void
clab_st_free(struct clab_st *st)
{
	size_t	 i;

	for (i = 0; i < st->n_nodes; i++)
		clab_node_free(&st->nodes[i]);
	free(st->nodes);
	for (i = 0; i < st->n_links; i++)
		free(st->links[i].mtu.s);
	free(st->links);
	free(st->warned);
}

int
clab_convert(const char *file, const char *buf, size_t len,
    struct clab_conv *conv, struct diag_list *dl)
{
	struct clab_st		 st;
	const struct ynode	*topology;
	struct ynode		*root;
	size_t			 errors = dl->n_errors, i, routers;
	int			 rv = 0;

	memset(conv, 0, sizeof(*conv));
	memset(&st, 0, sizeof(st));
	st.file = file;
	st.dl = dl;
	clab_dir(&st);
	if ((root = ytree_parse(file, buf, len, dl)) == NULL)
		return dl->n_errors > errors ? -EINVAL : -ENOMEM;
	st.root = root;
	clab_root(&st, &topology);
	if (topology != NULL) {
		clab_known(&st, topology, clab_topology_keys);
		st.defaults = clab_defs(&st, topology, "defaults", false);
		if (st.defaults != NULL && !clab_is_map(st.defaults))
			st.defaults = NULL;
		st.kinds = clab_defs(&st, topology, "kinds", true);
		st.groups = clab_defs(&st, topology, "groups", true);
		clab_nodes(&st, ynode_get(topology, "nodes"));
		for (i = 0; i < st.n_nodes && !st.nomem; i++)
			clab_node_read(&st, &st.nodes[i]);
		if (!st.nomem)
			clab_link_all(&st, ynode_get(topology, "links"));
		for (i = 0; i < st.n_nodes && !st.nomem; i++)
			clab_node_state(&st, &st.nodes[i]);
		if (!st.nomem)
			clab_node_warn_defs(&st);
	}
	/* With errors, the text of what could be read still goes to the
	 * loader, which may find more: all are said in one run. Not without
	 * a router, which would only add that there is none. */
	for (i = 0, routers = 0; i < st.n_nodes; i++)
		if (st.nodes[i].role != CLAB_ROLE_BAD &&
		    st.nodes[i].role != CLAB_ROLE_SWITCH)
			routers++;
	if (st.nomem)
		rv = -ENOMEM;
	else if (dl->n_errors == errors || routers > 0)
		rv = clab_emit(&st, conv);
	if (rv == 0 && dl->n_errors > errors)
		rv = -EINVAL;
	clab_st_free(&st);
	ytree_free(root);
	return rv;
}

void
clab_conv_free(struct clab_conv *conv)
{
	free(conv->text);
	free(conv->pos);
	memset(conv, 0, sizeof(*conv));
}
