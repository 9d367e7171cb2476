/*
 * output: how vrfctl shows what the core and vrfd answer, as text for a
 * person or as JSON (-j), from the same typed results (bgpctl's struct
 * output). The JSON is the control socket's own form (proto/).
 */
#ifndef VRFCTL_OUTPUT_H
#define VRFCTL_OUTPUT_H

#include <stdbool.h>

struct diag_list;
struct event;
struct json_object;
struct report;
struct status;
struct topo;

struct output {
	/* apply, destroy: what was done; plan: what would be */
	void	(*report)(const struct report *);
	void	(*status)(const struct status *);
	/* one event of `vrfctl events`, as it comes */
	void	(*event)(const struct event *);
};

extern const struct output output_text;
extern const struct output output_json;

/* What `vrfctl -j validate` says of files: {"files": [...]}, one entry
 * added per FILE (T: NULL if unreadable), then printed and freed. */
struct json_object *output_json_files(void);
void		 output_json_files_add(struct json_object *, const char *file,
		    const struct topo *t, const struct diag_list *);
void		 output_json_files_done(struct json_object *);

#endif
