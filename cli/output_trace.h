/*
 * output_trace: `vrfctl trace` and `vrfctl verify` results as text or
 * JSON (output_trace.c).
 */
#ifndef VRFCTL_OUTPUT_TRACE_H
#define VRFCTL_OUTPUT_TRACE_H

#include <stdio.h>

struct json_object;
struct trace;
struct verify;

/* WHAT ("trace", "reply") from FROM, then one aligned line per hop, each
 * line after INDENT, and the result with its reason. */
void	output_trace_text(FILE *, const char *what, const struct trace *,
	    const char *from, const char *indent);
struct json_object *output_trace_json(const struct trace *);
void	output_verify_text(FILE *, const char *lab, const struct verify *);
struct json_object *output_verify_json(const char *lab,
	    const struct verify *);
/* Print O pretty, and free it. */
void	output_print_json(struct json_object *);

#endif
