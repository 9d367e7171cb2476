/*
 * diag: collect, sort and render diagnostics about a topology file.
 *
 * The loader (topo_yaml.c) and the checker (topo_check.c) add to one list;
 * the CLI or the daemon renders it as text (diag_print) or JSON
 * (proto/report_json.c), both in file order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ytree.h"

static void	diag_vadd(struct diag_list *, enum diag_level, const char *,
		    unsigned, unsigned, const char *, const char *, va_list)
		    __attribute__((format(printf, 7, 0)));

static void
diag_vadd(struct diag_list *dl, enum diag_level level, const char *file,
    unsigned line, unsigned col, const char *path, const char *fmt, va_list ap)
{
	struct diag	*d;
	char		*msg;

	/* Count first: a diagnostic we fail to store must still count. */
	if (level == DIAG_ERROR)
		dl->n_errors++;
	else
		dl->n_warnings++;

	if (dl->n == dl->cap) {
		size_t	 cap = dl->cap ? dl->cap * 2 : 16;
		void	*v = reallocarray(dl->v, cap, sizeof(*dl->v));

		if (v == NULL)
			return;
		dl->v = v;
		dl->cap = cap;
	}
	if (vasprintf(&msg, fmt, ap) == -1)
		return;
	d = &dl->v[dl->n];
	d->level = level;
	d->line = line;
	d->col = col;
	d->msg = msg;
	d->file = strdup(file ? file : "<input>");
	d->path = strdup(path ? path : "");
	if (d->file == NULL || d->path == NULL) {
		free(d->file);
		free(d->path);
		free(d->msg);
		return;
	}
	dl->n++;
}

void
diag_add(struct diag_list *dl, enum diag_level level, const char *file,
    unsigned line, unsigned col, const char *path, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	diag_vadd(dl, level, file, line, col, path, fmt, ap);
	va_end(ap);
}

/* Paths are made only now: most nodes never need theirs. */
static void	diag_vin(struct diag_list *, enum diag_level, const char *,
		    unsigned, unsigned, const struct ynode *, const char *,
		    va_list) __attribute__((format(printf, 7, 0)));

static void
diag_vin(struct diag_list *dl, enum diag_level level, const char *file,
    unsigned line, unsigned col, const struct ynode *in, const char *fmt,
    va_list ap)
{
	char	*path = in ? ynode_path(in) : NULL;

	diag_vadd(dl, level, file, line, col, path ? path : "", fmt, ap);
	free(path);
}

void
diag_at(struct diag_list *dl, enum diag_level level, const char *file,
    const struct ynode *yn, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (yn != NULL)
		diag_vin(dl, level, file, yn->line, yn->col, yn, fmt, ap);
	else
		diag_vadd(dl, level, file, 0, 0, "", fmt, ap);
	va_end(ap);
}

void
diag_in(struct diag_list *dl, enum diag_level level, const char *file,
    unsigned line, unsigned col, const struct ynode *in, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	diag_vin(dl, level, file, line, col, in, fmt, ap);
	va_end(ap);
}

static int
diag_cmp(const struct diag *a, const struct diag *b)
{
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/*
 * Stable merge sort of an index array (qsort is not stable, and errors at
 * one position must keep the order they were found in).
 */
static void
diag_msort(const struct diag *v, size_t *idx, size_t *tmp, size_t n)
{
	size_t	 mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	diag_msort(v, idx, tmp, mid);
	diag_msort(v, idx + mid, tmp, n - mid);
	while (i < mid && j < n) {
		if (diag_cmp(&v[idx[j]], &v[idx[i]]) < 0)
			tmp[k++] = idx[j++];
		else
			tmp[k++] = idx[i++];
	}
	while (i < mid)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, n * sizeof(*idx));
}

size_t *
diag_order(const struct diag_list *dl)
{
	size_t	*idx, *tmp, i;

	if (dl->n == 0)
		return NULL;
	idx = calloc(dl->n, sizeof(*idx));
	tmp = calloc(dl->n, sizeof(*tmp));
	if (idx == NULL || tmp == NULL) {
		free(idx);
		free(tmp);
		return NULL;
	}
	for (i = 0; i < dl->n; i++)
		idx[i] = i;
	diag_msort(dl->v, idx, tmp, dl->n);
	free(tmp);
	return idx;
}

void
diag_sort(struct diag_list *dl)
{
	struct diag	*v;
	size_t		*idx, i;

	if ((idx = diag_order(dl)) == NULL)
		return;
	if ((v = calloc(dl->n, sizeof(*v))) == NULL) {
		free(idx);
		return;
	}
	for (i = 0; i < dl->n; i++)
		v[i] = dl->v[idx[i]];
	memcpy(dl->v, v, dl->n * sizeof(*v));
	free(v);
	free(idx);
}

static const char *
diag_level_str(enum diag_level level)
{
	return level == DIAG_ERROR ? "error" : "warning";
}

/* Text from the file may hold control characters: one line stays one. */
static void
diag_puts(const char *s, FILE *fp)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(fp, "\\x%02x", (unsigned char)*s);
		else
			putc(*s, fp);
	}
}

void
diag_print(const struct diag_list *dl, FILE *fp)
{
	const struct diag	*d;
	size_t			*idx, i;

	idx = diag_order(dl);
	for (i = 0; i < dl->n; i++) {
		d = &dl->v[idx ? idx[i] : i];
		diag_puts(d->file, fp);
		putc(':', fp);
		if (d->line > 0) {
			fprintf(fp, "%u:", d->line);
			if (d->col > 0)
				fprintf(fp, "%u:", d->col);
		}
		fprintf(fp, " %s: ", diag_level_str(d->level));
		if (d->path[0] != '\0') {
			diag_puts(d->path, fp);
			fputs(": ", fp);
		}
		diag_puts(d->msg, fp);
		putc('\n', fp);
	}
	free(idx);
}

void
diag_list_take(struct diag_list *to, struct diag_list *from)
{
	size_t	 cap;
	void	*v = NULL;

	to->n_errors += from->n_errors;
	to->n_warnings += from->n_warnings;
	if (from->n > 0 && to->cap - to->n < from->n) {
		cap = to->n + from->n > 2 * to->cap ? to->n + from->n :
		    2 * to->cap;
		if ((v = reallocarray(to->v, cap, sizeof(*to->v))) != NULL) {
			to->v = v;
			to->cap = cap;
		}
	}
	if (to->cap - to->n >= from->n) {
		if (from->n > 0)
			memcpy(&to->v[to->n], from->v, from->n *
			    sizeof(*from->v));
		to->n += from->n;
		from->n = 0;
	}
	diag_list_free(from);
}

void
diag_list_free(struct diag_list *dl)
{
	size_t	 i;

	if (dl == NULL)
		return;
	for (i = 0; i < dl->n; i++) {
		free(dl->v[i].file);
		free(dl->v[i].path);
		free(dl->v[i].msg);
	}
	free(dl->v);
	memset(dl, 0, sizeof(*dl));
}
