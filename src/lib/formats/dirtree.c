/*
 * lib/formats/dirtree.c - a directory tree read as one tar stream would be
 * (see dirtree.h). Every name below the root is reached from the
 * descriptor of its directory with AT_SYMLINK_NOFOLLOW / O_NOFOLLOW, and
 * what was opened is checked to be what was stat'ed (same device and
 * inode, same type), so a tree changed under the reader cannot redirect
 * it through a symlink.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirtree.h"
#include "../../util/arena.h"
#include "../../util/map.h"
#include "../../util/util.h"

#define CHUNK (64u << 10)
#define SHOWN (200 * 4 + 4) /* a path in a message: 200 bytes, escaped */

typedef struct tree {
    dd__dirtree_limits lim;
    const dd__tar_callbacks *cb;
    dd__dirtree_hooks hooks;
    dd__dirtree_stats st;
    dev_t root_dev;
    dd__buf path;    /* relative path of the current entry */
    char *linkbuf;   /* readlinkat target, max_path_len + 1 bytes */
    uint8_t *chunk;  /* CHUNK bytes of file data */
    dd__map inodes;  /* "dev:ino" of multiply-linked files -> index */
    dd__vec first;   /* const char *: first path of each such inode */
    dd__arena names; /* keys of `inodes`, strings of `first` */
} tree;

static void
anomaly(tree *t, const char *rule, dd_severity sev, const char *fmt, ...)
    DD_PRINTF(4, 5);
static void
anomaly(tree *t, const char *rule, dd_severity sev, const char *fmt, ...)
{
    if (!t->cb->anomaly && !t->hooks.anomaly) {
        return;
    }
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (t->hooks.anomaly) {
        t->hooks.anomaly(t->cb->payload, rule, sev,
                         t->path.len ? t->path.ptr : NULL, msg);
        return;
    }
    /* no path argument: the message names the entry (printable, cut) */
    char p[SHOWN], full[1200 + SHOWN + 8];
    dd__printable_into(p, t->path.len ? t->path.ptr : ".", (SHOWN - 4) / 4);
    snprintf(full, sizeof full, "%s: %s", p, msg);
    t->cb->anomaly(t->cb->payload, rule, sev, t->st.entries, full);
}

static int poll(tree *t)
{
    return t->hooks.poll ? t->hooks.poll(t->cb->payload, &t->st) : 0;
}

static void unreadable(tree *t, const char *what, int e)
{
    anomaly(t, "fs.unreadable", DD_SEV_MEDIUM, "%s (%s); not analysed", what,
            strerror(e));
}

static int announce(
    tree *t, const struct stat *st, char type, const char *link, uint64_t size)
{
    dd__tar_entry e;
    memset(&e, 0, sizeof e);
    e.name = t->path.ptr;
    e.name_len = t->path.len;
    e.linkname = link ? link : "";
    e.typeflag = type;
    e.mode = (uint32_t)(st->st_mode & 07777);
    e.uid = st->st_uid;
    e.gid = st->st_gid;
    e.size = size;
    e.stored = size;
    e.mtime = (int64_t)st->st_mtime;
    e.offset = t->st.entries - 1;
    return t->cb->entry ? t->cb->entry(t->cb->payload, &e) : 0;
}

static int entry_end(tree *t)
{
    return t->cb->entry_end ? t->cb->entry_end(t->cb->payload) : 0;
}

/* A regular file seen before under another name: its first path. */
static int hardlink_of(
    tree *t, const struct stat *st, const char **first, char *key, size_t keyn)
{
    *first = NULL;
    snprintf(key, keyn, "%llx:%llx", (unsigned long long)st->st_dev,
             (unsigned long long)st->st_ino);
    int64_t ix;
    if (st->st_nlink > 1 && dd__map_get(&t->inodes, key, strlen(key), &ix)) {
        *first = *DD_VEC_AT(&t->first, const char *, (size_t)ix);
    }
    return 0;
}

static int remember(tree *t, const char *key)
{
    char *k = dd__arena_strdup(&t->names, key);
    char *p = dd__arena_strndup(&t->names, t->path.ptr, t->path.len);
    const char **slot = k && p ? dd__vec_push(&t->first) : NULL;
    if (!slot) {
        return DD_ENOMEM;
    }
    *slot = p;
    return dd__map_put(&t->inodes, k, strlen(k), (int64_t)(t->first.len - 1));
}

/* Deliver the bytes of an open regular file (`size` as announced), as
 * many as the `want` hook still asks for. */
static int file_data(tree *t, int fd, uint64_t size)
{
    uint64_t done = 0;
    while (done < size) {
        int rc = poll(t);
        if (rc) {
            return rc;
        }
        uint64_t end = t->hooks.want ? t->hooks.want(t->cb->payload) : size;
        end = end < size ? end : size;
        if (done >= end) {
            return 0; /* nobody wants the rest: it is not read */
        }
        size_t want = end - done < CHUNK ? (size_t)(end - done) : CHUNK;
        ssize_t n = read(fd, t->chunk, want);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            anomaly(t, "fs.unreadable", DD_SEV_MEDIUM,
                    "%s at byte %llu of %llu; the rest was not analysed",
                    n < 0 ? strerror(errno) : "file shrank while read",
                    (unsigned long long)done, (unsigned long long)size);
            return 0;
        }
        if (t->st.bytes + (uint64_t)n > t->lim.max_bytes) {
            anomaly(t, "archive.limit", DD_SEV_HIGH,
                    "tree holds more than %llu bytes of file data "
                    "(max-layer-bytes); reading stopped",
                    (unsigned long long)t->lim.max_bytes);
            return DD_ELIMIT;
        }
        t->st.bytes += (uint64_t)n;
        done += (uint64_t)n;
        if (t->cb->data &&
            (rc = t->cb->data(t->cb->payload, t->chunk, (size_t)n)) != 0) {
            return rc;
        }
    }
    return 0;
}

/* Open `name` of `dfd` for reading only if it is still the regular file
 * stat'ed as `st`: an O_PATH descriptor is checked first and then
 * reopened through /proc/self/fd, so a device or fifo swapped in under
 * the name is never opened (a device's open can have effects). Without
 * /proc, a plain O_NOFOLLOW open (checked by the caller). Returns the
 * descriptor or -errno (-ESTALE: not the file that was stat'ed). */
static int open_regular(int dfd, const char *name, const struct stat *st)
{
    int pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (pfd < 0) {
        return -errno;
    }
    struct stat now;
    if (fstat(pfd, &now) != 0 || !S_ISREG(now.st_mode) ||
        now.st_ino != st->st_ino || now.st_dev != st->st_dev) {
        close(pfd);
        return -ESTALE;
    }
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", pfd);
    int fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int e = errno;
    if (fd < 0 && e == ENOENT) { /* no /proc */
        fd = openat(dfd, name,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        e = errno;
    }
    close(pfd);
    return fd >= 0 ? fd : -e;
}

/* A regular file: `dfd`/`name`, or the descriptor `fd` already open. */
static int
regular(tree *t, int dfd, const char *name, const struct stat *st, int fd)
{
    char key[64];
    const char *first;
    hardlink_of(t, st, &first, key, sizeof key);
    if (first) {
        int rc = announce(t, st, '1', first, 0);
        return rc ? rc : entry_end(t);
    }
    int own = fd < 0;
    if (own) {
        fd = open_regular(dfd, name, st);
        if (fd < 0) {
            if (-fd == ESTALE) {
                unreadable(t, "replaced while read", ESTALE);
            } else {
                unreadable(t, "cannot open", -fd);
            }
            return 0;
        }
    }
    struct stat now;
    if (fstat(fd, &now) != 0 || !S_ISREG(now.st_mode) ||
        now.st_ino != st->st_ino || now.st_dev != st->st_dev) {
        unreadable(t, "replaced while read", ESTALE);
        if (own) {
            close(fd);
        }
        return 0;
    }
    uint64_t size = (uint64_t)now.st_size;
    int rc = announce(t, &now, '0', NULL, size);
    if (!rc && size > t->lim.max_file_size) {
        anomaly(t, "archive.limit", DD_SEV_HIGH,
                "file size %llu exceeds max-file-size %llu; its "
                "content was not read",
                (unsigned long long)size,
                (unsigned long long)t->lim.max_file_size);
    } else if (!rc) {
        rc = file_data(t, fd, size);
    }
    if (own) {
        close(fd);
    }
    if (!rc && now.st_nlink > 1) {
        rc = remember(t, key);
    }
    return rc ? rc : entry_end(t);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int walk_dir(tree *t, int dfd, uint64_t depth);

/* One name of directory `dfd`; t->path already ends with it. */
static int visit(tree *t, int dfd, const char *name, uint64_t depth)
{
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        t->st.entries++;
        unreadable(t, "cannot stat", errno);
        return 0;
    }
    if (++t->st.entries > t->lim.max_entries) {
        anomaly(t, "archive.limit", DD_SEV_HIGH,
                "more than %llu entries in the tree (max-entries); reading "
                "stopped",
                (unsigned long long)t->lim.max_entries);
        return DD_ELIMIT;
    }
    int rc = poll(t);
    if (rc) {
        return rc;
    }
    if (t->path.len > t->lim.max_path_len) {
        anomaly(t, "archive.limit", DD_SEV_HIGH,
                "path of %zu bytes exceeds max-path-len %llu, entry skipped",
                t->path.len, (unsigned long long)t->lim.max_path_len);
        return 0;
    }
    if (S_ISREG(st.st_mode)) {
        return regular(t, dfd, name, &st, -1);
    }
    if (S_ISLNK(st.st_mode)) {
        ssize_t n =
            readlinkat(dfd, name, t->linkbuf, (size_t)t->lim.max_path_len + 1);
        if (n < 0) {
            unreadable(t, "cannot read the symlink", errno);
            return 0;
        }
        if ((uint64_t)n > t->lim.max_path_len) {
            anomaly(t, "archive.limit", DD_SEV_HIGH,
                    "symlink target longer than max-path-len %llu, entry "
                    "skipped",
                    (unsigned long long)t->lim.max_path_len);
            return 0;
        }
        t->linkbuf[n] = '\0';
        rc = announce(t, &st, '2', t->linkbuf, 0);
        return rc ? rc : entry_end(t);
    }
    if (!S_ISDIR(st.st_mode)) {
        char type = S_ISCHR(st.st_mode)    ? '3'
                    : S_ISBLK(st.st_mode)  ? '4'
                    : S_ISFIFO(st.st_mode) ? '6'
                                           : 's';
        rc = announce(t, &st, type, NULL, 0); /* never opened */
        return rc ? rc : entry_end(t);
    }
    rc = announce(t, &st, '5', NULL, 0);
    if (!rc) {
        rc = entry_end(t);
    }
    if (rc) {
        return rc;
    }
    if (st.st_dev != t->root_dev) {
        anomaly(t, "fs.mount-point", DD_SEV_INFO,
                "another file system is mounted here; not descended");
        return 0;
    }
    if (depth + 1 >= t->lim.max_depth) { /* its contents: one deeper */
        anomaly(t, "archive.limit", DD_SEV_HIGH,
                "directories nested deeper than %llu; its contents were "
                "not read",
                (unsigned long long)t->lim.max_depth);
        return 0;
    }
    int cfd =
        openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat now;
    if (cfd < 0 || fstat(cfd, &now) != 0 || now.st_ino != st.st_ino ||
        now.st_dev != st.st_dev) {
        unreadable(t,
                   cfd < 0 ? "cannot open the directory"
                           : "directory replaced while read",
                   cfd < 0 ? errno : ESTALE);
        if (cfd >= 0) {
            close(cfd);
        }
        return 0;
    }
    rc = walk_dir(t, cfd, depth + 1);
    close(cfd);
    return rc;
}

/* Keep the `cap` smallest names seen in a max-heap (names->items). */
static void sift_down(const char **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && strcmp(h[l], h[m]) > 0) {
            m = l;
        }
        if (r < n && strcmp(h[r], h[m]) > 0) {
            m = r;
        }
        if (m == i) {
            return;
        }
        const char *x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

static int keep_name(dd__vec *names, size_t cap, const char *n)
{
    const char **h = names->items;
    if (names->len == cap) { /* full: replace the largest if n is smaller */
        if (strcmp(n, h[0]) >= 0) {
            return 0;
        }
        char *c = dd__strdup(n);
        if (!c) {
            return DD_ENOMEM;
        }
        dd__free((char *)h[0]);
        h[0] = c;
        sift_down(h, names->len, 0);
        return 0;
    }
    char *c = dd__strdup(n);
    const char **slot = c ? dd__vec_push(names) : NULL;
    if (!slot) {
        dd__free(c);
        return DD_ENOMEM;
    }
    *slot = c;
    h = names->items;
    for (size_t i = names->len - 1; i > 0;) { /* sift up */
        size_t p = (i - 1) / 2;
        if (strcmp(h[p], h[i]) >= 0) {
            break;
        }
        const char *x = h[i];
        h[i] = h[p];
        h[p] = x;
        i = p;
    }
    return 0;
}

static void free_names(dd__vec *names)
{
    for (size_t i = 0; i < names->len; i++) {
        dd__free(*DD_VEC_AT(names, char *, i));
    }
    dd__vec_free(names);
}

/* The names of `dfd`, sorted. Past the entries left before max-entries
 * the read stops anyway: only that many names are kept - the smallest,
 * so what is read before the limit does not depend on readdir order. */
static int list_names(tree *t, int dfd, dd__vec *names)
{
    int dup_fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0) {
            close(dup_fd);
        }
        unreadable(t, "cannot list the directory", errno);
        return 0;
    }
    size_t cap = (size_t)(t->lim.max_entries - t->st.entries + 1);
    int rc = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        if (!(n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]))) &&
            (rc = keep_name(names, cap, n)) != 0) {
            break;
        }
        errno = 0;
    }
    if (!rc && !de && errno) {
        unreadable(t, "listing failed part way", errno);
    }
    closedir(d);
    if (names->len > 1) {
        qsort(names->items, names->len, sizeof(char *), cmp_name);
    }
    return rc;
}

static int walk_dir(tree *t, int dfd, uint64_t depth)
{
    dd__vec names;
    dd__vec_init(&names, sizeof(char *));
    int rc = list_names(t, dfd, &names);
    size_t base = t->path.len;
    for (size_t i = 0; !rc && i < names.len; i++) {
        const char *n = *DD_VEC_AT(&names, const char *, i);
        t->path.len = base;
        if (t->path.ptr) {
            t->path.ptr[base] = '\0';
        }
        if ((base && dd__buf_add(&t->path, "/", 1)) ||
            dd__buf_addstr(&t->path, n)) {
            rc = DD_ENOMEM;
            break;
        }
        rc = visit(t, dfd, n, depth);
    }
    t->path.len = base;
    if (t->path.ptr) {
        t->path.ptr[base] = '\0';
    }
    free_names(&names);
    return rc;
}

static dd__dirtree_limits resolve(const dd__dirtree_limits *in)
{
    dd__dirtree_limits l = {0, 0, 0, 0, 0};
    if (in) {
        l = *in;
    }
    l.max_file_size = l.max_file_size ? l.max_file_size : 16ULL << 30;
    l.max_entries = l.max_entries ? l.max_entries : 200000;
    l.max_path_len = l.max_path_len ? l.max_path_len : 4096;
    l.max_depth = l.max_depth ? l.max_depth : 256;
    l.max_bytes = l.max_bytes ? l.max_bytes : 32ULL << 30;
    if (l.max_path_len > (1u << 20)) {
        l.max_path_len = 1u << 20; /* the link buffer is this big */
    }
    return l;
}

int dd__dirtree_read(const char *root,
                     const dd__dirtree_limits *lim,
                     const dd__tar_callbacks *cb,
                     const dd__dirtree_hooks *hooks,
                     dd__dirtree_stats *st,
                     dd_error *err)
{
    dd__error_clear(err);
    if (st) {
        memset(st, 0, sizeof *st);
    }
    if (!root || !cb) {
        return dd__error_set(err, DD_EINVALID, "dd__dirtree_read: NULL");
    }
    /* the root may be a symlink: the caller named it */
    int fd = open(root, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return dd__error_set(
            err, e == ENOENT || e == ENOTDIR ? DD_ENOTFOUND : DD_EIO, "%s: %s",
            root, strerror(e));
    }
    struct stat rst;
    if (fstat(fd, &rst) != 0 ||
        (!S_ISDIR(rst.st_mode) && !S_ISREG(rst.st_mode))) {
        close(fd);
        return dd__error_set(err, DD_EUNSUPPORTED,
                             "%s: neither a directory nor a regular file",
                             root);
    }
    tree t;
    memset(&t, 0, sizeof t);
    t.lim = resolve(lim);
    t.cb = cb;
    if (hooks) {
        t.hooks = *hooks;
    }
    t.root_dev = rst.st_dev;
    dd__buf_init(&t.path, (size_t)t.lim.max_path_len + 512);
    dd__vec_init(&t.first, sizeof(const char *));
    dd__arena_init(&t.names);
    t.linkbuf = dd__malloc((size_t)t.lim.max_path_len + 2);
    t.chunk = dd__malloc(CHUNK);
    int rc =
        t.linkbuf && t.chunk && dd__map_init(&t.inodes) == 0 ? 0 : DD_ENOMEM;
    if (!rc && S_ISDIR(rst.st_mode)) {
        rc = walk_dir(&t, fd, 0);
    } else if (!rc) {
        /* one file: a tree holding it under its base name */
        const char *slash = strrchr(root, '/');
        const char *base = slash && slash[1] ? slash + 1 : root;
        rc = dd__buf_addstr(&t.path, base) ? DD_ENOMEM : 0;
        t.st.entries = 1;
        if (!rc) {
            rc = regular(&t, -1, NULL, &rst, fd);
        }
    }
    /* dd__buf_add fails with DD_ELIMIT only past max_path_len + 512: the
     * path was checked before that */
    if (rc == DD_ENOMEM) {
        dd__error_set(err, rc, "out of memory");
    } else if (rc == DD_ELIMIT) {
        dd__error_set(err, rc, "%s: a limit stopped the read", root);
    }
    close(fd);
    if (st) {
        *st = t.st;
    }
    dd__buf_free(&t.path);
    dd__vec_free(&t.first);
    dd__arena_free(&t.names);
    dd__map_free(&t.inodes);
    dd__free(t.linkbuf);
    dd__free(t.chunk);
    return rc;
}
