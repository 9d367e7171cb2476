/*
 * strcopy: a name into a fixed buffer (strcopy.h).
 */
#include <string.h>

#include "strcopy.h"

void
str_copy(char *dst, size_t len, const char *src)
{
	if (len > 0 && memccpy(dst, src, '\0', len) == NULL)
		dst[len - 1] = '\0';
}
