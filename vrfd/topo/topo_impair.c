/*
 * topo_impair: the values of `impair:` keys, in the units tc writes them,
 * and how the impairments declared at a link, at one of its ends and at
 * an interface make the one of an end.
 *
 *   rate                    bit, kbit, mbit, gbit, tbit (1000s, as tc),
 *                           from 1kbit
 *   burst, limit            b, kb, mb, gb (1024s, as tc); a bare number
 *                           is bytes
 *   delay, jitter           s, ms, us
 *   loss, duplicate,        a percentage: 0% to 100%
 *   corrupt, reorder
 *
 * Numbers may have a fraction ("1.5mbit", "0.5ms", "0.1%"). Units are
 * read as tc reads them, whatever their case; none but these: tc reads
 * "mbps" as megabytes a second, which is too easy to get wrong.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "topo.h"

struct topo_impair_unit {
	const char	*name;
	uint64_t	 scale;
};

static const struct topo_impair_unit topo_impair_rates[] = {
	{ "bit", 1 }, { "kbit", 1000 }, { "mbit", 1000000 },
	{ "gbit", 1000000000 }, { "tbit", 1000000000000ULL }, { NULL, 0 },
};
static const struct topo_impair_unit topo_impair_sizes[] = {
	{ "", 1 }, { "b", 1 }, { "kb", 1024 }, { "mb", 1024 * 1024 },
	{ "gb", 1024 * 1024 * 1024 }, { NULL, 0 },
};
static const struct topo_impair_unit topo_impair_times[] = {
	{ "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 }, { NULL, 0 },
};
static const struct topo_impair_unit topo_impair_percent[] = {
	{ "%", 1 }, { NULL, 0 },
};

static const char *const topo_impair_keys[TOPO_IMP_N] = {
	[TOPO_IMP_RATE] = "rate", [TOPO_IMP_BURST] = "burst",
	[TOPO_IMP_LIMIT] = "limit", [TOPO_IMP_DELAY] = "delay",
	[TOPO_IMP_JITTER] = "jitter", [TOPO_IMP_LOSS] = "loss",
	[TOPO_IMP_DUPLICATE] = "duplicate", [TOPO_IMP_CORRUPT] = "corrupt",
	[TOPO_IMP_REORDER] = "reorder",
};

/* The most: a rate of 1 Tbit/s, what a u32 of bytes holds, a minute. */
#define TOPO_IMPAIR_RATE_MAX	1000000000000ULL
#define TOPO_IMPAIR_SIZE_MAX	UINT32_MAX
#define TOPO_IMPAIR_TIME_MAX	(60ULL * 1000000000)

/* X (>= 0) to the nearest whole, a half to even, as rint() does: no libm
 * for one rounding. */
static uint64_t
topo_impair_rint(double x)
{
	uint64_t	 i = (uint64_t)x;
	double		 frac = x - (double)i;

	if (frac > 0.5 || (frac == 0.5 && (i & 1)))
		i++;
	return i;
}

const char *
topo_impair_key(enum topo_imp_key k)
{
	return (unsigned)k < TOPO_IMP_N ? topo_impair_keys[k] : NULL;
}

/*
 * "DIGITS[.DIGITS]UNIT" with UNIT one of UNITS: the number as MANT /
 * 10^DEC and the unit's scale. No sign, no exponent, no leading zero
 * before more digits (YAML readers take those for octal).
 */
static int
topo_impair_number(const char *s, const struct topo_impair_unit *units,
    uint64_t *mant, unsigned *dec, uint64_t *scale)
{
	const char	*p = s;
	bool		 digits = false;

	*mant = 0;
	*dec = 0;
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++, digits = true) {
		if (*mant > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		*mant = *mant * 10 + (uint64_t)(*p - '0');
	}
	if (!digits)
		return -EINVAL;
	if (*p == '.') {
		digits = false;
		for (p++; *p >= '0' && *p <= '9'; p++, digits = true) {
			if (*mant > (UINT64_MAX - 9) / 10 || *dec >= 18)
				return -ERANGE;
			*mant = *mant * 10 + (uint64_t)(*p - '0');
			(*dec)++;
		}
		if (!digits)
			return -EINVAL;
	}
	for (; units->name != NULL; units++)
		if (strcasecmp(p, units->name) == 0) {
			*scale = units->scale;
			return 0;
		}
	return -EINVAL;
}

/* MANT / 10^DEC * SCALE, rounded to the nearest whole; -ERANGE over MAX. */
static int
topo_impair_scaled(uint64_t mant, unsigned dec, uint64_t scale, uint64_t max,
    uint64_t *v)
{
	uint64_t	 div = 1;

	for (unsigned i = 0; i < dec; i++)
		div *= 10;
	/* Exact where it can be: the whole part, then the fraction. */
	if (mant / div > max / scale)
		return -ERANGE;
	*v = mant / div * scale;
	*v += topo_impair_rint((double)(mant % div) * (double)scale /
	    (double)div);
	return *v > max ? -ERANGE : 0;
}

int
topo_impair_parse(enum topo_imp_key k, const char *text, uint64_t *v)
{
	uint64_t	 mant, scale;
	unsigned	 dec;
	double		 pct;
	int		 rv;

	switch (k) {
	case TOPO_IMP_RATE:
		if ((rv = topo_impair_number(text, topo_impair_rates, &mant,
		    &dec, &scale)) < 0 || (rv = topo_impair_scaled(mant, dec,
		    scale, TOPO_IMPAIR_RATE_MAX, v)) < 0)
			return rv;
		/* Slower, and a bucket of a few frames takes minutes. */
		return *v < 1000 ? -ERANGE : 0;
	case TOPO_IMP_BURST:
	case TOPO_IMP_LIMIT:
		if ((rv = topo_impair_number(text, topo_impair_sizes, &mant,
		    &dec, &scale)) < 0 || (rv = topo_impair_scaled(mant, dec,
		    scale, TOPO_IMPAIR_SIZE_MAX, v)) < 0)
			return rv;
		return *v == 0 ? -ERANGE : 0;
	case TOPO_IMP_DELAY:
	case TOPO_IMP_JITTER:
		/* Whole microseconds: what tc and netem keep. */
		if ((rv = topo_impair_number(text, topo_impair_times, &mant,
		    &dec, &scale)) < 0 || (rv = topo_impair_scaled(mant, dec,
		    scale / 1000, TOPO_IMPAIR_TIME_MAX / 1000, v)) < 0)
			return rv;
		*v *= 1000;
		return 0;
	case TOPO_IMP_LOSS:
	case TOPO_IMP_DUPLICATE:
	case TOPO_IMP_CORRUPT:
	case TOPO_IMP_REORDER:
		if ((rv = topo_impair_number(text, topo_impair_percent, &mant,
		    &dec, &scale)) < 0)
			return rv;
		pct = (double)mant;
		for (unsigned i = 0; i < dec; i++)
			pct /= 10;
		if (pct > 100)
			return -ERANGE;
		/* As tc makes a probability of it (q_netem.c). */
		*v = topo_impair_rint(pct / 100 * UINT32_MAX);
		return 0;
	case TOPO_IMP_N:
		break;
	}
	return -EINVAL;
}

void
topo_impair_merge(struct topo_impair *base, const struct topo_impair *over)
{
	for (int k = 0; k < TOPO_IMP_N; k++)
		if (over->set & (1u << k)) {
			base->v[k] = over->v[k];
			base->at[k] = over->at[k];
			base->set |= 1u << k;
		}
}
