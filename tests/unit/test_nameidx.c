/*
 * test_nameidx: the index by name the watch finds its namespaces with
 * (util/keyidx.c), over an array kept as the watch keeps its own:
 * appended to, an entry removed by moving the last into its place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/keyidx.h"

#define N	3000

static char	names[N][16];
static size_t	n;

static const char *
name_at(const struct nameidx *x, size_t i)
{
	(void)x;
	return names[i];
}

/* Every name in the array is found where it is; GONE ones are not. */
static int
consistent(const struct nameidx *x, size_t gone_from, size_t gone_to)
{
	char	 name[16];

	for (size_t i = 0; i < n; i++)
		if (nameidx_find(x, names[i]) != (ssize_t)i)
			return 0;
	for (size_t k = gone_from; k < gone_to; k++) {
		snprintf(name, sizeof(name), "lab-r%zu", k);
		if (nameidx_find(x, name) >= 0)
			return 0;
	}
	return x->k.n == n;
}

/* Remove the entry named NAME as watch_ns_del does. */
static void
remove_name(struct nameidx *x, const char *name)
{
	ssize_t	 i = nameidx_find(x, name);

	CHECK(i >= 0);
	nameidx_drop(x, name);
	memcpy(names[i], names[--n], sizeof(names[i]));
	if ((size_t)i != n)
		CHECK_INTEQ(nameidx_put(x, names[i], (size_t)i), 0);
}

static void
test_add_find_remove(void)
{
	struct nameidx	 x;
	char		 name[16];

	nameidx_init(&x, name_at);
	CHECK_INTEQ(nameidx_find(&x, "none"), -1);
	nameidx_drop(&x, "none");		/* an empty index */
	for (n = 0; n < N; n++) {
		snprintf(names[n], sizeof(names[n]), "lab-r%zu", n);
		CHECK_INTEQ(nameidx_put(&x, names[n], n), 0);
	}
	CHECK(consistent(&x, 0, 0));
	CHECK(x.k.cap >= 2 * N && (x.k.cap & (x.k.cap - 1)) == 0);
	/* Again under the same name: the same entry, moved. */
	CHECK_INTEQ(nameidx_put(&x, names[7], 7), 0);
	CHECK_INTEQ(x.k.n, N);
	/* Every other one goes, from the middle out (holes in every run
	 * of the table), then the first thousand. */
	for (size_t k = N / 2; k < N; k += 2) {
		snprintf(name, sizeof(name), "lab-r%zu", k);
		remove_name(&x, name);
	}
	for (size_t k = 0; k < 1000; k++) {
		snprintf(name, sizeof(name), "lab-r%zu", k);
		remove_name(&x, name);
	}
	CHECK(consistent(&x, 0, 1000));
	CHECK_INTEQ(n, N - 1000 - N / 4);
	/* A name gone can come back. */
	snprintf(names[n], sizeof(names[n]), "lab-r%d", 5);
	CHECK_INTEQ(nameidx_put(&x, names[n], n), 0);
	n++;
	CHECK(consistent(&x, 0, 5));
	while (n > 0)
		remove_name(&x, names[n - 1]);
	CHECK_INTEQ(x.k.n, 0);
	for (size_t s = 0; s < x.k.cap; s++)
		CHECK_INTEQ(x.k.slot[s], 0);
	nameidx_free(&x);
}

int
main(void)
{
	RUN(test_add_find_remove);
	return CHECK_DONE();
}
