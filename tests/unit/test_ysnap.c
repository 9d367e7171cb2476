/*
 * test_ysnap: a tree frozen and thawed (ytree_freeze, ytree_thaw) is the
 * tree ytree_parse gives, node for node; it is given only for its own
 * text, and a snapshot that is not exactly one is refused, never read
 * past. And lab_topo_load: a lab's topology by way of its kept tree, the
 * same as parsed, for the kept text and for a text changed since.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine/lab_tree.h"
#include "engine/state.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "topo/ytree.h"

static const char LAB[] =
    "# a lab\n"
    "lab: demo\n"
    "defaults: &d\n"
    "  sysctl: {net.ipv4.ip_forward: 1}\n"
    "routers:\n"
    "  r1:\n"
    "    <<: *d\n"
    "    description: 'caf\xc3\xa9, \"quoted\"'\n"
    "    interfaces:\n"
    "      lo: {addresses: [10.255.0.1/32]}\n"
    "      eth0: {}\n"
    "    routes:\n"
    "      - {to: 10.255.0.2/32, via: 10.0.0.2}\n"
    "      - to: 10.9.0.0/16\n"
    "        blackhole: true\n"
    "  r2:\n"
    "    interfaces:\n"
    "      lo: {addresses: [10.255.0.2/32]}\n"
    "      eth0: {addresses: []}\n"
    "    routes: []\n"
    "    empty:\n"
    "links:\n"
    "  - [r1:eth0, r2:eth0]\n";

/* TEXT's tree frozen and thawed is its parse. */
static void
roundtrip(const char *file, const char *text, size_t len)
{
	struct diag_list	 dl = { 0 };
	struct ynode		*t, *back;
	char			*buf = NULL;
	size_t			 size = 0;

	t = ytree_parse(file, text, len, &dl);
	CHECK(t != NULL);
	if (t == NULL || dl.n > 0) {
		ytree_free(t);
		diag_list_free(&dl);
		return;
	}
	CHECK_INTEQ(ytree_freeze(t, text, len, &buf, &size), 0);
	CHECK(!ytree_thawed(t));
	back = ytree_thaw(buf, size, text, len);
	CHECK(back != NULL);
	if (back != NULL) {
		CHECK(ynode_same(t, back));
		CHECK(ytree_thawed(back));
	}
	ytree_free(back);
	ytree_free(t);
	free(buf);
	diag_list_free(&dl);
}

static void
test_roundtrip(void)
{
	static const char *texts[] = {
		LAB, "", "a: 1\n", "- x\n- [y, z]\n- {}\n",
		"k: \"\"\nl: ''\nm: ~\n",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		roundtrip("t.yaml", texts[i], strlen(texts[i]));
}

/* Every shipped topology. */
static void
test_examples(void)
{
	glob_t	 g;

	if (glob("topology/*.yaml", 0, NULL, &g) != 0)
		return;
	(void)glob("topology/*/*.yaml", GLOB_APPEND, NULL, &g);
	CHECK(g.gl_pathc > 3);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE	*f = fopen(g.gl_pathv[i], "r");
		char	*text = NULL;
		size_t	 cap = 0;
		ssize_t	 len;

		if (f == NULL)
			continue;
		len = getdelim(&text, &cap, '\0', f);
		fclose(f);
		if (len > 0)
			roundtrip(g.gl_pathv[i], text, (size_t)len);
		free(text);
	}
	globfree(&g);
}

/* Another text, or a tree made with a diagnostic: no snapshot of it. */
static void
test_other_text(void)
{
	struct diag_list	 dl = { 0 };
	struct ynode		*t;
	char			*buf = NULL, other[sizeof(LAB)];
	size_t			 size = 0, len = strlen(LAB);

	t = ytree_parse("t.yaml", LAB, len, &dl);
	CHECK(t != NULL && ytree_freeze(t, LAB, len, &buf, &size) == 0);
	/* one byte changed, the same length */
	memcpy(other, LAB, sizeof(LAB));
	other[len - 2] = 'X';
	errno = 0;
	CHECK(ytree_thaw(buf, size, other, len) == NULL);
	CHECK_INTEQ(errno, ESTALE);
	errno = 0;
	CHECK(ytree_thaw(buf, size, LAB, len - 1) == NULL);
	CHECK_INTEQ(errno, ESTALE);
	/* frozen against another text than its own */
	free(buf);
	CHECK_INTEQ(ytree_freeze(t, other, len, &buf, &size), -EAGAIN);
	CHECK(buf == NULL);
	ytree_free(t);
	diag_list_free(&dl);

	/* placed elsewhere (a containerlab file's): no longer its text's */
	t = ytree_parse("t.yaml", LAB, len, &dl);
	CHECK(t != NULL && dl.n == 0);
	if (t != NULL) {
		ytree_unbind(t);
		CHECK_INTEQ(ytree_freeze(t, LAB, len, &buf, &size), -EAGAIN);
		CHECK_INTEQ(ytree_cut(t, LAB, len), -EAGAIN);
	}
	ytree_free(t);

	/* a duplicate key: an error, and a tree without it */
	t = ytree_parse("t.yaml", "a: 1\na: 2\n", 10, &dl);
	CHECK(t != NULL && dl.n_errors == 1);
	CHECK_INTEQ(ytree_freeze(t, "a: 1\na: 2\n", 10, &buf, &size),
	    -EAGAIN);
	ytree_free(t);
	diag_list_free(&dl);
}

/* Each cut of it, and each byte of it changed: refused or a tree, never
 * a read outside it (the sanitizer's build runs this too). */
static void
test_damaged(void)
{
	struct diag_list	 dl = { 0 };
	struct ynode		*t, *back;
	char			*buf = NULL, *copy;
	size_t			 size = 0, len = strlen(LAB), refused = 0;

	t = ytree_parse("t.yaml", LAB, len, &dl);
	CHECK(t != NULL && ytree_freeze(t, LAB, len, &buf, &size) == 0);
	if (buf == NULL)
		return;
	for (size_t cut = 0; cut < size; cut++) {
		/* its own allocation: a read past it is one past the end */
		if ((copy = malloc(cut + 1)) == NULL)
			break;
		memcpy(copy, buf, cut);
		errno = 0;
		back = ytree_thaw(copy, cut, LAB, len);
		CHECK(back == NULL && errno == EINVAL);
		ytree_free(back);
		free(copy);
	}
	for (size_t i = 0; i < size; i++) {
		static const unsigned char flips[] = { 0x01, 0x80, 0xff };

		for (size_t f = 0; f < sizeof(flips); f++) {
			if ((copy = malloc(size)) == NULL)
				break;
			memcpy(copy, buf, size);
			copy[i] = (char)(copy[i] ^ flips[f]);
			back = ytree_thaw(copy, size, LAB, len);
			refused += back == NULL;
			/* a tree still, if a position or a text changed:
			 * one that can be walked */
			if (back != NULL && back->n > 0) {
				char	*where = ynode_path(back->items[
					    back->n - 1]);

				CHECK(where != NULL);
				free(where);
			}
			ytree_free(back);
			free(copy);
		}
	}
	/* the header and the shape of the tree are checked */
	CHECK(refused > 3 * 64);
	ytree_free(t);
	free(buf);
	diag_list_free(&dl);
}

static const char KEPT[] =
    "lab: snap\n"
    "routers:\n"
    "  a:\n"
    "    interfaces:\n"
    "      lo: {addresses: [10.0.0.1/32]}\n"
    "  b:\n"
    "    interfaces:\n"
    "      lo: {addresses: [10.0.0.2/32]}\n"
    "links:\n"
    "  - [a:eth0, b:eth0]\n";

/* A thawed tree lends its parts to the next text as a parsed one does. */
static void
test_reparse_from_thawed(void)
{
	struct diag_list	 dl = { 0 };
	struct ynode		*t, *old, *re, *full;
	char			*buf = NULL, *new;
	size_t			 size = 0, len = strlen(KEPT);

	/* (a text with anchors is not cut: KEPT has none) */
	t = ytree_parse("t.yaml", KEPT, len, &dl);
	CHECK(t != NULL && ytree_freeze(t, KEPT, len, &buf, &size) == 0);
	old = ytree_thaw(buf, size, KEPT, len);
	CHECK(old != NULL && ytree_cut(old, KEPT, len) == 0);
	new = malloc(len + 64);
	CHECK(new != NULL);
	if (new == NULL || old == NULL)
		return;
	snprintf(new, len + 64, "%s  - [a:eth1, b:eth1]\n", KEPT);
	re = ytree_reparse("t.yaml", new, strlen(new), old, 0);
	full = ytree_parse("t.yaml", new, strlen(new), &dl);
	CHECK(re != NULL && full != NULL && ynode_same(re, full));
	ytree_free(re);
	ytree_free(full);
	ytree_free(old);
	ytree_free(t);
	free(buf);
	free(new);
	diag_list_free(&dl);
}

/* T is the topology the parse of TEXT gives: its tree and its routers. */
static void
same_as_parsed(const struct topo *t, const char *text)
{
	struct diag_list	 dl = { 0 };
	struct topo		*p = topo_load_buf("t.yaml", text, strlen(text),
				    &dl);

	CHECK(t != NULL && p != NULL);
	if (t != NULL && p != NULL) {
		CHECK(ynode_same(t->root, p->root));
		CHECK_INTEQ(t->n_ns, p->n_ns);
		CHECK_STREQ(t->lab, p->lab);
	}
	topo_free(p);
	diag_list_free(&dl);
}

/* lab_topo_load, with a state directory of its own. */
static void
test_lab_tree(void)
{
	struct diag_list	 dl = { 0 };
	char			 dir[] = "/tmp/test_ysnap.XXXXXX", path[600];
	char			 changed[sizeof(KEPT) + 64];
	struct topo		*t;
	FILE			*f;

	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return;
	}
	setenv("VRFD_STATE_DIR", dir, 1);
	/* no tree kept: parsed */
	CHECK_INTEQ(state_save_lab_text("snap", KEPT, strlen(KEPT)), 0);
	t = lab_topo_load("t.yaml", KEPT, strlen(KEPT), &dl);
	CHECK(t != NULL && !ytree_thawed(t->root));
	same_as_parsed(t, KEPT);
	CHECK(t != NULL && lab_tree_keep(t, KEPT, strlen(KEPT)) == 0);
	topo_free(t);
	state_extra_path("snap", STATE_TREE, path, sizeof(path));
	CHECK(access(path, R_OK) == 0);

	/* the kept text: its tree, thawed */
	t = lab_topo_load("t.yaml", KEPT, strlen(KEPT), &dl);
	CHECK(t != NULL && ytree_thawed(t->root));
	same_as_parsed(t, KEPT);
	topo_free(t);

	/* a text changed since: from the kept text's tree, by its parts */
	snprintf(changed, sizeof(changed), "%s  - [a:eth1, b:eth1]\n", KEPT);
	t = lab_topo_load("t.yaml", changed, strlen(changed), &dl);
	CHECK(t != NULL && !ytree_thawed(t->root));
	same_as_parsed(t, changed);
	topo_free(t);

	/* a damaged tree: parsed */
	if ((f = fopen(path, "r+")) != NULL) {
		fseek(f, 40, SEEK_SET);
		fputs("garbage", f);
		fclose(f);
	}
	t = lab_topo_load("t.yaml", KEPT, strlen(KEPT), &dl);
	CHECK(t != NULL && !ytree_thawed(t->root));
	same_as_parsed(t, KEPT);
	topo_free(t);

	/* gone with the lab */
	CHECK_INTEQ(state_remove_lab("snap"), 0);
	CHECK(access(path, F_OK) != 0);
	CHECK_INTEQ(dl.n_errors, 0);
	diag_list_free(&dl);
	snprintf(path, sizeof(path), "%s/labs", dir);
	rmdir(path);
	rmdir(dir);
}

int
main(void)
{
	RUN(test_roundtrip);
	RUN(test_examples);
	RUN(test_other_text);
	RUN(test_damaged);
	RUN(test_reparse_from_thawed);
	RUN(test_lab_tree);
	return CHECK_DONE();
}
