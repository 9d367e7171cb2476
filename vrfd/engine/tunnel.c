/*
 * tunnel: the last probes of a lab's tunnels, kept and read back
 * (tunnel.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "topo/topo.h"
#include "tunnel.h"

#define TUNNEL_FILE_MAX		(256 * 1024)

int
tunnel_save(const char *lab, const struct tunnel_probe *v, size_t n)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f;
	int	 rv;

	if ((f = open_memstream(&text, &len)) == NULL)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%s %s %u %.3f %s %.3f\n", v[k].node, v[k].ifname,
		    v[k].vni, v[k].time, v[k].result, v[k].rtt_ms);
	if (fclose(f) != 0) {
		free(text);
		return -ENOMEM;
	}
	rv = state_save_extra(lab, STATE_TUNNELS, text, len);
	free(text);
	return rv;
}

/* The probe kept for NODE's IFNAME on VNI, from TEXT, into P. */
static bool
tunnel_find(const char *text, const char *node, const char *ifname,
    uint32_t vni, struct tunnel_probe *p)
{
	const char	*line = text;

	while (line != NULL && *line != '\0') {
		char		 n[REPORT_NODE_MAX], i[IFNAMSIZ], r[16];
		unsigned	 v;
		double		 t, rtt;

		if (sscanf(line, "%79s %15s %u %lf %15s %lf", n, i, &v, &t, r,
		    &rtt) == 6 && strcmp(n, node) == 0 &&
		    strcmp(i, ifname) == 0 && v == vni) {
			p->time = t;
			snprintf(p->result, sizeof(p->result), "%s", r);
			p->rtt_ms = rtt;
			return true;
		}
		if ((line = strchr(line, '\n')) != NULL)
			line++;
	}
	return false;
}

int
tunnel_status(struct status_lab *sl, const struct topo *t)
{
	char			*text;
	struct status_tunnel	*tu;
	int			 rv = 0;

	if (t->n_hosts == 0 || t->here < 0)
		return 0;
	if ((text = malloc(TUNNEL_FILE_MAX)) == NULL)
		return -ENOMEM;
	if (state_read_extra(t->lab, STATE_TUNNELS, text,
	    TUNNEL_FILE_MAX) < 0)
		text[0] = '\0';
	for (size_t i = 0; i < t->n_links && rv == 0; i++) {
		const struct topo_link	*l = &t->links[i];
		struct tunnel_probe	 p = { .time = 0 };

		if (!topo_link_cross(t, l))
			continue;
		for (int e = 0; e < 2; e++) {
			const struct topo_endpoint *me = &l->ep[e];
			const struct topo_endpoint *far = &l->ep[!e];

			if (me->ns->remote)
				continue;
			if ((tu = status_tunnel_add(sl)) == NULL) {
				rv = -ENOMEM;
				break;
			}
			snprintf(tu->node, sizeof(tu->node), "%s",
			    me->ns->node_name);
			snprintf(tu->ifname, sizeof(tu->ifname), "%s",
			    me->ifname);
			tu->vni = l->vni;
			snprintf(tu->far_host, sizeof(tu->far_host), "%s",
			    t->hosts[far->ns->host].name);
			snprintf(tu->far, sizeof(tu->far), "%s:%s",
			    far->ns->node_name, far->ifname);
			topo_ip_str(&t->hosts[far->ns->host].underlay,
			    tu->remote, sizeof(tu->remote));
			if (tunnel_find(text, tu->node, tu->ifname, tu->vni,
			    &p)) {
				tu->probe_time = p.time;
				snprintf(tu->probe_result,
				    sizeof(tu->probe_result), "%s", p.result);
				tu->probe_rtt_ms = p.rtt_ms;
			}
		}
	}
	free(text);
	return rv;
}
