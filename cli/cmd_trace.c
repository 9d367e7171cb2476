/*
 * cmd_trace: `vrfctl trace [-j] [-l LAB] NODE DEST [--from ADDR]
 * [--proto icmp|udp|tcp --dport N] [--sport N] [--ttl N] [--both]`:
 * follow one packet through a lab's live forwarding state (engine/trace.c),
 * and with --both its answer's way back too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "engine/trace.h"
#include "output_trace.h"
#include "topo/topo.h"
#include "vrfctl.h"

enum {
	TRACE_OPT_FROM = 256,
	TRACE_OPT_PROTO,
	TRACE_OPT_DPORT,
	TRACE_OPT_SPORT,
	TRACE_OPT_TTL,
	TRACE_OPT_BOTH,
	TRACE_OPT_HOST,
};

/* An option's number in [MIN, MAX], or -1 after a usage error. */
static long
trace_number(struct vrfctl *v, const char *opt, const char *s, long min,
    long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < min || n > max) {
		vrfctl_usage_error(v, "%s: expected a number from %ld to %ld, "
		    "got '%s'", opt, min, max, s);
		return -1;
	}
	return n;
}

static int
trace_proto(struct vrfctl *v, const char *s, enum topo_probe_proto *p)
{
	if (strcmp(s, "icmp") == 0)
		*p = TOPO_PROBE_ICMP;
	else if (strcmp(s, "udp") == 0)
		*p = TOPO_PROBE_UDP;
	else if (strcmp(s, "tcp") == 0)
		*p = TOPO_PROBE_TCP;
	else
		return vrfctl_usage_error(v, "--proto: expected icmp, udp or "
		    "tcp, got '%s'", s);
	return 0;
}

/* The result as an exit status: 0 delivered (both ways with --both),
 * or gone on to another host, whose vrfctl trace follows it. */
static int
trace_show(struct vrfctl *v, const struct trace *fwd, const struct trace *rev,
    bool both, const char *node)
{
	struct json_object	*o;

	if (v->json) {
		o = output_trace_json(fwd);
		if (both && json_object_object_add(o, "reply", rev != NULL ?
		    output_trace_json(rev) : NULL) != 0)
			return VRFCTL_EXIT_FAILED;
		output_print_json(o);
	} else {
		output_trace_text(stdout, "trace", fwd, node, "");
		if (both && rev != NULL) {
			putchar('\n');
			output_trace_text(stdout, "reply", rev,
			    fwd->hops[fwd->n_hops - 1].node, "");
			if (rev->result != TRACE_DELIVERED)
				printf("one way only: the request arrives, "
				    "the reply does not return\n");
		} else if (both && fwd->result == TRACE_CROSS_HOST)
			printf("no reply to trace here: the request arrives "
			    "on host %s\n", fwd->cross_host);
		else if (both)
			printf("no reply to trace: the request does not "
			    "arrive\n");
	}
	if (fwd->result == TRACE_CROSS_HOST)
		return VRFCTL_EXIT_OK;
	if (fwd->result != TRACE_DELIVERED)
		return VRFCTL_EXIT_FAILED;
	if (both && (rev == NULL || (rev->result != TRACE_DELIVERED &&
	    rev->result != TRACE_CROSS_HOST)))
		return VRFCTL_EXIT_FAILED;
	return VRFCTL_EXIT_OK;
}

int
cmd_trace(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "from", required_argument, NULL, TRACE_OPT_FROM },
		{ "proto", required_argument, NULL, TRACE_OPT_PROTO },
		{ "dport", required_argument, NULL, TRACE_OPT_DPORT },
		{ "sport", required_argument, NULL, TRACE_OPT_SPORT },
		{ "ttl", required_argument, NULL, TRACE_OPT_TTL },
		{ "both", no_argument, NULL, TRACE_OPT_BOTH },
		{ "host", required_argument, NULL, TRACE_OPT_HOST },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_req	 req;
	struct trace		 fwd, rev;
	struct trace_req	 rreq;
	struct topo		*topo = NULL;
	char			 lab[TOPO_NAME_MAX + 1];
	const char		*from = NULL;
	bool			 both = false, has_rev = false;
	long			 n;
	int			 c, rc;

	memset(&req, 0, sizeof(req));
	while ((c = vrfctl_getopt(v, argc, argv, "hjl:", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		case 'j':
			v->json = true;
			break;
		case 'l':
			v->lab = optarg;
			break;
		case TRACE_OPT_FROM:
			from = optarg;
			break;
		case TRACE_OPT_PROTO:
			if (trace_proto(v, optarg, &req.proto) != 0)
				return VRFCTL_EXIT_USAGE;
			break;
		case TRACE_OPT_DPORT:
		case TRACE_OPT_SPORT:
			if ((n = trace_number(v, c == TRACE_OPT_DPORT ?
			    "--dport" : "--sport", optarg, 1, 65535)) < 0)
				return VRFCTL_EXIT_USAGE;
			if (c == TRACE_OPT_DPORT)
				req.dport = (uint16_t)n;
			else
				req.sport = (uint16_t)n;
			break;
		case TRACE_OPT_TTL:
			if ((n = trace_number(v, "--ttl", optarg, 1, 255)) < 0)
				return VRFCTL_EXIT_USAGE;
			req.ttl = (unsigned)n;
			break;
		case TRACE_OPT_BOTH:
			both = true;
			break;
		case TRACE_OPT_HOST:
			if ((rc = vrfctl_host_opt(v, optarg)) >= 0)
				return rc;
			break;
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return vrfctl_usage_error(v, argc - optind < 2 ?
		    "a NODE and a DEST address are needed" :
		    "unexpected argument '%s'", argv[optind + 2]);
	req.node = argv[optind];
	if (topo_parse_ip(argv[optind + 1], &req.dst) < 0)
		return vrfctl_usage_error(v, "'%s' is not an IP address",
		    argv[optind + 1]);
	if (from != NULL && (topo_parse_ip(from, &req.src) < 0 ||
	    req.src.family != req.dst.family))
		return vrfctl_usage_error(v, "--from: '%s' is not an %s "
		    "address", from, req.dst.family == AF_INET ? "IPv4" :
		    "IPv6");
	if (req.proto == TOPO_PROBE_ICMP && (req.dport || req.sport))
		return vrfctl_usage_error(v, "ports need --proto udp or tcp");
	if (req.proto != TOPO_PROBE_ICMP && req.dport == 0)
		return vrfctl_usage_error(v, "--proto %s needs --dport",
		    req.proto == TOPO_PROBE_UDP ? "udp" : "tcp");
	if (geteuid() != 0) {
		vrfctl_warnx(v, "tracing reads the lab's namespaces from "
		    "inside: run it as root");
		return VRFCTL_EXIT_FAILED;
	}
	if (vrfctl_lab_name(v, lab, sizeof(lab)) < 0)
		return VRFCTL_EXIT_FAILED;
	if ((rc = vrfctl_lab_topo(v, lab, &topo)) != VRFCTL_EXIT_OK)
		return rc;
	/* A lab spread over hosts: traced on this one's part. */
	if ((rc = vrfctl_topo_host(v, topo->file, topo, false)) !=
	    VRFCTL_EXIT_OK) {
		topo_free(topo);
		return rc;
	}
	req.topo = topo;
	if (trace_run(&req, &fwd) < 0) {
		vrfctl_warnx(v, "%s", fwd.why);
		trace_free(&fwd);
		topo_free(topo);
		return VRFCTL_EXIT_FAILED;
	}
	if (both && trace_reply_req(&fwd, topo, &rreq)) {
		if (trace_run(&rreq, &rev) < 0)
			rev.result = TRACE_ERROR;
		has_rev = true;
	}
	rc = trace_show(v, &fwd, has_rev ? &rev : NULL, both, req.node);
	trace_free(&fwd);
	if (has_rev)
		trace_free(&rev);
	topo_free(topo);
	return rc;
}
