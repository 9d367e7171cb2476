/*
 * request: what vrfd does for the control socket's requests (control.c
 * checks who may ask what), and for the labs it keeps at start.
 *
 *   ping      answered at once
 *   status    a look at the kernel, on a worker, then what vrfd knows
 *   plan      the topology parsed on a worker (or the kept one again, if
 *             the text is the same), then a pass of its lab; or, asked
 *             for a lab, its kept file parsed as such a file is
 *   apply     the same, the pass keeping the topology first
 *   destroy   a pass of the lab
 *   link_set  an interface's runtime state kept, then a pass of its lab
 *
 * Passes of one lab wait for each other (labs.c); nothing here blocks
 * the loop: parsing a topology of a megabyte takes as long as a pass.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "engine/host.h"
#include "engine/impair.h"
#include "engine/override.h"
#include "engine/services.h"
#include "engine/state.h"
#include "log.h"
#include "proto/ctl_msg.h"
#include "proto/ctl_text.h"
#include "topo/ytree.h"
#include "util/parallel.h"

static void
request_error(struct control_req *h, const char *msg)
{
	struct ctl_reply	 r = { .ok = false };

	r.error = (char *)msg;
	control_reply(h, &r);
}

/* ---- a topology, parsed off the loop ----------------------------------- */

struct parse_job {
	struct job		 job;
	struct daemon		*d;
	enum ljob_kind		 kind;		/* what follows: APPLY, PLAN,
						   START */
	struct control_req	*req;
	char			*file;		/* the name it goes by */
	char			*base;		/* its directory, as vrfctl
						   said it; NULL: none */
	char			 host[TOPO_NAME_MAX + 1]; /* vrfctl --host,
						   "": vrfd's own */
	char			*text;		/* NULL: read FILE */
	size_t			 len;
	bool			 with_plan, progress;
	double			 progress_after;
	bool			 kept;		/* FILE is LAB.yaml, kept: its
						   lab must be LAB */
	/* out */
	struct topo		*topo;
	/* The tree of the lab last applied from this file, and its
	 * topology, held: only what changed since is parsed (ytree_reparse),
	 * and the namespaces it lends are not read again. */
	struct ynode		*prev_root;
	struct topo		*prev_topo;
	bool			 parts;		/* it was so */
	bool			 again;		/* ... and then again, its
						   positions exact */
	/* ... and what its namespaces were made from (taken on the loop):
	 * those of the same source are not checked or compiled again */
	struct labs_prev	 prev;
	struct labs_made	*made;		/* per topo->ns; NULL */
	struct interest		*interests;
	uint64_t		*digests;	/* per topo->ns */
	struct ks_ns		*wants;		/* per topo->ns */
	struct diag_list	 diags;
	bool			 nomem;
	/* the text's digest, and (apply) the text written where the lab
	 * keeps it, while it is parsed: on another core */
	char			 digest[STATE_DIGEST_MAX];
	char			 staged[640];
	size_t			 next_part;
};

static void
parse_job_free(struct parse_job *pj)
{
	if (pj->interests)
		labs_interests_free(pj->interests, pj->topo ? pj->topo->n_ns :
		    0);
	labs_wants_free(pj->wants, pj->topo ? pj->topo->n_ns : 0);
	topo_free(pj->topo);
	ytree_free(pj->prev_root);
	topo_free(pj->prev_topo);
	labs_prev_free(&pj->prev);
	free(pj->made);
	free(pj->digests);
	diag_list_free(&pj->diags);
	free(pj->file);
	free(pj->base);
	free(pj->text);
	if (pj->staged[0])
		state_unstage(pj->staged);
	free(pj);
}

/* Each namespace's source and what the kept lab's namespace of the same
 * source was compiled to, into pj->made; SKIP[i]: the rules about it
 * alone said nothing of that one. False, pj->made NULL: no sources. */
static bool
parse_job_sources(struct parse_job *pj, bool *skip)
{
	const struct labs_prev_ns	*p;
	size_t				 n = pj->topo->n_ns;
	uint64_t			*src;

	if ((src = calloc(n + 1, sizeof(*src))) == NULL)
		return false;
	if (topo_ns_sources(pj->topo, src) == 0 &&
	    (pj->made = calloc(n + 1, sizeof(*pj->made))) != NULL)
		for (size_t i = 0; i < n; i++) {
			pj->made[i].source = src[i];
			p = labs_prev_find(&pj->prev, pj->topo->ns[i].name);
			if (p == NULL || p->source != src[i])
				continue;
			pj->made[i].kept = p->compiled;
			skip[i] = p->clean;
		}
	free(src);
	return pj->made != NULL;
}

/* The topology checked: of a namespace of the same source as before,
 * the rules about it alone are not run again. Sources are known only of
 * a topology as its text says (not a kept lab's, with its overrides)
 * loaded without an error: elsewhere all rules run, as ever. */
static void
parse_job_check(struct parse_job *pj)
{
	size_t	 n = pj->topo->n_ns + 1;
	bool	*skip = NULL, *clean = NULL;

	if (pj->kind != LJOB_START && !pj->kept && pj->diags.n_errors == 0 &&
	    ((skip = calloc(n, sizeof(*skip))) == NULL ||
	    (clean = calloc(n, sizeof(*clean))) == NULL ||
	    !parse_job_sources(pj, skip))) {
		free(skip);
		free(clean);
		skip = clean = NULL;
	}
	topo_check_since(pj->topo, &pj->diags, skip, clean);
	for (size_t i = 0; clean && i + 1 < n; i++)
		pj->made[i].clean = clean[i];
	free(skip);
	free(clean);
}

/* The topology's namespaces compiled for their interests and digests:
 * of the same source as before, only those the pass will need. */
static void
parse_job_compile(struct parse_job *pj)
{
	if ((pj->digests = calloc(pj->topo->n_ns + 1,
	    sizeof(*pj->digests))) == NULL ||
	    (pj->interests = labs_interests_since(pj->topo, pj->digests,
	    &pj->d->memory, &pj->wants, pj->made)) == NULL)
		pj->nomem = true;
}

/* The text's digest, to know it again; an apply's text written (and
 * flushed) where its lab keeps it, to be renamed there if the lab takes
 * it, so that its pass need not wait for the disk. */
static void
parse_job_keep_text(struct parse_job *pj)
{
	state_text_digest(pj->text, pj->len, pj->digest, sizeof(pj->digest));
	if (pj->kind == LJOB_APPLY && state_stage_text(pj->text, pj->len,
	    pj->staged, sizeof(pj->staged)) < 0)
		pj->staged[0] = '\0';	/* the pass writes it, or says why */
}

/* The text loaded (by the parts that changed since the kept tree, with
 * ytree_reparse's FLAGS) and checked. */
static void
parse_job_load(struct parse_job *pj, unsigned flags)
{
	struct topo_prev	 prev = {
		.root = pj->prev_root, .topo = pj->prev_topo, .flags = flags
	};

	if (pj->text) {
		pj->topo = topo_load_buf_since(pj->file, pj->text, pj->len,
		    &prev, &pj->diags);
		pj->parts = prev.parts;
	} else
		pj->topo = topo_load(pj->file, &pj->diags);
	if (pj->topo)
		parse_job_check(pj);
	/* This host's part of a lab spread over several. */
	if (pj->topo && pj->diags.n_errors == 0)
		(void)host_localize_diag(pj->topo, pj->host, &pj->diags);
	/* What this kernel cannot make (netem), a VNI another lab uses
	 * here, refuse the lab whole. */
	if (pj->topo && pj->diags.n_errors == 0)
		impair_check_host(pj->topo, &pj->diags);
	if (pj->topo && pj->diags.n_errors == 0 && pj->kind != LJOB_START)
		host_check(pj->topo, &pj->diags);
	diag_sort(&pj->diags);
}

static void
parse_job_parse(struct parse_job *pj)
{
	/* vrfd's trees are its own: the parts that moved are lent too,
	 * at the lines they had; not for a lab with routing suites, whose
	 * files are checked in the pass against the tree's lines. */
	parse_job_load(pj, pj->prev_topo && services_any(pj->prev_topo) ?
	    0 : YTREE_LEND_MOVED);
	/* What is said of such a tree, now or when the routing suites'
	 * files are checked in the pass, is said again of the tree with
	 * every part at its line. */
	if (pj->topo && !ytree_exact(pj->topo->root) &&
	    (pj->diags.n > 0 || services_any(pj->topo))) {
		topo_free(pj->topo);
		pj->topo = NULL;
		free(pj->made);
		pj->made = NULL;
		diag_list_free(&pj->diags);
		pj->again = true;
		parse_job_load(pj, 0);
	}
	/* A kept file is the lab as kept: with what vrfctl link set
	 * changed since it was applied. */
	if (pj->topo && pj->diags.n_errors == 0 &&
	    (pj->kind == LJOB_START || pj->kept))
		(void)override_load_apply(pj->topo);
	if (pj->topo && pj->diags.n_errors == 0)
		parse_job_compile(pj);
}

static void *
parse_job_part(void *arg)
{
	struct parse_job	*pj = arg;
	size_t			 i;

	while ((i = parallel_take(&pj->next_part)) < 2) {
		if (i == 0)
			parse_job_parse(pj);
		else
			parse_job_keep_text(pj);
	}
	return NULL;
}

static void
parse_job_run(struct job *j)
{
	struct parse_job	*pj = j->arg;

	/* A text sent: kept by another thread while this one parses. */
	if (pj->text != NULL)
		parallel_run(parse_job_part, pj, parallel_cores() > 1 ? 2 : 1);
	else
		parse_job_parse(pj);
}

/* Start-up: a kept lab that cannot be read stays on disk, not kept. */
static void
parse_start_failed(struct parse_job *pj)
{
	for (size_t i = 0; i < pj->diags.n; i++) {
		const struct diag	*g = &pj->diags.v[i];

		log_warnx("%s:%u:%u: %s: %s%s%s", g->file, g->line, g->col,
		    g->level == DIAG_ERROR ? "error" : "warning", g->path,
		    g->path[0] ? ": " : "", g->msg);
	}
	log_warnx("%s: not converged: %s", pj->file, pj->topo &&
	    !pj->diags.n_errors ? "its lab has another name" :
	    "invalid topology");
}

static void
parse_job_done(struct job *j)
{
	struct parse_job	*pj = j->arg;
	struct dlab		*lab;
	struct ljob		*lj;
	struct ctl_reply	 r = { .ok = false };
	char			 want[TOPO_NAME_MAX + 1] = "";
	char			 why[700];

	if (pj->prev_root && pj->topo) {
		size_t	 same = 0;

		for (size_t i = 0; pj->made && i < pj->topo->n_ns; i++)
			same += pj->made[i].reused;
		log_debug("control", "%s: %s, %zu of %zu bodies read again, "
		    "%zu of %zu namespaces compiled", pj->file, pj->again ?
		    "parsed by the parts that changed, again with their "
		    "lines" : pj->parts ? "parsed by the parts that changed" :
		    "parsed whole", pj->topo->n_ns - pj->topo->n_taken,
		    pj->topo->n_ns, pj->topo->n_ns - same, pj->topo->n_ns);
	}
	if (pj->kind == LJOB_START || pj->kept) {
		/* The file is LAB.yaml: its lab must be that lab. */
		const char	*b = strrchr(pj->file, '/');

		snprintf(want, sizeof(want), "%.*s", (int)strcspn(b ? b + 1 :
		    pj->file, "."), b ? b + 1 : pj->file);
	}
	if (pj->topo == NULL || pj->diags.n_errors || pj->nomem ||
	    (want[0] && strcmp(pj->topo->lab, want) != 0)) {
		if (pj->kind == LJOB_START)
			parse_start_failed(pj);
		else {
			r.error = pj->nomem ? "out of memory" :
			    "invalid topology";
			if (!pj->nomem && pj->topo && !pj->diags.n_errors) {
				snprintf(why, sizeof(why), "%s declares lab "
				    "%s, not %s", pj->file, pj->topo->lab,
				    want);
				r.error = why;
			}
			r.diags = pj->diags;
			control_reply(pj->req, &r);
		}
		parse_job_free(pj);
		return;
	}
	if ((lab = labs_get(pj->d, pj->topo->lab)) == NULL ||
	    (lj = labs_job_new(lab, pj->kind, pj->req)) == NULL) {
		if (pj->req)
			request_error(pj->req, "out of memory");
		parse_job_free(pj);
		return;
	}
	/* Compiled for the interests: the pass takes them. */
	lj->n_wants = pj->topo->n_ns;
	lj->wants = lj->opts.wants = pj->wants;
	pj->wants = NULL;
	if (pj->kind == LJOB_START) {
		/* Kept already (on disk): so in memory before its pass. */
		if (labs_keep(lab, pj->topo, pj->interests, pj->made,
		    pj->digests) < 0) {
			log_warnx("%s: out of memory: not kept", lab->name);
			labs_job_free(lj);
			parse_job_free(pj);
			return;
		}
		memcpy(lab->digests, pj->digests, lab->topo->n_ns *
		    sizeof(*lab->digests));
		pj->topo = NULL;
		pj->interests = NULL;
		lj->reuse = true;
		lab->overrides = override_count(lab->topo);
	} else {
		lj->topo = pj->topo;
		lj->interests = pj->interests;
		lj->digests = pj->digests;
		lj->made = pj->made;
		pj->topo = NULL;
		pj->interests = NULL;
		pj->digests = NULL;
		pj->made = NULL;
	}
	lj->file = pj->file;
	lj->base = pj->base;
	lj->opts.base = lj->base;
	lj->text = pj->text;
	lj->len = pj->len;
	memcpy(lj->digest, pj->digest, sizeof(lj->digest));
	memcpy(lj->staged, pj->staged, sizeof(lj->staged));
	lj->opts.staged = lj->staged[0] ? lj->staged : NULL;
	pj->staged[0] = '\0';
	lj->diags = pj->diags;
	lj->opts.with_plan = pj->with_plan;
	lj->progress = pj->progress;
	lj->progress_after = pj->progress_after;
	pj->file = pj->text = pj->base = NULL;
	memset(&pj->diags, 0, sizeof(pj->diags));
	parse_job_free(pj);
	labs_job_submit(lj);
}

/* A job for FILE, of TEXT (NUL-terminated, LEN bytes; now the job's,
 * whatever the outcome) or, without, read from FILE. */
static struct parse_job *
parse_job_new(struct daemon *d, enum ljob_kind kind, struct control_req *h,
    const char *file, char *text, size_t len)
{
	struct parse_job	*pj;

	if ((pj = calloc(1, sizeof(*pj))) == NULL) {
		free(text);
		return NULL;
	}
	pj->d = d;
	pj->kind = kind;
	pj->req = h;
	pj->text = text;
	pj->len = len;
	if ((pj->file = strdup(file)) == NULL) {
		parse_job_free(pj);
		return NULL;
	}
	pj->job.run = parse_job_run;
	pj->job.done = parse_job_done;
	pj->job.arg = pj;
	return pj;
}

/* ---- plan and apply ------------------------------------------------- */

/* The kept lab whose last apply had this file and text (by its digest,
 * as vrfctl sends it first): its topology serves again, unparsed. */
static struct dlab *
request_same(struct daemon *d, const struct ctl_request *req)
{
	char		 digest[STATE_DIGEST_MAX] = "", path[600];
	const char	*want = req->digest;

	for (size_t i = 0; i < d->n_labs; i++) {
		struct dlab	*lab = d->labs[i];

		/* A plan of the file is of the file alone: not of what
		 * vrfctl link set changed, which an apply forgets. */
		if (req->cmd == CTL_PLAN && lab->overrides)
			continue;
		/* Nor for another host than the one it is kept as. */
		if (req->host && lab->topo && lab->topo->here >= 0 &&
		    strcmp(req->host, lab->topo->hosts[lab->topo->here].name))
			continue;
		if (!lab->kept || lab->file == NULL ||
		    strcmp(lab->file, req->file) != 0)
			continue;
		/* (A text of another length is not hashed.) */
		if (req->text != NULL && digest[0] == '\0' &&
		    lab->text_len == req->len) {
			state_text_digest(req->text, req->len, digest,
			    sizeof(digest));
			want = digest;
		}
		/* Its text is on disk as kept (the pass writes no other);
		 * gone from there, it is sent and kept again. */
		if (want != NULL && strcmp(lab->text_digest, want) == 0 &&
		    access(state_lab_path(lab->name, path, sizeof(path)),
		    F_OK) == 0)
			return lab;
	}
	return NULL;
}

/* LEN bytes of TEXT, NUL-terminated (a NUL in them stays, for the
 * parser to say where). */
static char *
request_text_copy(const char *text, size_t len)
{
	char	*copy;

	if ((copy = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

/* Does TEXT say `lab: NAME`? A guess made without parsing, to find
 * what it was before. */
static bool
request_names_lab(const char *text, size_t len, const char *name)
{
	char	 lab[TOPO_NAME_MAX + 1];

	return topo_text_lab(text, len, lab, sizeof(lab)) &&
	    strcmp(lab, name) == 0;
}

/* The kept lab last applied from the same file, or else of the name the
 * text seems to give: its tree, held, for the worker to parse only what
 * changed since (which parts, ytree_reparse finds by comparing the text
 * with the tree's cut of its own: whichever lab it is, the result is the
 * text's). None found: the text is parsed whole. */
static void
request_prev(struct daemon *d, const struct ctl_request *req,
    struct parse_job *pj)
{
	struct dlab	*lab = NULL;

	for (size_t i = 0; i < d->n_labs && lab == NULL; i++)
		if (d->labs[i]->file && strcmp(d->labs[i]->file,
		    req->file) == 0)
			lab = d->labs[i];
	for (size_t i = 0; i < d->n_labs && lab == NULL; i++)
		if (request_names_lab(pj->text, pj->len, d->labs[i]->name))
			lab = d->labs[i];
	if (lab != NULL) {
		if (!lab->kept || lab->topo == NULL ||
		    lab->topo->root == NULL)
			return;
		pj->prev_root = ytree_hold(lab->topo->root);
		pj->prev_topo = topo_hold(lab->topo);
		/* (without memory: every namespace compiled) */
		(void)labs_prev_take(lab, &pj->prev);
	}
}

static void
request_pass(struct daemon *d, const struct ctl_request *req,
    struct control_req *h)
{
	enum ljob_kind		 kind = req->cmd == CTL_PLAN ? LJOB_PLAN :
				    LJOB_APPLY;
	struct parse_job	*pj;
	struct dlab		*lab;
	struct ljob		*lj;
	char			*text, err[256];

	if ((lab = request_same(d, req)) != NULL) {
		if ((lj = labs_job_new(lab, kind, h)) == NULL) {
			request_error(h, "out of memory");
			return;
		}
		lj->reuse = true;
		/* The config files its routers name are read again, from
		 * this request's directory. */
		if (req->base != NULL && (lj->base = strdup(req->base)) ==
		    NULL) {
			labs_job_free(lj);
			request_error(h, "out of memory");
			return;
		}
		lj->opts.base = lj->base;
		lj->opts.with_plan = req->with_plan;
		lj->progress = req->progress;
		lj->progress_after = req->progress_after;
		/* Its warnings, as the first apply of this text had. */
		for (size_t i = 0; i < lab->diags.n; i++)
			diag_add(&lj->diags, lab->diags.v[i].level,
			    lab->diags.v[i].file, lab->diags.v[i].line,
			    lab->diags.v[i].col, lab->diags.v[i].path, "%s",
			    lab->diags.v[i].msg);
		labs_job_submit(lj);
		return;
	}
	if (req->text == NULL && !req->text_by_fd) {
		struct ctl_reply	 r = { .ok = false, .need_text = true };

		r.error = "no topology of that text is kept: send it";
		control_reply(h, &r);
		return;
	}
	/* Read from its descriptor now, into the job's own copy. */
	text = req->text_by_fd ? ctl_text_read(req->text_fd, req->len, err,
	    sizeof(err)) : request_text_copy(req->text, req->len);
	if (text == NULL) {
		request_error(h, req->text_by_fd ? err : "out of memory");
		return;
	}
	if ((pj = parse_job_new(d, kind, h, req->file, text,
	    req->len)) == NULL) {
		request_error(h, "out of memory");
		return;
	}
	pj->with_plan = req->with_plan;
	pj->progress = req->progress;
	if (req->host != NULL)
		snprintf(pj->host, sizeof(pj->host), "%s", req->host);
	if (req->base != NULL && (pj->base = strdup(req->base)) == NULL) {
		parse_job_free(pj);
		request_error(h, "out of memory");
		return;
	}
	pj->progress_after = req->progress_after;
	request_prev(d, req, pj);
	worker_submit(d->worker, &pj->job);
}

/* plan LAB: the topology kept for it, read as any file is. */
static void
request_plan_kept(struct daemon *d, const struct ctl_request *req,
    struct control_req *h)
{
	struct parse_job	*pj;
	char			 path[600], why[700];

	state_lab_path(req->lab, path, sizeof(path));
	if (access(path, F_OK) != 0) {
		snprintf(why, sizeof(why), "no topology of lab %s is kept (no "
		    "%s)", req->lab, path);
		request_error(h, why);
		return;
	}
	if ((pj = parse_job_new(d, LJOB_PLAN, h, path, NULL, 0)) == NULL) {
		request_error(h, "out of memory");
		return;
	}
	pj->kept = true;
	if (req->host != NULL)
		snprintf(pj->host, sizeof(pj->host), "%s", req->host);
	worker_submit(d->worker, &pj->job);
}

static void
request_destroy(struct daemon *d, const struct ctl_request *req,
    struct control_req *h)
{
	struct dlab	*lab;
	struct ljob	*lj;

	if ((lab = labs_get(d, req->lab)) == NULL ||
	    (lj = labs_job_new(lab, LJOB_DESTROY, h)) == NULL) {
		request_error(h, "out of memory");
		return;
	}
	labs_job_submit(lj);
}

/* link set: a lab vrfd keeps, an end of one of its links; the pass
 * waits for the lab's others. */
static void
request_link_set(struct daemon *d, const struct ctl_request *req,
    struct control_req *h)
{
	struct dlab	*lab = labs_find(d, req->lab);
	struct ljob	*lj;
	char		 why[200];

	if (lab == NULL || !lab->kept || lab->topo == NULL) {
		snprintf(why, sizeof(why), "lab %s is not kept on this host "
		    "(apply its file first)", req->lab);
		request_error(h, why);
		return;
	}
	/* Names only: a running pass changes no more than the states. */
	if (override_end(lab->topo, req->node, req->ifname, why,
	    sizeof(why)) < 0) {
		request_error(h, why);
		return;
	}
	if ((lj = labs_job_new(lab, LJOB_LINK, h)) == NULL) {
		request_error(h, "out of memory");
		return;
	}
	snprintf(lj->node, sizeof(lj->node), "%s", req->node);
	snprintf(lj->ifname, sizeof(lj->ifname), "%s", req->ifname);
	lj->down = req->down;
	labs_job_submit(lj);
}

/* ---- status ----------------------------------------------------------- */

struct status_job {
	struct job		 job;
	struct daemon		*d;
	struct control_req	*req;
	char			*lab;		/* NULL: all */
	struct status		*status;
};

static void
status_job_run(struct job *j)
{
	struct status_job	*sj = j->arg;

	sj->status = engine_status(sj->lab);
}

static void
status_job_done(struct job *j)
{
	struct status_job	*sj = j->arg;
	struct ctl_reply	 r = { .ok = false };

	if (sj->status == NULL ||
	    repair_status(sj->d, sj->status, sj->lab) < 0)
		r.error = "out of memory";
	else {
		r.ok = true;
		r.status = sj->status;
	}
	control_reply(sj->req, &r);
	status_free(sj->status);
	free(sj->lab);
	free(sj);
}

static void
request_status(struct daemon *d, const struct ctl_request *req,
    struct control_req *h)
{
	struct status_job	*sj;

	if ((sj = calloc(1, sizeof(*sj))) == NULL ||
	    (req->lab && (sj->lab = strdup(req->lab)) == NULL)) {
		free(sj);
		request_error(h, "out of memory");
		return;
	}
	sj->d = d;
	sj->req = h;
	sj->job.run = status_job_run;
	sj->job.done = status_job_done;
	sj->job.arg = sj;
	worker_submit(d->worker, &sj->job);
}

/* ---- the others ---------------------------------------------------------- */

static void
request_ping(struct daemon *d, struct control_req *h)
{
	struct ctl_reply	 r = { .ok = true };
	char			**names;

	if ((names = calloc(d->n_labs + 1, sizeof(*names))) == NULL) {
		request_error(h, "out of memory");
		return;
	}
	snprintf(r.ping.version, sizeof(r.ping.version), "%s", VRFD_VERSION);
	r.ping.pid = getpid();
	for (size_t i = 0; i < d->n_labs; i++)
		if (d->labs[i]->kept)
			names[r.ping.n_labs++] = d->labs[i]->name;
	r.ping.labs = names;
	control_reply(h, &r);
	free(names);
}

void
request_handle(void *arg, const struct ctl_request *req,
    struct control_req *h)
{
	struct daemon	*d = arg;
	char		 why[200];

	log_debug("control", "request %s", ctl_cmd_name(req->cmd));
	switch (req->cmd) {
	case CTL_PING:
		request_ping(d, h);
		break;
	case CTL_STATUS:
		request_status(d, req, h);
		break;
	case CTL_PLAN:
	case CTL_APPLY:
		if (req->host && d->conf.host[0] &&
		    strcmp(req->host, d->conf.host) != 0) {
			snprintf(why, sizeof(why), "this vrfd is host %s; "
			    "ask host %s's vrfd for its part", d->conf.host,
			    req->host);
			request_error(h, why);
		} else if (req->lab)
			request_plan_kept(d, req, h);
		else
			request_pass(d, req, h);
		break;
	case CTL_DESTROY:
		request_destroy(d, req, h);
		break;
	case CTL_LINK_SET:
		request_link_set(d, req, h);
		break;
	case CTL_EVENTS:
		/* control.c answers it */
		break;
	}
}

void
request_start_labs(struct daemon *d)
{
	struct parse_job	*pj;
	char			**labs, path[600];
	size_t			  n;
	int			  rv;

	state_unstage_all();
	if ((rv = state_list_labs(&labs, &n)) < 0) {
		log_warnx("%s: cannot list kept labs: %s", state_dir(),
		    strerror(-rv));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		state_lab_path(labs[i], path, sizeof(path));
		if ((pj = parse_job_new(d, LJOB_START, NULL, path, NULL,
		    0)) == NULL)
			log_warnx("%s: out of memory: not converged", path);
		else
			worker_submit(d->worker, &pj->job);
		free(labs[i]);
	}
	free(labs);
}
