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
		if (ynode_key_is(map->keys[i], key))
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
		if (ynode_key_is(map->keys[i], key))
			return map->keys[i];
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

/* Append N's path to FP: its parent's, then ".key" or "[index]". */
static void
ynode_path_put(const struct ynode *n, FILE *fp)
{
	if (n->parent == NULL)
		return;
	ynode_path_put(n->parent, fp);
	if (n->parent->type == YNODE_SEQ)
		fprintf(fp, "[%zu]", n->index);
	else {
		/* A map at the root, or under an empty key, adds no dot. */
		if (ftello(fp) > 0)
			putc('.', fp);
		fputs(n->key ? n->key : "?", fp);
	}
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
	if (ferror(fp)) {
		fclose(fp);
		free(s);
		return NULL;
	}
	if (fclose(fp) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static bool
ynode_same_in(const struct ynode *a, const struct ynode *b,
    const struct ynode *pa, const struct ynode *pb)
{
	if (a->type != b->type || a->line != b->line || a->col != b->col ||
	    a->quoted != b->quoted || a->n != b->n ||
	    (a->parent == pa) != (b->parent == pb) ||
	    (a->type == YNODE_SCALAR && strcmp(a->scalar, b->scalar) != 0))
		return false;
	/* The place: PA and PB are of one type, both lists or both maps. */
	if (pa != NULL && pa->type == YNODE_SEQ ? a->index != b->index :
	    (a->key == NULL) != (b->key == NULL) ||
	    (a->key && strcmp(a->key, b->key) != 0))
		return false;
	for (size_t i = 0; i < a->n; i++) {
		if (a->type == YNODE_MAP &&
		    !ynode_same_in(a->keys[i], b->keys[i], a, b))
			return false;
		if (!ynode_same_in(a->items[i], b->items[i], a, b))
			return false;
	}
	return true;
}

bool
ynode_same(const struct ynode *a, const struct ynode *b)
{
	return ynode_same_in(a, b, NULL, NULL);
}
