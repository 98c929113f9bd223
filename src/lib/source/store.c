/*
 * lib/source/store.c - directory and tar containers. See store.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "../formats/tar.h"
#include "../../util/map.h"
#include "../../util/path.h"
#include "../../util/util.h"
#include "../../util/arena.h"

typedef struct tar_item {
    const char *name; /* normalised */
    const char *link; /* symlink/hardlink target (raw), NULL for files */
    char type;        /* 'f' file, 's' symlink, 'h' hardlink */
    uint64_t offset, size;
} tar_item;

struct dd_store {
    dd__store_backend backend; /* .self set: a backend store */
    char *path;
    int is_dir;
    int fd; /* tar: the archive; dir: the directory */
    uint64_t file_size;
    dd__vec items; /* tar_item */
    dd__map index; /* name -> item index */
    dd__arena strings;
};

static int store_new(dd_store **out, const char *path)
{
    dd_store *s = dd__calloc(1, sizeof *s);
    if (!s) {
        return DD_ENOMEM;
    }
    s->fd = -1;
    dd__vec_init(&s->items, sizeof(tar_item));
    dd__arena_init(&s->strings);
    s->path = dd__strdup(path);
    if (!s->path || dd__map_init(&s->index) != 0) {
        dd__store_free(s);
        return DD_ENOMEM;
    }
    *out = s;
    return 0;
}

int dd__store_open_dir(dd_store **out, const char *dir, dd_error *err)
{
    dd_store *s;
    if (store_new(&s, dir) != 0) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    s->is_dir = 1;
    s->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->fd < 0) {
        int e = errno;
        dd__store_free(s);
        return dd__error_set(err, e == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s: %s",
                             dir, strerror(e));
    }
    *out = s;
    return 0;
}

static long long pread_full(int fd, uint64_t off, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (r == 0) {
            break;
        }
        got += (size_t)r;
    }
    return (long long)got;
}

/* Read a PAX/GNU record body that names the next entry. */
static int
read_meta(dd_store *s, uint64_t off, uint64_t size, dd__buf *out, dd_error *err)
{
    if (size > 65536) {
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: long-name record of %llu bytes at offset "
                             "%llu is too large",
                             s->path, (unsigned long long)size,
                             (unsigned long long)off);
    }
    char *tmp = dd__malloc((size_t)size + 1);
    if (!tmp) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    long long r = pread_full(s->fd, off, tmp, (size_t)size);
    if (r != (long long)size) {
        dd__free(tmp);
        return dd__error_set(err, DD_ECORRUPT,
                             "%s: archive truncated at offset %llu", s->path,
                             (unsigned long long)off);
    }
    dd__buf_reset(out);
    int rc = dd__buf_add(out, tmp, (size_t)size);
    dd__free(tmp);
    return rc ? dd__error_set(err, rc, "out of memory") : 0;
}

static int pax_path(dd__buf *meta, dd__buf *name)
{
    const char *p = meta->ptr;
    size_t left = meta->len;
    dd__pax_record r;
    while (dd__tar_pax_next(&p, &left, &r) > 0) {
        if (r.key_len == 4 && memcmp(r.key, "path", 4) == 0) {
            dd__buf_reset(name);
            return dd__buf_add(name, r.value, r.value_len) == 0;
        }
    }
    return 0;
}

static int index_tar(dd_store *s, dd_error *err)
{
    uint8_t block[512];
    uint64_t off = 0;
    dd__buf meta, longname, clean;
    dd__buf_init(&meta, 65536);
    dd__buf_init(&longname, 65536);
    dd__buf_init(&clean, 65536);
    int have_long = 0, rc = 0, zeros = 0;
    for (;;) {
        long long r = pread_full(s->fd, off, block, 512);
        if (r == 0 && off > 0) {
            break; /* missing end-of-archive marker: accepted */
        }
        if (r != 512) {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: not a tar archive or truncated at offset "
                               "%llu",
                               s->path, (unsigned long long)off);
            break;
        }
        dd__tar_header h;
        int hr = dd__tar_parse_header(block, &h);
        if (hr == DD_TARH_ZERO) {
            if (off == 0) {
                rc = dd__error_set(err, DD_ECORRUPT, "%s: empty tar archive",
                                   s->path);
                break;
            }
            if (++zeros == 2) {
                break;
            }
            off += 512;
            continue;
        }
        zeros = 0;
        if (hr == DD_TARH_BADSUM || hr == DD_TARH_BADSIZE) {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: invalid tar header at offset %llu%s",
                               s->path, (unsigned long long)off,
                               off == 0 ? " (not a tar archive)" : "");
            break;
        }
        uint64_t data = off + 512;
        uint64_t size = dd__tar_header_only_type(h.typeflag) ? 0 : h.size;
        uint64_t end;
        if (dd__add_overflow(data, size, &end) || end > s->file_size) {
            rc = dd__error_set(err, DD_ECORRUPT,
                               "%s: entry at offset %llu claims %llu bytes, "
                               "past the end of the file (truncated?)",
                               s->path, (unsigned long long)off,
                               (unsigned long long)size);
            break;
        }
        if (h.typeflag == 'L' || h.typeflag == 'x') {
            if ((rc = read_meta(s, data, size, &meta, err)) != 0) {
                break;
            }
            if (h.typeflag == 'L') {
                dd__buf_reset(&longname);
                dd__buf_add(&longname, meta.ptr, strnlen(meta.ptr, meta.len));
                have_long = 1;
            } else if (pax_path(&meta, &longname)) {
                have_long = 1;
            }
        } else if (h.typeflag == '0' || h.typeflag == '\0' ||
                   h.typeflag == '7' || h.typeflag == '1' ||
                   h.typeflag == '2') {
            const char *raw = have_long ? longname.ptr : h.name;
            size_t rawlen = have_long ? longname.len : strlen(h.name);
            unsigned flags;
            if (dd__path_clean(raw, rawlen, &clean, &flags) == 0 &&
                !(flags & (DD_PATH_ESCAPES | DD_PATH_NUL)) && clean.len) {
                tar_item *it = dd__vec_push(&s->items);
                if (!it) {
                    rc = dd__error_set(err, DD_ENOMEM, "out of memory");
                    break;
                }
                it->name = dd__arena_strndup(&s->strings, clean.ptr, clean.len);
                it->type = h.typeflag == '1'   ? 'h'
                           : h.typeflag == '2' ? 's'
                                               : 'f';
                it->link = it->type == 'f'
                               ? NULL
                               : dd__arena_strdup(&s->strings, h.linkname);
                it->offset = data;
                it->size = size;
                if (!it->name || (it->type != 'f' && !it->link) ||
                    dd__map_put(&s->index, it->name, strlen(it->name),
                                (int64_t)(s->items.len - 1)) != 0) {
                    rc = dd__error_set(err, DD_ENOMEM, "out of memory");
                    break;
                }
            }
            have_long = 0;
        } else {
            have_long = 0;
        }
        off = end + ((512 - end % 512) % 512);
    }
    dd__buf_free(&meta);
    dd__buf_free(&longname);
    dd__buf_free(&clean);
    return rc;
}

int dd__store_open_tar(dd_store **out, const char *file, dd_error *err)
{
    dd_store *s;
    if (store_new(&s, file) != 0) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    s->fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (s->fd < 0 || fstat(s->fd, &st) != 0) {
        int e = errno;
        dd__store_free(s);
        return dd__error_set(err, e == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s: %s",
                             file, strerror(e));
    }
    s->file_size = (uint64_t)st.st_size;
    int rc = index_tar(s, err);
    if (rc) {
        dd__store_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int dd__store_is_dir(const dd_store *s)
{
    return s->is_dir;
}

const char *dd__store_path(const dd_store *s)
{
    return s->path;
}

/* Follow links inside the tar (docker save links repeated layers). */
static const tar_item *tar_lookup(dd_store *s, const char *path)
{
    dd__buf clean, tmp;
    dd__buf_init(&clean, 65536);
    dd__buf_init(&tmp, 65536);
    const tar_item *found = NULL;
    unsigned flags;
    if (dd__path_clean(path, strlen(path), &clean, &flags) != 0) {
        goto done;
    }
    for (int hops = 0; hops < 8; hops++) {
        int64_t idx;
        if (!dd__map_get(&s->index, clean.ptr, clean.len, &idx)) {
            break;
        }
        const tar_item *it = DD_VEC_AT(&s->items, tar_item, (size_t)idx);
        if (it->type == 'f') {
            found = it;
            break;
        }
        int rc = it->type == 's'
                     ? dd__path_resolve_link(it->name, it->link, &tmp, &flags)
                     : dd__path_clean(it->link, strlen(it->link), &tmp, &flags);
        if (rc || (flags & DD_PATH_ESCAPES)) {
            break;
        }
        dd__buf_reset(&clean);
        dd__buf_add(&clean, tmp.ptr, tmp.len);
    }
done:
    dd__buf_free(&clean);
    dd__buf_free(&tmp);
    return found;
}

/* Open a relative path below the directory, refusing symlinks and "..". */
static int dir_open(dd_store *s, const char *path, int *fd_out)
{
    dd__buf clean;
    dd__buf_init(&clean, 65536);
    unsigned flags;
    int rc = dd__path_clean(path, strlen(path), &clean, &flags);
    if (rc || (flags & (DD_PATH_DOTDOT | DD_PATH_ABSOLUTE)) || !clean.len) {
        dd__buf_free(&clean);
        return rc == DD_ENOMEM ? DD_ENOMEM : -1;
    }
    int dfd = s->fd;
    char *p = clean.ptr;
    int fd = -1;
    for (;;) {
        char *slash = strchr(p, '/');
        if (slash) {
            *slash = '\0';
        }
        int nfd = openat(dfd, p,
                         O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
                             (slash ? O_DIRECTORY : 0));
        if (dfd != s->fd) {
            close(dfd);
        }
        if (nfd < 0 || !slash) {
            fd = nfd;
            break;
        }
        dfd = nfd;
        p = slash + 1;
    }
    dd__buf_free(&clean);
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            return -1;
        }
    }
    *fd_out = fd;
    return fd >= 0 ? 0 : -1;
}

int dd__store_open_backend(dd_store **out,
                           const char *name,
                           const dd__store_backend *b,
                           dd_error *err)
{
    int rc = store_new(out, name);
    if (rc) {
        b->close(b->self);
        return dd__error_set(err, rc, "out of memory");
    }
    (*out)->backend = *b;
    return 0;
}

int dd__store_has(dd_store *s, const char *path)
{
    if (s->backend.self) {
        return s->backend.has(s->backend.self, path);
    }
    if (s->is_dir) {
        int fd;
        if (dir_open(s, path, &fd) != 0) {
            return 0;
        }
        close(fd);
        return 1;
    }
    return tar_lookup(s, path) != NULL;
}

int dd__store_region(dd_store *s,
                     const char *path,
                     dd__region *out,
                     dd_error *err)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (s->backend.self) {
        return s->backend.region(s->backend.self, path, out, err);
    }
    if (s->is_dir) {
        int fd;
        int rc = dir_open(s, path, &fd);
        if (rc == DD_ENOMEM) {
            return dd__error_set(err, DD_ENOMEM, "out of memory");
        }
        if (rc != 0) {
            return dd__error_set(err, DD_ENOTFOUND,
                                 "%s: %s: no such regular file", s->path, path);
        }
        struct stat st;
        fstat(fd, &st);
        out->fd = fd;
        out->owns_fd = 1;
        out->offset = 0;
        out->length = (uint64_t)st.st_size;
        return 0;
    }
    const tar_item *it = tar_lookup(s, path);
    if (!it) {
        return dd__error_set(err, DD_ENOTFOUND, "%s: %s: not in the archive",
                             s->path, path);
    }
    out->fd = s->fd;
    out->owns_fd = 0;
    out->offset = it->offset;
    out->length = it->size;
    out->name = it->name;
    return 0;
}

long long
dd__region_read(const dd__region *r, uint64_t off, void *buf, size_t n)
{
    if (r->stream) {
        /* in order only; the walk reads front to back */
        dd__region *w = (dd__region *)r;
        if (off != w->stream_pos) {
            return -1;
        }
        long long k = r->stream_read(r->stream, buf, n);
        if (k > 0) {
            w->stream_pos += (uint64_t)k;
        }
        return k;
    }
    if (off >= r->length) {
        return 0;
    }
    if (n > r->length - off) {
        n = (size_t)(r->length - off);
    }
    return pread_full(r->fd, r->offset + off, buf, n);
}

void dd__region_close(dd__region *r)
{
    if (r->stream) {
        r->stream_free(r->stream);
        r->stream = NULL;
    }
    if (r->owns_fd && r->fd >= 0) {
        close(r->fd);
    }
    r->fd = -1;
}

int dd__store_read_all(dd_store *s,
                       const char *path,
                       size_t max,
                       char **data,
                       size_t *len,
                       dd_error *err)
{
    if (s->backend.self) {
        return s->backend.read_all(s->backend.self, path, max, data, len, err);
    }
    dd__region r;
    int rc = dd__store_region(s, path, &r, err);
    if (rc) {
        return rc;
    }
    if (r.length > max) {
        dd__region_close(&r);
        return dd__error_set(err, DD_ELIMIT,
                             "%s: %s is %llu bytes, over the %zu-byte limit "
                             "for metadata",
                             s->path, path, (unsigned long long)r.length, max);
    }
    char *buf = dd__malloc((size_t)r.length + 1);
    if (!buf) {
        dd__region_close(&r);
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    long long got = dd__region_read(&r, 0, buf, (size_t)r.length);
    dd__region_close(&r);
    if (got != (long long)r.length) {
        dd__free(buf);
        return dd__error_set(err, DD_EIO, "%s: %s: read failed", s->path, path);
    }
    buf[r.length] = '\0';
    *data = buf;
    *len = (size_t)r.length;
    return 0;
}

void dd__store_free(dd_store *s)
{
    if (!s) {
        return;
    }
    if (s->backend.self) {
        s->backend.close(s->backend.self);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    dd__vec_free(&s->items);
    dd__map_free(&s->index);
    dd__arena_free(&s->strings);
    dd__free(s->path);
    dd__free(s);
}
