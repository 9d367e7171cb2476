/*
 * memory: what a pass may take instead of reading a namespace, and give
 * back once it has read one. The daemon's memory of the namespaces it
 * watches implements it (daemon/nscache.c); vrfctl runs without one, so
 * it does not link that.
 *
 * A kept state is of one namespace (INO: its nsfs inode) read with one set
 * of sysctl keys (KEYS: their hash, pass.c's). A TICKET is the memory's
 * word on a namespace at one moment: a state read or recalled under a
 * ticket that a change in the namespace has overtaken since is not kept.
 * So a pass may run on another thread than the one that hears the
 * kernel's events: an event that comes while it reads makes what it read
 * too old to keep.
 *
 * A namespace a pass found exactly as declared is SETTLED under the digest
 * of that declaration until a change is heard there: a pass whose
 * declaration of it has the same digest has nothing to read, diff or do
 * there (a no-op apply of a kept lab; an apply that adds one link leaves
 * out all but the namespaces it touches).
 */
#ifndef VRFD_MEMORY_H
#define VRFD_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

struct ks_ns;

struct pass_memory {
	void	 *arg;
	/* The pass is about to read (may be NULL): what the memory holds
	 * stays as it is from now on. */
	void	 (*reading)(void *arg);
	/* NS's ticket now, taken before it is read from the kernel. */
	uint64_t (*ticket)(void *arg, const char *ns);
	/* Move NS's kept state into HAVE if it is of INO and KEYS: true,
	 * with its ticket in *TICKET, and in *STALE the kinds of object it
	 * no longer holds as they are (engine/observe.h: OBSERVE_ROUTES...;
	 * events named them since), to be read again before it is used.
	 * It is no longer kept either way. */
	bool	 (*recall)(void *arg, const char *ns, uint64_t ino,
		    uint64_t keys, struct ks_ns *have, uint64_t *ticket,
		    unsigned *stale);
	/* Keep HAVE (taken, left empty, when kept) as what NS holds, if
	 * its links did not change since TICKET; what events named since,
	 * and STALE (the kinds of object the pass changed itself), to be
	 * read again. SETTLED: the digest of NS's declaration
	 * (kernel/kdigest.h) when the pass found NS holding exactly that
	 * and nothing else, 0 when not. */
	void	 (*remember)(void *arg, const char *ns, uint64_t ino,
		    uint64_t keys, uint64_t ticket, struct ks_ns *have,
		    uint64_t settled, unsigned stale);
	/* Does NS still hold what it was declared to hold as DIGEST when a
	 * pass found it so, no change heard there since? Then a pass of the
	 * same declaration leaves it out. */
	bool	 (*settled)(void *arg, const char *ns, uint64_t digest);
	/* NS's id in the daemon's namespace, if it was watched as
	 * namespace INO (an id is a namespace's until it ends); -1 if not.
	 * A pass then reaches it from outside, without a socket inside it,
	 * nor asking the kernel for an id (which walks every id the
	 * namespace has given: thousands in a large lab). */
	int	 (*nsid)(void *arg, const char *ns, uint64_t ino);
};

#endif
