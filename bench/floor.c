/*
 * floor: the benchmark's floor. It does the kernel work of a vrfctl plan
 * (`vrfctl -j plan FILE | jq -r '.plan[].command'`) the way iproute2
 * does, but in one process and with nothing else: no topology, no reading
 * of the kernel, no diff, no engine. Netlink requests go out up to
 * BATCH_MSGS per sendmsg, the ACKs are read after. What vrfctl or vrfd
 * take beyond this is their own cost: bench/run gives their times as
 * ratios to this one.
 *
 * Phase 1 (not timed) parses the whole file into operations, phase 2
 * (timed) runs them in file order. `floor --teardown NAMES` is
 * `ip netns delete` of each name, timed the same way. `--teardown-ended
 * NAMES` is the same work as vrfd's destroy: each namespace first given
 * an id here, as vrfd's watch gives them (not timed), then the names
 * unbound and the time taken until no id leads to a namespace any more:
 * the kernel has ended them all. `--read NAMES` is a no-op's kernel work:
 * each namespace read as vrfctl's apply reads it (its links dumped; of
 * the addresses and main table's routes of each family and of the
 * neighbours, those its mark holds, kernel/own.h; IPv4 forwarding
 * asked), by two threads as vrfctl reads with two, nothing kept.
 * `--repairer NAMES`
 * makes drift repairs as vrfd does, with the kernel's work alone
 * (repairer(), below).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* unshare, setns, asprintf */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <pthread.h>

#include <libmnl/libmnl.h>

#include "kernel/own.h"

#define NETNS_DIR	"/run/netns"
#define NETNS_SELF	"/proc/thread-self/ns/net"
#define BATCH_MSGS	64
#define MSG_MAX		1024		/* more than any request we build */
#define ALIAS_MAX	255		/* IFALIASZ - 1 */
#define BATCH_SIZE	(BATCH_MSGS * MSG_MAX)
#define IFCACHE		16
#define ARGS_MAX	64

enum { OP_NETNS, OP_LINK, OP_VETH, OP_ADDR, OP_ROUTE, OP_SYSCTL };

/* The words of a command; from K_PROTO on they take a number. BARE: a
 * word that is no key names the link. */
enum { K_UP, K_NODAD, K_NAME, K_DEV, K_NETNS, K_ADDRESS, K_ALIAS, K_VIA,
    K_PROTO, K_MTU, K_TXQ, K_RXQ, K_GROUP, K_MAX };
static const char *const keys[K_MAX] = { "up", "nodad", "name", "dev",
    "netns", "address", "alias", "via", "proto", "mtu", "numtxqueues",
    "numrxqueues", "group" };
static const uint16_t ifla[K_MAX] = { [K_MTU] = IFLA_MTU,
    [K_TXQ] = IFLA_NUM_TX_QUEUES, [K_RXQ] = IFLA_NUM_RX_QUEUES,
    [K_GROUP] = IFLA_GROUP };
#define BIT(k)		(1u << (k))
#define BARE		BIT(K_MAX)
#define HAS(l, k)	((l)->has & BIT(k))

/* What one command says of a link: `link set`, a veth end, the dev of
 * an address or route. */
struct link {
	char		 name[IFNAMSIZ];
	unsigned	 has;		/* BIT(K_...) */
	int		 ns;		/* K_NETNS */
	uint8_t		 mac[6];
	const char	*alias;
	uint32_t	 num[K_MAX];
};

struct op {
	int		 kind;
	int		 ns;		/* where it acts; -1: here */
	const char	*cmd;		/* for messages */
	struct link	 l[2];
	uint8_t		 family, plen, addr[16], gw[16];
	char		*path;		/* sysctl */
	const char	*val;
};

struct ns {
	char		*name;
	int		 fd;		/* NETNS_SELF inside it */
	int		 ioc;		/* for SIOCGIFINDEX inside it; -1 */
	struct mnl_socket *nl;		/* NULL until needed (ns_socket) */
	int		 ncache;
	struct ifreq	 cache[IFCACHE];
};

/* Namespaces with their sockets open at once, at most: two descriptors
 * each, and a process here may have 20,000 (16,000 namespaces). */
#define OPEN_MAX	256

static struct op	*ops;
static size_t		 n_open;
static size_t		 nops;
static struct ns	*nss;
static size_t		 nnss;
static struct mnl_socket *here;		/* where we started */
static int		 herefd;
static uint32_t		 seq;

/* The requests in flight, all on one socket: switching sockets waits for
 * them, so what one namespace needs of another is done first. */
static struct {
	struct mnl_socket	*s;
	struct mnl_nlmsg_batch	*b;
	size_t			 op[BATCH_MSGS];
	uint32_t		 seq0;
	int			 n;
	char			 buf[BATCH_SIZE] __attribute__((aligned(8)));
} batch;

static void __attribute__((noreturn))
fail(const char *cmd, const char *what, int err, const char *extack)
{
	fflush(stdout);
	fprintf(stderr, "floor: %s: %s%s%s%s%s\n", cmd, what ? what : "",
	    what ? ": " : "", strerror(err), extack ? ": " : "",
	    extack ? extack : "");
	exit(1);
}

/* The non-empty lines of FILE. */
static char **
read_lines(const char *file, size_t *n)
{
	FILE	*fp;
	char	*line = NULL, **lines = NULL;
	size_t	 cap = 0;
	ssize_t	 len;

	*n = 0;
	if ((fp = fopen(file, "r")) == NULL)
		fail(file, NULL, errno, NULL);
	while ((len = getline(&line, &cap, fp)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && ((lines = reallocarray(lines, *n + 1,
		    sizeof(*lines))) == NULL ||
		    (lines[(*n)++] = strdup(line)) == NULL))
			fail(file, NULL, errno, NULL);
	}
	if (ferror(fp))
		fail(file, NULL, errno, NULL);
	fclose(fp);
	free(line);
	return lines;
}

/* Phase 1: the file into ops. */

static int
ns_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nnss; i++)
		if (strcmp(nss[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
parse_u32(const char *s, uint32_t *v)
{
	unsigned long	 n;
	char		*end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

/* ADDR[/LEN] into ADDR; of *FAMILY if set, else it is set. A gateway
 * (PLEN NULL) has no length. */
static int
parse_ip(const char *s, uint8_t *family, uint8_t *addr, uint8_t *plen)
{
	char		 buf[INET6_ADDRSTRLEN + 4], *slash;
	uint32_t	 len, max;
	int		 f;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	f = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	len = max = f == AF_INET ? 32 : 128;
	if ((*family != 0 && *family != f) || inet_pton(f, buf, addr) != 1 ||
	    (slash != NULL && (plen == NULL || parse_u32(slash, &len) == -1 ||
	    len > max)))
		return -1;
	if (plen != NULL)
		*plen = (uint8_t)len;
	*family = (uint8_t)f;
	return 0;
}

/* The words AV (NULL-terminated) into OP and its link L; OK: the keys
 * allowed. */
static int
parse_keys(struct op *op, struct link *l, char **av, unsigned ok)
{
	int	k;

	for (; *av != NULL; av++) {
		for (k = 0; k < K_MAX && strcmp(*av, keys[k]) != 0; k++)
			;
		if (k == K_MAX || !(ok & BIT(k))) {
			if (!(ok & BARE) || l->name[0] != '\0' ||
			    strlen(*av) >= IFNAMSIZ)
				return -1;
			strcpy(l->name, *av);
			continue;
		}
		l->has |= BIT(k);
		if (k == K_UP || k == K_NODAD)
			continue;
		if (*++av == NULL)
			return -1;
		switch (k) {
		case K_NAME:
		case K_DEV:
			if (strlen(*av) >= IFNAMSIZ)
				return -1;
			strcpy(l->name, *av);
			break;
		case K_NETNS:
			if ((l->ns = ns_find(*av)) == -1)
				return -1;
			break;
		case K_ADDRESS:
			if (strlen(*av) != 17 || sscanf(*av,
			    "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx", &l->mac[0],
			    &l->mac[1], &l->mac[2], &l->mac[3], &l->mac[4],
			    &l->mac[5]) != 6)
				return -1;
			break;
		case K_ALIAS:
			if (strlen(l->alias = *av) > ALIAS_MAX)
				return -1;
			break;
		case K_VIA:
			if (parse_ip(*av, &op->family, op->gw, NULL) == -1)
				return -1;
			break;
		default:
			if (parse_u32(*av, &l->num[k]) == -1 ||
			    (k == K_PROTO && l->num[k] > 255))
				return -1;
		}
	}
	return 0;
}

#define VETH_KEYS	(BARE | BIT(K_NAME) | BIT(K_NETNS) | BIT(K_ADDRESS) | \
	BIT(K_MTU) | BIT(K_TXQ) | BIT(K_RXQ) | BIT(K_GROUP))

/* One command, split into words ("..." is one) in place. */
static int
parse_cmd(struct op *op, char *cmd)
{
	struct link	*l = &op->l[0];
	char		*av[ARGS_MAX + 1], *p;
	int		 ac = 0, i;

	if ((op->cmd = strdup(cmd)) == NULL)
		fail(cmd, NULL, errno, NULL);
	op->ns = -1;
	for (p = cmd; *p != '\0'; ) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (ac == ARGS_MAX)
			return -1;
		if (*p == '"') {
			av[ac++] = ++p;
			if ((p = strchr(p, '"')) == NULL ||
			    (p[1] != ' ' && p[1] != '\0'))
				return -1;
		} else {
			av[ac++] = p;
			if (*(p += strcspn(p, " \"")) == '"')
				return -1;
		}
		if (*p != '\0')
			*p++ = '\0';
	}
	av[ac] = NULL;
	if (ac < 4 || strcmp(av[0], "ip") != 0)
		return -1;
	if (strcmp(av[1], "netns") == 0 && strcmp(av[2], "add") == 0) {
		if (ac != 4 || ns_find(av[3]) != -1 || strchr(av[3], '/'))
			return -1;
		if ((nss = reallocarray(nss, nnss + 1, sizeof(*nss))) == NULL)
			fail(cmd, NULL, errno, NULL);
		memset(&nss[nnss], 0, sizeof(*nss));
		nss[nnss].name = av[3];
		op->kind = OP_NETNS;
		op->ns = (int)nnss++;
		return 0;
	}
	if (strcmp(av[1], "netns") == 0 && strcmp(av[2], "exec") == 0) {
		if (ac != 7 || (op->ns = ns_find(av[3])) == -1 ||
		    strcmp(av[4], "sysctl") != 0 || strcmp(av[5], "-qw") != 0 ||
		    (p = strchr(av[6], '=')) == NULL || p == av[6])
			return -1;
		op->kind = OP_SYSCTL;
		*p = '\0';
		op->val = p + 1;
		if (asprintf(&op->path, "/proc/sys/%s", av[6]) == -1)
			fail(cmd, NULL, errno, NULL);
		/* procps: a dot separates levels, a slash stands for a dot */
		for (p = op->path + 10; *p != '\0'; p++)
			*p = *p == '.' ? '/' : *p == '/' ? '.' : *p;
		return 0;
	}
	if (strcmp(av[1], "link") == 0 && strcmp(av[2], "add") == 0) {
		op->kind = OP_VETH;
		for (i = 3; av[i] != NULL && strcmp(av[i], "type") != 0; i++)
			;
		if (ac < i + 3 || strcmp(av[i + 1], "veth") != 0 ||
		    strcmp(av[i + 2], "peer") != 0)
			return -1;
		av[i] = NULL;
		/* The peer's ifinfomsg is all zero: never up. */
		if (parse_keys(op, l, av + 3, VETH_KEYS | BIT(K_UP)) == -1 ||
		    parse_keys(op, &op->l[1], av + i + 3, VETH_KEYS) == -1)
			return -1;
		return l->name[0] && op->l[1].name[0] ? 0 : -1;
	}
	if (strcmp(av[1], "-n") != 0 || (op->ns = ns_find(av[2])) == -1)
		return -1;
	if (ac >= 6 && strcmp(av[3], "link") == 0 &&
	    strcmp(av[4], "set") == 0) {
		op->kind = OP_LINK;
		if (parse_keys(op, l, av + 5, BARE | BIT(K_DEV) | BIT(K_UP) |
		    BIT(K_ALIAS) | BIT(K_GROUP)) == -1)
			return -1;
		return l->name[0] ? 0 : -1;
	}
	/* "default": 0/0, of the gateway's family (parse_keys sets it). */
	if (ac < 6 || strcmp(av[4], "add") != 0 ||
	    (strcmp(av[5], "default") == 0 ? strcmp(av[3], "route") != 0 :
	    parse_ip(av[5], &op->family, op->addr, &op->plen) == -1))
		return -1;
	if (strcmp(av[3], "address") == 0) {
		op->kind = OP_ADDR;
		if (parse_keys(op, l, av + 6, BIT(K_DEV) | BIT(K_NODAD) |
		    BIT(K_PROTO)) == -1)
			return -1;
		return HAS(l, K_DEV) ? 0 : -1;
	}
	if (strcmp(av[3], "route") == 0) {
		op->kind = OP_ROUTE;
		if (parse_keys(op, l, av + 6, BIT(K_DEV) | BIT(K_VIA) |
		    BIT(K_PROTO)) == -1)
			return -1;
		/* Without a gateway ip makes a link-scope route. */
		return HAS(l, K_VIA) ? 0 : -1;
	}
	return -1;
}

static void
parse_file(const char *file)
{
	char	**lines, *cmd, *next;
	size_t	  n, i, cap = 0;

	lines = read_lines(file, &n);
	for (i = 0; i < n; i++) {
		/* The words stay in this copy; the ops point into it. */
		if ((cmd = strdup(lines[i])) == NULL)
			fail(file, NULL, errno, NULL);
		for (; cmd != NULL; cmd = next) {
			if ((next = strstr(cmd, " && ")) != NULL) {
				*next = '\0';
				next += 4;
			}
			if (nops == cap && (ops = reallocarray(ops,
			    cap = cap ? cap * 2 : 1024, sizeof(*ops))) == NULL)
				fail(file, NULL, errno, NULL);
			memset(&ops[nops], 0, sizeof(*ops));
			if (parse_cmd(&ops[nops++], cmd) == -1) {
				fprintf(stderr, "floor: %s: unsupported command\n",
				    lines[i]);
				exit(2);
			}
		}
	}
}

/* Phase 2: the kernel work. */

static struct mnl_socket *
sock_open(const char *cmd)
{
	struct mnl_socket	*s;
	int			 fd, one = 1;

	if ((s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) == -1)
		fail(cmd, "netlink socket", errno, NULL);
	/* The reason for an error; ACKs without a copy of the request. */
	fd = mnl_socket_get_fd(s);
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return s;
}

static const char *
extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	size_t			 off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(a);
	return NULL;
}

/* Send what is in flight and read an ACK for each: rtnetlink has
 * answered all of it before sendmsg returns. */
static void
batch_flush(void)
{
	char			 buf[8192] __attribute__((aligned(8)));
	const struct nlmsghdr	*nlh;
	const struct nlmsgerr	*e;
	ssize_t			 r;
	int			 len, got = 0;
	uint32_t		 k;

	if (batch.n == 0)
		return;
	if (mnl_socket_sendto(batch.s, mnl_nlmsg_batch_head(batch.b),
	    mnl_nlmsg_batch_size(batch.b)) == -1)
		fail(ops[batch.op[0]].cmd, "send", errno, NULL);
	while (got < batch.n) {
		if ((r = mnl_socket_recvfrom(batch.s, buf, sizeof(buf))) == -1)
			fail(ops[batch.op[got]].cmd, "recv", errno, NULL);
		len = (int)r;
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			k = nlh->nlmsg_seq - batch.seq0;
			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    k >= (uint32_t)batch.n)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error != 0)
				fail(ops[batch.op[k]].cmd, NULL, -e->error,
				    extack(nlh));
			got++;
		}
	}
	mnl_nlmsg_batch_reset(batch.b);
	batch.n = 0;
}

/* A request at the end of the batch, for socket S. */
static struct nlmsghdr *
msg_start(struct mnl_socket *s, uint16_t type, uint16_t flags, size_t hlen)
{
	struct nlmsghdr	*nlh;

	if (batch.s != s)
		batch_flush();
	batch.s = s;
	nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(batch.b));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	if (batch.n == 0)
		batch.seq0 = seq;
	mnl_nlmsg_put_extra_header(nlh, hlen);
	return nlh;
}

static void
msg_end(size_t op)
{
	batch.op[batch.n++] = op;
	mnl_nlmsg_batch_next(batch.b);
	if (batch.n == BATCH_MSGS ||
	    mnl_nlmsg_batch_size(batch.b) + MSG_MAX > BATCH_SIZE)
		batch_flush();
}

static void
put_link(struct nlmsghdr *nlh, const struct link *l)
{
	int	k;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, l->name);
	if (HAS(l, K_NETNS))
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nss[l->ns].fd);
	if (HAS(l, K_ADDRESS))
		mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(l->mac), l->mac);
	if (HAS(l, K_ALIAS))
		mnl_attr_put(nlh, IFLA_IFALIAS, strlen(l->alias), l->alias);
	for (k = 0; k < K_MAX; k++)
		if (HAS(l, k) && ifla[k] != 0)
			mnl_attr_put_u32(nlh, ifla[k], l->num[k]);
}

static void	 batch_flush(void);

/* NS's netlink socket (and the one for its interface indexes), opened
 * from inside it the first time, all closed once OPEN_MAX are open. */
static struct mnl_socket *
ns_socket(struct ns *ns, const char *cmd)
{
	if (ns->nl != NULL)
		return ns->nl;
	if (n_open == OPEN_MAX) {
		batch_flush();
		for (size_t i = 0; i < nnss; i++)
			if (nss[i].nl != NULL) {
				mnl_socket_close(nss[i].nl);
				close(nss[i].ioc);
				nss[i].nl = NULL;
				nss[i].ioc = -1;
			}
		n_open = 0;
	}
	if (setns(ns->fd, CLONE_NEWNET) == -1)
		fail(cmd, "setns", errno, NULL);
	ns->nl = sock_open(cmd);
	if ((ns->ioc = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		fail(cmd, "socket", errno, NULL);
	if (setns(herefd, CLONE_NEWNET) == -1)
		fail(cmd, "setns", errno, NULL);
	n_open++;
	return ns->nl;
}

/* link set (by name, ifi_index 0) and veth pairs. */
static void
run_link(size_t i)
{
	struct op		*op = &ops[i];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*info, *data, *peer;

	nlh = msg_start(op->ns >= 0 ? ns_socket(&nss[op->ns], op->cmd) : here,
	    RTM_NEWLINK,
	    op->kind == OP_VETH ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*ifi));
	ifi = mnl_nlmsg_get_payload(nlh);
	if (HAS(&op->l[0], K_UP))
		ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	put_link(nlh, &op->l[0]);
	if (op->kind == OP_VETH) {
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
		memset(mnl_nlmsg_get_payload_tail(nlh), 0, sizeof(*ifi));
		nlh->nlmsg_len += MNL_ALIGN(sizeof(*ifi));
		put_link(nlh, &op->l[1]);
		mnl_attr_nest_end(nlh, peer);
		mnl_attr_nest_end(nlh, data);
		mnl_attr_nest_end(nlh, info);
	}
	msg_end(i);
}

static uint32_t
ifindex(struct ns *ns, const struct op *op)
{
	struct ifreq	ifr;
	int		i;

	if (strcmp(op->l[0].name, "lo") == 0)
		return 1;
	for (i = 0; i < ns->ncache; i++)
		if (strcmp(ns->cache[i].ifr_name, op->l[0].name) == 0)
			return (uint32_t)ns->cache[i].ifr_ifindex;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, op->l[0].name);
	if (ioctl(ns->ioc, SIOCGIFINDEX, &ifr) == -1)
		fail(op->cmd, op->l[0].name, errno, NULL);
	if (ns->ncache < IFCACHE)
		ns->cache[ns->ncache++] = ifr;
	return (uint32_t)ifr.ifr_ifindex;
}

/* address add and route add, as ip sends them. */
static void
run_ip(size_t i)
{
	struct op		*op = &ops[i];
	struct link		*l = &op->l[0];
	struct mnl_socket	*s = ns_socket(&nss[op->ns], op->cmd);
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct rtmsg		*rtm;
	size_t			 alen = op->family == AF_INET ? 4 : 16;
	uint32_t		 index = 0;

	/* The link may come from requests in flight on another socket. */
	if (batch.s != s)
		batch_flush();
	if (HAS(l, K_DEV))
		index = ifindex(&nss[op->ns], op);
	if (op->kind == OP_ADDR) {
		nlh = msg_start(s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
		    sizeof(*ifa));
		ifa = mnl_nlmsg_get_payload(nlh);
		ifa->ifa_family = op->family;
		ifa->ifa_prefixlen = op->plen;
		ifa->ifa_flags = HAS(l, K_NODAD) ? IFA_F_NODAD : 0;
		ifa->ifa_index = index;
		mnl_attr_put(nlh, IFA_LOCAL, alen, op->addr);
		mnl_attr_put(nlh, IFA_ADDRESS, alen, op->addr);
		if (HAS(l, K_PROTO))
			mnl_attr_put_u8(nlh, IFA_PROTO, (uint8_t)l->num[K_PROTO]);
	} else {
		nlh = msg_start(s, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
		    sizeof(*rtm));
		rtm = mnl_nlmsg_get_payload(nlh);
		rtm->rtm_family = op->family;
		rtm->rtm_dst_len = op->plen;
		rtm->rtm_table = RT_TABLE_MAIN;
		rtm->rtm_protocol = HAS(l, K_PROTO) ?
		    (uint8_t)l->num[K_PROTO] : RTPROT_BOOT;
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
		rtm->rtm_type = RTN_UNICAST;
		mnl_attr_put(nlh, RTA_DST, alen, op->addr);
		mnl_attr_put(nlh, RTA_GATEWAY, alen, op->gw);
		if (index != 0)
			mnl_attr_put_u32(nlh, RTA_OIF, index);
	}
	msg_end(i);
}

/* ip netns add: /run/netns a shared mount point (once), a file there
 * and the new namespace bind-mounted on it. */
static void
run_netns(const struct op *op)
{
	static bool	 ready;
	struct ns	*ns = &nss[op->ns];
	char		 path[PATH_MAX];
	bool		 bound = false;
	int		 fd;

	if (!ready && mkdir(NETNS_DIR, 0755) == -1 && errno != EEXIST)
		fail(op->cmd, NETNS_DIR, errno, NULL);
	while (!ready && mount("", NETNS_DIR, "none", MS_SHARED | MS_REC,
	    NULL) == -1) {
		/* EINVAL: not a mount point yet. */
		if (errno != EINVAL || bound || mount(NETNS_DIR, NETNS_DIR,
		    "none", MS_BIND | MS_REC, NULL) == -1)
			fail(op->cmd, NETNS_DIR, errno, NULL);
		bound = true;
	}
	ready = true;
	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, ns->name);
	if ((fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0))
	    == -1)
		fail(op->cmd, path, errno, NULL);
	close(fd);
	if (unshare(CLONE_NEWNET) == -1)
		fail(op->cmd, "unshare", errno, NULL);
	/* Inside it: a handle on it for later steps, then its name. */
	ns->nl = NULL;
	ns->ioc = -1;
	if ((ns->fd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1)
		fail(op->cmd, NETNS_SELF, errno, NULL);
	if (mount(NETNS_SELF, path, "none", MS_BIND, NULL) == -1)
		fail(op->cmd, path, errno, NULL);
	if (setns(herefd, CLONE_NEWNET) == -1)
		fail(op->cmd, "setns", errno, NULL);
}

/* /proc/sys follows the thread's namespace. */
static void
run_sysctl(const struct op *op, bool enter, bool leave)
{
	size_t	len = strlen(op->val);
	int	fd;

	if (enter && setns(nss[op->ns].fd, CLONE_NEWNET) == -1)
		fail(op->cmd, "setns", errno, NULL);
	if ((fd = open(op->path, O_WRONLY | O_CLOEXEC)) == -1 ||
	    write(fd, op->val, len) != (ssize_t)len || close(fd) == -1)
		fail(op->cmd, op->path, errno, NULL);
	if (leave && setns(herefd, CLONE_NEWNET) == -1)
		fail(op->cmd, "setns", errno, NULL);
}

static void
run(void)
{
	size_t	i;
	bool	in = false, last;

	for (i = 0; i < nops; i++) {
		switch (ops[i].kind) {
		case OP_NETNS:
			run_netns(&ops[i]);
			break;
		case OP_SYSCTL:
			/* One setns pair for a namespace's run of them. */
			batch_flush();
			last = i + 1 == nops || ops[i + 1].kind != OP_SYSCTL ||
			    ops[i + 1].ns != ops[i].ns;
			run_sysctl(&ops[i], !in, last);
			in = !last;
			break;
		case OP_LINK:
		case OP_VETH:
			run_link(i);
			break;
		default:
			run_ip(i);
		}
	}
	batch_flush();
}

/* One request on HERE, and its answer: 0 or the error; the nsid an
 * RTM_GETNSID answer gives, in *NSID. */
static int
ask(struct nlmsghdr *nlh, int *nsid)
{
	char			 buf[8192] __attribute__((aligned(8)));
	const struct nlmsghdr	*m;
	const struct nlattr	*a;
	ssize_t			 r;
	int			 len;

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(here, nlh, nlh->nlmsg_len) == -1)
		fail("ask", "send", errno, NULL);
	for (;;) {
		if ((r = mnl_socket_recvfrom(here, buf, sizeof(buf))) == -1)
			fail("ask", "recv", errno, NULL);
		len = (int)r;
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		    m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)
				    mnl_nlmsg_get_payload(m))->error;
			if (m->nlmsg_type != RTM_NEWNSID || nsid == NULL)
				continue;
			mnl_attr_for_each(a, m, sizeof(struct rtgenmsg))
				if (mnl_attr_get_type(a) == NETNSA_NSID)
					*nsid = (int)mnl_attr_get_u32(a);
		}
	}
}

/* An id here for the namespace named NAME, as vrfd's watch gives one. */
static int
give_id(const char *name)
{
	char		 buf[MSG_MAX] __attribute__((aligned(8))), path[PATH_MAX];
	struct nlmsghdr	*nlh;
	int		 fd, nsid = -1;

	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		fail(name, path, errno, NULL);
	for (int type = RTM_NEWNSID; type <= RTM_GETNSID; type += 2) {
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = (uint16_t)type;
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtgenmsg));
		mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
		if (type == RTM_NEWNSID)
			mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)-1);
		(void)ask(nlh, type == RTM_GETNSID ? &nsid : NULL);
	}
	close(fd);
	if (nsid < 0)
		fail(name, "no id", EINVAL, NULL);
	return nsid;
}

/* Does the id still lead to a namespace? Its loopback answers. */
static bool
id_alive(int nsid)
{
	char			 buf[MSG_MAX] __attribute__((aligned(8)));
	struct nlmsghdr		*nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg	*ifm;

	nlh->nlmsg_type = RTM_GETLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = 1;
	mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, (uint32_t)nsid);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return ask(nlh, NULL) == 0;
}

/* Until none of IDS leads to a namespace: those that end go from the
 * list, the rest are asked again after a pause. */
static void
wait_ended(int *ids, size_t n)
{
	struct timespec	 pause = { 0, 5 * 1000 * 1000 };

	while (n > 0) {
		for (size_t i = 0; i < n; )
			if (!id_alive(ids[i]))
				ids[i] = ids[--n];
			else
				i++;
		if (n > 0)
			nanosleep(&pause, NULL);
	}
}

/* ip netns delete of each name. */
static void
teardown(char **names, size_t n)
{
	char	path[PATH_MAX];
	size_t	i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, names[i]);
		(void)umount2(path, MNT_DETACH);
		if (unlink(path) == -1)
			fail(names[i], path, errno, NULL);
	}
}

/* Send NLH on S and read the answer to its end: a dump's NLMSG_DONE, a
 * request's one message (errors fail); each message to CB (ARG), if not
 * NULL. */
static void
read_answer_cb(struct mnl_socket *s, struct nlmsghdr *nlh, const char *what,
    mnl_cb_t cb, void *arg)
{
	char			 buf[32768] __attribute__((aligned(8)));
	const struct nlmsghdr	*m;
	bool			 dump = nlh->nlmsg_flags & NLM_F_DUMP;
	ssize_t			 r;
	int			 len;

	nlh->nlmsg_flags |= NLM_F_REQUEST;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) == -1)
		fail(what, "send", errno, NULL);
	for (;;) {
		if ((r = mnl_socket_recvfrom(s, buf, sizeof(buf))) == -1)
			fail(what, "recv", errno, NULL);
		len = (int)r;
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		    m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_type == NLMSG_ERROR &&
			    ((const struct nlmsgerr *)
			    mnl_nlmsg_get_payload(m))->error != 0)
				fail(what, NULL, -((const struct nlmsgerr *)
				    mnl_nlmsg_get_payload(m))->error, NULL);
			if (!dump || m->nlmsg_type == NLMSG_DONE)
				return;
			if (cb != NULL)
				(void)cb(m, arg);
		}
	}
}

static void
read_answer(struct mnl_socket *s, struct nlmsghdr *nlh, const char *what)
{
	read_answer_cb(s, nlh, what, NULL, NULL);
}

/* The loopback's alias in a link dump's answer: the namespace's mark. */
static int
read_lo_alias_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifinfomsg	*ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	char			*alias = arg;

	if (nlh->nlmsg_type != RTM_NEWLINK || ifi->ifi_index != 1)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(a) == IFLA_IFALIAS &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(alias, KS_ALIAS_MAX, "%s",
			    mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* A dump request of TYPE, its family header of SIZE zeroed (AF_UNSPEC). */
static struct nlmsghdr *
read_req(char *buf, uint16_t type, size_t size)
{
	struct nlmsghdr	*nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_DUMP;
	memset(mnl_nlmsg_put_extra_header(nlh, size), 0, size);
	return nlh;
}

static void
read_ns(const char *name)
{
	char			 buf[MSG_MAX] __attribute__((aligned(8)));
	char			 path[PATH_MAX];
	struct mnl_socket	*s;
	struct nlmsghdr		*nlh;
	struct rtmsg		*rtm;
	struct netconfmsg	*ncm;
	char			 mark[KS_ALIAS_MAX] = "";
	unsigned		 holds;
	int			 fd, one = 1;

	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    setns(fd, CLONE_NEWNET) == -1)
		fail(name, path, errno, NULL);
	close(fd);
	s = sock_open(name);
	(void)setsockopt(mnl_socket_get_fd(s), SOL_NETLINK,
	    NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	nlh = read_req(buf, RTM_GETLINK, sizeof(struct ifinfomsg));
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	read_answer_cb(s, nlh, name, read_lo_alias_cb, mark);
	holds = own_mark_holds(mark);
	/* per family, as the pass reads them (engine/observe.c) */
	for (size_t k = 0; k < 2; k++) {
		if (!(holds & own_family_kind(k ? AF_INET6 : AF_INET)))
			continue;
		nlh = read_req(buf, RTM_GETADDR, sizeof(struct ifaddrmsg));
		((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_family =
		    k ? AF_INET6 : AF_INET;
		read_answer(s, nlh, name);
	}
	for (size_t k = 0; k < 2; k++) {
		if (!(holds & own_family_kind(k ? AF_INET6 : AF_INET)))
			continue;
		nlh = read_req(buf, RTM_GETROUTE, sizeof(struct rtmsg));
		rtm = mnl_nlmsg_get_payload(nlh);
		rtm->rtm_family = k ? AF_INET6 : AF_INET;
		rtm->rtm_table = RT_TABLE_MAIN;
		mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
		read_answer(s, nlh, name);
	}
	if (holds & OWN_HOLDS_NEIGH)
		read_answer(s, read_req(buf, RTM_GETNEIGH,
		    sizeof(struct ndmsg)), name);
	nlh = read_req(buf, RTM_GETNETCONF, sizeof(struct netconfmsg));
	nlh->nlmsg_flags = 0;
	ncm = mnl_nlmsg_get_payload(nlh);
	ncm->ncm_family = AF_INET;
	mnl_attr_put_u32(nlh, NETCONFA_IFINDEX, (uint32_t)NETCONFA_IFINDEX_ALL);
	read_answer(s, nlh, name);
	mnl_socket_close(s);
}

static struct {
	char		**names;
	size_t		  n, next;
} readers;

static void *
read_some(void *arg)
{
	size_t	 i;

	(void)arg;
	while ((i = __atomic_fetch_add(&readers.next, 1, __ATOMIC_RELAXED)) <
	    readers.n)
		read_ns(readers.names[i]);
	return NULL;
}

/* Every namespace of NAMES read, by this thread and one more. */
static void
read_all(char **names, size_t n)
{
	pthread_t	 t;
	int		 rv;

	readers.names = names;
	readers.n = n;
	if ((rv = pthread_create(&t, NULL, read_some, NULL)) != 0)
		fail("read", "thread", rv, NULL);
	read_some(NULL);
	pthread_join(t, NULL);
}

/*
 * --repairer NAMES: vrfd's drift repairs, as the kernel alone makes them,
 * for bench/run to time as it times vrfd's (an `ip -ts monitor` seeing a
 * route go and come back). Each namespace is given an id here first, as
 * vrfd's watch gives them, and one socket here hears them all
 * (NETLINK_LISTEN_ALL_NSID), as vrfd's does. A route of vrfd's (proto
 * 118, main table) deleted anywhere is put back as a repair would: the
 * namespace entered by its name, its main table read, the route added
 * again. Nothing else: no state kept, no diff, no debounce. "ready" on
 * stdout once it listens; it runs until it is killed.
 */
#define RT_PROTO_VRFD	118

/* The main table's IPv4 routes dumped on S, as a repair reads them. */
static void
read_routes(struct mnl_socket *s)
{
	char		 buf[MSG_MAX] __attribute__((aligned(8)));
	struct nlmsghdr	*nlh = read_req(buf, RTM_GETROUTE,
			    sizeof(struct rtmsg));
	struct rtmsg	*rtm = mnl_nlmsg_get_payload(nlh);

	rtm->rtm_family = AF_INET;
	read_answer(s, nlh, "route dump");
}

/* ROUTE, a deletion heard, added again in NAME. */
static void
repair_route(const char *name, const struct nlmsghdr *route)
{
	char			 buf[MSG_MAX] __attribute__((aligned(8)));
	char			 path[PATH_MAX];
	struct nlmsghdr		*nlh = (struct nlmsghdr *)(void *)buf;
	struct mnl_socket	*s;
	const struct nlmsgerr	*e;
	int			 fd;

	if (route->nlmsg_len > sizeof(buf))
		return;
	snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;			/* gone meanwhile */
	if (setns(fd, CLONE_NEWNET) == -1)
		fail(name, "setns", errno, NULL);
	close(fd);
	s = sock_open(name);
	if (setns(herefd, CLONE_NEWNET) == -1)
		fail(name, "setns", errno, NULL);
	read_routes(s);
	memcpy(buf, route, route->nlmsg_len);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL;
	nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) == -1)
		fail(name, "send", errno, NULL);
	if (mnl_socket_recvfrom(s, buf, sizeof(buf)) == -1)
		fail(name, "recv", errno, NULL);
	e = mnl_nlmsg_get_payload(nlh);
	/* EEXIST: someone put it back first. */
	if (e->error != 0 && e->error != -EEXIST)
		fail(name, "route add", -e->error, extack(nlh));
	mnl_socket_close(s);
}

static void __attribute__((noreturn))
repairer(char **names, size_t n)
{
	char		 buf[32768] __attribute__((aligned(8)));
	char		 cbuf[CMSG_SPACE(sizeof(int))];
	char		**by_id = NULL;
	struct iovec	 iov = { buf, sizeof(buf) };
	struct msghdr	 msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr	*c;
	const struct nlmsghdr *m;
	const struct rtmsg *rtm;
	size_t		 n_id = 0;
	ssize_t		 r;
	int		 one = 1, grp = RTNLGRP_IPV4_ROUTE, sz = 4 << 20;
	int		 fd, len, nsid, id;

	here = sock_open("netlink");
	if ((herefd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1)
		fail(NETNS_SELF, NULL, errno, NULL);
	for (size_t i = 0; i < n; i++) {
		if ((id = give_id(names[i])) >= (int)n_id) {
			if ((by_id = reallocarray(by_id, (size_t)id + 1,
			    sizeof(*by_id))) == NULL)
				fail("ids", NULL, ENOMEM, NULL);
			memset(by_id + n_id, 0, ((size_t)id + 1 - n_id) *
			    sizeof(*by_id));
			n_id = (size_t)id + 1;
		}
		by_id[id] = names[i];
	}
	fd = mnl_socket_get_fd(sock_open("listen"));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &one,
	    sizeof(one)) == -1 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
	    sizeof(grp)) == -1)
		fail("listen", "setsockopt", errno, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		if ((r = recvmsg(fd, &msg, 0)) == -1)
			fail("listen", "recv", errno, NULL);
		/* The namespace the kernel says the event comes from. */
		nsid = -1;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_NETLINK &&
			    c->cmsg_type == NETLINK_LISTEN_ALL_NSID)
				memcpy(&nsid, CMSG_DATA(c), sizeof(nsid));
		if (nsid < 0 || (size_t)nsid >= n_id || by_id[nsid] == NULL)
			continue;
		len = (int)r;
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		    m = mnl_nlmsg_next(m, &len)) {
			rtm = mnl_nlmsg_get_payload(m);
			if (m->nlmsg_type == RTM_DELROUTE &&
			    rtm->rtm_protocol == RT_PROTO_VRFD &&
			    rtm->rtm_table == RT_TABLE_MAIN)
				repair_route(by_id[nsid], m);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct timespec	  t0, t1;
	const char	 *file = NULL;
	char		**names = NULL;
	bool		  quiet = false, down = false, ended = false;
	bool		  reading = false;
	bool		  usage = false;
	bool		  repairing = false;
	int		 *ids = NULL;
	double		  secs;
	size_t		  n;
	int		  i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quiet = true;
		else if (strcmp(argv[i], "--teardown") == 0)
			down = true;
		else if (strcmp(argv[i], "--teardown-ended") == 0)
			down = ended = true;
		else if (strcmp(argv[i], "--read") == 0)
			reading = true;
		else if (strcmp(argv[i], "--repairer") == 0)
			repairing = true;
		else if (file == NULL && argv[i][0] != '-')
			file = argv[i];
		else
			usage = true;
	}
	if (file == NULL || usage) {
		fprintf(stderr, "usage: floor [-q] COMMANDS_FILE\n"
		    "       floor [-q] --teardown[-ended] NAMES_FILE\n"
		    "       floor [-q] --read NAMES_FILE\n"
		    "       floor --repairer NAMES_FILE\n");
		return 2;
	}
	if (repairing) {
		names = read_lines(file, &n);
		repairer(names, n);
	}
	if (down || reading)
		names = read_lines(file, &n);
	if (ended) {
		here = sock_open("netlink");
		if ((ids = calloc(n + 1, sizeof(*ids))) == NULL)
			fail("ids", NULL, ENOMEM, NULL);
		for (size_t k = 0; k < n; k++)
			ids[k] = give_id(names[k]);
	}
	if (!down && !reading) {
		parse_file(file);
		n = nops;
		if ((herefd = open(NETNS_SELF, O_RDONLY | O_CLOEXEC)) == -1)
			fail(NETNS_SELF, NULL, errno, NULL);
		here = sock_open("netlink");
		batch.b = mnl_nlmsg_batch_start(batch.buf, BATCH_SIZE);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (down)
		teardown(names, n);
	else if (reading)
		read_all(names, n);
	else
		run();
	if (ended)
		wait_ended(ids, n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (quiet)
		printf("%.6f\n", secs);
	else if (reading)
		printf("floor: %zu namespaces read in %.3f s\n", n, secs);
	else
		printf("floor: %zu operations in %.3f s\n", n, secs);
	return 0;
}
