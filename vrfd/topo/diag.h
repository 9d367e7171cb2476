/*
 * diag: diagnostics about a topology file.
 *
 * Every problem the loader or the checker finds is collected here with its
 * file, line, column and YAML path, so that a user sees all of them at once:
 *   FILE:LINE:COL: error: PATH: message
 */
#ifndef VRFD_DIAG_H
#define VRFD_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct ynode;

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
};

struct diag {
	enum diag_level	 level;
	char		*file;
	unsigned	 line, col;	/* 1-based; 0 when unknown */
	char		*path;		/* "routers.pe1.routes[2].via", "" = top */
	char		*msg;
};

struct diag_list {
	struct diag	*v;
	size_t		 n, cap;
	size_t		 n_errors, n_warnings;
};

void	diag_add(struct diag_list *, enum diag_level, const char *file,
	    unsigned line, unsigned col, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 7, 8)));
/* A diagnostic placed at a YAML node: its line, column and path. */
void	diag_at(struct diag_list *, enum diag_level, const char *file,
	    const struct ynode *, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* At LINE:COL with the path of node IN (NULL: the top), such as an
 * unknown key named with the path of its map. */
void	diag_in(struct diag_list *, enum diag_level, const char *file,
	    unsigned line, unsigned col, const struct ynode *in,
	    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void	diag_sort(struct diag_list *);
/* FROM's diagnostics moved to the end of TO, in their order; FROM is
 * left empty. (Counted in TO even if memory is short to keep them.) */
void	diag_list_take(struct diag_list *to, struct diag_list *from);
void	diag_print(const struct diag_list *, FILE *);
/* The order to show DL in (indexes into dl->v); NULL (show as stored) if
 * memory is short. The caller frees it. */
size_t	*diag_order(const struct diag_list *);
void	diag_list_free(struct diag_list *);

#endif
