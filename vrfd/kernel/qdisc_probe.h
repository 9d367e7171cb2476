/*
 * qdisc_probe: can this kernel make a qdisc of a kind? Some kernels are
 * built without sch_netem (and without modules to load): a topology that
 * asks for netem must be refused before anything is made, not half
 * applied. The question is put to the kernel itself, once per process.
 */
#ifndef VRFD_QDISC_PROBE_H
#define VRFD_QDISC_PROBE_H

#include "kstate.h"

/* Can the kernel make a qdisc of KIND (KS_QDISC_TBF, KS_QDISC_NETEM)? 1
 * yes, 0 no (it knows no such kind, and has no module for it), -errno
 * when it could not be asked (no right to make a namespace). The answer
 * is kept: later calls cost nothing. */
int		 qdisc_probe(enum ks_qdisc_kind);
/* The module that brings KIND: "sch_netem". */
const char	*qdisc_probe_module(enum ks_qdisc_kind);

#endif
