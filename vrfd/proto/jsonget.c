/*
 * jsonget: typed reads of a JSON object's members (see jsonget.h).
 */
#include <json-c/json.h>

#include "jsonget.h"

const char *
jsonget_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

const char *
jsonget_text(struct json_object *o, const char *key, const char *dflt)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return dflt;
	return json_object_get_string(v);
}

int64_t
jsonget_int(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_int64(v) : 0;
}

bool
jsonget_bool(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_get_boolean(v);
}

struct json_object *
jsonget_array(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

bool
jsonput(struct json_object *o, const char *key, struct json_object *v)
{
	if (v == NULL)
		return false;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return false;
	}
	return true;
}
