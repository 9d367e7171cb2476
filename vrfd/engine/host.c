/*
 * host: which of a lab's hosts this one is (host.h), and the VNIs that
 * labs kept on one host must not share: the kernel demultiplexes what
 * arrives on UDP port 4789 by VNI alone, one device per VNI and
 * namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "host.h"
#include "kernel/nl.h"
#include "kernel/nl_codec.h"
#include "state.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "topo/ytree.h"

static char	 host_name[TOPO_NAME_MAX + 1];

void
host_set(const char *name)
{
	snprintf(host_name, sizeof(host_name), "%s", name ? name : "");
}

const char *
host_get(void)
{
	return host_name;
}

/* The addresses of this namespace, one by one, matched against the
 * hosts' underlays. */
struct host_find {
	const struct topo	*t;
	bool			*here;		/* per host */
};

static int
host_addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct host_find	*hf = arg;
	struct ks_addr		 a;

	if (nl_addr_parse(nlh, &a) < 0)
		return MNL_CB_OK;
	for (size_t i = 0; i < hf->t->n_hosts; i++) {
		const struct topo_ip	*u = &hf->t->hosts[i].underlay;

		if (u->family == a.family && memcmp(u->addr, a.addr,
		    a.family == AF_INET ? 4 : 16) == 0)
			hf->here[i] = true;
	}
	return MNL_CB_OK;
}

static void
host_addr_reset(void *arg)
{
	struct host_find	*hf = arg;

	memset(hf->here, 0, hf->t->n_hosts * sizeof(*hf->here));
}

/* The host of T whose underlay is an address here: its index, or -errno
 * with WHY. */
static ssize_t
host_find(const struct topo *t, char *why, size_t len)
{
	char			 buf[256] __attribute__((aligned(8)));
	char			 names[256] = "";
	struct host_find	 hf = { .t = t };
	struct nl_sock		*s;
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	ssize_t			 found = -1;
	size_t			 n = 0;
	int			 rv;

	if ((hf.here = calloc(t->n_hosts, sizeof(*hf.here))) == NULL)
		return -ENOMEM;
	if ((s = nl_open(-1)) == NULL) {
		rv = errno ? -errno : -EIO;
		snprintf(why, len, "cannot read this host's addresses: %s",
		    strerror(-rv));
		free(hf.here);
		return rv;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	rv = nl_dump(s, nlh, host_addr_cb, host_addr_reset, &hf);
	nl_close(s);
	for (size_t i = 0; rv == 0 && i < t->n_hosts; i++) {
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s%s", i ? ", " : "", t->hosts[i].name);
		if (hf.here[i]) {
			found = (ssize_t)i;
			n++;
		}
	}
	free(hf.here);
	if (rv < 0) {
		snprintf(why, len, "cannot read this host's addresses: %s",
		    strerror(-rv));
		return rv;
	}
	if (n == 1)
		return found;
	if (n > 1) {
		snprintf(why, len, "the underlays of several of lab %s's hosts "
		    "are addresses of this host: say which one it is with "
		    "--host NAME (or vrfd.conf's host)", t->lab);
		return -EINVAL;
	}
	snprintf(why, len, "no underlay address of lab %s's hosts (%s) is an "
	    "address of this host: say which one it is with --host NAME (or "
	    "vrfd.conf's host)", t->lab, names);
	return -ENOENT;
}

int
host_localize(struct topo *t, const char *name, char *why, size_t len)
{
	char	 saved[TOPO_NAME_MAX + 2];
	ssize_t	 i;

	if (t->n_hosts == 0)
		return 0;
	if (name == NULL || name[0] == '\0')
		name = host_name;
	if (name[0] != '\0') {
		if ((i = topo_host_index(t, name)) < 0) {
			snprintf(why, len, "this host is '%s', and lab %s "
			    "declares no such host", name, t->lab);
			return -ENOENT;
		}
	} else if (state_read_extra(t->lab, STATE_HOST, saved,
	    sizeof(saved)) == 0 && (saved[strcspn(saved, "\n")] = '\0',
	    (i = topo_host_index(t, saved)) >= 0)) {
		/* as it was applied here */
	} else if ((i = host_find(t, why, len)) < 0)
		return (int)i;
	topo_localize(t, (size_t)i);
	return 0;
}

int
host_localize_diag(struct topo *t, const char *name, struct diag_list *dl)
{
	char	 why[512];
	int	 rv;

	if ((rv = host_localize(t, name, why, sizeof(why))) < 0)
		diag_at(dl, DIAG_ERROR, t->file, ynode_key(t->root, "hosts"),
		    "%s", why);
	return rv;
}

int
host_save(const struct topo *t)
{
	char	 text[TOPO_NAME_MAX + 2];
	int	 n;

	if (t->n_hosts == 0 || t->here < 0)
		return 0;
	n = snprintf(text, sizeof(text), "%s\n", t->hosts[t->here].name);
	return state_save_extra(t->lab, STATE_HOST, text, (size_t)n);
}

/* Is end E of L this host's end of a link between hosts? */
static bool
host_end_here(const struct topo *t, const struct topo_link *l, int e)
{
	return topo_link_cross(t, l) && l->ep[e].ns != NULL &&
	    !l->ep[e].ns->remote;
}

static bool
host_link_here(const struct topo *t, const struct topo_link *l)
{
	return host_end_here(t, l, 0) || host_end_here(t, l, 1);
}

/* Every VNI of OTHER's links from here that one of T's takes too. */
static void
host_check_lab(const struct topo *t, const struct topo *other,
    struct diag_list *dl)
{
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link	*l = &t->links[i];

		if (!host_link_here(t, l))
			continue;
		for (size_t k = 0; k < other->n_links; k++) {
			const struct topo_link	*o = &other->links[k];

			if (!host_link_here(other, o) || o->vni != l->vni)
				continue;
			diag_at(dl, DIAG_ERROR, t->file, l->vni_node ?
			    l->vni_node : l->node, "vni %u of link %s:%s - "
			    "%s:%s is taken on this host by lab %s (link %s:%s "
			    "- %s:%s): write another 'vni:' on one of them",
			    l->vni, l->ep[0].node, l->ep[0].ifname,
			    l->ep[1].node, l->ep[1].ifname, other->lab,
			    o->ep[0].node, o->ep[0].ifname, o->ep[1].node,
			    o->ep[1].ifname);
			break;
		}
	}
}

void
host_check(const struct topo *t, struct diag_list *dl)
{
	char	**labs;
	size_t	  n;
	bool	  any = false;

	for (size_t i = 0; i < t->n_links && !any; i++)
		any = host_link_here(t, &t->links[i]);
	if (!any || state_list_labs(&labs, &n) < 0)
		return;
	for (size_t k = 0; k < n; k++) {
		struct diag_list	 odl = { 0 };
		struct topo		*other;
		char			 path[600], why[512];

		if (strcmp(labs[k], t->lab) != 0 &&
		    (other = topo_load(state_lab_path(labs[k], path,
		    sizeof(path)), &odl)) != NULL) {
			topo_check(other, &odl);
			/* A lab kept here that cannot say which host it is
			 * has no tunnels here. */
			if (odl.n_errors == 0 && other->n_hosts > 0 &&
			    host_localize(other, NULL, why, sizeof(why)) == 0)
				host_check_lab(t, other, dl);
			topo_free(other);
		}
		diag_list_free(&odl);
		free(labs[k]);
	}
	free(labs);
}
