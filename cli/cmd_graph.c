/*
 * vrfctl graph [--format dot|mermaid] FILE: draw a topology.
 *
 * Both formats draw the same picture. A router with VRFs is a box (a DOT
 * cluster, a Mermaid subgraph) holding one node per VRF; a router without
 * VRFs is a single node, since it is a single namespace. Switches are
 * ellipses (DOT) or hexagons (Mermaid). Each node shows its node name and
 * its namespace; each link is an edge that shows the interface and its
 * addresses at both ends, and its MTU if set.
 *
 * With --trace NODE DEST the lab must be up: the packet is traced through
 * its live forwarding state (engine/trace.c) and the nodes and links it
 * passes are drawn in red, the result in the title, so that a class sees
 * the path.
 *
 * The loader restricts names, but every string is escaped anyway: the
 * output must parse whatever the file held.
 */
#include <netinet/in.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/trace.h"
#include "topo/topo.h"
#include "vrfctl.h"

enum graph_format {
	GRAPH_DOT,
	GRAPH_MERMAID,
};

/* getopt values of the options without a short form. */
#define GRAPH_OPT_FORMAT	256
#define GRAPH_OPT_TRACE		257

#define GRAPH_HL_COLOR		"#d62728"

/* What a traced path makes stand out; all false without --trace. */
struct graph_hl {
	bool		*ns;		/* per topo->ns */
	bool		*link;		/* per topo->links */
	char		*title;		/* "trace a -> 10.0.0.1: delivered" */
};

/*
 * An endpoint as text: the interface, then its addresses, the first after
 * SEP1, the others after SEP: "eth0\n10.1.0.2/24". Malloc'ed.
 */
static char *
graph_ep_text(const struct topo_endpoint *ep, const char *sep1,
    const char *sep)
{
	const struct topo_iface	*ifc = NULL;
	char			*s = NULL, buf[INET6_ADDRSTRLEN + 8];
	size_t			 len = 0, i;
	FILE			*f;

	if ((f = open_memstream(&s, &len)) == NULL)
		err(1, "open_memstream");
	fputs(ep->ifname, f);
	ifc = topo_ep_iface(ep);
	for (i = 0; ifc != NULL && i < ifc->n_addrs; i++)
		fprintf(f, "%s%s", i == 0 ? sep1 : sep,
		    topo_prefix_str(&ifc->addrs[i].pfx, buf, sizeof(buf)));
	if (fclose(f) == EOF)
		err(1, "open_memstream");
	return s;
}

static char *
graph_ns_text(const struct topo_ns *ns)
{
	char	*s;

	if (asprintf(&s, "%s\n%s", ns->node_name, ns->name) == -1)
		err(1, "asprintf");
	return s;
}

/*
 * A DOT quoted string. Inside quotes DOT only unescapes \", but labels
 * then read \n, \l, \N...: a backslash is doubled so none of them is made
 * by accident, and a newline is written \n on purpose.
 */
static void
graph_dot_str(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else {
			if (*s == '"' || *s == '\\')
				putc('\\', f);
			putc(*s, f);
		}
	}
	putc('"', f);
}

static void
graph_dot_node(FILE *f, const struct topo_ns *ns, const char *indent,
    bool hl)
{
	char	*label = graph_ns_text(ns);

	fputs(indent, f);
	graph_dot_str(f, ns->node_name);
	fputs(" [label=", f);
	graph_dot_str(f, label);
	if (ns->kind == TOPO_NS_SWITCH)
		fputs(", shape=ellipse, style=filled, fillcolor=lightgrey", f);
	if (hl)
		fputs(", color=\"" GRAPH_HL_COLOR "\", penwidth=3", f);
	fputs("];\n", f);
	free(label);
}

static void
graph_dot(FILE *f, const struct topo *t, const struct graph_hl *hl)
{
	const struct topo_router	*r;
	const struct topo_link		*l;
	char				*s, *tail, *head, mtu[32];
	size_t				 i, j;

	fputs("graph ", f);
	graph_dot_str(f, t->lab);
	/*
	 * Head and tail labels get no room in the layout: ranks far apart
	 * keep the two ends of an edge from writing over each other.
	 */
	fputs(" {\n\tgraph [rankdir=LR, ranksep=2, labelloc=t, label=", f);
	if (asprintf(&s, "lab %s%s%s", t->lab, hl->title ? "\n" : "",
	    hl->title ? hl->title : "") == -1)
		err(1, "asprintf");
	graph_dot_str(f, s);
	free(s);
	fputs("];\n\tnode [shape=box, style=rounded];\n"
	    "\tedge [fontsize=10, labelfontsize=9];\n", f);

	for (i = 0; i < t->n_routers; i++) {
		r = &t->routers[i];
		if (!r->has_vrfs) {
			for (j = 0; j < r->n_ns; j++)
				graph_dot_node(f, &t->ns[r->first_ns + j],
				    "\t", hl->ns[r->first_ns + j]);
			continue;
		}
		if (asprintf(&s, "cluster_%s", r->name) == -1)
			err(1, "asprintf");
		fputs("\tsubgraph ", f);
		graph_dot_str(f, s);
		free(s);
		fputs(" {\n\t\tlabel=", f);
		graph_dot_str(f, r->name);
		fputs(";\n\t\tstyle=rounded;\n", f);
		for (j = 0; j < r->n_ns; j++)
			graph_dot_node(f, &t->ns[r->first_ns + j], "\t\t",
			    hl->ns[r->first_ns + j]);
		fputs("\t}\n", f);
	}
	for (i = 0; i < t->n_ns; i++)
		if (t->ns[i].kind == TOPO_NS_SWITCH)
			graph_dot_node(f, &t->ns[i], "\t", hl->ns[i]);

	for (i = 0; i < t->n_links; i++) {
		l = &t->links[i];
		tail = graph_ep_text(&l->ep[0], "\n", "\n");
		head = graph_ep_text(&l->ep[1], "\n", "\n");
		fputs("\t", f);
		graph_dot_str(f, l->ep[0].node);
		fputs(" -- ", f);
		graph_dot_str(f, l->ep[1].node);
		fputs(" [taillabel=", f);
		graph_dot_str(f, tail);
		fputs(", headlabel=", f);
		graph_dot_str(f, head);
		if (l->mtu != 0) {
			snprintf(mtu, sizeof(mtu), "mtu %u", l->mtu);
			fputs(", label=", f);
			graph_dot_str(f, mtu);
		}
		if (hl->link[i])
			fputs(", color=\"" GRAPH_HL_COLOR "\", penwidth=3", f);
		fputs("];\n", f);
		free(tail);
		free(head);
	}
	fputs("}\n", f);
}

/*
 * The text of a Mermaid quoted label. A quote cannot appear in it, and
 * labels are HTML: characters that mean something to either are written
 * as Mermaid entity codes (#quot; becomes &quot;), a newline as <br/>.
 */
static void
graph_mmd_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\n':
			fputs("<br/>", f);
			break;
		case '"':
			fputs("#quot;", f);
			break;
		case '#':
			fputs("#35;", f);
			break;
		case '&':
			fputs("#amp;", f);
			break;
		case '<':
			fputs("#lt;", f);
			break;
		case '>':
			fputs("#gt;", f);
			break;
		case '|':
			fputs("#124;", f);
			break;
		case '`':
			fputs("#96;", f);
			break;
		default:
			putc(*s, f);
			break;
		}
	}
}

/* Mermaid ids are ours (n3, r1): node names hold '/' and '-'. */
static void
graph_mmd_node(FILE *f, const struct topo *t, const struct topo_ns *ns,
    const char *indent)
{
	char	*label = graph_ns_text(ns);
	bool	 sw = ns->kind == TOPO_NS_SWITCH;

	fprintf(f, "%sn%zu%s\"", indent, (size_t)(ns - t->ns),
	    sw ? "{{" : "[");
	graph_mmd_text(f, label);
	fprintf(f, "\"%s\n", sw ? "}}" : "]");
	free(label);
}

static void
graph_mermaid(FILE *f, const struct topo *t, const struct graph_hl *hl)
{
	const struct topo_router	*r;
	const struct topo_link		*l;
	const char			*p;
	char				*a, *b;
	size_t				 i, j, drawn = 0;

	/* The title goes in front matter, a YAML double-quoted string. */
	if (asprintf(&a, "lab %s%s%s", t->lab, hl->title ? ": " : "",
	    hl->title ? hl->title : "") == -1)
		err(1, "asprintf");
	fputs("---\ntitle: \"", f);
	for (p = a; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			putc('\\', f);
		putc(*p, f);
	}
	free(a);
	fputs("\"\n---\nflowchart LR\n", f);

	for (i = 0; i < t->n_routers; i++) {
		r = &t->routers[i];
		if (!r->has_vrfs) {
			for (j = 0; j < r->n_ns; j++)
				graph_mmd_node(f, t, &t->ns[r->first_ns + j],
				    "    ");
			continue;
		}
		fprintf(f, "    subgraph r%zu [\"", i);
		graph_mmd_text(f, r->name);
		fputs("\"]\n", f);
		for (j = 0; j < r->n_ns; j++)
			graph_mmd_node(f, t, &t->ns[r->first_ns + j],
			    "        ");
		fputs("    end\n", f);
	}
	for (i = 0; i < t->n_ns; i++)
		if (t->ns[i].kind == TOPO_NS_SWITCH)
			graph_mmd_node(f, t, &t->ns[i], "    ");

	for (i = 0; i < t->n_links; i++) {
		l = &t->links[i];
		if (l->ep[0].ns == NULL || l->ep[1].ns == NULL)
			continue;	/* an invalid topology: not drawn */
		a = graph_ep_text(&l->ep[0], " ", ", ");
		b = graph_ep_text(&l->ep[1], " ", ", ");
		fprintf(f, "    n%zu ---|\"", (size_t)(l->ep[0].ns - t->ns));
		graph_mmd_text(f, a);
		fputs(" — ", f);
		graph_mmd_text(f, b);
		if (l->mtu != 0)
			fprintf(f, "<br/>mtu %u", l->mtu);
		fprintf(f, "\"| n%zu\n", (size_t)(l->ep[1].ns - t->ns));
		free(a);
		free(b);
		/* linkStyle counts the links drawn, in order. */
		if (hl->link[i])
			fprintf(f, "    linkStyle %zu stroke:" GRAPH_HL_COLOR
			    ",stroke-width:4px\n", drawn);
		drawn++;
	}
	for (i = 0; i < t->n_ns; i++)
		if (hl->ns[i])
			fprintf(f, "    style n%zu stroke:" GRAPH_HL_COLOR
			    ",stroke-width:3px\n", i);
}

/* Is L the link between hop A, leaving by its egress, and hop B? */
static bool
graph_link_between(const struct topo_link *l, const struct trace_hop *a,
    const struct trace_hop *b)
{
	int	 j;

	for (j = 0; j < 2; j++)
		if (l->ep[j].ns != NULL && l->ep[1 - j].ns != NULL &&
		    strcmp(l->ep[j].ns->node_name, a->node) == 0 &&
		    strcmp(l->ep[1 - j].ns->node_name, b->node) == 0 &&
		    (strcmp(l->ep[j].ifname, a->egress) == 0 ||
		    strcmp(l->ep[1 - j].ifname, b->ingress) == 0))
			return true;
	return false;
}

/* Trace NODE to DEST in T's live lab and mark what it passes. */
static int
graph_trace(struct vrfctl *v, const struct topo *t, const char *node,
    const struct topo_ip *dst, struct graph_hl *hl)
{
	struct trace_req	 req = { .topo = t, .node = node, .dst = *dst };
	struct trace		 tr;
	const struct topo_ns	*ns;
	char			 a[64];
	size_t			 h, i;

	if (trace_run(&req, &tr) < 0) {
		vrfctl_warnx(v, "--trace: %s", tr.why);
		trace_free(&tr);
		return VRFCTL_EXIT_FAILED;
	}
	for (h = 0; h < tr.n_hops; h++) {
		if ((ns = topo_ns_by_node(t, tr.hops[h].node)) != NULL)
			hl->ns[ns - t->ns] = true;
		for (i = 0; h + 1 < tr.n_hops && i < t->n_links; i++)
			if (graph_link_between(&t->links[i], &tr.hops[h],
			    &tr.hops[h + 1]))
				hl->link[i] = true;
	}
	if (asprintf(&hl->title, "trace %s -> %s: %s", node,
	    topo_ip_str(dst, a, sizeof(a)), trace_result_str(tr.result)) == -1)
		err(1, "asprintf");
	trace_free(&tr);
	return VRFCTL_EXIT_OK;
}

int
cmd_graph(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, GRAPH_OPT_FORMAT },
		{ "trace", required_argument, NULL, GRAPH_OPT_TRACE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum graph_format	 fmt = GRAPH_DOT;
	struct graph_hl		 hl = { NULL, NULL, NULL };
	struct topo		*t;
	struct topo_ip		 dst;
	const char		*trace_node = NULL, *what = NULL, *file;
	char			 lab[TOPO_NAME_MAX + 1], path[4096];
	int			 c, i, rc;

	while ((c = vrfctl_getopt(v, argc, argv, "hl:", longopts)) != -1) {
		switch (c) {
		case GRAPH_OPT_FORMAT:
			if (strcmp(optarg, "dot") == 0)
				fmt = GRAPH_DOT;
			else if (strcmp(optarg, "mermaid") == 0)
				fmt = GRAPH_MERMAID;
			else
				return vrfctl_usage_error(v, "unknown format "
				    "'%s': use dot or mermaid", optarg);
			break;
		case GRAPH_OPT_TRACE:
			trace_node = optarg;
			break;
		case 'l':
			v->lab = optarg;
			break;
		case 'h':
			return vrfctl_cmd_help(v);
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	/* A graph is not JSON: better refuse than break the -j promise. */
	if (v->json)
		return vrfctl_usage_error(v, "-j is not supported: a graph "
		    "is DOT or Mermaid");
	memset(&dst, 0, sizeof(dst));
	for (i = optind; i < argc; i++) {
		/* With --trace, the operand that is an address is DEST. */
		if (trace_node != NULL && dst.family == 0 &&
		    topo_parse_ip(argv[i], &dst) == 0)
			continue;
		if (what != NULL)
			return vrfctl_usage_error(v, "unexpected argument "
			    "'%s'", argv[i]);
		what = argv[i];
	}
	if (trace_node != NULL && dst.family == 0)
		return vrfctl_usage_error(v, "--trace NODE needs a DEST "
		    "address");
	if (what == NULL && trace_node == NULL)
		return vrfctl_usage_error(v, "no topology file given");
	if (what == NULL) {
		/* The lab of -l, or the only one here: its kept file. */
		if (vrfctl_lab_name(v, lab, sizeof(lab)) < 0)
			return VRFCTL_EXIT_FAILED;
		rc = vrfctl_lab_topo(v, lab, &t);
	} else if ((rc = vrfctl_file_or_lab(v, what, path, sizeof(path),
	    &file)) == 0)
		rc = vrfctl_topo_open(v, file, &t, NULL, NULL);
	if (rc != VRFCTL_EXIT_OK)
		return rc;
	if ((hl.ns = calloc(t->n_ns + 1, sizeof(bool))) == NULL ||
	    (hl.link = calloc(t->n_links + 1, sizeof(bool))) == NULL)
		err(1, "calloc");
	if (trace_node != NULL &&
	    (rc = graph_trace(v, t, trace_node, &dst, &hl)) != 0)
		goto out;
	if (fmt == GRAPH_MERMAID)
		graph_mermaid(stdout, t, &hl);
	else
		graph_dot(stdout, t, &hl);
out:
	free(hl.ns);
	free(hl.link);
	free(hl.title);
	topo_free(t);
	return rc;
}
