/*
 * prefetch: vrfctl without vrfd reads a lab's namespaces while it parses
 * the lab's topology. A lab's namespaces are named after it (LAB-...): a
 * thread reads each one there is (as an apply alone reads it, but for
 * its sysctls, whose keys only the topology gives, and the kinds of
 * object it declares but does not hold yet) until the pass begins to
 * read, and the pass takes what it read as memory (memory.h): recalled,
 * a namespace has only those read again. vrfd has its own memory of what
 * it watches.
 *
 * A lab that an apply found exactly as declared is sealed (seal.h): its
 * namespaces are then read as that pass read them, and an apply of the
 * same text is answered once they read as they did, with no pass.
 */
#ifndef VRFD_PREFETCH_H
#define VRFD_PREFETCH_H

struct prefetch;
struct pass_memory;
struct report;

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
/* The report of an apply of lab LAB's text of TEXT_DIGEST
 * (state_text_digest), if the lab is sealed under that text and each of
 * its namespaces reads as it did then: all read now, on this thread too.
 * NULL: the pass must run (and takes what was read, as before). */
struct report	*prefetch_answer(struct prefetch *, const char *lab,
		    const char *text_digest);

#endif
