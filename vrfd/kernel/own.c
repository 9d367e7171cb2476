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

/* The words of the kinds in a mark, in the order of their bits. */
static const char *const own_kind_words[] = { "ipv4", "ipv6", "neigh" };
#define OWN_KINDS	(sizeof(own_kind_words) / sizeof(own_kind_words[0]))

unsigned
own_family_kind(int family)
{
	return family == AF_INET6 ? OWN_HOLDS_IPV6 : OWN_HOLDS_IPV4;
}

/* An object with vrfd's mark, of kind KIND, in a namespace holding
 * HOLDS. */
static enum own
own_marked(unsigned kind, unsigned holds)
{
	return (holds & kind) ? OWN_VRFD : OWN_FOREIGN;
}

enum own
own_route(const struct ks_route *r, unsigned holds)
{
	/* A route through a nexthop object is a routing daemon's way of
	 * installing one; vrfd never makes those. */
	if (r->protocol == VRFD_PROTO && r->nhid == 0)
		return own_marked(own_family_kind(r->family), holds);
	if (r->protocol == RTPROT_KERNEL || r->protocol == RTPROT_RA ||
	    r->protocol == RTPROT_REDIRECT || r->type == RTN_LOCAL ||
	    r->type == RTN_BROADCAST || r->type == RTN_MULTICAST ||
	    r->type == RTN_ANYCAST)
		return OWN_KERNEL;
	return OWN_FOREIGN;
}

enum own
own_addr(const struct ks_addr *a, unsigned holds)
{
	if (a->proto == VRFD_PROTO)
		return own_marked(own_family_kind(a->family), holds);
	if (a->proto == IFAPROT_KERNEL_LO || a->proto == IFAPROT_KERNEL_RA ||
	    a->proto == IFAPROT_KERNEL_LL || a->scope >= RT_SCOPE_LINK)
		return OWN_KERNEL;
	return OWN_FOREIGN;
}

enum own
own_neigh(const struct ks_neigh *n, unsigned holds)
{
	if (n->proto == VRFD_PROTO)
		return own_marked(OWN_HOLDS_NEIGH, holds);
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

/* KINDS as a mark says them, in BUF: "ipv4,neigh", "none". */
static void
own_holds_words(unsigned holds, char *buf, size_t len)
{
	size_t	 n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < OWN_KINDS; k++)
		if (holds & (1u << k))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
			    "%s%s", n ? "," : "", own_kind_words[k]);
	if (n == 0)
		snprintf(buf, len, "none");
}

bool
own_ns_mark(char *buf, size_t len, const char *lab, const char *node,
    unsigned holds, const char *place)
{
	char	 kinds[32];
	int	 n;

	own_holds_words(holds, kinds, sizeof(kinds));
	n = snprintf(buf, len, OWN_PREFIX "%s node=%s holds=%s%s%s", lab, node,
	    kinds, place ? " in=" : "", place ? place : "");
	return n >= 0 && (size_t)n < len;
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

/* The kinds WORDS name ("ipv4,ipv6", "none"): false if a word is none
 * of them. */
static bool
own_holds_parse(const char *words, unsigned *holds)
{
	const char	*w = words;
	size_t		 n, k;

	*holds = 0;
	if (strcmp(words, "none") == 0)
		return true;
	for (;; w += n + 1) {
		n = strcspn(w, ",");
		for (k = 0; k < OWN_KINDS; k++)
			if (strlen(own_kind_words[k]) == n &&
			    strncmp(w, own_kind_words[k], n) == 0)
				break;
		if (k == OWN_KINDS)
			return false;
		*holds |= 1u << k;
		if (w[n] == '\0')
			return true;
	}
}

bool
own_mark_parse(const char *text, struct own_mark *m)
{
	const char	*s = text + strlen(OWN_PREFIX);
	char		 kinds[32];
	size_t		 n;

	memset(m, 0, sizeof(*m));
	m->holds = OWN_HOLDS_ALL;
	if (strncmp(text, OWN_PREFIX, strlen(OWN_PREFIX)) != 0 ||
	    (n = own_word(s, m->lab, sizeof(m->lab))) == 0)
		return false;
	s += n;
	if (strncmp(s, " node=", 6) == 0) {
		if ((n = own_word(s + 6, m->node, sizeof(m->node))) == 0)
			return false;
		s += 6 + n;
		if (strncmp(s, " holds=", 7) == 0) {
			if ((n = own_word(s + 7, kinds, sizeof(kinds))) == 0 ||
			    !own_holds_parse(kinds, &m->holds))
				return false;
			s += 7 + n;
		}
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

unsigned
own_mark_holds(const char *text)
{
	struct own_mark	 m;

	return own_mark_parse(text, &m) ? m.holds : OWN_HOLDS_ALL;
}

bool
own_mark_add_holds(const char *text, unsigned holds, char *buf, size_t len)
{
	struct own_mark	 m;

	if (!own_mark_parse(text, &m) || m.node[0] == '\0')
		return false;
	return own_ns_mark(buf, len, m.lab, m.node, m.holds | holds,
	    m.place[0] ? m.place : NULL);
}
