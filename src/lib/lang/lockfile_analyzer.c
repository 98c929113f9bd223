/*
 * lib/lang/lockfile_analyzer.c - the "lockfile" row: packages a project
 * pinned in its lockfiles (lockfile.h), added to the inventory with the
 * lockfile as their db_path.
 *
 * Which lockfiles: Cargo.lock always (a Rust binary carries no package
 * metadata of its own, so the lockfile a build left is the image's
 * inventory of crates); the others only when the image is a project
 * directory (DD_SOURCE_FS) or the scan asked for them
 * (dd_scan_opts.lockfiles, `--lockfiles`), since in an image what is
 * installed (the "lang" row) is what runs. Lockfiles under node_modules/
 * or vendor/ are installed packages' own and never read.
 *
 * Duplicates: a package the "lang" row found installed is not listed
 * again from a lockfile: for npm and Composer when it is installed in the
 * lockfile's own project (node_modules/ or vendor/ next to it), for the
 * other ecosystems (whose packages install into one site-packages, gem
 * home or module cache, not into the project) when the same name
 * (normalised as the ecosystem does) and version is installed anywhere in
 * the image. The same package in two lockfiles of one directory
 * (package-lock.json and yarn.lock) is listed once.
 */
#include <stdio.h>
#include <string.h>

#include "lockfile.h"
#include "drydock/errors.h"
#include "drydock/image.h"
#include "drydock/scan.h"
#include "../analyze/analyzer.h"
#include "../analyze/layer_recs.h"
#include "../eco/eco.h"
#include "../pkg/inventory.h"
#include "../../util/util.h"

#define LOCK_MAX (64u << 20)

typedef struct row {
    int all; /* every format, not only Cargo.lock */
} row;

typedef struct rec {
    const char *path;
    dd__lock_fmt fmt;
    int ok;
    const char *why; /* when !ok */
    dd__vec pkgs;    /* dd__lang_pkg */
    size_t skipped;
} rec;

typedef dd__layer_recs lstate; /* of rec */

/* a path component named node_modules or vendor */
static int installed_tree(const char *p)
{
    static const char *const dirs[] = {"node_modules/", "vendor/"};
    for (size_t i = 0; i < 2; i++) {
        for (const char *h = p; (h = strstr(h, dirs[i])); h++) {
            if (h == p || h[-1] == '/') {
                return 1;
            }
        }
    }
    return 0;
}

static dd__lock_fmt classify(const row *r, const char *path)
{
    dd__lock_fmt f = dd__lock_classify(path);
    if (f == DD__LOCK_NONE || (f != DD__LOCK_CARGO && !r->all) ||
        installed_tree(path)) {
        return DD__LOCK_NONE;
    }
    return f;
}

static uint64_t wants(void *self, const dd_fs_node *n)
{
    if (n->type != DD_ENTRY_FILE) {
        return 0;
    }
    return classify(self, n->path) != DD__LOCK_NONE ? LOCK_MAX : 0;
}

static void *layer_begin(void *self, size_t layer, dd_findings *findings)
{
    (void)self, (void)layer, (void)findings;
    return dd__layer_recs_new(sizeof(rec));
}

static void rec_fini(void *r)
{
    dd__vec_free(&((rec *)r)->pkgs);
}

static void layer_free(void *self, void *st)
{
    (void)self;
    dd__layer_recs_free(st, rec_fini);
}

static int on_file(void *self,
                   void *st,
                   const dd_fs_node *n,
                   const uint8_t *data,
                   size_t len,
                   int truncated)
{
    lstate *s = st;
    dd__lock_fmt f = classify(self, n->path);
    if (f == DD__LOCK_NONE) {
        return 0;
    }
    const char *path = NULL;
    rec *r = dd__layer_recs_add(s, n->path, &path);
    if (!r) {
        return DD_ENOMEM;
    }
    r->path = path;
    r->fmt = f;
    dd__vec_init(&r->pkgs, sizeof(dd__lang_pkg));
    char why[256] = "";
    int rc;
    if (truncated) {
        snprintf(why, sizeof why,
                 "%llu bytes, over the %u-byte limit: not read",
                 (unsigned long long)n->size, LOCK_MAX);
        rc = DD_ELIMIT;
    } else {
        rc = dd__lock_parse(f, &s->a, data, len, &r->pkgs, &r->skipped, why,
                            sizeof why);
    }
    if (rc == DD_ENOMEM) {
        return rc;
    }
    r->ok = rc == 0;
    if (!r->ok) {
        if (!why[0]) {
            snprintf(why, sizeof why, "%s", dd_strerror(rc));
        }
        if (!(r->why = dd__arena_strdup(&s->a, why))) {
            return DD_ENOMEM;
        }
    }
    return 0;
}

static const rec *
visible(const dd_walk *w, size_t ai, const char *path, int *layer)
{
    return dd__layer_recs_visible(w, ai, path, layer);
}

/* the project directory a package belongs to ("app/"; "" when the
 * ecosystem installs outside projects): its key part */
static size_t project_dir(dd_pkg_type t, const char *db_path, int lockfile)
{
    if (t != DD_PKG_NPM && t != DD_PKG_COMPOSER) {
        return 0;
    }
    if (lockfile) {
        const char *sl = strrchr(db_path, '/');
        return sl ? (size_t)(sl - db_path) + 1 : 0;
    }
    if (t == DD_PKG_NPM) {
        long ro = dd__npm_manifest_root(db_path);
        return ro > 0 ? (size_t)ro : 0;
    }
    static const char tail[] = "vendor/composer/installed.json";
    size_t n = strlen(db_path), k = sizeof tail - 1;
    return n >= k && !strcmp(db_path + n - k, tail) ? n - k : 0;
}

/* "type\0name\0version\0dir" in the arena; NULL on ENOMEM or a name the
 * ecosystem cannot normalise (never a duplicate then) */
static const char *key_of(dd__arena *a,
                          dd_pkg_type t,
                          const char *name,
                          const char *version,
                          const char *dir,
                          size_t dl,
                          size_t *kl,
                          int *nomem)
{
    char nm[1024];
    const dd__eco *e = dd__eco_by_pkg_type(t);
    if (!e || !name || !version || dd__eco_normalize(e, name, nm, sizeof nm)) {
        return NULL;
    }
    size_t nl = strlen(nm), vl = strlen(version);
    *kl = 2 + nl + 1 + vl + 1 + dl;
    char *k = dd__arena_alloc(a, *kl);
    if (!k) {
        *nomem = 1;
        return NULL;
    }
    k[0] = (char)('A' + (int)t);
    k[1] = '\0';
    memcpy(k + 2, nm, nl + 1);
    memcpy(k + 3 + nl, version, vl + 1);
    memcpy(k + 4 + nl + vl, dir, dl);
    return k;
}

static int warn(dd_inventory *inv, const rec *r, int layer, const char *why)
{
    char m[640];
    snprintf(m, sizeof m, "%s (layer %d): %s", r->path, layer, why);
    return dd__inventory_warn(inv, m);
}

static int finish(dd__scan_ctx *c, void *st, size_t ai, dd_error *err)
{
    (void)st;
    if (!c->inv) {
        return 0;
    }
    const dd_walk *w = c->walk;
    const dd_image_info *info = c->info;
    dd__arena a;
    dd__arena_init(&a);
    dd__map seen;
    if (dd__map_init(&seen)) {
        return dd__error_set(err, DD_ENOMEM, "out of memory");
    }
    int rc = 0, nomem = 0;
    /* the installed application packages */
    size_t ninv = dd_inventory_count(c->inv);
    for (size_t i = 0; !rc && i < ninv; i++) {
        const dd_package *p = dd_inventory_get(c->inv, i);
        if (!p->db_path || !dd__eco_by_pkg_type(p->type)) {
            continue;
        }
        size_t dl = project_dir(p->type, p->db_path, 0), kl;
        const char *k = key_of(&a, p->type, p->name, p->version, p->db_path, dl,
                               &kl, &nomem);
        rc = nomem ? DD_ENOMEM : k ? dd__map_put(&seen, k, kl, 1) : 0;
    }
    for (size_t i = 0; !rc && i < dd_walk_file_count(w); i++) {
        const dd_fs_node *n = dd_walk_file(w, i);
        int layer;
        const rec *r = n->type == DD_ENTRY_FILE &&
                               dd__lock_classify(n->path) != DD__LOCK_NONE
                           ? visible(w, ai, n->path, &layer)
                           : NULL;
        if (!r) {
            continue;
        }
        if (!r->ok) {
            dd__inventory_incomplete(c->inv);
            rc = warn(c->inv, r, layer, r->why);
            continue;
        }
        if (r->skipped) {
            char m[200];
            snprintf(m, sizeof m,
                     "%zu entr%s not listed (a path, git or URL source, no "
                     "pinned version, or an unresolved property)",
                     r->skipped, r->skipped == 1 ? "y" : "ies");
            if ((rc = warn(c->inv, r, layer, m))) {
                break;
            }
        }
        dd_package p;
        memset(&p, 0, sizeof p);
        p.type = dd__lock_pkg_type(r->fmt);
        p.db_path = n->path;
        p.layer = layer;
        p.history = info && layer >= 0 && (size_t)layer < info->n_layers
                        ? info->layers[layer].history
                        : -1;
        const char *sl = strrchr(n->path, '/');
        size_t dirl = sl ? (size_t)(sl - n->path) + 1 : 0;
        size_t pdl = project_dir(p.type, n->path, 1);
        for (size_t j = 0; !rc && j < r->pkgs.len; j++) {
            const dd__lang_pkg *lp = DD_VEC_AT(&r->pkgs, dd__lang_pkg, j);
            size_t kl, kl2;
            int64_t v;
            /* installed (or in an earlier lockfile of this directory) */
            const char *k = key_of(&a, p.type, lp->name, lp->version, n->path,
                                   pdl, &kl, &nomem);
            const char *k2 = key_of(&a, p.type, lp->name, lp->version, n->path,
                                    dirl, &kl2, &nomem);
            if (nomem) {
                rc = DD_ENOMEM;
                break;
            }
            if ((k && dd__map_get(&seen, k, kl, &v)) ||
                (k2 && dd__map_get(&seen, k2, kl2, &v))) {
                continue;
            }
            if (k2 && (rc = dd__map_put(&seen, k2, kl2, 2))) {
                break;
            }
            p.name = lp->name;
            p.version = lp->version;
            p.upstream = lp->version;
            p.dev = lp->dev;
            rc = dd__inventory_add(c->inv, &p);
        }
    }
    dd__map_free(&seen);
    dd__arena_free(&a);
    dd__inventory_sort(c->inv);
    return rc ? dd__error_set(err, rc, "lockfile packages: %s", dd_strerror(rc))
              : 0;
}

static int setup(dd__scan_ctx *c, void **state, dd__analyzer *h, dd_error *e)
{
    row *r = dd__calloc(1, sizeof *r);
    if (!r) {
        return dd__error_set(e, DD_ENOMEM, "out of memory");
    }
    r->all = c->lockfiles || (c->info && c->info->source == DD_SOURCE_FS);
    memset(h, 0, sizeof *h);
    h->name = "lockfile";
    h->version = 1;
    h->self = r;
    h->wants = wants;
    h->layer_begin = layer_begin;
    h->file = on_file;
    h->layer_free = layer_free;
    *state = r;
    return 0;
}

static void teardown(dd__scan_ctx *c, void *state)
{
    (void)c;
    dd__free(state);
}

/* Part of the "packages" scanner (same bit, like "lang"); after "lang",
 * whose packages it does not list twice. */
const dd__analyzer_def dd__row_lockfile = {
    .name = "lockfile",
    .version = 1,
    .scanner = DD_SCANNER_PACKAGES,
    .provides = DD__ROW_PACKAGES,
    .needs = DD__ROW_PACKAGES,
    .libraries = 1,
    .setup = setup,
    .finish = finish,
    .teardown = teardown,
};
