/*
 * test_ctl: the control socket's wire format (ctl_proto.c) over a
 * socketpair, packet by packet, and vrfd.conf parsing (conf.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "proto/conf.h"
#include "proto/ctl_proto.h"
#include "topo/diag.h"

static int	sv[2];

static void
pair(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
		perror("socketpair");
		exit(1);
	}
}

static void
unpair(void)
{
	close(sv[0]);
	close(sv[1]);
}

/* A document whose JSON text is LEN bytes: {"p":"xxx..."}. */
static struct json_object *
doc_of_len(size_t len)
{
	struct json_object	*o = json_object_new_object();
	char			*pad = malloc(len);

	memset(pad, 'x', len - 8);
	pad[len - 8] = '\0';
	json_object_object_add(o, "p", json_object_new_string(pad));
	free(pad);
	return o;
}

/* Send DOC from a child (it may not fit in the socket at once). */
static pid_t
send_bg(struct json_object *doc)
{
	pid_t	 pid = fork();

	if (pid == 0)
		_exit(ctl_send(sv[0], doc) == 0 ? 0 : 1);
	return pid;
}

static int
reap(pid_t pid)
{
	int	 st = 0;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_small_roundtrip(void)
{
	struct json_object	*in = json_object_new_object(), *out;

	pair();
	json_object_object_add(in, "cmd", json_object_new_string("ping"));
	CHECK_INTEQ(ctl_send(sv[0], in), 0);
	CHECK_INTEQ(ctl_recv(sv[1], CTL_MAX_REQUEST, &out), 0);
	CHECK_STREQ(json_object_get_string(json_object_object_get(out,
	    "cmd")), "ping");
	json_object_put(in);
	json_object_put(out);
	unpair();
}

/* The packets of a document: full ones, then a short one (maybe empty). */
static void
test_packet_sizes(void)
{
	static const size_t	 lens[] = { CTL_PACKET, 3 * CTL_PACKET + 10,
	    CTL_PACKET - 1 };
	char			*buf = malloc(CTL_PACKET + 1);

	for (size_t i = 0; i < 3; i++) {
		struct json_object	*d = doc_of_len(lens[i]);
		size_t			 total = 0, full = 0;
		ssize_t			 n;
		pid_t			 pid;

		CHECK_INTEQ(strlen(json_object_to_json_string_ext(d,
		    JSON_C_TO_STRING_PLAIN)), lens[i]);
		pair();
		pid = send_bg(d);
		while ((n = recv(sv[1], buf, CTL_PACKET + 1, 0)) == CTL_PACKET) {
			total += (size_t)n;
			full++;
		}
		CHECK(n >= 0 && n < CTL_PACKET);
		total += (size_t)n;
		CHECK_INTEQ(total, lens[i]);
		CHECK_INTEQ(full, lens[i] / CTL_PACKET);
		CHECK_INTEQ(reap(pid), 0);
		unpair();
		json_object_put(d);
	}
	free(buf);
}

static void
test_large_roundtrip(void)
{
	struct json_object	*d = doc_of_len(5 * CTL_PACKET), *out = NULL;
	pid_t			 pid;

	pair();
	pid = send_bg(d);
	CHECK_INTEQ(ctl_recv(sv[1], CTL_MAX_REQUEST, &out), 0);
	CHECK_INTEQ(json_object_get_string_len(json_object_object_get(out,
	    "p")), 5 * CTL_PACKET - 8);
	CHECK_INTEQ(reap(pid), 0);
	json_object_put(out);
	json_object_put(d);
	unpair();
}

/* A descriptor with a document (an apply's text in a memfd): it comes
 * with the document it was sent with, and one not taken is closed when
 * the next document is read. */
static void
test_fd_passing(void)
{
	struct json_object	*d = doc_of_len(3 * CTL_PACKET), *out;
	struct ctl_rx		 rx;
	char			 buf[8] = "";
	int			 p[2], fd, rv;

	pair();
	CHECK_INTEQ(pipe(p), 0);
	CHECK_INTEQ(write(p[1], "text", 4), 4);
	close(p[1]);
	if (fork() == 0)
		_exit(ctl_send_fd(sv[0], d, p[0]) == 0 &&
		    ctl_send(sv[0], d) == 0 ? 0 : 1);
	close(p[0]);
	ctl_rx_init(&rx, CTL_MAX_REQUEST);
	while ((rv = ctl_rx_read(sv[1], &rx)) == 0)
		;
	CHECK_INTEQ(rv, 1);
	CHECK((out = ctl_rx_take(&rx)) != NULL);
	json_object_put(out);
	fd = ctl_rx_take_fd(&rx);
	CHECK(fd >= 0);
	CHECK_INTEQ(read(fd, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "text", 4) == 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	CHECK_INTEQ(ctl_rx_take_fd(&rx), -1);
	/* The second document came without one. */
	while ((rv = ctl_rx_read(sv[1], &rx)) == 0)
		;
	CHECK_INTEQ(rv, 1);
	CHECK((out = ctl_rx_take(&rx)) != NULL);
	json_object_put(out);
	CHECK_INTEQ(ctl_rx_take_fd(&rx), -1);
	ctl_rx_free(&rx);
	CHECK_INTEQ(reap(-1), 0);
	json_object_put(d);
	unpair();
}

/* Over the bound: refused, and the next document reads fine. */
static void
test_too_large(void)
{
	struct json_object	*big = doc_of_len(3 * CTL_PACKET + 5);
	struct json_object	*small = json_object_new_object(), *out;
	pid_t			 pid;

	pair();
	json_object_object_add(small, "cmd", json_object_new_string("next"));
	pid = send_bg(big);
	CHECK_INTEQ(ctl_recv(sv[1], 2 * CTL_PACKET, &out), -EMSGSIZE);
	CHECK(out == NULL);
	CHECK_INTEQ(reap(pid), 0);
	CHECK_INTEQ(ctl_send(sv[0], small), 0);
	CHECK_INTEQ(ctl_recv(sv[1], 2 * CTL_PACKET, &out), 0);
	CHECK_STREQ(json_object_get_string(json_object_object_get(out,
	    "cmd")), "next");
	json_object_put(out);
	json_object_put(small);
	json_object_put(big);
	unpair();
}

static void
test_bad_input(void)
{
	static const char *const bad[] = {
		"hello", "[1,2]", "{\"a\":1} trailing", "{\"a\":", "\"str\"",
	};
	struct json_object	*out;
	char			*huge = calloc(1, CTL_PACKET + 100);

	pair();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(send(sv[0], bad[i], strlen(bad[i]), 0) > 0);
		CHECK_INTEQ(ctl_recv(sv[1], CTL_MAX_REQUEST, &out), -EBADMSG);
	}
	/* An empty packet: an empty document. */
	CHECK(send(sv[0], "", 0, 0) == 0);
	CHECK_INTEQ(ctl_recv(sv[1], CTL_MAX_REQUEST, &out), -EBADMSG);
	/* A packet longer than the protocol allows. */
	memset(huge, 'z', CTL_PACKET + 100);
	CHECK(send(sv[0], huge, CTL_PACKET + 100, 0) == CTL_PACKET + 100);
	CHECK_INTEQ(ctl_recv(sv[1], CTL_MAX_REQUEST, &out), -EMSGSIZE);
	/* The peer's close. */
	close(sv[0]);
	CHECK_INTEQ(ctl_recv(sv[1], CTL_MAX_REQUEST, &out), -ECONNRESET);
	close(sv[1]);
	free(huge);
}

/* A member name twice: refused whole, whichever one a reader would
 * have taken. */
static void
test_dup_keys(void)
{
	static const char	 dup[] = "{\"cmd\":\"ping\",\"cmd\":\"destroy\","
	    "\"lab\":\"demo\"}";
	struct json_object	*out = NULL;

	pair();
	CHECK(send(sv[0], dup, sizeof(dup) - 1, 0) == sizeof(dup) - 1);
	CHECK_INTEQ(ctl_recv(sv[1], CTL_MAX_REQUEST, &out), -ENOTUNIQ);
	CHECK(out == NULL);
	unpair();
}

static void
test_conf_good(void)
{
	struct diag_list	 dl = { 0 };
	struct conf		 c;

	conf_defaults(&c);
	CHECK_STREQ(c.socket, "/run/vrfd/vrfd.sock");
	CHECK_INTEQ(c.debounce_ms, 20);
	CHECK_INTEQ(conf_parse("t.conf",
	    "# comment\n"
	    "\n"
	    "socket /tmp/s.sock   # trailing comment\n"
	    "  state_dir\t/tmp/state\n"
	    "read_group netlab\n"
	    "debounce_ms 0\n"
	    "resync_interval 5\r\n"
	    "backoff_repairs 4\n"
	    "backoff_window 3\n"
	    "backoff_initial_ms 200\n"
	    "backoff_max_ms 800\n"
	    "syslog yes\n"
	    "debug watch,repair", &c, &dl), 0);
	CHECK_INTEQ(dl.n, 0);
	CHECK_STREQ(c.socket, "/tmp/s.sock");
	CHECK_STREQ(c.state_dir, "/tmp/state");
	CHECK_STREQ(c.read_group, "netlab");
	CHECK_INTEQ(c.debounce_ms, 0);
	CHECK_INTEQ(c.resync_interval, 5);
	CHECK_INTEQ(c.backoff_repairs, 4);
	CHECK_INTEQ(c.backoff_window, 3);
	CHECK_INTEQ(c.backoff_initial_ms, 200);
	CHECK_INTEQ(c.backoff_max_ms, 800);
	CHECK(c.syslog);
	CHECK_STREQ(c.debug, "watch,repair");
	/* An empty read_group means none; a repeated key wins, warned. */
	CHECK_INTEQ(conf_parse("t.conf", "read_group\ndebounce_ms 5\n"
	    "debounce_ms 7\n", &c, &dl), 0);
	CHECK_STREQ(c.read_group, "");
	CHECK_INTEQ(c.debounce_ms, 7);
	CHECK_INTEQ(dl.n_warnings, 1);
	CHECK_INTEQ(dl.n > 0 ? dl.v[0].line : 0, 3);
	diag_list_free(&dl);
}

static void
test_conf_errors(void)
{
	struct diag_list	 dl = { 0 };
	struct conf		 c;
	static const unsigned	 lines[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	conf_defaults(&c);
	CHECK_INTEQ(conf_parse("bad.conf",
	    "sockett /x\n"			/* 1 unknown key */
	    "debounce_ms fast\n"		/* 2 not a number */
	    "debounce_ms 99999\n"		/* 3 out of range */
	    "socket relative.sock\n"		/* 4 not absolute */
	    "resync_interval\n"			/* 5 no value */
	    "read_group a b\n"			/* 6 two values */
	    "syslog maybe\n"			/* 7 not yes/no */
	    "backoff_repairs 0\n"		/* 8 out of range */
	    "debounce_ms -1\n"			/* 9 negative */
	    , &c, &dl), -EINVAL);
	CHECK_INTEQ(dl.n_errors, 9);
	CHECK_INTEQ(dl.n_warnings, 2);		/* debounce_ms again */
	for (size_t i = 0, k = 0; i < dl.n; i++) {
		if (dl.v[i].level != DIAG_ERROR)
			continue;
		CHECK_STREQ(dl.v[i].file, "bad.conf");
		CHECK_INTEQ(dl.v[i].line, k < 9 ? lines[k] : 0);
		k++;
	}
	/* Nothing wrong was taken. */
	CHECK_INTEQ(c.debounce_ms, 20);
	CHECK_STREQ(c.socket, "/run/vrfd/vrfd.sock");
	diag_list_free(&dl);

	conf_defaults(&c);
	CHECK_INTEQ(conf_parse("b.conf", "backoff_initial_ms 5000\n"
	    "backoff_max_ms 1000\n", &c, &dl), -EINVAL);
	CHECK_INTEQ(dl.n_errors, 1);
	diag_list_free(&dl);

	/* A missing file: fine if allowed, an error if named. */
	conf_defaults(&c);
	CHECK_INTEQ(conf_load("/nonexistent/vrfd.conf", true, &c, &dl), 0);
	CHECK_INTEQ(conf_load("/nonexistent/vrfd.conf", false, &c, &dl),
	    -ENOENT);
	CHECK_INTEQ(dl.n_errors, 1);
	diag_list_free(&dl);
}

int
main(void)
{
	RUN(test_small_roundtrip);
	RUN(test_packet_sizes);
	RUN(test_large_roundtrip);
	RUN(test_fd_passing);
	RUN(test_too_large);
	RUN(test_bad_input);
	RUN(test_dup_keys);
	RUN(test_conf_good);
	RUN(test_conf_errors);
	return CHECK_DONE();
}
