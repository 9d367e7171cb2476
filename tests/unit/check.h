/*
 * check.h: the unit tests' tiny harness. Each test binary prints one line
 * per check that fails, one "ok"/"not ok" line per test, and ends with
 * "N passed, N failed" (counting tests), which tests/run adds up.
 */
#ifndef VRFD_CHECK_H
#define VRFD_CHECK_H

#include <stdio.h>
#include <string.h>

static int	check_failed_now;
static int	check_n_pass, check_n_fail;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("  %s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		check_failed_now = 1;					\
	}								\
} while (0)

#define CHECK_STREQ(a, b) do {						\
	const char *check_a_ = (a), *check_b_ = (b);			\
	if (check_a_ == NULL || check_b_ == NULL ||			\
	    strcmp(check_a_, check_b_) != 0) {				\
		printf("  %s:%d: expected \"%s\", got \"%s\"\n",	\
		    __FILE__, __LINE__, check_b_ ? check_b_ : "(null)",\
		    check_a_ ? check_a_ : "(null)");			\
		check_failed_now = 1;					\
	}								\
} while (0)

#define CHECK_INTEQ(a, b) do {						\
	long long check_a_ = (long long)(a), check_b_ = (long long)(b);	\
	if (check_a_ != check_b_) {					\
		printf("  %s:%d: %s: expected %lld, got %lld\n",	\
		    __FILE__, __LINE__, #a, check_b_, check_a_);	\
		check_failed_now = 1;					\
	}								\
} while (0)

#define RUN(fn) do {							\
	check_failed_now = 0;						\
	fn();								\
	if (check_failed_now) {						\
		check_n_fail++;						\
		printf("not ok - %s\n", #fn);				\
	} else {							\
		check_n_pass++;						\
		printf("ok - %s\n", #fn);				\
	}								\
} while (0)

#define CHECK_DONE() (printf("%d passed, %d failed\n", check_n_pass,	\
	check_n_fail), check_n_fail ? 1 : 0)

#endif
