/*
 * prefetch: vrfctl without vrfd reads a lab's namespaces while it parses
 * the lab's topology. A lab's namespaces are named after it (LAB-...): a
 * thread reads each one there is (as an apply alone reads it, but for
 * its sysctls, whose keys only the topology gives, and the kinds of
 * object it declares but does not hold yet) until the pass begins to
 * read, and the pass takes what it read as memory (memory.h): recalled,
 * a namespace has only those read again. vrfd has its own memory of what
 * it watches.
 */
#ifndef VRFD_PREFETCH_H
#define VRFD_PREFETCH_H

struct prefetch;
struct pass_memory;

/* Reading LAB's namespaces begins; NULL when it cannot (then nothing is
 * read ahead, and the pass reads all). */
struct prefetch	*prefetch_start(const char *lab);
/* No more is read: back once the thread is done with the namespace it
 * was reading. What it read is the memory's. */
void		 prefetch_stop(struct prefetch *);
/* The memory a pass takes it from: the pass stops it as it begins to
 * read. */
const struct pass_memory *prefetch_memory(struct prefetch *);
void		 prefetch_free(struct prefetch *);

#endif
