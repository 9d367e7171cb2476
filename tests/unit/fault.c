/*
 * fault: the allocation wrappers (fault.h). --wrap=SYM makes every call
 * to SYM from our objects go to __wrap_SYM, and __real_SYM the library's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	*__real_reallocarray(void *, size_t, size_t);
char	*__real_strdup(const char *);
char	*__real_strndup(const char *, size_t);
int	 __real_vasprintf(char **, const char *, va_list);
FILE	*__real_open_memstream(char **, size_t *);

void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	*__wrap_reallocarray(void *, size_t, size_t);
char	*__wrap_strdup(const char *);
char	*__wrap_strndup(const char *, size_t);
int	 __wrap_asprintf(char **, const char *, ...);
int	 __wrap_vasprintf(char **, const char *, va_list);
FILE	*__wrap_open_memstream(char **, size_t *);

static size_t	fault_nth, fault_n;
static bool	fault_env_read, fault_hit;

void
fault_arm(size_t nth)
{
	fault_env_read = true;
	fault_nth = nth;
	fault_n = 0;
	fault_hit = false;
}

size_t
fault_calls(void)
{
	return fault_n;
}

bool
fault_fired(void)
{
	return fault_hit;
}

/* Does this call fail? */
static bool
fault_now(void)
{
	const char	*s;

	if (!fault_env_read) {
		fault_env_read = true;
		if ((s = getenv("VRFD_FAULT_AT")) != NULL)
			fault_nth = (size_t)strtoull(s, NULL, 10);
	}
	/* atomic: a pass's diff may allocate on two threads */
	if (__atomic_add_fetch(&fault_n, 1, __ATOMIC_RELAXED) != fault_nth ||
	    fault_nth == 0)
		return false;
	fault_hit = true;
	errno = ENOMEM;
	return true;
}

void *
__wrap_malloc(size_t n)
{
	return fault_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return fault_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fault_now() ? NULL : __real_realloc(p, n);
}

void *
__wrap_reallocarray(void *p, size_t n, size_t size)
{
	return fault_now() ? NULL : __real_reallocarray(p, n, size);
}

char *
__wrap_strdup(const char *s)
{
	return fault_now() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return fault_now() ? NULL : __real_strndup(s, n);
}

int
__wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
	if (fault_now()) {
		*out = NULL;
		return -1;
	}
	return __real_vasprintf(out, fmt, ap);
}

int
__wrap_asprintf(char **out, const char *fmt, ...)
{
	va_list	 ap;
	int	 rv;

	va_start(ap, fmt);
	rv = __wrap_vasprintf(out, fmt, ap);
	va_end(ap);
	return rv;
}

FILE *
__wrap_open_memstream(char **buf, size_t *len)
{
	return fault_now() ? NULL : __real_open_memstream(buf, len);
}
