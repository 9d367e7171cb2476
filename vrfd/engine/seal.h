/*
 * seal: what vrfctl without vrfd keeps of a lab that an apply found
 * exactly as declared, so that the next apply of the same text is
 * answered by reading the kernel alone: no topology loaded, checked,
 * compiled or diffed.
 *
 * Kept beside the lab's text (labs/LAB.seal, state.h), as lines of text:
 * the digest of the text applied (state_text_digest), then, for each
 * namespace in the pass's order, its name and node, which namespace it
 * was (its nsfs inode), how the pass read it (the kinds of object, the
 * qdiscs or not, the sysctl keys: observe_ns) and the digest of what it
 * read (kernel/kdigest.h, over every object read, marks and ifindexes
 * too). The same text, and the same namespaces reading the same when
 * read the same way, are the lab the pass found: declared exactly, as a
 * pass would find it again (engine/prefetch.c reads and compares).
 * Anything else, and the pass runs as ever.
 *
 * A seal speaks for the text and the kernel only. What else an apply
 * depends on either unseals the lab when it changes (another text kept,
 * runtime overrides: state.c), or keeps the lab from being sealed at all
 * (services to start, several hosts, warnings to show: the caller's
 * choice, engine_opts.seal).
 */
#ifndef VRFD_SEAL_H
#define VRFD_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

struct pass;
struct report;

/* One namespace as the pass read it. The strings are the seal's. */
struct seal_ns {
	const char	 *name;		/* "LAB-r1" */
	const char	 *node;		/* "r1" */
	uint64_t	  ino;		/* netns_id_fd */
	unsigned	  kinds;	/* OWN_HOLDS_*: read, as NEED */
	bool		  qdiscs;	/* as observe_ns's QDISCS */
	const char *const *keys;	/* the sysctls read, in order */
	size_t		  n_keys;
	uint64_t	  digest;	/* ks_ns_digest of what was read */
};

struct seal {
	char		  text[STATE_DIGEST_MAX];	/* "212281-9c1f..." */
	struct seal_ns	 *ns;		/* in the pass's order */
	size_t		  n;
	size_t		 *by_name;	/* indexes of ns, sorted by name */
	const char	**keys;		/* every namespace's, one block */
	char		 *buf;		/* the text, cut into the strings */
};

/* The seal of TEXT_DIGEST's text over the N namespaces NS, as text in a
 * new *BUF of *LEN bytes: 0 or -ENOMEM. */
int		 seal_format(const char *text_digest, const struct seal_ns *ns,
		    size_t n, char **buf, size_t *len);
/* BUF (LEN bytes, taken: freed with S, or here on failure), a seal of
 * lab LAB, into S: 0, or -EINVAL where it is not one, exactly (then S is
 * empty). */
int		 seal_parse(const char *lab, char *buf, size_t len,
		    struct seal *s);
/* LAB's seal, if it has one, of the text kept for it: 0, -ENOENT,
 * -EINVAL, -ESTALE (the text kept is not of its length), -errno. */
int		 seal_load(const char *lab, struct seal *s);
void		 seal_free(struct seal *s);
/* NAME's place in S, or NULL. */
const struct seal_ns *seal_find(const struct seal *s, const char *name);
/* What the apply of S's text reports, each of S's namespaces unchanged
 * (as the pass that sealed it reported them). NULL: out of memory. */
struct report	*seal_report(const struct seal *s, const char *lab);
/* After the apply pass P of the text of TEXT_DIGEST that reported R: the
 * lab sealed if P found each namespace exactly as declared, and read it
 * whole; else unsealed (a seal of another state is no use). */
void		 seal_keep(const struct pass *p, const struct report *r,
		    const char *text_digest);

#endif
