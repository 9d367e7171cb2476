/*
 * ctl_proto: the wire format between vrfd and its clients, both ends.
 *
 * The control socket is AF_UNIX SOCK_SEQPACKET. A message is one JSON
 * document (json-c), cut into packets of at most CTL_PACKET bytes; the
 * last packet of a document is shorter than CTL_PACKET (an empty one
 * follows a document whose length is an exact multiple). A receiver
 * concatenates packets until a short one, up to a bound.
 *
 * A document's first packet may carry one descriptor (SCM_RIGHTS): an
 * apply's topology text, in a memfd, where vrfctl would otherwise send
 * it as a JSON string for vrfd to scan, unescape and copy (ctl_msg.h).
 *
 * The documents themselves are ctl_msg.h's.
 */
#ifndef VRFD_CTL_PROTO_H
#define VRFD_CTL_PROTO_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

#define CTL_PACKET		(64 * 1024)
#define CTL_MAX_REQUEST		(16u * 1024 * 1024)
#define CTL_MAX_REPLY		(256u * 1024 * 1024)

/* A document being sent: its text and how much of it has gone out. */
struct ctl_tx {
	char		*buf;
	size_t		 len;
	size_t		 off;		/* bytes sent */
	bool		 done;		/* the short (last) packet went out */
	int		 fd;		/* sent with the first packet; -1:
					   none (the sender's to close) */
};

/* A document being received. */
struct ctl_rx {
	char		*buf;
	size_t		 len, cap;
	size_t		 max;		/* CTL_MAX_REQUEST or CTL_MAX_REPLY */
	bool		 overflow;	/* over max: skipping to its end */
	bool		 bad_packet;	/* a packet longer than CTL_PACKET */
	int		 fd;		/* came with the document's first
					   packet; -1: none */
};

/* Encode OBJ into TX (compact JSON), no descriptor. 0 or -ENOMEM. */
int	ctl_tx_init(struct ctl_tx *, struct json_object *);
/* Send what the socket takes: 0 when the document is out, -EAGAIN when
 * the socket is full (call again when writable), -errno on error. */
int	ctl_tx_send(int fd, struct ctl_tx *);
void	ctl_tx_free(struct ctl_tx *);

void	ctl_rx_init(struct ctl_rx *, size_t max);
/* Read one packet. 1: a document is complete (ctl_rx_take it, or see
 * overflow/bad_packet); 0: more packets to come; -EAGAIN: nothing to read;
 * -ECONNRESET: the peer closed; -errno. */
int	ctl_rx_read(int fd, struct ctl_rx *);
/* The complete document as JSON, and the receiver reset for the next.
 * NULL with errno: EMSGSIZE (too large or a bad packet), EBADMSG (not a
 * strict JSON object: json_strict.h), ENOTUNIQ (an object with a member
 * name twice). */
struct json_object *ctl_rx_take(struct ctl_rx *);
/* The descriptor that came with the document just taken, now the
 * caller's; -1: none. One left untaken is closed with the next. */
int	ctl_rx_take_fd(struct ctl_rx *);
void	ctl_rx_free(struct ctl_rx *);

/* Blocking helpers for clients: a whole document out, a whole one in. */
int	ctl_send(int fd, struct json_object *);
/* ... with PASSFD (-1: none) in its first packet. */
int	ctl_send_fd(int fd, struct json_object *, int passfd);
int	ctl_recv(int fd, size_t max, struct json_object **);

#endif
