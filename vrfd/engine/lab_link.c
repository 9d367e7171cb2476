/*
 * lab_link: `vrfctl link set`, an interface of a kept lab set down or up
 * at run time: kept as the lab's override (override.h), then one pass
 * over the lab, which from then on keeps the interface so, as it keeps
 * what the file declares. The same for the daemon and for vrfctl.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "override.h"
#include "state.h"
#include "topo/topo.h"

struct report *
lab_link_set(struct topo *topo, const char *node, const char *ifname,
    bool down, const struct engine_opts *opts)
{
	struct override_list	 ol;
	char			 why[200];
	int			 rv;

	if (override_end(topo, node, ifname, why, sizeof(why)) < 0)
		return report_failed(REPORT_APPLY, topo->lab, -ENOENT, "%s",
		    why);
	if ((rv = override_load(topo->lab, &ol)) < 0)
		return report_failed(REPORT_APPLY, topo->lab, rv, "cannot read "
		    "the overrides of lab %s: %s; nothing changed", topo->lab,
		    strerror(-rv));
	/* Kept first, as an apply keeps its file: the next vrfd keeps the
	 * interface as this pass leaves it. */
	if ((rv = override_set(&ol, topo, node, ifname, down)) < 0 ||
	    (rv = override_save(topo->lab, &ol)) < 0) {
		override_list_free(&ol);
		return report_failed(REPORT_APPLY, topo->lab, rv, "cannot keep "
		    "the override in %s: %s; nothing changed", state_dir(),
		    strerror(-rv));
	}
	override_apply(topo, &ol);
	override_list_free(&ol);
	return engine_run(REPORT_APPLY, topo, NULL, opts);
}
