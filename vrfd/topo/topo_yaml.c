/*
 * topo_yaml: the topology schema, from a YAML tree (ytree.c) to struct topo.
 *
 * First step of the flow: load -> check -> compile. Scalars are read by the
 * schema (a MAC is a string, `yes` is a bool only where a bool is expected),
 * every problem becomes a diagnostic at the node it is about, and reading
 * goes on so that one run shows them all. Cross-object rules (duplicates,
 * links, namespace names, gateways) are topo_check.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"
#include "topo.h"
#include "topo_priv.h"
#include "util/strcopy.h"
#include "ytree.h"

#define TOPO_SYSCTL_KEY_MAX	127	/* what compile.c can carry */
#define TOPO_SYSCTL_VAL_MAX	63
#define TOPO_YAML_STR(x)	#x
#define TOPO_YAML_XSTR(x)	TOPO_YAML_STR(x)

static const char *const topo_yaml_root_keys[] = {
	"lab", "hosts", "defaults", "routers", "switches", "links", "expect",
	"addressing", NULL
};
static const char *const topo_yaml_router_keys[] = {
	"interfaces", "routes", "neighbours", "sysctl", "vrfs", "exec",
	"services", "frr", "bird", "host", NULL
};
static const char *const topo_yaml_vrf_keys[] = {
	"interfaces", "routes", "neighbours", "sysctl", "exec", "services",
	"frr", "bird", NULL
};
/* The same and `host`, which has an error of its own in a VRF. */
static const char *const topo_yaml_vrf_keys_host[] = {
	"interfaces", "routes", "neighbours", "sysctl", "exec", "services",
	"frr", "bird", "host", NULL
};

static void	topo_yaml_verr(struct topo_yaml *, const struct ynode *,
		    const struct ynode *, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

static void
topo_yaml_verr(struct topo_yaml *ty, const struct ynode *n,
    const struct ynode *in, const char *fmt, va_list ap)
{
	char	*msg;

	if (vasprintf(&msg, fmt, ap) == -1) {
		ty->nomem = true;
		return;
	}
	diag_in(ty->dl, DIAG_ERROR, ty->t->file, n->line, n->col,
	    in ? in : n, "%s", msg);
	free(msg);
}

void
topo_yaml_err(struct topo_yaml *ty, const struct ynode *n, const char *fmt,
    ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	topo_yaml_verr(ty, n, NULL, fmt, ap);
	va_end(ap);
}

void
topo_yaml_err_in(struct topo_yaml *ty, const struct ynode *n,
    const struct ynode *in, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	topo_yaml_verr(ty, n, in, fmt, ap);
	va_end(ap);
}

void *
topo_yaml_grow(struct topo_yaml *ty, void *v, size_t n, size_t size)
{
	void	*nv = v;

	/* Room doubles when N is a power of two, so that n stays the only
	 * size kept: growing by one copied a lab's namespaces and links
	 * over and over. */
	if ((n & (n - 1)) == 0 &&
	    (nv = reallocarray(v, n ? 2 * n : 1, size)) == NULL) {
		ty->nomem = true;
		return NULL;
	}
	memset((char *)nv + n * size, 0, size);
	return nv;
}

static const char *
topo_yaml_iface_name(const struct nameidx *x, size_t i)
{
	return KEYIDX_OWNER(x, const struct topo_ns, iface_names)->ifaces[i].
	    name;
}

struct topo_iface *
topo_yaml_iface_add(struct topo_yaml *ty, struct topo_ns *ns,
    const char *name)
{
	struct topo_iface	*v;

	if ((v = topo_yaml_grow(ty, ns->ifaces, ns->n_ifaces,
	    sizeof(*v))) == NULL)
		return NULL;
	ns->ifaces = v;
	v = &ns->ifaces[ns->n_ifaces];
	str_copy(v->name, sizeof(v->name), name);
	if (ns->iface_names.name == NULL)
		nameidx_init(&ns->iface_names, topo_yaml_iface_name);
	/* The first of a name, as a walk would find it (a map with a key
	 * twice has its error). */
	if (nameidx_find(&ns->iface_names, v->name) < 0 &&
	    nameidx_put(&ns->iface_names, v->name, ns->n_ifaces) < 0) {
		ty->nomem = true;
		return NULL;
	}
	ns->n_ifaces++;
	return v;
}

/*
 * Is N of type TYPE? An absent node is not (and no error); a null one is
 * not either when NULL_OK (an empty section). Anything else is an error.
 */
bool
topo_yaml_want(struct topo_yaml *ty, const struct ynode *n,
    enum ynode_type type, bool null_ok)
{
	static const char *const what[] = {
		[YNODE_SCALAR] = "a string", [YNODE_MAP] = "a map",
		[YNODE_SEQ] = "a list",
	};
	char	 got[64];

	if (n == NULL || (null_ok && ynode_is_null(n)))
		return false;
	if (n->type == type && !ynode_is_null(n))
		return true;
	topo_yaml_err(ty, n, "expected %s, got %s", what[type],
	    topo_node_desc(n, got, sizeof(got)));
	return false;
}

/* Words other tools use for our keys: "did you mean" by meaning. */
static const struct {
	const char	*word, *key;
} topo_yaml_synonyms[] = {
	{ "gateway", "via" }, { "gw", "via" },
	{ "dst", "to" }, { "dest", "to" }, { "prefix", "to" },
	{ "interface", "dev" }, { "oif", "dev" },
	{ "hwaddr", "mac" }, { "lladdr", "mac" }, { "mac", "lladdr" },
	{ "address", "ip" }, { "bool", "reach" },
	{ "nodes", "routers" }, { "machine", "host" },
	{ "bridges", "switches" },
};

/* Key K of MAP is none of KNOWN: say so, with the closest one. */
static void
topo_yaml_unknown(struct topo_yaml *ty, const struct ynode *map,
    const struct ynode *k, const char *const *known)
{
	struct topo_suggest	 sg;
	char			 hint[128], list[256];
	size_t			 j, s;

	topo_suggest_init(&sg, k->scalar);
	list[0] = '\0';
	for (j = 0; known[j] != NULL; j++) {
		topo_suggest_offer(&sg, known[j]);
		for (s = 0; s < sizeof(topo_yaml_synonyms) /
		    sizeof(topo_yaml_synonyms[0]); s++)
			if (strcmp(k->scalar, topo_yaml_synonyms[s].word) ==
			    0 && strcmp(known[j], topo_yaml_synonyms[s].key) ==
			    0) {
				sg.best = known[j];
				sg.dist = 0;
			}
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", j ? ", " : "", known[j]);
	}
	if (sg.best != NULL)
		topo_yaml_err_in(ty, k, map, "unknown key '%s'%s", k->scalar,
		    topo_suggest_str(&sg, hint, sizeof(hint)));
	else if (known[0] == NULL)
		topo_yaml_err_in(ty, k, map, "unknown key '%s'; no keys are "
		    "allowed here", k->scalar);
	else
		topo_yaml_err_in(ty, k, map, "unknown key '%s'; expected one "
		    "of: %s", k->scalar, list);
}

/*
 * The values of MAP's keys that are in KNOWN into VALS (as many, zeroed
 * by the caller; NULL: just check), and an error for each other key. One
 * pass over the map instead of a search per key.
 */
void
topo_yaml_fields(struct topo_yaml *ty, const struct ynode *map,
    const char *const *known, const struct ynode **vals)
{
	size_t	 i, j;

	for (i = 0; i < map->n; i++) {
		for (j = 0; known[j] != NULL; j++)
			if (ynode_key_is(ynode_keys(map)[i], known[j]))
				break;
		if (known[j] == NULL)
			topo_yaml_unknown(ty, map, ynode_keys(map)[i], known);
		else if (vals != NULL && vals[j] == NULL)
			vals[j] = map->items[i];
	}
}

/* Report the keys of MAP that are not in KNOWN. */
void
topo_yaml_keys(struct topo_yaml *ty, const struct ynode *map,
    const char *const *known)
{
	topo_yaml_fields(ty, map, known, NULL);
}

void
topo_yaml_missing(struct topo_yaml *ty, const struct ynode *map,
    const char *key)
{
	topo_yaml_err(ty, map, "missing required key '%s'", key);
}

/* A scalar that is an unsigned decimal integer in MIN..MAX. */
bool
topo_yaml_uint(struct topo_yaml *ty, const struct ynode *n,
    unsigned long long min, unsigned long long max, unsigned long long *v)
{
	const char	*s;
	char		*end;
	char		 got[64];

	if (n->type != YNODE_SCALAR || ynode_is_null(n)) {
		topo_yaml_err(ty, n, "expected an integer, got %s",
		    topo_node_desc(n, got, sizeof(got)));
		return false;
	}
	s = n->scalar;
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
		topo_yaml_err(ty, n, "expected an integer, got '%s' (no "
		    "leading zeros: YAML reads them as octal)", s);
		return false;
	}
	errno = 0;
	if (s[0] >= '0' && s[0] <= '9')
		*v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0') {
		topo_yaml_err(ty, n, "expected an integer, got %s",
		    topo_node_desc(n, got, sizeof(got)));
		return false;
	}
	if (errno == ERANGE || *v < min || *v > max) {
		topo_yaml_err(ty, n, "%s is out of range (%llu to %llu)", s,
		    min, max);
		return false;
	}
	return true;
}

static bool
topo_yaml_bool(struct topo_yaml *ty, const struct ynode *n, bool *v)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes",
	    "Yes", "YES", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no",
	    "No", "NO", NULL };
	char	 got[64];
	size_t	 i;

	if (n->type == YNODE_SCALAR)
		for (i = 0; yes[i] != NULL; i++)
			if (strcmp(n->scalar, yes[i]) == 0 ||
			    strcmp(n->scalar, no[i]) == 0) {
				*v = strcmp(n->scalar, yes[i]) == 0;
				return true;
			}
	topo_yaml_err(ty, n, "expected true or false, got %s",
	    topo_node_desc(n, got, sizeof(got)));
	return false;
}

bool
topo_yaml_ip(struct topo_yaml *ty, const struct ynode *n, struct topo_ip *ip)
{
	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return false;
	if (topo_parse_ip(n->scalar, ip) == 0)
		return true;
	if (strchr(n->scalar, '%') != NULL)
		topo_yaml_err(ty, n, "invalid IP address '%s'; give the zone "
		    "as 'dev'", n->scalar);
	else
		topo_yaml_err(ty, n, "invalid IP address '%s'", n->scalar);
	return false;
}

bool
topo_yaml_mac(struct topo_yaml *ty, const struct ynode *n, uint8_t mac[6])
{
	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return false;
	if (topo_parse_mac(n->scalar, mac) == 0)
		return true;
	topo_yaml_err(ty, n, "invalid MAC address '%s'; expected six hex "
	    "bytes such as 02:00:00:00:00:01", n->scalar);
	return false;
}

/* `state: up` or `state: down`; a bool is not one (YAML would read `on`
 * and `off` as such in other tools). */
bool
topo_yaml_state(struct topo_yaml *ty, const struct ynode *n,
    enum topo_state *st)
{
	char	 got[64];

	if (n->type == YNODE_SCALAR && !ynode_is_null(n)) {
		if (strcmp(n->scalar, "up") == 0) {
			*st = TOPO_STATE_UP;
			return true;
		}
		if (strcmp(n->scalar, "down") == 0) {
			*st = TOPO_STATE_DOWN;
			return true;
		}
	}
	topo_yaml_err(ty, n, "expected 'up' or 'down', got %s",
	    topo_node_desc(n, got, sizeof(got)));
	return false;
}

bool
topo_yaml_ifname(struct topo_yaml *ty, const struct ynode *n,
    const struct ynode *in, const char *name, char out[IFNAMSIZ])
{
	size_t	 len = strlen(name);

	if (topo_valid_ifname(name)) {
		str_copy(out, IFNAMSIZ, name);
		return true;
	}
	if (len >= IFNAMSIZ)
		topo_yaml_err_in(ty, n, in, "interface name '%s' is %zu "
		    "bytes; Linux allows at most %d", name, len, IFNAMSIZ - 1);
	else
		topo_yaml_err_in(ty, n, in, "invalid interface name '%s' "
		    "(no '/', ':' or spaces; not '.' or '..')", name);
	return false;
}

/*
 * A lab, router, VRF or switch name, from node N (a key: IN is its map).
 * They become file names: the rules are strict.
 */
bool
topo_yaml_name(struct topo_yaml *ty, const struct ynode *n,
    const struct ynode *in, const char *what, char out[TOPO_NAME_MAX + 1])
{
	const char	*s = n->scalar;
	size_t		 len = strlen(s);

	str_copy(out, TOPO_NAME_MAX + 1, s);
	if (topo_valid_name(s))
		return true;
	if (len > TOPO_NAME_MAX)
		topo_yaml_err_in(ty, n, in, "%s name '%s' is %zu bytes; at "
		    "most %d", what, s, len, TOPO_NAME_MAX);
	else
		topo_yaml_err_in(ty, n, in, "invalid %s name '%s': use "
		    "lower-case letters, digits, '-' and '_', starting with a "
		    "letter or digit", what, s);
	return false;
}

/*
 * What is wrong with the sysctl pair K: V, or NULL. AT_KEY: the problem
 * is the key's (or the value is missing).
 */
static const char *
topo_yaml_sysctl_problem(const struct ynode *k, const struct ynode *v,
    bool *at_key)
{
	const char	*s = k->scalar;
	size_t		 i;

	*at_key = true;
	if (strncmp(s, "net.", 4) != 0)
		return "is not under 'net.'; only network sysctls are per "
		    "namespace";
	if (strlen(s) > TOPO_SYSCTL_KEY_MAX)
		return "is longer than " TOPO_YAML_XSTR(TOPO_SYSCTL_KEY_MAX)
		    " bytes";
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return "may contain only letters, digits, '_', '-' "
			    "and '.'";
	/* Dots become slashes under /proc/sys/: no "..", no empty part. */
	if (strstr(s, "..") != NULL || s[i - 1] == '.')
		return "has an empty part";
	if (ynode_is_null(v))
		return "has no value";
	*at_key = false;
	if (v->type != YNODE_SCALAR)
		return v->type == YNODE_MAP ? "takes a number or a string, "
		    "not a map" : "takes a number or a string, not a list";
	if (strlen(v->scalar) > TOPO_SYSCTL_VAL_MAX)
		return "has a value longer than "
		    TOPO_YAML_XSTR(TOPO_SYSCTL_VAL_MAX) " bytes";
	for (i = 0; v->scalar[i] != '\0'; i++)
		if ((unsigned char)v->scalar[i] < 0x20 ||
		    v->scalar[i] == 0x7f)
			return "has a control character in its value";
	return NULL;
}

/* Report the problems of a sysctl map once, where it is written. */
static void
topo_yaml_sysctl_check(struct topo_yaml *ty, const struct ynode *map)
{
	const char	*problem;
	bool		 at_key;
	size_t		 i;

	if (!topo_yaml_want(ty, map, YNODE_MAP, true))
		return;
	for (i = 0; i < map->n; i++) {
		const struct ynode	*k = ynode_keys(map)[i];

		problem = topo_yaml_sysctl_problem(k, map->items[i], &at_key);
		if (problem != NULL)
			topo_yaml_err_in(ty, at_key ? k : map->items[i], map,
			    "sysctl '%s' %s", k->scalar, problem);
	}
}

/* Lay MAP's valid sysctls over those NS has: later levels win. */
static void
topo_yaml_sysctl_merge(struct topo_yaml *ty, struct topo_ns *ns,
    const struct ynode *map)
{
	struct topo_sysctl	*s, *v;
	char			*value;
	bool			 at_key;
	size_t			 i, j;

	if (map == NULL || map->type != YNODE_MAP)
		return;
	for (i = 0; i < map->n; i++) {
		const struct ynode *k = ynode_keys(map)[i];
		const struct ynode *val = map->items[i];

		if (topo_yaml_sysctl_problem(k, val, &at_key) != NULL)
			continue;
		if ((value = strdup(val->scalar)) == NULL) {
			ty->nomem = true;
			return;
		}
		for (j = 0; j < ns->n_sysctls; j++)
			if (strcmp(ns->sysctls[j].key, k->scalar) == 0)
				break;
		if (j == ns->n_sysctls) {
			v = topo_yaml_grow(ty, ns->sysctls, ns->n_sysctls,
			    sizeof(*v));
			if (v == NULL) {
				free(value);
				return;
			}
			ns->sysctls = v;
			s = &v[ns->n_sysctls];
			if ((s->key = strdup(k->scalar)) == NULL) {
				free(value);
				ty->nomem = true;
				return;
			}
			ns->n_sysctls++;
		} else
			s = &ns->sysctls[j];
		free(s->value);
		s->value = value;
		s->node = val;
	}
}

static struct topo_ns *
topo_yaml_new_ns(struct topo_yaml *ty, enum topo_ns_kind kind,
    const char *router, const char *vrf, const struct ynode *node)
{
	struct topo	*t = ty->t;
	struct topo_ns	*v, *ns;

	if ((v = topo_yaml_grow(ty, t->ns, t->n_ns, sizeof(*v))) == NULL)
		return NULL;
	t->ns = v;
	ns = &t->ns[t->n_ns++];
	ns->kind = kind;
	ns->node = node;
	str_copy(ns->router, sizeof(ns->router), router);
	str_copy(ns->vrf, sizeof(ns->vrf), vrf);
	if (vrf[0] != '\0')
		snprintf(ns->node_name, sizeof(ns->node_name), "%s/%s",
		    ns->router, ns->vrf);
	else
		str_copy(ns->node_name, sizeof(ns->node_name),
		    ns->router);
	topo_ns_name(ns->name, sizeof(ns->name), t->lab, ns->node_name);
	topo_yaml_sysctl_merge(ty, ns, ty->defaults_sysctl);
	return ns;
}

static void
topo_yaml_router(struct topo_yaml *ty, const struct ynode *routers,
    const struct ynode *key, const struct ynode *val)
{
	static const char *const local[] = { "interfaces", "routes",
	    "neighbours", "exec", "services", "frr", "bird" };
	struct topo		*t = ty->t;
	struct topo_router	*rv, *r;
	struct topo_ns		*ns;
	const struct ynode	*vrfs, *k, *map = NULL, *sysctl = NULL;
	char			 vrf[TOPO_NAME_MAX + 1];
	size_t			 i, host;

	if ((rv = topo_yaml_grow(ty, t->routers, t->n_routers,
	    sizeof(*rv))) == NULL)
		return;
	t->routers = rv;
	r = &t->routers[t->n_routers++];
	topo_yaml_name(ty, key, routers, "router", r->name);
	r->node = val;
	r->first_ns = t->n_ns;
	if (topo_yaml_want(ty, val, YNODE_MAP, true)) {
		map = val;
		topo_yaml_keys(ty, map, topo_yaml_router_keys);
		sysctl = ynode_get(map, "sysctl");
		topo_yaml_sysctl_check(ty, sysctl);
	}

	/* Its host, for all its namespaces: those below and its VRFs'. */
	host = ty->default_host;
	if ((k = ynode_get(map, "host")) != NULL)
		(void)topo_yaml_host_ref(ty, k, &host);

	/* A bad `vrfs` is reported, and the router read as a plain one. */
	vrfs = ynode_get(map, "vrfs");
	if (vrfs != NULL && (ynode_is_null(vrfs) ||
	    (vrfs->type == YNODE_MAP && vrfs->n == 0)))
		topo_yaml_err(ty, vrfs, "expected at least one VRF");
	else if (vrfs != NULL)
		topo_yaml_want(ty, vrfs, YNODE_MAP, false);
	if (vrfs == NULL || vrfs->type != YNODE_MAP || vrfs->n == 0) {
		if ((ns = topo_yaml_new_ns(ty, TOPO_NS_ROUTER, r->name, "",
		    val)) == NULL)
			return;
		ns->host = host;
		topo_yaml_sysctl_merge(ty, ns, sysctl);
		topo_yaml_ns_body_later(ty, ns, map);
		topo_yaml_ns_software(ty, ns, map);
		r->n_ns = 1;
		return;
	}

	r->has_vrfs = true;
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if ((k = ynode_key(map, local[i])) != NULL)
			topo_yaml_err_in(ty, k, map, "'%s' is not "
			    "allowed next to 'vrfs'; move it into a VRF",
			    local[i]);
	for (i = 0; i < vrfs->n && !ty->nomem; i++) {
		const struct ynode *vk = ynode_keys(vrfs)[i];
		const struct ynode *vv = vrfs->items[i];

		topo_yaml_name(ty, vk, vrfs, "VRF", vrf);
		if ((ns = topo_yaml_new_ns(ty, TOPO_NS_VRF, r->name, vrf,
		    vv)) == NULL)
			return;
		ns->host = host;
		topo_yaml_sysctl_merge(ty, ns, sysctl);
		r->n_ns++;
		if (!topo_yaml_want(ty, vv, YNODE_MAP, true))
			continue;
		if ((k = ynode_key(vv, "host")) != NULL)
			topo_yaml_err_in(ty, k, vv, "a VRF is on its router's "
			    "host: write 'host:' on router '%s'", r->name);
		topo_yaml_keys(ty, vv, k != NULL ? topo_yaml_vrf_keys_host :
		    topo_yaml_vrf_keys);
		topo_yaml_sysctl_check(ty, ynode_get(vv, "sysctl"));
		topo_yaml_sysctl_merge(ty, ns, ynode_get(vv, "sysctl"));
		topo_yaml_ns_body_later(ty, ns, vv);
		topo_yaml_ns_software(ty, ns, vv);
	}
}

static void
topo_yaml_switch(struct topo_yaml *ty, const struct ynode *switches,
    const struct ynode *key, const struct ynode *val)
{
	static const char *const keys[] = { "host", NULL };
	const struct ynode	*h = NULL;
	struct topo_ns		*ns;
	char			 name[TOPO_NAME_MAX + 1];
	size_t			 host = ty->default_host;

	topo_yaml_name(ty, key, switches, "switch", name);
	if (topo_yaml_want(ty, val, YNODE_MAP, true)) {
		topo_yaml_keys(ty, val, keys);
		h = ynode_get(val, "host");
	}
	if (h != NULL)
		(void)topo_yaml_host_ref(ty, h, &host);
	if ((ns = topo_yaml_new_ns(ty, TOPO_NS_SWITCH, name, "", val)) != NULL)
		ns->host = host;
}

/*
 * A node named at N (an expectation's `from`, a `via` entry): its
 * namespace, or NULL after an error that suggests the nearest name.
 */
static struct topo_ns *
topo_yaml_node_ref(struct topo_yaml *ty, const struct ynode *n)
{
	struct topo		*t = ty->t;
	struct topo_ns		*ns;
	struct topo_suggest	 sg;
	char			 hint[128];
	size_t			 i;

	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return NULL;
	if ((ns = topo_ns_by_node(t, n->scalar)) != NULL)
		return ns;
	topo_suggest_init(&sg, n->scalar);
	for (i = 0; i < t->n_ns; i++) {
		topo_suggest_offer(&sg, t->ns[i].node_name);
		if (t->ns[i].kind == TOPO_NS_VRF &&
		    strcmp(t->ns[i].router, n->scalar) == 0) {
			topo_yaml_err(ty, n, "router '%s' has vrfs; name one, "
			    "such as '%s'", n->scalar, t->ns[i].node_name);
			return NULL;
		}
	}
	topo_yaml_err(ty, n, "unknown node '%s'%s", n->scalar,
	    topo_suggest_str(&sg, hint, sizeof(hint)));
	return NULL;
}

/* `via: [node, ...]`: the nodes the path must pass, in order. */
static bool
topo_yaml_expect_via(struct topo_yaml *ty, const struct ynode *seq,
    struct topo_expect *e)
{
	struct topo_ns	*ns;
	bool		 ok = true;
	size_t		 i;

	if (!topo_yaml_want(ty, seq, YNODE_SEQ, false))
		return false;
	if (seq->n > TOPO_EXPECT_VIA_MAX) {
		topo_yaml_err(ty, seq, "at most %d nodes", TOPO_EXPECT_VIA_MAX);
		return false;
	}
	for (i = 0; i < seq->n; i++) {
		if ((ns = topo_yaml_node_ref(ty, seq->items[i])) == NULL)
			ok = false;
		else
			e->via[e->n_via++] = ns;
	}
	return ok;
}

static bool
topo_yaml_expect_proto(struct topo_yaml *ty, const struct ynode *n,
    struct topo_expect *e)
{
	static const char *const names[] = { "icmp", "udp", "tcp" };
	size_t	 i;

	if (!topo_yaml_want(ty, n, YNODE_SCALAR, false))
		return false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(n->scalar, names[i]) == 0) {
			e->proto = (enum topo_probe_proto)i;
			return true;
		}
	topo_yaml_err(ty, n, "unknown protocol '%s'; expected icmp, udp or "
	    "tcp", n->scalar);
	return false;
}

static void
topo_yaml_expect(struct topo_yaml *ty, const struct ynode *map)
{
	enum { F_FROM, F_TO, F_REACH, F_VIA, F_PROTO, F_PORT, F_N };
	static const char *const keys[] = { "from", "to", "reach", "via",
	    "proto", "port", NULL };
	const struct ynode	*f[F_N] = { NULL };
	struct topo		*t = ty->t;
	struct topo_expect	 e, *v;
	unsigned long long	 port;
	bool			 ok = true, proto_ok = true;

	if (!topo_yaml_want(ty, map, YNODE_MAP, false))
		return;
	topo_yaml_fields(ty, map, keys, f);
	memset(&e, 0, sizeof(e));
	e.node = map;
	e.reach = true;
	if (f[F_FROM] == NULL) {
		topo_yaml_missing(ty, map, "from");
		ok = false;
	} else if ((e.from_ns = topo_yaml_node_ref(ty, f[F_FROM])) != NULL)
		str_copy(e.from, sizeof(e.from), f[F_FROM]->scalar);
	else
		ok = false;
	if (f[F_TO] == NULL) {
		topo_yaml_missing(ty, map, "to");
		ok = false;
	} else if (!topo_yaml_ip(ty, f[F_TO], &e.to))
		ok = false;
	if (f[F_REACH] != NULL)
		topo_yaml_bool(ty, f[F_REACH], &e.reach);
	if (f[F_VIA] != NULL && !topo_yaml_expect_via(ty, f[F_VIA], &e))
		ok = false;
	/* A protocol already said to be wrong says nothing of the port. */
	if (f[F_PROTO] != NULL && !(proto_ok = topo_yaml_expect_proto(ty,
	    f[F_PROTO], &e)))
		ok = false;
	if (f[F_PORT] != NULL) {
		if (!topo_yaml_uint(ty, f[F_PORT], 1, 65535, &port))
			ok = false;
		else if (proto_ok && e.proto == TOPO_PROBE_ICMP) {
			topo_yaml_err(ty, f[F_PORT], "a port needs 'proto: udp' "
			    "or 'proto: tcp'");
			ok = false;
		} else
			e.port = (uint16_t)port;
	} else if (e.proto != TOPO_PROBE_ICMP) {
		topo_yaml_err(ty, map, "'proto: %s' needs a 'port'",
		    e.proto == TOPO_PROBE_UDP ? "udp" : "tcp");
		ok = false;
	}
	if (!ok)
		return;
	if ((v = topo_yaml_grow(ty, t->expects, t->n_expects,
	    sizeof(*v))) == NULL)
		return;
	t->expects = v;
	t->expects[t->n_expects++] = e;
}

static void
topo_yaml_root(struct topo_yaml *ty, const struct ynode *root)
{
	struct topo		*t = ty->t;
	const struct ynode	*n, *defaults;
	char			 got[64];
	size_t			 i;

	if (root->type != YNODE_MAP) {
		topo_yaml_err(ty, root, "expected a map with keys 'lab' and "
		    "'routers', got %s", topo_node_desc(root, got,
		    sizeof(got)));
		return;
	}
	topo_yaml_keys(ty, root, topo_yaml_root_keys);
	if ((n = ynode_get(root, "lab")) == NULL)
		topo_yaml_missing(ty, root, "lab");
	else if (topo_yaml_want(ty, n, YNODE_SCALAR, false))
		topo_yaml_name(ty, n, NULL, "lab", t->lab);

	/* Hosts first: routers and switches name theirs. */
	n = ynode_get(root, "hosts");
	if (n != NULL && !ty->nomem)
		topo_yaml_hosts(ty, n);

	defaults = ynode_get(root, "defaults");
	if (topo_yaml_want(ty, defaults, YNODE_MAP, true)) {
		static const char *const keys[] = { "sysctl", "host", NULL };

		topo_yaml_keys(ty, defaults, keys);
		ty->defaults_sysctl = ynode_get(defaults, "sysctl");
		topo_yaml_sysctl_check(ty, ty->defaults_sysctl);
		if ((n = ynode_get(defaults, "host")) != NULL)
			(void)topo_yaml_host_ref(ty, n, &ty->default_host);
	}

	if ((n = ynode_get(root, "routers")) == NULL)
		topo_yaml_missing(ty, root, "routers");
	else if (ynode_is_null(n) || (n->type == YNODE_MAP && n->n == 0))
		topo_yaml_err(ty, n, "expected at least one router");
	else if (topo_yaml_want(ty, n, YNODE_MAP, false))
		for (i = 0; i < n->n && !ty->nomem; i++)
			topo_yaml_router(ty, n, ynode_keys(n)[i], n->items[i]);

	n = ynode_get(root, "switches");
	if (topo_yaml_want(ty, n, YNODE_MAP, true))
		for (i = 0; i < n->n && !ty->nomem; i++)
			topo_yaml_switch(ty, n, ynode_keys(n)[i], n->items[i]);

	/* Namespaces are all made: what they declare is read, and links
	 * and expects may point at them. */
	topo_yaml_ns_bodies(ty);
	n = ynode_get(root, "links");
	if (topo_yaml_want(ty, n, YNODE_SEQ, true) && !ty->nomem)
		topo_yaml_link_all(ty, n);
	if (t->n_hosts > 0 && !ty->nomem)
		topo_host_vnis(ty);
	n = ynode_get(root, "expect");
	if (topo_yaml_want(ty, n, YNODE_SEQ, true))
		for (i = 0; i < n->n && !ty->nomem; i++)
			topo_yaml_expect(ty, n->items[i]);
	/* Last: the pools fill in what all the rest leaves out. */
	n = ynode_get(root, "addressing");
	if (topo_yaml_want(ty, n, YNODE_MAP, true) && !ty->nomem)
		topo_pool_fill(ty, n);
}

/* Arrays grown by doubling, cut to what they hold: a topology is kept
 * for as long as its lab (a router's 42 routes had room for 64). Only
 * those no pointer leads into (t->ns is pointed to by link ends). */
static void *
topo_yaml_fit_one(void *v, size_t n, size_t size)
{
	void	*nv;

	if (n == 0 || (nv = reallocarray(v, n, size)) == NULL)
		return v;
	return nv;
}

/* The N entries of SIZE at V moved to *AT, which moves past them; V
 * freed. Where they are now (NULL: none). */
static void *
topo_yaml_pack_one(char **at, void *v, size_t n, size_t size)
{
	void	*to = n > 0 ? *at : NULL;

	if (n > 0)
		memcpy(to, v, n * size);
	free(v);
	*at += n * size;
	return to;
}

/* NS's interfaces' addresses moved into one block: thousands of small
 * blocks, made amid what the load freed, would each keep a page of it.
 * (Its routes' nexthops are in one already.) Without memory, they stay
 * where they are. */
static void
topo_yaml_pack(struct topo_ns *ns)
{
	size_t	 n_addrs = 0, i;
	char	*at;

	for (i = 0; i < ns->n_ifaces; i++)
		n_addrs += ns->ifaces[i].n_addrs;
	if (n_addrs == 0 || (ns->packed = malloc(n_addrs *
	    sizeof(struct topo_addr))) == NULL)
		return;
	at = ns->packed;
	for (i = 0; i < ns->n_ifaces; i++)
		ns->ifaces[i].addrs = topo_yaml_pack_one(&at,
		    ns->ifaces[i].addrs, ns->ifaces[i].n_addrs,
		    sizeof(struct topo_addr));
}

static void
topo_yaml_fit(struct topo *t)
{
	for (size_t i = 0; i < t->n_ns; i++) {
		struct topo_ns	*ns = &t->ns[i];

		ns->routes = topo_yaml_fit_one(ns->routes, ns->n_routes,
		    sizeof(*ns->routes));
		ns->ifaces = topo_yaml_fit_one(ns->ifaces, ns->n_ifaces,
		    sizeof(*ns->ifaces));
		topo_yaml_pack(ns);
	}
}

static struct topo *
topo_yaml_build(const char *name, struct ynode *root,
    const struct topo *prev, struct diag_list *dl)
{
	struct topo_yaml	 ty;
	struct topo		*t;
	size_t			 said = dl ? dl->n : 0;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->file = strdup(name)) == NULL) {
		free(t);
		ytree_free(root);
		errno = ENOMEM;
		return NULL;
	}
	t->root = root;
	t->here = -1;
	memset(&ty, 0, sizeof(ty));
	ty.t = t;
	ty.dl = dl;
	ty.prev = prev && prev->quiet ? prev : NULL;
	topo_yaml_root(&ty, root);
	topo_yaml_fit(t);
	t->quiet = dl == NULL || dl->n == said;
	if (ty.nomem || topo_index(t) < 0) {
		topo_free(t);
		errno = ENOMEM;
		return NULL;
	}
	return t;
}

struct topo *
topo_load_buf(const char *name, const char *buf, size_t len,
    struct diag_list *dl)
{
	struct ynode	*root;

	if ((root = ytree_parse(name, buf, len, dl)) == NULL)
		return NULL;
	return topo_yaml_build(name, root, NULL, dl);
}

struct topo *
topo_load_tree(const char *name, struct ynode *root, struct diag_list *dl)
{
	return topo_yaml_build(name, root, NULL, dl);
}

struct topo *
topo_load_buf_since(const char *name, const char *buf, size_t len,
    struct topo_prev *prev, struct diag_list *dl)
{
	struct ynode	*root = NULL;

	if (prev->root != NULL)
		root = ytree_reparse(name, buf, len, prev->root, prev->flags);
	prev->parts = root != NULL;
	if (root == NULL) {
		if ((root = ytree_parse(name, buf, len, dl)) == NULL)
			return NULL;
		/* For the next text: parsed from this one by its changes. */
		(void)ytree_cut(root, buf, len);
	}
	/* (A tree parsed whole has none of the last one's nodes.) */
	return topo_yaml_build(name, root, prev->topo, dl);
}

struct topo *
topo_load(const char *file, struct diag_list *dl)
{
	struct ynode	*root;

	if ((root = ytree_load_file(file, dl)) == NULL)
		return NULL;
	return topo_yaml_build(file, root, NULL, dl);
}
