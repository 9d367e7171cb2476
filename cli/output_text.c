/*
 * output_text: what vrfctl prints for a person: reports of apply, plan
 * and destroy, the status of labs, and vrfd's events. Problems go to the
 * standard error, what was asked for to the standard output.
 *
 *   12:00:01.123 demo-ce1 (ce1) repair: route 10.8.0.0/16 deleted
 *       -> 1 change in 21.4 ms
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/report.h"
#include "output.h"
#include "proto/event.h"

static const char *
text_plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* ---- reports -------------------------------------------------------- */

static const struct report_ns *
text_ns_of(const struct report *r, const struct report_change *c)
{
	static const struct report_ns none;

	return c->ns < r->n_ns ? &r->ns[c->ns] : &none;
}

static void
text_errors(const struct report *r)
{
	for (size_t k = 0; k < r->n_list; k++) {
		const struct report_change *c = &r->list[k];

		if (c->err)
			fprintf(stderr, "error: %s: %s %s: %s\n",
			    text_ns_of(r, c)->name, report_op_name(c->op),
			    c->object ? c->object : "", c->error ? c->error :
			    "failed");
	}
	for (size_t i = 0; i < r->n_ns; i++)
		if (r->ns[i].error && r->ns[i].state != REPORT_NS_DELETED &&
		    r->ns[i].state != REPORT_NS_GHOST)
			fprintf(stderr, "error: %s: %s\n", r->ns[i].name,
			    r->ns[i].error);
}

static void
text_foreign(const struct report *r)
{
	bool	 title = false;

	for (size_t i = 0; i < r->n_ns; i++)
		for (size_t k = 0; k < r->ns[i].n_foreign; k++) {
			if (!title)
				printf("foreign objects (not vrfd's, left "
				    "alone):\n");
			title = true;
			printf("  %s: %s %s\n", r->ns[i].name,
			    r->ns[i].foreign[k].kind,
			    r->ns[i].foreign[k].what);
		}
}

/* A namespace the pass leaves alone: not the lab's, or unreadable. */
static bool
text_left_alone(const struct report_ns *rn)
{
	return rn->state == REPORT_NS_CONFLICT ||
	    rn->state == REPORT_NS_SKIPPED;
}

/* The first line of a plan: "no changes" only when the lab has converged;
 * what is in the way (a change an object not vrfd's blocks, a namespace
 * left alone) is counted there too, as apply would find it. */
/* "lab xh", or "lab xh on host a" for a lab spread over hosts. */
static const char *
text_lab(const struct report *r, char *buf, size_t len)
{
	if (r->host[0])
		snprintf(buf, len, "lab %s on host %s", r->lab, r->host);
	else
		snprintf(buf, len, "lab %s", r->lab);
	return buf;
}

static void
text_plan_head(const struct report *r)
{
	size_t	 blocked = 0, alone = 0;
	char	 lab[200];

	for (size_t k = 0; k < r->n_list; k++)
		blocked += r->list[k].err != 0;
	for (size_t i = 0; i < r->n_ns; i++)
		alone += text_left_alone(&r->ns[i]);
	if (r->changes == 0 && blocked == 0 && alone == 0) {
		if (r->host[0])
			printf("no changes on host %s\n", r->host);
		else
			printf("no changes\n");
		return;
	}
	printf("plan for %s: %zu change%s", text_lab(r, lab, sizeof(lab)),
	    r->changes, text_plural(r->changes));
	if (blocked)
		printf(", %zu blocked", blocked);
	if (alone)
		printf(", %zu namespace%s left alone", alone,
		    text_plural(alone));
	if (blocked || alone)
		printf("; it cannot converge");
	putchar('\n');
}

static void
text_plan(const struct report *r)
{
	text_plan_head(r);
	for (size_t k = 0; k < r->n_list; k++) {
		const struct report_change *c = &r->list[k];

		if (c->err == 0)
			printf("  %s: %s %s\n    %s\n", text_ns_of(r, c)->node,
			    report_op_name(c->op), c->object, c->command);
	}
	/* What will not be done: changes with something in their way,
	 * namespaces that are not the lab's. */
	for (size_t k = 0; k < r->n_list; k++) {
		const struct report_change *c = &r->list[k];

		if (c->err)
			printf("  %s: cannot %s %s: %s\n",
			    text_ns_of(r, c)->node, report_op_name(c->op),
			    c->object, c->error ? c->error : "failed");
	}
	for (size_t i = 0; i < r->n_ns; i++)
		if (text_left_alone(&r->ns[i]))
			printf("  %s: %s\n", r->ns[i].node,
			    r->ns[i].error ? r->ns[i].error : "left alone");
	text_foreign(r);
}

/* The processes a pass ended in the namespaces it removed, and those it
 * left because they only hold one open. */
static void
text_procs(const struct report *r)
{
	for (size_t i = 0; i < r->n_ns; i++) {
		const struct report_ns	*rn = &r->ns[i];

		if (rn->state == REPORT_NS_GHOST)
			printf("  %s: an older namespace of %s, no longer under "
			    "/run/netns: %s\n", rn->name, rn->node, rn->held ?
			    "still held open" : "gone with its processes");
		else if (rn->held)
			printf("  %s: still held by something after its "
			    "processes ended: its links were deleted\n",
			    rn->name);
		for (size_t k = 0; k < rn->n_procs; k++) {
			const struct report_proc *p = &rn->procs[k];

			if (p->inside)
				printf("  %s: ended pid %d (%s)%s\n", rn->name,
				    (int)p->pid, p->comm, p->killed ?
				    " with SIGKILL" : "");
			else
				printf("  %s: pid %d (%s) holds it open; left "
				    "alone\n", rn->name, (int)p->pid, p->comm);
		}
	}
}

static void
text_destroy(const struct report *r)
{
	size_t	 removed = 0;
	char	 lab[200];

	for (size_t i = 0; i < r->n_ns; i++)
		removed += r->ns[i].state == REPORT_NS_DELETED;
	printf("destroy: %s: %zu namespace%s removed%s\n", text_lab(r, lab,
	    sizeof(lab)), removed, text_plural(removed), r->failed ?
	    " (some failed)" : "");
	text_procs(r);
	text_errors(r);
}

static void
text_apply(const struct report *r)
{
	size_t	 unchanged = 0;
	char	 lab[200];

	for (size_t i = 0; i < r->n_ns; i++) {
		const struct report_ns	*rn = &r->ns[i];

		if (rn->state == REPORT_NS_UNCHANGED) {
			unchanged++;
			continue;
		}
		printf("%-24s %-16s %s, %zu change%s%s\n", rn->name, rn->node,
		    report_ns_state_name(rn->state), rn->changes,
		    text_plural(rn->changes), rn->failed ? " (some failed)" :
		    "");
	}
	text_procs(r);
	text_errors(r);
	printf("%s: %s: %zu change%s, %zu failed, %zu of %zu namespaces "
	    "unchanged; %s\n", report_action_name(r->action),
	    text_lab(r, lab, sizeof(lab)), r->changes, text_plural(r->changes), r->failed, unchanged, r->n_ns,
	    r->converged ? "converged" : "NOT converged");
}

static void
text_report(const struct report *r)
{
	if (r->error)
		fprintf(stderr, "vrfctl: %s: %s\n", report_action_name(r->action),
		    r->error);
	switch (r->action) {
	case REPORT_PLAN:
		text_plan(r);
		break;
	case REPORT_DESTROY:
		text_destroy(r);
		break;
	case REPORT_APPLY:
		text_apply(r);
		break;
	}
}

/* ---- status ---------------------------------------------------------- */

static void
text_ns_state(const struct status_lab *sl, const struct status_ns *sn,
    char *buf, size_t len)
{
	if (sn->conflict)
		snprintf(buf, len, "conflict");
	else if (sn->error)
		snprintf(buf, len, "unreadable");
	else if (!sn->exists)
		snprintf(buf, len, "missing");
	else if (!sn->declared && sl->topology)
		snprintf(buf, len, "undeclared");
	else if (!sn->known)
		snprintf(buf, len, "unknown");
	else if (sn->differences == 0)
		snprintf(buf, len, "converged");
	else if (sn->differences == sn->n_conflicts)
		snprintf(buf, len, "%zu conflict%s", sn->n_conflicts,
		    text_plural(sn->n_conflicts));
	else if (snprintf(buf, len, "%zu difference%s", sn->differences,
	    text_plural(sn->differences)) >= (int)len)
		snprintf(buf, len, "differs");
}

/* What is in the way, as plan says it, then what differs. */
static void
text_ns_diffs(const struct status_ns *sn)
{
	for (size_t c = 0; c < sn->n_conflicts; c++)
		printf("%s: %s\n", sn->name, sn->conflicts[c]);
	for (size_t d = 0; d < sn->n_diffs; d++)
		printf("%s: %s\n", sn->name, sn->diffs[d]);
	if (sn->diffs_more)
		printf("%s: and %zu more difference%s\n", sn->name,
		    sn->diffs_more, text_plural(sn->diffs_more));
}

/* "frr-r1: services zebra 1234, ospfd not running". */
static void
text_ns_services(const struct status_ns *sn)
{
	if (sn->n_svcs == 0)
		return;
	printf("%s: services", sn->name);
	for (size_t k = 0; k < sn->n_svcs; k++) {
		printf("%s %s ", k ? "," : "", sn->svcs[k].name);
		if (sn->svcs[k].pid > 0)
			printf("%d", (int)sn->svcs[k].pid);
		else
			printf("not running");
	}
	putchar('\n');
}

/* What vrfctl link set changed, and holds until the next apply. */
static void
text_ns_overrides(const struct status_ns *sn)
{
	for (size_t k = 0; k < sn->n_overrides; k++)
		printf("%s: interface %s %s by vrfctl link set, until the next "
		    "apply\n", sn->name, sn->overrides[k].ifname,
		    sn->overrides[k].down ? "down" : "up");
}

static const char	*text_time(double, char *, size_t);

/* A lab spread over hosts: which one this is, and its tunnels, each
 * with what verify last found across it. */
static void
text_status_host(const struct status_lab *sl)
{
	char	 when[32];

	if (sl->host[0] == '\0')
		return;
	printf("%s: host %s (underlay %s)\n", sl->lab, sl->host,
	    sl->underlay);
	for (size_t k = 0; k < sl->n_tunnels; k++) {
		const struct status_tunnel	*tu = &sl->tunnels[k];

		printf("%s: tunnel %s:%s to host %s (%s, %s), vni %u: ",
		    sl->lab, tu->node, tu->ifname, tu->far_host, tu->far,
		    tu->remote, tu->vni);
		if (tu->probe_time <= 0)
			printf("not probed yet (vrfctl verify probes it)\n");
		else if (strcmp(tu->probe_result, "reply") == 0)
			printf("last probe %s: reply in %.2f ms\n", text_time(
			    tu->probe_time, when, sizeof(when)),
			    tu->probe_rtt_ms);
		else
			printf("last probe %s: %s\n", text_time(tu->probe_time,
			    when, sizeof(when)), tu->probe_result);
	}
}

static void
text_status(const struct status *s)
{
	bool	 daemon = false;

	if (s->n_labs == 0) {
		printf("no labs\n");
		return;
	}
	/* Columns the daemon adds only when it answered. */
	for (size_t k = 0; k < s->n_labs; k++)
		daemon |= s->labs[k].has_daemon;
	printf("%-12s %-24s %-16s %-16s %7s", "LAB", "NAMESPACE", "NODE",
	    "STATE", "FOREIGN");
	if (daemon)
		printf(" %-7s %7s  %s", "WATCHED", "REPAIRS", "LAST DRIFT");
	putchar('\n');
	for (size_t k = 0; k < s->n_labs; k++) {
		const struct status_lab	*sl = &s->labs[k];

		for (size_t j = 0; j < sl->n_ns; j++) {
			const struct status_ns	*sn = &sl->ns[j];
			char			 state[32];

			text_ns_state(sl, sn, state, sizeof(state));
			printf("%-12s %-24s %-16s %-16s %7zu", sl->lab,
			    sn->name, sn->node, state, sn->n_foreign);
			if (daemon)
				printf(" %-7s %7u  %s", sn->watched ? "yes" :
				    "no", sn->repairs, sn->drift_time > 0 ?
				    sn->drift_what : "-");
			putchar('\n');
		}
		for (size_t j = 0; j < sl->n_ns; j++)
			text_ns_diffs(&sl->ns[j]);
		for (size_t j = 0; j < sl->n_ns; j++)
			text_ns_overrides(&sl->ns[j]);
		for (size_t j = 0; j < sl->n_ns; j++)
			text_ns_services(&sl->ns[j]);
		for (size_t j = 0; j < sl->n_ns; j++) {
			const struct status_ns	*sn = &sl->ns[j];

			if (sn->n_ghost_pids == 0)
				continue;
			printf("%s: an older namespace of %s, no longer under "
			    "/run/netns, is held by pid", sn->name, sn->node);
			printf("%s", sn->n_ghost_pids > 1 ? "s" : "");
			for (size_t g = 0; g < sn->n_ghost_pids; g++)
				printf("%s %d", g ? "," : "",
				    (int)sn->ghost_pids[g]);
			printf(" (destroy ends the processes inside it)\n");
		}
		text_status_host(sl);
		if (!sl->topology)
			printf("%s: no stored topology: apply it again to "
			    "compare\n", sl->lab);
	}
}

/* ---- events ---------------------------------------------------------- */

/* A wall time as "14:00:01.123", local. */
static const char *
text_time(double t, char *buf, size_t len)
{
	time_t		 s;
	struct tm	 tm;
	int		 ms;

	report_time_ms(t, &s, &ms);
	localtime_r(&s, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, ms);
	return buf;
}

static void
text_event(const struct event *ev)
{
	char	 tbuf[32];

	printf("%s %s (%s) %s: %s", text_time(ev->time, tbuf, sizeof(tbuf)),
	    ev->ns, ev->node, event_type_name(ev->type), ev->what);
	if (ev->type == EVENT_BACKOFF) {
		printf(" -> %u repairs undone; next repair in %u ms\n",
		    ev->repairs, ev->backoff_ms);
		return;
	}
	if (ev->type == EVENT_SERVICE) {
		printf("\n");
		return;
	}
	printf(" -> %zu change%s", ev->changes, text_plural(ev->changes));
	if (ev->failed)
		printf(", %zu failed", ev->failed);
	printf(" in %.1f ms", ev->repair_ms);
	if (ev->error)
		printf(" (%s)", ev->error);
	printf("\n");
}

const struct output output_text = {
	.report = text_report,
	.status = text_status,
	.event = text_event,
};
