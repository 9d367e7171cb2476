/*
 * ytree: libyaml's event stream turned into a tree of positioned nodes.
 *
 * The first step of topo_load(): every node keeps its line, column and
 * place (parent, key or index), so that topo_yaml.c and topo_check.c can
 * point at what they reject; the YAML path is made from the place only
 * when a diagnostic needs it. Aliases are resolved to copies of their
 * anchor (with the anchor's positions and the alias's place), and `<<`
 * merge keys are applied. Sizes and nesting are bounded, so that a
 * hostile file (billion laughs, deep brackets) costs little.
 *
 * Nodes, strings and arrays come from one arena (yarena.c) that
 * ytree_free releases at once. Queries on a tree are in ynode.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "diag.h"
#include "yarena.h"
#include "ytree.h"
#include "ytree_priv.h"

#define YTREE_MAX_DEPTH	64		/* nested maps and lists */
#define YTREE_MAX_COPIES 250000		/* made by aliases and merges */
#define YTREE_MAX_MIB	256		/* of scalars */
#define YTREE_MAX_FILE	(16u << 20)
#define YTREE_LINEAR	16		/* keys a map looks up by a scan */
#define YTREE_STR(x)	#x
#define YTREE_XSTR(x)	YTREE_STR(x)


struct ytree_anchor {
	const char	*name;
	struct ynode	*node;
	bool		 done;		/* else an alias to it is a cycle */
};

struct ytree_frame {
	struct ynode	*node;		/* the open map or list */
	struct ynode	*key;		/* map: the key waiting for its value */
	bool		 have_key;	/* map: next node is a value */
	bool		 drop;		/* map: discard that value (bad key) */
	size_t		 anchor;	/* 1 + index of its anchor; 0: none */
};

/* The keys of the maps over YTREE_LINEAR keys, hashed: duplicates are
 * looked for at every key, and `routers:` may have thousands. */
struct ytree_keyset {
	const struct ynode	**v;		/* key nodes (parent: map) */
	size_t			 n, cap;	/* cap: 0 or a power of two */
};

struct ytree_ctx {
	const char		*file;
	const char		*buf;
	size_t			 len;
	struct diag_list	*dl;
	struct ytree_doc	*doc;
	struct ytree_frame	 stack[YTREE_MAX_DEPTH];
	size_t			 depth;
	struct ytree_anchor	*anchors;
	size_t			 n_anchors, cap_anchors;
	struct ytree_keyset	 keys;
	struct ynode		*root;
	size_t			 n_nodes, n_copies, n_bytes;
	bool			 nomem;
	bool			 toobig;
};

/* A 1-based line or column from libyaml's 0-based count. */
static unsigned
ytree_pos(size_t zero_based)
{
	return zero_based >= UINT_MAX ? UINT_MAX : (unsigned)zero_based + 1;
}

static void *
ytree_alloc(struct ytree_ctx *ctx, size_t size, size_t align)
{
	void	*p;

	if ((p = yarena_alloc(&ctx->doc->mem, size, align)) == NULL)
		ctx->nomem = true;
	return p;
}

static char *
ytree_strndup(struct ytree_ctx *ctx, const char *s, size_t len)
{
	char	*p;

	if ((p = yarena_strndup(&ctx->doc->mem, s, len)) == NULL)
		ctx->nomem = true;
	return p;
}

/* Over a limit: one diagnostic, then give up. */
static void
ytree_too_big(struct ytree_ctx *ctx, const struct ynode *at, const char *msg)
{
	if (!ctx->toobig)
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, at->line, at->col, "",
		    "%s", msg);
	ctx->toobig = true;
}

/* Count a new node against the budget; false (and one diagnostic) if over. */
static bool
ytree_budget(struct ytree_ctx *ctx, const struct ynode *at, size_t bytes)
{
	if (ctx->toobig)
		return false;
	ctx->n_nodes++;
	ctx->n_bytes += bytes;
	if (ctx->n_nodes <= YTREE_MAX_NODES &&
	    ctx->n_bytes <= (size_t)YTREE_MAX_MIB << 20)
		return true;
	ytree_too_big(ctx, at, "document too large: more than "
	    YTREE_XSTR(YTREE_MAX_NODES) " nodes or "
	    YTREE_XSTR(YTREE_MAX_MIB) " MiB");
	return false;
}

/* A node at LINE:COL in PARENT (NULL: the root), with BYTES of scalar for
 * the budget. */
static struct ynode *
ytree_node_new(struct ytree_ctx *ctx, enum ynode_type type, unsigned line,
    unsigned col, const struct ynode *parent, size_t bytes)
{
	struct ynode	*n;

	if ((n = ytree_alloc(ctx, sizeof(*n), _Alignof(struct ynode))) == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = line;
	n->col = col;
	ynode_place(n, parent);
	if (!ytree_budget(ctx, n, bytes))
		return NULL;
	return n;
}

static bool
ytree_append(struct ytree_ctx *ctx, struct ynode *parent, struct ynode *key,
    struct ynode *item)
{
	struct ynode	**v;
	size_t		  n = parent->n, cap;
	bool		  map = parent->type == YNODE_MAP;

	/* Grow in powers of two: n is the only size we keep, and a map's
	 * keys are after room for as many values as that (ynode_keys). The
	 * blocks left behind are the arena's, less than the last in all. */
	if ((n & (n - 1)) == 0) {
		cap = n ? n * 2 : 1;
		if ((v = ytree_alloc(ctx, (map ? 2 : 1) * cap * sizeof(*v),
		    _Alignof(struct ynode *))) == NULL)
			return false;
		if (n > 0) {
			memcpy(v, parent->items, n * sizeof(*v));
			if (map)
				memcpy(v + cap, ynode_keys(parent),
				    n * sizeof(*v));
		}
		parent->items = v;
	}
	parent->n++;
	if (map)
		ynode_keys(parent)[n] = key;
	parent->items[n] = item;
	return true;
}

/* A deep copy of SRC placed in PARENT, DEPTH containers down. Scalars
 * share their text with SRC: the arena keeps both. */
static struct ynode *
ytree_copy(struct ytree_ctx *ctx, const struct ynode *src,
    const struct ynode *parent, size_t depth)
{
	struct ynode	*n, *k, *v;
	size_t		 i;

	/* A billion laughs: few bytes, exponentially many copies. */
	if (++ctx->n_copies > YTREE_MAX_COPIES) {
		ytree_too_big(ctx, src, "aliases expand to more than "
		    YTREE_XSTR(YTREE_MAX_COPIES) " nodes");
		return NULL;
	}
	if (src->type != YNODE_SCALAR && depth > YTREE_MAX_DEPTH) {
		ytree_too_big(ctx, src, "aliases nest deeper than "
		    YTREE_XSTR(YTREE_MAX_DEPTH) " levels");
		return NULL;
	}
	n = ytree_node_new(ctx, src->type, src->line, src->col, parent,
	    src->type == YNODE_SCALAR ? strlen(src->scalar) : 0);
	if (n == NULL)
		return NULL;
	if (src->type == YNODE_SCALAR)
		n->scalar = src->scalar;
	n->quoted = src->quoted;
	for (i = 0; i < src->n; i++) {
		k = NULL;
		if (src->type == YNODE_MAP && (k = ytree_copy(ctx,
		    ynode_keys(src)[i], n, depth + 1)) == NULL)
			return NULL;
		if ((v = ytree_copy(ctx, src->items[i], n, depth + 1)) ==
		    NULL || !ytree_append(ctx, n, k, v))
			return NULL;
	}
	return n;
}

/* FNV-1a of the text, mixed with the map. */
static size_t
ytree_keyset_hash(const struct ynode *map, const char *key)
{
	uint64_t	 h = 0xcbf29ce484222325ULL ^ (uintptr_t)map;

	for (; *key != '\0'; key++)
		h = (h ^ (uint8_t)*key) * 0x100000001b3ULL;
	return (size_t)(h ^ h >> 29);
}

/* The slot of KEY in MAP's keys: a match, or the empty one to fill. */
static const struct ynode **
ytree_keyset_slot(const struct ytree_keyset *ks, const struct ynode *map,
    const char *key)
{
	size_t	 i = ytree_keyset_hash(map, key) & (ks->cap - 1);

	while (ks->v[i] != NULL && (ks->v[i]->parent != map ||
	    strcmp(ks->v[i]->scalar, key) != 0))
		i = (i + 1) & (ks->cap - 1);
	return &ks->v[i];
}

static bool
ytree_keyset_add(struct ytree_ctx *ctx, const struct ynode *k)
{
	struct ytree_keyset	 *ks = &ctx->keys, old = ctx->keys;
	size_t			  i;

	if (2 * (ks->n + 1) > ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 256;
		if ((ks->v = calloc(ks->cap, sizeof(*ks->v))) == NULL) {
			*ks = old;
			ctx->nomem = true;
			return false;
		}
		for (i = 0; i < old.cap; i++)
			if (old.v[i] != NULL)
				*ytree_keyset_slot(ks, old.v[i]->parent,
				    old.v[i]->scalar) = old.v[i];
		free(old.v);
	}
	*ytree_keyset_slot(ks, k->parent, k->scalar) = k;
	ks->n++;
	return true;
}

/* The key KEY of a map being read, or NULL. */
static const struct ynode *
ytree_open_key(const struct ytree_ctx *ctx, const struct ynode *map,
    const char *key)
{
	if (map->n <= YTREE_LINEAR || ctx->keys.cap == 0)
		return ynode_key(map, key);
	return *ytree_keyset_slot(&ctx->keys, map, key);
}

static bool
ytree_is_merge_key(const struct ynode *k)
{
	return !k->quoted && strcmp(k->scalar, "<<") == 0;
}

/* A diagnostic at LINE:COL on PATH (the caller's, freed here; NULL: out
 * of memory). */
static void __attribute__((format(printf, 5, 0)))
ytree_verr(struct ytree_ctx *ctx, unsigned line, unsigned col, char *path,
    const char *fmt, va_list ap)
{
	char	*msg;

	if (path == NULL || vasprintf(&msg, fmt, ap) == -1) {
		ctx->nomem = true;
		free(path);
		return;
	}
	diag_add(ctx->dl, DIAG_ERROR, ctx->file, line, col, path, "%s", msg);
	free(msg);
	free(path);
}

/* A diagnostic at LINE:COL with the path of IN. */
static void __attribute__((format(printf, 5, 6)))
ytree_err(struct ytree_ctx *ctx, unsigned line, unsigned col,
    const struct ynode *in, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	ytree_verr(ctx, line, col, ynode_path(in), fmt, ap);
	va_end(ap);
}

/* Copy the pairs of SRC that MAP lacks into DST (the rebuilt MAP). */
static void
ytree_merge_from(struct ytree_ctx *ctx, const struct ynode *map,
    struct ynode *dst, const struct ynode *src, size_t depth)
{
	struct ynode	*k, *v;
	size_t		 i;

	if (src->type != YNODE_MAP) {
		ytree_err(ctx, src->line, src->col, map,
		    "'<<' merges a map or a list of maps");
		return;
	}
	for (i = 0; i < src->n && !ctx->nomem && !ctx->toobig; i++) {
		const char	*key = ynode_keys(src)[i]->scalar;

		/* Explicit keys win, then earlier merged maps. */
		if (ynode_key(map, key) || ynode_key(dst, key))
			continue;
		k = ytree_copy(ctx, ynode_keys(src)[i], map, depth + 1);
		v = k ? ytree_copy(ctx, src->items[i], map, depth + 1) : NULL;
		if (v == NULL || !ytree_append(ctx, dst, k, v))
			return;
	}
}

/* Apply YAML merge keys (`<<: *base`) of a map that just ended. */
static void
ytree_merge(struct ytree_ctx *ctx, struct ynode *map, size_t depth)
{
	struct ynode	 dst;
	size_t		 i, j;

	for (i = 0; i < map->n; i++)
		if (ytree_is_merge_key(ynode_keys(map)[i]))
			break;
	if (i == map->n)
		return;
	memset(&dst, 0, sizeof(dst));
	dst.type = YNODE_MAP;
	for (i = 0; i < map->n; i++) {
		struct ynode	*k = ynode_keys(map)[i], *v = map->items[i];

		if (!ytree_is_merge_key(k)) {
			(void)ytree_append(ctx, &dst, k, v);
			continue;
		}
		if (v->type == YNODE_SEQ) {
			for (j = 0; j < v->n; j++)
				ytree_merge_from(ctx, map, &dst, v->items[j],
				    depth);
		} else
			ytree_merge_from(ctx, map, &dst, v, depth);
	}
	map->items = dst.items;
	map->n = dst.n;
}

/* Put N where the parser is: root, list item, map key or map value. */
static void
ytree_attach(struct ytree_ctx *ctx, struct ynode *n)
{
	struct ytree_frame	*f;
	const struct ynode	*first;
	size_t			 i;

	if (ctx->depth == 0) {
		ctx->root = n;
		return;
	}
	f = &ctx->stack[ctx->depth - 1];
	if (f->node->type == YNODE_SEQ) {
		(void)ytree_append(ctx, f->node, NULL, n);
		return;
	}
	if (!f->have_key) {
		f->have_key = true;
		f->key = NULL;
		f->drop = true;
		if (n->type != YNODE_SCALAR)
			ytree_err(ctx, n->line, n->col, f->node,
			    "a key must be a plain string, not a %s",
			    n->type == YNODE_MAP ? "map" : "list");
		else if ((first = ytree_open_key(ctx, f->node, n->scalar)) !=
		    NULL)
			ytree_err(ctx, n->line, n->col, f->node,
			    "duplicate key '%s' (first at %u:%u)", n->scalar,
			    first->line, first->col);
		else {
			f->key = n;
			f->drop = false;
		}
		return;
	}
	f->have_key = false;
	if (!f->drop && ytree_append(ctx, f->node, f->key, n) &&
	    f->node->n > YTREE_LINEAR) {
		/* Too large to scan: its keys are hashed from now on. */
		for (i = f->node->n == YTREE_LINEAR + 1 ? 0 : f->node->n - 1;
		    i < f->node->n; i++)
			(void)ytree_keyset_add(ctx, ynode_keys(f->node)[i]);
	}
	f->key = NULL;
}

/* The parent of the node about to be attached (NULL: the root). */
static const struct ynode *
ytree_here(const struct ytree_ctx *ctx)
{
	return ctx->depth ? ctx->stack[ctx->depth - 1].node : NULL;
}

/* A diagnostic at LINE:COL for the node about to be attached, not in its
 * parent yet; KEY: its text if it is a key. */
static void __attribute__((format(printf, 5, 6)))
ytree_err_here(struct ytree_ctx *ctx, unsigned line, unsigned col,
    const char *key, const char *fmt, ...)
{
	const struct ytree_frame *f = ctx->depth ?
				    &ctx->stack[ctx->depth - 1] : NULL;
	va_list			 ap;

	/* A value's key is the one read before it. */
	if (f != NULL && f->have_key)
		key = f->key ? f->key->scalar : NULL;
	va_start(ap, fmt);
	ytree_verr(ctx, line, col, ynode_path_next(f ? f->node : NULL, key),
	    fmt, ap);
	va_end(ap);
}

/* Remember ANCHOR (NULL: none) for node N; returns its 1-based index. */
static size_t
ytree_anchor_add(struct ytree_ctx *ctx, const yaml_char_t *anchor,
    struct ynode *n, bool done)
{
	struct ytree_anchor	*v;

	if (anchor == NULL)
		return 0;
	if (ctx->n_anchors == ctx->cap_anchors) {
		v = reallocarray(ctx->anchors, ctx->cap_anchors * 2 + 16,
		    sizeof(*v));
		if (v == NULL) {
			ctx->nomem = true;
			return 0;
		}
		ctx->anchors = v;
		ctx->cap_anchors = ctx->cap_anchors * 2 + 16;
	}
	v = &ctx->anchors[ctx->n_anchors];
	if ((v->name = ytree_strndup(ctx, (const char *)anchor,
	    strlen((const char *)anchor))) == NULL)
		return 0;
	v->node = n;
	v->done = done;
	return ++ctx->n_anchors;
}

static int
ytree_alias(struct ytree_ctx *ctx, const yaml_event_t *ev)
{
	const char		*name = (const char *)ev->data.alias.anchor;
	const struct ytree_anchor *a = NULL;
	struct ynode		*n;
	size_t			 i;
	unsigned		 line = ytree_pos(ev->start_mark.line);
	unsigned		 col = ytree_pos(ev->start_mark.column);

	/* A later anchor of the same name replaces an earlier one. */
	for (i = ctx->n_anchors; i > 0; i--)
		if (strcmp(ctx->anchors[i - 1].name, name) == 0) {
			a = &ctx->anchors[i - 1];
			break;
		}
	if (a == NULL || !a->done) {
		/* No node yet: its place alone names the path. */
		ytree_err_here(ctx, line, col, NULL, a ? "alias '*%s' is "
		    "inside its own anchor" : "unknown alias '*%s'", name);
		return -EINVAL;
	}
	if ((n = ytree_copy(ctx, a->node, ytree_here(ctx), ctx->depth + 1)) ==
	    NULL)
		return ctx->nomem ? -ENOMEM : -E2BIG;
	ytree_attach(ctx, n);
	return 0;
}

static int
ytree_scalar(struct ytree_ctx *ctx, const yaml_event_t *ev)
{
	const char		*text = (const char *)ev->data.scalar.value;
	size_t			 len = ev->data.scalar.length;
	const char		*tag = (const char *)ev->data.scalar.tag;
	unsigned		 line = ytree_pos(ev->start_mark.line);
	unsigned		 col = ytree_pos(ev->start_mark.column);
	struct ynode		*n;
	char			*s;

	if ((s = ytree_strndup(ctx, text, len)) == NULL)
		return -ENOMEM;
	if ((n = ytree_node_new(ctx, YNODE_SCALAR, line, col, ytree_here(ctx),
	    len)) == NULL)
		return ctx->nomem ? -ENOMEM : -E2BIG;
	n->scalar = s;
	/* `!!str 1500` is as explicit as quotes. */
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag != NULL && strcmp(tag, YAML_STR_TAG) == 0);
	if (strlen(n->scalar) != len)
		ytree_err_here(ctx, n->line, n->col, n->scalar,
		    "a string contains a NUL character");
	ytree_anchor_add(ctx, ev->data.scalar.anchor, n, true);
	ytree_attach(ctx, n);
	return 0;
}

static int
ytree_open(struct ytree_ctx *ctx, const yaml_event_t *ev, enum ynode_type t)
{
	const yaml_char_t	*anchor;
	struct ytree_frame	*f;
	struct ynode		*n;
	unsigned		 line = ytree_pos(ev->start_mark.line);
	unsigned		 col = ytree_pos(ev->start_mark.column);

	if (ctx->depth == YTREE_MAX_DEPTH) {
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, line, col, "",
		    "nesting deeper than %d levels", YTREE_MAX_DEPTH);
		return -E2BIG;
	}
	if ((n = ytree_node_new(ctx, t, line, col, ytree_here(ctx), 0)) ==
	    NULL)
		return ctx->nomem ? -ENOMEM : -E2BIG;
	anchor = t == YNODE_MAP ? ev->data.mapping_start.anchor :
	    ev->data.sequence_start.anchor;
	ytree_attach(ctx, n);
	f = &ctx->stack[ctx->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->anchor = ytree_anchor_add(ctx, anchor, n, false);
	return 0;
}

static void
ytree_close(struct ytree_ctx *ctx)
{
	struct ytree_frame	*f = &ctx->stack[ctx->depth - 1];

	if (f->node->type == YNODE_MAP)
		ytree_merge(ctx, f->node, ctx->depth);
	if (f->anchor)
		ctx->anchors[f->anchor - 1].done = true;
	ctx->depth--;
}

/* Line and column (1-based) of byte OFF, for reader errors. */
static void
ytree_offset_pos(const struct ytree_ctx *ctx, size_t off, unsigned *line,
    unsigned *col)
{
	size_t	 i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < ctx->len; i++) {
		if (ctx->buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)ctx->buf[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

/* Is there a tab in the indentation of line LINE (0-based)? */
static bool
ytree_tab_indent(const struct ytree_ctx *ctx, size_t line)
{
	size_t	 i = 0;

	while (line > 0 && i < ctx->len)
		if (ctx->buf[i++] == '\n')
			line--;
	for (; i < ctx->len && (ctx->buf[i] == ' ' || ctx->buf[i] == '\t');
	    i++)
		if (ctx->buf[i] == '\t')
			return true;
	return false;
}

static void
ytree_syntax_error(struct ytree_ctx *ctx, const yaml_parser_t *p)
{
	const char	*problem = p->problem ? p->problem : "invalid YAML";
	const char	*hint = "";
	char		 value[16] = "";
	unsigned	 line, col;

	if (p->error == YAML_MEMORY_ERROR) {
		ctx->nomem = true;
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* Bad encoding: libyaml has only a byte offset. */
		ytree_offset_pos(ctx, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			snprintf(value, sizeof(value), " (0x%02x)",
			    (unsigned)p->problem_value);
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, line, col, "",
		    "%s%s", problem, value);
		return;
	}
	line = ytree_pos(p->problem_mark.line);
	col = ytree_pos(p->problem_mark.column);
	if (ytree_tab_indent(ctx, p->problem_mark.line))
		hint = "; YAML does not allow tabs in indentation";
	if (p->context != NULL)
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, line, col, "",
		    "%s (%s at %zu:%zu)%s", problem, p->context,
		    p->context_mark.line + 1, p->context_mark.column + 1, hint);
	else
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, line, col, "", "%s%s",
		    problem, hint);
}

static int
ytree_event(struct ytree_ctx *ctx, const yaml_event_t *ev, int *docs)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			diag_add(ctx->dl, DIAG_ERROR, ctx->file,
			    ytree_pos(ev->start_mark.line),
			    ytree_pos(ev->start_mark.column), "",
			    "a second YAML document starts here; a "
			    "topology is one document");
			return -EINVAL;
		}
		return 0;
	case YAML_SCALAR_EVENT:
		return ytree_scalar(ctx, ev);
	case YAML_ALIAS_EVENT:
		return ytree_alias(ctx, ev);
	case YAML_SEQUENCE_START_EVENT:
		return ytree_open(ctx, ev, YNODE_SEQ);
	case YAML_MAPPING_START_EVENT:
		return ytree_open(ctx, ev, YNODE_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		ytree_close(ctx);
		return 0;
	default:
		return 0;
	}
}

void
ytree_doc_free(struct ytree_doc *doc)
{
	if (doc == NULL)
		return;
	if (doc->lender != NULL)
		ytree_free(&doc->lender->root);
	yarena_free(&doc->mem);
	yr_cut_free(doc->cut);
	free(doc);
}

uint64_t
ytree_text_hash(const char *buf, size_t len)
{
	const uint64_t	 m = 0xff51afd7ed558ccdULL;
	uint64_t	 h = 0x9e3779b97f4a7c15ULL ^ len, w;
	uint64_t	 a = h, b = h + 1, c = h + 2, d = h + 3;
	size_t		 i;

	/* It runs over every text parsed, and over each part of two texts
	 * when one is parsed by its changes: 32 bytes at a time in four
	 * lanes, whose multiplications do not wait for each other. */
#define YTREE_LANE(x, off) do {						\
	memcpy(&w, buf + i + (off), 8);					\
	(x) = ((x) ^ w) * m;						\
	(x) ^= (x) >> 32;						\
} while (0)
	for (i = 0; i + 32 <= len; i += 32) {
		YTREE_LANE(a, 0);
		YTREE_LANE(b, 8);
		YTREE_LANE(c, 16);
		YTREE_LANE(d, 24);
	}
	for (; i + 8 <= len; i += 8)
		YTREE_LANE(a, 0);
#undef YTREE_LANE
	h = (((h ^ a) * m ^ b) * m ^ c) * m ^ d;
	for (; i < len; i++)
		h = (h ^ (uint8_t)buf[i]) * 0x100000001b3ULL;
	return h ^ h >> 29;
}

struct ynode *
ytree_doc_root(struct ytree_doc *doc, const struct ynode *root)
{
	size_t	 i;

	doc->root = *root;
	for (i = 0; i < doc->root.n; i++) {
		if (doc->root.type == YNODE_MAP)
			ynode_keys(&doc->root)[i]->parent = &doc->root;
		doc->root.items[i]->parent = &doc->root;
	}
	return &doc->root;
}

struct ynode *
ytree_parse(const char *file, const char *buf, size_t len,
    struct diag_list *dl)
{
	struct ytree_ctx	 ctx;
	yaml_parser_t		 p;
	yaml_event_t		 ev;
	int			 docs = 0, rc = 0;
	bool			 done = false;
	size_t			 n_diags = dl ? dl->n : 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = file;
	ctx.buf = buf;
	ctx.len = len;
	ctx.dl = dl;
	if ((ctx.doc = calloc(1, sizeof(*ctx.doc))) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	ctx.doc->refs = 1;
	ctx.doc->text = ytree_text_hash(buf, len);
	if (!yaml_parser_initialize(&p)) {
		free(ctx.doc);
		errno = ENOMEM;
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			ytree_syntax_error(&ctx, &p);
			rc = ctx.nomem ? -ENOMEM : -EINVAL;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = ytree_event(&ctx, &ev, &docs);
		yaml_event_delete(&ev);
		if (rc == 0 && (ctx.nomem || ctx.toobig))
			rc = ctx.nomem ? -ENOMEM : -E2BIG;
	}
	yaml_parser_delete(&p);
	if (rc == 0 && ctx.root == NULL) {
		/* An empty file is an empty document: a null scalar. */
		ctx.root = ytree_node_new(&ctx, YNODE_SCALAR, 1, 1, NULL, 0);
		if (ctx.root == NULL ||
		    (ctx.root->scalar = ytree_strndup(&ctx, "", 0)) == NULL)
			rc = -ENOMEM;
	}
	free(ctx.anchors);
	free(ctx.keys.v);
	if (rc != 0) {
		ytree_doc_free(ctx.doc);
		errno = -rc;
		return NULL;
	}
	/* A tree made with errors (a duplicate key dropped) cannot lend
	 * its parts to another text's: they would come without them. */
	ctx.doc->clean = dl == NULL || dl->n == n_diags;
	ctx.doc->n_nodes = ctx.n_nodes;
	return ytree_doc_root(ctx.doc, ctx.root);
}

struct ynode *
ytree_load_file(const char *file, struct diag_list *dl)
{
	struct ynode	*root = NULL;
	FILE		*fp;
	char		*buf;
	size_t		 len;
	int		 saved;

	if ((fp = fopen(file, "re")) == NULL) {
		saved = errno;
		diag_add(dl, DIAG_ERROR, file, 0, 0, "", "cannot open: %s",
		    strerror(saved));
		errno = saved;
		return NULL;
	}
	/* One byte over the limit tells a file that is too large. */
	if ((buf = malloc(YTREE_MAX_FILE + 1)) == NULL) {
		fclose(fp);
		errno = ENOMEM;
		return NULL;
	}
	len = fread(buf, 1, YTREE_MAX_FILE + 1, fp);
	saved = ferror(fp) ? (errno ? errno : EIO) : 0;
	fclose(fp);
	if (saved != 0)
		diag_add(dl, DIAG_ERROR, file, 0, 0, "", "cannot read: %s",
		    strerror(saved));
	else if (len > YTREE_MAX_FILE) {
		diag_add(dl, DIAG_ERROR, file, 0, 0, "", "file larger than "
		    "%u MiB", YTREE_MAX_FILE >> 20);
		saved = EFBIG;
	} else {
		root = ytree_parse(file, buf, len, dl);
		saved = errno;
	}
	free(buf);
	errno = saved;
	return root;
}

struct ytree_doc *
ytree_doc_of(const struct ynode *root)
{
	return (struct ytree_doc *)(void *)((char *)(uintptr_t)root -
	    offsetof(struct ytree_doc, root));
}

bool
ytree_exact(const struct ynode *root)
{
	return !ytree_doc_of(root)->shifted;
}

void
ytree_unbind(struct ynode *root)
{
	ytree_doc_of(root)->clean = false;
}

struct ynode *
ytree_hold(struct ynode *root)
{
	if (root != NULL)
		__atomic_add_fetch(&ytree_doc_of(root)->refs, 1,
		    __ATOMIC_RELAXED);
	return root;
}

void
ytree_free(struct ynode *root)
{
	struct ytree_doc	*doc;

	if (root == NULL)
		return;
	doc = ytree_doc_of(root);
	if (__atomic_sub_fetch(&doc->refs, 1, __ATOMIC_ACQ_REL) == 0)
		ytree_doc_free(doc);
}
