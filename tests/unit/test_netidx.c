/*
 * test_netidx: which subnet holds an address (util/netidx.c), as a walk
 * of the subnets in order finds it: the first that holds it, whatever
 * its length; none of the other family; prefixes too long refused. For
 * a few subnets (walked) and thousands (hashed by length).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "util/netidx.h"

static int
add(struct netidx *ni, const char *ip, unsigned plen, size_t pos)
{
	uint8_t	 a[16] = { 0 };
	int	 family = strchr(ip, ':') ? AF_INET6 : AF_INET;

	CHECK(inet_pton(family, ip, a) == 1);
	return netidx_add(ni, family, a, plen, pos);
}

static ssize_t
holder(const struct netidx *ni, const char *ip)
{
	uint8_t	 a[16] = { 0 };
	int	 family = strchr(ip, ':') ? AF_INET6 : AF_INET;

	CHECK(inet_pton(family, ip, a) == 1);
	return netidx_holder(ni, family, a);
}

static void
test_first_holder(void)
{
	struct netidx	 ni;
	char		 ip[32];

	netidx_init(&ni);
	CHECK_INTEQ(holder(&ni, "10.0.0.1"), -1);
	/* a hub's thousands of /30s, a /16 after them, a /8 before */
	CHECK_INTEQ(add(&ni, "10.0.0.0", 8, 0), 0);
	for (unsigned i = 1; i <= 4000; i++) {
		snprintf(ip, sizeof(ip), "10.%u.%u.%u", 1 + i / 64,
		    (i % 64) * 4 / 256, (i % 64) * 4 + 1);
		CHECK_INTEQ(add(&ni, ip, 30, i), 0);
	}
	CHECK_INTEQ(add(&ni, "172.16.0.1", 16, 4001), 0);
	CHECK_INTEQ(add(&ni, "172.16.9.1", 24, 4002), 0);
	/* the /8 is first in order */
	CHECK_INTEQ(holder(&ni, "10.1.0.2"), 0);
	/* the /16 before the /24 in it; a host bit set in the key is
	 * nothing */
	CHECK_INTEQ(holder(&ni, "172.16.9.7"), 4001);
	CHECK_INTEQ(holder(&ni, "172.17.0.1"), -1);
	/* a subnet given again keeps its lowest position */
	CHECK_INTEQ(add(&ni, "172.16.200.1", 16, 7), 0);
	CHECK_INTEQ(holder(&ni, "172.16.9.7"), 7);
	/* families apart; /0 holds all of its family */
	CHECK_INTEQ(holder(&ni, "2001:db8::1"), -1);
	CHECK_INTEQ(add(&ni, "2001:db8::1", 64, 5000), 0);
	CHECK_INTEQ(holder(&ni, "2001:db8::ffff"), 5000);
	CHECK_INTEQ(holder(&ni, "2001:db9::1"), -1);
	CHECK_INTEQ(add(&ni, "::", 0, 6000), 0);
	CHECK_INTEQ(holder(&ni, "2001:db9::1"), 6000);
	CHECK_INTEQ(holder(&ni, "192.168.0.1"), -1);
	/* no such prefix */
	CHECK_INTEQ(add(&ni, "10.0.0.0", 33, 1), -EINVAL);
	CHECK_INTEQ(add(&ni, "2001:db8::", 129, 1), -EINVAL);
	netidx_free(&ni);
}

/* A router's few subnets are walked: the same answers. */
static void
test_few(void)
{
	struct netidx	 ni;

	netidx_init(&ni);
	CHECK_INTEQ(add(&ni, "10.1.2.1", 30, 4), 0);
	CHECK_INTEQ(add(&ni, "10.1.0.0", 16, 6), 0);
	CHECK_INTEQ(add(&ni, "10.1.2.2", 30, 2), 0);	/* again, before */
	CHECK_INTEQ(add(&ni, "172.16.0.1", 32, 0), 0);
	CHECK_INTEQ(add(&ni, "2001:db8::1", 64, 1), 0);
	CHECK_INTEQ(holder(&ni, "10.1.2.3"), 2);
	CHECK_INTEQ(holder(&ni, "10.1.9.9"), 6);
	CHECK_INTEQ(holder(&ni, "172.16.0.1"), 0);
	CHECK_INTEQ(holder(&ni, "172.16.0.2"), -1);
	CHECK_INTEQ(holder(&ni, "2001:db8::9"), 1);
	CHECK_INTEQ(holder(&ni, "::1"), -1);
	netidx_free(&ni);
}

int
main(void)
{
	RUN(test_few);
	RUN(test_first_holder);
	return CHECK_DONE();
}
