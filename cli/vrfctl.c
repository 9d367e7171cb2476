/*
 * vrfctl: the command line client of vrfd.
 *
 * main() takes the global options, finds the command word in vrfctl_cmds[]
 * (exact words; a near miss gets a suggestion, never a guess) and hands the
 * rest of the line to the command. The helpers below are shared by the
 * cmd_*.c files: option parsing, usage errors, JSON output and reading a
 * topology file with its diagnostics.
 */
#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "engine/host.h"
#include "engine/state.h"
#include "output.h"
#include "proto/conf.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "util/readfile.h"
#include "vrfctl.h"

static int	vrfctl_help_run(struct vrfctl *, int, char **);
static void	vrfctl_vwarnx(struct vrfctl *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/*
 * The commands, in the order --help lists them. Adding one: a row here, a
 * prototype in vrfctl.h and a cmd_NAME.c file with its run function.
 */
static const struct vrfctl_cmd vrfctl_cmds[] = {
	/* Topology files: no daemon needed. */
	{ "validate", "[-j] FILE...",
	    "check topology files and summarize them", cmd_validate },
	{ "graph", "[--format dot|mermaid] [--trace NODE DEST] FILE|LAB",
	    "draw a topology for Graphviz or Mermaid", cmd_graph },
	{ "show-addresses", "[-j] FILE|LAB",
	    "show each interface's addresses and where they came from",
	    cmd_show_addresses },
	{ "import", "FILE",
	    "print a containerlab topology (.clab.yml) in vrfd's format",
	    cmd_import },

	/* Labs: through vrfd when it answers, in-process otherwise. */
	{ "apply", "[-j] [--host NAME] FILE",
	    "make the kernel match a topology", cmd_apply },
	{ "plan", "[-j] [--host NAME] FILE|LAB",
	    "show what apply would change, as iproute2 commands", cmd_plan },
	{ "destroy", "[-j] [--host NAME] LAB|FILE",
	    "remove everything a lab owns", cmd_destroy },
	{ "status", "[-j] [LAB]",
	    "show the labs on this host and how far they drifted", cmd_status },
	{ "link", "set [-j] LAB NODE:IFNAME up|down",
	    "set a lab's interface down or up until its next apply", cmd_link },
	{ "exec", "[-l LAB] NODE -- CMD [ARG...]",
	    "run a command in a node's namespace", cmd_exec },
	{ "capture", "[-l LAB] [-w FILE] [-c COUNT] [LAB] NODE:IF "
	    "[EXPRESSION...]",
	    "capture an interface's packets with tcpdump (text, or pcap)",
	    cmd_capture },
	{ "events", "[-j]", "follow the drift vrfd repairs", cmd_events },
	{ "logs", "[-f] [-l LAB] NODE [SERVICE]",
	    "show what a node's services wrote", cmd_logs },
	{ "trace", "[-j] [-l LAB] NODE DEST [--from ADDR] [--proto icmp|udp|tcp "
	    "--dport N] [--sport N] [--ttl N] [--both] [--host NAME]",
	    "follow a packet through the lab's live forwarding state",
	    cmd_trace },
	{ "verify", "[-j] [--wait SECONDS] [--host NAME] FILE|LAB",
	    "prove the topology's expect: list by trace and by probe",
	    cmd_verify },

	{ "help", "[COMMAND]",
	    "show the usage of a command", vrfctl_help_run },
};
#define VRFCTL_NCMDS	(sizeof(vrfctl_cmds) / sizeof(vrfctl_cmds[0]))

static const char vrfctl_usage_line[] =
    "usage: vrfctl [-j] [-s SOCKET] [--host NAME] COMMAND [ARG...]\n";

static const struct vrfctl_cmd *
vrfctl_cmd_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < VRFCTL_NCMDS; i++)
		if (strcmp(vrfctl_cmds[i].name, name) == 0)
			return &vrfctl_cmds[i];
	return NULL;
}

/*
 * Optimal string alignment distance, case-insensitive: a wrong, missing or
 * extra letter, or two swapped ones, each cost 1.
 */
static size_t
vrfctl_distance(const char *sa, const char *sb)
{
	char	 a[32], b[32];
	size_t	 la = strlen(sa), lb = strlen(sb), i, j, d[32][32];

	if (la >= sizeof(a) || lb >= sizeof(b))
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		a[i] = tolower((unsigned char)sa[i]);
	for (j = 0; j <= lb; j++)
		b[j] = tolower((unsigned char)sb[j]);
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			d[i][j] = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < d[i][j])
				d[i][j] = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < d[i][j])
				d[i][j] = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

/*
 * Which of N NAMES the user probably meant by WORD, or NULL: a close
 * spelling, or a name that WORD abbreviates. Only ever a suggestion.
 */
static const char *
vrfctl_suggest(const char *word, const char *const *names, size_t n)
{
	const char	*best = NULL;
	size_t		 i, d, best_d = (size_t)-1, max;

	for (i = 0; i < n; i++) {
		max = strlen(names[i]) >= 5 ? 2 : 1;
		d = vrfctl_distance(word, names[i]);
		if (strlen(word) >= 2 &&
		    strncasecmp(word, names[i], strlen(word)) == 0 && d > max)
			d = max;
		if (d <= max && d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

static void
vrfctl_help(FILE *f)
{
	size_t	 i, w = 0;

	for (i = 0; i < VRFCTL_NCMDS; i++)
		if (strlen(vrfctl_cmds[i].name) > w)
			w = strlen(vrfctl_cmds[i].name);
	fprintf(f, "%s", vrfctl_usage_line);
	fprintf(f, "       vrfctl -h | --help | --version\n\ncommands:\n");
	for (i = 0; i < VRFCTL_NCMDS; i++)
		fprintf(f, "  %-*s  %s\n", (int)w, vrfctl_cmds[i].name,
		    vrfctl_cmds[i].summary);
	fprintf(f, "\noptions:\n"
	    "  -j          print one JSON document\n"
	    "  -s SOCKET   vrfd's control socket (default: vrfd.conf's, or %s)\n"
	    "  --host NAME which host of a lab spread over several this is\n"
	    "              (default: vrfd.conf's, or found by underlay address)\n"
	    "  -h, --help  show this help\n"
	    "  --version   show the version\n"
	    "\n'vrfctl help COMMAND' shows the usage of a command.\n",
	    CONF_SOCKET_DEFAULT);
}

static int
vrfctl_unknown_cmd(const char *word)
{
	const char	*names[VRFCTL_NCMDS], *s;
	size_t		 i;

	for (i = 0; i < VRFCTL_NCMDS; i++)
		names[i] = vrfctl_cmds[i].name;
	s = vrfctl_suggest(word, names, VRFCTL_NCMDS);
	if (s != NULL)
		fprintf(stderr, "vrfctl: unknown command '%s'; "
		    "did you mean '%s'?\n", word, s);
	else
		fprintf(stderr, "vrfctl: unknown command '%s'; "
		    "see 'vrfctl --help'\n", word);
	return VRFCTL_EXIT_USAGE;
}

static int
vrfctl_help_run(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct vrfctl_cmd	*cmd;
	int			 c;

	while ((c = vrfctl_getopt(v, argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		vrfctl_help(stdout);
		return VRFCTL_EXIT_OK;
	}
	if (argc > 1)
		return vrfctl_usage_error(v, "unexpected argument '%s'",
		    argv[1]);
	if ((cmd = vrfctl_cmd_find(argv[0])) == NULL)
		return vrfctl_unknown_cmd(argv[0]);
	v->cmd = cmd;
	return vrfctl_cmd_help(v);
}

static void
vrfctl_vwarnx(struct vrfctl *v, const char *fmt, va_list ap)
{
	fprintf(stderr, "vrfctl: ");
	if (v->cmd != NULL)
		fprintf(stderr, "%s: ", v->cmd->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
vrfctl_warnx(struct vrfctl *v, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vrfctl_vwarnx(v, fmt, ap);
	va_end(ap);
}

int
vrfctl_usage_error(struct vrfctl *v, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vrfctl_vwarnx(v, fmt, ap);
	va_end(ap);
	if (v->cmd != NULL)
		fprintf(stderr, "usage: vrfctl %s %s\n", v->cmd->name,
		    v->cmd->args);
	else
		fprintf(stderr, "%s", vrfctl_usage_line);
	return VRFCTL_EXIT_USAGE;
}

int
vrfctl_cmd_help(struct vrfctl *v)
{
	printf("usage: vrfctl %s %s\n  %s\n", v->cmd->name, v->cmd->args,
	    v->cmd->summary);
	return VRFCTL_EXIT_OK;
}

/*
 * The options of a command that takes only -h and -j. Returns -1 to go on,
 * optind at the first operand, or the exit status to end with.
 */
int
vrfctl_common_opts(struct vrfctl *v, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c;

	while ((c = vrfctl_getopt(v, argc, argv, "hj", longopts)) != -1) {
		switch (c) {
		case 'h':
			return vrfctl_cmd_help(v);
		case 'j':
			v->json = true;
			break;
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	return -1;
}

/* The "--name" part of a long option token: its length up to '='. */
static size_t
vrfctl_optlen(const char *tok)
{
	return strcspn(tok, "=");
}

/* An unknown or abbreviated long option TOK, with a suggestion. */
static void
vrfctl_badlong(struct vrfctl *v, const char *tok,
    const struct option *longopts)
{
	const char	*names[32], *s = NULL;
	char		 word[64];
	int		 len = (int)vrfctl_optlen(tok);
	size_t		 n;

	snprintf(word, sizeof(word), "%.*s", len - 2, tok + 2);
	for (n = 0; longopts != NULL && longopts[n].name != NULL &&
	    n < sizeof(names) / sizeof(names[0]); n++)
		names[n] = longopts[n].name;
	if ((s = vrfctl_suggest(word, names, n)) != NULL)
		vrfctl_usage_error(v, "unknown option '%.*s'; did you mean "
		    "'--%s'?", len, tok, s);
	else
		vrfctl_usage_error(v, "unknown option '%.*s'", len, tok);
}

int
vrfctl_getopt(struct vrfctl *v, int argc, char **argv, const char *opts,
    const struct option *longopts)
{
	const struct option	*o;
	const char		*tok;
	char			 spec[64];
	int			 c, li = -1;

	/* ':' first: tell a missing argument from an unknown option. */
	if (opts[0] == '+')
		snprintf(spec, sizeof(spec), "+:%s", opts + 1);
	else
		snprintf(spec, sizeof(spec), ":%s", opts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, &li);
	if (c == -1)
		return -1;
	/*
	 * The token just parsed. After an error in a cluster ("-jx") it may
	 * be an older one, so short options are named by optopt.
	 */
	tok = argv[optind - 1];
	if (c == ':') {
		if (optopt > 0 && optopt < 256 && strncmp(tok, "--", 2) != 0)
			vrfctl_usage_error(v, "option '-%c' needs an argument",
			    optopt);
		else
			vrfctl_usage_error(v, "option '%s' needs an argument",
			    tok);
		return '?';
	}
	if (c == '?') {
		if (strncmp(tok, "--", 2) == 0 && strchr(tok, '=') != NULL &&
		    optopt != 0)
			vrfctl_usage_error(v, "option '%.*s' takes no "
			    "argument", (int)vrfctl_optlen(tok), tok);
		else if (optopt > 0 && optopt < 256)
			vrfctl_usage_error(v, "unknown option '-%c'", optopt);
		else
			vrfctl_badlong(v, tok, longopts);
		return '?';
	}
	if (li < 0)
		return c;

	/* getopt_long takes any unambiguous prefix: we want the word. */
	o = &longopts[li];
	if (o->has_arg != no_argument && optarg != NULL && optind >= 2 &&
	    optarg == argv[optind - 1])
		tok = argv[optind - 2];
	if (vrfctl_optlen(tok) == strlen(o->name) + 2 &&
	    strncmp(tok + 2, o->name, strlen(o->name)) == 0)
		return c;
	vrfctl_badlong(v, tok, longopts);
	return '?';
}

const char *
vrfctl_count(char *buf, size_t len, size_t n, const char *noun)
{
	snprintf(buf, len, "%zu %s%s", n, noun, n == 1 ? "" : "s");
	return buf;
}

int
vrfctl_topo_read(const char *file, struct diag_list *dl, struct topo **tp,
    char **textp, size_t *lenp)
{
	char	*text;
	size_t	 len;
	int	 rv;

	*tp = NULL;
	/* Read once: the model and the text kept are of the same file. */
	if (textp && *textp) {
		text = *textp;
		len = *lenp;
	} else if ((rv = read_file(file, SIZE_MAX, &text, &len)) < 0) {
		diag_add(dl, DIAG_ERROR, file, 0, 0, "", "%s", strerror(-rv));
		return VRFCTL_EXIT_FAILED;
	}
	errno = 0;
	/* A containerlab topology is converted first (cmd_import.c). */
	if ((*tp = vrfctl_topo_load(file, &text, &len, dl)) == NULL) {
		rv = errno;
		if (dl->n_errors == 0)
			diag_add(dl, DIAG_ERROR, file, 0, 0, "",
			    "cannot be loaded: %s", strerror(rv ? rv : EINVAL));
	} else
		topo_check(*tp, dl);
	diag_sort(dl);
	if (textp) {
		*textp = text;
		*lenp = len;
	} else
		free(text);
	if (*tp == NULL || dl->n_errors > 0)
		return VRFCTL_EXIT_INVALID;
	return VRFCTL_EXIT_OK;
}

void
vrfctl_topo_report(const char *file, const struct diag_list *dl)
{
	char	 e[32], w[32];

	diag_print(dl, stderr);
	fprintf(stderr, "%s: %s, %s\n", file,
	    vrfctl_count(e, sizeof(e), dl->n_errors, "error"),
	    vrfctl_count(w, sizeof(w), dl->n_warnings, "warning"));
}

void
vrfctl_print_diags(const struct diag_list *dl)
{
	diag_print(dl, stderr);
}

int
vrfctl_topo_open(struct vrfctl *v, const char *file, struct topo **tp,
    char **text, size_t *len)
{
	struct diag_list	 dl = { 0 };
	struct json_object	*doc;
	struct topo		*t;
	int			 rc;

	*tp = NULL;
	rc = vrfctl_topo_read(file, &dl, &t, text, len);
	if (rc == VRFCTL_EXIT_OK) {
		diag_print(&dl, stderr);	/* warnings */
		v->warned |= dl.n > 0;
		*tp = t;
	} else if (v->json) {
		doc = output_json_files();
		output_json_files_add(doc, file, t, &dl);
		output_json_files_done(doc);
	} else
		vrfctl_topo_report(file, &dl);
	if (rc != VRFCTL_EXIT_OK) {
		topo_free(t);
		if (text) {
			free(*text);
			*text = NULL;
		}
	}
	diag_list_free(&dl);
	return rc;
}

const struct output *
vrfctl_output(const struct vrfctl *v)
{
	return v->json ? &output_json : &output_text;
}

/* vrfd's configuration, or its defaults if it has errors. */
static void
vrfctl_conf(struct conf *c)
{
	struct diag_list	 dl = { 0 };

	conf_defaults(c);
	if (conf_load(CONF_FILE_DEFAULT, true, c, &dl) < 0) {
		diag_print(&dl, stderr);
		fprintf(stderr, "vrfctl: %s has errors: using the defaults\n",
		    CONF_FILE_DEFAULT);
		conf_defaults(c);
	}
	diag_list_free(&dl);
}

/* Output that could not be written is a failure, not a silent success. */
static int
vrfctl_exit(int rc)
{
	if (fflush(stdout) == EOF)
		fprintf(stderr, "vrfctl: stdout: %s\n", strerror(errno));
	else if (ferror(stdout))	/* an earlier flush failed */
		fprintf(stderr, "vrfctl: stdout: write error\n");
	else
		return rc;
	return rc == VRFCTL_EXIT_OK ? VRFCTL_EXIT_FAILED : rc;
}

/* A pass grows the heap by megabytes, and glibc grows it 128 KiB at a
 * time, each a brk or mprotect (a thread's arena): 16 MiB at a time
 * instead, 3% of a no-op apply of 100 namespaces. Only what is touched
 * is memory; a run this short gives nothing back before it ends. */
#define VRFCTL_HEAP_STEP	(16 * 1024 * 1024)

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "host", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct vrfctl	 v = { .lock = -1 };
	struct conf	 conf;
	int		 c;

	(void)mallopt(M_TOP_PAD, VRFCTL_HEAP_STEP);
	/* '+': the first operand is the command; its options are its own. */
	while ((c = vrfctl_getopt(&v, argc, argv, "+hjs:", longopts)) != -1) {
		switch (c) {
		case 'h':
			vrfctl_help(stdout);
			return vrfctl_exit(VRFCTL_EXIT_OK);
		case 'j':
			v.json = true;
			break;
		case 's':
			v.socket = optarg;
			break;
		case 'H':
			if ((c = vrfctl_host_opt(&v, optarg)) >= 0)
				return c;
			break;
		case 'V':
			printf("vrfctl %s\n", VRFD_VERSION);
			return vrfctl_exit(VRFCTL_EXIT_OK);
		default:
			return VRFCTL_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fprintf(stderr, "%s", vrfctl_usage_line);
		fprintf(stderr, "'vrfctl --help' lists the commands.\n");
		return VRFCTL_EXIT_USAGE;
	}
	if ((v.cmd = vrfctl_cmd_find(argv[0])) == NULL)
		return vrfctl_unknown_cmd(argv[0]);
	/* Where vrfd listens, and where a lab is kept: vrfd.conf says, as
	 * it does to vrfd itself; -s and $VRFD_STATE_DIR win. */
	vrfctl_conf(&conf);
	if (v.socket == NULL)
		v.socket = conf.socket;
	if (getenv("VRFD_STATE_DIR") == NULL)
		state_set_dir(conf.state_dir);
	/* Which of a lab's hosts this is: --host, else vrfd.conf's. */
	if (v.host == NULL)
		host_set(conf.host);

	/* 0, not 1: glibc then forgets its state from the global options. */
	optind = 0;
	return vrfctl_exit(v.cmd->run(&v, argc, argv));
}
