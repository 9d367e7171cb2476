/*
 * json_strict: a scan of a JSON text for objects with a member name twice
 * (json_strict.h). Only as much of JSON as finding names needs: strings
 * are decoded (escapes, \u surrogate pairs), other scalars skipped; the
 * names of one object are sorted and neighbours compared, so an object
 * of many members costs n log n, not n squared.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_strict.h"

#define JS_DEPTH	64	/* deeper than json-c goes (32) */

struct js {
	const char	*p, *end;
	int		 err;		/* -1 malformed, -ENOMEM */
	bool		 dup;
};

struct js_name {
	char		*s;
	size_t		 len;
};

static void
js_ws(struct js *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
js_hex4(struct js *j, uint32_t *v)
{
	*v = 0;
	if (j->end - j->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char	 c = *j->p++;

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* A low surrogate escape at j->p: taken, with its value in *LO, if it is
 * one; else nothing is read. */
static bool
js_low(struct js *j, uint32_t *lo)
{
	struct js	 peek = *j;

	if (peek.end - peek.p < 6 || peek.p[0] != '\\' || peek.p[1] != 'u')
		return false;
	peek.p += 2;
	if (js_hex4(&peek, lo) < 0 || *lo < 0xdc00 || *lo >= 0xe000)
		return false;
	j->p = peek.p;
	return true;
}

/* CP as UTF-8 at OUT; the bytes written. */
static size_t
js_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string at j->p (its opening quote); decoded into *OUT if OUT. */
static void
js_string(struct js *j, struct js_name *out)
{
	const char	*start = ++j->p;
	char		*buf = NULL;
	size_t		 n = 0;
	bool		 cut = false;

	if (out) {
		/* Decoded, a string is never longer than written. */
		const char *q = start;

		while (q < j->end && *q != '"')
			q += *q == '\\' && q + 1 < j->end ? 2 : 1;
		if ((buf = malloc((size_t)(q - start) + 1)) == NULL) {
			j->err = -ENOMEM;
			return;
		}
	}
	while (j->p < j->end && *j->p != '"') {
		uint32_t	 cp, lo;
		char		 c = *j->p++;

		/* Strict JSON has no raw control characters in strings. */
		if ((unsigned char)c < 0x20)
			goto bad;
		if (c != '\\') {
			if (buf && !cut)
				buf[n++] = c;
			continue;
		}
		if (j->p >= j->end)
			break;
		switch (c = *j->p++) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (js_hex4(j, &cp) < 0)
				goto bad;
			/* json-c ends a name at a NUL: so does this. */
			if (cp == 0 && buf)
				cut = true;
			/* A surrogate pair is one code point; a surrogate
			 * alone is U+FFFD, as json-c reads it. */
			if (cp >= 0xd800 && cp < 0xdc00 && js_low(j, &lo))
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			else if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;
			if (buf && !cut)
				n += js_utf8(cp, buf + n);
			continue;
		default:
			break;		/* \" \\ \/ */
		}
		if (buf && !cut)
			buf[n++] = c;
	}
	if (j->p >= j->end)
		goto bad;
	j->p++;
	if (out) {
		buf[n] = '\0';
		out->s = buf;
		out->len = n;
	}
	return;
 bad:
	free(buf);
	if (j->err == 0)
		j->err = -1;
}

static int
js_name_cmp(const void *a, const void *b)
{
	const struct js_name	*x = a, *y = b;
	size_t			 n = x->len < y->len ? x->len : y->len;
	int			 r;

	if ((r = memcmp(x->s, y->s, n)) != 0)
		return r;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void	js_value(struct js *, int depth);

static void
js_object(struct js *j, int depth)
{
	struct js_name	*v = NULL, *nv;
	size_t		 n = 0, cap = 0;

	j->p++;
	js_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return;
	}
	while (j->err == 0) {
		js_ws(j);
		if (j->p >= j->end || *j->p != '"') {
			j->err = -1;
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				j->err = -ENOMEM;
				break;
			}
			v = nv;
		}
		js_string(j, &v[n]);
		if (j->err)
			break;
		n++;
		js_ws(j);
		if (j->p >= j->end || *j->p++ != ':') {
			j->err = -1;
			break;
		}
		js_value(j, depth + 1);
		js_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}')
			j->p++;
		else if (j->err == 0)
			j->err = -1;
		break;
	}
	if (j->err == 0 && n > 1) {
		qsort(v, n, sizeof(*v), js_name_cmp);
		for (size_t i = 1; i < n; i++)
			if (js_name_cmp(&v[i - 1], &v[i]) == 0)
				j->dup = true;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].s);
	free(v);
}

static void
js_array(struct js *j, int depth)
{
	j->p++;
	js_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return;
	}
	while (j->err == 0) {
		js_value(j, depth + 1);
		js_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']')
			j->p++;
		else if (j->err == 0)
			j->err = -1;
		break;
	}
}

static void
js_value(struct js *j, int depth)
{
	js_ws(j);
	if (depth > JS_DEPTH || j->p >= j->end) {
		j->err = -1;
		return;
	}
	switch (*j->p) {
	case '{':
		js_object(j, depth);
		break;
	case '[':
		js_array(j, depth);
		break;
	case '"':
		js_string(j, NULL);
		break;
	default:
		/* numbers, true, false, null */
		if (strchr("-0123456789tfn", *j->p) == NULL) {
			j->err = -1;
			break;
		}
		while (j->p < j->end && strchr("+-.0123456789eEtruefalsn",
		    *j->p) != NULL && *j->p != '\0')
			j->p++;
		break;
	}
}

int
json_has_dup_key(const char *text, size_t len)
{
	struct js	 j = { text, text + len, 0, false };

	js_value(&j, 0);
	if (j.dup)
		return 1;
	return j.err;
}
