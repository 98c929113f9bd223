/*
 * lib/source/store.h - named byte regions inside an image container: an
 * OCI layout directory or any tar file (docker save, OCI tar).
 *
 * A tar is indexed once by reading its headers only (data is skipped with
 * offsets), so a multi-GiB archive costs a few hundred small reads. Blobs
 * are then read in place with pread(): nothing is extracted or copied.
 * In a directory, every path component is opened with O_NOFOLLOW so a
 * crafted layout cannot make us read files outside it.
 *
 * Ownership: the store is owned by its creator (dd__store_free, NULL ok).
 * A dd__region from dd__store_region is owned by the caller and released
 * with dd__region_close; it may outlive nothing: free regions first.
 * Regions may be read from several threads at once.
 */
#ifndef DD_STORE_H
#define DD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "drydock/errors.h"

typedef struct dd_store dd_store;

typedef struct dd__region {
    int fd;
    int owns_fd;
    uint64_t offset, length;
    const char *name; /* borrowed, for messages */
    /* a streamed region (registry blob): read in order only, owned */
    void *stream;
    long long (*stream_read)(void *stream, void *buf, size_t n);
    void (*stream_free)(void *stream);
    uint64_t stream_pos;
} dd__region;

/* A store whose files come from elsewhere (a registry): the functions
 * below dispatch to it. `self` is owned by the store (free on close). */
typedef struct dd__store_backend {
    void *self;
    int (*has)(void *self, const char *path);
    int (*region)(void *self, const char *path, dd__region *out, dd_error *err);
    int (*read_all)(void *self,
                    const char *path,
                    size_t max,
                    char **data,
                    size_t *len,
                    dd_error *err);
    void (*close)(void *self);
} dd__store_backend;
int dd__store_open_backend(dd_store **out,
                           const char *name,
                           const dd__store_backend *b,
                           dd_error *err);

int dd__store_open_dir(dd_store **out, const char *dir, dd_error *err);
/* DD_ECORRUPT when the file is not a readable tar (message names the
 * offset), DD_EIO. */
int dd__store_open_tar(dd_store **out, const char *file, dd_error *err);
int dd__store_is_dir(const dd_store *s);
const char *dd__store_path(const dd_store *s);
/* 1 when `path` names a regular file (links in a tar are followed). */
int dd__store_has(dd_store *s, const char *path);
/* DD_ENOTFOUND, DD_EIO. */
int dd__store_region(dd_store *s,
                     const char *path,
                     dd__region *out,
                     dd_error *err);
/* Read a whole small file. DD_ELIMIT when larger than `max`. The buffer
 * (NUL-terminated) is owned by the caller (dd__free). */
int dd__store_read_all(dd_store *s,
                       const char *path,
                       size_t max,
                       char **data,
                       size_t *len,
                       dd_error *err);
/* pread loop; returns bytes read (short only at the region's end) or -1. */
long long
dd__region_read(const dd__region *r, uint64_t off, void *buf, size_t n);
void dd__region_close(dd__region *r);
void dd__store_free(dd_store *s);

#endif
