/*
 * test_ctl_msg: requests and replies on the control socket
 * (proto/ctl_msg.c, ctl_proto.c) and the scan for member names given
 * twice (json_strict.c). vrfd and vrfctl are built from one tree but may run
 * different builds: every field must come back as it went, under the
 * member names report_json.h documents, and a request must mean to vrfd
 * what it meant to whoever wrote it.
 *
 * Documents go through their text, as on the socket: encode, print,
 * parse, decode.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "proto_check.h"
#include "engine/engine.h"
#include "engine/report.h"
#include "proto/ctl_msg.h"
#include "proto/ctl_proto.h"
#include "proto/event.h"
#include "proto/json_strict.h"
#include "proto/report_json.h"
#include "topo/diag.h"

/* ---- requests ------------------------------------------------------------ */

static void
test_request_roundtrip(void)
{
	static const char	 text[] = "lab: demo\0tail";	/* a NUL in it */
	struct ctl_request	 in, out;
	struct json_object	*doc;
	char			 err[128];

	for (int c = CTL_PING; c <= CTL_DESTROY; c++) {
		memset(&in, 0, sizeof(in));
		in.cmd = (enum ctl_cmd)c;
		if (c == CTL_PLAN || c == CTL_APPLY) {
			in.file = "lab.yaml";
			in.text = text;
			in.len = sizeof(text) - 1;
		}
		if (c == CTL_APPLY) {
			in.with_plan = true;
			in.progress = true;
			in.progress_after = 0.5;
		}
		if (c == CTL_DESTROY || c == CTL_STATUS)
			in.lab = "demo";
		doc = wire(ctl_request_encode(&in));
		CHECK(doc != NULL);
		CHECK_STREQ(str(doc, "cmd"), ctl_cmd_name((enum ctl_cmd)c));
		err[0] = '\0';
		CHECK_INTEQ(ctl_request_decode(doc, &out, err, sizeof(err)),
		    0);
		CHECK_STREQ(err, "");
		CHECK_INTEQ(out.cmd, c);
		if (c == CTL_PLAN || c == CTL_APPLY) {
			CHECK_STREQ(out.file, "lab.yaml");
			CHECK_INTEQ(out.len, sizeof(text) - 1);
			CHECK(out.text != NULL && memcmp(out.text, text,
			    sizeof(text) - 1) == 0);
		} else {
			CHECK(out.file == NULL);
			CHECK(out.text == NULL);
		}
		CHECK(out.with_plan == (c == CTL_APPLY));
		CHECK(out.progress == (c == CTL_APPLY));
		CHECK(out.progress_after == (c == CTL_APPLY ? 0.5 : 0));
		if (c == CTL_DESTROY || c == CTL_STATUS)
			CHECK_STREQ(out.lab, "demo");
		else
			CHECK(out.lab == NULL);
		json_object_put(doc);
	}

	/* plan of a lab's kept topology: the lab, no file, no text */
	memset(&in, 0, sizeof(in));
	in.cmd = CTL_PLAN;
	in.lab = "demo";
	doc = wire(ctl_request_encode(&in));
	CHECK(!has(doc, "file") && !has(doc, "topology"));
	CHECK_INTEQ(ctl_request_decode(doc, &out, err, sizeof(err)), 0);
	CHECK_INTEQ(out.cmd, CTL_PLAN);
	CHECK_STREQ(out.lab, "demo");
	CHECK(out.file == NULL && out.text == NULL);
	json_object_put(doc);

	/* apply by digest: no text sent, the digest instead (a text vrfd
	 * keeps is not sent again) */
	memset(&in, 0, sizeof(in));
	in.cmd = CTL_APPLY;
	in.file = "lab.yaml";
	in.digest = "14-0123456789abcdef";
	doc = wire(ctl_request_encode(&in));
	CHECK(!has(doc, "topology"));
	CHECK_STREQ(str(doc, "digest"), "14-0123456789abcdef");
	CHECK_INTEQ(ctl_request_decode(doc, &out, err, sizeof(err)), 0);
	CHECK(out.text == NULL && out.len == 0);
	CHECK_STREQ(out.digest, "14-0123456789abcdef");
	CHECK_STREQ(out.file, "lab.yaml");
	json_object_put(doc);

	/* apply with the text in a descriptor: its length in the document,
	 * no text; the reader fills the text from the descriptor */
	memset(&in, 0, sizeof(in));
	in.cmd = CTL_APPLY;
	in.file = "lab.yaml";
	in.text = "lab: demo\n";
	in.len = 10;
	in.text_by_fd = true;
	in.text_fd = 7;
	doc = wire(ctl_request_encode(&in));
	CHECK(!has(doc, "topology") && !has(doc, "digest"));
	CHECK_INTEQ(json_object_get_int64(member(doc, "topology_fd")), 10);
	CHECK_INTEQ(ctl_request_decode(doc, &out, err, sizeof(err)), 0);
	CHECK(out.text_by_fd && out.text == NULL && out.len == 10);
	CHECK(out.digest == NULL);
	json_object_put(doc);

	/* both, as vrfctl sends them: the digest, for a text vrfd keeps,
	 * and the text by descriptor, read only if it keeps none */
	in.text = NULL;
	in.digest = "10-0123456789abcdef";
	doc = wire(ctl_request_encode(&in));
	CHECK(!has(doc, "topology"));
	CHECK_STREQ(str(doc, "digest"), "10-0123456789abcdef");
	CHECK_INTEQ(json_object_get_int64(member(doc, "topology_fd")), 10);
	CHECK_INTEQ(ctl_request_decode(doc, &out, err, sizeof(err)), 0);
	CHECK(out.text_by_fd && out.text == NULL && out.len == 10);
	CHECK_STREQ(out.digest, "10-0123456789abcdef");
	json_object_put(doc);

	/* status of every lab: "lab": null */
	memset(&in, 0, sizeof(in));
	in.cmd = CTL_STATUS;
	doc = wire(ctl_request_encode(&in));
	CHECK(has(doc, "lab") && member(doc, "lab") == NULL);
	CHECK_INTEQ(ctl_request_decode(doc, &out, err, sizeof(err)), 0);
	CHECK_INTEQ(out.cmd, CTL_STATUS);
	CHECK(out.lab == NULL);
	json_object_put(doc);

	/* who may ask what */
	CHECK(ctl_cmd_reads(CTL_PING));
	CHECK(ctl_cmd_reads(CTL_STATUS));
	CHECK(ctl_cmd_reads(CTL_PLAN));
	CHECK(ctl_cmd_reads(CTL_EVENTS));
	CHECK(!ctl_cmd_reads(CTL_APPLY));
	CHECK(!ctl_cmd_reads(CTL_DESTROY));
	CHECK(!ctl_cmd_reads((enum ctl_cmd)99));
	CHECK_STREQ(ctl_cmd_name(CTL_DESTROY), "destroy");
	CHECK_STREQ(ctl_cmd_name((enum ctl_cmd)99), "?");
}

/* Decode TEXT as a request: its return, its words in ERR. */
static int
request_of(const char *text, struct ctl_request *r, char *err, size_t len)
{
	struct json_object	*o = json_tokener_parse(text);
	int			 rv;

	CHECK(o != NULL);
	err[0] = '\0';
	rv = ctl_request_decode(o, r, err, len);
	json_object_put(o);	/* R's strings are not looked at after */
	return rv;
}

static void
test_request_refusals(void)
{
	static const struct {
		const char	*text;
		const char	*words;
	} bad[] = {
		{ "{}", "malformed request: no \"cmd\" string" },
		{ "{\"cmd\":5}", "malformed request: no \"cmd\" string" },
		{ "{\"cmd\":null}", "malformed request: no \"cmd\" string" },
		{ "{\"cmd\":\"reboot\"}", "unknown command 'reboot'" },
		{ "{\"cmd\":\"PING\"}", "unknown command 'PING'" },
		{ "{\"cmd\":\"plan\"}",
		    "malformed request: no \"topology\" string" },
		{ "{\"cmd\":\"apply\",\"file\":\"x.yaml\"}",
		    "malformed request: no \"topology\" string" },
		{ "{\"cmd\":\"apply\",\"topology\":5}",
		    "malformed request: no \"topology\" string" },
		{ "{\"cmd\":\"apply\",\"topology_fd\":\"10\"}",
		    "malformed request: \"topology_fd\" must be a length of "
		    "at most 16777216 bytes" },
		{ "{\"cmd\":\"apply\",\"topology_fd\":-1}",
		    "malformed request: \"topology_fd\" must be a length of "
		    "at most 16777216 bytes" },
		{ "{\"cmd\":\"plan\",\"topology_fd\":16777217}",
		    "malformed request: \"topology_fd\" must be a length of "
		    "at most 16777216 bytes" },
		{ "{\"cmd\":\"plan\",\"lab\":\"../../etc\"}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"plan\",\"lab\":null}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"apply\",\"lab\":\"demo\"}",
		    "malformed request: no \"topology\" string" },
		{ "{\"cmd\":\"destroy\",\"lab\":\"../../etc\"}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"destroy\"}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"destroy\",\"lab\":\"\"}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"destroy\",\"lab\":7}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"destroy\",\"lab\":"
		    "\"a-lab-whose-name-is-longer-than-32\"}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"status\",\"lab\":5}",
		    "malformed request: \"lab\" must be a string or null" },
		{ "{\"cmd\":\"status\",\"lab\":[\"demo\"]}",
		    "malformed request: \"lab\" must be a string or null" },
	};
	struct ctl_request	 r;
	char			 err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INTEQ(request_of(bad[i].text, &r, err, sizeof(err)),
		    -EINVAL);
		CHECK_STREQ(err, bad[i].words);
	}
	/* the name of an unknown command is cut, not the buffer overrun */
	{
		char	 text[400], want[128];

		snprintf(text, sizeof(text), "{\"cmd\":\"%0300d\"}", 0);
		CHECK_INTEQ(request_of(text, &r, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), "unknown command '%064d'", 0);
		CHECK_STREQ(err, want);
		CHECK_INTEQ(request_of(text, &r, err, 10), -EINVAL);
		CHECK_STREQ(err, "unknown c");
	}
	/* accepted: no "lab", and "lab": null, are every lab; no "file" */
	CHECK_INTEQ(request_of("{\"cmd\":\"status\"}", &r, err, sizeof(err)),
	    0);
	CHECK(r.lab == NULL);
	CHECK_INTEQ(request_of("{\"cmd\":\"status\",\"lab\":null}", &r, err,
	    sizeof(err)), 0);
	CHECK(r.lab == NULL);
	CHECK_INTEQ(request_of("{\"cmd\":\"destroy\",\"lab\":\"lab_2-b\"}", &r,
	    err, sizeof(err)), 0);
	CHECK_INTEQ(r.cmd, CTL_DESTROY);
	{
		struct json_object *o = json_tokener_parse("{\"cmd\":\"plan\","
		    "\"topology\":\"lab: x\\n\",\"progress\":\"soon\"}");

		CHECK_INTEQ(ctl_request_decode(o, &r, err, sizeof(err)), 0);
		CHECK_STREQ(r.file, "<request>");
		CHECK_INTEQ(r.len, 7);
		CHECK(!r.progress);
		json_object_put(o);
	}
}

/* link_set: the lab, the end and the state, there and back; refused
 * when one of them is not one. */
static void
test_request_link_set(void)
{
	static const struct {
		const char	*text;
		const char	*words;
	} bad[] = {
		{ "{\"cmd\":\"link_set\",\"node\":\"r1\",\"interface\":"
		    "\"eth0\",\"state\":\"down\"}",
		    "malformed request: \"lab\" must be a lab name" },
		{ "{\"cmd\":\"link_set\",\"lab\":\"demo\",\"interface\":"
		    "\"eth0\",\"state\":\"down\"}",
		    "malformed request: \"node\" must be a node's name" },
		{ "{\"cmd\":\"link_set\",\"lab\":\"demo\",\"node\":\"r1\","
		    "\"interface\":\"eth0/x\",\"state\":\"down\"}",
		    "malformed request: \"interface\" must be an interface "
		    "name" },
		{ "{\"cmd\":\"link_set\",\"lab\":\"demo\",\"node\":\"r1\","
		    "\"interface\":\"eth0\",\"state\":true}",
		    "malformed request: \"state\" must be \"up\" or \"down\"" },
		{ "{\"cmd\":\"link_set\",\"lab\":\"demo\",\"node\":\"r1\","
		    "\"interface\":\"eth0\",\"state\":\"Down\"}",
		    "malformed request: \"state\" must be \"up\" or \"down\"" },
	};
	struct ctl_request	 in, out;
	struct json_object	*doc;
	char			 err[128];

	for (int down = 0; down < 2; down++) {
		memset(&in, 0, sizeof(in));
		in.cmd = CTL_LINK_SET;
		in.lab = "demo";
		in.node = "pe1/red";
		in.ifname = "eth1";
		in.down = down;
		doc = wire(ctl_request_encode(&in));
		CHECK(doc != NULL);
		CHECK_STREQ(str(doc, "cmd"), "link_set");
		CHECK_STREQ(str(doc, "state"), down ? "down" : "up");
		CHECK_INTEQ(ctl_request_decode(doc, &out, err, sizeof(err)),
		    0);
		CHECK_INTEQ(out.cmd, CTL_LINK_SET);
		CHECK_STREQ(out.lab, "demo");
		CHECK_STREQ(out.node, "pe1/red");
		CHECK_STREQ(out.ifname, "eth1");
		CHECK(out.down == down);
		json_object_put(doc);
	}
	CHECK(!ctl_cmd_reads(CTL_LINK_SET));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INTEQ(request_of(bad[i].text, &out, err, sizeof(err)),
		    -EINVAL);
		CHECK_STREQ(err, bad[i].words);
	}
}

/* ---- replies ------------------------------------------------------------ */

/* Encode R as the reply to CMD, send it through text, decode it. */
static int
reply_trip(const struct ctl_reply *r, enum ctl_cmd cmd,
    struct json_object **doc, struct ctl_reply *out)
{
	*doc = wire(ctl_reply_encode(r, cmd));
	CHECK(*doc != NULL);
	return ctl_reply_decode(*doc, cmd, out);
}

static void
test_reply_report(void)
{
	struct ctl_reply	 in, out;
	struct json_object	*doc;

	memset(&in, 0, sizeof(in));
	in.ok = true;
	in.report = report_sample();
	CHECK_INTEQ(reply_trip(&in, CTL_APPLY, &doc, &out), 0);
	CHECK_INTEQ(boolean(doc, "ok"), 1);
	CHECK(!has(doc, "error"));
	CHECK_STREQ(str(member(doc, "report"), "lab"), "demo");
	/* an apply's reply always says what the topology had to say */
	CHECK_INTEQ(alen(member(doc, "diagnostics")), 0);
	CHECK(out.ok);
	CHECK(out.error == NULL);
	CHECK(out.status == NULL);
	CHECK(out.report != NULL);
	if (out.report != NULL) {
		CHECK_STREQ(out.report->lab, "demo");
		CHECK_INTEQ(out.report->n_ns, 2);
		CHECK_INTEQ(out.report->n_list, 3);
	}
	CHECK_INTEQ(out.diags.n, 0);
	ctl_reply_clear(&out);
	json_object_put(doc);

	/* a plan with the topology's warnings */
	diag_add(&in.diags, DIAG_WARNING, "lab.yaml", 9, 5, "lans.lan1",
	    "a LAN with one member");
	CHECK_INTEQ(reply_trip(&in, CTL_PLAN, &doc, &out), 0);
	CHECK(out.ok);
	CHECK(out.report != NULL);
	CHECK_INTEQ(out.diags.n, 1);
	CHECK_INTEQ(out.diags.n_warnings, 1);
	CHECK_STREQ(out.diags.n ? out.diags.v[0].msg : NULL,
	    "a LAN with one member");
	ctl_reply_clear(&out);
	CHECK(out.report == NULL && out.diags.n == 0);
	json_object_put(doc);

	/* destroy: a report, no diagnostics when there are none */
	diag_list_free(&in.diags);
	memset(&in.diags, 0, sizeof(in.diags));
	CHECK_INTEQ(reply_trip(&in, CTL_DESTROY, &doc, &out), 0);
	CHECK(!has(doc, "diagnostics"));
	CHECK(out.report != NULL);
	ctl_reply_clear(&out);
	json_object_put(doc);
	report_free(in.report);
}

static void
test_reply_status_ping_events(void)
{
	struct ctl_reply	 in, out;
	struct json_object	*doc;
	char			*labs[] = { "demo", "vrfs" };

	memset(&in, 0, sizeof(in));
	in.ok = true;
	in.status = status_sample();
	CHECK_INTEQ(reply_trip(&in, CTL_STATUS, &doc, &out), 0);
	CHECK(!has(doc, "diagnostics"));
	CHECK_INTEQ(alen(member(member(doc, "report"), "labs")), 2);
	CHECK(out.ok);
	CHECK(out.report == NULL);
	CHECK(out.status != NULL);
	if (out.status != NULL) {
		CHECK_INTEQ(out.status->n_labs, 2);
		CHECK_STREQ(out.status->n_labs == 2 ?
		    out.status->labs[1].lab : NULL, "vrfs");
	}
	ctl_reply_clear(&out);
	json_object_put(doc);
	status_free(in.status);

	memset(&in, 0, sizeof(in));
	in.ok = true;
	snprintf(in.ping.version, sizeof(in.ping.version), "0.1.0");
	in.ping.pid = 4321;
	in.ping.labs = labs;
	in.ping.n_labs = 2;
	CHECK_INTEQ(reply_trip(&in, CTL_PING, &doc, &out), 0);
	CHECK_STREQ(str(member(doc, "report"), "version"), "0.1.0");
	CHECK_INTEQ(num(member(doc, "report"), "pid"), 4321);
	CHECK(out.ok);
	CHECK_STREQ(out.ping.version, "0.1.0");
	CHECK_INTEQ(out.ping.pid, 4321);
	CHECK_INTEQ(out.ping.n_labs, 2);
	if (out.ping.n_labs == 2) {
		CHECK_STREQ(out.ping.labs[0], "demo");
		CHECK_STREQ(out.ping.labs[1], "vrfs");
	}
	ctl_reply_clear(&out);
	json_object_put(doc);

	/* no labs: an empty list */
	in.ping.labs = NULL;
	in.ping.n_labs = 0;
	CHECK_INTEQ(reply_trip(&in, CTL_PING, &doc, &out), 0);
	CHECK_INTEQ(alen(member(member(doc, "report"), "labs")), 0);
	CHECK_INTEQ(out.ping.n_labs, 0);
	ctl_reply_clear(&out);
	json_object_put(doc);

	memset(&in, 0, sizeof(in));
	in.ok = true;
	CHECK_INTEQ(reply_trip(&in, CTL_EVENTS, &doc, &out), 0);
	CHECK_STREQ(str(member(doc, "report"), "events"), "following");
	CHECK(out.ok);
	CHECK(out.report == NULL && out.status == NULL);
	ctl_reply_clear(&out);
	json_object_put(doc);
}

static void
test_reply_refusal(void)
{
	struct ctl_reply	 in, out;
	struct json_object	*doc;

	memset(&in, 0, sizeof(in));
	in.ok = false;
	in.error = "topology has 1 error";
	diag_add(&in.diags, DIAG_ERROR, "lab.yaml", 3, 9, "routers.r1",
	    "unknown key 'interfacs'");
	CHECK_INTEQ(reply_trip(&in, CTL_APPLY, &doc, &out), 0);
	CHECK_INTEQ(boolean(doc, "ok"), 0);
	CHECK_STREQ(str(doc, "error"), "topology has 1 error");
	CHECK(!has(doc, "report"));
	CHECK_INTEQ(alen(member(doc, "diagnostics")), 1);
	CHECK(!out.ok && !out.need_text);
	CHECK(!has(doc, "need_topology"));
	CHECK_STREQ(out.error, "topology has 1 error");
	CHECK(out.report == NULL);
	CHECK_INTEQ(out.diags.n, 1);
	CHECK_INTEQ(out.diags.n_errors, 1);
	if (out.diags.n == 1) {
		CHECK_INTEQ(out.diags.v[0].level, DIAG_ERROR);
		CHECK_INTEQ(out.diags.v[0].line, 3);
		CHECK_INTEQ(out.diags.v[0].col, 9);
		CHECK_STREQ(out.diags.v[0].path, "routers.r1");
		CHECK_STREQ(out.diags.v[0].msg, "unknown key 'interfacs'");
	}
	ctl_reply_clear(&out);
	json_object_put(doc);
	diag_list_free(&in.diags);

	/* a request by digest of a text vrfd does not keep */
	memset(&in, 0, sizeof(in));
	in.ok = false;
	in.error = "send it";
	in.need_text = true;
	CHECK_INTEQ(reply_trip(&in, CTL_APPLY, &doc, &out), 0);
	CHECK_INTEQ(boolean(doc, "need_topology"), 1);
	CHECK(!out.ok && out.need_text);
	ctl_reply_clear(&out);
	json_object_put(doc);

	/* no words given: "failed"; no diagnostics: none sent */
	memset(&in, 0, sizeof(in));
	in.ok = false;
	CHECK_INTEQ(reply_trip(&in, CTL_STATUS, &doc, &out), 0);
	CHECK_STREQ(str(doc, "error"), "failed");
	CHECK(!has(doc, "diagnostics"));
	CHECK(!out.ok);
	CHECK_STREQ(out.error, "failed");
	ctl_reply_clear(&out);
	json_object_put(doc);
}

static void
test_reply_garbage(void)
{
	static const struct {
		const char	*text;
		enum ctl_cmd	 cmd;
	} bad[] = {
		{ "{\"hello\":1}", CTL_PING },
		{ "{\"ok\":\"yes\",\"report\":{}}", CTL_PING },
		{ "{\"ok\":1,\"report\":{}}", CTL_STATUS },
		{ "{\"ok\":true}", CTL_APPLY },
		{ "{\"ok\":true,\"report\":{}}", CTL_PLAN },	/* no lab */
		{ "{\"ok\":true,\"report\":{\"lab\":\"x\"}}", CTL_STATUS },
		{ "[true]", CTL_PING },
	};
	struct ctl_reply	 out;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_object *o = json_tokener_parse(bad[i].text);

		CHECK(o != NULL);
		CHECK_INTEQ(ctl_reply_decode(o, bad[i].cmd, &out), -EBADMSG);
		ctl_reply_clear(&out);
		json_object_put(o);
	}
}

/* ---- member names given twice -------------------------------------------- */

static int
dupkey(const char *text)
{
	return json_has_dup_key(text, strlen(text));
}

static void
test_dup_key_objects(void)
{
	CHECK_INTEQ(dupkey("{\"a\":1,\"a\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"a\":1,\"b\":2}"), 0);
	CHECK_INTEQ(dupkey("{\"x\":{\"a\":1,\"b\":2,\"a\":3}}"), 1);
	CHECK_INTEQ(dupkey("[{\"a\":1},{\"b\":1,\"b\":2}]"), 1);
	CHECK_INTEQ(dupkey("{\"l\":[1,{\"a\":[],\"a\":{}}]}"), 1);
	/* the same name in two objects is no duplicate */
	CHECK_INTEQ(dupkey("{\"o\":{\"a\":1},\"p\":{\"a\":2}}"), 0);
	CHECK_INTEQ(dupkey("[{\"a\":1},{\"a\":2}]"), 0);
	CHECK_INTEQ(dupkey("{\"a\":{\"a\":{\"a\":1}}}"), 0);
	/* after a nested value, the outer object still counts */
	CHECK_INTEQ(dupkey("{\"a\":{\"x\":[1,2,{\"y\":null}]},\"b\":true,"
	    "\"a\":false}"), 1);
	/* names compared whole and by case */
	CHECK_INTEQ(dupkey("{\"ab\":1,\"a\":2,\"abc\":3}"), 0);
	CHECK_INTEQ(dupkey("{\"A\":1,\"a\":2}"), 0);
	CHECK_INTEQ(dupkey("{\"\":1,\"\":2}"), 1);
	/* not objects, or empty ones */
	CHECK_INTEQ(dupkey("{}"), 0);
	CHECK_INTEQ(dupkey("[]"), 0);
	CHECK_INTEQ(dupkey(" { } "), 0);
	CHECK_INTEQ(dupkey("-1.5e+3"), 0);
	CHECK_INTEQ(dupkey("\"{\\\"a\\\":1,\\\"a\\\":2}\""), 0);
	CHECK_INTEQ(dupkey("{ \"a\" : 1 ,\n\t\"a\"\r: 2 }"), 1);
}

/* Names compare as decoded; text inside strings is never structure. */
static void
test_dup_key_strings(void)
{
	CHECK_INTEQ(dupkey("{\"cmd\":1,\"\\u0063md\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"\\u0063\\u006D\\u0064\":1,\"cmd\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"\\/\":1,\"/\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"a\\nb\":1,\"a\\u000ab\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"a\\\"b\":1,\"a\\u0022b\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"a\\\\\":1,\"a\\\\\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"a\\\"b\":1,\"a\\\\\\\"b\":2}"), 0);
	CHECK_INTEQ(dupkey("{\"\\u00e9\":1,\"\xc3\xa9\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"\\u20ac\":1,\"\xe2\x82\xac\":2}"), 1);
	/* a surrogate pair is one code point, in UTF-8 */
	CHECK_INTEQ(dupkey("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"\\uD83D\\uDE00\":1,\"\\ud83d\\ude00\":2}"), 1);
	CHECK_INTEQ(dupkey("{\"\\ud83d\\ude00\":1,\"\\ud83d\\ude01\":2}"), 0);
	/* quotes, braces and backslashes in values */
	CHECK_INTEQ(dupkey("{\"x\":\"}{\\\"x\\\":\",\"y\":\"\\\\\","
	    "\"z\":\"{\\\"a\\\":1,\\\"a\\\":2}\"}"), 0);
	CHECK_INTEQ(dupkey("{\"x\":\"\\\\\",\"x2\":\"\\\"\",\"x\":0}"), 1);
	CHECK_INTEQ(dupkey("{\"k\":\"a\\\\\\\"}\",\"k2\":[\"]\",\"{\"]}"), 0);
}

static void
test_dup_key_malformed(void)
{
	static const char *const bad[] = {
		"{\"a\":1",
		"{\"a\" 1}",
		"{\"a\":}",
		"{a:1}",
		"{\"a\":1,}",
		"{\"a\":1 \"b\":2}",
		"[1,2",
		"{\"a\":\"unterminated}",
		"{\"\\u00zz\":1}",
		"{\"a\":1,\"a\":2",		/* a duplicate, cut short */
		"x",
		"",
	};
	char	 deep[201];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INTEQ(dupkey(bad[i]), -1);
	/* deeper than json-c reads */
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = '\0';
	CHECK_INTEQ(json_has_dup_key(deep, 200), -1);
	/* LEN bounds the text: what follows it is not read */
	CHECK_INTEQ(json_has_dup_key("{\"a\":1}{\"a\":1,\"a\":2}", 7), 0);
	CHECK_INTEQ(json_has_dup_key("{\"a\":1,\"a\":2}", 6), -1);
}

static char *
many_members(size_t n, bool twice)
{
	size_t	 cap = n * 16 + 32, off = 0;
	char	*s = malloc(cap);

	if (s == NULL)
		abort();
	s[off++] = '{';
	for (size_t i = 0; i < n; i++)
		/* not in sorted order */
		off += (size_t)snprintf(s + off, cap - off, "%s\"k%05zu\":%zu",
		    i ? "," : "", (i * 7919) % n, i);
	if (twice)
		off += (size_t)snprintf(s + off, cap - off, ",\"k%05zu\":0",
		    n / 2);
	s[off++] = '}';
	s[off] = '\0';
	return s;
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* n log n, not n squared: a request of many members is no way to stall
 * the daemon. */
static void
test_dup_key_large(void)
{
	char	*s = many_members(20000, false);
	double	 t = now();

	CHECK_INTEQ(dupkey(s), 0);
	t = now() - t;
	if (t >= 1.0)
		printf("  20000 members took %.3f s\n", t);
	CHECK(t < 1.0);
	free(s);
	s = many_members(20000, true);
	CHECK_INTEQ(dupkey(s), 1);
	free(s);
}

/* Names as json-c reads them: a NUL ends json-c's name, and it reads a
 * lone surrogate as U+FFFD. Two names json-c takes for one are one. */
static void
test_dup_key_as_jsonc_reads(void)
{
	static const char *const same[] = {
		"{\"cmd\":\"ping\",\"cmd\\u0000x\":\"destroy\"}",
		"{\"\\ud800\":\"ping\",\"\\ufffd\":\"destroy\"}",
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct json_object *o = json_tokener_parse(same[i]);

		/* json-c keeps one member of the two */
		CHECK(o != NULL && json_object_object_length(o) == 1);
		json_object_put(o);
		CHECK_INTEQ(dupkey(same[i]), 1);
	}
}

/*
 * What ctl_recv makes of a request json-c reads leniently (single quotes,
 * comments, NaN, a trailing comma): json_has_dup_key calls those not
 * JSON (-1), so the document must be refused, never handed on with the
 * last "cmd" in force.
 */
static void
test_dup_key_ctl_recv(void)
{
	static const char *const sly[] = {
		"{'cmd':'ping','cmd':'destroy','lab':'demo'}",
		"{\"cmd\":\"ping\",/* */\"cmd\":\"destroy\",\"lab\":\"demo\"}",
		"{\"cmd\":\"ping\",\"x\":NaN,\"cmd\":\"destroy\","
		    "\"lab\":\"demo\"}",
		"{\"cmd\":\"ping\",\"x\":[1,],\"cmd\":\"destroy\","
		    "\"lab\":\"demo\"}",
		"{\"cmd\":\"ping\",\"cmd\\u0000\":\"destroy\","
		    "\"lab\":\"demo\"}",
	};
	int	 sv[2];

	for (size_t i = 0; i < sizeof(sly) / sizeof(sly[0]); i++) {
		struct json_object	*out = NULL;
		size_t			 len = strlen(sly[i]);
		int			 rv;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
			perror("socketpair");
			exit(1);
		}
		CHECK(send(sv[0], sly[i], len, 0) == (ssize_t)len);
		rv = ctl_recv(sv[1], CTL_MAX_REQUEST, &out);
		if (rv == 0)
			printf("  %s: read as %s\n", sly[i],
			    json_object_to_json_string_ext(out,
			    JSON_C_TO_STRING_PLAIN));
		CHECK(rv == -ENOTUNIQ || rv == -EBADMSG);
		CHECK(out == NULL);
		json_object_put(out);
		close(sv[0]);
		close(sv[1]);
	}
}

int
main(void)
{
	RUN(test_request_roundtrip);
	RUN(test_request_refusals);
	RUN(test_request_link_set);
	RUN(test_reply_report);
	RUN(test_reply_status_ping_events);
	RUN(test_reply_refusal);
	RUN(test_reply_garbage);
	RUN(test_dup_key_objects);
	RUN(test_dup_key_strings);
	RUN(test_dup_key_malformed);
	RUN(test_dup_key_large);
	RUN(test_dup_key_as_jsonc_reads);
	RUN(test_dup_key_ctl_recv);
	return CHECK_DONE();
}
