/*
 * topo_yaml_svc: what a node runs: `exec` (one-shot commands), `services`
 * (commands kept running), `frr` and `bird` (routing suites). Part of the
 * loader (topo_yaml_ns_body calls it for routers and VRFs). Only the form
 * is checked here; config files are read and checked by the engine when
 * the lab is applied (engine/services.c), against the file they are in.
 */
#include <stdlib.h>
#include <string.h>

#include "topo.h"
#include "topo_priv.h"
#include "util/strcopy.h"
#include "ytree.h"

/* FRR's daemons that a node may name; zebra always runs. */
static const char *const topo_frr_daemons[] = {
	"zebra", "staticd", "ospfd", "ospf6d", "bgpd", "isisd", "ripd",
	"ripngd", "bfdd", "eigrpd", "babeld", "ldpd", "pimd", "pim6d",
	"fabricd", "vrrpd", "pbrd", "nhrpd", "pathd", NULL
};

static void
topo_yaml_execs(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *seq)
{
	const char	**v;
	size_t		  i;

	if (!topo_yaml_want(ty, seq, YNODE_SEQ, true))
		return;
	for (i = 0; i < seq->n && !ty->nomem; i++) {
		if (!topo_yaml_want(ty, seq->items[i], YNODE_SCALAR, false))
			continue;
		if (seq->items[i]->scalar[0] == '\0') {
			topo_yaml_err(ty, seq->items[i], "an empty command");
			continue;
		}
		if ((v = topo_yaml_grow(ty, ns->execs, ns->n_execs,
		    sizeof(*v))) == NULL)
			return;
		ns->execs = v;
		ns->execs[ns->n_execs++] = seq->items[i]->scalar;
	}
}

static bool
topo_yaml_restart(struct topo_yaml *ty, const struct ynode *n,
    enum topo_restart *r)
{
	static const char *const names[] = { "always", "on-failure", "never" };
	size_t	 i;

	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return false;
	for (i = 0; i < 3; i++)
		if (strcmp(n->scalar, names[i]) == 0) {
			*r = (enum topo_restart)i;
			return true;
		}
	topo_yaml_err(ty, n, "unknown restart policy '%s'; expected always, "
	    "on-failure or never", n->scalar);
	return false;
}

static bool
topo_yaml_env(struct topo_yaml *ty, const struct ynode *map,
    struct topo_service *s)
{
	size_t	 i;

	if (!topo_yaml_want(ty, map, YNODE_MAP, true) || map->type != YNODE_MAP)
		return map == NULL || ynode_is_null(map);
	if ((s->env = calloc(map->n + 1, sizeof(*s->env))) == NULL) {
		ty->nomem = true;
		return false;
	}
	for (i = 0; i < map->n; i++) {
		const struct ynode	*k = ynode_keys(map)[i];

		if (!topo_yaml_want(ty, map->items[i], YNODE_SCALAR, false))
			return false;
		if (k->scalar[0] == '\0' || strchr(k->scalar, '=') != NULL) {
			topo_yaml_err(ty, k, "'%s' is not an environment "
			    "variable name", k->scalar);
			return false;
		}
		s->env[s->n_env].key = k->scalar;
		s->env[s->n_env++].value = map->items[i]->scalar;
	}
	return true;
}

static void
topo_yaml_service(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	enum { F_NAME, F_COMMAND, F_RESTART, F_ENV, F_N };
	static const char *const keys[] = { "name", "command", "restart",
	    "environment", NULL };
	const struct ynode	*f[F_N] = { NULL };
	struct topo_service	 s, *v;
	size_t			 i;
	bool			 ok = true;

	if (!topo_yaml_want(ty, map, YNODE_MAP, false))
		return;
	topo_yaml_fields(ty, map, keys, f);
	memset(&s, 0, sizeof(s));
	s.node = map;
	if (f[F_NAME] == NULL) {
		topo_yaml_missing(ty, map, "name");
		ok = false;
	} else if (!topo_yaml_want(ty, f[F_NAME], YNODE_SCALAR, false))
		ok = false;
	else if (!topo_valid_name(f[F_NAME]->scalar)) {
		topo_yaml_err(ty, f[F_NAME], "invalid service name '%s': 1 to "
		    "32 of a-z, 0-9, '-', '_'", f[F_NAME]->scalar);
		ok = false;
	} else {
		str_copy(s.name, sizeof(s.name), f[F_NAME]->scalar);
		for (i = 0; i < ns->n_services; i++)
			if (strcmp(ns->services[i].name, s.name) == 0) {
				topo_yaml_err(ty, f[F_NAME], "a second service "
				    "named '%s'", s.name);
				ok = false;
			}
	}
	if (f[F_COMMAND] == NULL) {
		topo_yaml_missing(ty, map, "command");
		ok = false;
	} else if (!topo_yaml_want(ty, f[F_COMMAND], YNODE_SCALAR, false))
		ok = false;
	else
		s.command = f[F_COMMAND]->scalar;
	if (f[F_RESTART] != NULL && !topo_yaml_restart(ty, f[F_RESTART],
	    &s.restart))
		ok = false;
	if (!topo_yaml_env(ty, f[F_ENV], &s))
		ok = false;
	if (!ok || (v = topo_yaml_grow(ty, ns->services, ns->n_services,
	    sizeof(*v))) == NULL) {
		free(s.env);
		return;
	}
	ns->services = v;
	ns->services[ns->n_services++] = s;
}

static bool
topo_yaml_frr_daemon(const char *name)
{
	size_t	 i;

	for (i = 0; topo_frr_daemons[i] != NULL; i++)
		if (strcmp(topo_frr_daemons[i], name) == 0)
			return true;
	return false;
}

/*
 * `frr:` or `bird:`: a file name, or a map with `config` (a file name),
 * `text` (the configuration itself) and, for FRR, `daemons`.
 */
static void
topo_yaml_suite(struct topo_yaml *ty, const struct ynode *n,
    struct topo_suite *su, bool frr)
{
	enum { F_CONFIG, F_TEXT, F_DAEMONS, F_N };
	static const char *const frr_keys[] = { "config", "text", "daemons",
	    NULL };
	static const char *const bird_keys[] = { "config", "text", NULL };
	const struct ynode	*f[F_N] = { NULL }, *d;
	size_t			 i;

	su->node = n;
	if (n->type == YNODE_SCALAR && !ynode_is_null(n)) {
		su->file = n->scalar;
		su->set = true;
		return;
	}
	if (!topo_yaml_want(ty, n, YNODE_MAP, false))
		return;
	topo_yaml_fields(ty, n, frr ? frr_keys : bird_keys, f);
	if ((f[F_CONFIG] == NULL) == (f[F_TEXT] == NULL)) {
		topo_yaml_err(ty, n, "give either 'config' (a file) or 'text' "
		    "(the configuration itself)");
		return;
	}
	if (f[F_CONFIG] != NULL && topo_yaml_want(ty, f[F_CONFIG],
	    YNODE_SCALAR, false))
		su->file = f[F_CONFIG]->scalar;
	if (f[F_TEXT] != NULL && topo_yaml_want(ty, f[F_TEXT], YNODE_SCALAR,
	    false))
		su->text = f[F_TEXT]->scalar;
	if ((d = f[F_DAEMONS]) != NULL && topo_yaml_want(ty, d, YNODE_SEQ,
	    false)) {
		if (d->n > TOPO_FRR_DAEMONS_MAX) {
			topo_yaml_err(ty, d, "at most %d daemons",
			    TOPO_FRR_DAEMONS_MAX);
			return;
		}
		for (i = 0; i < d->n; i++) {
			if (!topo_yaml_want(ty, d->items[i], YNODE_SCALAR,
			    false))
				return;
			if (!topo_yaml_frr_daemon(d->items[i]->scalar)) {
				topo_yaml_err(ty, d->items[i], "unknown FRR "
				    "daemon '%s'", d->items[i]->scalar);
				return;
			}
			str_copy(su->daemons[su->n_daemons++], 16,
			    d->items[i]->scalar);
		}
	}
	su->set = su->file != NULL || su->text != NULL;
}

void
topo_yaml_ns_software(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	const struct ynode	*n;
	size_t			 i;

	if ((n = ynode_get(map, "exec")) != NULL)
		topo_yaml_execs(ty, ns, n);
	n = ynode_get(map, "services");
	if (n != NULL && topo_yaml_want(ty, n, YNODE_SEQ, true))
		for (i = 0; i < n->n && !ty->nomem; i++)
			topo_yaml_service(ty, ns, n->items[i]);
	if ((n = ynode_get(map, "frr")) != NULL)
		topo_yaml_suite(ty, n, &ns->frr, true);
	if ((n = ynode_get(map, "bird")) != NULL)
		topo_yaml_suite(ty, n, &ns->bird, false);
}
