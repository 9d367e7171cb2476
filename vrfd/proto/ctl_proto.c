/*
 * ctl_proto: JSON documents over SOCK_SEQPACKET, cut into packets of at
 * most CTL_PACKET bytes, the last one short. Used by the daemon's control
 * server (non-blocking sockets) and by vrfctl (blocking ones).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ctl_proto.h"
#include "json_strict.h"

int
ctl_tx_init(struct ctl_tx *tx, struct json_object *obj)
{
	const char	*s;
	size_t		 len;

	memset(tx, 0, sizeof(*tx));
	tx->fd = -1;
	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN,
	    &len);
	if (s == NULL || (tx->buf = malloc(len + 1)) == NULL)
		return -ENOMEM;
	memcpy(tx->buf, s, len + 1);
	tx->len = len;
	return 0;
}

/* One packet, with TX's descriptor if it is the first. */
static ssize_t
ctl_tx_packet(int fd, const struct ctl_tx *tx, size_t chunk)
{
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} ctl;
	struct iovec	 iov = { .iov_base = tx->buf + tx->off,
			     .iov_len = chunk };
	struct msghdr	 msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr	*c;

	if (tx->off > 0 || tx->fd < 0)
		return send(fd, tx->buf + tx->off, chunk, MSG_NOSIGNAL);
	memset(&ctl, 0, sizeof(ctl));
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &tx->fd, sizeof(int));
	return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

int
ctl_tx_send(int fd, struct ctl_tx *tx)
{
	while (!tx->done) {
		size_t	 chunk = tx->len - tx->off;
		ssize_t	 n;

		if (chunk > CTL_PACKET)
			chunk = CTL_PACKET;
		n = ctl_tx_packet(fd, tx, chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		}
		/* SEQPACKET sends a packet whole or not at all. */
		tx->off += chunk;
		if (chunk < CTL_PACKET)
			tx->done = true;
	}
	return 0;
}

void
ctl_tx_free(struct ctl_tx *tx)
{
	free(tx->buf);
	memset(tx, 0, sizeof(*tx));
	tx->fd = -1;
}

void
ctl_rx_init(struct ctl_rx *rx, size_t max)
{
	memset(rx, 0, sizeof(*rx));
	rx->max = max;
	rx->fd = -1;
}

/* The descriptors a packet brought: the first of a document's first
 * packet is kept, any other closed (a client may send what it likes). */
static void
ctl_rx_fds(struct ctl_rx *rx, struct msghdr *msg, bool first)
{
	struct cmsghdr	*c;
	size_t		 i, n;
	int		 fd;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (first && rx->fd < 0)
				rx->fd = fd;
			else
				close(fd);
		}
	}
}

/*
 * A read of 0 bytes is either an empty packet (the end of a document whose
 * length is a multiple of CTL_PACKET) or the peer's close. Only the socket
 * state tells them apart: POLLRDHUP is set once the peer has shut down.
 */
static bool
ctl_peer_closed(int fd)
{
	struct pollfd	 p = { .fd = fd, .events = POLLIN | POLLRDHUP };

	if (poll(&p, 1, 0) < 0)
		return true;
	return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

static int
ctl_rx_grow(struct ctl_rx *rx)
{
	size_t	 want = rx->len + CTL_PACKET, cap;
	char	*nb;

	if (want <= rx->cap)
		return 0;
	cap = rx->cap ? rx->cap : CTL_PACKET;
	while (cap < want)
		cap *= 2;
	if (cap > rx->max + CTL_PACKET)
		cap = rx->max + CTL_PACKET;
	if ((nb = realloc(rx->buf, cap)) == NULL)
		return -ENOMEM;
	rx->buf = nb;
	rx->cap = cap;
	return 0;
}

int
ctl_rx_read(int fd, struct ctl_rx *rx)
{
	union {
		char		buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr	align;
	} ctl;
	struct iovec	 iov;
	struct msghdr	 msg;
	ssize_t	 n;
	bool	 skip, first;
	int	 rv;

	skip = rx->overflow || rx->bad_packet;
	first = rx->len == 0 && !skip;
	if (!skip && (rv = ctl_rx_grow(rx)) < 0)
		return rv;
	/* A descriptor the last document's reader did not take. */
	if (first && rx->fd >= 0) {
		close(rx->fd);
		rx->fd = -1;
	}
	/* MSG_TRUNC: the packet's real length, even past the buffer. The
	 * kernel closes descriptors past the control buffer (MSG_CTRUNC). */
	do {
		iov.iov_base = skip ? NULL : rx->buf + rx->len;
		iov.iov_len = skip ? 0 : CTL_PACKET;
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(fd, &msg, MSG_TRUNC | MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	ctl_rx_fds(rx, &msg, first);
	if (n == 0 && rx->len == 0 && !skip && ctl_peer_closed(fd))
		return -ECONNRESET;
	if (n > CTL_PACKET) {
		rx->bad_packet = true;
		return 1;	/* a broken sender: end the document here */
	}
	if (!skip) {
		rx->len += (size_t)n;
		/* Over the bound: forget it, skip to the document's end. */
		if (rx->len > rx->max) {
			rx->overflow = true;
			rx->len = 0;
		}
	}
	return n < CTL_PACKET ? 1 : 0;
}

static void
ctl_rx_drop_fd(struct ctl_rx *rx)
{
	if (rx->fd >= 0)
		close(rx->fd);
	rx->fd = -1;
}

struct json_object *
ctl_rx_take(struct ctl_rx *rx)
{
	struct json_tokener	*tok;
	struct json_object	*obj = NULL;
	bool			 bad = rx->overflow || rx->bad_packet;
	int			 rv;

	rx->overflow = rx->bad_packet = false;
	if (bad) {
		rx->len = 0;
		ctl_rx_drop_fd(rx);
		errno = EMSGSIZE;
		return NULL;
	}
	/* A member twice: json-c would keep the last one. What is not
	 * strict JSON is refused too: json-c reads more than the scan
	 * does, and could find a second member the scan cannot. */
	if (rx->len > 0 && (rv = json_has_dup_key(rx->buf, rx->len)) != 0) {
		rx->len = 0;
		ctl_rx_drop_fd(rx);
		errno = rv == 1 ? ENOTUNIQ : rv == -ENOMEM ? ENOMEM : EBADMSG;
		return NULL;
	}
	/* json-c takes an int length and a tokener depth; documents near
	 * the bound are still far below INT_MAX. */
	if (rx->len > 0 && (tok = json_tokener_new()) != NULL) {
		obj = json_tokener_parse_ex(tok, rx->buf, (int)rx->len);
		if (json_tokener_get_error(tok) != json_tokener_success ||
		    json_tokener_get_parse_end(tok) != rx->len) {
			json_object_put(obj);
			obj = NULL;
		}
		json_tokener_free(tok);
	}
	rx->len = 0;
	/* Keep a small buffer; give a big one back. */
	if (rx->cap > 4 * CTL_PACKET) {
		free(rx->buf);
		rx->buf = NULL;
		rx->cap = 0;
	}
	if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		ctl_rx_drop_fd(rx);
		errno = EBADMSG;
		return NULL;
	}
	return obj;
}

int
ctl_rx_take_fd(struct ctl_rx *rx)
{
	int	 fd = rx->fd;

	rx->fd = -1;
	return fd;
}

void
ctl_rx_free(struct ctl_rx *rx)
{
	ctl_rx_drop_fd(rx);
	free(rx->buf);
	memset(rx, 0, sizeof(*rx));
	rx->fd = -1;
}

int
ctl_send(int fd, struct json_object *obj)
{
	return ctl_send_fd(fd, obj, -1);
}

int
ctl_send_fd(int fd, struct json_object *obj, int passfd)
{
	struct ctl_tx	 tx;
	int		 rv;

	if ((rv = ctl_tx_init(&tx, obj)) < 0)
		return rv;
	tx.fd = passfd;
	rv = ctl_tx_send(fd, &tx);
	ctl_tx_free(&tx);
	return rv;
}

int
ctl_recv(int fd, size_t max, struct json_object **out)
{
	struct ctl_rx	 rx;
	int		 rv;

	*out = NULL;
	ctl_rx_init(&rx, max);
	while ((rv = ctl_rx_read(fd, &rx)) == 0)
		;
	if (rv == 1) {
		if ((*out = ctl_rx_take(&rx)) == NULL)
			rv = -errno;
		else
			rv = 0;
	}
	ctl_rx_free(&rx);
	return rv;
}
