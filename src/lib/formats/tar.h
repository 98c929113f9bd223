/*
 * lib/formats/tar.h - hardened streaming tar reader (push parser).
 *
 * Bytes go in with dd__tar_feed() in chunks of any size; the parser calls
 * back once per entry (after PAX and GNU long-name records are applied),
 * then with the entry's data in pieces, then at its end. It never seeks,
 * never buffers entry data and never touches the filesystem. Supported:
 * ustar/POSIX (prefix field), GNU (long names/links 'L'/'K', base-256
 * numbers), PAX 'x'/'g' (path, linkpath, size, uid, gid, mtime), v7.
 * A missing end-of-archive marker (EOF on a header boundary) is accepted.
 *
 * Anomalies go to the `anomaly` callback with a rule id and byte offset;
 * fatal ones also make dd__tar_feed/finish return DD_ECORRUPT or
 * DD_ELIMIT, after which the parser accepts nothing more.
 *
 * Ownership: the dd_tar is owned by its creator (dd__tar_free, NULL ok).
 * The dd_tar_entry passed to callbacks is borrowed for the callback only.
 */
#ifndef DD_TAR_H
#define DD_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/finding.h"
#include "anomaly.h"
#include "drydock/walk.h"

typedef struct dd_tar_entry {
    const char *name;     /* raw name (after PAX/GNU), NUL-terminated */
    size_t name_len;      /* may contain NUL bytes before name_len */
    const char *linkname; /* raw link target, "" if none */
    char typeflag;        /* as in the header ('0', '5', ...) */
    uint32_t mode;
    uint64_t uid, gid;
    uint64_t size; /* data bytes that follow */
    int64_t mtime;
    uint64_t offset; /* offset of the (first) header of this entry */
} dd_tar_entry;

typedef struct dd_tar_callbacks {
    /* return non-zero to abort (passed back from feed) */
    int (*entry)(void *payload, const dd_tar_entry *e);
    int (*data)(void *payload, const uint8_t *p, size_t n);
    int (*entry_end)(void *payload);
    dd_anomaly_fn anomaly;
    void *payload;
} dd_tar_callbacks;

typedef struct dd_tar dd_tar;

dd_tar *dd__tar_new(const dd_limits *limits, const dd_tar_callbacks *cb);
int dd__tar_feed(dd_tar *t, const uint8_t *data, size_t len);
/* End of input. Returns DD_ECORRUPT when the stream ended inside a header
 * or an entry's data (after reporting "archive.truncated"). */
int dd__tar_finish(dd_tar *t);
uint64_t dd__tar_entries(const dd_tar *t);
void dd__tar_free(dd_tar *t);

/* Pure header decoding, shared with the outer-archive indexer. */
typedef struct dd_tar_header {
    char name[257]; /* prefix "/" name for POSIX ustar */
    char linkname[101];
    char typeflag;
    uint32_t mode;
    uint64_t uid, gid, size;
    int64_t mtime;
} dd_tar_header;

enum {
    DD_TARH_OK = 0,
    DD_TARH_ZERO = 1,     /* an all-zero block */
    DD_TARH_BADSUM = -1,  /* checksum mismatch (not a tar header) */
    DD_TARH_BADSIZE = -2, /* size field garbage or negative */
    DD_TARH_BADFIELD = -3 /* other numeric field garbage */
};
int dd__tar_parse_header(const uint8_t block[512], dd_tar_header *h);
/* One "LEN key=value\n" record of a PAX extended header. */
typedef struct dd_pax_record {
    const char *key, *value; /* point into the input, not NUL-ended */
    size_t key_len, value_len;
} dd_pax_record;
/* Take the next record at *cursor (advancing it): 1 record, 0 end of the
 * records (or NUL padding), -1 malformed. */
int dd__tar_pax_next(const char **cursor, size_t *left, dd_pax_record *out);
/* Parse an octal or base-256 numeric field. 0 ok, -1 invalid/negative. */
int dd__tar_parse_number(const uint8_t *f, size_t n, uint64_t *out);
/* 1 for types that carry no data whatever the size field says. */
int dd__tar_header_only_type(char typeflag);

#endif
