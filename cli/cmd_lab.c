/*
 * cmd_lab: `vrfctl apply`, `plan` and `destroy`: the commands that run a
 * reconcile pass over a lab.
 *
 * Each asks vrfd first (its socket answers: the daemon runs the pass and
 * keeps the lab) and otherwise runs the same engine in-process. Either way
 * the answer is the engine's JSON report, printed with -j or rendered as
 * text here, so the output is the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "client.h"
#include "topo/diag.h"
#include "engine/engine.h"
#include "proto/jsonget.h"
#include "engine/state.h"
#include "topo/topo.h"
#include "vrfctl.h"

/* ---- talking to vrfd ------------------------------------------------ */

static char *
lab_read_file(const char *file, size_t *len)
{
	FILE	*f;
	char	*buf = NULL;
	long	 n;

	if ((f = fopen(file, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

int
vrfctl_daemon(struct vrfctl *v, struct json_object *req,
    struct json_object **report, struct json_object **diags,
    void (*progress)(struct json_object *, void *), void *arg)
{
	struct json_object	*reply = NULL, *ok, *err, *dj, *r;
	int			 rv;

	*report = NULL;
	if (diags)
		*diags = NULL;
	rv = client_request_progress(v->socket, req, &reply, progress, arg);
	json_object_put(req);
	if (rv == -ENOENT || rv == -ECONNREFUSED)
		return rv;
	if (rv < 0) {
		vrfctl_warnx(v, "vrfd (%s): %s", v->socket, strerror(-rv));
		return VRFCTL_EXIT_UNREACHABLE;
	}
	if (!json_object_object_get_ex(reply, "diagnostics", &dj))
		dj = NULL;
	else if (diags)
		*diags = json_object_get(dj);
	if (json_object_object_get_ex(reply, "ok", &ok) &&
	    json_object_get_boolean(ok) &&
	    json_object_object_get_ex(reply, "report", &r)) {
		*report = json_object_get(r);
		json_object_put(reply);
		return 0;
	}
	rv = dj ? VRFCTL_EXIT_INVALID : VRFCTL_EXIT_FAILED;
	if (dj && diags == NULL) {
		struct diag_list	 dl = { 0 };

		diag_from_json(dj, &dl);
		diag_print(&dl, stderr);
		diag_list_free(&dl);
	}
	if (!dj && json_object_object_get_ex(reply, "error", &err))
		vrfctl_warnx(v, "vrfd: %s", json_object_get_string(err));
	json_object_put(reply);
	return rv;
}

static struct json_object *
lab_request(const char *cmd, const char *file)
{
	struct json_object	*req = json_object_new_object();
	char			*text;
	size_t			 len = 0;

	json_object_object_add(req, "cmd", json_object_new_string(cmd));
	if (file) {
		json_object_object_add(req, "file",
		    json_object_new_string(file));
		if ((text = lab_read_file(file, &len)) != NULL) {
			json_object_object_add(req, "topology",
			    json_object_new_string_len(text, (int)len));
			free(text);
		}
	}
	return req;
}

/* ---- progress, for applies that take a while ------------------------- */

/* Shown from VRFCTL_PROGRESS_DELAY seconds on (as GIT_PROGRESS_DELAY;
 * default 1), on a terminal, never with -j. */
#define LAB_PROGRESS_DELAY	1.0

struct lab_progress {
	struct timespec	 start;
	double		 delay;
	bool		 shown;
};

/* Whether an apply shows progress, and from when. */
static bool
lab_progress_init(struct vrfctl *v, enum engine_action act,
    struct lab_progress *lp)
{
	const char	*s = getenv("VRFCTL_PROGRESS_DELAY");
	char		*end;

	clock_gettime(CLOCK_MONOTONIC, &lp->start);
	lp->shown = false;
	lp->delay = LAB_PROGRESS_DELAY;
	if (s && *s && ((lp->delay = strtod(s, &end)) < 0 || *end))
		lp->delay = LAB_PROGRESS_DELAY;
	return act == ENGINE_APPLY && !v->json && isatty(STDERR_FILENO);
}

static double
lab_elapsed(const struct timespec *start)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void
lab_progress(void *arg, const struct engine_progress *pr)
{
	struct lab_progress	*lp = arg;

	if (!lp->shown && lab_elapsed(&lp->start) < lp->delay)
		return;
	lp->shown = true;
	fprintf(stderr, "\rapply: namespaces %zu/%zu, links %zu/%zu, "
	    "objects %zu/%zu ", pr->done[ENGINE_PROG_NS],
	    pr->total[ENGINE_PROG_NS], pr->done[ENGINE_PROG_LINKS],
	    pr->total[ENGINE_PROG_LINKS], pr->done[ENGINE_PROG_OBJECTS],
	    pr->total[ENGINE_PROG_OBJECTS]);
}

/* The same, from vrfd's progress documents. */
static void
lab_progress_json(struct json_object *o, void *arg)
{
	static const char *const keys[] = {
		[ENGINE_PROG_NS] = "namespaces",
		[ENGINE_PROG_LINKS] = "links",
		[ENGINE_PROG_OBJECTS] = "objects",
	};
	struct engine_progress	 pr = { 0 };
	struct json_object	*a;

	for (size_t k = 0; k < 3; k++)
		if (json_object_object_get_ex(o, keys[k], &a) &&
		    json_object_is_type(a, json_type_array) &&
		    json_object_array_length(a) == 2) {
			pr.done[k] = (size_t)json_object_get_int64(
			    json_object_array_get_idx(a, 0));
			pr.total[k] = (size_t)json_object_get_int64(
			    json_object_array_get_idx(a, 1));
		}
	lab_progress(arg, &pr);
}

/* ---- rendering the report -------------------------------------------- */

static void
lab_render_errors(struct json_object *report)
{
	struct json_object	*errs = jsonget_array(report, "errors"), *nss;

	for (size_t k = 0; errs && k < json_object_array_length(errs); k++) {
		struct json_object *e = json_object_array_get_idx(errs, k);

		fprintf(stderr, "error: %s: %s %s: %s\n",
		    jsonget_text(e, "namespace", ""),
		    jsonget_text(e, "op", ""), jsonget_text(e, "object", ""),
		    jsonget_text(e, "error", ""));
	}
	nss = jsonget_array(report, "namespaces");
	for (size_t k = 0; nss && k < json_object_array_length(nss); k++) {
		struct json_object *n = json_object_array_get_idx(nss, k);

		if (jsonget_text(n, "error", "")[0])
			fprintf(stderr, "error: %s: %s\n",
			    jsonget_text(n, "namespace", ""),
			    jsonget_text(n, "error", ""));
	}
}

static void
lab_render_foreign(struct json_object *report)
{
	struct json_object	*nss = jsonget_array(report, "namespaces");
	bool			 title = false;

	for (size_t k = 0; nss && k < json_object_array_length(nss); k++) {
		struct json_object *n = json_object_array_get_idx(nss, k);
		struct json_object *f = jsonget_array(n, "foreign");

		for (size_t j = 0; f && j < json_object_array_length(f); j++) {
			struct json_object *o = json_object_array_get_idx(f, j);

			if (!title)
				printf("foreign objects (not vrfd's, left "
				    "alone):\n");
			title = true;
			printf("  %s: %s %s\n",
			    jsonget_text(n, "namespace", ""),
			    jsonget_text(o, "kind", ""),
			    jsonget_text(o, "what", ""));
		}
	}
}

static void
lab_render_plan(struct json_object *report)
{
	struct json_object	*plan = jsonget_array(report, "plan");
	struct json_object	*errs = jsonget_array(report, "errors");
	int64_t			 n = jsonget_int(report, "changes");

	if (n == 0)
		printf("no changes\n");
	else
		printf("plan for lab %s: %lld change%s\n",
		    jsonget_text(report, "lab", ""), (long long)n,
		    n == 1 ? "" : "s");
	for (size_t k = 0; plan && k < json_object_array_length(plan); k++) {
		struct json_object *c = json_object_array_get_idx(plan, k);

		printf("  %s: %s %s\n    %s\n", jsonget_text(c, "node", ""),
		    jsonget_text(c, "op", ""), jsonget_text(c, "object", ""),
		    jsonget_text(c, "command", ""));
	}
	/* conflicts: changes that will not be made */
	for (size_t k = 0; errs && k < json_object_array_length(errs); k++) {
		struct json_object *c = json_object_array_get_idx(errs, k);

		printf("  %s: cannot %s %s: %s\n", jsonget_text(c, "node", ""),
		    jsonget_text(c, "op", ""), jsonget_text(c, "object", ""),
		    jsonget_text(c, "error", ""));
	}
	lab_render_foreign(report);
}

static void
lab_render_apply(struct json_object *report)
{
	struct json_object	*nss = jsonget_array(report, "namespaces");
	size_t			 unchanged = 0, total = 0;

	for (size_t k = 0; nss && k < json_object_array_length(nss); k++) {
		struct json_object *n = json_object_array_get_idx(nss, k);
		int64_t		    c = jsonget_int(n, "changes");
		const char	   *st = jsonget_text(n, "state", "");

		total++;
		if (strcmp(st, "unchanged") == 0) {
			unchanged++;
			continue;
		}
		printf("%-24s %-16s %s, %lld change%s%s\n",
		    jsonget_text(n, "namespace", ""),
		    jsonget_text(n, "node", ""), st,
		    (long long)c, c == 1 ? "" : "s",
		    jsonget_int(n, "failed") ? " (some failed)" : "");
	}
	lab_render_errors(report);
	printf("%s: lab %s: %lld change%s, %lld failed, %zu of %zu namespaces "
	    "unchanged; %s\n", jsonget_text(report, "action", ""),
	    jsonget_text(report, "lab", ""),
	    (long long)jsonget_int(report, "changes"),
	    jsonget_int(report, "changes") == 1 ? "" : "s",
	    (long long)jsonget_int(report, "failed"), unchanged, total,
	    jsonget_bool(report, "converged") ? "converged" : "NOT converged");
}

static int
lab_finish(struct vrfctl *v, struct json_object *report, bool plan)
{
	bool	 ok = jsonget_bool(report, "converged");
	int	 rc;

	if (jsonget_text(report, "error", "")[0])
		vrfctl_warnx(v, "%s", jsonget_text(report, "error", ""));
	if (v->json)
		vrfctl_json_print(report);
	else if (plan)
		lab_render_plan(report);
	else if (strcmp(jsonget_text(report, "action", ""), "destroy") == 0)
		printf("destroy: lab %s: %lld namespace%s removed%s\n",
		    jsonget_text(report, "lab", ""),
		    (long long)jsonget_int(report, "changes"),
		    jsonget_int(report, "changes") == 1 ? "" : "s",
		    jsonget_int(report, "failed") ? " (some failed)" : "");
	else
		lab_render_apply(report);
	/* plan only says what it would do: 0 unless it could not say. */
	if (plan)
		rc = jsonget_text(report, "error", "")[0] ? VRFCTL_EXIT_FAILED :
		    VRFCTL_EXIT_OK;
	else
		rc = ok ? VRFCTL_EXIT_OK : VRFCTL_EXIT_FAILED;
	json_object_put(report);
	return rc;
}

/* ---- the commands ---------------------------------------------------- */

/* The one operand of apply, plan and destroy: 0 and *FILE, or -1 when
 * help was shown (exit 0), or an exit status. */
static int
lab_one_file(struct vrfctl *v, int argc, char **argv, const char **file)
{
	int	 c;

	if ((c = vrfctl_common_opts(v, argc, argv)) >= 0)
		return c == VRFCTL_EXIT_OK ? -1 : c;
	if (optind >= argc)
		return vrfctl_usage_error(v, "a topology FILE is needed");
	if (optind + 1 < argc)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[optind + 1]);
	*file = argv[optind];
	return 0;
}

/* Warnings vrfd found in the topology, as vrfctl prints its own. */
static void
lab_print_diags(struct json_object *diags)
{
	struct diag_list	 dl = { 0 };

	diag_from_json(diags, &dl);
	diag_print(&dl, stderr);
	diag_list_free(&dl);
}

/* Ask vrfd, which reads the file itself: vrfctl need not parse a large
 * topology twice. 0 and *REPORT; -ENOENT when no daemon runs (or the file
 * cannot be read: the in-process path then says why); an exit status. */
static int
lab_ask_daemon(struct vrfctl *v, enum engine_action act, const char *file,
    struct lab_progress *lp, struct json_object **report)
{
	struct json_object	*req, *diags = NULL, *t;
	struct topo		*topo;
	int			 rc;

	*report = NULL;
	if (access(v->socket, F_OK) == -1 && errno == ENOENT)
		return -ENOENT;
	req = lab_request(act == ENGINE_PLAN ? "plan" : "apply", file);
	if (!json_object_object_get_ex(req, "topology", &t)) {
		json_object_put(req);
		return -ENOENT;
	}
	if (lp)
		json_object_object_add(req, "progress",
		    json_object_new_double(lp->delay));
	rc = vrfctl_daemon(v, req, report, &diags, lp ? lab_progress_json :
	    NULL, lp);
	if (lp && lp->shown)
		fputc('\n', stderr);
	if (rc == 0 && diags)
		lab_print_diags(diags);
	/* Errors in the file: told exactly as without a daemon. */
	if (rc == VRFCTL_EXIT_INVALID &&
	    (rc = vrfctl_topo_open(v, file, &topo)) == VRFCTL_EXIT_OK) {
		topo_free(topo);	/* changed since vrfd read it */
		lab_print_diags(diags);
		rc = VRFCTL_EXIT_INVALID;
	}
	json_object_put(diags);
	return rc == -ECONNREFUSED ? -ENOENT : rc;
}

static int
lab_pass(struct vrfctl *v, int argc, char **argv, enum engine_action act)
{
	struct engine_opts	 opts = { 0 };
	struct lab_progress	 lp;
	struct json_object	*report;
	struct topo		*topo;
	const char		*file = NULL;
	bool			 show;
	int			 rc;

	if ((rc = lab_one_file(v, argc, argv, &file)) != 0)
		return rc < 0 ? VRFCTL_EXIT_OK : rc;
	show = lab_progress_init(v, act, &lp);
	if ((rc = lab_ask_daemon(v, act, file, show ? &lp : NULL,
	    &report)) > 0)
		return rc;
	if (rc == 0)
		return lab_finish(v, report, act == ENGINE_PLAN);
	/* No daemon: the same engine, here. Errors in the file are said
	 * here, and nothing is applied. */
	if ((rc = vrfctl_topo_open(v, file, &topo)) != VRFCTL_EXIT_OK)
		return rc;
	/* The topology is kept so that `status` (and a vrfd started
	 * later) know it. */
	if (act == ENGINE_APPLY && (rc = state_save_lab(topo->lab, file)) < 0)
		vrfctl_warnx(v, "cannot keep the topology in %s: %s",
		    state_dir(), strerror(-rc));
	if (show) {
		opts.progress = lab_progress;
		opts.progress_arg = &lp;
	}
	report = engine_run(act, topo, NULL, &opts);
	if (lp.shown)
		fputc('\n', stderr);
	topo_free(topo);
	return lab_finish(v, report, act == ENGINE_PLAN);
}

int
cmd_apply(struct vrfctl *v, int argc, char **argv)
{
	return lab_pass(v, argc, argv, ENGINE_APPLY);
}

int
cmd_plan(struct vrfctl *v, int argc, char **argv)
{
	return lab_pass(v, argc, argv, ENGINE_PLAN);
}

int
cmd_destroy(struct vrfctl *v, int argc, char **argv)
{
	struct json_object	*report, *req;
	struct topo		*topo = NULL;
	struct stat		 st;
	const char		*arg = NULL;
	char			 lab[TOPO_NAME_MAX + 1];
	int			 rc;

	if ((rc = lab_one_file(v, argc, argv, &arg)) != 0)
		return rc < 0 ? VRFCTL_EXIT_OK : rc;
	/* LAB or FILE: a file that exists is a topology. */
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((rc = vrfctl_topo_open(v, arg, &topo)) != VRFCTL_EXIT_OK)
			return rc;
		snprintf(lab, sizeof(lab), "%s", topo->lab);
		topo_free(topo);
	} else if (topo_valid_name(arg))
		snprintf(lab, sizeof(lab), "%s", arg);
	else
		return vrfctl_usage_error(v, "'%s' is neither a topology file "
		    "nor a lab name", arg);
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("destroy"));
	json_object_object_add(req, "lab", json_object_new_string(lab));
	rc = vrfctl_daemon(v, req, &report, NULL, NULL, NULL);
	if (rc > 0)
		return rc;
	if (rc < 0) {
		report = engine_run(ENGINE_DESTROY, NULL, lab, NULL);
		if ((rc = state_remove_lab(lab)) < 0 && rc != -ENOENT)
			vrfctl_warnx(v, "cannot forget the topology: %s",
			    strerror(-rc));
	}
	return lab_finish(v, report, false);
}
