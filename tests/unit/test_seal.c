/*
 * test_seal: a lab's seal written and read back (engine/seal.c). vrfctl
 * answers an apply from it without a pass, so what is read must be
 * exactly what was written, and anything else no seal at all: a seal
 * that reads wrong makes a pass run, never the wrong answer. Also what
 * is kept under the state directory around it (engine/state.c): a new
 * text or runtime overrides unseal the lab, and a seal is of the text
 * kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine/report.h"
#include "engine/seal.h"
#include "engine/state.h"

static const char *const keys_a[] = { "net.ipv4.ip_forward",
    "net.ipv4.conf.all.rp_filter" };

static const struct seal_ns two[] = {
	{ .name = "lab-b", .node = "b", .ino = 4026532001, .kinds = 7,
	  .qdiscs = true, .keys = NULL, .n_keys = 0,
	  .digest = 0x0123456789abcdefULL },
	{ .name = "lab-a", .node = "a/red", .ino = 4026532002, .kinds = 1,
	  .qdiscs = false, .keys = keys_a, .n_keys = 2,
	  .digest = 0xfedcba9876543210ULL },
};

/* TEXT, a copy, parsed as lab LAB's seal. */
static int
parse(const char *lab, const char *text, struct seal *s)
{
	size_t	 len = strlen(text);
	char	*buf = malloc(len + 1);

	memcpy(buf, text, len + 1);
	return seal_parse(lab, buf, len, s);
}

static void
test_round_trip(void)
{
	struct seal	 s;
	char		*buf;
	size_t		 len;

	CHECK_INTEQ(seal_format("1066-00000000000000ab", two, 2, &buf, &len), 0);
	CHECK_STREQ(buf, "vrfd-seal 1\ntext 1066-00000000000000ab\n"
	    "ns lab-b b 4026532001 7 1 0123456789abcdef\n"
	    "ns lab-a a/red 4026532002 1 0 fedcba9876543210 "
	    "net.ipv4.ip_forward net.ipv4.conf.all.rp_filter\n");
	CHECK_INTEQ(seal_parse("lab", buf, len, &s), 0);
	CHECK_STREQ(s.text, "1066-00000000000000ab");
	CHECK_INTEQ(s.n, 2);
	/* In the pass's order, as written. */
	CHECK_STREQ(s.ns[0].name, "lab-b");
	CHECK_STREQ(s.ns[1].name, "lab-a");
	for (size_t i = 0; i < 2; i++) {
		CHECK_STREQ(s.ns[i].node, two[i].node);
		CHECK(s.ns[i].ino == two[i].ino);
		CHECK_INTEQ(s.ns[i].kinds, two[i].kinds);
		CHECK_INTEQ(s.ns[i].qdiscs, two[i].qdiscs);
		CHECK(s.ns[i].digest == two[i].digest);
		CHECK_INTEQ(s.ns[i].n_keys, two[i].n_keys);
		for (size_t k = 0; k < two[i].n_keys; k++)
			CHECK_STREQ(s.ns[i].keys[k], two[i].keys[k]);
	}
	CHECK(seal_find(&s, "lab-a") == &s.ns[1]);
	CHECK(seal_find(&s, "lab-b") == &s.ns[0]);
	CHECK(seal_find(&s, "lab-c") == NULL);
	seal_free(&s);
}

/* What the answer from a seal reports: the lab, each namespace unchanged
 * in the seal's order, converged. */
static void
test_report(void)
{
	struct report	*r;
	struct seal	 s;
	char		*buf;
	size_t		 len;

	CHECK_INTEQ(seal_format("5-0000000000000001", two, 2, &buf, &len), 0);
	CHECK_INTEQ(seal_parse("lab", buf, len, &s), 0);
	CHECK((r = seal_report(&s, "lab")) != NULL);
	CHECK_STREQ(r->lab, "lab");
	CHECK_INTEQ(r->action, REPORT_APPLY);
	CHECK(r->converged);
	CHECK_INTEQ(r->changes, 0);
	CHECK_INTEQ(r->failed, 0);
	CHECK_INTEQ(r->n_ns, 2);
	CHECK_STREQ(r->ns[0].name, "lab-b");
	CHECK_STREQ(r->ns[1].node, "a/red");
	CHECK_INTEQ(r->ns[0].state, REPORT_NS_UNCHANGED);
	CHECK_INTEQ(r->ns[1].state, REPORT_NS_UNCHANGED);
	report_free(r);
	seal_free(&s);
}

/* Each of these is no seal: refused whole. */
static void
test_refused(void)
{
	static const char *const bad[] = {
		"",
		"vrfd-seal 1\n",
		"vrfd-seal 2\ntext 5-1\n",
		"vrfd-seal 1\ntext 5-1",			/* no last \n */
		"vrfd-seal 1\ntext\n",
		"vrfd-seal 1\ntext 5-1 x\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 1 0123456789abcdef\n\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 1\n",	/* no digest */
		"vrfd-seal 1\ntext 5-1\nnx lab-a a 1 7 1 0123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns other-a a 1 7 1 0123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns laba a 1 7 1 0123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 0 7 1 0123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a -1 7 1 0123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 8 1 0123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 2 0123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 1 0123456789abcdeg\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 1 123456789abcdef\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 1 0000000000000000\n",
		"vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 1 0123456789abcdef \n",
		"vrfd-seal 1\ntext 5-1\nns lab-a  a 1 7 1 0123456789abcdef\n",
		("vrfd-seal 1\ntext 5-1\nns lab-a a 1 7 1 0123456789abcdef\n"
		"ns lab-a b 2 7 1 0123456789abcdef\n"),		/* twice */
	};
	struct seal	 s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&s, 0xa5, sizeof(s));
		if (parse("lab", bad[i], &s) != -EINVAL)
			printf("  taken: %s\n", bad[i]);
		CHECK_INTEQ(parse("lab", bad[i], &s), -EINVAL);
		CHECK_INTEQ(s.n, 0);
		CHECK(s.ns == NULL && s.buf == NULL);
	}
	/* A name as long as a namespace's may be, and one longer. */
	{
		char	 text[512], name[KS_NSNAME_MAX + 1];

		memset(name, 'x', sizeof(name));
		memcpy(name, "lab-", 4);
		name[KS_NSNAME_MAX - 1] = '\0';
		snprintf(text, sizeof(text), "vrfd-seal 1\ntext 5-1\n"
		    "ns %s a 1 7 1 0123456789abcdef\n", name);
		CHECK_INTEQ(parse("lab", text, &s), 0);
		seal_free(&s);
		name[KS_NSNAME_MAX - 1] = 'x';
		name[KS_NSNAME_MAX] = '\0';
		snprintf(text, sizeof(text), "vrfd-seal 1\ntext 5-1\n"
		    "ns %s a 1 7 1 0123456789abcdef\n", name);
		CHECK_INTEQ(parse("lab", text, &s), -EINVAL);
	}
}

/* A seal file, as vrfctl would leave one, for lab "lab" of TEXT. */
static void
put_seal(const char *text)
{
	char	 digest[STATE_DIGEST_MAX], *buf;
	size_t	 len;

	state_text_digest(text, strlen(text), digest, sizeof(digest));
	CHECK_INTEQ(seal_format(digest, two + 1, 1, &buf, &len), 0);
	CHECK_INTEQ(state_save_extra_cache("lab", STATE_SEAL, buf, len), 0);
	free(buf);
}

static int
load(void)
{
	struct seal	 s;
	int		 rv = seal_load("lab", &s);

	if (rv == 0)
		seal_free(&s);
	return rv;
}

/* A seal is of the text kept, and what else an apply depends on: gone
 * when another text is kept or runtime overrides are written, kept when
 * the same text is kept again. */
static void
test_kept(void)
{
	static const char t1[] = "lab: lab\n", t2[] = "lab: lab\n# more\n";
	char	 dir[] = "/tmp/vrfd-test-seal.XXXXXX";

	CHECK(mkdtemp(dir) != NULL);
	state_set_dir(dir);
	put_seal(t1);
	CHECK_INTEQ(load(), -ESTALE);			/* no text kept */
	CHECK_INTEQ(state_save_lab_text("lab", t1, strlen(t1)), 0);
	put_seal(t1);
	CHECK_INTEQ(load(), 0);
	CHECK_INTEQ(state_save_lab_text("lab", t1, strlen(t1)), 0);
	CHECK_INTEQ(load(), 0);				/* the same again */
	CHECK_INTEQ(state_save_lab_text("lab", t2, strlen(t2)), 0);
	CHECK_INTEQ(load(), -ENOENT);
	put_seal(t2);
	CHECK_INTEQ(load(), 0);
	CHECK_INTEQ(state_save_overrides_text("lab", "x\n", 2), 0);
	CHECK_INTEQ(load(), -ENOENT);
	put_seal(t2);
	CHECK_INTEQ(state_remove_lab("lab"), 0);
	CHECK_INTEQ(load(), -ENOENT);
	(void)state_remove_overrides("lab");
	{
		char	 labs[600];

		snprintf(labs, sizeof(labs), "%s/labs", dir);
		CHECK_INTEQ(rmdir(labs), 0);
	}
	CHECK_INTEQ(rmdir(dir), 0);
}

int
main(void)
{
	RUN(test_round_trip);
	RUN(test_report);
	RUN(test_refused);
	RUN(test_kept);
	return CHECK_DONE();
}
