/*
 * test_strcopy: a name into a fixed buffer, cut to fit (util/strcopy.c),
 * as snprintf's "%s" would: always terminated, never past the buffer.
 */
#include <string.h>

#include "check.h"
#include "util/strcopy.h"

static void
test_fits(void)
{
	char	 buf[16];

	memset(buf, 'x', sizeof(buf));
	str_copy(buf, sizeof(buf), "veth-r0-1");
	CHECK_STREQ(buf, "veth-r0-1");
	str_copy(buf, sizeof(buf), "");
	CHECK_STREQ(buf, "");
	/* 15 characters and the NUL: exactly the buffer */
	str_copy(buf, sizeof(buf), "abcdefghijklmno");
	CHECK_STREQ(buf, "abcdefghijklmno");
}

static void
test_cut(void)
{
	char	 buf[8] = "";

	str_copy(buf, 6, "abcdefghij");
	CHECK_STREQ(buf, "abcde");
	str_copy(buf, 1, "abc");
	CHECK_STREQ(buf, "");
}

static void
test_nothing(void)
{
	char	 buf[4] = "abc";

	/* no room: nothing written, not even a NUL */
	str_copy(buf, 0, "xyz");
	CHECK_STREQ(buf, "abc");
}

int
main(void)
{
	RUN(test_fits);
	RUN(test_cut);
	RUN(test_nothing);
	return CHECK_DONE();
}
