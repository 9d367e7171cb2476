/*
 * state: the topologies this host was asked to keep, one file per lab under
 * the state directory (default /var/lib/vrfd/labs/LAB.yaml). They say what
 * a lab should be; what it is, and what is ours, the kernel says.
 */
#ifndef VRFD_STATE_H
#define VRFD_STATE_H

#include <stddef.h>

#define STATE_DIR_DEFAULT	"/var/lib/vrfd"

const char	*state_dir(void);		/* $VRFD_STATE_DIR or default */
void		 state_set_dir(const char *);
/* The path of LAB's stored topology, in BUF. */
const char	*state_lab_path(const char *lab, char *buf, size_t len);
/* Keep TEXT as LAB's topology (atomically; not again if it is already).
 * 0 or -errno. */
int		 state_save_lab_text(const char *lab, const char *text,
		    size_t len);
/* The same in two steps, the writing of TEXT (and the wait for the
 * disk) done while it is not known yet whether a lab will keep it: TEXT
 * written beside the labs' topologies, flushed, its path in TMP (0 or
 * -errno); then made LAB's (a rename: 0 or -errno), or dropped. The text
 * it replaces, if HELD: held open there (else -1), for the caller to
 * close. */
int		 state_stage_text(const char *text, size_t len, char *tmp,
		    size_t tmplen);
int		 state_keep_staged(const char *lab, const char *tmp,
		    int *held);
void		 state_unstage(const char *tmp);
/* Texts a vrfd staged and ended before a lab kept them: dropped. */
void		 state_unstage_all(void);
int		 state_remove_lab(const char *lab);	/* 0, -ENOENT, -errno */
/* A topology's text, by its length and 64-bit digest, in BUF ("1066785-
 * 9c1f..."; STATE_DIGEST_MAX with the NUL): what vrfctl sends vrfd first,
 * so that a text vrfd keeps already is not sent and read again. */
#define STATE_DIGEST_MAX	40
void		 state_text_digest(const char *text, size_t len, char *buf,
		    size_t size);
/* LAB's runtime overrides (override.h), beside its topology: the path
 * (default /var/lib/vrfd/labs/LAB.overrides), kept as the topology is,
 * and removed. */
const char	*state_overrides_path(const char *lab, char *buf, size_t len);
int		 state_save_overrides_text(const char *lab, const char *text,
		    size_t len);
int		 state_remove_overrides(const char *lab); /* 0, -ENOENT, ... */
/* Small files kept beside a lab's topology, labs/LAB.EXT: the host it
 * was applied as (STATE_HOST), its tunnels' last probes (STATE_TUNNELS).
 * Saved as the topology is; read into BUF (NUL-terminated, cut to fit):
 * 0 or -errno (-ENOENT: none); removed with the lab. */
#define STATE_HOST	"host"
#define STATE_TUNNELS	"tunnels"
/* The tree of the kept topology's text (lab_tree.h): a cache, saved
 * without waiting for the disk. */
#define STATE_TREE	"tree"
/* What vrfctl alone found of the lab, to answer the next apply of the
 * same text from (seal.h): a cache too, removed whenever the text kept
 * or the runtime overrides change. */
#define STATE_SEAL	"seal"
const char	*state_extra_path(const char *lab, const char *ext, char *buf,
		    size_t len);
int		 state_save_extra(const char *lab, const char *ext,
		    const char *text, size_t len);
int		 state_read_extra(const char *lab, const char *ext, char *buf,
		    size_t len);
int		 state_remove_extra(const char *lab, const char *ext);
int		 state_save_extra_cache(const char *lab, const char *ext,
		    const char *buf, size_t len);

/* The labs with a stored topology, sorted. */
int		 state_list_labs(char ***labs, size_t *n);

#endif
