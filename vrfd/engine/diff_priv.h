/*
 * diff_priv: what diff.c shares with the diff of other object kinds
 * (diff_qdisc.c) and nobody else uses.
 */
#ifndef VRFD_DIFF_PRIV_H
#define VRFD_DIFF_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "pass.h"

/* A change more in namespace NS, zeroed but for its kind; NULL: ENOMEM. */
struct change	*diff_add(struct pass *, enum change_kind, size_t ns);
/* C must not be made: something not vrfd's is in the way (why, in words). */
void		 diff_conflict(struct change *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* An object of someone else's in PN, listed: 0 or -ENOMEM. */
int		 diff_foreign(struct pass_ns *, const char *kind,
		    const char *what);

/* What the links of one namespace do this pass, by device name: FRESH,
 * deleted or made again (what is on one now goes with it); OUT, left out
 * (something not the lab's is in the way). */
struct diff_devs {
	bool		(*fresh)(const void *arg, const char *dev);
	bool		(*out)(const void *arg, const char *dev);
	const void	 *arg;
};

/* diff_qdisc.c: the qdiscs of namespace I. 0 or -ENOMEM. */
int		 diff_qdisc_ns(struct pass *, size_t i, const struct diff_devs *);

#endif
