/*
 * proto_check: helpers of the wire-format tests (test_report_json.c,
 * test_ctl_msg.c).
 */
#ifndef VRFD_PROTO_CHECK_H
#define VRFD_PROTO_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "engine/report.h"
#include "proto/event.h"

/* 2024-05-01T12:00:01Z */
#define T0	1714564801.0

/* DOC (taken) as the peer reads it: printed, checked for names given
 * twice, parsed again; a document that fails that aborts the test. */
struct json_object *wire(struct json_object *doc);
/* Members and elements; NULL, -999 or -1 when missing or of another
 * type. */
struct json_object *member(struct json_object *, const char *key);
bool		 has(struct json_object *, const char *key);
const char	*str(struct json_object *, const char *key);
long long	 num(struct json_object *, const char *key);
int		 boolean(struct json_object *, const char *key);
struct json_object *idx(struct json_object *arr, size_t i);
long long	 alen(struct json_object *arr);

char		*xstrdup(const char *);		/* aborts on ENOMEM */
void		 change_set(struct report_change *, size_t ns,
		    enum report_op, const char *object, const char *command,
		    int err, bool conflict, const char *error);
/* Samples with every field set. */
struct report	*report_sample(void);
struct status	*status_sample(void);
void		 event_sample(struct event *, enum event_type);

#endif
