/*
 * tunnel: this host's ends of a lab's links between hosts (its VXLAN
 * links), and what `vrfctl verify` last found of each by probing across
 * it. Netlink says whether the local end is as declared; only a packet
 * that comes back says the far end is there. The probes are kept beside
 * the lab's topology (state.h, labs/LAB.tunnels: a line per end, "NODE
 * IFNAME VNI TIME RESULT RTT_MS"), so that `status` shows them, with or
 * without vrfd.
 */
#ifndef VRFD_TUNNEL_H
#define VRFD_TUNNEL_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

struct topo;

struct tunnel_probe {
	char		 node[REPORT_NODE_MAX];
	char		 ifname[IFNAMSIZ];
	uint32_t	 vni;
	double		 time;		/* wall, s */
	char		 result[16];	/* probe_result_str(), or "none" */
	double		 rtt_ms;
};

/* Keep the probes of LAB's tunnels (those of this host: all of them,
 * each verify probes every one). 0 or -errno. */
int	tunnel_save(const char *lab, const struct tunnel_probe *, size_t n);
/* The tunnels of a localized topology T into SL, each with the last
 * probe kept for it (of its VNI: an older tunnel's is not its). 0 or
 * -ENOMEM. */
int	tunnel_status(struct status_lab *, const struct topo *);

#endif
