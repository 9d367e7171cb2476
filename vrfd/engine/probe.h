/*
 * probe: real packets sent from inside a namespace, to see what arrives:
 * ICMP echo (v4 and v6), a UDP datagram, or a TCP connection. Probes are
 * opened one by one (their sockets are made inside the source namespace,
 * and keep it) and then run together, so that N probes take one timeout,
 * not N.
 */
#ifndef VRFD_PROBE_H
#define VRFD_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kstate.h"
#include "topo/topo.h"

enum probe_result {
	PROBE_REPLY,		/* an echo reply, a datagram back, a TCP
				   connection made */
	PROBE_REFUSED,		/* the destination answered: port
				   unreachable, or a TCP reset */
	PROBE_UNREACHABLE,	/* an ICMP error from on the way, or the
				   source's own kernel refused to send */
	PROBE_TIMEOUT,		/* no answer at all */
	PROBE_ERROR,		/* it could not be sent (no namespace...) */
	PROBE_NRESULTS
};

const char	*probe_result_str(enum probe_result);	/* "reply"... */

struct probe {
	/* What to send: set before probe_open. */
	char			 ns[KS_NSNAME_MAX];
	struct topo_ip		 dst;
	struct topo_ip		 src;		/* family 0: the kernel's */
	enum topo_probe_proto	 proto;
	uint16_t		 dport;		/* udp, tcp */

	/* What came of it. */
	enum probe_result	 result;
	bool			 reached;	/* reply or refused: the
						   destination answered */
	struct topo_ip		 from;		/* who answered, if known */
	double			 rtt_ms;
	char			 why[192];	/* one line, for people */
	uint16_t		 sport;		/* udp, tcp: the source port
						   the kernel gave it */

	/* Private to probe.c. */
	int			 fd;
	uint16_t		 id;		/* ICMP echo identifier */
	uint16_t		 seq;
	bool			 done;
	double			 sent_at;
};

/* Make P's socket inside P->ns and aim it. 0, or -errno with P done
 * (result PROBE_ERROR or PROBE_UNREACHABLE, and why). */
int	probe_open(struct probe *);
/* Send every open probe and wait up to TIMEOUT_MS for the answers; ICMP
 * and UDP are sent again every few hundred milliseconds meanwhile. */
void	probe_run(struct probe *, size_t n, unsigned timeout_ms);
void	probe_close(struct probe *);

#endif
