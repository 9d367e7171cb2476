/*
 * json_strict: JSON that json-c would read in a way the sender may not
 * have meant. json-c keeps the last of two members with the same name:
 * {"cmd":"ping","cmd":"destroy"} would be a destroy to vrfd and a ping to
 * a filter that reads the first one. vrfd refuses such documents.
 */
#ifndef VRFD_JSON_STRICT_H
#define VRFD_JSON_STRICT_H

#include <stddef.h>

/* Does TEXT (LEN bytes) hold an object with a member name twice (names
 * compared as json-c decodes them, so "\u0063md" is "cmd", and a lone
 * surrogate is U+FFFD)? 1 yes, 0 no, -1 when it is not strict JSON (RFC
 * 8259), -ENOMEM. json-c reads more than strict JSON (single quotes,
 * comments, NaN, trailing commas) and a NUL cuts its names short: a
 * caller refuses -1 too, or the scan can be got round. */
int	json_has_dup_key(const char *text, size_t len);

#endif
