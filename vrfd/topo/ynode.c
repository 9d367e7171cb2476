/*
 * ynode: questions asked of a parsed YAML tree (ytree.c): a map's value
 * or key by name, whether a scalar is null, and a node's YAML path, which
 * is made only when a diagnostic shows it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ytree.h"

const struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	size_t	 i;

	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (ynode_key_is(ynode_keys(map)[i], key))
			return map->items[i];
	return NULL;
}

const struct ynode *
ynode_key(const struct ynode *map, const char *key)
{
	size_t	 i;

	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (ynode_key_is(ynode_keys(map)[i], key))
			return ynode_keys(map)[i];
	return NULL;
}

bool
ynode_is_null(const struct ynode *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t	 i;

	if (n == NULL || n->type != YNODE_SCALAR || n->quoted)
		return false;
	/* Asked of nearly every value read: most are not null. */
	if (n->scalar[0] != '\0' && n->scalar[0] != '~' &&
	    n->scalar[0] != 'n' && n->scalar[0] != 'N')
		return false;
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(n->scalar, nulls[i]) == 0)
			return true;
	return false;
}

/* Append the step into PARENT's child I to FP: "[i]", or ".key" (the key
 * KEY if I is past its children). */
static void
ynode_step_put(const struct ynode *parent, size_t i, const char *key,
    FILE *fp)
{
	if (parent->type == YNODE_SEQ) {
		fprintf(fp, "[%zu]", i);
		return;
	}
	/* A map at the root, or under an empty key, adds no dot. */
	if (ftello(fp) > 0)
		putc('.', fp);
	if (i < parent->n)
		key = ynode_keys(parent)[i]->scalar;
	fputs(key ? key : "?", fp);
}

size_t
ynode_index(const struct ynode *n)
{
	const struct ynode	*p = n->parent;
	size_t			 i;

	/* A map's key and its value have the one place. */
	for (i = 0; p != NULL && i < p->n; i++)
		if (p->items[i] == n ||
		    (p->type == YNODE_MAP && ynode_keys(p)[i] == n))
			break;
	return i;
}

/* Append N's path to FP: its parent's, then ".key" or "[index]". */
static void
ynode_path_put(const struct ynode *n, FILE *fp)
{
	if (n->parent == NULL)
		return;
	ynode_path_put(n->parent, fp);
	ynode_step_put(n->parent, ynode_index(n), NULL, fp);
}

/* The text FP (open_memstream's, into *S) wrote, or NULL (and none)
 * when it failed. */
static char *
ynode_path_done(FILE *fp, char **s)
{
	if (ferror(fp)) {
		fclose(fp);
		free(*s);
		return NULL;
	}
	if (fclose(fp) != 0) {
		free(*s);
		return NULL;
	}
	return *s;
}

char *
ynode_path_next(const struct ynode *parent, const char *key)
{
	char	*s = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&s, &len)) == NULL)
		return NULL;
	if (parent != NULL) {
		ynode_path_put(parent, fp);
		ynode_step_put(parent, parent->n, key, fp);
	}
	return ynode_path_done(fp, &s);
}

char *
ynode_path(const struct ynode *n)
{
	char	*s = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&s, &len)) == NULL)
		return NULL;
	ynode_path_put(n, fp);
	return ynode_path_done(fp, &s);
}

/* Is N, the entry I of map P, in its place? Its parent is P, or, lent
 * by the tree P's was made from (yreparse.c), a map whose path is P's,
 * under the same key. */
static bool
ynode_placed(const struct ynode *n, const struct ynode *p, size_t i)
{
	char	*lent, *here;
	bool	 same;

	if (n->parent == p)
		return true;
	if (n->parent == NULL || p == NULL || p->type != YNODE_MAP)
		return false;
	lent = ynode_path(n);
	here = ynode_path_next(p, ynode_keys(p)[i]->scalar);
	same = lent != NULL && here != NULL && strcmp(lent, here) == 0;
	free(lent);
	free(here);
	return same;
}

static bool
ynode_same_in(const struct ynode *a, const struct ynode *b,
    const struct ynode *pa, const struct ynode *pb, size_t at)
{
	/* The place: beside each other in parents beside each other. */
	if (a->type != b->type || a->line != b->line || a->col != b->col ||
	    a->quoted != b->quoted || a->n != b->n ||
	    ynode_placed(a, pa, at) != ynode_placed(b, pb, at) ||
	    (a->type == YNODE_SCALAR && strcmp(a->scalar, b->scalar) != 0))
		return false;
	for (size_t i = 0; i < a->n; i++) {
		if (a->type == YNODE_MAP &&
		    !ynode_same_in(ynode_keys(a)[i], ynode_keys(b)[i], a, b,
		    i))
			return false;
		if (!ynode_same_in(a->items[i], b->items[i], a, b, i))
			return false;
	}
	return true;
}

bool
ynode_same(const struct ynode *a, const struct ynode *b)
{
	return ynode_same_in(a, b, NULL, NULL, 0);
}
