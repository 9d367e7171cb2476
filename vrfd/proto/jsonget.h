/*
 * jsonget: a member of a JSON object (json-c), read by type, with what
 * each getter gives when the member is missing or of another kind. The
 * daemon reads requests and reports with them, vrfctl renders reports.
 */
#ifndef VRFD_JSONGET_H
#define VRFD_JSONGET_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

/* The string KEY, or NULL when missing or not a string. */
const char	*jsonget_str(struct json_object *, const char *key);
/* KEY as text, whatever its type (json-c's form of a number, say);
 * DFLT when missing or null. */
const char	*jsonget_text(struct json_object *, const char *key,
		    const char *dflt);
int64_t		 jsonget_int(struct json_object *, const char *key); /* 0 */
bool		 jsonget_bool(struct json_object *, const char *key); /* false */
/* The array KEY, or NULL. */
struct json_object *jsonget_array(struct json_object *, const char *key);

/* KEY: V (taken) into O; false when V is NULL (an allocation that
 * failed) or it could not be added (V is then freed). */
bool		 jsonput(struct json_object *, const char *key,
		    struct json_object *v);

#endif
