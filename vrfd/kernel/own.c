/*
 * own: the ownership rules (see own.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "own.h"

#ifndef IFAPROT_KERNEL_LL
#define IFAPROT_KERNEL_LO	1
#define IFAPROT_KERNEL_RA	2
#define IFAPROT_KERNEL_LL	3
#endif

#define OWN_PREFIX	"vrfd lab="

enum own
own_route(const struct ks_route *r)
{
	/* A route through a nexthop object is a routing daemon's way of
	 * installing one; vrfd never makes those. */
	if (r->protocol == VRFD_PROTO && r->nhid == 0)
		return OWN_VRFD;
	if (r->protocol == RTPROT_KERNEL || r->protocol == RTPROT_RA ||
	    r->protocol == RTPROT_REDIRECT || r->type == RTN_LOCAL ||
	    r->type == RTN_BROADCAST || r->type == RTN_MULTICAST ||
	    r->type == RTN_ANYCAST)
		return OWN_KERNEL;
	return OWN_FOREIGN;
}

enum own
own_addr(const struct ks_addr *a)
{
	if (a->proto == VRFD_PROTO)
		return OWN_VRFD;
	if (a->proto == IFAPROT_KERNEL_LO || a->proto == IFAPROT_KERNEL_RA ||
	    a->proto == IFAPROT_KERNEL_LL || a->scope >= RT_SCOPE_LINK)
		return OWN_KERNEL;
	return OWN_FOREIGN;
}

enum own
own_neigh(const struct ks_neigh *n)
{
	if (n->proto == VRFD_PROTO)
		return OWN_VRFD;
	if (!(n->state & NUD_PERMANENT) && n->proto == 0)
		return OWN_KERNEL;
	return OWN_FOREIGN;
}

enum own
own_qdisc(const struct ks_qdisc *q)
{
	uint32_t	 major = q->handle & 0xffff0000u;

	if (major == OWN_QDISC_ROOT || major == OWN_QDISC_CHILD)
		return OWN_VRFD;
	return q->handle == 0 ? OWN_KERNEL : OWN_FOREIGN;
}

enum own
own_link(const struct ks_link *l, const char *lab)
{
	struct own_mark	 m;

	if (l->alias[0] == '\0')
		return l->group == OWN_LINK_GROUP ? OWN_VRFD : OWN_FOREIGN;
	if (own_mark_parse(l->alias, &m) && m.node[0] == '\0' &&
	    strcmp(m.lab, lab) == 0)
		return OWN_VRFD;
	return OWN_FOREIGN;
}

void
own_ns_mark(char *buf, size_t len, const char *lab, const char *node,
    const char *place)
{
	snprintf(buf, len, OWN_PREFIX "%s node=%s%s%s", lab, node,
	    place ? " in=" : "", place ? place : "");
}

void
own_link_mark(char *buf, size_t len, const char *lab)
{
	snprintf(buf, len, OWN_PREFIX "%s", lab);
}

/* Copy the word at S (up to a space, a newline or the end) into BUF;
 * the length taken, or 0 if it is empty or too long. */
static size_t
own_word(const char *s, char *buf, size_t len)
{
	size_t	 n = strcspn(s, " \n");

	if (n == 0 || n >= len)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n;
}

bool
own_mark_parse(const char *text, struct own_mark *m)
{
	const char	*s = text + strlen(OWN_PREFIX);
	size_t		 n;

	memset(m, 0, sizeof(*m));
	if (strncmp(text, OWN_PREFIX, strlen(OWN_PREFIX)) != 0 ||
	    (n = own_word(s, m->lab, sizeof(m->lab))) == 0)
		return false;
	s += n;
	if (strncmp(s, " node=", 6) == 0) {
		if ((n = own_word(s + 6, m->node, sizeof(m->node))) == 0)
			return false;
		s += 6 + n;
		if (strncmp(s, " in=", 4) == 0) {
			if ((n = own_word(s + 4, m->place,
			    sizeof(m->place))) == 0)
				return false;
			s += 4 + n;
		}
	}
	return strcmp(s, "") == 0 || strcmp(s, "\n") == 0;
}

bool
own_ns_marked(const char *text, const char *lab, const char *node)
{
	struct own_mark	 m;

	return own_mark_parse(text, &m) && strcmp(m.lab, lab) == 0 &&
	    strcmp(m.node, node) == 0 && m.node[0] != '\0';
}
