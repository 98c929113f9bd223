/*
 * lib/formats/tar.h - hardened streaming tar reader (push parser).
 *
 * Bytes go in with dd__tar_feed() in chunks of any size; the parser calls
 * back once per entry (after PAX and GNU long-name records are applied),
 * then with the entry's data in pieces, then at its end. It never seeks,
 * never buffers entry data and never touches the filesystem. Supported:
 * ustar/POSIX (prefix field), GNU (long names/links 'L'/'K', base-256
 * numbers), PAX 'x'/'g' (path, linkpath, size, uid, gid, mtime), v7,
 * star (131-byte prefix), and GNU sparse files in every form Go's
 * archive/tar (containerd) and GNU tar read: old GNU type 'S' with its
 * extension blocks, PAX 0.0 (repeated GNU.sparse.offset/numbytes), 0.1
 * (GNU.sparse.map) and 1.0 (map at the start of the data). A sparse
 * file's data are delivered expanded (holes as zeros) up to
 * limits.max_sparse_expand bytes. A missing end-of-archive marker (EOF on
 * a header boundary) is accepted.
 *
 * Where tools disagree, the reader does what Go's archive/tar does (it is
 * what container runtimes extract) and reports the disagreement as an
 * "archive.parser-differential" anomaly: a GNU long name wins over a PAX
 * path, empty PAX values keep the header's field, GNU.sparse.name only
 * renames a file Go reads as sparse, a GNU header's prefix field is used
 * only when its atime/ctime do not parse (pre-Go 1.8 files). A sparse
 * form Go rejects or does not know ("archive.bad-sparse", HIGH) is
 * delivered as a plain entry with its stored bytes, never skipped.
 *
 * Anomalies go to the `anomaly` callback with a rule id and byte offset;
 * fatal ones also make dd__tar_feed/finish return DD_ECORRUPT or
 * DD_ELIMIT, after which the parser accepts nothing more.
 *
 * Ownership: the dd_tar is owned by its creator (dd__tar_free, NULL ok).
 * The dd__tar_entry passed to callbacks is borrowed for the callback only.
 */
#ifndef DD_TAR_H
#define DD_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/errors.h"
#include "drydock/finding.h"
#include "anomaly.h"

/* What the reader may spend on one archive (0 = default). The layer walk
 * fills it from the public dd_limits; the tar reader never calls up into
 * the walk. */
typedef struct dd__tar_limits {
    uint64_t max_file_size; /* one entry's size: 16 GiB */
    uint64_t max_entries;   /* entries per archive: 200,000 */
    uint64_t max_path_len;  /* bytes in one path: 4096 */
    uint64_t max_pax_size;  /* one PAX/long-name record, a 1.0 map: 1 MiB */
    uint64_t max_sparse_entries; /* fragments in one sparse map: 65,536 */
    uint64_t max_sparse_expand;  /* bytes of one sparse file delivered: 1 GiB */
} dd__tar_limits;

typedef struct dd__tar_entry {
    const char *name;     /* raw name (after PAX/GNU), NUL-terminated */
    size_t name_len;      /* may contain NUL bytes before name_len */
    const char *linkname; /* raw link target, "" if none */
    char typeflag;        /* as in the header ('0', '5', ...) */
    uint32_t mode;
    uint64_t uid, gid;
    uint64_t size;   /* logical size: the bytes `data` delivers (sparse:
                        the expanded size, capped by max_sparse_expand) */
    uint64_t stored; /* bytes that follow the header(s) in the stream */
    int sparse;      /* 1: data are expanded from a GNU sparse map */
    int64_t mtime;
    uint64_t offset; /* offset of the (first) header of this entry */
} dd__tar_entry;

typedef struct dd__tar_callbacks {
    /* return non-zero to abort (passed back from feed) */
    int (*entry)(void *payload, const dd__tar_entry *e);
    int (*data)(void *payload, const uint8_t *p, size_t n);
    int (*entry_end)(void *payload);
    dd_anomaly_fn anomaly;
    void *payload;
} dd__tar_callbacks;

typedef struct dd_tar dd_tar;

dd_tar *dd__tar_new(const dd__tar_limits *limits, const dd__tar_callbacks *cb);
int dd__tar_feed(dd_tar *t, const uint8_t *data, size_t len);
/* End of input. Returns DD_ECORRUPT when the stream ended inside a header
 * or an entry's data (after reporting "archive.truncated"). */
int dd__tar_finish(dd_tar *t);
uint64_t dd__tar_entries(const dd_tar *t);
void dd__tar_free(dd_tar *t);

/* Pure header decoding, shared with the outer-archive indexer. */
enum {
    DD_TARF_V7 = 0,
    DD_TARF_USTAR, /* "ustar\0" magic: 155-byte prefix */
    DD_TARF_STAR,  /* "ustar\0" and "tar\0" at 508: 131-byte prefix */
    DD_TARF_GNU    /* "ustar  \0": no prefix field */
};
typedef struct dd__tar_header {
    char name[257]; /* prefix "/" name, the prefix as Go reads it */
    char linkname[101];
    char typeflag;
    int format;         /* DD_TARF_* */
    int prefix_differs; /* GNU tar or Python would read another prefix */
    uint32_t mode;
    uint64_t uid, gid, size;
    int64_t mtime;
} dd__tar_header;

enum {
    DD_TARH_OK = 0,
    DD_TARH_ZERO = 1,     /* an all-zero block */
    DD_TARH_BADSUM = -1,  /* checksum mismatch (not a tar header) */
    DD_TARH_BADSIZE = -2, /* size field garbage or negative */
    DD_TARH_BADFIELD = -3 /* other numeric field garbage */
};
int dd__tar_parse_header(const uint8_t block[512], dd__tar_header *h);
/* One "LEN key=value\n" record of a PAX extended header. */
typedef struct dd__pax_record {
    const char *key, *value; /* point into the input, not NUL-ended */
    size_t key_len, value_len;
} dd__pax_record;
/* Take the next record at *cursor (advancing it): 1 record, 0 end of the
 * records (or NUL padding), -1 malformed. */
int dd__tar_pax_next(const char **cursor, size_t *left, dd__pax_record *out);
/* Parse an octal or base-256 numeric field as Go's archive/tar does
 * (leading and trailing NULs and spaces trimmed, octal cut at the first
 * NUL). 0 ok, -1 invalid/negative. */
int dd__tar_parse_number(const uint8_t *f, size_t n, uint64_t *out);
/* 1 for types that carry no data whatever the size field says. */
int dd__tar_header_only_type(char typeflag);

#endif
