/*
 * drydock/walk.h - the single streaming pass over an image's layers.
 *
 * Each layer blob is read once: sha256 of the stored bytes, compression
 * sniffed from magic bytes, streaming decompression, sha256 of the tar
 * stream (diff_id), hardened tar parsing, every entry offered to the
 * analyzers. Layers run in parallel; results are merged in layer order
 * (whiteouts applied) into a filesystem index that also remembers every
 * file a later layer deleted. Nothing is written to disk.
 *
 * Ownership: *out is owned by the caller and freed with dd_walk_free()
 * (NULL is a no-op). Every pointer obtained from a dd_walk is borrowed and
 * lives as long as it. The image must outlive the walk.
 */
#ifndef DRYDOCK_WALK_H
#define DRYDOCK_WALK_H

#include "common.h"
#include "errors.h"
#include "finding.h"
#include "image.h"

DD_BEGIN_DECLS

/* Resource limits. Hitting one is always reported as a finding with rule
 * "archive.limit" and the layer is marked incomplete - never skipped
 * silently. 0 in a field means "use the default". */
typedef struct dd_limits {
    uint64_t max_layer_bytes; /* uncompressed tar bytes per layer: 32 GiB */
    uint64_t max_file_size;   /* one entry's size field: 16 GiB */
    uint64_t max_entries;     /* entries per layer: 200,000 */
    uint64_t max_ratio;       /* uncompressed/compressed: 200 */
    uint64_t ratio_grace;     /* bytes out before the ratio applies: 64 MiB */
    uint64_t max_path_len;    /* bytes in one path: 4096 */
    uint64_t max_pax_size;    /* one PAX/GNU long-name record: 1 MiB */
} dd_limits;

typedef enum dd_entry_type {
    DD_ENTRY_FILE = 0,
    DD_ENTRY_DIR,
    DD_ENTRY_SYMLINK,
    DD_ENTRY_HARDLINK,
    DD_ENTRY_CHAR,
    DD_ENTRY_BLOCK,
    DD_ENTRY_FIFO,
    DD_ENTRY_WHITEOUT,        /* .wh.<name> (path is the deleted path) */
    DD_ENTRY_OPAQUE_WHITEOUT, /* .wh..wh..opq (path is the directory) */
    DD_ENTRY_SOCKET /* a socket in a directory read as a layer (rootfs:,
                       fs:); tar has no such type */
} dd_entry_type;

/* A filesystem entry as the merged index (or one layer) holds it. */
typedef struct dd_fs_node {
    const char *path;     /* normalised, relative, no leading '/'; "" = / */
    const char *linkname; /* symlink / hardlink target, or NULL */
    dd_entry_type type;
    uint32_t mode; /* permission bits incl. setuid/setgid/sticky */
    uint64_t uid, gid;
    uint64_t size;
    int64_t mtime;
    int layer;          /* layer that last wrote it */
    int deleted_in;     /* layer that deleted it, -1 while visible */
    uint64_t offset;    /* header offset in the layer's tar stream */
    const char *sha256; /* hex of the content, when hashing was asked */
} dd_fs_node;

typedef struct dd_layer_stats {
    dd_compression compression; /* as sniffed from the bytes */
    uint64_t stored_bytes;      /* blob bytes read */
    uint64_t tar_bytes;         /* decompressed bytes */
    uint64_t entries;
    int complete;            /* 0 when the layer could not be read to its end */
    const char *blob_sha256; /* computed, "sha256:<hex>" */
    const char *diff_sha256; /* computed, NULL if stream incomplete */
} dd_layer_stats;

typedef void (*dd_progress_fn)(uint64_t done, uint64_t total, void *payload);

#define DD_WALK_OPTS_VERSION 2
typedef struct dd_walk_opts {
    unsigned version;
    dd_limits limits;
    unsigned threads;        /* 0 = number of online CPUs */
    int hash_files;          /* 1: sha256 every regular file's content */
    dd_progress_fn progress; /* called from worker threads, serialised */
    void *progress_payload;
    /* polled by the workers between reads: nonzero stops the walk, which
     * returns DD_ECANCELED */
    int (*cancel)(void *payload);
    void *cancel_payload;
    /* CLOCK_MONOTONIC nanoseconds, 0 = none: a layer not read by then is
     * stopped with a HIGH "scan.timeout" finding (incomplete, not an
     * error) */
    int64_t deadline_ns;
    /* Image-wide budgets over all layers together (docs/budgets.md);
     * 0 = the default. Reaching one stops the layers still being read
     * with a HIGH "budget.bytes" / "budget.entries" finding (incomplete,
     * not an error). */
    uint64_t max_total_bytes;   /* decompressed bytes: 64 GiB */
    uint64_t max_total_entries; /* tar entries, repeated layers included:
                                   1,000,000 */
    /* Paths no analyzer reads (Trivy's --skip-dirs / --skip-files):
     * NULL-terminated arrays of globs over the normalised path ("**" any
     * number of segments, "*" and "?" within one, [set]; a leading "/" is
     * ignored), borrowed for the walk; NULL = none. An entry at or under
     * a skip_dirs match, or matching a skip_files pattern, is still
     * listed and judged by the archive rules, but its content is offered
     * to no analyzer; dd_walk_skipped_count() says how many were. A
     * malformed pattern is DD_EINVALID. */
    const char *const *skip_dirs;
    const char *const *skip_files;
} dd_walk_opts;
#define DD_WALK_OPTS_INIT                                                    \
    {                                                                        \
        DD_WALK_OPTS_VERSION, {0, 0, 0, 0, 0, 0, 0}, 0, 0, NULL, NULL, NULL, \
            NULL, 0, 0, 0, NULL, NULL                                        \
    }

typedef struct dd_walk dd_walk;

/*
 * Read every layer of `img` once and build the merged index.
 * Returns 0 when the walk ran (even if layers were corrupt or malicious:
 * that is reported as findings and dd_layer_stats.complete == 0);
 * DD_EIO when a blob cannot be read at all; DD_ENOMEM; DD_EINVALID.
 */
DD_API int dd_walk_run(dd_walk **out,
                       const dd_image *img,
                       const dd_walk_opts *opts,
                       dd_error *err);
DD_API void dd_walk_free(dd_walk *w);

/* Visible files of the merged filesystem, sorted by path. */
DD_API size_t dd_walk_file_count(const dd_walk *w);
DD_API const dd_fs_node *dd_walk_file(const dd_walk *w, size_t i);
/* Entries that a later layer deleted (by whiteout or replacement),
 * in layer order then path order; deleted_in says where. */
DD_API size_t dd_walk_deleted_count(const dd_walk *w);
DD_API const dd_fs_node *dd_walk_deleted(const dd_walk *w, size_t i);
/* Raw entries of one layer in archive order (whiteouts included). */
DD_API size_t dd_walk_layer_entry_count(const dd_walk *w, size_t layer);
DD_API const dd_fs_node *
dd_walk_layer_entry(const dd_walk *w, size_t layer, size_t i);
DD_API const dd_layer_stats *dd_walk_layer_stats(const dd_walk *w,
                                                 size_t layer);
/* Archive and integrity findings of the walk, in layer order. */
DD_API const dd_findings *dd_walk_findings(const dd_walk *w);
/* Entries that dd_walk_opts.skip_dirs / skip_files kept from the
 * analyzers (each layer's entries counted once). */
DD_API uint64_t dd_walk_skipped_count(const dd_walk *w);
/* 1 when every layer was read completely. */
DD_API int dd_walk_complete(const dd_walk *w);
/* Resolve defaults into a copy of `in` (NULL = all defaults). */
DD_API dd_limits dd_limits_resolve(const dd_limits *in);

DD_END_DECLS

#endif
