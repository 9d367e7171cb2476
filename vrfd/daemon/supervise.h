/*
 * supervise: vrfd keeps the software of its labs' nodes running. Twice a
 * second it looks at every service of every kept lab (engine/services.h:
 * its pid file, confirmed by /proc); one that ended is said in an event
 * and, by its restart policy, started again after a backoff that doubles
 * with each failure (1 s up to 30 s; a service that ran for a minute
 * starts over at 1 s). Starting runs on a worker, as a pass of the lab, so
 * that FRR's wait for zebra never holds the loop.
 */
#ifndef VRFD_SUPERVISE_H
#define VRFD_SUPERVISE_H

struct daemon;
struct topo;

void	supervise_init(struct daemon *);
void	supervise_free(struct daemon *);
/* On a worker: start those of TOPO's services named in DUE (N of them,
 * each "NAMESPACE/SERVICE") that do not run; the others are left alone,
 * whatever their state (a policy may keep one that ended down). */
void	supervise_start(const struct topo *, char *const *due, size_t n);

#endif
