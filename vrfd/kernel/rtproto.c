/*
 * rtproto: the route protocol names. Loaded once, on first use, from
 * iproute2's table and files (see rtproto.h).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "own.h"
#include "rtproto.h"

struct rtproto_name {
	char	 name[RTPROTO_NAME_MAX];
	bool	 ip;		/* iproute2 on this host knows it */
};

static struct rtproto_name	rtproto_names[256];
static pthread_once_t		rtproto_once = PTHREAD_ONCE_INIT;

/* iproute2's lib/rt_names.c table, which it has without any file. */
static const struct {
	unsigned	 proto;
	const char	*name;
} rtproto_builtin[] = {
	{ 0, "unspec" }, { 1, "redirect" }, { 2, "kernel" }, { 3, "boot" },
	{ 4, "static" }, { 8, "gated" }, { 9, "ra" }, { 10, "mrt" },
	{ 11, "zebra" }, { 12, "bird" }, { 13, "dnrouted" }, { 14, "xorp" },
	{ 15, "ntk" }, { 16, "dhcp" }, { 18, "keepalived" }, { 42, "babel" },
	{ 99, "openr" }, { 186, "bgp" }, { 187, "isis" }, { 188, "ospf" },
	{ 189, "rip" }, { 192, "eigrp" },
};

static void
rtproto_set(unsigned proto, const char *name, bool ip)
{
	if (proto > 255 || strlen(name) >= RTPROTO_NAME_MAX)
		return;
	snprintf(rtproto_names[proto].name, RTPROTO_NAME_MAX, "%s", name);
	rtproto_names[proto].ip = ip;
}

/* One file in iproute2's format: "NUMBER NAME" lines, '#' comments. */
static void
rtproto_read_file(const char *path)
{
	char		 line[256], name[RTPROTO_NAME_MAX + 1];
	unsigned	 proto;
	FILE		*f;

	if ((f = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " %u %32[^ \t\n#]", &proto, name) == 2 ||
		    sscanf(line, " 0x%x %32[^ \t\n#]", &proto, name) == 2)
			rtproto_set(proto, name, true);
	}
	fclose(f);
}

static int
rtproto_conf_filter(const struct dirent *de)
{
	size_t	 n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 5 &&
	    strcmp(de->d_name + n - 5, ".conf") == 0;
}

/* The file, then its .d directory in name order, as iproute2 reads them. */
static void
rtproto_read_dir(const char *base)
{
	struct dirent	**des;
	char		  path[512];
	int		  n, i;

	snprintf(path, sizeof(path), "%s/rt_protos", base);
	rtproto_read_file(path);
	snprintf(path, sizeof(path), "%s/rt_protos.d", base);
	if ((n = scandir(path, &des, rtproto_conf_filter, alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/rt_protos.d/%s", base,
		    des[i]->d_name);
		rtproto_read_file(path);
		free(des[i]);
	}
	free(des);
}

static void
rtproto_load(void)
{
	size_t	 i;

	/* Ours first: a file that names 118 otherwise wins, as in ip. */
	rtproto_set(VRFD_PROTO, "vrfd", false);
	for (i = 0; i < sizeof(rtproto_builtin) / sizeof(rtproto_builtin[0]);
	    i++)
		rtproto_set(rtproto_builtin[i].proto, rtproto_builtin[i].name,
		    true);
	rtproto_read_dir("/usr/share/iproute2");
	rtproto_read_dir("/etc/iproute2");
}

static const char *
rtproto_lookup(unsigned proto, bool ip_only, char *buf, size_t len)
{
	pthread_once(&rtproto_once, rtproto_load);
	if (proto < 256 && rtproto_names[proto].name[0] != '\0' &&
	    (!ip_only || rtproto_names[proto].ip))
		snprintf(buf, len, "%s", rtproto_names[proto].name);
	else
		snprintf(buf, len, "%u", proto);
	return buf;
}

const char *
rtproto_name(unsigned proto, char *buf, size_t len)
{
	return rtproto_lookup(proto, false, buf, len);
}

const char *
rtproto_name_ip(unsigned proto, char *buf, size_t len)
{
	return rtproto_lookup(proto, true, buf, len);
}
