/*
 * repair_status: what the daemon adds to a status: per namespace,
 * whether it is watched, its last drift, its repairs and its backoff; per
 * lab, whether vrfd keeps it; and the kept labs of which the kernel has
 * nothing left.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "kernel/clock.h"

static void
repair_ns_status(struct daemon *d, struct status_ns *sn, struct dns *dn)
{
	struct backoff_conf	 bc = repair_backoff_conf(d);

	sn->has_daemon = true;
	sn->watched = dn && dn->watched;
	if (dn && dn->drift_what[0]) {
		sn->drift_time = dn->drift_time;
		snprintf(sn->drift_what, sizeof(sn->drift_what), "%s",
		    dn->drift_what);
	}
	sn->repairs = dn ? dn->repairs : 0;
	sn->backoff_ms = dn ? backoff_delay(&dn->backoff, clock_mono(), &bc) :
	    0;
}

int
repair_status(struct daemon *d, struct status *st, const char *want)
{
	for (size_t i = 0; i < st->n_labs; i++) {
		struct status_lab	*sl = &st->labs[i];
		struct dlab		*lab = labs_find(d, sl->lab);

		if (lab && !lab->kept)
			lab = NULL;
		sl->has_daemon = true;
		sl->kept = lab != NULL;
		for (size_t k = 0; k < sl->n_ns; k++)
			repair_ns_status(d, &sl->ns[k], lab ?
			    labs_ns_find(lab, sl->ns[k].name) : NULL);
	}
	/* A kept lab of which the kernel has nothing left. */
	for (size_t k = 0; k < d->n_labs; k++) {
		struct dlab		*lab = d->labs[k];
		struct status_lab	*sl;
		bool			 seen = false;

		for (size_t i = 0; i < st->n_labs && !seen; i++)
			seen = strcmp(st->labs[i].lab, lab->name) == 0;
		if (seen || !lab->kept || (want && strcmp(want, lab->name)))
			continue;
		if ((sl = status_lab_add(st)) == NULL ||
		    (sl->topology = strdup(lab->topo->file)) == NULL)
			return -ENOMEM;
		snprintf(sl->lab, sizeof(sl->lab), "%s", lab->name);
		sl->has_daemon = sl->kept = true;
		for (size_t i = 0; i < lab->n_ns; i++) {
			struct status_ns	*sn;

			if ((sn = status_ns_add(sl)) == NULL)
				return -ENOMEM;
			snprintf(sn->name, sizeof(sn->name), "%s",
			    lab->ns[i].name);
			snprintf(sn->node, sizeof(sn->node), "%s",
			    lab->ns[i].node);
			sn->declared = true;
			repair_ns_status(d, sn, &lab->ns[i]);
		}
	}
	return 0;
}
