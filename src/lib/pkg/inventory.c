/*
 * lib/pkg/inventory.c - the package analyzer and the image's inventory.
 *
 * While a layer streams, the analyzer asks for the package databases and
 * release files (by path, before reading content), parses each database
 * in the layer's worker thread, and keeps the parsed result in the layer's
 * state. After the merge, the inventory takes each database path that is
 * visible in the final filesystem from the layer that last wrote it, and
 * attributes every package to the earliest layer of the uninterrupted run
 * of layers whose copy of that database lists the same version: the layer
 * that installed it or last changed it. Packages removed by a later layer
 * are gone from the visible database and so are not reported.
 *
 * Limitation: a database deleted by a whiteout and recreated later with
 * the same versions is attributed across the gap (whiteouts are not
 * offered to analyzers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "inventory.h"
#include "pkgdb.h"
#include "../../util/sha256.h"
#include "../analyze/analyzer.h"
#include "../analyze/layer_recs.h"
#include "../../util/map.h"
#include "../../util/path.h"
#include "../license/license_int.h"

enum kind {
    K_OS_ETC,
    K_OS_USR,
    K_ALPINE,
    K_DEBVER,
    K_REDHAT,
    K_DPKG,
    K_DPKG_D,
    K_DPKG_LIST,
    K_DPKG_MD5, /* status.d/<pkg>.md5sums of distroless images */
    K_APK,
    K_RPM_BDB,
    K_RPM_NDB,
    K_RPM_SQLITE,
    K_COPYRIGHT /* usr/share/doc/<pkg>/copyright: the package's licenses */
};

static const struct {
    const char *path;
    enum kind kind;
} FIXED[] = {
    {"etc/os-release", K_OS_ETC},
    {"usr/lib/os-release", K_OS_USR},
    {"etc/alpine-release", K_ALPINE},
    {"etc/debian_version", K_DEBVER},
    {"etc/redhat-release", K_REDHAT},
    {"var/lib/dpkg/status", K_DPKG},
    {"lib/apk/db/installed", K_APK},
    {"usr/lib/apk/db/installed", K_APK},
    {"var/lib/rpm/Packages", K_RPM_BDB},
    {"var/lib/rpm/Packages.db", K_RPM_NDB},
    {"var/lib/rpm/rpmdb.sqlite", K_RPM_SQLITE},
    {"usr/lib/sysimage/rpm/Packages", K_RPM_BDB},
    {"usr/lib/sysimage/rpm/Packages.db", K_RPM_NDB},
    {"usr/lib/sysimage/rpm/rpmdb.sqlite", K_RPM_SQLITE},
};

#define STATUS_D "var/lib/dpkg/status.d/"
#define INFO_D   "var/lib/dpkg/info/"
#define DOC_D    "usr/share/doc/"

static int classify(const char *p)
{
    for (size_t i = 0; i < sizeof FIXED / sizeof *FIXED; i++) {
        if (!strcmp(p, FIXED[i].path)) {
            return (int)FIXED[i].kind;
        }
    }
    size_t n = strlen(p);
    if (!strncmp(p, STATUS_D, sizeof STATUS_D - 1) &&
        !strchr(p + sizeof STATUS_D - 1, '/') && n > sizeof STATUS_D - 1) {
        return n > sizeof STATUS_D + 7 && !strcmp(p + n - 8, ".md5sums")
                   ? K_DPKG_MD5
                   : K_DPKG_D;
    }
    if (!strncmp(p, INFO_D, sizeof INFO_D - 1) &&
        !strchr(p + sizeof INFO_D - 1, '/') && n > sizeof INFO_D + 4 &&
        !strcmp(p + n - 5, ".list")) {
        return K_DPKG_LIST;
    }
    if (!strncmp(p, DOC_D, sizeof DOC_D - 1) && n > sizeof DOC_D + 10 &&
        !strcmp(p + n - 10, "/copyright")) {
        const char *pkg = p + sizeof DOC_D - 1;
        const char *sl = strchr(pkg, '/');
        if (sl && sl > pkg && sl == p + n - 10) {
            return K_COPYRIGHT;
        }
    }
    return -1;
}

static uint64_t limit_for(int k)
{
    switch (k) {
    case K_OS_ETC:
    case K_OS_USR:
    case K_ALPINE:
    case K_DEBVER:
    case K_REDHAT:
        return 64u << 10;
    case K_DPKG_D:
        return 16u << 20;
    case K_DPKG_LIST:
    case K_DPKG_MD5:
        return 64u << 20;
    case K_COPYRIGHT:
        return DD_COPYRIGHT_MAX;
    case K_DPKG:
    case K_APK:
        return 256u << 20;
    default:
        return 1024u << 20;
    }
}

typedef struct cap {
    const char *path;
    int kind;
    dd__pkgdb *db;    /* database kinds */
    const char *text; /* release files and .list files */
    size_t len;
    int truncated;
    uint64_t size;
} cap;

typedef dd__layer_recs lstate; /* of cap */

static uint64_t wants(void *self, const dd_fs_node *n)
{
    (void)self;
    int k = classify(n->path);
    return k < 0 ? 0 : limit_for(k);
}

static void *layer_begin(void *self, size_t layer, dd_findings *findings)
{
    (void)self;
    (void)layer;
    (void)findings;
    return dd__layer_recs_new(sizeof(cap));
}

static void cap_fini(void *c)
{
    dd__pkgdb_free(((cap *)c)->db);
}

static void layer_free(void *self, void *st)
{
    (void)self;
    dd__layer_recs_free(st, cap_fini);
}

struct dd__pkg_dbcache {
    pthread_mutex_t mu;
    dd__map index; /* "kind:path:sha256" -> slot in dbs */
    dd__vec dbs;   /* dd__pkgdb * (one reference each) */
    dd__arena keys;
};

dd__pkg_dbcache *dd__pkg_dbcache_new(void)
{
    dd__pkg_dbcache *c = dd__calloc(1, sizeof *c);
    if (!c) {
        return NULL;
    }
    if (dd__map_init(&c->index)) {
        dd__free(c);
        return NULL;
    }
    pthread_mutex_init(&c->mu, NULL);
    dd__vec_init(&c->dbs, sizeof(dd__pkgdb *));
    dd__arena_init(&c->keys);
    return c;
}

void dd__pkg_dbcache_free(dd__pkg_dbcache *c)
{
    if (!c) {
        return;
    }
    for (size_t i = 0; i < c->dbs.len; i++) {
        dd__pkgdb_free(*DD_VEC_AT(&c->dbs, dd__pkgdb *, i));
    }
    dd__vec_free(&c->dbs);
    dd__map_free(&c->index);
    dd__arena_free(&c->keys);
    pthread_mutex_destroy(&c->mu);
    dd__free(c);
}

/* the shared parse of these bytes, with a reference for the caller, or
 * NULL when none is cached yet */
static dd__pkgdb *cache_get(dd__pkg_dbcache *c, const char *key)
{
    dd__pkgdb *db = NULL;
    int64_t slot;
    pthread_mutex_lock(&c->mu);
    if (dd__map_get(&c->index, key, strlen(key), &slot)) {
        db = dd__pkgdb_ref(*DD_VEC_AT(&c->dbs, dd__pkgdb *, (size_t)slot));
    }
    pthread_mutex_unlock(&c->mu);
    return db;
}

/* Keep `db` (a complete parse) for the next layer with the same bytes;
 * when another worker got there first, `*db` becomes the shared one. */
static void cache_put(dd__pkg_dbcache *c, const char *key, dd__pkgdb **db)
{
    int64_t slot;
    pthread_mutex_lock(&c->mu);
    if (dd__map_get(&c->index, key, strlen(key), &slot)) {
        dd__pkgdb *shared = *DD_VEC_AT(&c->dbs, dd__pkgdb *, (size_t)slot);
        dd__pkgdb_free(*db);
        *db = dd__pkgdb_ref(shared);
    } else {
        char *k = dd__arena_strdup(&c->keys, key);
        dd__pkgdb **p = k ? dd__vec_push(&c->dbs) : NULL;
        if (p &&
            !dd__map_put(&c->index, k, strlen(k), (int64_t)c->dbs.len - 1)) {
            *p = dd__pkgdb_ref(*db);
        } else if (p) {
            c->dbs.len--; /* out of memory: simply not shared */
        }
    }
    pthread_mutex_unlock(&c->mu);
}

static int on_file(void *self,
                   void *st,
                   const dd_fs_node *n,
                   const uint8_t *data,
                   size_t len,
                   int truncated)
{
    dd__pkg_dbcache *cache = self;
    lstate *s = st;
    int k = classify(n->path);
    if (k < 0) {
        return 0;
    }
    const char *path = NULL;
    cap *c = dd__layer_recs_add(s, n->path, &path);
    if (!c) {
        return DD_ENOMEM;
    }
    c->path = path;
    c->kind = k;
    c->truncated = truncated;
    c->size = n->size;
    if (k == K_COPYRIGHT) {
        /* keep only the licenses found (a file over the limit is read
         * in part: the machine-readable fields come first) */
        char *lic = NULL;
        int rc = dd__license_copyright(data, len, &lic, NULL);
        if (rc == DD_ENOMEM) {
            return rc;
        }
        if (lic) {
            c->text = dd__arena_strdup(&s->a, lic);
            dd__free(lic);
            if (!c->text) {
                return DD_ENOMEM;
            }
            c->len = strlen(c->text);
        }
        return 0;
    }
    if (k <= K_REDHAT || k == K_DPKG_LIST || k == K_DPKG_MD5) {
        char *t = dd__arena_alloc(&s->a, len + 1);
        if (!t) {
            return DD_ENOMEM;
        }
        memcpy(t, data, len);
        t[len] = '\0';
        c->text = t;
        c->len = len;
        return 0;
    }
    char key[4200];
    key[0] = '\0';
    if (!truncated && cache) {
        char digest[72];
        dd__sha256_digest(data, len, digest);
        int kn = snprintf(key, sizeof key, "%d:%s:%s", k, digest, n->path);
        if (kn < 0 || (size_t)kn >= sizeof key) {
            key[0] = '\0';
        } else if ((c->db = cache_get(cache, key)) != NULL) {
            return 0;
        }
    }
    c->db = dd__pkgdb_new(n->path);
    if (!c->db) {
        return DD_ENOMEM;
    }
    if (truncated) {
        dd__pkgdb_warn(c->db, "%llu bytes, over the %llu-byte limit: not read",
                       (unsigned long long)n->size,
                       (unsigned long long)limit_for(k));
        c->db->complete = 0;
        return 0;
    }
    int rc = 0;
    switch (k) {
    case K_DPKG:
    case K_DPKG_D:
        rc = dd__dpkg_parse(c->db, data, len, k == K_DPKG_D);
        break;
    case K_APK:
        rc = dd__apk_parse(c->db, data, len);
        break;
    case K_RPM_BDB:
        rc = dd__rpmdb_bdb(c->db, data, len);
        break;
    case K_RPM_NDB:
        rc = dd__rpmdb_ndb(c->db, data, len);
        break;
    case K_RPM_SQLITE:
        rc = dd__rpmdb_sqlite(c->db, data, len);
        break;
    default:
        break;
    }
    if (rc || c->db->oom) {
        return DD_ENOMEM;
    }
    if (key[0]) {
        cache_put(cache, key, &c->db);
    }
    return 0;
}

void dd__pkg_analyzer_init(dd__analyzer *a)
{
    memset(a, 0, sizeof *a);
    a->name = "packages";
    a->version = 2; /* 2: dpkg licenses from copyright files */
    a->wants = wants;
    a->layer_begin = layer_begin;
    a->file = on_file;
    a->layer_free = layer_free;
}

/* ---- the inventory --------------------------------------------------- */

struct dd_inventory {
    dd__arena a;
    dd_os_info os;
    int has_os;
    dd__vec pkgs;     /* dd_package */
    dd__vec warnings; /* const char * */
    int complete;
};

typedef struct builder {
    dd_inventory *inv;
    const dd_walk *w;
    size_t ai;
    const dd_image *img;
} builder;

static const cap *lookup(const builder *b, size_t layer, const char *path)
{
    return dd__layer_recs_in(b->w, b->ai, layer, path);
}

/* Visible regular file at `path` and its captured content. */
static const cap *visible(const builder *b, const char *path, int *layer)
{
    const dd_fs_node *n = dd__walk_find(b->w, path);
    if (!n || n->type != DD_ENTRY_FILE) {
        return NULL;
    }
    *layer = n->layer;
    return lookup(b, (size_t)n->layer, path);
}

static int warn(dd_inventory *inv, const char *msg, int layer)
{
    const char **slot = dd__vec_push(&inv->warnings);
    if (!slot) {
        return DD_ENOMEM;
    }
    char buf[640];
    snprintf(buf, sizeof buf, "%s (layer %d)", msg, layer);
    *slot = dd__arena_strdup(&inv->a, buf);
    return *slot ? 0 : DD_ENOMEM;
}

static char *pkg_key(dd__arena *a, const dd_package *p)
{
    size_t n = strlen(p->name), m = p->arch ? strlen(p->arch) : 0;
    char *k = dd__arena_alloc(a, n + m + 2);
    if (k) {
        memcpy(k, p->name, n);
        k[n] = '\x01';
        if (m) {
            memcpy(k + n + 1, p->arch, m);
        }
        k[n + 1 + m] = '\0';
    }
    return k;
}

/* Files of a dpkg package: info/<pkg>[:<arch>].list, or for distroless
 * images status.d/<pkg>.md5sums ("<md5>  <path>" lines). */
static const char *const *
dpkg_files(builder *b, const dd_package *p, size_t *count)
{
    char path[600];
    const cap *c = NULL;
    int layer;
    *count = 0;
    if (p->arch) {
        snprintf(path, sizeof path, INFO_D "%s:%s.list", p->name, p->arch);
        c = visible(b, path, &layer);
    }
    if (!c) {
        snprintf(path, sizeof path, INFO_D "%s.list", p->name);
        c = visible(b, path, &layer);
    }
    if (!c) {
        snprintf(path, sizeof path, STATUS_D "%s.md5sums", p->name);
        c = visible(b, path, &layer);
    }
    if (!c || !c->text) {
        return NULL;
    }
    int md5 = c->kind == K_DPKG_MD5;
    size_t lines = 0;
    for (size_t i = 0; i < c->len; i++) {
        lines += c->text[i] == '\n';
    }
    const char **v =
        dd__arena_alloc(&b->inv->a, (lines + 1) * sizeof(const char *));
    if (!v) {
        return NULL;
    }
    const char *s = c->text, *end = c->text + c->len;
    size_t n = 0;
    while (s < end && n <= lines) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        const char *q = s;
        if (md5) {
            const char *sp = memchr(s, ' ', (size_t)(le - s));
            q = sp ? sp : le;
            while (q < le && *q == ' ') {
                q++;
            }
        }
        while (q < le && *q == '/') {
            q++;
        }
        if (q < le && !(le - q == 1 && *q == '.')) {
            v[n] = dd__arena_strndup(&b->inv->a, q, (size_t)(le - q));
            if (!v[n]) {
                return NULL;
            }
            n++;
        }
        s = nl ? nl + 1 : end;
    }
    *count = n;
    return v;
}

/* Licenses of a dpkg package from its visible copyright file. Debian
 * links doc directories and copyright files to other packages'
 * ("usr/share/doc/libctf0 -> libbinutils -> binutils-common",
 * "copyright -> ../python3/copyright"): up to 4 links are followed
 * lexically inside usr/share/doc/. NULL when unknown. */
static const char *dpkg_license(builder *b, const dd_package *p)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, DOC_D "%s", p->name);
    for (int hop = 0; hop < 5; hop++) {
        snprintf(path, sizeof path, "%s/copyright", dir);
        const dd_fs_node *n = dd__walk_find(b->w, path);
        const char *from = path;
        if (!n) {
            n = dd__walk_find(b->w, dir);
            from = dir;
        }
        if (!n) {
            return NULL;
        }
        if (n->type == DD_ENTRY_FILE && from == path) {
            const cap *c = lookup(b, (size_t)n->layer, path);
            return c && c->kind == K_COPYRIGHT ? c->text : NULL;
        }
        if (n->type != DD_ENTRY_SYMLINK || !n->linkname) {
            return NULL;
        }
        dd__buf t;
        dd__buf_init(&t, 600);
        unsigned fl = 0;
        int rc = dd__path_resolve_link(from, n->linkname, &t, &fl);
        int ok = !rc && t.ptr && !(fl & DD_PATH_ESCAPES) &&
                 !strncmp(t.ptr, DOC_D, sizeof DOC_D - 1);
        if (ok && from == path) {
            /* a linked copyright file: its directory, read on the next
             * hop as "<dir>/copyright" */
            size_t l = strlen(t.ptr);
            ok = l > 10 && !strcmp(t.ptr + l - 10, "/copyright");
            if (ok) {
                t.ptr[l - 10] = '\0';
            }
        }
        if (ok) {
            snprintf(dir, sizeof dir, "%s", t.ptr);
            ok = !strchr(dir + sizeof DOC_D - 1, '/') &&
                 dir[sizeof DOC_D - 1] != '\0';
        }
        dd__buf_free(&t);
        if (!ok) {
            return NULL;
        }
    }
    return NULL;
}

/* Add the packages of the visible database `c` (from `layer`). */
static int add_db(builder *b, const cap *c, int layer)
{
    dd_inventory *inv = b->inv;
    const dd__pkgdb *db = c->db;
    if (!db) {
        return 0;
    }
    for (size_t i = 0; i < db->warnings.len; i++) {
        if (warn(inv, *DD_VEC_AT(&db->warnings, const char *, i), layer)) {
            return DD_ENOMEM;
        }
    }
    if (db->warnings_dropped) {
        char m[128];
        snprintf(m, sizeof m, "%s: %zu more warnings", db->path,
                 db->warnings_dropped);
        if (warn(inv, m, layer)) {
            return DD_ENOMEM;
        }
    }
    if (!db->complete) {
        inv->complete = 0;
    }
    size_t first = inv->pkgs.len, n = db->pkgs.len;
    char *active = dd__calloc(n + 1, 1);
    if (!active) {
        return DD_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        dd_package *p = dd__vec_push(&inv->pkgs);
        if (!p) {
            dd__free(active);
            return DD_ENOMEM;
        }
        *p = *DD_VEC_AT(&db->pkgs, dd_package, i);
        p->layer = layer;
        active[i] = 1;
        if (p->type == DD_PKG_DPKG) {
            p->files = dpkg_files(b, p, &p->n_files);
            if (!p->license) {
                p->license = dpkg_license(b, p);
            }
        }
    }
    /* walk back through earlier copies of the same database */
    size_t left = n;
    for (int j = layer - 1; j >= 0 && left; j--) {
        const cap *e = lookup(b, (size_t)j, c->path);
        if (!e || !e->db) {
            continue;
        }
        if (e->db == db) {
            /* the same bytes, parsed once: every package is unchanged */
            for (size_t i = 0; i < n; i++) {
                if (active[i]) {
                    DD_VEC_AT(&inv->pkgs, dd_package, first + i)->layer = j;
                }
            }
            continue;
        }
        dd__map m;
        if (dd__map_init(&m)) {
            dd__free(active);
            return DD_ENOMEM;
        }
        int rc = 0;
        for (size_t k = 0; k < e->db->pkgs.len && !rc; k++) {
            const dd_package *q = DD_VEC_AT(&e->db->pkgs, dd_package, k);
            char *key = pkg_key(&inv->a, q);
            rc =
                key ? dd__map_put(&m, key, strlen(key), (int64_t)k) : DD_ENOMEM;
        }
        for (size_t i = 0; i < n && !rc; i++) {
            if (!active[i]) {
                continue;
            }
            dd_package *p = DD_VEC_AT(&inv->pkgs, dd_package, first + i);
            char *key = pkg_key(&inv->a, p);
            int64_t k;
            if (!key) {
                rc = DD_ENOMEM;
            } else if (dd__map_get(&m, key, strlen(key), &k) &&
                       !strcmp(DD_VEC_AT(&e->db->pkgs, dd_package, (size_t)k)
                                   ->version,
                               p->version)) {
                p->layer = j;
            } else {
                active[i] = 0;
                left--;
            }
        }
        dd__map_free(&m);
        if (rc) {
            dd__free(active);
            return rc;
        }
    }
    dd__free(active);
    const dd_image_info *info = dd_image_info_get(b->img);
    for (size_t i = first; i < inv->pkgs.len; i++) {
        dd_package *p = DD_VEC_AT(&inv->pkgs, dd_package, i);
        p->history = p->layer >= 0 && (size_t)p->layer < info->n_layers
                         ? info->layers[p->layer].history
                         : -1;
    }
    return 0;
}

static int cmp_pkg(const void *x, const void *y)
{
    const dd_package *a = x, *b = y;
    if (a->type != b->type) {
        return a->type < b->type ? -1 : 1;
    }
    int c = strcmp(a->name, b->name);
    if (c) {
        return c;
    }
    c = strcmp(a->arch ? a->arch : "", b->arch ? b->arch : "");
    c = c ? c : strcmp(a->version, b->version);
    return c ? c
             : strcmp(a->db_path ? a->db_path : "",
                      b->db_path ? b->db_path : "");
}

static void detect_os(builder *b)
{
    dd__os_files f;
    memset(&f, 0, sizeof f);
    int layer;
    const cap *c = visible(b, "etc/os-release", &layer);
    if (!c) {
        c = visible(b, "usr/lib/os-release", &layer);
    }
    if (c && c->text) {
        f.os_release = c->text;
        f.os_release_len = c->len;
        f.os_release_path = c->path;
    }
    if ((c = visible(b, "etc/alpine-release", &layer)) && c->text) {
        f.alpine_release = c->text;
        f.alpine_release_len = c->len;
    }
    if ((c = visible(b, "etc/debian_version", &layer)) && c->text) {
        f.debian_version = c->text;
        f.debian_version_len = c->len;
    }
    if ((c = visible(b, "etc/redhat-release", &layer)) && c->text) {
        f.redhat_release = c->text;
        f.redhat_release_len = c->len;
    }
    for (size_t i = 0; i < dd_walk_file_count(b->w); i++) {
        const dd_fs_node *n = dd_walk_file(b->w, i);
        if (classify(n->path) == K_DPKG_D) {
            f.has_status_d = 1;
            break;
        }
    }
    b->inv->has_os =
        dd__os_detect(&f, &b->inv->a, &b->inv->os, (int64_t)time(NULL)) == 0;
}

int dd__inventory_build(dd_inventory **out,
                        const dd_walk *w,
                        size_t ai,
                        const dd_image *img)
{
    dd_inventory *inv = dd__calloc(1, sizeof *inv);
    if (!inv) {
        return DD_ENOMEM;
    }
    dd__arena_init(&inv->a);
    dd__vec_init(&inv->pkgs, sizeof(dd_package));
    dd__vec_init(&inv->warnings, sizeof(const char *));
    inv->complete = 1;
    builder b = {inv, w, ai, img};
    detect_os(&b);
    int rc = 0;
    for (size_t i = 0; i < sizeof FIXED / sizeof *FIXED && !rc; i++) {
        if (FIXED[i].kind < K_DPKG) {
            continue;
        }
        int layer;
        const cap *c = visible(&b, FIXED[i].path, &layer);
        if (c) {
            rc = add_db(&b, c, layer);
        }
    }
    for (size_t i = 0; i < dd_walk_file_count(w) && !rc; i++) {
        const dd_fs_node *n = dd_walk_file(w, i);
        if (n->type == DD_ENTRY_FILE && classify(n->path) == K_DPKG_D) {
            const cap *c = lookup(&b, (size_t)n->layer, n->path);
            if (c) {
                rc = add_db(&b, c, n->layer);
            }
        }
    }
    if (rc) {
        dd__inventory_free(inv);
        return rc;
    }
    if (inv->pkgs.len) { /* qsort(NULL, 0) is undefined */
        qsort(inv->pkgs.items, inv->pkgs.len, sizeof(dd_package), cmp_pkg);
    }
    *out = inv;
    return 0;
}

void dd__inventory_free(dd_inventory *inv)
{
    if (!inv) {
        return;
    }
    dd__vec_free(&inv->pkgs);
    dd__vec_free(&inv->warnings);
    dd__arena_free(&inv->a);
    dd__free(inv);
}

const dd_os_info *dd_inventory_os(const dd_inventory *inv)
{
    return inv && inv->has_os ? &inv->os : NULL;
}

size_t dd_inventory_count(const dd_inventory *inv)
{
    return inv ? inv->pkgs.len : 0;
}

const dd_package *dd_inventory_get(const dd_inventory *inv, size_t i)
{
    return inv && i < inv->pkgs.len ? DD_VEC_AT(&inv->pkgs, dd_package, i)
                                    : NULL;
}

size_t dd_inventory_warning_count(const dd_inventory *inv)
{
    return inv ? inv->warnings.len : 0;
}

const char *dd_inventory_warning(const dd_inventory *inv, size_t i)
{
    return inv && i < inv->warnings.len
               ? *DD_VEC_AT(&inv->warnings, const char *, i)
               : NULL;
}

int dd_inventory_complete(const dd_inventory *inv)
{
    return inv ? inv->complete : 1;
}

int dd__inventory_add(dd_inventory *inv, const dd_package *p)
{
    dd_package *q = dd__vec_push(&inv->pkgs);
    if (!q) {
        return DD_ENOMEM;
    }
    *q = *p;
    q->files = NULL;
    q->n_files = 0;
    dd__arena *a = &inv->a;
    const char **f[] = {&q->name,        &q->version,        &q->epoch,
                        &q->upstream,    &q->release,        &q->arch,
                        &q->source_name, &q->source_version, &q->maintainer,
                        &q->vendor,      &q->license,        &q->checksum,
                        &q->source_rpm,  &q->modularity,     &q->db_path};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        if (*f[i] && !(*f[i] = dd__arena_strdup(a, *f[i]))) {
            inv->pkgs.len--;
            return DD_ENOMEM;
        }
    }
    return 0;
}

int dd__inventory_warn(dd_inventory *inv, const char *line)
{
    const char **slot = dd__vec_push(&inv->warnings);
    if (!slot) {
        return DD_ENOMEM;
    }
    *slot = dd__arena_strdup(&inv->a, line);
    if (!*slot) {
        inv->warnings.len--;
        return DD_ENOMEM;
    }
    return 0;
}

void dd__inventory_incomplete(dd_inventory *inv)
{
    inv->complete = 0;
}

void dd__inventory_sort(dd_inventory *inv)
{
    if (inv->pkgs.len) {
        qsort(inv->pkgs.items, inv->pkgs.len, sizeof(dd_package), cmp_pkg);
    }
}

void dd__inventory_drop_os(dd_inventory *inv)
{
    dd_package *v = inv->pkgs.items;
    size_t k = 0;
    for (size_t i = 0; i < inv->pkgs.len; i++) {
        dd_pkg_type t = v[i].type;
        if (t != DD_PKG_DPKG && t != DD_PKG_APK && t != DD_PKG_RPM) {
            v[k++] = v[i];
        }
    }
    inv->pkgs.len = k;
}

int dd__inventory_set_os(dd_inventory *inv,
                         const char *os_release,
                         size_t len,
                         const char *source)
{
    dd__os_files f;
    memset(&f, 0, sizeof f);
    char *t = dd__arena_strndup(&inv->a, os_release, len);
    const char *src = dd__arena_strdup(&inv->a, source);
    if (!t || !src) {
        return DD_ENOMEM;
    }
    f.os_release = t;
    f.os_release_len = len;
    f.os_release_path = src;
    int rc = dd__os_detect(&f, &inv->a, &inv->os, (int64_t)time(NULL));
    inv->has_os = rc == 0;
    return rc;
}
