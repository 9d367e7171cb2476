/*
 * probe: ICMP echo over raw sockets, UDP with IP_RECVERR, TCP connect; all
 * made inside the source namespace and waited for together (see probe.h).
 *
 * Raw ICMP sockets see every ICMP message of their namespace: replies and
 * errors are matched to a probe by its echo identifier (the identifier of
 * the echo request quoted inside an error). UDP and TCP sockets are
 * connected, so the kernel matches their ICMP errors to them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/errqueue.h>

#include "kernel/clock.h"
#include "kernel/netns.h"
#include "probe.h"

#define PROBE_RESEND_MS		250
#define PROBE_PAYLOAD		"vrfd verify probe"

static const char *const probe_result_names[PROBE_NRESULTS] = {
	[PROBE_REPLY] = "reply",
	[PROBE_REFUSED] = "refused",
	[PROBE_UNREACHABLE] = "unreachable",
	[PROBE_TIMEOUT] = "timeout",
	[PROBE_ERROR] = "error",
};

const char *
probe_result_str(enum probe_result r)
{
	return r < PROBE_NRESULTS ? probe_result_names[r] : "?";
}

static double
probe_now_ms(void)
{
	return clock_mono() * 1e3;
}

static const char *
probe_proto_str(enum topo_probe_proto p)
{
	return p == TOPO_PROBE_UDP ? "udp" : p == TOPO_PROBE_TCP ? "tcp" :
	    "icmp";
}

static void
probe_done(struct probe *p, enum probe_result r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
probe_done(struct probe *p, enum probe_result r, const char *fmt, ...)
{
	va_list	 ap;

	if (p->done)
		return;
	p->done = true;
	p->result = r;
	p->reached = r == PROBE_REPLY || r == PROBE_REFUSED;
	if (p->sent_at > 0 && r != PROBE_TIMEOUT && r != PROBE_ERROR)
		p->rtt_ms = probe_now_ms() - p->sent_at;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
}

/* A socket address for IP (and PORT). */
static socklen_t
probe_sa(const struct topo_ip *ip, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (ip->family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, ip->addr, 4);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, ip->addr, 16);
	return sizeof(*sin6);
}

static void
probe_from_sa(const struct sockaddr_storage *ss, struct topo_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = ss->ss_family;
	if (ss->ss_family == AF_INET)
		memcpy(ip->addr, &((const struct sockaddr_in *)ss)->sin_addr,
		    4);
	else if (ss->ss_family == AF_INET6)
		memcpy(ip->addr,
		    &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
}

/* The socket for P, made inside its namespace. */
static int
probe_socket(struct probe *p)
{
	int	 nsfd, saved, fd, domain = p->dst.family, type, proto = 0;
	int	 e;

	if (p->proto == TOPO_PROBE_ICMP) {
		type = SOCK_RAW;
		proto = domain == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	} else
		type = p->proto == TOPO_PROBE_UDP ? SOCK_DGRAM : SOCK_STREAM;
	if ((nsfd = netns_open(p->ns)) < 0)
		return nsfd;
	if ((e = netns_enter(nsfd, &saved)) < 0) {
		close(nsfd);
		return e;
	}
	fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	e = errno;
	if (netns_leave(saved) < 0)
		abort();	/* in the wrong namespace: cannot go on */
	close(nsfd);
	return fd < 0 ? -e : fd;
}

int
probe_open(struct probe *p)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 on = 1, rc;

	p->fd = -1;
	p->done = false;
	p->result = PROBE_TIMEOUT;
	p->reached = false;
	p->rtt_ms = 0;
	p->sent_at = 0;
	p->why[0] = '\0';
	memset(&p->from, 0, sizeof(p->from));
	if ((rc = probe_socket(p)) < 0) {
		probe_done(p, PROBE_ERROR, "%s socket in %s: %s",
		    probe_proto_str(p->proto), p->ns, strerror(-rc));
		return rc;
	}
	p->fd = rc;
	if (p->proto != TOPO_PROBE_ICMP)
		setsockopt(p->fd, p->dst.family == AF_INET ? IPPROTO_IP :
		    IPPROTO_IPV6, p->dst.family == AF_INET ? IP_RECVERR :
		    IPV6_RECVERR, &on, sizeof(on));
	if (p->src.family != 0) {
		len = probe_sa(&p->src, 0, &ss);
		if (bind(p->fd, (struct sockaddr *)&ss, len) < 0) {
			rc = -errno;
			probe_done(p, PROBE_ERROR, "bind to %s: %s", "source",
			    strerror(errno));
			return rc;
		}
	}
	if (p->proto == TOPO_PROBE_ICMP)
		return 0;
	len = probe_sa(&p->dst, p->dport, &ss);
	p->sent_at = probe_now_ms();
	if (connect(p->fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		rc = -errno;
		probe_done(p, PROBE_UNREACHABLE, "%s refuses to send it: %s",
		    p->ns, strerror(errno));
		return rc;
	}
	len = sizeof(ss);
	if (getsockname(p->fd, (struct sockaddr *)&ss, &len) == 0) {
		p->sport = ntohs(ss.ss_family == AF_INET ?
		    ((struct sockaddr_in *)&ss)->sin_port :
		    ((struct sockaddr_in6 *)&ss)->sin6_port);
		if (p->src.family == 0)
			probe_from_sa(&ss, &p->src);
	}
	return 0;
}

static uint16_t
probe_cksum(const void *buf, size_t len)
{
	const uint8_t	*b = buf;
	uint32_t	 sum = 0;
	size_t		 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* One echo request, or one datagram. TCP sends its own SYNs. */
static void
probe_send(struct probe *p)
{
	struct sockaddr_storage	 ss;
	uint8_t			 pkt[8 + sizeof(PROBE_PAYLOAD)];
	socklen_t		 len;
	ssize_t			 n;

	if (p->sent_at == 0)
		p->sent_at = probe_now_ms();
	if (p->proto == TOPO_PROBE_TCP)
		return;
	if (p->proto == TOPO_PROBE_UDP)
		n = send(p->fd, PROBE_PAYLOAD, sizeof(PROBE_PAYLOAD) - 1, 0);
	else {
		memset(pkt, 0, sizeof(pkt));
		pkt[0] = p->dst.family == AF_INET ? ICMP_ECHO :
		    ICMP6_ECHO_REQUEST;
		pkt[4] = (uint8_t)(p->id >> 8);
		pkt[5] = (uint8_t)p->id;
		pkt[6] = (uint8_t)(p->seq >> 8);
		pkt[7] = (uint8_t)p->seq;
		p->seq++;
		memcpy(pkt + 8, PROBE_PAYLOAD, sizeof(PROBE_PAYLOAD));
		/* ICMPv6's checksum covers a pseudo-header: the kernel
		 * fills it in for raw ICMPv6 sockets. */
		if (p->dst.family == AF_INET) {
			uint16_t c = probe_cksum(pkt, sizeof(pkt));
			memcpy(pkt + 2, &c, 2);
		}
		len = probe_sa(&p->dst, 0, &ss);
		n = sendto(p->fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss,
		    len);
	}
	if (n < 0 && errno != EAGAIN && errno != ECONNREFUSED)
		probe_done(p, PROBE_UNREACHABLE, "%s's kernel refuses to send "
		    "it: %s", p->ns, strerror(errno));
}

/* The identifier of the echo request that the ICMP error at B quotes
 * (its IP header and first 8 bytes), or -1 if it quotes none of ours. */
static int
probe_quoted_id(int family, const uint8_t *b, size_t len)
{
	size_t	 hl;

	if (family == AF_INET) {
		if (len < 20 || (hl = (size_t)(b[0] & 0x0f) * 4) < 20 ||
		    len < hl + 8 || b[9] != IPPROTO_ICMP || b[hl] != ICMP_ECHO)
			return -1;
		return b[hl + 4] << 8 | b[hl + 5];
	}
	if (len < 48 || b[6] != IPPROTO_ICMPV6 || b[40] != ICMP6_ECHO_REQUEST)
		return -1;
	return b[44] << 8 | b[45];
}

static const char *
probe_icmp_why(int family, uint8_t type, uint8_t code)
{
	if (family == AF_INET) {
		if (type == ICMP_TIME_EXCEEDED)
			return "time exceeded";
		switch (code) {
		case ICMP_NET_UNREACH:	return "network unreachable";
		case ICMP_HOST_UNREACH:	return "host unreachable";
		case ICMP_PORT_UNREACH:	return "port unreachable";
		case ICMP_NET_ANO:
		case ICMP_HOST_ANO:
		case ICMP_PKT_FILTERED:	return "administratively prohibited";
		default:		return "destination unreachable";
		}
	}
	if (type == ICMP6_TIME_EXCEEDED)
		return "time exceeded";
	switch (code) {
	case ICMP6_DST_UNREACH_NOROUTE:	return "no route";
	case ICMP6_DST_UNREACH_ADMIN:	return "administratively prohibited";
	case ICMP6_DST_UNREACH_ADDR:	return "address unreachable";
	case ICMP6_DST_UNREACH_NOPORT:	return "port unreachable";
	default:			return "destination unreachable";
	}
}

/* Whatever arrived on an ICMP socket: for any of the N probes. */
static void
probe_read_icmp(struct probe *ps, size_t n, int fd, int family)
{
	struct sockaddr_storage	 ss;
	uint8_t			 buf[1500], *b;
	char			 a[INET6_ADDRSTRLEN];
	struct topo_ip		 from;
	socklen_t		 sl;
	ssize_t			 len;
	size_t			 hl = 0, k;
	int			 id;
	uint8_t			 type, code, reply, unreach, exceeded;

	reply = family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
	unreach = family == AF_INET ? ICMP_DEST_UNREACH : ICMP6_DST_UNREACH;
	exceeded = family == AF_INET ? ICMP_TIME_EXCEEDED :
	    ICMP6_TIME_EXCEEDED;
	for (;;) {
		sl = sizeof(ss);
		if ((len = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&ss, &sl)) < 0)
			return;
		/* IPv4 raw sockets get the IP header; IPv6 ones do not. */
		if (family == AF_INET)
			hl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)len < hl + 8)
			continue;
		b = buf + hl;
		type = b[0];
		code = b[1];
		probe_from_sa(&ss, &from);
		if (type == reply)
			id = b[4] << 8 | b[5];
		else if (type == unreach || type == exceeded)
			id = probe_quoted_id(family, b + 8,
			    (size_t)len - hl - 8);
		else
			continue;
		for (k = 0; k < n; k++) {
			struct probe *p = &ps[k];

			if (p->done || p->fd < 0 || p->proto !=
			    TOPO_PROBE_ICMP || p->dst.family != family ||
			    p->id != id)
				continue;
			if (type == reply) {
				if (memcmp(from.addr, p->dst.addr, 16) != 0)
					continue;
				p->from = from;
				probe_done(p, PROBE_REPLY, "echo reply from %s",
				    inet_ntop(family, from.addr, a, sizeof(a)));
			} else {
				p->from = from;
				probe_done(p, PROBE_UNREACHABLE, "%s from %s",
				    probe_icmp_why(family, type, code),
				    inet_ntop(family, from.addr, a, sizeof(a)));
			}
		}
	}
}

/* A UDP socket's answer: a datagram, or an ICMP error it was given. */
static void
probe_read_udp(struct probe *p)
{
	struct sockaddr_storage	 off;
	struct sock_extended_err *ee = NULL;
	struct cmsghdr		*cm;
	struct msghdr		 msg;
	struct iovec		 iov;
	char			 buf[512], ctl[512], a[INET6_ADDRSTRLEN];
	struct topo_ip		 from;

	if (recv(p->fd, buf, sizeof(buf), 0) >= 0) {
		p->from = p->dst;
		probe_done(p, PROBE_REPLY, "a datagram back from port %u",
		    p->dport);
		return;
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	if (recvmsg(p->fd, &msg, MSG_ERRQUEUE) < 0)
		return;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if ((cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_RECVERR) ||
		    (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_RECVERR))
			ee = (struct sock_extended_err *)CMSG_DATA(cm);
	if (ee == NULL)
		return;
	memset(&off, 0, sizeof(off));
	memcpy(&off, SO_EE_OFFENDER(ee), ee->ee_origin == SO_EE_ORIGIN_ICMP ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	probe_from_sa(&off, &from);
	p->from = from;
	inet_ntop(p->dst.family, from.addr, a, sizeof(a));
	if (ee->ee_origin != SO_EE_ORIGIN_ICMP &&
	    ee->ee_origin != SO_EE_ORIGIN_ICMP6) {
		probe_done(p, PROBE_UNREACHABLE, "%s", strerror(
		    (int)ee->ee_errno));
		return;
	}
	if (ee->ee_errno == ECONNREFUSED &&
	    memcmp(from.addr, p->dst.addr, 16) == 0)
		probe_done(p, PROBE_REFUSED, "port unreachable from %s: the "
		    "destination answered", a);
	else
		probe_done(p, PROBE_UNREACHABLE, "%s from %s",
		    probe_icmp_why(p->dst.family, ee->ee_type, ee->ee_code),
		    a);
}

static void
probe_read_tcp(struct probe *p)
{
	socklen_t	 sl = sizeof(int);
	int		 e = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &sl) < 0)
		e = errno;
	if (e == 0) {
		p->from = p->dst;
		probe_done(p, PROBE_REPLY, "connected to port %u", p->dport);
	} else if (e == ECONNREFUSED) {
		p->from = p->dst;
		probe_done(p, PROBE_REFUSED, "connection refused (a reset from "
		    "port %u): the destination answered", p->dport);
	} else if (e != EINPROGRESS && e != EAGAIN)
		probe_done(p, PROBE_UNREACHABLE, "connect: %s", strerror(e));
}

void
probe_run(struct probe *ps, size_t n, unsigned timeout_ms)
{
	struct pollfd	*pfd;
	double		 start = probe_now_ms(), last = 0, now;
	size_t		 k, left;
	int		 wait;

	if ((pfd = calloc(n > 0 ? n : 1, sizeof(*pfd))) == NULL) {
		for (k = 0; k < n; k++)
			probe_done(&ps[k], PROBE_ERROR, "out of memory");
		return;
	}
	for (k = 0; k < n; k++)
		ps[k].id = (uint16_t)((getpid() * 131 + k) & 0xffff);
	for (;;) {
		now = probe_now_ms();
		if (now - last >= PROBE_RESEND_MS) {
			for (k = 0; k < n; k++)
				if (!ps[k].done && ps[k].fd >= 0)
					probe_send(&ps[k]);
			last = now;
		}
		left = 0;
		for (k = 0; k < n; k++) {
			pfd[k].fd = ps[k].done ? -1 : ps[k].fd;
			pfd[k].events = ps[k].proto == TOPO_PROBE_TCP ?
			    POLLOUT : POLLIN;
			pfd[k].revents = 0;
			left += pfd[k].fd >= 0;
		}
		if (left == 0 || now - start >= timeout_ms)
			break;
		wait = (int)(last + PROBE_RESEND_MS - now);
		if (wait > (int)(start + timeout_ms - now))
			wait = (int)(start + timeout_ms - now);
		if (poll(pfd, n, wait < 1 ? 1 : wait) < 0 && errno != EINTR)
			break;
		for (k = 0; k < n; k++) {
			if (pfd[k].revents == 0 || ps[k].done)
				continue;
			if (ps[k].proto == TOPO_PROBE_ICMP)
				probe_read_icmp(ps, n, ps[k].fd,
				    ps[k].dst.family);
			else if (ps[k].proto == TOPO_PROBE_UDP)
				probe_read_udp(&ps[k]);
			else
				probe_read_tcp(&ps[k]);
		}
	}
	for (k = 0; k < n; k++)
		if (!ps[k].done)
			probe_done(&ps[k], PROBE_TIMEOUT, "no answer in %u ms%s",
			    timeout_ms, ps[k].proto == TOPO_PROBE_UDP ? " (a "
			    "listener that does not answer looks the same)" :
			    "");
	free(pfd);
}

void
probe_close(struct probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}
