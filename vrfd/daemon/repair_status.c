/*
 * repair_status: what the daemon adds to engine_status()'s report: per
 * namespace, whether it is watched, its last drift, its repairs and its
 * backoff; and the kept labs of which the kernel has nothing left.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "daemon.h"
#include "proto/jsonget.h"
#include "topo/topo.h"

static void
repair_ns_status(struct daemon *d, struct json_object *o, struct dns *dn)
{
	struct json_object	*ld = NULL;
	double			 now = repair_mono();
	unsigned		 backoff = 0;

	if (dn && dn->drift_what[0]) {
		ld = json_object_new_object();
		json_object_object_add(ld, "time",
		    repair_time_json(dn->drift_time));
		json_object_object_add(ld, "what",
		    json_object_new_string(dn->drift_what));
	}
	/* The delay stands while repairs are recent. */
	if (dn && dn->n_recent > 0 && (now - dn->m_recent[dn->n_recent - 1] <=
	    d->conf.backoff_window || now < dn->m_hold))
		backoff = dn->backoff_ms;
	json_object_object_add(o, "watched",
	    json_object_new_boolean(dn && dn->watched));
	json_object_object_add(o, "last_drift", ld);
	json_object_object_add(o, "repairs",
	    json_object_new_int64(dn ? dn->repairs : 0));
	json_object_object_add(o, "backoff_ms", json_object_new_int64(backoff));
}

void
repair_status(struct daemon *d, struct json_object *status, const char *want)
{
	struct json_object	*labs, *lo, *nss;
	bool			*seen;

	if (!json_object_object_get_ex(status, "labs", &labs) ||
	    (seen = calloc(d->n_labs + 1, sizeof(*seen))) == NULL)
		return;
	for (size_t i = 0; i < json_object_array_length(labs); i++) {
		const char	*name;
		struct dlab	*lab;

		lo = json_object_array_get_idx(labs, i);
		if ((name = jsonget_str(lo, "lab")) == NULL)
			continue;
		lab = repair_lab_find(d, name);
		for (size_t k = 0; lab && k < d->n_labs; k++)
			if (d->labs[k] == lab)
				seen[k] = true;
		json_object_object_add(lo, "kept",
		    json_object_new_boolean(lab != NULL));
		if (!json_object_object_get_ex(lo, "namespaces", &nss))
			continue;
		for (size_t k = 0; k < json_object_array_length(nss); k++) {
			struct json_object *no = json_object_array_get_idx(nss,
			    k);
			const char	*ns = jsonget_str(no, "namespace");

			repair_ns_status(d, no, ns ? repair_ns_find(lab, ns) :
			    NULL);
		}
	}
	/* A kept lab of which the kernel has nothing left. */
	for (size_t k = 0; k < d->n_labs; k++) {
		struct dlab	*lab = d->labs[k];

		if (seen[k] || (want && strcmp(want, lab->name) != 0))
			continue;
		lo = json_object_new_object();
		nss = json_object_new_array();
		json_object_object_add(lo, "lab",
		    json_object_new_string(lab->name));
		json_object_object_add(lo, "topology",
		    json_object_new_string(lab->topo->file));
		json_object_object_add(lo, "converged",
		    json_object_new_boolean(false));
		json_object_object_add(lo, "kept", json_object_new_boolean(true));
		for (size_t i = 0; i < lab->n_ns; i++) {
			struct json_object *no = json_object_new_object();

			json_object_object_add(no, "namespace",
			    json_object_new_string(lab->ns[i].name));
			json_object_object_add(no, "node",
			    json_object_new_string(lab->ns[i].node));
			json_object_object_add(no, "exists",
			    json_object_new_boolean(false));
			json_object_object_add(no, "declared",
			    json_object_new_boolean(true));
			repair_ns_status(d, no, &lab->ns[i]);
			json_object_array_add(nss, no);
		}
		json_object_object_add(lo, "namespaces", nss);
		json_object_array_add(labs, lo);
	}
	free(seen);
}
