/*
 * lib/lang/zipdir.h - a zip reader over a buffer in memory (untrusted
 * bytes): the End Of Central Directory record (searched backwards over at
 * most the last 65557 bytes; ZIP64 locator and record), the central
 * directory entries, and one member's bytes (stored, or deflate through
 * zlib's raw inflate) with caps on what is produced.
 *
 * Every offset, size and count is checked against the buffer; each
 * member's local header must agree with its central entry (signature,
 * name, method) and its data must lie before the central directory.
 * Names with a ".." component, an absolute or drive path, or a NUL are
 * refused. Errors: DD_EINVALID (malformed) or DD_ELIMIT (a cap) with one
 * line in `why` naming the offset; DD_ENOMEM.
 *
 * Ownership: a dd__zip borrows the buffer it was opened on (which must
 * outlive it); entry names point into that buffer (not NUL-terminated).
 * Members read through dd__zip_member() are either a slice of the buffer
 * (stored) or the caller's dd__buf (deflate). No allocation besides that
 * buffer; thread-compatible (no shared state).
 */
#ifndef DD_ZIPDIR_H
#define DD_ZIPDIR_H

#include <stddef.h>
#include <stdint.h>

#include "../../util/util.h"

#define DD_ZIP_MAX_ENTRIES (1u << 17) /* central directory entries */
#define DD_ZIP_MAX_RATIO   200        /* inflated / stored, past the grace */
#define DD_ZIP_RATIO_GRACE (1u << 20) /* output below this is never a bomb */
#define DD_ZIP_MAX_DEPTH   3          /* archives inside archives */

typedef struct dd__zip {
    const uint8_t *data;
    size_t len;
    uint64_t base;   /* bytes prepended before the archive (a script) */
    uint64_t cd_off; /* where the central directory starts in data */
    uint64_t cd_end; /* where it ends */
    uint64_t n_entries;
    /* iteration */
    uint64_t next_off;
    uint64_t next_i;
} dd__zip;

typedef struct dd__zip_entry {
    const char *name; /* into the buffer, name_len bytes */
    size_t name_len;
    uint16_t flags;
    uint16_t method; /* 0 stored, 8 deflate */
    uint32_t crc;
    uint64_t csize, usize;
    uint64_t local_off; /* of the local header, in data */
    uint64_t cd_pos;    /* of the central entry, in data (for messages) */
} dd__zip_entry;

/* What all members read from one archive (its nested archives included)
 * may still produce. */
typedef struct dd__zip_budget {
    uint64_t left;
} dd__zip_budget;

/* Find the end records and check the central directory's place. */
int dd__zip_open(
    dd__zip *z, const uint8_t *data, size_t len, char *why, size_t why_n);

/* The next central directory entry: 1 and *e filled, 0 after the last
 * one (their number agreed with the end record), or an error. */
int dd__zip_next(dd__zip *z, dd__zip_entry *e, char *why, size_t why_n);

/* The member's bytes, at most `cap` of them (over: DD_ELIMIT): stored
 * members are a slice of the archive, deflated ones are inflated into
 * `scratch` (reset first). Sizes and CRC-32 are checked against the
 * central entry; each byte produced is taken from `b` (DD_ELIMIT when
 * it runs out); an inflated/stored ratio over DD_ZIP_MAX_RATIO past
 * DD_ZIP_RATIO_GRACE bytes is a bomb (DD_ELIMIT). */
int dd__zip_member(const dd__zip *z,
                   const dd__zip_entry *e,
                   uint64_t cap,
                   dd__zip_budget *b,
                   dd__buf *scratch,
                   const uint8_t **out,
                   size_t *out_len,
                   char *why,
                   size_t why_n);

/* 1 when the entry's name equals `name` (NUL-terminated). */
int dd__zip_name_is(const dd__zip_entry *e, const char *name);

#endif
