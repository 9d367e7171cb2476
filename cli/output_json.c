/*
 * output_json: vrfctl -j: one JSON document per command (one per line for
 * events), the control socket's own documents (proto/), so the same with
 * and without a daemon.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "engine/report.h"
#include "output.h"
#include "proto/event.h"
#include "proto/report_json.h"
#include "topo/diag.h"
#include "topo/topo.h"

static void
output_json_print(struct json_object *obj)
{
	/* Paths hold '/': json-c would write them "topology\/x.yaml". */
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void
json_out(struct json_object *doc)
{
	if (doc == NULL) {
		fprintf(stderr, "vrfctl: out of memory\n");
		return;
	}
	output_json_print(doc);
	json_object_put(doc);
}

static void
json_report(const struct report *r)
{
	json_out(report_to_json(r));
}

static void
json_status(const struct status *s)
{
	json_out(status_to_json(s));
}

static void
json_event(const struct event *ev)
{
	struct json_object	*doc = event_to_json(ev);

	if (doc == NULL) {
		fprintf(stderr, "vrfctl: out of memory\n");
		return;
	}
	/* One per line, as it comes: someone reads this through a pipe. */
	printf("%s\n", json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

/* A lab spread over hosts: "hosts": [{"name", "underlay", "mtu"}] and
 * "links_between_hosts": [{"endpoints", "hosts", "vni", "mtu_max"}]. */
static void
output_json_hosts(struct json_object *o, const struct topo *t)
{
	struct json_object	*hosts = json_object_new_array();
	struct json_object	*links = json_object_new_array(), *e, *a, *b;
	char			 ip[64], ep[128];

	for (size_t i = 0; i < t->n_hosts; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "name",
		    json_object_new_string(t->hosts[i].name));
		json_object_object_add(e, "underlay", json_object_new_string(
		    topo_ip_str(&t->hosts[i].underlay, ip, sizeof(ip))));
		json_object_object_add(e, "mtu", json_object_new_int64(
		    t->hosts[i].mtu ? t->hosts[i].mtu : TOPO_UNDERLAY_MTU));
		json_object_array_add(hosts, e);
	}
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link	*l = &t->links[i];

		if (!topo_link_cross(t, l))
			continue;
		e = json_object_new_object();
		a = json_object_new_array();
		b = json_object_new_array();
		for (int k = 0; k < 2; k++) {
			snprintf(ep, sizeof(ep), "%s:%s", l->ep[k].node,
			    l->ep[k].ifname);
			json_object_array_add(a, json_object_new_string(ep));
			json_object_array_add(b, json_object_new_string(
			    t->hosts[l->ep[k].ns->host].name));
		}
		json_object_object_add(e, "endpoints", a);
		json_object_object_add(e, "hosts", b);
		json_object_object_add(e, "vni", json_object_new_int64(l->vni));
		json_object_object_add(e, "mtu_max",
		    json_object_new_int64(topo_link_mtu_max(t, l)));
		json_object_array_add(links, e);
	}
	json_object_object_add(o, "hosts", hosts);
	json_object_object_add(o, "links_between_hosts", links);
}

static struct json_object *
output_json_topo(const char *file, const struct topo *t,
    const struct diag_list *dl)
{
	struct json_object	*o;

	o = json_object_new_object();
	json_object_object_add(o, "file", json_object_new_string(file));
	json_object_object_add(o, "valid",
	    json_object_new_boolean(t != NULL && dl->n_errors == 0));
	json_object_object_add(o, "lab",
	    t != NULL ? json_object_new_string(t->lab) : NULL);
	json_object_object_add(o, "routers",
	    json_object_new_int64(t != NULL ? (int64_t)t->n_routers : 0));
	json_object_object_add(o, "namespaces",
	    json_object_new_int64(t != NULL ? (int64_t)t->n_ns : 0));
	json_object_object_add(o, "links",
	    json_object_new_int64(t != NULL ? (int64_t)t->n_links : 0));
	json_object_object_add(o, "routes", json_object_new_int64(t != NULL ?
	    (int64_t)topo_count_routes(t) : 0));
	if (t != NULL && t->n_hosts > 0)
		output_json_hosts(o, t);
	json_object_object_add(o, "diagnostics", diags_to_json(dl));
	return o;
}

/* The files go into an array, which becomes {"files": [...]} at the end. */
struct json_object *
output_json_files(void)
{
	return json_object_new_array();
}

void
output_json_files_add(struct json_object *files, const char *file,
    const struct topo *t, const struct diag_list *dl)
{
	json_object_array_add(files, output_json_topo(file, t, dl));
}

void
output_json_files_done(struct json_object *files)
{
	struct json_object	*doc = json_object_new_object();

	json_object_object_add(doc, "files", files);
	output_json_print(doc);
	json_object_put(doc);
}

const struct output output_json = {
	.report = json_report,
	.status = json_status,
	.event = json_event,
};
