/*
 * fuzz_topo: libFuzzer target for the topology loader and checker.
 *
 * `make fuzz`, then: build/fuzz_topo -max_total_time=60 tests/fuzz/corpus
 * Every input must load (or be refused) and check without a crash, a leak
 * or undefined behaviour, and every diagnostic must render.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "topo/diag.h"
#include "proto/report_json.h"
#include "topo/topo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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
	return 0;
}
