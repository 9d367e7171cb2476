/*
 * yreparse: a topology's text parsed again by the parts that changed.
 *
 * A topology of thousands of routers is one long map of routers and one
 * long list of links, and an apply of it again differs from the last in
 * a few of their entries: one link added, one router changed. libyaml
 * reads every byte of it each time (some 20 ms for 1 MB). Here the text
 * is cut where block style puts its parts, at lines: each top-level key
 * (a line at column 0), and, where its value is a block map or list on
 * the lines under it, each entry (a line at the entries' indentation).
 * A part whose text the old text has too is taken from the old tree:
 * a map's entry that has not moved is lent (the new tree has the old
 * tree's nodes, and holds it), others are copied (their lines moved);
 * only the parts not there before are parsed, each on its own.
 *
 * The old text itself is not kept: a tree keeps its text's cut (each
 * part's line, length and 64-bit hash; its keys are the tree's own), and
 * a part of the new text with the length and hash of an old one is that
 * one, as vrfctl's digest of a whole text already is (state.h).
 *
 * What makes this the tree ytree_parse would give:
 *  - the old text is cut the same way, and each of its parts must start
 *    where the old tree says its key or item does, so a cut that YAML
 *    would not make is found out and nothing is reused;
 *  - a text with anchors, aliases or merge keys (a part may then depend
 *    on another), tabs, CRs, directives or document markers, a key that
 *    is not a plain word, is not cut at all;
 *  - a part parsed alone must give one key (one item), with no
 *    diagnostic: otherwise, and for duplicate keys, the whole text is
 *    parsed, which says what is wrong and where.
 * On any doubt: NULL and errno EAGAIN, and the caller parses it all.
 * The old tree must have been made without a diagnostic (a duplicate key
 * dropped from it would not be reported again).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "yarena.h"
#include "ytree.h"
#include "ytree_priv.h"
#include "util/keyidx.h"

/* More top-level keys than this: not a topology; parsed whole. */
#define YR_MAX_SECTIONS	64

/* Lines of the text: a top-level key's, or an entry's of its value. */
struct yr_part {
	const char	*text;		/* NULL in a kept cut */
	size_t		 len;
	uint64_t	 hash;		/* ytree_text_hash of the text */
	unsigned	 line;		/* 1-based, of its first line */
	const char	*key;		/* a key's text (in a kept cut, the
					   tree's); NULL: a list item */
	size_t		 key_len;
	long		 shift;		/* its line less its nodes' (a map's
					   entry lent where it was) */
};

struct yr_section {
	struct yr_part	 whole;		/* its key's line and all below */
	size_t		 first_len;	/* its key's line alone */
	uint64_t	 first_hash;
	bool		 block;		/* its value: entries below it */
	bool		 seq;		/* ... a list's items, else a map's */
	unsigned	 indent;	/* of the entries */
	struct yr_part	*ent;
	size_t		 n_ent, cap_ent;
};

struct yr_split {
	struct yr_section sec[YR_MAX_SECTIONS];
	size_t		 n_sec;
};

struct yr_ctx {
	const char		*file;
	struct ytree_doc	*doc;
	size_t			 n_nodes;
	size_t			 n_stale;	/* ytree_doc's */
	const struct ytree_doc	*old;		/* the old tree's */
	struct ytree_doc	*lender;	/* whose nodes may be lent:
						   the old tree's or its
						   lender; NULL: none */
	bool			 moved;		/* lend what moved too */
	bool			 lent;		/* some were */
	bool			 shifted;	/* ytree_doc's */
	bool			 fail;		/* EAGAIN or ENOMEM below */
	int			 err;
};

static bool
yr_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	    c == '/';
}

/* A plain key at P ("name:" then a space or the end of the line): its
 * length, 0 if none; *REST: what follows the colon. */
static size_t
yr_key(const char *p, const char *end, const char **rest)
{
	const char	*q = p;

	while (q < end && yr_word_char(*q))
		q++;
	if (q == p || q >= end || *q != ':' ||
	    (q + 1 < end && q[1] != ' ' && q[1] != '\n'))
		return 0;
	*rest = q + 1;
	return (size_t)(q - p);
}

/* Nothing on the line but spaces and a comment? (After a key's colon:
 * its value is on the lines below.) */
static bool
yr_blank(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p >= end || *p == '\n' || *p == '#';
}

static void
yr_split_free(struct yr_split *s)
{
	for (size_t i = 0; i < s->n_sec; i++)
		free(s->sec[i].ent);
}

void
yr_cut_free(struct yr_split *s)
{
	if (s == NULL)
		return;
	yr_split_free(s);
	free(s);
}

/* The bytes, 0x80 in each, that are zero in W. */
#define YR_ONES		0x0101010101010101ULL
#define YR_HIGHS	0x8080808080808080ULL
#define YR_ZEROS(w)	(~((((w) & ~YR_HIGHS) + ~YR_HIGHS) | (w) | ~YR_HIGHS))

/* The UTF-8 character at P (before END), if libyaml's reader takes it and
 * sees no line break in it: its length; else 0.  The reader refuses what
 * is not UTF-8, an overlong form, a surrogate and a character that is not
 * printable; NEL, LS and PS break a line for it, which the cut (by '\n')
 * would not see, and a BOM is read as one. */
static size_t
yr_char(const unsigned char *p, const unsigned char *end)
{
	uint32_t	 cp;
	size_t		 n;

	if (*p < 0x80)
		return *p == '\n' || (*p >= 0x20 && *p < 0x7f);
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2, cp = *p & 0x1f;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3, cp = *p & 0x0f;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4, cp = *p & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp < 0xa0 || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* Is every character one libyaml reads as it stands?  Eight bytes at a
 * time while they are printable ASCII or '\n' (nearly all of a topology);
 * a word with any other byte is read character by character. */
static bool
yr_chars_ok(const char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)buf, *end = p + len;
	uint64_t		 w, ctl;
	size_t			 n;

	while (p < end) {
		if (end - p >= 8) {
			memcpy(&w, p, 8);
			/* below 0x20: bits 5, 6 and 7 clear */
			ctl = ~(w | w << 1 | w << 2) & YR_HIGHS;
			ctl &= ~YR_ZEROS(w ^ YR_ONES * '\n');
			if ((ctl | YR_ZEROS(w ^ YR_ONES * 0x7f) |
			    (w & YR_HIGHS)) == 0) {
				p += 8;
				continue;
			}
		}
		for (const unsigned char *stop = p + 8; p < end && p < stop;
		    p += n)
			if ((n = yr_char(p, end)) == 0)
				return false;
	}
	return true;
}

/* The characters that rule a text out, whatever the lines: a search
 * for each (memchr's vector loop) is many times faster than one loop
 * over the bytes that asks for all. */
static bool
yr_text_ok(const char *buf, size_t len)
{
	static const char	 bad[] = { '\t', '\r', '\0', '&', '*' };
	const char		*p, *end = buf + len;

	for (size_t i = 0; i < sizeof(bad); i++)
		if (memchr(buf, bad[i], len) != NULL)
			return false;
	for (p = buf; (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++)
		if (p + 1 < end && p[1] == '<')
			return false;
	/* An explicit key ("? k"): a value left out of it is an empty node
	 * that libyaml puts where the next token starts, in a part of its
	 * own at the part's end instead. */
	for (p = buf; (p = memchr(p, '?', (size_t)(end - p))) != NULL; p++)
		if (p + 1 == end || p[1] == ' ' || p[1] == '\n')
			return false;
	return yr_chars_ok(buf, len);
}

static int
yr_entry_add(struct yr_section *s, const char *p, unsigned line,
    const char *key, size_t key_len)
{
	struct yr_part	*v;

	if (s->n_ent == s->cap_ent) {
		s->cap_ent = s->cap_ent ? 2 * s->cap_ent : 16;
		if ((v = reallocarray(s->ent, s->cap_ent, sizeof(*v))) ==
		    NULL)
			return -ENOMEM;
		s->ent = v;
	}
	v = &s->ent[s->n_ent++];
	v->text = p;
	v->len = 0;
	v->line = line;
	v->key = key;
	v->key_len = key_len;
	v->shift = 0;
	return 0;
}

/* A body line of section S (not blank, not at column 0 unless a list
 * item there), indented by IND: an entry starts, or goes on. */
static int
yr_body_line(struct yr_section *s, const char *p, const char *end,
    unsigned ind, unsigned line)
{
	const char	*q = p + ind, *rest;
	bool		 dash = q < end && *q == '-' &&
			    (q + 1 >= end || q[1] == ' ' || q[1] == '\n');
	size_t		 klen;

	if (s->n_ent == 0) {
		/* The first line says what the entries are. */
		s->indent = ind;
		s->seq = dash;
		if (!dash && ind == 0)
			return -EAGAIN;
	}
	if (ind > s->indent)
		return 0;
	if (ind < s->indent)
		return -EAGAIN;
	if (s->seq) {
		if (!dash)
			return -EAGAIN;
		return yr_entry_add(s, p, line, NULL, 0);
	}
	if ((klen = yr_key(q, end, &rest)) == 0)
		return -EAGAIN;
	return yr_entry_add(s, p, line, q, klen);
}

/* Close the section that ends at P (the start of the next one's line):
 * each of its entries ends where the next starts. */
static void
yr_close(struct yr_split *sp, const char *p)
{
	struct yr_section	*s;
	const char		*eol;

	if (sp->n_sec == 0)
		return;
	s = &sp->sec[sp->n_sec - 1];
	s->whole.len = (size_t)(p - s->whole.text);
	s->whole.hash = ytree_text_hash(s->whole.text, s->whole.len);
	eol = memchr(s->whole.text, '\n', s->whole.len);
	s->first_len = eol ? (size_t)(eol - s->whole.text) : s->whole.len;
	s->first_hash = ytree_text_hash(s->whole.text, s->first_len);
	for (size_t k = 0; k < s->n_ent; k++) {
		struct yr_part	*e = &s->ent[k];

		e->len = (size_t)((k + 1 < s->n_ent ? s->ent[k + 1].text : p) -
		    e->text);
		e->hash = ytree_text_hash(e->text, e->len);
	}
	/* A key with nothing under it is null: a part of its own. */
	if (s->n_ent == 0)
		s->block = false;
}

/* Cut BUF into its sections and their entries. 0, -EAGAIN, -ENOMEM. */
static int
yr_split(const char *buf, size_t len, struct yr_split *sp)
{
	const char	*p = buf, *end = buf + len, *eol, *rest;
	unsigned	 line = 1;
	size_t		 klen;
	int		 rv;

	memset(sp, 0, sizeof(*sp));
	if (!yr_text_ok(buf, len))
		return -EAGAIN;
	for (; p < end; p = eol + 1, line++) {
		struct yr_section	*s = sp->n_sec ?
					    &sp->sec[sp->n_sec - 1] : NULL;
		unsigned		 ind = 0;

		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (yr_blank(p, eol))
			continue;	/* in the part it follows */
		if (*p == '%' || (eol - p >= 3 && (memcmp(p, "---", 3) == 0 ||
		    memcmp(p, "...", 3) == 0)))
			return -EAGAIN;
		while (p + ind < eol && p[ind] == ' ')
			ind++;
		if (ind > 0 || *p == '-') {
			/* Under a key whose value is below it. */
			if (s == NULL || !s->block)
				return -EAGAIN;
			if ((rv = yr_body_line(s, p, eol, ind, line)) < 0)
				return rv;
			continue;
		}
		/* A new top-level key. */
		if ((klen = yr_key(p, eol, &rest)) == 0 ||
		    sp->n_sec == YR_MAX_SECTIONS)
			return -EAGAIN;
		yr_close(sp, p);
		s = &sp->sec[sp->n_sec++];
		s->whole.text = p;
		s->whole.line = line;
		s->whole.key = p;
		s->whole.key_len = klen;
		s->block = yr_blank(rest, eol);
	}
	yr_close(sp, end);
	return 0;
}

/* Does the old tree OLD start each part of SP where SP cuts it? */
static bool
yr_matches(const struct yr_split *sp, const struct ynode *old)
{
	if (old->type != YNODE_MAP || old->n != sp->n_sec || sp->n_sec == 0 ||
	    old->line != sp->sec[0].whole.line || old->col != 1)
		return false;
	for (size_t i = 0; i < sp->n_sec; i++) {
		const struct yr_section	*s = &sp->sec[i];
		const struct ynode	*k = ynode_keys(old)[i];
		const struct ynode	*v = old->items[i];

		if (k->line != s->whole.line || k->col != 1 ||
		    strlen(k->scalar) != s->whole.key_len ||
		    memcmp(k->scalar, s->whole.key, s->whole.key_len) != 0)
			return false;
		if (!s->block)
			continue;
		if (v->type != (s->seq ? YNODE_SEQ : YNODE_MAP) ||
		    v->n != s->n_ent || v->line != s->ent[0].line ||
		    v->col != s->indent + 1)
			return false;
		for (size_t e = 0; e < s->n_ent; e++) {
			const struct yr_part	*pe = &s->ent[e];
			const struct ynode	*n = s->seq ? v->items[e] :
						    ynode_keys(v)[e];

			if ((long)n->line + pe->shift != (long)pe->line)
				return false;
			if (!s->seq && (n->col != s->indent + 1 ||
			    strlen(n->scalar) != pe->key_len ||
			    memcmp(n->scalar, pe->key, pe->key_len) != 0))
				return false;
		}
	}
	return true;
}

/* The same text: of one length and one hash (either may be a cut's). */
static bool
yr_same(const struct yr_part *a, const struct yr_part *b)
{
	return a->len == b->len && a->hash == b->hash;
}

/* SP, the cut of ROOT's text, kept without the text: its keys become
 * the tree's. */
static void
yr_seal(struct yr_split *sp, const struct ynode *root)
{
	for (size_t i = 0; i < sp->n_sec; i++) {
		struct yr_section	*s = &sp->sec[i];
		const struct ynode	*v = root->items[i];

		s->whole.text = NULL;
		s->whole.key = ynode_keys(root)[i]->scalar;
		for (size_t e = 0; s->block && e < s->n_ent; e++) {
			s->ent[e].text = NULL;
			if (!s->seq)
				s->ent[e].key = ynode_keys(v)[e]->scalar;
		}
	}
}

/* ---- the new tree -------------------------------------------------- */

static struct ynode *
yr_node(struct yr_ctx *c)
{
	struct ynode	*n;

	if (++c->n_nodes > YTREE_MAX_NODES) {
		c->fail = true;
		c->err = EAGAIN;	/* ytree_parse says it is too big */
		return NULL;
	}
	if ((n = yarena_alloc(&c->doc->mem, sizeof(*n),
	    _Alignof(struct ynode))) == NULL) {
		c->fail = true;
		c->err = ENOMEM;
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	return n;
}

/* The block for N children of N (a map's keys after room for its values,
 * ynode_keys). */
static bool
yr_children(struct yr_ctx *c, struct ynode *n, size_t count)
{
	n->n = count;
	if (count == 0)
		return true;
	if ((n->items = yarena_alloc(&c->doc->mem, (n->type == YNODE_MAP ?
	    ynode_room(n->n) + count : count) * sizeof(*n->items),
	    _Alignof(struct ynode *))) == NULL) {
		c->fail = true;
		c->err = ENOMEM;
		return false;
	}
	return true;
}

/* A copy of SRC (of another tree) in the new one, DELTA lines further
 * down, in PARENT. */
static struct ynode *
yr_graft(struct yr_ctx *c, const struct ynode *src, const struct ynode *parent,
    long delta)
{
	struct ynode	*n;

	if ((n = yr_node(c)) == NULL)
		return NULL;
	n->type = src->type;
	n->line = (unsigned)((long)src->line + delta);
	n->col = src->col;
	n->quoted = src->quoted;
	if (src->type == YNODE_SCALAR &&
	    (n->scalar = yarena_strndup(&c->doc->mem, src->scalar,
	    strlen(src->scalar))) == NULL) {
		c->fail = true;
		c->err = ENOMEM;
		return NULL;
	}
	ynode_place(n, parent);
	if (!yr_children(c, n, src->n))
		return NULL;
	for (size_t i = 0; i < src->n; i++) {
		if (src->type == YNODE_MAP && (ynode_keys(n)[i] = yr_graft(c,
		    ynode_keys(src)[i], n, delta)) == NULL)
			return NULL;
		if ((n->items[i] = yr_graft(c, src->items[i], n, delta)) ==
		    NULL)
			return NULL;
	}
	return n;
}

/* May the new tree have the old tree's node SRC itself? If it is the
 * lender's: a lender's nodes are its own, and never change. */
static bool
yr_lendable(const struct yr_ctx *c, const struct ynode *src)
{
	return c->lender != NULL && (c->lender == c->old ||
	    !yarena_owns(&c->old->mem, src));
}

/*
 * Entry O of the old tree's map OLD as entry E of the new tree's map V,
 * MOVE lines further down than its nodes say: lent when it can be (where
 * it stayed, or with C->moved wherever), the nodes themselves under their
 * old parent, which is where their path goes and is the same (the map's
 * key, and the map's own, are the same text); otherwise copied. A list's
 * items are always copied: their paths go by index, and a link's is
 * checked to be in the links of its tree (topo_source.c).
 */
static void
yr_take(struct yr_ctx *c, const struct ynode *old, size_t o, struct ynode *v,
    size_t e, struct yr_part *p, long move)
{
	const struct ynode	*k = ynode_keys(old)[o], *val = old->items[o];

	if ((move == 0 || c->moved) && yr_lendable(c, k) &&
	    yr_lendable(c, val)) {
		ynode_keys(v)[e] = (struct ynode *)(uintptr_t)k;
		v->items[e] = (struct ynode *)(uintptr_t)val;
		p->shift = move;
		c->lent = true;
		c->shifted |= move != 0;
		return;
	}
	if ((ynode_keys(v)[e] = yr_graft(c, k, v, move)) != NULL)
		v->items[e] = yr_graft(c, val, v, move);
}

/*
 * Parse part P alone: it must be one key and its value (KEY set) or one
 * list item, and raise no diagnostic. Into the new tree as the child I
 * of PARENT (its key too, for a key).
 */
static bool
yr_parse_part(struct yr_ctx *c, const struct yr_part *p, struct ynode *parent,
    size_t i)
{
	struct diag_list	 dl = { 0 };
	struct ynode		*frag;
	long			 delta = (long)p->line - 1;
	bool			 ok;

	frag = ytree_parse(c->file, p->text, p->len, &dl);
	ok = frag != NULL && dl.n == 0 && frag->n == 1 &&
	    frag->type == (p->key ? YNODE_MAP : YNODE_SEQ) &&
	    frag->line == 1;
	if (ok && p->key)
		ok = strlen(ynode_keys(frag)[0]->scalar) == p->key_len &&
		    memcmp(ynode_keys(frag)[0]->scalar, p->key,
		    p->key_len) == 0;
	if (ok && p->key) {
		ynode_keys(parent)[i] = yr_graft(c, ynode_keys(frag)[0],
		    parent, delta);
		ok = ynode_keys(parent)[i] != NULL && (parent->items[i] =
		    yr_graft(c, frag->items[0], parent, delta)) != NULL;
	} else if (ok)
		ok = (parent->items[i] = yr_graft(c, frag->items[0], parent,
		    delta)) != NULL;
	if (!ok && !c->fail) {
		c->fail = true;
		c->err = EAGAIN;
	}
	ytree_free(frag);
	diag_list_free(&dl);
	return ok;
}

/* The entries of a section by their text, to find an unchanged one among
 * thousands, or by their key, to find a key twice. */
struct yr_index {
	struct keyidx		 x;
	const struct yr_part	*v;
	bool			 by_key;
};

static uint64_t
yr_part_hash(const struct yr_part *p, bool by_key)
{
	return by_key ? ytree_text_hash(p->key, p->key_len) : p->hash;
}

static uint64_t
yr_index_hash_at(const struct keyidx *x, size_t i)
{
	const struct yr_index	*ix = KEYIDX_OWNER(x, const struct yr_index, x);

	return yr_part_hash(&ix->v[i], ix->by_key);
}

static bool
yr_index_is(const struct keyidx *x, size_t i, const void *key)
{
	const struct yr_index	*ix = KEYIDX_OWNER(x, const struct yr_index, x);
	const struct yr_part	*a = &ix->v[i], *b = key;

	if (!ix->by_key)
		return yr_same(a, b);
	return a->key_len == b->key_len &&
	    memcmp(a->key, b->key, a->key_len) == 0;
}

/* IX of the N parts at V, by text or BY_KEY: the first of each. False
 * when out of memory, or when one is there twice and ONCE. */
static bool
yr_index_make(struct yr_index *ix, const struct yr_part *v, size_t n,
    bool by_key, bool once)
{
	uint64_t	 h;

	memset(ix, 0, sizeof(*ix));
	ix->x.hash_at = yr_index_hash_at;
	ix->x.is = yr_index_is;
	ix->v = v;
	ix->by_key = by_key;
	if (keyidx_reserve(&ix->x, n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		h = yr_part_hash(&v[i], by_key);
		if (keyidx_find(&ix->x, h, &v[i]) >= 0) {
			if (once)
				return false;
		} else if (keyidx_put(&ix->x, h, &v[i], i) < 0)
			return false;
	}
	return true;
}

/* The index of an old part with P's text, or -1. */
static ssize_t
yr_index_find(const struct yr_index *ix, const struct yr_part *p)
{
	return keyidx_find(&ix->x, yr_part_hash(p, false), p);
}

/* No two entries of a map section with one key. */
static bool
yr_keys_unique(const struct yr_section *s)
{
	struct yr_index	 ix;
	bool		 ok;

	if (s->seq)
		return true;
	ok = yr_index_make(&ix, s->ent, s->n_ent, true, true);
	keyidx_free(&ix.x);
	return ok;
}

/* A section whose entries changed in part (or a map's, unchanged): its
 * value made entry by entry, the unchanged ones taken from OLD (the old
 * section's value). */
static struct ynode *
yr_entries(struct yr_ctx *c, struct yr_section *s,
    const struct yr_section *os, const struct ynode *old, struct ynode *parent)
{
	struct yr_index	 ix;
	struct ynode	*v;

	if (!yr_keys_unique(s)) {
		c->fail = true;
		c->err = EAGAIN;
		return NULL;
	}
	if ((v = yr_node(c)) == NULL)
		return NULL;
	v->type = s->seq ? YNODE_SEQ : YNODE_MAP;
	v->line = s->ent[0].line;
	v->col = s->indent + 1;
	ynode_place(v, parent);
	if (!yr_children(c, v, s->n_ent))
		return NULL;
	if (!yr_index_make(&ix, os->ent, os->n_ent, false, false)) {
		keyidx_free(&ix.x);
		c->fail = true;
		c->err = ENOMEM;
		return NULL;
	}
	for (size_t e = 0; e < s->n_ent && !c->fail; e++) {
		ssize_t	 o = yr_index_find(&ix, &s->ent[e]);
		long	 move;

		if (o < 0) {
			(void)yr_parse_part(c, &s->ent[e], v, e);
			continue;
		}
		/* From where its nodes are, which its line less its
		 * shift. */
		move = (long)s->ent[e].line - ((long)os->ent[o].line -
		    os->ent[o].shift);
		if (s->seq)
			v->items[e] = yr_graft(c, old->items[o], v, move);
		else
			yr_take(c, old, (size_t)o, v, e, &s->ent[e], move);
	}
	keyidx_free(&ix.x);
	return c->fail ? NULL : v;
}

/* The old section of key K, or NULL. */
static const struct yr_section *
yr_old_section(const struct yr_split *old, const struct yr_part *k, size_t *at)
{
	for (size_t i = 0; i < old->n_sec; i++)
		if (old->sec[i].whole.key_len == k->key_len &&
		    memcmp(old->sec[i].whole.key, k->key, k->key_len) == 0) {
			*at = i;
			return &old->sec[i];
		}
	return NULL;
}

/* The first line of a section: its key's own line. */
static bool
yr_same_first_line(const struct yr_section *a, const struct yr_section *b)
{
	return a->first_len == b->first_len && a->first_hash == b->first_hash;
}

static void
yr_build(struct yr_ctx *c, struct yr_split *sp, const struct yr_split *op,
    const struct ynode *old, struct ynode *root)
{
	root->type = YNODE_MAP;
	root->line = sp->sec[0].whole.line;
	root->col = 1;
	if (!yr_children(c, root, sp->n_sec))
		return;
	for (size_t i = 0; i < sp->n_sec && !c->fail; i++) {
		struct yr_section	*s = &sp->sec[i];
		const struct yr_section	*os;
		size_t			 at = 0, made = c->n_nodes;
		long			 delta;

		for (size_t j = 0; j < i; j++)
			if (sp->sec[j].whole.key_len == s->whole.key_len &&
			    memcmp(sp->sec[j].whole.key, s->whole.key,
			    s->whole.key_len) == 0) {
				c->fail = true;	/* a duplicate key */
				c->err = EAGAIN;
				return;
			}
		os = yr_old_section(op, &s->whole, &at);
		if (os == NULL) {
			(void)yr_parse_part(c, &s->whole, root, i);
			c->n_stale += c->n_nodes - made;
			continue;
		}
		delta = (long)s->whole.line - (long)os->whole.line;
		if ((ynode_keys(root)[i] = yr_graft(c, ynode_keys(old)[at],
		    root, delta)) == NULL)
			return;
		/* A map of entries the same: made entry by entry too, so
		 * that they can be lent, or copied each from where its
		 * nodes are (its own node is new: the root's children are
		 * the new document's). */
		if (yr_same(&s->whole, &os->whole) && !(s->block && !s->seq))
			root->items[i] = yr_graft(c, old->items[at], root,
			    delta);
		else if (s->block && os->block && s->seq == os->seq &&
		    s->indent == os->indent &&
		    yr_same_first_line(s, os))
			root->items[i] = yr_entries(c, s, os, old->items[at],
			    root);
		else
			(void)yr_parse_part(c, &s->whole, root, i);
		/* A map's entries made here, not lent: a tree made from
		 * this one copies them again. */
		if (s->block && !s->seq)
			c->n_stale += c->n_nodes - made;
	}
}

/* ---- what a tree keeps of its text's parts -------------------------- */

static uint64_t
yr_digest(uint64_t hash, size_t len)
{
	return hash ^ ((uint64_t)len * 0x9e3779b97f4a7c15ULL);
}

static const struct yr_section *
yr_section_of(const struct ynode *root, size_t i)
{
	const struct yr_split	*cut;

	if (root == NULL || (cut = ytree_doc_of(root)->cut) == NULL ||
	    i >= cut->n_sec)
		return NULL;
	return &cut->sec[i];
}

bool
ytree_part_section(const struct ynode *root, size_t i, uint64_t *whole,
    uint64_t *head)
{
	const struct yr_section	*s;

	if ((s = yr_section_of(root, i)) == NULL)
		return false;
	*whole = yr_digest(s->whole.hash, s->whole.len);
	*head = yr_digest(s->first_hash, s->first_len);
	return true;
}

bool
ytree_part_entry(const struct ynode *root, size_t i, size_t e,
    uint64_t *digest)
{
	const struct yr_section	*s;

	if ((s = yr_section_of(root, i)) == NULL || !s->block ||
	    e >= s->n_ent)
		return false;
	*digest = yr_digest(s->ent[e].hash, s->ent[e].len);
	return true;
}

int
ytree_cut(struct ynode *root, const char *buf, size_t len)
{
	struct ytree_doc	*doc = ytree_doc_of(root);
	struct yr_split		*sp;
	int			 rv;

	/* Only a tree made without a diagnostic has every part its text's
	 * own (a duplicate key is dropped from it). */
	if (!doc->clean || doc->text != ytree_text_hash(buf, len))
		return -EAGAIN;
	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return -ENOMEM;
	if ((rv = yr_split(buf, len, sp)) < 0 ||
	    (rv = sp->n_sec > 0 && yr_matches(sp, root) ? 0 : -EAGAIN) < 0) {
		yr_cut_free(sp);
		return rv;
	}
	yr_seal(sp, root);
	yr_cut_free(doc->cut);
	doc->cut = sp;
	return 0;
}

/*
 * Who lends the new tree nodes of OLD's. A tree lends only its own, and
 * one that has a lender lends none: the trees held stay two however many
 * texts follow, the last and the one it was first made from. The lent
 * ones are what stayed the same since that one; the maps' entries that
 * changed since are copied from tree to tree, until they are a quarter
 * of that one's nodes: then all is copied once, and the new tree lends
 * in turn.
 */
static void
yr_lender(struct yr_ctx *c, struct ytree_doc *old)
{
	c->old = old;
	if (old->lender == NULL)
		c->lender = old;
	else if (old->n_stale <= old->lender->n_nodes / 4)
		c->lender = old->lender;
	else
		c->lender = NULL;
}

struct ynode *
ytree_reparse(const char *file, const char *buf, size_t len,
    const struct ynode *old, unsigned flags)
{
	struct yr_split	*sp = NULL, *op;
	struct yr_ctx	 c = { .file = file, .err = EAGAIN,
			    .moved = flags & YTREE_LEND_MOVED };
	struct ynode	 root;
	struct ynode	*r = NULL;
	int		 rv = -EAGAIN;

	memset(&root, 0, sizeof(root));
	/* OLD must have been cut (ytree_cut, or made here) from its text. */
	if (old == NULL || (op = ytree_doc_of(old)->cut) == NULL)
		goto out;
	if ((sp = calloc(1, sizeof(*sp))) == NULL ||
	    (c.doc = calloc(1, sizeof(*c.doc))) == NULL) {
		rv = -ENOMEM;
		goto out;
	}
	if ((rv = yr_split(buf, len, sp)) < 0)
		goto out;
	rv = -EAGAIN;
	if (sp->n_sec == 0)
		goto out;
	c.doc->refs = 1;
	c.doc->clean = true;
	c.doc->text = ytree_text_hash(buf, len);
	yr_lender(&c, ytree_doc_of(old));
	yr_build(&c, sp, op, old, &root);
	/* The nodes lent count, as many as the lender has at most. */
	if (!c.fail && c.lent &&
	    c.n_nodes + c.lender->n_nodes > YTREE_MAX_NODES) {
		c.fail = true;
		c.err = EAGAIN;
	}
	if (c.fail) {
		rv = -c.err;
		goto out;
	}
	c.doc->n_nodes = c.n_nodes;
	c.doc->n_stale = c.n_stale;
	c.doc->shifted = c.shifted;
	if (c.lent) {
		(void)ytree_hold(&c.lender->root);
		c.doc->lender = c.lender;
	}
	r = ytree_doc_root(c.doc, &root);
	/* The new text's cut is the new tree's, for the next. */
	if (yr_matches(sp, r)) {
		yr_seal(sp, r);
		c.doc->cut = sp;
		sp = NULL;
	}
out:
	if (r == NULL && c.doc != NULL)
		ytree_doc_free(c.doc);
	yr_cut_free(sp);
	if (r == NULL)
		errno = -rv;
	return r;
}
