/*
 * lookup: RTM_GETROUTE and RTM_GETNEIGH for one packet (see lookup.h).
 * The requests are what iproute2 sends for `ip route get ... from ... iif
 * ... ipproto ... sport ... dport ...` and `ip neigh get`; the sockets are
 * strict (nl_open), so only the attributes the kernel accepts there.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "lookup.h"
#include "nl.h"
#include "nl_codec.h"

static size_t
lookup_alen(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static int
lookup_prefsrc_cb(const struct nlattr *a, void *arg)
{
	const struct nlattr	**prefsrc = arg;

	if (mnl_attr_get_type(a) == RTA_PREFSRC)
		*prefsrc = a;
	return MNL_CB_OK;
}

static int
lookup_route_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct lookup_result	*res = arg;
	const struct nlattr	*prefsrc = NULL;
	size_t			 alen;

	ks_route_clear(&res->route);		/* a second answer */
	if (nl_route_parse(nlh, &res->route) < 0)
		return MNL_CB_ERROR;
	alen = lookup_alen(res->route.family);
	if (mnl_attr_parse(nlh, sizeof(struct rtmsg), lookup_prefsrc_cb,
	    &prefsrc) >= 0 && prefsrc != NULL &&
	    mnl_attr_get_payload_len(prefsrc) == alen) {
		memcpy(res->prefsrc, mnl_attr_get_payload(prefsrc), alen);
		res->has_prefsrc = true;
	}
	return MNL_CB_OK;
}

int
lookup_route(struct nl_sock *s, const struct lookup_flow *f, bool fib_match,
    struct lookup_result *res, char *extack, size_t len)
{
	char		 buf[1024] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	size_t		 alen = lookup_alen(f->family);

	memset(res, 0, sizeof(*res));
	if (alen == 0)
		return -EAFNOSUPPORT;
	if (len > 0)
		extack[0] = '\0';
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)f->family;
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	if (fib_match)
		rtm->rtm_flags = RTM_F_FIB_MATCH;
	mnl_attr_put(nlh, RTA_DST, alen, f->dst);
	if (f->has_src) {
		rtm->rtm_src_len = (uint8_t)(alen * 8);
		mnl_attr_put(nlh, RTA_SRC, alen, f->src);
	}
	if (f->iif > 0)
		mnl_attr_put_u32(nlh, RTA_IIF, (uint32_t)f->iif);
	if (f->ipproto != 0)
		mnl_attr_put_u8(nlh, RTA_IP_PROTO, f->ipproto);
	if (f->sport != 0)
		mnl_attr_put_u16(nlh, RTA_SPORT, htons(f->sport));
	if (f->dport != 0)
		mnl_attr_put_u16(nlh, RTA_DPORT, htons(f->dport));
	return nl_get_ext(s, nlh, lookup_route_reply, res, extack, len);
}

static int
lookup_neigh_reply(const struct nlmsghdr *nlh, void *arg)
{
	return nl_neigh_parse(nlh, arg) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int
lookup_neigh(struct nl_sock *s, int family, const uint8_t ip[16],
    int ifindex, struct ks_neigh *out)
{
	char		 buf[512] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh;
	struct ndmsg	*ndm;
	size_t		 alen = lookup_alen(family);

	if (alen == 0)
		return -EAFNOSUPPORT;
	memset(out, 0, sizeof(*out));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)family;
	ndm->ndm_ifindex = ifindex;
	mnl_attr_put(nlh, NDA_DST, alen, ip);
	return nl_get(s, nlh, lookup_neigh_reply, out);
}

const char *
lookup_nud_str(uint16_t state)
{
	static const struct {
		uint16_t	 nud;
		const char	*name;
	} names[] = {
		{ NUD_INCOMPLETE, "INCOMPLETE" }, { NUD_REACHABLE, "REACHABLE" },
		{ NUD_STALE, "STALE" }, { NUD_DELAY, "DELAY" },
		{ NUD_PROBE, "PROBE" }, { NUD_FAILED, "FAILED" },
		{ NUD_NOARP, "NOARP" }, { NUD_PERMANENT, "PERMANENT" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (state & names[i].nud)
			return names[i].name;
	return "NONE";
}
