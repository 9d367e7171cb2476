/*
 * ytree: libyaml's event stream turned into a tree of positioned nodes.
 *
 * The first step of topo_load(): every node keeps its line, column and
 * path, so that topo_yaml.c and topo_check.c can point at what they reject.
 * Aliases are resolved to copies of their anchor (with the anchor's
 * positions and the alias's path), and `<<` merge keys are applied. Sizes
 * and nesting are bounded, so that a hostile file (billion laughs, deep
 * brackets) costs little.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "diag.h"
#include "ytree.h"

#define YTREE_MAX_DEPTH	64		/* nested maps and lists */
#define YTREE_MAX_NODES	2000000		/* some 50,000 routers */
#define YTREE_MAX_COPIES 250000		/* made by aliases and merges */
#define YTREE_MAX_MIB	256		/* of paths and scalars */
#define YTREE_MAX_FILE	(16u << 20)
#define YTREE_STR(x)	#x
#define YTREE_XSTR(x)	YTREE_STR(x)

struct ytree_anchor {
	char		*name;
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

struct ytree_ctx {
	const char		*file;
	const char		*buf;
	size_t			 len;
	struct diag_list	*dl;
	struct ytree_frame	 stack[YTREE_MAX_DEPTH];
	size_t			 depth;
	struct ytree_anchor	*anchors;
	size_t			 n_anchors, cap_anchors;
	struct ynode		**trash;	/* outside the tree */
	size_t			 n_trash, cap_trash;
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

static char *
ytree_join(const char *parent, const char *key)
{
	char	*s;

	if (parent[0] == '\0')
		return strdup(key);
	if (asprintf(&s, "%s.%s", parent, key) == -1)
		return NULL;
	return s;
}

static char *
ytree_index(const char *parent, size_t i)
{
	char	*s;

	if (asprintf(&s, "%s[%zu]", parent, i) == -1)
		return NULL;
	return s;
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

/* A node at LINE:COL with PATH (taken, even on failure). */
static struct ynode *
ytree_node_new(struct ytree_ctx *ctx, enum ynode_type type, unsigned line,
    unsigned col, char *path, const char *scalar, size_t len)
{
	struct ynode	*n;

	if (path == NULL || (n = calloc(1, sizeof(*n))) == NULL) {
		free(path);
		ctx->nomem = true;
		return NULL;
	}
	n->type = type;
	n->line = line;
	n->col = col;
	n->path = path;
	if (type == YNODE_SCALAR) {
		if ((n->scalar = malloc(len + 1)) == NULL) {
			ytree_free(n);
			ctx->nomem = true;
			return NULL;
		}
		memcpy(n->scalar, scalar, len);
		n->scalar[len] = '\0';
	}
	if (!ytree_budget(ctx, n, strlen(path) + len)) {
		ytree_free(n);
		return NULL;
	}
	return n;
}

static bool
ytree_append(struct ytree_ctx *ctx, struct ynode *parent, struct ynode *key,
    struct ynode *item)
{
	struct ynode	**v;

	/* Grow in powers of two: n is the only size we keep. */
	if ((parent->n & (parent->n - 1)) == 0) {
		size_t	 cap = parent->n ? parent->n * 2 : 1;

		if ((v = reallocarray(parent->items, cap, sizeof(*v))) == NULL)
			goto nomem;
		parent->items = v;
		if (parent->type == YNODE_MAP) {
			v = reallocarray(parent->keys, cap, sizeof(*v));
			if (v == NULL)
				goto nomem;
			parent->keys = v;
		}
	}
	if (parent->type == YNODE_MAP)
		parent->keys[parent->n] = key;
	parent->items[parent->n++] = item;
	return true;
nomem:
	ctx->nomem = true;
	return false;
}

/* V (N used, *CAP allocated) with room for one more, or NULL. */
static void *
ytree_room(struct ytree_ctx *ctx, void *v, size_t n, size_t *cap,
    size_t size)
{
	if (n < *cap)
		return v;
	if ((v = reallocarray(v, *cap ? *cap * 2 : 16, size)) == NULL) {
		ctx->nomem = true;
		return NULL;
	}
	*cap = *cap ? *cap * 2 : 16;
	return v;
}

static void
ytree_trash(struct ytree_ctx *ctx, struct ynode *n)
{
	struct ynode	**v;

	/* On failure, leak: freeing now could leave an anchor dangling. */
	if (n == NULL || (v = ytree_room(ctx, ctx->trash, ctx->n_trash,
	    &ctx->cap_trash, sizeof(*v))) == NULL)
		return;
	ctx->trash = v;
	ctx->trash[ctx->n_trash++] = n;
}

/* A deep copy of SRC placed at PATH, DEPTH containers down. */
static struct ynode *
ytree_copy(struct ytree_ctx *ctx, const struct ynode *src, const char *path,
    size_t depth)
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
	n = ytree_node_new(ctx, src->type, src->line, src->col, strdup(path),
	    src->scalar, src->scalar ? strlen(src->scalar) : 0);
	if (n == NULL)
		return NULL;
	n->quoted = src->quoted;
	for (i = 0; i < src->n; i++) {
		char	*p;

		k = v = NULL;
		p = src->type == YNODE_MAP ? ytree_join(path,
		    src->keys[i]->scalar) : ytree_index(path, i);
		if (p == NULL) {
			ctx->nomem = true;
			goto fail;
		}
		if (src->type == YNODE_MAP &&
		    (k = ytree_copy(ctx, src->keys[i], p, depth + 1)) == NULL) {
			free(p);
			goto fail;
		}
		v = ytree_copy(ctx, src->items[i], p, depth + 1);
		free(p);
		if (v == NULL || !ytree_append(ctx, n, k, v)) {
			ytree_free(k);
			ytree_free(v);
			goto fail;
		}
	}
	return n;
fail:
	ytree_free(n);
	return NULL;
}

static const struct ynode *
ytree_find_key(const struct ynode *map, const char *key)
{
	size_t	 i;

	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->scalar, key) == 0)
			return map->keys[i];
	return NULL;
}

static bool
ytree_is_merge_key(const struct ynode *k)
{
	return !k->quoted && strcmp(k->scalar, "<<") == 0;
}

/* Copy the pairs of SRC that MAP lacks into DST (the rebuilt MAP). */
static void
ytree_merge_from(struct ytree_ctx *ctx, const struct ynode *map,
    struct ynode *dst, const struct ynode *src, size_t depth)
{
	struct ynode	*k, *v;
	char		*p;
	size_t		 i;

	if (src->type != YNODE_MAP) {
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, src->line, src->col,
		    map->path, "'<<' merges a map or a list of maps");
		return;
	}
	for (i = 0; i < src->n && !ctx->nomem && !ctx->toobig; i++) {
		const char	*key = src->keys[i]->scalar;

		/* Explicit keys win, then earlier merged maps. */
		if (ytree_find_key(map, key) || ytree_find_key(dst, key))
			continue;
		if ((p = ytree_join(map->path, key)) == NULL) {
			ctx->nomem = true;
			return;
		}
		k = ytree_copy(ctx, src->keys[i], p, depth + 1);
		v = k ? ytree_copy(ctx, src->items[i], p, depth + 1) : NULL;
		free(p);
		if (v == NULL || !ytree_append(ctx, dst, k, v)) {
			ytree_free(k);
			ytree_free(v);
			return;
		}
	}
}

/* Apply YAML merge keys (`<<: *base`) of a map that just ended. */
static void
ytree_merge(struct ytree_ctx *ctx, struct ynode *map, size_t depth)
{
	struct ynode	 dst;
	size_t		 i, j;

	for (i = 0; i < map->n; i++)
		if (ytree_is_merge_key(map->keys[i]))
			break;
	if (i == map->n)
		return;
	memset(&dst, 0, sizeof(dst));
	dst.type = YNODE_MAP;
	for (i = 0; i < map->n; i++) {
		struct ynode	*k = map->keys[i], *v = map->items[i];

		if (!ytree_is_merge_key(k)) {
			if (!ytree_append(ctx, &dst, k, v)) {
				ytree_trash(ctx, k);
				ytree_trash(ctx, v);
			}
			continue;
		}
		if (v->type == YNODE_SEQ) {
			for (j = 0; j < v->n; j++)
				ytree_merge_from(ctx, map, &dst, v->items[j],
				    depth);
		} else
			ytree_merge_from(ctx, map, &dst, v, depth);
		/* Anchors may point into the merged value: keep it alive. */
		ytree_trash(ctx, k);
		ytree_trash(ctx, v);
	}
	free(map->keys);
	free(map->items);
	map->keys = dst.keys;
	map->items = dst.items;
	map->n = dst.n;
}

/* Put N where the parser is: root, list item, map key or map value. */
static void
ytree_attach(struct ytree_ctx *ctx, struct ynode *n)
{
	struct ytree_frame	*f;
	const struct ynode	*first;

	if (ctx->depth == 0) {
		ctx->root = n;
		return;
	}
	f = &ctx->stack[ctx->depth - 1];
	if (f->node->type == YNODE_SEQ) {
		if (!ytree_append(ctx, f->node, NULL, n))
			ytree_trash(ctx, n);
		return;
	}
	if (!f->have_key) {
		f->have_key = true;
		f->key = NULL;
		f->drop = true;
		/* Linear: only `routers:` is large (10,000: some 0.2 s). */
		if (n->type != YNODE_SCALAR)
			diag_add(ctx->dl, DIAG_ERROR, ctx->file, n->line,
			    n->col, f->node->path,
			    "a key must be a plain string, not a %s",
			    n->type == YNODE_MAP ? "map" : "list");
		else if ((first = ytree_find_key(f->node, n->scalar)) != NULL)
			diag_add(ctx->dl, DIAG_ERROR, ctx->file, n->line,
			    n->col, f->node->path,
			    "duplicate key '%s' (first at %u:%u)", n->scalar,
			    first->line, first->col);
		else {
			f->key = n;
			f->drop = false;
			return;
		}
		ytree_trash(ctx, n);
		return;
	}
	f->have_key = false;
	if (f->drop || !ytree_append(ctx, f->node, f->key, n)) {
		ytree_trash(ctx, f->key);
		ytree_trash(ctx, n);
	}
	f->key = NULL;
}

/* The path of the node about to be attached; KEY: its text if scalar. */
static char *
ytree_path_here(const struct ytree_ctx *ctx, const char *key)
{
	const struct ytree_frame *f;

	if (ctx->depth == 0)
		return strdup("");
	f = &ctx->stack[ctx->depth - 1];
	if (f->node->type == YNODE_SEQ)
		return ytree_index(f->node->path, f->node->n);
	if (!f->have_key)
		return ytree_join(f->node->path, key ? key : "?");
	return ytree_join(f->node->path, f->key ? f->key->scalar : "?");
}

/* Remember ANCHOR (NULL: none) for node N; returns its 1-based index. */
static size_t
ytree_anchor_add(struct ytree_ctx *ctx, const yaml_char_t *anchor,
    struct ynode *n, bool done)
{
	struct ytree_anchor	*v;

	if (anchor == NULL || (v = ytree_room(ctx, ctx->anchors,
	    ctx->n_anchors, &ctx->cap_anchors, sizeof(*v))) == NULL)
		return 0;
	ctx->anchors = v;
	v += ctx->n_anchors;
	if ((v->name = strdup((const char *)anchor)) == NULL) {
		ctx->nomem = true;
		return 0;
	}
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
	char			*path;
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
		path = ytree_path_here(ctx, NULL);
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, line, col,
		    path ? path : "", a ? "alias '*%s' is inside its own "
		    "anchor" : "unknown alias '*%s'", name);
		free(path);
		return -EINVAL;
	}
	path = ytree_path_here(ctx, a->node->type == YNODE_SCALAR ?
	    a->node->scalar : NULL);
	if (path == NULL) {
		ctx->nomem = true;
		return -ENOMEM;
	}
	n = ytree_copy(ctx, a->node, path, ctx->depth + 1);
	free(path);
	if (n == NULL)
		return ctx->nomem ? -ENOMEM : -E2BIG;
	ytree_attach(ctx, n);
	return 0;
}

static int
ytree_scalar(struct ytree_ctx *ctx, const yaml_event_t *ev)
{
	const char	*text = (const char *)ev->data.scalar.value;
	size_t		 len = ev->data.scalar.length;
	const char	*tag = (const char *)ev->data.scalar.tag;
	unsigned	 line = ytree_pos(ev->start_mark.line);
	unsigned	 col = ytree_pos(ev->start_mark.column);
	struct ynode	*n;

	n = ytree_node_new(ctx, YNODE_SCALAR, line, col,
	    ytree_path_here(ctx, text), text, len);
	if (n == NULL)
		return ctx->nomem ? -ENOMEM : -E2BIG;
	/* `!!str 1500` is as explicit as quotes. */
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag != NULL && strcmp(tag, YAML_STR_TAG) == 0);
	if (strlen(n->scalar) != len)
		diag_add(ctx->dl, DIAG_ERROR, ctx->file, n->line, n->col,
		    n->path, "a string contains a NUL character");
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
	n = ytree_node_new(ctx, t, line, col, ytree_path_here(ctx, NULL),
	    NULL, 0);
	if (n == NULL)
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

struct ynode *
ytree_parse(const char *file, const char *buf, size_t len,
    struct diag_list *dl)
{
	struct ytree_ctx	 ctx;
	yaml_parser_t		 p;
	yaml_event_t		 ev;
	int			 docs = 0, rc = 0;
	bool			 done = false;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = file;
	ctx.buf = buf;
	ctx.len = len;
	ctx.dl = dl;
	if (!yaml_parser_initialize(&p)) {
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
	/* After an error, keys may still wait for their values. */
	while (ctx.depth > 0)
		ytree_free(ctx.stack[--ctx.depth].key);
	if (rc == 0 && ctx.root == NULL) {
		/* An empty file is an empty document: a null scalar. */
		ctx.root = ytree_node_new(&ctx, YNODE_SCALAR, 1, 1, strdup(""),
		    "", 0);
		if (ctx.root == NULL)
			rc = -ENOMEM;
	}
	while (ctx.n_trash > 0)
		ytree_free(ctx.trash[--ctx.n_trash]);
	free(ctx.trash);
	while (ctx.n_anchors > 0)
		free(ctx.anchors[--ctx.n_anchors].name);
	free(ctx.anchors);
	if (rc != 0) {
		ytree_free(ctx.root);
		errno = -rc;
		return NULL;
	}
	return ctx.root;
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

void
ytree_free(struct ynode *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			ytree_free(n->keys[i]);
		ytree_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->path);
	free(n->scalar);
	free(n);
}

const struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	size_t	 i;

	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->scalar, key) == 0)
			return map->items[i];
	return NULL;
}

const struct ynode *
ynode_key(const struct ynode *map, const char *key)
{
	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	return ytree_find_key(map, key);
}

bool
ynode_is_null(const struct ynode *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t	 i;

	if (n == NULL || n->type != YNODE_SCALAR || n->quoted)
		return false;
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(n->scalar, nulls[i]) == 0)
			return true;
	return false;
}
