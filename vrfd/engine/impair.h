/*
 * impair: what a topology's impairments ask of this host's kernel, said
 * before anything is made: a lab that needs netem on a kernel without
 * it is refused whole, with the key that needs it, instead of being half
 * built.
 */
#ifndef VRFD_IMPAIR_H
#define VRFD_IMPAIR_H

struct diag_list;
struct topo;

/* An error in DL at each link end whose impairment this kernel cannot
 * make (netem's keys without sch_netem, a rate without sch_tbf). When
 * the kernel cannot be asked (no right to), nothing is said: apply will
 * say it then. */
void	impair_check_host(const struct topo *, struct diag_list *);

#endif
