/*
 * cmd_lab: `vrfctl apply`, `plan` and `destroy`: the commands that run a
 * reconcile pass over a lab.
 *
 * Each asks vrfd first (its socket answers: the daemon runs the pass and
 * keeps the lab) and otherwise runs the same engine in-process (ask.c
 * says when it may). Either way the answer is the engine's typed report,
 * rendered by the same output, so the output is the same.
 *
 * plan and destroy also take a lab's name: plan then reads the topology
 * the host keeps for the lab (state.h), as it would read a file.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "client.h"
#include "engine/engine.h"
#include "engine/impair.h"
#include "engine/lab.h"
#include "engine/override.h"
#include "engine/prefetch.h"
#include "engine/services.h"
#include "engine/state.h"
#include "output.h"
#include "proto/ctl_msg.h"
#include "proto/ctl_text.h"
#include "topo/clab.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "util/parallel.h"
#include "vrfctl.h"

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
lab_progress_init(struct vrfctl *v, enum report_action act,
    struct lab_progress *lp)
{
	const char	*s = getenv("VRFCTL_PROGRESS_DELAY");
	char		*end;

	clock_gettime(CLOCK_MONOTONIC, &lp->start);
	lp->shown = false;
	lp->delay = LAB_PROGRESS_DELAY;
	if (s && *s && ((lp->delay = strtod(s, &end)) < 0 || *end))
		lp->delay = LAB_PROGRESS_DELAY;
	return act == REPORT_APPLY && !v->json && isatty(STDERR_FILENO);
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
lab_progress(const struct engine_progress *pr, void *arg)
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

/* The engine's progress callback, for an in-process pass. */
static void
lab_progress_engine(void *arg, const struct engine_progress *pr)
{
	lab_progress(pr, arg);
}

/* ---- the report ------------------------------------------------------- */

/* Render R (taken) and give the exit status. */
static int
lab_finish(struct vrfctl *v, struct report *r)
{
	int	 rc;

	if (r == NULL) {
		vrfctl_warnx(v, "%s", strerror(errno ? errno : ENOMEM));
		return VRFCTL_EXIT_FAILED;
	}
	vrfctl_output(v)->report(r);
	/* plan only says what it would do: 0 unless it could not say. */
	if (r->action == REPORT_PLAN)
		rc = r->err ? VRFCTL_EXIT_FAILED : VRFCTL_EXIT_OK;
	else
		rc = r->converged ? VRFCTL_EXIT_OK : VRFCTL_EXIT_FAILED;
	report_free(r);
	return rc;
}

/* ---- the commands ---------------------------------------------------- */

/* This host's part of a lab spread over several; what this kernel
 * cannot make (netem), a VNI another lab uses here: before anything is
 * made, told as the file's errors are (vrfd says the same in its reply). */
static int
lab_host_check(struct vrfctl *v, const char *file, struct topo *topo)
{
	struct diag_list	 dl = { 0 };
	int			 rc;

	if ((rc = vrfctl_topo_host(v, file, topo, true)) != VRFCTL_EXIT_OK)
		return rc;
	impair_check_host(topo, &dl);
	rc = vrfctl_topo_errors(v, file, topo, &dl);
	diag_list_free(&dl);
	return rc;
}

/* The one operand of apply, plan and destroy: 0 and *FILE, or -1 when
 * help was shown (exit 0), or an exit status. */
static int
lab_one_file(struct vrfctl *v, int argc, char **argv, const char **file)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c, rc;

	while ((c = vrfctl_getopt(v, argc, argv, "hj", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v) == VRFCTL_EXIT_OK ? -1 :
			    VRFCTL_EXIT_FAILED;
		case 'j':
			v->json = true;
			break;
		case 'H':
			if ((rc = vrfctl_host_opt(v, optarg)) >= 0)
				return rc;
			break;
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return vrfctl_usage_error(v, "a topology FILE is needed");
	if (optind + 1 < argc)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[optind + 1]);
	*file = argv[optind];
	return 0;
}

/*
 * Ask vrfd, which reads the file's text itself: vrfctl need not parse a
 * large topology twice. For plan LAB, vrfd reads the topology it keeps
 * for LAB (FILE: where vrfctl finds it). 0 and *REPORT; VRFCTL_NO_DAEMON;
 * an exit status. Errors in the file are told exactly as without a
 * daemon.
 */
/* FILE's directory, absolute, into BUF; NULL if it cannot be said. */
static const char *
lab_base(const char *file, char *buf, size_t len)
{
	char	*abs, *slash;

	if ((abs = realpath(file, NULL)) == NULL)
		return NULL;
	if ((slash = strrchr(abs, '/')) != NULL)
		*slash = '\0';
	snprintf(buf, len, "%s", abs[0] != '\0' ? abs : "/");
	free(abs);
	return buf;
}

/*
 * The text vrfd gets for FILE, in *CT: the file itself, copied by the
 * kernel into a sealed memfd; or what a containerlab file converts to (in
 * a memfd too, where one can be made, else in the document). 0; -1: FILE
 * cannot be read (said by the in-process path, as without vrfd); or an
 * exit status, said.
 */
static int
lab_daemon_text(struct vrfctl *v, const char *file, struct ctl_text *ct)
{
	char	*text;
	size_t	 len;
	int	 rc;

	if (ctl_text_from_file(file, ct) == 0) {
		if (!clab_detect(file, ct->text, ct->len))
			return 0;
		ctl_text_free(ct);
	}
	/* Converted, or a file that is not regular (a pipe), or empty. */
	if ((rc = vrfctl_topo_text(v, file, &text, &len)) != 0)
		return rc;
	(void)ctl_text_from_copy(text, len, ct);
	return 0;
}

/*
 * Ask vrfd for ACT, of LAB's kept topology or of FILE's text: one request,
 * with the text's digest (a text vrfd keeps already is not read again)
 * and the text itself. As vrfctl_ask's codes; *REPORT the report.
 */
static int
lab_ask_daemon(struct vrfctl *v, enum report_action act, const char *lab,
    const char *file, struct lab_progress *lp, struct report **report)
{
	struct ctl_request	 req = {
		.cmd = act == REPORT_PLAN ? CTL_PLAN : CTL_APPLY,
		.file = file, .lab = lab, .host = v->host,
	};
	struct ctl_text		 ct = { .fd = -1 };
	struct ctl_reply	 reply;
	struct topo		*topo;
	char			 base[PATH_MAX], digest[STATE_DIGEST_MAX];
	int			 rc, sock;

	*report = NULL;
	/* Connected before the text is made ready: without vrfd, it is
	 * read as the engine here reads it. */
	if ((rc = vrfctl_connect(v, &sock)) != 0)
		return rc;
	if (lab == NULL) {
		if ((rc = lab_daemon_text(v, file, &ct)) != 0) {
			close(sock);
			return rc < 0 ? VRFCTL_NO_DAEMON : rc;
		}
		state_text_digest(ct.text, ct.len, digest, sizeof(digest));
		req.digest = digest;
		req.len = ct.len;
		req.text_by_fd = ct.fd >= 0;
		req.text_fd = ct.fd;
		req.text = req.text_by_fd ? NULL : ct.text;
	}
	/* vrfd reads the config files the topology names from elsewhere:
	 * their directory, absolute. */
	if (lab_base(file, base, sizeof(base)) != NULL)
		req.base = base;
	if (lp) {
		req.progress = true;
		req.progress_after = lp->delay;
	}
	rc = vrfctl_ask_on(v, sock, &req, &reply, lp ? lab_progress : NULL,
	    lp);
	if (lp && lp->shown)
		fputc('\n', stderr);
	if (rc != 0) {
		ctl_text_free(&ct);
		return rc;
	}
	/* What vrfd says of a converted containerlab topology is said
	 * against the containerlab file. */
	vrfctl_clab_remap(ct.text, ct.len, &reply.diags);
	if (reply.report != NULL)
		vrfctl_clab_remap_msg(ct.text, ct.len, file,
		    &reply.report->error);
	ctl_text_free(&ct);
	if (reply.ok) {
		vrfctl_print_diags(&reply.diags);	/* warnings */
		*report = reply.report;
		reply.report = NULL;
	} else if (reply.diags.n_errors > 0) {
		/* Read here again, to show it as vrfctl alone would; if it
		 * changed since vrfd read it, vrfd's words. */
		rc = vrfctl_topo_open(v, file, &topo, NULL, NULL);
		if (rc == VRFCTL_EXIT_OK) {
			topo_free(topo);
			vrfctl_print_diags(&reply.diags);
			rc = VRFCTL_EXIT_INVALID;
		}
	} else {
		vrfctl_warnx(v, "vrfd: %s", reply.error);
		rc = VRFCTL_EXIT_FAILED;
	}
	ctl_reply_clear(&reply);
	return rc;
}

/*
 * Without vrfd, the lab's namespaces read while its file is parsed, on
 * another core (engine/prefetch.h). Under the lock, taken now if it is
 * free: what is read ahead is then what the pass would read. The lab is
 * LAB (plan LAB) or what the text seems to name.
 */
static struct prefetch *
lab_prefetch(struct vrfctl *v, const char *lab, const char *text, size_t len,
    char *name, size_t size)
{
	if (lab != NULL)
		snprintf(name, size, "%s", lab);
	else if (text == NULL || !topo_text_lab(text, len, name, size))
		return NULL;
	if (parallel_cores() < 2 || !vrfctl_alone_now(v))
		return NULL;
	return prefetch_start(name);
}

/*
 * The apply of a text applied before, to a lab then found exactly as
 * declared: answered if every namespace reads as it did (engine/seal.h),
 * the topology not even loaded. Not where --host says which host this
 * is: the lab was sealed without.
 */
static struct report *
lab_answer_sealed(struct vrfctl *v, struct prefetch *pf, const char *lab,
    const char *text, size_t len, char *digest, size_t size)
{
	state_text_digest(text, len, digest, size);
	if (v->host != NULL)
		return NULL;
	return prefetch_answer(pf, lab, digest);
}

/* Is an apply of TOPO to be sealed when it finds the lab as declared?
 * Not when an apply does more than the pass: services to start, hosts to
 * keep, warnings to show (an answer from the seal would not). */
static bool
lab_sealable(const struct vrfctl *v, const struct topo *topo)
{
	return v->host == NULL && !v->warned && topo->n_hosts == 0 &&
	    !services_any(topo);
}

static int
lab_pass(struct vrfctl *v, int argc, char **argv, enum report_action act)
{
	struct engine_opts	 opts = { 0 };
	struct lab_progress	 lp;
	struct report		*report;
	struct prefetch		*pf;
	struct topo		*topo;
	const char		*file = NULL, *lab = NULL;
	char			*text = NULL, kept[600], base[PATH_MAX];
	char			 name[TOPO_NAME_MAX + 1];
	char			 digest[STATE_DIGEST_MAX] = "";
	size_t			 len = 0;
	bool			 show;
	int			 rc;

	if ((rc = lab_one_file(v, argc, argv, &file)) != 0)
		return rc < 0 ? VRFCTL_EXIT_OK : rc;
	/* plan LAB: the topology kept for LAB, read as any file is. */
	if (act == REPORT_PLAN && (lab = vrfctl_lab_operand(file)) != NULL)
		file = state_lab_path(lab, kept, sizeof(kept));
	show = lab_progress_init(v, act, &lp);
	/* vrfd parses the text itself: a large topology is parsed once. */
	rc = lab_ask_daemon(v, act, lab, file, show ? &lp : NULL, &report);
	if (rc == 0)
		rc = lab_finish(v, report);
	if (rc != VRFCTL_NO_DAEMON)
		return rc;
	/* A file that cannot be read is said by the in-process path. A
	 * containerlab topology: the converted text. */
	if (lab == NULL && (rc = vrfctl_topo_text(v, file, &text, &len)) > 0)
		return rc;
	/* No daemon: the same engine, here. Errors in the file are said
	 * here, and nothing is applied. */
	if (lab != NULL && access(file, F_OK) != 0) {
		vrfctl_warnx(v, "no file '%s', and no topology of lab %s is "
		    "kept (no %s)", lab, lab, file);
		return VRFCTL_EXIT_FAILED;
	}
	pf = lab_prefetch(v, lab, text, len, name, sizeof(name));
	if (act == REPORT_APPLY && pf != NULL && (report = lab_answer_sealed(v,
	    pf, name, text, len, digest, sizeof(digest))) != NULL) {
		prefetch_free(pf);
		free(text);
		return lab_finish(v, report);
	}
	if ((rc = vrfctl_topo_open(v, file, &topo, &text, &len)) !=
	    VRFCTL_EXIT_OK) {
		prefetch_free(pf);
		return rc;
	}
	if (lab != NULL && strcmp(topo->lab, lab) != 0) {
		/* As vrfd says it. */
		vrfctl_warnx(v, "%s declares lab %s, not %s", file, topo->lab,
		    lab);
		rc = VRFCTL_EXIT_FAILED;
	} else if ((rc = lab_host_check(v, file, topo)) != VRFCTL_EXIT_OK) {
		/* said */
	} else if ((rc = vrfctl_alone(v)) == 0) {
		if (show) {
			opts.progress = lab_progress_engine;
			opts.progress_arg = &lp;
		}
		opts.base = lab_base(file, base, sizeof(base));
		opts.keep_tree = true;
		/* Nothing read is kept: only what the lab may change. */
		opts.lean_read = true;
		/* plan LAB: the lab as kept, with what vrfctl link set
		 * changed; a plan of the file is of the file alone. */
		if (lab != NULL)
			(void)override_load_apply(topo);
		opts.memory = prefetch_memory(pf);
		if (act == REPORT_APPLY && lab_sealable(v, topo)) {
			if (digest[0] == '\0')
				state_text_digest(text, len, digest,
				    sizeof(digest));
			opts.seal = digest;
		}
		report = act == REPORT_APPLY ? lab_apply(topo, text, len,
		    &opts, NULL) : engine_run(act, topo, NULL, &opts);
		if (lp.shown)
			fputc('\n', stderr);
		rc = lab_finish(v, report);
	}
	prefetch_free(pf);
	topo_free(topo);
	free(text);
	return rc;
}

int
cmd_apply(struct vrfctl *v, int argc, char **argv)
{
	return lab_pass(v, argc, argv, REPORT_APPLY);
}

int
cmd_plan(struct vrfctl *v, int argc, char **argv)
{
	return lab_pass(v, argc, argv, REPORT_PLAN);
}

int
cmd_destroy(struct vrfctl *v, int argc, char **argv)
{
	struct ctl_request	 req = { .cmd = CTL_DESTROY };
	struct ctl_reply	 reply;
	struct topo		*topo = NULL;
	struct stat		 st;
	const char		*arg = NULL;
	char			 lab[TOPO_NAME_MAX + 1];
	int			 rc;

	if ((rc = lab_one_file(v, argc, argv, &arg)) != 0)
		return rc < 0 ? VRFCTL_EXIT_OK : rc;
	/* LAB or FILE: a file that exists is a topology. */
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((rc = vrfctl_topo_open(v, arg, &topo, NULL, NULL)) !=
		    VRFCTL_EXIT_OK)
			return rc;
		snprintf(lab, sizeof(lab), "%s", topo->lab);
		topo_free(topo);
	} else if (topo_valid_name(arg) && strlen(arg) <= TOPO_NAME_MAX)
		snprintf(lab, sizeof(lab), "%s", arg);
	else
		return vrfctl_usage_error(v, "'%s' is neither a topology file "
		    "nor a lab name", arg);
	req.lab = lab;
	if ((rc = vrfctl_ask(v, &req, &reply, NULL, NULL)) == 0) {
		if (!reply.ok) {
			vrfctl_warnx(v, "vrfd: %s", reply.error);
			ctl_reply_clear(&reply);
			return VRFCTL_EXIT_FAILED;
		}
		rc = lab_finish(v, reply.report);
		reply.report = NULL;
		ctl_reply_clear(&reply);
		return rc;
	}
	if (rc != VRFCTL_NO_DAEMON || (rc = vrfctl_alone(v)) != 0)
		return rc;
	return lab_finish(v, lab_destroy(lab, NULL, NULL));
}
