/*
 * ctl_msg: requests and replies as JSON, both ends (see ctl_msg.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl_msg.h"
#include "ctl_proto.h"
#include "engine/report.h"
#include "jsonget.h"
#include "report_json.h"
#include "topo/topo.h"

static const struct {
	const char	*name;
	bool		 reads;		/* else it changes labs: root only */
} ctl_cmds[] = {
	[CTL_PING] = { "ping", true },
	[CTL_STATUS] = { "status", true },
	[CTL_PLAN] = { "plan", true },
	[CTL_EVENTS] = { "events", true },
	[CTL_APPLY] = { "apply", false },
	[CTL_DESTROY] = { "destroy", false },
	[CTL_LINK_SET] = { "link_set", false },
};

#define CTL_NCMDS	(sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

const char *
ctl_cmd_name(enum ctl_cmd c)
{
	return (size_t)c < CTL_NCMDS ? ctl_cmds[c].name : "?";
}

bool
ctl_cmd_reads(enum ctl_cmd c)
{
	return (size_t)c < CTL_NCMDS && ctl_cmds[c].reads;
}

static struct json_object *
ctl_done(struct json_object *o, bool ok)
{
	if (ok)
		return o;
	json_object_put(o);
	errno = ENOMEM;
	return NULL;
}

struct json_object *
ctl_request_encode(const struct ctl_request *r)
{
	struct json_object	*o;
	bool			 ok;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	ok = jsonput(o, "cmd", json_object_new_string(ctl_cmd_name(r->cmd)));
	if (ok && r->cmd == CTL_PLAN && r->lab)
		ok = jsonput(o, "lab", json_object_new_string(r->lab));
	else if (ok && (r->cmd == CTL_PLAN || r->cmd == CTL_APPLY))
		ok = jsonput(o, "file", json_object_new_string(r->file)) &&
		    (r->digest == NULL || jsonput(o, "digest",
		    json_object_new_string(r->digest))) &&
		    (r->text_by_fd ? jsonput(o, "topology_fd",
		    json_object_new_int64((int64_t)r->len)) : r->text == NULL ||
		    jsonput(o, "topology", json_object_new_string_len(r->text,
		    (int)r->len)));
	if (ok && r->cmd == CTL_APPLY && r->base)
		ok = jsonput(o, "base", json_object_new_string(r->base));
	if (ok && (r->cmd == CTL_PLAN || r->cmd == CTL_APPLY) && r->host)
		ok = jsonput(o, "host", json_object_new_string(r->host));
	if (ok && r->with_plan)
		ok = jsonput(o, "with_plan", json_object_new_boolean(true));
	if (ok && r->progress)
		ok = jsonput(o, "progress",
		    json_object_new_double(r->progress_after));
	if (ok && r->cmd == CTL_DESTROY)
		ok = jsonput(o, "lab", json_object_new_string(r->lab));
	if (ok && r->cmd == CTL_LINK_SET)
		ok = jsonput(o, "lab", json_object_new_string(r->lab)) &&
		    jsonput(o, "node", json_object_new_string(r->node)) &&
		    jsonput(o, "interface", json_object_new_string(r->ifname)) &&
		    jsonput(o, "state", json_object_new_string(r->down ?
		    "down" : "up"));
	if (ok && r->cmd == CTL_STATUS)
		ok = r->lab ? jsonput(o, "lab", json_object_new_string(r->lab)) :
		    json_object_object_add(o, "lab", NULL) == 0;
	return ctl_done(o, ok);
}

/* "lab": a lab's name, into R. */
static int
ctl_request_lab(struct json_object *req, struct ctl_request *r, char *err,
    size_t len)
{
	r->lab = jsonget_str(req, "lab");
	if (r->lab == NULL || !topo_valid_name(r->lab) ||
	    strlen(r->lab) > TOPO_NAME_MAX) {
		snprintf(err, len, "malformed request: \"lab\" must be a lab "
		    "name");
		return -EINVAL;
	}
	return 0;
}

/* "host"?: a host's name, into R. */
static int
ctl_request_host(struct json_object *req, struct ctl_request *r, char *err,
    size_t len)
{
	if (!json_object_object_get_ex(req, "host", NULL))
		return 0;
	r->host = jsonget_str(req, "host");
	if (r->host == NULL || !topo_valid_name(r->host) ||
	    strlen(r->host) > TOPO_NAME_MAX) {
		snprintf(err, len, "malformed request: \"host\" must be a "
		    "host name");
		return -EINVAL;
	}
	return 0;
}

/* link_set: "lab", "node", "interface", "state". */
static int
ctl_request_link(struct json_object *req, struct ctl_request *r, char *err,
    size_t len)
{
	const char	*state;

	if (ctl_request_lab(req, r, err, len) < 0)
		return -EINVAL;
	r->node = jsonget_str(req, "node");
	r->ifname = jsonget_str(req, "interface");
	state = jsonget_str(req, "state");
	if (r->node == NULL || r->node[0] == '\0') {
		snprintf(err, len, "malformed request: \"node\" must be a "
		    "node's name");
		return -EINVAL;
	}
	if (r->ifname == NULL || !topo_valid_ifname(r->ifname)) {
		snprintf(err, len, "malformed request: \"interface\" must be "
		    "an interface name");
		return -EINVAL;
	}
	if (state == NULL || (strcmp(state, "up") != 0 &&
	    strcmp(state, "down") != 0)) {
		snprintf(err, len, "malformed request: \"state\" must be "
		    "\"up\" or \"down\"");
		return -EINVAL;
	}
	r->down = strcmp(state, "down") == 0;
	return 0;
}

int
ctl_request_decode(struct json_object *req, struct ctl_request *r,
    char *err, size_t len)
{
	struct json_object	*v;
	const char		*cmd;
	size_t			 i;

	memset(r, 0, sizeof(*r));
	if ((cmd = jsonget_str(req, "cmd")) == NULL) {
		snprintf(err, len, "malformed request: no \"cmd\" string");
		return -EINVAL;
	}
	for (i = 0; i < CTL_NCMDS; i++)
		if (strcmp(ctl_cmds[i].name, cmd) == 0)
			break;
	if (i == CTL_NCMDS) {
		snprintf(err, len, "unknown command '%.64s'", cmd);
		return -EINVAL;
	}
	r->cmd = (enum ctl_cmd)i;
	switch (r->cmd) {
	case CTL_PLAN:
		if (ctl_request_host(req, r, err, len) < 0)
			return -EINVAL;
		/* A lab's kept topology, or (below) the one sent. */
		if (!json_object_object_get_ex(req, "topology", NULL) &&
		    !json_object_object_get_ex(req, "topology_fd", NULL) &&
		    json_object_object_get_ex(req, "lab", NULL))
			return ctl_request_lab(req, r, err, len);
		/* FALLTHROUGH */
	case CTL_APPLY:
		if (json_object_object_get_ex(req, "topology", &v) &&
		    json_object_is_type(v, json_type_string)) {
			r->text = json_object_get_string(v);
			r->len = (size_t)json_object_get_string_len(v);
		} else if (json_object_object_get_ex(req, "topology_fd", &v)) {
			if (!json_object_is_type(v, json_type_int) ||
			    json_object_get_int64(v) < 0 ||
			    json_object_get_int64(v) > CTL_MAX_REQUEST) {
				snprintf(err, len, "malformed request: "
				    "\"topology_fd\" must be a length of at "
				    "most %u bytes", CTL_MAX_REQUEST);
				return -EINVAL;
			}
			r->text_by_fd = true;
			r->len = (size_t)json_object_get_int64(v);
		}
		/* The text's digest, alone or with the text by descriptor:
		 * a text vrfd keeps already is not read. */
		r->digest = jsonget_str(req, "digest");
		if (r->text == NULL && !r->text_by_fd && r->digest == NULL) {
			snprintf(err, len, "malformed request: no \"topology\" "
			    "string");
			return -EINVAL;
		}
		if ((r->file = jsonget_str(req, "file")) == NULL)
			r->file = "<request>";
		r->base = jsonget_str(req, "base");
		r->with_plan = jsonget_bool(req, "with_plan");
		if (ctl_request_host(req, r, err, len) < 0)
			return -EINVAL;
		if (json_object_object_get_ex(req, "progress", &v) &&
		    (json_object_is_type(v, json_type_double) ||
		    json_object_is_type(v, json_type_int))) {
			r->progress = true;
			r->progress_after = json_object_get_double(v);
		}
		break;
	case CTL_DESTROY:
		return ctl_request_lab(req, r, err, len);
	case CTL_LINK_SET:
		return ctl_request_link(req, r, err, len);
	case CTL_STATUS:
		if (json_object_object_get_ex(req, "lab", &v) && v != NULL) {
			if (!json_object_is_type(v, json_type_string)) {
				snprintf(err, len, "malformed request: \"lab\" "
				    "must be a string or null");
				return -EINVAL;
			}
			r->lab = json_object_get_string(v);
		}
		break;
	case CTL_PING:
	case CTL_EVENTS:
		break;
	}
	return 0;
}

static struct json_object *
ctl_ping_json(const struct ctl_ping *p)
{
	struct json_object	*o, *labs;
	bool			 ok;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	ok = jsonput(o, "version", json_object_new_string(p->version)) &&
	    jsonput(o, "pid", json_object_new_int((int)p->pid)) &&
	    jsonput(o, "labs", labs = json_object_new_array());
	for (size_t i = 0; ok && i < p->n_labs; i++) {
		struct json_object *s = json_object_new_string(p->labs[i]);

		if (s == NULL || json_object_array_add(labs, s) != 0) {
			json_object_put(s);
			ok = false;
		}
	}
	return ctl_done(o, ok);
}

struct json_object *
ctl_reply_encode(const struct ctl_reply *r, enum ctl_cmd cmd)
{
	struct json_object	*o, *doc = NULL;
	bool			 ok;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	ok = jsonput(o, "ok", json_object_new_boolean(r->ok));
	if (ok && !r->ok)
		ok = jsonput(o, "error", json_object_new_string(r->error ?
		    r->error : "failed"));
	if (ok && !r->ok && r->need_text)
		ok = jsonput(o, "need_topology", json_object_new_boolean(true));
	if (ok && r->ok) {
		switch (cmd) {
		case CTL_STATUS:
			doc = status_to_json(r->status);
			break;
		case CTL_PING:
			doc = ctl_ping_json(&r->ping);
			break;
		case CTL_EVENTS:
			doc = json_object_new_object();
			if (doc && !jsonput(doc, "events",
			    json_object_new_string("following"))) {
				json_object_put(doc);
				doc = NULL;
			}
			break;
		default:
			doc = report_to_wire(r->report);
			break;
		}
		ok = jsonput(o, "report", doc);
	}
	/* A topology's diagnostics: its warnings with a report, its errors
	 * with a refusal. */
	if (ok && (r->diags.n > 0 || (r->ok && (cmd == CTL_APPLY ||
	    cmd == CTL_PLAN))))
		ok = jsonput(o, "diagnostics", diags_to_json(&r->diags));
	return ctl_done(o, ok);
}

static int
ctl_ping_decode(struct json_object *o, struct ctl_ping *p)
{
	struct json_object	*labs = jsonget_array(o, "labs");
	const char		*s;

	memset(p, 0, sizeof(*p));
	snprintf(p->version, sizeof(p->version), "%s",
	    (s = jsonget_str(o, "version")) ? s : "");
	p->pid = (pid_t)jsonget_int(o, "pid");
	for (size_t i = 0; labs && i < json_object_array_length(labs); i++) {
		char	**v;

		if ((s = json_object_get_string(
		    json_object_array_get_idx(labs, i))) == NULL)
			continue;
		if ((v = reallocarray(p->labs, p->n_labs + 1,
		    sizeof(*v))) == NULL)
			return -ENOMEM;
		p->labs = v;
		if ((v[p->n_labs] = strdup(s)) == NULL)
			return -ENOMEM;
		p->n_labs++;
	}
	return 0;
}

int
ctl_reply_decode(struct json_object *o, enum ctl_cmd cmd,
    struct ctl_reply *r)
{
	struct json_object	*doc, *v;
	const char		*err;

	memset(r, 0, sizeof(*r));
	if (!json_object_object_get_ex(o, "ok", &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return -EBADMSG;
	r->ok = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "diagnostics", &v))
		diags_from_json(v, &r->diags);
	if (!r->ok) {
		r->need_text = jsonget_bool(o, "need_topology");
		err = jsonget_str(o, "error");
		if ((r->error = strdup(err ? err : "failed")) == NULL)
			return -ENOMEM;
		return 0;
	}
	if (!json_object_object_get_ex(o, "report", &doc))
		return -EBADMSG;
	switch (cmd) {
	case CTL_STATUS:
		if ((r->status = status_from_json(doc)) == NULL)
			return -errno;
		return 0;
	case CTL_PING:
		return ctl_ping_decode(doc, &r->ping);
	case CTL_EVENTS:
		return 0;
	default:
		if ((r->report = report_from_json(doc)) == NULL)
			return -errno;
		return 0;
	}
}

void
ctl_reply_clear(struct ctl_reply *r)
{
	free(r->error);
	diag_list_free(&r->diags);
	report_free(r->report);
	status_free(r->status);
	for (size_t i = 0; i < r->ping.n_labs; i++)
		free(r->ping.labs[i]);
	free(r->ping.labs);
	memset(r, 0, sizeof(*r));
}

bool
ctl_progress_decode(struct json_object *doc, struct engine_progress *pr)
{
	struct json_object	*p;

	return json_object_object_get_ex(doc, "progress", &p) &&
	    progress_from_json(p, pr);
}

struct json_object *
ctl_progress_encode(const struct engine_progress *pr)
{
	struct json_object	*o, *p;

	if ((p = progress_to_json(pr)) == NULL)
		return NULL;
	if ((o = json_object_new_object()) == NULL) {
		json_object_put(p);
		return NULL;
	}
	return ctl_done(o, jsonput(o, "progress", p));
}
