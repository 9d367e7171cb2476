/*
 * topo_yaml_impair: `impair:`, what leaves an interface slowed, delayed
 * or spoiled, in three places:
 *
 *   links:
 *     - endpoints: [a:eth0, b:eth1]
 *       impair: {rate: 100mbit, burst: 32kb}     # both ends
 *     - endpoints: [a:eth1, c:eth0]
 *       impair:
 *         delay: 10ms                            # both ends, and
 *         a:eth1: {rate: 10mbit}                 # this end also
 *   routers:
 *     a:
 *       interfaces:
 *         eth0: {impair: {loss: 1%}}            # this interface
 *
 * An end's impairment is its link's, with its own in the link's map laid
 * over it key by key, then its interface's. Part of the loader: values
 * are read here (topo_impair.c knows their units), and the keys that need
 * another (burst a rate, jitter a delay) are checked once an end has all
 * of its own. That the host can do what is asked (netem) is the engine's
 * to say, not the file's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "ytree.h"

/* The smallest frame a burst must hold: tbf drops a larger one. */
#define TOPO_YAML_IMPAIR_FRAME	14		/* Ethernet header */
#define TOPO_YAML_IMPAIR_MTU	1500
#define TOPO_YAML_IMPAIR_BUCKET_S 274		/* 2^32 * 64 ns, down */

static const char *
topo_yaml_impair_expected(enum topo_imp_key k)
{
	switch (k) {
	case TOPO_IMP_RATE:
		return "expected a number and one of bit, kbit, mbit, gbit, "
		    "tbit, such as 100mbit";
	case TOPO_IMP_BURST:
	case TOPO_IMP_LIMIT:
		return "expected bytes, or a number and one of b, kb, mb, gb, "
		    "such as 32kb";
	case TOPO_IMP_DELAY:
	case TOPO_IMP_JITTER:
		return "expected a number and one of s, ms, us, such as 10ms";
	default:
		break;
	}
	return "expected a percentage such as 0.5%";
}

static const char *
topo_yaml_impair_range(enum topo_imp_key k)
{
	switch (k) {
	case TOPO_IMP_RATE:
		return "1kbit to 1tbit";
	case TOPO_IMP_BURST:
	case TOPO_IMP_LIMIT:
		return "1b to 4294967295b";
	case TOPO_IMP_DELAY:
	case TOPO_IMP_JITTER:
		return "0us to 60s";
	default:
		break;
	}
	return "0% to 100%";
}

/* The value N of key K into IMP. */
static void
topo_yaml_impair_value(struct topo_yaml *ty, const struct ynode *n,
    enum topo_imp_key k, struct topo_impair *imp)
{
	int	 rv;

	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return;
	if ((rv = topo_impair_parse(k, n->scalar, &imp->v[k])) == -ERANGE)
		topo_yaml_err(ty, n, "%s '%s' is out of range (%s)",
		    topo_impair_key(k), n->scalar, topo_yaml_impair_range(k));
	else if (rv < 0)
		topo_yaml_err(ty, n, "invalid %s '%s'; %s", topo_impair_key(k),
		    n->scalar, topo_yaml_impair_expected(k));
	else {
		imp->set |= 1u << k;
		imp->at[k] = n;
	}
}

/* The keys of MAP: the impairment keys, then EXTRA (NULL-ended, may be
 * NULL). VALS gets their values, TOPO_IMP_N + as many as EXTRA. */
static void
topo_yaml_impair_fields(struct topo_yaml *ty, const struct ynode *map,
    const char *const *extra, const struct ynode **vals)
{
	const char	*known[TOPO_IMP_N + 3];
	size_t		 n = 0;

	for (int k = 0; k < TOPO_IMP_N; k++)
		known[n++] = topo_impair_key((enum topo_imp_key)k);
	for (; extra != NULL && *extra != NULL && n < TOPO_IMP_N + 2; extra++)
		known[n++] = *extra;
	known[n] = NULL;
	topo_yaml_fields(ty, map, known, vals);
}

static void
topo_yaml_impair_read(struct topo_yaml *ty, const struct ynode **vals,
    struct topo_impair *imp)
{
	for (int k = 0; k < TOPO_IMP_N; k++)
		if (vals[k] != NULL)
			topo_yaml_impair_value(ty, vals[k],
			    (enum topo_imp_key)k, imp);
}

void
topo_yaml_impair(struct topo_yaml *ty, const struct ynode *map,
    struct topo_impair *imp)
{
	const struct ynode	*vals[TOPO_IMP_N + 3] = { NULL };

	if (!topo_yaml_want(ty, map, YNODE_MAP, true))
		return;
	topo_yaml_impair_fields(ty, map, NULL, vals);
	topo_yaml_impair_read(ty, vals, imp);
}

/* Has an error at N been told already (for the other end)? */
static bool
topo_yaml_impair_told(const struct ynode **told, size_t *n,
    const struct ynode *at)
{
	for (size_t i = 0; i < *n; i++)
		if (told[i] == at)
			return true;
	told[(*n)++] = at;
	return false;
}

/* What one end's impairment asks together: a burst or a limit needs a
 * rate; jitter and reorder need a delay (netem reorders by holding the
 * others back). */
static void
topo_yaml_impair_check(struct topo_yaml *ty, const struct topo_endpoint *ep,
    unsigned mtu, const struct ynode **told, size_t *n_told)
{
	static const struct { enum topo_imp_key k, needs; } rules[] = {
		{ TOPO_IMP_BURST, TOPO_IMP_RATE },
		{ TOPO_IMP_LIMIT, TOPO_IMP_RATE },
		{ TOPO_IMP_JITTER, TOPO_IMP_DELAY },
		{ TOPO_IMP_REORDER, TOPO_IMP_DELAY },
	};
	const struct topo_impair *imp = &ep->impair;
	const struct ynode	*at;

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (!(imp->set & (1u << rules[i].k)) ||
		    ((imp->set & (1u << rules[i].needs)) &&
		    imp->v[rules[i].needs] != 0))
			continue;
		at = imp->at[rules[i].k];
		if (topo_yaml_impair_told(told, n_told, at))
			continue;
		topo_yaml_err(ty, at, "'%s' needs a%s '%s', and %s:%s has "
		    "none", topo_impair_key(rules[i].k), rules[i].needs ==
		    TOPO_IMP_RATE ? "" : " non-zero",
		    topo_impair_key(rules[i].needs), ep->node, ep->ifname);
	}
	/* The kernel keeps the bucket as a time: 2^32 ticks of 64 ns. */
	if ((imp->set & (1u << TOPO_IMP_BURST)) &&
	    (imp->set & (1u << TOPO_IMP_RATE)) &&
	    imp->v[TOPO_IMP_BURST] * 8 / imp->v[TOPO_IMP_RATE] >=
	    TOPO_YAML_IMPAIR_BUCKET_S &&
	    !topo_yaml_impair_told(told, n_told, imp->at[TOPO_IMP_BURST])) {
		topo_yaml_err(ty, imp->at[TOPO_IMP_BURST], "burst %s takes "
		    "%llu s at rate %s; the kernel holds at most %d s",
		    imp->at[TOPO_IMP_BURST]->scalar, (unsigned long long)
		    (imp->v[TOPO_IMP_BURST] * 8 / imp->v[TOPO_IMP_RATE]),
		    imp->at[TOPO_IMP_RATE]->scalar,
		    TOPO_YAML_IMPAIR_BUCKET_S);
		return;
	}
	if ((imp->set & (1u << TOPO_IMP_BURST)) &&
	    imp->v[TOPO_IMP_BURST] < (uint64_t)mtu + TOPO_YAML_IMPAIR_FRAME &&
	    !topo_yaml_impair_told(told, n_told, imp->at[TOPO_IMP_BURST]))
		diag_at(ty->dl, DIAG_WARNING, ty->t->file,
		    imp->at[TOPO_IMP_BURST], "burst %s is less than a frame of "
		    "%s:%s (%u bytes): tbf drops every larger packet",
		    imp->at[TOPO_IMP_BURST]->scalar, ep->node, ep->ifname,
		    mtu + TOPO_YAML_IMPAIR_FRAME);
}

void
topo_yaml_impair_link(struct topo_yaml *ty, const struct ynode *map,
    struct topo_link *l)
{
	const struct ynode	*vals[TOPO_IMP_N + 3] = { NULL };
	const struct ynode	*told[4 * TOPO_IMP_N];
	const char		*ends[3] = { NULL };
	struct topo_impair	 both = { 0 }, own[2] = { { 0 }, { 0 } };
	size_t			 n_told = 0, n_ends = 0;
	int			 which[2] = { 0, 0 };	/* ends[i]: ep[which[i]] */

	if (topo_yaml_want(ty, map, YNODE_MAP, true)) {
		/* An end is named as the endpoints name it. */
		for (int e = 0; e < 2; e++) {
			const struct ynode	*yn = l->ep[e].yn;

			if (yn == NULL || yn->type != YNODE_SCALAR ||
			    (n_ends == 1 && strcmp(ends[0], yn->scalar) == 0))
				continue;
			which[n_ends] = e;
			ends[n_ends++] = yn->scalar;
		}
		topo_yaml_impair_fields(ty, map, ends, vals);
		topo_yaml_impair_read(ty, vals, &both);
		for (size_t i = 0; i < n_ends; i++)
			if (vals[TOPO_IMP_N + i] != NULL)
				topo_yaml_impair(ty, vals[TOPO_IMP_N + i],
				    &own[which[i]]);
	}
	for (int e = 0; e < 2; e++) {
		struct topo_endpoint	*ep = &l->ep[e];
		const struct topo_iface	*ifc = NULL;
		unsigned		 mtu;

		ep->impair = both;
		topo_impair_merge(&ep->impair, &own[e]);
		if ((ifc = topo_ep_iface(ep)) != NULL)
			topo_impair_merge(&ep->impair, &ifc->impair);
		if (ep->impair.set == 0)
			continue;
		mtu = ifc && ifc->mtu ? ifc->mtu : l->mtu ? l->mtu :
		    TOPO_YAML_IMPAIR_MTU;
		topo_yaml_impair_check(ty, ep, mtu, told, &n_told);
	}
}
