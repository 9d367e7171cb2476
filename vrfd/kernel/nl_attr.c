/*
 * nl_attr: a message's attributes into a table by type (nl_attr.h).
 */
#include <string.h>

#include <libmnl/libmnl.h>

#include "nl_attr.h"

void
nl_attr_table_payload(const void *payload, size_t len,
    const struct nlattr **tb, uint16_t max)
{
	const char		*p = payload, *end = p + len;
	const struct nlattr	*a;
	uint16_t		 type;

	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	while (end - p >= (ptrdiff_t)sizeof(*a)) {
		a = (const struct nlattr *)(const void *)p;
		if (a->nla_len < sizeof(*a) || (ptrdiff_t)a->nla_len > end - p)
			break;
		if ((type = a->nla_type & NLA_TYPE_MASK) <= max)
			tb[type] = a;
		p += NLA_ALIGN(a->nla_len);
	}
}

void
nl_attr_table(const struct nlmsghdr *nlh, size_t offset,
    const struct nlattr **tb, uint16_t max)
{
	const char	*p = mnl_nlmsg_get_payload_offset(nlh, offset);
	const char	*end = mnl_nlmsg_get_payload_tail(nlh);

	nl_attr_table_payload(p, end > p ? (size_t)(end - p) : 0, tb, max);
}

bool
nl_attr_holds(const struct nlattr *a, size_t len)
{
	return a == NULL || mnl_attr_get_payload_len(a) >= len;
}

bool
nl_attr_nests(const struct nlattr *a)
{
	size_t	 len;

	if (a == NULL)
		return true;
	len = mnl_attr_get_payload_len(a);
	return len == 0 || len >= MNL_ATTR_HDRLEN;
}
