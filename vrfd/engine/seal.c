/*
 * seal: a lab found exactly as declared, kept to answer the next apply of
 * the same text (seal.h). Made from a pass (seal_keep), written and read
 * back as text (seal_format, seal_parse), answered from (seal_report).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel/kdigest.h"
#include "kernel/own.h"
#include "lab_tree.h"
#include "pass.h"
#include "report.h"
#include "seal.h"
#include "state.h"
#include "util/readfile.h"

#define SEAL_MAGIC	"vrfd-seal 1"
/* Fields of a namespace's line before its sysctl keys. */
#define SEAL_NS_FIELDS	7

int
seal_format(const char *text_digest, const struct seal_ns *ns, size_t n,
    char **buf, size_t *len)
{
	FILE	*f;

	*buf = NULL;
	*len = 0;
	if ((f = open_memstream(buf, len)) == NULL)
		return -ENOMEM;
	fprintf(f, "%s\ntext %s\n", SEAL_MAGIC, text_digest);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "ns %s %s %" PRIu64 " %u %d %016" PRIx64, ns[i].name,
		    ns[i].node, ns[i].ino, ns[i].kinds, ns[i].qdiscs,
		    ns[i].digest);
		for (size_t k = 0; k < ns[i].n_keys; k++)
			fprintf(f, " %s", ns[i].keys[k]);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(*buf);
		*buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The unsigned number S, all of it, in BASE: false if it is not one. */
static bool
seal_number(const char *s, int base, uint64_t max, uint64_t *v)
{
	char			*end;
	unsigned long long	 n;

	/* strtoull would take a sign or a space first */
	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || n > max)
		return false;
	*v = n;
	return true;
}

/* A string of the seal: not empty, shorter than MAX. */
static bool
seal_word(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	return n > 0 && n < max;
}

/* Split LINE at its spaces, in place, into at most MAX words: how many,
 * or MAX + 1 where there are more. */
static size_t
seal_split(char *line, char **w, size_t max)
{
	size_t	 n = 0;

	for (char *s = line; ; s++) {
		if (n > max)
			return n;
		if (n < max)
			w[n] = s;
		n++;
		if ((s = strchr(s, ' ')) == NULL)
			return n;
		*s = '\0';
	}
}

/* Namespace line W (N words) of lab LAB into NS, its keys at KEYS. */
static bool
seal_parse_ns(const char *lab, char **w, size_t n, struct seal_ns *ns,
    const char **keys)
{
	size_t		 lablen = strlen(lab);
	uint64_t	 kinds, qdiscs;

	if (n < SEAL_NS_FIELDS || strcmp(w[0], "ns") != 0 ||
	    !seal_word(w[1], KS_NSNAME_MAX) || strncmp(w[1], lab, lablen) != 0 ||
	    w[1][lablen] != '-' || !seal_word(w[2], REPORT_NODE_MAX) ||
	    !seal_number(w[3], 10, UINT64_MAX, &ns->ino) || ns->ino == 0 ||
	    !seal_number(w[4], 10, OWN_HOLDS_ALL, &kinds) ||
	    !seal_number(w[5], 10, 1, &qdiscs) || strlen(w[6]) != 16 ||
	    !seal_number(w[6], 16, UINT64_MAX, &ns->digest) ||
	    ns->digest == 0)
		return false;
	ns->name = w[1];
	ns->node = w[2];
	ns->kinds = (unsigned)kinds;
	ns->qdiscs = qdiscs != 0;
	ns->keys = keys;
	ns->n_keys = n - SEAL_NS_FIELDS;
	for (size_t k = 0; k < ns->n_keys; k++) {
		if (!seal_word(w[SEAL_NS_FIELDS + k], KS_SYSCTL_KEY_MAX))
			return false;
		keys[k] = w[SEAL_NS_FIELDS + k];
	}
	return true;
}

static int
seal_name_cmp(const void *a, const void *b, void *arg)
{
	const struct seal	*s = arg;

	return strcmp(s->ns[*(const size_t *)a].name,
	    s->ns[*(const size_t *)b].name);
}

/* S's namespaces by name: false where two have one. */
static bool
seal_index(struct seal *s)
{
	if ((s->by_name = calloc(s->n + 1, sizeof(*s->by_name))) == NULL)
		return false;
	for (size_t i = 0; i < s->n; i++)
		s->by_name[i] = i;
	qsort_r(s->by_name, s->n, sizeof(*s->by_name), seal_name_cmp, s);
	for (size_t i = 1; i < s->n; i++)
		if (strcmp(s->ns[s->by_name[i - 1]].name,
		    s->ns[s->by_name[i]].name) == 0)
			return false;
	return true;
}

int
seal_parse(const char *lab, char *buf, size_t len, struct seal *s)
{
	char		*line, *next, *w[2], **ws = NULL;
	size_t		 lines = 0, words = 0, n_keys = 0;

	memset(s, 0, sizeof(*s));
	s->buf = buf;
	/* Lines end in '\n', the last too; words are cut by one space. */
	if (len == 0 || buf[len - 1] != '\n' || memchr(buf, '\0', len))
		goto bad;
	buf[len - 1] = '\0';
	for (size_t i = 0; i < len; i++) {
		lines += buf[i] == '\n';
		words += buf[i] == ' ';
	}
	/* The magic and the text, then the namespaces: no more words than
	 * that in keys. */
	if (lines < 1 || (s->ns = calloc(lines, sizeof(*s->ns))) == NULL ||
	    (s->keys = calloc(words + 1, sizeof(*s->keys))) == NULL ||
	    (ws = calloc(words + 2, sizeof(*ws))) == NULL)
		goto bad;
	line = buf;
	next = strchr(line, '\n');
	*next++ = '\0';
	if (strcmp(line, SEAL_MAGIC) != 0)
		goto bad;
	line = next;
	if ((next = strchr(line, '\n')) != NULL)
		*next++ = '\0';
	if (seal_split(line, w, 2) != 2 || strcmp(w[0], "text") != 0 ||
	    !seal_word(w[1], sizeof(s->text)))
		goto bad;
	memcpy(s->text, w[1], strlen(w[1]) + 1);
	for (line = next; line != NULL; line = next) {
		size_t	 n;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((n = seal_split(line, ws, words + 1)) > words + 1 ||
		    !seal_parse_ns(lab, ws, n, &s->ns[s->n],
		    s->keys + n_keys))
			goto bad;
		n_keys += s->ns[s->n++].n_keys;
	}
	if (!seal_index(s))
		goto bad;
	free(ws);
	return 0;
bad:
	free(ws);
	seal_free(s);
	return -EINVAL;
}

int
seal_load(const char *lab, struct seal *s)
{
	struct stat	 st;
	uint64_t	 text_len;
	char		 path[600], *buf;
	size_t		 len;
	int		 rv;

	memset(s, 0, sizeof(*s));
	if ((rv = read_file(state_extra_path(lab, STATE_SEAL, path,
	    sizeof(path)), LAB_TEXT_MAX, &buf, &len)) < 0 ||
	    (rv = seal_parse(lab, buf, len, s)) < 0)
		return rv;
	/* The text kept is the one sealed (state.c unseals a lab before
	 * it keeps another): unless someone removed or wrote it by hand,
	 * which its length tells, nearly always. */
	if (stat(state_lab_path(lab, path, sizeof(path)), &st) < 0 ||
	    sscanf(s->text, "%" SCNu64 "-", &text_len) != 1 ||
	    (uint64_t)st.st_size != text_len) {
		seal_free(s);
		return -ESTALE;
	}
	return 0;
}

void
seal_free(struct seal *s)
{
	free(s->ns);
	free(s->by_name);
	free(s->keys);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

const struct seal_ns *
seal_find(const struct seal *s, const char *name)
{
	size_t	 lo = 0, hi = s->n;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;
		int	 c = strcmp(name, s->ns[s->by_name[mid]].name);

		if (c == 0)
			return &s->ns[s->by_name[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

struct report *
seal_report(const struct seal *s, const char *lab)
{
	struct report	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	snprintf(r->lab, sizeof(r->lab), "%s", lab);
	r->action = REPORT_APPLY;
	r->converged = true;
	for (size_t i = 0; i < s->n; i++) {
		struct report_ns	*rn;

		if ((rn = report_ns_add(r)) == NULL) {
			report_free(r);
			return NULL;
		}
		snprintf(rn->name, sizeof(rn->name), "%s", s->ns[i].name);
		snprintf(rn->node, sizeof(rn->node), "%s", s->ns[i].node);
		rn->state = REPORT_NS_UNCHANGED;
	}
	r->recalled = s->n;
	return r;
}

/* Did R find every namespace as declared, and nothing to say? */
static bool
seal_report_clean(const struct report *r)
{
	if (r == NULL || r->err != 0 || !r->converged || r->changes != 0 ||
	    r->failed != 0 || r->n_list != 0 || r->host[0] != '\0')
		return false;
	for (size_t i = 0; i < r->n_ns; i++) {
		const struct report_ns	*rn = &r->ns[i];

		if (rn->state != REPORT_NS_UNCHANGED || rn->n_foreign != 0 ||
		    rn->n_procs != 0 || rn->error != NULL)
			return false;
	}
	return true;
}

/* PN as the pass read it, whole and by itself, into E (its keys at
 * KEYS): false where it was not found as declared, or not so (settled,
 * a far end only, not read). Its foreign objects are the report's by
 * now: seal_report_clean looks at them there. */
static bool
seal_ns_of(const struct pass_ns *pn, struct seal_ns *e, const char **keys)
{
	const struct ks_ns	*h = &pn->have;

	if (!pass_ns_as_declared(pn) || pn->settled || pn->peer_only ||
	    !pn->observed || pn->ino == 0 || pn->node[0] == '\0' ||
	    !h->exists)
		return false;
	for (size_t k = 0; k < h->n_sysctls; k++)
		keys[k] = h->sysctls[k].key;
	*e = (struct seal_ns){
		.name = pn->name,
		.node = pn->node,
		.ino = pn->ino,
		.kinds = h->kinds,
		.qdiscs = h->n_qdiscs > 0,
		.keys = keys,
		.n_keys = h->n_sysctls,
		.digest = ks_ns_digest(h),
	};
	return true;
}

/* P's namespaces, as P read them, sealed under TEXT_DIGEST: 0 or
 * -errno. */
static int
seal_save(const struct pass *p, const char *text_digest)
{
	struct seal_ns	 *ns;
	const char	**keys;
	size_t		  n_keys = 0, at = 0;
	char		 *buf;
	size_t		  len;
	int		  rv = -EINVAL;

	for (size_t i = 0; i < p->n_ns; i++)
		n_keys += p->ns[i].have.n_sysctls;
	ns = calloc(p->n_ns + 1, sizeof(*ns));
	keys = calloc(n_keys + 1, sizeof(*keys));
	if (ns == NULL || keys == NULL) {
		rv = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < p->n_ns; i++) {
		if (!seal_ns_of(&p->ns[i], &ns[i], keys + at))
			goto out;
		at += ns[i].n_keys;
	}
	if ((rv = seal_format(text_digest, ns, p->n_ns, &buf, &len)) == 0) {
		/* A cache, as the tree is: lost, and the pass runs. */
		rv = state_save_extra_cache(p->lab, STATE_SEAL, buf, len);
		free(buf);
	}
out:
	free(ns);
	free(keys);
	return rv;
}

void
seal_keep(const struct pass *p, const struct report *r,
    const char *text_digest)
{
	if (!seal_report_clean(r) || r->n_ns != p->n_ns || p->n_ns == 0 ||
	    seal_save(p, text_digest) < 0)
		(void)state_remove_extra(p->lab, STATE_SEAL);
}
