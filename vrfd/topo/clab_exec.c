/*
 * clab_exec: a node's `exec` commands, as the state they declare.
 *
 * containerlab runs them in the container once it is up; most of those in
 * labs set addresses, routes, links and sysctls, which vrfd keeps as
 * declared state instead (and puts back when they drift). A command is
 * taken as state when it is one of these, plain (no quoting, no shell
 * syntax, nothing else on the line), about an interface that is one of
 * the node's link ends (or lo):
 *
 *   ip [-4|-6] address|addr|a add|replace PREFIX dev IF
 *   ip [-4|-6] route|ro|r add|replace PREFIX|default [via GW] [dev IF]
 *       [metric N]
 *   ip [-4|-6] link|l set [dev] IF [up|down|mtu N|address MAC]...
 *   sysctl [-w] net.KEY=VALUE...
 *
 * A route without `dev` is taken when its gateway is on a subnet that the
 * node's state gives it; else the kernel may not reach it when vrfd adds
 * it, and it stays a command. Every other command stays one, in the node's
 * one-shot `exec:` (run in its namespace, with the host's files: said in
 * a warning). On a node running FRR, `vtysh` commands are left out, and
 * `birdc` ones on a node running BIRD: vrfd loads the configuration
 * itself (`vtysh -b`), and from exec they would reach the host's daemons.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clab.h"
#include "clab_priv.h"
#include "diag.h"
#include "topo.h"
#include "ytree.h"

#define CLAB_WORDS_MAX		24

struct clab_cmd {
	const struct ynode	*at;
	char			 buf[512];
	char			*w[CLAB_WORDS_MAX];
	size_t			 n;
	bool			 plain;		/* split into words */
	bool			 done;		/* taken as state */
};

/* The words of a command, if a shell would read nothing else in it. */
static void
clab_cmd_split(struct clab_cmd *c)
{
	char	*save, *tok;

	c->n = 0;
	c->plain = false;
	if (strlen(c->at->scalar) >= sizeof(c->buf) ||
	    strpbrk(c->at->scalar, "'\"$`\\;&|<>(){}*?[]~#!\n") != NULL)
		return;
	snprintf(c->buf, sizeof(c->buf), "%s", c->at->scalar);
	for (tok = strtok_r(c->buf, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (c->n == CLAB_WORDS_MAX)
			return;
		c->w[c->n++] = tok;
	}
	c->plain = c->n > 0;
}

static bool
clab_word_in(const char *w, const char *a, const char *b, const char *c)
{
	return strcmp(w, a) == 0 || (b && strcmp(w, b) == 0) ||
	    (c && strcmp(w, c) == 0);
}

/* An interface of N's that state may be about: a link end, or lo. */
static struct clab_iface *
clab_exec_iface(struct clab_st *st, struct clab_node *n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n->n_ifs; i++)
		if (strcmp(n->ifs[i].name, name) == 0 && n->ifs[i].linked)
			return &n->ifs[i];
	if (strcmp(name, "lo") == 0)
		return clab_node_iface(st, n, "lo");
	return NULL;
}

static bool
clab_val_set(struct clab_st *st, struct clab_val *v, const char *s,
    const struct ynode *at)
{
	char	*d;

	if ((d = clab_strdup(st, s)) == NULL)
		return false;
	free(v->s);
	v->s = d;
	v->at = at;
	return true;
}

/* ip address add|replace PREFIX dev IF */
static bool
clab_exec_addr(struct clab_st *st, struct clab_node *n, struct clab_cmd *c,
    size_t i, int fam)
{
	struct topo_prefix	 p;
	struct clab_iface	*ifc;
	struct clab_val		*v;
	const char		*pfx = NULL, *dev = NULL;
	size_t			 k;

	if (i >= c->n || !clab_word_in(c->w[i], "add", "replace", NULL))
		return false;
	for (i++; i < c->n; i++) {
		if (strcmp(c->w[i], "dev") == 0 && i + 1 < c->n && dev == NULL)
			dev = c->w[++i];
		else if (pfx == NULL && topo_parse_prefix(c->w[i], &p) == 0)
			pfx = c->w[i];
		else
			return false;
	}
	if (pfx == NULL || dev == NULL || (fam && p.family != fam) ||
	    (ifc = clab_exec_iface(st, n, dev)) == NULL)
		return false;
	for (k = 0; k < ifc->n_addrs; k++)
		if (strcmp(ifc->addrs[k].s, pfx) == 0)
			return true;
	if ((v = clab_grow(st, ifc->addrs, ifc->n_addrs, sizeof(*v))) == NULL)
		return false;
	ifc->addrs = v;
	if (!clab_val_set(st, &v[ifc->n_addrs], pfx, c->at))
		return false;
	ifc->n_addrs++;
	return true;
}

/* Is GW on a subnet of N's linked interfaces' addresses? */
static bool
clab_exec_onlink(const struct clab_node *n, const struct topo_ip *gw)
{
	struct topo_prefix	 p;
	size_t			 i, j;

	for (i = 0; i < n->n_ifs; i++)
		for (j = 0; n->ifs[i].linked && j < n->ifs[i].n_addrs; j++)
			if (topo_parse_prefix(n->ifs[i].addrs[j].s, &p) == 0 &&
			    topo_prefix_contains(&p, gw))
				return true;
	return false;
}

/* ip route add|replace PREFIX|default [via GW] [dev IF] [metric N] */
static bool
clab_exec_route(struct clab_st *st, struct clab_node *n, struct clab_cmd *c,
    size_t i, int fam)
{
	struct topo_prefix	 p;
	struct topo_ip		 gw;
	struct clab_route	*r, rt;
	const char		*to = NULL, *via = NULL, *dev = NULL;
	const char		*metric = NULL;
	char			 buf[INET6_ADDRSTRLEN + 8];

	if (i >= c->n || !clab_word_in(c->w[i], "add", "replace", NULL))
		return false;
	for (i++; i < c->n; i++) {
		if (i + 1 < c->n && strcmp(c->w[i], "via") == 0 && !via)
			via = c->w[++i];
		else if (i + 1 < c->n && strcmp(c->w[i], "dev") == 0 && !dev)
			dev = c->w[++i];
		else if (i + 1 < c->n && strcmp(c->w[i], "metric") == 0 &&
		    !metric && strspn(c->w[i + 1], "0123456789") ==
		    strlen(c->w[i + 1]))
			metric = c->w[++i];
		else if (to == NULL)
			to = c->w[i];
		else
			return false;
	}
	if (to == NULL || (via == NULL && dev == NULL))
		return false;
	if (via != NULL && (topo_parse_ip(via, &gw) < 0 ||
	    (fam && gw.family != fam)))
		return false;
	if (via != NULL && fam == 0)
		fam = gw.family;
	if (strcmp(to, "default") == 0) {
		if (fam == AF_INET6 && via == NULL)
			to = "::/0";
	} else if (topo_parse_prefix(to, &p) < 0 || (fam && p.family != fam))
		return false;
	else if (strchr(to, '/') == NULL) {
		/* As ip route reads it: a host. */
		snprintf(buf, sizeof(buf), "%s/%d", to,
		    p.family == AF_INET ? 32 : 128);
		to = buf;
	}
	if (dev != NULL ? clab_exec_iface(st, n, dev) == NULL :
	    !clab_exec_onlink(n, &gw))
		return false;
	memset(&rt, 0, sizeof(rt));
	rt.at = c->at;
	if ((rt.to = clab_strdup(st, to)) == NULL ||
	    (via && (rt.via = clab_strdup(st, via)) == NULL) ||
	    (dev && (rt.dev = clab_strdup(st, dev)) == NULL) ||
	    (metric && (rt.metric = clab_strdup(st, metric)) == NULL) ||
	    (r = clab_grow(st, n->routes, n->n_routes, sizeof(*r))) == NULL) {
		free(rt.to);
		free(rt.via);
		free(rt.dev);
		free(rt.metric);
		return false;
	}
	n->routes = r;
	n->routes[n->n_routes++] = rt;
	return true;
}

/* ip link set [dev] IF [up|down|mtu N|address MAC]... */
static bool
clab_exec_link(struct clab_st *st, struct clab_node *n, struct clab_cmd *c,
    size_t i)
{
	struct clab_iface	*ifc;
	const char		*mtu = NULL, *mac = NULL;
	int			 up = -1;

	if (i >= c->n || strcmp(c->w[i], "set") != 0)
		return false;
	if (++i < c->n && strcmp(c->w[i], "dev") == 0)
		i++;
	if (i >= c->n || (ifc = clab_exec_iface(st, n, c->w[i])) == NULL)
		return false;
	for (i++; i < c->n; i++) {
		if (strcmp(c->w[i], "up") == 0 || strcmp(c->w[i], "down") == 0)
			up = strcmp(c->w[i], "up") == 0;
		else if (i + 1 < c->n && strcmp(c->w[i], "mtu") == 0)
			mtu = c->w[++i];
		else if (i + 1 < c->n && clab_word_in(c->w[i], "address",
		    "addr", NULL))
			mac = c->w[++i];
		else
			return false;
	}
	/* lo is up, and is no link's end: nothing else is kept for it. */
	if (strcmp(ifc->name, "lo") == 0)
		return up == 1 && mtu == NULL && mac == NULL;
	if (up >= 0)
		ifc->down = up ? NULL : c->at;
	if (mtu != NULL && !clab_val_set(st, &ifc->mtu, mtu, c->at))
		return false;
	if (mac != NULL && !clab_val_set(st, &ifc->mac, mac, c->at))
		return false;
	return true;
}

/* sysctl [-w] net.KEY=VALUE... */
static bool
clab_exec_sysctl(struct clab_st *st, struct clab_node *n, struct clab_cmd *c)
{
	char	*eq, *p;
	size_t	 i = 1, first;

	if (i < c->n && strcmp(c->w[i], "-w") == 0)
		i++;
	if (i >= c->n)
		return false;
	for (first = i; i < c->n; i++) {
		if ((eq = strchr(c->w[i], '=')) == NULL || eq[1] == '\0' ||
		    (strncmp(c->w[i], "net.", 4) != 0 &&
		    strncmp(c->w[i], "net/", 4) != 0))
			return false;
	}
	for (i = first; i < c->n; i++) {
		eq = strchr(c->w[i], '=');
		*eq = '\0';
		for (p = c->w[i]; *p != '\0'; p++)
			if (*p == '/')
				*p = '.';
		clab_node_sysctl(st, n, c->w[i], eq + 1, c->at);
	}
	return true;
}

/* Addresses, links and sysctls (ROUTES false), or routes: C as state? */
static bool
clab_exec_one(struct clab_st *st, struct clab_node *n, struct clab_cmd *c,
    bool routes)
{
	size_t	 i = 1;
	int	 fam = 0;

	if (strcmp(c->w[0], "sysctl") == 0)
		return !routes && clab_exec_sysctl(st, n, c);
	if (strcmp(c->w[0], "ip") != 0)
		return false;
	for (; i < c->n && c->w[i][0] == '-'; i++) {
		if (strcmp(c->w[i], "-4") == 0)
			fam = AF_INET;
		else if (strcmp(c->w[i], "-6") == 0)
			fam = AF_INET6;
		else
			return false;
	}
	if (i >= c->n)
		return false;
	if (clab_word_in(c->w[i], "route", "ro", "r"))
		return routes && clab_exec_route(st, n, c, i + 1, fam);
	if (routes)
		return false;
	if (clab_word_in(c->w[i], "address", "addr", "a"))
		return clab_exec_addr(st, n, c, i + 1, fam);
	if (clab_word_in(c->w[i], "link", "l", NULL))
		return clab_exec_link(st, n, c, i + 1);
	return false;
}

/* A command to the node's own FRR or BIRD: left out. Run from exec, it
 * would reach the host's (its sockets are not the node's) and come before
 * the node's daemons start. */
static bool
clab_exec_suite_cli(struct clab_st *st, const struct clab_node *n,
    const struct ynode *at)
{
	const char	*cmd = at->scalar, *cli;
	size_t		 len;

	cli = n->role == CLAB_ROLE_FRR ? "vtysh" : n->role == CLAB_ROLE_BIRD ?
	    "birdc" : NULL;
	cmd += strspn(cmd, " \t");
	len = strcspn(cmd, " \t");
	if (cli == NULL || len != strlen(cli) || strncmp(cmd, cli, len) != 0)
		return false;
	if (strcmp(cli, "vtysh") == 0 && strcmp(cmd + len + strspn(cmd + len,
	    " \t"), "-b") == 0)
		clab_warn_once(st, at, "left out: vrfd loads FRR's "
		    "configuration itself");
	else
		clab_warn_once(st, at, "left out: %s from exec would reach the "
		    "host's %s, not the node's; what it sets belongs in the "
		    "node's configuration", cli, n->role == CLAB_ROLE_FRR ?
		    "FRR" : "BIRD");
	return true;
}

void
clab_exec_node(struct clab_st *st, struct clab_node *n)
{
	const struct ynode	*v[CLAB_LIST_MAX];
	struct clab_cmd		*c;
	struct clab_val		*e;
	size_t			 k, i, pass;

	if ((k = clab_node_list(st, n, "exec", v, CLAB_LIST_MAX)) == 0)
		return;
	if ((c = calloc(k, sizeof(*c))) == NULL) {
		st->nomem = true;
		return;
	}
	for (i = 0; i < k; i++) {
		c[i].at = v[i];
		clab_cmd_split(&c[i]);
	}
	/* Routes last: whether a gateway is on a subnet of the node's
	 * depends on all of its addresses. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < k; i++)
			if (c[i].plain && !c[i].done)
				c[i].done = clab_exec_one(st, n, &c[i],
				    pass == 1);
	for (i = 0; i < k && !st->nomem; i++) {
		if (c[i].done)
			continue;
		if (clab_exec_suite_cli(st, n, c[i].at))
			continue;
		if (c[i].at->scalar[0] == '\0')
			continue;
		clab_warn_once(st, c[i].at, "kept as a command: run once in "
		    "the node's namespace, with the host's files (not a "
		    "container's)");
		if ((e = clab_grow(st, n->execs, n->n_execs, sizeof(*e))) ==
		    NULL)
			break;
		n->execs = e;
		if (clab_val_set(st, &e[n->n_execs], c[i].at->scalar,
		    c[i].at))
			n->n_execs++;
	}
	free(c);
}
