/*
 * nl: rtnetlink sockets, requests and dumps, with libmnl.
 *
 * A socket is born in one namespace and keeps it. Requests are batched: many
 * messages go out in one sendmsg, and every request gets exactly one result
 * (0 or -errno with the kernel's extack message), matched by sequence number.
 * Library code: nothing here prints.
 */
#ifndef VRFD_NL_H
#define VRFD_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct nl_sock;
struct nl_batch;

/* Open a NETLINK_ROUTE socket inside the namespace NSFD (-1: the current
 * one). Strict dumps, extended ACKs and capped ACKs are enabled. */
struct nl_sock	*nl_open(int nsfd);
void		 nl_close(struct nl_sock *);
int		 nl_fd(const struct nl_sock *);

/* Dump: REQ is a complete request (NLM_F_DUMP set by nl_dump). CB is
 * called for each message; it returns MNL_CB_OK or MNL_CB_ERROR. An
 * interrupted dump (NLM_F_DUMP_INTR) is restarted from scratch; RESET is
 * then called first so the caller can drop what it had (may be NULL). */
typedef int	(*nl_msg_fn)(const struct nlmsghdr *, void *arg);
int		 nl_dump(struct nl_sock *, struct nlmsghdr *req, nl_msg_fn cb,
		    void (*reset)(void *arg), void *arg);

/* One result per request: TAG is what nl_batch_msg was given; ERR is 0 or
 * -errno; EXTACK is the kernel's message or NULL. */
typedef void	(*nl_result_fn)(void *arg, size_t tag, int err,
		    const char *extack);

struct nl_batch	*nl_batch_new(struct nl_sock *, nl_result_fn, void *arg);
/* Start a request in the batch: a header with TYPE, FLAGS | NLM_F_REQUEST
 * and a sequence number. The caller adds the family header and attributes
 * with libmnl. Full batches are sent on their own (results arrive then). */
struct nlmsghdr	*nl_batch_msg(struct nl_batch *, uint16_t type, uint16_t flags,
		    size_t tag);
/* Send what is pending and wait for every result. 0, or -errno if the
 * socket itself failed (then every pending request is reported failed). */
int		 nl_batch_flush(struct nl_batch *);
void		 nl_batch_free(struct nl_batch *);	/* flushes first */
size_t		 nl_batch_sent(const struct nl_batch *);	/* requests so far */

/* A single request, synchronously: 0 or -errno, extack copied to EXTACK. */
int		 nl_request(struct nl_sock *, struct nlmsghdr *,
		    char *extack, size_t extack_len);
/* A single request that answers with messages (RTM_GETLINK of one
 * ifindex): CB sees each reply. 0 or -errno. */
int		 nl_get(struct nl_sock *, struct nlmsghdr *, nl_msg_fn cb,
		    void *arg);
/* The same, with the kernel's message for a refusal copied to EXTACK. */
int		 nl_get_ext(struct nl_sock *, struct nlmsghdr *, nl_msg_fn cb,
		    void *arg, char *extack, size_t extack_len);

#endif
