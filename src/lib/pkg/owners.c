/*
 * lib/pkg/owners.c - per-package file lists (see owners.h).
 */
#include <string.h>

#include "owners.h"
#include "../analyze/analyzer.h"
#include "../layer/walk_int.h"

#define INFO_DIR   "var/lib/dpkg/info/"
#define STATUS_D   "var/lib/dpkg/status.d/"
#define DIVERSIONS "var/lib/dpkg/diversions"
#define APK_DB     "lib/apk/db/installed"

static int has_suffix(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && !memcmp(s + n - k, suf, k);
}

int dd__owners_is_db(const char *p)
{
    size_t n = strlen(p);
    if (!strncmp(p, INFO_DIR, strlen(INFO_DIR))) {
        return has_suffix(p, n, ".list") && !strchr(p + strlen(INFO_DIR), '/');
    }
    if (!strncmp(p, STATUS_D, strlen(STATUS_D))) {
        return has_suffix(p, n, ".md5sums") &&
               !strchr(p + strlen(STATUS_D), '/');
    }
    return !strcmp(p, DIVERSIONS) || !strcmp(p, APK_DB);
}

void dd__owned_free(dd__owned *o)
{
    if (!o) {
        return;
    }
    dd__arena_free(&o->strings);
    dd__vec_free(&o->files);
    dd__free(o);
}

/* store `s[0..n)` as a normalised path: strip leading "/" and "./",
 * drop a trailing "/"; refuse empty, NUL-containing or control bytes */
static int add_path(dd__owned *o, const char *s, size_t n, const char *pkg)
{
    for (;;) {
        if (n && *s == '/') {
            s++, n--;
        } else if (n >= 2 && s[0] == '.' && s[1] == '/') {
            s += 2, n -= 2;
        } else {
            break;
        }
    }
    while (n && s[n - 1] == '/') {
        n--;
    }
    if (!n || (n == 1 && *s == '.')) {
        return 0; /* "/." : the root */
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20) {
            o->bad_lines++;
            return 0;
        }
    }
    dd__owned_file *f = dd__vec_push(&o->files);
    char *p = f ? dd__arena_strndup(&o->strings, s, n) : NULL;
    if (!p) {
        if (f) {
            o->files.len--;
        }
        return DD_ENOMEM;
    }
    f->path = p;
    f->pkg = pkg;
    return 0;
}

/* the next line of [*p, e): its start, length in *n; NULL at the end */
static const char *next_line(const char **p, const char *e, size_t *n)
{
    if (*p >= e) {
        return NULL;
    }
    const char *l = *p, *nl = memchr(l, '\n', (size_t)(e - l));
    *n = (size_t)((nl ? nl : e) - l);
    *p = nl ? nl + 1 : e;
    return l;
}

#define FOR_LINES(data, len, l, n)                                     \
    const char *cur_ = (const char *)(data), *end_ = cur_ + (len), *l; \
    size_t n;                                                          \
    while ((l = next_line(&cur_, end_, &n)))

static int
parse_dpkg_list(dd__owned *o, const uint8_t *d, size_t len, const char *pkg)
{
    FOR_LINES(d, len, l, n)
    {
        if (n && l[n - 1] == '\r') {
            n--;
        }
        if (!n) {
            continue;
        }
        if (*l != '/') {
            o->bad_lines++;
            continue;
        }
        int rc = add_path(o, l, n, pkg);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* "<md5>  <path>" */
static int
parse_md5sums(dd__owned *o, const uint8_t *d, size_t len, const char *pkg)
{
    FOR_LINES(d, len, l, n)
    {
        if (!n) {
            continue;
        }
        if (n < 35 || l[32] != ' ' || l[33] != ' ') {
            o->bad_lines++;
            continue;
        }
        int rc = add_path(o, l + 34, n - 34, pkg);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* triplets: diverted path, where the packaged file went, diverting
 * package (":" = local admin). Both paths count as owned. */
static int parse_diversions(dd__owned *o, const uint8_t *d, size_t len)
{
    const char *trip[3];
    size_t tl[3];
    int k = 0;
    FOR_LINES(d, len, l, n)
    {
        trip[k] = l;
        tl[k] = n;
        if (++k < 3) {
            continue;
        }
        k = 0;
        if (!tl[0] || !tl[1] || *trip[0] != '/' || *trip[1] != '/') {
            o->bad_lines++;
            continue;
        }
        const char *pkg =
            dd__arena_strndup(&o->strings, trip[2], tl[2] ? tl[2] : 0);
        int rc = pkg ? add_path(o, trip[0], tl[0], pkg) : DD_ENOMEM;
        if (!rc) {
            rc = add_path(o, trip[1], tl[1], pkg);
        }
        if (rc) {
            return rc;
        }
    }
    if (k) {
        o->bad_lines++;
    }
    return 0;
}

static int parse_apk(dd__owned *o, const uint8_t *d, size_t len)
{
    const char *pkg = NULL;
    const char *dir = NULL;
    size_t dl = 0;
    char buf[8192];
    FOR_LINES(d, len, l, n)
    {
        if (n < 2 || l[1] != ':') {
            if (!n) {
                pkg = NULL, dir = NULL, dl = 0; /* next package */
            }
            continue;
        }
        int rc = 0;
        if (l[0] == 'P') {
            pkg = dd__arena_strndup(&o->strings, l + 2, n - 2);
            rc = pkg ? 0 : DD_ENOMEM;
        } else if (l[0] == 'F') {
            dir = l + 2;
            dl = n - 2;
            rc = add_path(o, dir, dl, pkg ? pkg : "?");
        } else if (l[0] == 'R') {
            if (!dir || dl + 1 + (n - 2) >= sizeof buf) {
                o->bad_lines++;
                continue;
            }
            memcpy(buf, dir, dl);
            buf[dl] = '/';
            memcpy(buf + dl + 1, l + 2, n - 2);
            rc = add_path(o, buf, dl + 1 + n - 2, pkg ? pkg : "?");
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int dd__owners_parse(dd__owned **out,
                     const char *path,
                     const uint8_t *data,
                     size_t len)
{
    *out = NULL;
    dd__owned *o = dd__calloc(1, sizeof *o);
    if (!o) {
        return DD_ENOMEM;
    }
    dd__arena_init(&o->strings);
    dd__vec_init(&o->files, sizeof(dd__owned_file));
    int rc = 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strcmp(path, APK_DB)) {
        rc = parse_apk(o, data, len);
    } else if (!strcmp(path, DIVERSIONS)) {
        rc = parse_diversions(o, data, len);
    } else {
        /* "<pkg>[:arch].list" / "<pkg>.md5sums" */
        size_t bl = strcspn(base, ":");
        const char *dot = strrchr(base, '.');
        if (dot && (size_t)(dot - base) < bl) {
            bl = (size_t)(dot - base);
        }
        const char *pkg = dd__arena_strndup(&o->strings, base, bl);
        if (!pkg) {
            rc = DD_ENOMEM;
        } else if (has_suffix(path, strlen(path), ".md5sums")) {
            rc = parse_md5sums(o, data, len, pkg);
        } else {
            rc = parse_dpkg_list(o, data, len, pkg);
        }
    }
    if (rc) {
        dd__owned_free(o);
        return rc;
    }
    *out = o;
    return 0;
}

int dd__owner_map_init(dd__owner_map *m)
{
    memset(m, 0, sizeof *m);
    dd__vec_init(&m->pkgs, sizeof(const char *));
    return dd__map_init(&m->map);
}

int dd__owner_map_add(dd__owner_map *m, const dd__owned *o)
{
    m->have_db = 1;
    for (size_t i = 0; i < o->files.len; i++) {
        const dd__owned_file *f = DD_VEC_AT(&o->files, dd__owned_file, i);
        const char **slot = dd__vec_push(&m->pkgs);
        if (!slot) {
            return DD_ENOMEM;
        }
        *slot = f->pkg;
        if (dd__map_put(&m->map, f->path, strlen(f->path),
                        (int64_t)(m->pkgs.len - 1))) {
            return DD_ENOMEM;
        }
    }
    return 0;
}

static const char *get1(const dd__owner_map *m, const char *p, size_t n)
{
    int64_t v;
    if (dd__map_get(&m->map, p, n, &v)) {
        return *DD_VEC_AT(&m->pkgs, const char *, (size_t)v);
    }
    return NULL;
}

const char *dd__owner_map_get(const dd__owner_map *m, const char *path)
{
    size_t n = strlen(path);
    const char *r = get1(m, path, n);
    if (r) {
        return r;
    }
    /* merged /usr: bin -> usr/bin, sbin -> usr/sbin, lib* -> usr/lib* */
    if (!strncmp(path, "usr/", 4)) {
        const char *t = path + 4;
        if (!strncmp(t, "bin/", 4) || !strncmp(t, "sbin/", 5) ||
            !strncmp(t, "lib", 3)) {
            return get1(m, t, n - 4);
        }
        return NULL;
    }
    if (!strncmp(path, "bin/", 4) || !strncmp(path, "sbin/", 5) ||
        !strncmp(path, "lib", 3)) {
        char buf[4200];
        if (n + 4 < sizeof buf) {
            memcpy(buf, "usr/", 4);
            memcpy(buf + 4, path, n + 1);
            return get1(m, buf, n + 4);
        }
    }
    return NULL;
}

void dd__owner_map_free(dd__owner_map *m)
{
    dd__map_free(&m->map);
    dd__vec_free(&m->pkgs);
}

/* ------------------------------------------------------------ analyzer */

typedef struct owned_rec {
    char *path;
    dd__owned *o;
} owned_rec;

typedef struct ostate {
    dd__vec recs; /* owned_rec */
} ostate;

static uint64_t o_wants(void *self, const dd_fs_node *n)
{
    (void)self;
    return n->size && dd__owners_is_db(n->path) ? n->size : 0;
}

static void *o_begin(void *self, size_t layer, dd_findings *findings)
{
    (void)self, (void)layer, (void)findings;
    ostate *s = dd__calloc(1, sizeof *s);
    if (s) {
        dd__vec_init(&s->recs, sizeof(owned_rec));
    }
    return s;
}

static int o_file(void *self,
                  void *st,
                  const dd_fs_node *n,
                  const uint8_t *data,
                  size_t len,
                  int truncated)
{
    (void)self;
    ostate *s = st;
    if (truncated) {
        return 0; /* cannot happen: we ask for the whole file */
    }
    dd__owned *o = NULL;
    int rc = dd__owners_parse(&o, n->path, data, len);
    if (rc) {
        return rc;
    }
    owned_rec *r = dd__vec_push(&s->recs);
    char *p = r ? dd__strdup(n->path) : NULL;
    if (!p) {
        if (r) {
            s->recs.len--;
        }
        dd__owned_free(o);
        return DD_ENOMEM;
    }
    r->path = p;
    r->o = o;
    return 0;
}

static void o_free(void *self, void *st)
{
    (void)self;
    ostate *s = st;
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->recs.len; i++) {
        owned_rec *r = DD_VEC_AT(&s->recs, owned_rec, i);
        dd__free(r->path);
        dd__owned_free(r->o);
    }
    dd__vec_free(&s->recs);
    dd__free(s);
}

void dd__owners_analyzer_init(dd__analyzer *a)
{
    *a = (dd__analyzer){.name = "owners",
                        .version = 1,
                        .wants = o_wants,
                        .layer_begin = o_begin,
                        .file = o_file,
                        .layer_free = o_free};
}

int dd__owner_map_build(dd__owner_map *m, const dd_walk *w, size_t ai)
{
    int rc = dd__owner_map_init(m);
    for (size_t l = 0; !rc && l < w->n_layers; l++) {
        const ostate *s = dd__walk_layer_state(w, ai, l);
        for (size_t i = 0; s && !rc && i < s->recs.len; i++) {
            const owned_rec *r = DD_VEC_AT(&s->recs, owned_rec, i);
            const dd_fs_node *v = dd__walk_find(w, r->path);
            if (v && v->layer == (int)l) {
                rc = dd__owner_map_add(m, r->o);
            }
        }
    }
    return rc;
}

int dd__owner_map_add_inventory(dd__owner_map *m, const dd_inventory *inv)
{
    for (size_t i = 0; i < dd_inventory_count(inv); i++) {
        const dd_package *p = dd_inventory_get(inv, i);
        for (size_t k = 0; k < p->n_files; k++) {
            const char **slot = dd__vec_push(&m->pkgs);
            if (!slot) {
                return DD_ENOMEM;
            }
            *slot = p->name;
            if (dd__map_put(&m->map, p->files[k], strlen(p->files[k]),
                            (int64_t)(m->pkgs.len - 1))) {
                return DD_ENOMEM;
            }
            m->have_db = 1;
        }
    }
    return 0;
}
