/*
 * nl: rtnetlink sockets with libmnl: open inside a namespace, dump with
 * restart, single requests, and batches of many requests per sendmsg.
 *
 * Batches lean on two kernel rules: rtnetlink processes the messages of one
 * sendmsg in order, synchronously, before sendmsg returns; and it always
 * answers a failed request with NLMSG_ERROR, ACK flag or not. So only the
 * last message of a chunk asks for an ACK: once that ACK (or its error) is
 * read, every earlier request without an error has succeeded. The one way
 * to lose an answer is a full receive queue (ENOBUFS): then a NOOP "probe"
 * with an ACK marks the end of what can still arrive, and requests with no
 * answer by then are reported -ENOBUFS (outcome unknown: re-observe).
 *
 * Results come in request order when a chunk completes: inside
 * nl_batch_msg (a chunk filled) or nl_batch_flush. The result callback must
 * not use the batch. A socket serves one thread at a time; messages with a
 * sequence number nobody waits for (late probe ACKs) are skipped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "netns.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Dump skbs are at most 32 KiB (the kernel caps them there). */
#define NL_RECV_SIZE	(32 * 1024)
/* Room for a chunk of failed requests: each error is its own skb. */
#define NL_RCVBUF	(4 * 1024 * 1024)
/* Requests per sendmsg: well under the default socket send limit. */
#define NL_CHUNK	(64 * 1024)
#define NL_DUMP_TRIES	32
#define NL_DUMP_INTR	1	/* nl_dump_once: start again */

struct nl_sock {
	struct mnl_socket	*mnl;
	uint32_t		 portid;
	uint32_t		 seq;
};

struct nl_req {
	uint32_t	 seq;
	size_t		 tag;
	bool		 done;
	int		 err;
	char		*extack;
};

/* What a wait is waiting for: requests sorted by seq, the last one with
 * NLM_F_ACK. CB, if set, sees replies other than errors and ACKs. */
struct nl_wait {
	struct nl_req	*reqs;
	size_t		 n;
	nl_msg_fn	 cb;
	void		*arg;
	int		 cb_err;
	bool		 overrun;
};

struct nl_batch {
	struct nl_sock		*s;
	nl_result_fn		 cb;
	void			*arg;
	char			*buf;
	struct mnl_nlmsg_batch	*b;
	struct nlmsghdr		*open;		/* started, not committed */
	uint32_t		 open_seq;
	size_t			 open_tag;
	struct nlmsghdr		*last;		/* last committed */
	struct nl_req		*reqs;		/* committed, not yet sent */
	size_t			 n, cap;
	size_t			 sent;
};

static uint32_t
nl_next_seq(struct nl_sock *s)
{
	if (++s->seq == 0)
		s->seq = 1;
	return s->seq;
}

static void
nl_sockopt(struct nl_sock *s, int opt)
{
	int	one = 1;

	/* All present since 4.20; on an older kernel, run without. */
	(void)setsockopt(mnl_socket_get_fd(s->mnl), SOL_NETLINK, opt, &one,
	    sizeof(one));
}

struct nl_sock *
nl_open(int nsfd)
{
	struct nl_sock	*s;
	int		 saved = -1, rc, err, fd, sz = NL_RCVBUF;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (nsfd >= 0 && (rc = netns_enter(nsfd, &saved)) < 0) {
		free(s);
		errno = -rc;
		return NULL;
	}
	s->mnl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	err = errno;
	if (saved >= 0 && (rc = netns_leave(saved)) < 0) {
		if (s->mnl != NULL)
			mnl_socket_close(s->mnl);
		free(s);
		errno = -rc;
		return NULL;
	}
	if (s->mnl == NULL) {
		free(s);
		errno = err;
		return NULL;
	}
	if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) == -1) {
		err = errno;
		nl_close(s);
		errno = err;
		return NULL;
	}
	s->portid = mnl_socket_get_portid(s->mnl);
	s->seq = (uint32_t)time(NULL);
	nl_sockopt(s, NETLINK_EXT_ACK);
	nl_sockopt(s, NETLINK_CAP_ACK);
	nl_sockopt(s, NETLINK_GET_STRICT_CHK);
	fd = mnl_socket_get_fd(s->mnl);
	/* FORCE needs CAP_NET_ADMIN; otherwise take what rmem_max allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return s;
}

void
nl_close(struct nl_sock *s)
{
	if (s == NULL)
		return;
	mnl_socket_close(s->mnl);
	free(s);
}

int
nl_fd(const struct nl_sock *s)
{
	return mnl_socket_get_fd(s->mnl);
}

static int
nl_send(struct nl_sock *s, const void *buf, size_t len)
{
	ssize_t	r;

	while ((r = mnl_socket_sendto(s->mnl, buf, len)) == -1) {
		if (errno != EINTR)
			return -errno;
	}
	return (size_t)r == len ? 0 : -EIO;
}

/* One datagram; messages from anyone but the kernel are dropped. FLAGS:
 * MSG_DONTWAIT to drain. */
static ssize_t
nl_recv(struct nl_sock *s, void *buf, size_t len, int flags)
{
	struct sockaddr_nl	 sa;
	struct iovec		 iov = { .iov_base = buf, .iov_len = len };
	struct msghdr		 mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t			 r;

	for (;;) {
		mh.msg_namelen = sizeof(sa);
		if ((r = recvmsg(mnl_socket_get_fd(s->mnl), &mh, flags)) == -1) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (sa.nl_pid != 0 || mh.msg_namelen != sizeof(sa))
			continue;
		return r;
	}
}

static int
nl_extack_cb(const struct nlattr *a, void *data)
{
	const char	**msg = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

/* The NLMSG_ERROR's code (0 for an ACK) and its extack message, or
 * -EINVAL if the message is too short to be one. */
static int
nl_error_parse(const struct nlmsghdr *nlh, const char **msg)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(nlh);
	size_t			 hlen = sizeof(*e);

	*msg = NULL;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return -EINVAL;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < sizeof(e->msg))
				return e->error > 0 ? -e->error : e->error;
			hlen += e->msg.nlmsg_len - sizeof(e->msg);
		}
		if (mnl_nlmsg_get_payload_len(nlh) >= MNL_ALIGN(hlen))
			(void)mnl_attr_parse(nlh, MNL_ALIGN(hlen),
			    nl_extack_cb, msg);
	}
	return e->error > 0 ? -e->error : e->error;
}

static struct nl_req *
nl_req_find(struct nl_req *reqs, size_t n, uint32_t seq)
{
	size_t		lo = 0, hi = n, mid;
	uint32_t	off;

	if (n == 0)
		return NULL;
	/* Sorted by seq, which may wrap: compare offsets from the first. */
	off = seq - reqs[0].seq;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (reqs[mid].seq - reqs[0].seq < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && reqs[lo].seq == seq ? &reqs[lo] : NULL;
}

static void
nl_req_set(struct nl_req *r, int err, const char *msg)
{
	r->done = true;
	r->err = err;
	if (err < 0 && msg != NULL)
		r->extack = strdup(msg);	/* NULL on ENOMEM: no text */
}

/* Send a NOOP asking for an ACK: it is answered after everything sent
 * before it. Returns its seq, or 0 with *RC set. */
static uint32_t
nl_probe(struct nl_sock *s, int *rc)
{
	char		 buf[MNL_NLMSG_HDRLEN];
	struct nlmsghdr	*nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = NLMSG_NOOP;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nl_next_seq(s);
	if ((*rc = nl_send(s, buf, nlh->nlmsg_len)) < 0)
		return 0;
	return nlh->nlmsg_seq;
}

/*
 * Read answers until every request of W is settled: its error, or the
 * final ACK (which settles all), or else the probe's ACK. What is queued
 * is read without blocking; only when the queue runs dry before the final
 * ACK does a probe go out, and the wait for its ACK is the only blocking
 * one, so a missing answer can't hang the caller. After an overrun the
 * kernel drops everything for this socket until its queue is empty
 * (NETLINK_S_CONGESTED): the queue is drained before the probe goes out.
 * 0, or -errno if the socket failed (requests left unsettled are then the
 * caller's to report).
 */
static int
nl_wait(struct nl_sock *s, struct nl_wait *w)
{
	char			 buf[NL_RECV_SIZE] __attribute__((aligned(8)));
	const struct nlmsghdr	*nlh;
	const char		*msg;
	struct nl_req		*r, *last = &w->reqs[w->n - 1];
	uint32_t		 probe_first = 0, probe_last = 0, seq;
	ssize_t			 len;
	size_t			 i;
	int			 err, rc, rem;
	bool			 settled = false, draining = true;

	while (!settled) {
		len = nl_recv(s, buf, sizeof(buf), draining ? MSG_DONTWAIT : 0);
		if (len == -ENOBUFS) {
			w->overrun = draining = true;
			continue;
		}
		if (len == -EAGAIN && draining) {
			draining = false;
			if ((seq = nl_probe(s, &rc)) == 0)
				return rc;
			if (probe_first == 0)
				probe_first = seq;
			probe_last = seq;
			continue;
		}
		if (len < 0)
			return (int)len;
		rem = (int)len;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, rem);
		    nlh = mnl_nlmsg_next(nlh, &rem)) {
			if (nlh->nlmsg_pid != s->portid)
				continue;
			seq = nlh->nlmsg_seq;
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				if (w->cb == NULL || w->cb_err != 0 ||
				    nlh->nlmsg_type < NLMSG_MIN_TYPE ||
				    nl_req_find(w->reqs, w->n, seq) == NULL)
					continue;
				errno = 0;
				if (w->cb(nlh, w->arg) < MNL_CB_OK)
					w->cb_err = errno ? -errno : -EIO;
				continue;
			}
			err = nl_error_parse(nlh, &msg);
			if (probe_first != 0 &&
			    seq - probe_first <= probe_last - probe_first) {
				settled = true;
				continue;
			}
			if ((r = nl_req_find(w->reqs, w->n, seq)) == NULL ||
			    r->done)
				continue;
			nl_req_set(r, err, msg);
			if (r == last && !w->overrun)
				settled = true;
		}
	}
	for (i = 0; i < w->n; i++) {
		r = &w->reqs[i];
		if (r->done)
			continue;
		/* No answer: lost to the overrun (outcome unknown); or the
		 * last, whose ACK never came; or else a success. */
		if (w->overrun)
			nl_req_set(r, -ENOBUFS, NULL);
		else if (r == last)
			nl_req_set(r, -EIO, NULL);
		else
			nl_req_set(r, 0, NULL);
	}
	return 0;
}

/* Send one request with an ACK and wait: the result, the socket's error,
 * or CB's. */
static int
nl_txrx(struct nl_sock *s, struct nlmsghdr *nlh, nl_msg_fn cb, void *arg,
    char *extack, size_t extack_len)
{
	struct nl_req	req;
	struct nl_wait	w;
	int		rc;

	if (extack_len > 0)
		extack[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nl_next_seq(s);
	nlh->nlmsg_pid = 0;
	memset(&req, 0, sizeof(req));
	req.seq = nlh->nlmsg_seq;
	memset(&w, 0, sizeof(w));
	w.reqs = &req;
	w.n = 1;
	w.cb = cb;
	w.arg = arg;
	if ((rc = nl_send(s, nlh, nlh->nlmsg_len)) < 0)
		return rc;
	if ((rc = nl_wait(s, &w)) < 0) {
		free(req.extack);
		return rc;
	}
	if (req.extack != NULL && extack_len > 0) {
		strncpy(extack, req.extack, extack_len - 1);
		extack[extack_len - 1] = '\0';
	}
	free(req.extack);
	if (req.err < 0)
		return req.err;
	if (w.cb_err < 0)
		return w.cb_err;
	/* An ACK with a lost reply is no answer. */
	return w.overrun && cb != NULL ? -ENOBUFS : 0;
}

int
nl_request(struct nl_sock *s, struct nlmsghdr *nlh, char *extack,
    size_t extack_len)
{
	return nl_txrx(s, nlh, NULL, NULL, extack, extack_len);
}

int
nl_get(struct nl_sock *s, struct nlmsghdr *nlh, nl_msg_fn cb, void *arg)
{
	return nl_txrx(s, nlh, cb, arg, NULL, 0);
}

int
nl_get_ext(struct nl_sock *s, struct nlmsghdr *nlh, nl_msg_fn cb, void *arg,
    char *extack, size_t extack_len)
{
	return nl_txrx(s, nlh, cb, arg, extack, extack_len);
}

/*
 * One pass of a dump: 0, -errno, or NL_DUMP_INTR when the kernel flagged
 * it inconsistent. It always reads to the end of the dump, even after CB
 * failed, since a socket with a dump running refuses the next one (EBUSY).
 */
static int
nl_dump_once(struct nl_sock *s, struct nlmsghdr *req, nl_msg_fn cb,
    void *arg)
{
	char			 buf[NL_RECV_SIZE] __attribute__((aligned(8)));
	const struct nlmsghdr	*nlh;
	const char		*msg;
	ssize_t			 len;
	uint32_t		 seq;
	int			 err = 0, rc, rem;
	bool			 intr = false, stop = false;

	req->nlmsg_seq = seq = nl_next_seq(s);
	req->nlmsg_pid = 0;
	if ((rc = nl_send(s, req, req->nlmsg_len)) < 0)
		return rc;
	for (;;) {
		if ((len = nl_recv(s, buf, sizeof(buf), 0)) == -ENOBUFS) {
			/* Something was lost: finish this pass, then redo. */
			intr = true;
			continue;
		}
		if (len < 0)
			return (int)len;
		rem = (int)len;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, rem);
		    nlh = mnl_nlmsg_next(nlh, &rem)) {
			if (nlh->nlmsg_pid != s->portid ||
			    nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				/* The dump's own error, if it failed midway. */
				if (mnl_nlmsg_get_payload_len(nlh) >=
				    sizeof(int) && err == 0)
					err = *(const int *)
					    mnl_nlmsg_get_payload(nlh);
				if (err < 0)
					return err;
				return intr ? NL_DUMP_INTR : 0;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				rc = nl_error_parse(nlh, &msg);
				return err < 0 ? err : rc < 0 ? rc :
				    intr ? NL_DUMP_INTR : 0;
			}
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || err < 0 ||
			    intr || stop)
				continue;
			errno = 0;
			rc = cb(nlh, arg);
			if (rc == MNL_CB_STOP)
				stop = true;
			else if (rc < MNL_CB_OK)
				err = errno ? -errno : -EIO;
		}
	}
}

int
nl_dump(struct nl_sock *s, struct nlmsghdr *req, nl_msg_fn cb,
    void (*reset)(void *), void *arg)
{
	int	tries, rc;

	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
	for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
		if (tries > 0 && reset != NULL)
			reset(arg);
		if ((rc = nl_dump_once(s, req, cb, arg)) != NL_DUMP_INTR)
			return rc;
	}
	/* Changing faster than it can be read: let the caller come back. */
	return -EAGAIN;
}

struct nl_batch *
nl_batch_new(struct nl_sock *s, nl_result_fn cb, void *arg)
{
	struct nl_batch	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	/* Twice the chunk: the message that overflows a chunk still fits,
	 * and moves to the next one. */
	if ((b->buf = malloc(2 * NL_CHUNK)) == NULL ||
	    (b->b = mnl_nlmsg_batch_start(b->buf, NL_CHUNK)) == NULL) {
		free(b->buf);
		free(b);
		errno = ENOMEM;
		return NULL;
	}
	b->s = s;
	b->cb = cb;
	b->arg = arg;
	return b;
}

/* Send the committed requests, wait, report one result each. */
static int
nl_batch_send(struct nl_batch *b)
{
	struct nl_wait	w;
	size_t		i;
	int		rc;

	if (b->n == 0)
		return 0;
	b->last->nlmsg_flags |= NLM_F_ACK;
	memset(&w, 0, sizeof(w));
	w.reqs = b->reqs;
	w.n = b->n;
	rc = nl_send(b->s, mnl_nlmsg_batch_head(b->b),
	    mnl_nlmsg_batch_size(b->b));
	if (rc == 0)
		rc = nl_wait(b->s, &w);
	for (i = 0; i < b->n; i++) {
		struct nl_req	*r = &b->reqs[i];

		if (!r->done)
			nl_req_set(r, rc < 0 ? rc : -EIO, NULL);
		b->cb(b->arg, r->tag, r->err, r->extack);
		free(r->extack);
	}
	b->sent += b->n;
	b->n = 0;
	b->last = NULL;
	return rc;
}

/* Add the open message to the chunk; a chunk it would overflow is sent
 * first. One message must stay under NL_CHUNK (ours are < 2 KiB). */
static void
nl_batch_commit(struct nl_batch *b)
{
	struct nl_req	*r;

	if (b->open == NULL)
		return;
	if (!mnl_nlmsg_batch_next(b->b)) {
		(void)nl_batch_send(b);		/* results reported */
		/* Moves the open one first, and counts it in: another
		 * mnl_nlmsg_batch_next would count what follows it, stale
		 * bytes of the chunk just sent. */
		mnl_nlmsg_batch_reset(b->b);
		b->open = mnl_nlmsg_batch_head(b->b);
	}
	r = &b->reqs[b->n++];	/* room made by nl_batch_msg */
	memset(r, 0, sizeof(*r));
	r->seq = b->open_seq;
	r->tag = b->open_tag;
	b->last = b->open;
	b->open = NULL;
}

struct nlmsghdr *
nl_batch_msg(struct nl_batch *b, uint16_t type, uint16_t flags, size_t tag)
{
	struct nlmsghdr	*nlh;
	struct nl_req	*nr;
	size_t		 ncap;

	/* Room for the open request and this one, so commit can't fail. */
	if (b->n + 2 > b->cap) {
		ncap = b->cap ? b->cap * 2 : 256;
		if ((nr = realloc(b->reqs, ncap * sizeof(*nr))) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		b->reqs = nr;
		b->cap = ncap;
	}
	nl_batch_commit(b);
	nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b->b));
	nlh->nlmsg_type = type;
	/* ACKs are the batch's business: only a chunk's last asks. */
	nlh->nlmsg_flags = (flags | NLM_F_REQUEST) & ~NLM_F_ACK;
	nlh->nlmsg_seq = b->open_seq = nl_next_seq(b->s);
	b->open = nlh;
	b->open_tag = tag;
	return nlh;
}

int
nl_batch_flush(struct nl_batch *b)
{
	int	rc;

	nl_batch_commit(b);
	rc = nl_batch_send(b);
	mnl_nlmsg_batch_reset(b->b);
	return rc;
}

void
nl_batch_free(struct nl_batch *b)
{
	if (b == NULL)
		return;
	(void)nl_batch_flush(b);
	mnl_nlmsg_batch_stop(b->b);
	free(b->reqs);
	free(b->buf);
	free(b);
}

size_t
nl_batch_sent(const struct nl_batch *b)
{
	return b->sent;
}
