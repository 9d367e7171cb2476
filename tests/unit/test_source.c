/*
 * test_source: a namespace's source (topo_ns_sources) is the same in two
 * topologies only where its compiled state (engine_compile) is the same,
 * and where the rules about it alone (topo_check_since) said nothing of
 * it before, they say nothing again: vrfd takes the state it compiled
 * before for every namespace whose source did not change and does not
 * check it again, so a source that stays while the state changes would
 * leave a namespace as it was. Checked over every one-line change
 * of the shipped examples (a line gone, doubled, a digit changed, up and
 * down swapped); and that a change leaves the other namespaces' sources
 * alone, or there is nothing to gain.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/engine.h"
#include "kernel/kdigest.h"
#include "kernel/kstate.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "topo/ytree.h"

struct loaded {
	struct topo	*t;
	uint64_t	*src;
	uint64_t	*digest;
	bool		*clean;		/* its own rules said nothing */
	int		 rv;		/* topo_ns_sources' */
};

/* TEXT loaded as vrfd loads it (from PREV's tree and bodies, if not
 * NULL, what moved lent too), checked; NULL topology if it has errors. */
static struct loaded
load(const char *text, const struct topo *prev)
{
	struct loaded		 l = { .rv = -1 };
	struct diag_list	 dl = { 0 };

	l.t = topo_load_buf_since("t.yaml", text, strlen(text),
	    &(struct topo_prev){ .root = prev ? prev->root : NULL,
	    .topo = prev, .flags = YTREE_LEND_MOVED }, &dl);
	if (l.t) {
		l.clean = calloc(l.t->n_ns + 1, sizeof(*l.clean));
		topo_check_since(l.t, &dl, NULL, l.clean);
	}
	if (l.t == NULL || dl.n_errors) {
		topo_free(l.t);
		free(l.clean);
		l.clean = NULL;
		l.t = NULL;
		diag_list_free(&dl);
		return l;
	}
	diag_list_free(&dl);
	l.src = calloc(l.t->n_ns + 1, sizeof(*l.src));
	l.digest = calloc(l.t->n_ns + 1, sizeof(*l.digest));
	l.rv = topo_ns_sources(l.t, l.src);
	for (size_t i = 0; i < l.t->n_ns; i++) {
		struct ks_ns	 want;

		memset(&want, 0, sizeof(want));
		CHECK(engine_compile(l.t, &l.t->ns[i], &want) == 0);
		l.digest[i] = ks_ns_digest(&want);
		ks_ns_clear(&want);
	}
	return l;
}

static void
unload(struct loaded *l)
{
	topo_free(l->t);
	free(l->src);
	free(l->digest);
	free(l->clean);
}

static ssize_t
ns_named(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->n_ns; i++)
		if (strcmp(t->ns[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

struct tally {
	size_t	 pairs;		/* namespaces in both */
	size_t	 kept;		/* ... with the same source */
	size_t	 changed;	/* ... with another compiled state */
	size_t	 wrong;		/* the same source, another state */
	size_t	 warned;	/* ... or its own rules said something
				   where they said nothing before */
	size_t	 unclean;	/* changed ones its own rules spoke of */
	size_t	 taken;		/* bodies taken from the last load */
	size_t	 untrue;	/* ... compiled otherwise than read */
};

/* B, loaded from the last load, against WHOLE, the same text loaded
 * alone: each namespace compiled the same, its body taken or read. */
static void
compare_whole(const struct loaded *b, const struct loaded *whole,
    struct tally *n, const char *what)
{
	n->taken += b->t->n_taken;
	for (size_t i = 0; i < b->t->n_ns; i++)
		if (b->digest[i] != whole->digest[i]) {
			n->untrue++;
			printf("  %s: %s compiled otherwise than read alone\n",
			    what, b->t->ns[i].name);
		}
}

/* A's namespaces against B's of the same name. */
static void
compare(const struct loaded *a, const struct loaded *b, struct tally *n,
    const char *what)
{
	for (size_t i = 0; i < a->t->n_ns; i++) {
		ssize_t	 j = ns_named(b->t, a->t->ns[i].name);

		if (j < 0)
			continue;
		n->pairs++;
		if (a->digest[i] != b->digest[j])
			n->changed++;
		n->unclean += !b->clean[j];
		if (a->src[i] == 0 || a->src[i] != b->src[j])
			continue;
		n->kept++;
		if (a->clean[i] && !b->clean[j]) {
			n->warned++;
			printf("  %s: %s: the same source, said something "
			    "new\n", what, a->t->ns[i].name);
		}
		if (a->digest[i] != b->digest[j]) {
			n->wrong++;
			printf("  %s: %s: the same source, another state\n",
			    what, a->t->ns[i].name);
		}
	}
}

static char *
read_text(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	long	 n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* TEXT with line K (0-based) changed by KIND: 0 gone, 1 doubled, 2 its
 * last digit one more, 3 up and down swapped. NULL: the same text. */
static char *
mutate(const char *text, size_t k, int kind)
{
	const char	*line = text, *eol;
	char		*out, *p;
	size_t		 len;

	for (size_t i = 0; i < k && line; i++)
		line = (line = strchr(line, '\n')) ? line + 1 : NULL;
	if (line == NULL || *line == '\0')
		return NULL;
	eol = strchr(line, '\n');
	len = eol ? (size_t)(eol + 1 - line) : strlen(line);
	out = calloc(1, strlen(text) + len + 2);
	memcpy(out, text, (size_t)(line - text));
	p = out + (line - text);
	if (kind == 1) {
		memcpy(p, line, len);
		p += len;
	}
	if (kind != 0) {
		memcpy(p, line, len);
		p[len] = '\0';
	}
	if (kind == 2) {
		char	*d = NULL;

		for (char *q = p; q < p + len; q++)
			if (*q >= '0' && *q <= '9')
				d = q;
		if (d == NULL) {
			free(out);
			return NULL;
		}
		*d = *d == '9' ? '0' : *d + 1;
	} else if (kind == 3) {
		char	*w;

		if ((w = strstr(p, "down")) != NULL && w < p + len)
			memcpy(w, "up  ", 4);
		else if ((w = strstr(p, " up")) != NULL && w < p + len) {
			free(out);
			out = NULL;
		} else {
			free(out);
			return NULL;
		}
	}
	if (out)
		strcat(out, line + len);
	return out;
}

/* Every one-line change of every shipped example. */
static void
test_every_line(void)
{
	glob_t		 g;
	struct tally	 n = { 0 };
	size_t		 mutants = 0;

	CHECK(glob("topology/*.yaml", 0, NULL, &g) == 0);
	for (size_t f = 0; f < g.gl_pathc; f++) {
		char		*text = read_text(g.gl_pathv[f]);
		struct loaded	 base;
		size_t		 lines = 0;

		CHECK(text != NULL);
		if (text == NULL)
			continue;
		base = load(text, NULL);
		CHECK(base.t != NULL);
		for (const char *p = text; (p = strchr(p, '\n')); p++)
			lines++;
		for (size_t k = 0; base.t && k < lines; k++)
			for (int kind = 0; kind < 4; kind++) {
				char		*m = mutate(text, k, kind);
				struct loaded	 new, whole;
				char		 what[300];

				if (m == NULL)
					continue;
				new = load(m, base.t);
				whole = load(m, NULL);
				snprintf(what, sizeof(what), "%s line %zu "
				    "change %d", g.gl_pathv[f], k + 1, kind);
				CHECK((new.t == NULL) == (whole.t == NULL));
				if (new.t && whole.t) {
					mutants++;
					compare(&base, &new, &n, what);
					compare_whole(&new, &whole, &n, what);
				}
				unload(&new);
				unload(&whole);
				free(m);
			}
		unload(&base);
		free(text);
	}
	globfree(&g);
	printf("  %zu changed texts: %zu namespaces in both, %zu compiled "
	    "otherwise, %zu kept their source, %zu spoken of, %zu bodies "
	    "taken\n", mutants, n.pairs, n.changed, n.kept, n.unclean,
	    n.taken);
	CHECK_INTEQ(n.wrong, 0);
	CHECK_INTEQ(n.warned, 0);
	CHECK_INTEQ(n.untrue, 0);
	CHECK(n.taken > n.pairs / 3);
	/* Not empty: changes that were made, and sources that stayed. */
	CHECK(mutants > 200);
	CHECK(n.changed > 100);
	CHECK(n.kept > n.pairs / 3);
	CHECK(n.unclean > 0);
}

#define CHAIN_HEAD							\
	"lab: c\n"							\
	"defaults:\n"							\
	"  sysctl: {net.ipv4.ip_forward: 1}\n"				\
	"routers:\n"
#define CHAIN_ROUTER(n, a, b, extra)					\
	"  r" #n ":\n"							\
	"    interfaces:\n"						\
	"      w: {addresses: [10.0." #a ".2/30]}\n"			\
	"      e: {addresses: [10.0." #b ".1/30]}\n"			\
	extra								\
	"    routes:\n"							\
	"      - {to: 10.9." #n ".0/24, via: 10.0." #b ".2}\n"
#define RING_LINKS							\
	"links:\n"							\
	"  - [r1:e, r2:w]\n"						\
	"  - [r2:e, r3:w]\n"						\
	"  - [r3:e, r4:w]\n"						\
	"  - [r4:e, r5:w]\n"						\
	"  - [r5:e, r6:w]\n"						\
	"  - [r6:e, r7:w]\n"						\
	"  - [r7:e, r8:w]\n"						\
	"  - [r8:e, r1:w]\n"

/* One link added across a ring of eight: its two routers and their
 * neighbours get new sources, the two between keep theirs; a tree parsed
 * by parts gives the sources a whole parse gives. */
static void
test_link_added(void)
{
	const char	*before = CHAIN_HEAD
	    CHAIN_ROUTER(1, 8, 1, "") CHAIN_ROUTER(2, 1, 2, "")
	    CHAIN_ROUTER(3, 2, 3, "") CHAIN_ROUTER(4, 3, 4, "")
	    CHAIN_ROUTER(5, 4, 5, "") CHAIN_ROUTER(6, 5, 6, "")
	    CHAIN_ROUTER(7, 6, 7, "") CHAIN_ROUTER(8, 7, 8, "")
	    RING_LINKS;
	const char	*after = CHAIN_HEAD
	    CHAIN_ROUTER(1, 8, 1, "      x: {addresses: [10.1.0.1/30]}\n")
	    CHAIN_ROUTER(2, 1, 2, "") CHAIN_ROUTER(3, 2, 3, "")
	    CHAIN_ROUTER(4, 3, 4, "")
	    CHAIN_ROUTER(5, 4, 5, "      x: {addresses: [10.1.0.2/30]}\n")
	    CHAIN_ROUTER(6, 5, 6, "") CHAIN_ROUTER(7, 6, 7, "")
	    CHAIN_ROUTER(8, 7, 8, "")
	    RING_LINKS "  - [r1:x, r5:x]\n";
	const char	*same[] = { "c-r3", "c-r7" };
	const char	*other[] = { "c-r1", "c-r2", "c-r8", "c-r4", "c-r5",
	    "c-r6" };
	struct loaded	 a = load(before, NULL), b, whole;
	struct tally	 n = { 0 };

	CHECK(a.t != NULL && a.rv == 0);
	if (a.t == NULL)
		return;
	b = load(after, a.t);
	whole = load(after, NULL);
	CHECK(b.t != NULL && b.rv == 0 && whole.t != NULL);
	if (b.t && whole.t) {
		compare(&a, &b, &n, "link added");
		CHECK_INTEQ(n.wrong, 0);
		for (size_t i = 0; i < 2; i++)
			CHECK(a.src[ns_named(a.t, same[i])] ==
			    b.src[ns_named(b.t, same[i])]);
		for (size_t i = 0; i < 6; i++)
			CHECK(a.src[ns_named(a.t, other[i])] !=
			    b.src[ns_named(b.t, other[i])]);
		for (size_t i = 0; i < b.t->n_ns; i++)
			CHECK(b.src[i] != 0 && b.src[i] == whole.src[i]);
	}
	unload(&a);
	unload(&b);
	unload(&whole);
}

#define RICH_HEAD							\
	"lab: rich\n"							\
	"addressing:\n"							\
	"  loopback: 10.255.0.0/24\n"					\
	"routers:\n"
#define RICH_ROUTERS							\
	"  a:\n"								\
	"    interfaces:\n"						\
	"      lo: {addresses: [10.9.0.1/32, \"2001:db8:9::1/128\"]}\n"	\
	"      e1: {addresses: [10.0.0.1/30], mtu: 1400, mac: "		\
	"\"02:00:00:00:00:01\", state: down}\n"				\
	"      e2: {addresses: [10.0.1.1/30], impair: {rate: 10mbit, "	\
	"burst: 32kb, limit: 64kb}}\n"					\
	"    routes:\n"							\
	"      - {to: 10.8.0.0/16, nexthops: [{via: 10.0.0.2, weight: 2}, "	\
	"{via: 10.0.1.2}]}\n"						\
	"      - {to: 10.7.0.0/16, type: blackhole}\n"			\
	"      - {to: 10.6.0.0/16, via: 10.0.0.2, metric: 50}\n"		\
	"      - {to: 10.4.0.0/16, dev: e2}\n"				\
	"    neighbours:\n"						\
	"      - {ip: 10.0.0.2, lladdr: \"02:00:00:00:00:02\", dev: e1}\n"	\
	"  b:\n"								\
	"    vrfs:\n"							\
	"      red:\n"							\
	"        interfaces:\n"						\
	"          w: {addresses: [10.0.0.2/30]}\n"				\
	"          lo: {}\n"						\
	"        routes: [{to: 10.5.0.0/16, via: 10.0.0.1}]\n"		\
	"      blue:\n"							\
	"        interfaces:\n"						\
	"          w: {addresses: [10.0.1.2/30]}\n"
#define RICH_LINKS							\
	"links:\n"							\
	"  - [a:e1, b/red:w]\n"						\
	"  - [a:e2, b/blue:w]\n"

/* A namespace's body (interfaces as declared: addresses, MTU, MAC, state,
 * impairments; routes with nexthops, types and metrics; neighbours) taken
 * from the last load is what reading it gives, though every router moved
 * and a pool gave a declared interface an address and links another. */
static void
test_bodies_taken(void)
{
	const char	*before = RICH_HEAD RICH_ROUTERS RICH_LINKS;
	const char	*after = RICH_HEAD "  # moved\n" RICH_ROUTERS RICH_LINKS
	    "  - [a:e3, b/blue:e3]\n";
	struct loaded	 a = load(before, NULL), b, whole;

	CHECK(a.t != NULL && a.t->quiet);
	if (a.t == NULL)
		return;
	b = load(after, a.t);
	whole = load(after, NULL);
	CHECK(b.t != NULL && whole.t != NULL);
	if (b.t && whole.t) {
		CHECK_INTEQ(b.t->n_taken, 3);
		CHECK_INTEQ(whole.t->n_taken, 0);
		CHECK_INTEQ(b.t->n_ns, whole.t->n_ns);
		for (size_t i = 0; i < b.t->n_ns && i < whole.t->n_ns; i++) {
			const struct topo_ns *x = &b.t->ns[i], *y =
			    &whole.t->ns[i];

			CHECK(b.digest[i] == whole.digest[i]);
			CHECK_INTEQ(x->n_ifaces, y->n_ifaces);
			for (size_t k = 0; k < x->n_ifaces &&
			    k < y->n_ifaces; k++) {
				CHECK_STREQ(x->ifaces[k].name,
				    y->ifaces[k].name);
				CHECK_INTEQ(x->ifaces[k].n_addrs,
				    y->ifaces[k].n_addrs);
				CHECK_INTEQ(x->ifaces[k].impair.set,
				    y->ifaces[k].impair.set);
			}
			CHECK_INTEQ(x->n_routes, y->n_routes);
			CHECK_INTEQ(x->n_nexthops, y->n_nexthops);
			CHECK_INTEQ(x->n_neighs, y->n_neighs);
		}
	}
	unload(&a);
	unload(&b);
	unload(&whole);
}

/* Where a namespace may take from the text of any other, none has a
 * source: pools number links in file order, and hosts VNIs; a flow
 * style topology is not cut by its entries. */
static void
test_none(void)
{
	const char	*texts[] = {
	    CHAIN_HEAD CHAIN_ROUTER(1, 2, 1, "") CHAIN_ROUTER(2, 1, 2, "")
	    "links:\n  - [r1:e, r2:w]\n  - [r2:e, r1:w]\n"
	    "addressing:\n  p2p: 10.200.0.0/16\n",
	    "{lab: f, routers: {a: {interfaces: {e: {addresses: "
	    "[10.0.0.1/30]}}}, b: {interfaces: {w: {addresses: "
	    "[10.0.0.2/30]}}}}, links: [[a:e, b:w]]}\n",
	};

	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		struct loaded	 l = load(texts[k], NULL);

		CHECK(l.t != NULL);
		if (l.t == NULL)
			continue;
		CHECK_INTEQ(l.rv, -1);
		for (size_t i = 0; i < l.t->n_ns; i++)
			CHECK(l.src[i] == 0);
		unload(&l);
	}
}

int
main(void)
{
	RUN(test_link_added);
	RUN(test_bodies_taken);
	RUN(test_none);
	RUN(test_every_line);
	return CHECK_DONE();
}
