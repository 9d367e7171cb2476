/*
 * clab_priv: what the clab*.c files share, and nobody else uses.
 *
 * The conversion (clab.h) is split by what it reads: clab.c (the file,
 * its top level, names, and the flow), clab_node.c (nodes: inheritance,
 * kinds, sysctls, labels, container-only keys), clab_suite.c (the
 * routing suite a node runs: FRR's or BIRD's files, FRR's daemons),
 * clab_link.c (links, both forms), clab_exec.c (a node's `exec`
 * commands, as state where they say it plainly) and clab_emit.c (vrfd's
 * text, each line with where it comes from, and the remapping).
 */
#ifndef VRFD_CLAB_PRIV_H
#define VRFD_CLAB_PRIV_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "clab.h"
#include "diag.h"
#include "topo.h"
#include "ytree.h"

#define CLAB_LIST_MAX	256	/* exec commands, binds of a node */

enum clab_role {
	CLAB_ROLE_BAD,		/* an error was said: left out */
	CLAB_ROLE_HOST,		/* a linux node: a router of vrfd's */
	CLAB_ROLE_FRR,		/* ... running FRR */
	CLAB_ROLE_BIRD,		/* ... running BIRD */
	CLAB_ROLE_SWITCH,	/* a bridge */
};

/* A value for the text, and where in the containerlab file it is. */
struct clab_val {
	char			*s;		/* owned; NULL: not set */
	const struct ynode	*at;
};

struct clab_iface {
	char			 name[IFNAMSIZ];
	bool			 linked;	/* the end of a link */
	struct clab_val		*addrs;
	size_t			 n_addrs;
	struct clab_val		 mtu, mac;
	const struct ynode	*down;		/* `ip link set IF down` */
};

struct clab_route {
	char			*to, *via, *dev, *metric;	/* owned */
	const struct ynode	*at;
};

struct clab_sysctl {
	char			*key;		/* owned */
	struct clab_val		 val;
};

struct clab_expect {
	char			*to;		/* owned */
	bool			 reach;
	const struct ynode	*at;
};

struct clab_node {
	const char		*cname;		/* containerlab's name */
	char			 name[TOPO_NAME_MAX + 1];	/* vrfd's */
	const struct ynode	*key;		/* the name, in nodes: */
	const struct ynode	*def;		/* its map; NULL: null */
	const struct ynode	*group;		/* definitions inherited */
	const struct ynode	*kind_def;
	const char		*kind;
	enum clab_role		 role;
	struct clab_val		 cfg;		/* FRR's or BIRD's: a file */
	bool			 cfg_is_text;	/* ... or the config itself */
	char			 daemons[TOPO_FRR_DAEMONS_MAX][16];
	size_t			 n_daemons;	/* 0: derived by vrfd */
	const struct ynode	*daemons_at;
	struct clab_iface	*ifs;
	size_t			 n_ifs;
	struct clab_route	*routes;
	size_t			 n_routes;
	struct clab_sysctl	*sysctls;
	size_t			 n_sysctls;
	struct clab_val		*execs;
	size_t			 n_execs;
	struct clab_expect	*expects;
	size_t			 n_expects;
};

struct clab_end {
	struct clab_node	*node;
	char			 ifname[IFNAMSIZ];
	const struct ynode	*at;
};

struct clab_link {
	struct clab_end		 ep[2];
	struct clab_val		 mtu;
	const struct ynode	*at;
};

/* The conversion's state. */
struct clab_st {
	const char		*file;
	char			 dir[PATH_MAX];	/* FILE's, for the files it names */
	struct diag_list	*dl;
	bool			 nomem;
	const struct ynode	*root;
	const struct ynode	*name_at;
	char			 lab[TOPO_NAME_MAX + 1];
	const struct ynode	*defaults, *kinds, *groups;
	struct clab_node	*nodes;
	size_t			 n_nodes;
	struct clab_link	*links;
	size_t			 n_links;
	const struct ynode	**warned;	/* warnings said once a place */
	size_t			 n_warned;
};

/* clab.c */
void	 clab_err(struct clab_st *, const struct ynode *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 clab_warn(struct clab_st *, const struct ynode *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* The same, but once for a place that several nodes inherit. */
void	 clab_warn_once(struct clab_st *, const struct ynode *,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
/* An error at key K of MAP, with its map's path (an unknown key). */
void	 clab_err_key(struct clab_st *, const struct ynode *map,
	    const struct ynode *k, const char *const *known);
char	*clab_strdup(struct clab_st *, const char *);
/* V of N elements with room for one more, zeroed; NULL: nomem set. */
void	*clab_grow(struct clab_st *, void *v, size_t n, size_t size);
/* N, a scalar (WHAT says what it should be), or NULL after an error. */
const char *clab_scalar(struct clab_st *, const struct ynode *n,
	    const char *what);
bool	 clab_is_map(const struct ynode *);	/* a map, or null */
struct clab_node *clab_node_by_cname(struct clab_st *, const char *);
/* A path the containerlab file gives (a bind's, a startup-config), for
 * the text: ~ and containerlab's __clabDir__, __clabNodeDir__ made out. */
char	*clab_path(struct clab_st *, const struct clab_node *, const char *);

/* clab_node.c */
bool	 clab_in(const char *, const char *const *);
/* The value of KEY for N: the node's, its group's, its kind's, else the
 * defaults'; NULL: none. */
const struct ynode *clab_field(struct clab_st *, const struct clab_node *,
	    const char *key);
void	 clab_node_read(struct clab_st *, struct clab_node *);
void	 clab_node_state(struct clab_st *, struct clab_node *);
void	 clab_node_warn_defs(struct clab_st *);
/* The list of KEY for N, as containerlab merges lists: the defaults',
 * the kind's, the group's, then the node's. Into V (up to MAX). */
size_t	 clab_node_list(struct clab_st *, const struct clab_node *,
	    const char *key, const struct ynode **v, size_t max);
struct clab_iface *clab_node_iface(struct clab_st *, struct clab_node *,
	    const char *ifname);
void	 clab_node_sysctl(struct clab_st *, struct clab_node *,
	    const char *key, const char *value, const struct ynode *at);
void	 clab_node_free(struct clab_node *);

/* clab_suite.c: N's FRR or BIRD, with its configuration and daemons. */
void	 clab_suite_read(struct clab_st *, struct clab_node *);

/* clab_link.c */
void	 clab_link_all(struct clab_st *, const struct ynode *seq);

/* clab_exec.c: N's exec commands: state, or kept as commands. */
void	 clab_exec_node(struct clab_st *, struct clab_node *);

/* clab_emit.c */
int	 clab_emit(struct clab_st *, struct clab_conv *);

#endif
