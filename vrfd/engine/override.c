/*
 * override: runtime states of interfaces (override.h), in a file beside
 * the lab's kept topology, and laid over its model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "override.h"
#include "state.h"

#define OVERRIDE_HEAD	"# vrfctl link set: interface states until the " \
			"lab's file is applied again\n"

void
override_list_free(struct override_list *ol)
{
	free(ol->v);
	ol->v = NULL;
	ol->n = 0;
}

static int
override_add(struct override_list *ol, const char *node, const char *ifname,
    bool down)
{
	struct override	*v;

	if ((v = reallocarray(ol->v, ol->n + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	ol->v = v;
	v = &ol->v[ol->n++];
	snprintf(v->node, sizeof(v->node), "%s", node);
	snprintf(v->ifname, sizeof(v->ifname), "%s", ifname);
	v->down = down;
	return 0;
}

/* One line: "NODE IFNAME up|down". False: not one (skipped). */
static bool
override_parse(char *line, char **node, char **ifname, bool *down)
{
	char	*state, *extra, *save;

	*node = strtok_r(line, " \t\n", &save);
	*ifname = strtok_r(NULL, " \t\n", &save);
	state = strtok_r(NULL, " \t\n", &save);
	extra = strtok_r(NULL, " \t\n", &save);
	if (*node == NULL || **node == '#' || *ifname == NULL ||
	    state == NULL || extra != NULL)
		return false;
	if (strlen(*node) >= sizeof(((struct override *)0)->node) ||
	    !topo_valid_ifname(*ifname))
		return false;
	if (strcmp(state, "down") != 0 && strcmp(state, "up") != 0)
		return false;
	*down = strcmp(state, "down") == 0;
	return true;
}

int
override_load(const char *lab, struct override_list *ol)
{
	char	 path[600], *line = NULL, *node, *ifname;
	size_t	 cap = 0;
	bool	 down;
	FILE	*f;
	int	 rv = 0;

	memset(ol, 0, sizeof(*ol));
	if ((f = fopen(state_overrides_path(lab, path, sizeof(path)),
	    "re")) == NULL)
		return errno == ENOENT ? 0 : -errno;
	while (rv == 0 && getline(&line, &cap, f) != -1)
		if (override_parse(line, &node, &ifname, &down))
			rv = override_add(ol, node, ifname, down);
	if (rv == 0 && ferror(f))
		rv = -EIO;
	free(line);
	fclose(f);
	if (rv < 0)
		override_list_free(ol);
	return rv;
}

int
override_save(const char *lab, const struct override_list *ol)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;
	int	 rv;

	if (ol->n == 0)
		return override_clear(lab);
	if ((f = open_memstream(&buf, &len)) == NULL)
		return -ENOMEM;
	fputs(OVERRIDE_HEAD, f);
	for (size_t i = 0; i < ol->n; i++)
		fprintf(f, "%s %s %s\n", ol->v[i].node, ol->v[i].ifname,
		    ol->v[i].down ? "down" : "up");
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	rv = state_save_overrides_text(lab, buf, len);
	free(buf);
	return rv;
}

int
override_clear(const char *lab)
{
	int	 rv = state_remove_overrides(lab);

	return rv == -ENOENT ? 0 : rv;
}

/* The interface of the link end NODE:IFNAME of T, and that end; NULL if
 * it is none. */
static struct topo_iface *
override_iface(const struct topo *t, const char *node, const char *ifname,
    size_t *end)
{
	struct topo_ns	*ns;
	ssize_t		 e;

	if ((ns = topo_ns_by_node(t, node)) == NULL ||
	    (e = topo_ns_link_end(t, ns, ifname)) < 0)
		return NULL;
	*end = (size_t)e;
	return topo_ns_iface(ns, ifname);
}

void
override_apply(struct topo *t, const struct override_list *ol)
{
	struct topo_iface	*ifc;
	size_t			 end;

	for (size_t i = 0; i < t->n_ns; i++)
		for (size_t k = 0; k < t->ns[i].n_ifaces; k++)
			t->ns[i].ifaces[k].override = TOPO_STATE_UNSET;
	for (size_t i = 0; i < ol->n; i++) {
		const struct override	*o = &ol->v[i];

		if ((ifc = override_iface(t, o->node, o->ifname, &end)) ==
		    NULL || topo_end_down(t, end, false) == o->down)
			continue;
		ifc->override = o->down ? TOPO_STATE_DOWN : TOPO_STATE_UP;
	}
}

int
override_load_apply(struct topo *t)
{
	struct override_list	 ol;
	int			 rv;

	if ((rv = override_load(t->lab, &ol)) < 0)
		return rv;
	override_apply(t, &ol);
	override_list_free(&ol);
	return 0;
}

size_t
override_count(const struct topo *t)
{
	size_t	 n = 0;

	for (size_t i = 0; i < t->n_ns; i++)
		for (size_t k = 0; k < t->ns[i].n_ifaces; k++)
			n += t->ns[i].ifaces[k].override != TOPO_STATE_UNSET;
	return n;
}

int
override_end(const struct topo *t, const char *node, const char *ifname,
    char *why, size_t len)
{
	const struct topo_ns	*ns;

	if ((ns = topo_ns_by_node(t, node)) == NULL) {
		for (size_t i = 0; i < t->n_routers; i++)
			if (t->routers[i].has_vrfs &&
			    strcmp(t->routers[i].name, node) == 0) {
				snprintf(why, len, "router '%s' has vrfs; name "
				    "one, such as '%s'", node,
				    t->ns[t->routers[i].first_ns].node_name);
				return -ENOENT;
			}
		snprintf(why, len, "no node '%s' in lab %s", node, t->lab);
		return -ENOENT;
	}
	if (topo_ns_link_end(t, ns, ifname) < 0) {
		snprintf(why, len, "%s has no link on '%s'", node, ifname);
		return -ENOENT;
	}
	/* Another host's: its vrfctl (or vrfd) sets it. */
	if (ns->remote) {
		snprintf(why, len, "%s is on host %s: set it there", node,
		    t->hosts[ns->host].name);
		return -EREMOTE;
	}
	return 0;
}

int
override_set(struct override_list *ol, const struct topo *t,
    const char *node, const char *ifname, bool down)
{
	size_t	 end, k = 0;

	for (size_t i = 0; i < ol->n; i++)
		if (strcmp(ol->v[i].node, node) != 0 ||
		    strcmp(ol->v[i].ifname, ifname) != 0)
			ol->v[k++] = ol->v[i];
	ol->n = k;
	if (override_iface(t, node, ifname, &end) == NULL ||
	    topo_end_down(t, end, false) == down)
		return 0;
	return override_add(ol, node, ifname, down);
}
