/*
 * report: the typed answers of the core (see report.h): their words, the
 * growing of their lists, and freeing them whole.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const report_actions[] = {
	[REPORT_PLAN] = "plan",
	[REPORT_APPLY] = "apply",
	[REPORT_DESTROY] = "destroy",
};

static const char *const report_ops[] = {
	[REPORT_OP_CREATE] = "create",
	[REPORT_OP_DELETE] = "delete",
	[REPORT_OP_ADD] = "add",
	[REPORT_OP_REPLACE] = "replace",
	[REPORT_OP_SET] = "set",
};

static const char *const report_ns_states[] = {
	[REPORT_NS_UNCHANGED] = "unchanged",
	[REPORT_NS_CHANGED] = "changed",
	[REPORT_NS_CREATED] = "created",
	[REPORT_NS_DELETED] = "deleted",
	[REPORT_NS_GONE] = "gone",
	[REPORT_NS_CONFLICT] = "conflict",
	[REPORT_NS_SKIPPED] = "skipped",
	[REPORT_NS_GHOST] = "ghost",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static bool
report_word(const char *const *words, size_t n, const char *s, int *out)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(words[i], s) == 0) {
			*out = (int)i;
			return true;
		}
	return false;
}

const char *
report_action_name(enum report_action a)
{
	return (size_t)a < NELEM(report_actions) ? report_actions[a] : "?";
}

const char *
report_op_name(enum report_op o)
{
	return (size_t)o < NELEM(report_ops) ? report_ops[o] : "?";
}

const char *
report_ns_state_name(enum report_ns_state s)
{
	return (size_t)s < NELEM(report_ns_states) ? report_ns_states[s] : "?";
}

bool
report_action_from(const char *s, enum report_action *out)
{
	int	 v;

	if (!report_word(report_actions, NELEM(report_actions), s, &v))
		return false;
	*out = (enum report_action)v;
	return true;
}

bool
report_op_from(const char *s, enum report_op *out)
{
	int	 v;

	if (!report_word(report_ops, NELEM(report_ops), s, &v))
		return false;
	*out = (enum report_op)v;
	return true;
}

bool
report_ns_state_from(const char *s, enum report_ns_state *out)
{
	int	 v;

	if (!report_word(report_ns_states, NELEM(report_ns_states), s, &v))
		return false;
	*out = (enum report_ns_state)v;
	return true;
}

/* One more zeroed element of size SIZE at the end of *V (N of them):
 * room doubles at powers of two. */
static void *
report_grow(void **v, size_t *n, size_t size)
{
	char	*nv;

	if ((*n & (*n - 1)) == 0) {
		if ((nv = reallocarray(*v, *n ? 2 * *n : 1, size)) == NULL)
			return NULL;
		*v = nv;
	}
	nv = (char *)*v + *n * size;
	memset(nv, 0, size);
	(*n)++;
	return nv;
}

struct report_ns *
report_ns_add(struct report *r)
{
	return report_grow((void **)&r->ns, &r->n_ns, sizeof(*r->ns));
}

struct report_change *
report_change_add(struct report *r)
{
	return report_grow((void **)&r->list, &r->n_list, sizeof(*r->list));
}

struct report_object *
report_object_add(struct report_object **v, size_t *n)
{
	return report_grow((void **)v, n, sizeof(**v));
}

struct status_lab *
status_lab_add(struct status *s)
{
	return report_grow((void **)&s->labs, &s->n_labs, sizeof(*s->labs));
}

struct status_ns *
status_ns_add(struct status_lab *l)
{
	return report_grow((void **)&l->ns, &l->n_ns, sizeof(*l->ns));
}

struct status_override *
status_override_add(struct status_ns *sn)
{
	return report_grow((void **)&sn->overrides, &sn->n_overrides,
	    sizeof(*sn->overrides));
}

struct status_tunnel *
status_tunnel_add(struct status_lab *l)
{
	return report_grow((void **)&l->tunnels, &l->n_tunnels,
	    sizeof(*l->tunnels));
}

struct report *
report_failed(enum report_action act, const char *lab, int err,
    const char *fmt, ...)
{
	struct report	*r;
	va_list		 ap;
	int		 n;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->action = act;
	r->err = err < 0 ? err : -EIO;
	snprintf(r->lab, sizeof(r->lab), "%s", lab ? lab : "");
	va_start(ap, fmt);
	n = vasprintf(&r->error, fmt, ap);
	va_end(ap);
	if (n < 0) {
		free(r);
		return NULL;
	}
	return r;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_ns; i++) {
		free(r->ns[i].foreign);
		free(r->ns[i].error);
		free(r->ns[i].procs);
	}
	for (size_t k = 0; k < r->n_list; k++) {
		free(r->list[k].object);
		free(r->list[k].command);
		free(r->list[k].error);
	}
	free(r->ns);
	free(r->list);
	free(r->error);
	free(r);
}

void
status_free(struct status *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n_labs; i++) {
		struct status_lab	*l = &s->labs[i];

		for (size_t k = 0; k < l->n_ns; k++) {
			free(l->ns[k].foreign);
			free(l->ns[k].error);
			free(l->ns[k].ghost_pids);
			free(l->ns[k].svcs);
			free(l->ns[k].overrides);
			for (size_t c = 0; c < l->ns[k].n_conflicts; c++)
				free(l->ns[k].conflicts[c]);
			free(l->ns[k].conflicts);
			for (size_t c = 0; c < l->ns[k].n_diffs; c++)
				free(l->ns[k].diffs[c]);
			free(l->ns[k].diffs);
		}
		free(l->ns);
		free(l->tunnels);
		free(l->topology);
	}
	free(s->labs);
	free(s);
}

/* Rounded, not cut: 0.123 is 0.12299... as a double. */
void
report_time_ms(double t, time_t *sec, int *ms)
{
	long long	 all = (long long)(t * 1000.0 + (t < 0 ? -0.5 : 0.5));
	long long	 s = all / 1000, m = all % 1000;

	if (m < 0) {
		m += 1000;
		s--;
	}
	*sec = (time_t)s;
	*ms = (int)m;
}
