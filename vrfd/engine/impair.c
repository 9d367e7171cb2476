/*
 * impair: the host check of impairments (impair.h). The kernel is asked
 * once per process (kernel/qdisc_probe.c), and only if the topology needs
 * the kind at all.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "impair.h"
#include "kernel/qdisc_probe.h"
#include "topo/diag.h"
#include "topo/topo.h"

/* Has the key at N been told of (the same key serves both ends of a
 * link's map)? Else it is from now on. */
static bool
impair_told(const struct ynode ***told, size_t *n, const struct ynode *at)
{
	const struct ynode	**v;

	for (size_t i = 0; i < *n; i++)
		if ((*told)[i] == at)
			return true;
	if ((v = reallocarray(*told, *n + 1, sizeof(*v))) != NULL) {
		*told = v;
		v[(*n)++] = at;
	}
	return false;
}

/* Every key of MASK of every link end, once: an error each, unless the
 * kernel can make KIND (or cannot be asked). */
static void
impair_check_kind(const struct topo *t, struct diag_list *dl, unsigned mask,
    enum ks_qdisc_kind kind, const char *what)
{
	const struct topo_endpoint	*ep;
	const struct ynode		**told = NULL;
	size_t				 n_told = 0;
	int				 known = -1;

	for (size_t i = 0; i < t->n_links; i++)
		for (int e = 0; e < 2; e++) {
			ep = &t->links[i].ep[e];
			if (!(ep->impair.set & mask))
				continue;
			if (known < 0 && (known = qdisc_probe(kind)) != 0)
				goto out;	/* it can, or cannot be told */
			for (int k = 0; k < TOPO_IMP_N; k++) {
				if (!(ep->impair.set & mask & (1u << k)) ||
				    impair_told(&told, &n_told,
				    ep->impair.at[k]))
					continue;
				diag_at(dl, DIAG_ERROR, t->file,
				    ep->impair.at[k], "'%s' needs %s, which "
				    "this kernel lacks (module %s)",
				    topo_impair_key((enum topo_imp_key)k),
				    what, qdisc_probe_module(kind));
			}
		}
out:
	free(told);
}

void
impair_check_host(const struct topo *t, struct diag_list *dl)
{
	impair_check_kind(t, dl, TOPO_IMP_NETEM, KS_QDISC_NETEM,
	    "the netem qdisc");
	impair_check_kind(t, dl, 1u << TOPO_IMP_RATE, KS_QDISC_TBF,
	    "the tbf qdisc");
}
