/*
 * lib/lang/lang_analyzer.c - the "lang" row: application packages from their
 * installed metadata (what is really in the image, not what a lockfile
 * wished).
 *
 * During the walk each layer worker parses the metadata files it meets
 * (npm: node_modules/.../package.json of each package, and the project's
 * package-lock.json or node_modules/.package-lock.json for dev flags;
 * Python: *.dist-info/METADATA, *.egg-info, EGG-INFO/PKG-INFO; Ruby:
 * specifications/.../NAME.gemspec; PHP: vendor/composer/installed.json; .NET:
 * *.deps.json; conda: conda-meta/NAME.json; Go: the build info of each
 * executable, see gobin.c; Rust: the crates cargo-auditable embeds in an
 * executable, see rustbin.c; Java: *.jar, *.war, *.ear, *.par archives,
 * java.h) and keeps the result in its
 * layer state. After the merge, every visible
 * manifest becomes one package of the inventory, attributed to the layer
 * that last wrote it; nested copies (a/node_modules/b) are separate
 * packages with their own path. Unreadable manifests are reported as
 * inventory warnings (path, layer, why) and mark the list incomplete.
 */
#include <stdio.h>
#include <string.h>

#include "lang.h"
#include "java.h"
#include "drydock/errors.h"
#include "drydock/image.h"
#include "../analyze/analyzer.h"
#include "../analyze/layer_recs.h"
#include "../pkg/inventory.h"
#include "../../util/util.h"

enum kind {
    K_NONE = 0,
    K_NPM_PKG,
    K_NPM_LOCK,
    K_PY_META,
    K_GEMSPEC,
    K_COMPOSER,
    K_DOTNET,
    K_CONDA,
    K_GOBIN,
    K_JAR,
    K_RUSTBIN /* an executable with cargo-auditable's .dep-v0 (rustbin.c):
                 a K_GOBIN file whose record says so */
};

#define NPM_PKG_MAX  (1u << 20)
#define NPM_LOCK_MAX (64u << 20)
#define PY_META_MAX  (64u << 10) /* the header block; the rest is text */
#define GEMSPEC_MAX  (1u << 20)
#define COMPOSER_MAX (64u << 20)
#define DOTNET_MAX   (64u << 20)
#define CONDA_MAX    (64u << 20)  /* conda-meta lists every file */
#define GOBIN_MAX    (256u << 20) /* a whole executable */
/* a JAR/WAR/EAR/PAR is buffered whole (its directory is at the end):
 * each parallel layer worker may hold one, plus JAVA_NESTED_LIVE */
#define JAR_MAX (64u << 20)

struct dd__lang {
    int unused;
};

typedef struct rec {
    const char *path;
    int kind;
    int ok;
    const char *why; /* when !ok */
    dd__lang_pkg pkg;
    dd__map *dev;     /* K_NPM_LOCK */
    dd__vec *pkgs;    /* dd__lang_pkg: K_COMPOSER, K_DOTNET */
    const char *warn; /* ok, but some entries were skipped */
    dd__vec *jars;    /* dd__java_pkg: K_JAR */
} rec;

typedef dd__layer_recs lstate; /* of rec */

static int classify(const char *p)
{
    const char *b = strrchr(p, '/');
    b = b ? b + 1 : p;
    if (b[0] == 'p' && !strcmp(b, "package.json")) {
        return dd__npm_manifest_root(p) >= 0 ? K_NPM_PKG : K_NONE;
    }
    if (!strcmp(b, "package-lock.json") ||
        (!strcmp(b, ".package-lock.json") && b - p >= 13 &&
         !strncmp(b - 13, "node_modules/", 13))) {
        return K_NPM_LOCK;
    }
    if (dd__py_metadata_path(p)) {
        return K_PY_META;
    }
    if (dd__gemspec_path(p)) {
        return K_GEMSPEC;
    }
    if (dd__composer_path(p)) {
        return K_COMPOSER;
    }
    if (dd__dotnet_path(p)) {
        return K_DOTNET;
    }
    if (dd__conda_path(p)) {
        return K_CONDA;
    }
    if (dd__java_path(p)) {
        return K_JAR;
    }
    return K_NONE;
}

static unsigned cap_of(int k)
{
    switch (k) {
    case K_NPM_PKG:
        return NPM_PKG_MAX;
    case K_NPM_LOCK:
        return NPM_LOCK_MAX;
    case K_PY_META:
        return PY_META_MAX;
    case K_GEMSPEC:
        return GEMSPEC_MAX;
    case K_COMPOSER:
        return COMPOSER_MAX;
    case K_DOTNET:
        return DOTNET_MAX;
    case K_CONDA:
        return CONDA_MAX;
    case K_GOBIN:
        return GOBIN_MAX;
    case K_JAR:
        return JAR_MAX;
    default:
        return 0;
    }
}

/* a file that may be an executable: any exec bit, or in a bin/sbin
 * directory (its magic decides, see refine) */
static int exec_candidate(const dd_fs_node *n)
{
    if (n->type != DD_ENTRY_FILE || n->size < 64) {
        return 0;
    }
    if (n->mode & 0111) {
        return 1;
    }
    const char *p = n->path, *b = strrchr(p, '/');
    if (!b) {
        return 0;
    }
    size_t dl = (size_t)(b - p);
    const char *d = memrchr(p, '/', dl);
    d = d ? d + 1 : p;
    size_t l = (size_t)(b - d);
    return (l == 3 && !memcmp(d, "bin", 3)) ||
           (l == 4 && !memcmp(d, "sbin", 4));
}

/* the kind of a file from its metadata */
static int classify_node(const dd_fs_node *n)
{
    int k = classify(n->path);
    return k == K_NONE && exec_candidate(n) ? K_GOBIN : k;
}

static uint64_t wants(void *self, const dd_fs_node *n)
{
    (void)self;
    if (n->type != DD_ENTRY_FILE) {
        return 0;
    }
    return cap_of(classify_node(n));
}

/* an executable candidate that is no ELF/PE/Mach-O needs no more */
static uint64_t refine(void *self,
                       const dd_fs_node *n,
                       const uint8_t *head,
                       size_t len,
                       uint64_t want)
{
    (void)self;
    if (classify(n->path) == K_NONE && !dd__gobin_magic(head, len)) {
        return 0;
    }
    return want;
}

static void *layer_begin(void *self, size_t layer, dd_findings *findings)
{
    (void)self, (void)layer, (void)findings;
    return dd__layer_recs_new(sizeof(rec));
}

static void rec_fini(void *p)
{
    rec *r = p;
    if (r->dev) {
        dd__map_free(r->dev);
        dd__free(r->dev);
    }
    if (r->pkgs) {
        dd__vec_free(r->pkgs);
        dd__free(r->pkgs);
    }
    if (r->jars) {
        dd__vec_free(r->jars);
        dd__free(r->jars);
    }
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
    (void)self;
    lstate *s = st;
    const char *r_path = NULL;
    int k = classify_node(n);
    if (k == K_NONE || (k == K_GOBIN && !dd__gobin_magic(data, len))) {
        return 0;
    }
    dd__vec *gp = NULL; /* K_GOBIN: parsed before a record exists */
    char why[256] = "";
    int rc = 0;
    int rust = 0;
    size_t other_src = 0;
    if (k == K_GOBIN) {
        if (!(gp = dd__calloc(1, sizeof *gp))) {
            return DD_ENOMEM;
        }
        dd__vec_init(gp, sizeof(dd__lang_pkg));
        /* a huge executable: its build info may still be in the head */
        rc = dd__gobin(&s->a, data, len, gp, why, sizeof why);
        if (rc == DD_ENOTFOUND) { /* not Go: a cargo-auditable binary? */
            rc = dd__rustbin(&s->a, data, len, gp, &other_src, why, sizeof why);
            rust = rc != DD_ENOTFOUND;
        }
        if (rc && rc != DD_ENOMEM && truncated) {
            snprintf(why, sizeof why,
                     "executable of %llu bytes, over the %u-byte limit: "
                     "no Go build info or Rust dependency list in its "
                     "head",
                     (unsigned long long)n->size, cap_of(k));
            rc = DD_ELIMIT;
        }
        if (rc == DD_ENOTFOUND || rc == DD_ENOMEM) { /* no Go binary */
            dd__vec_free(gp);
            dd__free(gp);
            return rc == DD_ENOMEM ? rc : 0;
        }
    }
    rec *r = dd__layer_recs_add(s, n->path, &r_path);
    if (!r) {
        if (gp) {
            dd__vec_free(gp);
            dd__free(gp);
        }
        return DD_ENOMEM;
    }
    r->path = r_path;
    r->kind = rust ? K_RUSTBIN : k;
    r->pkgs = gp; /* the record owns it (layer_free) */
    if (rust && !rc && other_src) {
        char w[160];
        snprintf(w, sizeof w,
                 "%zu crate%s from a path or git source, not a registry: "
                 "listed, advisories may not apply",
                 other_src, other_src == 1 ? "" : "s");
        if (!(r->warn = dd__arena_strdup(&s->a, w))) {
            return DD_ENOMEM;
        }
    }
    if (k == K_GOBIN) {
        /* parsed above */
    } else if (k == K_PY_META) {
        rc = dd__py_metadata(&s->a, data, len, truncated, &r->pkg, why,
                             sizeof why);
    } else if (truncated) {
        snprintf(why, sizeof why,
                 "%llu bytes, over the %u-byte limit: not read",
                 (unsigned long long)n->size, cap_of(k));
        rc = DD_ELIMIT;
    } else if (k == K_NPM_PKG) {
        rc = dd__npm_package(&s->a, data, len, &r->pkg, why, sizeof why);
    } else if (k == K_GEMSPEC) {
        rc = dd__gemspec(&s->a, data, len, n->path, &r->pkg, why, sizeof why);
    } else if (k == K_CONDA) {
        rc = dd__conda_meta(&s->a, data, len, &r->pkg, why, sizeof why);
    } else if (k == K_JAR) {
        r->jars = dd__calloc(1, sizeof *r->jars);
        if (!r->jars) {
            return DD_ENOMEM;
        }
        dd__vec_init(r->jars, sizeof(dd__java_pkg));
        rc = dd__java_archive(&s->a, data, len, n->path, r->jars, why,
                              sizeof why);
    } else if (k == K_COMPOSER || k == K_DOTNET) {
        r->pkgs = dd__calloc(1, sizeof *r->pkgs);
        if (!r->pkgs) {
            return DD_ENOMEM;
        }
        dd__vec_init(r->pkgs, sizeof(dd__lang_pkg));
        size_t skipped = 0;
        rc = k == K_COMPOSER
                 ? dd__composer_installed(&s->a, data, len, r->pkgs, &skipped,
                                          why, sizeof why)
                 : dd__dotnet_deps(&s->a, data, len, r->pkgs, why, sizeof why);
        if (!rc && skipped) {
            char w[128];
            snprintf(w, sizeof w,
                     "%zu package entr%s without a name and version "
                     "skipped",
                     skipped, skipped == 1 ? "y" : "ies");
            if (!(r->warn = dd__arena_strdup(&s->a, w))) {
                return DD_ENOMEM;
            }
        }
    } else {
        r->dev = dd__calloc(1, sizeof *r->dev);
        if (!r->dev || dd__map_init(r->dev)) {
            dd__free(r->dev);
            r->dev = NULL;
            return DD_ENOMEM;
        }
        rc = dd__npm_lock(&s->a, data, len, r->dev, why, sizeof why);
    }
    if (rc == DD_ENOMEM) {
        return rc;
    }
    r->ok = rc == 0;
    if (!r->ok) {
        if (!why[0]) {
            snprintf(why, sizeof why, "%s", dd_strerror(rc));
        }
        r->why = dd__arena_strdup(&s->a, why);
        if (!r->why) {
            return DD_ENOMEM;
        }
    }
    return 0;
}

void dd__lang_analyzer_init(dd__analyzer *h, dd__lang *self)
{
    memset(h, 0, sizeof *h);
    h->name = "lang";
    h->version = 4; /* 3: Go binaries, 4: Java archives */
    h->self = self;
    h->wants = wants;
    h->refine = refine;
    h->layer_begin = layer_begin;
    h->file = on_file;
    h->layer_free = layer_free;
}

dd__lang *dd__lang_new(void)
{
    return dd__calloc(1, sizeof(dd__lang));
}

void dd__lang_free(dd__lang *l)
{
    dd__free(l);
}

/* the record of the visible file at `path`, or NULL */
static const rec *
visible(const dd_walk *w, size_t ai, const char *path, int *layer)
{
    return dd__layer_recs_visible(w, ai, path, layer);
}

static int warn_rec(dd_inventory *inv, const rec *r, int layer)
{
    char m[640];
    snprintf(m, sizeof m, "%s (layer %d): %s", r->path, layer, r->why);
    dd__inventory_incomplete(inv);
    return dd__inventory_warn(inv, m);
}

/* dev flag of the npm package whose manifest is `path` (root at `ro`) */
static int npm_dev(
    const dd_walk *w, size_t ai, const char *path, size_t ro, dd_inventory *inv)
{
    static const char *const locks[] = {"node_modules/.package-lock.json",
                                        "package-lock.json"};
    char lp[4096];
    for (size_t i = 0; i < 2; i++) {
        int n = snprintf(lp, sizeof lp, "%.*s%s", (int)ro, path, locks[i]);
        if (n < 0 || (size_t)n >= sizeof lp) {
            return 0;
        }
        int layer;
        const rec *r = visible(w, ai, lp, &layer);
        if (!r || !r->ok || !r->dev) {
            continue;
        }
        const char *key = path + ro;
        size_t kl = strlen(key) - (sizeof "/package.json" - 1);
        int64_t v;
        if (dd__map_get(r->dev, key, kl, &v)) {
            return v != 0;
        }
    }
    (void)inv;
    return 0;
}

static dd_pkg_type type_of(int k)
{
    switch (k) {
    case K_NPM_PKG:
        return DD_PKG_NPM;
    case K_GEMSPEC:
        return DD_PKG_GEM;
    case K_COMPOSER:
        return DD_PKG_COMPOSER;
    case K_DOTNET:
        return DD_PKG_NUGET;
    case K_CONDA:
        return DD_PKG_CONDA;
    case K_GOBIN:
        return DD_PKG_GOLANG;
    case K_JAR:
        return DD_PKG_MAVEN;
    default:
        return DD_PKG_PYPI;
    }
}

/* the packages and nested-archive warnings of one Java archive */
static int
add_jars(dd__scan_ctx *c, const rec *r, int layer, const dd_image_info *info)
{
    int rc = 0;
    for (size_t j = 0; !rc && j < r->jars->len; j++) {
        const dd__java_pkg *jp = DD_VEC_AT(r->jars, dd__java_pkg, j);
        if (!jp->name) {
            rec wr = *r;
            wr.path = jp->path;
            wr.why = jp->why;
            rc = warn_rec(c->inv, &wr, layer);
            continue;
        }
        char sum[48];
        dd_package p;
        memset(&p, 0, sizeof p);
        p.type = DD_PKG_MAVEN;
        p.name = jp->name;
        p.version = jp->version;
        p.upstream = jp->version;
        p.db_path = jp->path;
        p.license = jp->license;
        if (jp->sha1) {
            snprintf(sum, sizeof sum, "sha1:%s", jp->sha1);
            p.checksum = sum;
        }
        p.layer = layer;
        p.history = info && layer >= 0 && (size_t)layer < info->n_layers
                        ? info->layers[layer].history
                        : -1;
        rc = dd__inventory_add(c->inv, &p);
    }
    return rc;
}

int dd__lang_finish(dd__lang *l, dd__scan_ctx *c, size_t ai)
{
    (void)l;
    if (!c->inv) {
        return 0;
    }
    const dd_walk *w = c->walk;
    const dd_image_info *info = c->img ? dd_image_info_get(c->img) : NULL;
    int rc = 0;
    /* warn once about each unreadable lockfile that is visible */
    for (size_t i = 0; !rc && i < dd_walk_file_count(w); i++) {
        const dd_fs_node *n = dd_walk_file(w, i);
        if (n->type != DD_ENTRY_FILE) {
            continue;
        }
        int k = classify_node(n);
        if (k == K_NONE) {
            continue;
        }
        int layer;
        const rec *r = visible(w, ai, n->path, &layer);
        if (!r) {
            continue;
        }
        if (!r->ok) {
            rc = warn_rec(c->inv, r, layer);
            continue;
        }
        if (r->warn) {
            rec wr = *r;
            wr.why = r->warn;
            if ((rc = warn_rec(c->inv, &wr, layer))) {
                break;
            }
        }
        if (k == K_NPM_LOCK) {
            continue;
        }
        if (k == K_JAR) {
            rc = add_jars(c, r, layer, info);
            continue;
        }
        dd_package p;
        memset(&p, 0, sizeof p);
        p.type = r->kind == K_RUSTBIN ? DD_PKG_CARGO : type_of(k);
        p.db_path = n->path;
        p.layer = layer;
        p.history = info && layer >= 0 && (size_t)layer < info->n_layers
                        ? info->layers[layer].history
                        : -1;
        size_t np = r->pkgs ? r->pkgs->len : 1;
        for (size_t j = 0; !rc && j < np; j++) {
            const dd__lang_pkg *lp =
                r->pkgs ? DD_VEC_AT(r->pkgs, dd__lang_pkg, j) : &r->pkg;
            p.name = lp->name;
            p.version = lp->version;
            p.upstream = lp->version;
            p.license = lp->license;
            p.dev = lp->dev;
            if (k == K_NPM_PKG) {
                long ro = dd__npm_manifest_root(n->path);
                p.dev = npm_dev(w, ai, n->path, (size_t)ro, c->inv);
            }
            rc = dd__inventory_add(c->inv, &p);
        }
    }
    dd__inventory_sort(c->inv);
    return rc;
}
