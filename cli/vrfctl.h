/*
 * vrfctl: what the command files share.
 *
 * vrfctl.c parses the global options, finds the command in its table (exact
 * words only) and calls it with the rest of the command line, argv[0] being
 * the command word. A command parses its own options with vrfctl_getopt(),
 * prints text or, with -j, one JSON document, and returns an exit status.
 */
#ifndef VRFCTL_H
#define VRFCTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

struct ctl_reply;
struct ctl_request;
struct diag_list;
struct engine_progress;
struct json_object;
struct topo;

enum vrfctl_exit {
	VRFCTL_EXIT_OK = 0,
	VRFCTL_EXIT_FAILED = 1,
	VRFCTL_EXIT_USAGE = 2,
	VRFCTL_EXIT_INVALID = 3,	/* the topology has errors */
	VRFCTL_EXIT_UNREACHABLE = 4,	/* vrfd does not answer where it
					   is needed, or could not do what
					   was asked */
};

struct vrfctl;

struct vrfctl_cmd {
	const char	*name;		/* the exact word */
	const char	*args;		/* "[-j] FILE...", for usage lines */
	const char	*summary;	/* one line, no final period */
	int		(*run)(struct vrfctl *, int argc, char **argv);
};

struct vrfctl {
	bool			 json;		/* -j: one JSON document */
	const char		*socket;	/* vrfd's control socket: -s,
						   or vrfd.conf's */
	const char		*lab;		/* -l: the lab to act on */
	const char		*host;		/* --host: which of a lab's hosts
						   this is (NULL: vrfd.conf's,
						   or found per lab) */
	const struct vrfctl_cmd	*cmd;		/* the command running */
	int			 lock;		/* the writer lock, when held */
	bool			 warned;	/* a topology opened had warnings
						   (vrfctl_topo_open) */
};

/* How results are shown: as text, or as JSON with -j. */
const struct output *vrfctl_output(const struct vrfctl *);

/* The commands: one cmd_*.c each, one row each in vrfctl.c's table. */
int	cmd_validate(struct vrfctl *, int, char **);
int	cmd_graph(struct vrfctl *, int, char **);
int	cmd_show_addresses(struct vrfctl *, int, char **);
int	cmd_import(struct vrfctl *, int, char **);
int	cmd_apply(struct vrfctl *, int, char **);
int	cmd_plan(struct vrfctl *, int, char **);
int	cmd_destroy(struct vrfctl *, int, char **);
int	cmd_status(struct vrfctl *, int, char **);
int	cmd_link(struct vrfctl *, int, char **);
int	cmd_exec(struct vrfctl *, int, char **);
int	cmd_capture(struct vrfctl *, int, char **);
int	cmd_events(struct vrfctl *, int, char **);
int	cmd_trace(struct vrfctl *, int, char **);
int	cmd_logs(struct vrfctl *, int, char **);
int	cmd_verify(struct vrfctl *, int, char **);

/*
 * Ask vrfd: 0 with *REPLY (ok or not: the caller reads it, and clears
 * it); VRFCTL_NO_DAEMON when no daemon answers at v->socket (the caller
 * runs the engine itself: see vrfctl_alone); or an exit status after
 * telling the user what went wrong. PROGRESS (may be NULL) sees each
 * progress document that comes before the reply.
 */
#define VRFCTL_NO_DAEMON	(-1)
int	vrfctl_ask(struct vrfctl *, const struct ctl_request *,
	    struct ctl_reply *,
	    void (*progress)(const struct engine_progress *, void *),
	    void *arg);
/* vrfctl_ask in two steps: connected first (*FD, or the same codes),
 * before a request's text is made ready; then asked on FD (closed). */
int	vrfctl_connect(struct vrfctl *, int *fd);
int	vrfctl_ask_on(struct vrfctl *, int fd, const struct ctl_request *,
	    struct ctl_reply *,
	    void (*progress)(const struct engine_progress *, void *),
	    void *arg);
/*
 * Before vrfctl runs the engine itself: root, and the writer lock (waited
 * for, saying so on a terminal, while another vrfctl holds it). 0, or an
 * exit status after telling why not: a vrfd that holds the lock is never
 * worked around. The lock is dropped at exit.
 */
int	vrfctl_alone(struct vrfctl *);
/* The same, only if it is root and the lock is free right now (nothing
 * said either way): true when held. */
bool	vrfctl_alone_now(struct vrfctl *);

/*
 * getopt_long() for a command's options, with vrfctl's rules: long options
 * must be spelled out (getopt_long would take "--form" for "--format"), and
 * errors are printed as "vrfctl: CMD: ..." followed by the usage line. Returns
 * the option, -1 at the end, or '?' after an error (exit VRFCTL_EXIT_USAGE).
 * OPTS need not start with ':'; a leading '+' stops at the first operand.
 */
int	vrfctl_getopt(struct vrfctl *, int, char **, const char *opts,
	    const struct option *);
/* For commands with only -h and -j: -1 to go on, or an exit status. */
int	vrfctl_common_opts(struct vrfctl *, int, char **);
/* "vrfctl: CMD: message" and the usage line on stderr; returns 2. */
int	vrfctl_usage_error(struct vrfctl *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The running command's usage and summary on stdout (for -h); returns 0. */
int	vrfctl_cmd_help(struct vrfctl *);
/* "vrfctl: CMD: message" on stderr. */
void	vrfctl_warnx(struct vrfctl *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* "1 error" and "2 errors": a count and a noun, into BUF. */
const char *vrfctl_count(char *, size_t, size_t, const char *noun);

/*
 * Topology files. vrfctl_topo_read() loads and checks FILE into *TOPO and
 * sorts DIAG. It returns 0 if FILE is valid, VRFCTL_EXIT_INVALID if it has
 * errors (*TOPO is the model as far as it could be read, or NULL if FILE is
 * not YAML), or VRFCTL_EXIT_FAILED if FILE cannot be read (*TOPO is NULL);
 * DIAG says why. TEXT, if not NULL, gets the file's text (LEN bytes), the
 * very text the model was read from; if *TEXT is not NULL already, it is
 * that text, read before.
 */
int		 vrfctl_topo_read(const char *file, struct diag_list *,
		    struct topo **, char **text, size_t *len);
/* All diagnostics then "FILE: N errors, N warnings", on stderr. */
void		 vrfctl_topo_report(const char *file, const struct diag_list *);
/*
 * For a command that takes one FILE: read it, show its warnings on stderr,
 * and return 0 with the model in *TOPO (and its text, as for
 * vrfctl_topo_read). If it has errors, print them (text: on stderr; -j:
 * the `vrfctl -j validate FILE` document on stdout) and return
 * VRFCTL_EXIT_INVALID, or VRFCTL_EXIT_FAILED if FILE is unreadable.
 */
int		 vrfctl_topo_open(struct vrfctl *, const char *file,
		    struct topo **, char **text, size_t *len);
/*
 * Containerlab topologies (cmd_import.c). vrfctl_topo_load: TEXT of FILE
 * loaded as topo_load_buf would; a containerlab one converted first, *TEXT
 * becoming the converted text, and the positions in the model and in DIAG
 * those of the containerlab file. vrfctl_topo_text: FILE's text for vrfd,
 * as read_file (util/readfile.h) reads it, a containerlab one converted (its warnings
 * shown): 0, -1 if FILE cannot be read, or an exit status after saying its
 * errors as vrfctl_topo_open does. vrfctl_clab_remap: diagnostics about a
 * converted TEXT (vrfd's), placed in the containerlab file.
 */
struct topo	*vrfctl_topo_load(const char *file, char **text, size_t *len,
		    struct diag_list *);
int		 vrfctl_topo_text(struct vrfctl *, const char *file,
		    char **text, size_t *len);
void		 vrfctl_clab_remap(const char *text, size_t len,
		    struct diag_list *);
/* The same for the lines of MSG (vrfd's words) that name FILE:LINE:COL. */
void		 vrfctl_clab_remap_msg(const char *text, size_t len,
		    const char *file, char **msg);
/*
 * Labs (lab_pick.c). vrfctl_lab_name: -l LAB, or the only lab of this
 * host, into BUF; 0, or -1 after saying why not. vrfctl_file_or_lab: an
 * operand that is a file that is there, or else the name of a lab whose
 * topology is kept (its path, into PATH): 0 and *FILE, or an exit status.
 * vrfctl_lab_topo: LAB's kept topology, as vrfctl_topo_open.
 * vrfctl_lab_operand: ARG if it names a lab rather than a file that is
 * there (whether that lab is kept or not), else NULL.
 */
const char	*vrfctl_lab_operand(const char *arg);
int		 vrfctl_lab_name(struct vrfctl *, char *buf, size_t len);
int		 vrfctl_file_or_lab(struct vrfctl *, const char *arg,
		    char *path, size_t len, const char **file);
int		 vrfctl_lab_topo(struct vrfctl *, const char *lab,
		    struct topo **);
/*
 * Hosts (host_opt.c), for a lab spread over several. vrfctl_host_opt:
 * --host NAME, given before the command or after it: -1 to go on, or an
 * exit status. vrfctl_topo_host: T's part for this host (host.h), its
 * problems told as the file's errors are (and, with CHECK, what another
 * lab kept here is in the way of): 0 or an exit status.
 */
int		 vrfctl_host_opt(struct vrfctl *, const char *name);
int		 vrfctl_topo_host(struct vrfctl *, const char *file,
		    struct topo *t, bool check);
/* Errors in DL (sorted here) said as validate says them, text or -j:
 * VRFCTL_EXIT_INVALID; VRFCTL_EXIT_OK when there are none. */
int		 vrfctl_topo_errors(struct vrfctl *, const char *file,
		    const struct topo *, struct diag_list *);
/* Diagnostics vrfd found in a topology it was sent (its errors or
 * warnings), shown as vrfctl shows its own. */
void		 vrfctl_print_diags(const struct diag_list *);

#endif
