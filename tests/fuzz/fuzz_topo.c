/*
 * fuzz_topo: libFuzzer target for the topology loader and checker.
 *
 * `make fuzz`, then: build/fuzz_topo -max_total_time=60 tests/fuzz/corpus
 * Every input must load (or be refused) and check without a crash, a leak
 * or undefined behaviour, and every diagnostic must render. And parsed
 * again by its changed parts (ytree_reparse) from the input less one of
 * its lines, it must give the tree a full parse gives, or decline; with
 * what moved lent too (as vrfd parses), a tree that is that one where it
 * says it is exact, and that gives it when parsed again exactly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "topo/diag.h"
#include "proto/report_json.h"
#include "topo/topo.h"
#include "topo/ytree.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* DATA as the new text, itself less its line number DATA[0] (of those
 * it has) as the old one. */
static void
fuzz_reparse(const char *data, size_t size)
{
	struct diag_list	 dl = { 0 }, dl_full = { 0 };
	struct ynode		*old, *full, *re, *mv, *back;
	const char		*cut = data, *end = data + size, *eol;
	char			*prev;
	size_t			 skip, len;

	if (size == 0 || (prev = malloc(size)) == NULL)
		return;
	for (skip = (uint8_t)data[0]; skip > 0 && cut < end; skip--)
		cut = (eol = memchr(cut, '\n', (size_t)(end - cut))) ?
		    eol + 1 : end;
	eol = cut < end ? memchr(cut, '\n', (size_t)(end - cut)) : NULL;
	eol = eol ? eol + 1 : end;
	len = (size_t)(cut - data);
	memcpy(prev, data, len);
	memcpy(prev + len, eol, (size_t)(end - eol));
	len += (size_t)(end - eol);
	old = ytree_parse("fuzz.yaml", prev, len, &dl);
	full = ytree_parse("fuzz.yaml", data, size, &dl_full);
	if (old != NULL)
		(void)ytree_cut(old, prev, len);
	re = old ? ytree_reparse("fuzz.yaml", data, size, old, 0) : NULL;
	/* Not the full parse's tree, or one the full parse has errors in:
	 * those are the full parse's to report. */
	if (re != NULL && (full == NULL || dl_full.n > 0 ||
	    !ynode_same(full, re)))
		abort();
	mv = old ? ytree_reparse("fuzz.yaml", data, size, old,
	    YTREE_LEND_MOVED) : NULL;
	back = mv ? ytree_reparse("fuzz.yaml", data, size, mv, 0) : NULL;
	if (mv != NULL && (full == NULL || dl_full.n > 0 ||
	    (ytree_exact(mv) && !ynode_same(full, mv))))
		abort();
	if (back != NULL && (!ytree_exact(back) || !ynode_same(full, back)))
		abort();
	ytree_free(back);
	ytree_free(mv);
	ytree_free(re);
	ytree_free(full);
	ytree_free(old);
	diag_list_free(&dl);
	diag_list_free(&dl_full);
	free(prev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list	 dl = { 0 };
	struct json_object	*j;
	struct topo		*t;
	FILE			*null;

	t = topo_load_buf("fuzz.yaml", (const char *)data, size, &dl);
	if (t != NULL)
		topo_check(t, &dl);
	if ((null = fopen("/dev/null", "w")) != NULL) {
		diag_print(&dl, null);
		fclose(null);
	}
	if ((j = diags_to_json(&dl)) != NULL)
		json_object_put(j);
	topo_free(t);
	diag_list_free(&dl);
	fuzz_reparse((const char *)data, size);
	return 0;
}
