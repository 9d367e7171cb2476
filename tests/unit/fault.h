/*
 * fault: allocations that fail on purpose, for the tests that prove a
 * failed allocation never turns into a wrong answer. A binary linked
 * with FAULT_WRAP (the Makefile's) sends every malloc, calloc, realloc,
 * reallocarray, strdup, strndup, asprintf, vasprintf and open_memstream
 * of the project's own objects through here; libraries' own (libyaml,
 * json-c, libc inside) are untouched.
 *
 * Armed with fault_arm(N), or by $VRFD_FAULT_AT=N at the first call: the
 * Nth call from then on fails (ENOMEM), once. fault_calls() counts them.
 */
#ifndef VRFD_FAULT_H
#define VRFD_FAULT_H

#include <stdbool.h>
#include <stddef.h>

void	fault_arm(size_t nth);		/* 0: none fails */
size_t	fault_calls(void);		/* since the last arm */
bool	fault_fired(void);		/* did the armed one fail? */

#endif
