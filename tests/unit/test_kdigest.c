/*
 * test_kdigest: the digest a namespace's declaration is settled under
 * (kernel/kdigest.h) must tell any difference a pass would act on, and
 * be the same for the same declaration however it came to be.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "engine/state.h"
#include "kernel/kdigest.h"
#include "kernel/kstate.h"

/* A loopback, a veth, an address, a route with NH nexthops (1 or more)
 * and a sysctl, as compile makes them. */
static void
declare(struct ks_ns *ns, int nh)
{
	struct ks_link		*l;
	struct ks_addr		*a;
	struct ks_route		*r;
	struct ks_sysctl	*s;

	memset(ns, 0, sizeof(*ns));
	snprintf(ns->name, sizeof(ns->name), "lab-r1");
	l = ks_link_add(ns);
	snprintf(l->name, sizeof(l->name), "lo");
	l->kind = KS_LINK_LO;
	l = ks_link_add(ns);
	snprintf(l->name, sizeof(l->name), "eth0");
	l->kind = KS_LINK_VETH;
	snprintf(l->peer_ns, sizeof(l->peer_ns), "lab-r2");
	a = ks_addr_add(ns);
	a->family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", a->addr);
	a->plen = 30;
	snprintf(a->dev, sizeof(a->dev), "eth0");
	r = ks_route_add(ns);
	r->family = AF_INET;
	inet_pton(AF_INET, "10.9.0.0", r->dst);
	r->dst_len = 16;
	for (int k = 0; k < nh; k++) {
		struct ks_nexthop	*n = ks_route_nh_add(r);

		n->has_gw = true;
		inet_pton(AF_INET, "10.0.0.2", n->gw);
		n->gw[3] += (uint8_t)k;
		n->weight = 1;
	}
	s = ks_sysctl_add(ns);
	snprintf(s->key, sizeof(s->key), "net.ipv4.ip_forward");
	snprintf(s->value, sizeof(s->value), "1");
}

static void
test_same_declaration(void)
{
	struct ks_ns	 a, b;

	for (int nh = 1; nh <= 3; nh++) {
		declare(&a, nh);
		declare(&b, nh);
		CHECK(ks_ns_digest(&a) == ks_ns_digest(&b));
		CHECK(ks_ns_digest(&a) != 0);
		ks_ns_clear(&a);
		ks_ns_clear(&b);
	}
}

static void
test_differences(void)
{
	struct ks_ns	 a, b;
	uint64_t	 d;

	declare(&a, 1);
	d = ks_ns_digest(&a);
	/* a gateway, a second nexthop, a metric, an address, a peer, a
	 * sysctl's value, one object more: each a different digest */
	declare(&b, 1);
	ks_nh(&b.routes[0], 0)->gw[3] = 9;
	CHECK(ks_ns_digest(&b) != d);
	ks_ns_clear(&b);
	declare(&b, 2);
	CHECK(ks_ns_digest(&b) != d);
	ks_ns_clear(&b);
	declare(&b, 1);
	b.routes[0].priority = 100;
	CHECK(ks_ns_digest(&b) != d);
	ks_ns_clear(&b);
	declare(&b, 1);
	b.addrs[0].plen = 24;
	CHECK(ks_ns_digest(&b) != d);
	ks_ns_clear(&b);
	declare(&b, 1);
	snprintf(b.links[1].peer_ns, sizeof(b.links[1].peer_ns), "lab-r3");
	CHECK(ks_ns_digest(&b) != d);
	ks_ns_clear(&b);
	declare(&b, 1);
	snprintf(b.sysctls[0].value, sizeof(b.sysctls[0].value), "0");
	CHECK(ks_ns_digest(&b) != d);
	ks_ns_clear(&b);
	declare(&b, 1);
	(void)ks_addr_add(&b);
	CHECK(ks_ns_digest(&b) != d);
	ks_ns_clear(&b);
	ks_ns_clear(&a);
}

/* A topology's text by its digest: its length and its bytes count. */
static void
test_text_digest(void)
{
	char	 a[STATE_DIGEST_MAX], b[STATE_DIGEST_MAX];

	state_text_digest("lab: a\n", 7, a, sizeof(a));
	state_text_digest("lab: a\n", 7, b, sizeof(b));
	CHECK_STREQ(a, b);
	CHECK(strncmp(a, "7-", 2) == 0);
	state_text_digest("lab: b\n", 7, b, sizeof(b));
	CHECK(strcmp(a, b) != 0);
	state_text_digest("lab: a\n\0", 8, b, sizeof(b));
	CHECK(strcmp(a, b) != 0);
}

/* A long text (digested in four lanes): each byte counts, wherever it is,
 * in a lane or in the tail; so does which lane a word is in. */
static void
test_long_text_digest(void)
{
	static char	 text[1000];
	uint64_t	 d;
	char		 w[8];
	size_t		 i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 23);
	d = ks_bytes_digest(text, sizeof(text));
	CHECK(ks_bytes_digest(text, sizeof(text)) == d);
	for (i = 0; i < sizeof(text); i += 37) {
		text[i] ^= 1;
		CHECK(ks_bytes_digest(text, sizeof(text)) != d);
		text[i] ^= 1;
	}
	text[sizeof(text) - 1] ^= 1;
	CHECK(ks_bytes_digest(text, sizeof(text)) != d);
	text[sizeof(text) - 1] ^= 1;
	/* two words of two lanes swapped */
	memcpy(w, text + 64, 8);
	memcpy(text + 64, text + 72, 8);
	memcpy(text + 72, w, 8);
	CHECK(ks_bytes_digest(text, sizeof(text)) != d);
	CHECK(ks_bytes_digest(text, sizeof(text) - 1) !=
	    ks_bytes_digest(text, sizeof(text)));
}

int
main(void)
{
	RUN(test_same_declaration);
	RUN(test_differences);
	RUN(test_text_digest);
	RUN(test_long_text_digest);
	return CHECK_DONE();
}
