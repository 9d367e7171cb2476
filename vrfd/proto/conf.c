/*
 * conf: parse vrfd.conf: `key value` lines, `#` comments, blank lines.
 * Every problem is reported with file:line and the scan goes on, so one
 * run shows them all; the caller uses the result only if there were none.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "topo/diag.h"
#include "topo/topo.h"
#include "engine/state.h"

enum conf_type {
	CONF_STR,
	CONF_UINT,
	CONF_BOOL,
};

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	size_t		 size;		/* CONF_STR: buffer size */
	unsigned	 min, max;	/* CONF_UINT */
};

#define CONF_S(f)	CONF_STR, offsetof(struct conf, f), \
			sizeof(((struct conf *)0)->f), 0, 0
#define CONF_U(f, lo, hi) CONF_UINT, offsetof(struct conf, f), 0, lo, hi
#define CONF_B(f)	CONF_BOOL, offsetof(struct conf, f), 0, 0, 0

static const struct conf_key conf_keys[] = {
	{ "socket",		CONF_S(socket) },
	{ "state_dir",		CONF_S(state_dir) },
	{ "read_group",		CONF_S(read_group) },
	{ "debounce_ms",	CONF_U(debounce_ms, 0, 10000) },
	{ "resync_interval",	CONF_U(resync_interval, 0, 86400) },
	{ "backoff_repairs",	CONF_U(backoff_repairs, 1, CONF_BACKOFF_REPAIRS_MAX) },
	{ "backoff_window",	CONF_U(backoff_window, 1, 86400) },
	{ "backoff_initial_ms",	CONF_U(backoff_initial_ms, 1, 3600000) },
	{ "backoff_max_ms",	CONF_U(backoff_max_ms, 1, 86400000) },
	{ "max_clients",	CONF_U(max_clients, 1, 4096) },
	{ "max_clients_per_user", CONF_U(max_clients_per_user, 1, 4096) },
	{ "client_timeout",	CONF_U(client_timeout, 1, 86400) },
	{ "stop_grace_ms",	CONF_U(stop_grace_ms, 0, 600000) },
	{ "syslog",		CONF_B(syslog) },
	{ "debug",		CONF_S(debug) },
	{ "host",		CONF_S(host) },
};
#define CONF_NKEYS	(sizeof(conf_keys) / sizeof(conf_keys[0]))

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->socket, sizeof(c->socket), "%s", CONF_SOCKET_DEFAULT);
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", STATE_DIR_DEFAULT);
	c->debounce_ms = 20;
	c->resync_interval = 30;
	c->backoff_repairs = 3;
	c->backoff_window = 10;
	c->backoff_initial_ms = 1000;
	c->backoff_max_ms = 60000;
	c->max_clients = 64;
	c->max_clients_per_user = 16;
	c->client_timeout = 60;
	c->stop_grace_ms = 2000;
}

static const struct conf_key *
conf_key_find(const char *name)
{
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].name, name) == 0)
			return &conf_keys[i];
	return NULL;
}

static void
conf_set(const char *name, unsigned line, const struct conf_key *k,
    const char *val, struct conf *c, struct diag_list *dl)
{
	char		*p = (char *)c + k->off, *end;
	unsigned long	 u;

	switch (k->type) {
	case CONF_STR:
		if (strlen(val) >= k->size) {
			diag_add(dl, DIAG_ERROR, name, line, 0, k->name,
			    "value too long (at most %zu characters)",
			    k->size - 1);
			return;
		}
		if (strcmp(k->name, "host") == 0 && !topo_valid_name(val)) {
			diag_add(dl, DIAG_ERROR, name, line, 0, k->name,
			    "'%s' is not a host name (lower-case letters, "
			    "digits, '-' and '_')", val);
			return;
		}
		if ((strcmp(k->name, "socket") == 0 ||
		    strcmp(k->name, "state_dir") == 0) && val[0] != '/') {
			diag_add(dl, DIAG_ERROR, name, line, 0, k->name,
			    "'%s' is not an absolute path", val);
			return;
		}
		memcpy(p, val, strlen(val) + 1);
		return;
	case CONF_UINT:
		errno = 0;
		u = strtoul(val, &end, 10);
		if (val[0] < '0' || val[0] > '9' || *end != '\0' ||
		    errno != 0 || u < k->min || u > k->max) {
			diag_add(dl, DIAG_ERROR, name, line, 0, k->name,
			    "'%s' is not a number from %u to %u", val,
			    k->min, k->max);
			return;
		}
		*(unsigned *)(void *)p = (unsigned)u;
		return;
	case CONF_BOOL:
		if (strcmp(val, "yes") == 0 || strcmp(val, "true") == 0)
			*(bool *)(void *)p = true;
		else if (strcmp(val, "no") == 0 || strcmp(val, "false") == 0)
			*(bool *)(void *)p = false;
		else
			diag_add(dl, DIAG_ERROR, name, line, 0, k->name,
			    "'%s' is not yes or no", val);
		return;
	}
}

/* One line, already cut at its end; comments and blanks are skipped. */
static void
conf_line(const char *name, unsigned line, char *s, struct conf *c,
    struct diag_list *dl, unsigned *seen)
{
	const struct conf_key	*k;
	char			*key, *val, *e;

	if ((e = strchr(s, '#')) != NULL)
		*e = '\0';
	key = s + strspn(s, " \t\r");
	if (*key == '\0')
		return;
	val = key + strcspn(key, " \t\r");
	if (*val != '\0')
		*val++ = '\0';
	val += strspn(val, " \t\r");
	for (e = val + strlen(val); e > val && strchr(" \t\r", e[-1]); e--)
		;
	*e = '\0';
	if ((k = conf_key_find(key)) == NULL) {
		diag_add(dl, DIAG_ERROR, name, line, 0, "",
		    "unknown key '%s'", key);
		return;
	}
	if (val[0] == '\0') {
		/* An empty read_group or debug says "none"; others need one. */
		if (k->type == CONF_STR && (strcmp(key, "read_group") == 0 ||
		    strcmp(key, "debug") == 0 || strcmp(key, "host") == 0)) {
			((char *)c + k->off)[0] = '\0';
			return;
		}
		diag_add(dl, DIAG_ERROR, name, line, 0, key, "missing value");
		return;
	}
	if (val[strcspn(val, " \t")] != '\0') {
		diag_add(dl, DIAG_ERROR, name, line, 0, key,
		    "one value expected, got '%s'", val);
		return;
	}
	if (seen[k - conf_keys]++)
		diag_add(dl, DIAG_WARNING, name, line, 0, key,
		    "set again; this value wins");
	conf_set(name, line, k, val, c, dl);
}

int
conf_parse(const char *name, const char *text, struct conf *c,
    struct diag_list *dl)
{
	unsigned	 seen[CONF_NKEYS] = { 0 }, line = 0;
	size_t		 errors = dl->n_errors;
	char		*copy, *s, *nl;

	if ((copy = strdup(text)) == NULL)
		return -ENOMEM;
	for (s = copy; s != NULL; s = nl) {
		if ((nl = strchr(s, '\n')) != NULL)
			*nl++ = '\0';
		line++;
		conf_line(name, line, s, c, dl, seen);
	}
	free(copy);
	if (c->backoff_max_ms < c->backoff_initial_ms)
		diag_add(dl, DIAG_ERROR, name, 0, 0, "backoff_max_ms",
		    "%u is less than backoff_initial_ms (%u)",
		    c->backoff_max_ms, c->backoff_initial_ms);
	return dl->n_errors > errors ? -EINVAL : 0;
}

int
conf_load(const char *file, bool missing_ok, struct conf *c,
    struct diag_list *dl)
{
	FILE	*f;
	char	*text = NULL;
	size_t	 len = 0;
	int	 rv;

	if ((f = fopen(file, "re")) == NULL) {
		if (errno == ENOENT && missing_ok)
			return 0;
		rv = -errno;
		diag_add(dl, DIAG_ERROR, file, 0, 0, "", "cannot read: %s",
		    strerror(-rv));
		return rv;
	}
	/* A configuration is a few lines; refuse what cannot be one. */
	text = malloc(65536 + 1);
	if (text == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	len = fread(text, 1, 65536 + 1, f);
	rv = ferror(f) ? -EIO : 0;
	fclose(f);
	if (rv == 0 && len > 65536) {
		diag_add(dl, DIAG_ERROR, file, 0, 0, "", "file too large");
		rv = -EFBIG;
	}
	if (rv == 0 && memchr(text, '\0', len) != NULL) {
		diag_add(dl, DIAG_ERROR, file, 0, 0, "", "not a text file");
		rv = -EINVAL;
	}
	if (rv == 0) {
		text[len] = '\0';
		rv = conf_parse(file, text, c, dl);
	}
	free(text);
	return rv;
}
