/*
 * prefetch: a lab's namespaces read ahead of its pass (see prefetch.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kdigest.h"
#include "kernel/kstate.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "memory.h"
#include "observe.h"
#include "prefetch.h"
#include "report.h"
#include "seal.h"
#include "util/parallel.h"

/* One namespace named after the lab, as read (READ false: not yet). */
struct prefetch_ns {
	char			*name;
	const struct seal_ns	*sealed;	/* its place in the lab's seal */
	uint64_t		 ino;
	uint64_t		 keys;		/* of the sysctls read */
	uint64_t		 digest;	/* of what was read, if SEALED */
	bool			 read;
	struct ks_ns		 have;
};

struct prefetch {
	pthread_t		 thread;
	struct parallel_apart	 apart;		/* this thread and it */
	struct prefetch_ns	*v;		/* by name, sorted */
	size_t			 n;
	size_t			 next;		/* to read: parallel_take */
	bool			 stop;		/* atomic */
	struct seal		 seal;		/* the lab's, if it has one */
	struct pass_memory	 memory;
};

/* The sysctl read ahead, though the declaration is not known yet: a
 * lab's forwarding, by netconf, which most labs declare (`defaults:`)
 * and only it. A pass that reads these keys, and only them, takes them
 * as read here; any other, it reads again. */
static const char *const prefetch_keys[] = { "net.ipv4.ip_forward" };
#define PREFETCH_N_KEYS	(sizeof(prefetch_keys) / sizeof(prefetch_keys[0]))

/* The key to sysctls KEYS, N of them, as a pass reads them. */
static uint64_t
prefetch_keys_of(const char *const *keys, size_t n)
{
	uint64_t	 h = OBSERVE_KEYS_NONE;

	for (size_t k = 0; k < n; k++)
		h = observe_keys_add(h, keys[k]);
	return h;
}

/*
 * NS read as the pass that sealed the lab read it, where it did; else as
 * a pass reads it, but the sysctls other than prefetch_keys: its links'
 * qdiscs too, declared or not, and the kinds of object its mark holds
 * (the declaration is not known yet: the pass reads what it adds).
 */
static void
prefetch_one(struct prefetch_ns *e, int *home)
{
	const struct seal_ns	*s = e->sealed;
	const char *const	*keys = s ? s->keys : prefetch_keys;
	size_t			 n_keys = s ? s->n_keys : PREFETCH_N_KEYS;
	struct nl_sock		*sock;
	int			 fd;

	if ((fd = netns_open(e->name)) < 0)
		return;
	if ((*home < 0 ? netns_enter(fd, home) : netns_switch(fd)) == 0 &&
	    (sock = nl_open(-1)) != NULL) {
		snprintf(e->have.name, sizeof(e->have.name), "%s", e->name);
		if (observe_ns(sock, -1, keys, n_keys, s ? s->qdiscs : true,
		    s ? s->kinds : 0, &e->have) == 0) {
			e->ino = netns_id_fd(fd);
			e->keys = prefetch_keys_of(keys, n_keys);
			e->digest = s ? ks_ns_digest(&e->have) : 0;
			e->read = true;
		} else
			ks_ns_clear(&e->have);
		nl_close(sock);
	}
	close(fd);
}

/* Read what is left to read, on this thread, until told to stop. */
static void
prefetch_read(struct prefetch *pf)
{
	int	 home = -1;
	size_t	 i;

	while (!__atomic_load_n(&pf->stop, __ATOMIC_ACQUIRE) &&
	    (i = parallel_take(&pf->next)) < pf->n)
		prefetch_one(&pf->v[i], &home);
	if (home >= 0)
		(void)netns_leave(home);
}

static void *
prefetch_main(void *arg)
{
	prefetch_read(arg);
	return NULL;
}

static int
prefetch_ns_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct prefetch_ns *)e)->name);
}

static struct prefetch_ns *
prefetch_find(struct prefetch *pf, const char *name)
{
	return bsearch(name, pf->v, pf->n, sizeof(*pf->v), prefetch_ns_cmp);
}

/* Nothing it read changes under a ticket: no events are heard here. */
static uint64_t
prefetch_ticket(void *arg, const char *ns)
{
	(void)arg;
	(void)ns;
	return 0;
}

/* NS as read ahead, if it is still namespace INO: its sysctls to be read
 * again, but where the pass reads the keys read here (KEYS,
 * observe_keys_add) and no other. */
static bool
prefetch_recall(void *arg, const char *ns, uint64_t ino, uint64_t keys,
    struct ks_ns *have, uint64_t *ticket, unsigned *stale)
{
	struct prefetch		*pf = arg;
	struct prefetch_ns	*e = prefetch_find(pf, ns);

	if (e == NULL || !e->read)
		return false;
	e->read = false;
	if (e->ino != ino) {
		ks_ns_clear(&e->have);
		return false;
	}
	*have = e->have;
	memset(&e->have, 0, sizeof(e->have));
	*ticket = 0;
	*stale = 0;
	if (keys != e->keys) {
		free(have->sysctls);
		have->sysctls = NULL;
		have->n_sysctls = 0;
		*stale = OBSERVE_SYSCTLS;
	}
	return true;
}

static void
prefetch_reading(void *arg)
{
	prefetch_stop(arg);
}

struct prefetch *
prefetch_start(const char *lab)
{
	struct prefetch	*pf;
	char		**names;
	size_t		  n, len = strlen(lab);

	if ((pf = calloc(1, sizeof(*pf))) == NULL)
		return NULL;
	if (netns_list(&names, &n) < 0) {
		free(pf);
		return NULL;
	}
	if ((pf->v = calloc(n + 1, sizeof(*pf->v))) == NULL) {
		netns_list_free(names, n);
		free(pf);
		return NULL;
	}
	/* The list is sorted: so is what is kept of it. */
	for (size_t i = 0; i < n; i++) {
		if (strncmp(names[i], lab, len) == 0 && names[i][len] == '-') {
			pf->v[pf->n++].name = names[i];
			names[i] = NULL;
		}
	}
	netns_list_free(names, n);
	pf->memory.arg = pf;
	pf->memory.ticket = prefetch_ticket;
	pf->memory.recall = prefetch_recall;
	pf->memory.reading = prefetch_reading;
	/* How the lab was read when it was sealed: so again. */
	if (seal_load(lab, &pf->seal) == 0)
		for (size_t i = 0; i < pf->n; i++)
			pf->v[i].sealed = seal_find(&pf->seal, pf->v[i].name);
	if (pf->n == 0 ||
	    parallel_thread_apart(&pf->thread, prefetch_main, pf,
	    &pf->apart) != 0) {
		pf->stop = true;	/* no thread to wait for */
		prefetch_free(pf);
		return NULL;
	}
	return pf;
}

void
prefetch_stop(struct prefetch *pf)
{
	if (pf == NULL || pf->stop)
		return;
	__atomic_store_n(&pf->stop, true, __ATOMIC_RELEASE);
	pthread_join(pf->thread, NULL);
	parallel_together(&pf->apart);
}

const struct pass_memory *
prefetch_memory(struct prefetch *pf)
{
	return pf ? &pf->memory : NULL;
}

void
prefetch_free(struct prefetch *pf)
{
	if (pf == NULL)
		return;
	prefetch_stop(pf);
	for (size_t i = 0; i < pf->n; i++) {
		free(pf->v[i].name);
		ks_ns_clear(&pf->v[i].have);
	}
	free(pf->v);
	seal_free(&pf->seal);
	free(pf);
}

/* Is each namespace named after the lab one of its seal's, and does it
 * read as it did then? */
static bool
prefetch_as_sealed(const struct prefetch *pf)
{
	if (pf->n != pf->seal.n)
		return false;
	for (size_t i = 0; i < pf->n; i++) {
		const struct prefetch_ns	*e = &pf->v[i];

		if (e->sealed == NULL || !e->read || e->ino != e->sealed->ino ||
		    e->digest != e->sealed->digest)
			return false;
	}
	return true;
}

struct report *
prefetch_answer(struct prefetch *pf, const char *lab,
    const char *text_digest)
{
	if (pf == NULL || pf->seal.n == 0 ||
	    strcmp(pf->seal.text, text_digest) != 0)
		return NULL;
	/* All of it now, on this thread too. */
	prefetch_read(pf);
	prefetch_stop(pf);
	return prefetch_as_sealed(pf) ? seal_report(&pf->seal, lab) : NULL;
}
