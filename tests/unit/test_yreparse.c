/*
 * test_yreparse: a text parsed again by its changed parts (ytree_reparse)
 * gives the tree ytree_parse gives, node for node: types, text, quotes,
 * lines and columns, and each node's place (parent, key, index); and it
 * declines (EAGAIN) what it cannot cut safely.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "topo/diag.h"
#include "topo/ytree.h"

/* The reparse of NEW from OLD is the parse of NEW; or, if WANT_AGAIN,
 * declined. */
static void
reparse_is_parse(const char *old, const char *new, int want_again)
{
	struct diag_list	 dl = { 0 };
	struct ynode		*o, *full, *re;

	o = ytree_parse("t.yaml", old, strlen(old), &dl);
	full = ytree_parse("t.yaml", new, strlen(new), &dl);
	/* (a text declined may not even parse) */
	CHECK(o != NULL && (full != NULL || want_again));
	errno = 0;
	/* A text that is not cut leaves OLD uncut: the reparse declines. */
	if (o != NULL)
		(void)ytree_cut(o, old, strlen(old));
	re = ytree_reparse("t.yaml", new, strlen(new), o, 0);
	if (want_again) {
		CHECK(re == NULL);
		CHECK_INTEQ(errno, EAGAIN);
	} else {
		CHECK(re != NULL);
		if (re && full)
			CHECK(ynode_same(full, re));
	}
	ytree_free(o);
	ytree_free(full);
	ytree_free(re);
	diag_list_free(&dl);
}

static const char LAB[] =
    "# a lab\n"
    "lab: demo\n"
    "defaults:\n"
    "  sysctl: {net.ipv4.ip_forward: 1}\n"
    "routers:\n"
    "  r1:\n"
    "    interfaces:\n"
    "      lo: {addresses: [10.255.0.1/32]}\n"
    "    routes:\n"
    "      - {to: 10.255.0.2/32, via: 10.0.0.2}\n"
    "\n"
    "  r2:\n"
    "    interfaces:\n"
    "      lo: {addresses: [10.255.0.2/32]}\n"
    "    # a comment in r2\n"
    "    routes:\n"
    "      - to: 10.255.0.1/32\n"
    "        via: 10.0.0.1\n"
    "links:\n"
    "  - [r1:eth0, r2:eth0]\n"
    "  - endpoints: [r1:eth1, r2:eth1]\n"
    "    mtu: 9000\n";

/* What an apply of the same lab again may bring. */
static void
test_edits(void)
{
	/* the same text */
	reparse_is_parse(LAB, LAB, 0);
	/* UTF-8 in a comment and a value */
	reparse_is_parse(LAB, "# caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"
	    "lab: d\xc3\xa9mo\n", 0);
	/* a link added at the end, and an interface in r1 */
	reparse_is_parse(LAB,
	    "# a lab\nlab: demo\ndefaults:\n  sysctl: {net.ipv4.ip_forward: 1}\n"
	    "routers:\n  r1:\n    interfaces:\n      lo: {addresses: [10.255.0.1/32]}\n"
	    "      x1: {addresses: [192.168.255.1/30]}\n"
	    "    routes:\n      - {to: 10.255.0.2/32, via: 10.0.0.2}\n\n"
	    "  r2:\n    interfaces:\n      lo: {addresses: [10.255.0.2/32]}\n"
	    "    # a comment in r2\n    routes:\n      - to: 10.255.0.1/32\n"
	    "        via: 10.0.0.1\n"
	    "links:\n  - [r1:eth0, r2:eth0]\n  - endpoints: [r1:eth1, r2:eth1]\n"
	    "    mtu: 9000\n  - [r1:x1, r2:eth9]\n", 0);
	/* a router removed, one added first, the lab renamed */
	reparse_is_parse(LAB,
	    "lab: other\ndefaults:\n  sysctl: {net.ipv4.ip_forward: 1}\n"
	    "routers:\n  r0: {}\n"
	    "  r2:\n    interfaces:\n      lo: {addresses: [10.255.0.2/32]}\n"
	    "    # a comment in r2\n    routes:\n      - to: 10.255.0.1/32\n"
	    "        via: 10.0.0.1\n"
	    "links:\n  - [r1:eth0, r2:eth0]\n", 0);
	/* a new top-level key; sections in another order; a list at
	 * column 0 */
	reparse_is_parse(LAB,
	    "links:\n- [r1:eth0, r2:eth0]\n- [r1:eth2, r2:eth2]\n"
	    "routers:\n  r1:\n    interfaces:\n      lo: {addresses: [10.255.0.1/32]}\n"
	    "    routes:\n      - {to: 10.255.0.2/32, via: 10.0.0.2}\n\n"
	    "switches:\n  lan1: {}\nlab: demo\n", 0);
	/* a key with its value below turned inline, and back */
	reparse_is_parse(LAB, "lab: demo\nrouters: {}\nlinks: []\n", 0);
	reparse_is_parse("lab: demo\nrouters: {}\n", LAB, 0);
}

/* Errors are the full parse's to report: declined. */
static void
test_declined(void)
{
	/* a duplicate router, a duplicate top-level key */
	reparse_is_parse(LAB, "lab: demo\nrouters:\n  r1: {}\n  r1: {}\n", 1);
	reparse_is_parse(LAB, "lab: demo\nlab: again\n", 1);
	/* an entry that does not parse alone */
	reparse_is_parse(LAB, "lab: demo\nrouters:\n  r1: {a: [}\n", 1);
	/* anchors and aliases, merge keys, tabs, directives, markers */
	reparse_is_parse(LAB, "lab: demo\nx: &a {b: 1}\ny: *a\n", 1);
	reparse_is_parse(LAB, "lab: demo\nx:\n  <<: {b: 1}\n", 1);
	reparse_is_parse(LAB, "lab: demo\nx:\n\ty: 1\n", 1);
	/* ... found wherever they are in the text's words: a carriage
	 * return, an alias and a merge key far into a line, a merge key
	 * whose two halves are in two words */
	reparse_is_parse(LAB, "lab: demo\r\nrouters: {}\n", 1);
	reparse_is_parse(LAB, "lab: demo\nrouters:\n  r1: {interfaces: "
	    "{eth0: {}}, routes: *rt}\n", 1);
	reparse_is_parse(LAB, "lab: demo\nrouters:\n  r1: {interfaces: "
	    "{eth0: {<<: {mtu: 1400}}}}\n", 1);
	reparse_is_parse(LAB, "lab: demo\nroute:\n  r1: {<<: {a: 1}}\n", 1);
	reparse_is_parse(LAB, "%YAML 1.1\n---\nlab: demo\n", 1);
	/* a quoted key, a flow map at the top */
	reparse_is_parse(LAB, "\"lab\": demo\n", 1);
	reparse_is_parse(LAB, "{lab: demo}\n", 1);
	/* a block scalar at the top */
	reparse_is_parse(LAB, "lab: demo\nnote: |\n  text\n", 1);
	/* what libyaml's reader refuses, in a comment no part holds: a byte
	 * that is not UTF-8, an overlong form, a control character; and
	 * NEL, a line break the cut would not see */
	reparse_is_parse(LAB, "\n# a\xde b\n" "lab: demo\n", 1);
	reparse_is_parse(LAB, "# a \xc0\xaf\n" "lab: demo\n", 1);
	reparse_is_parse(LAB, "# a \x01 b\n" "lab: demo\n", 1);
	reparse_is_parse(LAB, "# a \x7f b\n" "lab: demo\n", 1);
	reparse_is_parse(LAB, "lab: demo # \xc2\x85\n", 1);
	/* an explicit key without a value: its empty value is where the
	 * next token is, past the part */
	reparse_is_parse("lab: demo\nlinks:\n  - [a:e1, b:e1]\n  - [c:e1, d:e1]\n",
	    "lab: demo\nlinks:\n  - [a:e1, b:e1]\n  -  ?\n  - [c:e1, d:e1]\n", 1);
	/* an old tree made with an error: its parts would hide it */
	{
		struct diag_list dl = { 0 };
		const char	*bad = "lab: demo\nrouters:\n  r1: {a: 1, a: 2}\n";
		struct ynode	*o = ytree_parse("t.yaml", bad, strlen(bad),
				    &dl);

		CHECK(o != NULL && dl.n == 1);
		CHECK_INTEQ(ytree_cut(o, bad, strlen(bad)), -EAGAIN);
		CHECK(ytree_reparse("t.yaml", bad, strlen(bad), o, 0) == NULL);
		ytree_free(o);
		diag_list_free(&dl);
	}
	/* an old tree that is not of the old text */
	{
		struct diag_list dl = { 0 };
		struct ynode	*o = ytree_parse("t.yaml", LAB, strlen(LAB),
				    &dl);
		const char	*other = "lab: demo\n";

		CHECK_INTEQ(ytree_cut(o, other, strlen(other)), -EAGAIN);
		CHECK(ytree_reparse("t.yaml", LAB, strlen(LAB), o, 0) == NULL);
		CHECK_INTEQ(errno, EAGAIN);
		ytree_free(o);
		diag_list_free(&dl);
	}
}

/* A lab of many routers: one changed, one link added; every part else
 * is the old tree's, lines moved; and a link only added at the end, the
 * routers copied whole. */
static void
test_many(void)
{
	size_t	 cap = 1 << 20, n;
	char	*a = malloc(cap), *b = malloc(cap), *c = malloc(cap);
	int	 la = 0, lb = 0;

	CHECK(a != NULL && b != NULL && c != NULL);
	if (a == NULL || b == NULL || c == NULL)
		goto out;
	la += snprintf(a + la, cap - la, "lab: big\nrouters:\n");
	lb += snprintf(b + lb, cap - lb, "lab: big\nrouters:\n");
	for (n = 0; n < 500; n++) {
		la += snprintf(a + la, cap - la, "  r%zu:\n    interfaces:\n"
		    "      lo: {addresses: [10.1.%zu.%zu/32]}\n", n, n / 256,
		    n % 256);
		lb += snprintf(b + lb, cap - lb, "  r%zu:\n    interfaces:\n"
		    "      lo: {addresses: [10.1.%zu.%zu/32]}\n%s", n, n / 256,
		    n % 256, n == 7 ? "      x1: {mtu: 1400}\n" : "");
	}
	la += snprintf(a + la, cap - la, "links:\n");
	lb += snprintf(b + lb, cap - lb, "links:\n");
	for (n = 0; n + 1 < 500; n++) {
		la += snprintf(a + la, cap - la, "  - [r%zu:e1, r%zu:e0]\n",
		    n, n + 1);
		lb += snprintf(b + lb, cap - lb, "  - [r%zu:e1, r%zu:e0]\n",
		    n, n + 1);
	}
	lb += snprintf(b + lb, cap - lb, "  - [r7:x1, r499:x1]\n");
	reparse_is_parse(a, b, 0);
	reparse_is_parse(b, a, 0);
	snprintf(c, cap, "%s  - [r0:x2, r499:x2]\n", a);
	reparse_is_parse(a, c, 0);
	reparse_is_parse(c, a, 0);
	/* A tree made by parts keeps its own text's cut: the text after it
	 * is taken from it, without the text before. */
	{
		struct diag_list dl = { 0 };
		struct ynode	*o = ytree_parse("t.yaml", a, (size_t)la, &dl);
		struct ynode	*mid = NULL, *back = NULL, *full;

		CHECK(o != NULL && ytree_cut(o, a, (size_t)la) == 0);
		if (o != NULL)
			mid = ytree_reparse("t.yaml", b, (size_t)lb, o, 0);
		ytree_free(o);
		if (mid != NULL)
			back = ytree_reparse("t.yaml", a, (size_t)la, mid, 0);
		full = ytree_parse("t.yaml", a, (size_t)la, &dl);
		CHECK(mid != NULL && back != NULL && full != NULL);
		if (back && full)
			CHECK(ynode_same(full, back));
		ytree_free(mid);
		ytree_free(back);
		ytree_free(full);
		diag_list_free(&dl);
	}
out:
	free(a);
	free(b);
	free(c);
}

/* Every shipped example, with a line more in its middle and a comment at
 * its end: declined, or the full parse's tree. */
static void
test_examples(void)
{
	glob_t	 g;
	size_t	 reused = 0;

	if (glob("topology/*.yaml", 0, NULL, &g) != 0)
		return;
	(void)glob("topology/*/*.yaml", GLOB_APPEND, NULL, &g);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct diag_list dl = { 0 };
		FILE		*f = fopen(g.gl_pathv[i], "r");
		char		*old = NULL, *new = NULL, *mid;
		size_t		 cap = 0;
		ssize_t		 len;
		struct ynode	*o, *full, *re;

		if (f == NULL)
			continue;
		len = getdelim(&old, &cap, '\0', f);
		fclose(f);
		if (len <= 0 || (new = malloc((size_t)len + 64)) == NULL) {
			free(old);
			continue;
		}
		/* a blank line after the middle line, a comment at the end */
		mid = strchr(old + len / 2, '\n');
		mid = mid ? mid + 1 : old + len;
		memcpy(new, old, (size_t)(mid - old));
		strcpy(new + (mid - old), "\n");
		strcat(new, mid);
		strcat(new, "# more\n");
		o = ytree_parse(g.gl_pathv[i], old, (size_t)len, &dl);
		full = ytree_parse(g.gl_pathv[i], new, strlen(new), &dl);
		if (o != NULL)
			(void)ytree_cut(o, old, (size_t)len);
		re = ytree_reparse(g.gl_pathv[i], new, strlen(new), o, 0);
		if (re != NULL) {
			reused++;
			if (!ynode_same(full, re)) {
				printf("  %s: not the full parse's\n",
				    g.gl_pathv[i]);
				CHECK(0);
			}
		}
		ytree_free(o);
		ytree_free(full);
		ytree_free(re);
		diag_list_free(&dl);
		free(old);
		free(new);
	}
	/* most of them are plain block style */
	CHECK(reused >= g.gl_pathc / 2);
	globfree(&g);
}

/* A lab of N routers, each of its interfaces' lo: 10.1.x.y, and a chain
 * of links; FROM routers on from a second plan (10.2.x.y); a router
 * more, first, if EXTRA. */
static char *
lend_lab(size_t n, size_t from, int extra)
{
	char	*t = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&t, &len);

	if (f == NULL)
		return NULL;
	fputs("lab: big\nrouters:\n", f);
	if (extra)
		fputs("  r-first:\n    interfaces:\n      lo: {}\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  r%zu:\n    interfaces:\n      lo: {addresses: "
		    "[10.%d.%zu.%zu/32]}\n", i, i >= from ? 2 : 1, i / 256,
		    i % 256);
	fputs("links:\n", f);
	for (size_t i = 0; i + 1 < n; i++)
		fprintf(f, "  - [r%zu:e1, r%zu:e0]\n", i, i + 1);
	fclose(f);
	return t;
}

/* Router R's node in ROOT's tree. */
static const struct ynode *
lend_router(const struct ynode *root, const char *r)
{
	const struct ynode	*routers = root ? ynode_get(root, "routers") :
				    NULL;

	return routers ? ynode_get(routers, r) : NULL;
}

/* RE is TEXT's full parse. */
static void
lend_same(const char *text, const struct ynode *re)
{
	struct diag_list dl = { 0 };
	struct ynode	*full = ytree_parse("t.yaml", text, strlen(text), &dl);

	CHECK(full != NULL && dl.n == 0);
	if (full != NULL && !ynode_same(full, re))
		CHECK(0);
	ytree_free(full);
	diag_list_free(&dl);
}

/* TEXT reparsed from OLD, and checked against its full parse. */
static struct ynode *
lend_next(const char *text, const struct ynode *old)
{
	struct diag_list dl = { 0 };
	struct ynode	*re, *full;

	re = ytree_reparse("t.yaml", text, strlen(text), old, 0);
	full = ytree_parse("t.yaml", text, strlen(text), &dl);
	CHECK(re != NULL && full != NULL && dl.n == 0);
	if (re != NULL && full != NULL)
		CHECK(ynode_same(full, re));
	ytree_free(full);
	diag_list_free(&dl);
	return re;
}

/* TEXT reparsed from T, which goes; router r7 of the tree made is R7
 * itself (lent) if LENT, or another (copied). NULL stays NULL. */
static struct ynode *
lend_step(struct ynode *t, const char *text, const struct ynode *r7,
    bool lent)
{
	struct ynode	*next;

	if (t == NULL)
		return NULL;
	next = lend_next(text, t);
	CHECK(next != NULL && (lend_router(next, "r7") == r7) == lent);
	ytree_free(t);
	return next;
}

/* A router's entry that stayed where it was is the old tree's own nodes,
 * lent: the new tree holds the old one, and its paths are its own. The
 * trees held stay two, however many texts follow; one that moved is
 * copied. */
static void
test_lend(void)
{
	struct diag_list dl = { 0 };
	char		*a = lend_lab(300, 300, 0), *b = NULL, *c = NULL;
	char		*d = lend_lab(300, 300, 1), *e = lend_lab(300, 100, 1);
	char		*f = NULL;
	struct ynode	*o, *t;
	const struct ynode *r7;
	char		*path;

	CHECK(a != NULL && d != NULL && e != NULL &&
	    asprintf(&b, "%s  - [r0:x1, r299:x1]\n", a) > 0 &&
	    asprintf(&c, "%s  - [r1:x1, r298:x1]\n", a) > 0 &&
	    asprintf(&f, "%s  - [r2:x1, r297:x1]\n", e) > 0);
	o = ytree_parse("t.yaml", a, strlen(a), &dl);
	CHECK(o != NULL && dl.n == 0 && ytree_cut(o, a, strlen(a)) == 0);
	if (o == NULL || b == NULL || c == NULL || f == NULL)
		goto out;
	r7 = lend_router(o, "r7");
	/* A link more: the routers lent, by the first tree, which then
	 * goes with the second. */
	t = lend_next(b, o);
	CHECK(t != NULL && lend_router(t, "r7") == r7);
	ytree_free(o);
	if (t == NULL)
		goto out;
	path = ynode_path(ynode_get(ynode_get(r7, "interfaces"), "lo"));
	CHECK_STREQ(path, "routers.r7.interfaces.lo");
	free(path);
	/* Text after text: always the first tree's nodes, lent by it alone
	 * (a tree lent from lends none). */
	for (int i = 0; i < 20; i++)
		t = lend_step(t, i % 2 ? b : c, r7, true);
	/* A router first moves all others: none lent, and the tree made
	 * lends in turn. */
	t = lend_step(t, d, r7, false);
	r7 = lend_router(t, "r7");
	/* Two thirds of the routers changed: the rest lent. */
	t = lend_step(t, e, r7, true);
	/* Then more than a quarter of the lender's nodes would be copied
	 * again for each text: all are copied once, and lent from there. */
	t = lend_step(t, f, r7, false);
	r7 = lend_router(t, "r7");
	t = lend_step(t, e, r7, true);
	ytree_free(t);
out:
	diag_list_free(&dl);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
	free(f);
}

/* TEXT reparsed from OLD with FLAGS: NULL if it was not. */
static struct ynode *
lend_re(const char *text, const struct ynode *old, unsigned flags)
{
	struct ynode	*re = ytree_reparse("t.yaml", text, strlen(text), old,
			    flags);

	CHECK(re != NULL);
	return re;
}

/* With YTREE_LEND_MOVED, an entry that moved is lent too, at the lines it
 * had: the tree is not exact, and is not frozen; a tree made from it
 * without the flag is exact, each part copied from where its nodes are. */
static void
test_lend_moved(void)
{
	struct diag_list dl = { 0 };
	char		*a = lend_lab(300, 300, 0), *d = lend_lab(300, 300, 1);
	char		*al = NULL, *dl2 = NULL, *buf = NULL;
	struct ynode	*o, *m = NULL, *m2 = NULL, *x = NULL, *y = NULL;
	const struct ynode *r7;
	size_t		 size;

	CHECK(a != NULL && d != NULL &&
	    asprintf(&al, "%s  - [r0:x1, r299:x1]\n", a) > 0 &&
	    asprintf(&dl2, "%s  - [r1:x1, r298:x1]\n", d) > 0);
	o = ytree_parse("t.yaml", a, strlen(a), &dl);
	CHECK(o != NULL && ytree_cut(o, a, strlen(a)) == 0);
	if (o == NULL || al == NULL || dl2 == NULL)
		goto out;
	CHECK(ytree_exact(o));
	r7 = lend_router(o, "r7");
	/* A router first: every other moved three lines, and lent. */
	if ((m = lend_re(d, o, YTREE_LEND_MOVED)) == NULL)
		goto out;
	ytree_free(o);
	CHECK(!ytree_exact(m));
	CHECK(lend_router(m, "r7") == r7);
	CHECK_INTEQ(ytree_freeze(m, d, strlen(d), &buf, &size), -EAGAIN);
	free(buf);
	/* Back where they were, exact: lent again, the full parse's. */
	if ((x = lend_re(al, m, 0)) != NULL) {
		CHECK(ytree_exact(x));
		CHECK(lend_router(x, "r7") == r7);
		lend_same(al, x);
	}
	/* Where they moved to, exact: copied from their old lines. */
	if ((y = lend_re(dl2, m, 0)) != NULL) {
		CHECK(ytree_exact(y));
		CHECK(lend_router(y, "r7") != r7);
		lend_same(dl2, y);
	}
	/* Lent moved twice over, then exact again. */
	if ((m2 = lend_re(dl2, m, YTREE_LEND_MOVED)) != NULL) {
		ytree_free(y);
		CHECK(lend_router(m2, "r7") == r7);
		if ((y = lend_re(d, m2, 0)) != NULL)
			lend_same(d, y);
	}
out:
	ytree_free(m);
	ytree_free(m2);
	ytree_free(x);
	ytree_free(y);
	diag_list_free(&dl);
	free(a);
	free(d);
	free(al);
	free(dl2);
}

/* A tree held twice goes at the second free. */
static void
test_hold(void)
{
	struct diag_list dl = { 0 };
	struct ynode	*t = ytree_parse("t.yaml", LAB, strlen(LAB), &dl);

	CHECK(t != NULL && ytree_hold(t) == t);
	ytree_free(t);
	CHECK_STREQ(ynode_keys(t)[0]->scalar, "lab");	/* still there */
	ytree_free(t);
	diag_list_free(&dl);
}

int
main(void)
{
	RUN(test_edits);
	RUN(test_declined);
	RUN(test_many);
	RUN(test_examples);
	RUN(test_lend);
	RUN(test_lend_moved);
	RUN(test_hold);
	return CHECK_DONE();
}
