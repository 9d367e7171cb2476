/*
 * addr_proto NS ADDR/PLEN DEV PROTO [nodad]: add an address with its
 * protocol (IFA_PROTO), as `ip address add ... proto N` does from
 * iproute2 6.3 on: for t_plan_commands on a host with an older iproute2,
 * whose `ip address` cannot say it. The message is vrfd's own codec's.
 *
 * addr_proto NS ADDR: print the protocol of address ADDR in NS (one line
 * per copy of it, on whatever device), as `ip address show` from 6.3 on.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"

struct addr_find {
	struct ks_addr	 want;
	int		 found;
};

static int
addr_find_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct addr_find	*f = arg;
	struct ks_addr		 a;

	if (nl_addr_parse(nlh, &a) == 0 && a.family == f->want.family &&
	    memcmp(a.addr, f->want.addr, a.family == AF_INET6 ? 16 : 4) == 0) {
		printf("%u\n", (unsigned)a.proto);
		f->found++;
	}
	return MNL_CB_OK;
}

static int
addr_show(const char *ns, const char *addr)
{
	char			 buf[256] __attribute__((aligned(8)));
	struct addr_find	 f;
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct nl_sock		*s;
	int			 fd, rv;

	memset(&f, 0, sizeof(f));
	f.want.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(f.want.family, addr, f.want.addr) != 1)
		return 2;
	if ((fd = netns_open(ns)) < 0 || (s = nl_open(fd)) == NULL) {
		fprintf(stderr, "addr_proto: %s: cannot enter\n", ns);
		return 1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)f.want.family;
	if ((rv = nl_dump(s, nlh, addr_find_cb, NULL, &f)) < 0)
		fprintf(stderr, "addr_proto: %s: %s\n", ns, strerror(-rv));
	nl_close(s);
	close(fd);
	return rv < 0 || f.found == 0;
}

int
main(int argc, char **argv)
{
	char		 buf[512] __attribute__((aligned(8))), ext[256] = "";
	struct nlmsghdr	*nlh;
	struct nl_sock	*s;
	struct ks_addr	 a;
	char		*slash;
	int		 fd, rv, saved;

	if (argc == 3)
		return addr_show(argv[1], argv[2]);
	if (argc < 5) {
		fprintf(stderr, "usage: addr_proto NS ADDR/PLEN DEV PROTO "
		    "[nodad]\n       addr_proto NS ADDR\n");
		return 2;
	}
	memset(&a, 0, sizeof(a));
	if ((slash = strchr(argv[2], '/')) == NULL)
		return 2;
	*slash = '\0';
	a.family = strchr(argv[2], ':') ? AF_INET6 : AF_INET;
	if (inet_pton(a.family, argv[2], a.addr) != 1)
		return 2;
	a.plen = (uint8_t)atoi(slash + 1);
	a.proto = (uint8_t)atoi(argv[4]);
	if ((fd = netns_open(argv[1])) < 0 || (s = nl_open(fd)) == NULL) {
		fprintf(stderr, "addr_proto: %s: cannot enter\n", argv[1]);
		return 1;
	}
	/* The device's index, from inside. */
	if (netns_enter(fd, &saved) < 0)
		return 1;
	a.ifindex = (int)if_nametoindex(argv[3]);
	if (netns_leave(saved) < 0 || a.ifindex == 0) {
		fprintf(stderr, "addr_proto: %s: no device %s\n", argv[1],
		    argv[3]);
		return 1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	nl_addr_put(nlh, &a);
	if ((rv = nl_request(s, nlh, ext, sizeof(ext))) < 0) {
		fprintf(stderr, "addr_proto: %s: %s%s%s\n", argv[1],
		    strerror(-rv), ext[0] ? ": " : "", ext);
		return 1;
	}
	nl_close(s);
	close(fd);
	return 0;
}
