/*
 * topo: the model's lookups, its value parsers and text forms, and freeing.
 *
 * The parsers are strict on purpose: what reaches the kernel is exactly
 * what the user wrote, never a guess (no "10.1.0.01", no "/24 " with a
 * space, no hex or octal prefix lengths).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "topo.h"
#include "topo_priv.h"
#include "util/parallel.h"
#include "ytree.h"

/* From this many items, topo_each gives a second thread half of them:
 * it costs less than a tenth of what 64 namespaces take. */
#define TOPO_EACH_PAIR	64

static void
topo_ns_free(struct topo_ns *ns)
{
	size_t	 i;

	for (i = 0; ns->packed == NULL && i < ns->n_ifaces; i++)
		free(ns->ifaces[i].addrs);
	free(ns->ifaces);
	nameidx_free(&ns->iface_names);
	free(ns->packed);
	free(ns->nexthops);
	free(ns->routes);
	free(ns->neighs);
	for (i = 0; i < ns->n_sysctls; i++) {
		free(ns->sysctls[i].key);
		free(ns->sysctls[i].value);
	}
	free(ns->sysctls);
	free(ns->execs);
	for (i = 0; i < ns->n_services; i++)
		free(ns->services[i].env);
	free(ns->services);
	free(ns->link_ends);
}

void
topo_free(struct topo *t)
{
	size_t	 i;

	if (t == NULL ||
	    __atomic_fetch_sub(&t->holds, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (i = 0; i < t->n_ns; i++)
		topo_ns_free(&t->ns[i]);
	free(t->ns);
	free(t->ns_by_name);
	free(t->routers);
	free(t->links);
	free(t->expects);
	free(t->hosts);
	ytree_free(t->root);
	free(t->file);
	free(t);
}

struct topo *
topo_hold(struct topo *t)
{
	if (t != NULL)
		__atomic_add_fetch(&t->holds, 1, __ATOMIC_RELAXED);
	return t;
}

void
topo_ns_name(char *buf, size_t len, const char *lab, const char *node)
{
	size_t	 n;

	if (len == 0)
		return;
	/* Names too long are refused by topo_check: cut, never overrun. */
	n = (size_t)snprintf(buf, len, "%s-", lab);
	for (; *node && n + 1 < len; node++)
		buf[n++] = *node == '/' ? '-' : *node;
	if (n < len)
		buf[n] = '\0';
}

struct topo_ns *
topo_ns_by_node(const struct topo *t, const char *node)
{
	size_t	 i;

	for (i = 0; i < t->n_ns; i++)
		if (strcmp(t->ns[i].node_name, node) == 0)
			return &t->ns[i];
	return NULL;
}

ssize_t
topo_name_find(const void *base, size_t size, size_t off,
    const size_t *order, size_t n, const char *name)
{
	const char	*v = base;
	size_t		 lo = 0, hi = n, mid;

#define TOPO_NAME_AT(i)	(v + (i) * size + off)
	if (order == NULL) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(TOPO_NAME_AT(i), name) == 0)
				return (ssize_t)i;
		return -1;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(TOPO_NAME_AT(order[mid]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(TOPO_NAME_AT(order[lo]), name) == 0)
		return (ssize_t)order[lo];
	return -1;
#undef TOPO_NAME_AT
}

struct topo_ns *
topo_ns_by_name(const struct topo *t, const char *nsname)
{
	ssize_t	 i = topo_name_find(t->ns, sizeof(*t->ns),
		    offsetof(struct topo_ns, name), t->ns_by_name, t->n_ns,
		    nsname);

	return i < 0 ? NULL : &t->ns[i];
}

ssize_t
topo_name_find_at(const void *base, size_t size, size_t off,
    const size_t *order, size_t n, const char *name, size_t at)
{
	if (at < n && strcmp((const char *)base + at * size + off, name) == 0)
		return (ssize_t)at;
	return topo_name_find(base, size, off, order, n, name);
}

struct topo_ns *
topo_ns_by_name_at(const struct topo *t, const char *nsname, size_t at)
{
	ssize_t	 i = topo_name_find_at(t->ns, sizeof(*t->ns),
		    offsetof(struct topo_ns, name), t->ns_by_name, t->n_ns,
		    nsname, at);

	return i < 0 ? NULL : &t->ns[i];
}

static int
topo_ns_cmp(const void *a, const void *b, void *arg)
{
	const struct topo_ns	*ns = arg;

	return strcmp(ns[*(const size_t *)a].name, ns[*(const size_t *)b].name);
}

int
topo_index(struct topo *t)
{
	size_t	*v;

	if ((v = calloc(t->n_ns + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->n_ns; i++)
		v[i] = i;
	qsort_r(v, t->n_ns, sizeof(*v), topo_ns_cmp, t->ns);
	free(t->ns_by_name);
	t->ns_by_name = v;
	return 0;
}

struct topo_iface *
topo_ns_iface(const struct topo_ns *ns, const char *ifname)
{
	ssize_t	 i = nameidx_find(&ns->iface_names, ifname);

	return i < 0 ? NULL : &ns->ifaces[i];
}

struct topo_iface *
topo_ep_iface(const struct topo_endpoint *ep)
{
	const struct topo_ns	*ns = ep->ns;
	size_t			 i = ep->iface_at;

	if (ns == NULL)
		return NULL;
	/* Checked: an endpoint copied, or a namespace changed since. */
	if (i > 0 && i <= ns->n_ifaces &&
	    strcmp(ns->ifaces[i - 1].name, ep->ifname) == 0)
		return &ns->ifaces[i - 1];
	return topo_ns_iface(ns, ep->ifname);
}

const char *
topo_sysctl_get(const struct topo_ns *ns, const char *key)
{
	size_t	 i;

	for (i = 0; i < ns->n_sysctls; i++)
		if (strcmp(ns->sysctls[i].key, key) == 0)
			return ns->sysctls[i].value;
	return NULL;
}

ssize_t
topo_ns_link_end(const struct topo *t, const struct topo_ns *ns,
    const char *ifname)
{
	for (size_t k = 0; k < ns->n_link_ends; k++) {
		size_t	 end = ns->link_ends[k];

		if (strcmp(t->links[end / 2].ep[end % 2].ifname, ifname) == 0)
			return (ssize_t)end;
	}
	return -1;
}

bool
topo_end_down(const struct topo *t, size_t end, bool runtime)
{
	const struct topo_link		*tl = &t->links[end / 2];
	const struct topo_endpoint	*ep = &tl->ep[end % 2];
	const struct topo_iface		*ifc = NULL;

	ifc = topo_ep_iface(ep);
	if (ifc && runtime && ifc->override != TOPO_STATE_UNSET)
		return ifc->override == TOPO_STATE_DOWN;
	/* The interface's own word is the nearer one. */
	if (ifc && ifc->state != TOPO_STATE_UNSET)
		return ifc->state == TOPO_STATE_DOWN;
	return tl->state == TOPO_STATE_DOWN;
}

size_t
topo_count_routes(const struct topo *t)
{
	size_t	 i, n = 0;

	for (i = 0; i < t->n_ns; i++)
		n += t->ns[i].n_routes;
	return n;
}

const char *
topo_ip_str(const struct topo_ip *ip, char *buf, size_t len)
{
	if (inet_ntop(ip->family, ip->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

const char *
topo_prefix_str(const struct topo_prefix *p, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];

	if (inet_ntop(p->family, p->addr, a, sizeof(a)) == NULL)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%s/%u", a, p->plen);
	return buf;
}

/*
 * The LEN bytes at S as a dotted quad, as inet_pton reads one: four
 * decimal numbers up to 255, no leading zeros, nothing else. Written out
 * because a topology has tens of thousands of them and inet_pton (with
 * a copy to end the string at a prefix's '/') was a tenth of its load.
 */
static bool
topo_parse_ipv4(const char *s, size_t len, uint8_t addr[4])
{
	unsigned	 v = 0, octets = 0;
	bool		 digit = false;

	for (size_t i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (digit && v == 0)
				return false;
			if ((v = v * 10 + (unsigned)(s[i] - '0')) > 255)
				return false;
			digit = true;
		} else if (s[i] == '.' && digit && octets < 3) {
			addr[octets++] = (uint8_t)v;
			v = 0;
			digit = false;
		} else
			return false;
	}
	if (!digit || octets != 3)
		return false;
	addr[3] = (uint8_t)v;
	return true;
}

/* The LEN bytes at S as an address; IPv6 by inet_pton, which takes no
 * spaces, zones or short forms. */
static int
topo_parse_ip_len(const char *s, size_t len, struct topo_ip *ip)
{
	struct topo_ip	 tmp;
	char		 buf[INET6_ADDRSTRLEN];

	memset(&tmp, 0, sizeof(tmp));
	if (memchr(s, ':', len) == NULL) {
		tmp.family = AF_INET;
		if (!topo_parse_ipv4(s, len, tmp.addr))
			return -EINVAL;
	} else {
		tmp.family = AF_INET6;
		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (inet_pton(AF_INET6, buf, tmp.addr) != 1)
			return -EINVAL;
	}
	*ip = tmp;
	return 0;
}

int
topo_parse_ip(const char *s, struct topo_ip *ip)
{
	return topo_parse_ip_len(s, strlen(s), ip);
}

/* A prefix length: plain decimal, no sign, no leading zero, at most MAX. */
static int
topo_parse_plen(const char *s, unsigned max, uint8_t *plen)
{
	unsigned	 v = 0;
	size_t		 i;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -EINVAL;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 3)
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*plen = (uint8_t)v;
	return 0;
}

int
topo_parse_prefix(const char *s, struct topo_prefix *p)
{
	struct topo_ip	 ip;
	const char	*slash = strchr(s, '/');
	size_t		 alen = slash ? (size_t)(slash - s) : strlen(s);
	uint8_t		 plen;
	unsigned	 max;

	if (topo_parse_ip_len(s, alen, &ip) != 0)
		return -EINVAL;
	max = ip.family == AF_INET ? 32 : 128;
	if (slash == NULL)
		plen = (uint8_t)max;
	else if (topo_parse_plen(slash + 1, max, &plen) != 0)
		return -EINVAL;
	p->family = ip.family;
	memcpy(p->addr, ip.addr, sizeof(p->addr));
	p->plen = plen;
	return 0;
}

static int
topo_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
topo_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t	 tmp[6];
	int	 i, hi, lo;

	/* Exactly xx:xx:xx:xx:xx:xx: 17 bytes. */
	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (i > 0 && s[3 * i - 1] != ':')
			return -EINVAL;
		hi = topo_hexval(s[3 * i]);
		lo = topo_hexval(s[3 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, tmp, sizeof(tmp));
	return 0;
}

static size_t
topo_addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

bool
topo_prefix_has_host_bits(const struct topo_prefix *p)
{
	size_t	 i, len = topo_addr_len(p->family);
	unsigned bit;

	for (i = 0; i < len; i++) {
		bit = (unsigned)i * 8;
		if (bit + 8 <= p->plen)
			continue;
		if (bit >= p->plen) {
			if (p->addr[i] != 0)
				return true;
		} else if (p->addr[i] & (0xffu >> (p->plen - bit)))
			return true;
	}
	return false;
}

bool
topo_prefix_contains(const struct topo_prefix *p, const struct topo_ip *ip)
{
	size_t	 full = p->plen / 8;
	unsigned rest = p->plen % 8;
	uint8_t	 mask;

	if (p->family != ip->family || p->plen > topo_addr_len(p->family) * 8)
		return false;
	if (memcmp(p->addr, ip->addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff00u >> rest);
	return (p->addr[full] & mask) == (ip->addr[full] & mask);
}

bool
topo_valid_name(const char *s)
{
	size_t	 i;

	/* Names become file names under /run/netns: no '/', '.', spaces. */
	if (s[0] == '\0' || strlen(s) > TOPO_NAME_MAX)
		return false;
	if (s[0] == '-' || s[0] == '_')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

bool
topo_valid_ifname(const char *s)
{
	size_t	 i, len = strlen(s);

	/* The kernel's dev_valid_name(). */
	if (len == 0 || len >= IFNAMSIZ)
		return false;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == ' ' ||
		    (s[i] >= '\t' && s[i] <= '\r') ||
		    (unsigned char)s[i] == 0xa0)	/* kernel isspace() */
			return false;
	return true;
}

#define TOPO_SUGGEST_MAX	64	/* longer words get no suggestion */

static bool
topo_ceq(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/*
 * Optimal string alignment distance, ignoring case: a swap of two letters
 * counts one, "MTU" is "mtu". Three rows: the one before the previous is
 * what a swap looks back to.
 */
static size_t
topo_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, v;
	size_t	 rows[3][TOPO_SUGGEST_MAX + 1];
	size_t	*pp = rows[0], *p = rows[1], *cur = rows[2], *tmp;

	if (la > TOPO_SUGGEST_MAX || lb > TOPO_SUGGEST_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			v = p[j - 1] + (topo_ceq(a[i - 1], b[j - 1]) ? 0 : 1);
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && topo_ceq(a[i - 1], b[j - 2]) &&
			    topo_ceq(a[i - 2], b[j - 1]) && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
		tmp = pp;
		pp = p;
		p = cur;
		cur = tmp;
	}
	return p[lb];
}

struct topo_each_run {
	size_t			 n;
	void			(*one)(void *, size_t, struct diag_list *);
	void			*arg;
	struct diag_list	*dls;		/* one per item */
	size_t			 next;		/* parallel_take */
};

static void *
topo_each_some(void *arg)
{
	struct topo_each_run	*r = arg;
	size_t			 i;

	while ((i = parallel_take(&r->next)) < r->n)
		r->one(r->arg, i, &r->dls[i]);
	return NULL;
}

void
topo_each(size_t n, void (*one)(void *, size_t, struct diag_list *),
    void *arg, struct diag_list *dl)
{
	struct topo_each_run	 r = { .n = n, .one = one, .arg = arg };
	size_t			 i;

	if (n < TOPO_EACH_PAIR || parallel_cores() < 2 ||
	    (r.dls = calloc(n, sizeof(*r.dls))) == NULL) {
		for (i = 0; i < n; i++)
			one(arg, i, dl);
		return;
	}
	parallel_run(topo_each_some, &r, 2);
	for (i = 0; i < n; i++)
		diag_list_take(dl, &r.dls[i]);
	free(r.dls);
}

void
topo_suggest_init(struct topo_suggest *sg, const char *word)
{
	sg->word = word;
	sg->best = NULL;
	sg->dist = SIZE_MAX;
}

void
topo_suggest_offer(struct topo_suggest *sg, const char *cand)
{
	size_t	 d;

	if (strcmp(sg->word, cand) == 0)
		return;
	/* Close enough: two edits at most, and fewer than half the word. */
	d = topo_distance(sg->word, cand);
	if (d > 2 || d * 2 > strlen(cand) || d >= sg->dist)
		return;
	sg->best = cand;
	sg->dist = d;
}

const char *
topo_suggest_str(const struct topo_suggest *sg, char *buf, size_t len)
{
	if (sg->best == NULL)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "; did you mean '%s'?", sg->best);
	return buf;
}

const char *
topo_node_desc(const struct ynode *n, char *buf, size_t len)
{
	if (n == NULL || ynode_is_null(n))
		snprintf(buf, len, "nothing");
	else if (n->type == YNODE_MAP)
		snprintf(buf, len, "a map");
	else if (n->type == YNODE_SEQ)
		snprintf(buf, len, "a list");
	else if (strlen(n->scalar) > 40) {
		int	 cut = 37;

		/* Cut a long value, not a UTF-8 character. */
		while (cut > 0 &&
		    ((unsigned char)n->scalar[cut] & 0xc0) == 0x80)
			cut--;
		snprintf(buf, len, "'%.*s...'", cut, n->scalar);
	}
	else
		snprintf(buf, len, "'%s'", n->scalar);
	return buf;
}

const char *
topo_family_str(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

bool
topo_text_lab(const char *text, size_t len, char *buf, size_t size)
{
	const char	*p = text, *end = text + len, *eol, *v;
	size_t		 n;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p < 5 || memcmp(p, "lab:", 4) != 0 || p[4] != ' ')
			continue;
		for (v = p + 5; v < eol && *v == ' '; v++)
			;
		for (n = 0; v + n < eol && v[n] != ' ' && v[n] != '#' &&
		    v[n] != '\r'; n++)
			;
		if (n == 0 || n >= size)
			return false;
		memcpy(buf, v, n);
		buf[n] = '\0';
		return topo_valid_name(buf);
	}
	return false;
}
