/*
 * vrfctl import FILE: a containerlab topology, as vrfd's own, on stdout.
 *
 * And every command that reads a topology reads a containerlab one too:
 * vrfctl_topo_read() loads a file through vrfctl_topo_load() here, which
 * converts one that clab_detect() recognises (topo/clab.h) and loads the
 * converted text, its positions moved back to the containerlab file. apply
 * and plan send vrfd the converted text (vrfctl_topo_text), and show what
 * vrfd finds in it against the containerlab file too (vrfctl_clab_remap).
 *
 * The last conversion is kept, with the converted text, so that the text
 * given back later (apply's, read by the in-process path, or answered on
 * by vrfd) is recognised and placed: vrfctl converts one file at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lab_tree.h"
#include "output.h"
#include "topo/clab.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "util/readfile.h"
#include "vrfctl.h"

static struct clab_conv	vrfctl_clab_last;

/* FILE's TEXT converted into vrfctl_clab_last: 0, or -errno with DL
 * saying why. */
static int
vrfctl_clab_convert(const char *file, const char *text, size_t len,
    struct diag_list *dl)
{
	clab_conv_free(&vrfctl_clab_last);
	return clab_convert(file, text, len, &vrfctl_clab_last, dl);
}

/* Is TEXT that of the last conversion? */
static const struct clab_conv *
vrfctl_clab_of(const char *text, size_t len)
{
	const struct clab_conv	*c = &vrfctl_clab_last;

	if (text == NULL || c->text == NULL || c->len != len ||
	    memcmp(c->text, text, len) != 0)
		return NULL;
	return c;
}

/* The text of the last conversion, for the caller to own. */
static int
vrfctl_clab_take(char **text, size_t *len)
{
	char	*copy;

	if ((copy = malloc(vrfctl_clab_last.len + 1)) == NULL)
		return -ENOMEM;
	memcpy(copy, vrfctl_clab_last.text, vrfctl_clab_last.len + 1);
	free(*text);
	*text = copy;
	*len = vrfctl_clab_last.len;
	return 0;
}

struct topo *
vrfctl_topo_load(const char *file, char **text, size_t *len,
    struct diag_list *dl)
{
	const struct clab_conv	*c;
	struct topo		*t;
	size_t			 first;
	int			 rv;

	if (clab_detect(file, *text, *len)) {
		/* With errors, what could be converted is loaded too: the
		 * loader's are said with them (DL has errors: not applied). */
		rv = vrfctl_clab_convert(file, *text, *len, dl);
		if ((rv < 0 && (rv != -EINVAL || vrfctl_clab_last.text ==
		    NULL)) || (rv = vrfctl_clab_take(text, len)) < 0) {
			errno = -rv;
			return NULL;
		}
	}
	first = dl->n;
	t = lab_topo_load(file, *text, *len, dl);
	if ((c = vrfctl_clab_of(*text, *len)) != NULL) {
		clab_remap_diags(c, dl, first, NULL);
		if (t != NULL)
			clab_remap_tree(c, t->root);
	}
	return t;
}

void
vrfctl_clab_remap(const char *text, size_t len, struct diag_list *dl)
{
	const struct clab_conv	*c;

	if ((c = vrfctl_clab_of(text, len)) != NULL)
		clab_remap_diags(c, dl, 0, NULL);
}

void
vrfctl_clab_remap_msg(const char *text, size_t len, const char *file,
    char **msg)
{
	const struct clab_conv	*c;
	const char		*p, *nl;
	char			*out = NULL, *end;
	size_t			 olen = 0, fl = strlen(file);
	unsigned		 line, col;
	FILE			*f;

	if ((c = vrfctl_clab_of(text, len)) == NULL || *msg == NULL ||
	    (f = open_memstream(&out, &olen)) == NULL)
		return;
	for (p = *msg; *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		/* "FILE:LINE:COL: ...", as diag_print writes them. */
		if (strncmp(p, file, fl) == 0 && p[fl] == ':' &&
		    (line = (unsigned)strtoul(p + fl + 1, &end, 10)) > 0 &&
		    *end == ':' && (col = (unsigned)strtoul(end + 1, &end,
		    10)) > 0 && *end == ':' && end < nl &&
		    clab_remap_pos(c, &line, &col))
			fprintf(f, "%s:%u:%u%.*s", file, line, col,
			    (int)(nl - end), end);
		else
			fprintf(f, "%.*s", (int)(nl - p), p);
		if (*nl == '\n')
			fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(out);
		return;
	}
	free(*msg);
	*msg = out;
}

int
vrfctl_topo_text(struct vrfctl *v, const char *file, char **text,
    size_t *len)
{
	struct diag_list	 dl = { 0 };
	struct json_object	*doc;
	struct topo		*t;
	int			 rv;

	if (read_file(file, SIZE_MAX, text, len) < 0)
		return -1;
	if (!clab_detect(file, *text, *len))
		return 0;
	if ((rv = vrfctl_clab_convert(file, *text, *len, &dl)) == 0)
		rv = vrfctl_clab_take(text, len);
	diag_sort(&dl);
	if (rv == -EINVAL) {
		/* Said with what the loader finds, as without vrfd. */
		diag_list_free(&dl);
		free(*text);
		*text = NULL;
		rv = vrfctl_topo_open(v, file, &t, NULL, NULL);
		topo_free(t);
		return rv != VRFCTL_EXIT_OK ? rv : VRFCTL_EXIT_INVALID;
	}
	if (rv == 0)
		diag_print(&dl, stderr);	/* warnings */
	else if (v->json) {
		doc = output_json_files();
		output_json_files_add(doc, file, NULL, &dl);
		output_json_files_done(doc);
	} else if (dl.n_errors > 0)
		vrfctl_topo_report(file, &dl);
	else
		vrfctl_warnx(v, "%s: %s", file, strerror(-rv));
	diag_list_free(&dl);
	if (rv == 0)
		return 0;
	free(*text);
	*text = NULL;
	return rv == -EINVAL ? VRFCTL_EXIT_INVALID : VRFCTL_EXIT_FAILED;
}

int
cmd_import(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct diag_list	 dl = { 0 };
	struct topo		*t = NULL;
	const char		*file;
	char			*text = NULL;
	size_t			 len = 0;
	int			 c, rc, rv;

	while ((c = vrfctl_getopt(v, argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return vrfctl_usage_error(v, "a containerlab topology FILE is "
		    "needed");
	if (optind + 1 < argc)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[optind + 1]);
	file = argv[optind];
	if ((rv = read_file(file, SIZE_MAX, &text, &len)) < 0) {
		vrfctl_warnx(v, "%s: %s", file, strerror(-rv));
		return VRFCTL_EXIT_FAILED;
	}
	if (!clab_detect(file, text, len)) {
		vrfctl_warnx(v, "%s is not a containerlab topology: it has no "
		    "top-level 'name' and 'topology', and its name does not "
		    "end in .clab.yml", file);
		free(text);
		return VRFCTL_EXIT_INVALID;
	}
	/* Converted, then loaded and checked as apply would: what is
	 * printed is a valid topology. */
	rc = vrfctl_topo_read(file, &dl, &t, &text, &len);
	if (rc != VRFCTL_EXIT_OK)
		vrfctl_topo_report(file, &dl);
	else {
		diag_print(&dl, stderr);
		fwrite(text, 1, len, stdout);
	}
	topo_free(t);
	free(text);
	diag_list_free(&dl);
	return rc;
}
