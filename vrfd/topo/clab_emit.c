/*
 * clab_emit: vrfd's topology text for a converted containerlab lab, and
 * the way back from its lines to the containerlab file.
 *
 * The text is block YAML, one value a line where it can be, so that a
 * line names one place of the containerlab file: pos[] records it as each
 * line starts. Scalars are written plain where that reads back the same,
 * double-quoted otherwise; a configuration as a literal block.
 *
 * `addressing:` (pools for the addresses left out) is written only when
 * nothing but the file gives addresses: a node that runs FRR or BIRD, or
 * keeps an exec command, may set its own, which pools would contradict.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clab.h"
#include "clab_priv.h"
#include "diag.h"
#include "topo.h"
#include "ytree.h"

/* The pools a converted lab gets: addresses seldom used by labs. */
#define CLAB_POOL_P2P	"100.64.0.0/16"
#define CLAB_POOL_LAN	"100.65.0.0/16"

struct clab_emit {
	FILE			*fp;
	struct clab_pos		*pos;
	size_t			 n_pos;
	bool			 nomem;
	const struct ynode	*fallback;
};

static void	clab_emit_line(struct clab_emit *, const struct ynode *, int,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

/* A line starts: where it comes from, and its indent. */
static void
clab_emit_begin(struct clab_emit *e, const struct ynode *at, int indent)
{
	struct clab_pos	*v;

	if (at == NULL)
		at = e->fallback;
	if ((e->n_pos & (e->n_pos - 1)) == 0) {
		v = reallocarray(e->pos, e->n_pos ? 2 * e->n_pos : 1,
		    sizeof(*v));
		if (v == NULL) {
			e->nomem = true;
			return;
		}
		e->pos = v;
	}
	e->pos[e->n_pos].line = at ? at->line : 0;
	e->pos[e->n_pos++].col = at ? at->col : 0;
	fprintf(e->fp, "%*s", indent, "");
}

static void
clab_emit_end(struct clab_emit *e)
{
	fputc('\n', e->fp);
}

static void
clab_emit_line(struct clab_emit *e, const struct ynode *at, int indent,
    const char *fmt, ...)
{
	va_list	 ap;

	clab_emit_begin(e, at, indent);
	va_start(ap, fmt);
	vfprintf(e->fp, fmt, ap);
	va_end(ap);
	clab_emit_end(e);
}

/* S as a YAML scalar: plain when it reads back as itself. */
static void
clab_emit_q(struct clab_emit *e, const char *s, bool colon_ok)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
	    NULL };
	const char	*p;
	bool		 plain = true;
	size_t		 i;

	for (i = 0; nulls[i] != NULL; i++)
		if (strcmp(s, nulls[i]) == 0)
			plain = false;
	if (s[0] == '-' || s[0] == '.' || s[0] == ':')
		plain = false;
	for (p = s; plain && *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("._/+-", *p) ||
		    (colon_ok && *p == ':')))
			plain = false;
	if (plain) {
		fputs(s, e->fp);
		return;
	}
	fputc('"', e->fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(e->fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", e->fp);
		else if (*p == '\t')
			fputs("\\t", e->fp);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fprintf(e->fp, "\\x%02x", (unsigned char)*p);
		else
			fputc(*p, e->fp);
	}
	fputc('"', e->fp);
}

/* "KEY: VALUE" on a line of its own. */
static void
clab_emit_kv(struct clab_emit *e, const struct ynode *at, int indent,
    const char *key, const char *val)
{
	clab_emit_begin(e, at, indent);
	fprintf(e->fp, "%s: ", key);
	clab_emit_q(e, val, false);
	clab_emit_end(e);
}

/* Can TEXT be a literal block: printable, its first line not indented? */
static bool
clab_literal_ok(const char *text)
{
	const char	*p;

	if (text[0] == ' ' || text[0] == '\n' || text[0] == '\0')
		return false;
	for (p = text; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') ||
		    *p == 0x7f)
			return false;
	return true;
}

/* "text: |" and TEXT, each of its lines from AT. */
static void
clab_emit_text(struct clab_emit *e, const struct ynode *at, int indent,
    const char *text)
{
	const char	*p, *nl;
	size_t		 len = strlen(text), trail = 0;

	if (!clab_literal_ok(text)) {
		clab_emit_kv(e, at, indent, "text", text);
		return;
	}
	while (trail < len && text[len - 1 - trail] == '\n')
		trail++;
	clab_emit_line(e, at, indent, "text: |%s", trail == 0 ? "-" :
	    trail == 1 ? "" : "+");
	for (p = text; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			nl = text + len;
		clab_emit_begin(e, at, nl > p ? indent + 2 : 0);
		fprintf(e->fp, "%.*s", (int)(nl - p), p);
		clab_emit_end(e);
	}
}

static const struct ynode *
clab_iface_at(const struct clab_iface *ifc)
{
	if (ifc->n_addrs > 0)
		return ifc->addrs[0].at;
	if (ifc->mtu.s != NULL)
		return ifc->mtu.at;
	if (ifc->mac.s != NULL)
		return ifc->mac.at;
	return ifc->down;
}

static void
clab_emit_ifaces(struct clab_emit *e, const struct clab_node *n)
{
	const struct clab_iface	*ifc;
	size_t			 i, j;
	bool			 any = false;

	for (i = 0; i < n->n_ifs; i++) {
		ifc = &n->ifs[i];
		if (clab_iface_at(ifc) == NULL)
			continue;
		if (!any)
			clab_emit_line(e, clab_iface_at(ifc), 4, "interfaces:");
		any = true;
		clab_emit_begin(e, clab_iface_at(ifc), 6);
		clab_emit_q(e, ifc->name, false);
		fputc(':', e->fp);
		clab_emit_end(e);
		if (ifc->n_addrs > 0)
			clab_emit_line(e, ifc->addrs[0].at, 8, "addresses:");
		for (j = 0; j < ifc->n_addrs; j++) {
			clab_emit_begin(e, ifc->addrs[j].at, 10);
			fputs("- ", e->fp);
			clab_emit_q(e, ifc->addrs[j].s, false);
			clab_emit_end(e);
		}
		if (ifc->mtu.s != NULL)
			clab_emit_kv(e, ifc->mtu.at, 8, "mtu", ifc->mtu.s);
		if (ifc->mac.s != NULL)
			clab_emit_kv(e, ifc->mac.at, 8, "mac", ifc->mac.s);
		if (ifc->down != NULL)
			clab_emit_line(e, ifc->down, 8, "state: down");
	}
}

static void
clab_emit_routes(struct clab_emit *e, const struct clab_node *n)
{
	const struct clab_route	*r;
	size_t			 i;

	for (i = 0; i < n->n_routes; i++) {
		r = &n->routes[i];
		if (i == 0)
			clab_emit_line(e, r->at, 4, "routes:");
		clab_emit_begin(e, r->at, 6);
		fputs("- {to: ", e->fp);
		clab_emit_q(e, r->to, false);
		if (r->via != NULL) {
			fputs(", via: ", e->fp);
			clab_emit_q(e, r->via, false);
		}
		if (r->dev != NULL) {
			fputs(", dev: ", e->fp);
			clab_emit_q(e, r->dev, false);
		}
		if (r->metric != NULL)
			fprintf(e->fp, ", metric: %s", r->metric);
		fputc('}', e->fp);
		clab_emit_end(e);
	}
}

static void
clab_emit_suite(struct clab_emit *e, const struct clab_node *n)
{
	size_t	 i;

	/* No configuration: an error said why (a URL). */
	if ((n->role != CLAB_ROLE_FRR && n->role != CLAB_ROLE_BIRD) ||
	    n->cfg.s == NULL)
		return;
	clab_emit_line(e, n->cfg.at, 4, "%s:", n->role == CLAB_ROLE_FRR ?
	    "frr" : "bird");
	if (n->cfg_is_text)
		clab_emit_text(e, n->cfg.at, 6, n->cfg.s);
	else
		clab_emit_kv(e, n->cfg.at, 6, "config", n->cfg.s);
	if (n->n_daemons == 0)
		return;
	clab_emit_begin(e, n->daemons_at, 6);
	fputs("daemons: [", e->fp);
	for (i = 0; i < n->n_daemons; i++)
		fprintf(e->fp, "%s%s", i ? ", " : "", n->daemons[i]);
	fputc(']', e->fp);
	clab_emit_end(e);
}

static void
clab_emit_router(struct clab_emit *e, const struct clab_node *n)
{
	size_t	 i;

	clab_emit_begin(e, n->key, 2);
	fprintf(e->fp, "%s:", n->name);
	if (strcmp(n->name, n->cname) != 0)
		fprintf(e->fp, "%*s# %s", (int)(strlen(n->name) < 20 ?
		    20 - strlen(n->name) : 1), "", n->cname);
	clab_emit_end(e);
	clab_emit_ifaces(e, n);
	clab_emit_routes(e, n);
	for (i = 0; i < n->n_sysctls; i++) {
		if (i == 0)
			clab_emit_line(e, n->key, 4, "sysctl:");
		clab_emit_begin(e, n->sysctls[i].val.at, 6);
		clab_emit_q(e, n->sysctls[i].key, false);
		fputs(": ", e->fp);
		clab_emit_q(e, n->sysctls[i].val.s, false);
		clab_emit_end(e);
	}
	for (i = 0; i < n->n_execs; i++) {
		if (i == 0)
			clab_emit_line(e, n->execs[0].at, 4, "exec:");
		clab_emit_begin(e, n->execs[i].at, 6);
		fputs("- ", e->fp);
		clab_emit_q(e, n->execs[i].s, false);
		clab_emit_end(e);
	}
	clab_emit_suite(e, n);
}

static void
clab_emit_end_str(struct clab_emit *e, const struct clab_end *end)
{
	char	 s[2 * TOPO_NAME_MAX + IFNAMSIZ + 4];

	snprintf(s, sizeof(s), "%s:%s", end->node->name, end->ifname);
	clab_emit_q(e, s, true);
}

static void
clab_emit_links(struct clab_emit *e, struct clab_st *st)
{
	const struct clab_link	*l;
	size_t			 i;

	for (i = 0; i < st->n_links; i++) {
		l = &st->links[i];
		if (i == 0)
			clab_emit_line(e, l->at->parent, 0, "links:");
		clab_emit_begin(e, l->at, 2);
		fputs(l->mtu.s ? "- {endpoints: [" : "- [", e->fp);
		clab_emit_end_str(e, &l->ep[0]);
		fputs(", ", e->fp);
		clab_emit_end_str(e, &l->ep[1]);
		fputc(']', e->fp);
		if (l->mtu.s != NULL) {
			fputs(", mtu: ", e->fp);
			clab_emit_q(e, l->mtu.s, false);
			fputc('}', e->fp);
		}
		clab_emit_end(e);
	}
}

/* Pools, if some interface has no address and only the file sets them. */
static void
clab_emit_pools(struct clab_emit *e, struct clab_st *st)
{
	const struct clab_node	*n, *who = NULL;
	struct topo_prefix	 p;
	size_t			 i, j, k;
	bool			 need = false, has;

	for (i = 0; i < st->n_nodes; i++) {
		n = &st->nodes[i];
		if (n->role == CLAB_ROLE_BAD || n->role == CLAB_ROLE_SWITCH)
			continue;
		if (who == NULL && (n->role == CLAB_ROLE_FRR ||
		    n->role == CLAB_ROLE_BIRD || n->n_execs > 0))
			who = n;
		for (j = 0; j < n->n_ifs; j++) {
			has = false;
			for (k = 0; k < n->ifs[j].n_addrs; k++)
				if (topo_parse_prefix(n->ifs[j].addrs[k].s,
				    &p) == 0 && p.family == AF_INET)
					has = true;
			if (n->ifs[j].linked && !has)
				need = true;
		}
	}
	if (!need)
		return;
	if (who != NULL) {
		clab_emit_line(e, NULL, 0, "# No addressing: pools, as %s %s, "
		    "which may set its own addresses.", who->cname,
		    who->role == CLAB_ROLE_FRR ? "runs FRR" :
		    who->role == CLAB_ROLE_BIRD ? "runs BIRD" :
		    "keeps exec commands");
		return;
	}
	clab_emit_line(e, NULL, 0, "addressing:");
	clab_emit_line(e, NULL, 2, "p2p: %s", CLAB_POOL_P2P);
	clab_emit_line(e, NULL, 2, "lan: %s", CLAB_POOL_LAN);
}

static void
clab_emit_expects(struct clab_emit *e, struct clab_st *st)
{
	const struct clab_node	*n;
	const struct clab_expect *x;
	size_t			 i, j;
	bool			 any = false;

	for (i = 0; i < st->n_nodes; i++) {
		n = &st->nodes[i];
		for (j = 0; n->role != CLAB_ROLE_BAD && j < n->n_expects; j++) {
			x = &n->expects[j];
			if (!any)
				clab_emit_line(e, x->at, 0, "expect:");
			any = true;
			clab_emit_begin(e, x->at, 2);
			fprintf(e->fp, "- {from: %s, to: ", n->name);
			clab_emit_q(e, x->to, false);
			fprintf(e->fp, "%s}", x->reach ? "" : ", reach: false");
			clab_emit_end(e);
		}
	}
}

int
clab_emit(struct clab_st *st, struct clab_conv *conv)
{
	struct clab_emit	 e;
	const struct clab_node	*n;
	const char		*base = strrchr(st->file, '/');
	char			*buf = NULL;
	size_t			 len = 0, i;
	bool			 any;

	memset(&e, 0, sizeof(e));
	e.fallback = st->root;
	if ((e.fp = open_memstream(&buf, &len)) == NULL)
		return -ENOMEM;
	clab_emit_line(&e, NULL, 0, "# Converted by vrfctl import from %s "
	    "(containerlab).", base ? base + 1 : st->file);
	clab_emit_line(&e, NULL, 0, "# Relative paths are relative to that "
	    "file's directory.");
	clab_emit_kv(&e, st->name_at, 0, "lab", st->lab);
	for (i = 0, any = false; i < st->n_nodes; i++) {
		n = &st->nodes[i];
		if (n->role == CLAB_ROLE_BAD || n->role == CLAB_ROLE_SWITCH)
			continue;
		if (!any)
			clab_emit_line(&e, n->key->parent, 0, "routers:");
		any = true;
		clab_emit_router(&e, n);
	}
	for (i = 0, any = false; i < st->n_nodes; i++) {
		n = &st->nodes[i];
		if (n->role != CLAB_ROLE_SWITCH)
			continue;
		if (!any)
			clab_emit_line(&e, n->key->parent, 0, "switches:");
		any = true;
		clab_emit_begin(&e, n->key, 2);
		fprintf(e.fp, "%s: {}", n->name);
		if (strcmp(n->name, n->cname) != 0)
			fprintf(e.fp, "  # %s", n->cname);
		clab_emit_end(&e);
	}
	clab_emit_links(&e, st);
	clab_emit_pools(&e, st);
	clab_emit_expects(&e, st);
	if (fclose(e.fp) != 0 || e.nomem) {
		free(buf);
		free(e.pos);
		return -ENOMEM;
	}
	conv->text = buf;
	conv->len = len;
	conv->pos = e.pos;
	conv->n_pos = e.n_pos;
	return 0;
}

bool
clab_remap_pos(const struct clab_conv *conv, unsigned *line, unsigned *col)
{
	const struct clab_pos	*p;

	if (*line < 1 || *line > conv->n_pos ||
	    (p = &conv->pos[*line - 1])->line == 0)
		return false;
	*line = p->line;
	*col = p->col;
	return true;
}

static void
clab_remap_node(const struct clab_conv *conv, struct ynode *n)
{
	size_t	 i;

	clab_remap_pos(conv, &n->line, &n->col);
	for (i = 0; i < n->n; i++) {
		if (n->type == YNODE_MAP)
			clab_remap_node(conv, ynode_keys(n)[i]);
		if (n->type != YNODE_SCALAR)
			clab_remap_node(conv, n->items[i]);
	}
}

void
clab_remap_tree(const struct clab_conv *conv, struct ynode *root)
{
	if (root != NULL) {
		clab_remap_node(conv, root);
		ytree_unbind(root);
	}
}

void
clab_remap_diags(const struct clab_conv *conv, struct diag_list *dl,
    size_t first, const char *file)
{
	struct diag	*d;
	char		*f;
	size_t		 i;

	for (i = first; i < dl->n; i++) {
		d = &dl->v[i];
		clab_remap_pos(conv, &d->line, &d->col);
		if (file != NULL && (f = strdup(file)) != NULL) {
			free(d->file);
			d->file = f;
		}
	}
}
