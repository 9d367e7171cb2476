/*
 * qdisc_probe: ask the kernel to make a qdisc of a kind, on the loopback
 * of a namespace made for the question and gone with it: no module list
 * or kernel configuration says for sure (a module is loaded on demand,
 * /proc/config.gz is optional), the kernel's answer does. "Specified
 * qdisc kind is unknown" (ENOENT) is a no.
 *
 * The calling thread makes the namespace (unshare) and comes back to its
 * own before anything else: it must never go on in the wrong one.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "nl.h"
#include "nl_codec.h"
#include "qdisc_probe.h"

#define QDISC_PROBE_SELF	"/proc/thread-self/ns/net"
#define QDISC_PROBE_KINDS	3	/* enum ks_qdisc_kind */

static pthread_mutex_t	qdisc_probe_lock = PTHREAD_MUTEX_INITIALIZER;
static int		qdisc_probe_known[QDISC_PROBE_KINDS];	/* 0: not yet;
							   1 + answer */

/* The smallest valid qdisc of KIND. */
static void
qdisc_probe_sample(enum ks_qdisc_kind kind, struct ks_qdisc *q)
{
	memset(q, 0, sizeof(*q));
	q->ifindex = 1;				/* lo */
	q->parent = TC_H_ROOT;
	q->kind = kind;
	q->tbf.rate = 125000;
	q->tbf.limit = 16384;
	q->tbf.buffer = nl_qdisc_tbf_buffer(q->tbf.rate, 16384);
	q->netem.limit = 1000;
}

/* In a namespace of its own: 1, 0 or -errno. */
static int
qdisc_probe_ask(enum ks_qdisc_kind kind)
{
	char		 buf[512] __attribute__((aligned(8)));
	struct nl_sock	*sock;
	struct nlmsghdr	*nlh;
	struct ks_qdisc	 q;
	int		 saved, rc;

	if ((saved = open(QDISC_PROBE_SELF, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (unshare(CLONE_NEWNET) == -1) {
		rc = -errno;
		close(saved);
		return rc;
	}
	if ((sock = nl_open(-1)) == NULL)
		rc = -errno;
	else {
		qdisc_probe_sample(kind, &q);
		memset(buf, 0, sizeof(buf));
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_NEWQDISC;
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
		nl_qdisc_put(nlh, &q);
		rc = nl_request(sock, nlh, NULL, 0);
		nl_close(sock);		/* the namespace goes with it */
		rc = rc == 0 ? 1 : rc == -ENOENT ? 0 : rc;
	}
	/* Going on in the namespace of the question would make the lab's
	 * objects there: never. */
	if (setns(saved, CLONE_NEWNET) == -1)
		abort();
	close(saved);
	return rc;
}

int
qdisc_probe(enum ks_qdisc_kind kind)
{
	int	 rc;

	if ((unsigned)kind >= QDISC_PROBE_KINDS)
		return -EINVAL;
	pthread_mutex_lock(&qdisc_probe_lock);
	if (qdisc_probe_known[kind] != 0)
		rc = qdisc_probe_known[kind] - 1;
	else if ((rc = qdisc_probe_ask(kind)) >= 0)
		qdisc_probe_known[kind] = rc + 1;
	pthread_mutex_unlock(&qdisc_probe_lock);
	return rc;
}

const char *
qdisc_probe_module(enum ks_qdisc_kind kind)
{
	switch (kind) {
	case KS_QDISC_TBF:
		return "sch_tbf";
	case KS_QDISC_NETEM:
		return "sch_netem";
	case KS_QDISC_OTHER:
		break;
	}
	return "?";
}
